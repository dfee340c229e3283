//! Authentication as the API gateway does it: an `X-Auth-Token`, or an
//! AK/SK signature (`SDK-HMAC-SHA256`) recomputed with the same signer the
//! client uses over what was actually received. Failures answer 401 with
//! the gateway's `APIGW.0301`; the messages never repeat a secret.

use axum::http::{HeaderMap, Method, Uri};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::api::signer::{self, RequestToSign, SigningKey};
use crate::api::wire::headers;

use super::SandboxCredentials;

/// How far `X-Sdk-Date` may be from the sandbox's clock.
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// Why a request was not authenticated, in the gateway's words (after
/// "Incorrect IAM authentication information: ").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection(pub String);

/// What the gateway checks on one request.
pub struct Presented<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// HCSS calls signed with AK/SK must name the project.
    pub needs_project: bool,
}

pub fn authenticate(
    creds: &SandboxCredentials,
    req: &Presented<'_>,
    now: OffsetDateTime,
) -> Result<(), Rejection> {
    if let Some(token) = req.headers.get(headers::AUTH_TOKEN) {
        return if constant_time_eq(token.as_bytes(), creds.token.expose().as_bytes()) {
            Ok(())
        } else {
            Err(Rejection(
                "the X-Auth-Token is not valid (expired, or from elsewhere); get a new token"
                    .into(),
            ))
        };
    }
    match req.headers.get(signer::HEADER_AUTHORIZATION) {
        None => Err(Rejection(
            "no X-Auth-Token header and no Authorization signature".into(),
        )),
        Some(value) => {
            let value = value
                .to_str()
                .map_err(|_| Rejection("the Authorization header is not text".into()))?;
            verify_signature(creds, req, value, now)
        }
    }
}

struct Authorization<'a> {
    access: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Result<Authorization<'_>, Rejection> {
    let rest = value
        .strip_prefix(signer::ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| {
            Rejection(format!(
                "the Authorization header does not use {}",
                signer::ALGORITHM
            ))
        })?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("Access=") {
            access = Some(v);
        } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
            signed = Some(v);
        } else if let Some(v) = part.strip_prefix("Signature=") {
            signature = Some(v);
        }
    }
    match (access, signed, signature) {
        (Some(access), Some(signed), Some(signature)) => Ok(Authorization {
            access,
            signed_headers: signed.split(';').filter(|s| !s.is_empty()).collect(),
            signature,
        }),
        _ => Err(Rejection(
            "the Authorization header lacks Access, SignedHeaders or Signature".into(),
        )),
    }
}

fn verify_signature(
    creds: &SandboxCredentials,
    req: &Presented<'_>,
    authorization: &str,
    now: OffsetDateTime,
) -> Result<(), Rejection> {
    let auth = parse_authorization(authorization)?;
    if auth.access != creds.access_key {
        return Err(Rejection(format!("ak {} not exist", auth.access)));
    }
    let date = header_text(req.headers, signer::HEADER_X_SDK_DATE)
        .ok_or_else(|| Rejection("the signed request has no X-Sdk-Date header".into()))?;
    let signed_at = parse_sdk_date(date).ok_or_else(|| {
        Rejection(format!(
            "X-Sdk-Date \"{date}\" is not in the form YYYYMMDDTHHMMSSZ"
        ))
    })?;
    if (now - signed_at).abs() > MAX_CLOCK_SKEW {
        return Err(Rejection(format!(
            "X-Sdk-Date {date} is more than 15 minutes away from the server's time; check the clock"
        )));
    }
    if !auth
        .signed_headers
        .iter()
        .any(|h| h.eq_ignore_ascii_case(signer::HEADER_X_SDK_DATE))
    {
        return Err(Rejection(
            "x-sdk-date is not among the signed headers".into(),
        ));
    }

    let mut signed = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let value = header_text(req.headers, name).ok_or_else(|| {
            Rejection(format!(
                "the signed header {name} is missing from the request"
            ))
        })?;
        signed.push(((*name).to_string(), value.to_string()));
    }
    let host = header_text(req.headers, signer::HEADER_HOST).unwrap_or_default();
    let query = query_pairs(req.uri.query().unwrap_or_default());
    let expected = signer::signature(
        &SigningKey {
            access_key: creds.access_key.clone(),
            secret_key: creds.secret_key.clone(),
        },
        &RequestToSign {
            method: req.method.as_str(),
            host,
            path: req.uri.path(),
            query: &query,
            headers: &signed,
            body: req.body,
        },
        date,
    );
    let expected_signature = expected
        .headers
        .authorization()
        .rsplit_once("Signature=")
        .map(|(_, s)| s)
        .unwrap_or_default();
    if !constant_time_eq(expected_signature.as_bytes(), auth.signature.as_bytes()) {
        return Err(Rejection("verify aksk signature fail".into()));
    }

    if req.needs_project {
        match header_text(req.headers, headers::PROJECT_ID) {
            Some(p) if p == creds.project_id => {}
            Some(p) => {
                return Err(Rejection(format!(
                    "X-Project-Id {p} is not a project of this account"
                )));
            }
            None => {
                return Err(Rejection(
                    "X-Project-Id is required with AK/SK on this service; look it up with GET /v3/projects?name=REGION".into(),
                ));
            }
        }
    }
    Ok(())
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The query as the signer wants it: decoded pairs, in any order.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (signer::percent_decode(k), signer::percent_decode(v))
        })
        .collect()
}

fn parse_sdk_date(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(text.trim(), format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// Compares without stopping at the first difference, so timing does not
/// tell how much of a guessed token or signature was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
