//! The command line: every flag and subcommand, and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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

/// How the wizard (flexus without a subcommand) starts.
#[derive(Debug, Args, Clone, Default)]
pub struct WizardArgs {
    /// Open the wizard with this saved plan filled in, at the review
    #[arg(long = "plan", value_name = "FILE")]
    pub plan: Option<PathBuf>,

    /// Use the built-in sandbox instead of Huawei Cloud: no account, no money
    #[arg(long)]
    pub sandbox: bool,

    /// Let the mouse wheel scroll lists (text selection then needs Shift)
    #[arg(long)]
    pub mouse: bool,

    /// Exit right after the first frame is drawn (start-up measurement)
    #[arg(long, hide = true)]
    pub first_frame_exit: bool,
}

/// Where the catalog and price table come from.
#[derive(Debug, Args, Clone, Default)]
pub struct DataArgs {
    /// Use this catalog instead of the built-in one (same format as assets/catalog.json)
    #[arg(long, global = true, value_name = "FILE")]
    pub catalog: Option<PathBuf>,

    /// Use this price table instead of the built-in one (same format as assets/prices.json)
    #[arg(long, global = true, value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what can be bought: regions, images, versions and their specification codes
    Catalog(CatalogArgs),
    /// Check a plan file and show the request it makes
    Order(OrderArgs),
}

#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// Only this region (e.g. ap-southeast-3)
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Print JSON: one object per (region, image, version) that can be bought
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OrderArgs {
    /// The plan: a JSON file with the request body's fields (see `flexus order --help`)
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Check the plan and print the request body it makes; send nothing
    #[arg(long)]
    pub dry_run: bool,
}
