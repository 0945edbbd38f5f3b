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
use std::sync::mpsc;
use std::time::Duration;

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
pub const SCHEMA_VERSION: i32 = 1;

/// `PRAGMA application_id`: marks the file as a claimcheck store ("clmc").
const APPLICATION_ID: i32 = 0x636c_6d63;

/// How long a command waits for another claimcheck holding the store.
const BUSY_TIMEOUT: Duration = Duration::from_secs(120);

/// Steps from an older schema: entry `i` upgrades version `i + 1` to `i + 2`. Empty while
/// there is only version 1.
const MIGRATIONS: &[&str] = &[];

const SCHEMA: &str = "
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,   -- canonical absolute path
    path          TEXT NOT NULL,          -- the path as given at the last sync
    identity      TEXT NOT NULL,          -- id, url or path: what claim ids are made from
    file_hash     TEXT NOT NULL,          -- SHA-256 of the file's bytes
    content_hash  TEXT NOT NULL,          -- SHA-256 of the body, white space folded
    meta          TEXT NOT NULL,          -- front matter as JSON
    lang          TEXT NOT NULL,
    date          TEXT,
    rules_version TEXT NOT NULL,          -- RuleSet::version that produced the claims
    extractor     TEXT NOT NULL,          -- the claimcheck build that produced them
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL
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
CREATE INDEX claims_id ON claims(id);
";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// A claim as stored: the public JSON plus the fields that JSON leaves out.
#[derive(Serialize, Deserialize)]
struct Stored {
    #[serde(flatten)]
    claim: Claim,
    #[serde(rename = "_doc_id")]
    doc_id: String,
    #[serde(rename = "_source")]
    source: String,
    #[serde(rename = "_content_hash")]
    content_hash: String,
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
}

/// What the store knows of a document before the sync.
struct Known {
    id: i64,
    path: String,
    file_hash: String,
    rules_version: String,
    extractor: String,
}

/// One file of the corpus.
struct Entry {
    path: PathBuf,
    display: String,
    key: String,
}

/// What the parallel phase found for a file.
enum Outcome {
    Unchanged,
    Extracted(Box<Document>, Vec<Claim>),
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
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(refuse(path, format!("cannot switch to WAL mode (journal mode is `{mode}`)")));
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL").map_err(err)?;
        if version < SCHEMA_VERSION {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
            // another process may have created or migrated it while we waited
            let (app, version) = header(&tx).map_err(err)?;
            check_header(path, app, version)?;
            if version == 0 {
                let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(err)?;
                if tables > 0 {
                    return Err(refuse(path, "not a claimcheck store: it holds tables but no claimcheck schema version".into()));
                }
                tx.execute_batch(SCHEMA).map_err(err)?;
            } else {
                for step in &MIGRATIONS[(version - 1) as usize..] {
                    tx.execute_batch(step).map_err(err)?;
                }
            }
            tx.execute_batch(&format!("PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION};")).map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            extractor: extractor_version(),
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
                return Ok(Synced { extraction, ..Synced::default() });
            }
        };
        let entries: Vec<Entry> = files
            .into_iter()
            .map(|p| Entry {
                display: p.to_string_lossy().into_owned(),
                key: key_of(&p),
                path: p,
            })
            .collect();
        let known = self.known()?;
        let mut stats = SyncStats::default();

        // Extraction runs on the pool while this thread writes each finished document, so a
        // killed sync keeps what it had finished.
        let cancel = AtomicBool::new(false);
        let extractor = self.extractor.clone();
        let mut outcomes: Vec<Option<Outcome>> = entries.iter().map(|_| None).collect();
        let mut write_error = None;
        let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
        std::thread::scope(|s| {
            let (entries, known, cancel, extractor) = (&entries, &known, &cancel, &extractor);
            s.spawn(move || {
                entries.par_iter().enumerate().for_each_with(tx, |tx, (i, e)| {
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let _ = tx.send((i, examine(e, known.get(&e.key), rules, extractor)));
                });
            });
            for (i, outcome) in rx {
                if let Outcome::Extracted(doc, claims) = &outcome {
                    if let Err(e) = self.write_doc(&entries[i], doc, claims, &rules.version) {
                        write_error = Some(e);
                        cancel.store(true, Ordering::Relaxed);
                        break;
                    }
                }
                outcomes[i] = Some(outcome);
            }
        });
        if let Some(e) = write_error {
            return Err(e);
        }

        // answer the unchanged from one consistent snapshot
        let mut seen = Vec::new();
        let mut slots: Vec<Option<Outcome>> = Vec::with_capacity(entries.len());
        let mut from_store: Vec<Option<Vec<Claim>>> = Vec::with_capacity(entries.len());
        {
            let read = self.conn.unchecked_transaction().map_err(|e| store_error(&self.path, e))?;
            for (e, outcome) in entries.iter().zip(outcomes) {
                let mut claims = None;
                if let Some(Outcome::Unchanged) = outcome {
                    let k = &known[&e.key];
                    claims = self.read_claims(k)?;
                    if claims.is_some() {
                        seen.push(k.id);
                    }
                }
                from_store.push(claims);
                slots.push(outcome);
            }
            read.commit().map_err(|e| store_error(&self.path, e))?;
        }
        let mut out = Extraction::default();
        for ((e, outcome), stored) in entries.iter().zip(slots).zip(from_store) {
            match (outcome, stored) {
                (_, Some(claims)) => {
                    stats.unchanged += 1;
                    out.claims.extend(claims);
                }
                // changed by another process since we looked: read it ourselves
                (Some(Outcome::Unchanged), None) => self.extract_now(e, rules, &mut out, &mut stats)?,
                (Some(Outcome::Extracted(doc, claims)), None) => {
                    stats.extracted += 1;
                    out.claims.extend(claims);
                    out.docs.push(*doc);
                }
                (Some(Outcome::Failed(d)), None) => {
                    stats.failed += 1;
                    out.errors.push(d);
                }
                (None, None) => {
                    return Err(Error::Store {
                        path: self.path.clone(),
                        message: format!("{}: extraction did not finish", e.display),
                    })
                }
            }
        }

        // files gone from a synced folder; documents synced from elsewhere are left alone
        let roots: Vec<PathBuf> = paths.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
        let present: HashSet<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        let gone: Vec<i64> = known
            .iter()
            .filter(|(k, _)| !present.contains(k.as_str()) && roots.iter().any(|r| Path::new(k).starts_with(r)))
            .filter(|(k, _)| !Path::new(k).exists())
            .map(|(_, v)| v.id)
            .collect();
        stats.removed = gone.len();
        if !gone.is_empty() || !seen.is_empty() {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| store_error(&self.path, e))?;
            {
                let mut del_claims = tx.prepare("DELETE FROM claims WHERE doc = ?1").map_err(|e| store_error(&self.path, e))?;
                let mut del_doc = tx.prepare("DELETE FROM documents WHERE id = ?1").map_err(|e| store_error(&self.path, e))?;
                for id in &gone {
                    del_claims.execute([id]).map_err(|e| store_error(&self.path, e))?;
                    del_doc.execute([id]).map_err(|e| store_error(&self.path, e))?;
                }
                let mut touch = tx.prepare(&format!("UPDATE documents SET last_seen = {NOW} WHERE id = ?1")).map_err(|e| store_error(&self.path, e))?;
                for id in &seen {
                    touch.execute([id]).map_err(|e| store_error(&self.path, e))?;
                }
            }
            tx.commit().map_err(|e| store_error(&self.path, e))?;
        }
        Ok(Synced { extraction: out, stats })
    }

    /// Loads, extracts and writes one document now (used when another process changed it
    /// between our look and our read).
    fn extract_now(&mut self, e: &Entry, rules: &RuleSet, out: &mut Extraction, stats: &mut SyncStats) -> Result<()> {
        match Document::load(&e.path, &rules.langs) {
            Ok(doc) => {
                let claims = extract_all(&doc, rules);
                self.write_doc(e, &doc, &claims, &rules.version)?;
                stats.extracted += 1;
                out.claims.extend(claims);
                out.docs.push(doc);
            }
            Err(d) => {
                stats.failed += 1;
                out.errors.push(d);
            }
        }
        Ok(())
    }

    /// Every document the store holds, by key.
    fn known(&self) -> Result<HashMap<String, Known>> {
        let err = |e| store_error(&self.path, e);
        let mut st = self.conn.prepare("SELECT key, id, path, file_hash, rules_version, extractor FROM documents").map_err(err)?;
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
                    },
                ))
            })
            .map_err(err)?;
        rows.collect::<rusqlite::Result<_>>().map_err(err)
    }

    /// The claims of a document, if its row is still the one we judged unchanged.
    fn read_claims(&self, k: &Known) -> Result<Option<Vec<Claim>>> {
        let err = |e| store_error(&self.path, e);
        let still: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM documents WHERE id = ?1 AND file_hash = ?2 AND rules_version = ?3 AND extractor = ?4 AND path = ?5")
            .map_err(err)?
            .query_row(params![k.id, k.file_hash, k.rules_version, k.extractor, k.path], |r| r.get(0))
            .optional()
            .map_err(err)?;
        if still.is_none() {
            return Ok(None);
        }
        let mut st = self.conn.prepare_cached("SELECT claim FROM claims WHERE doc = ?1 ORDER BY seq").map_err(err)?;
        let rows = st.query_map([k.id], |r| r.get::<_, String>(0)).map_err(err)?;
        let mut claims = Vec::new();
        for json in rows {
            claims.push(self.decode(&json.map_err(err)?)?);
        }
        Ok(Some(claims))
    }

    fn decode(&self, json: &str) -> Result<Claim> {
        let s: Stored = serde_json::from_str(json).map_err(|e| Error::Store {
            path: self.path.clone(),
            message: format!("a stored claim cannot be read ({e})"),
        })?;
        Ok(Claim {
            doc_id: s.doc_id,
            source: s.source,
            content_hash: s.content_hash,
            ..s.claim
        })
    }

    /// Replaces one document and its claims, in one transaction.
    fn write_doc(&mut self, e: &Entry, doc: &Document, claims: &[Claim], rules_version: &str) -> Result<()> {
        let path = self.path.clone();
        let err = |e| store_error(&path, e);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(err)?;
        let current: Option<(String, String, String, String)> = tx
            .prepare_cached("SELECT file_hash, rules_version, extractor, path FROM documents WHERE key = ?1")
            .map_err(err)?
            .query_row([&e.key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()
            .map_err(err)?;
        let same = (doc.file_hash.clone(), rules_version.to_string(), self.extractor.clone(), e.display.clone());
        if current.as_ref() == Some(&same) {
            // another process wrote exactly this while we extracted
            return tx.commit().map_err(err);
        }
        let meta = serde_json::to_string(&doc.meta).unwrap_or_else(|_| "null".into());
        let id: i64 = tx
            .prepare_cached(&format!(
                "INSERT INTO documents (key, path, identity, file_hash, content_hash, meta, lang, date, rules_version, extractor, first_seen, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, {NOW}, {NOW})
                 ON CONFLICT(key) DO UPDATE SET path = excluded.path, identity = excluded.identity,
                   file_hash = excluded.file_hash, content_hash = excluded.content_hash, meta = excluded.meta,
                   lang = excluded.lang, date = excluded.date, rules_version = excluded.rules_version,
                   extractor = excluded.extractor, last_seen = excluded.last_seen
                 RETURNING id"
            ))
            .map_err(err)?
            .query_row(
                params![e.key, e.display, doc.identity(), doc.file_hash, doc.content_hash, meta, doc.lang, doc.date.map(|d| d.to_string()), rules_version, self.extractor],
                |r| r.get(0),
            )
            .map_err(err)?;
        tx.prepare_cached("DELETE FROM claims WHERE doc = ?1").map_err(err)?.execute([id]).map_err(err)?;
        {
            let mut ins = tx
                .prepare_cached("INSERT INTO claims (doc, seq, id, kind, metric, event, subject, start, claim) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .map_err(err)?;
            for (seq, c) in claims.iter().enumerate() {
                let stored = Stored {
                    claim: c.clone(),
                    doc_id: c.doc_id.clone(),
                    source: c.source.clone(),
                    content_hash: c.content_hash.clone(),
                };
                let json = serde_json::to_string(&stored).map_err(|e| Error::Store {
                    path: path.clone(),
                    message: format!("a claim of {} cannot be stored ({e})", doc.path.display()),
                })?;
                ins.execute(params![id, seq as i64, c.id, c.kind, c.metric, c.event, c.subject, c.start as i64, json]).map_err(err)?;
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
                "SELECT c.claim FROM claims c JOIN documents d ON d.id = c.doc
                 WHERE (?1 IS NULL OR c.metric = ?1) AND (?2 IS NULL OR c.event = ?2)
                   AND (?3 IS NULL OR d.path = ?3 OR d.key = ?4)
                 ORDER BY d.path, c.seq",
            )
            .map_err(err)?;
        let rows = st.query_map(params![q.metric, q.event, doc_path, doc_key], |r| r.get::<_, String>(0)).map_err(err)?;
        let mut out = Vec::new();
        for json in rows {
            out.push(self.decode(&json.map_err(err)?)?);
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
    let bytes = match std::fs::read(&e.path) {
        Ok(b) => b,
        Err(err) => return Outcome::Failed(Diagnostic::new(&e.path, format!("cannot read: {err}"))),
    };
    if let Some(k) = known {
        let current = k.rules_version == rules.version && k.extractor == extractor && k.path == e.display;
        if current && k.file_hash == hex(&Sha256::digest(&bytes)) {
            return Outcome::Unchanged;
        }
    }
    match Document::parse(&e.path, bytes, &rules.langs) {
        Ok(doc) => {
            let claims = extract_all(&doc, rules);
            Outcome::Extracted(Box::new(doc), claims)
        }
        Err(d) => Outcome::Failed(d),
    }
}

/// The store's key for a file: its canonical path, so that `corpus/a.txt` and `./corpus/a.txt`
/// are one document.
fn key_of(p: &Path) -> String {
    std::fs::canonicalize(p)
        .or_else(|_| std::env::current_dir().map(|d| d.join(p)))
        .unwrap_or_else(|_| p.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// The claimcheck build, as far as extraction goes: a rebuilt binary may extract differently,
/// so its claims are not reused. The executable's size and modification time stand for it.
fn extractor_version() -> String {
    let stamp = std::env::current_exe().and_then(std::fs::metadata).ok().map(|m| {
        let t = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        format!("{}-{t}", m.len())
    });
    format!("{} {}", env!("CARGO_PKG_VERSION"), stamp.unwrap_or_default())
}

fn header(conn: &Connection) -> rusqlite::Result<(i32, i32)> {
    let app = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok((app, version))
}

fn check_header(path: &Path, app: i32, version: i32) -> Result<()> {
    if app != 0 && app != APPLICATION_ID {
        return Err(refuse(path, format!("not a claimcheck store (application id {app:#x})")));
    }
    if version > SCHEMA_VERSION {
        return Err(refuse(
            path,
            format!("written by a newer claimcheck (schema version {version}; this one reads version {SCHEMA_VERSION})"),
        ));
    }
    if version > 0 && version < SCHEMA_VERSION && MIGRATIONS.len() < (SCHEMA_VERSION - version) as usize {
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
        Some(ErrorCode::NotADatabase) => "not a claimcheck store (the file is not an SQLite database)".to_string(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            format!("another claimcheck held the store for more than {} s", BUSY_TIMEOUT.as_secs())
        }
        Some(ErrorCode::DatabaseCorrupt) => format!("the store is damaged ({e})"),
        _ => e.to_string(),
    };
    Error::Store {
        path: path.to_path_buf(),
        message,
    }
}
