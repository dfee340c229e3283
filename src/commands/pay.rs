//! `flexus pay ORDER_ID`: an order pending payment, paid and followed.

use std::io::Write;

use clap::Args;

use super::common::{ConnectArgs, api_failure, confirm, connect, order_id_argument};
use super::follow::{follow, known_instances, write_details};
use super::{Data, Execute};
use crate::api::purchase::{self, OrderAction};
use crate::api::wire::status;
use crate::exit::{EXIT_FAILURE, Failure, output_failure};

#[derive(Debug, Args)]
pub struct PayArgs {
    /// The order ID of an order pending payment
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Pay without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `flexus pay ORDER_ID [--yes]`: pays an order pending payment, then
/// follows it to the end.
impl Execute for PayArgs {
    fn execute(self, _: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let checked = order_id_argument(&self.order_id)?;
        let order_id = checked.to_string();
        let session = connect(&self.connect)?;
        let rt = &session.rt;
        let details = rt
            .block_on(session.client.order_details(&order_id))
            .map_err(api_failure)?;
        let info = &details.order_info;
        if info.status != status::PENDING_PAYMENT {
            return Err(Failure::new(
                EXIT_FAILURE,
                format!(
                    "order {order_id} is {}, not pending payment; there is nothing to pay",
                    status::describe(info.status)
                ),
            ));
        }
        write_details(&order_id, &details, err)?;
        confirm(
            self.yes,
            &format!(
                "Pay order {order_id}{} from the account balance?",
                info.amount_text()
                    .map(|a| format!(" ({a})"))
                    .unwrap_or_default()
            ),
            "paying",
            err,
        )?;
        rt.block_on(async {
            let pay = OrderAction::Pay { order_id: checked };
            let paid = purchase::act(&session.client, &session.journal, &pay).await;
            paid.map_err(|f| {
                Failure::new(EXIT_FAILURE, format!("order {order_id} was not paid: {f}"))
            })?;
            writeln!(out, "Order {order_id}: payment sent").map_err(output_failure)?;
            let instances = known_instances(&session.journal, &order_id);
            follow(&session, &order_id, &instances, false, out).await
        })
    }
}
