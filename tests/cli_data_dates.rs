//! `flexus catalog` says which day the catalog and the price table describe,
//! and warns when the prices are more than a year old.

use std::process::{Command, Output};

use serde_json::Value;

fn flexus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flexus"))
        .env("FLEXUS_LANG", "en")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the flexus binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// The built-in price table with `edit` applied, written into `dir`.
fn prices_file(dir: &tempfile::TempDir, edit: impl FnOnce(&mut Value)) -> String {
    let mut prices: Value = serde_json::from_str(flexus::domain::pricing::EMBEDDED_PRICES).unwrap();
    edit(&mut prices);
    let path = dir.path().join("prices.json");
    std::fs::write(&path, prices.to_string()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_catalog_shows_the_days_of_its_tables() {
    let out = flexus(&["catalog"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.contains("Catalog  as of 2024-11-14"), "{table}");
    assert!(
        table.contains("Prices   recorded 2026-11-26 (USD)"),
        "{table}"
    );
}

#[test]
fn prices_older_than_a_year_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let old = prices_file(&dir, |p| {
        p["recorded_on"] = "2020-01-15".into();
        p["published_on"] = "2019-12-01".into();
    });
    let out = flexus(&["--prices", &old, "catalog"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let warning = text(&out.stderr);
    assert!(
        warning.contains("the price table was recorded on 2020-01-15, more than a year ago"),
        "{warning}"
    );
    assert!(warning.contains("--prices FILE"), "{warning}");
    let table = text(&out.stdout);
    assert!(
        table.contains("recorded 2020-01-15, published 2019-12-01"),
        "{table}"
    );
    // The warning is for people: --json output stays parseable.
    let json = flexus(&["--prices", &old, "catalog", "--json"]);
    assert!(text(&json.stderr).contains("more than a year ago"));
    let catalog: Value = serde_json::from_slice(&json.stdout).expect("JSON on standard output");
    // Scripts read the same dates, and the age, without parsing words.
    assert_eq!(catalog["prices_recorded_on"], "2020-01-15", "{catalog}");
    assert_eq!(catalog["prices_published_on"], "2019-12-01", "{catalog}");
    assert_eq!(catalog["prices_stale"], true, "{catalog}");
}

#[test]
fn fresh_prices_bring_no_warning() {
    let out = flexus(&["catalog"]);
    assert!(
        !text(&out.stderr).contains("Warning"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_table_day_that_is_not_a_day_is_a_mistake_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = prices_file(&dir, |p| p["recorded_on"] = "last spring".into());
    let out = flexus(&["--prices", &bad, "catalog"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("recorded_on: \"last spring\" is not a day like \"2026-11-26\""),
        "{err}"
    );
}

#[test]
fn an_older_catalog_file_without_a_day_still_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut catalog: Value =
        serde_json::from_str(flexus::domain::catalog::EMBEDDED_CATALOG).unwrap();
    catalog.as_object_mut().unwrap().remove("updated_on");
    let path = dir.path().join("catalog.json");
    std::fs::write(&path, catalog.to_string()).unwrap();
    let out = flexus(&["--catalog", path.to_str().unwrap(), "catalog"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Catalog  undated"));
}
