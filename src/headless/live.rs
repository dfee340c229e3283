//! The headless commands that talk to Huawei Cloud: `order` (for real),
//! `status`, `orders` and `pay`. They drive the same engine as the wizard
//! (`api::purchase`, `api::tracking`, the journal) and add only words,
//! prompts and exit codes.
//!
//! Human-facing context (the summary, prompts, warnings) goes to standard
//! error; results and one line per state change go to standard output.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use tokio::sync::mpsc;

use super::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_PENDING_PAYMENT, EXIT_UNKNOWN_OUTCOME, EXIT_UNRECORDED,
    Failure, Plan, output_failure, read_plan,
};
use crate::api::auth::{self, AuthSource};
use crate::api::client::{Client, ClientConfig, LookupOptions};
use crate::api::endpoints::{DEFAULT_AUTH_REGION, EndpointOverrides, Endpoints};
use crate::api::engine::{ApiFailure, SubmitOutcome, TrackEvent};
use crate::api::ids::OrderId;
use crate::api::journal::{Journal, PurchaseRecord, PurchaseState};
use crate::api::purchase::{self, ClientRequestId, FoundOrder};
use crate::api::tracking::{self, TrackOptions};
use crate::api::wire::{OrderDetails, OrderInfo, status};
use crate::cli::{
    AbandonArgs, ClaimArgs, ConnectArgs, DismissArgs, OrderArgs, OrdersArgs, PayArgs, ResendArgs,
    StatusArgs,
};
use crate::domain::catalog::Catalog;
use crate::domain::order::RequestBody;
use crate::domain::pricing::PriceTable;
use crate::domain::summary::Summary;

/// Shortens every wait (polls, lookups, retries) to this many milliseconds,
/// so tests of the binary run in seconds. Not for everyday use.
pub const ENV_POLL_INTERVAL_MS: &str = "FLEXUS_POLL_INTERVAL_MS";

/// Everything a command needs to talk to the services.
struct Session {
    client: Client,
    journal: Journal,
    source: AuthSource,
    track: TrackOptions,
    /// One runtime for the whole command: the client's pooled connections
    /// belong to the runtime that opened them.
    rt: tokio::runtime::Runtime,
}

/// How to reach the services, without credentials: endpoints, timeouts,
/// and the polling schedule. Shared by the headless commands and the wizard.
pub fn connection_settings(
    args: &ConnectArgs,
) -> Result<(Endpoints, ClientConfig, TrackOptions), Failure> {
    let env = |name: &str| std::env::var(name).ok();
    let overrides = EndpointOverrides {
        hcss: args.hcss_endpoint.clone(),
        bss: args.bss_endpoint.clone(),
        iam: args.iam_endpoint.clone(),
    };
    let endpoints = Endpoints::resolve(&overrides, &env, DEFAULT_AUTH_REGION)
        .map_err(|e| Failure::new(EXIT_INVALID, e.to_string()))?;
    let mut config = ClientConfig {
        request_timeout: Duration::from_secs(args.timeout),
        ..ClientConfig::default()
    };
    let mut track = TrackOptions::default();
    if let Some(ms) = env(ENV_POLL_INTERVAL_MS).and_then(|v| v.trim().parse::<u64>().ok()) {
        let step = Duration::from_millis(ms.max(1));
        track.first_interval = step;
        track.max_interval = step * 15 / 2;
        config.ambiguity_lookup = LookupOptions {
            interval: step,
            ..LookupOptions::default()
        };
        config.retry.base_delay = config.retry.base_delay.min(step);
        config.retry.max_delay = config.retry.max_delay.min(step * 4);
    }
    Ok((endpoints, config, track))
}

fn connect(args: &ConnectArgs) -> Result<Session, Failure> {
    let (endpoints, config, mut track) = connection_settings(args)?;
    let resolved = auth::resolve_from_process(token_files(args))
        .map_err(|e| Failure::new(EXIT_INVALID, e.to_string()))?
        .ok_or_else(|| Failure::new(EXIT_INVALID, auth::missing_credentials_help()))?;
    let client = Client::new(endpoints, resolved.auth, config).map_err(api_failure)?;
    let rt = runtime()?;
    // Wrong credentials show here, before any question or order.
    rt.block_on(client.check_sign_in())
        .map_err(|f| Failure::new(EXIT_FAILURE, format!("signing in failed: {f}")))?;
    let journal = open_journal()?;
    track.journal = Some(journal.clone());
    Ok(Session {
        client,
        journal,
        source: resolved.source,
        track,
        rt,
    })
}

/// The token files of the command line.
pub fn token_files(args: &ConnectArgs) -> auth::TokenFiles<'_> {
    auth::TokenFiles {
        purchase: args.token_file.as_deref(),
        billing: args.bss_token_file.as_deref(),
    }
}

/// Where the order journal lives: the user's state directory.
pub fn journal_dir() -> Result<std::path::PathBuf, Failure> {
    Journal::default_dir().ok_or_else(|| {
        Failure::new(
            EXIT_FAILURE,
            "cannot find a directory for the order journal; set FLEXUS_STATE_DIR to one",
        )
    })
}

/// The order journal in the user's state directory.
pub fn open_journal() -> Result<Journal, Failure> {
    let dir = journal_dir()?;
    Journal::open(&dir).map_err(|e| {
        Failure::new(
            EXIT_FAILURE,
            format!(
                "cannot open the order journal in {}: {e}. Fix the directory's permissions or \
                 set FLEXUS_STATE_DIR to another directory",
                dir.display()
            ),
        )
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_FAILURE, format!("cannot start: {e}")))
}

fn api_failure(f: ApiFailure) -> Failure {
    Failure::new(EXIT_FAILURE, f.to_string())
}

/// Asks a yes/no question on the terminal; the default is no. Without a
/// terminal there is nobody to ask, so the answer is no.
fn ask(question: &str, err: &mut dyn Write) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    write!(err, "{question} [y/N] ").map_err(output_failure)?;
    err.flush().map_err(output_failure)?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(EXIT_FAILURE, format!("cannot read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// `--yes`, or a "yes" typed on the terminal; with neither, a refusal that
/// says how to confirm.
fn confirm(yes: bool, question: &str, what: &str, err: &mut dyn Write) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::new(
            EXIT_INVALID,
            format!(
                "not {what} without confirmation: standard input is not a terminal, so flexus \
                 cannot ask. Add --yes to confirm"
            ),
        ));
    }
    if ask(question, err)? {
        Ok(())
    } else {
        Err(Failure::new(
            EXIT_FAILURE,
            format!("nothing was done: {what} was not confirmed"),
        ))
    }
}

/// Passes writes on and ignores their failures: output is a report, and a
/// closed or full stream must not cut a purchase or its tracking short.
struct Unbreakable<'a>(&'a mut dyn Write);

impl Write for Unbreakable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// `flexus order --plan FILE [--yes] [--separate-purchase]`: check,
/// look for an unresolved double, confirm, submit, follow.
pub fn order(
    catalog: &Catalog,
    prices: &PriceTable,
    args: &OrderArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let Plan { draft, body } = read_plan(catalog, &args.plan)?;
    let session = connect(&args.connect)?;
    // What the order's region needs (its project, a token for it) is found
    // now: if the order could not be placed, or not followed, nothing is
    // asked and nothing is sent.
    session
        .rt
        .block_on(session.client.ready_to_order(&body.region))
        .map_err(|f| Failure::new(EXIT_FAILURE, format!("nothing was sent: {f}")))?;
    // Once a purchase may be under way, its outcome decides the exit code,
    // not a reader that went away (`flexus order --yes | head -1`).
    let out = &mut Unbreakable(out);
    let err = &mut Unbreakable(err);
    let io = output_failure;
    write!(err, "{}", Summary::new(catalog, prices, &draft).to_text()).map_err(io)?;
    writeln!(
        err,
        "{:<16}{} (signed in with the {})",
        "Endpoint",
        session.client.endpoints().hcss,
        session.source
    )
    .map_err(io)?;
    let rt = &session.rt;
    let earlier = rt
        .block_on(purchase::earlier_open(
            &session.client,
            &session.journal,
            &body,
        ))
        .map_err(api_failure)?;
    for record in &earlier.other {
        writeln!(
            err,
            "Note: the purchase of {} sent at {} (Client-Request-Id {}) has an unknown outcome; \
             `flexus orders` shows it.",
            record.body.describe(),
            record.last_sent_at,
            record.client_request_id
        )
        .map_err(io)?;
    }
    if !earlier.damaged.is_empty() && !args.separate_purchase {
        for record in &earlier.damaged {
            writeln!(
                err,
                "\nThis could be the same order: {}.",
                purchase::damaged_words(record)
            )
            .map_err(io)?;
            if let Some(id) = &record.client_request_id {
                writeln!(
                    err,
                    "Check the console's order list. If it placed nothing: flexus abandon \
                     {id}\nIf it placed an order:  flexus claim {id} ORDER_ID"
                )
                .map_err(io)?;
            }
        }
        writeln!(
            err,
            "If this is a separate, additional purchase: flexus order --plan {} \
             --separate-purchase",
            args.plan.display()
        )
        .map_err(io)?;
        return Err(Failure::new(
            EXIT_UNKNOWN_OUTCOME,
            "nothing was sent: the journal has a damaged purchase record whose outcome is \
             unknown, and it may be this same order. Choose one of the ways above",
        ));
    }
    if !earlier.same.is_empty() && !args.separate_purchase {
        for record in &earlier.same {
            rt.block_on(report_double(&session, record, &args.plan, err))?;
        }
        return Err(Failure::new(
            EXIT_UNKNOWN_OUTCOME,
            "nothing was sent: this same order was sent before and is not finished, so it may \
             already be bought. Choose one of the ways above",
        ));
    }
    confirm(
        args.yes,
        "Place this order? It is charged to the account.",
        "ordering",
        err,
    )?;
    let start = Start::New {
        separate_from: earlier.separate_from(),
    };
    rt.block_on(place(&session, &body, start, args.yes, out, err))
}

/// An earlier purchase with the same body whose outcome is unknown: what
/// became of it as far as can be seen now, and the deliberate ways on.
async fn report_double(
    session: &Session,
    record: &PurchaseRecord,
    plan: &std::path::Path,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let id = &record.client_request_id;
    let separate = format!(
        "If this is a separate, additional purchase: flexus order --plan {} --separate-purchase",
        plan.display()
    );
    if let Some(order_id) = &record.order_id {
        writeln!(
            err,
            "\nThis same order was placed at {} as order {order_id} (Client-Request-Id {id}), \
             which is {}.\nFollow it: flexus status {order_id} --watch\n{separate}",
            record.first_sent_at,
            record.state_text()
        )
        .map_err(io)?;
        return Ok(());
    }
    writeln!(
        err,
        "\nThis same order was sent at {} (Client-Request-Id {id}{}) and its outcome is unknown: \
         it may have placed an order.",
        record.first_sent_at,
        if record.attempts > 1 {
            format!(", {} sends", record.attempts)
        } else {
            String::new()
        }
    )
    .map_err(io)?;
    if purchase::in_flight_elsewhere(&session.journal, id) {
        writeln!(
            err,
            "Another flexus is sending it right now; wait for it to finish, then run this again."
        )
        .map_err(io)?;
        return Ok(());
    }
    let (found, failed) = purchase::look_again(&session.client, &session.journal, record).await;
    match (found.is_empty(), failed) {
        (false, _) => {
            writeln!(err, "Orders created since then that may be it:").map_err(io)?;
            for order in &found {
                let described = order.describe(&record.first_sent_at);
                writeln!(err, "  {}  {described}", order.order_id()).map_err(io)?;
            }
            writeln!(
                err,
                "If one is that purchase:   flexus claim {id} ORDER_ID   (then flexus status \
                 ORDER_ID --watch)\nIf one is not:             flexus dismiss {id} ORDER_ID"
            )
            .map_err(io)?;
        }
        (true, None) => {
            writeln!(
                err,
                "No order created since then was found in the order list.\nTo send that \
                 purchase again (same Client-Request-Id): flexus resend {id}\nIf the console \
                 shows it placed none and you want none: flexus abandon {id}"
            )
            .map_err(io)?;
        }
        (true, Some(failure)) => {
            writeln!(err, "The order list could not be checked: {failure}").map_err(io)?;
        }
    }
    writeln!(err, "{separate}").map_err(io)?;
    Ok(())
}

/// How a purchase begins: a new one, or a resend of a journaled one.
enum Start {
    New { separate_from: Vec<String> },
    Resend(ClientRequestId),
}

async fn place(
    session: &Session,
    body: &RequestBody,
    start: Start,
    yes: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let (id, mut outcome) = match start {
        Start::New { separate_from } => {
            let id = ClientRequestId::new();
            writeln!(out, "Submitting the order (Client-Request-Id {id})").map_err(io)?;
            let outcome =
                purchase::submit(&session.client, &session.journal, body, &id, &separate_from)
                    .await;
            (id, outcome)
        }
        Start::Resend(id) => {
            writeln!(out, "Sending the purchase again (Client-Request-Id {id})").map_err(io)?;
            let outcome = purchase::resend(&session.client, &session.journal, body, &id).await;
            (id, outcome)
        }
    };
    loop {
        match outcome {
            SubmitOutcome::Placed {
                order_id,
                instance_ids,
                unrecorded,
            } => {
                writeln!(
                    out,
                    "Order {order_id} placed (instances {})",
                    if instance_ids.is_empty() {
                        "to be announced".to_string()
                    } else {
                        instance_ids.join(", ")
                    }
                )
                .map_err(io)?;
                let Some(why) = unrecorded else {
                    return follow(session, &order_id, &instance_ids, true, out).await;
                };
                writeln!(
                    err,
                    "WARNING: order {order_id} was placed, but {why}. Keep this order ID: \
                     `flexus orders` will not show it as placed."
                )
                .map_err(io)?;
                let followed = follow(session, &order_id, &instance_ids, true, out).await;
                let end = match &followed {
                    Ok(()) => "it completed".to_string(),
                    Err(f) => f.message.clone(),
                };
                return Err(Failure::new(
                    EXIT_UNRECORDED,
                    format!(
                        "order {order_id} was placed but the journal could not record it ({why}); \
                         {end}"
                    ),
                ));
            }
            SubmitOutcome::Rejected(failure) => {
                return Err(Failure::new(
                    EXIT_FAILURE,
                    format!("the order was not placed: {failure}"),
                ));
            }
            SubmitOutcome::Ambiguous {
                client_request_id,
                sent_at,
                reason,
                candidates,
                lookup_failed,
            } => {
                report_ambiguous(&sent_at, &reason, &candidates, lookup_failed.as_ref(), out)?;
                let next = if candidates.is_empty() {
                    format!(
                        "Check with `flexus orders` and `flexus status ORDER_ID` (or the \
                         console); to send it again with the same Client-Request-Id: `flexus \
                         resend {client_request_id}`; if it placed none and you want none: \
                         `flexus abandon {client_request_id}`"
                    )
                } else {
                    format!(
                        "Check the orders above with `flexus status ORDER_ID` (`flexus orders` \
                         keeps this purchase); if one is this purchase: `flexus claim \
                         {client_request_id} ORDER_ID`; if one is not: `flexus dismiss \
                         {client_request_id} ORDER_ID`"
                    )
                };
                let unknown = Failure::new(
                    EXIT_UNKNOWN_OUTCOME,
                    format!(
                        "the outcome of the purchase is unknown and it was not sent again. \
                         {next}. Client-Request-Id {client_request_id}"
                    ),
                );
                // A found order may be this purchase: resending is not
                // offered until the user has claimed or dismissed it.
                if yes || !candidates.is_empty() || !std::io::stdin().is_terminal() {
                    return Err(unknown);
                }
                if !ask(
                    "Send the same purchase again, with the same Client-Request-Id?",
                    err,
                )? {
                    return Err(unknown);
                }
                writeln!(out, "Sending the purchase again (Client-Request-Id {id})").map_err(io)?;
                outcome = purchase::resend(&session.client, &session.journal, body, &id).await;
            }
        }
    }
}

fn report_ambiguous(
    sent_at: &str,
    reason: &ApiFailure,
    candidates: &[FoundOrder],
    lookup_failed: Option<&ApiFailure>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let mut headline = crate::api::failure::ambiguity(reason, true);
    headline[..1].make_ascii_uppercase();
    writeln!(out, "{headline}.").map_err(io)?;
    match (candidates.is_empty(), lookup_failed) {
        (false, _) => {
            writeln!(out, "FlexusL orders created since {sent_at}:").map_err(io)?;
            for order in candidates {
                writeln!(out, "  {}  {}", order.order_id(), order.describe(sent_at)).map_err(io)?;
            }
        }
        (true, None) => {
            writeln!(out, "No FlexusL order created since {sent_at} was found.").map_err(io)?;
        }
        (true, Some(failure)) => {
            writeln!(
                out,
                "Could not look for orders created since {sent_at}: {failure}"
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

/// `flexus resend CLIENT_REQUEST_ID [--yes]`: sends a journaled purchase of
/// unknown outcome again, with its own Client-Request-Id, body and
/// endpoint, after looking once more for an order it placed.
pub fn resend(
    catalog: &Catalog,
    prices: &PriceTable,
    args: &ResendArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    ClientRequestId::parse(&args.client_request_id)
        .map_err(|why| Failure::new(EXIT_INVALID, why))?;
    let session = connect(&args.connect)?;
    let (id, record) = unresolved_purchase(&session.journal, &args.client_request_id)?;
    let Some(record) = record else {
        return Err(Failure::new(
            EXIT_INVALID,
            format!(
                "the journal record of purchase {id} is damaged, so what it ordered cannot be \
                 read and it cannot be sent again; nothing was sent. Check the console's order \
                 list, then `flexus abandon {id}` or `flexus claim {id} ORDER_ID`"
            ),
        ));
    };
    let out = &mut Unbreakable(out);
    let err = &mut Unbreakable(err);
    let io = output_failure;
    let draft = crate::domain::order::Draft::from_request_body(&record.body);
    write!(err, "{}", Summary::new(catalog, prices, &draft).to_text()).map_err(io)?;
    writeln!(
        err,
        "{:<16}first sent at {} to {}, {} send{} so far",
        "Purchase",
        record.first_sent_at,
        record.endpoint,
        record.attempts,
        if record.attempts == 1 { "" } else { "s" }
    )
    .map_err(io)?;
    confirm(
        args.yes,
        "Send this purchase again? If its first send placed an order that is not yet listed, \
         you would buy twice.",
        "resending",
        err,
    )?;
    session.rt.block_on(place(
        &session,
        &record.body,
        Start::Resend(id),
        args.yes,
        out,
        err,
    ))
}

/// `flexus abandon CLIENT_REQUEST_ID [--yes]`: the user's word, after a
/// lost answer, that the purchase placed no order. Only the journal
/// changes.
pub fn abandon(
    args: &AbandonArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let journal = open_journal()?;
    let (id, record) = unresolved_purchase(&journal, &args.client_request_id)?;
    let described = match &record {
        Some(record) => format!(
            "{}, sent at {}, {}",
            record.body.describe(),
            record.first_sent_at,
            record.state_text()
        ),
        None => "its journal record is damaged, so what it ordered cannot be read".to_string(),
    };
    writeln!(err, "Purchase {id}: {described}.").map_err(output_failure)?;
    confirm(
        args.yes,
        "Record that it placed no order? Check the console's order list first: if it did place \
         one, it would no longer be followed.",
        "recording it",
        err,
    )?;
    purchase::nothing_placed(&journal, &id).map_err(api_failure)?;
    writeln!(
        out,
        "Recorded: purchase {id} placed no order; it will never be sent again."
    )
    .map_err(output_failure)?;
    Ok(())
}

/// `flexus dismiss CLIENT_REQUEST_ID ORDER_ID`: the user's word, after a
/// lost answer, that this found order is not that purchase.
pub fn dismiss(args: &DismissArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let journal = open_journal()?;
    let (id, record) = unresolved_purchase(&journal, &args.client_request_id)?;
    let order_id = order_id_argument(&args.order_id)?;
    let order_id = order_id.as_str();
    purchase::dismiss(&journal, &id, order_id).map_err(api_failure)?;
    let left = match record.as_ref().map(|r| &r.state) {
        Some(PurchaseState::Ambiguous { candidates, .. }) => {
            candidates.iter().filter(|c| c.as_str() != order_id).count()
        }
        _ => 0,
    };
    writeln!(
        out,
        "Recorded: order {order_id} is not purchase {id}; lookups leave it out from now on.{}",
        if left == 0 {
            format!(" To send the purchase again: `flexus resend {id}`.")
        } else {
            format!(" {left} other found order(s) remain to claim or dismiss (`flexus orders`).")
        }
    )
    .map_err(output_failure)?;
    Ok(())
}

/// A purchase of the journal whose outcome is unknown, by its ID as the
/// user typed it; `None` for one whose intent is damaged (its body and
/// state cannot be read, but it can be settled).
fn unresolved_purchase(
    journal: &Journal,
    typed: &str,
) -> Result<(ClientRequestId, Option<PurchaseRecord>), Failure> {
    let id = ClientRequestId::parse(typed).map_err(|why| Failure::new(EXIT_INVALID, why))?;
    let unreadable = |e: std::io::Error| {
        Failure::new(EXIT_FAILURE, format!("cannot read the order journal: {e}"))
    };
    let Some(record) = journal.purchase(id.as_str()).map_err(unreadable)? else {
        let hidden = journal.hidden_unresolved().map_err(unreadable)?;
        if hidden
            .iter()
            .any(|d| d.client_request_id.as_deref() == Some(id.as_str()))
        {
            return Ok((id, None));
        }
        return Err(Failure::new(
            EXIT_INVALID,
            format!("the journal has no purchase {id}; `flexus orders` lists them"),
        ));
    };
    match &record.state {
        PurchaseState::Unanswered | PurchaseState::Ambiguous { .. } => Ok((id, Some(record))),
        PurchaseState::Placed => Err(Failure::new(
            EXIT_INVALID,
            format!(
                "purchase {id} is already known as order {}; nothing was changed",
                record.order_id.as_deref().unwrap_or("-")
            ),
        )),
        PurchaseState::Rejected(_) | PurchaseState::NothingPlaced => Err(Failure::new(
            EXIT_INVALID,
            format!(
                "purchase {id} is {}, so it placed no order; nothing was changed",
                record.state_text()
            ),
        )),
    }
}

fn status_line(order_id: &str, info: &OrderInfo) -> String {
    match info.status {
        status::COMPLETED => format!("Order {order_id}: completed, the instances are created"),
        status::PENDING_PAYMENT => match &info.pending_payment_end_time {
            Some(deadline) => {
                format!("Order {order_id}: pending payment, to be paid before {deadline}")
            }
            None => format!("Order {order_id}: pending payment"),
        },
        other => format!("Order {order_id}: {}", status::describe(other)),
    }
}

/// Follows an order to its end, one line per state change. With
/// `just_placed` (the order this command placed), an order waiting for
/// payment ends the command (a script should not wait a day for a person
/// to pay), and losing sight of the order exits with
/// [`EXIT_UNKNOWN_OUTCOME`]: the usual failure code would tell a script
/// that nothing was bought, and it might buy again.
async fn follow(
    session: &Session,
    order_id: &str,
    instance_ids: &[String],
    just_placed: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let stop_on_pending = just_placed;
    let lost_sight = |why: String| {
        if just_placed {
            Failure::new(
                EXIT_UNKNOWN_OUTCOME,
                format!(
                    "order {order_id} was placed, but flexus could not follow it to the end: \
                     {why}. Do not order again: check it with `flexus status {order_id} --watch`"
                ),
            )
        } else {
            Failure::new(
                EXIT_FAILURE,
                format!("stopped following order {order_id}: {why}"),
            )
        }
    };
    let io = output_failure;
    let (tx, mut rx) = mpsc::channel(16);
    let tracker = tokio::spawn(tracking::track(
        session.client.clone(),
        order_id.to_string(),
        session.track.clone(),
        tx,
    ));
    let mut shown: Option<i32> = None;
    let result = loop {
        let Some(event) = rx.recv().await else {
            break Err(lost_sight(format!(
                "the tracking stopped; check it with `flexus status {order_id}`"
            )));
        };
        match event {
            TrackEvent::Polled(details) => {
                let info = &details.order_info;
                if shown != Some(info.status) {
                    writeln!(out, "{}", status_line(order_id, info)).map_err(io)?;
                    shown = Some(info.status);
                }
                if stop_on_pending && info.status == status::PENDING_PAYMENT {
                    break Err(Failure::new(
                        EXIT_PENDING_PAYMENT,
                        format!(
                            "order {order_id} waits for payment{}. Pay it with `flexus pay \
                             {order_id}` (or in the console), which then follows it to the end",
                            info.pending_payment_end_time
                                .as_deref()
                                .map(|t| format!(" until {t}"))
                                .unwrap_or_default()
                        ),
                    ));
                }
            }
            TrackEvent::PollFailed {
                failure, retry_in, ..
            } => {
                writeln!(
                    out,
                    "  could not check the order ({}); trying again in {}",
                    failure_brief(&failure),
                    seconds(retry_in)
                )
                .map_err(io)?;
            }
            TrackEvent::NextPollIn(_) => {}
            TrackEvent::Finished {
                status: Some(status::COMPLETED),
                ..
            } => {
                if !instance_ids.is_empty() {
                    writeln!(out, "Instances: {}", instance_ids.join(", ")).map_err(io)?;
                }
                break Ok(());
            }
            TrackEvent::Finished {
                status: Some(status::CANCELLED),
                ..
            } => {
                break Err(Failure::new(
                    EXIT_FAILURE,
                    format!("order {order_id} was cancelled; nothing was bought"),
                ));
            }
            TrackEvent::Finished { failure, .. } => {
                let why = failure.map_or_else(|| "no reason given".to_string(), |f| f.to_string());
                break Err(lost_sight(why));
            }
        }
    };
    drop(rx);
    tracker.abort();
    result
}

fn failure_brief(f: &ApiFailure) -> String {
    match (f.status, &f.code) {
        (Some(s), Some(c)) => format!("{}, HTTP {s}, {c}", f.message),
        (Some(s), None) => format!("{}, HTTP {s}", f.message),
        (None, _) => f.message.clone(),
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

/// `flexus status ORDER_ID [--watch]`.
pub fn status(args: &StatusArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let order_id = order_id_argument(&args.order_id)?;
    let order_id = order_id.as_str();
    let session = connect(&args.connect)?;
    session.rt.block_on(async {
        if args.watch {
            let instances = known_instances(&session.journal, order_id);
            follow(&session, order_id, &instances, false, out).await
        } else {
            let details = session
                .client
                .order_details(order_id)
                .await
                .map_err(api_failure)?;
            write_details(order_id, &details, out)
        }
    })
}

fn known_instances(journal: &Journal, order_id: &str) -> Vec<String> {
    journal
        .purchase_of_order(order_id)
        .ok()
        .flatten()
        .map(|p| p.instance_ids)
        .unwrap_or_default()
}

fn write_details(
    order_id: &str,
    details: &OrderDetails,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let info = &details.order_info;
    writeln!(out, "{}", status_line(order_id, info)).map_err(io)?;
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(t) = &info.create_time {
        facts.push(("Created", t.clone()));
    }
    if let Some(t) = &info.payment_time {
        facts.push(("Paid", t.clone()));
    }
    if let Some(amount) = info.amount_text() {
        facts.push(("Amount", amount));
    }
    for item in &details.order_line_items {
        let mut text = item
            .product_spec_desc
            .clone()
            .unwrap_or_else(|| "item".to_string());
        if let Some(n) = item.subscription_num {
            text.push_str(&format!(" x {n}"));
        }
        if let Some(expire) = &item.expire_time {
            text.push_str(&format!(", until {expire}"));
        }
        facts.push(("Item", text));
    }
    for (label, value) in facts {
        writeln!(out, "  {label:<9}{value}").map_err(io)?;
    }
    Ok(())
}

/// How many purchases `flexus orders` shows without `--all`.
const ORDERS_SHOWN: usize = 20;

/// `flexus orders`: the newest purchases in the journal (all with `--all`),
/// each with its last known state, and every damaged record with what can
/// still be read of it. Reads only the local journal.
pub fn orders(args: &OrdersArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let io = output_failure;
    let journal = open_journal()?;
    let listing = journal
        .recent((!args.all).then_some(ORDERS_SHOWN))
        .map_err(|e| {
            Failure::new(
                EXIT_FAILURE,
                format!(
                    "cannot read the order journal {}: {e}",
                    journal.path().display()
                ),
            )
        })?;
    let records = &listing.purchases;
    if args.json {
        for record in records {
            let line = serde_json::json!({
                "client_request_id": record.client_request_id,
                "sent_at": record.first_sent_at,
                "attempts": record.attempts,
                "endpoint": record.endpoint,
                "order_id": record.order_id,
                "instance_ids": record.instance_ids,
                "state": record.state_text(),
                "status": record.last_status.as_ref().map(|(s, _)| *s),
                "body": record.body,
            });
            writeln!(out, "{line}").map_err(io)?;
        }
    } else if records.is_empty() && listing.damaged.is_empty() {
        writeln!(
            out,
            "No purchases recorded in {} yet.",
            journal.path().display()
        )
        .map_err(io)?;
        return Ok(());
    } else if !records.is_empty() {
        writeln!(
            out,
            "{:<22}{:<22}{:<34}ORDER",
            "SENT (UTC)", "ORDER ID", "STATE"
        )
        .map_err(io)?;
        for record in records {
            writeln!(
                out,
                "{:<22}{:<22}{:<34}{}",
                record.first_sent_at,
                record.order_id.as_deref().unwrap_or("-"),
                record.state_text(),
                record.body.describe()
            )
            .map_err(io)?;
        }
    }
    // With --json, stdout stays one purchase per line; the rest is for people.
    let notes: &mut dyn Write = if args.json { &mut *err } else { &mut *out };
    if listing.more > 0 {
        writeln!(
            notes,
            "{} older purchase{} not shown; `flexus orders --all` lists every one.",
            listing.more,
            if listing.more == 1 { "" } else { "s" }
        )
        .map_err(io)?;
    }
    for damaged in &listing.damaged {
        writeln!(notes, "{}", damaged_text(damaged, journal.path())).map_err(io)?;
    }
    if args.json {
        return Ok(());
    }
    for record in records.iter().filter(|r| r.is_unresolved()) {
        let id = &record.client_request_id;
        let ways = if record.found.is_empty() {
            format!(
                "run the same `flexus order` again to look in the order list, `flexus resend \
                 {id}` to send it again, or `flexus abandon {id}` if the console shows it placed \
                 nothing"
            )
        } else {
            format!(
                "orders found then: {}. If one is this purchase, record it with `flexus claim \
                 {id} ORDER_ID`; if one is not, `flexus dismiss {id} ORDER_ID`",
                record.found.join(", ")
            )
        };
        writeln!(
            out,
            "Unknown outcome: the purchase sent at {} (Client-Request-Id {id}) may have placed an \
             order. Check with `flexus status ORDER_ID` or the console before ordering again; \
             {ways}.",
            record.last_sent_at
        )
        .map_err(io)?;
    }
    Ok(())
}

/// A damaged record in plain words, with the way to find out what it was.
fn damaged_text(d: &crate::api::journal::DamagedRecord, path: &std::path::Path) -> String {
    let what = match (&d.event, &d.at) {
        (Some(event), Some(at)) => format!(" (a {} record of {at})", event.replace('_', " ")),
        (Some(event), None) => format!(" (a {} record)", event.replace('_', " ")),
        _ => String::new(),
    };
    let id = d.client_request_id.as_deref().unwrap_or("unreadable");
    let next = match &d.order_id {
        Some(order) => {
            format!("order {order}. Check it with `flexus status {order}` before ordering again.")
        }
        None => "no order ID readable. Check the orders in the console around that time \
                 before ordering again."
            .to_string(),
    };
    format!(
        "Damaged record at {} of {}{what}: Client-Request-Id {id}, {next}",
        d.place,
        path.display()
    )
}

/// An ORDER_ID argument, checked before anything is sent, stored or
/// printed; the error never repeats what was given.
fn order_id_argument(text: &str) -> Result<OrderId, Failure> {
    OrderId::parse(text).map_err(|why| {
        Failure::new(
            EXIT_INVALID,
            format!(
                "the order ID {why}. Give it as `flexus orders` or the console shows it, e.g. \
                 CS24022811305H1EW"
            ),
        )
    })
}

/// `flexus claim CLIENT_REQUEST_ID ORDER_ID`: the user's word, after a lost
/// answer, that this order is that purchase. Only the journal changes.
pub fn claim(args: &ClaimArgs, out: &mut dyn Write) -> Result<(), Failure> {
    let journal = open_journal()?;
    let (id, _) = unresolved_purchase(&journal, &args.client_request_id)?;
    let order_id = order_id_argument(&args.order_id)?;
    let order_id = order_id.as_str();
    purchase::claim(&journal, &id, order_id).map_err(api_failure)?;
    writeln!(
        out,
        "Recorded: purchase {id} is order {order_id}; it will never be sent again. \
         Follow it with `flexus status {order_id} --watch`."
    )
    .map_err(output_failure)?;
    Ok(())
}

/// `flexus pay ORDER_ID [--yes]`: pays an order pending payment, then
/// follows it to the end.
pub fn pay(args: &PayArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
    let order_id = order_id_argument(&args.order_id)?.to_string();
    let session = connect(&args.connect)?;
    let rt = &session.rt;
    let details = rt
        .block_on(session.client.order_details(&order_id))
        .map_err(api_failure)?;
    let info = &details.order_info;
    if info.status != status::PENDING_PAYMENT {
        return Err(Failure::new(
            EXIT_FAILURE,
            format!(
                "order {order_id} is {}, not pending payment; there is nothing to pay",
                status::describe(info.status)
            ),
        ));
    }
    write_details(&order_id, &details, err)?;
    confirm(
        args.yes,
        &format!(
            "Pay order {order_id}{} from the account balance?",
            info.amount_text()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default()
        ),
        "paying",
        err,
    )?;
    rt.block_on(async {
        let paid = purchase::pay(&session.client, &session.journal, &order_id).await;
        paid.map_err(|f| {
            Failure::new(EXIT_FAILURE, format!("order {order_id} was not paid: {f}"))
        })?;
        writeln!(out, "Order {order_id}: payment sent").map_err(output_failure)?;
        let instances = known_instances(&session.journal, &order_id);
        follow(&session, &order_id, &instances, false, out).await
    })
}
