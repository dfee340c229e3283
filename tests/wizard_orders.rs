//! The real binary in a real pseudo-terminal against a sandbox on a real
//! socket: an order is left pending payment, and a new wizard, which opens
//! on it, lists it with its amount in the orders view (`o`), and Enter
//! opens it again with paying and cancelling offered.

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use flexus::sandbox::{self, SandboxConfig, SandboxHandle};
use support::pty::Session;

const ENTER: &str = "\r";

struct World {
    _runtime: tokio::runtime::Runtime,
    sandbox: SandboxHandle,
    state: tempfile::TempDir,
    token: String,
    billing: String,
}

fn world() -> World {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sandbox = runtime
        .block_on(sandbox::start(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            SandboxConfig::default(),
        ))
        .unwrap();
    let creds = sandbox.credentials();
    let token = creds
        .project_token("ap-southeast-3")
        .unwrap()
        .expose()
        .to_string();
    let billing = creds.domain_token.expose().to_string();
    World {
        _runtime: runtime,
        sandbox,
        state: tempfile::tempdir().unwrap(),
        token,
        billing,
    }
}

fn wizard(world: &World) -> Session {
    let url = world.sandbox.url();
    Session::start(
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
            ("FLEXUS_TOKEN", &world.token),
            ("FLEXUS_BSS_TOKEN", &world.billing),
            ("FLEXUS_STATE_DIR", world.state.path().to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TZ", "UTC"),
            ("TERM", "xterm-256color"),
        ],
    )
}

/// One Ubuntu instance in Singapore, not auto-paid: it waits for payment.
fn order_and_leave_it_pending(world: &World) -> String {
    let mut first = wizard(world);
    first.wait_for("1. Region");
    first.keys("singapore");
    first.wait_for("AP-Singapore");
    first.keys(ENTER);
    first.wait_for("2. Image");
    first.keys("ubuntu");
    first.keys(ENTER);
    first.wait_for("Ubuntu: which version?");
    first.keys(ENTER);
    first.wait_for("3. Spec");
    first.keys("large.2.30m.linux");
    first.keys(ENTER);
    first.wait_for("4. Period");
    first.keys(ENTER);
    first.wait_for("5. Extras");
    first.keys(ENTER);
    first.wait_for("6. Name and tags");
    first.keys("web-01");
    first.keys(ENTER);
    first.wait_for("7. Review");
    first.keys(ENTER);
    first.wait_for("Place this order?");
    first.keys("y");
    first.wait_for("p pay now");
    let orders = world.sandbox.created_orders();
    assert_eq!(orders.len(), 1);
    // Gone without a word, as a closed laptop lid would leave it.
    let pid = first.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    first.wait_exit();
    orders[0].order_id.clone()
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_order_left_pending_is_listed_with_its_amount_and_enter_opens_it() {
    let world = world();
    let order_id = order_and_leave_it_pending(&world);

    let mut second = wizard(&world);
    // A bare flexus opens on the unfinished order ...
    second.wait_for(&order_id);
    second.wait_for("p pay now");
    // ... and o lists it, merged with what BSS says of it.
    second.keys("o");
    second.wait_for("The account has 1 FlexusL order;");
    wait_until("the row of the order with its amount", || {
        second
            .screen()
            .lines()
            .any(|l| l.contains("pending payment") && l.contains("USD "))
    });
    second.wait_for(&format!("Order {order_id}"));
    second.keys(ENTER);
    second.wait_for("Status");
    second.wait_for("c cancel");
    assert!(second.screen().contains(&order_id), "{}", second.screen());
    // Esc there is not needed: q quits from the status pane (asking, as
    // the order is not final).
    second.keys("q");
    second.wait_for("Quit while an order is in flight?");
    second.keys("y");
    assert!(second.wait_exit().success());
    second.assert_terminal_given_back();
}
