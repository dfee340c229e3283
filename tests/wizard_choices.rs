//! The real binary in a pty against its in-process sandbox: a half-made
//! order kept over Ctrl-C and continued at the next start, and a new order
//! starting from the last one's choices.

mod support;

use support::pty::Session;

const ENTER: &str = "\r";
const TAB: &str = "\t";
const CTRL_C: &str = "\x03";

fn wizard(state: &tempfile::TempDir) -> Session {
    Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &["--sandbox"],
        &[
            ("FLEXUS_STATE_DIR", state.path().to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ],
    )
}

/// The row of the list the cursor is on.
fn cursor_row(session: &Session) -> String {
    let screen = session.screen();
    screen
        .lines()
        .find(|l| l.contains('›'))
        .unwrap_or_else(|| panic!("no cursor on the screen:\n{screen}"))
        .to_string()
}

#[test]
fn a_half_made_order_survives_ctrl_c_and_is_continued_at_the_step_it_was_left() {
    let state = tempfile::tempdir().unwrap();
    let mut first = wizard(&state);
    first.wait_for("sandbox 127.0.0.1:");
    first.keys("singapore");
    first.wait_for("AP-Singapore");
    first.keys(ENTER);
    first.wait_for("2. Image");
    first.keys("ubuntu");
    first.keys(ENTER);
    first.wait_for("Ubuntu: which version?");
    first.keys(ENTER); // 22.04, the first
    first.wait_for("3. Spec");

    first.keys(CTRL_C);
    first.wait_for("Quit for now?");
    first.wait_for("Your choices so far (AP-Singapore, Ubuntu 22.04) are kept");
    first.keys("y");
    let status = first.wait_exit();
    assert_eq!(status.exit_code(), 130, "Ctrl-C exits as SIGINT would");
    first.assert_terminal_given_back();
    assert!(
        first
            .raw()
            .contains("the next start offers to continue them"),
        "the way out says where the choices went"
    );

    // Kept beside the sandbox's own journal, for the user alone.
    let kept = state.path().join("sandbox").join("draft.json");
    let text = std::fs::read_to_string(&kept).expect("the draft is kept");
    assert!(
        text.contains("\"Ubuntu\"") && text.contains("ap-southeast-3"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let mut second = wizard(&state);
    second.wait_for("Continue the order you left?");
    second.wait_for("Last time you quit at step 3 (Spec)");
    second.keys(ENTER);
    second.wait_for("Which package? For Ubuntu 22.04 in AP-Singapore.");
    second.wait_for("Step 3/7 AP-Singapore · Ubuntu 22.04");
    // Nothing changed since: nothing more to keep, out at once.
    second.keys(CTRL_C);
    assert_eq!(second.wait_exit().exit_code(), 130);
    assert!(
        kept.exists(),
        "kept until an order is sent or the user starts afresh"
    );
}

#[test]
fn after_an_order_in_the_sandbox_each_step_starts_on_its_choice() {
    let state = tempfile::tempdir().unwrap();
    let mut first = wizard(&state);
    first.wait_for("sandbox 127.0.0.1:");
    first.keys("singapore");
    first.wait_for("AP-Singapore");
    first.keys(ENTER);
    first.wait_for("2. Image");
    first.keys("ubuntu");
    first.keys(ENTER);
    first.wait_for("Ubuntu: which version?");
    first.keys(ENTER);
    first.wait_for("3. Spec");
    first.keys("large.2.30m.linux"); // not the cheapest priced, where the cursor starts without a last order
    first.keys(ENTER);
    first.wait_for("4. Period");
    for _ in 0..4 {
        first.keys(TAB);
    }
    first.keys(" "); // auto-pay on, so the order completes by itself
    first.keys(ENTER);
    first.wait_for("5. Extras");
    first.keys(ENTER);
    first.wait_for("6. Name and tags");
    first.keys("blog");
    first.keys(ENTER);
    first.wait_for("7. Review");
    first.keys(ENTER);
    first.wait_for("Place this order?");
    first.keys("y");
    first.wait_for("Order completed");
    first.keys("q");
    assert!(first.wait_exit().success(), "q quits with 0");

    let mut second = wizard(&state);
    second.wait_for("Starting from the choices of your last order, sent");
    second.wait_for("sandbox 127.0.0.1:");
    assert!(
        cursor_row(&second).contains("AP-Singapore"),
        "{}",
        second.screen()
    );
    second.keys(ENTER);
    second.wait_for("2. Image");
    assert!(
        cursor_row(&second).contains("Ubuntu"),
        "{}",
        second.screen()
    );
    second.keys(ENTER);
    second.wait_for("Ubuntu: which version?");
    assert!(cursor_row(&second).contains("22.04"), "{}", second.screen());
    second.keys(ENTER);
    second.wait_for("3. Spec");
    assert!(
        cursor_row(&second).contains("hf.large.2.30m.linux"),
        "{}",
        second.screen()
    );
    second.keys(ENTER);
    second.wait_for("4. Period");
    second.keys(ENTER);
    second.wait_for("5. Extras");
    second.keys(ENTER);
    second.wait_for("6. Name and tags");
    second.wait_for("blog");
    second.keys(ENTER);
    second.wait_for("7. Review");
    second.wait_for("Auto-pay");
    second.keys(CTRL_C);
    assert_eq!(second.wait_exit().exit_code(), 130);
    assert!(
        !state.path().join("sandbox").join("draft.json").exists(),
        "the last order's choices unchanged are nothing to keep"
    );
}
