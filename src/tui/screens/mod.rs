//! One file per screen: its widget state, its bindings (keys, words, and
//! what they do), and its drawing. The table below lists every page once;
//! `update` and `view` reach the screens only through it.

pub mod dialogs;
pub mod extras;
pub mod image;
pub mod keys;
pub mod naming;
pub mod orders;
pub mod period;
pub mod purchases;
pub mod region;
pub mod review;
pub mod signin;
pub mod spec;
pub mod status;

use std::borrow::Cow;

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use self::keys::{BACK_TAB, Binding, DOWN, ENTER, ESC, F1, Hint, Key, TAB, UP};
use super::app::{App, Overlay, Page, Step};
use super::msg::Effect;
use super::service::SignIn;
use crate::api::journal::PurchaseRecord;

/// What a screen provides, once. `bindings` is the one list that key
/// handling, the footer and the help all read.
pub trait Screen {
    type Action: Clone;
    /// The page's name: a step's in the progress displays too.
    const NAME: &'static str;
    fn bindings(app: &App) -> Vec<Binding<Self::Action>>;
    /// Acts on the action of the binding `key` matched (the key itself is
    /// there for what it carries: a typed character, an arrow's direction).
    fn apply(app: &mut App, action: Self::Action, key: &KeyEvent) -> Reply;
    /// Pasted text goes to the focused text field, if there is one.
    fn paste(_app: &mut App, _text: &str) {}
    /// Points the screen's widgets at the draft (a step, when shown again).
    fn sync(_app: &mut App) {}
    /// Draws the page into `area`; returns where the text cursor goes.
    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position>;
}

/// What a key on a screen leads to beyond the screen's own state.
#[must_use]
pub enum Reply {
    Done,
    /// Work for the runtime.
    Run(Vec<Effect>),
    /// Something only `update` does; it acts on it in one place.
    Do(Command),
}

/// What the user asked for that reaches beyond one screen.
pub enum Command {
    /// Quit, asking first while an order is in flight.
    Quit,
    /// Enter on the review: check the order and the journal, then ask.
    PlaceOrder,
    SignIn(SignIn),
    /// Open a journaled purchase on the status pane and follow it.
    Reopen(Box<PurchaseRecord>),
    /// Open an order known by its ID alone on the status pane and follow it.
    Follow(String),
    /// A new order from the first step, from the last order's choices when
    /// the journal named one.
    NewOrder,
}

/// A screen's functions, as plain function pointers, so that one table
/// can hold every screen whatever its action type.
#[derive(Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub handle_key: fn(&mut App, &KeyEvent) -> Reply,
    pub hints: fn(&App) -> Vec<Hint>,
    pub paste: fn(&mut App, &str),
    pub sync: fn(&mut App),
    pub view: fn(&App, Rect, &mut Buffer) -> Option<Position>,
}

const fn table<S: Screen>() -> Table {
    Table {
        name: S::NAME,
        handle_key: handle_key_with::<S>,
        hints: hints_of::<S>,
        paste: S::paste,
        sync: S::sync,
        view: S::view,
    }
}

fn handle_key_with<S: Screen>(app: &mut App, key: &KeyEvent) -> Reply {
    match keys::find(&S::bindings(app), key) {
        Some(action) => S::apply(app, action, key),
        None => Reply::Done,
    }
}

fn hints_of<S: Screen>(app: &App) -> Vec<Hint> {
    S::bindings(app).iter().map(Binding::hint).collect()
}

/// Every page, once.
pub fn of(page: Page) -> Table {
    match page {
        Page::SignIn => const { table::<signin::SignInScreen>() },
        Page::Status => const { table::<status::StatusScreen>() },
        Page::Purchases => const { table::<purchases::PurchasesScreen>() },
        Page::Orders => const { table::<orders::OrdersScreen>() },
        Page::Step(step) => match step {
            Step::Region => const { table::<region::RegionScreen>() },
            Step::Image => const { table::<image::ImageScreen>() },
            Step::Spec => const { table::<spec::SpecScreen>() },
            Step::Period => const { table::<period::PeriodScreen>() },
            Step::Extras => const { table::<extras::ExtrasScreen>() },
            Step::Naming => const { table::<naming::NamingScreen>() },
            Step::Review => const { table::<review::ReviewScreen>() },
        },
    }
}

pub fn handle_key(app: &mut App, key: &KeyEvent) -> Reply {
    (of(app.page).handle_key)(app, key)
}

pub fn paste(app: &mut App, text: &str) {
    (of(app.page).paste)(app, text)
}

pub fn hints(app: &App) -> Vec<Hint> {
    (of(app.page).hints)(app)
}

/// Whether printable keys are text here (so `?` types a question mark).
pub fn captures_text(app: &App) -> bool {
    let hints = match &app.overlay {
        Some(overlay) => dialogs::hints(overlay),
        None => hints(app),
    };
    hints.iter().any(Binding::takes_text)
}

/// The page's name in the reader's language (each screen's `NAME` is its
/// English one, which the table and the tests know it by).
pub fn page_name(page: Page) -> String {
    match page {
        Page::SignIn => tr!("steps.page.sign_in"),
        Page::Status => tr!("steps.page.status"),
        Page::Purchases => tr!("steps.page.purchases"),
        Page::Orders => tr!("steps.page.orders"),
        Page::Step(step) => match step {
            Step::Region => tr!("steps.page.region"),
            Step::Image => tr!("steps.page.image"),
            Step::Spec => tr!("steps.page.spec"),
            Step::Period => tr!("steps.page.period"),
            Step::Extras => tr!("steps.page.extras"),
            Step::Naming => tr!("steps.page.naming"),
            Step::Review => tr!("steps.page.review"),
        },
    }
}

/// The page's title, for the frame around it.
pub fn title(app: &App) -> String {
    let name = page_name(app.page);
    match app.page {
        Page::Step(step) => format!("{}. {name}", step.number()),
        _ => name,
    }
}

/// Draws the page into `area`; returns where the text cursor goes.
pub fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
    (of(app.page).view)(app, area, buf)
}

/// The keys that work on every page, before the page's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Global {
    Help,
    Orders,
    Quit,
}

/// `typing`: whether printable keys are text here ([`captures_text`]),
/// which only `?` and `o` depend on; a caller that has the page's hints already
/// passes what they say rather than building them again.
pub fn global_bindings(app: &App, typing: bool) -> Vec<Binding<Global>> {
    let asking_to_quit = matches!(
        &app.overlay,
        Some(Overlay::Confirm(c)) if c.confirmed == dialogs::Confirmed::Quit
    );
    let on_page = app.overlay.is_none();
    let showing_help = matches!(app.overlay, Some(Overlay::Help(_)));
    let quit = Binding::new(&[Key::Ctrl('c')], tr!("steps.global.quit"), Global::Quit)
        .detail(tr!("steps.global.quit_detail"));
    vec![
        // Over a question `?` is an answer (no, or a typed character).
        Binding::new(&[Key::Char('?')], tr!("steps.global.help"), Global::Help)
            .detail(tr!("steps.global.help_detail"))
            .when((on_page || showing_help) && !typing)
            .shown_in_footer_if(on_page),
        // The footer names one help key: F1 where `?` is not the help.
        Binding::new(&[F1], tr!("steps.global.help"), Global::Help)
            .detail(tr!("steps.global.help_f1_detail"))
            .shown_in_footer_if(!showing_help && (typing || !on_page)),
        // Signing in comes first: the orders are the account's. Over the
        // help, as `?`, it works as named there (and closes the help).
        Binding::new(
            &[Key::Char('o')],
            tr!("steps.global.orders"),
            Global::Orders,
        )
        .detail(tr!("steps.global.orders_detail"))
        .when_else(
            (on_page || showing_help)
                && !typing
                && !matches!(app.page, Page::Orders | Page::SignIn),
            tr!("steps.global.orders_off"),
        )
        .shown_in_footer_if(on_page),
        // Asked already, a second Ctrl-C quits at once; the help names it
        // among the keys that work everywhere.
        quit.shown_in_footer_if(!asking_to_quit && !showing_help),
    ]
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

/// What Esc says on a step: back one step, or back to the review it came
/// from.
pub fn back_words(app: &App) -> Cow<'static, str> {
    Cow::Owned(if app.from_review {
        tr!("steps.form.back_to_review")
    } else {
        tr!("steps.form.back")
    })
}

/// The keys every form step starts with: Enter checks the form and accepts
/// it, Tab and Shift-Tab (and the arrows, where they are free) move between
/// fields. Esc comes from [`back`], after the step's own keys.
pub fn form_bindings<A: Clone>(accept: A, next: A, previous: A, arrows: bool) -> Vec<Binding<A>> {
    vec![
        Binding::new(&[ENTER], tr!("steps.form.accept"), accept),
        Binding::new(&[TAB], tr!("steps.form.next_field"), next.clone()),
        Binding::new(&[DOWN], tr!("steps.form.next_field"), next)
            .help_only()
            .when(arrows),
        Binding::new(
            &[BACK_TAB],
            tr!("steps.form.previous_field"),
            previous.clone(),
        )
        .help_only(),
        Binding::new(&[UP], tr!("steps.form.previous_field"), previous)
            .help_only()
            .when(arrows),
    ]
}

/// Esc on a step: back one step, keeping everything typed.
pub fn back<A>(app: &App, action: A) -> Binding<A> {
    Binding::new(&[ESC], back_words(app), action)
}
