//! Following an order until it is completed or cancelled: polls the order
//! details with a growing interval, rides out network trouble and 5xx while
//! saying so, records status changes in the journal, and reports through
//! [`TrackEvent`]s so the wizard and the CLI share one tracker.

use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::mpsc;

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
    pub max_interval: Duration,
    pub growth: f64,
    /// Consecutive failed polls after which tracking gives up (`None`:
    /// never; the wizard stops it when the user leaves).
    pub give_up_after: Option<u32>,
    /// Status changes are appended here when set.
    pub journal: Option<Journal>,
}

impl Default for TrackOptions {
    fn default() -> Self {
        TrackOptions {
            first_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(15),
            growth: 1.5,
            // About ten minutes at the longest interval.
            give_up_after: Some(40),
            journal: None,
        }
    }
}

impl TrackOptions {
    fn next(&self, current: Duration) -> Duration {
        current.mul_f64(self.growth.max(1.0)).min(self.max_interval)
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
                tokio::time::sleep(interval).await;
                interval = options.next(interval);
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
                    let gave_up = ApiFailure {
                        next_step: format!(
                            "The order goes on without us: check it later with `flexus status \
                             {order_id} --watch`"
                        ),
                        message: format!(
                            "stopped following the order after {failures} failed checks in a \
                             row: {}",
                            failure.message
                        ),
                        ..failure
                    };
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
                tokio::time::sleep(retry_in).await;
                interval = options.next(interval);
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
