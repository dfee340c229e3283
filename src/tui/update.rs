//! `update`: a message in, the new state and the effects to run out.
//! Synchronous, never awaits, never reads a clock (the runtime sets
//! `app.clock` before each call).

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::app::{App, Connection, Overlay, Page, Step, Tone};
use super::msg::{Effect, Msg, SaveError};
use super::screens::{self, dialogs, review};
use super::service::{SignIn, Start};
use super::submission::{Payment, Submission, Timeline};
use super::text::clean;
use super::view;
use crate::api::engine::SubmitOutcome;
use crate::api::failure::needs_sign_in;

/// The effects to run when the wizard opens.
pub fn start(app: &mut App, start: &Start) -> Vec<Effect> {
    match start {
        Start::Connected(service) => {
            app.connection = Connection::Ready {
                label: service.describe(),
                brief: service.brief(),
                service: service.clone(),
            };
            Vec::new()
        }
        Start::SignInFirst(_) => {
            app.resume = app.page;
            app.signin.reason = Some(
                "No credentials were found in the environment or in the SDK credentials file."
                    .to_string(),
            );
            app.go_to(Page::SignIn);
            Vec::new()
        }
        Start::Connect { choice, .. } => start_connecting(app, choice.clone()),
    }
}

pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    // While the terminal is too small, only its notice is on screen: no key
    // may act on what cannot be seen (Enter then `y` at the review would
    // place an order blind). Ctrl-C still asks to quit.
    if view::is_too_small(app.size) {
        match &msg {
            Msg::Key(key) if is_ctrl_c(key) => {}
            Msg::Key(_) | Msg::Mouse(_) | Msg::Paste(_) => return Vec::new(),
            _ => {}
        }
    }
    match msg {
        Msg::Key(key) => on_key(app, &key),
        Msg::Mouse(mouse) => {
            let code = match mouse.kind {
                MouseEventKind::ScrollUp => KeyCode::Up,
                MouseEventKind::ScrollDown => KeyCode::Down,
                _ => return Vec::new(),
            };
            if app.overlay.is_some() {
                return Vec::new();
            }
            screens::handle_key(app, &KeyEvent::new(code, KeyModifiers::NONE))
        }
        Msg::Paste(text) => {
            if app.overlay.is_some() {
                dialogs::paste(app, &text);
            } else {
                screens::paste(app, &text);
            }
            Vec::new()
        }
        Msg::Resize(width, height) => {
            app.size = (width, height);
            Vec::new()
        }
        Msg::Tick => Vec::new(),
        Msg::Signal(name) => {
            app.stopped_by = Some(name);
            app.quit = true;
            vec![Effect::Quit]
        }
        Msg::Connected { attempt, result } => {
            if attempt != app.connect_attempts {
                return Vec::new();
            }
            let what = match &app.connection {
                Connection::SigningIn { what, .. } => what.clone(),
                _ => return Vec::new(),
            };
            match result {
                Ok(service) => {
                    app.connection = Connection::Ready {
                        label: service.describe(),
                        brief: service.brief(),
                        service,
                    };
                    app.signin.wipe_secrets();
                    app.signin.error = None;
                    if app.page == Page::SignIn {
                        app.go_to(app.resume);
                    }
                }
                Err(error) => app.connection = Connection::Failed { error, what },
            }
            Vec::new()
        }
        Msg::Submitted {
            request_id,
            outcome,
        } => {
            // Credentials the service turned down (or that expired) will
            // not do better next time: back to sign-in, every choice kept;
            // placing the order again follows from there.
            let sign_in_again = match &outcome {
                SubmitOutcome::Rejected(error)
                    if needs_sign_in(error)
                        && matches!(app.connection, Connection::Ready { .. }) =>
                {
                    Some(error.clone())
                }
                _ => None,
            };
            let effects =
                app.submission
                    .on_submitted(&mut app.timeline, &app.clock, &request_id, outcome);
            if let Some(error) = sign_in_again {
                app.connection = Connection::Failed {
                    error,
                    what: "the credentials in use".to_string(),
                };
                app.signin.reason = Some("Sign in again; the order is kept as it was.".to_string());
                app.resume = Page::Step(Step::Review);
                app.go_to(Page::SignIn);
            }
            effects
        }
        Msg::Tracked { order_id, event } => {
            app.submission
                .on_tracked(&mut app.timeline, &app.clock, &order_id, event);
            Vec::new()
        }
        Msg::TrackingEnded { order_id } => {
            app.submission
                .on_tracking_ended(&mut app.timeline, &app.clock, &order_id);
            Vec::new()
        }
        Msg::Paid { order_id, result } => {
            app.submission
                .on_paid(&mut app.timeline, &app.clock, &order_id, result);
            Vec::new()
        }
        Msg::Claimed { order_id, result } => {
            if let Err(failure) = result {
                app.timeline.push(
                    &app.clock,
                    Tone::Error,
                    format!(
                        "the journal could not record order {order_id} as this purchase: {}",
                        clean(&failure.to_string())
                    ),
                );
            }
            Vec::new()
        }
        Msg::PlanSaved { path, result } => {
            let shown = path.display().to_string();
            match result {
                Ok(()) => {
                    review::tell(
                        app,
                        Tone::Good,
                        format!(
                            "Plan saved to {shown}. `flexus order --plan {}` places it without the wizard.",
                            review::shell_word(&path)
                        ),
                    );
                    app.review.plan_file = Some(path);
                    app.review.file_draft = app.review.saving.take();
                    app.review.saved_here = true;
                }
                Err(SaveError::Exists) => app.overlay = Some(Overlay::ConfirmOverwrite { path }),
                Err(SaveError::Other(why)) => review::tell(
                    app,
                    Tone::Error,
                    format!("Could not save the plan to {shown}: {why}"),
                ),
            }
            Vec::new()
        }
    }
}

fn on_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if is_ctrl_c(key) {
        if matches!(app.overlay, Some(Overlay::ConfirmQuit)) {
            return Vec::new();
        }
        return ask_to_quit(app);
    }
    if let Some(overlay) = &app.overlay {
        if matches!(overlay, Overlay::Help) {
            app.overlay = None;
            return Vec::new();
        }
        return dialogs::handle_key(app, key);
    }
    let help_key = key.code == KeyCode::F(1)
        || (key.code == KeyCode::Char('?') && !screens::captures_text(app));
    if help_key {
        app.overlay = Some(Overlay::Help);
        return Vec::new();
    }
    screens::handle_key(app, key)
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

pub fn ask_to_quit(app: &mut App) -> Vec<Effect> {
    if app.order_in_flight() {
        app.overlay = Some(Overlay::ConfirmQuit);
        Vec::new()
    } else {
        app.quit = true;
        vec![Effect::Quit]
    }
}

pub fn start_connecting(app: &mut App, choice: SignIn) -> Vec<Effect> {
    app.connect_attempts += 1;
    app.connection = Connection::SigningIn {
        attempt: app.connect_attempts,
        since: app.clock.mono,
        what: choice.describe(),
    };
    vec![Effect::Connect {
        attempt: app.connect_attempts,
        choice,
    }]
}

/// Enter on the review: check, then ask.
pub fn ask_to_submit(app: &mut App) -> Vec<Effect> {
    if let Err(problems) = app.draft.request_body(&app.catalog) {
        let first = Step::of_field(&problems[0].field);
        review::tell(
            app,
            Tone::Error,
            format!(
                "The order has {} problem{} (listed below); press {} to fix the first.",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                first.number()
            ),
        );
        return Vec::new();
    }
    if app.submission.in_flight() {
        review::tell(app, Tone::Error, "An order is already in flight.");
        return Vec::new();
    }
    match &app.connection {
        Connection::Ready { .. } => app.overlay = Some(Overlay::ConfirmSubmit),
        Connection::SigningIn { what, .. } => {
            let text = format!("Still signing in with {what}; press Enter again in a moment.");
            review::tell(app, Tone::Warning, text);
        }
        Connection::Failed { .. } | Connection::NotSignedIn => {
            app.resume = app.page;
            app.go_to(Page::SignIn);
        }
    }
    Vec::new()
}

/// The user said yes: a fresh Client-Request-Id, and the order goes out.
pub fn submit(app: &mut App) -> Vec<Effect> {
    let Ok(body) = app.draft.request_body(&app.catalog) else {
        return Vec::new();
    };
    let Connection::Ready { label, .. } = &app.connection else {
        return Vec::new();
    };
    let label = label.clone();
    let request_id = uuid::Uuid::new_v4().to_string();
    app.timeline = Timeline::default();
    app.status = Default::default();
    let effects = app.submission.start(
        &mut app.timeline,
        &app.clock,
        request_id,
        body,
        &label,
        false,
    );
    app.go_to(Page::Status);
    effects
}

/// After a lost answer, on the user's explicit word: the same body with the
/// same Client-Request-Id.
pub fn resend(app: &mut App) -> Vec<Effect> {
    let Submission::Unknown(unknown) = &app.submission else {
        return Vec::new();
    };
    let (request_id, body) = (unknown.request_id.clone(), unknown.body.clone());
    app.submission
        .start(&mut app.timeline, &app.clock, request_id, body, "", true)
}

pub fn pay(app: &mut App, order_id: String) -> Vec<Effect> {
    let Submission::Placed(tracking) = &mut app.submission else {
        return Vec::new();
    };
    if tracking.order_id != order_id || !tracking.can_pay() {
        return Vec::new();
    }
    tracking.payment = Payment::Paying {
        since: app.clock.mono,
    };
    app.timeline
        .push(&app.clock, Tone::Info, "paying from the account balance");
    vec![Effect::Pay { order_id }]
}

pub fn save_plan(app: &mut App, path: PathBuf, overwrite: bool) -> Vec<Effect> {
    match app.draft.request_body(&app.catalog) {
        Ok(body) => {
            app.review.saving = Some(app.draft.clone());
            vec![Effect::SavePlan {
                path,
                contents: format!("{}\n", body.to_pretty_json()),
                overwrite,
            }]
        }
        Err(_) => {
            review::tell(
                app,
                Tone::Error,
                "The plan has problems (listed below); fix them before saving.",
            );
            Vec::new()
        }
    }
}
