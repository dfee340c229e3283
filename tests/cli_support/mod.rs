//! What the tests of the built binary against the sandbox share: a sandbox
//! and a private home and state directory per test, and runs of `flexus`
//! with a clean environment pointed at it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use flexus::sandbox::{self, SandboxConfig, SandboxHandle};

pub const EXAMPLE_PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json");

/// A sandbox on a free loopback port with these faults, whose paid orders
/// take `complete_after` to complete.
pub async fn start_sandbox(faults: &[&str], complete_after: Duration) -> SandboxHandle {
    let config = SandboxConfig {
        faults: faults.iter().map(|f| f.parse().expect("a fault")).collect(),
        complete_after,
        ..SandboxConfig::default()
    };
    sandbox::start("127.0.0.1:0".parse().unwrap(), config)
        .await
        .expect("the sandbox starts")
}

/// A clean environment for flexus: `home` as its home (the journal in
/// `state` inside it), the sandbox's tokens and its URL for every endpoint,
/// short waits, and nothing from the developer's own setup.
pub fn clean_env(sandbox: &SandboxHandle, home: &Path) -> Vec<(&'static str, OsString)> {
    let url = OsString::from(sandbox.url());
    vec![
        ("PATH", std::env::var_os("PATH").unwrap_or_default()),
        ("HOME", home.into()),
        ("FLEXUS_STATE_DIR", state_dir(home).into()),
        ("FLEXUS_TOKEN", purchase_token(sandbox).into()),
        ("FLEXUS_BSS_TOKEN", billing_token(sandbox).into()),
        ("FLEXUS_HCSS_ENDPOINT", url.clone()),
        ("FLEXUS_BSS_ENDPOINT", url.clone()),
        ("FLEXUS_IAM_ENDPOINT", url),
        ("FLEXUS_POLL_INTERVAL_MS", "50".into()),
    ]
}

fn state_dir(home: &Path) -> PathBuf {
    home.join("state")
}

/// The sandbox's token for the example plan's region (ap-southeast-3).
fn purchase_token(sandbox: &SandboxHandle) -> String {
    let creds = sandbox.credentials();
    creds
        .project_token("ap-southeast-3")
        .unwrap()
        .expose()
        .to_string()
}

fn billing_token(sandbox: &SandboxHandle) -> String {
    sandbox.credentials().domain_token.expose().to_string()
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

/// A sandbox and a private home and state directory for one test.
pub struct Setup {
    pub sandbox: SandboxHandle,
    pub home: tempfile::TempDir,
}

impl Setup {
    pub async fn new(faults: &[&str]) -> Setup {
        Setup::with_completion(faults, Duration::from_millis(300)).await
    }

    /// A sandbox whose paid orders take `complete_after` to complete.
    pub async fn with_completion(faults: &[&str], complete_after: Duration) -> Setup {
        Setup {
            sandbox: start_sandbox(faults, complete_after).await,
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn state_dir(&self) -> PathBuf {
        state_dir(self.home.path())
    }

    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(self.state_dir().join("journal.jsonl")).unwrap_or_default()
    }

    /// The sandbox's token for the example plan's region (ap-southeast-3).
    pub fn purchase_token(&self) -> String {
        purchase_token(&self.sandbox)
    }

    pub fn billing_token(&self) -> String {
        billing_token(&self.sandbox)
    }

    /// The command with a clean environment pointed at the sandbox.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_flexus"));
        cmd.env("FLEXUS_LANG", "en");
        cmd.args(args)
            .env_clear()
            .envs(clean_env(&self.sandbox, self.home.path()))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub async fn run_with(&self, mut cmd: Command) -> Run {
        let output = tokio::task::spawn_blocking(move || cmd.output().expect("flexus runs"))
            .await
            .unwrap();
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        };
        let creds = self.sandbox.credentials();
        let tokens =
            std::iter::once(&creds.domain_token).chain(creds.project_tokens.iter().map(|(_, t)| t));
        for token in tokens.map(|t| t.expose()) {
            assert!(!run.all().contains(token), "a token was printed");
            assert!(
                !self.journal_text().contains(token),
                "a token is in the journal"
            );
        }
        run
    }

    pub async fn run(&self, args: &[&str]) -> Run {
        self.run_with(self.command(args)).await
    }
}

pub fn plan_file(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(EXAMPLE_PLAN).unwrap()).unwrap();
    edit(&mut plan);
    let path = dir.join("plan.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    path
}
