//! What `update` reacts to, and the side effects it asks the runtime to
//! run. Effects are plain data; results come back as messages carrying the
//! id of what they answer, so a late answer to something no longer current
//! is dropped.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};

use super::service::{AtStart, Earlier, Lookup, OrderService, OrdersPage, SignIn};
use crate::api::engine::{ApiFailure, RetryWait, SubmitOutcome, TrackEvent};
use crate::api::journal::PurchaseRecord;
use crate::api::purchase::{ClientRequestId, OrderAction};
use crate::domain::order::RequestBody;

pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// A timer tick, only while a spinner or countdown is on screen.
    Tick,
    /// SIGTERM, SIGHUP or SIGINT: leave now, restoring the terminal.
    Signal(&'static str),
    Connected {
        attempt: u64,
        result: Result<Arc<dyn OrderService>, ApiFailure>,
    },
    Submitted {
        request_id: ClientRequestId,
        outcome: SubmitOutcome,
    },
    /// The purchase in the air waits before it is sent again (the service
    /// throttles); its answer is still to come.
    Waiting {
        request_id: ClientRequestId,
        wait: RetryWait,
    },
    Tracked {
        order_id: String,
        event: TrackEvent,
    },
    /// The tracking task returned (normally after `Finished`).
    TrackingEnded {
        order_id: String,
    },
    /// An action on an order (pay, claim, dismiss) was carried out, or not.
    Acted {
        action: OrderAction,
        result: Result<(), ApiFailure>,
    },
    /// The earlier purchases of unknown outcome, for check `check`.
    EarlierChecked {
        check: u64,
        result: Result<Earlier, ApiFailure>,
    },
    /// The journal's unfinished purchases and last order, read once at the
    /// start.
    AtStart(Result<AtStart, ApiFailure>),
    LookedAgain {
        request_id: ClientRequestId,
        lookup: Lookup,
    },
    /// The journal's purchases, for the orders view opened as `generation`.
    JournalRead {
        generation: u64,
        result: Result<Vec<PurchaseRecord>, ApiFailure>,
    },
    /// A page of the account's orders, for the orders view opened as
    /// `generation`.
    OrdersListed {
        generation: u64,
        offset: u32,
        result: Result<OrdersPage, ApiFailure>,
    },
    PlanSaved {
        path: PathBuf,
        result: Result<(), SaveError>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The file exists and overwriting was not agreed to.
    Exists,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Connect {
        attempt: u64,
        choice: SignIn,
    },
    Submit {
        request_id: ClientRequestId,
        body: RequestBody,
        /// Earlier purchases of the same body the user said this one is
        /// separate from (empty unless they did).
        separate_from: Vec<String>,
        /// The same purchase again, with its own Client-Request-Id, after
        /// its answer was lost (the user said so).
        resend: bool,
    },
    /// Look for earlier purchases of unknown outcome before sending `body`.
    CheckEarlier {
        check: u64,
        body: RequestBody,
    },
    /// Read the journal's unfinished purchases and last order (once, at
    /// the start).
    ReadJournalAtStart,
    LookAgain {
        request_id: ClientRequestId,
        record: Box<PurchaseRecord>,
    },
    /// Read the journal's purchases for the orders view.
    ReadJournal {
        generation: u64,
    },
    /// Ask BSS for a page of the account's FlexusL orders.
    ListOrders {
        generation: u64,
        offset: u32,
        limit: u32,
    },
    Track {
        order_id: String,
    },
    /// Stop following an order (the user left it); news of it is dropped.
    StopTracking {
        order_id: String,
    },
    /// Pay, claim or dismiss an order; the engine journals it.
    Act(OrderAction),
    SavePlan {
        path: PathBuf,
        contents: String,
        overwrite: bool,
    },
    /// Keep the half-made order for the next start (run before the wizard
    /// exits, so it is written before the process ends).
    KeepDraft {
        contents: String,
    },
    /// The kept order was taken up and sent, or the user started afresh.
    ForgetDraft,
    Quit,
}
