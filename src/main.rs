use std::process::ExitCode;

use flexus::cli::{self, Cli};
use flexus::commands::Execute;
use flexus::commands::log::DebugLog;
use flexus::commands::wizard::WizardArgs;
use flexus::exit::{EXIT_INVALID, Failure};
use flexus::lang;

fn main() -> ExitCode {
    let cli = cli::parse();
    match lang::choose(cli.lang, |name| std::env::var(name).ok()) {
        Ok(chosen) => lang::set(chosen),
        Err(unknown) => return report(Failure::new(EXIT_INVALID, unknown.to_string()), None),
    }
    let log = match cli.log.start() {
        Ok(log) => log,
        Err(failure) => return report(failure, None),
    };
    let wizard = cli.command.is_none();
    // The wizard owns the terminal while it runs: its log is named after.
    if let Some(log) = &log
        && !wizard
    {
        eprintln!("flexus: {}", log.writing_words());
    }
    let outcome = run(cli);
    let failure_names_log = matches!(&outcome, Err(failure) if !failure.message.is_empty());
    if let Some(log) = &log
        && wizard
        && !failure_names_log
    {
        eprintln!("flexus: {}", log.is_in_words());
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure, log.as_ref()),
    }
}

/// Prints a failure's words (and where the log has more) and gives its
/// exit code.
fn report(failure: Failure, log: Option<&DebugLog>) -> ExitCode {
    if !failure.message.is_empty() {
        eprintln!("flexus: {}", failure.message);
        if let Some(log) = log {
            eprintln!("flexus: {}", log.details_words());
        }
    }
    ExitCode::from(failure.code as u8)
}

fn run(cli: Cli) -> Result<(), Failure> {
    let data = cli.data.load()?;
    // The wizard runs before standard output is locked: the lock would be
    // held for the whole session, and a panic on another thread could not
    // give the terminal back.
    let Some(command) = cli.command else {
        if data.no_input {
            return Err(WizardArgs::refused_without_input());
        }
        return cli
            .wizard
            .execute(data, &mut std::io::stdout(), &mut std::io::stderr());
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    command.execute(data, &mut out, &mut err)
}
