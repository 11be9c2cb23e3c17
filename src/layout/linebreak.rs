//! Line breaking: UAX #14 break opportunities, optional hyphenation, and a
//! minimum-raggedness (Knuth–Plass style) choice of breaks for flush-left text.
//!
//! * Vietnamese breaks between syllables (at spaces) and is never hyphenated.
//! * Hyphenation (the `hyphenation` crate, TeX patterns) is used for English only, and
//!   only when the caller allows it (standard scales; never at large print).
//! * A token wider than the line (a URL, a 175-character word) is broken between
//!   grapheme clusters rather than overflowing the margin.
//! * The line's trailing space glyph stays in the line (it is drawn, invisible), so that
//!   text extraction keeps the word boundary at line ends.

use std::ops::Range;
use std::sync::OnceLock;

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::linebreaks;

use crate::shape::Shaped;

/// A piece of a paragraph between two break opportunities.
#[derive(Debug, Clone)]
struct Piece {
    glyphs: Range<usize>,
    /// Width without trailing white space, pt.
    width: f32,
    /// Width of trailing white space, pt.
    space: f32,
    /// Breaking after this piece needs a hyphen.
    hyphen: bool,
    /// Width of that hyphen (in the face of the piece's last glyph), pt; 0 without one.
    hyphen_width: f32,
}

/// One line: a range of glyphs, whether it ends with an inserted hyphen, and its width.
#[derive(Debug, Clone, PartialEq)]
pub struct LineBreak {
    /// The glyphs of the line, trailing spaces included.
    pub glyphs: Range<usize>,
    /// A hyphen must be drawn at the end.
    pub hyphen: bool,
    /// The visible width (without trailing spaces, with the hyphen), pt.
    pub width: f32,
}

fn english_hyphenator() -> &'static Standard {
    static EN: OnceLock<Standard> = OnceLock::new();
    EN.get_or_init(|| {
        Standard::from_embedded(Language::EnglishUS).expect("embedded en-us patterns")
    })
}

/// Whether a language is hyphenated (English only: anpham embeds en-US patterns).
pub fn hyphenates(lang: &str) -> bool {
    lang == "en" || lang.starts_with("en-")
}

/// Breaks a shaped paragraph into lines of at most `max_width` points at `size` points.
/// `hyphen_width` is the width of the hyphen glyph when hyphenation is allowed.
pub fn break_lines(
    shaped: &Shaped,
    size: f32,
    max_width: f32,
    hyphen_width: Option<f32>,
    lang: &str,
) -> Vec<LineBreak> {
    let pieces = pieces(
        shaped,
        size,
        max_width,
        hyphen_width.filter(|_| hyphenates(lang)),
    );
    if pieces.is_empty() {
        return Vec::new();
    }
    let n = pieces.len();
    // Prefix sums of width + space.
    let mut prefix = Vec::with_capacity(n + 1);
    prefix.push(0.0f64);
    for p in &pieces {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + (p.width + p.space) as f64);
    }
    let line_width = |i: usize, j: usize| -> f32 {
        let last = &pieces[j - 1];
        (prefix[j] - prefix[i]) as f32 - last.space + last.hyphen_width
    };
    // best[j]: least cost of setting pieces[..j]; from[j]: where its last line starts.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in 1..=n {
        let mut i = j;
        while i > 0 {
            i -= 1;
            let w = line_width(i, j);
            if w > max_width + 0.01 && i + 1 < j {
                break;
            }
            if best[i].is_infinite() {
                continue;
            }
            let slack = ((max_width - w) / max_width).max(0.0) as f64;
            let mut cost = if j == n { 0.0 } else { slack * slack * 1000.0 };
            cost += 10.0;
            if pieces[j - 1].hyphen && j < n {
                cost += 40.0;
            }
            if best[i] + cost < best[j] {
                best[j] = best[i] + cost;
                from[j] = i;
            }
        }
    }
    let mut ends = Vec::new();
    let mut j = n;
    while j > 0 {
        ends.push(j);
        j = from[j];
    }
    ends.reverse();
    let mut lines = Vec::with_capacity(ends.len());
    let mut start = 0;
    for end in ends {
        let hyphen = pieces[end - 1].hyphen && end < n;
        lines.push(LineBreak {
            glyphs: pieces[start].glyphs.start..pieces[end - 1].glyphs.end,
            hyphen,
            width: line_width(start, end)
                - if pieces[end - 1].hyphen && !hyphen {
                    pieces[end - 1].hyphen_width
                } else {
                    0.0
                },
        });
        start = end;
    }
    lines
}

/// The glyph indices where a line may end, each with whether the line then needs a
/// hyphen (a hyphenation point inside a word, offered only when `hyphenate`), in order.
fn break_points(shaped: &Shaped, hyphenate: bool) -> Vec<(usize, bool)> {
    let text = &shaped.styled.text;
    let glyphs = &shaped.glyphs;
    // Glyph index at which each cluster starting at byte b begins.
    let glyph_at_byte = |b: usize| -> Option<usize> {
        let i = glyphs.partition_point(|g| (g.cluster.start as usize) < b);
        if i == glyphs.len() {
            return Some(i);
        }
        // A break inside a cluster (a ligature across it) is not possible.
        (glyphs[i].cluster.start as usize == b
            && (i == 0 || glyphs[i - 1].cluster.end as usize <= b))
            .then_some(i)
    };
    let mut breaks: Vec<(usize, bool)> = Vec::new(); // (glyph index, needs hyphen)
    let mut last_byte = 0;
    for (b, _) in linebreaks(text) {
        if hyphenate {
            // Hyphenation points inside the word(s) between the previous break and this one.
            hyphenation_points(text, last_byte, b, &mut |hb| {
                if let Some(g) = glyph_at_byte(hb) {
                    breaks.push((g, true));
                }
            });
        }
        if (allowed_between(&text[..b], &text[b..]) || b == text.len())
            && let Some(g) = glyph_at_byte(b)
        {
            breaks.push((g, false));
        }
        last_byte = b;
    }
    breaks.dedup_by_key(|b| b.0);
    breaks
}

/// Cuts shaped text at its break points into the pieces a line is made of, each with its
/// width (trailing white space apart); a piece wider than `max_width` is split
/// ([`split_wide`]).
fn pieces(shaped: &Shaped, size: f32, max_width: f32, hyphen: Option<f32>) -> Vec<Piece> {
    let text = &shaped.styled.text;
    let glyphs = &shaped.glyphs;
    if glyphs.is_empty() {
        return Vec::new();
    }
    let breaks = break_points(shaped, hyphen.is_some());
    let is_space = |g: &crate::shape::ShapedGlyph| {
        text[g.cluster.start as usize..g.cluster.end as usize]
            .chars()
            .all(char::is_whitespace)
    };
    let mut out = Vec::new();
    let mut start = 0;
    for (end, hy) in breaks {
        if end <= start {
            continue;
        }
        let mut width = 0.0;
        let mut space = 0.0;
        for g in &glyphs[start..end] {
            let adv = g.x_advance * size;
            if is_space(g) {
                space += adv;
            } else {
                width += space + adv;
                space = 0.0;
            }
        }
        if width > max_width {
            split_wide(
                &glyphs[start..end],
                start,
                size,
                max_width,
                &mut out,
                is_space,
            );
            if let Some(last) = out.last_mut() {
                last.hyphen = false;
            }
        } else {
            // The hyphen is drawn in the face of the last glyph; a break whose hyphen
            // would not fit (or that face has none) is not offered.
            let hyphen_width = if hy {
                match shaped.faces[glyphs[end - 1].face as usize].hyphen {
                    Some((_, w)) if width + w * size <= max_width => w * size,
                    _ => continue,
                }
            } else {
                0.0
            };
            out.push(Piece {
                glyphs: start..end,
                width,
                space,
                hyphen: hy,
                hyphen_width,
            });
        }
        start = end;
    }
    if start < glyphs.len() {
        let width = glyphs[start..].iter().map(|g| g.x_advance * size).sum();
        out.push(Piece {
            glyphs: start..glyphs.len(),
            width,
            space: 0.0,
            hyphen: false,
            hyphen_width: 0.0,
        });
    }
    out
}

/// Tailoring of UAX #14: a line may end after white space, after a hyphen, dash or
/// ellipsis, or after an ideograph; not inside runs such as `?>` or `1.5`, whose split
/// would change what text extraction and screen readers get back, and not after a hyphen
/// that opens a word (`->`, `-5`: UAX #14's rule LB20.1 of Unicode 15.1, which the
/// `unicode-linebreak` crate predates; a spaced dash before a no-break space, `Tý -\u{A0}Nguyên`,
/// keeps its break as UAX #14 gives it). Tokens that still do not fit are broken by
/// [`split_wide`].
fn allowed_between(before: &str, after: &str) -> bool {
    let mut back = before.chars().rev();
    let prev = back.next();
    if matches!(prev, Some('-' | '\u{2010}'))
        && back.next().is_none_or(char::is_whitespace)
        && after.chars().next().is_some_and(|c| !c.is_whitespace())
    {
        return false;
    }
    match prev {
        None => false,
        Some(c) => {
            c.is_whitespace()
                || matches!(c, '-' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '\u{2026}')
                || ('\u{2E80}'..='\u{9FFF}').contains(&c)
                || ('\u{F900}'..='\u{FAFF}').contains(&c)
        }
    }
}

/// Breaks a token wider than the line between clusters, filling each line greedily.
fn split_wide(
    glyphs: &[crate::shape::ShapedGlyph],
    offset: usize,
    size: f32,
    max_width: f32,
    out: &mut Vec<Piece>,
    is_space: impl Fn(&crate::shape::ShapedGlyph) -> bool,
) {
    let mut start = 0;
    let mut width = 0.0;
    let mut i = 0;
    while i < glyphs.len() {
        // The whole cluster moves together.
        let mut j = i + 1;
        while j < glyphs.len() && glyphs[j].cluster.start == glyphs[i].cluster.start {
            j += 1;
        }
        let w: f32 = glyphs[i..j].iter().map(|g| g.x_advance * size).sum();
        let spacey = glyphs[i..j].iter().all(&is_space);
        if width + w > max_width && i > start && !spacey {
            out.push(Piece {
                glyphs: offset + start..offset + i,
                width,
                space: 0.0,
                hyphen: false,
                hyphen_width: 0.0,
            });
            start = i;
            width = 0.0;
        }
        width += w;
        i = j;
    }
    // Trailing spaces of the last chunk do not count towards its width.
    let mut space = 0.0;
    let mut k = glyphs.len();
    while k > start && is_space(&glyphs[k - 1]) {
        k -= 1;
        space += glyphs[k].x_advance * size;
    }
    out.push(Piece {
        glyphs: offset + start..offset + glyphs.len(),
        width: width - space,
        space,
        hyphen: false,
        hyphen_width: 0.0,
    });
}

/// Calls `f` with the byte offsets inside `text[from..to]` where a word may be hyphenated.
fn hyphenation_points(text: &str, from: usize, to: usize, f: &mut impl FnMut(usize)) {
    let seg = &text[from..to];
    let hy = english_hyphenator();
    let mut word_start = None;
    let emit = |ws: usize, we: usize, f: &mut dyn FnMut(usize)| {
        let word = &seg[ws..we];
        if word.chars().count() >= 6 && word.chars().all(|c| c.is_alphabetic()) {
            for b in hy.hyphenate(word).breaks {
                if b >= 3 && word.len() - b >= 3 {
                    f(from + ws + b);
                }
            }
        }
    };
    for (i, c) in seg.char_indices() {
        if c.is_alphabetic() {
            if word_start.is_none() {
                word_start = Some(i);
            }
        } else if let Some(ws) = word_start.take() {
            emit(ws, i, f);
        }
    }
    if let Some(ws) = word_start {
        emit(ws, seg.len(), f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;
    use crate::shape::{Style, StyledText, shape};

    fn shaped(s: &str, lang: &str) -> Shaped {
        let mut st = StyledText::default();
        st.push(s, Style::default());
        shape(st, &FontSet::bundled(true), lang)
    }

    #[test]
    fn lines_fit_and_cover_all_glyphs() {
        let sh = shaped(
            "Các cấp ủy, tổ chức đảng lãnh đạo, chỉ đạo thực hiện hiệu quả công tác sắp xếp tổ chức bộ máy và công tác cán bộ.",
            "vi",
        );
        let lines = break_lines(&sh, 18.0, 200.0, None, "vi");
        assert!(lines.len() > 2);
        let mut next = 0;
        for l in &lines {
            assert_eq!(l.glyphs.start, next);
            assert!(l.width <= 200.01, "{}", l.width);
            assert!(!l.hyphen);
            next = l.glyphs.end;
        }
        assert_eq!(next, sh.glyphs.len());
    }

    #[test]
    fn long_tokens_are_broken_not_overflowing() {
        let token = "x".repeat(175);
        let sh = shaped(&format!("Mở {token} đóng"), "vi");
        let lines = break_lines(&sh, 12.0, 150.0, None, "vi");
        assert!(lines.len() >= 6);
        assert!(lines.iter().all(|l| l.width <= 150.01));
    }

    #[test]
    fn english_is_hyphenated_when_allowed_vietnamese_never() {
        let text = "Internationalization considerations notwithstanding, the representatives unanimously reconsidered.";
        let sh = shaped(text, "en");
        let lines = break_lines(&sh, 12.0, 120.0, Some(4.0), "en");
        assert!(lines.iter().any(|l| l.hyphen), "{lines:?}");
        let lines = break_lines(&sh, 12.0, 120.0, None, "en");
        assert!(!lines.iter().any(|l| l.hyphen));
        let sh = shaped(
            "Nghiêncứuxâydựngbanhànhnhiềuvănbản cụ thể để tổ chức thực hiện",
            "vi",
        );
        assert!(
            !break_lines(&sh, 12.0, 120.0, Some(4.0), "vi")
                .iter()
                .any(|l| l.hyphen)
        );
    }

    /// The byte offsets where a line may end without a hyphen.
    fn plain_breaks(s: &str) -> Vec<usize> {
        let sh = shaped(s, "vi");
        break_points(&sh, false)
            .into_iter()
            .filter(|&(_, hy)| !hy)
            .filter_map(|(g, _)| sh.glyphs.get(g).map(|g| g.cluster.start as usize))
            .collect()
    }

    #[test]
    fn a_hyphen_that_opens_a_word_stays_with_it() {
        // A real article's "34 40 -> Mua vé" was cut as "40 -" / "> Mua": a reader got a
        // stray dash and a stray ">".
        let text = "là 34 40 -> Mua vé, nhiệt độ -5 độ, Jae-in";
        let breaks = plain_breaks(text);
        for (at, what) in [("->", 1), ("-5", 1)] {
            let cut = text.find(at).unwrap() + what;
            assert!(!breaks.contains(&cut), "a break inside {at:?}: {breaks:?}");
        }
        // A hyphen inside a word still lets the line end after it.
        let after = text.find("Jae-").unwrap() + 4;
        assert!(breaks.contains(&after), "{breaks:?}");
        assert!(!allowed_between("-", ">") && !allowed_between("40 -", "> Mua"));
        assert!(allowed_between("Jae-", "in") && allowed_between("Tý -", "\u{A0}Nguyên"));
    }
}
