//! JSON output: one object for `report`, JSON lines for claim lists.

use std::io::{self, Write};

use super::{Report, ReportData};
use crate::claim::Claim;

pub struct Json {
    /// One JSON object per line (claims only).
    pub lines: bool,
}

impl Report for Json {
    fn claims(&self, out: &mut dyn Write, claims: &[Claim]) -> io::Result<()> {
        if self.lines {
            for c in claims {
                serde_json::to_writer(&mut *out, c)?;
                out.write_all(b"\n")?;
            }
        } else {
            serde_json::to_writer_pretty(&mut *out, claims)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn discrepancies(&self, out: &mut dyn Write, data: &ReportData<'_>) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, data)?;
        out.write_all(b"\n")
    }

    fn check(&self, out: &mut dyn Write, outcome: &crate::baseline::Outcome) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, outcome)?;
        out.write_all(b"\n")
    }
}
