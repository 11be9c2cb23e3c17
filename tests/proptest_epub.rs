//! Property (b): the EPUB of an article with arbitrary text (Vietnamese, other Latin,
//! Greek, markup characters, quotes, ampersands, `]]>`), inline styles, links, languages,
//! every block type and a page list passes EPUBCheck with no error and no warning.
//!
//! EPUBCheck takes seconds per book, so only 4 cases run by default
//! (`PROPTEST_EPUB_CASES` overrides). Without the checker (`shared/tools/check-epub`)
//! the test says SKIPPED, except in CI (`CI` set), where it fails.

use crate::common;

use proptest::prelude::*;
use proptest::sample::select;

use anpham::FontScale;
use anpham::Prepared;
use anpham::internals::PdfOptions;
use anpham::internals::{EpubOptions, write_epub};
use anpham::model::{Article, Block, Figure, Publication, Span, Text};

/// The PDF edition with `options` (the PDF of `internals::print_edition`).
fn write_pdf(
    p: &anpham::Prepared,
    options: &PdfOptions,
) -> anpham::Result<anpham::internals::PdfOutput> {
    anpham::internals::print_edition(p, options).map(|e| e.pdf)
}

const PIECES: &[&str] = &[
    "Việt",
    "Nam",
    "Bắc",
    "Kạn",
    "hội",
    "thảo",
    "đồng",
    "chí",
    "Phương",
    "Thị",
    "Thanh",
    "Nghị",
    "quyết",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "tỉnh",
    "the",
    "library",
    "reading",
    "room",
    "αβγ",
    "Ωmega",
    "<script>",
    "</p>",
    "]]>",
    "&amp;",
    "&",
    "\"",
    "'",
    "<!--",
    "-->",
    "<![CDATA[",
    "“",
    "”",
    "—",
    "…",
    "2022",
    "10,5%",
    "e\u{301}",
    "o\u{302}\u{301}",
    "Ư\u{309}",
    "x\u{0323}",
    "recommendations",
    "interdepartmental",
    "\u{A0}",
    "a/b",
];

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((select(PIECES), select(&[" ", " ", "", "\n"][..])), 1..40)
        .prop_map(|v| v.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
        .prop_filter("not blank", |s: &String| !s.trim().is_empty())
}

const HREFS: &[&str] = &[
    "https://example.org/a?b=1&c=<2>",
    "http://x.vn/\"q\"",
    "mailto:toa-soan@example.org?subject=Xin%20ch%C3%A0o",
];

fn spans() -> impl Strategy<Value = Text> {
    proptest::collection::vec(
        (
            text(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::weighted(0.2, select(HREFS)),
            proptest::option::weighted(0.2, select(&["en", "vi", "fr"][..])),
        ),
        1..4,
    )
    .prop_map(|v| Text {
        spans: v
            .into_iter()
            .map(|(text, emphasis, strong, href, lang)| Span {
                text,
                emphasis,
                strong,
                href: href.map(str::to_string),
                lang: lang.map(str::to_string),
            })
            .collect(),
    })
}

#[derive(Debug, Clone)]
enum B {
    Paragraph(Text),
    Heading(Text),
    Quote(Text, Option<String>),
    List(bool, Vec<Text>),
    Figure(String, Option<Text>),
}

fn block() -> impl Strategy<Value = B> {
    prop_oneof![
        5 => spans().prop_map(B::Paragraph),
        1 => spans().prop_map(B::Heading),
        1 => (spans(), proptest::option::of(text())).prop_map(|(t, a)| B::Quote(t, a)),
        1 => (any::<bool>(), proptest::collection::vec(spans(), 1..5)).prop_map(|(o, i)| B::List(o, i)),
        1 => (text(), proptest::option::of(spans())).prop_map(|(a, c)| B::Figure(a, c)),
    ]
}

fn article(title: String, lead: Option<Text>, blocks: Vec<B>, english: bool) -> Prepared {
    let mut level = 1u8;
    let blocks = blocks
        .into_iter()
        .map(|b| match b {
            B::Paragraph(text) => Block::Paragraph { text },
            // Levels go down freely and up one at a time.
            B::Heading(text) => {
                level = if level >= 4 { 2 } else { level + 1 };
                Block::Heading {
                    level: anpham::model::HeadingLevel::clamped(level),
                    text,
                }
            }
            B::Quote(text, attribution) => Block::Quote { text, attribution },
            B::List(ordered, items) => Block::List { ordered, items },
            B::Figure(alt, caption) => Block::Figure(Figure {
                src: "img/hills.png".into(),
                alt: Some(alt),
                caption,
                credit: Some("Ảnh: Ban biên tập & <b>".into()),
                decorative: false,
                image: None,
            }),
        })
        .collect();
    let a = Article {
        lang: Some(if english { "en" } else { "vi" }.into()),
        title,
        date: Some("2022-11-10".into()),
        author: Some("Hương Dịu & \"Ban\" <biên tập>".into()),
        lead,
        slug: Some("prop".into()),
        source_url: Some("https://example.org/bai-bao?id=1&x=<y>".into()),
        blocks,
        // Figures load `img/hills.png` next to this (fixture) article.
        origin: Some(anpham::model::Origin {
            file: common::root().join("tests/fixtures/same/article.json"),
            field: String::new(),
        }),
    };
    anpham::prepare(Publication::single(a)).expect("generated articles are valid")
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_EPUB_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(4),
        max_shrink_iters: 8,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn epubs_of_arbitrary_text_pass_epubcheck(
        title in text(),
        lead in proptest::option::of(spans()),
        blocks in proptest::collection::vec(block(), 1..12),
        english in any::<bool>(),
        step in -2i8..=6,
    ) {
        let p = article(title, lead, blocks, english);
        let pdf = write_pdf(&p, &PdfOptions::new(FontScale::LARGE)).expect("PDF");
        let mut opts = EpubOptions::new(FontScale::step(step));
        opts.page_map = Some(pdf.page_map);
        let bytes = write_epub(&p, &opts).expect("EPUB");
        let dir = tempfile::TempDir::new().unwrap();
        let file = dir.path().join("prop.epub");
        std::fs::write(&file, &bytes).unwrap();
        if let Some(r) = common::run_checker("check-epub", &[std::path::Path::new("--no-ace"), &file]) {
            prop_assert_eq!(&r["epubcheck_errors"], 0, "{}", r);
            prop_assert_eq!(&r["epubcheck_warnings"], 0, "{}", r);
        }
    }
}
