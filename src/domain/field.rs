//! A place in a plan, typed: which field of the request body a problem is
//! about. Consumers match on it (the wizard finds a problem's step from it);
//! its `Display` is the name the request body uses, as every message prints.

use std::fmt;

/// A field of the request body of `POST /v1/light-instances`, a part of
/// one, or a place in a plan where the body has no field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    /// The plan as a whole: its text is not a JSON object. Reading starts
    /// here: the body's fields are its children.
    Plan,
    InstanceName,
    Description,
    PlanSpec,
    /// The image object, or one of its fields.
    ImageRef(Option<ImageField>),
    Region,
    ChargingMode,
    PeriodType,
    PeriodNum,
    PurchaseQuantity,
    IsAutoRenew,
    IsAutoPay,
    /// The list of add-ons, under the name the plan used.
    ExtraResources(ExtrasName),
    /// The add-on at a position of that list, or one of its fields.
    Extra(ExtrasName, usize, Option<ExtraField>),
    Tags,
    /// The tag at a position of the list, or one of its fields.
    Tag(usize, Option<TagField>),
    /// A key the request body does not have, and any place beneath it.
    Unknown(Vec<PathPart>),
    /// A place inside a field's value where the body has nothing: a key of
    /// its own in `image_ref`, or a duplicate key deep in a value.
    Beneath(Box<Field>, Vec<PathPart>),
}

/// The document names the add-on list twice: its example sends
/// `extra_resources` (as flexus does), its table says `ExtraResources`.
/// A plan may use either, and is told about the one it used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExtrasName {
    #[default]
    Example,
    Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageField {
    ImageName,
    ImageVersion,
    ImageId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtraField {
    Type,
    Size,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagField {
    Key,
    Value,
}

/// One step down into JSON where the request body names nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathPart {
    /// An object's key, as the plan wrote it (printed escaped).
    Key(String),
    Index(usize),
}

impl ImageField {
    pub const ALL: [ImageField; 3] = [
        ImageField::ImageName,
        ImageField::ImageVersion,
        ImageField::ImageId,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ImageField::ImageName => "image_name",
            ImageField::ImageVersion => "image_version",
            ImageField::ImageId => "image_id",
        }
    }
}

impl ExtraField {
    pub const ALL: [ExtraField; 2] = [ExtraField::Type, ExtraField::Size];

    pub fn name(self) -> &'static str {
        match self {
            ExtraField::Type => "type",
            ExtraField::Size => "size",
        }
    }
}

impl TagField {
    pub const ALL: [TagField; 2] = [TagField::Key, TagField::Value];

    pub fn name(self) -> &'static str {
        match self {
            TagField::Key => "key",
            TagField::Value => "value",
        }
    }
}

impl ExtrasName {
    pub fn name(self) -> &'static str {
        match self {
            ExtrasName::Example => "extra_resources",
            ExtrasName::Table => "ExtraResources",
        }
    }
}

/// The sub-field of `fields` that `key` names.
fn named<F: Copy>(fields: &[F], name: fn(F) -> &'static str, key: &str) -> Option<F> {
    fields.iter().copied().find(|&f| name(f) == key)
}

impl Field {
    /// The request body's fields, in the document's order.
    pub const BODY: [Field; 13] = [
        Field::InstanceName,
        Field::Description,
        Field::PlanSpec,
        Field::ImageRef(None),
        Field::Region,
        Field::ChargingMode,
        Field::PeriodType,
        Field::PeriodNum,
        Field::PurchaseQuantity,
        Field::IsAutoRenew,
        Field::IsAutoPay,
        Field::ExtraResources(ExtrasName::Example),
        Field::Tags,
    ];

    /// The key of a field the request body has at its top level.
    fn body_key(&self) -> Option<&'static str> {
        Some(match self {
            Field::InstanceName => "instance_name",
            Field::Description => "description",
            Field::PlanSpec => "plan_spec",
            Field::ImageRef(None) => "image_ref",
            Field::Region => "region",
            Field::ChargingMode => "charging_mode",
            Field::PeriodType => "period_type",
            Field::PeriodNum => "period_num",
            Field::PurchaseQuantity => "purchase_quantity",
            Field::IsAutoRenew => "is_auto_renew",
            Field::IsAutoPay => "is_auto_pay",
            Field::ExtraResources(name) => name.name(),
            Field::Tags => "tags",
            Field::Plan
            | Field::ImageRef(Some(_))
            | Field::Extra(..)
            | Field::Tag(..)
            | Field::Unknown(_)
            | Field::Beneath(..) => return None,
        })
    }

    /// The place one step below this one: how a plan's JSON keys and
    /// positions become fields, in this one place.
    pub fn child(&self, part: PathPart) -> Field {
        let key = match &part {
            PathPart::Key(key) => Some(key.as_str()),
            PathPart::Index(_) => None,
        };
        let known = match (self, key, &part) {
            (Field::Plan, Some(key), _) => Field::BODY
                .into_iter()
                .chain([Field::ExtraResources(ExtrasName::Table)])
                .find(|f| f.body_key() == Some(key)),
            (Field::ImageRef(None), Some(key), _) => {
                named(&ImageField::ALL, ImageField::name, key).map(|f| Field::ImageRef(Some(f)))
            }
            (Field::ExtraResources(name), _, &PathPart::Index(i)) => {
                Some(Field::Extra(*name, i, None))
            }
            (Field::Extra(name, i, None), Some(key), _) => {
                named(&ExtraField::ALL, ExtraField::name, key)
                    .map(|f| Field::Extra(*name, *i, Some(f)))
            }
            (Field::Tags, _, &PathPart::Index(i)) => Some(Field::Tag(i, None)),
            (Field::Tag(i, None), Some(key), _) => {
                named(&TagField::ALL, TagField::name, key).map(|f| Field::Tag(*i, Some(f)))
            }
            _ => None,
        };
        if let Some(field) = known {
            return field;
        }
        match self {
            Field::Plan => Field::Unknown(vec![part]),
            Field::Unknown(parts) => Field::Unknown(with(parts, part)),
            Field::Beneath(field, parts) => Field::Beneath(field.clone(), with(parts, part)),
            field => Field::Beneath(Box::new(field.clone()), vec![part]),
        }
    }

    /// The place one step above, up to a field of the body. The plan as a
    /// whole is above none of them: a plan that is not an object still has
    /// every field's rule to meet.
    fn parent(&self) -> Option<Field> {
        match self {
            Field::ImageRef(Some(_)) => Some(Field::ImageRef(None)),
            Field::Extra(name, i, Some(_)) => Some(Field::Extra(*name, *i, None)),
            Field::Extra(name, _, None) => Some(Field::ExtraResources(*name)),
            Field::Tag(i, Some(_)) => Some(Field::Tag(*i, None)),
            Field::Tag(_, None) => Some(Field::Tags),
            Field::Unknown(parts) if parts.len() > 1 => {
                Some(Field::Unknown(parts[..parts.len() - 1].to_vec()))
            }
            Field::Beneath(field, parts) if parts.len() > 1 => Some(Field::Beneath(
                field.clone(),
                parts[..parts.len() - 1].to_vec(),
            )),
            Field::Beneath(field, _) => Some(field.as_ref().clone()),
            _ => None,
        }
    }

    /// Is this `field` itself or a part of it (`tags[1].key` is within
    /// `tags[1]` and `tags`)?
    pub fn is_within(&self, field: &Field) -> bool {
        let mut place = Some(self.clone());
        while let Some(here) = place {
            if here == *field {
                return true;
            }
            place = here.parent();
        }
        false
    }
}

fn with(parts: &[PathPart], part: PathPart) -> Vec<PathPart> {
    let mut parts = parts.to_vec();
    parts.push(part);
    parts
}

/// `.key` or `[0]`; a key is escaped so that printing it is always safe.
fn write_parts(f: &mut fmt::Formatter<'_>, parts: &[PathPart], first: bool) -> fmt::Result {
    for (i, part) in parts.iter().enumerate() {
        match part {
            PathPart::Key(key) if first && i == 0 => write!(f, "{}", key.escape_debug())?,
            PathPart::Key(key) => write!(f, ".{}", key.escape_debug())?,
            PathPart::Index(index) => write!(f, "[{index}]")?,
        }
    }
    Ok(())
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(key) = self.body_key() {
            return f.write_str(key);
        }
        match self {
            Field::Plan => f.write_str("plan"),
            Field::ImageRef(Some(part)) => write!(f, "image_ref.{}", part.name()),
            Field::Extra(name, i, part) => {
                write!(f, "{}[{i}]", name.name())?;
                part.map_or(Ok(()), |part| write!(f, ".{}", part.name()))
            }
            Field::Tag(i, part) => {
                write!(f, "tags[{i}]")?;
                part.map_or(Ok(()), |part| write!(f, ".{}", part.name()))
            }
            Field::Unknown(parts) => write_parts(f, parts, true),
            Field::Beneath(field, parts) => {
                write!(f, "{field}")?;
                write_parts(f, parts, false)
            }
            _ => unreachable!("every field of the body has a key"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> PathPart {
        PathPart::Key(text.to_string())
    }

    #[test]
    fn every_field_is_named_as_the_request_body_names_it() {
        let cases = [
            (Field::Plan, "plan"),
            (Field::InstanceName, "instance_name"),
            (Field::Description, "description"),
            (Field::PlanSpec, "plan_spec"),
            (Field::ImageRef(None), "image_ref"),
            (
                Field::ImageRef(Some(ImageField::ImageName)),
                "image_ref.image_name",
            ),
            (
                Field::ImageRef(Some(ImageField::ImageVersion)),
                "image_ref.image_version",
            ),
            (
                Field::ImageRef(Some(ImageField::ImageId)),
                "image_ref.image_id",
            ),
            (Field::Region, "region"),
            (Field::ChargingMode, "charging_mode"),
            (Field::PeriodType, "period_type"),
            (Field::PeriodNum, "period_num"),
            (Field::PurchaseQuantity, "purchase_quantity"),
            (Field::IsAutoRenew, "is_auto_renew"),
            (Field::IsAutoPay, "is_auto_pay"),
            (
                Field::ExtraResources(ExtrasName::Example),
                "extra_resources",
            ),
            (Field::ExtraResources(ExtrasName::Table), "ExtraResources"),
            (
                Field::Extra(ExtrasName::Example, 0, None),
                "extra_resources[0]",
            ),
            (
                Field::Extra(ExtrasName::Example, 1, Some(ExtraField::Type)),
                "extra_resources[1].type",
            ),
            (
                Field::Extra(ExtrasName::Table, 3, Some(ExtraField::Size)),
                "ExtraResources[3].size",
            ),
            (Field::Tags, "tags"),
            (Field::Tag(2, None), "tags[2]"),
            (Field::Tag(2, Some(TagField::Key)), "tags[2].key"),
            (Field::Tag(0, Some(TagField::Value)), "tags[0].value"),
            (Field::Unknown(vec![key("colour")]), "colour"),
            (
                Field::Unknown(vec![key("note"), PathPart::Index(1), key("x")]),
                "note[1].x",
            ),
            (Field::Unknown(vec![PathPart::Index(0), key("a")]), "[0].a"),
            (
                Field::Beneath(Box::new(Field::ImageRef(None)), vec![key("os")]),
                "image_ref.os",
            ),
            (
                Field::Beneath(
                    Box::new(Field::Tag(0, None)),
                    vec![PathPart::Index(0), key("k")],
                ),
                "tags[0][0].k",
            ),
        ];
        for (field, name) in cases {
            assert_eq!(field.to_string(), name, "{field:?}");
        }
    }

    #[test]
    fn keys_that_cannot_be_printed_safely_are_escaped() {
        let field = Field::Unknown(vec![key("\u{1b}]0;pwned\u{7}")]);
        assert_eq!(field.to_string(), "\\u{1b}]0;pwned\\u{7}");
        let beneath = Field::Plan.child(key("tags")).child(key("\u{202e}"));
        assert!(!beneath.to_string().contains('\u{202e}'), "{beneath}");
    }

    #[test]
    fn each_body_field_is_the_child_of_the_plan_its_display_names() {
        for field in Field::BODY {
            assert_eq!(Field::Plan.child(key(&field.to_string())), field);
        }
        assert_eq!(
            Field::Plan.child(key("ExtraResources")),
            Field::ExtraResources(ExtrasName::Table)
        );
        assert_eq!(
            Field::Plan.child(key("colour")),
            Field::Unknown(vec![key("colour")])
        );
        assert_eq!(
            Field::Plan.child(PathPart::Index(0)),
            Field::Unknown(vec![PathPart::Index(0)])
        );
    }

    #[test]
    fn children_are_typed_as_deep_as_the_body_goes() {
        let tag_key = Field::Tags.child(PathPart::Index(4)).child(key("key"));
        assert_eq!(tag_key, Field::Tag(4, Some(TagField::Key)));
        let size = Field::ExtraResources(ExtrasName::Table)
            .child(PathPart::Index(1))
            .child(key("size"));
        assert_eq!(
            size,
            Field::Extra(ExtrasName::Table, 1, Some(ExtraField::Size))
        );
        assert_eq!(
            Field::ImageRef(None).child(key("image_id")),
            Field::ImageRef(Some(ImageField::ImageId))
        );
        // Beneath a field the body ends: the rest is kept as written.
        let deep = Field::ImageRef(None)
            .child(key("image_name"))
            .child(key("a"))
            .child(PathPart::Index(2));
        assert_eq!(
            deep,
            Field::Beneath(
                Box::new(Field::ImageRef(Some(ImageField::ImageName))),
                vec![key("a"), PathPart::Index(2)]
            )
        );
        assert_eq!(
            Field::Tags.child(key("key")),
            Field::Beneath(Box::new(Field::Tags), vec![key("key")])
        );
        assert_eq!(
            Field::Region.child(PathPart::Index(0)).to_string(),
            "region[0]"
        );
    }

    #[test]
    fn a_part_is_within_each_field_above_it_and_nothing_else() {
        let tag_key = Field::Tag(1, Some(TagField::Key));
        assert!(tag_key.is_within(&tag_key));
        assert!(tag_key.is_within(&Field::Tag(1, None)));
        assert!(tag_key.is_within(&Field::Tags));
        assert!(!tag_key.is_within(&Field::Tag(10, None)));
        assert!(!tag_key.is_within(&Field::Tag(1, Some(TagField::Value))));
        assert!(!Field::Tags.is_within(&tag_key));

        let size = Field::Extra(ExtrasName::Example, 0, Some(ExtraField::Size));
        assert!(size.is_within(&Field::ExtraResources(ExtrasName::Example)));
        assert!(!size.is_within(&Field::ExtraResources(ExtrasName::Table)));

        assert!(Field::ImageRef(Some(ImageField::ImageId)).is_within(&Field::ImageRef(None)));
        let deep = Field::ImageRef(None).child(key("x")).child(key("y"));
        assert!(deep.is_within(&Field::ImageRef(None).child(key("x"))));
        assert!(deep.is_within(&Field::ImageRef(None)));
        let unknown = Field::Plan.child(key("note")).child(key("x"));
        assert!(unknown.is_within(&Field::Plan.child(key("note"))));

        // The plan as a whole holds no field: its problem is its own.
        assert!(!Field::PlanSpec.is_within(&Field::Plan));
        assert!(!Field::Region.is_within(&Field::PlanSpec));
    }
}
