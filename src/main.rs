use std::process::ExitCode;

use flexus::cli::{self, Cli};
use flexus::commands::Execute;
use flexus::exit::{EXIT_INVALID, Failure};

fn main() -> ExitCode {
    let cli = cli::parse();
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
        if data.no_input {
            return Err(Failure::new(
                EXIT_INVALID,
                "the wizard asks questions, and --no-input forbids them; in scripts use \
                 `flexus order --plan FILE --yes` (`flexus order --skeleton` prints a plan to start from)",
            ));
        }
        return cli
            .wizard
            .execute(data, &mut std::io::stdout(), &mut std::io::stderr());
    };
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    command.execute(data, &mut out, &mut err)
}
