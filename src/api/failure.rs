//! Turning HTTP answers and network trouble into [`ApiFailure`]s a person can
//! act on: the status, the service's code and message (cleaned), and a next
//! step for every code the purchase document lists.

use super::engine::ApiFailure;
use super::journal::RecordedFailure;
use super::wire::{ErrorBody, bss_codes, codes, gateway_codes};
use crate::lang::{Lang, in_language};

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
    const ALL: [Operation; 10] = [
        Operation::CreateOrder,
        Operation::OrderDetails,
        Operation::ListOrders,
        Operation::PayOrder,
        Operation::CancelOrder,
        Operation::Login,
        Operation::ProjectLookup,
        Operation::DomainLookup,
        Operation::ScopedToken,
        Operation::TokenCheck,
    ];

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
    let said = message
        .map(|m| {
            clean(&redact(m.to_string()))
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|m| !m.is_empty());
    // The service's own words are kept as they came, in every language;
    // a reader of another language gets what flexus knows the code means
    // first, since the service answers in English.
    let words = || {
        let words = said
            .clone()
            .unwrap_or_else(|| default_message(operation, status));
        match code.as_deref().and_then(meaning_of) {
            Some(meaning) if said.is_some() && crate::lang::current() != Lang::En => {
                tr!(
                    "core.failure.meaning_then_said",
                    meaning = meaning,
                    said = words
                )
            }
            _ => words,
        }
    };
    let next = next_step(operation, Some(status), code.as_deref());
    let formed = ApiFailure::formed(words, next);
    ApiFailure {
        status: Some(status),
        code,
        ..formed
    }
}

/// A failure the journal kept, as a person reads it. Flexus's own words for
/// a status the service explained nothing about follow from the status, so
/// they are formed again in the reader's language; anything else (the
/// service's words above all) reads as recorded, in English.
impl From<&RecordedFailure> for ApiFailure {
    fn from(recorded: &RecordedFailure) -> ApiFailure {
        let formed_again = recorded.status.and_then(|status| {
            Operation::ALL
                .into_iter()
                .find(|op| {
                    in_language(Lang::En, || default_message(*op, status)) == recorded.message
                })
                .map(|op| default_message(op, status))
        });
        ApiFailure {
            status: recorded.status,
            code: recorded.code.clone(),
            message: formed_again.unwrap_or_else(|| recorded.message.clone()),
            english_message: recorded.message.clone(),
            next_step: String::new(),
        }
    }
}

/// What a billing code means, where the words of the service alone would
/// leave a reader of another language guessing.
fn meaning_of(code: &str) -> Option<String> {
    Some(match code {
        bss_codes::INVALID_ORDER => tr!("core.failure.meaning.invalid_order"),
        bss_codes::STATUS_CHANGED => tr!("core.failure.meaning.status_changed"),
        bss_codes::PAST_DEADLINE => tr!("core.failure.meaning.past_deadline"),
        bss_codes::CANCEL_NOT_ALLOWED => tr!("core.failure.meaning.cancel_not_allowed"),
        bss_codes::TOO_FREQUENT => tr!("core.failure.meaning.too_frequent"),
        _ => return None,
    })
}

fn default_message(operation: Operation, status: u16) -> String {
    let service = operation.service();
    match status {
        400 => tr!("core.status.400", service = service),
        401 => tr!("core.status.401", service = service),
        403 => tr!("core.status.403", service = service),
        404 => match operation {
            Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder => {
                tr!("core.status.404_order")
            }
            _ => tr!("core.status.404", service = service),
        },
        429 => tr!("core.status.429", service = service),
        500..=599 => tr!("core.status.5xx", service = service),
        _ => tr!("core.status.other", service = service),
    }
}

/// The next step when the sign-in no longer holds (an expired token).
fn sign_in_again() -> String {
    tr!("core.next.sign_in_again")
}

/// The next step when billing refuses for lack of permission.
fn billing_permissions() -> String {
    tr!("core.next.billing_permissions")
}

/// The next step when the service failed and may work again later.
fn retry_later() -> String {
    tr!("core.next.retry_later")
}

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
    let retry = retry_later;
    let by_code = match code {
        Some(codes::INVALID_PARAMETER) => Some(tr!("core.next.hcss.invalid_parameter")),
        Some(codes::CORS_EXCEPTION) => Some(tr!("core.next.hcss.cors", retry = retry())),
        Some(codes::CBC_EXCEPTION) => Some(tr!("core.next.hcss.cbc", retry = retry())),
        Some(codes::ECS_EXCEPTION) => Some(tr!("core.next.hcss.ecs", retry = retry())),
        Some(codes::EVS_EXCEPTION) => Some(tr!("core.next.hcss.evs", retry = retry())),
        Some(codes::EIP_EXCEPTION) => Some(tr!("core.next.hcss.eip", retry = retry())),
        Some(codes::ELB_EXCEPTION) => Some(tr!("core.next.hcss.elb", retry = retry())),
        Some(codes::IMS_EXCEPTION) => Some(tr!("core.next.hcss.ims")),
        Some(codes::MARKETPLACE_EXCEPTION) => Some(tr!("core.next.hcss.marketplace")),
        Some(codes::INSUFFICIENT_SPECS) => Some(tr!("core.next.hcss.insufficient_specs")),
        Some(codes::INSUFFICIENT_QUOTA) => Some(tr!("core.next.hcss.insufficient_quota")),
        Some(codes::TOO_MANY_REQUESTS) => Some(tr!("core.next.too_many_requests")),
        Some(codes::SERVER_EXCEPTION) => Some(match operation {
            Operation::CreateOrder => tr!("core.next.hcss.server_order", retry = retry()),
            _ => retry(),
        }),
        Some(bss_codes::INVALID_ORDER) => Some(tr!("core.next.bss.invalid_order")),
        Some(bss_codes::STATUS_CHANGED) => Some(tr!("core.next.bss.status_changed")),
        Some(bss_codes::CANCEL_NOT_ALLOWED) => Some(tr!("core.next.bss.cancel_not_allowed")),
        Some(bss_codes::TOKEN_EXPIRED | gateway_codes::TOKEN_EXPIRED) => Some(sign_in_again()),
        Some(bss_codes::ACCESS_DENIED) => Some(billing_permissions()),
        Some(bss_codes::TOO_FREQUENT | gateway_codes::THROTTLED) => {
            Some(tr!("core.next.too_many_requests"))
        }
        _ => None,
    };
    if let Some(step) = by_code {
        return step;
    }
    match (operation, status) {
        (Operation::Login, Some(400 | 401)) => tr!("core.next.login_refused"),
        (Operation::ScopedToken | Operation::TokenCheck, Some(401 | 404)) => sign_in_again(),
        (_, Some(401)) => tr!("core.next.credentials_refused"),
        (Operation::ProjectLookup, Some(403)) => tr!("core.next.project_lookup_denied"),
        (Operation::CreateOrder, Some(403)) => tr!("core.next.purchase_denied"),
        (Operation::DomainLookup, Some(403)) => tr!("core.next.domain_lookup_denied"),
        (_, Some(403)) => billing_permissions(),
        (Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder, Some(404)) => {
            tr!("core.next.check_order_id")
        }
        (_, Some(404)) => tr!("core.next.check_endpoints"),
        (Operation::CreateOrder, Some(400..=499)) => tr!("core.next.purchase_refused"),
        (Operation::OrderDetails | Operation::PayOrder | Operation::CancelOrder, Some(400)) => {
            tr!("core.next.check_order_id")
        }
        (_, Some(429)) => tr!("core.next.wait_a_minute"),
        (Operation::CreateOrder, Some(500..=599)) => tr!("core.next.order_may_exist"),
        (_, Some(500..=599)) => retry_later(),
        (_, Some(_)) => retry_later(),
        (_, None) => tr!("core.next.check_network"),
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
    let words = || match trouble {
        NetworkTrouble::Connect => tr!("core.network.connect", service = service, host = host),
        NetworkTrouble::Timeout => tr!("core.network.timeout", service = service, host = host),
        NetworkTrouble::Lost => tr!("core.network.lost", service = service, host = host),
    };
    ApiFailure::formed(words, next_step(operation, None, None))
}

/// How a purchase of unknown outcome ended, in words starting lower-case:
/// an HTTP 5xx is named as what it is (the service answered, with its code
/// and message), distinct from an answer lost to the network or a timeout,
/// and from an answer that came but could not be used. `detail` adds the
/// failure's message where the 5xx wording does not already carry it.
pub fn ambiguity(reason: &ApiFailure, detail: bool) -> String {
    match reason.status {
        Some(status @ 500..=599) => {
            let said = match &reason.code {
                Some(code) => format!("{code}, {}", reason.message),
                None => reason.message.clone(),
            };
            tr!("core.ambiguity.server_error", status = status, said = said)
        }
        // The message already says which service answered, and how.
        Some(status) if detail => tr!(
            "core.ambiguity.answer_said",
            message = reason.message,
            status = status
        ),
        Some(status) => tr!("core.ambiguity.answer_unusable", status = status),
        None if detail => tr!("core.ambiguity.lost_because", message = reason.message),
        None => tr!("core.ambiguity.lost"),
    }
}

/// A success status whose body could not be read as expected.
pub(crate) fn unreadable(
    operation: Operation,
    status: u16,
    what: impl Fn() -> String,
) -> ApiFailure {
    ApiFailure {
        status: Some(status),
        ..ApiFailure::formed(
            || {
                tr!(
                    "core.answer.unreadable",
                    service = operation.service(),
                    what = what()
                )
            },
            tr!("core.next.check_endpoints_then_later"),
        )
    }
}

/// An answer larger than flexus reads (`limit` bytes): not read, so its
/// content is unknown.
pub(crate) fn too_large(operation: Operation, status: u16, limit: usize) -> ApiFailure {
    ApiFailure {
        status: Some(status),
        ..ApiFailure::formed(
            || {
                tr!(
                    "core.answer.too_large",
                    service = operation.service(),
                    kib = limit / 1024
                )
            },
            match operation {
                Operation::CreateOrder => tr!("core.next.order_may_have_been_placed"),
                _ => tr!("core.next.check_endpoints_proxy"),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_and_their_next_steps_read_in_chinese_with_codes_kept() {
        let quota = in_language(Lang::Zh, || {
            let failure = ApiFailure {
                status: Some(400),
                code: Some(codes::INSUFFICIENT_QUOTA.to_string()),
                ..ApiFailure::local(
                    "Insufficient quota.",
                    next_step(
                        Operation::CreateOrder,
                        Some(400),
                        Some(codes::INSUFFICIENT_QUOTA),
                    ),
                )
            };
            failure.to_string()
        });
        assert_eq!(
            quota,
            "Insufficient quota.（HTTP 400，HCSS.14000011）。未下任何订单：账号配额不足。\
             请减少数量或申请提高配额（控制台：配额），然后重新提交"
        );
        let lost = in_language(Lang::Zh, || {
            network(Operation::CreateOrder, NetworkTrouble::Lost, "127.0.0.1").to_string()
        });
        assert_eq!(
            lost,
            "与127.0.0.1上的HCSS的连接断开了。请检查网络连接和终端节点设置，然后重试"
        );
        let expired = in_language(Lang::Zh, || {
            next_step(
                Operation::PayOrder,
                Some(401),
                Some(bss_codes::TOKEN_EXPIRED),
            )
        });
        assert!(
            expired.starts_with("登录已过期（Token有效期为24小时）"),
            "{expired}"
        );
    }

    #[test]
    fn english_failures_read_as_before() {
        let failure = network(Operation::CreateOrder, NetworkTrouble::Lost, "127.0.0.1");
        assert_eq!(
            failure.to_string(),
            "the connection to HCSS at 127.0.0.1 broke. Check the network connection and the \
             endpoint settings, then try again"
        );
        let quota = ApiFailure {
            status: Some(400),
            code: Some(codes::INSUFFICIENT_QUOTA.to_string()),
            ..ApiFailure::local("Insufficient quota.", "")
        };
        assert_eq!(
            quota.to_string(),
            "Insufficient quota. (HTTP 400, HCSS.14000011)"
        );
    }

    #[test]
    fn order_states_for_people_read_in_chinese_while_the_sandbox_word_stays_english() {
        use crate::api::wire::status;
        assert_eq!(
            in_language(Lang::Zh, || status::describe(status::PENDING_PAYMENT)),
            "待支付"
        );
        assert_eq!(in_language(Lang::Zh, || status::describe(42)), "状态未知");
        assert_eq!(
            in_language(Lang::Zh, || status::english(status::PENDING_PAYMENT)),
            "pending payment"
        );
        assert_eq!(status::describe(status::COMPLETED), "completed");
        assert_eq!(status::describe(42), "in an unknown state");
        // The sandbox's English words are the people's English words.
        for code in (0..=10).chain([42]) {
            let english = in_language(Lang::En, || status::describe(code));
            assert_eq!(status::english(code), english, "{code}");
        }
    }

    fn keep(s: String) -> String {
        s
    }

    #[test]
    fn a_failure_formed_in_chinese_keeps_its_english_words_for_the_journal() {
        let lost = in_language(Lang::Zh, || {
            network(Operation::CreateOrder, NetworkTrouble::Lost, "h:1")
        });
        assert_eq!(lost.message, "与h:1上的HCSS的连接断开了");
        assert_eq!(lost.english_message, "the connection to HCSS at h:1 broke");
        assert_eq!(
            RecordedFailure::from(&lost).message,
            "the connection to HCSS at h:1 broke"
        );

        let mut unready = lost.clone();
        in_language(Lang::Zh, || {
            unready.reword(|why| tr!("core.ready.cannot_place", why = why));
        });
        let english = in_language(Lang::En, || {
            let mut english = network(Operation::CreateOrder, NetworkTrouble::Lost, "h:1");
            english.reword(|why| tr!("core.ready.cannot_place", why = why));
            english.message
        });
        assert_eq!(unready.english_message, english);
        assert!(
            unready.message.contains("与h:1上的HCSS的连接断开了"),
            "{unready}"
        );
        assert!(!unready.message.is_ascii(), "{unready}");

        let quiet = in_language(Lang::Zh, || {
            from_response(Operation::CreateOrder, 502, b"", &keep)
        });
        assert_eq!(quiet.message, "HCSS发生内部错误");
        assert_eq!(quiet.english_message, "HCSS had an internal error");

        // The service's own words are the same in both.
        let body = br#"{"error_code":"HCSS.14000011","error_msg":"Insufficient quota."}"#;
        let said = in_language(Lang::Zh, || {
            from_response(Operation::CreateOrder, 400, body, &keep)
        });
        assert_eq!(said.message, "Insufficient quota");
        assert_eq!(said.english_message, "Insufficient quota");
        assert!(!said.next_step.is_ascii(), "{}", said.next_step);
    }

    #[test]
    fn a_known_billing_code_reads_in_chinese_before_the_services_words() {
        let body = br#"{"error_code":"CBC.30000010","error_msg":"Invalid order CSBAD123 (the order may not exist)."}"#;
        let said = in_language(Lang::Zh, || {
            from_response(Operation::OrderDetails, 400, body, &keep)
        });
        assert_eq!(
            said.message,
            "没有这个订单：Invalid order CSBAD123 (the order may not exist)"
        );
        assert_eq!(
            said.english_message,
            "Invalid order CSBAD123 (the order may not exist)"
        );
        let english = from_response(Operation::OrderDetails, 400, body, &keep);
        assert_eq!(english.message, english.english_message);
    }

    #[test]
    fn a_recorded_failure_reads_in_the_readers_language_where_flexus_forms_it_again() {
        let quiet = RecordedFailure {
            status: Some(502),
            code: None,
            message: "HCSS had an internal error".to_string(),
        };
        let shown = in_language(Lang::Zh, || ApiFailure::from(&quiet));
        assert_eq!(shown.message, "HCSS发生内部错误");
        assert_eq!(shown.english_message, quiet.message);
        assert_eq!(shown.status, Some(502));
        assert_eq!(ApiFailure::from(&quiet).message, quiet.message);

        let no_order = RecordedFailure {
            status: Some(404),
            code: None,
            message: "no such order".to_string(),
        };
        assert_eq!(
            in_language(Lang::Zh, || ApiFailure::from(&no_order).message),
            in_language(Lang::Zh, || default_message(Operation::PayOrder, 404))
        );

        // What flexus cannot form again reads as recorded: the service's
        // words, and its own words whose details the journal lacks.
        for (status, code, message) in [
            (Some(400), Some("HCSS.14000011"), "Insufficient quota"),
            (None, None, "the connection to HCSS at h:1 broke"),
        ] {
            let recorded = RecordedFailure {
                status,
                code: code.map(str::to_string),
                message: message.to_string(),
            };
            let shown = in_language(Lang::Zh, || ApiFailure::from(&recorded));
            assert_eq!(shown.message, message);
            assert_eq!(shown.code.as_deref(), code);
        }
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
