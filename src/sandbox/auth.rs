//! Authentication as the API gateway does it: an `X-Auth-Token`, or an
//! AK/SK signature (`SDK-HMAC-SHA256`) recomputed with the same signer the
//! client uses over what was actually received. Failures answer 401 with
//! the gateway's `APIGW.0301`; the messages never repeat a secret.
//!
//! This finds out *who* calls and with what scope ([`Caller`]); whether that
//! scope fits the service is decided by the routes (`routes::check_scope`).

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
}

/// What a token issued by the sandbox's IAM may be used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenScope {
    /// The project of this region.
    Project(String),
    /// The account's domain.
    Domain,
}

/// A token the sandbox's IAM issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub scope: TokenScope,
    pub expires_at: OffsetDateTime,
}

/// Who sent a request that passed authentication, and with what scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Token {
        scope: TokenScope,
        expired: bool,
    },
    /// A valid AK/SK signature, with the scope headers it carried.
    Keys {
        project_id: Option<String>,
        domain_id: Option<String>,
    },
}

/// The token a header names, if the sandbox issued it.
pub fn find_token(tokens: &[(String, Issued)], presented: &[u8]) -> Option<Issued> {
    // Every entry is compared, so timing does not tell which came close.
    let mut found = None;
    for (token, issued) in tokens {
        if constant_time_eq(token.as_bytes(), presented) {
            found = Some(issued.clone());
        }
    }
    found
}

pub fn authenticate(
    creds: &SandboxCredentials,
    tokens: &[(String, Issued)],
    req: &Presented<'_>,
    now: OffsetDateTime,
) -> Result<Caller, Rejection> {
    if let Some(token) = req.headers.get(headers::AUTH_TOKEN) {
        return match find_token(tokens, token.as_bytes()) {
            Some(issued) => Ok(Caller::Token {
                expired: issued.expires_at <= now,
                scope: issued.scope,
            }),
            None => Err(Rejection(
                "the X-Auth-Token is not valid (expired, or from elsewhere); get a new token"
                    .into(),
            )),
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
) -> Result<Caller, Rejection> {
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

    // A scope header counts only when the signature covers it: otherwise
    // anyone on the way could move the request to another project.
    let scope_header = |name: &str| -> Result<Option<String>, Rejection> {
        let Some(value) = header_text(req.headers, name) else {
            return Ok(None);
        };
        if auth
            .signed_headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case(name))
        {
            Ok(Some(value.trim().to_string()))
        } else {
            Err(Rejection(format!("{name} is not among the signed headers")))
        }
    };
    Ok(Caller::Keys {
        project_id: scope_header(headers::PROJECT_ID)?,
        domain_id: scope_header(headers::DOMAIN_ID)?,
    })
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
