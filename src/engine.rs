//! The path an article takes, put together: load, extract, in parallel across cores. Rules are
//! compiled once and shared; one bad article is reported and the others go on.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::claim::{extract, Claim};
use crate::document::{collect_paths, Document};
use crate::error::Diagnostic;
use crate::rule::RuleSet;

/// What reading a corpus produced: the documents that loaded, their claims, and the problems
/// of those that did not.
#[derive(Debug, Default)]
pub struct Extraction {
    /// The documents read in this run: through the store (`Context::claims`), only the new
    /// and changed ones, since unchanged articles are answered without reading them.
    pub docs: Vec<Document>,
    pub claims: Vec<Claim>,
    pub errors: Vec<Diagnostic>,
}

/// Loads the articles under `paths` (in a stable order) and extracts their claims.
pub fn run(paths: &[PathBuf], rules: &RuleSet) -> Extraction {
    let files = match collect_paths(paths) {
        Ok(f) => f,
        Err(d) => {
            return Extraction {
                errors: vec![d],
                ..Extraction::default()
            }
        }
    };
    let results: Vec<Result<(Document, Vec<Claim>), Diagnostic>> = files
        .par_iter()
        .map(|p| {
            let doc = Document::load(p, &rules.langs)?;
            let claims = extract_all(&doc, rules);
            Ok((doc, claims))
        })
        .collect();
    let mut out = Extraction::default();
    for r in results {
        match r {
            Ok((d, c)) => {
                out.claims.extend(c);
                out.docs.push(d);
            }
            Err(e) => out.errors.push(e),
        }
    }
    out
}

/// Every claim of a document: counts, then facts.
pub fn extract_all(doc: &Document, rules: &RuleSet) -> Vec<Claim> {
    let mut claims = extract(doc, rules);
    claims.extend(crate::fact::extract(doc, rules));
    claims
}
