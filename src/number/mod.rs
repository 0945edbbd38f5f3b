//! Number expressions: finding them in a sentence and reading each as an interval.
//!
//! `token` splits text into words, digit runs and punctuation with byte offsets; `digits` reads
//! digit runs by the language's separators; `words` reads number words, compounds included;
//! `scan` puts these together with qualifiers, ranges, magnitudes and the context that makes a
//! number a year, an age or a percentage rather than a count.

pub mod digits;
pub mod scan;
pub mod token;
pub mod words;
pub mod write;

use serde::{Deserialize, Serialize};

pub use scan::scan;

/// How the words around a figure bound it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    About,
    Nearly,
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    Range,
    Vague,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::About => "about",
            Qualifier::Nearly => "nearly",
            Qualifier::AtLeast => "at_least",
            Qualifier::MoreThan => "more_than",
            Qualifier::AtMost => "at_most",
            Qualifier::LessThan => "less_than",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }

    /// Whether the interval has no upper bound by nature of the words.
    pub fn lower_bound_only(self) -> bool {
        matches!(self, Qualifier::AtLeast | Qualifier::MoreThan)
    }

    pub fn upper_bound_only(self) -> bool {
        matches!(self, Qualifier::AtMost | Qualifier::LessThan)
    }
}

impl std::fmt::Display for Qualifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a number is, beyond its value. Only `count` numbers can become count claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Count,
    Year,
    Date,
    Time,
    Age,
    Duration,
    Percent,
    Money,
    Measure,
    Ordinal,
    /// A proper fraction in digits (`1/4`).
    Fraction,
    Name,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Year => "year",
            Kind::Date => "date",
            Kind::Time => "time",
            Kind::Age => "age",
            Kind::Duration => "duration",
            Kind::Percent => "percent",
            Kind::Money => "money",
            Kind::Measure => "measure",
            Kind::Ordinal => "ordinal",
            Kind::Fraction => "fraction",
            Kind::Name => "name",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Relative half-width of an `about` figure: `circa 100` is 90..110.
pub const ABOUT_SPREAD: f64 = 0.10;
/// How far below its figure a `nearly` figure may be: `quasi 100` is 90..100.
pub const NEARLY_SPREAD: f64 = 0.10;

/// A number expression found in text, with its reading as an interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberExpr {
    /// Byte offset of the expression (qualifier included) in the scanned text.
    pub start: usize,
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// The central figure, when the words give one.
    #[serde(serialize_with = "ser_num")]
    pub value: Option<f64>,
    #[serde(serialize_with = "ser_num")]
    pub lo: Option<f64>,
    #[serde(serialize_with = "ser_num")]
    pub hi: Option<f64>,
    pub qualifier: Qualifier,
    pub kind: Kind,
    /// Byte span of the figure itself, without qualifier words.
    #[serde(skip)]
    pub core: (usize, usize),
    /// Byte span of the figure with the unit that gave its kind (`$10`, `20 dollars`).
    #[serde(skip)]
    pub outer: (usize, usize),
}

/// Serialises a figure as an integer when it is one, so `4400` is not printed as `4400.0`.
pub fn ser_num<S: serde::Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(*x as i64),
        Some(x) => s.serialize_f64(*x),
    }
}

/// The interval a qualifier gives a single figure.
pub fn interval(q: Qualifier, v: f64) -> (Option<f64>, Option<f64>) {
    match q {
        Qualifier::Exact | Qualifier::Range | Qualifier::Vague => (Some(v), Some(v)),
        Qualifier::About => (
            Some(v * (1.0 - ABOUT_SPREAD)),
            Some(v * (1.0 + ABOUT_SPREAD)),
        ),
        Qualifier::Nearly => (Some(v * (1.0 - NEARLY_SPREAD)), Some(v)),
        Qualifier::AtLeast | Qualifier::MoreThan => (Some(v), None),
        Qualifier::AtMost | Qualifier::LessThan => (None, Some(v)),
    }
}

/// Formats a figure for people: `10000` as `10,000`, `2.5` as `2.5`.
pub fn human(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = (v.abs() as i64).to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if v < 0.0 {
            format!("-{out}")
        } else {
            out
        }
    } else {
        format!("{v}")
    }
}
