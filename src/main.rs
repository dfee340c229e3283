use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use futures::future::BoxFuture;

use flexus::api::engine::ApiFailure;
use flexus::cli::{Cli, Command};
use flexus::headless::{self, EXIT_INVALID, Failure};
use flexus::tui::{Connector, OrderService, SignIn};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) if failure.message.is_empty() => ExitCode::from(failure.code as u8),
        Err(failure) => {
            eprintln!("flexus: {}", failure.message);
            ExitCode::from(failure.code as u8)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let (catalog, prices) = headless::load_data(&cli.data)?;
    // The wizard runs before standard output is locked: the lock would be
    // held for the whole session, and a panic on another thread could not
    // give the terminal back.
    let Some(command) = cli.command else {
        // LEAD: replace with the real connector
        return flexus::tui::launch(cli.wizard, catalog, prices, Arc::new(NotConnectedYet), None);
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    match command {
        Command::Catalog(args) => headless::catalog(&catalog, &args, &mut out),
        Command::Order(args) => {
            if args.dry_run {
                headless::order_dry_run(&catalog, &prices, &args, &mut out, &mut err)
            } else {
                Err(Failure::new(
                    EXIT_INVALID,
                    "placing orders is not built yet; add --dry-run to check the plan",
                ))
            }
        }
    }
}

/// Stands in until the API client is connected to the wizard: every way of
/// signing in answers that there is nothing to sign in to yet.
// LEAD: replace with the real connector
struct NotConnectedYet;

impl Connector for NotConnectedYet {
    fn connect(
        &self,
        _choice: SignIn,
    ) -> BoxFuture<'static, Result<Arc<dyn OrderService>, ApiFailure>> {
        Box::pin(async {
            Err(ApiFailure {
                status: None,
                code: None,
                message: "the API client is not connected to the wizard yet".to_string(),
                next_step: "use `flexus order --plan FILE --dry-run` meanwhile".to_string(),
            })
        })
    }
}
