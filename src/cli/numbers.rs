//! `claimcheck numbers`: every number expression in a text, as JSON.

use std::io::{BufRead, Write};

use clap::Args;

use super::Context;
use crate::error::{Error, Result};
use crate::lang::Languages;
use crate::number::scan::scan_text;

#[derive(Debug, Args)]
pub struct NumbersArgs {
    /// Language code (default: detected from the text)
    #[arg(long)]
    pub lang: Option<String>,
    /// The text; `-` reads one text per line from standard input
    #[arg(required = true)]
    pub text: Vec<String>,
}

pub fn run(ctx: &Context, a: NumbersArgs, out: &mut dyn Write) -> Result<i32> {
    let dir = ctx.rules_dir.join("lang");
    let langs = Languages::load(&dir)?;
    let pick = |text: &str| -> Result<&crate::lang::Language> {
        match &a.lang {
            Some(code) => langs.get(code).ok_or_else(|| {
                Error::Usage(format!(
                    "no number data for `{code}` (have: {})",
                    langs.codes().join(", ")
                ))
            }),
            None => langs
                .detect(text)
                .or_else(|| langs.get("en"))
                .ok_or_else(|| Error::Usage("no language data loaded".into())),
        }
    };
    let io = |e| Error::io("<stdout>", e);
    if a.text.len() == 1 && a.text[0] == "-" {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            let line = line.map_err(|e| Error::io("<stdin>", e))?;
            let l = pick(&line)?;
            let nums = scan_text(&line, l);
            serde_json::to_writer(
                &mut *out,
                &serde_json::json!({"input": line, "numbers": nums}),
            )
            .map_err(|e| io(e.into()))?;
            out.write_all(b"\n").map_err(io)?;
        }
    } else {
        let text = a.text.join(" ");
        let l = pick(&text)?;
        let nums = scan_text(&text, l);
        serde_json::to_writer_pretty(&mut *out, &nums).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)?;
    }
    Ok(0)
}
