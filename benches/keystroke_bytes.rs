//! Bytes sent to the terminal for one keystroke, per screen and key, at
//! 80x24 and 120x40: ratatui's cell diff (before) and flexus's painter
//! (after). Companion to `tui_keystroke`, which times the same work.
//!
//!     cargo bench --bench keystroke_bytes

#[path = "support/keystroke_bytes.rs"]
mod keystroke_bytes;
#[path = "../tests/support/mod.rs"]
mod support;

use keystroke_bytes::{BUDGET, Reach, measure};

fn main() {
    for (width, height) in [(80u16, 24u16), (120, 40)] {
        println!("\n{width}x{height}: bytes written for one keystroke's frame\n");
        println!("| screen | key | ratatui cell diff | flexus painter |");
        println!("|---|---|---|---|");
        let measured = measure(width, height);
        for m in &measured {
            let mark = if !m.same_screen {
                " (SCREENS DIFFER)"
            } else if m.painter >= BUDGET && width == 80 {
                match m.reach {
                    Reach::Step => " (OVER BUDGET)",
                    Reach::Page => " (a page of new rows)",
                    Reach::View => " (a new view)",
                }
            } else {
                ""
            };
            println!(
                "| {} | {} | {} | {}{mark} |",
                m.screen, m.key, m.cell_diff, m.painter
            );
        }
        let worst = measured.iter().max_by_key(|m| m.painter);
        if let Some(w) = worst {
            println!("\nlargest: {} bytes ({}, {})", w.painter, w.screen, w.key);
        }
    }
}
