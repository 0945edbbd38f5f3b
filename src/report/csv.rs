//! CSV output: one row per discrepancy, or per claim.

use std::io::{self, Write};

use super::{Report, ReportData};
use crate::claim::Claim;
use crate::number::human;

pub struct Csv;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
    writeln!(out, "{}", line.join(","))
}

fn opt(v: Option<f64>) -> String {
    v.map(|x| human(x).replace(',', "")).unwrap_or_default()
}

impl Report for Csv {
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()> {
        row(out, &"id,doc,line,event,metric,subject,place,lo,hi,qualifier,text,attribution,hedged,date,rule".split(',').map(String::from).collect::<Vec<_>>())?;
        for c in claims {
            row(
                out,
                &[
                    c.id.clone(),
                    c.doc.clone(),
                    c.line.to_string(),
                    c.event.clone().unwrap_or_default(),
                    c.metric.clone(),
                    c.subject.clone().unwrap_or_default(),
                    c.place.clone().unwrap_or_default(),
                    opt(c.lo),
                    opt(c.hi),
                    c.qualifier.to_string(),
                    c.text.clone(),
                    c.attribution.clone().unwrap_or_default(),
                    c.hedged.to_string(),
                    c.date.clone().unwrap_or_default(),
                    c.rule.clone(),
                ],
            )?;
        }
        Ok(())
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        row(out, &"id,kind,event,metric,subject,place,severity,a_figure,a_doc,a_line,a_source,a_date,b_figure,b_doc,b_line,b_source,b_date".split(',').map(String::from).collect::<Vec<_>>())?;
        for d in &data.comparison.conflicts {
            row(
                out,
                &[
                    d.id.clone(),
                    d.kind.as_str().to_string(),
                    d.event.clone().unwrap_or_default(),
                    d.metric.clone(),
                    d.subject.clone().unwrap_or_default(),
                    d.place.clone().unwrap_or_default(),
                    format!("{:.2}", d.severity),
                    d.a_figure.clone(),
                    d.a_doc.clone(),
                    d.a_line.to_string(),
                    d.a_source.clone().unwrap_or_default(),
                    d.a_date.clone().unwrap_or_default(),
                    d.b_figure.clone(),
                    d.b_doc.clone(),
                    d.b_line.to_string(),
                    d.b_source.clone().unwrap_or_default(),
                    d.b_date.clone().unwrap_or_default(),
                ],
            )?;
        }
        Ok(())
    }
}
