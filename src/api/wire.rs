//! The JSON shapes of the HCSS, BSS and IAM endpoints flexus uses, as
//! described in `shared/reference/companion-apis.md`. The client parses
//! them and the sandbox produces them, so both agree by construction.
//!
//! Fields the services may leave out are `Option` with `#[serde(default)]`;
//! unknown fields are ignored, as real services add fields over time.
//! Counts and lists read an explicit `null` as empty: Huawei's SDKs declare
//! those of BSS and IAM nullable (`*int32`, `*[]T` in
//! `huaweicloud-sdk-go-v3`), and a `null` list must never make a whole
//! answer unreadable; not even the purchase answer's `instance_ids`, whose
//! order ID is what matters.
//!
//! `tests/wire_samples.rs` holds these types against the documents' and the
//! official SDKs' own shapes, independently of the sandbox.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Paths, relative to each service's endpoint.
pub mod paths {
    pub const CREATE_ORDER: &str = "/v1/light-instances";
    /// Followed by `/{order_id}`.
    pub const ORDER_DETAILS: &str = "/v2/orders/customer-orders/details";
    pub const LIST_ORDERS: &str = "/v2/orders/customer-orders";
    pub const PAY_ORDER: &str = "/v3/orders/customer-orders/pay";
    pub const CANCEL_ORDER: &str = "/v2/orders/customer-orders/cancel";
    pub const IAM_TOKENS: &str = "/v3/auth/tokens";
    pub const IAM_PROJECTS: &str = "/v3/projects";
    /// The domains (accounts) the caller belongs to: where AK/SK find their
    /// domain ID for the global services (BSS).
    pub const IAM_DOMAINS: &str = "/v3/auth/domains";
}

/// Header names.
pub mod headers {
    pub const CLIENT_REQUEST_ID: &str = "Client-Request-Id";
    pub const AUTH_TOKEN: &str = "X-Auth-Token";
    pub const SUBJECT_TOKEN: &str = "X-Subject-Token";
    pub const PROJECT_ID: &str = "X-Project-Id";
    /// What AK/SK requests to a global service (BSS) carry instead of
    /// [`PROJECT_ID`]: the account's domain ID.
    pub const DOMAIN_ID: &str = "X-Domain-Id";
    pub const SECURITY_TOKEN: &str = "X-Security-Token";
    pub const SDK_DATE: &str = "X-Sdk-Date";
    pub const RETRY_AFTER: &str = "Retry-After";
    /// The service's own ID of one exchange, which Huawei's support asks for.
    pub const REQUEST_ID: &str = "X-Request-Id";
}

/// `service_type_code` of FlexusL orders in BSS: the order list is
/// filtered by it, and the sandbox labels its orders with it.
pub const FLEXUSL_SERVICE_TYPE_CODE: &str = "hws.service.type.hcss";

/// The 202 answer of `POST /v1/light-instances`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedOrder {
    pub order_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub instance_ids: Vec<String>,
}

/// Order status codes of BSS (`order_info.status`).
pub mod status {
    pub const PENDING_APPROVAL: i32 = 1;
    pub const PENDING_REFUND: i32 = 2;
    pub const PROCESSING: i32 = 3;
    pub const CANCELLED: i32 = 4;
    pub const COMPLETED: i32 = 5;
    pub const PENDING_PAYMENT: i32 = 6;
    pub const TO_BE_CONFIRMED: i32 = 9;

    /// Words for a status code, for people, in the language they read.
    pub fn describe(code: i32) -> String {
        match code {
            PENDING_APPROVAL => tr!("core.order_status.pending_approval"),
            PENDING_REFUND => tr!("core.order_status.pending_refund"),
            PROCESSING => tr!("core.order_status.processing"),
            CANCELLED => tr!("core.order_status.cancelled"),
            COMPLETED => tr!("core.order_status.completed"),
            PENDING_PAYMENT => tr!("core.order_status.pending_payment"),
            TO_BE_CONFIRMED => tr!("core.order_status.to_be_confirmed"),
            _ => tr!("core.order_status.unknown"),
        }
    }

    /// The same words always in English: the sandbox answers as Huawei
    /// does, in English, whatever the reader's language.
    pub fn english(code: i32) -> &'static str {
        match code {
            PENDING_APPROVAL => "pending approval",
            PENDING_REFUND => "pending refund",
            PROCESSING => "processing",
            CANCELLED => "cancelled",
            COMPLETED => "completed",
            PENDING_PAYMENT => "pending payment",
            TO_BE_CONFIRMED => "to be confirmed",
            _ => "in an unknown state",
        }
    }

    /// Completed and cancelled orders never change again.
    pub fn is_final(code: i32) -> bool {
        code == COMPLETED || code == CANCELLED
    }
}

/// `order_info` of the order details, and each entry of an order list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OrderInfo {
    pub order_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<i32>,
    pub status: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_type: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_after_discount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure_id: Option<i32>,
    /// UTC, `yyyy-MM-ddTHH:mm:ssZ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// UTC, `yyyy-MM-ddTHH:mm:ssZ`: when an unpaid order is cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_payment_end_time: Option<String>,
}

impl OrderInfo {
    /// What the order says it costs: "USD 19.00", "USD 19.00 (list price
    /// USD 25.00)", with the unit named when it is not the currency's own
    /// (`measure_id` 1).
    pub fn amount_text(&self) -> Option<String> {
        let currency = self.currency.as_deref().unwrap_or_default();
        let unit = match self.measure_id {
            None | Some(1) => String::new(),
            Some(other) => tr!("core.amount.measure_unit", unit = other),
        };
        let amount = |v: f64| format!("{currency} {v:.2}").trim().to_string();
        match (self.amount_after_discount, self.official_amount) {
            (Some(paid), Some(list)) if (paid - list).abs() >= 0.005 => Some(tr!(
                "core.amount.paid_and_list",
                paid = amount(paid),
                list = amount(list),
                unit = unit
            )),
            (Some(paid), _) => Some(format!("{}{unit}", amount(paid))),
            (None, Some(list)) => Some(tr!(
                "core.amount.list_only",
                list = amount(list),
                unit = unit
            )),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OrderLineItem {
    #[serde(default)]
    pub order_line_item_id: Option<String>,
    #[serde(default)]
    pub service_type_code: Option<String>,
    #[serde(default)]
    pub product_spec_desc: Option<String>,
    /// 0 day, 1 week, 2 month, 3 year.
    #[serde(default)]
    pub period_type: Option<i32>,
    #[serde(default)]
    pub period_num: Option<i32>,
    #[serde(default)]
    pub subscription_num: Option<i32>,
    #[serde(default)]
    pub effective_time: Option<String>,
    #[serde(default)]
    pub expire_time: Option<String>,
    #[serde(default)]
    pub official_amount: Option<f64>,
    #[serde(default)]
    pub amount_after_discount: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// `GET {bss}/v2/orders/customer-orders/details/{order_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetails {
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_count: i64,
    pub order_info: OrderInfo,
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_line_items: Vec<OrderLineItem>,
}

/// `GET {bss}/v2/orders/customer-orders`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct OrderList {
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_count: i64,
    #[serde(default, deserialize_with = "null_as_default")]
    pub order_infos: Vec<OrderInfo>,
    /// Orders of the answer left out of `order_infos` because their ID is
    /// not of Huawei's shape ([`OrderId`](super::ids::OrderId)): such an
    /// ID is never shown, stored or followed. Not on the wire.
    #[serde(skip)]
    pub left_out: usize,
}

/// `POST {bss}/v3/orders/customer-orders/pay`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRequest {
    pub order_id: String,
    pub use_coupon: String,
    pub use_discount: String,
}

impl PayRequest {
    pub fn new(order_id: &str) -> Self {
        PayRequest {
            order_id: order_id.to_string(),
            use_coupon: "NO".to_string(),
            use_discount: "NO".to_string(),
        }
    }
}

/// `PUT {bss}/v2/orders/customer-orders/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRequest {
    pub order_id: String,
}

/// Both error shapes Huawei Cloud answers with:
/// `{"error_code": "...", "error_msg": "..."}` and
/// `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<NestedError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NestedError {
    /// IAM sends its HTTP status here as a number (`"code": 401`); gateways
    /// send text. Both are read as text.
    #[serde(default, deserialize_with = "text_or_number")]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// IAM's reason phrase, e.g. "Unauthorized".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// A count or list sent as `null` reads as none.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

impl ErrorBody {
    /// The flat shape HCSS and BSS use.
    pub fn flat(code: &str, message: &str) -> Self {
        ErrorBody {
            error_code: Some(code.to_string()),
            error_msg: Some(message.to_string()),
            error: None,
        }
    }

    /// (code, message), whichever shape carried them.
    pub fn code_and_message(&self) -> (Option<&str>, Option<&str>) {
        let nested = self.error.as_ref();
        (
            self.error_code
                .as_deref()
                .or_else(|| nested.and_then(|e| e.code.as_deref())),
            self.error_msg
                .as_deref()
                .or_else(|| nested.and_then(|e| e.message.as_deref())),
        )
    }
}

/// The error codes of the purchase document (Table 8).
pub mod codes {
    pub const INVALID_PARAMETER: &str = "HCSS.14000001";
    pub const CORS_EXCEPTION: &str = "HCSS.14000002";
    pub const CBC_EXCEPTION: &str = "HCSS.14000003";
    pub const ECS_EXCEPTION: &str = "HCSS.14000004";
    pub const EVS_EXCEPTION: &str = "HCSS.14000005";
    pub const EIP_EXCEPTION: &str = "HCSS.14000006";
    pub const ELB_EXCEPTION: &str = "HCSS.14000007";
    pub const IMS_EXCEPTION: &str = "HCSS.14000008";
    pub const MARKETPLACE_EXCEPTION: &str = "HCSS.14000009";
    pub const INSUFFICIENT_SPECS: &str = "HCSS.14000010";
    pub const INSUFFICIENT_QUOTA: &str = "HCSS.14000011";
    pub const TOO_MANY_REQUESTS: &str = "HCSS.14290001";
    pub const SERVER_EXCEPTION: &str = "HCSS.15000001";

    /// Table 8 as written: (code, HTTP status, description).
    pub const TABLE_8: [(&str, u16, &str); 13] = [
        (INVALID_PARAMETER, 400, "Invalid parameter."),
        (CORS_EXCEPTION, 400, "CORS service request exception."),
        (CBC_EXCEPTION, 400, "CBC service request exception."),
        (ECS_EXCEPTION, 400, "ECS service request exception."),
        (EVS_EXCEPTION, 400, "EVS service request exception."),
        (EIP_EXCEPTION, 400, "EIP service request exception."),
        (ELB_EXCEPTION, 400, "ELB service request exception."),
        (IMS_EXCEPTION, 400, "IMS service request exception."),
        (
            MARKETPLACE_EXCEPTION,
            400,
            "Marketplace image request exception.",
        ),
        (INSUFFICIENT_SPECS, 400, "Insufficient specifications."),
        (INSUFFICIENT_QUOTA, 400, "Insufficient quota."),
        (
            TOO_MANY_REQUESTS,
            429,
            "Too many requests. Try again later.",
        ),
        (SERVER_EXCEPTION, 500, "Server exception."),
    ];

    /// The Table 8 row of a code: (code, HTTP status, description).
    pub fn describe(code: &str) -> Option<(&'static str, u16, &'static str)> {
        TABLE_8.iter().copied().find(|(c, _, _)| *c == code)
    }
}

/// Error codes of BSS (the order APIs), from Huawei's API reference.
pub mod bss_codes {
    pub const INVALID_PARAMETER: &str = "CBC.0100";
    /// "Access denied" (403): no permission, or a credential of the wrong
    /// scope (a project-scoped token, AK/SK without `X-Domain-Id`).
    pub const ACCESS_DENIED: &str = "CBC.0151";
    /// "Token invalid or expired" (401 or 403): sign in again.
    pub const TOKEN_EXPIRED: &str = "CBC.0154";
    /// "Invalid order (the order may not exist)".
    pub const INVALID_ORDER: &str = "CBC.30000010";
    /// Paying an order whose status no longer allows payment.
    pub const STATUS_CHANGED: &str = "CBC.99003106";
    /// Paying an order past its payment deadline.
    pub const PAST_DEADLINE: &str = "CBC.99003110";
    /// Cancelling an order whose status does not allow it.
    pub const CANCEL_NOT_ALLOWED: &str = "CBC.99005010";
    /// "Operations too frequent".
    pub const TOO_FREQUENT: &str = "CBC.99008040";
    pub const OTHER: &str = "CBC.0999";
}

/// Error codes of the API gateway in front of every service.
pub mod gateway_codes {
    /// "The API does not exist or has not been published" (404).
    pub const NO_SUCH_API: &str = "APIGW.0101";
    /// "Incorrect IAM authentication information" (401): bad or missing
    /// token, unknown AK, bad signature, stale `X-Sdk-Date`.
    pub const IAM_AUTH: &str = "APIGW.0301";
    /// "The token must be updated" (401): the token expired.
    pub const TOKEN_EXPIRED: &str = "APIGW.0307";
    /// Throttled by the gateway (429).
    pub const THROTTLED: &str = "APIGW.0308";
}

/// Error codes of IAM.
pub mod iam_codes {
    /// "Request body is invalid." (400, flat shape).
    pub const BODY_INVALID: &str = "IAM.0011";
    /// Wrong user, password, account or MFA code: IAM answers 401 in the
    /// nested shape with the HTTP status as its code.
    pub const UNAUTHORIZED: &str = "401";
}

/// `POST {iam}/v3/auth/tokens`: with a password (and optionally an MFA
/// code), or with a token already held (`"methods": ["token"]`) to get one
/// of another scope.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRequest {
    pub auth: TokenAuth,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenAuth {
    pub identity: Identity,
    pub scope: Scope,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Identity {
    pub methods: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<PasswordIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<TotpIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenIdentity>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordIdentity {
    pub user: PasswordUser,
}

/// Holds a password on its way to IAM: never log or print this type.
#[derive(Clone, Serialize, Deserialize)]
pub struct PasswordUser {
    pub name: String,
    pub password: String,
    pub domain: NamedRef,
}

impl std::fmt::Debug for PasswordUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordUser")
            .field("name", &self.name)
            .field("password", &"<redacted>")
            .field("domain", &self.domain)
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TotpIdentity {
    pub user: TotpUser,
}

/// Holds an MFA code on its way to IAM: `Debug` hides the code.
#[derive(Clone, Serialize, Deserialize)]
pub struct TotpUser {
    pub id: String,
    pub passcode: String,
}

impl std::fmt::Debug for TotpUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpUser")
            .field("id", &self.id)
            .field("passcode", &"<redacted>")
            .finish()
    }
}

/// The token of the `token` method: `Debug` hides it.
#[derive(Clone, Serialize, Deserialize)]
pub struct TokenIdentity {
    pub id: String,
}

impl std::fmt::Debug for TokenIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenIdentity(<redacted>)")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NamedRef {
    pub name: String,
}

/// A project or domain, by name or by ID (IAM takes either).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ScopeRef {
    pub fn named(name: &str) -> ScopeRef {
        ScopeRef {
            id: None,
            name: Some(name.to_string()),
        }
    }
}

/// What a token may be used for: one project (a region's project, for
/// regional services such as HCSS) or the whole domain (the account, for
/// global services such as BSS).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<ScopeRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<ScopeRef>,
}

impl Scope {
    pub fn project(name: &str) -> Scope {
        Scope {
            project: Some(ScopeRef::named(name)),
            domain: None,
        }
    }

    pub fn domain(name: &str) -> Scope {
        Scope {
            project: None,
            domain: Some(ScopeRef::named(name)),
        }
    }
}

/// The body of a token answer (also of `GET /v3/auth/tokens`, which tells
/// what a token is scoped to); the token itself is the `X-Subject-Token`
/// header.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token: TokenInfo,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenInfo {
    pub expires_at: String,
    #[serde(default)]
    pub user: Option<TokenUser>,
    /// Present when the token is scoped to a project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<TokenProject>,
    /// Present when the token is scoped to a domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<TokenDomain>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenUser {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenProject {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenDomain {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET {iam}/v3/projects?name={region}`.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ProjectList {
    #[serde(default, deserialize_with = "null_as_default")]
    pub projects: Vec<Project>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Project {
    pub id: String,
    pub name: String,
}

/// `GET {iam}/v3/auth/domains`: the caller's domain comes first.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct DomainList {
    #[serde(default, deserialize_with = "null_as_default")]
    pub domains: Vec<Domain>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Domain {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

/// The format of every BSS time: UTC `yyyy-MM-ddTHH:mm:ssZ`.
pub fn bss_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a BSS time, refusing anything but `yyyy-MM-ddTHH:mm:ssZ`.
pub fn parse_bss_time(text: &str) -> Option<OffsetDateTime> {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(text, format)
        .ok()
        .map(|t| t.assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_errors_with_a_numeric_code_are_read() {
        let text = r#"{"error":{"message":"The username or password is wrong.","code":401,"title":"Unauthorized"}}"#;
        let body: ErrorBody = serde_json::from_str(text).unwrap();
        assert_eq!(
            body.code_and_message(),
            (Some("401"), Some("The username or password is wrong."))
        );
        assert_eq!(body.error.unwrap().title.as_deref(), Some("Unauthorized"));
    }

    #[test]
    fn debug_hides_the_password_and_the_mfa_code() {
        let request: TokenRequest = serde_json::from_value(serde_json::json!({"auth": {
            "identity": {
                "methods": ["password", "totp"],
                "password": {"user": {"name": "u", "password": "pw-do-not-show", "domain": {"name": "a"}}},
                "totp": {"user": {"id": "uid", "passcode": "918273"}}
            },
            "scope": {"project": {"name": "ap-southeast-3"}}
        }}))
        .unwrap();
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("pw-do-not-show") && !shown.contains("918273"),
            "{shown}"
        );
        let exchange: TokenRequest = serde_json::from_value(serde_json::json!({"auth": {
            "identity": {"methods": ["token"], "token": {"id": "MIItoken-do-not-show"}},
            "scope": {"domain": {"name": "acme"}}
        }}))
        .unwrap();
        let shown = format!("{exchange:?}");
        assert!(!shown.contains("MIItoken-do-not-show"), "{shown}");
    }

    #[test]
    fn both_error_shapes_are_read() {
        let flat: ErrorBody =
            serde_json::from_str(r#"{"error_code":"APIGW.0301","error_msg":"m","request_id":"x"}"#)
                .unwrap();
        assert_eq!(flat.code_and_message(), (Some("APIGW.0301"), Some("m")));
        let nested: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"APIGW.0308","message":"n"}}"#).unwrap();
        assert_eq!(nested.code_and_message(), (Some("APIGW.0308"), Some("n")));
    }
}
