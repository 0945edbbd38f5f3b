//! Cheap necessary conditions for expensive regular expressions.
//!
//! A pattern such as `(?i)\bcapitale {of} {subject},? {value}` can only match a sentence that
//! contains `capitale`. [`required`] reads such words off a pattern's syntax tree: a set of
//! case-folded strings of which every match contains at least one. A [`Gate`] then finds, in one
//! Aho–Corasick pass over the case-folded sentence, which patterns can match at all, so that
//! the capturing search (the costly part) runs only where it may succeed. A gate never
//! changes a result: it only skips searches that could not have found anything.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Strings shorter than this (in bytes) make a gate that lets nearly every sentence through;
/// a pattern whose best literal set has one is left ungated.
const MIN_LEN: usize = 3;

/// A set of folded strings (see [`fold`]) every match of `source` contains one of, or `None` when the
/// pattern has no such set worth checking (it starts with a class, every branch optional...).
pub fn required(source: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .ok()?;
    let set = req(&hir)?;
    (set.iter().all(|s| s.len() >= MIN_LEN)).then_some(set)
}

/// The folded literal text `h` always matches, if it matches exactly one (up to case).
fn lit(h: &Hir) -> Option<String> {
    match h.kind() {
        HirKind::Literal(l) => std::str::from_utf8(&l.0).ok().map(fold),
        HirKind::Class(c) => one_char(c),
        HirKind::Capture(c) => lit(&c.sub),
        HirKind::Concat(hs) => hs.iter().map(lit).collect(),
        _ => None,
    }
}

/// Text with every character mapped to one representative of its case variants (`S`, `s` and
/// `ſ` all become `s`), character by character, so that a substring stays a substring.
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_uppercase)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A class that holds the case variants of one character (`[Cc]`, `[Ssſ]`), as that
/// character folded.
fn one_char(c: &Class) -> Option<String> {
    let Class::Unicode(u) = c else {
        return None;
    };
    let mut out: Option<String> = None;
    let mut n = 0;
    for r in u.ranges() {
        for ch in r.start()..=r.end() {
            n += 1;
            if n > 4 {
                return None;
            }
            let low = fold(ch.encode_utf8(&mut [0; 4]));
            match &out {
                None => out = Some(low),
                Some(o) if *o == low => {}
                Some(_) => return None,
            }
        }
    }
    out
}

/// Orders candidate sets: longer shortest string first, then fewer strings.
fn better(a: &[String], b: &[String]) -> bool {
    let min = |s: &[String]| s.iter().map(String::len).min().unwrap_or(0);
    (min(a), std::cmp::Reverse(a.len())) > (min(b), std::cmp::Reverse(b.len()))
}

fn req(h: &Hir) -> Option<Vec<String>> {
    if let Some(s) = lit(h) {
        return (!s.is_empty()).then(|| vec![s]);
    }
    match h.kind() {
        HirKind::Capture(c) => req(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => req(&r.sub),
        HirKind::Alternation(hs) => {
            let mut all = Vec::new();
            for h in hs {
                all.extend(req(h)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(hs) => {
            let mut best: Option<Vec<String>> = None;
            let mut offer = |cand: Vec<String>| {
                if best.as_ref().is_none_or(|b| better(&cand, b)) {
                    best = Some(cand);
                }
            };
            // runs of literal pieces are one required string
            let mut run = String::new();
            for h in hs {
                match lit(h) {
                    Some(s) => run.push_str(&s),
                    None => {
                        if !run.is_empty() {
                            offer(vec![std::mem::take(&mut run)]);
                        }
                        if let Some(c) = req(h) {
                            offer(c);
                        }
                    }
                }
            }
            if !run.is_empty() {
                offer(vec![run]);
            }
            best
        }
        _ => None,
    }
}

/// Which of a list of patterns may match a text, by their required strings.
#[derive(Debug)]
pub struct Gate {
    ac: Option<AhoCorasick>,
    /// For each string of the automaton, the pattern it belongs to.
    owner: Vec<usize>,
    /// Patterns without a gate: always searched.
    open: Vec<bool>,
}

impl Gate {
    /// A gate over patterns given as their regular expression sources.
    pub fn new<'a>(sources: impl IntoIterator<Item = &'a str>) -> Gate {
        let mut words = Vec::new();
        let mut owner = Vec::new();
        let mut open = Vec::new();
        for (i, src) in sources.into_iter().enumerate() {
            match required(src) {
                Some(set) => {
                    open.push(false);
                    for w in set {
                        words.push(w);
                        owner.push(i);
                    }
                }
                None => open.push(true),
            }
        }
        let ac = (!words.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&words)
                .expect("a few hundred short words always build")
        });
        Gate { ac, owner, open }
    }

    /// For each pattern, whether it may match `text`.
    pub fn open(&self, text: &str) -> Vec<bool> {
        let mut on = self.open.clone();
        if let Some(ac) = &self.ac {
            let lower = fold(text);
            for m in ac.find_overlapping_iter(&lower) {
                on[self.owner[m.pattern().as_usize()]] = true;
            }
        }
        on
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn literal_words_of_a_pattern() {
        assert_eq!(
            required(r"(?i)\bcapitale(?:\s+del)?\s+(?-i:\p{Lu}\p{L}*)"),
            Some(vec!["capitale".to_string()])
        );
        let mut set = required(r"(?i)\b(?:presidente|capo dello stato)\s+\w+").unwrap();
        set.sort();
        assert_eq!(set, vec!["capo dello stato", "presidente"]);
    }

    #[test]
    fn no_gate_when_every_piece_is_optional_or_a_class() {
        assert_eq!(required(r"(?i)\b\p{Lu}\p{L}+"), None);
        assert_eq!(required(r"(?i)(?:capital)?\s+\w+"), None);
        assert_eq!(required(r"(?i)(?:capital|x)\s+\w+"), None);
    }

    #[test]
    fn gate_opens_only_patterns_whose_words_appear() {
        let g = Gate::new([r"(?i)\bcapital (\w+)", r"(?i)\bpresident (\w+)", r"\w+"]);
        assert_eq!(g.open("The CAPITAL Astana"), vec![true, false, true]);
        assert_eq!(g.open("nothing here"), vec![false, false, true]);
    }

    proptest! {
        /// A gate is a necessary condition: whenever the regex matches, the gate is open.
        #[test]
        fn gate_never_hides_a_match(
            word in "(capitale|hauptstadt|straße|столица|président|ſtadt)",
            pre in "[a-zA-Zàé ]{0,12}",
            post in "[A-Z][a-z]{1,8}",
            upper in any::<bool>(),
        ) {
            let src = format!(r"(?i)\b{word}\s+(?-i:\p{{Lu}}\p{{L}}*)");
            let re = regex::Regex::new(&src).unwrap();
            let g = Gate::new([src.as_str()]);
            let w = if upper { word.to_uppercase() } else { word.clone() };
            let text = format!("{pre} {w} {post}");
            if re.is_match(&text) {
                prop_assert!(g.open(&text)[0]);
            }
        }
    }
}
