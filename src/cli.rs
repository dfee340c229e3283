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

    #[command(subcommand)]
    pub command: Option<Command>,
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
    #[command(after_help = PLAN_HELP)]
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

/// What a plan looks like, for `flexus order --help`. The test suite runs the
/// example through `--dry-run`, so it stays a valid plan.
const PLAN_HELP: &str = r#"A plan is the purchase request body as JSON, for example:
  {
    "instance_name": "web-01",
    "plan_spec": "hf.large.1.30m.linux",
    "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
    "region": "ap-southeast-3",
    "period_type": "month",
    "period_num": 1
  }
Optional fields: description, purchase_quantity (1 to 200), is_auto_renew,
is_auto_pay, extra_resources ([{"type": "evs", "size": 20}, {"type": "hss"}]),
tags ([{"key": "env", "value": "prod"}]). For a private image, give
"image_ref": {"image_id": "..."} instead. `flexus catalog` lists regions,
images, versions and specification codes."#;

#[derive(Debug, Args)]
pub struct OrderArgs {
    /// The plan: a JSON file with the request body's fields (format below)
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Check the plan and print the request body it makes; send nothing
    #[arg(long)]
    pub dry_run: bool,
}
