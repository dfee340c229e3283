//! Step 8: the live status of the order being placed and tracked: its IDs,
//! a timeline with times, the amount the order states, the next check,
//! failures as they happen, and paying a pending order.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::take_rows;
use crate::api::wire::status as order_status;
use crate::tui::app::{App, Overlay, Page, Step, Tone};
use crate::tui::msg::Effect;
use crate::tui::submission::{
    Choice, Origin, Payment, Submission, Tracking, amount_text, failure_text, purchase_text,
    seconds_text,
};
use crate::tui::text::{clean, clock_time, utc, wrap_words};
use crate::tui::widgets::{self, Hint, TextField, hint, typed_char};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted candidate order after a lost answer.
    pub candidate: usize,
    /// What the scrolling part under the facts shows.
    pub section: Section,
    /// Rows scrolled from the top of the section; None stays at its end, so
    /// the newest timeline entries are in view as they arrive.
    pub scroll: Option<usize>,
}

/// The lower, scrolling part of the pane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Section {
    #[default]
    Timeline,
    /// Every instance ID of the order, one per line.
    InstanceIds,
}

/// Instance IDs shown in the facts before they are summarised: as many as
/// fit in this many rows.
const INSTANCE_ROWS: usize = 2;
const LABEL_WIDTH: usize = 19;
/// The timeline's time column: two spaces, HH:MM:SS, two spaces.
const TIME_WIDTH: usize = 12;

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    if scroll_key(app, key) {
        return Vec::new();
    }
    let c = typed_char(key);
    match &mut app.submission {
        Submission::Draft => {}
        Submission::Submitting(_) => {}
        Submission::Failed { .. } => {
            if key.code == KeyCode::Esc || c == Some('e') {
                app.submission = Submission::Draft;
                app.go_to(Page::Step(Step::Review));
            }
        }
        Submission::Unknown(unknown) => {
            let count = unknown.candidates.len();
            let double = matches!(unknown.origin, Origin::Double { .. });
            match (key.code, c) {
                (KeyCode::Up, _) | (_, Some('k')) => {
                    app.status.candidate = app.status.candidate.saturating_sub(1)
                }
                (KeyCode::Down, _) | (_, Some('j')) => {
                    app.status.candidate = (app.status.candidate + 1).min(count.saturating_sub(1))
                }
                (_, Some('t')) if unknown.can_choose() => {
                    return unknown.choose(
                        &mut app.timeline,
                        &app.clock,
                        app.status.candidate,
                        Choice::Claim,
                    );
                }
                (_, Some('g')) if unknown.can_look_again() => {
                    return unknown.look_again(&mut app.timeline, &app.clock);
                }
                (_, Some('d')) if unknown.can_choose() => {
                    return unknown.choose(
                        &mut app.timeline,
                        &app.clock,
                        app.status.candidate,
                        Choice::Dismiss,
                    );
                }
                (_, Some('r')) if unknown.can_resend() => {
                    app.overlay = Some(Overlay::ConfirmResend)
                }
                (_, Some('s')) if double => {
                    app.overlay = Some(Overlay::ConfirmSeparate(TextField::default()))
                }
                (KeyCode::Esc, _) if double => {
                    app.submission = Submission::Draft;
                    app.timeline = Default::default();
                    app.status = Default::default();
                    app.go_to(Page::Step(Step::Review));
                }
                (_, Some('n')) if unknown.origin == Origin::Reopened => {
                    new_order(app);
                }
                (_, Some('l')) => {
                    app.quit = true;
                    return vec![Effect::Quit];
                }
                _ => {}
            }
        }
        Submission::Placed(tracking) => match c {
            Some('p') if tracking.can_pay() => {
                app.overlay = Some(Overlay::ConfirmPay {
                    order_id: tracking.order_id.clone(),
                })
            }
            Some('t') if !tracking.active && !tracking.is_final() => {
                tracking.active = true;
                let order_id = tracking.order_id.clone();
                app.timeline
                    .push(&app.clock, Tone::Info, "tracking the order again");
                return vec![Effect::Track { order_id }];
            }
            Some('i') if !tracking.instance_ids.is_empty() => {
                let status = &mut app.status;
                (status.section, status.scroll) = match status.section {
                    Section::Timeline => (Section::InstanceIds, Some(0)),
                    Section::InstanceIds => (Section::Timeline, None),
                };
            }
            Some('n') if tracking.can_leave() => {
                let stop =
                    (tracking.active && !tracking.is_final()).then(|| Effect::StopTracking {
                        order_id: tracking.order_id.clone(),
                    });
                new_order(app);
                return stop.into_iter().collect();
            }
            Some('q') => return crate::tui::update::ask_to_quit(app),
            _ => {}
        },
    }
    Vec::new()
}

/// On to a new order from the same choices; this purchase stays in the
/// journal (and, while its outcome is unknown, stops the same order being
/// sent again unless the user says it is separate).
fn new_order(app: &mut App) {
    app.submission = Submission::Draft;
    app.timeline = Default::default();
    app.status = Default::default();
    app.from_review = false;
    app.go_to(Page::Step(Step::Region));
    app.notice(
        Tone::Info,
        "A new order, starting from the same choices: change anything, or Enter through.",
    );
}

/// Scrolls the section under the facts; false when the key is not for
/// scrolling. After a lost answer ↑↓ choose an order, so only the page keys
/// scroll there.
fn scroll_key(app: &mut App, key: &KeyEvent) -> bool {
    let choosing = matches!(&app.submission, Submission::Unknown(u) if !u.candidates.is_empty());
    // Rows to move by, in pages or lines; None for the very top or end.
    let (pages, lines, to_end) = match (key.code, typed_char(key)) {
        (KeyCode::PageUp, _) => (-1, 0, None),
        (KeyCode::PageDown, _) => (1, 0, None),
        (KeyCode::Home, _) => (0, 0, Some(false)),
        (KeyCode::End, _) => (0, 0, Some(true)),
        (KeyCode::Up, _) | (_, Some('k')) if !choosing => (0, -1, None),
        (KeyCode::Down, _) | (_, Some('j')) if !choosing => (0, 1, None),
        _ => return false,
    };
    let section = layout(app, body_area(app));
    let height = section.section.height as usize;
    let max = section.rows.len().saturating_sub(height);
    let now = app.status.scroll.unwrap_or(max).min(max);
    let page = height.saturating_sub(1).max(1) as isize;
    let next = match to_end {
        Some(true) => max,
        Some(false) => 0,
        None => now.saturating_add_signed(pages * page + lines),
    };
    app.status.scroll = (next < max).then_some(next);
    true
}

/// The page's area at the current terminal size, for keys and hints that
/// depend on what fits.
fn body_area(app: &App) -> Rect {
    let (w, h) = app.size;
    crate::tui::view::areas(app, Rect::new(0, 0, w, h)).body
}

pub fn hints(app: &App) -> Vec<Hint> {
    let layout = layout(app, body_area(app));
    let scrolls = layout.rows.len() > layout.section.height as usize;
    let mut hints = Vec::new();
    match &app.submission {
        Submission::Draft | Submission::Submitting(_) => {}
        Submission::Failed { .. } => hints.push(hint("Esc", "back to the review, everything kept")),
        Submission::Unknown(unknown) => {
            if unknown.can_choose() {
                if unknown.candidates.len() > 1 {
                    hints.push(hint("↑↓", "choose"));
                }
                hints.push(
                    hint("t", "mine: track it")
                        .detail("the highlighted order is this purchase: claim it and track it"),
                );
                hints.push(
                    hint("d", "not mine")
                        .detail("the highlighted order is not this purchase: leave it out"),
                );
            }
            if unknown.can_resend() {
                hints.push(
                    hint("r", "resend")
                        .detail("send it again with its own Client-Request-Id (asks first)"),
                );
            }
            if unknown.can_look_again() {
                hints.push(
                    hint("g", "look again")
                        .detail("look in the order list again for an order this purchase placed"),
                );
            }
            match unknown.origin {
                Origin::Double { .. } => {
                    hints.push(
                        hint("s", "separate")
                            .detail("this is another, additional purchase (type `separate`)"),
                    );
                    hints.push(hint("Esc", "back").detail("back to the review, everything kept"));
                }
                Origin::Reopened => hints.push(
                    hint("n", "new order").detail("leave this one for later; order something new"),
                ),
                Origin::Lost => {}
            }
            hints.push(hint("l", "check later").detail("quit; the journal keeps the request"));
            if scrolls {
                hints.push(hint("PgUp PgDn", "scroll"));
            }
            return hints;
        }
        Submission::Placed(tracking) => {
            if tracking.can_pay() {
                hints.push(hint("p", "pay now"));
            }
            if !tracking.active && !tracking.is_final() {
                hints.push(hint("t", "track again"));
            }
            if tracking.can_leave() {
                hints.push(hint("n", "new order"));
            }
            match app.status.section {
                Section::InstanceIds => {
                    hints.push(hint("i", "timeline").detail("show the timeline again"))
                }
                Section::Timeline if layout.ids_summarised => hints.push(
                    hint("i", format!("all {} IDs", tracking.instance_ids.len()))
                        .detail("list every instance ID, one per line"),
                ),
                Section::Timeline => {}
            }
        }
    }
    if scrolls {
        hints.push(hint("↑↓ PgUp PgDn", "scroll"));
    }
    if matches!(app.submission, Submission::Placed(_)) {
        hints.push(hint("q", "quit"));
    }
    hints
}

/// Where everything goes: the facts on top (always in view), the orders to
/// choose from after a lost answer, then the scrolling section.
struct Layout {
    facts: Vec<Line<'static>>,
    facts_area: Rect,
    /// Whether the facts name only some of the instance IDs.
    ids_summarised: bool,
    candidates: Rect,
    title: Rect,
    section: Rect,
    /// The section's content, one entry per row, already wrapped.
    rows: Vec<Line<'static>>,
}

/// Rows the section keeps however long the facts are.
const SECTION_MIN_ROWS: u16 = 3;

fn layout(app: &App, mut area: Rect) -> Layout {
    let (facts, ids_summarised) = facts(app, area.width);
    let facts_height = widgets::wrapped_height(&facts, area.width)
        .min(area.height.saturating_sub(SECTION_MIN_ROWS + 2));
    let facts_area = take_rows(&mut area, facts_height);
    let candidates = match &app.submission {
        Submission::Unknown(unknown) if !unknown.candidates.is_empty() => {
            let wanted = (candidate_rows(app, area.width).len() as u16).min(area.height / 2);
            take_rows(&mut area, wanted)
        }
        _ => take_rows(&mut area, 0),
    };
    take_rows(&mut area, 1);
    let title = take_rows(&mut area, 1);
    let rows = match app.status.section {
        Section::Timeline => timeline_rows(app, area.width),
        Section::InstanceIds => instance_id_rows(app),
    };
    Layout {
        facts,
        facts_area,
        ids_summarised,
        candidates,
        title,
        section: area,
        rows,
    }
}

pub fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let layout = layout(app, area);
    Paragraph::new(layout.facts.clone())
        .wrap(Wrap { trim: false })
        .render(layout.facts_area, buf);

    if matches!(app.submission, Submission::Unknown(_)) && layout.candidates.height > 0 {
        let rows = candidate_rows(app, layout.candidates.width);
        // Keep the highlighted order in view: start at its first row when
        // all of them do not fit.
        let first_selected = rows.iter().position(|r| r.selected).unwrap_or(0);
        let height = layout.candidates.height as usize;
        let start = if rows.len() <= height {
            0
        } else {
            first_selected.min(rows.len() - height)
        };
        for (i, row) in rows[start..].iter().take(height).enumerate() {
            let y = layout.candidates.y + i as u16;
            let line_area = Rect::new(layout.candidates.x, y, layout.candidates.width, 1);
            buf.set_line(line_area.x, y, &row.line, line_area.width);
            if row.selected {
                buf.set_style(line_area, theme.selected());
                if row.first {
                    buf.set_stringn(line_area.x, y, theme.symbols.pointer, 1, theme.selected());
                }
            }
        }
    }

    let section = layout.section;
    let height = section.height as usize;
    let max = layout.rows.len().saturating_sub(height);
    let offset = app.status.scroll.unwrap_or(max).min(max);
    let cut_below = offset < max;
    let shown = height - usize::from(cut_below);

    let title = match (app.status.section, &app.submission) {
        (Section::InstanceIds, Submission::Placed(tracking)) => format!(
            "All {} instance IDs (i goes back to the timeline)",
            tracking.instance_ids.len()
        ),
        _ => "Timeline (UTC)".to_string(),
    };
    widgets::draw_lines(
        vec![Line::from(Span::styled(title, theme.accent()))],
        layout.title,
        buf,
    );
    if offset > 0 {
        let above = match app.status.section {
            Section::Timeline => format!(
                "{} ({offset} line{} above)",
                theme.symbols.more_above,
                if offset == 1 { "" } else { "s" }
            ),
            Section::InstanceIds => format!("{} ({offset} above)", theme.symbols.more_above),
        };
        let x = layout
            .title
            .right()
            .saturating_sub(widgets::cells(&above) as u16);
        buf.set_string(x, layout.title.y, &above, theme.muted());
    }
    for (i, row) in layout.rows[offset..].iter().take(shown).enumerate() {
        buf.set_line(section.x, section.y + i as u16, row, section.width);
    }
    if cut_below {
        let below = layout.rows.len() - offset - shown;
        let text = match app.status.section {
            Section::Timeline => format!(
                "{} ({below} newer line{}; End shows the newest)",
                theme.symbols.more_below,
                if below == 1 { "" } else { "s" }
            ),
            Section::InstanceIds => format!("{} ({below} below)", theme.symbols.more_below),
        };
        buf.set_stringn(
            section.x,
            section.bottom() - 1,
            &text,
            section.width as usize,
            theme.muted(),
        );
    }
    None
}

/// One row of the found orders.
struct CandidateRow {
    line: Line<'static>,
    /// A row of the highlighted order.
    selected: bool,
    /// The order's first row, which carries its ID (and the pointer).
    first: bool,
}

/// The found orders, each on as many rows as it needs: its ID, then what
/// it is wrapped beside it.
fn candidate_rows(app: &App, width: u16) -> Vec<CandidateRow> {
    let Submission::Unknown(unknown) = &app.submission else {
        return Vec::new();
    };
    let theme = &app.theme;
    const ID_WIDTH: usize = 22;
    let room = (width as usize).saturating_sub(ID_WIDTH + 3).max(10);
    let mut rows = Vec::new();
    for (i, found) in unknown.candidates.iter().enumerate() {
        let selected = i == app.status.candidate;
        for (n, text) in wrap_parts(&clean(&found.describe(&unknown.sent_at)), room)
            .into_iter()
            .enumerate()
        {
            let id = if n == 0 {
                widgets::fit(found.order_id(), ID_WIDTH, theme)
            } else {
                String::new()
            };
            rows.push(CandidateRow {
                line: Line::from(format!("  {id:<ID_WIDTH$} {text}")),
                selected,
                first: n == 0,
            });
        }
    }
    rows
}

/// Wraps "a, b, c" between its parts where it can, so "spec x 2" stays
/// whole; a part longer than the room wraps by words.
fn wrap_parts(text: &str, room: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in text.split(", ") {
        let joined = if current.is_empty() {
            part.to_string()
        } else {
            format!("{current}, {part}")
        };
        if widgets::cells(&joined) <= room || current.is_empty() {
            current = joined;
        } else {
            lines.push(format!("{current},"));
            current = part.to_string();
        }
    }
    lines.push(current);
    lines
        .into_iter()
        .flat_map(|line| wrap_words(&line, room))
        .collect()
}

/// The timeline, oldest first: the time, then the text wrapped under itself.
fn timeline_rows(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let text_width = (width as usize).saturating_sub(TIME_WIDTH).max(10);
    let mut rows = Vec::new();
    for entry in &app.timeline.entries {
        let style = match entry.tone {
            Tone::Info => Style::new(),
            Tone::Good => theme.good(),
            Tone::Warning => theme.warning(),
            Tone::Error => theme.error(),
        };
        for (i, text) in wrap_words(&clean(&entry.text), text_width)
            .into_iter()
            .enumerate()
        {
            let time = if i == 0 {
                format!("  {}  ", clock_time(entry.at))
            } else {
                " ".repeat(TIME_WIDTH)
            };
            rows.push(Line::from(vec![
                Span::styled(time, theme.muted()),
                Span::styled(text, style),
            ]));
        }
    }
    rows
}

fn instance_id_rows(app: &App) -> Vec<Line<'static>> {
    match &app.submission {
        Submission::Placed(tracking) => tracking
            .instance_ids
            .iter()
            .map(|id| Line::from(format!("  {}", clean(id))))
            .collect(),
        _ => Vec::new(),
    }
}

/// The facts about the purchase, and whether they name only some of the
/// instance IDs.
fn facts(app: &App, width: u16) -> (Vec<Line<'static>>, bool) {
    let theme = &app.theme;
    let mut head: Vec<Line<'static>> = Vec::new();
    let pair = |label: &str, value: String| {
        widgets::labelled(
            0,
            label,
            LABEL_WIDTH,
            theme.title(),
            &value,
            Style::new(),
            width,
        )
    };
    match &app.submission {
        Submission::Draft => head.push(Line::from("Nothing has been sent.")),
        Submission::Submitting(sending) => {
            head.push(Line::from(vec![
                Span::styled(format!("{} ", app.spinner(sending.since)), theme.accent()),
                Span::styled(
                    if sending.resend {
                        "Sending the order again, with the same Client-Request-Id..."
                    } else {
                        "Sending the order..."
                    },
                    theme.title(),
                ),
            ]));
            head.extend(pair("Client-Request-Id", sending.request_id.to_string()));
            if let Some(retry) = &sending.retry {
                let left = retry.at.saturating_duration_since(app.clock.mono);
                let when = if left.is_zero() {
                    "now".to_string()
                } else {
                    format!("in {}", seconds_text(left))
                };
                head.extend(pair("Retrying", format!("{} {when}", retry.attempt)));
            }
            head.push(Line::from(Span::styled(
                "Waiting for Huawei Cloud to answer. If the answer is lost, flexus looks for the order before anything else.",
                theme.muted(),
            )));
        }
        Submission::Failed { error, request_id } => {
            head.push(Line::from(Span::styled(
                "The order was refused: nothing was bought.",
                theme.error(),
            )));
            head.extend(pair("Why", failure_text(error)));
            head.extend(pair("Client-Request-Id", request_id.to_string()));
            let next = if error.status == Some(401) {
                "Esc goes back to the review with every choice kept; placing the order again \
                 asks to sign in first."
            } else {
                "Esc goes back to the review with every choice kept, to change what was refused."
            };
            head.push(Line::from(Span::styled(next, theme.muted())));
        }
        Submission::Unknown(unknown) => {
            let headline = match &unknown.origin {
                Origin::Lost => {
                    let mut headline = crate::api::failure::ambiguity(&unknown.reason, false);
                    headline[..1].make_ascii_uppercase();
                    format!("{}.", clean(&headline))
                }
                Origin::Reopened => {
                    "An earlier purchase's outcome is unknown: an order may have been placed."
                        .to_string()
                }
                Origin::Double { .. } => {
                    "Nothing was sent: this same order was sent before, and its outcome is unknown."
                        .to_string()
                }
            };
            head.push(Line::from(Span::styled(headline, theme.warning())));
            if !matches!(unknown.origin, Origin::Lost) {
                head.extend(pair("What", purchase_text(&unknown.body)));
            }
            head.extend(pair("Why", failure_text(&unknown.reason)));
            head.extend(pair("Client-Request-Id", unknown.request_id.to_string()));
            head.extend(pair("Sent at", utc(&unknown.sent_at)));
            if let Origin::Double { same, other } = &unknown.origin {
                if same.len() > 1 {
                    head.extend(pair(
                        "Also the same",
                        same[1..]
                            .iter()
                            .map(|r| {
                                format!(
                                    "{} sent at {}",
                                    clean(&r.client_request_id),
                                    utc(&r.first_sent_at)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ));
                }
                if !other.is_empty() {
                    head.extend(pair(
                        "Also unknown",
                        other
                            .iter()
                            .map(|r| {
                                format!(
                                    "{}, sent at {}",
                                    purchase_text(&r.body),
                                    utc(&r.first_sent_at)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                    ));
                }
            }
            if let Some(since) = unknown.looking {
                head.push(Line::from(vec![
                    Span::styled(format!("{} ", app.spinner(since)), theme.accent()),
                    Span::raw("Looking in the order list for what it placed..."),
                ]));
                return (head, false);
            }
            if unknown.busy_elsewhere {
                head.push(Line::from(Span::styled(
                    "It is being sent by another flexus right now; wait for it, then look again \
                     with `flexus orders`.",
                    theme.warning(),
                )));
                return (head, false);
            }
            match &unknown.lookup_failed {
                Some(failure) => head.push(Line::from(Span::styled(
                    format!("Looking for the order failed too: {}", failure_text(failure)),
                    theme.error(),
                ))),
                None if unknown.candidates.is_empty() => head.push(Line::from(
                    "No order created since then was found. It may still appear; resend only if you are sure.",
                )),
                None => head.push(Line::from(
                    "Orders created since then (is one of them this purchase? t yes, d no):",
                )),
            }
        }
        Submission::Placed(tracking) => return placed_facts(app, tracking, width),
    }
    (head, false)
}

/// The instance IDs as the facts show them: all of them when they fit in
/// a couple of rows, else the first two and how many more.
fn instance_ids_text(ids: &[String], room: usize) -> (String, bool) {
    let all = ids.join(", ");
    if ids.len() <= 2 || wrap_words(&all, room).len() <= INSTANCE_ROWS {
        return (all, false);
    }
    (
        format!(
            "{}, {} and {} more (i lists all {})",
            ids[0],
            ids[1],
            ids.len() - 2,
            ids.len()
        ),
        true,
    )
}

fn placed_facts(app: &App, tracking: &Tracking, width: u16) -> (Vec<Line<'static>>, bool) {
    let theme = &app.theme;
    let mut head = Vec::new();
    let pair = |label: &str, value: String| {
        widgets::labelled(
            0,
            label,
            LABEL_WIDTH,
            theme.title(),
            &value,
            Style::new(),
            width,
        )
    };
    let words = tracking.status_words();
    let (style, headline) = match tracking.status() {
        Some(order_status::COMPLETED) => (
            theme.good(),
            format!("Order {words}: the instances are created."),
        ),
        Some(order_status::CANCELLED) => (theme.error(), format!("Order {words}.")),
        Some(order_status::PENDING_PAYMENT) => (
            theme.warning(),
            format!("Order {words}: nothing happens until it is paid."),
        ),
        Some(_) => (theme.title(), format!("Order {words}.")),
        None => (
            theme.title(),
            "Order placed; checking its status.".to_string(),
        ),
    };
    head.push(Line::from(Span::styled(headline, style)));
    head.extend(pair("Order ID", tracking.order_id.clone()));
    let mut summarised = false;
    if !tracking.instance_ids.is_empty() {
        let room = (width as usize).saturating_sub(LABEL_WIDTH).max(10);
        let (text, cut) = instance_ids_text(&tracking.instance_ids, room);
        summarised = cut;
        let label = if tracking.instance_ids.len() == 1 {
            "Instance ID"
        } else {
            "Instance IDs"
        };
        head.extend(pair(label, text));
    }
    if let Some(id) = &tracking.request_id {
        head.extend(pair("Client-Request-Id", id.to_string()));
    }
    if let Some(info) = &tracking.latest {
        if let Some(amount) = amount_text(info) {
            head.extend(pair("Amount", format!("{amount} (stated by the order)")));
        }
        if tracking.status() == Some(order_status::PENDING_PAYMENT)
            && let Some(end) = &info.pending_payment_end_time
        {
            head.extend(pair(
                "Pay before",
                format!("{}, or it is cancelled", utc(end)),
            ));
        }
    }
    match &tracking.payment {
        Payment::NotAsked => {}
        Payment::Paying { since } => head.extend(pair(
            "Payment",
            format!("{} paying...", app.spinner(*since)),
        )),
        Payment::Paid => head.extend(pair("Payment", "accepted".to_string())),
        Payment::Failed(failure) => head.extend(widgets::labelled(
            0,
            "Payment",
            LABEL_WIDTH,
            theme.title(),
            &format!("failed: {}", failure_text(failure)),
            theme.error(),
            width,
        )),
    }
    if let Some(finished) = &tracking.finished {
        if let Some(failure) = &finished.failure {
            head.push(Line::from(Span::styled(
                format!("Tracking stopped: {}", failure_text(failure)),
                theme.error(),
            )));
        }
    } else if let Some(at) = tracking.next_poll_at {
        let left = at.saturating_duration_since(app.clock.mono);
        let text = if left.is_zero() {
            "checking now".to_string()
        } else {
            format!("in {}", seconds_text(left))
        };
        head.extend(pair("Next check", text));
        if let Some((attempt, failure)) = &tracking.trouble {
            let in_a_row = if *attempt > 1 {
                format!(" ({attempt} in a row)")
            } else {
                String::new()
            };
            head.extend(widgets::labelled(
                0,
                "Last check",
                LABEL_WIDTH,
                theme.title(),
                &format!("failed{in_a_row}: {}", failure_text(failure)),
                theme.warning(),
                width,
            ));
        }
    } else if !tracking.active {
        head.push(Line::from(Span::styled(
            "Not being tracked: press t to track it again.",
            theme.warning(),
        )));
    }
    (head, summarised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("6b085eca238ced20aa014d{i:02}"))
            .collect()
    }

    #[test]
    fn instance_ids_are_summarised_only_when_they_would_take_many_rows() {
        let (text, cut) = instance_ids_text(&ids(4), 59);
        assert!(!cut);
        assert_eq!(text.matches(", ").count(), 3);
        let (text, cut) = instance_ids_text(&ids(30), 59);
        assert!(cut);
        assert_eq!(
            text,
            "6b085eca238ced20aa014d00, 6b085eca238ced20aa014d01 and 28 more (i lists all 30)"
        );
        // Two are always named in full, however narrow.
        assert!(!instance_ids_text(&ids(2), 10).1);
    }
}
