//! The wizard against a fake order service in a real pseudo-terminal.
//!
//! By hand (it waits for keys, so it only runs when asked):
//!
//!     cargo test --test tui_try -- --ignored --nocapture
//!
//! FLEXUS_TRY_SIGN_IN=1 starts at the sign-in screen (the token "wrong" is
//! refused); FLEXUS_TRY_PLAN=FILE opens a plan at the review.
//!
//! The other tests here run that same wizard in a pty (this test binary
//! starts itself) to check that the terminal is given back on a signal and
//! on a panic.

mod support;

use support::pty::Session;

use std::sync::Arc;

use flexus::domain::catalog::Catalog;
use flexus::domain::pricing::PriceTable;
use flexus::tui::theme::Theme;
use flexus::tui::{Options, Start, run};

#[test]
#[ignore = "interactive: run by hand in a terminal"]
fn try_the_wizard_by_hand() {
    let service = support::FakeService::new();
    let start = if std::env::var_os("FLEXUS_TRY_SIGN_IN").is_some() {
        Start::SignInFirst(Arc::new(support::FakeConnector { service }))
    } else {
        Start::Connected(service)
    };
    let plan = std::env::var_os("FLEXUS_TRY_PLAN").map(|path| {
        let text = std::fs::read_to_string(&path).unwrap();
        let (draft, problems) = flexus::domain::order::Draft::from_plan_json(&text);
        flexus::tui::PlanStart {
            path: path.into(),
            draft,
            problems,
        }
    });
    let options = Options {
        catalog: Catalog::embedded(),
        prices: PriceTable::embedded(),
        theme: Theme::from_process_env(),
        plan,
        mouse: true,
        first_frame_exit: false,
        reattach: false,
        kept_file: None,
        kept_found: flexus::tui::kept::Found::Nothing,
        profile: None,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let exit = runtime.block_on(run(options, start)).unwrap();
    runtime.shutdown_background();
    if let Some(message) = exit.message {
        eprintln!("{message}");
    }
}

/// This test binary, running the interactive test above in an 80x24 pty
/// with a plan open at the review.
fn wizard(envs: &[(&str, &str)]) -> Session {
    let exe = std::env::current_exe().unwrap();
    let mut all = vec![("FLEXUS_TRY_PLAN", "examples/plan.json")];
    all.extend_from_slice(envs);
    Session::start(
        exe.to_str().unwrap(),
        &[
            "--ignored",
            "--exact",
            "try_the_wizard_by_hand",
            "--nocapture",
            "--test-threads=1",
        ],
        &all,
    )
}

#[test]
fn sigterm_gives_the_terminal_back() {
    let mut session = wizard(&[]);
    session.wait_for("7. Review");
    assert!(
        !session.local_modes().contains("ICANON"),
        "raw mode while running"
    );
    let pid = session.child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    session.wait_exit();
    session.assert_terminal_given_back();
}

#[test]
fn a_panic_in_a_task_gives_the_terminal_back_and_stops() {
    let mut session = wizard(&[("FLEXUS_TRY_PANIC", "1")]);
    session.wait_for("7. Review");
    // examples/plan.json buys two instances: two confirmations.
    session.keys("\r");
    session.wait_for("Place this order?");
    session.keys("y");
    session.wait_for("Please confirm once more");
    session.keys("yes\r");
    let status = session.wait_exit();
    assert_eq!(status.exit_code(), 101);
    session.assert_terminal_given_back();
    let raw = session.raw();
    let left = raw.rfind("\x1b[?1049l").unwrap();
    let after = &raw[left..];
    assert!(
        after.contains("a deliberate bug in the fake order service"),
        "{after}"
    );
    assert!(after.contains("flexus stopped because of a bug"), "{after}");
}

#[test]
fn ctrl_c_quits_and_gives_the_terminal_back() {
    let mut session = wizard(&[]);
    session.wait_for("7. Review");
    session.keys("\x03");
    let status = session.wait_exit();
    assert!(status.success());
    session.assert_terminal_given_back();
}
