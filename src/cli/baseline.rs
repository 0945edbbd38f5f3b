//! `claimcheck baseline`: acknowledge the current conflicts, so that `check` fails only on
//! new ones. Reasons already in the file are kept; the file is written sorted.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use clap::Args;

use super::check::{baseline_path, conflicts};
use super::Context;
use crate::baseline::{Baseline, Day, NewAck};
use crate::error::{Error, Result};

#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Why the newly acknowledged conflicts are acceptable (entries already there keep theirs)
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Who acknowledges them (default: git's user.name, else $USER)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Last day the new acknowledgements hold (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
    /// The baseline file (default: from the config, else claims/baseline.yaml)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Articles or folders (default: the configured corpus); entries for other articles are kept
    pub paths: Vec<PathBuf>,
}

/// Who is acknowledging: git's user name, else the login name.
fn reviewer() -> String {
    let git = Command::new("git")
        .args(["config", "user.name"])
        .output()
        .ok()
        .filter(|o| o.status.success());
    git.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("USER").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

pub fn run(
    ctx: &Context,
    a: BaselineArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32> {
    let expires = match &a.expires {
        Some(s) => Some(Day::parse(s).ok_or_else(|| {
            Error::Usage(format!(
                "--expires `{s}` is not a date, expected YYYY-MM-DD"
            ))
        })?),
        None => None,
    };
    let path = baseline_path(ctx, a.baseline.as_deref());
    let old = if path.is_file() {
        Baseline::load(&path)?
    } else {
        Baseline::empty(&path)
    };
    // a baseline written from a partial read would drop acknowledgements: read everything
    let found = conflicts(ctx, &a.paths, true, err)?;
    let new = NewAck {
        reason: a
            .reason
            .unwrap_or_else(|| "acknowledged with `claimcheck baseline`".to_string()),
        by: a.by.unwrap_or_else(reviewer),
        expires,
    };
    let (updated, s) = old.updated(&found, &new, !a.paths.is_empty());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    std::fs::write(&path, updated.to_yaml()).map_err(|e| Error::io(&path, e))?;
    writeln!(
        out,
        "{}: {} acknowledged conflict{} ({} added, {} kept, {} stale dropped)",
        path.display(),
        updated.acks.len(),
        if updated.acks.len() == 1 { "" } else { "s" },
        s.added,
        s.kept,
        s.dropped
    )
    .map_err(|e| Error::io("<stdout>", e))?;
    Ok(0)
}
