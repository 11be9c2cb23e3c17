//! The lines of the writer's own around the text-address model's parts: a bulletin's
//! title block (title, description, publisher, date) and an article's source line.
//!
//! Their text is made here once ([`title_page_lines`], [`source_line`]) for every edition
//! that shows or says them: the markup writes it (`super::title_block`, the article's
//! source line) and the narration's script reads it aloud, so what is shown and what is
//! heard can never disagree.

use crate::labels::{self, LabelledLine};
use crate::model::Publication;

/// A line of the writer's own: a bulletin's title page (title, description, publisher,
/// date) and an article's source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Line {
    /// The bulletin's title (the title block's `h1`).
    Title,
    /// The bulletin's description.
    Description,
    /// "Publisher: …" in the title block.
    Publisher,
    /// The bulletin's date in the title block.
    Date,
    /// An article's "Source: URL" line.
    Source,
}

/// What a line shows.
#[derive(Debug, Clone)]
pub enum LineText<'a> {
    /// Text of the publication (title, description), read sentence by sentence.
    Own(&'a str),
    /// A label in the writer's words, and a value: `Nhà xuất bản: NAME`, `Nguồn: URL`;
    /// read as one sentence.
    Labelled(LabelledLine<'a>),
    /// A date as readers of the language write it, and its ISO form (`datetime`); read as
    /// one sentence.
    Date {
        /// `YYYY-MM-DD`.
        iso: &'a str,
        /// As shown and said ([`labels::display_date`]).
        shown: String,
    },
}

/// The lines of a bulletin's title block in reading order, each with its text: the title,
/// then the description, the publisher and the date where the publication has them.
pub fn title_page_lines(p: &Publication) -> Vec<(Line, LineText<'_>)> {
    let lang = p.lang.as_str();
    let mut lines = vec![(Line::Title, LineText::Own(p.title.as_str()))];
    if let Some(d) = &p.description {
        lines.push((Line::Description, LineText::Own(d)));
    }
    if let Some(pb) = &p.publisher {
        lines.push((
            Line::Publisher,
            LineText::Labelled(labels::publisher_line(lang, pb)),
        ));
    }
    if let Some(d) = &p.date {
        lines.push((
            Line::Date,
            LineText::Date {
                iso: d,
                shown: labels::display_date(d, lang),
            },
        ));
    }
    lines
}

/// Article `i`'s source line, `Nguồn: URL` in the article's language ([`Line::Source`]);
/// `None` when it has no source URL.
pub fn source_line(p: &Publication, i: usize) -> Option<LabelledLine<'_>> {
    let url = p.articles.get(i)?.source_url.as_deref()?;
    Some(labels::source_line(p.article_lang(i), url))
}
