//! `flexus --debug` in a real pseudo-terminal: a password sign-in with an
//! MFA code against the sandbox is logged without the password, the code or
//! the tokens IAM issued, and the log's path is printed only once the
//! wizard has given the terminal back.

mod support;

use flexus::sandbox::{SANDBOX_MFA_PASSCODE, SandboxConfig};
use support::pty::Session;
use support::world::{sandbox_runtime, signed_in_sandbox};

const ENTER: &str = "\r";
const TAB: &str = "\t";

#[test]
fn a_password_sign_in_is_logged_without_the_password_code_or_tokens() {
    let runtime = sandbox_runtime();
    let (sandbox, _, _, _) = signed_in_sandbox(
        &runtime,
        SandboxConfig {
            require_mfa: true,
            ..SandboxConfig::default()
        },
    );
    let url = sandbox.url();
    let creds = sandbox.credentials().clone();
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state");

    let mut wizard = Session::start(
        env!("CARGO_BIN_EXE_flexus"),
        &[
            "--debug",
            "--hcss-endpoint",
            &url,
            "--bss-endpoint",
            &url,
            "--iam-endpoint",
            &url,
        ],
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("FLEXUS_STATE_DIR", state.to_str().unwrap()),
            ("FLEXUS_POLL_INTERVAL_MS", "100"),
            ("TERM", "xterm-256color"),
        ],
    );
    wizard.wait_for("IAM user password");
    wizard.keys("2");
    wizard.keys(ENTER);
    wizard.keys(&creds.user);
    wizard.keys(TAB);
    wizard.keys(creds.password.expose());
    wizard.keys(TAB);
    wizard.keys(&creds.account);
    wizard.keys(TAB);
    wizard.keys(SANDBOX_MFA_PASSCODE);
    wizard.keys(TAB);
    wizard.keys(&creds.user_id);
    wizard.keys(ENTER);
    wizard.wait_for("1. Region");
    assert!(
        !wizard.raw().contains("debug log"),
        "the log's path was printed over the wizard"
    );

    wizard.keys("\x03");
    assert_eq!(wizard.wait_exit().exit_code(), 130, "ended by Ctrl-C");
    let logs: Vec<_> = std::fs::read_dir(state.join("logs"))
        .expect("a log directory")
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let shown = wizard.raw();
    assert!(
        shown.contains(&format!("the debug log is in {}", logs[0].display())),
        "{shown}"
    );

    let log = std::fs::read_to_string(&logs[0]).unwrap();
    assert!(
        log.contains("operation=Login method=POST") && log.contains("/v3/auth/tokens status=201"),
        "{log}"
    );
    assert!(log.contains("operation=ListOrders"), "{log}");
    assert!(
        !log.contains(creds.password.expose()),
        "the password is in the log"
    );
    assert!(
        !log.contains(SANDBOX_MFA_PASSCODE),
        "the MFA code is in the log"
    );
    assert!(!log.contains("MIIsandbox"), "an issued token is in the log");
    assert!(
        !log.contains(creds.domain_token.expose()),
        "a token is in the log"
    );
    runtime.block_on(sandbox.shutdown());
}
