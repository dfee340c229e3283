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
use crate::domain::order::{Draft, RequestBody};
use crate::domain::summary::{Choice, Summary, plural};
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
            Binding::new(&[ENTER], "order", Action::Order)
                .detail("place the order (asks first; nothing is sent before)"),
            Binding::new(&[Key::Range('1', LAST_FORM_STEP)], "change", Action::Reopen)
                .detail("reopen that step; the review comes back after it"),
            Binding::new(&[Key::Char('v')], "JSON", Action::ToggleJson)
                .detail("show or hide the exact request body"),
            Binding::new(
                &[Key::Char('w')],
                if app.review.show_whole {
                    "shorten"
                } else {
                    "show whole"
                },
                Action::ToggleWhole,
            )
            .detail("show long descriptions and tag values whole, or cut to one line")
            .when(has_long_text(app)),
            Binding::new(&[Key::Char('s')], "save plan", Action::SavePlan)
                .detail("save the plan file for `flexus order --plan`"),
            Binding::new(&[UP, DOWN], "scroll", Action::Scroll { max }).when(scrolls),
            Binding::new(
                &[Key::Char('j'), Key::Char('k')],
                "scroll by a line",
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(
                &[PAGE_UP, PAGE_DOWN],
                "scroll by ten lines",
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(
                &[HOME, END],
                "to the top or the end",
                Action::Scroll { max },
            )
            .help_only()
            .when(scrolls),
            Binding::new(&[ESC], "back", Action::Back).detail(format!("back to step {before}")),
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
        _ => "nowhere: not signed in".to_string(),
    };
    Line::from(format!("Sent to: {brief}"))
}

/// What the purchase commits to, in one line.
fn purchase_words(app: &App) -> String {
    let d = &app.draft;
    format!(
        "{} of {} in {} for {}",
        plural(d.purchase_quantity, "instance"),
        d.plan_spec,
        app.catalog.region_name(&d.region),
        d.period_type.describe(d.period_num)
    )
}

/// What follows "Estimated total: ": "USD 19.00", or what the figure
/// leaves out for want of a list price.
fn estimated_total(app: &App) -> String {
    let e = Summary::new(&app.catalog, &app.prices, &app.draft).estimate;
    let unpriced = e.unpriced.join(", ");
    let text = match e.total {
        Some(total) if e.unpriced.is_empty() => format!("{} {total}", e.currency),
        Some(total) => format!(
            "{} {total}, not counting {unpriced} (no list price known)",
            e.currency
        ),
        None => format!("not known; not counted: {unpriced}"),
    };
    clean(&text).into_owned()
}

/// Why the profile's spending limit refuses this order, with where to
/// change it; `None` when it may be sent.
pub fn spending_refusal(app: &App) -> Option<String> {
    let profile = app.profile.as_ref()?;
    let estimate = Summary::new(&app.catalog, &app.prices, &app.draft).estimate;
    let why = profile.limit.check(&estimate).err()?;
    Some(format!(
        "Nothing is sent: {why}. Change the order, or max_order_total (or allow_unpriced) in {}.",
        profile.described
    ))
}

/// Why the figure in a question about sending is not the price: every
/// total before the order exists is worked out from list prices.
const ESTIMATE_NOTE: &str =
    "An estimate from list prices; the placed order states what is charged.";

/// The order, what it costs (as what the user agrees to) and where it
/// goes: the opening of every typed question about sending it.
fn agreeing_to(app: &App, question: Confirmation) -> Confirmation {
    question
        .line(purchase_words(app))
        .line(vec![
            Span::raw("Estimated total you agree to: "),
            Span::styled(estimated_total(app), app.theme.warning()),
        ])
        .line(ESTIMATE_NOTE)
        .line(destination(app))
}

/// The first question before an order is sent: y places it.
pub fn order_question(app: &App) -> Confirmation {
    Confirmation::new("Place this order?", Confirmed::Submit { second: false })
        .saying("yes, place the order", "no")
        .line(purchase_words(app))
        .line(format!("Estimated total: {}", estimated_total(app)))
        .line(ESTIMATE_NOTE)
        .line(destination(app))
        .closing(
            &app.theme,
            "Press %{answer} to place it. Any other key: no, nothing is sent.",
        )
}

/// The second question for a large order: the word "yes" must be typed.
pub fn order_again_question(app: &App) -> Confirmation {
    let question = Confirmation::new(
        "Please confirm once more",
        Confirmed::Submit { second: true },
    )
    .typed("yes")
    .saying("place the order", "no");
    agreeing_to(app, question).closing(
        &app.theme,
        "Type %{answer} and press Enter to place it; anything else is no.",
    )
}

/// After a same-body purchase of unknown outcome (or a damaged record that
/// may be one) stopped the order: "separate" must be typed to send it.
pub fn separate_question(app: &App) -> Confirmation {
    let earlier = separate_from(app).len().max(1);
    let question = Confirmation::new(
        "A separate, additional purchase?",
        Confirmed::SubmitSeparate,
    )
    .typed("separate")
    .saying("send it as another purchase", "no");
    agreeing_to(app, question)
        .line(if earlier == 1 {
            "If the earlier purchase placed an order, you will have both.".to_string()
        } else {
            format!("If the {earlier} earlier purchases placed orders, you will have all.")
        })
        .closing(
            &app.theme,
            "Type %{answer} and press Enter to send it; anything else is no.",
        )
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
    Confirmation::new("Replace the file?", Confirmed::OverwritePlan(path))
        .saying("replace the file", "no")
        .line(format!("{shown} exists already."))
        .closing(
            &app.theme,
            "Press %{answer} to replace it; any other key: no.",
        )
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
            "This order cannot be placed yet:",
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
            "Other purchases whose outcome is unknown (`flexus orders` shows them):",
            theme.warning(),
        )));
        for record in &app.review.unresolved {
            lines.extend(labelled(
                2,
                "!",
                2,
                theme.warning(),
                &format!(
                    "{}, sent at {} (Client-Request-Id {})",
                    crate::tui::submission::purchase_text(&record.body),
                    crate::domain::when::dated_stamp(&record.first_sent_at, &app.zone),
                    clean(&record.client_request_id)
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

    lines.push(heading("Your choices (press a step's number to change it)"));
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
            (Some(spec), Field::PlanSpec) => format!("{value} ({})", spec.short_description()),
            (_, Field::Description | Field::Tags) if !app.review.show_whole => {
                shortened_value(app, &field, width).unwrap_or(value)
            }
            _ => value,
        };
        lines.extend(row(number, &label, &value, plain));
    }
    lines.push(Line::default());

    let e = &summary.estimate;
    lines.push(heading("Cost estimate"));
    let per_instance = match e.per_instance_month {
        Some(_) => format!("{} a month", e.per_month_text()),
        None => "no list price known".to_string(),
    };
    lines.extend(row(None, "Per instance", &per_instance, plain));
    let span = format!(
        "{} x {}",
        plural(e.months, "month"),
        plural(e.quantity, "instance")
    );
    let total = match e.total {
        Some(total) => format!("{} {total} for {span}", e.currency),
        None => format!("not known ({span})"),
    };
    lines.extend(row(None, "Whole order", &total, theme.title()));
    if let Some(profile) = &app.profile
        && let Some(limit) = profile.limit.text(&e.currency)
    {
        let (style, limit) = match spending_refusal(app) {
            Some(_) => (theme.warning(), format!("{limit}: over it")),
            None => (plain, limit),
        };
        lines.extend(labelled(
            3,
            "Limit",
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
            "Not priced",
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
    lines.push(Line::default());

    let (destination, style) = match &app.connection {
        Connection::Ready { label, .. } => (label.clone(), plain),
        Connection::SigningIn { what, .. } => {
            (format!("(still signing in with {what})"), theme.muted())
        }
        Connection::Failed { what, .. } => (
            format!("nowhere yet: signing in with {what} failed; Enter leads to sign-in"),
            theme.warning(),
        ),
        Connection::NotSignedIn => ("nowhere yet: not signed in".to_string(), theme.warning()),
    };
    lines.extend(row(None, "Sends to", &destination, style));
    let path = default_plan_path(app);
    let state = &app.review;
    let saved = match (
        &state.plan_file,
        state.file_draft.as_ref() == Some(&app.draft),
    ) {
        (Some(_), true) if state.saved_here => "(saved)",
        (Some(_), true) => "(opened from this file)",
        (Some(_), false) => "(changed since; s saves it)",
        (None, _) => "(s saves the plan there)",
    };
    lines.extend(row(
        None,
        "Headless",
        &format!("flexus order --plan {} {saved}", shell_word(&path)),
        plain,
    ));
    lines.push(Line::default());

    if !summary.spec_sheet().is_empty() {
        lines.push(heading("Spec sheet"));
        for (label, value) in summary.spec_sheet() {
            lines.extend(row(None, &label, &value, plain));
        }
        lines.push(Line::default());
    }

    if app.review.show_json {
        lines.push(heading("Request body, exactly as sent (v hides it)"));
        match app.draft.request_body(&app.catalog) {
            Ok(body) => {
                for line in body.to_pretty_json().lines() {
                    lines.push(Line::from(format!("   {}", clean(line))));
                }
            }
            Err(_) => lines.push(Line::from(Span::styled(
                "   (no body until the problems above are fixed)",
                theme.warning(),
            ))),
        }
    } else {
        lines.push(Line::from(Span::styled(
            "   v shows the exact JSON request body",
            theme.muted(),
        )));
    }
    lines
}

const LABEL_WIDTH: usize = 15;

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
    let length = format!(" ({count} characters)");
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
            parts.push(format!(
                "{} ({above} lines above)",
                theme.symbols.more_above
            ));
        }
        if below > 0 {
            parts.push(format!(
                "{} ({below} lines below)",
                theme.symbols.more_below
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
