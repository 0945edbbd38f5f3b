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
    /// The total by the scale that closed each part, so a larger scale multiplies only the
    /// parts below it: long-scale `nueve billones setecientos mil millones`.
    parts: Vec<(f64, f64)>,
    prev: Option<WordRole>,
    pending_article: bool,
    /// The unit value of a pending article that is also a unit (`uno`, `einer`).
    pending_unit: Option<f64>,
    /// The language reads `one twenty two` as 122.
    implicit_hundreds: bool,
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
            parts: Vec::new(),
            prev: None,
            pending_article: false,
            pending_unit: None,
            implicit_hundreds: false,
            any: false,
            ordinal: false,
            connector_before: false,
        }
    }

    fn value(&self) -> f64 {
        self.total + self.current
    }

    /// Closes the current group with scale `s`, multiplying the parts closed by smaller scales
    /// with it and keeping those of larger ones: `mil doscientos billones trescientos mil
    /// millones` is 1200 * 10^12 + 300000 * 10^6.
    fn multiply_below(&mut self, s: f64) {
        let high: f64 = self
            .parts
            .iter()
            .filter(|(sc, _)| *sc > s)
            .map(|(_, v)| v)
            .sum();
        let low = self.total - high + self.current;
        self.parts.retain(|(sc, _)| *sc > s);
        self.parts.push((s, low * s));
        self.total = high + low * s;
    }

    fn add(&mut self, v: f64, units_before_tens: bool) -> bool {
        if self.pending_article {
            return false;
        }
        let empty = self.current == 0.0 && self.last_add.is_infinite();
        // `one twenty two`: a unit right before tens, with no `hundred`, counts the hundreds
        let spoken = self.implicit_hundreds
            && !self.connector_before
            && (1.0..10.0).contains(&self.current)
            && self.current == self.last_add;
        if spoken && (20.0..100.0).contains(&v) && v % 10.0 == 0.0 {
            self.current = self.current * 100.0 + v;
            self.last_add = v;
            return true;
        }
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

    /// A pending `uno`/`einer` with nothing after it: the unit itself.
    fn resolve_article(&self, ubt: bool) -> Option<State> {
        let v = self.pending_unit.filter(|_| self.pending_article)?;
        let mut st = self.clone();
        st.pending_article = false;
        st.pending_unit = None;
        st.connector_before = st.prev == Some(WordRole::Connector) || st.connector_before;
        if !st.add(v, ubt) {
            return None;
        }
        st.any = true;
        st.prev = Some(WordRole::Unit(v));
        st.connector_before = false;
        Some(st)
    }

    /// Applies one morpheme; `in_word` when it is glued to the morpheme before it.
    fn apply(&mut self, role: WordRole, ubt: bool, in_word: bool) -> bool {
        if self.ordinal {
            return false;
        }
        let ok = match role {
            WordRole::Unit(v) => self.add(v, ubt),
            // `ventuno`, `mille e uno`, `vent uno`: a unit; `un milione`: an article
            WordRole::ArticleUnit(v)
                if self.any
                    && (in_word
                        || self.connector_before
                        || matches!(self.prev, Some(WordRole::Unit(_)))) =>
            {
                self.add(v, ubt)
            }
            WordRole::ArticleUnit(v) => {
                if self.any
                    && !self.connector_before
                    && !matches!(self.prev, Some(WordRole::Hundred(_) | WordRole::Scale(_)))
                {
                    false
                } else {
                    self.pending_article = true;
                    self.pending_unit = Some(v);
                    return true;
                }
            }
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
                    self.pending_unit = None;
                    self.current += 1.0;
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
                    self.pending_unit = None;
                    self.current += 1.0;
                }
                if self.current == 0.0 && self.total > 0.0 && s < self.last_scale {
                    // `due miliardi e mille`, `mil millones mil`: the scale alone means one of it
                    self.total += s;
                    self.parts.push((s, s));
                    self.last_scale = s;
                    self.last_add = f64::INFINITY;
                    true
                } else if self.current == 0.0 && self.total == 0.0 {
                    self.total = s;
                    self.parts.push((s, s));
                    self.last_scale = s;
                    self.last_add = f64::INFINITY;
                    true
                } else if self.current == 0.0 {
                    // `mil millones`: a larger scale multiplies what is there
                    if s > self.last_scale {
                        self.multiply_below(s);
                        self.last_scale = s;
                        true
                    } else {
                        false
                    }
                } else if s >= self.last_scale && self.total > 0.0 {
                    if s == self.last_scale {
                        false
                    } else {
                        self.multiply_below(s);
                        self.current = 0.0;
                        self.last_scale = s;
                        self.last_add = f64::INFINITY;
                        true
                    }
                } else if s < self.last_scale || self.total == 0.0 {
                    self.total += self.current * s;
                    self.parts.push((s, self.current * s));
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
                // `einundzwanzig`, `ein und dreißig`: the article before `und` was the unit
                if let Some(v) = self.pending_unit.filter(|_| self.pending_article) {
                    self.pending_article = false;
                    self.pending_unit = None;
                    if !self.add(v, ubt) {
                        return false;
                    }
                    self.any = true;
                    self.prev = Some(WordRole::Unit(v));
                }
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
    next_tok: usize,
    start: usize,
    end: usize,
    roles: Vec<WordRole>,
}

/// What the reader accepts besides number words.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Plain digit runs under 1000 count as units (`3 hundred and 21`).
    pub digits: bool,
    /// Scales end the number (the decimals of `quattro virgola cinquantasei milioni`).
    pub no_scales: bool,
}

/// The token after the word at token `i` with its hyphen-joined parts, and the word's end.
fn hyphen_joined(toks: &[Token], i: usize, s: &str) -> (usize, usize) {
    let mut j = i + 1;
    let mut end = toks[i].end;
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
    (j, end)
}

/// The word starting at token `i`, hyphen-joined parts included, if it is made of number
/// morphemes.
fn word_at(toks: &[Token], i: usize, s: &str, lang: &Language, opts: Options) -> Option<Word> {
    let t = toks.get(i)?;
    if opts.digits && t.kind == TokKind::Digits {
        let raw = t.text(s);
        let v: f64 = raw
            .parse()
            .ok()
            .filter(|_| raw.len() <= 3 && raw.bytes().all(|b| b.is_ascii_digit()))?;
        return Some(Word {
            next_tok: i + 1,
            start: t.start,
            end: t.end,
            roles: vec![WordRole::Unit(v)],
        });
    }
    if t.kind != TokKind::Word {
        return None;
    }
    let (mut j, mut end) = hyphen_joined(toks, i, s);
    let mut raw = s[t.start..end].to_lowercase();
    // `quatre vingt`: an entry written as two words takes the next word in
    if lang.lexicon.has_spaced()
        && toks
            .get(j)
            .is_some_and(|n| n.kind == TokKind::Word && n.space_before)
    {
        let (j2, end2) = hyphen_joined(toks, j, s);
        let two = format!("{raw} {}", s[toks[j].start..end2].to_lowercase());
        if lang.lexicon.segment(&two).is_some() {
            (j, end, raw) = (j2, end2, two);
        }
    }
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
    if opts.no_scales && roles.iter().any(|r| matches!(r, WordRole::Scale(_))) {
        return None;
    }
    Some(Word {
        next_tok: j,
        start: t.start,
        end,
        roles,
    })
}

/// Whether no noun follows token `i`, so a pending `uno` or `einer` stands for the number:
/// the text ends, punctuation follows, or a decimal word does (`uno virgola due`). An elided
/// article (`un'auto`) is followed by its noun.
fn stands_alone(toks: &[Token], i: usize, s: &str, lang: &Language) -> bool {
    let Some(t) = toks.get(i) else { return true };
    match t.kind {
        TokKind::Word => lang.decimal_words.contains(&t.text(s).to_lowercase()),
        TokKind::Digits => false,
        TokKind::Punct => {
            let elision = matches!(t.text(s), "'" | "’") && !t.space_before;
            !(elision
                && toks
                    .get(i + 1)
                    .is_some_and(|n| n.kind == TokKind::Word && !n.space_before))
        }
    }
}

/// Reads a number in words starting at token `i`.
pub fn read(toks: &[Token], i: usize, s: &str, lang: &Language) -> Option<WordNumber> {
    read_with(toks, i, s, lang, Options::default())
}

/// Reads a number in words starting at token `i`, with options.
pub fn read_with(
    toks: &[Token],
    i: usize,
    s: &str,
    lang: &Language,
    opts: Options,
) -> Option<WordNumber> {
    let ubt = lang.units_before_tens;
    let mut st = State::new();
    st.implicit_hundreds = lang.implicit_hundreds;
    let mut last_good: Option<(State, usize, usize)> = None; // state, next token, end byte
    let first = word_at(toks, i, s, lang, opts)?;
    let start = first.start;
    let mut cur = Some(first);
    // after `un miliardo,` the number goes on only if a scale follows before it ends
    let mut after_comma = false;
    while let Some(w) = cur {
        let ok = w
            .roles
            .iter()
            .enumerate()
            .all(|(k, r)| st.apply(*r, ubt, k > 0));
        if !ok {
            break;
        }
        if after_comma && w.roles.iter().any(|r| matches!(r, WordRole::Scale(_))) {
            after_comma = false;
        }
        // a number may not end on a connector or a bare article
        let complete = !matches!(st.prev, Some(WordRole::Connector))
            && !st.pending_article
            && !st.connector_before;
        if !after_comma {
            if complete {
                last_good = Some((st.clone(), w.next_tok, w.end));
            } else if stands_alone(toks, w.next_tok, s, lang) {
                if let Some(r) = st.resolve_article(ubt) {
                    last_good = Some((r, w.next_tok, w.end));
                }
            }
        }
        if st.ordinal {
            break;
        }
        cur = word_at(toks, w.next_tok, s, lang, opts);
        let comma = toks.get(w.next_tok).is_some_and(|t| t.text(s) == ",");
        if cur.is_none() && comma && complete && matches!(st.prev, Some(WordRole::Scale(_))) {
            after_comma = true;
            cur = word_at(toks, w.next_tok + 1, s, lang, opts);
        }
    }
    let (st, mut next, mut end) = last_good?;
    let mut value = st.value();
    // decimals in words: `due virgola cinque`, `one point two five`
    if !st.ordinal {
        if let Some((frac, n, e)) = read_decimals(toks, next, s, lang) {
            value += frac;
            next = n;
            end = e;
            // `two point five million`
            if let Some(w) = word_at(toks, next, s, lang, Options::default()) {
                if let [WordRole::Scale(sc)] = w.roles.as_slice() {
                    value *= sc;
                    next = w.next_tok;
                    end = w.end;
                }
            }
        } else if let Some((add, n, e)) = fraction_after(toks, next, s, lang) {
            // `три с половиной`; `dos millones y medio` is half a million more
            let scaled = st.current == 0.0 && st.last_scale.is_finite();
            value += if scaled { add * st.last_scale } else { add };
            next = n;
            end = e;
            // `три с половиной миллиона`
            if let Some(w) = word_at(toks, next, s, lang, Options::default())
                .filter(|_| st.last_scale.is_infinite())
            {
                if let [WordRole::Scale(sc)] = w.roles.as_slice() {
                    value *= sc;
                    next = w.next_tok;
                    end = w.end;
                }
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

/// `point seven seven`, `point one trillion` with no whole part: only where a figure may start
/// (opening the sentence or after punctuation), since `at this point 10 people` is no decimal.
pub fn read_bare_decimals(
    toks: &[Token],
    i: usize,
    s: &str,
    lang: &Language,
) -> Option<WordNumber> {
    if i > 0 && toks[i - 1].kind != TokKind::Punct {
        return None;
    }
    let (mut value, mut next, mut end) = read_decimals(toks, i, s, lang)?;
    if let Some(w) = word_at(toks, next, s, lang, Options::default()) {
        if let [WordRole::Scale(sc)] = w.roles.as_slice() {
            value *= sc;
            next = w.next_tok;
            end = w.end;
        }
    }
    Some(WordNumber {
        value,
        next,
        start: toks[i].start,
        end,
        ordinal: false,
    })
}

/// A phrase at token `i` that adds a fraction to the number before it (`с половиной`): the
/// fraction, the token after the phrase and its end.
fn fraction_after(
    toks: &[Token],
    i: usize,
    s: &str,
    lang: &Language,
) -> Option<(f64, usize, usize)> {
    lang.fractions_after.iter().find_map(|(words, add)| {
        let ts = toks.get(i..i + words.len())?;
        let same = ts
            .iter()
            .zip(words)
            .all(|(t, w)| t.kind == TokKind::Word && t.text(s).to_lowercase() == *w);
        (same && !ts.is_empty()).then(|| (*add, i + words.len(), ts[ts.len() - 1].end))
    })
}

/// `пять десятых`, `сорок две сотых`: a number and the word naming its denominator.
fn read_fraction(
    toks: &[Token],
    j: usize,
    s: &str,
    lang: &Language,
) -> Option<(f64, usize, usize)> {
    let n = read_with(
        toks,
        j,
        s,
        lang,
        Options {
            no_scales: true,
            ..Options::default()
        },
    )?;
    let d = toks.get(n.next).filter(|x| x.kind == TokKind::Word)?;
    let denominator = lang.fraction_words.get(&d.text(s).to_lowercase())?;
    (!n.ordinal && n.value >= 0.0).then(|| (n.value / denominator, n.next + 1, d.end))
}

/// `virgola cinque`, `point two five`, `Komma 5`: the fractional part after a decimal word at
/// token `i`, the token after it and its end.
pub fn read_decimals(
    toks: &[Token],
    i: usize,
    s: &str,
    lang: &Language,
) -> Option<(f64, usize, usize)> {
    let t = toks.get(i)?;
    if t.kind != TokKind::Word || !lang.decimal_words.contains(&t.text(s).to_lowercase()) {
        return None;
    }
    let mut j = i + 1;
    if !lang.fraction_words.is_empty() {
        // `целых и пять десятых`: a connector may follow the decimal word
        let connector = |x: &Token| {
            x.kind == TokKind::Word
                && lang.lexicon.get(&x.text(s).to_lowercase()) == Some(WordRole::Connector)
        };
        if toks.get(j).is_some_and(connector) {
            j += 1;
        }
        if let Some(f) = read_fraction(toks, j, s, lang) {
            return Some(f);
        }
    }
    let d = toks.get(j)?;
    if d.kind == TokKind::Digits {
        let digits = d.text(s);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let f: f64 = format!("0.{digits}").parse().ok()?;
        return Some((f, j + 1, d.end));
    }
    // single digits read one by one (`uno quattro uno cinque`), otherwise one number read whole
    let mut digits = String::new();
    let mut end = t.end;
    let mut k = j;
    while let Some(tok) = toks.get(k).filter(|x| x.kind == TokKind::Word) {
        let lw = tok.text(s).to_lowercase();
        if let Some(v) = lang.decimal_digits.get(&lw) {
            digits.push_str(&format!("{}", *v as u8));
            end = tok.end;
            k += 1;
            continue;
        }
        let Some(w) = word_at(toks, k, s, lang, Options::default()) else {
            break;
        };
        match w.roles.as_slice() {
            [WordRole::Unit(v) | WordRole::ArticleUnit(v)] if *v < 10.0 => {
                digits.push_str(&format!("{}", *v as u8))
            }
            _ => break,
        }
        end = w.end;
        k = w.next_tok;
    }
    // more than one digit word, or one that no longer number follows
    let whole = read_with(
        toks,
        j,
        s,
        lang,
        Options {
            no_scales: true,
            ..Options::default()
        },
    );
    let single_ok = digits.len() > 1 || whole.as_ref().is_none_or(|n| n.next <= k);
    if digits.is_empty() || !single_ok {
        let n = whole?;
        if n.ordinal || n.value < 0.0 || n.value.fract() != 0.0 {
            return None;
        }
        (digits, k, end) = (format!("{}", n.value as u64), n.next, n.end);
    }
    // each further number adds its digits: `catorce quince` is .1415, `cero ciento cuarenta` .0140
    loop {
        let starts_hundred = word_at(toks, k, s, lang, Options::default())
            .is_some_and(|w| matches!(w.roles.first(), Some(WordRole::Hundred(_))));
        let next = read_with(
            toks,
            k,
            s,
            lang,
            Options {
                no_scales: true,
                ..Options::default()
            },
        );
        let Some(n) = next
            .filter(|n| !starts_hundred && !n.ordinal && n.value >= 0.0 && n.value.fract() == 0.0)
        else {
            break;
        };
        digits.push_str(&format!("{}", n.value as u64));
        (k, end) = (n.next, n.end);
    }
    let f: f64 = format!("0.{digits}").parse().ok()?;
    Some((f, k, end))
}
