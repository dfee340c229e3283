//! `flexus orders`: the purchases made from this machine, from the local
//! journal alone.

use std::io::Write;

use clap::Args;

use super::common::{open_journal, reader_zone};
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
                    format!(
                        "cannot read the order journal {}: {e}",
                        journal.path().display()
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
                "No purchases recorded in {} yet.",
                journal.path().display()
            )
            .map_err(io)?;
            return Ok(());
        } else if !records.is_empty() {
            // "2026-01-22 16:46 (UTC+08:00)" and two spaces.
            // The state column is as wide as its longest entry (a deadline
            // makes one long), so the order never runs into it.
            let states: Vec<String> = records.iter().map(|r| r.state_text(&zone)).collect();
            let state_width = states.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
            writeln!(
                out,
                "{:<30}{:<22}{:<state_width$}ORDER",
                "SENT", "ORDER ID", "STATE"
            )
            .map_err(io)?;
            for (record, state) in records.iter().zip(&states) {
                writeln!(
                    out,
                    "{:<30}{:<22}{:<state_width$}{}",
                    dated_stamp(&record.first_sent_at, &zone),
                    record.order_id.as_deref().unwrap_or("-"),
                    state,
                    record.body.describe()
                )
                .map_err(io)?;
            }
        }
        // With --json, stdout stays one purchase per line; the rest is for people.
        let notes: &mut dyn Write = if self.json { &mut *err } else { &mut *out };
        if listing.more > 0 {
            writeln!(
                notes,
                "{} older purchase{} not shown; `flexus orders --all` lists every one.",
                listing.more,
                if listing.more == 1 { "" } else { "s" }
            )
            .map_err(io)?;
        }
        for damaged in &listing.damaged {
            writeln!(notes, "{}", damaged_text(damaged, journal.path(), &zone)).map_err(io)?;
        }
        if self.json {
            return Ok(());
        }
        for record in records.iter().filter(|r| r.is_unresolved()) {
            let id = &record.client_request_id;
            let ways = if record.found.is_empty() {
                format!(
                    "run the same `flexus order` again to look in the order list, `flexus resend \
                     {id}` to send it again, or `flexus abandon {id}` if the console shows it placed \
                     nothing"
                )
            } else {
                format!(
                    "orders found then: {}. If one is this purchase, record it with `flexus claim \
                     {id} ORDER_ID`; if one is not, `flexus dismiss {id} ORDER_ID`",
                    record.found.join(", ")
                )
            };
            writeln!(
                out,
                "Unknown outcome: the purchase sent at {} (Client-Request-Id {id}) may have placed an \
                 order. Check with `flexus status ORDER_ID` or the console before ordering again; \
                 {ways}.",
                dated_stamp(&record.last_sent_at, &zone)
            )
            .map_err(io)?;
        }
        Ok(())
    }
}

/// How many purchases `flexus orders` shows without `--all`.
const ORDERS_SHOWN: usize = 20;

/// A damaged record in plain words, with the way to find out what it was.
fn damaged_text(d: &DamagedRecord, path: &std::path::Path, zone: &jiff::tz::TimeZone) -> String {
    let what = match (&d.event, &d.at) {
        (Some(event), Some(at)) => format!(
            " (a {} record of {})",
            event.replace('_', " "),
            dated_stamp(at, zone)
        ),
        (Some(event), None) => format!(" (a {} record)", event.replace('_', " ")),
        _ => String::new(),
    };
    let id = d.client_request_id.as_deref().unwrap_or("unreadable");
    let next = match &d.order_id {
        Some(order) => {
            format!("order {order}. Check it with `flexus status {order}` before ordering again.")
        }
        None => "no order ID readable. Check the orders in the console around that time \
                 before ordering again."
            .to_string(),
    };
    format!(
        "Damaged record at {} of {}{what}: Client-Request-Id {id}, {next}",
        d.place,
        path.display()
    )
}
