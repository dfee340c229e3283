//! The endpoints, and the gateway in front of them (request log, latency,
//! authentication, faults).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Serialize;
use time::OffsetDateTime;

use crate::api::wire::{
    self, CancelRequest, CreatedOrder, Domain, DomainList, ErrorBody, OrderDetails, OrderList,
    PayRequest, Project, ProjectList, ScopeRef, TokenDomain, TokenInfo, TokenProject, TokenRequest,
    TokenResponse, TokenUser, bss_codes, codes, gateway_codes, iam_codes, paths,
};
use crate::domain::order::{Draft, check_client_request_id};
use crate::lang::{Lang, in_language};

/// The domain's rules word their refusals in the reader's language; the
/// sandbox stands in for Huawei, which answers in English, even when it runs
/// inside a wizard that speaks Chinese.
fn in_english<T>(work: impl FnOnce() -> T) -> T {
    in_language(Lang::En, work)
}

use super::auth::{self, Caller, Issued, Presented, TokenScope};
use super::fault::{Endpoint, FaultKind, Service};
use super::orders::{ListQuery, Refusal};
use super::server::ConnectionCutter;
use super::{SANDBOX_MFA_PASSCODE, Shared};
use crate::api::wire::parse_bss_time;

type Sandbox = State<Arc<Shared>>;

/// Bodies larger than this are refused before anything reads them.
const BODY_LIMIT: usize = 1 << 20;
/// IAM tokens are valid this long.
pub(super) const TOKEN_LIFETIME: time::Duration = time::Duration::hours(24);
const DEFAULT_PAGE: usize = 10;
const MAX_PAGE: usize = 100;

pub fn router(shared: Arc<Shared>) -> Router {
    let details = format!("{}/{{order_id}}", paths::ORDER_DETAILS);
    Router::new()
        .route(paths::CREATE_ORDER, post(create_order))
        .route(&details, get(order_details))
        .route(paths::LIST_ORDERS, get(list_orders))
        .route(paths::PAY_ORDER, post(pay_order))
        .route(paths::CANCEL_ORDER, put(cancel_order))
        .route(paths::IAM_TOKENS, post(issue_token).get(check_token))
        .route(paths::IAM_PROJECTS, get(list_projects))
        .route(paths::IAM_DOMAINS, get(list_domains))
        .route_layer(middleware::from_fn_with_state(shared.clone(), gateway))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(no_such_api)
        .layer(middleware::from_fn_with_state(shared.clone(), log_request))
        .with_state(shared)
}

// ---- answers ----

fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    let text = serde_json::to_vec(body).expect("wire types always serialize");
    let mut response = (status, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    response
}

fn flat(status: StatusCode, code: &str, message: &str) -> Response {
    json(status, &ErrorBody::flat(code, message))
}

fn invalid_parameter(service: Service, message: &str) -> Response {
    let code = match service {
        Service::Hcss => codes::INVALID_PARAMETER,
        Service::Bss => bss_codes::INVALID_PARAMETER,
        Service::Iam => iam_codes::BODY_INVALID,
    };
    flat(
        StatusCode::BAD_REQUEST,
        code,
        &format!("Invalid parameter: {message}"),
    )
}

/// IAM's errors: `{"error": {"code": 401, "message": ..., "title": ...}}`,
/// the code a JSON number as real IAM sends it (written out here, not with
/// our own wire type, so the client is tested against IAM's shape).
fn iam_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({
        "error": {
            "code": status.as_u16(),
            "message": message,
            "title": status.canonical_reason().unwrap_or(""),
        }
    });
    json(status, &body)
}

fn iam_unauthorized(message: &str) -> Response {
    iam_error(StatusCode::UNAUTHORIZED, message)
}

async fn no_such_api() -> Response {
    flat(
        StatusCode::NOT_FOUND,
        gateway_codes::NO_SUCH_API,
        "The API does not exist or has not been published in the environment",
    )
}

async fn method_not_allowed() -> Response {
    flat(
        StatusCode::METHOD_NOT_ALLOWED,
        gateway_codes::NO_SUCH_API,
        "The method is not allowed for this API",
    )
}

// ---- the gateway ----

#[derive(Clone, Copy)]
struct RequestIndex(usize);

/// Records every request and its status, and adds the configured latency.
async fn log_request(State(shared): Sandbox, mut request: Request, next: Next) -> Response {
    let index = shared.begin_request(
        request.method().as_str(),
        request.uri().path(),
        request.uri().query().unwrap_or_default(),
    );
    let mut unanswered = Unanswered {
        shared: Some(shared.clone()),
        index,
    };
    request.extensions_mut().insert(RequestIndex(index));
    if !shared.latency.is_zero() {
        tokio::time::sleep(shared.latency).await;
    }
    let mut response = next.run(request).await;
    let request_id = hex::encode(super::ids::random_bytes(16));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("X-Request-Id", value);
    }
    unanswered.shared = None;
    shared.finish_request(index, Some(response.status().as_u16()));
    response
}

/// Marks a request as abandoned when its connection goes away before the
/// answer is ready (the client gave up, or a `drop` fault cut it).
struct Unanswered {
    /// `None` once answered.
    shared: Option<Arc<Shared>>,
    index: usize,
}

impl Drop for Unanswered {
    fn drop(&mut self) {
        if let Some(shared) = &self.shared {
            shared.abandon_request(self.index);
        }
    }
}

/// Authenticates (every call but the IAM token call), then applies faults.
async fn gateway(State(shared): Sandbox, request: Request, next: Next) -> Response {
    // axum answers HEAD with the GET handler; it must pass the same checks.
    let method = match request.method() {
        &Method::HEAD => Method::GET,
        other => other.clone(),
    };
    let Some(endpoint) = Endpoint::classify(&method, request.uri().path()) else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, BODY_LIMIT).await else {
        let mut refusal = invalid_parameter(endpoint.service(), "the body is larger than 1 MiB");
        *refusal.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return refusal;
    };
    if endpoint != Endpoint::IamToken {
        let presented = Presented {
            method: &parts.method,
            uri: &parts.uri,
            headers: &parts.headers,
            body: &body,
        };
        let tokens = shared.tokens().clone();
        let caller = match auth::authenticate(
            &shared.credentials,
            &tokens,
            &presented,
            OffsetDateTime::now_utc(),
        ) {
            Ok(caller) => caller,
            Err(rejection) => return gateway_refusal(&rejection.0),
        };
        if let Err(refusal) = check_scope(&shared, endpoint, &caller, &body) {
            return *refusal;
        }
    }
    let verdict = shared.book().faults.hit(endpoint);
    let cutter = parts.extensions.get::<ConnectionCutter>().cloned();
    let index = parts.extensions.get::<RequestIndex>().copied();
    let request = Request::from_parts(parts, Body::from(body));
    let refusal = match verdict.action {
        None
        | Some(FaultKind::Slow { .. })
        | Some(FaultKind::Drop)
        | Some(FaultKind::Huge { .. })
        | Some(FaultKind::BadId) => None,
        Some(FaultKind::TooManyRequests { retry_after_secs }) => {
            Some(too_many_requests(endpoint.service(), retry_after_secs))
        }
        Some(FaultKind::ServerError) => Some(server_error(endpoint.service())),
        Some(FaultKind::Error { code }) => {
            let (code, status, message) =
                codes::describe(code).expect("fault codes are checked when parsed");
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            Some(flat(status, code, message))
        }
    };
    if let Some(refusal) = refusal {
        tokio::time::sleep(verdict.delay).await;
        return refusal;
    }
    // Like a real service, finish the work even if the client goes away:
    // an order is created although nobody reads the answer.
    let work = tokio::spawn(next.run(request));
    tokio::time::sleep(verdict.delay).await;
    let answer = work
        .await
        .unwrap_or_else(|_| server_error(endpoint.service()));
    match verdict.action {
        Some(FaultKind::Drop) => {}
        Some(FaultKind::Huge { megabytes }) => return huge(answer, megabytes).await,
        Some(FaultKind::BadId) => return bad_ids(answer).await,
        _ => return answer,
    }
    if let Some(RequestIndex(index)) = index {
        shared.finish_request(index, None);
    }
    match cutter {
        Some(cutter) => {
            cutter.cut();
            // The connection task drops this future when it resets.
            std::future::pending().await
        }
        None => server_error(endpoint.service()),
    }
}

/// The answer after `megabytes` MiB of spaces: still valid JSON, streamed
/// in pieces of one shared buffer, so the sandbox's memory stays flat.
async fn huge(answer: Response, megabytes: u32) -> Response {
    const PIECE: usize = 64 * 1024;
    let (mut parts, body) = answer.into_parts();
    let Ok(body) = to_bytes(body, BODY_LIMIT).await else {
        return server_error(Service::Hcss);
    };
    let padding = Bytes::from(vec![b' '; PIECE]);
    let pieces = (megabytes as usize) * (1 << 20) / PIECE;
    let stream = futures::stream::iter(
        std::iter::repeat_n(padding, pieces)
            .chain(std::iter::once(body))
            .map(Ok::<Bytes, std::convert::Infallible>),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The answer with every `order_id` in it, at any depth, replaced by `..`.
async fn bad_ids(answer: Response) -> Response {
    fn spoil(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, field) in map.iter_mut() {
                    if key == "order_id" && field.is_string() {
                        *field = serde_json::Value::from("..");
                    } else {
                        spoil(field);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(spoil),
            _ => {}
        }
    }
    let (mut parts, body) = answer.into_parts();
    let Ok(body) = to_bytes(body, BODY_LIMIT).await else {
        return server_error(Service::Hcss);
    };
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return Response::from_parts(parts, Body::from(body));
    };
    spoil(&mut value);
    parts.headers.remove(header::CONTENT_LENGTH);
    let text = serde_json::to_vec(&value).expect("a JSON value serializes");
    Response::from_parts(parts, Body::from(text))
}

/// A refusal, boxed: a `Response` is large.
fn refuse<T>(response: Response) -> Result<T, Box<Response>> {
    Err(Box::new(response))
}

/// The gateway's 401 for credentials it cannot accept.
fn gateway_refusal(why: &str) -> Response {
    flat(
        StatusCode::UNAUTHORIZED,
        gateway_codes::IAM_AUTH,
        &format!("Incorrect IAM authentication information: {why}"),
    )
}

/// BSS's 403 for a caller whose credential does not reach billing.
fn bss_access_denied(why: &str) -> Response {
    flat(
        StatusCode::FORBIDDEN,
        bss_codes::ACCESS_DENIED,
        &format!("Access denied. {why}"),
    )
}

fn describe_scope(shared: &Shared, scope: &TokenScope) -> String {
    match scope {
        TokenScope::Domain => format!("the domain {}", shared.credentials.account),
        TokenScope::Project(region) => format!("the project of {region}"),
    }
}

/// Whether the caller's scope is the one the service takes, refusing as
/// Huawei's services do: HCSS (a project-level service) takes only the
/// project of the body's `region`; BSS (a global service) only the domain;
/// IAM's lookups take any valid credential.
fn check_scope(
    shared: &Shared,
    endpoint: Endpoint,
    caller: &Caller,
    body: &[u8],
) -> Result<(), Box<Response>> {
    let creds = &shared.credentials;
    match endpoint.service() {
        Service::Iam => match caller {
            Caller::Token { expired: true, .. } => refuse(iam_unauthorized(
                "The token has expired or is invalid; get a new token.",
            )),
            _ => Ok(()),
        },
        Service::Hcss => {
            // The region the order is for; a body without a known one is
            // refused by the purchase itself, with its own words.
            let region = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get("region")?.as_str().map(str::to_string))
                .filter(|r| creds.project_id(r).is_some());
            match caller {
                Caller::Token { expired: true, .. } => refuse(flat(
                    StatusCode::UNAUTHORIZED,
                    gateway_codes::TOKEN_EXPIRED,
                    "The token must be updated.",
                )),
                Caller::Token { scope, .. } => match (&region, scope) {
                    (None, _) => Ok(()),
                    (Some(region), TokenScope::Project(own)) if own == region => Ok(()),
                    (Some(region), scope) => refuse(gateway_refusal(&format!(
                        "the token is scoped to {}, but the order is for {region}; use a token \
                         scoped to the project of {region}",
                        describe_scope(shared, scope)
                    ))),
                },
                Caller::Keys { project_id, .. } => {
                    let Some(project_id) = project_id else {
                        return refuse(gateway_refusal(
                            "X-Project-Id is required with AK/SK on this service; look it up \
                             with GET /v3/projects?name=REGION",
                        ));
                    };
                    match (creds.region_of_project(project_id), &region) {
                        (None, _) => refuse(gateway_refusal(&format!(
                            "X-Project-Id {project_id} is not a project of this account"
                        ))),
                        (Some(_), None) => Ok(()),
                        (Some(own), Some(region)) if own == region => Ok(()),
                        (Some(own), Some(region)) => refuse(gateway_refusal(&format!(
                            "X-Project-Id {project_id} is the project of {own}, but the order \
                             is for {region}; send the project ID of {region}"
                        ))),
                    }
                }
            }
        }
        Service::Bss => match caller {
            Caller::Token { expired: true, .. } => refuse(flat(
                StatusCode::FORBIDDEN,
                bss_codes::TOKEN_EXPIRED,
                "The token is invalid or has expired.",
            )),
            Caller::Token {
                scope: TokenScope::Domain,
                ..
            } => Ok(()),
            Caller::Token { scope, .. } => refuse(bss_access_denied(&format!(
                "The token is scoped to {}; billing is a global service and takes a token \
                 scoped to the domain (the account).",
                describe_scope(shared, scope)
            ))),
            Caller::Keys {
                domain_id: Some(domain_id),
                ..
            } if *domain_id == creds.account_id => Ok(()),
            Caller::Keys {
                domain_id: Some(domain_id),
                ..
            } => refuse(gateway_refusal(&format!(
                "X-Domain-Id {domain_id} is not the domain of this access key"
            ))),
            Caller::Keys { .. } => refuse(bss_access_denied(
                "Billing is a global service: sign AK/SK requests with X-Domain-Id (the \
                 account's domain ID, from GET /v3/auth/domains), not X-Project-Id.",
            )),
        },
    }
}

fn too_many_requests(service: Service, retry_after_secs: u64) -> Response {
    let (code, message) = match service {
        Service::Hcss => (
            codes::TOO_MANY_REQUESTS,
            "Too many requests. Try again later.",
        ),
        Service::Bss => (bss_codes::TOO_FREQUENT, "Operations are too frequent."),
        Service::Iam => (gateway_codes::THROTTLED, "The request is throttled."),
    };
    let mut response = flat(StatusCode::TOO_MANY_REQUESTS, code, message);
    response.headers_mut().insert(
        wire::headers::RETRY_AFTER,
        HeaderValue::from(retry_after_secs),
    );
    response
}

fn server_error(service: Service) -> Response {
    match service {
        Service::Hcss => flat(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::SERVER_EXCEPTION,
            "Server exception.",
        ),
        Service::Bss => flat(
            StatusCode::INTERNAL_SERVER_ERROR,
            bss_codes::OTHER,
            "Other errors.",
        ),
        Service::Iam => iam_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error."),
    }
}

// ---- HCSS ----

async fn create_order(State(shared): Sandbox, headers: HeaderMap, body: Bytes) -> Response {
    let invalid = |message: &str| invalid_parameter(Service::Hcss, message);
    let client_request_id = match headers.get(wire::headers::CLIENT_REQUEST_ID) {
        None => return invalid("Client-Request-Id: the header is required"),
        Some(value) => match value.to_str() {
            Err(_) => return invalid("Client-Request-Id: is not text"),
            Ok(id) => match in_english(|| check_client_request_id(id)) {
                Ok(()) => id.to_string(),
                Err(message) => return invalid(&format!("Client-Request-Id: {message}")),
            },
        },
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return invalid(&format!("body: is not valid JSON ({e})")),
    };
    let checked = in_english(|| {
        let (draft, problems) = Draft::from_plan_value_checked(&value, &shared.catalog);
        match draft.request_body(&shared.catalog) {
            Ok(request) if problems.is_empty() => Ok(request),
            Ok(_) | Err(_) => {
                let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
                Err(text.join("; "))
            }
        }
    });
    let request = match checked {
        Ok(request) => request,
        Err(text) => return invalid(&text),
    };
    let created = {
        let mut book = shared.book();
        let order = book.orders.create(
            &client_request_id,
            value,
            request,
            &shared.prices,
            OffsetDateTime::now_utc(),
            Instant::now(),
            shared.timing,
        );
        CreatedOrder {
            order_id: order.order_id.clone(),
            instance_ids: order.instance_ids.clone(),
        }
    };
    json(StatusCode::ACCEPTED, &created)
}

// ---- BSS ----

fn bss_invalid(message: &str) -> Response {
    invalid_parameter(Service::Bss, message)
}

fn no_such_order(order_id: &str) -> Response {
    flat(
        StatusCode::BAD_REQUEST,
        bss_codes::INVALID_ORDER,
        &format!("Invalid order {order_id} (the order may not exist)."),
    )
}

/// A number from the query; the error is the words for `bss_invalid`.
fn number<T: std::str::FromStr>(
    query: &HashMap<String, String>,
    name: &str,
) -> Result<Option<T>, String> {
    match query.get(name) {
        None => Ok(None),
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{name} must be a whole number, not \"{text}\"")),
    }
}

fn paging(query: &HashMap<String, String>) -> Result<(usize, usize), String> {
    let offset = number::<i64>(query, "offset")?.unwrap_or(0);
    let limit = number::<i64>(query, "limit")?.unwrap_or(DEFAULT_PAGE as i64);
    if offset < 0 {
        return Err("offset must be 0 or more".to_string());
    }
    if !(1..=MAX_PAGE as i64).contains(&limit) {
        return Err(format!("limit must be 1 to {MAX_PAGE}"));
    }
    Ok((offset as usize, limit as usize))
}

async fn order_details(
    State(shared): Sandbox,
    Path(order_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (offset, limit) = match paging(&query) {
        Ok(paging) => paging,
        Err(message) => return bss_invalid(&message),
    };
    let book = shared.book();
    let Some(order) = book.orders.find(&order_id) else {
        return no_such_order(&order_id);
    };
    let items = vec![order.line_item(&shared.catalog)];
    let details = OrderDetails {
        total_count: items.len() as i64,
        order_info: order.info(
            &shared.account,
            OffsetDateTime::now_utc(),
            Instant::now(),
            shared.timing,
        ),
        order_line_items: items.into_iter().skip(offset).take(limit).collect(),
    };
    json(StatusCode::OK, &details)
}

fn list_query(query: &HashMap<String, String>) -> Result<ListQuery, String> {
    let time = |name: &str| -> Result<Option<OffsetDateTime>, String> {
        match query.get(name) {
            None => Ok(None),
            Some(text) => parse_bss_time(text).map(Some).ok_or_else(|| {
                format!("{name} must be a UTC time like 2024-02-28T11:30:00Z, not \"{text}\"")
            }),
        }
    };
    let (offset, limit) = paging(query)?;
    let newest_first = match query.get("order_by").map(String::as_str) {
        None | Some("-createTime") => true,
        Some("createTime") => false,
        Some(other) => {
            return Err(format!(
                "order_by must be createTime or -createTime, not \"{other}\""
            ));
        }
    };
    Ok(ListQuery {
        order_id: query.get("order_id").cloned(),
        create_time_begin: time("create_time_begin")?,
        create_time_end: time("create_time_end")?,
        service_type_code: query.get("service_type_code").cloned(),
        status: number(query, "status")?,
        order_type: number(query, "order_type")?,
        offset,
        limit,
        newest_first,
    })
}

async fn list_orders(
    State(shared): Sandbox,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let query = match list_query(&query) {
        Ok(query) => query,
        Err(message) => return bss_invalid(&message),
    };
    let (now, now_instant) = (OffsetDateTime::now_utc(), Instant::now());
    let book = shared.book();
    let (total, page) = book.orders.list(&query, now, now_instant, shared.timing);
    let list = OrderList {
        total_count: total as i64,
        order_infos: page
            .into_iter()
            .map(|o| o.list_entry(&shared.account, now, now_instant, shared.timing))
            .collect(),
        left_out: 0,
    };
    json(StatusCode::OK, &list)
}

fn refused(order_id: &str, refusal: Refusal, action: &str) -> Response {
    match refusal {
        Refusal::NoSuchOrder => no_such_order(order_id),
        Refusal::PastDeadline if action == "paid" => flat(
            StatusCode::BAD_REQUEST,
            bss_codes::PAST_DEADLINE,
            &format!("The order {order_id} is past its payment deadline; submit the order again."),
        ),
        Refusal::PastDeadline => refused(
            order_id,
            Refusal::NotPending {
                status: wire::status::CANCELLED,
            },
            action,
        ),
        Refusal::NotPending { status } => {
            let code = if action == "paid" {
                bss_codes::STATUS_CHANGED
            } else {
                bss_codes::CANCEL_NOT_ALLOWED
            };
            flat(
                StatusCode::BAD_REQUEST,
                code,
                &format!(
                    "The order {order_id} is {} ({status}); only orders pending payment can be {action}.",
                    wire::status::english(status)
                ),
            )
        }
    }
}

async fn pay_order(State(shared): Sandbox, body: Bytes) -> Response {
    let request: PayRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return bss_invalid(&format!(
                "the body must be {{\"order_id\", \"use_coupon\", \"use_discount\"}} ({e})"
            ));
        }
    };
    for (name, value) in [
        ("use_coupon", &request.use_coupon),
        ("use_discount", &request.use_discount),
    ] {
        if value != "YES" && value != "NO" {
            return bss_invalid(&format!("{name} must be YES or NO, not \"{value}\""));
        }
    }
    let paid = shared.book().orders.pay(
        &request.order_id,
        OffsetDateTime::now_utc(),
        Instant::now(),
        shared.timing,
    );
    match paid {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(refusal) => refused(&request.order_id, refusal, "paid"),
    }
}

async fn cancel_order(State(shared): Sandbox, body: Bytes) -> Response {
    let request: CancelRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return bss_invalid(&format!("the body must be {{\"order_id\"}} ({e})")),
    };
    let cancelled = shared.book().orders.cancel(
        &request.order_id,
        OffsetDateTime::now_utc(),
        Instant::now(),
        shared.timing,
    );
    match cancelled {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(refusal) => refused(&request.order_id, refusal, "cancelled"),
    }
}

// ---- IAM ----

/// IAM's own timestamp form, with microseconds: `2024-02-29T03:13:22.000000Z`.
fn iam_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

fn iam_invalid(why: &str) -> Response {
    flat(
        StatusCode::BAD_REQUEST,
        iam_codes::BODY_INVALID,
        &format!("Request body is invalid. ({why})"),
    )
}

/// Who asks for a token: a password (with the MFA code when login
/// protection is on), or a token IAM issued before.
fn check_identity(shared: &Shared, identity: &wire::Identity) -> Result<(), Box<Response>> {
    let creds = &shared.credentials;
    let has = |m: &str| identity.methods.iter().any(|x| x == m);
    if has("token") && !has("password") {
        let Some(token) = &identity.token else {
            return refuse(iam_invalid("the token method needs identity.token.id"));
        };
        let tokens = shared.tokens().clone();
        return match auth::find_token(&tokens, token.id.as_bytes()) {
            Some(issued) if issued.expires_at > OffsetDateTime::now_utc() => Ok(()),
            _ => refuse(iam_unauthorized("The token is invalid or has expired.")),
        };
    }
    if !has("password") {
        return refuse(iam_invalid(
            "identity.methods must include \"password\" or \"token\"",
        ));
    }
    let Some(password) = &identity.password else {
        return refuse(iam_invalid("the password method needs identity.password"));
    };
    let user = &password.user;
    let password_ok = user.name == creds.user
        && user.domain.name == creds.account
        && user.password == creds.password.expose();
    if !password_ok {
        return refuse(iam_unauthorized("The username or password is wrong."));
    }
    match (&identity.totp, has("totp")) {
        (Some(totp), true) => {
            if totp.user.id != creds.user_id {
                return refuse(iam_unauthorized(
                    "The user id of the totp method is not this user's id.",
                ));
            }
            if totp.user.passcode != SANDBOX_MFA_PASSCODE {
                return refuse(iam_unauthorized(
                    "The verification code is wrong or expired.",
                ));
            }
            Ok(())
        }
        (None, true) => refuse(iam_invalid("the totp method needs identity.totp")),
        (_, false) if shared.require_mfa => refuse(iam_unauthorized(
            "Login protection is on for this user: add the totp method with a verification code.",
        )),
        (_, false) => Ok(()),
    }
}

/// The scope asked for: a project by name or ID (the sandbox has one per
/// region), or the account's domain by name or ID.
fn requested_scope(shared: &Shared, scope: &wire::Scope) -> Result<TokenScope, Box<Response>> {
    let creds = &shared.credentials;
    let matches = |r: &ScopeRef, id: &str, name: &str| {
        r.id.as_deref().is_some_and(|x| x == id) || r.name.as_deref().is_some_and(|x| x == name)
    };
    match (&scope.project, &scope.domain) {
        (Some(project), None) => creds
            .projects
            .iter()
            .find(|(region, id)| matches(project, id, region))
            .map(|(region, _)| TokenScope::Project(region.clone()))
            .ok_or_else(|| {
                Box::new(iam_invalid(&format!(
                    "scope.project: no project {} in this account",
                    project
                        .name
                        .as_deref()
                        .or(project.id.as_deref())
                        .unwrap_or("(unnamed)")
                )))
            }),
        (None, Some(domain)) => {
            if matches(domain, &creds.account_id, &creds.account) {
                Ok(TokenScope::Domain)
            } else {
                refuse(iam_unauthorized(
                    "The domain of scope.domain is not this user's domain.",
                ))
            }
        }
        _ => refuse(iam_invalid(
            "scope must name either a project or a domain, by id or name",
        )),
    }
}

fn token_info(shared: &Shared, issued: &Issued) -> TokenInfo {
    let creds = &shared.credentials;
    let (project, domain) = match &issued.scope {
        TokenScope::Project(region) => (
            Some(TokenProject {
                id: creds.project_id(region).unwrap_or_default().to_string(),
                name: Some(region.clone()),
            }),
            None,
        ),
        TokenScope::Domain => (
            None,
            Some(TokenDomain {
                id: creds.account_id.clone(),
                name: Some(creds.account.clone()),
            }),
        ),
    };
    TokenInfo {
        expires_at: iam_time(issued.expires_at),
        user: Some(TokenUser {
            id: Some(creds.user_id.clone()),
            name: Some(creds.user.clone()),
        }),
        project,
        domain,
    }
}

async fn issue_token(State(shared): Sandbox, body: Bytes) -> Response {
    let request: TokenRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => return iam_invalid(&e.to_string()),
    };
    if let Err(refusal) = check_identity(&shared, &request.auth.identity) {
        return *refusal;
    }
    let scope = match requested_scope(&shared, &request.auth.scope) {
        Ok(scope) => scope,
        Err(refusal) => return *refusal,
    };
    let token = format!(
        "MIIsandbox{}",
        super::ids::random_chars(96, super::ids::ALNUM)
    );
    let issued = Issued {
        scope,
        expires_at: OffsetDateTime::now_utc() + TOKEN_LIFETIME,
    };
    let info = token_info(&shared, &issued);
    shared.tokens().push((token.clone(), issued));
    let mut response = json(StatusCode::CREATED, &TokenResponse { token: info });
    if let Ok(value) = HeaderValue::from_str(&token) {
        response
            .headers_mut()
            .insert(wire::headers::SUBJECT_TOKEN, value);
    }
    response
}

/// `GET /v3/auth/tokens`: what the `X-Subject-Token` is scoped to (the
/// gateway has checked the `X-Auth-Token`).
async fn check_token(State(shared): Sandbox, headers: HeaderMap) -> Response {
    let tokens = shared.tokens().clone();
    let subject = headers
        .get(wire::headers::SUBJECT_TOKEN)
        .map(|v| v.as_bytes().to_vec())
        .unwrap_or_default();
    match auth::find_token(&tokens, &subject) {
        Some(issued) if issued.expires_at > OffsetDateTime::now_utc() => json(
            StatusCode::OK,
            &TokenResponse {
                token: token_info(&shared, &issued),
            },
        ),
        _ => iam_error(
            StatusCode::NOT_FOUND,
            "The X-Subject-Token is invalid or has expired.",
        ),
    }
}

async fn list_projects(
    State(shared): Sandbox,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let projects = shared
        .credentials
        .projects
        .iter()
        .filter(|(region, _)| query.get("name").is_none_or(|name| name == region))
        .map(|(region, id)| Project {
            id: id.clone(),
            name: region.clone(),
        })
        .collect();
    json(StatusCode::OK, &ProjectList { projects })
}

async fn list_domains(State(shared): Sandbox) -> Response {
    json(
        StatusCode::OK,
        &DomainList {
            domains: vec![Domain {
                id: shared.credentials.account_id.clone(),
                name: Some(shared.credentials.account.clone()),
            }],
        },
    )
}
