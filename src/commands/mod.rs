//! The commands, one file each: its clap arguments and what it does, so a
//! flag and the code that reads it are never apart. `cli` only names them;
//! `main` parses, runs one, and turns its [`Failure`] into words and an
//! exit code.
//!
//! Human-facing context (summaries, prompts, warnings) goes to standard
//! error; results and one line per state change go to standard output.

pub mod abandon;
pub mod cancel;
pub mod catalog;
pub mod claim;
pub mod common;
pub mod completions;
pub mod data;
pub mod dismiss;
mod follow;
pub mod help;
pub mod json;
mod line;
pub mod log;
pub mod man;
pub mod order;
pub mod orders;
pub mod pay;
mod placing;
pub mod resend;
pub mod sandbox;
pub mod status;
pub mod wizard;

use std::io::Write;

pub use data::{Data, DataArgs};

use crate::exit::Failure;

/// A command's arguments, run: given the tables the global flags chose,
/// with results on `out` and words for people on `err`.
pub trait Execute {
    fn execute(self, data: Data, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Failure>;
}
