//! The braille pieces: arbitrary text in every kind of part (title, byline, paragraphs,
//! headings, quotations with attributions, list items, captions, alt text; some spans in
//! the other language) → the braille edition ([`anpham::braille::write_braille`]:
//! translation with the fallbacks for characters the table lacks, pieces, word division,
//! pages, volumes, BRF and PEF), in Vietnamese and English, at the default page size and
//! at the smallest.
//!
//! Needs liblouis (an input is skipped without it; in CI its absence fails). Checked
//! besides not panicking: text the checks accept and the fonts cover always has a braille
//! edition (issue #30: a character the table lacks is written by its fallback, with a
//! warning); every page has at most the page's rows and every line at most its cells,
//! all of them 6-dot cells (U+2800–U+283F: never liblouis's 8-dot escape for an undefined
//! character); the BRF is ASCII braille with CR LF line ends and form feeds, and the PEF is
//! well-formed XML.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::braille::{Geometry, write_braille};
use anpham::model::{
    Article, Block, Figure, HeadingLevel, ImageData, ImageFormat, ImageSource, Publication, Span,
    Text,
};

#[derive(Arbitrary, Debug)]
struct Input {
    sanitize: bool,
    english: bool,
    narrow: bool,
    title: String,
    author: Option<String>,
    blocks: Vec<(u8, Vec<(String, bool)>)>,
}

fuzz_target!(|input: Input| {
    if !anpham_fuzz::have_braille() {
        return;
    }
    let main = if input.english { "en" } else { "vi" };
    let other = if input.english { "vi" } else { "en" };
    let mut budget = 3000usize;
    let mut text = |s: &str| {
        let t = anpham_fuzz::covered_text(s, input.sanitize, budget);
        budget = budget.saturating_sub(t.chars().count());
        t
    };
    let mut spans = |v: &[(String, bool)]| Text {
        spans: v
            .iter()
            .take(20)
            .map(|(s, foreign)| Span {
                lang: foreign.then(|| other.to_string()),
                ..Span::plain(text(s))
            })
            .collect(),
    };
    let mut blocks = Vec::new();
    for (kind, v) in input.blocks.iter().take(30) {
        blocks.push(match kind % 5 {
            0 => Block::Paragraph { text: spans(v) },
            1 => Block::Heading {
                level: HeadingLevel::clamped(2 + kind % 5),
                text: spans(v),
            },
            2 => Block::Quote {
                text: spans(v),
                attribution: v.get(1).map(|(s, _)| s.chars().take(80).collect()),
            },
            3 => Block::List {
                ordered: kind % 2 == 0,
                items: v.chunks(2).map(&mut spans).collect(),
            },
            _ => Block::Figure(Figure {
                src: "img/a.png".into(),
                alt: v.first().map(|(s, _)| s.chars().take(200).collect()),
                caption: Some(spans(v)),
                credit: None,
                decorative: false,
                image: Some(ImageData {
                    source: ImageSource::memory(anpham_fuzz::PNG.to_vec()),
                    needs_pixels: false,
                    format: ImageFormat::Png,
                    width: 1,
                    height: 1,
                }),
            }),
        });
    }
    let title = text(&input.title);
    let author = input.author.as_deref().map(&mut text);
    let article = Article {
        lang: Some(main.into()),
        title,
        date: Some("2022-11-10".into()),
        author,
        lead: None,
        slug: Some("fuzz".into()),
        source_url: None,
        blocks,
        origin: Some(anpham::model::Origin {
            file: anpham_fuzz::sandbox().join("article.json"),
            field: String::new(),
        }),
    };
    // What the checks refuse (or the fonts cannot print) is not promised a braille edition.
    let Ok(p) = anpham::prepare(Publication::single(article)) else {
        anpham_fuzz::tally("braille", false);
        return;
    };
    if p.check_fonts(anpham_fuzz::fonts(true)).is_err()
        || p.check_fonts(anpham_fuzz::fonts(false)).is_err()
    {
        anpham_fuzz::tally("braille", false);
        return;
    }
    anpham_fuzz::tally("braille", true);
    let mut options = anpham::braille::BrailleOptions::default();
    if input.narrow {
        options.geometry = Geometry::MIN;
        options.volume_sheets = 2;
    }
    let out = write_braille(&p, None, &options)
        .unwrap_or_else(|e| panic!("checked text has no braille edition: {e}"));
    for w in &out.warnings {
        assert!(!w.to_string().is_empty());
    }
    let g = options.geometry;
    for v in &out.volumes {
        for page in &v.pages {
            assert!(page.len() <= g.rows, "a page of {} lines", page.len());
            for line in page {
                let n = line.chars().count();
                assert!(n <= g.cols, "a line of {n} cells: {line}");
                assert!(
                    line.chars()
                        .all(|c| ('\u{2800}'..='\u{283F}').contains(&c) || c == ' '),
                    "not 6-dot braille: {line:?}"
                );
            }
        }
    }
    assert!(
        out.brf
            .iter()
            .all(|&b| (0x20..0x60).contains(&b) || b == b'\r' || b == b'\n' || b == 0x0C),
        "the BRF has a byte outside ASCII braille"
    );
    anpham_fuzz::check_xml(
        "fuzz.pef",
        std::str::from_utf8(&out.pef).expect("the PEF is UTF-8"),
    );
});
