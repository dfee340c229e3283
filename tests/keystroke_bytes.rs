//! What one keystroke sends to the terminal (issue 10, item 8): under 600
//! bytes at 80x24 for every step (a page or a new view costs what its text
//! does, still less than ratatui's cell diff), and the painter's bytes leave the
//! same screen as ratatui's own. The table: `cargo bench --bench
//! keystroke_bytes`.

#[path = "../benches/support/keystroke_bytes.rs"]
mod keystroke_bytes;
mod support;

use keystroke_bytes::{BUDGET, Measured, Reach, measure};

fn named(m: &Measured) -> String {
    format!("{} / {}: {} bytes", m.screen, m.key, m.painter)
}

#[test]
fn the_painter_leaves_the_screen_ratatui_would() {
    for (width, height) in [(80, 24), (120, 40)] {
        let differing: Vec<String> = measure(width, height)
            .iter()
            .filter(|m| !m.same_screen)
            .map(named)
            .collect();
        assert!(
            differing.is_empty(),
            "at {width}x{height} these keys leave another screen: {differing:#?}"
        );
    }
}

#[test]
fn every_step_at_80x24_sends_under_the_budget() {
    let measured = measure(80, 24);
    let over: Vec<String> = measured
        .iter()
        .filter(|m| m.reach == Reach::Step && m.painter >= BUDGET)
        .map(named)
        .collect();
    assert!(over.is_empty(), "over {BUDGET} bytes: {over:#?}");
    let review_line = measured
        .iter()
        .find(|m| m.screen == "7 review" && m.key.starts_with('↓'))
        .expect("the review is scrolled by a line");
    assert!(
        review_line.painter < 200,
        "one line of the review is a scroll and a row: {}",
        named(review_line)
    );
}

#[test]
fn a_page_or_a_new_view_costs_less_than_ratatuis_cell_diff() {
    for m in measure(80, 24).iter().filter(|m| m.reach != Reach::Step) {
        assert!(m.painter < m.cell_diff, "{} vs {}", named(m), m.cell_diff);
    }
}
