//! The journal's cost against its length: journals of 10, 100 and 10,000
//! purchases (see `support/journal_fixture.rs` for the mix), each query a
//! purchase or `flexus orders` waits on. Target: 10,000 within 1.5x of 10.
//!
//!     cargo bench --bench journal
//!
//! `append_purchase` is one purchase's records (intent, placed, status),
//! each fsync'ed: its figure is mostly the disk's. The journals grow by
//! one purchase per iteration of it, which is what a real one does.

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

use flexus::api::journal::{Entry, Journal};

#[path = "support/journal_fixture.rs"]
mod fixture;
use fixture::*;

const SIZES: [usize; 3] = [10, 100, 10_000];

fn journals() -> Vec<(usize, tempfile::TempDir, Journal)> {
    SIZES
        .iter()
        .map(|&n| {
            let dir = tempfile::tempdir().unwrap();
            write_journal(dir.path(), n);
            let journal = Journal::open(dir.path()).unwrap();
            // The first query indexes the file, once per journal.
            journal.recent(Some(1)).unwrap();
            (n, dir, journal)
        })
        .collect()
}

/// The first purchase of this kind from `from` on.
fn first_of(kind_wanted: Kind, total: usize, from: usize) -> usize {
    (from..total)
        .find(|n| kind(*n, total) == kind_wanted)
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let journals = journals();
    let body = body();
    let next = AtomicUsize::new(1_000_000);
    let mut group = c.benchmark_group("journal");
    group.sample_size(30);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (n, _dir, journal) in &journals {
        let n = *n;
        group.bench_with_input(BenchmarkId::new("append_purchase", n), journal, |b, j| {
            b.iter(|| {
                let id = next.fetch_add(1, Ordering::Relaxed);
                j.append(&Entry::Intent {
                    at: "2026-03-01T10:00:00Z".into(),
                    client_request_id: crid(id),
                    endpoint: "https://hcss.ap-southeast-3.myhuaweicloud.com".into(),
                    attempt: 1,
                    body: Box::new(body.clone()),
                })
                .unwrap();
                j.append(&Entry::Placed {
                    at: "2026-03-01T10:00:01Z".into(),
                    client_request_id: crid(id),
                    order_id: order_id(id),
                    instance_ids: vec![],
                })
                .unwrap();
                j.append(&Entry::Status {
                    at: "2026-03-01T10:00:09Z".into(),
                    order_id: order_id(id),
                    status: 5,
                    pending_payment_end_time: None,
                })
                .unwrap();
            })
        });
        group.bench_with_input(BenchmarkId::new("unresolved", n), journal, |b, j| {
            b.iter(|| black_box(j.unresolved().unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("unfinished", n), journal, |b, j| {
            b.iter(|| black_box(j.unfinished().unwrap()))
        });
        let ambiguous = first_of(Kind::Ambiguous, n, 0);
        let candidates = vec![order_id(ambiguous), order_id(ambiguous - 1)];
        let ambiguous = crid(ambiguous);
        group.bench_with_input(BenchmarkId::new("orders_not_from", n), journal, |b, j| {
            b.iter(|| black_box(j.orders_not_from(&ambiguous, &candidates).unwrap()))
        });
        // A completed purchase in the middle of the file.
        let middle = first_of(Kind::Completed, n, n / 2);
        let order = order_id(middle);
        let middle = crid(middle);
        group.bench_with_input(BenchmarkId::new("purchase", n), journal, |b, j| {
            b.iter(|| black_box(j.purchase(&middle).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("purchase_of_order", n), journal, |b, j| {
            b.iter(|| black_box(j.purchase_of_order(&order).unwrap()))
        });
        group.bench_with_input(BenchmarkId::new("recent_20", n), journal, |b, j| {
            b.iter(|| black_box(j.recent(Some(20)).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
