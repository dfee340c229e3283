//! What an installed flexus brings besides itself: shell completions, a
//! manual page, and help texts that end with the exit codes.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Every command a person can type; hidden ones are not offered.
const COMMANDS: [&str; 13] = [
    "catalog",
    "order",
    "status",
    "orders",
    "pay",
    "cancel",
    "claim",
    "dismiss",
    "resend",
    "abandon",
    "sandbox",
    "completions",
    "man",
];

fn flexus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the flexus binary runs")
}

fn stdout_of(args: &[&str]) -> String {
    let out = flexus(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Whether `program` can be started here (it is not needed for the tests
/// to pass; it only adds a check when present).
fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        // The flags of a command, not only its name.
        assert!(script.contains("skeleton"), "{shell} lacks order's flags");
        assert!(
            script.contains("no-input"),
            "{shell} lacks the global flags"
        );
    }
}

#[test]
fn the_bash_script_is_valid_bash() {
    let script = stdout_of(&["completions", "bash"]);
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash runs");
    bash.stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let checked = bash.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error_listing_the_known_ones() {
    let out = flexus(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bash") && err.contains("powershell"), "{err}");
}

#[test]
fn the_manual_page_is_roff_naming_every_command() {
    let page = stdout_of(&["man"]);
    let title = page
        .lines()
        .find(|line| line.starts_with(".TH "))
        .expect("a .TH title line");
    assert!(title.contains("flexus") && title.contains(" 1 "), "{title}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION", ".SH OPTIONS"] {
        assert!(page.contains(section), "no {section}");
    }
    for command in COMMANDS {
        assert!(page.contains(command), "the page lacks {command}");
    }
    assert!(page.contains("Exit codes"), "the page lacks the exit codes");
    if installed("man") {
        let mut man = Command::new("man")
            .args(["-l", "-"])
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("man runs");
        man.stdin
            .take()
            .unwrap()
            .write_all(page.as_bytes())
            .unwrap();
        let shown = man.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(
            shown.status.success(),
            "{}",
            String::from_utf8_lossy(&shown.stderr)
        );
        assert!(
            text.contains("Buy Huawei Cloud FlexusL instances"),
            "{text}"
        );
    }
}

#[test]
fn each_command_has_its_own_page_with_all_its_flags() {
    let page = stdout_of(&["man", "order"]);
    assert!(page.contains(".TH flexus-order 1"), "{page}");
    for flag in ["skeleton", "dry\\-run", "separate\\-purchase", "no\\-input"] {
        assert!(page.contains(flag), "no {flag} in flexus-order(1)");
    }
    let out = flexus(&["man", "bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("flexus --help"));
}

#[test]
fn every_help_ends_with_the_exit_codes() {
    let root = stdout_of(&["--help"]);
    assert!(root.contains("Exit codes: 0 done;"), "{root}");
    for command in COMMANDS {
        let help = stdout_of(&[command, "--help"]);
        assert!(help.contains("Exit codes:"), "{command} --help:\n{help}");
    }
    // A command's own, more precise list is kept, not doubled.
    let order = stdout_of(&["order", "--help"]);
    assert_eq!(order.matches("Exit codes").count(), 1, "{order}");
    assert!(order.contains("5 placed,"), "{order}");
    let status = stdout_of(&["status", "--help"]);
    assert!(
        status.contains("4 placed and waiting for payment"),
        "{status}"
    );
    let catalog = stdout_of(&["catalog", "--help"]);
    assert!(!catalog.contains("3 outcome unknown"), "{catalog}");
}

#[test]
fn the_package_holds_what_the_binary_embeds() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = listed.lines().collect();
    // The include_str! targets, the licences and the README the manifest names.
    for file in [
        "assets/catalog.json",
        "assets/prices.json",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "src/main.rs",
    ] {
        assert!(files.contains(&file), "the package lacks {file}:\n{listed}");
    }
    assert!(!files.iter().any(|f| f.starts_with("target/")), "{listed}");
}
