//! Reads a run of digits with separators by the rules of a language's press.
//!
//! - Spaces and apostrophes only ever group thousands (`10 000`, `1'002`).
//! - When both `.` and `,` occur, the last one is the decimal mark (`12.500,5`, `12,500.5`).
//! - A separator that occurs more than once groups thousands (`1.000.000`).
//! - A single separator is the decimal mark when it is the language's decimal separator, so
//!   `2,5` is 2.5 in Italian and `2,500` is 2.5 there too, while `2,500` is 2500 in English.
//!   Otherwise it groups thousands when exactly three digits follow (`10.000` in Italian is
//!   10000, `1.500` is 1500) and is a decimal mark when they do not (`2.5` in Italian is 2.5).

/// Reads `raw` (digits and separators only). `None` when the grouping is impossible
/// (`1.2.3`), which the scanner then treats as something other than a number.
pub fn parse(raw: &str, decimal: char, groups: &[char]) -> Option<f64> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’'))
        .collect();
    let dots = cleaned.matches('.').count();
    let commas = cleaned.matches(',').count();
    let (int_part, frac_part): (String, Option<String>) = if dots > 0 && commas > 0 {
        let last = cleaned.rfind(['.', ',']).unwrap_or(0);
        let dec = cleaned[last..].chars().next().unwrap_or('.');
        let group = if dec == '.' { ',' } else { '.' };
        if cleaned[last + 1..].contains(group) {
            return None;
        }
        let int = &cleaned[..last];
        if cleaned.matches(dec).count() > 1 || !valid_groups(int, group) {
            return None;
        }
        (
            int.replace(group, ""),
            Some(cleaned[last + 1..].to_string()),
        )
    } else if dots + commas == 0 {
        (cleaned.clone(), None)
    } else {
        let sep = if dots > 0 { '.' } else { ',' };
        let n = dots + commas;
        if n > 1 {
            if !valid_groups(&cleaned, sep) {
                return None;
            }
            (cleaned.replace(sep, ""), None)
        } else {
            let (a, b) = cleaned.split_once(sep)?;
            // `0.683` has no thousands to group
            let grouping = sep != decimal
                && b.len() == 3
                && a.len() <= 3
                && a != "0"
                && (groups.contains(&sep) || groups.is_empty());
            if grouping {
                (format!("{a}{b}"), None)
            } else {
                (a.to_string(), Some(b.to_string()))
            }
        }
    };
    if int_part.is_empty() && frac_part.is_none() {
        return None;
    }
    let s = match frac_part {
        Some(f) => format!(
            "{}.{}",
            if int_part.is_empty() { "0" } else { &int_part },
            f
        ),
        None => int_part,
    };
    s.parse::<f64>().ok()
}

/// Every group after the first has exactly three digits and the first has one to three.
fn valid_groups(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let first = parts.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    parts.all(|p| p.len() == 3)
}

/// Writes `n` with a grouping separator every three digits (used by property tests and docs).
pub fn group(n: u64, sep: &str) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(raw: &str, dec: char, want: Option<f64>) {
        assert_eq!(
            parse(raw, dec, &['.', ',', ' ']),
            want,
            "{raw} with decimal {dec}"
        );
    }

    #[test]
    fn reads_by_language() {
        case("10.000", ',', Some(10000.0));
        case("300.000", ',', Some(300000.0));
        case("2,5", ',', Some(2.5));
        case("2,500", ',', Some(2.5));
        case("2,500", '.', Some(2500.0));
        case("1.500", '.', Some(1.5));
        case("1.500", ',', Some(1500.0));
        case("2.5", ',', Some(2.5));
        case("12.500,5", ',', Some(12500.5));
        case("12,500.5", '.', Some(12500.5));
        case("1.000.000", ',', Some(1e6));
        case("1,000,000", '.', Some(1e6));
        case("1'002", '.', Some(1002.0));
        case("10 000", ',', Some(10000.0));
        case("1.2.3", ',', None);
        case("4400", ',', Some(4400.0));
    }

    #[test]
    fn group_writes_separators() {
        assert_eq!(group(1234567, "."), "1.234.567");
        assert_eq!(group(999, "."), "999");
    }
}
