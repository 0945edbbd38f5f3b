//! `claimcheck check`: fail a CI job on conflicts that are not in the baseline, and only on
//! those. Exit 0 when nothing new fails, 1 when something does, 2 on any error.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use clap::{Args, ValueEnum};

use super::Context;
use crate::baseline::{check, Baseline, Day, Policy};
use crate::compare::{compare, Discrepancy, Options};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only contradictions fail
    Contradiction,
    /// Updates (a later, larger figure) fail too
    Update,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// table, json, github, sarif or junit
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write the --format output to FILE; the table still goes to the terminal
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The baseline of acknowledged conflicts (default: from the config, else claims/baseline.yaml)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Which discrepancies fail: contradictions only, or updates too
    #[arg(long, value_enum, default_value = "contradiction", value_name = "KIND")]
    pub fail_on: FailOn,
    /// Only fail on conflicts with a side in an article added or changed since this git revision
    #[arg(long, value_name = "GIT_REV")]
    pub since: Option<String>,
    /// Articles that cannot be read are an error (exit 2), not a warning
    #[arg(long)]
    pub strict: bool,
    /// Articles or folders (default: the configured corpus)
    pub paths: Vec<PathBuf>,
}

/// The conflicts of the corpus (or of `paths`), with the config's tolerance. Articles that
/// cannot be read stop the command when `strict`, else they are reported on `err` and skipped.
pub(super) fn conflicts(
    ctx: &Context,
    paths: &[PathBuf],
    strict: bool,
    err: &mut dyn Write,
) -> Result<Vec<Discrepancy>> {
    let rules = ctx.rules()?;
    // `./corpus` and `corpus` must name articles alike: the path is part of a fingerprint
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            let q: PathBuf = p
                .components()
                .filter(|c| !matches!(c, Component::CurDir))
                .collect();
            if q.as_os_str().is_empty() {
                p.clone()
            } else {
                q
            }
        })
        .collect();
    let ex = ctx.claims(&paths, &rules);
    if !ex.errors.is_empty() {
        if strict {
            return Err(Error::Invalid(ex.errors));
        }
        for d in &ex.errors {
            writeln!(err, "warning: {d} (skipped; --strict makes this an error)")
                .map_err(|e| Error::io("<stderr>", e))?;
        }
    }
    Ok(compare(
        &ex.claims,
        &rules,
        Options {
            tolerance: ctx.config.tolerance,
        },
    )
    .conflicts)
}

/// The baseline file to use: `--baseline`, else the config's.
pub(super) fn baseline_path(ctx: &Context, explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .unwrap_or_else(|| ctx.config.baseline.clone())
}

pub fn run(ctx: &Context, a: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let fmt = crate::report::by_name(&a.format)
        .filter(|_| {
            matches!(
                a.format.as_str(),
                "table" | "json" | "github" | "sarif" | "junit"
            )
        })
        .ok_or_else(|| {
            Error::Usage(format!(
                "unknown format `{}` (table, json, github, sarif, junit)",
                a.format
            ))
        })?;
    let path = baseline_path(ctx, a.baseline.as_deref());
    let baseline = if path.is_file() {
        Baseline::load(&path)?
    } else if a.baseline.is_some() {
        return Err(Error::Usage(format!(
            "baseline {} not found; `claimcheck baseline --baseline {}` writes it",
            path.display(),
            path.display()
        )));
    } else {
        Baseline::empty(&path)
    };
    // before reading the corpus, so that a missing revision fails fast
    let changed_files = a.since.as_deref().map(changed_since).transpose()?;
    let conflicts = conflicts(ctx, &a.paths, a.strict, err)?;
    let changed = changed_files.map(|files| changed_docs(&conflicts, &files));
    let policy = Policy {
        fail_on_update: a.fail_on == FailOn::Update,
        today: Day::today(),
        changed,
        since: a.since.clone(),
    };
    let outcome = check(conflicts, &baseline, &policy);
    match &a.output {
        Some(file) => {
            let mut buf = Vec::new();
            fmt.check(&mut buf, &outcome)
                .map_err(|e| Error::io(file, e))?;
            std::fs::write(file, buf).map_err(|e| Error::io(file, e))?;
            crate::report::checktext::write(out, &outcome).map_err(|e| Error::io("<stdout>", e))?;
        }
        None => fmt
            .check(out, &outcome)
            .map_err(|e| Error::io("<stdout>", e))?,
    }
    Ok(if outcome.passed { 0 } else { 1 })
}

/// Runs git in the working directory; its stdout, or an error saying what failed.
fn git(args: &[&str]) -> std::result::Result<Vec<u8>, String> {
    let o = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if o.status.success() {
        Ok(o.stdout)
    } else {
        Err(String::from_utf8_lossy(&o.stderr).trim().to_string())
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// The files (canonical paths) added or changed since `rev`: committed, staged, modified or
/// untracked. Changes are counted from where `rev` and `HEAD` part, as a pull request sees
/// them. A revision the clone lacks is an error, never a silent full scan.
fn changed_since(rev: &str) -> Result<BTreeSet<PathBuf>> {
    let fail = |m: String| Error::Usage(format!("--since {rev}: {m}"));
    let top = git(&["rev-parse", "--show-toplevel"])
        .map(text)
        .map_err(|e| fail(format!("not in a git repository ({e})")))?;
    let shallow = || {
        git(&["rev-parse", "--is-shallow-repository"])
            .map(text)
            .is_ok_and(|s| s == "true")
    };
    let fetch_more =
        "fetch more history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)";
    if git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .is_err()
    {
        return Err(fail(if shallow() {
            format!("no such revision in this shallow clone; {fetch_more}")
        } else {
            "no such revision (a branch, tag or commit this clone has: did you fetch it?)"
                .to_string()
        }));
    }
    let base = git(&["merge-base", rev, "HEAD"]).map(text).map_err(|e| {
        fail(if shallow() {
            format!("the clone is too shallow to find where it parts from HEAD; {fetch_more}")
        } else {
            format!("no common history with HEAD ({e})")
        })
    })?;
    let mut names = git(&["diff", "--name-only", "--no-renames", "-z", &base])
        .map_err(|e| fail(format!("git diff failed: {e}")))?;
    names.extend(
        git(&["ls-files", "--others", "--exclude-standard", "-z"])
            .map_err(|e| fail(format!("git ls-files failed: {e}")))?,
    );
    let top = PathBuf::from(top);
    Ok(names
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .filter_map(|n| std::fs::canonicalize(top.join(String::from_utf8_lossy(n).as_ref())).ok())
        .collect())
}

/// The documents of `conflicts` (as they name them) that are among the changed files.
fn changed_docs(conflicts: &[Discrepancy], files: &BTreeSet<PathBuf>) -> BTreeSet<String> {
    let mut seen: HashMap<&str, bool> = HashMap::new();
    for d in conflicts {
        for doc in [d.a_doc.as_str(), d.b_doc.as_str()] {
            seen.entry(doc)
                .or_insert_with(|| std::fs::canonicalize(doc).is_ok_and(|p| files.contains(&p)));
        }
    }
    seen.into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(d, _)| d.to_string())
        .collect()
}
