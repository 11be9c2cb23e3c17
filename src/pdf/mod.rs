//! The PDF writer: a [`Layout`] → a tagged PDF/UA-1 file, with krilla in validated mode.
//!
//! * Structure tree in reading order: Document → (Sect for a bulletin's title page with
//!   Title, P and TOC/TOCI) → Art per article → H1, P (byline), P (lead), H2–H6, P,
//!   BlockQuote → P, L → LI → Lbl + LBody, Div → Figure (with /Alt and /BBox) + Caption,
//!   Link (with its annotation) inside the paragraph that holds it.
//! * Language: `/Lang` of the publication on the catalog and the Document element; an
//!   article in another language gets its own `/Lang`; foreign spans are marked content
//!   with `/Lang`.
//! * Running headers and page numbers are pagination artifacts; decorative images are
//!   artifacts.
//! * Title in XMP with DisplayDocTitle; an outline of every heading; page labels
//!   (i, ii … for a bulletin's front matter, then 1, 2 …).
//! * Every krilla validation finding is mapped back to the article part that caused it
//!   (`pdf/validation.rs`: each part is drawn with its own krilla `Location`).
//!
//! `docs/pdf-ua.md` lists each PDF/UA-1 rule, where it is enforced and which test shows it.

use std::collections::HashMap;
use std::io::{Seek, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::{Document, SerializeSettings};

use crate::error::Result;
use crate::fonts::FontSet;
use crate::images::{ImagePpi, ImageStore};
use crate::layout::{Layout, LayoutOptions};
use crate::model::PageSizeName;
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::timestamp::Timestamp;

pub(crate) mod args;
pub(crate) mod edition;
mod images;
pub(crate) mod internals;
pub(crate) mod limits;
mod pages;
mod photos_first;
#[cfg(feature = "serve")]
pub(crate) mod preview;
mod splice;
mod standard;
mod tags;
mod validation;

/// The error of this edition that could not be written, for `message`.
pub(crate) fn error(message: impl Into<String>) -> crate::Error {
    crate::Error::Edition {
        edition: "the PDF",
        message: message.into(),
    }
}

#[cfg(test)]
mod layout_tests;
pub use standard::PdfStandard;
use tags::Collector;
use validation::Locations;

/// Options for a PDF edition: how to lay it out, and its date.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Font scale.
    pub scale: FontScale,
    /// Page size.
    pub page_size: PageSizeName,
    /// Fonts; the bundled ones for the scale by default.
    pub(crate) fonts: FontSet,
    /// Document date (metadata); `None`: `Timestamp::of_publication`, the same date
    /// the EPUB gets by default.
    pub date: Option<Timestamp>,
    /// Print resolution of images (300 ppi, resampling those above 450, by default).
    pub image_ppi: ImagePpi,
    /// The standards claimed and validated (PDF/A-2a + PDF/UA-1 by default).
    pub standard: PdfStandard,
    /// Where a bulletin's next article begins.
    pub article_break: crate::layout::ArticleBreak,
}

impl PdfOptions {
    /// Defaults for a scale: A5, bundled fonts, the publication's date.
    pub fn new(scale: FontScale) -> PdfOptions {
        PdfOptions {
            scale,
            page_size: PageSizeName::A5,
            fonts: FontSet::bundled(scale.is_large_print()),
            date: None,
            image_ppi: ImagePpi::default(),
            standard: PdfStandard::default(),
            article_break: crate::layout::ArticleBreak::default(),
        }
    }

    /// How the layout is written: date, images, standards.
    pub(crate) fn write_settings(&self) -> WriteSettings {
        WriteSettings {
            date: self.date,
            image_ppi: self.image_ppi,
            standard: self.standard,
            images: None,
        }
    }

    /// The layout these options ask for.
    pub(crate) fn layout_options(&self) -> LayoutOptions {
        LayoutOptions {
            scale: self.scale,
            page_size: self.page_size,
            fonts: self.fonts.clone(),
            article_break: self.article_break,
        }
    }
}

/// How a laid-out publication is written (what [`write_pdf`] needs beyond the layout).
#[derive(Debug, Clone, Default)]
pub struct WriteSettings {
    /// Document date (metadata); `None`: `Timestamp::of_publication`.
    pub date: Option<Timestamp>,
    /// Print resolution of images.
    pub image_ppi: ImagePpi,
    /// The standards claimed and validated.
    pub standard: PdfStandard,
    /// Images already prepared for every edition of the build (see
    /// `crate::images::ImagePlan`); `None`: the writer prepares its own.
    pub images: Option<Arc<ImageStore>>,
}

/// A written PDF and what the EPUB needs from it.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Where each page begins in the text.
    pub page_map: PageMap,
    /// Number of pages.
    pub pages: usize,
}

/// Writes a laid-out publication as a tagged PDF/UA-1 (the writer never lays out:
/// [`crate::layout::layout`] made `layout` from the same prepared publication).
pub fn write_pdf(
    publication: &Prepared,
    layout: &Layout,
    settings: &WriteSettings,
) -> Result<PdfOutput> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    write_pdf_to(publication, layout, settings, &mut bytes)?;
    Ok(PdfOutput {
        bytes: bytes.into_inner(),
        pages: layout.pages.len(),
        page_map: layout.page_map.clone(),
    })
}

/// [`write_pdf`] into `out` (empty, at offset 0): the JPEGs passed through are written
/// first, read from their files on a second thread while krilla draws the pages with a
/// small stand-in for each; krilla's document follows without the stand-ins, and each
/// photo's object head is filled in last (`photos_first.rs`). Every byte of `out` is written by
/// then; an error leaves a partial file for the caller to throw away.
pub fn write_pdf_to<W: Write + Seek + Send>(
    publication: &Prepared,
    layout: &Layout,
    settings: &WriteSettings,
    out: &mut W,
) -> Result<()> {
    let (document, images) = begin_document(publication, layout, settings)?;
    let images::PdfImages { by_figure, splices } = images;
    let cancel = AtomicBool::new(false);
    let (finished, front) = std::thread::scope(|scope| {
        let front = scope.spawn(|| photos_first::write_front(&splices, out, &cancel));
        let finished = draw_document(document, publication, layout, &by_figure, false).and_then(
            |(document, _, locations)| {
                document
                    .finish()
                    .map_err(|e| validation::pdf_error(e, publication, layout, &locations))
            },
        );
        if finished.is_err() {
            cancel.store(true, Ordering::Relaxed);
        }
        (finished, front.join())
    });
    let bytes = finished?;
    let front = front
        .map_err(|_| crate::pdf::error("the thread writing the PDF's photos panicked"))?
        .map_err(crate::pdf::error)?;
    photos_first::write_rest(&bytes, &splices, &front, out).map_err(crate::pdf::error)
}

/// The structure tree a laid-out publication's PDF gets, as indented text (for snapshot
/// tests and review).
#[cfg(test)]
pub(crate) fn structure_tree_dump(publication: &Prepared, layout: &Layout) -> Result<String> {
    let settings = WriteSettings::default();
    let (document, images) = begin_document(publication, layout, &settings)?;
    let (_, dump, _) = draw_document(document, publication, layout, &images.by_figure, true)?;
    Ok(dump.unwrap_or_default())
}

/// A new document with its metadata (and embedded sources), and its images: one krilla
/// image per distinct content, JPEGs passed through as stand-ins that the real files
/// replace when the PDF is written (images.rs, photos_first.rs).
fn begin_document(
    p: &Prepared,
    lay: &Layout,
    options: &WriteSettings,
) -> Result<(Document, images::PdfImages)> {
    let configuration = options
        .standard
        .configuration()
        .map_err(crate::pdf::error)?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let date = options
        .date
        .unwrap_or_else(|| Timestamp::of_publication(p.date.as_deref()));
    let created = creation_date(date);
    document.set_metadata(metadata(p, created));
    if options.standard.embeds_sources() {
        standard::embed_sources(&mut document, p, created)?;
    }
    let images = images::pdf_images(p, lay, options)?;
    Ok((document, images))
}

/// Draws the pages, the structure tree (returned as text too when `dump`: 2 % of a
/// bulletin's drawing time, on the thread every other step waits for) and the outline
/// into `document`.
fn draw_document(
    mut document: Document,
    p: &Prepared,
    lay: &Layout,
    images: &HashMap<(usize, usize), Image>,
    dump: bool,
) -> Result<(Document, Option<String>, Locations)> {
    let mut col = Collector::default();
    // Each part drawn gets a location, so that a validator's finding names it.
    let mut locations = Locations::default();
    let figure_boxes = pages::draw_pages(&mut document, p, lay, images, &mut col, &mut locations)?;
    let tree = tags::build_tree(p, lay, &mut col, &figure_boxes);
    let dump = dump.then(|| {
        use krilla::tagging::fmt::Output;
        tree.display().to_string()
    });
    document.set_tag_tree(tree);
    document.set_outline(tags::build_outline(lay));
    Ok((document, dump, locations))
}

/// The document date as krilla's `DateTime` (UTC).
fn creation_date(date: Timestamp) -> DateTime {
    DateTime::new(date.year())
        .month(date.month())
        .day(date.day())
        .hour(date.hour())
        .minute(date.minute())
        .second(date.second())
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// The document metadata: title, language, creator, date, authors, description and
/// publisher.
fn metadata(p: &Prepared, created: DateTime) -> Metadata {
    let authors = p.authors();
    let description = p.description_or_lead();
    let mut meta = Metadata::new()
        .title(p.title.clone())
        .language(p.lang.clone())
        .creator(format!("anpham {}", env!("CARGO_PKG_VERSION")))
        .creation_date(created);
    if !authors.is_empty() {
        meta = meta.authors(authors);
    }
    if let Some(d) = description {
        meta = meta.description(d);
    }
    if let Some(publ) = &p.publisher {
        meta = meta.keywords(vec![publ.clone()]);
    }
    meta
}
