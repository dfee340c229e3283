//! A journal of N purchases as a long-time user's would look: most placed
//! and completed, and a fixed few still open (pending payment, answer lost
//! with lookups, no answer) or damaged, whatever N, as old ones get settled.
//! Shared by the journal benchmark, its tests and `examples/journal_fixture`.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use flexus::api::journal::{Entry, FILE_NAME, RecordedFailure, encode};
use flexus::domain::catalog::Catalog;
use flexus::domain::order::{Draft, RequestBody};

/// The open purchases each journal has, spread over its length.
pub const PENDING: usize = 2;
pub const AMBIGUOUS: usize = 2;
pub const UNANSWERED: usize = 1;
/// Damaged lines: one placed record with a flipped byte, one torn record.
pub const DAMAGED: usize = 2;

pub fn body() -> RequestBody {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
        .expect("examples/plan.json");
    let (draft, problems) = Draft::from_plan_json(&text);
    assert!(problems.is_empty(), "{problems:?}");
    draft
        .request_body(&Catalog::embedded())
        .expect("the example plan is valid")
}

pub fn crid(n: usize) -> String {
    format!("0000{n:04x}-0000-4000-8000-{n:012}")
}

pub fn order_id(n: usize) -> String {
    format!("CS2611{n:08}ABCDE")
}

fn at(n: usize, second: usize) -> String {
    let minutes = n % 60;
    let hours = (n / 60) % 24;
    let days = 1 + (n / 1440) % 28;
    format!("2026-02-{days:02}T{hours:02}:{minutes:02}:{second:02}Z")
}

/// What purchase `n` of `total` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Completed,
    Pending,
    Ambiguous,
    Unanswered,
    DamagedPlaced,
}

pub fn kind(n: usize, total: usize) -> Kind {
    let special = [
        Kind::Pending,
        Kind::Ambiguous,
        Kind::Unanswered,
        Kind::DamagedPlaced,
        Kind::Pending,
        Kind::Ambiguous,
    ];
    let step = total / (special.len() + 1);
    if step > 0 && n.is_multiple_of(step) && n / step >= 1 && n / step <= special.len() {
        special[n / step - 1]
    } else {
        Kind::Completed
    }
}

/// Writes a journal of `total` purchases into `dir` (written directly, not
/// through `append`: 40,000 fsyncs would make the benchmark's setup the
/// longest part of it). Needs `total >= 7` for every kind to be there.
pub fn write_journal(dir: &Path, total: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let body = body();
    let mut text = String::new();
    let line = |entry: &Entry, text: &mut String| {
        text.push_str(&encode(entry));
        text.push('\n');
    };
    for n in 0..total {
        let id = crid(n);
        line(
            &Entry::Intent {
                at: at(n, 0),
                client_request_id: id.clone(),
                endpoint: "https://hcss.ap-southeast-3.myhuaweicloud.com".into(),
                attempt: 1,
                body: Box::new(body.clone()),
            },
            &mut text,
        );
        let placed = Entry::Placed {
            at: at(n, 1),
            client_request_id: id.clone(),
            order_id: order_id(n),
            instance_ids: vec![format!("{n:08x}-1111-2222-3333-444455556666")],
        };
        let status = |code: i32, second: usize| Entry::Status {
            at: at(n, second),
            order_id: order_id(n),
            status: code,
            pending_payment_end_time: (code == 6).then(|| at(n + 1440, 0)),
        };
        match kind(n, total) {
            Kind::Completed => {
                line(&placed, &mut text);
                line(&status(6, 2), &mut text);
                line(&status(5, 30), &mut text);
            }
            Kind::Pending => {
                line(&placed, &mut text);
                line(&status(6, 2), &mut text);
            }
            Kind::Ambiguous => {
                line(
                    &Entry::Ambiguous {
                        at: at(n, 30),
                        client_request_id: id.clone(),
                        error: RecordedFailure {
                            status: None,
                            code: None,
                            message: "no answer within 30 seconds".into(),
                        },
                    },
                    &mut text,
                );
                line(
                    &Entry::LookedUp {
                        at: at(n, 31),
                        client_request_id: id.clone(),
                        order_ids: vec![order_id(n), order_id(n.saturating_sub(1))],
                        failed: None,
                    },
                    &mut text,
                );
            }
            Kind::Unanswered => {}
            Kind::DamagedPlaced => {
                // A digit of the order ID flipped: it still parses.
                let good = encode(&placed);
                text.push_str(&good.replacen(&order_id(n), &order_id(n + 1), 1));
                text.push('\n');
            }
        }
    }
    // The last write was torn by a crash.
    let torn = encode(&Entry::Payment {
        at: at(total, 0),
        order_id: order_id(0),
        failed: None,
    });
    text.push_str(&torn[..torn.len() / 2]);
    let mut file = std::fs::File::create(dir.join(FILE_NAME)).unwrap();
    file.write_all(text.as_bytes()).unwrap();
    file.sync_all().unwrap();
}
