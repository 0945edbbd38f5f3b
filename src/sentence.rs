//! Sentence spans, as byte ranges of the original text.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes after it) when white space
//! and a capital letter, a digit or an opening quote follow; a blank line always ends one. A
//! period does not end a sentence inside a number (`10.000`), after an abbreviation the language
//! lists (`Dr.`), or after a single capital letter (initials, `J. R. R.`). A single line break
//! is white space, so a re-wrapped paragraph keeps its sentences.

use crate::lang::Language;

const CLOSERS: &[char] = &['»', '"', '”', '’', '\'', ')', ']', '“'];
const OPENERS: &[char] = &[
    '«', '"', '“', '„', '\'', '‘', '(', '[', '-', '–', '—', '¿', '¡',
];

/// Splits `text[from..to]` into trimmed sentence spans.
pub fn split(text: &str, from: usize, to: usize, lang: Option<&Language>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut chars = text[from..to]
        .char_indices()
        .map(|(i, c)| (i + from, c))
        .peekable();
    while let Some((i, c)) = chars.next() {
        let end_here = match c {
            '\n' => {
                // a blank line (only white space between two line breaks)
                let rest = &text[i + 1..to];
                let line_end = rest.find('\n');
                matches!(line_end, Some(k) if rest[..k].trim().is_empty())
            }
            '.' | '!' | '?' | '…' => {
                let mut j = i + c.len_utf8();
                while let Some(n) = text[j..to].chars().next() {
                    if CLOSERS.contains(&n) || n == '.' || n == '!' || n == '?' {
                        j += n.len_utf8();
                    } else {
                        break;
                    }
                }
                let after = &text[j..to];
                let ws = after.chars().next().is_some_and(char::is_whitespace);
                let next = after.trim_start().chars().next();
                let starts_new = next.is_some_and(|n| {
                    n.is_uppercase() || n.is_ascii_digit() || OPENERS.contains(&n)
                });
                let keep = c == '.'
                    && (is_abbreviation(text, start, i, lang)
                        || is_day_of_month(text, start, i, after, lang));
                if ws && starts_new && !keep {
                    // skip what was consumed
                    while chars.peek().is_some_and(|(k, _)| *k < j) {
                        chars.next();
                    }
                    push(text, &mut out, start, j);
                    start = j;
                }
                false
            }
            _ => false,
        };
        if end_here {
            push(text, &mut out, start, i);
            start = i + 1;
        }
    }
    push(text, &mut out, start, to);
    out
}

fn push(text: &str, out: &mut Vec<(usize, usize)>, a: usize, b: usize) {
    let s = &text[a..b];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push((a + lead, b - trail));
    }
}

/// Whether the period at `dot` closes a day of the month (`am 5. Januar`): one or two digits
/// before it, a month name of the language after it.
fn is_day_of_month(
    text: &str,
    from: usize,
    dot: usize,
    after: &str,
    lang: Option<&Language>,
) -> bool {
    let Some(lang) = lang else {
        return false;
    };
    let before = &text[from..dot];
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let lead = before[..before.len() - digits].chars().next_back();
    if !(1..=2).contains(&digits) || lead.is_some_and(char::is_alphanumeric) {
        return false;
    }
    let word: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    lang.months.contains_key(&word.to_lowercase())
}

/// Whether the period at `dot` follows an abbreviation or an initial.
fn is_abbreviation(text: &str, from: usize, dot: usize, lang: Option<&Language>) -> bool {
    let before = &text[from..dot];
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.is_empty() {
        return false;
    }
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    lang.is_some_and(|l| l.abbreviations.contains(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        split(t, 0, t.len(), None)
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect()
    }

    #[test]
    fn keeps_numbers_and_initials_whole() {
        assert_eq!(
            sents("Arrestate 10.000 persone. J. R. Smith ha detto 300.000. Fine"),
            [
                "Arrestate 10.000 persone.",
                "J. R. Smith ha detto 300.000.",
                "Fine"
            ]
        );
    }

    #[test]
    fn a_day_before_a_month_does_not_end_the_sentence() {
        let langs = crate::lang::Languages::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("claims/lang"),
        )
        .expect("language files");
        let de = langs.get("de");
        let t = "Am 5. Januar wurden 12 Menschen getötet. Am 6. Tag kam Hilfe.";
        let got: Vec<&str> = split(t, 0, t.len(), de)
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect();
        assert_eq!(
            got,
            [
                "Am 5. Januar wurden 12 Menschen getötet.",
                "Am 6.",
                "Tag kam Hilfe."
            ]
        );
    }

    #[test]
    fn quotes_close_the_sentence() {
        assert_eq!(
            sents("Ha detto «è una rivoluzione». Sul fronte, nulla."),
            ["Ha detto «è una rivoluzione».", "Sul fronte, nulla."]
        );
    }

    #[test]
    fn blank_lines_split_single_breaks_do_not() {
        assert_eq!(
            sents("Titolo\n\nUna frase\nche continua. Altra"),
            ["Titolo", "Una frase\nche continua.", "Altra"]
        );
    }
}
