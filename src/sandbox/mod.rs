//! A local stand-in for Huawei Cloud's HCSS (purchase), BSS (orders) and
//! IAM (tokens, projects) endpoints: a real HTTP server on loopback that
//! validates with the same domain rules as the CLI, authenticates like the
//! API gateway (token or AK/SK signature), keeps an order book whose orders
//! move through the BSS statuses, and injects faults on demand.
//!
//! One listener serves all three services; their paths do not collide, so
//! every endpoint setting can point at [`SandboxHandle::url`].

mod auth;
pub mod fault;
mod ids;
pub mod orders;
mod routes;
mod server;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use crate::domain::catalog::Catalog;
use crate::domain::pricing::PriceTable;
use crate::secret::Secret;

pub use fault::{Count, Fault, FaultKind, Scope};

use fault::FaultPlan;
use orders::{Account, OrderBook, Timing};

/// The MFA code the sandbox accepts when it requires login protection.
pub const SANDBOX_MFA_PASSCODE: &str = "123456";

/// Where `flexus sandbox` listens unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Faults to inject, applied in order (see `flexus sandbox --help`).
    pub faults: Vec<Fault>,
    /// How long a paid order stays processing (3) before it is completed (5).
    pub complete_after: Duration,
    /// Added to every answer.
    pub latency: Duration,
    /// How long an unpaid order waits in pending payment (6) before BSS
    /// cancels it.
    pub payment_window: Duration,
    /// Require the `totp` method (login protection) on IAM token calls.
    pub require_mfa: bool,
    /// What can be bought; orders are validated against it.
    pub catalog: Catalog,
    /// List prices, for the amounts of orders.
    pub prices: PriceTable,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            faults: Vec::new(),
            complete_after: Duration::from_secs(3),
            latency: Duration::ZERO,
            payment_window: Duration::from_secs(24 * 3600),
            require_mfa: false,
            catalog: Catalog::embedded(),
            prices: PriceTable::embedded(),
        }
    }
}

/// Credentials valid for one sandbox run only, made at random when it
/// starts. `Debug` shows no secret.
///
/// As on Huawei Cloud, each region has its own project, and a credential
/// names one scope: HCSS takes the project of the order's region (a token
/// scoped to it, or AK/SK with its `X-Project-Id`), BSS the account's domain
/// (a domain-scoped token, or AK/SK with `X-Domain-Id`).
#[derive(Debug, Clone)]
pub struct SandboxCredentials {
    /// A token scoped to the account's domain: what BSS takes.
    pub domain_token: Secret,
    /// A token per region, scoped to that region's project: what HCSS takes
    /// for an order in the region.
    pub project_tokens: Vec<(String, Secret)>,
    pub access_key: String,
    pub secret_key: Secret,
    /// The project ID of each region, `(region, project ID)`.
    pub projects: Vec<(String, String)>,
    /// IAM user name, password and account (domain) name.
    pub user: String,
    pub password: Secret,
    pub account: String,
    /// The IAM user's id, for the `totp` method's `user.id`.
    pub user_id: String,
    /// The account's ID: its domain ID (`X-Domain-Id`) and the BSS
    /// `customer_id` of its orders.
    pub account_id: String,
}

impl SandboxCredentials {
    fn generate(regions: &[String]) -> SandboxCredentials {
        let token = || Secret::new(format!("MIIsandbox{}", ids::random_chars(96, ids::ALNUM)));
        SandboxCredentials {
            domain_token: token(),
            project_tokens: regions.iter().map(|r| (r.clone(), token())).collect(),
            access_key: format!("SBX{}", ids::random_chars(17, ids::UPPER_ALNUM)),
            secret_key: Secret::new(ids::random_chars(40, ids::ALNUM)),
            projects: regions
                .iter()
                .map(|r| (r.clone(), hex::encode(ids::random_bytes(16))))
                .collect(),
            user: "sandbox-user".to_string(),
            password: Secret::new(format!("Sbx-{}", ids::random_chars(16, ids::ALNUM))),
            account: "sandbox-account".to_string(),
            user_id: hex::encode(ids::random_bytes(16)),
            account_id: hex::encode(ids::random_bytes(16)),
        }
    }

    /// The project ID of a region the sandbox sells in.
    pub fn project_id(&self, region: &str) -> Option<&str> {
        self.projects
            .iter()
            .find(|(r, _)| r == region)
            .map(|(_, id)| id.as_str())
    }

    /// The region whose project this is.
    pub fn region_of_project(&self, project_id: &str) -> Option<&str> {
        self.projects
            .iter()
            .find(|(_, id)| id == project_id)
            .map(|(r, _)| r.as_str())
    }

    /// The token scoped to a region's project.
    pub fn project_token(&self, region: &str) -> Option<&Secret> {
        self.project_tokens
            .iter()
            .find(|(r, _)| r == region)
            .map(|(_, t)| t)
    }
}

/// An order the sandbox created, as it was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedOrder {
    pub client_request_id: String,
    pub order_id: String,
    /// The request body exactly as received.
    pub body: Value,
    pub instance_ids: Vec<String>,
    pub created_at: OffsetDateTime,
}

/// One request the sandbox received. Never holds headers or bodies, so no
/// secret can end up here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    pub method: String,
    /// The path only, without the query.
    pub path: String,
    /// The query string as received, empty without one (flexus puts no
    /// credential there), so tests can see what a search asked for.
    pub query: String,
    /// The HTTP status answered; `None` while in flight, when the
    /// connection was cut on purpose (`dropped`), or when the client went
    /// away first (`abandoned`).
    pub status: Option<u16>,
    /// A `drop` fault cut the connection instead of answering.
    pub dropped: bool,
    /// The client closed the connection before the answer was ready (the
    /// work, such as creating an order, was still done).
    pub abandoned: bool,
    pub received_at: OffsetDateTime,
}

impl ReceivedRequest {
    /// One line for a log: time, method, path, status.
    pub fn log_line(&self) -> String {
        let t = self.received_at;
        let outcome = match self.status {
            _ if self.dropped => "dropped (connection cut, no answer)".to_string(),
            _ if self.abandoned => {
                "abandoned by the client before the answer; the work (e.g. an order) was done"
                    .to_string()
            }
            Some(status) => status.to_string(),
            None => "no answer yet".to_string(),
        };
        format!(
            "{:02}:{:02}:{:02}  {:<6} {}  {outcome}",
            t.hour(),
            t.minute(),
            t.second(),
            self.method,
            self.path
        )
    }
}

/// Everything the handlers share.
struct Shared {
    credentials: SandboxCredentials,
    /// Every token IAM issued (the ones of [`SandboxCredentials`] included).
    tokens: Mutex<Vec<(String, auth::Issued)>>,
    account: Account,
    catalog: Catalog,
    prices: PriceTable,
    timing: Timing,
    latency: Duration,
    require_mfa: bool,
    book: Mutex<Book>,
    events: broadcast::Sender<ReceivedRequest>,
}

struct Book {
    orders: OrderBook,
    faults: FaultPlan,
    requests: Vec<ReceivedRequest>,
}

impl Shared {
    fn tokens(&self) -> MutexGuard<'_, Vec<(String, auth::Issued)>> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        // A handler that panicked cannot leave the book half-written (every
        // change is one push or one assignment), so a poisoned lock is safe.
        self.book.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn begin_request(&self, method: &str, path: &str, query: &str) -> usize {
        let mut book = self.book();
        book.requests.push(ReceivedRequest {
            method: method.to_string(),
            path: path.to_string(),
            query: query.to_string(),
            status: None,
            dropped: false,
            abandoned: false,
            received_at: OffsetDateTime::now_utc(),
        });
        book.requests.len() - 1
    }

    /// Records the answer's status, or `None` for a connection cut by a
    /// `drop` fault.
    fn finish_request(&self, index: usize, status: Option<u16>) {
        self.update_request(index, |entry| {
            entry.status = status;
            entry.dropped = status.is_none();
        });
    }

    /// Records that the client left before an answer (unless the request
    /// was already finished or dropped).
    fn abandon_request(&self, index: usize) {
        self.update_request(index, |entry| {
            if entry.status.is_none() && !entry.dropped {
                entry.abandoned = true;
            }
        });
    }

    fn update_request(&self, index: usize, change: impl FnOnce(&mut ReceivedRequest)) {
        let entry = {
            let mut book = self.book();
            let Some(entry) = book.requests.get_mut(index) else {
                return;
            };
            let before = entry.clone();
            change(entry);
            if *entry == before {
                return;
            }
            entry.clone()
        };
        // Nobody listening is fine.
        let _ = self.events.send(entry);
    }
}

/// A running sandbox. Dropping it stops the server too; [`shutdown`]
/// does so and waits for the connections to finish.
///
/// [`shutdown`]: SandboxHandle::shutdown
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    server: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the endpoint of HCSS, BSS and IAM alike.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn credentials(&self) -> &SandboxCredentials {
        &self.shared.credentials
    }

    /// Makes every token issued so far expire now, as 24 hours would: the
    /// services then refuse them as Huawei's do (HCSS with the gateway's
    /// `APIGW.0307`, BSS with `CBC.0154`).
    pub fn expire_tokens(&self) {
        let now = OffsetDateTime::now_utc();
        for (_, issued) in self.shared.tokens().iter_mut() {
            issued.expires_at = now;
        }
    }

    /// Every order created, oldest first (including those whose answer a
    /// `drop` fault cut off).
    pub fn created_orders(&self) -> Vec<ReceivedOrder> {
        self.shared
            .book()
            .orders
            .all()
            .iter()
            .map(|o| ReceivedOrder {
                client_request_id: o.client_request_id.clone(),
                order_id: o.order_id.clone(),
                body: o.body.clone(),
                instance_ids: o.instance_ids.clone(),
                created_at: o.created_at,
            })
            .collect()
    }

    /// Every request received, in arrival order.
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.book().requests.clone()
    }

    /// Each request as it is answered (or dropped), for a live log.
    pub fn subscribe(&self) -> broadcast::Receiver<ReceivedRequest> {
        self.shared.events.subscribe()
    }

    /// Stops accepting, lets requests in flight finish (for a few seconds at
    /// most), and closes every connection.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Starts a sandbox on `listen`, which must be a loopback address (port 0
/// picks a free port).
pub async fn start(listen: SocketAddr, config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    if !listen.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "the sandbox listens on loopback only (127.0.0.1 or ::1), not {}; \
                 its credentials are printed and its orders are fake",
                listen.ip()
            ),
        ));
    }
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let regions: Vec<String> = config
        .catalog
        .regions
        .iter()
        .map(|r| r.code.clone())
        .collect();
    let credentials = SandboxCredentials::generate(&regions);
    let expires_at = OffsetDateTime::now_utc() + routes::TOKEN_LIFETIME;
    let mut tokens = vec![(
        credentials.domain_token.expose().to_string(),
        auth::Issued {
            scope: auth::TokenScope::Domain,
            expires_at,
        },
    )];
    for (region, token) in &credentials.project_tokens {
        tokens.push((
            token.expose().to_string(),
            auth::Issued {
                scope: auth::TokenScope::Project(region.clone()),
                expires_at,
            },
        ));
    }
    let shared = Arc::new(Shared {
        tokens: Mutex::new(tokens),
        account: Account {
            customer_id: credentials.account_id.clone(),
            user_name: credentials.account.clone(),
        },
        credentials,
        timing: Timing {
            complete_after: config.complete_after,
            payment_window: config.payment_window,
        },
        latency: config.latency,
        require_mfa: config.require_mfa,
        book: Mutex::new(Book {
            orders: OrderBook::default(),
            faults: FaultPlan::new(&config.faults),
            requests: Vec::new(),
        }),
        events: broadcast::channel(256).0,
        catalog: config.catalog,
        prices: config.prices,
    });
    let router = routes::router(shared.clone());
    let (stop, stopped) = watch::channel(false);
    let server = tokio::spawn(server::serve(listener, router, stopped));
    Ok(SandboxHandle {
        addr,
        shared,
        stop,
        server: Some(server),
    })
}
