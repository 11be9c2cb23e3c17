//! Issue #30's invariant, as a property: **what passes `check` builds in every edition.**
//!
//! Generated articles mix every kind of character the bundled fonts cover (drawn from the
//! whole covered repertoire: letters of every script they have, digits, superscripts and
//! fractions, punctuation, symbols, combining marks, spaces) with what scraped news text
//! has: Vietnamese words, stray punctuation (`'.`, `/.`, `…`) as whole paragraphs, quotes,
//! digits with superscripts (`30⁰C`) and fractions, mixed scripts. Each is written as an
//! article file; whenever [`anpham::check`] passes, every edition is built from it:
//! the EPUB, the large-print PDF, BRF and PEF (when the liblouis tables open) and the
//! talking book (when espeak-ng runs). Without liblouis or espeak-ng those editions are
//! skipped with a `SKIPPED:` line outside CI and fail the test in CI.
//!
//! `PROPTEST_CASES` sets the number of cases (4 by default: a few seconds, as every case
//! runs espeak-ng once per sentence).
//!
//! **Braille** is strict: a character the table lacks is written by its fallback with a
//! warning (`docs/braille.md`), so BRF and PEF must build whenever `check` passes.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;

use anpham::FontScale;
use anpham::editions::SpeechOptions;
use anpham::editions::{EditionRequest, Format, build};
use anpham::internals::FontSet;

/// Every character both bundled font sets cover and the checks accept (not control,
/// private use, bidi override …): the repertoire the text is drawn from.
fn covered() -> &'static [char] {
    static COVERED: OnceLock<Vec<char>> = OnceLock::new();
    COVERED.get_or_init(|| {
        let large = FontSet::bundled(true);
        let standard = FontSet::bundled(false);
        (0..=0x2FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| {
                anpham::internals::forbidden_char(c).is_none()
                    && !c.is_whitespace()
                    && large.covers(c)
                    && standard.covers(c)
            })
            .collect()
    })
}

const WORDS: &[&str] = &[
    "Hội",
    "nghị",
    "tỉnh",
    "Bắc",
    "Kạn",
    "người",
    "đường",
    "Thái",
    "Mỹ",
    "HĐND",
    "UBND",
    "TP.HCM",
    "ngày",
    "10/11/2022",
    "1.234.567",
    "3,5%",
    "20–30",
    "km²",
    "30⁰C",
    "½",
    "¾",
    "x²",
    "H₂O",
    "COVID-19",
    "Mr.",
    "café",
    "naïve",
    "Ελλάδα",
    "Москва",
    "e\u{301}",
    "a\u{323}\u{302}",
    "“trích”",
    "‘dẫn’",
    "«",
    "»",
    "(",
    ")",
    "—",
    "–",
    "…",
    "'",
    "\"",
    "/",
    "§",
    "°",
    "€",
    "©",
];
/// Fragments scraped text is full of, alone or after a sentence.
const STRAY: &[&str] = &["'.", "/.", "…", ".", "—", "”.", "' .", "-", "*", "//"];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(WORDS).prop_map(str::to_string),
        3 => proptest::collection::vec(select(covered()), 1..6)
            .prop_map(|cs| cs.into_iter().collect()),
        1 => select(STRAY).prop_map(str::to_string),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (proptest::collection::vec(word(), 1..14), proptest::option::of(select(STRAY)))
            .prop_map(|(w, end)| {
                let mut s = w.join(" ");
                if let Some(e) = end {
                    s.push_str(". ");
                    s.push_str(e);
                }
                s
            }),
        1 => select(STRAY).prop_map(str::to_string),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    title: String,
    english: bool,
    /// (kind: paragraph, heading, quotation, list item; text)
    blocks: Vec<(u8, String)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(word(), 1..5),
        proptest::bool::weighted(0.2),
        proptest::collection::vec((0u8..4, paragraph()), 1..5),
    )
        .prop_map(|(t, english, blocks)| Case {
            title: t.join(" "),
            english,
            blocks,
        })
}

/// The article file of a case (JSON, so the text is exactly the generated text).
fn article_json(c: &Case) -> String {
    let blocks: Vec<serde_json::Value> = c
        .blocks
        .iter()
        .map(|(kind, text)| match kind {
            0 => serde_json::json!({"type": "paragraph", "text": text}),
            1 => serde_json::json!({"type": "heading", "level": 2, "text": text}),
            2 => serde_json::json!({"type": "quote", "text": text}),
            _ => serde_json::json!({"type": "list", "items": [text, "Mục hai."]}),
        })
        .collect();
    serde_json::json!({
        "title": c.title,
        "lang": if c.english { "en" } else { "vi" },
        "date": "2022-11-10",
        "slug": "prop",
        "blocks": blocks,
    })
    .to_string()
}

/// Whether the outside program is there; `false` with a SKIPPED line outside CI, a
/// failure in CI.
fn have(what: &str, ok: bool, install: &str) -> bool {
    if !ok {
        crate::common::skip::<()>(&format!(
            "the {what} editions: {what} is missing ({install})"
        ));
    }
    ok
}

fn have_braille() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        // liblouis loads (the crate ships its Vietnamese tables).
        have(
            "braille",
            anpham::editions::braille_available().is_ok(),
            "liblouis: apt-get install liblouis20",
        )
    })
}

fn have_espeak() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        have(
            "talking-book",
            SpeechOptions::new().espeak_version().is_ok(),
            "apt-get install espeak-ng",
        )
    })
}

/// EPUB, the large-print PDF, the HTML page, and the braille and talking-book editions
/// where liblouis and espeak-ng are here (else SKIPPED; in CI a failure).
fn every_edition() -> EditionRequest {
    let mut request = EditionRequest::new();
    request.print_scales = vec![FontScale::LARGE];
    let mut names = vec!["html"];
    if have_braille() {
        names.extend(["brf", "pef"]);
    }
    if have_espeak() {
        names.push("talking");
    }
    for n in names {
        request.formats.push(Format::named(n).unwrap());
    }
    request
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn what_passes_check_builds_in_every_edition(c in case()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("prop.json");
        std::fs::write(&path, article_json(&c)).unwrap();
        if anpham::check(std::slice::from_ref(&path), false).is_err() {
            // Refused by check: nothing is promised.
            return Ok(());
        }
        let (prepared, _) = anpham::input::load_prepared(std::slice::from_ref(&path))
            .expect("what check loads loads again");
        let request = every_edition();
        let editions = build(&prepared, &request)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", article_json(&c))))?;
        let mut names: Vec<&str> = editions.iter().map(|e| e.kind.format.name()).collect();
        let mut asked: Vec<&str> = request.formats.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        asked.sort_unstable();
        prop_assert_eq!(names, asked);
        for e in &editions {
            prop_assert!(!e.bytes.is_empty(), "{:?} is empty", e.kind);
        }
    }
}

/// The two paragraphs of issue #30 that stopped every edition, built in every edition.
#[test]
fn the_paragraphs_of_issue_30_build() {
    for text in ["'.", "/.", "Nhiệt độ 30⁰C. '."] {
        let c = Case {
            title: "Tin".into(),
            english: false,
            blocks: vec![(0, "Một câu.".into()), (0, text.into())],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("issue.json");
        std::fs::write(&path, article_json(&c)).unwrap();
        anpham::check(std::slice::from_ref(&path), false).expect("check passes");
        let (prepared, _) = anpham::input::load_prepared(std::slice::from_ref(&path)).unwrap();
        build(&prepared, &every_edition()).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}
