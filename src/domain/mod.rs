//! The rules of the purchase API document: what can be bought, what a valid
//! order is, and what it costs. Pure: no I/O, no async, no terminal.

pub mod catalog;
pub mod duplicate_keys;
pub mod field;
pub mod freshness;
pub mod order;
pub mod pricing;
pub mod skeleton;
pub mod summary;
pub mod when;

/// A catalog or price file that is not JSON, with where: "line 3, column
/// 7: expected `,`".
pub fn json_syntax_problem(e: &serde_json::Error) -> String {
    tr!(
        "core.file.syntax",
        line = e.line(),
        column = e.column(),
        why = json_error_words(e)
    )
}

/// A JSON syntax or shape error in words. serde_json ends its messages with
/// " at line L column C"; callers state the place once, their own way.
pub fn json_error_words(e: &serde_json::Error) -> String {
    if e.is_eof() {
        return tr!("core.file.ends_early");
    }
    let full = e.to_string();
    let place = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&place).unwrap_or(&full).to_string()
}
