//! Profiles of the config file and the spending limit, through the built
//! binary against the sandbox: which setting wins, what the errors say, and
//! that a refused order never reaches the service.

use std::path::{Path, PathBuf};

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Setup, plan_file};

/// Writes `text` as the config file in the test's home and points
/// `FLEXUS_CONFIG` at it for every run of `cmd`.
fn config_file(s: &Setup, text: &str) -> PathBuf {
    let path = s.home.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn with_config(s: &Setup, config: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = s.command(args);
    cmd.env("FLEXUS_CONFIG", config);
    cmd
}

/// The example plan without its unpriced extras: 2 x USD 9.00 x 1 month.
fn priced_plan(dir: &Path) -> PathBuf {
    plan_file(dir, |plan| {
        plan.as_object_mut().unwrap().remove("extra_resources");
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_over_the_limit_is_refused_before_anything_is_sent() {
    let s = Setup::new(&[]).await;
    let config = config_file(&s, "[profiles.careful]\nmax_order_total = 10\n");
    let plan = priced_plan(s.home.path());
    let plan = plan.to_str().unwrap();
    // --profile after the subcommand, as a global option.
    let cmd = with_config(
        &s,
        &config,
        &["order", "--plan", plan, "--yes", "--profile", "careful"],
    );
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 2, "{}", run.all());
    let config_name = config.display().to_string();
    for words in [
        "nothing was sent",
        "estimated total USD 18.00",
        "spending limit of USD 10.00",
        "max_order_total",
        "profile careful in",
        config_name.as_str(),
    ] {
        assert!(run.stderr.contains(words), "{words:?} in {}", run.stderr);
    }
    assert!(s.sandbox.created_orders().is_empty());

    // Under the limit, the same plan is placed.
    let config = config_file(&s, "[profiles.careful]\nmax_order_total = 18\n");
    let cmd = with_config(
        &s,
        &config,
        &["--profile", "careful", "order", "--plan", plan, "--yes"],
    );
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpriced_order_is_refused_unless_the_profile_allows_it() {
    let s = Setup::new(&[]).await;
    // The example plan's extras have no list price.
    let config = config_file(&s, "[profiles.default]\nmax_order_total = 1000\n");
    let cmd = with_config(&s, &config, &["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("cannot be estimated") && run.stderr.contains("allow_unpriced = true"),
        "{}",
        run.stderr
    );
    assert!(s.sandbox.created_orders().is_empty());

    let config = config_file(
        &s,
        "[profiles.default]\nmax_order_total = 1000\nallow_unpriced = true\n",
    );
    let cmd = with_config(&s, &config, &["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert_eq!(s.sandbox.created_orders().len(), 1);
}

/// Purchase requests the sandbox received, answered or not.
fn creates(s: &Setup) -> usize {
    s.sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/light-instances")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_over_the_limit_is_refused_before_it_is_sent_again() {
    // The first send fails with a 500, so its outcome is unknown.
    let s = Setup::new(&["500@create"]).await;
    let plan = priced_plan(s.home.path());
    let first = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(first.code, 3, "{}", first.all());
    let sent = creates(&s);
    let journal = flexus::api::journal::Journal::open(&s.state_dir()).unwrap();
    let id = journal.purchases().unwrap()[0].client_request_id.clone();

    let config = config_file(&s, "[profiles.default]\nmax_order_total = 10\n");
    let run = s
        .run_with(with_config(&s, &config, &["resend", &id, "--yes"]))
        .await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr
            .contains("nothing was sent: the estimated total USD 18.00"),
        "{}",
        run.stderr
    );
    assert_eq!(creates(&s), sent, "nothing more reached the service");
}

/// Places an order without a profile and returns its ID.
async fn placed_order(s: &Setup) -> String {
    let plan = priced_plan(s.home.path());
    let run = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes"])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    s.sandbox.created_orders()[0].order_id.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flag_beats_the_environment_which_beats_the_profile() {
    let s = Setup::new(&[]).await;
    let order_id = placed_order(&s).await;
    let url = s.sandbox.url();
    // Nothing listens on port 9 of this machine: a run sent there fails.
    let dead = "http://127.0.0.1:9";
    let config = config_file(
        &s,
        &format!(
            "[profiles.sandbox]\nhcss_endpoint = \"{url}\"\nbss_endpoint = \"{url}\"\n\
             iam_endpoint = \"{url}\"\n[profiles.dead]\nbss_endpoint = \"{dead}\"\n"
        ),
    );
    let status = |profile: &str| {
        let mut cmd = with_config(
            &s,
            &config,
            &["--profile", profile, "status", &order_id, "--json"],
        );
        cmd.env_remove("FLEXUS_HCSS_ENDPOINT")
            .env_remove("FLEXUS_BSS_ENDPOINT")
            .env_remove("FLEXUS_IAM_ENDPOINT");
        cmd
    };

    // The profile alone reaches the sandbox: `--profile P status ID --json`.
    let run = s.run_with(status("sandbox")).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["order_id"], order_id.as_str());

    // The environment wins over the profile...
    let mut cmd = status("sandbox");
    cmd.env("FLEXUS_BSS_ENDPOINT", dead);
    let run = s.run_with(cmd).await;
    assert!(run.stderr.contains("BSS at 127.0.0.1:9"), "{}", run.stderr);

    // ...and the flag over both.
    let mut cmd = status("sandbox");
    cmd.env("FLEXUS_BSS_ENDPOINT", dead)
        .args(["--bss-endpoint", &url]);
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());

    // --profile wins over FLEXUS_PROFILE, which is used without it.
    let mut cmd = status("sandbox");
    cmd.env("FLEXUS_PROFILE", "dead");
    assert_eq!(s.run_with(cmd).await.code, 0);
    let mut cmd = with_config(&s, &config, &["status", &order_id, "--json"]);
    cmd.env_remove("FLEXUS_BSS_ENDPOINT")
        .env("FLEXUS_PROFILE", "dead");
    let run = s.run_with(cmd).await;
    assert!(run.stderr.contains("BSS at 127.0.0.1:9"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_mistakes_name_the_file_and_line() {
    let s = Setup::new(&[]).await;
    // A misspelt key stops every run, whichever profile is asked for: the
    // file is one document.
    let config = config_file(
        &s,
        "[profiles.a]\nregion = \"ap-southeast-3\"\n[profiles.b]\nmax_total = 5\n",
    );
    let name = config.display().to_string();
    for args in [
        &["--profile", "b", "catalog"],
        &["catalog", "--profile", "a"],
    ] {
        let run = s.run_with(with_config(&s, &config, args)).await;
        assert_eq!(run.code, 1, "{}", run.all());
        let words = format!("{name}:4 has a mistake: unknown field `max_total`");
        assert!(run.stderr.contains(&words), "{words:?} in {}", run.stderr);
    }

    // An unknown profile: the known ones are named.
    let config = config_file(&s, "[profiles.a]\n[profiles.b]\n");
    let run = s
        .run_with(with_config(&s, &config, &["--profile", "zz", "catalog"]))
        .await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(
        run.stderr.contains("profile zz") && run.stderr.contains("(it has a, b)"),
        "{}",
        run.stderr
    );

    // TOML that does not parse, by line.
    let config = config_file(&s, "[profiles.a]\nregion = \n");
    let run = s
        .run_with(with_config(&s, &config, &["--profile", "a", "catalog"]))
        .await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(run.stderr.contains(&format!("{name}:2")), "{}", run.stderr);

    // No file at all, but a profile asked for.
    let mut cmd = s.command(&["--profile", "a", "catalog"]);
    cmd.env("FLEXUS_CONFIG", s.home.path().join("missing.toml"));
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("there is no config file"),
        "{}",
        run.stderr
    );

    // A region the catalog lacks, by line.
    let config = config_file(&s, "[profiles.a]\n\nregion = \"mars-1\"\n");
    let run = s
        .run_with(with_config(&s, &config, &["--profile", "a", "catalog"]))
        .await;
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(&format!("{name}:3: region")),
        "{}",
        run.stderr
    );

    // A good profile's region narrows the catalog.
    let config = config_file(&s, "[profiles.a]\nregion = \"tr-west-1\"\n");
    let run = s
        .run_with(with_config(
            &s,
            &config,
            &["--profile", "a", "catalog", "--json"],
        ))
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    let catalog: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = catalog["offerings"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["region"] == "tr-west-1"), "{rows:?}");
}

// Elsewhere the platform's own config directory is used.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_config_file_is_found_in_the_xdg_config_directory() {
    let s = Setup::new(&[]).await;
    let dir = s.home.path().join("xdg").join("flexus");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.default]\nregion = \"tr-west-1\"\n",
    )
    .unwrap();
    let mut cmd = s.command(&["catalog", "--json"]);
    cmd.env("XDG_CONFIG_HOME", s.home.path().join("xdg"));
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let catalog: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let rows = catalog["offerings"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["region"] == "tr-west-1"), "{rows:?}");
}

/// The sandbox's access key as the SDKs' credentials file holds it.
fn sdk_credentials(s: &Setup, path: &Path) {
    let c = s.sandbox.credentials();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!(
            "[basic]\nak = {}\nsk = {}\n",
            c.access_key,
            c.secret_key.expose()
        ),
    )
    .unwrap();
}

/// A profile that pins where its credentials come from looks nowhere else:
/// the (here broken) tokens in the environment do not sign its runs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_pinning_its_credentials_is_not_signed_in_by_the_environment() {
    let s = Setup::new(&[]).await;
    let home = s.home.path();
    let (purchase, billing) = (home.join("purchase.token"), home.join("billing.token"));
    std::fs::write(&purchase, s.purchase_token()).unwrap();
    std::fs::write(&billing, s.billing_token()).unwrap();
    let sdk_file = home.join("keys").join("credentials");
    sdk_credentials(&s, &sdk_file);
    let config = config_file(
        &s,
        &format!(
            "[profiles.tokens]\ncredentials = \"token_file\"\ntoken_file = {purchase:?}\n\
             bss_token_file = {billing:?}\n\
             [profiles.keys]\ncredentials = \"sdk_file\"\nsdk_credentials_file = {sdk_file:?}\n\
             [profiles.env]\ncredentials = \"env\"\n"
        ),
    );
    let order = [
        "order",
        "--plan",
        EXAMPLE_PLAN,
        "--yes",
        "--separate-purchase",
    ];
    for (profile, says) in [
        ("tokens", "purchase token from"),
        ("keys", "access key from"),
    ] {
        let mut args = vec!["--profile", profile];
        args.extend(order);
        let mut cmd = with_config(&s, &config, &args);
        cmd.env("FLEXUS_TOKEN", "not-a-token")
            .env("FLEXUS_BSS_TOKEN", "not-a-token");
        let run = s.run_with(cmd).await;
        assert_eq!(run.code, 0, "{profile}: {}", run.all());
        assert!(run.stderr.contains(says), "{profile}: {}", run.stderr);
    }
    assert_eq!(s.sandbox.created_orders().len(), 2);

    // Variables only: the SDK file at home is not read, so nothing signs in.
    sdk_credentials(&s, &home.join(".huaweicloud").join("credentials"));
    let mut cmd = with_config(
        &s,
        &config,
        &["--profile", "env", "status", "CS24022811305H1EW"],
    );
    cmd.env_remove("FLEXUS_TOKEN")
        .env_remove("FLEXUS_BSS_TOKEN");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("credentials = \"env\"") && run.stderr.contains("HUAWEICLOUD_SDK_AK"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_keys_that_cannot_work_are_refused_with_their_line() {
    let s = Setup::new(&[]).await;
    for (text, line, says) in [
        (
            "[profiles.a]\nsdk_profile = \"work\"\n",
            2,
            "no named profiles, only its [basic] and [global]",
        ),
        (
            "[profiles.a]\n\ncredentials = \"token_file\"\n",
            3,
            "needs token_file or bss_token_file",
        ),
        (
            "[profiles.a]\nsdk_credentials_file = \"/k\"\n",
            2,
            "only with credentials = \"sdk_file\"",
        ),
        (
            "[profiles.a]\ncredentials = \"koocli\"\n",
            2,
            "unknown variant",
        ),
    ] {
        let config = config_file(&s, text);
        let run = s
            .run_with(with_config(&s, &config, &["--profile", "a", "orders"]))
            .await;
        assert_eq!(run.code, 1, "{text}: {}", run.all());
        let place = format!("{}:{line}", config.display());
        assert!(
            run.stderr.contains(&place) && run.stderr.contains(says),
            "{text}: {}",
            run.stderr
        );
    }
}
