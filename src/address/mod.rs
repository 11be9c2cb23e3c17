//! Text addresses: every readable part of an article, named once, with the exact text
//! that offsets into it count in. Layout (line offsets, the page map) and every edition
//! that follows the page map or cuts the text into sentences read this module; nobody
//! patches offsets to agree with somebody else.
//!
//! An address is `(article index, ArticlePart, byte offset)`; [`article_parts`] yields
//! `(ArticlePart, text)` for every part of an article in reading order. Two parts are
//! printed with more than their text, and the conversion lives here:
//!
//! * a quotation's [`ArticlePart::Attribution`] is printed after `ATTRIBUTION_PREFIX`
//!   (`printed_attribution`, `attribution_offset`);
//! * a figure's [`ArticlePart::Caption`] is the caption, a space, then the credit
//!   (`caption_text`, `credit_offset`).

pub mod sentences;

use crate::labels;
use crate::model::{Article, Block, Figure, Publication};

/// A part of an article that text can be located in.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArticlePart {
    /// The headline.
    Title,
    /// The byline and date line (`byline`).
    Meta,
    /// The lead paragraph.
    Lead,
    /// Block `i` of the body (paragraph, heading, quote text; for a list or a figure the
    /// empty text before it).
    Block(usize),
    /// Item `j` of list block `i`.
    Item(usize, usize),
    /// The caption and credit of figure block `i` (`caption_text`).
    Caption(usize),
    /// The attribution of quote block `i`.
    Attribution(usize),
}

impl ArticlePart {
    /// Reading-order position of the part inside its article.
    pub(crate) fn order(self) -> (u8, usize, usize) {
        match self {
            ArticlePart::Title => (0, 0, 0),
            ArticlePart::Meta => (1, 0, 0),
            ArticlePart::Lead => (2, 0, 0),
            ArticlePart::Block(i) => (3, i, 0),
            ArticlePart::Caption(i) | ArticlePart::Attribution(i) => (3, i, 1),
            ArticlePart::Item(i, j) => (3, i, 1 + j),
        }
    }
}

/// The byline as every edition shows it: `author — date` (the date as readers of `lang`
/// write it); `None` when the article has neither.
pub(crate) fn byline(article: &Article, lang: &str) -> Option<String> {
    labels::byline(article, lang)
}

/// The byline of article `i` of a publication, in the article's language.
pub(crate) fn article_byline(p: &Publication, i: usize) -> Option<String> {
    byline(&p.articles[i], p.article_lang(i))
}

/// Printed before a quotation's attribution.
pub(crate) const ATTRIBUTION_PREFIX: &str = "— ";

/// The attribution as printed: [`ATTRIBUTION_PREFIX`] then the attribution.
pub(crate) fn printed_attribution(attribution: &str) -> String {
    format!("{ATTRIBUTION_PREFIX}{attribution}")
}

/// An offset into [`printed_attribution`] as an offset into the attribution itself.
pub(crate) fn attribution_offset(printed: usize) -> usize {
    printed.saturating_sub(ATTRIBUTION_PREFIX.len())
}

/// A figure's caption part: the caption, a space, the credit (either may be absent).
pub(crate) fn caption_text(f: &Figure) -> Option<String> {
    match (&f.caption, &f.credit) {
        (Some(c), Some(cr)) => Some(format!("{} {cr}", c.to_plain())),
        (Some(c), None) => Some(c.to_plain()),
        (None, Some(cr)) => Some(cr.clone()),
        (None, None) => None,
    }
}

/// Where the credit begins in [`caption_text`]: after the caption and its space.
pub(crate) fn credit_offset(f: &Figure) -> usize {
    f.caption.as_ref().map_or(0, |c| c.to_plain().len() + 1)
}

/// Every part of article `i` of `p`, in reading order, with the plain text that offsets
/// into it count in. This is the list every edition that follows the page map walks.
pub fn article_parts(p: &Publication, i: usize) -> Vec<(ArticlePart, String)> {
    parts_of(&p.articles[i], article_byline(p, i))
}

/// [`article_parts`] for an article on its own, with its byline given.
pub(crate) fn parts_of(article: &Article, byline: Option<String>) -> Vec<(ArticlePart, String)> {
    let mut parts = vec![(ArticlePart::Title, article.title.clone())];
    if let Some(m) = byline {
        parts.push((ArticlePart::Meta, m));
    }
    if let Some(l) = &article.lead {
        parts.push((ArticlePart::Lead, l.to_plain()));
    }
    for (i, b) in article.blocks.iter().enumerate() {
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => {
                parts.push((ArticlePart::Block(i), text.to_plain()))
            }
            Block::Quote { text, attribution } => {
                parts.push((ArticlePart::Block(i), text.to_plain()));
                if let Some(a) = attribution {
                    parts.push((ArticlePart::Attribution(i), a.clone()));
                }
            }
            Block::List { items, .. } => {
                parts.push((ArticlePart::Block(i), String::new()));
                for (j, it) in items.iter().enumerate() {
                    parts.push((ArticlePart::Item(i, j), it.to_plain()));
                }
            }
            Block::Figure(f) => {
                parts.push((ArticlePart::Block(i), String::new()));
                if let Some(c) = caption_text(f) {
                    parts.push((ArticlePart::Caption(i), c));
                }
            }
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    #[test]
    fn parts_come_in_reading_order_with_their_text() {
        let mut a = Article::new("Tiêu đề");
        a.author = Some("Hương Dịu".into());
        a.blocks = vec![
            Block::Quote {
                text: Text::plain("Câu nói"),
                attribution: Some("Ông A".into()),
            },
            Block::Figure(Figure {
                src: "a.png".into(),
                alt: Some("Ảnh".into()),
                caption: Some(Text::plain("Chú thích")),
                credit: Some("Ảnh: TTXVN".into()),
                decorative: false,
                image: None,
            }),
        ];
        let p = Publication::single(a);
        let parts = article_parts(&p, 0);
        let names: Vec<ArticlePart> = parts.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            names,
            vec![
                ArticlePart::Title,
                ArticlePart::Meta,
                ArticlePart::Block(0),
                ArticlePart::Attribution(0),
                ArticlePart::Block(1),
                ArticlePart::Caption(1),
            ]
        );
        assert!(names.windows(2).all(|w| w[0].order() <= w[1].order()));
        assert_eq!(parts[1].1, "Hương Dịu");
        assert_eq!(parts[3].1, "Ông A");
        let Block::Figure(f) = &p.articles[0].blocks[1] else {
            unreachable!()
        };
        let cap = &parts[5].1;
        assert_eq!(&cap[credit_offset(f)..], "Ảnh: TTXVN");
        let printed = printed_attribution("Ông A");
        assert_eq!(
            &"Ông A"[attribution_offset(printed.find('A').unwrap())..],
            "A"
        );
    }
}
