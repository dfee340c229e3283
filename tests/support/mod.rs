//! Shared by the wizard's tests: a fake order service (test code only; the
//! shipped binary never contains it) and helpers to drive `update` with keys
//! and draw frames on a `TestBackend`.
#![allow(dead_code)]

pub mod live;
pub mod pty;
pub mod world;

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use futures::future::BoxFuture;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use time::macros::datetime;
use tokio::sync::mpsc::Sender;

use flexus::api::engine::{ApiFailure, RetryWait, SubmitOutcome, TrackEvent};
use flexus::api::ids::OrderId;
use flexus::api::journal::{PurchaseRecord, PurchaseState};
use flexus::api::purchase::FoundOrder;
use flexus::api::purchase::{ClientRequestId, OrderAction};
use flexus::api::tracking::CheckNow;
use flexus::api::wire::OrderLineItem;
use flexus::api::wire::{OrderDetails, OrderInfo, status};
use flexus::domain::catalog::Catalog;
use flexus::domain::order::RequestBody;
use flexus::domain::pricing::PriceTable;
use flexus::secret::Secret;
use flexus::tui::app::{App, Clock, Overlay};
use flexus::tui::msg::{Effect, Msg};
use flexus::tui::screens::dialogs::Confirmed;
use flexus::tui::service::{
    AtStart, Connector, Earlier, Lookup, OrderService, OrdersPage, SignIn, Start,
};
use flexus::tui::theme::Theme;
use flexus::tui::update::update;
use flexus::tui::view;

pub const ORDER_ID: &str = "CS26011509300ABCD";

pub fn failure(status: Option<u16>, code: Option<&str>, message: &str, next: &str) -> ApiFailure {
    ApiFailure {
        status,
        code: code.map(str::to_string),
        ..ApiFailure::local(message, next)
    }
}

pub fn order_info(status: i32) -> OrderInfo {
    OrderInfo {
        order_id: ORDER_ID.to_string(),
        status,
        amount_after_discount: Some(19.0),
        official_amount: Some(19.0),
        measure_id: Some(1),
        currency: Some("USD".to_string()),
        create_time: Some("2026-01-15T09:30:01Z".to_string()),
        pending_payment_end_time: (status == status::PENDING_PAYMENT)
            .then(|| "2026-01-22T09:30:01Z".to_string()),
        ..OrderInfo::default()
    }
}

pub fn polled(status: i32) -> TrackEvent {
    TrackEvent::Polled(Box::new(OrderDetails {
        total_count: 1,
        order_info: order_info(status),
        order_line_items: Vec::new(),
    }))
}

/// A pretend Huawei Cloud: places orders, tracks them through pending
/// payment (unless auto-paid), processing and completed, and drops the
/// network once on the way so the retry shows.
pub struct FakeService {
    pub state: Arc<FakeState>,
}

pub struct FakeState {
    pub submitted: Mutex<Vec<(RequestBody, String)>>,
    /// The `separate_from` of each submission, in order.
    pub separate_from: Mutex<Vec<Vec<String>>>,
    /// What the journal holds of earlier purchases (default: nothing).
    pub earlier: Mutex<Earlier>,
    /// The journal's unfinished purchases, for reopening at the start.
    pub unfinished: Mutex<Vec<PurchaseRecord>>,
    /// The journal's newest purchase, whose choices a new order starts from.
    pub last_order: Mutex<Option<Box<PurchaseRecord>>>,
    /// What looking again finds.
    pub lookup: Mutex<Lookup>,
    /// (Client-Request-Id, order ID) the user dismissed after a lost answer.
    pub dismissals: Mutex<Vec<(String, String)>>,
    /// The next submission's outcome, instead of a placed order.
    pub outcome: Mutex<Option<SubmitOutcome>>,
    /// (Client-Request-Id, order ID) the user claimed after a lost answer.
    pub claims: Mutex<Vec<(String, String)>>,
    /// Every purchase the journal holds, for the orders view.
    pub journal: Mutex<Vec<PurchaseRecord>>,
    /// The account's orders BSS lists, newest first, or its refusal.
    pub account_orders: Mutex<Result<Vec<OrderInfo>, ApiFailure>>,
    paid: AtomicBool,
    cancelled: AtomicBool,
    polls: AtomicU32,
    poll_every: Duration,
}

impl FakeService {
    pub fn new() -> Arc<FakeService> {
        Arc::new(FakeService {
            state: Arc::new(FakeState {
                submitted: Mutex::new(Vec::new()),
                separate_from: Mutex::new(Vec::new()),
                earlier: Mutex::new(Earlier::default()),
                unfinished: Mutex::new(Vec::new()),
                last_order: Mutex::new(None),
                lookup: Mutex::new(Lookup::default()),
                dismissals: Mutex::new(Vec::new()),
                outcome: Mutex::new(None),
                claims: Mutex::new(Vec::new()),
                journal: Mutex::new(Vec::new()),
                account_orders: Mutex::new(Ok(Vec::new())),
                paid: AtomicBool::new(false),
                cancelled: AtomicBool::new(false),
                polls: AtomicU32::new(0),
                poll_every: Duration::from_secs(3),
            }),
        })
    }
}

impl OrderService for FakeService {
    fn resend(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome> {
        self.submit(body, client_request_id, Vec::new(), waits)
    }

    fn submit(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        separate_from: Vec<String>,
        _waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome> {
        self.state.separate_from.lock().unwrap().push(separate_from);
        // Lets the terminal tests see what a bug in an effect task does.
        if std::env::var_os("FLEXUS_TRY_PANIC").is_some() {
            panic!("a deliberate bug in the fake order service");
        }
        let state = self.state.clone();
        if body.is_auto_pay {
            state.paid.store(true, Ordering::SeqCst);
        }
        state
            .submitted
            .lock()
            .unwrap()
            .push((body.clone(), client_request_id.to_string()));
        let scripted = state.outcome.lock().unwrap().take();
        let quantity = body.purchase_quantity;
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(800)).await;
            scripted.unwrap_or_else(|| SubmitOutcome::Placed {
                order_id: ORDER_ID.to_string(),
                instance_ids: (1..=quantity)
                    .map(|i| format!("65dea8d23005da564c78d9d{i}"))
                    .collect(),
                unrecorded: None,
            })
        })
    }

    fn track(
        &self,
        _order_id: String,
        events: Sender<TrackEvent>,
        _check_now: CheckNow,
    ) -> BoxFuture<'static, ()> {
        let state = self.state.clone();
        Box::pin(async move {
            let mut processing_polls = 0;
            loop {
                tokio::time::sleep(Duration::from_millis(300)).await;
                let n = state.polls.fetch_add(1, Ordering::SeqCst) + 1;
                if n == 2 {
                    let failed = TrackEvent::PollFailed {
                        failure: failure(None, None, "connection reset by peer", "retrying"),
                        attempt: 1,
                        retry_in: Duration::from_secs(2),
                    };
                    if events.send(failed).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                let code = if state.cancelled.load(Ordering::SeqCst) {
                    status::CANCELLED
                } else if !state.paid.load(Ordering::SeqCst) {
                    status::PENDING_PAYMENT
                } else if processing_polls < 1 {
                    processing_polls += 1;
                    status::PROCESSING
                } else {
                    status::COMPLETED
                };
                if events.send(polled(code)).await.is_err() {
                    return;
                }
                if status::is_final(code) {
                    let _ = events
                        .send(TrackEvent::Finished {
                            status: Some(code),
                            failure: None,
                        })
                        .await;
                    return;
                }
                let _ = events.send(TrackEvent::NextPollIn(state.poll_every)).await;
                tokio::time::sleep(state.poll_every).await;
            }
        })
    }

    fn act(&self, action: OrderAction) -> BoxFuture<'static, Result<(), ApiFailure>> {
        let state = self.state.clone();
        match action {
            OrderAction::Cancel { .. } => Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                state.cancelled.store(true, Ordering::SeqCst);
                Ok(())
            }),
            OrderAction::Pay { .. } => Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(500)).await;
                state.paid.store(true, Ordering::SeqCst);
                Ok(())
            }),
            OrderAction::Claim {
                request_id,
                order_id,
            } => {
                state
                    .claims
                    .lock()
                    .unwrap()
                    .push((request_id.to_string(), order_id.to_string()));
                Box::pin(async { Ok(()) })
            }
            OrderAction::Dismiss {
                request_id,
                order_id,
            } => {
                state
                    .dismissals
                    .lock()
                    .unwrap()
                    .push((request_id.to_string(), order_id.to_string()));
                Box::pin(async { Ok(()) })
            }
        }
    }

    fn earlier(&self, _body: RequestBody) -> BoxFuture<'static, Result<Earlier, ApiFailure>> {
        let earlier = self.state.earlier.lock().unwrap().clone();
        Box::pin(async move { Ok(earlier) })
    }

    fn at_start(&self) -> BoxFuture<'static, Result<AtStart, ApiFailure>> {
        let found = AtStart {
            unfinished: self.state.unfinished.lock().unwrap().clone(),
            last_order: self.state.last_order.lock().unwrap().clone(),
        };
        Box::pin(async move { Ok(found) })
    }

    fn journal_purchases(&self) -> BoxFuture<'static, Result<Vec<PurchaseRecord>, ApiFailure>> {
        let records = self.state.journal.lock().unwrap().clone();
        Box::pin(async move { Ok(records) })
    }

    fn list_orders(
        &self,
        offset: u32,
        limit: u32,
    ) -> BoxFuture<'static, Result<OrdersPage, ApiFailure>> {
        let page = self
            .state
            .account_orders
            .lock()
            .unwrap()
            .clone()
            .map(|orders| OrdersPage {
                total: orders.len(),
                orders: orders
                    .into_iter()
                    .skip(offset as usize)
                    .take(limit as usize)
                    .collect(),
                left_out: 0,
                line_items: Vec::new(),
            });
        Box::pin(async move { page })
    }

    fn look_again(&self, _record: PurchaseRecord) -> BoxFuture<'static, Lookup> {
        let lookup = self.state.lookup.lock().unwrap().clone();
        Box::pin(async move { lookup })
    }

    fn describe(&self) -> String {
        "fake service (test double)".to_string()
    }
}

/// Signs in with anything but the token "wrong".
pub struct FakeConnector {
    pub service: Arc<FakeService>,
}

impl Connector for FakeConnector {
    fn connect(
        &self,
        choice: SignIn,
    ) -> BoxFuture<'static, Result<Arc<dyn OrderService>, ApiFailure>> {
        let service: Arc<dyn OrderService> = self.service.clone();
        let refused = matches!(
            &choice,
            SignIn::Tokens { purchase: Some(t), .. } if *t == Secret::new("wrong")
        );
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(600)).await;
            if refused {
                Err(failure(
                    Some(401),
                    Some("APIGW.0301"),
                    "the token was refused",
                    "get a new token and try again",
                ))
            } else {
                Ok(service)
            }
        })
    }
}

// ---- driving the wizard without a terminal ----

pub fn clock() -> Clock {
    Clock {
        mono: Instant::now(),
        wall: datetime!(2026-01-15 09:30:00 UTC),
    }
}

pub fn new_app() -> App {
    new_app_with(Theme::new(true, true))
}

pub fn new_app_with(theme: Theme) -> App {
    App::new(
        Arc::new(Catalog::embedded()),
        Arc::new(PriceTable::embedded()),
        theme,
        clock(),
    )
}

pub fn key_event(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Msg::Key(key_event(code)))
}

pub fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(
        app,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    )
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

pub fn enter(app: &mut App) -> Vec<Effect> {
    press(app, KeyCode::Enter)
}

/// Moves a list cursor down `n` rows.
pub fn down(app: &mut App, n: usize) {
    for _ in 0..n {
        press(app, KeyCode::Down);
    }
}

/// Clears a text field with Ctrl-U and types `text`.
pub fn retype(app: &mut App, text: &str) {
    ctrl(app, 'u');
    type_text(app, text);
}

/// What the question on screen would confirm, if one is asked.
pub fn asked(app: &App) -> Option<&Confirmed> {
    match &app.overlay {
        Some(Overlay::Confirm(question)) => Some(&question.confirmed),
        _ => None,
    }
}

/// Advances the message clock, as the runtime would between messages.
pub fn advance(app: &mut App, by: Duration) {
    app.clock.mono += by;
    app.clock.wall += by;
}

pub fn terminal(width: u16, height: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(width, height)).unwrap()
}

/// One frame, as text.
pub fn frame(app: &mut App, width: u16, height: u16) -> String {
    app.size = (width, height);
    let mut terminal = terminal(width, height);
    terminal.draw(|f| view::render(app, f)).unwrap();
    terminal.backend().to_string()
}

/// The first line of a frame that contains `needle`.
pub fn line_with<'a>(frame: &'a str, needle: &str) -> &'a str {
    frame
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{frame}"))
}

/// A signed-in wizard with a fake service, at step 1.
pub fn signed_in_app() -> (App, Arc<FakeService>) {
    let mut app = new_app();
    let service = FakeService::new();
    let start = flexus::tui::service::Start::Connected(service.clone());
    flexus::tui::update::start(&mut app, &start);
    (app, service)
}

/// Walks the wizard to the review: AP-Singapore, Ubuntu 22.04,
/// hf.large.2.30m.linux, 1 month, no extras, name web-01.
/// The wizard on its first page, the sign-in, as a run without credentials
/// starts.
pub fn sign_in_app() -> App {
    let mut app = new_app();
    let connector = Arc::new(FakeConnector {
        service: FakeService::new(),
    });
    flexus::tui::update::start(&mut app, &Start::SignInFirst(connector));
    app
}

/// The review under a profile whose spending limit is `limit` cents.
pub fn at_review_with_limit(cents: i64) -> App {
    let (mut app, _) = app_at_review();
    app.profile = Some(flexus::tui::app::ProfileInUse {
        name: "work".to_string(),
        described: "profile work in /home/me/.config/flexus/config.toml".to_string(),
        region: None,
        limit: flexus::domain::pricing::SpendingLimit {
            max_total: Some(flexus::domain::pricing::Money { cents }),
            allow_unpriced: false,
        },
    });
    app
}

pub fn app_at_review() -> (App, Arc<FakeService>) {
    let (mut app, service) = signed_in_app();
    down(&mut app, 1); // AP-Singapore
    enter(&mut app);
    type_text(&mut app, "ubuntu");
    enter(&mut app); // Ubuntu -> versions
    enter(&mut app); // 22.04
    type_text(&mut app, "large.2.30m.linux");
    enter(&mut app);
    enter(&mut app); // period defaults
    enter(&mut app); // no extras
    type_text(&mut app, "web-01");
    enter(&mut app);
    (app, service)
}

/// Enter on the review: the wizard asks the journal for earlier purchases
/// of unknown outcome first; this answers that check with `earlier` and
/// returns what the answer leads to.
pub fn enter_and_check(app: &mut App, earlier: Earlier) -> Vec<Effect> {
    let effects = enter(app);
    let [Effect::CheckEarlier { check, .. }] = effects.as_slice() else {
        return effects;
    };
    let check = *check;
    update(
        app,
        Msg::EarlierChecked {
            check,
            result: Ok(earlier),
        },
    )
}

/// The terminal sizes every screen is drawn at: the smallest, and a wide one.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Snapshots the app at 80x24 and 120x40 under `tests/snapshots`, with
/// Client-Request-Ids scrubbed. A macro, so that insta names the calling
/// test file as the snapshots' source.
#[allow(unused_macros)]
macro_rules! snap {
    ($name:expr, $app:expr) => {
        for (w, h) in SIZES {
            let text = frame($app, w, h);
            insta::with_settings!({
                filters => vec![(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", "[request-id]")],
                prepend_module_to_snapshot => false,
            }, {
                insta::assert_snapshot!(format!("{}_{w}x{h}", $name), text);
            });
        }
    };
}
#[allow(unused_imports)]
pub(crate) use snap;

/// At the review, nothing earlier in the journal: the question is asked
/// and `y` answers it; what that sends.
pub fn confirm_and_submit(app: &mut App) -> Vec<Effect> {
    assert!(enter_and_check(app, Default::default()).is_empty());
    assert_eq!(asked(app), Some(&Confirmed::Submit { second: false }));
    press(app, KeyCode::Char('y'))
}

/// The order is sent from the review (asked and confirmed); its
/// Client-Request-Id.
pub fn submitted(app: &mut App) -> ClientRequestId {
    let effects = confirm_and_submit(app);
    let [Effect::Submit { request_id, .. }] = effects.as_slice() else {
        panic!("one submission: {effects:?}");
    };
    request_id.clone()
}

/// The service's answer to the order sent with `request_id`: placed as
/// `ORDER_ID`, with these instance IDs.
pub fn answer_placed(app: &mut App, request_id: ClientRequestId, instance_ids: Vec<String>) {
    update(
        app,
        Msg::Submitted {
            request_id,
            outcome: SubmitOutcome::Placed {
                order_id: ORDER_ID.into(),
                instance_ids,
                unrecorded: None,
            },
        },
    );
}

/// Tracking news of `ORDER_ID`.
pub fn tracked(app: &mut App, event: TrackEvent) -> Vec<Effect> {
    update(
        app,
        Msg::Tracked {
            order_id: ORDER_ID.into(),
            event,
        },
    )
}

/// `ORDER_ID` is completed, and its tracking ends.
pub fn completed(app: &mut App) {
    tracked(app, polled(status::COMPLETED));
    tracked(
        app,
        TrackEvent::Finished {
            status: Some(status::COMPLETED),
            failure: None,
        },
    );
}

/// The journal recorded the claim of `ORDER_ID` for purchase `request_id`:
/// only now is the order followed.
pub fn claim_recorded(app: &mut App, request_id: &str) {
    let effects = update(
        app,
        Msg::Acted {
            action: claim_action(request_id, ORDER_ID),
            result: Ok(()),
        },
    );
    assert_eq!(
        effects,
        vec![Effect::Track {
            order_id: ORDER_ID.into()
        }]
    );
}

/// A Client-Request-Id written in a test.
pub fn request_id(text: &str) -> ClientRequestId {
    ClientRequestId::parse(text).expect("a valid Client-Request-Id")
}

/// Claiming `order` for the purchase sent as `request`.
pub fn claim_action(request: &str, order: &str) -> OrderAction {
    OrderAction::Claim {
        request_id: request_id(request),
        order_id: OrderId::parse(order).expect("a valid order ID"),
    }
}

/// Saying `order` is not the purchase sent as `request`.
pub fn dismiss_action(request: &str, order: &str) -> OrderAction {
    OrderAction::Dismiss {
        request_id: request_id(request),
        order_id: OrderId::parse(order).expect("a valid order ID"),
    }
}

// ---- the journal's purchases ----

/// The Client-Request-Ids of earlier purchases in the journal.
pub const EARLIER_ID: &str = "0b5e2a8c-4f7e-4d52-9a3e-6f1c2d3e4a5b";
pub const OTHER_ID: &str = "7c1d9e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f";

/// A journaled purchase of `body`, sent at 09:10; placed ones as `ORDER_ID`.
pub fn record(id: &str, body: RequestBody, state: PurchaseState) -> PurchaseRecord {
    let placed = matches!(state, PurchaseState::Placed);
    PurchaseRecord {
        client_request_id: id.to_string(),
        first_sent_at: "2026-01-15T09:10:00Z".to_string(),
        last_sent_at: "2026-01-15T09:10:00Z".to_string(),
        attempts: 1,
        endpoint: "https://hcss.example".to_string(),
        body,
        state,
        order_id: placed.then(|| ORDER_ID.to_string()),
        instance_ids: if placed {
            vec!["65dea8d23005da564c78d9d1".to_string()]
        } else {
            Vec::new()
        },
        last_status: None,
        pending_payment_end_time: None,
        dismissed: Vec::new(),
        found: Vec::new(),
    }
}

/// An order the order list shows after a lost answer: `ORDER_ID`, pending
/// payment, of the review's package.
pub fn found() -> FoundOrder {
    FoundOrder {
        info: order_info(status::PENDING_PAYMENT),
        line_items: vec![OrderLineItem {
            product_spec_desc: Some("hf.large.2.30m.linux".to_string()),
            subscription_num: Some(1),
            ..OrderLineItem::default()
        }],
    }
}

/// The request body of the order on the review.
pub fn body_of(app: &App) -> RequestBody {
    app.draft.request_body(&app.catalog).unwrap()
}

/// A wizard that reopens the journal's purchases, signed in.
pub fn starting_with(records: Vec<PurchaseRecord>) -> (App, Vec<Effect>) {
    let mut app = new_app();
    app.reattach = true;
    let service = FakeService::new();
    *service.state.unfinished.lock().unwrap() = records.clone();
    let effects = flexus::tui::update::start(&mut app, &Start::Connected(service));
    assert_eq!(effects, vec![Effect::ReadJournalAtStart]);
    let effects = update(
        &mut app,
        Msg::AtStart(Ok(AtStart {
            unfinished: records,
            last_order: None,
        })),
    );
    (app, effects)
}

/// The keys the footer names on the page shown.
pub fn hint_keys(app: &App) -> Vec<String> {
    flexus::tui::screens::hints(app)
        .iter()
        .filter(|h| h.in_footer())
        .map(|h| h.label().into_owned())
        .collect()
}

// ---- the orders view ----

/// An order BSS lists for the account: created at `created` (UTC), of
/// USD `amount`.
pub fn account_order(order_id: &str, status: i32, created: &str, amount: f64) -> OrderInfo {
    OrderInfo {
        order_id: order_id.to_string(),
        service_type_code: Some(flexus::api::wire::FLEXUSL_SERVICE_TYPE_CODE.to_string()),
        status,
        amount_after_discount: Some(amount),
        official_amount: Some(amount),
        measure_id: Some(1),
        currency: Some("USD".to_string()),
        create_time: Some(created.to_string()),
        ..OrderInfo::default()
    }
}

/// `o` on the page shown: the view asks for the journal and the first page
/// of the account's orders; this answers both.
pub fn open_orders(
    app: &mut App,
    journal: Vec<PurchaseRecord>,
    listed: Result<OrdersPage, ApiFailure>,
) {
    let effects = press(app, KeyCode::Char('o'));
    let [
        Effect::ReadJournal { generation },
        Effect::ListOrders {
            generation: same,
            offset: 0,
            limit,
        },
    ] = effects.as_slice()
    else {
        panic!("o reads the journal and the first page: {effects:?}");
    };
    assert_eq!(generation, same);
    assert!(*limit >= 1 && *limit <= 100, "BSS takes 1..100: {limit}");
    let generation = *generation;
    update(
        app,
        Msg::JournalRead {
            generation,
            result: Ok(journal),
        },
    );
    update(
        app,
        Msg::OrdersListed {
            generation,
            offset: 0,
            result: listed,
        },
    );
}

/// A first page of `orders` that is all the account has.
pub fn whole_page(orders: Vec<OrderInfo>) -> Result<OrdersPage, ApiFailure> {
    Ok(OrdersPage {
        total: orders.len(),
        orders,
        left_out: 0,
        line_items: Vec::new(),
    })
}
