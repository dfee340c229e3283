//! The debug log: `--debug` or `FLEXUS_LOG=LEVEL` writes what flexus did
//! on the network and in the journal to a private file in the state
//! directory, for the user to read or send along with a bug report.
//!
//! What goes in is decided where it is logged (`api::client`,
//! `api::journal`): no header, no body and no credential is ever handed to
//! the log, so nothing has to be scrubbed from it afterwards.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Args;
use time::OffsetDateTime;
use time::macros::format_description;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;

use super::common::journal_dir;
use crate::api::journal::create_private_dir;
use crate::exit::{EXIT_FAILURE, EXIT_INVALID, Failure, io_words};

/// The log's level, when it should be other than `--debug`'s.
pub const ENV_LOG: &str = "FLEXUS_LOG";

/// The words `FLEXUS_LOG` takes, least said first.
const LEVELS: [(&str, LevelFilter); 5] = [
    ("error", LevelFilter::ERROR),
    ("warn", LevelFilter::WARN),
    ("info", LevelFilter::INFO),
    ("debug", LevelFilter::DEBUG),
    ("trace", LevelFilter::TRACE),
];

/// Whether this run keeps a debug log.
#[derive(Debug, Args, Clone, Default)]
pub struct LogArgs {
    /// Log every HTTP exchange and journal write, secrets left out, to a file in the state directory [env: FLEXUS_LOG=error|warn|info|debug|trace]
    #[arg(long, global = true)]
    pub debug: bool,
}

/// The log this run writes to.
#[derive(Debug)]
pub struct DebugLog {
    pub path: PathBuf,
}

impl DebugLog {
    /// Told as a command starts: where its log goes.
    pub fn writing_words(&self) -> String {
        tr!("cmd.log.writing", path = self.path.display())
    }

    /// Told after the wizard, which owned the terminal while it ran.
    pub fn is_in_words(&self) -> String {
        tr!("cmd.log.is_in", path = self.path.display())
    }

    /// Told after a failure: the log has more than its words.
    pub fn details_words(&self) -> String {
        tr!("cmd.log.details_in", path = self.path.display())
    }
}

impl LogArgs {
    /// Starts the log when `--debug` or `FLEXUS_LOG` asks for one; without
    /// either, no file is made.
    pub fn start(&self) -> Result<Option<DebugLog>, Failure> {
        let asked = std::env::var(ENV_LOG).ok();
        let Some(level) = level(self.debug, asked.as_deref())
            .map_err(|message| Failure::new(EXIT_INVALID, message))?
        else {
            return Ok(None);
        };
        let dir = journal_dir()?.join("logs");
        let path = dir.join(file_name(OffsetDateTime::now_utc(), std::process::id()));
        let file = create_log(&dir, &path).map_err(|e| {
            Failure::new(
                EXIT_FAILURE,
                tr!(
                    "cmd.log.cannot_write",
                    path = path.display(),
                    why = io_words(&e),
                    env = ENV_LOG
                ),
            )
        })?;
        let layer = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(Mutex::new(file));
        // flexus's own events only: the HTTP libraries below it would log
        // headers (tokens included), and the sandbox, which plays the
        // service, keeps its side of the exchanges out of the user's log.
        let only_flexus = Targets::new()
            .with_target("flexus", level)
            .with_target("flexus::sandbox", LevelFilter::OFF);
        let subscriber = tracing_subscriber::registry()
            .with(tracing_subscriber::Layer::with_filter(layer, only_flexus));
        tracing::subscriber::set_global_default(subscriber)
            .map_err(|_| Failure::new(EXIT_FAILURE, tr!("cmd.log.started_twice")))?;
        tracing::info!(version = env!("CARGO_PKG_VERSION"), level = %level, "flexus started");
        Ok(Some(DebugLog { path }))
    }
}

/// The level asked for: `FLEXUS_LOG` when it is set, else debug for
/// `--debug`, else none (no log). Words other than the levels are refused,
/// not ignored: a log the user expects but that never appears helps nobody.
fn level(debug: bool, asked: Option<&str>) -> Result<Option<LevelFilter>, String> {
    match asked.map(str::trim).filter(|a| !a.is_empty()) {
        Some(asked) => LEVELS
            .iter()
            .find(|(word, _)| word.eq_ignore_ascii_case(asked))
            .map(|(_, level)| Some(*level))
            .ok_or_else(|| {
                let words: Vec<&str> = LEVELS.iter().map(|(word, _)| *word).collect();
                tr!(
                    "cmd.log.unknown_level",
                    env = ENV_LOG,
                    asked = asked,
                    levels = words.join(", ")
                )
            }),
        None if debug => Ok(Some(LevelFilter::DEBUG)),
        None => Ok(None),
    }
}

/// `flexus-20261201T150133Z-4242.log`: sorts by time, and two runs in the
/// same second still get files of their own.
fn file_name(now: OffsetDateTime, pid: u32) -> String {
    let stamp = now
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .expect("a UTC time always formats");
    format!("flexus-{stamp}-{pid}.log")
}

/// A new file only the user can read (0600) in a directory only the user
/// can enter (0700): the log names orders and accounts.
fn create_log(dir: &Path, path: &Path) -> std::io::Result<File> {
    create_private_dir(dir)?;
    let mut options = OpenOptions::new();
    options.create_new(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_alone_logs_at_debug_and_nothing_asks_for_no_log() {
        assert_eq!(level(true, None), Ok(Some(LevelFilter::DEBUG)));
        assert_eq!(level(false, None), Ok(None));
        assert_eq!(level(false, Some("  ")), Ok(None));
    }

    #[test]
    fn the_environment_picks_the_level_with_or_without_the_flag() {
        assert_eq!(level(false, Some("trace")), Ok(Some(LevelFilter::TRACE)));
        assert_eq!(level(true, Some("WARN")), Ok(Some(LevelFilter::WARN)));
        assert_eq!(level(false, Some("error")), Ok(Some(LevelFilter::ERROR)));
    }

    #[test]
    fn an_unknown_level_is_refused_with_the_words_that_work() {
        let refused = level(true, Some("verbose")).unwrap_err();
        assert!(refused.contains("FLEXUS_LOG=verbose"), "{refused}");
        assert!(
            refused.contains("error, warn, info, debug, trace"),
            "{refused}"
        );
    }

    #[test]
    fn the_file_name_carries_the_utc_time_and_the_process() {
        let at = time::macros::datetime!(2026-12-01 15:01:33 UTC);
        assert_eq!(file_name(at, 4242), "flexus-20261201T150133Z-4242.log");
    }
}
