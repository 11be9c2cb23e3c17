//! Issue #30's invariant, as a property: **what passes `check` builds in every edition.**
//!
//! Generated articles mix every kind of character the bundled fonts cover (drawn from the
//! whole covered repertoire: letters of every script they have, digits, superscripts and
//! fractions, punctuation, symbols, combining marks, spaces) with what scraped news text
//! has: Vietnamese words, stray punctuation (`'.`, `/.`, `…`) as whole paragraphs, quotes,
//! digits with superscripts (`30⁰C`) and fractions, mixed scripts. Each is written as an
//! article file; whenever [`anpham::batch::check`] passes, every edition is built from it:
//! the EPUB, the large-print PDF, BRF and PEF (when the liblouis tables open) and the
//! talking book (when espeak-ng runs). Without liblouis or espeak-ng those editions are
//! skipped with a `SKIPPED:` line outside CI and fail the test in CI.
//!
//! `PROPTEST_CASES` sets the number of cases (4 by default: a few seconds, as every case
//! runs espeak-ng once per sentence).
//!
//! **Braille:** until the braille fallback of issue #30 (the `braille` engineer's work:
//! a character the table lacks gets its compatibility decomposition, a description or a
//! transcriber's indicator) is merged, a character with no braille in the table still
//! stops the braille editions. The property then accepts that one error, and only it, for
//! BRF and PEF, and prints each such case; the other editions must still build.
//! `ANPHAM_STRICT_BRAILLE=1` makes braille strict too — the default once the fallback is
//! in (then delete [`braille_lacks_a_character`]).

use std::path::PathBuf;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;

use anpham::braille::{BrailleOptions, BraillePlan};
use anpham::editions::{EditionKind, EditionRequest, build};
use anpham::fonts::FontSet;
use anpham::scale::FontScale;
use anpham::speech::SpeechOptions;

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
                anpham::validate::forbidden_char(c).is_none()
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
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} is missing (CI must install it: {install})"
        );
        eprintln!("SKIPPED: the {what} editions ({install})");
    }
    ok
}

fn have_braille() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let (p, _) = anpham::input::load_prepared(&[root().join("examples/bac-kan/bac-kan.md")])
            .expect("the example loads");
        have(
            "braille",
            anpham::braille::write_braille(&p, None, &braille_options()).is_ok(),
            "liblouis with the Vietnamese tables of liblouis >= 3.25: set ANPHAM_BRAILLE_TABLES",
        )
    })
}

fn have_espeak() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        have(
            "talking-book",
            SpeechOptions::new().espeak.version().is_ok(),
            "apt-get install espeak-ng",
        )
    })
}

/// The braille options: the tables of `ANPHAM_BRAILLE_TABLES` (as the CLI), else the
/// checkers' `liblouis-vi` folder (where CI keeps liblouis ≥ 3.25's Vietnamese tables),
/// then the system's.
fn braille_options() -> BrailleOptions {
    let search = std::env::var_os("ANPHAM_BRAILLE_TABLES").or_else(|| {
        std::env::var_os("ANPHAM_CHECKERS_DIR")
            .map(|d| PathBuf::from(d).join("liblouis-vi").into_os_string())
    });
    BrailleOptions {
        table_dirs: anpham::braille::translate::table_dirs(search.as_deref()),
        ..BrailleOptions::default()
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// See the module's documentation: accepted only until the braille fallback is merged.
fn braille_lacks_a_character(e: &anpham::Error) -> bool {
    std::env::var_os("ANPHAM_STRICT_BRAILLE").is_none_or(|v| v != "1")
        && e.to_string().contains("has no braille in")
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
        if anpham::batch::check(std::slice::from_ref(&path), false).is_err() {
            // Refused by check: nothing is promised.
            return Ok(());
        }
        let (prepared, _) = anpham::input::load_prepared(std::slice::from_ref(&path))
            .expect("what check loads loads again");
        let mut request = EditionRequest::new();
        request.pdf_scales = vec![FontScale::LARGE];
        if have_espeak() {
            request.talking = Some(SpeechOptions::new());
        }
        let editions = build(&prepared, &request)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", article_json(&c))))?;
        let kinds: Vec<EditionKind> = editions.iter().map(|e| e.kind).collect();
        prop_assert!(kinds.contains(&EditionKind::Epub));
        prop_assert!(kinds.contains(&EditionKind::Pdf(FontScale::LARGE)));
        prop_assert_eq!(kinds.contains(&EditionKind::TalkingEpub), have_espeak());
        for e in &editions {
            prop_assert!(!e.bytes.is_empty(), "{:?} is empty", e.kind);
        }
        if have_braille() {
            let mut braille = EditionRequest::new();
            braille.epub = None;
            braille.braille = Some(BraillePlan { brf: true, pef: true, options: braille_options() });
            match build(&prepared, &braille) {
                Ok(b) => prop_assert_eq!(b.len(), 2),
                Err(e) if braille_lacks_a_character(&e) => {
                    eprintln!("ACCEPTED UNTIL THE BRAILLE FALLBACK: {e}");
                }
                Err(e) => {
                    return Err(TestCaseError::fail(format!("braille: {e}\n{}", article_json(&c))));
                }
            }
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
        anpham::batch::check(std::slice::from_ref(&path), false).expect("check passes");
        let (prepared, _) = anpham::input::load_prepared(std::slice::from_ref(&path)).unwrap();
        let mut request = EditionRequest::new();
        request.pdf_scales = vec![FontScale::LARGE];
        if have_espeak() {
            request.talking = Some(SpeechOptions::new());
        }
        build(&prepared, &request).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}
