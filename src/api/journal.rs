//! The order journal: an append-only file of JSON lines in the user's state
//! directory. The intent of a purchase is on disk (fsync'ed) before the
//! request leaves, and every outcome and later status change follows it, so
//! a crash at any moment leaves enough to find out what happened. It never
//! holds a secret: request bodies, IDs, times and error texts only.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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
            message: f.message.clone(),
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
            } => Some(client_request_id),
            Entry::Status { .. } | Entry::Payment { .. } => None,
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
}

impl PurchaseRecord {
    /// The outcome is not known: an order may or may not exist.
    pub fn is_unresolved(&self) -> bool {
        matches!(
            self.state,
            PurchaseState::Unanswered | PurchaseState::Ambiguous { .. }
        )
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
            PurchaseState::Rejected(_) => false,
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

/// The journal file. Cloning is cheap; appends from clones in one process
/// are serialized, and each line is one `write` to an `O_APPEND` file.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
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
    /// private to the user (0700) and so is the file (0600).
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
            lock: Arc::new(Mutex::new(())),
        })
    }

    /// Where the file is, to tell the user.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one entry and waits until it is on disk.
    pub fn append(&self, entry: &Entry) -> io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(io::Error::other)?;
        line.push('\n');
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let mut file = open_private(&self.path, true)?;
        // A crash mid-write can leave a torn last line; start on a new one
        // so this entry is not glued to it.
        if ends_without_newline(&mut file)? {
            line.insert(0, '\n');
        }
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }

    /// Every entry, oldest first. Lines that cannot be read (a line torn by a
    /// crash) are skipped; their count is returned too.
    pub fn entries(&self) -> io::Result<(Vec<Entry>, usize)> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(e) => return Err(e),
        };
        // Read as bytes, not text: a line torn inside a multibyte character
        // is not UTF-8, and must cost that line only, not the whole journal.
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let mut entries = Vec::new();
        let mut skipped = 0;
        for line in bytes.split(|b| *b == b'\n') {
            if line.trim_ascii().is_empty() {
                continue;
            }
            match serde_json::from_slice(line) {
                Ok(entry) => entries.push(entry),
                Err(_) => skipped += 1,
            }
        }
        Ok((entries, skipped))
    }

    /// Purchases, newest first, each with its last known state.
    pub fn purchases(&self) -> io::Result<Vec<PurchaseRecord>> {
        Ok(fold_purchases(&self.entries()?.0))
    }

    /// The purchase with this Client-Request-Id, if the journal has it.
    pub fn purchase(&self, client_request_id: &str) -> io::Result<Option<PurchaseRecord>> {
        Ok(self
            .purchases()?
            .into_iter()
            .find(|p| p.client_request_id == client_request_id))
    }

    /// The newest `limit` purchases (all with `None`), newest first, with
    /// the damaged records.
    pub fn recent(&self, limit: Option<usize>) -> io::Result<Listing> {
        let (entries, _) = self.entries()?;
        let mut purchases = fold_purchases(&entries);
        let keep = limit.unwrap_or(usize::MAX).min(purchases.len());
        let more = purchases.len() - keep;
        purchases.truncate(keep);
        Ok(Listing {
            purchases,
            damaged: Vec::new(),
            more,
        })
    }

    /// Purchases whose outcome is unknown ([`PurchaseRecord::is_unresolved`]),
    /// newest first, however old.
    pub fn unresolved(&self) -> io::Result<Vec<PurchaseRecord>> {
        Ok(self
            .purchases()?
            .into_iter()
            .filter(PurchaseRecord::is_unresolved)
            .collect())
    }

    /// Purchases the user still has to follow
    /// ([`PurchaseRecord::is_unfinished`]), newest first, however old.
    pub fn unfinished(&self) -> io::Result<Vec<PurchaseRecord>> {
        Ok(self
            .purchases()?
            .into_iter()
            .filter(PurchaseRecord::is_unfinished)
            .collect())
    }

    /// The purchase that placed (or claimed) this order.
    pub fn purchase_of_order(&self, order_id: &str) -> io::Result<Option<PurchaseRecord>> {
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
            Entry::Status { order_id, .. } | Entry::Payment { order_id, .. } if before => {
                unrelated.insert(order_id.clone());
            }
            _ => {}
        }
    }
    unrelated
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
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
fn create_private_dir(dir: &Path) -> io::Result<()> {
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

fn sync_dir(dir: &Path) {
    // Best effort: not every platform can open a directory for syncing.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::bss_time;
    use crate::domain::order::{Draft, RequestBody};

    fn body() -> RequestBody {
        let catalog = crate::domain::catalog::Catalog::embedded();
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/plan.json"))
                .unwrap();
        let (draft, problems) = Draft::from_plan_json(&text);
        assert!(problems.is_empty());
        draft.request_body(&catalog).unwrap()
    }

    fn intent(id: &str, at: &str, attempt: u32) -> Entry {
        Entry::Intent {
            at: at.into(),
            client_request_id: id.into(),
            endpoint: "http://127.0.0.1:1".into(),
            attempt,
            body: Box::new(body()),
        }
    }

    #[test]
    fn files_are_private_and_lines_round_trip() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("state").join("flexus");
        let journal = Journal::open(&dir).unwrap();
        journal
            .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
            .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(journal.path()), 0o600);
        }
        let (entries, skipped) = journal.entries().unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(entries, vec![intent("a-1", "2026-11-26T10:00:00Z", 1)]);
        let text = std::fs::read_to_string(journal.path()).unwrap();
        assert!(text.starts_with("{\"event\":\"intent\""), "{text}");
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_not_glued_to_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        journal
            .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
            .unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        f.write_all(b"{\"event\":\"placed\",\"at\":\"2026-")
            .unwrap();
        drop(f);
        journal
            .append(&Entry::Placed {
                at: "2026-11-26T10:00:01Z".into(),
                client_request_id: "a-1".into(),
                order_id: "CS1".into(),
                instance_ids: vec!["i-1".into()],
            })
            .unwrap();
        let (entries, skipped) = journal.entries().unwrap();
        assert_eq!(skipped, 1);
        assert_eq!(entries.len(), 2);
        let p = &journal.purchases().unwrap()[0];
        assert_eq!(p.state, PurchaseState::Placed);
        assert_eq!(p.order_id.as_deref(), Some("CS1"));
    }

    #[test]
    fn a_line_torn_inside_a_multibyte_character_hides_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::open(dir.path()).unwrap();
        journal
            .append(&intent("a-1", "2026-11-26T10:00:00Z", 1))
            .unwrap();
        // A crash in the middle of a message in another script: the line
        // ends with the first byte of a three-byte character.
        let torn = "{\"event\":\"rejected\",\"at\":\"2026-11-26T10:00:01Z\",\"client_request_id\":\"b-1\",\"error\":{\"message\":\"参数";
        let torn = &torn.as_bytes()[..torn.len() - 2];
        assert!(std::str::from_utf8(torn).is_err());
        let mut f = OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        f.write_all(torn).unwrap();
        drop(f);
        journal
            .append(&Entry::Placed {
                at: "2026-11-26T10:00:02Z".into(),
                client_request_id: "a-1".into(),
                order_id: "CS1".into(),
                instance_ids: vec![],
            })
            .unwrap();
        let (entries, skipped) = journal.entries().unwrap();
        assert_eq!(skipped, 1);
        assert_eq!(entries.len(), 2);
        let p = journal.purchase("a-1").unwrap().unwrap();
        assert_eq!(p.state, PurchaseState::Placed);
        assert_eq!(p.order_id.as_deref(), Some("CS1"));
    }

    #[test]
    fn folding_gives_newest_first_with_last_state() {
        let failure = RecordedFailure {
            status: None,
            code: None,
            message: "no answer".into(),
        };
        let entries = vec![
            intent("a", "2026-11-26T10:00:00Z", 1),
            Entry::Placed {
                at: "2026-11-26T10:00:01Z".into(),
                client_request_id: "a".into(),
                order_id: "CS-A".into(),
                instance_ids: vec![],
            },
            Entry::Status {
                at: "2026-11-26T10:00:05Z".into(),
                order_id: "CS-A".into(),
                status: 3,
                pending_payment_end_time: None,
            },
            Entry::Status {
                at: "2026-11-26T10:00:09Z".into(),
                order_id: "CS-A".into(),
                status: 5,
                pending_payment_end_time: None,
            },
            intent("b", "2026-11-26T11:00:00Z", 1),
            Entry::Ambiguous {
                at: "2026-11-26T11:00:30Z".into(),
                client_request_id: "b".into(),
                error: failure.clone(),
            },
            Entry::LookedUp {
                at: "2026-11-26T11:00:31Z".into(),
                client_request_id: "b".into(),
                order_ids: vec!["CS-B?".into()],
                failed: None,
            },
            intent("c", "2026-11-26T12:00:00Z", 1),
        ];
        let records = fold_purchases(&entries);
        let ids: Vec<_> = records
            .iter()
            .map(|r| r.client_request_id.as_str())
            .collect();
        assert_eq!(ids, ["c", "b", "a"]);
        assert_eq!(records[0].state, PurchaseState::Unanswered);
        assert_eq!(
            records[1].state,
            PurchaseState::Ambiguous {
                error: failure,
                candidates: vec!["CS-B?".into()]
            }
        );
        assert_eq!(
            records[2].last_status,
            Some((5, "2026-11-26T10:00:09Z".into()))
        );
    }

    #[test]
    fn orders_seen_before_a_purchase_cannot_be_its_result() {
        let looked_up = |id: &str, orders: &[&str]| Entry::LookedUp {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: id.into(),
            order_ids: orders.iter().map(|o| o.to_string()).collect(),
            failed: None,
        };
        let placed = |id: &str, order: &str| Entry::Placed {
            at: "2026-11-26T10:00:00Z".into(),
            client_request_id: id.into(),
            order_id: order.into(),
            instance_ids: vec![],
        };
        let entries = vec![
            intent("a", "2026-11-26T10:00:00Z", 1),
            placed("a", "CS-A"),
            intent("b", "2026-11-26T10:00:00Z", 1),
            looked_up("b", &["CS-B?"]),
            intent("c", "2026-11-26T10:00:00Z", 1),
            // Found by d after c was sent: it might be c's.
            intent("d", "2026-11-26T10:00:00Z", 1),
            looked_up("d", &["CS-D?"]),
            // c's own earlier findings stay candidates on a resend.
            looked_up("c", &["CS-C?"]),
        ];
        let unrelated = orders_not_from(&entries, "c");
        let mut sorted: Vec<_> = unrelated.into_iter().collect();
        sorted.sort();
        assert_eq!(sorted, ["CS-A", "CS-B?"]);
        let mut for_d: Vec<_> = orders_not_from(&entries, "d").into_iter().collect();
        for_d.sort();
        assert_eq!(for_d, ["CS-A", "CS-B?"]);
    }

    #[test]
    fn utc_text_round_trips() {
        let t = time::macros::datetime!(2026-11-26 18:04:05 +08:00);
        assert_eq!(bss_time(t), "2026-11-26T10:04:05Z");
        assert_eq!(parse_utc("2026-11-26T10:04:05Z").unwrap(), t);
    }
}
