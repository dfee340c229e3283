//! How an order is shown and followed: its state in one line, its details,
//! and the following of it to its end, one line per state change.

use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;

use super::common::Session;
use crate::api::engine::TrackEvent;
use crate::api::journal::Journal;
use crate::api::tracking;
use crate::api::wire::{OrderDetails, OrderInfo, status};
use crate::domain::when::{dated_stamp, duration_text};
use crate::exit::{
    EXIT_FAILURE, EXIT_PENDING_PAYMENT, EXIT_UNKNOWN_OUTCOME, Failure, output_failure,
};
use jiff::tz::TimeZone;

fn status_line(order_id: &str, info: &OrderInfo, zone: &TimeZone) -> String {
    match info.status {
        status::COMPLETED => format!("Order {order_id}: completed, the instances are created"),
        status::PENDING_PAYMENT => match &info.pending_payment_end_time {
            Some(deadline) => format!(
                "Order {order_id}: pending payment, to be paid before {}",
                dated_stamp(deadline, zone)
            ),
            None => format!("Order {order_id}: pending payment"),
        },
        other => format!("Order {order_id}: {}", status::describe(other)),
    }
}

/// Follows an order to its end, one line per state change, and a line
/// when nothing changed for as long as the slowest check waits (a minute),
/// so a script's log shows the follower alive and when it looks next. With
/// `just_placed` (the order this command placed), an order waiting for
/// payment ends the command (a script should not wait a day for a person
/// to pay), and losing sight of the order exits with
/// [`EXIT_UNKNOWN_OUTCOME`]: the usual failure code would tell a script
/// that nothing was bought, and it might buy again.
pub(super) async fn follow(
    session: &Session,
    order_id: &str,
    instance_ids: &[String],
    just_placed: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    follow_to(
        session,
        order_id,
        instance_ids,
        just_placed,
        Wanted::Completed,
        out,
    )
    .await
}

/// What ending counts as success when following an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    /// The instances are created.
    Completed,
    /// The order is cancelled (the user asked for it).
    Cancelled,
}

pub(super) async fn follow_to(
    session: &Session,
    order_id: &str,
    instance_ids: &[String],
    just_placed: bool,
    wanted: Wanted,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    follow_telling(
        session,
        order_id,
        instance_ids,
        just_placed,
        wanted,
        out,
        &mut |_| Ok(()),
    )
    .await
}

/// What is told of each change of an order's state besides its line on
/// `out` (`status --watch --json`: one object per change).
pub(super) type OnChange<'a> = dyn FnMut(&OrderDetails) -> Result<(), Failure> + 'a;

/// [`follow_to`], handing each change of state to `on_change` as well.
pub(super) async fn follow_telling(
    session: &Session,
    order_id: &str,
    instance_ids: &[String],
    just_placed: bool,
    wanted: Wanted,
    out: &mut dyn Write,
    on_change: &mut OnChange<'_>,
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
    let quiet_limit = session.track.pending_payment_max_interval;
    let mut changed_at = tokio::time::Instant::now();
    let mut said_at = changed_at;
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
                    writeln!(out, "{}", status_line(order_id, info, &session.zone)).map_err(io)?;
                    on_change(&details)?;
                    shown = Some(info.status);
                    changed_at = tokio::time::Instant::now();
                    said_at = changed_at;
                }
                if stop_on_pending && info.status == status::PENDING_PAYMENT {
                    break Err(Failure::new(
                        EXIT_PENDING_PAYMENT,
                        format!(
                            "order {order_id} waits for payment{}. Pay it with `flexus pay \
                             {order_id}` (or in the console), which then follows it to the end",
                            info.pending_payment_end_time
                                .as_deref()
                                .map(|t| format!(" until {}", dated_stamp(t, &session.zone)))
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
                    "  could not check the order: {}{}; trying again in {}",
                    failure.message,
                    failure.answer_text(),
                    duration_text(retry_in)
                )
                .map_err(io)?;
                said_at = tokio::time::Instant::now();
            }
            TrackEvent::NextPollIn(after) => {
                let now = tokio::time::Instant::now();
                if let Some(current) = shown
                    && now - said_at >= quiet_limit
                {
                    writeln!(
                        out,
                        "Order {order_id}: still {}, nothing changed for {} (next check in {})",
                        status::describe(current),
                        quiet_text(now - changed_at),
                        duration_text(after)
                    )
                    .map_err(io)?;
                    said_at = now;
                }
            }
            TrackEvent::Finished {
                status: Some(status::COMPLETED),
                ..
            } if wanted == Wanted::Cancelled => {
                // Paid (elsewhere) before the cancellation took: bought.
                break Err(Failure::new(
                    EXIT_FAILURE,
                    format!("order {order_id} completed; it was not cancelled and is bought"),
                ));
            }
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
            } if wanted == Wanted::Cancelled => break Ok(()),
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

/// "3 min" once it is a minute or more; seconds below that.
fn quiet_text(d: Duration) -> String {
    if d >= Duration::from_secs(60) {
        format!("{} min", d.as_secs() / 60)
    } else {
        duration_text(d)
    }
}

pub(super) fn known_instances(journal: &Journal, order_id: &str) -> Vec<String> {
    journal
        .purchase_of_order(order_id)
        .ok()
        .flatten()
        .map(|p| p.instance_ids)
        .unwrap_or_default()
}

pub(super) fn write_details(
    order_id: &str,
    details: &OrderDetails,
    zone: &TimeZone,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let io = output_failure;
    let info = &details.order_info;
    writeln!(out, "{}", status_line(order_id, info, zone)).map_err(io)?;
    let mut facts: Vec<(&str, String)> = Vec::new();
    if let Some(t) = &info.create_time {
        facts.push(("Created", dated_stamp(t, zone)));
    }
    if let Some(t) = &info.payment_time {
        facts.push(("Paid", dated_stamp(t, zone)));
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
            text.push_str(&format!(", until {}", dated_stamp(expire, zone)));
        }
        facts.push(("Item", text));
    }
    for (label, value) in facts {
        writeln!(out, "  {label:<9}{value}").map_err(io)?;
    }
    Ok(())
}

/// The order's details, shown on `err`, when it waits for payment;
/// otherwise a refusal saying what it is, and `why_not` (what only an order
/// pending payment allows).
pub(super) fn pending_payment(
    session: &Session,
    order_id: &str,
    why_not: &str,
    err: &mut dyn Write,
) -> Result<crate::api::wire::OrderDetails, Failure> {
    let details = session
        .rt
        .block_on(session.client.order_details(order_id))
        .map_err(super::common::api_failure)?;
    let info = &details.order_info;
    if info.status != status::PENDING_PAYMENT {
        return Err(Failure::new(
            EXIT_FAILURE,
            format!(
                "order {order_id} is {}, not pending payment; {why_not}",
                status::describe(info.status)
            ),
        ));
    }
    write_details(order_id, &details, &session.zone, err)?;
    Ok(details)
}
