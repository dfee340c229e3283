//! The sign-in screen, shown when no credentials were found (or signing in
//! with the ones found failed): an IAM token, an IAM user's password (with
//! an MFA code when the account asks for one), AK/SK from the environment,
//! or the sandbox.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::keys::{BACK_TAB, Binding, DOWN, ENTER, ESC, Key, TAB, UP, is_up, typed_char};
use super::{Command, Reply, Screen, take_rows};
use crate::secret::Secret;
use crate::tui::app::{App, Connection};
use crate::tui::service::SignIn;
use crate::tui::submission::failure_text;
use crate::tui::text::pad;
use crate::tui::widgets::{self, FieldLook, ListRow, TextField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Token,
    Password,
    AkSk,
    Sandbox,
}

pub const METHODS: [Method; 4] = [
    Method::Token,
    Method::Password,
    Method::AkSk,
    Method::Sandbox,
];

impl Method {
    /// The way to sign in, as the list names it.
    pub fn name(self) -> String {
        match self {
            Method::Token => tr!("steps.signin.method.token"),
            Method::Password => tr!("steps.signin.method.password"),
            Method::AkSk => tr!("steps.signin.method.aksk"),
            Method::Sandbox => tr!("steps.signin.method.sandbox"),
        }
    }

    /// What the way needs, beside its name.
    fn detail(self) -> String {
        match self {
            Method::Token => tr!("steps.signin.method.token_detail"),
            Method::Password => tr!("steps.signin.method.password_detail"),
            Method::AkSk => tr!("steps.signin.method.aksk_detail"),
            Method::Sandbox => tr!("steps.signin.method.sandbox_detail"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Methods,
    Form,
}

/// The form's fields. Secret fields are wiped once signed in.
#[derive(Clone, Default)]
pub struct State {
    pub pane: Pane,
    pub cursor: usize,
    pub focus: usize,
    /// Scoped to the project of the order's region: the purchase.
    pub token: TextField,
    /// Scoped to the account's domain: billing (status, payment).
    pub bss_token: TextField,
    pub user: TextField,
    pub password: TextField,
    pub account: TextField,
    pub mfa: TextField,
    pub mfa_user_id: TextField,
    pub error: Option<String>,
    /// Why this screen is shown (no credentials found, or a failure).
    pub reason: Option<String>,
}

impl State {
    pub fn method(&self) -> Method {
        METHODS[self.cursor]
    }

    fn field_count(&self) -> usize {
        match self.method() {
            Method::Token => 2,
            Method::Password => 5,
            _ => 0,
        }
    }

    fn field_mut(&mut self, index: usize) -> &mut TextField {
        match (self.method(), index) {
            (Method::Token, 0) => &mut self.token,
            (Method::Token, _) => &mut self.bss_token,
            (_, 0) => &mut self.user,
            (_, 1) => &mut self.password,
            (_, 2) => &mut self.account,
            (_, 3) => &mut self.mfa,
            _ => &mut self.mfa_user_id,
        }
    }

    /// Forgets every secret typed here.
    pub fn wipe_secrets(&mut self) {
        self.token.wipe();
        self.bss_token.wipe();
        self.password.wipe();
        self.mfa.wipe();
    }
}

fn signing_in(app: &App) -> bool {
    matches!(app.connection, Connection::SigningIn { .. })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    StopWaiting,
    Move,
    /// 1 to 4: that way.
    Pick,
    Choose,
    Later,
    Next,
    Previous,
    SignIn,
    OtherWays,
    Edit,
}

/// The sign-in methods are picked by number: 1 to this.
const LAST_METHOD: char = (b'0' + METHODS.len() as u8) as char;

pub struct SignInScreen;

impl Screen for SignInScreen {
    type Action = Action;
    const NAME: &'static str = "Sign in";

    fn bindings(app: &App) -> Vec<Binding<Action>> {
        if signing_in(app) {
            return vec![Binding::new(
                &[ESC],
                tr!("steps.signin.stop_waiting"),
                Action::StopWaiting,
            )];
        }
        match app.signin.pane {
            Pane::Methods => vec![
                Binding::new(&[ENTER], tr!("steps.list.choose"), Action::Choose),
                Binding::new(&[UP, DOWN], tr!("steps.list.move"), Action::Move),
                Binding::new(
                    &[Key::Char('k'), Key::Char('j')],
                    tr!("steps.list.move"),
                    Action::Move,
                )
                .help_only(),
                Binding::new(
                    &[Key::Range('1', LAST_METHOD)],
                    tr!("steps.signin.that_way"),
                    Action::Pick,
                )
                .help_only(),
                Binding::new(&[ESC], tr!("steps.signin.later"), Action::Later)
                    .detail(tr!("steps.signin.later_detail")),
            ],
            Pane::Form => {
                let mut list = vec![
                    Binding::new(&[ENTER], tr!("steps.signin.sign_in"), Action::SignIn),
                    Binding::new(&[TAB, DOWN], tr!("steps.form.next_field"), Action::Next)
                        .shown_as("Tab"),
                    Binding::new(
                        &[BACK_TAB, UP],
                        tr!("steps.form.previous_field"),
                        Action::Previous,
                    )
                    .help_only(),
                    Binding::new(&[ESC], tr!("steps.signin.other_ways"), Action::OtherWays),
                ];
                list.extend(TextField::bindings(Action::Edit));
                list
            }
        }
    }

    fn apply(app: &mut App, action: Action, key: &KeyEvent) -> Reply {
        let state = &mut app.signin;
        let count = state.field_count();
        match action {
            Action::StopWaiting => {
                // The answer, when it comes, no longer matches and is dropped.
                app.connect_attempts += 1;
                app.connection = Connection::NotSignedIn;
            }
            Action::Move if is_up(key) => state.cursor = state.cursor.saturating_sub(1),
            Action::Move => state.cursor = (state.cursor + 1).min(METHODS.len() - 1),
            Action::Pick => {
                if let Some(n) = typed_char(key).and_then(|c| c.to_digit(10)) {
                    state.cursor = n as usize - 1;
                }
            }
            // The order can be put together first; placing it asks to
            // sign in again.
            Action::Later => {
                state.error = None;
                app.go_to(app.resume);
            }
            Action::Choose => {
                state.error = None;
                if count == 0 {
                    return connect(app);
                }
                state.pane = Pane::Form;
                state.focus = 0;
            }
            Action::Next => state.focus = (state.focus + 1) % count,
            Action::Previous => state.focus = (state.focus + count - 1) % count,
            Action::SignIn => return connect(app),
            Action::OtherWays => state.pane = Pane::Methods,
            Action::Edit => {
                let focus = state.focus;
                if state.field_mut(focus).handle(key) {
                    state.error = None;
                }
            }
        }
        Reply::Done
    }

    fn paste(app: &mut App, text: &str) {
        let state = &mut app.signin;
        if state.pane == Pane::Form {
            let focus = state.focus;
            state.field_mut(focus).paste(text);
        }
    }

    fn view(app: &App, area: Rect, buf: &mut Buffer) -> Option<Position> {
        view(app, area, buf)
    }
}

/// The choice the form describes, or what is missing from it.
fn choice(state: &State) -> Result<SignIn, (usize, String)> {
    // Each message is a whole sentence: "give the ..." reads otherwise in
    // Chinese.
    let required = |field: &TextField, index: usize, missing: String| {
        if field.value().trim().is_empty() {
            Err((index, missing))
        } else {
            Ok(())
        }
    };
    match state.method() {
        Method::Token => {
            required(&state.token, 0, tr!("steps.signin.missing.purchase_token"))?;
            required(
                &state.bss_token,
                1,
                tr!("steps.signin.missing.billing_token"),
            )?;
            Ok(SignIn::Tokens {
                purchase: Some(Secret::new(state.token.value().trim())),
                billing: Some(Secret::new(state.bss_token.value().trim())),
            })
        }
        Method::Password => {
            required(&state.user, 0, tr!("steps.signin.missing.user"))?;
            required(&state.password, 1, tr!("steps.signin.missing.password"))?;
            required(&state.account, 2, tr!("steps.signin.missing.account"))?;
            let mfa = state.mfa.value().trim();
            if !mfa.is_empty() {
                required(
                    &state.mfa_user_id,
                    4,
                    tr!("steps.signin.missing.mfa_user_id"),
                )?;
            }
            let mfa_user_id = state.mfa_user_id.value().trim();
            Ok(SignIn::Password {
                user: state.user.value().trim().to_string(),
                password: Secret::new(state.password.value()),
                account: state.account.value().trim().to_string(),
                mfa_code: (!mfa.is_empty()).then(|| mfa.to_string()),
                mfa_user_id: (!mfa.is_empty() && !mfa_user_id.is_empty())
                    .then(|| mfa_user_id.to_string()),
            })
        }
        Method::AkSk => Ok(SignIn::AkSkFromEnvironment),
        Method::Sandbox => Ok(SignIn::Sandbox),
    }
}

fn connect(app: &mut App) -> Reply {
    match choice(&app.signin) {
        Err((index, message)) => {
            app.signin.focus = index;
            app.signin.error = Some(message);
            Reply::Done
        }
        Ok(choice) => Reply::Do(Command::SignIn(choice)),
    }
}

fn view(app: &App, mut area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = &app.theme;
    let state = &app.signin;
    let mut intro = vec![Line::from(tr!("steps.signin.intro"))];
    if let Some(reason) = &state.reason {
        intro.push(Line::from(Span::styled(reason.clone(), theme.muted())));
    }
    // A reason (why signing in is asked again) can run to several lines.
    let intro = Paragraph::new(intro).wrap(Wrap { trim: true });
    let rows = intro.line_count(area.width).min(u16::MAX as usize) as u16;
    let intro_area = take_rows(&mut area, rows + 1);
    intro.render(intro_area, buf);

    let rows: Vec<ListRow> = METHODS
        .iter()
        .enumerate()
        .map(|(i, method)| ListRow {
            line: Line::from(vec![
                Span::raw(format!("  {} ", i + 1)),
                Span::styled(pad(&method.name(), 19), theme.title()),
                Span::styled(method.detail(), theme.muted()),
            ]),
            selected: i == state.cursor && state.pane == Pane::Methods,
            unavailable: false,
        })
        .collect();
    let list_area = take_rows(&mut area, METHODS.len() as u16 + 1);
    widgets::draw_list(&rows, theme, list_area, buf);

    let mut cursor = None;
    if state.pane == Pane::Form {
        let name = state.method().name();
        let title = take_rows(&mut area, 1);
        widgets::draw_lines(
            vec![Line::from(Span::styled(
                tr!("steps.signin.form_title", method = name),
                theme.accent(),
            ))],
            title,
            buf,
        );
        let fields: Vec<(&TextField, String, bool, String)> = match state.method() {
            Method::Token => vec![
                (
                    &state.token,
                    tr!("steps.signin.field.purchase"),
                    true,
                    tr!("steps.signin.field.purchase_hint"),
                ),
                (
                    &state.bss_token,
                    tr!("steps.signin.field.billing"),
                    true,
                    tr!("steps.signin.field.billing_hint"),
                ),
            ],
            _ => vec![
                (
                    &state.user,
                    tr!("steps.signin.field.user"),
                    false,
                    String::new(),
                ),
                (
                    &state.password,
                    tr!("steps.signin.field.password"),
                    true,
                    String::new(),
                ),
                (
                    &state.account,
                    tr!("steps.signin.field.account"),
                    false,
                    tr!("steps.signin.field.account_hint"),
                ),
                (
                    &state.mfa,
                    tr!("steps.signin.field.mfa"),
                    false,
                    tr!("steps.signin.field.mfa_hint"),
                ),
                (
                    &state.mfa_user_id,
                    tr!("steps.signin.field.user_id"),
                    false,
                    tr!("steps.signin.field.user_id_hint"),
                ),
            ],
        };
        for (i, (field, label, masked, placeholder)) in fields.into_iter().enumerate() {
            let row = take_rows(&mut area, 1);
            cursor = cursor.or(widgets::draw_field(
                field,
                &FieldLook {
                    label: &label,
                    label_width: 13,
                    focused: state.focus == i,
                    masked,
                    placeholder: &placeholder,
                },
                theme,
                row,
                buf,
            ));
        }
        take_rows(&mut area, 1);
    }

    let mut status = Vec::new();
    match &app.connection {
        Connection::SigningIn { since, what, .. } => {
            status.push(Line::from(vec![
                Span::styled(format!("{} ", app.spinner(*since)), theme.accent()),
                Span::raw(tr!("steps.signin.signing_in", what = what)),
            ]));
            cursor = None;
        }
        Connection::Failed { error, what } => {
            status.push(Line::from(Span::styled(
                tr!(
                    "steps.signin.failed",
                    what = what,
                    error = failure_text(error)
                ),
                theme.error(),
            )));
        }
        _ => {}
    }
    if let Some(error) = &state.error {
        status.push(Line::from(Span::styled(
            format!("! {error}"),
            theme.error(),
        )));
    }
    if state.pane == Pane::Methods || status.is_empty() {
        status.push(Line::from(Span::styled(
            tr!("steps.signin.nothing_saved"),
            theme.muted(),
        )));
    }
    Paragraph::new(status)
        .wrap(Wrap { trim: true })
        .render(area, buf);
    cursor
}
