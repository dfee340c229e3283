//! Turning HTTP answers and network trouble into [`ApiFailure`]s a person can
//! act on: the status, the service's code and message (cleaned), and a next
//! step for every code the purchase document lists.

use super::engine::ApiFailure;
use super::wire::{ErrorBody, bss_codes, codes, gateway_codes};

/// Longest service message shown; longer ones are cut (a misbehaving proxy can
/// answer with a whole HTML page).
const MAX_MESSAGE_CHARS: usize = 500;

/// Text that came from the network, made safe for a terminal: control
/// characters (escape sequences, bells, carriage returns) are dropped and the
/// length is bounded.
pub fn clean(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control())
        .take(MAX_MESSAGE_CHARS + 1)
        .collect();
    if out.chars().count() > MAX_MESSAGE_CHARS {
        out = out.chars().take(MAX_MESSAGE_CHARS).collect();
        out.push_str("...");
    }
    out.trim().to_string()
}

/// What the request was for: the same status means different things, and
/// calls for different steps, on different calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// HCSS purchase.
    CreateOrder,
    /// BSS order details.
    OrderDetails,
    /// BSS order list.
    ListOrders,
    /// BSS payment.
    PayOrder,
    /// BSS cancellation.
    CancelOrder,
    /// IAM password login.
    Login,
    /// IAM project lookup for AK/SK.
    ProjectLookup,
    /// IAM domain lookup for AK/SK on billing.
    DomainLookup,
    /// IAM: a token of another scope for one already held.
    ScopedToken,
    /// IAM: what a token is scoped to.
    TokenCheck,
}

impl Operation {
    fn service(self) -> &'static str {
        match self {
            Operation::CreateOrder => "HCSS",
            Operation::Login
            | Operation::ProjectLookup
            | Operation::DomainLookup
            | Operation::ScopedToken
            | Operation::TokenCheck => "IAM",
            _ => "BSS",
        }
    }
}

/// A non-success HTTP answer as a failure: the one place error bodies are
/// read, whichever shape they come in (see [`ErrorBody`]). `redact` removes
/// the caller's own secrets in case a service echoes them back.
pub fn from_response(
    operation: Operation,
    status: u16,
    body: &[u8],
    redact: &dyn Fn(String) -> String,
) -> ApiFailure {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let (code, message) = parsed
        .as_ref()
        .map(|b| b.code_and_message())
        .unwrap_or((None, None));
    let code = code
        .map(|c| clean(&redact(c.to_string())))
        .filter(|c| !c.is_empty());
    // The trailing full stop is dropped: the message is followed by the
    // status and code in parentheses, then the next step.
    let message = message
        .map(|m| {
            clean(&redact(m.to_string()))
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| default_message(operation, status));
    ApiFailure {
        status: Some(status),
        next_step: next_step(operation, Some(status), code.as_deref()),
        code,
        message,
    }
}

fn default_message(operation: Operation, status: u16) -> String {
    let service = operation.service();
    match status {
        400 => format!("{service} refused the request as invalid"),
        401 => format!("{service} did not accept the credentials"),
        403 => format!("{service} refused: the user may not do this"),
        404 => match operation {
            Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder => {
                "no such order".to_string()
            }
            _ => format!("{service} does not know this address"),
        },
        429 => format!("{service} is receiving too many requests"),
        500..=599 => format!("{service} had an internal error"),
        _ => format!("{service} answered with an unexpected status"),
    }
}

/// The next step when the sign-in no longer holds (an expired token).
const SIGN_IN_AGAIN: &str = "The sign-in has expired (a token lasts 24 hours): sign in again, \
                             or get new tokens";

/// The next step when billing refuses for lack of permission.
const BILLING_PERMISSIONS: &str = "The user lacks permission for billing (BSS): ask an \
                                   administrator for BSS permissions (for example BSS \
                                   Administrator, or bss:order:view, bss:order:update and \
                                   bss:order:pay)";

/// Whether a failure means the credentials no longer hold (an expired or
/// refused token, keys the gateway does not accept): the wizard then goes
/// back to sign-in. A 403 for a missing permission is not one of these.
pub fn needs_sign_in(f: &super::engine::ApiFailure) -> bool {
    match f.code.as_deref() {
        Some(bss_codes::TOKEN_EXPIRED | gateway_codes::TOKEN_EXPIRED) => true,
        Some(bss_codes::ACCESS_DENIED) => false,
        _ => f.status == Some(401),
    }
}

/// The next step for a code from the purchase document's Table 8, or for a
/// status when the code is unknown or absent.
pub fn next_step(operation: Operation, status: Option<u16>, code: Option<&str>) -> String {
    let retry_later = "Try again in a few minutes; if it keeps failing, open a ticket with \
                       Huawei Cloud support and quote the error code";
    let by_code = match code {
        Some(codes::INVALID_PARAMETER) => Some(
            "Nothing was ordered. Check the plan against `flexus catalog` (the message names \
             the field) and submit again"
                .to_string(),
        ),
        Some(codes::CORS_EXCEPTION) => Some(format!(
            "Nothing was ordered; an internal Huawei Cloud service (CORS) failed. {retry_later}"
        )),
        Some(codes::CBC_EXCEPTION) => Some(format!(
            "Nothing was ordered; the billing service (CBC) failed. Check in the Billing Center \
             that the account is in good standing (balance, payment method, real-name \
             verification). {retry_later}"
        )),
        Some(codes::ECS_EXCEPTION) => Some(format!(
            "Nothing was ordered; the compute service (ECS) failed. {retry_later}"
        )),
        Some(codes::EVS_EXCEPTION) => Some(format!(
            "Nothing was ordered; the disk service (EVS) failed. Try another data disk size or \
             none. {retry_later}"
        )),
        Some(codes::EIP_EXCEPTION) => Some(format!(
            "Nothing was ordered; the public IP service (EIP) failed, often for lack of EIP \
             quota in the region. Check the EIP quota or pick another region. {retry_later}"
        )),
        Some(codes::ELB_EXCEPTION) => Some(format!(
            "Nothing was ordered; the load balancer service (ELB) failed. {retry_later}"
        )),
        Some(codes::IMS_EXCEPTION) => Some(
            "Nothing was ordered; the image service (IMS) failed. For a private image, check \
             that the image ID exists in the chosen region and is usable by this account; \
             otherwise pick another image or try again later"
                .to_string(),
        ),
        Some(codes::MARKETPLACE_EXCEPTION) => Some(
            "Nothing was ordered; the Marketplace image could not be provided. Pick another \
             application image or version (`flexus catalog`), or try again later"
                .to_string(),
        ),
        Some(codes::INSUFFICIENT_SPECS) => Some(
            "Nothing was ordered: that specification is sold out or not offered for this image \
             in this region. Pick another specification or region (`flexus catalog`)"
                .to_string(),
        ),
        Some(codes::INSUFFICIENT_QUOTA) => Some(
            "Nothing was ordered: the account's quota is too small. Lower the quantity or ask \
             for a quota increase (console: Quotas), then submit again"
                .to_string(),
        ),
        Some(codes::TOO_MANY_REQUESTS) => {
            Some("Too many requests: wait a minute and try again".to_string())
        }
        Some(codes::SERVER_EXCEPTION) => Some(match operation {
            Operation::CreateOrder => format!(
                "An order may or may not exist: run `flexus orders` and check the console \
                 before submitting again. {retry_later}"
            ),
            _ => retry_later.to_string(),
        }),
        Some(bss_codes::INVALID_ORDER) => Some(
            "Check the order ID (`flexus orders` lists the ones placed from here); an order \
             placed moments ago can take a little while to appear"
                .to_string(),
        ),
        Some(bss_codes::STATUS_CHANGED) => Some(
            "The order can no longer be paid (already paid, or cancelled): see `flexus status \
             ORDER_ID`"
                .to_string(),
        ),
        Some(bss_codes::CANCEL_NOT_ALLOWED) => Some(
            "Only orders pending payment can be cancelled: see `flexus status ORDER_ID`"
                .to_string(),
        ),
        Some(bss_codes::TOKEN_EXPIRED | gateway_codes::TOKEN_EXPIRED) => {
            Some(SIGN_IN_AGAIN.to_string())
        }
        Some(bss_codes::ACCESS_DENIED) => Some(BILLING_PERMISSIONS.to_string()),
        Some(bss_codes::TOO_FREQUENT | gateway_codes::THROTTLED) => {
            Some("Too many requests: wait a minute and try again".to_string())
        }
        _ => None,
    };
    if let Some(step) = by_code {
        return step;
    }
    match (operation, status) {
        (Operation::Login, Some(400 | 401)) => {
            "Check the user name, password and account name (and the MFA code if the account \
             uses login protection), then sign in again"
                .to_string()
        }
        (Operation::ScopedToken | Operation::TokenCheck, Some(401 | 404)) => {
            SIGN_IN_AGAIN.to_string()
        }
        (_, Some(401)) => "Check the credentials and sign in again: with keys, the access key \
                           and secret key (and this machine's clock, since a signature made \
                           more than 15 minutes off is refused); with tokens, get new ones (a \
                           token lasts 24 hours)"
            .to_string(),
        (Operation::ProjectLookup, Some(403)) => {
            "The keys may not list IAM projects: set HUAWEICLOUD_SDK_PROJECT_ID (or project_id \
             in the credentials file) to the project ID of the region"
                .to_string()
        }
        (Operation::CreateOrder, Some(403)) => {
            "Nothing was ordered: the user lacks permission to buy FlexusL instances. Ask an \
             administrator for HCSS and BSS permissions (for example BSS Administrator and \
             HCSS FullAccess)"
                .to_string()
        }
        (Operation::DomainLookup, Some(403)) => {
            "The keys may not read their domain: set HUAWEICLOUD_SDK_DOMAIN_ID (or domain_id \
             under [global] in the credentials file) to the account ID (console: My Credentials)"
                .to_string()
        }
        (_, Some(403)) => BILLING_PERMISSIONS.to_string(),
        (Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder, Some(404)) => {
            "Check the order ID (`flexus orders` lists the ones placed from here)".to_string()
        }
        (_, Some(404)) => {
            "Check the endpoint settings (--hcss-endpoint, --bss-endpoint, --iam-endpoint)"
                .to_string()
        }
        (Operation::CreateOrder, Some(400..=499)) => {
            "Nothing was ordered. Fix what the message says and submit again".to_string()
        }
        (Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder, Some(400)) => {
            "Check the order ID (`flexus orders` lists the ones placed from here)".to_string()
        }
        (_, Some(429)) => "Wait a minute and try again".to_string(),
        (Operation::CreateOrder, Some(500..=599)) => {
            "An order may or may not exist: run `flexus orders` and check the console before \
             submitting again"
                .to_string()
        }
        (_, Some(500..=599)) => retry_later.to_string(),
        (_, Some(_)) => retry_later.to_string(),
        (_, None) => {
            "Check the network connection and the endpoint settings, then try again".to_string()
        }
    }
}

/// How a request failed without an HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NetworkTrouble {
    /// No connection could be made: nothing was sent.
    Connect,
    /// The answer did not come in time.
    Timeout,
    /// The connection broke after the request went out.
    Lost,
}

pub(crate) fn network(operation: Operation, trouble: NetworkTrouble, host: &str) -> ApiFailure {
    let service = operation.service();
    let message = match trouble {
        NetworkTrouble::Connect => format!("could not connect to {service} at {host}"),
        NetworkTrouble::Timeout => format!("no answer from {service} at {host} in time"),
        NetworkTrouble::Lost => format!("the connection to {service} at {host} broke"),
    };
    ApiFailure {
        status: None,
        code: None,
        message,
        next_step: next_step(operation, None, None),
    }
}

/// How a purchase of unknown outcome ended, in words starting lower-case:
/// an HTTP 5xx is named as what it is (the service answered, with its code
/// and message), distinct from an answer lost to the network or a timeout,
/// and from an answer that came but could not be used. `detail` adds the
/// failure's message where the 5xx wording does not already carry it.
pub fn ambiguity(reason: &ApiFailure, detail: bool) -> String {
    let message = if detail {
        format!(" ({})", reason.message)
    } else {
        String::new()
    };
    match reason.status {
        Some(status @ 500..=599) => {
            let said = match &reason.code {
                Some(code) => format!("{code}, {}", reason.message),
                None => reason.message.clone(),
            };
            format!(
                "the service answered HTTP {status} ({said}): the order may still have been placed"
            )
        }
        // The message already says which service answered, and how.
        Some(status) if detail => format!(
            "{} (HTTP {status}): an order may have been placed",
            reason.message
        ),
        Some(status) => format!(
            "the service answered HTTP {status}, but its answer could not be used: an order may \
             have been placed"
        ),
        None => {
            format!("the answer to the purchase was lost{message}: an order may have been placed")
        }
    }
}

/// A success status whose body could not be read as expected.
pub(crate) fn unreadable(operation: Operation, status: u16, what: &str) -> ApiFailure {
    ApiFailure {
        status: Some(status),
        code: None,
        message: format!(
            "{} answered, but its answer could not be read ({what})",
            operation.service()
        ),
        next_step: "Check the endpoint settings; if they are right, try again later".to_string(),
    }
}

/// An answer larger than flexus reads (`limit` bytes): not read, so its
/// content is unknown.
pub(crate) fn too_large(operation: Operation, status: u16, limit: usize) -> ApiFailure {
    ApiFailure {
        status: Some(status),
        code: None,
        message: format!(
            "{} answered with more than {} KiB, far more than any answer it gives; flexus \
             stopped reading it",
            operation.service(),
            limit / 1024
        ),
        next_step: match operation {
            Operation::CreateOrder => "An order may have been placed: run `flexus orders` and \
                                       check the console before submitting again"
                .to_string(),
            _ => "Check the endpoint settings (a proxy in between may be answering instead of \
                  Huawei Cloud), then try again later"
                .to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep(s: String) -> String {
        s
    }

    #[test]
    fn both_error_shapes_give_code_and_message() {
        let flat = br#"{"error_code":"HCSS.14000011","error_msg":"Insufficient quota."}"#;
        let f = from_response(Operation::CreateOrder, 400, flat, &keep);
        assert_eq!(f.status, Some(400));
        assert_eq!(f.code.as_deref(), Some("HCSS.14000011"));
        assert_eq!(f.message, "Insufficient quota");
        assert!(
            f.next_step.contains("Lower the quantity"),
            "{}",
            f.next_step
        );

        let nested = br#"{"error":{"code":"APIGW.0301","message":"Incorrect IAM authentication information"}}"#;
        let f = from_response(Operation::OrderDetails, 401, nested, &keep);
        assert_eq!(f.code.as_deref(), Some("APIGW.0301"));
        assert_eq!(f.message, "Incorrect IAM authentication information");
        assert!(f.next_step.contains("24 hours"), "{}", f.next_step);
    }

    #[test]
    fn every_documented_code_has_its_own_next_step() {
        let all = [
            codes::INVALID_PARAMETER,
            codes::CORS_EXCEPTION,
            codes::CBC_EXCEPTION,
            codes::ECS_EXCEPTION,
            codes::EVS_EXCEPTION,
            codes::EIP_EXCEPTION,
            codes::ELB_EXCEPTION,
            codes::IMS_EXCEPTION,
            codes::MARKETPLACE_EXCEPTION,
            codes::INSUFFICIENT_SPECS,
            codes::INSUFFICIENT_QUOTA,
            codes::TOO_MANY_REQUESTS,
            codes::SERVER_EXCEPTION,
        ];
        let generic = next_step(Operation::CreateOrder, Some(400), None);
        let mut seen = std::collections::HashSet::new();
        for code in all {
            let step = next_step(Operation::CreateOrder, Some(400), Some(code));
            assert_ne!(step, generic, "{code}");
            assert!(
                seen.insert(step),
                "{code} shares its next step with another code"
            );
        }
        assert!(
            next_step(
                Operation::CreateOrder,
                Some(400),
                Some(codes::INSUFFICIENT_SPECS)
            )
            .contains("sold out")
        );
    }

    #[test]
    fn network_text_is_cleaned() {
        let body = "{\"error_code\":\"X\\u001b[31m\",\"error_msg\":\"bad\\u001b]0;pwned\\u0007 thing\\r\\nnext\"}";
        let f = from_response(Operation::OrderDetails, 500, body.as_bytes(), &keep);
        assert_eq!(f.code.as_deref(), Some("X[31m"));
        assert_eq!(f.message, "bad]0;pwned thing next");
        assert!(!f.message.chars().any(char::is_control));

        let long = "x".repeat(5000);
        assert_eq!(clean(&long).chars().count(), MAX_MESSAGE_CHARS + 3);
    }

    #[test]
    fn bodies_that_are_not_json_get_a_default_message() {
        let f = from_response(
            Operation::OrderDetails,
            502,
            b"<html>Bad gateway</html>",
            &keep,
        );
        assert_eq!(f.code, None);
        assert_eq!(f.message, "BSS had an internal error");
        let f = from_response(Operation::OrderDetails, 404, b"", &keep);
        assert_eq!(f.message, "no such order");
    }

    #[test]
    fn a_server_error_is_named_apart_from_a_lost_answer() {
        let body = br#"{"error_code":"HCSS.15000001","error_msg":"Server exception."}"#;
        let f = from_response(Operation::CreateOrder, 500, body, &keep);
        assert_eq!(
            ambiguity(&f, true),
            "the service answered HTTP 500 (HCSS.15000001, Server exception): the order may \
             still have been placed"
        );
        assert_eq!(ambiguity(&f, false), ambiguity(&f, true));
        let lost = network(Operation::CreateOrder, NetworkTrouble::Lost, "h:1");
        assert_eq!(
            ambiguity(&lost, true),
            "the answer to the purchase was lost (the connection to HCSS at h:1 broke): an \
             order may have been placed"
        );
        let late = network(Operation::CreateOrder, NetworkTrouble::Timeout, "h:1");
        assert!(ambiguity(&late, true).contains("no answer from HCSS at h:1 in time"));
        assert!(!ambiguity(&late, true).contains("HTTP"));
        let huge = too_large(Operation::CreateOrder, 202, 1 << 20);
        assert!(
            ambiguity(&huge, false).starts_with("the service answered HTTP 202, but"),
            "{}",
            ambiguity(&huge, false)
        );
        assert_eq!(
            ambiguity(&huge, true),
            "HCSS answered with more than 1024 KiB, far more than any answer it gives; flexus \
             stopped reading it (HTTP 202): an order may have been placed"
        );
    }

    #[test]
    fn redaction_applies_to_service_text() {
        let body = br#"{"error_code":"APIGW.0307","error_msg":"token MIIsecret expired"}"#;
        let redact = |s: String| s.replace("MIIsecret", "<redacted>");
        let f = from_response(Operation::CreateOrder, 401, body, &redact);
        assert_eq!(f.message, "token <redacted> expired");
    }
}
