//! GitHub Actions workflow commands: an `::error` annotation on the file and line of each
//! failing claim, `::warning` for conflicts that do not fail and for stale baseline entries.

use std::io::{self, Write};

use super::{Report, ReportData};
use crate::baseline::{unchecked, Outcome, Status};
use crate::claim::Claim;

pub struct Github;

/// Escapes the message part of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Report for Github {
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()> {
        for c in claims {
            writeln!(
                out,
                "::notice file={},line={},title={}::{}",
                property(&c.doc),
                c.line,
                property(&format!("claim {}", c.metric)),
                data(&format!(
                    "{} {} ({}) [{}]",
                    c.text,
                    c.metric,
                    c.event.as_deref().unwrap_or("no event"),
                    c.id
                ))
            )?;
        }
        Ok(())
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        self.check(out, &unchecked(&data.comparison.conflicts))
    }

    fn check(&self, out: &mut dyn Write, o: &Outcome) -> io::Result<()> {
        for f in o
            .findings
            .iter()
            .filter(|f| f.status != Status::Acknowledged)
        {
            let level = if f.fails { "error" } else { "warning" };
            for side in f.sides() {
                writeln!(
                    out,
                    "::{level} file={},line={},title={}::{}",
                    property(side.doc),
                    side.line.max(1),
                    property(&format!(
                        "claimcheck: {} {}",
                        f.status.as_str(),
                        f.discrepancy.kind.as_str()
                    )),
                    data(&f.message(&side))
                )?;
            }
        }
        for s in &o.stale {
            writeln!(
                out,
                "::warning file={},line={},title={}::{}",
                property(&o.baseline),
                s.line.max(1),
                property("claimcheck: stale baseline entry"),
                data(&format!("baseline entry {} matches no conflict any more; `claimcheck baseline` drops it", s.entry.id))
            )?;
        }
        super::checktext::summary(out, o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_workflow_commands_reserve() {
        assert_eq!(data("50% more\nline"), "50%25 more%0Aline");
        assert_eq!(property("a:b,c.md"), "a%3Ab%2Cc.md");
    }
}
