//! Size limits: blocks, list items, inline spans and characters per article and per
//! publication, counted before layout (each part costs kilobytes once laid out).

use std::path::Path;

use super::{MAX_BLOCKS, MAX_LIST_ITEMS, MAX_SPANS, MAX_TEXT_CHARS};
use crate::error::{Diagnostic, Result};
use crate::model::{Article, Block, Publication, Text};

/// How many blocks, list items and inline spans some articles hold.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Size {
    blocks: usize,
    items: usize,
    spans: usize,
    chars: usize,
}

impl Size {
    pub(super) fn of(articles: &[Article]) -> Size {
        let mut n = Size::default();
        let text = |n: &mut Size, t: &Text| {
            n.spans += t.spans.len();
            n.chars += t
                .spans
                .iter()
                .map(|s| s.text.chars().count())
                .sum::<usize>();
        };
        let chars = |s: &Option<String>| s.as_ref().map_or(0, |s| s.chars().count());
        for a in articles {
            n.chars += a.title.chars().count() + chars(&a.author) + chars(&a.date);
            n.blocks += a.blocks.len();
            if let Some(t) = &a.lead {
                text(&mut n, t);
            }
            for b in &a.blocks {
                match b {
                    Block::Paragraph { text: t } | Block::Heading { text: t, .. } => {
                        text(&mut n, t)
                    }
                    Block::Quote {
                        text: t,
                        attribution,
                    } => {
                        text(&mut n, t);
                        n.chars += chars(attribution);
                    }
                    Block::List { items, .. } => {
                        n.items += items.len();
                        items.iter().for_each(|t| text(&mut n, t));
                    }
                    Block::Figure(f) => {
                        n.chars += chars(&f.alt) + chars(&f.credit);
                        if let Some(t) = &f.caption {
                            text(&mut n, t);
                        }
                    }
                }
            }
        }
        n
    }

    /// A diagnostic at `field` when a count is over its limit.
    pub(super) fn check(
        &self,
        file: &Path,
        field: &str,
        what: &str,
        hint: &str,
    ) -> Option<Diagnostic> {
        let over = [
            (self.blocks, MAX_BLOCKS, "blocks"),
            (self.items, MAX_LIST_ITEMS, "list items"),
            (self.spans, MAX_SPANS, "inline spans"),
            (self.chars, MAX_TEXT_CHARS, "characters of text"),
        ]
        .into_iter()
        .filter(|(n, max, _)| n > max)
        .map(|(n, max, name)| format!("{n} {name} (at most {max})"))
        .collect::<Vec<_>>();
        (!over.is_empty()).then(|| {
            Diagnostic::field(
                file,
                field,
                format!("{what} is too large: {}", over.join(", ")),
            )
            .with_hint(hint)
        })
    }
}

/// Refuses a publication whose articles together hold more than [`MAX_BLOCKS`] blocks,
/// [`MAX_LIST_ITEMS`] list items, [`MAX_SPANS`] inline spans or [`MAX_TEXT_CHARS`]
/// characters of text (each article was checked on its own when it was loaded).
pub fn check_publication_size(p: &Publication, file: &Path) -> Result<()> {
    match Size::of(&p.articles).check(
        file,
        "articles",
        "the publication",
        "build the articles separately (--each) or in several bulletins",
    ) {
        Some(d) => Err(d.into()),
        None => Ok(()),
    }
}
