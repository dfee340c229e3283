//! The order: a draft holding every field of the purchase request body, the
//! document's rules for each field, and the exact body to send.
//!
//! A plan file is a request body in JSON. It is read leniently (every problem
//! is collected, none stops the reading) so that a user fixing a plan sees
//! all mistakes at once.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::catalog::{Catalog, ImageSelection};
use super::field::{ExtraField, ExtrasName, Field, ImageField, PathPart, TagField};

pub const NAME_MAX_CHARS: usize = 128;
pub const DESCRIPTION_MAX_CHARS: usize = 1024;
pub const QUANTITY_RANGE: std::ops::RangeInclusive<i64> = 1..=200;
pub const MONTHS_RANGE: std::ops::RangeInclusive<i64> = 1..=9;
pub const YEARS_RANGE: std::ops::RangeInclusive<i64> = 1..=3;
pub const EXTRA_SIZE_GIB_RANGE: std::ops::RangeInclusive<i64> = 10..=2048;
pub const TAG_KEY_MAX_CHARS: usize = 32;
pub const TAG_VALUE_MAX_CHARS: usize = 2048;

/// The only billing mode the purchase API offers.
pub const CHARGING_MODE: &str = "prePaid";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PeriodType {
    #[default]
    Month,
    Year,
}

impl PeriodType {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodType::Month => "month",
            PeriodType::Year => "year",
        }
    }

    pub fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            PeriodType::Month => MONTHS_RANGE,
            PeriodType::Year => YEARS_RANGE,
        }
    }

    pub fn months(self, num: i64) -> i64 {
        match self {
            PeriodType::Month => num,
            PeriodType::Year => num * 12,
        }
    }

    /// "3 months", "1 year".
    pub fn describe(self, num: i64) -> String {
        match (self, num) {
            (PeriodType::Month, 1) => tr!("core.period.month.one"),
            (PeriodType::Month, _) => tr!("core.period.month.other", num = num),
            (PeriodType::Year, 1) => tr!("core.period.year.one"),
            (PeriodType::Year, _) => tr!("core.period.year.other", num = num),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtraKind {
    Evs,
    Cbr,
    Hss,
}

impl ExtraKind {
    pub const ALL: [ExtraKind; 3] = [ExtraKind::Evs, ExtraKind::Cbr, ExtraKind::Hss];

    pub fn code(self) -> &'static str {
        match self {
            ExtraKind::Evs => "evs",
            ExtraKind::Cbr => "cbr",
            ExtraKind::Hss => "hss",
        }
    }

    pub fn label(self) -> String {
        match self {
            ExtraKind::Evs => tr!("core.extra.evs"),
            ExtraKind::Cbr => tr!("core.extra.cbr"),
            ExtraKind::Hss => tr!("core.extra.hss"),
        }
    }

    /// EVS and CBR are sized in GiB; HSS has no size.
    pub fn takes_size(self) -> bool {
        !matches!(self, ExtraKind::Hss)
    }

    fn from_code(code: &str) -> Option<ExtraKind> {
        ExtraKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    #[serde(rename = "type")]
    pub kind: ExtraKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
}

impl Extra {
    pub fn describe(&self) -> String {
        match self.size {
            Some(size) if self.kind.takes_size() => format!("{} {size} GiB", self.kind.label()),
            _ => self.kind.label(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// The image part of an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ImageRef {
    #[default]
    Unset,
    Public {
        name: String,
        version: String,
    },
    Private {
        image_id: String,
    },
}

/// Everything a user can choose for one purchase request, valid or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub instance_name: String,
    pub description: String,
    pub plan_spec: String,
    pub image: ImageRef,
    pub region: String,
    pub period_type: PeriodType,
    pub period_num: i64,
    pub purchase_quantity: i64,
    pub is_auto_renew: bool,
    pub is_auto_pay: bool,
    pub extra_resources: Vec<Extra>,
    pub tags: Vec<Tag>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            instance_name: String::new(),
            description: String::new(),
            plan_spec: String::new(),
            image: ImageRef::Unset,
            region: String::new(),
            period_type: PeriodType::Month,
            period_num: 1,
            purchase_quantity: 1,
            is_auto_renew: false,
            is_auto_pay: false,
            extra_resources: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// One thing wrong with an order, naming the field as the request body does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: Field,
    pub kind: ProblemKind,
    pub message: String,
}

/// What a problem stops: the one field, or the reading of the whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A field breaks a rule of the document: its name, its type or its
    /// value. The rest of the plan is still read.
    Rule,
    /// The plan's text is empty, not JSON, or not an object: nothing in it
    /// could be read. Its field is [`Field::Plan`].
    Unreadable,
    /// A key given twice in one object: the plan says two things, so none
    /// of it is read (the draft is empty).
    DuplicateKey,
}

impl Problem {
    fn new(field: Field, message: impl Into<String>) -> Self {
        Problem {
            field,
            kind: ProblemKind::Rule,
            message: message.into(),
        }
    }

    fn unreadable(message: impl Into<String>) -> Self {
        Problem {
            field: Field::Plan,
            kind: ProblemKind::Unreadable,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

// Each rule of the document, once. The wizard calls these as the user types;
// `Draft::problems` calls them all.

fn chars(text: &str) -> usize {
    text.chars().count()
}

pub fn check_instance_name(name: &str) -> Result<(), String> {
    let len = chars(name);
    if len == 0 {
        return Err(tr!("core.order.name_missing", limit = NAME_MAX_CHARS));
    }
    if len > NAME_MAX_CHARS {
        return Err(tr!(
            "core.order.too_long",
            len = len,
            limit = NAME_MAX_CHARS
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(tr!("core.order.name_bad_char", char = describe_char(bad)));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(tr!("core.order.name_first_char"));
    }
    Ok(())
}

/// A character named so that printing the name is safe whatever it is:
/// control, invisible and direction-changing characters by code point.
pub fn describe_char(c: char) -> String {
    match c {
        ' ' => tr!("core.char.space"),
        c if c.is_control() => tr!("core.char.control", code = format!("U+{:04X}", c as u32)),
        // Invisible and direction-changing characters are named, never shown.
        c if c.is_whitespace() || is_invisible(c) => {
            tr!("core.char.invisible", code = format!("U+{:04X}", c as u32))
        }
        c => tr!("core.char.shown", char = c),
    }
}

/// Format characters that change how text around them looks (direction
/// overrides, zero-width characters, tags) without showing themselves.
fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x061C | 0x180E | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
        | 0xFE00..=0xFE0F | 0xFEFF | 0xFFF9..=0xFFFB | 0xE0000..=0xE0FFF)
}

pub fn check_description(description: &str) -> Result<(), String> {
    let len = chars(description);
    if len > DESCRIPTION_MAX_CHARS {
        return Err(tr!(
            "core.order.too_long",
            len = len,
            limit = DESCRIPTION_MAX_CHARS
        ));
    }
    Ok(())
}

pub fn check_quantity(quantity: i64) -> Result<(), String> {
    if QUANTITY_RANGE.contains(&quantity) {
        Ok(())
    } else {
        Err(tr!(
            "core.order.quantity",
            min = QUANTITY_RANGE.start(),
            max = QUANTITY_RANGE.end(),
            got = quantity
        ))
    }
}

pub fn check_period(period_type: PeriodType, num: i64) -> Result<(), String> {
    let range = period_type.range();
    if range.contains(&num) {
        Ok(())
    } else {
        let (min, max) = (range.start(), range.end());
        Err(match period_type {
            PeriodType::Month => tr!("core.order.period.month", min = min, max = max, got = num),
            PeriodType::Year => tr!("core.order.period.year", min = min, max = max, got = num),
        })
    }
}

pub fn check_extra_size(kind: ExtraKind, size: Option<i64>) -> Result<(), String> {
    match (kind.takes_size(), size) {
        (false, None) => Ok(()),
        (false, Some(_)) => Err(tr!("core.order.extra.no_size", extra = kind.label())),
        (true, None) => Err(tr!(
            "core.order.extra.size_missing",
            extra = kind.label(),
            min = EXTRA_SIZE_GIB_RANGE.start(),
            max = EXTRA_SIZE_GIB_RANGE.end()
        )),
        (true, Some(size)) if EXTRA_SIZE_GIB_RANGE.contains(&size) => Ok(()),
        (true, Some(size)) => Err(tr!(
            "core.order.extra.size_range",
            extra = kind.label(),
            min = EXTRA_SIZE_GIB_RANGE.start(),
            max = EXTRA_SIZE_GIB_RANGE.end(),
            got = size
        )),
    }
}

pub fn check_tag_key(key: &str) -> Result<(), String> {
    let len = chars(key);
    if (1..=TAG_KEY_MAX_CHARS).contains(&len) {
        Ok(())
    } else if len == 0 {
        Err(tr!("core.order.tag.key_missing", limit = TAG_KEY_MAX_CHARS))
    } else {
        Err(tr!(
            "core.order.tag.key_too_long",
            len = len,
            limit = TAG_KEY_MAX_CHARS
        ))
    }
}

pub fn check_tag_value(value: &str) -> Result<(), String> {
    let len = chars(value);
    if len <= TAG_VALUE_MAX_CHARS {
        Ok(())
    } else {
        Err(tr!(
            "core.order.tag.value_too_long",
            len = len,
            limit = TAG_VALUE_MAX_CHARS
        ))
    }
}

pub const CLIENT_REQUEST_ID_CHARS: std::ops::RangeInclusive<usize> = 36..=128;

/// The `Client-Request-Id` header of the purchase call: 36 to 128 letters,
/// digits and hyphens, starting with a letter or digit (a UUID fits).
pub fn check_client_request_id(id: &str) -> Result<(), String> {
    let len = chars(id);
    if !CLIENT_REQUEST_ID_CHARS.contains(&len) {
        return Err(tr!(
            "core.order.request_id.length",
            len = len,
            min = CLIENT_REQUEST_ID_CHARS.start(),
            max = CLIENT_REQUEST_ID_CHARS.end()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(tr!(
            "core.order.request_id.bad_char",
            char = describe_char(bad)
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(tr!("core.order.request_id.first_char"));
    }
    Ok(())
}

/// Several instances or a yearly period are confirmed twice, the second
/// time with a typed "yes", by every front end: a slip of one key should not
/// buy that much.
pub fn asks_twice(purchase_quantity: i64, period_type: PeriodType) -> bool {
    purchase_quantity > 1 || period_type == PeriodType::Year
}

impl Draft {
    /// The catalog's view of the chosen image. A private image's OS is not in
    /// the request body, so it follows from the package: `.byol` packages
    /// are for Windows.
    pub fn image_selection(&self, catalog: &Catalog) -> Option<ImageSelection> {
        match &self.image {
            ImageRef::Unset => None,
            ImageRef::Public { name, version } => Some(ImageSelection::Public {
                name: name.clone(),
                version: version.clone(),
            }),
            ImageRef::Private { .. } => {
                let platform = catalog.spec(&self.plan_spec)?.platform;
                Some(ImageSelection::Private { platform })
            }
        }
    }

    /// Every rule of the document that this draft breaks, in field order.
    pub fn problems(&self, catalog: &Catalog) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut add = |field: Field, result: Result<(), String>| {
            if let Err(message) = result {
                problems.push(Problem::new(field, message));
            }
        };
        add(
            Field::InstanceName,
            check_instance_name(&self.instance_name),
        );
        add(Field::Description, check_description(&self.description));

        let region_ok = if self.region.is_empty() {
            add(Field::Region, Err(tr!("core.order.region_missing")));
            false
        } else {
            let result = catalog
                .check_region(&self.region)
                .map(|_| ())
                .map_err(|r| r.to_string());
            let ok = result.is_ok();
            add(Field::Region, result);
            ok
        };

        let image_ok = match &self.image {
            ImageRef::Unset => {
                add(Field::ImageRef(None), Err(tr!("core.order.image_missing")));
                false
            }
            ImageRef::Public { name, version } => {
                if name.is_empty() {
                    add(
                        Field::ImageRef(Some(ImageField::ImageName)),
                        Err(tr!("core.order.image_name_missing")),
                    );
                    false
                } else if version.is_empty() {
                    add(
                        Field::ImageRef(Some(ImageField::ImageVersion)),
                        Err(tr!("core.order.image_version_missing", image = name)),
                    );
                    false
                } else {
                    let result = if region_ok {
                        catalog.check_version(&self.region, name, version)
                    } else {
                        catalog.check_image_version(name, version)
                    }
                    .map_err(|r| r.to_string());
                    let ok = result.is_ok();
                    let field = if catalog.image_kind(name).is_some() {
                        ImageField::ImageVersion
                    } else {
                        ImageField::ImageName
                    };
                    add(Field::ImageRef(Some(field)), result);
                    ok
                }
            }
            ImageRef::Private { image_id } => {
                if image_id.trim().is_empty() {
                    add(
                        Field::ImageRef(Some(ImageField::ImageId)),
                        Err(tr!("core.order.image_id_missing")),
                    );
                    false
                } else {
                    true
                }
            }
        };

        if self.plan_spec.is_empty() {
            add(Field::PlanSpec, Err(tr!("core.order.spec_missing")));
        } else if let Some(selection) = self
            .image_selection(catalog)
            .filter(|_| region_ok && image_ok)
        {
            add(
                Field::PlanSpec,
                catalog
                    .check_spec(&self.region, &selection, &self.plan_spec)
                    .map_err(|r| r.to_string()),
            );
        } else if catalog.spec(&self.plan_spec).is_none() {
            add(
                Field::PlanSpec,
                Err(super::catalog::Reason::UnknownSpec {
                    code: self.plan_spec.clone(),
                }
                .to_string()),
            );
        }

        add(
            Field::PeriodNum,
            check_period(self.period_type, self.period_num),
        );
        add(
            Field::PurchaseQuantity,
            check_quantity(self.purchase_quantity),
        );

        let mut seen_kinds = HashSet::new();
        for (i, extra) in self.extra_resources.iter().enumerate() {
            if !seen_kinds.insert(extra.kind) {
                add(
                    Field::Extra(ExtrasName::Example, i, Some(ExtraField::Type)),
                    Err(tr!("core.order.extra.twice", code = extra.kind.code())),
                );
            }
            add(
                Field::Extra(ExtrasName::Example, i, Some(ExtraField::Size)),
                check_extra_size(extra.kind, extra.size),
            );
        }

        let mut seen_keys = HashSet::new();
        for (i, tag) in self.tags.iter().enumerate() {
            add(Field::Tag(i, Some(TagField::Key)), check_tag_key(&tag.key));
            if !tag.key.is_empty() && !seen_keys.insert(tag.key.as_str()) {
                add(
                    Field::Tag(i, Some(TagField::Key)),
                    Err(tr!("core.order.tag.key_twice", key = tag.key)),
                );
            }
            add(
                Field::Tag(i, Some(TagField::Value)),
                check_tag_value(&tag.value),
            );
        }
        problems
    }

    /// The request body, when the draft breaks no rule.
    pub fn request_body(&self, catalog: &Catalog) -> Result<RequestBody, Vec<Problem>> {
        let problems = self.problems(catalog);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(self.body())
    }

    /// The image as the request body names it; an unset image names
    /// nothing (a problem the rules report, or a half-made plan).
    fn image_ref_body(&self) -> ImageRefBody {
        let (image_name, image_version, image_id) = match &self.image {
            ImageRef::Public { name, version } => (Some(name.clone()), Some(version.clone()), None),
            ImageRef::Private { image_id } => (None, None, Some(image_id.clone())),
            ImageRef::Unset => (None, None, None),
        };
        ImageRefBody {
            image_name,
            image_version,
            image_id,
        }
    }

    /// The body as the draft fills it in, checked or not: the one place a
    /// draft's fields become the request's.
    fn body(&self) -> RequestBody {
        RequestBody {
            image_ref: self.image_ref_body(),
            instance_name: self.instance_name.clone(),
            description: Some(self.description.clone()).filter(|d| !d.is_empty()),
            plan_spec: self.plan_spec.clone(),
            region: self.region.clone(),
            charging_mode: CHARGING_MODE.to_string(),
            period_type: self.period_type,
            period_num: u32::try_from(self.period_num).unwrap_or(0),
            purchase_quantity: u32::try_from(self.purchase_quantity).unwrap_or(0),
            is_auto_renew: self.is_auto_renew,
            is_auto_pay: self.is_auto_pay,
            extra_resources: self.extra_resources.clone(),
            tags: self.tags.clone(),
        }
    }

    /// The draft as a plan, as far as it is filled in: the request body's
    /// fields, with those not chosen yet left out, so a half-made order is
    /// kept in the same format as a saved plan and read back by the same
    /// reader ([`Draft::from_plan_value`]).
    pub fn to_plan_value(&self) -> Value {
        let body = self.body();
        let mut value = serde_json::to_value(body).expect("a request body always serializes");
        if let Some(plan) = value.as_object_mut() {
            let unset = [
                (Field::InstanceName, self.instance_name.is_empty()),
                (Field::PlanSpec, self.plan_spec.is_empty()),
                (Field::Region, self.region.is_empty()),
                (Field::ImageRef(None), self.image == ImageRef::Unset),
            ];
            for (field, is_unset) in unset {
                if is_unset {
                    plan.remove(&field.to_string());
                }
            }
        }
        value
    }

    /// Reads a plan: a JSON object with the request body's field names.
    /// Returns the draft as far as it could be read, and every problem found
    /// while reading (wrong types, unknown fields). Rules are checked
    /// separately by [`Draft::problems`], or together by
    /// [`Draft::from_plan_checked`].
    pub fn from_plan_json(text: &str) -> (Draft, Vec<Problem>) {
        match parse_plan(text) {
            Ok(value) => Draft::from_plan_value(&value),
            Err(problems) => (Draft::default(), problems),
        }
    }

    /// The draft a request body was made from: a journaled purchase,
    /// reopened or resent.
    pub fn from_request_body(body: &RequestBody) -> Draft {
        let value = serde_json::to_value(body).unwrap_or_default();
        Draft::from_plan_value(&value).0
    }

    pub fn from_plan_value(value: &Value) -> (Draft, Vec<Problem>) {
        let mut reader = PlanReader::default();
        let draft = reader.read(value);
        (draft, reader.problems)
    }

    /// Reads a plan and checks every rule: the draft, and every problem in
    /// it at once, each named as the plan names it. A list entry that could
    /// not be read leaves the draft, so rule problems are moved back to the
    /// entry's place in the plan; a field that could not be read is not
    /// reported a second time by its rule ("give a name" after "must be
    /// text").
    pub fn from_plan_checked(text: &str, catalog: &Catalog) -> (Draft, Vec<Problem>) {
        match parse_plan(text) {
            Ok(value) => Draft::from_plan_value_checked(&value, catalog),
            Err(problems) => (Draft::default(), problems),
        }
    }

    /// [`Draft::from_plan_checked`] for a plan already parsed, such as a
    /// request body the sandbox received.
    pub fn from_plan_value_checked(value: &Value, catalog: &Catalog) -> (Draft, Vec<Problem>) {
        let mut reader = PlanReader::default();
        let draft = reader.read(value);
        let mut unread: Vec<Field> = reader.problems.iter().map(|p| p.field.clone()).collect();
        if unread.contains(&Field::PeriodType) {
            // Without months or years, no range for period_num applies.
            unread.push(Field::PeriodNum);
        }
        let rule_problems: Vec<Problem> = draft
            .problems(catalog)
            .into_iter()
            .map(|p| Problem {
                field: reader.place_in_plan(p.field),
                ..p
            })
            .filter(|p| !unread.iter().any(|field| p.field.is_within(field)))
            .collect();
        let mut problems = reader.problems;
        problems.extend(rule_problems);
        (draft, problems)
    }
}

/// The plan as JSON, refused when it is not JSON or when an object names a
/// key twice (serde_json would keep the last silently: a plan says what is
/// bought, so it must say it once).
fn parse_plan(text: &str) -> Result<Value, Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(vec![Problem::unreadable(tr!("core.plan.empty"))]);
    }
    let value = serde_json::from_str::<Value>(text).map_err(|e| {
        vec![Problem::unreadable(tr!(
            "core.plan.not_json",
            line = e.line(),
            column = e.column(),
            why = super::json_error_words(&e)
        ))]
    })?;
    let duplicates = super::duplicate_keys::find(text);
    if !duplicates.is_empty() {
        return Err(duplicates
            .into_iter()
            .map(|d| Problem {
                field: d.field,
                kind: ProblemKind::DuplicateKey,
                message: tr!(
                    "core.plan.duplicate_key",
                    key = d.key,
                    line = d.line,
                    first_line = d.first_line
                ),
            })
            .collect());
    }
    Ok(value)
}

/// The request body of `POST /v1/light-instances`, field for field. Optional
/// lists that are empty are left out; `period_num` is an integer as real
/// callers send it (see companion-apis.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestBody {
    pub instance_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub plan_spec: String,
    pub image_ref: ImageRefBody,
    pub region: String,
    pub charging_mode: String,
    pub period_type: PeriodType,
    pub period_num: u32,
    pub purchase_quantity: u32,
    pub is_auto_renew: bool,
    pub is_auto_pay: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_resources: Vec<Extra>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

impl RequestBody {
    /// What it buys, in one line: "2 x hf.large.1.30m.linux, BT 6.8.35,
    /// ap-southeast-3".
    pub fn describe(&self) -> String {
        let image = match (&self.image_ref.image_name, &self.image_ref.image_version) {
            (Some(name), Some(version)) => format!("{name} {version}"),
            _ => self.image_ref.image_id.as_deref().map_or_else(
                || tr!("core.order.private_image"),
                |id| tr!("core.order.image_with_id", id = id),
            ),
        };
        format!(
            "{} x {}, {image}, {}",
            self.purchase_quantity, self.plan_spec, self.region
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRefBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
}

impl RequestBody {
    pub fn to_pretty_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a request body always serializes")
    }

    /// The draft this body came from, for opening a saved plan in the wizard.
    pub fn to_draft(&self) -> Draft {
        let value = serde_json::to_value(self).expect("a request body always serializes");
        Draft::from_plan_value(&value).0
    }
}

#[derive(Default)]
struct PlanReader {
    problems: Vec<Problem>,
    /// The name the plan gave the add-on list.
    extras_name: ExtrasName,
    /// For each add-on and tag in the draft, its position in the plan.
    extra_positions: Vec<usize>,
    tag_positions: Vec<usize>,
}

/// The value a plan's object gives `field`, looked up by the body's name.
fn value_of<'v>(obj: &'v Map<String, Value>, field: &Field) -> Option<&'v Value> {
    obj.get(&field.to_string())
}

impl PlanReader {
    /// A field of the draft such as `extra_resources[0].size`, moved to its
    /// place in the plan: list entries that could not be read are not in the
    /// draft, and the add-ons may have the table's name.
    fn place_in_plan(&self, field: Field) -> Field {
        match field {
            Field::Extra(_, index, part) => match self.extra_positions.get(index) {
                Some(&position) => Field::Extra(self.extras_name, position, part),
                None => field,
            },
            Field::Tag(index, part) => match self.tag_positions.get(index) {
                Some(&position) => Field::Tag(position, part),
                None => field,
            },
            field => field,
        }
    }

    fn problem(&mut self, field: Field, message: impl Into<String>) {
        self.problems.push(Problem::new(field, message));
    }

    fn read(&mut self, value: &Value) -> Draft {
        let mut draft = Draft::default();
        let Some(obj) = value.as_object() else {
            self.problems
                .push(Problem::unreadable(tr!("core.plan.not_object")));
            return draft;
        };
        for key in obj.keys() {
            let field = Field::Plan.child(PathPart::Key(key.clone()));
            if matches!(field, Field::Unknown(_)) {
                let fields: Vec<String> = Field::BODY.iter().map(ToString::to_string).collect();
                self.problem(
                    field,
                    tr!("core.plan.unknown_field", fields = fields.join(", ")),
                );
            }
        }
        draft.instance_name = self.string(obj, Field::InstanceName).unwrap_or_default();
        draft.description = self.string(obj, Field::Description).unwrap_or_default();
        draft.plan_spec = self.string(obj, Field::PlanSpec).unwrap_or_default();
        draft.region = self.string(obj, Field::Region).unwrap_or_default();
        draft.image = self.image(obj);
        if let Some(mode) = self.string(obj, Field::ChargingMode)
            && mode != CHARGING_MODE
        {
            self.problem(
                Field::ChargingMode,
                tr!(
                    "core.plan.charging_mode",
                    offered = CHARGING_MODE,
                    mode = mode
                ),
            );
        }
        match self.string(obj, Field::PeriodType).as_deref() {
            None => self.problem(Field::PeriodType, tr!("core.plan.period_type_missing")),
            Some("month") => draft.period_type = PeriodType::Month,
            Some("year") => draft.period_type = PeriodType::Year,
            Some(other) => self.problem(
                Field::PeriodType,
                tr!("core.plan.period_type_bad", other = other),
            ),
        }
        match value_of(obj, &Field::PeriodNum) {
            None => self.problem(Field::PeriodNum, tr!("core.plan.period_num_missing")),
            Some(v) => {
                // The table types it String, the example sends an integer:
                // accept both, send an integer.
                let parsed = v
                    .as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                match parsed {
                    Some(n) => draft.period_num = n,
                    None => self.problem(Field::PeriodNum, tr!("core.plan.not_whole", value = v)),
                }
            }
        }
        if let Some(v) = value_of(obj, &Field::PurchaseQuantity).filter(|v| !v.is_null()) {
            match v.as_i64() {
                Some(n) => draft.purchase_quantity = n,
                None => self.problem(
                    Field::PurchaseQuantity,
                    tr!("core.plan.not_whole", value = v),
                ),
            }
        }
        draft.is_auto_renew = self.boolean(obj, Field::IsAutoRenew);
        draft.is_auto_pay = self.boolean(obj, Field::IsAutoPay);
        draft.extra_resources = self.extras(obj);
        draft.tags = self.tags(obj);
        draft
    }

    fn string(&mut self, obj: &Map<String, Value>, field: Field) -> Option<String> {
        match value_of(obj, &field)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                self.problem(field, tr!("core.plan.not_text", value = other));
                None
            }
        }
    }

    fn boolean(&mut self, obj: &Map<String, Value>, field: Field) -> bool {
        match value_of(obj, &field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let message = tr!("core.plan.not_bool", value = other);
                self.problem(field, message);
                false
            }
        }
    }

    fn image(&mut self, obj: &Map<String, Value>) -> ImageRef {
        let Some(value) = value_of(obj, &Field::ImageRef(None)) else {
            return ImageRef::Unset;
        };
        let Some(image) = value.as_object() else {
            self.problem(Field::ImageRef(None), tr!("core.plan.image_not_object"));
            return ImageRef::Unset;
        };
        for key in image.keys() {
            let field = Field::ImageRef(None).child(PathPart::Key(key.clone()));
            if matches!(field, Field::Beneath(..)) {
                self.problem(field, tr!("core.plan.image_unknown_field"));
            }
        }
        let text = |this: &mut Self, part: ImageField| -> Option<String> {
            match image.get(part.name()) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    this.problem(
                        Field::ImageRef(Some(part)),
                        tr!("core.plan.not_text", value = other),
                    );
                    None
                }
            }
        };
        let name = text(self, ImageField::ImageName);
        let version = text(self, ImageField::ImageVersion);
        let id = text(self, ImageField::ImageId);
        match (name, version, id) {
            (None, None, None) => ImageRef::Unset,
            (None, None, Some(image_id)) => ImageRef::Private { image_id },
            (name, version, None) => ImageRef::Public {
                name: name.unwrap_or_default(),
                version: version.unwrap_or_default(),
            },
            (_, _, Some(_)) => {
                self.problem(Field::ImageRef(None), tr!("core.plan.image_both"));
                ImageRef::Unset
            }
        }
    }

    fn list<'v>(&mut self, obj: &'v Map<String, Value>, field: Field) -> &'v [Value] {
        match value_of(obj, &field) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                let message = tr!("core.plan.not_list", value = other);
                self.problem(field, message);
                &[]
            }
        }
    }

    fn extras(&mut self, obj: &Map<String, Value>) -> Vec<Extra> {
        let given = |name: ExtrasName| obj.contains_key(name.name());
        let name = if given(ExtrasName::Table) && !given(ExtrasName::Example) {
            ExtrasName::Table
        } else {
            if given(ExtrasName::Table) {
                self.problem(
                    Field::ExtraResources(ExtrasName::Table),
                    tr!("core.plan.extras_twice"),
                );
            }
            ExtrasName::Example
        };
        let items = self.list(obj, Field::ExtraResources(name));
        self.extras_name = name;
        let mut extras = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = |part| Field::Extra(name, i, Some(part));
            let Some(entry) = item.as_object() else {
                self.problem(
                    Field::Extra(name, i, None),
                    tr!("core.plan.extra_not_object"),
                );
                continue;
            };
            for key in entry.keys() {
                let field = Field::Extra(name, i, None).child(PathPart::Key(key.clone()));
                if matches!(field, Field::Beneath(..)) {
                    self.problem(field, tr!("core.plan.extra_unknown_field"));
                }
            }
            let kind = match entry.get(ExtraField::Type.name()) {
                Some(Value::String(code)) => match ExtraKind::from_code(code) {
                    Some(kind) => kind,
                    None => {
                        self.problem(
                            at(ExtraField::Type),
                            tr!("core.plan.extra_unknown", code = code),
                        );
                        continue;
                    }
                },
                None => {
                    self.problem(at(ExtraField::Type), tr!("core.plan.extra_type_missing"));
                    continue;
                }
                Some(other) => {
                    self.problem(
                        at(ExtraField::Type),
                        tr!("core.plan.not_text", value = other),
                    );
                    continue;
                }
            };
            let size = match entry.get(ExtraField::Size.name()) {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_i64() {
                    Some(n) => Some(n),
                    None => {
                        self.problem(
                            at(ExtraField::Size),
                            tr!("core.plan.extra_size_not_whole", value = v),
                        );
                        continue;
                    }
                },
            };
            extras.push(Extra { kind, size });
            self.extra_positions.push(i);
        }
        extras
    }

    fn tags(&mut self, obj: &Map<String, Value>) -> Vec<Tag> {
        let items = self.list(obj, Field::Tags);
        let mut tags = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(entry) = item.as_object() else {
                self.problem(Field::Tag(i, None), tr!("core.plan.tag_not_object"));
                continue;
            };
            for key in entry.keys() {
                let field = Field::Tag(i, None).child(PathPart::Key(key.clone()));
                if matches!(field, Field::Beneath(..)) {
                    self.problem(field, tr!("core.plan.tag_unknown_field"));
                }
            }
            let mut text = |part: TagField| {
                let field = Field::Tag(i, Some(part));
                match entry.get(part.name()) {
                    Some(Value::String(s)) => Some(s.clone()),
                    None => {
                        self.problem(field, tr!("core.plan.missing"));
                        None
                    }
                    Some(other) => {
                        self.problem(field, tr!("core.plan.not_text", value = other));
                        None
                    }
                }
            };
            let key = text(TagField::Key);
            let value = text(TagField::Value);
            if let (Some(key), Some(value)) = (key, value) {
                tags.push(Tag { key, value });
                self.tag_positions.push(i);
            }
        }
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::{Lang, in_language};

    #[test]
    fn the_rules_refuse_in_chinese_naming_the_limit_and_what_was_given() {
        let long = "a".repeat(NAME_MAX_CHARS + 5);
        let (english, chinese) = (
            check_instance_name(&long).unwrap_err(),
            in_language(Lang::Zh, || check_instance_name(&long).unwrap_err()),
        );
        let len = NAME_MAX_CHARS + 5;
        assert_eq!(
            english,
            format!("is {len} characters long; the limit is {NAME_MAX_CHARS}")
        );
        assert_eq!(
            chinese,
            format!("长度为{len}个字符，上限为{NAME_MAX_CHARS}个")
        );
        let bad = in_language(Lang::Zh, || check_instance_name("web server").unwrap_err());
        assert_eq!(bad, "不允许使用空格；只能使用字母A-Z和a-z、数字、_和-");
        let quantity = in_language(Lang::Zh, || check_quantity(0).unwrap_err());
        assert!(
            quantity.contains("一个订单可购买1到") && quantity.contains("您填写了0"),
            "{quantity}"
        );
        let period = in_language(Lang::Zh, || check_period(PeriodType::Year, 4).unwrap_err());
        assert!(period.starts_with("按年购买时长为1到3年"), "{period}");
        assert_eq!(
            in_language(Lang::Zh, || PeriodType::Month.describe(3)),
            "3个月"
        );
        assert_eq!(PeriodType::Month.describe(3), "3 months");
        assert_eq!(PeriodType::Year.describe(1), "1 year");
    }

    #[test]
    fn a_draft_lists_its_problems_in_chinese_with_the_field_names_kept() {
        let draft = Draft {
            instance_name: String::new(),
            ..Draft::default()
        };
        let problems = in_language(Lang::Zh, || draft.problems(&Catalog::embedded()));
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            shown
                .iter()
                .any(|p| p.starts_with("instance_name: 请为实例取一个名称")),
            "{shown:?}"
        );
        assert!(
            shown.contains(&"region: 请选择区域".to_string()),
            "{shown:?}"
        );
    }

    fn kinds(text: &str) -> Vec<(ProblemKind, Field)> {
        let (_, problems) = Draft::from_plan_checked(text, &Catalog::embedded());
        problems.into_iter().map(|p| (p.kind, p.field)).collect()
    }

    #[test]
    fn a_plan_that_cannot_be_read_is_unreadable_as_a_whole() {
        for text in ["", "  \n", "{", "instance_name = web", "[]", "42"] {
            let found = kinds(text);
            assert_eq!(
                found.first(),
                Some(&(ProblemKind::Unreadable, Field::Plan)),
                "{text:?}: {found:?}"
            );
            assert_eq!(
                found
                    .iter()
                    .filter(|(kind, _)| *kind == ProblemKind::Unreadable)
                    .count(),
                1,
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn a_key_given_twice_is_a_duplicate_key_at_its_typed_place() {
        let found = kinds(r#"{"tags": [{"key": "a", "key": "b", "value": ""}], "region": 1}"#);
        assert_eq!(
            found,
            [(
                ProblemKind::DuplicateKey,
                Field::Tag(0, Some(TagField::Key))
            )]
        );
    }

    #[test]
    fn every_other_problem_is_about_one_field_and_the_rest_is_read() {
        let found = kinds(r#"{"colour": "red", "period_type": "month", "period_num": 1}"#);
        assert!(
            found.iter().all(|(kind, _)| *kind == ProblemKind::Rule),
            "{found:?}"
        );
        assert_eq!(
            found[0].1,
            Field::Unknown(vec![PathPart::Key("colour".into())])
        );
        assert!(found.iter().any(|(_, field)| *field == Field::InstanceName));
    }

    #[test]
    fn a_key_outside_the_body_is_never_printed_raw() {
        let text = r#"{"\u001b]0;pwned\u0007": 1, "image_ref": {"\u202ex": 1}}"#;
        let (_, problems) = Draft::from_plan_json(text);
        let printed: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(printed.len() >= 2, "{printed:?}");
        assert!(printed[0].starts_with("\\u{1b}]0;pwned\\u{7}: is not a field"));
        assert!(printed[1].starts_with("image_ref.\\u{202e}x: is not a field"));
        for line in printed {
            assert!(!line.chars().any(|c| c.is_control() || c == '\u{202e}'));
        }
    }

    #[test]
    fn rule_problems_are_named_at_their_place_in_the_plan() {
        // The first add-on cannot be read, so the draft's first is the
        // plan's second; the plan calls the list by the table's name.
        let text = r#"{"instance_name": "web", "period_type": "month", "period_num": 1,
            "ExtraResources": [{"type": "tape"}, {"type": "evs", "size": 5}],
            "tags": [{"key": 1, "value": "x"}, {"key": "", "value": "y"}]}"#;
        let found = kinds(text);
        let extra_size = Field::Extra(ExtrasName::Table, 1, Some(ExtraField::Size));
        assert!(
            found.contains(&(ProblemKind::Rule, extra_size)),
            "{found:?}"
        );
        assert!(
            found.contains(&(ProblemKind::Rule, Field::Tag(1, Some(TagField::Key)))),
            "{found:?}"
        );
        // The tag whose key is not text is not told again that it needs one.
        let tag_zero = found
            .iter()
            .filter(|(_, field)| field.is_within(&Field::Tag(0, None)))
            .count();
        assert_eq!(tag_zero, 1, "{found:?}");
    }

    #[test]
    fn a_half_made_draft_is_kept_as_a_plan_and_read_back_whole() {
        let draft = Draft {
            region: "ap-southeast-3".to_string(),
            image: ImageRef::Public {
                name: "Ubuntu".to_string(),
                version: "22.04".to_string(),
            },
            period_num: 3,
            ..Draft::default()
        };
        let plan = draft.to_plan_value();
        let keys: Vec<&str> = plan
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert!(
            !keys.contains(&"plan_spec") && !keys.contains(&"instance_name"),
            "{keys:?}"
        );
        assert_eq!(plan["image_ref"]["image_name"], "Ubuntu");
        let (read, problems) = Draft::from_plan_value(&plan);
        assert_eq!(read, draft);
        assert!(problems.is_empty(), "{problems:?}");
    }
}
