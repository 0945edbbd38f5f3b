//! End-to-end extraction throughput against the cost of scanning the bytes, measured in the
//! same run: `cargo bench --bench extract`.
//!
//! The corpus is the bundled seed articles repeated (each copy made unique by a line of its
//! own, so none is skipped as a syndicated copy) to about 16 MB. Baselines: reading the
//! files, and reading them plus a plain `\d+` regex scan. Then claimcheck's load + extract on
//! one thread and on every core.

#![allow(clippy::print_stdout)] // a benchmark script reports on standard output

use std::path::PathBuf;
use std::time::Instant;

use claimcheck::rule::RuleSet;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let rules = RuleSet::load(&root.join("claims")).expect("rules");
    let dir = tempfile::tempdir().expect("tempdir");
    let seeds: Vec<(String, String)> = std::fs::read_dir(root.join("corpus"))
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect();
    let mut bytes = 0usize;
    let mut n = 0usize;
    while bytes < 16 << 20 {
        for (name, text) in &seeds {
            let t = format!("{text}\n\nCopia {n}.\n");
            bytes += t.len();
            std::fs::write(dir.path().join(format!("{n:06}_{name}")), t).expect("write");
            n += 1;
        }
    }
    let paths = vec![dir.path().to_path_buf()];
    let mb = bytes as f64 / (1 << 20) as f64;
    println!("corpus: {n} articles, {mb:.1} MB");

    let files = claimcheck::document::collect_paths(&paths).expect("paths");
    let t = Instant::now();
    let mut total = 0usize;
    for f in &files {
        total += std::fs::read(f).expect("read").len();
    }
    let read = t.elapsed().as_secs_f64();
    assert_eq!(total, bytes);

    let digits = regex::Regex::new(r"\d+").expect("regex");
    let t = Instant::now();
    let mut found = 0usize;
    for f in &files {
        found += digits
            .find_iter(&std::fs::read_to_string(f).expect("read"))
            .count();
    }
    let scan = t.elapsed().as_secs_f64();

    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let t = Instant::now();
    let single = one.install(|| claimcheck::engine::run(&paths, &rules));
    let single_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let all = claimcheck::engine::run(&paths, &rules);
    let all_s = t.elapsed().as_secs_f64();
    assert_eq!(single.claims.len(), all.claims.len());

    let cores = rayon::current_num_threads();
    println!("read files            {:8.1} MB/s  (baseline)", mb / read);
    println!(
        "read + regex \\d+      {:8.1} MB/s  ({found} digit runs)",
        mb / scan
    );
    println!(
        "extract, 1 thread     {:8.1} MB/s  {:6.1}x the regex scan's time",
        mb / single_s,
        single_s / scan
    );
    println!("extract, {cores} threads     {:8.1} MB/s  {:6.1}x the regex scan's time, {:.2}x faster than 1 thread", mb / all_s, all_s / scan, single_s / all_s);
    println!("{} claims", all.claims.len());
}
