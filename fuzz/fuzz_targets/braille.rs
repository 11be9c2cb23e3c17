//! The braille pieces: arbitrary text in every kind of part (title, byline, paragraphs,
//! headings, quotations with attributions, list items, captions, alt text; some spans in
//! the other language) → the braille editions, BRF and PEF, as a user asks for them
//! ([`anpham::editions::build`]: translation with the fallbacks for characters the table
//! lacks, pieces, word division, pages, volumes), in Vietnamese and English, at the
//! default page size and at the smallest.
//!
//! Needs liblouis (an input is skipped without it; in CI its absence fails). Checked
//! besides not panicking: text the checks accept and the fonts cover always has a braille
//! edition (issue #30: a character the table lacks is written by its fallback, with a
//! warning); in both files every page has at most the page's rows and every line at most
//! its cells; the PEF's cells are all 6-dot cells (U+2800–U+283F: never liblouis's 8-dot
//! escape for an undefined character) and the PEF is well-formed XML; the BRF is ASCII
//! braille with CR LF line ends and form feeds.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::editions::{BrailleGeometry, BrailleOptions, EditionRequest, Format, build};
use anpham::model::{Article, Block, Figure, HeadingLevel, Publication, Span, Text};

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
                image: Some(
                    anpham::internals::check_image(anpham_fuzz::PNG.to_vec())
                        .expect("the test picture is an image"),
                ),
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
    let mut options = BrailleOptions::default();
    if input.narrow {
        options.geometry = BrailleGeometry::MIN;
        options.volume_sheets = 2;
    }
    let g = options.geometry;
    let mut request = EditionRequest::new();
    request.formats = ["brf", "pef"]
        .iter()
        .map(|n| Format::named(n).expect("a format of this build"))
        .collect();
    *request.options_mut::<BrailleOptions>() = options;
    let editions =
        build(&p, &request).unwrap_or_else(|e| panic!("checked text has no braille edition: {e}"));
    let file = |name: &str| {
        let e = editions
            .iter()
            .find(|e| e.kind.format.name() == name)
            .unwrap_or_else(|| panic!("no {name} edition"));
        for w in &e.warnings {
            assert!(!w.diagnostic.to_string().is_empty());
        }
        &e.bytes
    };

    let brf = file("brf");
    assert!(
        brf.iter()
            .all(|&b| (0x20..0x60).contains(&b) || b == b'\r' || b == b'\n' || b == 0x0C),
        "the BRF has a byte outside ASCII braille"
    );
    let brf = std::str::from_utf8(brf).expect("ASCII");
    assert!(
        brf.ends_with('\x0C'),
        "the BRF's last page has no form feed"
    );
    for page in brf.split_terminator('\x0C') {
        let lines: Vec<&str> = page.split_terminator("\r\n").collect();
        assert!(
            page.is_empty() || page.ends_with("\r\n"),
            "a BRF line without CR LF"
        );
        assert!(lines.len() <= g.rows, "a BRF page of {} lines", lines.len());
        for line in lines {
            assert!(!line.contains(['\r', '\n']), "a bare CR or LF: {line:?}");
            assert!(line.len() <= g.cols, "a BRF line of {} cells", line.len());
        }
    }

    let pef = std::str::from_utf8(file("pef")).expect("the PEF is UTF-8");
    anpham_fuzz::check_xml("fuzz.pef", pef);
    check_pef_pages(pef, g);
});

/// Every `page` of the PEF has at most `g.rows` rows, every `row` at most `g.cols` cells,
/// all of them 6-dot cells (or blanks).
fn check_pef_pages(pef: &str, g: BrailleGeometry) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(pef);
    let (mut rows, mut pages, mut in_row) = (0usize, 0usize, false);
    loop {
        match reader.read_event().expect("checked well-formed") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"page" => {
                pages += 1;
                rows = 0;
            }
            Event::Start(e) if e.local_name().as_ref() == b"row" => {
                rows += 1;
                in_row = true;
            }
            Event::Empty(e) if e.local_name().as_ref() == b"row" => rows += 1,
            Event::End(e) if e.local_name().as_ref() == b"row" => in_row = false,
            Event::End(e) if e.local_name().as_ref() == b"page" => {
                assert!(rows <= g.rows, "a page of {rows} lines");
            }
            Event::Text(t) if in_row => {
                let line = t.decode().expect("UTF-8");
                let n = line.chars().count();
                assert!(n <= g.cols, "a line of {n} cells: {line}");
                assert!(
                    line.chars()
                        .all(|c| ('\u{2800}'..='\u{283F}').contains(&c) || c == ' '),
                    "not 6-dot braille: {line:?}"
                );
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(pages > 0, "a PEF without pages");
}
