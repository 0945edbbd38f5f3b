//! JUnit XML, which GitLab, Jenkins and most CI dashboards read: one test case per conflict,
//! a `<failure>` for each that fails the check, `<skipped>` for those that do not fail (updates
//! without `--fail-on update`); acknowledged conflicts pass, with their reason as output.

use std::io::{self, Write};

use super::{Report, ReportData};
use crate::baseline::{unchecked, Outcome, Status};
use crate::claim::Claim;

pub struct Junit;

/// Escapes text and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            // characters XML 1.0 cannot hold at all
            c if (c as u32) < 0x20 && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

impl Report for Junit {
    fn claims(&self, _out: &mut dyn Write, _claims: &[Claim]) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "JUnit lists conflicts, not claims: use it with `check` or `report`",
        ))
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        self.check(out, &unchecked(&data.comparison.conflicts))
    }

    fn check(&self, out: &mut dyn Write, o: &Outcome) -> io::Result<()> {
        let tests = o.findings.len().max(1);
        let failures = o.failures();
        let skipped = o
            .findings
            .iter()
            .filter(|f| !f.fails && f.status != Status::Acknowledged)
            .count();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="claimcheck" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#
        )?;
        writeln!(
            out,
            r#"  <testsuite name="claimcheck check" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#
        )?;
        if o.findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase classname="claimcheck" name="no conflicts between sources"/>"#
            )?;
        }
        for f in &o.findings {
            let d = &f.discrepancy;
            let primary = f.sides()[0];
            let other = f.other(&primary);
            let name = format!(
                "{} {}: {} ({}:{}) vs {} ({}:{}) [{}]",
                f.status.as_str(),
                d.kind.as_str(),
                primary.figure,
                primary.doc,
                primary.line,
                other.figure,
                other.doc,
                other.line,
                d.id
            );
            let class = format!("{}.{}", d.event.as_deref().unwrap_or("no-event"), d.metric);
            writeln!(
                out,
                r#"    <testcase classname="{}" name="{}" file="{}" line="{}">"#,
                xml(&class),
                xml(&name),
                xml(primary.doc),
                primary.line
            )?;
            let message = f.message(&primary);
            if f.fails {
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    d.kind.as_str(),
                    xml(&message),
                    xml(&message)
                )?;
            } else if let Some(a) = f.ack.as_ref().filter(|_| f.status == Status::Acknowledged) {
                writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    xml(&format!(
                        "acknowledged by {}: {}",
                        a.entry.acknowledged_by, a.entry.reason
                    ))
                )?;
            } else {
                writeln!(
                    out,
                    r#"      <skipped message="{}"/>"#,
                    xml("an update; fails only with --fail-on update")
                )?;
            }
            writeln!(out, "    </testcase>")?;
        }
        if !o.stale.is_empty() {
            let lines: Vec<String> = o
                .stale
                .iter()
                .map(|s| {
                    format!(
                        "warning: {}:{}: baseline entry {} matches no conflict any more (stale)",
                        o.baseline, s.line, s.entry.id
                    )
                })
                .collect();
            writeln!(
                out,
                "    <system-err>{}</system-err>",
                xml(&lines.join("\n"))
            )?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            xml("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\u{fffd}"
        );
    }
}
