//! The region step: where the instances run.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::Binding;
use super::{Reply, Screen, back_words, draw_intro};
use crate::domain::catalog::Catalog;
use crate::domain::pricing::{Money, PriceTable};
use crate::tui::app::{App, Step};
use crate::tui::text::pad;
use crate::tui::widgets::{self, ListKey, ListRow, Picker};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub picker: Picker,
    /// Lower-case "name code" per region, for filtering.
    search: Vec<String>,
    /// "from USD 9.00 a month" or "no list prices", per region.
    price_notes: Vec<String>,
}

impl State {
    pub fn new(catalog: &Catalog, prices: &PriceTable) -> State {
        State {
            picker: Picker::default(),
            search: catalog
                .regions
                .iter()
                // The English name too: a Chinese reader may type "hong" sooner
                // than switch input method.
                .map(|r| format!("{} {} {}", r.shown_name(), r.name, r.code).to_lowercase())
                .collect(),
            price_notes: catalog
                .regions
                .iter()
                .map(|r| {
                    let cheapest: Option<Money> = catalog
                        .specs
                        .iter()
                        .filter_map(|s| prices.monthly_price(&r.code, &s.code))
                        .min();
                    match cheapest {
                        Some(m) => tr!(
                            "steps.region.from_a_month",
                            currency = prices.currency,
                            amount = m
                        ),
                        None => tr!("steps.region.no_list_prices"),
                    }
                })
                .collect(),
        }
    }
}

pub struct RegionScreen;

impl Screen for RegionScreen {
    type Action = ListKey;
    const NAME: &'static str = "Region";

    fn bindings(app: &App) -> Vec<Binding<ListKey>> {
        // The first step has no step before it: Esc only leads back to the
        // review it was reopened from.
        let state = &app.region;
        let back = app.from_review.then(|| back_words(app));
        state.picker.bindings(&state.search, back)
    }

    fn apply(app: &mut App, action: ListKey, key: &KeyEvent) -> Reply {
        match action {
            ListKey::Choose => {
                let code = app.catalog.regions[app.region.picker.cursor].code.clone();
                app.draft.region = code;
                app.region.picker.clear_filter();
                app.accept(Step::Region);
            }
            ListKey::Back => app.back(),
            other => {
                let state = &mut app.region;
                state.picker.apply(other, key, &state.search);
            }
        }
        Reply::Done
    }

    fn sync(app: &mut App) {
        if let Some(i) = app
            .catalog
            .regions
            .iter()
            .position(|r| r.code == app.draft.region)
        {
            app.region.picker.cursor = i;
        }
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    draw_intro(tr!("steps.region.intro"), &mut area, buf);
    let state = &app.region;
    let visible = state.picker.visible(&state.search);
    let filter_line = state
        .picker
        .filter_line(theme, visible.len(), state.search.len());
    let name_width = 18;
    let rows: Vec<ListRow> = visible
        .iter()
        .map(|&i| {
            let region = &app.catalog.regions[i];
            let chosen = region.code == app.draft.region;
            let marker = if chosen { theme.symbols.done } else { " " };
            ListRow {
                line: Line::from(vec![
                    Span::raw(format!("  {marker} ")),
                    Span::styled(pad(region.shown_name(), name_width), theme.title()),
                    Span::raw(pad(&region.code, 17)),
                    Span::styled(state.price_notes[i].clone(), theme.muted()),
                ]),
                selected: i == state.picker.cursor,
                unavailable: false,
            }
        })
        .collect();
    let lines = filter_line.into_iter().collect();
    widgets::draw_list_with_lines(&rows, lines, 1, theme, area, buf);
    None
}
