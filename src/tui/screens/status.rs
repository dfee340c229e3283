//! Step 8: the live status of the order being placed and tracked: its IDs,
//! a timeline with times, the amount the order states, the next check,
//! failures as they happen, and paying a pending order.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use time::macros::format_description;

use super::take_rows;
use crate::api::wire::status as order_status;
use crate::tui::app::{App, Overlay, Page, Step, Tone};
use crate::tui::msg::Effect;
use crate::tui::submission::{
    Payment, Submission, Tracking, amount_text, failure_text, seconds_text,
};
use crate::tui::text::{clean, utc};
use crate::tui::widgets::{self, Hint, ListRow, hint, typed_char};

#[derive(Debug, Clone, Default)]
pub struct State {
    /// The highlighted candidate order after a lost answer.
    pub candidate: usize,
}

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
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
            match (key.code, c) {
                (KeyCode::Up, _) | (_, Some('k')) => {
                    app.status.candidate = app.status.candidate.saturating_sub(1)
                }
                (KeyCode::Down, _) | (_, Some('j')) => {
                    app.status.candidate = (app.status.candidate + 1).min(count.saturating_sub(1))
                }
                (KeyCode::Enter, _) | (_, Some('t')) if count > 0 => {
                    let info = unknown.candidates[app.status.candidate.min(count - 1)].clone();
                    let request_id = unknown.request_id.clone();
                    let order_id = clean(&info.order_id).into_owned();
                    app.timeline.push(
                        &app.clock,
                        Tone::Info,
                        format!("you chose order {order_id} as this purchase; tracking it"),
                    );
                    let mut tracking =
                        Tracking::new(order_id.clone(), Vec::new(), Some(request_id));
                    tracking.latest = Some(info);
                    app.submission = Submission::Placed(Box::new(tracking));
                    return vec![Effect::Track { order_id }];
                }
                (_, Some('r')) => app.overlay = Some(Overlay::ConfirmResend),
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
            Some('n') if tracking.is_final() || !tracking.active => {
                app.submission = Submission::Draft;
                app.timeline = Default::default();
                app.from_review = false;
                app.go_to(Page::Step(Step::Region));
                app.notice(
                    Tone::Info,
                    "A new order, starting from the same choices: change anything, or Enter through.",
                );
            }
            Some('q') => return crate::tui::update::ask_to_quit(app),
            _ => {}
        },
    }
    Vec::new()
}

pub fn hints(app: &App) -> Vec<Hint> {
    match &app.submission {
        Submission::Draft | Submission::Submitting(_) => Vec::new(),
        Submission::Failed { .. } => vec![hint("Esc", "back to the review, everything kept")],
        Submission::Unknown(unknown) => {
            let mut hints = Vec::new();
            if !unknown.candidates.is_empty() {
                hints.push(hint("↑↓", "choose"));
                hints.push(
                    hint("t", "mine: track it")
                        .detail("the highlighted order is this purchase: track it"),
                );
            }
            hints.push(
                hint("r", "resend")
                    .detail("send again with the same Client-Request-Id (asks first)"),
            );
            hints.push(hint("l", "check later").detail("quit; the journal keeps the request"));
            hints
        }
        Submission::Placed(tracking) => {
            let mut hints = Vec::new();
            if tracking.can_pay() {
                hints.push(hint("p", "pay now"));
            }
            if !tracking.active && !tracking.is_final() {
                hints.push(hint("t", "track again"));
            }
            if tracking.is_final() || !tracking.active {
                hints.push(hint("n", "new order"));
            }
            hints.push(hint("q", "quit"));
            hints
        }
    }
}

fn clock_text(at: time::OffsetDateTime) -> String {
    at.format(format_description!("[hour]:[minute]:[second]"))
        .unwrap_or_default()
}

fn spinner(app: &App, since: std::time::Instant) -> &'static str {
    let frame = app.clock.mono.saturating_duration_since(since).as_millis() / 100;
    app.theme.spinner(frame as usize)
}

pub fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let width = area.width;
    let mut head: Vec<Line> = Vec::new();
    let pair = |label: &str, value: String| {
        widgets::labelled(0, label, 19, theme.title(), &value, Style::new(), width)
    };
    match &app.submission {
        Submission::Draft => head.push(Line::from("Nothing has been sent.")),
        Submission::Submitting(sending) => {
            head.push(Line::from(vec![
                Span::styled(format!("{} ", spinner(app, sending.since)), theme.accent()),
                Span::styled(
                    if sending.resend {
                        "Sending the order again, with the same Client-Request-Id..."
                    } else {
                        "Sending the order..."
                    },
                    theme.title(),
                ),
            ]));
            head.extend(pair("Client-Request-Id", sending.request_id.clone()));
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
            head.extend(pair("Client-Request-Id", request_id.clone()));
            head.push(Line::from(Span::styled(
                "Esc goes back to the review with every choice kept, to change what was refused.",
                theme.muted(),
            )));
        }
        Submission::Unknown(unknown) => {
            head.push(Line::from(Span::styled(
                "The answer was lost: an order may have been placed.",
                theme.warning(),
            )));
            head.extend(pair("Why", failure_text(&unknown.reason)));
            head.extend(pair("Client-Request-Id", unknown.request_id.clone()));
            head.extend(pair("Sent at", utc(&unknown.sent_at)));
            match &unknown.lookup_failed {
                Some(failure) => head.push(Line::from(Span::styled(
                    format!("Looking for the order failed too: {}", failure_text(failure)),
                    theme.error(),
                ))),
                None if unknown.candidates.is_empty() => head.push(Line::from(
                    "No order created since then was found. It may still appear; resend only if you are sure.",
                )),
                None => head.push(Line::from(
                    "Orders created since then (is one of them this purchase?):",
                )),
            }
        }
        Submission::Placed(tracking) => placed_lines(app, tracking, area.width, &mut head),
    }
    let head_height = widgets::wrapped_height(&head, area.width).min(area.height);
    let head_area = take_rows(&mut area, head_height);
    Paragraph::new(head)
        .wrap(Wrap { trim: false })
        .render(head_area, buf);

    if let Submission::Unknown(unknown) = &app.submission
        && !unknown.candidates.is_empty()
    {
        let rows: Vec<ListRow> = unknown
            .candidates
            .iter()
            .enumerate()
            .map(|(i, info)| ListRow {
                line: Line::from(format!(
                    "  {:<22} {:<16} {:<21} {}",
                    widgets::fit(&info.order_id, 22, theme),
                    order_status::describe(info.status),
                    utc(info.create_time.as_deref().unwrap_or("-")),
                    amount_text(info).unwrap_or_default()
                )),
                selected: i == app.status.candidate,
                unavailable: false,
            })
            .collect();
        let list_height = (rows.len() as u16).min(area.height / 2);
        let list_area = take_rows(&mut area, list_height);
        widgets::draw_list(&rows, theme, list_area, buf);
    }

    take_rows(&mut area, 1);
    let title = take_rows(&mut area, 1);
    widgets::draw_lines(
        vec![Line::from(Span::styled("Timeline (UTC)", theme.accent()))],
        title,
        buf,
    );
    // The newest entries matter most: show the end of the timeline, each
    // entry wrapped under its text.
    let lines: Vec<Line> = app
        .timeline
        .entries
        .iter()
        .map(|e| {
            let style = match e.tone {
                Tone::Info => ratatui::style::Style::new(),
                Tone::Good => theme.good(),
                Tone::Warning => theme.warning(),
                Tone::Error => theme.error(),
            };
            Line::from(vec![
                Span::styled(format!("  {}  ", clock_text(e.at)), theme.muted()),
                Span::styled(clean(&e.text).into_owned(), style),
            ])
        })
        .collect();
    let text_width = area.width.saturating_sub(12);
    let mut shown = Vec::new();
    let mut used = 0;
    for line in lines.into_iter().rev() {
        let text_only = Line::from(line.spans[1].clone());
        let rows = widgets::wrapped_height(&[text_only], text_width).max(1);
        if used + rows > area.height {
            break;
        }
        used += rows;
        shown.push((line, rows));
    }
    let mut y = area.y;
    for (line, rows) in shown.into_iter().rev() {
        buf.set_span(area.x, y, &line.spans[0], 12);
        Paragraph::new(Line::from(line.spans[1].clone()))
            .wrap(Wrap { trim: false })
            .render(Rect::new(area.x + 12, y, text_width, rows), buf);
        y += rows;
    }
    None
}

fn placed_lines(app: &App, tracking: &Tracking, width: u16, head: &mut Vec<Line<'static>>) {
    let theme = &app.theme;
    let pair = |label: &str, value: String| {
        widgets::labelled(0, label, 19, theme.title(), &value, Style::new(), width)
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
    if !tracking.instance_ids.is_empty() {
        head.extend(pair("Instance IDs", tracking.instance_ids.join(", ")));
    }
    if let Some(id) = &tracking.request_id {
        head.extend(pair("Client-Request-Id", id.clone()));
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
            format!("{} paying...", spinner(app, *since)),
        )),
        Payment::Paid => head.extend(pair("Payment", "accepted".to_string())),
        Payment::Failed(failure) => head.extend(widgets::labelled(
            0,
            "Payment",
            19,
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
        let mut text = if left.is_zero() {
            "checking now".to_string()
        } else {
            format!("in {}", seconds_text(left))
        };
        if let Some((attempt, failure)) = &tracking.trouble {
            text.push_str(&format!(
                " (retry after failure {attempt}: {})",
                failure_text(failure)
            ));
        }
        head.extend(pair("Next check", text));
    } else if !tracking.active {
        head.push(Line::from(Span::styled(
            "Not being tracked: press t to track it again.",
            theme.warning(),
        )));
    }
}
