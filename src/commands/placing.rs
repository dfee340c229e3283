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
            writeln!(out, "Submitting the order (Client-Request-Id {id})").map_err(io)?;
            let (this, separate_from) = (&id, &separate_from);
            let outcome = telling_waits(session, err, |client| async move {
                purchase::submit(&client, &session.journal, body, this, separate_from).await
            })
            .await?;
            (id, outcome)
        }
        Start::Resend(id) => {
            writeln!(out, "Sending the purchase again (Client-Request-Id {id})").map_err(io)?;
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
                if never_ask || !candidates.is_empty() || !std::io::stdin().is_terminal() {
                    return Err(unknown);
                }
                if !ask(
                    "Send the same purchase again, with the same Client-Request-Id?",
                    never_ask,
                    err,
                )? {
                    return Err(unknown);
                }
                writeln!(out, "Sending the purchase again (Client-Request-Id {id})").map_err(io)?;
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
        let mut line = wait.describe(&session.zone);
        // A Chinese sentence has no case, and its first character is more than a byte.
        if let Some(first) = line.get_mut(..1) {
            first.make_ascii_uppercase();
        }
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
    let mut headline = crate::api::failure::ambiguity(reason, true);
    // A Chinese sentence has no case, and its first character is more than a byte.
    if let Some(first) = headline.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    writeln!(out, "{headline}.").map_err(io)?;
    let sent = dated_stamp(sent_at, zone);
    match (candidates.is_empty(), lookup_failed) {
        (false, _) => {
            writeln!(out, "FlexusL orders created since {sent}:").map_err(io)?;
            for order in candidates {
                let described = order.describe(sent_at, zone);
                writeln!(out, "  {}  {described}", order.order_id()).map_err(io)?;
            }
        }
        (true, None) => {
            writeln!(out, "No FlexusL order created since {sent} was found.").map_err(io)?;
        }
        (true, Some(failure)) => {
            writeln!(
                out,
                "Could not look for orders created since {sent}: {failure}"
            )
            .map_err(io)?;
        }
    }
    Ok(())
}
