//! `claimcheck report`: the discrepancy table.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{report_doc_errors, Context};
use crate::compare::{compare, Options};
use crate::error::{Error, Result};
use crate::report::{ReportData, JSON_VERSION};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// table, json, markdown or csv
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Only this event
    #[arg(long)]
    pub event: Option<String>,
    /// Only this metric
    #[arg(long)]
    pub metric: Option<String>,
    /// Only discrepancies at least this severe (ratio of the nearest bounds, e.g. 1.5)
    #[arg(long, value_name = "RATIO")]
    pub min_severity: Option<f64>,
    /// Relative tolerance under which figures agree (default 0.05, or the config's)
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Articles or folders (default: the configured corpus)
    pub paths: Vec<PathBuf>,
}

pub fn run(ctx: &Context, a: ReportArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let fmt = crate::report::by_name(&a.format)
        .filter(|_| a.format != "jsonl")
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown format `{}` (table, json, markdown, csv)",
                a.format
            ))
        })?;
    let tolerance = a.tolerance.unwrap_or(ctx.config.tolerance);
    if !(0.0..1.0).contains(&tolerance) {
        return Err(Error::Usage(format!(
            "--tolerance {tolerance} must be between 0 and 1"
        )));
    }
    let rules = ctx.rules()?;
    if let Some(e) = &a.event {
        if rules.event(e).is_none() {
            return Err(Error::Usage(format!(
                "no event `{e}` in the rules (have: {})",
                rules
                    .events
                    .iter()
                    .map(|e| e.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    if let Some(m) = &a.metric {
        if rules.metric(m).is_none() {
            return Err(Error::Usage(format!(
                "no metric `{m}` in the rules (have: {})",
                rules
                    .metrics
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let ex = ctx.claims(&a.paths, &rules);
    let claims: Vec<_> = ex
        .claims
        .into_iter()
        .filter(|c| a.event.as_ref().is_none_or(|e| c.event.as_ref() == Some(e)))
        .filter(|c| a.metric.as_ref().is_none_or(|m| &c.metric == m))
        .collect();
    let mut cmp = compare(&claims, &rules, Options { tolerance });
    if let Some(min) = a.min_severity {
        cmp.conflicts.retain(|d| d.severity >= min);
        cmp.groups.retain(|g| g.severity.is_some_and(|s| s >= min));
    }
    let data = ReportData {
        version: JSON_VERSION,
        claims: &claims,
        comparison: &cmp,
    };
    fmt.discrepancies(out, &data)
        .map_err(|e| Error::io("<stdout>", e))?;
    report_doc_errors(&ex.errors, err).map_err(|e| Error::io("<stderr>", e))?;
    Ok(if ex.errors.is_empty() { 0 } else { 2 })
}
