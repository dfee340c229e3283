//! Starting the wizard from the command line, where it can fail before the
//! terminal is taken over: plans that cannot be read, and no terminal.

use std::process::Command;

fn flexus(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        // The wizard, not the line mode a TERM=dumb shell would choose.
        .env("FLEXUS_ACCESSIBLE", "0")
        .args(args)
        .output()
        .expect("flexus runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn without_a_terminal_the_wizard_says_what_to_use_instead() {
    let (code, stderr) = flexus(&[]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "flexus: the wizard needs a terminal; in scripts use `flexus order --plan FILE`"
    );
}

#[test]
fn a_plan_that_cannot_be_read_is_reported_before_anything_else() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let (code, stderr) = flexus(&["--plan", missing.to_str().unwrap()]);
    // A plan that cannot be read is a usage error, as for `flexus order`.
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("flexus: cannot read the plan "),
        "{stderr}"
    );

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"region\": ").unwrap();
    let (code, stderr) = flexus(&["--plan", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("broken.json is not valid JSON (line 1, column"),
        "{stderr}"
    );
}

#[test]
fn a_plan_naming_a_key_twice_is_refused_before_the_wizard_opens() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("twice.json");
    std::fs::write(&plan, "{\n  \"period_num\": 1,\n  \"period_num\": 9\n}\n").unwrap();
    let (code, stderr) = flexus(&["--plan", plan.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("period_num: duplicate key \"period_num\" at line 3 (also at line 2)"),
        "{stderr}"
    );
}

mod support;

use support::pty::Session;

#[test]
fn the_wizard_opens_in_a_terminal_and_ctrl_c_gives_it_back() {
    let mut session = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &["--plan", "examples/plan.json"],
        &[],
    );
    // No credentials here: signing in comes first, the plan waits.
    session.wait_for("How should it sign in?");
    session.wait_for("Sign in AP-Singapore · BT 6.8.35 · hf.large.1.30m.linux");
    session.keys("\x03");
    let status = session.wait_exit();
    // As a terminal expects of a program Ctrl-C ended: 128 + SIGINT.
    assert_eq!(status.exit_code(), 130);
    session.assert_terminal_given_back();
}

#[test]
fn first_frame_exit_draws_once_and_leaves() {
    let mut session = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &["--sandbox", "--first-frame-exit"],
        &[],
    );
    let status = session.wait_exit();
    assert!(status.success());
    session.assert_terminal_given_back();
    // Blank cells are skipped with cursor moves, so look for single words.
    let raw = session.raw();
    assert!(
        raw.contains(" 1. Region ") && raw.contains("Where"),
        "{raw:?}"
    );
}

/// The whole purchase of 30 instances from the built-in sandbox, over real
/// sockets, as a user types it at 80x24: the header names the sandbox
/// briefly, the confirmation says where the order goes, and the status
/// keeps its facts, timeline and keys in view however many instances.
#[test]
fn thirty_instances_from_the_sandbox_at_80x24() {
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    let mut session = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &["--sandbox"],
        // Eight hours east of UTC: the status pane reads in local time.
        &[("FLEXUS_STATE_DIR", state_dir), ("TZ", "CST-8")],
    );
    session.wait_for("sandbox 127.0.0.1:");
    assert!(
        session
            .screen()
            .lines()
            .next()
            .unwrap()
            .contains("buy a FlexusL instance"),
        "{}",
        session.screen()
    );
    session.keys("singapore\r");
    session.wait_for("Which system should the instances start with?");
    session.keys("ubuntu\r");
    session.wait_for("which version?");
    session.wait_for("›   22.04");
    session.keys("\r");
    session.wait_for("Which package?");
    session.keys("large.2.30m.linux\r");
    session.wait_for("How long, and how many?");
    // Tab to the quantity, Ctrl-U clears it.
    session.keys("\t\t\x1530\r");
    session.wait_for("Add-ons for each instance");
    session.keys("\r");
    session.wait_for("Description");
    session.keys("web-01\r");
    session.wait_for("Your choices");
    session.keys("\r");
    session.wait_for("Sent to: sandbox 127.0.0.1:");
    session.keys("y");
    session.wait_for("Please confirm once more");
    session.keys("yes\r");
    session.wait_for("Order pending payment: nothing happens until it is paid.");
    session.wait_for("more (i lists all 30)");
    let screen = session.screen();
    for needle in [
        "Order ID",
        "Client-Request-Id",
        "Amount             USD 570.00",
        "Next check",
        "Timeline (UTC+08:00)",
        "(UTC+08:00), or it is cancelled",
        "pending payment, USD 570.00",
        "p pay now",
        "i all 30 IDs",
    ] {
        assert!(screen.contains(needle), "{needle:?} not in view:\n{screen}");
    }
    session.keys("i");
    session.wait_for("All 30 instance IDs");
    session.wait_for("(23 below)"); // a row less: the Client-Request-Id line says what it is
    session.keys("i");
    session.wait_for("Timeline (UTC+08:00)");
    session.keys("p");
    session.wait_for("Pay this order now?");
    session.keys("y");
    session.wait_for("Order completed: the instances are created.");
    session.keys("q");
    assert!(session.wait_exit().success());
    session.assert_terminal_given_back();
}
