//! A sandbox on a real loopback socket, its tokens and a private state
//! directory: what the real binary in a pseudo-terminal is pointed at.

use std::net::SocketAddr;

use flexus::sandbox::{self, SandboxConfig, SandboxHandle};

use super::pty::Session;

pub struct World {
    _runtime: tokio::runtime::Runtime,
    pub sandbox: SandboxHandle,
    pub state: tempfile::TempDir,
    /// Scoped to the project of ap-southeast-3.
    pub token: String,
    /// Scoped to the account's domain.
    pub billing: String,
}

impl World {
    pub fn start(config: SandboxConfig) -> World {
        let runtime = sandbox_runtime();
        let (sandbox, _, token, billing) = signed_in_sandbox(&runtime, config);
        World {
            _runtime: runtime,
            sandbox,
            state: tempfile::tempdir().unwrap(),
            token,
            billing,
        }
    }

    /// The wizard signed in with the sandbox's tokens, polling fast;
    /// `more_env` is added to that environment.
    pub fn wizard(&self, more_env: &[(&str, &str)]) -> Session {
        let url = self.sandbox.url();
        let mut env = vec![
            ("FLEXUS_TOKEN", self.token.as_str()),
            ("FLEXUS_BSS_TOKEN", self.billing.as_str()),
            ("FLEXUS_STATE_DIR", self.state.path().to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ];
        env.extend_from_slice(more_env);
        Session::start(
            env!("CARGO_BIN_EXE_flexus"),
            &[
                "--hcss-endpoint",
                &url,
                "--bss-endpoint",
                &url,
                "--iam-endpoint",
                &url,
            ],
            &env,
        )
    }
}

/// The runtime a sandbox serves on while the test drives the binary.
pub fn sandbox_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// A sandbox on loopback, its URL, and a token per scope (the orders'
/// region is AP-Singapore; billing takes the domain token).
pub fn signed_in_sandbox(
    runtime: &tokio::runtime::Runtime,
    config: SandboxConfig,
) -> (SandboxHandle, String, String, String) {
    let sandbox = runtime
        .block_on(sandbox::start(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            config,
        ))
        .unwrap();
    let url = sandbox.url();
    let creds = sandbox.credentials();
    let token = creds
        .project_token("ap-southeast-3")
        .unwrap()
        .expose()
        .to_string();
    let billing = creds.domain_token.expose().to_string();
    (sandbox, url, token, billing)
}
