//! The journal's unfinished purchases, when the wizard starts with several:
//! when each was sent, what it buys, where it stands. Enter opens one on
//! the status pane; n or Esc goes on to a new order.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::{Binding, DOWN, ENTER, ESC, Key, UP, is_up};
use super::{Command, Reply, Screen, draw_intro, take_all_but, take_rows};
use crate::api::journal::PurchaseRecord;
use crate::domain::when::dated_stamp;
use crate::tui::app::App;
use crate::tui::submission::purchase_text;
use crate::tui::text::clean;
use crate::tui::widgets::{self, ListRow};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Newest first.
    pub records: Vec<PurchaseRecord>,
    pub cursor: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Open,
    NewOrder,
}

pub struct PurchasesScreen;

impl Screen for PurchasesScreen {
    type Action = Action;
    const NAME: &'static str = "Unfinished purchases";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        vec![
            Binding::new(&[ENTER], tr!("steps.purchases.open"), Action::Open)
                .detail(tr!("steps.purchases.open_detail"))
                .when(!app.purchases.records.is_empty()),
            Binding::new(&[UP, DOWN], tr!("steps.list.move"), Action::Move),
            Binding::new(
                &[Key::Char('k'), Key::Char('j')],
                tr!("steps.list.move"),
                Action::Move,
            )
            .help_only(),
            Binding::new(
                &[Key::Char('n'), ESC],
                tr!("steps.purchases.new_order"),
                Action::NewOrder,
            )
            .detail(tr!("steps.purchases.new_order_detail")),
        ]
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        let state = &mut app.purchases;
        let count = state.records.len();
        match action {
            Action::Move if is_up(key) => state.cursor = state.cursor.saturating_sub(1),
            Action::Move => state.cursor = (state.cursor + 1).min(count.saturating_sub(1)),
            Action::Open => {
                let record = state.records[state.cursor.min(count - 1)].clone();
                return Reply::Do(Command::Reopen(Box::new(record)));
            }
            Action::NewOrder => return Reply::Do(Command::NewOrder),
        }
        Reply::Done
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// One row: when it was sent, where it stands, what it buys (cut last).
fn row_text(record: &PurchaseRecord, zone: &jiff::tz::TimeZone) -> String {
    tr!(
        "steps.purchases.row",
        sent = dated_stamp(&record.first_sent_at, zone),
        state = record.state_text(zone),
        buys = purchase_text(&record.body)
    )
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let count = app.purchases.records.len();
    draw_intro(
        Line::from(Span::styled(
            tr!("steps.purchases.intro", count = count),
            theme.title(),
        )),
        &mut area,
        buf,
    );
    let rows: Vec<ListRow> = app
        .purchases
        .records
        .iter()
        .enumerate()
        .map(|(i, record)| ListRow {
            line: Line::from(widgets::fit(
                &clean(&row_text(record, &app.zone)),
                area.width as usize,
                theme,
            )),
            selected: i == app.purchases.cursor,
            unavailable: false,
        })
        .collect();
    let Some(record) = app
        .purchases
        .records
        .get(app.purchases.cursor.min(count.saturating_sub(1)))
    else {
        widgets::draw_list(&rows, theme, area, buf);
        return None;
    };
    // Rows that differ only past the edge are told apart here, in full.
    let width = area.width as usize;
    let fit = |text: String| Line::from(widgets::fit(&clean(&text), width, theme));
    let details = vec![
        fit(match &record.order_id {
            Some(id) => tr!("steps.purchases.order", id = id),
            None => tr!("steps.purchases.no_order_id", id = record.client_request_id),
        }),
        fit(tr!("steps.purchases.buys", what = record.body.describe())),
        fit(tr!(
            "steps.purchases.state",
            state = record.state_text(&app.zone)
        )),
    ];
    let list_area = take_all_but(&mut area, details.len() as u16 + 1);
    widgets::draw_list(&rows, theme, list_area, buf);
    take_rows(&mut area, 1);
    widgets::draw_lines(details, area, buf);
    None
}
