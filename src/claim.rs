//! The claim model and extraction: a document's sentences, their numbers, the rules of its
//! language, and out come claims with full provenance.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::error::line_col;
use crate::number::token::{tokenize, TokKind, Token};
use crate::number::{scan, ser_num, Kind, NumberExpr, Qualifier};
use crate::rule::{LangRules, MetricRule, RuleSet, Side};

/// One claim with its provenance. The JSON form is the `extract --format jsonl` contract.
#[derive(Debug, Clone, Serialize, PartialEq, serde::Deserialize)]
pub struct Claim {
    /// Stable across runs: depends on the document's identity and what is claimed, not on
    /// where in the file it stands.
    pub id: String,
    /// `count` or `fact`.
    pub kind: String,
    pub doc: String,
    pub metric: String,
    pub subject: Option<String>,
    pub event: Option<String>,
    pub place: Option<String>,
    #[serde(serialize_with = "ser_num")]
    pub lo: Option<f64>,
    #[serde(serialize_with = "ser_num")]
    pub hi: Option<f64>,
    pub qualifier: Qualifier,
    #[serde(serialize_with = "ser_num")]
    pub value: Option<f64>,
    pub text: String,
    pub attribution: Option<String>,
    pub hedged: bool,
    pub date: Option<String>,
    pub lang: String,
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub rule: String,
    /// Set when the figure is a rate (`10.000 al giorno`): the unit of time.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rate: Option<String>,
    /// For movements across a border: `entered` or `left`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub direction: Option<String>,
    /// For factual claims: the canonical entity.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub entity: Option<String>,
    /// The document's identity (id, url or path), used for fingerprints.
    #[serde(skip)]
    pub doc_id: String,
    /// The independent source (outlet, else the document).
    #[serde(skip)]
    pub source: String,
    /// Hash of the document's text, to recognise syndicated copies.
    #[serde(skip)]
    pub content_hash: String,
}

/// Hex digest of the parts, cut to 16 characters.
pub fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    crate::document::hex(&h.finalize())[..16].to_string()
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |x| format!("{x}"))
}

/// Gives every claim of a document its stable id: the document's identity, what is claimed,
/// and the claim's rank among identical claims of the document.
pub fn assign_ids(claims: &mut [Claim]) {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for c in claims.iter_mut() {
        let key = [
            c.doc_id.as_str(),
            c.kind.as_str(),
            c.metric.as_str(),
            c.subject.as_deref().unwrap_or("-"),
            c.event.as_deref().unwrap_or("-"),
            c.place.as_deref().unwrap_or("-"),
            &fmt_opt(c.lo),
            &fmt_opt(c.hi),
            c.qualifier.as_str(),
            c.rate.as_deref().unwrap_or("-"),
            c.entity.as_deref().unwrap_or("-"),
        ]
        .join("|");
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        c.id = short_hash(&[&key, &n.to_string()]);
    }
}

/// The event a document is about: the admissible event with the most keyword hits.
pub fn document_event(doc: &Document, rules: &RuleSet) -> Option<String> {
    let body = doc.body_text();
    rules
        .events
        .iter()
        .filter(|e| e.admits(doc.date.as_ref()))
        .filter_map(|e| {
            let re = e.keywords.get(&doc.lang)?;
            let hits = re.find_iter(body).count();
            (hits >= e.min_hits).then_some((hits, e))
        })
        .max_by_key(|(h, _)| *h)
        .map(|(_, e)| e.id.clone())
}

/// Word and digit tokens of a sentence (punctuation dropped), for distances in words.
pub struct Words {
    toks: Vec<Token>,
}

impl Words {
    pub fn new(s: &str) -> Self {
        Words {
            toks: tokenize(s, false),
        }
    }

    /// Number of word tokens strictly between two byte spans.
    pub fn between(&self, a: (usize, usize), b: (usize, usize)) -> usize {
        let (lo, hi) = if a.1 <= b.0 { (a.1, b.0) } else { (b.1, a.0) };
        self.toks
            .iter()
            .filter(|t| t.kind != TokKind::Punct && t.start >= lo && t.end <= hi)
            .count()
    }

    /// Number of clause marks (`,` `;`) strictly between two byte spans.
    fn clause_marks(&self, s: &str, a: (usize, usize), b: (usize, usize)) -> usize {
        let (lo, hi) = if a.1 <= b.0 { (a.1, b.0) } else { (b.1, a.0) };
        self.toks
            .iter()
            .filter(|t| {
                t.kind == TokKind::Punct
                    && t.start >= lo
                    && t.end <= hi
                    && matches!(t.text(s), "," | ";")
            })
            .count()
    }
}

/// How well a trigger at `m` fits a number at `n` (lower is better), and how many other
/// counts stand between them; `None` when it does not fit at all.
fn raw_fit(
    s: &str,
    w: &Words,
    n: (usize, usize),
    m: (usize, usize),
    side: Side,
    window: usize,
    others: &[(usize, usize)],
) -> Option<(usize, usize)> {
    if m.0 < n.1 && n.0 < m.1 {
        return None;
    }
    let after = m.0 >= n.1;
    if (side == Side::Before && after) || (side == Side::After && !after) {
        return None;
    }
    let (lo, hi) = if after { (n.1, m.0) } else { (m.1, n.0) };
    let blockers = others
        .iter()
        .filter(|o| **o != n && o.0 >= lo && o.1 <= hi)
        .count();
    let d = w.between(n, m);
    if d > window {
        return None;
    }
    let marks = w.clause_marks(s, n, m);
    // a semicolon ends a clause on either side
    if (!after && marks > 0) || s[lo..hi].contains(';') {
        return None;
    }
    Some((d * 2 + marks * 6 + usize::from(!after), blockers))
}

/// How well a trigger fits the number `n` among all the sentence's counts (`all`, which
/// includes `n`). A trigger belongs to the number it fits best; another number may use it
/// only by reaching over that owner, as in a list (`heridos 58 civiles y 22 policías`),
/// at a cost per number reached over.
fn fit(
    s: &str,
    w: &Words,
    n: (usize, usize),
    m: (usize, usize),
    side: Side,
    window: usize,
    all: &[(usize, usize)],
) -> Option<usize> {
    let (score, blockers) = raw_fit(s, w, n, m, side, window, all)?;
    if blockers == 0 {
        // the other unblocked number on the trigger's far side may fit it better
        let better = all
            .iter()
            .filter(|o| **o != n)
            .filter_map(|o| {
                raw_fit(s, w, *o, m, side, window, all)
                    .filter(|(_, b)| *b == 0)
                    .map(|(sc, _)| sc)
            })
            .any(|sc| sc < score);
        return (!better).then_some(score);
    }
    if blockers > 2 {
        return None;
    }
    // reaching over: the numbers in between must be the trigger's own (a list)
    let (lo, hi) = if m.0 >= n.1 { (n.1, m.0) } else { (m.1, n.0) };
    let owner_between = all.iter().any(|o| {
        o.0 >= lo
            && o.1 <= hi
            && raw_fit(s, w, *o, m, side, window, all).is_some_and(|(_, b)| b == 0)
    });
    owner_between.then_some(score + 5 * blockers)
}

/// Where a number may look for its words: a number read as a name (`Khabar 24`) only at a
/// word right after it.
fn reach(n: &NumberExpr, side: Side, window: usize) -> (Side, usize) {
    if n.kind == Kind::Name {
        (Side::After, 0)
    } else {
        (side, window)
    }
}

/// The best-fitting match of `re` for the number, if any: (score, span).
fn best_match(
    s: &str,
    w: &Words,
    n: &NumberExpr,
    re: &regex::Regex,
    side: Side,
    window: usize,
    all: &[(usize, usize)],
) -> Option<(usize, (usize, usize))> {
    let (side, window) = reach(n, side, window);
    re.find_iter(s)
        .filter_map(|m| {
            fit(
                s,
                w,
                (n.start, n.end),
                (m.start(), m.end()),
                side,
                window,
                all,
            )
            .map(|f| (f, (m.start(), m.end())))
        })
        .min_by_key(|x| x.0)
}

/// Like [`best_match`] on either side, but never reaching over another figure: a subject
/// names the people of the figure next to it (`312 people, of whom 40 were children`: the
/// children are the 40, not the 312).
fn own_match(
    s: &str,
    w: &Words,
    n: &NumberExpr,
    re: &regex::Regex,
    window: usize,
    all: &[(usize, usize)],
) -> Option<(usize, (usize, usize))> {
    let (side, window) = reach(n, Side::Any, window);
    let span = (n.start, n.end);
    re.find_iter(s)
        .map(|m| (m.start(), m.end()))
        .filter(|&m| raw_fit(s, w, span, m, side, window, all).is_some_and(|(_, b)| b == 0))
        .filter_map(|m| fit(s, w, span, m, side, window, all).map(|f| (f, m)))
        .min_by_key(|x| x.0)
}

/// Text of the source around a cue: after it for `follows` cues, before it for `precedes`.
/// The phrase stops at punctuation, at a clause word of the language (`e`, `che`, `and`), at
/// another number, and never covers the figure it is about.
fn source_text(
    s: &str,
    cue: (usize, usize),
    follows: bool,
    lr: &LangRules,
    figures: &[(usize, usize)],
) -> Option<String> {
    const STOP: &[char] = &[
        ',', ';', '.', ':', '(', ')', '«', '»', '"', '“', '”', '–', '—', '\n',
    ];
    let (mut a, mut b) = if follows {
        // `A renderlo noto, l'emittente ...`: the source is the clause after the comma
        let skip = s[cue.1..].len() - s[cue.1..].trim_start().trim_start_matches(',').len();
        let from = cue.1 + skip;
        let rest = &s[from..];
        (from, from + rest.find(STOP).unwrap_or(rest.len()))
    } else {
        let head = &s[..cue.0];
        (
            head.rfind(STOP).map_or(0, |i| {
                i + head[i..].chars().next().map_or(1, char::len_utf8)
            }),
            cue.0,
        )
    };
    // figures inside the span cut it: the source lies on the cue's side of them
    for &(fs, fe) in figures {
        if fs < b && fe > a {
            if follows {
                b = b.min(fs);
            } else {
                a = a.max(fe);
            }
        }
    }
    if let Some(re) = &lr.source_breaks {
        let piece = &s[a..b];
        if follows {
            if let Some(m) = re.find_iter(piece).find(|m| m.start() > 0) {
                b = a + m.start();
            }
        } else if let Some(m) = re.find_iter(piece).last() {
            a += m.end();
        }
    }
    let t = s[a..b].trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 12 {
        return None;
    }
    Some(words.join(" "))
}

pub(crate) fn attribution_in(
    s: &str,
    lr: &LangRules,
    near: usize,
    figures: &[(usize, usize)],
) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (re, follows) in [(&lr.source_follows, true), (&lr.source_precedes, false)] {
        let Some(re) = re else { continue };
        for m in re.find_iter(s) {
            // another figure between the cue and this one takes the cue
            let (lo, hi) = if m.start() > near {
                (near, m.start())
            } else {
                (m.end(), near)
            };
            if figures.iter().any(|f| f.0 > lo && f.1 <= hi && f.0 != near) {
                continue;
            }
            // `40 people died, police said`: a source after its figure stands in another
            // clause; without a clause mark the verb belongs to the figure's own clause
            if !follows && m.start() > near && !s[near..m.start()].contains([',', ';', '–', '—'])
            {
                continue;
            }
            if let Some(t) = source_text(s, (m.start(), m.end()), follows, lr, figures) {
                let dist = m.start().abs_diff(near);
                if best.as_ref().is_none_or(|b| dist < b.0) {
                    best = Some((dist, t));
                }
            }
        }
    }
    best.map(|b| b.1)
}

/// Whether the sentence presents its figures as uncertain. A conditional inside reported
/// speech (`ha dichiarato che ... sarebbero`) reports, it does not hedge.
pub(crate) fn hedged(s: &str, lr: &LangRules) -> bool {
    let Some(h) = &lr.hedges else { return false };
    let reported_from = lr
        .source_precedes
        .as_ref()
        .and_then(|r| r.find(s))
        .map(|m| m.end());
    h.find_iter(s)
        .any(|m| reported_from.is_none_or(|r| m.start() < r))
}

/// Articles that count one: an article right before a word that is itself a trigger of a
/// metric read after its figure (`un morto e tre feriti`, `einen Toten`, `un blessé`). An
/// article before any other word (`un poliziotto è stato ucciso`) stays an article, and
/// metrics of negative priority (troops: `un soldato`) never take one.
fn articles_as_one(s: &str, lang: &crate::lang::Language, lr: &LangRules) -> Vec<NumberExpr> {
    use crate::lang::WordRole;
    let toks = tokenize(s, false);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Word
            || !matches!(
                lang.lexicon.get(&t.text(s).to_lowercase()),
                Some(WordRole::Article | WordRole::ArticleUnit(_))
            )
        {
            continue;
        }
        let Some(next) = toks
            .get(i + 1)
            .filter(|n| n.kind == TokKind::Word && n.space_before)
        else {
            continue;
        };
        let trigger_here = lr.metrics.iter().filter(|r| r.priority >= 0).any(|r| {
            r.triggers
                .iter()
                .filter(|t| t.side != Side::Before)
                .any(|t| {
                    t.re.find_at(s, next.start)
                        .is_some_and(|m| m.start() == next.start)
                })
        });
        if trigger_here && !negated(s, lr, (next.start, next.end)) {
            out.push(NumberExpr {
                start: t.start,
                end: t.end,
                text: t.text(s).to_string(),
                value: Some(1.0),
                lo: Some(1.0),
                hi: Some(1.0),
                qualifier: Qualifier::Exact,
                kind: Kind::Count,
                core: (t.start, t.end),
                outer: (t.start, t.end),
            });
        }
    }
    out
}

/// Whether a rate phrase stands right before the figure, a comma or one word between at most
/// (`Every day, 10,000 people`, `entrano ogni giorno 10.000 russi`, `täglich etwa 10.000`).
fn rate_before(s: &str, n: &NumberExpr, re: &regex::Regex) -> bool {
    let head = &s[..n.start];
    re.find_iter(head).any(|m| {
        let gap = head[m.end()..].trim_matches(|c: char| c.is_whitespace() || c == ',');
        gap.split_whitespace().count() <= 1 && !gap.contains([',', ';', '.', ':'])
    })
}

/// A dash and a space opening a sentence are a list bullet, not a minus sign: `- 3 dead, 12
/// injured` counts 3. (The number reader keeps `- 1.200.000` negative for bare figures.)
fn unbullet(s: &str, mut n: NumberExpr) -> NumberExpr {
    let text = &s[n.start..n.end];
    let rest = text.trim_start_matches(['-', '–', '—', '−']);
    let body = rest.trim_start();
    if n.start == 0 && rest.len() < text.len() && body.len() < rest.len() {
        let neg = |v: Option<f64>| v.map(|x| -x);
        n.value = neg(n.value);
        (n.lo, n.hi) = (neg(n.hi), neg(n.lo));
        n.start = n.end - body.len();
        n.text = body.to_string();
        n.core.0 = n.core.0.max(n.start);
        n.outer.0 = n.outer.0.max(n.start);
    }
    n
}

/// The words of `re` that stand right after the figure, if any (`cities` in `3 cities`).
fn word_after<'s>(s: &'s str, n: &NumberExpr, re: &regex::Regex) -> Option<&'s str> {
    re.find(&s[n.end..])
        .filter(|m| s[n.end..n.end + m.start()].trim().is_empty())
        .map(|m| m.as_str())
}

/// Whether the metric counts people (the language's `exclude` words veto those).
fn counts_people(rule: &MetricRule, rules: &RuleSet) -> bool {
    rules
        .metric(&rule.metric)
        .is_none_or(|m| m.unit == "people")
}

/// Whether a word right after the figure vetoes the rule (`3 cities`, `12 trucks`).
fn vetoed(s: &str, n: &NumberExpr, lr: &LangRules, rule: &MetricRule, rules: &RuleSet) -> bool {
    let after = |re: &regex::Regex| word_after(s, n, re).is_some();
    (counts_people(rule, rules) && lr.exclude.as_ref().is_some_and(after))
        || rule.exclude.as_ref().is_some_and(after)
}

/// Whether a negation stands right before the trigger at `m`, at most one word between
/// (`senza vittime`, `no reported deaths`).
fn negated(s: &str, lr: &LangRules, m: (usize, usize)) -> bool {
    let Some(re) = &lr.negations else {
        return false;
    };
    let from = crate::error::floor_char_boundary(s, m.0.saturating_sub(48));
    re.find_iter(&s[from..m.0]).any(|n| {
        let gap = &s[from + n.end()..m.0];
        !gap.contains([',', ';', ':', '.', '(', ')']) && gap.split_whitespace().count() <= 1
    })
}

/// Whether the figure `n` and the next figure toward the trigger at `t` stand in one list:
/// a comma or dash (but no semicolon), or one of the language's joiners between them.
/// Always true for a language without joiners.
fn joined(
    s: &str,
    lr: &LangRules,
    n: (usize, usize),
    all: &[(usize, usize)],
    t: (usize, usize),
) -> bool {
    let Some(re) = &lr.joiners else {
        return true;
    };
    let next = if t.0 >= n.1 {
        all.iter()
            .filter(|o| o.0 >= n.1 && o.1 <= t.0)
            .min_by_key(|o| o.0)
    } else {
        all.iter()
            .filter(|o| o.0 >= t.1 && o.1 <= n.0)
            .max_by_key(|o| o.1)
    };
    let Some(&o) = next else {
        return true;
    };
    let g = if t.0 >= n.1 {
        &s[n.1..o.0]
    } else {
        &s[o.1..n.0]
    };
    if g.contains(';') {
        return false;
    }
    if re.is_match(g) {
        return true;
    }
    if !g.contains([',', '–', '—']) {
        return false;
    }
    // a comma joins a list when the trigger comes first (`feriti 58 civili, 22 agenti`); when
    // it comes after both figures, a joiner must close the list before it (`12 civili, 5
    // agenti e 3 bambini sono morti`, not `evacuate 300 persone, due sono morte`), or the
    // figure between must stand in an aside (`400 militari, dont 35 officiers, ont été tués`)
    t.0 < n.0 || re.is_match(&s[n.1..t.0]) || s[o.1..t.0].contains(',')
}

/// Why a number became a claim of a rule.
pub struct Decision<'r> {
    pub rule: &'r MetricRule,
    pub pattern: String,
    /// The trigger as written, and its byte span in the sentence.
    pub trigger: (usize, usize),
    pub score: usize,
}

/// Decides, for every count of a sentence at once, whether it is a claim and of which rule;
/// an error says why not.
///
/// Every (number, trigger) pair that fits is scored; the best pairs are taken first, each
/// number taking one trigger and each trigger one number, so a trigger goes to the figure it
/// describes best (`99 people have been killed and 134 injured`: `killed` is 99's because 134
/// has `injured`). A number left without a trigger may then share the trigger of a list it
/// belongs to (`heridos 58 civiles y 22 policías`), reaching over at most two figures.
pub fn assign<'r>(
    s: &str,
    words: &Words,
    nums: &[NumberExpr],
    lr: &'r LangRules,
    rules: &RuleSet,
) -> Vec<Result<Decision<'r>, String>> {
    struct Edge<'r> {
        eff: i64,
        score: usize,
        num: usize,
        span: (usize, usize),
        rule: &'r MetricRule,
        pattern: &'r str,
        over: usize,
    }
    let spans: Vec<(usize, usize)> = nums.iter().map(|n| (n.start, n.end)).collect();
    // trigger matches, found once per sentence
    let matches: Vec<Vec<Vec<(usize, usize)>>> = lr
        .metrics
        .iter()
        .map(|r| {
            r.triggers
                .iter()
                .map(|t| {
                    t.re.find_iter(s)
                        .map(|m| (m.start(), m.end()))
                        .filter(|&m| !negated(s, lr, m))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut edges: Vec<Edge<'r>> = Vec::new();
    let mut vetoes: Vec<Vec<String>> = vec![Vec::new(); nums.len()];
    for (i, n) in nums.iter().enumerate() {
        let excluded_all = lr.exclude.as_ref().and_then(|re| word_after(s, n, re));
        let (side_limit, window_limit) = if n.kind == Kind::Name {
            (Some(Side::After), Some(0))
        } else {
            (None, None)
        };
        // people come in whole numbers: `14.30` read as 14.3 is a time, `2.5` an average
        let fractional = n.value.is_some_and(|v| v.is_finite() && v.fract() != 0.0);
        for (ri, rule) in lr.metrics.iter().enumerate() {
            let people = counts_people(rule, rules);
            if fractional && people {
                vetoes[i].push(format!("a fraction cannot count people ({})", rule.id));
                continue;
            }
            if let (Some(w), true) = (&excluded_all, people) {
                vetoes[i].push(format!("`{w}` after it is not people ({})", rule.id));
                continue;
            }
            if let Some(w) = rule.exclude.as_ref().and_then(|re| word_after(s, n, re)) {
                vetoes[i].push(format!("`{w}` after it excludes {}", rule.id));
                continue;
            }
            for (ti, t) in rule.triggers.iter().enumerate() {
                let side = side_limit.unwrap_or(t.side);
                let window = window_limit.unwrap_or(t.window);
                for &m in &matches[ri][ti] {
                    if let Some((score, over)) =
                        raw_fit(s, words, spans[i], m, side, window, &spans)
                    {
                        if over > 2 {
                            continue;
                        }
                        let score = score + 5 * over;
                        edges.push(Edge {
                            eff: score as i64 - 100 * rule.priority as i64,
                            score,
                            num: i,
                            span: m,
                            rule,
                            pattern: &t.pattern,
                            over,
                        });
                    }
                }
            }
        }
    }
    edges.sort_by_key(|e| (e.over > 0, e.eff, e.num, e.span));
    let mut taken: Vec<Option<usize>> = vec![None; nums.len()];
    let mut owner: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (k, e) in edges.iter().enumerate() {
        if taken[e.num].is_some() {
            continue;
        }
        if e.over == 0 {
            if owner.contains_key(&e.span) {
                continue;
            }
            owner.insert(e.span, e.num);
            taken[e.num] = Some(k);
        } else if let Some(&o) = owner.get(&e.span) {
            // a list: the trigger's owner stands between this number and the trigger
            let (lo, hi) = if e.span.0 >= spans[e.num].1 {
                (spans[e.num].1, e.span.0)
            } else {
                (e.span.1, spans[e.num].0)
            };
            if spans[o].0 >= lo && spans[o].1 <= hi && joined(s, lr, spans[e.num], &spans, e.span) {
                taken[e.num] = Some(k);
            }
        }
    }
    (0..nums.len())
        .map(|i| match taken[i] {
            Some(k) => {
                let e = &edges[k];
                Ok(Decision {
                    rule: e.rule,
                    pattern: e.pattern.to_string(),
                    trigger: e.span,
                    score: e.score,
                })
            }
            None => Err(if let Some(e) = edges.iter().find(|e| e.num == i) {
                let o = owner
                    .get(&e.span)
                    .map(|&o| nums[o].text.as_str())
                    .unwrap_or("another figure");
                format!(
                    "its nearest trigger «{}» ({}) describes «{o}» better",
                    &s[e.span.0..e.span.1],
                    e.rule.id
                )
            } else if !vetoes[i].is_empty() {
                vetoes[i].join("; ")
            } else {
                "no rule's trigger word within its window (or a clause mark stands between)"
                    .to_string()
            }),
        })
        .collect()
}

/// Explains every number on a line of a document: which became claims, and why the others
/// did not.
pub fn explain(doc: &Document, rules: &RuleSet, line: usize) -> Vec<String> {
    let mut out = Vec::new();
    let (Some(lang), Some(lr)) = (rules.langs.get(&doc.lang), rules.by_lang.get(&doc.lang)) else {
        return vec![format!(
            "{}: no rules for language `{}`",
            doc.path.display(),
            doc.lang
        )];
    };
    let claims = extract(doc, rules);
    for (a, b) in crate::sentence::split(&doc.text, doc.body.0, doc.body.1, Some(lang)) {
        let (l1, _) = line_col(&doc.text, a);
        let (l2, _) = line_col(&doc.text, b);
        if line < l1 || line > l2 {
            continue;
        }
        let s = &doc.text[a..b];
        out.push(format!(
            "{}:{} [{}] sentence: {}",
            doc.path.display(),
            l1,
            doc.lang,
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
        let nums = scan(s, lang);
        let words = Words::new(s);
        let cands: Vec<NumberExpr> = nums
            .iter()
            .filter(|n| matches!(n.kind, Kind::Count | Kind::Name))
            .cloned()
            .collect();
        let decisions = assign(s, &words, &cands, lr, rules);
        if nums.is_empty() {
            out.push("  no number expressions".into());
        }
        for n in &nums {
            let interval = format!(
                "{}..{}",
                n.lo.map_or("∞".into(), |x| x.to_string()),
                n.hi.map_or("∞".into(), |x| x.to_string())
            );
            let head = format!(
                "  «{}» = {} ({}, {})",
                n.text, interval, n.qualifier, n.kind
            );
            if !matches!(n.kind, Kind::Count | Kind::Name) {
                out.push(format!(
                    "{head}\n    not a claim: a {} is never a count of people",
                    n.kind
                ));
                continue;
            }
            let Some(ci) = cands
                .iter()
                .position(|c| c.start == n.start && c.end == n.end)
            else {
                continue;
            };
            match &decisions[ci] {
                Ok(d) => {
                    let c = claims.iter().find(|c| c.start == a + n.start);
                    out.push(format!(
                        "{head}\n    claim {} via rule {} ({}): trigger `{}` matched «{}», {} word(s) {}",
                        c.map(|c| c.id.as_str()).unwrap_or("?"),
                        d.rule.id,
                        d.rule.path.display(),
                        d.pattern,
                        &s[d.trigger.0..d.trigger.1],
                        words.between((n.start, n.end), d.trigger),
                        if d.trigger.0 >= n.end { "after" } else { "before" }
                    ));
                    if let Some(c) = c {
                        out.push(format!(
                            "    subject {}, event {}, place {}, attribution {}, hedged {}",
                            c.subject.as_deref().unwrap_or("everyone"),
                            c.event.as_deref().unwrap_or("none"),
                            c.place.as_deref().unwrap_or("none"),
                            c.attribution.as_deref().unwrap_or("none"),
                            c.hedged
                        ));
                    }
                }
                Err(why) => out.push(format!("{head}\n    not a claim: {why}")),
            }
        }
    }
    if out.is_empty() {
        out.push(format!(
            "{}:{line}: no sentence of the article body is on this line",
            doc.path.display()
        ));
    }
    out
}

/// Extracts the count claims of one document.
pub fn extract(doc: &Document, rules: &RuleSet) -> Vec<Claim> {
    let Some(lang) = rules.langs.get(&doc.lang) else {
        return Vec::new();
    };
    let Some(lr) = rules.by_lang.get(&doc.lang) else {
        return Vec::new();
    };
    let event_id = document_event(doc, rules);
    let event = event_id.as_deref().and_then(|e| rules.event(e));
    let sentences = crate::sentence::split(&doc.text, doc.body.0, doc.body.1, Some(lang));
    let mut claims = Vec::new();
    // the rule of the previous sentence's last claim, for `Among them, 19 police officers`
    let mut prev_rule: Option<&MetricRule> = None;
    for (si, &(a, b)) in sentences.iter().enumerate() {
        let s = &doc.text[a..b];
        let carried = prev_rule.take().filter(|_| {
            lr.carry.as_ref().is_some_and(|re| {
                re.find(s)
                    .is_some_and(|m| !s[..m.start()].contains(|c: char| c.is_alphanumeric()))
            })
        });
        // a number after a capitalised word reads as a name (`Khabar 24`), unless a trigger
        // follows it at once (`am Wochenende 17.000 Einreisen`): such numbers are kept, with a
        // window of zero
        let mut nums: Vec<NumberExpr> = scan(s, lang)
            .into_iter()
            .filter(|n| matches!(n.kind, Kind::Count | Kind::Name))
            .map(|n| unbullet(s, n))
            .collect();
        let ones: Vec<NumberExpr> = articles_as_one(s, lang, lr)
            .into_iter()
            .filter(|a| !nums.iter().any(|n| n.start < a.end && a.start < n.end))
            .collect();
        nums.extend(ones);
        nums.sort_by_key(|n| n.start);
        if nums.is_empty() {
            continue;
        }
        let words = Words::new(s);
        let spans: Vec<(usize, usize)> = nums.iter().map(|n| (n.start, n.end)).collect();
        let all_figures = spans.clone();
        let decisions = assign(s, &words, &nums, lr, rules);
        // the rule of the last figure of this sentence that became a claim
        let mut before: Option<&MetricRule> = None;
        for (n, decision) in nums.iter().zip(decisions) {
            let part = || {
                before.filter(|_| {
                    lr.part_of_previous.as_ref().is_some_and(|re| {
                        re.find(&s[n.end..])
                            .is_some_and(|m| s[n.end..n.end + m.start()].trim().is_empty())
                    })
                })
            };
            let rule = match decision {
                Ok(found) => found.rule,
                Err(_) if n.kind != Kind::Count => continue,
                Err(_) => match part().or(carried) {
                    Some(r) if !vetoed(s, n, lr, r, rules) => r,
                    _ => continue,
                },
            };
            before = Some(rule);
            prev_rule = Some(rule);
            let metric = rules.metric(&rule.metric);
            let subject = metric.and_then(|m| {
                lr.subjects
                    .iter()
                    .filter(|(id, _)| m.subjects.contains(id))
                    .filter_map(|(id, re)| {
                        own_match(s, &words, n, re, rule.window, &spans)
                            .map(|(sc, _)| (sc, id.clone()))
                    })
                    .min_by_key(|x| x.0)
                    .map(|x| x.1)
            });
            let rate = lr
                .rates
                .iter()
                .find(|(_, re)| best_match(s, &words, n, re, Side::After, 2, &spans).is_some())
                .or_else(|| lr.rates_before.iter().find(|(_, re)| rate_before(s, n, re)))
                .map(|(u, _)| u.clone());
            let direction = rule
                .directions
                .iter()
                .filter_map(|(d, re)| {
                    best_match(s, &words, n, re, Side::Any, rule.window + 4, &[])
                        .map(|(sc, _)| (sc, d.clone()))
                })
                .min_by_key(|x| x.0)
                .map(|x| x.1);
            let place = event.and_then(|ev| {
                let allowed = |id: &str| {
                    ev.places.iter().any(|p| p == id)
                        || ev.place.as_deref() == Some(id)
                        || ev.places.iter().any(|p| rules.places.within(id, p))
                };
                rules
                    .places
                    .find(&doc.lang, s)
                    .into_iter()
                    .filter(|(_, _, i)| allowed(&rules.places.places[*i].id))
                    .min_by_key(|(st, _, _)| st.abs_diff(n.start))
                    .map(|(_, _, i)| rules.places.places[i].id.clone())
                    .or_else(|| ev.place.clone())
            });
            let mut attribution = attribution_in(s, lr, n.start, &all_figures);
            if attribution.is_none() {
                // `... 40 i morti. A renderlo noto, l'emittente di Stato ...`
                if let Some(&(na, nb)) = sentences.get(si + 1) {
                    let next = &doc.text[na..nb];
                    let has_counts = scan(next, lang).iter().any(|x| x.kind == Kind::Count);
                    if !has_counts {
                        let next_figs: Vec<(usize, usize)> = scan(next, lang)
                            .iter()
                            .filter(|x| x.kind == Kind::Count)
                            .map(|x| (x.start, x.end))
                            .collect();
                        attribution = attribution_in(next, lr, 0, &next_figs);
                    }
                }
            }
            let start = a + n.start;
            let end = a + n.end;
            let (line, _) = line_col(&doc.text, start);
            claims.push(Claim {
                id: String::new(),
                kind: "count".into(),
                doc: doc.path.to_string_lossy().into_owned(),
                metric: rule.metric.clone(),
                subject,
                event: event_id.clone(),
                place,
                lo: n.lo,
                hi: n.hi,
                qualifier: n.qualifier,
                value: n.value,
                text: n.text.clone(),
                attribution,
                hedged: hedged(s, lr),
                date: doc.date.map(|d| d.to_string()),
                lang: doc.lang.clone(),
                sentence: s.split_whitespace().collect::<Vec<_>>().join(" "),
                start,
                end,
                line,
                rule: rule.id.clone(),
                rate,
                direction,
                entity: None,
                doc_id: doc.identity(),
                source: doc.source(),
                content_hash: doc.content_hash.clone(),
            });
        }
    }
    assign_ids(&mut claims);
    claims
}
