//! The spec step: the package. Every specification code in a table; those the
//! region or image does not allow are greyed, with the catalog's reason.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::keys::Binding;
use super::{Reply, Screen, back_words, draw_intro, take_rows};
use crate::domain::catalog::format_gib;
use crate::tui::app::{App, Step};
use crate::tui::text::pad;
use crate::tui::widgets::{self, ListKey, ListRow, Picker};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub code: String,
    pub vcpus: String,
    pub memory: String,
    pub disk: String,
    pub bandwidth: String,
    pub data: String,
    /// The whole spec sheet line after the code, sizes with their units.
    pub sheet: String,
    /// "USD 19.00", or the words for no list price.
    pub price: String,
    pub unavailable: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct State {
    pub picker: Picker,
    pub rows: Vec<Row>,
    search: Vec<String>,
    pub error: Option<String>,
}

/// Recomputes availability and prices for the chosen region and image.
pub fn refresh(app: &mut App) {
    let catalog = &app.catalog;
    let region = app.draft.region.as_str();
    let selection = app.image_selection();
    let rows: Vec<Row> = catalog
        .specs
        .iter()
        .map(|spec| {
            let unavailable = match &selection {
                Some(selection) => catalog
                    .check_spec(region, selection, &spec.code)
                    .err()
                    .map(|r| r.to_string()),
                None => Some(tr!("steps.spec.choose_image_first")),
            };
            let monthly = app.prices.monthly_price(region, &spec.code);
            let price = match monthly {
                Some(m) => format!("{} {m}", app.prices.currency),
                None => tr!("steps.spec.no_list_price"),
            };
            let sheet = tr!(
                "steps.spec.sheet",
                vcpus = spec.vcpus,
                memory = format_gib(spec.memory_gib),
                disk = spec.system_disk_gib,
                bandwidth = spec.peak_bandwidth_mbit,
                data = spec.data_package_gb,
                price = match monthly {
                    Some(_) => tr!("steps.spec.price_a_month", price = &price),
                    None => tr!("steps.spec.no_list_price_known"),
                }
            );
            Row {
                code: spec.code.clone(),
                vcpus: spec.vcpus.to_string(),
                memory: format!("{} GiB", format_gib(spec.memory_gib)),
                disk: format!("{} GiB", spec.system_disk_gib),
                bandwidth: spec.peak_bandwidth_mbit.to_string(),
                data: format!("{} GB", spec.data_package_gb),
                sheet,
                price,
                unavailable,
            }
        })
        .collect();
    let state = &mut app.spec;
    state.search = rows
        .iter()
        .map(|r| format!("{} {} vcpus {} {}", r.code, r.vcpus, r.memory, r.price).to_lowercase())
        .collect();
    state.rows = rows;
    if state.picker.cursor >= state.rows.len() {
        state.picker.cursor = 0;
    }
}

/// The row the cursor starts on: `preferred` (the package chosen, or one
/// remembered from an earlier order) when it is listed; else the cheapest
/// package with a list price that fits the image; else the first that
/// fits. A first-time buyer starts on the least they can spend.
pub fn start_row(app: &App, preferred: Option<&str>) -> Option<usize> {
    let rows = &app.spec.rows;
    if let Some(i) = preferred.and_then(|code| rows.iter().position(|r| r.code == code)) {
        return Some(i);
    }
    let fits = || {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.unavailable.is_none())
    };
    fits()
        .filter_map(|(i, r)| {
            app.prices
                .monthly_price(&app.draft.region, &r.code)
                .map(|price| (price, i))
        })
        .min()
        .map(|(_, i)| i)
        .or_else(|| fits().next().map(|(i, _)| i))
}

pub struct SpecScreen;

impl Screen for SpecScreen {
    type Action = ListKey;
    const NAME: &'static str = "Spec";

    fn bindings(app: &App) -> Vec<Binding<ListKey>> {
        let state = &app.spec;
        state.picker.bindings(&state.search, Some(back_words(app)))
    }

    fn apply(app: &mut App, action: ListKey, key: &KeyEvent) -> Reply {
        app.spec.error = None;
        match action {
            ListKey::Choose => {
                let row = &app.spec.rows[app.spec.picker.cursor];
                match &row.unavailable {
                    Some(reason) => {
                        app.spec.error = Some(tr!(
                            "steps.spec.cannot_be_chosen",
                            code = row.code,
                            reason = reason
                        ))
                    }
                    None => {
                        app.draft.plan_spec = row.code.clone();
                        app.spec.picker.clear_filter();
                        app.accept(Step::Spec);
                    }
                }
            }
            ListKey::Back => app.back(),
            other => {
                let state = &mut app.spec;
                state.picker.apply(other, key, &state.search);
            }
        }
        Reply::Done
    }

    fn sync(app: &mut App) {
        app.spec.error = None;
        let chosen = app.draft.plan_spec.clone();
        if let Some(i) = start_row(app, Some(&chosen)) {
            app.spec.picker.cursor = i;
        }
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// Each column's width in cells.
const COLUMNS: [usize; 7] = [23, 6, 8, 8, 7, 9, 13];

fn column_titles() -> [String; 7] {
    [
        tr!("steps.spec.column.code"),
        tr!("steps.spec.column.vcpus"),
        tr!("steps.spec.column.memory"),
        tr!("steps.spec.column.disk"),
        tr!("steps.spec.column.bandwidth"),
        tr!("steps.spec.column.traffic"),
        tr!("steps.spec.column.per_month"),
    ]
}

fn cells(values: [&str; 7]) -> String {
    let mut out = String::new();
    for (w, v) in COLUMNS.iter().zip(values) {
        out.push_str(&pad(v, *w));
    }
    out.trim_end().to_string()
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.spec;
    let image = match app.image_selection() {
        Some(crate::domain::catalog::ImageSelection::Public { name, version }) => {
            format!("{name} {version}")
        }
        Some(crate::domain::catalog::ImageSelection::Private { platform }) => {
            tr!("steps.spec.private_image", platform = platform.label())
        }
        None => tr!("steps.spec.no_image"),
    };
    draw_intro(
        tr!(
            "steps.spec.intro",
            image = image,
            region = app.catalog.region_name(&app.draft.region)
        ),
        &mut area,
        buf,
    );
    let header = take_rows(&mut area, 1);
    let titles = column_titles();
    let titles = titles.each_ref().map(String::as_str);
    widgets::draw_lines(
        vec![Line::from(Span::styled(
            format!("    {}", cells(titles)),
            theme.title(),
        ))],
        header,
        buf,
    );
    let visible = state.picker.visible(&state.search);
    let rows: Vec<ListRow> = visible
        .iter()
        .map(|&i| {
            let r = &state.rows[i];
            let marker = if r.unavailable.is_some() {
                theme.symbols.unavailable
            } else if r.code == app.draft.plan_spec {
                theme.symbols.done
            } else {
                " "
            };
            ListRow {
                line: Line::from(format!(
                    "  {marker} {}",
                    cells([
                        &r.code,
                        &r.vcpus,
                        &r.memory,
                        &r.disk,
                        &r.bandwidth,
                        &r.data,
                        &r.price
                    ])
                )),
                selected: i == state.picker.cursor,
                unavailable: r.unavailable.is_some(),
            }
        })
        .collect();
    let filter_line = state
        .picker
        .filter_line(theme, visible.len(), state.rows.len());
    // The explanation follows the table directly, however tall the page.
    let reserved = 3 + u16::from(filter_line.is_some());
    let room = area.height.saturating_sub(reserved);
    let list_area = take_rows(&mut area, room.min(rows.len() as u16));
    widgets::draw_list(&rows, theme, list_area, buf);
    take_rows(&mut area, 1);

    // What the highlighted package is, or why it cannot be had.
    let mut lines = Vec::new();
    if let Some(error) = &state.error {
        lines.push(Line::from(Span::styled(
            format!(
                "{} {}",
                theme.symbols.unavailable,
                widgets::fit(error, 300, theme)
            ),
            theme.error(),
        )));
    } else if let Some(r) = state
        .rows
        .get(state.picker.cursor)
        .filter(|_| visible.contains(&state.picker.cursor))
    {
        lines.push(match &r.unavailable {
            Some(reason) => Line::from(vec![
                Span::styled(
                    tr!("steps.spec.unavailable", mark = theme.symbols.unavailable),
                    theme.warning(),
                ),
                Span::raw(reason.clone()),
            ]),
            None => Line::from(vec![
                Span::styled(r.code.clone(), theme.title()),
                Span::raw(r.sheet.clone()),
            ]),
        });
    }
    if let Some(line) = filter_line {
        lines.push(line);
    }
    ratatui::widgets::Widget::render(
        ratatui::widgets::Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        area,
        buf,
    );
    None
}
