//! Store sync on a grown corpus: 10,000 generated articles the size of the seed articles
//! (2 to 4 KB, two or three claims each) in a temporary folder, synced into
//! an empty store, then synced again with nothing changed. The second sync must take under a
//! tenth of the first (issue 5). Also times extraction without the store, for the overhead.
//!
//! `cargo bench --bench sync [-- ARTICLES]`

use std::path::Path;
use std::time::{Duration, Instant};

use claimcheck::rule::RuleSet;
use claimcheck::store::Store;

/// Background sentences without claims, so that articles have the length of the seed
/// corpus's (2 to 4 KB) and not only their figures.
const IT_FILLER: &[&str] = &[
    "Le autorità locali hanno chiesto alla popolazione di restare in casa e di seguire le indicazioni ufficiali.",
    "La situazione resta tesa nel centro della città, dove i negozi sono rimasti chiusi per tutta la giornata.",
    "Il governo ha convocato una riunione straordinaria per discutere delle misure da adottare nelle prossime settimane.",
    "Secondo gli analisti, la crisi potrebbe avere conseguenze durature sull'economia della regione e sui rapporti con i paesi vicini.",
    "Le comunicazioni sono state interrotte a lungo e le informazioni arrivano in modo frammentario.",
    "Molti cittadini hanno raccontato di aver passato la notte senza elettricità, in attesa di notizie.",
    "Nel 2019 il paese aveva già vissuto giorni di proteste, ma di intensità molto minore.",
];
const EN_FILLER: &[&str] = &[
    "Local authorities asked residents to stay indoors and follow official guidance while the situation develops.",
    "Shops in the city centre stayed closed for most of the day, and public transport ran a reduced service.",
    "The government called an emergency meeting to discuss the measures to be taken over the coming weeks.",
    "Analysts say the crisis could have lasting consequences for the regional economy and for relations with neighbours.",
    "Communications were cut for long periods, and information has been arriving in fragments.",
    "Many residents described spending the night without electricity, waiting for news from relatives.",
    "In 2019 the country had already seen days of protest, though on a much smaller scale.",
];

/// Paragraphs of background, varied by `i`.
fn filler(i: usize, sentences: &[&str]) -> String {
    let mut out = String::new();
    for p in 0..4 {
        for k in 0..5 {
            out.push_str(sentences[(i + p * 3 + k * 5) % sentences.len()]);
            out.push(' ');
        }
        out.push_str("\n\n");
    }
    out
}

/// An article the size of a seed article; `i` varies the figures, language, date and outlet.
fn article(i: usize) -> String {
    let day = 2 + i % 9;
    if i.is_multiple_of(2) {
        format!(
            "---\ntitle: Scontri {i}\noutlet: Agenzia {}\ndate: 2022-01-{day:02}\nlang: it\n---\n\
             Almeno {} persone sono morte negli scontri di ieri ad Almaty, secondo il ministero dell'Interno. \
             La polizia ha arrestato {} manifestanti durante la notte.\n\n{}\
             Le proteste in Kazakistan sono iniziate per il prezzo del gas. Circa {} feriti sono stati \
             portati in ospedale, mentre le autorità hanno imposto il coprifuoco in tutta la regione.\n",
            i % 17,
            10 + i % 50,
            100 + i,
            filler(i, IT_FILLER),
            50 + i % 300
        )
    } else {
        format!(
            "---\ntitle: Russians flee {i}\noutlet: Wire {}\ndate: 2022-09-{:02}\nlang: en\n---\n\
             More than {} Russians have crossed the border into Kazakhstan since the mobilisation of \
             reservists was announced, officials said. Putin wants 300,000 reservists.\n\n{}\
             Queues of cars stretched for kilometres at the crossing, and some people walked.\n",
            i % 13,
            20 + day,
            1000 * (10 + i % 90),
            filler(i, EN_FILLER)
        )
    }
}

fn generate(dir: &Path, n: usize) {
    for i in 0..n {
        let sub = dir.join(format!("{:03}", i % 100));
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join(format!("{i:05}.md")), article(i)).expect("write");
    }
}

fn walk_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("read_dir")
        .map(|e| {
            let e = e.expect("entry");
            let m = e.metadata().expect("metadata");
            if m.is_dir() {
                walk_size(&e.path())
            } else {
                m.len()
            }
        })
        .sum()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

#[allow(clippy::print_stdout)]
fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let rules =
        RuleSet::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("claims")).expect("rules");
    let tmp = tempfile::tempdir().expect("tempdir");
    let corpus = tmp.path().join("corpus");
    generate(&corpus, n);
    let paths = [corpus];

    let t = Instant::now();
    let plain = claimcheck::engine::run(&paths, &rules);
    let without = t.elapsed();

    let mut store = Store::open(&tmp.path().join("store.db")).expect("store");
    let t = Instant::now();
    let first = store.sync(&paths, &rules).expect("first sync");
    let first_time = t.elapsed();
    let t = Instant::now();
    let second = store.sync(&paths, &rules).expect("second sync");
    let second_time = t.elapsed();

    assert_eq!(
        first.extraction.claims, plain.claims,
        "the store changes nothing"
    );
    assert_eq!(
        second.extraction.claims, plain.claims,
        "the store changes nothing"
    );
    assert_eq!(second.stats.unchanged, n);
    let ratio = secs(second_time) / secs(first_time);
    let bytes: u64 = walk_size(&paths[0]);
    println!(
        "sync: {n} articles ({} KB on average), {} claims, {} threads",
        bytes / n as u64 / 1024,
        plain.claims.len(),
        rayon::current_num_threads()
    );
    println!("  extraction without the store  {:8.3} s", secs(without));
    println!(
        "  first sync (empty store)      {:8.3} s  ({:.2}x extraction)",
        secs(first_time),
        secs(first_time) / secs(without)
    );
    println!(
        "  second sync (nothing changed) {:8.3} s",
        secs(second_time)
    );
    println!("  second / first                {ratio:8.3}  (must be under 0.1)");
    if ratio >= 0.1 {
        println!("  FAIL: the second sync is not under a tenth of the first");
        std::process::exit(1);
    }
}
