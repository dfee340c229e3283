//! The accessible line mode (`flexus --accessible`, `FLEXUS_ACCESSIBLE=1`,
//! or any run under `TERM=dumb`): the wizard's steps as plain numbered
//! questions on standard output, answered a line at a time, for screen
//! readers and pipes. No cursor movement, colour, redraw or spinner: a line
//! per question and a line per change of the order's state.
//!
//! It asks what the wizard asks, by the same rules (`domain`), signs in as
//! the wizard does (`tui::live`), and places and follows the order with the
//! headless engine (`placing`, `follow`), journaled as every purchase is.

mod ask;
mod steps;

use std::io::Write;

use ask::{Asked, Asker, Opt, Stop};
use steps::{Offer, Order, ask_step};

use super::Data;
use super::common::{Session, Unbreakable, api_failure, reader_zone, runtime};
use super::pay::pay_and_follow;
use super::placing::{self, place};
use super::wizard::WizardArgs;
use crate::api::ids::ClientRequestId;
use crate::api::journal::PurchaseRecord;
use crate::api::purchase;
use crate::api::tracking::TrackOptions;
use crate::config::ChosenProfile;
use crate::domain::order::{Draft, ImageRef, RequestBody};
use crate::domain::summary::Summary;
use crate::domain::when::dated_stamp;
use crate::exit::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_PENDING_PAYMENT, EXIT_UNKNOWN_OUTCOME, Failure,
};
use crate::secret::Secret;
use crate::tui::app::Step;
use crate::tui::live::{LiveConnector, SignedIn, read_at_start};
use crate::tui::service::{AtStart, SignIn};

/// The variable that asks for the line mode (`1`) or refuses it (`0`),
/// also under `TERM=dumb`.
pub const ENV_ACCESSIBLE: &str = "FLEXUS_ACCESSIBLE";

/// The exit code when input ends before the order was confirmed: nothing
/// was sent. It is the code of a question that could not be asked.
pub const EXIT_INPUT_ENDED: i32 = EXIT_INVALID;

/// Whether the wizard runs as the line mode: `--accessible`, else
/// `FLEXUS_ACCESSIBLE` (1 or 0), else a terminal that says it can do
/// nothing but lines (`TERM=dumb`).
pub(super) fn chosen(flag: bool, env: impl Fn(&str) -> Option<String>) -> bool {
    if flag {
        return true;
    }
    match env(ENV_ACCESSIBLE).map(|v| v.trim().to_ascii_lowercase()) {
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => true,
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => false,
        _ => env("TERM").is_some_and(|term| term.trim() == "dumb"),
    }
}

/// Runs the line mode on standard input and `out`.
pub(super) fn run(
    args: &WizardArgs,
    data: Data,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    if args.plan.is_some() {
        return Err(Failure::new(EXIT_INVALID, tr!("line.no_plan")));
    }
    let profile = data.profile.as_ref();
    let (connector, found) = super::wizard::signing_in(args, &data)?;
    let found = if args.sandbox {
        Some(SignIn::Sandbox)
    } else {
        found
    };
    let track = connector.track.clone();
    let mut stdin = ask::Stdin;
    let mut ask = Asker::new(&mut stdin, out);
    let rt = runtime()?;
    ask.say(&tr!("line.intro"))
        .map_err(|stop| stopped(&mut ask, stop))?;
    let signed =
        sign_in(&mut ask, &rt, &connector, found).map_err(|stop| stopped(&mut ask, stop))?;
    let SignedIn {
        client,
        journal_dir,
        description,
        // An in-process sandbox serves as long as its handle lives: until
        // the order is followed to its end.
        sandbox: serving,
        ..
    } = signed;
    let journal = purchase::open_journal(&journal_dir).map_err(api_failure)?;
    let at_start = read_at_start(&journal, serving.is_some())
        .map_err(|why| Failure::new(EXIT_FAILURE, tr!("line.earlier.unreadable", why = why)));
    let session = Session {
        client,
        journal: journal.clone(),
        source: description,
        track: TrackOptions {
            journal: Some(journal),
            ..track
        },
        zone: reader_zone(),
        rt,
    };
    let body = (|| {
        ask.say(&tr!("line.signed_in", place = session.source))?;
        let AtStart {
            unfinished,
            last_order,
        } = at_start.map_err(Stop::Failed)?;
        earlier_purchases(&mut ask, &session, &unfinished)?;
        let start = starting_from(&mut ask, &session, &data, last_order.as_deref())?;
        form(&mut ask, &data, profile, &session.source, start)
    })()
    .map_err(|stop| stopped(&mut ask, stop))?;
    send(&mut ask, &session, &body, err)
}

/// Purchases from this machine the user still has to settle, told before
/// any question as the wizard's purchases page opens on them: one whose
/// outcome is unknown is looked up in the account's order list and the new
/// order waits for a deliberate yes (a second purchase may double it); one
/// waiting for payment names `flexus pay`.
fn earlier_purchases(
    ask: &mut Asker,
    session: &Session,
    unfinished: &[PurchaseRecord],
) -> Asked<()> {
    let mut unknown = 0;
    for record in unfinished {
        let sent = dated_stamp(&record.first_sent_at, &session.zone);
        let bought = tr!(
            "line.earlier.bought",
            name = record.body.instance_name,
            spec = record.body.plan_spec,
            region = record.body.region
        );
        if record.is_unresolved() {
            unknown += 1;
            let id = &record.client_request_id;
            ask.say("")?;
            ask.say(&tr!(
                "line.earlier.unknown",
                bought = bought,
                sent = sent,
                id = id
            ))?;
            ask.say(&looked_up(session, record))?;
            ask.say(&tr!("line.earlier.unknown_next", id = id))?;
        } else if let Some(order) = &record.order_id
            && record
                .last_status
                .as_ref()
                .is_some_and(|(status, _)| *status == crate::api::wire::status::PENDING_PAYMENT)
        {
            ask.say("")?;
            ask.say(&tr!(
                "line.earlier.pending",
                bought = bought,
                sent = sent,
                order = order
            ))?;
        }
    }
    if unknown == 0 {
        return Ok(());
    }
    if ask.yes_no(&tr!("line.earlier.go_on"), false)? {
        return Ok(());
    }
    ask.say(&tr!("line.earlier.stopped"))?;
    Err(Stop::Failed(Failure::new(EXIT_UNKNOWN_OUTCOME, "")))
}

/// What the account's order list holds now for a purchase of unknown
/// outcome, as one line. Looked up as the wizard's "look again" does, so
/// the journal keeps what was found for `flexus orders` and `claim`.
fn looked_up(session: &Session, record: &PurchaseRecord) -> String {
    if record.request_id().is_err() {
        return tr!("line.earlier.not_looked_up");
    }
    let (found, failed) = session.rt.block_on(purchase::look_again(
        &session.client,
        &session.journal,
        record,
    ));
    let orders: Vec<&str> = found.iter().map(|f| f.info.order_id.as_str()).collect();
    match (orders.is_empty(), failed) {
        (false, _) => tr!("line.earlier.found", orders = orders.join(", ")),
        (true, Some(why)) => tr!("line.earlier.lookup_failed", why = why),
        (true, None) => tr!("line.earlier.none_found"),
    }
}

/// The choices of the last order placed from this machine, as the wizard
/// starts from them: each becomes its question's default, and one that no
/// longer fits is named when its question comes.
fn starting_from(
    ask: &mut Asker,
    session: &Session,
    data: &Data,
    last_order: Option<&PurchaseRecord>,
) -> Asked<Order> {
    let Some(last) = last_order else {
        return Ok(Order::default());
    };
    ask.say(&tr!(
        "line.from_last",
        sent = dated_stamp(&last.last_sent_at, &session.zone)
    ))?;
    let draft = Draft::from_request_body(&last.body);
    let private_platform = match draft.image {
        ImageRef::Private { .. } => data.catalog.spec(&draft.plan_spec).map(|s| s.platform),
        _ => None,
    };
    Ok(Order {
        draft,
        private_platform,
    })
}

/// What ends the questions, told as the last line: nothing was sent.
fn stopped(ask: &mut Asker, stop: Stop) -> Failure {
    match stop {
        Stop::Ended => {
            let _ = ask.say(&tr!("line.ended"));
            Failure::new(EXIT_INPUT_ENDED, "")
        }
        Stop::Failed(failure) => failure,
    }
}

/// Signs in with what was found (or `--sandbox`); otherwise, or when
/// that fails, asks how, as the wizard's sign-in screen does.
fn sign_in(
    ask: &mut Asker,
    rt: &tokio::runtime::Runtime,
    connector: &LiveConnector,
    found: Option<SignIn>,
) -> Asked<SignedIn> {
    let mut found = found;
    loop {
        let choice = match found.take() {
            Some(choice) => choice,
            None => ask_sign_in(ask)?,
        };
        ask.say(&tr!("line.signing_in", how = choice.describe()))?;
        match rt.block_on(connector.sign_in(choice)) {
            Ok(signed) => return Ok(signed),
            Err(failure) => ask.say(&tr!("line.sign_in_failed", why = failure))?,
        }
    }
}

fn ask_sign_in(ask: &mut Asker) -> Asked<SignIn> {
    let opts = [
        Opt::new(tr!("line.signin.tokens")),
        Opt::new(tr!("line.signin.password")),
        Opt::new(tr!("line.signin.aksk")),
        Opt::new(tr!("line.signin.sandbox")),
    ];
    let required = |what: String| {
        move |typed: &str| {
            if typed.is_empty() {
                Err(what.clone())
            } else {
                Ok(typed.to_string())
            }
        }
    };
    match ask.choose(&tr!("line.signin.question"), &opts, None)? {
        0 => {
            let purchase = ask.secret(
                &tr!("line.signin.purchase_token"),
                required(tr!("line.signin.purchase_token_missing")),
            )?;
            let billing = ask.secret(
                &tr!("line.signin.billing_token"),
                required(tr!("line.signin.billing_token_missing")),
            )?;
            Ok(SignIn::Tokens {
                purchase: Some(Secret::new(purchase)),
                billing: Some(Secret::new(billing)),
            })
        }
        1 => {
            let user = ask.text(
                &tr!("line.signin.user"),
                required(tr!("line.signin.user_missing")),
            )?;
            let password = ask.secret(
                &tr!("line.signin.password_prompt"),
                required(tr!("line.signin.password_missing")),
            )?;
            let account = ask.text(&tr!("line.signin.account", user = user), |typed| {
                Ok::<_, String>(if typed.is_empty() {
                    user.clone()
                } else {
                    typed.to_string()
                })
            })?;
            let mfa_code = ask.text(&tr!("line.signin.mfa"), |typed| {
                Ok::<_, String>(Some(typed.to_string()).filter(|c| !c.is_empty()))
            })?;
            let mfa_user_id = match mfa_code {
                None => None,
                Some(_) => Some(ask.text(
                    &tr!("line.signin.mfa_user_id"),
                    required(tr!("line.signin.mfa_user_id_missing")),
                )?),
            };
            Ok(SignIn::Password {
                user,
                password: Secret::new(password),
                account,
                mfa_code,
                mfa_user_id,
            })
        }
        2 => Ok(SignIn::AkSkFromEnvironment),
        _ => Ok(SignIn::Sandbox),
    }
}

/// What the review asks for.
enum Reviewed {
    Send(Box<RequestBody>),
    Change(usize),
    Quit,
}

/// The form's steps, then the review, until the order is confirmed with a
/// typed `yes`; a step chosen at the review is asked again, with the steps
/// after it (each answer kept where it still fits).
fn form(
    ask: &mut Asker,
    data: &Data,
    profile: Option<&ChosenProfile>,
    destination: &str,
    start: Order,
) -> Asked<RequestBody> {
    let offer = Offer {
        catalog: &data.catalog,
        prices: &data.prices,
        profile_region: profile
            .and_then(|p| p.settings.region.as_ref().map(|r| r.get_ref().as_str())),
    };
    let mut order = start;
    let mut from = 0;
    loop {
        for step in &Step::FORM[from..] {
            ask_step(*step, ask, &offer, &mut order)?;
        }
        match review(ask, data, profile, destination, &order)? {
            Reviewed::Send(body) => return Ok(*body),
            Reviewed::Change(step) => from = step,
            Reviewed::Quit => {
                ask.say(&tr!("line.quit"))?;
                return Err(Stop::Failed(Failure::new(EXIT_FAILURE, "")));
            }
        }
    }
}

/// The review read out as plain lines, then the one deliberate answer.
fn review(
    ask: &mut Asker,
    data: &Data,
    profile: Option<&ChosenProfile>,
    destination: &str,
    order: &Order,
) -> Asked<Reviewed> {
    let review = Step::Review;
    ask.say("")?;
    ask.say(&tr!(
        "line.step",
        number = review.number(),
        count = Step::COUNT,
        title = crate::tui::screens::page_name(crate::tui::app::Page::Step(review))
    ))?;
    let summary = Summary::new(&data.catalog, &data.prices, &order.draft);
    for line in summary.to_text().lines() {
        ask.say(line.trim_end())?;
    }
    ask.say(&tr!("line.review.destination", place = destination))?;
    let mut blocked = false;
    if let Some(profile) = profile {
        let estimate = &summary.estimate;
        if let Some(limit) = profile.limit.text(&estimate.currency) {
            ask.say(&tr!(
                "line.review.limit",
                limit = limit,
                profile = profile.name
            ))?;
        }
        if let Err(why) = profile.limit.check(estimate) {
            blocked = true;
            ask.say(&tr!(
                "line.review.over_limit",
                why = why,
                profile = profile.described()
            ))?;
        }
    }
    let body = match order.draft.request_body(&data.catalog) {
        Ok(body) => Some(body),
        Err(problems) => {
            for problem in problems {
                ask.say(&tr!("line.review.problem", problem = problem))?;
            }
            None
        }
    };
    let last = Step::FORM.len();
    let prompt = match (&body, blocked) {
        (Some(_), false) => tr!("line.review.question", last = last),
        _ => tr!("line.review.question_blocked", last = last),
    };
    ask.text(&prompt, |typed| {
        let lower = typed.to_lowercase();
        if let Ok(n) = typed.parse::<usize>()
            && (1..=last).contains(&n)
        {
            return Ok(Reviewed::Change(n - 1));
        }
        match (lower.as_str(), &body) {
            ("q" | "quit", _) => Ok(Reviewed::Quit),
            ("yes", Some(body)) if !blocked => Ok(Reviewed::Send(Box::new(body.clone()))),
            ("yes", _) => Err(tr!("line.review.cannot_send")),
            ("", _) => Err(tr!("line.review.enter_alone")),
            _ => Err(tr!("line.review.not_yes", answer = ask::echo(typed))),
        }
    })
}

/// The confirmed order sent and followed, as `flexus order` does: checked
/// for an unresolved earlier purchase of the same order first, and once
/// sent, kept in the journal whatever becomes of the input.
fn send(
    ask: &mut Asker,
    session: &Session,
    body: &RequestBody,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let rt = &session.rt;
    rt.block_on(session.client.ready_to_order(&body.region))
        .map_err(|f| Failure::new(EXIT_FAILURE, tr!("line.not_sent", why = f)).answering(&f))?;
    let earlier = rt
        .block_on(purchase::earlier_open(
            &session.client,
            &session.journal,
            body,
        ))
        .map_err(api_failure)?;
    if !earlier.same.is_empty() || !earlier.damaged.is_empty() {
        return Err(Failure::new(EXIT_UNKNOWN_OUTCOME, tr!("line.double")));
    }
    let id = ClientRequestId::new();
    let start = placing::Start::New {
        id: id.clone(),
        separate_from: earlier.separate_from(),
    };
    // The order's outcome decides the exit code from here, not a reader
    // that went away.
    let placed = {
        let out = &mut Unbreakable(&mut *ask.out);
        let err = &mut Unbreakable(err);
        rt.block_on(place(session, body, start, false, out, err))
    };
    match placed {
        Err(waiting) if waiting.code == EXIT_PENDING_PAYMENT => {
            let order_id = session
                .journal
                .purchase(id.as_str())
                .ok()
                .flatten()
                .and_then(|record| record.order_id);
            match order_id {
                Some(order_id) => offer_payment(ask, session, &order_id, waiting),
                None => Err(waiting),
            }
        }
        other => other,
    }
}

/// An order waiting for payment: paid now if asked (the wizard's `p`),
/// else left for `flexus pay`, which the failure's words name.
fn offer_payment(
    ask: &mut Asker,
    session: &Session,
    order_id: &str,
    waiting: Failure,
) -> Result<(), Failure> {
    let question = tr!("line.pay.question", order = order_id);
    match ask.yes_no(&question, false) {
        Ok(true) => {}
        Ok(false) => return Err(waiting),
        Err(Stop::Ended) => {
            let _ = ask.say(&tr!("line.pay.ended", order = order_id));
            return Err(waiting);
        }
        Err(Stop::Failed(failure)) => return Err(failure),
    }
    let checked =
        crate::api::ids::OrderId::parse(order_id).map_err(|why| Failure::new(EXIT_FAILURE, why))?;
    let out = &mut Unbreakable(&mut *ask.out);
    session.rt.block_on(pay_and_follow(session, checked, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn the_flag_the_variable_or_a_dumb_terminal_choose_the_line_mode() {
        assert!(chosen(true, env(&[])));
        assert!(chosen(false, env(&[(ENV_ACCESSIBLE, "1")])));
        assert!(chosen(false, env(&[("TERM", "dumb")])));
        assert!(!chosen(false, env(&[("TERM", "xterm-256color")])));
        assert!(!chosen(false, env(&[])));
    }

    #[test]
    fn the_variable_at_zero_refuses_it_even_on_a_dumb_terminal() {
        assert!(!chosen(
            false,
            env(&[(ENV_ACCESSIBLE, "0"), ("TERM", "dumb")])
        ));
        // The flag is the most deliberate of the three.
        assert!(chosen(true, env(&[(ENV_ACCESSIBLE, "0")])));
    }
}
