//! The YAML form of rule files, parsed by serde with unknown keys refused.
//!
//! Every `*.yaml` under the rules folder (but `lang/`, which holds number data, and
//! `baseline.yaml`) is a rule file; each may hold any of the sections below, so a new metric
//! and its words in every language can live in one file or be spread over several.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::number::Qualifier;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// What is counted: deaths, arrests, ...
    #[serde(default)]
    pub metrics: Vec<MetricSpec>,
    /// Who is counted when a figure covers only part of everyone (security forces, children).
    #[serde(default)]
    pub subjects: Vec<SubjectSpec>,
    /// Stories that claims belong to; claims of different events are never compared.
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// A gazetteer of places with their names in each language.
    #[serde(default)]
    pub places: Vec<PlaceSpec>,
    /// The words that make numbers claims, one entry per language.
    #[serde(default)]
    pub languages: Vec<LangRulesSpec>,
    /// Factual claims: an attribute whose value is an entity (capital, head of state).
    #[serde(default)]
    pub facts: Vec<FactSpec>,
    /// Named word lists for fact patterns, by language, used as `{name}`.
    #[serde(default)]
    pub fact_lexicons: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Canonical entities with their aliases (for factual claims).
    #[serde(default)]
    pub entities: Vec<EntitySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactSpec {
    /// Unique attribute id, the claim's `metric` (`capital`).
    pub id: String,
    /// What the attribute is, for people reading the report.
    #[serde(default)]
    pub description: String,
    /// What a claim is about: `country` (named in the sentence, or the country its value lies
    /// in) or `event` (the article's event).
    pub about: String,
    /// The type of the value: `place`, `person`, `organisation` or `text`.
    pub value: String,
    /// How long a value may be expected to hold, in days: claims dated further apart are not
    /// compared (the value may have changed). Absent: always compared.
    #[serde(default)]
    pub horizon_days: Option<u32>,
    /// Patterns by language; `{value}` captures the value, `{subject}` names what the claim is
    /// about, `{name}` inserts a lexicon of `fact_lexicons`.
    pub patterns: BTreeMap<String, Vec<String>>,
    /// Words that, right before a match, veto it (`ex`, `former`), by language.
    #[serde(default)]
    pub exclude_before: BTreeMap<String, Vec<String>>,
    /// Words that, right after a match, veto it (`economica` after `capitale`), by language.
    #[serde(default)]
    pub exclude_after: BTreeMap<String, Vec<String>>,
    /// Sentences that must, or must not, yield a claim of this attribute.
    #[serde(default)]
    pub examples: Vec<FactExampleSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactExampleSpec {
    /// The language of the sentence.
    pub lang: String,
    /// The sentence.
    pub text: String,
    /// `none`, or the claim the sentence must yield.
    pub expect: FactExpectSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum FactExpectSpec {
    Nothing(NoneWord),
    Claim(FactExpect),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactExpect {
    /// The canonical entity the value must resolve to.
    pub entity: String,
    /// What the claim is about (a country id, or an event id); absent = not checked.
    #[serde(default)]
    pub subject: Option<String>,
    /// The value as written; absent = not checked.
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntitySpec {
    /// Canonical name (`Astana`, `Kassym-Jomart Tokayev`).
    pub id: String,
    /// `place`, `person` or `organisation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// For places: `country`, `city` or `region`.
    #[serde(default)]
    pub class: Option<String>,
    /// The entity this one lies in or belongs to (a city's country).
    #[serde(default)]
    pub part_of: Option<String>,
    /// Names by language (`all` for every language); a name may carry the period in which it
    /// was in use: `{name: Nur-Sultan, from: 2019-03, to: 2022-09}`.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<AliasSpec>>,
    /// Adjectives that name the entity as what a claim is about (`kazako`, `Kazakh`), by
    /// language.
    #[serde(default)]
    pub adjectives: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AliasSpec {
    Name(String),
    Dated(DatedAlias),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedAlias {
    pub name: String,
    /// First month in use (`YYYY-MM`, `YYYY` or `YYYY-MM-DD`).
    #[serde(default)]
    pub from: Option<DateSpec>,
    /// Last month in use.
    #[serde(default)]
    pub to: Option<DateSpec>,
}

/// A date as YAML reads it: a bare year is a number, anything else a string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum DateSpec {
    Year(u32),
    Text(String),
}

impl std::fmt::Display for DateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateSpec::Year(y) => write!(f, "{y}"),
            DateSpec::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    /// Unique id, used in claims and on the command line (`deaths`).
    pub id: String,
    /// What the metric counts, for people reading the report.
    #[serde(default)]
    pub description: String,
    /// What one unit of the count is (`people`, `vehicles`).
    #[serde(default = "people")]
    pub unit: String,
    /// Whether figures only grow as reporting goes on (deaths, arrests): a later, larger
    /// figure is then an update, not a contradiction.
    #[serde(default)]
    pub cumulative: bool,
    /// Subjects that may narrow this metric (ids from `subjects`).
    #[serde(default)]
    pub subjects: Vec<String>,
}

fn people() -> String {
    "people".to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectSpec {
    /// Unique id (`security_forces`).
    pub id: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// Unique id (`kz-unrest-2022-01`).
    pub id: String,
    /// A title for reports.
    #[serde(default)]
    pub title: String,
    /// The period in which articles about the event are expected; an article dated outside
    /// it is not assigned to the event.
    pub window: WindowSpec,
    /// The place a claim is about when its sentence names none of `places`.
    #[serde(default)]
    pub place: Option<String>,
    /// Places (ids from the gazetteer) a claim of this event may be narrowed to.
    #[serde(default)]
    pub places: Vec<String>,
    /// Words that show an article is about the event, per language (regex fragments).
    #[serde(default)]
    pub keywords: BTreeMap<String, Vec<String>>,
    /// How many keyword hits an article needs to be assigned to the event.
    #[serde(default = "one")]
    pub min_hits: usize,
}

fn one() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowSpec {
    /// First day (`YYYY-MM-DD`, or `YYYY-MM`).
    pub from: String,
    /// Last day (`YYYY-MM-DD`, or `YYYY-MM`).
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceSpec {
    /// Canonical name (`Kazakhstan`).
    pub id: String,
    /// `country`, `region` or `city`.
    #[serde(default)]
    pub kind: Option<String>,
    /// The place this one lies in (a city's country).
    #[serde(default)]
    pub part_of: Option<String>,
    /// Names by language; `all` holds names used in every language.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangRulesSpec {
    /// The language these words belong to (a file under `lang/` must exist for it).
    pub lang: String,
    /// Named word lists, used inside patterns as `{name}` so they are not repeated.
    #[serde(default)]
    pub lexicons: BTreeMap<String, Vec<String>>,
    /// Phrases that introduce who states a figure.
    #[serde(default)]
    pub sources: SourcesSpec,
    /// Phrases that present a figure as uncertain (conditional, `could be`, `reportedly`).
    #[serde(default)]
    pub hedges: Vec<String>,
    /// Words that void a trigger right after them, at most one word between (`senza`
    /// vittime, `no` deaths, `keine` Toten): the sentence says nobody was counted.
    #[serde(default)]
    pub negations: Vec<String>,
    /// Phrases that open a sentence and refer to the figure of the sentence before (`Among
    /// them`, `Tra questi`, `Среди них`): a figure there with no trigger of its own takes the
    /// metric of the previous sentence's last claim.
    #[serde(default)]
    pub carry: Vec<String>,
    /// Phrases right after a figure that make it a part of the figure before it in the
    /// sentence (`47 people, 12 of them minors`, `tre dei quali`, `13 von ihnen`): with no
    /// trigger of its own, it takes that figure's metric.
    #[serde(default)]
    pub part_of_previous: Vec<String>,
    /// Words that join the figures of a list (`e`, `and`, `und`); with them, a figure may share
    /// the trigger of a later one only across a comma, a semicolon or one of these words
    /// (`58 civili e 22 poliziotti feriti`, not `mit 5.000 Teilnehmern wurden drei verletzt`).
    /// Without them, any figure may.
    #[serde(default)]
    pub joiners: Vec<String>,
    /// Phrases that make a figure a rate when they open its clause, by unit of time
    /// (`day: [ogni giorno, every day, täglich]`): `Every day, 10,000 people cross`.
    #[serde(default)]
    pub rates_before: BTreeMap<String, Vec<String>>,
    /// Phrases that make a figure a rate, by unit of time (`day: [al giorno]`).
    #[serde(default)]
    pub rates: BTreeMap<String, Vec<String>>,
    /// Words right after a number that make it a count of something else than people
    /// (`paesi`, `auto`, `volte`), for every metric whose unit is `people`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Patterns that narrow a figure to a subject, by subject id.
    #[serde(default)]
    pub subjects: BTreeMap<String, Vec<String>>,
    /// The words of each metric in this language, by metric id.
    #[serde(default)]
    pub metrics: BTreeMap<String, MetricWordsSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesSpec {
    /// Cues followed by the source: `secondo`, `according to`.
    #[serde(default)]
    pub follows: Vec<String>,
    /// Cues preceded by the source: `ha dichiarato`, `said`.
    #[serde(default)]
    pub precedes: Vec<String>,
    /// Words that end a source phrase (`e`, `che`, `and`, `that`): the source of
    /// `... feriti e la polizia ha riferito` is `la polizia`.
    #[serde(default)]
    pub breaks: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricWordsSpec {
    /// Patterns that make a nearby number a claim of this metric.
    pub triggers: Vec<TriggerSpec>,
    /// How many words may stand between the number and a trigger (default 6).
    #[serde(default)]
    pub window: Option<usize>,
    /// When triggers of several metrics fit one number, the highest priority wins (default
    /// 0); e.g. `troops` at -1 yields to `deaths` in `3 soldati uccisi`.
    #[serde(default)]
    pub priority: i32,
    /// Words right after the number that veto this metric.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Direction words (`entered: [...]`, `left: [...]`), for movements across a border.
    #[serde(default)]
    pub directions: BTreeMap<String, Vec<String>>,
    /// Sentences that must, or must not, yield a claim of this metric.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// A trigger: a bare pattern (either side of the number) or a pattern with a side and window.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TriggerSpec {
    Pattern(String),
    Full(TriggerFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerFull {
    pub pattern: String,
    /// `before` (the trigger precedes the number), `after`, or `any` (default).
    #[serde(default, rename = "where")]
    pub side: Side,
    /// Overrides the metric's window for this trigger.
    #[serde(default)]
    pub window: Option<usize>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Before,
    After,
    #[default]
    Any,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// The sentence.
    pub text: String,
    /// `none`, or the claim the sentence must yield.
    pub expect: ExpectSpec,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ExpectSpec {
    Nothing(NoneWord),
    Claim(ExpectClaim),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoneWord {
    None,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExpectClaim {
    /// Defaults to the metric the example belongs to.
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub lo: Option<f64>,
    #[serde(default)]
    pub hi: Option<f64>,
    #[serde(default)]
    pub qualifier: Option<Qualifier>,
    /// Absent = everyone.
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub rate: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
}
