use std::process::ExitCode;

use clap::Parser;

use flexus::cli::{Cli, Command};
use flexus::headless::{self, EXIT_INVALID, Failure};

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
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    match cli.command {
        Some(Command::Catalog(args)) => headless::catalog(&catalog, &args, &mut out),
        Some(Command::Order(args)) => {
            if args.dry_run {
                headless::order_dry_run(&catalog, &prices, &args, &mut out, &mut err)
            } else {
                headless::live::order(&catalog, &prices, &args, &mut out, &mut err)
            }
        }
        Some(Command::Status(args)) => headless::live::status(&args, &mut out),
        Some(Command::Orders(args)) => headless::live::orders(&args, &mut out, &mut err),
        Some(Command::Pay(args)) => headless::live::pay(&args, &mut out, &mut err),
        Some(Command::Sandbox(args)) => {
            flexus::sandbox::command::run(&args, catalog, prices, &mut err)
        }
        None => Err(Failure::new(
            EXIT_INVALID,
            "the wizard is not built yet; try `flexus catalog` or `flexus order --plan FILE --dry-run`",
        )),
    }
}
