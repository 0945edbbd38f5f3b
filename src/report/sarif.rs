//! SARIF 2.1.0, for code-scanning dashboards: one rule per discrepancy kind, one result per
//! conflict located at the claim in the changed article (the other side as a related
//! location), the fingerprint as a partial fingerprint, and the baseline's acknowledgements as
//! external suppressions. Stale baseline entries become tool notifications.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Report, ReportData};
use crate::baseline::{unchecked, Outcome, Side, Status};
use crate::claim::Claim;
use crate::compare::DiscrepancyKind;

pub struct Sarif;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key under which the fingerprint goes into `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "claimcheck/v1";

/// A relative path as a URI reference: `/` kept, anything outside the unreserved set escaped.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn location(doc: &str, line: usize) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(doc) },
            "region": { "startLine": line.max(1) }
        }
    })
}

fn related(id: usize, side: &Side<'_>) -> Value {
    let mut v = location(side.doc, side.line);
    v["id"] = json!(id);
    v["message"] = json!({ "text": format!("{}{}", side.figure, side.date.map(|d| format!(", dated {d}")).unwrap_or_default()) });
    v
}

fn rules() -> Value {
    json!([
        {
            "id": DiscrepancyKind::Contradiction.as_str(),
            "name": "Contradiction",
            "shortDescription": { "text": "Two sources give figures that cannot both be true." },
            "fullDescription": { "text": "Two figures for the same event, metric and moment (or moments the dates cannot order) whose intervals do not overlap within the tolerance, a later figure below an earlier lower bound, or a part larger than its whole." },
            "defaultConfiguration": { "level": "error" }
        },
        {
            "id": DiscrepancyKind::Update.as_str(),
            "name": "Update",
            "shortDescription": { "text": "A later, larger figure of a cumulative count." },
            "fullDescription": { "text": "A cumulative figure (deaths, arrests, ...) reported later and larger than an earlier one: news, not a contradiction. Fails a check only with --fail-on update." },
            "defaultConfiguration": { "level": "warning" }
        }
    ])
}

/// The SARIF log of a check result.
pub fn log(o: &Outcome) -> Value {
    let results: Vec<Value> = o
        .findings
        .iter()
        .map(|f| {
            let d = &f.discrepancy;
            let primary = f.sides()[0];
            let level = match (f.fails, f.status) {
                (true, _) => "error",
                (false, Status::Acknowledged) => "note",
                (false, _) => "warning",
            };
            let mut r = json!({
                "ruleId": d.kind.as_str(),
                "ruleIndex": if d.kind == DiscrepancyKind::Contradiction { 0 } else { 1 },
                "level": level,
                "message": { "text": f.message(&primary) },
                "locations": [location(primary.doc, primary.line)],
                "relatedLocations": [related(1, &f.other(&primary))],
                "partialFingerprints": { FINGERPRINT_KEY: d.id },
                "properties": {
                    "status": f.status.as_str(),
                    "fails": f.fails,
                    "event": d.event,
                    "metric": d.metric,
                    "severity": d.severity,
                    "relation": d.relation,
                }
            });
            if let (Status::Acknowledged, Some(a)) = (f.status, &f.ack) {
                r["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{} (acknowledged by {})", a.entry.reason, a.entry.acknowledged_by),
                }]);
            }
            r
        })
        .collect();
    let notifications: Vec<Value> = o
        .stale
        .iter()
        .map(|s| {
            json!({
                "level": "warning",
                "message": { "text": format!("baseline entry {} matches no conflict any more (stale); `claimcheck baseline` drops it", s.entry.id) },
                "locations": [location(&o.baseline, s.line)],
            })
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "claimcheck",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules(),
                }
            },
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    })
}

impl Report for Sarif {
    fn claims(&self, _out: &mut dyn Write, _claims: &[Claim]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "SARIF lists conflicts, not claims: use it with `check` or `report`",
        ))
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        self.check(out, &unchecked(&data.comparison.conflicts))
    }

    fn check(&self, out: &mut dyn Write, o: &Outcome) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &log(o))?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_what_a_uri_reference_cannot_hold() {
        assert_eq!(uri("corpus/a b#1.md"), "corpus/a%20b%231.md");
        assert_eq!(uri("corpus\\città.txt"), "corpus/citt%C3%A0.txt");
    }
}
