//! `claimcheck extract`: the claims of a corpus.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{report_doc_errors, Context};
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// jsonl (one claim per line), json, table, markdown or csv
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Articles or folders (default: the configured corpus)
    pub paths: Vec<PathBuf>,
}

pub fn run(ctx: &Context, a: ExtractArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let fmt = crate::report::by_name(&a.format).ok_or_else(|| {
        Error::Usage(format!(
            "unknown format `{}` (jsonl, json, table, markdown, csv)",
            a.format
        ))
    })?;
    let rules = ctx.rules()?;
    let ex = ctx.claims(&a.paths, &rules);
    fmt.claims(out, &ex.claims)
        .map_err(|e| Error::io("<stdout>", e))?;
    report_doc_errors(&ex.errors, err).map_err(|e| Error::io("<stderr>", e))?;
    Ok(if ex.errors.is_empty() { 0 } else { 2 })
}
