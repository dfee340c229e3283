//! Following an order until it is completed or cancelled: polls the order
//! details with a growing interval, rides out network trouble and 5xx while
//! saying so, records status changes in the journal, and reports through
//! [`TrackEvent`]s so the wizard and the CLI share one tracker.
//!
//! The pace follows what the order is doing: while it is being processed
//! the checks come every few seconds, since it completes within minutes;
//! while it waits for payment they slow to one a minute, since a person pays
//! in their own time and checking faster only spends requests against the
//! service's limits. A front end that knows a change is coming (it just
//! paid) asks for a check at once with [`CheckNow`].

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::{Notify, mpsc};

use super::client::Client;
use super::engine::{ApiFailure, TrackEvent};
use super::journal::{Entry, Journal};
use super::wire::bss_time;
use super::wire::status;

/// Poll timing and where status changes are recorded.
#[derive(Debug, Clone)]
pub struct TrackOptions {
    /// The wait after the first poll; it grows by `growth` each poll.
    pub first_interval: Duration,
    /// The longest wait while the order is anything but pending payment.
    pub max_interval: Duration,
    /// The longest wait while the order waits for payment.
    pub pending_payment_max_interval: Duration,
    pub growth: f64,
    /// Consecutive failed polls after which tracking gives up (`None`:
    /// never; the wizard stops it when the user leaves).
    pub give_up_after: Option<u32>,
    /// Status changes are appended here when set.
    pub journal: Option<Journal>,
    /// Cuts a wait short when the front end asks (see [`CheckNow`]).
    pub check_now: Option<CheckNow>,
}

impl Default for TrackOptions {
    fn default() -> Self {
        TrackOptions {
            first_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(15),
            pending_payment_max_interval: Duration::from_secs(60),
            growth: 1.5,
            // About ten minutes at the in-progress pace (forty while the
            // order waits for payment).
            give_up_after: Some(40),
            journal: None,
            check_now: None,
        }
    }
}

impl TrackOptions {
    /// The wait after `current`, for an order last seen in `last_status`.
    fn next(&self, current: Duration, last_status: Option<i32>) -> Duration {
        let cap = if last_status == Some(status::PENDING_PAYMENT) {
            self.pending_payment_max_interval
        } else {
            self.max_interval
        };
        current.mul_f64(self.growth.max(1.0)).min(cap)
    }

    /// Waits `interval`, or less when a check was asked for meanwhile (or
    /// during the poll just made); says which.
    async fn wait(&self, interval: Duration) -> Waited {
        match &self.check_now {
            Some(check_now) => tokio::select! {
                _ = tokio::time::sleep(interval) => Waited::Out,
                _ = check_now.0.notified() => Waited::Asked,
            },
            None => {
                tokio::time::sleep(interval).await;
                Waited::Out
            }
        }
    }
}

enum Waited {
    Out,
    Asked,
}

/// A front end's way to have the tracker look at once, e.g. right after it
/// paid the order: otherwise a paid order could read as pending payment for
/// up to a minute. Asking while a poll is under way is kept for the wait
/// after it, so a payment accepted during a poll is not missed.
#[derive(Debug, Clone, Default)]
pub struct CheckNow(Arc<Notify>);

impl CheckNow {
    pub fn ask(&self) {
        self.0.notify_one();
    }
}

/// Polls `order_id` until it is final, sending events to `tx`; returns the
/// final status (`None` when tracking stopped without one). Stops early,
/// quietly, when the receiver is dropped: that is how a front end cancels.
pub async fn track(
    client: Client,
    order_id: String,
    options: TrackOptions,
    tx: mpsc::Sender<TrackEvent>,
) -> Option<i32> {
    let mut interval = options.first_interval;
    let mut failures: u32 = 0;
    let mut last_status: Option<i32> = None;
    loop {
        match client.order_details_once(&order_id).await {
            Ok((details, _)) => {
                failures = 0;
                let current = details.order_info.status;
                if last_status != Some(current) {
                    if let Some(journal) = &options.journal {
                        let _ = journal.append(&Entry::Status {
                            at: bss_time(OffsetDateTime::now_utc()),
                            order_id: order_id.clone(),
                            status: current,
                            pending_payment_end_time: details
                                .order_info
                                .pending_payment_end_time
                                .clone(),
                        });
                    }
                    // Progress: look again soon.
                    if last_status.is_some() {
                        interval = options.first_interval;
                    }
                    last_status = Some(current);
                }
                if tx
                    .send(TrackEvent::Polled(Box::new(details)))
                    .await
                    .is_err()
                {
                    return None;
                }
                if status::is_final(current) {
                    let _ = tx
                        .send(TrackEvent::Finished {
                            status: Some(current),
                            failure: None,
                        })
                        .await;
                    return Some(current);
                }
                if tx.send(TrackEvent::NextPollIn(interval)).await.is_err() {
                    return None;
                }
                interval = match options.wait(interval).await {
                    Waited::Out => options.next(interval, last_status),
                    // Something is expected to change: the first pace again.
                    Waited::Asked => options.first_interval,
                };
            }
            Err((failure, retry_after)) => {
                // Billing may not know an order in the first moments after
                // the purchase accepted it: wait a few polls before taking
                // "no such order" for an answer.
                let settling = last_status.is_none()
                    && failures < UNKNOWN_ORDER_GRACE_POLLS
                    && is_unknown_order(&failure);
                if !settling && !is_transient(&failure) {
                    let _ = tx
                        .send(TrackEvent::Finished {
                            status: last_status,
                            failure: Some(failure),
                        })
                        .await;
                    return None;
                }
                failures += 1;
                if options.give_up_after.is_some_and(|limit| failures >= limit) {
                    let mut gave_up = ApiFailure {
                        next_step: tr!("core.tracking.gave_up_next", order_id = order_id),
                        ..failure
                    };
                    gave_up
                        .reword(|why| tr!("core.tracking.gave_up", failures = failures, why = why));
                    let _ = tx
                        .send(TrackEvent::Finished {
                            status: last_status,
                            failure: Some(gave_up),
                        })
                        .await;
                    return None;
                }
                // Honour the service's Retry-After, within reason.
                let retry_in = match retry_after {
                    Some(asked) => asked.min(Duration::from_secs(60)).max(interval),
                    None => interval,
                };
                if tx
                    .send(TrackEvent::PollFailed {
                        failure,
                        attempt: failures,
                        retry_in,
                    })
                    .await
                    .is_err()
                {
                    return None;
                }
                // A wait the service asked for (Retry-After) is sat out
                // whole: a payment made meanwhile does not cut it short.
                if retry_after.is_some() {
                    tokio::time::sleep(retry_in).await;
                    interval = options.next(interval, last_status);
                } else {
                    interval = match options.wait(retry_in).await {
                        Waited::Out => options.next(interval, last_status),
                        Waited::Asked => options.first_interval,
                    };
                }
            }
        }
    }
}

/// How many polls an order just placed may be unknown to billing.
const UNKNOWN_ORDER_GRACE_POLLS: u32 = 3;

/// BSS's answer for an order ID it does not know.
fn is_unknown_order(failure: &ApiFailure) -> bool {
    failure.code.as_deref() == Some(super::wire::bss_codes::INVALID_ORDER)
}

/// Worth waiting out: no answer, too many requests, or a server error. A 4xx
/// (no such order, bad credentials) will not fix itself.
fn is_transient(failure: &ApiFailure) -> bool {
    match failure.status {
        None => true,
        Some(code) => code == 429 || code >= 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The waits the tracker would make, one after another, for an order
    /// that stays in `order_status`.
    fn schedule(order_status: i32, polls: usize) -> Vec<u64> {
        let options = TrackOptions::default();
        let mut interval = options.first_interval;
        let mut waits = Vec::new();
        for _ in 0..polls {
            waits.push(interval.as_secs());
            interval = options.next(interval, Some(order_status));
        }
        waits
    }

    #[test]
    fn an_order_waiting_for_payment_is_checked_once_a_minute_at_most() {
        let waits = schedule(status::PENDING_PAYMENT, 14);
        assert_eq!(waits, [2, 3, 4, 6, 10, 15, 22, 34, 51, 60, 60, 60, 60, 60]);
    }

    #[test]
    fn an_order_in_progress_keeps_the_quick_pace() {
        let waits = schedule(status::PROCESSING, 9);
        assert_eq!(waits, [2, 3, 4, 6, 10, 15, 15, 15, 15]);
    }
}
