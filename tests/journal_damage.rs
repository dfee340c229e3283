//! The journal on disk: damage never hides a purchase (also through
//! `flexus orders`), old journals keep working, concurrent processes lose
//! nothing, a full disk is an error, and 10,000 purchases are answered
//! right.

use std::path::Path;
use std::process::Command;

use flexus::api::journal::{Entry, FILE_NAME, INDEX_FILE, Journal, PurchaseState};

#[path = "../benches/support/journal_fixture.rs"]
mod fixture;
use fixture::*;

fn orders(dir: &Path, args: &[&str]) -> (String, String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .arg("orders")
        .args(args)
        .env("FLEXUS_STATE_DIR", dir)
        .env_remove("FLEXUS_JOURNAL_FAIL_AFTER")
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.success(),
    )
}

fn flip_after(path: &Path, anchor: &str, needle: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    let find = |from: usize, what: &str| {
        bytes[from..]
            .windows(what.len())
            .position(|w| w == what.as_bytes())
            .map(|i| i + from)
    };
    let from = find(0, anchor).expect("anchor");
    let at = find(from, needle).expect("needle");
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

/// One completed purchase, written as `flexus` writes it.
fn one_purchase(dir: &Path) -> Journal {
    let journal = Journal::open(dir).unwrap();
    journal
        .append(&Entry::Intent {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: crid(1),
            endpoint: "http://127.0.0.1:1".into(),
            attempt: 1,
            body: Box::new(body()),
        })
        .unwrap();
    journal
        .append(&Entry::Placed {
            at: "2026-11-26T10:00:01Z".into(),
            client_request_id: crid(1),
            order_id: order_id(1),
            instance_ids: vec![],
        })
        .unwrap();
    journal
        .append(&Entry::Status {
            at: "2026-11-26T10:00:09Z".into(),
            order_id: order_id(1),
            status: 5,
            pending_payment_end_time: None,
        })
        .unwrap();
    journal
}

#[test]
fn flexus_orders_names_a_damaged_record_of_each_kind() {
    for (kind, anchor, needle) in [
        ("intent", "\"event\":\"intent\"", "\"region\""),
        ("placed", "\"event\":\"placed\"", &order_id(1)[4..]),
        ("status", "\"event\":\"status\"", "\"status\":5"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let journal = one_purchase(dir.path());
        // `flexus orders` has read (and indexed) it whole before the damage.
        let (before, _, ok) = orders(dir.path(), &[]);
        assert!(ok && before.contains(&order_id(1)), "{before}");
        flip_after(journal.path(), anchor, needle);
        let (out, err, ok) = orders(dir.path(), &[]);
        assert!(ok, "{kind}: {err}");
        let line = out
            .lines()
            .find(|l| l.starts_with("Damaged record at line "))
            .unwrap_or_else(|| panic!("{kind}: no damaged record in:\n{out}"));
        assert!(line.contains(&crid(1)), "{kind}: {line}");
        assert!(line.contains(&format!("a {kind} record")), "{kind}: {line}");
        if kind != "placed" {
            // The order ID itself took the flip in the placed case.
            assert!(
                line.contains(&format!("`flexus status {}`", order_id(1))),
                "{kind}: {line}"
            );
        }
        // Damage found by a fresh index tells the same.
        for file in [INDEX_FILE.to_string(), format!("{INDEX_FILE}-wal")] {
            let _ = std::fs::remove_file(dir.path().join(file));
        }
        let (again, _, _) = orders(dir.path(), &[]);
        assert!(
            again
                .lines()
                .any(|l| l.starts_with("Damaged record") && l.contains(&crid(1))),
            "{kind}: {again}"
        );
    }
}

#[test]
fn a_journal_from_before_checksums_and_the_index_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    // The format of flexus 0.1 before this change: no sum, a torn line in
    // the middle left by a crash, and no index beside it.
    let legacy = [
        serde_json::to_string(&Entry::Intent {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: crid(1),
            endpoint: "http://127.0.0.1:1".into(),
            attempt: 1,
            body: Box::new(body()),
        })
        .unwrap(),
        "{\"event\":\"placed\",\"at\":\"2026-11-26T10:00:01Z\",\"client_request_id\":\""
            .to_string()
            + &crid(1),
        serde_json::to_string(&Entry::Placed {
            at: "2026-11-26T10:00:02Z".into(),
            client_request_id: crid(1),
            order_id: order_id(1),
            instance_ids: vec![],
        })
        .unwrap(),
    ];
    let text = legacy.join("\n") + "\n";
    std::fs::write(dir.path().join(FILE_NAME), &text).unwrap();
    let (out, err, ok) = orders(dir.path(), &[]);
    assert!(ok, "{err}");
    assert!(out.contains(&order_id(1)), "{out}");
    assert!(
        out.contains("Damaged record at line 2 of") && out.contains("a placed record"),
        "{out}"
    );
    let journal = Journal::open(dir.path()).unwrap();
    let p = journal.purchase(&crid(1)).unwrap().unwrap();
    assert_eq!(p.state, PurchaseState::Placed);
    assert_eq!(
        journal
            .purchase_of_order(&order_id(1))
            .unwrap()
            .unwrap()
            .client_request_id,
        crid(1)
    );
    // The old lines are read in place, never rewritten.
    assert!(
        std::fs::read_to_string(journal.path())
            .unwrap()
            .starts_with(&text)
    );
    assert!(dir.path().join(INDEX_FILE).exists());
}

#[test]
fn appends_from_several_processes_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    Journal::open(dir.path()).unwrap();
    // `flexus claim` appends one record per run; eight run at once, each
    // on a purchase of its own.
    let mut text = String::new();
    for n in 0..8 {
        text.push_str(&flexus::api::journal::encode(&Entry::Intent {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: crid(n),
            endpoint: "http://127.0.0.1:1".into(),
            attempt: 1,
            body: Box::new(body()),
        }));
        text.push('\n');
        // A claim names an order the order list showed for the purchase.
        text.push_str(&flexus::api::journal::encode(&Entry::LookedUp {
            at: "2026-11-26T10:00:05Z".into(),
            client_request_id: crid(n),
            order_ids: vec![order_id(n)],
            failed: None,
        }));
        text.push('\n');
    }
    std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
    let children: Vec<_> = (0..8)
        .map(|n| {
            Command::new(env!("CARGO_BIN_EXE_flexus"))
                .env("FLEXUS_LANG", "en")
                .args(["claim", &crid(n), &order_id(n)])
                .env("FLEXUS_STATE_DIR", dir.path())
                .env_remove("FLEXUS_JOURNAL_FAIL_AFTER")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let journal = Journal::open(dir.path()).unwrap();
    let (entries, damaged) = journal.entries().unwrap();
    assert_eq!(damaged, 0);
    assert_eq!(entries.len(), 24, "8 intents, 8 lookups and 8 claims");
    assert!(journal.unresolved().unwrap().is_empty());
    for n in 0..8 {
        let p = journal.purchase_of_order(&order_id(n)).unwrap().unwrap();
        assert_eq!(p.client_request_id, crid(n));
    }
}

#[test]
fn ten_thousand_purchases_are_answered_right() {
    let dir = tempfile::tempdir().unwrap();
    write_journal(dir.path(), 10_000);
    let journal = Journal::open(dir.path()).unwrap();
    let unresolved = journal.unresolved().unwrap();
    let expected: Vec<String> = (0..10_000)
        .rev()
        .filter(|n| {
            matches!(
                kind(*n, 10_000),
                Kind::Ambiguous | Kind::Unanswered | Kind::DamagedPlaced
            )
        })
        .map(crid)
        .collect();
    assert_eq!(expected.len(), AMBIGUOUS + UNANSWERED + 1);
    let got: Vec<String> = unresolved
        .iter()
        .map(|p| p.client_request_id.clone())
        .collect();
    assert_eq!(got, expected);
    let unfinished = journal.unfinished().unwrap();
    assert_eq!(unfinished.len(), AMBIGUOUS + UNANSWERED + 1 + PENDING);
    let listing = journal.recent(Some(20)).unwrap();
    assert_eq!(listing.purchases.len(), 20);
    assert_eq!(listing.more, 10_000 - 20);
    assert_eq!(listing.damaged.len(), DAMAGED);
    assert_eq!(listing.purchases[0].client_request_id, crid(9_999));
    // The same answers as folding the whole file.
    let all = journal.purchases().unwrap();
    let folded: Vec<_> = all.iter().filter(|p| p.is_unresolved()).cloned().collect();
    assert_eq!(unresolved, folded);
}

#[test]
fn a_full_disk_is_an_error_and_costs_no_earlier_record() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    journal
        .append(&Entry::Intent {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: crid(1),
            endpoint: "http://127.0.0.1:1".into(),
            attempt: 1,
            body: Box::new(body()),
        })
        .unwrap();
    journal
        .append(&Entry::LookedUp {
            at: "2026-11-26T10:00:05Z".into(),
            client_request_id: crid(1),
            order_ids: vec![order_id(1)],
            failed: None,
        })
        .unwrap();
    // The disk fills up while `flexus claim` writes its record.
    let out = Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(["claim", &crid(1), &order_id(1)])
        .env("FLEXUS_STATE_DIR", dir.path())
        .env("FLEXUS_JOURNAL_FAIL_AFTER", "0")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("no space left on device"), "{err}");
    assert!(
        !err.contains("Os {") && !err.contains("kind:"),
        "Debug output: {err}"
    );
    // The purchase is still there and still unresolved; the half-written
    // record shows as damaged, and the next write starts on a line of its own.
    let p = journal.purchase(&crid(1)).unwrap().unwrap();
    assert_eq!(p.state, PurchaseState::Unanswered);
    assert_eq!(journal.unresolved().unwrap().len(), 1);
    let listing = journal.recent(None).unwrap();
    assert_eq!(listing.damaged.len(), 1, "{:?}", listing.damaged);
    // Torn halfway: what survived of its Client-Request-Id.
    let seen = listing.damaged[0].client_request_id.clone().unwrap();
    assert!(seen.len() >= 8 && crid(1).starts_with(&seen), "{seen}");
    assert_eq!(listing.damaged[0].event.as_deref(), Some("claimed"));
    journal
        .append(&Entry::Claimed {
            at: "2026-11-26T10:05:00Z".into(),
            client_request_id: crid(1),
            order_id: order_id(1),
        })
        .unwrap();
    assert!(journal.unresolved().unwrap().is_empty());
}

/// A real full file system, where one can be mounted (root, and a kernel
/// that lets this process mount); skipped with the reason otherwise.
#[test]
fn a_real_full_file_system_is_an_error_too() {
    let dir = tempfile::tempdir().unwrap();
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(dir.path())
        .output();
    match mount {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipped: cannot mount a small tmpfs here ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: cannot run mount ({e})");
            return;
        }
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(dir.path());
    let state = dir.path().join("state");
    let journal = Journal::open(&state).unwrap();
    let intent = |n: usize| Entry::Intent {
        at: "2026-11-26T10:00:00Z".into(),
        client_request_id: crid(n),
        endpoint: "http://127.0.0.1:1".into(),
        attempt: 1,
        body: Box::new(body()),
    };
    let mut written = 0;
    let failure = loop {
        match journal.append(&intent(written)) {
            Ok(()) => written += 1,
            Err(e) => break e,
        }
        assert!(written < 10_000, "the 64k file system never filled up");
    };
    assert!(written > 0);
    assert!(failure.to_string().contains("No space left"), "{failure}");
    // Every intent written before the disk filled is still there.
    let (entries, _) = journal.entries().unwrap();
    assert_eq!(entries.len(), written);
}
