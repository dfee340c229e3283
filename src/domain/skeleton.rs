//! `flexus order --skeleton`: an example plan with every field of the
//! request body, each with a value that passes the plan's checks against the
//! built-in catalog, for a script to start from and edit.

use serde_json::{Map, Value, json};

use super::field::Field;
use super::order::CHARGING_MODE;

/// Every field of [`Field::BODY`] with its example value: a field added to
/// the body cannot be left out here. Keys are in JSON's sorted order; the
/// request body made from it has the document's.
pub fn skeleton_plan() -> Value {
    let fields: Map<String, Value> = Field::BODY
        .iter()
        .map(|field| (field.to_string(), placeholder(field)))
        .collect();
    Value::Object(fields)
}

/// An example value of one top-level field of the body.
fn placeholder(field: &Field) -> Value {
    match field {
        Field::InstanceName => json!("web-01"),
        Field::Description => json!("what the instance is for"),
        Field::PlanSpec => json!("hf.large.1.30m.linux"),
        // A public image by name and version; a private one is
        // {"image_id": "..."} instead (`flexus order --help`).
        Field::ImageRef(_) => json!({"image_name": "Ubuntu", "image_version": "22.04"}),
        Field::Region => json!("ap-southeast-3"),
        Field::ChargingMode => json!(CHARGING_MODE),
        Field::PeriodType => json!("month"),
        Field::PeriodNum => json!(1),
        Field::PurchaseQuantity => json!(1),
        Field::IsAutoRenew => json!(false),
        Field::IsAutoPay => json!(false),
        Field::ExtraResources(_) | Field::Extra(..) => {
            json!([{"type": "evs", "size": 20}, {"type": "hss"}])
        }
        Field::Tags | Field::Tag(..) => json!([{"key": "env", "value": "prod"}]),
        Field::Plan | Field::Unknown(_) | Field::Beneath(..) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::Catalog;
    use crate::domain::order::Draft;

    #[test]
    fn the_skeleton_names_every_body_field_and_passes_the_checks() {
        let plan = skeleton_plan();
        let mut keys: Vec<&str> = plan
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut body: Vec<String> = Field::BODY.iter().map(Field::to_string).collect();
        keys.sort_unstable();
        body.sort_unstable();
        assert_eq!(keys, body);
        assert!(plan.as_object().unwrap().values().all(|v| !v.is_null()));
        let (_, problems) = Draft::from_plan_checked(&plan.to_string(), &Catalog::embedded());
        assert!(problems.is_empty(), "{problems:?}");
    }
}
