//! The claim store: an SQLite file that remembers every document read and the claims it gave,
//! so that a growing archive is extracted article by article instead of all over again.
//!
//! [`Store::sync`] brings the store in line with a corpus: new or changed files (by file hash)
//! are extracted, files gone from a synced folder are dropped, unchanged ones are answered from
//! the store, and a change of rules (or of the claimcheck build) re-extracts. Each document is
//! written in its own `BEGIN IMMEDIATE` transaction in WAL mode, so a killed sync leaves every
//! document as before or as after it, and two processes on one store wait for each other.
//! The schema is versioned with `PRAGMA user_version`; a store of another version is migrated
//! or refused, never misread. `docs/store.md` describes it for users.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::claim::Claim;
use crate::document::{collect_paths, hex, Document};
use crate::engine::{extract_all, Extraction};
use crate::error::{Diagnostic, Error, Result};
use crate::rule::RuleSet;

/// The schema this build reads and writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 2;

/// `PRAGMA application_id`: marks the file as a claimcheck store ("clmc").
const APPLICATION_ID: i32 = 0x636c_6d63;

/// The most documents one transaction writes, and the longest a finished document waits
/// for others to share its transaction.
const BATCH: usize = 256;
const BATCH_WAIT: Duration = Duration::from_millis(100);

/// How long a command waits for another claimcheck holding the store.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// Steps from an older schema: entry `i` upgrades version `i + 1` to `i + 2`.
const MIGRATIONS: &[&str] = &[
    // 1 -> 2: file size and time, to skip unchanged files without reading them; last_seen
    // becomes a day; claims are stored in another JSON shape, so they are dropped and the
    // documents marked for extraction at the next sync
    "ALTER TABLE documents ADD COLUMN size INTEGER NOT NULL DEFAULT -1;
     ALTER TABLE documents ADD COLUMN mtime INTEGER NOT NULL DEFAULT -1;
     ALTER TABLE documents ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;
     UPDATE documents SET last_seen = substr(last_seen, 1, 10), rules_version = 'migrated';
     DELETE FROM claims;
     DROP INDEX IF EXISTS claims_id;",
];

/// A file whose time is this close to when it was checked may change again within the same
/// tick of the file system's clock: it is read and hashed rather than trusted (nanoseconds).
const RACY: i64 = 2_000_000_000;

const SCHEMA: &str = "
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,   -- canonical absolute path
    path          TEXT NOT NULL,          -- the path as given at the last sync
    identity      TEXT NOT NULL,          -- id, url or path: what claim ids are made from
    file_hash     TEXT NOT NULL,          -- SHA-256 of the file's bytes
    size          INTEGER NOT NULL,       -- file size in bytes when hashed
    mtime         INTEGER NOT NULL,       -- file modification time (ns) when hashed
    checked       INTEGER NOT NULL,       -- when it was hashed (ns)
    content_hash  TEXT NOT NULL,          -- SHA-256 of the body, white space folded
    meta          TEXT NOT NULL,          -- front matter as JSON
    lang          TEXT NOT NULL,
    date          TEXT,
    rules_version TEXT NOT NULL,          -- RuleSet::version that produced the claims
    extractor     TEXT NOT NULL,          -- the claimcheck build that produced them
    first_seen    TEXT NOT NULL,          -- first synced (UTC date and time)
    last_seen     TEXT NOT NULL           -- last day a sync found it (UTC date)
);
CREATE TABLE claims (
    doc     INTEGER NOT NULL REFERENCES documents(id),
    seq     INTEGER NOT NULL,             -- position among the document's claims
    id      TEXT NOT NULL,
    kind    TEXT NOT NULL,
    metric  TEXT NOT NULL,
    event   TEXT,
    subject TEXT,
    start   INTEGER NOT NULL,
    claim   TEXT NOT NULL,                -- the whole claim as JSON, provenance included
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE INDEX claims_metric ON claims(metric);
CREATE INDEX claims_event ON claims(event);
";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
const TODAY: &str = "date('now')";

/// A claim as stored: the public JSON plus the fields that JSON leaves out.
#[derive(Deserialize)]
struct Stored {
    claim: Claim,
    doc_id: String,
    source: String,
    content_hash: String,
}

/// [`Stored`], for writing.
#[derive(Serialize)]
struct StoredRef<'a> {
    claim: &'a Claim,
    doc_id: &'a str,
    source: &'a str,
    content_hash: &'a str,
}

/// What a sync did, document by document.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SyncStats {
    /// Documents read and extracted (new, changed, or made by other rules).
    pub extracted: usize,
    /// Documents answered from the store.
    pub unchanged: usize,
    /// Documents dropped because their file is gone from a synced folder.
    pub removed: usize,
    /// Files that could not be read; what the store held for them is kept.
    pub failed: usize,
}

/// The result of a sync: the same [`Extraction`] a run without the store gives, except that
/// `docs` holds only the documents read in this run.
#[derive(Debug, Default)]
pub struct Synced {
    pub extraction: Extraction,
    pub stats: SyncStats,
}

/// Filters for [`Store::query`]; `None` matches everything.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub metric: Option<String>,
    pub event: Option<String>,
    /// A document, by the path it was synced with or by its file.
    pub doc: Option<PathBuf>,
}

/// A document row, for tests and tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRow {
    pub key: String,
    pub path: String,
    pub file_hash: String,
    pub rules_version: String,
    pub claims: usize,
}

/// An open claim store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    extractor: String,
    /// The UTC date, as SQLite writes `last_seen`.
    today: String,
}

/// What the store knows of a document before the sync.
struct Known {
    id: i64,
    path: String,
    file_hash: String,
    rules_version: String,
    extractor: String,
    stat: Stat,
    last_seen: String,
}

/// What the file system says of a file, to skip reading it when nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: i64,
    mtime: i64,
    /// When this was taken (ns since the epoch).
    checked: i64,
}

impl Stat {
    fn of(m: &std::fs::Metadata) -> Stat {
        let ns = |t: std::time::SystemTime| {
            t.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as i64)
        };
        Stat {
            size: m.len() as i64,
            mtime: m.modified().map_or(-1, ns),
            checked: ns(std::time::SystemTime::now()),
        }
    }

    /// Whether a file that was hashed as `self` and now looks like `now` is surely the same:
    /// same size and time, and that time well before the hash was taken.
    fn vouches_for(&self, now: &Stat) -> bool {
        self.size == now.size
            && self.mtime == now.mtime
            && self.mtime >= 0
            && self.mtime + RACY < self.checked
    }
}

/// One file of the corpus.
struct Entry {
    path: PathBuf,
    display: String,
    key: String,
}

impl Known {
    fn same(&self, other: &Known) -> bool {
        (
            &self.path,
            &self.file_hash,
            &self.rules_version,
            &self.extractor,
        ) == (
            &other.path,
            &other.file_hash,
            &other.rules_version,
            &other.extractor,
        )
    }
}

/// What the parallel phase found for a file.
enum Outcome {
    /// The store's copy stands; with a new [`Stat`] to record when the file was touched but
    /// its bytes are the same.
    Unchanged(Option<Stat>),
    Extracted(Box<Document>, Vec<Claim>, Stat),
    Failed(Diagnostic),
}

impl Store {
    /// Opens (or creates) the store at `path`, creating its folder. A file that is not a
    /// claimcheck store, or one of a schema this build cannot read, is refused.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let err = |e: rusqlite::Error| store_error(path, e);
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        let (app, version) = header(&conn).map_err(err)?;
        check_header(path, app, version)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(refuse(
                path,
                format!("cannot switch to WAL mode (journal mode is `{mode}`)"),
            ));
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL")
            .map_err(err)?;
        if version < SCHEMA_VERSION {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            // another process may have created or migrated it while we waited
            let (app, version) = header(&tx).map_err(err)?;
            check_header(path, app, version)?;
            if version == 0 {
                let tables: i64 = tx
                    .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                    .map_err(err)?;
                if tables > 0 {
                    return Err(refuse(
                        path,
                        "not a claimcheck store: it holds tables but no claimcheck schema version"
                            .into(),
                    ));
                }
                tx.execute_batch(SCHEMA).map_err(err)?;
            } else {
                for step in &MIGRATIONS[(version - 1) as usize..] {
                    tx.execute_batch(step).map_err(err)?;
                }
            }
            tx.execute_batch(&format!(
                "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};"
            ))
            .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        let today = conn
            .query_row(&format!("SELECT {TODAY}"), [], |r| r.get(0))
            .map_err(err)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            extractor: extractor_version(),
            today,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Brings the store in line with the articles under `paths` and returns their claims, in
    /// the order and with the ids a run without the store gives. Articles that fail to load
    /// are in the extraction's errors and keep what the store held for them.
    pub fn sync(&mut self, paths: &[PathBuf], rules: &RuleSet) -> Result<Synced> {
        let files = match collect_paths(paths) {
            Ok(f) => f,
            Err(d) => {
                let extraction = Extraction {
                    errors: vec![d],
                    ..Extraction::default()
                };
                return Ok(Synced {
                    extraction,
                    ..Synced::default()
                });
            }
        };
        let roots: Vec<(&PathBuf, PathBuf)> = paths.iter().map(|p| (p, canonical(p))).collect();
        let entries: Vec<Entry> = files
            .into_iter()
            .map(|p| Entry {
                display: p.to_string_lossy().into_owned(),
                key: key_under(&p, &roots),
                path: p,
            })
            .collect();
        let (known, version) = self.known()?;
        let outcomes = self.extract_and_write(&entries, &known, rules)?;
        let mut stored = self.stored_claims(&entries, &known, version, &outcomes)?;

        let mut stats = SyncStats::default();
        let mut out = Extraction::default();
        let mut touched = Vec::new();
        let mut restat = Vec::new();
        for ((e, outcome), from_store) in entries.iter().zip(outcomes).zip(stored.iter_mut()) {
            match (outcome, from_store.take()) {
                (outcome, Some(claims)) => {
                    stats.unchanged += 1;
                    let k = &known[&e.key];
                    if let Outcome::Unchanged(Some(stat)) = outcome {
                        restat.push((k.id, stat));
                    }
                    if k.last_seen != self.today {
                        touched.push(k.id);
                    }
                    out.claims.extend(claims);
                }
                // changed by another process since we looked: read it ourselves
                (Outcome::Unchanged(_), None) => {
                    let loaded = std::fs::metadata(&e.path)
                        .map_err(|err| Diagnostic::new(&e.path, format!("cannot read: {err}")))
                        .and_then(|m| Ok((Stat::of(&m), Document::load(&e.path, &rules.langs)?)));
                    match loaded {
                        Ok((stat, doc)) => {
                            let claims = extract_all(&doc, rules);
                            self.write_docs(&[(e, &doc, &claims, stat)], &rules.version)?;
                            stats.extracted += 1;
                            out.claims.extend(claims);
                            out.docs.push(doc);
                        }
                        Err(d) => {
                            stats.failed += 1;
                            out.errors.push(d);
                        }
                    }
                }
                (Outcome::Extracted(doc, claims, _), None) => {
                    stats.extracted += 1;
                    out.claims.extend(claims);
                    out.docs.push(*doc);
                }
                (Outcome::Failed(d), None) => {
                    stats.failed += 1;
                    out.errors.push(d);
                }
            }
        }

        // files gone from a synced folder; documents synced from elsewhere are left alone
        let present: HashSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        let gone: Vec<i64> = known
            .iter()
            .filter(|(k, _)| {
                !present.contains(k.as_str())
                    && roots.iter().any(|(_, r)| Path::new(k).starts_with(r))
            })
            .filter(|(k, _)| !Path::new(k).exists())
            .map(|(_, v)| v.id)
            .collect();
        stats.removed = gone.len();
        // one small write at most: a sync with nothing new writes nothing more than once a day
        if !gone.is_empty() || !touched.is_empty() || !restat.is_empty() {
            let path = self.path.clone();
            let err = |e| store_error(&path, e);
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let ids = |v: &[i64]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
            tx.execute(
                "DELETE FROM claims WHERE doc IN (SELECT value FROM json_each(?1))",
                [ids(&gone)],
            )
            .map_err(err)?;
            tx.execute(
                "DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?1))",
                [ids(&gone)],
            )
            .map_err(err)?;
            tx.execute(&format!("UPDATE documents SET last_seen = {TODAY} WHERE id IN (SELECT value FROM json_each(?1))"), [ids(&touched)])
                .map_err(err)?;
            {
                let mut st = tx
                    .prepare(
                        "UPDATE documents SET size = ?2, mtime = ?3, checked = ?4 WHERE id = ?1",
                    )
                    .map_err(err)?;
                for (id, stat) in &restat {
                    st.execute(params![id, stat.size, stat.mtime, stat.checked])
                        .map_err(err)?;
                }
            }
            tx.commit().map_err(err)?;
        }
        Ok(Synced {
            extraction: out,
            stats,
        })
    }

    /// Reads every file on the thread pool, extracting those the store does not hold as they
    /// are; this thread writes the extracted documents as they come, so a killed sync keeps
    /// what it had finished. Each document lies whole in one transaction; the documents that
    /// finish close together share it (at most [`BATCH`], or what [`BATCH_WAIT`] brings).
    fn extract_and_write(
        &mut self,
        entries: &[Entry],
        known: &HashMap<String, Known>,
        rules: &RuleSet,
    ) -> Result<Vec<Outcome>> {
        let cancel = AtomicBool::new(false);
        let extractor = self.extractor.clone();
        let mut outcomes: Vec<Option<Outcome>> = entries.iter().map(|_| None).collect();
        let mut result = Ok(());
        let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
        std::thread::scope(|s| {
            let (cancel, extractor) = (&cancel, &extractor);
            s.spawn(move || {
                entries
                    .par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, e)| {
                        if !cancel.load(Ordering::Relaxed) {
                            let _ = tx.send((i, examine(e, known.get(&e.key), rules, extractor)));
                        }
                    });
            });
            let mut pending: Vec<(usize, Outcome)> = Vec::new();
            let mut since = Instant::now();
            let mut open = true;
            while open || !pending.is_empty() {
                if open {
                    let got = if pending.is_empty() {
                        rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    } else {
                        rx.recv_timeout(BATCH_WAIT.saturating_sub(since.elapsed()))
                    };
                    match got {
                        Ok(x) => {
                            if pending.is_empty() {
                                since = Instant::now();
                            }
                            pending.push(x);
                        }
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => open = false,
                    }
                }
                if open && pending.len() < BATCH && since.elapsed() < BATCH_WAIT {
                    continue;
                }
                let batch: Vec<(&Entry, &Document, &[Claim], Stat)> = pending
                    .iter()
                    .filter_map(|(i, o)| match o {
                        Outcome::Extracted(d, c, stat) => {
                            Some((&entries[*i], &**d, c.as_slice(), *stat))
                        }
                        _ => None,
                    })
                    .collect();
                if let Err(e) = self.write_docs(&batch, &rules.version) {
                    result = Err(e);
                    cancel.store(true, Ordering::Relaxed);
                    break;
                }
                for (i, o) in pending.drain(..) {
                    outcomes[i] = Some(o);
                }
            }
        });
        result?;
        outcomes
            .into_iter()
            .zip(entries)
            .map(|(o, e)| {
                o.ok_or_else(|| Error::Store {
                    path: self.path.clone(),
                    message: format!("{}: extraction did not finish", e.display),
                })
            })
            .collect()
    }

    /// The stored claims of the documents judged unchanged, read from one snapshot; `None`
    /// where another process changed the document since [`Self::known`] looked, or where
    /// its rows cannot be read.
    fn stored_claims(
        &self,
        entries: &[Entry],
        known: &HashMap<String, Known>,
        version: i64,
        outcomes: &[Outcome],
    ) -> Result<Vec<Option<Vec<Claim>>>> {
        let err = |e| store_error(&self.path, e);
        let wanted: HashMap<i64, usize> = entries
            .iter()
            .zip(outcomes)
            .enumerate()
            .filter(|(_, (_, o))| matches!(o, Outcome::Unchanged(_)))
            .map(|(i, (e, _))| (known[&e.key].id, i))
            .collect();
        let mut raw: Vec<Option<Vec<String>>> = entries.iter().map(|_| None).collect();
        if !wanted.is_empty() {
            let read = self.conn.unchecked_transaction().map_err(err)?;
            // only another process can have changed what we judged unchanged
            let (now, now_version) = self.known_in_transaction()?;
            for (&id, &i) in &wanted {
                let before = &known[&entries[i].key];
                if now_version == version
                    || now
                        .get(&entries[i].key)
                        .is_some_and(|k| k.id == id && k.same(before))
                {
                    raw[i] = Some(Vec::new());
                }
            }
            let mut take = |doc: i64, json: String| {
                if let Some(Some(v)) = wanted.get(&doc).map(|&i| raw[i].as_mut()) {
                    v.push(json);
                }
            };
            // a few documents: look each up; many: one pass over the table
            if wanted.len() < 200 {
                let mut st = self
                    .conn
                    .prepare_cached("SELECT claim FROM claims WHERE doc = ?1 ORDER BY seq")
                    .map_err(err)?;
                for &id in wanted.keys() {
                    for json in st.query_map([id], |r| r.get::<_, String>(0)).map_err(err)? {
                        take(id, json.map_err(err)?);
                    }
                }
            } else {
                let mut st = self
                    .conn
                    .prepare("SELECT doc, claim FROM claims ORDER BY doc, seq")
                    .map_err(err)?;
                let mut rows = st.query([]).map_err(err)?;
                while let Some(r) = rows.next().map_err(err)? {
                    take(r.get(0).map_err(err)?, r.get(1).map_err(err)?);
                }
            }
            read.commit().map_err(err)?;
        }
        // a row this build cannot read (say, written by an older claimcheck still running
        // when the store was migrated) sends its document back to extraction
        let path = self.path.as_path();
        Ok(raw
            .into_par_iter()
            .map(|r| {
                r.and_then(|v| {
                    v.iter()
                        .map(|json| Self::decode(path, json))
                        .collect::<Result<Vec<Claim>>>()
                        .ok()
                })
            })
            .collect())
    }

    /// Every document the store holds, by key, and `PRAGMA data_version` of the same
    /// snapshot: it moves when another connection commits.
    fn known(&self) -> Result<(HashMap<String, Known>, i64)> {
        let read = self
            .conn
            .unchecked_transaction()
            .map_err(|e| store_error(&self.path, e))?;
        let known = self.known_in_transaction()?;
        read.commit().map_err(|e| store_error(&self.path, e))?;
        Ok(known)
    }

    fn known_in_transaction(&self) -> Result<(HashMap<String, Known>, i64)> {
        let err = |e| store_error(&self.path, e);
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(err)?;
        let mut st = self
            .conn
            .prepare_cached("SELECT key, id, path, file_hash, rules_version, extractor, size, mtime, checked, last_seen FROM documents")
            .map_err(err)?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Known {
                        id: r.get(1)?,
                        path: r.get(2)?,
                        file_hash: r.get(3)?,
                        rules_version: r.get(4)?,
                        extractor: r.get(5)?,
                        stat: Stat {
                            size: r.get(6)?,
                            mtime: r.get(7)?,
                            checked: r.get(8)?,
                        },
                        last_seen: r.get(9)?,
                    },
                ))
            })
            .map_err(err)?;
        let known = rows.collect::<rusqlite::Result<_>>().map_err(err)?;
        Ok((known, version))
    }

    fn decode(path: &Path, json: &str) -> Result<Claim> {
        let s: Stored = serde_json::from_str(json).map_err(|e| Error::Store {
            path: path.to_path_buf(),
            message: format!("a stored claim cannot be read ({e})"),
        })?;
        Ok(Claim {
            doc_id: s.doc_id,
            source: s.source,
            content_hash: s.content_hash,
            ..s.claim
        })
    }

    /// Replaces documents and their claims, in one transaction. A document another process
    /// has just written the same way is left as it is.
    fn write_docs(
        &mut self,
        docs: &[(&Entry, &Document, &[Claim], Stat)],
        rules_version: &str,
    ) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |e| store_error(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        // another claimcheck may have migrated the store since we opened it
        let (_, version) = header(&tx).map_err(err)?;
        if version != SCHEMA_VERSION {
            return Err(refuse(
                &path,
                format!("the store changed to schema version {version} while this claimcheck (version {SCHEMA_VERSION}) was writing; run it again"),
            ));
        }
        for &(e, doc, claims, stat) in docs {
            let current: Option<(String, String, String, String)> = tx
                .prepare_cached("SELECT file_hash, rules_version, extractor, path FROM documents WHERE key = ?1")
                .map_err(err)?
                .query_row([&e.key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()
                .map_err(err)?;
            let same = (
                doc.file_hash.clone(),
                rules_version.to_string(),
                self.extractor.clone(),
                e.display.clone(),
            );
            if current.as_ref() == Some(&same) {
                continue;
            }
            let meta = serde_json::to_string(&doc.meta).unwrap_or_else(|_| "null".into());
            let id: i64 = tx
                .prepare_cached(&format!(
                    "INSERT INTO documents (key, path, identity, file_hash, content_hash, meta, lang, date, rules_version, extractor,
                                            size, mtime, checked, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, {NOW}, {TODAY})
                     ON CONFLICT(key) DO UPDATE SET path = excluded.path, identity = excluded.identity,
                       file_hash = excluded.file_hash, content_hash = excluded.content_hash, meta = excluded.meta,
                       size = excluded.size, mtime = excluded.mtime, checked = excluded.checked,
                       lang = excluded.lang, date = excluded.date, rules_version = excluded.rules_version,
                       extractor = excluded.extractor, last_seen = excluded.last_seen
                     RETURNING id"
                ))
                .map_err(err)?
                .query_row(
                    params![
                        e.key,
                        e.display,
                        doc.identity(),
                        doc.file_hash,
                        doc.content_hash,
                        meta,
                        doc.lang,
                        doc.date.map(|d| d.to_string()),
                        rules_version,
                        self.extractor,
                        stat.size,
                        stat.mtime,
                        stat.checked
                    ],
                    |r| r.get(0),
                )
                .map_err(err)?;
            tx.prepare_cached("DELETE FROM claims WHERE doc = ?1")
                .map_err(err)?
                .execute([id])
                .map_err(err)?;
            let mut ins = tx
                .prepare_cached("INSERT INTO claims (doc, seq, id, kind, metric, event, subject, start, claim) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .map_err(err)?;
            for (seq, c) in claims.iter().enumerate() {
                let stored = StoredRef {
                    claim: c,
                    doc_id: &c.doc_id,
                    source: &c.source,
                    content_hash: &c.content_hash,
                };
                let json = serde_json::to_string(&stored).map_err(|e| Error::Store {
                    path: path.clone(),
                    message: format!("a claim of {} cannot be stored ({e})", doc.path.display()),
                })?;
                ins.execute(params![
                    id,
                    seq as i64,
                    c.id,
                    c.kind,
                    c.metric,
                    c.event,
                    c.subject,
                    c.start as i64,
                    json
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// The stored claims matching `q`, by document path and then position in the document.
    pub fn query(&self, q: &Query) -> Result<Vec<Claim>> {
        let err = |e| store_error(&self.path, e);
        let (doc_path, doc_key) = match &q.doc {
            Some(p) => (Some(p.to_string_lossy().into_owned()), Some(key_of(p))),
            None => (None, None),
        };
        let mut st = self
            .conn
            .prepare(
                "SELECT c.claim, d.path FROM claims c JOIN documents d ON d.id = c.doc
                 WHERE (?1 IS NULL OR c.metric = ?1) AND (?2 IS NULL OR c.event = ?2)
                   AND (?3 IS NULL OR d.path = ?3 OR d.key = ?4)
                 ORDER BY d.path, c.seq",
            )
            .map_err(err)?;
        let rows = st
            .query_map(params![q.metric, q.event, doc_path, doc_key], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(err)?;
        let mut out = Vec::new();
        for row in rows {
            let (json, doc) = row.map_err(err)?;
            out.push(Self::decode(&self.path, &json).map_err(|e| match e {
                Error::Store { path, message } => Error::Store {
                    path,
                    message: format!(
                        "{doc}: {message}; sync it again (`claimcheck extract {doc}`)"
                    ),
                },
                other => other,
            })?);
        }
        Ok(out)
    }

    /// Every document row, by path.
    pub fn documents(&self) -> Result<Vec<DocRow>> {
        let err = |e| store_error(&self.path, e);
        let mut st = self
            .conn
            .prepare("SELECT d.key, d.path, d.file_hash, d.rules_version, (SELECT count(*) FROM claims c WHERE c.doc = d.id) FROM documents d ORDER BY d.path")
            .map_err(err)?;
        let rows = st
            .query_map([], |r| {
                Ok(DocRow {
                    key: r.get(0)?,
                    path: r.get(1)?,
                    file_hash: r.get(2)?,
                    rules_version: r.get(3)?,
                    claims: r.get::<_, i64>(4)? as usize,
                })
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)
    }
}

/// Reads a file and decides whether the store's copy still stands; extracts it when not.
fn examine(e: &Entry, known: Option<&Known>, rules: &RuleSet, extractor: &str) -> Outcome {
    let cannot_read = |err: std::io::Error| {
        Outcome::Failed(Diagnostic::new(&e.path, format!("cannot read: {err}")))
    };
    // the time before the bytes: a change after this look shows at the next one
    let stat = match std::fs::metadata(&e.path) {
        Ok(m) => Stat::of(&m),
        Err(err) => return cannot_read(err),
    };
    let known = known.filter(|k| {
        k.rules_version == rules.version && k.extractor == extractor && k.path == e.display
    });
    if known.is_some_and(|k| k.stat.vouches_for(&stat)) {
        return Outcome::Unchanged(None);
    }
    let bytes = match std::fs::read(&e.path) {
        Ok(b) => b,
        Err(err) => return cannot_read(err),
    };
    if known.is_some_and(|k| k.file_hash == hex(&Sha256::digest(&bytes))) {
        return Outcome::Unchanged(Some(stat));
    }
    match Document::parse(&e.path, bytes, &rules.langs) {
        Ok(doc) => {
            let claims = extract_all(&doc, rules);
            Outcome::Extracted(Box::new(doc), claims, stat)
        }
        Err(d) => Outcome::Failed(d),
    }
}

/// The store's key for a file: its canonical path, so that `corpus/a.txt` and `./corpus/a.txt`
/// are one document.
fn key_of(p: &Path) -> String {
    canonical(p).to_string_lossy().into_owned()
}

fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p)
        .or_else(|_| std::env::current_dir().map(|d| d.join(p)))
        .unwrap_or_else(|_| p.to_path_buf())
}

/// [`key_of`] for a file found under one of `roots` (given, canonical): the walk follows no
/// links, so the canonical root and the rest of the path make the key without asking the
/// file system for each file.
fn key_under(p: &Path, roots: &[(&PathBuf, PathBuf)]) -> String {
    roots
        .iter()
        .find_map(|(given, canon)| {
            p.strip_prefix(given)
                .ok()
                .filter(|rest| !rest.as_os_str().is_empty())
                .map(|rest| canon.join(rest))
        })
        .map_or_else(|| key_of(p), |k| k.to_string_lossy().into_owned())
}

/// The claimcheck build, as far as extraction goes: a rebuilt binary may extract differently,
/// so its claims are not reused. The executable's size and modification time stand for it.
fn extractor_version() -> String {
    let stamp = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{t}", m.len())
        });
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        stamp.unwrap_or_default()
    )
}

fn header(conn: &Connection) -> rusqlite::Result<(i32, i32)> {
    let app = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok((app, version))
}

fn check_header(path: &Path, app: i32, version: i32) -> Result<()> {
    if app != 0 && app != APPLICATION_ID {
        return Err(refuse(
            path,
            format!("not a claimcheck store (application id {app:#x})"),
        ));
    }
    if version > SCHEMA_VERSION {
        return Err(refuse(
            path,
            format!("written by a newer claimcheck (schema version {version}; this one reads version {SCHEMA_VERSION})"),
        ));
    }
    if version > 0
        && version < SCHEMA_VERSION
        && MIGRATIONS.len() < (SCHEMA_VERSION - version) as usize
    {
        return Err(refuse(path, format!("schema version {version} is too old to migrate (this claimcheck reads version {SCHEMA_VERSION})")));
    }
    Ok(())
}

fn refuse(path: &Path, message: String) -> Error {
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}

fn store_error(path: &Path, e: rusqlite::Error) -> Error {
    let message = match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            "not a claimcheck store (the file is not an SQLite database)".to_string()
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!(
                "another claimcheck held the store for more than {} s",
                BUSY_TIMEOUT.as_secs()
            )
        }
        Some(ErrorCode::DatabaseCorrupt) => format!("the store is damaged ({e})"),
        _ => e.to_string(),
    };
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}
