//! The navigation document: the table of contents (`toc`, every article in reading
//! order; for a single article its subheadings too), the `landmarks`, and the
//! `page-list` of the print edition's pages when there is one. Each `nav` carries the
//! DPUB-ARIA role matching its `epub:type` (`doc-toc`, `doc-pagelist`); landmarks and
//! the page list are `hidden` (reading systems show them in their own menus).

use super::content::{close_document, open_document};
use crate::labels;
use crate::markup::pages::Marker;
use crate::markup::runs::write_label;
use crate::model::{Block, Publication};
use crate::xml::{attr, escape_into, lang_attrs};

/// Where things are, for linking.
#[derive(Debug, Clone)]
pub struct NavTargets<'a> {
    /// The nav document's own file name (for the `toc` landmark).
    pub nav_href: &'a str,
    /// The stylesheet, relative to the nav document.
    pub css: &'a str,
    /// The title page, if any.
    pub title_page: Option<&'a str>,
    /// One file per article.
    pub articles: &'a [String],
    /// Each page marker's document.
    pub marker_docs: &'a [&'a str],
    /// The markers.
    pub markers: &'a [Marker],
}

/// Writes the navigation document.
pub fn nav_document(p: &Publication, t: &NavTargets<'_>) -> String {
    let lang = p.lang.as_str();
    let lab = labels::for_lang(lang);
    let mut out = String::with_capacity(1024 + p.articles.len() * 200 + t.markers.len() * 80);
    let title = if p.is_bulletin() {
        format!("{} — {}", lab.toc, p.title)
    } else {
        lab.toc.to_string()
    };
    open_document(&mut out, lang, &title, t.css, "");

    // Table of contents.
    out.push_str("<nav epub:type=\"toc\" role=\"doc-toc\" id=\"toc\" aria-labelledby=\"toc-heading\">\n<h1 id=\"toc-heading\">");
    write_label(&mut out, lab, lang, lab.toc);
    out.push_str("</h1>\n<ol>\n");
    for (i, a) in p.articles.iter().enumerate() {
        let alang = p.article_lang(i);
        out.push_str("<li><a");
        attr(&mut out, "href", &t.articles[i]);
        if !alang.eq_ignore_ascii_case(lang) {
            lang_attrs(&mut out, alang);
        }
        out.push('>');
        escape_into(&mut out, &a.title);
        out.push_str("</a>");
        if !p.is_bulletin() {
            let heads: Vec<(usize, u8, String)> = a
                .blocks
                .iter()
                .enumerate()
                .filter_map(|(b, blk)| match blk {
                    Block::Heading { level, text } => Some((b, level.get(), text.to_plain())),
                    _ => None,
                })
                .collect();
            let lang_attr = (!alang.eq_ignore_ascii_case(lang)).then_some(alang);
            write_subheadings(&mut out, &t.articles[i], &heads, lang_attr);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</nav>\n");

    // Landmarks.
    out.push_str("<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"\" aria-labelledby=\"landmarks-heading\">\n<h2 id=\"landmarks-heading\">");
    write_label(&mut out, lab, lang, lab.landmarks);
    out.push_str("</h2>\n<ol>\n");
    let landmark = |out: &mut String, ty: &str, href: &str, text: &str| {
        out.push_str("<li><a");
        attr(out, "epub:type", ty);
        attr(out, "href", href);
        out.push('>');
        write_label(out, lab, lang, text);
        out.push_str("</a></li>\n");
    };
    if let Some(tp) = t.title_page {
        landmark(&mut out, "titlepage", tp, lab.title_page);
    }
    landmark(&mut out, "toc", &format!("{}#toc", t.nav_href), lab.toc);
    if let Some(first) = t.articles.first() {
        landmark(&mut out, "bodymatter", first, lab.start);
    }
    out.push_str("</ol>\n</nav>\n");

    // Page list.
    if !t.markers.is_empty() {
        out.push_str("<nav epub:type=\"page-list\" role=\"doc-pagelist\" id=\"page-list\" hidden=\"\" aria-labelledby=\"page-list-heading\">\n<h2 id=\"page-list-heading\">");
        write_label(&mut out, lab, lang, lab.pages);
        out.push_str("</h2>\n<ol>\n");
        for (m, doc) in t.markers.iter().zip(t.marker_docs) {
            out.push_str("<li><a");
            attr(&mut out, "href", &format!("{doc}#{}", m.id));
            out.push('>');
            escape_into(&mut out, &m.label);
            out.push_str("</a></li>\n");
        }
        out.push_str("</ol>\n</nav>\n");
    }
    close_document(&mut out);
    out
}

/// Nested lists of subheadings; `heads` are (block, level, text).
fn write_subheadings(
    out: &mut String,
    file: &str,
    heads: &[(usize, u8, String)],
    lang: Option<&str>,
) {
    if heads.is_empty() {
        return;
    }
    out.push_str("\n<ol>\n");
    let mut i = 0;
    while i < heads.len() {
        let (b, l, text) = &heads[i];
        // Children: the following headings deeper than this one.
        let end = heads[i + 1..]
            .iter()
            .position(|h| h.1 <= *l)
            .map_or(heads.len(), |n| i + 1 + n);
        out.push_str("<li><a");
        attr(out, "href", &format!("{file}#h-{b}"));
        if let Some(l) = lang {
            lang_attrs(out, l);
        }
        out.push('>');
        escape_into(out, text);
        out.push_str("</a>");
        write_subheadings(out, file, &heads[i + 1..end], lang);
        out.push_str("</li>\n");
        i = end;
    }
    out.push_str("</ol>\n");
}
