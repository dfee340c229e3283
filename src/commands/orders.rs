//! `flexus orders`: the purchases made from this machine, from the local
//! journal alone.

use std::io::Write;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use super::common::{left, open_journal, reader_zone};
use super::json::{PurchaseJson, reporting_failure, write_line};
use super::{Data, Execute};
use crate::api::journal::DamagedRecord;
use crate::domain::when::dated_stamp;
use crate::exit::{EXIT_FAILURE, Failure, output_failure};

#[derive(Debug, Args)]
pub struct OrdersArgs {
    /// Print JSON lines: one object per purchase
    #[arg(long)]
    pub json: bool,

    /// List every purchase, not only the newest 20
    #[arg(long)]
    pub all: bool,
}

/// `flexus orders`: the newest purchases in the journal (all with `--all`),
/// each with its last known state, and every damaged record with what can
/// still be read of it. Reads only the local journal.
impl Execute for OrdersArgs {
    fn execute(self, _: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let result = self.run(out, err);
        reporting_failure(self.json, out, result)
    }
}

impl OrdersArgs {
    fn run(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let io = output_failure;
        let journal = open_journal()?;
        let zone = reader_zone();
        let listing = journal
            .recent((!self.all).then_some(ORDERS_SHOWN))
            .map_err(|e| {
                Failure::new(
                    EXIT_FAILURE,
                    tr!(
                        "cmd.orders.cannot_read",
                        path = journal.path().display(),
                        why = e
                    ),
                )
            })?;
        let records = &listing.purchases;
        if self.json {
            for record in records {
                write_line(out, &PurchaseJson::from(record))?;
            }
        } else if records.is_empty() && listing.damaged.is_empty() {
            writeln!(
                out,
                "{}",
                tr!("cmd.orders.none", path = journal.path().display())
            )
            .map_err(io)?;
            return Ok(());
        } else if !records.is_empty() {
            // "2026-01-22 16:46 (UTC+08:00)" and two spaces.
            // The state column is as wide as its longest entry (a deadline
            // makes one long), so the order never runs into it.
            let states: Vec<String> = records.iter().map(|r| r.state_text(&zone)).collect();
            let state_width = states.iter().map(|s| s.width()).max().unwrap_or(0) + 2;
            writeln!(
                out,
                "{}{}{}{}",
                left(&tr!("cmd.orders.sent"), 30),
                left(&tr!("cmd.orders.order_id"), 22),
                left(&tr!("cmd.orders.state"), state_width),
                tr!("cmd.orders.order")
            )
            .map_err(io)?;
            for (record, state) in records.iter().zip(&states) {
                writeln!(
                    out,
                    "{}{}{}{}",
                    left(&dated_stamp(&record.first_sent_at, &zone), 30),
                    left(record.order_id.as_deref().unwrap_or("-"), 22),
                    left(state, state_width),
                    record.body.describe()
                )
                .map_err(io)?;
            }
        }
        // With --json, stdout stays one purchase per line; the rest is for people.
        let notes: &mut dyn Write = if self.json { &mut *err } else { &mut *out };
        if listing.more > 0 {
            let more = if listing.more == 1 {
                tr!("cmd.orders.more.one")
            } else {
                tr!("cmd.orders.more.other", count = listing.more)
            };
            writeln!(notes, "{more}").map_err(io)?;
        }
        for damaged in &listing.damaged {
            writeln!(notes, "{}", damaged_text(damaged, journal.path(), &zone)).map_err(io)?;
        }
        if self.json {
            return Ok(());
        }
        for record in records.iter().filter(|r| r.is_unresolved()) {
            let id = &record.client_request_id;
            let sent = dated_stamp(&record.last_sent_at, &zone);
            let unknown = if record.found.is_empty() {
                tr!("cmd.orders.unknown_none_found", sent = sent, id = id)
            } else {
                tr!(
                    "cmd.orders.unknown_found",
                    sent = sent,
                    id = id,
                    found = record.found.join(", ")
                )
            };
            writeln!(out, "{unknown}").map_err(io)?;
        }
        Ok(())
    }
}

/// How many purchases `flexus orders` shows without `--all`.
const ORDERS_SHOWN: usize = 20;

/// A damaged record in plain words, with the way to find out what it was.
fn damaged_text(d: &DamagedRecord, path: &std::path::Path, zone: &jiff::tz::TimeZone) -> String {
    // The event is the journal's own word (`purchase_sent`), shown as
    // the journal writes it apart from its underscores.
    let what = match (&d.event, &d.at) {
        (Some(event), Some(at)) => tr!(
            "cmd.orders.damaged.event_at",
            event = event.replace('_', " "),
            at = dated_stamp(at, zone)
        ),
        (Some(event), None) => tr!("cmd.orders.damaged.event", event = event.replace('_', " ")),
        _ => String::new(),
    };
    let id = d
        .client_request_id
        .clone()
        .unwrap_or_else(|| tr!("cmd.orders.damaged.unreadable"));
    let (place, path) = (&d.place, path.display());
    match &d.order_id {
        Some(order) => tr!(
            "cmd.orders.damaged.with_order",
            place = place,
            path = path,
            what = what,
            id = id,
            order = order
        ),
        None => tr!(
            "cmd.orders.damaged.without_order",
            place = place,
            path = path,
            what = what,
            id = id
        ),
    }
}
