//! The talking book's script: what a listener hears for a sentence
//! ([`anpham::speech::Pronunciations::spoken`]: the bundled pronunciation table and an
//! optional user table, numbers, dates, percentages, dashes, abbreviations) and where the
//! sentences are cut ([`anpham::address::sentences::sentence_ranges`]).
//!
//! Checked besides not panicking or hanging: the sentences are in order, disjoint, on
//! character boundaries and inside the text; the spoken form is deterministic, holds no
//! control character other than white space, and grows at most linearly with the text
//! (a number of n digits is read in O(n) words, a table entry is at most a line).
#![no_main]
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::address::sentences::sentence_ranges;
use anpham::speech::Pronunciations;

#[derive(Arbitrary, Debug)]
struct Input {
    lang: u8,
    /// A user table (TOML) to add to the bundled one.
    table: Option<String>,
    /// Pieces of text, joined: half of them from an alphabet of digits, separators and
    /// table words, so numbers, dates and abbreviations are reached often.
    pieces: Vec<Piece>,
}

#[derive(Arbitrary, Debug)]
enum Piece {
    Raw(String),
    Number(u64, u8),
    Word(u8),
    Sign(u8),
}

const LANGS: [&str; 6] = ["vi", "vi-VN", "en", "fr", "", "x-unknown"];
const WORDS: [&str; 16] = [
    "HĐND",
    "UBND",
    "TP.HCM",
    "Đ/c",
    "TP",
    "km",
    "GS.TS",
    "ThS",
    "năm",
    "tháng",
    "ngày",
    "Bắc Kạn",
    "COVID-19",
    "Mr.",
    "v.v.",
    "%",
];
const SIGNS: [&str; 16] = [
    ".", ",", "/", "-", "–", "—", "%", " ", "'", "’", "“", "”", "⁰", "½", "\u{301}", "…",
];

fn bundled() -> &'static Pronunciations {
    static P: OnceLock<Pronunciations> = OnceLock::new();
    P.get_or_init(Pronunciations::bundled)
}

fuzz_target!(|input: Input| {
    let mut text = String::new();
    for p in input.pieces.into_iter().take(200) {
        match p {
            Piece::Raw(s) => text.extend(s.chars().take(200)),
            Piece::Number(n, form) => text.push_str(&match form % 5 {
                0 => n.to_string(),
                1 => format!("{}/{}", n % 40, n % 14),
                2 => format!("{}/{}/{}", n % 40, n % 14, n % 3000),
                3 => format!("{},{}", n % 10_000, n % 100),
                _ => {
                    // Grouped by dots, as Vietnamese writes thousands.
                    let s = n.to_string();
                    let mut g = String::new();
                    for (i, c) in s.chars().enumerate() {
                        if i > 0 && (s.len() - i) % 3 == 0 {
                            g.push('.');
                        }
                        g.push(c);
                    }
                    g
                }
            }),
            Piece::Word(w) => text.push_str(WORDS[w as usize % WORDS.len()]),
            Piece::Sign(s) => text.push_str(SIGNS[s as usize % SIGNS.len()]),
        }
    }
    let lang = LANGS[input.lang as usize % LANGS.len()];

    let user;
    // A user table's longest pronunciation bounds what one character may become.
    let mut longest = 200;
    let table = match input.table {
        Some(t) => {
            let path = anpham_fuzz::sandbox().join("pronunciations.toml");
            std::fs::write(&path, t.as_bytes()).expect("write the table");
            longest += t.len();
            match Pronunciations::bundled_with_file(&path) {
                Ok(p) => {
                    user = p;
                    &user
                }
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    bundled()
                }
            }
        }
        None => bundled(),
    };

    let ranges = sentence_ranges(&text);
    let mut end = 0;
    for r in &ranges {
        assert!(
            r.start >= end && r.start <= r.end && r.end <= text.len(),
            "{ranges:?}"
        );
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        end = r.end;
        let sentence = &text[r.clone()];
        let spoken = table.spoken(sentence, lang);
        check_spoken(sentence, &spoken, longest);
        assert_eq!(spoken, table.spoken(sentence, lang), "not deterministic");
    }
    check_spoken(&text, &table.spoken(&text, lang), longest);
});

fn check_spoken(shown: &str, spoken: &str, longest: usize) {
    assert!(
        !spoken.chars().any(|c| c.is_control() && !c.is_whitespace()),
        "a control character in {spoken:?}"
    );
    // The longest expansion of one character is a table entry's pronunciation (a user
    // table's at most its length) or a digit read as words.
    assert!(
        spoken.len() <= (shown.len() + 1) * longest,
        "{} bytes spoken for {} shown",
        spoken.len(),
        shown.len()
    );
}
