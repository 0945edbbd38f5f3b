//! Cross-source comparison: claims are grouped, never compared all against all.
//!
//! A group is one event, metric and rate unit. Inside it, claims with the same subject and
//! place form a scope; equal figures within a scope are merged and counted once per
//! independent source. Figures of one scope are compared as intervals; a part (a subject, or
//! a place inside another) is compared with its whole only to catch a part larger than the
//! whole. See `docs/comparison.md`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use crate::claim::{short_hash, Claim};
use crate::document::PartialDate;
use crate::number::{human, ser_num, Qualifier};
use crate::rule::RuleSet;

/// Default relative tolerance: figures within 5% of each other do not conflict.
pub const DEFAULT_TOLERANCE: f64 = 0.05;
/// A vague magnitude's upper bound is soft: `migliaia` still fits a figure up to ten times
/// its literal upper bound, since reporters use it for "a great many".
pub const VAGUE_STRETCH: f64 = 10.0;

/// An interval with the facts about its bounds that comparison needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub lo: f64,
    pub hi: f64,
    pub vague: bool,
}

impl Span {
    pub fn of(lo: Option<f64>, hi: Option<f64>, q: Qualifier) -> Span {
        Span {
            lo: lo.unwrap_or(0.0),
            hi: hi.unwrap_or(f64::INFINITY),
            vague: q == Qualifier::Vague,
        }
    }

    /// The upper bound used for comparison (vague bounds stretched).
    fn soft_hi(&self) -> f64 {
        if self.vague {
            self.hi * VAGUE_STRETCH
        } else {
            self.hi
        }
    }
}

/// Whether two intervals cannot both be true, allowing relative tolerance `tol`.
/// Returns the severity (ratio of the nearest bounds, >= 1) when they conflict.
pub fn conflict(a: Span, b: Span, tol: f64) -> Option<f64> {
    let (low, high) = if a.lo <= b.lo { (a, b) } else { (b, a) };
    // `high` starts above where `low` may end
    let gap = high.lo > low.soft_hi() * (1.0 + tol);
    if !gap {
        return None;
    }
    let denom = if low.hi > 0.0 { low.hi } else { 1.0 };
    Some(high.lo / denom)
}

/// Whether a part (`part`) can lie within the whole (`whole`): a part larger than its whole
/// is the only conflict between them.
pub fn part_exceeds_whole(part: Span, whole: Span, tol: f64) -> Option<f64> {
    let whole_hi = whole.soft_hi();
    if part.lo > whole_hi * (1.0 + tol) {
        Some(part.lo / if whole_hi > 0.0 { whole_hi } else { 1.0 })
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiscrepancyKind {
    /// Two figures for the same moment (or moments the dates cannot order) that cannot both
    /// be true, or a later figure below an earlier lower bound.
    Contradiction,
    /// A later, larger figure of a cumulative metric.
    Update,
}

impl DiscrepancyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiscrepancyKind::Contradiction => "contradiction",
            DiscrepancyKind::Update => "update",
        }
    }
}

/// A distinct figure within a scope, with everyone who carries it.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    #[serde(serialize_with = "ser_num")]
    pub lo: Option<f64>,
    #[serde(serialize_with = "ser_num")]
    pub hi: Option<f64>,
    pub qualifier: Qualifier,
    #[serde(serialize_with = "ser_num")]
    pub value: Option<f64>,
    /// How it was written the first time.
    pub text: String,
    pub subject: Option<String>,
    pub place: Option<String>,
    pub claims: Vec<String>,
    /// Independent sources (outlets, else documents); syndicated copies count once.
    pub sources: Vec<String>,
    pub docs: Vec<String>,
    pub dates: Vec<String>,
    pub attributions: Vec<String>,
    pub hedged: bool,
    /// For facts: the canonical entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
}

impl Figure {
    /// Counts a claim under this figure; true when it brings a new independent source.
    pub fn add(&mut self, c: &Claim) -> bool {
        fn push_new(v: &mut Vec<String>, x: &str) -> bool {
            let new = !v.iter().any(|y| y == x);
            if new {
                v.push(x.to_string());
            }
            new
        }
        self.claims.push(c.id.clone());
        self.hedged |= c.hedged;
        push_new(&mut self.docs, &c.doc);
        if let Some(d) = &c.date {
            push_new(&mut self.dates, d);
        }
        if let Some(a) = &c.attribution {
            push_new(&mut self.attributions, a);
        }
        push_new(&mut self.sources, &c.source)
    }

    /// `40`, `at least 164`, `100–999 (vague)`; a fact's entity.
    pub fn label(&self) -> String {
        if let Some(e) = &self.entity {
            return e.clone();
        }
        let lo = self.lo.map(human);
        let hi = self.hi.map(human);
        match self.qualifier {
            Qualifier::Exact => self.value.map(human).unwrap_or_default(),
            Qualifier::AtLeast => format!("≥ {}", lo.unwrap_or_default()),
            Qualifier::MoreThan => format!("> {}", lo.unwrap_or_default()),
            Qualifier::AtMost => format!("≤ {}", hi.unwrap_or_default()),
            Qualifier::LessThan => format!("< {}", hi.unwrap_or_default()),
            Qualifier::About => format!("~{}", self.value.map(human).unwrap_or_default()),
            Qualifier::Nearly => format!("nearly {}", self.value.map(human).unwrap_or_default()),
            Qualifier::Range => format!(
                "{}–{}",
                lo.unwrap_or_default(),
                hi.unwrap_or_else(|| "∞".into())
            ),
            Qualifier::Vague => match hi {
                Some(h) => format!("{}–{} (vague)", lo.unwrap_or_default(), h),
                None => format!("{}+ (vague)", lo.unwrap_or_default()),
            },
        }
    }

    fn span(&self) -> Span {
        Span::of(self.lo, self.hi, self.qualifier)
    }
}

/// One group: an event, a metric, a rate unit, and every figure given for them; or, for
/// facts, an attribute and its subject, and every value given for them.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// `count` or `fact`.
    pub kind: String,
    pub event: Option<String>,
    pub metric: String,
    /// For facts: what the attribute is about (a country, an event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub rate: Option<String>,
    /// `conflict`, `update`, `agree` or `single`.
    pub verdict: String,
    pub severity: Option<f64>,
    pub figures: Vec<Figure>,
}

impl Group {
    /// `kz-unrest-2022-01 · deaths`, `capital of Kazakhstan`.
    pub fn title(&self) -> String {
        if self.kind == "fact" {
            return format!(
                "{} of {}",
                self.metric,
                self.subject.as_deref().unwrap_or("?")
            );
        }
        format!(
            "{} · {}{}",
            self.event.as_deref().unwrap_or("no event"),
            self.metric,
            self.rate
                .as_deref()
                .map(|r| format!(" per {r}"))
                .unwrap_or_default()
        )
    }

    /// Whether a discrepancy is between figures of this group.
    pub fn owns(&self, d: &Discrepancy) -> bool {
        if self.kind == "fact" {
            return d.claim_kind == "fact" && d.metric == self.metric && d.subject == self.subject;
        }
        d.claim_kind != "fact"
            && d.event == self.event
            && d.metric == self.metric
            && d.rate == self.rate
    }
}

/// A pair of claims that disagree, with a fingerprint that survives re-wrapping.
#[derive(Debug, Clone, Serialize)]
pub struct Discrepancy {
    /// Stable fingerprint: event, metric, subject, place, rate, and each side's document
    /// identity and normalised figure.
    pub id: String,
    pub kind: DiscrepancyKind,
    /// `count` or `fact`.
    pub claim_kind: String,
    pub event: Option<String>,
    pub metric: String,
    pub subject: Option<String>,
    pub place: Option<String>,
    pub rate: Option<String>,
    /// Claim ids.
    pub a: String,
    pub b: String,
    pub severity: f64,
    /// Human summaries of both sides.
    pub a_figure: String,
    pub b_figure: String,
    pub a_doc: String,
    pub b_doc: String,
    pub a_line: usize,
    pub b_line: usize,
    pub a_source: Option<String>,
    pub b_source: Option<String>,
    pub a_date: Option<String>,
    pub b_date: Option<String>,
    /// `same scope` or `part exceeds whole`.
    pub relation: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Comparison {
    pub groups: Vec<Group>,
    pub conflicts: Vec<Discrepancy>,
}

/// Settings of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub tolerance: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tolerance: DEFAULT_TOLERANCE,
        }
    }
}

/// A group: event, metric, rate unit.
type GroupKey = (Option<String>, String, Option<String>);
/// A figure within a group: subject, place, normalised interval.
type ScopeKey = (Option<String>, Option<String>, String);

fn figure_key(c: &Claim) -> String {
    format!("{:?}|{:?}|{}", c.lo, c.hi, c.qualifier)
}

/// The identity of a figure for fingerprints: document identity and normalised figure.
fn side_key(c: &Claim) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        c.doc_id,
        c.subject.as_deref().unwrap_or("-"),
        c.place.as_deref().unwrap_or("-"),
        fmt(c.lo),
        fmt(c.hi)
    )
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |x| format!("{x}"))
}

/// The stable fingerprint of a discrepancy between two claims.
pub fn fingerprint(a: &Claim, b: &Claim) -> String {
    let (x, y) = {
        let (ka, kb) = (side_key(a), side_key(b));
        if ka <= kb {
            (ka, kb)
        } else {
            (kb, ka)
        }
    };
    short_hash(&[
        "v1",
        a.event.as_deref().unwrap_or("-"),
        &a.metric,
        a.rate.as_deref().unwrap_or("-"),
        &x,
        &y,
    ])
}

/// How two scopes relate: the same, `a` inside `b`, `b` inside `a`, or unrelated.
#[derive(Debug, PartialEq)]
enum Relation {
    Same,
    AInB,
    BInA,
    Unrelated,
}

fn relation(a: &Claim, b: &Claim, rules: &RuleSet) -> Relation {
    let place_rel = match (&a.place, &b.place) {
        (x, y) if x == y => Relation::Same,
        (Some(x), Some(y)) if rules.places.within(x, y) => Relation::AInB,
        (Some(x), Some(y)) if rules.places.within(y, x) => Relation::BInA,
        (Some(_), None) => Relation::AInB,
        (None, Some(_)) => Relation::BInA,
        _ => Relation::Unrelated,
    };
    let subj_rel = match (&a.subject, &b.subject) {
        (x, y) if x == y => Relation::Same,
        (Some(_), None) => Relation::AInB,
        (None, Some(_)) => Relation::BInA,
        _ => Relation::Unrelated,
    };
    match (place_rel, subj_rel) {
        (Relation::Same, r) | (r, Relation::Same) => r,
        (Relation::AInB, Relation::AInB) => Relation::AInB,
        (Relation::BInA, Relation::BInA) => Relation::BInA,
        _ => Relation::Unrelated,
    }
}

fn date_of(c: &Claim) -> Option<PartialDate> {
    c.date.as_deref().and_then(PartialDate::parse)
}

/// Compares claims: counts with an event by figure, facts by entity (see [`crate::fact`]);
/// syndicated copies (same text) are recognised and count once.
pub fn compare(claims: &[Claim], rules: &RuleSet, opts: Options) -> Comparison {
    // syndicated copies: keep the claims of the first document with a given text
    let mut first_doc_of_text: BTreeMap<&str, &str> = BTreeMap::new();
    for c in claims {
        first_doc_of_text
            .entry(c.content_hash.as_str())
            .or_insert(c.doc.as_str());
    }
    let live: Vec<&Claim> = claims
        .iter()
        .filter(|c| {
            c.kind == "count"
                && first_doc_of_text.get(c.content_hash.as_str()) == Some(&c.doc.as_str())
        })
        .collect();
    let mut groups: BTreeMap<GroupKey, Vec<&Claim>> = BTreeMap::new();
    for c in &live {
        groups
            .entry((c.event.clone(), c.metric.clone(), c.rate.clone()))
            .or_default()
            .push(c);
    }
    let mut out = Comparison::default();
    for ((event, metric, rate), members) in groups {
        let cumulative = rules.metric(&metric).is_some_and(|m| m.cumulative);
        // distinct figures per scope, with one representative claim per source
        let mut figures: BTreeMap<ScopeKey, Figure> = BTreeMap::new();
        let mut reps: BTreeMap<ScopeKey, Vec<&Claim>> = BTreeMap::new();
        for c in &members {
            let key = (c.subject.clone(), c.place.clone(), figure_key(c));
            let f = figures.entry(key.clone()).or_insert_with(|| Figure {
                lo: c.lo,
                hi: c.hi,
                qualifier: c.qualifier,
                value: c.value,
                text: c.text.clone(),
                subject: c.subject.clone(),
                place: c.place.clone(),
                claims: Vec::new(),
                sources: Vec::new(),
                docs: Vec::new(),
                dates: Vec::new(),
                attributions: Vec::new(),
                hedged: false,
                entity: None,
            });
            if f.add(c) {
                reps.entry(key).or_default().push(c);
            }
        }
        let keys: Vec<_> = figures.keys().cloned().collect();
        let mut found: Vec<Discrepancy> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        if event.is_some() {
            for i in 0..keys.len() {
                for j in i + 1..keys.len() {
                    let (fa, fb) = (&figures[&keys[i]], &figures[&keys[j]]);
                    for ca in &reps[&keys[i]] {
                        for cb in &reps[&keys[j]] {
                            let rel = relation(ca, cb, rules);
                            let hit = match rel {
                                Relation::Same => conflict(fa.span(), fb.span(), opts.tolerance)
                                    .map(|s| (s, "same scope")),
                                Relation::AInB => {
                                    part_exceeds_whole(fa.span(), fb.span(), opts.tolerance)
                                        .map(|s| (s, "part exceeds whole"))
                                }
                                Relation::BInA => {
                                    part_exceeds_whole(fb.span(), fa.span(), opts.tolerance)
                                        .map(|s| (s, "part exceeds whole"))
                                }
                                Relation::Unrelated => None,
                            };
                            let Some((severity, relation)) = hit else {
                                continue;
                            };
                            let kind = classify(
                                ca,
                                cb,
                                fa.span(),
                                fb.span(),
                                cumulative && rel == Relation::Same,
                            );
                            let id = fingerprint(ca, cb);
                            if !seen.insert(id.clone()) {
                                continue;
                            }
                            found.push(Discrepancy {
                                id,
                                kind,
                                claim_kind: "count".into(),
                                event: event.clone(),
                                metric: metric.clone(),
                                subject: ca
                                    .subject
                                    .clone()
                                    .or_else(|| cb.subject.clone())
                                    .filter(|_| ca.subject == cb.subject),
                                place: ca.place.clone().filter(|_| ca.place == cb.place),
                                rate: rate.clone(),
                                a: ca.id.clone(),
                                b: cb.id.clone(),
                                severity: (severity * 100.0).round() / 100.0,
                                a_figure: fa.label(),
                                b_figure: fb.label(),
                                a_doc: ca.doc.clone(),
                                b_doc: cb.doc.clone(),
                                a_line: ca.line,
                                b_line: cb.line,
                                a_source: ca.attribution.clone(),
                                b_source: cb.attribution.clone(),
                                a_date: ca.date.clone(),
                                b_date: cb.date.clone(),
                                relation: relation.to_string(),
                            });
                        }
                    }
                }
            }
        }
        let all_sources: BTreeSet<&String> =
            figures.values().flat_map(|f| f.sources.iter()).collect();
        let verdict = if found
            .iter()
            .any(|d| d.kind == DiscrepancyKind::Contradiction)
        {
            "conflict"
        } else if !found.is_empty() {
            "update"
        } else if all_sources.len() > 1 {
            "agree"
        } else {
            "single"
        };
        let severity = found
            .iter()
            .map(|d| d.severity)
            .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
        let mut figs: Vec<Figure> = figures.into_values().collect();
        figs.sort_by(|a, b| {
            a.lo.unwrap_or(0.0)
                .total_cmp(&b.lo.unwrap_or(0.0))
                .then(a.subject.cmp(&b.subject))
        });
        out.groups.push(Group {
            kind: "count".into(),
            event,
            metric,
            subject: None,
            rate,
            verdict: verdict.to_string(),
            severity,
            figures: figs,
        });
        out.conflicts.extend(found);
    }
    let facts: Vec<&Claim> = claims
        .iter()
        .filter(|c| {
            c.kind == "fact"
                && first_doc_of_text.get(c.content_hash.as_str()) == Some(&c.doc.as_str())
        })
        .collect();
    let (groups, conflicts) = crate::fact::compare(&facts, rules);
    out.groups.extend(groups);
    out.conflicts.extend(conflicts);
    out.conflicts.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then(b.severity.total_cmp(&a.severity))
            .then(a.id.cmp(&b.id))
    });
    let rank = |g: &Group| match g.verdict.as_str() {
        "conflict" => 0,
        "update" => 1,
        "agree" => 2,
        _ => 3,
    };
    out.groups.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(
                b.severity
                    .unwrap_or(0.0)
                    .total_cmp(&a.severity.unwrap_or(0.0)),
            )
            .then(a.kind.cmp(&b.kind))
            .then(a.event.cmp(&b.event))
            .then(a.metric.cmp(&b.metric))
            .then(a.subject.cmp(&b.subject))
    });
    out
}

/// Update or contradiction: a cumulative metric's later, larger figure is an update.
fn classify(a: &Claim, b: &Claim, sa: Span, sb: Span, cumulative: bool) -> DiscrepancyKind {
    if !cumulative {
        return DiscrepancyKind::Contradiction;
    }
    let (Some(da), Some(db)) = (date_of(a), date_of(b)) else {
        return DiscrepancyKind::Contradiction;
    };
    let (early, late) = if da.before(&db) {
        (sa, sb)
    } else if db.before(&da) {
        (sb, sa)
    } else {
        return DiscrepancyKind::Contradiction;
    };
    if late.lo > early.hi {
        DiscrepancyKind::Update
    } else {
        DiscrepancyKind::Contradiction
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(lo: f64, hi: Option<f64>, q: Qualifier) -> Span {
        Span::of(Some(lo), hi, q)
    }

    #[test]
    fn seed_verdicts_on_intervals() {
        let forty = s(40.0, Some(40.0), Qualifier::Exact);
        let at_least_164 = s(164.0, None, Qualifier::AtLeast);
        let hundreds = s(100.0, Some(999.0), Qualifier::Vague);
        assert!(conflict(forty, at_least_164, 0.05).is_some());
        assert!(conflict(forty, hundreds, 0.05).is_some());
        assert!(conflict(at_least_164, hundreds, 0.05).is_none());
        let nearly_100k = s(90000.0, Some(100000.0), Qualifier::Nearly);
        let thousands = s(1000.0, Some(9999.0), Qualifier::Vague);
        let tens_of_thousands = s(10000.0, Some(99999.0), Qualifier::Vague);
        assert!(conflict(nearly_100k, thousands, 0.05).is_none());
        assert!(conflict(nearly_100k, tens_of_thousands, 0.05).is_none());
        assert_eq!(
            conflict(
                s(4400.0, Some(4400.0), Qualifier::Exact),
                s(10000.0, None, Qualifier::MoreThan),
                0.05
            )
            .map(|x| (x * 100.0).round()),
            Some(227.0)
        );
    }

    #[test]
    fn parts_conflict_only_when_larger_than_whole() {
        let whole = s(40.0, Some(40.0), Qualifier::Exact);
        assert!(part_exceeds_whole(s(18.0, Some(18.0), Qualifier::Exact), whole, 0.05).is_none());
        assert!(part_exceeds_whole(s(60.0, Some(60.0), Qualifier::Exact), whole, 0.05).is_some());
    }
}
