//! Everything that talks to Huawei Cloud: the HTTP client, authentication,
//! request signing, typed errors, retry policy and the order journal.
//! Knows nothing of the terminal.

pub mod auth;
pub mod client;
pub mod endpoints;
pub mod engine;
pub mod failure;
pub mod ids;
pub mod journal;
pub mod purchase;
pub mod signer;
pub mod tracking;
pub mod wire;
