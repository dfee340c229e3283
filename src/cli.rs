//! The command line: the global flags, and which arguments each command
//! takes. The arguments and what a command does with them live together
//! in `commands`; here they are only named.

use std::io::Write;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::commands::abandon::AbandonArgs;
use crate::commands::cancel::CancelArgs;
use crate::commands::catalog::CatalogArgs;
use crate::commands::claim::ClaimArgs;
use crate::commands::completions::CompletionsArgs;
use crate::commands::dismiss::DismissArgs;
use crate::commands::help;
use crate::commands::log::LogArgs;
use crate::commands::man::ManArgs;
use crate::commands::order::OrderArgs;
use crate::commands::orders::OrdersArgs;
use crate::commands::pay::PayArgs;
use crate::commands::resend::ResendArgs;
use crate::commands::sandbox::SandboxArgs;
use crate::commands::status::StatusArgs;
use crate::commands::wizard::WizardArgs;
use crate::commands::{Data, DataArgs, Execute};
use crate::exit::{
    EXIT_FAILURE, EXIT_INVALID, EXIT_OK, Failure, exit_codes_help, watch_exit_codes_help,
};
use crate::lang::Lang;

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
    pub log: LogArgs,

    /// The language flexus speaks: en or zh [env: FLEXUS_LANG; else the locale, LC_ALL, LC_MESSAGES or LANG]
    #[arg(long, global = true, value_name = "LANG", value_parser = language)]
    pub lang: Option<Lang>,

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
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `flexus man | man -l -`
    Man(ManArgs),
}

/// The command line as flexus parses it, help texts complete: every
/// command's help ends with its exit codes, listed here for the commands
/// that do not word their own. The completions and the manual page are
/// made from this too, so they say what `--help` says.
pub fn command() -> clap::Command {
    let general = [EXIT_OK, EXIT_FAILURE, EXIT_INVALID];
    help::localized(Cli::command())
        .after_help(tr!(
            "cmd.help.flexus.after",
            exit_codes = exit_codes_help(&general)
        ))
        .mut_subcommands(move |sub| {
            let mut codes = exit_codes_help(&general);
            // --watch follows the order, as `flexus order` does, and ends
            // as it ends.
            if sub.get_name() == "status" {
                codes = tr!(
                    "cmd.exit.status_codes",
                    codes = codes,
                    watch = watch_exit_codes_help()
                );
            }
            // A command whose text words its own exit codes keeps them.
            let words_own = |text: &str| text.contains("Exit codes") || text.contains("退出码");
            let ended = |own: Option<&clap::builder::StyledStr>| match own.map(|t| t.to_string()) {
                Some(text) if words_own(&text) => text,
                Some(text) => format!("{text}\n\n{codes}"),
                None => codes.clone(),
            };
            let short = ended(sub.get_after_help());
            // --help shows the long text where a command has one.
            let long = sub.get_after_long_help().map(|text| ended(Some(text)));
            let sub = sub.after_help(short);
            match long {
                Some(long) => sub.after_long_help(long),
                None => sub,
            }
        })
}

/// The command line in English, whatever the run's language: the
/// completions and the manual page are files people install once and
/// share, so they do not follow the language of the run that made them.
pub fn command_in_english() -> clap::Command {
    crate::lang::in_language(Lang::En, command)
}

/// Parses the process's arguments against [`command`]; a usage error or
/// `--help` ends the process as clap does.
pub fn parse() -> Cli {
    // `--help` is answered while parsing, so the language is chosen first
    // (main chooses it again from the parsed flag, with the same result).
    if let Ok(chosen) = crate::lang::choose(language_asked(), |name| std::env::var(name).ok()) {
        crate::lang::set(chosen);
    }
    let mut cli = command();
    let matches = cli
        .try_get_matches_from_mut(std::env::args_os())
        .unwrap_or_else(|e| usage_error(e));
    if let Some((name, _)) = matches.subcommand()
        && let Some(misplaced) = wizard_option_before(&cli, &matches)
    {
        // Dropped silently, an endpoint given there would send the command
        // to the real cloud's default endpoints.
        let takes_it = cli.find_subcommand(name).is_some_and(|sub| {
            sub.get_arguments()
                .any(|arg| arg.get_long() == Some(misplaced.as_str()))
        });
        let message = if takes_it {
            tr!(
                "cmd.cli.misplaced_taken",
                option = misplaced,
                command = name
            )
        } else {
            tr!(
                "cmd.cli.misplaced_not_taken",
                option = misplaced,
                command = name
            )
        };
        usage_error(cli.error(clap::error::ErrorKind::ArgumentConflict, message));
    }
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| usage_error(e))
}

/// Ends the process on a usage error as clap does (its words on standard
/// error, exit 2); with `--json` on the command line, standard output gets
/// the `{"error": …}` object every other failure gives, so a script reading
/// it is never left with nothing. `--help` and `--version` pass untouched.
fn usage_error(error: clap::Error) -> ! {
    use clap::error::ErrorKind;
    let answered = matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !answered && json_asked() {
        let failure = usage_failure(&error.to_string());
        crate::commands::json::write_failure(&mut std::io::stdout(), &failure);
    }
    error.exit()
}

/// `--json` among the process's arguments (before any `--`).
fn json_asked() -> bool {
    std::env::args()
        .skip(1)
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json")
}

/// clap's words for a usage error as a failure: its first paragraph is
/// the message, its closing "For more information" line the next step.
fn usage_failure(text: &str) -> Failure {
    let text = text.trim();
    let first = text.split("\n\n").next().unwrap_or(text);
    let message = first.strip_prefix("error: ").unwrap_or(first).trim();
    let mut failure = Failure::new(EXIT_INVALID, message);
    failure.next_step = text
        .lines()
        .last()
        .filter(|line| line.starts_with("For more information"))
        .map(str::to_string);
    failure
}

/// The language `--lang` names on the command line, read before clap
/// parses it (`--lang zh`, `--lang=zh`); one it does not know is left for
/// clap to refuse.
fn language_asked() -> Option<Lang> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next(),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        if let Some(value) = value {
            return Lang::named(&value);
        }
    }
    None
}

/// `--lang`'s value: what [`Lang::named`] accepts.
fn language(text: &str) -> Result<Lang, String> {
    Lang::named(text).ok_or_else(|| "flexus speaks en (English) and zh (中文)".to_string())
}

/// A wizard-only option (not a global one) typed before a subcommand.
fn wizard_option_before(cli: &clap::Command, matches: &clap::ArgMatches) -> Option<String> {
    cli.get_arguments()
        .filter(|arg| !arg.is_global_set())
        .find(|arg| {
            matches.value_source(arg.get_id().as_str())
                == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|arg| arg.get_long().unwrap_or(arg.get_id().as_str()).to_string())
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
            Command::Completions(args) => args.write(&mut command_in_english(), out),
            Command::Man(args) => args.write(command_in_english(), out),
        }
    }
}

#[cfg(test)]
mod help_tests {
    //! The help table of `commands::help` against the command line clap
    //! builds here (commands cannot see `cli`).
    use crate::commands::help::{about, after, after_long, argument};
    use crate::lang::{self, Lang};

    /// Every command and every shown argument clap knows has its text in
    /// the table, and its English is what the doc comment (or the command's
    /// own after-help) says.
    #[test]
    fn every_command_and_argument_has_its_words_in_both_languages() {
        let command = <super::Cli as clap::CommandFactory>::command();
        let mut commands = vec![("flexus".to_string(), &command)];
        commands.extend(
            command
                .get_subcommands()
                .map(|s| (s.get_name().to_string(), s)),
        );
        let mut faults = Vec::new();
        for (name, sub) in commands {
            let english = lang::in_language(Lang::En, || about(&name));
            let told = sub.get_about().map(ToString::to_string);
            if english != told {
                faults.push(format!("{name}: about {english:?}, clap has {told:?}"));
            }
            let english = lang::in_language(Lang::En, || after(&name));
            let told = sub.get_after_help().map(ToString::to_string);
            if name != "flexus" && english != told {
                faults.push(format!("{name}: after {english:?}, clap has {told:?}"));
            }
            let english = lang::in_language(Lang::En, || after_long(&name));
            let told = sub.get_after_long_help().map(ToString::to_string);
            if english != told {
                faults.push(format!("{name}: long after {english:?}, clap has {told:?}"));
            }
            for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
                let id = arg.get_id().as_str();
                let english = lang::in_language(Lang::En, || argument(&name, id));
                let told = arg.get_help().map(ToString::to_string);
                if english != told {
                    faults.push(format!("{name} {id}: {english:?}, clap has {told:?}"));
                }
            }
        }
        assert!(faults.is_empty(), "{}", faults.join("\n"));
    }

    #[test]
    fn the_chinese_command_line_reads_chinese() {
        let mut command = lang::in_language(Lang::Zh, super::command);
        let order = command.find_subcommand_mut("order").unwrap();
        let help = order.render_help().to_string();
        assert!(help.contains("计划文件"), "{help}");
        assert!(help.contains("退出码"), "{help}");
        assert!(!help.contains("Print the result"), "{help}");
        // A default is shown once, in the help's language.
        assert!(help.contains("[默认：30]"), "{help}");
        assert!(!help.contains("[default:"), "{help}");
    }

    #[test]
    fn clap_s_own_help_subcommand_reads_in_the_run_s_language() {
        let mut chinese = lang::in_language(Lang::Zh, super::command);
        let help = chinese.render_help().to_string();
        assert!(help.contains("显示此帮助，或给定子命令的帮助"), "{help}");
        assert!(!help.contains("Print this message"), "{help}");
        let mut english = lang::in_language(Lang::En, super::command);
        let help = english.render_help().to_string();
        assert!(
            help.contains("Print this message or the help of the given subcommand(s)"),
            "{help}"
        );
    }

    /// The sandbox's Chinese long help states the same figures as the
    /// English one, which a test holds to the sandbox's own.
    #[test]
    fn the_chinese_sandbox_help_keeps_the_figures() {
        let english = lang::in_language(Lang::En, || after_long("sandbox")).unwrap();
        let chinese = lang::in_language(Lang::Zh, || after_long("sandbox")).unwrap();
        let figures = |text: &str| -> Vec<String> {
            text.split(|c: char| !(c.is_ascii_alphanumeric() || "._-@=:*".contains(c)))
                // A sentence's full stop is not part of its last figure.
                .map(|word| word.trim_end_matches('.'))
                .filter(|word| word.chars().any(|c| c.is_ascii_digit()))
                .map(str::to_string)
                .collect()
        };
        let mut english_figures = figures(&english);
        let mut chinese_figures = figures(&chinese);
        english_figures.sort();
        chinese_figures.sort();
        english_figures.dedup();
        chinese_figures.dedup();
        assert_eq!(english_figures, chinese_figures);
    }
}
