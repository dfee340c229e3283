//! Times as a person reads them: in their own time zone, with that zone's
//! offset said, so "16:46:05 (UTC+08:00)" cannot be mistaken for UTC or for
//! another zone. The journal and JSON output keep UTC; only text meant for a
//! person goes through here.
//!
//! The zone is an argument, never looked up here: the front ends look it up
//! once at their start (`TimeZone::system()`, which honours `TZ`) and pass
//! it in, so these functions stay pure and tests can name any zone. The
//! offset is the zone's at each instant, so a time after a daylight-saving
//! change reads with the new offset.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};
use time::OffsetDateTime;

/// "16:46:05 (UTC+08:00)": a time of today, e.g. in a log line or when a
/// retry is due.
pub fn clock_time(at: OffsetDateTime, zone: &TimeZone) -> String {
    format!(
        "{} ({})",
        clock_digits(at, zone),
        offset_text(offset_at(at, zone))
    )
}

/// "16:46:05": the time of day alone, for a list whose heading says the
/// offset once ([`offset_at`]) so each row has room for its words.
pub fn clock_digits(at: OffsetDateTime, zone: &TimeZone) -> String {
    let (local, _) = in_zone(at, zone);
    format!(
        "{:02}:{:02}:{:02}",
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// The zone's offset at that instant (it differs across a daylight-saving
/// change).
pub fn offset_at(at: OffsetDateTime, zone: &TimeZone) -> Offset {
    in_zone(at, zone).1
}

/// "2026-01-22 16:46 (UTC+08:00)": a time that may be another day's, such
/// as when a purchase was sent or by when an order must be paid.
pub fn dated(at: OffsetDateTime, zone: &TimeZone) -> String {
    let (local, offset) = in_zone(at, zone);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} ({})",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        offset_text(offset)
    )
}

/// A time the services or the journal wrote (RFC 3339, e.g. BSS's
/// "2026-01-22T09:30:01Z") as [`dated`]; text that is not such a time is
/// given back as it is, since a person can still read it.
pub fn dated_stamp(stamp: &str, zone: &TimeZone) -> String {
    match OffsetDateTime::parse(stamp.trim(), &time::format_description::well_known::Rfc3339) {
        Ok(at) => dated(at, zone),
        Err(_) => stamp.to_string(),
    }
}

/// "37 s", "0.5 s", "2.3 s": a wait, as precise as a person cares for.
pub fn duration_text(d: std::time::Duration) -> String {
    let seconds = d.as_secs_f64();
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else if seconds < 10.0 {
        format!("{seconds:.1} s")
    } else {
        format!("{seconds:.0} s")
    }
}

/// "UTC+08:00", "UTC-03:30", "UTC+00:00". Seconds of an offset (only local
/// mean times of centuries ago have them) are left out.
pub fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn in_zone(at: OffsetDateTime, zone: &TimeZone) -> (jiff::civil::DateTime, Offset) {
    // Both crates span the years -9999 to 9999, so the conversion holds for
    // any instant `time` can carry; the clamp only keeps this total.
    let instant = Timestamp::new(at.unix_timestamp(), at.nanosecond() as i32).unwrap_or(
        if at.unix_timestamp() < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        },
    );
    let offset = zone.to_offset(instant);
    (offset.to_datetime(instant), offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn fixed(hours: i8) -> TimeZone {
        TimeZone::fixed(Offset::constant(hours))
    }

    /// Central European time by its POSIX rule: the same changes as
    /// Europe/Berlin, without needing the system's time zone database.
    fn berlin() -> TimeZone {
        TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap()
    }

    #[test]
    fn utc_reads_as_utc_with_its_offset() {
        let at = datetime!(2026-01-22 08:46:05 UTC);
        assert_eq!(clock_time(at, &TimeZone::UTC), "08:46:05 (UTC+00:00)");
        assert_eq!(dated(at, &TimeZone::UTC), "2026-01-22 08:46 (UTC+00:00)");
    }

    #[test]
    fn a_fixed_zone_moves_the_clock_and_says_by_how_much() {
        let at = datetime!(2026-01-22 08:46:05 UTC);
        assert_eq!(clock_time(at, &fixed(8)), "16:46:05 (UTC+08:00)");
        assert_eq!(dated(at, &fixed(8)), "2026-01-22 16:46 (UTC+08:00)");
        assert_eq!(dated(at, &fixed(-10)), "2026-01-21 22:46 (UTC-10:00)");
    }

    #[test]
    fn offsets_of_half_hours_and_their_sign_are_kept() {
        let india = TimeZone::fixed(Offset::from_seconds(5 * 3600 + 30 * 60).unwrap());
        let newfoundland = TimeZone::fixed(Offset::from_seconds(-(3 * 3600 + 30 * 60)).unwrap());
        let at = datetime!(2026-01-22 08:46:05 UTC);
        assert_eq!(clock_time(at, &india), "14:16:05 (UTC+05:30)");
        assert_eq!(clock_time(at, &newfoundland), "05:16:05 (UTC-03:30)");
    }

    #[test]
    fn across_a_daylight_saving_change_each_instant_has_its_own_offset() {
        // Berlin springs forward at 01:00 UTC on 2026-03-29.
        let before = datetime!(2026-03-29 00:59:59 UTC);
        let after = datetime!(2026-03-29 01:00:00 UTC);
        assert_eq!(clock_time(before, &berlin()), "01:59:59 (UTC+01:00)");
        assert_eq!(clock_time(after, &berlin()), "03:00:00 (UTC+02:00)");
        // And falls back at 01:00 UTC on 2026-10-25: 02:30 happens twice,
        // told apart by the offset.
        let first = datetime!(2026-10-25 00:30:00 UTC);
        let second = datetime!(2026-10-25 01:30:00 UTC);
        assert_eq!(dated(first, &berlin()), "2026-10-25 02:30 (UTC+02:00)");
        assert_eq!(dated(second, &berlin()), "2026-10-25 02:30 (UTC+01:00)");
    }

    #[test]
    fn the_bare_clock_and_the_offset_make_up_the_clock_time() {
        let at = datetime!(2026-03-29 01:00:00 UTC);
        assert_eq!(clock_digits(at, &berlin()), "03:00:00");
        assert_eq!(offset_text(offset_at(at, &berlin())), "UTC+02:00");
        assert_eq!(clock_time(at, &berlin()), "03:00:00 (UTC+02:00)");
    }

    #[test]
    fn an_instant_with_an_offset_is_the_same_instant() {
        let at = datetime!(2026-01-22 16:46:05 +08:00);
        assert_eq!(clock_time(at, &TimeZone::UTC), "08:46:05 (UTC+00:00)");
    }

    #[test]
    fn waits_read_in_seconds_with_a_tenth_only_when_short() {
        use std::time::Duration;
        assert_eq!(duration_text(Duration::from_secs(37)), "37 s");
        assert_eq!(duration_text(Duration::from_secs(60)), "60 s");
        assert_eq!(duration_text(Duration::from_millis(500)), "0.5 s");
        assert_eq!(duration_text(Duration::from_millis(2340)), "2.3 s");
        assert_eq!(duration_text(Duration::from_millis(12_600)), "13 s");
    }

    #[test]
    fn service_stamps_read_in_the_zone_and_other_text_stays() {
        assert_eq!(
            dated_stamp("2026-01-22T09:30:01Z", &fixed(8)),
            "2026-01-22 17:30 (UTC+08:00)"
        );
        assert_eq!(
            dated_stamp("2026-01-22T17:30:01+08:00", &TimeZone::UTC),
            "2026-01-22 09:30 (UTC+00:00)"
        );
        assert_eq!(dated_stamp("tomorrow", &fixed(8)), "tomorrow");
        assert_eq!(dated_stamp("", &fixed(8)), "");
    }
}
