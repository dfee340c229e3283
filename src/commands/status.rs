//! `flexus status ORDER_ID`: an order's state (`--watch`: followed to its
//! end).

use std::io::Write;

use clap::Args;

use super::common::{ConnectArgs, api_failure, connect, order_id_argument};
use super::follow::{follow, known_instances, write_details};
use super::{Data, Execute};
use crate::exit::Failure;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The order ID (as printed by `flexus order` or listed by `flexus orders`)
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,

    /// Follow the order until it completes or is cancelled
    #[arg(long)]
    pub watch: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `flexus status ORDER_ID [--watch]`.
impl Execute for StatusArgs {
    fn execute(self, _: Data, out: &mut dyn Write, _: &mut dyn Write) -> Result<(), Failure> {
        let order_id = order_id_argument(&self.order_id)?;
        let order_id = order_id.as_str();
        let session = connect(&self.connect)?;
        session.rt.block_on(async {
            if self.watch {
                let instances = known_instances(&session.journal, order_id);
                follow(&session, order_id, &instances, false, out).await
            } else {
                let details = session
                    .client
                    .order_details(order_id)
                    .await
                    .map_err(api_failure)?;
                write_details(order_id, &details, &session.zone, out)
            }
        })
    }
}
