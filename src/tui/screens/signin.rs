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
use crate::tui::widgets::{self, FieldLook, ListRow, TextField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Token,
    Password,
    AkSk,
    Sandbox,
}

pub const METHODS: [(Method, &str, &str); 4] = [
    (
        Method::Token,
        "IAM tokens",
        "paste tokens you have: purchase and billing",
    ),
    (
        Method::Password,
        "IAM user password",
        "user name, password, account name, MFA code if enabled",
    ),
    (
        Method::AkSk,
        "AK/SK",
        "HUAWEICLOUD_SDK_AK/SK or ~/.huaweicloud/credentials",
    ),
    (
        Method::Sandbox,
        "Sandbox",
        "try everything locally: no account, no money",
    ),
];

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
        METHODS[self.cursor].0
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
            return vec![Binding::new(&[ESC], "stop waiting", Action::StopWaiting)];
        }
        match app.signin.pane {
            Pane::Methods => vec![
                Binding::new(&[ENTER], "choose", Action::Choose),
                Binding::new(&[UP, DOWN], "move", Action::Move),
                Binding::new(&[Key::Char('k'), Key::Char('j')], "move", Action::Move).help_only(),
                Binding::new(&[Key::Range('1', LAST_METHOD)], "that way", Action::Pick).help_only(),
                Binding::new(&[ESC], "sign in later", Action::Later)
                    .detail("go on with the order; placing it asks again"),
            ],
            Pane::Form => {
                let mut list = vec![
                    Binding::new(&[ENTER], "sign in", Action::SignIn),
                    Binding::new(&[TAB, DOWN], "next field", Action::Next).shown_as("Tab"),
                    Binding::new(&[BACK_TAB, UP], "previous field", Action::Previous).help_only(),
                    Binding::new(&[ESC], "other ways", Action::OtherWays),
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
    let required = |field: &TextField, index: usize, what: &str| {
        if field.value().trim().is_empty() {
            Err((index, format!("give the {what}")))
        } else {
            Ok(())
        }
    };
    match state.method() {
        Method::Token => {
            required(
                &state.token,
                0,
                "purchase token (scoped to the project of the order's region)",
            )?;
            required(
                &state.bss_token,
                1,
                "billing token (scoped to the account's domain), to follow and pay the order",
            )?;
            Ok(SignIn::Tokens {
                purchase: Some(Secret::new(state.token.value().trim())),
                billing: Some(Secret::new(state.bss_token.value().trim())),
            })
        }
        Method::Password => {
            required(&state.user, 0, "IAM user name")?;
            required(&state.password, 1, "password")?;
            required(
                &state.account,
                2,
                "account name (for the main account, usually the user name)",
            )?;
            let mfa = state.mfa.value().trim();
            if !mfa.is_empty() {
                required(
                    &state.mfa_user_id,
                    4,
                    "user ID beside the MFA code (console: My Credentials)",
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
    let mut intro = vec![Line::from(
        "flexus signs in to Huawei Cloud to place orders. How should it sign in?",
    )];
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
        .map(|(i, (_, name, detail))| ListRow {
            line: Line::from(vec![
                Span::raw(format!("  {} ", i + 1)),
                Span::styled(format!("{name:<19}"), theme.title()),
                Span::styled(detail.to_string(), theme.muted()),
            ]),
            selected: i == state.cursor && state.pane == Pane::Methods,
            unavailable: false,
        })
        .collect();
    let list_area = take_rows(&mut area, METHODS.len() as u16 + 1);
    widgets::draw_list(&rows, theme, list_area, buf);

    let mut cursor = None;
    if state.pane == Pane::Form {
        let (name, _) = (METHODS[state.cursor].1, ());
        let title = take_rows(&mut area, 1);
        widgets::draw_lines(
            vec![Line::from(Span::styled(format!("{name}:"), theme.accent()))],
            title,
            buf,
        );
        let fields: Vec<(&TextField, &str, bool, &str)> = match state.method() {
            Method::Token => vec![
                (
                    &state.token,
                    "Purchase",
                    true,
                    "token of the region's project",
                ),
                (
                    &state.bss_token,
                    "Billing",
                    true,
                    "token of the account (domain)",
                ),
            ],
            _ => vec![
                (&state.user, "User", false, ""),
                (&state.password, "Password", true, ""),
                (
                    &state.account,
                    "Account",
                    false,
                    "the account (domain) name",
                ),
                (
                    &state.mfa,
                    "MFA code",
                    false,
                    "only if login protection is on",
                ),
                (
                    &state.mfa_user_id,
                    "User ID",
                    false,
                    "with an MFA code: see My Credentials",
                ),
            ],
        };
        for (i, (field, label, masked, placeholder)) in fields.into_iter().enumerate() {
            let row = take_rows(&mut area, 1);
            cursor = cursor.or(widgets::draw_field(
                field,
                &FieldLook {
                    label,
                    label_width: 13,
                    focused: state.focus == i,
                    masked,
                    placeholder,
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
                Span::raw(format!("Signing in with {what}...")),
            ]));
            cursor = None;
        }
        Connection::Failed { error, what } => {
            status.push(Line::from(Span::styled(
                format!("Signing in with {what} failed: {}", failure_text(error)),
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
            "Nothing typed here is saved or shown; secrets are forgotten once signed in.",
            theme.muted(),
        )));
    }
    Paragraph::new(status)
        .wrap(Wrap { trim: true })
        .render(area, buf);
    cursor
}
