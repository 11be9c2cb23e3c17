//! Content documents: one semantic XHTML5 document per article, and a title page for
//! bulletins.
//!
//! An article becomes `<article>` with a `<header>` (the one `h1`, the byline with the
//! author and a `<time datetime>`, the lead as a paragraph of its own), then its blocks:
//! `p`, `h2`–`h6` (validation guarantees no skipped level), `figure` with `img alt` and
//! `figcaption` (decorative images: `alt=""` and `role="presentation"`), `blockquote`
//! (inside a `figure` whose `figcaption` is the attribution, as HTML recommends), `ul`
//! and `ol`, and a source link. Inline spans become `em`, `strong`, `a href` and
//! `span lang xml:lang`. Page-break markers of the print edition are placed by
//! [`super::pages`].

use std::ops::Range;

use super::overlay::{DocumentOverlay, Line};
use super::pages::{Marker, Piece, interleave};
use crate::labels::{self, BYLINE_SEPARATOR, Labels};
use crate::model::{Article, Publication, Text};
use crate::pagemap::ArticlePart;
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

/// A run of text with its inline markup.
#[derive(Debug, Clone, Copy, Default)]
pub struct Run<'a> {
    /// The characters.
    pub text: &'a str,
    /// `<em>`.
    pub emphasis: bool,
    /// `<strong>`.
    pub strong: bool,
    /// `<a href>`.
    pub href: Option<&'a str>,
    /// `lang` when it differs from the surrounding language.
    pub lang: Option<&'a str>,
    /// `<span class>` around it.
    pub class: Option<&'static str>,
    /// `<time datetime>` around it.
    pub time: Option<&'a str>,
}

impl<'a> Run<'a> {
    /// Plain text.
    pub fn plain(text: &'a str) -> Run<'a> {
        Run {
            text,
            ..Run::default()
        }
    }
}

/// The runs of a [`Text`]; `lang` is dropped where it equals `context_lang`.
pub fn text_runs<'a>(t: &'a Text, context_lang: &str) -> Vec<Run<'a>> {
    t.spans
        .iter()
        .map(|s| Run {
            text: &s.text,
            emphasis: s.emphasis,
            strong: s.strong,
            href: s.href.as_deref(),
            lang: s
                .lang
                .as_deref()
                .filter(|l| !l.eq_ignore_ascii_case(context_lang)),
            class: None,
            time: None,
        })
        .collect()
}

/// The byline line of an article: the author, ` — `, the date as readers of `lang`
/// write it (the same line as the PDF edition prints). `None` when the article has neither. Its text is what page-map offsets
/// into [`ArticlePart::Meta`] count in.
pub fn byline_runs<'a>(a: &'a Article, date_display: Option<&'a str>) -> Option<Vec<Run<'a>>> {
    let mut runs = Vec::new();
    if let Some(author) = a.author.as_deref() {
        runs.push(Run {
            class: Some("author"),
            ..Run::plain(author)
        });
    }
    if let (Some(date), Some(shown)) = (a.date.as_deref(), date_display) {
        if !runs.is_empty() {
            runs.push(Run::plain(BYLINE_SEPARATOR));
        }
        runs.push(Run {
            time: Some(date),
            ..Run::plain(shown)
        });
    }
    (!runs.is_empty()).then_some(runs)
}

/// The syntax a document is written in: the EPUB's XHTML, or HTML (the single-file HTML
/// edition, parsed as `text/html`, where `<span/>` would not close and `epub:type`
/// means nothing). Everything else is written the same in both: the HTML edition's
/// markup is also well-formed XML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Syntax {
    /// XHTML in an EPUB.
    #[default]
    Xhtml,
    /// HTML served as `text/html`.
    Html,
}

/// Writes one page-break marker: an empty `span` with the DPUB-ARIA role, its `id` (the
/// page list's target) and the page label as its accessible name in `title` (not
/// `aria-label`: see "Page-break markers" in `docs/epub-accessibility.md`); in an EPUB
/// also `epub:type="pagebreak"`.
pub fn write_marker(out: &mut String, m: &Marker, syntax: Syntax) {
    out.push_str("<span role=\"doc-pagebreak\"");
    if syntax == Syntax::Xhtml {
        out.push_str(" epub:type=\"pagebreak\"");
    }
    attr(out, "id", &m.id);
    attr(out, "title", &m.label);
    match syntax {
        Syntax::Xhtml => out.push_str("/>"),
        Syntax::Html => out.push_str("></span>"),
    }
}

/// Writes one piece of a run's text with the run's inline markup.
fn write_piece_text(out: &mut String, r: &Run<'_>, text: &str) {
    if let Some(c) = r.class {
        out.push_str("<span");
        attr(out, "class", c);
        out.push('>');
    }
    if let Some(d) = r.time {
        out.push_str("<time");
        attr(out, "datetime", d);
        out.push('>');
    }
    if let Some(l) = r.lang {
        out.push_str("<span");
        lang_attrs(out, l);
        out.push('>');
    }
    if r.strong {
        out.push_str("<strong>");
    }
    if r.emphasis {
        out.push_str("<em>");
    }
    escape_into(out, text);
    if r.emphasis {
        out.push_str("</em>");
    }
    if r.strong {
        out.push_str("</strong>");
    }
    if r.lang.is_some() {
        out.push_str("</span>");
    }
    if r.time.is_some() {
        out.push_str("</time>");
    }
    if r.class.is_some() {
        out.push_str("</span>");
    }
}

/// Writes runs with page markers at their offsets and, in a narrated EPUB, each sentence of
/// `sentences` (byte ranges into the runs' concatenated text, in reading order, with their
/// element ids) wrapped in `<span id>`; no sentences for the plain EPUB. Consecutive runs
/// with the same link share one `<a>`; a marker or a sentence boundary closes the link and
/// opens it again after itself, so a marker is never inside a link and a link never
/// straddles two sentences.
pub fn write_runs(
    out: &mut String,
    runs: &[Run<'_>],
    marks: &[(usize, usize)],
    markers: &[Marker],
    sentences: &[(Range<usize>, String)],
    syntax: Syntax,
) {
    let pieces: Vec<Piece<'_>> = if marks.is_empty() {
        // The common case: no cutting at page markers.
        runs.iter()
            .enumerate()
            .map(|(run, r)| Piece::Text { run, text: r.text })
            .collect()
    } else {
        let texts: Vec<&str> = runs.iter().map(|r| r.text).collect();
        interleave(&texts, marks)
    };
    let mut open = Open::default();
    let mut pos = 0usize;
    let mut cuts: Vec<usize> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Marker(k) => {
                open.close_link(out);
                write_marker(out, &markers[k], syntax);
            }
            Piece::Text { run, text } => {
                let r = &runs[run];
                let start = pos;
                pos += text.len();
                // Cut the piece where sentences begin and end.
                cuts.clear();
                cuts.extend(
                    sentences
                        .iter()
                        .flat_map(|(s, _)| [s.start, s.end])
                        .filter(|&c| c > start && c < pos && text.is_char_boundary(c - start)),
                );
                cuts.push(pos);
                cuts.sort_unstable();
                cuts.dedup();
                let mut a = start;
                for &b in &cuts {
                    let inside = sentences
                        .iter()
                        .position(|(s, _)| s.start <= a && a < s.end);
                    open.sentence(out, inside, sentences);
                    open.link(out, r.href);
                    write_piece_text(out, r, &text[a - start..b - start]);
                    a = b;
                }
            }
        }
    }
    open.close_link(out);
    open.sentence(out, None, sentences);
}

/// The link and the sentence span open while runs are written.
#[derive(Default)]
struct Open<'a> {
    href: Option<&'a str>,
    sentence: Option<usize>,
}

impl<'a> Open<'a> {
    fn close_link(&mut self, out: &mut String) {
        if self.href.take().is_some() {
            out.push_str("</a>");
        }
    }

    /// Moves into sentence `inside` (none: between sentences), closing the link and
    /// the span of the sentence left.
    fn sentence(
        &mut self,
        out: &mut String,
        inside: Option<usize>,
        all: &[(Range<usize>, String)],
    ) {
        if inside == self.sentence {
            return;
        }
        self.close_link(out);
        if self.sentence.is_some() {
            out.push_str("</span>");
        }
        if let Some(s) = inside {
            out.push_str("<span");
            attr(out, "id", &all[s].1);
            out.push('>');
        }
        self.sentence = inside;
    }

    /// Moves into the link `href` (none: outside links).
    fn link(&mut self, out: &mut String, href: Option<&'a str>) {
        if self.href == href {
            return;
        }
        self.close_link(out);
        if let Some(h) = href {
            out.push_str("<a");
            attr(out, "href", &crate::xml::href(h));
            out.push('>');
        }
        self.href = href;
    }
}

/// How to refer to an article's files and figures.
#[derive(Debug, Clone)]
pub struct ArticleFiles {
    /// The stylesheet's href relative to the document.
    pub css: String,
    /// For each block, the image href (figures only).
    pub images: Vec<Option<String>>,
    /// How the article element is written ([`ArticleMarkup::default`] in an EPUB).
    pub markup: ArticleMarkup,
}

/// What differs when an article is one of several in a page rather than a document of
/// its own: the syntax, a prefix that keeps its ids unique in the page, how many levels
/// its headings move down (under the page's `h1`), and the page's language (the
/// `<article>` gets `lang` when its own differs).
#[derive(Debug, Clone, Default)]
pub struct ArticleMarkup {
    /// XHTML (EPUB) or HTML.
    pub syntax: Syntax,
    /// Prepended to every id the article writes (not to page markers, unique already).
    pub id_prefix: String,
    /// Added to every heading level (at most `h6`).
    pub heading_shift: u8,
    /// The language of the enclosing page; `None`: the article is the document.
    pub page_lang: Option<String>,
}

/// Writes runs of `part`: with its sentences wrapped when the document is narrated.
pub(super) fn write_part(
    out: &mut String,
    runs: &[Run<'_>],
    marks: &[(usize, usize)],
    markers: &[Marker],
    narration: Option<&DocumentOverlay>,
    part: ArticlePart,
    syntax: Syntax,
) {
    let sentences = narration.and_then(|n| n.sentences.get(&part));
    write_runs(
        out,
        runs,
        marks,
        markers,
        sentences.map_or(&[], Vec::as_slice),
        syntax,
    );
}

/// Opens `<span id>` around a line of the writer's own that is narrated as one sentence;
/// whether it did (and the caller must close it).
pub(super) fn open_line(out: &mut String, narration: Option<&DocumentOverlay>, line: Line) -> bool {
    match narration
        .and_then(|n| n.lines.get(&line))
        .and_then(|s| s.first())
    {
        Some((_, id)) => {
            out.push_str("<span");
            attr(out, "id", id);
            out.push('>');
            true
        }
        None => false,
    }
}

/// Writes a plain line of the writer's own: with its sentences wrapped when narrated.
fn write_plain_line(out: &mut String, text: &str, narration: Option<&DocumentOverlay>, line: Line) {
    let sentences = narration.and_then(|n| n.lines.get(&line));
    write_runs(
        out,
        &[Run::plain(text)],
        &[],
        &[],
        sentences.map_or(&[], Vec::as_slice),
        Syntax::Xhtml,
    );
}

/// Writes one of the writer's own words, marked with its language when it differs
/// from the document's.
pub fn write_label(out: &mut String, lab: &Labels, doc_lang: &str, text: &str) {
    if labels::is_lang(doc_lang, lab.lang) {
        escape_into(out, text);
    } else {
        out.push_str("<span");
        lang_attrs(out, lab.lang);
        out.push('>');
        escape_into(out, text);
        out.push_str("</span>");
    }
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

/// The lines of a bulletin's title page: the `h1` title (`id="title"`), description,
/// publisher and date; with `narration`, wrapped for the Media Overlays. The EPUB's title
/// page and the HTML edition's page header write them here.
pub fn write_title_block(out: &mut String, p: &Publication, narration: Option<&DocumentOverlay>) {
    let lang = p.lang.as_str();
    out.push_str("<h1 id=\"title\">");
    write_plain_line(out, &p.title, narration, Line::Title);
    out.push_str("</h1>\n");
    if let Some(d) = &p.description {
        out.push_str("<p class=\"description\">");
        write_plain_line(out, d, narration, Line::Description);
        out.push_str("</p>\n");
    }
    if let Some(pb) = &p.publisher {
        // The narration speaks the same line (`labels::publisher_line`).
        let line = labels::publisher_line(lang, pb);
        out.push_str("<p class=\"publisher\">");
        let span = open_line(out, narration, Line::Publisher);
        write_label(out, line.labels, lang, line.label);
        out.push_str(labels::LABEL_SEPARATOR);
        escape_into(out, line.value);
        if span {
            out.push_str("</span>");
        }
        out.push_str("</p>\n");
    }
    if let Some(d) = &p.date {
        out.push_str("<p class=\"date\">");
        let span = open_line(out, narration, Line::Date);
        out.push_str("<time");
        attr(out, "datetime", d);
        out.push('>');
        escape_into(out, &labels::display_date(d, lang));
        out.push_str("</time>");
        if span {
            out.push_str("</span>");
        }
        out.push_str("</p>\n");
    }
}
