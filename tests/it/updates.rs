//! Cumulative metrics: a later, larger figure is an update; an earlier one above a later one,
//! or figures the dates cannot order, contradict. Parts never conflict with their whole.

use crate::support::Project;

fn article(date: &str, body: &str) -> String {
    format!("---\ntitle: t\ndate: {date}\nlang: it\n---\n{body}\n")
}

fn kinds(p: &Project) -> Vec<String> {
    let r = p.run(&["report", "--format", "json"]);
    r.ok();
    r.json()["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_string())
        .collect()
}

const UNREST: &str = "Proteste e scontri in Kazakistan, i manifestanti in piazza ad Almaty.";

#[test]
fn later_larger_cumulative_figure_is_an_update() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2022-01-06",
            &format!("{UNREST} Finora 40 i morti negli scontri."),
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-01-12",
            &format!("{UNREST} Il bilancio è salito a 225 morti."),
        ),
    );
    assert_eq!(kinds(&p), ["update"]);
}

#[test]
fn later_figure_below_earlier_lower_bound_contradicts() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2022-01-06",
            &format!("{UNREST} Almeno 225 i morti negli scontri."),
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-01-12",
            &format!("{UNREST} Il bilancio è di 40 morti."),
        ),
    );
    assert_eq!(kinds(&p), ["contradiction"]);
}

#[test]
fn figures_the_dates_cannot_order_contradict() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2022-01",
            &format!("{UNREST} Finora 40 i morti negli scontri."),
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-01-12",
            &format!("{UNREST} Il bilancio è salito a 225 morti."),
        ),
    );
    assert_eq!(kinds(&p), ["contradiction"]);
}

#[test]
fn a_city_figure_never_conflicts_with_the_country_total_it_fits_in() {
    let p = Project::new();
    p.write(
        "corpus/a.md",
        &article(
            "2022-01-10",
            &format!("{UNREST} In tutto il Kazakistan sono 225 i morti."),
        ),
    );
    p.write(
        "corpus/b.md",
        &article(
            "2022-01-10",
            &format!("{UNREST} Ad Almaty sono 100 i morti."),
        ),
    );
    assert!(kinds(&p).is_empty());
    // a part larger than its whole is a conflict
    p.write(
        "corpus/b.md",
        &article(
            "2022-01-10",
            &format!("{UNREST} Ad Almaty sono 400 i morti."),
        ),
    );
    assert_eq!(kinds(&p), ["contradiction"]);
}

#[test]
fn syndicated_copies_count_once() {
    let p = Project::new();
    let text = article(
        "2022-01-10",
        &format!("{UNREST} Sono 40 i morti negli scontri."),
    );
    p.write("corpus/a.md", &text);
    p.write("corpus/b.md", &text);
    p.write(
        "corpus/c.md",
        &article("2022-01-10", &format!("{UNREST} Sono almeno 164 i morti.")),
    );
    let r = p.run(&["report", "--format", "json"]);
    r.ok();
    let j = r.json();
    assert_eq!(j["conflicts"].as_array().unwrap().len(), 1, "{}", r.stdout);
}

#[test]
fn rates_are_never_compared_with_totals() {
    let p = Project::new();
    let exodus = "Mobilitazione in Russia: i riservisti fuggono, code al confine.";
    p.write("corpus/a.md", &article("2022-09-25", &format!("{exodus} Circa 10.000 persone al giorno attraversano il confine con il Kazakistan.")));
    p.write(
        "corpus/b.md",
        &article(
            "2022-09-28",
            &format!(
                "{exodus} Sono 98.000 i russi che hanno attraversato il confine con il Kazakistan."
            ),
        ),
    );
    let r = p.run(&["report", "--format", "json"]);
    r.ok();
    let j = r.json();
    assert!(
        j["conflicts"].as_array().unwrap().is_empty(),
        "{}",
        r.stdout
    );
    let rates: Vec<_> = j["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.get("rate"))
        .collect();
    assert_eq!(rates, [&serde_json::json!("day")]);
}
