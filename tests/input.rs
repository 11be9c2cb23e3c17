//! Integration tests of the input layer (`anpham::input`, `anpham::validate`): the bundled
//! examples load, every input format gives the same model, NFD becomes NFC, the image
//! checks catch every cut. Each refused input and its exact message is a case of
//! `tests/refusals/` (run by `tests/refusals.rs`).

use std::fs;
use std::path::{Path, PathBuf};

use anpham::input;
use anpham::internals as validate;
use anpham::model::{Article, Block, ImageFormat, Publication};
use tempfile::TempDir;
use unicode_normalization::UnicodeNormalization;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(p: &str) -> PathBuf {
    root().join("tests/fixtures").join(p)
}

/// Loads one input as the CLI would.
fn load(path: &Path) -> Result<Publication, String> {
    input::load_publication(&[path.to_path_buf()])
        .map(|(p, _)| p)
        .map_err(|e| e.to_string())
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, contents).unwrap();
    p
}

/// An article JSON with the given blocks (a JSON array's inside).
fn article_json(blocks: &str) -> String {
    format!(r#"{{"title": "Tiêu đề", "lang": "vi", "blocks": [{blocks}]}}"#)
}

// ---------------------------------------------------------------------------------------
// The bundled examples

const EXAMPLES: [&str; 5] = [
    "examples/bac-kan/bac-kan.md",
    "examples/english/english.json",
    "examples/nfd/nfd.toml",
    "examples/escaping/escaping.json",
    "examples/long-token/long-token.json",
];

#[test]
fn every_example_loads() {
    for p in EXAMPLES {
        let r = load(&root().join(p));
        assert!(r.is_ok(), "{p}: {}", r.unwrap_err());
        assert_eq!(r.unwrap().articles.len(), 1, "{p}");
    }
}

#[test]
fn the_bulletin_manifest_lists_every_example() {
    let (p, m) = input::load_publication(&[root().join("examples/bulletin.toml")])
        .unwrap_or_else(|e| panic!("{e}"));
    let m = m.expect("a manifest");
    assert_eq!(p.title, "Bản tin tuần");
    assert_eq!(
        p.publisher.as_deref(),
        Some("Cổng Thông tin điện tử tỉnh Bắc Kạn")
    );
    assert_eq!(p.lang, "vi");
    assert!(p.date.is_some() && p.description.is_some());
    let slugs: Vec<_> = p.articles.iter().map(|a| a.slug.clone().unwrap()).collect();
    assert_eq!(
        slugs,
        ["bac-kan", "english", "nfd", "escaping", "long-token"]
    );
    // Its `[editions]` table: `input::manifest::tests::the_example_bulletin_asks_for_its_editions`.
    assert!(m.path.ends_with("bulletin.toml"));
    assert!(p.is_bulletin());
}

/// The lines of the portal's text dump that are article text: everything but the portal
/// chrome, the date line and the byline (which become front matter).
fn seed_text_lines() -> Vec<String> {
    let seed = fs::read_to_string(fixture("seed/article-bac-kan.txt")).unwrap();
    let chrome = [
        "PublishingPortal - Block_BanTin_Toolbar",
        "PublishingPortal - Block_BanTin_ViewData",
        "Tăng cỡ chữ Giảm cỡ chữ",
        "10/11/2022",
        "Hương Dịu",
    ];
    seed.lines()
        .map(|l| l.trim_matches([' ', '\u{a0}']).to_string())
        .filter(|l| !l.is_empty() && !chrome.contains(&l.as_str()))
        .collect()
}

#[test]
fn bac_kan_keeps_the_seed_text_exactly() {
    let p = load(&root().join("examples/bac-kan/bac-kan.md")).unwrap();
    let a = &p.articles[0];
    assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
    assert_eq!(a.date.as_deref(), Some("2022-11-10"));
    assert_eq!(a.lang.as_deref(), Some("vi"));
    assert_eq!(a.slug.as_deref(), Some("bac-kan"));
    // Title, lead, then the body with the three captions at their places: the same lines,
    // in the same order, as the portal's page.
    let got: Vec<String> = p.reading_text().lines().map(str::to_string).collect();
    assert_eq!(got, seed_text_lines());
    assert!(p.reading_text().nfc().eq(p.reading_text().chars()), "NFC");
    // Three figures: drawings that say they stand in for the photos, at most 60 KB.
    let figures = figures(&p);
    assert_eq!(figures.len(), 3);
    for f in &figures {
        let alt = f.alt.as_deref().unwrap();
        assert!(
            alt.starts_with("Hình vẽ minh họa thay cho ảnh gốc: "),
            "{alt}"
        );
        let img = f.image.as_ref().unwrap();
        assert_eq!((img.width, img.height), (800, 533));
        let bytes = img.bytes().unwrap().len();
        assert!(bytes < 60_000, "{}: {bytes} bytes", f.src);
    }
    assert!(
        figures
            .iter()
            .any(|f| f.image.as_ref().unwrap().format == ImageFormat::Jpeg)
    );
    assert!(
        figures
            .iter()
            .any(|f| f.image.as_ref().unwrap().format == ImageFormat::Png)
    );
    assert!(
        matches!(a.blocks[0], Block::Figure(_)),
        "the overview photo opens the body"
    );
}

#[test]
fn english_example_exercises_every_block_and_span() {
    let p = load(&root().join("examples/english/english.json")).unwrap();
    let a = &p.articles[0];
    assert_eq!(p.lang, "en");
    let has = |f: &dyn Fn(&Block) -> bool| a.blocks.iter().any(f);
    assert!(has(&|b| matches!(b, Block::Heading { .. })));
    assert!(has(&|b| matches!(
        b,
        Block::Quote {
            attribution: Some(_),
            ..
        }
    )));
    assert!(has(&|b| matches!(b, Block::List { .. })));
    assert!(has(
        &|b| matches!(b, Block::Figure(f) if f.credit.is_some() && f.image.is_some())
    ));
    let spans: Vec<_> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(text.spans.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(spans.iter().any(|s| s.emphasis));
    assert!(spans.iter().any(|s| s.strong));
    assert!(spans.iter().any(|s| s.href.is_some()));
    assert!(spans.iter().any(|s| s.lang.as_deref() == Some("vi")));
    let paragraphs = a
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Paragraph { .. }))
        .count();
    assert!(paragraphs >= 6, "{paragraphs}");
    let long_words = p
        .reading_text()
        .split_whitespace()
        .filter(|w| w.chars().count() >= 15)
        .count();
    assert!(long_words >= 8, "{long_words} long words");
}

#[test]
fn escaping_example_keeps_markup_as_literal_text() {
    let p = load(&root().join("examples/escaping/escaping.json")).unwrap();
    let a = &p.articles[0];
    assert_eq!(
        a.title,
        "Tin <b>nóng</b> & \"đặc biệt\": ]]> <script>alert(1)</script>"
    );
    let text = p.reading_text();
    for s in [
        "<script>alert(1)</script>",
        "]]>",
        "&amp;",
        "&lt;script&gt;",
        "a < b && b > c",
        "\\",
        "'nháy đơn'",
        "<!-- -->",
    ] {
        assert!(text.contains(s), "{s:?} lost");
    }
    let fig = figures(&p)[0];
    assert!(fig.alt.as_deref().unwrap().contains("<thẻ> & ]]>"));
}

#[test]
fn long_token_example_has_175_characters_without_a_break_opportunity() {
    let p = load(&root().join("examples/long-token/long-token.json")).unwrap();
    let a = &p.articles[0];
    let Block::Paragraph { text } = &a.blocks[1] else {
        panic!("{:?}", a.blocks[1])
    };
    let token = text.to_plain();
    assert_eq!(token.chars().count(), 175);
    // The only break opportunity UAX #14 gives is the mandatory one at the end.
    let breaks: Vec<_> = unicode_linebreak::linebreaks(&token).collect();
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    assert_eq!(breaks[0].0, token.len());
    let Block::Paragraph { text } = &a.blocks[2] else {
        panic!()
    };
    assert!(
        text.to_plain().contains(&token),
        "the token also sits inside a sentence"
    );
}

// ---------------------------------------------------------------------------------------
// Formats and normalisation

#[test]
fn every_format_gives_the_same_article() {
    let load_one = |name: &str| -> Article {
        let mut a = input::load_article_file(&fixture(&format!("same/{name}")))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(a.origin.as_ref().unwrap().file.ends_with(name));
        a.origin = None;
        a
    };
    let json = load_one("article.json");
    let toml = load_one("article.toml");
    let md = load_one("article.md");
    assert_eq!(json, toml, "JSON and TOML differ");
    assert_eq!(json, md, "JSON and Markdown differ");
    // And the shared model is the one meant, not three equally wrong ones.
    assert_eq!(json.blocks.len(), 7);
    let Block::Paragraph { text } = &json.blocks[0] else {
        panic!()
    };
    assert_eq!(text.spans.len(), 9);
    let Block::Figure(f) = &json.blocks[2] else {
        panic!()
    };
    assert_eq!(f.image.as_ref().unwrap().format, ImageFormat::Png);
    assert_eq!(json.slug.as_deref(), Some("article"));
}

/// Every string in a JSON value, depth first.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The same value with every string in NFC.
fn nfc_value(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::String(s) => serde_json::Value::String(s.nfc().collect()),
        serde_json::Value::Array(a) => a.into_iter().map(nfc_value).collect(),
        serde_json::Value::Object(o) => o.into_iter().map(|(k, x)| (k, nfc_value(x))).collect(),
        x => x,
    }
}

#[test]
fn nfd_input_becomes_nfc() {
    let path = root().join("examples/nfd/nfd.toml");
    let source = fs::read_to_string(&path).unwrap();
    let raw: serde_json::Value =
        serde_json::to_value(toml::from_str::<toml::Value>(&source).unwrap()).unwrap();
    let mut raw_strings = Vec::new();
    strings(&raw, &mut raw_strings);
    assert!(
        raw_strings
            .iter()
            .any(|s| !unicode_normalization::is_nfc(s)),
        "the example must stay in NFD; it was re-saved as NFC"
    );
    let p = load(&path).unwrap();
    let loaded = serde_json::to_value(&p.articles[0]).unwrap();
    let mut loaded_strings = Vec::new();
    strings(&loaded, &mut loaded_strings);
    for s in &loaded_strings {
        assert!(unicode_normalization::is_nfc(s), "not NFC: {s:?}");
    }
    // Nothing but the normalisation changed (and the slug derived from the file name).
    let mut expected = nfc_value(raw);
    expected["slug"] = "nfd".into();
    assert_eq!(loaded, expected);
    assert!(p.articles[0].title.contains("Thư viện tỉnh"));
}

#[test]
fn white_space_is_collapsed_and_empty_paragraphs_dropped() {
    let dir = TempDir::new().unwrap();
    let f = write(
        dir.path(),
        "a.json",
        article_json(
            r#"{"type": "paragraph", "text": "  một\n\thai   ba\u00a0bốn "}, {"type": "paragraph", "text": " \n "}"#,
        ),
    );
    let p = load(&f).unwrap();
    assert_eq!(p.articles[0].blocks.len(), 1);
    assert_eq!(p.reading_text(), "Tiêu đề\nmột hai ba\u{a0}bốn\n");
}

// ---------------------------------------------------------------------------------------
// Refusals: every refused input and its exact message is a case of tests/refusals/ (run
// by tests/refusals.rs); what follows checks what is accepted and the image checks.

#[test]
fn decorative_figure_needs_no_alt() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join("img")).unwrap();
    fs::copy(fixture("same/img/hills.png"), dir.path().join("img/x.png")).unwrap();
    let f = write(
        dir.path(),
        "a.json",
        article_json(r#"{"type": "figure", "src": "img/x.png", "decorative": true}"#),
    );
    load(&f).unwrap();
}

// ---------------------------------------------------------------------------------------
// Images

/// A folder with `article.json` whose one figure has `src`; returns the article path.
fn figure_article(dir: &Path, src: &str) -> PathBuf {
    let json = article_json(&format!(
        r#"{{"type": "figure", "src": {}, "alt": "Một hình vẽ"}}"#,
        serde_json::to_string(src).unwrap()
    ));
    write(dir, "article/article.json", json)
}

#[test]
fn dot_dot_that_stays_inside_the_folder_is_accepted() {
    // (`..` that leaves it: tests/refusals/dots*.json.)
    let dir = TempDir::new().unwrap();
    fs::create_dir_all(dir.path().join("article/img")).unwrap();
    fs::copy(
        fixture("same/img/hills.png"),
        dir.path().join("article/img/a.png"),
    )
    .unwrap();
    let f = figure_article(dir.path(), "img/../img/a.png");
    load(&f).unwrap();
}

#[test]
fn every_cut_of_a_png_is_refused() {
    let png = fs::read(fixture("same/img/hills.png")).unwrap();
    // Every cut, down to the signature, is caught (including one that only loses IEND).
    for n in 8..png.len() {
        assert!(
            validate::check_image(png[..n].to_vec()).is_err(),
            "PNG cut at {n} of {} accepted",
            png.len()
        );
    }
    validate::check_image(png.clone()).unwrap();
    // Damaged data inside IDAT (the CRC is checked) is caught too.
    let mut bad = png.clone();
    let idat = bad.windows(4).position(|w| w == b"IDAT").unwrap();
    bad[idat + 10] ^= 0xFF;
    assert!(validate::check_image(bad).is_err());
}

#[test]
fn every_cut_of_a_jpeg_is_refused() {
    for name in ["hills.jpg", "hills-progressive.jpg", "hills-restart.jpg"] {
        let jpeg = fs::read(fixture(&format!("images/{name}"))).unwrap();
        let ok = validate::check_image(jpeg.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (ok.format, ok.width, ok.height),
            (ImageFormat::Jpeg, 64, 48)
        );
        // zune-jpeg alone fills a cut scan with grey; the EOI walk catches every cut.
        for n in 3..jpeg.len() {
            assert!(
                validate::check_image(jpeg[..n].to_vec()).is_err(),
                "{name} cut at {n} of {} accepted",
                jpeg.len()
            );
        }
        // Zero padding and data appended after EOI (some cameras do) are accepted.
        let mut padded = jpeg.clone();
        padded.extend_from_slice(&[0; 64]);
        validate::check_image(padded).unwrap();
        let mut trailer = jpeg.clone();
        trailer.extend_from_slice(b"\0\0\0\x18ftypmp42 trailing video");
        validate::check_image(trailer).unwrap();
    }
}

#[test]
fn a_png_just_over_the_side_limit_is_refused() {
    // (100000 × 100000: tests/refusals/huge-png.json.)
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend_from_slice(&16_385u32.to_be_bytes());
    png.extend_from_slice(&1u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32fast::hash(&png[12..]);
    png.extend_from_slice(&crc.to_be_bytes());
    assert!(
        validate::check_image(png)
            .unwrap_err()
            .contains("16385 × 1")
    );
}

// ---------------------------------------------------------------------------------------
// The JSON Schema

fn schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(root().join("schema/article.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(
        jsonschema::meta::is_valid(&schema),
        "the schema is not a valid JSON Schema"
    );
    jsonschema::draft202012::new(&schema).unwrap_or_else(|e| panic!("{e}"))
}

fn schema_errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

#[test]
fn examples_and_fixtures_match_the_schema() {
    let v = schema_validator();
    let mut files = Vec::new();
    for dir in ["examples", "tests/fixtures/same"] {
        files_under(&root().join(dir), "json", &mut files);
        files_under(&root().join(dir), "toml", &mut files);
    }
    assert!(files.len() >= 7, "{files:?}");
    for f in &files {
        let text = fs::read_to_string(f).unwrap();
        let doc: serde_json::Value = if f.extension().unwrap() == "json" {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
        };
        let errors = schema_errors(&v, &doc);
        assert!(errors.is_empty(), "{}:\n{}", f.display(), errors.join("\n"));
    }
}

#[test]
fn loaded_publications_serialise_to_the_schema() {
    // What anpham writes back (e.g. a Markdown article as JSON) is valid input again.
    let v = schema_validator();
    for p in EXAMPLES.iter().chain(["examples/bulletin.toml"].iter()) {
        let publication = load(&root().join(p)).unwrap();
        for a in &publication.articles {
            let doc = serde_json::to_value(a).unwrap();
            let errors = schema_errors(&v, &doc);
            assert!(errors.is_empty(), "{p}:\n{}", errors.join("\n"));
        }
        if publication.is_bulletin() {
            let doc = serde_json::to_value(&publication).unwrap();
            assert!(
                v.is_valid(&doc),
                "{p}: {}",
                schema_errors(&v, &doc).join("\n")
            );
        }
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let v = schema_validator();
    let figure = r#"{"type": "figure", "src": "a.png"}"#;
    let cases = [
        ("figure without alt", article_json(figure)),
        (
            "empty alt",
            article_json(r#"{"type": "figure", "src": "a.png", "alt": " "}"#),
        ),
        (
            "image URL",
            article_json(r#"{"type": "figure", "src": "https://x.vn/a.png", "alt": "a"}"#),
        ),
        (
            "absolute image path",
            article_json(r#"{"type": "figure", "src": "/etc/passwd", "alt": "a"}"#),
        ),
        (
            "heading level 7",
            article_json(r#"{"type": "heading", "level": 7, "text": "x"}"#),
        ),
        (
            "heading level 1",
            article_json(r#"{"type": "heading", "level": 1, "text": "x"}"#),
        ),
        (
            "paragraph with a level",
            article_json(r#"{"type": "paragraph", "level": 2, "text": "x"}"#),
        ),
        (
            "unknown block type",
            article_json(r#"{"type": "image", "src": "a.png"}"#),
        ),
        (
            "javascript link",
            article_json(
                r#"{"type": "paragraph", "text": [{"text": "x", "href": "javascript:alert(1)"}]}"#,
            ),
        ),
        (
            "span without text",
            article_json(r#"{"type": "paragraph", "text": [{"strong": true}]}"#),
        ),
        (
            "empty list",
            article_json(r#"{"type": "list", "items": []}"#),
        ),
        (
            "unknown field",
            r#"{"title": "x", "titel": "y"}"#.to_string(),
        ),
        ("no title", r#"{"blocks": []}"#.to_string()),
        ("bad slug", r#"{"title": "x", "slug": "../x"}"#.to_string()),
        (
            "bad date",
            r#"{"title": "x", "date": "10/11/2022"}"#.to_string(),
        ),
        (
            "bad language",
            r#"{"title": "x", "lang": "vietnamese"}"#.to_string(),
        ),
        (
            "bulletin without articles",
            r#"{"title": "x", "editions": {"pdf": ["large"]}}"#.to_string(),
        ),
        (
            "bad scale",
            r#"{"title": "x", "articles": ["a.json"], "editions": {"pdf": ["huge"]}}"#.to_string(),
        ),
        (
            "bad page size",
            r#"{"title": "x", "articles": ["a.json"], "editions": {"page_size": "b5"}}"#
                .to_string(),
        ),
    ];
    for (what, doc) in cases {
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert!(!v.is_valid(&doc), "the schema accepts: {what}");
    }
    let ok = [
        article_json(r#"{"type": "figure", "src": "a.png", "decorative": true}"#),
        r#"{"title": "x", "folder": "articles", "editions": {"pdf": ["-2", "+6", "19pt", "extra-large"], "page_list": "19pt"}}"#.to_string(),
        r#"{"title": "x", "articles": ["a.md", {"title": "Inline"}]}"#.to_string(),
    ];
    for doc in ok {
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert!(
            v.is_valid(&doc),
            "{doc}: {}",
            schema_errors(&v, &doc).join("\n")
        );
    }
}

#[test]
fn repair_applies_to_imported_pages_too() {
    // Without --repair the page is refused (tests/refusals/control.html); with it, each
    // control character becomes a warning with its place.
    let page = root().join("tests/refusals/control.html");
    let mut options = input::LoadOptions::default();
    options.repair = true;
    let (p, _) = input::load_prepared_with(&[page], options).unwrap();
    let warnings: Vec<String> = p.warnings().iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].ends_with("control.html: title, character 3: U+0096 (a C1 control) replaced by `–` (U+2013), the Windows-1252 character it stands for\n  hint: check the text there; fix the source to silence this warning"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("blocks[0].text, character 9: U+0008 (a control character) dropped")
    );
    assert_eq!(p.articles[0].title, "Ti–u đề");
}

/// Every figure of the publication, in reading order.
fn figures(p: &Publication) -> Vec<&anpham::model::Figure> {
    p.articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect()
}
