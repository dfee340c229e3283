//! The wizard's form steps asked as plain questions: region, image (with
//! its version, or a private image), spec, period, extras, name and tags.
//! Every option and every rule comes from `domain`, as the wizard's do;
//! each step starts from what the order holds, so asking a step again
//! keeps every answer that still fits (Enter takes it).

use crate::domain::catalog::{Catalog, ImageSelection, Platform};
use crate::domain::order::{
    Draft, EXTRA_SIZE_GIB_RANGE, Extra, ExtraKind, ImageRef, PeriodType, Tag, check_description,
    check_extra_size, check_instance_name, check_period, check_quantity, check_tag_key,
    check_tag_value,
};
use crate::domain::pricing::PriceTable;
use crate::tui::app::Step;

use super::ask::{Asked, Asker, Opt, default_among};

/// The order being asked for: the draft, and the operating system of a
/// private image (the draft leaves it to the spec).
#[derive(Debug, Clone, Default)]
pub(super) struct Order {
    pub draft: Draft,
    pub private_platform: Option<Platform>,
}

impl Order {
    /// What the catalog checks specs against, once an image is chosen.
    fn selection(&self) -> Option<ImageSelection> {
        match &self.draft.image {
            ImageRef::Unset => None,
            ImageRef::Public { name, version } => Some(ImageSelection::Public {
                name: name.clone(),
                version: version.clone(),
            }),
            ImageRef::Private { .. } => Some(ImageSelection::Private {
                platform: self.private_platform?,
            }),
        }
    }
}

/// What the steps read besides the order.
pub(super) struct Offer<'a> {
    pub catalog: &'a Catalog,
    pub prices: &'a PriceTable,
    /// The profile's region, offered first until one is chosen.
    pub profile_region: Option<&'a str>,
}

/// Asks one form step, changing `order`.
pub(super) fn ask_step(step: Step, ask: &mut Asker, offer: &Offer, order: &mut Order) -> Asked<()> {
    ask.say("")?;
    ask.say(&tr!(
        "line.step",
        number = step.number(),
        count = Step::COUNT,
        title = crate::tui::screens::page_name(crate::tui::app::Page::Step(step))
    ))?;
    match step {
        Step::Region => region(ask, offer, order),
        Step::Image => image(ask, offer, order),
        Step::Spec => spec(ask, offer, order),
        Step::Period => period(ask, order),
        Step::Extras => extras(ask, order),
        Step::Naming => naming(ask, order),
        Step::Review => Ok(()),
    }
}

fn region(ask: &mut Asker, offer: &Offer, order: &mut Order) -> Asked<()> {
    let catalog = offer.catalog;
    let opts: Vec<Opt> = catalog
        .regions
        .iter()
        .map(|r| Opt::new(format!("{} ({})", catalog.region_name(&r.code), r.code)))
        .collect();
    let current = Some(order.draft.region.as_str())
        .filter(|r| !r.is_empty())
        .or(offer.profile_region);
    let default = current
        .and_then(|code| catalog.regions.iter().position(|r| r.code == code))
        .or(Some(0));
    let picked = ask.choose(&tr!("line.region.question"), &opts, default)?;
    order.draft.region = catalog.regions[picked].code.clone();
    Ok(())
}

/// One entry of the image question.
enum Entry {
    Application { name: String, version: String },
    Os { name: String },
    Private,
}

fn image(ask: &mut Asker, offer: &Offer, order: &mut Order) -> Asked<()> {
    let catalog = offer.catalog;
    let region = order.draft.region.clone();
    let why_not = |name: &str, version: &str| {
        catalog
            .check_version(&region, name, version)
            .err()
            .map(|r| r.to_string())
    };
    let mut entries = Vec::new();
    let mut opts = Vec::new();
    for app in &catalog.application_images {
        let label = if app.shown_description().is_empty() {
            tr!(
                "line.image.application",
                name = app.name,
                version = app.version
            )
        } else {
            tr!(
                "line.image.application_described",
                name = app.name,
                version = app.version,
                description = app.shown_description()
            )
        };
        opts.push(Opt::unless(label, why_not(&app.name, &app.version)));
        entries.push(Entry::Application {
            name: app.name.clone(),
            version: app.version.clone(),
        });
    }
    for os in &catalog.os_images {
        let reasons: Vec<Option<String>> =
            os.versions.iter().map(|v| why_not(&os.name, v)).collect();
        // An OS family is closed only when none of its versions is sold.
        let closed = reasons
            .iter()
            .all(Option::is_some)
            .then(|| reasons.iter().flatten().next().cloned())
            .flatten();
        let label = tr!(
            "line.image.os",
            name = os.name,
            versions = os.versions.join(", ")
        );
        opts.push(Opt::unless(label, closed));
        entries.push(Entry::Os {
            name: os.name.clone(),
        });
    }
    opts.push(Opt::new(tr!("line.image.private")));
    entries.push(Entry::Private);

    let current = entries
        .iter()
        .position(|entry| match (entry, &order.draft.image) {
            (Entry::Application { name, .. }, ImageRef::Public { name: chosen, .. })
            | (Entry::Os { name }, ImageRef::Public { name: chosen, .. }) => name == chosen,
            (Entry::Private, ImageRef::Private { .. }) => true,
            _ => false,
        });
    let default = default_among(&opts, current, ask.out)?;
    let picked = ask.choose(&tr!("line.image.question"), &opts, default)?;
    match &entries[picked] {
        Entry::Application { name, version } => {
            order.draft.image = ImageRef::Public {
                name: name.clone(),
                version: version.clone(),
            };
        }
        Entry::Os { name } => {
            let versions = catalog.version_choices(&region, name);
            let opts: Vec<Opt> = versions
                .iter()
                .map(|c| {
                    Opt::unless(
                        c.value.clone(),
                        c.unavailable.as_ref().map(|r| r.to_string()),
                    )
                })
                .collect();
            let current = match &order.draft.image {
                ImageRef::Public {
                    name: chosen,
                    version,
                } if chosen == name => versions.iter().position(|c| &c.value == version),
                _ => None,
            };
            let default = default_among(&opts, current, ask.out)?;
            let question = tr!("line.image.version_question", name = name);
            let picked = ask.choose(&question, &opts, default)?;
            order.draft.image = ImageRef::Public {
                name: name.clone(),
                version: versions[picked].value.clone(),
            };
        }
        Entry::Private => private_image(ask, order)?,
    }
    Ok(())
}

fn private_image(ask: &mut Asker, order: &mut Order) -> Asked<()> {
    let current = match &order.draft.image {
        ImageRef::Private { image_id } => Some(image_id.clone()),
        _ => None,
    };
    let prompt = match &current {
        Some(id) => tr!("line.image.private_id_kept", id = id),
        None => tr!("line.image.private_id"),
    };
    let image_id = ask.text(&prompt, |typed| match (typed, &current) {
        ("", Some(id)) => Ok(id.clone()),
        ("", None) => Err(tr!("line.image.private_id_missing")),
        (typed, _) => Ok(typed.to_string()),
    })?;
    let platforms = [Platform::Linux, Platform::Windows];
    let opts: Vec<Opt> = platforms.iter().map(|p| Opt::new(p.label())).collect();
    let default = order
        .private_platform
        .and_then(|p| platforms.iter().position(|q| *q == p))
        .or(Some(0));
    let picked = ask.choose(&tr!("line.image.platform_question"), &opts, default)?;
    order.draft.image = ImageRef::Private { image_id };
    order.private_platform = Some(platforms[picked]);
    Ok(())
}

fn spec(ask: &mut Asker, offer: &Offer, order: &mut Order) -> Asked<()> {
    let Some(selection) = order.selection() else {
        // Not reached: the image step always comes first and always chooses.
        return Ok(());
    };
    let region = order.draft.region.as_str();
    let choices = offer.catalog.spec_choices(region, &selection);
    let opts: Vec<Opt> = choices
        .iter()
        .map(|c| {
            let spec = c.value;
            let about = spec.short_description();
            let label = match offer.prices.monthly_price(region, &spec.code) {
                Some(price) => tr!(
                    "line.spec.option",
                    code = spec.code,
                    about = about,
                    currency = offer.prices.currency,
                    price = price
                ),
                None => tr!("line.spec.option_unpriced", code = spec.code, about = about),
            };
            Opt::unless(label, c.unavailable.as_ref().map(|r| r.to_string()))
        })
        .collect();
    let current = choices
        .iter()
        .position(|c| c.value.code == order.draft.plan_spec);
    let default = default_among(&opts, current, ask.out)?;
    let picked = ask.choose(&tr!("line.spec.question"), &opts, default)?;
    order.draft.plan_spec = choices[picked].value.code.clone();
    Ok(())
}

/// A whole number typed as an answer, or why it is not one.
fn whole_number(typed: &str) -> Result<i64, String> {
    typed
        .parse::<i64>()
        .map_err(|_| tr!("line.not_whole_number", answer = super::ask::echo(typed)))
}

fn period(ask: &mut Asker, order: &mut Order) -> Asked<()> {
    let draft = &mut order.draft;
    let units = [PeriodType::Month, PeriodType::Year];
    let opts = [
        Opt::new(tr!("line.period.months")),
        Opt::new(tr!("line.period.years")),
    ];
    let current = units.iter().position(|u| *u == draft.period_type);
    let picked = ask.choose(&tr!("line.period.unit_question"), &opts, current)?;
    let unit = units[picked];
    if unit != draft.period_type {
        draft.period_type = unit;
        draft.period_num = *unit.range().start();
    }
    let range = unit.range();
    let current = draft.period_num;
    let prompt = match unit {
        PeriodType::Month => tr!(
            "line.period.months_question",
            low = range.start(),
            high = range.end(),
            default = current
        ),
        PeriodType::Year => tr!(
            "line.period.years_question",
            low = range.start(),
            high = range.end(),
            default = current
        ),
    };
    draft.period_num = ask.text(&prompt, |typed| {
        if typed.is_empty() {
            return Ok(current);
        }
        let n = whole_number(typed)?;
        check_period(unit, n).map(|()| n)
    })?;
    let current = draft.purchase_quantity;
    let prompt = tr!("line.period.quantity_question", default = current);
    draft.purchase_quantity = ask.text(&prompt, |typed| {
        if typed.is_empty() {
            return Ok(current);
        }
        let n = whole_number(typed)?;
        check_quantity(n).map(|()| n)
    })?;
    draft.is_auto_renew = ask.yes_no(&tr!("line.period.auto_renew"), draft.is_auto_renew)?;
    draft.is_auto_pay = ask.yes_no(&tr!("line.period.auto_pay"), draft.is_auto_pay)?;
    Ok(())
}

fn extras(ask: &mut Asker, order: &mut Order) -> Asked<()> {
    let draft = &mut order.draft;
    let had = |kind: ExtraKind| {
        draft
            .extra_resources
            .iter()
            .find(|e| e.kind == kind)
            .cloned()
    };
    let mut chosen = Vec::new();
    for kind in ExtraKind::ALL {
        let current = had(kind);
        if !kind.takes_size() {
            let wanted = ask.yes_no(
                &tr!("line.extras.add_question", what = kind.label()),
                current.is_some(),
            )?;
            if wanted {
                chosen.push(Extra { kind, size: None });
            }
            continue;
        }
        let (low, high) = (EXTRA_SIZE_GIB_RANGE.start(), EXTRA_SIZE_GIB_RANGE.end());
        let kept = current.as_ref().and_then(|e| e.size);
        let prompt = match kept {
            Some(size) => tr!(
                "line.extras.size_kept",
                what = kind.label(),
                low = low,
                high = high,
                size = size
            ),
            None => tr!(
                "line.extras.size_none",
                what = kind.label(),
                low = low,
                high = high
            ),
        };
        let size = ask.text(&prompt, |typed| {
            match typed.to_lowercase().as_str() {
                "" => return Ok(kept),
                "0" | "none" | "-" => return Ok(None),
                _ => {}
            }
            let n = whole_number(typed)?;
            check_extra_size(kind, Some(n)).map(|()| Some(n))
        })?;
        if let Some(size) = size {
            chosen.push(Extra {
                kind,
                size: Some(size),
            });
        }
    }
    draft.extra_resources = chosen;
    Ok(())
}

/// A field's refusal with the field it is about, as the wizard's form
/// shows it under the field's label.
fn of_field(field: String, why: String) -> String {
    tr!("line.field.refused", field = field, why = why)
}

fn naming(ask: &mut Asker, order: &mut Order) -> Asked<()> {
    let draft = &mut order.draft;
    let current = draft.instance_name.clone();
    let prompt = if current.is_empty() {
        tr!("line.naming.name")
    } else {
        tr!("line.naming.name_kept", name = current)
    };
    draft.instance_name = ask.text(&prompt, |typed| {
        let name = if typed.is_empty() {
            current.as_str()
        } else {
            typed
        };
        check_instance_name(name)
            .map(|()| name.to_string())
            .map_err(|why| of_field(tr!("line.field.name"), why))
    })?;
    let current = draft.description.clone();
    let prompt = if current.is_empty() {
        tr!("line.naming.description")
    } else {
        tr!("line.naming.description_kept")
    };
    draft.description = ask.text(&prompt, |typed| {
        let text = match typed {
            "" => current.as_str(),
            "-" => "",
            typed => typed,
        };
        check_description(text)
            .map(|()| text.to_string())
            .map_err(|why| of_field(tr!("line.field.description"), why))
    })?;
    if !draft.tags.is_empty() {
        let listed: Vec<String> = draft
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        let keep = ask.yes_no(
            &tr!("line.naming.keep_tags", tags = listed.join(", ")),
            true,
        )?;
        if !keep {
            draft.tags.clear();
        }
    }
    loop {
        let tags = &draft.tags;
        let key = ask.text(&tr!("line.naming.tag_key"), |typed| {
            if typed.is_empty() {
                return Ok(None);
            }
            check_tag_key(typed).map_err(|why| of_field(tr!("line.field.tag_key"), why))?;
            if tags.iter().any(|t| t.key == typed) {
                return Err(tr!("line.naming.tag_key_taken", key = typed));
            }
            Ok(Some(typed.to_string()))
        })?;
        let Some(key) = key else { break };
        let value = ask.text(&tr!("line.naming.tag_value", key = key), |typed| {
            check_tag_value(typed)
                .map(|()| typed.to_string())
                .map_err(|why| of_field(tr!("line.field.tag_value", key = key), why))
        })?;
        draft.tags.push(Tag { key, value });
    }
    Ok(())
}
