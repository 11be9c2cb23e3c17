//! Internals that the integration tests, the benchmarks and the fuzz targets reach: the
//! print edition with what its layout says about it ([`PrintEdition`]), the layout alone
//! as an opaque value (for the benchmarks), the EPUB writer on its own, the image and
//! character checks, the page map. Not part of the API: it changes without notice. Counted with the public items like any other
//! (`scripts/count-public-items.py`), and kept narrow on purpose: a test that needs the
//! layout's lines, runs or glyphs is a unit test in the crate (`src/pdf/layout_tests.rs`).

use crate::model::Publication;

pub use crate::editions::internals::*;
pub use crate::fonts::FontSet;
pub use crate::layout::Layout;
pub use crate::pagemap::{ArticlePart, PageMap, PageStart, TextAnchor};
pub use crate::validate::{check_image, forbidden_char};

/// Every sentence of every part of every article of `publication`, in reading order, as
/// `address::sentences` cuts them.
pub fn sentences(publication: &Publication) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..publication.articles.len() {
        for (_, text) in crate::address::article_parts(publication, i) {
            for r in crate::address::sentences::sentence_ranges(&text) {
                out.push(text[r].to_string());
            }
        }
    }
    out
}
