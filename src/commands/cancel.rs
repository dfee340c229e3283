//! `flexus cancel ORDER_ID`: an order pending payment, cancelled so nothing
//! is bought.

use std::io::Write;

use clap::Args;

use super::common::{Act, ConnectArgs, Session, confirm};
use super::follow::{Wanted, follow_to, pending_payment};
use super::json::acting_on_order;
use super::{Data, Execute};
use crate::api::ids::OrderId;
use crate::api::purchase::{self, OrderAction};
use crate::exit::{EXIT_FAILURE, Failure, output_failure};

const CANCEL_HELP: &str = "Only an order pending payment can be cancelled; a paid or completed one \
cannot. Exit codes: 0 cancelled; 1 not pending payment, refused by the service (its code and words \
are shown), not confirmed, or cancelled but not followed to its end; 2 invalid order ID or \
usage, or no terminal to ask and no --yes.";

#[derive(Debug, Args)]
#[command(after_help = CANCEL_HELP)]
pub struct CancelArgs {
    /// The order ID of an order pending payment
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Cancel without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Print the result as one JSON object on standard output; progress goes to standard error
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Shows the order, asks (default no), asks the service to cancel it, and
/// says what the order is now.
impl Execute for CancelArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        acting_on_order(
            self.json,
            &self.connect,
            data.profile.as_ref(),
            &self.order_id,
            out,
            err,
            |session, checked, out, err| self.cancel(session, checked, data.no_input, out, err),
        )
    }
}

impl CancelArgs {
    fn cancel(
        &self,
        session: &Session,
        checked: OrderId,
        no_input: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), Failure> {
        let order_id = checked.to_string();
        let rt = &session.rt;
        let details = pending_payment(session, &order_id, &tr!("cmd.cancel.only_pending"), err)?;
        let info = &details.order_info;
        confirm(
            self.yes,
            &match info.amount_text() {
                Some(amount) => tr!("cmd.cancel.ask_amount", order = &order_id, amount = amount),
                None => tr!("cmd.cancel.ask", order = &order_id),
            },
            Act::Cancelling,
            no_input,
            err,
        )?;
        let cancel = OrderAction::Cancel { order_id: checked };
        rt.block_on(purchase::act(&session.client, &session.journal, &cancel))
            .map_err(|f| {
                Failure::new(
                    EXIT_FAILURE,
                    tr!("cmd.cancel.not_cancelled", order = &order_id, why = &f),
                )
                .answering(&f)
            })?;
        writeln!(out, "{}", tr!("cmd.cancel.accepted", order = &order_id))
            .map_err(output_failure)?;
        // Followed to its end, so the journal and `flexus orders` see it
        // cancelled too.
        rt.block_on(follow_to(
            session,
            &order_id,
            &[],
            false,
            Wanted::Cancelled,
            out,
        ))
    }
}
