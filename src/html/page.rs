//! The page itself: `<head>`, then the landmarks in reading order.
//!
//! ```text
//! <a class="skip" href="#main">            skip link (WCAG 2.4.1), shown when focused
//! <header>                                  a bulletin's title, description, publisher, date;
//!                                           the text-size control (hidden without script)
//! <nav id="toc">                            a bulletin's contents: a link to each article
//! <main id="main">                          one <article> per article (`crate::markup::article`)
//! <footer><nav role="doc-pagelist">         the print edition's pages, when there is one
//! ```
//!
//! A single article's `<article>` holds the page's `h1`; in a bulletin the `h1` is the
//! bulletin's title, each article's title an `h2` and its headings one level lower (at
//! most `h6`), and every id an article writes is prefixed (`a2-title`) to stay unique.

use super::control::{self, Ladder};
use crate::labels;
use crate::markup::article::{ArticleFiles, ArticleMarkup, write_article};
use crate::markup::pages::{Marker, PagePlan};
use crate::markup::runs::{Syntax, write_label, write_marker};
use crate::markup::title_block::write_title_block;
use crate::model::Publication;
use crate::xml::{attr, escape_into, lang_attrs};

/// The `<title>` element: the publication's title.
pub(super) fn title_element(p: &Publication) -> String {
    let mut out = String::from("<title>");
    escape_into(&mut out, &p.title);
    out.push_str("</title>");
    out
}

/// The whole page around `body` (from [`body`]): doctype, `<html lang>`, `<head>` with
/// the title, the stylesheet and the optional script.
pub(super) fn document(p: &Publication, title: &str, style: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + style.len() + 2048);
    out.push_str("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"");
    lang_attrs(&mut out, &p.lang);
    out.push_str(">\n<head>\n<meta charset=\"UTF-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str("<meta name=\"generator\" content=\"anpham\"/>\n");
    out.push_str(title);
    out.push_str("\n<style>\n");
    out.push_str(style);
    out.push_str("</style>\n<script>\n");
    out.push_str(control::SCRIPT);
    out.push_str("</script>\n</head>\n");
    out.push_str(body);
    out.push_str("</html>\n");
    out
}

/// The `<body>`: skip link, header, a bulletin's contents, the articles, the page list.
/// `images` holds each figure's `data:` URL, by article and block.
pub(super) fn body(
    p: &Publication,
    plan: Option<&PagePlan>,
    images: Vec<Vec<Option<String>>>,
    ladder: &Ladder,
) -> String {
    let lang = p.lang.as_str();
    let lab = labels::for_lang(lang);
    let bulletin = p.is_bulletin();
    let no_markers: Vec<Marker> = Vec::new();
    let markers = plan.map_or(&no_markers, |pl| &pl.markers);
    let front: &[usize] = plan.map_or(&[], |pl| &pl.front);
    let size: usize = images.iter().flatten().flatten().map(String::len).sum();
    let mut out = String::with_capacity(size + 4096 + p.articles.len() * 8192);
    out.push_str("<body>\n<a class=\"skip\" href=\"#main\">");
    write_label(&mut out, lab, lang, lab.skip_to_content);
    out.push_str("</a>\n<header>\n");
    if bulletin {
        // Front-matter pages are the title block's: the first before it, the others after.
        if let Some(&k) = front.first() {
            write_marker(&mut out, &markers[k], Syntax::Html);
            out.push('\n');
        }
        write_title_block(&mut out, p, None);
        for &k in front.iter().skip(1) {
            write_marker(&mut out, &markers[k], Syntax::Html);
            out.push('\n');
        }
    }
    control::write_control(&mut out, ladder, lang);
    out.push_str("</header>\n");
    if bulletin {
        contents(&mut out, p);
    }
    out.push_str("<main id=\"main\">\n");
    for (i, imgs) in images.into_iter().enumerate() {
        let files = ArticleFiles {
            css: String::new(),
            images: imgs,
            markup: ArticleMarkup {
                syntax: Syntax::Html,
                id_prefix: article_prefix(p, i),
                heading_shift: u8::from(bulletin),
                page_lang: Some(p.lang.clone()),
            },
        };
        let marks = plan.map(|pl| &pl.articles[i]);
        let fr: &[usize] = if bulletin { &[] } else { front };
        write_article(&mut out, p, i, &files, marks, markers, fr, None);
    }
    out.push_str("</main>\n");
    if !markers.is_empty() {
        page_list(&mut out, p, markers);
    }
    out.push_str("</body>\n");
    out
}

/// The prefix of article `i`'s ids: none for a single article, `aN-` in a bulletin.
fn article_prefix(p: &Publication, i: usize) -> String {
    if p.is_bulletin() {
        format!("a{}-", i + 1)
    } else {
        String::new()
    }
}

/// A bulletin's contents: a `nav` with a link to each article, in reading order.
fn contents(out: &mut String, p: &Publication) {
    let lang = p.lang.as_str();
    let lab = labels::for_lang(lang);
    out.push_str("<nav id=\"toc\" aria-labelledby=\"toc-heading\">\n<h2 id=\"toc-heading\">");
    write_label(out, lab, lang, lab.toc);
    out.push_str("</h2>\n<ol>\n");
    for (i, a) in p.articles.iter().enumerate() {
        let alang = p.article_lang(i);
        out.push_str("<li><a");
        attr(out, "href", &format!("#{}article", article_prefix(p, i)));
        if !alang.eq_ignore_ascii_case(lang) {
            lang_attrs(out, alang);
        }
        out.push('>');
        escape_into(out, &a.title);
        out.push_str("</a></li>\n");
    }
    out.push_str("</ol>\n</nav>\n");
}

/// The footer's page list: a link to each page marker, in page order (WCAG technique
/// H99, a page-selection mechanism), with the DPUB-ARIA role `doc-pagelist`.
fn page_list(out: &mut String, p: &Publication, markers: &[Marker]) {
    let lang = p.lang.as_str();
    let lab = labels::for_lang(lang);
    out.push_str(
        "<footer>\n<nav class=\"print-pages\" id=\"print-pages\" role=\"doc-pagelist\" \
         aria-labelledby=\"print-pages-heading\">\n<h2 id=\"print-pages-heading\">",
    );
    write_label(out, lab, lang, lab.print_pages);
    out.push_str("</h2>\n<ol>\n");
    for m in markers {
        out.push_str("<li><a");
        attr(out, "href", &format!("#{}", m.id));
        out.push('>');
        escape_into(out, &m.label);
        out.push_str("</a></li>\n");
    }
    out.push_str("</ol>\n</nav>\n</footer>\n");
}
