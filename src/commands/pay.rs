//! `flexus pay ORDER_ID`: an order pending payment, paid and followed.

use std::io::Write;

use clap::Args;

use super::common::{Act, ConnectArgs, Session, confirm};
use super::follow::{follow, known_instances, pending_payment};
use super::json::acting_on_order;
use super::{Data, Execute};
use crate::api::ids::OrderId;
use crate::api::purchase::{self, OrderAction};
use crate::exit::{EXIT_FAILURE, Failure, output_failure};

const PAY_HELP: &str = "Exit codes: 0 paid and completed; 1 not pending payment, refused by the \
service, not confirmed, or paid but not followed to its end (check `flexus status ORDER_ID \
--watch`); 2 invalid order ID or usage, or no terminal to ask and no --yes.";

#[derive(Debug, Args)]
#[command(after_help = PAY_HELP)]
pub struct PayArgs {
    /// The order ID of an order pending payment
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Pay without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// Print the result as one JSON object on standard output; progress goes to standard error
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `flexus pay ORDER_ID [--yes]`: pays an order pending payment, then
/// follows it to the end.
impl Execute for PayArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        acting_on_order(
            self.json,
            &self.connect,
            data.profile.as_ref(),
            &self.order_id,
            out,
            err,
            |session, checked, out, err| self.pay(session, checked, data.no_input, out, err),
        )
    }
}

impl PayArgs {
    fn pay(
        &self,
        session: &Session,
        checked: OrderId,
        no_input: bool,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<(), Failure> {
        let order_id = checked.to_string();
        let rt = &session.rt;
        let details = pending_payment(session, &order_id, &tr!("cmd.pay.nothing_to_pay"), err)?;
        let info = &details.order_info;
        confirm(
            self.yes,
            &match info.amount_text() {
                Some(amount) => tr!("cmd.pay.ask_amount", order = &order_id, amount = amount),
                None => tr!("cmd.pay.ask", order = &order_id),
            },
            Act::Paying,
            no_input,
            err,
        )?;
        rt.block_on(pay_and_follow(session, checked, out))
    }
}

/// Pays an order waiting for payment and follows it to its end: for
/// `flexus pay` and the line mode's offer to pay alike.
pub(super) async fn pay_and_follow(
    session: &Session,
    checked: OrderId,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let order_id = checked.to_string();
    let pay = OrderAction::Pay { order_id: checked };
    let paid = purchase::act(&session.client, &session.journal, &pay).await;
    paid.map_err(|f| {
        Failure::new(
            EXIT_FAILURE,
            tr!("cmd.pay.not_paid", order = &order_id, why = &f),
        )
        .answering(&f)
    })?;
    writeln!(out, "{}", tr!("cmd.pay.sent", order = &order_id)).map_err(output_failure)?;
    let instances = known_instances(&session.journal, &order_id);
    follow(session, &order_id, &instances, false, out).await
}
