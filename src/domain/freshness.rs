//! How old the built-in knowledge is: the catalog and the price table carry
//! the day they describe, and a price table more than a year old is worth a
//! warning, since Huawei changes its list prices. Today is an argument, so
//! this stays pure and tests can name any day.

use jiff::ToSpan;
use jiff::civil::Date;

use super::pricing::PriceTable;

/// A day as the tables write it, "2026-11-26"; `None` for anything else.
pub fn day(text: &str) -> Option<Date> {
    let text = text.trim();
    // jiff also reads times and other forms; the tables hold plain days.
    if text.len() != 10 {
        return None;
    }
    text.parse().ok()
}

/// The problem with a table's date field, if it is not a day.
pub fn day_problem(field: &str, text: &str) -> Option<String> {
    day(text)
        .is_none()
        .then(|| format!("{field}: {}", tr!("core.file.not_a_day", text = text)))
}

/// The warning for a price table recorded more than a year before
/// `today`, saying how to bring a newer one; `None` while it is fresh.
pub fn stale_prices_warning(prices: &PriceTable, today: Date) -> Option<String> {
    let recorded = day(&prices.recorded_on)?;
    let year_later = recorded.checked_add(1.year()).ok()?;
    (today > year_later).then(|| tr!("core.prices.stale", recorded = recorded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::Catalog;

    fn recorded_on(text: &str) -> PriceTable {
        PriceTable {
            recorded_on: text.to_string(),
            ..PriceTable::embedded()
        }
    }

    fn on(text: &str) -> Date {
        day(text).unwrap()
    }

    #[test]
    fn prices_are_stale_only_after_a_whole_year() {
        let prices = recorded_on("2025-03-10");
        assert_eq!(stale_prices_warning(&prices, on("2025-03-10")), None);
        assert_eq!(stale_prices_warning(&prices, on("2026-03-10")), None);
        let warning = stale_prices_warning(&prices, on("2026-03-11")).expect("a warning");
        assert!(warning.contains("recorded on 2025-03-10"), "{warning}");
        assert!(warning.contains("--prices FILE"), "{warning}");
    }

    #[test]
    fn a_leap_day_is_a_year_old_on_the_last_day_of_february() {
        let prices = recorded_on("2024-02-29");
        assert_eq!(stale_prices_warning(&prices, on("2025-02-28")), None);
        assert!(stale_prices_warning(&prices, on("2025-03-01")).is_some());
    }

    #[test]
    fn only_plain_days_are_days() {
        assert_eq!(day("2026-11-26"), Some(jiff::civil::date(2026, 11, 26)));
        for text in ["2026-13-01", "26 Nov 2026", "2026-11-26T10:00:00Z", ""] {
            assert_eq!(day(text), None, "{text}");
        }
        assert!(
            day_problem("recorded_on", "soon")
                .unwrap()
                .contains("recorded_on")
        );
    }

    #[test]
    fn the_built_in_tables_carry_their_days() {
        assert!(day(&PriceTable::embedded().recorded_on).is_some());
        let updated = Catalog::embedded().updated_on.expect("the catalog's day");
        assert!(day(&updated).is_some(), "{updated}");
    }
}
