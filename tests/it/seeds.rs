//! The seed corpus, read as a careful fact-checker reads it (the expectations of the seed gold,
//! written here in the project's own terms so a clone without ../shared still checks them).

use serde_json::Value;

use crate::support::run_in_repo;

fn claims() -> Vec<Value> {
    let r = run_in_repo(&["extract", "--format", "jsonl", "corpus"]);
    r.ok();
    r.jsonl()
}

/// The claim whose text is `text` in document `doc` (by file-name prefix): an exact match
/// first, else one whose text contains it.
fn find<'a>(cs: &'a [Value], doc: &str, text: &str) -> Option<&'a Value> {
    let in_doc = |c: &&Value| {
        c["doc"]
            .as_str()
            .is_some_and(|d| d.rsplit('/').next().unwrap_or(d).starts_with(doc))
    };
    cs.iter()
        .filter(in_doc)
        .find(|c| c["text"] == text)
        .or_else(|| {
            cs.iter()
                .filter(in_doc)
                .find(|c| c["text"].as_str().is_some_and(|t| t.contains(text)))
        })
}

#[track_caller]
fn expect(
    cs: &[Value],
    doc: &str,
    text: &str,
    metric: &str,
    lo: Option<f64>,
    hi: Option<f64>,
    qualifier: &str,
) {
    let c = find(cs, doc, text).unwrap_or_else(|| panic!("no claim `{text}` in {doc}: {cs:#?}"));
    assert_eq!(c["metric"], metric, "{c:#?}");
    assert_eq!(c["lo"].as_f64(), lo, "{c:#?}");
    assert_eq!(c["hi"].as_f64(), hi, "{c:#?}");
    assert_eq!(c["qualifier"], qualifier, "{c:#?}");
}

#[test]
fn every_required_seed_claim_is_found_with_its_interval() {
    let cs = claims();
    expect(
        &cs,
        "000",
        "quasi 100mila",
        "crossings",
        Some(90000.0),
        Some(100000.0),
        "nearly",
    );
    expect(
        &cs,
        "000",
        "300.000",
        "reservists",
        Some(300000.0),
        Some(300000.0),
        "exact",
    );
    expect(
        &cs,
        "002",
        "4400",
        "arrests",
        Some(4400.0),
        Some(4400.0),
        "exact",
    );
    expect(&cs, "002", "40", "deaths", Some(40.0), Some(40.0), "exact");
    expect(&cs, "002", "18", "deaths", Some(18.0), Some(18.0), "exact");
    expect(
        &cs,
        "002",
        "centinaia",
        "deaths",
        Some(100.0),
        Some(999.0),
        "vague",
    );
    expect(
        &cs,
        "004",
        "2.000",
        "troops",
        Some(2000.0),
        Some(2000.0),
        "exact",
    );
    expect(
        &cs,
        "004",
        "almeno 164",
        "deaths",
        Some(164.0),
        None,
        "at_least",
    );
    expect(
        &cs,
        "004",
        "centinaia",
        "injured",
        Some(100.0),
        Some(999.0),
        "vague",
    );
    expect(
        &cs,
        "004",
        "più di 10.000",
        "arrests",
        Some(10000.0),
        None,
        "more_than",
    );
    let f18 = find(&cs, "002", "18").unwrap();
    assert_eq!(f18["subject"], "security_forces");
    assert_eq!(f18["hedged"], true);
    let crossings: Vec<_> = cs.iter().filter(|c| c["metric"] == "crossings").collect();
    assert_eq!(crossings.len(), 4, "{crossings:#?}");
    assert!(crossings.iter().all(|c| c["event"] == "ru-exodus-2022-09"));
}

#[test]
fn numbers_that_are_not_counts_never_become_claims() {
    let cs = claims();
    for (doc, text) in [
        ("001", "38"),
        ("002", "24"),
        ("002", "15"),
        ("002", "quattro"),
        ("003", "10"),
        ("003", "2022"),
        ("000", "2022"),
    ] {
        assert!(
            find(&cs, doc, text).is_none(),
            "`{text}` in {doc} became a claim"
        );
    }
    // nothing comes from the inline date header
    assert!(cs
        .iter()
        .all(|c| c["start"].as_u64().unwrap() > 12 || !c["doc"].as_str().unwrap().contains("000")));
}

#[test]
fn byte_offsets_point_at_the_expression_in_the_original_file() {
    for c in claims() {
        let bytes = std::fs::read(crate::support::repo().join(c["doc"].as_str().unwrap())).unwrap();
        let (s, e) = (
            c["start"].as_u64().unwrap() as usize,
            c["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&bytes[s..e]).unwrap(),
            c["text"].as_str().unwrap()
        );
    }
}

fn conflict_between(report: &Value, a: &str, b: &str) -> bool {
    let claims = report["claims"].as_array().unwrap();
    let text = |id: &Value| {
        claims
            .iter()
            .find(|c| &c["id"] == id)
            .map(|c| c["text"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    report["conflicts"].as_array().unwrap().iter().any(|k| {
        let (x, y) = (text(&k["a"]), text(&k["b"]));
        (x.contains(a) && y.contains(b)) || (x.contains(b) && y.contains(a))
    })
}

#[test]
fn seed_verdicts() {
    let r = run_in_repo(&["report", "--format", "json", "corpus"]);
    r.ok();
    let rep = r.json();
    assert_eq!(rep["version"], 1);
    assert!(conflict_between(&rep, "40", "almeno 164"));
    assert!(conflict_between(&rep, "40", "centinaia"));
    assert!(conflict_between(&rep, "4400", "più di 10.000"));
    assert!(!conflict_between(&rep, "almeno 164", "centinaia"));
    assert!(!conflict_between(&rep, "18", "40"));
    assert!(!conflict_between(
        &rep,
        "quasi 100mila",
        "decine di migliaia"
    ));
    assert!(!conflict_between(&rep, "quasi 100mila", "migliaia"));
    assert!(!conflict_between(&rep, "quasi 100mila", "4400"));
    for k in rep["conflicts"].as_array().unwrap() {
        assert_eq!(k["kind"], "contradiction");
        assert!(k["severity"].as_f64().unwrap() >= 1.0);
    }
}

#[test]
fn claim_and_conflict_ids_are_stable_across_runs() {
    let a = run_in_repo(&["report", "--format", "json", "corpus"]).json();
    let b = run_in_repo(&["report", "--format", "json", "corpus"]).json();
    assert_eq!(a["conflicts"], b["conflicts"]);
    let ids = |v: &Value| {
        v["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
}
