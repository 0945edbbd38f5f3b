//! Claim rules: loaded from YAML (`spec`), compiled once into matchers (this module), and
//! checked against the examples they carry (`examples`).

pub mod examples;
pub mod gate;
pub mod spec;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use regex::Regex;
use sha2::{Digest, Sha256};

use crate::document::PartialDate;
use crate::error::{line_col, yaml_diagnostic, Diagnostic, Error, Result};
use crate::lang::{flex_spaces, Languages};
pub use spec::Side;
use spec::{ExampleSpec, LangRulesSpec, RuleFile};

/// A metric definition.
#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub description: String,
    pub unit: String,
    pub cumulative: bool,
    pub subjects: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub title: String,
    pub from: PartialDate,
    pub to: PartialDate,
    pub place: Option<String>,
    pub places: Vec<String>,
    pub keywords: HashMap<String, Regex>,
    pub min_hits: usize,
}

impl Event {
    /// Whether an article of this date may be about the event.
    pub fn admits(&self, date: Option<&PartialDate>) -> bool {
        match date {
            None => true,
            Some(d) => {
                let (a, b) = d.span();
                a <= self.to.span().1 && b >= self.from.span().0
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub kind: Option<String>,
    pub part_of: Option<String>,
}

/// Places and the regex that finds their names in each language.
#[derive(Debug, Default)]
pub struct Gazetteer {
    pub places: Vec<Place>,
    names: HashMap<String, (Regex, HashMap<String, usize>)>,
}

impl Gazetteer {
    /// Place mentions in `text`: (start, end, place index).
    pub fn find(&self, lang: &str, text: &str) -> Vec<(usize, usize, usize)> {
        let Some((re, map)) = self.names.get(lang).or_else(|| self.names.get("all")) else {
            return Vec::new();
        };
        re.find_iter(text)
            .filter_map(|m| {
                map.get(&m.as_str().to_lowercase())
                    .map(|i| (m.start(), m.end(), *i))
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }

    /// Whether `part` lies in `whole` (directly or further down).
    pub fn within(&self, part: &str, whole: &str) -> bool {
        let mut cur = self.get(part);
        let mut guard = 0;
        while let Some(p) = cur {
            match &p.part_of {
                Some(up) if up == whole => return true,
                Some(up) => cur = self.get(up),
                None => return false,
            }
            guard += 1;
            if guard > 16 {
                return false;
            }
        }
        false
    }
}

#[derive(Debug)]
pub struct Trigger {
    pub re: Regex,
    pub side: Side,
    pub window: usize,
    pub pattern: String,
}

/// The words of one metric in one language, compiled.
#[derive(Debug)]
pub struct MetricRule {
    /// `lang/metric`, e.g. `it/deaths`.
    pub id: String,
    pub metric: String,
    pub lang: String,
    pub path: PathBuf,
    pub triggers: Vec<Trigger>,
    pub window: usize,
    pub priority: i32,
    pub exclude: Option<Regex>,
    pub directions: Vec<(String, Regex)>,
    pub examples: Vec<ExampleSpec>,
    /// Line of the metric's entry in its file, for messages.
    pub line: Option<usize>,
}

/// Everything one language needs to turn numbers into claims.
#[derive(Debug)]
pub struct LangRules {
    pub lang: String,
    pub metrics: Vec<MetricRule>,
    pub subjects: Vec<(String, Regex)>,
    pub source_follows: Option<Regex>,
    pub source_precedes: Option<Regex>,
    pub source_breaks: Option<Regex>,
    pub hedges: Option<Regex>,
    pub negations: Option<Regex>,
    pub joiners: Option<Regex>,
    pub carry: Option<Regex>,
    pub part_of_previous: Option<Regex>,
    pub rates: Vec<(String, Regex)>,
    pub rates_before: Vec<(String, Regex)>,
    pub exclude: Option<Regex>,
}

/// All rules, compiled once and shared by every document.
#[derive(Debug)]
pub struct RuleSet {
    pub dir: PathBuf,
    pub langs: Languages,
    pub metrics: Vec<Metric>,
    pub subjects: Vec<String>,
    pub events: Vec<Event>,
    pub places: Gazetteer,
    pub by_lang: HashMap<String, LangRules>,
    /// Hash of every rule and language file: claims made by other rules are re-extracted.
    pub version: String,
    /// Fact rules and the entities gazetteer, compiled by [`crate::fact::compile`].
    pub facts: crate::fact::FactRules,
}

impl RuleSet {
    pub fn metric(&self, id: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.id == id)
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// Every rule file (numbers data included) under `dir`, in a stable order.
    pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
        if !dir.is_dir() {
            return Err(Error::invalid(Diagnostic::new(
                dir,
                "rules folder not found",
            )));
        }
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let e =
                e.map_err(|e| Error::invalid(Diagnostic::new(dir, format!("cannot walk: {e}"))))?;
            let p = e.path();
            let yaml = p.extension().is_some_and(|x| x == "yaml" || x == "yml");
            let hidden = e.file_name().to_string_lossy().starts_with('.');
            if e.file_type().is_file() && yaml && !hidden && e.file_name() != "baseline.yaml" {
                out.push(p.to_path_buf());
            }
        }
        Ok(out)
    }

    /// Loads and compiles every rule file under `dir`, reporting every problem at once.
    pub fn load(dir: &Path) -> Result<RuleSet> {
        let files = Self::files(dir)?;
        let lang_dir = dir.join("lang");
        let mut errors = Vec::new();
        let langs = if lang_dir.is_dir() {
            match Languages::load(&lang_dir) {
                Ok(l) => l,
                Err(Error::Invalid(ds)) => {
                    errors.extend(ds);
                    Languages::default()
                }
                Err(e) => return Err(e),
            }
        } else {
            errors.push(Diagnostic::new(
                &lang_dir,
                "no number data: the folder `lang/` with one YAML file per language is missing",
            ));
            Languages::default()
        };
        let mut hasher = Sha256::new();
        let mut parsed: Vec<(PathBuf, String, RuleFile)> = Vec::new();
        for p in &files {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            hasher.update(p.to_string_lossy().as_bytes());
            hasher.update(text.as_bytes());
            if p.starts_with(&lang_dir) {
                continue;
            }
            if let Some(i) = text.find('\t') {
                let (line, col) = line_col(&text, i);
                let line_text = text.lines().nth(line - 1).unwrap_or("");
                if line_text[..line_text.find('\t').unwrap_or(0)]
                    .trim()
                    .is_empty()
                {
                    errors.push(
                        Diagnostic::new(
                            p,
                            "a tab is used for indentation; YAML allows only spaces",
                        )
                        .at(line, col),
                    );
                    continue;
                }
            }
            match serde_yaml::from_str::<Option<RuleFile>>(&text) {
                Ok(f) => parsed.push((p.clone(), text, f.unwrap_or_default())),
                Err(e) => errors.push(explain_yaml(p, &text, &e)),
            }
        }
        let version = crate::document::hex(&hasher.finalize())[..16].to_string();
        let mut c = Compiler { errors };
        let set = c.build(dir, langs, parsed, version);
        if !c.errors.is_empty() {
            return Err(Error::Invalid(c.errors));
        }
        Ok(set)
    }
}

/// A serde_yaml error with its location and, where it helps, a plainer explanation.
fn explain_yaml(path: &Path, text: &str, e: &serde_yaml::Error) -> Diagnostic {
    let mut d = yaml_diagnostic(path, e);
    if d.message.contains("unknown field") {
        d.message = d.message.replacen("unknown field", "unknown key", 1);
    }
    if let Some(line) = d.line {
        // name the entry the error is in, when an `id:` or `lang:` precedes it
        let upto: Vec<&str> = text.lines().take(line).collect();
        if let Some(id) = upto.iter().rev().find_map(|l| {
            let t = l.trim_start_matches([' ', '-']);
            t.strip_prefix("id:")
                .or_else(|| t.strip_prefix("lang:"))
                .map(|v| v.trim().trim_matches('"').to_string())
        }) {
            d.rule = Some(id);
        }
    }
    d
}

/// Where `needle` first occurs in `text`, as a 1-based (line, column), searching from the
/// `nth` (0-based) occurrence. A needle ending in `:` is a key and only matches at the start
/// of a line (after indentation and `- `).
pub fn locate(text: &str, needle: &str, nth: usize) -> Option<(usize, usize)> {
    locate_from(text, 0, needle, nth)
}

fn locate_from(text: &str, from: usize, needle: &str, nth: usize) -> Option<(usize, usize)> {
    let key = needle.ends_with(':') && !needle.contains(' ');
    let mut seen = 0;
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(needle).map(|i| i + at) {
        let line_start = text[..i].rfind('\n').map_or(0, |j| j + 1);
        let lead = &text[line_start..i];
        if !key || lead.chars().all(|c| c == ' ' || c == '-') {
            if seen == nth {
                return Some(line_col(text, i));
            }
            seen += 1;
        }
        at = i + needle.len().max(1);
    }
    None
}

/// `needle` located after the first occurrence of `anchor` (an entry's `id: X` line), so
/// that a key shared by many entries is found in the right one.
pub fn locate_after(text: &str, anchor: &str, needle: &str) -> Option<(usize, usize)> {
    let from = text.find(anchor).unwrap_or(0);
    locate_from(text, from, needle, 0).or_else(|| locate(text, needle, 0))
}

#[derive(Default)]
struct Compiler {
    errors: Vec<Diagnostic>,
}

impl Compiler {
    fn err(&mut self, path: &Path, text: &str, needle: &str, rule: &str, msg: String) {
        let mut d = Diagnostic::new(path, msg).rule(rule);
        if let Some((l, c)) = locate(text, needle, 0) {
            d = d.at(l, c);
        }
        self.errors.push(d);
    }

    /// An error located at `needle` within the entry that `anchor` starts.
    fn err_in(
        &mut self,
        path: &Path,
        text: &str,
        anchor: &str,
        needle: &str,
        rule: &str,
        msg: String,
    ) {
        let mut d = Diagnostic::new(path, msg).rule(rule);
        if let Some((l, c)) = locate_after(text, anchor, needle) {
            d = d.at(l, c);
        }
        self.errors.push(d);
    }

    fn regex(
        &mut self,
        path: &Path,
        text: &str,
        rule: &str,
        what: &str,
        pattern: &str,
        lexicons: &BTreeMap<String, String>,
    ) -> Option<Regex> {
        let expanded = match expand_lexicons(pattern, lexicons) {
            Ok(p) => p,
            Err(name) => {
                self.err(
                    path,
                    text,
                    pattern,
                    rule,
                    format!(
                        "{what} `{pattern}` uses `{{{name}}}`, but no lexicon `{name}` is defined"
                    ),
                );
                return None;
            }
        };
        let full = format!(r"(?i)\b(?:{})\b", flex_spaces(&expanded));
        match Regex::new(&full) {
            Ok(r) => Some(r),
            Err(e) => {
                let why = match &e {
                    regex::Error::Syntax(s) => s
                        .lines()
                        .last()
                        .unwrap_or(s)
                        .trim()
                        .trim_start_matches("error: ")
                        .to_string(),
                    other => other.to_string(),
                };
                self.err(
                    path,
                    text,
                    pattern,
                    rule,
                    format!("{what} `{pattern}` is not a valid regular expression: {why}"),
                );
                None
            }
        }
    }

    /// Whether a pattern parses, reporting the problem if not (without compiling it).
    fn check(
        &mut self,
        path: &Path,
        text: &str,
        rule: &str,
        what: &str,
        pattern: &str,
        lexicons: &BTreeMap<String, String>,
    ) -> bool {
        let expanded = match expand_lexicons(pattern, lexicons) {
            Ok(p) => p,
            Err(name) => {
                self.err(
                    path,
                    text,
                    pattern,
                    rule,
                    format!(
                        "{what} `{pattern}` uses `{{{name}}}`, but no lexicon `{name}` is defined"
                    ),
                );
                return false;
            }
        };
        match regex_syntax::ParserBuilder::new()
            .build()
            .parse(&format!(r"(?i)\b(?:{})\b", flex_spaces(&expanded)))
        {
            Ok(_) => true,
            Err(e) => {
                let why = crate::error::regex_reason(&e.to_string());
                self.err(
                    path,
                    text,
                    pattern,
                    rule,
                    format!("{what} `{pattern}` is not a valid regular expression: {why}"),
                );
                false
            }
        }
    }

    fn alternation(
        &mut self,
        path: &Path,
        text: &str,
        rule: &str,
        what: &str,
        ps: &[String],
        lex: &BTreeMap<String, String>,
    ) -> Option<Regex> {
        if ps.is_empty() {
            return None;
        }
        // check each alone (parsing is cheap) so a bad one is named precisely, then compile
        // the union once
        let mut ok = true;
        for p in ps {
            ok &= self.check(path, text, rule, what, p, lex);
        }
        if !ok {
            return None;
        }
        let joined: Vec<String> = ps.iter().map(|p| format!("(?:{p})")).collect();
        self.regex(path, text, rule, what, &joined.join("|"), lex)
    }

    fn build(
        &mut self,
        dir: &Path,
        langs: Languages,
        files: Vec<(PathBuf, String, RuleFile)>,
        version: String,
    ) -> RuleSet {
        let mut metrics: Vec<Metric> = Vec::new();
        let mut subjects: Vec<String> = Vec::new();
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut events = Vec::new();
        let mut places = Gazetteer::default();
        let mut aliases: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        // where each id was first defined, to name both places of a duplicate
        let mut first: HashMap<(String, String), (PathBuf, Option<usize>)> = HashMap::new();
        let mut dup = |c: &mut Compiler, kind: &str, id: &str, path: &Path, text: &str| -> bool {
            let k = (kind.to_string(), id.to_string());
            let n = seen.entry(k.clone()).or_insert(0);
            *n += 1;
            let here = locate(
                text,
                &format!("id: {id}"),
                if first.get(&k).is_some_and(|f| f.0 == path) {
                    *n - 1
                } else {
                    0
                },
            );
            if *n > 1 {
                let (fp, fl) = &first[&k];
                let at = fl
                    .map(|l| format!("{}:{l}", fp.display()))
                    .unwrap_or_else(|| fp.display().to_string());
                let mut d = Diagnostic::new(path, format!("duplicate {kind} id `{id}` (first defined at {at}): ids must be unique across all rule files")).rule(id);
                if let Some((l, col)) = here {
                    d = d.at(l, col);
                }
                c.errors.push(d);
                return true;
            }
            first.insert(k, (path.to_path_buf(), here.map(|x| x.0)));
            false
        };
        // definitions first, so languages can refer to them whatever the file order
        for (path, text, f) in &files {
            for m in &f.metrics {
                if dup(self, "metric", &m.id, path, text) {
                    continue;
                }
                metrics.push(Metric {
                    id: m.id.clone(),
                    description: m.description.clone(),
                    unit: m.unit.clone(),
                    cumulative: m.cumulative,
                    subjects: m.subjects.clone(),
                });
            }
            for s in &f.subjects {
                if !dup(self, "subject", &s.id, path, text) {
                    subjects.push(s.id.clone());
                }
            }
            for p in &f.places {
                if dup(self, "place", &p.id, path, text) {
                    continue;
                }
                let idx = places.places.len();
                places.places.push(Place {
                    id: p.id.clone(),
                    kind: p.kind.clone(),
                    part_of: p.part_of.clone(),
                });
                aliases
                    .entry("all".into())
                    .or_default()
                    .push((p.id.clone(), idx));
                for (lang, names) in &p.aliases {
                    for n in names {
                        aliases
                            .entry(lang.clone())
                            .or_default()
                            .push((n.clone(), idx));
                    }
                }
            }
        }
        for (path, text, f) in &files {
            for m in &f.metrics {
                for s in &m.subjects {
                    if !subjects.contains(s) {
                        self.err(path, text, s, &m.id, format!("metric `{}` names subject `{s}`, which no `subjects:` entry defines", m.id));
                    }
                }
            }
            for p in &f.places {
                if let Some(up) = &p.part_of {
                    if places.get(up).is_none() {
                        self.err(
                            path,
                            text,
                            &format!("part_of: {up}"),
                            &p.id,
                            format!(
                                "place `{}` is part of `{up}`, which is not in the gazetteer",
                                p.id
                            ),
                        );
                    }
                }
            }
        }
        // the gazetteer's name finders: names of every language are also valid in each
        let all = aliases.remove("all").unwrap_or_default();
        let mut lang_codes: HashSet<String> = langs.codes().iter().map(|s| s.to_string()).collect();
        lang_codes.extend(aliases.keys().cloned());
        lang_codes.insert("all".into());
        for code in lang_codes {
            let mut names: Vec<(String, usize)> = all.clone();
            names.extend(aliases.get(&code).cloned().unwrap_or_default());
            for (k, v) in &aliases {
                if k != &code {
                    names.extend(v.iter().cloned());
                }
            }
            if names.is_empty() {
                continue;
            }
            names.sort_by_key(|n| std::cmp::Reverse(n.0.len()));
            let map: HashMap<String, usize> =
                names.iter().map(|(n, i)| (n.to_lowercase(), *i)).collect();
            let alt: Vec<String> = names.iter().map(|(n, _)| regex::escape(n)).collect();
            if let Ok(re) = Regex::new(&format!(r"(?i)\b(?:{})\b", alt.join("|"))) {
                places.names.insert(code, (re, map));
            }
        }
        for (path, text, f) in &files {
            for e in &f.events {
                if dup(self, "event", &e.id, path, text) {
                    continue;
                }
                let from = PartialDate::parse(&e.window.from);
                let to = PartialDate::parse(&e.window.to);
                let (Some(from), Some(to)) = (from, to) else {
                    self.err_in(
                        path,
                        text,
                        &format!("id: {}", e.id),
                        "window:",
                        &e.id,
                        format!("event `{}`: window dates must be YYYY-MM-DD", e.id),
                    );
                    continue;
                };
                if to.before(&from) {
                    self.err_in(
                        path,
                        text,
                        &format!("id: {}", e.id),
                        "window:",
                        &e.id,
                        format!(
                            "event `{}`: its window ends ({to}) before it starts ({from})",
                            e.id
                        ),
                    );
                    continue;
                }
                for p in e.place.iter().chain(e.places.iter()) {
                    if places.get(p).is_none() {
                        self.err_in(
                            path,
                            text,
                            &format!("id: {}", e.id),
                            p,
                            &e.id,
                            format!(
                                "event `{}` names place `{p}`, which is not in the gazetteer",
                                e.id
                            ),
                        );
                    }
                }
                let mut keywords = HashMap::new();
                for (lang, ws) in &e.keywords {
                    if langs.get(lang).is_none() && !langs.codes().is_empty() {
                        self.err_in(path, text, &format!("id: {}", e.id), &format!("{lang}:"), &e.id, format!("event `{}` has keywords for `{lang}`, a language with no number data", e.id));
                    }
                    if let Some(r) =
                        self.alternation(path, text, &e.id, "keyword", ws, &BTreeMap::new())
                    {
                        keywords.insert(lang.clone(), r);
                    }
                }
                events.push(Event {
                    id: e.id.clone(),
                    title: e.title.clone(),
                    from,
                    to,
                    place: e.place.clone(),
                    places: e.places.clone(),
                    keywords,
                    min_hits: e.min_hits,
                });
            }
        }
        // a language's words may be spread over several files (a new metric in a file of its
        // own); entries are compiled one by one, for located errors, then merged
        let mut entries: BTreeMap<&str, Vec<(&PathBuf, &String, &LangRulesSpec)>> = BTreeMap::new();
        for (path, text, f) in &files {
            for l in &f.languages {
                entries
                    .entry(l.lang.as_str())
                    .or_default()
                    .push((path, text, l));
            }
        }
        let mut by_lang: HashMap<String, LangRules> = HashMap::new();
        for (lang, es) in entries {
            if langs.get(lang).is_none() {
                // a language file that exists but failed to load has been reported already
                if dir.join("lang").join(format!("{lang}.yaml")).is_file() {
                    continue;
                }
                for (path, text, _) in &es {
                    self.err(
                        path,
                        text,
                        &format!("lang: {lang}"),
                        lang,
                        format!(
                            "language `{lang}` has no number data: add {}/lang/{lang}.yaml",
                            dir.display()
                        ),
                    );
                }
                continue;
            }
            let mut lexicons: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (_, _, l) in &es {
                for (k, v) in &l.lexicons {
                    lexicons
                        .entry(k.clone())
                        .or_default()
                        .extend(v.iter().cloned());
                }
            }
            let mut merged: Option<LangRules> = None;
            for (path, text, l) in es {
                let lr = self.lang_rules(path, text, l, &metrics, &subjects, &lexicons);
                merged = Some(match merged {
                    None => lr,
                    Some(m) => self.merge(m, lr, path, text),
                });
            }
            if let Some(m) = merged {
                by_lang.insert(lang.to_string(), m);
            }
        }
        let (facts, errors) = crate::fact::compile(&files, &langs.codes());
        self.errors.extend(errors);
        RuleSet {
            dir: dir.to_path_buf(),
            langs,
            metrics,
            subjects,
            events,
            places,
            by_lang,
            version,
            facts,
        }
    }

    /// Joins the words of one language found in two places.
    fn merge(&mut self, mut a: LangRules, b: LangRules, path: &Path, text: &str) -> LangRules {
        fn union(x: Option<Regex>, y: Option<Regex>) -> Option<Regex> {
            match (x, y) {
                (Some(x), Some(y)) => {
                    Regex::new(&format!("(?:{})|(?:{})", x.as_str(), y.as_str())).ok()
                }
                (x, None) => x,
                (None, y) => y,
            }
        }
        for m in b.metrics {
            if a.metrics.iter().any(|x| x.metric == m.metric) {
                self.err(
                    path,
                    text,
                    &format!("{}:", m.metric),
                    &m.id,
                    format!(
                        "`{}` has {} words in two places; keep them in one file",
                        m.metric, a.lang
                    ),
                );
                continue;
            }
            a.metrics.push(m);
        }
        a.subjects.extend(b.subjects);
        a.rates.extend(b.rates);
        a.rates_before.extend(b.rates_before);
        a.source_follows = union(a.source_follows, b.source_follows);
        a.source_precedes = union(a.source_precedes, b.source_precedes);
        a.source_breaks = union(a.source_breaks, b.source_breaks);
        a.hedges = union(a.hedges, b.hedges);
        a.negations = union(a.negations, b.negations);
        a.joiners = union(a.joiners, b.joiners);
        a.carry = union(a.carry, b.carry);
        a.part_of_previous = union(a.part_of_previous, b.part_of_previous);
        a.exclude = union(a.exclude, b.exclude);
        a
    }

    fn lang_rules(
        &mut self,
        path: &Path,
        text: &str,
        l: &LangRulesSpec,
        metrics: &[Metric],
        subjects: &[String],
        lexicons: &BTreeMap<String, Vec<String>>,
    ) -> LangRules {
        let lang = &l.lang;
        let mut lex: BTreeMap<String, String> = BTreeMap::new();
        for (name, words) in lexicons {
            let joined: Vec<String> = words.iter().map(|w| format!("(?:{w})")).collect();
            lex.insert(name.clone(), format!("(?:{})", joined.join("|")));
        }
        // a lexicon may use other lexicons, a few levels deep; an unknown name is reported
        // where a pattern uses the lexicon
        for _ in 0..4 {
            let snapshot = lex.clone();
            for v in lex.values_mut() {
                if v.contains('{') {
                    if let Ok(x) = expand_lexicons(v, &snapshot) {
                        *v = x;
                    }
                }
            }
        }
        let rid = lang.to_string();
        let source_follows =
            self.alternation(path, text, &rid, "source cue", &l.sources.follows, &lex);
        let source_precedes =
            self.alternation(path, text, &rid, "source cue", &l.sources.precedes, &lex);
        let source_breaks =
            self.alternation(path, text, &rid, "source break", &l.sources.breaks, &lex);
        let hedges = self.alternation(path, text, &rid, "hedge", &l.hedges, &lex);
        let negations = self.alternation(path, text, &rid, "negation", &l.negations, &lex);
        let joiners = self.alternation(path, text, &rid, "joiner", &l.joiners, &lex);
        let carry = self.alternation(path, text, &rid, "carry phrase", &l.carry, &lex);
        let part_of_previous =
            self.alternation(path, text, &rid, "part phrase", &l.part_of_previous, &lex);
        let mut rates_by_unit = |map: &BTreeMap<String, Vec<String>>| {
            map.iter()
                .filter_map(|(unit, ps)| {
                    self.alternation(path, text, &rid, "rate", ps, &lex)
                        .map(|r| (unit.clone(), r))
                })
                .collect::<Vec<_>>()
        };
        let rates = rates_by_unit(&l.rates);
        let rates_before = rates_by_unit(&l.rates_before);
        let exclude = self.alternation(path, text, &rid, "exclude", &l.exclude, &lex);
        let mut subj = Vec::new();
        for (id, ps) in &l.subjects {
            if !subjects.contains(id) {
                self.err(
                    path,
                    text,
                    &format!("{id}:"),
                    &rid,
                    format!("subject `{id}` is not defined in any `subjects:` list"),
                );
                continue;
            }
            if let Some(r) = self.alternation(path, text, &rid, "subject pattern", ps, &lex) {
                subj.push((id.clone(), r));
            }
        }
        let mut rules = Vec::new();
        for (mid, mw) in &l.metrics {
            let rule_id = format!("{lang}/{mid}");
            let line = locate(text, &format!("{mid}:"), 0).map(|x| x.0);
            if !metrics.iter().any(|m| &m.id == mid) {
                self.err(
                    path,
                    text,
                    &format!("{mid}:"),
                    &rule_id,
                    format!("`{mid}` is not a metric: define it under `metrics:` first"),
                );
                continue;
            }
            if mw.triggers.is_empty() {
                self.err(
                    path,
                    text,
                    &format!("{mid}:"),
                    &rule_id,
                    "a metric rule needs at least one trigger".into(),
                );
            }
            let window = mw.window.unwrap_or(6);
            let mut triggers = Vec::new();
            for t in &mw.triggers {
                let (pattern, side, w) = match t {
                    spec::TriggerSpec::Pattern(p) => (p.clone(), Side::Any, window),
                    spec::TriggerSpec::Full(f) => {
                        (f.pattern.clone(), f.side, f.window.unwrap_or(window))
                    }
                };
                if let Some(re) = self.regex(path, text, &rule_id, "trigger", &pattern, &lex) {
                    triggers.push(Trigger {
                        re,
                        side,
                        window: w,
                        pattern,
                    });
                }
            }
            let exclude = self.alternation(path, text, &rule_id, "exclude", &mw.exclude, &lex);
            let mut directions = Vec::new();
            for (d, ps) in &mw.directions {
                if let Some(r) = self.alternation(path, text, &rule_id, "direction", ps, &lex) {
                    directions.push((d.clone(), r));
                }
            }
            if mw.examples.is_empty() {
                self.err(
                    path,
                    text,
                    &format!("{mid}:"),
                    &rule_id,
                    "a metric rule must carry examples that must and must not match".into(),
                );
            } else if !mw
                .examples
                .iter()
                .any(|e| matches!(e.expect, spec::ExpectSpec::Nothing(_)))
            {
                self.err(
                    path,
                    text,
                    &format!("{mid}:"),
                    &rule_id,
                    "a metric rule needs at least one example with `expect: none`".into(),
                );
            } else if !mw
                .examples
                .iter()
                .any(|e| matches!(e.expect, spec::ExpectSpec::Claim(_)))
            {
                self.err(
                    path,
                    text,
                    &format!("{mid}:"),
                    &rule_id,
                    "a metric rule needs at least one example that yields a claim".into(),
                );
            }
            rules.push(MetricRule {
                id: rule_id,
                metric: mid.clone(),
                lang: lang.clone(),
                path: path.to_path_buf(),
                triggers,
                window,
                priority: mw.priority,
                exclude,
                directions,
                examples: mw.examples.clone(),
                line,
            });
        }
        LangRules {
            lang: lang.clone(),
            metrics: rules,
            subjects: subj,
            source_follows,
            source_precedes,
            source_breaks,
            hedges,
            negations,
            joiners,
            carry,
            part_of_previous,
            rates,
            rates_before,
            exclude,
        }
    }
}

/// Replaces `{name}` with the lexicon `name`; returns the unknown name on failure. Regex
/// repetitions such as `{2}` or `{1,3}` are left alone.
fn expand_lexicons(p: &str, lex: &BTreeMap<String, String>) -> std::result::Result<String, String> {
    expand_placeholders(p, |name| lex.get(name).cloned())
}

/// Replaces every `{name}` in a pattern with what `lookup` gives for it; the error is the
/// first name it does not know. Regex repetitions (`{2}`, `{1,3}`) are not names.
pub(crate) fn expand_placeholders(
    p: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = p;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match tail.find('}') {
            Some(j)
                if tail[..j].chars().all(|c| c.is_alphanumeric() || c == '_')
                    && tail[..j].chars().any(char::is_alphabetic) =>
            {
                let name = &tail[..j];
                out.push_str(&lookup(name).ok_or_else(|| name.to_string())?);
                rest = &tail[j + 1..];
            }
            _ => {
                out.push('{');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}
