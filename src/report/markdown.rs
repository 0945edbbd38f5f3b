//! Markdown output: a section per group, conflicts first, for pasting into a story budget or
//! an issue.

use std::io::{self, Write};

use super::{short_doc, Report, ReportData};
use crate::claim::Claim;

pub struct Markdown;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

impl Report for Markdown {
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()> {
        writeln!(
            out,
            "| doc | line | metric | subject | figure | qualifier | attribution |"
        )?;
        writeln!(out, "|---|---:|---|---|---|---|---|")?;
        for c in claims {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&short_doc(&c.doc)),
                c.line,
                c.metric,
                c.subject.as_deref().unwrap_or(""),
                match &c.entity {
                    Some(e) if e != &c.text => cell(&format!("{} (= {e})", c.text)),
                    _ => cell(&c.text),
                },
                if c.kind == "fact" {
                    String::new()
                } else {
                    c.qualifier.to_string()
                },
                cell(c.attribution.as_deref().unwrap_or(""))
            )?;
        }
        Ok(())
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        let c = &data.comparison;
        let n = c
            .conflicts
            .iter()
            .filter(|d| d.kind.as_str() == "contradiction")
            .count();
        writeln!(out, "# claimcheck report\n")?;
        writeln!(
            out,
            "{} claims, {} groups, {} contradictions, {} updates.\n",
            data.claims.len(),
            c.groups.len(),
            n,
            c.conflicts.len() - n
        )?;
        if !c.conflicts.is_empty() {
            writeln!(out, "## Discrepancies\n")?;
            writeln!(
                out,
                "| kind | event | metric | severity | figure A | source A | figure B | source B |"
            )?;
            writeln!(out, "|---|---|---|---:|---|---|---|---|")?;
            for d in &c.conflicts {
                writeln!(
                    out,
                    "| {} | {} | {}{} | {:.2}× | {} | {}:{}{} | {} | {}:{}{} |",
                    d.kind.as_str(),
                    d.event.as_deref().unwrap_or("-"),
                    d.metric,
                    d.subject
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default(),
                    d.severity,
                    cell(&d.a_figure),
                    cell(&short_doc(&d.a_doc)),
                    d.a_line,
                    d.a_source
                        .as_deref()
                        .map(|s| format!(" — {}", cell(s)))
                        .unwrap_or_default(),
                    cell(&d.b_figure),
                    cell(&short_doc(&d.b_doc)),
                    d.b_line,
                    d.b_source
                        .as_deref()
                        .map(|s| format!(" — {}", cell(s)))
                        .unwrap_or_default(),
                )?;
            }
            writeln!(out)?;
        }
        writeln!(out, "## Groups\n")?;
        for g in &c.groups {
            writeln!(
                out,
                "### {} — {}\n",
                g.title().replace(" · ", " / "),
                g.verdict
            )?;
            writeln!(
                out,
                "| figure | subject | place | sources | dates | attribution |"
            )?;
            writeln!(out, "|---|---|---|---:|---|---|")?;
            for f in &g.figures {
                writeln!(
                    out,
                    "| {}{} | {} | {} | {} | {} | {} |",
                    cell(&f.label()),
                    if f.hedged { " (hedged)" } else { "" },
                    f.subject.as_deref().unwrap_or("all"),
                    f.place.as_deref().unwrap_or(""),
                    f.sources.len(),
                    f.dates.join(", "),
                    cell(&f.attributions.join("; "))
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}
