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
        let unit = self.as_str();
        if num == 1 {
            format!("1 {unit}")
        } else {
            format!("{num} {unit}s")
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

    pub fn label(self) -> &'static str {
        match self {
            ExtraKind::Evs => "EVS data disk",
            ExtraKind::Cbr => "CBR cloud backup",
            ExtraKind::Hss => "HSS host security",
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
            _ => self.kind.label().to_string(),
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
    pub field: String,
    pub message: String,
}

/// How a duplicate-key problem's message starts.
const DUPLICATE_KEY: &str = "duplicate key";

impl Problem {
    fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A key given twice in one object: the plan says two things, so none
    /// of it is read (the draft is empty).
    pub fn is_duplicate_key(&self) -> bool {
        self.message.starts_with(DUPLICATE_KEY)
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
        return Err(format!(
            "give the instances a name: 1 to {NAME_MAX_CHARS} letters, digits, _ or -, starting with a letter"
        ));
    }
    if len > NAME_MAX_CHARS {
        return Err(format!(
            "is {len} characters long; the limit is {NAME_MAX_CHARS}"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(format!(
            "{} is not allowed; use only letters A-Z and a-z, digits, _ and -",
            describe_char(bad)
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".to_string());
    }
    Ok(())
}

/// A character named so that printing the name is safe whatever it is:
/// control, invisible and direction-changing characters by code point.
pub fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        // Invisible and direction-changing characters are named, never shown.
        c if c.is_whitespace() || is_invisible(c) => format!("the character U+{:04X}", c as u32),
        c => format!("\"{c}\""),
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
        return Err(format!(
            "is {len} characters long; the limit is {DESCRIPTION_MAX_CHARS}"
        ));
    }
    Ok(())
}

pub fn check_quantity(quantity: i64) -> Result<(), String> {
    if QUANTITY_RANGE.contains(&quantity) {
        Ok(())
    } else {
        Err(format!(
            "buy from {} to {} instances in one order (got {quantity})",
            QUANTITY_RANGE.start(),
            QUANTITY_RANGE.end()
        ))
    }
}

pub fn check_period(period_type: PeriodType, num: i64) -> Result<(), String> {
    let range = period_type.range();
    if range.contains(&num) {
        Ok(())
    } else {
        Err(format!(
            "a {}ly period is {} to {} {}s (got {num})",
            period_type.as_str(),
            range.start(),
            range.end(),
            period_type.as_str()
        ))
    }
}

pub fn check_extra_size(kind: ExtraKind, size: Option<i64>) -> Result<(), String> {
    match (kind.takes_size(), size) {
        (false, None) => Ok(()),
        (false, Some(_)) => Err(format!("{} has no size; leave the size out", kind.label())),
        (true, None) => Err(format!(
            "give the {} a size from {} to {} GiB",
            kind.label(),
            EXTRA_SIZE_GIB_RANGE.start(),
            EXTRA_SIZE_GIB_RANGE.end()
        )),
        (true, Some(size)) if EXTRA_SIZE_GIB_RANGE.contains(&size) => Ok(()),
        (true, Some(size)) => Err(format!(
            "the {} must be {} to {} GiB (got {size})",
            kind.label(),
            EXTRA_SIZE_GIB_RANGE.start(),
            EXTRA_SIZE_GIB_RANGE.end()
        )),
    }
}

pub fn check_tag_key(key: &str) -> Result<(), String> {
    let len = chars(key);
    if (1..=TAG_KEY_MAX_CHARS).contains(&len) {
        Ok(())
    } else if len == 0 {
        Err(format!(
            "a tag needs a key of 1 to {TAG_KEY_MAX_CHARS} characters"
        ))
    } else {
        Err(format!(
            "is {len} characters long; tag keys are 1 to {TAG_KEY_MAX_CHARS}"
        ))
    }
}

pub fn check_tag_value(value: &str) -> Result<(), String> {
    let len = chars(value);
    if len <= TAG_VALUE_MAX_CHARS {
        Ok(())
    } else {
        Err(format!(
            "is {len} characters long; tag values are at most {TAG_VALUE_MAX_CHARS}"
        ))
    }
}

pub const CLIENT_REQUEST_ID_CHARS: std::ops::RangeInclusive<usize> = 36..=128;

/// The `Client-Request-Id` header of the purchase call: 36 to 128 letters,
/// digits and hyphens, starting with a letter or digit (a UUID fits).
pub fn check_client_request_id(id: &str) -> Result<(), String> {
    let len = chars(id);
    if !CLIENT_REQUEST_ID_CHARS.contains(&len) {
        return Err(format!(
            "is {len} characters long; it must be {} to {} (a UUID is 36)",
            CLIENT_REQUEST_ID_CHARS.start(),
            CLIENT_REQUEST_ID_CHARS.end()
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(format!(
            "{} is not allowed; use only letters, digits and -",
            describe_char(bad)
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("must start with a letter or digit".to_string());
    }
    Ok(())
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
        let mut add = |field: &str, result: Result<(), String>| {
            if let Err(message) = result {
                problems.push(Problem::new(field, message));
            }
        };
        add("instance_name", check_instance_name(&self.instance_name));
        add("description", check_description(&self.description));

        let region_ok = if self.region.is_empty() {
            add("region", Err("choose a region".to_string()));
            false
        } else {
            let result = catalog
                .check_region(&self.region)
                .map(|_| ())
                .map_err(|r| r.to_string());
            let ok = result.is_ok();
            add("region", result);
            ok
        };

        let image_ok = match &self.image {
            ImageRef::Unset => {
                add(
                    "image_ref",
                    Err("choose an image: image_name and image_version, or the image_id of a private image".to_string()),
                );
                false
            }
            ImageRef::Public { name, version } => {
                if name.is_empty() {
                    add("image_ref.image_name", Err("give the image name".into()));
                    false
                } else if version.is_empty() {
                    add(
                        "image_ref.image_version",
                        Err(format!("give the version of {name}")),
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
                        "image_ref.image_version"
                    } else {
                        "image_ref.image_name"
                    };
                    add(field, result);
                    ok
                }
            }
            ImageRef::Private { image_id } => {
                if image_id.trim().is_empty() {
                    add(
                        "image_ref.image_id",
                        Err("give the private image's ID".into()),
                    );
                    false
                } else {
                    true
                }
            }
        };

        if self.plan_spec.is_empty() {
            add("plan_spec", Err("choose a specification code".into()));
        } else if let Some(selection) = self
            .image_selection(catalog)
            .filter(|_| region_ok && image_ok)
        {
            add(
                "plan_spec",
                catalog
                    .check_spec(&self.region, &selection, &self.plan_spec)
                    .map_err(|r| r.to_string()),
            );
        } else if catalog.spec(&self.plan_spec).is_none() {
            add(
                "plan_spec",
                Err(super::catalog::Reason::UnknownSpec {
                    code: self.plan_spec.clone(),
                }
                .to_string()),
            );
        }

        add(
            "period_num",
            check_period(self.period_type, self.period_num),
        );
        add("purchase_quantity", check_quantity(self.purchase_quantity));

        let mut seen_kinds = HashSet::new();
        for (i, extra) in self.extra_resources.iter().enumerate() {
            if !seen_kinds.insert(extra.kind) {
                add(
                    &format!("extra_resources[{i}].type"),
                    Err(format!(
                        "{} is already in the order; each add-on type can appear once",
                        extra.kind.code()
                    )),
                );
            }
            add(
                &format!("extra_resources[{i}].size"),
                check_extra_size(extra.kind, extra.size),
            );
        }

        let mut seen_keys = HashSet::new();
        for (i, tag) in self.tags.iter().enumerate() {
            add(&format!("tags[{i}].key"), check_tag_key(&tag.key));
            if !tag.key.is_empty() && !seen_keys.insert(tag.key.as_str()) {
                add(
                    &format!("tags[{i}].key"),
                    Err(format!(
                        "\"{}\" is used by another tag; tag keys must be unique",
                        tag.key
                    )),
                );
            }
            add(&format!("tags[{i}].value"), check_tag_value(&tag.value));
        }
        problems
    }

    /// The request body, when the draft breaks no rule.
    pub fn request_body(&self, catalog: &Catalog) -> Result<RequestBody, Vec<Problem>> {
        let problems = self.problems(catalog);
        if !problems.is_empty() {
            return Err(problems);
        }
        let image_ref = match &self.image {
            ImageRef::Public { name, version } => ImageRefBody {
                image_name: Some(name.clone()),
                image_version: Some(version.clone()),
                image_id: None,
            },
            ImageRef::Private { image_id } => ImageRefBody {
                image_name: None,
                image_version: None,
                image_id: Some(image_id.clone()),
            },
            ImageRef::Unset => unreachable!("an unset image is a problem above"),
        };
        Ok(RequestBody {
            instance_name: self.instance_name.clone(),
            description: Some(self.description.clone()).filter(|d| !d.is_empty()),
            plan_spec: self.plan_spec.clone(),
            image_ref,
            region: self.region.clone(),
            charging_mode: CHARGING_MODE.to_string(),
            period_type: self.period_type,
            period_num: self.period_num as u32,
            purchase_quantity: self.purchase_quantity as u32,
            is_auto_renew: self.is_auto_renew,
            is_auto_pay: self.is_auto_pay,
            extra_resources: self.extra_resources.clone(),
            tags: self.tags.clone(),
        })
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
        let mut unread: Vec<String> = reader.problems.iter().map(|p| p.field.clone()).collect();
        if unread.iter().any(|f| f == "period_type") {
            // Without months or years, no range for period_num applies.
            unread.push("period_num".to_string());
        }
        let rule_problems: Vec<Problem> = draft
            .problems(catalog)
            .into_iter()
            .map(|p| Problem {
                field: reader.place_in_plan(&p.field),
                message: p.message,
            })
            .filter(|p| !unread.iter().any(|field| is_within(&p.field, field)))
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
        return Err(vec![Problem::new(
            "plan",
            "is empty; write a JSON object with the request body's fields, like examples/plan.json",
        )]);
    }
    let value = serde_json::from_str::<Value>(text).map_err(|e| {
        vec![Problem::new(
            "plan",
            format!(
                "is not valid JSON (line {}, column {}): {}",
                e.line(),
                e.column(),
                super::json_error_words(&e)
            ),
        )]
    })?;
    let duplicates = super::duplicate_keys::find(text);
    if !duplicates.is_empty() {
        return Err(duplicates
            .into_iter()
            .map(|d| {
                Problem::new(
                    d.field,
                    format!(
                        "{DUPLICATE_KEY} \"{}\" at line {} (also at line {}); give each field once",
                        d.key, d.line, d.first_line
                    ),
                )
            })
            .collect());
    }
    Ok(value)
}

/// Is `field` the field `parent` or a part of it (`parent.x`, `parent[0]`)?
fn is_within(field: &str, parent: &str) -> bool {
    field
        .strip_prefix(parent)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
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
            _ => self
                .image_ref
                .image_id
                .as_deref()
                .map_or_else(|| "a private image".to_string(), |id| format!("image {id}")),
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

const PLAN_FIELDS: &[&str] = &[
    "instance_name",
    "description",
    "plan_spec",
    "image_ref",
    "region",
    "charging_mode",
    "period_type",
    "period_num",
    "purchase_quantity",
    "is_auto_renew",
    "is_auto_pay",
    "extra_resources",
    "tags",
];

#[derive(Default)]
struct PlanReader {
    problems: Vec<Problem>,
    /// "ExtraResources" when the plan used the table's spelling.
    extras_field: Option<&'static str>,
    /// For each add-on and tag in the draft, its position in the plan.
    extra_positions: Vec<usize>,
    tag_positions: Vec<usize>,
}

impl PlanReader {
    /// A draft field such as `extra_resources[0].size`, named as in the plan.
    fn place_in_plan(&self, field: &str) -> String {
        let lists = [
            (
                "extra_resources",
                self.extras_field.unwrap_or("extra_resources"),
                &self.extra_positions,
            ),
            ("tags", "tags", &self.tag_positions),
        ];
        for (draft_name, plan_name, positions) in lists {
            let Some((index, rest)) = field
                .strip_prefix(draft_name)
                .and_then(|f| f.strip_prefix('['))
                .and_then(|f| f.split_once(']'))
            else {
                continue;
            };
            if let Some(position) = index.parse::<usize>().ok().and_then(|i| positions.get(i)) {
                return format!("{plan_name}[{position}]{rest}");
            }
        }
        field.to_string()
    }

    fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(field, message));
    }

    fn read(&mut self, value: &Value) -> Draft {
        let mut draft = Draft::default();
        let Some(obj) = value.as_object() else {
            self.problem(
                "plan",
                "must be a JSON object with the request body's fields",
            );
            return draft;
        };
        for key in obj.keys() {
            // The document's table calls the add-ons `ExtraResources` while
            // its example sends `extra_resources`; accept both spellings.
            if !PLAN_FIELDS.contains(&key.as_str()) && key != "ExtraResources" {
                self.problem(
                    key.clone(),
                    format!(
                        "is not a field of the request body; fields are {}",
                        PLAN_FIELDS.join(", ")
                    ),
                );
            }
        }
        draft.instance_name = self.string(obj, "instance_name").unwrap_or_default();
        draft.description = self.string(obj, "description").unwrap_or_default();
        draft.plan_spec = self.string(obj, "plan_spec").unwrap_or_default();
        draft.region = self.string(obj, "region").unwrap_or_default();
        draft.image = self.image(obj);
        if let Some(mode) = self.string(obj, "charging_mode")
            && mode != CHARGING_MODE
        {
            self.problem(
                "charging_mode",
                format!("only \"{CHARGING_MODE}\" (yearly/monthly) is offered, not \"{mode}\""),
            );
        }
        match self.string(obj, "period_type").as_deref() {
            None => self.problem("period_type", "choose \"month\" or \"year\""),
            Some("month") => draft.period_type = PeriodType::Month,
            Some("year") => draft.period_type = PeriodType::Year,
            Some(other) => self.problem(
                "period_type",
                format!("must be \"month\" or \"year\", not \"{other}\""),
            ),
        }
        match obj.get("period_num") {
            None => self.problem("period_num", "give the number of months or years"),
            Some(v) => {
                // The table types it String, the example sends an integer:
                // accept both, send an integer.
                let parsed = v
                    .as_i64()
                    .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
                match parsed {
                    Some(n) => draft.period_num = n,
                    None => self.problem("period_num", format!("must be a whole number, not {v}")),
                }
            }
        }
        if let Some(v) = obj.get("purchase_quantity").filter(|v| !v.is_null()) {
            match v.as_i64() {
                Some(n) => draft.purchase_quantity = n,
                None => self.problem(
                    "purchase_quantity",
                    format!("must be a whole number, not {v}"),
                ),
            }
        }
        draft.is_auto_renew = self.boolean(obj, "is_auto_renew");
        draft.is_auto_pay = self.boolean(obj, "is_auto_pay");
        draft.extra_resources = self.extras(obj);
        draft.tags = self.tags(obj);
        draft
    }

    fn string(&mut self, obj: &Map<String, Value>, field: &str) -> Option<String> {
        match obj.get(field)? {
            Value::String(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                self.problem(field, format!("must be text, not {other}"));
                None
            }
        }
    }

    fn boolean(&mut self, obj: &Map<String, Value>, field: &str) -> bool {
        match obj.get(field) {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                self.problem(field, format!("must be true or false, not {other}"));
                false
            }
        }
    }

    fn image(&mut self, obj: &Map<String, Value>) -> ImageRef {
        let Some(value) = obj.get("image_ref") else {
            return ImageRef::Unset;
        };
        let Some(image) = value.as_object() else {
            self.problem(
                "image_ref",
                "must be an object with image_name and image_version, or image_id",
            );
            return ImageRef::Unset;
        };
        for key in image.keys() {
            if !["image_name", "image_version", "image_id"].contains(&key.as_str()) {
                self.problem(
                    format!("image_ref.{key}"),
                    "is not a field of image_ref; fields are image_name, image_version, image_id",
                );
            }
        }
        let text = |this: &mut Self, key: &str| -> Option<String> {
            match image.get(key) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    this.problem(
                        format!("image_ref.{key}"),
                        format!("must be text, not {other}"),
                    );
                    None
                }
            }
        };
        let name = text(self, "image_name");
        let version = text(self, "image_version");
        let id = text(self, "image_id");
        match (name, version, id) {
            (None, None, None) => ImageRef::Unset,
            (None, None, Some(image_id)) => ImageRef::Private { image_id },
            (name, version, None) => ImageRef::Public {
                name: name.unwrap_or_default(),
                version: version.unwrap_or_default(),
            },
            (_, _, Some(_)) => {
                self.problem(
                    "image_ref",
                    "give either image_name and image_version (a public image) or image_id (a private image), not both",
                );
                ImageRef::Unset
            }
        }
    }

    fn list<'v>(&mut self, obj: &'v Map<String, Value>, field: &str) -> &'v [Value] {
        match obj.get(field) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.problem(field, format!("must be a list, not {other}"));
                &[]
            }
        }
    }

    fn extras(&mut self, obj: &Map<String, Value>) -> Vec<Extra> {
        let (field, items) =
            if obj.contains_key("ExtraResources") && !obj.contains_key("extra_resources") {
                ("ExtraResources", self.list(obj, "ExtraResources"))
            } else {
                if obj.contains_key("ExtraResources") {
                    self.problem(
                        "ExtraResources",
                        "give the add-ons once, as extra_resources",
                    );
                }
                ("extra_resources", self.list(obj, "extra_resources"))
            };
        self.extras_field = Some(field);
        let mut extras = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("{field}[{i}]");
            let Some(entry) = item.as_object() else {
                self.problem(
                    at,
                    "must be an object like {\"type\": \"evs\", \"size\": 20}",
                );
                continue;
            };
            for key in entry.keys() {
                if key != "type" && key != "size" {
                    self.problem(
                        format!("{at}.{key}"),
                        "is not a field of an add-on; fields are type and size",
                    );
                }
            }
            let kind = match entry.get("type") {
                Some(Value::String(code)) => match ExtraKind::from_code(code) {
                    Some(kind) => kind,
                    None => {
                        self.problem(
                            format!("{at}.type"),
                            format!("\"{code}\" is not an add-on; use evs (data disk), cbr (backup) or hss (host security)"),
                        );
                        continue;
                    }
                },
                None => {
                    self.problem(format!("{at}.type"), "say which add-on: evs, cbr or hss");
                    continue;
                }
                Some(other) => {
                    self.problem(format!("{at}.type"), format!("must be text, not {other}"));
                    continue;
                }
            };
            let size = match entry.get("size") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_i64() {
                    Some(n) => Some(n),
                    None => {
                        self.problem(
                            format!("{at}.size"),
                            format!("must be a whole number of GiB, not {v}"),
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
        let items = self.list(obj, "tags");
        let mut tags = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("tags[{i}]");
            let Some(entry) = item.as_object() else {
                self.problem(
                    at,
                    "must be an object like {\"key\": \"env\", \"value\": \"prod\"}",
                );
                continue;
            };
            for key in entry.keys() {
                if key != "key" && key != "value" {
                    self.problem(
                        format!("{at}.{key}"),
                        "is not a field of a tag; fields are key and value",
                    );
                }
            }
            let mut text = |name: &str, required: bool| match entry.get(name) {
                Some(Value::String(s)) => Some(s.clone()),
                None if !required => Some(String::new()),
                None => {
                    self.problem(format!("{at}.{name}"), "is missing");
                    None
                }
                Some(other) => {
                    self.problem(format!("{at}.{name}"), format!("must be text, not {other}"));
                    None
                }
            };
            let key = text("key", true);
            let value = text("value", true);
            if let (Some(key), Some(value)) = (key, value) {
                tags.push(Tag { key, value });
                self.tag_positions.push(i);
            }
        }
        tags
    }
}
