//! Runs of text with their inline markup: spans become `em`, `strong`, `a href` and
//! `span lang xml:lang`; the print edition's page-break markers (placed by
//! [`super::pages`]) are cut in between words; in a narrated document each sentence is
//! wrapped in `<span id>`. Also the writer's own words ([`write_label`]) and the two
//! syntaxes ([`Syntax`]) every piece is written in.

use std::ops::Range;

use super::lines::Line;
use super::narration::DocumentOverlay;
use super::pages::{Marker, Piece, interleave};
use crate::labels::{self, BYLINE_SEPARATOR, Labels};
use crate::model::{Article, Text};
use crate::pagemap::ArticlePart;
use crate::xml::{attr, escape_into, lang_attrs};

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
/// write it (the same line the print edition shows). `None` when the article has neither.
/// Its text is what page-map offsets into [`ArticlePart::Meta`] count in.
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

/// The syntax a document is written in: XHTML (a packaged book's content documents), or
/// HTML (a page parsed as `text/html`, where `<span/>` would not close and `epub:type`,
/// the packaging vocabulary's attribute, means nothing). Everything else is written the
/// same in both: the HTML markup is also well-formed XML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Syntax {
    /// XHTML, parsed as XML.
    #[default]
    Xhtml,
    /// HTML served as `text/html`.
    Html,
}

/// Writes one page-break marker: an empty `span` with the DPUB-ARIA role, its `id` (the
/// page list's target) and the page label as its accessible name in `title` (not
/// `aria-label`: see "Page-break markers" in `docs/epub-accessibility.md`); in XHTML
/// also `epub:type="pagebreak"` (the packaging vocabulary's name for it, which the
/// attribute's prefix cannot avoid).
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

/// Writes runs with page markers at their offsets and, in a narrated document, each sentence of
/// `sentences` (byte ranges into the runs' concatenated text, in reading order, with their
/// element ids) wrapped in `<span id>`; no sentences when nothing is narrated. Consecutive runs
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

/// Opens `<span id>` around a line that is narrated as one sentence; whether it did (and
/// the caller must close it).
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
