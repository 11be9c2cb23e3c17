//! Importing the portal's own pages: the seed's plain-text copy and three saved HTML
//! pages of different layouts (tests/fixtures/import/, see its README.md), built into
//! real EPUB and PDF files and checked by the real checkers; `anpham import` writing
//! Markdown that reads back; charsets and hostile pages.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use anpham::import::{self, NoteKind, SourceKind};
use anpham::model::Block;

fn fixture(rel: &str) -> PathBuf {
    common::root().join("tests/fixtures/import").join(rel)
}

/// The seed's words that are article text, in order: its lines less the portal's chrome,
/// the date line and the author's line.
fn seed_article_lines() -> Vec<String> {
    let seed = std::fs::read_to_string(fixture("article-bac-kan.txt")).unwrap();
    let lines: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(*lines.last().unwrap(), "Hương Dịu");
    lines[..lines.len() - 1]
        .iter()
        .filter(|l| {
            !l.contains("PublishingPortal") && !l.contains("Tăng cỡ chữ") && **l != "10/11/2022"
        })
        .map(|l| l.to_string())
        .collect()
}

const CHROME: &[&str] = &[
    "PublishingPortal",
    "Block_BanTin",
    "Tăng cỡ chữ",
    "Giảm cỡ chữ",
    "In bài",
    "Gửi email",
    "Chia sẻ",
    "Trang chủ",
    "Tin liên quan",
    "Các tin khác",
    "Tin cùng chuyên mục",
    "Ý kiến bạn đọc",
    "Bài viết rất hay",
    "Bản quyền",
    "Cơ quan chủ quản",
    "Đăng nhập",
    "Sao chép liên kết",
];

fn anpham() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anpham"))
}

/// Builds `source` with the CLI into a fresh folder; returns (EPUB, large-print PDF).
fn build(source: &Path, name: &str) -> (PathBuf, PathBuf) {
    let out = common::out_dir(name);
    let o = anpham()
        .arg("build")
        .arg(source)
        .arg("-o")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let epub = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "epub"))
        .expect("an EPUB");
    let pdf = epub.with_extension("large.pdf");
    assert!(pdf.exists(), "{}", pdf.display());
    (epub, pdf)
}

/// The text of every content document of an EPUB, tags removed.
fn epub_text(epub: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name().ends_with(".xhtml") || f.name().ends_with(".opf") {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            let mut in_tag = false;
            for c in s.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        all.push(' ');
                    }
                    c if !in_tag => all.push(c),
                    _ => {}
                }
            }
        }
    }
    all.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn pdf_text(pdf: &Path) -> Option<String> {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// `text` with a word broken at a line's end (`-`, a line break, a lowercase letter) joined.
fn join_broken_words(text: &str) -> String {
    let mut joined = String::new();
    let mut rest = text;
    while let Some(k) = rest.find("-\n") {
        joined.push_str(&rest[..k]);
        rest = &rest[k + 2..];
        if !rest.chars().next().is_some_and(char::is_lowercase) {
            joined.push_str("-\n");
        }
    }
    joined.push_str(rest);
    joined
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The checks of "Done when": the checkers pass, every word of the article comes back
/// (in order, from the PDF), the metadata are there, and no chrome is.
///
/// A figure that does not fit floats to the next page, where `pdftotext` reads its caption
/// (the structure tree keeps the author's order), so check-pdf gets the large-print
/// edition's text in print order (`PrintEdition::printed_text`), and every line of the source
/// article must be found, whole, in the printed lines of one part of the layout.
fn assert_edition(source: &Path, epub: &Path, pdf: &Path, expected_lines: &[String], name: &str) {
    let (prepared, _) = anpham::input::load_prepared(&[source.to_path_buf()]).unwrap();
    let edition = anpham::internals::print_edition(
        &prepared,
        &anpham::internals::PdfOptions::new(anpham::FontScale::LARGE),
    )
    .unwrap();
    let printed = edition.printed_text;
    // Each part's printed lines, joined (a floated figure may print inside the paragraph
    // that follows it in the source); a word broken at a line's end (`-` and a line break
    // before a lowercase letter) is joined, as check-pdf does.
    let part_words: Vec<String> = edition
        .parts
        .iter()
        .map(|t| words(&join_broken_words(t)))
        .collect();
    for line in expected_lines {
        assert!(
            part_words.iter().any(|w| w.contains(&words(line))),
            "the large-print layout lacks `{line}`"
        );
    }
    let expected = common::out_dir(&format!("{name}-expected")).join("expected.txt");
    std::fs::write(&expected, &printed).unwrap();
    if let Some(r) = common::run_checker("check-pdf", &[pdf, &expected]) {
        assert_eq!(r["text_contained"], true, "{r}");
        assert_eq!(r["expected_words_missing"], 0, "{r}");
        assert_eq!(r["tagged"], true, "{r}");
        assert_eq!(r["figures_without_alt"], 0, "{r}");
        assert_eq!(r["qpdf_check_ok"], true, "{r}");
    }
    if let Some(r) = common::run_checker("check-epub", &[epub]) {
        assert_eq!(r["epubcheck_errors"], 0, "{r}");
        if r["ace_ran"] == true {
            assert_eq!(r["ace_critical_serious"], 0, "{r}");
        }
    }
    let text = words(&epub_text(epub));
    for line in expected_lines {
        assert!(text.contains(&words(line)), "EPUB lacks `{line}`");
    }
    assert!(
        text.contains("Hương Dịu") && text.contains("2022-11-10"),
        "author or date missing from the EPUB"
    );
    let pdf_words = pdf_text(pdf);
    for chrome in CHROME {
        assert!(!text.contains(chrome), "EPUB has chrome `{chrome}`");
        if let Some(p) = &pdf_words {
            assert!(!p.contains(chrome), "PDF has chrome `{chrome}`");
        }
    }
    if pdf_words.is_none() {
        common::skip::<()>("pdftotext not installed, PDF chrome check not run");
    }
}

#[test]
fn seed_text_copy_builds_with_every_word_and_no_chrome() {
    let seed = fixture("article-bac-kan.txt");
    let (p, _) = anpham::input::load_publication(std::slice::from_ref(&seed)).unwrap();
    let a = &p.articles[0];
    assert!(a.title.starts_with("Hội thảo khoa học"));
    assert_eq!(a.date.as_deref(), Some("2022-11-10"));
    assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
    assert!(
        a.lead
            .as_ref()
            .unwrap()
            .to_plain()
            .starts_with("Sáng 10/11")
    );
    let (epub, pdf) = build(&seed, "import-seed");
    assert_edition(&seed, &epub, &pdf, &seed_article_lines(), "import-seed");
}

/// Each HTML fixture: its fields, and the same article words as the seed less what the
/// page leaves out.
#[test]
fn sharepoint_portal_page_builds() {
    let page = fixture("sharepoint/hoi-thao.html");
    let im = import::import_file(&page).unwrap();
    let a = &im.article;
    assert_eq!(a.date.as_deref(), Some("2022-11-10"));
    assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
    assert!(a.title.starts_with("Hội thảo khoa học"), "{}", a.title);
    assert!(
        a.lead
            .as_ref()
            .unwrap()
            .to_plain()
            .starts_with("Sáng 10/11")
    );
    assert!(
        im.notes
            .iter()
            .any(|n| n.message.starts_with("layout: SharePoint"))
    );
    let figures: Vec<_> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(figures.len(), 2);
    assert_eq!(figures[0].src, "hoi-thao_files/toan-canh.png");
    assert_eq!(figures[1].src, "hoi-thao_files/LVT 1.jpg");
    assert_eq!(
        figures[0].caption.as_ref().unwrap().to_plain(),
        "Toàn cảnh Hội thảo"
    );
    // No alt on the page: the caption is the alt text.
    assert_eq!(figures[0].alt.as_deref(), Some("Toàn cảnh Hội thảo"));
    // The third photo is only on the web: reported, its caption kept.
    assert!(
        im.attention()
            .any(|n| n.message.contains("only on the web") && n.message.contains("PTT.jpg"))
    );
    // Title, lead and date come from the layout's elements (the toolbar web part).
    for field in ["title", "lead", "date"] {
        assert!(
            im.notes.iter().any(|n| n.kind == NoteKind::Recognised
                && n.place.starts_with(&format!("layout {field}"))),
            "{field}: {:#?}",
            im.notes
        );
    }
    let (epub, pdf) = build(&page, "import-sharepoint");
    assert_edition(
        &page,
        &epub,
        &pdf,
        &seed_article_lines(),
        "import-sharepoint",
    );
}

#[test]
fn newspaper_figure_page_builds() {
    let page = fixture("newspaper-figure/bai-viet.html");
    let im = import::import_file(&page).unwrap();
    let a = &im.article;
    assert_eq!(a.date.as_deref(), Some("2022-11-10"));
    assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
    assert_eq!(
        a.source_url.as_deref(),
        Some("https://baobackan.example.vn/hoi-thao-khoa-hoc-123.html")
    );
    assert!(
        a.title.starts_with("Hội thảo khoa học") && !a.title.contains("Báo Bắc Kạn"),
        "{}",
        a.title
    );
    let figures: Vec<_> = a
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(figures.len(), 2, "{:#?}", a.blocks);
    // Lazy loading: the real address is in data-src; the page's own alt text is kept.
    assert_eq!(figures[0].src, "bai-viet_files/hoi-thao.png");
    assert!(
        figures[0]
            .alt
            .as_deref()
            .unwrap()
            .starts_with("Hội trường nhìn từ phía sau")
    );
    let lines = seed_article_lines();
    let cap3 = lines.iter().find(|l| l.starts_with("Đ/c Phương")).unwrap();
    assert_eq!(figures[1].caption.as_ref().unwrap().to_plain(), *cap3);
    assert!(im.attention().any(|n| n.message.contains("lvt.jpg")));
    let (epub, pdf) = build(&page, "import-figure");
    assert_edition(&page, &epub, &pdf, &seed_article_lines(), "import-figure");
}

#[test]
fn windows_1258_caption_table_page_builds() {
    let page = fixture("newspaper-table/tin.html");
    let im = import::import_file(&page).unwrap();
    let a = &im.article;
    assert!(
        im.notes
            .iter()
            .any(|n| n.message.contains("charset windows-1258"))
    );
    assert_eq!(a.date.as_deref(), Some("2022-11-10"));
    assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
    assert!(a.title.starts_with("Hội thảo khoa học"), "{}", a.title);
    assert!(
        im.attention().any(|n| n.message.contains("khong-luu.jpg")
            && n.message.contains("not in the page's folder"))
    );
    // This page carries the article from the second photo on.
    let lines = seed_article_lines();
    let from = lines
        .iter()
        .position(|l| l.starts_with("Đ/c Lèng"))
        .unwrap();
    let mut expected = lines[..2].to_vec();
    expected.extend_from_slice(&lines[from..]);
    let (epub, pdf) = build(&page, "import-table");
    assert_edition(&page, &epub, &pdf, &expected, "import-table");
}

#[test]
fn import_command_writes_markdown_that_reads_back() {
    let out = common::out_dir("import-cli");
    let o = anpham()
        .arg("import")
        .arg(fixture("article-bac-kan.txt"))
        .arg(fixture("sharepoint/hoi-thao.html"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("recognised  line 3: date 2022-11-10"),
        "{stdout}"
    );
    assert!(stdout.contains("author `Hương Dịu`"), "{stdout}");
    assert!(stdout.contains("only on the web"), "{stdout}");
    assert!(!stdout.contains("to fix"), "{stdout}");
    let md = out.join("article-bac-kan.md");
    let page_md = out.join("hoi-thao.md");
    assert!(out.join("img/hoi-thao/toan-canh.png").exists());
    assert!(out.join("img/hoi-thao/LVT-1.jpg").exists());
    // Both read back as the article imported in memory.
    for (written, source) in [
        (&md, fixture("article-bac-kan.txt")),
        (&page_md, fixture("sharepoint/hoi-thao.html")),
    ] {
        let back = anpham::input::load_article_file(written).unwrap();
        let direct = import::load_article(&source).unwrap();
        assert_eq!(back.title, direct.title);
        assert_eq!(back.date, direct.date);
        assert_eq!(back.author, direct.author);
        assert_eq!(back.lead, direct.lead);
        assert_eq!(back.blocks.len(), direct.blocks.len());
        for (b, d) in back.blocks.iter().zip(&direct.blocks) {
            match (b, d) {
                (Block::Figure(x), Block::Figure(y)) => {
                    assert_eq!((&x.alt, &x.caption), (&y.alt, &y.caption));
                    assert_eq!(
                        x.image.as_ref().map(|i| i.bytes().unwrap().into_owned()),
                        y.image.as_ref().map(|i| i.bytes().unwrap().into_owned())
                    );
                }
                _ => assert_eq!(b, d),
            }
        }
    }
    // Deterministic: a second import writes the same bytes.
    let first = std::fs::read(&page_md).unwrap();
    let o = anpham()
        .arg("import")
        .arg(fixture("sharepoint/hoi-thao.html"))
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(std::fs::read(&page_md).unwrap(), first);
}

/// What the written Markdown still lacks is printed as every other diagnostic is, with
/// its severity (`error:`), under the file to fix.
#[test]
fn import_command_names_what_to_fix_as_diagnostics() {
    let out = common::out_dir("import-cli-to-fix");
    let page = out.join("page.html");
    std::fs::create_dir_all(out.join("page_files")).unwrap();
    std::fs::copy(
        fixture("sharepoint/hoi-thao_files/toan-canh.png"),
        out.join("page_files/a.png"),
    )
    .unwrap();
    std::fs::write(
        &page,
        "<!DOCTYPE html><html lang=\"vi\"><head><title>Hội thảo</title></head><body>\
         <article><h1>Hội thảo tỉnh Bắc Kạn</h1><p>Đoạn mở đầu của bài. Sáng ngày 10 tháng 11, Ủy ban nhân dân tỉnh Bắc Kạn tổ chức hội thảo khoa học về phát triển kinh tế và xã hội của tỉnh trong giai đoạn mới.</p>\
         <p><img src=\"page_files/a.png\"></p><p>Đoạn cuối.</p></article></body></html>",
    )
    .unwrap();
    let o = anpham()
        .arg("import")
        .arg(&page)
        .arg("-o")
        .arg(out.join("md"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}");
    let md = out.join("md/page.md");
    let to_fix = format!("  to fix in {} before building:\n", md.display());
    let at = stdout.find(&to_fix).expect(&stdout) + to_fix.len();
    let lines: Vec<&str> = stdout[at..].lines().collect();
    assert!(
        lines[0].starts_with(&format!("    error: {}:", md.display())),
        "{stdout}"
    );
    assert!(lines[1].starts_with("      hint: "), "{stdout}");
}

#[test]
fn check_accepts_pages_and_names_problems() {
    let o = anpham()
        .arg("check")
        .arg(fixture("newspaper-figure/bai-viet.html"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // An image without alt text or caption: the build says where alt text is needed.
    let dir = common::out_dir("import-no-alt");
    std::fs::create_dir(dir.join("p_files")).unwrap();
    std::fs::copy(
        common::root().join("tests/fixtures/images/hills.jpg"),
        dir.join("p_files/a.jpg"),
    )
    .unwrap();
    let page = dir.join("p.html");
    std::fs::write(&page, "<html lang=vi><head><title>Tiêu đề</title></head><body><article><h1>Tiêu đề</h1><p>Một. Sáng ngày 10 tháng 11, Ủy ban nhân dân tỉnh Bắc Kạn tổ chức hội thảo khoa học về phát triển kinh tế và xã hội của tỉnh trong giai đoạn mới.</p><p><img src=\"p_files/a.jpg\"></p><p>Hai.</p></article></body></html>").unwrap();
    let im = import::import_file(&page).unwrap();
    assert!(
        im.attention()
            .any(|n| n.message.contains("alt text must be written"))
    );
    let o = anpham().arg("check").arg(&page).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !o.status.success() && err.contains("p.html: blocks[1].alt: a figure needs alt text"),
        "{err}"
    );
}

#[test]
fn charsets() {
    let dir = common::out_dir("import-charsets");
    // UTF-8 with a byte-order mark.
    let page = dir.join("bom.html");
    std::fs::write(&page, "\u{feff}<html lang=vi><body><article><h1>Bắc Kạn</h1><p>Một. Sáng ngày 10 tháng 11, Ủy ban nhân dân tỉnh Bắc Kạn tổ chức hội thảo khoa học về phát triển kinh tế và xã hội của tỉnh trong giai đoạn mới.</p><p>Hai.</p></article></body></html>").unwrap();
    let im = import::import_file(&page).unwrap();
    assert_eq!(im.article.title, "Bắc Kạn");
    assert!(
        im.notes
            .iter()
            .any(|n| n.message.contains("byte-order mark"))
    );
    // Not UTF-8 and no declaration, but clean windows-1258 (tone marks after letters):
    // read as such, and the report says the charset was guessed.
    let page = dir.join("guessed.html");
    let mut bytes = b"<html lang=vi>\n<body><h1>B\xe3\xecc K\xe3\xecc</h1><p>".to_vec();
    bytes.extend(b"Ba\xecc Ka\xf2n ".repeat(30));
    bytes.extend(b"</p></body></html>");
    std::fs::write(&page, bytes).unwrap();
    let im = import::import_file(&page).unwrap();
    assert_eq!(im.article.title, "Bắc Kắc");
    assert!(
        im.notes
            .iter()
            .any(|n| n.message.contains("windows-1258") && n.message.contains("guessed")),
        "{:#?}",
        im.notes
    );
    // Not UTF-8, no declaration and no legacy charset reads it: refused with the place
    // and a hint.
    let page = dir.join("latin.html");
    std::fs::write(&page, b"<html>\n<body><p>B\x81\xe3\xecc</p></body></html>").unwrap();
    let e = import::import_file(&page).unwrap_err().to_string();
    assert!(
        e.contains("latin.html:2:") && e.contains("declares no charset") && e.contains("hint:"),
        "{e}"
    );
    // A text copy in windows-1258 is refused the same way.
    let text = dir.join("latin.txt");
    std::fs::write(&text, b"B\xe3\xecc").unwrap();
    let e = import::import_file(&text).unwrap_err().to_string();
    assert!(e.contains("iconv"), "{e}");
}

#[test]
fn hostile_pages_give_errors_or_safe_output() {
    let dir = common::out_dir("import-hostile");
    let cases: Vec<(&str, String)> = vec![
        ("deep", format!("<html><body>{}x", "<div><span>".repeat(5_000))),
        ("table-deep", format!("<html><body>{}x", "<table><tr><td>".repeat(3_000))),
        ("entities", format!("<!DOCTYPE html [<!ENTITY a \"{}\">]><html><body><h1>T</h1><article><p>&a;{}</p><p>x</p></article>", "b".repeat(1000), "&amp;&lt;&#x10FFFF;&#xD800;".repeat(50_000))),
        ("script-caption", "<html lang=vi><body><h1>T</h1><article><p>a.</p><figure><img src='https://x.vn/a.jpg' alt='<script>alert(1)</script>'><figcaption><script>alert(1)</script>Chú thích <b onclick='x()'>đậm</b></figcaption></figure><p>b.</p></article>".into()),
        ("links", "<html lang=vi><body><h1>T</h1><article><p><a href='javascript:alert(1)'>a</a> <a href=' JaVaScRiPt:x'>b</a> <a href='data:text/html,x'>c</a> <a href='vbscript:x'>d</a> <a href='file:///etc/passwd'>e</a>.</p><p>f.</p></article>".into()),
        ("images", "<html lang=vi><body><h1>T</h1><article><p>a.</p><img src='../../../../etc/passwd' alt='x'><img src='/etc/passwd' alt='y'><img src='file:///etc/passwd' alt='z'><img src='%2e%2e/%2e%2e/x.jpg' alt='w'><p>b.</p></article>".into()),
        ("controls", "<html lang=vi><body><h1>T\u{202e}</h1><article><p>a\u{0}b\u{7}.</p><p>c.</p></article>".into()),
        ("empty", String::new()),
        ("no-title", "<p>x</p>".into()),
    ];
    for (name, html) in cases {
        let page = dir.join(format!("{name}.html"));
        std::fs::write(&page, &html).unwrap();
        let result = anpham::input::load_article_file(&page);
        match &result {
            Ok(a) => {
                let text = anpham::Publication::single(a.clone()).reading_text();
                assert!(
                    !text.contains("<script") && !text.contains("alert(1)"),
                    "{name}: {text}"
                );
                for b in &a.blocks {
                    if let Block::Paragraph { text } = b {
                        for s in &text.spans {
                            assert!(
                                s.href.as_deref().is_none_or(
                                    |h| h.starts_with("http") || h.starts_with("mailto:")
                                ),
                                "{name}: {h:?}",
                                h = s.href
                            );
                        }
                    }
                    assert!(
                        !matches!(b, Block::Figure(_)),
                        "{name}: an image outside the folder was kept"
                    );
                }
            }
            Err(e) => {
                let msg = e.to_string();
                assert!(msg.contains(&format!("{name}.html")), "{name}: {msg}");
            }
        }
        if name == "deep" || name == "table-deep" {
            assert!(
                result.unwrap_err().to_string().contains("nests elements"),
                "{name}"
            );
        }
    }
    // A page over the input size limit is refused before it is read.
    let big = dir.join("big.html");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(anpham::input::MAX_INPUT_BYTES + 1).unwrap();
    let e = import::import_file(&big).unwrap_err().to_string();
    assert!(e.contains("input limit"), "{e}");
    assert_eq!(
        SourceKind::from_path(Path::new("a.HTM")),
        Some(SourceKind::Html)
    );
}
