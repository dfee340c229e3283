//! Step 7: everything chosen, the spec sheet, the cost estimate, the exact
//! request body and the equivalent headless command. Any step can be
//! reopened from here; submitting asks first.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::summary::{Summary, plural};
use crate::tui::app::{App, Connection, Overlay, Page, Step, Tone};
use crate::tui::msg::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::{Hint, TextField, hint, typed_char};

#[derive(Debug, Clone, Default)]
pub struct State {
    pub scroll: u16,
    pub show_json: bool,
    /// The plan file this order was loaded from or last saved to.
    pub plan_file: Option<PathBuf>,
    pub saved: bool,
}

/// Where the plan is saved unless the user says otherwise.
pub fn default_plan_path(app: &App) -> PathBuf {
    if let Some(path) = &app.review.plan_file {
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

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    let max_scroll = content(app).len().saturating_sub(1) as u16;
    let state = &mut app.review;
    match key.code {
        KeyCode::Enter => return crate::tui::update::ask_to_submit(app),
        KeyCode::Esc => {
            app.go_to(Page::Step(Step::Naming));
            return Vec::new();
        }
        KeyCode::Up => state.scroll = state.scroll.saturating_sub(1),
        KeyCode::Down => state.scroll = (state.scroll + 1).min(max_scroll),
        KeyCode::PageUp => state.scroll = state.scroll.saturating_sub(10),
        KeyCode::PageDown => state.scroll = (state.scroll + 10).min(max_scroll),
        KeyCode::Home => state.scroll = 0,
        KeyCode::End => state.scroll = max_scroll,
        _ => match typed_char(key) {
            Some('k') => state.scroll = state.scroll.saturating_sub(1),
            Some('j') => state.scroll = (state.scroll + 1).min(max_scroll),
            Some('v') => state.show_json = !state.show_json,
            Some('s') => {
                let path = default_plan_path(app);
                app.overlay = Some(Overlay::SavePlan(TextField::new(
                    path.display().to_string(),
                )));
            }
            Some(c @ '1'..='6') => {
                let step = Step::from_number(c as usize - '0' as usize).expect("1 to 6 are steps");
                app.reopen(step);
            }
            _ => {}
        },
    }
    Vec::new()
}

pub fn hints(_app: &App) -> Vec<Hint> {
    vec![
        hint("Enter", "place order..."),
        hint("1-6", "change a step"),
        hint("v", "JSON body"),
        hint("s", "save plan"),
        hint("↑↓", "scroll"),
        hint("Esc", "back"),
    ]
}

fn step_of_label(label: &str) -> Step {
    match label {
        "Region" => Step::Region,
        "Image" => Step::Image,
        "Spec" => Step::Spec,
        "Period" | "Quantity" | "Auto-renew" | "Auto-pay" => Step::Period,
        "Extras" => Step::Extras,
        _ => Step::Naming,
    }
}

/// Everything the review shows, top to bottom.
pub fn content(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let summary = Summary::new(&app.catalog, &app.prices, &app.draft);
    let mut lines = Vec::new();
    let heading = |text: &str| Line::from(Span::styled(text.to_string(), theme.accent()));
    let row = |number: Option<usize>, label: &str, value: String| {
        Line::from(vec![
            Span::styled(
                number.map_or("   ".to_string(), |n| format!(" {n} ")),
                theme.key(),
            ),
            Span::styled(format!("{label:<15}"), theme.title()),
            Span::raw(clean(&value).into_owned()),
        ])
    };

    let problems = app.draft.problems(&app.catalog);
    if !problems.is_empty() {
        lines.push(Line::from(Span::styled(
            "This order cannot be placed yet:",
            theme.error(),
        )));
        for p in &problems {
            lines.push(Line::from(Span::styled(
                format!("  ! {}", clean(&p.to_string())),
                theme.error(),
            )));
        }
        lines.push(Line::default());
    }

    lines.push(heading("Your choices (press a step's number to change it)"));
    let mut choices = summary.choices.clone();
    choices.sort_by_key(|(label, _)| step_of_label(label));
    let mut last_step = None;
    for (label, value) in choices {
        let step = step_of_label(label);
        let number = (last_step != Some(step)).then(|| step.number());
        last_step = Some(step);
        let value = if label == "Spec" {
            match &summary.spec {
                Some(spec) => format!("{value} ({})", spec.short_description()),
                None => value,
            }
        } else {
            value
        };
        lines.push(row(number, label, value));
    }
    lines.push(Line::default());

    if !summary.spec_sheet().is_empty() {
        lines.push(heading("Spec sheet"));
        for (label, value) in summary.spec_sheet() {
            lines.push(row(None, label, value));
        }
        lines.push(Line::default());
    }

    let e = &summary.estimate;
    lines.push(heading("Cost estimate"));
    lines.push(row(
        None,
        "Per instance",
        format!("{} a month", e.per_month_text()),
    ));
    let total = match e.total {
        Some(total) => format!("{} {total}", e.currency),
        None => "not known".to_string(),
    };
    lines.push(row(
        None,
        "Whole order",
        format!(
            "{total} for {} x {}",
            plural(e.months, "month"),
            plural(e.quantity, "instance")
        ),
    ));
    if !e.unpriced.is_empty() {
        lines.push(Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{:<15}", "Not priced"), theme.warning()),
            Span::raw(e.unpriced.join(", ")),
        ]));
    }
    for note in &e.notes {
        lines.push(Line::from(Span::styled(
            format!("   {note}"),
            theme.muted(),
        )));
    }
    lines.push(Line::default());

    let destination = match &app.connection {
        Connection::Ready { label, .. } => Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{:<15}", "Sends to"), theme.title()),
            Span::raw(clean(label).into_owned()),
        ]),
        Connection::SigningIn { what, .. } => {
            row(None, "Sends to", format!("(still signing in with {what})"))
        }
        Connection::Failed { what, .. } => Line::from(vec![
            Span::raw("   "),
            Span::styled(format!("{:<15}", "Sends to"), theme.title()),
            Span::styled(
                format!("nowhere yet: signing in with {what} failed; Enter leads to sign-in"),
                theme.warning(),
            ),
        ]),
        Connection::NotSignedIn => row(None, "Sends to", "nowhere yet: not signed in".to_string()),
    };
    lines.push(destination);
    let path = default_plan_path(app);
    let saved = if app.review.saved {
        "(saved)".to_string()
    } else if app.review.plan_file.is_some() {
        "(opened from this file)".to_string()
    } else {
        "(s saves the plan there)".to_string()
    };
    lines.push(Line::from(vec![
        Span::raw("   "),
        Span::styled(format!("{:<15}", "Headless"), theme.title()),
        Span::raw(format!(
            "flexus order --plan {} ",
            clean(&shell_word(&path))
        )),
        Span::styled(saved, theme.muted()),
    ]));
    lines.push(Line::default());

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

pub fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let lines = content(app);
    let max_scroll = (lines.len() as u16).saturating_sub(area.height);
    let scroll = app.review.scroll.min(max_scroll);
    Paragraph::new(lines).scroll((scroll, 0)).render(area, buf);
    if scroll < max_scroll && area.height > 0 {
        let text = app.theme.symbols.more_below;
        let x = area.right().saturating_sub(text.len() as u16);
        buf.set_string(x, area.bottom() - 1, text, app.theme.muted());
    }
    if scroll > 0 && area.height > 0 {
        let text = app.theme.symbols.more_above;
        let x = area.right().saturating_sub(text.len() as u16);
        buf.set_string(x, area.y, text, app.theme.muted());
    }
    None
}

/// A notice on the review page.
pub fn tell(app: &mut App, tone: Tone, text: impl Into<String>) {
    app.notices.clear();
    app.notice(tone, text);
}
