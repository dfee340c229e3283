//! The sandbox's order book: what was ordered, and what status each order is
//! in at a given instant. Status is computed from timestamps when asked, so
//! no timers run: an auto-paid order is processing (3) until `complete_after`
//! has passed since payment, then completed (5); an unpaid one is pending
//! payment (6) until paid, cancelled, or past its payment deadline.

use crate::api::wire::bss_time;
use std::time::{Duration, Instant};

use serde_json::Value;
use time::OffsetDateTime;

use crate::api::wire::{OrderInfo, OrderLineItem, status};
use crate::domain::catalog::Catalog;
use crate::domain::order::{PeriodType, RequestBody};
use crate::domain::pricing::{Money, PriceTable};

use super::ids;

/// The monthly figure for one instance whose package has no known list
/// price: obviously not a real price (documented in `flexus sandbox --help`).
pub const UNLISTED_MONTHLY_PRICE: Money = Money { cents: 1 };

pub const CURRENCY: &str = "USD";
pub const SERVICE_TYPE_CODE: &str = crate::api::wire::FLEXUSL_SERVICE_TYPE_CODE;
pub const SERVICE_TYPE_NAME: &str = "FlexusL";
/// `order_type` 1: a new purchase.
pub const ORDER_TYPE_NEW: i32 = 1;
/// `source_type` 1: placed by the customer.
pub const SOURCE_TYPE_CUSTOMER: i32 = 1;
/// `measure_id` 1: amounts in whole currency units.
pub const MEASURE_ID_UNIT: i32 = 1;

#[derive(Debug, Clone)]
enum Payment {
    Pending { deadline: OffsetDateTime },
    Paid { at: OffsetDateTime, since: Instant },
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub order_id: String,
    pub client_request_id: String,
    pub body: Value,
    pub instance_ids: Vec<String>,
    pub created_at: OffsetDateTime,
    request: RequestBody,
    amount: Money,
    payment: Payment,
}

/// Why a payment or cancellation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoSuchOrder,
    /// Unpaid past its payment deadline (so BSS cancelled it).
    PastDeadline,
    NotPending {
        status: i32,
    },
}

#[derive(Debug, Default)]
pub struct OrderBook {
    orders: Vec<Order>,
}

/// The timing rules of a sandbox.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub complete_after: Duration,
    pub payment_window: Duration,
}

/// The filters of the order list, already checked.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub order_id: Option<String>,
    pub create_time_begin: Option<OffsetDateTime>,
    pub create_time_end: Option<OffsetDateTime>,
    pub service_type_code: Option<String>,
    pub status: Option<i32>,
    pub order_type: Option<i32>,
    pub offset: usize,
    pub limit: usize,
    pub newest_first: bool,
}

impl Order {
    pub fn status(&self, now: OffsetDateTime, now_instant: Instant, timing: Timing) -> i32 {
        match &self.payment {
            Payment::Cancelled => status::CANCELLED,
            Payment::Pending { deadline } if now > *deadline => status::CANCELLED,
            Payment::Pending { .. } => status::PENDING_PAYMENT,
            Payment::Paid { since, .. } => {
                if now_instant.saturating_duration_since(*since) >= timing.complete_after {
                    status::COMPLETED
                } else {
                    status::PROCESSING
                }
            }
        }
    }

    fn amount_value(&self) -> f64 {
        self.amount.cents as f64 / 100.0
    }

    pub fn info(
        &self,
        account: &Account,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> OrderInfo {
        let status = self.status(now, now_instant, timing);
        let payment_time = match &self.payment {
            Payment::Paid { at, .. } => Some(bss_time(*at)),
            _ => None,
        };
        let pending_payment_end_time = match &self.payment {
            Payment::Pending { deadline } => Some(bss_time(*deadline)),
            _ => None,
        };
        OrderInfo {
            order_id: self.order_id.clone(),
            customer_id: Some(account.customer_id.clone()),
            service_type_code: Some(SERVICE_TYPE_CODE.to_string()),
            service_type_name: Some(SERVICE_TYPE_NAME.to_string()),
            source_type: Some(SOURCE_TYPE_CUSTOMER),
            status,
            order_type: Some(ORDER_TYPE_NEW),
            amount_after_discount: Some(self.amount_value()),
            official_amount: Some(self.amount_value()),
            measure_id: Some(MEASURE_ID_UNIT),
            create_time: Some(bss_time(self.created_at)),
            payment_time,
            currency: Some(CURRENCY.to_string()),
            contract_id: None,
            user_name: Some(account.user_name.clone()),
            pending_payment_end_time,
        }
    }

    /// The order as an entry of the order list, which says less than the
    /// details: BSS's list entries (`CustomerOrderV2` in Huawei's SDKs) have
    /// no `user_name` and no `pending_payment_end_time`.
    pub fn list_entry(
        &self,
        account: &Account,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> OrderInfo {
        OrderInfo {
            user_name: None,
            pending_payment_end_time: None,
            ..self.info(account, now, now_instant, timing)
        }
    }

    pub fn line_item(&self, catalog: &Catalog) -> OrderLineItem {
        let spec = catalog
            .spec(&self.request.plan_spec)
            .map(|s| format!("{} ({})", s.code, s.short_description()))
            .unwrap_or_else(|| self.request.plan_spec.clone());
        let months = self
            .request
            .period_type
            .months(i64::from(self.request.period_num));
        let (effective_time, expire_time) = match &self.payment {
            Payment::Paid { at, .. } => {
                (Some(bss_time(*at)), Some(bss_time(add_months(*at, months))))
            }
            _ => (None, None),
        };
        OrderLineItem {
            order_line_item_id: Some(format!("{}-000001", self.order_id)),
            service_type_code: Some(SERVICE_TYPE_CODE.to_string()),
            product_spec_desc: Some(format!(
                "FlexusL {spec}, {}",
                // Huawei answers in English, whatever the reader's language.
                catalog
                    .region(&self.request.region)
                    .map_or(self.request.region.as_str(), |r| r.name.as_str())
            )),
            period_type: Some(match self.request.period_type {
                PeriodType::Month => 2,
                PeriodType::Year => 3,
            }),
            period_num: Some(self.request.period_num as i32),
            subscription_num: Some(self.request.purchase_quantity as i32),
            effective_time,
            expire_time,
            official_amount: Some(self.amount_value()),
            amount_after_discount: Some(self.amount_value()),
            currency: Some(CURRENCY.to_string()),
        }
    }
}

/// Who the orders belong to, as BSS shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub customer_id: String,
    pub user_name: String,
}

fn add_months(t: OffsetDateTime, months: i64) -> OffsetDateTime {
    let total = i64::from(u8::from(t.month()) - 1) + months;
    let year = t.year() + (total / 12) as i32;
    let month = time::Month::try_from((total % 12) as u8 + 1).unwrap_or(time::Month::January);
    let last_day = time::util::days_in_month(month, year);
    let day = t.day().min(last_day);
    t.replace_day(1)
        .and_then(|t| t.replace_year(year))
        .and_then(|t| t.replace_month(month))
        .and_then(|t| t.replace_day(day))
        .unwrap_or(t)
}

/// The order's amount: list price x months x quantity, or the sandbox
/// figure when the package has no known list price. Add-ons are free here.
pub fn amount(prices: &PriceTable, request: &RequestBody) -> Money {
    let months = request.period_type.months(i64::from(request.period_num));
    prices
        .monthly_price(&request.region, &request.plan_spec)
        .unwrap_or(UNLISTED_MONTHLY_PRICE)
        .times(months)
        .times(i64::from(request.purchase_quantity))
}

impl OrderBook {
    /// Records a new order. `request` must have passed the domain's rules.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &mut self,
        client_request_id: &str,
        body: Value,
        request: RequestBody,
        prices: &PriceTable,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> &Order {
        let mut order_id = ids::order_id(now);
        while self.find(&order_id).is_some() {
            order_id = ids::order_id(now);
        }
        let instance_ids = (0..request.purchase_quantity)
            .map(|_| ids::instance_id(now))
            .collect();
        let payment = if request.is_auto_pay {
            Payment::Paid {
                at: now,
                since: now_instant,
            }
        } else {
            Payment::Pending {
                deadline: now + timing.payment_window,
            }
        };
        self.orders.push(Order {
            order_id,
            client_request_id: client_request_id.to_string(),
            body,
            instance_ids,
            created_at: now,
            amount: amount(prices, &request),
            request,
            payment,
        });
        self.orders.last().expect("just pushed")
    }

    pub fn find(&self, order_id: &str) -> Option<&Order> {
        self.orders.iter().find(|o| o.order_id == order_id)
    }

    pub fn all(&self) -> &[Order] {
        &self.orders
    }

    pub fn pay(
        &mut self,
        order_id: &str,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> Result<(), Refusal> {
        let order = self.pending(order_id, now, now_instant, timing)?;
        order.payment = Payment::Paid {
            at: now,
            since: now_instant,
        };
        Ok(())
    }

    pub fn cancel(
        &mut self,
        order_id: &str,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> Result<(), Refusal> {
        let order = self.pending(order_id, now, now_instant, timing)?;
        order.payment = Payment::Cancelled;
        Ok(())
    }

    fn pending(
        &mut self,
        order_id: &str,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> Result<&mut Order, Refusal> {
        let order = self
            .orders
            .iter_mut()
            .find(|o| o.order_id == order_id)
            .ok_or(Refusal::NoSuchOrder)?;
        if matches!(order.payment, Payment::Pending { deadline } if now > deadline) {
            return Err(Refusal::PastDeadline);
        }
        match order.status(now, now_instant, timing) {
            status::PENDING_PAYMENT => Ok(order),
            status => Err(Refusal::NotPending { status }),
        }
    }

    /// The orders matching a query, and how many matched before paging.
    pub fn list(
        &self,
        query: &ListQuery,
        now: OffsetDateTime,
        now_instant: Instant,
        timing: Timing,
    ) -> (usize, Vec<&Order>) {
        let mut matching: Vec<&Order> = self
            .orders
            .iter()
            .filter(|o| query.order_id.as_ref().is_none_or(|id| &o.order_id == id))
            .filter(|o| {
                // BSS times have whole seconds; compare at that precision.
                let created = o.created_at.replace_nanosecond(0).unwrap_or(o.created_at);
                query.create_time_begin.is_none_or(|b| created >= b)
                    && query.create_time_end.is_none_or(|e| created <= e)
            })
            // Every sandbox order is a new FlexusL purchase.
            .filter(|_| {
                query
                    .service_type_code
                    .as_ref()
                    .is_none_or(|c| c == SERVICE_TYPE_CODE)
                    && query.order_type.is_none_or(|t| t == ORDER_TYPE_NEW)
            })
            .filter(|o| {
                query
                    .status
                    .is_none_or(|s| o.status(now, now_instant, timing) == s)
            })
            .collect();
        if query.newest_first {
            matching.reverse();
        }
        let total = matching.len();
        let page = matching
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .collect();
        (total, page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::parse_bss_time;
    use time::macros::datetime;

    const TIMING: Timing = Timing {
        complete_after: Duration::from_secs(10),
        payment_window: Duration::from_secs(3600),
    };

    fn request(auto_pay: bool) -> (Value, RequestBody) {
        let body = serde_json::json!({
            "instance_name": "web-1",
            "plan_spec": "hf.large.1.30m.linux",
            "image_ref": {"image_name": "BT", "image_version": "6.8.35"},
            "region": "ap-southeast-3",
            "charging_mode": "prePaid",
            "period_type": "year",
            "period_num": 2,
            "purchase_quantity": 3,
            "is_auto_pay": auto_pay
        });
        let (draft, problems) = crate::domain::order::Draft::from_plan_value(&body);
        assert!(problems.is_empty(), "{problems:?}");
        let request = draft.request_body(&Catalog::embedded()).unwrap();
        (body, request)
    }

    fn book_with(auto_pay: bool, now: OffsetDateTime, at: Instant) -> (OrderBook, String) {
        let mut book = OrderBook::default();
        let (body, request) = request(auto_pay);
        let id = book
            .create(
                "req-1",
                body,
                request,
                &PriceTable::embedded(),
                now,
                at,
                TIMING,
            )
            .order_id
            .clone();
        (book, id)
    }

    #[test]
    fn an_auto_paid_order_completes_after_complete_after() {
        let now = datetime!(2024-02-28 11:30:00 UTC);
        let t0 = Instant::now();
        let (book, id) = book_with(true, now, t0);
        let order = book.find(&id).unwrap();
        assert_eq!(order.status(now, t0, TIMING), status::PROCESSING);
        let later = t0 + Duration::from_secs(9);
        assert_eq!(order.status(now, later, TIMING), status::PROCESSING);
        let done = t0 + Duration::from_secs(10);
        assert_eq!(order.status(now, done, TIMING), status::COMPLETED);
    }

    #[test]
    fn an_unpaid_order_is_cancelled_after_its_deadline() {
        let now = datetime!(2024-02-28 11:30:00 UTC);
        let t0 = Instant::now();
        let (mut book, id) = book_with(false, now, t0);
        let info = book.find(&id).unwrap().info(
            &Account {
                customer_id: "c".into(),
                user_name: "u".into(),
            },
            now,
            t0,
            TIMING,
        );
        assert_eq!(info.status, status::PENDING_PAYMENT);
        assert_eq!(
            info.pending_payment_end_time.as_deref(),
            Some("2024-02-28T12:30:00Z")
        );
        let late = now + Duration::from_secs(3601);
        assert_eq!(
            book.find(&id).unwrap().status(late, t0, TIMING),
            status::CANCELLED
        );
        assert_eq!(book.pay(&id, late, t0, TIMING), Err(Refusal::PastDeadline));
        assert_eq!(book.pay(&id, now, t0, TIMING), Ok(()));
        assert_eq!(
            book.cancel(&id, now, t0, TIMING),
            Err(Refusal::NotPending {
                status: status::PROCESSING
            })
        );
        assert_eq!(
            book.pay("CS-nope", now, t0, TIMING),
            Err(Refusal::NoSuchOrder)
        );
    }

    #[test]
    fn amounts_are_list_price_times_months_times_quantity() {
        let (_, request) = request(true);
        let prices = PriceTable::embedded();
        let monthly = prices
            .monthly_price("ap-southeast-3", "hf.large.1.30m.linux")
            .unwrap();
        assert_eq!(amount(&prices, &request), monthly.times(24).times(3));
        let mut unpriced = request.clone();
        unpriced.region = "nowhere-1".into();
        assert_eq!(
            amount(&prices, &unpriced),
            UNLISTED_MONTHLY_PRICE.times(24).times(3)
        );
    }

    #[test]
    fn a_list_entry_leaves_out_what_only_the_details_say() {
        let now = datetime!(2024-02-28 11:30:00 UTC);
        let t0 = Instant::now();
        let (book, id) = book_with(false, now, t0);
        let order = book.find(&id).unwrap();
        let account = Account {
            customer_id: "c0ffee".into(),
            user_name: "buyer".into(),
        };
        let details = order.info(&account, now, t0, TIMING);
        assert_eq!(details.status, status::PENDING_PAYMENT);
        assert_eq!(details.user_name.as_deref(), Some("buyer"));
        assert!(details.pending_payment_end_time.is_some());
        let entry = order.list_entry(&account, now, t0, TIMING);
        assert_eq!(
            (entry.user_name, entry.pending_payment_end_time),
            (None, None)
        );
        assert_eq!(
            OrderInfo {
                user_name: details.user_name.clone(),
                pending_payment_end_time: details.pending_payment_end_time.clone(),
                ..entry
            },
            details
        );
    }

    #[test]
    fn the_line_item_runs_for_the_period_from_payment() {
        let now = datetime!(2024-01-31 08:00:00 UTC);
        let (book, id) = book_with(true, now, Instant::now());
        let item = book.find(&id).unwrap().line_item(&Catalog::embedded());
        assert_eq!(item.period_type, Some(3));
        assert_eq!(item.period_num, Some(2));
        assert_eq!(item.subscription_num, Some(3));
        assert_eq!(item.effective_time.as_deref(), Some("2024-01-31T08:00:00Z"));
        assert_eq!(item.expire_time.as_deref(), Some("2026-01-31T08:00:00Z"));
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        let jan31 = datetime!(2024-01-31 08:00:00 UTC);
        assert_eq!(add_months(jan31, 1), datetime!(2024-02-29 08:00:00 UTC));
        assert_eq!(add_months(jan31, 13), datetime!(2025-02-28 08:00:00 UTC));
        assert_eq!(add_months(jan31, 11), datetime!(2024-12-31 08:00:00 UTC));
        assert_eq!(add_months(jan31, 36), datetime!(2027-01-31 08:00:00 UTC));
    }

    #[test]
    fn bss_times_round_trip_and_refuse_other_forms() {
        let t = datetime!(2024-02-28 11:30:05 UTC);
        assert_eq!(bss_time(t), "2024-02-28T11:30:05Z");
        assert_eq!(parse_bss_time("2024-02-28T11:30:05Z"), Some(t));
        assert_eq!(parse_bss_time("2024-02-28 11:30:05"), None);
        assert_eq!(parse_bss_time("2024-02-28T11:30:05+08:00"), None);
        assert_eq!(parse_bss_time("2024-02-28T11:30:05.123Z"), None);
    }
}
