//! Shaping: styled text → positioned glyphs, with a real OpenType shaper (harfrust).
//!
//! Text is itemised by font (the first family of the [`FontSet`] chain that has each
//! character; combining marks stay with their base) and by inline style, and each item is
//! shaped on its own. Glyphs remember the byte range of the text they come from (their
//! cluster), which the print edition's writer turns into an exact ToUnicode / ActualText
//! mapping.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use crate::fonts::{FontFace, FontSet};

/// Inline style of a run of text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Style {
    /// Bold face.
    pub bold: bool,
    /// Italic face.
    pub italic: bool,
    /// Link target.
    pub href: Option<String>,
    /// Language, when it differs from the block's.
    pub lang: Option<String>,
}

/// Text with style runs covering it.
#[derive(Debug, Clone, Default)]
pub struct StyledText {
    /// The characters.
    pub text: String,
    /// Style runs: consecutive, non-overlapping, covering `text`.
    pub runs: Vec<(Range<usize>, Style)>,
}

impl StyledText {
    /// Appends text in a style, merging with the previous run when the style is equal.
    pub fn push(&mut self, s: &str, style: Style) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        match self.runs.last_mut() {
            Some((r, st)) if *st == style => r.end = self.text.len(),
            _ => self.runs.push((start..self.text.len(), style)),
        }
    }
}

/// One shaped glyph.
#[derive(Debug, Clone)]
pub struct ShapedGlyph {
    /// Glyph id in its face.
    pub id: u32,
    /// Index into [`Shaped::faces`].
    pub face: u16,
    /// Index into [`StyledText::runs`].
    pub run: u32,
    /// Advance, in ems.
    pub x_advance: f32,
    /// Horizontal offset, in ems.
    pub x_offset: f32,
    /// Vertical offset, in ems (up is positive).
    pub y_offset: f32,
    /// The byte range of the source text this glyph belongs to (its cluster).
    pub cluster: Range<u32>,
}

/// A shaped paragraph.
#[derive(Debug, Clone)]
pub struct Shaped {
    /// The text and its style runs.
    pub styled: StyledText,
    /// The faces glyphs refer to.
    pub faces: Vec<Arc<FontFace>>,
    /// Glyphs in logical (= visual, left-to-right) order.
    pub glyphs: Vec<ShapedGlyph>,
}

/// What a shape plan depends on: the face (by address; the cache holds the face, so the
/// address is not reused while the plan lives), direction, script and language.
type PlanKey = (
    usize,
    harfrust::Direction,
    Option<harfrust::Script>,
    Option<harfrust::Language>,
);

/// Plans by key, each with the face it was made for.
type Plans = HashMap<PlanKey, (Arc<FontFace>, Rc<harfrust::ShapePlan>)>;

thread_local! {
    /// Shape plans of this thread. Building a plan compiles the font's feature lookups for a
    /// script and language, which costs more than shaping a paragraph, and a publication
    /// needs only a handful of them (faces × languages).
    static PLANS: RefCell<Plans> = RefCell::new(HashMap::new());
}

/// At most this many plans are kept per thread (a batch with many user fonts).
const MAX_PLANS: usize = 64;

/// The shape plan for `face` and the properties of `buffer`, made once per thread.
fn plan_for(
    face: &Arc<FontFace>,
    shaper: &harfrust::Shaper<'_>,
    buffer: &harfrust::UnicodeBuffer,
) -> Rc<harfrust::ShapePlan> {
    let script = Some(buffer.script()).filter(|s| *s != harfrust::script::UNKNOWN);
    let key: PlanKey = (
        Arc::as_ptr(face) as usize,
        buffer.direction(),
        script,
        buffer.language(),
    );
    PLANS.with_borrow_mut(|plans| {
        if let Some((_, plan)) = plans.get(&key) {
            return plan.clone();
        }
        if plans.len() >= MAX_PLANS {
            plans.clear();
        }
        let plan = Rc::new(harfrust::ShapePlan::new(
            shaper,
            key.1,
            key.2,
            key.3.as_ref(),
            &[],
        ));
        plans.insert(key, (face.clone(), plan.clone()));
        plan
    })
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c) || crate::fonts::is_default_ignorable(c)
}

/// A piece of styled text set in one face: its byte range, its style run and its face
/// (an index into the faces of a [`Shaped`]).
type FontRun = (Range<usize>, u32, u16);

/// Shapes styled text with the font chain. `lang` is the block's language (BCP 47).
pub fn shape(styled: StyledText, fonts: &FontSet, lang: &str) -> Shaped {
    let (faces, font_runs) = font_runs(&styled, fonts);
    let language: Option<harfrust::Language> = lang.parse().ok();
    let mut glyphs = Vec::with_capacity(styled.text.len());
    for (range, run, fi) in font_runs {
        let run_lang = styled.runs[run as usize]
            .1
            .lang
            .as_deref()
            .and_then(|l| l.parse().ok())
            .or_else(|| language.clone());
        let first = glyphs.len();
        shape_run(
            &faces[fi as usize],
            &styled.text[range.clone()],
            run_lang,
            &mut glyphs,
            |info, pos, upem| ShapedGlyph {
                id: info.glyph_id,
                face: fi,
                run,
                x_advance: pos.x_advance as f32 / upem,
                x_offset: pos.x_offset as f32 / upem,
                y_offset: pos.y_offset as f32 / upem,
                cluster: (range.start + info.cluster as usize) as u32..0,
            },
        );
        close_clusters(&mut glyphs[first..], range.end as u32);
    }
    Shaped {
        styled,
        faces,
        glyphs,
    }
}

/// Itemises styled text into [`FontRun`]s: each character takes the first face of the
/// chain that has it (marks and spaces stay in the face before them), and a run ends
/// where the face or the style run changes. Gives the faces used, in first use order.
fn font_runs(styled: &StyledText, fonts: &FontSet) -> (Vec<Arc<FontFace>>, Vec<FontRun>) {
    let mut faces: Vec<Arc<FontFace>> = Vec::new();
    let mut face_index = |f: &Arc<FontFace>| -> u16 {
        match faces.iter().position(|x| Arc::ptr_eq(x, f)) {
            Some(i) => i as u16,
            None => {
                faces.push(f.clone());
                (faces.len() - 1) as u16
            }
        }
    };
    let mut items: Vec<FontRun> = Vec::new();
    let mut cache: HashMap<(char, bool, bool), u16> = HashMap::new();
    for (ri, (range, style)) in styled.runs.iter().enumerate() {
        let text = &styled.text[range.clone()];
        let mut current: Option<u16> = None;
        let mut start = range.start;
        for (off, c) in text.char_indices() {
            let at = range.start + off;
            let fi = if is_mark(c) || c == ' ' {
                current
                    .unwrap_or_else(|| face_index(fonts.choose(c, style.bold, style.italic).face))
            } else {
                *cache
                    .entry((c, style.bold, style.italic))
                    .or_insert_with(|| face_index(fonts.choose(c, style.bold, style.italic).face))
            };
            match current {
                Some(cur) if cur != fi => {
                    items.push((start..at, ri as u32, cur));
                    start = at;
                    current = Some(fi);
                }
                None => current = Some(fi),
                _ => {}
            }
        }
        if let Some(cur) = current {
            items.push((start..range.end, ri as u32, cur));
        }
    }
    (faces, items)
}

/// Shapes one piece of text in one face (left to right, in `lang` when known) and pushes
/// a glyph per shaped glyph, made by `glyph` from harfrust's info and position and the
/// face's units per em.
fn shape_run(
    face: &Arc<FontFace>,
    piece: &str,
    lang: Option<harfrust::Language>,
    glyphs: &mut Vec<ShapedGlyph>,
    glyph: impl Fn(&harfrust::GlyphInfo, &harfrust::GlyphPosition, f32) -> ShapedGlyph,
) {
    let upem = face.units_per_em;
    face.with_shaper(|shaper| {
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(piece);
        buffer.set_direction(harfrust::Direction::LeftToRight);
        if let Some(l) = lang {
            buffer.set_language(l);
        }
        buffer.guess_segment_properties();
        let plan = plan_for(face, shaper, &buffer);
        let out = shaper.shape(buffer, harfrust::ShapeOptions::new().plan(Some(&plan)));
        for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
            glyphs.push(glyph(info, pos, upem));
        }
    });
}

/// Gives the glyphs of one shaped piece (ending at byte `end`) their cluster ends: a
/// glyph's cluster ends where the next larger cluster starts, and the glyphs of one
/// cluster share the whole cluster's range.
fn close_clusters(glyphs: &mut [ShapedGlyph], end: u32) {
    let mut next = end;
    for g in glyphs.iter_mut().rev() {
        g.cluster.end = next.max(g.cluster.start);
        if g.cluster.start < next {
            next = g.cluster.start;
        }
    }
    let mut i = 0;
    while i < glyphs.len() {
        let start = glyphs[i].cluster.start;
        let mut j = i;
        let mut cend = glyphs[i].cluster.end;
        while j < glyphs.len() && glyphs[j].cluster.start == start {
            cend = cend.max(glyphs[j].cluster.end);
            j += 1;
        }
        for g in &mut glyphs[i..j] {
            g.cluster.end = cend;
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_shapes_without_notdef_and_clusters_cover_text() {
        let fonts = FontSet::bundled(true);
        let mut st = StyledText::default();
        st.push("Ẫm ệ ổ ợ ữ ỹ Đảng", Style::default());
        let sh = shape(st, &fonts, "vi");
        assert!(sh.glyphs.iter().all(|g| g.id != 0));
        let mut covered = 0;
        for g in &sh.glyphs {
            assert!(g.cluster.start <= g.cluster.end);
            covered = covered.max(g.cluster.end);
        }
        assert_eq!(covered as usize, sh.styled.text.len());
    }

    #[test]
    fn fallback_family_for_characters_the_primary_lacks() {
        // Greek is in Noto Serif, not in Be Vietnam Pro.
        let fonts = FontSet::bundled(true);
        let mut st = StyledText::default();
        st.push("Bắc Kạn αβγ", Style::default());
        let sh = shape(st, &fonts, "vi");
        assert_eq!(sh.faces.len(), 2);
        assert!(sh.glyphs.iter().all(|g| g.id != 0));
    }
}
