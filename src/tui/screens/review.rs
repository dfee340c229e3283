//! The review: everything chosen, the spec sheet, the cost estimate, the
//! exact request body and the equivalent headless command. Any step can be
//! reopened from here; submitting asks first, in the words written here.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::dialogs::{Confirmation, Confirmed};
use super::keys::{Binding, DOWN, END, ENTER, ESC, HOME, Key, PAGE_DOWN, PAGE_UP, UP, typed_char};
use super::{Command, Reply, Screen};
use crate::api::journal::PurchaseRecord;
use crate::domain::field::Field;
use crate::domain::freshness::stale_prices_warning;
use crate::domain::order::{Draft, RequestBody};
use crate::domain::summary::{self, Choice, Summary};
use crate::tui::app::{App, Connection, Overlay, Step, Tone};
use crate::tui::submission::{Origin, Submission};
use crate::tui::text::clean;
use crate::tui::widgets::{TextField, cells, labelled};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub scroll: u16,
    pub show_json: bool,
    /// Long descriptions and tag values are shown whole rather than cut to
    /// one line, which pushes the cost estimate off the first screen.
    pub show_whole: bool,
    /// The plan file this order was loaded from or last saved to.
    pub plan_file: Option<PathBuf>,
    /// What that file holds, so the review can tell when the order has
    /// changed since.
    pub file_draft: Option<Draft>,
    /// The file was written from here (rather than opened).
    pub saved_here: bool,
    /// The order being written, until the write answers.
    pub saving: Option<Draft>,
    /// A path the last save could not write to: offered again, so what was
    /// typed is not lost to a typo in a directory.
    pub failed_path: Option<PathBuf>,
    /// The journal is being asked for earlier purchases of unknown outcome
    /// before this order is offered for sending.
    pub checking: Option<Checking>,
    /// Purchases of unknown outcome with another body, as the last check
    /// found them: named on the review.
    pub unresolved: Vec<PurchaseRecord>,
    /// Damaged journal records that may hide a purchase of unknown outcome.
    pub damaged: Vec<crate::api::journal::DamagedRecord>,
}

#[derive(Debug, Clone)]
pub struct Checking {
    pub check: u64,
    /// The order asked about; an answer about another is dropped.
    pub body: RequestBody,
}

/// Where the plan is saved unless the user says otherwise.
pub fn default_plan_path(app: &App) -> PathBuf {
    if let Some(path) = app
        .review
        .failed_path
        .as_ref()
        .or(app.review.plan_file.as_ref())
    {
        return path.clone();
    }
    let name = &app.draft.instance_name;
    if crate::domain::order::check_instance_name(name).is_ok() {
        PathBuf::from(format!("plan-{name}.json"))
    } else {
        PathBuf::from("flexus-plan.json")
    }
}

/// A path as a shell reads it back.
pub fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-+=:,@".contains(c))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The review's keys reopen the steps by number: 1 to this.
const LAST_FORM_STEP: char = (b'0' + Step::FORM.len() as u8) as char;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Order,
    Reopen,
    ToggleJson,
    ToggleWhole,
    SavePlan,
    /// Scroll, no further than `max` (how far the review scrolls now).
    Scroll {
        max: u16,
    },
    Back,
}

pub struct ReviewScreen;

impl Screen for ReviewScreen {
    type Action = Action;
    const NAME: &'static str = "Review";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let max = max_scroll(app);
        let scrolls = max > 0;
        let before = Step::Review.previous().map_or(0, Step::number);
        vec![
            Binding::new(&[ENTER], tr!("steps.review.key.order"), Action::Order)
                .detail(tr!("steps.review.key.order_detail")),
            Binding::new(
                &[Key::Range('1', LAST_FORM_STEP)],
                tr!("steps.review.key.change"),
                Action::Reopen,
            )
            .detail(tr!("steps.review.key.change_detail")),
            Binding::new(&[Key::Char('v')], "JSON", Action::ToggleJson)
                .detail(tr!("steps.review.key.json_detail")),
            Binding::new(
                &[Key::Char('w')],
                if app.review.show_whole {
                    tr!("steps.review.key.shorten")
                } else {
                    tr!("steps.review.key.show_whole")
                },
                Action::ToggleWhole,
            )
            .detail(tr!("steps.review.key.whole_detail"))
            .when(has_long_text(app)),
            Binding::new(
                &[Key::Char('s')],
                tr!("steps.review.key.save_plan"),
                Action::SavePlan,
            )
            .detail(tr!("steps.review.key.save_plan_detail")),
            Binding::new(
                &[UP, DOWN],
                tr!("steps.review.key.scroll"),
                Action::Scroll { max },
            )
            .when(scrolls),
            Binding::new(
                &[Key::Char('j'), Key::Char('k')],
                tr!("steps.review.key.scroll_line"),
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(
                &[PAGE_UP, PAGE_DOWN],
                tr!("steps.review.key.scroll_ten"),
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(
                &[HOME, END],
                tr!("steps.review.key.top_or_end"),
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(&[ESC], tr!("steps.form.back"), Action::Back)
                .detail(tr!("steps.review.key.back_detail", step = before)),
        ]
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        match action {
            Action::Order => return Reply::Do(Command::PlaceOrder),
            Action::Back => app.back(),
            Action::ToggleJson => app.review.show_json = !app.review.show_json,
            Action::ToggleWhole => app.review.show_whole = !app.review.show_whole,
            Action::SavePlan => {
                let path = default_plan_path(app);
                app.overlay = Some(Overlay::SavePlan(TextField::new(
                    path.display().to_string(),
                )));
            }
            Action::Reopen => {
                if let Some(step) = typed_char(key)
                    .and_then(|c| c.to_digit(10))
                    .and_then(|n| Step::from_number(n as usize))
                {
                    app.reopen(step);
                }
            }
            Action::Scroll { max: max_scroll } => {
                let scroll = &mut app.review.scroll;
                *scroll = match (key.code, typed_char(key)) {
                    (KeyCode::Up, _) | (_, Some('k')) => scroll.saturating_sub(1),
                    (KeyCode::Down, _) | (_, Some('j')) => (*scroll + 1).min(max_scroll),
                    (KeyCode::PageUp, _) => scroll.saturating_sub(10),
                    (KeyCode::PageDown, _) => (*scroll + 10).min(max_scroll),
                    (KeyCode::Home, _) => 0,
                    _ => max_scroll,
                };
            }
        }
        Reply::Done
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// Several instances or a yearly period ask a second time.
pub fn needs_second_confirmation(app: &App) -> bool {
    crate::domain::order::asks_twice(app.draft.purchase_quantity, app.draft.period_type)
}

/// Where the order goes, in the header's words: a question names it so
/// that a real purchase is never mistaken for a sandbox one.
fn destination(app: &App) -> Line<'static> {
    let brief = match &app.connection {
        Connection::Ready { brief, .. } => clean(brief).into_owned(),
        _ => tr!("steps.review.nowhere_not_signed_in"),
    };
    Line::from(tr!("steps.review.sent_to", destination = brief))
}

/// What the purchase commits to, in one line.
fn purchase_words(app: &App) -> String {
    let d = &app.draft;
    let (spec, region, period) = (
        &d.plan_spec,
        app.catalog.region_name(&d.region),
        d.period_type.describe(d.period_num),
    );
    if d.purchase_quantity == 1 {
        tr!(
            "steps.review.purchase.one",
            spec = spec,
            region = region,
            period = period
        )
    } else {
        tr!(
            "steps.review.purchase.other",
            count = d.purchase_quantity,
            spec = spec,
            region = region,
            period = period
        )
    }
}

/// What follows "Estimated total: ": "USD 19.00", or what the figure
/// leaves out for want of a list price.
fn estimated_total(app: &App) -> String {
    let e = Summary::new(&app.catalog, &app.prices, &app.draft).estimate;
    let unpriced = e.unpriced.join(", ");
    let text = match e.total {
        Some(total) if e.unpriced.is_empty() => format!("{} {total}", e.currency),
        Some(total) => tr!(
            "steps.review.total_not_counting",
            currency = e.currency,
            total = total,
            unpriced = unpriced
        ),
        None => tr!("steps.review.total_not_known", unpriced = unpriced),
    };
    clean(&text).into_owned()
}

/// Why the profile's spending limit refuses this order, with where to
/// change it; `None` when it may be sent.
pub fn spending_refusal(app: &App) -> Option<String> {
    let profile = app.profile.as_ref()?;
    let estimate = Summary::new(&app.catalog, &app.prices, &app.draft).estimate;
    let why = profile.limit.check(&estimate).err()?;
    Some(tr!(
        "steps.review.over_the_limit",
        why = why,
        profile = profile.described
    ))
}

/// Why the figure in a question about sending is not the price: every
/// total before the order exists is worked out from list prices.
fn estimate_note() -> String {
    tr!("steps.review.estimate_note")
}

/// The order, what it costs (as what the user agrees to) and where it
/// goes: the opening of every typed question about sending it.
fn agreeing_to(app: &App, question: Confirmation) -> Confirmation {
    question
        .line(purchase_words(app))
        .line(vec![
            Span::raw(tr!("steps.review.agree_to_total")),
            Span::styled(estimated_total(app), app.theme.warning()),
        ])
        .line(estimate_note())
        .line(destination(app))
}

/// The first question before an order is sent: y places it.
pub fn order_question(app: &App) -> Confirmation {
    Confirmation::new(
        tr!("steps.review.ask.place"),
        Confirmed::Submit { second: false },
    )
    .saying(
        tr!("steps.review.ask.place_yes"),
        tr!("steps.review.ask.no"),
    )
    .line(purchase_words(app))
    .line(tr!(
        "steps.review.estimated_total",
        total = estimated_total(app)
    ))
    .line(estimate_note())
    .line(destination(app))
    .closing(&app.theme, tr!("steps.review.ask.place_closing"))
}

/// The second question for a large order: the word "yes" must be typed.
pub fn order_again_question(app: &App) -> Confirmation {
    let question = Confirmation::new(
        tr!("steps.review.ask.again"),
        Confirmed::Submit { second: true },
    )
    .typed("yes")
    .saying(
        tr!("steps.review.ask.again_yes"),
        tr!("steps.review.ask.no"),
    );
    agreeing_to(app, question).closing(&app.theme, tr!("steps.review.ask.again_closing"))
}

/// After a same-body purchase of unknown outcome (or a damaged record that
/// may be one) stopped the order: "separate" must be typed to send it.
pub fn separate_question(app: &App) -> Confirmation {
    let earlier = separate_from(app).len().max(1);
    let question = Confirmation::new(tr!("steps.review.ask.separate"), Confirmed::SubmitSeparate)
        .typed("separate")
        .saying(
            tr!("steps.review.ask.separate_yes"),
            tr!("steps.review.ask.no"),
        );
    agreeing_to(app, question)
        .line(if earlier == 1 {
            tr!("steps.review.ask.separate_one")
        } else {
            tr!("steps.review.ask.separate_other", count = earlier)
        })
        .closing(&app.theme, tr!("steps.review.ask.separate_closing"))
}

/// What a "separate purchase" answer acknowledges now: the same-body
/// purchases on the status pane, and the damaged records the review names.
pub fn separate_from(app: &App) -> Vec<String> {
    let same = match &app.submission {
        Submission::Unknown(unknown) => match &unknown.origin {
            Origin::Double { same, .. } => same.as_slice(),
            _ => &[],
        },
        _ => &[],
    };
    same.iter()
        .map(|r| r.client_request_id.clone())
        .chain(
            app.review
                .damaged
                .iter()
                .map(crate::api::purchase::damaged_key),
        )
        .collect()
}

/// The plan file exists: replace it only on a yes.
pub fn overwrite_question(app: &App, path: PathBuf) -> Confirmation {
    let shown = clean(&path.display().to_string()).into_owned();
    Confirmation::new(
        tr!("steps.review.ask.replace"),
        Confirmed::OverwritePlan(path),
    )
    .saying(
        tr!("steps.review.ask.replace_yes"),
        tr!("steps.review.ask.no"),
    )
    .line(tr!("steps.review.ask.exists", path = shown))
    .closing(&app.theme, tr!("steps.review.ask.replace_closing"))
}

/// Everything the review shows, top to bottom, wrapped to `width`.
pub fn content(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let summary = Summary::new(&app.catalog, &app.prices, &app.draft);
    let mut lines = Vec::new();
    let heading = |text: &str| Line::from(Span::styled(text.to_string(), theme.accent()));
    // " 4 Period         3 months": the step's number, then label and value,
    // the value wrapped in its own column.
    let row = |number: Option<usize>, label: &str, value: &str, style: Style| {
        let mut rows = labelled(3, label, LABEL_WIDTH, theme.title(), value, style, width);
        if let Some(n) = number {
            rows[0].spans[0] = Span::styled(format!(" {n} "), theme.key());
        }
        rows
    };
    let plain = Style::new();

    let problems = app.draft.problems(&app.catalog);
    if !problems.is_empty() {
        lines.push(Line::from(Span::styled(
            tr!("steps.review.cannot_be_placed"),
            theme.error(),
        )));
        for p in &problems {
            lines.extend(labelled(
                2,
                "!",
                2,
                theme.error(),
                &p.to_string(),
                theme.error(),
                width,
            ));
        }
        lines.push(Line::default());
    }

    if !app.review.unresolved.is_empty() {
        lines.push(Line::from(Span::styled(
            tr!("steps.review.other_unknown"),
            theme.warning(),
        )));
        for record in &app.review.unresolved {
            lines.extend(labelled(
                2,
                "!",
                2,
                theme.warning(),
                &tr!(
                    "steps.review.unknown_purchase",
                    purchase = crate::tui::submission::purchase_text(&record.body),
                    sent = crate::domain::when::dated_stamp(&record.first_sent_at, &app.zone),
                    id = clean(&record.client_request_id)
                ),
                Style::new(),
                width,
            ));
        }
        lines.extend(labelled(
            2,
            "",
            2,
            Style::new(),
            &format!("Client-Request-Id: {}", super::status::request_id_meaning()),
            theme.muted(),
            width,
        ));
        lines.push(Line::default());
    }
    for damaged in &app.review.damaged {
        lines.extend(labelled(
            0,
            "!",
            2,
            theme.warning(),
            &clean(&crate::api::purchase::damaged_words(damaged, &app.zone)),
            Style::new(),
            width,
        ));
        lines.push(Line::default());
    }

    lines.push(heading(&tr!("steps.review.your_choices")));
    let mut choices = summary.choices.clone();
    choices.sort_by_key(|choice| Step::of_field(&choice.field));
    let mut last_step = None;
    for Choice {
        field,
        label,
        value,
    } in choices
    {
        let step = Step::of_field(&field);
        let number = (last_step != Some(step)).then(|| step.number());
        last_step = Some(step);
        let value = match (&summary.spec, &field) {
            (Some(spec), Field::PlanSpec) => tr!(
                "steps.review.spec_value",
                code = value,
                short = spec.shown_description()
            ),
            (_, Field::Description | Field::Tags) if !app.review.show_whole => {
                shortened_value(app, &field, width).unwrap_or(value)
            }
            _ => value,
        };
        lines.extend(row(number, &label, &value, plain));
    }
    lines.push(Line::default());

    let e = &summary.estimate;
    lines.push(heading(&tr!("steps.review.cost_estimate")));
    // The price's day sits beside it, so how old the figure is costs no
    // row and the estimate stays on the first screen at 80x24; a table
    // over a year old says so there, and its whole advice follows the notes.
    let stale = stale_prices_warning(&app.prices, today(app));
    let day = &app.prices.recorded_on;
    let (per_instance, per_instance_style) = match (e.per_instance_month, &stale) {
        (Some(_), None) => (
            tr!(
                "steps.review.price_of_day",
                price = e.per_month_text(),
                day = day
            ),
            plain,
        ),
        (Some(_), Some(_)) => (
            tr!(
                "steps.review.price_of_old_day",
                price = e.per_month_text(),
                day = day
            ),
            theme.warning(),
        ),
        (None, _) => (tr!("steps.spec.no_list_price_known"), plain),
    };
    lines.extend(row(
        None,
        &tr!("steps.review.per_instance"),
        &per_instance,
        per_instance_style,
    ));
    let span = tr!(
        "steps.review.span",
        months = summary::months(e.months),
        instances = summary::instances(e.quantity)
    );
    let total = match e.total {
        Some(total) => tr!(
            "steps.review.whole_order_total",
            currency = e.currency,
            total = total,
            span = span
        ),
        None => tr!("steps.review.whole_order_not_known", span = span),
    };
    lines.extend(row(
        None,
        &tr!("steps.review.whole_order"),
        &total,
        theme.title(),
    ));
    if let Some(profile) = &app.profile
        && let Some(limit) = profile.limit.text(&e.currency)
    {
        let (style, limit) = match spending_refusal(app) {
            Some(_) => (
                theme.warning(),
                tr!("steps.review.limit_over_it", limit = limit),
            ),
            None => (plain, limit),
        };
        lines.extend(labelled(
            3,
            &tr!("steps.review.limit"),
            LABEL_WIDTH,
            style,
            &limit,
            plain,
            width,
        ));
    }
    if !e.unpriced.is_empty() {
        lines.extend(labelled(
            3,
            &tr!("steps.review.not_priced"),
            LABEL_WIDTH,
            theme.warning(),
            &e.unpriced.join(", "),
            plain,
            width,
        ));
    }
    for note in &e.notes {
        lines.extend(labelled(
            3,
            "",
            LABEL_WIDTH,
            plain,
            note,
            theme.muted(),
            width,
        ));
    }
    if let Some(stale) = &stale {
        lines.extend(labelled(
            3,
            "!",
            LABEL_WIDTH,
            theme.warning(),
            stale,
            theme.warning(),
            width,
        ));
    }
    lines.push(Line::default());

    let (destination, style) = match &app.connection {
        Connection::Ready { label, .. } => (label.clone(), plain),
        Connection::SigningIn { what, .. } => (
            tr!("steps.review.still_signing_in", what = what),
            theme.muted(),
        ),
        Connection::Failed { what, .. } => (
            tr!("steps.review.sign_in_failed", what = what),
            theme.warning(),
        ),
        Connection::NotSignedIn => (tr!("steps.review.not_signed_in"), theme.warning()),
    };
    lines.extend(row(
        None,
        &tr!("steps.review.sends_to"),
        &destination,
        style,
    ));
    let path = default_plan_path(app);
    let state = &app.review;
    let saved = match (
        &state.plan_file,
        state.file_draft.as_ref() == Some(&app.draft),
    ) {
        (Some(_), true) if state.saved_here => tr!("steps.review.plan.saved"),
        (Some(_), true) => tr!("steps.review.plan.opened"),
        (Some(_), false) => tr!("steps.review.plan.changed"),
        (None, _) => tr!("steps.review.plan.not_saved"),
    };
    lines.extend(row(
        None,
        &tr!("steps.review.headless"),
        &format!("flexus order --plan {} {saved}", shell_word(&path)),
        plain,
    ));
    lines.push(Line::default());

    if !summary.spec_sheet().is_empty() {
        // The sheet is the catalog's: its day goes with it.
        lines.push(heading(&match &app.catalog.updated_on {
            Some(day) => tr!("steps.review.spec_sheet_of_day", day = day),
            None => tr!("steps.review.spec_sheet"),
        }));
        for (label, value) in summary.spec_sheet() {
            lines.extend(row(None, &label, &value, plain));
        }
        lines.push(Line::default());
    }

    if app.review.show_json {
        lines.push(heading(&tr!("steps.review.request_body")));
        match app.draft.request_body(&app.catalog) {
            Ok(body) => {
                for line in body.to_pretty_json().lines() {
                    lines.push(Line::from(format!("   {}", clean(line))));
                }
            }
            Err(_) => lines.push(Line::from(Span::styled(
                tr!("steps.review.no_body"),
                theme.warning(),
            ))),
        }
    } else {
        lines.push(Line::from(Span::styled(
            tr!("steps.review.v_shows_json"),
            theme.muted(),
        )));
    }
    lines
}

const LABEL_WIDTH: usize = 15;

/// The day of the message being handled (UTC, as the price table's day is
/// a plain day): from the clock `update` was given, never read here.
fn today(app: &App) -> jiff::civil::Date {
    let wall = app.clock.wall;
    jiff::civil::date(wall.year() as i16, wall.month() as i8, wall.day() as i8)
}

/// Cells for a value beside its label, as `labelled` wraps it.
fn value_room(width: u16) -> usize {
    (width as usize).saturating_sub(3 + LABEL_WIDTH).max(10)
}

/// `text` on one line of `room` cells: whole when it fits, else cut with
/// an ellipsis and how long it really is (`count` characters).
fn one_line(text: &str, count: usize, room: usize, ellipsis: &str) -> String {
    if crate::tui::text::width(text) <= room {
        return text.to_string();
    }
    let length = tr!("steps.review.characters", count = count);
    let cut = room.saturating_sub(crate::tui::text::width(&length));
    format!(
        "{}{length}",
        crate::tui::text::truncate(text, cut, ellipsis)
    )
}

/// The description, or the tags each on at most one line; None for other
/// fields. Long texts would otherwise push the cost estimate off the
/// first screen.
fn shortened_value(app: &App, field: &Field, width: u16) -> Option<String> {
    let room = value_room(width);
    let ellipsis = app.theme.symbols.ellipsis;
    let draft = &app.draft;
    match field {
        Field::Description => {
            let text = clean(&draft.description);
            Some(one_line(
                &text,
                draft.description.chars().count(),
                room,
                ellipsis,
            ))
        }
        Field::Tags if !draft.tags.is_empty() => Some(
            draft
                .tags
                .iter()
                .map(|tag| {
                    let text = clean(&format!("{}={}", tag.key, tag.value)).into_owned();
                    one_line(&text, tag.value.chars().count(), room, ellipsis)
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// Whether a description or tag is too long for one line of the review at
/// the current terminal size: only then does the show-whole key work.
fn has_long_text(app: &App) -> bool {
    let (w, h) = app.size;
    let width = crate::tui::view::areas(app, Rect::new(0, 0, w, h))
        .body
        .width;
    let room = value_room(width);
    let draft = &app.draft;
    crate::tui::text::width(&clean(&draft.description)) > room
        || draft.tags.iter().any(|tag| {
            crate::tui::text::width(&clean(&format!("{}={}", tag.key, tag.value))) > room
        })
}

/// Rows for the text when `total` lines go into `height` rows: all of
/// them, or all but the last, which then says what is out of view.
fn text_rows(total: usize, height: u16) -> u16 {
    if total <= height as usize {
        height
    } else {
        height.saturating_sub(1)
    }
}

/// How far the review can scroll at the current terminal size.
fn max_scroll(app: &App) -> u16 {
    let (w, h) = app.size;
    let body = crate::tui::view::areas(app, Rect::new(0, 0, w, h)).body;
    let total = content(app, body.width).len();
    (total as u16).saturating_sub(text_rows(total, body.height))
}

fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let lines = content(app, area.width);
    let total = lines.len();
    let rows = text_rows(total, area.height);
    let max_scroll = (total as u16).saturating_sub(rows);
    let scroll = app.review.scroll.min(max_scroll);
    Paragraph::new(lines).scroll((scroll, 0)).render(
        Rect {
            height: rows,
            ..area
        },
        buf,
    );
    if rows < area.height {
        let theme = &app.theme;
        let above = scroll as usize;
        let below = total - above - rows as usize;
        let mut parts = Vec::new();
        if above > 0 {
            parts.push(tr!(
                "steps.review.lines_above",
                more = theme.more_above(),
                count = above
            ));
        }
        if below > 0 {
            parts.push(tr!(
                "steps.review.lines_below",
                more = theme.more_below(),
                count = below
            ));
        }
        let text = parts.join("  ");
        let x = area.right().saturating_sub(cells(&text) as u16);
        buf.set_string(x, area.bottom() - 1, &text, theme.muted());
    }
    None
}

/// A notice on the review page.
pub fn tell(app: &mut App, tone: Tone, text: impl Into<String>) {
    app.notices.clear();
    app.notice(tone, text);
}
