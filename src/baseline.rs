//! The baseline: conflicts a newsroom has reviewed and accepted, kept in a YAML file committed
//! beside the articles, and the verdict of `check` against it.
//!
//! Entries are matched by the discrepancy's fingerprint ([`Discrepancy::id`]), which does not
//! move when an article is re-wrapped or an unrelated paragraph is edited. The file is written
//! sorted (event, metric, fingerprint) so that a new acknowledgement is a small diff.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::compare::{Discrepancy, DiscrepancyKind};
use crate::error::{yaml_diagnostic, Diagnostic, Error, Result};

/// The version of the baseline file's shape.
pub const BASELINE_VERSION: u32 = 1;

const HEADER: &str = "\
# claimcheck baseline: conflicts that were reviewed and accepted.
# `claimcheck check` fails only on conflicts not listed here (or whose `expires` date has
# passed). Update it with `claimcheck baseline --reason \"...\"`; edit reasons freely.
";

/// The file as read: a serde mirror of the YAML. Semantic checks (fingerprints, dates,
/// duplicates) come after, in [`Baseline::parse`], so that they can point at their line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineSpec {
    /// Shape version of the file; only 1 exists.
    version: u32,
    /// The acknowledged conflicts.
    #[serde(default)]
    acknowledged: Vec<EntrySpec>,
}

/// One acknowledged conflict as written in the file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntrySpec {
    /// The conflict's fingerprint, as `check` and `report` print it (16 hex digits).
    id: String,
    /// `contradiction` or `update` when it was acknowledged; for readers, matching uses `id`.
    #[serde(default)]
    kind: Option<String>,
    /// The event, for readers.
    #[serde(default)]
    event: Option<String>,
    /// The metric, for readers.
    #[serde(default)]
    metric: Option<String>,
    /// Both sides, `figure (document) vs figure (document)`, for readers.
    #[serde(default)]
    conflict: Option<String>,
    /// Why the conflict is acceptable.
    reason: String,
    /// Who reviewed it.
    acknowledged_by: String,
    /// The last day the acknowledgement holds, `YYYY-MM-DD`; after it the conflict is new again.
    #[serde(default)]
    expires: Option<String>,
}

/// The file as written.
#[derive(Debug, Serialize)]
struct BaselineFile {
    version: u32,
    acknowledged: Vec<Entry>,
}

/// One acknowledged conflict (see the fields of the file format above).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    pub reason: String,
    pub acknowledged_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Day>,
}

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// Parses `YYYY-MM-DD`, refusing days a month does not have.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let month: u8 = s[5..7].parse().ok()?;
        let day: u8 = s[8..].parse().ok()?;
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Day { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Day {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Day::from_unix_days((secs / 86_400) as i64)
    }

    /// The day `days` after 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_unix_days(days: i64) -> Day {
        // count in 400-year eras starting on 0000-03-01, so that leap days fall last
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

/// An entry and the line it starts on, for messages that point into the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ack {
    #[serde(flatten)]
    pub entry: Entry,
    /// 1-based line of the entry's `id` in the file (0 for entries not read from a file).
    pub line: usize,
}

/// The acknowledged conflicts, read from (or to be written to) a file.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub path: PathBuf,
    pub acks: Vec<Ack>,
}

/// Line and column of the value of `key` within the entry starting on line `entry`.
fn value_pos(text: &str, entry: usize, key: &str) -> Option<(usize, usize)> {
    let start = entry.checked_sub(1)?;
    for (i, l) in text.lines().enumerate().skip(start) {
        if i > start && l.starts_with("- ") {
            break;
        }
        let indent = l.len() - l.trim_start_matches([' ', '-']).len();
        if let Some(rest) = l[indent..]
            .strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
        {
            let value_at = indent + key.len() + 1 + (rest.len() - rest.trim_start().len());
            return Some((i + 1, l[..value_at].chars().count() + 1));
        }
    }
    None
}

/// The line on which `id` is declared, searching from `from` (a 1-based line).
fn line_of_id(text: &str, id: &str, from: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            t.strip_prefix("id:")
                .is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
        })
        .map_or(0, |(i, _)| i + 1)
}

impl Baseline {
    /// An empty baseline that will be written to `path`.
    pub fn empty(path: impl Into<PathBuf>) -> Baseline {
        Baseline {
            path: path.into(),
            acks: Vec::new(),
        }
    }

    /// Reads a baseline; problems name the file and line.
    pub fn load(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Baseline::parse(path, &text)
    }

    /// Parses the text of a baseline file.
    pub fn parse(path: &Path, text: &str) -> Result<Baseline> {
        let file: BaselineSpec = match serde_yaml::from_str::<Option<BaselineSpec>>(text) {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(Baseline::empty(path)),
            Err(e) => return Err(Error::invalid(yaml_diagnostic(path, &e))),
        };
        let mut problems = Vec::new();
        if file.version != BASELINE_VERSION {
            let line = text
                .lines()
                .position(|l| l.starts_with("version"))
                .map_or(1, |i| i + 1);
            problems.push(Diagnostic::new(path, format!("version: {} is not a baseline version this claimcheck reads (expected {BASELINE_VERSION})", file.version)).line(line));
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        let mut acks = Vec::new();
        let mut cursor = 1;
        for spec in file.acknowledged {
            let line = line_of_id(text, &spec.id, cursor);
            if line > 0 {
                cursor = line + 1;
            }
            let at = |m: String| {
                let d = Diagnostic::new(path, m);
                if line > 0 {
                    d.line(line)
                } else {
                    d
                }
            };
            let entry = &spec;
            if entry.id.len() != 16 || !entry.id.bytes().all(|b| b.is_ascii_hexdigit()) {
                problems.push(at(format!("id: `{}` is not a fingerprint (16 hex digits, as `claimcheck check` prints them)", entry.id)));
            }
            if let Some(first) = seen.insert(entry.id.clone(), line) {
                problems.push(at(format!(
                    "id: `{}` is listed twice (first on line {first})",
                    entry.id
                )));
            }
            if entry.reason.trim().is_empty() {
                problems.push(at(format!(
                    "reason: empty for `{}`; say why the conflict is acceptable",
                    entry.id
                )));
            }
            if entry.acknowledged_by.trim().is_empty() {
                problems.push(at(format!(
                    "acknowledged_by: empty for `{}`; say who reviewed it",
                    entry.id
                )));
            }
            let expires = spec.expires.as_deref().and_then(|raw| {
                let day = Day::parse(raw.trim());
                if day.is_none() {
                    let (l, c) = value_pos(text, line, "expires").unwrap_or((line, 0));
                    let mut d = Diagnostic::new(
                        path,
                        format!("expires: `{raw}` is not a date, expected YYYY-MM-DD"),
                    );
                    d = if c > 0 { d.at(l, c) } else { d.line(l) };
                    problems.push(d);
                }
                day
            });
            let entry = Entry {
                id: spec.id,
                kind: spec.kind,
                event: spec.event,
                metric: spec.metric,
                conflict: spec.conflict,
                reason: spec.reason,
                acknowledged_by: spec.acknowledged_by,
                expires,
            };
            acks.push(Ack { entry, line });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            acks,
        })
    }

    /// The entry for a fingerprint.
    pub fn get(&self, id: &str) -> Option<&Ack> {
        self.acks.iter().find(|a| a.entry.id == id)
    }

    /// The file's text: a header, then the entries sorted by event, metric and fingerprint.
    pub fn to_yaml(&self) -> String {
        let mut acknowledged: Vec<Entry> = self.acks.iter().map(|a| a.entry.clone()).collect();
        acknowledged
            .sort_by(|a, b| (&a.event, &a.metric, &a.id).cmp(&(&b.event, &b.metric, &b.id)));
        let file = BaselineFile {
            version: BASELINE_VERSION,
            acknowledged,
        };
        // serializing plain strings, numbers and lists cannot fail
        let body = serde_yaml::to_string(&file).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// The baseline acknowledging every conflict in `conflicts`: entries already present keep
    /// their reason, reviewer and expiry; new ones get those of `new`. Entries matching no
    /// conflict are dropped unless `keep_stale` (a partial corpus cannot tell they are stale).
    pub fn updated(
        &self,
        conflicts: &[Discrepancy],
        new: &NewAck,
        keep_stale: bool,
    ) -> (Baseline, UpdateSummary) {
        let mut summary = UpdateSummary::default();
        let mut acks = Vec::new();
        let mut ids = BTreeSet::new();
        for d in conflicts {
            if !ids.insert(d.id.clone()) {
                continue;
            }
            let mut entry = describe(d);
            match self.get(&d.id) {
                Some(old) => {
                    entry.reason = old.entry.reason.clone();
                    entry.acknowledged_by = old.entry.acknowledged_by.clone();
                    entry.expires = old.entry.expires;
                    summary.kept += 1;
                }
                None => {
                    entry.reason = new.reason.clone();
                    entry.acknowledged_by = new.by.clone();
                    entry.expires = new.expires;
                    summary.added += 1;
                }
            }
            acks.push(Ack { entry, line: 0 });
        }
        for old in &self.acks {
            if !ids.contains(&old.entry.id) {
                if keep_stale {
                    acks.push(Ack {
                        entry: old.entry.clone(),
                        line: 0,
                    });
                    summary.kept += 1;
                } else {
                    summary.dropped += 1;
                }
            }
        }
        (
            Baseline {
                path: self.path.clone(),
                acks,
            },
            summary,
        )
    }
}

/// The reason, reviewer and expiry given to conflicts acknowledged for the first time.
#[derive(Debug, Clone)]
pub struct NewAck {
    pub reason: String,
    pub by: String,
    pub expires: Option<Day>,
}

/// What `Baseline::updated` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    pub added: usize,
    pub kept: usize,
    pub dropped: usize,
}

/// An entry for `d` with its descriptive fields filled in and no reason yet.
fn describe(d: &Discrepancy) -> Entry {
    Entry {
        id: d.id.clone(),
        kind: Some(d.kind.as_str().to_string()),
        event: d.event.clone(),
        metric: Some(d.metric.clone()),
        conflict: Some(format!(
            "{} ({}) vs {} ({})",
            d.a_figure, d.a_doc, d.b_figure, d.b_doc
        )),
        reason: String::new(),
        acknowledged_by: String::new(),
        expires: None,
    }
}

/// Where a conflict stands against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not in the baseline.
    New,
    /// In the baseline, but its acknowledgement has expired: new again.
    Expired,
    /// In the baseline and still acknowledged.
    Acknowledged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Expired => "expired",
            Status::Acknowledged => "acknowledged",
        }
    }
}

/// A conflict as `check` sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub discrepancy: Discrepancy,
    pub status: Status,
    /// Whether this finding fails the check.
    pub fails: bool,
    /// Whether each side (a, b) lies in an article changed since `--since` (both, without it).
    pub changed: [bool; 2],
    /// The matching baseline entry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ack: Option<Ack>,
}

impl Finding {
    /// The sides to point at: those in changed articles, `a` first.
    pub fn sides(&self) -> Vec<Side<'_>> {
        let d = &self.discrepancy;
        let a = Side {
            doc: &d.a_doc,
            line: d.a_line,
            figure: &d.a_figure,
            date: d.a_date.as_deref(),
        };
        let b = Side {
            doc: &d.b_doc,
            line: d.b_line,
            figure: &d.b_figure,
            date: d.b_date.as_deref(),
        };
        match self.changed {
            [true, false] => vec![a],
            [false, true] => vec![b],
            _ => vec![a, b],
        }
    }

    /// The other side of the conflict from `side`.
    pub fn other(&self, side: &Side<'_>) -> Side<'_> {
        let d = &self.discrepancy;
        if side.doc == d.a_doc && side.line == d.a_line && side.figure == d.a_figure {
            Side {
                doc: &d.b_doc,
                line: d.b_line,
                figure: &d.b_figure,
                date: d.b_date.as_deref(),
            }
        } else {
            Side {
                doc: &d.a_doc,
                line: d.a_line,
                figure: &d.a_figure,
                date: d.a_date.as_deref(),
            }
        }
    }

    /// One sentence for annotations: what is claimed here and what the other side says.
    pub fn message(&self, side: &Side<'_>) -> String {
        let d = &self.discrepancy;
        let other = self.other(side);
        let what = format!(
            "{}{}",
            d.metric,
            d.event
                .as_deref()
                .map(|e| format!(" in {e}"))
                .unwrap_or_default()
        );
        let mut m = format!(
            "{} {}: {} here vs {} in {}:{}{} (×{:.2}, fingerprint {})",
            self.status.as_str(),
            d.kind.as_str(),
            side.figure,
            other.figure,
            other.doc,
            other.line,
            other
                .date
                .map(|x| format!(", dated {x}"))
                .unwrap_or_default(),
            d.severity,
            d.id
        );
        m = format!("{what}: {m}");
        if let (Status::Expired, Some(a)) = (self.status, &self.ack) {
            if let Some(e) = a.entry.expires {
                m.push_str(&format!(
                    "; acknowledged by {} until {e}: {}",
                    a.entry.acknowledged_by, a.entry.reason
                ));
            }
        }
        m
    }
}

/// One side of a conflict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side<'a> {
    pub doc: &'a str,
    pub line: usize,
    pub figure: &'a str,
    pub date: Option<&'a str>,
}

/// When conflicts fail a check.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Updates (a later, larger figure) fail too, not only contradictions.
    pub fail_on_update: bool,
    /// The day acknowledgements are checked against.
    pub today: Day,
    /// With `--since`: the documents (as in [`Discrepancy::a_doc`]) added or changed since the
    /// revision; only conflicts with a side among them are checked.
    pub changed: Option<BTreeSet<String>>,
    /// The revision given to `--since`, for reports.
    pub since: Option<String>,
}

/// The verdict of `check`.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub version: u32,
    /// Whether the check passed (no failing finding).
    pub passed: bool,
    pub baseline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    pub fail_on_update: bool,
    /// Failing findings first, then as `compare` ranks them.
    pub findings: Vec<Finding>,
    /// Conflicts left out because no side changed since `--since`.
    pub unchanged: usize,
    /// Baseline entries that match no conflict any more.
    pub stale: Vec<Ack>,
}

impl Outcome {
    pub fn failures(&self) -> usize {
        self.findings.iter().filter(|f| f.fails).count()
    }

    pub fn count(&self, status: Status) -> usize {
        self.findings.iter().filter(|f| f.status == status).count()
    }
}

/// Checks conflicts against the baseline.
pub fn check(conflicts: Vec<Discrepancy>, baseline: &Baseline, policy: &Policy) -> Outcome {
    let ids: BTreeSet<&str> = conflicts.iter().map(|d| d.id.as_str()).collect();
    let stale: Vec<Ack> = baseline
        .acks
        .iter()
        .filter(|a| !ids.contains(a.entry.id.as_str()))
        .cloned()
        .collect();
    let mut unchanged = 0;
    let mut findings = Vec::new();
    for d in conflicts {
        let changed = match &policy.changed {
            Some(set) => [set.contains(&d.a_doc), set.contains(&d.b_doc)],
            None => [true, true],
        };
        if changed == [false, false] {
            unchanged += 1;
            continue;
        }
        let ack = baseline.get(&d.id).cloned();
        let status = match &ack {
            None => Status::New,
            Some(a) if a.entry.expires.is_some_and(|e| e < policy.today) => Status::Expired,
            Some(_) => Status::Acknowledged,
        };
        let kind_fails = d.kind == DiscrepancyKind::Contradiction || policy.fail_on_update;
        findings.push(Finding {
            fails: status != Status::Acknowledged && kind_fails,
            status,
            changed,
            ack,
            discrepancy: d,
        });
    }
    // stable: keeps the comparison's ranking within failing and passing findings
    findings.sort_by_key(|f| !f.fails);
    Outcome {
        version: BASELINE_VERSION,
        passed: !findings.iter().any(|f| f.fails),
        baseline: baseline.path.to_string_lossy().replace('\\', "/"),
        since: policy.since.clone(),
        fail_on_update: policy.fail_on_update,
        findings,
        unchanged,
        stale,
    }
}

/// The outcome of a plain report: every discrepancy new, contradictions failing. Lets the CI
/// formats render `claimcheck report` too.
pub fn unchecked(conflicts: &[Discrepancy]) -> Outcome {
    let policy = Policy {
        fail_on_update: false,
        today: Day::today(),
        changed: None,
        since: None,
    };
    let mut o = check(conflicts.to_vec(), &Baseline::default(), &policy);
    o.baseline = String::new();
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disc(id: &str, kind: DiscrepancyKind, a_doc: &str, b_doc: &str) -> Discrepancy {
        Discrepancy {
            id: id.into(),
            kind,
            claim_kind: "count".into(),
            event: Some("ev".into()),
            metric: "arrests".into(),
            subject: None,
            place: None,
            rate: None,
            a: "ca".into(),
            b: "cb".into(),
            severity: 2.0,
            a_figure: "2,000".into(),
            b_figure: "4,400".into(),
            a_doc: a_doc.into(),
            b_doc: b_doc.into(),
            a_line: 3,
            b_line: 1,
            a_source: None,
            b_source: None,
            a_date: None,
            b_date: None,
            relation: "same scope".into(),
        }
    }

    fn policy() -> Policy {
        Policy {
            fail_on_update: false,
            today: Day::parse("2024-06-01").unwrap(),
            changed: None,
            since: None,
        }
    }

    const ENTRY: &str = "version: 1\nacknowledged:\n- id: 00000000000000aa\n  reason: known\n  acknowledged_by: desk\n";

    #[track_caller]
    fn bad(text: &str, want: &str) {
        let e = Baseline::parse(Path::new("b.yaml"), text)
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{e}");
    }

    #[test]
    fn days_parse_strictly_and_count_from_the_epoch() {
        assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for s in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024-04-31",
        ] {
            assert!(Day::parse(s).is_none(), "{s}");
        }
        assert_eq!(Day::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Day::from_unix_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Day::from_unix_days(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn bad_baselines_name_file_line_and_key() {
        bad(
            "version: 1\nacknowledged:\n- id: 00000000000000aa\n  reason: x\n",
            "b.yaml:3:3: acknowledged[0]: missing field `acknowledged_by`",
        );
        bad(
            &format!("{ENTRY}  expires: 2024-02-30\n"),
            "b.yaml:6:12: expires: `2024-02-30` is not a date, expected YYYY-MM-DD",
        );
        bad(
            &format!("{ENTRY}  color: red\n"),
            "b.yaml:6:3: acknowledged[0]: unknown field `color`",
        );
        bad(
            &format!("{ENTRY}- id: 00000000000000aa\n  reason: again\n  acknowledged_by: x\n"),
            "b.yaml:6: id: `00000000000000aa` is listed twice (first on line 3)",
        );
        bad(
            "version: 1\nacknowledged:\n- id: nothex\n  reason: r\n  acknowledged_by: x\n",
            "b.yaml:3: id: `nothex` is not a fingerprint",
        );
        bad("version: 1\nacknowledged:\n- id: 00000000000000aa\n  reason: ' '\n  acknowledged_by: x\n", "b.yaml:3: reason: empty");
        bad(
            "version: 2\n",
            "b.yaml:1: version: 2 is not a baseline version",
        );
    }

    #[test]
    fn new_acknowledged_and_expired() {
        let text = "version: 1\nacknowledged:\n- id: 00000000000000aa\n  reason: r\n  acknowledged_by: x\n- id: 00000000000000bb\n  reason: r\n  acknowledged_by: x\n  expires: 2024-05-31\n- id: 00000000000000cc\n  reason: r\n  acknowledged_by: x\n";
        let b = Baseline::parse(Path::new("b.yaml"), text).unwrap();
        assert_eq!(
            b.acks.iter().map(|a| a.line).collect::<Vec<_>>(),
            vec![3, 6, 10]
        );
        let ds = vec![
            disc("00000000000000aa", DiscrepancyKind::Contradiction, "x", "y"),
            disc("00000000000000bb", DiscrepancyKind::Contradiction, "x", "y"),
            disc("00000000000000dd", DiscrepancyKind::Contradiction, "x", "y"),
            disc("00000000000000ee", DiscrepancyKind::Update, "x", "y"),
        ];
        let o = check(ds.clone(), &b, &policy());
        let st: Vec<_> = o
            .findings
            .iter()
            .map(|f| (f.discrepancy.id.as_str(), f.status, f.fails))
            .collect();
        assert_eq!(
            st,
            vec![
                ("00000000000000bb", Status::Expired, true),
                ("00000000000000dd", Status::New, true),
                ("00000000000000aa", Status::Acknowledged, false),
                ("00000000000000ee", Status::New, false),
            ]
        );
        assert_eq!(
            o.stale
                .iter()
                .map(|a| a.entry.id.as_str())
                .collect::<Vec<_>>(),
            vec!["00000000000000cc"]
        );
        assert!(!o.passed);
        let o = check(
            ds,
            &b,
            &Policy {
                fail_on_update: true,
                ..policy()
            },
        );
        assert_eq!(o.failures(), 3);
    }

    #[test]
    fn since_keeps_only_conflicts_touching_changed_documents() {
        let ds = vec![
            disc(
                "00000000000000aa",
                DiscrepancyKind::Contradiction,
                "old1",
                "old2",
            ),
            disc(
                "00000000000000bb",
                DiscrepancyKind::Contradiction,
                "old1",
                "new",
            ),
        ];
        let p = Policy {
            changed: Some(["new".to_string()].into()),
            ..policy()
        };
        let o = check(ds, &Baseline::default(), &p);
        assert_eq!(o.unchanged, 1);
        assert_eq!(o.findings.len(), 1);
        let f = &o.findings[0];
        assert_eq!(
            f.sides().iter().map(|s| s.doc).collect::<Vec<_>>(),
            vec!["new"]
        );
        assert!(
            f.message(&f.sides()[0])
                .contains("4,400 here vs 2,000 in old1:3"),
            "{}",
            f.message(&f.sides()[0])
        );
    }

    #[test]
    fn update_keeps_reasons_sorts_and_round_trips() {
        let b = Baseline::parse(Path::new("b.yaml"), "version: 1\nacknowledged:\n- id: 00000000000000bb\n  reason: checked with the desk\n  acknowledged_by: ana\n  expires: 2030-01-01\n- id: 00000000000000ff\n  reason: gone\n  acknowledged_by: ana\n").unwrap();
        let ds = vec![
            disc("00000000000000bb", DiscrepancyKind::Contradiction, "x", "y"),
            disc("00000000000000aa", DiscrepancyKind::Update, "x", "y"),
        ];
        let new = NewAck {
            reason: "first baseline".into(),
            by: "ci".into(),
            expires: None,
        };
        let (u, s) = b.updated(&ds, &new, false);
        assert_eq!(
            s,
            UpdateSummary {
                added: 1,
                kept: 1,
                dropped: 1
            }
        );
        let text = u.to_yaml();
        let again = Baseline::parse(Path::new("b.yaml"), &text).unwrap();
        assert_eq!(
            again
                .acks
                .iter()
                .map(|a| a.entry.id.as_str())
                .collect::<Vec<_>>(),
            vec!["00000000000000aa", "00000000000000bb"]
        );
        let kept = again.get("00000000000000bb").unwrap();
        assert_eq!(kept.entry.reason, "checked with the desk");
        assert_eq!(
            kept.entry.expires.map(|d| d.to_string()).as_deref(),
            Some("2030-01-01")
        );
        assert_eq!(
            again.updated(&ds, &new, false).0.to_yaml(),
            text,
            "a second run changes nothing"
        );
        let (kept_stale, s) = b.updated(&ds, &new, true);
        assert_eq!((kept_stale.acks.len(), s.dropped), (3, 0));
    }
}
