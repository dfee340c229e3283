use std::process::ExitCode;

use clap::Parser;
use flexus::cli::Cli;
use flexus::commands::Execute;
use flexus::exit::Failure;

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
    let data = cli.data.load()?;
    // The wizard runs before standard output is locked: the lock would be
    // held for the whole session, and a panic on another thread could not
    // give the terminal back.
    let Some(command) = cli.command else {
        return cli
            .wizard
            .execute(data, &mut std::io::stdout(), &mut std::io::stderr());
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    command.execute(data, &mut out, &mut err)
}
