//! The page's structure on small publications made here (the examples, with figures and
//! the real page map of their PDF edition, are in `tests/html.rs`).

use quick_xml::Reader;
use quick_xml::events::Event;

use super::*;
use crate::model::{Article, Block, Span, Text};
use crate::pagemap::{ArticlePart, PageStart, TextAnchor};

fn article(title: &str, lang: Option<&str>) -> Article {
    Article {
        lang: lang.map(Into::into),
        title: title.into(),
        date: Some("2022-11-10".into()),
        author: Some("Hương Dịu".into()),
        lead: Some(Text::plain("Tóm tắt của bài.")),
        slug: None,
        source_url: Some("https://backan.gov.vn/a?b=1&c=2".into()),
        blocks: vec![
            Block::Paragraph {
                text: Text {
                    spans: vec![
                        Span {
                            text: "Đoạn thứ nhất, có ".into(),
                            ..Span::default()
                        },
                        Span {
                            text: "a few English words".into(),
                            lang: Some("en".into()),
                            ..Span::default()
                        },
                        Span {
                            text: " và <ký tự> & \"dấu\".".into(),
                            ..Span::default()
                        },
                    ],
                },
            },
            Block::Heading {
                level: crate::model::HeadingLevel::H2,
                text: Text::plain("Tiểu mục"),
            },
            Block::Paragraph {
                text: Text::plain("Đoạn thứ hai của bài, khá dài để có trang mới ở giữa."),
            },
        ],
        origin: None,
    }
}

fn bulletin() -> Prepared {
    let mut p = Publication::single(article("Bài một", None));
    p.articles.push(article("Article two", Some("en")));
    p.title = "Bản tin tuần".into();
    p.publisher = Some("Cổng Thông tin điện tử".into());
    p.description = Some("Các bài viết mẫu.".into());
    crate::prepare::prepare(p).unwrap()
}

fn page_map() -> PageMap {
    let at = |article, part, offset| TextAnchor::Article {
        article,
        part,
        offset,
    };
    PageMap {
        source: "test".into(),
        pages: vec![
            PageStart {
                label: "i".into(),
                anchor: TextAnchor::FrontMatter,
            },
            PageStart {
                label: "1".into(),
                anchor: at(0, ArticlePart::Title, 0),
            },
            PageStart {
                label: "2".into(),
                anchor: at(0, ArticlePart::Block(2), 14),
            },
            PageStart {
                label: "3".into(),
                anchor: at(1, ArticlePart::Title, 0),
            },
        ],
    }
}

/// The page's elements, each with its attributes, in document order; panics unless the
/// page is well-formed XML (every element closed, in order).
fn elements(page: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(page);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed at {}: {e}", reader.buffer_position()));
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                (None, false)
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
            let attrs = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().unwrap().into_owned(),
                    )
                })
                .collect();
            if !empty {
                stack.push(name.clone());
            }
            out.push((name, attrs));
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    out
}

fn attr_of<'a>(e: &'a (String, Vec<(String, String)>), name: &str) -> Option<&'a str> {
    e.1.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn html(p: &Prepared, map: Option<&PageMap>) -> String {
    String::from_utf8(write_html(p, &HtmlOptions::new(FontScale::STANDARD), map).unwrap()).unwrap()
}

#[test]
fn a_bulletin_is_one_well_formed_page_with_landmarks_in_order() {
    let page = html(&bulletin(), Some(&page_map()));
    assert!(page.starts_with(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\" xml:lang=\"vi\">"
    ));
    let els = elements(&page);
    let names: Vec<&str> = els.iter().map(|e| e.0.as_str()).collect();
    let at = |n: &str| {
        names
            .iter()
            .position(|x| *x == n)
            .unwrap_or_else(|| panic!("no {n}"))
    };
    // header, contents nav, main, footer (with the page list), in that order.
    assert!(at("header") < at("nav") && at("nav") < at("main") && at("main") < at("footer"));
    assert_eq!(names.iter().filter(|n| **n == "main").count(), 1);
    assert_eq!(
        names.iter().filter(|n| **n == "h1").count(),
        1,
        "one h1: the bulletin's"
    );
    // Each article: an h2 title, its subheading an h3, its ids prefixed.
    let ids: Vec<&str> = els.iter().filter_map(|e| attr_of(e, "id")).collect();
    for want in [
        "a1-article",
        "a1-title",
        "a1-h-1",
        "a2-article",
        "a2-title",
        "a2-h-1",
    ] {
        assert!(ids.contains(&want), "{want}: {ids:?}");
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique: {ids:?}");
    assert!(page.contains("<h2 id=\"a1-title\">") && page.contains("<h3 id=\"a1-h-1\">"));
    // The English article says so on its element; the English words of the Vietnamese one on theirs.
    assert!(page.contains(
        "<article id=\"a2-article\" aria-labelledby=\"a2-title\" lang=\"en\" xml:lang=\"en\">"
    ));
    assert!(page.contains("<span lang=\"en\" xml:lang=\"en\">a few English words</span>"));
    assert!(page.contains("<a href=\"#a2-article\" lang=\"en\" xml:lang=\"en\">Article two</a>"));
    // Escaped text, links kept.
    assert!(page.contains("và &lt;ký tự&gt; &amp; &quot;dấu&quot;."));
    assert!(page.contains("href=\"https://backan.gov.vn/a?b=1&amp;c=2\""));
}

#[test]
fn page_markers_are_named_by_title_and_listed_in_the_footer() {
    let page = html(&bulletin(), Some(&page_map()));
    let els = elements(&page);
    let markers: Vec<_> = els
        .iter()
        .filter(|e| attr_of(e, "role") == Some("doc-pagebreak"))
        .collect();
    assert_eq!(markers.len(), 4);
    for m in &markers {
        assert_eq!(m.0, "span");
        assert!(attr_of(m, "title").is_some() && attr_of(m, "aria-label").is_none());
        assert!(attr_of(m, "epub:type").is_none());
    }
    // Written open and closed: `<span/>` would not close in text/html.
    assert!(page.contains("<span role=\"doc-pagebreak\" id=\"page-2\" title=\"2\"></span>"));
    assert!(
        !page.contains("/></span>")
            && !page.contains("<span role=\"doc-pagebreak\" id=\"page-2\" title=\"2\"/>")
    );
    // The front-matter page in the page header; page 2 between two words.
    let header = &page[page.find("<header>").unwrap()..page.find("</header>").unwrap()];
    assert!(header.contains("id=\"page-i\""));
    assert!(page.contains(
        "<p>Đoạn thứ <span role=\"doc-pagebreak\" id=\"page-2\" title=\"2\"></span>hai của bài"
    ));
    let footer = &page[page.find("<footer>").unwrap()..];
    for (id, label) in [
        ("page-i", "i"),
        ("page-1", "1"),
        ("page-2", "2"),
        ("page-3", "3"),
    ] {
        assert!(
            footer.contains(&format!("<li><a href=\"#{id}\">{label}</a></li>")),
            "{footer}"
        );
    }
    assert!(footer.contains("role=\"doc-pagelist\""));
}

#[test]
fn a_single_article_holds_the_h1_and_its_front_pages() {
    let p = crate::prepare::prepare(Publication::single(article("Hội thảo", None))).unwrap();
    let page = html(&p, Some(&page_map_single()));
    elements(&page);
    assert!(
        !page.contains("<nav id=\"toc\""),
        "no contents for one article"
    );
    assert!(page.contains("<article id=\"article\" aria-labelledby=\"title\">\n<header>\n<span role=\"doc-pagebreak\" id=\"page-1\" title=\"1\"></span>\n<h1 id=\"title\">Hội thảo</h1>"));
    assert!(page.contains("<h2 id=\"h-1\">Tiểu mục</h2>"));
    assert!(page.contains("<title>Hội thảo</title>"));
    // No page map: no markers and no footer.
    let bare = html(&p, None);
    assert!(!bare.contains("doc-pagebreak") && !bare.contains("<footer>"));
}

fn page_map_single() -> PageMap {
    PageMap {
        source: "test".into(),
        pages: vec![PageStart {
            label: "1".into(),
            anchor: TextAnchor::FrontMatter,
        }],
    }
}

#[test]
fn fonts_are_embedded_subset_and_the_scale_is_the_css_size() {
    let p = bulletin();
    let page = html(&p, None);
    let faces = page.matches("@font-face").count();
    assert!(faces >= 2, "regular and bold at least: {faces}");
    assert_eq!(
        page.matches("src: url(data:font/ttf;base64,").count(),
        faces
    );
    assert!(
        !page.contains("url(../fonts"),
        "no file the page would fetch"
    );
    assert!(page.contains("font-size: 100%"));
    // Subset: far smaller than the bundled faces (hundreds of kilobytes each).
    assert!(page.len() < 400_000, "{} bytes", page.len());
    let large =
        String::from_utf8(write_html(&p, &HtmlOptions::new(FontScale::LARGE), None).unwrap())
            .unwrap();
    assert!(large.contains("font-size: 137.5%"));
    assert!(large.contains("data-step=\"5\""));
}

#[test]
fn the_page_is_the_same_bytes_every_time() {
    let p = bulletin();
    let a = write_html(
        &p,
        &HtmlOptions::new(FontScale::STANDARD),
        Some(&page_map()),
    )
    .unwrap();
    let b = write_html(
        &p,
        &HtmlOptions::new(FontScale::STANDARD),
        Some(&page_map()),
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_page_map_past_the_articles_is_an_error() {
    let p = crate::prepare::prepare(Publication::single(article("Hội thảo", None))).unwrap();
    let mut map = page_map();
    map.pages.push(PageStart {
        label: "9".into(),
        anchor: TextAnchor::Article {
            article: 5,
            part: ArticlePart::Title,
            offset: 0,
        },
    });
    let err = write_html(&p, &HtmlOptions::new(FontScale::STANDARD), Some(&map))
        .unwrap_err()
        .to_string();
    // The page's own error, not another edition's.
    assert_eq!(
        err,
        "the HTML edition could not be written: page 3 of the page map is in article 2 \
         but the publication has 1"
    );
}
