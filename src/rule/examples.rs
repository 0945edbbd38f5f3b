//! `claimcheck rules test`: every metric rule's and fact rule's examples, run through the
//! real extractor.

use std::path::Path;

use serde::Serialize;

use super::spec::{ExpectClaim, ExpectSpec};
use super::{MetricRule, RuleSet};
use crate::claim::Claim;
use crate::document::Document;

/// The outcome of one example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Passed,
    /// No claim where one was expected.
    Missing,
    /// A claim where none was expected.
    Noisy,
    /// A claim, but its interval, subject or metric differs.
    Wrong,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleResult {
    pub rule: String,
    pub path: String,
    pub text: String,
    pub outcome: Outcome,
    /// What was found, for the message.
    pub detail: String,
}

fn describe(c: &Claim) -> String {
    let mut s = format!(
        "{} {}..{} ({})",
        c.metric,
        fmt(c.lo),
        fmt(c.hi),
        c.qualifier
    );
    if let Some(sub) = &c.subject {
        s.push_str(&format!(" subject {sub}"));
    }
    if let Some(r) = &c.rate {
        s.push_str(&format!(" per {r}"));
    }
    s
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "∞".into(), |x| format!("{x}"))
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
        (None, None) => true,
        _ => false,
    }
}

/// Whether a claim is what the example expects.
fn matches(c: &Claim, e: &ExpectClaim) -> bool {
    let value_ok = match e.value {
        Some(v) => close(c.value, Some(v)) || (close(c.lo, Some(v)) && close(c.hi, Some(v))),
        None => true,
    };
    let lo_ok = e.lo.is_none() || close(c.lo, e.lo);
    let hi_ok = e.hi.is_none() || close(c.hi, e.hi);
    let q_ok = e.qualifier.is_none_or(|q| q == c.qualifier);
    value_ok
        && lo_ok
        && hi_ok
        && q_ok
        && c.subject == e.subject
        && c.rate == e.rate
        && (e.direction.is_none() || c.direction == e.direction)
}

fn run_one(
    rules: &RuleSet,
    rule: &MetricRule,
    text: &str,
    expect: &ExpectSpec,
) -> (Outcome, String) {
    let doc = Document::from_text(Path::new("<example>"), text, &rule.lang);
    let claims = crate::engine::extract_all(&doc, rules);
    let found = claims.iter().map(describe).collect::<Vec<_>>().join("; ");
    match expect {
        ExpectSpec::Nothing(_) => {
            if claims.is_empty() {
                (Outcome::Passed, String::new())
            } else {
                (Outcome::Noisy, format!("expected no claim, found {found}"))
            }
        }
        ExpectSpec::Claim(e) => {
            let metric = e.metric.clone().unwrap_or_else(|| rule.metric.clone());
            let e = ExpectClaim {
                metric: Some(metric.clone()),
                ..e.clone()
            };
            let want = format!(
                "{} {}{}{}",
                metric,
                match (e.value, e.lo, e.hi) {
                    (Some(v), _, _) => format!("{v}"),
                    (None, lo, hi) => format!("{}..{}", fmt(lo), fmt(hi)),
                },
                e.qualifier.map(|q| format!(" ({q})")).unwrap_or_default(),
                e.subject
                    .as_deref()
                    .map(|s| format!(" subject {s}"))
                    .unwrap_or_default()
            );
            if claims.is_empty() {
                return (Outcome::Missing, format!("expected {want}, found no claim"));
            }
            if claims.iter().any(|c| c.metric == metric && matches(c, &e)) {
                (Outcome::Passed, String::new())
            } else {
                (Outcome::Wrong, format!("expected {want}, found {found}"))
            }
        }
    }
}

/// Runs every example of every metric rule, in a stable order.
pub fn run(rules: &RuleSet) -> Vec<ExampleResult> {
    let mut langs: Vec<&String> = rules.by_lang.keys().collect();
    langs.sort();
    let mut out = Vec::new();
    for l in langs {
        for rule in &rules.by_lang[l].metrics {
            for ex in &rule.examples {
                let (outcome, detail) = run_one(rules, rule, &ex.text, &ex.expect);
                out.push(ExampleResult {
                    rule: rule.id.clone(),
                    path: rule.path.display().to_string(),
                    text: ex.text.clone(),
                    outcome,
                    detail,
                });
            }
        }
    }
    for rule in &rules.facts.rules {
        for ex in &rule.examples {
            let (outcome, detail) = match crate::fact::check_example(rules, rule, ex) {
                Ok(()) => (Outcome::Passed, String::new()),
                Err(why) if matches!(ex.expect, super::spec::FactExpectSpec::Nothing(_)) => {
                    (Outcome::Noisy, why)
                }
                Err(why) if why.ends_with("found no claim") => (Outcome::Missing, why),
                Err(why) => (Outcome::Wrong, why),
            };
            out.push(ExampleResult {
                rule: format!("{}/{}", ex.lang, rule.id),
                path: rule.path.display().to_string(),
                text: ex.text.clone(),
                outcome,
                detail,
            });
        }
    }
    out
}
