//! Integration tests of the EPUB writer: real checkers (EPUBCheck and DAISY Ace through
//! `shared/tools/check-epub`) on the books the issue lists, snapshots of the package,
//! navigation and content documents, determinism, and page markers.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use anpham::FontScale;
use anpham::editions::Timestamp;
use anpham::internals::EpubOptions;
use anpham::internals::{ArticlePart, PageMap, PageStart, TextAnchor};
use anpham::model::{Article, Block, Figure, ImageData, Publication, Span, Text};

// ---------------------------------------------------------------- fixtures

/// A small PNG (a gradient, so different seeds give different files).
/// Prepares a publication built in code (the writers take only prepared ones) and writes
/// its EPUB.
fn write_epub(p: &Publication, o: &EpubOptions) -> anpham::Result<Vec<u8>> {
    anpham::internals::write_epub(&anpham::prepare(p.clone())?, o)
}

fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let mut data = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&[
                    (x * 255 / width) as u8 ^ seed,
                    (y * 255 / height) as u8,
                    seed,
                ]);
            }
        }
        w.write_image_data(&data).unwrap();
    }
    out
}

fn image(seed: u8) -> ImageData {
    anpham::internals::check_image(png(48, 32, seed)).unwrap()
}

fn figure(alt: &str, caption: &str, credit: Option<&str>, seed: u8) -> Block {
    Block::Figure(Figure {
        src: format!("img{seed}.png"),
        alt: Some(alt.into()),
        caption: Some(Text::plain(caption)),
        credit: credit.map(Into::into),
        decorative: false,
        image: Some(image(seed)),
    })
}

fn para(s: &str) -> Block {
    Block::Paragraph {
        text: Text::plain(s),
    }
}

fn span(text: &str) -> Span {
    Span::plain(text)
}

/// The seed article with three figures, a subheading, a quotation, a list and inline
/// emphasis, strong text, a link and an English phrase.
fn seed_article() -> Article {
    let mut blocks = vec![
        figure(
            "Hội trường với đại biểu ngồi nghe báo cáo",
            SEED[2],
            Some("Ảnh: Hương Dịu"),
            1,
        ),
        para(SEED[3]),
        para(SEED[4]),
        Block::Heading {
            level: anpham::model::HeadingLevel::H2,
            text: Text::plain("Những hạn chế cần khắc phục"),
        },
        para(SEED[5]),
        para(SEED[6]),
        para(SEED[7]),
        figure("Đồng chí Lèng Văn Tý phát biểu tại bục", SEED[8], None, 2),
        para(SEED[9]),
        Block::Quote {
            text: Text::plain(
                "Đây là tài liệu quý cho Ban Thường vụ Tỉnh ủy trong công tác lãnh đạo, chỉ đạo.",
            ),
            attribution: Some("Phương Thị Thanh, Phó Bí thư Thường trực Tỉnh ủy".into()),
        },
        Block::List {
            ordered: false,
            items: vec![
                Text::plain("Nâng cao chất lượng sinh hoạt chi bộ;"),
                Text::plain("Phát triển đảng viên đảm bảo chất lượng và số lượng."),
            ],
        },
        figure(
            "Đồng chí Phương Thị Thanh phát biểu",
            SEED[10],
            Some("Ảnh: Hương Dịu"),
            3,
        ),
        para(SEED[11]),
        Block::Paragraph {
            text: Text {
                spans: vec![
                    span("Theo "),
                    Span {
                        emphasis: true,
                        ..span("Báo Bắc Kạn")
                    },
                    span(", "),
                    Span {
                        strong: true,
                        ..span("hội thảo")
                    },
                    span(" là một phần của chương trình "),
                    Span {
                        lang: Some("en".into()),
                        emphasis: true,
                        ..span("Party building")
                    },
                    span(". Xem thêm tại "),
                    Span {
                        href: Some("https://baobackan.vn/".into()),
                        ..span("trang báo")
                    },
                    span("."),
                ],
            },
        },
        para(SEED[12]),
    ];
    blocks.shrink_to_fit();
    Article {
        lang: Some("vi".into()),
        title: SEED[0].into(),
        date: Some("2022-11-10".into()),
        author: Some(SEED[13].into()),
        lead: Some(Text::plain(SEED[1])),
        slug: Some("bac-kan".into()),
        source_url: Some("https://backan.gov.vn/Pages/hoi-thao-khoa-hoc.aspx".into()),
        blocks,
        origin: None,
    }
}

fn seed_publication() -> Publication {
    let mut p = Publication::single(seed_article());
    p.publisher = Some("Cổng Thông tin điện tử tỉnh Bắc Kạn".into());
    p
}

/// A bulletin of three articles: the seed, a short one with a decorative figure and an
/// ordered list, and one in English inside the Vietnamese bulletin.
fn bulletin() -> Publication {
    let second = Article {
        lang: None,
        title: "Bắc Kạn đẩy mạnh chuyển đổi số".into(),
        date: Some("2022-11-11".into()),
        author: Some("Thu Trang".into()),
        lead: Some(Text::plain(
            "Tỉnh đặt mục tiêu 80% thủ tục hành chính được giải quyết trực tuyến.",
        )),
        slug: None,
        source_url: None,
        blocks: vec![
            Block::Figure(Figure {
                src: "line.png".into(),
                alt: None,
                caption: None,
                credit: None,
                decorative: true,
                image: Some(image(9)),
            }),
            para(SEED[9]),
            Block::List {
                ordered: true,
                items: vec![
                    Text::plain("Hạ tầng số;"),
                    Text::plain("Dữ liệu số;"),
                    Text::plain("Kỹ năng số."),
                ],
            },
            para(SEED[12]),
        ],
        origin: None,
    };
    let third = Article {
        lang: Some("en".into()),
        title: "Bac Kan hosts a conference on Party building".into(),
        date: Some("2022-11-12".into()),
        author: None,
        lead: None,
        slug: None,
        source_url: None,
        blocks: vec![
            para(
                "On 10 November the Provincial Party Committee held a conference on the state of Party building in Bac Kan province.",
            ),
            Block::Heading {
                level: anpham::model::HeadingLevel::H2,
                text: Text::plain("Recommendations"),
            },
            para(
                "Speakers proposed better political education, stronger inspection and a younger generation of officials.",
            ),
        ],
        origin: None,
    };
    Publication {
        title: "Bản tin Bắc Kạn tháng 11/2022".into(),
        lang: "vi".into(),
        publisher: Some("Cổng Thông tin điện tử tỉnh Bắc Kạn".into()),
        date: Some("2022-11-30".into()),
        identifier: None,
        description: Some("Tin nổi bật trong tháng".into()),
        articles: vec![seed_article(), second, third],
    }
}

/// A byte offset at about `num/den` of `s`, just after a space.
fn at_fraction(s: &str, num: usize, den: usize) -> usize {
    let mut from = s.len() * num / den;
    while !s.is_char_boundary(from) {
        from += 1;
    }
    s[from..].find(' ').map_or(0, |i| from + i + 1)
}

/// A byte offset near the middle of `s`, just after a space.
fn mid(s: &str) -> usize {
    at_fraction(s, 1, 2)
}

/// A synthetic page map for [`bulletin`]: two front-matter pages, then pages that begin
/// at titles, in the middle of long paragraphs (twice in one), in a caption, in a list
/// item and in an article's byline.
fn bulletin_page_map(p: &Publication) -> PageMap {
    let at = |article, part, offset| TextAnchor::Article {
        article,
        part,
        offset,
    };
    let a0 = &p.articles[0];
    let text = |a: &Article, b: usize| match &a.blocks[b] {
        Block::Paragraph { text } => text.to_plain(),
        _ => panic!("block {b} is not a paragraph"),
    };
    let long = text(a0, 6);
    let (q1, q3) = (at_fraction(&long, 1, 4), at_fraction(&long, 3, 4));
    let mut pages = vec![
        ("i", TextAnchor::FrontMatter),
        ("ii", TextAnchor::FrontMatter),
    ];
    pages.extend([
        ("1", at(0, ArticlePart::Title, 0)),
        ("2", at(0, ArticlePart::Block(2), mid(&text(a0, 2)))),
        ("3", at(0, ArticlePart::Block(6), q1)),
        ("4", at(0, ArticlePart::Block(6), q3)),
        ("5", at(0, ArticlePart::Caption(7), 4)),
        ("6", at(0, ArticlePart::Item(10, 1), 0)),
        ("7", at(0, ArticlePart::Block(14), mid(&text(a0, 14)))),
        ("8", at(1, ArticlePart::Title, 0)),
        (
            "9",
            at(1, ArticlePart::Block(1), mid(&text(&p.articles[1], 1))),
        ),
        ("10", at(1, ArticlePart::Item(2, 2), 0)),
        ("11", at(2, ArticlePart::Meta, 0)),
        ("12", at(2, ArticlePart::Block(2), 10)),
    ]);
    PageMap {
        source: "anpham large-print PDF edition, A5, 18 pt body".into(),
        pages: pages
            .into_iter()
            .map(|(label, anchor)| PageStart {
                label: label.into(),
                anchor,
            })
            .collect(),
    }
}

/// Text full of markup characters, in every field that reaches XML.
fn hostile() -> Publication {
    let nasty = r#"<script>alert("x")</script> & 'quotes' ]]> <![CDATA[ x ]]> &amp; <b>"#;
    let a = Article {
        lang: Some("vi".into()),
        title: format!("Tiêu đề {nasty}"),
        date: Some("2022-11-10".into()),
        author: Some(format!("Tác giả {nasty}")),
        lead: Some(Text::plain(format!("Sapo {nasty}"))),
        slug: None,
        source_url: Some("https://example.com/a?b=1&c=<2>".into()),
        blocks: vec![
            para(&format!("Đoạn văn {nasty}")),
            Block::Heading {
                level: anpham::model::HeadingLevel::H2,
                text: Text::plain(format!("Đề mục {nasty}")),
            },
            Block::Figure(Figure {
                src: "x.png".into(),
                alt: Some(format!("Ảnh {nasty}")),
                caption: Some(Text::plain(format!("Chú thích {nasty}"))),
                credit: Some(format!("Ảnh: {nasty}")),
                decorative: false,
                image: Some(image(4)),
            }),
            Block::Quote {
                text: Text::plain(format!("Trích dẫn {nasty}")),
                attribution: Some(format!("Người nói {nasty}")),
            },
            Block::List {
                ordered: false,
                items: vec![Text::plain(format!("Mục {nasty}"))],
            },
            Block::Paragraph {
                text: Text {
                    spans: vec![
                        Span {
                            href: Some("https://example.com/?q=\"a\"&r='b'".into()),
                            ..span("liên kết <a>")
                        },
                        Span {
                            lang: Some("en".into()),
                            ..span(" English & <i>")
                        },
                    ],
                },
            },
        ],
        origin: None,
    };
    let mut p = Publication::single(a);
    p.publisher = Some(format!("NXB {nasty}"));
    p.description = Some(format!("Mô tả {nasty}"));
    p
}

fn english() -> Publication {
    let a = Article {
        lang: Some("en".into()),
        title: "Bac Kan hosts a conference on Party building".into(),
        date: Some("2022-11-10".into()),
        author: Some("Huong Diu".into()),
        lead: Some(Text::plain(
            "The Provincial Party Committee reviewed its work and heard proposals.",
        )),
        slug: None,
        source_url: None,
        blocks: vec![
            figure(
                "Delegates in the conference hall",
                "The conference",
                Some("Photo: Huong Diu"),
                5,
            ),
            para(
                "On 10 November the Provincial Party Committee held a conference. Delegates discussed the province's record.",
            ),
            Block::Paragraph {
                text: Text {
                    spans: vec![
                        span("The theme, in Vietnamese, was "),
                        Span {
                            lang: Some("vi".into()),
                            emphasis: true,
                            ..span("xây dựng, chỉnh đốn Đảng")
                        },
                        span("."),
                    ],
                },
            },
        ],
        origin: None,
    };
    Publication::single(a)
}

/// The seed article read through the JSON loader from NFD text, images on disk.
fn nfd_publication(dir: &Path) -> Publication {
    use unicode_normalization::UnicodeNormalization;
    std::fs::write(dir.join("a.png"), png(40, 30, 7)).unwrap();
    std::fs::write(dir.join("b.png"), png(40, 30, 8)).unwrap();
    let json = serde_json::json!({
        "lang": "vi",
        "title": SEED[0],
        "date": "2022-11-10",
        "author": SEED[13],
        "lead": SEED[1],
        "blocks": [
            {"type": "figure", "src": "a.png", "alt": "Toàn cảnh hội trường", "caption": SEED[2]},
            {"type": "paragraph", "text": SEED[3]},
            {"type": "heading", "level": 2, "text": "Giải pháp"},
            {"type": "paragraph", "text": SEED[4]},
            {"type": "figure", "src": "b.png", "alt": "Đại biểu phát biểu", "caption": SEED[8]},
        ]
    })
    .to_string();
    let nfd: String = json.nfd().collect();
    assert_ne!(nfd, json, "the fixture really is decomposed");
    let path = dir.join("bai.json");
    std::fs::write(&path, &nfd).unwrap();
    let article = anpham::input::load_article_file(&path).unwrap();
    Publication::single(article)
}

fn options(scale: FontScale) -> EpubOptions {
    let mut o = EpubOptions::new(scale);
    o.modified = Timestamp::from_date("2022-11-10");
    o
}

// ---------------------------------------------------------------- the checker

/// Runs `check-epub` and returns its summary, or `None` (after saying SKIPPED) when the
/// checkers are not installed outside CI. In CI a missing checker fails the test.
fn check_epub(file: &Path, ace: bool) -> Option<serde_json::Value> {
    let tool = crate::common::checkers_dir()?.join("check-epub");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = |why: &str| {
        crate::common::skip::<()>(&format!("check-epub cannot run ({why})"));
        None
    };
    if !tool.is_file() {
        return missing(&format!("{} not found", tool.display()));
    }
    if !java {
        return missing("java not found");
    }
    let mut cmd = Command::new("python3");
    cmd.arg(&tool);
    if !ace {
        cmd.arg("--no-ace");
    }
    let out = cmd.arg(file).output().expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(3) {
        return missing("EPUBCheck could not be run");
    }
    assert!(
        out.status.success(),
        "check-epub failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .expect("a JSON summary line");
    eprintln!("{stdout}");
    Some(serde_json::from_str(last).expect("valid JSON"))
}

/// Writes `p` to `dir/name.epub`, runs the checkers and asserts a clean result.
fn assert_clean(dir: &Path, name: &str, p: &Publication, o: &EpubOptions, ace: bool) -> Vec<u8> {
    let bytes = write_epub(p, o).unwrap();
    let file = dir.join(format!("{name}.epub"));
    std::fs::write(&file, &bytes).unwrap();
    if let Some(s) = check_epub(&file, ace) {
        println!("{name}: {s}");
        crate::common::assert_epub_clean(&s, name, ace);
    }
    bytes
}

/// A temporary folder for the books of one test; with `ANPHAM_KEEP_EPUBS=DIR` they are
/// written under DIR instead and kept, to be inspected.
fn out_dir(name: &str) -> tempfile::TempDir {
    let prefix = format!("anpham-epub-{name}-");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix);
    match std::env::var_os("ANPHAM_KEEP_EPUBS") {
        Some(dir) => {
            std::fs::create_dir_all(&dir).unwrap();
            b.disable_cleanup(true);
            b.tempdir_in(dir).unwrap()
        }
        None => b.tempdir().unwrap(),
    }
}

// ---------------------------------------------------------------- reading EPUBs back

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_string(), data)
        })
        .collect()
}

fn entry(bytes: &[u8], name: &str) -> String {
    let e = entries(bytes);
    let (_, d) = e
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} missing"));
    String::from_utf8(d.clone()).unwrap()
}

// ---------------------------------------------------------------- conformance

#[test]
fn single_vietnamese_article_at_four_scales() {
    let dir = out_dir("scales");
    let p = seed_publication();
    for step in [-2, 0, 3, 6] {
        // Ace (slow) at +3, EPUBCheck everywhere.
        assert_clean(
            dir.path(),
            &format!("seed-step{step:+}"),
            &p,
            &options(FontScale::step(step)),
            step == 3,
        );
    }
}

#[test]
fn bulletin_with_page_map() {
    let dir = out_dir("bulletin");
    let p = bulletin();
    let mut o = options(FontScale::LARGE);
    o.page_map = Some(bulletin_page_map(&p));
    let bytes = assert_clean(dir.path(), "bulletin", &p, &o, true);
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(opf.contains("<meta property=\"pageBreakSource\">anpham large-print PDF edition"));
    assert!(opf.contains(">printPageNumbers<") && opf.contains(">pageNavigation<"));
    let nav = entry(&bytes, "EPUB/nav.xhtml");
    assert_eq!(nav.matches("#page-").count(), 14, "{nav}");
    // Front matter on the title page; pages 3 and 4 inside the same paragraph, in order.
    let title = entry(&bytes, "EPUB/title.xhtml");
    assert!(title.contains("id=\"page-i\"") && title.contains("id=\"page-ii\""));
    let a1 = entry(&bytes, "EPUB/article-001.xhtml");
    let p3 = a1.find("id=\"page-3\"").unwrap();
    let p4 = a1.find("id=\"page-4\"").unwrap();
    assert!(p3 < p4);
    let between = &a1[p3..p4];
    assert!(
        !between.contains("<p>") && !between.contains("</p>"),
        "pages 3 and 4 start in one paragraph"
    );
}

#[test]
fn nfd_input() {
    let dir = out_dir("nfd");
    let p = nfd_publication(dir.path());
    let bytes = assert_clean(dir.path(), "nfd", &p, &options(FontScale::STANDARD), false);
    let doc = entry(&bytes, "EPUB/article-001.xhtml");
    use unicode_normalization::UnicodeNormalization;
    assert!(doc.contains(SEED[3]), "NFC text in the content document");
    assert_eq!(doc.nfc().collect::<String>(), doc);
}

#[test]
fn markup_characters_are_escaped() {
    let dir = out_dir("hostile");
    let p = hostile();
    let bytes = assert_clean(
        dir.path(),
        "hostile",
        &p,
        &options(FontScale::STANDARD),
        true,
    );
    for (name, data) in entries(&bytes) {
        if name.ends_with(".xhtml") || name.ends_with(".opf") {
            let s = String::from_utf8(data).unwrap();
            assert!(!s.contains("<script"), "{name}");
            assert!(!s.contains("]]>"), "{name}");
        }
    }
}

#[test]
fn english_article() {
    let dir = out_dir("english");
    let bytes = assert_clean(
        dir.path(),
        "english",
        &english(),
        &options(FontScale::STANDARD),
        false,
    );
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(opf.contains("xml:lang=\"en\""));
    assert!(opf.contains("<meta property=\"schema:accessibilitySummary\">This publication"));
    let doc = entry(&bytes, "EPUB/article-001.xhtml");
    assert!(
        doc.contains("<span lang=\"vi\" xml:lang=\"vi\"><em>xây dựng, chỉnh đốn Đảng</em></span>")
    );
    assert!(doc.contains("<time datetime=\"2022-11-10\">10 November 2022</time>"));
}

/// A bundled example (`examples/…`), loaded as the CLI loads it.
fn example(path: &str) -> Publication {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(path);
    anpham::input::load_publication(&[p]).unwrap().0
}

#[test]
fn bundled_examples() {
    let dir = out_dir("examples");
    // The Bắc Kạn example at +3 under Ace; the others under EPUBCheck.
    assert_clean(
        dir.path(),
        "bac-kan-large",
        &example("bac-kan/bac-kan.md"),
        &options(FontScale::LARGE),
        true,
    );
    for (name, path) in [
        ("english", "english/english.json"),
        ("nfd", "nfd/nfd.toml"),
        ("escaping", "escaping/escaping.json"),
        ("long-token", "long-token/long-token.json"),
    ] {
        assert_clean(
            dir.path(),
            name,
            &example(path),
            &options(FontScale::STANDARD),
            false,
        );
    }
}

#[test]
fn bulletin_with_the_page_map_of_its_pdf_edition() {
    let dir = out_dir("pdf-pages");
    let p = example("bulletin.toml");
    let scale = FontScale::LARGE;
    let pdf = anpham::internals::print_edition(
        &anpham::prepare(p.clone()).unwrap(),
        &anpham::internals::PdfOptions::new(scale),
    )
    .unwrap()
    .pdf;
    assert!(pdf.page_map.pages.len() > p.articles.len());
    let mut o = options(scale);
    o.page_map = Some(pdf.page_map.clone());
    let bytes = assert_clean(dir.path(), "bulletin-pdf-pages", &p, &o, true);
    // Every page of the PDF has exactly one marker and one page-list entry.
    let nav = entry(&bytes, "EPUB/nav.xhtml");
    let markers: usize = entries(&bytes)
        .iter()
        .filter(|(n, _)| n.ends_with(".xhtml") && !n.ends_with("nav.xhtml"))
        .map(|(_, d)| {
            String::from_utf8_lossy(d)
                .matches("role=\"doc-pagebreak\"")
                .count()
        })
        .sum();
    assert_eq!(markers, pdf.pages);
    assert_eq!(
        nav.matches("<li><a href=").count() - p.articles.len(),
        pdf.pages,
        "{nav}"
    );
}

// ---------------------------------------------------------------- properties

#[test]
fn builds_are_byte_identical() {
    let p = bulletin();
    let mut o = options(FontScale::STANDARD);
    o.page_map = Some(bulletin_page_map(&p));
    assert_eq!(write_epub(&p, &o).unwrap(), write_epub(&p, &o).unwrap());
}

#[test]
fn identifier_is_stable_and_follows_the_content() {
    let id = |p: &Publication| {
        let opf = entry(
            &write_epub(p, &options(FontScale::STANDARD)).unwrap(),
            "EPUB/package.opf",
        );
        let s = opf.find("<dc:identifier id=\"pub-id\">").unwrap() + 27;
        opf[s..s + opf[s..].find('<').unwrap()].to_string()
    };
    let a = seed_publication();
    let mut b = seed_publication();
    assert_eq!(id(&a), id(&b));
    assert!(id(&a).starts_with("urn:uuid:"));
    b.title.push('!');
    assert_ne!(id(&a), id(&b));
    b.identifier = Some("urn:isbn:9786040000000".into());
    assert_eq!(id(&b), "urn:isbn:9786040000000");
}

#[test]
fn no_page_claims_without_a_page_map() {
    let bytes = write_epub(&seed_publication(), &options(FontScale::STANDARD)).unwrap();
    let opf = entry(&bytes, "EPUB/package.opf");
    assert!(
        !opf.contains("printPageNumbers")
            && !opf.contains("pageNavigation")
            && !opf.contains("pageBreakSource")
    );
    assert!(!entry(&bytes, "EPUB/nav.xhtml").contains("page-list"));
    assert!(!entry(&bytes, "EPUB/article-001.xhtml").contains("doc-pagebreak"));
}

#[test]
fn accessibility_metadata_follows_the_content() {
    let opf = |p: &Publication, scale| {
        entry(&write_epub(p, &options(scale)).unwrap(), "EPUB/package.opf")
    };
    let with_images = opf(&seed_publication(), FontScale::LARGE);
    for v in [
        "schema:accessMode\">textual<",
        "schema:accessMode\">visual<",
        "schema:accessModeSufficient\">textual<",
        "schema:accessModeSufficient\">textual,visual<",
        "schema:accessibilityFeature\">alternativeText<",
        "schema:accessibilityFeature\">largePrint<",
        "schema:accessibilityHazard\">none<",
        "dcterms:conformsTo\" id=\"conformance\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA<",
        "a11y:certifiedBy\" refines=\"#conformance\">Cổng Thông tin điện tử tỉnh Bắc Kạn<",
        "schema:accessibilitySummary\">Ấn phẩm này",
    ] {
        assert!(with_images.contains(v), "{v}");
    }
    let text_only = opf(
        &Publication::single(Article {
            blocks: vec![para("Một đoạn.")],
            ..seed_article()
        }),
        FontScale::STANDARD,
    );
    assert!(
        !text_only.contains(">visual<")
            && !text_only.contains("alternativeText")
            && !text_only.contains("largePrint")
    );
    assert!(text_only.contains("a11y:certifiedBy\" refines=\"#conformance\">anpham<"));
    // Another language: the English summary, marked as English.
    let mut fr = english();
    fr.lang = "fr".into();
    fr.articles[0].lang = Some("fr".into());
    assert!(
        opf(&fr, FontScale::STANDARD)
            .contains("schema:accessibilitySummary\" xml:lang=\"en\">This publication")
    );
}

#[test]
fn large_print_has_no_italic_faces_and_a_sans_font() {
    let bytes = write_epub(&seed_publication(), &options(FontScale::LARGE)).unwrap();
    let names: Vec<String> = entries(&bytes).into_iter().map(|(n, _)| n).collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("be-vietnam-pro-regular.ttf")),
        "{names:?}"
    );
    assert!(!names.iter().any(|n| n.contains("italic")), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("META-INF/fonts/") && n.ends_with("LICENSE.txt")),
        "{names:?}"
    );
    let css = entry(&bytes, "EPUB/css/anpham.css");
    assert!(css.contains("font-size: 137.5%") && css.contains("sans-serif"));
    let std = write_epub(&seed_publication(), &options(FontScale::STANDARD)).unwrap();
    let names: Vec<String> = entries(&std).into_iter().map(|(n, _)| n).collect();
    assert!(
        names.iter().any(|n| n.contains("noto-serif-italic.ttf")),
        "{names:?}"
    );
}

#[test]
fn fonts_are_subset() {
    let bytes = write_epub(&seed_publication(), &options(FontScale::LARGE)).unwrap();
    for (name, data) in entries(&bytes) {
        if name.ends_with(".ttf") {
            assert!(data.len() < 60_000, "{name}: {} bytes", data.len());
        }
    }
    assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
}

// ---------------------------------------------------------------- snapshots

fn small_publication() -> Publication {
    Publication {
        title: "Bản tin nhỏ".into(),
        lang: "vi".into(),
        publisher: Some("Báo Mẫu".into()),
        date: Some("2022-11-10".into()),
        identifier: Some("urn:uuid:00000000-0000-4000-8000-000000000000".into()),
        description: Some("Hai bài ngắn".into()),
        articles: vec![
            Article {
                lang: None,
                title: "Bài một".into(),
                date: Some("2022-11-10".into()),
                author: Some("Hương Dịu".into()),
                lead: Some(Text::plain("Sapo của bài một.")),
                slug: None,
                source_url: Some("https://example.com/bai-mot".into()),
                blocks: vec![
                    para("Đoạn thứ nhất của bài, khá dài để có trang mới ở giữa."),
                    Block::Heading {
                        level: anpham::model::HeadingLevel::H2,
                        text: Text::plain("Đề mục"),
                    },
                    figure("Ảnh hội trường", "Chú thích", Some("Ảnh: TTXVN"), 1),
                    Block::Quote {
                        text: Text::plain("Câu trích dẫn."),
                        attribution: Some("Người nói".into()),
                    },
                    Block::List {
                        ordered: false,
                        items: vec![Text::plain("Mục một"), Text::plain("Mục hai")],
                    },
                ],
                origin: None,
            },
            Article {
                lang: Some("en".into()),
                title: "Article two".into(),
                date: None,
                author: None,
                lead: None,
                slug: None,
                source_url: None,
                blocks: vec![para("A short English article.")],
                origin: None,
            },
        ],
    }
}

fn small_options() -> EpubOptions {
    let p = small_publication();
    let at = |article, part, offset| TextAnchor::Article {
        article,
        part,
        offset,
    };
    let mut o = options(FontScale::LARGE);
    o.certified_by = Some("Phòng kiểm định".into());
    o.page_map = Some(PageMap {
        source: "anpham PDF, A5".into(),
        pages: [
            ("i", TextAnchor::FrontMatter),
            ("1", at(0, ArticlePart::Title, 0)),
            (
                "2",
                at(
                    0,
                    ArticlePart::Block(0),
                    mid(&p.articles[0]
                        .blocks
                        .first()
                        .map(|b| match b {
                            Block::Paragraph { text } => text.to_plain(),
                            _ => String::new(),
                        })
                        .unwrap()),
                ),
            ),
            ("3", at(0, ArticlePart::Block(2), 0)),
            ("4", at(1, ArticlePart::Title, 0)),
        ]
        .into_iter()
        .map(|(label, anchor)| PageStart {
            label: label.into(),
            anchor,
        })
        .collect(),
    });
    o
}

#[test]
fn snapshot_package_document() {
    let bytes = write_epub(&small_publication(), &small_options()).unwrap();
    insta::assert_snapshot!("package_opf", entry(&bytes, "EPUB/package.opf"));
}

#[test]
fn snapshot_navigation_document() {
    let bytes = write_epub(&small_publication(), &small_options()).unwrap();
    insta::assert_snapshot!("nav_xhtml", entry(&bytes, "EPUB/nav.xhtml"));
}

#[test]
fn snapshot_content_document() {
    let bytes = write_epub(&small_publication(), &small_options()).unwrap();
    insta::assert_snapshot!("article_001_xhtml", entry(&bytes, "EPUB/article-001.xhtml"));
}

/// The seed article (`shared/seed/article-bac-kan.txt`) without the portal's furniture:
/// title, lead, caption, paragraphs …, author.
const SEED: [&str; 14] = [
    "Hội thảo khoa học “Thực trạng, giải pháp về xây dựng, chỉnh đốn Đảng và hệ thống chính trị trên địa bàn tỉnh Bắc Kạn”",
    "Sáng 10/11, Tỉnh ủy tổ chức Hội thảo khoa học “Thực trạng, giải pháp về xây dựng, chỉnh đốn Đảng và hệ thống chính trị trên địa bàn tỉnh Bắc Kạn”. Các đồng chí: Phương Thị Thanh - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh; Hoàng Lục Do - Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Tỉnh ủy chủ trì Hội thảo.",
    "Toàn cảnh Hội thảo",
    "Báo cáo về thực trạng công tác xây dựng Đảng và hệ thống chính trị trên địa bàn tỉnh, đồng chí Hoàng Lục Do - Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Tỉnh ủy cho biết, thực hiện nghị quyết, kết luận của Trung ương về xây dựng, chỉnh đốn Đảng và hệ thống chính trị, những năm qua, các cấp ủy, tổ chức đảng đã thực hiện tốt công tác tuyên truyển, phổ biến, quán triệt, triển khai thực hiện, đồng thời tích cực nghiên cứu xây dựng, ban hành nhiều văn bản cụ thể để tổ chức thực hiện.",
    "Các cấp ủy, tổ chức đảng lãnh đạo, chỉ đạo thực hiện hiệu quả công tác sắp xếp tổ chức bộ máy và công tác cán bộ. Kịp thời lãnh đạo, chỉ đạo các cấp ủy rà soát, sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả. Lãnh đạo thực hiện đồng bộ, có hiệu quả các khâu trong công tác cán bộ; công tác quy hoạch, đào tạo bồi dưỡng; công tác giới thiệu ứng cử, bổ nhiệm, miễn nhiệm được thực hiện kịp thời, nghiêm túc, đảm bảo đúng quy trình, quy định. Việc bổ nhiệm cán bộ bằng hình thức cạnh tranh, có số dư thông qua sát hạch được thực hiện có hiệu quả, góp phần đảm bảo sự công bằng, công khai, minh bạch, khách quan, dân chủ trong công tác cán bộ.",
    "Công tác kiểm tra, giám sát; phòng chống tham nhũng, tiêu cực được các cấp ủy, tổ chức đảng triển khai thực hiện nghiêm túc, hiệu quả, làm trong sạch nội bộ Đảng, đồng thời răn đe, cảnh tỉnh, cảnh báo đối với những cán bộ, đảng viên khác trong toàn đảng bộ.",
    "Công tác dân vận có nhiều đổi mới, sáng tạo, góp phần đưa đường lối, chủ trương, chính sách của Đảng, pháp luật của Nhà nước vào cuộc sống; giữ vững ổn định chính trị - xã hội, nhất là ở vùng đồng bào dân tộc thiểu số, vùng đồng bào có đạo, góp phần thúc đẩy kinh tế - xã hội phát triển, nâng cao đời sống Nhân dân, quốc phòng - an ninh được giữ vững và tăng cường.",
    "Bên cạnh những kết quả đạt được, công tác xây dựng, chỉnh đốn Đảng và hệ thống chính trị trên địa bàn tỉnh vẫn còn một số hạn chế nhất định. Công tác tuyên truyền, giáo dục tư tưởng chính trị, đạo đức, lối sống ở một số tổ chức đảng chưa thật sự được coi trọng. Việc nhận diện những biểu hiện suy thoái về tư tưởng chính trị, đạo đức, lối sống, tự diễn biến, tự chuyển hóa của một số đơn vị còn chung chung. Việc nêu gương của một số cán bộ, đảng viên lãnh đạo, quản lý nhất là người đứng đầu chưa rõ nét, chưa có sức lan tỏa. Việc sửa chữa, khắc phục những khuyết điểm, hạn chế đã được chỉ ra của một số tập thể, cá nhân còn chậm. Công tác kiểm điểm, đánh giá xếp loại tổ chức đảng, đảng viên có nơi thực hiện chưa nghiêm túc, chưa sát với thực tế. Chất lượng hoạt động của một số tổ chức cơ sở đảng chưa đáp ứng được yêu cầu…",
    "Đ/c Lèng Văn Tý - Nguyên Ủy viên Ban Thường vụ, Trưởng Ban Tuyên Giáo Tỉnh ủy tham luận tại Hội thảo",
    "Hội thảo đã nhận được nhiều ý kiến tham luận tâm huyết, trách nhiệm nhằm nâng cao chất lượng xây dựng, chỉnh đốn Đảng và hệ thống chính trị trên địa bàn tỉnh. Các tham luận sau khi thẳng thắn chỉ rõ những hạn chế và nguyên nhân trong xây dựng, chỉnh đốn Đảng và hệ thống chính trị của tỉnh thời gian qua đã tập trung đề xuất những giải pháp về: Nâng cao chất lượng công tác chính trị tư tưởng cho cán bộ, đảng viên; khắc phục tình trạng suy thoái về tư tưởng chính trị, đạo đức lối sống trong một bộ phận cán bộ đảng viên; tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch; nâng cao chất lượng sinh hoạt chi bộ; công tác phát triển đảng viên đảm bảo về chất lượng và số lượng; nâng cao chất lượng đội ngũ cán bộ lãnh đạo, quản lý của tỉnh; nâng cao hiệu quả công tác giáo dục chủ nghĩa Mác-Lênin, tư tưởng Hồ Chí Minh cho đội ngũ cán bộ, đảng viên; nâng cao hiệu quả công tác kiểm tra, giám sát của ủy ban kiểm tra các cấp...",
    "Đ/c Phương Thị Thanh - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu tại Hội thảo",
    "Phát biểu tại Hội thảo, đồng chí Phương Thị Thanh - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh tiếp thu các ý kiến tham luận và nhấn mạnh, đây là tài liệu quý cho Ban Thường vụ Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh và cấp ủy các cấp trong công tác lãnh đạo, chỉ đạo trong thời gian tới.",
    "Đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị, thời gian tiếp theo, các cấp ủy chú trọng công tác tuyên truyền, quán triệt, triển khai và thực hiện nghiêm túc hệ thống văn bản chỉ đạo của Trung ương, của tỉnh về xây dựng, chỉnh đốn Đảng và hệ thống chính trị. Làm tốt công tác giáo dục chính trị tư tưởng, đạo đức lối sống cho đội ngũ cán bộ, đảng viên. Tạo được ý chí, khát vọng của cán bộ, đảng viên và lan tỏa đến Nhân dân trong xây dựng tỉnh Bắc Kạn phát triển nhanh và bền vững. Củng cố, kiện toàn, nâng cao chất lượng hoạt động của tổ chức Đảng và hệ thống chính trị, nâng cao chất lượng đội ngũ cán bộ, đảng viên, nhất là người đứng đầu, làm tốt các khâu trong công tác cán bộ. Tiếp tục đổi mới phương thức lãnh đạo của Đảng, vừa đảm bảo sự lãnh đạo toàn diện của Đảng, vừa phát huy được hiệu lực, hiệu quả điều hành của các cấp chính quyền địa phương. Tiếp tục lãnh đạo đổi mới phương thức hoạt động của Mặt trận Tổ quốc và các tổ chức đoàn thể; phát huy vai trò giám sát cán bộ, đảng viên và hoạt động của các cấp chính quyền đi vào thực chất, hiệu quả…/.",
    "Hương Dịu",
];
