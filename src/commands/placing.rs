//! Sending a purchase and seeing it through, for `order` and `resend`
//! alike: the send (or resend), a lost answer reported with the orders
//! found since, the offer to resend when nothing was found, and the
//! following of a placed order.

use std::future::Future;
use std::io::{IsTerminal, Write};

use tokio::sync::mpsc;

use super::common::{Session, ask};
use super::follow::follow;
use crate::api::client::Client;
use crate::api::engine::{ApiFailure, SubmitOutcome};
use crate::api::ids::ClientRequestId;
use crate::api::purchase::{self, FoundOrder};
use crate::domain::order::RequestBody;
use crate::domain::when::dated_stamp;
use crate::exit::{EXIT_FAILURE, EXIT_UNKNOWN_OUTCOME, EXIT_UNRECORDED, Failure, output_failure};

/// How a purchase begins: a new one, or a resend of a journaled one.
pub(super) enum Start {
    New {
        id: ClientRequestId,
        separate_from: Vec<String>,
    },
    Resend(ClientRequestId),
}

pub(super) async fn place(
    session: &Session,
    body: &RequestBody,
    start: Start,
    // --yes or --no-input: a lost answer ends the command, never a question.
    never_ask: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let (id, mut outcome) = match start {
        Start::New { id, separate_from } => {
            writeln!(out, "{}", tr!("cmd.place.submitting", id = &id)).map_err(io)?;
            let (this, separate_from) = (&id, &separate_from);
            let outcome = telling_waits(session, err, |client| async move {
                purchase::submit(&client, &session.journal, body, this, separate_from).await
            })
            .await?;
            (id, outcome)
        }
        Start::Resend(id) => {
            writeln!(out, "{}", tr!("cmd.place.resending", id = &id)).map_err(io)?;
            let this = &id;
            let outcome = telling_waits(session, err, |client| async move {
                purchase::resend(&client, &session.journal, body, this).await
            })
            .await?;
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
                let placed = if instance_ids.is_empty() {
                    tr!("cmd.place.placed_unannounced", order = &order_id)
                } else {
                    tr!(
                        "cmd.place.placed",
                        order = &order_id,
                        ids = instance_ids.join(", ")
                    )
                };
                writeln!(out, "{placed}").map_err(io)?;
                let Some(why) = unrecorded else {
                    return follow(session, &order_id, &instance_ids, true, out).await;
                };
                writeln!(
                    err,
                    "{}",
                    tr!(
                        "cmd.place.unrecorded_warning",
                        order = &order_id,
                        why = &why
                    )
                )
                .map_err(io)?;
                let followed = follow(session, &order_id, &instance_ids, true, out).await;
                let end = match &followed {
                    Ok(()) => tr!("cmd.place.it_completed"),
                    Err(f) => f.message.clone(),
                };
                return Err(Failure::new(
                    EXIT_UNRECORDED,
                    tr!(
                        "cmd.place.unrecorded",
                        order = &order_id,
                        why = &why,
                        end = end
                    ),
                ));
            }
            SubmitOutcome::Rejected(failure) => {
                return Err(Failure::new(
                    EXIT_FAILURE,
                    tr!("cmd.place.not_placed", why = &failure),
                )
                .answering(&failure));
            }
            SubmitOutcome::Ambiguous {
                client_request_id,
                sent_at,
                reason,
                candidates,
                lookup_failed,
            } => {
                report_ambiguous(
                    &sent_at,
                    &session.zone,
                    &reason,
                    &candidates,
                    lookup_failed.as_ref(),
                    out,
                )?;
                let unknown = Failure::new(
                    EXIT_UNKNOWN_OUTCOME,
                    if candidates.is_empty() {
                        tr!("cmd.place.unknown_none_found", id = &client_request_id)
                    } else {
                        tr!("cmd.place.unknown_found", id = &client_request_id)
                    },
                );
                // A found order may be this purchase: resending is not
                // offered until the user has claimed or dismissed it.
                if never_ask || !candidates.is_empty() || !std::io::stdin().is_terminal() {
                    return Err(unknown);
                }
                if !ask(&tr!("cmd.place.ask_resend"), never_ask, err)? {
                    return Err(unknown);
                }
                writeln!(out, "{}", tr!("cmd.place.resending", id = &id)).map_err(io)?;
                let this = &id;
                outcome = telling_waits(session, err, |client| async move {
                    purchase::resend(&client, &session.journal, body, this).await
                })
                .await?;
            }
        }
    }
}

/// Sends with a client that reports each wait before a retry, and writes
/// one line to `err` per wait as it starts: the service may ask for a
/// minute, several times, and a person or a script's log should see why
/// nothing happens.
async fn telling_waits<'a, Sending>(
    session: &'a Session,
    err: &mut dyn Write,
    send: impl FnOnce(Client) -> Sending,
) -> Result<SubmitOutcome, Failure>
where
    Sending: Future<Output = SubmitOutcome> + 'a,
{
    let (waits_tx, mut waits) = mpsc::channel(8);
    let sending = send(session.client.reporting_waits(waits_tx));
    tokio::pin!(sending);
    let mut tell = |wait: crate::api::engine::RetryWait| {
        let line = sentence(wait.describe(&session.zone));
        writeln!(err, "{line}").map_err(output_failure)
    };
    loop {
        tokio::select! {
            outcome = &mut sending => {
                while let Ok(wait) = waits.try_recv() {
                    tell(wait)?;
                }
                return Ok(outcome);
            }
            Some(wait) = waits.recv() => tell(wait)?,
        }
    }
}

fn report_ambiguous(
    sent_at: &str,
    zone: &jiff::tz::TimeZone,
    reason: &ApiFailure,
    candidates: &[FoundOrder],
    lookup_failed: Option<&ApiFailure>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let headline = sentence(crate::api::failure::ambiguity(reason, true));
    writeln!(out, "{}", tr!("cmd.place.headline", text = headline)).map_err(io)?;
    let sent = dated_stamp(sent_at, zone);
    match (candidates.is_empty(), lookup_failed) {
        (false, _) => {
            writeln!(out, "{}", tr!("cmd.place.created_since", sent = &sent)).map_err(io)?;
            for order in candidates {
                let described = order.describe(sent_at, zone);
                writeln!(out, "  {}  {described}", order.order_id()).map_err(io)?;
            }
        }
        (true, None) => {
            writeln!(out, "{}", tr!("cmd.place.none_since", sent = &sent)).map_err(io)?;
        }
        (true, Some(failure)) => {
            writeln!(
                out,
                "{}",
                tr!("cmd.place.look_failed", sent = &sent, why = failure)
            )
            .map_err(io)?;
        }
    }
    Ok(())
}

/// A clause made a sentence's start: its first letter upper case where it
/// has one (a Chinese sentence starts as it is).
fn sentence(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}
