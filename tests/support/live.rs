//! States of the wizard's live side (the status pane, the orders view, the
//! questions over them), reached the way a person reaches them: shared by
//! the screens' tests in each language.

use std::time::Duration;

use crossterm::event::KeyCode;

use flexus::api::engine::{ApiFailure, SubmitOutcome};
use flexus::api::journal::{PurchaseRecord, PurchaseState};
use flexus::api::purchase::FoundOrder;
use flexus::api::wire::{OrderLineItem, status};
use flexus::tui::app::App;
use flexus::tui::msg::{Effect, Msg};
use flexus::tui::service::{OrdersPage, Start};
use flexus::tui::theme::Theme;
use flexus::tui::update::update;

use super::*;

/// AP-Singapore and Ubuntu 22.04 chosen, then Ctrl-C: the question says
/// what is kept.
pub fn quitting_half_made() -> App {
    let (mut app, _) = signed_in_app();
    down(&mut app, 1);
    enter(&mut app);
    type_text(&mut app, "ubuntu");
    enter(&mut app);
    enter(&mut app);
    ctrl(&mut app, 'c');
    app
}

/// The next start after `quitting_half_made` said yes.
pub fn offered_to_continue() -> App {
    let mut app = quitting_half_made();
    let effects = press(&mut app, KeyCode::Char('y'));
    let Some(Effect::KeepDraft { contents }) = effects.first() else {
        panic!("{effects:?}")
    };
    let kept = flexus::tui::kept::KeptDraft::from_json(contents).unwrap();
    let mut options = flexus::tui::Options {
        catalog: flexus::domain::catalog::Catalog::embedded(),
        prices: flexus::domain::pricing::PriceTable::embedded(),
        theme: Theme::new(true, true),
        plan: None,
        mouse: false,
        first_frame_exit: false,
        reattach: true,
        kept_file: None,
        kept_found: flexus::tui::kept::Found::Draft(kept),
        profile: None,
    };
    let (app, _) =
        flexus::tui::runtime::prepare(&mut options, &Start::Connected(FakeService::new()));
    app
}

/// Sent, and placed a second later with one instance.
pub fn placed(app: &mut App) {
    let request_id = submitted(app);
    advance(app, Duration::from_secs(1));
    answer_placed(app, request_id, vec!["65dea8d23005da564c78d9d2".into()]);
}

/// Sent, and its answer lost; the look in the order list found the first
/// `candidates` of two orders, or failed.
pub fn lost(app: &mut App, candidates: usize, lookup_failed: bool) {
    let request_id = submitted(app);
    let mut second = order_info(status::PROCESSING);
    second.order_id = "CS26011509301WXYZ".into();
    second.create_time = Some("2026-01-15T09:30:40Z".into());
    update(
        app,
        Msg::Submitted {
            request_id: request_id.clone(),
            outcome: SubmitOutcome::Ambiguous {
                client_request_id: request_id,
                sent_at: "2026-01-15T09:30:00Z".into(),
                reason: failure(
                    None,
                    None,
                    "the connection was reset before the answer arrived",
                    "",
                ),
                candidates: [order_info(status::PENDING_PAYMENT), second]
                    .into_iter()
                    .take(candidates)
                    .map(|info| FoundOrder {
                        info,
                        line_items: Vec::new(),
                    })
                    .collect(),
                lookup_failed: lookup_failed.then(|| {
                    failure(
                        Some(503),
                        None,
                        "the order list is unavailable",
                        "try later",
                    )
                }),
            },
        },
    );
}

/// A journal with an order placed from here (pending payment) and a
/// purchase whose answer never came.
pub fn journal_purchases(app: &App) -> Vec<PurchaseRecord> {
    let body = app.draft.request_body(&app.catalog).unwrap();
    let mut placed = record(EARLIER_ID, body.clone(), PurchaseState::Placed);
    placed.last_status = Some((status::PENDING_PAYMENT, "2026-01-15T09:10:05Z".to_string()));
    let mut bigger = body;
    bigger.purchase_quantity = 3;
    let mut unanswered = record(OTHER_ID, bigger, PurchaseState::Unanswered);
    unanswered.first_sent_at = "2026-01-15T09:20:00Z".to_string();
    vec![unanswered, placed]
}

/// The account's first page of orders: the journal's pending one, one
/// completed elsewhere, one cancelled; 23 in all.
pub fn account_orders_page() -> Result<OrdersPage, ApiFailure> {
    let listed = vec![
        // The journal's pending order, as BSS lists it, with its amount.
        account_order(
            ORDER_ID,
            status::PENDING_PAYMENT,
            "2026-01-15T09:10:01Z",
            19.0,
        ),
        account_order(
            "CS2601140800WXYZ",
            status::COMPLETED,
            "2026-01-14T08:00:00Z",
            7.5,
        ),
        account_order(
            "CS2601020700QRST",
            status::CANCELLED,
            "2026-01-02T07:00:00Z",
            38.0,
        ),
    ];
    Ok(OrdersPage {
        total: 23,
        orders: listed,
        left_out: 0,
        // What the completed order from elsewhere bought, from its
        // details.
        line_items: vec![(
            "CS2601140800WXYZ".to_string(),
            vec![OrderLineItem {
                product_spec_desc: Some("hf.small.1.30m.linux".to_string()),
                subscription_num: Some(2),
                ..Default::default()
            }],
        )],
    })
}
