use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use flexus::cli::{Cli, Command};
use flexus::domain::catalog::Catalog;
use flexus::domain::pricing::PriceTable;
use flexus::headless::{self, EXIT_INVALID, Failure};
use flexus::tui::live::{self, LiveConnector};

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
        return wizard(cli, catalog, prices);
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    match command {
        Command::Catalog(args) => headless::catalog(&catalog, &args, &mut out),
        Command::Order(args) => {
            if args.dry_run {
                headless::order_dry_run(&catalog, &prices, &args, &mut out, &mut err)
            } else {
                headless::live::order(&catalog, &prices, &args, &mut out, &mut err)
            }
        }
        Command::Status(args) => headless::live::status(&args, &mut out),
        Command::Orders(args) => headless::live::orders(&args, &mut out, &mut err),
        Command::Pay(args) => headless::live::pay(&args, &mut out, &mut err),
        Command::Claim(args) => headless::live::claim(&args, &mut out),
        Command::Dismiss(args) => headless::live::dismiss(&args, &mut out),
        Command::Abandon(args) => headless::live::abandon(&args, &mut out, &mut err),
        Command::Resend(args) => {
            headless::live::resend(&catalog, &prices, &args, &mut out, &mut err)
        }
        Command::Sandbox(args) => flexus::sandbox::command::run(&args, catalog, prices, &mut err),
    }
}

/// The wizard, connected to the real API layer (or to an in-process
/// sandbox with `--sandbox`).
fn wizard(cli: Cli, catalog: Catalog, prices: PriceTable) -> Result<(), Failure> {
    let args = cli.wizard;
    let (endpoints, config, track) = headless::live::connection_settings(&args.connect)?;
    let journal_dir = headless::live::journal_dir()?;
    let found = if args.sandbox {
        None
    } else {
        live::found_credentials(headless::live::token_files(&args.connect))
            .map_err(|message| Failure::new(EXIT_INVALID, message))?
    };
    let connector = Arc::new(LiveConnector {
        endpoints,
        config,
        track,
        journal_dir,
        token_file: args.connect.token_file.clone(),
        bss_token_file: args.connect.bss_token_file.clone(),
        catalog: catalog.clone(),
        prices: prices.clone(),
    });
    flexus::tui::launch(args, catalog, prices, connector, found)
}
