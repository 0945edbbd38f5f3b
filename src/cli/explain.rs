//! `claimcheck explain FILE:LINE`: why the numbers on a line did or did not become claims.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::document::Document;
use crate::error::{Diagnostic, Error, Result};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// FILE:LINE, or a claim id (searched in the corpus)
    pub target: String,
    /// Where to look for a claim id (default: the configured corpus)
    pub paths: Vec<PathBuf>,
}

pub fn run(ctx: &Context, a: ExplainArgs, out: &mut dyn Write) -> Result<i32> {
    let rules = ctx.rules()?;
    let io = |e| Error::io("<stdout>", e);
    let (path, line) = match a
        .target
        .rsplit_once(':')
        .and_then(|(p, l)| l.parse::<usize>().ok().map(|l| (PathBuf::from(p), l)))
    {
        Some(x) => x,
        None => {
            let ex = crate::engine::run(&ctx.corpus(&a.paths), &rules);
            let c = ex.claims.iter().find(|c| c.id == a.target).ok_or_else(|| {
                Error::Usage(format!(
                    "`{}` is neither FILE:LINE nor the id of a claim in the corpus",
                    a.target
                ))
            })?;
            (PathBuf::from(&c.doc), c.line)
        }
    };
    let doc = Document::load(&path, &rules.langs).map_err(Error::invalid)?;
    let lines = doc.text.lines().count();
    if line == 0 || line > lines {
        return Err(Error::invalid(Diagnostic::new(
            &path,
            format!("line {line} is outside the file ({lines} lines)"),
        )));
    }
    for e in crate::claim::explain(&doc, &rules, line) {
        writeln!(out, "{e}").map_err(io)?;
    }
    Ok(0)
}
