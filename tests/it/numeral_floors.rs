//! The accuracy each public numeral suite file must keep (`tests/it/numbers.rs` checks it when
//! `../shared/eval/numerals` is present). Raise a floor when the reader improves; never lower
//! one to make a change pass. Scored on the kinds cardinal, decimal and range.

pub const FLOORS: &[(&str, f64)] = &[
    ("duckling-de.jsonl", 1.00),
    ("duckling-en.jsonl", 0.952),
    ("duckling-es.jsonl", 0.957),
    ("duckling-fr.jsonl", 0.984),
    ("duckling-it.jsonl", 0.988),
    ("duckling-ru.jsonl", 0.957),
    ("nemo-de.jsonl", 1.00),
    ("nemo-en.jsonl", 1.00),
    ("nemo-es.jsonl", 0.990),
    ("nemo-fr.jsonl", 0.990),
    ("nemo-it.jsonl", 1.00),
    ("nemo-ru.jsonl", 1.00),
    ("num2words-de.jsonl", 1.00),
    ("num2words-en.jsonl", 1.00),
    ("num2words-es.jsonl", 1.00),
    ("num2words-fr.jsonl", 1.00),
    ("num2words-it.jsonl", 1.00),
    ("num2words-ru.jsonl", 1.00),
    ("recognizers-de.jsonl", 1.00),
    ("recognizers-en.jsonl", 0.971),
    ("recognizers-es.jsonl", 0.975),
    ("recognizers-fr.jsonl", 0.951),
    ("recognizers-it.jsonl", 0.980),
    ("rustling-de.jsonl", 1.00),
    ("rustling-en.jsonl", 0.985),
    ("rustling-es.jsonl", 1.00),
    ("rustling-fr.jsonl", 0.985),
    ("rustling-it.jsonl", 1.00),
];
