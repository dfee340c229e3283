//! The real binary in a real pseudo-terminal against a sandbox on a real
//! socket, killed with SIGKILL while its purchase is in the air: the next
//! `flexus` opens on that purchase and one key follows it to the order;
//! ordering the same again is stopped by the journal; the sandbox never
//! holds a second order.

mod support;

use std::time::{Duration, Instant};

use flexus::sandbox::{Fault, SandboxConfig};
use support::pty::Session;
use support::world::World;

const ENTER: &str = "\r";
const TAB: &str = "\t";

fn world() -> World {
    World::start(SandboxConfig {
        faults: vec!["slow=4000@create".parse::<Fault>().unwrap()],
        complete_after: Duration::from_millis(300),
        ..SandboxConfig::default()
    })
}

fn wizard(world: &World) -> Session {
    world.wizard(&[])
}

/// Through the steps to the review: one Ubuntu instance in Singapore,
/// auto-paid so it completes by itself.
fn choose_an_order(wizard: &mut Session) {
    wizard.wait_for("1. Region");
    wizard.keys("singapore");
    wizard.wait_for("AP-Singapore");
    wizard.keys(ENTER);
    wizard.wait_for("2. Image");
    wizard.keys("ubuntu");
    wizard.keys(ENTER);
    wizard.wait_for("Ubuntu: which version?");
    wizard.keys(ENTER);
    wizard.wait_for("3. Spec");
    wizard.keys("large.2.30m.linux");
    wizard.keys(ENTER);
    wizard.wait_for("4. Period");
    for _ in 0..4 {
        wizard.keys(TAB);
    }
    wizard.keys(" "); // auto-pay on
    wizard.keys(ENTER);
    wizard.wait_for("5. Extras");
    wizard.keys(ENTER);
    wizard.wait_for("6. Name and tags");
    wizard.keys("web-01");
    wizard.keys(ENTER);
    wizard.wait_for("7. Review");
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "{what} never happened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Orders, then SIGKILLs the wizard while the create's answer is delayed:
/// the sandbox has the order, the journal only the intent.
fn order_and_kill_mid_post(world: &World) {
    let mut first = wizard(world);
    choose_an_order(&mut first);
    first.keys(ENTER);
    first.wait_for("Place this order?");
    first.keys("y");
    first.wait_for("Sending the order");
    wait_until("the order reaching the sandbox", || {
        world.sandbox.created_orders().len() == 1
    });
    let pid = first.child.process_id().expect("a pid");
    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = first.wait_exit();
    assert!(!status.success(), "killed: {status:?}");
    let journal =
        std::fs::read_to_string(world.state.path().join("journal.jsonl")).expect("a journal");
    assert!(journal.contains("\"intent\""), "{journal}");
    assert!(!journal.contains("\"placed\""), "the answer was never seen");
}

#[test]
fn killed_mid_post_the_next_flexus_opens_on_the_purchase_and_one_key_follows_it() {
    let world = world();
    order_and_kill_mid_post(&world);
    let order_id = world.sandbox.created_orders()[0].order_id.clone();

    let mut second = wizard(&world);
    // It opens on the purchase by itself and finds the order.
    second.wait_for("An earlier purchase's outcome is unknown");
    second.wait_for(&order_id);
    assert!(
        !second.screen().contains(" r resend"),
        "no resend while the order may be it:\n{}",
        second.screen()
    );
    second.keys("t");
    second.wait_for("Order completed");
    assert_eq!(world.sandbox.created_orders().len(), 1, "one order only");
    let journal = std::fs::read_to_string(world.state.path().join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"claimed\""), "{journal}");
    second.keys("q");
    assert!(second.wait_exit().success());
    second.assert_terminal_given_back();
}

#[test]
fn after_reopening_the_same_order_again_is_stopped_by_the_journal() {
    let world = world();
    order_and_kill_mid_post(&world);
    let order_id = world.sandbox.created_orders()[0].order_id.clone();

    let mut second = wizard(&world);
    second.wait_for("An earlier purchase's outcome is unknown");
    second.wait_for(&order_id);
    // On to a new order, from the same choices, Enter through to the review.
    second.keys("n");
    second.wait_for("1. Region");
    second.keys(ENTER);
    second.wait_for("2. Image");
    second.keys(ENTER);
    second.wait_for("Ubuntu: which version?");
    second.keys(ENTER);
    second.wait_for("3. Spec");
    second.keys(ENTER);
    second.wait_for("4. Period");
    second.keys(ENTER);
    second.wait_for("5. Extras");
    second.keys(ENTER);
    second.wait_for("6. Name and tags");
    second.keys(ENTER);
    second.wait_for("7. Review");
    second.keys(ENTER);
    second.wait_for("Nothing was sent: this same order was sent before");
    second.wait_for(&order_id);
    // y and Enter are not answers here.
    second.keys("y");
    second.keys(ENTER);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!second.screen().contains("Place this order?"));
    assert_eq!(world.sandbox.created_orders().len(), 1, "nothing was sent");

    // Following the found order settles it.
    second.keys("t");
    second.wait_for("Order completed");
    assert_eq!(world.sandbox.created_orders().len(), 1);
    second.keys("q");
    assert!(second.wait_exit().success());
}
