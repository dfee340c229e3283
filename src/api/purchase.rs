//! Placing an order so that it is never placed twice by accident and never
//! lost track of: the journal hears of every send before it happens, a lost
//! answer is investigated rather than resent, and a resend happens only on
//! the user's word, with the same Client-Request-Id and the same body.

use time::OffsetDateTime;

use super::client::{Client, CreateFailure, OrderQuery};
use super::engine::{ApiFailure, SubmitOutcome};
use super::journal::{
    DamagedRecord, Entry, Journal, PurchaseLock, PurchaseRecord, PurchaseState, RecordedFailure,
};
use super::wire::{FLEXUSL_SERVICE_TYPE_CODE, OrderInfo, OrderLineItem, bss_time};
use crate::domain::order::RequestBody;

pub use super::ids::ClientRequestId;
use super::ids::OrderId;

/// BSS `order_type` of a new purchase.
const ORDER_TYPE_NEW_PURCHASE: i32 = 1;

/// How far around the send time the order list is searched: the service's
/// clock may differ from ours.
const CLOCK_SLACK: time::Duration = time::Duration::minutes(2);

/// An order the order list showed after a lost answer, with what its
/// details said of it, so a person can tell whether it is theirs.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundOrder {
    pub info: OrderInfo,
    /// Empty when the details could not be fetched.
    pub line_items: Vec<OrderLineItem>,
}

impl FoundOrder {
    pub fn order_id(&self) -> &str {
        &self.info.order_id
    }

    /// Created before `sent_at` (UTC), so unlikely to be that purchase's;
    /// false when either time is unreadable.
    pub fn created_before(&self, sent_at: &str) -> bool {
        let created = self
            .info
            .create_time
            .as_deref()
            .and_then(super::journal::parse_utc);
        match (created, super::journal::parse_utc(sent_at)) {
            (Some(created), Some(sent)) => created < sent,
            _ => false,
        }
    }

    /// "created 2026-12-01 16:00 (UTC+08:00), USD 12.00, hf.large.1.30m.linux
    /// x 2, processing": enough to recognise an order by, its time read in
    /// `zone`. An order created
    /// before the purchase was first sent (`sent_at`) is said to be so: the
    /// search reaches back a little for clocks that differ, and such an
    /// order is unlikely to be this one.
    pub fn describe(&self, sent_at: &str, zone: &jiff::tz::TimeZone) -> String {
        let mut parts = Vec::new();
        if let Some(created) = &self.info.create_time {
            let created = crate::domain::when::dated_stamp(created, zone);
            parts.push(if self.created_before(sent_at) {
                tr!("core.found.created_before", created = created)
            } else {
                tr!("core.found.created", created = created)
            });
        }
        if let Some(amount) = self.info.amount_text() {
            parts.push(amount);
        }
        for item in &self.line_items {
            let Some(spec) = &item.product_spec_desc else {
                continue;
            };
            parts.push(match item.subscription_num {
                Some(n) => format!("{spec} x {n}"),
                None => spec.clone(),
            });
        }
        parts.push(super::wire::status::describe(self.info.status));
        parts.join(&tr!("core.list.separator"))
    }
}

/// Earlier purchases still open, found before a new one is sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EarlierPurchases {
    /// With the same request body, and unfinished: of unknown outcome, or
    /// placed as an order not yet completed or cancelled. Sending this one
    /// as new could buy twice (the first may be placed; or it is, and the
    /// user lost sight of it).
    pub same: Vec<PurchaseRecord>,
    /// Of unknown outcome, with another body: named, so nothing unresolved
    /// goes unseen.
    pub other: Vec<PurchaseRecord>,
    /// Purchases that may have an unknown outcome but whose intent is
    /// damaged ([`Journal::hidden_unresolved`]): their body cannot be read,
    /// so any new purchase may be their double. They stop it like `same`
    /// until the user settles them (`flexus abandon`, `flexus claim`) or
    /// says this is a separate purchase.
    pub damaged: Vec<DamagedRecord>,
}

impl EarlierPurchases {
    pub fn is_empty(&self) -> bool {
        self.same.is_empty() && self.other.is_empty() && self.damaged.is_empty()
    }

    /// What a "separate purchase" answer acknowledges: the Client-Request-Ids
    /// of the same-body purchases, and the keys of the damaged ones.
    pub fn separate_from(&self) -> Vec<String> {
        self.same
            .iter()
            .map(|r| r.client_request_id.clone())
            .chain(self.damaged.iter().map(damaged_key))
            .collect()
    }
}

/// The unfinished purchases of the journal, split by whether sending
/// `body` as a new purchase would double them. Reads only the journal.
pub fn earlier_unfinished(
    journal: &Journal,
    body: &RequestBody,
) -> Result<EarlierPurchases, ApiFailure> {
    let unfinished = journal
        .unfinished()
        .map_err(|e| journal_failure(journal, &e))?;
    let (same, other): (Vec<_>, Vec<_>) = unfinished.into_iter().partition(|r| &r.body == body);
    let damaged = journal
        .hidden_unresolved()
        .map_err(|e| journal_failure(journal, &e))?;
    Ok(EarlierPurchases {
        same,
        other: other.into_iter().filter(|r| r.is_unresolved()).collect(),
        damaged,
    })
}

/// [`earlier_unfinished`], after asking the order service about the
/// same-body orders the journal knows as placed but not final: one that has
/// completed or been cancelled meanwhile is recorded so, and is no double.
pub async fn earlier_open(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
) -> Result<EarlierPurchases, ApiFailure> {
    let mut earlier = earlier_unfinished(journal, body)?;
    let mut still_open = Vec::with_capacity(earlier.same.len());
    for record in earlier.same {
        if let (PurchaseState::Placed, Some(order_id)) = (&record.state, &record.order_id)
            && let Ok(details) = client.order_details(order_id).await
        {
            let info = &details.order_info;
            if record.last_status.as_ref().map(|(s, _)| *s) != Some(info.status) {
                let _ = journal.append(&Entry::Status {
                    at: bss_time(OffsetDateTime::now_utc()),
                    order_id: order_id.clone(),
                    status: info.status,
                    pending_payment_end_time: info.pending_payment_end_time.clone(),
                });
            }
            if super::wire::status::is_final(info.status) {
                continue;
            }
        }
        still_open.push(record);
    }
    earlier.same = still_open;
    Ok(earlier)
}

/// Whether another process is sending purchase `client_request_id` right
/// now (it holds the purchase's lock).
pub fn in_flight_elsewhere(journal: &Journal, client_request_id: &str) -> bool {
    matches!(journal.try_lock_purchase(client_request_id), Ok(None))
}

/// Sends a new purchase once. Refuses (without sending) an ID the journal
/// already knows (a second send of a purchase must go through [`resend`]),
/// and a body that an unfinished earlier purchase already has, unless the
/// user said this is a separate purchase from each of those
/// (`separate_from`, their Client-Request-Ids): it might have been placed.
pub async fn submit(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    client_request_id: &ClientRequestId,
    separate_from: &[String],
) -> SubmitOutcome {
    // File locks and fsyncs: off the async workers, which also run the
    // wizard's other tasks.
    let reserved = {
        let (journal, body, id) = (journal.clone(), body.clone(), client_request_id.clone());
        let separate_from = separate_from.to_vec();
        let endpoint = client.endpoints().hcss.to_string();
        tokio::task::spawn_blocking(move || {
            reserve_new(&journal, &body, &id, &separate_from, &endpoint)
        })
        .await
    };
    match reserved {
        Ok(Ok((lock, sent_at))) => {
            send(client, journal, body, client_request_id, 1, sent_at, lock).await
        }
        Ok(Err(failure)) => SubmitOutcome::Rejected(failure),
        Err(_) => SubmitOutcome::Rejected(ApiFailure::formed(
            || tr!("core.journal.check_stopped"),
            tr!("core.next.try_again"),
        )),
    }
}

/// The zone of the times in the engine's own refusals: it does not know the
/// reader's, so it says UTC with its offset rather than a bare stamp.
const ENGINE_ZONE: jiff::tz::TimeZone = jiff::tz::TimeZone::UTC;

/// Everything a new purchase does before it leaves, under one cross-process
/// lock so two processes cannot both find no double and both send: the
/// checks, the purchase's own lock, and the intent on disk. Returns the
/// purchase's lock (held until its outcome is recorded) and when it was
/// sent.
fn reserve_new(
    journal: &Journal,
    body: &RequestBody,
    id: &ClientRequestId,
    separate_from: &[String],
    endpoint: &str,
) -> Result<(PurchaseLock, OffsetDateTime), ApiFailure> {
    let _new_purchases = journal
        .lock_new_purchases()
        .map_err(|e| journal_failure(journal, &e))?;
    if journal
        .purchase(id.as_str())
        .map_err(|e| journal_failure(journal, &e))?
        .is_some()
    {
        return Err(ApiFailure::formed(
            || tr!("core.purchase.already_sent"),
            tr!("core.purchase.already_sent_next"),
        ));
    }
    let earlier = earlier_unfinished(journal, body)?;
    if let Some(double) = earlier
        .same
        .iter()
        .find(|r| !separate_from.contains(&r.client_request_id))
    {
        let at = crate::domain::when::dated_stamp(&double.last_sent_at, &ENGINE_ZONE);
        let id = &double.client_request_id;
        return Err(ApiFailure::formed(
            || match &double.order_id {
                Some(order_id) => tr!(
                    "core.purchase.double_placed",
                    at = at,
                    id = id,
                    order_id = order_id
                ),
                None => tr!("core.purchase.double_unknown", at = at, id = id),
            },
            tr!("core.purchase.double_next"),
        ));
    }
    if let Some(hidden) = earlier
        .damaged
        .iter()
        .find(|d| !separate_from.contains(&damaged_key(d)))
    {
        return Err(ApiFailure::formed(
            || {
                tr!(
                    "core.purchase.damaged_nothing_sent",
                    what = damaged_words(hidden, &ENGINE_ZONE)
                )
            },
            match &hidden.client_request_id {
                Some(id) => tr!("core.purchase.damaged_next", id = id),
                None => tr!("core.purchase.damaged_next_no_id"),
            },
        ));
    }
    let lock = lock_for_change(journal, id)?;
    let sent_at = write_intent(journal, body, id, endpoint, 1)?;
    Ok((lock, sent_at))
}

/// The intent of a send, on disk before the request leaves.
fn write_intent(
    journal: &Journal,
    body: &RequestBody,
    id: &ClientRequestId,
    endpoint: &str,
    attempt: u32,
) -> Result<OffsetDateTime, ApiFailure> {
    let sent_at = OffsetDateTime::now_utc();
    journal
        .append(&Entry::Intent {
            at: bss_time(sent_at),
            client_request_id: id.to_string(),
            endpoint: endpoint.to_string(),
            attempt,
            body: Box::new(body.clone()),
        })
        .map_err(|e| journal_failure(journal, &e))?;
    Ok(sent_at)
}

/// Records the user's word that `order_id`, found after a lost answer, is
/// this purchase. From then on it counts as placed, so it can never be
/// resent, and `flexus orders` follows that order.
pub fn claim(
    journal: &Journal,
    client_request_id: &ClientRequestId,
    order_id: &str,
) -> Result<(), ApiFailure> {
    record_word(
        journal,
        client_request_id,
        order_id,
        |at, client_request_id, order_id| Entry::Claimed {
            at,
            client_request_id,
            order_id,
        },
    )
}

/// Records the user's word that `order_id`, found after a lost answer, is
/// *not* this purchase: later lookups leave it out, and the purchase can
/// be resent once no other candidate is left.
pub fn dismiss(
    journal: &Journal,
    client_request_id: &ClientRequestId,
    order_id: &str,
) -> Result<(), ApiFailure> {
    record_word(
        journal,
        client_request_id,
        order_id,
        |at, client_request_id, order_id| Entry::Dismissed {
            at,
            client_request_id,
            order_id,
        },
    )
}

/// The user's word about a found order, as `entry` words it: only an ID of
/// Huawei's shape is stored, and never while another process sends the
/// purchase.
fn record_word(
    journal: &Journal,
    client_request_id: &ClientRequestId,
    order_id: &str,
    entry: impl FnOnce(String, String, String) -> Entry,
) -> Result<(), ApiFailure> {
    let order_id = checked_order_id(order_id)?;
    let _lock = lock_unresolved(journal, client_request_id)?;
    if let Some(owner) = journal
        .purchase_of_order(order_id.as_str())
        .map_err(|e| journal_failure(journal, &e))?
        .filter(|owner| owner.client_request_id != client_request_id.as_str())
    {
        return Err(ApiFailure::formed(
            || {
                tr!(
                    "core.claim.other_purchase",
                    order_id = order_id,
                    id = owner.client_request_id
                )
            },
            tr!("core.claim.other_purchase_next"),
        ));
    }
    // Only an order a lookup found for this purchase: any other (a typo, an
    // order of another service or day) would take the real one's place.
    if let Some(record) = journal
        .purchase(client_request_id.as_str())
        .map_err(|e| journal_failure(journal, &e))?
        && !record.found.iter().any(|f| f == order_id.as_str())
    {
        return Err(ApiFailure::formed(
            || {
                if record.found.is_empty() {
                    tr!("core.claim.not_found_none", order_id = order_id)
                } else {
                    tr!(
                        "core.claim.not_found",
                        order_id = order_id,
                        found = record.found.join(", ")
                    )
                }
            },
            tr!("core.claim.not_found_next"),
        ));
    }
    journal
        .append(&entry(
            bss_time(OffsetDateTime::now_utc()),
            client_request_id.to_string(),
            order_id.to_string(),
        ))
        .map_err(|e| journal_failure(journal, &e))
}

/// Records the user's word that a purchase of unknown outcome placed no
/// order (they checked the console's order list): it is settled, never
/// sent again, no longer reopened, and stops no other purchase.
pub fn nothing_placed(
    journal: &Journal,
    client_request_id: &ClientRequestId,
) -> Result<(), ApiFailure> {
    let _lock = lock_unresolved(journal, client_request_id)?;
    journal
        .append(&Entry::NothingPlaced {
            at: bss_time(OffsetDateTime::now_utc()),
            client_request_id: client_request_id.to_string(),
        })
        .map_err(|e| journal_failure(journal, &e))
}

/// The purchase's lock, once the journal, read under it, shows the purchase
/// still unresolved: another process may just have settled it.
fn lock_unresolved(
    journal: &Journal,
    client_request_id: &ClientRequestId,
) -> Result<PurchaseLock, ApiFailure> {
    let lock = lock_for_change(journal, client_request_id)?;
    let Some(record) = journal
        .purchase(client_request_id.as_str())
        .map_err(|e| journal_failure(journal, &e))?
    else {
        // A purchase whose intent is damaged can still be settled.
        let hidden = journal
            .hidden_unresolved()
            .map_err(|e| journal_failure(journal, &e))?;
        if hidden
            .iter()
            .any(|d| d.client_request_id.as_deref() == Some(client_request_id.as_str()))
        {
            return Ok(lock);
        }
        return Err(ApiFailure::formed(
            || tr!("core.claim.no_purchase"),
            tr!("core.claim.no_purchase_next"),
        ));
    };
    if !record.is_unresolved() {
        return Err(ApiFailure::formed(
            || match &record.order_id {
                Some(placed) => tr!("core.claim.already_known", order_id = placed),
                None => tr!(
                    "core.claim.settled",
                    state = record.state_text(&jiff::tz::TimeZone::UTC)
                ),
            },
            tr!("core.claim.settled_next"),
        ));
    }
    Ok(lock)
}

fn checked_order_id(order_id: &str) -> Result<super::ids::OrderId, ApiFailure> {
    super::ids::OrderId::parse(order_id).map_err(|why| {
        ApiFailure::formed(
            || tr!("core.claim.bad_order_id", why = why),
            tr!("core.claim.bad_order_id_next"),
        )
    })
}

fn lock_for_change(
    journal: &Journal,
    client_request_id: &ClientRequestId,
) -> Result<PurchaseLock, ApiFailure> {
    match journal.try_lock_purchase(client_request_id.as_str()) {
        Ok(Some(lock)) => Ok(lock),
        Ok(None) => Err(busy_elsewhere()),
        Err(e) => Err(journal_failure(journal, &e)),
    }
}

fn busy_elsewhere() -> ApiFailure {
    ApiFailure::formed(|| tr!("core.purchase.busy"), tr!("core.purchase.busy_next"))
}

/// Sends a purchase again after an ambiguous outcome, on the user's word:
/// same Client-Request-Id, same body, same endpoint, by one process at a
/// time. Refuses when the journal shows the purchase was placed or refused,
/// when the body differs, and when the order list shows an order that may
/// be its result (looked up again first): the user must claim or dismiss
/// it before anything is sent.
pub async fn resend(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    client_request_id: &ClientRequestId,
) -> SubmitOutcome {
    let lock = match lock_for_change(journal, client_request_id) {
        Ok(lock) => lock,
        Err(failure) => return SubmitOutcome::Rejected(failure),
    };
    // Read under the lock: another process may just have settled it.
    let record = match journal.purchase(client_request_id.as_str()) {
        Ok(Some(record)) => record,
        Ok(None) => {
            return SubmitOutcome::Rejected(ApiFailure::formed(
                || tr!("core.resend.no_purchase"),
                tr!("core.resend.no_purchase_next"),
            ));
        }
        Err(e) => return SubmitOutcome::Rejected(journal_failure(journal, &e)),
    };
    match &record.state {
        PurchaseState::Placed => {
            return SubmitOutcome::Rejected(ApiFailure::formed(
                || {
                    tr!(
                        "core.resend.already_placed",
                        order_id = record.order_id.as_deref().unwrap_or("?")
                    )
                },
                tr!("core.resend.already_placed_next"),
            ));
        }
        PurchaseState::Rejected(_) | PurchaseState::NothingPlaced => {
            return SubmitOutcome::Rejected(ApiFailure::formed(
                || {
                    tr!(
                        "core.resend.settled",
                        state = record.state_text(&jiff::tz::TimeZone::UTC)
                    )
                },
                tr!("core.resend.settled_next"),
            ));
        }
        PurchaseState::Unanswered | PurchaseState::Ambiguous { .. } => {}
    }
    let endpoint = client.endpoints().hcss.to_string();
    if record.endpoint != endpoint {
        // Elsewhere it is another purchase: the lookups, and any
        // de-duplication by Client-Request-Id, would not see the first send.
        return SubmitOutcome::Rejected(ApiFailure::formed(
            || {
                tr!(
                    "core.resend.other_endpoint",
                    first = record.endpoint,
                    endpoint = endpoint
                )
            },
            tr!("core.resend.other_endpoint_next"),
        ));
    }
    if &record.body != body {
        return SubmitOutcome::Rejected(ApiFailure::formed(
            || tr!("core.resend.changed"),
            tr!("core.resend.changed_next"),
        ));
    }
    // An earlier send may have placed the order: a lookup after this one
    // must reach back to the first.
    let first_sent =
        super::journal::parse_utc(&record.first_sent_at).unwrap_or_else(OffsetDateTime::now_utc);
    // Time has passed since the answer was lost: the order may be listed
    // by now. Anything that may be it stops the resend.
    let (found, lookup_failed) =
        find_candidates(client, journal, client_request_id, first_sent, 1).await;
    record_lookup(journal, client_request_id, &found, lookup_failed.as_ref()).await;
    if !found.is_empty() || lookup_failed.is_some() {
        let reason = if found.is_empty() {
            ApiFailure::formed(
                || tr!("core.resend.list_unchecked"),
                tr!("core.resend.list_unchecked_next"),
            )
        } else {
            ApiFailure::formed(
                || tr!("core.resend.candidates"),
                tr!("core.resend.candidates_next"),
            )
        };
        return SubmitOutcome::Ambiguous {
            client_request_id: client_request_id.clone(),
            sent_at: bss_time(first_sent),
            reason,
            candidates: found,
            lookup_failed,
        };
    }
    let attempt = record.attempts + 1;
    if let Err(failure) = write_intent(journal, body, client_request_id, &endpoint, attempt) {
        return SubmitOutcome::Rejected(failure);
    }
    send(
        client,
        journal,
        body,
        client_request_id,
        attempt,
        first_sent,
        lock,
    )
    .await
}

/// Pays an order pending payment from the account balance, and journals
/// the attempt (paid or failed), as every payment flexus makes is.
pub async fn pay(client: &Client, journal: &Journal, order_id: &str) -> Result<(), ApiFailure> {
    let paid = client.pay_order(order_id).await;
    let entry = Entry::Payment {
        at: bss_time(OffsetDateTime::now_utc()),
        order_id: order_id.to_string(),
        failed: paid.as_ref().err().map(RecordedFailure::from),
    };
    note(journal, entry).await;
    paid
}

/// What a person asks of an order once a purchase was sent. The wizard and
/// the CLI both go through `act`, so each is checked and journaled the same
/// way whichever front end asks; a new one is a variant here and its arm in
/// `act`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderAction {
    /// Pay an order pending payment from the account balance.
    Pay { order_id: OrderId },
    /// Cancel an order pending payment; nothing is bought.
    Cancel { order_id: OrderId },
    /// The user's word that `order_id`, found after a lost answer, is the
    /// purchase sent with `request_id`.
    Claim {
        request_id: ClientRequestId,
        order_id: OrderId,
    },
    /// The user's word that `order_id` is *not* that purchase.
    Dismiss {
        request_id: ClientRequestId,
        order_id: OrderId,
    },
}

impl OrderAction {
    pub fn order_id(&self) -> &OrderId {
        match self {
            OrderAction::Pay { order_id }
            | OrderAction::Cancel { order_id }
            | OrderAction::Claim { order_id, .. }
            | OrderAction::Dismiss { order_id, .. } => order_id,
        }
    }

    /// Whether the service changes the order (its status moves on), rather
    /// than only the journal learning the user's word.
    pub fn changes_order(&self) -> bool {
        match self {
            OrderAction::Pay { .. } | OrderAction::Cancel { .. } => true,
            OrderAction::Claim { .. } | OrderAction::Dismiss { .. } => false,
        }
    }

    /// The purchase the action is about, when it is about one.
    pub fn request_id(&self) -> Option<&ClientRequestId> {
        match self {
            OrderAction::Pay { .. } | OrderAction::Cancel { .. } => None,
            OrderAction::Claim { request_id, .. } | OrderAction::Dismiss { request_id, .. } => {
                Some(request_id)
            }
        }
    }
}

/// The journal in `dir`, for a front end: the words say what to do when it
/// cannot be opened.
pub fn open_journal(dir: &std::path::Path) -> Result<Journal, ApiFailure> {
    Journal::open(dir).map_err(|e| {
        ApiFailure::formed(
            || tr!("core.journal.cannot_open", dir = dir.display(), why = e),
            tr!("core.journal.cannot_open_next"),
        )
    })
}

/// Carries out `action`. The journal's own work (a lock, a read, a line)
/// runs off the async workers: it may wait for another flexus.
pub async fn act(
    client: &Client,
    journal: &Journal,
    action: &OrderAction,
) -> Result<(), ApiFailure> {
    match action.clone() {
        OrderAction::Pay { order_id } => pay(client, journal, order_id.as_str()).await,
        OrderAction::Cancel { order_id } => {
            let cancelled = client.cancel_order(order_id.as_str()).await;
            let entry = Entry::Cancellation {
                at: bss_time(OffsetDateTime::now_utc()),
                order_id: order_id.to_string(),
                failed: cancelled.as_ref().err().map(RecordedFailure::from),
            };
            note(journal, entry).await;
            cancelled
        }
        OrderAction::Claim {
            request_id,
            order_id,
        } => {
            in_journal(journal, move |journal| {
                claim(journal, &request_id, order_id.as_str())
            })
            .await
        }
        OrderAction::Dismiss {
            request_id,
            order_id,
        } => {
            in_journal(journal, move |journal| {
                dismiss(journal, &request_id, order_id.as_str())
            })
            .await
        }
    }
}

async fn in_journal(
    journal: &Journal,
    work: impl FnOnce(&Journal) -> Result<(), ApiFailure> + Send + 'static,
) -> Result<(), ApiFailure> {
    off_workers(journal, work).await.unwrap_or_else(|| {
        Err(ApiFailure::formed(
            || tr!("core.journal.write_unfinished"),
            tr!("core.journal.write_unfinished_next"),
        ))
    })
}

/// Runs journal work (file locks, fsyncs, the index) on a blocking thread:
/// the async workers also run the wizard's other tasks. None when that
/// thread died.
async fn off_workers<T: Send + 'static>(
    journal: &Journal,
    work: impl FnOnce(&Journal) -> T + Send + 'static,
) -> Option<T> {
    let journal = journal.clone();
    tokio::task::spawn_blocking(move || work(&journal))
        .await
        .ok()
}

/// Journals what the service was asked and answered (a payment, a
/// cancellation, a lookup). The service keeps the real record; a journal
/// that cannot take the line does not undo it.
async fn note(journal: &Journal, entry: Entry) {
    let _ = off_workers(journal, move |journal| journal.append(&entry)).await;
}

/// Looks in the order list again for what purchase `record` (of unknown
/// outcome) may have placed, and records what was found.
pub async fn look_again(
    client: &Client,
    journal: &Journal,
    record: &PurchaseRecord,
) -> (Vec<FoundOrder>, Option<ApiFailure>) {
    let Ok(id) = ClientRequestId::parse(&record.client_request_id) else {
        return (
            Vec::new(),
            Some(ApiFailure::formed(
                || tr!("core.journal.bad_request_id"),
                tr!("core.journal.bad_request_id_next"),
            )),
        );
    };
    let since =
        super::journal::parse_utc(&record.first_sent_at).unwrap_or_else(OffsetDateTime::now_utc);
    let (found, failed) = find_candidates(client, journal, &id, since, 1).await;
    record_lookup(journal, &id, &found, failed.as_ref()).await;
    (found, failed)
}

/// Sends a purchase whose intent is on disk, and records its outcome.
/// `lookup_since` is when the first send of this purchase left: an order
/// any send placed is looked for from there.
async fn send(
    client: &Client,
    journal: &Journal,
    body: &RequestBody,
    id: &ClientRequestId,
    attempt: u32,
    lookup_since: OffsetDateTime,
    // Held until the outcome is recorded: no other process may resend or
    // claim this purchase meanwhile.
    _purchase: PurchaseLock,
) -> SubmitOutcome {
    // From here on the outcome is recorded whatever happens; a failure to
    // record it cannot undo an order, so it does not change the outcome,
    // but a placed order the journal does not know is said out loud.
    let now = || bss_time(OffsetDateTime::now_utc());
    match client.create_order(body, id.as_str()).await {
        Ok(created) => {
            let recorded = journal.append(&Entry::Placed {
                at: now(),
                client_request_id: id.to_string(),
                order_id: created.order_id.clone(),
                instance_ids: created.instance_ids.clone(),
            });
            SubmitOutcome::Placed {
                order_id: created.order_id,
                instance_ids: created.instance_ids,
                unrecorded: recorded.err().map(|e| journal_error_words(journal, &e)),
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
            reason.next_step = tr!("core.resend.refused_next");
            investigate(client, journal, id, reason, lookup_since).await
        }
        Err(CreateFailure::Ambiguous(mut reason)) => {
            let _ = journal.append(&Entry::Ambiguous {
                at: now(),
                client_request_id: id.to_string(),
                error: RecordedFailure::from(&reason),
            });
            reason.next_step = tr!("core.purchase.ambiguous_next");
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
    let checks = client.config().ambiguity_lookup.checks;
    let (candidates, lookup_failed) = find_candidates(client, journal, id, since, checks).await;
    record_lookup(journal, id, &candidates, lookup_failed.as_ref()).await;
    SubmitOutcome::Ambiguous {
        client_request_id: id.clone(),
        sent_at: bss_time(since),
        reason,
        candidates,
        lookup_failed,
    }
}

async fn record_lookup(
    journal: &Journal,
    id: &ClientRequestId,
    found: &[FoundOrder],
    failed: Option<&ApiFailure>,
) {
    let entry = Entry::LookedUp {
        at: bss_time(OffsetDateTime::now_utc()),
        client_request_id: id.to_string(),
        order_ids: found.iter().map(|c| c.info.order_id.clone()).collect(),
        failed: failed.map(RecordedFailure::from),
    };
    note(journal, entry).await;
}

/// New FlexusL purchase orders created around `since` (newest first),
/// leaving out the ones the journal shows cannot be this purchase's
/// ([`Journal::orders_not_from`], which includes those the user
/// dismissed), each with its line items. Looks up to `checks` times, as
/// far apart as the client's [`LookupOptions`](super::client::LookupOptions)
/// say, before concluding there are none.
pub async fn find_candidates(
    client: &Client,
    journal: &Journal,
    id: &ClientRequestId,
    since: OffsetDateTime,
    checks: u32,
) -> (Vec<FoundOrder>, Option<ApiFailure>) {
    let interval = client.config().ambiguity_lookup.interval;
    let mut last_failure = None;
    for check in 0..checks.max(1) {
        if check > 0 {
            tokio::time::sleep(interval).await;
        }
        let query = OrderQuery {
            create_time_begin: Some(bss_time(since - CLOCK_SLACK)),
            create_time_end: Some(bss_time(OffsetDateTime::now_utc() + CLOCK_SLACK)),
            service_type_code: Some(FLEXUSL_SERVICE_TYPE_CODE.to_string()),
            order_type: Some(ORDER_TYPE_NEW_PURCHASE),
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
                // The query filters already; a service that ignores a
                // filter must not slip another service's order in.
                let listed: Vec<OrderInfo> = list
                    .order_infos
                    .into_iter()
                    .filter(|o| o.order_type.is_none_or(|t| t == ORDER_TYPE_NEW_PURCHASE))
                    .filter(|o| {
                        o.service_type_code
                            .as_deref()
                            .is_none_or(|c| c == FLEXUSL_SERVICE_TYPE_CODE)
                    })
                    .collect();
                let ids: Vec<String> = listed.iter().map(|o| o.order_id.clone()).collect();
                let unrelated = journal
                    .orders_not_from(id.as_str(), &ids)
                    .unwrap_or_default();
                let listed: Vec<OrderInfo> = listed
                    .into_iter()
                    .filter(|o| !unrelated.contains(&o.order_id))
                    .collect();
                if !listed.is_empty() {
                    let mut found = Vec::with_capacity(listed.len());
                    for info in listed {
                        // Best effort: without details the order is still
                        // shown, with what the list said.
                        let line_items = match client.order_details(&info.order_id).await {
                            Ok(details) => details.order_line_items,
                            Err(_) => Vec::new(),
                        };
                        found.push(FoundOrder { info, line_items });
                    }
                    return (found, None);
                }
            }
            Err(failure) => last_failure = Some(failure),
        }
    }
    (Vec::new(), last_failure)
}

fn malformed_orders(count: usize) -> ApiFailure {
    ApiFailure::formed(
        || tr!("core.lookup.malformed", count = count),
        tr!("core.lookup.malformed_next"),
    )
}

/// How a "separate purchase" answer names a damaged record: its
/// Client-Request-Id, or where it is when that cannot be read.
pub fn damaged_key(record: &DamagedRecord) -> String {
    record
        .client_request_id
        .clone()
        // A key compared with itself, never a sentence: it stays English.
        .unwrap_or_else(|| format!("damaged record at {}", record.place))
}

/// A damaged journal record that may hide a purchase, in words.
pub fn damaged_words(record: &DamagedRecord, zone: &jiff::tz::TimeZone) -> String {
    let place = &record.place;
    let at = record
        .at
        .as_ref()
        .map(|at| crate::domain::when::dated_stamp(at, zone));
    match (&record.client_request_id, at) {
        (None, None) => tr!("core.journal.damaged", place = place),
        (Some(id), None) => tr!("core.journal.damaged_id", place = place, id = id),
        (None, Some(at)) => tr!("core.journal.damaged_at", place = place, at = at),
        (Some(id), Some(at)) => tr!(
            "core.journal.damaged_id_at",
            place = place,
            id = id,
            at = at
        ),
    }
}

/// A failure to record an outcome, in words, naming the journal.
fn journal_error_words(journal: &Journal, e: &std::io::Error) -> String {
    tr!(
        "core.journal.not_recorded",
        path = journal.path().display(),
        why = e
    )
}

fn journal_failure(journal: &Journal, e: &std::io::Error) -> ApiFailure {
    ApiFailure::formed(
        || {
            tr!(
                "core.journal.cannot_write",
                path = journal.path().display(),
                why = e
            )
        },
        tr!(
            "core.journal.cannot_write_next",
            env = super::journal::ENV_STATE_DIR
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::Draft;
    use jiff::tz::{Offset, TimeZone};

    fn journal_with(entries: &[Entry]) -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        for entry in entries {
            journal.append(entry).unwrap();
        }
        (dir, journal)
    }

    fn intent(id: &ClientRequestId) -> Entry {
        let catalog = crate::domain::catalog::Catalog::embedded();
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
                .unwrap();
        let (draft, _) = Draft::from_plan_json(&text);
        Entry::Intent {
            at: "2026-12-01T08:00:00Z".into(),
            client_request_id: id.to_string(),
            endpoint: "http://127.0.0.1:1/".into(),
            attempt: 1,
            body: Box::new(draft.request_body(&catalog).unwrap()),
        }
    }

    #[test]
    fn a_found_order_created_before_the_send_is_said_to_be() {
        let found = FoundOrder {
            info: OrderInfo {
                order_id: "CS2612010800AAAAA".into(),
                status: 3,
                create_time: Some("2026-12-01T08:00:00Z".into()),
                amount_after_discount: Some(18.0),
                currency: Some("USD".into()),
                ..OrderInfo::default()
            },
            line_items: vec![OrderLineItem {
                product_spec_desc: Some("hf.large.1.30m.linux".into()),
                subscription_num: Some(2),
                ..OrderLineItem::default()
            }],
        };
        assert_eq!(
            found.describe("2026-12-01T07:59:58Z", &TimeZone::UTC),
            "created 2026-12-01 08:00 (UTC+00:00), USD 18.00, hf.large.1.30m.linux x 2, processing"
        );
        assert!(
            found
                .describe(
                    "2026-12-01T08:00:34Z",
                    &TimeZone::fixed(Offset::constant(8))
                )
                .starts_with(
                    "created 2026-12-01 16:00 (UTC+08:00), BEFORE this purchase was sent, "
                )
        );
    }

    #[test]
    fn a_claim_is_checked_under_the_lock_against_what_the_journal_knows() {
        let (placed, open) = (ClientRequestId::new(), ClientRequestId::new());
        let (_dir, journal) = journal_with(&[
            intent(&placed),
            Entry::Placed {
                at: "2026-12-01T08:00:01Z".into(),
                client_request_id: placed.to_string(),
                order_id: "CS2612010800AAAAA".into(),
                instance_ids: vec![],
            },
            intent(&open),
            Entry::LookedUp {
                at: "2026-12-01T08:01:00Z".into(),
                client_request_id: open.to_string(),
                order_ids: vec!["CS2612010800BBBBB".into()],
                failed: None,
            },
        ]);
        // Only an order the order list showed for it.
        let unknown = claim(&journal, &open, "CS2612010800CCCCC").unwrap_err();
        assert!(
            unknown.message.contains("not one the order list showed"),
            "{unknown}"
        );
        // Another purchase's order cannot be this one's.
        let taken = claim(&journal, &open, "CS2612010800AAAAA").unwrap_err();
        assert!(taken.message.contains("another purchase"), "{taken}");
        // A settled purchase takes no claim.
        let settled = claim(&journal, &placed, "CS2612010800BBBBB").unwrap_err();
        assert!(settled.message.contains("already known"), "{settled}");
        // While another process sends it, nothing is recorded.
        let _sending = journal.try_lock_purchase(open.as_str()).unwrap().unwrap();
        let busy = dismiss(&journal, &open, "CS2612010800BBBBB").unwrap_err();
        assert!(busy.message.contains("right now"), "{busy}");
        drop(_sending);
        claim(&journal, &open, "CS2612010800BBBBB").unwrap();
        let record = journal.purchase(open.as_str()).unwrap().unwrap();
        assert_eq!(record.order_id.as_deref(), Some("CS2612010800BBBBB"));
    }

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
