//! The boundary between the wizard and the API layer. The wizard never
//! awaits: the runtime runs these futures on tokio tasks and hands their
//! results back to `update` as messages.

use std::fmt;
use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::mpsc::Sender;

use crate::api::engine::{ApiFailure, RetryWait, SubmitOutcome, TrackEvent};
use crate::api::journal::DamagedRecord;
use crate::api::journal::PurchaseRecord;
use crate::api::purchase::{ClientRequestId, FoundOrder, OrderAction};
use crate::api::tracking::CheckNow;
use crate::api::wire::{OrderInfo, OrderLineItem};
use crate::domain::order::RequestBody;
use crate::secret::Secret;

/// What a fresh look in the order list found for a purchase of unknown
/// outcome.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lookup {
    /// Orders that may be its result, newest first.
    pub found: Vec<FoundOrder>,
    pub failed: Option<ApiFailure>,
    /// Another flexus holds the purchase's lock: it is being sent right
    /// now, so nothing was looked up.
    pub busy_elsewhere: bool,
}

/// The journal's purchases of unknown outcome, found before a new one is
/// sent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Earlier {
    /// With the same request body, newest first: sending the new one could
    /// buy twice.
    pub same: Vec<PurchaseRecord>,
    /// What the order list shows now for the newest of `same`.
    pub lookup: Lookup,
    /// With another body: named, so nothing unresolved goes unseen.
    pub other: Vec<PurchaseRecord>,
    /// Why the credentials signed in with could not place this order, or
    /// not follow it (a token of another region, no billing token): found
    /// before the user is asked, so nothing is confirmed in vain.
    pub credentials: Option<ApiFailure>,
    /// Damaged records that may hide a purchase of unknown outcome: any
    /// order may be their double (see `purchase::EarlierPurchases::damaged`).
    pub damaged: Vec<DamagedRecord>,
}

/// The journal as the wizard finds it at the start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AtStart {
    /// Purchases the user still has to follow (placed and not final, or of
    /// unknown outcome), newest first, for reopening. Empty where they
    /// cannot be followed (an in-process sandbox is new each run).
    pub unfinished: Vec<PurchaseRecord>,
    /// The newest purchase: a new order starts from its choices.
    pub last_order: Option<Box<PurchaseRecord>>,
}

/// One page of the account's FlexusL orders from BSS, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrdersPage {
    pub orders: Vec<OrderInfo>,
    /// The line items of those orders whose details could be read (by
    /// order ID): what an order from elsewhere buys. Best effort.
    pub line_items: Vec<(String, Vec<OrderLineItem>)>,
    /// How many orders the account has in all, as BSS counts them.
    pub total: usize,
    /// Orders of the page left out because their ID is not of Huawei's
    /// shape (never shown or followed).
    pub left_out: usize,
}

/// Places, tracks and pays orders on behalf of a signed-in user.
pub trait OrderService: Send + Sync + 'static {
    /// Place the order; the same client_request_id is reused for a resend
    /// after an ambiguous outcome. `separate_from` names the earlier
    /// purchases of the same body and unknown outcome that the user said
    /// this one is separate from; any other such purchase refuses it.
    /// Each wait before a retry (the service throttling) is told to `waits`
    /// as it starts.
    fn submit(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        separate_from: Vec<String>,
        waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome>;

    /// Send a purchase again after its answer was lost, with its own
    /// Client-Request-Id, on the user's word; the engine checks first that
    /// nothing found may be its order. Waits are told as for `submit`.
    fn resend(
        &self,
        body: RequestBody,
        client_request_id: ClientRequestId,
        waits: Sender<RetryWait>,
    ) -> BoxFuture<'static, SubmitOutcome>;

    /// Earlier purchases of unknown outcome, before `body` is sent as a new
    /// one; the newest with the same body is looked up again.
    fn earlier(&self, body: RequestBody) -> BoxFuture<'static, Result<Earlier, ApiFailure>>;

    /// What the wizard reads from the journal once, at the start: the
    /// purchases to reopen and the last order's choices.
    fn at_start(&self) -> BoxFuture<'static, Result<AtStart, ApiFailure>>;

    /// Every purchase the journal holds, newest first, for the orders view;
    /// read off the async workers (the journal may be long).
    fn journal_purchases(&self) -> BoxFuture<'static, Result<Vec<PurchaseRecord>, ApiFailure>>;

    /// The account's FlexusL orders, newest first: `limit` of them from
    /// `offset` on.
    fn list_orders(
        &self,
        offset: u32,
        limit: u32,
    ) -> BoxFuture<'static, Result<OrdersPage, ApiFailure>>;

    /// Looks in the order list again for what a purchase of unknown outcome
    /// may have placed.
    fn look_again(&self, record: PurchaseRecord) -> BoxFuture<'static, Lookup>;

    /// Track until final, sending TrackEvents (the tracker owns the polling
    /// schedule; the UI just shows it). `check_now` cuts a wait short.
    fn track(
        &self,
        order_id: String,
        events: Sender<TrackEvent>,
        check_now: CheckNow,
    ) -> BoxFuture<'static, ()>;

    /// Pay, claim or dismiss an order, as the engine does it for every
    /// front end (`purchase::act`).
    fn act(&self, action: OrderAction) -> BoxFuture<'static, Result<(), ApiFailure>>;

    /// Where this service sends orders, for the review screen (e.g. "sandbox
    /// at http://127.0.0.1:PORT", or the endpoint and the credential source;
    /// never a secret).
    fn describe(&self) -> String;

    /// A few words for the header of a narrow terminal (e.g. "sandbox
    /// 127.0.0.1:41111"), where the description would be cut.
    fn brief(&self) -> String {
        self.describe()
    }
}

/// Turns the sign-in screen's choice into a service. IAM login happens here;
/// its errors are shown on the sign-in screen.
pub trait Connector: Send + Sync + 'static {
    fn connect(
        &self,
        choice: SignIn,
    ) -> BoxFuture<'static, Result<Arc<dyn OrderService>, ApiFailure>>;
}

/// How the user chose to sign in.
#[derive(Clone, PartialEq, Eq)]
pub enum SignIn {
    /// IAM tokens the user brought: one scoped to the project of the
    /// order's region (for the purchase), one scoped to the account's
    /// domain (for billing: status, payment, cancellation).
    Tokens {
        purchase: Option<Secret>,
        billing: Option<Secret>,
    },
    Password {
        user: String,
        password: Secret,
        account: String,
        /// A one-time code for accounts with login protection.
        mfa_code: Option<String>,
        /// IAM wants the user's ID (not the name) beside an MFA code.
        mfa_user_id: Option<String>,
    },
    /// `HUAWEICLOUD_SDK_AK`/`_SK` or the SDK credentials file.
    AkSkFromEnvironment,
    /// The built-in stand-in for Huawei Cloud: no account, no money.
    Sandbox,
}

impl SignIn {
    /// What the choice is, in words, without any secret.
    pub fn describe(&self) -> String {
        match self {
            SignIn::Tokens { purchase, billing } => match (purchase, billing) {
                (Some(_), Some(_)) => tr!("live.sign_in.what.tokens"),
                _ => tr!("live.sign_in.what.token"),
            },
            SignIn::Password { user, account, .. } => {
                tr!("live.sign_in.what.password", user = user, account = account)
            }
            SignIn::AkSkFromEnvironment => tr!("live.sign_in.what.ak_sk"),
            SignIn::Sandbox => tr!("live.sign_in.what.sandbox"),
        }
    }
}

// The MFA code is short-lived, but it is still a credential: keep it out of
// Debug output along with the rest.
impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignIn::Tokens { .. } => f.write_str("SignIn::Tokens(<redacted>)"),
            SignIn::Password { user, account, .. } => f
                .debug_struct("SignIn::Password")
                .field("user", user)
                .field("account", account)
                .finish_non_exhaustive(),
            SignIn::AkSkFromEnvironment => f.write_str("SignIn::AkSkFromEnvironment"),
            SignIn::Sandbox => f.write_str("SignIn::Sandbox"),
        }
    }
}

/// How the wizard starts.
#[derive(Clone)]
pub enum Start {
    /// Already signed in: straight to the wizard.
    Connected(Arc<dyn OrderService>),
    /// No credentials found: the sign-in screen comes first.
    SignInFirst(Arc<dyn Connector>),
    /// Credentials were found (or `--sandbox` was given): the wizard opens at
    /// once while signing in runs in the background; if it fails, the
    /// sign-in screen shows why.
    Connect {
        connector: Arc<dyn Connector>,
        choice: SignIn,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let choice = SignIn::Password {
            user: "alice".into(),
            password: Secret::new("hunter2-pass"),
            account: "acme".into(),
            mfa_code: Some("123456".into()),
            mfa_user_id: Some("u-1".into()),
        };
        let shown = format!("{choice:?} {}", choice.describe());
        assert!(shown.contains("alice"), "{shown}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("123456"),
            "{shown}"
        );
        let token = format!(
            "{:?}",
            SignIn::Tokens {
                purchase: Some(Secret::new("tok-secret")),
                billing: Some(Secret::new("bss-secret")),
            }
        );
        assert!(!token.contains("bss-secret"), "{token}");
        assert!(!token.contains("tok-secret"), "{token}");
    }
}
