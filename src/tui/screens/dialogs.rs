//! Questions asked over the page (confirmations, saving the plan) and the
//! help. Every question defaults to no: only the named key says yes.

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use crate::domain::order::PeriodType;
use crate::domain::summary::{Summary, plural};
use crate::tui::app::{App, Connection, Overlay};
use crate::tui::msg::Effect;
use crate::tui::submission::Submission;
use crate::tui::text::clean;
use crate::tui::widgets::{self, FieldLook, Hint, TextField, hint, typed_char};

/// Several instances or a yearly period ask a second time.
pub fn needs_second_confirmation(app: &App) -> bool {
    app.draft.purchase_quantity > 1 || app.draft.period_type == PeriodType::Year
}

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    let yes = matches!(typed_char(key), Some('y' | 'Y'));
    match overlay {
        Overlay::Help => {}
        Overlay::ConfirmSubmit => {
            if yes {
                if needs_second_confirmation(app) {
                    app.overlay = Some(Overlay::ConfirmSubmitAgain(TextField::default()));
                } else {
                    return crate::tui::update::submit(app);
                }
            }
        }
        Overlay::ConfirmSubmitAgain(mut typed) => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                if typed.value().trim().eq_ignore_ascii_case("yes") {
                    return crate::tui::update::submit(app);
                }
            }
            _ => {
                typed.handle(key);
                app.overlay = Some(Overlay::ConfirmSubmitAgain(typed));
            }
        },
        Overlay::ConfirmQuit => {
            if yes {
                app.quit = true;
                return vec![Effect::Quit];
            }
        }
        Overlay::ConfirmPay { order_id } => {
            if yes {
                return crate::tui::update::pay(app, order_id);
            }
        }
        Overlay::ConfirmResend => {
            if yes {
                return crate::tui::update::resend(app);
            }
        }
        Overlay::ConfirmSeparate(mut typed) => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                if typed.value().trim().eq_ignore_ascii_case("separate") {
                    return crate::tui::update::submit_separate(app);
                }
            }
            _ => {
                typed.handle(key);
                app.overlay = Some(Overlay::ConfirmSeparate(typed));
            }
        },
        Overlay::SavePlan(mut path) => match key.code {
            KeyCode::Esc => {}
            KeyCode::Enter => {
                let text = path.value().trim().to_string();
                if text.is_empty() {
                    app.overlay = Some(Overlay::SavePlan(path));
                } else {
                    return crate::tui::update::save_plan(app, PathBuf::from(text), false);
                }
            }
            _ => {
                path.handle(key);
                app.overlay = Some(Overlay::SavePlan(path));
            }
        },
        Overlay::ConfirmOverwrite { path } => {
            if yes {
                return crate::tui::update::save_plan(app, path, true);
            }
        }
    }
    Vec::new()
}

pub fn paste(app: &mut App, text: &str) {
    if let Some(
        Overlay::SavePlan(field)
        | Overlay::ConfirmSubmitAgain(field)
        | Overlay::ConfirmSeparate(field),
    ) = &mut app.overlay
    {
        field.paste(text);
    }
}

pub fn hints(overlay: &Overlay) -> Vec<Hint> {
    match overlay {
        Overlay::Help => vec![hint("any key", "close the help")],
        Overlay::ConfirmSubmit => vec![
            hint("y", "yes, place the order"),
            hint("any other key", "no"),
        ],
        Overlay::ConfirmSubmitAgain(_) => {
            vec![hint("yes Enter", "place the order"), hint("Esc", "no")]
        }
        Overlay::ConfirmQuit => vec![hint("y", "quit"), hint("any other key", "stay")],
        Overlay::ConfirmPay { .. } => vec![hint("y", "pay now"), hint("any other key", "no")],
        Overlay::ConfirmResend => vec![hint("y", "resend"), hint("any other key", "no")],
        Overlay::ConfirmSeparate(_) => vec![
            hint("separate Enter", "send it as another purchase"),
            hint("Esc", "no"),
        ],
        Overlay::SavePlan(_) => vec![hint("Enter", "save"), hint("Esc", "cancel")],
        Overlay::ConfirmOverwrite { .. } => {
            vec![hint("y", "replace the file"), hint("any other key", "no")]
        }
    }
}

/// Where the order goes, in the header's words: a confirmation names it so
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

fn dialog_area(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Draws the overlay over `area` (the whole screen); returns the cursor.
pub fn view(
    app: &App,
    overlay: &Overlay,
    page_hints: &[Hint],
    area: Rect,
    buf: &mut Buffer,
) -> Option<Position> {
    let theme = &app.theme;
    if let Overlay::Help = overlay {
        return help(app, page_hints, area, buf);
    }
    let summary = Summary::new(&app.catalog, &app.prices, &app.draft);
    let total = summary.estimate.total_text();
    let (title, mut lines, field): (&str, Vec<Line>, Option<(&TextField, &str)>) = match overlay {
        Overlay::Help => unreachable!("drawn above"),
        Overlay::ConfirmSubmit => (
            "Place this order?",
            vec![
                Line::from(purchase_words(app)),
                Line::from(format!("Estimated cost: {}", clean(&total))),
                destination(app),
                Line::default(),
                Line::from(vec![
                    Span::raw("Press "),
                    Span::styled("y", theme.key()),
                    Span::raw(" to place it. Any other key: no, nothing is sent."),
                ]),
            ],
            None,
        ),
        Overlay::ConfirmSubmitAgain(typed) => (
            "Please confirm once more",
            vec![
                Line::from(purchase_words(app)),
                Line::from(vec![
                    Span::raw("You are agreeing to: "),
                    Span::styled(clean(&total).into_owned(), theme.warning()),
                ]),
                destination(app),
                Line::default(),
                Line::from(vec![
                    Span::raw("Type "),
                    Span::styled("yes", theme.key()),
                    Span::raw(" and press Enter to place it; anything else is no."),
                ]),
            ],
            Some((typed, "Answer")),
        ),
        Overlay::ConfirmQuit => {
            let why = match &app.submission {
                Submission::Submitting(_) => "The order was sent and its answer has not come yet.",
                Submission::Unknown(_) => "The answer to the order was lost; an order may exist.",
                _ => "The order is not final yet; flexus stops tracking it.",
            };
            (
                "Quit while an order is in flight?",
                vec![
                    Line::from(why),
                    Line::from("Its ID is in the journal either way."),
                    Line::default(),
                    Line::from(vec![
                        Span::raw("Press "),
                        Span::styled("y", theme.key()),
                        Span::raw(" to quit; any other key stays."),
                    ]),
                ],
                None,
            )
        }
        Overlay::ConfirmPay { order_id } => {
            let amount = match &app.submission {
                Submission::Placed(t) => t
                    .latest
                    .as_ref()
                    .and_then(crate::tui::submission::amount_text)
                    .unwrap_or_else(|| "the order's amount".to_string()),
                _ => "the order's amount".to_string(),
            };
            (
                "Pay this order now?",
                vec![
                    Line::from(format!("Order {}", clean(order_id))),
                    Line::from(format!("Pays {amount} from the account balance.")),
                    Line::default(),
                    Line::from(vec![
                        Span::raw("Press "),
                        Span::styled("y", theme.key()),
                        Span::raw(" to pay; any other key: no."),
                    ]),
                ],
                None,
            )
        }
        Overlay::ConfirmResend => {
            let id = match &app.submission {
                Submission::Unknown(u) => u.request_id.to_string(),
                _ => String::new(),
            };
            (
                "Send the same order again?",
                vec![
                    Line::from("Only if you are sure no order was placed: if one was, you may"),
                    Line::from("buy twice. The resend uses the same Client-Request-Id:"),
                    Line::from(id),
                    Line::default(),
                    Line::from(vec![
                        Span::raw("Press "),
                        Span::styled("y", theme.key()),
                        Span::raw(" to resend; any other key: no."),
                    ]),
                ],
                None,
            )
        }
        Overlay::ConfirmSeparate(typed) => {
            let earlier = crate::tui::update::separate_from(app).len().max(1);
            (
                "A separate, additional purchase?",
                vec![
                    Line::from(purchase_words(app)),
                    Line::from(vec![
                        Span::raw("You are agreeing to: "),
                        Span::styled(clean(&total).into_owned(), theme.warning()),
                    ]),
                    destination(app),
                    Line::from(if earlier == 1 {
                        "If the earlier purchase placed an order, you will have both.".to_string()
                    } else {
                        format!(
                            "If the {earlier} earlier purchases placed orders, you will have all."
                        )
                    }),
                    Line::default(),
                    Line::from(vec![
                        Span::raw("Type "),
                        Span::styled("separate", theme.key()),
                        Span::raw(" and press Enter to send it; anything else is no."),
                    ]),
                ],
                Some((typed, "Answer")),
            )
        }
        Overlay::SavePlan(path) => (
            "Save the plan",
            vec![
                Line::from("The plan is the request body as JSON (no secrets in it)."),
                Line::from("An existing file is never replaced without asking."),
            ],
            Some((path, "File")),
        ),
        Overlay::ConfirmOverwrite { path } => (
            "Replace the file?",
            vec![
                Line::from(format!(
                    "{} exists already.",
                    clean(&path.display().to_string())
                )),
                Line::default(),
                Line::from(vec![
                    Span::raw("Press "),
                    Span::styled("y", theme.key()),
                    Span::raw(" to replace it; any other key: no."),
                ]),
            ],
            None,
        ),
    };
    let width = (lines.iter().map(|l| l.width()).max().unwrap_or(20).max(40) as u16 + 2)
        .min(76)
        .min(area.width.saturating_sub(2));
    let text_rows = widgets::wrapped_height(&lines, width.saturating_sub(2));
    let height = text_rows + 2 + u16::from(field.is_some()) * 2;
    let outer = dialog_area(area, width, height);
    clear_around(outer, area, buf);
    let block = widgets::block(
        Line::from(Span::styled(format!(" {title} "), theme.title())),
        theme,
        true,
    );
    let inner = block.inner(outer);
    block.render(outer, buf);
    let mut cursor = None;
    if let Some((field, label)) = field {
        lines.push(Line::default());
        let text_height = inner.height.saturating_sub(1);
        Paragraph::new(lines).wrap(Wrap { trim: false }).render(
            Rect {
                height: text_height,
                ..inner
            },
            buf,
        );
        let row = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        cursor = widgets::draw_field(
            field,
            &FieldLook {
                label,
                label_width: 9,
                focused: true,
                masked: false,
                placeholder: "",
            },
            theme,
            row,
            buf,
        );
    } else {
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
    cursor
}

/// Blanks the dialog's area and a column either side, so the page's text
/// does not touch the frame.
fn clear_around(dialog: Rect, screen: Rect, buf: &mut Buffer) {
    let x = dialog.x.saturating_sub(1).max(screen.x);
    let right = (dialog.right() + 1).min(screen.right());
    Clear.render(Rect::new(x, dialog.y, right - x, dialog.height), buf);
}

/// Every key: the ones that work everywhere, then this page's.
pub fn global_keys() -> Vec<Hint> {
    vec![
        hint("Enter", "accept and go on"),
        hint("Esc", "back, keeping every choice"),
        hint("↑↓ j/k", "move in lists and between fields"),
        hint("type", "filter a list (/ starts a filter; Esc clears it)"),
        hint("Tab Shift-Tab", "next or previous field"),
        hint("1-6", "on the review: reopen a step"),
        hint("? F1", "this help (F1 also while typing)"),
        hint("Ctrl-C", "quit (asks first while an order is in flight)"),
        hint(
            "--mouse",
            "the wheel moves in lists (then Shift selects text)",
        ),
    ]
}

fn help(app: &App, page_hints: &[Hint], area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let key_line = |h: &Hint| {
        Line::from(vec![
            Span::styled(format!("  {:<16}", theme.keys(h.keys)), theme.key()),
            Span::raw(
                h.detail
                    .map_or_else(|| h.action.to_string(), str::to_string),
            ),
        ])
    };
    let mut lines = vec![Line::from(Span::styled("On this page", theme.accent()))];
    lines.extend(page_hints.iter().map(key_line));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Everywhere", theme.accent())));
    lines.extend(global_keys().iter().map(key_line));
    let height = lines.len() as u16 + 2;
    let outer = dialog_area(area, 74, height);
    clear_around(outer, area, buf);
    let block = widgets::block(
        Line::from(Span::styled(" Keys ", theme.title())),
        theme,
        true,
    );
    let inner = block.inner(outer);
    block.render(outer, buf);
    Paragraph::new(lines).render(inner, buf);
    None
}
