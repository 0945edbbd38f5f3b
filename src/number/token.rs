//! Splits text into word, digit-run and punctuation tokens with their byte offsets.
//!
//! Digit runs keep their separators (`10.000`, `12.500,5`, `10 000`); reading them is the job
//! of `digits`. Hyphens and apostrophes are tokens of their own, so `twenty-one` and `dell'ex`
//! come out as parts that the readers join back where it makes sense.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Digits,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
    /// Whether white space separates this token from the previous one.
    pub space_before: bool,
}

impl Token {
    pub fn text<'a>(&self, s: &'a str) -> &'a str {
        &s[self.start..self.end]
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}'
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // combining marks (accents written as separate code points)
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether a separator between digit groups is a space of some kind.
fn is_space_sep(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2009}'
}

/// Tokenises `s`; `space_groups` allows `10 000` to be one digit run.
pub fn tokenize(s: &str, space_groups: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    let mut space = true;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        let cl = c.len_utf8();
        if is_space(c) {
            space = true;
            i += cl;
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            i += 1;
            while i < s.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let mut group_len = i - start;
            // separators followed by digits extend the run
            while let Some(sep) = s[i..].chars().next() {
                let sl = sep.len_utf8();
                let after = i + sl;
                let ndig = b[after.min(b.len())..]
                    .iter()
                    .take_while(|d| d.is_ascii_digit())
                    .count();
                if ndig == 0 {
                    break;
                }
                let ok = match sep {
                    '.' | ',' => true,
                    '\'' | '’' => ndig == 3 && group_len <= 3,
                    c if is_space_sep(c) => space_groups && ndig == 3 && group_len <= 3,
                    _ => false,
                };
                if !ok {
                    break;
                }
                i = after + ndig;
                group_len = if is_space_sep(sep) || sep == '\'' || sep == '’' {
                    group_len.min(3)
                } else {
                    ndig
                };
            }
            kind = TokKind::Digits;
        } else if is_word_char(c) {
            i += cl;
            while let Some(d) = s[i..].chars().next() {
                if is_word_char(d) {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
            kind = TokKind::Word;
        } else {
            i += cl;
            kind = TokKind::Punct;
        }
        out.push(Token {
            start,
            end: i,
            kind,
            space_before: space,
        });
        space = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, sp: bool) -> Vec<&str> {
        tokenize(s, sp).iter().map(|t| t.text(s)).collect()
    }

    #[test]
    fn digit_runs_keep_grouping() {
        assert_eq!(
            texts("arrestato più di 10.000 persone.", false),
            ["arrestato", "più", "di", "10.000", "persone", "."]
        );
        assert_eq!(texts("12.500,5 e 1'002", false), ["12.500,5", "e", "1'002"]);
        assert_eq!(texts("10 000 morts", true), ["10 000", "morts"]);
        assert_eq!(texts("10 000 morts", false), ["10", "000", "morts"]);
        assert_eq!(
            texts("nel 2022 10 persone", true),
            ["nel", "2022", "10", "persone"]
        );
    }

    #[test]
    fn hyphens_and_glued_suffixes_split() {
        assert_eq!(
            texts("twenty-one 100mila 38enne", false),
            ["twenty", "-", "one", "100", "mila", "38", "enne"]
        );
        let t = tokenize("100mila", false);
        assert!(!t[1].space_before);
    }
}
