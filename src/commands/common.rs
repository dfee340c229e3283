//! What the commands that talk to Huawei Cloud, or to the journal, share:
//! how to reach the services (`ConnectArgs`, `connect`), the journal, the
//! yes/no prompts, and the checks of the IDs a user types.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use unicode_width::UnicodeWidthStr;

use crate::api::auth;
use crate::api::auth::ENV_CREDENTIALS_FILE;
use crate::api::auth::{ENV_BSS_TOKEN, ENV_TOKEN};
use crate::api::client::{Client, ClientConfig, LookupOptions};
use crate::api::endpoints::{
    DEFAULT_AUTH_REGION, ENV_BSS, ENV_HCSS, ENV_SDK_IAM, EndpointOverrides, Endpoints,
};
use crate::api::engine::ApiFailure;
use crate::api::ids::{ClientRequestId, OrderId};
use crate::api::journal::{Journal, PurchaseRecord, PurchaseState};
use crate::api::tracking::TrackOptions;
use crate::config::{ChosenProfile, CredentialsSource, Service};
use crate::exit::{EXIT_FAILURE, EXIT_INVALID, Failure, io_words, output_failure};

/// Shortens every wait (polls, lookups, retries) to this many milliseconds,
/// so tests of the binary run in seconds. Not for everyday use.
pub const ENV_POLL_INTERVAL_MS: &str = "FLEXUS_POLL_INTERVAL_MS";

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

/// Everything a command needs to talk to the services.
pub(super) struct Session {
    pub(super) client: Client,
    pub(super) journal: Journal,
    /// How it signed in, in words without the secrets ("access key from
    /// HUAWEICLOUD_SDK_AK/SK"); the line mode's sign-ins say it their way.
    pub(super) source: String,
    pub(super) track: TrackOptions,
    /// The zone times are told to people in (the system's; `TZ` wins),
    /// looked up once for the command.
    pub(super) zone: jiff::tz::TimeZone,
    /// One runtime for the whole command: the client's pooled connections
    /// belong to the runtime that opened them.
    pub(super) rt: tokio::runtime::Runtime,
}

/// How to reach the services, without credentials: endpoints, timeouts,
/// and the polling schedule. Shared by the headless commands and the wizard.
/// The flags win, then the environment, then the profile's endpoints.
pub(super) fn connection_settings(
    args: &ConnectArgs,
    profile: Option<&ChosenProfile>,
) -> Result<(Endpoints, ClientConfig, TrackOptions), Failure> {
    let env = |name: &str| std::env::var(name).ok();
    // The profile answers as the last variable each endpoint is looked up
    // under, so every variable still wins over it; its values were checked
    // when the file was read, with the file and line.
    let env_then_profile = |name: &str| {
        let set = env(name).filter(|v| !v.trim().is_empty());
        let service = match name {
            ENV_HCSS => Service::Hcss,
            ENV_BSS => Service::Bss,
            ENV_SDK_IAM => Service::Iam,
            _ => return set,
        };
        set.or_else(|| profile?.endpoint(service))
    };
    let overrides = EndpointOverrides {
        hcss: args.hcss_endpoint.clone(),
        bss: args.bss_endpoint.clone(),
        iam: args.iam_endpoint.clone(),
    };
    let endpoints = Endpoints::resolve(&overrides, &env_then_profile, DEFAULT_AUTH_REGION)
        .map_err(|e| Failure::new(EXIT_INVALID, e.to_string()))?;
    let mut config = ClientConfig {
        request_timeout: Duration::from_secs(args.timeout),
        ..ClientConfig::default()
    };
    let mut track = TrackOptions::default();
    if let Some(ms) = env(ENV_POLL_INTERVAL_MS).and_then(|v| v.trim().parse::<u64>().ok()) {
        let step = Duration::from_millis(ms.max(1));
        track.first_interval = step;
        track.max_interval = step * 15 / 2;
        track.pending_payment_max_interval = step * 30;
        config.ambiguity_lookup = LookupOptions {
            interval: step,
            ..LookupOptions::default()
        };
        config.retry.base_delay = config.retry.base_delay.min(step);
        config.retry.max_delay = config.retry.max_delay.min(step * 4);
    }
    Ok((endpoints, config, track))
}

pub(super) fn connect(
    args: &ConnectArgs,
    profile: Option<&ChosenProfile>,
) -> Result<Session, Failure> {
    let (endpoints, config, mut track) = connection_settings(args, profile)?;
    let resolved = credentials(args, profile)?;
    let client = Client::new(endpoints, resolved.auth, config).map_err(api_failure)?;
    let rt = runtime()?;
    // Wrong credentials show here, before any question or order.
    rt.block_on(client.check_sign_in()).map_err(|f| {
        Failure::new(EXIT_FAILURE, tr!("cmd.sign_in_failed", why = &f)).answering(&f)
    })?;
    let journal = open_journal()?;
    track.journal = Some(journal.clone());
    Ok(Session {
        client,
        journal,
        source: resolved.source.to_string(),
        track,
        zone: reader_zone(),
        rt,
    })
}

/// The credentials a command signs in with. A token file given on the
/// command line wins; a profile that pins a source (`credentials = ...`)
/// is looked up there alone; otherwise the usual order holds.
pub(super) fn credentials(
    args: &ConnectArgs,
    profile: Option<&ChosenProfile>,
) -> Result<auth::ResolvedAuth, Failure> {
    let pinned = profile.and_then(|p| Some((p, *p.settings.credentials.as_ref()?.get_ref())));
    let flags_name_a_token = args.token_file.is_some() || args.bss_token_file.is_some();
    let invalid = |e: auth::AuthError| Failure::new(EXIT_INVALID, e.to_string());
    let Some((profile, source)) = pinned.filter(|_| !flags_name_a_token) else {
        if let Some(profile) = profile {
            let files = token_files(args, Some(profile));
            // Only the files the profile gave: a flag's own file is the
            // flag's to name.
            readable_profile_token_files(
                profile,
                files.purchase.filter(|_| args.token_file.is_none()),
                files.billing.filter(|_| args.bss_token_file.is_none()),
            )?;
        }
        return auth::resolve_from_process(token_files(args, profile))
            .map_err(invalid)?
            .ok_or_else(|| Failure::new(EXIT_INVALID, auth::missing_credentials_help()));
    };
    let env = |name: &str| std::env::var(name).ok();
    let resolved = match source {
        // Variables only: the SDK file is neither named nor found at home.
        CredentialsSource::Env => {
            let variables = |name: &str| env(name).filter(|_| name != ENV_CREDENTIALS_FILE);
            auth::resolve(auth::TokenFiles::default(), &variables, None)
        }
        CredentialsSource::SdkFile => {
            let file = profile
                .settings
                .sdk_credentials_file
                .as_ref()
                .map(|f| f.get_ref().display().to_string());
            let only_the_file = |name: &str| match name {
                ENV_CREDENTIALS_FILE => file.clone().or_else(|| env(name)),
                _ => None,
            };
            let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
            auth::resolve(auth::TokenFiles::default(), &only_the_file, home.as_deref())
        }
        CredentialsSource::TokenFile => {
            let settings = &profile.settings;
            let files = auth::TokenFiles {
                purchase: settings.token_file.as_deref(),
                billing: settings.bss_token_file.as_deref(),
            };
            readable_profile_token_files(profile, files.purchase, files.billing)?;
            auth::resolve(files, &|_| None, None)
        }
    };
    resolved.map_err(invalid)?.ok_or_else(|| {
        let profile = profile.described();
        Failure::new(
            EXIT_INVALID,
            match source {
                CredentialsSource::Env => tr!("cmd.credentials.env_none", profile = profile),
                CredentialsSource::SdkFile => tr!("cmd.credentials.file_none", profile = profile),
                // Checked when the profile was read: it names a token file.
                CredentialsSource::TokenFile => auth::missing_credentials_help(),
            },
        )
    })
}

/// A token file a profile names that cannot be read is the config file's
/// mistake: the words name the key and the file, not a flag never given.
fn readable_profile_token_files(
    profile: &ChosenProfile,
    purchase: Option<&Path>,
    billing: Option<&Path>,
) -> Result<(), Failure> {
    for (path, key) in [(purchase, "token_file"), (billing, "bss_token_file")] {
        let Some(path) = path else { continue };
        if let Err(e) = std::fs::File::open(path) {
            return Err(Failure::new(
                EXIT_INVALID,
                tr!(
                    "cmd.credentials.profile_token_file_unreadable",
                    path = path.display(),
                    why = io_words(&e),
                    key = key,
                    profile = profile.described()
                ),
            ));
        }
    }
    Ok(())
}

/// The profile's spending limit applied to an order, before anything is
/// sent: the refusal says how to change the limit.
pub(super) fn within_spending_limit(
    data: &super::Data,
    draft: &crate::domain::order::Draft,
) -> Result<(), Failure> {
    let Some(profile) = &data.profile else {
        return Ok(());
    };
    let estimate =
        crate::domain::summary::Summary::new(&data.catalog, &data.prices, draft).estimate;
    profile.limit.check(&estimate).map_err(|why| {
        Failure::new(
            EXIT_INVALID,
            tr!("cmd.over_limit", why = why, profile = profile.described()),
        )
    })
}

/// Warns on standard error when the price table is more than a year old:
/// every estimate made from it (the catalog's, a dry run's, an order's)
/// may be wrong.
pub(super) fn warn_if_prices_stale(
    data: &super::Data,
    today: jiff::civil::Date,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    match crate::domain::freshness::stale_prices_warning(&data.prices, today) {
        Some(warning) => writeln!(err, "{}", tr!("cmd.catalog.warning", warning = warning))
            .map_err(output_failure),
        None => Ok(()),
    }
}

/// Which day the catalog and the prices describe, one line each, so a
/// reader can tell how old they are (`--catalog` and `--prices` bring
/// newer ones).
pub(super) fn data_dates(data: &super::Data) -> String {
    let prices = &data.prices;
    let (recorded, currency) = (&prices.recorded_on, &prices.currency);
    let catalog = match data.catalog.updated_on.as_deref() {
        Some(day) => tr!("cmd.catalog.dated", day = day),
        None => tr!("cmd.catalog.undated"),
    };
    let prices = match prices.published_on.as_deref() {
        Some(published) => tr!(
            "cmd.catalog.prices_published",
            recorded = recorded,
            published = published,
            currency = currency
        ),
        None => tr!(
            "cmd.catalog.prices",
            recorded = recorded,
            currency = currency
        ),
    };
    format!("{catalog}\n{prices}")
}

/// The zone this process shows times in: the system's, where `TZ` wins
/// (a zone name, or a POSIX rule such as `CST-8`). Looked up once at a
/// command's start; JSON and the journal keep UTC.
pub(super) fn reader_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::system()
}

/// The token files of the command line, else the profile's where the
/// environment holds no token of that kind (the variable wins over it).
pub(super) fn token_files<'a>(
    args: &'a ConnectArgs,
    profile: Option<&'a ChosenProfile>,
) -> auth::TokenFiles<'a> {
    let from_profile = |file: &'a Option<PathBuf>, var: &str| {
        let env_has_it = std::env::var(var).is_ok_and(|v| !v.trim().is_empty());
        file.as_deref().filter(|_| !env_has_it)
    };
    let settings = profile.map(|p| &p.settings);
    auth::TokenFiles {
        purchase: args
            .token_file
            .as_deref()
            .or_else(|| from_profile(&settings?.token_file, ENV_TOKEN)),
        billing: args
            .bss_token_file
            .as_deref()
            .or_else(|| from_profile(&settings?.bss_token_file, ENV_BSS_TOKEN)),
    }
}

/// Where the order journal lives: the user's state directory.
pub(super) fn journal_dir() -> Result<PathBuf, Failure> {
    Journal::default_dir().ok_or_else(|| Failure::new(EXIT_FAILURE, tr!("cmd.journal.no_dir")))
}

/// The order journal in the user's state directory.
pub(super) fn open_journal() -> Result<Journal, Failure> {
    crate::api::purchase::open_journal(&journal_dir()?).map_err(api_failure)
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.cannot_start", why = e)))
}

pub(super) fn api_failure(f: ApiFailure) -> Failure {
    Failure::new(EXIT_FAILURE, f.to_string()).answering(&f)
}

/// The kinds of file a user names, for the words of an error about one.
#[derive(Debug, Clone, Copy)]
pub(super) enum FileKind {
    Plan,
    Catalog,
    PriceTable,
}

/// A file the user named, read whole; the error names its kind.
pub(super) fn read_file(path: &Path, kind: FileKind) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        let (path, why) = (path.display(), io_words(&e));
        let message = match kind {
            FileKind::Plan => tr!("cmd.read.plan", path = path, why = why),
            FileKind::Catalog => tr!("cmd.read.catalog", path = path, why = why),
            FileKind::PriceTable => tr!("cmd.read.price_table", path = path, why = why),
        };
        // A plan that cannot be read is a usage error, as a plan with
        // problems is; the tables keep exit 1, as they always had.
        let code = match kind {
            FileKind::Plan => EXIT_INVALID,
            FileKind::Catalog | FileKind::PriceTable => EXIT_FAILURE,
        };
        Failure::new(code, message)
    })
}

/// Asks a yes/no question on the terminal; the default is no. Without a
/// terminal, or with `--no-input`, there is nobody to ask, so the answer is
/// no.
pub(super) fn ask(question: &str, no_input: bool, err: &mut dyn Write) -> Result<bool, Failure> {
    if !may_ask(no_input) {
        return Ok(false);
    }
    let answer = answer_to(&tr!("cmd.ask.yes_no", question = question), err)?;
    Ok(matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// Whether a question can be put to a person: standard input is a
/// terminal and `--no-input` was not given.
fn may_ask(no_input: bool) -> bool {
    !no_input && std::io::stdin().is_terminal()
}

/// The refusal when a confirmation cannot be asked for: why not, and the
/// flag that gives it instead.
fn cannot_ask(what: Act, no_input: bool) -> Failure {
    let why = if no_input {
        tr!("cmd.ask.no_input")
    } else {
        tr!("cmd.ask.no_terminal")
    };
    Failure::new(
        EXIT_INVALID,
        tr!("cmd.ask.cannot", act = what.words(), why = why),
    )
}

/// What a confirmation is for, named in its refusals.
#[derive(Debug, Clone, Copy)]
pub(super) enum Act {
    Ordering,
    Paying,
    Cancelling,
    Resending,
    RecordingNothingPlaced,
}

impl Act {
    fn words(self) -> String {
        match self {
            Act::Ordering => tr!("cmd.act.ordering"),
            Act::Paying => tr!("cmd.act.paying"),
            Act::Cancelling => tr!("cmd.act.cancelling"),
            Act::Resending => tr!("cmd.act.resending"),
            Act::RecordingNothingPlaced => tr!("cmd.act.recording"),
        }
    }
}

/// Writes `prompt` and reads one line from the terminal, trimmed.
fn answer_to(prompt: &str, err: &mut dyn Write) -> Result<String, Failure> {
    write!(err, "{prompt}").map_err(output_failure)?;
    err.flush().map_err(output_failure)?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(EXIT_FAILURE, tr!("cmd.ask.cannot_read", why = e)))?;
    Ok(answer.trim().to_string())
}

/// The second question for a large purchase: only the word "yes", typed
/// out, goes on (a `y` alone does not); `--yes` skips it, as it does the
/// first.
pub(super) fn confirm_typed(
    question: &str,
    what: Act,
    no_input: bool,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    if !may_ask(no_input) {
        return Err(cannot_ask(what, no_input));
    }
    if answer_to(&tr!("cmd.ask.typed", question = question), err)?.eq_ignore_ascii_case("yes") {
        Ok(())
    } else {
        Err(Failure::new(
            EXIT_FAILURE,
            tr!("cmd.ask.not_confirmed_typed", act = what.words()),
        ))
    }
}

/// `--yes`, or a "yes" typed on the terminal; with neither (no terminal,
/// or `--no-input`), a refusal that says how to confirm.
pub(super) fn confirm(
    yes: bool,
    question: &str,
    what: Act,
    no_input: bool,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !may_ask(no_input) {
        return Err(cannot_ask(what, no_input));
    }
    if ask(question, no_input, err)? {
        Ok(())
    } else {
        Err(Failure::new(
            EXIT_FAILURE,
            tr!("cmd.ask.not_confirmed", act = what.words()),
        ))
    }
}

/// "Label           value": a label padded to 16 columns of the screen, as
/// the order summary lays out its lines, whatever the label's language.
pub(super) fn labelled(label: &str, value: &str) -> String {
    let gap = 16usize.saturating_sub(label.width()).max(1);
    format!("{label}{}{value}", " ".repeat(gap))
}

/// `text` and spaces up to `width` columns of the screen, as `{:<width$}`
/// pads, but counting a Chinese character as the two columns it takes.
pub(super) fn left(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// Spaces and `text`, right-aligned in `width` columns of the screen, as
/// `{:>width$}` pads, by display width.
pub(super) fn right(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(text.width())))
}

/// Passes writes on and ignores their failures: output is a report, and a
/// closed or full stream must not cut a purchase or its tracking short.
pub(super) struct Unbreakable<'a>(pub(super) &'a mut dyn Write);

impl Write for Unbreakable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = self.0.flush();
        Ok(())
    }
}

/// An ORDER_ID argument, checked before anything is sent, stored or
/// printed; the error never repeats what was given.
pub(super) fn order_id_argument(text: &str) -> Result<OrderId, Failure> {
    OrderId::parse(text)
        .map_err(|why| Failure::new(EXIT_INVALID, tr!("cmd.order_id.invalid", why = why)))
}

/// A purchase of the journal whose outcome is unknown, by its ID as the
/// user typed it; `None` for one whose intent is damaged (its body and
/// state cannot be read, but it can be settled).
pub(super) fn unresolved_purchase(
    journal: &Journal,
    typed: &str,
) -> Result<(ClientRequestId, Option<PurchaseRecord>), Failure> {
    let id = ClientRequestId::parse(typed).map_err(|why| Failure::new(EXIT_INVALID, why))?;
    let unreadable =
        |e: std::io::Error| Failure::new(EXIT_FAILURE, tr!("cmd.journal.cannot_read", why = e));
    let Some(record) = journal.purchase(id.as_str()).map_err(unreadable)? else {
        let hidden = journal.hidden_unresolved().map_err(unreadable)?;
        if hidden
            .iter()
            .any(|d| d.client_request_id.as_deref() == Some(id.as_str()))
        {
            return Ok((id, None));
        }
        return Err(Failure::new(
            EXIT_INVALID,
            tr!("cmd.journal.no_purchase", id = &id),
        ));
    };
    match &record.state {
        PurchaseState::Unanswered | PurchaseState::Ambiguous { .. } => Ok((id, Some(record))),
        PurchaseState::Placed => Err(Failure::new(
            EXIT_INVALID,
            tr!(
                "cmd.journal.already_placed",
                id = &id,
                order = record.order_id.as_deref().unwrap_or("-")
            ),
        )),
        PurchaseState::Rejected(_) | PurchaseState::NothingPlaced => Err(Failure::new(
            EXIT_INVALID,
            tr!(
                "cmd.journal.settled",
                id = &id,
                state = record.state_text(&jiff::tz::TimeZone::UTC)
            ),
        )),
    }
}
