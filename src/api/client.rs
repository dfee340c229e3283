//! The one HTTP client for HCSS, BSS and IAM: authentication on every
//! request, retries where they are safe, and failures in plain words.
//!
//! Retry rules (money is at stake):
//! - reads (order details, order list, project lookup, login) are retried on
//!   network errors, 429 and 5xx, with exponential backoff and jitter,
//!   honouring `Retry-After`;
//! - calls that change something (create, pay, cancel) are sent again only
//!   when the request provably never left (no connection could be made) or
//!   after a 429. A lost answer is reported as such, never resent here.
//!
//! Each wait before a retry is told, as it starts, to whoever asked for it
//! with [`Client::reporting_waits`]: the service may ask for a minute.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Url};
use tokio::sync::{OnceCell, mpsc};

use super::auth::{AccessKey, Auth, ENV_BSS_TOKEN, ENV_DOMAIN_ID, ENV_PROJECT_ID, ENV_TOKEN};
use super::endpoints::{Endpoints, join};
use super::engine::{ApiFailure, RetryWait};
use super::failure::{self, NetworkTrouble, Operation};
use super::ids::{InstanceId, OrderId};
use super::signer::{self, RequestToSign};
use super::wire::{
    self, CancelRequest, CreatedOrder, DomainList, OrderDetails, OrderList, PayRequest,
    ProjectList, TokenResponse, headers, paths,
};
use crate::domain::order::RequestBody;
use crate::secret::Secret;

/// The most of one answer's body flexus reads. The largest answers it
/// expects are an order's details with 100 line items (the most BSS gives in
/// one page) and a page of 100 orders: some 50 KiB each. 1 MiB leaves ample
/// room for fields services add over time, yet a service or proxy answering
/// hundreds of megabytes can no longer exhaust memory: a 300 MB answer once
/// took 624 MB, and under a memory limit flexus was killed after the order
/// had been created, before anything about it was recorded.
pub const MAX_ANSWER_BYTES: usize = 1 << 20;

/// How hard to try again, and how long to wait; tests shrink the delays.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles each time.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is cut to it.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `next` (2 for the first retry): exponential,
    /// with "equal jitter" so that many clients do not retry in step; what
    /// the service asked for (`Retry-After`) instead, up to a cap.
    pub fn delay(&self, next: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = next.saturating_sub(2).min(20);
        let full = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let half = full / 2;
        let jitter = half.mul_f64(random_fraction());
        let backoff = half + jitter;
        match retry_after {
            Some(asked) => asked.min(self.max_retry_after),
            None => backoff,
        }
    }
}

/// A number in [0, 1) that differs from call to call; jitter needs no more.
fn random_fraction() -> f64 {
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// How an ambiguous submission is investigated: the order may show up in
/// the list only a little after the lost answer, so look a few times.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupOptions {
    pub checks: u32,
    pub interval: Duration,
}

impl Default for LookupOptions {
    fn default() -> Self {
        LookupOptions {
            checks: 3,
            interval: Duration::from_secs(5),
        }
    }
}

/// Timeouts and retries of a [`Client`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// For a whole request, answer included.
    pub request_timeout: Duration,
    pub retry: RetryPolicy,
    /// How a lost purchase answer is investigated.
    pub ambiguity_lookup: LookupOptions,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            ambiguity_lookup: LookupOptions::default(),
        }
    }
}

/// An IAM password login (user, password, account, optional MFA code).
#[derive(Clone, Debug)]
pub struct PasswordLogin {
    pub user: String,
    pub password: Secret,
    /// The account (domain) name; for the account's own login, the same as
    /// `user`.
    pub account: String,
    pub mfa: Option<MfaCode>,
}

/// The second factor of an account with login protection; IAM wants the
/// user's ID here, not the name.
#[derive(Clone, Debug)]
pub struct MfaCode {
    pub user_id: String,
    /// Short-lived, but a credential all the same.
    pub passcode: Secret,
}

/// Why a purchase POST did not yield an order.
#[derive(Debug, Clone, PartialEq)]
pub enum CreateFailure {
    /// Refused by the service, or never sent: no order exists.
    Rejected(ApiFailure),
    /// Sent, but the answer was lost or unreadable (or a 5xx, which does not
    /// prove that nothing happened): an order may exist.
    Ambiguous(ApiFailure),
}

/// Line items asked for with order details: the most BSS gives (1..100).
pub const ORDER_DETAILS_LIMIT: u32 = 100;

/// Filters of the order list; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderQuery {
    /// UTC `yyyy-MM-ddTHH:mm:ssZ`.
    pub create_time_begin: Option<String>,
    pub create_time_end: Option<String>,
    pub order_id: Option<String>,
    /// Only orders of this cloud service (e.g. FlexusL's).
    pub service_type_code: Option<String>,
    pub status: Option<i32>,
    pub order_type: Option<i32>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// `-createTime` lists the newest first.
    pub order_by: Option<String>,
}

impl OrderQuery {
    fn pairs(&self) -> Vec<(String, String)> {
        let mut q = Vec::new();
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                q.push((k.to_string(), v));
            }
        };
        put("create_time_begin", self.create_time_begin.clone());
        put("create_time_end", self.create_time_end.clone());
        put("order_id", self.order_id.clone());
        put("service_type_code", self.service_type_code.clone());
        put("status", self.status.map(|s| s.to_string()));
        put("order_type", self.order_type.map(|s| s.to_string()));
        put("limit", self.limit.map(|s| s.to_string()));
        put("offset", self.offset.map(|s| s.to_string()));
        put("order_by", self.order_by.clone());
        q
    }
}

/// The API client. Cheap to clone (one connection pool shared by all
/// clones), so the wizard can hand it to background tasks.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Where each wait before a retry is told (see [`Client::reporting_waits`]).
    waits: Option<mpsc::Sender<RetryWait>>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    config: ClientConfig,
    auth: Option<Auth>,
    /// AK/SK: the project ID of each order region, looked up once each.
    projects: Mutex<HashMap<String, String>>,
    /// AK/SK: the account's domain ID, configured or looked up once.
    domain_id: OnceCell<String>,
    /// Password sign-in: a token of each order region's project, exchanged
    /// for the domain token once each. In memory only.
    project_tokens: Mutex<HashMap<String, Secret>>,
    /// User tokens: what the purchase token is scoped to, asked of IAM once.
    purchase_scope: OnceCell<TokenScope>,
}

/// What a token is scoped to, as IAM says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenScope {
    /// A region's project: `name` is the region (e.g. `tr-west-1`).
    Project { id: String, name: String },
    /// The account's domain.
    Domain { id: String, name: String },
}

impl TokenScope {
    fn words(&self) -> String {
        match self {
            TokenScope::Project { name, .. } => tr!("core.scope.project", name = name),
            TokenScope::Domain { name, .. } => tr!("core.scope.domain", name = name),
        }
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoints", &self.inner.endpoints)
            .field("auth", &self.inner.auth)
            .finish_non_exhaustive()
    }
}

/// Whether a call may be sent again after its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Reading, or harmless to repeat.
    Safe,
    /// Changes something: again only if provably unsent, or after 429.
    Unsafe,
}

/// Which credential a call carries: each service takes its own scope.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sign {
    /// HCSS, for an order in this region: the region's project (a token
    /// scoped to it, or AK/SK with its `X-Project-Id`).
    Hcss(String),
    /// BSS, a global service: the domain (a domain-scoped token, or AK/SK
    /// with `X-Domain-Id`).
    Bss,
    /// IAM's lookups: any valid credential, AK/SK without a scope header.
    Iam,
    None,
}

/// The credential for one call, resolved.
enum Credential {
    Token(Secret),
    Keys {
        keys: AccessKey,
        scope: Option<(&'static str, String)>,
    },
}

struct Call {
    operation: Operation,
    method: Method,
    url: Url,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    repeat: Repeat,
    sign: Sign,
}

struct Answer {
    status: u16,
    retry_after: Option<Duration>,
    subject_token: Option<String>,
    body: Vec<u8>,
}

/// How a request failed below HTTP.
enum Transport {
    /// No byte of the request left this machine.
    NotSent(ApiFailure),
    /// The request went out; what happened to it is unknown.
    Lost(ApiFailure),
    /// An answer came, larger than [`MAX_ANSWER_BYTES`]: it was not read, so
    /// what happened is unknown, but asking again would only bring the same.
    TooLarge(ApiFailure),
}

impl Inner {
    fn new(
        http: reqwest::Client,
        endpoints: Endpoints,
        config: ClientConfig,
        auth: Option<Auth>,
    ) -> Inner {
        Inner {
            http,
            endpoints,
            config,
            auth,
            projects: Mutex::new(HashMap::new()),
            domain_id: OnceCell::new(),
            project_tokens: Mutex::new(HashMap::new()),
            purchase_scope: OnceCell::new(),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Client {
    /// A client with credentials; fails only if the TLS stack cannot start.
    pub fn new(
        endpoints: Endpoints,
        auth: Auth,
        config: ClientConfig,
    ) -> Result<Client, ApiFailure> {
        Self::build(endpoints, Some(auth), config)
    }

    /// A client without credentials, for password login before anything else.
    pub fn unauthenticated(
        endpoints: Endpoints,
        config: ClientConfig,
    ) -> Result<Client, ApiFailure> {
        Self::build(endpoints, None, config)
    }

    fn build(
        endpoints: Endpoints,
        auth: Option<Auth>,
        config: ClientConfig,
    ) -> Result<Client, ApiFailure> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            // A redirect would resend a purchase somewhere else, with the
            // token: never follow one.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("flexus/", env!("CARGO_PKG_VERSION")));
        // Plain http:// is allowed only for this machine. A proxy from the
        // environment (http_proxy, ALL_PROXY) would carry such a request,
        // token and all, over the network in clear: go direct instead.
        if [&endpoints.hcss, &endpoints.bss, &endpoints.iam]
            .iter()
            .any(|url| url.scheme() == "http")
        {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| {
            ApiFailure::formed(
                || tr!("core.client.no_start", why = e),
                tr!("core.client.no_start_next"),
            )
        })?;
        Ok(Client {
            inner: Arc::new(Inner::new(http, endpoints, config, auth)),
            waits: None,
        })
    }

    /// The same connection pool with other credentials (after a login).
    pub fn with_auth(&self, auth: Auth) -> Client {
        Client {
            inner: Arc::new(Inner::new(
                self.inner.http.clone(),
                self.inner.endpoints.clone(),
                self.inner.config.clone(),
                Some(auth),
            )),
            waits: self.waits.clone(),
        }
    }

    /// The same client (pool, credentials and all), telling `waits` of each
    /// wait before a retry as it starts: a purchase the service throttles
    /// can then say so while it waits. A report the receiver has no room
    /// for is dropped; the request never waits for the front end.
    pub fn reporting_waits(&self, waits: mpsc::Sender<RetryWait>) -> Client {
        Client {
            inner: self.inner.clone(),
            waits: Some(waits),
        }
    }

    /// Where requests go, e.g. to show the user or record in the journal.
    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Timeouts and retries in force, e.g. for the ambiguity lookup.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// `POST {hcss}/v1/light-instances`. `client_request_id` must be the same
    /// on every send of one purchase.
    pub async fn create_order(
        &self,
        body: &RequestBody,
        client_request_id: &str,
    ) -> Result<CreatedOrder, CreateFailure> {
        let op = Operation::CreateOrder;
        // Nothing is sent unless the order can be both placed and followed.
        if let Err(f) = self.ready_to_order(&body.region).await {
            return Err(CreateFailure::Rejected(f));
        }
        let call = Call {
            operation: op,
            method: Method::POST,
            url: join(&self.inner.endpoints.hcss, paths::CREATE_ORDER),
            query: Vec::new(),
            headers: vec![
                (
                    headers::CLIENT_REQUEST_ID.to_string(),
                    client_request_id.to_string(),
                ),
                ("Content-Type".to_string(), "application/json".to_string()),
            ],
            body: serde_json::to_vec(body).expect("a request body always serializes"),
            repeat: Repeat::Unsafe,
            sign: Sign::Hcss(body.region.clone()),
        };
        let answer = match self.execute(&call).await {
            Ok(answer) => answer,
            Err(Transport::NotSent(f)) => return Err(CreateFailure::Rejected(f)),
            Err(Transport::Lost(f) | Transport::TooLarge(f)) => {
                return Err(CreateFailure::Ambiguous(f));
            }
        };
        match answer.status {
            // Accepted, but without IDs flexus can trust it cannot tell which
            // order: find it (never resend).
            200..=299 => match serde_json::from_slice::<CreatedOrder>(&answer.body) {
                Ok(created) => read_created(&created).map_err(|_| {
                    CreateFailure::Ambiguous(failure::unreadable(op, answer.status, || {
                        read_created(&created).err().unwrap_or_default()
                    }))
                }),
                Err(_) => Err(CreateFailure::Ambiguous(failure::unreadable(
                    op,
                    answer.status,
                    || tr!("core.answer.no_order_id"),
                ))),
            },
            500..=599 => Err(CreateFailure::Ambiguous(self.failure(op, &answer))),
            _ => Err(CreateFailure::Rejected(self.failure(op, &answer))),
        }
    }

    /// `GET {bss}/v2/orders/customer-orders/details/{order_id}`, retried.
    pub async fn order_details(&self, order_id: &str) -> Result<OrderDetails, ApiFailure> {
        self.order_details_with(order_id, Repeat::Safe).await
    }

    /// One attempt only: order tracking does its own waiting and reports
    /// each failure as it happens.
    pub(crate) async fn order_details_once(
        &self,
        order_id: &str,
    ) -> Result<(OrderDetails, Option<Duration>), (ApiFailure, Option<Duration>)> {
        let call = self
            .details_call(order_id, Repeat::Safe)
            .map_err(|f| (f, None))?;
        match self.send_once(&call).await {
            Ok(answer) => {
                let retry_after = answer.retry_after;
                self.read_details(&answer)
                    .map(|d| (d, retry_after))
                    .map_err(|f| (f, retry_after))
            }
            Err(t) => Err((t.into_failure(), None)),
        }
    }

    async fn order_details_with(
        &self,
        order_id: &str,
        repeat: Repeat,
    ) -> Result<OrderDetails, ApiFailure> {
        let call = self.details_call(order_id, repeat)?;
        match self.execute(&call).await {
            Ok(answer) => self.read_details(&answer),
            Err(t) => Err(t.into_failure()),
        }
    }

    /// The details call for an order ID of Huawei's shape; anything else is
    /// refused before a URL is built from it.
    fn details_call(&self, order_id: &str, repeat: Repeat) -> Result<Call, ApiFailure> {
        let op = Operation::OrderDetails;
        let order_id = checked_order_id(op, order_id)?;
        let url = details_url(&self.inner.endpoints.bss, &order_id)
            .ok_or_else(|| invalid_order_id(op, || tr!("core.answer.id_leaves_address")))?;
        Ok(Call {
            operation: op,
            method: Method::GET,
            url,
            // At most `limit` line items come back (10 unless asked): an
            // order of many instances needs the most BSS gives.
            query: vec![("limit".to_string(), ORDER_DETAILS_LIMIT.to_string())],
            headers: Vec::new(),
            body: Vec::new(),
            repeat,
            sign: Sign::Bss,
        })
    }

    fn read_details(&self, answer: &Answer) -> Result<OrderDetails, ApiFailure> {
        let op = Operation::OrderDetails;
        if !(200..=299).contains(&answer.status) {
            return Err(self.failure(op, answer));
        }
        let mut details: OrderDetails = serde_json::from_slice(&answer.body).map_err(|_| {
            failure::unreadable(op, answer.status, || {
                let what = tr!("core.answer.what.order_details");
                tr!("core.answer.not_a", what = what)
            })
        })?;
        if OrderId::parse(&details.order_info.order_id).is_err() {
            return Err(failure::unreadable(op, answer.status, || {
                let why = OrderId::parse(&details.order_info.order_id).err();
                tr!("core.answer.its_order_id", why = why.unwrap_or_default())
            }));
        }
        clean_order_info(&mut details.order_info);
        for item in &mut details.order_line_items {
            clean_option(&mut item.order_line_item_id);
            clean_option(&mut item.service_type_code);
            clean_option(&mut item.product_spec_desc);
            clean_option(&mut item.effective_time);
            clean_option(&mut item.expire_time);
            clean_option(&mut item.currency);
        }
        Ok(details)
    }

    /// `GET {bss}/v2/orders/customer-orders`, retried.
    pub async fn list_orders(&self, query: &OrderQuery) -> Result<OrderList, ApiFailure> {
        let url = join(&self.inner.endpoints.bss, paths::LIST_ORDERS);
        let (mut list, _): (OrderList, _) = self
            .get_json(Operation::ListOrders, url, query.pairs(), Sign::Bss, || {
                tr!("core.answer.what.order_list")
            })
            .await?;
        // An order whose ID is not of Huawei's shape is never shown raw,
        // stored or followed: it is left out, and counted so callers can
        // say so.
        let before = list.order_infos.len();
        list.order_infos
            .retain(|o| OrderId::parse(&o.order_id).is_ok());
        list.left_out = before - list.order_infos.len();
        list.order_infos.iter_mut().for_each(clean_order_info);
        Ok(list)
    }

    /// `POST {bss}/v3/orders/customer-orders/pay` for an order pending payment.
    pub async fn pay_order(&self, order_id: &str) -> Result<(), ApiFailure> {
        let order_id = checked_order_id(Operation::PayOrder, order_id)?;
        let body = serde_json::to_vec(&PayRequest::new(order_id.as_str())).expect("serializes");
        self.change(Operation::PayOrder, Method::POST, paths::PAY_ORDER, body)
            .await
    }

    /// `PUT {bss}/v2/orders/customer-orders/cancel` for an order pending payment.
    pub async fn cancel_order(&self, order_id: &str) -> Result<(), ApiFailure> {
        let order_id = checked_order_id(Operation::CancelOrder, order_id)?;
        let body = serde_json::to_vec(&CancelRequest {
            order_id: order_id.to_string(),
        })
        .expect("serializes");
        self.change(
            Operation::CancelOrder,
            Method::PUT,
            paths::CANCEL_ORDER,
            body,
        )
        .await
    }

    async fn change(
        &self,
        op: Operation,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<(), ApiFailure> {
        let call = Call {
            operation: op,
            method,
            url: join(&self.inner.endpoints.bss, path),
            query: Vec::new(),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body,
            repeat: Repeat::Unsafe,
            sign: Sign::Bss,
        };
        match self.execute(&call).await {
            Ok(answer) if (200..=299).contains(&answer.status) => Ok(()),
            Ok(answer) => Err(self.failure(op, &answer)),
            Err(Transport::NotSent(f)) => Err(f),
            Err(Transport::Lost(mut f) | Transport::TooLarge(mut f)) => {
                f.next_step = tr!("core.next.may_have_gone_through");
                Err(f)
            }
        }
    }

    /// IAM password sign-in (`POST {iam}/v3/auth/tokens`): a token scoped
    /// to the account's domain, to use with [`Auth::SignedIn`]. Billing takes
    /// it as it is; the purchase gets a token of the order region's project
    /// in exchange for it (see [`Client::ready_to_order`]), so the password
    /// and a single-use MFA code are sent once and never kept.
    pub async fn login_with_password(&self, login: &PasswordLogin) -> Result<Secret, ApiFailure> {
        let mut methods = vec!["password".to_string()];
        if login.mfa.is_some() {
            methods.push("totp".to_string());
        }
        let identity = wire::Identity {
            methods,
            password: Some(wire::PasswordIdentity {
                user: wire::PasswordUser {
                    name: login.user.clone(),
                    password: login.password.expose().to_string(),
                    domain: wire::NamedRef {
                        name: login.account.clone(),
                    },
                },
            }),
            totp: login.mfa.as_ref().map(|m| wire::TotpIdentity {
                user: wire::TotpUser {
                    id: m.user_id.clone(),
                    passcode: m.passcode.expose().to_string(),
                },
            }),
            token: None,
        };
        let passcode = login.mfa.as_ref().map(|m| &m.passcode);
        let typed: Vec<&Secret> = std::iter::once(&login.password).chain(passcode).collect();
        self.issue_token(
            Operation::Login,
            identity,
            wire::Scope::domain(&login.account),
            &typed,
        )
        .await
    }

    /// A token of another scope for one this user holds (`"methods":
    /// ["token"]`), e.g. a region's project token for the domain token.
    pub async fn exchange_token(
        &self,
        token: &Secret,
        scope: wire::Scope,
    ) -> Result<Secret, ApiFailure> {
        let identity = wire::Identity {
            methods: vec!["token".to_string()],
            password: None,
            totp: None,
            token: Some(wire::TokenIdentity {
                id: token.expose().to_string(),
            }),
        };
        self.issue_token(Operation::ScopedToken, identity, scope, &[token])
            .await
    }

    async fn issue_token(
        &self,
        op: Operation,
        identity: wire::Identity,
        scope: wire::Scope,
        typed: &[&Secret],
    ) -> Result<Secret, ApiFailure> {
        let request = wire::TokenRequest {
            auth: wire::TokenAuth { identity, scope },
        };
        let call = Call {
            operation: op,
            method: Method::POST,
            url: join(&self.inner.endpoints.iam, paths::IAM_TOKENS),
            query: Vec::new(),
            headers: vec![("Content-Type".to_string(), "application/json".to_string())],
            body: serde_json::to_vec(&request).expect("serializes"),
            repeat: Repeat::Safe,
            sign: Sign::None,
        };
        let answer = self.execute(&call).await.map_err(Transport::into_failure)?;
        let scrub = |text: String| {
            let mut text = self.redact(text);
            for secret in typed {
                if !secret.is_empty() {
                    text = text.replace(secret.expose(), "<redacted>");
                }
            }
            text
        };
        if !(200..=299).contains(&answer.status) {
            return Err(failure::from_response(
                op,
                answer.status,
                &answer.body,
                &scrub,
            ));
        }
        match answer.subject_token {
            Some(token) if !token.trim().is_empty() => Ok(Secret::new(token.trim())),
            _ => Err(failure::unreadable(op, answer.status, || {
                "no X-Subject-Token".to_string()
            })),
        }
    }

    /// What a token is scoped to: `GET {iam}/v3/auth/tokens` with the token
    /// checking itself, which needs no permission.
    pub async fn token_scope(&self, token: &Secret) -> Result<TokenScope, ApiFailure> {
        let op = Operation::TokenCheck;
        let call = Call {
            operation: op,
            method: Method::GET,
            url: join(&self.inner.endpoints.iam, paths::IAM_TOKENS),
            query: vec![("nocatalog".to_string(), "true".to_string())],
            headers: vec![
                (headers::AUTH_TOKEN.to_string(), token.expose().to_string()),
                (
                    headers::SUBJECT_TOKEN.to_string(),
                    token.expose().to_string(),
                ),
            ],
            body: Vec::new(),
            repeat: Repeat::Safe,
            sign: Sign::None,
        };
        let answer = self.execute(&call).await.map_err(Transport::into_failure)?;
        let scrub = |text: String| self.redact(text).replace(token.expose(), "<redacted>");
        if !(200..=299).contains(&answer.status) {
            return Err(failure::from_response(
                op,
                answer.status,
                &answer.body,
                &scrub,
            ));
        }
        let info: TokenResponse = serde_json::from_slice(&answer.body).map_err(|_| {
            failure::unreadable(op, answer.status, || {
                let what = tr!("core.answer.what.token_description");
                tr!("core.answer.not_a", what = what)
            })
        })?;
        let clean_name = |n: Option<String>| failure::clean(&n.unwrap_or_default());
        match (info.token.project, info.token.domain) {
            (Some(p), _) => Ok(TokenScope::Project {
                id: failure::clean(&p.id),
                name: clean_name(p.name),
            }),
            (None, Some(d)) => Ok(TokenScope::Domain {
                id: failure::clean(&d.id),
                name: clean_name(d.name),
            }),
            (None, None) => Err(failure::unreadable(op, answer.status, || {
                tr!("core.answer.token_unscoped")
            })),
        }
    }

    /// Whether an order in `region` could be both placed and followed with
    /// these credentials, finding out what is needed (a project ID, a
    /// project token, the domain ID) on the way. Sends no purchase; says
    /// plainly what is missing.
    pub async fn ready_to_order(&self, region: &str) -> Result<(), ApiFailure> {
        if let Err(mut f) = self.credential(&Sign::Hcss(region.to_string())).await {
            f.reword(|why| tr!("core.ready.cannot_place", why = why));
            return Err(f);
        }
        if let Err(mut f) = self.credential(&Sign::Bss).await {
            f.reword(|why| tr!("core.ready.cannot_follow", why = why));
            return Err(f);
        }
        Ok(())
    }

    /// The cheap authenticated call made when signing in, so that wrong
    /// credentials show at once: each user token is asked of IAM what it is
    /// scoped to, and billing is asked for one order (which proves the
    /// credential reaches it and may read orders).
    pub async fn check_sign_in(&self) -> Result<(), ApiFailure> {
        if let Some(Auth::Tokens { purchase, billing }) = &self.inner.auth {
            if purchase.is_none() && billing.is_none() {
                return Err(ApiFailure::formed(
                    || tr!("core.token.none_given"),
                    super::auth::missing_credentials_help(),
                ));
            }
            if purchase.is_some() {
                self.purchase_scope().await?;
            }
            let Some(billing) = billing else {
                return Ok(());
            };
            match self.token_scope(billing).await? {
                TokenScope::Domain { .. } => {}
                other => {
                    return Err(ApiFailure::formed(
                        || tr!("core.token.billing_scope", scope = other.words()),
                        tr!(
                            "core.token.billing_scope_next",
                            bss_env = ENV_BSS_TOKEN,
                            env = ENV_TOKEN
                        ),
                    ));
                }
            }
        }
        self.list_orders(&OrderQuery {
            limit: Some(1),
            ..OrderQuery::default()
        })
        .await
        .map(|_| ())
    }

    /// What the user's purchase token is scoped to, asked once; it must be
    /// a project.
    async fn purchase_scope(&self) -> Result<&TokenScope, ApiFailure> {
        let Some(Auth::Tokens {
            purchase: Some(token),
            ..
        }) = &self.inner.auth
        else {
            return Err(ApiFailure::formed(|| tr!("core.token.no_purchase"), ""));
        };
        let scope = self
            .inner
            .purchase_scope
            .get_or_try_init(|| self.token_scope(token))
            .await?;
        if let TokenScope::Domain { .. } = scope {
            return Err(ApiFailure::formed(
                || tr!("core.token.purchase_is_domain", scope = scope.words()),
                tr!(
                    "core.token.purchase_is_domain_next",
                    bss_env = ENV_BSS_TOKEN,
                    env = ENV_TOKEN
                ),
            ));
        }
        Ok(scope)
    }

    /// The credential a call carries, resolved (looking up what is needed).
    async fn credential(&self, sign: &Sign) -> Result<Credential, ApiFailure> {
        let Some(auth) = &self.inner.auth else {
            return Err(ApiFailure::formed(
                || tr!("core.token.not_signed_in"),
                super::auth::missing_credentials_help(),
            ));
        };
        match (auth, sign) {
            (_, Sign::None) => Err(ApiFailure::formed(
                || tr!("core.token.no_credential_taken"),
                "",
            )),
            (Auth::Tokens { purchase, .. }, Sign::Hcss(region)) => {
                let Some(token) = purchase else {
                    return Err(ApiFailure::formed(
                        || tr!("core.token.no_purchase"),
                        tr!(
                            "core.token.no_purchase_next",
                            env = ENV_TOKEN,
                            region = region
                        ),
                    ));
                };
                match self.purchase_scope().await? {
                    TokenScope::Project { name, .. } if name == region => {
                        Ok(Credential::Token(token.clone()))
                    }
                    other => Err(ApiFailure::formed(
                        || {
                            tr!(
                                "core.token.other_region",
                                scope = other.words(),
                                region = region
                            )
                        },
                        match other {
                            TokenScope::Project { name, .. } => tr!(
                                "core.token.other_region_next",
                                region = region,
                                other = name
                            ),
                            TokenScope::Domain { .. } => {
                                tr!("core.token.other_region_next_domain", region = region)
                            }
                        },
                    )),
                }
            }
            (Auth::Tokens { billing, .. }, Sign::Bss) => {
                billing.clone().map(Credential::Token).ok_or_else(|| {
                    ApiFailure::formed(
                        || tr!("core.token.no_billing"),
                        tr!("core.token.no_billing_next", env = ENV_BSS_TOKEN),
                    )
                })
            }
            (Auth::Tokens { purchase, billing }, Sign::Iam) => billing
                .as_ref()
                .or(purchase.as_ref())
                .cloned()
                .map(Credential::Token)
                .ok_or_else(|| ApiFailure::formed(|| tr!("core.token.none"), "")),
            (Auth::SignedIn { domain_token }, Sign::Hcss(region)) => self
                .project_token(domain_token, region)
                .await
                .map(Credential::Token),
            (Auth::SignedIn { domain_token }, Sign::Bss | Sign::Iam) => {
                Ok(Credential::Token(domain_token.clone()))
            }
            (Auth::AkSk { basic, .. }, Sign::Hcss(region)) => {
                let project = self.project_for(region).await?;
                Ok(Credential::Keys {
                    keys: basic.clone(),
                    scope: Some((headers::PROJECT_ID, project)),
                })
            }
            (Auth::AkSk { global, .. }, Sign::Bss) => {
                let domain = self.domain_id().await?;
                Ok(Credential::Keys {
                    keys: global.clone(),
                    scope: Some((headers::DOMAIN_ID, domain)),
                })
            }
            (Auth::AkSk { basic, .. }, Sign::Iam) => Ok(Credential::Keys {
                keys: basic.clone(),
                scope: None,
            }),
        }
    }

    /// A token of `region`'s project, exchanged for the domain token once
    /// per region and kept in memory for the run.
    async fn project_token(
        &self,
        domain_token: &Secret,
        region: &str,
    ) -> Result<Secret, ApiFailure> {
        if let Some(token) = lock(&self.inner.project_tokens).get(region) {
            return Ok(token.clone());
        }
        let token = Box::pin(self.exchange_token(domain_token, wire::Scope::project(region)))
            .await
            .map_err(|mut f| {
                f.reword(|why| tr!("core.token.no_project_token", region = region, why = why));
                f
            })?;
        lock(&self.inner.project_tokens).insert(region.to_string(), token.clone());
        Ok(token)
    }

    /// The project ID AK/SK name for an order in `region`: looked up through
    /// IAM (`GET /v3/projects?name=REGION`) once per region and kept for the
    /// run. A project belongs to one region, so a configured project ID
    /// (`HUAWEICLOUD_SDK_PROJECT_ID`, `project_id` under `[basic]`) is used
    /// only when IAM will not say (the keys may not list projects): as in
    /// the SDKs, it is then taken as the project of the region in use, and
    /// HCSS refuses it if it is not.
    pub async fn project_for(&self, region: &str) -> Result<String, ApiFailure> {
        if let Some(id) = lock(&self.inner.projects).get(region) {
            return Ok(id.clone());
        }
        let configured = match &self.inner.auth {
            Some(Auth::AkSk { project_id, .. }) => project_id.clone(),
            _ => None,
        };
        let id = match Box::pin(self.lookup_project_id(region)).await {
            Ok(id) => id,
            Err(f) if f.status == Some(403) && configured.is_some() => {
                configured.unwrap_or_default()
            }
            Err(f) => return Err(f),
        };
        lock(&self.inner.projects).insert(region.to_string(), id.clone());
        Ok(id)
    }

    /// The account's domain ID that AK/SK name for billing: configured, or
    /// looked up through IAM (`GET /v3/auth/domains`) once.
    pub async fn domain_id(&self) -> Result<String, ApiFailure> {
        let configured = match &self.inner.auth {
            Some(Auth::AkSk { domain_id, .. }) => domain_id.clone(),
            _ => None,
        };
        if let Some(id) = configured {
            return Ok(id);
        }
        self.inner
            .domain_id
            .get_or_try_init(|| Box::pin(self.lookup_domain_id()))
            .await
            .cloned()
    }

    async fn lookup_domain_id(&self) -> Result<String, ApiFailure> {
        let url = join(&self.inner.endpoints.iam, paths::IAM_DOMAINS);
        let (list, status): (DomainList, _) = self
            .get_json(Operation::DomainLookup, url, Vec::new(), Sign::Iam, || {
                tr!("core.answer.what.domain_list")
            })
            .await?;
        list.domains
            .into_iter()
            .next()
            .map(|d| failure::clean(&d.id))
            .filter(|id| !id.is_empty())
            .ok_or_else(|| ApiFailure {
                status: Some(status),
                ..ApiFailure::formed(
                    || tr!("core.iam.no_domain"),
                    tr!("core.iam.no_domain_next", env = ENV_DOMAIN_ID),
                )
            })
    }

    async fn lookup_project_id(&self, region: &str) -> Result<String, ApiFailure> {
        let url = join(&self.inner.endpoints.iam, paths::IAM_PROJECTS);
        let query = vec![("name".to_string(), region.to_string())];
        let (list, status): (ProjectList, _) = self
            .get_json(Operation::ProjectLookup, url, query, Sign::Iam, || {
                tr!("core.answer.what.project_list")
            })
            .await?;
        let mut found = list.projects.into_iter().filter(|p| p.name == region);
        match (found.next(), found.next()) {
            (Some(p), None) if !failure::clean(&p.id).is_empty() => Ok(failure::clean(&p.id)),
            (Some(_), Some(_)) => Err(ApiFailure {
                status: Some(status),
                ..ApiFailure::formed(
                    || tr!("core.iam.projects_many", region = region),
                    tr!("core.iam.projects_many_next", env = ENV_PROJECT_ID),
                )
            }),
            _ => Err(ApiFailure {
                status: Some(status),
                ..ApiFailure::formed(
                    || tr!("core.iam.no_project", region = region),
                    tr!("core.iam.no_project_next"),
                )
            }),
        }
    }

    /// A retried GET whose 2xx answer is `what` as JSON, with its status.
    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        op: Operation,
        url: Url,
        query: Vec<(String, String)>,
        sign: Sign,
        what: fn() -> String,
    ) -> Result<(T, u16), ApiFailure> {
        let call = Call {
            operation: op,
            method: Method::GET,
            url,
            query,
            headers: Vec::new(),
            body: Vec::new(),
            repeat: Repeat::Safe,
            sign,
        };
        let answer = self.execute(&call).await.map_err(Transport::into_failure)?;
        if !(200..=299).contains(&answer.status) {
            return Err(self.failure(op, &answer));
        }
        let value = serde_json::from_slice(&answer.body).map_err(|_| {
            failure::unreadable(op, answer.status, || {
                tr!("core.answer.not_a", what = what())
            })
        })?;
        Ok((value, answer.status))
    }

    fn failure(&self, op: Operation, answer: &Answer) -> ApiFailure {
        failure::from_response(op, answer.status, &answer.body, &|t| self.redact(t))
    }

    /// Removes this client's own secrets from text, in case a service or
    /// proxy echoes a header back in an error message.
    fn redact(&self, mut text: String) -> String {
        let exchanged: Vec<Secret> = lock(&self.inner.project_tokens).values().cloned().collect();
        let own = self.inner.auth.iter().flat_map(Auth::secrets);
        for secret in own.chain(exchanged.iter()) {
            if secret.expose().len() >= 4 {
                text = text.replace(secret.expose(), "<redacted>");
            }
        }
        text
    }

    /// Sends a call, again as its [`Repeat`] allows.
    async fn execute(&self, call: &Call) -> Result<Answer, Transport> {
        let policy = &self.inner.config.retry;
        let mut attempt = 1;
        loop {
            let outcome = self.send_once(call).await;
            let again = attempt < policy.max_attempts.max(1);
            let retry_after = match &outcome {
                Ok(answer) if answer.status == 429 => answer.retry_after,
                Ok(answer) if answer.status >= 500 && call.repeat == Repeat::Safe => {
                    answer.retry_after
                }
                Ok(_) => return outcome,
                Err(Transport::NotSent(_)) => None,
                Err(Transport::Lost(_)) if call.repeat == Repeat::Safe => None,
                Err(Transport::Lost(_) | Transport::TooLarge(_)) => return outcome,
            };
            if !again {
                return outcome;
            }
            attempt += 1;
            let waiting = policy.delay(attempt, retry_after);
            tracing::info!(
                operation = ?call.operation,
                because = %retry_cause(&outcome),
                waiting_ms = waiting.as_millis() as u64,
                asked_s = retry_after.map(|asked| asked.as_secs()),
                attempt,
                attempts = policy.max_attempts,
                "waiting, then sending again"
            );
            if let Some(waits) = &self.waits {
                let reason = match &outcome {
                    Ok(answer) => self.failure(call.operation, answer),
                    Err(trouble) => trouble.failure().clone(),
                };
                let _ = waits.try_send(RetryWait {
                    reason,
                    waiting,
                    asked: retry_after,
                    retry_at: time::OffsetDateTime::now_utc() + waiting,
                    attempt,
                    attempts: policy.max_attempts,
                });
            }
            tokio::time::sleep(waiting).await;
        }
    }

    /// Sends a call once: authentication headers are computed afresh, so a
    /// signature never outlives its date.
    async fn send_once(&self, call: &Call) -> Result<Answer, Transport> {
        let mut url = call.url.clone();
        if !call.query.is_empty() {
            // Sent exactly as signed.
            url.set_query(Some(&signer::canonical_query_string(&call.query)));
        }
        let host_for_messages = host_port(&url);
        let logged_url = loggable_url(&url);
        // IAM's token check carries its token among the call's own headers.
        let mut signed_with = if call
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(headers::AUTH_TOKEN))
        {
            SignedWith::Token
        } else {
            SignedWith::Nothing
        };
        let mut headers: Vec<(String, String)> = call.headers.clone();
        // Never shown by reqwest's Debug, whichever call carries them.
        let sensitive = [
            headers::AUTH_TOKEN,
            headers::SUBJECT_TOKEN,
            headers::SECURITY_TOKEN,
            signer::HEADER_AUTHORIZATION,
        ];

        if call.sign != Sign::None {
            // Boxed: finding a credential may itself be a call through here.
            let credential = Box::pin(self.credential(&call.sign))
                .await
                .map_err(Transport::NotSent)?;
            signed_with = SignedWith::of(&credential);
            match credential {
                Credential::Token(token) => {
                    headers.push((headers::AUTH_TOKEN.to_string(), token.expose().to_string()));
                }
                Credential::Keys { keys, scope } => {
                    if let Some((name, value)) = scope {
                        headers.push((name.to_string(), value));
                    }
                    if let Some(st) = &keys.security_token {
                        headers
                            .push((headers::SECURITY_TOKEN.to_string(), st.expose().to_string()));
                    }
                    let path = url.path().to_string();
                    let date = signer::sdk_date(time::OffsetDateTime::now_utc());
                    let signed = signer::sign(
                        &keys.key,
                        &RequestToSign {
                            method: call.method.as_str(),
                            host: &host_port(&url),
                            path: &path,
                            query: &call.query,
                            headers: &headers,
                            body: &call.body,
                        },
                        &date,
                    );
                    for (name, value) in signed.headers {
                        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                        headers.push((name.to_string(), value));
                    }
                }
            }
        }

        let mut request = self.inner.http.request(call.method.clone(), url);
        for (name, value) in &headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Transport::NotSent(bad_header(call.operation, || tr!("core.header.bad_name")))
            })?;
            let mut value = HeaderValue::from_str(value.trim()).map_err(|_| {
                Transport::NotSent(bad_header(call.operation, || tr!("core.header.bad_value")))
            })?;
            if sensitive
                .iter()
                .any(|s| name.as_str().eq_ignore_ascii_case(s))
            {
                value.set_sensitive(true);
            }
            request = request.header(name, value);
        }
        if !call.body.is_empty() {
            request = request.body(call.body.clone());
        }

        let started = std::time::Instant::now();
        let log_trouble = |trouble: &Transport, status: Option<u16>| {
            tracing::warn!(
                operation = ?call.operation,
                method = %call.method,
                url = %logged_url,
                status,
                elapsed_ms = started.elapsed().as_millis() as u64,
                signed_with = %signed_with,
                trouble = trouble.words(),
                "HTTP exchange failed"
            );
        };
        let response = request.send().await.map_err(|e| {
            let trouble = classify(call.operation, &e, &host_for_messages);
            log_trouble(&trouble, None);
            trouble
        })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let retry_after = header(headers::RETRY_AFTER)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let subject_token = header(headers::SUBJECT_TOKEN);
        let request_id = header(headers::REQUEST_ID).map(|id| failure::clean(&id));
        let body = read_capped(response, MAX_ANSWER_BYTES)
            .await
            .map_err(|trouble| match trouble {
                BodyTrouble::TooLarge => Transport::TooLarge(failure::too_large(
                    call.operation,
                    status,
                    MAX_ANSWER_BYTES,
                )),
                BodyTrouble::Network(e) => {
                    let trouble = if e.is_timeout() {
                        NetworkTrouble::Timeout
                    } else {
                        NetworkTrouble::Lost
                    };
                    Transport::Lost(failure::network(
                        call.operation,
                        trouble,
                        &host_for_messages,
                    ))
                }
            })
            .inspect_err(|trouble| log_trouble(trouble, Some(status)))?;
        // Neither headers nor bodies are logged: they carry the tokens,
        // the signature and, to and from IAM, passwords and MFA codes.
        tracing::debug!(
            operation = ?call.operation,
            method = %call.method,
            url = %logged_url,
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            request_id = request_id.as_deref().unwrap_or("none"),
            client_request_id = call
                .headers
                .iter()
                .find(|(name, _)| name == headers::CLIENT_REQUEST_ID)
                .map(|(_, id)| id.as_str()),
            signed_with = %signed_with,
            sent_bytes = call.body.len(),
            answer_bytes = body.len(),
            "HTTP exchange"
        );
        Ok(Answer {
            status,
            retry_after,
            subject_token,
            body,
        })
    }
}

/// How a request was signed, in the words the debug log uses: never the
/// credential itself.
enum SignedWith {
    Nothing,
    Token,
    /// Enough of the access key to tell a user's keys apart.
    AccessKey(String),
}

impl SignedWith {
    fn of(credential: &Credential) -> SignedWith {
        match credential {
            Credential::Token(_) => SignedWith::Token,
            Credential::Keys { keys, .. } => {
                SignedWith::AccessKey(keys.key.access_key.chars().take(4).collect())
            }
        }
    }
}

impl std::fmt::Display for SignedWith {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignedWith::Nothing => f.write_str("nothing"),
            SignedWith::Token => f.write_str("token"),
            SignedWith::AccessKey(start) => write!(f, "access-key:{start}..."),
        }
    }
}

/// The URL as the debug log shows it. Queries carry only filters (a
/// signature goes in a header), but a user name or password written into
/// an endpoint would be a credential: it is dropped.
fn loggable_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

/// Why a call is sent again, for the debug log: the status or what went
/// wrong below HTTP, never the answer's text (IAM's may echo what was sent).
fn retry_cause(outcome: &Result<Answer, Transport>) -> String {
    match outcome {
        Ok(answer) => format!("status {}", answer.status),
        Err(trouble) => trouble.words().to_string(),
    }
}

impl Transport {
    /// What happened, in a few words for the debug log.
    fn words(&self) -> &'static str {
        match self {
            Transport::NotSent(_) => "not sent",
            Transport::Lost(_) => "answer lost",
            Transport::TooLarge(_) => "answer too large",
        }
    }

    fn into_failure(self) -> ApiFailure {
        match self {
            Transport::NotSent(f) | Transport::Lost(f) | Transport::TooLarge(f) => f,
        }
    }

    fn failure(&self) -> &ApiFailure {
        match self {
            Transport::NotSent(f) | Transport::Lost(f) | Transport::TooLarge(f) => f,
        }
    }
}

enum BodyTrouble {
    /// More than the cap: reading stopped there.
    TooLarge,
    Network(reqwest::Error),
}

/// The body, read piece by piece and never more than `cap` bytes of it: a
/// declared length over the cap is refused before anything is read.
async fn read_capped(mut response: reqwest::Response, cap: usize) -> Result<Vec<u8>, BodyTrouble> {
    if response
        .content_length()
        .is_some_and(|declared| declared > cap as u64)
    {
        return Err(BodyTrouble::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyTrouble::Network)? {
        if body.len() + chunk.len() > cap {
            return Err(BodyTrouble::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The IDs of a purchase answer, checked: a missing or malformed order ID,
/// or a malformed instance ID, makes the answer unreadable (the words say
/// why, for [`failure::unreadable`]).
fn read_created(created: &CreatedOrder) -> Result<CreatedOrder, String> {
    if created.order_id.trim().is_empty() {
        return Err(tr!("core.answer.no_order_id"));
    }
    let order_id = OrderId::parse(&created.order_id)
        .map_err(|why| tr!("core.answer.the_order_id_in_it", why = why))?;
    let instance_ids = created
        .instance_ids
        .iter()
        .map(|i| InstanceId::parse(i).map(|i| i.to_string()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|why| tr!("core.answer.an_instance_id_in_it", why = why))?;
    Ok(CreatedOrder {
        order_id: order_id.to_string(),
        instance_ids,
    })
}

/// `{bss}/v2/orders/customer-orders/details/{order_id}`. The ID is
/// percent-encoded as a path segment (dots included) and the URL is checked
/// to end in exactly that segment: whatever the ID, it can never make the
/// URL normalise to another endpoint.
fn details_url(bss: &Url, order_id: &OrderId) -> Option<Url> {
    let segment = encode_segment(order_id.as_str());
    let path = format!("{}/{segment}", paths::ORDER_DETAILS);
    let url = join(bss, &path);
    url.path().ends_with(&path).then_some(url)
}

/// Everything but ASCII letters, digits, `-` and `_` as `%XX`.
fn encode_segment(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The order ID a call is given, refused unless of Huawei's shape.
fn checked_order_id(op: Operation, order_id: &str) -> Result<OrderId, ApiFailure> {
    // Asked again for the words, in each language the failure is told in.
    OrderId::parse(order_id)
        .map_err(|_| invalid_order_id(op, || OrderId::parse(order_id).err().unwrap_or_default()))
}

/// An order ID given to a call that is not of Huawei's shape: nothing was
/// sent. `why` never repeats the ID.
fn invalid_order_id(op: Operation, why: impl Fn() -> String) -> ApiFailure {
    ApiFailure::formed(
        || tr!("core.answer.bad_order_id", why = why()),
        failure::next_step(op, Some(400), None),
    )
}

/// Sorts a reqwest error into "never sent" and "sent, fate unknown". Only a
/// failure to connect proves nothing left; anything else might have.
fn classify(op: Operation, e: &reqwest::Error, host: &str) -> Transport {
    if e.is_connect() || e.is_builder() {
        let trouble = if e.is_timeout() {
            NetworkTrouble::Timeout
        } else {
            NetworkTrouble::Connect
        };
        let f = failure::network(op, trouble, host);
        Transport::NotSent(match trouble {
            NetworkTrouble::Timeout => ApiFailure::formed(
                || tr!("core.network.connect_timeout", host = host),
                f.next_step,
            ),
            _ => f,
        })
    } else if e.is_timeout() {
        Transport::Lost(failure::network(op, NetworkTrouble::Timeout, host))
    } else {
        Transport::Lost(failure::network(op, NetworkTrouble::Lost, host))
    }
}

fn bad_header(op: Operation, message: impl Fn() -> String) -> ApiFailure {
    ApiFailure::formed(message, failure::next_step(op, None, None))
}

/// `host[:port]` as in the URL: what the `Host` header carries.
fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn clean_option(field: &mut Option<String>) {
    if let Some(text) = field {
        *text = failure::clean(text);
    }
}

/// Everything of an order that may be shown, cleaned of control characters.
fn clean_order_info(info: &mut wire::OrderInfo) {
    info.order_id = info.order_id.trim().to_string();
    for field in [
        &mut info.customer_id,
        &mut info.service_type_code,
        &mut info.service_type_name,
        &mut info.create_time,
        &mut info.payment_time,
        &mut info.currency,
        &mut info.contract_id,
        &mut info.user_name,
        &mut info.pending_payment_end_time,
    ] {
        clean_option(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_id_stays_one_segment_of_the_details_url() {
        let bss = Url::parse("https://bss.example/prefix/").unwrap();
        let id = OrderId::parse("CS24022811305H1EW").unwrap();
        assert_eq!(
            details_url(&bss, &id).unwrap().as_str(),
            "https://bss.example/prefix/v2/orders/customer-orders/details/CS24022811305H1EW"
        );
        // The url crate treats "%2e%2e" as ".." (WHATWG): encoding alone
        // would not be enough, hence the check of the result.
        let sneaky = join(&bss, &format!("{}/%2E%2E", paths::ORDER_DETAILS));
        assert!(!sneaky.path().ends_with("%2E%2E"), "{sneaky}");
        assert_eq!(encode_segment(".."), "%2E%2E");
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
    }

    #[test]
    fn a_purchase_answer_with_malformed_ids_is_unreadable() {
        let ok = CreatedOrder {
            order_id: " CS24022811305H1EW ".to_string(),
            instance_ids: vec!["65dea8d23005da564c78d9d2".to_string()],
        };
        assert_eq!(read_created(&ok).unwrap().order_id, "CS24022811305H1EW");
        for bad in ["..", "\u{1b}\u{7}", &"C".repeat(501), ""] {
            let created = CreatedOrder {
                order_id: bad.to_string(),
                ..ok.clone()
            };
            let why = read_created(&created).unwrap_err();
            assert!(why.contains("order ID"), "{why}");
            assert!(!why.chars().any(char::is_control), "{why:?}");
        }
        let created = CreatedOrder {
            instance_ids: vec!["../x".to_string()],
            ..ok
        };
        assert!(read_created(&created).unwrap_err().contains("instance ID"));
    }

    #[test]
    fn order_details_of_100_line_items_fit_well_under_the_cap() {
        let item = wire::OrderLineItem {
            order_line_item_id: Some("CS24022811305H1EW-000001".to_string()),
            service_type_code: Some("hws.service.type.hcss".to_string()),
            product_spec_desc: Some(
                "FlexusL | 2 vCPUs | 4 GiB | 80 GiB system disk | 1200 GB monthly traffic | \
                 BT 6.8.35 | 20 GB data disk | 20 GB backup vault | host security"
                    .to_string(),
            ),
            period_type: Some(2),
            period_num: Some(12),
            subscription_num: Some(1),
            effective_time: Some("2024-02-28T11:30:05Z".to_string()),
            expire_time: Some("2025-02-28T23:59:59Z".to_string()),
            official_amount: Some(123456.78),
            amount_after_discount: Some(123456.78),
            currency: Some("USD".to_string()),
        };
        let details = OrderDetails {
            total_count: 100,
            order_info: wire::OrderInfo {
                order_id: "CS24022811305H1EW".to_string(),
                ..Default::default()
            },
            order_line_items: vec![item; 100],
        };
        let size = serde_json::to_vec(&details).unwrap().len();
        assert!(size * 8 < MAX_ANSWER_BYTES, "{size} bytes");
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let policy = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(1000),
            max_retry_after: Duration::from_secs(5),
        };
        for _ in 0..50 {
            let d2 = policy.delay(2, None);
            assert!(d2 >= Duration::from_millis(50) && d2 <= Duration::from_millis(100));
            let d4 = policy.delay(4, None);
            assert!(d4 >= Duration::from_millis(200) && d4 <= Duration::from_millis(400));
            let d9 = policy.delay(9, None);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_millis(1000));
        }
        let spread: std::collections::HashSet<_> = (0..20).map(|_| policy.delay(5, None)).collect();
        assert!(spread.len() > 1, "no jitter");
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy {
            max_retry_after: Duration::from_secs(5),
            ..RetryPolicy::default()
        };
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            policy.delay(2, Some(Duration::from_secs(600))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn order_query_sends_only_what_is_set() {
        let q = OrderQuery {
            create_time_begin: Some("2026-11-26T10:00:00Z".into()),
            limit: Some(50),
            order_by: Some("-createTime".into()),
            ..Default::default()
        };
        assert_eq!(
            signer::canonical_query_string(&q.pairs()),
            "create_time_begin=2026-11-26T10%3A00%3A00Z&limit=50&order_by=-createTime"
        );
    }
}
