//! What the commands print with `--json`: one struct per result, written
//! here once. `docs/json.md` describes every field, and `tests/cli_json.rs`
//! compares its tables with what the commands print, so the two cannot
//! drift.
//!
//! The rules all share: standard output carries only these objects (words
//! for people go to standard error); times are UTC RFC 3339; amounts are
//! the numbers BSS gives; a failure is an object with an `error` member,
//! so a script need not read standard error.

use std::cell::RefCell;
use std::io::Write;

use serde::Serialize;

use super::common::{ConnectArgs, Session, connect, order_id_argument};
use crate::api::ids::OrderId;
use crate::api::journal::{PurchaseRecord, PurchaseState};
use crate::api::wire::{OrderDetails, OrderInfo, OrderLineItem, status};
use crate::config::ChosenProfile;
use crate::domain::order::{Problem, RequestBody};
use crate::exit::{Failure, output_failure};

/// `error` of a failure: what the exit code says, in a form a script reads.
#[derive(Debug, Serialize)]
pub struct ErrorJson {
    /// The service's error code, when a service refused.
    pub code: Option<String>,
    pub message: String,
    pub next_step: Option<String>,
    pub exit: i32,
}

impl From<&Failure> for ErrorJson {
    fn from(failure: &Failure) -> Self {
        ErrorJson {
            code: failure.service_code.clone(),
            message: failure.message.clone(),
            next_step: failure.next_step.clone(),
            exit: failure.code,
        }
    }
}

#[derive(Serialize)]
struct FailureJson {
    error: ErrorJson,
}

/// Writes one JSON object on its own line.
pub(super) fn write_line(out: &mut dyn Write, value: &impl Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string(value).expect("the JSON structs serialize");
    writeln!(out, "{text}").map_err(output_failure)
}

/// With `--json`, a failure is also told on standard output as
/// `{"error": …}`; the failure goes on to `main` for its words on standard
/// error and its exit code. A reader that went away is told nothing.
pub(super) fn reporting_failure<T>(
    json: bool,
    out: &mut dyn Write,
    result: Result<T, Failure>,
) -> Result<T, Failure> {
    if let Err(failure) = &result
        && json
    {
        write_failure(out, failure);
    }
    result
}

/// Tells `failure` as `{"error": …}` on `out`, unless it has no words (a
/// reader that went away). Writing it can fail only as the words on
/// standard error would, which `main` still prints.
pub fn write_failure(out: &mut dyn Write, failure: &Failure) {
    if !failure.message.is_empty() {
        let _ = write_line(
            out,
            &FailureJson {
                error: ErrorJson::from(failure),
            },
        );
    }
}

/// Runs a command whose JSON result may carry its own failure (an order
/// object with `error` inside, which `run` marks by setting `told`); any
/// other failure is told as `{"error": …}` by [`reporting_failure`].
pub(super) fn telling_once(
    json: bool,
    out: &mut dyn Write,
    run: impl FnOnce(&mut bool, &mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let mut told = false;
    let result = run(&mut told, out);
    if told {
        result
    } else {
        reporting_failure(json, out, result)
    }
}

/// An order status code as one stable word: `pending_payment`,
/// `completed`, … (`unknown` for a code the document does not list).
pub fn state_name(code: i32) -> &'static str {
    match code {
        status::PENDING_APPROVAL => "pending_approval",
        status::PENDING_REFUND => "pending_refund",
        status::PROCESSING => "processing",
        status::CANCELLED => "cancelled",
        status::COMPLETED => "completed",
        status::PENDING_PAYMENT => "pending_payment",
        status::TO_BE_CONFIRMED => "to_be_confirmed",
        _ => "unknown",
    }
}

/// A time from the service or the journal as UTC RFC 3339 (`…Z`); `None`
/// when it cannot be read as a time, rather than passing on a text a
/// script would misread.
pub fn utc(stamp: &str) -> Option<String> {
    let stamp = stamp.trim();
    if let Ok(at) = stamp.parse::<jiff::Timestamp>() {
        // Already UTC: kept as written, so it matches the journal's text.
        return Some(if stamp.ends_with('Z') {
            stamp.to_string()
        } else {
            at.to_string()
        });
    }
    // BSS writes some times without a zone; they are UTC.
    let civil = stamp.parse::<jiff::civil::DateTime>().ok()?;
    let at = jiff::tz::TimeZone::UTC.to_timestamp(civil).ok()?;
    Some(at.to_string())
}

fn utc_of(stamp: &Option<String>) -> Option<String> {
    stamp.as_deref().and_then(utc)
}

/// Two writers onto one stream: with `--json`, the lines a command would
/// print as its result go to standard error with its other words.
pub(super) struct Shared<'a, 'b>(pub(super) &'a RefCell<&'b mut dyn Write>);

impl Write for Shared<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// `flexus status ORDER_ID --json`, and each line of `--watch --json`.
#[derive(Debug, Serialize)]
pub struct StatusJson {
    pub order_id: String,
    pub state: &'static str,
    pub status: i32,
    pub amount: Option<f64>,
    pub official_amount: Option<f64>,
    pub currency: Option<String>,
    pub created_at: Option<String>,
    pub paid_at: Option<String>,
    pub pay_before: Option<String>,
    pub items: Vec<ItemJson>,
}

/// One line item of an order.
#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub spec: Option<String>,
    pub quantity: Option<i32>,
    pub amount: Option<f64>,
    pub expires_at: Option<String>,
}

impl StatusJson {
    pub fn new(order_id: &str, details: &OrderDetails) -> Self {
        let info: &OrderInfo = &details.order_info;
        StatusJson {
            order_id: order_id.to_string(),
            state: state_name(info.status),
            status: info.status,
            amount: info.amount_after_discount,
            official_amount: info.official_amount,
            currency: info.currency.clone(),
            created_at: utc_of(&info.create_time),
            paid_at: utc_of(&info.payment_time),
            pay_before: match info.status {
                status::PENDING_PAYMENT => utc_of(&info.pending_payment_end_time),
                _ => None,
            },
            items: details.order_line_items.iter().map(ItemJson::new).collect(),
        }
    }
}

impl ItemJson {
    fn new(item: &OrderLineItem) -> Self {
        ItemJson {
            spec: item.product_spec_desc.clone(),
            quantity: item.subscription_num,
            amount: item.amount_after_discount,
            expires_at: utc_of(&item.expire_time),
        }
    }
}

/// What became of a purchase or an action on an order, as far as it is
/// known when the command ends: `order`, `resend`, `pay`, `cancel`.
#[derive(Debug, Default, Serialize)]
pub struct OrderJson {
    pub order_id: Option<String>,
    pub instance_ids: Vec<String>,
    pub state: Option<&'static str>,
    pub status: Option<i32>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub client_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
}

impl OrderJson {
    /// What the journal and the service say now of the purchase with this
    /// Client-Request-Id, or of this order. Asked once more at the end, so
    /// the object holds the last state whatever way the command ended; what
    /// cannot be learnt (the network gone) stays null.
    pub(super) fn looked_up(
        session: &Session,
        client_request_id: Option<&str>,
        order_id: Option<&str>,
    ) -> Self {
        let journal = &session.journal;
        let record = match (client_request_id, order_id) {
            (Some(id), _) => journal.purchase(id).ok().flatten(),
            (None, Some(order)) => journal.purchase_of_order(order).ok().flatten(),
            (None, None) => None,
        };
        let order_id = order_id
            .map(str::to_string)
            .or_else(|| record.as_ref().and_then(|r| r.order_id.clone()));
        let mut found = OrderJson {
            client_request_id: client_request_id
                .map(str::to_string)
                .or_else(|| record.as_ref().map(|r| r.client_request_id.clone())),
            instance_ids: record
                .as_ref()
                .map(|r| r.instance_ids.clone())
                .unwrap_or_default(),
            status: record
                .as_ref()
                .and_then(|r| r.last_status.as_ref())
                .map(|s| s.0),
            ..OrderJson::default()
        };
        // Best effort, one attempt: the object is told at once even when
        // the network is what the action failed on (its fields are null).
        if let Some(order) = &order_id
            && let Ok((details, _)) = session
                .rt
                .block_on(session.client.order_details_once(order))
        {
            let info = &details.order_info;
            found.status = Some(info.status);
            found.amount = info.amount_after_discount;
            found.currency = info.currency.clone();
        }
        found.state = found.status.map(state_name);
        found.order_id = order_id;
        found
    }

    /// The object, with the failure the command ended in, if any.
    pub(super) fn ending(mut self, result: &Result<(), Failure>) -> Self {
        self.error = result.as_ref().err().map(ErrorJson::from);
        self
    }
}

/// Runs an action on a purchase or an order with every word it tells on
/// `err`, then writes on `out` the one object of what became of it, with
/// the failure it ended in. `told` records that the failure is on `out`
/// already.
pub(super) fn telling_order(
    session: &Session,
    client_request_id: Option<&str>,
    order_id: Option<&str>,
    told: &mut bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
    act: impl FnOnce(&mut dyn Write, &mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let words = RefCell::new(err);
    let acted = act(&mut Shared(&words), &mut Shared(&words));
    *told = true;
    let ended = OrderJson::looked_up(session, client_request_id, order_id).ending(&acted);
    write_line(out, &ended)?;
    acted
}

/// `pay` and `cancel`: `act` on one order named by its ID; with `--json`
/// the order as it ends up is told once, its failure inside it.
pub(super) fn acting_on_order(
    json: bool,
    connect_args: &ConnectArgs,
    profile: Option<&ChosenProfile>,
    order_id: &str,
    out: &mut dyn Write,
    err: &mut dyn Write,
    act: impl Fn(&Session, OrderId, &mut dyn Write, &mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    telling_once(json, out, |told, out| {
        let checked = order_id_argument(order_id)?;
        let session = connect(connect_args, profile)?;
        if !json {
            return act(&session, checked, out, err);
        }
        let shown = checked.to_string();
        telling_order(&session, None, Some(&shown), told, out, err, |out, err| {
            act(&session, checked, out, err)
        })
    })
}

/// `flexus order --dry-run --json`: the body that would be sent, or every
/// problem of the plan.
#[derive(Debug, Serialize)]
pub struct DryRunJson<'a> {
    pub valid: bool,
    /// The estimate is within the profile's `max_order_total` (true with
    /// no limit); false for a plan with problems, which has no estimate.
    pub within_spending_limit: bool,
    pub body: Option<&'a RequestBody>,
    pub problems: Vec<ProblemJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
    #[serde(flatten)]
    pub dates: DataDatesJson<'a>,
}

/// Which days the catalog and the price table describe, and whether the
/// prices are more than a year old (the warning on standard error says so
/// in words).
#[derive(Debug, Serialize)]
pub struct DataDatesJson<'a> {
    pub catalog_updated_on: Option<&'a str>,
    pub prices_recorded_on: &'a str,
    pub prices_published_on: Option<&'a str>,
    pub prices_stale: bool,
}

impl<'a> DataDatesJson<'a> {
    pub fn new(data: &'a super::Data, today: jiff::civil::Date) -> Self {
        DataDatesJson {
            catalog_updated_on: data.catalog.updated_on.as_deref(),
            prices_recorded_on: &data.prices.recorded_on,
            prices_published_on: data.prices.published_on.as_deref(),
            prices_stale: crate::domain::freshness::stale_prices_warning(&data.prices, today)
                .is_some(),
        }
    }
}

/// One problem of a plan: the field as the request body names it.
#[derive(Debug, Serialize)]
pub struct ProblemJson {
    pub field: String,
    pub message: String,
}

impl From<&Problem> for ProblemJson {
    fn from(problem: &Problem) -> Self {
        ProblemJson {
            field: problem.field.to_string(),
            message: problem.message.clone(),
        }
    }
}

/// `flexus orders --json`: one line per purchase of the journal.
#[derive(Debug, Serialize)]
pub struct PurchaseJson<'a> {
    pub client_request_id: &'a str,
    pub sent_at: Option<String>,
    pub last_sent_at: Option<String>,
    pub attempts: u32,
    pub endpoint: &'a str,
    pub order_id: Option<&'a str>,
    pub instance_ids: &'a [String],
    pub state: &'static str,
    pub state_text: String,
    pub status: Option<i32>,
    pub pay_before: Option<String>,
    pub found: &'a [String],
    pub body: &'a RequestBody,
}

impl<'a> From<&'a PurchaseRecord> for PurchaseJson<'a> {
    fn from(record: &'a PurchaseRecord) -> Self {
        let status = record.last_status.as_ref().map(|(code, _)| *code);
        let state = match (&record.state, status) {
            (PurchaseState::Placed, Some(code)) => state_name(code),
            (PurchaseState::Placed, None) => "placed",
            (PurchaseState::Rejected(failure), _)
                if failure.status.is_none() && failure.code.is_none() =>
            {
                "not_sent"
            }
            (PurchaseState::Rejected(_), _) => "refused",
            (PurchaseState::NothingPlaced, _) => "nothing_placed",
            (PurchaseState::Ambiguous { .. } | PurchaseState::Unanswered, _) => "unknown_outcome",
        };
        PurchaseJson {
            client_request_id: &record.client_request_id,
            sent_at: utc(&record.first_sent_at),
            last_sent_at: utc(&record.last_sent_at),
            attempts: record.attempts,
            endpoint: &record.endpoint,
            order_id: record.order_id.as_deref(),
            instance_ids: &record.instance_ids,
            state,
            state_text: record.state_text(&jiff::tz::TimeZone::UTC),
            status,
            pay_before: match status {
                Some(status::PENDING_PAYMENT) => utc_of(&record.pending_payment_end_time),
                _ => None,
            },
            found: &record.found,
            body: &record.body,
        }
    }
}

/// `flexus claim --json`.
#[derive(Debug, Serialize)]
pub struct ClaimJson<'a> {
    pub client_request_id: &'a str,
    pub order_id: &'a str,
    pub recorded: &'static str,
}

/// `flexus dismiss --json`.
#[derive(Debug, Serialize)]
pub struct DismissJson<'a> {
    pub client_request_id: &'a str,
    pub order_id: &'a str,
    pub recorded: &'static str,
    pub candidates_left: usize,
}

/// `flexus abandon --json`.
#[derive(Debug, Serialize)]
pub struct AbandonJson<'a> {
    pub client_request_id: &'a str,
    pub recorded: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_become_utc_with_a_z() {
        assert_eq!(
            utc("2026-01-22T08:46:00Z").as_deref(),
            Some("2026-01-22T08:46:00Z")
        );
        assert_eq!(
            utc("2026-01-22T16:46:00+08:00").as_deref(),
            Some("2026-01-22T08:46:00Z")
        );
        assert_eq!(
            utc("2026-01-22 08:46:00").as_deref(),
            Some("2026-01-22T08:46:00Z")
        );
        assert_eq!(utc("soon"), None);
    }

    #[test]
    fn every_listed_status_has_its_own_word() {
        let codes = [1, 2, 3, 4, 5, 6, 9];
        let words: std::collections::BTreeSet<_> = codes.iter().map(|c| state_name(*c)).collect();
        assert_eq!(words.len(), codes.len());
        assert!(!words.contains("unknown"));
        assert_eq!(state_name(7), "unknown");
    }
}
