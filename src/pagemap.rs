//! The page map: where each page of the print edition begins in the publication's text.
//! The layout produces it; the editions that follow the print pages turn it into
//! page-break markers and a page list, so that their readers can follow "page 12" of the
//! print edition.

pub use crate::address::ArticlePart;

/// Where a page begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextAnchor {
    /// In the front matter of a bulletin (title page, table of contents).
    FrontMatter,
    /// In article `article`, in `part`, before the character at byte `offset` of that
    /// part's plain text (0: at the start of the part).
    Article {
        /// Article index.
        article: usize,
        /// The part.
        part: ArticlePart,
        /// Byte offset into the part's plain text, on a character boundary.
        offset: usize,
    },
}

/// The start of one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStart {
    /// The page's label as printed on it (`1`, `2`, … or `i`, `ii` for front matter).
    pub label: String,
    /// Where in the text it begins.
    pub anchor: TextAnchor,
}

/// The pages of one print edition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageMap {
    /// A description of the print edition, which the editions that follow it name as the
    /// source of their page breaks (`layout::edition_description`).
    pub source: String,
    /// One entry per page, in order.
    pub pages: Vec<PageStart>,
}
