//! The `claimcheck` binary: parse arguments, run, turn errors into messages and exit codes.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use claimcheck::cli::{run, Cli};
use claimcheck::error::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = stderr.lock();
    let result = run(cli, &mut out, &mut err);
    let flushed = out.flush();
    match result {
        Ok(code) => ExitCode::from(code as u8),
        // `claimcheck report | head` is not an error
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(_)
            if flushed
                .as_ref()
                .is_err_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = writeln!(err, "{}", message(&e));
            if let Some(h) = e.hint() {
                let _ = writeln!(err, "hint: {h}");
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn message(e: &Error) -> String {
    match e {
        Error::Invalid(_) => e.to_string(),
        other => format!("error: {other}"),
    }
}
