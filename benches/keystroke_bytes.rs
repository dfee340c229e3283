//! Bytes sent to the terminal for one keystroke, per screen and key, at
//! 80x24 and 120x40: ratatui's cell diff (what flexus sent before its
//! painter) and flexus's painter. Companion to `tui_keystroke`, which times
//! the same work.
//!
//!     cargo bench --bench keystroke_bytes

#[path = "support/keystroke_bytes.rs"]
mod keystroke_bytes;
#[path = "../tests/support/mod.rs"]
mod support;

use keystroke_bytes::{BUDGET, Reach, measure};

fn main() {
    let narrow = measure(80, 24);
    let wide = measure(120, 40);
    println!("Bytes written for one keystroke's frame, after a first full frame:\n");
    println!("| screen | key | 80x24 before | 80x24 after | 120x40 before | 120x40 after |");
    println!("|---|---|---|---|---|---|");
    for (n, w) in narrow.iter().zip(&wide) {
        let note = match n.reach {
            _ if !n.same_screen || !w.same_screen => " (SCREENS DIFFER)",
            Reach::Step if n.painter >= BUDGET => " (OVER BUDGET)",
            Reach::Step => "",
            Reach::Page => " (a page)",
            Reach::View => " (a new view)",
        };
        println!(
            "| {} | {}{note} | {} | {} | {} | {} |",
            n.screen, n.key, n.cell_diff, n.painter, w.cell_diff, w.painter
        );
    }
    if let Some(worst) = narrow
        .iter()
        .filter(|m| m.reach == Reach::Step)
        .max_by_key(|m| m.painter)
    {
        println!(
            "\nThe largest step at 80x24: {} bytes ({}, {}); the budget is {BUDGET}.",
            worst.painter, worst.screen, worst.key
        );
    }
}
