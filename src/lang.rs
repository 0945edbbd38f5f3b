//! Per-language data: number words, separators, qualifiers, magnitudes, the words that mark a
//! number as a date, age, duration, percentage, money or measure, and the stopwords used to
//! detect a document's language.
//!
//! Each language is one YAML file, `claims/lang/<code>.yaml`, merged over
//! `claims/lang/common.yaml` (symbols shared by every language). The files are parsed by serde
//! into [`LangSpec`] and compiled once into a [`Language`]; a seventh language is a new file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

use crate::error::{yaml_diagnostic, Diagnostic, Error, Result};
use crate::number::write::Speller;
use crate::number::{Kind, Qualifier};

/// The YAML form of a language file. Every list of phrases is a list of regular-expression
/// fragments, matched case-insensitively, in which a space stands for any run of white space.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangSpec {
    /// ISO 639-1 code (`it`, `en`, ...). The file name must match.
    #[serde(default)]
    pub code: String,
    /// The language's own name.
    #[serde(default)]
    pub name: String,
    /// The character that separates decimals in this language's press (`,` or `.`).
    #[serde(default)]
    pub decimal_separator: Option<char>,
    /// Characters that group thousands (`.`, `,`, `'`, space, no-break spaces).
    #[serde(default)]
    pub group_separators: Vec<char>,
    /// Number words that add their value (`tre`, `venti`, `vent` as in `ventuno`).
    #[serde(default)]
    pub units: BTreeMap<String, f64>,
    /// Words that multiply the group before them and stay in it (`cento`, `hundred`).
    #[serde(default)]
    pub hundreds: BTreeMap<String, f64>,
    /// Words that close a group and multiply it (`mila`, `thousand`, `milioni`).
    #[serde(default)]
    pub scales: BTreeMap<String, f64>,
    /// Abbreviated scales read only after digits (`k`, `mln`, `Mio.`, `тыс.`). A key of one
    /// letter or with a capital matches exactly as written (`M` is a million, `m` a metre in
    /// Italian); other keys ignore case.
    #[serde(default)]
    pub digit_scales: BTreeMap<String, f64>,
    /// Other spellings of letters in number words (`ü: ue`, `ß: ss`), so `fuenf` and
    /// `dreissig` read like `fünf` and `dreißig`.
    #[serde(default)]
    pub spelling_variants: BTreeMap<String, String>,
    /// Endings that turn a cardinal into an ordinal (`esimo` in `quindicesimo`, `ste` in
    /// `zwanzigste`), longest tried first.
    #[serde(default)]
    pub ordinal_endings: Vec<String>,
    /// Final letters a cardinal drops before an ordinal ending (`i` of `undici`).
    #[serde(default)]
    pub ordinal_elided: Vec<String>,
    /// Digit words read only among the decimals after a decimal word (`o` in `point o five`).
    #[serde(default)]
    pub decimal_digits: BTreeMap<String, f64>,
    /// Words naming the denominator of the decimals after a decimal word (`десятых`: 10,
    /// `сотых`: 100): `две целых пять десятых` is 2 + 5/10.
    #[serde(default)]
    pub fraction_words: BTreeMap<String, f64>,
    /// Words right after a number in words that add a fraction to it (`с половиной`: 0.5).
    #[serde(default)]
    pub fractions_after: BTreeMap<String, f64>,
    /// Words that mean one only before a hundred or a scale (`un milione`, `a thousand`). A word
    /// that is also in `units` (`uno`, `einer`) reads as its unit when no noun follows it.
    #[serde(default)]
    pub articles: Vec<String>,
    /// Words allowed between number words (`e`, `and`, `und`, `y`, `et`).
    #[serde(default)]
    pub connectors: Vec<String>,
    /// Whether a unit may stand before the tens it adds to (`einundzwanzig`).
    #[serde(default)]
    pub units_before_tens: bool,
    /// Whether a unit right before tens counts hundreds, as in spoken prices and flight
    /// numbers (`one twenty two` = 122).
    #[serde(default)]
    pub implicit_hundreds: bool,
    /// Whether numbers are written as one word (`duecentocinquantamila`,
    /// `zweihunderteinundzwanzig`); the reader splits such words either way, the writer
    /// of [`crate::number::write`] glues them only then.
    #[serde(default)]
    pub compound_words: bool,
    /// Minor currency units that add to the money figure before them, by fraction
    /// (`cents: 0.01` reads `1 dollar and 42 cents` as 1.42).
    #[serde(default)]
    pub subunits: BTreeMap<String, f64>,
    /// Words that introduce the decimals of a number written in words (`virgola`, `point`).
    #[serde(default)]
    pub decimal_words: Vec<String>,
    /// Words that make the following number negative (`minus`).
    #[serde(default)]
    pub negative_words: Vec<String>,
    /// Ordinal words (`primo`, `first`): recognised so they are never read as counts.
    #[serde(default)]
    pub ordinals: BTreeMap<String, f64>,
    /// Suffixes glued to digits that make an ordinal (`st`, `nd`, `°`, `-й`).
    #[serde(default)]
    pub ordinal_suffixes: Vec<String>,
    /// Vague or approximate magnitudes (`centinaia`, `tens of thousands`, `un centinaio`).
    #[serde(default)]
    pub magnitudes: Vec<MagnitudeSpec>,
    /// Phrases before a number that qualify it, by qualifier.
    #[serde(default)]
    pub qualifiers_before: BTreeMap<Qualifier, Vec<String>>,
    /// Phrases after a number that qualify it (`o più`, `or more`).
    #[serde(default)]
    pub qualifiers_after: BTreeMap<Qualifier, Vec<String>>,
    /// Ways of writing a range of two numbers.
    #[serde(default)]
    pub ranges: Vec<RangeSpec>,
    /// Words joining two one-sided bounds into one range (`and`, `but`).
    #[serde(default)]
    pub bound_joiners: Vec<String>,
    /// Phrases before or after a number that make it something other than a count.
    #[serde(default)]
    pub kinds: BTreeMap<Kind, KindSpec>,
    /// Words before a four-digit number that make it a year (`nel`, `in`, `since`).
    #[serde(default)]
    pub year_cues: Vec<String>,
    /// Month names and abbreviations, with their number.
    #[serde(default)]
    pub months: BTreeMap<String, u8>,
    /// Frequent words, used to detect the language of a document without metadata.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Abbreviations whose trailing period does not end a sentence (`dr`, `sig`).
    #[serde(default)]
    pub abbreviations: Vec<String>,
    /// Number words that, after another word and right before punctuation or the end of the
    /// text, are verb particles rather than numbers (German `setzte Tränengas ein;`).
    #[serde(default)]
    pub particles: Vec<String>,
    /// Verbs of change: in their clause, `from X to Y` is a figure that changed, two
    /// figures rather than a range (`il bilancio è salito da 16 a 28`, `rose from 12 to 19`).
    #[serde(default)]
    pub changes: Vec<String>,
}

/// A vague or approximate magnitude.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MagnitudeSpec {
    /// The phrase, a regex fragment (`decine di migliaia`).
    pub phrase: String,
    /// Lower bound of the reading.
    pub lo: f64,
    /// Upper bound of the reading; absent = open.
    #[serde(default)]
    pub hi: Option<f64>,
    /// The central figure, for approximate nouns such as `un centinaio`.
    #[serde(default)]
    pub value: Option<f64>,
    /// `vague` unless said otherwise (`about` for `un centinaio`).
    #[serde(default = "vague")]
    pub qualifier: Qualifier,
}

fn vague() -> Qualifier {
    Qualifier::Vague
}

/// A way of writing a range: optional words before the first number, and the words between.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeSpec {
    /// Words before the first number (`tra`, `between`); absent = none needed.
    #[serde(default)]
    pub before: Option<String>,
    /// Words or symbols between the two numbers (`e`, `and`, `-`, `to`).
    pub between: String,
}

/// Phrases that give a number another kind than count.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    /// Right before the number (`alle` for a time, `€` for money).
    #[serde(default)]
    pub before: Vec<String>,
    /// Right after the number, with or without a space (`anni`, `enne`, `%`).
    #[serde(default)]
    pub after: Vec<String>,
}

/// A compiled language, ready for the number scanner and the sentence splitter.
#[derive(Debug)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub decimal: char,
    pub groups: Vec<char>,
    pub lexicon: Lexicon,
    pub connectors: HashSet<String>,
    pub units_before_tens: bool,
    pub implicit_hundreds: bool,
    pub subunits: HashMap<String, f64>,
    pub decimal_words: HashSet<String>,
    pub negative_words: HashSet<String>,
    /// Abbreviations that ignore case, lowercased (`mln`, `mio`).
    pub digit_scales: HashMap<String, f64>,
    /// Abbreviations matched exactly as written (`M`, `k`).
    pub digit_scales_exact: HashMap<String, f64>,
    pub decimal_digits: HashMap<String, f64>,
    pub fraction_words: HashMap<String, f64>,
    /// `fractions_after`, each phrase split into lowercase words.
    pub fractions_after: Vec<(Vec<String>, f64)>,
    pub ordinal_suffixes: Vec<String>,
    pub magnitudes: Option<Regex>,
    /// Words one of which every magnitude phrase contains: sentences without any are skipped.
    pub magnitudes_gate: Option<crate::rule::gate::Gate>,
    pub magnitude_specs: Vec<MagnitudeSpec>,
    pub qual_before: Vec<(Qualifier, Regex)>,
    pub qual_after: Vec<(Qualifier, Regex)>,
    pub ranges: Vec<CompiledRange>,
    pub bound_joiners: Option<Regex>,
    pub kinds: Vec<(Kind, Option<Regex>, Option<Regex>)>,
    pub year_cues: Option<Regex>,
    pub months: HashMap<String, u8>,
    /// Dates written with month names: `10 gennaio 2022`, `January 10, 2022`, `gennaio 2022`.
    pub text_date: Option<Regex>,
    pub stopwords: HashSet<String>,
    pub abbreviations: HashSet<String>,
    pub particles: HashSet<String>,
    /// A verb of change earlier in the clause, anchored at the end of the text before a range.
    pub changes: Option<Regex>,
    /// The same number words, for writing numbers (property tests, docs).
    pub speller: Speller,
}

#[derive(Debug)]
pub struct CompiledRange {
    /// Anchored at the end of the text before the first number.
    pub before: Option<Regex>,
    /// Anchored at both ends of the text between the numbers.
    pub between: Regex,
}

/// What a number word does when numbers are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WordRole {
    Unit(f64),
    Hundred(f64),
    Scale(f64),
    Article,
    /// An article that is also a unit (`uno`, `einer`).
    ArticleUnit(f64),
    Connector,
    Ordinal(f64),
}

/// Number words, looked up whole or segmented into morphemes (`duecento|cinquanta|mila`).
#[derive(Debug, Default)]
pub struct Lexicon {
    words: HashMap<String, WordRole>,
    /// Morphemes that may be glued into a longer word, by first char.
    by_first: HashMap<char, Vec<(String, WordRole)>>,
    /// Ordinal endings, longest first, and the letters a cardinal drops before them.
    ordinal_endings: Vec<String>,
    ordinal_elided: Vec<String>,
    /// Whether some entry is written as two words (`quatre vingt`).
    spaced: bool,
}

impl Lexicon {
    fn insert(&mut self, word: &str, role: WordRole) {
        let w = word.to_lowercase();
        self.spaced |= w.contains(' ');
        self.words.insert(w.clone(), role);
        if let Some(c) = w.chars().next() {
            let list = self.by_first.entry(c).or_default();
            list.retain(|(x, _)| *x != w);
            list.push((w, role));
            list.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
        }
    }

    /// Inserts a word and its other spellings (`fünf`, `fuenf`).
    fn insert_all(&mut self, word: &str, role: WordRole, variants: &BTreeMap<String, String>) {
        let w = word.to_lowercase();
        let mut forms = vec![w.clone()];
        for (from, to) in variants {
            let more: Vec<String> = forms
                .iter()
                .filter(|f| f.contains(from.as_str()))
                .map(|f| f.replace(from.as_str(), to))
                .collect();
            forms.extend(more);
        }
        for f in forms {
            self.insert(&f, role);
        }
    }

    /// Marks an inserted unit as an article too, or inserts a plain article.
    fn insert_article(&mut self, word: &str, variants: &BTreeMap<String, String>) {
        let role = match self.words.get(&word.to_lowercase()) {
            Some(WordRole::Unit(v)) => WordRole::ArticleUnit(*v),
            _ => WordRole::Article,
        };
        self.insert_all(word, role, variants);
    }

    /// Whether some entry is written as two words, so readers try joining a word to the next.
    pub fn has_spaced(&self) -> bool {
        self.spaced
    }

    /// The role of a whole word, if it is a number word.
    pub fn get(&self, word: &str) -> Option<WordRole> {
        self.words.get(word).copied()
    }

    /// Splits a lowercase word into number morphemes, longest first with backtracking.
    /// Returns `None` unless the whole word is covered.
    pub fn segment(&self, word: &str) -> Option<Vec<WordRole>> {
        if let Some(r) = self.words.get(word) {
            return Some(vec![*r]);
        }
        let mut out = Vec::new();
        if self.segment_into(word, &mut out, 0) {
            return Some(out);
        }
        self.segment_ordinal(word)
    }

    /// `quindicesimo` = `quindici` + `esimo`: the cardinal's last morpheme becomes an ordinal.
    fn segment_ordinal(&self, word: &str) -> Option<Vec<WordRole>> {
        for end in &self.ordinal_endings {
            let Some(stem) = word.strip_suffix(end.as_str()) else {
                continue;
            };
            if stem.is_empty() {
                continue;
            }
            let restored =
                std::iter::once(String::new()).chain(self.ordinal_elided.iter().cloned());
            for tail in restored {
                let mut out = Vec::new();
                if !self.segment_into(&format!("{stem}{tail}"), &mut out, 0) {
                    continue;
                }
                let last = match out.last() {
                    Some(
                        WordRole::Unit(v)
                        | WordRole::ArticleUnit(v)
                        | WordRole::Hundred(v)
                        | WordRole::Scale(v),
                    ) => *v,
                    _ => continue,
                };
                if let Some(l) = out.last_mut() {
                    *l = WordRole::Ordinal(last);
                }
                return Some(out);
            }
        }
        None
    }

    fn segment_into(&self, rest: &str, out: &mut Vec<WordRole>, depth: usize) -> bool {
        if rest.is_empty() {
            return true;
        }
        // long enough for a 1990-spelling compound (`deux-cent-quatre-vingt-dix-sept-mille-...`)
        if depth > 64 {
            return false;
        }
        let Some(c) = rest.chars().next() else {
            return true;
        };
        let Some(cands) = self.by_first.get(&c) else {
            return false;
        };
        for (m, role) in cands {
            if let Some(tail) = rest.strip_prefix(m.as_str()) {
                // ordinals and articles only stand whole or at the end of a compound
                if matches!(role, WordRole::Article) && !tail.is_empty() && depth > 0 {
                    continue;
                }
                out.push(*role);
                if self.segment_into(tail, out, depth + 1) {
                    return true;
                }
                out.pop();
            }
        }
        false
    }
}

/// Joins a list of phrase fragments into one alternation, longest first, with spaces made
/// flexible. Returns `None` for an empty list.
fn alternation(phrases: &[String]) -> Option<String> {
    if phrases.is_empty() {
        return None;
    }
    let mut ps: Vec<&String> = phrases.iter().collect();
    ps.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let parts: Vec<String> = ps.iter().map(|p| flex_spaces(p)).collect();
    Some(format!("(?:{})", parts.join("|")))
}

/// A space in a phrase matches any white space, including no-break spaces.
pub fn flex_spaces(p: &str) -> String {
    // ` ?` is an optional space, any other space one or more white-space characters
    p.trim()
        .replace(" ?", "\u{1}")
        .replace(' ', r"[\s\u{a0}\u{202f}]+")
        .replace('\u{1}', r"[\s\u{a0}\u{202f}]*")
}

/// Whether a phrase starts or ends with a word character (so it needs a word boundary there).
fn edge_is_word(p: &str, start: bool) -> bool {
    let c = if start {
        p.chars().next()
    } else {
        p.chars().last()
    };
    c.is_some_and(|c| c.is_alphanumeric())
}

struct Compiler<'a> {
    path: &'a Path,
    code: String,
    errors: Vec<Diagnostic>,
}

impl Compiler<'_> {
    fn regex(&mut self, what: &str, pattern: &str) -> Option<Regex> {
        match Regex::new(pattern) {
            Ok(r) => Some(r),
            Err(e) => {
                let mut d = Diagnostic::new(self.path, format!("invalid pattern in `{what}`: {e}"))
                    .rule(format!("lang:{}", self.code));
                // the line of the field's key; the file is read again only on this error path
                let key = what
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or(what);
                let at = std::fs::read_to_string(self.path)
                    .ok()
                    .and_then(|text| crate::rule::locate(&text, &format!("{key}:"), 0));
                if let Some((line, col)) = at {
                    d = d.at(line, col);
                }
                self.errors.push(d);
                None
            }
        }
    }

    /// `phrase$` preceded by a word boundary when the phrase starts with a letter.
    fn before_regex(&mut self, what: &str, phrases: &[String]) -> Option<Regex> {
        let alt = alternation(phrases)?;
        let lead = if phrases.iter().any(|p| edge_is_word(p, true)) {
            r"(?:^|[^\w])"
        } else {
            ""
        };
        self.regex(what, &format!(r"(?i){lead}({alt})[\s\u{{a0}}\u{{202f}}]*$"))
    }

    /// `^phrase` (white space allowed before it); word end is checked by the caller.
    fn after_regex(&mut self, what: &str, phrases: &[String]) -> Option<Regex> {
        let alt = alternation(phrases)?;
        self.regex(what, &format!(r"(?i)^[\s\u{{a0}}\u{{202f}}]*({alt})"))
    }
}

impl LangSpec {
    /// Fills what this file leaves empty from the shared data, and appends shared symbols.
    pub fn merge_common(&mut self, common: &LangSpec) {
        if self.decimal_separator.is_none() {
            self.decimal_separator = common.decimal_separator;
        }
        if self.group_separators.is_empty() {
            self.group_separators = common.group_separators.clone();
        }
        for (q, ps) in &common.qualifiers_before {
            self.qualifiers_before
                .entry(*q)
                .or_default()
                .extend(ps.iter().cloned());
        }
        for (q, ps) in &common.qualifiers_after {
            self.qualifiers_after
                .entry(*q)
                .or_default()
                .extend(ps.iter().cloned());
        }
        self.ranges.extend(common.ranges.iter().cloned());
        for (k, s) in &common.kinds {
            let e = self.kinds.entry(*k).or_default();
            e.before.extend(s.before.iter().cloned());
            e.after.extend(s.after.iter().cloned());
        }
        self.ordinal_suffixes
            .extend(common.ordinal_suffixes.iter().cloned());
        for (k, v) in &common.digit_scales {
            self.digit_scales.entry(k.clone()).or_insert(*v);
        }
    }

    /// Compiles the spec; every problem is reported, not just the first.
    pub fn compile(self, path: &Path) -> Result<Language> {
        let mut c = Compiler {
            path,
            code: self.code.clone(),
            errors: Vec::new(),
        };
        if self.code.is_empty() {
            c.errors.push(Diagnostic::new(
                path,
                "missing `code` (the ISO 639-1 code of the language)",
            ));
        }
        if self.units.is_empty() {
            c.errors.push(
                Diagnostic::new(path, "a language needs number words: `units` is empty")
                    .rule(format!("lang:{}", self.code)),
            );
        }
        let decimal = self.decimal_separator.unwrap_or('.');
        let mut lexicon = Lexicon::default();
        let var = &self.spelling_variants;
        for (w, v) in &self.units {
            lexicon.insert_all(w, WordRole::Unit(*v), var);
        }
        for (w, v) in &self.ordinals {
            lexicon.insert_all(w, WordRole::Ordinal(*v), var);
        }
        for (w, v) in &self.hundreds {
            lexicon.insert_all(w, WordRole::Hundred(*v), var);
        }
        for (w, v) in &self.scales {
            lexicon.insert_all(w, WordRole::Scale(*v), var);
        }
        for w in &self.articles {
            lexicon.insert_article(w, var);
        }
        for w in &self.connectors {
            lexicon.insert_all(w, WordRole::Connector, var);
        }
        let mut endings: Vec<String> = self
            .ordinal_endings
            .iter()
            .map(|e| e.to_lowercase())
            .collect();
        endings.sort_by_key(|e| std::cmp::Reverse(e.len()));
        lexicon.ordinal_endings = endings;
        lexicon.ordinal_elided = self
            .ordinal_elided
            .iter()
            .map(|e| e.to_lowercase())
            .collect();
        let lower = |v: &[String]| v.iter().map(|s| s.to_lowercase()).collect::<HashSet<_>>();

        let magnitudes = match alternation(
            &self
                .magnitudes
                .iter()
                .map(|m| format!("({})", m.phrase))
                .collect::<Vec<_>>(),
        ) {
            Some(_) => {
                // one group per magnitude, so a match tells which one it was
                let groups: Vec<String> = self
                    .magnitudes
                    .iter()
                    .map(|m| format!("({})", flex_spaces(&m.phrase)))
                    .collect();
                c.regex("magnitudes", &format!(r"(?i)\b(?:{})\b", groups.join("|")))
            }
            None => None,
        };
        for (i, m) in self.magnitudes.iter().enumerate() {
            if Regex::new(&m.phrase)
                .map(|r| r.captures_len() > 1)
                .unwrap_or(false)
            {
                c.errors.push(
                    Diagnostic::new(
                        path,
                        format!(
                            "magnitude {} `{}` must not contain capture groups; use (?:...)",
                            i + 1,
                            m.phrase
                        ),
                    )
                    .rule(format!("lang:{}", self.code)),
                );
            }
            if m.hi.is_some_and(|hi| hi < m.lo) {
                c.errors.push(
                    Diagnostic::new(path, format!("magnitude `{}` has hi below lo", m.phrase))
                        .rule(format!("lang:{}", self.code)),
                );
            }
        }

        let mut qual_before = Vec::new();
        for (q, ps) in &self.qualifiers_before {
            if let Some(r) = c.before_regex(&format!("qualifiers_before.{q}"), ps) {
                qual_before.push((*q, r));
            }
        }
        let mut qual_after = Vec::new();
        for (q, ps) in &self.qualifiers_after {
            if let Some(r) = c.after_regex(&format!("qualifiers_after.{q}"), ps) {
                qual_after.push((*q, r));
            }
        }
        let mut ranges = Vec::new();
        for r in &self.ranges {
            let before = match &r.before {
                Some(b) => c.before_regex("ranges.before", std::slice::from_ref(b)),
                None => None,
            };
            if let Some(between) = c.regex(
                "ranges.between",
                &format!(
                    r"(?i)^[\s\u{{a0}}\u{{202f}}]*(?:{})[\s\u{{a0}}\u{{202f}}]*$",
                    flex_spaces(&r.between)
                ),
            ) {
                ranges.push(CompiledRange { before, between });
            }
        }
        let bound_joiners = match alternation(&self.bound_joiners) {
            Some(alt) => c.regex(
                "bound_joiners",
                &format!(r"(?i)^[\s\u{{a0}}\u{{202f}},]*(?:{alt})?[\s\u{{a0}}\u{{202f}},]*$"),
            ),
            None => c.regex("bound_joiners", r"^[\s,]*$"),
        };
        let mut kinds = Vec::new();
        for (k, s) in &self.kinds {
            let b = c.before_regex(&format!("kinds.{k}.before"), &s.before);
            let a = c.after_regex(&format!("kinds.{k}.after"), &s.after);
            kinds.push((*k, b, a));
        }
        let year_cues = c.before_regex("year_cues", &self.year_cues);
        let changes = alternation(&self.changes)
            .and_then(|alt| c.regex("changes", &format!(r"(?i)\b(?:{alt})\b[^,.;:!?]*$")));
        let text_date = if self.months.is_empty() {
            None
        } else {
            let mut names: Vec<String> = self.months.keys().map(|m| regex::escape(m)).collect();
            names.sort_by_key(|n| std::cmp::Reverse(n.len()));
            let m = names.join("|");
            c.regex(
                "months",
                &format!(
                    r"(?i)\b(?:(?P<d1>\d{{1,2}})(?:º|°|er)?\s+(?:de\s+)?(?P<m1>{m})\.?\s+(?:de\s+)?(?P<y1>\d{{4}})|(?P<m2>{m})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})|(?P<m3>{m})\.?\s+(?:de\s+)?(?P<y3>\d{{4}}))\b"
                ),
            )
        };
        if !c.errors.is_empty() {
            return Err(Error::Invalid(c.errors));
        }
        let speller = self.speller();
        Ok(Language {
            code: self.code,
            name: self.name,
            decimal,
            groups: self.group_separators,
            lexicon,
            connectors: lower(&self.connectors),
            units_before_tens: self.units_before_tens,
            implicit_hundreds: self.implicit_hundreds,
            subunits: self
                .subunits
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            decimal_words: lower(&self.decimal_words),
            negative_words: lower(&self.negative_words),
            digit_scales: self
                .digit_scales
                .iter()
                .filter(|(k, _)| !exact_key(k))
                .map(|(k, v)| (k.to_lowercase().trim_end_matches('.').to_string(), *v))
                .collect(),
            digit_scales_exact: self
                .digit_scales
                .iter()
                .filter(|(k, _)| exact_key(k))
                .map(|(k, v)| (k.trim_end_matches('.').to_string(), *v))
                .collect(),
            decimal_digits: self
                .decimal_digits
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            fraction_words: self
                .fraction_words
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            fractions_after: self
                .fractions_after
                .iter()
                .map(|(k, v)| {
                    (
                        k.split_whitespace()
                            .map(str::to_lowercase)
                            .collect::<Vec<_>>(),
                        *v,
                    )
                })
                .filter(|(ws, _)| !ws.is_empty())
                .collect(),
            ordinal_suffixes: self.ordinal_suffixes,
            magnitudes_gate: magnitudes
                .as_ref()
                .map(|r| crate::rule::gate::Gate::new([r.as_str()])),
            magnitudes,
            magnitude_specs: self.magnitudes,
            qual_before,
            qual_after,
            ranges,
            bound_joiners,
            kinds,
            year_cues,
            months: self
                .months
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            text_date,
            stopwords: lower(&self.stopwords),
            abbreviations: lower(&self.abbreviations),
            particles: lower(&self.particles),
            changes,
            speller,
        })
    }

    /// One word per value for writing: a unit that is not an article, then the shortest,
    /// then the first in alphabetical order, which is the citation form where a language
    /// lists case forms (`один` over `одними`); the first in order for a thousand.
    fn speller(&self) -> Speller {
        let article = |w: &str| self.articles.iter().any(|a| a.eq_ignore_ascii_case(w));
        let pick = |map: &BTreeMap<String, f64>| {
            let mut out: BTreeMap<u64, String> = BTreeMap::new();
            for (w, v) in map {
                if v.fract() != 0.0 || *v < 0.0 || w.contains(['(', '[', '\\', '-', ' ', '.']) {
                    continue;
                }
                let better = match out.get(&(*v as u64)) {
                    None => true,
                    Some(old) => {
                        (article(old), old.chars().count()) > (article(w), w.chars().count())
                    }
                };
                if better {
                    out.insert(*v as u64, w.to_lowercase());
                }
            }
            out
        };
        Speller {
            units: pick(&self.units),
            hundreds: pick(&self.hundreds),
            thousand: {
                // not a word that also reads as a vague magnitude (`тысяч` = thousands)
                let vague: Vec<Regex> = self
                    .magnitudes
                    .iter()
                    .filter_map(|m| Regex::new(&format!("(?i)^(?:{})$", m.phrase)).ok())
                    .collect();
                let mut forms: Vec<&String> = self
                    .scales
                    .iter()
                    .filter(|(_, v)| **v == 1000.0)
                    .map(|(w, _)| w)
                    .collect();
                forms.sort_by_key(|w| w.chars().count());
                forms
                    .iter()
                    .find(|w| !vague.iter().any(|r| r.is_match(w)))
                    .or(forms.first())
                    .map(|w| w.to_lowercase())
            },
            connector: self.connectors.first().map(|c| c.to_lowercase()),
            units_before_tens: self.units_before_tens,
            compounds: self.compound_words,
        }
    }
}

/// Whether a digit-scale key matches only as written: one letter, or a capital in it.
fn exact_key(k: &str) -> bool {
    let k = k.trim_end_matches('.');
    k.chars().count() == 1 || k.chars().any(char::is_uppercase)
}

impl Language {
    /// The abbreviated scale `word` (as written, trailing period removed) stands for.
    pub fn digit_scale(&self, word: &str) -> Option<f64> {
        let w = word.trim_end_matches('.');
        self.digit_scales_exact
            .get(w)
            .or_else(|| self.digit_scales.get(&w.to_lowercase()))
            .copied()
    }
}

/// All languages found in a folder, compiled once.
#[derive(Debug, Default)]
pub struct Languages {
    langs: Vec<Language>,
}

impl Languages {
    /// Loads `DIR/*.yaml` (except `common.yaml`, which is merged into each).
    pub fn load(dir: &Path) -> Result<Languages> {
        let mut errors = Vec::new();
        let common_path = dir.join("common.yaml");
        let common = if common_path.exists() {
            match read_spec(&common_path) {
                Ok(s) => s,
                Err(Error::Invalid(ds)) => {
                    errors.extend(ds);
                    LangSpec::default()
                }
                Err(e) => return Err(e),
            }
        } else {
            LangSpec::default()
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .filter(|p| p.file_stem().is_some_and(|s| s != "common"))
            .collect();
        paths.sort();
        let mut langs = Vec::new();
        for p in paths {
            let mut spec = match read_spec(&p) {
                Ok(s) => s,
                Err(Error::Invalid(ds)) => {
                    errors.extend(ds);
                    continue;
                }
                Err(e) => return Err(e),
            };
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            if spec.code != stem {
                errors.push(Diagnostic::new(
                    &p,
                    format!(
                        "`code: {}` does not match the file name `{stem}`",
                        spec.code
                    ),
                ));
            }
            spec.merge_common(&common);
            match spec.compile(&p) {
                Ok(l) => langs.push(l),
                Err(Error::Invalid(ds)) => errors.extend(ds),
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(Languages { langs })
    }

    pub fn get(&self, code: &str) -> Option<&Language> {
        self.langs.iter().find(|l| l.code == code)
    }

    pub fn codes(&self) -> Vec<&str> {
        self.langs.iter().map(|l| l.code.as_str()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Language> {
        self.langs.iter()
    }

    /// Guesses the language of a text from stopword frequencies; `None` if no language scores.
    pub fn detect(&self, text: &str) -> Option<&Language> {
        let mut scores = vec![0usize; self.langs.len()];
        for w in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .take(2000)
        {
            let w = w.to_lowercase();
            for (i, l) in self.langs.iter().enumerate() {
                if l.stopwords.contains(&w) {
                    scores[i] += 1;
                }
            }
        }
        let (best, score) = scores.iter().enumerate().max_by_key(|(_, s)| **s)?;
        (*score > 0).then(|| &self.langs[best])
    }
}

fn read_spec(path: &Path) -> Result<LangSpec> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_yaml::from_str(&text).map_err(|e| Error::invalid(yaml_diagnostic(path, &e)))
}
