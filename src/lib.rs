//! flexus: buy Huawei Cloud FlexusL instances from the terminal.

pub mod api;
pub mod cli;
pub mod domain;
pub mod headless;
pub mod sandbox;
pub mod secret;
pub mod tui;
