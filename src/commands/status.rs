//! `flexus status ORDER_ID`: an order's state (`--watch`: followed to its
//! end).

use std::io::Write;

use clap::Args;

use super::common::{ConnectArgs, api_failure, connect, order_id_argument};
use super::follow::{Wanted, follow_telling, known_instances, write_details};
use super::json::{StatusJson, reporting_failure, write_line};
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

    /// Print the order as one JSON object (with --watch: one per change of state, as JSON lines; progress goes to standard error)
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// `flexus status ORDER_ID [--watch]`.
impl Execute for StatusArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let result = self.run(&data, out, err);
        reporting_failure(self.json, out, result)
    }
}

impl StatusArgs {
    fn run(&self, data: &Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        let order_id = order_id_argument(&self.order_id)?;
        let order_id = order_id.as_str();
        let session = connect(&self.connect, data.profile.as_ref())?;
        session.rt.block_on(async {
            if self.watch {
                let instances = known_instances(&session.journal, order_id);
                if !self.json {
                    return follow_telling(
                        &session,
                        order_id,
                        &instances,
                        false,
                        Wanted::Completed,
                        out,
                        &mut |_| Ok(()),
                    )
                    .await;
                }
                // The lines for people go to standard error; standard
                // output gets one object per change.
                follow_telling(
                    &session,
                    order_id,
                    &instances,
                    false,
                    Wanted::Completed,
                    err,
                    &mut |details| write_line(out, &StatusJson::new(order_id, details)),
                )
                .await
            } else {
                let details = session
                    .client
                    .order_details(order_id)
                    .await
                    .map_err(api_failure)?;
                if self.json {
                    write_line(out, &StatusJson::new(order_id, &details))
                } else {
                    write_details(order_id, &details, &session.zone, out)
                }
            }
        })
    }
}
