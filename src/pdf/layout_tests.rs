//! Unit tests of the print layout that read its lines, runs and images (they were
//! integration tests reaching `Layout`'s fields; the layout is not part of the API, issue
//! #27): hyphenation by scale, nothing drawn outside the text area, the PDF's structure
//! tree (a snapshot, one marked-content sequence per part, a floated figure keeping its
//! place), and the text property test (below).
//!
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

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::select;
use unicode_normalization::UnicodeNormalization;

use crate::layout::geometry::outside_text_area;
use crate::layout::{Item, Layout, LayoutOptions, Line, Owner, Page, layout};
use crate::model::{Article, Block, PageSizeName, Publication, Span, Text};
use crate::pagemap::ArticlePart;
use crate::pdf::internals::write_pdf;
use crate::pdf::{PdfOptions, structure_tree_dump};
use crate::prepare::Prepared;
use crate::scale::FontScale;

/// The repository's root (examples, fixtures).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_publication(
    inputs: &[PathBuf],
) -> crate::Result<(Prepared, Option<crate::input::Manifest>)> {
    crate::input::load_prepared(inputs)
}

#[test]
fn english_is_hyphenated_at_standard_scale_and_never_at_large_print() {
    let input = root().join("examples/english");
    let (publication, _) = load_publication(&[input]).unwrap();
    let count_hyphens = |scale: FontScale| {
        let lay = layout(&publication, &LayoutOptions::new(scale)).unwrap();
        lay.pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                Item::Line(l) => Some(l),
                _ => None,
            })
            .filter(|l| l.hyphenated)
            .count()
    };
    assert!(count_hyphens(FontScale::STANDARD) > 0);
    assert_eq!(count_hyphens(FontScale::LARGE), 0);
    assert_eq!(count_hyphens(FontScale::EXTRA_LARGE), 0);
}

#[test]
fn nothing_is_drawn_outside_the_text_area() {
    use outside_text_area;
    for example in ["bac-kan", "bulletin.toml", "long-token", "english"] {
        let (publication, _) = load_publication(&[root().join("examples").join(example)]).unwrap();
        for scale in [
            FontScale::step(-2),
            FontScale::STANDARD,
            FontScale::LARGE,
            FontScale::step(6),
        ] {
            for size in [PageSizeName::A5, PageSizeName::A4, PageSizeName::Letter] {
                let mut o = LayoutOptions::new(scale);
                o.page_size = size;
                let lay = layout(&publication, &o).unwrap();
                if let Some(why) = outside_text_area(&lay) {
                    panic!("{example} {scale} {size:?}: {why}");
                }
            }
        }
    }
}

#[test]
fn structure_tree_snapshot() {
    let input = root().join("tests/fixtures/structure/article.json");
    let (publication, _) = load_publication(&[input]).unwrap();
    let lay = layout(
        &publication,
        &PdfOptions::new(FontScale::LARGE).layout_options(),
    )
    .unwrap();
    let dump = structure_tree_dump(&publication, &lay).unwrap();
    insta::assert_snapshot!("pdf_structure_tree", dump);
}

/// The content streams of `pdf`, inflated (every stream krilla writes is FlateDecode).
fn content_streams(pdf: &[u8]) -> Vec<String> {
    use memchr::memmem;
    use std::io::Read;
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = memmem::find(&pdf[at..], b"stream\n") {
        let start = at + i + b"stream\n".len();
        let Some(len) = memmem::find(&pdf[start..], b"\nendstream") else {
            break;
        };
        let mut text = Vec::new();
        if flate2::read::ZlibDecoder::new(&pdf[start..start + len])
            .read_to_end(&mut text)
            .is_ok()
        {
            out.push(String::from_utf8_lossy(&text).into_owned());
        }
        at = start + len + b"\nendstream".len();
    }
    out
}

/// The lines of one part on a page share one marked-content sequence; a run in another
/// language or a link gets one of its own, with `/Lang` on the foreign one. Every
/// sequence in the content streams is one content leaf of the structure tree.
#[test]
fn lines_of_a_part_share_one_span_and_a_foreign_run_has_its_own() {
    let input = root().join("tests/fixtures/structure/article.json");
    let (publication, _) = load_publication(&[input]).unwrap();
    let opts = PdfOptions::new(FontScale::LARGE);
    let pdf = write_pdf(&publication, &opts).unwrap().bytes;
    let streams = content_streams(&pdf).join("\n");
    let tagged: Vec<&str> = streams
        .split("BDC")
        // The tag and its properties: `/Span<</Lang(en)/MCID 4>>`.
        .filter_map(|s| {
            let props = s.rfind("<<")?;
            Some(&s[s[..props].rfind('/')?..])
        })
        .filter(|tag| !tag.starts_with("/Artifact"))
        .collect();
    let with_lang: Vec<&&str> = tagged.iter().filter(|t| t.contains("/Lang")).collect();
    assert_eq!(with_lang.len(), 1, "{tagged:?}");
    assert!(with_lang[0].contains("(en)"), "{with_lang:?}");
    let lay = layout(&publication, &opts.layout_options()).unwrap();
    let dump = structure_tree_dump(&publication, &lay).unwrap();
    let leaves = dump.matches("- Content: ").count();
    assert_eq!(tagged.len(), leaves, "{tagged:?}\n{dump}");
    // One leaf per run and image was the old way: the caption's two lines are now one
    // leaf, and so are the paragraph's runs before the English one.
    let drawn: usize = lay
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .map(|i| match i {
            Item::Line(l) => l.runs.len(),
            Item::Image(_) => 1,
        })
        .sum();
    assert!(
        leaves < drawn,
        "{leaves} leaves for {drawn} runs and images"
    );
}

/// The `text/` regression inputs were saved for a geometry failure (a hyphen drawn past
/// the right edge): replay each at every scale and page size for that property, not only
/// for "no crash" (tests/robustness.rs does that).
#[test]
fn text_regressions_stay_inside_the_text_area() {
    use outside_text_area;
    let dir = root().join("tests/regressions/text");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("README"))
        {
            continue;
        }
        // Some inputs are refused by design (too many combining marks): only those that
        // load are laid out.
        let Ok((publication, _)) = load_publication(std::slice::from_ref(&path)) else {
            continue;
        };
        for step in -2..=6 {
            for size in [PageSizeName::A5, PageSizeName::A4] {
                let mut o = LayoutOptions::new(FontScale::step(step));
                o.page_size = size;
                let Ok(lay) = layout(&publication, &o) else {
                    continue;
                };
                if let Some(why) = outside_text_area(&lay) {
                    panic!("{} at step {step} {size:?}: {why}", path.display());
                }
            }
        }
        replayed += 1;
    }
    assert!(
        replayed >= 1,
        "hyphen-overflow.json must load and be replayed"
    );
}

/// At large print the example's second figure (with its caption) does not fit below the
/// text before it: it floats to the top of the next page while the paragraph after it
/// fills the page (half a page was left empty before). The structure tree still lists
/// the figure where the author put it: the article's children follow the model's blocks,
/// not the pages.
#[test]
fn floated_figure_keeps_its_place_in_the_structure_tree() {
    let input = root().join("examples/bac-kan");
    let (publication, _) = load_publication(&[input]).unwrap();
    let blocks = &publication.articles[0].blocks;
    // The first scale at which a figure floats past the text after it (since a float
    // stops that text at a sentence end, issue #22, not every scale has one).
    let lay = (-2..=6)
        .map(|step| {
            layout(
                &publication,
                &PdfOptions::new(FontScale::step(step)).layout_options(),
            )
            .unwrap()
        })
        .find(|lay| {
            // The first page each block's lines or image are printed on.
            let mut first_page = std::collections::BTreeMap::new();
            for (pi, page) in lay.pages.iter().enumerate() {
                for item in &page.items {
                    let block = match item {
                        Item::Line(l) => match l.owner {
                            Owner::Article(0, ArticlePart::Block(b)) => b,
                            _ => continue,
                        },
                        Item::Image(img) => img.block,
                    };
                    first_page.entry(block).or_insert(pi);
                }
            }
            (0..blocks.len())
                .filter(|&b| matches!(blocks[b], Block::Figure(_)))
                .any(|b| {
                    first_page
                        .get(&(b + 1))
                        .is_some_and(|&after| after < first_page[&b])
                })
        })
        .expect("at some scale a figure of the example floats past the text after it");
    // The article's children in the tree: title, byline, lead, then one per block in the
    // author's order (a figure is a Div holding Figure and Caption).
    let dump = structure_tree_dump(&publication, &lay).unwrap();
    let children: Vec<&str> = dump
        .lines()
        .filter_map(|l| l.strip_prefix("    - Tag: "))
        .collect();
    let mut expected = vec!["H1", "P", "P"];
    for b in blocks {
        expected.push(match b {
            Block::Paragraph { .. } => "P",
            Block::Heading { .. } => "H2",
            Block::Figure(_) => "Div",
            Block::Quote { .. } => "BlockQuote",
            Block::List { .. } => "L",
        });
    }
    assert_eq!(children, expected, "{dump}");
}

// The text property test (formerly tests/proptest_text.rs).

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
    crate::prepare::prepare(Publication::single(a)).expect("generated text is valid")
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
fn page_text(p: &Page, drawn: bool) -> String {
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
    match outside_text_area(lay) {
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
        crate::test_support::skip(
            "pdftotext not installed; the PDF text property used the crate's own mapping only",
        );
    }
}
