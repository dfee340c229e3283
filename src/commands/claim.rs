//! `flexus claim CLIENT_REQUEST_ID ORDER_ID`: after a lost answer, the
//! user's word that a found order is that purchase.

use std::io::Write;

use clap::Args;

use super::common::{api_failure, open_journal, order_id_argument, unresolved_purchase};
use super::json::{ClaimJson, reporting_failure, write_line};
use super::{Data, Execute};
use crate::api::purchase;
use crate::exit::{Failure, output_failure};

/// The ways on after a lost answer, for `claim --help` and `dismiss --help`.
pub(super) const AFTER_LOST_ANSWER_HELP: &str = "After a lost answer, `flexus orders` lists the orders found that may be the purchase. Claim the one that is (it is then followed and never sent again), or dismiss those that are not; once none is left, `flexus resend` can send it again, \
or `flexus abandon` records that it placed no order.

Exit codes: 0 recorded; 1 the journal could not be written; 2 unknown or settled purchase, or invalid arguments.";

#[derive(Debug, Args)]
#[command(after_help = AFTER_LOST_ANSWER_HELP)]
pub struct ClaimArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// The order that purchase placed (one of the orders the order list showed after the lost answer)
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Print the result as one JSON object on standard output
    #[arg(long)]
    pub json: bool,
}

/// `flexus claim CLIENT_REQUEST_ID ORDER_ID`: the user's word, after a lost
/// answer, that this order is that purchase. Only the journal changes.
impl Execute for ClaimArgs {
    fn execute(self, _: Data, out: &mut dyn Write, _: &mut dyn Write) -> Result<(), Failure> {
        let result = self.run(out);
        reporting_failure(self.json, out, result)
    }
}

impl ClaimArgs {
    fn run(&self, out: &mut dyn Write) -> Result<(), Failure> {
        let journal = open_journal()?;
        let (id, _) = unresolved_purchase(&journal, &self.client_request_id)?;
        let order_id = order_id_argument(&self.order_id)?;
        let order_id = order_id.as_str();
        purchase::claim(&journal, &id, order_id).map_err(api_failure)?;
        if self.json {
            return write_line(
                out,
                &ClaimJson {
                    client_request_id: id.as_str(),
                    order_id,
                    recorded: "claimed",
                },
            );
        }
        writeln!(
            out,
            "{}",
            tr!("cmd.claim.recorded", id = &id, order = order_id)
        )
        .map_err(output_failure)?;
        Ok(())
    }
}
