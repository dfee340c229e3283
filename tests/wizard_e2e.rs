//! The real binary in a real pseudo-terminal, against a sandbox on a real
//! socket: a whole purchase by keystrokes, then what the sandbox received.

mod support;

use std::time::Duration;

use flexus::sandbox::SandboxConfig;
use serde_json::json;
use support::pty::Session;
use support::world::{sandbox_runtime, signed_in_sandbox};

const ENTER: &str = "\r";
const TAB: &str = "\t";
const BACKSPACE: &str = "\x7f";

#[test]
fn a_whole_purchase_by_keyboard_reaches_completed() {
    let runtime = sandbox_runtime();
    let (sandbox, url, token, billing) = signed_in_sandbox(
        &runtime,
        SandboxConfig {
            complete_after: Duration::from_millis(500),
            ..SandboxConfig::default()
        },
    );
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();

    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("FLEXUS_TOKEN", &token),
            ("FLEXUS_BSS_TOKEN", &billing),
            ("FLEXUS_STATE_DIR", state_dir),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ],
    );

    // The token in the environment signs in: straight to step 1.
    wizard.wait_for("1. Region");
    wizard.keys("singapore");
    wizard.wait_for("AP-Singapore");
    wizard.keys(ENTER);

    wizard.wait_for("2. Image");
    wizard.keys("ubuntu");
    wizard.keys(ENTER);
    wizard.wait_for("Ubuntu: which version?");
    wizard.keys(ENTER); // 22.04, the first

    wizard.wait_for("3. Spec");
    wizard.keys("large.2.30m.linux");
    wizard.keys(ENTER);

    wizard.wait_for("4. Period");
    wizard.keys(TAB); // length
    wizard.keys(BACKSPACE);
    wizard.keys("2");
    wizard.keys(TAB); // instances
    wizard.keys(BACKSPACE);
    wizard.keys("2");
    wizard.keys(TAB); // auto-renew stays off
    wizard.keys(TAB); // auto-pay on
    wizard.keys(" ");
    wizard.keys(ENTER);

    wizard.wait_for("5. Extras");
    wizard.keys(" "); // EVS on; the size field takes the digits
    wizard.keys("20");
    wizard.keys(TAB); // CBR stays off
    wizard.keys(TAB); // HSS on
    wizard.keys(" ");
    wizard.keys(ENTER);

    wizard.wait_for("6. Name and tags");
    wizard.keys("web-01");
    wizard.keys(TAB); // description left empty
    wizard.keys(TAB); // tags
    wizard.keys("a");
    wizard.keys("env");
    wizard.keys(TAB);
    wizard.keys("prod");
    wizard.keys(ENTER);
    wizard.wait_for("env = prod");
    wizard.keys(ENTER);

    wizard.wait_for("7. Review");
    wizard.wait_for("USD 76.00"); // 19.00 x 2 months x 2 instances
    assert!(
        sandbox.created_orders().is_empty(),
        "nothing is sent before the confirmation"
    );
    wizard.keys(ENTER);
    wizard.wait_for("Place this order?");
    wizard.keys("y");
    // Two instances: a second, typed confirmation showing the total.
    wizard.wait_for("Please confirm once more");
    wizard.keys("yes");
    wizard.keys(ENTER);

    wizard.wait_for("Order completed");

    let orders = sandbox.created_orders();
    assert_eq!(orders.len(), 1, "exactly one order was placed");
    let order = &orders[0];
    assert_eq!(
        order.body,
        json!({
            "instance_name": "web-01",
            "plan_spec": "hf.large.2.30m.linux",
            "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
            "region": "ap-southeast-3",
            "charging_mode": "prePaid",
            "period_type": "month",
            "period_num": 2,
            "purchase_quantity": 2,
            "is_auto_renew": false,
            "is_auto_pay": true,
            "extra_resources": [{"type": "evs", "size": 20}, {"type": "hss"}],
            "tags": [{"key": "env", "value": "prod"}]
        })
    );
    let screen = wizard.screen();
    assert!(screen.contains(&order.order_id), "{screen}");
    assert!(screen.contains(&order.client_request_id), "{screen}");

    // The journal knows the purchase and its outcome.
    let journal = std::fs::read_to_string(state.path().join("journal.jsonl")).expect("a journal");
    assert!(journal.contains(&order.client_request_id), "{journal}");
    assert!(journal.contains(&order.order_id), "{journal}");
    assert!(
        !journal.contains(&token),
        "the journal never holds the token"
    );

    wizard.keys("q");
    let status = wizard.wait_exit();
    assert!(status.success(), "{status:?}");
    wizard.assert_terminal_given_back();
}

/// The README's first command: `flexus --sandbox` needs no account and no
/// server of its own.
#[test]
fn flexus_sandbox_buys_one_instance_with_no_setup() {
    let state = tempfile::tempdir().unwrap();
    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &["--sandbox"],
        &[
            ("FLEXUS_STATE_DIR", state.path().to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ],
    );
    wizard.wait_for("1. Region");
    wizard.wait_for("sandbox");
    wizard.keys("singapore");
    wizard.keys(ENTER);
    wizard.wait_for("2. Image");
    wizard.keys("wordpress");
    wizard.keys(ENTER);
    wizard.wait_for("3. Spec");
    wizard.keys("large.1.30m.linux");
    wizard.keys(ENTER);
    wizard.wait_for("4. Period");
    wizard.keys(TAB);
    wizard.keys(TAB);
    wizard.keys(TAB);
    wizard.keys(TAB); // auto-pay on, so the order completes by itself
    wizard.keys(" ");
    wizard.keys(ENTER);
    wizard.wait_for("5. Extras");
    wizard.keys(ENTER);
    wizard.wait_for("6. Name and tags");
    wizard.keys("blog");
    wizard.keys(ENTER);
    wizard.wait_for("7. Review");
    wizard.keys(ENTER);
    wizard.wait_for("Place this order?");
    wizard.keys("y");
    wizard.wait_for("Order completed");

    // Sandbox orders are journalled apart from real ones.
    let journal = std::fs::read_to_string(state.path().join("sandbox").join("journal.jsonl"))
        .expect("a sandbox journal");
    assert!(journal.contains("\"blog\""), "{journal}");
    assert!(!state.path().join("journal.jsonl").exists());

    wizard.keys("q");
    assert!(wizard.wait_exit().success());
}

#[test]
fn keys_pressed_while_the_terminal_is_too_small_place_no_order() {
    let runtime = sandbox_runtime();
    let (sandbox, url, token, billing) = signed_in_sandbox(&runtime, SandboxConfig::default());
    let state = tempfile::tempdir().unwrap();
    let state_dir = state.path().to_str().unwrap();
    // A copy: a key acting blind could save over the plan file.
    let plan = state.path().join("plan.json");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"),
        &plan,
    )
    .unwrap();
    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--plan",
            plan.to_str().unwrap(),
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("FLEXUS_TOKEN", &token),
            ("FLEXUS_BSS_TOKEN", &billing),
            ("FLEXUS_STATE_DIR", state_dir),
            ("TERM", "xterm-256color"),
        ],
    );
    wizard.wait_for("7. Review");
    wizard.wait_for("/ with IAM tokens"); // signed in
    // At a usable size Enter asks at once; Esc says no.
    wizard.keys(ENTER);
    wizard.wait_for("Place this order?");
    wizard.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!wizard.screen().contains("Place this order?"));

    wizard.resize(60, 15);
    wizard.wait_for("at least 80x24");
    wizard.wait_for("keys do nothing");
    // What would place the order at the review: Enter, y, then the typed
    // second confirmation (the example plan buys two instances).
    wizard.keys(ENTER);
    wizard.keys("y");
    wizard.keys("yes");
    wizard.keys(ENTER);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        wizard.screen().contains("at least 80x24"),
        "{}",
        wizard.screen()
    );

    assert!(
        sandbox.created_orders().is_empty(),
        "an order was placed blind"
    );
    assert!(
        !sandbox
            .requests()
            .iter()
            .any(|r| r.path == "/v1/light-instances"),
        "nothing was sent"
    );
    wizard.resize(80, 24);
    wizard.wait_for("7. Review");
    std::thread::sleep(Duration::from_millis(300));
    let screen = wizard.screen();
    assert!(!screen.contains("Place this order?"), "{screen}");
    assert!(!screen.contains("confirm once more"), "{screen}");
    assert!(!screen.contains("Replace the file?"), "{screen}");
    assert!(sandbox.created_orders().is_empty(), "an order was placed");

    wizard.keys("\x03");
    assert_eq!(wizard.wait_exit().exit_code(), 130, "ended by Ctrl-C");
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn a_throttled_purchase_shows_the_wait_and_the_retry_as_they_happen() {
    let runtime = sandbox_runtime();
    let (sandbox, url, token, billing) = signed_in_sandbox(
        &runtime,
        SandboxConfig {
            faults: vec!["429=3:1@create".parse().unwrap()],
            complete_after: Duration::from_millis(300),
            ..SandboxConfig::default()
        },
    );
    let state = tempfile::tempdir().unwrap();
    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--plan",
            concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"),
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("FLEXUS_TOKEN", &token),
            ("FLEXUS_BSS_TOKEN", &billing),
            ("FLEXUS_STATE_DIR", state.path().to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ],
    );
    wizard.wait_for("7. Review");
    wizard.wait_for("/ with IAM tokens");
    wizard.keys(ENTER);
    wizard.wait_for("Place this order?");
    wizard.keys("y");
    wizard.wait_for("Please confirm once more");
    wizard.keys("yes");
    wizard.keys(ENTER);

    // While the service makes it wait: the reason, and the attempt to come.
    wizard.wait_for("asked us to wait 3 s (HTTP 429");
    wizard.wait_for("attempt 2 of 4 in");
    assert!(sandbox.created_orders().is_empty(), "nothing placed yet");
    wizard.wait_for("Order completed");
    assert_eq!(sandbox.created_orders().len(), 1, "placed once");

    wizard.keys("q");
    assert!(wizard.wait_exit().success());
    runtime.block_on(sandbox.shutdown());
}

#[test]
fn paying_in_the_wizard_shows_the_change_without_waiting_for_the_next_check() {
    let runtime = sandbox_runtime();
    let (sandbox, url, token, billing) = signed_in_sandbox(
        &runtime,
        SandboxConfig {
            complete_after: Duration::from_secs(30),
            ..SandboxConfig::default()
        },
    );
    let state = tempfile::tempdir().unwrap();
    let plan = state.path().join("plan.json");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    std::fs::write(
        &plan,
        text.replace("\"is_auto_pay\": true", "\"is_auto_pay\": false"),
    )
    .unwrap();
    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--plan",
            plan.to_str().unwrap(),
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("FLEXUS_TOKEN", &token),
            ("FLEXUS_BSS_TOKEN", &billing),
            ("FLEXUS_STATE_DIR", state.path().to_str().unwrap()),
            // A minute between checks: longer than `wait_for` waits.
            ("FLEXUS_POLL_INTERVAL_MS", "60000"),
            ("TERM", "xterm-256color"),
        ],
    );
    wizard.wait_for("7. Review");
    wizard.wait_for("/ with IAM tokens");
    wizard.keys(ENTER);
    wizard.wait_for("Place this order?");
    wizard.keys("y");
    wizard.wait_for("Please confirm once more");
    wizard.keys("yes");
    wizard.keys(ENTER);
    wizard.wait_for("Order pending payment");
    wizard.wait_for("Next check         in 1m");
    wizard.keys("p");
    wizard.wait_for("Pay this order now?");
    wizard.keys("y");
    wizard.wait_for("payment accepted");
    wizard.wait_for("Order processing.");

    wizard.keys("q");
    wizard.wait_for("Quit while an order is in flight?");
    wizard.keys("y");
    assert!(wizard.wait_exit().success());
    runtime.block_on(sandbox.shutdown());
}
