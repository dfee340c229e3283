//! The journal's unfinished purchases, when the wizard starts with several:
//! when each was sent, what it buys, where it stands. Enter opens one on
//! the status pane; n or Esc goes on to a new order.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::draw_intro;
use crate::api::journal::PurchaseRecord;
use crate::tui::app::{App, Page, Step};
use crate::tui::msg::Effect;
use crate::tui::submission::purchase_text;
use crate::tui::text::{clean, utc};
use crate::tui::widgets::{self, Hint, ListRow, hint, typed_char};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// Newest first.
    pub records: Vec<PurchaseRecord>,
    pub cursor: usize,
}

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let count = app.purchases.records.len();
    match (key.code, typed_char(key)) {
        (KeyCode::Up, _) | (_, Some('k')) => {
            app.purchases.cursor = app.purchases.cursor.saturating_sub(1)
        }
        (KeyCode::Down, _) | (_, Some('j')) => {
            app.purchases.cursor = (app.purchases.cursor + 1).min(count.saturating_sub(1))
        }
        (KeyCode::Enter, _) if count > 0 => {
            let record = app.purchases.records[app.purchases.cursor.min(count - 1)].clone();
            return crate::tui::update::reopen(app, record);
        }
        (KeyCode::Esc, _) | (_, Some('n')) => app.go_to(Page::Step(Step::Region)),
        _ => {}
    }
    Vec::new()
}

pub fn hints(_app: &App) -> Vec<Hint> {
    vec![
        hint("Enter", "open").detail("show the highlighted purchase and follow it"),
        hint("↑↓", "move"),
        hint("n Esc", "new order").detail("leave these for later and order something new"),
    ]
}

/// One row: when it was sent, where it stands, what it buys (cut last).
fn row_text(record: &PurchaseRecord) -> String {
    format!(
        "  sent {}  {}  {}",
        utc(&record.first_sent_at),
        record.state_text(),
        purchase_text(&record.body)
    )
}

pub fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let count = app.purchases.records.len();
    draw_intro(
        Line::from(Span::styled(
            format!(
                "{count} purchases are not finished. Open one to follow it, or order something new."
            ),
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
                &clean(&row_text(record)),
                area.width as usize,
                theme,
            )),
            selected: i == app.purchases.cursor,
            unavailable: false,
        })
        .collect();
    widgets::draw_list(&rows, theme, area, buf);
    None
}
