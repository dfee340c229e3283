//! The identifiers Huawei Cloud hands out, checked once, here, before flexus
//! stores one, puts one in a URL or prints one.
//!
//! The shapes, and the evidence for them:
//! - BSS order IDs: the documents show `CS24022811305H1EW`,
//!   `CS1905251035OA1AF`, `CS19040119281JMYC` (`CS`, a `yyMMddHHmm` time,
//!   five letters or digits) but also `CS2405161952CE7IU5QmodifyJobAndPartFailJob`
//!   (mixed case, 43 characters), and BSS declares its `order_id` path
//!   parameter as "a maximum of 64 characters". So: ASCII letters and
//!   digits, 1 to 64 of them. Hyphens and underscores are allowed too (not
//!   seen, but harmless in a path and in a terminal), only not first, so an
//!   ID can never read as a command-line option.
//! - FlexusL instance IDs: the purchase document's answer shows
//!   `65dea8d23005da564c78d9d2` (24 hex digits); the servers inside are
//!   ECS servers, whose IDs are UUIDs. So: letters, digits and hyphens,
//!   starting with a letter or digit, 1 to 64 characters.
//!
//! Both rules reject what must never reach a path or a terminal: `.`, `..`,
//! `/`, `%`, spaces, control and other invisible characters, empty and
//! over-long text. A reason never repeats the rejected text itself, which
//! may be anything.

use std::fmt;

/// The longest ID of either kind (BSS's documented bound for order IDs).
pub const MAX_ID_CHARS: usize = 64;

/// A BSS order ID of the shape Huawei uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderId(String);

/// A FlexusL instance ID of the shape Huawei uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceId(String);

impl OrderId {
    /// Checks `text` (surrounding spaces are ignored); the error says why in
    /// plain words, e.g. "contains \".\"; an order ID has only letters,
    /// digits, - and _".
    pub fn parse(text: &str) -> Result<OrderId, String> {
        check(
            text.trim(),
            &tr!("core.id.order"),
            &['-', '_'],
            &tr!("core.id.order_allowed"),
        )
        .map(|id| OrderId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl InstanceId {
    /// Checks `text` (surrounding spaces are ignored); the error says why.
    pub fn parse(text: &str) -> Result<InstanceId, String> {
        check(
            text.trim(),
            &tr!("core.id.instance"),
            &['-'],
            &tr!("core.id.instance_allowed"),
        )
        .map(|id| InstanceId(id.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for InstanceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The header that ties every send of one purchase together. Unlike the
/// IDs above, flexus makes it; the purchase document bounds it: 36 to 128
/// letters, digits and hyphens, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientRequestId(String);

impl ClientRequestId {
    /// A fresh UUID v4, for a new purchase.
    pub fn new() -> Self {
        ClientRequestId(uuid::Uuid::new_v4().to_string())
    }

    /// An ID from the journal or the user, checked against the rule above.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        crate::domain::order::check_client_request_id(text)
            .map(|()| ClientRequestId(text.to_string()))
            .map_err(|why| tr!("core.id.client_request_id", why = why))
    }

    /// The header value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ClientRequestId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ClientRequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check<'a>(text: &'a str, what: &str, also: &[char], allowed: &str) -> Result<&'a str, String> {
    if text.is_empty() {
        return Err(tr!("core.id.empty", what = what, max = MAX_ID_CHARS));
    }
    let len = text.chars().count();
    if len > MAX_ID_CHARS {
        return Err(tr!(
            "core.id.too_long",
            len = len,
            what = what,
            max = MAX_ID_CHARS
        ));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || also.contains(c)))
    {
        return Err(tr!(
            "core.id.bad_char",
            char = crate::domain::order::describe_char(bad),
            what = what,
            allowed = allowed
        ));
    }
    if !text.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(tr!("core.id.first_char", what = what));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_huawei_returns_are_accepted() {
        for id in [
            "CS24022811305H1EW",
            "CS1905251035OA1AF",
            "CS19040119281JMYC",
            "CS2405161952CE7IU5QmodifyJobAndPartFailJob",
            &"C".repeat(MAX_ID_CHARS),
        ] {
            assert_eq!(
                OrderId::parse(id).map(|o| o.to_string()),
                Ok(id.to_string())
            );
        }
        assert_eq!(
            OrderId::parse("  CS24022811305H1EW\n").unwrap().as_str(),
            "CS24022811305H1EW"
        );
    }

    #[test]
    fn instance_ids_huawei_returns_are_accepted() {
        for id in [
            "65dea8d23005da564c78d9d2",
            "0b2c6e5a-1a1b-4c2d-9e3f-4a5b6c7d8e9f",
        ] {
            assert_eq!(InstanceId::parse(id).unwrap().as_str(), id);
        }
    }

    #[test]
    fn anything_that_could_escape_a_path_or_a_terminal_is_refused() {
        let cases: [(&str, &str); 11] = [
            ("", "is empty"),
            ("   ", "is empty"),
            (".", "contains \".\""),
            ("..", "contains \".\""),
            ("CS1/../pay", "contains \"/\""),
            ("CS1%2E%2E", "contains \"%\""),
            ("CS1 2", "contains a space"),
            ("\u{1b}[31m\u{7}", "U+001B"),
            ("CS1\u{202e}", "U+202E"),
            ("-rf", "must start with a letter or digit"),
            ("_CS", "must start with a letter or digit"),
        ];
        for (text, why) in cases {
            let err = OrderId::parse(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
            assert!(!err.chars().any(char::is_control), "{err:?}");
            assert!(InstanceId::parse(text).is_err(), "{text:?}");
        }
        let long = "C".repeat(MAX_ID_CHARS + 1);
        assert!(
            OrderId::parse(&long)
                .unwrap_err()
                .contains("65 characters long")
        );
        assert!(
            OrderId::parse(&"C".repeat(501))
                .unwrap_err()
                .contains("at most 64")
        );
        assert!(InstanceId::parse("65dea8d2_3005").is_err());
    }
}
