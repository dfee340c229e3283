//! The real binary in a real pseudo-terminal against a sandbox on a real
//! socket: an order is left pending payment, and a new wizard, which opens
//! on it, lists it with its amount in the orders view (`o`), and Enter
//! opens it again with paying and cancelling offered.

mod support;

use std::time::{Duration, Instant};

use flexus::sandbox::SandboxConfig;
use support::pty::Session;
use support::world::World;

const ENTER: &str = "\r";

fn world() -> World {
    World::start(SandboxConfig::default())
}

fn wizard(world: &World) -> Session {
    world.wizard(&[("TZ", "UTC")])
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

/// An order placed from another machine (another journal) and left
/// waiting for payment; its ID.
fn order_from_elsewhere(world: &World) -> String {
    let elsewhere = tempfile::tempdir().unwrap();
    let plan = elsewhere.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"instance_name": "db-01", "plan_spec": "hf.large.2.30m.linux",
            "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
            "region": "ap-southeast-3", "period_type": "month", "period_num": 1}"#,
    )
    .unwrap();
    let url = world.sandbox.url();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .args(["--hcss-endpoint", &url, "--bss-endpoint", &url])
        .args(["--iam-endpoint", &url])
        .env("FLEXUS_TOKEN", &world.token)
        .env("FLEXUS_BSS_TOKEN", &world.billing)
        .env("FLEXUS_STATE_DIR", elsewhere.path())
        .env("FLEXUS_POLL_INTERVAL_MS", "100")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(4),
        "placed and waiting for payment: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let orders = world.sandbox.created_orders();
    assert_eq!(orders.len(), 1);
    orders[0].order_id.clone()
}

#[test]
fn an_order_only_the_account_knows_is_followed_by_its_id_and_can_be_cancelled() {
    let world = world();
    let order_id = order_from_elsewhere(&world);

    // This machine's journal knows nothing: the wizard opens on step 1.
    let mut wizard = wizard(&world);
    wizard.wait_for("1. Region");
    wizard.wait_for("o orders");
    wizard.keys("o");
    wizard.wait_for("The account has 1 FlexusL order;");
    wizard.wait_for(&format!("Order {order_id}"));
    wait_until("the row of the order with its amount", || {
        wizard
            .screen()
            .lines()
            .any(|l| l.contains("pending payment") && l.contains("USD "))
    });
    // What it buys comes from its details: the list does not say.
    wizard.wait_for("Buys 1 x FlexusL hf.large.2.30m.linux");
    wizard.keys(ENTER);
    wizard.wait_for("opened from the account's order list");
    wizard.wait_for("c cancel");
    wizard.keys("c");
    wizard.wait_for("Cancel this order?");
    wizard.keys("y");
    wizard.wait_for("cancellation accepted");
    wizard.wait_for("Order cancelled");
    let cancels: Vec<_> = world
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT" && r.path.contains("cancel"))
        .collect();
    assert_eq!(cancels.len(), 1, "one cancellation: {cancels:?}");
    assert!(
        cancels[0].status.is_some_and(|s| (200..300).contains(&s)),
        "{cancels:?}"
    );
    // The view asked BSS for a page of FlexusL's orders, newest first.
    let page = format!("limit={}", flexus::tui::screens::orders::PAGE_SIZE);
    let list = world
        .sandbox
        .requests()
        .into_iter()
        .find(|r| r.path == "/v2/orders/customer-orders" && r.query.contains(&page))
        .expect("a page of the order list was asked for");
    for part in [
        "service_type_code=hws.service.type.hcss",
        "order_by=-createTime",
        "offset=0",
    ] {
        assert!(list.query.contains(part), "{}", list.query);
    }
    wizard.keys("q");
    assert!(wizard.wait_exit().success());
}
