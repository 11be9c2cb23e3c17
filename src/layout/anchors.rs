//! The page map of a layout: where each printed page begins in the reading order.
//!
//! A page's anchor is the first thing printed on it (in print order) that is not earlier
//! in reading order than the text already printed on the pages before it. A figure that
//! floated to the top of a page is earlier in reading order than the text printed before
//! it: anchoring the page there would put the page's EPUB marker (and braille's print
//! page indicator) before text that is printed on the previous page, and the page's own
//! text would then be counted to the previous page. So the page begins with its first
//! flowing text instead, and the floated figure is read on the page where its place in
//! the text is. A page that holds nothing but such figures (those an article flushes
//! after its last text) begins at its first figure: there is no later thing on it.

use super::{Item, Owner, Page};
use crate::pagemap::{ArticlePart, PageStart, TextAnchor};

/// A place in the reading order: article, part order, byte offset.
type ReadingPlace = (usize, (u8, usize, usize), usize);

/// The page map entries of `pages`, in order ([`TextAnchor::FrontMatter`] for a page with
/// no article content).
pub(super) fn page_starts(pages: &[Page]) -> Vec<PageStart> {
    let mut printed: Option<ReadingPlace> = None;
    pages
        .iter()
        .map(|page| {
            let places: Vec<(ReadingPlace, TextAnchor)> =
                page.items.iter().filter_map(anchor_of).collect();
            let anchor = places
                .iter()
                .find(|(place, _)| printed.is_none_or(|p| *place >= p))
                .or(places.first())
                .map_or(TextAnchor::FrontMatter, |(_, a)| a.clone());
            let last_text = page
                .items
                .iter()
                .filter(|item| matches!(item, Item::Line(_)))
                .filter_map(anchor_of)
                .map(|(place, _)| place)
                .max();
            printed = printed.max(last_text);
            PageStart {
                label: page.label.clone(),
                anchor,
            }
        })
        .collect()
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

    /// On the bundled example's real layouts at every scale from small to largest (where
    /// its figures float), no page begins before text printed on an earlier page unless
    /// it holds nothing later (figures flushed at the article's end), and the map has
    /// one entry per page.
    #[test]
    fn no_page_of_the_example_begins_before_text_printed_earlier() {
        let (p, _) = crate::input::load_prepared(&["examples/bac-kan/bac-kan.md".into()]).unwrap();
        let mut floated_pages = 0;
        for step in -1..=6 {
            let options = crate::layout::LayoutOptions::new(crate::scale::FontScale::step(step));
            let lay = crate::layout::layout(&p, &options).unwrap();
            assert_eq!(lay.page_map.pages.len(), lay.pages.len());
            let mut printed: Option<ReadingPlace> = None;
            for (page, start) in lay.pages.iter().zip(&lay.page_map.pages) {
                let places: Vec<_> = page.items.iter().filter_map(anchor_of).collect();
                let anchor = places.iter().find(|(_, a)| *a == start.anchor).unwrap();
                let later_exists = places.iter().any(|(q, _)| printed.is_none_or(|p| *q >= p));
                if later_exists {
                    assert!(
                        printed.is_none_or(|p| anchor.0 >= p),
                        "step {step}, page {}: begins at {:?}, before text printed earlier",
                        start.label,
                        start.anchor
                    );
                }
                if places.first().is_some_and(|f| f.0 < anchor.0) {
                    floated_pages += 1;
                }
                let last_text = page
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Line(_)))
                    .filter_map(anchor_of)
                    .map(|(q, _)| q)
                    .max();
                printed = printed.max(last_text);
            }
        }
        assert!(
            floated_pages > 0,
            "no page of the example opens with a floated figure"
        );
    }
}
