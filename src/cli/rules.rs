//! `claimcheck rules check` and `claimcheck rules test`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;

use super::Context;
use crate::error::{Error, Result};
use crate::rule::examples::{self, Outcome};
use crate::rule::RuleSet;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Load every rule file and report every problem at once
    Check {
        /// Rules folder (default: the configured one)
        dir: Option<PathBuf>,
    },
    /// Run the examples every rule carries
    Test {
        /// Rules folder (default: the configured one)
        dir: Option<PathBuf>,
        /// Print every example, not only failures
        #[arg(long, short)]
        verbose: bool,
    },
}

pub fn run(ctx: &Context, c: RulesCommand, out: &mut dyn Write) -> Result<i32> {
    let io = |e| Error::io("<stdout>", e);
    match c {
        RulesCommand::Check { dir } => {
            let dir = dir.unwrap_or_else(|| ctx.rules_dir.clone());
            let rules = RuleSet::load(&dir)?;
            let n_rules: usize = rules.by_lang.values().map(|l| l.metrics.len()).sum();
            let n_examples: usize = rules
                .by_lang
                .values()
                .flat_map(|l| l.metrics.iter())
                .map(|m| m.examples.len())
                .sum();
            writeln!(
                out,
                "ok: {} metrics, {} languages ({}), {} metric rules with {} examples, {} events, {} places",
                rules.metrics.len(),
                rules.langs.codes().len(),
                rules.langs.codes().join(", "),
                n_rules,
                n_examples,
                rules.events.len(),
                rules.places.places.len()
            )
            .map_err(io)?;
            Ok(0)
        }
        RulesCommand::Test { dir, verbose } => {
            let dir = dir.unwrap_or_else(|| ctx.rules_dir.clone());
            let rules = RuleSet::load(&dir)?;
            let results = examples::run(&rules);
            let mut per: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
            for r in &results {
                let e = per.entry(r.rule.as_str()).or_default();
                let i = match r.outcome {
                    Outcome::Passed => 0,
                    Outcome::Missing => 1,
                    Outcome::Noisy => 2,
                    Outcome::Wrong => 3,
                };
                e[i] += 1;
                if r.outcome != Outcome::Passed || verbose {
                    writeln!(
                        out,
                        "{:<7} {} ({}): {:?}{}",
                        format!("{:?}", r.outcome).to_lowercase(),
                        r.rule,
                        r.path,
                        r.text,
                        if r.detail.is_empty() {
                            String::new()
                        } else {
                            format!("\n        {}", r.detail)
                        }
                    )
                    .map_err(io)?;
                }
            }
            writeln!(
                out,
                "{:<24} {:>6} {:>7} {:>5} {:>5}",
                "rule", "passed", "missing", "noisy", "wrong"
            )
            .map_err(io)?;
            for (rule, c) in &per {
                writeln!(
                    out,
                    "{:<24} {:>6} {:>7} {:>5} {:>5}",
                    rule, c[0], c[1], c[2], c[3]
                )
                .map_err(io)?;
            }
            let failed = results
                .iter()
                .filter(|r| r.outcome != Outcome::Passed)
                .count();
            writeln!(out, "{} passed, {} failed", results.len() - failed, failed).map_err(io)?;
            Ok(if failed > 0 { 1 } else { 0 })
        }
    }
}
