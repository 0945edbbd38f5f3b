//! Factual claims: extraction from the seeds, comparison by entity (spelling variants and
//! renamings agree, different places conflict), dates, reports, and bad fact rules.

use crate::support::{repo, Project};

/// An English article with front matter.
fn article(date: &str, outlet: &str, body: &str) -> String {
    format!("---\ntitle: t\ndate: {date}\nlang: en\noutlet: {outlet}\n---\n{body}\n")
}

fn facts(p: &Project) -> Vec<serde_json::Value> {
    p.run(&["extract", "--format", "jsonl"])
        .ok()
        .jsonl()
        .into_iter()
        .filter(|c| c["kind"] == "fact")
        .collect()
}

fn fact_conflicts(p: &Project) -> Vec<serde_json::Value> {
    let r = p.run(&["report", "--format", "json"]);
    let j = r.json();
    j["conflicts"]
        .as_array()
        .expect("conflicts")
        .iter()
        .filter(|d| d["claim_kind"] == "fact")
        .cloned()
        .collect()
}

#[test]
fn seeds_almaty_as_capital_conflicts_with_every_astana_spelling() {
    let p = Project::with_seeds();
    let fs = facts(&p);
    let capital: Vec<(&str, &str)> = fs
        .iter()
        .filter(|c| c["metric"] == "capital")
        .map(|c| (c["text"].as_str().unwrap(), c["entity"].as_str().unwrap()))
        .collect();
    for want in [
        ("Astana", "Astana"),
        ("Nur-Sultan", "Astana"),
        ("Nur Sultan", "Astana"),
        ("Almaty", "Almaty"),
    ] {
        assert!(capital.contains(&want), "{want:?} missing from {capital:?}");
    }
    assert!(
        fs.iter().all(|c| c["subject"] == "Kazakhstan"
            || c["metric"] == "protest_epicentre"
            || c["metric"] == "commander"),
        "{fs:#?}"
    );
    // the value's span is the value as written
    let nur = fs.iter().find(|c| c["text"] == "Nur-Sultan").unwrap();
    let doc = std::fs::read_to_string(p.path().join(nur["doc"].as_str().unwrap())).unwrap();
    assert_eq!(
        &doc[nur["start"].as_u64().unwrap() as usize..nur["end"].as_u64().unwrap() as usize],
        "Nur-Sultan"
    );

    let cs = fact_conflicts(&p);
    assert_eq!(cs.len(), 3, "{cs:#?}");
    for d in &cs {
        assert_eq!(d["metric"], "capital");
        assert_eq!(d["kind"], "contradiction");
        let sides = format!("{} / {}", d["a_figure"], d["b_figure"]);
        assert!(
            sides.contains("Almaty") && sides.contains("Astana"),
            "{sides}"
        );
        assert_eq!(d["id"].as_str().unwrap().len(), 16);
    }
    // fingerprints are stable across runs
    assert_eq!(
        fact_conflicts(&p)
            .iter()
            .map(|d| d["id"].clone())
            .collect::<Vec<_>>(),
        cs.iter().map(|d| d["id"].clone()).collect::<Vec<_>>()
    );
}

#[test]
fn head_of_state_surname_and_full_name_agree() {
    let p = Project::with_seeds();
    let r = p.run(&["report", "--format", "json"]);
    let j = r.json();
    let g = j["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "fact" && g["metric"] == "head_of_state")
        .expect("head_of_state group");
    assert_eq!(g["verdict"], "agree", "{g:#}");
    assert_eq!(g["figures"].as_array().unwrap().len(), 1, "{g:#}");
}

#[test]
fn renamed_capital_is_not_a_conflict_and_other_city_is() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2021-05-03",
            "A",
            "Thousands marched in the Kazakh capital, Nur-Sultan, on Monday.",
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2023-02-10",
            "B",
            "Flights to the capital Astana resumed after the storm.",
        ),
    );
    assert!(fact_conflicts(&p).is_empty());
    p.write(
        "corpus/c.md",
        &article(
            "2022-02-01",
            "C",
            "Police cleared the main square of Almaty, the capital of Kazakhstan, at dawn.",
        ),
    );
    let cs = fact_conflicts(&p);
    assert_eq!(cs.len(), 2, "{cs:#?}");
    assert!(
        cs.iter()
            .any(|d| d["a_figure"].as_str().unwrap().contains("«Nur-Sultan»")
                || d["b_figure"].as_str().unwrap().contains("«Nur-Sultan»")),
        "{cs:#?}"
    );
}

#[test]
fn unknown_values_merge_only_spelling_variants() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2022-03-01",
            "A",
            "Kyrgyz President Sadyr Japarov met the envoys.",
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-03-02",
            "B",
            "Kyrgyz President Sadyr Zhaparov met the envoys.",
        ),
    );
    p.write(
        "corpus/c.md",
        &article(
            "2022-03-03",
            "C",
            "Kyrgyz President Japarov met the envoys.",
        ),
    );
    assert!(fact_conflicts(&p).is_empty(), "{:#?}", fact_conflicts(&p));
    p.write(
        "corpus/d.md",
        &article(
            "2022-03-04",
            "D",
            "Kyrgyz President Almazbek Atambayev met the envoys.",
        ),
    );
    assert_eq!(fact_conflicts(&p).len(), 3);
}

#[test]
fn office_holders_far_apart_in_time_are_not_compared() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2018-06-01",
            "A",
            "Kazakh President Nursultan Nazarbayev opened the summit.",
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-06-01",
            "B",
            "Kazakh President Kassym-Jomart Tokayev opened the summit.",
        ),
    );
    assert!(fact_conflicts(&p).is_empty());
    p.write(
        "corpus/c.md",
        &article(
            "2022-06-20",
            "C",
            "Kazakh President Nursultan Nazarbayev chaired the talks.",
        ),
    );
    assert_eq!(fact_conflicts(&p).len(), 1);
}

#[test]
fn fact_conflicts_show_in_every_report_format() {
    let p = Project::with_seeds();
    for (format, needle) in [
        ("table", "capital of Kazakhstan"),
        ("markdown", "capital of Kazakhstan"),
        ("csv", ",capital,Kazakhstan,"),
    ] {
        let r = p.run(&["report", "--format", format]);
        assert!(r.stdout.contains(needle), "{format}:\n{}", r.stdout);
        assert!(r.stdout.contains("Almaty"), "{format}:\n{}", r.stdout);
    }
}

#[test]
fn fact_examples_pass() {
    let r = crate::support::run_in_repo(&["rules", "test"]);
    for line in r
        .stdout
        .lines()
        .filter(|l| l.starts_with("noisy") || l.starts_with("missing") || l.starts_with("wrong"))
    {
        for fact in [
            "/capital ",
            "/largest_city ",
            "/protest_epicentre ",
            "/head_of_state ",
            "/commander ",
        ] {
            assert!(!line.contains(fact), "{}", r.stdout);
        }
    }
    for lang in ["it", "en", "de", "fr", "es", "ru"] {
        for fact in [
            "capital",
            "largest_city",
            "protest_epicentre",
            "head_of_state",
            "commander",
        ] {
            assert!(
                r.stdout.contains(&format!("{lang}/{fact} ")),
                "no examples for {lang}/{fact}\n{}",
                r.stdout
            );
        }
    }
}

/// A project whose rules are a copy of the shipped ones plus `extra` as `rules/zz.yaml`.
fn with_rules(extra: &str) -> Project {
    let p = Project::new();
    for e in walkdir::WalkDir::new(repo().join("claims")) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(repo().join("claims")).unwrap();
        if e.file_type().is_file() {
            p.write(
                &format!("rules/{}", rel.display()),
                &std::fs::read_to_string(e.path()).unwrap(),
            );
        }
    }
    p.write("rules/zz.yaml", extra);
    p
}

#[track_caller]
fn bad_rule(extra: &str, want: &[&str]) {
    let p = with_rules(extra);
    let r = p.run(&["--rules", "rules", "rules", "check"]);
    r.code(2);
    for w in want {
        assert!(r.stderr.contains(w), "missing {w:?} in:\n{}", r.stderr);
    }
}

#[test]
fn bad_fact_rules_are_located() {
    let ex = "    examples:\n      - {lang: en, text: \"The mayor, Jane Roe.\", expect: {entity: Jane Roe}}\n      - {lang: en, text: \"No.\", expect: none}\n";
    bad_rule(
        &format!("facts:\n  - id: mayor\n    about: country\n    value: person\n    patterns:\n      en: [\"the mayor,? Jane\"]\n{ex}"),
        &["zz.yaml:6:", "[en/mayor]", "has no `{value}`"],
    );
    bad_rule(
        &format!("facts:\n  - id: mayor\n    about: city\n    value: person\n    patterns:\n      en: [\"the mayor,? {{value}}\"]\n{ex}"),
        &["zz.yaml:3:5", "[mayor]", "is about `city`; expected `country` or `event`"],
    );
    bad_rule(
        &format!("facts:\n  - id: mayor\n    about: country\n    value: person\n    patterns:\n      en: [\"the {{mayor}},? {{value}}\"]\n{ex}"),
        &["zz.yaml:6:", "no fact lexicon `mayor` is defined for `en`"],
    );
    bad_rule(
        &format!("facts:\n  - id: mayor\n    about: country\n    value: person\n    patterns:\n      en: [\"the (mayor,? {{value}}\"]\n{ex}"),
        &["zz.yaml:6:", "is not a valid regular expression"],
    );
    bad_rule(
        "facts:\n  - id: mayor\n    about: country\n    value: person\n    patterns:\n      en: [\"the mayor,? {value}\"]\n",
        &["[en/mayor]", "no example that yields a claim", "needs at least one example with `expect: none`"],
    );
    bad_rule(
        "facts:\n  - id: mayor\n    about: country\n    value: persons\n    pattern: []\n",
        &["zz.yaml:5:5", "unknown key `pattern`"],
    );
}

#[test]
fn bad_entities_are_located() {
    bad_rule(
        "entities:\n  - id: Gotham\n    type: place\n    part_of: Atlantis\n    aliases:\n      all:\n        - {name: Old Gotham, from: 1990-13}\n",
        &["zz.yaml:4:", "`Gotham` is part of `Atlantis`", "zz.yaml:7:", "`1990-13` is not a date"],
    );
    bad_rule(
        "entities:\n  - id: Gotham\n    type: city\n",
        &[
            "zz.yaml:3:5",
            "has type `city`; expected place, person or organisation",
        ],
    );
    bad_rule(
        "entities:\n  - id: Astana\n    type: place\n",
        &["zz.yaml:2:", "duplicate entity id `Astana`"],
    );
}

/// Values keep an article that belongs to a gazetteer name, keep Arabic particles, and are
/// dropped when they name an entity of another type than the fact's.
#[test]
fn article_names_particles_and_value_types() {
    let p = Project::new();
    p.write(
        "corpus/es.md",
        "---\nlang: es\ndate: 2024-06-27\n---\nLa capital boliviana, La Paz, amaneció con barricadas.\n\n\
         El presidente egipcio, Abdel Fattah al Sisi, pidió calma.\n",
    );
    p.write(
        "corpus/en.md",
        "---\nlang: en\ndate: 2024-06-27\n---\nIn Nairobi, president of Kenya William Ruto spoke.\n",
    );
    let got: Vec<(String, String)> = facts(&p)
        .iter()
        .map(|c| {
            (
                c["metric"].as_str().unwrap().to_string(),
                c["entity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has = |m: &str, e: &str| got.iter().any(|(a, b)| a == m && b == e);
    assert!(has("capital", "La Paz"), "{got:?}");
    assert!(has("head_of_state", "Abdel Fattah al Sisi"), "{got:?}");
    assert!(has("head_of_state", "William Ruto"), "{got:?}");
    assert!(!has("head_of_state", "Nairobi"), "{got:?}");
}
