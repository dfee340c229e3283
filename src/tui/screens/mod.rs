//! One file per screen: its widget state, its keys, its hints and its
//! drawing. `update` and `view` dispatch here by page.

pub mod dialogs;
pub mod extras;
pub mod image;
pub mod naming;
pub mod period;
pub mod purchases;
pub mod region;
pub mod review;
pub mod signin;
pub mod spec;
pub mod status;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::app::{App, Page, Step};
use super::msg::Effect;
use super::widgets::{Hint, Picker, hint};

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    match app.page {
        Page::SignIn => signin::handle_key(app, key),
        Page::Status => status::handle_key(app, key),
        Page::Purchases => purchases::handle_key(app, key),
        Page::Step(step) => match step {
            Step::Region => region::handle_key(app, key),
            Step::Image => image::handle_key(app, key),
            Step::Spec => spec::handle_key(app, key),
            Step::Period => period::handle_key(app, key),
            Step::Extras => extras::handle_key(app, key),
            Step::Naming => naming::handle_key(app, key),
            Step::Review => review::handle_key(app, key),
        },
    }
}

/// Pasted text goes to the focused text field, if there is one.
pub fn paste(app: &mut App, text: &str) {
    match app.page {
        Page::SignIn => signin::paste(app, text),
        Page::Step(Step::Image) => image::paste(app, text),
        Page::Step(Step::Period) => period::paste(app, text),
        Page::Step(Step::Extras) => extras::paste(app, text),
        Page::Step(Step::Naming) => naming::paste(app, text),
        _ => {}
    }
}

/// Whether printable keys are text here (so `?` types a question mark).
pub fn captures_text(app: &App) -> bool {
    match app.page {
        Page::SignIn => signin::captures_text(app),
        Page::Status | Page::Purchases => false,
        Page::Step(step) => match step {
            Step::Region => app.region.picker.captures_text(),
            Step::Image => image::captures_text(app),
            Step::Spec => app.spec.picker.captures_text(),
            Step::Period => period::captures_text(app),
            Step::Extras => extras::captures_text(app),
            Step::Naming => naming::captures_text(app),
            Step::Review => false,
        },
    }
}

pub fn hints(app: &App) -> Vec<Hint> {
    match app.page {
        Page::SignIn => signin::hints(app),
        Page::Status => status::hints(app),
        Page::Purchases => purchases::hints(app),
        Page::Step(step) => match step {
            Step::Region => region::hints(app),
            Step::Image => image::hints(app),
            Step::Spec => spec::hints(app),
            Step::Period => period::hints(app),
            Step::Extras => extras::hints(app),
            Step::Naming => naming::hints(app),
            Step::Review => review::hints(app),
        },
    }
}

/// The page's title, for the frame around it.
pub fn title(app: &App) -> String {
    match app.page {
        Page::SignIn => "Sign in".to_string(),
        Page::Status => "Order status".to_string(),
        Page::Purchases => "Unfinished purchases".to_string(),
        Page::Step(step) => format!("{}. {}", step.number(), step.title()),
    }
}

/// Draws the page into `area`; returns where the text cursor goes.
pub fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    match app.page {
        Page::SignIn => signin::view(app, area, buf),
        Page::Status => status::view(app, area, buf),
        Page::Purchases => purchases::view(app, area, buf),
        Page::Step(step) => match step {
            Step::Region => region::view(app, area, buf),
            Step::Image => image::view(app, area, buf),
            Step::Spec => spec::view(app, area, buf),
            Step::Period => period::view(app, area, buf),
            Step::Extras => extras::view(app, area, buf),
            Step::Naming => naming::view(app, area, buf),
            Step::Review => review::view(app, area, buf),
        },
    }
}

/// Splits off the first `n` rows of `area`.
pub fn take_rows(area: &mut Rect, n: u16) -> Rect {
    let n = n.min(area.height);
    let top = Rect::new(area.x, area.y, area.width, n);
    area.y += n;
    area.height -= n;
    top
}

/// Splits off all but the last `keep` rows of `area`.
pub fn take_all_but(area: &mut Rect, keep: u16) -> Rect {
    let n = area.height.saturating_sub(keep);
    take_rows(area, n)
}

/// The sentence that opens a page, with a blank row under it; takes those
/// rows off the top of `area`.
pub fn draw_intro<'a>(line: impl Into<Line<'a>>, area: &mut Rect, buf: &mut Buffer) {
    let rows = take_rows(area, 2);
    super::widgets::draw_lines(vec![line.into()], rows, buf);
}

/// The field `delta` places from `current` among a form's `fields`, wrapping
/// around: Tab past the last field comes back to the first.
pub fn cycle<T: Copy + PartialEq>(fields: &[T], current: T, delta: isize) -> T {
    let here = fields.iter().position(|f| *f == current).unwrap_or(0) as isize;
    fields[(here + delta).rem_euclid(fields.len() as isize) as usize]
}

/// The keys every form step shares: Esc goes back, Enter checks the form
/// and accepts it. Returns whether the key was one of them.
pub fn form_key(app: &mut App, key: &KeyEvent, submit: fn(&mut App)) -> bool {
    match key.code {
        KeyCode::Esc => app.back(),
        KeyCode::Enter => submit(app),
        _ => return false,
    }
    true
}

/// The keys of a step that is one list: choose, move, and Esc, which
/// clears a filter first and otherwise does `back` (None: nothing to go
/// back to).
pub fn list_hints(picker: &Picker, back: Option<Hint>) -> Vec<Hint> {
    let mut hints = vec![hint("Enter", "choose"), hint("↑↓", "move")];
    if picker.captures_text() {
        hints.push(hint("Esc", "clear filter"));
    } else {
        hints.extend(back);
        hints.push(hint("type", "filter"));
    }
    hints
}

/// Esc's hint on a step: back one step, or back to the review it came from.
pub fn back_hint(app: &App) -> Hint {
    hint(
        "Esc",
        if app.from_review {
            "back to review"
        } else {
            "back"
        },
    )
}
