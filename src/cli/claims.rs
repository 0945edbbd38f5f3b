//! `claimcheck claims`: what the store holds, filtered. The store is synced with the
//! configured corpus first, so the answer is current.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{report_doc_errors, Context};
use crate::error::{Error, Result};
use crate::store::{Query, Store};

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// Only this metric
    #[arg(long)]
    pub metric: Option<String>,
    /// Only this event
    #[arg(long)]
    pub event: Option<String>,
    /// Only this document (the path it was synced with, or the file)
    #[arg(long, value_name = "PATH")]
    pub doc: Option<PathBuf>,
    /// jsonl (one claim per line), json, table, markdown or csv
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Answer from the store as it is, without reading the corpus
    #[arg(long)]
    pub no_sync: bool,
}

pub fn run(ctx: &Context, a: ClaimsArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let fmt = crate::report::by_name(&a.format).ok_or_else(|| {
        Error::Usage(format!(
            "unknown format `{}` (jsonl, json, table, markdown, csv)",
            a.format
        ))
    })?;
    let mut store = Store::open(&ctx.store)?;
    let mut errors = Vec::new();
    if !a.no_sync {
        let rules = ctx.rules()?;
        if let Some(m) = a.metric.as_ref().filter(|m| rules.metric(m).is_none()) {
            let have: Vec<&str> = rules.metrics.iter().map(|m| m.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "no metric `{m}` in the rules (have: {})",
                have.join(", ")
            )));
        }
        if let Some(e) = a.event.as_ref().filter(|e| rules.event(e).is_none()) {
            let have: Vec<&str> = rules.events.iter().map(|e| e.id.as_str()).collect();
            return Err(Error::Usage(format!(
                "no event `{e}` in the rules (have: {})",
                have.join(", ")
            )));
        }
        errors = store.sync(&ctx.corpus(&[]), &rules)?.extraction.errors;
    }
    let claims = store.query(&Query {
        metric: a.metric,
        event: a.event,
        doc: a.doc,
    })?;
    fmt.claims(out, &claims)
        .map_err(|e| Error::io("<stdout>", e))?;
    report_doc_errors(&errors, err).map_err(|e| Error::io("<stderr>", e))?;
    Ok(if errors.is_empty() { 0 } else { 2 })
}
