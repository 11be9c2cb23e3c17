//! Typesetting: styled text → lines of positioned glyph runs (not yet placed on a page),
//! and the block styles and flows the pager places.

use super::linebreak::{LineBreak, break_lines, hyphenates};
use super::{GlyphRun, Line, LinkTarget, Owner, PlacedGlyph};
use crate::address::sentences::sentence_ranges;
use crate::fonts::FontSet;
use crate::model::Text;
use crate::scale::ScaleMetrics;
use crate::shape::{self, Shaped, ShapedGlyph, Style, StyledText};

/// Typesetting parameters of one block style.
#[derive(Debug, Clone, Copy)]
pub(super) struct BlockStyle {
    pub(super) size: f32,
    pub(super) bold: bool,
    pub(super) italic: bool,
    pub(super) indent: f32,
    pub(super) space_before: f32,
    pub(super) space_after: f32,
    pub(super) keep_with_next: bool,
    /// Keep all lines on one page (contents entries).
    pub(super) keep_together: bool,
}

/// A block ready to be paginated.
pub(super) enum Flow {
    Lines {
        lines: Vec<Line>,
        pitch: f32,
        style: BlockStyle,
        /// The bookmark this flow starts: level and text (titles and headings).
        outline: Option<(u8, String)>,
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

pub(super) struct Typesetter<'a> {
    pub(super) fonts: &'a FontSet,
    pub(super) metrics: ScaleMetrics,
    pub(super) large: bool,
    pub(super) width: f32,
    pub(super) ascent_em: f32,
    pub(super) descent_em: f32,
}

impl Typesetter<'_> {
    pub(super) fn pitch(&self, size: f32) -> f32 {
        let glyph_extent = self.ascent_em + self.descent_em + 0.05;
        size * self.metrics.line_height.max(glyph_extent)
    }

    /// Appends a block's lines to `flows` as one flow (nothing when there are none).
    pub(super) fn push_lines(&self, flows: &mut Vec<Flow>, lines: Vec<Line>, style: BlockStyle) {
        if !lines.is_empty() {
            flows.push(Flow::Lines {
                pitch: self.pitch(style.size),
                lines,
                style,
                outline: None,
            });
        }
    }

    /// Like [`Typesetter::push_lines`], for a title or heading that gets a bookmark.
    pub(super) fn push_heading(
        &self,
        flows: &mut Vec<Flow>,
        lines: Vec<Line>,
        style: BlockStyle,
        level: u8,
        title: String,
    ) {
        if !lines.is_empty() {
            flows.push(Flow::Lines {
                pitch: self.pitch(style.size),
                lines,
                style,
                outline: Some((level, title)),
            });
        }
    }

    pub(super) fn style(&self, size: f32) -> BlockStyle {
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
    pub(super) fn set(
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
        mark_sentence_ends(&mut lines, &shaped.styled.text);
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

    /// The line of break `b` of shaped text: its glyphs grouped into runs of one face
    /// and one style run, set from `indent`.
    pub(super) fn line(
        &self,
        owner: Owner,
        shaped: &Shaped,
        b: &LineBreak,
        size: f32,
        indent: f32,
    ) -> Line {
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
            let hyphen = b.hyphen && j == glyphs.len();
            let r = glyph_run(shaped, &glyphs[i..j], hyphen, size, x);
            x += r.width;
            runs.push(r);
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
            sentence_end: false,
        }
    }
}

/// Marks the lines of `text` after which a sentence ends: those whose end (the next
/// line's start, white space left out) is the end of one of its sentences, and the last.
fn mark_sentence_ends(lines: &mut [Line], text: &str) {
    let ends: Vec<usize> = sentence_ranges(text).into_iter().map(|r| r.end).collect();
    let starts: Vec<usize> = lines.iter().map(|l| l.offset).skip(1).collect();
    for (line, next) in lines.iter_mut().zip(starts) {
        let end = text[..next.min(text.len())].trim_end().len();
        line.sentence_end = !line.hyphenated && ends.binary_search(&end).is_ok();
    }
    if let Some(last) = lines.last_mut() {
        last.sentence_end = true;
    }
}

/// A run of glyphs of one face and one style run, at `x`, with the text they show; with
/// `hyphen`, the face's hyphen is drawn after them.
fn glyph_run(shaped: &Shaped, glyphs: &[ShapedGlyph], hyphen: bool, size: f32, x: f32) -> GlyphRun {
    let (face, run) = (glyphs[0].face, glyphs[0].run);
    let start = glyphs.iter().map(|g| g.cluster.start).min().unwrap_or(0) as usize;
    let end = glyphs.iter().map(|g| g.cluster.end).max().unwrap_or(0) as usize;
    let mut text = shaped.styled.text[start..end].to_string();
    let mut placed: Vec<PlacedGlyph> = glyphs
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
    if hyphen && let Some((gid, adv)) = f.hyphen {
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
    GlyphRun {
        face: f.clone(),
        size,
        x,
        text,
        glyphs: placed,
        lang: style.lang.clone(),
        link: style.href.clone().map(LinkTarget::Uri),
        width,
    }
}

/// Builds the styled text of a model [`Text`] in a base style. Emphasis is italic at
/// standard scales and bold at large print (no italics in large print).
pub(super) fn styled(text: &Text, base: &BlockStyle, large: bool) -> StyledText {
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

pub(super) fn plain(s: &str, base: &BlockStyle) -> StyledText {
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
