//! The pager's rules, each on flows made to measure: lines are counted, not shaped, so
//! that a page holds a known number of them and each rule decides a visible outcome.

use super::{Pager, lines_before_break};
use crate::fonts::FontSet;
use crate::layout::typeset::{BlockStyle, Flow, Typesetter};
use crate::layout::{Item, Line, Owner, Page};
use crate::pagemap::ArticlePart;
use crate::scale::FontScale;

/// A large-print typesetter on the bundled fonts (A5 text width).
pub(in crate::layout) fn typesetter(fonts: &FontSet) -> Typesetter<'_> {
    Typesetter {
        fonts,
        metrics: FontScale::LARGE.metrics(),
        large: true,
        width: 300.0,
        ascent_em: 1.2,
        descent_em: 0.3,
    }
}

/// A pager on A5 pages, its first page open.
pub(in crate::layout) fn pager<'a>(ts: &'a Typesetter<'a>) -> Pager<'a> {
    let mut p = Pager::new(595.0, 70.0, 14.0, ts, "Tiêu đề", "vi");
    p.new_page();
    p
}

/// The body style with no space around blocks, so that lines are all that count.
pub(in crate::layout) fn body(ts: &Typesetter<'_>) -> BlockStyle {
    BlockStyle {
        space_after: 0.0,
        ..ts.style(ts.metrics.body_pt)
    }
}

/// How many body lines a page holds (with a clear part of a line to spare, so that a
/// test's "N lines left" does not hang on rounding).
pub(in crate::layout) fn capacity(p: &Pager<'_>) -> usize {
    let pitch = p.ts.pitch(p.ts.metrics.body_pt);
    let lines = ((p.bottom - p.top) / pitch).floor();
    let spare = p.bottom - p.top - lines * pitch;
    assert!(spare > 0.05 * pitch, "the test page leaves only {spare} pt");
    lines as usize
}

fn lines(article: usize, part: ArticlePart, n: usize) -> Vec<Line> {
    (0..n)
        .map(|k| Line {
            owner: Owner::Article(article, part),
            baseline: 0.0,
            ascent: 0.0,
            descent: 0.0,
            runs: Vec::new(),
            offset: 10 * k,
            hyphenated: false,
            sentence_end: true,
        })
        .collect()
}

/// Paragraph `block` of `article`: `n` body lines (offsets 0, 10, 20 …).
pub(in crate::layout) fn paragraph(
    ts: &Typesetter<'_>,
    article: usize,
    block: usize,
    n: usize,
) -> Flow {
    Flow::Lines {
        lines: lines(article, ArticlePart::Block(block), n),
        pitch: ts.pitch(ts.metrics.body_pt),
        style: body(ts),
        outline: None,
    }
}

/// Figure `block` of `article`: an image as wide as the text and `tall` body lines high,
/// with a one-line caption.
pub(in crate::layout) fn figure(
    ts: &Typesetter<'_>,
    article: usize,
    block: usize,
    tall: f32,
) -> Flow {
    let pitch = ts.pitch(ts.metrics.body_pt);
    Flow::Figure {
        article,
        block,
        aspect: tall * pitch / ts.width,
        natural_width: ts.width,
        caption: lines(article, ArticlePart::Caption(block), 1),
        pitch,
        style: body(ts),
    }
}

/// What a page holds, in print order, each thing with its article and block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::layout) enum Seen {
    /// A line of text.
    Text(usize, usize),
    /// A line of a figure's caption.
    Caption(usize, usize),
    /// A figure's image.
    Image(usize, usize),
}

pub(in crate::layout) fn seen(page: &Page) -> Vec<Seen> {
    page.items
        .iter()
        .map(|item| match item {
            Item::Image(i) => Seen::Image(i.article, i.block),
            Item::Line(l) => match l.owner {
                Owner::Article(a, ArticlePart::Caption(b)) => Seen::Caption(a, b),
                Owner::Article(a, ArticlePart::Block(b)) => Seen::Text(a, b),
                _ => panic!("an unexpected line {:?}", l.owner),
            },
        })
        .collect()
}

fn count(page: &[Seen], what: Seen) -> usize {
    page.iter().filter(|s| **s == what).count()
}

/// Lays out `flows` as article 0 and returns each page's content.
fn place(flows: Vec<Flow>) -> Vec<Vec<Seen>> {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let mut p = pager(&ts);
    p.place_all(flows, &mut Vec::new(), Some(0));
    p.finish().iter().map(seen).collect()
}

fn with_capacity<T>(f: impl FnOnce(&Typesetter<'_>, usize) -> T) -> T {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let cap = capacity(&pager(&ts));
    assert!(cap >= 10, "a test page holds {cap} lines");
    f(&ts, cap)
}

#[test]
fn no_widows_and_no_orphans() {
    // 10 lines, 5 fit: 5 now, 5 on the next page.
    assert_eq!(lines_before_break(5, 10, false), 5);
    // 10 lines, 9 fit: one would be a widow, so 8 now.
    assert_eq!(lines_before_break(9, 10, false), 8);
    // 10 lines, 1 fits: it would be an orphan, so none now.
    assert_eq!(lines_before_break(1, 10, false), 0);
    // On an empty page, as many as fit, at least one.
    assert_eq!(lines_before_break(1, 10, true), 1);
    assert_eq!(lines_before_break(0, 10, true), 1);
}

#[test]
fn a_figure_that_fits_stays_where_it_is() {
    let pages = with_capacity(|ts, cap| {
        place(vec![
            paragraph(ts, 0, 0, cap - 8),
            figure(ts, 0, 1, 4.0),
            paragraph(ts, 0, 2, 2),
        ])
    });
    assert_eq!(pages.len(), 1, "{pages:?}");
    let figure_at = pages[0].len() - 4;
    assert_eq!(
        &pages[0][figure_at..],
        &[
            Seen::Image(0, 1),
            Seen::Caption(0, 1),
            Seen::Text(0, 2),
            Seen::Text(0, 2)
        ]
    );
}

#[test]
fn a_figure_that_does_not_fit_waits_while_the_text_after_it_fills_the_page() {
    let (pages, cap) = with_capacity(|ts, cap| {
        let flows = vec![
            paragraph(ts, 0, 0, cap - 3),
            figure(ts, 0, 1, 5.0),
            paragraph(ts, 0, 2, 6),
        ];
        (place(flows), cap)
    });
    // The three lines left on page 1 take the paragraph after the figure …
    assert_eq!(count(&pages[0], Seen::Text(0, 2)), 3, "{:?}", pages[0]);
    assert_eq!(count(&pages[0], Seen::Image(0, 1)), 0);
    assert_eq!(pages[0].len(), cap);
    // … and the figure opens page 2, its caption under it, then the rest of the text.
    assert_eq!(&pages[1][..2], &[Seen::Image(0, 1), Seen::Caption(0, 1)]);
    assert_eq!(count(&pages[1], Seen::Text(0, 2)), 3);
}

#[test]
fn figures_keep_their_order() {
    // The second figure would fit below the text; it waits behind the first.
    let pages = with_capacity(|ts, cap| {
        place(vec![
            paragraph(ts, 0, 0, cap - 4),
            figure(ts, 0, 1, 6.0),
            figure(ts, 0, 2, 1.0),
            paragraph(ts, 0, 3, 6),
        ])
    });
    let images: Vec<(usize, Seen)> = pages
        .iter()
        .enumerate()
        .flat_map(|(k, p)| {
            p.iter()
                .filter(|s| matches!(s, Seen::Image(..)))
                .map(move |s| (k, *s))
        })
        .collect();
    assert_eq!(
        images,
        [(1, Seen::Image(0, 1)), (1, Seen::Image(0, 2))],
        "{pages:?}"
    );
    assert_eq!(count(&pages[0], Seen::Text(0, 3)), 4);
}

#[test]
fn an_articles_waiting_figures_come_before_the_next_article() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let mut p = pager(&ts);
    let cap = capacity(&p);
    let first = vec![
        paragraph(&ts, 0, 0, cap - 4),
        figure(&ts, 0, 1, 6.0),
        paragraph(&ts, 0, 2, 2),
    ];
    p.place_all(first, &mut Vec::new(), Some(0));
    p.new_page();
    p.place_all(vec![paragraph(&ts, 1, 0, 3)], &mut Vec::new(), Some(1));
    let pages: Vec<Vec<Seen>> = p.finish().iter().map(seen).collect();
    assert_eq!(count(&pages[0], Seen::Text(0, 2)), 2, "{pages:?}");
    assert_eq!(pages[1], [Seen::Image(0, 1), Seen::Caption(0, 1)]);
    assert_eq!(pages[2], [Seen::Text(1, 0); 3]);
}

#[test]
fn a_heading_keeps_with_what_follows() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let heading = |block| Flow::Lines {
        lines: lines(0, ArticlePart::Block(block), 1),
        pitch: ts.pitch(ts.metrics.body_pt),
        style: BlockStyle {
            keep_with_next: true,
            ..body(&ts)
        },
        outline: None,
    };
    for (left, heading_page) in [(2, 1), (3, 0)] {
        let mut p = pager(&ts);
        let cap = capacity(&p);
        let flows = vec![
            paragraph(&ts, 0, 0, cap - left),
            heading(1),
            paragraph(&ts, 0, 2, 4),
        ];
        p.place_all(flows, &mut Vec::new(), Some(0));
        let pages: Vec<Vec<Seen>> = p.finish().iter().map(seen).collect();
        // With two lines left, the heading and the two lines an orphan rule needs do not
        // fit: the heading opens the next page. With three they do.
        assert_eq!(
            count(&pages[heading_page], Seen::Text(0, 1)),
            1,
            "{left}: {pages:?}"
        );
        let after = pages[heading_page]
            .iter()
            .position(|s| *s == Seen::Text(0, 1))
            .unwrap();
        assert_eq!(pages[heading_page].get(after + 1), Some(&Seen::Text(0, 2)));
    }
}

#[test]
fn two_lines_at_least_on_each_side_of_a_page_break() {
    // One line left: a paragraph does not start there (no orphan).
    let pages =
        with_capacity(|ts, cap| place(vec![paragraph(ts, 0, 0, cap - 1), paragraph(ts, 0, 1, 5)]));
    assert_eq!(count(&pages[0], Seen::Text(0, 1)), 0, "{pages:?}");
    assert_eq!(count(&pages[1], Seen::Text(0, 1)), 5);
    // Three lines left of four: two and two (no widow).
    let pages =
        with_capacity(|ts, cap| place(vec![paragraph(ts, 0, 0, cap - 3), paragraph(ts, 0, 1, 4)]));
    assert_eq!(count(&pages[0], Seen::Text(0, 1)), 2, "{pages:?}");
    assert_eq!(count(&pages[1], Seen::Text(0, 1)), 2);
}

#[test]
fn a_figure_taller_than_a_page_is_scaled_onto_one_page_with_its_caption() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let mut p = pager(&ts);
    let cap = capacity(&p);
    let flows = vec![
        paragraph(&ts, 0, 0, 2),
        figure(&ts, 0, 1, 3.0 * cap as f32),
        paragraph(&ts, 0, 2, 2),
    ];
    p.place_all(flows, &mut Vec::new(), Some(0));
    let (top, bottom) = (p.top, p.bottom);
    let pages = p.finish();
    let seen: Vec<Vec<Seen>> = pages.iter().map(seen).collect();
    // The text after it does not wait for it; the figure fills the next page alone.
    assert_eq!(
        seen[0],
        [
            Seen::Text(0, 0),
            Seen::Text(0, 0),
            Seen::Text(0, 2),
            Seen::Text(0, 2)
        ]
    );
    assert_eq!(seen[1], [Seen::Image(0, 1), Seen::Caption(0, 1)]);
    let Item::Image(image) = &pages[1].items[0] else {
        panic!("an image first")
    };
    let Item::Line(caption) = &pages[1].items[1] else {
        panic!("its caption")
    };
    assert!(
        (image.y - top).abs() < 0.01,
        "at the top: {} vs {top}",
        image.y
    );
    assert!(image.y + image.height < caption.baseline);
    assert!(
        caption.baseline <= bottom,
        "{} > {bottom}",
        caption.baseline
    );
    assert!(
        (image.width / image.height - 300.0 / (3.0 * cap as f32 * ts.pitch(ts.metrics.body_pt)))
            .abs()
            < 1e-3
    );
}

/// A paragraph whose sentences end only after the lines `ends` (0-based) and its last.
fn sentences(ts: &Typesetter<'_>, block: usize, n: usize, ends: &[usize]) -> Flow {
    let mut f = paragraph(ts, 0, block, n);
    if let Flow::Lines { lines, .. } = &mut f {
        for (k, l) in lines.iter_mut().enumerate() {
            l.sentence_end = ends.contains(&k) || k + 1 == n;
        }
    }
    f
}

#[test]
fn while_a_figure_waits_a_page_breaks_only_at_the_end_of_a_sentence() {
    // Five lines left on page 1 below the text; the figure waits for page 2 and the
    // paragraph after it fills page 1, but only up to its sentence that ends on line 3
    // (the third line): a page-by-page reader hears that sentence whole, then the
    // figure, then the next sentence.
    let pages = with_capacity(|ts, cap| {
        place(vec![
            paragraph(ts, 0, 0, cap - 5),
            figure(ts, 0, 1, 6.0),
            sentences(ts, 2, 10, &[2, 7]),
        ])
    });
    assert_eq!(count(&pages[0], Seen::Text(0, 2)), 3, "{pages:?}");
    assert_eq!(&pages[1][..2], &[Seen::Image(0, 1), Seen::Caption(0, 1)]);
    // No sentence ends where the page could break: the paragraph waits for the next page
    // with the figure, and page 1 keeps the space.
    let pages = with_capacity(|ts, cap| {
        place(vec![
            paragraph(ts, 0, 0, cap - 5),
            figure(ts, 0, 1, 6.0),
            sentences(ts, 2, 10, &[6]),
        ])
    });
    assert_eq!(count(&pages[0], Seen::Text(0, 2)), 0, "{pages:?}");
    assert_eq!(&pages[1][..2], &[Seen::Image(0, 1), Seen::Caption(0, 1)]);
    let later: usize = pages[1..].iter().map(|p| count(p, Seen::Text(0, 2))).sum();
    assert_eq!(later, 10);
    // Without a waiting figure, the page breaks where it must (two lines at least on each
    // side), sentence or not.
    let pages = with_capacity(|ts, cap| {
        place(vec![
            paragraph(ts, 0, 0, cap - 5),
            sentences(ts, 2, 10, &[]),
        ])
    });
    assert_eq!(count(&pages[0], Seen::Text(0, 2)), 5, "{pages:?}");
}

#[test]
fn a_sentence_break_keeps_two_lines_on_each_side() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let rest = |ends: &[usize]| match sentences(&ts, 0, 6, ends) {
        Flow::Lines { lines, .. } => lines,
        Flow::Figure { .. } => unreachable!(),
    };
    // A sentence ending on the first line would leave an orphan; one on the fifth a widow.
    assert_eq!(super::sentence_break(&rest(&[0, 4]), 5), 0);
    assert_eq!(super::sentence_break(&rest(&[0, 1, 4]), 5), 2);
    assert_eq!(super::sentence_break(&rest(&[1, 3]), 3), 2);
    assert_eq!(super::sentence_break(&rest(&[1, 3]), 4), 4);
}

#[test]
fn a_caption_too_long_for_the_page_shrinks_the_image_to_its_least_then_runs_on() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let mut p = pager(&ts);
    let cap = capacity(&p);
    let content = p.bottom - p.top;
    let pitch = ts.pitch(ts.metrics.body_pt);
    let with_caption = |n: usize| Flow::Figure {
        article: 0,
        block: 0,
        aspect: 0.66,
        natural_width: ts.width,
        caption: lines(0, ArticlePart::Caption(0), n),
        pitch,
        style: body(&ts),
    };
    // A caption that leaves a fifth of the page: the image is scaled to fit above it.
    let fits = ((content * (1.0 - super::MIN_FIGURE_SHARE) - 8.0) / pitch).floor() as usize;
    p.place_all(vec![with_caption(fits)], &mut Vec::new(), Some(0));
    assert!(p.caption_run_ons.is_empty());
    let pages = p.finish();
    assert_eq!(pages.len(), 1);
    let Item::Image(img) = &pages[0].items[0] else {
        panic!("an image first")
    };
    assert!(
        img.height >= content * super::MIN_FIGURE_SHARE - 0.01,
        "{}",
        img.height
    );
    // One longer than the page holds with the image at its least: it runs on, and says so.
    let mut p = pager(&ts);
    p.place_all(vec![with_caption(cap)], &mut Vec::new(), Some(0));
    assert_eq!(p.caption_run_ons, [(0, 0)]);
    assert_eq!(p.finish().len(), 2);
}

#[test]
fn an_article_shares_the_page_below_a_rule_when_a_third_is_left() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    for (used_share, shared) in [(0.5, true), (0.8, false)] {
        let mut p = pager(&ts);
        let cap = capacity(&p);
        let used = (cap as f32 * used_share) as usize;
        p.place_all(vec![paragraph(&ts, 0, 0, used)], &mut Vec::new(), Some(0));
        if p.remaining() >= crate::layout::SHARE_PAGE_SHARE * (p.bottom - p.top) {
            p.separate();
        } else {
            p.new_page();
        }
        p.place_all(vec![paragraph(&ts, 1, 0, 3)], &mut Vec::new(), Some(1));
        assert_eq!(p.first_page_of(1), Some(if shared { 0 } else { 1 }));
        let pages = p.finish();
        assert_eq!(
            pages[0].separators.len(),
            usize::from(shared),
            "{used_share}"
        );
    }
}

#[test]
fn a_rule_with_nothing_below_it_is_taken_back() {
    let fonts = FontSet::bundled(true);
    let ts = typesetter(&fonts);
    let mut p = pager(&ts);
    let cap = capacity(&p);
    p.place_all(
        vec![paragraph(&ts, 0, 0, cap / 2)],
        &mut Vec::new(),
        Some(0),
    );
    p.separate();
    // An article whose first block is kept together and taller than what is left.
    let tall = Flow::Lines {
        lines: lines(1, ArticlePart::Block(0), cap - 2),
        pitch: ts.pitch(ts.metrics.body_pt),
        style: BlockStyle {
            keep_together: true,
            ..body(&ts)
        },
        outline: None,
    };
    p.place_all(vec![tall], &mut Vec::new(), Some(1));
    assert_eq!(p.first_page_of(1), Some(1));
    let pages = p.finish();
    assert!(pages[0].separators.is_empty());
}
