//! Reads numbers written in words, compounds included (`ventitré`, `duecentocinquantamila`,
//! `einundzwanzig`, `quatre-vingt-dix`, `doscientos mil`, `двадцать пять`).
//!
//! Each word (hyphen-joined parts count as one word) is segmented into number morphemes by the
//! language's lexicon; the morphemes are then folded left to right. Units add within a group,
//! a hundred multiplies the group, a scale closes the group into the total. A morpheme that
//! cannot follow the previous ones (`tre due`, `venti trenta`) ends the number before its word,
//! so a list of numbers reads as several numbers.

use super::token::{TokKind, Token};
use crate::lang::{Language, WordRole};

/// A number read from words.
#[derive(Debug, Clone, PartialEq)]
pub struct WordNumber {
    pub value: f64,
    /// Index of the first token after the number.
    pub next: usize,
    pub start: usize,
    pub end: usize,
    pub ordinal: bool,
}

#[derive(Debug, Clone)]
struct State {
    total: f64,
    current: f64,
    /// Value of the last unit added to the current group (infinity when the group is empty).
    last_add: f64,
    /// The last scale applied to the total (infinity before any).
    last_scale: f64,
    prev: Option<WordRole>,
    pending_article: bool,
    any: bool,
    ordinal: bool,
    connector_before: bool,
}

impl State {
    fn new() -> Self {
        State {
            total: 0.0,
            current: 0.0,
            last_add: f64::INFINITY,
            last_scale: f64::INFINITY,
            prev: None,
            pending_article: false,
            any: false,
            ordinal: false,
            connector_before: false,
        }
    }

    fn value(&self) -> f64 {
        self.total + self.current
    }

    fn add(&mut self, v: f64, units_before_tens: bool) -> bool {
        if self.pending_article {
            return false;
        }
        let empty = self.current == 0.0 && self.last_add.is_infinite();
        if !empty {
            let teen = (11.0..20.0).contains(&self.last_add);
            let descending = v < self.last_add && self.last_add >= 10.0 && !teen && v != 0.0;
            // `einundzwanzig`: a unit, `und`, then its tens
            let unit_then_tens = units_before_tens
                && self.connector_before
                && self.last_add < 10.0
                && (20.0..100.0).contains(&v)
                && v % 10.0 == 0.0
                && self.current % 100.0 < 10.0;
            // the place must be free: `cento venti` yes, `venti cento` is not a unit
            let fits = (self.current % 100.0) + v < 100.0 || self.current % 100.0 == 0.0;
            if !(descending || unit_then_tens) || !fits && v < 100.0 {
                return false;
            }
            if v >= 100.0 && self.current % 1000.0 != 0.0 {
                return false;
            }
        }
        if v == 0.0 && self.any {
            return false;
        }
        self.current += v;
        self.last_add = v;
        true
    }

    fn apply(&mut self, role: WordRole, ubt: bool) -> bool {
        if self.ordinal {
            return false;
        }
        let ok = match role {
            WordRole::Unit(v) => self.add(v, ubt),
            WordRole::Ordinal(v) => {
                let ok = if v >= 100.0 && self.current > 0.0 && self.current < v {
                    self.current *= v;
                    true
                } else if self.any && v >= 1000.0 {
                    self.total = (self.total + self.current.max(1.0)) * v;
                    self.current = 0.0;
                    true
                } else {
                    self.add(v, ubt)
                };
                self.ordinal = ok;
                ok
            }
            WordRole::Hundred(h) => {
                if self.pending_article {
                    self.pending_article = false;
                    self.current = 1.0;
                }
                if self.current >= h {
                    false
                } else {
                    self.current = self.current.max(1.0) * h;
                    self.last_add = h;
                    true
                }
            }
            WordRole::Scale(s) => {
                if self.pending_article {
                    self.pending_article = false;
                    self.current = 1.0;
                }
                if self.current == 0.0 && self.total == 0.0 {
                    self.total = s;
                    self.last_scale = s;
                    self.last_add = f64::INFINITY;
                    true
                } else if self.current == 0.0 {
                    // `mil millones`: a larger scale multiplies what is there
                    if s > self.last_scale {
                        self.total *= s;
                        self.last_scale = s;
                        true
                    } else {
                        false
                    }
                } else if s >= self.last_scale && self.total > 0.0 {
                    if s == self.last_scale {
                        false
                    } else {
                        self.total = (self.total + self.current) * s;
                        self.current = 0.0;
                        self.last_scale = s;
                        self.last_add = f64::INFINITY;
                        true
                    }
                } else if s < self.last_scale || self.total == 0.0 {
                    self.total += self.current * s;
                    self.current = 0.0;
                    self.last_scale = s;
                    self.last_add = f64::INFINITY;
                    true
                } else {
                    false
                }
            }
            WordRole::Article => {
                if self.any && !self.connector_before {
                    false
                } else {
                    self.pending_article = true;
                    true
                }
            }
            WordRole::Connector => {
                if !self.any || self.pending_article {
                    false
                } else {
                    self.connector_before = true;
                    self.prev = Some(role);
                    return true;
                }
            }
        };
        if ok {
            self.any = true;
            self.prev = Some(role);
            self.connector_before = false;
        }
        ok
    }
}

/// One word: its tokens and morphemes.
struct Word {
    start_tok: usize,
    next_tok: usize,
    start: usize,
    end: usize,
    roles: Vec<WordRole>,
}

/// The word starting at token `i`, hyphen-joined parts included, if it is made of number
/// morphemes.
fn word_at(toks: &[Token], i: usize, s: &str, lang: &Language) -> Option<Word> {
    let t = toks.get(i)?;
    if t.kind != TokKind::Word {
        return None;
    }
    let mut j = i + 1;
    let mut end = t.end;
    while j + 1 < toks.len()
        && toks[j].kind == TokKind::Punct
        && matches!(toks[j].text(s), "-" | "‐")
        && !toks[j].space_before
        && toks[j + 1].kind == TokKind::Word
        && !toks[j + 1].space_before
    {
        end = toks[j + 1].end;
        j += 2;
    }
    let raw = s[t.start..end].to_lowercase();
    let roles = match lang.lexicon.segment(&raw) {
        Some(r) => r,
        None if j > i + 1 => {
            // the joined form failed: segment the parts, joined by connectors
            let mut roles = Vec::new();
            for part in raw.split(['-', '‐']) {
                if !roles.is_empty() {
                    roles.push(WordRole::Connector);
                }
                roles.extend(lang.lexicon.segment(part)?);
            }
            roles
        }
        None => return None,
    };
    Some(Word {
        start_tok: i,
        next_tok: j,
        start: t.start,
        end,
        roles,
    })
}

/// Reads a number in words starting at token `i`.
pub fn read(toks: &[Token], i: usize, s: &str, lang: &Language) -> Option<WordNumber> {
    let mut st = State::new();
    let mut last_good: Option<(State, usize, usize)> = None; // state, next token, end byte
    let first = word_at(toks, i, s, lang)?;
    let start = first.start;
    let mut cur = Some(first);
    while let Some(w) = cur {
        let ok = w.roles.iter().all(|r| st.apply(*r, lang.units_before_tens));
        if !ok {
            break;
        }
        // a number may not end on a connector or a bare article
        let complete = !matches!(st.prev, Some(WordRole::Connector)) && !st.pending_article && !st.connector_before;
        if complete {
            last_good = Some((st.clone(), w.next_tok, w.end));
        }
        if st.ordinal {
            break;
        }
        let _ = w.start_tok;
        cur = word_at(toks, w.next_tok, s, lang);
    }
    let (st, mut next, mut end) = last_good?;
    let mut value = st.value();
    // decimals in words: `due virgola cinque`, `one point two five`
    if let Some((frac, n, e)) = read_decimals(toks, next, s, lang) {
        value += frac;
        next = n;
        end = e;
        // `two point five million`
        if let Some(w) = word_at(toks, next, s, lang) {
            if let [WordRole::Scale(sc)] = w.roles.as_slice() {
                value *= sc;
                next = w.next_tok;
                end = w.end;
            }
        }
    }
    Some(WordNumber {
        value,
        next,
        start,
        end,
        ordinal: st.ordinal,
    })
}

/// `virgola cinque`, `point two five`, `Komma 5`: the fractional part after a decimal word.
fn read_decimals(toks: &[Token], i: usize, s: &str, lang: &Language) -> Option<(f64, usize, usize)> {
    let t = toks.get(i)?;
    if t.kind != TokKind::Word || !lang.decimal_words.contains(&t.text(s).to_lowercase()) {
        return None;
    }
    let mut j = i + 1;
    let d = toks.get(j)?;
    if d.kind == TokKind::Digits {
        let digits = d.text(s);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let f: f64 = format!("0.{digits}").parse().ok()?;
        return Some((f, j + 1, d.end));
    }
    // single digits read one by one, otherwise one number read whole
    let mut digits = String::new();
    let mut end = t.end;
    let mut all_single = true;
    let mut words = Vec::new();
    while let Some(w) = word_at(toks, j, s, lang) {
        match w.roles.as_slice() {
            [WordRole::Unit(v)] if *v < 10.0 => digits.push_str(&format!("{}", *v as u8)),
            _ => all_single = false,
        }
        words.push((w.next_tok, w.end));
        if !all_single {
            break;
        }
        end = w.end;
        j = w.next_tok;
    }
    if !all_single || digits.is_empty() {
        let n = read(toks, i + 1, s, lang)?;
        if n.ordinal {
            return None;
        }
        let f: f64 = format!("0.{}", n.value as u64).parse().ok()?;
        return Some((f, n.next, n.end));
    }
    let f: f64 = format!("0.{digits}").parse().ok()?;
    Some((f, j, end))
}
