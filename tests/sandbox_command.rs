//! `flexus sandbox` as a user runs it: the banner, the request log on
//! standard error, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn flexus() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_flexus"));
    command.env("FLEXUS_LANG", "en");
    command
}

/// Standard error, line by line, read on a thread so the test can wait with
/// a deadline.
fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn wait_for_line(
    lines: &mpsc::Receiver<String>,
    seen: &mut Vec<String>,
    want: impl Fn(&str) -> bool,
) -> String {
    loop {
        match lines.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => {
                seen.push(line.clone());
                if want(&line) {
                    return line;
                }
            }
            Err(e) => panic!("no such line ({e}); saw:\n{}", seen.join("\n")),
        }
    }
}

#[cfg(unix)]
#[test]
fn the_command_prints_credentials_logs_requests_and_stops_on_sigterm() {
    let mut child = flexus()
        .args(["sandbox", "--listen", "127.0.0.1:0", "--fault", "500@list"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let mut seen = Vec::new();

    let first = wait_for_line(&lines, &mut seen, |l| {
        l.contains("listening on http://127.0.0.1:")
    });
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    wait_for_line(&lines, &mut seen, |l| {
        l.contains("SANDBOX-ONLY credentials")
    });
    let example = wait_for_line(&lines, &mut seen, |l| {
        l.trim_start().starts_with("FLEXUS_TOKEN=")
    });
    let token = example
        .split_whitespace()
        .find_map(|w| w.strip_prefix("FLEXUS_BSS_TOKEN="))
        .expect("the example gives the billing token")
        .to_string();
    assert!(
        example.contains(&format!(
            "flexus order --plan examples/plan.json --yes --hcss-endpoint {url} --bss-endpoint \
             {url} --iam-endpoint {url}"
        )),
        "{example}"
    );
    wait_for_line(&lines, &mut seen, |l| {
        l.starts_with("Faults: 500=") || l.starts_with("Faults: 500:")
    });
    wait_for_line(&lines, &mut seen, |l| l.starts_with("Requests"));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/v2/orders/customer-orders?limit=1"))
            .header("X-Auth-Token", &token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    });
    assert_eq!(status, 500, "the fault given on the command line applies");
    let logged = wait_for_line(&lines, &mut seen, |l| {
        l.contains("/v2/orders/customer-orders")
    });
    assert!(
        logged.contains("GET") && logged.ends_with("500"),
        "{logged}"
    );
    assert!(
        !logged.contains("limit="),
        "the query is not logged: {logged}"
    );
    assert!(!logged.contains(&token));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopping = wait_for_line(&lines, &mut seen, |l| l.starts_with("stopping"));
    assert!(stopping.contains("1 request received"), "{stopping}");
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    // The token appears in the banner only (twice: listed, and in the example).
    let mentions = seen.iter().filter(|l| l.contains(&token)).count();
    assert_eq!(mentions, 2, "{seen:?}");
}

#[test]
fn a_non_loopback_address_is_refused() {
    let out = flexus()
        .args(["sandbox", "--listen", "0.0.0.0:8787"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("not a loopback address"), "{text}");
}

#[test]
fn a_malformed_fault_is_explained() {
    let out = flexus()
        .args(["sandbox", "--fault", "slow:4000@create"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("slow=MS"), "{text}");
}

#[test]
fn the_help_documents_faults_and_the_mfa_code() {
    let out = flexus().args(["sandbox", "--help"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for words in [
        "KIND[=VALUE][:COUNT][@ENDPOINT]",
        "drop@create",
        "error=HCSS.14000011",
        "123456",
        "--require-mfa",
    ] {
        assert!(text.contains(words), "{words} missing from:\n{text}");
    }
}
