//! `flexus dismiss CLIENT_REQUEST_ID ORDER_ID`: after a lost answer, the
//! user's word that a found order is not that purchase.

use std::io::Write;

use clap::Args;

use super::claim::AFTER_LOST_ANSWER_HELP;
use super::common::{api_failure, open_journal, order_id_argument, unresolved_purchase};
use super::json::{DismissJson, reporting_failure, write_line};
use super::{Data, Execute};
use crate::api::journal::PurchaseState;
use crate::api::purchase;
use crate::exit::{Failure, output_failure};

#[derive(Debug, Args)]
#[command(after_help = AFTER_LOST_ANSWER_HELP)]
pub struct DismissArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// An order found after the lost answer that is NOT that purchase (one the order list showed)
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Print the result as one JSON object on standard output
    #[arg(long)]
    pub json: bool,
}

/// `flexus dismiss CLIENT_REQUEST_ID ORDER_ID`: the user's word, after a
/// lost answer, that this found order is not that purchase.
impl Execute for DismissArgs {
    fn execute(self, _: Data, out: &mut dyn Write, _: &mut dyn Write) -> Result<(), Failure> {
        let result = self.run(out);
        reporting_failure(self.json, out, result)
    }
}

impl DismissArgs {
    fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        let journal = open_journal()?;
        let (id, record) = unresolved_purchase(&journal, &self.client_request_id)?;
        let order_id = order_id_argument(&self.order_id)?;
        let order_id = order_id.as_str();
        purchase::dismiss(&journal, &id, order_id).map_err(api_failure)?;
        let left = match record.as_ref().map(|r| &r.state) {
            Some(PurchaseState::Ambiguous { candidates, .. }) => {
                candidates.iter().filter(|c| c.as_str() != order_id).count()
            }
            _ => 0,
        };
        if self.json {
            return write_line(
                out,
                &DismissJson {
                    client_request_id: id.as_str(),
                    order_id,
                    recorded: "dismissed",
                    candidates_left: left,
                },
            );
        }
        let recorded = if left == 0 {
            tr!("cmd.dismiss.recorded_none_left", order = order_id, id = &id)
        } else {
            tr!(
                "cmd.dismiss.recorded_some_left",
                order = order_id,
                id = &id,
                left = left
            )
        };
        writeln!(out, "{recorded}").map_err(output_failure)?;
        Ok(())
    }
}
