//! One article as an `<article>` element ([`write_article`]): the `<header>` (title,
//! byline, lead), each block, the source link, and the print edition's page markers
//! where they fall; in XHTML for a book's content document, or in HTML inside a page,
//! as [`ArticleMarkup`] says.
//!
//! The `<header>` holds the one `h1`, the byline with the author and a `<time datetime>`,
//! and the lead as a paragraph of its own; then the blocks: `p`, `h2`–`h6` (validation
//! guarantees no skipped level), `figure` with `img alt` and `figcaption` (decorative
//! images: `alt=""` and `role="presentation"`), `blockquote` (inside a `figure` whose
//! `figcaption` is the attribution, as HTML recommends), `ul` and `ol`, and a source link.
//! The pieces it shares with other documents (runs, markers, labels) are in
//! [`super::runs`].

use super::lines::{Line, source_line};
use super::narration::DocumentOverlay;
use super::pages::{ArticleMarks, Marker};
use super::runs::{
    Run, Syntax, byline_runs, open_line, text_runs, write_label, write_marker, write_part,
};
use crate::labels;
use crate::model::{Article, Block, Figure, Publication};
use crate::pagemap::ArticlePart;
use crate::xml::{attr, escape_into, lang_attrs};

/// How to refer to an article's files and figures.
#[derive(Debug, Clone)]
pub struct ArticleFiles {
    /// The stylesheet's href relative to the document.
    pub css: String,
    /// For each block, the image href (figures only).
    pub images: Vec<Option<String>>,
    /// How the article element is written ([`ArticleMarkup::default`]: a document of its
    /// own, in XHTML).
    pub markup: ArticleMarkup,
}

/// What differs when an article is one of several in a page rather than a document of
/// its own: the syntax, a prefix that keeps its ids unique in the page, how many levels
/// its headings move down (under the page's `h1`), and the page's language (the
/// `<article>` gets `lang` when its own differs).
#[derive(Debug, Clone, Default)]
pub struct ArticleMarkup {
    /// XHTML (a book's content document) or HTML (a page).
    pub syntax: Syntax,
    /// Prepended to every id the article writes (not to page markers, unique already).
    pub id_prefix: String,
    /// Added to every heading level (at most `h6`).
    pub heading_shift: u8,
    /// The language of the enclosing page; `None`: the article is the document.
    pub page_lang: Option<String>,
}

/// A content document being written: the text, and what every part needs (the page
/// markers falling in it, the narration's sentence ids).
struct Doc<'a> {
    out: String,
    markers: &'a [Marker],
    marks: &'a ArticleMarks,
    narration: Option<&'a DocumentOverlay>,
    lang: &'a str,
    markup: &'a ArticleMarkup,
}

impl Doc<'_> {
    /// Writes the runs of `part` with its page markers and sentence spans.
    fn part(&mut self, runs: &[Run<'_>], part: ArticlePart) {
        let marks = self.marks.part(part);
        self.part_with(runs, marks, part);
    }

    fn part_with(&mut self, runs: &[Run<'_>], marks: &[(usize, usize)], part: ArticlePart) {
        write_part(
            &mut self.out,
            runs,
            marks,
            self.markers,
            self.narration,
            part,
            self.markup.syntax,
        );
    }

    /// An element id, unique in the page: `name` with the article's prefix.
    fn id(&self, name: &str) -> String {
        format!("{}{name}", self.markup.id_prefix)
    }

    /// Writes the page markers `ks`, one a line.
    fn markers(&mut self, ks: impl IntoIterator<Item = usize>) {
        for k in ks {
            write_marker(&mut self.out, &self.markers[k], self.markup.syntax);
            self.out.push('\n');
        }
    }

    /// `<open>` the runs of `part` `</close>`.
    fn element(&mut self, open: &str, runs: &[Run<'_>], part: ArticlePart, close: &str) {
        self.out.push_str(open);
        self.part(runs, part);
        self.out.push_str(close);
    }
}

/// Writes the `<article>` element of article `i` (the `<body>` of a book's content
/// document, or one article of a page), as `files.markup` says; with `narration`, each
/// sentence wrapped in `<span id>` and ids on the images whose alt text is spoken.
#[allow(clippy::too_many_arguments)]
pub fn write_article(
    out: &mut String,
    p: &Publication,
    i: usize,
    files: &ArticleFiles,
    marks: Option<&ArticleMarks>,
    markers: &[Marker],
    front: &[usize],
    narration: Option<&DocumentOverlay>,
) {
    let a = &p.articles[i];
    let none = ArticleMarks::default();
    let mut doc = Doc {
        out: std::mem::take(out),
        markers,
        marks: marks.unwrap_or(&none),
        narration,
        lang: p.article_lang(i),
        markup: &files.markup,
    };
    let (id, title_id) = (doc.id("article"), doc.id("title"));
    doc.out.push_str("<article");
    attr(&mut doc.out, "id", &id);
    attr(&mut doc.out, "aria-labelledby", &title_id);
    if let Some(page) = &files.markup.page_lang
        && !page.eq_ignore_ascii_case(doc.lang)
    {
        lang_attrs(&mut doc.out, doc.lang);
    }
    doc.out.push_str(">\n<header>\n");
    doc.markers(front.iter().copied());
    header(&mut doc, a);
    doc.out.push_str("</header>\n");
    for (b, block) in a.blocks.iter().enumerate() {
        write_block(&mut doc, b, block, files);
    }
    if let Some(line) = source_line(p, i) {
        write_source_line(&mut doc, &line);
    }
    doc.markers(doc.marks.end.iter().copied());
    doc.out.push_str("</article>\n");
    *out = doc.out;
}

/// The heading element of `level` in this article: moved down by the markup's shift,
/// at most `h6`.
fn heading_tag(doc: &Doc<'_>, level: u8) -> u8 {
    level.saturating_add(doc.markup.heading_shift).min(6)
}

/// The title (a marker at offset 0 goes before the `h1`, others inside it), the byline
/// and the lead.
fn header(doc: &mut Doc<'_>, a: &Article) {
    let title_marks = doc.marks.part(ArticlePart::Title);
    let split = title_marks.iter().take_while(|(off, _)| *off == 0).count();
    let (before, inside) = title_marks.split_at(split);
    doc.markers(before.iter().map(|(_, k)| *k));
    let (h, id) = (heading_tag(doc, 1), doc.id("title"));
    doc.out.push_str(&format!("<h{h}"));
    attr(&mut doc.out, "id", &id);
    doc.out.push('>');
    doc.part_with(&[Run::plain(&a.title)], inside, ArticlePart::Title);
    doc.out.push_str(&format!("</h{h}>\n"));
    let shown = a.date.as_deref().map(|d| labels::display_date(d, doc.lang));
    if let Some(runs) = byline_runs(a, shown.as_deref()) {
        doc.element("<p class=\"byline\">", &runs, ArticlePart::Meta, "</p>\n");
    }
    if let Some(lead) = &a.lead {
        let runs = text_runs(lead, doc.lang);
        doc.element("<p class=\"lead\">", &runs, ArticlePart::Lead, "</p>\n");
    }
}

/// One block of the article.
fn write_block(doc: &mut Doc<'_>, b: usize, block: &Block, files: &ArticleFiles) {
    let part = ArticlePart::Block(b);
    match block {
        Block::Paragraph { text } => {
            let runs = text_runs(text, doc.lang);
            doc.element("<p>", &runs, part, "</p>\n");
        }
        Block::Heading { level, text } => {
            let level = heading_tag(doc, level.get());
            let runs = text_runs(text, doc.lang);
            let open = format!("<h{level} id=\"{}\">", doc.id(&format!("h-{b}")));
            doc.element(&open, &runs, part, &format!("</h{level}>\n"));
        }
        Block::Quote { text, attribution } => {
            if attribution.is_some() {
                doc.out.push_str("<figure class=\"quote\">\n");
            }
            let runs = text_runs(text, doc.lang);
            doc.element("<blockquote><p>", &runs, part, "</p></blockquote>\n");
            if let Some(at) = attribution {
                doc.element(
                    "<figcaption class=\"attribution\">",
                    &[Run::plain(at)],
                    ArticlePart::Attribution(b),
                    "</figcaption>\n</figure>\n",
                );
            }
        }
        Block::List { ordered, items } => {
            doc.markers(doc.marks.part(part).iter().map(|(_, k)| *k));
            doc.out.push_str(if *ordered { "<ol>\n" } else { "<ul>\n" });
            for (j, it) in items.iter().enumerate() {
                let runs = text_runs(it, doc.lang);
                doc.element("<li>", &runs, ArticlePart::Item(b, j), "</li>\n");
            }
            doc.out
                .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
        }
        Block::Figure(f) => {
            doc.markers(doc.marks.part(part).iter().map(|(_, k)| *k));
            let src = files.images.get(b).and_then(|s| s.as_deref());
            write_figure(doc, f, b, src);
        }
    }
}

/// The source link ([`Line::Source`]), labelled in the writer's words.
fn write_source_line(doc: &mut Doc<'_>, line: &labels::LabelledLine<'_>) {
    let out = &mut doc.out;
    out.push_str("<p class=\"source\">");
    let span = open_line(out, doc.narration, Line::Source);
    write_label(out, line.labels, doc.lang, line.label);
    out.push_str(labels::LABEL_SEPARATOR);
    out.push_str("<a");
    attr(out, "href", &crate::xml::href(line.value));
    out.push('>');
    escape_into(out, line.value);
    out.push_str("</a>");
    if span {
        out.push_str("</span>");
    }
    out.push_str("</p>\n");
}

/// A figure: `figure` with `img` and `figcaption` (caption, then credit), or a
/// decorative image with no caption as a `div` with `alt=""`.
fn write_figure(doc: &mut Doc<'_>, f: &Figure, b: usize, src: Option<&str>) {
    let caption_marks = doc.marks.part(ArticlePart::Caption(b));
    let has_caption = f.caption.is_some() || f.credit.is_some();
    let bare = f.decorative && !has_caption && caption_marks.is_empty();
    let out = &mut doc.out;
    if bare {
        out.push_str(&format!(
            "<div class=\"figure decorative\" id=\"{}fig-{b}\">",
            doc.markup.id_prefix
        ));
    } else {
        out.push_str(&format!(
            "<figure id=\"{}fig-{b}\">\n",
            doc.markup.id_prefix
        ));
    }
    if let Some(src) = src {
        out.push_str("<img");
        if let Some(id) = doc.narration.and_then(|n| n.image_ids.get(&b)) {
            attr(out, "id", id);
        }
        attr(out, "src", src);
        if f.decorative {
            out.push_str(" alt=\"\" role=\"presentation\"");
        } else {
            attr(out, "alt", f.alt.as_deref().unwrap_or(""));
        }
        if let Some(img) = &f.image {
            out.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                img.width, img.height
            ));
        }
        out.push_str("/>");
    }
    if bare {
        out.push_str("</div>\n");
        return;
    }
    out.push('\n');
    if has_caption || !caption_marks.is_empty() {
        let mut runs = f
            .caption
            .as_ref()
            .map(|c| text_runs(c, doc.lang))
            .unwrap_or_default();
        if let Some(cr) = &f.credit {
            if !runs.is_empty() {
                runs.push(Run::plain(" "));
            }
            runs.push(Run {
                class: Some("credit"),
                ..Run::plain(cr)
            });
        }
        doc.element(
            "<figcaption>",
            &runs,
            ArticlePart::Caption(b),
            "</figcaption>\n",
        );
    }
    doc.out.push_str("</figure>\n");
}
