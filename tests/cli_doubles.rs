//! A purchase outlives the process that sent it: a rerun after a lost
//! answer or a kill -9 never buys twice, the earlier purchase can be
//! followed, resent or set apart on purpose, and a placed order the journal
//! could not record is said out loud. The built binary against the sandbox
//! on 127.0.0.1.

use std::time::Duration;

use flexus::api::journal::{Journal, PurchaseState};

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Setup};

fn creates(s: &Setup) -> usize {
    s.sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/light-instances")
        .count()
}

fn journal(s: &Setup) -> Journal {
    Journal::open(&s.state_dir()).expect("the journal opens")
}

/// The Client-Request-Id of the only purchase in the journal.
fn only_purchase_id(s: &Setup) -> String {
    let purchases = journal(s).purchases().unwrap();
    assert_eq!(purchases.len(), 1, "{purchases:?}");
    purchases[0].client_request_id.clone()
}

/// Every order the sandbox holds is one the journal knows was sent.
fn assert_journal_knows_every_order(s: &Setup) {
    let known: Vec<String> = journal(s)
        .purchases()
        .unwrap()
        .into_iter()
        .map(|p| p.client_request_id)
        .collect();
    for order in s.sandbox.created_orders() {
        assert!(
            known.contains(&order.client_request_id),
            "order {} (Client-Request-Id {}) is unknown to the journal {known:?}",
            order.order_id,
            order.client_request_id
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_after_a_lost_answer_sends_nothing_and_shows_the_earlier_purchase() {
    let s = Setup::new(&["drop@create"]).await;
    let first = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(first.code, 3, "{}", first.all());
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    let id = only_purchase_id(&s);

    let again = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(again.code, 3, "{}", again.all());
    assert_eq!(creates(&s), 1, "the rerun sent nothing");
    let err = &again.stderr;
    assert!(err.contains("This same order was sent at"), "{err}");
    assert!(err.contains(&id), "the earlier Client-Request-Id: {err}");
    // What the order list shows now, recognisably.
    let line = err
        .lines()
        .find(|l| l.contains(&order_id))
        .expect("the found order is listed");
    assert!(line.contains("created "), "{line}");
    assert!(line.contains("USD"), "{line}");
    assert!(line.contains("x 2"), "spec and quantity: {line}");
    // The deliberate ways on, as commands.
    assert!(
        err.contains(&format!("flexus claim {id} ORDER_ID")),
        "{err}"
    );
    assert!(
        err.contains(&format!("flexus dismiss {id} ORDER_ID")),
        "{err}"
    );
    assert!(err.contains("--separate-purchase"), "{err}");
    // With an order found, resending is not offered.
    assert!(!err.contains("flexus resend"), "{err}");
    assert!(
        again.stderr.contains("nothing was sent"),
        "{}",
        again.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn separate_purchase_places_a_second_order_on_purpose() {
    let s = Setup::new(&["drop@create"]).await;
    assert_eq!(
        s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"])
            .await
            .code,
        3
    );
    let run = s
        .run(&[
            "order",
            "--plan",
            EXAMPLE_PLAN,
            "--yes",
            "--separate-purchase",
        ])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 2);
    assert_journal_knows_every_order(&s);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claimed_order_that_completed_is_no_double() {
    let s = Setup::new(&["drop@create"]).await;
    assert_eq!(
        s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"])
            .await
            .code,
        3
    );
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    let id = only_purchase_id(&s);
    let claim = s.run(&["claim", &id, &order_id]).await;
    assert_eq!(claim.code, 0, "{}", claim.all());
    // Claimed, the journal knows it as placed but has not seen it finish:
    // the order service is asked, and a completed order blocks nothing.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placed_order_still_in_progress_blocks_its_double() {
    let s = Setup::with_completion(&[], Duration::from_secs(600)).await;
    // Pending payment: placed, and not finished.
    let plan = cli_support::plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let plan = plan.to_str().unwrap();
    let first = s.run(&["order", "--plan", plan, "--yes"]).await;
    assert_eq!(first.code, 4, "{}", first.all());
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    let again = s.run(&["order", "--plan", plan, "--yes"]).await;
    assert_eq!(again.code, 3, "{}", again.all());
    assert_eq!(creates(&s), 1);
    assert!(
        again.stderr.contains(&format!("as order {order_id}")),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains(&format!("flexus status {order_id} --watch")),
        "{}",
        again.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_waits_for_found_orders_to_be_dismissed_and_keeps_its_id() {
    let s = Setup::new(&["drop@create"]).await;
    assert_eq!(
        s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"])
            .await
            .code,
        3
    );
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    let id = only_purchase_id(&s);

    let refused = s.run(&["resend", &id, "--yes"]).await;
    assert_eq!(refused.code, 3, "{}", refused.all());
    assert_eq!(creates(&s), 1, "a found order stops the resend");
    assert!(refused.stdout.contains(&order_id), "{}", refused.all());

    let dismissed = s.run(&["dismiss", &id, &order_id]).await;
    assert_eq!(dismissed.code, 0, "{}", dismissed.all());
    assert!(
        dismissed.stdout.contains(&format!("flexus resend {id}")),
        "{}",
        dismissed.stdout
    );

    let resent = s.run(&["resend", &id, "--yes"]).await;
    assert_eq!(resent.code, 0, "{}", resent.all());
    let orders = s.sandbox.created_orders();
    assert_eq!(orders.len(), 2);
    assert!(orders.iter().all(|o| o.client_request_id == id));
    let record = journal(&s).purchase(&id).unwrap().unwrap();
    assert_eq!(record.state, PurchaseState::Placed);
    assert_eq!(record.attempts, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_purchase_is_settled_and_blocks_nothing() {
    let s = Setup::new(&["500@create"]).await;
    let first = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(first.code, 3, "{}", first.all());
    assert!(first.stderr.contains("flexus abandon"), "{}", first.stderr);
    let id = only_purchase_id(&s);
    // Only on the user's word.
    let unconfirmed = s.run(&["abandon", &id]).await;
    assert_eq!(unconfirmed.code, 2, "{}", unconfirmed.all());
    assert!(journal(&s).purchase(&id).unwrap().unwrap().is_unresolved());

    let abandoned = s.run(&["abandon", &id, "--yes"]).await;
    assert_eq!(abandoned.code, 0, "{}", abandoned.all());
    let record = journal(&s).purchase(&id).unwrap().unwrap();
    assert_eq!(record.state, PurchaseState::NothingPlaced);
    assert!(!record.is_unfinished(), "no longer reopened");
    // Settled: never resent, abandoned once only, and no double.
    assert_eq!(s.run(&["resend", &id, "--yes"]).await.code, 2);
    assert_eq!(s.run(&["abandon", &id, "--yes"]).await.code, 2);
    let orders = s.run(&["orders"]).await;
    assert!(
        orders.stdout.contains("settled: no order placed"),
        "{}",
        orders.stdout
    );
    let again = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(again.code, 0, "{}", again.all());
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

/// A flipped byte in the intent of a purchase whose answer was lost hides
/// its body, so whether a new purchase is its double cannot be told: the
/// next purchase is stopped until the user settles it or says it is
/// separate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_intent_of_unknown_outcome_stops_the_next_purchase() {
    let s = Setup::new(&["drop@create"]).await;
    assert_eq!(
        s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"])
            .await
            .code,
        3
    );
    let id = only_purchase_id(&s);
    let path = s.state_dir().join("journal.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text
        .find("test-0620-01")
        .expect("the intent names the instance");
    let mut bytes = text.into_bytes();
    bytes[at] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();

    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 3, "{}", run.all());
    assert_eq!(creates(&s), 1, "nothing was sent");
    assert!(
        run.stderr.contains("damaged record at line 1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("flexus abandon {id}")),
        "{}",
        run.stderr
    );
    // The user checked the console and settles it: the next one goes.
    let settled = s.run(&["abandon", &id, "--yes"]).await;
    assert_eq!(settled.code, 0, "{}", settled.all());
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(creates(&s), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resend_and_claim_check_their_arguments() {
    let s = Setup::new(&[]).await;
    let bad = s.run(&["resend", "not-an-id", "--yes"]).await;
    assert_eq!(bad.code, 2, "{}", bad.all());
    let unknown = s
        .run(&["resend", "3de86e98-d3a0-4312-b6f9-ecfe8f679830", "--yes"])
        .await;
    assert_eq!(unknown.code, 2, "{}", unknown.all());
    assert!(
        unknown.stderr.contains("flexus orders"),
        "{}",
        unknown.stderr
    );
    let placed = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(placed.code, 0, "{}", placed.all());
    let id = only_purchase_id(&s);
    let settled = s.run(&["resend", &id, "--yes"]).await;
    assert_eq!(settled.code, 2, "{}", settled.all());
    assert_eq!(creates(&s), 1);
}

/// kill -9 at points all through a purchase whose answer is slow: after
/// each, the sandbox holds no order the journal does not know, and the same
/// command run again never creates a second order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_anywhere_then_rerun_never_buys_twice() {
    // Spread over before the send, the slow answer, and the tracking.
    let delays_ms = [0u64, 40, 120, 250, 400, 700, 1000, 1400, 1900];
    for delay in delays_ms {
        // Orders wait for payment, so one placed before the kill is still
        // unfinished when the command runs again (and no run waits long).
        let s = Setup::new(&["slow=900:*@create"]).await;
        let plan = cli_support::plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
        let plan = plan.to_str().unwrap();
        let mut child = s
            .command(&["order", "--plan", plan, "--yes"])
            .spawn()
            .expect("flexus starts");
        tokio::time::sleep(Duration::from_millis(delay)).await;
        child.kill().expect("kill -9");
        let _ = child.wait();
        // The sandbox goes on handling a request whose client died.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_journal_knows_every_order(&s);
        let before = s.sandbox.created_orders().len();
        assert!(before <= 1, "after a kill at {delay} ms: {before} orders");

        let rerun = s.run(&["order", "--plan", plan, "--yes"]).await;
        let after = s.sandbox.created_orders().len();
        assert_journal_knows_every_order(&s);
        assert!(
            after <= 1,
            "a rerun after a kill at {delay} ms made a second order:\n{}",
            rerun.all()
        );
        if journal(&s).purchases().unwrap().len() > 1 {
            panic!("a rerun after a kill at {delay} ms was sent as a new purchase");
        }
        match before {
            // Nothing had been sent (or the journal holds an intent that
            // never arrived): the rerun places it, or stops at the intent.
            0 => assert!(matches!(rerun.code, 4 | 3), "{}", rerun.all()),
            _ => assert_eq!(rerun.code, 3, "{}", rerun.all()),
        }
    }
}

/// The journal becomes unwritable after the intent was written (as when
/// the disk fills up): the order is placed, its outcome cannot be recorded,
/// and flexus says so (order ID on standard error, exit 5) instead of
/// reporting success.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unrecordable_outcome_is_loud() {
    let s = Setup::new(&["slow=1500@create"]).await;
    let state = s.state_dir();
    let cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    let run = tokio::task::spawn_blocking(move || {
        let mut cmd = cmd;
        let child = cmd.spawn().expect("flexus starts");
        // While the answer is slow, the state directory goes away and a
        // file takes its place: every later write fails.
        std::thread::sleep(Duration::from_millis(700));
        let moved = state.with_extension("moved");
        std::fs::rename(&state, &moved).expect("the state directory moves");
        std::fs::write(&state, b"not a directory").unwrap();
        let output = child.wait_with_output().expect("flexus ends");
        std::fs::remove_file(&state).unwrap();
        std::fs::rename(&moved, &state).unwrap();
        output
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    let stdout = String::from_utf8_lossy(&run.stdout);
    let orders = s.sandbox.created_orders();
    assert_eq!(orders.len(), 1, "{stdout}\n{stderr}");
    assert_eq!(run.status.code(), Some(5), "{stdout}\n{stderr}");
    assert!(stderr.contains(&orders[0].order_id), "{stderr}");
    assert!(stderr.contains("could not record"), "{stderr}");
    // What the journal holds says the outcome is not known, so the same
    // order is not sent again as new.
    let again = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(again.code, 3, "{}", again.all());
    assert_eq!(creates(&s), 1);
}
