//! The human rendering of a `check` result: what fails first, with file and line of both
//! sides, then what the baseline covers, then stale entries. Every format without a rendering
//! of its own falls back on it.

use std::io::{self, Write};

use crate::baseline::{Outcome, Status};

/// Writes the check result as plain text.
pub fn write(out: &mut dyn Write, o: &Outcome) -> io::Result<()> {
    for f in &o.findings {
        let d = &f.discrepancy;
        let head = match (f.fails, f.status) {
            (true, Status::Expired) => "EXPIRED",
            (true, _) => "NEW",
            (false, Status::Acknowledged) => "ok",
            (false, _) => "note",
        };
        writeln!(
            out,
            "{head} {} · {} · {} · ×{:.2}  [{}]",
            d.kind.as_str(),
            d.event.as_deref().unwrap_or("no event"),
            d.metric,
            d.severity,
            d.id
        )?;
        let mark = |changed: bool| {
            if changed && o.since.is_some() {
                " (changed)"
            } else {
                ""
            }
        };
        writeln!(
            out,
            "  {}:{}  {}{}",
            d.a_doc,
            d.a_line,
            d.a_figure,
            mark(f.changed[0])
        )?;
        writeln!(
            out,
            "  {}:{}  {}{}",
            d.b_doc,
            d.b_line,
            d.b_figure,
            mark(f.changed[1])
        )?;
        match (&f.ack, f.status) {
            (Some(a), Status::Expired) => writeln!(
                out,
                "  acknowledgement expired on {}: {} ({})",
                a.entry.expires.map(|e| e.to_string()).unwrap_or_default(),
                a.entry.reason,
                a.entry.acknowledged_by
            )?,
            (Some(a), _) => writeln!(
                out,
                "  acknowledged: {} ({})",
                a.entry.reason, a.entry.acknowledged_by
            )?,
            (None, _) if !f.fails => writeln!(
                out,
                "  not failing: an update fails only with --fail-on update"
            )?,
            _ => {}
        }
    }
    for s in &o.stale {
        writeln!(
            out,
            "warning: {}:{}: baseline entry {} matches no conflict any more (stale); `claimcheck baseline` drops it",
            o.baseline, s.line, s.entry.id
        )?;
    }
    if !o.findings.is_empty() || !o.stale.is_empty() {
        writeln!(out)?;
    }
    summary(out, o)
}

/// The one-line verdict: how many conflicts fail, are acknowledged, expired, stale.
pub fn summary(out: &mut dyn Write, o: &Outcome) -> io::Result<()> {
    let n = o.failures();
    let verdict = if o.passed {
        "check passed"
    } else {
        "check FAILED"
    };
    write!(
        out,
        "{verdict}: {n} new conflict{} · {} acknowledged · {} expired · {} stale baseline entr{}",
        if n == 1 { "" } else { "s" },
        o.count(Status::Acknowledged),
        o.count(Status::Expired),
        o.stale.len(),
        if o.stale.len() == 1 { "y" } else { "ies" }
    )?;
    if let Some(rev) = &o.since {
        write!(out, " · {} unchanged since {rev}", o.unchanged)?;
    }
    writeln!(out)
}
