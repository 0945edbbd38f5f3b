//! `check` and `baseline` as a CI job uses them: a newsroom repository with a baseline, a new
//! article that contradicts the archive, acknowledgements that expire, `--since`, and the CI
//! output formats (SARIF validated against the official 2.1.0 schema).

use std::process::Command;

use serde_json::Value;

use crate::support::{repo, Project};

/// An Italian article, dated within the unrest, that puts the arrests at 2,000 on line 8.
const NEW_ARTICLE: &str = "---
id: kz-arresti-2022-01-12
title: Kazakistan, il bilancio degli scontri
date: 2022-01-12
lang: it
---
Le autorità del Kazakistan hanno reso noto il bilancio della rivolta di gennaio.
Secondo il ministero dell'Interno, dopo gli scontri sono 2.000 le persone arrestate
nel Paese, mentre le proteste per il prezzo del gas si sono spente.
";
const NEW: &str = "corpus/zz_kz_arresti.md";

fn git(p: &Project, args: &[&str]) -> String {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(p.path())
        .output()
        .expect("git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The seed corpus in a git repository, everything committed.
fn repository() -> Project {
    let p = Project::with_seeds();
    git(&p, &["init", "-q"]);
    git(&p, &["add", "."]);
    git(&p, &["commit", "-q", "-m", "seed corpus"]);
    p
}

/// Re-wraps every paragraph of an article to lines of at most `width` characters.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut col = 0;
        for (i, w) in line.split(' ').enumerate() {
            let n = w.chars().count();
            if i > 0 && col + 1 + n > width {
                out.push('\n');
                col = 0;
            } else if i > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(w);
            col += n;
        }
        out.push('\n');
    }
    out
}

fn check_json(p: &Project, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = p.run(&all);
    assert!(
        r.code == 0 || r.code == 1,
        "exit {}\n{}\n{}",
        r.code,
        r.stdout,
        r.stderr
    );
    (r.code, r.json())
}

/// How many conflicts the seed corpus has on its own (the rules grow; the tests do not care).
fn seed_conflicts(p: &Project) -> usize {
    let r = p.run(&["report", "--format", "json"]);
    r.json()["conflicts"].as_array().expect("conflicts").len()
}

/// (fingerprint, status, fails) of every finding.
fn statuses(v: &Value) -> Vec<(String, String, bool)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["fails"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    let mut ids: Vec<String> = statuses(v).into_iter().map(|s| s.0).collect();
    ids.sort();
    ids
}

/// The baseline with `expires: DATE` added to the entries of `ids`.
fn with_expiry(baseline: &str, ids: &[String], date: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in baseline.lines() {
        if line.starts_with("- id: ") {
            inside = ids.iter().any(|id| line.ends_with(id.as_str()));
        }
        if inside && line.trim_start().starts_with("expires:") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if inside && line.trim_start().starts_with("acknowledged_by:") {
            out.push_str(&format!("  expires: {date}\n"));
        }
    }
    out
}

#[test]
fn new_contradiction_fails_until_acknowledged_and_again_once_expired() {
    let p = repository();
    let n = seed_conflicts(&p);
    assert!(
        n >= 3,
        "the seed corpus has its arrests and deaths conflicts"
    );
    // the seed corpus's own conflicts: acknowledged once, then the job passes
    p.run(&["check"]).code(1);
    let r = p.run(&[
        "baseline",
        "--reason",
        "seed corpus, reviewed",
        "--by",
        "desk",
    ]);
    r.ok();
    assert!(
        r.stdout
            .contains(&format!("{n} acknowledged conflicts ({n} added")),
        "{}",
        r.stdout
    );
    let r = p.run(&["check"]);
    r.ok();
    assert!(
        r.stdout
            .contains(&format!("check passed: 0 new conflicts · {n} acknowledged")),
        "{}",
        r.stdout
    );
    let seeded = p.read("baseline.yaml");
    p.run(&["baseline"]).ok();
    assert_eq!(
        p.read("baseline.yaml"),
        seeded,
        "a second baseline run changes nothing"
    );

    // re-wrapping an old article and editing an unrelated paragraph keep every fingerprint
    let (_, before) = check_json(&p, &[]);
    let old = p.read("corpus/002_b314ff539c307a88.txt");
    p.write("corpus/002_b314ff539c307a88.txt", &rewrap(&old, 72));
    let other = p.read("corpus/004_52a7b11c330feae9.txt");
    p.write(
        "corpus/004_52a7b11c330feae9.txt",
        &format!("Una nota della redazione, senza cifre.\n\n{other}"),
    );
    let (code, after) = check_json(&p, &[]);
    assert_eq!(code, 0, "{after:#}");
    assert_eq!(ids(&after), ids(&before));
    assert_ne!(
        after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["b_line"].clone())
            .collect::<Vec<_>>(),
        before["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["b_line"].clone())
            .collect::<Vec<_>>(),
        "the edits did move the claims"
    );

    // a new article contradicting the arrests figure fails the job and names file and line
    p.write(NEW, NEW_ARTICLE);
    let r = p.run(&["check"]);
    r.code(1);
    assert!(
        r.stdout.contains(&format!("{NEW}:8  2,000")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("check FAILED: 2 new conflicts · {n} acknowledged")),
        "{}",
        r.stdout
    );
    let r = p.run(&["check", "--format", "github"]);
    r.code(1);
    assert!(r.stdout.contains(&format!("::error file={NEW},line=8,title=claimcheck%3A new contradiction::arrests in kz-unrest-2022-01: new contradiction: 2,000 here vs 4,400 in corpus/002_b314ff539c307a88.txt:")), "{}", r.stdout);
    let (_, v) = check_json(&p, &[]);
    let new: Vec<String> = statuses(&v)
        .into_iter()
        .filter(|s| s.1 == "new")
        .map(|s| s.0)
        .collect();
    assert_eq!(new.len(), 2, "{v:#}");

    // the article moves: its `id` front matter is its identity, so nothing changes
    std::fs::rename(p.path().join(NEW), p.path().join("corpus/zz_moved.md")).unwrap();
    let (_, moved) = check_json(&p, &[]);
    assert_eq!(ids(&moved), ids(&v));
    std::fs::rename(p.path().join("corpus/zz_moved.md"), p.path().join(NEW)).unwrap();

    // acknowledged: passes, and the seed entries keep their reason
    p.run(&[
        "baseline",
        "--reason",
        "ministry figure, under review",
        "--by",
        "ana",
    ])
    .ok();
    let r = p.run(&["check"]);
    r.ok();
    assert!(
        r.stdout
            .contains("acknowledged: ministry figure, under review (ana)"),
        "{}",
        r.stdout
    );
    let baseline = p.read("baseline.yaml");
    assert_eq!(
        baseline.matches("reason: seed corpus, reviewed").count(),
        n,
        "{baseline}"
    );

    // an acknowledgement that has expired counts as new again; one that has not still holds
    p.write("baseline.yaml", &with_expiry(&baseline, &new, "2000-01-31"));
    let r = p.run(&["check"]);
    r.code(1);
    assert!(r.stdout.contains("EXPIRED contradiction"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("acknowledgement expired on 2000-01-31: ministry figure, under review (ana)"),
        "{}",
        r.stdout
    );
    let (_, v) = check_json(&p, &[]);
    assert_eq!(
        statuses(&v)
            .iter()
            .filter(|s| s.1 == "expired" && s.2)
            .count(),
        2,
        "{v:#}"
    );
    p.write("baseline.yaml", &with_expiry(&baseline, &new, "2999-12-31"));
    p.run(&["check"]).ok();

    // changing a figure is a different claim: new conflict, and the old entry is stale
    p.write(NEW, &NEW_ARTICLE.replace("2.000", "2.500"));
    let r = p.run(&["check"]);
    r.code(1);
    assert!(
        r.stdout.contains(&format!("{NEW}:8  2,500")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("2 stale baseline entries"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("warning: baseline.yaml:"), "{}", r.stdout);
}

#[test]
fn since_fails_only_on_conflicts_touching_changed_articles() {
    let p = repository();
    let n = seed_conflicts(&p);
    // nothing changed since HEAD: the seed corpus's conflicts do not fail
    let r = p.run(&["check", "--since", "HEAD"]);
    r.ok();
    assert!(
        r.stdout.contains(&format!("{n} unchanged since HEAD")),
        "{}",
        r.stdout
    );
    // an untracked new article is a change
    p.write(NEW, NEW_ARTICLE);
    let (code, v) = check_json(&p, &["--since", "HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(statuses(&v).len(), 2, "{v:#}");
    assert_eq!(v["unchanged"], n);
    let r = p.run(&["check", "--since", "HEAD", "--format", "github"]);
    // annotations point at the changed article only
    assert_eq!(r.stdout.matches("::error ").count(), 2, "{}", r.stdout);
    assert_eq!(
        r.stdout
            .matches(&format!("::error file={NEW},line=8"))
            .count(),
        2,
        "{}",
        r.stdout
    );
    // committed on a branch: compared from where it parts from the base
    git(&p, &["add", NEW]);
    git(&p, &["commit", "-q", "-m", "new article"]);
    let (code, v) = check_json(&p, &["--since", "HEAD~1"]);
    assert_eq!((code, statuses(&v).len()), (1, 2), "{v:#}");
    p.run(&["check", "--since", "HEAD"]).ok();
}

#[test]
fn since_a_revision_the_clone_lacks_is_an_error_not_a_full_scan() {
    let p = repository();
    let r = p.run(&["check", "--since", "no-such-branch"]);
    r.code(2);
    assert!(
        r.stderr
            .contains("error: --since no-such-branch: no such revision"),
        "{}",
        r.stderr
    );
    // a shallow clone of a two-commit history has no HEAD~1
    p.write(NEW, NEW_ARTICLE);
    git(&p, &["add", NEW]);
    git(&p, &["commit", "-q", "-m", "new article"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", p.path().display());
    let o = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "shallow"])
        .current_dir(clone.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .args(["check", "--since", "HEAD~1"])
        .current_dir(clone.path().join("shallow"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no such revision in this shallow clone; fetch more history"),
        "{stderr}"
    );
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    let r = p.run(&["check", "--since", "HEAD~1", "--baseline", "missing.yaml"]);
    r.code(2);
    assert!(
        r.stderr.contains("baseline missing.yaml not found"),
        "{}",
        r.stderr
    );
}

#[test]
fn malformed_baseline_names_file_line_and_key() {
    let p = Project::with_seeds();
    p.write("baseline.yaml", "version: 1\nacknowledged:\n- id: 024ff20fa1c7fd4a\n  reason: known\n  acknowledged_by: desk\n  expires: next week\n");
    let r = p.run(&["check"]);
    r.code(2);
    assert!(
        r.stderr.contains(
            "error: baseline.yaml:6:12: expires: `next week` is not a date, expected YYYY-MM-DD"
        ),
        "{}",
        r.stderr
    );
    p.write(
        "baseline.yaml",
        "version: 1\nacknowledged:\n- id: 024ff20fa1c7fd4a\n  reason: known\n  by: desk\n",
    );
    let r = p.run(&["check"]);
    r.code(2);
    assert!(
        r.stderr
            .contains("baseline.yaml:5:3: acknowledged[0]: unknown field `by`"),
        "{}",
        r.stderr
    );
}

#[test]
fn unreadable_article_warns_unless_strict() {
    let p = Project::with_seeds();
    p.run(&["baseline", "--reason", "seed"]).ok();
    std::fs::write(
        p.path().join("corpus/zz_bad.txt"),
        b"Prima riga.\n40 morti \xff.\n",
    )
    .unwrap();
    let r = p.run(&["check"]);
    r.ok();
    assert!(
        r.stderr.contains("warning: corpus/zz_bad.txt:2:"),
        "{}",
        r.stderr
    );
    let r = p.run(&["check", "--strict"]);
    r.code(2);
    assert!(r.stderr.contains("zz_bad.txt:2:"), "{}", r.stderr);
    // a baseline is never written from a partial read
    let r = p.run(&["baseline"]);
    r.code(2);
}

#[test]
fn updates_fail_only_with_fail_on_update() {
    let p = Project::new();
    let article = |date: &str, n: &str| {
        format!("---\ndate: {date}\nlang: it\n---\nIn Kazakistan la rivolta continua: la polizia ha arrestato {n} persone durante le proteste.\n")
    };
    p.write("corpus/a.md", &article("2022-01-05", "100"));
    p.write("corpus/b.md", &article("2022-01-20", "5.000"));
    let (code, v) = check_json(&p, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["findings"][0]["kind"], "update", "{v:#}");
    assert_eq!(v["findings"][0]["fails"], false);
    let (code, _) = check_json(&p, &["--fail-on", "update"]);
    assert_eq!(code, 1);
    let r = p.run(&["check", "--format", "junit"]);
    assert!(
        r.stdout
            .contains("<skipped message=\"an update; fails only with --fail-on update\"/>"),
        "{}",
        r.stdout
    );
}

fn sarif_validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(repo().join("tests/fixtures/sarif-2.1.0.schema.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The official schema's `language` patterns have a stray `]`, which the validator's check
    // of regex formats refuses; escape it (claimcheck never writes `language`).
    fn fix(v: &mut Value) -> usize {
        match v {
            Value::Object(m) => m
                .iter_mut()
                .map(|(k, v)| {
                    if k == "pattern" && v == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                        *v = Value::from("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$");
                        1
                    } else {
                        fix(v)
                    }
                })
                .sum(),
            Value::Array(a) => a.iter_mut().map(fix).sum(),
            _ => 0,
        }
    }
    assert_eq!(fix(&mut schema), 2, "the schema file is the official one");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

#[track_caller]
fn assert_valid_sarif(v: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "invalid SARIF:\n{}\n{v:#}",
        errors.join("\n")
    );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let p = repository();
    let n = seed_conflicts(&p);
    p.run(&[
        "baseline",
        "--reason",
        "seed corpus, reviewed",
        "--by",
        "desk",
    ])
    .ok();
    // one acknowledged entry that matches nothing any more (a stale entry)
    let stale = "- id: 00000000000000ff\n  reason: gone\n  acknowledged_by: desk\n";
    p.write(
        "baseline.yaml",
        &format!("{}{stale}", p.read("baseline.yaml")),
    );
    p.write(NEW, NEW_ARTICLE);
    // `--output` writes SARIF while the table still goes to the terminal
    let r = p.run(&[
        "check",
        "--since",
        "HEAD",
        "--format",
        "sarif",
        "--output",
        "claimcheck.sarif",
    ]);
    r.code(1);
    assert!(
        r.stdout.contains("check FAILED: 2 new conflicts"),
        "{}",
        r.stdout
    );
    let v: Value = serde_json::from_str(&p.read("claimcheck.sarif")).unwrap();
    assert_valid_sarif(&v);
    let run = &v["runs"][0];
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "claimcheck");
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["contradiction", "update"]);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert_eq!(r["level"], "error");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], NEW);
        assert_eq!(loc["region"]["startLine"], 8);
        assert_eq!(
            r["partialFingerprints"]["claimcheck/v1"]
                .as_str()
                .unwrap()
                .len(),
            16
        );
    }
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "baseline.yaml"
    );

    // acknowledged conflicts are results with an external suppression
    let r = p.run(&["check", "--format", "sarif"]);
    let v = r.json();
    assert_valid_sarif(&v);
    let suppressed = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .count();
    assert_eq!(suppressed, n);

    // `report` speaks SARIF too
    let r = p.run(&["report", "--format", "sarif"]);
    assert_valid_sarif(&r.json());
}

#[test]
fn junit_and_json_outputs_carry_every_conflict() {
    let p = Project::with_seeds();
    let n = seed_conflicts(&p) + 2;
    p.write(NEW, NEW_ARTICLE);
    let r = p.run(&["check", "--format", "junit"]);
    r.code(1);
    let head = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"claimcheck\" tests=\"{n}\" failures=\"{n}\"");
    assert!(r.stdout.starts_with(&head), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("file=\"{NEW}\" line=\"8\"")),
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches("<failure type=\"contradiction\"").count(),
        n
    );
    let (_, v) = check_json(&p, &[]);
    assert_eq!(v["version"], 1);
    assert_eq!(v["passed"], false);
    assert_eq!(v["findings"].as_array().unwrap().len(), n);
    let r = p.run(&["check", "--format", "markdown"]);
    r.code(2);
    assert!(
        r.stderr
            .contains("unknown format `markdown` (table, json, github, sarif, junit)"),
        "{}",
        r.stderr
    );
}
