use super::*;
use crate::api::wire::bss_time;
use crate::domain::order::{Draft, RequestBody};

fn body() -> RequestBody {
    let catalog = crate::domain::catalog::Catalog::embedded();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .unwrap();
    let (draft, problems) = Draft::from_plan_json(&text);
    assert!(problems.is_empty());
    draft.request_body(&catalog).unwrap()
}

fn intent(id: &str, at: &str, attempt: u32) -> Entry {
    Entry::Intent {
        at: at.into(),
        client_request_id: id.into(),
        endpoint: "http://127.0.0.1:1".into(),
        attempt,
        body: Box::new(body()),
    }
}

#[test]
fn files_are_private_and_lines_round_trip() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("state").join("flexus");
    let journal = Journal::open(&dir).unwrap();
    journal
        .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(journal.path()), 0o600);
    }
    let (entries, skipped) = journal.entries().unwrap();
    assert_eq!(skipped, 0);
    assert_eq!(entries, vec![intent("a-1", "2026-11-26T10:00:00Z", 1)]);
    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(text.starts_with("{\"event\":\"intent\""), "{text}");
    assert!(text.ends_with('\n'));
}

#[test]
fn a_torn_last_line_is_skipped_and_not_glued_to_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    journal
        .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
        .unwrap();
    let mut f = OpenOptions::new()
        .append(true)
        .open(journal.path())
        .unwrap();
    f.write_all(b"{\"event\":\"placed\",\"at\":\"2026-")
        .unwrap();
    drop(f);
    journal
        .append(&Entry::Placed {
            at: "2026-11-26T10:00:01Z".into(),
            client_request_id: "a-1".into(),
            order_id: "CS1".into(),
            instance_ids: vec!["i-1".into()],
        })
        .unwrap();
    let (entries, skipped) = journal.entries().unwrap();
    assert_eq!(skipped, 1);
    assert_eq!(entries.len(), 2);
    let p = &journal.purchases().unwrap()[0];
    assert_eq!(p.state, PurchaseState::Placed);
    assert_eq!(p.order_id.as_deref(), Some("CS1"));
}

#[test]
fn a_line_torn_inside_a_multibyte_character_hides_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    journal
        .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
        .unwrap();
    // A crash in the middle of a message in another script: the line
    // ends with the first byte of a three-byte character.
    let torn = "{\"event\":\"rejected\",\"at\":\"2026-11-26T10:00:01Z\",\"client_request_id\":\"b-1\",\"error\":{\"message\":\"参数";
    let torn = &torn.as_bytes()[..torn.len() - 2];
    assert!(std::str::from_utf8(torn).is_err());
    let mut f = OpenOptions::new()
        .append(true)
        .open(journal.path())
        .unwrap();
    f.write_all(torn).unwrap();
    drop(f);
    journal
        .append(&Entry::Placed {
            at: "2026-11-26T10:00:02Z".into(),
            client_request_id: "a-1".into(),
            order_id: "CS1".into(),
            instance_ids: vec![],
        })
        .unwrap();
    let (entries, skipped) = journal.entries().unwrap();
    assert_eq!(skipped, 1);
    assert_eq!(entries.len(), 2);
    let p = journal.purchase("a-1").unwrap().unwrap();
    assert_eq!(p.state, PurchaseState::Placed);
    assert_eq!(p.order_id.as_deref(), Some("CS1"));
}

#[test]
fn folding_gives_newest_first_with_last_state() {
    let failure = RecordedFailure {
        status: None,
        code: None,
        message: "no answer".into(),
    };
    let entries = vec![
        intent("a", "2026-11-26T10:00:00Z", 1),
        Entry::Placed {
            at: "2026-11-26T10:00:01Z".into(),
            client_request_id: "a".into(),
            order_id: "CS-A".into(),
            instance_ids: vec![],
        },
        Entry::Status {
            at: "2026-11-26T10:00:05Z".into(),
            order_id: "CS-A".into(),
            status: 3,
            pending_payment_end_time: None,
        },
        Entry::Status {
            at: "2026-11-26T10:00:09Z".into(),
            order_id: "CS-A".into(),
            status: 5,
            pending_payment_end_time: None,
        },
        intent("b", "2026-11-26T11:00:00Z", 1),
        Entry::Ambiguous {
            at: "2026-11-26T11:00:30Z".into(),
            client_request_id: "b".into(),
            error: failure.clone(),
        },
        Entry::LookedUp {
            at: "2026-11-26T11:00:31Z".into(),
            client_request_id: "b".into(),
            order_ids: vec!["CS-B?".into()],
            failed: None,
        },
        intent("c", "2026-11-26T12:00:00Z", 1),
    ];
    let records = fold_purchases(&entries);
    let ids: Vec<_> = records
        .iter()
        .map(|r| r.client_request_id.as_str())
        .collect();
    assert_eq!(ids, ["c", "b", "a"]);
    assert_eq!(records[0].state, PurchaseState::Unanswered);
    assert_eq!(
        records[1].state,
        PurchaseState::Ambiguous {
            error: failure,
            candidates: vec!["CS-B?".into()]
        }
    );
    assert_eq!(
        records[2].last_status,
        Some((5, "2026-11-26T10:00:09Z".into()))
    );
}

#[test]
fn orders_seen_before_a_purchase_cannot_be_its_result() {
    let looked_up = |id: &str, orders: &[&str]| Entry::LookedUp {
        at: "2026-11-26T10:00:00Z".into(),
        client_request_id: id.into(),
        order_ids: orders.iter().map(|o| o.to_string()).collect(),
        failed: None,
    };
    let placed = |id: &str, order: &str| Entry::Placed {
        at: "2026-11-26T10:00:00Z".into(),
        client_request_id: id.into(),
        order_id: order.into(),
        instance_ids: vec![],
    };
    let entries = vec![
        intent("a", "2026-11-26T10:00:00Z", 1),
        placed("a", "CS-A"),
        intent("b", "2026-11-26T10:00:00Z", 1),
        looked_up("b", &["CS-B?"]),
        intent("c", "2026-11-26T10:00:00Z", 1),
        // Found by d after c was sent: it might be c's.
        intent("d", "2026-11-26T10:00:00Z", 1),
        looked_up("d", &["CS-D?"]),
        // c's own earlier findings stay candidates on a resend.
        looked_up("c", &["CS-C?"]),
    ];
    let unrelated = orders_not_from(&entries, "c");
    let mut sorted: Vec<_> = unrelated.into_iter().collect();
    sorted.sort();
    assert_eq!(sorted, ["CS-A", "CS-B?"]);
    let mut for_d: Vec<_> = orders_not_from(&entries, "d").into_iter().collect();
    for_d.sort();
    assert_eq!(for_d, ["CS-A", "CS-B?"]);
}

#[test]
fn utc_text_round_trips() {
    let t = time::macros::datetime!(2026-11-26 18:04:05 +08:00);
    assert_eq!(bss_time(t), "2026-11-26T10:04:05Z");
    assert_eq!(parse_utc("2026-11-26T10:04:05Z").unwrap(), t);
}

use std::io::Write;

fn placed(id: &str, order: &str) -> Entry {
    Entry::Placed {
        at: "2026-11-26T10:00:01Z".into(),
        client_request_id: id.into(),
        order_id: order.into(),
        instance_ids: vec![format!("i-{order}")],
    }
}

fn status(order: &str, code: i32) -> Entry {
    Entry::Status {
        at: "2026-11-26T10:00:05Z".into(),
        order_id: order.into(),
        status: code,
        pending_payment_end_time: None,
    }
}

fn lost() -> RecordedFailure {
    RecordedFailure {
        status: None,
        code: None,
        message: "no answer".into(),
    }
}

fn crid(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// Flips one bit of the first byte of `needle` after the `nth` occurrence
/// of `anchor` in the journal file.
fn flip(path: &Path, anchor: &str, needle: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    let from = find(&bytes, anchor.as_bytes(), 0).expect("anchor in the journal");
    let at = find(&bytes, needle.as_bytes(), from).expect("needle after the anchor");
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Both journals over one directory: the indexed one and the reference.
fn both(dir: &Path) -> [Journal; 2] {
    [
        Journal::open(dir).unwrap(),
        Journal::open_unindexed(dir).unwrap(),
    ]
}

#[test]
fn every_line_carries_a_checksum_that_catches_damage_which_still_parses() {
    let line = encode(&placed("a-1", "CS123456"));
    assert!(line.ends_with("\"}"), "{line}");
    assert!(line.contains(",\"sum\":\""), "{line}");
    assert_eq!(
        record::decode(line.as_bytes(), 1),
        Item::Good(placed("a-1", "CS123456"))
    );
    // A digit of the order ID flipped: still valid JSON, another order.
    let damaged = line.replace("CS123456", "CS123457");
    assert!(serde_json::from_str::<Entry>(&damaged).is_ok());
    match record::decode(damaged.as_bytes(), 7) {
        Item::Damaged(d) => {
            assert_eq!(d.place, "line 7");
            assert_eq!(d.event.as_deref(), Some("placed"));
            assert_eq!(d.client_request_id.as_deref(), Some("a-1"));
            assert_eq!(d.order_id.as_deref(), Some("CS123457"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn lines_from_before_checksums_are_still_read() {
    let legacy = serde_json::to_string(&placed("a-1", "CS1")).unwrap();
    assert!(!legacy.contains("sum"));
    assert_eq!(
        record::decode(legacy.as_bytes(), 1),
        Item::Good(placed("a-1", "CS1"))
    );
}

#[test]
fn records_glued_by_a_lost_newline_are_both_read() {
    let mut bytes = encode(&intent("a-1", "2026-11-26T10:00:00Z", 1)).into_bytes();
    bytes.push(b'\n' ^ 0x01);
    bytes.extend(encode(&placed("a-1", "CS1")).into_bytes());
    bytes.push(b'\n');
    let found = record::scan(&bytes, 0, 0);
    let items: Vec<_> = found.into_iter().map(|f| f.item).collect();
    assert_eq!(
        items,
        vec![
            Item::Good(intent("a-1", "2026-11-26T10:00:00Z", 1)),
            Item::Good(placed("a-1", "CS1"))
        ]
    );
}

#[test]
fn salvage_reads_a_field_whose_name_took_the_flip_and_never_yields_control_bytes() {
    let line = encode(&placed("a-1", "CS1")).replace("client_request_id", "client_requeSt_id");
    let d = record::salvage(line.as_bytes(), 3);
    assert_eq!(d.client_request_id.as_deref(), Some("a-1"));
    let d = record::salvage(b"{\"event\":\"placed\",\"order_id\":\"CS\x1b[2J\"", 1);
    assert_eq!(d.order_id.as_deref(), Some("CS?[2J"));
}

/// A journal of three purchases: a completed one, one pending payment and
/// one whose answer was lost.
fn three(journal: &Journal) {
    journal
        .append(&intent(&crid(1), "2026-11-26T10:00:00Z", 1))
        .unwrap();
    journal.append(&placed(&crid(1), "CS-ONE-111")).unwrap();
    journal.append(&status("CS-ONE-111", 5)).unwrap();
    journal
        .append(&intent(&crid(2), "2026-11-26T11:00:00Z", 1))
        .unwrap();
    journal.append(&placed(&crid(2), "CS-TWO-222")).unwrap();
    journal.append(&status("CS-TWO-222", 6)).unwrap();
    journal
        .append(&intent(&crid(3), "2026-11-26T12:00:00Z", 1))
        .unwrap();
    journal
        .append(&Entry::Ambiguous {
            at: "2026-11-26T12:00:30Z".into(),
            client_request_id: crid(3),
            error: lost(),
        })
        .unwrap();
    journal
        .append(&Entry::LookedUp {
            at: "2026-11-26T12:00:31Z".into(),
            client_request_id: crid(3),
            order_ids: vec!["CS-THREE-333".into(), "CS-TWO-222".into()],
            failed: None,
        })
        .unwrap();
}

fn ids(records: &[PurchaseRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| r.client_request_id.clone())
        .collect()
}

#[test]
fn the_index_answers_as_reading_the_whole_file_does() {
    let dir = tempfile::tempdir().unwrap();
    let [indexed, reference] = both(dir.path());
    three(&indexed);
    for journal in [&indexed, &reference] {
        assert_eq!(ids(&journal.unresolved().unwrap()), [crid(3)]);
        assert_eq!(ids(&journal.unfinished().unwrap()), [crid(3), crid(2)]);
        let of_two = journal.purchase_of_order("CS-TWO-222").unwrap().unwrap();
        assert_eq!(of_two.client_request_id, crid(2));
        assert_eq!(of_two.last_status.as_ref().map(|s| s.0), Some(6));
        assert!(journal.purchase_of_order("CS-NONE").unwrap().is_none());
        let candidates = vec!["CS-THREE-333".to_string(), "CS-TWO-222".to_string()];
        let unrelated = journal.orders_not_from(&crid(3), &candidates).unwrap();
        assert_eq!(unrelated, HashSet::from(["CS-TWO-222".to_string()]));
        let listing = journal.recent(Some(2)).unwrap();
        assert_eq!(ids(&listing.purchases), [crid(3), crid(2)]);
        assert_eq!(listing.more, 1);
        assert!(listing.damaged.is_empty());
        assert_eq!(
            journal.recent(None).unwrap().purchases,
            journal.purchases().unwrap()
        );
    }
    assert!(dir.path().join(INDEX_FILE).exists());
    // Dismissing counts for this purchase only, in both.
    indexed
        .append(&Entry::Dismissed {
            at: "2026-11-26T12:01:00Z".into(),
            client_request_id: crid(3),
            order_id: "CS-THREE-333".into(),
        })
        .unwrap();
    for journal in [&indexed, &reference] {
        let unrelated = journal
            .orders_not_from(&crid(3), &["CS-THREE-333".to_string()])
            .unwrap();
        assert_eq!(unrelated.len(), 1);
        let p = journal.purchase(&crid(3)).unwrap().unwrap();
        assert_eq!(p.dismissed, ["CS-THREE-333"]);
    }
}

#[test]
fn a_flipped_byte_in_any_kind_of_record_lists_the_purchase_as_damaged() {
    for (kind, anchor, needle) in [
        ("intent", "\"event\":\"intent\"", "plan_spec"),
        ("placed", "\"event\":\"placed\"", "CS-ONE-111"),
        ("status", "\"event\":\"status\"", "\"status\":5"),
    ] {
        // Damage before the index ever saw the line (an old journal), and
        // damage to a line it had already read.
        for indexed_first in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let writer = Journal::open_unindexed(dir.path()).unwrap();
            three(&writer);
            if indexed_first {
                Journal::open(dir.path()).unwrap().recent(Some(1)).unwrap();
            }
            flip(writer.path(), anchor, needle);
            for journal in both(dir.path()) {
                let listing = journal.recent(None).unwrap();
                let damaged = &listing.damaged;
                assert_eq!(damaged.len(), 1, "{kind} {indexed_first}: {damaged:?}");
                let d = &damaged[0];
                assert_eq!(
                    d.client_request_id.as_deref(),
                    Some(crid(1).as_str()),
                    "{kind} {indexed_first}: {d:?}"
                );
                assert_eq!(d.event.as_deref(), Some(kind), "{d:?}");
                if kind == "status" {
                    assert_eq!(d.order_id.as_deref(), Some("CS-ONE-111"));
                }
                let listed = ids(&listing.purchases);
                if kind == "intent" {
                    assert_eq!(listed, [crid(3), crid(2)]);
                    assert_eq!(d.order_id.as_deref(), Some("CS-ONE-111"), "{d:?}");
                } else {
                    assert_eq!(listed, [crid(3), crid(2), crid(1)]);
                }
                assert!(d.place.starts_with("line "), "{d:?}");
                // Damage to a record the index had read whole shows when
                // its purchase is read, as above.
                if !indexed_first {
                    assert_eq!(journal.damaged().unwrap().len(), 1);
                }
            }
        }
    }
}

#[test]
fn a_damaged_intent_of_unknown_outcome_is_hidden_unresolved_until_settled() {
    for indexed_first in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let writer = Journal::open_unindexed(dir.path()).unwrap();
        three(&writer);
        if indexed_first {
            Journal::open(dir.path()).unwrap().recent(Some(1)).unwrap();
        }
        // The unresolved purchase's intent, and the placed one's.
        flip(
            writer.path(),
            &format!("\"client_request_id\":\"{}\"", crid(3)),
            "plan_spec",
        );
        flip(writer.path(), "\"event\":\"intent\"", "plan_spec");
        for journal in both(dir.path()) {
            let hidden = journal.hidden_unresolved().unwrap();
            assert_eq!(hidden.len(), 1, "{indexed_first}: {hidden:?}");
            assert_eq!(
                hidden[0].client_request_id.as_deref(),
                Some(crid(3).as_str())
            );
            assert!(
                journal.unresolved().unwrap().is_empty(),
                "it cannot be shown"
            );
        }
        writer
            .append(&Entry::NothingPlaced {
                at: "2026-11-26T13:00:00Z".into(),
                client_request_id: crid(3),
            })
            .unwrap();
        for journal in both(dir.path()) {
            assert!(
                journal.hidden_unresolved().unwrap().is_empty(),
                "{indexed_first}"
            );
        }
    }
}

#[test]
fn a_purchase_whose_intent_lost_its_id_is_still_named_by_its_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let writer = Journal::open_unindexed(dir.path()).unwrap();
    three(&writer);
    // The flip hits the Client-Request-Id of the first intent itself.
    flip(writer.path(), "\"event\":\"intent\"", &crid(1));
    for journal in both(dir.path()) {
        let damaged = journal.recent(Some(20)).unwrap().damaged;
        assert!(
            damaged
                .iter()
                .any(|d| d.client_request_id.as_deref() == Some(crid(1).as_str())
                    && d.order_id.as_deref() == Some("CS-ONE-111")),
            "{damaged:?}"
        );
    }
}

#[test]
fn a_damaged_index_is_rebuilt_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    three(&journal);
    assert_eq!(journal.unresolved().unwrap().len(), 1);
    drop(journal);
    let index = dir.path().join(INDEX_FILE);
    // Make sure everything is in the main file, then wreck its pages.
    {
        let conn = rusqlite::Connection::open(&index).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
    }
    let mut bytes = std::fs::read(&index).unwrap();
    assert!(bytes.len() > 4096);
    for b in &mut bytes[100..] {
        *b = 0x5a;
    }
    std::fs::write(&index, bytes).unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    assert_eq!(ids(&journal.unresolved().unwrap()), [crid(3)]);
    assert_eq!(journal.recent(None).unwrap().purchases.len(), 3);
    assert_eq!(ids(&journal.unfinished().unwrap()), [crid(3), crid(2)]);
    assert!(matches!(&*journal.slot(), IndexSlot::Open(_)));
    // Damage the index takes while open: answers come from the file, and
    // the index is rebuilt for the next query.
    drop(journal);
    let mut bytes = std::fs::read(&index).unwrap();
    assert!(bytes.len() > 2 * 4096, "{}", bytes.len());
    for b in &mut bytes[4096..] {
        *b = 0xa5;
    }
    std::fs::write(&index, bytes).unwrap();
    let other = Journal::open(dir.path()).unwrap();
    assert_eq!(ids(&other.unresolved().unwrap()), [crid(3)]);
    assert_eq!(ids(&other.unfinished().unwrap()), [crid(3), crid(2)]);
    assert!(matches!(&*other.slot(), IndexSlot::Open(_)));
}

#[test]
fn a_replaced_or_cut_file_is_indexed_anew() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    three(&journal);
    assert_eq!(journal.recent(None).unwrap().purchases.len(), 3);
    // Cut back to the first purchase, as restoring an older copy would.
    let text = std::fs::read_to_string(journal.path()).unwrap();
    let keep: Vec<&str> = text.lines().take(3).collect();
    std::fs::write(journal.path(), keep.join("\n") + "\n").unwrap();
    assert_eq!(ids(&journal.recent(None).unwrap().purchases), [crid(1)]);
    assert!(journal.unresolved().unwrap().is_empty());
    // Replaced by another journal of the same length.
    let elsewhere = tempfile::tempdir().unwrap();
    let other = Journal::open_unindexed(elsewhere.path()).unwrap();
    three(&other);
    let other = std::fs::read_to_string(other.path())
        .unwrap()
        .replace(&crid(1), &crid(9))
        .replace(&crid(3), &crid(8));
    let other: String = other
        .lines()
        .map(|l| {
            let entry: Entry = serde_json::from_str(l).unwrap();
            encode(&entry) + "\n"
        })
        .collect();
    assert_eq!(other.len(), text.len());
    std::fs::write(dir.path().join("new"), other).unwrap();
    std::fs::rename(dir.path().join("new"), journal.path()).unwrap();
    let listed = ids(&journal.recent(None).unwrap().purchases);
    assert_eq!(listed, [crid(8), crid(2), crid(9)]);
    assert!(journal.recent(None).unwrap().damaged.is_empty());
}

#[test]
fn appends_from_other_journals_are_seen_by_an_index_already_open() {
    let dir = tempfile::tempdir().unwrap();
    let reader = Journal::open(dir.path()).unwrap();
    assert!(reader.unresolved().unwrap().is_empty());
    let writer = Journal::open(dir.path()).unwrap();
    writer
        .append(&intent(&crid(1), "2026-11-26T10:00:00Z", 1))
        .unwrap();
    assert_eq!(ids(&reader.unresolved().unwrap()), [crid(1)]);
    writer.append(&placed(&crid(1), "CS-1")).unwrap();
    assert!(reader.unresolved().unwrap().is_empty());
    assert_eq!(ids(&reader.unfinished().unwrap()), [crid(1)]);
    writer.append(&status("CS-1", 5)).unwrap();
    assert!(reader.unfinished().unwrap().is_empty());
}

#[test]
fn concurrent_appends_from_many_threads_lose_and_mix_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let threads: Vec<_> = (0..6)
        .map(|t| {
            let dir = dir.path().to_path_buf();
            std::thread::spawn(move || {
                // Each thread its own journal: as separate as processes get
                // within one, with an index connection each.
                let journal = Journal::open(&dir).unwrap();
                for n in 0..10 {
                    let id = crid(t * 100 + n);
                    journal
                        .append(&intent(&id, "2026-11-26T10:00:00Z", 1))
                        .unwrap();
                    if n % 2 == 0 {
                        journal
                            .append(&placed(&id, &format!("CS-{t}-{n}")))
                            .unwrap();
                    }
                    journal.unresolved().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let [indexed, reference] = both(dir.path());
    let (entries, damaged) = reference.entries().unwrap();
    assert_eq!(damaged, 0);
    assert_eq!(entries.len(), 6 * 15);
    assert_eq!(indexed.unresolved().unwrap().len(), 30);
    assert_eq!(
        indexed.unresolved().unwrap(),
        reference.unresolved().unwrap()
    );
    assert_eq!(indexed.recent(None).unwrap().purchases.len(), 60);
}

#[test]
fn a_torn_last_record_is_damage_to_that_record_only() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(dir.path()).unwrap();
    three(&journal);
    let line = encode(&placed(&crid(3), "CS-THREE-333"));
    let mut f = OpenOptions::new()
        .append(true)
        .open(journal.path())
        .unwrap();
    f.write_all(&line.as_bytes()[..line.len() - 10]).unwrap();
    drop(f);
    for journal in both(dir.path()) {
        let listing = journal.recent(None).unwrap();
        assert_eq!(listing.purchases.len(), 3);
        assert_eq!(listing.damaged.len(), 1);
        assert_eq!(
            listing.damaged[0].client_request_id.as_deref(),
            Some(crid(3).as_str())
        );
        assert_eq!(listing.damaged[0].place, "line 10");
    }
    journal.append(&status("CS-TWO-222", 5)).unwrap();
    let listing = journal.recent(None).unwrap();
    assert_eq!(listing.damaged.len(), 1);
    assert_eq!(listing.purchases[1].last_status.as_ref().unwrap().0, 5);
}

#[test]
fn an_order_paid_or_cancelled_before_a_purchase_is_not_its_result_indexed_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let [indexed, reference] = both(dir.path());
    indexed
        .append(&Entry::Cancellation {
            at: "2026-11-26T11:00:00Z".into(),
            order_id: "CS-CANCELLED".into(),
            failed: None,
        })
        .unwrap();
    indexed
        .append(&Entry::Payment {
            at: "2026-11-26T11:00:01Z".into(),
            order_id: "CS-PAID".into(),
            failed: None,
        })
        .unwrap();
    indexed
        .append(&intent(&crid(4), "2026-11-26T12:00:00Z", 1))
        .unwrap();
    let candidates = ["CS-CANCELLED", "CS-PAID", "CS-NEW"].map(String::from);
    for journal in [&indexed, &reference] {
        let unrelated = journal.orders_not_from(&crid(4), &candidates).unwrap();
        assert_eq!(
            unrelated,
            HashSet::from(["CS-CANCELLED".to_string(), "CS-PAID".to_string()])
        );
    }
}
