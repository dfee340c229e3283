//! `--debug` and `FLEXUS_LOG` against the sandbox: the log has every
//! exchange and journal write, and none of the secrets the run used.

mod cli_support;

use std::path::PathBuf;

use cli_support::{EXAMPLE_PLAN, Setup};

/// The one log file the run wrote.
fn the_log(s: &Setup) -> (PathBuf, String) {
    let dir = s.state_dir().join("logs");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("no log directory {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one log per run: {files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    (files[0].clone(), text)
}

/// Every secret the sandbox holds, and the tokens it issues on sign-in.
fn assert_no_secret(s: &Setup, log: &str) {
    let creds = s.sandbox.credentials();
    let tokens =
        std::iter::once(&creds.domain_token).chain(creds.project_tokens.iter().map(|(_, t)| t));
    for token in tokens {
        assert!(!log.contains(token.expose()), "a token is in the log");
    }
    assert!(
        !log.contains(creds.secret_key.expose()),
        "the SK is in the log"
    );
    assert!(
        !log.contains(creds.password.expose()),
        "the password is in the log"
    );
    assert!(
        !log.contains(&creds.access_key),
        "the whole AK is in the log"
    );
    assert!(!log.contains("MIIsandbox"), "an issued token is in the log");
    assert!(!log.contains("Signature="), "a signature is in the log");
    let longest_hex_run = log
        .split(|c: char| !c.is_ascii_hexdigit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    // An SDK-HMAC-SHA256 signature is 64 hex digits; IDs are shorter.
    assert!(
        longest_hex_run < 64,
        "something like a signature is in the log"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_run_logs_each_exchange_and_journal_write_and_no_token() {
    let s = Setup::new(&[]).await;
    let run = s
        .run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--debug"])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    let (path, log) = the_log(&s);
    assert!(
        run.stderr
            .contains(&format!("writing a debug log to {}", path.display())),
        "{}",
        run.stderr
    );
    let name = path.file_name().unwrap().to_str().unwrap();
    let stamp = name.strip_prefix("flexus-").unwrap_or_default();
    assert!(
        stamp.len() > 16 && stamp.as_bytes()[8] == b'T' && stamp.as_bytes()[15] == b'Z',
        "{name}"
    );
    assert!(name.ends_with(".log"), "{name}");

    let order_id = &s.sandbox.created_orders()[0].order_id;
    assert!(log.contains("method=POST"), "{log}");
    let created = &s.sandbox.created_orders()[0];
    let create = log
        .lines()
        .find(|line| line.contains("/v1/light-instances status=202"))
        .unwrap_or_else(|| panic!("no purchase in the log:\n{log}"));
    // The purchase's line and its journal entries can be matched up.
    assert!(
        create.contains(&format!(
            "client_request_id=\"{}\"",
            created.client_request_id
        )),
        "{create}"
    );
    assert!(
        log.contains(&format!("/v2/orders/customer-orders/details/{order_id}")),
        "{log}"
    );
    assert!(log.contains("signed_with=token"), "{log}");
    // The service's request ID, for Huawei's support.
    assert!(
        log.lines()
            .filter(|line| line.contains("HTTP exchange"))
            .all(|line| line.contains("request_id=") && !line.contains("request_id=none")),
        "{log}"
    );
    assert!(log.contains("kind=\"intent\""), "{log}");
    assert!(
        log.contains("kind=\"placed\"") && log.contains(&format!("orders=\"{order_id}\"")),
        "{log}"
    );
    assert_no_secret(&s, &log);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aksk_run_logs_the_key_by_its_start_and_no_secret_or_signature() {
    let s = Setup::new(&[]).await;
    let creds = s.sandbox.credentials();
    let mut cmd = s.command(&["--debug", "order", "--plan", EXAMPLE_PLAN, "--yes"]);
    cmd.env_remove("FLEXUS_TOKEN")
        .env_remove("FLEXUS_BSS_TOKEN")
        .env("HUAWEICLOUD_SDK_AK", &creds.access_key)
        .env("HUAWEICLOUD_SDK_SK", creds.secret_key.expose());
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let (_, log) = the_log(&s);
    assert!(
        log.contains("/v3/projects?name=ap-southeast-3 status=200"),
        "{log}"
    );
    assert!(log.contains("/v1/light-instances status=202"), "{log}");
    let start: String = creds.access_key.chars().take(4).collect();
    assert!(
        log.contains(&format!("signed_with=access-key:{start}...")),
        "{log}"
    );
    assert_no_secret(&s, &log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_and_their_waits_are_logged() {
    let s = Setup::new(&["429=0:1@create"]).await;
    let run = s
        .run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--debug"])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    let (_, log) = the_log(&s);
    let wait = log
        .lines()
        .find(|line| line.contains("waiting, then sending again"))
        .unwrap_or_else(|| panic!("no wait in the log:\n{log}"));
    assert!(wait.contains("operation=CreateOrder"), "{wait}");
    assert!(wait.contains("because=status 429"), "{wait}");
    assert!(wait.contains("attempt=2"), "{wait}");
    assert!(log.contains("/v1/light-instances status=429"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_says_where_the_details_are() {
    let s = Setup::new(&[]).await;
    let run = s.run(&["status", "CS2612011501ABCDE", "--debug"]).await;
    assert_ne!(run.code, 0, "{}", run.all());
    let (path, log) = the_log(&s);
    assert!(
        run.stderr
            .contains(&format!("flexus: details in {}", path.display())),
        "{}",
        run.stderr
    );
    assert!(
        log.contains("details/CS2612011501ABCDE?limit=100 status=400"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flexus_log_picks_the_level_and_a_wrong_one_is_refused() {
    let s = Setup::new(&[]).await;
    let mut cmd = s.command(&["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    cmd.env("FLEXUS_LOG", "info");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let (_, log) = the_log(&s);
    // Journal writes are info; single exchanges are debug.
    assert!(log.contains("journal entry written"), "{log}");
    assert!(!log.contains("HTTP exchange"), "{log}");

    let sent_before = s.sandbox.requests().len();
    let mut cmd = s.command(&["status", "CS2612011501ABCDE"]);
    cmd.env("FLEXUS_LOG", "verbose");
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 2, "{}", run.all());
    assert!(
        run.stderr.contains("FLEXUS_LOG=verbose is not a log level"),
        "{}",
        run.stderr
    );
    assert_eq!(s.sandbox.requests().len(), sent_before, "nothing is sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_debug_no_log_is_written() {
    let s = Setup::new(&[]).await;
    let run = s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    assert!(!s.state_dir().join("logs").exists());
    assert!(!run.stderr.contains("debug log"), "{}", run.stderr);
}
