//! `flexus abandon CLIENT_REQUEST_ID`: after a lost answer, the user's word
//! that the purchase placed no order.

use std::io::Write;

use clap::Args;

use super::common::{Act, api_failure, confirm, open_journal, reader_zone, unresolved_purchase};
use super::json::{AbandonJson, reporting_failure, write_line};
use super::{Data, Execute};
use crate::api::purchase;
use crate::exit::{Failure, output_failure};

const ABANDON_HELP: &str = "For a purchase whose answer was lost and that you do not want to \
send again: after checking the console's order list for an order it placed, say it placed none. \
The journal keeps it as settled; it is no longer reopened, offered for resending, or counted as \
a double of the same order. If it did place an order, use `flexus claim` instead.

Exit codes: 0 recorded; 1 the journal could not be written or nothing was confirmed; 2 unknown \
or settled purchase, or invalid arguments.";

#[derive(Debug, Args)]
#[command(after_help = ABANDON_HELP)]
pub struct AbandonArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// Record it without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Print the result as one JSON object on standard output
    #[arg(long)]
    pub json: bool,
}

/// `flexus abandon CLIENT_REQUEST_ID [--yes]`: the user's word, after a
/// lost answer, that the purchase placed no order. Only the journal
/// changes.
impl Execute for AbandonArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let result = self.run(data.no_input, out, err);
        reporting_failure(self.json, out, result)
    }
}

impl AbandonArgs {
    fn run(&self, no_input: bool, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let journal = open_journal()?;
        let zone = reader_zone();
        let (id, record) = unresolved_purchase(&journal, &self.client_request_id)?;
        let described = match &record {
            Some(record) => tr!(
                "cmd.abandon.purchase",
                id = &id,
                order = record.body.describe(),
                sent = crate::domain::when::dated_stamp(&record.first_sent_at, &zone),
                state = record.state_text(&zone)
            ),
            None => tr!("cmd.abandon.purchase_damaged", id = &id),
        };
        writeln!(err, "{described}").map_err(output_failure)?;
        confirm(
            self.yes,
            &tr!("cmd.abandon.ask"),
            Act::RecordingNothingPlaced,
            no_input,
            err,
        )?;
        purchase::nothing_placed(&journal, &id).map_err(api_failure)?;
        if self.json {
            return write_line(
                out,
                &AbandonJson {
                    client_request_id: id.as_str(),
                    recorded: "nothing_placed",
                },
            );
        }
        writeln!(out, "{}", tr!("cmd.abandon.recorded", id = &id)).map_err(output_failure)?;
        Ok(())
    }
}
