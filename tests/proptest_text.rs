//! Property tests of the text path, for arbitrary paragraphs in the scripts the bundled
//! fonts cover (Vietnamese, precomposed and decomposed, other Latin, Greek through the
//! fallback family, digits and punctuation, markup characters, over-long tokens):
//!
//! * (a) the text the PDF carries equals the NFC input modulo white space: the crate's own
//!   mapping (the text of each laid-out glyph run, which the PDF writer turns into
//!   ToUnicode / ActualText) for every case, and `pdftotext` where it is installed;
//! * (c) no glyph is drawn outside its page's text area: every glyph's advance box (from
//!   the run's x, advances × size) and every line's ascent and descent, furniture included.
//!   A line's trailing space is the one exception: it is kept for text extraction, draws
//!   nothing, and may hang into the margin.
//!
//! (b), EPUBCheck on arbitrary text, is in `tests/proptest_epub.rs`.
//! `PROPTEST_CASES` overrides the number of cases (32 by default).

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;
use unicode_normalization::UnicodeNormalization;

use anpham::FontScale;
use anpham::Prepared;
use anpham::editions::pdf as write_pdf;
use anpham::internals::PdfOptions;
use anpham::internals::{Item, Layout, LayoutOptions, Line, layout};
use anpham::model::{Article, Block, Publication, Span, Text};

/// Precomposed Vietnamese letters and other Latin.
const LETTERS: &[&str] = &[
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
    "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y", "à", "ằ", "ầ", "è", "ề", "ì", "ò", "ồ", "ờ",
    "ù", "ừ", "ỳ", "á", "ắ", "ấ", "é", "ế", "í", "ó", "ố", "ớ", "ú", "ứ", "ý", "ả", "ẳ", "ẩ", "ẻ",
    "ể", "ỉ", "ỏ", "ổ", "ở", "ủ", "ử", "ỷ", "ã", "ẵ", "ẫ", "ẽ", "ễ", "ĩ", "õ", "ỗ", "ỡ", "ũ", "ữ",
    "ỹ", "ạ", "ặ", "ậ", "ẹ", "ệ", "ị", "ọ", "ộ", "ợ", "ụ", "ự", "ỵ", "Đ", "Ấ", "Ỗ", "Ự", "W", "Z",
    "f", "j", "z", "w", "ç", "ñ", "ü", "ß", "æ", "ø", "å", "œ",
];
/// Bases and the combining marks Vietnamese uses (NFD input).
const BASES: &[&str] = &[
    "a", "e", "i", "o", "u", "y", "A", "E", "O", "U", "ư", "ơ", "â", "ê", "ô", "ă",
];
const MARKS: &[&str] = &[
    "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}", "\u{302}", "\u{306}", "\u{31B}",
];
/// Greek: not in Be Vietnam Pro, so set in the fallback family at large print.
const GREEK: &[&str] = &["α", "β", "γ", "Δ", "λ", "Ω", "π"];
const OTHER: &[&str] = &[
    "0", "1", "9", ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "“", "”", "‘", "’", "\"", "'",
    "<", ">", "&", "/", "—", "–", "-", "…", "%", "@", "#", "*", "+", "=", "«", "»", "€",
];
/// White space between words: collapsed to one space by the loader.
const SPACES: &[&str] = &[" ", " ", " ", " ", "  ", "\n", "\t", " \r\n "];

fn grapheme() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => select(LETTERS).prop_map(str::to_string),
        3 => (select(BASES), select(MARKS), proptest::option::of(select(MARKS)))
            .prop_map(|(b, m, m2)| format!("{b}{m}{}", m2.unwrap_or(""))),
        2 => select(OTHER).prop_map(str::to_string),
        1 => select(GREEK).prop_map(str::to_string),
    ]
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => proptest::collection::vec(grapheme(), 1..10),
        // A token wider than the line: broken between grapheme clusters.
        1 => proptest::collection::vec(grapheme(), 40..120),
    ]
    .prop_map(|g| g.concat())
}

fn paragraph() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec((word(), select(SPACES)), 1..120),
        select(SPACES),
    )
        .prop_map(|(words, lead)| {
            let mut s = String::from(if lead == " " { "" } else { lead });
            for (w, sp) in words {
                s.push_str(&w);
                s.push_str(sp);
            }
            s
        })
}

/// A span: text with random emphasis and strength.
fn span() -> impl Strategy<Value = (String, bool, bool)> {
    (paragraph(), any::<bool>(), any::<bool>())
}

#[derive(Debug, Clone)]
struct Case {
    title: String,
    paragraphs: Vec<Vec<(String, bool, bool)>>,
    step: i8,
    english: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        word(),
        proptest::collection::vec(proptest::collection::vec(span(), 1..4), 1..4),
        -2i8..=6,
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(title, paragraphs, step, english)| Case {
            title,
            paragraphs,
            step,
            english,
        })
}

fn publication(c: &Case) -> Prepared {
    let a = Article {
        lang: Some(if c.english { "en" } else { "vi" }.into()),
        title: c.title.clone(),
        date: None,
        author: None,
        lead: None,
        slug: Some("prop".into()),
        source_url: None,
        blocks: c
            .paragraphs
            .iter()
            .map(|spans| Block::Paragraph {
                text: Text {
                    spans: spans
                        .iter()
                        .map(|(t, emphasis, strong)| Span {
                            text: t.clone(),
                            emphasis: *emphasis,
                            strong: *strong,
                            ..Span::default()
                        })
                        .collect(),
                },
            })
            .collect(),
        origin: None,
    };
    anpham::prepare(Publication::single(a)).expect("generated text is valid")
}

/// Everything but white space.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The input's text in reading order, NFC.
fn expected(c: &Case) -> String {
    let mut s: String = c.title.nfc().collect();
    for p in &c.paragraphs {
        for (t, _, _) in p {
            s.extend(t.nfc());
        }
    }
    squash(&s)
}

/// A line's text as drawn (an inserted hyphen maps to `-`, so that extraction gives
/// `recommen-⏎dations`).
fn drawn_text(l: &Line) -> String {
    l.runs.iter().map(|r| r.text.as_str()).collect()
}

/// A line's text without the hyphen hyphenation inserted.
fn line_text(l: &Line) -> String {
    let mut s = drawn_text(l);
    if l.hyphenated {
        assert_eq!(s.pop(), Some('-'), "a hyphenated line ends with its hyphen");
    }
    s
}

/// The text of a page's content lines, in order, as drawn or without inserted hyphens.
fn page_text(p: &anpham::internals::Page, drawn: bool) -> String {
    p.items
        .iter()
        .filter_map(|i| match i {
            Item::Line(l) if drawn => Some(drawn_text(l)),
            Item::Line(l) => Some(line_text(l)),
            Item::Image(_) => None,
        })
        .collect()
}

/// (c): every glyph of every line, and every line's extent, inside the page's text area.
fn check_geometry(lay: &Layout) -> Result<(), TestCaseError> {
    match anpham::internals::outside_text_area(lay) {
        Some(why) => Err(TestCaseError::fail(why)),
        None => Ok(()),
    }
}

/// `pdftotext -raw` of each page, or None when poppler is missing outside CI.
fn pdftotext_pages(pdf: &Path) -> Option<Vec<String>> {
    match std::process::Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(o.status.success(), "pdftotext failed");
            let text = String::from_utf8(o.stdout).expect("pdftotext prints UTF-8");
            let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
            if pages.last().is_some_and(|p| p.trim().is_empty()) {
                pages.pop();
            }
            Some(pages)
        }
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "pdftotext is missing in CI"
            );
            None
        }
    }
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(32),
        // Shrinking a layout failure takes long; a failing case is printed whole anyway.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn pdf_text_equals_the_nfc_input_and_no_glyph_leaves_the_text_area(c in case()) {
        let p = publication(&c);
        let scale = FontScale::step(c.step);
        let lay = layout(&p, &LayoutOptions::new(scale)).expect("layout");
        // The pages' content, without the running header and the page numbers.
        let own: String = lay.pages.iter().map(|p| page_text(p, false)).collect();
        prop_assert_eq!(squash(&own), expected(&c));
        // No line is empty or only white space, so nothing is lost between pages either.
        check_geometry(&lay)?;

        let pdf = write_pdf(&p, &PdfOptions::new(scale)).expect("PDF");
        prop_assert_eq!(pdf.pages, lay.pages.len());
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join("prop.pdf");
        std::fs::write(&file, &pdf.bytes).unwrap();
        if let Some(pages) = pdftotext_pages(&file) {
            prop_assert_eq!(pages.len(), lay.pages.len());
            for (i, (got, page)) in pages.iter().zip(&lay.pages).enumerate() {
                // Furniture is drawn first (header, then page number), then the content.
                let mut want = String::new();
                if let Some(h) = &page.furniture.header {
                    want.push_str(&drawn_text(h));
                }
                want.push_str(&drawn_text(&page.furniture.page_number));
                want.push_str(&page_text(page, true));
                prop_assert_eq!(squash(got), squash(&want), "page {}", i + 1);
            }
        }
    }
}

#[test]
fn pdftotext_is_there_or_skipped() {
    if std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_err()
    {
        crate::common::skip::<()>(
            "pdftotext not installed; the PDF text property used the crate's own mapping only",
        );
    }
}
