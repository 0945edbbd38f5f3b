//! Finds every number expression in a sentence and reads it as an interval.
//!
//! In order: figures in digits (with glued or following scales: `100mila`, `2,5 milioni`,
//! `12k`), vague magnitudes (`decine di migliaia`), figures in words; then the context that
//! makes a figure a date, year, time, age, duration, percentage, money, measure, ordinal or
//! name; then ranges (`tra 20 e 30`, `1000-5000`), qualifiers (`almeno`, `o più`) and two
//! one-sided bounds joined into one range (`more than 10 and less than 20`).

use super::digits;
use super::token::{tokenize, TokKind, Token};
use super::words;
use super::{interval, Kind, NumberExpr, Qualifier};
use crate::error::floor_char_boundary;
use crate::lang::{Language, WordRole};

/// A figure before qualifiers and ranges are applied.
#[derive(Debug, Clone)]
struct Core {
    first_tok: usize,
    next_tok: usize,
    start: usize,
    end: usize,
    value: f64,
    lo: Option<f64>,
    hi: Option<f64>,
    qualifier: Qualifier,
    kind: Option<Kind>,
    /// The scale applied to digits (`2-3 milioni` shares it).
    scale: Option<f64>,
    digits_only: bool,
    magnitude: bool,
    /// The figure with its unit (`$10`, `20 dollars`, `10°`), for ranges and qualifiers.
    outer: (usize, usize),
}

impl Core {
    fn new(
        first_tok: usize,
        next_tok: usize,
        start: usize,
        end: usize,
        value: f64,
        kind: Option<Kind>,
        digits_only: bool,
    ) -> Core {
        Core {
            first_tok,
            next_tok,
            start,
            end,
            value,
            lo: Some(value),
            hi: Some(value),
            qualifier: Qualifier::Exact,
            kind,
            scale: None,
            digits_only,
            magnitude: false,
            outer: (start, end),
        }
    }
}

/// Scans a whole text: splits it into sentences and scans each, with offsets into `text`.
pub fn scan_text(text: &str, lang: &Language) -> Vec<NumberExpr> {
    crate::sentence::split(text, 0, text.len(), Some(lang))
        .into_iter()
        .flat_map(|(a, b)| {
            scan(&text[a..b], lang).into_iter().map(move |mut e| {
                e.start += a;
                e.end += a;
                e.core.0 += a;
                e.core.1 += a;
                e
            })
        })
        .collect()
}

/// Scans one sentence; offsets are relative to `s`.
pub fn scan(s: &str, lang: &Language) -> Vec<NumberExpr> {
    let space_groups = lang
        .groups
        .iter()
        .any(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'));
    let toks = tokenize(s, space_groups);
    let mut cores = digit_cores(s, &toks, lang);
    // figures in digits get their kinds first, so the unit of `30 por ciento` or `5 mila euro
    // al mese` is never read as a number of its own
    classify_all(s, &toks, lang, &mut cores);
    add_magnitudes(s, &toks, lang, &mut cores);
    let known = cores.len();
    add_word_cores(s, &toks, lang, &mut cores);
    classify_all(s, &toks, lang, &mut cores[known..]);
    cores.sort_by_key(|c| c.start);
    add_subunits(s, &toks, lang, &mut cores);
    let mut exprs = merge_ranges(s, &toks, lang, cores);
    apply_qualifiers(s, lang, &mut exprs);
    join_bounds(s, lang, &mut exprs);
    for e in &mut exprs {
        e.text = s[e.start..e.end].to_string();
    }
    if !lang.particles.is_empty() {
        exprs.retain(|e| !is_particle(s, e, lang));
    }
    exprs
}

/// A number word that is a verb particle here: after another word, right before
/// punctuation or the end of the text (`Die Polizei griff ein.`).
fn is_particle(s: &str, e: &NumberExpr, lang: &Language) -> bool {
    if !lang.particles.contains(&e.text.to_lowercase()) {
        return false;
    }
    let after_word = s[..e.start]
        .trim_end()
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let before_stop = s[e.end..]
        .trim_start()
        .chars()
        .next()
        .is_none_or(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | '–' | '—'));
    after_word && before_stop
}

fn lower(t: &Token, s: &str) -> String {
    t.text(s).to_lowercase()
}

/// A scale word or abbreviation after digits: `mila`, `milioni`, `k`, `Mio.`; `raw` as written.
fn scale_after_digits(raw: &str, lang: &Language) -> Option<f64> {
    match lang.lexicon.get(&raw.to_lowercase()) {
        Some(WordRole::Scale(v) | WordRole::Hundred(v)) => Some(v),
        _ => lang.digit_scale(raw),
    }
}

/// Whether `word` right after a figure reads as a unit of measure (`5 m` is five metres).
fn is_measure_unit(word: &str, lang: &Language) -> bool {
    lang.kinds.iter().any(|(k, _, a)| {
        *k == Kind::Measure
            && a.as_ref().is_some_and(|a| {
                a.captures(word)
                    .and_then(|c| c.get(1))
                    .is_some_and(|m| m.end() == word.len())
            })
    })
}

/// Whether token `i` is a minus sign for the figure after it: glued to it and not a dash
/// between two figures (`1000-5000`, `Su-27`), or opening the sentence (`- 1.200.000`).
fn is_sign(toks: &[Token], i: usize, s: &str, glued: bool) -> bool {
    let p = toks[i];
    if p.kind != TokKind::Punct || !matches!(p.text(s), "-" | "−" | "–") {
        return false;
    }
    if i == 0 {
        return true;
    }
    glued && (p.space_before || toks[i - 1].kind == TokKind::Punct)
}

/// Whether word token `t` makes the figure after it negative: a negative word that does not
/// end a qualifier (`moins 10` is -10, `au moins 10` and `al menos seis` are bounds).
fn negative_word(s: &str, t: &Token, lang: &Language) -> bool {
    t.kind == TokKind::Word
        && lang.negative_words.contains(&lower(t, s))
        && !lang
            .qual_before
            .iter()
            .any(|(_, re)| re.is_match(&s[..t.end]))
}

fn plain_digits(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

fn digit_cores(s: &str, toks: &[Token], lang: &Language) -> Vec<Core> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if t.kind != TokKind::Digits {
            i += 1;
            continue;
        }
        if let Some((next, kind)) = numeric_date_or_time(s, toks, i) {
            let v = digits::parse(toks[i].text(s), lang.decimal, &lang.groups).unwrap_or(0.0);
            out.push(Core::new(
                i,
                next,
                t.start,
                toks[next - 1].end,
                v,
                Some(kind),
                true,
            ));
            i = next;
            continue;
        }
        if let Some((next, v)) = fraction(s, toks, i) {
            out.push(Core::new(
                i,
                next,
                t.start,
                toks[next - 1].end,
                v,
                Some(Kind::Fraction),
                false,
            ));
            i = next;
            continue;
        }
        let mut start = t.start;
        let mut first = i;
        // `.77`, `,0012G`: a decimal mark opening the figure
        let opens = |k: usize| k == 0 || toks[k - 1].kind == TokKind::Punct;
        let lead = i > 0 && plain_digits(t.text(s)) && {
            let p = toks[i - 1];
            // with no digits before it, either mark can only be a decimal mark (`.77` in Russian)
            let sep = matches!(p.text(s), "." | ",") || p.text(s).starts_with(lang.decimal);
            let mark = p.kind == TokKind::Punct
                && sep
                && !t.space_before
                && (p.space_before || opens(i - 1));
            // `point 77` opening a sentence
            let word = p.kind == TokKind::Word
                && lang.decimal_words.contains(&lower(&p, s))
                && opens(i - 1);
            mark || word
        };
        let parsed = if lead {
            start = toks[i - 1].start;
            first = i - 1;
            format!("0.{}", t.text(s)).parse::<f64>().ok()
        } else {
            digits::parse(t.text(s), lang.decimal, &lang.groups)
        };
        let Some(mut value) = parsed else {
            i += 1;
            continue;
        };
        // a minus sign or word right before
        if first > 0
            && (is_sign(toks, first - 1, s, !toks[first].space_before)
                || negative_word(s, &toks[first - 1], lang))
        {
            value = -value;
            start = toks[first - 1].start;
            first -= 1;
        }
        let mut j = i + 1;
        let mut end = t.end;
        let mut scale: Option<f64> = None;
        let mut digits_only = true;
        let mut word_scale = false;
        // `1 point 5`, `1 komma 1`
        if plain_digits(t.text(s)) && !lead {
            if let Some((frac, n, e)) = words::read_decimals(toks, j, s, lang) {
                value += frac.copysign(value);
                j = n;
                end = e;
                digits_only = false;
            }
        }
        while j < toks.len() && toks[j].kind == TokKind::Word {
            let raw = toks[j].text(s);
            let glued = !toks[j].space_before;
            let sc = match scale_after_digits(raw, lang) {
                // one-letter scales (`m`, `k`) after a space only when no unit reads so: `5 m`
                // is five metres
                // (`G`, `M` are no unit symbols: those are lower case)
                Some(v)
                    if glued
                        || raw.chars().count() > 1
                        || raw.chars().all(char::is_uppercase)
                        || !is_measure_unit(raw, lang) =>
                {
                    Some(v)
                }
                _ => None,
            };
            let Some(sc) = sc else { break };
            if scale.is_some_and(|p| sc <= p) {
                break;
            }
            word_scale |= lang.lexicon.get(&raw.to_lowercase()).is_some();
            value *= sc;
            scale = Some(scale.map_or(sc, |p| p * sc));
            end = toks[j].end;
            digits_only = false;
            j += 1;
            // `Mio.`, `тыс.`: the abbreviation's period belongs to it
            if lang.digit_scale(raw).is_some()
                && j < toks.len()
                && toks[j].text(s) == "."
                && !toks[j].space_before
                && lang.lexicon.get(&raw.to_lowercase()).is_none()
            {
                end = toks[j].end;
                j += 1;
            }
        }
        // `3 hundred and 21`, `4 thousand 3 hundred`: digits and number words read together
        if word_scale && plain_digits(t.text(s)) && !lead {
            let opts = words::Options {
                digits: true,
                ..words::Options::default()
            };
            if let Some(n) =
                words::read_with(toks, i, s, lang, opts).filter(|n| n.next > j && !n.ordinal)
            {
                value = n.value.copysign(value);
                j = n.next;
                end = n.end;
            }
        }
        let mut c = Core::new(first, j, start, end, value, None, digits_only);
        c.scale = scale;
        out.push(c);
        i = j;
    }
    out
}

/// `1/4`, `20/100`: a proper fraction of two plain figures (`24/7` is not one).
fn fraction(s: &str, toks: &[Token], i: usize) -> Option<(usize, f64)> {
    let (a, slash, b) = (toks.get(i)?, toks.get(i + 1)?, toks.get(i + 2)?);
    let glued =
        !slash.space_before && !b.space_before && slash.text(s) == "/" && b.kind == TokKind::Digits;
    let after = toks
        .get(i + 3)
        .is_some_and(|t| !t.space_before && matches!(t.text(s), "/" | "." | ","));
    if !glued
        || after
        || !plain_digits(a.text(s))
        || !plain_digits(b.text(s))
        || b.text(s).len() > 4
    {
        return None;
    }
    let (n, d): (f64, f64) = (a.text(s).parse().ok()?, b.text(s).parse().ok()?);
    (n < d && d > 0.0).then_some((i + 3, n / d))
}

/// `2022-09`, `2022-01-10`, `10/01/2022`, `10.01.2022`, `15:30`: one date or time.
fn numeric_date_or_time(s: &str, toks: &[Token], i: usize) -> Option<(usize, Kind)> {
    let t = toks[i].text(s);
    let is_digits = |k: usize, lens: &[usize]| {
        toks.get(k).is_some_and(|x| {
            x.kind == TokKind::Digits
                && !x.space_before
                && x.text(s).bytes().all(|b| b.is_ascii_digit())
                && lens.contains(&x.text(s).len())
        })
    };
    let is_sep = |k: usize, c: &str| {
        toks.get(k)
            .is_some_and(|x| x.text(s) == c && !x.space_before)
    };
    // dotted dates arrive as one digit run
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && (parts[2].len() == 4 || parts[2].len() == 2)
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some((i + 1, Kind::Date));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.len() == 4 && is_sep(i + 1, "-") && is_digits(i + 2, &[1, 2]) {
        if is_sep(i + 3, "-") && is_digits(i + 4, &[1, 2]) {
            return Some((i + 5, Kind::Date));
        }
        let m: u32 = toks[i + 2].text(s).parse().ok()?;
        if (1..=12).contains(&m) {
            return Some((i + 3, Kind::Date));
        }
    }
    if t.len() <= 2
        && is_sep(i + 1, "/")
        && is_digits(i + 2, &[1, 2])
        && is_sep(i + 3, "/")
        && is_digits(i + 4, &[2, 4])
    {
        return Some((i + 5, Kind::Date));
    }
    if t.len() <= 2 && is_sep(i + 1, ":") && is_digits(i + 2, &[2]) {
        return Some((i + 3, Kind::Time));
    }
    None
}

fn overlaps(cores: &[Core], a: usize, b: usize) -> bool {
    cores
        .iter()
        .any(|c| c.outer.0.min(c.start) < b && a < c.outer.1.max(c.end))
}

/// `1 dollar and 42 cents`: a figure with a minor currency unit after a money figure adds to it.
fn add_subunits(s: &str, toks: &[Token], lang: &Language, cores: &mut Vec<Core>) {
    if lang.subunits.is_empty() {
        return;
    }
    let mut i = 0;
    while i + 1 < cores.len() {
        let (a, b) = (&cores[i], &cores[i + 1]);
        let joined = a.kind == Some(Kind::Money) && a.outer.1 <= b.start && {
            let between =
                s[a.outer.1..b.start].trim_matches(|c: char| c.is_whitespace() || c == ',');
            between.is_empty() || lang.connectors.contains(&between.to_lowercase())
        };
        let sub = toks
            .get(b.next_tok)
            .filter(|t| t.kind == TokKind::Word && joined)
            .and_then(|t| lang.subunits.get(&lower(t, s)).map(|f| (*f, t.end)));
        if let Some((f, end)) = sub {
            let v = a.value + b.value * f;
            let next = b.next_tok;
            let a = &mut cores[i];
            a.value = v;
            a.lo = Some(v);
            a.hi = Some(v);
            a.end = end;
            a.outer.1 = end;
            a.next_tok = next;
            cores.remove(i + 1);
        }
        i += 1;
    }
}

fn classify_all(s: &str, toks: &[Token], lang: &Language, cores: &mut [Core]) {
    for c in cores.iter_mut() {
        let (k, outer) = classify(s, toks, lang, c);
        if c.kind.is_none() || c.kind == Some(Kind::Ordinal) && k == Kind::Ordinal {
            c.kind = Some(k);
        }
        c.outer = outer;
    }
}

fn add_magnitudes(s: &str, toks: &[Token], lang: &Language, cores: &mut Vec<Core>) {
    let Some(re) = &lang.magnitudes else { return };
    if lang.magnitudes_gate.as_ref().is_some_and(|g| !g.open(s)[0]) {
        return;
    }
    for caps in re.captures_iter(s) {
        let m = caps.get(0).expect("match");
        if overlaps(cores, m.start(), m.end()) {
            continue;
        }
        // `due milioni di persone` is a number, not the magnitude `milioni`
        let first = toks.iter().position(|t| t.start >= m.start()).unwrap_or(0);
        if first > 0 {
            let p = toks[first - 1];
            let is_num = p.kind == TokKind::Digits
                || (p.kind == TokKind::Word
                    && lang.lexicon.segment(&lower(&p, s)).is_some_and(|r| {
                        !matches!(r.as_slice(), [WordRole::Article] | [WordRole::Connector])
                    }));
            if is_num {
                continue;
            }
        }
        let Some(idx) = (1..caps.len()).find(|g| caps.get(*g).is_some()) else {
            continue;
        };
        let spec = &lang.magnitude_specs[idx - 1];
        let next = toks
            .iter()
            .position(|t| t.start >= m.end())
            .unwrap_or(toks.len());
        let value = spec.value.unwrap_or(spec.lo);
        let (lo, hi) = match spec.qualifier {
            Qualifier::Vague | Qualifier::Range => (Some(spec.lo), spec.hi),
            q => {
                let (l, h) = interval(q, value);
                (Some(spec.lo.min(l.unwrap_or(spec.lo))), spec.hi.or(h))
            }
        };
        cores.push(Core {
            first_tok: first,
            next_tok: next,
            start: m.start(),
            end: m.end(),
            value,
            lo,
            hi,
            qualifier: spec.qualifier,
            kind: Some(Kind::Count),
            scale: None,
            digits_only: false,
            magnitude: true,
            outer: (m.start(), m.end()),
        });
    }
}

fn add_word_cores(s: &str, toks: &[Token], lang: &Language, cores: &mut Vec<Core>) {
    let mut i = 0;
    while i < toks.len() {
        if toks[i].kind != TokKind::Word || overlaps(cores, toks[i].start, toks[i].end) {
            i += 1;
            continue;
        }
        let Some(n) =
            words::read(toks, i, s, lang).or_else(|| words::read_bare_decimals(toks, i, s, lang))
        else {
            i += 1;
            continue;
        };
        // `uno coma 5`: digits read as the decimals of a number begun in words belong to it
        let inside = |c: &Core| c.digits_only && n.start < c.start && c.end <= n.end;
        if cores
            .iter()
            .any(|c| c.start < n.end && n.start < c.end && !inside(c))
        {
            i += 1;
            continue;
        }
        cores.retain(|c| !inside(c));
        let mut start = n.start;
        let mut value = n.value;
        if i > 0 && negative_word(s, &toks[i - 1], lang) {
            value = -value;
            start = toks[i - 1].start;
        }
        cores.push(Core {
            first_tok: i,
            next_tok: n.next,
            start,
            end: n.end,
            value,
            lo: Some(value),
            hi: Some(value),
            qualifier: Qualifier::Exact,
            kind: n.ordinal.then_some(Kind::Ordinal),
            scale: None,
            digits_only: false,
            magnitude: false,
            outer: (start, n.end),
        });
        i = n.next.max(i + 1);
    }
}

/// The end of a phrase match must not cut a word in two.
fn clean_end(s: &str, at: usize) -> bool {
    let matched_word_end = s[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    // an apostrophe after a letter is an elision (`31 l'an dernier`), not the end of a unit
    !matched_word_end
        || !s[at..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '\'' || c == '’')
}

fn before_slice(s: &str, start: usize, limit: usize) -> &str {
    let from = floor_char_boundary(s, start.saturating_sub(limit));
    let from = if s.is_char_boundary(from) { from } else { 0 };
    &s[from..start]
}

fn after_slice(s: &str, end: usize, limit: usize) -> &str {
    let mut to = (end + limit).min(s.len());
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    &s[end..to]
}

/// The kind of a figure, and its span with the unit or suffix that gave the kind.
fn classify(s: &str, toks: &[Token], lang: &Language, c: &Core) -> (Kind, (usize, usize)) {
    let span = (c.start, c.end);
    if let Some(k) = c.kind.filter(|k| *k != Kind::Ordinal) {
        return (k, span);
    }
    let after = after_slice(s, c.end, 60);
    let before = before_slice(s, c.start, 60);
    // glued ordinal suffixes: `1st`, `10°`, `11-й`
    if c.digits_only {
        for suf in &lang.ordinal_suffixes {
            if let Some(rest) = after.strip_prefix(suf.as_str()) {
                if !rest.chars().next().is_some_and(char::is_alphanumeric) {
                    return (Kind::Ordinal, (c.start, c.end + suf.len()));
                }
            }
        }
    }
    if c.kind == Some(Kind::Ordinal) {
        return (Kind::Ordinal, span);
    }
    for (k, b, a) in &lang.kinds {
        if let Some(a) = a {
            if let Some(m) = a.captures(after).and_then(|c| c.get(1)) {
                if clean_end(after, m.end()) {
                    return (*k, (c.start, c.end + m.end()));
                }
            }
        }
        if let Some(b) = b {
            if let Some(m) = b.captures(before).and_then(|c| c.get(1)) {
                return (*k, (c.start - before.len() + m.start(), c.end));
            }
        }
    }
    // next to a month name
    let month = |k: usize| {
        toks.get(k)
            .is_some_and(|t| t.kind == TokKind::Word && lang.months.contains_key(&lower(t, s)))
    };
    if month(c.next_tok) || (c.first_tok > 0 && month(c.first_tok - 1)) {
        return (Kind::Date, span);
    }
    // `am 5. Januar`: a day with the period of an ordinal
    if c.digits_only
        && c.value <= 31.0
        && toks
            .get(c.next_tok)
            .is_some_and(|t| t.kind == TokKind::Punct && t.text(s) == "." && !t.space_before)
        && month(c.next_tok + 1)
    {
        return (Kind::Date, (span.0, span.1 + 1));
    }
    let first = toks[c.first_tok];
    let raw = first.text(s);
    if c.digits_only
        && raw.len() == 4
        && raw.bytes().all(|b| b.is_ascii_digit())
        && (1000.0..=2100.0).contains(&c.value)
    {
        let cue = lang.year_cues.as_ref().is_some_and(|r| r.is_match(before));
        let next_word = toks.get(c.next_tok).filter(|t| t.kind == TokKind::Word);
        let bare = match next_word {
            None => true,
            Some(t) => lang.stopwords.contains(&lower(t, s)),
        };
        // a lower bound or `nearly` before the figure makes it a quantity, not a year
        // (`более 2000 были задержаны`, `more than 2000 were detained`)
        let bounded = lang.qual_before.iter().any(|(q, re)| {
            matches!(
                q,
                Qualifier::MoreThan | Qualifier::AtLeast | Qualifier::Nearly
            ) && re.is_match(before)
        });
        if cue || (bare && !bounded && (1900.0..=2100.0).contains(&c.value)) {
            return (Kind::Year, span);
        }
    }
    if c.digits_only && c.first_tok > 0 {
        let p = toks[c.first_tok - 1];
        // glued to letters: `G20`, `Covid-19`, `Su-27`
        if !first.space_before {
            if p.kind == TokKind::Word {
                return (Kind::Name, span);
            }
            if p.text(s) == "-"
                && c.first_tok >= 2
                && toks[c.first_tok - 2].kind == TokKind::Word
                && !p.space_before
            {
                return (Kind::Name, span);
            }
        }
        // after a capitalised word that does not open the sentence: `Khabar 24`, `Boeing 737`;
        // but a figure with grouping (`in Georgia 200.000 russi`) is no model number, and one
        // followed by a capitalised word that is not a stopword reads as a count of it
        // (`nach Angaben von Amnesty International 12 Demonstranten`)
        let grouped = !raw.bytes().all(|b| b.is_ascii_digit());
        let noun_next = toks.get(c.next_tok).is_some_and(|t| {
            t.kind == TokKind::Word
                && t.space_before
                && t.text(s).chars().next().is_some_and(char::is_uppercase)
                && !lang.stopwords.contains(&lower(t, s))
        });
        if p.kind == TokKind::Word
            && c.first_tok >= 2
            && first.space_before
            && !grouped
            && !noun_next
        {
            let w = p.text(s);
            let cap = w.chars().next().is_some_and(char::is_uppercase);
            let lw = w.to_lowercase();
            let known = lang.stopwords.contains(&lw)
                || lang.months.contains_key(&lw)
                || lang.lexicon.segment(&lw).is_some();
            let pp = toks[c.first_tok - 2];
            let opens = pp.kind == TokKind::Punct
                && matches!(pp.text(s), "." | ":" | "!" | "?" | "«" | "\"" | "“" | "(");
            if cap && !known && !opens && w.chars().count() > 1 {
                return (Kind::Name, span);
            }
        }
    }
    (Kind::Count, span)
}

fn to_expr(c: &Core) -> NumberExpr {
    NumberExpr {
        start: c.start,
        end: c.end,
        text: String::new(),
        value: if c.qualifier == Qualifier::Vague {
            None
        } else {
            Some(c.value)
        },
        lo: c.lo,
        hi: c.hi,
        qualifier: c.qualifier,
        kind: c.kind.unwrap_or(Kind::Count),
        core: (c.start, c.end),
        outer: c.outer,
    }
}

fn merge_ranges(s: &str, toks: &[Token], lang: &Language, cores: Vec<Core>) -> Vec<NumberExpr> {
    let _ = toks;
    let mut out: Vec<NumberExpr> = Vec::new();
    let mut i = 0;
    while i < cores.len() {
        let a = &cores[i];
        if let Some(b) = cores.get(i + 1) {
            let rangeable = |c: &Core| {
                !c.magnitude
                    && !matches!(
                        c.kind,
                        Some(Kind::Date | Kind::Time | Kind::Year | Kind::Name)
                    )
            };
            if rangeable(a) && rangeable(b) && a.outer.1 <= b.outer.0 {
                let between = &s[a.outer.1..b.outer.0];
                let before = before_slice(s, a.outer.0, 40);
                let found = lang.ranges.iter().find_map(|r| {
                    if !r.between.is_match(between) {
                        return None;
                    }
                    match &r.before {
                        None => Some(a.start),
                        Some(re) => re
                            .captures(before)
                            .and_then(|c| c.get(1))
                            .map(|m| a.outer.0 - before.len() + m.start()),
                    }
                });
                // `è salito da 16 a 28`: two figures of a change, not a range
                let change = lang.changes.as_ref().is_some_and(|re| {
                    found.is_some_and(|st| re.is_match(before_slice(s, st, 120)))
                });
                let found = found.filter(|_| !change);
                if let Some(start) = found {
                    let mut lo = a.value;
                    let hi = b.value;
                    // `2-3 milioni`: the scale of the second figure is the first's too
                    if let (None, Some(sc)) = (a.scale, b.scale) {
                        if a.digits_only && lo * sc <= hi && lo < hi {
                            lo *= sc;
                        }
                    }
                    if lo <= hi {
                        let mut kind = b.kind.unwrap_or(Kind::Count);
                        if a.kind != Some(Kind::Count) && a.kind.is_some() {
                            kind = a.kind.unwrap_or(kind);
                        }
                        out.push(NumberExpr {
                            start,
                            end: b.end,
                            text: String::new(),
                            value: None,
                            lo: Some(lo),
                            hi: Some(hi),
                            qualifier: Qualifier::Range,
                            kind,
                            core: (a.start, b.end),
                            outer: (a.outer.0.min(start), b.outer.1),
                        });
                        i += 2;
                        continue;
                    }
                }
            }
        }
        out.push(to_expr(a));
        i += 1;
    }
    out
}

fn apply_qualifiers(s: &str, lang: &Language, exprs: &mut [NumberExpr]) {
    // words before each figure first: they win over words after the figure before
    // (`more than 10 and less than 40`: `and less` is not `10 or less`)
    let mut before_q: Vec<Option<(Qualifier, usize)>> = Vec::with_capacity(exprs.len());
    let mut floor = 0;
    for e in exprs.iter() {
        let from = floor_char_boundary(s, e.outer.0.saturating_sub(60)).max(floor.min(e.outer.0));
        floor = e.outer.1;
        if e.value.is_none() {
            before_q.push(None);
            continue;
        }
        let before = &s[from..e.outer.0];
        let mut best: Option<(Qualifier, usize)> = None;
        for (q, re) in &lang.qual_before {
            if let Some(m) = re.captures(before).and_then(|c| c.get(1)) {
                if best.is_none_or(|(_, st)| from + m.start() < st) {
                    best = Some((*q, from + m.start()));
                }
            }
        }
        before_q.push(best);
    }
    for i in 0..exprs.len() {
        let Some(v) = exprs[i].value else { continue };
        let limit = exprs
            .get(i + 1)
            .map_or(s.len(), |n| before_q[i + 1].map_or(n.outer.0, |(_, st)| st));
        let e = &mut exprs[i];
        let mut q = None;
        if let Some((bq, st)) = before_q[i] {
            q = Some(bq);
            e.start = e.start.min(st);
        }
        let from = e.outer.1.max(e.end);
        let after = after_slice(s, from, 40);
        let mut best_after: Option<(Qualifier, usize)> = None;
        for (aq, re) in &lang.qual_after {
            if let Some(m) = re.captures(after).and_then(|c| c.get(1)) {
                if clean_end(after, m.end())
                    && from + m.end() <= limit
                    && best_after.is_none_or(|(_, en)| m.end() > en)
                {
                    best_after = Some((*aq, m.end()));
                }
            }
        }
        if let Some((aq, en)) = best_after {
            // `equal to 5000 or less`: the bound after says more than `equal to`
            if q.is_none_or(|q| q == Qualifier::Exact) {
                q = Some(aq);
            }
            e.end = from + en;
        }
        if let Some(q) = q {
            if e.qualifier == Qualifier::Exact || q != Qualifier::Exact {
                let (lo, hi) = interval(q, v);
                e.lo = lo;
                e.hi = hi;
                e.qualifier = q;
            }
        }
    }
}

/// `more than 10 and less than 20` becomes one range.
fn join_bounds(s: &str, lang: &Language, exprs: &mut Vec<NumberExpr>) {
    let Some(joiner) = &lang.bound_joiners else {
        return;
    };
    let mut i = 0;
    while i + 1 < exprs.len() {
        let (a, b) = (&exprs[i], &exprs[i + 1]);
        let lower_upper = a.qualifier.lower_bound_only() && b.qualifier.upper_bound_only();
        let upper_lower = a.qualifier.upper_bound_only() && b.qualifier.lower_bound_only();
        if (lower_upper || upper_lower) && a.end <= b.start && joiner.is_match(&s[a.end..b.start]) {
            let (lo, hi) = if lower_upper {
                (a.lo, b.hi)
            } else {
                (b.lo, a.hi)
            };
            if lo.zip(hi).is_some_and(|(l, h)| l <= h) {
                let merged = NumberExpr {
                    start: a.start,
                    end: b.end,
                    text: String::new(),
                    value: None,
                    lo,
                    hi,
                    qualifier: Qualifier::Range,
                    kind: a.kind,
                    core: (a.core.0, b.core.1),
                    outer: (a.outer.0, b.outer.1),
                };
                exprs[i] = merged;
                exprs.remove(i + 1);
                continue;
            }
        }
        i += 1;
    }
}
