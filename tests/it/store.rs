//! The claim store: sync semantics, the `claims` command, refusing stores it cannot read, and
//! fault safety (a killed sync, two syncs at once).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use claimcheck::claim::Claim;
use claimcheck::rule::RuleSet;
use claimcheck::store::{Store, SyncStats};

use crate::support::{repo, Project};

/// A small generated article; `i` varies the figures, the language and the event.
fn article(i: usize) -> (String, String) {
    let day = 2 + i % 9;
    let text = if i.is_multiple_of(2) {
        format!(
            "---\ntitle: Scontri {i}\noutlet: Agenzia {o}\ndate: 2022-01-{day:02}\nlang: it\n---\n\
             Almeno {d} persone sono morte negli scontri di ieri ad Almaty, secondo il ministero dell'Interno. \
             La polizia ha arrestato {a} manifestanti durante la notte.\n\n\
             Le proteste in Kazakistan sono iniziate per il prezzo del gas. Circa {f} feriti sono stati portati in ospedale.\n",
            o = i % 17,
            d = 10 + i % 50,
            a = 100 + i,
            f = 50 + i % 300
        )
    } else {
        format!(
            "---\ntitle: Russians flee {i}\noutlet: Wire {o}\ndate: 2022-09-{d2:02}\nlang: en\n---\n\
             More than {c} Russians have crossed the border into Kazakhstan since the mobilisation of reservists \
             was announced, officials said. Putin wants 300,000 reservists.\n",
            o = i % 13,
            d2 = 20 + day,
            c = 1000 * (10 + i % 90)
        )
    };
    (format!("corpus/{:02}/{i:05}.md", i % 20), text)
}

fn generate(p: &Project, range: std::ops::Range<usize>) {
    for i in range {
        let (rel, text) = article(i);
        p.write(&rel, &text);
    }
}

fn rules() -> RuleSet {
    RuleSet::load(&repo().join("claims")).expect("shipped rules load")
}

/// Syncs through the library, from inside the project (paths relative to it, as the CLI has
/// them), and checks the answer equals extracting without the store, hidden fields included.
#[track_caller]
fn sync_matches_fresh(p: &Project, store: &Path, rules: &RuleSet) -> SyncStats {
    let corpus = p.path().join("corpus");
    let fresh = claimcheck::engine::run(std::slice::from_ref(&corpus), rules);
    let synced = Store::open(store)
        .expect("open")
        .sync(&[corpus], rules)
        .expect("sync");
    assert_eq!(synced.extraction.errors, fresh.errors);
    assert_same(&synced.extraction.claims, &fresh.claims);
    synced.stats
}

#[track_caller]
fn assert_same(got: &[Claim], want: &[Claim]) {
    assert_eq!(got.len(), want.len(), "number of claims");
    // PartialEq covers the fields the JSON leaves out (doc_id, source, content_hash) too
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g, w);
    }
}

fn stats(extracted: usize, unchanged: usize, removed: usize, failed: usize) -> SyncStats {
    SyncStats {
        extracted,
        unchanged,
        removed,
        failed,
    }
}

#[test]
fn second_sync_answers_from_the_store_with_identical_claims() {
    let p = Project::with_seeds();
    let rules = rules();
    let store = p.path().join("s.db");
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(5, 0, 0, 0));
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(0, 5, 0, 0));
}

#[test]
fn changed_added_and_removed_articles_are_followed() {
    let p = Project::new();
    generate(&p, 0..40);
    let rules = rules();
    let store = p.path().join("s.db");
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(40, 0, 0, 0));
    let (changed, text) = article(4);
    p.write(&changed, &format!("{text}\nAltre notizie seguiranno.\n"));
    // same size, written within the file system clock's tick of the sync: still seen
    let (same_size, text) = article(6);
    p.write(&same_size, &text.replace("Almeno", "ALMENO"));
    generate(&p, 40..42);
    std::fs::remove_file(p.path().join(article(7).0)).expect("remove");
    std::fs::remove_dir_all(p.path().join("corpus/19")).expect("remove folder");
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(4, 35, 3, 0));
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(0, 39, 0, 0));
    // touched but the same bytes: answered from the store
    let (touched, text) = article(8);
    p.write(&touched, &text);
    assert_eq!(sync_matches_fresh(&p, &store, &rules), stats(0, 39, 0, 0));
    let docs = Store::open(&store)
        .expect("open")
        .documents()
        .expect("documents");
    assert_eq!(docs.len(), 39);
}

#[test]
fn syncing_one_folder_leaves_documents_of_another_alone() {
    let p = Project::new();
    generate(&p, 0..10);
    let rules = rules();
    let store = p.path().join("s.db");
    let a = p.path().join("corpus/01");
    let b = p.path().join("corpus/02");
    let mut s = Store::open(&store).expect("open");
    assert_eq!(
        s.sync(&[a.clone(), b], &rules).expect("sync").stats,
        stats(2, 0, 0, 0)
    );
    assert_eq!(s.sync(&[a], &rules).expect("sync").stats, stats(0, 1, 0, 0));
    assert_eq!(s.documents().expect("documents").len(), 2);
}

#[test]
fn a_change_of_rules_re_extracts() {
    let p = Project::with_seeds();
    let rules_dir = p.path().join("rules");
    copy_dir(&repo().join("claims"), &rules_dir);
    let store = p.path().join("s.db");
    let before = RuleSet::load(&rules_dir).expect("rules");
    assert_eq!(sync_matches_fresh(&p, &store, &before), stats(5, 0, 0, 0));
    let events = rules_dir.join("events.yaml");
    let file = if events.is_file() {
        events
    } else {
        RuleSet::files(&rules_dir).expect("files").remove(0)
    };
    let text = std::fs::read_to_string(&file).expect("read rule file");
    std::fs::write(&file, format!("{text}\n# edited\n")).expect("write");
    let after = RuleSet::load(&rules_dir).expect("rules");
    assert_ne!(before.version, after.version);
    assert_eq!(sync_matches_fresh(&p, &store, &after), stats(5, 0, 0, 0));
    let docs = Store::open(&store)
        .expect("open")
        .documents()
        .expect("documents");
    assert!(
        docs.iter().all(|d| d.rules_version == after.version),
        "{docs:?}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

#[test]
fn an_unreadable_article_is_reported_and_the_store_keeps_what_it_had() {
    let p = Project::new();
    generate(&p, 0..6);
    p.run(&["extract"]).ok();
    let (bad, _) = article(2);
    std::fs::write(
        p.path().join(&bad),
        b"---\nlang: it\n---\nMorti: \xff\xfe 12\n",
    )
    .expect("write");
    let r = p.run(&["extract"]);
    r.code(2);
    assert!(
        r.stderr.contains(&format!("{bad}:4:")) && r.stderr.contains("not valid UTF-8"),
        "{}",
        r.stderr
    );
    let docs: Vec<String> = r
        .jsonl()
        .iter()
        .map(|c| c["doc"].as_str().expect("doc").to_string())
        .collect();
    assert!(!docs.contains(&bad) && docs.len() > 10, "{docs:?}");
    // the claims read before the file went bad are still in the store
    let kept = p.run(&["claims", "--no-sync", "--doc", &bad]);
    kept.ok();
    assert_eq!(kept.jsonl().len(), 3, "{}", kept.stdout);
}

#[test]
fn claims_are_filtered_by_metric_event_and_document() {
    let p = Project::new();
    generate(&p, 0..8);
    let all = p.run(&["claims"]);
    all.ok();
    assert_eq!(
        all.stdout,
        p.run(&["extract"]).stdout,
        "claims and extract agree"
    );
    let deaths = p.run(&["claims", "--metric", "deaths"]);
    let deaths = deaths.ok().jsonl();
    assert_eq!(deaths.len(), 4);
    assert!(deaths.iter().all(|c| c["metric"] == "deaths"));
    let exodus = p
        .run(&["claims", "--event", "ru-exodus-2022-09"])
        .ok()
        .jsonl();
    assert!(
        exodus.len() >= 4 && exodus.iter().all(|c| c["event"] == "ru-exodus-2022-09"),
        "{exodus:?}"
    );
    let (one, _) = article(4);
    let doc = p.run(&["claims", "--doc", &one]).ok().jsonl();
    assert!(!doc.is_empty() && doc.iter().all(|c| c["doc"] == one.as_str()));
    let by_file = p
        .run(&[
            "claims",
            "--doc",
            &p.path().join(&one).display().to_string(),
        ])
        .ok()
        .jsonl();
    assert_eq!(doc, by_file);
    let csv = p.run(&["claims", "--metric", "deaths", "--format", "csv"]);
    assert_eq!(csv.ok().stdout.lines().count(), 5, "{}", csv.stdout);
    let r = p.run(&["claims", "--metric", "deads"]);
    r.code(2);
    assert!(r.stderr.contains("no metric `deads`"), "{}", r.stderr);
}

#[test]
fn the_store_option_and_the_config_choose_the_file() {
    let p = Project::with_seeds();
    p.run(&["extract", "--store", "other/s.db"]).ok();
    assert!(p.path().join("other/s.db").is_file());
    assert!(!p.path().join(".claimcheck/store.db").exists());
    p.run(&["report"]).ok();
    assert!(p.path().join(".claimcheck/store.db").is_file());
}

#[test]
fn a_store_of_a_newer_schema_is_refused() {
    let p = Project::with_seeds();
    p.run(&["extract"]).ok();
    let db = p.path().join(".claimcheck/store.db");
    rusqlite::Connection::open(&db)
        .expect("open")
        .execute_batch("PRAGMA user_version = 99")
        .expect("pragma");
    let r = p.run(&["claims"]);
    r.code(2);
    assert!(r.stderr.contains("store .claimcheck/store.db: written by a newer claimcheck (schema version 99; this one reads version 2)"), "{}", r.stderr);
    assert!(
        r.stderr.contains("hint: the store is a cache"),
        "{}",
        r.stderr
    );
    // commands that only need claims still answer, extracting without the store, and say why
    let r = p.run(&["extract"]);
    r.code(2);
    assert!(r.jsonl().len() > 5);
    assert!(
        r.stderr
            .contains("error: .claimcheck/store.db: written by a newer claimcheck"),
        "{}",
        r.stderr
    );
}

/// The first schema, as claimcheck 0.1 wrote it before the file times were kept.
const SCHEMA_V1: &str = "
CREATE TABLE documents (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, path TEXT NOT NULL, identity TEXT NOT NULL,
    file_hash TEXT NOT NULL, content_hash TEXT NOT NULL, meta TEXT NOT NULL, lang TEXT NOT NULL, date TEXT,
    rules_version TEXT NOT NULL, extractor TEXT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL);
CREATE TABLE claims (doc INTEGER NOT NULL REFERENCES documents(id), seq INTEGER NOT NULL, id TEXT NOT NULL,
    kind TEXT NOT NULL, metric TEXT NOT NULL, event TEXT, subject TEXT, start INTEGER NOT NULL, claim TEXT NOT NULL,
    PRIMARY KEY (doc, seq)) WITHOUT ROWID;
CREATE INDEX claims_metric ON claims(metric);
CREATE INDEX claims_event ON claims(event);
CREATE INDEX claims_id ON claims(id);
PRAGMA application_id = 1668050275;
PRAGMA user_version = 1;
";

#[test]
fn a_store_of_the_first_schema_is_migrated() {
    let p = Project::with_seeds();
    let db = p.path().join(".claimcheck/store.db");
    std::fs::create_dir_all(db.parent().expect("folder")).expect("mkdir");
    let c = rusqlite::Connection::open(&db).expect("open");
    c.execute_batch(SCHEMA_V1).expect("v1 schema");
    let key =
        std::fs::canonicalize(p.path().join("corpus/000_84bdd1d308c083bc.txt")).expect("canonical");
    c.execute(
        "INSERT INTO documents VALUES (1, ?1, 'corpus/000_84bdd1d308c083bc.txt', 'x', 'h', 'c', '{}', 'it', NULL, 'r', 'e', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
        [key.to_string_lossy()],
    )
    .expect("document");
    c.execute("INSERT INTO claims VALUES (1, 0, 'a', 'count', 'deaths', NULL, NULL, 0, '{\"_doc_id\": \"old shape\"}')", []).expect("claim");
    drop(c);
    let r = p.run(&["extract"]);
    r.ok();
    assert_eq!(r.stdout, fresh(&p));
    let c = rusqlite::Connection::open(&db).expect("open");
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, i64::from(claimcheck::store::SCHEMA_VERSION));
    let first_seen: String = c
        .query_row("SELECT first_seen FROM documents WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("kept");
    assert_eq!(
        first_seen, "2024-01-01T00:00:00Z",
        "the document row is migrated, not replaced"
    );
    integrity(&db);
}

#[test]
fn a_file_that_is_not_a_claimcheck_store_is_refused() {
    let p = Project::with_seeds();
    let notes =
        "just some text that is certainly not an SQLite database, long enough to have a header";
    p.write("notes.db", notes);
    let r = p.run(&["claims", "--store", "notes.db"]);
    r.code(2);
    assert!(
        r.stderr.contains(
            "store notes.db: not a claimcheck store (the file is not an SQLite database)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(p.read("notes.db"), notes, "left as it was");

    let other = p.path().join("other.db");
    rusqlite::Connection::open(&other)
        .expect("open")
        .execute_batch("CREATE TABLE t (x)")
        .expect("create");
    let r = p.run(&["claims", "--store", "other.db"]);
    r.code(2);
    assert!(
        r.stderr
            .contains("not a claimcheck store: it holds tables but no claimcheck schema version"),
        "{}",
        r.stderr
    );
}

// --- faults ------------------------------------------------------------------------------

fn claimcheck(p: &Project, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_claimcheck"));
    c.args(args)
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn stored_documents(db: &Path) -> usize {
    let open =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY);
    open.and_then(|c| c.query_row("SELECT count(*) FROM documents", [], |r| r.get::<_, i64>(0)))
        .map_or(0, |n| n as usize)
}

fn integrity(db: &Path) {
    let c = rusqlite::Connection::open(db).expect("open");
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity_check");
    assert_eq!(ok, "ok");
    // every document has exactly its claims: none orphaned, none half-written
    let orphans: i64 = c
        .query_row(
            "SELECT count(*) FROM claims WHERE doc NOT IN (SELECT id FROM documents)",
            [],
            |r| r.get(0),
        )
        .expect("orphans");
    assert_eq!(orphans, 0);
}

/// What a fresh extraction without any earlier store prints.
fn fresh(p: &Project) -> String {
    let out = claimcheck(p, &["extract", "--store", "fresh.db"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn a_sync_killed_midway_is_finished_by_the_next_run() {
    let p = Project::new();
    generate(&p, 0..3000);
    let db = p.path().join(".claimcheck/store.db");
    let mut child = claimcheck(&p, &["extract"])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    // kill once some documents are in, while the sync is still going
    while stored_documents(&db) < 20 && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    let finished_first = child.try_wait().expect("try_wait").is_some();
    let _ = child.kill();
    child.wait().expect("wait");
    integrity(&db);
    let partial = stored_documents(&db);
    assert!(
        finished_first || (partial > 0 && partial < 3000),
        "killed with {partial} documents stored"
    );

    let out = claimcheck(&p, &["extract"]).output().expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).expect("utf-8"), fresh(&p));
    assert_eq!(stored_documents(&db), 3000);
    integrity(&db);
}

#[test]
fn two_syncs_at_once_wait_for_each_other() {
    let p = Project::new();
    generate(&p, 0..600);
    let a = claimcheck(&p, &["extract"]).spawn().expect("spawn");
    let b = claimcheck(&p, &["report", "--format", "json"])
        .spawn()
        .expect("spawn");
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let want = fresh(&p);
    assert_eq!(String::from_utf8(a.stdout).expect("utf-8"), want);
    let report: serde_json::Value = serde_json::from_slice(&b.stdout).expect("json");
    let lines: Vec<serde_json::Value> = want
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(
        report["claims"].as_array().expect("claims").len(),
        lines.len()
    );
    let db = p.path().join(".claimcheck/store.db");
    integrity(&db);
    assert_eq!(stored_documents(&db), 600);
    // and once more, with both finding everything unchanged
    let again = claimcheck(&p, &["extract"]).output().expect("run");
    assert_eq!(String::from_utf8(again.stdout).expect("utf-8"), want);
}
