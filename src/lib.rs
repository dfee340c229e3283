//! flexus: buy Huawei Cloud FlexusL instances from the terminal.
//!
//! The layers, bottom to top; each uses only those below it (checked by
//! `tests/layers.rs`): `lang` (the language sentences are formed in), `secret`, `io_text` and `domain`, `api`, `sandbox` (the
//! server) and `config` (the profiles of the config file), `tui` (the wizard's state, screens and runtime), `exit` (how a
//! command fails), `commands` (each command's arguments and run), `cli`
//! (the command line that names them), and `main`.

// First, so `tr!` is in scope in every module after it, unimported.
#[macro_use]
pub mod lang;

pub mod api;
pub mod cli;
pub mod commands;
pub mod config;
pub mod domain;
pub mod exit;
pub mod io_text;
pub mod sandbox;
pub mod secret;
pub mod tui;

// Every message in both languages, read into the binary (see `lang`).
rust_i18n::i18n!("locales", fallback = "en");
