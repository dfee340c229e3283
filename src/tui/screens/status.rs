//! The status pane, after the review: the live status of the order being
//! placed and tracked: its IDs, a timeline with times, the amount the order
//! states, the next check, failures as they happen, and paying a pending
//! order.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::dialogs::{Confirmation, Confirmed};
use super::keys::{Binding, DOWN, END, ESC, HOME, Key, PAGE_DOWN, PAGE_UP, UP, is_up, typed_char};
use super::{Command, Reply, Screen, take_rows};
use crate::api::purchase::OrderAction;
use crate::api::wire::status as order_status;
use crate::domain::when::{clock_digits, dated_stamp, offset_at, offset_text};
use crate::tui::app::{App, Overlay, Page, Step, Tone};
use crate::tui::msg::Effect;
use crate::tui::submission::{
    Choice, Origin, Payment, Submission, Tracking, amount_text, failure_text, purchase_text,
    seconds_text,
};
use crate::tui::text::{clean, wrap_words};
use crate::tui::theme::Theme;
use crate::tui::widgets;

#[derive(Debug, Clone, Default)]
pub struct State {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Scroll,
    /// Back to the review with every choice kept; this purchase is set
    /// aside (refused, or stopped as a double).
    BackToReview,
    Choose,
    Claim,
    Dismiss,
    Resend,
    LookAgain,
    Separate,
    NewOrder,
    CheckLater,
    Pay,
    Cancel,
    TrackAgain,
    ToggleIds,
    Quit,
}

pub struct StatusScreen;

impl Screen for StatusScreen {
    type Action = Action;
    const NAME: &'static str = "Order status";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        let layout = layout(app, body_area(app));
        let height = layout.section.height as usize;
        let scrolls = section_len(app, layout.section.width, Some(height + 1)) > height;
        let mut list = Vec::new();
        // After a lost answer ↑↓ choose among the orders found, so only
        // the page keys scroll there.
        let mut choosing = false;
        match &app.submission {
            Submission::Draft | Submission::Submitting(_) => {}
            Submission::Failed { .. } => list.push(
                Binding::new(
                    &[Key::Char('e'), ESC],
                    tr!("live.status.key.back_to_review"),
                    Action::BackToReview,
                )
                .detail(tr!("live.status.key.edit_detail")),
            ),
            Submission::Unknown(unknown) => {
                choosing = !unknown.candidates.is_empty();
                let can_choose = unknown.can_choose();
                let double = matches!(unknown.origin, Origin::Double { .. });
                list.extend([
                    Binding::new(&[UP, DOWN], tr!("live.status.key.choose"), Action::Choose)
                        .detail(tr!("live.status.key.choose_detail"))
                        .when(can_choose && unknown.candidates.len() > 1),
                    Binding::new(
                        &[Key::Char('k'), Key::Char('j')],
                        tr!("live.status.key.choose"),
                        Action::Choose,
                    )
                    .help_only()
                    .when(can_choose && unknown.candidates.len() > 1),
                    Binding::new(
                        &[Key::Char('t')],
                        tr!("live.status.key.claim"),
                        Action::Claim,
                    )
                    .detail(tr!("live.status.key.claim_detail"))
                    .when(can_choose),
                    Binding::new(
                        &[Key::Char('d')],
                        tr!("live.status.key.dismiss"),
                        Action::Dismiss,
                    )
                    .detail(tr!("live.status.key.dismiss_detail"))
                    .when(can_choose),
                    Binding::new(
                        &[Key::Char('r')],
                        tr!("live.status.key.resend"),
                        Action::Resend,
                    )
                    .detail(tr!("live.status.key.resend_detail"))
                    .when_else(unknown.can_resend(), tr!("live.status.key.resend_not_now")),
                    Binding::new(
                        &[Key::Char('g')],
                        tr!("live.status.key.look_again"),
                        Action::LookAgain,
                    )
                    .detail(tr!("live.status.key.look_again_detail"))
                    .when(unknown.can_look_again()),
                    Binding::new(
                        &[Key::Char('s')],
                        tr!("live.status.key.separate"),
                        Action::Separate,
                    )
                    .detail(tr!("live.status.key.separate_detail"))
                    .when(double),
                    Binding::new(&[ESC], tr!("live.status.key.back"), Action::BackToReview)
                        .detail(tr!("live.status.key.back_to_review"))
                        .when(double),
                    Binding::new(
                        &[Key::Char('n')],
                        tr!("live.status.key.new_order"),
                        Action::NewOrder,
                    )
                    .detail(tr!("live.status.key.new_order_later"))
                    .when(unknown.origin == Origin::Reopened),
                    Binding::new(
                        &[Key::Char('l')],
                        tr!("live.status.key.check_later"),
                        Action::CheckLater,
                    )
                    .detail(tr!("live.status.key.check_later_detail")),
                ]);
            }
            Submission::Placed(tracking) => {
                let ids = tracking.instance_ids.len();
                let ids_words = match app.status.section {
                    Section::InstanceIds => Binding::new(
                        &[Key::Char('i')],
                        tr!("live.status.key.timeline"),
                        Action::ToggleIds,
                    )
                    .detail(tr!("live.status.key.timeline_detail")),
                    Section::Timeline if layout.ids_summarised => Binding::new(
                        &[Key::Char('i')],
                        tr!("live.status.key.all_ids", count = ids),
                        Action::ToggleIds,
                    )
                    .detail(tr!("live.status.key.all_ids_detail")),
                    Section::Timeline => Binding::new(
                        &[Key::Char('i')],
                        tr!("live.status.key.list_ids"),
                        Action::ToggleIds,
                    )
                    .help_only(),
                };
                list.extend([
                    Binding::new(&[Key::Char('p')], tr!("live.status.key.pay"), Action::Pay)
                        .detail(tr!("live.status.key.pay_detail"))
                        .when_else(tracking.can_pay(), tr!("live.status.key.only_pending")),
                    Binding::new(
                        &[Key::Char('c')],
                        tr!("live.status.key.cancel"),
                        Action::Cancel,
                    )
                    .detail(tr!("live.status.key.cancel_detail"))
                    .when_else(tracking.can_cancel(), tr!("live.status.key.only_pending")),
                    Binding::new(
                        &[Key::Char('t')],
                        tr!("live.status.key.track_again"),
                        Action::TrackAgain,
                    )
                    .when(!tracking.active && !tracking.is_final()),
                    Binding::new(
                        &[Key::Char('n')],
                        tr!("live.status.key.new_order"),
                        Action::NewOrder,
                    )
                    .detail(tr!("live.status.key.new_order_leave"))
                    .when(tracking.can_leave()),
                    ids_words.when(ids > 0),
                ]);
            }
        }
        list.push(if choosing {
            Binding::new(
                &[PAGE_UP, PAGE_DOWN],
                tr!("live.status.key.scroll"),
                Action::Scroll,
            )
            .when(scrolls)
        } else {
            Binding::new(
                &[UP, DOWN, PAGE_UP, PAGE_DOWN],
                tr!("live.status.key.scroll"),
                Action::Scroll,
            )
            .when(scrolls)
        });
        list.push(
            Binding::new(&[HOME, END], tr!("live.status.key.ends"), Action::Scroll)
                .help_only()
                .when(scrolls),
        );
        if !choosing {
            list.push(
                Binding::new(
                    &[Key::Char('k'), Key::Char('j')],
                    tr!("live.status.key.scroll"),
                    Action::Scroll,
                )
                .help_only()
                .when(scrolls),
            );
        }
        if matches!(app.submission, Submission::Placed(_)) {
            list.push(Binding::new(
                &[Key::Char('q')],
                tr!("live.status.key.quit"),
                Action::Quit,
            ));
        }
        list
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        apply(app, action, key)
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
    let (timeline, clock) = (&mut app.timeline, &app.clock);
    let effects = match action {
        Action::Scroll => {
            scroll(app, key);
            Vec::new()
        }
        Action::BackToReview => {
            let effects = app.submission.leave(timeline);
            app.status = State::default();
            app.go_to(Page::Step(Step::Review));
            effects
        }
        Action::NewOrder => {
            let effects = app.submission.leave(timeline);
            new_order(app);
            effects
        }
        Action::Quit => return Reply::Do(Command::Quit),
        Action::CheckLater => {
            app.quit = true;
            vec![Effect::Quit]
        }
        Action::Resend => ask(app, resend_question(app)),
        Action::Separate => ask(app, super::review::separate_question(app)),
        Action::Pay => {
            let pay = app.submission.order_action(
                timeline,
                clock,
                |why| tr!("live.timeline.cannot_pay", why = why),
                |order_id| OrderAction::Pay { order_id },
            );
            match pay {
                Some(action) => ask(app, pay_question(app, action)),
                None => Vec::new(),
            }
        }
        Action::Cancel => {
            let cancel = app.submission.order_action(
                timeline,
                clock,
                |why| tr!("live.timeline.cannot_cancel", why = why),
                |order_id| OrderAction::Cancel { order_id },
            );
            match cancel {
                Some(action) => ask(app, cancel_question(app, action)),
                None => Vec::new(),
            }
        }
        Action::Choose => {
            if let Submission::Unknown(unknown) = &mut app.submission {
                unknown.highlight(if is_up(key) { -1 } else { 1 });
            }
            Vec::new()
        }
        Action::Claim => app.submission.choose(timeline, clock, Choice::Claim),
        Action::Dismiss => app.submission.choose(timeline, clock, Choice::Dismiss),
        Action::LookAgain => app.submission.look_again(timeline, clock),
        Action::TrackAgain => app.submission.track_again(timeline, clock),
        Action::ToggleIds => {
            let status = &mut app.status;
            (status.section, status.scroll) = match status.section {
                Section::Timeline => (Section::InstanceIds, Some(0)),
                Section::InstanceIds => (Section::Timeline, None),
            };
            Vec::new()
        }
    };
    Reply::Run(effects)
}

fn ask(app: &mut App, question: Confirmation) -> Vec<Effect> {
    app.overlay = Some(Overlay::Confirm(question));
    Vec::new()
}

/// Shows the status pane for a purchase just sent or opened, from the top
/// of its facts and the newest of its timeline.
pub fn show(app: &mut App) {
    app.status = State::default();
    app.go_to(Page::Status);
}

/// The timeline follows its newest entries again (a found order was
/// claimed, and its own tracking begins).
pub fn follow_newest(app: &mut App) {
    app.status.scroll = None;
}

/// Asked before paying: the amount the order states, from the balance.
fn pay_question(app: &App, pay: OrderAction) -> Confirmation {
    let amount = match &app.submission {
        Submission::Placed(t) => t
            .latest
            .as_ref()
            .and_then(amount_text)
            .unwrap_or_else(|| tr!("live.pay.the_amount")),
        _ => tr!("live.pay.the_amount"),
    };
    let shown = clean(pay.order_id().as_str()).into_owned();
    Confirmation::new(tr!("live.pay.title"), Confirmed::Act(pay))
        .saying(tr!("live.pay.yes"), tr!("live.dialog.no"))
        .line(tr!("live.pay.order", order_id = shown))
        .line(tr!("live.pay.pays", amount = amount))
        .closing(&app.theme, tr!("live.pay.closing"))
}

/// Asked before cancelling: which order, and for how much.
fn cancel_question(app: &App, cancel: OrderAction) -> Confirmation {
    let amount = match &app.submission {
        Submission::Placed(t) => t.latest.as_ref().and_then(amount_text),
        _ => None,
    };
    let shown = clean(cancel.order_id().as_str()).into_owned();
    let cancels = match amount {
        Some(amount) => tr!(
            "live.cancel.cancels_amount",
            order_id = shown,
            amount = amount
        ),
        None => tr!("live.cancel.cancels", order_id = shown),
    };
    Confirmation::new(tr!("live.cancel.title"), Confirmed::Act(cancel))
        .saying(tr!("live.cancel.yes"), tr!("live.cancel.no"))
        .line(cancels)
        .line(tr!("live.cancel.nothing_bought"))
        .closing(&app.theme, tr!("live.cancel.closing"))
}

/// Asked before sending a purchase again whose answer was lost.
fn resend_question(app: &App) -> Confirmation {
    let id = match &app.submission {
        Submission::Unknown(u) => u.request_id.to_string(),
        _ => String::new(),
    };
    Confirmation::new(tr!("live.resend.title"), Confirmed::Resend)
        .saying(tr!("live.resend.yes"), tr!("live.dialog.no"))
        .line(tr!("live.resend.only_if_sure"))
        .line(tr!("live.resend.same_id"))
        .line(id)
        .closing(&app.theme, tr!("live.resend.closing"))
}

/// On to a new order from the same choices; this purchase stays in the
/// journal (and, while its outcome is unknown, stops the same order being
/// sent again unless the user says it is separate).
fn new_order(app: &mut App) {
    app.status = State::default();
    app.from_review = false;
    app.go_to(Page::Step(Step::Region));
    // The same choices are where this order starts, not choices to keep.
    app.opened_with = app.draft.clone();
    app.notice(Tone::Info, tr!("live.status.new_order_notice"));
}

/// Scrolls the section under the facts, by a line, a page, or to either
/// end.
fn scroll(app: &mut App, key: &KeyEvent) {
    // Rows to move by, in pages or lines; None for the very top or end.
    let (pages, lines, to_end) = match (key.code, typed_char(key)) {
        (KeyCode::PageUp, _) => (-1, 0, None),
        (KeyCode::PageDown, _) => (1, 0, None),
        (KeyCode::Home, _) => (0, 0, Some(false)),
        (KeyCode::End, _) => (0, 0, Some(true)),
        _ if is_up(key) => (0, -1, None),
        _ => (0, 1, None),
    };
    let section = layout(app, body_area(app)).section;
    let height = section.height as usize;
    let max = section_len(app, section.width, None).saturating_sub(height);
    let now = app.status.scroll.unwrap_or(max).min(max);
    let page = height.saturating_sub(1).max(1) as isize;
    let next = match to_end {
        Some(true) => max,
        Some(false) => 0,
        None => now.saturating_add_signed(pages * page + lines),
    };
    app.status.scroll = (next < max).then_some(next);
}

/// The page's area at the current terminal size, for keys and hints that
/// depend on what fits.
fn body_area(app: &App) -> Rect {
    let (w, h) = app.size;
    crate::tui::view::areas(app, Rect::new(0, 0, w, h)).body
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
    Layout {
        facts,
        facts_area,
        ids_summarised,
        candidates,
        title,
        section: area,
    }
}

/// The section's content, one entry per row, already wrapped.
fn section_rows(app: &App, width: u16) -> Vec<Line<'static>> {
    match app.status.section {
        Section::Timeline => timeline_rows(app, width),
        Section::InstanceIds => instance_id_rows(app),
    }
}

/// How many rows the section's content takes, counted no further than
/// `enough` (whether it scrolls needs no more): keys and hints ask this on
/// every key press, and a long timeline is costly to lay out whole.
fn section_len(app: &App, width: u16, enough: Option<usize>) -> usize {
    let enough = enough.unwrap_or(usize::MAX);
    match app.status.section {
        Section::InstanceIds => match &app.submission {
            Submission::Placed(tracking) => tracking.instance_ids.len(),
            _ => 0,
        },
        Section::Timeline => {
            let mut rows = 0;
            for entry in &app.timeline.entries {
                rows += wrap_words(&clean(&entry.text), timeline_text_width(width)).len();
                if rows >= enough {
                    break;
                }
            }
            rows
        }
    }
}

/// The room for a timeline entry's words, beside its time.
fn timeline_text_width(width: u16) -> usize {
    (width as usize).saturating_sub(TIME_WIDTH).max(10)
}

fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let layout = layout(app, area);
    let section_rows = section_rows(app, layout.section.width);
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
    let max = section_rows.len().saturating_sub(height);
    let offset = app.status.scroll.unwrap_or(max).min(max);
    let cut_below = offset < max;
    let shown = height - usize::from(cut_below);

    let title = match (app.status.section, &app.submission) {
        (Section::InstanceIds, Submission::Placed(tracking)) => tr!(
            "live.status.all_ids_title",
            count = tracking.instance_ids.len()
        ),
        _ => tr!(
            "live.status.timeline_title",
            offset = offset_text(timeline_offset(app))
        ),
    };
    widgets::draw_lines(
        vec![Line::from(Span::styled(title, theme.accent()))],
        layout.title,
        buf,
    );
    if offset > 0 {
        let lines_above = match (app.status.section, offset) {
            (Section::Timeline, 1) => tr!("live.status.lines_above.one"),
            (Section::Timeline, _) => tr!("live.status.lines_above.other", count = offset),
            (Section::InstanceIds, _) => tr!("live.status.ids_above", count = offset),
        };
        let above = format!("{} {lines_above}", theme.more_above());
        let x = layout
            .title
            .right()
            .saturating_sub(widgets::cells(&above) as u16);
        buf.set_string(x, layout.title.y, &above, theme.muted());
    }
    for (i, row) in section_rows[offset..].iter().take(shown).enumerate() {
        buf.set_line(section.x, section.y + i as u16, row, section.width);
    }
    if cut_below {
        let below = section_rows.len() - offset - shown;
        let lines_below = match (app.status.section, below) {
            (Section::Timeline, 1) => tr!("live.status.lines_below.one"),
            (Section::Timeline, _) => tr!("live.status.lines_below.other", count = below),
            (Section::InstanceIds, _) => tr!("live.status.ids_below", count = below),
        };
        let text = format!("{} {lines_below}", theme.more_below());
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
    let highlighted = unknown
        .highlighted
        .min(unknown.candidates.len().saturating_sub(1));
    for (i, found) in unknown.candidates.iter().enumerate() {
        let selected = i == highlighted;
        for (n, text) in wrap_parts(&clean(&found.describe(&unknown.sent_at, &app.zone)), room)
            .into_iter()
            .enumerate()
        {
            let id = if n == 0 {
                widgets::fit(found.order_id(), ID_WIDTH, theme)
            } else {
                String::new()
            };
            let pad = " ".repeat(ID_WIDTH.saturating_sub(widgets::cells(&id)));
            rows.push(CandidateRow {
                line: Line::from(format!("  {id}{pad} {text}")),
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

/// The offset the timeline's heading names: the zone's at the first entry
/// (or now, before there is one). Said once there rather than on every row,
/// which at 80 columns would take 12 of the 68 cells the words have.
fn timeline_offset(app: &App) -> jiff::tz::Offset {
    let first = app.timeline.entries.first().map(|e| e.at);
    offset_at(first.unwrap_or(app.clock.wall), &app.zone)
}

/// The timeline, oldest first: the time, then the text wrapped under itself.
fn timeline_rows(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let text_width = timeline_text_width(width);
    let offset = timeline_offset(app);
    let mut rows = Vec::new();
    for entry in &app.timeline.entries {
        let style = match entry.tone {
            Tone::Info => Style::new(),
            Tone::Good => theme.good(),
            Tone::Warning => theme.warning(),
            Tone::Error => theme.error(),
        };
        // The heading says the offset once; an entry after a daylight-saving
        // change says its own, so its clock cannot be misread.
        let own = offset_at(entry.at, &app.zone);
        let text = if own == offset {
            clean(&entry.text).into_owned()
        } else {
            format!("({}) {}", offset_text(own), clean(&entry.text))
        };
        for (i, text) in wrap_words(&text, text_width).into_iter().enumerate() {
            let time = if i == 0 {
                format!("  {}  ", clock_digits(entry.at, &app.zone))
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

/// What a Client-Request-Id is, wherever one is shown, for people meeting
/// it for the first time. Not "a resend cannot buy twice": the purchase
/// document says the ID locates a request and promises no de-duplication
/// (companion-apis.md), which is why a resend asks first.
pub fn request_id_meaning() -> String {
    tr!("live.status.request_id_meaning")
}

/// The Client-Request-Id fact, with what it is for under it.
fn request_id_facts(theme: &Theme, width: u16, id: &str) -> Vec<Line<'static>> {
    let mut rows = fact(theme, width, "Client-Request-Id", id, Style::new());
    rows.extend(fact(theme, width, "", &request_id_meaning(), theme.muted()));
    rows
}

/// One fact: its label in the facts' column, the value wrapped under
/// itself.
fn fact(theme: &Theme, width: u16, label: &str, value: &str, style: Style) -> Vec<Line<'static>> {
    widgets::labelled(0, label, LABEL_WIDTH, theme.title(), value, style, width)
}

/// The facts about the purchase, and whether they name only some of the
/// instance IDs.
fn facts(app: &App, width: u16) -> (Vec<Line<'static>>, bool) {
    let theme = &app.theme;
    let mut head: Vec<Line<'static>> = Vec::new();
    let pair = |label: &str, value: String| fact(theme, width, label, &value, Style::new());
    match &app.submission {
        Submission::Draft => head.push(Line::from(tr!("live.status.nothing_sent"))),
        Submission::Submitting(sending) => {
            head.push(Line::from(vec![
                Span::styled(format!("{} ", app.spinner(sending.since)), theme.accent()),
                Span::styled(
                    if sending.resend {
                        tr!("live.status.sending_again")
                    } else {
                        tr!("live.status.sending")
                    },
                    theme.title(),
                ),
            ]));
            head.extend(request_id_facts(
                theme,
                width,
                &sending.request_id.to_string(),
            ));
            if let Some(retry) = &sending.retry {
                let left = retry.at.saturating_duration_since(app.clock.mono);
                let when = if left.is_zero() {
                    tr!("live.status.retrying_now", attempt = retry.attempt)
                } else {
                    tr!(
                        "live.status.retrying_in",
                        attempt = retry.attempt,
                        left = seconds_text(left)
                    )
                };
                head.extend(pair(&tr!("live.status.fact.retrying"), when));
            }
            head.push(Line::from(Span::styled(
                tr!("live.status.waiting"),
                theme.muted(),
            )));
        }
        Submission::Failed { error, request_id } => {
            head.push(Line::from(Span::styled(
                tr!("live.status.refused"),
                theme.error(),
            )));
            head.extend(pair(&tr!("live.status.fact.why"), failure_text(error)));
            head.extend(request_id_facts(theme, width, &request_id.to_string()));
            let next = if error.status == Some(401) {
                tr!("live.status.refused_sign_in")
            } else {
                tr!("live.status.refused_change")
            };
            head.push(Line::from(Span::styled(next, theme.muted())));
        }
        Submission::Unknown(unknown) => {
            let headline = match &unknown.origin {
                Origin::Lost => {
                    let mut headline = crate::api::failure::ambiguity(&unknown.reason, false);
                    // A sentence of its own here; Chinese has no capitals, and
                    // its first character is more than one byte.
                    if let Some(first) = headline.get_mut(..1) {
                        first.make_ascii_uppercase();
                    }
                    tr!("live.status.lost_headline", what = clean(&headline))
                }
                Origin::Reopened => tr!("live.status.reopened_headline"),
                Origin::Double { .. } => tr!("live.status.double_headline"),
            };
            head.push(Line::from(Span::styled(headline, theme.warning())));
            if !matches!(unknown.origin, Origin::Lost) {
                head.extend(pair(
                    &tr!("live.status.fact.what"),
                    purchase_text(&unknown.body),
                ));
            }
            head.extend(pair(
                &tr!("live.status.fact.why"),
                failure_text(&unknown.reason),
            ));
            head.extend(request_id_facts(
                theme,
                width,
                &unknown.request_id.to_string(),
            ));
            head.extend(pair(
                &tr!("live.status.fact.sent_at"),
                dated_stamp(&unknown.sent_at, &app.zone),
            ));
            if let Origin::Double { same, other } = &unknown.origin {
                if same.len() > 1 {
                    head.extend(pair(
                        &tr!("live.status.fact.also_same"),
                        same[1..]
                            .iter()
                            .map(|r| {
                                tr!(
                                    "live.status.same_sent_at",
                                    request_id = clean(&r.client_request_id),
                                    at = dated_stamp(&r.first_sent_at, &app.zone)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(&tr!("live.status.entries_separator")),
                    ));
                }
                if !other.is_empty() {
                    head.extend(pair(
                        &tr!("live.status.fact.also_unknown"),
                        other
                            .iter()
                            .map(|r| {
                                tr!(
                                    "live.status.other_sent_at",
                                    what = purchase_text(&r.body),
                                    at = dated_stamp(&r.first_sent_at, &app.zone)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(&tr!("live.status.entries_separator")),
                    ));
                }
            }
            if let Some(since) = unknown.looking {
                head.push(Line::from(vec![
                    Span::styled(format!("{} ", app.spinner(since)), theme.accent()),
                    Span::raw(tr!("live.status.looking")),
                ]));
                return (head, false);
            }
            if unknown.busy_elsewhere {
                head.push(Line::from(Span::styled(
                    tr!("live.status.busy_elsewhere"),
                    theme.warning(),
                )));
                return (head, false);
            }
            match &unknown.lookup_failed {
                Some(failure) => head.push(Line::from(Span::styled(
                    tr!("live.status.lookup_failed", why = failure_text(failure)),
                    theme.error(),
                ))),
                None if unknown.candidates.is_empty() => {
                    head.push(Line::from(tr!("live.status.none_found")))
                }
                None => head.push(Line::from(tr!("live.status.candidates"))),
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
        tr!(
            "live.status.ids_summary",
            first = ids[0],
            second = ids[1],
            more = ids.len() - 2,
            count = ids.len()
        ),
        true,
    )
}

fn placed_facts(app: &App, tracking: &Tracking, width: u16) -> (Vec<Line<'static>>, bool) {
    let theme = &app.theme;
    let mut head = Vec::new();
    let pair = |label: &str, value: String| fact(theme, width, label, &value, Style::new());
    let words = tracking.status_words();
    let (style, headline) = match tracking.status() {
        Some(order_status::COMPLETED) => (
            theme.good(),
            tr!("live.status.order_completed", state = words),
        ),
        Some(order_status::CANCELLED) => {
            (theme.error(), tr!("live.status.order_is", state = words))
        }
        Some(order_status::PENDING_PAYMENT) => (
            theme.warning(),
            tr!("live.status.order_pending", state = words),
        ),
        Some(_) => (theme.title(), tr!("live.status.order_is", state = words)),
        None => (theme.title(), tr!("live.status.order_placed")),
    };
    head.push(Line::from(Span::styled(headline, style)));
    head.extend(pair(
        &tr!("live.status.fact.order_id"),
        tracking.order_id.clone(),
    ));
    let mut summarised = false;
    if !tracking.instance_ids.is_empty() {
        let room = (width as usize).saturating_sub(LABEL_WIDTH).max(10);
        let (text, cut) = instance_ids_text(&tracking.instance_ids, room);
        summarised = cut;
        let label = if tracking.instance_ids.len() == 1 {
            tr!("live.status.fact.instance_id.one")
        } else {
            tr!("live.status.fact.instance_id.other")
        };
        head.extend(pair(&label, text));
    }
    if let Some(id) = &tracking.request_id {
        head.extend(request_id_facts(theme, width, &id.to_string()));
    }
    if let Some(info) = &tracking.latest {
        if let Some(amount) = amount_text(info) {
            head.extend(pair(
                &tr!("live.status.fact.amount"),
                tr!("live.status.amount_stated", amount = amount),
            ));
        }
        if let Some(differs) = estimate_differs(app, tracking, info) {
            head.extend(pair(&tr!("live.status.fact.estimate"), differs));
        }
        if tracking.status() == Some(order_status::PENDING_PAYMENT)
            && let Some(end) = &info.pending_payment_end_time
        {
            head.extend(pair(
                &tr!("live.status.fact.pay_before"),
                tr!("live.status.pay_before", at = dated_stamp(end, &app.zone)),
            ));
        }
    }
    match &tracking.payment {
        Payment::NotAsked => {}
        Payment::Paying { since } => head.extend(pair(
            &tr!("live.status.fact.payment"),
            tr!("live.status.paying", spinner = app.spinner(*since)),
        )),
        Payment::Paid => head.extend(pair(
            &tr!("live.status.fact.payment"),
            tr!("live.status.payment_accepted"),
        )),
        Payment::Failed(failure) => head.extend(fact(
            theme,
            width,
            &tr!("live.status.fact.payment"),
            &tr!("live.status.payment_failed", why = failure_text(failure)),
            theme.error(),
        )),
    }
    if let Some(finished) = &tracking.finished {
        if let Some(failure) = &finished.failure {
            head.push(Line::from(Span::styled(
                tr!("live.status.tracking_stopped", why = failure_text(failure)),
                theme.error(),
            )));
        }
    } else if let Some(at) = tracking.next_poll_at {
        let left = at.saturating_duration_since(app.clock.mono);
        let text = if left.is_zero() {
            tr!("live.status.checking_now")
        } else {
            tr!("live.status.check_in", left = seconds_text(left))
        };
        head.extend(pair(&tr!("live.status.fact.next_check"), text));
        if let Some((attempt, failure)) = &tracking.trouble {
            let why = failure_text(failure);
            let failed = if *attempt > 1 {
                tr!(
                    "live.status.check_failed_in_a_row",
                    count = attempt,
                    why = why
                )
            } else {
                tr!("live.status.check_failed", why = why)
            };
            head.extend(fact(
                theme,
                width,
                &tr!("live.status.fact.last_check"),
                &failed,
                theme.warning(),
            ));
        }
    } else if !tracking.active {
        head.push(Line::from(Span::styled(
            tr!("live.status.not_tracked"),
            theme.warning(),
        )));
    }
    (head, summarised)
}

/// When the order states another amount than the estimate made from list
/// prices before it was sent: both, and which one is charged. Nothing when
/// they agree, or when this machine did not send the order or could not
/// price it.
fn estimate_differs(
    app: &App,
    tracking: &Tracking,
    info: &crate::api::wire::OrderInfo,
) -> Option<String> {
    let draft = crate::domain::order::Draft::from_request_body(tracking.body.as_ref()?);
    let estimate = crate::domain::summary::Summary::new(&app.catalog, &app.prices, &draft).estimate;
    let estimated = estimate.total?;
    let stated = info.amount_after_discount.or(info.official_amount)?;
    let currency = clean(info.currency.as_deref().unwrap_or_default()).into_owned();
    let same = (stated * 100.0).round() as i64 == estimated.cents && currency == estimate.currency;
    (!same).then(|| {
        tr!(
            "live.status.estimate_differs",
            estimate = format!("{} {estimated}", estimate.currency),
            stated = format!("{currency} {stated:.2}").trim()
        )
    })
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
