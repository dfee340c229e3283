//! The manners scripts expect: `--no-input` never asks (even on a
//! terminal), `--plan -` reads the plan from standard input, and
//! `order --skeleton` prints a plan to start from.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use flexus::domain::field::Field;
use serde_json::Value;

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Setup, clean_env};

#[path = "support/pty.rs"]
#[allow(dead_code)]
mod pty;

/// flexus with `input` on standard input, outside any terminal.
fn flexus_fed(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("flexus runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn the_skeleton_has_every_body_field_and_is_accepted_as_a_plan() {
    let skeleton = flexus_fed(&["order", "--skeleton"], "");
    assert_eq!(
        skeleton.status.code(),
        Some(0),
        "{}",
        text(&skeleton.stderr)
    );
    let printed = text(&skeleton.stdout);
    let plan: Value = serde_json::from_str(&printed).expect("the skeleton is JSON");
    // The top-level keys as printed (a parsed object would sort them).
    let keys: Vec<&str> = printed
        .lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|rest| rest.split_once('"').map(|(key, _)| key))
        .collect();
    let body: Vec<String> = Field::BODY.iter().map(ToString::to_string).collect();
    assert_eq!(keys, body, "every field, in the document's order");
    assert_eq!(plan.as_object().unwrap().len(), body.len());

    let checked = flexus_fed(&["order", "--plan", "-", "--dry-run"], &printed);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let sent: Value = serde_json::from_str(&text(&checked.stdout)).unwrap();
    assert_eq!(
        sent, plan,
        "the request body is the skeleton, field for field"
    );
}

#[test]
fn a_plan_on_standard_input_is_checked_like_a_file() {
    let out = flexus_fed(
        &["order", "--plan", "-", "--dry-run"],
        r#"{"region": "mars-1"}"#,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("the plan on standard input has"), "{err}");
    assert!(err.contains("region"), "{err}");
    assert!(out.stdout.is_empty(), "no body for an invalid plan");
}

#[test]
fn the_skeleton_and_a_plan_do_not_go_together() {
    let out = flexus_fed(&["order", "--skeleton", "--plan", EXAMPLE_PLAN], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--skeleton"),
        "{}",
        text(&out.stderr)
    );
    let neither = flexus_fed(&["order"], "");
    assert_eq!(neither.status.code(), Some(2));
    assert!(text(&neither.stderr).contains("--plan"));
}

#[test]
fn the_wizard_refuses_to_start_under_no_input() {
    let out = flexus_fed(&["--no-input", "--sandbox"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--no-input"), "{err}");
    assert!(err.contains("flexus order --plan FILE --yes"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_on_a_terminal_refuses_instead_of_asking_and_sends_nothing() {
    let setup = Setup::new(&[]).await;
    let env: Vec<(&str, String)> = clean_env(&setup.sandbox, setup.home.path())
        .into_iter()
        .map(|(name, value)| (name, value.into_string().unwrap()))
        .collect();
    let screen = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
        // Accepted after the subcommand too: it is a global option.
        let args = ["order", "--plan", EXAMPLE_PLAN, "--no-input"];
        let mut session = pty::Session::start(env!("CARGO_BIN_EXE_flexus"), &args, &env);
        let status = session.wait_exit();
        (status.exit_code(), session.raw())
    })
    .await
    .unwrap();
    let (code, screen) = screen;
    assert_eq!(code, 2, "{screen}");
    assert!(!screen.contains("[y/N]"), "it asked:\n{screen}");
    assert!(
        screen.contains("--no-input forbids asking. Add --yes to confirm"),
        "{screen}"
    );
    assert!(setup.sandbox.created_orders().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_input_with_yes_places_the_order() {
    let setup = Setup::new(&[]).await;
    let run = setup
        .run(&["--no-input", "order", "--plan", EXAMPLE_PLAN, "--yes"])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(setup.sandbox.created_orders().len(), 1);
}

/// What flexus writes on a terminal (a pseudo-terminal) with `envs` set.
fn on_a_terminal(args: &[&str], envs: &[(&str, &str)]) -> String {
    let mut session = pty::Session::start(env!("CARGO_BIN_EXE_flexus"), args, envs);
    session.wait_exit();
    session.raw()
}

#[test]
fn no_color_leaves_help_and_usage_errors_without_colour_on_a_terminal() {
    // clap colours its help and errors on a terminal unless NO_COLOR is set.
    // An empty NO_COLOR counts as unset, whatever the test's own setting.
    let coloured = on_a_terminal(&["--help"], &[("TERM", "xterm-256color"), ("NO_COLOR", "")]);
    assert!(coloured.contains('\x1b'), "the check would see colour");
    for args in [
        &["--help"][..],
        &["catalog", "--bogus"],
        &["order", "--help"],
    ] {
        let plain = on_a_terminal(args, &[("TERM", "xterm-256color"), ("NO_COLOR", "1")]);
        assert!(!plain.contains('\x1b'), "{args:?} coloured:\n{plain:?}");
        assert!(plain.contains("flexus"), "{plain}");
    }
}

#[test]
fn headless_results_are_never_coloured() {
    let table = on_a_terminal(&["catalog"], &[("TERM", "xterm-256color")]);
    assert!(table.contains("Specification codes"), "{table}");
    assert!(!table.contains('\x1b'), "{table:?}");
}
