//! Everything that talks to Huawei Cloud: the HTTP client, authentication,
//! request signing, typed errors, retry policy and the order journal.
//! Knows nothing of the terminal.

pub mod engine;
pub mod signer;
pub mod wire;
