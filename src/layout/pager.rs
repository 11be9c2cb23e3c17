//! Pagination: flows → pages, with page geometry, running headers and page numbers,
//! widows and orphans, keep-with-next and figures kept with their captions.
//!
//! A figure (image and caption) that does not fit in what is left of a page floats: it
//! waits for the top of the next page while the text after it fills the current one, as
//! typst and LaTeX place figures. It is not shrunk to stay on the page (as it was before
//! figures floated): a photo printed smaller than the text width would print above
//! 450 ppi and have to be decoded, resampled and re-encoded (`images::print_size`), which
//! was half of a realistic bulletin's print time. Figures keep their order among themselves,
//! and an article's waiting figures are placed before the next article begins. Only the
//! print position moves: the structure tree and the reflowable editions follow the model's
//! order, so the figure is still read where the author put it.

use super::typeset::{BlockStyle, Flow, Typesetter, plain};
use super::{FrontPart, Furniture, Item, Line, OutlineEntry, Owner, Page, PlacedImage};
use crate::shape;

/// The gap between a figure's image and its caption, in body sizes.
const FIGURE_GAP_EM: f32 = 0.3;
/// The least share of the text area's height a figure's image may be scaled down to so
/// that its caption fits on its page (`docs/font-scales.md`); a caption that does not fit
/// even then runs on to the next page, with a warning.
pub(super) const MIN_FIGURE_SHARE: f32 = 0.2;
/// Lines a page must keep on each side of a break inside a block (no widows, no orphans).
const MIN_LINES_AT_BREAK: usize = 2;

/// A figure's image before placing: where it comes from and its natural size.
#[derive(Debug, Clone, Copy)]
struct FigureBox {
    article: usize,
    block: usize,
    /// Height / width.
    aspect: f32,
    /// Width at 150 dpi, pt.
    natural_width: f32,
}

/// A figure waiting for the top of the next page.
struct Floating {
    image: FigureBox,
    caption: Vec<Line>,
    pitch: f32,
    style: BlockStyle,
    content_height: f32,
}

/// How many of a block's `left` remaining lines to place before a page break when `fit`
/// fit: at least [`MIN_LINES_AT_BREAK`] on each side, unless the page is empty (then as
/// many as fit, at least one, so that a page is never left blank).
fn lines_before_break(fit: usize, left: usize, at_top: bool) -> usize {
    let mut take = fit;
    if left - take < MIN_LINES_AT_BREAK {
        take = left.saturating_sub(MIN_LINES_AT_BREAK);
    }
    if take < MIN_LINES_AT_BREAK && left >= MIN_LINES_AT_BREAK {
        take = 0;
    }
    if take == 0 && at_top {
        take = fit.max(1);
    }
    take
}

/// While a figure waits for the next page, a page break inside a block must fall at the
/// end of a sentence: a reader who goes page by page (the structure tree of each page, as
/// a page-by-page viewer hands it to a screen reader) hears the waiting figure, which the
/// next page opens with, between the two sides of the break. The most lines, at most `take`, that
/// end a sentence and keep [`MIN_LINES_AT_BREAK`] on each side; none (the block starts
/// on the next page) when no such break fits.
fn sentence_break(rest: &[Line], take: usize) -> usize {
    let left = rest.len();
    (MIN_LINES_AT_BREAK..=take.min(left))
        .rev()
        .find(|&t| rest[t - 1].sentence_end && left - t >= MIN_LINES_AT_BREAK)
        .unwrap_or(0)
}

/// Places flows on pages.
pub(super) struct Pager<'a> {
    pub(super) ph: f32,
    pub(super) margin: f32,
    pub(super) gutter: f32,
    pub(super) ts: &'a Typesetter<'a>,
    pub(super) header_text: String,
    /// The running header, once set ([`Pager::running_header`]).
    pub(super) header_line: Option<Option<Line>>,
    pub(super) lang: String,
    pub(super) pages: Vec<Page>,
    pub(super) y: f32,
    pub(super) top: f32,
    pub(super) bottom: f32,
    pub(super) first_pages: Vec<(usize, usize)>,
    pub(super) label_base: usize,
    pub(super) front: bool,
    /// Figures waiting for the next page, in order.
    floating: Vec<Floating>,
    /// A waiting figure is being placed (a page it opens must not place the next one).
    placing_float: bool,
    /// The figures (article, block) whose caption ran on to the next page: it did not fit
    /// on an empty page even with the image at its smallest ([`MIN_FIGURE_SHARE`]).
    pub(super) caption_run_ons: Vec<(usize, usize)>,
    /// A separator was just drawn and nothing placed below it yet ([`Pager::separate`]).
    separated: bool,
}

impl<'a> Pager<'a> {
    pub(super) fn new(
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
            floating: Vec::new(),
            placing_float: false,
            caption_run_ons: Vec::new(),
            separated: false,
        }
    }

    pub(super) fn has_content(&self) -> bool {
        self.pages.last().is_some_and(|p| !p.items.is_empty())
    }

    pub(super) fn first_page_of(&self, article: usize) -> Option<usize> {
        self.first_pages
            .iter()
            .find(|(a, _)| *a == article)
            .map(|(_, p)| *p)
    }

    /// Starts a page; figures waiting for it go first, as many as fit.
    pub(super) fn new_page(&mut self) {
        self.open_page();
        if !self.placing_float {
            self.place_floating();
        }
    }

    /// Places the waiting figures at the current position (the top of a fresh page), in
    /// order, while they fit; the first always does.
    fn place_floating(&mut self) {
        while let Some(f) = self.floating.first() {
            let (_, h) = self.figure_size(&f.image, f.caption.len(), f.pitch, f.content_height);
            let gap = FIGURE_GAP_EM * self.ts.metrics.body_pt;
            let before = self.space_before(&f.style);
            let need = before + h + gap + f.pitch * f.caption.len() as f32;
            if !self.at_top() && need > self.remaining() {
                break;
            }
            let f = self.floating.remove(0);
            self.placing_float = true;
            self.place_figure_here(f.image, f.caption, f.pitch, &f.style, f.content_height);
            self.placing_float = false;
        }
    }

    /// Places the figures still waiting at the end of an article, on a new page.
    fn flush_floating(&mut self) {
        while !self.floating.is_empty() {
            self.new_page();
        }
    }

    fn open_page(&mut self) {
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
            separators: Vec::new(),
        });
        self.top = content_top;
        self.y = content_top;
        self.bottom = content_bottom;
    }

    /// Heads the pages opened from now on with `text` (shortened to one line).
    pub(super) fn set_running_header(&mut self, text: &str) {
        if self.header_text != text {
            self.header_text = text.to_string();
            self.header_line = None;
        }
    }

    /// Separates the next article from what the page holds: a rule across the text area
    /// with a body line of space above and below it ([`super::ArticleBreak::Share`]).
    pub(super) fn separate(&mut self) {
        let body = self.ts.metrics.body_pt;
        let pitch = self.ts.pitch(body);
        self.y += pitch;
        let y = self.y;
        self.pages.last_mut().expect("a page").separators.push(y);
        self.y += super::SEPARATOR_PT + pitch;
        self.separated = true;
    }

    /// The running header's line (not yet placed): set once for each text, as it is the
    /// same on every page of an article.
    pub(super) fn running_header(&mut self) -> Option<Line> {
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

    pub(super) fn fit_header(&self, st: &BlockStyle) -> String {
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

    pub(super) fn page_x(&self) -> f32 {
        self.pages.last().map_or(self.margin, |p| p.area[0])
    }

    pub(super) fn at_top(&self) -> bool {
        (self.y - self.top).abs() < 0.01
    }

    pub(super) fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    pub(super) fn place_line(&mut self, mut line: Line, pitch: f32) {
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

    /// The height the start of a flow needs (for keep-with-next): with `whole_sentence`
    /// (a figure waits, so a page break must end a sentence) its lines up to the end of
    /// its first sentence.
    pub(super) fn head_height(flow: &Flow, content_height: f32, whole_sentence: bool) -> f32 {
        match flow {
            Flow::Lines {
                lines,
                pitch,
                style,
                ..
            } => {
                let n = if style.keep_together {
                    lines.len()
                } else if whole_sentence {
                    lines
                        .iter()
                        .enumerate()
                        .skip(MIN_LINES_AT_BREAK - 1)
                        .find(|(_, l)| l.sentence_end)
                        .map_or(lines.len(), |(i, _)| i + 1)
                } else {
                    lines.len().min(MIN_LINES_AT_BREAK)
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

    /// Places the flows of article `article` (`None`: front matter) after what is placed
    /// already, adding a bookmark for each title and heading.
    pub(super) fn place_all(
        &mut self,
        flows: Vec<Flow>,
        outline: &mut Vec<OutlineEntry>,
        article: Option<usize>,
    ) {
        if self.pages.is_empty() {
            self.new_page();
        }
        let mut first = article;
        let content_height = self.bottom - self.top;
        let mut iter = flows.into_iter().peekable();
        while let Some(flow) = iter.next() {
            match flow {
                Flow::Lines {
                    lines,
                    pitch,
                    style,
                    outline: bookmark,
                } => {
                    let whole_sentence = !self.floating.is_empty();
                    let next_head = iter.peek().map_or(0.0, |f| {
                        Self::head_height(f, content_height, whole_sentence)
                    });
                    self.start_lines(lines.len(), pitch, &style, next_head);
                    self.separated = false;
                    if let Some(ai) = first.take() {
                        self.first_pages.push((ai, self.pages.len() - 1));
                    }
                    if let Some((level, title)) = bookmark {
                        outline.push(OutlineEntry {
                            level,
                            title,
                            page: self.pages.len() - 1,
                            y: self.y,
                        });
                    }
                    self.place_lines(lines, pitch);
                    self.y += style.space_after;
                }
                Flow::Figure {
                    article,
                    block,
                    aspect,
                    natural_width,
                    caption,
                    pitch,
                    style,
                } => {
                    if let Some(ai) = first.take() {
                        self.first_pages.push((ai, self.pages.len() - 1));
                    }
                    let image = FigureBox {
                        article,
                        block,
                        aspect,
                        natural_width,
                    };
                    self.place_figure(image, caption, pitch, &style, content_height);
                }
            }
        }
        if let Some(ai) = first {
            self.first_pages.push((ai, self.pages.len() - 1));
        }
        self.flush_floating();
    }

    /// The space before a block with `style`: none at the top of a page.
    fn space_before(&self, style: &BlockStyle) -> f32 {
        if self.at_top() {
            0.0
        } else {
            style.space_before
        }
    }

    /// Moves to a new page when the start of a flow of `n` lines (all of them when kept
    /// together; with the head of the next flow when kept with it; else the two lines
    /// an orphan rule needs) does not fit; else adds the space before it.
    fn start_lines(&mut self, n: usize, pitch: f32, style: &BlockStyle, next_head: f32) {
        let before = self.space_before(style);
        let need_first = if style.keep_with_next {
            before + pitch * n as f32 + style.space_after + next_head
        } else if style.keep_together {
            before + pitch * n as f32
        } else {
            before + pitch * n.min(2) as f32
        };
        if need_first > self.remaining() && !self.at_top() {
            if self.separated {
                // The article does not begin below the rule after all: no rule.
                self.pages.last_mut().expect("a page").separators.pop();
            }
            self.new_page();
        } else {
            self.y += before;
        }
    }

    /// Places lines, breaking pages so that no page starts or ends a block with a single
    /// line ([`lines_before_break`]).
    fn place_lines(&mut self, mut rest: Vec<Line>, pitch: f32) {
        while !rest.is_empty() {
            let fit = ((self.remaining() + 0.01) / pitch).floor().max(0.0) as usize;
            let left = rest.len();
            if fit >= left {
                for l in rest.drain(..) {
                    self.place_line(l, pitch);
                }
                break;
            }
            let mut take = lines_before_break(fit, left, self.at_top());
            if !self.floating.is_empty() && !self.at_top() {
                take = sentence_break(&rest, take);
            }
            for l in rest.drain(..take.min(left)) {
                self.place_line(l, pitch);
            }
            if !rest.is_empty() {
                self.new_page();
            }
        }
    }

    /// A figure's image size on an empty page: its natural width, at most the text
    /// width, and at most the height that leaves room for its caption.
    fn figure_size(
        &self,
        image: &FigureBox,
        caption_lines: usize,
        pitch: f32,
        content_height: f32,
    ) -> (f32, f32) {
        let caption_h = pitch * caption_lines as f32;
        let gap = FIGURE_GAP_EM * self.ts.metrics.body_pt;
        let max_h = (content_height - caption_h - gap).max(content_height * MIN_FIGURE_SHARE);
        let mut w = image.natural_width.min(self.ts.width);
        let mut h = w * image.aspect;
        if h > max_h {
            h = max_h;
            w = h / image.aspect;
        }
        (w, h)
    }

    /// Places a figure: here when it fits, else it floats to the top of the next page ([`Floating`]) and the text after it goes on.
    /// Figures keep their order: while one waits, the next waits behind it.
    fn place_figure(
        &mut self,
        image: FigureBox,
        caption: Vec<Line>,
        pitch: f32,
        style: &BlockStyle,
        content_height: f32,
    ) {
        let (_, h) = self.figure_size(&image, caption.len(), pitch, content_height);
        let gap = FIGURE_GAP_EM * self.ts.metrics.body_pt;
        let before = self.space_before(style);
        let caption_h = pitch * caption.len() as f32;
        let room = self.remaining() - before - gap - caption_h;
        let fits = self.at_top() || h <= room;
        if !self.floating.is_empty() || !fits {
            self.floating.push(Floating {
                image,
                caption,
                pitch,
                style: *style,
                content_height,
            });
            return;
        }
        self.place_figure_here(image, caption, pitch, style, content_height);
    }

    /// Places a figure's image at the current position, scaled to fit the text area, then
    /// its caption lines (on a new page when it does not fit here).
    fn place_figure_here(
        &mut self,
        image: FigureBox,
        caption: Vec<Line>,
        pitch: f32,
        style: &BlockStyle,
        content_height: f32,
    ) {
        let caption_h = pitch * caption.len() as f32;
        let gap = FIGURE_GAP_EM * self.ts.metrics.body_pt;
        let (w, h) = self.figure_size(&image, caption.len(), pitch, content_height);
        let before = self.space_before(style);
        if before + h + gap + caption_h > self.remaining() && !self.at_top() {
            self.new_page();
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
                article: image.article,
                block: image.block,
                x,
                y: self.y,
                width: w,
                height: h,
            }));
        self.y += h + gap;
        let mut ran_on = false;
        for l in caption {
            if self.remaining() < pitch - 0.01 {
                ran_on = true;
                self.new_page();
            }
            self.place_line(l, pitch);
        }
        if ran_on {
            self.caption_run_ons.push((image.article, image.block));
        }
        self.y += self.ts.metrics.paragraph_gap_em * self.ts.metrics.body_pt;
    }

    pub(super) fn finish(self) -> Vec<Page> {
        self.pages
    }
}

pub(super) fn shift_x(line: &mut Line, dx: f32) {
    for r in &mut line.runs {
        r.x += dx;
    }
}

/// `n` in lower-case Roman numerals (the front matter's page numbers: i, ii, …).
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

#[cfg(test)]
pub(super) mod tests;
