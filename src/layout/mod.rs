//! Layout: a publication → pages of positioned glyph runs and images.
//!
//! The stages are [`shape`] (itemise by font and style, shape with harfrust),
//! [`linebreak`] (UAX #14 + hyphenation + minimum-raggedness breaking) and the
//! pagination in this module (page geometry, widows and orphans, headings kept with
//! what follows, figures kept with their captions, a title page with contents for
//! bulletins). The result is independent of the PDF library: [`crate::pdf`] draws it.

pub mod linebreak;
pub mod shape;

use std::sync::Arc;

use rayon::prelude::*;

use crate::fonts::{FontFace, FontSet};
use crate::input::PageSizeName;
use crate::labels;
use crate::model::{Article, Block, Publication, Text};
use crate::pagemap::{ArticlePart, PageMap, PageStart, TextAnchor};
use crate::scale::{FontScale, ScaleMetrics};

use linebreak::{LineBreak, break_lines, hyphenates};
use shape::{Shaped, Style, StyledText};

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
}

impl LayoutOptions {
    /// Defaults for a scale: A5, the bundled fonts for that scale.
    pub fn new(scale: FontScale) -> LayoutOptions {
        LayoutOptions {
            scale,
            page_size: PageSizeName::A5,
            fonts: FontSet::bundled(scale.is_large_print()),
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
    pub width: f32,
    /// Page height, pt.
    pub height: f32,
    /// The pages.
    pub pages: Vec<Page>,
    /// Bookmarks, in reading order.
    pub outline: Vec<OutlineEntry>,
    /// Where each page begins in the text.
    pub page_map: PageMap,
    /// Index of each article's first page.
    pub article_pages: Vec<usize>,
}

/// Typesetting parameters of one block style.
#[derive(Debug, Clone, Copy)]
struct BlockStyle {
    size: f32,
    bold: bool,
    italic: bool,
    indent: f32,
    space_before: f32,
    space_after: f32,
    keep_with_next: bool,
    /// Keep all lines on one page (contents entries).
    keep_together: bool,
}

/// A block ready to be paginated.
enum Flow {
    Lines {
        lines: Vec<Line>,
        pitch: f32,
        style: BlockStyle,
    },
    Figure {
        article: usize,
        block: usize,
        aspect: f32,
        natural_width: f32,
        caption: Vec<Line>,
        pitch: f32,
        style: BlockStyle,
    },
}

struct Typesetter<'a> {
    fonts: &'a FontSet,
    metrics: ScaleMetrics,
    large: bool,
    width: f32,
    ascent_em: f32,
    descent_em: f32,
}

impl Typesetter<'_> {
    fn pitch(&self, size: f32) -> f32 {
        let glyph_extent = self.ascent_em + self.descent_em + 0.05;
        size * self.metrics.line_height.max(glyph_extent)
    }

    /// Appends a block's lines to `flows` as one flow (nothing when there are none).
    fn push_lines(&self, flows: &mut Vec<Flow>, lines: Vec<Line>, style: BlockStyle) {
        if !lines.is_empty() {
            flows.push(Flow::Lines {
                pitch: self.pitch(style.size),
                lines,
                style,
            });
        }
    }

    fn style(&self, size: f32) -> BlockStyle {
        BlockStyle {
            size,
            bold: false,
            italic: false,
            indent: 0.0,
            space_before: 0.0,
            space_after: self.metrics.paragraph_gap_em * self.metrics.body_pt,
            keep_with_next: false,
            keep_together: false,
        }
    }

    /// Sets styled text into lines (not yet placed vertically: baselines are relative to 0).
    fn set(
        &self,
        owner: Owner,
        text: StyledText,
        style: &BlockStyle,
        lang: &str,
        label: Option<(Owner, &str)>,
    ) -> Vec<Line> {
        let size = style.size;
        let shaped = shape::shape(text, self.fonts, lang);
        let width = self.width - style.indent;
        let hyphen_width = if !self.large && hyphenates(lang) {
            shaped
                .faces
                .first()
                .and_then(|f| f.hyphen)
                .map(|(_, w)| w * size)
        } else {
            None
        };
        let breaks = break_lines(&shaped, size, width, hyphen_width, lang);
        let mut lines: Vec<Line> = breaks
            .iter()
            .map(|b| self.line(owner, &shaped, b, size, style.indent))
            .collect();
        if let (Some((label_owner, label)), Some(first)) = (label, lines.first_mut()) {
            let mut st = StyledText::default();
            st.push(
                label,
                Style {
                    bold: style.bold,
                    ..Style::default()
                },
            );
            let sh = shape::shape(st, self.fonts, lang);
            let all = LineBreak {
                glyphs: 0..sh.glyphs.len(),
                hyphen: false,
                width: 0.0,
            };
            let mut l = self.line(label_owner, &sh, &all, size, 0.0);
            // The label hangs in the indent, right-aligned against it.
            let w: f32 = l.runs.iter().map(|r| r.width).sum();
            let shift = (style.indent - w - 0.35 * size).max(0.0);
            for r in &mut l.runs {
                r.x += shift;
            }
            // Marker line first: it is read before the item.
            let body = std::mem::replace(first, l);
            lines.insert(1, body);
        }
        lines
    }

    fn line(&self, owner: Owner, shaped: &Shaped, b: &LineBreak, size: f32, indent: f32) -> Line {
        let mut runs: Vec<GlyphRun> = Vec::new();
        let mut x = indent;
        let glyphs = &shaped.glyphs[b.glyphs.clone()];
        let mut i = 0;
        while i < glyphs.len() {
            let (face, run) = (glyphs[i].face, glyphs[i].run);
            let mut j = i;
            while j < glyphs.len() && glyphs[j].face == face && glyphs[j].run == run {
                j += 1;
            }
            let start = glyphs[i..j]
                .iter()
                .map(|g| g.cluster.start)
                .min()
                .unwrap_or(0) as usize;
            let end = glyphs[i..j]
                .iter()
                .map(|g| g.cluster.end)
                .max()
                .unwrap_or(0) as usize;
            let mut text = shaped.styled.text[start..end].to_string();
            let mut placed: Vec<PlacedGlyph> = glyphs[i..j]
                .iter()
                .map(|g| PlacedGlyph {
                    id: g.id,
                    x_advance: g.x_advance,
                    x_offset: g.x_offset,
                    y_offset: g.y_offset,
                    text: (g.cluster.start as usize - start)..(g.cluster.end as usize - start),
                })
                .collect();
            let f = &shaped.faces[face as usize];
            if b.hyphen
                && j == glyphs.len()
                && let Some((gid, adv)) = f.hyphen
            {
                let at = text.len();
                // Mapped to U+002D so that extraction gives `recommen-⏎dations`, which text tools
                // and screen readers rejoin (U+00AD is dropped by them, splitting the word).
                text.push('-');
                placed.push(PlacedGlyph {
                    id: gid,
                    x_advance: adv,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    text: at..text.len(),
                });
            }
            let width = placed.iter().map(|g| g.x_advance).sum::<f32>() * size;
            let style = &shaped.styled.runs[run as usize].1;
            runs.push(GlyphRun {
                face: f.clone(),
                size,
                x,
                text,
                glyphs: placed,
                lang: style.lang.clone(),
                link: style.href.clone().map(LinkTarget::Uri),
                width,
            });
            x += width;
            i = j;
        }
        Line {
            owner,
            baseline: 0.0,
            ascent: self.ascent_em * size,
            descent: self.descent_em * size,
            runs,
            offset: glyphs.first().map_or(0, |g| g.cluster.start as usize),
            hyphenated: b.hyphen,
        }
    }
}

/// Builds the styled text of a model [`Text`] in a base style. Emphasis is italic at
/// standard scales and bold at large print (no italics in large print).
fn styled(text: &Text, base: &BlockStyle, large: bool) -> StyledText {
    let mut st = StyledText::default();
    for span in &text.spans {
        let emphasis_bold = span.emphasis && large;
        st.push(
            &span.text,
            Style {
                bold: base.bold || span.strong || emphasis_bold,
                italic: !large && (base.italic || span.emphasis),
                href: span.href.clone(),
                lang: span.lang.clone(),
            },
        );
    }
    st
}

fn plain(s: &str, base: &BlockStyle) -> StyledText {
    let mut st = StyledText::default();
    st.push(
        s,
        Style {
            bold: base.bold,
            italic: base.italic,
            ..Style::default()
        },
    );
    st
}

fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// Lays out a publication.
pub fn layout(publication: &Publication, options: &LayoutOptions) -> Layout {
    let (pw, ph) = page_dimensions(options.page_size);
    let metrics = options.scale.metrics();
    let large = options.scale.is_large_print();
    let margin = MARGIN_MM * MM;
    let gutter = GUTTER_MM * MM;
    let width = pw - 2.0 * margin - gutter;
    let fonts = &options.fonts;
    let (mut ascent_em, mut descent_em) = (0.0f32, 0.0f32);
    for fam in &fonts.families {
        for f in [&fam.regular, &fam.bold] {
            ascent_em = ascent_em.max(f.max_ascent_em);
            descent_em = descent_em.max(f.max_descent_em);
        }
    }
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
    // Articles are set in parallel (each one's blocks too: see `article_flows`), then
    // paginated in order.
    let article_flows: Vec<Vec<Flow>> = publication
        .articles
        .par_iter()
        .enumerate()
        .map(|(ai, article)| article_flows(&ts, ai, article, publication.article_lang(ai)))
        .collect();
    for ((ai, article), flows) in publication.articles.iter().enumerate().zip(article_flows) {
        if ai > 0 || pager.has_content() {
            pager.new_page();
        }
        pager.place_all(flows, &mut outline, article, ai);
        article_pages.push(pager.first_page_of(ai).unwrap_or(0));
    }
    let mut pages = pager.finish();
    let mut page_map = PageMap {
        source: String::new(),
        pages: pages
            .iter()
            .map(|p| PageStart {
                label: p.label.clone(),
                anchor: first_anchor(p),
            })
            .collect(),
    };
    // Bulletins: a title page with the contents in front, numbered i, ii, ….
    if publication.is_bulletin() {
        let labels: Vec<(String, usize)> = article_pages
            .iter()
            .map(|&i| (pages[i].label.clone(), i))
            .collect();
        let front = front_matter(&ts, publication, &labels, ph, margin, gutter);
        let n = front.len();
        for o in &mut outline {
            o.page += n;
        }
        for p in &mut article_pages {
            *p += n;
        }
        let mut all = front;
        for p in &mut all {
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
        outline.insert(
            0,
            OutlineEntry {
                level: 1,
                title: publication.title.clone(),
                page: 0,
                y: margin,
            },
        );
        page_map.pages.splice(
            0..0,
            all.iter().map(|p| PageStart {
                label: p.label.clone(),
                anchor: TextAnchor::FrontMatter,
            }),
        );
        all.append(&mut pages);
        pages = all;
        // Outline: article entries nest under the publication title.
        for o in outline.iter_mut().skip(1) {
            o.level = (o.level + 1).min(6);
        }
    }
    Layout {
        width: pw,
        height: ph,
        pages,
        outline,
        page_map,
        article_pages,
    }
}

fn first_anchor(p: &Page) -> TextAnchor {
    for item in &p.items {
        match item {
            Item::Line(l) => {
                if let Owner::Article(a, part) = l.owner {
                    return TextAnchor::Article {
                        article: a,
                        part,
                        offset: l.offset,
                    };
                }
                if let Owner::ListLabel(a, b, j) = l.owner {
                    return TextAnchor::Article {
                        article: a,
                        part: ArticlePart::Item(b, j),
                        offset: 0,
                    };
                }
            }
            Item::Image(img) => {
                return TextAnchor::Article {
                    article: img.article,
                    part: ArticlePart::Block(img.block),
                    offset: 0,
                };
            }
        }
    }
    TextAnchor::FrontMatter
}

fn article_flows(ts: &Typesetter<'_>, ai: usize, a: &Article, lang: &str) -> Vec<Flow> {
    let m = ts.metrics;
    let body = m.body_pt;
    let mut flows = Vec::new();
    // Title.
    let mut st = ts.style(m.heading_pt[0]);
    st.bold = true;
    st.keep_with_next = true;
    st.space_after = 0.5 * body;
    let lines = ts.set(
        Owner::Article(ai, ArticlePart::Title),
        plain(&a.title, &st),
        &st,
        lang,
        None,
    );
    ts.push_lines(&mut flows, lines, st);
    // Byline.
    if let Some(b) = labels::byline(a, lang) {
        let mut st = ts.style(m.caption_pt);
        st.keep_with_next = true;
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Meta),
            plain(&b, &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    // Lead.
    if let Some(lead) = &a.lead {
        let mut st = ts.style(body);
        st.bold = true;
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Lead),
            styled(lead, &st, ts.large),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    // Blocks are set (shaped and broken into lines) in parallel; pagination, which
    // needs them in order, comes after.
    let blocks: Vec<Vec<Flow>> = a
        .blocks
        .par_iter()
        .enumerate()
        .map(|(bi, block)| block_flows(ts, ai, bi, block, lang))
        .collect();
    flows.extend(blocks.into_iter().flatten());
    flows
}

/// Printed before a quotation's attribution.
const ATTRIBUTION_DASH: &str = "— ";

/// The flows of one block of article `ai` (paragraphs, headings, quotes, list items,
/// figures with their captions).
fn block_flows(ts: &Typesetter<'_>, ai: usize, bi: usize, block: &Block, lang: &str) -> Vec<Flow> {
    let m = ts.metrics;
    let body = m.body_pt;
    let mut flows = Vec::new();
    // The block's own text, in a style.
    let set_block = |flows: &mut Vec<Flow>, st: BlockStyle, text: &Text| {
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Block(bi)),
            styled(text, &st, ts.large),
            &st,
            lang,
            None,
        );
        ts.push_lines(flows, lines, st);
    };
    match block {
        Block::Paragraph { text } => set_block(&mut flows, ts.style(body), text),
        Block::Heading { level, text } => {
            let lvl = (*level).clamp(2, 6) as usize;
            let mut st = ts.style(m.heading_pt[lvl - 1]);
            st.bold = true;
            st.keep_with_next = true;
            st.space_before = 0.6 * body;
            st.space_after = 0.3 * body;
            set_block(&mut flows, st, text);
        }
        Block::Quote { text, attribution } => {
            let mut st = ts.style(body);
            st.indent = 1.5 * body;
            st.italic = !ts.large;
            st.space_before = 0.2 * body;
            let has_attr = attribution.is_some();
            if has_attr {
                st.space_after = 0.1 * body;
            }
            let lines = ts.set(
                Owner::Article(ai, ArticlePart::Block(bi)),
                styled(text, &st, ts.large),
                &st,
                lang,
                None,
            );
            ts.push_lines(&mut flows, lines, st);
            if let Some(at) = attribution {
                let mut st = ts.style(body);
                st.indent = 1.5 * body;
                let mut lines = ts.set(
                    Owner::Article(ai, ArticlePart::Attribution(bi)),
                    plain(&format!("{ATTRIBUTION_DASH}{at}"), &st),
                    &st,
                    lang,
                    None,
                );
                // Page-map offsets count in the attribution itself, without the dash.
                for l in &mut lines {
                    l.offset = l.offset.saturating_sub(ATTRIBUTION_DASH.len());
                }
                ts.push_lines(&mut flows, lines, st);
            }
        }
        Block::List { ordered, items } => {
            for (j, item) in items.iter().enumerate() {
                let mut st = ts.style(body);
                st.indent = if *ordered { 2.0 * body } else { 1.5 * body };
                st.space_after = if j + 1 == items.len() {
                    m.paragraph_gap_em * body
                } else {
                    0.25 * body
                };
                let label = if *ordered {
                    format!("{}.", j + 1)
                } else {
                    "•".to_string()
                };
                let lines = ts.set(
                    Owner::Article(ai, ArticlePart::Item(bi, j)),
                    styled(item, &st, ts.large),
                    &st,
                    lang,
                    Some((Owner::ListLabel(ai, bi, j), &label)),
                );
                ts.push_lines(&mut flows, lines, st);
            }
        }
        Block::Figure(f) => {
            let Some(img) = &f.image else {
                return flows;
            };
            let mut st = ts.style(m.caption_pt);
            st.space_before = 0.3 * body;
            let mut caption = match &f.caption {
                Some(c) => ts.set(
                    Owner::Article(ai, ArticlePart::Caption(bi)),
                    styled(c, &st, ts.large),
                    &st,
                    lang,
                    None,
                ),
                None => Vec::new(),
            };
            if let Some(credit) = &f.credit {
                // The caption part is `caption credit` (as in the EPUB): credit offsets
                // count from after the caption and its space.
                let shift = f.caption.as_ref().map_or(0, |c| c.to_plain().len() + 1);
                let mut lines = ts.set(
                    Owner::Article(ai, ArticlePart::Caption(bi)),
                    plain(credit, &st),
                    &st,
                    lang,
                    None,
                );
                for l in &mut lines {
                    l.offset += shift;
                }
                caption.extend(lines);
            }
            flows.push(Flow::Figure {
                article: ai,
                block: bi,
                aspect: img.height as f32 / img.width as f32,
                // 150 dpi is the least a photo should print at.
                natural_width: img.width as f32 * 72.0 / 150.0,
                caption,
                pitch: ts.pitch(st.size),
                style: st,
            });
        }
    }
    flows
}

/// Places flows on pages.
struct Pager<'a> {
    ph: f32,
    margin: f32,
    gutter: f32,
    ts: &'a Typesetter<'a>,
    header_text: String,
    /// The running header, once set ([`Pager::running_header`]).
    header_line: Option<Option<Line>>,
    lang: String,
    pages: Vec<Page>,
    y: f32,
    top: f32,
    bottom: f32,
    first_pages: Vec<(usize, usize)>,
    label_base: usize,
    front: bool,
}

impl<'a> Pager<'a> {
    fn new(
        ph: f32,
        margin: f32,
        gutter: f32,
        ts: &'a Typesetter<'a>,
        header: &str,
        lang: &str,
    ) -> Self {
        Pager {
            ph,
            margin,
            gutter,
            ts,
            header_text: header.to_string(),
            header_line: None,
            lang: lang.to_string(),
            pages: Vec::new(),
            y: 0.0,
            top: 0.0,
            bottom: 0.0,
            first_pages: Vec::new(),
            label_base: 0,
            front: false,
        }
    }

    fn has_content(&self) -> bool {
        self.pages.last().is_some_and(|p| !p.items.is_empty())
    }

    fn first_page_of(&self, article: usize) -> Option<usize> {
        self.first_pages
            .iter()
            .find(|(a, _)| *a == article)
            .map(|(_, p)| *p)
    }

    fn new_page(&mut self) {
        let index = self.pages.len();
        // Recto pages (odd page numbers, even indices) bind on the left.
        let left = if index.is_multiple_of(2) {
            self.margin + self.gutter
        } else {
            self.margin
        };
        let right = left + self.ts.width;
        let area = [left, self.margin, right, self.ph - self.margin];
        let m = self.ts.metrics;
        let label = if self.front {
            roman(index + 1)
        } else {
            (index + 1 - self.label_base).to_string()
        };
        // Running header: the publication title, shortened to one line.
        let header_size = m.header_pt;
        let header_pitch = self.ts.pitch(header_size);
        let mut header = None;
        let mut content_top = area[1];
        if !self.front
            && let Some(mut l) = self.running_header()
        {
            l.baseline = area[1] + l.ascent;
            shift_x(&mut l, left);
            content_top = area[1] + header_pitch + 0.6 * m.body_pt;
            header = Some(l);
        }
        // Page number: centred in the text area's foot, the same place on every page.
        let num_size = m.page_number_pt;
        let st = self.ts.style(num_size);
        let mut nl = self.ts.set(
            Owner::Front(FrontPart::Title),
            plain(&label, &st),
            &st,
            &self.lang,
            None,
        );
        let mut number = nl.remove(0);
        let w: f32 = number.runs.iter().map(|r| r.width).sum();
        shift_x(&mut number, left + (self.ts.width - w) / 2.0);
        number.baseline = area[3] - number.descent;
        let content_bottom = number.baseline - number.ascent - 0.6 * m.body_pt;
        self.pages.push(Page {
            label,
            front_matter: self.front,
            items: Vec::new(),
            furniture: Furniture {
                header,
                page_number: number,
            },
            area,
        });
        self.top = content_top;
        self.y = content_top;
        self.bottom = content_bottom;
    }

    /// The running header's line (not yet placed): the same on every page, so it is
    /// shortened and set once.
    fn running_header(&mut self) -> Option<Line> {
        if let Some(line) = &self.header_line {
            return line.clone();
        }
        let size = self.ts.metrics.header_pt;
        let st = BlockStyle {
            size,
            ..self.ts.style(size)
        };
        let text = self.fit_header(&st);
        let line = self
            .ts
            .set(
                Owner::Front(FrontPart::Title),
                plain(&text, &st),
                &st,
                &self.lang,
                None,
            )
            .into_iter()
            .next();
        self.header_line = Some(line.clone());
        line
    }

    fn fit_header(&self, st: &BlockStyle) -> String {
        let full = self.header_text.clone();
        let measure = |s: &str| -> f32 {
            let sh = shape::shape(plain(s, st), self.ts.fonts, &self.lang);
            sh.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * st.size
        };
        if measure(&full) <= self.ts.width {
            return full;
        }
        let words: Vec<&str> = full.split(' ').collect();
        let mut lo = 0;
        let mut hi = words.len();
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if measure(&format!("{}…", words[..mid].join(" "))) <= self.ts.width {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        format!("{}…", words[..lo.max(1)].join(" "))
    }

    fn page_x(&self) -> f32 {
        self.pages.last().map_or(self.margin, |p| p.area[0])
    }

    fn at_top(&self) -> bool {
        (self.y - self.top).abs() < 0.01
    }

    fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    fn place_line(&mut self, mut line: Line, pitch: f32) {
        let x = self.page_x();
        shift_x(&mut line, x);
        let glyph_box = line.ascent + line.descent;
        line.baseline = self.y + line.ascent + (pitch - glyph_box).max(0.0) / 2.0;
        self.y += pitch;
        self.pages
            .last_mut()
            .expect("a page")
            .items
            .push(Item::Line(line));
    }

    /// The height the start of a flow needs (for keep-with-next).
    fn head_height(flow: &Flow, content_height: f32) -> f32 {
        match flow {
            Flow::Lines {
                lines,
                pitch,
                style,
            } => {
                let n = if style.keep_together {
                    lines.len()
                } else {
                    lines.len().min(2)
                };
                style.space_before + pitch * n as f32
            }
            Flow::Figure {
                caption,
                pitch,
                style,
                ..
            } => style.space_before + (content_height * 0.25) + pitch * caption.len() as f32,
        }
    }

    fn place_all(
        &mut self,
        flows: Vec<Flow>,
        outline: &mut Vec<OutlineEntry>,
        article: &Article,
        ai: usize,
    ) {
        if self.pages.is_empty() {
            self.new_page();
        }
        self.first_pages.push((ai, self.pages.len() - 1));
        let content_height = self.bottom - self.top;
        let mut iter = flows.into_iter().peekable();
        while let Some(flow) = iter.next() {
            match flow {
                Flow::Lines {
                    lines,
                    pitch,
                    style,
                } => {
                    let n = lines.len();
                    let before = if self.at_top() {
                        0.0
                    } else {
                        style.space_before
                    };
                    let mut need_first = before + pitch * n.min(2) as f32;
                    if style.keep_together {
                        need_first = before + pitch * n as f32;
                    }
                    if style.keep_with_next {
                        need_first = before
                            + pitch * n as f32
                            + style.space_after
                            + iter
                                .peek()
                                .map_or(0.0, |f| Self::head_height(f, content_height));
                    }
                    if need_first > self.remaining() && !self.at_top() {
                        self.new_page();
                    } else {
                        self.y += before;
                    }
                    // Outline entries for headings and titles.
                    if let Some(first) = lines.first() {
                        let level = match first.owner {
                            Owner::Article(_, ArticlePart::Title) => Some(1),
                            Owner::Article(_, ArticlePart::Block(b)) => match article.blocks.get(b)
                            {
                                Some(Block::Heading { level, .. }) => Some(*level),
                                _ => None,
                            },
                            _ => None,
                        };
                        if let Some(level) = level {
                            let title = match first.owner {
                                Owner::Article(_, ArticlePart::Block(b)) => {
                                    match &article.blocks[b] {
                                        Block::Heading { text, .. } => text.to_plain(),
                                        _ => String::new(),
                                    }
                                }
                                _ => article.title.clone(),
                            };
                            outline.push(OutlineEntry {
                                level,
                                title,
                                page: self.pages.len() - 1,
                                y: self.y,
                            });
                        }
                    }
                    let mut rest = lines;
                    while !rest.is_empty() {
                        let fit = ((self.remaining() + 0.01) / pitch).floor().max(0.0) as usize;
                        let left = rest.len();
                        if fit >= left {
                            for l in rest.drain(..) {
                                self.place_line(l, pitch);
                            }
                            break;
                        }
                        // Widows and orphans: at least two lines on each side of a page break.
                        let mut take = fit;
                        if left - take < 2 {
                            take = left.saturating_sub(2);
                        }
                        if take < 2 && left >= 2 {
                            take = 0;
                        }
                        if take == 0 && self.at_top() {
                            take = fit.max(1);
                        }
                        for l in rest.drain(..take.min(left)) {
                            self.place_line(l, pitch);
                        }
                        if !rest.is_empty() {
                            self.new_page();
                        }
                    }
                    self.y += style.space_after;
                }
                Flow::Figure {
                    article: fa,
                    block,
                    aspect,
                    natural_width,
                    caption,
                    pitch,
                    style,
                } => {
                    let caption_h = pitch * caption.len() as f32;
                    let gap = 0.3 * self.ts.metrics.body_pt;
                    let max_w = self.ts.width;
                    let max_h = (content_height - caption_h - gap).max(content_height * 0.3);
                    let mut w = natural_width.min(max_w);
                    let mut h = w * aspect;
                    if h > max_h {
                        h = max_h;
                        w = h / aspect;
                    }
                    let before = if self.at_top() {
                        0.0
                    } else {
                        style.space_before
                    };
                    if before + h + gap + caption_h > self.remaining() && !self.at_top() {
                        // Shrink to the space left when that keeps the image reasonably large.
                        let room = self.remaining() - before - gap - caption_h;
                        if room >= h * 0.75 && room > 0.0 {
                            h = room;
                            w = h / aspect;
                        } else {
                            self.new_page();
                        }
                    }
                    if !self.at_top() {
                        self.y += before;
                    }
                    let x = self.page_x();
                    self.pages
                        .last_mut()
                        .expect("a page")
                        .items
                        .push(Item::Image(PlacedImage {
                            article: fa,
                            block,
                            x,
                            y: self.y,
                            width: w,
                            height: h,
                        }));
                    self.y += h + gap;
                    for l in caption {
                        if self.remaining() < pitch - 0.01 {
                            self.new_page();
                        }
                        self.place_line(l, pitch);
                    }
                    self.y += self.ts.metrics.paragraph_gap_em * self.ts.metrics.body_pt;
                }
            }
        }
    }

    fn finish(self) -> Vec<Page> {
        self.pages
    }
}

fn shift_x(line: &mut Line, dx: f32) {
    for r in &mut line.runs {
        r.x += dx;
    }
}

#[allow(clippy::too_many_arguments)]
fn front_matter(
    ts: &Typesetter<'_>,
    p: &Publication,
    labels: &[(String, usize)],
    ph: f32,
    margin: f32,
    gutter: f32,
) -> Vec<Page> {
    let m = ts.metrics;
    let lang = p.lang.as_str();
    let mut pager = Pager::new(ph, margin, gutter, ts, &p.title, lang);
    pager.front = true;
    pager.new_page();
    let mut title_st = ts.style(m.heading_pt[0] * 1.15);
    title_st.bold = true;
    title_st.space_after = 0.8 * m.body_pt;
    let mut flows = Vec::new();
    let lines = ts.set(
        Owner::Front(FrontPart::Title),
        plain(&p.title, &title_st),
        &title_st,
        lang,
        None,
    );
    ts.push_lines(&mut flows, lines, title_st);
    if let Some(d) = &p.description {
        let st = ts.style(m.body_pt);
        let lines = ts.set(
            Owner::Front(FrontPart::Description),
            plain(d, &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    let meta: Vec<String> = [
        p.publisher.clone(),
        p.date.as_deref().map(|d| labels::display_date(d, lang)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        let st = ts.style(m.body_pt);
        let lines = ts.set(
            Owner::Front(FrontPart::Meta),
            plain(&meta.join(" — "), &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    let mut h_st = ts.style(m.heading_pt[1]);
    h_st.bold = true;
    h_st.keep_with_next = true;
    h_st.space_before = 0.8 * m.body_pt;
    let lines = ts.set(
        Owner::Front(FrontPart::TocHeading),
        plain(labels::for_lang(lang).toc, &h_st),
        &h_st,
        lang,
        None,
    );
    ts.push_lines(&mut flows, lines, h_st);
    for (i, a) in p.articles.iter().enumerate() {
        let mut st = ts.style(m.body_pt);
        st.space_after = 0.3 * m.body_pt;
        st.indent = 0.0;
        st.keep_together = true;
        // Title, then the page number on its own right-aligned run of the last line.
        let text = format!("{} ", a.title);
        let mut lines = {
            let narrow = Typesetter {
                width: ts.width - 3.0 * m.body_pt,
                ..*ts
            };
            narrow.set(
                Owner::Front(FrontPart::TocEntry(i)),
                plain(&text, &st),
                &st,
                lang,
                None,
            )
        };
        let num = ts.set(
            Owner::Front(FrontPart::TocEntry(i)),
            plain(&labels[i].0, &st),
            &st,
            lang,
            None,
        );
        if let (Some(last), Some(n)) = (lines.last_mut(), num.into_iter().next()) {
            for mut r in n.runs {
                r.x = ts.width - r.width;
                last.runs.push(r);
            }
        }
        for l in &mut lines {
            for r in &mut l.runs {
                r.link = Some(LinkTarget::Page(labels[i].1, 0.0));
            }
        }
        ts.push_lines(&mut flows, lines, st);
    }
    let dummy = Article {
        lang: None,
        title: String::new(),
        date: None,
        author: None,
        lead: None,
        slug: None,
        source_url: None,
        blocks: Vec::new(),
        origin: None,
    };
    let mut outline = Vec::new();
    pager.first_pages.clear();
    pager.place_all(flows, &mut outline, &dummy, usize::MAX);
    pager.finish()
}
