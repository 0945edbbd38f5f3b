//! The human table, drawn with comfy-table and kept within 80 columns.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table as Grid};

use super::{clip, short_doc, Report, ReportData};
use crate::claim::Claim;

pub struct Table {
    pub width: u16,
}

impl Default for Table {
    fn default() -> Self {
        Table { width: 80 }
    }
}

impl Table {
    fn grid(&self, header: &[&str]) -> Grid {
        let mut t = Grid::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.width)
            .set_header(header.to_vec());
        t
    }
}

impl Report for Table {
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()> {
        let mut t = self.grid(&["doc:line", "metric", "figure", "event", "attribution"]);
        for c in claims {
            let metric = match &c.subject {
                Some(s) => format!("{}\n({s})", c.metric),
                None => c.metric.clone(),
            };
            t.add_row(vec![
                format!("{}:{}", clip(&short_doc(&c.doc), 18), c.line),
                metric,
                match &c.entity {
                    // a fact: the value as written, and the entity it names
                    Some(e) => format!("{}\n= {}", clip(&c.text, 24), clip(e, 22)),
                    None => format!("{}\n{}", clip(&c.text, 24), c.qualifier),
                },
                c.event.clone().unwrap_or_else(|| "-".into()),
                clip(c.attribution.as_deref().unwrap_or(""), 40),
            ]);
        }
        writeln!(out, "{t}")?;
        writeln!(out, "{} claims", claims.len())
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        let c = &data.comparison;
        if c.groups.is_empty() {
            return writeln!(out, "no claims found");
        }
        for g in &c.groups {
            let title = format!(
                "{} · {}{}",
                g.title(),
                g.verdict.to_uppercase(),
                g.severity
                    .map(|s| format!(" (×{s:.2})"))
                    .unwrap_or_default()
            );
            writeln!(out, "{title}")?;
            let mut t = self.grid(&["figure", "who", "sources", "date", "said by"]);
            for f in &g.figures {
                t.add_row(vec![
                    format!("{}{}", f.label(), if f.hedged { "\n(hedged)" } else { "" }),
                    [
                        f.subject.as_deref().unwrap_or("all"),
                        f.place.as_deref().unwrap_or(""),
                    ]
                    .join("\n")
                    .trim()
                    .to_string(),
                    f.docs
                        .iter()
                        .map(|d| short_doc(d))
                        .map(|d| clip(&d, 16))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    f.dates.join("\n"),
                    clip(&f.attributions.join("; "), 36),
                ]);
            }
            writeln!(out, "{t}")?;
            let conflicts: Vec<_> = c.conflicts.iter().filter(|d| g.owns(d)).collect();
            for d in conflicts {
                writeln!(out, "  {} ×{:.2} [{}]", d.kind.as_str(), d.severity, d.id)?;
                writeln!(
                    out,
                    "    {} at {}:{}",
                    d.a_figure,
                    clip(&short_doc(&d.a_doc), 40),
                    d.a_line
                )?;
                writeln!(
                    out,
                    "    vs {} at {}:{}",
                    d.b_figure,
                    clip(&short_doc(&d.b_doc), 40),
                    d.b_line
                )?;
            }
            writeln!(out)?;
        }
        let n = c
            .conflicts
            .iter()
            .filter(|d| d.kind.as_str() == "contradiction")
            .count();
        writeln!(
            out,
            "{} claims · {} groups · {} contradictions · {} updates",
            data.claims.len(),
            c.groups.len(),
            n,
            c.conflicts.len() - n
        )
    }
}
