//! The command line: clap arguments, then one function per subcommand. Output goes to the
//! writer the binary hands in; problems come back as errors for `main` to turn into messages.

mod baseline;
mod check;
mod claims;
mod explain;
mod extract;
mod numbers;
mod report;
mod rules;

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::rule::RuleSet;

#[derive(Debug, Parser)]
#[command(
    name = "claimcheck",
    version,
    about = "Check numbers in the news: extract claims, compare sources, report discrepancies."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Config file (default: claimcheck.yaml in this folder or above)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Rules folder (default: from the config, else ./claims)
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Claim store (default: from the config, else .claimcheck/store.db)
    #[arg(long, global = true, value_name = "FILE")]
    pub store: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the claims found in articles
    Extract(extract::ExtractArgs),
    /// Compare claims across sources and print the discrepancy table
    Report(report::ReportArgs),
    /// Print every number expression in a text, as JSON
    Numbers(numbers::NumbersArgs),
    /// Validate or test the claim rules
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Show why a line's numbers did or did not become claims
    Explain(explain::ExplainArgs),
    /// Query the claims in the store (synced with the corpus first)
    Claims(claims::ClaimsArgs),
    /// Fail (exit 1) on conflicts not acknowledged in the baseline: for CI
    Check(check::CheckArgs),
    /// Acknowledge the current conflicts in the baseline file
    Baseline(baseline::BaselineArgs),
}

/// What a command needs from the environment.
pub struct Context {
    pub config: Config,
    pub rules_dir: PathBuf,
    /// The claim store: `--store`, else the config's.
    pub store: PathBuf,
}

impl Context {
    pub fn new(global: &Global) -> Result<Context> {
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        let config = Config::discover(&cwd, global.config.as_deref())?;
        let rules_dir = global.rules.clone().unwrap_or_else(|| config.rules.clone());
        let store = global.store.clone().unwrap_or_else(|| config.store.clone());
        Ok(Context {
            config,
            rules_dir,
            store,
        })
    }

    /// The rules, compiled; invalid rules stop every command.
    pub fn rules(&self) -> Result<RuleSet> {
        RuleSet::load(&self.rules_dir)
    }

    /// Every claim of the corpus (or of `paths`), with the problems of articles that could
    /// not be read. All commands that read a corpus come through here: the store is synced
    /// and answers. A store that cannot be used is reported as an error (exit 2) and the
    /// claims are extracted without it.
    pub fn claims(&self, paths: &[PathBuf], rules: &RuleSet) -> crate::engine::Extraction {
        match self.sync(paths, rules) {
            Ok(ex) => ex,
            Err(e) => {
                let mut ex = crate::engine::run(&self.corpus(paths), rules);
                let message = match e {
                    Error::Store { message, .. } => message,
                    other => other.to_string(),
                };
                let hint = "claims were extracted without the store; delete it to rebuild";
                ex.errors.insert(
                    0,
                    crate::error::Diagnostic::new(&self.store, format!("{message} ({hint})")),
                );
                ex
            }
        }
    }

    /// Syncs the store with the corpus (or `paths`) and returns the claims, as [`Self::claims`]
    /// does, but a store that cannot be used is an error.
    pub fn sync(&self, paths: &[PathBuf], rules: &RuleSet) -> Result<crate::engine::Extraction> {
        let mut store = crate::store::Store::open(&self.store)?;
        Ok(store.sync(&self.corpus(paths), rules)?.extraction)
    }

    /// The given paths, or the configured corpus.
    pub fn corpus(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        if paths.is_empty() {
            self.config.corpus.clone()
        } else {
            paths.to_vec()
        }
    }
}

/// Runs a parsed command line. Returns the exit code for a run that went as planned (0, or 1
/// when a check found something); errors are returned for `main` to report with code 2.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32> {
    let ctx = Context::new(&cli.global)?;
    match cli.command {
        Command::Extract(a) => extract::run(&ctx, a, out, err),
        Command::Report(a) => report::run(&ctx, a, out, err),
        Command::Numbers(a) => numbers::run(&ctx, a, out),
        Command::Rules(c) => rules::run(&ctx, c, out),
        Command::Explain(a) => explain::run(&ctx, a, out),
        Command::Claims(a) => claims::run(&ctx, a, out, err),
        Command::Check(a) => check::run(&ctx, a, out, err),
        Command::Baseline(a) => baseline::run(&ctx, a, out, err),
    }
}

/// Reports problems with individual articles on `err`; they do not stop the others.
pub fn report_doc_errors(
    errors: &[crate::error::Diagnostic],
    err: &mut dyn Write,
) -> std::io::Result<()> {
    for d in errors {
        writeln!(err, "error: {d}")?;
    }
    Ok(())
}

pub fn display(p: &Path) -> String {
    p.display().to_string()
}
