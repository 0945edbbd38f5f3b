//! Command-line behaviour: exit codes, bad input, formats.

use crate::support::{run_in_repo, Project};

#[test]
fn bad_article_is_reported_with_file_and_line_and_others_still_processed() {
    let p = Project::with_seeds();
    p.write(
        "corpus/zz_bad.md",
        "---\ntitle: broken\ndate: [unclosed\n---\nText.\n",
    );
    let r = p.run(&["extract", "--format", "jsonl"]);
    r.code(2);
    assert!(r.stderr.contains("zz_bad.md:"), "{}", r.stderr);
    assert!(r.stderr.contains("front matter"), "{}", r.stderr);
    // the five good articles still yield their claims
    assert!(r.jsonl().len() >= 10, "{}", r.stdout);
}

#[test]
fn invalid_utf8_names_file_and_line() {
    let p = Project::new();
    let mut bytes = b"Prima riga.\nSeconda riga con 40 morti \xff.\n".to_vec();
    bytes.extend_from_slice(b"fine\n");
    std::fs::write(p.path().join("corpus/a.txt"), bytes).unwrap();
    let r = p.run(&["extract"]);
    r.code(2);
    assert!(r.stderr.contains("a.txt:2:"), "{}", r.stderr);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
}

#[test]
fn unknown_format_is_a_usage_error() {
    let r = run_in_repo(&["report", "--format", "pdf"]);
    r.code(2);
    assert!(r.stderr.contains("unknown format `pdf`"), "{}", r.stderr);
}

#[test]
fn numbers_reads_stdin_line_by_line() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_claimcheck"))
        .args(["numbers", "--lang", "it", "-"])
        .current_dir(crate::support::repo())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .unwrap()
                .write_all("quasi 100mila\ntra 20 e 30\n".as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["numbers"][0]["qualifier"], "nearly");
    assert_eq!(lines[0]["numbers"][0]["hi"], 100000);
    assert_eq!(lines[1]["numbers"][0]["lo"], 20);
    assert_eq!(lines[1]["numbers"][0]["hi"], 30);
}

#[test]
fn report_table_fits_80_columns() {
    let r = run_in_repo(&["report"]);
    r.ok();
    for line in r.stdout.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    assert!(r.stdout.contains("CONFLICT"));
}
