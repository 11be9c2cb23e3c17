//! The talking book's script: what a listener hears for a sentence
//! ([`anpham::internals::spoken`]: the bundled pronunciation table and an optional user
//! table, numbers, dates, percentages, dashes, abbreviations), where the sentences are cut
//! ([`anpham::internals::sentences`], each found back in the text), and the whole script of an
//! article made of the same text ([`anpham::internals::spoken_script`]: fragments with
//! nothing to say, such as `'.` or `/.`, joined to a neighbour or shown without audio).
//! Nothing is spoken: espeak-ng is not needed.
//!
//! Checked besides not panicking or hanging: the sentences are in order, disjoint, on
//! character boundaries and inside the text; the spoken form is deterministic, adds no
//! control character, and grows at most linearly with the text
//! (a number of n digits is read in O(n) words, a table entry is at most a line); every
//! sentence of the script has something to say (a letter or a digit), so espeak-ng is
//! never given a fragment it would be silent for, and a paragraph that is only such a
//! fragment gives a warning.
#![no_main]
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::editions::SpeechOptions;
use anpham::internals::{sentences, spoken, spoken_script};
use anpham::model::{Article, Block, Publication, Span, Text};

#[derive(Arbitrary, Debug)]
struct Input {
    lang: u8,
    /// A user table (TOML) to add to the bundled one.
    table: Option<String>,
    /// Pieces of text, joined: most of them from an alphabet of digits, separators and
    /// table words, so numbers, dates and abbreviations are reached often.
    pieces: Vec<Piece>,
    /// Where the text is cut into paragraphs of the article (piece indices).
    breaks: Vec<u8>,
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

fn bundled() -> &'static SpeechOptions {
    static P: OnceLock<SpeechOptions> = OnceLock::new();
    P.get_or_init(SpeechOptions::new)
}

fuzz_target!(|input: Input| {
    let mut text = String::new();
    let mut cuts = Vec::new();
    for (k, p) in input.pieces.into_iter().take(200).enumerate() {
        if input.breaks.contains(&(k as u8)) {
            cuts.push(text.len());
        }
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
    let speech = match input.table {
        Some(t) => {
            let path = anpham_fuzz::sandbox().join("pronunciations.toml");
            std::fs::write(&path, t.as_bytes()).expect("write the table");
            longest += t.len();
            let mut options = SpeechOptions::new();
            match options.pronunciations_file(&path) {
                Ok(()) => {
                    user = options;
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
    let table = |text: &str, lang: &str| spoken(speech, text, lang);

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
        let said = table(sentence, lang);
        check_spoken(sentence, &said, longest);
        assert_eq!(said, table(sentence, lang), "not deterministic");
    }
    check_spoken(&text, &table(&text, lang), longest);

    // The same text as an article's paragraphs (cut at `breaks`), in the article's
    // language, through the whole script.
    cuts.push(text.len());
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for c in cuts {
        let p = text[start..c].trim();
        if !p.is_empty() {
            paragraphs.push(p.to_string());
        }
        start = c;
    }
    let article = Article {
        lang: (!lang.is_empty()).then(|| lang.to_string()),
        title: "Tin".into(),
        date: None,
        author: None,
        lead: None,
        slug: Some("tin".into()),
        source_url: None,
        blocks: paragraphs
            .iter()
            .map(|t| Block::Paragraph {
                text: Text {
                    spans: vec![Span::plain(t)],
                },
            })
            .collect(),
        origin: None,
    };
    let Ok(prepared) = anpham::prepare(Publication::single(article)) else {
        anpham_fuzz::tally("speech_script", false);
        return;
    };
    anpham_fuzz::tally("speech_script", true);
    let (documents, warnings) = spoken_script(&prepared, speech);
    for doc in &documents {
        for (shown, spoken) in doc {
            assert!(!shown.trim().is_empty(), "an empty sentence");
            assert!(
                spoken.chars().any(char::is_alphanumeric),
                "a sentence with nothing to say reaches espeak-ng: {shown:?} → {spoken:?}"
            );
            check_spoken(shown, spoken, longest);
        }
    }
    // A paragraph (as prepared) none of whose sentences has anything to say is a warning.
    let article_lang = prepared.articles[0]
        .lang
        .as_deref()
        .unwrap_or(&prepared.lang);
    let wordless = prepared.articles[0]
        .blocks
        .iter()
        .filter(|b| match b {
            Block::Paragraph { text } => {
                let t: String = text.spans.iter().map(|s| s.text.as_str()).collect();
                !t.trim().is_empty()
                    && sentence_ranges(&t).iter().all(|r| {
                        !table(&t[r.clone()], article_lang)
                            .chars()
                            .any(char::is_alphanumeric)
                    })
            }
            _ => false,
        })
        .count();
    assert!(
        warnings.len() >= wordless,
        "{wordless} paragraph(s) with nothing to say, {} warning(s)",
        warnings.len()
    );
});

/// Where [`sentences`] cuts `text` (an article's title, alone): each sentence's byte
/// range, found back in the text in order (a sentence that is not there after the one
/// before is a failure).
fn sentence_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut end = 0;
    sentences(&Publication::single(Article::new(text)))
        .into_iter()
        .map(|s| {
            let start = end
                + text[end..]
                    .find(s.as_str())
                    .unwrap_or_else(|| panic!("sentence {s:?} is not in order in {text:?}"));
            end = start + s.len();
            start..end
        })
        .collect()
}

fn check_spoken(shown: &str, spoken: &str, longest: usize) {
    // Raw text may hold control characters (an article's never does: the checks refuse
    // them); the table must not add any.
    let control = |c: char| c.is_control() && !c.is_whitespace();
    assert!(
        !spoken.chars().any(|c| control(c) && !shown.contains(c)),
        "a control character added in {spoken:?}"
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
