//! The loop: one `select!` over terminal input, task results, signals, a
//! timer set for the next moment the screen changes on its own (none while
//! nothing on screen moves), and a draw that happens only when something
//! changed. Effects run on tokio tasks and
//! answer through a bounded channel; nothing here blocks the UI.

use std::future::{Future, pending};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind, MouseEventKind};
use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::app::{App, Clock, Connection, Overlay, Page, ProfileInUse, SPINNER_STEP, Tone};
use super::kept;
use super::msg::{Effect, Msg, SaveError};
use super::screens::dialogs;
use super::service::{Connector, Lookup, Start};
use super::submission::Submission;
use super::terminal::Screen;
use super::theme::Theme;
use super::{update, view};
use crate::api::engine::{ApiFailure, SubmitOutcome};
use crate::api::tracking::CheckNow;
use crate::domain::catalog::Catalog;
use crate::domain::order::{Draft, Problem};
use crate::domain::pricing::PriceTable;

/// A plan to open at the review.
pub struct PlanStart {
    pub path: PathBuf,
    pub draft: Draft,
    /// Problems found while reading it (rule problems are found by the wizard).
    pub problems: Vec<Problem>,
}

pub struct Options {
    pub catalog: Catalog,
    pub prices: PriceTable,
    pub theme: Theme,
    pub plan: Option<PlanStart>,
    /// Mouse reports (the wheel scrolls lists); text selection then needs
    /// Shift in most terminals, so it is off unless asked for.
    pub mouse: bool,
    /// Leave right after the first frame is drawn (to measure start-up).
    pub first_frame_exit: bool,
    /// Once signed in, reopen the journal's unfinished purchases and start
    /// a new order from the last one's choices (no `--plan`). The journal
    /// is read by a task after the first frame, so a long journal never
    /// delays the start.
    pub reattach: bool,
    /// Where a half-made order is kept over a quit (`None`: not kept), and
    /// what that file held at the start (read before the terminal is taken
    /// over, like the plan).
    pub kept_file: Option<PathBuf>,
    pub kept_found: kept::Found,
    /// The config profile this run uses, if any.
    pub profile: Option<ProfileInUse>,
}

/// How the wizard ended, for `main` to report once the terminal is back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub message: Option<String>,
    /// The signal that ended the wizard (SIGTERM, SIGHUP, SIGINT; SIGINT
    /// also for the Ctrl-C key).
    pub signal: Option<&'static str>,
}

/// Builds the starting state: everything that can fail before the terminal
/// is taken over.
pub fn prepare(options: &mut Options, start: &Start) -> (App, Vec<Effect>) {
    let catalog = Arc::new(options.catalog.clone());
    let prices = Arc::new(options.prices.clone());
    let mut app = App::new(catalog, prices, options.theme, Clock::now());
    app.zone = jiff::tz::TimeZone::system();
    app.reattach = options.reattach;
    // The profile's region is where the list starts; a plan's region,
    // loaded next, still wins.
    if let Some(i) = options
        .profile
        .as_ref()
        .and_then(|p| p.region.as_ref())
        .and_then(|code| app.catalog.regions.iter().position(|r| &r.code == code))
    {
        app.region.picker.cursor = i;
    }
    app.profile = options.profile.clone();
    if let Some(plan) = options.plan.take() {
        app.load_plan(plan.path, plan.draft, plan.problems);
    }
    match std::mem::replace(&mut options.kept_found, kept::Found::Nothing) {
        kept::Found::Nothing => {}
        kept::Found::Draft(kept) => {
            app.kept_on_disk = true;
            app.overlay = Some(Overlay::Confirm(dialogs::continue_question(&app, &kept)));
            app.kept = Some(kept);
        }
        kept::Found::Unreadable(why) => {
            let text = match &options.kept_file {
                Some(path) => tr!("live.kept.unreadable_in", path = path.display(), why = why),
                None => tr!("live.kept.unreadable", why = why),
            };
            app.notice(Tone::Warning, text);
        }
    }
    let effects = update::start(&mut app, start);
    (app, effects)
}

pub async fn run(mut options: Options, start: Start) -> io::Result<Exit> {
    let (mut app, effects) = prepare(&mut options, &start);
    let connector = match &start {
        Start::Connected(_) => None,
        Start::SignInFirst(connector) | Start::Connect { connector, .. } => Some(connector.clone()),
    };
    let mut signals = Signals::new()?;
    let mut screen = Screen::enter(options.mouse)?;
    app.size = Screen::size()?;
    screen.draw(|area, buf| view::draw(&app, area, buf))?;
    if options.first_frame_exit {
        return Ok(Exit {
            message: None,
            signal: None,
        });
    }

    let (tx, mut rx) = mpsc::channel::<Msg>(64);
    let mut runner = Runner {
        tx,
        connector,
        trackers: Default::default(),
    };
    for effect in effects {
        runner.run(effect, &app);
    }
    let mut events = EventStream::new();
    let mut kept_report: Option<Option<String>> = None;
    let mut dirty = false;
    let mut undrawn = 0u32;
    while !app.quit {
        let wake = next_change(&app, Instant::now());
        // Draw once nothing else is waiting, so a burst of input makes one
        // frame; a long burst still draws now and then.
        let draw_now = dirty && undrawn >= 64;
        let msg = tokio::select! {
            biased;
            _ = std::future::ready(()), if draw_now => None,
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => Some(msg),
                    None => continue,
                },
                Some(Err(e)) => return Err(e),
                None => break,
            },
            Some(msg) = rx.recv() => Some(msg),
            name = signals.recv() => Some(Msg::Signal(name)),
            _ = wake_at(wake) => Some(Msg::Tick),
            _ = std::future::ready(()), if dirty => None,
        };
        let Some(msg) = msg else {
            screen.draw(|area, buf| view::draw(&app, area, buf))?;
            dirty = false;
            undrawn = 0;
            continue;
        };
        let is_tick = matches!(msg, Msg::Tick);
        let before = moving_parts(&app);
        app.clock = Clock::now();
        let effects = update::update(&mut app, msg);
        if !is_tick || moving_parts(&app) != before {
            dirty = true;
            undrawn += 1;
        }
        for effect in effects {
            match effect {
                Effect::Quit => app.quit = true,
                // Written before the loop ends: the process may be gone
                // before a task would run.
                Effect::KeepDraft { contents } => {
                    kept_report = Some(keep_draft(options.kept_file.clone(), contents).await);
                }
                // Here too, so a removal never lands after a later write.
                Effect::ForgetDraft => {
                    if let Some(path) = options.kept_file.clone() {
                        // A file that stays is offered again at the next
                        // start, which is no harm.
                        let _ = tokio::task::spawn_blocking(move || kept::remove(&path)).await;
                    }
                }
                effect => runner.run(effect, &app),
            }
        }
    }
    drop(screen);
    let message = [app.exit_report(), kept_report.flatten()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    Ok(Exit {
        message: (!message.is_empty()).then(|| message.join("\n")),
        signal: app.stopped_by,
    })
}

/// The next moment the screen changes on its own, seen at `now`: a
/// spinner's next frame, or the moment a countdown shows its next second;
/// `None` while nothing on screen moves. Sleeping until then wakes the
/// wizard once a second for a countdown, on the second, and more often
/// only while a spinner turns.
pub fn next_change(app: &App, now: Instant) -> Option<Instant> {
    let frame = spinner_since(app).map(|since| {
        let turns = now.saturating_duration_since(since).as_millis() / SPINNER_STEP.as_millis();
        since + SPINNER_STEP * (turns as u32 + 1)
    });
    let second = countdown_to(app).and_then(|at| next_second_shown(at, now));
    frame.into_iter().chain(second).min()
}

/// When the countdown to `at` next shows another number of seconds. It
/// shows whole seconds rounded up (`seconds_text`), so "5s" turns to "4s"
/// when exactly 4 s are left; at zero it stops.
fn next_second_shown(at: Instant, now: Instant) -> Option<Instant> {
    let left = at.saturating_duration_since(now);
    if left.is_zero() {
        return None;
    }
    let shown = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    Some(at - Duration::from_secs(shown - 1))
}

/// Since when the spinner on screen turns, if one does.
fn spinner_since(app: &App) -> Option<Instant> {
    if let Connection::SigningIn { since, .. } = &app.connection {
        return Some(*since);
    }
    if app.page != Page::Status {
        return None;
    }
    match &app.submission {
        Submission::Submitting(sending) => Some(sending.since),
        Submission::Placed(t) => match t.payment {
            super::submission::Payment::Paying { since } => Some(since),
            _ => None,
        },
        Submission::Unknown(u) => u.looking,
        _ => None,
    }
}

/// What the countdown on screen counts down to: the next status check, or
/// the next attempt of a purchase the service made wait.
fn countdown_to(app: &App) -> Option<Instant> {
    if app.page != Page::Status {
        return None;
    }
    match &app.submission {
        Submission::Placed(t) => t.next_poll_at,
        Submission::Submitting(sending) => sending.retry.as_ref().map(|retry| retry.at),
        _ => None,
    }
}

/// What a tick can change on screen: the spinner's frame and the countdown
/// as shown, so a tick that changes neither draws nothing.
fn moving_parts(app: &App) -> (Option<usize>, Option<String>) {
    let frame = spinner_since(app).map(|since| app.clock.spinner_frame(since));
    let countdown = countdown_to(app)
        .map(|at| super::submission::seconds_text(at.saturating_duration_since(app.clock.mono)));
    (frame, countdown)
}

async fn wake_at(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => pending().await,
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
        Event::Mouse(mouse)
            if matches!(
                mouse.kind,
                MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
            ) =>
        {
            Some(Msg::Mouse(mouse))
        }
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resize(width, height)),
        _ => None,
    }
}

/// Runs effects on tokio tasks; each answers with one message (tracking
/// with many) carrying the id of what it answers.
struct Runner {
    tx: mpsc::Sender<Msg>,
    connector: Option<Arc<dyn Connector>>,
    /// The tracking task of each order followed, so leaving an order
    /// (a new order while one waits for payment) stops its polling.
    trackers: std::collections::HashMap<String, Tracker>,
}

struct Tracker {
    task: tokio::task::AbortHandle,
    /// Paying the order asks through this for a check at once: the status
    /// is about to change, and the tracker may be in a minute's wait.
    check_now: CheckNow,
}

fn not_signed_in() -> ApiFailure {
    ApiFailure::local(tr!("live.not_signed_in"), tr!("live.not_signed_in_next"))
}

impl Runner {
    fn spawn(&self, work: impl Future<Output = Msg> + Send + 'static) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = work.await;
            // The UI may be gone (quitting); nobody is left to tell.
            let _ = tx.send(msg).await;
        });
    }

    fn run(&mut self, effect: Effect, app: &App) {
        let service = app.service().cloned();
        match effect {
            Effect::Quit => {}
            Effect::Connect { attempt, choice } => {
                let connecting = self.connector.as_ref().map(|c| c.connect(choice));
                self.spawn(async move {
                    let result = match connecting {
                        Some(future) => future.await,
                        None => Err(ApiFailure::local(
                            tr!("live.no_sign_in_again"),
                            tr!("live.no_sign_in_again_next"),
                        )),
                    };
                    Msg::Connected { attempt, result }
                });
            }
            Effect::Submit {
                request_id,
                body,
                separate_from,
                resend,
            } => {
                let (waits_tx, mut waits) = mpsc::channel(8);
                let (tx, waiting_for) = (self.tx.clone(), request_id.clone());
                tokio::spawn(async move {
                    while let Some(wait) = waits.recv().await {
                        let request_id = waiting_for.clone();
                        if tx.send(Msg::Waiting { request_id, wait }).await.is_err() {
                            return;
                        }
                    }
                });
                self.spawn(async move {
                    let outcome = match service {
                        Some(service) if resend => {
                            service.resend(body, request_id.clone(), waits_tx).await
                        }
                        Some(service) => {
                            service
                                .submit(body, request_id.clone(), separate_from, waits_tx)
                                .await
                        }
                        None => SubmitOutcome::Rejected(not_signed_in()),
                    };
                    Msg::Submitted {
                        request_id,
                        outcome,
                    }
                })
            }
            Effect::CheckEarlier { check, body } => self.spawn(async move {
                let result = match service {
                    Some(service) => service.earlier(body).await,
                    None => Err(not_signed_in()),
                };
                Msg::EarlierChecked { check, result }
            }),
            Effect::ReadJournalAtStart => self.spawn(async move {
                Msg::AtStart(match service {
                    Some(service) => service.at_start().await,
                    None => Err(not_signed_in()),
                })
            }),
            // Written and removed by the loop itself, in order, before it
            // ends.
            Effect::KeepDraft { .. } | Effect::ForgetDraft => {}
            Effect::LookAgain { request_id, record } => self.spawn(async move {
                let lookup = match service {
                    Some(service) => service.look_again(*record).await,
                    None => Lookup {
                        failed: Some(not_signed_in()),
                        ..Lookup::default()
                    },
                };
                Msg::LookedAgain { request_id, lookup }
            }),
            Effect::ReadJournal { generation } => self.spawn(async move {
                let result = match service {
                    Some(service) => service.journal_purchases().await,
                    None => Err(not_signed_in()),
                };
                Msg::JournalRead { generation, result }
            }),
            Effect::ListOrders {
                generation,
                offset,
                limit,
            } => self.spawn(async move {
                let result = match service {
                    Some(service) => service.list_orders(offset, limit).await,
                    None => Err(not_signed_in()),
                };
                Msg::OrdersListed {
                    generation,
                    offset,
                    result,
                }
            }),
            Effect::Track { order_id } => {
                let Some(service) = service else {
                    self.spawn(async move { Msg::TrackingEnded { order_id } });
                    return;
                };
                let (events_tx, mut events_rx) = mpsc::channel(16);
                let check_now = CheckNow::default();
                let task =
                    tokio::spawn(service.track(order_id.clone(), events_tx, check_now.clone()));
                let tracker = Tracker {
                    task: task.abort_handle(),
                    check_now,
                };
                if let Some(earlier) = self.trackers.insert(order_id.clone(), tracker) {
                    earlier.task.abort();
                }
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    while let Some(event) = events_rx.recv().await {
                        let msg = Msg::Tracked {
                            order_id: order_id.clone(),
                            event,
                        };
                        if tx.send(msg).await.is_err() {
                            return;
                        }
                    }
                    let _ = tx.send(Msg::TrackingEnded { order_id }).await;
                });
            }
            Effect::StopTracking { order_id } => {
                if let Some(tracker) = self.trackers.remove(&order_id) {
                    tracker.task.abort();
                }
            }
            Effect::Act(action) => {
                // Once the service has changed the order, its tracker looks
                // at once rather than at its next (up to a minute away) check.
                let check_now = action
                    .changes_order()
                    .then(|| self.trackers.get(action.order_id().as_str()))
                    .flatten()
                    .map(|t| t.check_now.clone());
                self.spawn(async move {
                    let result = match service {
                        Some(service) => service.act(action.clone()).await,
                        None => Err(not_signed_in()),
                    };
                    if let (Ok(()), Some(check_now)) = (&result, check_now) {
                        check_now.ask();
                    }
                    Msg::Acted { action, result }
                })
            }
            Effect::SavePlan {
                path,
                contents,
                overwrite,
            } => self.spawn(async move {
                let result = write_plan(&path, &contents, overwrite).await;
                Msg::PlanSaved { path, result }
            }),
        }
    }
}

/// Keeps the half-made order; what to tell the user once the terminal is
/// back.
async fn keep_draft(path: Option<PathBuf>, contents: String) -> Option<String> {
    let path = path?;
    let shown = path.display().to_string();
    let written = tokio::task::spawn_blocking(move || kept::write(&path, &contents)).await;
    Some(match written {
        Ok(Ok(())) => tr!("live.kept.written", path = shown),
        Ok(Err(e)) => tr!("live.kept.write_failed", path = shown, why = e),
        Err(e) => tr!("live.kept.write_task_failed", path = shown, why = e),
    })
}

/// Writes a plan; without `overwrite`, an existing file is left alone and
/// reported, atomically (no check-then-write race).
pub async fn write_plan(
    path: &std::path::Path,
    contents: &str,
    overwrite: bool,
) -> Result<(), SaveError> {
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true);
    if overwrite {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).await.map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            SaveError::Exists
        } else {
            SaveError::Other(save_words(&e))
        }
    })?;
    file.write_all(contents.as_bytes())
        .await
        .map_err(|e| SaveError::Other(save_words(&e)))?;
    file.flush()
        .await
        .map_err(|e| SaveError::Other(save_words(&e)))
}

/// Creating a file, "not found" means its folder is missing.
fn save_words(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        tr!("live.plan.no_folder")
    } else {
        crate::io_text::io_words(e)
    }
}

/// SIGTERM, SIGHUP (the SSH link dropped) and SIGINT end the wizard cleanly.
struct Signals {
    #[cfg(unix)]
    streams: Vec<(&'static str, tokio::signal::unix::Signal)>,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                streams: vec![
                    ("SIGTERM", signal(SignalKind::terminate())?),
                    ("SIGHUP", signal(SignalKind::hangup())?),
                    ("SIGINT", signal(SignalKind::interrupt())?),
                ],
            })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    async fn recv(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            let waits = self.streams.iter_mut().map(|(name, stream)| {
                Box::pin(async move {
                    stream.recv().await;
                    *name
                })
            });
            futures::future::select_all(waits).await.0
        }
        #[cfg(not(unix))]
        pending().await
    }
}
