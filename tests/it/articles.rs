//! Unseen-style articles in six languages, read against the claims a careful reader finds in
//! them: count claims in tests/fixtures/articles/<lang>/ (`expected.yaml` beside the articles)
//! and factual claims in tests/fixtures/facts/<lang>/ (`expected-facts.yaml`). Recall and
//! precision must both reach 0.9 in every language, for counts and for facts.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::support::{repo, run_in_repo};

const LANGS: &[&str] = &["it", "en", "de", "fr", "es", "ru"];
const MIN: f64 = 0.9;

/// One expected claim: `text` is a fragment of the number expression as written; the interval
/// is `lo`/`hi` (null = unbounded), or `value` for figures whose width depends on the qualifier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    doc: String,
    metric: String,
    text: String,
    #[serde(default)]
    lo: Option<f64>,
    #[serde(default)]
    hi: Option<f64>,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    qualifier: Option<String>,
    /// For facts: the canonical entity the value must resolve to.
    #[serde(default)]
    entity: Option<String>,
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-6 * x.abs().max(y.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

fn file_name(c: &Value) -> &str {
    let d = c["doc"].as_str().unwrap_or("");
    Path::new(d)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(d)
}

fn fits(c: &Value, e: &Expected) -> bool {
    let text = c["text"].as_str().unwrap_or("");
    let interval = c["kind"] == "fact"
        || match e.value {
            Some(v) => close(c["value"].as_f64(), Some(v)),
            None => close(c["lo"].as_f64(), e.lo) && close(c["hi"].as_f64(), e.hi),
        };
    file_name(c) == e.doc
        && c["metric"] == e.metric.as_str()
        && (text.contains(&e.text) || e.text.contains(text))
        && interval
        && e.qualifier.as_deref().is_none_or(|q| c["qualifier"] == q)
        && e.entity.as_deref().is_none_or(|x| c["entity"] == x)
}

fn brief(c: &Value) -> String {
    format!(
        "{} {} «{}» {}..{} ({}) | {}",
        file_name(c),
        c["metric"],
        c["text"].as_str().unwrap_or(""),
        c["lo"],
        c["hi"],
        c["qualifier"],
        c["sentence"]
    )
}

/// (recall, precision, report) for one language's claims of one kind (`count` or `fact`).
fn score(lang: &str, kind: &str) -> (f64, f64, String) {
    let (dir, file) = match kind {
        "count" => (format!("tests/fixtures/articles/{lang}"), "expected.yaml"),
        _ => (
            format!("tests/fixtures/facts/{lang}"),
            "expected-facts.yaml",
        ),
    };
    let yaml = std::fs::read_to_string(repo().join(&dir).join(file)).expect(file);
    let expected: Vec<Expected> = serde_yaml::from_str(&yaml).expect("a list of expected claims");
    let run = run_in_repo(&["extract", "--format", "jsonl", &dir]);
    run.ok();
    let claims: Vec<Value> = run
        .jsonl()
        .into_iter()
        .filter(|c| c["kind"] == kind)
        .collect();
    let mut used = vec![false; claims.len()];
    let mut report = String::new();
    let mut hits = 0;
    for e in &expected {
        match claims
            .iter()
            .enumerate()
            .find(|(i, c)| !used[*i] && fits(c, e))
        {
            Some((i, _)) => {
                used[i] = true;
                hits += 1;
            }
            None => report.push_str(&format!("  missing {e:?}\n")),
        }
    }
    for (c, _) in claims.iter().zip(&used).filter(|(_, u)| !**u) {
        report.push_str(&format!("  extra   {}\n", brief(c)));
    }
    let recall = if expected.is_empty() {
        1.0
    } else {
        hits as f64 / expected.len() as f64
    };
    let precision = if claims.is_empty() {
        1.0
    } else {
        hits as f64 / claims.len() as f64
    };
    let head = format!("{lang} {kind}s: recall {recall:.3} precision {precision:.3} ({hits} of {} expected, {} extracted)\n", expected.len(), claims.len());
    (recall, precision, head + &report)
}

fn six_languages_reach_nine_tenths(kind: &str) {
    let mut failed = Vec::new();
    let mut all = String::new();
    for lang in LANGS {
        let (r, p, report) = score(lang, kind);
        all.push_str(&report);
        if r < MIN || p < MIN {
            failed.push(*lang);
        }
    }
    assert!(failed.is_empty(), "below {MIN} in {failed:?}:\n{all}");
}

#[test]
fn count_claims_in_six_languages_reach_recall_and_precision_of_nine_tenths() {
    six_languages_reach_nine_tenths("count");
}

#[test]
fn fact_claims_in_six_languages_reach_recall_and_precision_of_nine_tenths() {
    six_languages_reach_nine_tenths("fact");
}
