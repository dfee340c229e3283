//! Placing an order so that it is never placed twice by accident and never
//! lost track of: the journal hears of every send before it happens, a lost
//! answer is investigated rather than resent, and a resend happens only on
//! the user's word, with the same Client-Request-Id and the same body.

use std::fmt;

use time::OffsetDateTime;

use super::client::{Client, CreateFailure, OrderQuery};
use super::engine::{ApiFailure, SubmitOutcome};
use super::journal::{Entry, Journal, PurchaseState, RecordedFailure, orders_not_from};
use super::wire::OrderInfo;
use super::wire::bss_time;
use crate::domain::order::RequestBody;

/// BSS `order_type` of a new purchase.
const ORDER_TYPE_NEW_PURCHASE: i32 = 1;

/// How far around the send time the order list is searched: the service's
/// clock may differ from ours.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(2);

/// The header that ties every send of one purchase together: 36 to 128
/// letters, digits and hyphens, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientRequestId(String);

impl ClientRequestId {
    /// A fresh UUID v4, for a new purchase.
    pub fn new() -> Self {
        ClientRequestId(uuid::Uuid::new_v4().to_string())
    }

    /// An ID from the journal or the user, checked against the rule above.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        crate::domain::order::check_client_request_id(text)
            .map(|()| ClientRequestId(text.to_string()))
            .map_err(|why| format!("the Client-Request-Id {why}"))
    }

    /// The header value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ClientRequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ClientRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Sends a new purchase once. Refuses (without sending) an ID the journal
/// already knows: a second send of a purchase must go through [`resend`].
pub async fn submit(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    client_request_id: &ClientRequestId,
) -> SubmitOutcome {
    match journal.purchase(client_request_id.as_str()) {
        Ok(None) => {}
        Ok(Some(_)) => {
            return SubmitOutcome::Rejected(refusal(
                "this purchase was already sent once; nothing was sent again",
                "Resend it only after checking `flexus orders` (the wizard and `flexus order` \
                 offer that), or start a new purchase",
            ));
        }
        Err(e) => return SubmitOutcome::Rejected(journal_failure(journal, &e)),
    }
    send(client, journal, body, client_request_id, 1, None).await
}

/// Records the user's word that `order_id`, found after a lost answer, is
/// this purchase. From then on it counts as placed, so it can never be
/// resent, and `flexus orders` follows that order.
pub fn claim(
    journal: &Journal,
    client_request_id: &ClientRequestId,
    order_id: &str,
) -> Result<(), ApiFailure> {
    // Only an ID of Huawei's shape is ever stored.
    let order_id = super::ids::OrderId::parse(order_id).map_err(|why| {
        refusal(
            &format!("the order ID {why}; nothing was recorded"),
            "Give the order ID as `flexus orders` or the console shows it",
        )
    })?;
    journal
        .append(&Entry::Claimed {
            at: bss_time(OffsetDateTime::now_utc()),
            client_request_id: client_request_id.as_str().to_string(),
            order_id: order_id.to_string(),
        })
        .map_err(|e| journal_failure(journal, &e))
}

/// Sends a purchase again after an ambiguous outcome, on the user's word:
/// same Client-Request-Id, same body. Refuses when the journal shows the
/// purchase was placed or refused, or the body differs.
pub async fn resend(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    client_request_id: &ClientRequestId,
) -> SubmitOutcome {
    let record = match journal.purchase(client_request_id.as_str()) {
        Ok(Some(record)) => record,
        Ok(None) => {
            return SubmitOutcome::Rejected(refusal(
                "the journal has no purchase with this Client-Request-Id; nothing was sent",
                "Submit it as a new purchase instead",
            ));
        }
        Err(e) => return SubmitOutcome::Rejected(journal_failure(journal, &e)),
    };
    match &record.state {
        PurchaseState::Placed => {
            return SubmitOutcome::Rejected(refusal(
                &format!(
                    "this purchase was already placed as order {}; nothing was sent",
                    record.order_id.as_deref().unwrap_or("?")
                ),
                "Follow it with `flexus status ORDER_ID --watch`",
            ));
        }
        PurchaseState::Rejected(_) => {
            return SubmitOutcome::Rejected(refusal(
                "this purchase was refused or never sent, so there is nothing to resend",
                "Submit it as a new purchase",
            ));
        }
        PurchaseState::Unanswered | PurchaseState::Ambiguous { .. } => {}
    }
    let endpoint = client.endpoints().hcss.to_string();
    if record.endpoint != endpoint {
        // Elsewhere it is another purchase: the lookups, and any
        // de-duplication by Client-Request-Id, would not see the first send.
        return SubmitOutcome::Rejected(refusal(
            &format!(
                "this purchase was first sent to {}, not {endpoint}; nothing was sent",
                record.endpoint
            ),
            "Resend it with the endpoints it was first sent with, after checking there with \
             `flexus orders` and `flexus status ORDER_ID`",
        ));
    }
    if &record.body != body {
        return SubmitOutcome::Rejected(refusal(
            "the order differs from the one first sent with this Client-Request-Id; nothing was \
             sent",
            "Submit the changed order as a new purchase",
        ));
    }
    // An earlier send may have placed the order: a lookup after this one
    // must reach back to the first.
    let first_sent = super::journal::parse_utc(&record.first_sent_at);
    send(
        client,
        journal,
        body,
        client_request_id,
        record.attempts + 1,
        first_sent,
    )
    .await
}

async fn send(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    id: &ClientRequestId,
    attempt: u32,
    first_sent: Option<OffsetDateTime>,
) -> SubmitOutcome {
    let sent_at_time = OffsetDateTime::now_utc();
    let lookup_since = first_sent.map_or(sent_at_time, |first| first.min(sent_at_time));
    let intent = Entry::Intent {
        at: bss_time(sent_at_time),
        client_request_id: id.to_string(),
        endpoint: client.endpoints().hcss.to_string(),
        attempt,
        body: Box::new(body.clone()),
    };
    if let Err(e) = journal.append(&intent) {
        return SubmitOutcome::Rejected(journal_failure(journal, &e));
    }

    // From here on the outcome is recorded whatever happens; a failure to
    // record it cannot undo an order, so it does not change the outcome.
    let now = || bss_time(OffsetDateTime::now_utc());
    match client.create_order(body, id.as_str()).await {
        Ok(created) => {
            let _ = journal.append(&Entry::Placed {
                at: now(),
                client_request_id: id.to_string(),
                order_id: created.order_id.clone(),
                instance_ids: created.instance_ids.clone(),
            });
            SubmitOutcome::Placed {
                order_id: created.order_id,
                instance_ids: created.instance_ids,
            }
        }
        Err(CreateFailure::Rejected(failure)) => {
            let _ = journal.append(&Entry::Rejected {
                at: now(),
                client_request_id: id.to_string(),
                error: RecordedFailure::from(&failure),
            });
            if attempt == 1 {
                return SubmitOutcome::Rejected(failure);
            }
            // A resend follows a send whose answer was lost: that this one
            // was refused (or never left) says nothing about the earlier one.
            let mut reason = failure;
            reason.next_step = "This send did not go through, but an earlier send of the same \
                                purchase may have placed an order. Check `flexus orders` and \
                                `flexus status ORDER_ID` before sending it again"
                .to_string();
            investigate(client, journal, id, reason, lookup_since).await
        }
        Err(CreateFailure::Ambiguous(mut reason)) => {
            let _ = journal.append(&Entry::Ambiguous {
                at: now(),
                client_request_id: id.to_string(),
                error: RecordedFailure::from(&reason),
            });
            reason.next_step = "An order may have been placed. Do not submit again before \
                                checking: `flexus orders` and `flexus status ORDER_ID` show \
                                what exists"
                .to_string();
            investigate(client, journal, id, reason, lookup_since).await
        }
    }
}

/// Looks for the orders a purchase of unknown outcome may have placed,
/// records what was found, and reports the purchase as unresolved.
async fn investigate(
    client: &Client,
    journal: &Journal,
    id: &ClientRequestId,
    reason: ApiFailure,
    since: OffsetDateTime,
) -> SubmitOutcome {
    let (candidates, lookup_failed) = find_candidates(client, journal, id, since).await;
    let _ = journal.append(&Entry::LookedUp {
        at: bss_time(OffsetDateTime::now_utc()),
        client_request_id: id.to_string(),
        order_ids: candidates.iter().map(|c| c.order_id.clone()).collect(),
        failed: lookup_failed.as_ref().map(RecordedFailure::from),
    });
    SubmitOutcome::Ambiguous {
        client_request_id: id.to_string(),
        sent_at: bss_time(since),
        reason,
        candidates,
        lookup_failed,
    }
}

/// New-purchase orders created around `since` (newest first), leaving out
/// the ones the journal shows cannot be this purchase's
/// ([`orders_not_from`]). Looks as often as the
/// client's [`LookupOptions`](super::client::LookupOptions) say
/// before concluding there are none.
pub async fn find_candidates(
    client: &Client,
    journal: &Journal,
    id: &ClientRequestId,
    since: OffsetDateTime,
) -> (Vec<OrderInfo>, Option<ApiFailure>) {
    let lookup = &client.config().ambiguity_lookup;
    let unrelated = journal
        .entries()
        .map(|(entries, _)| orders_not_from(&entries, id.as_str()))
        .unwrap_or_default();
    let mut last_failure = None;
    for check in 0..lookup.checks.max(1) {
        if check > 0 {
            tokio::time::sleep(lookup.interval).await;
        }
        let query = OrderQuery {
            create_time_begin: Some(bss_time(since - CLOCK_SLACK)),
            create_time_end: Some(bss_time(OffsetDateTime::now_utc() + CLOCK_SLACK)),
            limit: Some(100),
            offset: Some(0),
            order_by: Some("-createTime".to_string()),
            ..OrderQuery::default()
        };
        match client.list_orders(&query).await {
            Ok(list) => {
                // An order with a malformed ID may be this one, but it cannot
                // be shown or followed: say so rather than report nothing.
                last_failure = (list.left_out > 0).then(|| malformed_orders(list.left_out));
                let found: Vec<OrderInfo> = list
                    .order_infos
                    .into_iter()
                    .filter(|o| o.order_type.is_none_or(|t| t == ORDER_TYPE_NEW_PURCHASE))
                    .filter(|o| !unrelated.contains(&o.order_id))
                    .collect();
                if !found.is_empty() {
                    return (found, None);
                }
            }
            Err(failure) => last_failure = Some(failure),
        }
    }
    (Vec::new(), last_failure)
}

fn malformed_orders(count: usize) -> ApiFailure {
    refusal(
        &format!(
            "{count} order(s) created in that time have an ID not of Huawei's shape and are not \
             shown"
        ),
        "Check the Billing Center (My Orders) in the console for an order of this purchase \
         before sending it again",
    )
}

fn refusal(message: &str, next_step: &str) -> ApiFailure {
    ApiFailure {
        status: None,
        code: None,
        message: message.to_string(),
        next_step: next_step.to_string(),
    }
}

fn journal_failure(journal: &Journal, e: &std::io::Error) -> ApiFailure {
    ApiFailure {
        status: None,
        code: None,
        message: format!(
            "cannot write the order journal {}: {e}; nothing was sent",
            journal.path().display()
        ),
        next_step: format!(
            "Free some disk space or fix the directory's permissions, or set {} to another \
             directory",
            super::journal::ENV_STATE_DIR
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_valid_and_distinct() {
        let a = ClientRequestId::new();
        let b = ClientRequestId::new();
        assert_ne!(a, b);
        assert_eq!(ClientRequestId::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn ids_follow_the_documented_rule() {
        assert!(ClientRequestId::parse(&"a".repeat(36)).is_ok());
        assert!(ClientRequestId::parse(&"a".repeat(128)).is_ok());
        assert!(ClientRequestId::parse(&"a".repeat(35)).is_err());
        assert!(ClientRequestId::parse(&"a".repeat(129)).is_err());
        assert!(ClientRequestId::parse(&format!("-{}", "a".repeat(36))).is_err());
        assert!(ClientRequestId::parse(&format!("{}_x", "a".repeat(36))).is_err());
    }
}
