//! The headless commands as a script meets them: exit codes, what goes to
//! standard output (only the machine-readable result) and what goes to
//! standard error (everything meant for a person).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const EXIT_OK: i32 = 0;
const EXIT_FAILURE: i32 = 1;
const EXIT_INVALID: i32 = 2;

fn flexus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the flexus binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        stderr(out)
    );
}

fn repo_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn example_plan() -> Value {
    let text = std::fs::read_to_string(repo_file("examples/plan.json")).expect("the example plan");
    serde_json::from_str(&text).expect("the example plan is JSON")
}

/// A file in `dir` holding `contents`; returns its path as text.
fn write(dir: &tempfile::TempDir, name: &str, contents: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).expect("write a temporary file");
    path.to_str().expect("UTF-8 path").to_string()
}

fn dry_run(plan: &str, data_flags: &[&str]) -> Output {
    let mut args = data_flags.to_vec();
    args.extend(["order", "--plan", plan, "--dry-run"]);
    flexus(&args)
}

#[test]
fn dry_run_prints_only_the_body_on_stdout_and_the_summary_on_stderr() {
    let out = dry_run("examples/plan.json", &[]);
    assert_exit(&out, EXIT_OK);

    // One JSON document and nothing else: from_str refuses trailing text.
    let body: Value = serde_json::from_str(&stdout(&out)).expect("stdout is exactly one JSON body");
    assert_eq!(body, example_plan());
    assert!(stdout(&out).ends_with("}\n"));

    let err = stderr(&out);
    let line = |label: &str| {
        err.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("a {label} line in:\n{err}"))
            .to_string()
    };
    assert!(line("Name").ends_with("test-0620-01"));
    assert!(line("Region").contains("AP-Singapore (ap-southeast-3)"));
    assert!(line("Image").ends_with("BT 6.8.35"));
    assert!(line("Quantity").ends_with('2'));
    assert!(line("Memory").ends_with("2 GiB"));
    assert!(line("System disk").ends_with("60 GiB"));
    assert!(line("Data package").contains("3072 GB"));
    assert!(line("Estimate").contains("USD 9.00 per instance per month"));
    assert!(line("Total").contains("USD 18.00 for 1 month x 2 instances"));
    let not_priced = line("Not priced");
    for add_on in [
        "EVS data disk 20 GiB",
        "CBR cloud backup 20 GiB",
        "HSS host security",
    ] {
        assert!(not_priced.contains(add_on), "{not_priced}");
    }
    assert!(err.contains("nothing was sent"), "{err}");
    assert!(
        !err.contains("\"instance_name\""),
        "the body is not repeated on stderr"
    );
}

#[test]
fn an_invalid_plan_exits_2_lists_every_problem_and_prints_no_body() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = example_plan();
    plan["instance_name"] = json!("0620 test");
    plan["purchase_quantity"] = json!(0);
    plan["period_num"] = json!(10);
    plan["plan_spec"] = json!("hf.large.1.30m.byol");
    plan["colour"] = json!("blue");
    let path = write(&dir, "bad.json", &plan.to_string());
    let out = dry_run(&path, &[]);
    assert_exit(&out, EXIT_INVALID);
    assert!(out.stdout.is_empty(), "stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("the plan {path} has 5 problems:")),
        "{err}"
    );
    for expected in [
        "  - colour: is not a field of the request body",
        "  - instance_name: a space is not allowed",
        "  - plan_spec: Windows (.byol) packages are only for private Windows images",
        "  - period_num: a monthly period is 1 to 9 months (got 10)",
        "  - purchase_quantity: buy from 1 to 200 instances in one order (got 0)",
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(expected)),
            "{expected}\n{err}"
        );
    }
    assert!(!err.contains("Estimate"), "no summary for a refused plan");
}

#[test]
fn a_field_that_cannot_be_read_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = example_plan();
    plan["instance_name"] = json!(5);
    plan["image_ref"] = json!({"image_name": "BT", "image_version": 6.8});
    plan["region"] = json!(["ap-southeast-3"]);
    let path = write(&dir, "types.json", &plan.to_string());
    let out = dry_run(&path, &[]);
    assert_exit(&out, EXIT_INVALID);
    let err = stderr(&out);
    let listed: Vec<&str> = err.lines().filter(|l| l.starts_with("  - ")).collect();
    assert_eq!(
        listed,
        [
            "  - instance_name: must be text, not 5",
            "  - region: must be text, not [\"ap-southeast-3\"]",
            "  - image_ref.image_version: must be text, not 6.8",
        ],
        "{err}"
    );
}

#[test]
/// A plan that cannot be read is a usage error, as `--help` says of 2.
fn a_missing_plan_file_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-plan.json");
    let out = dry_run(path.to_str().unwrap(), &[]);
    assert_exit(&out, EXIT_INVALID);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("cannot read the plan"), "{err}");
    assert!(err.contains(path.to_str().unwrap()), "{err}");
}

#[test]
fn a_plan_naming_a_key_twice_exits_2_naming_the_key_and_both_lines() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = serde_json::to_string_pretty(&example_plan()).unwrap();
    // The example with `"period_num": 9` added after its own `period_num`,
    // and a second `image_name` inside `image_ref`.
    let first_line = text
        .lines()
        .position(|l| l.contains("\"period_num\""))
        .unwrap()
        + 1;
    text = text.replacen("{\n", "{\n  \"period_num\": 9,\n", 1);
    text = text.replacen(
        "\"image_ref\": {",
        "\"image_ref\": {\"image_name\": \"x\",",
        1,
    );
    let path = write(&dir, "twice.json", &text);
    let out = dry_run(&path, &[]);
    assert_exit(&out, EXIT_INVALID);
    assert!(out.stdout.is_empty(), "no body is printed");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "  - period_num: duplicate key \"period_num\" at line {} (also at line 2)",
            first_line + 1
        )),
        "{err}"
    );
    assert!(
        err.contains("  - image_ref.image_name: duplicate key \"image_name\""),
        "{err}"
    );
    assert!(err.contains("has 2 problems"), "{err}");
}

#[test]
fn a_plan_that_is_not_json_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, says) in [
        ("broken.json", "{\"instance_name\": \"web\",\n}", "line 2"),
        ("yaml.json", "instance_name: web\n", "line 1"),
        ("empty.json", "", "is empty"),
    ] {
        let path = write(&dir, name, text);
        let out = dry_run(&path, &[]);
        assert_exit(&out, EXIT_INVALID);
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert!(err.contains("  - plan: "), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(
            !err.contains("instance_name:"),
            "a broken file is not checked rule by rule: {err}"
        );
    }
}

#[test]
fn help_describes_every_command_and_flag() {
    let top = flexus(&["--help"]);
    assert_exit(&top, EXIT_OK);
    let text = stdout(&top);
    for expected in [
        "catalog",
        "order",
        "--catalog <FILE>",
        "--prices <FILE>",
        "--version",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }

    let catalog = flexus(&["catalog", "--help"]);
    assert_exit(&catalog, EXIT_OK);
    let text = stdout(&catalog);
    for expected in ["--region <REGION>", "--json", "--catalog <FILE>"] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }

    let order = flexus(&["order", "--help"]);
    assert_exit(&order, EXIT_OK);
    let text = stdout(&order);
    for expected in [
        "--plan <FILE>",
        "--dry-run",
        "--prices <FILE>",
        "flexus catalog",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert_eq!(stdout(&flexus(&["help", "order"])), text);
}

#[test]
fn the_plan_shown_in_order_help_is_a_valid_plan() {
    let help = stdout(&flexus(&["order", "--help"]));
    let start = help.find("\n  {").expect("an example plan in the help") + 1;
    let end = start + help[start..].find("\n  }").expect("the example's end") + 4;
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "from-help.json", &help[start..end]);
    let out = dry_run(&path, &[]);
    assert_exit(&out, EXIT_OK);
}

/// The help names each exit code as the command gives it: the spending
/// limit under 2, and 3 and 4 of `status` as `--watch`'s only.
#[test]
fn exit_codes_in_help_are_the_ones_given() {
    let order = stdout(&flexus(&["order", "--help"])).replace('\n', " ");
    assert!(
        order.contains("2 invalid plan, config file or usage, or over the profile's spending limit (max_order_total);"),
        "{order}"
    );
    let status = stdout(&flexus(&["status", "--help"])).replace('\n', " ");
    let watch_only = status.find("With --watch only: 3").expect(&status);
    assert!(
        status[watch_only..].contains("4 placed and waiting for payment"),
        "{status}"
    );
    assert!(!status[..watch_only].contains("4 placed"), "{status}");
}

#[test]
fn version_prints_the_package_version() {
    let out = flexus(&["--version"]);
    assert_exit(&out, EXIT_OK);
    assert_eq!(
        stdout(&out),
        format!("flexus {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_wrong_flag_exits_2_with_usage_on_stderr() {
    for args in [
        &["catalog", "--bogus"][..],
        &["order", "--dry-run"][..],
        &["nonsense"][..],
    ] {
        let out = flexus(args);
        assert_exit(&out, EXIT_INVALID);
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr(&out).contains("Usage:"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_broken_catalog_file_exits_1_naming_the_place_of_the_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog: Value =
        serde_json::from_str(flexus::domain::catalog::EMBEDDED_CATALOG).unwrap();
    catalog["os_images"][2]["specs"][1] = json!("hf.nope");
    let path = write(&dir, "catalog.json", &catalog.to_string());
    for args in [
        vec!["--catalog", &path, "catalog"],
        vec!["catalog", "--json", "--catalog", &path],
        vec![
            "--catalog",
            &path,
            "order",
            "--plan",
            "examples/plan.json",
            "--dry-run",
        ],
    ] {
        let out = flexus(&args);
        assert_exit(&out, EXIT_FAILURE);
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(&path), "{err}");
        assert!(
            err.contains("os_images[2].specs[1]: unknown spec code \"hf.nope\""),
            "{err}"
        );
    }

    let syntax = write(&dir, "syntax.json", "{\n  \"regions\": [,]\n}");
    let out = flexus(&["--catalog", &syntax, "catalog"]);
    assert_exit(&out, EXIT_FAILURE);
    let err = stderr(&out);
    assert!(err.contains("line 2, column"), "{err}");
    assert_eq!(
        err.matches("line 2").count(),
        1,
        "the place is given once: {err}"
    );

    let missing = dir.path().join("absent.json");
    let out = flexus(&["--catalog", missing.to_str().unwrap(), "catalog"]);
    assert_exit(&out, EXIT_FAILURE);
    assert!(
        stderr(&out).contains("cannot read the catalog"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_replacement_catalog_changes_what_is_sold() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog: Value =
        serde_json::from_str(flexus::domain::catalog::EMBEDDED_CATALOG).unwrap();
    catalog["application_images"][0]["specs"] = json!(["hf.xlarge.4.30m.linux"]);
    let path = write(&dir, "catalog.json", &catalog.to_string());
    let out = dry_run("examples/plan.json", &["--catalog", &path]);
    assert_exit(&out, EXIT_INVALID);
    assert!(
        stderr(&out).contains("plan_spec: BT needs at least 16 GiB"),
        "{}",
        stderr(&out)
    );
}

fn prices_with(monthly: Value) -> String {
    json!({
        "currency": "USD",
        "source": "test",
        "recorded_on": "2026-11-26",
        "monthly": monthly,
    })
    .to_string()
}

#[test]
fn a_replacement_price_table_changes_the_estimate() {
    let dir = tempfile::tempdir().unwrap();
    let prices = write(
        &dir,
        "prices.json",
        &prices_with(json!([
            {"region": "ap-southeast-3", "spec": "hf.large.1.30m.linux", "price": "12.5"}
        ])),
    );
    let out = dry_run("examples/plan.json", &["--prices", &prices]);
    assert_exit(&out, EXIT_OK);
    let err = stderr(&out);
    assert!(err.contains("USD 12.50 per instance per month"), "{err}");
    assert!(err.contains("USD 25.00 for 1 month x 2 instances"), "{err}");
    assert!(!err.contains("9.00"), "{err}");
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body, example_plan(), "prices never change the body");
}

#[test]
fn an_unknown_price_says_so_and_is_never_zero() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(&dir, "empty.json", &prices_with(json!([])));
    let mut istanbul = example_plan();
    istanbul["region"] = json!("tr-west-1");
    let istanbul = write(&dir, "istanbul.json", &istanbul.to_string());
    for (plan, flags) in [
        ("examples/plan.json", vec!["--prices", empty.as_str()]),
        (istanbul.as_str(), vec![]),
    ] {
        let out = dry_run(plan, &flags);
        assert_exit(&out, EXIT_OK);
        let err = stderr(&out);
        assert!(err.contains("Estimate        no list price"), "{err}");
        assert!(err.contains("Total           not known"), "{err}");
        assert!(err.contains("hf.large.1.30m.linux package in"), "{err}");
        assert!(!err.contains("0.00"), "{err}");
    }
}

#[test]
fn a_broken_price_table_exits_1_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let prices = write(
        &dir,
        "prices.json",
        &prices_with(json!([
            {"region": "ap-southeast-3", "spec": "hf.large.1.30m.linux", "price": "nine"}
        ])),
    );
    let out = dry_run("examples/plan.json", &["--prices", &prices]);
    assert_exit(&out, EXIT_FAILURE);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains(&prices), "{err}");
    assert!(
        err.contains("monthly[0].price: \"nine\" is not an amount like \"9.00\""),
        "{err}"
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    // `flexus catalog --json | head -1`: the pipe closes before the output is
    // written; flexus stops quietly with success.
    let mut child = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(["catalog", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the flexus binary runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("flexus ends");
    assert_exit(&out, EXIT_OK);
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// The wizard's options before a subcommand would be dropped, and the
/// command sent to the real cloud's default endpoints: they are refused
/// before anything is read or sent, while the global ones still work there.
#[test]
fn a_wizard_option_before_a_subcommand_is_refused_not_dropped() {
    let state = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args([
            "--hcss-endpoint",
            "http://127.0.0.1:9",
            "order",
            "--plan",
            "examples/plan.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FLEXUS_STATE_DIR", state.path())
        // Were the option dropped after all, the command still stays on
        // loopback: never the real cloud from a test.
        .env("FLEXUS_HCSS_ENDPOINT", "http://127.0.0.1:9")
        .env("FLEXUS_BSS_ENDPOINT", "http://127.0.0.1:9")
        .env("FLEXUS_IAM_ENDPOINT", "http://127.0.0.1:9")
        .env("HUAWEICLOUD_SDK_AK", "not-a-real-key")
        .env("HUAWEICLOUD_SDK_SK", "not-a-real-secret")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--hcss-endpoint is the wizard's option, and `order` would not see it"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`flexus order --hcss-endpoint ...`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("signing in"),
        "nothing was tried: {stderr}"
    );
    assert!(
        std::fs::read_dir(state.path()).unwrap().next().is_none(),
        "no journal was even opened"
    );

    let global = flexus(&[
        "--no-input",
        "order",
        "--plan",
        "examples/plan.json",
        "--dry-run",
    ]);
    assert!(global.status.success(), "{global:?}");
}
