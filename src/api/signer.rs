//! Huawei Cloud AK/SK request signing, algorithm `SDK-HMAC-SHA256`.
//!
//! This is a port of `huaweicloudsdkcore.signer.signer.Signer` from Huawei's
//! official Python SDK, and it follows that code rather than the prose of the
//! API Gateway docs wherever the two could be read differently: the gateway
//! accepts what the SDK sends, so the SDK is the reference. The vectors in
//! `tests/fixtures/signer_vectors.json` were produced by that SDK (see
//! `tools/signer-vectors/`) and `tests/signer_vectors.rs` checks every
//! intermediate value against them.
//!
//! Everything here is pure: no clock, no I/O. The caller supplies the date
//! (see [`sdk_date`]) and sends the headers that [`sign`] returns.

use std::collections::HashMap;
use std::fmt::Write as _;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

use crate::secret::Secret;

pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
pub const HEADER_X_SDK_DATE: &str = "X-Sdk-Date";
pub const HEADER_HOST: &str = "Host";
pub const HEADER_AUTHORIZATION: &str = "Authorization";
pub const HEADER_CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";
/// What the SDK puts in `X-Sdk-Content-Sha256` for bodies it does not hash.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// SHA-256 of the empty string, hex.
const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// An access key and its secret. `Debug` shows the access key (it is an
/// identifier, and seeing which key was used helps) but never the secret.
#[derive(Clone, Debug)]
pub struct SigningKey {
    pub access_key: String,
    pub secret_key: Secret,
}

/// The parts of an HTTP request that the signature covers.
#[derive(Clone, Copy, Debug)]
pub struct RequestToSign<'a> {
    pub method: &'a str,
    /// `host[:port]`, as in the URL; the SDK signs it as the `Host` header
    /// unless `headers` already carry one.
    pub host: &'a str,
    /// The path, unencoded or percent-encoded: it is decoded before being
    /// re-encoded, as the SDK does (so `%2F` counts as a `/`).
    pub path: &'a str,
    /// Unencoded query pairs, in any order; repeated keys are allowed.
    pub query: &'a [(String, String)],
    /// Headers in the order they will be set. A later entry with exactly the
    /// same name replaces an earlier one, as in the SDK's header dict.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Headers that [`sign`] computed and the caller must set on the request
/// (replacing any header of the same name), in the order the SDK adds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedHeaders {
    pub headers: Vec<(&'static str, String)>,
}

impl SignedHeaders {
    /// A header by name, ignoring ASCII case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn authorization(&self) -> &str {
        // `sign` always pushes it, so this cannot miss.
        self.get(HEADER_AUTHORIZATION).unwrap_or_default()
    }
}

/// Everything [`sign`] computes, for tests and for logging a signature that
/// the gateway rejected (its error names the canonical request it expected).
#[derive(Clone, Debug)]
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    /// The date that was signed: the request's own `X-Sdk-Date` if it had one.
    pub sdk_date: String,
    pub headers: SignedHeaders,
}

/// The `X-Sdk-Date` value for an instant: UTC, `YYYYMMDDTHHMMSSZ`.
pub fn sdk_date(now: OffsetDateTime) -> String {
    let t = now.to_offset(UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Percent-encodes like Python's `urllib.parse.quote(s, safe='~')`: only
/// ASCII letters, digits and `_.-~` stay; everything else, including `/`,
/// space and `+`, becomes `%XX` with upper-case hex over the UTF-8 bytes.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes like Python's `urllib.parse.unquote`: `%XX` with two hex digits
/// becomes that byte, any other `%` stays literally, and bytes that are not
/// valid UTF-8 become U+FFFD (Python's `errors='replace'` and Rust's lossy
/// conversion both replace each maximal invalid subsequence with one U+FFFD).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&c| hex_value(c)),
                bytes.get(i + 2).and_then(|&c| hex_value(c)),
            )
        {
            out.push((hi << 4) | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// The canonical URI: each segment of the decoded path re-encoded, and always
/// a trailing `/` (the SDK adds one even though the request it sends has none).
pub fn canonical_uri(path: &str) -> String {
    let decoded = percent_decode(path);
    let mut uri = decoded
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/");
    // The SDK crashes on an empty path; "/" is what the gateway sees then.
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query string. Pairs are sorted by raw key, then raw value,
/// *before* encoding (so `é` sorts after `z` although `%C3%A9` would sort
/// first). The SDK also sends exactly this string as the request's query,
/// which keeps what is sent and what is signed the same; callers should too.
pub fn canonical_query_string(query: &[(String, String)]) -> String {
    // Byte order of UTF-8 equals Python's code-point order for str.
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical request, built over the headers the SDK would have after
/// adding its own (`X-Sdk-Content-Sha256`, `X-Sdk-Date`, `Host`).
pub fn canonical_request(req: &RequestToSign<'_>, sdk_date: &str) -> String {
    Prepared::new(req, sdk_date).canonical_request(req)
}

pub fn string_to_sign(sdk_date: &str, canonical: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical.as_bytes())
    )
}

/// Signs a request. `sdk_date` (see [`sdk_date`]) is used only when the
/// request carries no `X-Sdk-Date` header of its own, as in the SDK.
pub fn sign(key: &SigningKey, req: &RequestToSign<'_>, sdk_date: &str) -> SignedHeaders {
    signature(key, req, sdk_date).headers
}

/// [`sign`], keeping the intermediate strings.
pub fn signature(key: &SigningKey, req: &RequestToSign<'_>, sdk_date: &str) -> Signature {
    let prepared = Prepared::new(req, sdk_date);
    let canonical_request = prepared.canonical_request(req);
    let string_to_sign = string_to_sign(&prepared.sdk_date, &canonical_request);

    let mut mac = Hmac::<Sha256>::new_from_slice(key.secret_key.expose().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes().as_slice());

    let authorization = format!(
        "{ALGORITHM} Access={}, SignedHeaders={}, Signature={signature}",
        key.access_key,
        prepared.signed_header_names().join(";"),
    );
    let mut headers = prepared.added;
    headers.push((HEADER_AUTHORIZATION, authorization));
    Signature {
        canonical_request,
        string_to_sign,
        sdk_date: prepared.sdk_date,
        headers: SignedHeaders { headers },
    }
}

/// The request's headers as the SDK holds them once it has added its own,
/// modelled on a Python dict: insertion-ordered, keyed by the exact name.
struct Prepared {
    headers: Vec<(String, String)>,
    added: Vec<(&'static str, String)>,
    sdk_date: String,
}

impl Prepared {
    fn new(req: &RequestToSign<'_>, fallback_date: &str) -> Self {
        let mut p = Prepared {
            headers: Vec::with_capacity(req.headers.len() + 3),
            added: Vec::new(),
            sdk_date: String::new(),
        };
        for (k, v) in req.headers {
            p.set(k, v.clone());
        }

        // The SDK looks this one up by the exact name "Content-Type" and
        // tests the untrimmed value: "content-type: text/plain" or
        // " application/json" behave the opposite of what one would guess.
        let unsigned = p
            .headers
            .iter()
            .find(|(k, _)| k == "Content-Type")
            .is_some_and(|(_, ct)| {
                !ct.is_empty()
                    && !ct.starts_with("application/json")
                    && !ct.starts_with("application/bson")
            });
        if unsigned {
            p.add(HEADER_CONTENT_SHA256, UNSIGNED_PAYLOAD.to_owned());
        }

        // A date already on the request wins over the caller's clock, so a
        // retried request keeps the date it was first signed with. The SDK
        // would reject surrounding whitespace here; trimming is kinder.
        match p.find_ignore_case(HEADER_X_SDK_DATE) {
            Some(own) => p.sdk_date = py_strip(own).to_owned(),
            None => {
                p.sdk_date = fallback_date.to_owned();
                p.add(HEADER_X_SDK_DATE, fallback_date.to_owned());
            }
        }

        if p.find_ignore_case(HEADER_HOST).is_none() {
            p.add(HEADER_HOST, req.host.to_owned());
        }
        p
    }

    fn set(&mut self, name: &str, value: String) {
        match self.headers.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name.to_owned(), value)),
        }
    }

    fn add(&mut self, name: &'static str, value: String) {
        self.set(name, value.clone());
        self.added.push((name, value));
    }

    /// First header whose name matches, as the SDK's `_get_header_ignore_case`.
    fn find_ignore_case(&self, name: &str) -> Option<&str> {
        let want = name.to_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| k.to_lowercase() == want)
            .map(|(_, v)| v.as_str())
    }

    /// Lower-cased names, sorted. Names containing `_` are not signed
    /// (gateways and proxies commonly drop such headers). Two names that
    /// differ only in case both appear, as in the SDK.
    fn signed_header_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .headers
            .iter()
            .filter(|(k, _)| !k.contains('_'))
            .map(|(k, _)| k.to_lowercase())
            .collect();
        names.sort();
        names
    }

    fn canonical_request(&self, req: &RequestToSign<'_>) -> String {
        // Lower-cased name -> trimmed value; the last of several names that
        // differ only in case wins.
        let values: HashMap<String, &str> = self
            .headers
            .iter()
            .map(|(k, v)| (k.to_lowercase(), py_strip(v)))
            .collect();
        let names = self.signed_header_names();
        let canonical_headers = names
            .iter()
            .map(|n| format!("{n}:{}", values.get(n).copied().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n");
        format!(
            "{}\n{}\n{}\n{canonical_headers}\n\n{}\n{}",
            req.method.to_uppercase(),
            canonical_uri(req.path),
            canonical_query_string(req.query),
            names.join(";"),
            self.payload_hash(req.body),
        )
    }

    fn payload_hash(&self, body: &[u8]) -> String {
        if body.is_empty() {
            return EMPTY_HASH.to_owned();
        }
        // By the time the SDK reads this header it has rewritten every value
        // as its UTF-8 bytes read as Latin-1; only matters for non-ASCII.
        match self.find_ignore_case(HEADER_CONTENT_SHA256).map(py_strip) {
            Some(v) if !v.is_empty() => v.bytes().map(char::from).collect(),
            _ => sha256_hex(body),
        }
    }
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data).as_slice())
}

/// Python's `str.strip()`: Unicode whitespace as Rust sees it, plus the
/// separators U+001C..U+001F, which Python also counts as space.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn debug_of_key_hides_the_secret() {
        let key = SigningKey {
            access_key: "TESTAKEXAMPLE0000000".into(),
            secret_key: Secret::new("TESTSK-do-not-print-me"),
        };
        let shown = format!("{key:?}");
        assert!(!shown.contains("do-not-print-me"), "{shown}");
        assert!(shown.contains("TESTAKEXAMPLE0000000"), "{shown}");
    }

    #[test]
    fn percent_encode_keeps_only_unreserved() {
        assert_eq!(percent_encode("AZaz09_.-~"), "AZaz09_.-~");
        assert_eq!(percent_encode("a b+c/d:e"), "a%20b%2Bc%2Fd%3Ae");
        assert_eq!(
            percent_encode("2026-11-26T10:00:00Z"),
            "2026-11-26T10%3A00%3A00Z"
        );
        assert_eq!(percent_encode("é🙂"), "%C3%A9%F0%9F%99%82");
        assert_eq!(percent_encode("%"), "%25");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn percent_decode_is_lenient_like_python() {
        assert_eq!(percent_decode("a%20b%2fc"), "a b/c");
        assert_eq!(percent_decode("%zz%4%"), "%zz%4%");
        assert_eq!(percent_decode("+"), "+");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%E2%82x"), "\u{fffd}x");
        assert_eq!(percent_decode("%F0%80%80"), "\u{fffd}\u{fffd}\u{fffd}");
    }

    #[test]
    fn canonical_uri_always_ends_in_slash() {
        assert_eq!(canonical_uri("/v1/a"), "/v1/a/");
        assert_eq!(canonical_uri("/v1/a/"), "/v1/a/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/x y/a%2Fb"), "/x%20y/a/b/");
    }

    #[test]
    fn query_sorts_raw_then_encodes() {
        let q = pairs(&[("é", "1"), ("z", "b"), ("z", "a"), ("A", ""), ("k", "x y")]);
        assert_eq!(canonical_query_string(&q), "A=&k=x%20y&z=a&z=b&%C3%A9=1");
        assert_eq!(canonical_query_string(&[]), "");
    }

    #[test]
    fn py_strip_matches_python_whitespace() {
        assert_eq!(py_strip(" \t\u{a0}\u{3000}v w\u{1c}\u{1f}\n"), "v w");
        assert_eq!(py_strip("\u{200b}v"), "\u{200b}v"); // zero-width space is not space
    }

    #[test]
    fn sdk_date_is_utc_basic_format() {
        assert_eq!(
            sdk_date(datetime!(2026-11-26 10:00:00 UTC)),
            "20261126T100000Z"
        );
        assert_eq!(
            sdk_date(datetime!(2026-01-02 11:04:05 +08:00)),
            "20260102T030405Z"
        );
    }

    #[test]
    fn own_date_header_wins_and_is_not_added_again() {
        let headers = pairs(&[("x-sdk-date", "20260102T030405Z")]);
        let req = RequestToSign {
            method: "GET",
            host: "example.com",
            path: "/",
            query: &[],
            headers: &headers,
            body: b"",
        };
        let key = SigningKey {
            access_key: "AK".into(),
            secret_key: Secret::new("SK"),
        };
        let sig = signature(&key, &req, "20991231T235959Z");
        assert_eq!(sig.sdk_date, "20260102T030405Z");
        assert!(sig.string_to_sign.contains("\n20260102T030405Z\n"));
        let names: Vec<_> = sig.headers.headers.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["Host", "Authorization"]);
        assert!(
            sig.headers
                .authorization()
                .starts_with("SDK-HMAC-SHA256 Access=AK, ")
        );
    }
}
