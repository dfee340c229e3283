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

    #[command(flatten)]
    pub connect: ConnectArgs,
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
    /// Place the order a plan file describes and follow it until it completes (--dry-run: only check it)
    #[command(after_help = ORDER_HELP)]
    Order(OrderArgs),
    /// Show an order's state (--watch: follow it until it completes)
    Status(StatusArgs),
    /// List the purchases made from this machine, newest first, with their last known state
    Orders(OrdersArgs),
    /// Pay an order that is pending payment, then follow it
    Pay(PayArgs),
    /// Record that an order found after a lost answer is that purchase, so it is never sent again
    #[command(after_help = AFTER_LOST_ANSWER_HELP)]
    Claim(ClaimArgs),
    /// Record that an order found after a lost answer is not that purchase
    #[command(after_help = AFTER_LOST_ANSWER_HELP)]
    Dismiss(DismissArgs),
    /// Send a purchase of unknown outcome again, with its own Client-Request-Id, after looking for its order once more
    #[command(after_help = RESEND_HELP)]
    Resend(ResendArgs),
    /// Record that a purchase of unknown outcome placed no order (you checked the console): it is never sent again
    #[command(after_help = ABANDON_HELP)]
    Abandon(AbandonArgs),
    /// Run a local stand-in for Huawei Cloud (HCSS, BSS, IAM) to try flexus or test against
    Sandbox(SandboxArgs),
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
const ORDER_HELP: &str = r#"A plan is the purchase request body as JSON, for example:
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
images, versions and specification codes.

Before sending, flexus looks in its journal for an earlier purchase of the
same order whose outcome is unknown (an answer lost, a process killed while
sending). If there is one, nothing is sent: it shows that purchase and what
the order list holds now, and the ways on: `flexus claim` an order it placed,
`flexus resend` it with its own Client-Request-Id, or --separate-purchase.

Exit codes: 0 completed; 1 refused, failed or cancelled; 2 invalid plan or
usage; 3 outcome unknown (the answer was lost and the purchase was not sent
again, the order was placed but could not be followed to its end, or an
earlier purchase of the same order is unresolved: check `flexus orders` and
`flexus status`); 4 placed and waiting for payment (`flexus pay`); 5 placed,
but the journal could not record it (the order ID is printed)."#;

const AFTER_LOST_ANSWER_HELP: &str = "After a lost answer, `flexus orders` lists the orders found that may be the purchase. Claim the one that is (it is then followed and never sent again), or dismiss those that are not; once none is left, `flexus resend` can send it again, \
or `flexus abandon` records that it placed no order.

Exit codes: 0 recorded; 1 the journal could not be written; 2 unknown or settled purchase, or invalid arguments.";

const ABANDON_HELP: &str = "For a purchase whose answer was lost and that you do not want to \
send again: after checking the console's order list for an order it placed, say it placed none. \
The journal keeps it as settled; it is no longer reopened, offered for resending, or counted as \
a double of the same order. If it did place an order, use `flexus claim` instead.

Exit codes: 0 recorded; 1 the journal could not be written or nothing was confirmed; 2 unknown \
or settled purchase, or invalid arguments.";

const RESEND_HELP: &str = "Only a purchase whose outcome is unknown can be resent, to the endpoint it was first sent to, by one flexus at a time. The order list is checked first: an order created since the first send that may be this purchase stops the resend until it is claimed or dismissed.

Exit codes: as for `flexus order`.";

#[derive(Debug, Args)]
pub struct OrderArgs {
    /// The plan: a JSON file with the request body's fields (format below)
    #[arg(long, value_name = "FILE")]
    pub plan: PathBuf,

    /// Check the plan and print the request body it makes; send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Place the order without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    /// This is a separate, additional purchase, even though an earlier purchase of the same order has an unknown outcome
    #[arg(long)]
    pub separate_purchase: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

#[derive(Debug, Args)]
pub struct ResendArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// Resend without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Where the services are and how to reach them, for every command that
/// talks to Huawei Cloud. Credentials come from the environment or a file,
/// never from the command line.
#[derive(Debug, Args, Clone, Default)]
pub struct ConnectArgs {
    /// Purchase (HCSS) endpoint [env: FLEXUS_HCSS_ENDPOINT] [default: https://hcss.ap-southeast-3.myhuaweicloud.com]
    #[arg(long, value_name = "URL")]
    pub hcss_endpoint: Option<String>,

    /// Billing (BSS) endpoint [env: FLEXUS_BSS_ENDPOINT] [default: https://bss-intl.myhuaweicloud.com]
    #[arg(long, value_name = "URL")]
    pub bss_endpoint: Option<String>,

    /// IAM endpoint [env: FLEXUS_IAM_ENDPOINT] [default: https://iam.ap-southeast-3.myhuaweicloud.com]
    #[arg(long, value_name = "URL")]
    pub iam_endpoint: Option<String>,

    /// Read the purchase token (scoped to the project of the order's region) from this file [env: FLEXUS_TOKEN]; without tokens, AK/SK credentials are used
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Read the billing token (scoped to the account's domain: order status, payment, cancellation) from this file [env: FLEXUS_BSS_TOKEN]
    #[arg(long, value_name = "FILE")]
    pub bss_token_file: Option<PathBuf>,

    /// Seconds to wait for an answer before treating it as lost
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

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

#[derive(Debug, Args)]
pub struct OrdersArgs {
    /// Print JSON lines: one object per purchase
    #[arg(long)]
    pub json: bool,

    /// List every purchase, not only the newest 20
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ClaimArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// The order that purchase placed (one of the orders the order list showed after the lost answer)
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,
}

#[derive(Debug, Args)]
pub struct DismissArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// An order found after the lost answer that is NOT that purchase (one the order list showed)
    #[arg(value_name = "ORDER_ID")]
    pub order_id: String,
}

#[derive(Debug, Args)]
pub struct AbandonArgs {
    /// The purchase's Client-Request-Id, as `flexus orders` shows it
    #[arg(value_name = "CLIENT_REQUEST_ID")]
    pub client_request_id: String,

    /// Record it without asking (needed when standard input is not a terminal)
    #[arg(long)]
    pub yes: bool,
}

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

#[derive(Debug, Args)]
#[command(after_long_help = crate::sandbox::command::AFTER_HELP)]
pub struct SandboxArgs {
    /// Address to listen on: loopback only (port 0 picks a free port)
    #[arg(long, value_name = "ADDR", default_value = crate::sandbox::DEFAULT_LISTEN, value_parser = crate::sandbox::command::parse_listen)]
    pub listen: std::net::SocketAddr,

    /// Inject a fault, e.g. 429:3@create, 500:2@details, slow=4000@create, drop@create, error=HCSS.14000011@create, huge=300@create, badid@create (repeatable; see --help)
    #[arg(long = "fault", value_name = "FAULT")]
    pub faults: Vec<crate::sandbox::Fault>,

    /// Seconds a paid order stays processing (3) before it is completed (5)
    #[arg(long, value_name = "SECS", default_value = "3", value_parser = crate::sandbox::command::parse_seconds)]
    pub complete_after: std::time::Duration,

    /// Milliseconds added to every answer
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency: u64,

    /// Require login protection (MFA) on the IAM token call; the code is 123456
    #[arg(long)]
    pub require_mfa: bool,
}
