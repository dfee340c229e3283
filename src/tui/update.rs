//! `update`: a message in, the new state and the effects to run out.
//! Synchronous, never awaits, never reads a clock (the runtime sets
//! `app.clock` before each call).

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::app::{App, ChoicesFrom, Connection, Overlay, Page, Step, Tone};
use super::kept::KeptDraft;
use super::msg::{Effect, Msg, SaveError};
use super::screens::dialogs::{self, Confirmed};
use super::screens::{self, Command, Global, Reply, keys, orders, purchases, review, status};
use super::service::{AtStart, Earlier, SignIn, Start};
use super::submission::{Origin, Submission, failure_text};
use super::view;
use crate::api::engine::{ApiFailure, SubmitOutcome};
use crate::api::failure::needs_sign_in;
use crate::api::journal::PurchaseRecord;
use crate::domain::order::Draft;
use crate::domain::when;

/// The effects to run when the wizard opens.
pub fn start(app: &mut App, start: &Start) -> Vec<Effect> {
    match start {
        Start::Connected(service) => {
            app.connection = Connection::Ready {
                label: service.describe(),
                brief: service.brief(),
                service: service.clone(),
            };
            on_ready(app)
        }
        Start::SignInFirst(_) => {
            app.resume = app.page;
            app.signin.reason = Some(tr!("live.sign_in.no_credentials"));
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
            let reply = screens::handle_key(app, &KeyEvent::new(code, KeyModifiers::NONE));
            on_reply(app, reply)
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
            leave(app)
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
                    let mut effects = on_ready(app);
                    effects.extend(orders::on_signed_in(app));
                    effects
                }
                Err(error) => {
                    app.connection = Connection::Failed { error, what };
                    // Credentials found in the environment that do not work
                    // are said on the sign-in screen at once, not after the
                    // seventh step; every choice is kept.
                    if let Page::Step(_) = app.page
                        && app.overlay.is_none()
                        && !app.submission.in_flight()
                    {
                        app.resume = app.page;
                        app.signin.reason = Some(tr!("live.sign_in.another_way"));
                        app.go_to(Page::SignIn);
                    }
                    Vec::new()
                }
            }
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
            let effects = app.submission.on_submitted(
                &mut app.timeline,
                &app.clock,
                &app.zone,
                &request_id,
                outcome,
            );
            if let Some(error) = sign_in_again {
                app.connection = Connection::Failed {
                    error,
                    what: tr!("live.sign_in.credentials_in_use"),
                };
                app.signin.reason = Some(tr!("live.sign_in.again"));
                app.resume = Page::Step(Step::Review);
                app.go_to(Page::SignIn);
            }
            effects
        }
        Msg::Waiting { request_id, wait } => {
            app.submission
                .on_waiting(&mut app.timeline, &app.clock, &request_id, wait);
            Vec::new()
        }
        Msg::Tracked { order_id, event } => {
            app.submission
                .on_tracked(&mut app.timeline, &app.clock, &app.zone, &order_id, event);
            Vec::new()
        }
        Msg::TrackingEnded { order_id } => {
            app.submission
                .on_tracking_ended(&mut app.timeline, &app.clock, &order_id);
            Vec::new()
        }
        Msg::Acted { action, result } => {
            let was_placed = matches!(app.submission, Submission::Placed(_));
            let effects = app
                .submission
                .on_acted(&mut app.timeline, &app.clock, &action, result);
            if !was_placed && matches!(app.submission, Submission::Placed(_)) {
                status::follow_newest(app);
            }
            effects
        }
        Msg::EarlierChecked { check, result } => on_earlier(app, check, result),
        Msg::AtStart(result) => on_at_start(app, result),
        Msg::LookedAgain { request_id, lookup } => {
            app.submission.on_looked_again(
                &mut app.timeline,
                &app.clock,
                &app.zone,
                &request_id,
                lookup,
            );
            Vec::new()
        }
        Msg::JournalRead { generation, result } => {
            orders::on_journal(app, generation, result);
            Vec::new()
        }
        Msg::OrdersListed {
            generation,
            offset,
            result,
        } => {
            orders::on_listed(app, generation, offset, result);
            Vec::new()
        }
        Msg::PlanSaved { path, result } => {
            let shown = path.display().to_string();
            match result {
                Ok(()) => {
                    review::tell(
                        app,
                        Tone::Good,
                        tr!(
                            "live.plan.saved",
                            path = shown,
                            word = review::shell_word(&path)
                        ),
                    );
                    app.review.failed_path = None;
                    app.review.plan_file = Some(path);
                    app.review.file_draft = app.review.saving.take();
                    app.review.saved_here = true;
                }
                Err(SaveError::Exists) => {
                    app.overlay = Some(Overlay::Confirm(review::overwrite_question(app, path)))
                }
                Err(SaveError::Other(why)) => {
                    review::tell(
                        app,
                        Tone::Error,
                        tr!("live.plan.save_failed", path = shown, why = why),
                    );
                    app.review.failed_path = Some(path);
                }
            }
            Vec::new()
        }
    }
}

fn on_key(app: &mut App, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Whether printable keys are text matters to `?` and `o` alone; no
    // other key pays for finding out.
    let typing = matches!(keys::typed_char(key), Some('?' | 'o')) && screens::captures_text(app);
    match keys::find(&screens::global_bindings(app, typing), key) {
        Some(Global::Quit) => return ask_to_quit(app, true),
        Some(Global::Orders) => {
            app.overlay = None;
            return orders::open(app);
        }
        Some(Global::Help) => {
            app.overlay = match app.overlay.take() {
                Some(Overlay::Help(under)) => under.map(|o| *o),
                under => Some(Overlay::Help(under.map(Box::new))),
            };
            return Vec::new();
        }
        None => {}
    }
    if app.overlay.is_some() {
        return match dialogs::handle_key(app, key) {
            Some(confirmed) => on_confirmed(app, confirmed),
            None => Vec::new(),
        };
    }
    let reply = screens::handle_key(app, key);
    on_reply(app, reply)
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

fn on_reply(app: &mut App, reply: Reply) -> Vec<Effect> {
    match reply {
        Reply::Done => Vec::new(),
        Reply::Run(effects) => effects,
        Reply::Do(command) => match command {
            Command::Quit => ask_to_quit(app, false),
            Command::PlaceOrder => ask_to_submit(app),
            Command::SignIn(choice) => start_connecting(app, choice),
            Command::Reopen(record) => reopen(app, *record),
            Command::Follow(order_id) => follow(app, order_id),
            Command::NewOrder => {
                app.go_to(Page::Step(Step::Region));
                if let Some(last) = app.last_order.take() {
                    start_from_last(app, &last);
                }
                Vec::new()
            }
        },
    }
}

/// The one place a yes is acted on, whichever question asked it.
pub fn on_confirmed(app: &mut App, confirmed: Confirmed) -> Vec<Effect> {
    match confirmed {
        Confirmed::Submit { second: false } if review::needs_second_confirmation(app) => {
            app.overlay = Some(Overlay::Confirm(review::order_again_question(app)));
            Vec::new()
        }
        Confirmed::Submit { .. } => submit(app),
        Confirmed::SubmitSeparate => submit_separate(app),
        Confirmed::Resend => app.submission.resend(&mut app.timeline, &app.clock),
        Confirmed::Act(action) => app.submission.act(&mut app.timeline, &app.clock, action),
        Confirmed::Quit => leave(app),
        Confirmed::ContinueKept => match app.kept.take() {
            Some(kept) => {
                app.last_order = None;
                continue_kept(app, kept);
                Vec::new()
            }
            None => Vec::new(),
        },
        Confirmed::StartAfresh => {
            app.kept = None;
            app.kept_on_disk = false;
            if let Some(last) = app.last_order.take() {
                start_from_last(app, &last);
            }
            vec![Effect::ForgetDraft]
        }
        Confirmed::SavePlan(path) => save_plan(app, path, false),
        Confirmed::OverwritePlan(path) => save_plan(app, path, true),
    }
}

/// Ctrl-C (`interrupted`) or `q`: quits, or asks first while an order is
/// in flight or choices would be kept. Asked already, a second Ctrl-C
/// quits at once when only choices are at stake (they are kept), as a
/// terminal's user expects; while an order is in flight the question stays,
/// since a reflex must not leave a purchase mid-air unwatched.
fn ask_to_quit(app: &mut App, interrupted: bool) -> Vec<Effect> {
    if matches!(&app.overlay, Some(Overlay::Confirm(c)) if c.confirmed == Confirmed::Quit) {
        if app.order_in_flight() {
            return Vec::new();
        }
        app.interrupted = interrupted;
        app.overlay = None;
        return leave(app);
    }
    app.interrupted = interrupted;
    if app.order_in_flight() || app.has_unsent_choices() {
        app.overlay = Some(Overlay::Confirm(dialogs::quit_question(app)));
        Vec::new()
    } else {
        leave(app)
    }
}

/// Out of the wizard, keeping the choices no order holds yet for the next
/// start. Ended by Ctrl-C, the exit says so as SIGINT would (130).
fn leave(app: &mut App) -> Vec<Effect> {
    app.quit = true;
    if app.interrupted {
        app.stopped_by.get_or_insert("SIGINT");
    }
    let mut effects = Vec::new();
    if app.has_unsent_choices() {
        effects.push(Effect::KeepDraft {
            contents: app.to_keep().to_json(),
        });
    }
    effects.push(Effect::Quit);
    effects
}

/// The kept order taken up: at the step it was left, or at the first whose
/// choice the catalog no longer offers.
fn continue_kept(app: &mut App, kept: KeptDraft) {
    let (dropped_at, dropped) = app.take_up(kept.draft, ChoicesFrom::Kept);
    let step = dropped_at.map_or(kept.step, |at| at.min(kept.step));
    for &before in Step::FORM.iter().filter(|&&s| s < step) {
        app.accepted[before as usize] = true;
    }
    if app.page == Page::SignIn {
        app.resume = Page::Step(step);
    } else {
        app.go_to(Page::Step(step));
    }
    app.notices.extend(dropped);
}

/// A new order starting from the last one's choices, said on the first
/// step with the day it was sent.
fn start_from_last(app: &mut App, last: &PurchaseRecord) {
    let (_, dropped) = app.take_up(Draft::from_request_body(&last.body), ChoicesFrom::Last);
    app.notice(
        Tone::Info,
        tr!(
            "live.start_from_last",
            at = when::dated_stamp(&last.last_sent_at, &app.zone)
        ),
    );
    app.notices.extend(dropped);
}

fn start_connecting(app: &mut App, choice: SignIn) -> Vec<Effect> {
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
fn ask_to_submit(app: &mut App) -> Vec<Effect> {
    if let Err(problems) = app.draft.request_body(&app.catalog) {
        let first = Step::of_field(&problems[0].field);
        let text = if problems.len() == 1 {
            tr!("live.order_problems.one", step = first.number())
        } else {
            tr!(
                "live.order_problems.other",
                count = problems.len(),
                step = first.number()
            )
        };
        review::tell(app, Tone::Error, text);
        return Vec::new();
    }
    if app.submission.in_flight() {
        review::tell(app, Tone::Error, tr!("live.already_in_flight"));
        return Vec::new();
    }
    if let Some(refusal) = review::spending_refusal(app) {
        review::tell(app, Tone::Error, refusal);
        return Vec::new();
    }
    match &app.connection {
        Connection::Ready { .. } => {
            if app.review.checking.is_some() {
                return Vec::new();
            }
            let Ok(body) = app.draft.request_body(&app.catalog) else {
                return Vec::new();
            };
            // Nothing is asked, let alone sent, before the journal has
            // been asked whether this same order may already be placed.
            app.checks += 1;
            app.review.checking = Some(review::Checking {
                check: app.checks,
                body: body.clone(),
            });
            review::tell(app, Tone::Info, tr!("live.looking_for_earlier"));
            return vec![Effect::CheckEarlier {
                check: app.checks,
                body,
            }];
        }
        Connection::SigningIn { what, .. } => {
            let text = tr!("live.still_signing_in", what = what);
            review::tell(app, Tone::Warning, text);
        }
        Connection::Failed { .. } | Connection::NotSignedIn => {
            app.resume = app.page;
            app.go_to(Page::SignIn);
        }
    }
    Vec::new()
}

/// What the journal said before a new purchase: a same-body purchase of
/// unknown outcome stops it (the status pane shows that one and the ways
/// on); otherwise the usual confirmation.
fn on_earlier(app: &mut App, check: u64, result: Result<Earlier, ApiFailure>) -> Vec<Effect> {
    let Some(checking) = &app.review.checking else {
        return Vec::new();
    };
    if checking.check != check {
        return Vec::new();
    }
    let asked_for = checking.body.clone();
    app.review.checking = None;
    // The user moved on, or changed the order meanwhile: this answer is
    // about something no longer asked; Enter asks again.
    let still = app.page == Page::Step(Step::Review)
        && app.overlay.is_none()
        && !app.submission.in_flight()
        && app.draft.request_body(&app.catalog).ok().as_ref() == Some(&asked_for);
    if !still {
        if app.page == Page::Step(Step::Review) {
            app.notices.clear();
        }
        return Vec::new();
    }
    let earlier = match result {
        Ok(earlier) => earlier,
        Err(failure) => {
            review::tell(
                app,
                Tone::Error,
                tr!("live.earlier_check_failed", why = failure_text(&failure)),
            );
            return Vec::new();
        }
    };
    if let Some(failure) = &earlier.credentials {
        app.signin.reason = Some(tr!(
            "live.sign_in.nothing_sent",
            why = failure_text(failure)
        ));
        app.resume = Page::Step(Step::Review);
        app.go_to(Page::SignIn);
        return Vec::new();
    }
    app.review.unresolved = earlier.other.clone();
    app.review.damaged = earlier.damaged.clone();
    app.notices.clear();
    if earlier.same.is_empty() {
        // A damaged record may be this very order: only a typed answer
        // sends it, as with a readable double.
        let question = if earlier.damaged.is_empty() {
            review::order_question(app)
        } else {
            review::separate_question(app)
        };
        app.overlay = Some(Overlay::Confirm(question));
        return Vec::new();
    }
    let request_id = match earlier.same[0].request_id() {
        Ok(id) => id,
        Err(why) => {
            app.notice(Tone::Error, tr!("live.same_unreadable", why = why));
            return Vec::new();
        }
    };
    app.submission.stop_as_double(
        &mut app.timeline,
        &app.clock,
        &app.zone,
        request_id,
        earlier,
    );
    status::show(app);
    Vec::new()
}

/// Asked once, when signing in is done: the journal's unfinished
/// purchases, to reopen.
fn on_ready(app: &mut App) -> Vec<Effect> {
    if std::mem::take(&mut app.reattach) {
        vec![Effect::ReadJournalAtStart]
    } else {
        Vec::new()
    }
}

/// The journal at the start: an unfinished purchase is reopened; otherwise
/// a new order starts from the last one's choices, unless the user has
/// begun choosing meanwhile, or is asked whether to continue a kept order
/// (starting afresh then starts from them).
fn on_at_start(app: &mut App, result: Result<AtStart, ApiFailure>) -> Vec<Effect> {
    let found = match result {
        Ok(found) => found,
        Err(failure) => {
            app.notice(
                Tone::Warning,
                tr!("live.at_start_failed", why = failure_text(&failure)),
            );
            return Vec::new();
        }
    };
    // Something of this session's is already under way, or the user has
    // begun a new order while signing in finished in the background: their
    // choices are not thrown away.
    let untouched = matches!(app.page, Page::SignIn | Page::Step(Step::Region))
        && app.draft == Draft::default()
        && !app.accepted.iter().any(|done| *done);
    let effects = on_unfinished(app, found.unfinished, untouched);
    if let Some(last) = found.last_order {
        // Offered a kept order or the unfinished purchases first: a new
        // order chosen after them still starts from the last one's choices.
        if app.kept.is_some() || app.page == Page::Purchases {
            app.last_order = Some(last);
        } else if untouched
            && matches!(app.submission, Submission::Draft)
            && matches!(app.page, Page::SignIn | Page::Step(Step::Region))
        {
            start_from_last(app, &last);
        }
    }
    effects
}

fn on_unfinished(app: &mut App, records: Vec<PurchaseRecord>, untouched: bool) -> Vec<Effect> {
    if records.is_empty() {
        return Vec::new();
    }
    // The purchases are named only, when reopening one would throw away
    // something on screen.
    if !matches!(app.submission, Submission::Draft) || app.overlay.is_some() || !untouched {
        app.notice(
            Tone::Warning,
            if records.len() == 1 {
                tr!("live.unfinished.one")
            } else {
                tr!("live.unfinished.other", count = records.len())
            },
        );
        return Vec::new();
    }
    if records.len() == 1 {
        let record = records.into_iter().next().expect("one");
        return reopen(app, record);
    }
    app.purchases = purchases::State { records, cursor: 0 };
    app.go_to(Page::Purchases);
    Vec::new()
}

/// Opens a journaled purchase on the status pane and follows it: a placed
/// order is tracked, one of unknown outcome is looked up again.
fn reopen(app: &mut App, record: PurchaseRecord) -> Vec<Effect> {
    if record.order_id.is_some() && showing_order(app, record.order_id.as_deref()) {
        app.go_to(Page::Status);
        return Vec::new();
    }
    let Some(mut effects) = leave_for_another(app) else {
        return Vec::new();
    };
    // Going on to a new order afterwards starts from the same choices, as
    // after an order placed here.
    app.fill_draft(Draft::from_request_body(&record.body));
    status::show(app);
    effects.extend(
        app.submission
            .reopen(&mut app.timeline, &app.clock, &app.zone, record),
    );
    effects
}

/// Opens an order known by its ID alone (listed by BSS, sent from
/// elsewhere) on the status pane and follows it, as `flexus status` does.
fn follow(app: &mut App, order_id: String) -> Vec<Effect> {
    if showing_order(app, Some(&order_id)) {
        app.go_to(Page::Status);
        return Vec::new();
    }
    let Some(mut effects) = leave_for_another(app) else {
        return Vec::new();
    };
    status::show(app);
    effects.extend(
        app.submission
            .follow(&mut app.timeline, &app.clock, order_id),
    );
    effects
}

/// Whether the status pane already follows this order.
fn showing_order(app: &App, order_id: Option<&str>) -> bool {
    matches!(&app.submission, Submission::Placed(t) if Some(t.order_id.as_str()) == order_id)
}

/// Before another order takes the status pane: the one there is left (the
/// journal keeps it) where the status pane would let it go; otherwise it
/// stays, and the user is told why (None).
fn leave_for_another(app: &mut App) -> Option<Vec<Effect>> {
    let may_leave = match &app.submission {
        Submission::Draft | Submission::Failed { .. } => true,
        Submission::Submitting(_) => false,
        Submission::Unknown(unknown) => unknown.origin == Origin::Reopened,
        Submission::Placed(tracking) => tracking.can_leave(),
    };
    if !may_leave {
        app.notice(Tone::Warning, tr!("live.still_under_way"));
        return None;
    }
    Some(app.submission.leave(&mut app.timeline))
}

/// The user said yes: a fresh Client-Request-Id, and the order goes out.
fn submit(app: &mut App) -> Vec<Effect> {
    submit_new(app, Vec::new())
}

/// After a same-body purchase of unknown outcome stopped the order, the
/// user typed that this is a separate purchase: it goes out as a new one,
/// naming the earlier ones it is separate from.
fn submit_separate(app: &mut App) -> Vec<Effect> {
    let separate_from = review::separate_from(app);
    if separate_from.is_empty() {
        return Vec::new();
    }
    submit_new(app, separate_from)
}

fn submit_new(app: &mut App, separate_from: Vec<String>) -> Vec<Effect> {
    let Ok(body) = app.draft.request_body(&app.catalog) else {
        return Vec::new();
    };
    let Connection::Ready { label, .. } = &app.connection else {
        return Vec::new();
    };
    let mut effects = app.submission.send_new(
        &mut app.timeline,
        &app.clock,
        body,
        &label.clone(),
        separate_from,
    );
    status::show(app);
    // The kept order is in this one now (or was given up for it).
    if std::mem::take(&mut app.kept_on_disk) {
        effects.push(Effect::ForgetDraft);
    }
    effects
}

fn save_plan(app: &mut App, path: PathBuf, overwrite: bool) -> Vec<Effect> {
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
            review::tell(app, Tone::Error, tr!("live.plan.has_problems"));
            Vec::new()
        }
    }
}
