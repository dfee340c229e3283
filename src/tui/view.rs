//! The frame around every page: header, progress (a side panel on wide
//! terminals, a line on narrow ones), notices, the page, the footer with the
//! keys that work here, and any overlay. Pure: `&App` in, cells out.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, Connection, Page, Step, Tone};
use super::screens::keys::Hint;
use super::screens::{self, dialogs};
use super::text::clean;
use super::widgets;
use crate::domain::order::ImageRef;

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Below [`MIN_WIDTH`]x[`MIN_HEIGHT`] only the "too small" notice is drawn,
/// and `update` lets no key act (but Ctrl-C): nothing happens on a screen
/// the user cannot see.
pub fn is_too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}
/// From this width on, the choices so far get a side panel.
pub const SIDE_PANEL_FROM: u16 = 110;
pub const SIDE_PANEL_WIDTH: u16 = 30;
const MAX_NOTICE_ROWS: u16 = 4;

/// Where each part of the frame goes, for the view and for `update` (which
/// needs the page's height to scroll).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub progress_line: Option<Rect>,
    pub side: Option<Rect>,
    pub page: Rect,
    pub notices: Rect,
    pub body: Rect,
    pub footer: Rect,
}

pub fn areas(app: &App, area: Rect) -> Areas {
    let header = Rect::new(area.x, area.y, area.width, 1);
    let footer = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let mut middle = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(2),
    );
    let (side, progress_line) = if area.width >= SIDE_PANEL_FROM {
        let side = Rect::new(middle.x, middle.y, SIDE_PANEL_WIDTH, middle.height);
        middle.x += SIDE_PANEL_WIDTH;
        middle.width -= SIDE_PANEL_WIDTH;
        (Some(side), None)
    } else {
        let line = screens::take_rows(&mut middle, 1);
        (None, Some(line))
    };
    let page = middle;
    let mut inner = Rect::new(
        page.x + 1,
        page.y + 1,
        page.width.saturating_sub(2),
        page.height.saturating_sub(2),
    );
    let notice_rows = notice_lines(app, inner.width).len() as u16;
    let notices = screens::take_rows(&mut inner, notice_rows.min(MAX_NOTICE_ROWS));
    if notices.height > 0 {
        screens::take_rows(&mut inner, 1);
    }
    Areas {
        header,
        progress_line,
        side,
        page,
        notices,
        body: inner,
        footer,
    }
}

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if let Some(cursor) = draw(app, area, frame.buffer_mut()) {
        frame.set_cursor_position(cursor);
    }
}

/// Draws everything into `buf`; returns where the text cursor goes.
pub fn draw(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    // The size `update` knows counts too: keys are ignored while it is too
    // small, so the notice must be what is shown then.
    if is_too_small((area.width, area.height)) || is_too_small(app.size) {
        too_small(app, area, buf);
        return None;
    }
    let theme = &app.theme;
    let a = areas(app, area);
    header(app, a.header, buf);
    if let Some(line) = a.progress_line {
        progress_line(app, line, buf);
    }
    if let Some(side) = a.side {
        side_panel(app, side, buf);
    }
    let reopened = if app.from_review {
        tr!("steps.frame.from_review")
    } else {
        String::new()
    };
    let block = widgets::block(
        Line::from(Span::styled(
            format!(" {}{reopened} ", screens::title(app)),
            theme.title(),
        )),
        theme,
        app.overlay.is_none(),
    );
    block.render(a.page, buf);
    if a.notices.height > 0 {
        Paragraph::new(notice_lines(app, a.notices.width)).render(a.notices, buf);
    }
    let mut cursor = screens::view(app, a.body, buf);
    let page_hints = screens::hints(app);
    let hints = match &app.overlay {
        Some(overlay) => {
            cursor = dialogs::view(app, overlay, &page_hints, area, buf);
            dialogs::hints(overlay)
        }
        None => page_hints,
    };
    let typing = hints.iter().any(Hint::takes_text);
    let global: Vec<Hint> = screens::global_bindings(app, typing)
        .iter()
        .map(|b| b.hint())
        .collect();
    footer(app, &hints, &global, a.footer, buf);
    cursor
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::from(Span::styled(
            tr!(
                "steps.too_small.needs",
                width = MIN_WIDTH,
                height = MIN_HEIGHT
            ),
            app.theme.title(),
        )),
        Line::from(tr!(
            "steps.too_small.this_one",
            width = area.width,
            height = area.height
        )),
        Line::from(tr!("steps.too_small.kept")),
        Line::from(if app.order_in_flight() {
            tr!("steps.too_small.in_flight")
        } else {
            tr!("steps.too_small.quits")
        }),
    ];
    let height = (lines.len() as u16 + 2).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .centered()
        .render(Rect::new(area.x, y, area.width, height), buf);
}

/// The name and what it does on the left, where orders go on the right: in
/// full when it fits, else in a few words, and the tagline gives way before
/// the destination is cut.
fn header(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    // The profile is part of the name: orders go where it says.
    let name = match &app.profile {
        Some(profile) => format!(" flexus ({}) ", profile.name),
        None => " flexus ".to_string(),
    };
    let name = Span::styled(clean(&name).into_owned(), theme.title());
    let tagline = Span::styled(tr!("steps.frame.tagline"), theme.muted());
    let (full, brief, style) = match &app.connection {
        Connection::Ready { label, brief, .. } => (label.clone(), brief.clone(), theme.accent()),
        Connection::SigningIn { since, what, .. } => {
            let text = tr!(
                "steps.frame.signing_in",
                spinner = app.spinner(*since),
                what = what
            );
            (text.clone(), text, theme.accent())
        }
        Connection::Failed { what, .. } => {
            let text = tr!("steps.frame.sign_in_failed", what = what);
            (text.clone(), text, theme.warning())
        }
        Connection::NotSignedIn => (
            tr!("steps.frame.not_signed_in"),
            tr!("steps.frame.not_signed_in"),
            theme.muted(),
        ),
    };
    let (full, brief) = (clean(&full), clean(&brief));
    let width = area.width as usize;
    let room_beside = |left: usize| width.saturating_sub(left + 2);
    let with_tagline = name.width() + tagline.width();
    let (left, text) = if widgets::cells(&full) <= room_beside(with_tagline) {
        (Line::from(vec![name, tagline]), full.into_owned())
    } else if widgets::cells(&brief) <= room_beside(with_tagline) {
        (Line::from(vec![name, tagline]), brief.into_owned())
    } else {
        let room = room_beside(name.width());
        (Line::from(name), widgets::fit(&brief, room, theme))
    };
    buf.set_line(area.x, area.y, &left, area.width);
    let x = area
        .right()
        .saturating_sub(widgets::cells(&text) as u16 + 1);
    buf.set_string(x, area.y, &text, style);
}

/// A short value per step for the progress displays, when it has one.
pub fn step_value(app: &App, step: Step) -> Option<String> {
    let d = &app.draft;
    if step != Step::Review && !app.step_done(step) {
        return None;
    }
    Some(match step {
        Step::Region => app.catalog.region_name(&d.region).to_string(),
        Step::Image => match &d.image {
            ImageRef::Public { name, version } => format!("{name} {version}"),
            ImageRef::Private { image_id } => tr!(
                "steps.frame.private_image",
                platform = app.private_platform.map_or("", |p| p.label()),
                id = image_id
            ),
            ImageRef::Unset => return None,
        },
        Step::Spec => d.plan_spec.clone(),
        Step::Period => tr!(
            "steps.frame.period_value",
            period = d.period_type.describe(d.period_num),
            count = d.purchase_quantity
        ),
        Step::Extras => {
            if d.extra_resources.is_empty() {
                tr!("steps.frame.no_add_ons")
            } else {
                d.extra_resources
                    .iter()
                    .map(|e| e.kind.code().to_uppercase())
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
        }
        Step::Naming => d.instance_name.clone(),
        Step::Review => return None,
    })
}

fn current_step(app: &App) -> Option<Step> {
    match app.page {
        Page::Step(step) => Some(step),
        _ => None,
    }
}

fn progress_line(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let position = match app.page {
        Page::Step(step) => tr!(
            "steps.progress.step",
            number = step.number(),
            count = Step::COUNT
        ),
        Page::Status => tr!("steps.progress.status"),
        Page::Purchases => tr!("steps.progress.purchases"),
        Page::Orders => tr!("steps.progress.orders"),
        Page::SignIn => tr!("steps.progress.sign_in"),
    };
    if app.page == Page::SignIn && Step::ALL.iter().all(|&s| step_value(app, s).is_none()) {
        let line = Line::from(vec![
            Span::styled(format!(" {position}"), theme.key()),
            Span::styled(
                tr!("steps.progress.sign_in_first", count = Step::COUNT),
                theme.muted(),
            ),
        ]);
        buf.set_line(area.x, area.y, &line, area.width);
        return;
    }
    let values: Vec<String> = Step::ALL
        .iter()
        .filter_map(|&s| step_value(app, s))
        .map(|v| clean(&v).into_owned())
        .collect();
    let chosen = if values.is_empty() {
        tr!("steps.progress.nothing_chosen")
    } else {
        values.join(theme.symbols.separator)
    };
    let room = (area.width as usize).saturating_sub(widgets::cells(&position) + 2);
    let line = Line::from(vec![
        Span::styled(format!(" {position}"), theme.key()),
        Span::styled(widgets::fit(&chosen, room, theme), theme.muted()),
    ]);
    buf.set_line(area.x, area.y, &line, area.width);
}

fn side_panel(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let block = widgets::block(
        Line::from(Span::styled(tr!("steps.frame.your_order"), theme.title())),
        theme,
        false,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let current = current_step(app);
    let room = inner.width.saturating_sub(5) as usize;
    let mut lines = Vec::new();
    for step in Step::ALL {
        let done = if step == Step::Review {
            app.page == Page::Status
        } else {
            app.step_done(step)
        };
        let (marker, style) = if current == Some(step) {
            (theme.symbols.current, theme.key())
        } else if done {
            (theme.symbols.done, theme.good())
        } else {
            (" ", theme.muted())
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {marker} "), style),
            Span::styled(
                format!("{} {}", step.number(), screens::page_name(Page::Step(step))),
                if current == Some(step) {
                    theme.key()
                } else {
                    theme.title()
                },
            ),
        ]));
        if let Some(value) = step_value(app, step) {
            lines.push(Line::from(Span::styled(
                format!("     {}", widgets::fit(&value, room, theme)),
                theme.muted(),
            )));
        }
    }
    if app.page == Page::Status {
        lines.push(Line::from(vec![
            Span::styled(format!(" {} ", theme.symbols.current), theme.key()),
            Span::styled(
                tr!("steps.frame.status_step", number = Step::COUNT + 1),
                theme.key(),
            ),
        ]));
    }
    Paragraph::new(lines).render(inner, buf);
}

fn notice_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines: Vec<Line<'static>> = Vec::new();
    for n in &app.notices {
        let (mark, style) = match n.tone {
            Tone::Info => ("i", theme.accent()),
            Tone::Good => (theme.symbols.done, theme.good()),
            Tone::Warning => ("!", theme.warning()),
            Tone::Error => ("!", theme.error()),
        };
        let wrapped = super::text::wrap_words(&clean(&n.text), width.saturating_sub(2) as usize);
        for (i, text) in wrapped.into_iter().enumerate() {
            let lead = if i == 0 { mark } else { " " };
            lines.push(Line::from(Span::styled(format!("{lead} {text}"), style)));
        }
    }
    if lines.len() > MAX_NOTICE_ROWS as usize {
        let hidden = lines.len() - (MAX_NOTICE_ROWS as usize - 1);
        lines.truncate(MAX_NOTICE_ROWS as usize - 1);
        lines.push(Line::from(Span::styled(
            tr!("steps.frame.more_notice_lines", hidden = hidden),
            theme.muted(),
        )));
    }
    lines
}

/// The keys that work here, from the same lists as key handling: the
/// page's (or the question's) first, then help and quit, as far as they
/// fit (the help lists everything, so its key always shows).
fn footer(app: &App, hints: &[Hint], global: &[Hint], area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let render = |h: &Hint| {
        vec![
            Span::styled(theme.keys(&h.label()), theme.key()),
            Span::raw(format!(" {}  ", h.words)),
        ]
    };
    let width_of =
        |h: &Hint| widgets::cells(&theme.keys(&h.label())) + 1 + widgets::cells(&h.words) + 2;
    let budget = area.width as usize - 1;
    let shown: Vec<&Hint> = global.iter().filter(|h| h.in_footer()).collect();
    // The first of them (help, where it works) keeps its room.
    let mut used = shown.first().map_or(0, |h| width_of(h));
    let mut spans = vec![Span::raw(" ")];
    for h in hints.iter().filter(|h| h.in_footer()) {
        if used + width_of(h) > budget {
            break;
        }
        used += width_of(h);
        spans.extend(render(h));
    }
    for (i, h) in shown.into_iter().enumerate() {
        if i == 0 {
            spans.extend(render(h));
        } else if used + width_of(h) <= budget {
            used += width_of(h);
            spans.extend(render(h));
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}
