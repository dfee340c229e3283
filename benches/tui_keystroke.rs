//! The cost of one keystroke in the wizard: `update` with the key, then a
//! full redraw onto a TestBackend, for every screen, at 80x24 and 120x40.
//! Target: under 1 ms each.
//!
//!     cargo bench --bench tui_keystroke

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use flexus::api::engine::TrackEvent;
use flexus::api::wire::status;
use flexus::tui::app::App;
use flexus::tui::msg::Msg;
use flexus::tui::service::Start;
use flexus::tui::update::update;
use flexus::tui::view;

#[path = "../tests/support/mod.rs"]
mod support;
use support::*;

/// A screen, and two keys that undo each other so every iteration starts
/// from the same state.
struct Case {
    name: &'static str,
    app: App,
    keys: [KeyCode; 2],
}

fn status_app() -> App {
    status_app_with(1, 0)
}

/// An order of `instances`, pending payment, after `failures` failed checks
/// (alternating between two failures, so each is a timeline entry).
fn status_app_with(instances: usize, failures: u32) -> App {
    let (mut app, _) = app_at_review();
    let request_id = submitted(&mut app);
    let ids = (0..instances)
        .map(|i| format!("65dea8d23005da564c78d9{i:03}"))
        .collect();
    answer_placed(&mut app, request_id, ids);
    let failed = (1..=failures).map(|attempt| TrackEvent::PollFailed {
        failure: failure(
            None,
            None,
            if attempt % 2 == 0 { "reset" } else { "refused" },
            "",
        ),
        attempt,
        retry_in: Duration::from_secs(5),
    });
    let events = [polled(status::PENDING_PAYMENT)]
        .into_iter()
        .chain(failed)
        .chain([TrackEvent::NextPollIn(Duration::from_secs(5))]);
    for event in events {
        tracked(&mut app, event);
    }
    app
}

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut signin = new_app();
    let connector = std::sync::Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut signin, &Start::SignInFirst(connector));
    cases.push(Case {
        name: "signin",
        app: signin,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    let (region, _) = signed_in_app();
    cases.push(Case {
        name: "region",
        app: region,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    let (mut image, _) = signed_in_app();
    enter(&mut image);
    cases.push(Case {
        name: "image",
        app: image,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    let (mut filtering, _) = signed_in_app();
    enter(&mut filtering);
    type_text(&mut filtering, "de");
    cases.push(Case {
        name: "image-filter-typing",
        app: filtering,
        keys: [KeyCode::Char('b'), KeyCode::Backspace],
    });
    let (mut spec, _) = signed_in_app();
    enter(&mut spec);
    type_text(&mut spec, "gitlab");
    enter(&mut spec);
    cases.push(Case {
        name: "spec",
        app: spec,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    for (name, step) in [("period", '4'), ("extras", '5'), ("naming", '6')] {
        let (mut app, _) = app_at_review();
        press(&mut app, KeyCode::Char(step));
        cases.push(Case {
            name,
            app,
            keys: [KeyCode::Tab, KeyCode::BackTab],
        });
    }
    let (mut typing, _) = app_at_review();
    press(&mut typing, KeyCode::Char('6'));
    cases.push(Case {
        name: "naming-typing",
        app: typing,
        keys: [KeyCode::Char('x'), KeyCode::Backspace],
    });
    let (review, _) = app_at_review();
    cases.push(Case {
        name: "review",
        app: review,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    let (mut json, _) = app_at_review();
    press(&mut json, KeyCode::Char('v'));
    cases.push(Case {
        name: "review-json",
        app: json,
        keys: [KeyCode::Down, KeyCode::Up],
    });
    // A year asks twice; the second answer is a typed word, whose keys go
    // through the question's bindings and its field's.
    let (mut asked, _) = app_at_review();
    press(&mut asked, KeyCode::Char('4'));
    press(&mut asked, KeyCode::Right);
    enter(&mut asked);
    enter_and_check(&mut asked, Default::default());
    press(&mut asked, KeyCode::Char('y'));
    assert!(
        flexus::tui::screens::captures_text(&asked),
        "the second question is open"
    );
    cases.push(Case {
        name: "question-typing",
        app: asked,
        keys: [KeyCode::Char('y'), KeyCode::Backspace],
    });
    let mut help = status_app();
    press(&mut help, KeyCode::Char('?'));
    cases.push(Case {
        name: "status",
        app: status_app(),
        keys: [KeyCode::Char('x'), KeyCode::Char('z')],
    });
    cases.push(Case {
        name: "status-30-scrolling",
        app: status_app_with(30, 40),
        keys: [KeyCode::Up, KeyCode::Down],
    });
    cases.push(Case {
        name: "help-overlay",
        app: help,
        keys: [KeyCode::Char('?'), KeyCode::Char('?')],
    });
    cases
}

fn keystroke(c: &mut Criterion) {
    let mut group = c.benchmark_group("keystroke");
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    for (width, height) in [(80u16, 24u16), (120, 40)] {
        for mut case in cases() {
            case.app.size = (width, height);
            let mut terminal = terminal(width, height);
            let mut n = 0usize;
            group.bench_function(format!("{}/{width}x{height}", case.name), |b| {
                b.iter(|| {
                    let code = case.keys[n % 2];
                    n += 1;
                    let effects = update(
                        &mut case.app,
                        Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
                    );
                    black_box(effects);
                    terminal
                        .draw(|f| view::render(&case.app, f))
                        .expect("a TestBackend cannot fail");
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, keystroke);
criterion_main!(benches);
