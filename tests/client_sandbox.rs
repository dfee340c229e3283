//! The API client, purchase engine, tracker and journal against the sandbox
//! over a real socket on 127.0.0.1.

use std::time::Duration;

use flexus::api::auth::Auth;
use flexus::api::client::{
    Client, ClientConfig, LookupOptions, MfaCode, OrderQuery, PasswordLogin, RetryPolicy,
};
use flexus::api::endpoints::Endpoints;
use flexus::api::engine::{SubmitOutcome, TrackEvent};
use flexus::api::ids::OrderId;
use flexus::api::journal::{Entry, Journal, PurchaseState};
use flexus::api::purchase::{self, ClientRequestId, OrderAction};
use flexus::api::signer::SigningKey;
use flexus::api::signer::percent_decode;
use flexus::api::tracking::{self, TrackOptions};
use flexus::api::wire::{bss_time, codes, parse_bss_time, status};
use flexus::domain::catalog::Catalog;
use flexus::domain::order::{Draft, RequestBody};
use flexus::sandbox::{self, SandboxConfig, SandboxHandle};
use flexus::secret::Secret;
use tokio::sync::mpsc;

async fn sandbox_with(faults: &[&str]) -> SandboxHandle {
    let config = SandboxConfig {
        faults: faults.iter().map(|f| f.parse().expect("a fault")).collect(),
        complete_after: Duration::from_millis(300),
        ..SandboxConfig::default()
    };
    sandbox::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the sandbox starts")
}

fn fast_config() -> ClientConfig {
    ClientConfig {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(5),
        retry: RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_millis(100),
        },
        ambiguity_lookup: LookupOptions {
            checks: 3,
            interval: Duration::from_millis(200),
        },
    }
}

fn endpoints(h: &SandboxHandle) -> Endpoints {
    Endpoints::all_at(&h.url()).unwrap()
}

/// User tokens of both scopes: the project of ap-southeast-3 (the example
/// plan's region) for the purchase, the domain for billing.
fn token_client(h: &SandboxHandle, config: ClientConfig) -> Client {
    let creds = h.credentials();
    Client::new(
        endpoints(h),
        Auth::Tokens {
            purchase: creds.project_token("ap-southeast-3").cloned(),
            billing: Some(creds.domain_token.clone()),
        },
        config,
    )
    .unwrap()
}

fn sandbox_key(h: &SandboxHandle) -> SigningKey {
    let creds = h.credentials();
    SigningKey {
        access_key: creds.access_key.clone(),
        secret_key: creds.secret_key.clone(),
    }
}

fn aksk_client(h: &SandboxHandle, project_id: Option<String>) -> Client {
    Client::new(
        endpoints(h),
        Auth::aksk(sandbox_key(h), project_id, None),
        fast_config(),
    )
    .unwrap()
}

/// Every token the sandbox issued, for checking that none is written.
fn all_tokens(h: &SandboxHandle) -> Vec<String> {
    let creds = h.credentials();
    std::iter::once(&creds.domain_token)
        .chain(creds.project_tokens.iter().map(|(_, t)| t))
        .map(|t| t.expose().to_string())
        .collect()
}

fn plan_body(edit: impl FnOnce(&mut serde_json::Value)) -> RequestBody {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut value);
    let (draft, problems) = Draft::from_plan_value(&value);
    assert!(problems.is_empty(), "{problems:?}");
    draft.request_body(&Catalog::embedded()).unwrap()
}

fn example_body() -> RequestBody {
    plan_body(|_| {})
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("state")).unwrap();
    (dir, journal)
}

fn fast_tracking(journal: &Journal) -> TrackOptions {
    TrackOptions {
        first_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(100),
        journal: Some(journal.clone()),
        ..TrackOptions::default()
    }
}

/// Runs the tracker to the end and returns every event.
async fn track_all(client: &Client, order_id: &str, options: TrackOptions) -> Vec<TrackEvent> {
    let (tx, mut rx) = mpsc::channel(8);
    let task = tokio::spawn(tracking::track(
        client.clone(),
        order_id.to_string(),
        options,
        tx,
    ));
    let mut events = Vec::new();
    while let Some(event) = rx.recv().await {
        events.push(event);
    }
    task.await.unwrap();
    events
}

fn final_status(events: &[TrackEvent]) -> Option<i32> {
    match events.last() {
        Some(TrackEvent::Finished {
            status,
            failure: None,
        }) => *status,
        other => panic!("tracking did not finish cleanly: {other:?}"),
    }
}

fn creates(h: &SandboxHandle) -> usize {
    h.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/light-instances")
        .count()
}

/// The HTTP status of each order-details request, in order (`None`: dropped).
fn details_statuses(h: &SandboxHandle) -> Vec<Option<u16>> {
    statuses_where(h, |path| {
        path.starts_with("/v2/orders/customer-orders/details/")
    })
}

/// The HTTP status of each order-list request, in order (`None`: dropped).
fn list_statuses(h: &SandboxHandle) -> Vec<Option<u16>> {
    statuses_where(h, |path| path == "/v2/orders/customer-orders")
}

fn statuses_where(h: &SandboxHandle, path_matches: impl Fn(&str) -> bool) -> Vec<Option<u16>> {
    h.requests()
        .iter()
        .filter(|r| path_matches(&r.path))
        .map(|r| r.status)
        .collect()
}

fn placed(outcome: SubmitOutcome) -> (String, Vec<String>) {
    match outcome {
        SubmitOutcome::Placed {
            order_id,
            instance_ids,
            ..
        } => (order_id, instance_ids),
        other => panic!("expected a placed order, got {other:?}"),
    }
}

#[tokio::test]
async fn token_purchase_is_placed_journaled_and_tracked_to_completed() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();

    let (order_id, instance_ids) =
        placed(purchase::submit(&client, &journal, &body, &id, &[]).await);

    let created = h.created_orders();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].client_request_id, id.as_str());
    assert_eq!(created[0].order_id, order_id);
    assert_eq!(created[0].instance_ids, instance_ids);
    assert_eq!(instance_ids.len(), 2, "the example buys two instances");
    assert_eq!(created[0].body, serde_json::to_value(&body).unwrap());

    let events = track_all(&client, &order_id, fast_tracking(&journal)).await;
    assert_eq!(final_status(&events), Some(status::COMPLETED));
    let polled: Vec<i32> = events
        .iter()
        .filter_map(|e| match e {
            TrackEvent::Polled(d) => Some(d.order_info.status),
            _ => None,
        })
        .collect();
    assert_eq!(polled.last(), Some(&status::COMPLETED));
    assert!(polled.contains(&status::PROCESSING), "{polled:?}");

    let (entries, skipped) = journal.entries().unwrap();
    assert_eq!(skipped, 0);
    assert!(
        matches!(&entries[0], Entry::Intent { client_request_id, attempt: 1, body: b, .. }
        if client_request_id == id.as_str() && **b == body)
    );
    assert!(matches!(&entries[1], Entry::Placed { order_id: o, .. } if *o == order_id));
    let statuses: Vec<i32> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Status { status, .. } => Some(*status),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [status::PROCESSING, status::COMPLETED]);
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(record.state, PurchaseState::Placed);
    assert_eq!(
        record.last_status.as_ref().map(|s| s.0),
        Some(status::COMPLETED)
    );

    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(all_tokens(&h).iter().all(|t| !text.contains(t.as_str())));
}

#[tokio::test]
async fn aksk_purchase_looks_up_the_project_and_is_placed() {
    let h = sandbox_with(&[]).await;
    let client = aksk_client(&h, None);
    assert_eq!(
        client.project_for("ap-southeast-3").await.unwrap(),
        h.credentials().project_id("ap-southeast-3").unwrap()
    );
    let (_dir, journal) = journal();
    let (order_id, _) = placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );
    let details = client.order_details(&order_id).await.unwrap();
    assert_eq!(details.order_info.order_id, order_id);
    assert_eq!(h.created_orders().len(), 1);
    // Looked up once, then remembered.
    let lookups = h
        .requests()
        .iter()
        .filter(|r| r.path == "/v3/projects")
        .count();
    assert_eq!(lookups, 1);
}

#[tokio::test]
async fn aksk_with_a_wrong_secret_is_refused_without_showing_it() {
    let h = sandbox_with(&[]).await;
    let creds = h.credentials();
    let client = Client::new(
        endpoints(&h),
        Auth::aksk(
            SigningKey {
                access_key: creds.access_key.clone(),
                secret_key: Secret::new("not-the-secret-key-0123456789"),
            },
            Some(creds.project_id("ap-southeast-3").unwrap().to_string()),
            Some(creds.account_id.clone()),
        ),
        fast_config(),
    )
    .unwrap();
    let (_dir, journal) = journal();
    match purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await
    {
        SubmitOutcome::Rejected(f) => {
            assert_eq!(f.status, Some(401));
            assert!(f.next_step.contains("access key"), "{}", f.next_step);
            assert!(!f.to_string().contains("not-the-secret-key"), "{f}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(h.created_orders().is_empty());
}

#[tokio::test]
async fn every_documented_error_code_reaches_the_user_with_a_next_step() {
    for (code, http_status, _) in codes::TABLE_8 {
        let h = sandbox_with(&[&format!("error={code}@create")]).await;
        let client = token_client(&h, fast_config());
        let (_dir, journal) = journal();
        let outcome = purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await;
        match (http_status, outcome) {
            // Throttling is waited out and the purchase goes through.
            (429, SubmitOutcome::Placed { .. }) => {
                assert_eq!(h.created_orders().len(), 1);
                assert_eq!(creates(&h), 2);
            }
            // A server error does not prove nothing was created: never
            // resent, investigated instead.
            (
                500,
                SubmitOutcome::Ambiguous {
                    reason,
                    candidates,
                    lookup_failed,
                    ..
                },
            ) => {
                assert_eq!(reason.status, Some(500));
                assert_eq!(reason.code.as_deref(), Some(code));
                assert!(candidates.is_empty());
                assert!(lookup_failed.is_none());
                assert_eq!(creates(&h), 1);
                assert!(h.created_orders().is_empty());
            }
            (400, SubmitOutcome::Rejected(f)) => {
                assert_eq!(f.status, Some(400), "{code}");
                assert_eq!(f.code.as_deref(), Some(code));
                assert!(!f.message.is_empty());
                assert!(
                    f.next_step.starts_with("Nothing was ordered"),
                    "{code}: {}",
                    f.next_step
                );
                assert_eq!(creates(&h), 1, "{code} was resent");
                assert!(h.created_orders().is_empty());
                let shown = f.to_string();
                assert!(
                    shown.contains(code) && shown.contains("HTTP 400"),
                    "{shown}"
                );
            }
            (_, other) => panic!("{code}: unexpected outcome {other:?}"),
        }
    }
}

#[tokio::test]
async fn quota_and_sold_out_say_what_to_do() {
    let h = sandbox_with(&["error=HCSS.14000011@create", "error=HCSS.14000010@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = example_body();
    let SubmitOutcome::Rejected(quota) =
        purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await
    else {
        panic!("expected a refusal");
    };
    assert!(
        quota
            .to_string()
            .contains("Lower the quantity or ask for a quota increase")
    );
    let SubmitOutcome::Rejected(sold_out) =
        purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await
    else {
        panic!("expected a refusal");
    };
    assert!(
        sold_out.to_string().contains("sold out or not offered"),
        "{sold_out}"
    );
    let records = journal.purchases().unwrap();
    assert!(
        matches!(&records[0].state, PurchaseState::Rejected(e) if e.code.as_deref() == Some("HCSS.14000010"))
    );
    assert!(
        matches!(&records[1].state, PurchaseState::Rejected(e) if e.code.as_deref() == Some("HCSS.14000011"))
    );
}

#[tokio::test]
async fn throttled_purchase_is_resent_with_the_same_id_and_placed_once() {
    let h = sandbox_with(&["429=0:3@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    placed(purchase::submit(&client, &journal, &example_body(), &id, &[]).await);
    assert_eq!(creates(&h), 4);
    let created = h.created_orders();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].client_request_id, id.as_str());
}

#[tokio::test]
async fn each_wait_a_throttled_purchase_makes_is_told_as_it_starts() {
    let h = sandbox_with(&["429=2:2@create"]).await;
    let config = ClientConfig {
        retry: RetryPolicy {
            max_retry_after: Duration::from_millis(400),
            ..fast_config().retry
        },
        ..fast_config()
    };
    let (waits_tx, mut waits) = mpsc::channel(8);
    let client = token_client(&h, config).reporting_waits(waits_tx);
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let submitting = {
        let (client, journal, id) = (client.clone(), journal.clone(), id.clone());
        tokio::spawn(
            async move { purchase::submit(&client, &journal, &example_body(), &id, &[]).await },
        )
    };

    let first = tokio::time::timeout(Duration::from_secs(5), waits.recv())
        .await
        .expect("told in time")
        .expect("a wait");
    assert!(!submitting.is_finished(), "told while the purchase waits");
    assert_eq!(first.reason.status, Some(429));
    assert_eq!(first.reason.code.as_deref(), Some(codes::TOO_MANY_REQUESTS));
    assert_eq!(first.asked, Some(Duration::from_secs(2)));
    assert_eq!(first.waiting, Duration::from_millis(400), "cut to the cap");
    assert_eq!((first.attempt, first.attempts), (2, 4));
    assert!(
        first
            .why()
            .starts_with("the service asked us to wait 2 s (HTTP 429, HCSS.14290001)"),
        "{}",
        first.why()
    );
    let second = waits.recv().await.expect("a second wait");
    assert_eq!((second.attempt, second.attempts), (3, 4));

    placed(submitting.await.unwrap());
    drop(client);
    assert_eq!(waits.recv().await, None, "two waits, no more");
    assert_eq!(creates(&h), 3);
    assert_eq!(h.created_orders().len(), 1);
}

#[tokio::test]
async fn a_purchase_whose_answer_may_be_lost_is_not_resent_so_no_wait_is_told() {
    let h = sandbox_with(&["500@create"]).await;
    let (waits_tx, mut waits) = mpsc::channel(8);
    let client = token_client(&h, fast_config()).reporting_waits(waits_tx);
    let (_dir, journal) = journal();
    let outcome = purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    assert!(
        matches!(outcome, SubmitOutcome::Ambiguous { .. }),
        "{outcome:?}"
    );
    assert_eq!(creates(&h), 1);
    drop(client);
    assert_eq!(waits.recv().await, None);
}

#[tokio::test]
async fn throttling_beyond_the_retry_budget_is_a_refusal() {
    let h = sandbox_with(&["429=0:*@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    match purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await
    {
        SubmitOutcome::Rejected(f) => {
            assert_eq!(f.status, Some(429));
            assert_eq!(f.code.as_deref(), Some(codes::TOO_MANY_REQUESTS));
            assert!(f.next_step.contains("wait a minute"), "{}", f.next_step);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(creates(&h), 4);
    assert!(h.created_orders().is_empty());
}

#[tokio::test]
async fn reads_ride_out_server_errors_until_the_budget_is_spent() {
    let h = sandbox_with(&["500:2@list", "500:*@details"]).await;
    let client = token_client(&h, fast_config());
    let list = client.list_orders(&OrderQuery::default()).await.unwrap();
    assert!(list.order_infos.is_empty());
    let failure = client.order_details("CS00000000000NOPE").await.unwrap_err();
    assert_eq!(failure.status, Some(500));
    assert!(
        failure.next_step.contains("Try again"),
        "{}",
        failure.next_step
    );
    assert_eq!(details_statuses(&h), [Some(500); 4], "four attempts in all");
    assert_eq!(list_statuses(&h), [Some(500), Some(500), Some(200)]);
}

#[tokio::test]
async fn server_errors_on_details_then_success() {
    let h = sandbox_with(&["500:2@details"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let (order_id, _) = placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );
    let details = client.order_details(&order_id).await.unwrap();
    assert_eq!(details.order_info.order_id, order_id);
    assert_eq!(details_statuses(&h), [Some(500), Some(500), Some(200)]);
}

#[tokio::test]
async fn tracking_reports_failed_polls_and_goes_on() {
    let h = sandbox_with(&["500:2@details"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let (order_id, _) = placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );
    let events = track_all(&client, &order_id, fast_tracking(&journal)).await;
    let failed: Vec<(Option<u16>, u32)> = events
        .iter()
        .filter_map(|e| match e {
            TrackEvent::PollFailed {
                failure, attempt, ..
            } => Some((failure.status, *attempt)),
            _ => None,
        })
        .collect();
    assert_eq!(failed, [(Some(500), 1), (Some(500), 2)]);
    assert_eq!(final_status(&events), Some(status::COMPLETED));
}

#[tokio::test]
async fn tracking_an_unknown_order_stops_with_the_reason() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let events = track_all(&client, "CS00000000000NOPE", fast_tracking(&journal)).await;
    // Billing may lag behind a purchase just accepted: a few polls are
    // allowed to say "no such order" before tracking believes it.
    let waited = events
        .iter()
        .filter(|e| matches!(e, TrackEvent::PollFailed { .. }))
        .count();
    assert_eq!(waited, 3, "{events:?}");
    match events.last() {
        Some(TrackEvent::Finished {
            status: None,
            failure: Some(f),
        }) => {
            assert!(f.status.is_some_and(|s| (400..500).contains(&s)), "{f}");
            assert!(f.next_step.contains("order ID"), "{}", f.next_step);
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_answer_is_ambiguous_finds_the_order_and_is_never_resent() {
    let h = sandbox_with(&["drop@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let outcome = purchase::submit(&client, &journal, &example_body(), &id, &[]).await;

    let created = h.created_orders();
    assert_eq!(created.len(), 1, "exactly one order exists");
    assert_eq!(creates(&h), 1, "the purchase was not resent");
    match outcome {
        SubmitOutcome::Ambiguous {
            client_request_id,
            reason,
            candidates,
            lookup_failed,
            ..
        } => {
            assert_eq!(client_request_id, id);
            assert_eq!(reason.status, None);
            assert!(
                reason.next_step.contains("flexus orders"),
                "{}",
                reason.next_step
            );
            assert!(lookup_failed.is_none());
            let found: Vec<&str> = candidates.iter().map(|c| c.order_id()).collect();
            assert_eq!(found, [created[0].order_id.as_str()]);
        }
        other => panic!("expected an ambiguous outcome, got {other:?}"),
    }
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(
        record.state,
        PurchaseState::Ambiguous {
            error: match &record.state {
                PurchaseState::Ambiguous { error, .. } => error.clone(),
                _ => unreachable!(),
            },
            candidates: vec![created[0].order_id.clone()],
        }
    );
}

#[tokio::test]
async fn a_second_lost_answer_is_not_confused_with_the_first_ones_order() {
    let h = sandbox_with(&["drop:2@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = example_body();
    let candidates = |outcome: SubmitOutcome| match outcome {
        SubmitOutcome::Ambiguous { candidates, .. } => candidates
            .into_iter()
            .map(|c| c.info.order_id)
            .collect::<Vec<_>>(),
        other => panic!("expected an ambiguous outcome, got {other:?}"),
    };
    let first_id = ClientRequestId::new();
    let first = candidates(purchase::submit(&client, &journal, &body, &first_id, &[]).await);
    // The same body again is a double of the first unless the user says
    // it is a separate purchase.
    let refused = purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await;
    assert!(matches!(refused, SubmitOutcome::Rejected(_)), "{refused:?}");
    let second = candidates(
        purchase::submit(
            &client,
            &journal,
            &body,
            &ClientRequestId::new(),
            &[first_id.to_string()],
        )
        .await,
    );
    let created: Vec<String> = h.created_orders().into_iter().map(|o| o.order_id).collect();
    assert_eq!(created.len(), 2);
    assert_eq!(first, [created[0].clone()]);
    // The first order was already known before the second purchase was
    // sent, so it cannot be the second one's result.
    assert_eq!(second, [created[1].clone()]);
}

#[tokio::test]
async fn resending_on_the_users_word_reuses_the_id_and_is_guarded() {
    let h = sandbox_with(&["drop@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    assert!(matches!(
        purchase::submit(&client, &journal, &body, &id, &[]).await,
        SubmitOutcome::Ambiguous { .. }
    ));

    // A second plain submit of the same purchase is refused without sending.
    assert!(matches!(
        purchase::submit(&client, &journal, &body, &id, &[]).await,
        SubmitOutcome::Rejected(_)
    ));
    // So is a resend of a different body under the same ID.
    let other = plan_body(|v| v["purchase_quantity"] = 1.into());
    assert!(matches!(
        purchase::resend(&client, &journal, &other, &id).await,
        SubmitOutcome::Rejected(_)
    ));
    assert_eq!(creates(&h), 1);

    // The order the lost answer placed is found again first: while it may
    // be this purchase's, nothing is sent.
    let found = match purchase::resend(&client, &journal, &body, &id).await {
        SubmitOutcome::Ambiguous { candidates, .. } => candidates,
        other => panic!("expected the found order, got {other:?}"),
    };
    assert_eq!(found.len(), 1);
    assert_eq!(creates(&h), 1);

    // The user's word that it is not this purchase, then to resend: the
    // same ID goes out again.
    purchase::dismiss(&journal, &id, found[0].order_id()).unwrap();
    let (order_id, _) = placed(purchase::resend(&client, &journal, &body, &id).await);
    let created = h.created_orders();
    assert_eq!(created.len(), 2);
    assert!(created.iter().all(|o| o.client_request_id == id.as_str()));
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(record.attempts, 2);
    assert_eq!(record.order_id.as_deref(), Some(order_id.as_str()));

    // Once placed, nothing more goes out under that ID.
    match purchase::resend(&client, &journal, &body, &id).await {
        SubmitOutcome::Rejected(f) => assert!(f.message.contains("already placed"), "{f}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(creates(&h), 2);
}

/// When each order-list search of the sandbox began looking (its
/// `create_time_begin`).
fn searches_from(h: &SandboxHandle) -> Vec<time::OffsetDateTime> {
    h.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/v2/orders/customer-orders")
        .map(|r| {
            let begin = r
                .query
                .split('&')
                .find_map(|pair| pair.strip_prefix("create_time_begin="))
                .expect("the search names its start");
            parse_bss_time(&percent_decode(begin)).expect("a BSS time")
        })
        .collect()
}

#[tokio::test]
async fn a_lost_resend_is_investigated_back_to_the_first_send() {
    let h = sandbox_with(&["drop@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    // The first send, ten minutes ago, by a flexus that then died: the
    // journal holds its intent and nothing more.
    let first_sent = time::OffsetDateTime::now_utc() - time::Duration::minutes(10);
    journal
        .append(&Entry::Intent {
            at: bss_time(first_sent),
            client_request_id: id.to_string(),
            endpoint: format!("{}/", h.url()),
            attempt: 1,
            body: Box::new(body.clone()),
        })
        .unwrap();

    let outcome = purchase::resend(&client, &journal, &body, &id).await;
    let SubmitOutcome::Ambiguous { sent_at, .. } = outcome else {
        panic!("expected an ambiguous outcome, got {outcome:?}");
    };
    // The first send may be the one that placed an order: the search must
    // reach back to it, and say so.
    assert_eq!(sent_at, bss_time(first_sent));
    let searches = searches_from(&h);
    assert!(!searches.is_empty());
    for begin in searches {
        assert!(
            begin <= first_sent,
            "searched from {begin}, after the first send at {first_sent}"
        );
    }
}

#[tokio::test]
async fn a_refused_resend_does_not_settle_an_earlier_lost_send() {
    // The first send is lost; the resend is refused for quota.
    let h = sandbox_with(&["drop@create", "error=HCSS.14000011@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    assert!(matches!(
        purchase::submit(&client, &journal, &body, &id, &[]).await,
        SubmitOutcome::Ambiguous { .. }
    ));
    let first_order = h.created_orders()[0].order_id.clone();

    // The user says the order found is not this purchase, and resends:
    // the refusal says nothing about the first send.
    purchase::dismiss(&journal, &id, &first_order).unwrap();
    match purchase::resend(&client, &journal, &body, &id).await {
        SubmitOutcome::Ambiguous { reason, .. } => {
            assert_eq!(reason.status, Some(400), "{reason}");
            assert!(reason.next_step.contains("earlier"), "{reason}");
        }
        other => panic!("a refused resend must leave the purchase unresolved, got {other:?}"),
    }
    let record = journal.purchase(id.as_str()).unwrap().unwrap();
    assert!(
        matches!(record.state, PurchaseState::Ambiguous { .. }),
        "the journal forgot the lost first send: {:?}",
        record.state
    );
    assert_eq!(record.attempts, 2);
    assert_eq!(h.created_orders().len(), 1);

    // It can still be resent on the user's word, with the same ID.
    let (order_id, _) = placed(purchase::resend(&client, &journal, &body, &id).await);
    assert_ne!(order_id, first_order);
    assert_eq!(h.created_orders().len(), 2);
}

/// A resend after the answer was lost looks in the order list first, and
/// an order list it cannot read stops it: nothing is sent blind.
#[tokio::test]
async fn a_resend_that_cannot_look_first_sends_nothing() {
    let h = sandbox_with(&["drop@create", "500:*@list"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    assert!(matches!(
        purchase::submit(&client, &journal, &body, &id, &[]).await,
        SubmitOutcome::Ambiguous { .. }
    ));
    match purchase::resend(&client, &journal, &body, &id).await {
        SubmitOutcome::Ambiguous { lookup_failed, .. } => assert!(lookup_failed.is_some()),
        other => panic!("expected no send, got {other:?}"),
    }
    assert_eq!(creates(&h), 1);
}

#[tokio::test]
async fn a_purchase_is_resent_only_to_the_service_it_was_first_sent_to() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    // Sent to another service (another sandbox, or the real one) by a
    // flexus that died before the answer; the same journal serves both.
    let elsewhere = "http://127.0.0.1:1/";
    journal
        .append(&Entry::Intent {
            at: bss_time(time::OffsetDateTime::now_utc()),
            client_request_id: id.to_string(),
            endpoint: elsewhere.to_string(),
            attempt: 1,
            body: Box::new(body.clone()),
        })
        .unwrap();
    match purchase::resend(&client, &journal, &body, &id).await {
        SubmitOutcome::Rejected(f) => {
            assert!(f.message.contains(elsewhere), "{f}");
            assert!(f.message.contains("nothing was sent"), "{f}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(creates(&h), 0);
    assert_eq!(
        journal.purchase(id.as_str()).unwrap().unwrap().state,
        PurchaseState::Unanswered
    );
}

#[tokio::test]
async fn a_slow_answer_times_out_into_an_investigation_not_a_resend() {
    let h = sandbox_with(&["slow=1500@create"]).await;
    let mut config = fast_config();
    config.request_timeout = Duration::from_millis(500);
    config.ambiguity_lookup = LookupOptions {
        checks: 4,
        interval: Duration::from_millis(600),
    };
    let client = token_client(&h, config);
    let (_dir, journal) = journal();
    let outcome = purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    let SubmitOutcome::Ambiguous {
        reason, candidates, ..
    } = outcome
    else {
        panic!("expected an ambiguous outcome, got {outcome:?}");
    };
    assert!(reason.message.contains("no answer"), "{reason}");
    assert_eq!(creates(&h), 1, "never resent");
    // Whether the service went on with the request after the client gave
    // up is its business; the investigation must report exactly what exists.
    let created: Vec<String> = h.created_orders().into_iter().map(|o| o.order_id).collect();
    assert!(created.len() <= 1, "{created:?}");
    let found: Vec<String> = candidates.into_iter().map(|c| c.info.order_id).collect();
    assert_eq!(found, created);
}

#[tokio::test]
async fn nothing_listening_means_nothing_sent() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::new(
        Endpoints::all_at(&format!("http://127.0.0.1:{port}")).unwrap(),
        Auth::Tokens {
            purchase: Some(Secret::new("token-that-goes-nowhere")),
            billing: Some(Secret::new("billing-token-that-goes-nowhere")),
        },
        fast_config(),
    )
    .unwrap();
    let (_dir, journal) = journal();
    match purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await
    {
        SubmitOutcome::Rejected(f) => {
            assert_eq!(f.status, None);
            assert!(f.message.contains("could not connect"), "{f}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(matches!(
        journal.purchases().unwrap()[0].state,
        PurchaseState::Rejected(_)
    ));
}

#[tokio::test]
async fn pending_payment_shows_its_deadline_then_pay_completes_it() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = plan_body(|v| v["is_auto_pay"] = false.into());
    let (order_id, _) =
        placed(purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await);

    // The tracker reports pending payment with its deadline and keeps
    // polling; the front end stops it by dropping the receiver.
    let (tx, mut rx) = mpsc::channel(8);
    let task = tokio::spawn(tracking::track(
        client.clone(),
        order_id.clone(),
        fast_tracking(&journal),
        tx,
    ));
    let first = loop {
        match rx.recv().await.expect("an event") {
            TrackEvent::Polled(d) => break d,
            _ => continue,
        }
    };
    assert_eq!(first.order_info.status, status::PENDING_PAYMENT);
    let deadline = first
        .order_info
        .pending_payment_end_time
        .clone()
        .expect("a deadline");
    assert!(
        flexus::api::journal::parse_utc(&deadline).is_some(),
        "{deadline}"
    );
    drop(rx);
    assert_eq!(task.await.unwrap(), None);

    client.pay_order(&order_id).await.unwrap();
    let events = track_all(&client, &order_id, fast_tracking(&journal)).await;
    assert_eq!(final_status(&events), Some(status::COMPLETED));
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(
        record.last_status.as_ref().map(|s| s.0),
        Some(status::COMPLETED)
    );

    // Paying again is refused by BSS, in words.
    let again = client.pay_order(&order_id).await.unwrap_err();
    assert!(
        again.status.is_some_and(|s| (400..500).contains(&s)),
        "{again}"
    );
}

/// The next event of `rx` that is a poll's answer or the announced wait,
/// skipping none: the schedule is what these tests read.
async fn next_schedule_event(rx: &mut mpsc::Receiver<TrackEvent>) -> TrackEvent {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("the tracker goes on")
        .expect("an event")
}

#[tokio::test]
async fn waiting_for_payment_slows_the_checks_to_their_cap_and_paying_quickens_them() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = plan_body(|v| v["is_auto_pay"] = false.into());
    let (order_id, _) =
        placed(purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await);
    let ms = Duration::from_millis;
    let options = TrackOptions {
        first_interval: ms(10),
        max_interval: ms(40),
        pending_payment_max_interval: ms(120),
        growth: 2.0,
        ..fast_tracking(&journal)
    };
    let (tx, mut rx) = mpsc::channel(8);
    let task = tokio::spawn(tracking::track(
        client.clone(),
        order_id.clone(),
        options,
        tx,
    ));

    // Past the in-progress cap of 40 ms, up to the pending one, and there.
    let mut waits = Vec::new();
    while waits.len() < 7 {
        match next_schedule_event(&mut rx).await {
            TrackEvent::Polled(d) => assert_eq!(d.order_info.status, status::PENDING_PAYMENT),
            TrackEvent::NextPollIn(after) => waits.push(after),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        waits,
        [ms(10), ms(20), ms(40), ms(80), ms(120), ms(120), ms(120)]
    );

    // Once the order moves on, the first pace again, under the usual cap.
    client.pay_order(&order_id).await.unwrap();
    let mut seen = None;
    let mut after_the_change = Vec::new();
    loop {
        match next_schedule_event(&mut rx).await {
            TrackEvent::Polled(d) => seen = Some(d.order_info.status),
            TrackEvent::NextPollIn(after) if seen != Some(status::PENDING_PAYMENT) => {
                after_the_change.push(after);
            }
            TrackEvent::NextPollIn(_) => {}
            TrackEvent::Finished { status, .. } => {
                assert_eq!(status, Some(status::COMPLETED));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        after_the_change.first(),
        Some(&ms(10)),
        "{after_the_change:?}"
    );
    assert!(
        after_the_change.iter().all(|wait| *wait <= ms(40)),
        "{after_the_change:?}"
    );
    task.await.unwrap();
}

#[tokio::test]
async fn a_check_asked_for_does_not_cut_short_a_wait_the_service_asked_for() {
    // The first status check is answered 429 with Retry-After: 2.
    let h = sandbox_with(&["429=2:1@details"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let order_id = pending_order(&client, &journal).await;
    let check_now = tracking::CheckNow::default();
    let options = TrackOptions {
        first_interval: Duration::from_millis(10),
        check_now: Some(check_now.clone()),
        ..fast_tracking(&journal)
    };
    let (tx, mut rx) = mpsc::channel(8);
    let task = tokio::spawn(tracking::track(client.clone(), order_id, options, tx));
    let asked_at = loop {
        if let TrackEvent::PollFailed { retry_in, .. } = next_schedule_event(&mut rx).await {
            assert_eq!(retry_in, Duration::from_secs(2));
            check_now.ask();
            break std::time::Instant::now();
        }
    };
    loop {
        if let TrackEvent::Polled(_) = next_schedule_event(&mut rx).await {
            break;
        }
    }
    assert!(
        asked_at.elapsed() >= Duration::from_millis(1900),
        "checked again after {:?}, inside the service's Retry-After",
        asked_at.elapsed()
    );
    drop(rx);
    task.await.unwrap();
}

#[tokio::test]
async fn a_check_asked_for_cuts_a_long_wait_for_payment_short() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = plan_body(|v| v["is_auto_pay"] = false.into());
    let (order_id, _) =
        placed(purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await);
    let check_now = tracking::CheckNow::default();
    let options = TrackOptions {
        first_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(40),
        pending_payment_max_interval: Duration::from_secs(600),
        // 10 ms, then 10 minutes: the wait to cut short comes at once.
        growth: 60_000.0,
        check_now: Some(check_now.clone()),
        ..fast_tracking(&journal)
    };
    let (tx, mut rx) = mpsc::channel(8);
    let task = tokio::spawn(tracking::track(
        client.clone(),
        order_id.clone(),
        options,
        tx,
    ));
    loop {
        if let TrackEvent::NextPollIn(after) = next_schedule_event(&mut rx).await
            && after >= Duration::from_secs(600)
        {
            break;
        }
    }

    client.pay_order(&order_id).await.unwrap();
    check_now.ask();
    // Well before the ten minutes are up: `next_schedule_event` gives up
    // after ten seconds.
    let status = loop {
        if let TrackEvent::Polled(d) = next_schedule_event(&mut rx).await {
            break d.order_info.status;
        }
    };
    assert_ne!(status, status::PENDING_PAYMENT);
    drop(rx);
    task.await.unwrap();
}

#[tokio::test]
async fn a_pending_order_can_be_cancelled() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let body = plan_body(|v| v["is_auto_pay"] = false.into());
    let (order_id, _) =
        placed(purchase::submit(&client, &journal, &body, &ClientRequestId::new(), &[]).await);
    client.cancel_order(&order_id).await.unwrap();
    let events = track_all(&client, &order_id, fast_tracking(&journal)).await;
    assert_eq!(final_status(&events), Some(status::CANCELLED));
}

#[tokio::test]
async fn list_orders_filters_by_time_window() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let (order_id, _) = placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );
    let now = time::OffsetDateTime::now_utc();
    let window = |from: time::Duration, to: time::Duration| OrderQuery {
        create_time_begin: Some(flexus::api::wire::bss_time(now + from)),
        create_time_end: Some(flexus::api::wire::bss_time(now + to)),
        order_by: Some("-createTime".into()),
        ..OrderQuery::default()
    };
    let around = client
        .list_orders(&window(
            time::Duration::minutes(-1),
            time::Duration::minutes(1),
        ))
        .await
        .unwrap();
    let ids: Vec<&str> = around
        .order_infos
        .iter()
        .map(|o| o.order_id.as_str())
        .collect();
    assert_eq!(ids, [order_id.as_str()]);
    let yesterday = client
        .list_orders(&window(time::Duration::days(-2), time::Duration::days(-1)))
        .await
        .unwrap();
    assert!(yesterday.order_infos.is_empty());
}

#[tokio::test]
async fn password_login_yields_a_token_that_places_orders() {
    let h = sandbox_with(&[]).await;
    let creds = h.credentials().clone();
    let anonymous = Client::unauthenticated(endpoints(&h), fast_config()).unwrap();
    let token = anonymous
        .login_with_password(&PasswordLogin {
            user: creds.user.clone(),
            password: creds.password.clone(),
            account: creds.account.clone(),
            mfa: None,
        })
        .await
        .unwrap();
    let client = anonymous.with_auth(Auth::SignedIn {
        domain_token: token,
    });
    let (_dir, journal) = journal();
    placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );

    let wrong = anonymous
        .login_with_password(&PasswordLogin {
            user: creds.user.clone(),
            password: Secret::new("Wrong-Password-123"),
            account: creds.account.clone(),
            mfa: Some(MfaCode {
                user_id: creds.user_id.clone(),
                passcode: Secret::new("000000"),
            }),
        })
        .await
        .unwrap_err();
    assert_eq!(wrong.status, Some(401));
    assert!(wrong.next_step.contains("password"), "{}", wrong.next_step);
    assert!(!wrong.to_string().contains("Wrong-Password-123"));
}

#[tokio::test]
async fn a_crash_between_intent_and_outcome_leaves_the_intent() {
    let h = sandbox_with(&["slow=3000@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    // Abandon the submission while the request is in flight, as a crash
    // would: the future is dropped with no outcome written.
    let abandoned = tokio::time::timeout(
        Duration::from_millis(500),
        purchase::submit(&client, &journal, &body, &id, &[]),
    )
    .await;
    assert!(abandoned.is_err());

    let (entries, _) = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert!(
        matches!(&entries[0], Entry::Intent { client_request_id, body: b, .. }
        if client_request_id == id.as_str() && **b == body)
    );
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(record.state, PurchaseState::Unanswered);
    assert_eq!(record.endpoint, format!("{}/", h.url()));
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(all_tokens(&h).iter().all(|t| !text.contains(t.as_str())));
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let h = sandbox_with(&[]).await;
    let client = Client::new(
        endpoints(&h),
        Auth::Tokens {
            purchase: Some(Secret::new("MIIfake-token-that-must-not-leak")),
            billing: Some(Secret::new("MIIfake-billing-token-not-to-leak")),
        },
        fast_config(),
    )
    .unwrap();
    assert!(!format!("{client:?}").contains("must-not-leak"));
    let (_dir, journal) = journal();
    let outcome = purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    let SubmitOutcome::Rejected(f) = outcome else {
        panic!("expected a refusal, got {outcome:?}");
    };
    assert_eq!(f.status, Some(401));
    for shown in [f.to_string(), format!("{f:?}")] {
        assert!(!shown.contains("must-not-leak"), "{shown}");
    }
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(!text.contains("must-not-leak"));
}

#[tokio::test]
async fn login_protection_needs_the_mfa_code() {
    let config = SandboxConfig {
        require_mfa: true,
        ..SandboxConfig::default()
    };
    let h = sandbox::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .unwrap();
    let creds = h.credentials().clone();
    let anonymous = Client::unauthenticated(endpoints(&h), fast_config()).unwrap();
    let login = |mfa: Option<MfaCode>| PasswordLogin {
        user: creds.user.clone(),
        password: creds.password.clone(),
        account: creds.account.clone(),
        mfa,
    };
    let refused = anonymous
        .login_with_password(&login(None))
        .await
        .unwrap_err();
    assert_eq!(refused.status, Some(401));
    assert!(
        refused.next_step.contains("MFA code"),
        "{}",
        refused.next_step
    );
    let token = anonymous
        .login_with_password(&login(Some(MfaCode {
            user_id: creds.user_id.clone(),
            passcode: Secret::new(sandbox::SANDBOX_MFA_PASSCODE),
        })))
        .await
        .unwrap();
    // Scoped to the domain: billing takes it as it is.
    let client = anonymous.with_auth(Auth::SignedIn {
        domain_token: token,
    });
    client.check_sign_in().await.unwrap();
}

#[tokio::test]
async fn an_order_claimed_after_a_lost_answer_counts_as_placed_and_is_never_resent() {
    let h = sandbox_with(&["drop@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let body = example_body();
    let outcome = purchase::submit(&client, &journal, &body, &id, &[]).await;
    assert!(matches!(outcome, SubmitOutcome::Ambiguous { .. }));
    let order_id = h.created_orders()[0].order_id.clone();

    // Through the engine's one door for actions, as both front ends do.
    let claim = OrderAction::Claim {
        request_id: id.clone(),
        order_id: OrderId::parse(&order_id).unwrap(),
    };
    purchase::act(&client, &journal, &claim).await.unwrap();
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(record.state, PurchaseState::Placed);
    assert_eq!(record.order_id.as_deref(), Some(order_id.as_str()));

    let again = purchase::resend(&client, &journal, &body, &id).await;
    assert!(matches!(again, SubmitOutcome::Rejected(_)), "{again:?}");
    assert_eq!(h.created_orders().len(), 1, "nothing was sent again");
}

/// An order placed through the engine that waits for payment; its ID.
async fn pending_order(client: &Client, journal: &Journal) -> String {
    let mut body = example_body();
    body.is_auto_pay = false;
    let outcome = purchase::submit(client, journal, &body, &ClientRequestId::new(), &[]).await;
    let SubmitOutcome::Placed { order_id, .. } = outcome else {
        panic!("placed: {outcome:?}")
    };
    order_id
}

#[tokio::test]
async fn a_payment_through_the_engine_is_journaled_paid_or_failed() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let order_id = pending_order(&client, &journal).await;
    let pay = OrderAction::Pay {
        order_id: OrderId::parse(&order_id).unwrap(),
    };
    purchase::act(&client, &journal, &pay).await.unwrap();
    // Paying twice: the service refuses, and the refusal is journaled too.
    let again = purchase::act(&client, &journal, &pay).await;
    assert!(again.is_err(), "{again:?}");
    let payments: Vec<_> = journal
        .entries()
        .unwrap()
        .0
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Payment {
                order_id: paid,
                failed,
                ..
            } => Some((paid, failed.is_some())),
            _ => None,
        })
        .collect();
    assert_eq!(payments, vec![(order_id.clone(), false), (order_id, true)]);
}

#[tokio::test]
async fn a_cancellation_through_the_engine_is_journaled_and_a_second_one_refused_in_the_services_words()
 {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let order_id = pending_order(&client, &journal).await;
    let cancel = OrderAction::Cancel {
        order_id: OrderId::parse(&order_id).unwrap(),
    };
    purchase::act(&client, &journal, &cancel).await.unwrap();
    let details = client.order_details(&order_id).await.unwrap();
    assert_eq!(details.order_info.status, status::CANCELLED);
    // No longer cancellable: the service says why, and flexus passes it on.
    let again = purchase::act(&client, &journal, &cancel).await.unwrap_err();
    assert!(again.code.is_some(), "{again:?}");
    let cancellations: Vec<_> = journal
        .entries()
        .unwrap()
        .0
        .into_iter()
        .filter_map(|entry| match entry {
            Entry::Cancellation {
                order_id: cancelled,
                failed,
                ..
            } => Some((cancelled, failed.map(|f| f.message))),
            _ => None,
        })
        .collect();
    assert_eq!(
        cancellations,
        vec![(order_id.clone(), None), (order_id, Some(again.message))]
    );
}

#[tokio::test]
async fn a_huge_purchase_answer_is_ambiguous_looked_up_and_never_resent() {
    // 20 MiB of whitespace before a valid answer: without the cap the order
    // would simply be "placed" after reading it all.
    let h = sandbox_with(&["huge=20@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let outcome = purchase::submit(&client, &journal, &example_body(), &id, &[]).await;

    let created = h.created_orders();
    assert_eq!(created.len(), 1, "the order was created");
    assert_eq!(creates(&h), 1, "the purchase was not resent");
    match outcome {
        SubmitOutcome::Ambiguous {
            reason, candidates, ..
        } => {
            assert!(
                reason.message.contains("more than 1024 KiB"),
                "{}",
                reason.message
            );
            assert_eq!(reason.status, Some(202));
            let found: Vec<&str> = candidates.iter().map(|c| c.order_id()).collect();
            assert_eq!(found, [created[0].order_id.as_str()]);
        }
        other => panic!("expected an ambiguous outcome, got {other:?}"),
    }
    assert!(matches!(
        journal.purchases().unwrap()[0].state,
        PurchaseState::Ambiguous { .. }
    ));
}

#[tokio::test]
async fn a_huge_read_answer_is_a_clear_failure_and_is_not_asked_again() {
    let h = sandbox_with(&["huge=5:*@details"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let (order_id, _) = placed(
        purchase::submit(
            &client,
            &journal,
            &example_body(),
            &ClientRequestId::new(),
            &[],
        )
        .await,
    );
    let failure = client.order_details(&order_id).await.unwrap_err();
    assert!(failure.message.contains("stopped reading"), "{failure}");
    assert!(failure.next_step.contains("endpoint"), "{failure}");
    assert_eq!(
        details_statuses(&h).len(),
        1,
        "a huge answer is not retried"
    );
}

#[tokio::test]
async fn a_malformed_order_id_in_the_purchase_answer_is_ambiguous_and_not_journaled() {
    let h = sandbox_with(&["badid@create"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let id = ClientRequestId::new();
    let outcome = purchase::submit(&client, &journal, &example_body(), &id, &[]).await;

    let created = h.created_orders();
    assert_eq!(created.len(), 1);
    assert_eq!(creates(&h), 1, "the purchase was not resent");
    match &outcome {
        SubmitOutcome::Ambiguous {
            reason, candidates, ..
        } => {
            assert!(reason.message.contains("order ID"), "{}", reason.message);
            assert!(!reason.message.contains(".."), "{}", reason.message);
            assert_eq!(candidates[0].info.order_id, created[0].order_id);
        }
        other => panic!("expected an ambiguous outcome, got {other:?}"),
    }
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(!text.contains("\"..\""), "{text}");
    let record = &journal.purchases().unwrap()[0];
    assert_eq!(record.order_id, None);
    assert!(matches!(record.state, PurchaseState::Ambiguous { .. }));
}

#[tokio::test]
async fn orders_with_malformed_ids_are_left_out_of_lists_and_details() {
    let h = sandbox_with(&["drop@create", "badid:*@list", "badid@details"]).await;
    let client = token_client(&h, fast_config());
    let (_dir, journal) = journal();
    let outcome = purchase::submit(
        &client,
        &journal,
        &example_body(),
        &ClientRequestId::new(),
        &[],
    )
    .await;
    match outcome {
        SubmitOutcome::Ambiguous {
            candidates,
            lookup_failed,
            ..
        } => {
            assert!(candidates.is_empty(), "{candidates:?}");
            let note = lookup_failed.expect("the left-out order is mentioned");
            assert!(note.message.contains("not shown"), "{note}");
        }
        other => panic!("expected an ambiguous outcome, got {other:?}"),
    }
    let order_id = h.created_orders()[0].order_id.clone();
    let failure = client.order_details(&order_id).await.unwrap_err();
    assert!(failure.message.contains("its order ID"), "{failure}");
}

#[tokio::test]
async fn a_malformed_order_id_never_reaches_the_network() {
    let h = sandbox_with(&[]).await;
    let client = token_client(&h, fast_config());
    for bad in [
        "..",
        ".",
        "CS1/../../pay",
        "\u{1b}[2J",
        "",
        &"C".repeat(501),
    ] {
        let failure = client.order_details(bad).await.unwrap_err();
        assert!(failure.message.contains("nothing was sent"), "{failure}");
        assert!(client.pay_order(bad).await.is_err());
        assert!(client.cancel_order(bad).await.is_err());
    }
    assert!(h.requests().is_empty(), "{:?}", h.requests());
}
