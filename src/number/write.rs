//! Writes whole numbers in words from a language's own number data, the inverse of `words`.
//!
//! The writer knows no language: it decomposes a number greedily into the units, hundreds and
//! scales of the YAML file (`soixante-dix-sept` comes out as `soixante dix sept`, which the
//! reader folds the same way). It exists so the reader can be tested against every language file
//! with numbers it has never seen, and a new language file is tested the day it is added.

use std::collections::BTreeMap;

/// The words a language offers for writing numbers, one preferred word per value.
#[derive(Debug, Default, Clone)]
pub struct Speller {
    /// Units by value; a word that is not also an article is preferred (`null` over `keiner`).
    pub units: BTreeMap<u64, String>,
    /// Words for whole hundreds (`cento`, `doscientos`, `двести`), by value.
    pub hundreds: BTreeMap<u64, String>,
    /// The word for a thousand, as it follows a count (`mila`, `thousand`, `тысяч`).
    pub thousand: Option<String>,
    /// The word that joins a unit to its tens (`und`), for `units_before_tens` languages.
    pub connector: Option<String>,
    pub units_before_tens: bool,
    /// Whether the language glues a number into one word (`duecentocinquantamila`).
    pub compounds: bool,
}

impl Speller {
    /// `n` (below a million) in words, separated by `sep` (`" "`, or `""` for compounds);
    /// `None` when the language lacks a word it needs.
    pub fn write(&self, n: u64, sep: &str) -> Option<String> {
        if n >= 1_000_000 {
            return None;
        }
        if n == 0 {
            return self.units.get(&0).cloned();
        }
        let mut parts = Vec::new();
        let (th, rest) = (n / 1000, n % 1000);
        if th > 0 {
            if th > 1 {
                parts.push(self.group(th, sep)?);
            }
            parts.push(self.thousand.clone()?);
        }
        if rest > 0 {
            parts.push(self.group(rest, sep)?);
        }
        Some(parts.join(sep))
    }

    /// A group below a thousand.
    fn group(&self, n: u64, sep: &str) -> Option<String> {
        let mut parts = Vec::new();
        let (h, r) = (n / 100, n % 100);
        // a word for the whole hundreds (`doscientos`, `двести`, `cento`), else unit + hundred
        let whole = |v: u64| self.hundreds.get(&v).or_else(|| self.units.get(&v));
        if h > 0 {
            if let Some(w) = whole(h * 100) {
                parts.push(w.clone());
            } else {
                parts.push(self.units.get(&h)?.clone());
                parts.push(whole(100)?.clone());
            }
        }
        if r > 0 {
            parts.push(self.below_hundred(r, sep)?);
        }
        Some(parts.join(sep))
    }

    fn below_hundred(&self, n: u64, sep: &str) -> Option<String> {
        if let Some(w) = self.units.get(&n) {
            return Some(w.clone());
        }
        // the largest tens below n, then the rest: `soixante` + `dix sept`
        let (&tens, word) = self.units.range(10..n).rev().find(|(v, _)| *v % 10 == 0)?;
        let rest = self.below_hundred(n - tens, sep)?;
        match (&self.connector, self.units_before_tens && n - tens < 10) {
            (Some(c), true) => Some([rest, c.clone(), word.clone()].join(sep)),
            _ => Some(format!("{word}{sep}{rest}")),
        }
    }
}
