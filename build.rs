// The message files are read into the binary at compile time (rust-i18n's
// `i18n!`); without this, editing one would not rebuild flexus.
fn main() {
    println!("cargo:rerun-if-changed=locales");
}
