//! The request body flexus sends: the document's example goes through
//! unchanged, and each liberty a plan may take (a string period, a missing
//! charging mode, the table's `ExtraResources` spelling) is normalised to the
//! one body the API expects. Mistakes in a plan name their field.

use flexus::domain::catalog::Catalog;
use flexus::domain::field::Field;
use flexus::domain::order::{Draft, Problem, ProblemKind};
use serde_json::{Value, json};

/// "Example Request" of the purchase document, exactly as printed there,
/// including the comma that starts the `extra_resources` line.
const DOCUMENT_EXAMPLE: &str = r#"{
  "instance_name": "test-0620-01",
  "description": "test",
  "plan_spec": "hf.large.1.30m.linux",
  "image_ref": {
    "image_name": "BT",
    "image_version": "6.8.35"
  },
  "region": "ap-southeast-3",
  "charging_mode": "prePaid",
  "period_type": "month",
  "period_num": 1,
  "purchase_quantity": 2,
  "is_auto_renew": true,
  "is_auto_pay": true
  ,"extra_resources": [
    {
      "type": "evs",
      "size": 20
    },
    {
      "type": "cbr",
      "size": 20
    },
    {
      "type": "hss"
    }
  ]
}"#;

fn example() -> Value {
    serde_json::from_str(DOCUMENT_EXAMPLE).expect("the document's example is JSON")
}

/// Reads a plan and renders its body, failing on any problem.
#[track_caller]
fn body_of(plan: &Value) -> Value {
    let (draft, reading) = Draft::from_plan_json(&plan.to_string());
    assert!(reading.is_empty(), "reading problems: {reading:#?}");
    let body = draft
        .request_body(&Catalog::embedded())
        .unwrap_or_else(|problems| panic!("rule problems: {problems:#?}"));
    serde_json::from_str(&body.to_pretty_json()).expect("the body is JSON")
}

/// The example with some fields replaced (`null` removes a field).
fn example_with(changes: Value) -> Value {
    let mut plan = example();
    let object = plan.as_object_mut().unwrap();
    for (field, value) in changes.as_object().unwrap() {
        if value.is_null() {
            object.remove(field);
        } else {
            object.insert(field.clone(), value.clone());
        }
    }
    plan
}

fn reading_problems(text: &str) -> Vec<Problem> {
    Draft::from_plan_json(text).1
}

#[track_caller]
fn problem_about<'p>(problems: &'p [Problem], field: &str) -> &'p Problem {
    problems
        .iter()
        .find(|p| p.field.to_string() == field)
        .unwrap_or_else(|| panic!("no problem about {field} in {problems:#?}"))
}

#[test]
fn the_documents_example_is_sent_exactly_as_printed() {
    let (draft, reading) = Draft::from_plan_json(DOCUMENT_EXAMPLE);
    assert!(reading.is_empty(), "{reading:#?}");
    assert!(draft.problems(&Catalog::embedded()).is_empty());
    assert_eq!(body_of(&example()), example());
}

#[test]
fn the_shipped_example_plan_is_the_documents_example() {
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
            .expect("examples/plan.json exists");
    let shipped: Value = serde_json::from_str(&shipped).expect("examples/plan.json is JSON");
    assert_eq!(shipped, example());
}

#[test]
fn the_body_keeps_the_documents_field_order() {
    let (draft, _) = Draft::from_plan_json(DOCUMENT_EXAMPLE);
    let text = draft
        .request_body(&Catalog::embedded())
        .unwrap()
        .to_pretty_json();
    let positions: Vec<usize> = [
        "\"instance_name\"",
        "\"description\"",
        "\"plan_spec\"",
        "\"image_ref\"",
        "\"region\"",
        "\"charging_mode\"",
        "\"period_type\"",
        "\"period_num\"",
        "\"purchase_quantity\"",
        "\"is_auto_renew\"",
        "\"is_auto_pay\"",
        "\"extra_resources\"",
    ]
    .iter()
    .map(|field| {
        text.find(field)
            .unwrap_or_else(|| panic!("{field} in {text}"))
    })
    .collect();
    assert!(positions.is_sorted(), "{text}");
}

#[test]
fn period_num_is_sent_as_an_integer_even_when_the_plan_gives_text() {
    // Table 2 types period_num as String; the example and real callers send
    // an integer.
    for given in [json!("1"), json!(" 3 "), json!(3)] {
        let body = body_of(&example_with(json!({ "period_num": given })));
        assert!(
            body["period_num"].is_u64(),
            "{given} -> {}",
            body["period_num"]
        );
    }
    let body = body_of(&example_with(json!({"period_num": "7"})));
    assert_eq!(body["period_num"], json!(7));
}

#[test]
fn charging_mode_is_prepaid_even_when_the_plan_leaves_it_out() {
    let body = body_of(&example_with(json!({"charging_mode": null})));
    assert_eq!(body["charging_mode"], json!("prePaid"));
    let problems =
        reading_problems(&example_with(json!({"charging_mode": "postPaid"})).to_string());
    let problem = problem_about(&problems, "charging_mode");
    assert!(problem.message.contains("\"prePaid\""), "{problem}");
    assert!(problem.message.contains("\"postPaid\""), "{problem}");
}

#[test]
fn optional_fields_that_say_nothing_are_left_out() {
    let plan = example_with(json!({
        "description": "",
        "tags": [],
        "extra_resources": [],
    }));
    let body = body_of(&plan);
    let object = body.as_object().unwrap();
    for absent in ["description", "tags", "extra_resources", "ExtraResources"] {
        assert!(!object.contains_key(absent), "{absent} in {body}");
    }
    assert_eq!(
        body["image_ref"],
        json!({"image_name": "BT", "image_version": "6.8.35"})
    );

    let body = body_of(&example_with(
        json!({"description": null, "extra_resources": null}),
    ));
    assert!(!body.as_object().unwrap().contains_key("description"));
    assert!(!body.as_object().unwrap().contains_key("extra_resources"));
}

#[test]
fn null_means_not_given_for_optional_fields() {
    let mut plan = example();
    for field in [
        "description",
        "charging_mode",
        "purchase_quantity",
        "is_auto_renew",
        "is_auto_pay",
        "extra_resources",
        "tags",
    ] {
        plan[field] = Value::Null;
    }
    let body = body_of(&plan);
    assert_eq!(body["purchase_quantity"], json!(1));
    assert_eq!(body["is_auto_pay"], json!(false));
    assert_eq!(body["charging_mode"], json!("prePaid"));
    assert!(!body.as_object().unwrap().contains_key("description"));
}

#[test]
fn tags_are_sent_when_given() {
    let tags = json!([{"key": "env", "value": "prod"}, {"key": "note", "value": ""}]);
    let body = body_of(&example_with(json!({ "tags": tags })));
    assert_eq!(body["tags"], tags);
}

#[test]
fn defaults_fill_the_fields_the_document_makes_optional() {
    let plan = json!({
        "instance_name": "web",
        "plan_spec": "hf.large.1.30m.linux",
        "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
        "region": "ap-southeast-1",
        "period_type": "year",
        "period_num": 1,
    });
    assert_eq!(
        body_of(&plan),
        json!({
            "instance_name": "web",
            "plan_spec": "hf.large.1.30m.linux",
            "image_ref": {"image_name": "Ubuntu", "image_version": "22.04"},
            "region": "ap-southeast-1",
            "charging_mode": "prePaid",
            "period_type": "year",
            "period_num": 1,
            "purchase_quantity": 1,
            "is_auto_renew": false,
            "is_auto_pay": false,
        })
    );
}

#[test]
fn a_private_image_is_sent_by_id_alone() {
    let plan = example_with(json!({
        "image_ref": {"image_id": "3c2b9f0e-8d7a-4b6c-9e5f-1a2b3c4d5e6f"},
        "plan_spec": "hf.large.2.30m.byol",
    }));
    let body = body_of(&plan);
    assert_eq!(
        body["image_ref"],
        json!({"image_id": "3c2b9f0e-8d7a-4b6c-9e5f-1a2b3c4d5e6f"})
    );
    let problems = reading_problems(
        &example_with(json!({
            "image_ref": {"image_id": "x", "image_name": "BT", "image_version": "6.8.35"}
        }))
        .to_string(),
    );
    assert!(
        problem_about(&problems, "image_ref")
            .message
            .contains("not both")
    );
}

#[test]
fn the_tables_spelling_extra_resources_is_accepted() {
    // Table 2 names the field `ExtraResources`; the example sends
    // `extra_resources`. Both read the same; the body always says
    // `extra_resources`.
    let mut plan = example();
    let extras = plan
        .as_object_mut()
        .unwrap()
        .remove("extra_resources")
        .unwrap();
    plan["ExtraResources"] = extras.clone();
    let body = body_of(&plan);
    assert_eq!(body["extra_resources"], extras);
    assert!(!body.as_object().unwrap().contains_key("ExtraResources"));
    assert_eq!(body, example());
}

#[test]
fn both_spellings_at_once_are_refused() {
    let mut plan = example();
    plan["ExtraResources"] = json!([{"type": "hss"}]);
    let problems = reading_problems(&plan.to_string());
    let problem = problem_about(&problems, "ExtraResources");
    assert!(problem.message.contains("once"), "{problem}");
}

#[test]
fn a_mistake_inside_extra_resources_names_the_spelling_used() {
    let mut plan = example();
    plan.as_object_mut().unwrap().remove("extra_resources");
    plan["ExtraResources"] = json!([{"type": "ssd", "size": 20}]);
    let problems = reading_problems(&plan.to_string());
    let problem = problem_about(&problems, "ExtraResources[0].type");
    assert!(
        problem.message.contains("\"ssd\" is not an add-on"),
        "{problem}"
    );
    assert!(problem.message.contains("evs"), "{problem}");
}

#[test]
fn an_unknown_field_is_named_with_the_fields_that_exist() {
    let problems = reading_problems(
        &example_with(json!({"instance_nmae": "x", "image_ref": {"image_name": "BT", "image_version": "6.8.35", "id": "1"}}))
            .to_string(),
    );
    let problem = problem_about(&problems, "instance_nmae");
    assert!(problem.message.contains("not a field"), "{problem}");
    assert!(problem.message.contains("instance_name"), "{problem}");
    let problem = problem_about(&problems, "image_ref.id");
    assert!(problem.message.contains("image_id"), "{problem}");

    let problems = reading_problems(
        &example_with(json!({
            "extra_resources": [{"type": "evs", "size": 20, "iops": 3000}],
            "tags": [{"key": "k", "value": "v", "colour": "red"}],
        }))
        .to_string(),
    );
    assert!(
        problem_about(&problems, "extra_resources[0].iops")
            .message
            .contains("type and size")
    );
    assert!(
        problem_about(&problems, "tags[0].colour")
            .message
            .contains("key and value")
    );
}

#[test]
fn a_wrong_type_names_the_field_and_what_it_must_be() {
    let cases = [
        ("instance_name", json!(42), "must be text, not 42"),
        (
            "purchase_quantity",
            json!("2"),
            "must be a whole number, not \"2\"",
        ),
        ("purchase_quantity", json!(1.5), "must be a whole number"),
        (
            "period_num",
            json!("one"),
            "must be a whole number, not \"one\"",
        ),
        ("period_num", json!(true), "must be a whole number"),
        (
            "period_type",
            json!("week"),
            "\"month\" or \"year\", not \"week\"",
        ),
        (
            "is_auto_pay",
            json!("yes"),
            "must be true or false, not \"yes\"",
        ),
        ("is_auto_renew", json!(1), "must be true or false, not 1"),
        ("extra_resources", json!({"type": "evs"}), "must be a list"),
        ("tags", json!("env=prod"), "must be a list"),
        (
            "image_ref",
            json!("BT 6.8.35"),
            "image_name and image_version",
        ),
    ];
    for (field, value, expected) in cases {
        let problems = reading_problems(&example_with(json!({ field: value })).to_string());
        let problem = problem_about(&problems, field);
        assert!(
            problem.message.contains(expected),
            "{field}={value}: {problem}"
        );
    }
    let nested = [
        (
            json!({"extra_resources": [{"type": "evs", "size": "20"}]}),
            "extra_resources[0].size",
            "whole number of GiB",
        ),
        (
            json!({"extra_resources": [{"size": 20}]}),
            "extra_resources[0].type",
            "evs, cbr or hss",
        ),
        (
            json!({"extra_resources": ["evs"]}),
            "extra_resources[0]",
            "must be an object",
        ),
        (
            json!({"tags": [{"key": "env"}]}),
            "tags[0].value",
            "is missing",
        ),
        (
            json!({"tags": [{"key": 1, "value": "v"}]}),
            "tags[0].key",
            "must be text",
        ),
        (
            json!({"image_ref": {"image_name": "BT", "image_version": 6.8}}),
            "image_ref.image_version",
            "must be text",
        ),
    ];
    for (changes, field, expected) in nested {
        let problems = reading_problems(&example_with(changes.clone()).to_string());
        let problem = problem_about(&problems, field);
        assert!(problem.message.contains(expected), "{changes}: {problem}");
    }
}

#[test]
fn missing_required_fields_are_each_named() {
    let problems = reading_problems("{}");
    let fields: Vec<String> = problems.iter().map(|p| p.field.to_string()).collect();
    assert_eq!(fields, ["period_type", "period_num"]);
    let (draft, _) = Draft::from_plan_json("{}");
    let rules: Vec<String> = draft
        .problems(&Catalog::embedded())
        .into_iter()
        .map(|p| p.field.to_string())
        .collect();
    assert_eq!(rules, ["instance_name", "region", "image_ref", "plan_spec"]);
}

#[test]
fn text_that_is_not_json_says_where_it_broke() {
    for (text, line) in [
        ("{\"instance_name\": \"web\",\n  \"region\": }", "line 2"),
        ("{\"instance_name\": \"web\"", "line 1"),
        ("instance_name = web", "line 1"),
    ] {
        let problems = reading_problems(text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        let problem = &problems[0];
        assert_eq!(problem.field, Field::Plan);
        assert_eq!(problem.kind, ProblemKind::Unreadable);
        assert!(problem.message.contains("is not valid JSON"), "{problem}");
        assert!(problem.message.contains(line), "{problem}");
        // The place is given once, not twice.
        assert_eq!(problem.message.matches("line").count(), 1, "{problem}");
    }
    for empty in ["", " \n"] {
        let problems = reading_problems(empty);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, Field::Plan);
        assert_eq!(problems[0].kind, ProblemKind::Unreadable);
        assert!(
            problems[0].message.starts_with("is empty"),
            "{}",
            problems[0]
        );
    }
    let problems = reading_problems("{\"instance_name\": \"web\"");
    assert!(
        problems[0].message.contains("ends too early"),
        "{}",
        problems[0]
    );
    for not_an_object in ["[]", "\"plan\"", "42", "null"] {
        let problems = reading_problems(not_an_object);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, Field::Plan);
        assert_eq!(problems[0].kind, ProblemKind::Unreadable);
        assert!(
            problems[0].message.contains("JSON object"),
            "{}",
            problems[0]
        );
    }
}

#[test]
fn a_body_reads_back_as_the_draft_it_came_from() {
    let (draft, _) = Draft::from_plan_json(
        &example_with(json!({"tags": [{"key": "env", "value": "prod"}], "period_num": "2"}))
            .to_string(),
    );
    let body = draft.request_body(&Catalog::embedded()).unwrap();
    assert_eq!(body.to_draft(), draft);
}

fn checked(plan: &Value) -> Vec<String> {
    Draft::from_plan_checked(&plan.to_string(), &Catalog::embedded())
        .1
        .into_iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn a_checked_plan_names_list_entries_by_their_place_in_the_plan() {
    // The unreadable first add-on leaves the draft; the second one's size
    // problem must still point at the second entry of the plan.
    let plan = example_with(json!({
        "extra_resources": [{"type": "ssd", "size": 20}, {"type": "evs", "size": 5}],
        "tags": [{"key": 1, "value": "x"}, {"key": "env", "value": "a"}, {"key": "env", "value": "b"}],
    }));
    let problems = checked(&plan);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].starts_with("extra_resources[0].type: \"ssd\" is not an add-on"));
    assert_eq!(problems[1], "tags[0].key: must be text, not 1");
    assert_eq!(
        problems[2],
        "extra_resources[1].size: the EVS data disk must be 10 to 2048 GiB (got 5)"
    );
    assert_eq!(
        problems[3],
        "tags[2].key: \"env\" is used by another tag; tag keys must be unique"
    );

    let mut plan = example();
    plan.as_object_mut().unwrap().remove("extra_resources");
    plan["ExtraResources"] = json!([{"type": "hss", "size": 1}]);
    assert_eq!(
        checked(&plan),
        ["ExtraResources[0].size: HSS host security has no size; leave the size out"]
    );
}

#[test]
fn a_checked_plan_reports_an_unreadable_field_once() {
    let plan = example_with(json!({
        "instance_name": 5,
        "image_ref": {"image_name": "BT", "image_version": 6.8},
        "region": null,
    }));
    assert_eq!(
        checked(&plan),
        [
            "instance_name: must be text, not 5",
            "image_ref.image_version: must be text, not 6.8",
            "region: choose a region",
        ]
    );
    assert_eq!(checked(&example()), Vec::<String>::new());

    // 12 is no mistake if "years" meant months x 12; only the type is wrong.
    assert_eq!(
        checked(&example_with(
            json!({"period_type": "years", "period_num": 12})
        )),
        ["period_type: must be \"month\" or \"year\", not \"years\""]
    );
    let broken = Draft::from_plan_checked("{", &Catalog::embedded()).1;
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].field, Field::Plan);
}
