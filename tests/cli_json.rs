//! `--json` of every command against the sandbox: each output parsed, and
//! its fields and their types compared with the tables of `docs/json.md`,
//! so the documented schema and the printed one cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

mod cli_support;
use cli_support::{EXAMPLE_PLAN, Run, Setup, plan_file};

/// The documented fields of each section of docs/json.md: path to its type.
fn documented() -> BTreeMap<String, BTreeMap<String, String>> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/json.md"))
        .expect("docs/json.md");
    let mut sections = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = Some(heading.trim_matches('`').to_string());
            continue;
        }
        let Some(section) = &current else { continue };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() >= 4 && cells[1].starts_with('`') {
            sections
                .entry(section.clone())
                .or_insert_with(BTreeMap::new)
                .insert(cells[1].trim_matches('`').to_string(), cells[2].to_string());
        }
    }
    sections
}

fn matches_type(value: &Value, documented: &str) -> bool {
    documented.split(" or ").any(|kind| match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        other => panic!("docs/json.md names an unknown type {other:?}"),
    })
}

/// Every field path of `value`, descending only where the doc describes
/// what is inside (a request body is one `object`).
fn paths(
    value: &Value,
    prefix: &str,
    doc: &BTreeMap<String, String>,
    found: &mut Vec<(String, Value)>,
) {
    let described_inside = |path: &str| {
        doc.keys()
            .any(|k| k.starts_with(&format!("{path}.")) || k.starts_with(&format!("{path}[].")))
    };
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                found.push((path.clone(), inner.clone()));
                if described_inside(&path) {
                    paths(inner, &path, doc, found);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                paths(item, &format!("{prefix}[]"), doc, found);
            }
        }
        _ => {}
    }
}

/// `value` has exactly the fields the section documents (`error` only on
/// failure, an array's entry fields only when it has entries), each of its
/// documented type.
fn assert_schema(section: &str, value: &Value) {
    let sections = documented();
    let mut doc = sections
        .get(section)
        .unwrap_or_else(|| panic!("docs/json.md has no section {section:?}"))
        .clone();
    if doc.contains_key("error") || value.get("error").is_some() {
        doc.extend(sections["Errors"].clone());
    }
    if value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.contains_key("error"))
    {
        doc = sections["Errors"].clone();
    }
    let mut found = Vec::new();
    paths(value, "", &doc, &mut found);
    let found_paths: BTreeSet<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    for (path, inner) in &found {
        let kind = doc.get(path).unwrap_or_else(|| {
            panic!("{section}: `{path}` is printed but not documented: {value}")
        });
        assert!(
            matches_type(inner, kind),
            "{section}: `{path}` is {inner}, documented as {kind}"
        );
    }
    for path in doc.keys() {
        let optional = path.starts_with("error")
            || path.contains("[]")
                && !found_paths
                    .iter()
                    .any(|p| p.starts_with(&path[..path.rfind("[]").unwrap() + 2]));
        assert!(
            optional || found_paths.contains(path.as_str()),
            "{section}: `{path}` is documented but not printed: {value}"
        );
    }
}

/// Standard output as exactly one JSON object.
fn one_object(run: &Run) -> Value {
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stdout: {}", run.all());
    serde_json::from_str(lines[0]).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn assert_error(value: &Value, exit: i32) {
    assert_schema("Errors", &serde_json::json!({"error": value["error"]}));
    assert_eq!(value["error"]["exit"], exit, "{value}");
    assert!(!value["error"]["message"].as_str().unwrap().is_empty());
}

fn is_utc(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|t| t.ends_with('Z') && t.parse::<jiff::Timestamp>().is_ok())
}

#[test]
fn every_command_has_a_documented_schema() {
    let sections = documented();
    for section in [
        "Errors",
        "flexus order --json",
        "flexus order --dry-run --json",
        "flexus resend --json",
        "flexus pay --json",
        "flexus cancel --json",
        "flexus status --json",
        "flexus orders --json",
        "flexus claim --json",
        "flexus dismiss --json",
        "flexus abandon --json",
        "flexus catalog --json",
    ] {
        assert!(
            !sections.get(section).is_none_or(|s| s.is_empty()),
            "{section}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_waiting_for_payment_then_paid_and_a_refused_cancel() {
    let s = Setup::new(&[]).await;
    let plan = plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let plan = plan.to_str().unwrap();

    let run = s.run(&["order", "--plan", plan, "--yes", "--json"]).await;
    assert_eq!(run.code, 4, "{}", run.all());
    let placed = one_object(&run);
    assert_schema("flexus order --json", &placed);
    let order_id = s.sandbox.created_orders()[0].order_id.clone();
    assert_eq!(placed["order_id"], order_id.as_str());
    assert_eq!(placed["state"], "pending_payment");
    assert_eq!(placed["status"], 6);
    assert!(placed["amount"].is_number(), "{placed}");
    assert!(placed["client_request_id"].is_string(), "{placed}");
    assert_error(&placed, 4);
    assert!(
        run.stderr.contains("Submitting the order"),
        "progress on stderr: {}",
        run.stderr
    );

    let status = one_object(&s.run(&["status", &order_id, "--json"]).await);
    assert_schema("flexus status --json", &status);
    assert_eq!(status["state"], "pending_payment");
    assert!(is_utc(&status["pay_before"]), "{status}");
    assert!(is_utc(&status["created_at"]), "{status}");

    let orders = one_object(&s.run(&["orders", "--json"]).await);
    assert_schema("flexus orders --json", &orders);
    assert_eq!(orders["client_request_id"], placed["client_request_id"]);
    assert_eq!(orders["state"], "pending_payment");
    assert!(is_utc(&orders["sent_at"]), "{orders}");

    let paid = s.run(&["pay", &order_id, "--yes", "--json"]).await;
    assert_eq!(paid.code, 0, "{}", paid.all());
    let paid = one_object(&paid);
    assert_schema("flexus pay --json", &paid);
    assert_eq!(paid["state"], "completed");
    assert_eq!(paid["client_request_id"], placed["client_request_id"]);
    assert!(paid.get("error").is_none(), "{paid}");

    let cancel = s.run(&["cancel", &order_id, "--yes", "--json"]).await;
    assert_eq!(cancel.code, 1, "{}", cancel.all());
    let refused = one_object(&cancel);
    assert_schema("flexus cancel --json", &refused);
    assert_eq!(refused["state"], "completed");
    assert_error(&refused, 1);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not pending payment"),
        "{refused}"
    );

    let watch = s.run(&["status", &order_id, "--watch", "--json"]).await;
    assert_eq!(watch.code, 0, "{}", watch.all());
    let last: Value = serde_json::from_str(watch.stdout.lines().last().unwrap()).unwrap();
    assert_schema("flexus status --json", &last);
    assert_eq!(last["state"], "completed");
    assert!(is_utc(&last["paid_at"]), "{last}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_completed_order_and_a_cancelled_one() {
    let s = Setup::new(&[]).await;
    let run = s
        .run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--json"])
        .await;
    assert_eq!(run.code, 0, "{}", run.all());
    let done = one_object(&run);
    assert_schema("flexus order --json", &done);
    assert_eq!(done["state"], "completed");
    assert!(done.get("error").is_none(), "{done}");
    assert!(
        !done["instance_ids"].as_array().unwrap().is_empty(),
        "{done}"
    );

    let plan = plan_file(s.home.path(), |p| p["is_auto_pay"] = false.into());
    let pending = s
        .run(&["order", "--plan", plan.to_str().unwrap(), "--yes", "--json"])
        .await;
    let order_id = one_object(&pending)["order_id"]
        .as_str()
        .unwrap()
        .to_string();
    let cancel = s.run(&["cancel", &order_id, "--yes", "--json"]).await;
    assert_eq!(cancel.code, 0, "{}", cancel.all());
    let cancelled = one_object(&cancel);
    assert_schema("flexus cancel --json", &cancelled);
    assert_eq!(cancelled["state"], "cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_are_error_objects_on_stdout() {
    let s = Setup::new(&[]).await;
    let unknown = s.run(&["status", "CS00000000000NOPE", "--json"]).await;
    assert_eq!(unknown.code, 1, "{}", unknown.all());
    let error = one_object(&unknown);
    assert_error(&error, 1);
    assert!(error["error"]["next_step"].is_string(), "{error}");
    assert!(
        unknown.stderr.contains("Check the order ID"),
        "{}",
        unknown.stderr
    );

    let bad_id = s.run(&["pay", "../pay", "--json"]).await;
    assert_eq!(bad_id.code, 2, "{}", bad_id.all());
    assert_error(&one_object(&bad_id), 2);

    let no_purchase = s
        .run(&[
            "claim",
            "00000000-0000-4000-8000-000000000000",
            "CS24022811305H1EW",
            "--json",
        ])
        .await;
    assert_eq!(no_purchase.code, 2, "{}", no_purchase.all());
    assert_error(&one_object(&no_purchase), 2);

    let catalog = s.run(&["catalog", "--json", "--region", "nowhere"]).await;
    assert_eq!(catalog.code, 2, "{}", catalog.all());
    assert_error(&one_object(&catalog), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_gives_the_body_or_every_problem() {
    let s = Setup::new(&[]).await;
    let good = s
        .run(&["order", "--plan", EXAMPLE_PLAN, "--dry-run", "--json"])
        .await;
    assert_eq!(good.code, 0, "{}", good.all());
    let checked = one_object(&good);
    assert_schema("flexus order --dry-run --json", &checked);
    assert_eq!(checked["valid"], true);
    assert_eq!(checked["body"]["region"], "ap-southeast-3");

    let plan = plan_file(s.home.path(), |p| {
        p["purchase_quantity"] = 0.into();
        p["instance_name"] = "".into();
    });
    let bad = s
        .run(&[
            "order",
            "--plan",
            plan.to_str().unwrap(),
            "--dry-run",
            "--json",
        ])
        .await;
    assert_eq!(bad.code, 2, "{}", bad.all());
    let refused = one_object(&bad);
    assert_schema("flexus order --dry-run --json", &refused);
    assert_eq!(refused["valid"], false);
    assert!(refused["body"].is_null());
    let fields: BTreeSet<&str> = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["instance_name", "purchase_quantity"]),
        "{refused}"
    );
    assert_error(&refused, 2);
    assert!(s.sandbox.created_orders().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_then_dismiss_and_resend() {
    let s = Setup::new(&["drop@create"]).await;
    let lost = s
        .run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--json"])
        .await;
    assert_eq!(lost.code, 3, "{}", lost.all());
    let unknown = one_object(&lost);
    assert_schema("flexus order --json", &unknown);
    assert!(unknown["order_id"].is_null(), "{unknown}");
    assert_error(&unknown, 3);
    let crid = unknown["client_request_id"].as_str().unwrap().to_string();
    let found = s.sandbox.created_orders()[0].order_id.clone();

    let orders = one_object(&s.run(&["orders", "--json"]).await);
    assert_eq!(orders["state"], "unknown_outcome");
    assert_eq!(orders["found"][0], found.as_str());

    let dismiss = s.run(&["dismiss", &crid, &found, "--json"]).await;
    assert_eq!(dismiss.code, 0, "{}", dismiss.all());
    let dismissed = one_object(&dismiss);
    assert_schema("flexus dismiss --json", &dismissed);
    assert_eq!(dismissed["recorded"], "dismissed");
    assert_eq!(dismissed["candidates_left"], 0);

    let resend = s.run(&["resend", &crid, "--yes", "--json"]).await;
    let resent = one_object(&resend);
    assert_schema("flexus resend --json", &resent);
    assert_eq!(resent["client_request_id"], crid.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_claimed_then_settled() {
    let s = Setup::new(&["drop@create"]).await;
    let lost = one_object(
        &s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--json"])
            .await,
    );
    let crid = lost["client_request_id"].as_str().unwrap().to_string();
    let found = s.sandbox.created_orders()[0].order_id.clone();
    let claim = s.run(&["claim", &crid, &found, "--json"]).await;
    assert_eq!(claim.code, 0, "{}", claim.all());
    let claimed = one_object(&claim);
    assert_schema("flexus claim --json", &claimed);
    assert_eq!(claimed["recorded"], "claimed");
    assert_eq!(claimed["order_id"], found.as_str());

    let settled = s.run(&["abandon", &crid, "--yes", "--json"]).await;
    assert_eq!(settled.code, 2, "{}", settled.all());
    assert_error(&one_object(&settled), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_abandoned() {
    let s = Setup::new(&["drop@create"]).await;
    let lost = one_object(
        &s.run(&["order", "--plan", EXAMPLE_PLAN, "--yes", "--json"])
            .await,
    );
    let other_id = lost["client_request_id"].as_str().unwrap();
    let abandon = s.run(&["abandon", other_id, "--yes", "--json"]).await;
    assert_eq!(abandon.code, 0, "{}", abandon.all());
    let abandoned = one_object(&abandon);
    assert_schema("flexus abandon --json", &abandoned);
    assert_eq!(abandoned["recorded"], "nothing_placed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_rows_match_their_schema() {
    let s = Setup::new(&[]).await;
    let run = s.run(&["catalog", "--json"]).await;
    assert_eq!(run.code, 0, "{}", run.all());
    let catalog = one_object(&run);
    assert!(!catalog["offerings"].as_array().unwrap().is_empty());
    assert_schema("flexus catalog --json", &catalog);
    // The dates are the tables' own, as the text listing shows them.
    let listed = s.run(&["catalog"]).await.stdout;
    let recorded = catalog["prices_recorded_on"].as_str().unwrap();
    assert!(listed.contains(&format!("recorded {recorded}")), "{listed}");
    let updated = catalog["catalog_updated_on"].as_str().unwrap();
    assert!(listed.contains(&format!("as of {updated}")), "{listed}");
}
