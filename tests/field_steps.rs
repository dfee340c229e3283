//! The wizard finds the step of a problem from its typed field: every field
//! of the request body belongs to the step where it is chosen.

mod support;

use std::path::PathBuf;

use flexus::domain::field::{ExtraField, ExtrasName, Field, ImageField, PathPart, TagField};
use flexus::domain::order::Draft;
use flexus::tui::app::{Page, Step};
use support::new_app;

fn key(text: &str) -> PathPart {
    PathPart::Key(text.to_string())
}

#[test]
fn each_field_of_the_body_is_chosen_at_one_step() {
    let steps: Vec<(String, Step)> = Field::BODY
        .into_iter()
        .map(|field| (field.to_string(), Step::of_field(&field)))
        .collect();
    let expected = [
        ("instance_name", Step::Naming),
        ("description", Step::Naming),
        ("plan_spec", Step::Spec),
        ("image_ref", Step::Image),
        ("region", Step::Region),
        ("charging_mode", Step::Period),
        ("period_type", Step::Period),
        ("period_num", Step::Period),
        ("purchase_quantity", Step::Period),
        ("is_auto_renew", Step::Period),
        ("is_auto_pay", Step::Period),
        ("extra_resources", Step::Extras),
        ("tags", Step::Naming),
    ];
    let expected: Vec<(String, Step)> = expected
        .into_iter()
        .map(|(name, step)| (name.to_string(), step))
        .collect();
    assert_eq!(steps, expected);
}

#[test]
fn a_part_of_a_field_is_chosen_where_the_field_is() {
    let cases = [
        (Field::ImageRef(Some(ImageField::ImageId)), Step::Image),
        (Field::ExtraResources(ExtrasName::Table), Step::Extras),
        (
            Field::Extra(ExtrasName::Table, 2, Some(ExtraField::Size)),
            Step::Extras,
        ),
        (Field::Tag(1, Some(TagField::Value)), Step::Naming),
        (Field::ImageRef(None).child(key("os")), Step::Image),
        (
            Field::Tags
                .child(PathPart::Index(0))
                .child(key("k"))
                .child(key("x")),
            Step::Naming,
        ),
        // Nothing the wizard asks for: the review lists it.
        (Field::Plan, Step::Review),
        (Field::Plan.child(key("colour")), Step::Review),
    ];
    for (field, step) in cases {
        assert_eq!(Step::of_field(&field), step, "{field}");
    }
}

#[test]
fn a_plan_opens_at_the_step_of_its_first_problem_even_deep_in_a_list() {
    let text = std::fs::read_to_string("examples/plan.json").unwrap();
    let mut plan: serde_json::Value = serde_json::from_str(&text).unwrap();
    plan["tags"] = serde_json::json!([{"key": "env", "value": "prod", "colour": "red"}]);
    let (draft, problems) = Draft::from_plan_value(&plan);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let mut app = new_app();
    app.load_plan(PathBuf::from("p.json"), draft, problems);
    assert_eq!(app.page, Page::Step(Step::Naming));
}
