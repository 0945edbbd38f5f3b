//! The number reader against every language file: figures in digits with each grouping of the
//! language, and in words as the language's own data spells them, read back to themselves;
//! and the public numeral suites, when present, never below the floors in `numeral_floors.rs`.

use std::path::Path;
use std::sync::OnceLock;

use claimcheck::lang::{Language, Languages};
use claimcheck::number::digits::group;
use claimcheck::number::scan::scan_text;
use proptest::prelude::*;

use crate::support::{repo, shared_eval};

#[path = "numeral_floors.rs"]
mod numeral_floors;

/// The shipped language files, loaded once for all cases.
fn languages() -> &'static Languages {
    static LANGS: OnceLock<Languages> = OnceLock::new();
    LANGS.get_or_init(|| Languages::load(&repo().join("claims/lang")).expect("language files load"))
}

/// The single figure read from `text`, or a message saying what came out instead.
fn read_back(text: &str, lang: &Language) -> Result<f64, String> {
    let found = scan_text(text, lang);
    match found.as_slice() {
        [e] => e
            .value
            .or(e.lo)
            .ok_or_else(|| format!("{text:?} read with no value")),
        _ => Err(format!(
            "{text:?} in {}: {} expressions: {:?}",
            lang.code,
            found.len(),
            found.iter().map(|e| &e.text).collect::<Vec<_>>()
        )),
    }
}

/// The thousands separators a language groups with (its decimal mark excluded).
fn separators(lang: &Language) -> Vec<String> {
    lang.groups
        .iter()
        .filter(|c| **c != lang.decimal)
        .map(|c| c.to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn digits_with_every_grouping_read_back(n in 0u64..=1_000_000_000) {
        for lang in languages().iter() {
            let mut forms = vec![n.to_string()];
            forms.extend(separators(lang).iter().map(|sep| group(n, sep)));
            for text in forms {
                let v = read_back(&text, lang).map_err(TestCaseError::fail)?;
                prop_assert_eq!(v, n as f64, "{} read {:?} as {}", lang.code, text, v);
            }
        }
    }

    #[test]
    fn words_read_back(n in 0u64..1_000_000) {
        for lang in languages().iter() {
            for sep in [" ", ""] {
                // compounds are written as one word only where the language glues them
                if sep.is_empty() && !lang.speller.compounds {
                    continue;
                }
                let Some(text) = lang.speller.write(n, sep) else { continue };
                let v = read_back(&text, lang).map_err(TestCaseError::fail)?;
                prop_assert_eq!(v, n as f64, "{} read {:?} as {}", lang.code, text, v);
            }
        }
    }
}

/// Every language with number words can spell a number, so `words_read_back` covers it.
#[test]
fn every_language_spells_numbers() {
    for lang in languages().iter() {
        for n in [0, 7, 21, 99, 101, 999, 1000, 2021, 123_456, 999_999] {
            assert!(
                lang.speller.write(n, " ").is_some(),
                "{} cannot spell {n}",
                lang.code
            );
        }
    }
}

#[track_caller]
fn case(lang: &str, text: &str, want: f64) {
    let langs = languages();
    let l = langs.get(lang).expect("language");
    assert_eq!(read_back(text, l), Ok(want), "{lang}: {text}");
}

#[test]
fn written_forms_of_the_press() {
    case("it", "duecentocinquantamila", 250_000.0);
    case("it", "ventitré", 23.0);
    case("it", "12.500,5", 12_500.5);
    case("it", "2,5 milioni", 2_500_000.0);
    case("it", "100mila", 100_000.0);
    case("en", "2,500", 2_500.0);
    case("en", "1.5m", 1_500_000.0);
    case("en", "12k", 12_000.0);
    case("en", "3 hundred and 21", 321.0);
    case("de", "einundzwanzig", 21.0);
    case("de", "zweihunderteinundzwanzig", 221.0);
    case("de", "1,2 Mio.", 1_200_000.0);
    case(
        "de",
        "dreihundertneunundneunzigtausendfuenfhundertneun",
        399_509.0,
    );
    case("de", "10\u{202f}000", 10_000.0);
    case("de", "1'002", 1_002.0);
}

/// One line of a numeral suite.
struct Case {
    text: String,
    kind: String,
    value: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

/// The share of a suite file's cardinal, decimal and range lines read right, scored as
/// `shared/eval/score_numerals.py` scores them; `None` for a file with no such lines.
fn accuracy(path: &Path, langs: &Languages) -> Option<(f64, String)> {
    let text = std::fs::read_to_string(path).expect("suite file");
    let mut cases = Vec::new();
    let mut code = String::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("suite line is JSON");
        let kind = v["kind"].as_str().unwrap_or_default().to_string();
        if !matches!(kind.as_str(), "cardinal" | "decimal" | "range") {
            continue;
        }
        code = v["lang"].as_str().unwrap_or_default().to_string();
        cases.push(Case {
            text: v["text"].as_str().unwrap_or_default().replace('\n', " "),
            kind,
            value: v["value"].as_f64(),
            min: v["min"].as_f64(),
            max: v["max"].as_f64(),
        });
    }
    if cases.is_empty() {
        return None;
    }
    let lang = langs
        .get(&code)
        .unwrap_or_else(|| panic!("no language `{code}` for {}", path.display()));
    let good = cases
        .iter()
        .filter(|c| {
            let found = scan_text(&c.text, lang);
            if c.kind == "range" {
                found.iter().any(|e| same(e.lo, c.min) && same(e.hi, c.max))
            } else {
                found.iter().any(|e| {
                    same(e.value, c.value)
                        || (e.lo.is_some() && same(e.lo, c.value) && same(e.hi, c.value))
                })
            }
        })
        .count();
    Some((good as f64 / cases.len() as f64, code))
}

#[test]
fn numeral_suites_stay_above_their_floors() {
    let Some(dir) = shared_eval()
        .map(|d| d.join("numerals"))
        .filter(|d| d.is_dir())
    else {
        return;
    };
    let langs = languages();
    let mut low = Vec::new();
    for (file, floor) in numeral_floors::FLOORS {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let Some((acc, _)) = accuracy(&path, langs) else {
            continue;
        };
        if acc + 1e-9 < *floor {
            low.push(format!("{file}: {acc:.3} < floor {floor:.3}"));
        }
    }
    assert!(
        low.is_empty(),
        "numeral suites below their floors:\n{}",
        low.join("\n")
    );
}

/// The kind of the figure written as `figure` in `text`.
fn kind_of(text: &str, figure: &str, code: &str) -> String {
    let lang = languages().get(code).expect("language");
    scan_text(text, lang)
        .into_iter()
        .find(|e| e.text.contains(figure))
        .map(|e| e.kind.as_str().to_string())
        .unwrap_or_else(|| format!("no figure {figure:?} in {text:?}"))
}

#[test]
fn context_decides_between_counts_names_dates_and_measures() {
    let cases = [
        // a model number after a capitalised word is a name...
        ("Ein Boeing 737 stürzte ab.", "737", "de", "name"),
        (
            "Secondo la tv Khabar 24, la calma è tornata.",
            "24",
            "it",
            "name",
        ),
        // ...but a grouped figure, or one before a capitalised noun, is a count
        (
            "sono fuggiti in Georgia 200.000 russi",
            "200",
            "it",
            "count",
        ),
        (
            "nach Angaben von Amnesty International 12 Demonstranten",
            "12",
            "de",
            "count",
        ),
        // a day with an ordinal period before a month is a date, not a count
        (
            "Festgenommen wurden am 5. Januar 100 Menschen.",
            "5",
            "de",
            "date",
        ),
        // an elided article is not the unit `l`
        ("85 blessés, contre 31 l'an dernier", "31", "fr", "count"),
        (
            "Il serbatoio contiene 31 l di acqua.",
            "31",
            "it",
            "measure",
        ),
    ];
    for (text, figure, lang, kind) in cases {
        assert_eq!(kind_of(text, figure, lang), kind, "{text:?}");
    }
}
