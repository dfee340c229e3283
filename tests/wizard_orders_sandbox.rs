//! The wizard's own service on its in-process sandbox (`flexus --sandbox`):
//! the orders view lists this session's purchases, never those sent to the
//! sandboxes of earlier runs, which died with their wizards.

use std::sync::Arc;

use flexus::api::client::ClientConfig;
use flexus::api::endpoints::Endpoints;
use flexus::api::engine::SubmitOutcome;
use flexus::api::purchase::ClientRequestId;
use flexus::api::tracking::TrackOptions;
use flexus::domain::catalog::Catalog;
use flexus::domain::order::Draft;
use flexus::domain::pricing::PriceTable;
use flexus::tui::live::LiveConnector;
use flexus::tui::service::{Connector, OrderService, SignIn};

fn connector(journal_dir: &std::path::Path) -> LiveConnector {
    LiveConnector {
        endpoints: Endpoints::international("ap-southeast-3"),
        config: ClientConfig::default(),
        track: TrackOptions::default(),
        journal_dir: journal_dir.to_path_buf(),
        token_file: None,
        bss_token_file: None,
        catalog: Catalog::embedded(),
        prices: PriceTable::embedded(),
    }
}

async fn signed_in(journal_dir: &std::path::Path) -> Arc<dyn OrderService> {
    match connector(journal_dir).connect(SignIn::Sandbox).await {
        Ok(service) => service,
        Err(failure) => panic!("the in-process sandbox signs in: {failure}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_process_sandbox_lists_only_this_sessions_purchases() {
    let journal_dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::embedded();
    let plan = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    let (draft, problems) = Draft::from_plan_checked(&plan, &catalog);
    assert!(problems.is_empty(), "{problems:?}");
    let body = draft.request_body(&catalog).unwrap();

    let first = signed_in(journal_dir.path()).await;
    let (waits, _) = tokio::sync::mpsc::channel(8);
    let id = ClientRequestId::parse("0b5e2a8c-4f7e-4d52-9a3e-6f1c2d3e4a5b").unwrap();
    let outcome = first.submit(body, id, Vec::new(), waits).await;
    let SubmitOutcome::Placed { order_id, .. } = outcome else {
        panic!("placed: {outcome:?}");
    };
    let listed = first.journal_purchases().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].order_id.as_deref(), Some(order_id.as_str()));
    let page = first.list_orders(0, 20).await.unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.orders[0].order_id, order_id);
    assert_eq!(page.line_items.len(), 1, "its details were read");
    drop(first);

    // The next run's sandbox is new: its journal still holds the purchase,
    // but nothing could follow it, so the view does not list it.
    let second = signed_in(journal_dir.path()).await;
    assert!(second.journal_purchases().await.unwrap().is_empty());
    assert_eq!(second.list_orders(0, 20).await.unwrap().total, 0);
}
