//! The wizard's link to the real API layer: a [`Connector`] that turns the
//! sign-in choice into a client (IAM login, AK/SK, or an in-process
//! sandbox), and the [`OrderService`] that places, tracks and pays through
//! the same purchase engine and journal as `flexus order`.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use futures::StreamExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::Sender;

use crate::api::auth::{self, Auth};
use crate::api::client::{Client, ClientConfig, MfaCode, OrderQuery, PasswordLogin};
use crate::api::endpoints::Endpoints;
use crate::api::engine::{ApiFailure, RetryWait, SubmitOutcome, TrackEvent};
use crate::api::journal::{Journal, PurchaseRecord};
use crate::api::purchase::{self, ClientRequestId, OrderAction};
use crate::api::tracking::{self, CheckNow, TrackOptions};
use crate::api::wire::{FLEXUSL_SERVICE_TYPE_CODE, OrderLineItem};
use crate::domain::catalog::Catalog;
use crate::domain::order::RequestBody;
use crate::domain::pricing::PriceTable;
use crate::sandbox::{self, SandboxConfig, SandboxHandle};
use crate::secret::Secret;

use super::service::{AtStart, Connector, Earlier, Lookup, OrderService, OrdersPage, SignIn};

/// Everything needed to connect except the credentials.
pub struct LiveConnector {
    pub endpoints: Endpoints,
    pub config: ClientConfig,
    pub track: TrackOptions,
    /// The journal's directory; sandbox orders go to a `sandbox` folder
    /// inside it so they never mix with real ones in `flexus orders`.
    pub journal_dir: PathBuf,
    /// `--token-file`, for "AK/SK or token from the environment".
    pub token_file: Option<PathBuf>,
    /// `--bss-token-file`, the billing token beside it.
    pub bss_token_file: Option<PathBuf>,
    /// What an in-process sandbox sells: the wizard's own catalog.
    pub catalog: Catalog,
    pub prices: PriceTable,
}

/// A client signed in as the user chose, checked with one call, and where
/// its orders are journaled: what the wizard and the accessible line mode
/// both start from, so the two sign in the same way.
pub struct SignedIn {
    pub client: Client,
    pub journal_dir: PathBuf,
    /// Where orders go, in full.
    pub description: String,
    /// The same in a few words.
    pub brief: String,
    /// An in-process sandbox; it serves as long as this is kept.
    pub sandbox: Option<SandboxHandle>,
}

impl LiveConnector {
    /// Signs in as `choice` says (starting an in-process sandbox for
    /// [`SignIn::Sandbox`]), and checks the credentials with one call.
    pub fn sign_in(&self, choice: SignIn) -> BoxFuture<'static, Result<SignedIn, ApiFailure>> {
        let endpoints = self.endpoints.clone();
        let config = self.config.clone();
        let journal_dir = self.journal_dir.clone();
        let token_file = self.token_file.clone();
        let bss_token_file = self.bss_token_file.clone();
        let catalog = self.catalog.clone();
        let prices = self.prices.clone();
        Box::pin(async move {
            let host = endpoints.hcss.host_str().unwrap_or_default().to_string();
            let (client, journal_dir, description, brief, sandbox) = match choice {
                SignIn::Sandbox => {
                    let handle = sandbox::start(
                        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                        SandboxConfig {
                            catalog,
                            prices,
                            ..SandboxConfig::default()
                        },
                    )
                    .await
                    .map_err(|e| {
                        ApiFailure::local(
                            tr!("live.connect.sandbox_failed", why = e),
                            tr!("live.connect.sandbox_failed_next"),
                        )
                    })?;
                    let endpoints = Endpoints::all_at(&handle.url())
                        .map_err(|e| ApiFailure::local(e.to_string(), ""))?;
                    // As a user would: signed in with IAM, so the purchase
                    // gets a token of each order region's project.
                    let creds = handle.credentials();
                    let client = Client::new(
                        endpoints,
                        Auth::SignedIn {
                            domain_token: creds.domain_token.clone(),
                        },
                        config,
                    )?;
                    let description = tr!("live.connect.sandbox", url = handle.url());
                    let brief = tr!("live.connect.sandbox_brief", addr = handle.addr());
                    (
                        client,
                        journal_dir.join("sandbox"),
                        description,
                        brief,
                        Some(handle),
                    )
                }
                SignIn::Tokens { purchase, billing } => {
                    let description = tr!("live.connect.tokens", endpoint = endpoints.hcss);
                    let client =
                        Client::new(endpoints, Auth::Tokens { purchase, billing }, config)?;
                    (
                        client,
                        journal_dir,
                        description,
                        tr!("live.connect.token_brief", host = host),
                        None,
                    )
                }
                SignIn::AkSkFromEnvironment => {
                    let resolved = auth::resolve_from_process(auth::TokenFiles {
                        purchase: token_file.as_deref(),
                        billing: bss_token_file.as_deref(),
                    })
                    .map_err(|e| ApiFailure::local(e.to_string(), ""))?
                    .ok_or_else(|| {
                        ApiFailure::local(
                            tr!("live.connect.none_in_environment"),
                            auth::missing_credentials_help(),
                        )
                    })?;
                    let description = format!("{} ({})", endpoints.hcss, resolved.source);
                    let brief = match resolved.auth {
                        Auth::Tokens { .. } | Auth::SignedIn { .. } => {
                            tr!("live.connect.token_brief", host = host)
                        }
                        Auth::AkSk { .. } => tr!("live.connect.ak_sk_brief", host = host),
                    };
                    let client = Client::new(endpoints, resolved.auth, config)?;
                    (client, journal_dir, description, brief, None)
                }
                SignIn::Password {
                    user,
                    password,
                    account,
                    mfa_code,
                    mfa_user_id,
                } => {
                    let login = PasswordLogin {
                        user: user.clone(),
                        password,
                        account: account.clone(),
                        mfa: mfa_code.map(|code| MfaCode {
                            user_id: mfa_user_id.unwrap_or_default(),
                            passcode: Secret::new(code),
                        }),
                    };
                    let anonymous = Client::unauthenticated(endpoints, config)?;
                    let domain_token = anonymous.login_with_password(&login).await?;
                    drop(login);
                    let description = tr!(
                        "live.connect.iam_user",
                        endpoint = anonymous.endpoints().hcss,
                        user = user,
                        account = account
                    );
                    (
                        anonymous.with_auth(Auth::SignedIn { domain_token }),
                        journal_dir,
                        description,
                        format!("{host}, {user}"),
                        None,
                    )
                }
            };
            // One cheap authenticated call: wrong credentials show on the
            // sign-in screen, not after the seventh step.
            client.check_sign_in().await?;
            Ok(SignedIn {
                client,
                journal_dir,
                description,
                brief,
                sandbox,
            })
        })
    }
}

impl Connector for LiveConnector {
    fn connect(
        &self,
        choice: SignIn,
    ) -> BoxFuture<'static, Result<Arc<dyn OrderService>, ApiFailure>> {
        let signing_in = self.sign_in(choice);
        let track = self.track.clone();
        Box::pin(async move {
            let SignedIn {
                client,
                journal_dir,
                description,
                brief,
                sandbox,
            } = signing_in.await?;
            let journal = purchase::open_journal(&journal_dir)?;
            let service: Arc<dyn OrderService> = Arc::new(LiveService {
                client,
                track: TrackOptions {
                    journal: Some(journal.clone()),
                    // The wizard stops tracking when the user leaves; until
                    // then it rides out any outage.
                    give_up_after: None,
                    ..track
                },
                journal,
                description,
                brief,
                sandbox: sandbox.map(Arc::new),
                opened_at: time::OffsetDateTime::now_utc(),
            });
            Ok(service)
        })
    }
}

/// What is checked before the journal hears of a send: the order could be
/// placed and followed (the credentials for its region); otherwise the
/// refusal, naming what is missing.
async fn ready(client: &Client, body: &RequestBody) -> Result<(), SubmitOutcome> {
    client
        .ready_to_order(&body.region)
        .await
        .map_err(SubmitOutcome::Rejected)
}

/// Order details asked for at once while listing orders.
const DETAILS_AT_A_TIME: usize = 4;

/// What a new order starts from, read from the journal: for the wizard's
/// purchases page and the line mode alike, so both reopen the same
/// purchases. An in-process sandbox died with the run that started it: its
/// orders cannot be followed, so none is reopened; the choices of its last
/// order still make a good start.
pub fn read_at_start(journal: &Journal, in_process_sandbox: bool) -> std::io::Result<AtStart> {
    let unfinished = if in_process_sandbox {
        Vec::new()
    } else {
        journal.unfinished()?
    };
    let last_order = journal
        .recent(Some(1))?
        .purchases
        .into_iter()
        .next()
        .map(Box::new);
    Ok(AtStart {
        unfinished,
        last_order,
    })
}

/// Orders through the purchase engine, recorded in the journal.
pub struct LiveService {
    client: Client,
    journal: Journal,
    track: TrackOptions,
    description: String,
    brief: String,
    /// An in-process sandbox lives exactly as long as the service using it.
    sandbox: Option<Arc<SandboxHandle>>,
    /// When signing in finished: an in-process sandbox knows only the
    /// orders sent since.
    opened_at: time::OffsetDateTime,
}

impl OrderService for LiveService {
    fn submit(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        separate_from: Vec<String>,
        waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome> {
        let client = self.client.reporting_waits(waits);
        let journal = self.journal.clone();
        Box::pin(async move {
            match ready(&client, &body).await {
                Ok(()) => {
                    purchase::submit(&client, &journal, &body, &client_request_id, &separate_from)
                        .await
                }
                Err(refused) => refused,
            }
        })
    }

    fn resend(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome> {
        let client = self.client.reporting_waits(waits);
        let journal = self.journal.clone();
        Box::pin(async move {
            match ready(&client, &body).await {
                Ok(()) => purchase::resend(&client, &journal, &body, &client_request_id).await,
                Err(refused) => refused,
            }
        })
    }

    fn earlier(&self, body: RequestBody) -> BoxFuture<'static, Result<Earlier, ApiFailure>> {
        let client = self.client.clone();
        let journal = self.journal.clone();
        Box::pin(async move {
            if let Err(failure) = client.ready_to_order(&body.region).await {
                return Ok(Earlier {
                    credentials: Some(failure),
                    ..Earlier::default()
                });
            }
            let found = purchase::earlier_open(&client, &journal, &body).await?;
            let lookup = match found.same.first() {
                Some(record) => lookup(&client, &journal, record).await,
                None => Lookup::default(),
            };
            Ok(Earlier {
                same: found.same,
                lookup,
                other: found.other,
                damaged: found.damaged,
                credentials: None,
            })
        })
    }

    fn at_start(&self) -> BoxFuture<'static, Result<AtStart, ApiFailure>> {
        let journal = self.journal.clone();
        let in_process_sandbox = self.sandbox.is_some();
        Box::pin(async move {
            // Off the UI's thread: the journal may be long.
            let read =
                tokio::task::spawn_blocking(move || read_at_start(&journal, in_process_sandbox));
            read.await
                .map_err(journal_task_failed)?
                .map_err(journal_unreadable)
        })
    }

    fn journal_purchases(&self) -> BoxFuture<'static, Result<Vec<PurchaseRecord>, ApiFailure>> {
        let journal = self.journal.clone();
        // The journal's earlier sandbox purchases went to sandboxes that
        // died with their wizards: only this one's are listed. The journal's
        // times have whole seconds, so a purchase that placed an order is
        // told by the sandbox knowing it; one that placed none, by its time.
        let this_session = self.sandbox.as_ref().map(|handle| {
            let placed: std::collections::HashSet<String> = handle
                .created_orders()
                .into_iter()
                .map(|o| o.client_request_id)
                .collect();
            let since = self
                .opened_at
                .replace_nanosecond(0)
                .unwrap_or(self.opened_at);
            move |r: &PurchaseRecord| {
                placed.contains(&r.client_request_id)
                    || (r.order_id.is_none()
                        && crate::api::journal::parse_utc(&r.first_sent_at)
                            .is_some_and(|at| at >= since))
            }
        });
        Box::pin(async move {
            // The index answers without reading the whole file.
            let records =
                tokio::task::spawn_blocking(move || journal.recent(None).map(|l| l.purchases))
                    .await
                    .map_err(journal_task_failed)?
                    .map_err(journal_unreadable)?;
            Ok(match this_session {
                None => records,
                Some(mine) => records.into_iter().filter(|r| mine(r)).collect(),
            })
        })
    }

    fn list_orders(
        &self,
        offset: u32,
        limit: u32,
    ) -> BoxFuture<'static, Result<OrdersPage, ApiFailure>> {
        let client = self.client.clone();
        Box::pin(async move {
            let query = OrderQuery {
                service_type_code: Some(FLEXUSL_SERVICE_TYPE_CODE.to_string()),
                order_by: Some("-createTime".to_string()),
                limit: Some(limit),
                offset: Some(offset),
                ..OrderQuery::default()
            };
            let list = client.list_orders(&query).await?;
            // The query filters already; a service that ignores the filter
            // must not slip another service's order in.
            let orders: Vec<_> = list
                .order_infos
                .into_iter()
                .filter(|o| {
                    o.service_type_code
                        .as_deref()
                        .is_none_or(|c| c == FLEXUSL_SERVICE_TYPE_CODE)
                })
                .collect();
            // The list does not say what an order buys; its details do.
            // A few at a time, so a page does not burst on BSS; without
            // them a row still shows what the list said.
            let ids: Vec<String> = orders.iter().map(|o| o.order_id.clone()).collect();
            let read: Vec<Option<(String, Vec<OrderLineItem>)>> = futures::stream::iter(ids)
                .map(|order_id| {
                    let client = client.clone();
                    async move {
                        let details = client.order_details(&order_id).await.ok()?;
                        Some((order_id, details.order_line_items))
                    }
                })
                .buffer_unordered(DETAILS_AT_A_TIME)
                .collect()
                .await;
            let line_items = read.into_iter().flatten().collect();
            Ok(OrdersPage {
                total: usize::try_from(list.total_count).unwrap_or(0),
                left_out: list.left_out,
                orders,
                line_items,
            })
        })
    }

    fn look_again(&self, record: PurchaseRecord) -> BoxFuture<'static, Lookup> {
        let client = self.client.clone();
        let journal = self.journal.clone();
        Box::pin(async move { lookup(&client, &journal, &record).await })
    }

    fn track(
        &self,
        order_id: String,
        events: Sender<TrackEvent>,
        check_now: CheckNow,
    ) -> BoxFuture<'static, ()> {
        let client = self.client.clone();
        let options = TrackOptions {
            check_now: Some(check_now),
            ..self.track.clone()
        };
        Box::pin(async move {
            tracking::track(client, order_id, options, events).await;
        })
    }

    fn act(&self, action: OrderAction) -> BoxFuture<'static, Result<(), ApiFailure>> {
        let (client, journal) = (self.client.clone(), self.journal.clone());
        Box::pin(async move { purchase::act(&client, &journal, &action).await })
    }

    fn describe(&self) -> String {
        self.description.clone()
    }

    fn brief(&self) -> String {
        self.brief.clone()
    }
}

/// What became of a purchase of unknown outcome, as far as can be seen
/// now: nothing is looked up while another flexus is sending it.
async fn lookup(client: &Client, journal: &Journal, record: &PurchaseRecord) -> Lookup {
    if purchase::in_flight_elsewhere(journal, &record.client_request_id) {
        return Lookup {
            busy_elsewhere: true,
            ..Lookup::default()
        };
    }
    let (found, failed) = purchase::look_again(client, journal, record).await;
    Lookup {
        found,
        failed,
        busy_elsewhere: false,
    }
}

/// Credentials already configured (token file, `FLEXUS_TOKEN`, AK/SK), as a
/// sign-in choice, so the wizard can skip its sign-in screen.
pub fn found_credentials(files: auth::TokenFiles<'_>) -> Result<Option<SignIn>, String> {
    let resolved = auth::resolve_from_process(files).map_err(|e| e.to_string())?;
    Ok(resolved.map(|r| match r.auth {
        Auth::Tokens { purchase, billing } => SignIn::Tokens { purchase, billing },
        Auth::AkSk { .. } | Auth::SignedIn { .. } => SignIn::AkSkFromEnvironment,
    }))
}

/// The journal's reading task itself failed (it panicked or was dropped).
fn journal_task_failed(e: tokio::task::JoinError) -> ApiFailure {
    ApiFailure::local(tr!("live.journal.task_failed", why = e), "")
}

/// The journal could be reached but not read.
fn journal_unreadable(e: std::io::Error) -> ApiFailure {
    ApiFailure::local(
        tr!("live.journal.unreadable", why = e),
        tr!("live.journal.unreadable_next"),
    )
}
