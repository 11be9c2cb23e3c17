//! What `crate::internals` shows of the print edition to the integration tests, the
//! benchmarks and the fuzz targets: the PDF with what its layout says about it. Not part of
//! the API.

use crate::error::{Diagnostic, Result};
use crate::layout::{Item, Layout, Owner};
use crate::prepare::Prepared;

pub use super::{PdfOptions, PdfOutput};

/// One PDF edition: laid out with `options`, then written (the benchmarks' PDF).
pub fn write_pdf(publication: &Prepared, options: &PdfOptions) -> Result<PdfOutput> {
    super::write_pdf(
        publication,
        &layout(publication, options)?,
        &options.write_settings(),
    )
}

/// Lays out `publication` as the PDF edition with `options` would be (the benchmarks time
/// it apart from the writing).
pub fn layout(publication: &Prepared, options: &PdfOptions) -> Result<Layout> {
    crate::layout::layout(publication, &options.layout_options())
}

/// A PDF edition with what its layout says about it: what the tests compare with the
/// file that the checkers and the readers open.
#[derive(Debug, Clone)]
pub struct PrintEdition {
    /// The PDF as the edition writes it.
    pub pdf: PdfOutput,
    /// The printed text, page by page: each line's text as drawn (a broken word with its
    /// hyphen), one line of text per printed line, list labels and front matter included,
    /// running headers and page numbers left out: what copying from the PDF gives.
    pub printed_text: String,
    /// Every printed word of the articles in print order (what `pdftotext` reads): each
    /// line's slice of its part's plain text, a hyphenated line ending with its `-`; the
    /// reading text with the byline, and with a figure that floated to the next page read
    /// where it is printed. List labels and front matter are left out.
    pub print_order_text: String,
    /// The printed lines of each part (a title, a paragraph, a caption, a list label …),
    /// each line as drawn and ended by a line break; the parts in the order of their
    /// owners (article, then part).
    pub parts: Vec<String>,
    /// What the layout warned about (a caption run on to the next page).
    pub warnings: Vec<Diagnostic>,
    /// The first thing drawn outside its page's text area, described; `None` when all is in
    /// (`layout::geometry`).
    pub outside_text_area: Option<String>,
}

/// Lays out and writes the PDF edition of `publication` with `options`, keeping what the
/// layout says about it ([`PrintEdition`]).
pub fn print_edition(publication: &Prepared, options: &PdfOptions) -> Result<PrintEdition> {
    let lay = layout(publication, options)?;
    let pdf = crate::pdf::write_pdf(publication, &lay, &options.write_settings())?;
    Ok(PrintEdition {
        pdf,
        printed_text: lay.printed_text(),
        print_order_text: print_order_text(publication, &lay),
        parts: printed_parts(&lay),
        warnings: lay.warnings.clone(),
        outside_text_area: crate::layout::geometry::outside_text_area(&lay),
    })
}

/// [`PrintEdition::print_order_text`] of a layout.
fn print_order_text(publication: &Prepared, layout: &Layout) -> String {
    let mut texts = std::collections::HashMap::new();
    for i in 0..publication.articles.len() {
        for (part, text) in crate::address::article_parts(publication, i) {
            texts.insert((i, part), text);
        }
    }
    let lines: Vec<_> = layout
        .pages
        .iter()
        .flat_map(|pg| &pg.items)
        .filter_map(|it| match it {
            Item::Line(l) => match l.owner {
                Owner::Article(a, part) => Some((a, part, l.offset, l.hyphenated)),
                _ => None,
            },
            Item::Image(_) => None,
        })
        .collect();
    let mut out = String::new();
    for (k, &(a, part, start, hyphenated)) in lines.iter().enumerate() {
        let text = &texts[&(a, part)];
        let end = lines[k + 1..]
            .iter()
            .find(|(b, q, _, _)| (*b, *q) == (a, part))
            .map_or(text.len(), |x| x.2);
        out.push_str(&text[start..end.max(start)]);
        // A hyphenated line ends with the hyphen it prints; check-pdf joins "-\n" and a
        // lowercase letter on both sides.
        if hyphenated {
            out.push('-');
        }
        out.push('\n');
    }
    out
}

/// [`PrintEdition::parts`] of a layout.
fn printed_parts(layout: &Layout) -> Vec<String> {
    let mut parts: std::collections::BTreeMap<Owner, String> = Default::default();
    for item in layout.pages.iter().flat_map(|p| &p.items) {
        if let Item::Line(l) = item {
            let text = parts.entry(l.owner).or_default();
            for run in &l.runs {
                text.push_str(&run.text);
            }
            text.push('\n');
        }
    }
    parts.into_values().collect()
}
