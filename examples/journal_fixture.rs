//! Writes the benchmark's journal of N purchases into DIR, to time
//! `flexus orders` on it (see README, Performance):
//!
//!     cargo run --release --example journal_fixture -- DIR 10000

#[path = "../benches/support/journal_fixture.rs"]
mod fixture;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse().ok())) else {
        eprintln!("usage: journal_fixture DIR PURCHASES");
        std::process::exit(2);
    };
    fixture::write_journal(std::path::Path::new(&dir), n);
}
