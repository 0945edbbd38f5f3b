//! Throughput of the number normaliser alone: every number expression of a large text (the
//! bundled corpus repeated to about 20 MB, each article read with its own language), next to
//! the same text scanned by a plain `\d+` regex in the same run.
//!
//! `cargo bench --bench throughput`; `THROUGHPUT_MB=5` for a shorter run.

// a benchmark reports on standard output
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use claimcheck::lang::Languages;
use claimcheck::number::scan::scan_text;
use regex::Regex;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let langs = Languages::load(&root.join("claims/lang")).expect("language files");
    let mut articles: Vec<(String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for p in files {
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue;
        };
        let code = langs
            .detect(&text)
            .map_or("en", |l| l.code.as_str())
            .to_string();
        articles.push((code, text));
    }
    assert!(!articles.is_empty(), "no articles in corpus/");
    let target = std::env::var("THROUGHPUT_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(20)
        << 20;
    // each language's articles joined into one large text
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut total = 0;
    'fill: loop {
        for (code, a) in &articles {
            let i = match texts.iter().position(|(c, _)| c == code) {
                Some(i) => i,
                None => {
                    texts.push((code.clone(), String::new()));
                    texts.len() - 1
                }
            };
            texts[i].1.push_str(a);
            texts[i].1.push('\n');
            total += a.len() + 1;
            if total >= target {
                break 'fill;
            }
        }
    }
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mb = bytes as f64 / (1 << 20) as f64;

    let t0 = Instant::now();
    let mut found = 0;
    for (code, text) in &texts {
        let lang = langs.get(code).expect("language");
        found += black_box(scan_text(text, lang)).len();
    }
    let normaliser = t0.elapsed().as_secs_f64();

    let digits = Regex::new(r"\d+").expect("regex");
    let t1 = Instant::now();
    let mut runs = 0;
    for (_, text) in &texts {
        runs += black_box(digits.find_iter(text).count());
    }
    let regex = t1.elapsed().as_secs_f64();

    println!(
        "text: {mb:.1} MB, language(s): {}",
        texts
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "normaliser: {:>8.1} MB/s  ({found} number expressions, {normaliser:.2} s)",
        mb / normaliser
    );
    println!(
        "regex \\d+:  {:>8.1} MB/s  ({runs} digit runs, {regex:.3} s)",
        mb / regex
    );
    println!(
        "ratio: the normaliser runs at 1/{:.0} of the regex's speed",
        normaliser / regex
    );
}
