//! The sandbox's order book: what was ordered, and what status each order is
//! in at a given instant. Status is computed from timestamps when asked, so
//! no timers run: an auto-paid order is processing (3) until `complete_after`
//! has passed since payment, then completed (5); an unpaid one is pending
//! payment (6) until paid, cancelled, or past its payment deadline.

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
pub const SERVICE_TYPE_CODE: &str = "hws.service.type.hcss";
pub const SERVICE_TYPE_NAME: &str = "FlexusL";
/// `order_type` 1: a new purchase.
pub const ORDER_TYPE_NEW: i32 = 1;
/// `source_type` 1: placed by the customer.
pub const SOURCE_TYPE_CUSTOMER: i32 = 1;
/// `measure_id` 1: amounts in whole currency units.
pub const MEASURE_ID_UNIT: i32 = 1;

/// The format of every BSS time: UTC `yyyy-MM-ddTHH:mm:ssZ`.
pub fn bss_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a BSS time, refusing anything but `yyyy-MM-ddTHH:mm:ssZ`.
pub fn parse_bss_time(text: &str) -> Option<OffsetDateTime> {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(text, format)
        .ok()
        .map(|t| t.assume_utc())
}

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
    NotPending { status: i32 },
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
                catalog.region_name(&self.request.region)
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
