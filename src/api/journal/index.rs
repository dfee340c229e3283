//! An SQLite index over the journal file, so that a query costs the same
//! with 10,000 purchases as with 10.
//!
//! The JSONL file stays the record: the index only says where each record
//! is (and what it is about) and keeps each purchase's folded flags. Every
//! answer is read back from the file and checked against its checksum, so
//! damage in the file shows as damage; damage in the index costs only a
//! rebuild from the file. The index follows the file by byte offset: on
//! each query it catches up with lines other processes appended, and it is
//! rebuilt whenever the file is not what it indexed (replaced, truncated,
//! changed in its last indexed bytes).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::record::{self, Item};
use super::{DamagedRecord, Entry, PurchaseRecord, fold_purchases};

/// The index's file name inside the state directory (with SQLite's `-wal`
/// and `-shm` beside it). Deleting these files is always safe.
pub const INDEX_FILE: &str = "journal-index.sqlite3";
/// Bump to make every existing index be rebuilt.
const SCHEMA_VERSION: i64 = 1;
/// How many bytes before the indexed end are checked on each query: a file
/// that was replaced or rewritten almost never keeps them.
const TAIL: u64 = 64;

#[derive(Debug)]
pub enum IndexError {
    /// Reading the journal file itself failed: no fallback can help.
    File(io::Error),
    Db(rusqlite::Error),
}

impl From<io::Error> for IndexError {
    fn from(e: io::Error) -> Self {
        IndexError::File(e)
    }
}

impl From<rusqlite::Error> for IndexError {
    fn from(e: rusqlite::Error) -> Self {
        IndexError::Db(e)
    }
}

impl IndexError {
    /// The index file is damaged: it must be deleted and rebuilt.
    pub fn is_corruption(&self) -> bool {
        matches!(
            self,
            IndexError::Db(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
        )
    }

    /// Another process holds the index longer than the busy timeout.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            IndexError::Db(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
        )
    }
}

type Result<T> = std::result::Result<T, IndexError>;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value
);
-- One row per record: where it is, and the keys queries look it up by.
-- A damaged record keeps what could be read of it.
CREATE TABLE IF NOT EXISTS records (
    offset INTEGER PRIMARY KEY,
    len INTEGER NOT NULL,
    line INTEGER NOT NULL,
    event TEXT,
    crid TEXT,
    order_id TEXT,
    at TEXT,
    damaged INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS records_crid ON records(crid, offset) WHERE crid IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_order ON records(order_id, offset) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS records_damaged ON records(offset) WHERE damaged = 1;
-- Every order a readable record mentions (a lookup mentions several).
CREATE TABLE IF NOT EXISTS mentions (
    order_id TEXT NOT NULL,
    offset INTEGER NOT NULL,
    event TEXT NOT NULL,
    crid TEXT
);
CREATE INDEX IF NOT EXISTS mentions_order ON mentions(order_id, offset);
-- One row per Client-Request-Id with a readable record; intent_offset is
-- NULL while none of its intents can be read.
CREATE TABLE IF NOT EXISTS purchases (
    crid TEXT PRIMARY KEY,
    first_offset INTEGER NOT NULL,
    intent_offset INTEGER,
    order_id TEXT,
    unresolved INTEGER NOT NULL,
    unfinished INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS purchases_newest ON purchases(intent_offset) WHERE intent_offset IS NOT NULL;
CREATE INDEX IF NOT EXISTS purchases_orphan ON purchases(first_offset) WHERE intent_offset IS NULL;
CREATE INDEX IF NOT EXISTS purchases_order ON purchases(order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS purchases_unresolved ON purchases(intent_offset) WHERE unresolved = 1;
CREATE INDEX IF NOT EXISTS purchases_unfinished ON purchases(intent_offset) WHERE unfinished = 1;
";

/// How far the index has read the file.
#[derive(Debug, Clone, Default, PartialEq)]
struct Mark {
    consumed: u64,
    newlines: u64,
    identity: String,
    tail: String,
    purchases: u64,
}

#[derive(Debug)]
pub struct Index {
    conn: Connection,
    journal: PathBuf,
}

pub fn index_files(dir: &Path) -> [PathBuf; 3] {
    [
        dir.join(INDEX_FILE),
        dir.join(format!("{INDEX_FILE}-wal")),
        dir.join(format!("{INDEX_FILE}-shm")),
    ]
}

impl Index {
    /// Opens (creating if needed) the index of the journal at `journal`.
    pub fn open(journal: &Path) -> Result<Index> {
        let dir = journal.parent().unwrap_or(Path::new("."));
        let path = dir.join(INDEX_FILE);
        // SQLite would create it with the umask's mode; its -wal and -shm
        // files take the database file's mode.
        drop(super::open_private(&path, false)?);
        let conn = Connection::open(&path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // The index can always be rebuilt from the file, so it needs no
        // sync of its own: WAL keeps it consistent through a crash, and
        // whatever its last transactions lost is caught up from the file.
        let _: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let mut index = Index {
            conn,
            journal: journal.to_path_buf(),
        };
        let version: i64 = index
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            let tx = index
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if version != SCHEMA_VERSION {
                tx.execute_batch(
                    "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS records;
                     DROP TABLE IF EXISTS mentions; DROP TABLE IF EXISTS purchases;",
                )?;
                tx.execute_batch(SCHEMA)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            }
            tx.commit()?;
        }
        Ok(index)
    }

    /// Brings the index up to date with the file, taking the file's write
    /// lock only when there is something to read.
    pub fn sync(&mut self) -> Result<()> {
        if self.is_current()? {
            return Ok(());
        }
        let lock = super::open_private(&self.journal, true)?;
        lock.lock()?;
        self.catch_up_locked()
    }

    fn is_current(&self) -> Result<bool> {
        let (len, identity) = file_state(&self.journal)?;
        let mark = self.mark()?;
        if mark.consumed != len || mark.identity != identity {
            return Ok(false);
        }
        Ok(tail_hash(&self.journal, mark.consumed)? == mark.tail)
    }

    /// Reads what the file gained since the index last read it. The caller
    /// holds the file's write lock, so the lines it reads are whole and in
    /// their final order.
    pub fn catch_up_locked(&mut self) -> Result<()> {
        let (len, identity) = file_state(&self.journal)?;
        let mut mark = self.mark()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let rewritten = mark.identity != identity
            || len < mark.consumed
            || tail_hash(&self.journal, mark.consumed)? != mark.tail;
        if rewritten && mark != Mark::default() {
            tx.execute_batch(
                "DELETE FROM records; DELETE FROM mentions; DELETE FROM purchases; DELETE FROM meta;",
            )?;
            mark = Mark::default();
        }
        if len == mark.consumed && !rewritten {
            return Ok(());
        }
        let mut bytes = Vec::new();
        if len > mark.consumed {
            let mut file = File::open(&self.journal)?;
            file.seek(SeekFrom::Start(mark.consumed))?;
            file.take(len - mark.consumed).read_to_end(&mut bytes)?;
        }
        let found = record::scan(&bytes, mark.consumed, mark.newlines);
        let mut fresh: HashMap<u64, Entry> = HashMap::new();
        let mut dirty: BTreeSet<String> = BTreeSet::new();
        {
            let mut insert_record = tx.prepare_cached(
                "INSERT OR REPLACE INTO records (offset, len, line, event, crid, order_id, at, damaged)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut insert_mention = tx.prepare_cached(
                "INSERT INTO mentions (order_id, offset, event, crid) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut insert_purchase = tx.prepare_cached(
                "INSERT OR IGNORE INTO purchases (crid, first_offset, intent_offset, order_id, unresolved, unfinished)
                 VALUES (?1, ?2, NULL, NULL, 0, 0)",
            )?;
            let mut set_intent = tx.prepare_cached(
                "UPDATE purchases SET intent_offset = ?2 WHERE crid = ?1 AND intent_offset IS NULL",
            )?;
            let mut of_order =
                tx.prepare_cached("SELECT crid FROM purchases WHERE order_id = ?1")?;
            for f in found {
                let offset = f.offset as i64;
                match f.item {
                    Item::Good(entry) => {
                        let crid = entry.client_request_id().map(str::to_string);
                        insert_record.execute(params![
                            offset,
                            f.len as i64,
                            f.line as i64,
                            entry.event_name(),
                            crid,
                            entry.order_id(),
                            Option::<String>::None,
                            0
                        ])?;
                        for order in entry.mentioned_orders() {
                            insert_mention.execute(params![
                                order,
                                offset,
                                entry.event_name(),
                                crid
                            ])?;
                        }
                        if let Some(crid) = &crid {
                            insert_purchase.execute(params![crid, offset])?;
                            if matches!(entry, Entry::Intent { .. })
                                && set_intent.execute(params![crid, offset])? > 0
                            {
                                mark.purchases += 1;
                            }
                            dirty.insert(crid.clone());
                        }
                        if let Entry::Status { order_id, .. } = &entry {
                            let owners = of_order
                                .query_map([order_id], |r| r.get::<_, String>(0))?
                                .collect::<rusqlite::Result<Vec<_>>>()?;
                            dirty.extend(owners);
                        }
                        fresh.insert(f.offset, entry);
                    }
                    Item::Damaged(d) => {
                        insert_record.execute(params![
                            offset,
                            f.len as i64,
                            f.line as i64,
                            d.event,
                            d.client_request_id,
                            d.order_id,
                            d.at,
                            1
                        ])?;
                    }
                }
            }
        }
        let mut file = File::open(&self.journal)?;
        let mut update = tx.prepare_cached(
            "UPDATE purchases SET order_id = ?2, unresolved = ?3, unfinished = ?4 WHERE crid = ?1",
        )?;
        for crid in &dirty {
            let (record, _) = load_purchase(&tx, &mut file, &fresh, crid)?;
            let (order, unresolved, unfinished) = match &record {
                Some(r) => (r.order_id.clone(), r.is_unresolved(), r.is_unfinished()),
                None => (None, false, false),
            };
            update.execute(params![crid, order, unresolved, unfinished])?;
        }
        drop(update);
        mark.newlines += bytes.iter().filter(|b| **b == b'\n').count() as u64;
        mark.consumed = len;
        mark.identity = identity;
        mark.tail = tail_hash(&self.journal, len)?;
        write_mark(&tx, &mark)?;
        tx.commit()?;
        Ok(())
    }

    fn mark(&self) -> Result<Mark> {
        let mut mark = Mark::default();
        let mut stmt = self.conn.prepare_cached("SELECT key, value FROM meta")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, rusqlite::types::Value>(1)?,
            ))
        })?;
        for row in rows {
            let (key, value) = row?;
            use rusqlite::types::Value;
            match (key.as_str(), value) {
                ("consumed", Value::Integer(n)) => mark.consumed = n as u64,
                ("newlines", Value::Integer(n)) => mark.newlines = n as u64,
                ("purchases", Value::Integer(n)) => mark.purchases = n as u64,
                ("identity", Value::Text(t)) => mark.identity = t,
                ("tail", Value::Text(t)) => mark.tail = t,
                _ => {}
            }
        }
        Ok(mark)
    }

    /// The purchase with this Client-Request-Id, read back from the file,
    /// and the damage found in its records on the way.
    pub fn purchase(&self, crid: &str) -> Result<(Option<PurchaseRecord>, Vec<DamagedRecord>)> {
        let mut file = File::open(&self.journal)?;
        load_purchase(&self.conn, &mut file, &HashMap::new(), crid)
    }

    fn purchases_where(&self, sql: &str, arg: Option<&str>) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(arg), |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn unresolved(&self) -> Result<Vec<PurchaseRecord>> {
        let crids = self.purchases_where(
            "SELECT crid FROM purchases WHERE unresolved = 1 ORDER BY intent_offset DESC",
            None,
        )?;
        self.read_all(&crids, PurchaseRecord::is_unresolved)
    }

    pub fn unfinished(&self) -> Result<Vec<PurchaseRecord>> {
        let crids = self.purchases_where(
            "SELECT crid FROM purchases WHERE unfinished = 1 ORDER BY intent_offset DESC",
            None,
        )?;
        self.read_all(&crids, PurchaseRecord::is_unfinished)
    }

    /// See [`super::Journal::hidden_unresolved`].
    pub fn hidden_unresolved(&self) -> Result<Vec<DamagedRecord>> {
        let mut hidden = Vec::new();
        // Damaged since they were indexed: flagged unresolved when last
        // read whole, and their intent no longer reads.
        let crids = self.purchases_where(
            "SELECT crid FROM purchases WHERE unresolved = 1 ORDER BY intent_offset DESC",
            None,
        )?;
        for crid in crids {
            let (record, damaged) = self.purchase(&crid)?;
            if record.is_some() {
                continue;
            }
            let mut intent = damaged
                .into_iter()
                .find(|d| d.event.as_deref().is_none_or(|e| e == "intent"))
                .unwrap_or_else(|| DamagedRecord {
                    place: "an intent".to_string(),
                    event: Some("intent".to_string()),
                    ..DamagedRecord::default()
                });
            intent.client_request_id = Some(crid);
            hidden.push(intent);
        }
        // Damaged when indexed: intents (or records whose kind cannot be
        // read) of a purchase no readable record shows or settles.
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.line, r.event, r.at, r.crid FROM records r
             WHERE r.damaged = 1 AND (r.event IS NULL OR r.event = 'intent')
               AND (r.crid IS NULL OR NOT EXISTS (
                   SELECT 1 FROM records s WHERE s.crid = r.crid AND s.damaged = 0
                   AND s.event IN ('intent', 'placed', 'claimed', 'rejected', 'nothing_placed')))
             ORDER BY r.offset DESC",
        )?;
        let found = stmt
            .query_map([], |r| {
                Ok(DamagedRecord {
                    place: format!("line {}", r.get::<_, i64>(0)?),
                    event: r.get(1)?,
                    at: r.get(2)?,
                    client_request_id: r.get(3)?,
                    order_id: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for d in found {
            let known = hidden.iter().any(|h: &DamagedRecord| {
                d.client_request_id.is_some() && h.client_request_id == d.client_request_id
            });
            if !known {
                hidden.push(d);
            }
        }
        Ok(hidden)
    }

    fn read_all(
        &self,
        crids: &[String],
        keep: fn(&PurchaseRecord) -> bool,
    ) -> Result<Vec<PurchaseRecord>> {
        let mut out = Vec::new();
        for crid in crids {
            if let (Some(record), _) = self.purchase(crid)?
                && keep(&record)
            {
                out.push(record);
            }
        }
        Ok(out)
    }

    pub fn purchase_of_order(&self, order_id: &str) -> Result<Option<PurchaseRecord>> {
        let crids = self.purchases_where(
            "SELECT crid FROM purchases WHERE order_id = ?1 ORDER BY intent_offset DESC",
            Some(order_id),
        )?;
        for crid in crids {
            if let (Some(record), _) = self.purchase(&crid)?
                && record.order_id.as_deref() == Some(order_id)
            {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    /// See [`super::orders_not_from`]; the dismissed orders of the purchase
    /// are included, as in [`super::Journal::orders_not_from`].
    pub fn orders_not_from(&self, crid: &str, candidates: &[String]) -> Result<HashSet<String>> {
        let first_send: i64 = self
            .conn
            .query_row(
                "SELECT intent_offset FROM purchases WHERE crid = ?1",
                [crid],
                |r| r.get::<_, Option<i64>>(0),
            )
            .optional()?
            .flatten()
            .unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(
            "SELECT 1 FROM mentions WHERE order_id = ?1 AND (
                 (offset < ?2 AND event IN ('placed', 'looked_up', 'status', 'payment', 'cancellation'))
                 OR (event = 'placed' AND crid IS NOT ?3)
                 OR (event = 'dismissed' AND crid = ?3)
             ) LIMIT 1",
        )?;
        let mut unrelated = HashSet::new();
        for candidate in candidates {
            if stmt.exists(params![candidate, first_send, crid])? {
                unrelated.insert(candidate.clone());
            }
        }
        Ok(unrelated)
    }

    /// The newest `limit` purchases, how many are left out, and the damage.
    pub fn recent(
        &self,
        limit: Option<usize>,
    ) -> Result<(Vec<PurchaseRecord>, usize, Vec<DamagedRecord>)> {
        let limit = limit.map_or(i64::MAX, |l| l.min(i64::MAX as usize) as i64);
        let mut stmt = self.conn.prepare_cached(
            "SELECT crid FROM purchases WHERE intent_offset IS NOT NULL
             ORDER BY intent_offset DESC LIMIT ?1",
        )?;
        let crids = stmt
            .query_map([limit], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut purchases = Vec::with_capacity(crids.len());
        let mut damaged = self.damaged()?;
        for crid in &crids {
            let (record, found) = self.purchase(crid)?;
            for d in found {
                if !damaged.iter().any(|k| k.place == d.place) {
                    damaged.push(d);
                }
            }
            if let Some(record) = record {
                purchases.push(record);
            }
        }
        let total = self.mark()?.purchases as usize;
        let more = total.saturating_sub(crids.len());
        Ok((purchases, more, damaged))
    }

    /// Every record the index found damaged, newest first, and every
    /// purchase none of whose intents can be read.
    pub fn damaged(&self) -> Result<Vec<DamagedRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT line, event, at, crid, order_id FROM records WHERE damaged = 1
             ORDER BY offset DESC",
        )?;
        let mut damaged = stmt
            .query_map([], |r| {
                Ok(DamagedRecord {
                    place: format!("line {}", r.get::<_, i64>(0)?),
                    event: r.get(1)?,
                    at: r.get(2)?,
                    client_request_id: r.get(3)?,
                    order_id: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut owner = self
            .conn
            .prepare_cached("SELECT crid FROM purchases WHERE order_id = ?1 LIMIT 1")?;
        for d in &mut damaged {
            if d.client_request_id.is_none()
                && let Some(order) = &d.order_id
            {
                d.client_request_id = owner
                    .query_row([order], |r| r.get::<_, String>(0))
                    .optional()?;
            }
        }
        let mut orphans = self.conn.prepare_cached(
            "SELECT p.crid, r.line, r.event, r.at,
                    (SELECT order_id FROM records WHERE crid = p.crid AND damaged = 0
                     AND event IN ('placed', 'claimed') LIMIT 1)
             FROM purchases p JOIN records r ON r.offset = p.first_offset
             WHERE p.intent_offset IS NULL ORDER BY p.first_offset DESC",
        )?;
        let orphans = orphans
            .query_map([], |r| {
                Ok(DamagedRecord {
                    place: format!("line {}", r.get::<_, i64>(1)?),
                    event: r.get(2)?,
                    at: r.get(3)?,
                    client_request_id: Some(r.get(0)?),
                    order_id: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        super::add_orphans(&mut damaged, orphans);
        Ok(damaged)
    }
}

/// Reads back the records of one purchase (and its order's statuses) and
/// folds them; records read in this catch-up come from `fresh`.
fn load_purchase(
    conn: &Connection,
    file: &mut File,
    fresh: &HashMap<u64, Entry>,
    crid: &str,
) -> Result<(Option<PurchaseRecord>, Vec<DamagedRecord>)> {
    let mut damaged = Vec::new();
    let mut entries: Vec<(u64, Entry)> = Vec::new();
    let mut by_crid = conn.prepare_cached(
        "SELECT offset, len, line FROM records WHERE crid = ?1 AND damaged = 0 ORDER BY offset",
    )?;
    let rows = by_crid
        .query_map([crid], row_place)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    read_into(file, fresh, &rows, &mut entries, &mut damaged)?;
    // Damage found now (after the index read the record whole) is told
    // with what the readable records of the purchase say.
    let placed = entries.iter().find_map(|(_, e)| match e {
        Entry::Placed { order_id, .. } | Entry::Claimed { order_id, .. } => Some(order_id.clone()),
        _ => None,
    });
    let first = fold_purchases(&entries.iter().map(|(_, e)| e.clone()).collect::<Vec<_>>());
    let order = first.first().and_then(|r| r.order_id.clone()).or(placed);
    let Some(order_id) = first.first().and_then(|r| r.order_id.clone()) else {
        complete(&mut damaged, crid, order.as_deref());
        return Ok((first.into_iter().next(), damaged));
    };
    let mut statuses = conn.prepare_cached(
        "SELECT offset, len, line FROM records WHERE order_id = ?1 AND event = 'status'
         AND damaged = 0 ORDER BY offset",
    )?;
    let rows = statuses
        .query_map([&order_id], row_place)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    read_into(file, fresh, &rows, &mut entries, &mut damaged)?;
    entries.sort_by_key(|(offset, _)| *offset);
    let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
    complete(&mut damaged, crid, Some(&order_id));
    Ok((fold_purchases(&entries).into_iter().next(), damaged))
}

fn complete(damaged: &mut [DamagedRecord], crid: &str, order_id: Option<&str>) {
    for d in damaged {
        if d.client_request_id.is_none() {
            d.client_request_id = Some(crid.to_string());
        }
        if d.order_id.is_none() {
            d.order_id = order_id.map(str::to_string);
        }
    }
}

fn row_place(r: &rusqlite::Row<'_>) -> rusqlite::Result<(u64, u64, u64)> {
    Ok((
        r.get::<_, i64>(0)? as u64,
        r.get::<_, i64>(1)? as u64,
        r.get::<_, i64>(2)? as u64,
    ))
}

fn read_into(
    file: &mut File,
    fresh: &HashMap<u64, Entry>,
    places: &[(u64, u64, u64)],
    entries: &mut Vec<(u64, Entry)>,
    damaged: &mut Vec<DamagedRecord>,
) -> Result<()> {
    for &(offset, len, line) in places {
        if let Some(entry) = fresh.get(&offset) {
            entries.push((offset, entry.clone()));
            continue;
        }
        let mut bytes = vec![0; len as usize];
        file.seek(SeekFrom::Start(offset))?;
        match file.read_exact(&mut bytes) {
            Ok(()) => {}
            // Shorter than when indexed: the file was cut since. Whatever
            // is left of it is read as damage.
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {}
            Err(e) => return Err(e.into()),
        }
        match record::decode(&bytes, line) {
            Item::Good(entry) => entries.push((offset, entry)),
            Item::Damaged(d) => damaged.push(d),
        }
    }
    Ok(())
}

fn write_mark(conn: &Connection, mark: &Mark) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
    stmt.execute(params!["consumed", mark.consumed as i64])?;
    stmt.execute(params!["newlines", mark.newlines as i64])?;
    stmt.execute(params!["purchases", mark.purchases as i64])?;
    stmt.execute(params!["identity", mark.identity])?;
    stmt.execute(params!["tail", mark.tail])?;
    Ok(())
}

/// The file's length and identity (device and inode where there are such).
fn file_state(path: &Path) -> io::Result<(u64, String)> {
    match std::fs::metadata(path) {
        Ok(meta) => {
            #[cfg(unix)]
            let identity = {
                use std::os::unix::fs::MetadataExt;
                format!("{}:{}", meta.dev(), meta.ino())
            };
            #[cfg(not(unix))]
            let identity = String::new();
            Ok((meta.len(), identity))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((0, String::new())),
        Err(e) => Err(e),
    }
}

/// A hash of the `TAIL` bytes before `end`.
fn tail_hash(path: &Path, end: u64) -> io::Result<String> {
    if end == 0 {
        return Ok(String::new());
    }
    let start = end.saturating_sub(TAIL);
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok("gone".into()),
        Err(e) => return Err(e),
    };
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity(TAIL as usize);
    file.take(end - start).read_to_end(&mut bytes)?;
    Ok(hex::encode(&Sha256::digest(&bytes)[..8]))
}
