//! The journal keeps English whatever language the run that wrote it
//! spoke: a purchase that failed in a Chinese run leaves English words
//! behind, which a later English run shows as they are, and a Chinese run
//! shows in Chinese where flexus forms them.

use std::time::Duration;

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Setup};

fn in_chinese(s: &Setup, args: &[&str]) -> std::process::Command {
    let mut cmd = s.command(args);
    cmd.env("FLEXUS_LANG", "zh");
    cmd
}

fn assert_ascii(text: &str, what: &str) {
    let foreign: String = text.chars().filter(|c| !c.is_ascii()).collect();
    assert!(foreign.is_empty(), "{what} holds {foreign:?}:\n{text}");
}

/// A port of this machine that nothing listens on: a purchase sent there
/// provably never left.
fn closed_port() -> u16 {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_that_never_left_in_a_chinese_run_is_journaled_in_english() {
    let s = Setup::new(&[]).await;
    let mut cmd = in_chinese(&s, &["order", "--plan", EXAMPLE_PLAN, "--yes"]);
    let nowhere = format!("http://127.0.0.1:{}", closed_port());
    cmd.env("FLEXUS_HCSS_ENDPOINT", &nowhere);
    let run = s.run_with(cmd).await;
    assert_eq!(run.code, 1, "{}", run.all());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // The person was told in Chinese...
    assert!(!run.stderr.is_ascii(), "{}", run.stderr);
    // ... and the journal keeps the English words of the same failure.
    let journal = s.journal_text();
    let rejected = journal
        .lines()
        .find(|line| line.contains(r#""event":"rejected""#))
        .unwrap_or_else(|| panic!("a refusal is recorded:\n{journal}\n{}", run.all()));
    assert!(
        rejected.contains("could not connect to HCSS at 127.0.0.1:"),
        "{rejected}"
    );
    assert_ascii(&journal, "the journal");

    let orders = s.run(&["orders"]).await;
    assert_eq!(orders.code, 0, "{}", orders.all());
    assert!(orders.stdout.contains("not sent"), "{}", orders.stdout);
    assert_ascii(&orders.stdout, "flexus orders in English");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_answer_in_a_chinese_run_is_journaled_in_english() {
    let s = Setup::with_completion(&["badid@create"], Duration::from_secs(60)).await;
    let run = s
        .run_with(in_chinese(&s, &["order", "--plan", EXAMPLE_PLAN, "--yes"]))
        .await;
    assert_eq!(run.code, 3, "{}", run.all());
    let journal = s.journal_text();
    let ambiguous = journal
        .lines()
        .find(|line| line.contains(r#""event":"ambiguous""#))
        .unwrap_or_else(|| panic!("an unknown outcome is recorded:\n{journal}"));
    assert!(ambiguous.contains("the order ID in it"), "{ambiguous}");
    assert_ascii(&journal, "the journal");

    let english = s.run(&["orders"]).await;
    assert_eq!(english.code, 0, "{}", english.all());
    assert!(
        english.stdout.contains("unknown: answer lost"),
        "{}",
        english.stdout
    );
    assert_ascii(&english.all(), "flexus orders in English");
    // The reader's language is the reader's, whoever wrote the record.
    let chinese = s.run_with(in_chinese(&s, &["orders"])).await;
    assert_eq!(chinese.code, 0, "{}", chinese.all());
    assert!(
        !chinese.stdout.contains("answer lost"),
        "{}",
        chinese.stdout
    );
    assert!(!chinese.stdout.is_ascii(), "{}", chinese.stdout);
}
