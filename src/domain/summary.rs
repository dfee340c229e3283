//! The facts a person reviews before money is spent, in one place for the
//! CLI's summary and the wizard's review screen.

use super::catalog::{Catalog, Spec, format_gib};
use super::field::{ExtrasName, Field};
use super::order::{Draft, ImageRef};
use super::pricing::{Estimate, EstimateInput, PriceTable};
use unicode_width::UnicodeWidthStr;

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
                let platform = catalog.spec(&draft.plan_spec).map(|s| s.platform.label());
                match platform {
                    Some(platform) => tr!(
                        "core.summary.private_image_of",
                        platform = platform,
                        id = image_id
                    ),
                    None => tr!("core.summary.private_image", id = image_id),
                }
            }
        };
        let extras = if draft.extra_resources.is_empty() {
            tr!("core.summary.none")
        } else {
            draft
                .extra_resources
                .iter()
                .map(|e| e.describe())
                .collect::<Vec<_>>()
                .join(&tr!("core.list.separator"))
        };
        let tags = if draft.tags.is_empty() {
            tr!("core.summary.none")
        } else {
            draft
                .tags
                .iter()
                .map(|t| format!("{}={}", t.key, t.value))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let yes_no = |b: bool| {
            if b {
                tr!("core.summary.yes")
            } else {
                tr!("core.summary.no")
            }
        };
        let choice = |field, label, value| Choice {
            field,
            label,
            value,
        };
        let mut choices = vec![
            choice(
                Field::InstanceName,
                tr!("core.summary.name"),
                draft.instance_name.clone(),
            ),
            choice(Field::Region, tr!("core.summary.region"), region),
            choice(Field::ImageRef(None), tr!("core.summary.image"), image),
            choice(
                Field::PlanSpec,
                tr!("core.summary.spec"),
                draft.plan_spec.clone(),
            ),
            // The period's type and number read as one: "3 months".
            choice(
                Field::PeriodNum,
                tr!("core.summary.period"),
                draft.period_type.describe(draft.period_num),
            ),
            choice(
                Field::PurchaseQuantity,
                tr!("core.summary.quantity"),
                draft.purchase_quantity.to_string(),
            ),
            choice(
                Field::IsAutoRenew,
                tr!("core.summary.auto_renew"),
                yes_no(draft.is_auto_renew),
            ),
            choice(
                Field::IsAutoPay,
                tr!("core.summary.auto_pay"),
                yes_no(draft.is_auto_pay),
            ),
            choice(
                Field::ExtraResources(ExtrasName::Example),
                tr!("core.summary.extras"),
                extras,
            ),
            choice(Field::Tags, tr!("core.summary.tags"), tags),
        ];
        if !draft.description.is_empty() {
            let description = draft.description.clone();
            let label = tr!("core.summary.description");
            choices.insert(1, choice(Field::Description, label, description));
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
    pub fn spec_sheet(&self) -> Vec<(String, String)> {
        match &self.spec {
            None => Vec::new(),
            Some(s) => vec![
                (tr!("core.summary.vcpus"), s.vcpus.to_string()),
                (
                    tr!("core.summary.memory"),
                    format!("{} GiB", format_gib(s.memory_gib)),
                ),
                (
                    tr!("core.summary.system_disk"),
                    format!("{} GiB", s.system_disk_gib),
                ),
                (
                    tr!("core.summary.peak_bandwidth"),
                    format!("{} Mbit/s", s.peak_bandwidth_mbit),
                ),
                (
                    tr!("core.summary.data_package"),
                    tr!("core.summary.data_package_gb", gb = s.data_package_gb),
                ),
            ],
        }
    }

    /// Plain text for a terminal or a log, one fact per line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut line = |label: &str, value: &str| {
            // Padded by columns on screen: a Chinese label takes two a character.
            let room = 16usize.saturating_sub(label.width());
            out.push_str(&format!("{label}{}{value}\n", " ".repeat(room)));
        };
        for Choice { label, value, .. } in &self.choices {
            line(label, value);
        }
        for (label, value) in self.spec_sheet() {
            line(&label, &value);
        }
        let e = &self.estimate;
        line(
            &tr!("core.summary.estimate"),
            &tr!(
                "core.summary.per_instance_month",
                price = e.per_month_text()
            ),
        );
        let total = match e.total {
            Some(total) => format!("{} {total}", e.currency),
            None => tr!("core.summary.not_known"),
        };
        line(
            &tr!("core.summary.total"),
            &tr!(
                "core.summary.total_for",
                total = total,
                months = months(e.months),
                instances = instances(e.quantity)
            ),
        );
        if !e.unpriced.is_empty() {
            line(
                &tr!("core.summary.not_priced"),
                &e.unpriced.join(&tr!("core.list.separator")),
            );
        }
        for note in &e.notes {
            line("", note);
        }
        out
    }
}

/// One line of what was chosen: the field it shows, labelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub field: Field,
    pub label: String,
    pub value: String,
}

/// "1 month", "3 months" in the reader's language.
pub fn months(n: i64) -> String {
    super::order::PeriodType::Month.describe(n)
}

/// "1 instance", "2 instances" in the reader's language.
pub fn instances(n: i64) -> String {
    if n == 1 {
        tr!("core.count.instance.one")
    } else {
        tr!("core.count.instance.other", n = n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::PeriodType;
    use crate::lang::{Lang, in_language};

    fn draft() -> Draft {
        Draft {
            instance_name: "web-1".into(),
            plan_spec: "hf.large.1.30m.linux".into(),
            image: ImageRef::Public {
                name: "BT".into(),
                version: "6.8.35".into(),
            },
            region: "ap-southeast-1".into(),
            period_type: PeriodType::Month,
            period_num: 3,
            purchase_quantity: 2,
            ..Draft::default()
        }
    }

    #[test]
    fn the_chinese_summary_names_the_region_in_chinese_and_keeps_its_values_in_one_column() {
        let (catalog, prices) = (Catalog::embedded(), PriceTable::embedded());
        let text = in_language(Lang::Zh, || {
            Summary::new(&catalog, &prices, &draft()).to_text()
        });
        assert!(
            text.contains("区域            中国-香港 (ap-southeast-1)\n"),
            "{text}"
        );
        assert!(text.contains("购买时长        3个月\n"), "{text}");
        assert!(text.contains("× 2个实例\n"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with(' ')) {
            let label: String = line.chars().take_while(|c| *c != ' ').collect();
            let rest = &line[label.len()..];
            let padding = rest.len() - rest.trim_start().len();
            assert_eq!(label.width() + padding, 16, "{line}");
        }
        let english = Summary::new(&catalog, &prices, &draft()).to_text();
        assert!(
            english.contains("Region          CN-Hong Kong (ap-southeast-1)\n"),
            "{english}"
        );
        assert!(
            english.contains("for 3 months x 2 instances\n"),
            "{english}"
        );
    }
}
