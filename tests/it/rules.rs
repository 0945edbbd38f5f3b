//! Rule files: the shipped examples pass, and every kind of malformed file gives a message a
//! newcomer understands (file, line, rule) with exit code 2, and nothing else runs.

use crate::support::{repo, Project};

/// A project whose rules are a copy of the shipped ones plus `extra` written to `rel`.
fn project_with_rule_file(rel: &str, extra: &str) -> Project {
    let p = Project::with_seeds();
    copy_dir(&repo().join("claims"), &p.path().join("claims"));
    p.write(&format!("claims/{rel}"), extra);
    let cfg =
        "corpus: [corpus]\nrules: claims\nstore: .claimcheck/store.db\nbaseline: baseline.yaml\n";
    p.write("claimcheck.yaml", cfg);
    p
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[test]
fn shipped_rule_examples_all_pass() {
    let r = crate::support::run_in_repo(&["rules", "test"]);
    r.ok();
    assert!(r.stdout.contains(" 0 failed"), "{}", r.stdout);
}

#[test]
fn shipped_rules_check_clean() {
    let r = crate::support::run_in_repo(&["rules", "check"]);
    r.ok();
    assert!(r.stdout.starts_with("ok:"), "{}", r.stdout);
}

#[track_caller]
fn refused(p: &Project, needles: &[&str]) {
    for cmd in [&["rules", "check"][..], &["report"][..], &["extract"][..]] {
        let r = p.run(cmd);
        r.code(2);
        assert!(
            r.stdout.is_empty(),
            "{cmd:?} printed output despite invalid rules:\n{}",
            r.stdout
        );
        for n in needles {
            assert!(
                r.stderr.contains(n),
                "{cmd:?}: `{n}` missing from:\n{}",
                r.stderr
            );
        }
    }
}

#[test]
fn a_tab_is_named_with_its_line() {
    let p = project_with_rule_file("extra.yaml", "metrics:\n\t- id: evacuated\n");
    refused(&p, &["extra.yaml:2:1", "tab"]);
}

#[test]
fn an_unknown_key_is_named() {
    let p = project_with_rule_file(
        "extra.yaml",
        "metrics:\n  - id: evacuated\n    descripton: People evacuated\n",
    );
    refused(
        &p,
        &["extra.yaml:3", "unknown key `descripton`", "evacuated"],
    );
}

#[test]
fn an_unclosed_regex_group_is_named_with_rule_and_line() {
    let p = project_with_rule_file(
        "extra.yaml",
        "metrics:\n  - id: evacuated\nlanguages:\n  - lang: fr\n    metrics:\n      evacuated:\n        triggers: [\"évacué(s\"]\n        examples:\n          - {text: \"500 personnes évacuées.\", expect: {value: 500}}\n          - {text: \"Il a 30 ans.\", expect: none}\n",
    );
    refused(
        &p,
        &[
            "extra.yaml:7",
            "fr/evacuated",
            "not a valid regular expression",
            "évacué(s",
        ],
    );
}

#[test]
fn a_duplicated_id_is_named_in_the_second_file() {
    let p = project_with_rule_file(
        "extra.yaml",
        "metrics:\n  - id: deaths\n    description: again\n",
    );
    // whichever file is read second is named, with the first definition's place
    refused(
        &p,
        &[
            "duplicate metric id `deaths`",
            "extra.yaml:2",
            "metrics.yaml:",
        ],
    );
}

#[test]
fn an_inverted_event_window_is_named() {
    let p = project_with_rule_file(
        "extra.yaml",
        "events:\n  - id: backwards\n    window: {from: 2022-03-01, to: 2022-01-01}\n",
    );
    refused(
        &p,
        &[
            "extra.yaml",
            "backwards",
            "ends (2022-01-01) before it starts (2022-03-01)",
        ],
    );
}

#[test]
fn a_language_without_number_data_is_named() {
    let p = project_with_rule_file("extra.yaml", "languages:\n  - lang: pt\n    metrics: {}\n");
    refused(&p, &["extra.yaml:2", "`pt` has no number data"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let p = project_with_rule_file("extra.yaml", "metrics:\n  - id: deaths\nevents:\n  - id: backwards\n    window: {from: 2022-03-01, to: 2022-01-01}\n");
    let r = p.run(&["rules", "check"]);
    r.code(2);
    assert!(
        r.stderr.contains("duplicate metric id") && r.stderr.contains("backwards"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_rule_without_negative_examples_is_refused() {
    let p = project_with_rule_file(
        "extra.yaml",
        "metrics:\n  - id: evacuated\nlanguages:\n  - lang: fr\n    metrics:\n      evacuated:\n        triggers: [\"évacués\"]\n        examples:\n          - {text: \"500 personnes évacuées.\", expect: {value: 500}}\n",
    );
    refused(&p, &["fr/evacuated", "expect: none"]);
}

#[test]
fn breaking_an_example_fails_rules_test_naming_rule_and_example() {
    let p = project_with_rule_file(
        "extra.yaml",
        "metrics:\n  - id: evacuated\nlanguages:\n  - lang: fr\n    metrics:\n      evacuated:\n        triggers: [\"évacuée?s\"]\n        examples:\n          - {text: \"Au moins 500 personnes ont été évacuées.\", expect: {value: 700}}\n          - {text: \"Il a 30 ans.\", expect: none}\n",
    );
    let r = p.run(&["rules", "test"]);
    r.code(1);
    assert!(
        r.stdout.contains("wrong")
            && r.stdout.contains("fr/evacuated")
            && r.stdout.contains("Au moins 500 personnes"),
        "{}",
        r.stdout
    );
}

/// A subject names the people of the figure next to it, never those of a figure beyond
/// another one.
#[test]
fn subjects_do_not_reach_over_another_figure() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        "---\nlang: en\ndate: 2024-03-01\n---\nHospitals treated 312 people, of whom 40 were children.\n\n\
         Strikes killed at least 47 people overnight, including 18 children.\n\n\
         At least 18 members of the security forces were killed.\n",
    );
    let claims = p.run(&["extract", "--format", "jsonl"]).ok().jsonl();
    let subject = |text: &str| {
        claims
            .iter()
            .find(|c| c["text"] == text)
            .map(|c| c["subject"].clone())
            .unwrap_or_else(|| panic!("no claim {text:?} in {claims:?}"))
    };
    assert_eq!(subject("312"), serde_json::Value::Null);
    assert_eq!(subject("40"), "children");
    assert_eq!(subject("at least 47"), serde_json::Value::Null);
    assert_eq!(subject("18"), "children");
    assert_eq!(subject("At least 18"), "security_forces");
}

/// Negations void a trigger, an article before a trigger word counts one, and a figure
/// shares a later figure's trigger only when the two stand in one list.
#[test]
fn negations_articles_and_list_joiners() {
    let p = Project::new();
    p.write(
        "corpus/it.md",
        "---\nlang: it\ndate: 2024-03-01\n---\nSono state evacuate 300 persone, senza vittime.\n\n\
         Nello scontro c'è stato un morto e quattro feriti.\n",
    );
    p.write(
        "corpus/de.md",
        "---\nlang: de\ndate: 2024-03-01\n---\nBei der Kundgebung mit 5.000 Teilnehmern wurden drei Polizisten verletzt.\n\n\
         Verletzt wurden 12 Demonstranten und drei Polizisten.\n",
    );
    let claims = p.run(&["extract", "--format", "jsonl"]).ok().jsonl();
    let got: Vec<(String, String)> = claims
        .iter()
        .map(|c| {
            (
                c["metric"].as_str().unwrap().to_string(),
                c["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |m: &str, t: &str| got.iter().any(|(a, b)| a == m && b == t);
    assert!(!got.iter().any(|(_, t)| t == "300"), "{got:?}");
    assert!(has("deaths", "un"), "{got:?}");
    assert!(has("injured", "quattro"), "{got:?}");
    assert!(!got.iter().any(|(_, t)| t == "5.000"), "{got:?}");
    assert!(has("injured", "12"), "{got:?}");
    assert_eq!(
        got.iter()
            .filter(|(m, t)| m == "injured" && t == "drei")
            .count(),
        2,
        "{got:?}"
    );
}

/// A sentence opening with `Among them` continues the figure before: its figures take the
/// previous sentence's metric, unless a word after them says they count something else; and
/// `12 of them` right after a figure is a part of it.
#[test]
fn among_them_carries_the_previous_metric() {
    let p = Project::new();
    p.write(
        "corpus/en.md",
        "---\nlang: en\ndate: 2022-01-10\n---\nAt least 225 people were killed. Among them were 19 police officers.\n\n\
         Police detained 9,900 people. Of them, 1,200 are foreign nationals from 3 countries.\n\n\
         The city was calm on Sunday. Among them were 40 journalists.\n\n\
         Police detained 47 people, 12 of them minors, in 2 stations.\n",
    );
    p.write(
        "corpus/ru.md",
        "---\nlang: ru\ndate: 2022-01-10\n---\nПогибли 225 человек. Среди них 19 сотрудников полиции.\n",
    );
    let claims = p.run(&["extract", "--format", "jsonl"]).ok().jsonl();
    let find = |doc: &str, text: &str| {
        claims
            .iter()
            .find(|c| c["doc"].as_str().unwrap().ends_with(doc) && c["text"] == text)
            .cloned()
    };
    let en19 = find("en.md", "19").expect("19 police officers");
    assert_eq!(en19["metric"], "deaths");
    assert_eq!(en19["subject"], "security_forces");
    assert_eq!(find("en.md", "1,200").expect("1,200")["metric"], "arrests");
    assert!(find("en.md", "3").is_none(), "3 countries is no claim");
    // the sentence before has no claim: nothing to carry
    assert!(find("en.md", "40").is_none(), "{claims:?}");
    assert_eq!(find("ru.md", "19").expect("19 police")["metric"], "deaths");
    // a part named right after its figure: `12 of them`
    assert_eq!(
        find("en.md", "12").expect("12 of them")["metric"],
        "arrests"
    );
}

/// A broken pattern in a language file names the file, the line of its field and the field.
#[test]
fn a_bad_pattern_in_a_language_file_is_named_with_its_line() {
    let en = std::fs::read_to_string(repo().join("claims/lang/en.yaml")).unwrap();
    let line = en
        .lines()
        .position(|l| l.starts_with("changes:"))
        .expect("en.yaml has `changes`")
        + 1;
    let broken = en.replacen("changes: [", "changes: [\"ro(se\", ", 1);
    let p = project_with_rule_file("lang/en.yaml", &broken);
    refused(
        &p,
        &[
            &format!("en.yaml:{line}:1"),
            "invalid pattern in `changes`",
            "unclosed group",
        ],
    );
}
