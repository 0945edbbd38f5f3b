//! Typed errors for every stage, and the one place where they become a message and an exit code.
//!
//! The library returns these; only the binary prints them (see `main.rs`). Every variant that
//! comes from user input names the file and, where one exists, the line and column.

use std::fmt;
use std::path::PathBuf;

/// A problem located in a file: the unit of every bad-input message.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The rule, metric, event or language the problem belongs to, when known.
    pub rule: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            rule: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn rule(mut self, rule: impl Into<String>) -> Self {
        self.rule = Some(rule.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(rule) = &self.rule {
            write!(f, ": [{rule}]")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that can go wrong in claimcheck.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// One or more problems in user-supplied files (rules, config, articles, baseline).
    #[error("{}", join_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
    /// A command line that cannot be carried out.
    #[error("{0}")]
    Usage(String),
    /// The claim store could not be read or written.
    #[error("store {}: {message}", path.display())]
    Store { path: PathBuf, message: String },
}

fn join_diagnostics(ds: &[Diagnostic]) -> String {
    let lines: Vec<String> = ds.iter().map(|d| format!("error: {d}")).collect();
    lines.join("\n")
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn invalid(d: Diagnostic) -> Self {
        Error::Invalid(vec![d])
    }

    /// The process exit code for this error: every error is 2; 1 is reserved for
    /// "the check found something" and 0 for success.
    pub fn exit_code(&self) -> i32 {
        2
    }

    /// A one-line hint shown under the message, where one helps.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            Error::Invalid(ds)
                if ds
                    .iter()
                    .any(|d| d.path.starts_with("claims") || d.rule.is_some()) =>
            {
                Some("run `claimcheck rules check` to list every problem in the rules")
            }
            Error::Store { .. } => {
                Some("the store is a cache: delete it to rebuild from the corpus")
            }
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The largest char boundary not above `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The reason line of a regex parse error, without its drawing of the pattern.
pub fn regex_reason(msg: &str) -> String {
    msg.lines()
        .last()
        .unwrap_or(msg)
        .trim()
        .trim_start_matches("error: ")
        .to_string()
}

/// Turns a serde_yaml error into a located diagnostic.
pub fn yaml_diagnostic(path: &std::path::Path, err: &serde_yaml::Error) -> Diagnostic {
    let mut d = Diagnostic::new(path, clean_yaml_message(&err.to_string()));
    if let Some(loc) = err.location() {
        d = d.at(loc.line(), loc.column());
    }
    d
}

fn clean_yaml_message(msg: &str) -> String {
    // serde_yaml appends " at line X column Y"; the diagnostic carries the location itself.
    match msg.find(" at line ") {
        Some(i) => {
            let (head, tail) = msg.split_at(i);
            // keep any explanation that follows the location
            let rest = tail.split_once(", ").map(|x| x.1).unwrap_or("");
            if rest.is_empty() || rest.starts_with("column") {
                head.to_string()
            } else {
                format!("{head}, {rest}")
            }
        }
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let t = "ab\nçé x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 4));
    }

    #[test]
    fn diagnostic_display_names_file_line_rule() {
        let d = Diagnostic::new("claims/x.yaml", "unknown key `foo`")
            .at(3, 5)
            .rule("deaths");
        assert_eq!(
            d.to_string(),
            "claims/x.yaml:3:5: [deaths]: unknown key `foo`"
        );
    }
}
