//! The wizard (flexus without a subcommand): connected to the real API
//! layer, or to an in-process sandbox with `--sandbox`. Reads the plan,
//! checks that there is a terminal, builds the runtime, runs, and reports
//! how it ended.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::common::{ConnectArgs, connection_settings, journal_dir, token_files};
use super::{Data, Execute};
use crate::domain::order::{Draft, ProblemKind};
use crate::exit::{EXIT_FAILURE, EXIT_INVALID, Failure};
use crate::tui::app::ProfileInUse;
use crate::tui::kept;
use crate::tui::live::{self, LiveConnector};
use crate::tui::theme::Theme;
use crate::tui::{Connector, Options, PlanStart, SignIn, Start, run};

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

    /// Ask the wizard's questions as plain numbered lines, for screen readers and pipes [env: FLEXUS_ACCESSIBLE=1; also under TERM=dumb, unless FLEXUS_ACCESSIBLE=0]
    #[arg(long)]
    pub accessible: bool,

    /// Exit right after the first frame is drawn (start-up measurement)
    #[arg(long, hide = true)]
    pub first_frame_exit: bool,

    #[command(flatten)]
    pub connect: ConnectArgs,
}

impl Execute for WizardArgs {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure> {
        if super::line::chosen(self.accessible, |name| std::env::var(name).ok()) {
            return super::line::run(&self, data, out, err);
        }
        let (connector, found) = signing_in(&self, &data)?;
        // Kept beside the journal it belongs with: a sandbox order's choices
        // never come back in a real one.
        let kept_file = kept::file_in(&if self.sandbox {
            connector.journal_dir.join("sandbox")
        } else {
            connector.journal_dir.clone()
        });
        let connector = Arc::new(connector);
        launch(self, data, connector, found, Some(kept_file), err)
    }
}

/// How the wizard signs in, on its screens or in the line mode: the
/// connector, and the way to sign in found without asking (what a profile
/// pins, else the environment's); none for `--sandbox`, which needs none.
pub(super) fn signing_in(
    args: &WizardArgs,
    data: &Data,
) -> Result<(LiveConnector, Option<SignIn>), Failure> {
    let profile = data.profile.as_ref();
    let (endpoints, config, track) = connection_settings(&args.connect, profile)?;
    let mut tokens = token_files(&args.connect, profile);
    let pinned = profile.is_some_and(|p| p.settings.credentials.is_some());
    let found = if args.sandbox {
        None
    } else if pinned && args.connect.token_file.is_none() && args.connect.bss_token_file.is_none() {
        // Signed in with what the profile pins, found as the commands
        // find it; the wizard must not then look elsewhere.
        tokens = Default::default();
        Some(pinned_sign_in(&args.connect, profile)?)
    } else {
        live::found_credentials(tokens).map_err(|message| Failure::new(EXIT_INVALID, message))?
    };
    let connector = LiveConnector {
        endpoints,
        config,
        track,
        journal_dir: journal_dir()?,
        token_file: tokens.purchase.map(PathBuf::from),
        bss_token_file: tokens.billing.map(PathBuf::from),
        catalog: data.catalog.clone(),
        prices: data.prices.clone(),
    };
    Ok((connector, found))
}

/// Runs the wizard. `connector` signs in; `found` is the way to sign in
/// that the caller discovered (e.g. AK/SK in the environment): with it the
/// wizard opens at once and signs in behind it, without it the sign-in
/// screen comes first. `--sandbox` always signs in to the sandbox.
fn launch(
    args: WizardArgs,
    data: Data,
    connector: Arc<dyn Connector>,
    found: Option<SignIn>,
    kept_file: Option<PathBuf>,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    // Keys are read from the controlling terminal even when standard input
    // is redirected; the screen needs standard output.
    let plan = match &args.plan {
        None => None,
        Some(path) => {
            let text = super::common::read_file(path, super::common::FileKind::Plan)?;
            let (draft, problems) = Draft::from_plan_json(&text);
            if let Some(unreadable) = problems.iter().find(|p| p.kind == ProblemKind::Unreadable) {
                return Err(Failure::new(
                    EXIT_INVALID,
                    tr!(
                        "cmd.plan.unreadable",
                        plan = path.display(),
                        why = &unreadable.message
                    ),
                ));
            }
            let twice: Vec<String> = problems
                .iter()
                .filter(|p| p.kind == ProblemKind::DuplicateKey)
                .map(|p| format!("  - {p}"))
                .collect();
            if !twice.is_empty() {
                return Err(Failure::new(
                    EXIT_INVALID,
                    tr!(
                        "cmd.plan.field_twice",
                        plan = path.display(),
                        list = twice.join("\n")
                    ),
                ));
            }
            Some(PlanStart {
                path: path.clone(),
                draft,
                problems,
            })
        }
    };
    if !std::io::stdout().is_terminal() {
        return Err(Failure::new(EXIT_INVALID, tr!("cmd.wizard.needs_terminal")));
    }
    // With a plan the user came to order that plan (the double check still
    // guards it): nothing is reopened, no earlier choices are offered. An
    // in-process sandbox has nothing to reopen (it died with the wizard that
    // started it), but its last order's choices are a good start.
    let reattach = plan.is_none();
    let kept_found = match (&kept_file, &plan) {
        (Some(path), None) => kept::read(path),
        _ => kept::Found::Nothing,
    };
    let start = match (args.sandbox, found) {
        (true, _) => Start::Connect {
            connector,
            choice: SignIn::Sandbox,
        },
        (false, Some(choice)) => Start::Connect { connector, choice },
        (false, None) => Start::SignInFirst(connector),
    };
    let profile = data.profile.map(|chosen| ProfileInUse {
        described: chosen.described(),
        region: chosen.settings.region.map(|r| r.into_inner()),
        limit: chosen.limit,
        name: chosen.name,
    });
    let options = Options {
        catalog: data.catalog,
        prices: data.prices,
        theme: Theme::from_process_env(),
        plan,
        mouse: args.mouse,
        first_frame_exit: args.first_frame_exit,
        reattach,
        kept_file,
        kept_found,
        profile,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.cannot_start", why = e)))?;
    let exit = runtime
        .block_on(run(options, start))
        .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.wizard.terminal_failed", why = e)))?;
    // Tasks still running (a tracker, a request) stop with the runtime;
    // what they were about is in the journal and in the message below.
    runtime.shutdown_background();
    if let Some(message) = exit.message {
        let _ = writeln!(err, "{message}");
    }
    // Ended by a signal, or by Ctrl-C (the terminal's interrupt, read as a
    // key): exit as a process killed by it would (128 + n).
    match exit.signal {
        None => Ok(()),
        Some(name) => Err(Failure::new(
            match name {
                "SIGHUP" => 129,
                "SIGINT" => 130,
                _ => 143,
            },
            "",
        )),
    }
}

impl WizardArgs {
    /// The wizard under `--no-input`: it is nothing but questions.
    pub fn refused_without_input() -> Failure {
        Failure::new(EXIT_INVALID, tr!("cmd.no_input_wizard"))
    }
}

/// The wizard's sign-in with the credentials a profile pins. Tokens are
/// handed over as they are; AK/SK the wizard finds again in the process
/// when it signs in, so that must be the same place the profile names.
fn pinned_sign_in(
    args: &super::common::ConnectArgs,
    profile: Option<&crate::config::ChosenProfile>,
) -> Result<SignIn, Failure> {
    use crate::api::auth::{self, Auth};
    let pinned = super::common::credentials(args, profile)?;
    match pinned.auth {
        Auth::Tokens { purchase, billing } => Ok(SignIn::Tokens { purchase, billing }),
        Auth::AkSk { .. } | Auth::SignedIn { .. } => {
            let found = auth::resolve_from_process(auth::TokenFiles::default())
                .ok()
                .flatten()
                .map(|r| r.source);
            if found.as_ref() == Some(&pinned.source) {
                return Ok(SignIn::AkSkFromEnvironment);
            }
            Err(Failure::new(
                EXIT_INVALID,
                tr!(
                    "cmd.credentials.wizard_elsewhere",
                    pinned = &pinned.source,
                    found = found.map_or_else(|| "-".to_string(), |f| f.to_string())
                ),
            ))
        }
    }
}
