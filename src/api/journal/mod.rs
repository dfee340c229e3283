//! The order journal: an append-only file of JSON lines in the user's state
//! directory. The intent of a purchase is on disk (fsync'ed) before the
//! request leaves, and every outcome and later status change follows it, so
//! a crash at any moment leaves enough to find out what happened. It never
//! holds a secret: request bodies, IDs, times and error texts only.
//!
//! Each line carries a checksum ([`record`]), so damage that still parses
//! is seen; a damaged record is shown for what can be read of it, never
//! dropped. Beside the file, a rebuildable SQLite index ([`index`]) makes
//! the queries a purchase waits on cost the same with 10,000 purchases as
//! with 10; the file alone is the record, and every query also works (more
//! slowly) without the index.

mod fault;
mod index;
mod record;

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use index::{Index, IndexError};
use record::{Found, Item};

pub use fault::ENV_FAIL_AFTER;
pub use index::INDEX_FILE;
pub use record::encode;

type IndexResult<T> = Result<T, IndexError>;

use super::engine::ApiFailure;
use crate::domain::order::RequestBody;

/// Overrides the state directory (tests, or several independent setups).
pub const ENV_STATE_DIR: &str = "FLEXUS_STATE_DIR";
/// The journal's file name inside the state directory.
pub const FILE_NAME: &str = "journal.jsonl";

/// Parses the format of [`bss_time`] (and any RFC 3339 time).
pub fn parse_utc(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339).ok()
}

/// The error of an outcome, as the journal keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFailure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub message: String,
}

impl From<&ApiFailure> for RecordedFailure {
    fn from(f: &ApiFailure) -> Self {
        RecordedFailure {
            status: f.status,
            code: f.code.clone(),
            message: f.english_message.clone(),
        }
    }
}

impl std::fmt::Display for RecordedFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match (self.status, &self.code) {
            (Some(s), Some(c)) => write!(f, " (HTTP {s}, {c})"),
            (Some(s), None) => write!(f, " (HTTP {s})"),
            (None, Some(c)) => write!(f, " ({c})"),
            (None, None) => Ok(()),
        }
    }
}

/// One line of the journal. Times are UTC `yyyy-MM-ddTHH:mm:ssZ`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Entry {
    /// Written and flushed before a purchase is sent; `attempt` 1 is the
    /// first send, higher ones are resends on the user's word.
    Intent {
        at: String,
        client_request_id: String,
        endpoint: String,
        attempt: u32,
        body: Box<RequestBody>,
    },
    /// The service accepted the purchase.
    Placed {
        at: String,
        client_request_id: String,
        order_id: String,
        instance_ids: Vec<String>,
    },
    /// The service refused it, or it never left: no order exists.
    Rejected {
        at: String,
        client_request_id: String,
        error: RecordedFailure,
    },
    /// Sent, but the answer was lost: an order may exist.
    Ambiguous {
        at: String,
        client_request_id: String,
        error: RecordedFailure,
    },
    /// What the order list showed after an ambiguous submission.
    LookedUp {
        at: String,
        client_request_id: String,
        order_ids: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failed: Option<RecordedFailure>,
    },
    /// After a lost answer, the user said this order (found in the order
    /// list) is the purchase: it counts as placed from then on.
    Claimed {
        at: String,
        client_request_id: String,
        order_id: String,
    },
    /// After a lost answer, the user said this order (found in the order
    /// list) is *not* the purchase: later lookups leave it out.
    Dismissed {
        at: String,
        client_request_id: String,
        order_id: String,
    },
    /// After a lost answer, the user said the purchase placed no order
    /// (they checked the console): it is settled, never sent again, and
    /// stops no other purchase.
    NothingPlaced {
        at: String,
        client_request_id: String,
    },
    /// An order's status as tracking saw it change.
    Status {
        at: String,
        order_id: String,
        status: i32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pending_payment_end_time: Option<String>,
    },
    /// A payment was requested (`ok`), or failed.
    Payment {
        at: String,
        order_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failed: Option<RecordedFailure>,
    },
    /// A cancellation was requested (`ok`), or refused.
    Cancellation {
        at: String,
        order_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        failed: Option<RecordedFailure>,
    },
}

impl Entry {
    fn client_request_id(&self) -> Option<&str> {
        match self {
            Entry::Intent {
                client_request_id, ..
            }
            | Entry::Placed {
                client_request_id, ..
            }
            | Entry::Rejected {
                client_request_id, ..
            }
            | Entry::Ambiguous {
                client_request_id, ..
            }
            | Entry::LookedUp {
                client_request_id, ..
            }
            | Entry::Claimed {
                client_request_id, ..
            }
            | Entry::Dismissed {
                client_request_id, ..
            }
            | Entry::NothingPlaced {
                client_request_id, ..
            } => Some(client_request_id),
            Entry::Status { .. } | Entry::Payment { .. } | Entry::Cancellation { .. } => None,
        }
    }

    /// The tag the entry is written with.
    fn event_name(&self) -> &'static str {
        match self {
            Entry::Intent { .. } => "intent",
            Entry::Placed { .. } => "placed",
            Entry::Rejected { .. } => "rejected",
            Entry::Ambiguous { .. } => "ambiguous",
            Entry::LookedUp { .. } => "looked_up",
            Entry::Claimed { .. } => "claimed",
            Entry::Dismissed { .. } => "dismissed",
            Entry::NothingPlaced { .. } => "nothing_placed",
            Entry::Status { .. } => "status",
            Entry::Payment { .. } => "payment",
            Entry::Cancellation { .. } => "cancellation",
        }
    }

    /// The one order the entry is about, if any.
    fn order_id(&self) -> Option<&str> {
        match self {
            Entry::Placed { order_id, .. }
            | Entry::Claimed { order_id, .. }
            | Entry::Dismissed { order_id, .. }
            | Entry::Status { order_id, .. }
            | Entry::Payment { order_id, .. }
            | Entry::Cancellation { order_id, .. } => Some(order_id),
            _ => None,
        }
    }

    /// Every order the entry names (a lookup names several).
    fn mentioned_orders(&self) -> Vec<&str> {
        match self {
            Entry::LookedUp { order_ids, .. } => order_ids.iter().map(String::as_str).collect(),
            other => other.order_id().into_iter().collect(),
        }
    }
}

/// The fate of a purchase as the journal tells it.
#[derive(Debug, Clone, PartialEq)]
pub enum PurchaseState {
    /// Sent (or about to be) and no outcome recorded: flexus stopped before
    /// the answer came, or is still waiting for it. An order may exist.
    Unanswered,
    Placed,
    /// The first send was refused, or never left: no order exists.
    Rejected(RecordedFailure),
    /// Its outcome was unknown, and the user said it placed no order.
    NothingPlaced,
    /// An answer was lost (a refused resend leaves it so); `candidates` are
    /// what the order list showed, over every lookup of this purchase.
    Ambiguous {
        error: RecordedFailure,
        candidates: Vec<String>,
    },
}

/// One purchase (one Client-Request-Id) folded from its journal lines.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseRecord {
    pub client_request_id: String,
    pub first_sent_at: String,
    pub last_sent_at: String,
    pub attempts: u32,
    pub endpoint: String,
    pub body: RequestBody,
    pub state: PurchaseState,
    pub order_id: Option<String>,
    pub instance_ids: Vec<String>,
    /// The last order status tracking recorded, and when.
    pub last_status: Option<(i32, String)>,
    pub pending_payment_end_time: Option<String>,
    /// Orders the user said are not this purchase's (after a lost answer).
    pub dismissed: Vec<String>,
    /// Every order a lookup of this purchase found, less those dismissed,
    /// whatever its state (a purchase whose sender was killed has no lost
    /// answer, but may have been looked up since).
    pub found: Vec<String>,
}

impl PurchaseRecord {
    /// The purchase's Client-Request-Id, checked: a journal edited by hand
    /// may hold anything.
    pub fn request_id(&self) -> Result<crate::api::ids::ClientRequestId, String> {
        crate::api::ids::ClientRequestId::parse(&self.client_request_id)
    }

    /// The outcome is not known: an order may or may not exist.
    pub fn is_unresolved(&self) -> bool {
        matches!(
            self.state,
            PurchaseState::Unanswered | PurchaseState::Ambiguous { .. }
        )
    }

    /// The state in a few words, for people: "pending payment until …",
    /// "refused (HCSS.14000011)", "unknown: answer lost".
    /// Where the purchase stands, in words; a deadline is read in `zone`.
    pub fn state_text(&self, zone: &jiff::tz::TimeZone) -> String {
        use crate::api::wire::status;
        match &self.state {
            PurchaseState::Placed => match &self.last_status {
                Some((status::PENDING_PAYMENT, _)) => match &self.pending_payment_end_time {
                    Some(deadline) => tr!(
                        "core.purchase_state.pending_payment_until",
                        deadline = crate::domain::when::dated_stamp(deadline, zone)
                    ),
                    None => status::describe(status::PENDING_PAYMENT),
                },
                Some((code, _)) => status::describe(*code),
                None => tr!("core.purchase_state.placed"),
            },
            PurchaseState::Rejected(error) => match &error.code {
                Some(code) => tr!("core.purchase_state.refused_code", code = code),
                None => match error.status {
                    Some(s) => tr!("core.purchase_state.refused_status", status = s),
                    None => tr!("core.purchase_state.not_sent"),
                },
            },
            PurchaseState::NothingPlaced => tr!("core.purchase_state.nothing_placed"),
            PurchaseState::Ambiguous { .. } => tr!("core.purchase_state.answer_lost"),
            PurchaseState::Unanswered => tr!("core.purchase_state.unanswered"),
        }
    }

    /// Unresolved, or placed as an order that has not reached a final
    /// status (completed or cancelled) as far as the journal knows: the
    /// user still has something to follow.
    pub fn is_unfinished(&self) -> bool {
        match self.state {
            PurchaseState::Placed => self
                .last_status
                .as_ref()
                .is_none_or(|(status, _)| !crate::api::wire::status::is_final(*status)),
            PurchaseState::Rejected(_) | PurchaseState::NothingPlaced => false,
            PurchaseState::Unanswered | PurchaseState::Ambiguous { .. } => true,
        }
    }
}

/// A journal record that cannot be read whole (damaged on disk, or torn by
/// a crash): what could still be made out of it, so that no purchase
/// vanishes from view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DamagedRecord {
    /// Where it is, for the user to look (e.g. "line 12").
    pub place: String,
    pub event: Option<String>,
    pub at: Option<String>,
    pub client_request_id: Option<String>,
    pub order_id: Option<String>,
}

/// The newest purchases, and the damaged records among or next to them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    /// Newest first, at most the limit asked for.
    pub purchases: Vec<PurchaseRecord>,
    /// Damaged records (all of them when the whole journal was listed;
    /// otherwise at least those in the part that was read).
    pub damaged: Vec<DamagedRecord>,
    /// Purchases left out by the limit.
    pub more: usize,
}

/// The journal. Cloning is cheap; clones share one index connection, and
/// appends from anywhere (clones, other `open`s, other processes) are
/// serialized by an exclusive lock on the file.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    index: Arc<Mutex<IndexSlot>>,
}

#[derive(Debug)]
enum IndexSlot {
    /// Not opened yet, or closed after an error: opened on next use.
    Closed,
    Open(Index),
    /// Cannot be used here (e.g. SQLite cannot open it): every query reads
    /// the whole file, as correct as with the index, only slower.
    Off,
}

impl Journal {
    /// The directory to use: `FLEXUS_STATE_DIR`, else the XDG state
    /// directory (`~/.local/state/flexus` on Linux), else the local data
    /// directory on systems without one.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os(ENV_STATE_DIR).filter(|d| !d.is_empty()) {
            return Some(PathBuf::from(dir));
        }
        let dirs = directories::ProjectDirs::from("", "", "flexus")?;
        Some(
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .to_path_buf(),
        )
    }

    /// Opens (creating if needed) the journal in `dir`: the directory is
    /// private to the user (0700) and so are the files (0600). The index is
    /// opened on first use; a journal without one (or from before it) is
    /// indexed then, once.
    pub fn open(dir: &Path) -> io::Result<Journal> {
        let created_dir = !dir.exists();
        create_private_dir(dir)?;
        let path = dir.join(FILE_NAME);
        let created_file = !path.exists();
        let file = open_private(&path, false)?;
        if created_file {
            file.sync_all()?;
            // Make the new directory entries themselves durable.
            sync_dir(dir);
            if created_dir && let Some(parent) = dir.parent() {
                sync_dir(parent);
            }
        }
        Ok(Journal {
            path,
            index: Arc::new(Mutex::new(IndexSlot::Closed)),
        })
    }

    /// A journal that never uses its index: the reference the indexed
    /// answers are checked against.
    #[cfg(test)]
    fn open_unindexed(dir: &Path) -> io::Result<Journal> {
        let journal = Journal::open(dir)?;
        *journal.slot() = IndexSlot::Off;
        Ok(journal)
    }

    /// Where the file is, to tell the user.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, IndexSlot> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends one entry and waits until it is on disk (`fsync`). Costs the
    /// same however long the journal is.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        let written = self.append_unlogged(entry);
        let client_request_id = entry.client_request_id().unwrap_or("none");
        let orders = entry.mentioned_orders().join(",");
        match &written {
            Ok(()) => tracing::info!(
                kind = entry.event_name(),
                client_request_id,
                orders,
                "journal entry written"
            ),
            Err(e) => tracing::warn!(
                kind = entry.event_name(),
                client_request_id,
                orders,
                error = %e,
                "journal entry not written"
            ),
        }
        written
    }

    fn append_unlogged(&self, entry: &Entry) -> io::Result<()> {
        let mut line = record::encode(entry);
        line.push('\n');
        // The index lock is taken before the file's, always, so that two
        // threads of one process never wait for each other crosswise.
        let mut slot = self.slot();
        let mut file = open_private(&self.path, true)?;
        // One writer at a time across processes: no two lines interleave,
        // and the index reads lines in the order they were written.
        file.lock()?;
        // A crash mid-write can leave a torn last line; start on a new one
        // so this entry is not glued to it.
        if ends_without_newline(&mut file)? {
            line.insert(0, '\n');
        }
        fault::write(&mut file, line.as_bytes())?;
        file.sync_data()?;
        // The entry is durable: nothing after this may report a failure, or
        // the caller would think it unrecorded. An index that cannot follow
        // is rebuilt or bypassed by the next query.
        if let IndexSlot::Open(index) = &mut *slot
            && let Err(e) = index.catch_up_locked()
        {
            drop_index(&mut slot, &self.path, &e);
        }
        Ok(())
    }

    /// Runs `query` on an up-to-date index; `None` when there is no usable
    /// index, and the caller reads the whole file instead.
    fn indexed<T>(&self, query: impl FnOnce(&Index) -> IndexResult<T>) -> io::Result<Option<T>> {
        let mut slot = self.slot();
        if matches!(*slot, IndexSlot::Closed) {
            *slot = match Index::open(&self.path) {
                Ok(index) => IndexSlot::Open(index),
                Err(e) if e.is_corruption() => {
                    remove_index(&self.path);
                    Index::open(&self.path).map_or(IndexSlot::Off, IndexSlot::Open)
                }
                Err(_) => IndexSlot::Off,
            };
        }
        let IndexSlot::Open(index) = &mut *slot else {
            return Ok(None);
        };
        match index.sync().and_then(|()| query(index)) {
            Ok(value) => Ok(Some(value)),
            Err(IndexError::File(e)) => Err(e),
            Err(e) => {
                drop_index(&mut slot, &self.path, &e);
                Ok(None)
            }
        }
    }

    /// Every record in the file, read whole: O(size of the journal).
    fn scan(&self) -> io::Result<Vec<Found>> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        // Read as bytes, not text: a line torn inside a multibyte character
        // is not UTF-8, and must cost that line only, not the whole journal.
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(record::scan(&bytes, 0, 0))
    }

    /// Every entry, oldest first, and how many records could not be read
    /// (torn by a crash, or damaged). Reads the whole file: for listings of
    /// everything and for tests, not for anything a purchase waits on.
    pub fn entries(&self) -> io::Result<(Vec<Entry>, usize)> {
        let mut entries = Vec::new();
        let mut damaged = 0;
        for found in self.scan()? {
            match found.item {
                Item::Good(entry) => entries.push(entry),
                Item::Damaged(_) => damaged += 1,
            }
        }
        Ok((entries, damaged))
    }

    /// Purchases, newest first, each with its last known state. Reads the
    /// whole file, like [`Journal::entries`].
    pub fn purchases(&self) -> io::Result<Vec<PurchaseRecord>> {
        Ok(fold_purchases(&self.entries()?.0))
    }

    /// The purchase with this Client-Request-Id, if the journal has it.
    pub fn purchase(&self, client_request_id: &str) -> io::Result<Option<PurchaseRecord>> {
        if let Some((record, _)) = self.indexed(|i| i.purchase(client_request_id))? {
            return Ok(record);
        }
        Ok(self
            .purchases()?
            .into_iter()
            .find(|p| p.client_request_id == client_request_id))
    }

    /// The newest `limit` purchases (all with `None`), newest first, with
    /// every damaged record: a purchase whose records are damaged is never
    /// left out, and shows there with what could be read of it.
    pub fn recent(&self, limit: Option<usize>) -> io::Result<Listing> {
        if let Some((purchases, more, damaged)) = self.indexed(|i| i.recent(limit))? {
            return Ok(Listing {
                purchases,
                damaged,
                more,
            });
        }
        let found = self.scan()?;
        let mut purchases = fold_purchases(&good_entries(&found));
        let damaged = damaged_in(&found, &purchases);
        let keep = limit.unwrap_or(usize::MAX).min(purchases.len());
        let more = purchases.len() - keep;
        purchases.truncate(keep);
        Ok(Listing {
            purchases,
            damaged,
            more,
        })
    }

    /// Every damaged record, newest first, with what could be read of it
    /// (see [`Journal::recent`]).
    pub fn damaged(&self) -> io::Result<Vec<DamagedRecord>> {
        if let Some(damaged) = self.indexed(Index::damaged)? {
            return Ok(damaged);
        }
        let found = self.scan()?;
        let purchases = fold_purchases(&good_entries(&found));
        Ok(damaged_in(&found, &purchases))
    }

    /// Purchases that may have an unknown outcome but cannot be shown,
    /// because their intent is damaged: as the damaged records say them
    /// (the Client-Request-Id where it can be read). Their body is lost, so
    /// any new purchase may be their double; and none is settled until a
    /// readable record (a claim, a placed order, "nothing placed") says so.
    pub fn hidden_unresolved(&self) -> io::Result<Vec<DamagedRecord>> {
        if let Some(hidden) = self.indexed(Index::hidden_unresolved)? {
            return Ok(hidden);
        }
        let found = self.scan()?;
        let entries = good_entries(&found);
        let settled_or_shown = |id: &str| {
            entries.iter().any(|e| {
                e.client_request_id() == Some(id)
                    && matches!(
                        e,
                        Entry::Intent { .. }
                            | Entry::Placed { .. }
                            | Entry::Claimed { .. }
                            | Entry::Rejected { .. }
                            | Entry::NothingPlaced { .. }
                    )
            })
        };
        let mut hidden: Vec<DamagedRecord> = Vec::new();
        for f in found.iter().rev() {
            let Item::Damaged(d) = &f.item else { continue };
            if d.event.as_deref().is_some_and(|e| e != "intent") {
                continue;
            }
            let open = d
                .client_request_id
                .as_deref()
                .is_none_or(|id| !settled_or_shown(id));
            let known = d.client_request_id.is_some()
                && hidden
                    .iter()
                    .any(|h| h.client_request_id == d.client_request_id);
            if open && !known {
                hidden.push(d.clone());
            }
        }
        Ok(hidden)
    }

    /// Purchases whose outcome is unknown ([`PurchaseRecord::is_unresolved`]),
    /// newest first, however old.
    pub fn unresolved(&self) -> io::Result<Vec<PurchaseRecord>> {
        if let Some(records) = self.indexed(Index::unresolved)? {
            return Ok(records);
        }
        Ok(self
            .purchases()?
            .into_iter()
            .filter(PurchaseRecord::is_unresolved)
            .collect())
    }

    /// Purchases the user still has to follow
    /// ([`PurchaseRecord::is_unfinished`]), newest first, however old.
    pub fn unfinished(&self) -> io::Result<Vec<PurchaseRecord>> {
        if let Some(records) = self.indexed(Index::unfinished)? {
            return Ok(records);
        }
        Ok(self
            .purchases()?
            .into_iter()
            .filter(PurchaseRecord::is_unfinished)
            .collect())
    }

    /// The purchase that placed (or claimed) this order.
    pub fn purchase_of_order(&self, order_id: &str) -> io::Result<Option<PurchaseRecord>> {
        if let Some(record) = self.indexed(|i| i.purchase_of_order(order_id))? {
            return Ok(record);
        }
        Ok(self
            .purchases()?
            .into_iter()
            .find(|p| p.order_id.as_deref() == Some(order_id)))
    }

    /// Which of `candidates` certainly are not the result of purchase
    /// `client_request_id` (see [`orders_not_from`]), including the ones
    /// the user dismissed for it.
    pub fn orders_not_from(
        &self,
        client_request_id: &str,
        candidates: &[String],
    ) -> io::Result<HashSet<String>> {
        if let Some(unrelated) =
            self.indexed(|i| i.orders_not_from(client_request_id, candidates))?
        {
            return Ok(unrelated);
        }
        let (entries, _) = self.entries()?;
        let mut unrelated = orders_not_from(&entries, client_request_id);
        for entry in &entries {
            if let Entry::Dismissed {
                client_request_id: id,
                order_id,
                ..
            } = entry
                && id == client_request_id
            {
                unrelated.insert(order_id.clone());
            }
        }
        unrelated.retain(|o| candidates.contains(o));
        Ok(unrelated)
    }

    /// Serializes new purchases across processes: held while checking the
    /// journal for an unresolved double and writing the new intent, so two
    /// processes cannot both find "no double" and both send. Blocks until
    /// the lock is free (it is only ever held briefly).
    pub fn lock_new_purchases(&self) -> io::Result<PurchaseLock> {
        let file = self.lock_file("new-purchases")?;
        file.lock()?;
        Ok(PurchaseLock { _file: file })
    }

    /// Makes sending purchase `client_request_id` (first send or resend)
    /// exclusive across processes; `None` when another process is sending
    /// it right now. The lock goes with the process, however it ends.
    pub fn try_lock_purchase(&self, client_request_id: &str) -> io::Result<Option<PurchaseLock>> {
        let file = self.lock_file(&format!("purchase-{client_request_id}"))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(PurchaseLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        }
    }

    fn lock_file(&self, name: &str) -> io::Result<File> {
        let dir = self
            .path
            .parent()
            .map_or_else(|| PathBuf::from("locks"), |d| d.join("locks"));
        create_private_dir(&dir)?;
        open_private(&dir.join(format!("{name}.lock")), true)
    }
}

/// Forgets an index that failed; one that is damaged is deleted, to be
/// rebuilt from the file on next use.
fn drop_index(slot: &mut IndexSlot, journal: &Path, error: &IndexError) {
    if error.is_busy() {
        // Another process is slow, not wrong: keep the index for next time.
        return;
    }
    *slot = IndexSlot::Closed;
    if error.is_corruption() {
        remove_index(journal);
    }
}

fn remove_index(journal: &Path) {
    if let Some(dir) = journal.parent() {
        for file in index::index_files(dir) {
            let _ = std::fs::remove_file(file);
        }
    }
}

fn good_entries(found: &[Found]) -> Vec<Entry> {
    found
        .iter()
        .filter_map(|f| match &f.item {
            Item::Good(entry) => Some(entry.clone()),
            Item::Damaged(_) => None,
        })
        .collect()
}

/// The damaged records among `found`, newest first, each completed with
/// what the readable records tell (a damaged status names an order, whose
/// purchase is known), and the purchases none of whose intents can be read.
fn damaged_in(found: &[Found], purchases: &[PurchaseRecord]) -> Vec<DamagedRecord> {
    let mut damaged: Vec<DamagedRecord> = found
        .iter()
        .rev()
        .filter_map(|f| match &f.item {
            Item::Damaged(d) => Some(d.clone()),
            Item::Good(_) => None,
        })
        .collect();
    for d in &mut damaged {
        if d.client_request_id.is_none()
            && let Some(order) = &d.order_id
        {
            d.client_request_id = purchases
                .iter()
                .find(|p| p.order_id.as_ref() == Some(order))
                .map(|p| p.client_request_id.clone());
        }
    }
    let with_intent: HashSet<&str> = purchases
        .iter()
        .map(|p| p.client_request_id.as_str())
        .collect();
    let mut orphans: Vec<DamagedRecord> = Vec::new();
    for f in found {
        let Item::Good(entry) = &f.item else { continue };
        let Some(crid) = entry.client_request_id() else {
            continue;
        };
        if with_intent.contains(crid) {
            continue;
        }
        match orphans
            .iter_mut()
            .find(|o| o.client_request_id.as_deref() == Some(crid))
        {
            Some(known) => {
                if known.order_id.is_none()
                    && matches!(entry, Entry::Placed { .. } | Entry::Claimed { .. })
                {
                    known.order_id = entry.order_id().map(str::to_string);
                }
            }
            None => orphans.push(DamagedRecord {
                place: format!("line {}", f.line),
                event: Some(entry.event_name().to_string()),
                at: entry_at(entry),
                client_request_id: Some(crid.to_string()),
                order_id: match entry {
                    Entry::Placed { order_id, .. } | Entry::Claimed { order_id, .. } => {
                        Some(order_id.clone())
                    }
                    _ => None,
                },
            }),
        }
    }
    orphans.reverse();
    add_orphans(&mut damaged, orphans);
    damaged
}

fn entry_at(entry: &Entry) -> Option<String> {
    let value = serde_json::to_value(entry).ok()?;
    value.get("at")?.as_str().map(str::to_string)
}

/// Adds the purchases without a readable intent: to the damaged record
/// that names them if there is one, else as records of their own (the
/// intent's damage hit its Client-Request-Id, but its outcome still has it).
fn add_orphans(damaged: &mut Vec<DamagedRecord>, orphans: Vec<DamagedRecord>) {
    for orphan in orphans {
        match damaged
            .iter_mut()
            .find(|d| d.client_request_id == orphan.client_request_id)
        {
            Some(known) => {
                if known.order_id.is_none() {
                    known.order_id = orphan.order_id;
                }
            }
            None => damaged.push(orphan),
        }
    }
}

/// A cross-process lock of the journal's; released when dropped (or when
/// the process ends).
#[derive(Debug)]
pub struct PurchaseLock {
    _file: File,
}

/// Folds entries into purchases, newest first.
pub fn fold_purchases(entries: &[Entry]) -> Vec<PurchaseRecord> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: HashMap<String, PurchaseRecord> = HashMap::new();
    let mut statuses: HashMap<String, (i32, String, Option<String>)> = HashMap::new();
    // Every order any lookup of a purchase found: each may be its result,
    // whichever send placed it, so a later lookup adds to them.
    let mut found: HashMap<String, Vec<String>> = HashMap::new();
    for entry in entries {
        if let Entry::Status {
            at,
            order_id,
            status,
            pending_payment_end_time,
        } = entry
        {
            statuses.insert(
                order_id.clone(),
                (*status, at.clone(), pending_payment_end_time.clone()),
            );
            continue;
        }
        let Some(id) = entry.client_request_id() else {
            continue;
        };
        if let Entry::Intent {
            at,
            endpoint,
            attempt,
            body,
            ..
        } = entry
        {
            match by_id.get_mut(id) {
                Some(record) => {
                    record.last_sent_at = at.clone();
                    record.attempts = record.attempts.max(*attempt);
                    if record.state != PurchaseState::Placed {
                        record.state = PurchaseState::Unanswered;
                    }
                }
                None => {
                    order.push(id.to_string());
                    by_id.insert(
                        id.to_string(),
                        PurchaseRecord {
                            client_request_id: id.to_string(),
                            first_sent_at: at.clone(),
                            last_sent_at: at.clone(),
                            attempts: *attempt,
                            endpoint: endpoint.clone(),
                            body: (**body).clone(),
                            state: PurchaseState::Unanswered,
                            order_id: None,
                            instance_ids: Vec::new(),
                            last_status: None,
                            pending_payment_end_time: None,
                            dismissed: Vec::new(),
                            found: Vec::new(),
                        },
                    );
                }
            }
            continue;
        }
        // Outcomes of a purchase whose intent line was lost are ignored:
        // without the body there is nothing useful to show.
        let Some(record) = by_id.get_mut(id) else {
            continue;
        };
        match entry {
            Entry::Placed {
                order_id,
                instance_ids,
                ..
            } => {
                record.state = PurchaseState::Placed;
                record.order_id = Some(order_id.clone());
                record.instance_ids = instance_ids.clone();
            }
            Entry::Claimed { order_id, .. } if record.state != PurchaseState::Placed => {
                record.state = PurchaseState::Placed;
                record.order_id = Some(order_id.clone());
            }
            // Once placed, a purchase stays placed whatever a later resend
            // attempt recorded.
            _ if record.state == PurchaseState::Placed => {}
            // A resend is only ever made after a send whose answer was lost:
            // its refusal leaves that earlier send's outcome unknown.
            Entry::Rejected { error, .. } if record.attempts > 1 => {
                record.state = PurchaseState::Ambiguous {
                    error: error.clone(),
                    candidates: found.get(id).cloned().unwrap_or_default(),
                }
            }
            Entry::Rejected { error, .. } => record.state = PurchaseState::Rejected(error.clone()),
            Entry::NothingPlaced { .. } => record.state = PurchaseState::NothingPlaced,
            Entry::Ambiguous { error, .. } => {
                record.state = PurchaseState::Ambiguous {
                    error: error.clone(),
                    candidates: found.get(id).cloned().unwrap_or_default(),
                }
            }
            Entry::Dismissed { order_id, .. } => {
                record.dismissed.push(order_id.clone());
                if let Some(known) = found.get_mut(id) {
                    known.retain(|o| o != order_id);
                }
                if let PurchaseState::Ambiguous { candidates, .. } = &mut record.state {
                    candidates.retain(|o| o != order_id);
                }
            }
            Entry::LookedUp { order_ids, .. } => {
                let known = found.entry(id.to_string()).or_default();
                for order_id in order_ids {
                    if !known.contains(order_id) && !record.dismissed.contains(order_id) {
                        known.push(order_id.clone());
                    }
                }
                if let PurchaseState::Ambiguous { candidates, .. } = &mut record.state {
                    candidates.clone_from(known);
                }
            }
            _ => {}
        }
    }
    let mut records: Vec<PurchaseRecord> = order
        .into_iter()
        .filter_map(|id| by_id.remove(&id))
        .map(|mut record| {
            if let Some(known) = found.get(&record.client_request_id) {
                record.found.clone_from(known);
            }
            if let Some(order_id) = &record.order_id
                && let Some((status, at, deadline)) = statuses.get(order_id)
            {
                record.last_status = Some((*status, at.clone()));
                record.pending_payment_end_time.clone_from(deadline);
            }
            record
        })
        .collect();
    records.reverse();
    records
}

/// Orders that certainly are not the result of purchase `client_request_id`:
/// those placed by other purchases, and every order the journal mentions
/// before this purchase was first sent (they existed already). An order
/// some other ambiguous purchase merely *found* later is not excluded: it
/// might be this one's, and hiding it could lead to buying twice.
pub fn orders_not_from(entries: &[Entry], client_request_id: &str) -> HashSet<String> {
    let first_send = entries
        .iter()
        .position(
            |e| matches!(e, Entry::Intent { client_request_id: id, .. } if id == client_request_id),
        )
        .unwrap_or(entries.len());
    let mut unrelated = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let before = index < first_send;
        match entry {
            Entry::Placed {
                client_request_id: id,
                order_id,
                ..
            } if before || id != client_request_id => {
                unrelated.insert(order_id.clone());
            }
            Entry::LookedUp { order_ids, .. } if before => {
                unrelated.extend(order_ids.iter().cloned());
            }
            Entry::Status { order_id, .. }
            | Entry::Payment { order_id, .. }
            | Entry::Cancellation { order_id, .. }
                if before =>
            {
                unrelated.insert(order_id.clone());
            }
            _ => {}
        }
    }
    unrelated
}

/// Creates `dir` (and its parents) private to the user (0700), or makes it
/// so: the state directory holds what the user buys.
#[cfg(unix)]
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
    if mode != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(not(unix))]
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn open_private(path: &Path, read: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(read);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        if file.metadata()?.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

fn ends_without_newline(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

pub(crate) fn sync_dir(dir: &Path) {
    // Best effort: not every platform can open a directory for syncing.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests;
