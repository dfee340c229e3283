//! One journal line on disk: an [`Entry`] as JSON with a checksum at its
//! end, and the reading back of lines that may have been damaged.
//!
//! The checksum is a field the entry itself does not have, so binaries that
//! predate it still read the line (serde ignores unknown fields), and lines
//! written before it (no `sum`) are still read, unverified.

use sha2::{Digest, Sha256};

use super::{DamagedRecord, Entry};

/// `,"sum":"` + 16 hex digits + `"}`.
const SUM_KEY: &[u8] = b",\"sum\":\"";
const SUM_HEX: usize = 16;
const SUFFIX_LEN: usize = SUM_KEY.len() + SUM_HEX + 2;
/// Every entry's JSON starts so (serde writes the tag first), which lets a
/// line two records were glued into (a newline byte flipped) be split.
const RECORD_START: &[u8] = b"{\"event\":\"";

/// The line `append` writes for `entry`, newline excluded.
pub fn encode(entry: &Entry) -> String {
    let mut text = serde_json::to_string(entry).expect("journal entries always serialize");
    debug_assert!(text.ends_with('}') && text.len() > 2);
    let sum = checksum(text.as_bytes());
    text.pop();
    text.push_str(",\"sum\":\"");
    text.push_str(&sum);
    text.push_str("\"}");
    text
}

fn checksum(content: &[u8]) -> String {
    hex::encode(&Sha256::digest(content)[..SUM_HEX / 2])
}

/// What one stretch of bytes turned out to hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Good(Entry),
    Damaged(DamagedRecord),
}

/// A record found in the file: where it is, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub offset: u64,
    pub len: u64,
    /// 1-based line number.
    pub line: u64,
    pub item: Item,
}

/// The records in `bytes`, which start at file offset `base`, after
/// `newlines_before` newlines. The last stretch needs no newline: a line
/// torn by a crash is reported (as damaged) like any other.
pub fn scan(bytes: &[u8], base: u64, newlines_before: u64) -> Vec<Found> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut line = newlines_before + 1;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        for (from, to) in fragments(&bytes[start..end]) {
            let piece = &bytes[start + from..start + to];
            if piece.trim_ascii().is_empty() {
                continue;
            }
            found.push(Found {
                offset: base + (start + from) as u64,
                len: (to - from) as u64,
                line,
                item: decode(piece, line),
            });
        }
        start = end + 1;
        line += 1;
    }
    found
}

/// Splits a line where a record starts inside it: records glued together by
/// a lost newline are each read on their own.
fn fragments(line: &[u8]) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = vec![0];
    let mut i = 1;
    while i + RECORD_START.len() <= line.len() {
        if &line[i..i + RECORD_START.len()] == RECORD_START {
            starts.push(i);
            i += RECORD_START.len();
        } else {
            i += 1;
        }
    }
    let mut pieces = Vec::with_capacity(starts.len());
    for (n, from) in starts.iter().enumerate() {
        let to = starts.get(n + 1).copied().unwrap_or(line.len());
        pieces.push((*from, to));
    }
    pieces
}

/// Reads one record; `line` only says where it is when it is damaged.
pub fn decode(bytes: &[u8], line: u64) -> Item {
    match read_entry(bytes) {
        Some(entry) => Item::Good(entry),
        None => Item::Damaged(salvage(bytes, line)),
    }
}

fn read_entry(bytes: &[u8]) -> Option<Entry> {
    let bytes = bytes.trim_ascii();
    // The object may be followed by what a flipped newline left; the
    // checksum then says whether the object itself is whole.
    let mut stream =
        serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
    stream.next()?.ok()?;
    let end = stream.byte_offset();
    let (object, rest) = bytes.split_at(end);
    match verified_content(object) {
        Some(Ok(content)) => serde_json::from_slice(&content).ok(),
        Some(Err(())) => None,
        // Unverifiable (written before checksums): only a line that is
        // exactly one object is trusted.
        None if rest.iter().all(|b| b.is_ascii_whitespace()) => serde_json::from_slice(object).ok(),
        None => None,
    }
}

/// `Some(Ok(content))` for a record whose checksum matches, `Some(Err)` for
/// one whose checksum does not, `None` for one without a checksum.
fn verified_content(object: &[u8]) -> Option<Result<Vec<u8>, ()>> {
    if object.len() < SUFFIX_LEN + 2 || !object.ends_with(b"\"}") {
        return None;
    }
    let key_at = object.len() - SUFFIX_LEN;
    if &object[key_at..key_at + SUM_KEY.len()] != SUM_KEY {
        return None;
    }
    let sum = &object[key_at + SUM_KEY.len()..object.len() - 2];
    let mut content = object[..key_at].to_vec();
    content.push(b'}');
    if checksum(&content).as_bytes() == sum {
        Some(Ok(content))
    } else {
        Some(Err(()))
    }
}

/// What can still be read out of a damaged record. Field names are matched
/// allowing one wrong byte, so a flip in a name costs no more than a flip
/// in its value.
pub fn salvage(bytes: &[u8], line: u64) -> DamagedRecord {
    DamagedRecord {
        place: format!("line {line}"),
        event: field(bytes, b"\"event\":\""),
        at: field(bytes, b"\"at\":\""),
        client_request_id: field(bytes, b"\"client_request_id\":\""),
        order_id: field(bytes, b"\"order_id\":\""),
    }
}

/// The longest value shown: IDs are far shorter; damage may have eaten the
/// closing quote.
const MAX_VALUE: usize = 128;

fn field(bytes: &[u8], key: &[u8]) -> Option<String> {
    let exact = bytes.windows(key.len()).position(|w| w == key);
    let at = exact.or_else(|| {
        bytes
            .windows(key.len())
            .position(|w| w.iter().zip(key).filter(|(a, b)| a != b).count() <= 1)
    })?;
    let value = &bytes[at + key.len()..];
    let end = value
        .iter()
        .position(|b| *b == b'"')
        .unwrap_or(value.len())
        .min(MAX_VALUE);
    let text: String = value[..end]
        .iter()
        // Never print what damage made of a byte: the terminal would act on
        // control characters.
        .map(|b| {
            if b.is_ascii_graphic() || *b == b' ' {
                *b as char
            } else {
                '?'
            }
        })
        .collect();
    (!text.is_empty()).then_some(text)
}
