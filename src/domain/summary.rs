//! The facts a person reviews before money is spent, in one place for the
//! CLI's summary and the wizard's review screen.

use super::catalog::{Catalog, Spec, format_gib};
use super::field::{ExtrasName, Field};
use super::order::{Draft, ImageRef};
use super::pricing::{Estimate, EstimateInput, PriceTable};

/// A reviewed order: labelled lines of what was chosen, the spec sheet, and
/// the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub choices: Vec<Choice>,
    pub spec: Option<Spec>,
    pub estimate: Estimate,
}

impl Summary {
    pub fn new(catalog: &Catalog, prices: &PriceTable, draft: &Draft) -> Summary {
        let region = if draft.region.is_empty() {
            "-".to_string()
        } else {
            format!("{} ({})", catalog.region_name(&draft.region), draft.region)
        };
        let image = match &draft.image {
            ImageRef::Unset => "-".to_string(),
            ImageRef::Public { name, version } => format!("{name} {version}"),
            ImageRef::Private { image_id } => {
                let platform = catalog
                    .spec(&draft.plan_spec)
                    .map_or("", |s| s.platform.label());
                format!("private {platform} image {image_id}").replace("  ", " ")
            }
        };
        let extras = if draft.extra_resources.is_empty() {
            "none".to_string()
        } else {
            draft
                .extra_resources
                .iter()
                .map(|e| e.describe())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let tags = if draft.tags.is_empty() {
            "none".to_string()
        } else {
            draft
                .tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        let choice = |field, label, value| Choice {
            field,
            label,
            value,
        };
        let mut choices = vec![
            choice(Field::InstanceName, "Name", draft.instance_name.clone()),
            choice(Field::Region, "Region", region),
            choice(Field::ImageRef(None), "Image", image),
            choice(Field::PlanSpec, "Spec", draft.plan_spec.clone()),
            // The period's type and number read as one: "3 months".
            choice(
                Field::PeriodNum,
                "Period",
                draft.period_type.describe(draft.period_num),
            ),
            choice(
                Field::PurchaseQuantity,
                "Quantity",
                draft.purchase_quantity.to_string(),
            ),
            choice(
                Field::IsAutoRenew,
                "Auto-renew",
                yes_no(draft.is_auto_renew),
            ),
            choice(Field::IsAutoPay, "Auto-pay", yes_no(draft.is_auto_pay)),
            choice(Field::ExtraResources(ExtrasName::Example), "Extras", extras),
            choice(Field::Tags, "Tags", tags),
        ];
        if !draft.description.is_empty() {
            let description = draft.description.clone();
            choices.insert(1, choice(Field::Description, "Description", description));
        }
        let estimate = Estimate::new(
            prices,
            catalog,
            &EstimateInput {
                region: &draft.region,
                plan_spec: &draft.plan_spec,
                period_type: draft.period_type,
                period_num: draft.period_num,
                quantity: draft.purchase_quantity,
                extras: &draft.extra_resources,
            },
        );
        Summary {
            choices,
            spec: catalog.spec(&draft.plan_spec).cloned(),
            estimate,
        }
    }

    /// The spec sheet as labelled values.
    pub fn spec_sheet(&self) -> Vec<(&'static str, String)> {
        match &self.spec {
            None => Vec::new(),
            Some(s) => vec![
                ("vCPUs", s.vcpus.to_string()),
                ("Memory", format!("{} GiB", format_gib(s.memory_gib))),
                ("System disk", format!("{} GiB", s.system_disk_gib)),
                (
                    "Peak bandwidth",
                    format!("{} Mbit/s", s.peak_bandwidth_mbit),
                ),
                ("Data package", format!("{} GB/month", s.data_package_gb)),
            ],
        }
    }

    /// Plain text for a terminal or a log, one fact per line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let width = 16;
        for Choice { label, value, .. } in &self.choices {
            out.push_str(&format!("{label:<width$}{value}\n"));
        }
        for (label, value) in self.spec_sheet() {
            out.push_str(&format!("{label:<width$}{value}\n"));
        }
        let e = &self.estimate;
        out.push_str(&format!(
            "{:<width$}{} per instance per month\n",
            "Estimate",
            e.per_month_text()
        ));
        let total = match e.total {
            Some(total) => format!("{} {total}", e.currency),
            None => "not known".to_string(),
        };
        out.push_str(&format!(
            "{:<width$}{total} for {} x {}\n",
            "Total",
            plural(e.months, "month"),
            plural(e.quantity, "instance")
        ));
        if !e.unpriced.is_empty() {
            out.push_str(&format!(
                "{:<width$}{}\n",
                "Not priced",
                e.unpriced.join(", ")
            ));
        }
        for note in &e.notes {
            out.push_str(&format!("{:<width$}{note}\n", ""));
        }
        out
    }
}

/// One line of what was chosen: the field it shows, labelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub field: Field,
    pub label: &'static str,
    pub value: String,
}

/// "1 month", "3 months".
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}
