//! Layout: a publication → pages of positioned glyph runs and images.
//!
//! One stage per file: `shape` (itemise by font and style, shape with harfrust),
//! `linebreak` (UAX #14 + hyphenation + minimum-raggedness breaking), `typeset`
//! (styled text → lines), `flows` (the model's blocks → flows of lines with their
//! styles), `pager` (page geometry, widows and orphans, headings kept with what follows,
//! figures kept with their captions) and `front_matter` (a bulletin's title page and
//! contents). This file holds the output types and [`layout`], which runs them. The
//! result is independent of the drawing library: the print edition draws it, and its page
//! map is what the other editions' page lists follow.

mod anchors;
mod flows;
mod front_matter;
pub mod geometry;
pub(crate) mod linebreak;
mod pager;
mod typeset;

use std::sync::Arc;

use rayon::prelude::*;

use crate::error::{Diagnostic, Result};
use crate::fonts::{FontFace, FontSet};
use crate::model::PageSizeName;
use crate::model::Publication;
use crate::pagemap::{ArticlePart, PageMap, PageStart, TextAnchor};
use crate::prepare::Prepared;
use crate::scale::FontScale;

use flows::article_flows;
use front_matter::front_matter;
use pager::Pager;
use typeset::{Flow, Typesetter};

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;
/// The outer, top and bottom margin, mm.
pub const MARGIN_MM: f32 = 25.0;
/// The binding gutter added to the inner margin, mm.
pub const GUTTER_MM: f32 = 6.0;

/// Options for laying out a print edition.
#[derive(Debug, Clone)]
pub struct LayoutOptions {
    /// The font scale.
    pub scale: FontScale,
    /// The page size.
    pub page_size: PageSizeName,
    /// The fonts; [`FontSet::bundled`] for the scale by default.
    pub fonts: FontSet,
    /// Where a bulletin's next article begins.
    pub article_break: ArticleBreak,
}

/// Where the next article of a bulletin begins (`--article-break`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ArticleBreak {
    /// On the page where the previous one ends, below a rule, when at least
    /// `SHARE_PAGE_SHARE` of that page's text area is left (and its title and first
    /// lines fit there); else on a new page.
    #[default]
    Share,
    /// Always on a new page.
    Page,
}

impl std::str::FromStr for ArticleBreak {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "share" | "auto" => Ok(ArticleBreak::Share),
            "page" => Ok(ArticleBreak::Page),
            _ => Err(format!(
                "unknown article break `{s}`\n  hint: use `share` (an article may begin on the page where the previous one ends) or `page` (each article on a new page)"
            )),
        }
    }
}

/// The thickness of an article separator, pt.
pub const SEPARATOR_PT: f32 = 1.5;

/// The least share of a page's text area that must be left for the next article of a
/// bulletin to begin on it ([`ArticleBreak::Share`]).
pub const SHARE_PAGE_SHARE: f32 = 1.0 / 3.0;

impl LayoutOptions {
    /// Defaults for a scale: A5, the bundled fonts for that scale.
    #[cfg(test)]
    pub(crate) fn new(scale: FontScale) -> LayoutOptions {
        LayoutOptions {
            scale,
            page_size: PageSizeName::A5,
            fonts: FontSet::bundled(scale.is_large_print()),
            article_break: ArticleBreak::default(),
        }
    }
}

/// Page width and height in points.
pub fn page_dimensions(size: PageSizeName) -> (f32, f32) {
    match size {
        PageSizeName::A4 => (210.0 * MM, 297.0 * MM),
        PageSizeName::A5 => (148.0 * MM, 210.0 * MM),
        PageSizeName::Letter => (612.0, 792.0),
    }
}

/// What a piece of page content belongs to, for the structure tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// Front matter of a bulletin.
    Front(FrontPart),
    /// A part of an article.
    Article(usize, ArticlePart),
    /// The label (bullet or number) of item `j` of list block `i` of article `a`.
    ListLabel(usize, usize, usize),
}

/// Parts of a bulletin's title page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FrontPart {
    /// The publication title.
    Title,
    /// The description.
    Description,
    /// Publisher and date.
    Meta,
    /// The "Contents" heading.
    TocHeading,
    /// The contents entry of article `i`.
    TocEntry(usize),
}

/// A link target.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A web or mail address.
    Uri(String),
    /// A page of this document (index) and a y position on it.
    Page(usize, f32),
}

/// A glyph placed in a run; advances and offsets in ems, `text` a byte range of the run's text.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id.
    pub id: u32,
    /// Advance, ems.
    pub x_advance: f32,
    /// Horizontal offset, ems.
    pub x_offset: f32,
    /// Vertical offset, ems (up is positive).
    pub y_offset: f32,
    /// The bytes of [`GlyphRun::text`] this glyph shows.
    pub text: std::ops::Range<usize>,
}

/// A run of glyphs in one face, size and style on one line.
#[derive(Debug, Clone)]
pub struct GlyphRun {
    /// The face.
    pub face: Arc<FontFace>,
    /// Size, pt.
    pub size: f32,
    /// Left edge of the run, pt from the page's left edge.
    pub x: f32,
    /// The text the glyphs show.
    pub text: String,
    /// The glyphs.
    pub glyphs: Vec<PlacedGlyph>,
    /// Language, when it differs from the article's.
    pub lang: Option<String>,
    /// Link target.
    pub link: Option<LinkTarget>,
    /// Advance width, pt.
    pub width: f32,
}

/// One line of text.
#[derive(Debug, Clone)]
pub struct Line {
    /// What it belongs to.
    pub owner: Owner,
    /// Baseline, pt from the page's top.
    pub baseline: f32,
    /// Height above the baseline reserved for the tallest glyphs, pt.
    pub ascent: f32,
    /// Depth below the baseline, pt.
    pub descent: f32,
    /// The runs, left to right.
    pub runs: Vec<GlyphRun>,
    /// Byte offset in the owner's text where this line begins.
    pub offset: usize,
    /// The line ends with an inserted hyphen.
    pub hyphenated: bool,
    /// The line ends where a sentence of its text ends (or where the text ends): a page
    /// may break after it without cutting a sentence (`crate::address::sentences`).
    pub sentence_end: bool,
}

/// An image placed on a page.
#[derive(Debug, Clone)]
pub struct PlacedImage {
    /// Article index.
    pub article: usize,
    /// Block index of the figure.
    pub block: usize,
    /// Left, pt.
    pub x: f32,
    /// Top, pt.
    pub y: f32,
    /// Width, pt.
    pub width: f32,
    /// Height, pt.
    pub height: f32,
}

/// Page content.
#[derive(Debug, Clone)]
pub enum Item {
    /// A line of text.
    Line(Line),
    /// An image.
    Image(PlacedImage),
}

/// Pagination furniture (drawn as artifacts).
#[derive(Debug, Clone)]
pub struct Furniture {
    /// Running header line, if any.
    pub header: Option<Line>,
    /// Page number line.
    pub page_number: Line,
}

/// A laid-out page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's label (`i`, `ii` for front matter; `1`, `2` … after).
    pub label: String,
    /// Whether it is front matter.
    pub front_matter: bool,
    /// Content, in reading order.
    pub items: Vec<Item>,
    /// Header and page number.
    pub furniture: Furniture,
    /// Rules across the text area that separate an article from the previous one on a
    /// page they share ([`ArticleBreak::Share`]): the top of each, pt from the page's top
    /// (drawn as artifacts, `SEPARATOR_PT` thick).
    pub separators: Vec<f32>,
    /// The text area: left, top, right, bottom (pt from the top-left corner). Everything,
    /// furniture included, is drawn inside it.
    pub area: [f32; 4],
}

/// An outline (bookmark) entry.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// 1 for article titles, 2–6 for subheadings (1 for the title page too).
    pub level: u8,
    /// The text.
    pub title: String,
    /// Page index.
    pub page: usize,
    /// Top of the heading, pt.
    pub y: f32,
}

/// A laid-out publication.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Page width, pt.
    pub(crate) width: f32,
    /// Page height, pt.
    pub(crate) height: f32,
    /// The pages.
    pub(crate) pages: Vec<Page>,
    /// Bookmarks, in reading order.
    pub(crate) outline: Vec<OutlineEntry>,
    /// Where each page begins in the text.
    pub(crate) page_map: PageMap,
    /// Index of each article's first page.
    pub(crate) article_pages: Vec<usize>,
    /// What the reader should know about this layout: each figure whose caption runs on
    /// to the next page (it does not fit on one page even below its image made as small
    /// as it may be).
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Layout {
    /// The printed text in print order, page by page: each line's text as drawn (with the
    /// hyphen of a broken word), a line break after each line (running headers and page
    /// numbers left out). It is what copying from the printed file gives; it differs from
    /// the reading order only where a figure floated to a later page (the structure tree
    /// and the reflowable editions keep the author's order).
    pub(crate) fn printed_text(&self) -> String {
        let mut out = String::new();
        for item in self.pages.iter().flat_map(|p| &p.items) {
            if let Item::Line(line) = item {
                for run in &line.runs {
                    out.push_str(&run.text);
                }
                out.push('\n');
            }
        }
        out
    }
}

/// A human description of a print edition, used as its page map's `source` (the EPUB's
/// `pageBreakSource`), e.g. `anpham large-print PDF edition, A5, 18 pt body`.
pub fn edition_description(options: &LayoutOptions) -> String {
    let size = match options.page_size {
        PageSizeName::A4 => "A4",
        PageSizeName::A5 => "A5",
        PageSizeName::Letter => "Letter",
    };
    let kind = if options.scale.is_large_print() {
        "large-print "
    } else {
        ""
    };
    format!(
        "anpham {kind}PDF edition, {size}, {} pt body",
        crate::scale::fmt_pt(options.scale.body_pt())
    )
}

/// Articles set before the first is paginated, and paginated while the next ones are
/// set ([`lay_out`]): small enough that the last batch's pagination is short, large
/// enough that each batch keeps every core busy.
const PAGINATION_BATCH: usize = 8;

/// Lays out a prepared publication: checks once that the fonts can draw it
/// ([`Prepared::check_fonts`]), then sets and paginates it. The page map of the result
/// is complete (its `source` is `edition_description`) without any PDF being written.
pub fn layout(publication: &Prepared, options: &LayoutOptions) -> Result<Layout> {
    publication.check_fonts(&options.fonts)?;
    let mut lay = lay_out(publication, options);
    lay.page_map.source = edition_description(options);
    Ok(lay)
}

fn lay_out(publication: &Publication, options: &LayoutOptions) -> Layout {
    lay_out_in_batches(publication, options, PAGINATION_BATCH)
}

/// [`lay_out`], paginating `batch` articles while the next `batch` are set.
fn lay_out_in_batches(publication: &Publication, options: &LayoutOptions, batch: usize) -> Layout {
    let batch_len = batch.max(1);
    let (pw, ph) = page_dimensions(options.page_size);
    let metrics = options.scale.metrics();
    let large = options.scale.is_large_print();
    let margin = MARGIN_MM * MM;
    let gutter = GUTTER_MM * MM;
    let width = pw - 2.0 * margin - gutter;
    let fonts = &options.fonts;
    let (ascent_em, descent_em) = tallest_extents(fonts);
    let ts = Typesetter {
        fonts,
        metrics,
        large,
        width,
        ascent_em,
        descent_em,
    };
    let mut pager = Pager::new(
        ph,
        margin,
        gutter,
        &ts,
        &publication.title,
        &publication.lang,
    );
    let mut outline = Vec::new();
    let mut article_pages = Vec::new();
    // Articles are set in parallel (each one's blocks too: see `article_flows`) and
    // paginated in order, a batch at a time: a batch is paginated while the next one is
    // set, so that pagination, which is serial, does not wait for the last article.
    let set_batch = |first: usize| -> Vec<Vec<Flow>> {
        let end = (first + batch_len).min(publication.articles.len());
        (first..end)
            .into_par_iter()
            .map(|ai| {
                let lang = publication.article_lang(ai);
                article_flows(&ts, ai, &publication.articles[ai], lang)
            })
            .collect()
    };
    let mut paginate = |first: usize, batch: Vec<Vec<Flow>>| {
        for (ai, flows) in (first..).zip(batch) {
            // The pages this article opens are headed with its title.
            pager.set_running_header(&running_header(publication, ai));
            if ai > 0 || pager.has_content() {
                let share = options.article_break == ArticleBreak::Share
                    && pager.remaining() >= SHARE_PAGE_SHARE * (pager.bottom - pager.top);
                if share {
                    pager.separate();
                } else {
                    pager.new_page();
                }
            }
            pager.place_all(flows, &mut outline, Some(ai));
            article_pages.push(pager.first_page_of(ai).unwrap_or(0));
        }
    };
    let mut batch = set_batch(0);
    let mut first = 0;
    while first + batch_len < publication.articles.len() {
        let next = first + batch_len;
        let (set, ()) = rayon::join(|| set_batch(next), || paginate(first, batch));
        (batch, first) = (set, next);
    }
    paginate(first, batch);
    let warnings = pager
        .caption_run_ons
        .iter()
        .map(|&(ai, bi)| caption_run_on_warning(publication, ai, bi, options))
        .collect();
    let pages = pager.finish();
    let page_map = PageMap {
        source: String::new(),
        pages: anchors::page_starts(&pages),
    };
    let mut lay = Layout {
        width: pw,
        height: ph,
        pages,
        outline,
        page_map,
        article_pages,
        warnings,
    };
    // Bulletins: a title page with the contents in front, numbered i, ii, ….
    if publication.is_bulletin() {
        let labels: Vec<(String, usize)> = lay
            .article_pages
            .iter()
            .map(|&i| (lay.pages[i].label.clone(), i))
            .collect();
        let front = front_matter(&ts, publication, &labels, ph, margin, gutter);
        prepend_front_matter(&mut lay, front, &publication.title, margin);
    }
    lay
}

/// The warning about figure `bi` of article `ai`, whose caption runs on to the next
/// page: it names the file and the figure's field, the figure's place among the article's
/// figures and the edition.
fn caption_run_on_warning(
    publication: &Publication,
    ai: usize,
    bi: usize,
    options: &LayoutOptions,
) -> Diagnostic {
    let article = &publication.articles[ai];
    let (file, prefix) = match &article.origin {
        Some(o) if !o.field.is_empty() => (o.file.clone(), format!("{}.", o.field)),
        Some(o) => (o.file.clone(), String::new()),
        None => (std::path::PathBuf::from("<article>"), String::new()),
    };
    let number = article.blocks[..bi]
        .iter()
        .filter(|b| matches!(b, crate::model::Block::Figure(_)))
        .count()
        + 1;
    Diagnostic::field(
        &file,
        format!("{prefix}blocks[{bi}]"),
        format!(
            "figure {number} of “{}”: its caption does not fit on one page below its image, even with the image at {} % of the page's height; in the {} it runs on to the next page",
            article.title,
            (pager::MIN_FIGURE_SHARE * 100.0).round(),
            edition_description(options),
        ),
    )
    .with_hint("shorten the caption (or the credit), or choose a smaller scale or a larger page")
    .as_warning()
}

/// The highest ascent and deepest descent (ems) of the regular and bold faces of every
/// family: the line box every line gets.
fn tallest_extents(fonts: &FontSet) -> (f32, f32) {
    let (mut ascent_em, mut descent_em) = (0.0f32, 0.0f32);
    for fam in &fonts.families {
        for f in [&fam.regular, &fam.bold] {
            ascent_em = ascent_em.max(f.max_ascent_em);
            descent_em = descent_em.max(f.max_descent_em);
        }
    }
    (ascent_em, descent_em)
}

/// The running header of the pages article `ai` opens: its title, so that a reader who
/// opens any page knows which article it belongs to (a single article's title is the
/// publication's).
fn running_header(publication: &Publication, ai: usize) -> String {
    publication
        .articles
        .get(ai)
        .map_or_else(|| publication.title.clone(), |a| a.title.clone())
}

/// Puts a bulletin's front matter pages before the articles' pages: every page index
/// (outline, article starts, contents links) moves by their number, the page map gets
/// front-matter entries, and the outline nests the articles under the publication title.
fn prepend_front_matter(lay: &mut Layout, mut front: Vec<Page>, title: &str, top: f32) {
    let n = front.len();
    for o in &mut lay.outline {
        o.page += n;
        // Article entries nest under the publication title.
        o.level = (o.level + 1).min(6);
    }
    for p in &mut lay.article_pages {
        *p += n;
    }
    for p in &mut front {
        for item in &mut p.items {
            if let Item::Line(l) = item {
                for r in &mut l.runs {
                    if let Some(LinkTarget::Page(pg, _)) = &mut r.link {
                        *pg += n;
                    }
                }
            }
        }
    }
    lay.outline.insert(
        0,
        OutlineEntry {
            level: 1,
            title: title.to_string(),
            page: 0,
            y: top,
        },
    );
    lay.page_map.pages.splice(
        0..0,
        front.iter().map(|p| PageStart {
            label: p.label.clone(),
            anchor: TextAnchor::FrontMatter,
        }),
    );
    front.append(&mut lay.pages);
    lay.pages = front;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block};

    /// A bulletin of `n` articles of different lengths.
    fn bulletin(n: usize) -> Publication {
        let article = |k: usize| {
            let mut a = Article::new(format!("Bài số {k}: tin Bắc Kạn"));
            for p in 0..(1 + k % 5) {
                let text = format!("Đoạn {p} của bài {k}, Ẫ ệ. ").repeat(12 + 7 * (k % 3));
                a.blocks.push(Block::Paragraph {
                    text: text.as_str().into(),
                });
            }
            a
        };
        let mut p = Publication::single(article(0));
        p.title = "Bản tin".into();
        p.articles.extend((1..n).map(article));
        p
    }

    fn header_text(page: &Page) -> String {
        page.furniture
            .header
            .iter()
            .flat_map(|l| &l.runs)
            .map(|r| r.text.as_str())
            .collect()
    }

    #[test]
    fn the_running_head_names_the_article_of_the_page() {
        let p = bulletin(6);
        let lay = lay_out(&p, &LayoutOptions::new(FontScale::LARGE));
        for (ai, &first) in lay.article_pages.iter().enumerate() {
            let end = lay
                .article_pages
                .get(ai + 1)
                .copied()
                .unwrap_or(lay.pages.len());
            // The pages this article opens (a page it shares with the previous one keeps
            // that one's head).
            for page in &lay.pages[first + 1..end] {
                let head = header_text(page);
                let title = &p.articles[ai].title;
                assert!(
                    head == *title
                        || (head.ends_with('…') && title.starts_with(head.trim_end_matches('…'))),
                    "page {}: {head} for {title}",
                    page.label
                );
            }
        }
    }

    #[test]
    fn articles_share_pages_unless_asked_to_break() {
        let p = bulletin(12);
        let shared = lay_out(&p, &LayoutOptions::new(FontScale::LARGE));
        let mut options = LayoutOptions::new(FontScale::LARGE);
        options.article_break = ArticleBreak::Page;
        let broken = lay_out(&p, &options);
        let rules = |l: &Layout| l.pages.iter().map(|pg| pg.separators.len()).sum::<usize>();
        assert!(rules(&shared) > 0);
        assert_eq!(rules(&broken), 0);
        assert!(
            shared.pages.len() < broken.pages.len(),
            "{} vs {}",
            shared.pages.len(),
            broken.pages.len()
        );
        // Each article still begins where the contents say, below its rule when shared.
        let starts: std::collections::HashSet<usize> =
            broken.article_pages.iter().copied().collect();
        assert_eq!(starts.len(), 12);
        assert_eq!("page".parse::<ArticleBreak>(), Ok(ArticleBreak::Page));
        assert!("sometimes".parse::<ArticleBreak>().is_err());
    }

    #[test]
    fn batched_pagination_gives_the_layout_of_paginating_all_at_once() {
        let p = bulletin(21);
        assert!(p.is_bulletin());
        let options = LayoutOptions::new(FontScale::LARGE);
        let all = format!("{:?}", lay_out_in_batches(&p, &options, usize::MAX));
        for batch in [1, 8, 20] {
            let lay = lay_out_in_batches(&p, &options, batch);
            assert_eq!(lay.article_pages.len(), 21);
            assert_eq!(format!("{lay:?}"), all, "batches of {batch}");
        }
    }
}
