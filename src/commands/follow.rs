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
        status::COMPLETED => tr!("cmd.follow.completed", order = order_id),
        status::PENDING_PAYMENT => match &info.pending_payment_end_time {
            Some(deadline) => tr!(
                "cmd.follow.pending_until",
                order = order_id,
                deadline = dated_stamp(deadline, zone)
            ),
            None => tr!("cmd.follow.pending", order = order_id),
        },
        other => tr!(
            "cmd.follow.state",
            order = order_id,
            state = status::describe(other)
        ),
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
                tr!("cmd.follow.lost_sight_placed", order = order_id, why = why),
            )
        } else {
            Failure::new(
                EXIT_FAILURE,
                tr!("cmd.follow.stopped", order = order_id, why = why),
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
            break Err(lost_sight(tr!(
                "cmd.follow.tracking_stopped",
                order = order_id
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
                    let waits = match info.pending_payment_end_time.as_deref() {
                        Some(t) => tr!(
                            "cmd.follow.waits_until",
                            order = order_id,
                            deadline = dated_stamp(t, &session.zone)
                        ),
                        None => tr!("cmd.follow.waits", order = order_id),
                    };
                    break Err(Failure::new(EXIT_PENDING_PAYMENT, waits));
                }
            }
            TrackEvent::PollFailed {
                failure, retry_in, ..
            } => {
                writeln!(
                    out,
                    "  {}",
                    tr!(
                        "cmd.follow.poll_failed",
                        why = format!("{}{}", failure.message, failure.answer_text()),
                        retry_in = duration_text(retry_in)
                    )
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
                        "{}",
                        tr!(
                            "cmd.follow.still",
                            order = order_id,
                            state = status::describe(current),
                            quiet = quiet_text(now - changed_at),
                            next = duration_text(after)
                        )
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
                    tr!("cmd.follow.completed_not_cancelled", order = order_id),
                ));
            }
            TrackEvent::Finished {
                status: Some(status::COMPLETED),
                ..
            } => {
                if !instance_ids.is_empty() {
                    writeln!(
                        out,
                        "{}",
                        tr!(
                            "cmd.follow.instances",
                            ids = instance_ids.join(&tr!("core.list.separator"))
                        )
                    )
                    .map_err(io)?;
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
                    tr!("cmd.follow.cancelled", order = order_id),
                ));
            }
            TrackEvent::Finished { failure, .. } => {
                let why = failure.map_or_else(|| tr!("cmd.follow.no_reason"), |f| f.to_string());
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
        tr!("cmd.follow.minutes", count = d.as_secs() / 60)
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
    let mut facts: Vec<(String, String)> = Vec::new();
    if let Some(t) = &info.create_time {
        facts.push((tr!("cmd.details.created"), dated_stamp(t, zone)));
    }
    if let Some(t) = &info.payment_time {
        facts.push((tr!("cmd.details.paid"), dated_stamp(t, zone)));
    }
    if let Some(amount) = info.amount_text() {
        facts.push((tr!("cmd.details.amount"), amount));
    }
    for item in &details.order_line_items {
        let mut text = item
            .product_spec_desc
            .clone()
            .unwrap_or_else(|| tr!("cmd.details.item_unnamed"));
        if let Some(n) = item.subscription_num {
            text.push_str(&format!(" x {n}"));
        }
        if let Some(expire) = &item.expire_time {
            text = tr!(
                "cmd.details.item_until",
                item = text,
                until = dated_stamp(expire, zone)
            );
        }
        facts.push((tr!("cmd.details.item"), text));
    }
    for (label, value) in facts {
        writeln!(out, "  {}{value}", super::common::left(&label, 9)).map_err(io)?;
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
            tr!(
                "cmd.follow.not_pending",
                order = order_id,
                state = status::describe(info.status),
                why_not = why_not
            ),
        ));
    }
    write_details(order_id, &details, &session.zone, err)?;
    Ok(details)
}
