//! The EPUB's content documents: one semantic XHTML5 document per article (its
//! `<article>` written by [`crate::markup::article`]), and a title page for bulletins.

use crate::markup::article::{ArticleFiles, write_article};
use crate::markup::narration::DocumentOverlay;
use crate::markup::pages::{ArticleMarks, Marker};
use crate::markup::runs::{Syntax, write_marker};
use crate::markup::title_block::write_title_block;
use crate::model::Publication;
use crate::xml::{attr, escape_into, lang_attrs};

/// The XHTML namespace declarations and prologue shared by every document.
pub fn open_document(out: &mut String, lang: &str, title: &str, css_href: &str, body_attrs: &str) {
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    lang_attrs(out, lang);
    out.push_str(">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>");
    escape_into(out, title);
    out.push_str("</title>\n<link rel=\"stylesheet\" type=\"text/css\"");
    attr(out, "href", css_href);
    out.push_str("/>\n</head>\n<body");
    out.push_str(body_attrs);
    out.push_str(">\n");
}

/// Closes what [`open_document`] opened.
pub fn close_document(out: &mut String) {
    out.push_str("</body>\n</html>\n");
}

/// A bulletin's title page: title, description, publisher, date. Front-matter page
/// markers go here: the first before the title, the others after the page's content.
/// With `narration` (Media Overlays), the title's and description's sentences and the
/// publisher and date lines are wrapped in `<span id>`.
pub fn title_page(
    p: &Publication,
    css: &str,
    front: &[usize],
    markers: &[Marker],
    narration: Option<&DocumentOverlay>,
) -> String {
    let mut out = String::with_capacity(2048);
    open_document(&mut out, &p.lang, &p.title, css, "");
    out.push_str(
        "<section class=\"titlepage\" epub:type=\"titlepage\" aria-labelledby=\"title\">\n",
    );
    if let Some(&k) = front.first() {
        write_marker(&mut out, &markers[k], Syntax::Xhtml);
        out.push('\n');
    }
    write_title_block(&mut out, p, narration);
    for &k in front.iter().skip(1) {
        write_marker(&mut out, &markers[k], Syntax::Xhtml);
        out.push('\n');
    }
    out.push_str("</section>\n");
    close_document(&mut out);
    out
}

/// Writes the XHTML document of article `i`; with `narration` (Media Overlays), each
/// sentence wrapped in `<span id>` and ids on the images whose alt text is spoken.
pub fn article_document(
    p: &Publication,
    i: usize,
    files: &ArticleFiles,
    marks: Option<&ArticleMarks>,
    markers: &[Marker],
    front: &[usize],
    narration: Option<&DocumentOverlay>,
) -> String {
    let a = &p.articles[i];
    let mut out = String::with_capacity(2048 + a.blocks.len() * 600);
    open_document(&mut out, p.article_lang(i), &a.title, &files.css, "");
    write_article(&mut out, p, i, files, marks, markers, front, narration);
    close_document(&mut out);
    out
}
