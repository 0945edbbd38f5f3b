//! Output. One [`Report`] trait, one implementation per format; the library writes to any
//! `io::Write` and never prints on its own.

pub mod checktext;
mod csv;
mod github;
mod json;
mod junit;
mod markdown;
pub mod sarif;
mod table;

use std::io::{self, Write};

use serde::Serialize;

use crate::baseline::Outcome;
use crate::claim::Claim;
use crate::compare::Comparison;

pub use self::csv::Csv;
pub use self::github::Github;
pub use self::json::Json;
pub use self::junit::Junit;
pub use self::markdown::Markdown;
pub use self::sarif::Sarif;
pub use self::table::Table;

/// The version of the JSON report's shape (documented in `docs/report-json.md`).
pub const JSON_VERSION: u32 = 1;

/// Everything `report` shows.
#[derive(Debug, Serialize)]
pub struct ReportData<'a> {
    pub version: u32,
    pub claims: &'a [Claim],
    #[serde(flatten)]
    pub comparison: &'a Comparison,
}

/// An output format.
pub trait Report {
    /// A list of claims (`extract`, `claims`).
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()>;
    /// The discrepancy report.
    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()>;
    /// The result of `check`: conflicts against the baseline. Formats without a rendering of
    /// their own print the human text.
    fn check(&self, out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
        checktext::write(out, outcome)
    }
}

/// The formats by name, for the command line.
pub fn by_name(name: &str) -> Option<Box<dyn Report>> {
    match name {
        "table" => Some(Box::new(Table::default())),
        "json" | "jsonl" => Some(Box::new(Json {
            lines: name == "jsonl",
        })),
        "markdown" | "md" => Some(Box::new(Markdown)),
        "csv" => Some(Box::new(Csv)),
        "sarif" => Some(Box::new(Sarif)),
        "junit" => Some(Box::new(Junit)),
        "github" => Some(Box::new(Github)),
        _ => None,
    }
}

/// Shortens `s` to at most `n` characters, with an ellipsis.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A file name without its folders, for narrow columns.
pub fn short_doc(doc: &str) -> String {
    std::path::Path::new(doc)
        .file_name()
        .map_or_else(|| doc.to_string(), |f| f.to_string_lossy().into_owned())
}
