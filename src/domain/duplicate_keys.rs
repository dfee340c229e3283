//! Keys given twice in one JSON object. serde_json keeps the last one
//! silently, so `"period_num": 1, "period_num": 9` would buy nine months;
//! a plan is read only when every object names each key once.

use std::collections::HashMap;

use super::field::{Field, PathPart};

/// A key given a second time in the same object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Where it is: `period_num`, `image_ref.image_name`,
    /// `extra_resources[1].type`.
    pub field: Field,
    /// The key itself, with anything unprintable escaped.
    pub key: String,
    pub line: usize,
    /// The line of its first occurrence.
    pub first_line: usize,
}

enum Frame {
    Object {
        path: Field,
        /// Each key seen so far with the line it was first seen on.
        keys: HashMap<String, usize>,
        expecting_key: bool,
        current: Option<String>,
    },
    Array {
        path: Field,
        index: usize,
    },
}

/// Every duplicate key of `text`, in the order they appear. `text` must
/// already be known to be valid JSON (the scan relies on it).
pub fn find(text: &str) -> Vec<DuplicateKey> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'{' => {
                let path = child_path(&stack);
                stack.push(Frame::Object {
                    path,
                    keys: HashMap::new(),
                    expecting_key: true,
                    current: None,
                });
            }
            b'[' => {
                let path = child_path(&stack);
                stack.push(Frame::Array { path, index: 0 });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { expecting_key, .. }) => *expecting_key = true,
                Some(Frame::Array { index, .. }) => *index += 1,
                None => {}
            },
            b'"' => {
                let start = i;
                i += 1;
                // Valid JSON: the string ends at the first unescaped quote,
                // and holds no raw line break.
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if let Some(Frame::Object {
                    path,
                    keys,
                    expecting_key: expecting_key @ true,
                    current,
                }) = stack.last_mut()
                {
                    *expecting_key = false;
                    let raw = text.get(start..=i).unwrap_or_default();
                    let key: String = serde_json::from_str(raw).unwrap_or_default();
                    match keys.get(&key) {
                        Some(&first_line) => found.push(DuplicateKey {
                            field: path.child(PathPart::Key(key.clone())),
                            key: key.escape_debug().to_string(),
                            line,
                            first_line,
                        }),
                        None => {
                            keys.insert(key.clone(), line);
                        }
                    }
                    *current = Some(key);
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The place of a value about to open inside the innermost container.
fn child_path(stack: &[Frame]) -> Field {
    match stack.last() {
        None => Field::Plan,
        Some(Frame::Object { path, current, .. }) => {
            path.child(PathPart::Key(current.clone().unwrap_or_default()))
        }
        Some(Frame::Array { path, index }) => path.child(PathPart::Index(*index)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::field::{ExtraField, ExtrasName, ImageField};

    #[test]
    fn finds_duplicates_at_every_level_with_both_lines() {
        let text = r#"{
  "period_num": 1,
  "image_ref": {"image_name": "BT", "image_name": "x"},
  "extra_resources": [{"type": "evs"}, {"type": "cbr", "size": 1, "type": "hss"}],
  "period_num": 9,
  "note": "a \"period_num\": 2 inside a string, and a } and a {",
  "tags": [["period_num"]]
}"#;
        let found = find(text);
        let summary: Vec<(String, usize, usize)> = found
            .iter()
            .map(|d| (d.field.to_string(), d.line, d.first_line))
            .collect();
        assert_eq!(
            summary,
            [
                ("image_ref.image_name".to_string(), 3, 3),
                ("extra_resources[1].type".to_string(), 4, 4),
                ("period_num".to_string(), 5, 2),
            ]
        );
        assert_eq!(found[0].field, Field::ImageRef(Some(ImageField::ImageName)));
        assert_eq!(
            found[1].field,
            Field::Extra(ExtrasName::Example, 1, Some(ExtraField::Type))
        );
        assert_eq!(found[2].field, Field::PeriodNum);
        assert_eq!(found[2].key, "period_num");
    }

    #[test]
    fn escaped_spellings_of_one_key_are_the_same_key() {
        let found = find(r#"{"period_num": 1, "period\u005fnum": 9}"#);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].key, "period_num");
    }

    #[test]
    fn the_same_key_in_different_objects_is_fine() {
        assert!(find(r#"{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}"#).is_empty());
        assert!(find(r#"[1, "x", {"x": 1}]"#).is_empty());
    }

    #[test]
    fn unprintable_keys_are_escaped() {
        let found = find("{\"\\u001b[2J\": 1, \"\\u001b[2J\": 2}");
        assert_eq!(found[0].key, "\\u{1b}[2J");
        assert!(!found[0].field.to_string().chars().any(char::is_control));
    }
}
