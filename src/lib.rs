//! claimcheck: numbers in the news, checked across sources.
//!
//! An article takes this path through the modules:
//!
//! - [`document`]: load a file (plain text, Markdown front matter, inline `date` header),
//!   keeping byte offsets into the original;
//! - [`sentence`]: split the body into sentence spans;
//! - [`number`]: find number expressions and read each as an interval with a qualifier,
//!   using the per-language data of [`lang`];
//! - [`rule`]: the YAML claim rules, parsed by serde and compiled once;
//! - [`claim`]: numbers near a rule's words become claims with provenance;
//! - [`fact`]: factual claims (a capital, a head of state) and the entities gazetteer that
//!   tells spelling variants and renamings from different values;
//! - [`engine`]: the above across a corpus, in parallel;
//! - [`store`]: the SQLite claim store every command syncs first, so unchanged articles
//!   are not read again;
//! - [`compare`]: claims grouped by event and metric, intervals compared, verdicts and
//!   fingerprints;
//! - [`report`]: one `Report` trait, one implementation per output format;
//! - [`baseline`]: acknowledged conflicts, and `check`'s verdict against them;
//! - [`cli`]: the subcommands; [`config`]: `claimcheck.yaml`; [`error`]: every error and its
//!   message.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod baseline;
pub mod claim;
pub mod cli;
pub mod compare;
pub mod config;
pub mod document;
pub mod engine;
pub mod error;
pub mod fact;
pub mod lang;
pub mod number;
pub mod report;
pub mod rule;
pub mod sentence;
pub mod store;
