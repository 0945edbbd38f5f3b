//! Loading articles: plain text, Markdown with YAML front matter, and the seed corpus's inline
//! header (` date 2022-09 Sono ormai...`). Byte offsets always refer to the original file, so a
//! claim's `start`/`end` can be checked against it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{line_col, Diagnostic};
use crate::lang::{Language, Languages};

/// Metadata from front matter (or the inline header). Unknown keys are kept in `extra`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_string")]
    pub date: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_yaml::Value>,
}

/// Dates in YAML may be written unquoted; accept whatever scalar is there.
fn de_opt_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_yaml::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(serde_yaml::Value::Null) => None,
        Some(serde_yaml::Value::String(s)) => Some(s),
        Some(serde_yaml::Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(
            serde_yaml::to_string(&other)
                .unwrap_or_default()
                .trim()
                .to_string(),
        ),
    })
}

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time after the date is ignored).
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        let s = s.split(['T', ' ']).next()?;
        let mut it = s.split('-');
        let year: i32 = it.next()?.parse().ok()?;
        let month = match it.next() {
            Some(m) => Some(m.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match it.next() {
            Some(d) => Some(d.parse::<u8>().ok().filter(|d| (1..=31).contains(d))?),
            None => None,
        };
        if it.next().is_some() || !(1000..=9999).contains(&year) {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The first and last day this date may stand for, as `YYYYMMDD` numbers.
    pub fn span(&self) -> (u32, u32) {
        let y = self.year as u32 * 10000;
        match (self.month, self.day) {
            (Some(m), Some(d)) => (y + m as u32 * 100 + d as u32, y + m as u32 * 100 + d as u32),
            (Some(m), None) => (y + m as u32 * 100 + 1, y + m as u32 * 100 + 31),
            _ => (y + 101, y + 1231),
        }
    }

    /// Whether this date is certainly before `other` (their spans do not overlap).
    pub fn before(&self, other: &PartialDate) -> bool {
        self.span().1 < other.span().0
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// Where the document's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    Metadata,
    Header,
    Text,
    Unknown,
}

/// A loaded article.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as the user gave it (or as found under a folder they gave).
    pub path: PathBuf,
    /// The whole file, as read.
    pub text: String,
    /// Byte range of the article body (after front matter or header).
    pub body: (usize, usize),
    pub meta: Meta,
    pub date: Option<PartialDate>,
    pub date_source: DateSource,
    pub lang: String,
    /// Hash of the whole file: a change of any byte is a change of the document.
    pub file_hash: String,
    /// Hash of the body with white space folded: two copies of one story share it.
    pub content_hash: String,
    /// The path relative to the project root (the nearest folder above the file holding
    /// `claimcheck.yaml` or `.git`), so identities do not depend on where a command runs.
    pub root_path: String,
}

impl Document {
    /// Who this document is for fingerprints: its `id` or `url` when the metadata has one,
    /// else its path.
    pub fn identity(&self) -> String {
        self.meta
            .id
            .clone()
            .or_else(|| self.meta.url.clone())
            .unwrap_or_else(|| self.root_path.clone())
    }

    /// The independent source the document speaks for: its outlet when known, else itself.
    pub fn source(&self) -> String {
        self.meta.outlet.clone().unwrap_or_else(|| self.identity())
    }

    pub fn body_text(&self) -> &str {
        &self.text[self.body.0..self.body.1]
    }

    /// Loads and parses one article. Problems name the file and line.
    pub fn load(path: &Path, langs: &Languages) -> Result<Document, Diagnostic> {
        let bytes =
            std::fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read: {e}")))?;
        Self::parse(path, bytes, langs)
    }

    /// A document made from a string in a known language (rule examples, `explain`).
    pub fn from_text(path: &Path, text: &str, lang: &str) -> Document {
        let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Document {
            path: path.to_path_buf(),
            body: (0, text.len()),
            text: text.to_string(),
            meta: Meta::default(),
            date: None,
            date_source: DateSource::Unknown,
            lang: lang.to_string(),
            file_hash: hex(&Sha256::digest(text.as_bytes())),
            content_hash: hex(&Sha256::digest(folded.as_bytes())),
            root_path: clean(path),
        }
    }

    pub fn parse(path: &Path, bytes: Vec<u8>, langs: &Languages) -> Result<Document, Diagnostic> {
        let file_hash = hex(&Sha256::digest(&bytes));
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let ok = String::from_utf8_lossy(&e.as_bytes()[..at]).into_owned();
                let (line, col) = line_col(&ok, ok.len());
                return Err(Diagnostic::new(
                    path,
                    format!("not valid UTF-8 (byte {at}); save the article as UTF-8"),
                )
                .at(line, col));
            }
        };
        let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut meta = Meta::default();
        let mut date_source = DateSource::Unknown;
        let rest = &text[start..];
        if rest.starts_with("---\n") || rest.starts_with("---\r\n") {
            let open_len = if rest.starts_with("---\r\n") { 5 } else { 4 };
            let fm_start = start + open_len;
            let close = find_closing_fence(&text[fm_start..]).ok_or_else(|| {
                Diagnostic::new(
                    path,
                    "front matter opened with `---` is never closed by a `---` line",
                )
                .at(1, 1)
            })?;
            let yaml = &text[fm_start..fm_start + close.0];
            meta = serde_yaml::from_str::<Option<Meta>>(yaml)
                .map_err(|e| {
                    let mut d = Diagnostic::new(
                        path,
                        format!(
                            "front matter: {}",
                            crate::error::yaml_diagnostic(path, &e).message
                        ),
                    );
                    if let Some(loc) = e.location() {
                        d = d.at(loc.line() + 1, loc.column());
                    }
                    d
                })?
                .unwrap_or_default();
            start = fm_start + close.1;
            if meta.date.is_some() {
                date_source = DateSource::Metadata;
            }
        } else if let Some(caps) = header_regex().captures(rest) {
            let m = caps.get(0).expect("match");
            let d = caps.get(1).expect("date").as_str();
            if PartialDate::parse(d).is_none() {
                return Err(Diagnostic::new(
                    path,
                    format!("header date `{d}` is not a date (want YYYY-MM or YYYY-MM-DD)"),
                )
                .at(1, 1));
            }
            meta.date = Some(d.to_string());
            date_source = DateSource::Header;
            start += m.end();
        }
        let date = match &meta.date {
            Some(d) => Some(PartialDate::parse(d).ok_or_else(|| {
                Diagnostic::new(
                    path,
                    format!("`date: {d}` is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)"),
                )
                .line(1)
            })?),
            None => None,
        };
        let body_text = &text[start..];
        let lang = match &meta.lang {
            Some(l) => {
                let l = l.to_lowercase();
                if langs.get(&l).is_none() {
                    return Err(Diagnostic::new(
                        path,
                        format!(
                            "`lang: {l}` has no language data (have: {}); add claims/lang/{l}.yaml",
                            langs.codes().join(", ")
                        ),
                    )
                    .line(1));
                }
                l
            }
            None => langs
                .detect(body_text)
                .or_else(|| langs.get("en"))
                .or_else(|| langs.iter().next())
                .map(|l| l.code.clone())
                .ok_or_else(|| Diagnostic::new(path, "no language data is loaded"))?,
        };
        let (date, date_source) = match date {
            Some(d) => (Some(d), date_source),
            None => match langs.get(&lang).and_then(|l| date_in_text(body_text, l)) {
                Some(d) => (Some(d), DateSource::Text),
                None => (None, DateSource::Unknown),
            },
        };
        let folded: String = body_text.split_whitespace().collect::<Vec<_>>().join(" ");
        let content_hash = hex(&Sha256::digest(folded.as_bytes()));
        let end = text.len();
        Ok(Document {
            root_path: root_relative(path).unwrap_or_else(|| clean(path)),
            path: path.to_path_buf(),
            body: (start, end),
            text,
            meta,
            date,
            date_source,
            lang,
            file_hash,
            content_hash,
        })
    }
}

/// Finds the `---` line closing front matter: (offset of the line, offset after it).
fn find_closing_fence(s: &str) -> Option<(usize, usize)> {
    let mut off = 0;
    for line in s.split_inclusive('\n') {
        let t = line.trim_end_matches(['\n', '\r']);
        if t == "---" || t == "..." {
            return Some((off, off + line.len()));
        }
        off += line.len();
    }
    None
}

fn header_regex() -> &'static Regex {
    static R: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^[ \t]*date:?[ \t]+(\d{4}-\d{1,2}(?:-\d{1,2})?)[ \t]+").expect("header regex")
    })
}

/// The first full or month-precise date written in the text (`10 gennaio 2022`,
/// `January 10, 2022`, `gennaio 2022`), read with the language's month names.
pub fn date_in_text(text: &str, lang: &Language) -> Option<PartialDate> {
    let re = lang.text_date.as_ref()?;
    for caps in re.captures_iter(text) {
        let month_word = caps
            .name("m1")
            .or_else(|| caps.name("m2"))
            .or_else(|| caps.name("m3"))?
            .as_str()
            .to_lowercase();
        let month = *lang.months.get(month_word.trim_end_matches('.'))?;
        let year: i32 = caps
            .name("y1")
            .or_else(|| caps.name("y2"))
            .or_else(|| caps.name("y3"))?
            .as_str()
            .parse()
            .ok()?;
        let day = caps
            .name("d1")
            .or_else(|| caps.name("d2"))
            .and_then(|d| d.as_str().parse::<u8>().ok())
            .filter(|d| (1..=31).contains(d));
        if (1900..=2100).contains(&year) {
            return Some(PartialDate {
                year,
                month: Some(month),
                day,
            });
        }
    }
    None
}

/// A path written with `/` and without `.` components.
fn clean(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/").replace("//", "/");
    if joined.is_empty() {
        ".".to_string()
    } else {
        joined
    }
}

/// `path` relative to the nearest folder above it that holds `claimcheck.yaml` or `.git`.
fn root_relative(path: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let root = abs
        .ancestors()
        .skip(1)
        .find(|d| d.join(crate::config::FILE_NAME).is_file() || d.join(".git").exists())?;
    Some(clean(abs.strip_prefix(root).ok()?))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The articles under the given paths, folders walked recursively in a stable (sorted) order.
/// Hidden files and folders are skipped; files are `.txt`, `.md`, `.markdown` or `.text`.
pub fn collect_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for p in paths {
        let p = &PathBuf::from(clean(p));
        if p.is_file() {
            out.push(p.clone());
            continue;
        }
        if !p.exists() {
            return Err(Diagnostic::new(p, "no such file or folder"));
        }
        for entry in walkdir::WalkDir::new(p)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        {
            let entry = entry.map_err(|e| Diagnostic::new(p, format!("cannot walk: {e}")))?;
            if entry.file_type().is_file() && is_article(entry.path()) {
                out.push(entry.path().to_path_buf());
            }
        }
    }
    Ok(out)
}

fn is_article(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown" | "text")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_order_only_when_certain() {
        let jan = PartialDate::parse("2022-01").unwrap();
        let jan10 = PartialDate::parse("2022-01-10").unwrap();
        let feb = PartialDate::parse("2022-02-01").unwrap();
        assert!(!jan.before(&jan10) && !jan10.before(&jan));
        assert!(jan.before(&feb));
        assert_eq!(jan10.to_string(), "2022-01-10");
        assert!(PartialDate::parse("2022-13").is_none());
    }
}
