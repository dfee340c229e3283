//! Cost estimates from the known list prices. A price that is not known is
//! absent, never zero: the estimate names every part it could not price.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

use super::catalog::Catalog;
use super::order::{Extra, PeriodType};

pub const EMBEDDED_PRICES: &str = include_str!("../../assets/prices.json");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceEntry {
    pub region: String,
    pub spec: String,
    /// Decimal text such as "9.00", so no float ever touches money.
    pub price: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    pub currency: String,
    pub source: String,
    pub recorded_on: String,
    #[serde(default)]
    pub published_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub monthly: Vec<PriceEntry>,
}

/// An amount in hundredths of the currency unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Money {
    pub cents: i64,
}

impl Money {
    /// Parses "9", "9.5" or "9.00"; more than two decimals is refused.
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<2}").parse().ok()?
        };
        Some(Money {
            cents: whole.checked_mul(100)?.checked_add(frac)?,
        })
    }

    pub fn times(self, factor: i64) -> Money {
        Money {
            cents: self.cents.saturating_mul(factor),
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.cents / 100;
        let cents = self.cents % 100;
        // Thousands separators help read totals like 1,896,000.00.
        let digits = whole.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{grouped}.{cents:02}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {}", problems.join("; "))]
pub struct PriceTableError {
    pub origin: String,
    pub problems: Vec<String>,
}

impl PriceTable {
    pub fn embedded() -> PriceTable {
        PriceTable::from_json(EMBEDDED_PRICES, "embedded prices", &Catalog::embedded())
            .expect("the embedded price table is validated by the test suite")
    }

    /// Parses and validates a price table against the catalog it prices.
    pub fn from_json(
        text: &str,
        origin: &str,
        catalog: &Catalog,
    ) -> Result<PriceTable, PriceTableError> {
        let fail = |problems| PriceTableError {
            origin: origin.to_string(),
            problems,
        };
        let table: PriceTable =
            serde_json::from_str(text).map_err(|e| fail(vec![super::json_syntax_problem(&e)]))?;
        let mut problems = Vec::new();
        problems.extend(super::freshness::day_problem(
            "recorded_on",
            &table.recorded_on,
        ));
        if let Some(published_on) = &table.published_on {
            problems.extend(super::freshness::day_problem("published_on", published_on));
        }
        if table.currency.trim().is_empty() {
            problems.push(format!("currency: {}", tr!("core.file.must_not_be_empty")));
        }
        let mut seen = HashSet::new();
        for (i, entry) in table.monthly.iter().enumerate() {
            if catalog.region(&entry.region).is_none() {
                let problem = tr!("core.file.unknown_region", code = entry.region);
                problems.push(format!("monthly[{i}].region: {problem}"));
            }
            if catalog.spec(&entry.spec).is_none() {
                let problem = tr!("core.file.unknown_spec", code = entry.spec);
                problems.push(format!("monthly[{i}].spec: {problem}"));
            }
            if Money::parse(&entry.price).is_none() {
                let problem = tr!("core.file.not_an_amount", price = entry.price);
                problems.push(format!("monthly[{i}].price: {problem}"));
            }
            if !seen.insert((entry.region.as_str(), entry.spec.as_str())) {
                let problem = tr!(
                    "core.file.priced_twice",
                    spec = entry.spec,
                    region = entry.region
                );
                problems.push(format!("monthly[{i}]: {problem}"));
            }
        }
        if problems.is_empty() {
            Ok(table)
        } else {
            Err(fail(problems))
        }
    }

    /// The monthly list price of one package in one region, if known.
    pub fn monthly_price(&self, region: &str, spec: &str) -> Option<Money> {
        self.monthly
            .iter()
            .find(|e| e.region == region && e.spec == spec)
            .and_then(|e| Money::parse(&e.price))
    }
}

/// What a purchase would cost, as far as anyone knows before ordering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub currency: String,
    /// The package's monthly list price for one instance, if known.
    pub per_instance_month: Option<Money>,
    pub months: i64,
    pub quantity: i64,
    /// per_instance_month x months x quantity, when the package is priced.
    pub total: Option<Money>,
    /// Parts of the order with no known price, in words.
    pub unpriced: Vec<String>,
    /// Caveats that do not change the figure (e.g. yearly discounts).
    pub notes: Vec<String>,
}

pub struct EstimateInput<'a> {
    pub region: &'a str,
    pub plan_spec: &'a str,
    pub period_type: PeriodType,
    pub period_num: i64,
    pub quantity: i64,
    pub extras: &'a [Extra],
}

impl Estimate {
    pub fn new(prices: &PriceTable, catalog: &Catalog, input: &EstimateInput<'_>) -> Estimate {
        let months = input.period_type.months(input.period_num);
        let per_instance_month = prices.monthly_price(input.region, input.plan_spec);
        let mut unpriced = Vec::new();
        if per_instance_month.is_none() {
            unpriced.push(tr!(
                "core.estimate.package_unpriced",
                spec = input.plan_spec,
                region = catalog.region_name(input.region)
            ));
        }
        for extra in input.extras {
            unpriced.push(extra.describe());
        }
        let mut notes = Vec::new();
        if input.period_type == PeriodType::Year && per_instance_month.is_some() {
            notes.push(tr!("core.estimate.yearly_note"));
        }
        notes.push(tr!("core.estimate.order_states_amount"));
        Estimate {
            currency: prices.currency.clone(),
            per_instance_month,
            months,
            quantity: input.quantity,
            total: per_instance_month.map(|p| p.times(months).times(input.quantity)),
            unpriced,
            notes,
        }
    }

    /// "USD 9.00" or "no list price".
    pub fn per_month_text(&self) -> String {
        match self.per_instance_month {
            Some(m) => format!("{} {m}", self.currency),
            None => tr!("core.estimate.no_list_price"),
        }
    }

    /// One line for summaries: the total, and what it leaves out.
    pub fn total_text(&self) -> String {
        match self.total {
            Some(total) if self.unpriced.is_empty() => format!("{} {total}", self.currency),
            Some(total) => tr!(
                "core.estimate.total_plus_unpriced",
                total = format!("{} {total}", self.currency),
                unpriced = self.unpriced.join(&tr!("core.list.separator"))
            ),
            None => tr!(
                "core.estimate.total_not_known",
                unpriced = self.unpriced.join(&tr!("core.list.separator"))
            ),
        }
    }
}

/// The most one order may cost by its estimate (`max_order_total`, in the
/// price table's currency), and whether an order that cannot be fully
/// priced may go ahead anyway. Without a maximum there is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpendingLimit {
    pub max_total: Option<Money>,
    pub allow_unpriced: bool,
}

impl SpendingLimit {
    /// Whether an order with this estimate may be sent; the refusal names
    /// the limit and the estimate. An estimate with unpriced parts is not a
    /// total, so it is refused unless `allow_unpriced` says otherwise.
    pub fn check(&self, estimate: &Estimate) -> Result<(), String> {
        let Some(limit) = self.max_total else {
            return Ok(());
        };
        let currency = &estimate.currency;
        if let Some(total) = estimate.total
            && total > limit
        {
            return Err(tr!(
                "core.limit.over",
                total = format!("{currency} {total}"),
                limit = format!("{currency} {limit}")
            ));
        }
        if !estimate.unpriced.is_empty() && !self.allow_unpriced {
            return Err(tr!(
                "core.limit.unpriced",
                total = estimate.total_text(),
                limit = format!("{currency} {limit}")
            ));
        }
        Ok(())
    }

    /// "USD 100.00", with what happens to unpriced orders; `None` without a
    /// limit.
    pub fn text(&self, currency: &str) -> Option<String> {
        let limit = self.max_total?;
        let limit = format!("{currency} {limit}");
        Some(if self.allow_unpriced {
            tr!("core.limit.text_unpriced_allowed", limit = limit)
        } else {
            tr!("core.limit.text_unpriced_refused", limit = limit)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::ExtraKind;

    #[test]
    fn money_parses_and_prints_exactly() {
        assert_eq!(Money::parse("9").unwrap().cents, 900);
        assert_eq!(Money::parse("9.5").unwrap().cents, 950);
        assert_eq!(Money::parse("19.05").unwrap().cents, 1905);
        assert!(Money::parse("9.001").is_none());
        assert!(Money::parse("-1").is_none());
        assert!(Money::parse("").is_none());
        assert_eq!(Money { cents: 189_600_000 }.to_string(), "1,896,000.00");
        assert_eq!(Money { cents: 905 }.to_string(), "9.05");
    }

    #[test]
    fn known_prices_multiply_and_unknown_parts_are_named() {
        let catalog = Catalog::embedded();
        let prices = PriceTable::embedded();
        let extras = [
            Extra {
                kind: ExtraKind::Evs,
                size: Some(20),
            },
            Extra {
                kind: ExtraKind::Hss,
                size: None,
            },
        ];
        let e = Estimate::new(
            &prices,
            &catalog,
            &EstimateInput {
                region: "ap-southeast-3",
                plan_spec: "hf.large.2.30m.linux",
                period_type: PeriodType::Month,
                period_num: 3,
                quantity: 2,
                extras: &extras,
            },
        );
        assert_eq!(e.per_instance_month, Some(Money { cents: 1900 }));
        assert_eq!(
            e.total,
            Some(Money {
                cents: 19 * 3 * 2 * 100
            })
        );
        assert_eq!(
            e.unpriced,
            vec!["EVS data disk 20 GiB", "HSS host security"]
        );
        assert_eq!(
            e.total_text(),
            "USD 114.00 plus unpriced: EVS data disk 20 GiB, HSS host security"
        );
    }

    #[test]
    fn an_unknown_price_is_never_zero() {
        let catalog = Catalog::embedded();
        let prices = PriceTable::embedded();
        for (region, spec) in [
            ("tr-west-1", "hf.large.1.30m.linux"),
            ("ap-southeast-3", "hf.large.05.30m.linux"),
        ] {
            let e = Estimate::new(
                &prices,
                &catalog,
                &EstimateInput {
                    region,
                    plan_spec: spec,
                    period_type: PeriodType::Year,
                    period_num: 1,
                    quantity: 1,
                    extras: &[],
                },
            );
            assert_eq!(e.total, None);
            assert_eq!(e.per_month_text(), "no list price");
            assert!(e.unpriced[0].contains(spec), "{:?}", e.unpriced);
        }
    }

    #[test]
    fn a_bad_price_table_names_each_mistake() {
        let catalog = Catalog::embedded();
        let text = r#"{"currency":"USD","source":"me","recorded_on":"2026-01-01",
            "monthly":[{"region":"mars-1","spec":"hf.large.1.30m.linux","price":"9"},
                       {"region":"ap-southeast-3","spec":"hf.large.1.30m.linux","price":"nine"}]}"#;
        let err = PriceTable::from_json(text, "p.json", &catalog).unwrap_err();
        assert_eq!(
            err.problems,
            vec![
                "monthly[0].region: unknown region \"mars-1\"",
                "monthly[1].price: \"nine\" is not an amount like \"9.00\""
            ]
        );
    }

    fn estimate_of(total: Option<i64>, unpriced: &[&str]) -> Estimate {
        Estimate {
            currency: "USD".into(),
            per_instance_month: total.map(|cents| Money { cents }),
            months: 1,
            quantity: 1,
            total: total.map(|cents| Money { cents }),
            unpriced: unpriced.iter().map(|s| s.to_string()).collect(),
            notes: vec![],
        }
    }

    #[test]
    fn the_spending_limit_refuses_in_chinese_naming_both_amounts() {
        let limit = SpendingLimit {
            max_total: Some(Money { cents: 10_000 }),
            allow_unpriced: false,
        };
        let over = crate::lang::in_language(crate::lang::Lang::Zh, || {
            limit.check(&estimate_of(Some(10_001), &[])).unwrap_err()
        });
        assert_eq!(
            over,
            "预估总价USD 100.01超过了消费上限USD 100.00（max_order_total）"
        );
    }

    #[test]
    fn the_limit_refuses_totals_over_it_and_unpriced_orders() {
        let limit = SpendingLimit {
            max_total: Some(Money { cents: 10_000 }),
            allow_unpriced: false,
        };
        assert_eq!(limit.check(&estimate_of(Some(10_000), &[])), Ok(()));
        let over = limit.check(&estimate_of(Some(10_001), &[])).unwrap_err();
        assert!(
            over.contains("USD 100.01") && over.contains("limit of USD 100.00"),
            "{over}"
        );
        let unpriced = limit
            .check(&estimate_of(None, &["the x package"]))
            .unwrap_err();
        assert!(unpriced.contains("allow_unpriced = true"), "{unpriced}");
        let partial = limit
            .check(&estimate_of(Some(500), &["HSS host security"]))
            .unwrap_err();
        assert!(partial.contains("HSS host security"), "{partial}");

        let lenient = SpendingLimit {
            allow_unpriced: true,
            ..limit
        };
        assert_eq!(
            lenient.check(&estimate_of(None, &["the x package"])),
            Ok(())
        );
        assert!(lenient.check(&estimate_of(Some(20_000), &["HSS"])).is_err());
        assert_eq!(
            SpendingLimit::default().check(&estimate_of(None, &["x"])),
            Ok(())
        );
    }
}
