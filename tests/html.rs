//! The single-file HTML edition, built from the examples as a user builds it.
//!
//! Without a browser: the page is well-formed (quick-xml) and, parsed as a browser parses
//! `text/html` (scraper, html5ever), has `lang`, its landmarks, every figure with alt text,
//! caption and an embedded image, the fonts embedded, and one page marker per page of the
//! PDF edition. In a browser (`tests/browser/check.js`, Debian's chromium with axe-core
//! 4.14 from `tests/browser/node_modules`): 0 axe-core violations of the WCAG 2.2 A/AA
//! rules, every word of the articles back in order, the page markers and page list, the
//! text-size control, the page without scripts; and the EPUB's XHTML documents (page
//! markers included) also without violations. Outside CI, the browser test says SKIPPED
//! when node, chromium or `npm ci` in tests/browser is missing; in CI it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use anpham::editions::{self, EditionRequest};
use anpham::model::Block;
use anpham::{FontScale, Prepared};
use scraper::{Html, Selector};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn out_dir(name: &str) -> PathBuf {
    let d = root().join("target").join("test-out").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn load(input: &str) -> Prepared {
    anpham::input::load_prepared(&[root().join(input)])
        .unwrap()
        .0
}

/// The HTML page (standard scale) and EPUB of `p`, their page markers following the
/// large-print PDF edition, as `anpham build -f html,epub,pdf` makes them.
fn build(p: &Prepared) -> (String, Vec<u8>) {
    let mut request = EditionRequest::new();
    request
        .formats
        .push(editions::Format::named("html").unwrap());
    request.print_scales = vec![FontScale::LARGE];
    let built = editions::build(p, &request).unwrap();
    let html = built
        .iter()
        .find(|e| e.kind.format.name() == "html")
        .unwrap();
    let epub = built
        .iter()
        .find(|e| e.kind.format.name() == "epub")
        .unwrap();
    (
        String::from_utf8(html.bytes.clone()).unwrap(),
        epub.bytes.clone(),
    )
}

/// The labels of the pages of the large-print PDF edition, in order.
fn page_labels(p: &Prepared) -> Vec<String> {
    let options = anpham::internals::PdfOptions::new(FontScale::LARGE);
    let pdf = anpham::internals::print_edition(p, &options).unwrap().pdf;
    pdf.page_map.pages.iter().map(|s| s.label.clone()).collect()
}

/// The words of the publication a reader must find in the page, in reading order: the
/// bulletin's title and description, then each article's title, author, lead, blocks
/// (quotes with their attribution, list items, captions with their credit) and source.
fn words(p: &Prepared) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    if p.is_bulletin() {
        texts.push(p.title.clone());
        texts.extend(p.description.clone());
    }
    for a in &p.articles {
        texts.push(a.title.clone());
        texts.extend(a.author.clone());
        texts.extend(a.lead.as_ref().map(|t| t.to_plain()));
        for b in &a.blocks {
            match b {
                Block::Paragraph { text } | Block::Heading { text, .. } => {
                    texts.push(text.to_plain())
                }
                Block::Quote { text, attribution } => {
                    texts.push(text.to_plain());
                    texts.extend(attribution.clone());
                }
                Block::List { items, .. } => texts.extend(items.iter().map(|t| t.to_plain())),
                Block::Figure(f) => {
                    texts.extend(f.caption.as_ref().map(|t| t.to_plain()));
                    texts.extend(f.credit.clone());
                }
                other => panic!("a block this test does not know: {other:?}"),
            }
        }
        texts.extend(a.source_url.clone());
    }
    texts
        .iter()
        .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

fn informative_figures(p: &Prepared) -> usize {
    p.articles
        .iter()
        .flat_map(|a| &a.blocks)
        .filter(|b| matches!(b, Block::Figure(f) if !f.decorative))
        .count()
}

/// Parses the page as XML: panics unless every element is closed in order.
fn assert_well_formed(page: &str) {
    let mut reader = quick_xml::Reader::from_str(page);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0);
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// What every page must have, checked on the page as a browser's parser builds it.
fn check_page(page: &str, p: &Prepared, labels: &[String]) {
    assert_well_formed(page);
    let doc = Html::parse_document(page);
    let html = select(&doc, "html")[0];
    assert_eq!(html.value().attr("lang"), Some(p.lang.as_str()));
    assert_eq!(select(&doc, "title")[0].text().collect::<String>(), p.title);
    // Landmarks: one banner, one main, the contents nav of a bulletin, a footer with the
    // page list; a skip link to the main content.
    assert_eq!(select(&doc, "body > header").len(), 1);
    assert_eq!(select(&doc, "body > main#main").len(), 1);
    assert_eq!(
        select(&doc, "body > nav#toc").len(),
        usize::from(p.is_bulletin())
    );
    assert_eq!(
        select(&doc, "body > footer > nav[role=doc-pagelist]").len(),
        1
    );
    assert_eq!(select(&doc, "a.skip[href='#main']").len(), 1);
    assert_eq!(select(&doc, "h1").len(), 1);
    assert_eq!(select(&doc, "main > article").len(), p.articles.len());
    // Figures: alt text, a caption, the image inside the page.
    let figures = select(&doc, "main figure img");
    assert_eq!(figures.len(), informative_figures(p));
    for img in &figures {
        let alt = img.value().attr("alt").unwrap_or("");
        assert!(!alt.trim().is_empty(), "figure without alt");
        assert!(img.value().attr("src").unwrap().starts_with("data:image/"));
        let figure = img.parent().and_then(scraper::ElementRef::wrap).unwrap();
        let caption: String = figure
            .select(&Selector::parse("figcaption").unwrap())
            .flat_map(|c| c.text())
            .collect();
        assert!(!caption.trim().is_empty(), "figure {alt} without caption");
    }
    // Fonts: subset faces inside the page; nothing fetched from elsewhere.
    let style: String = select(&doc, "style")[0].text().collect();
    assert!(
        style.matches("src: url(data:font/ttf;base64,").count() >= 2,
        "fonts embedded"
    );
    for attr in ["src", "href"] {
        for e in select(&doc, &format!("[{attr}]")) {
            let v = e.value().attr(attr).unwrap();
            assert!(
                v.starts_with("data:") || v.starts_with('#') || v.starts_with("http"),
                "{attr}={v}"
            );
        }
    }
    assert_eq!(select(&doc, "link, script[src], iframe").len(), 0);
    // Page markers: one per PDF page, in page order, named by title, empty spans (the
    // HTML parser keeps them empty: they are closed, not `<span/>`).
    let markers = select(&doc, "[role=doc-pagebreak]");
    let got: Vec<&str> = markers
        .iter()
        .filter_map(|m| m.value().attr("title"))
        .collect();
    assert_eq!(got, labels.iter().map(String::as_str).collect::<Vec<_>>());
    for m in &markers {
        assert_eq!(m.value().name(), "span");
        assert_eq!(m.text().count(), 0, "an empty marker");
        assert!(m.children().next().is_none());
        assert!(m.value().attr("aria-label").is_none());
    }
    let links = select(&doc, "nav[role=doc-pagelist] a");
    assert_eq!(links.len(), labels.len());
    for (a, m) in links.iter().zip(&markers) {
        assert_eq!(
            a.value().attr("href").unwrap(),
            format!("#{}", m.value().attr("id").unwrap())
        );
    }
}

#[test]
fn the_example_page_is_well_formed_with_lang_landmarks_figures_fonts_and_pages() {
    let p = load("examples/bac-kan/bac-kan.md");
    let (page, _) = build(&p);
    check_page(&page, &p, &page_labels(&p));
    assert!(informative_figures(&p) >= 3);
}

#[test]
fn the_bulletin_page_is_well_formed_with_lang_landmarks_figures_fonts_and_pages() {
    let p = load("examples/bulletin.toml");
    let (page, _) = build(&p);
    check_page(&page, &p, &page_labels(&p));
    // The English article is marked as such on its element.
    let doc = Html::parse_document(&page);
    let langs: Vec<&str> = select(&doc, "main > article")
        .iter()
        .filter_map(|a| a.value().attr("lang"))
        .collect();
    assert!(langs.contains(&"en"), "{langs:?}");
}

#[test]
fn the_page_is_byte_identical_when_built_again() {
    let p = load("examples/bulletin.toml");
    assert_eq!(build(&p).0, build(&p).0);
}

#[test]
fn the_cli_writes_slug_html() {
    let out = out_dir("html-cli");
    let status = Command::new(env!("CARGO_BIN_EXE_anpham"))
        .args(["build", "-q", "-f", "html", "-o"])
        .arg(&out)
        .arg(root().join("examples/bac-kan/bac-kan.md"))
        .status()
        .unwrap();
    assert!(status.success());
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["bac-kan.html".to_string()]);
    let page = std::fs::read_to_string(out.join("bac-kan.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(
        !page.contains("doc-pagebreak"),
        "no PDF edition, no page markers"
    );
}

/// Whether the browser test can run; `false` with a SKIPPED line outside CI, a panic in CI.
pub(crate) fn browser_ready(dir: &Path) -> bool {
    let chromium = std::env::var("ANPHAM_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node = Command::new("node").arg("--version").output();
    let missing = if node.map(|o| !o.status.success()).unwrap_or(true) {
        Some("node is not installed".to_string())
    } else if !Path::new(&chromium).exists() {
        Some(format!(
            "chromium is not at {chromium} (apt-get install chromium)"
        ))
    } else if !dir.join("node_modules/axe-core").exists()
        || !dir.join("node_modules/playwright-core").exists()
    {
        Some("tests/browser/node_modules is missing (cd tests/browser && npm ci)".into())
    } else {
        None
    };
    match missing {
        None => true,
        Some(why) => {
            crate::common::skip::<()>(&format!("the browser test cannot run: {why}"));
            false
        }
    }
}

/// Unzips every XHTML document of an EPUB (with its stylesheet and fonts, so that the
/// browser shows it as a reading system would) into `dir`; their paths.
fn unzip_documents(epub: &[u8], dir: &Path) -> Vec<PathBuf> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(epub)).unwrap();
    let mut docs = Vec::new();
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).unwrap();
        let Some(name) = f.enclosed_name() else {
            continue;
        };
        let path = dir.join(name);
        if f.is_dir() {
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        std::fs::write(&path, bytes).unwrap();
        if path.extension().is_some_and(|e| e == "xhtml") {
            docs.push(path);
        }
    }
    docs.sort();
    docs
}

#[test]
fn pages_and_epub_documents_pass_axe_in_chromium() {
    let browser = root().join("tests").join("browser");
    if !browser_ready(&browser) {
        return;
    }
    let out = out_dir("html-browser");
    let mut pages = Vec::new();
    for (name, input) in [
        ("bac-kan", "examples/bac-kan/bac-kan.md"),
        ("bulletin", "examples/bulletin.toml"),
    ] {
        let p = load(input);
        let (page, epub) = build(&p);
        let file = out.join(format!("{name}.html"));
        std::fs::write(&file, &page).unwrap();
        pages.push(serde_json::json!({
            "file": file,
            "kind": "html",
            "lang": p.lang,
            "bulletin": p.is_bulletin(),
            "words": words(&p),
            "figures": informative_figures(&p),
            "markers": page_labels(&p),
        }));
        let docs = unzip_documents(&epub, &out.join(format!("{name}-epub")));
        assert!(docs.len() >= 2, "{docs:?}");
        for d in docs {
            pages.push(serde_json::json!({ "file": d, "kind": "xhtml" }));
        }
    }
    let job = out.join("job.json");
    std::fs::write(&job, serde_json::json!({ "pages": pages }).to_string()).unwrap();
    let run = Command::new("node")
        .arg(browser.join("check.js"))
        .arg(&job)
        .current_dir(&browser)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{} passed, 0 failed", pages.len())),
        "{stdout}"
    );
}
