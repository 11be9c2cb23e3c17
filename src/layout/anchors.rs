//! The page map of a layout: where each printed page begins in the reading order.
//!
//! A page's anchor is the first thing printed on it (in print order) that is not earlier
//! in reading order than the text already printed on the pages before it. A figure that
//! floated to the top of a page is earlier in reading order than the text printed before
//! it: anchoring the page there would put the page's marker in the editions that follow
//! the page map before text that is printed on the previous page, and the page's own
//! text would then be counted to the previous page. So the page begins with its first
//! flowing text instead, and the floated figure is read on the page where its place in
//! the text is. A page that holds nothing but such figures (those an article flushes
//! after its last text, or a floated figure that fills a page) begins where the text
//! printed before it ends: the markers stay in page order in the reading order, and the
//! page's figures are read at their place, as on any other page (see
//! `docs/epub-accessibility.md`, "Page navigation").

use super::{Item, Line, Owner, Page};
use crate::pagemap::{ArticlePart, PageStart, TextAnchor};

/// A place in the reading order: article, part order, byte offset.
type ReadingPlace = (usize, (u8, usize, usize), usize);

/// The page map entries of `pages`, in order ([`TextAnchor::FrontMatter`] for a page with
/// no article content).
pub(super) fn page_starts(pages: &[Page]) -> Vec<PageStart> {
    // The last line of article text printed so far: where it begins, and where it ends.
    let mut printed: Option<(ReadingPlace, TextAnchor)> = None;
    pages
        .iter()
        .map(|page| {
            let places: Vec<(ReadingPlace, TextAnchor)> =
                page.items.iter().filter_map(anchor_of).collect();
            let later = places
                .iter()
                .find(|(place, _)| printed.as_ref().is_none_or(|(p, _)| place >= p));
            let anchor = match (later, &printed) {
                (Some((_, a)), _) => a.clone(),
                (None, Some((_, end))) => end.clone(),
                (None, None) => TextAnchor::FrontMatter,
            };
            let last_text = page
                .items
                .iter()
                .filter_map(|item| match item {
                    Item::Line(l) => Some((anchor_of(item)?.0, l)),
                    Item::Image(_) => None,
                })
                .max_by_key(|(place, _)| *place);
            if let Some((place, line)) = last_text
                && printed.as_ref().is_none_or(|(p, _)| place >= *p)
                && let Some(end) = end_of(line)
            {
                printed = Some((place, end));
            }
            PageStart {
                label: page.label.clone(),
                anchor,
            }
        })
        .collect()
}

/// Where a line of article text ends: its part and the byte offset after its text (less
/// an inserted hyphen). `None` for a list label, which is not article text.
fn end_of(line: &Line) -> Option<TextAnchor> {
    let Owner::Article(article, part) = line.owner else {
        return None;
    };
    let shown: usize = line.runs.iter().map(|r| r.text.len()).sum();
    Some(TextAnchor::Article {
        article,
        part,
        offset: line.offset + shown - usize::from(line.hyphenated && shown > 0),
    })
}

/// Where an item of article content begins in the reading order (`None` for anything
/// else, e.g. front matter lines).
fn anchor_of(item: &Item) -> Option<(ReadingPlace, TextAnchor)> {
    let (article, part, offset) = match item {
        Item::Line(l) => match l.owner {
            Owner::Article(a, part) => (a, part, l.offset),
            Owner::ListLabel(a, b, j) => (a, ArticlePart::Item(b, j), 0),
            _ => return None,
        },
        Item::Image(img) => (img.article, ArticlePart::Block(img.block), 0),
    };
    Some((
        (article, part.order(), offset),
        TextAnchor::Article {
            article,
            part,
            offset,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontSet;
    use crate::layout::pager::tests::{capacity, figure, pager, paragraph, typesetter};

    fn at(block: ArticlePart, offset: usize) -> TextAnchor {
        TextAnchor::Article {
            article: 0,
            part: block,
            offset,
        }
    }

    #[test]
    fn a_page_that_opens_with_a_floated_figure_begins_at_its_first_flowing_text() {
        let fonts = FontSet::bundled(true);
        let ts = typesetter(&fonts);
        let mut p = pager(&ts);
        let cap = capacity(&p);
        // Page 1: the first paragraph and three lines of the third block; the figure
        // (block 1) floats to the top of page 2, above the rest of block 2 (from its
        // fourth line, offset 30); block 4's figure waits for the article's end and
        // fills page 3 alone.
        let flows = vec![
            paragraph(&ts, 0, 0, cap - 3),
            figure(&ts, 0, 1, 5.0),
            paragraph(&ts, 0, 2, 6),
            paragraph(&ts, 0, 3, cap - 3 - 5 - 2),
            figure(&ts, 0, 4, 5.0),
            paragraph(&ts, 0, 5, 2),
        ];
        p.place_all(flows, &mut Vec::new(), Some(0));
        let pages = p.finish();
        assert!(matches!(pages[1].items[0], Item::Image(_)));
        let anchors: Vec<TextAnchor> = page_starts(&pages).into_iter().map(|s| s.anchor).collect();
        assert_eq!(
            anchors,
            [
                at(ArticlePart::Block(0), 0),
                at(ArticlePart::Block(2), 30),
                at(ArticlePart::Block(4), 0),
            ],
            "{:?}",
            pages
                .iter()
                .map(crate::layout::pager::tests::seen)
                .collect::<Vec<_>>()
        );
    }

    /// A figure can wait two pages: behind another waiting figure that opens the next
    /// page and leaves no room for it, it is flushed at the article's end on a page of its
    /// own, after text printed on the page before that comes later than it in reading
    /// order. That page begins after the text printed before it, so that the page list
    /// (and every edition's page markers) stays in page order.
    #[test]
    fn a_page_of_figures_only_begins_after_the_text_printed_before_it() {
        let fonts = FontSet::bundled(true);
        let ts = typesetter(&fonts);
        let mut p = pager(&ts);
        let cap = capacity(&p);
        // Page 1: block 0 and three lines of block 3; figures 1 and 2 wait. Page 2:
        // figure 1, then the rest of block 3 (from its fourth line, offset 30); figure 2
        // does not fit below figure 1 and goes to page 3 alone.
        let flows = vec![
            paragraph(&ts, 0, 0, cap - 3),
            figure(&ts, 0, 1, 5.0),
            figure(&ts, 0, 2, (cap - 4) as f32),
            paragraph(&ts, 0, 3, 6),
        ];
        p.place_all(flows, &mut Vec::new(), Some(0));
        let pages = p.finish();
        let seen: Vec<_> = pages
            .iter()
            .map(crate::layout::pager::tests::seen)
            .collect();
        assert_eq!(pages.len(), 3, "{seen:?}");
        assert!(
            pages[2]
                .items
                .iter()
                .all(|i| anchor_of(i).unwrap().0 < anchor_of(&pages[1].items[2]).unwrap().0),
            "{seen:?}"
        );
        let anchors: Vec<TextAnchor> = page_starts(&pages).into_iter().map(|s| s.anchor).collect();
        // Page 3 begins at the end of block 3's last line (offset 50; the made-up lines
        // carry no text, so it ends where it starts).
        assert_eq!(
            anchors,
            [
                at(ArticlePart::Block(0), 0),
                at(ArticlePart::Block(3), 30),
                at(ArticlePart::Block(3), 50),
            ],
            "{seen:?}"
        );
    }

    /// On the bundled example's real layouts at every scale from small to largest (where
    /// its figures float), no page begins before text printed on an earlier page, the
    /// pages begin in page order in the reading order, and the map has one entry per page.
    #[test]
    fn no_page_of_the_example_begins_before_text_printed_earlier() {
        let (p, _) = crate::input::load_prepared(&["examples/bac-kan/bac-kan.md".into()]).unwrap();
        let place = |a: &TextAnchor| match *a {
            TextAnchor::Article {
                article,
                part,
                offset,
            } => (article, part.order(), offset),
            TextAnchor::FrontMatter => panic!("the example has no front matter"),
        };
        let mut floated_pages = 0;
        for step in -1..=6 {
            let options = crate::layout::LayoutOptions::new(crate::scale::FontScale::step(step));
            let lay = crate::layout::layout(&p, &options).unwrap();
            assert_eq!(lay.page_map.pages.len(), lay.pages.len());
            let mut printed: Option<ReadingPlace> = None;
            let mut previous: Option<ReadingPlace> = None;
            for (k, (page, start)) in lay.pages.iter().zip(&lay.page_map.pages).enumerate() {
                let at = place(&start.anchor);
                assert!(
                    printed.is_none_or(|p| at >= p) && previous.is_none_or(|p| at >= p),
                    "step {step}, page {}: begins at {:?}, before text printed earlier",
                    start.label,
                    start.anchor
                );
                let places: Vec<_> = page.items.iter().filter_map(anchor_of).collect();
                if places.first().is_some_and(|f| f.0 < at) {
                    floated_pages += 1;
                }
                if let TextAnchor::Article { part, offset, .. } = start.anchor
                    && places.iter().all(|(_, a)| *a != start.anchor)
                {
                    // A page of figures only begins where the text printed before it
                    // ends: where the next page goes on in the same part, else at the
                    // end of the part.
                    let next = lay.page_map.pages.get(k + 1).map(|s| &s.anchor);
                    match next {
                        Some(TextAnchor::Article { part: q, .. }) if *q == part => {
                            assert_eq!(Some(&start.anchor), next, "step {step}, page {k}")
                        }
                        _ => {
                            let parts = crate::address::article_parts(&p, 0);
                            let text = &parts.iter().find(|(q, _)| *q == part).unwrap().1;
                            assert_eq!(offset, text.len(), "step {step}, page {k}");
                        }
                    }
                }
                let last_text = page
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Line(_)))
                    .filter_map(anchor_of)
                    .map(|(q, _)| q)
                    .max();
                printed = printed.max(last_text);
                previous = Some(at);
            }
        }
        assert!(
            floated_pages > 0,
            "no page of the example opens with a floated figure"
        );
        // Since a float stops the text before it at a sentence end (issue #22), no page
        // of the example holds figures only at any scale: that case is
        // `a_page_of_figures_only_begins_after_the_text_printed_before_it`'s.
    }
}
