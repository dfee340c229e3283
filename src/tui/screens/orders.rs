//! The orders view: this machine's purchases from the journal merged with
//! the account's FlexusL orders from BSS, newest first, one row per order.
//! Enter opens the highlighted one on the status pane (where a pending one
//! can be paid or cancelled); PgDn asks BSS for the next page; Esc goes
//! back to where `o` was pressed.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use time::OffsetDateTime;

use super::keys::{Binding, DOWN, END, ENTER, ESC, HOME, Key, PAGE_DOWN, PAGE_UP, UP, is_up};
use super::{Command, Reply, Screen, draw_intro, take_all_but};
use crate::api::engine::ApiFailure;
use crate::api::journal::{PurchaseRecord, parse_utc};
use crate::api::wire::{OrderInfo, OrderLineItem, status};
use crate::domain::when::dated_stamp;
use crate::tui::app::{App, Connection, Notice, Page};
use crate::tui::msg::Effect;
use crate::tui::service::OrdersPage;
use crate::tui::submission::{amount_text, failure_text};
use crate::tui::text::clean;
use crate::tui::widgets::{self, ListRow};

/// Orders asked of BSS at a time.
pub const PAGE_SIZE: u32 = 20;

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Where `o` was pressed, with what was said there: Esc goes back to it.
    pub came_from: Option<(Page, Vec<Notice>)>,
    /// Which opening of the view the answers on their way belong to.
    pub generation: u64,
    pub journal: Journal,
    /// The account's orders listed so far, newest first.
    pub listed: Vec<OrderInfo>,
    /// Line items of listed orders, by order ID, where their details were
    /// read.
    pub line_items: std::collections::HashMap<String, Vec<OrderLineItem>>,
    /// How many orders BSS says the account has, once it said.
    pub total: Option<usize>,
    /// Orders left out for an ID not of Huawei's shape.
    pub left_out: usize,
    pub bss: Bss,
    pub cursor: usize,
    /// `o` came before signing in was done: the orders are asked for once
    /// it is (both live behind the signed-in service).
    pub waiting_for_sign_in: bool,
}

#[derive(Debug, Clone, Default)]
pub enum Journal {
    #[default]
    Reading,
    Read(Vec<PurchaseRecord>),
    Failed(ApiFailure),
}

/// Where asking BSS for the account's orders stands.
#[derive(Debug, Clone, Default)]
pub enum Bss {
    #[default]
    Idle,
    Loading {
        offset: u32,
    },
    Failed(ApiFailure),
}

impl State {
    /// Where the next page starts, while BSS has more to give.
    pub fn next_offset(&self) -> Option<u32> {
        let listed = self.listed.len() + self.left_out;
        match self.total {
            Some(total) if listed < total => u32::try_from(listed).ok(),
            _ => None,
        }
    }
}

/// One order, as the journal and BSS know it between them.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub record: Option<&'a PurchaseRecord>,
    pub info: Option<&'a OrderInfo>,
    /// The order's line items, where BSS gave them.
    pub items: &'a [OrderLineItem],
}

impl Row<'_> {
    pub fn order_id(&self) -> Option<&str> {
        self.info
            .map(|i| i.order_id.as_str())
            .or_else(|| self.record.and_then(|r| r.order_id.as_deref()))
    }

    fn created(&self) -> Option<OffsetDateTime> {
        self.info
            .and_then(|i| i.create_time.as_deref())
            .or_else(|| self.record.map(|r| r.first_sent_at.as_str()))
            .and_then(parse_utc)
    }

    fn created_text(&self, app: &App) -> String {
        self.info
            .and_then(|i| i.create_time.as_deref())
            .or_else(|| self.record.map(|r| r.first_sent_at.as_str()))
            .map_or_else(|| "-".to_string(), |at| dated_stamp(at, &app.zone))
    }

    /// BSS's status where it listed the order (it is the fresher), else the
    /// journal's.
    pub fn state_text(&self, zone: &jiff::tz::TimeZone) -> String {
        let code = self.info.map(|i| i.status).or_else(|| {
            self.record
                .and_then(|r| r.last_status.as_ref().map(|s| s.0))
        });
        match (code, self.record) {
            (Some(code), _) => status::describe(code),
            (None, Some(record)) => record.state_text(zone),
            (None, None) => "-".to_string(),
        }
    }

    pub fn amount_text(&self) -> String {
        self.info
            .and_then(amount_text)
            .unwrap_or_else(|| "-".to_string())
    }

    /// "2 x hf.large.2.30m.linux": from the journal's request body, else
    /// from the order's first line item that names a package.
    pub fn spec_text(&self) -> String {
        if let Some(r) = self.record {
            return format!("{} x {}", r.body.purchase_quantity, r.body.plan_spec);
        }
        self.items
            .iter()
            .find_map(|item| {
                let spec = item.product_spec_desc.as_deref()?;
                Some(match item.subscription_num {
                    Some(n) => format!("{n} x {spec}"),
                    None => spec.to_string(),
                })
            })
            .unwrap_or_else(|| "-".to_string())
    }

    /// What the row stays known by while rows arrive around it.
    fn key(&self) -> Option<String> {
        self.order_id()
            .map(str::to_string)
            .or_else(|| self.record.map(|r| r.client_request_id.clone()))
    }

    /// Whether the status pane can follow it: an order, or a purchase whose
    /// outcome is still to be found out.
    pub fn can_open(&self) -> bool {
        self.order_id().is_some() || self.record.is_some_and(PurchaseRecord::is_unresolved)
    }
}

/// The journal's purchases and the listed orders, one row per order ID,
/// newest first; a purchase without an order ID is a row of its own.
pub fn rows(state: &State) -> Vec<Row<'_>> {
    let records: &[PurchaseRecord] = match &state.journal {
        Journal::Read(records) => records,
        _ => &[],
    };
    let mut rows: Vec<Row<'_>> = Vec::new();
    for record in records {
        let same_order = record
            .order_id
            .as_deref()
            .is_some_and(|id| rows.iter().any(|r| r.order_id() == Some(id)));
        if !same_order {
            rows.push(Row {
                record: Some(record),
                info: None,
                items: &[],
            });
        }
    }
    for info in &state.listed {
        let items = state
            .line_items
            .get(&info.order_id)
            .map_or(&[][..], Vec::as_slice);
        match rows
            .iter_mut()
            .find(|r| r.order_id() == Some(info.order_id.as_str()))
        {
            Some(row) => {
                row.info = Some(info);
                row.items = items;
            }
            None => rows.push(Row {
                record: None,
                info: Some(info),
                items,
            }),
        }
    }
    // Stable: rows of the same second keep the journal's order.
    rows.sort_by_key(|r| std::cmp::Reverse(r.created()));
    rows
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Open,
    PageDown,
    PageUp,
    First,
    Last,
    Reload,
    Back,
}

/// How far PageUp and PageDown move: a page of rows at 80x24.
const ROWS_PER_KEY: usize = 10;

pub struct OrdersScreen;

impl Screen for OrdersScreen {
    type Action = Action;
    const NAME: &'static str = "Orders";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let state = &app.orders;
        let rows = rows(state);
        let highlighted = rows.get(state.cursor.min(rows.len().saturating_sub(1)));
        let loading = matches!(state.bss, Bss::Loading { .. });
        vec![
            Binding::new(&[ENTER], tr!("live.orders.key.open"), Action::Open)
                .detail(tr!("live.orders.key.open_detail"))
                .when_else(
                    highlighted.is_some_and(Row::can_open),
                    tr!("live.orders.key.open_not_now"),
                ),
            Binding::new(&[UP, DOWN], tr!("live.orders.key.move"), Action::Move),
            Binding::new(
                &[Key::Char('k'), Key::Char('j')],
                tr!("live.orders.key.move"),
                Action::Move,
            )
            .help_only(),
            Binding::new(
                &[PAGE_DOWN],
                tr!("live.orders.key.page_down"),
                Action::PageDown,
            )
            .detail(
                "move a page down; on the last row, ask the account for its next page of \
                     orders",
            )
            .when_else(
                !rows.is_empty() || (!loading && state.next_offset().is_some()),
                tr!("live.orders.key.move_not_now"),
            ),
            Binding::new(&[PAGE_UP], tr!("live.orders.key.page_up"), Action::PageUp).help_only(),
            Binding::new(&[HOME], tr!("live.orders.key.first"), Action::First).help_only(),
            Binding::new(&[END], tr!("live.orders.key.last"), Action::Last)
                .detail(tr!("live.orders.key.last_detail"))
                .help_only(),
            Binding::new(
                &[Key::Char('r')],
                tr!("live.orders.key.reload"),
                Action::Reload,
            )
            .detail(tr!("live.orders.key.reload_detail"))
            .when(!loading && !state.waiting_for_sign_in),
            Binding::new(&[ESC], tr!("live.orders.key.back"), Action::Back)
                .detail(tr!("live.orders.key.back_detail")),
        ]
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        if action == Action::Open {
            return open_highlighted(app);
        }
        let count = rows(&app.orders).len();
        let state = &mut app.orders;
        match action {
            Action::Open => {}
            Action::Move if is_up(key) => state.cursor = state.cursor.saturating_sub(1),
            Action::Move => state.cursor = (state.cursor + 1).min(count.saturating_sub(1)),
            Action::PageDown => {
                let last = count.saturating_sub(1);
                if state.cursor < last {
                    state.cursor = (state.cursor + ROWS_PER_KEY).min(last);
                } else if let Some(offset) = state.next_offset()
                    && !matches!(state.bss, Bss::Loading { .. })
                {
                    state.bss = Bss::Loading { offset };
                    return Reply::Run(vec![list_page(state.generation, offset)]);
                }
            }
            Action::PageUp => state.cursor = state.cursor.saturating_sub(ROWS_PER_KEY),
            Action::First => state.cursor = 0,
            Action::Last => state.cursor = count.saturating_sub(1),
            Action::Reload => {
                let came_from = state.came_from.take();
                return Reply::Run(load(app, came_from));
            }
            Action::Back => {
                if let Some((page, notices)) = state.came_from.take() {
                    app.go_to(page);
                    app.notices = notices;
                }
            }
        }
        Reply::Done
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

fn open_highlighted(app: &App) -> Reply {
    let rows = rows(&app.orders);
    let Some(row) = rows.get(app.orders.cursor.min(rows.len().saturating_sub(1))) else {
        return Reply::Done;
    };
    // A purchase of this machine's is reopened as the purchases list does
    // (its request body and ID are known); an order BSS alone knows is
    // followed by its ID, as `flexus status` does.
    match (row.record, row.order_id()) {
        (Some(record), _)
            if record.is_unresolved()
                || matches!(record.state, crate::api::journal::PurchaseState::Placed) =>
        {
            Reply::Do(Command::Reopen(Box::new(record.clone())))
        }
        (_, Some(order_id)) => Reply::Do(Command::Follow(order_id.to_string())),
        _ => Reply::Done,
    }
}

fn list_page(generation: u64, offset: u32) -> Effect {
    Effect::ListOrders {
        generation,
        offset,
        limit: PAGE_SIZE,
    }
}

/// `o`: the view opens over the page it was pressed on, which Esc gives
/// back as it was; the journal and the first page are asked for afresh,
/// or once signing in is done.
pub fn open(app: &mut App) -> Vec<Effect> {
    let came_from = Some((app.page, std::mem::take(&mut app.notices)));
    app.go_to(Page::Orders);
    if app.service().is_some() {
        return load(app, came_from);
    }
    app.orders = State {
        came_from,
        generation: app.orders.generation + 1,
        waiting_for_sign_in: true,
        ..State::default()
    };
    if !matches!(app.connection, Connection::SigningIn { .. }) {
        app.resume = Page::Orders;
        app.signin.reason = Some(tr!("live.orders.sign_in_reason"));
        app.go_to(Page::SignIn);
    }
    Vec::new()
}

/// Signing in is done: a view that waited for it asks now.
pub fn on_signed_in(app: &mut App) -> Vec<Effect> {
    if app.page != Page::Orders || !app.orders.waiting_for_sign_in {
        return Vec::new();
    }
    let came_from = app.orders.came_from.take();
    load(app, came_from)
}

fn load(app: &mut App, came_from: Option<(Page, Vec<Notice>)>) -> Vec<Effect> {
    let generation = app.orders.generation + 1;
    app.orders = State {
        came_from,
        generation,
        bss: Bss::Loading { offset: 0 },
        ..State::default()
    };
    vec![Effect::ReadJournal { generation }, list_page(generation, 0)]
}

/// The journal's purchases arrived (or could not be read).
pub fn on_journal(app: &mut App, generation: u64, result: Result<Vec<PurchaseRecord>, ApiFailure>) {
    let state = &mut app.orders;
    if generation != state.generation {
        return;
    }
    keeping_the_cursor(state, |state| {
        state.journal = match result {
            Ok(records) => Journal::Read(records),
            Err(failure) => Journal::Failed(failure),
        }
    });
}

/// Rows that arrive newer than the highlighted one do not move the
/// highlight to another order.
fn keeping_the_cursor(state: &mut State, change: impl FnOnce(&mut State)) {
    let highlighted = rows(state).get(state.cursor).and_then(Row::key);
    change(state);
    if let Some(key) = highlighted
        && let Some(at) = rows(state)
            .iter()
            .position(|r| r.key().as_ref() == Some(&key))
    {
        state.cursor = at;
    }
}

/// A page of the account's orders arrived (or BSS refused, or could not be
/// reached): the rows listed so far stay either way.
pub fn on_listed(
    app: &mut App,
    generation: u64,
    offset: u32,
    result: Result<OrdersPage, ApiFailure>,
) {
    let state = &mut app.orders;
    if generation != state.generation
        || !matches!(state.bss, Bss::Loading { offset: asked } if asked == offset)
    {
        return;
    }
    match result {
        Ok(page) => keeping_the_cursor(state, |state| {
            for info in page.orders {
                if !state.listed.iter().any(|o| o.order_id == info.order_id) {
                    state.listed.push(info);
                }
            }
            state.line_items.extend(page.line_items);
            state.total = Some(page.total);
            state.left_out += page.left_out;
            state.bss = Bss::Idle;
        }),
        Err(failure) => state.bss = Bss::Failed(failure),
    }
}

/// One row: created, state, amount, spec and quantity (cut last), in
/// columns that fit 80 columns with the spec cut.
fn row_text(app: &App, row: &Row<'_>) -> String {
    let column = |text: String, width: usize| {
        let text = widgets::fit(&text, width, &app.theme);
        let pad = width.saturating_sub(widgets::cells(&text));
        format!("{text}{}", " ".repeat(pad))
    };
    format!(
        "  {}  {}  {}  {}",
        row.created_text(app),
        column(row.state_text(&app.zone), 16),
        column(row.amount_text(), 10),
        row.spec_text()
    )
}

/// What is known of the account's orders; a failure in full, with the
/// service's code and the next step.
fn bss_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let state = &app.orders;
    let (style, text) = match &state.bss {
        Bss::Loading { offset: 0 } => (theme.muted(), tr!("live.orders.loading")),
        Bss::Loading { .. } => (theme.muted(), tr!("live.orders.loading_next")),
        Bss::Failed(failure) => (
            theme.warning(),
            tr!(
                "live.orders.list_failed",
                why = failure_text(failure).trim_end_matches(['.', '。'])
            ),
        ),
        Bss::Idle => {
            let listed = state.listed.len();
            let total = state.total.unwrap_or(listed);
            let text = if total == 0 && state.left_out == 0 {
                tr!("live.orders.none_in_account")
            } else {
                let has = if total == 1 {
                    tr!("live.orders.account_has.one", listed = listed)
                } else {
                    tr!(
                        "live.orders.account_has.other",
                        total = total,
                        listed = listed
                    )
                };
                let more = if state.next_offset().is_some() {
                    tr!("live.orders.more")
                } else {
                    String::new()
                };
                let left_out = if state.left_out > 0 {
                    tr!("live.orders.left_out", count = state.left_out)
                } else {
                    String::new()
                };
                tr!(
                    "live.orders.account_summary",
                    has = has,
                    more = more,
                    left_out = left_out
                )
            };
            (theme.muted(), text)
        }
    };
    said(&text, style, width)
}

/// `text` wrapped into at most three lines of `width`, cleaned.
fn said(text: &str, style: ratatui::style::Style, width: usize) -> Vec<Line<'static>> {
    crate::tui::text::wrap_words(&clean(text), width)
        .into_iter()
        .take(3)
        .map(|line| Line::from(Span::styled(line, style)))
        .collect()
}

/// The highlighted order in full: its ID, what it buys, its instances.
fn detail_lines(app: &App, row: &Row<'_>, width: usize) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let fit = |text: String| Line::from(widgets::fit(&text, width, theme));
    let mut lines = vec![fit(match (row.order_id(), row.record) {
        (Some(id), _) => tr!("live.orders.order", order_id = clean(id)),
        (None, Some(record)) => tr!(
            "live.orders.no_order_id",
            request_id = clean(&record.client_request_id)
        ),
        (None, None) => "-".to_string(),
    })];
    match row.record {
        Some(record) => {
            lines.push(fit(tr!("live.orders.buys", what = record.body.describe())));
            if !record.instance_ids.is_empty() {
                let ids = record.instance_ids.join(", ");
                lines.push(fit(tr!("live.orders.instances", ids = ids)));
            }
        }
        None if !row.items.is_empty() => {
            lines.push(fit(tr!("live.orders.buys", what = row.spec_text())))
        }
        None => {}
    }
    lines
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.orders;
    draw_intro(
        Line::from(Span::styled(
            widgets::fit(&tr!("live.orders.intro"), area.width as usize, theme),
            theme.title(),
        )),
        &mut area,
        buf,
    );
    let width = area.width as usize;
    if state.waiting_for_sign_in {
        let text = match &app.connection {
            Connection::SigningIn { what, since, .. } => tr!(
                "live.orders.signing_in",
                spinner = app.spinner(*since),
                what = what
            ),
            Connection::Failed { error, what } => tr!(
                "live.orders.sign_in_failed",
                what = what,
                why = failure_text(error)
            ),
            _ => tr!("live.orders.not_signed_in"),
        };
        widgets::draw_lines(said(&text, theme.muted(), width), area, buf);
        return None;
    }
    let mut lines = bss_lines(app, width);
    match &state.journal {
        Journal::Reading => lines.extend(said(
            &tr!("live.orders.reading_journal"),
            theme.muted(),
            width,
        )),
        Journal::Failed(failure) => lines.extend(said(
            &tr!("live.orders.journal_failed", why = failure_text(failure)),
            theme.warning(),
            width,
        )),
        Journal::Read(_) => {}
    }
    let head = super::take_rows(&mut area, lines.len() as u16 + 1);
    widgets::draw_lines(lines, head, buf);

    let rows = rows(state);
    if rows.is_empty() {
        if matches!(state.journal, Journal::Read(_)) && matches!(state.bss, Bss::Idle) {
            widgets::draw_lines(vec![Line::from(tr!("live.orders.empty"))], area, buf);
        }
        return None;
    }
    let cursor = state.cursor.min(rows.len() - 1);
    let details = detail_lines(app, &rows[cursor], area.width as usize);
    let list_area = take_all_but(&mut area, details.len() as u16 + 1);
    let list: Vec<ListRow> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| ListRow {
            line: Line::from(widgets::fit(
                &row_text(app, row),
                list_area.width as usize,
                theme,
            )),
            selected: i == cursor,
            unavailable: !row.can_open(),
        })
        .collect();
    widgets::draw_list(&list, theme, list_area, buf);
    super::take_rows(&mut area, 1);
    widgets::draw_lines(details, area, buf);
    None
}
