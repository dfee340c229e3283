//! The command line: the global flags, and which arguments each command
//! takes. The arguments and what a command does with them live together
//! in `commands`; here they are only named.

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::commands::abandon::AbandonArgs;
use crate::commands::cancel::CancelArgs;
use crate::commands::catalog::CatalogArgs;
use crate::commands::claim::ClaimArgs;
use crate::commands::dismiss::DismissArgs;
use crate::commands::order::OrderArgs;
use crate::commands::orders::OrdersArgs;
use crate::commands::pay::PayArgs;
use crate::commands::resend::ResendArgs;
use crate::commands::sandbox::SandboxArgs;
use crate::commands::status::StatusArgs;
use crate::commands::wizard::WizardArgs;
use crate::commands::{Data, DataArgs, Execute};
use crate::exit::Failure;

#[derive(Debug, Parser)]
#[command(
    name = "flexus",
    version,
    about = "Buy Huawei Cloud FlexusL instances from the terminal",
    long_about = "Buy Huawei Cloud FlexusL instances from the terminal.\n\n\
        Without a subcommand, flexus opens the purchase wizard. \
        `flexus --sandbox` tries the whole flow against a built-in stand-in \
        for Huawei Cloud, with no account and no money involved."
)]
pub struct Cli {
    #[command(flatten)]
    pub data: DataArgs,

    #[command(flatten)]
    pub wizard: WizardArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what can be bought: regions, images, versions and their specification codes
    Catalog(CatalogArgs),
    /// Place the order a plan file describes and follow it until it completes (--dry-run: only check it)
    Order(OrderArgs),
    /// Show an order's state (--watch: follow it until it completes)
    Status(StatusArgs),
    /// List the purchases made from this machine, newest first, with their last known state
    Orders(OrdersArgs),
    /// Pay an order that is pending payment, then follow it
    Pay(PayArgs),
    /// Cancel an order that is pending payment: nothing is bought
    Cancel(CancelArgs),
    /// Record that an order found after a lost answer is that purchase, so it is never sent again
    Claim(ClaimArgs),
    /// Record that an order found after a lost answer is not that purchase
    Dismiss(DismissArgs),
    /// Send a purchase of unknown outcome again, with its own Client-Request-Id, after looking for its order once more
    Resend(ResendArgs),
    /// Record that a purchase of unknown outcome placed no order (you checked the console): it is never sent again
    Abandon(AbandonArgs),
    /// Run a local stand-in for Huawei Cloud (HCSS, BSS, IAM) to try flexus or test against
    Sandbox(SandboxArgs),
}

/// Each command runs its own arguments; this only picks the one named.
impl Execute for Command {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        match self {
            Command::Catalog(args) => args.execute(data, out, err),
            Command::Order(args) => args.execute(data, out, err),
            Command::Status(args) => args.execute(data, out, err),
            Command::Orders(args) => args.execute(data, out, err),
            Command::Pay(args) => args.execute(data, out, err),
            Command::Cancel(args) => args.execute(data, out, err),
            Command::Claim(args) => args.execute(data, out, err),
            Command::Dismiss(args) => args.execute(data, out, err),
            Command::Resend(args) => args.execute(data, out, err),
            Command::Abandon(args) => args.execute(data, out, err),
            Command::Sandbox(args) => args.execute(data, out, err),
        }
    }
}
