//! The editions facade: one prepared publication → a set of editions, in memory.
//!
//! [`build`] lays the publication out once per font scale it needs (every PDF scale, and
//! the scale the EPUB's page list follows — laid out, never written, when no PDF of that
//! scale is asked for), writes each PDF from its layout and the EPUB with the page map
//! of the layout it follows, and returns named byte buffers. Nothing here touches the
//! file system: [`crate::edition`] and [`crate::batch`] schedule and write atomically.
//! New editions (braille BRF/PEF, a talking-book EPUB) are new [`EditionKind`]s.
//!
//! ```no_run
//! use anpham::editions::{self, EditionRequest};
//! use anpham::{FontScale, input};
//!
//! let (prepared, _) = input::load_prepared(&["examples/bac-kan/bac-kan.md".into()])?;
//! let mut request = EditionRequest::new();
//! request.pdf_scales = vec![FontScale::LARGE];
//! for edition in editions::build(&prepared, &request)? {
//!     std::fs::write(edition.kind.file_name("bac-kan"), &edition.bytes)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::io::{Cursor, Seek, Write};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::braille::{BraillePlan, write_braille};
use crate::epub::{EpubOptions, write_epub_to, write_talking_epub_to};
use crate::error::{Error, Result};
use crate::fonts::{FontFamily, FontSet};
use crate::images::{ImagePlan, ImagePpi, ImageStore};
use crate::input::PageSizeName;
use crate::layout::{self, Layout, LayoutOptions};
use crate::pdf::{self, PdfOptions, PdfOutput, PdfStandard, WriteSettings};
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::speech::SpeechOptions;
use crate::timestamp::Timestamp;

/// A kind of edition.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EditionKind {
    /// The accessible EPUB 3.
    Epub,
    /// A tagged PDF/UA-1 at a font scale.
    Pdf(FontScale),
    /// The talking-book EPUB: the EPUB with sentence-synchronised speech (Media Overlays).
    TalkingEpub,
    /// Braille Ready Format: North American ASCII braille for embossers.
    Brf,
    /// Portable Embosser Format (PEF 2008-1).
    Pef,
}

impl EditionKind {
    /// The output file name: `slug.epub`, `slug.pdf` (standard), `slug.large.pdf`,
    /// `slug.step-1.pdf`, `slug.19pt.pdf` …
    pub fn file_name(self, slug: &str) -> String {
        match self {
            EditionKind::Epub => format!("{slug}.epub"),
            EditionKind::TalkingEpub => format!("{slug}.talking.epub"),
            EditionKind::Brf => format!("{slug}.brf"),
            EditionKind::Pef => format!("{slug}.pef"),
            EditionKind::Pdf(scale) => match scale.file_suffix().as_str() {
                "" => format!("{slug}.pdf"),
                s => format!("{slug}.{s}.pdf"),
            },
        }
    }
}

/// Which editions to build, and how.
#[derive(Debug, Clone)]
pub struct EditionRequest {
    /// The EPUB's base text size; `None`: no EPUB.
    pub epub: Option<FontScale>,
    /// A PDF at each of these scales.
    pub pdf_scales: Vec<FontScale>,
    /// PDF page size.
    pub page_size: PageSizeName,
    /// The print edition whose pages the EPUB's page list follows (default: the first
    /// PDF scale; none when no PDF is built and none is named).
    pub page_list: Option<FontScale>,
    /// A main font family instead of the bundled ones.
    pub font: Option<FontFamily>,
    /// The date every edition carries; `None`: [`Timestamp::of_publication`].
    pub date: Option<Timestamp>,
    /// The talking-book EPUB with this speech; `None`: no talking book.
    pub talking: Option<SpeechOptions>,
    /// BRF and/or PEF editions; their print page indicators follow the large-print PDF.
    pub braille: Option<BraillePlan>,
    /// Print resolution of the PDFs' images.
    pub image_ppi: ImagePpi,
    /// The standards the PDFs claim (PDF/A-2a + PDF/UA-1 by default).
    pub pdf_standard: PdfStandard,
    /// Where a bulletin's next article begins in the PDFs.
    pub article_break: crate::layout::ArticleBreak,
}

impl Default for EditionRequest {
    fn default() -> Self {
        Self::new()
    }
}

impl EditionRequest {
    /// A standard-size EPUB and no PDF, A5 pages, bundled fonts, the publication's date.
    pub fn new() -> EditionRequest {
        EditionRequest {
            epub: Some(FontScale::STANDARD),
            pdf_scales: Vec::new(),
            page_size: PageSizeName::A5,
            page_list: None,
            font: None,
            date: None,
            talking: None,
            braille: None,
            image_ppi: ImagePpi::default(),
            pdf_standard: PdfStandard::default(),
            article_break: crate::layout::ArticleBreak::default(),
        }
    }

    /// The fonts of an edition at `scale`.
    pub fn fonts(&self, scale: FontScale) -> FontSet {
        match &self.font {
            Some(f) => FontSet::with_primary(f.clone()),
            None => FontSet::bundled(scale.is_large_print()),
        }
    }

    fn layout_options(&self, scale: FontScale) -> LayoutOptions {
        LayoutOptions {
            scale,
            page_size: self.page_size,
            fonts: self.fonts(scale),
            article_break: self.article_break,
        }
    }

    /// The scale whose page map the braille print page indicators follow: the large
    /// edition when one is built, else the first PDF, else a large layout made only for
    /// its page map.
    fn braille_scale(&self) -> Option<FontScale> {
        self.braille.as_ref()?;
        if self.pdf_scales.contains(&FontScale::LARGE) {
            Some(FontScale::LARGE)
        } else {
            Some(self.pdf_scales.first().copied().unwrap_or(FontScale::LARGE))
        }
    }

    /// The scale whose page map the EPUB follows.
    fn page_list_scale(&self) -> Option<FontScale> {
        if self.epub.is_none() && self.talking.is_none() {
            return None;
        }
        self.page_list.or_else(|| self.pdf_scales.first().copied())
    }
}

/// One built edition.
#[derive(Debug, Clone)]
pub struct Edition {
    /// What it is.
    pub kind: EditionKind,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Number of pages (print editions).
    pub pages: Option<usize>,
    /// Time to build it, seconds.
    pub seconds: f64,
}

/// Where [`build_into`] writes each edition: one `Write + Seek` output per edition (a
/// temporary file beside the target for the CLI, a buffer in memory for [`build`]), so
/// that a writer streams its file instead of building it whole in memory first.
pub trait EditionSink: Sync {
    /// What one edition is written into.
    type Output: Write + Seek + Send;
    /// Opens the output of one edition.
    fn open(&self, kind: EditionKind) -> Result<Self::Output>;
}

/// One edition written into its [`EditionSink::Output`].
#[derive(Debug)]
pub struct WrittenEdition<O> {
    /// What it is.
    pub kind: EditionKind,
    /// Where it was written (positioned at its end).
    pub output: O,
    /// Its size in bytes.
    pub bytes: u64,
    /// Number of pages (print editions).
    pub pages: Option<usize>,
    /// Time to build and write it, seconds.
    pub seconds: f64,
}

/// Editions kept in memory (what [`build`] returns).
struct InMemory;

impl EditionSink for InMemory {
    type Output = Cursor<Vec<u8>>;
    fn open(&self, _: EditionKind) -> Result<Cursor<Vec<u8>>> {
        Ok(Cursor::new(Vec::new()))
    }
}

/// Builds the requested editions of a prepared publication: PDFs in request order, then
/// the EPUB. Each scale is laid out once (in parallel); the first error is returned and
/// nothing is built half.
pub fn build(prepared: &Prepared, request: &EditionRequest) -> Result<Vec<Edition>> {
    build_sharing_images(prepared, request).map(|(editions, _)| editions)
}

/// [`build`], also giving the store of images its editions shared.
fn build_sharing_images(
    prepared: &Prepared,
    request: &EditionRequest,
) -> Result<(Vec<Edition>, Arc<ImageStore>)> {
    let (written, images) = build_with_store(prepared, request, &InMemory)?;
    let editions = written
        .into_iter()
        .map(|w| Edition {
            kind: w.kind,
            bytes: w.output.into_inner(),
            pages: w.pages,
            seconds: w.seconds,
        })
        .collect();
    Ok((editions, images))
}

/// [`build`], each edition written into an output of `sink` (in the same order). On an
/// error, the outputs already opened are dropped (a temporary file is then removed).
pub fn build_into<S: EditionSink>(
    prepared: &Prepared,
    request: &EditionRequest,
    sink: &S,
) -> Result<Vec<WrittenEdition<S::Output>>> {
    build_with_store(prepared, request, sink).map(|(written, _)| written)
}

/// A laid-out scale and the seconds its layout took.
type LaidOut = (FontScale, Layout, f64);

/// Every scale that needs a layout (the PDFs', the page list's, the braille page map's),
/// once, in a fixed order, laid out in parallel.
fn lay_out_scales(prepared: &Prepared, request: &EditionRequest) -> Result<Vec<LaidOut>> {
    let mut scales: Vec<FontScale> = Vec::new();
    for s in request
        .pdf_scales
        .iter()
        .copied()
        .chain(request.page_list_scale())
        .chain(request.braille_scale())
    {
        if !scales.contains(&s) {
            scales.push(s);
        }
    }
    let laid_out: Vec<Result<LaidOut>> = scales
        .par_iter()
        .map(|&scale| {
            let t = Instant::now();
            let lay = layout::layout(prepared, &request.layout_options(scale))?;
            Ok((scale, lay, t.elapsed().as_secs_f64()))
        })
        .collect();
    laid_out.into_iter().collect()
}

/// Images: every distinct image decoded at most once for all the editions of this build,
/// before any of them is written; the store keeps only encoded results.
fn prepare_images(
    prepared: &Prepared,
    request: &EditionRequest,
    laid_out: &[LaidOut],
) -> Result<ImageStore> {
    let mut plan = ImagePlan::new();
    for (scale, lay, _) in laid_out {
        if request.pdf_scales.contains(scale) {
            plan.add_print(prepared, lay, request.image_ppi);
        }
    }
    // Once per EPUB-like edition: with both, each decode is shared; with one, an image
    // only it decodes is made when its writer reaches it (bounded memory).
    let epubs = usize::from(request.epub.is_some()) + usize::from(request.talking.is_some());
    for _ in 0..epubs {
        plan.add_epub(prepared);
    }
    // Placed by line and column where the figure came from Markdown.
    plan.prepare(prepared).map_err(|e| prepared.locate(e))
}

/// One edition written into a new output of `sink` by `write`, timed and measured.
fn write_one<S: EditionSink>(
    sink: &S,
    kind: EditionKind,
    pages: Option<usize>,
    write: impl FnOnce(&mut S::Output) -> Result<()>,
) -> Result<WrittenEdition<S::Output>> {
    let t = Instant::now();
    let mut output = sink.open(kind)?;
    write(&mut output)?;
    let bytes = output.stream_position().map_err(|e| {
        let why = format!("cannot tell the size of the output: {e}");
        match kind {
            EditionKind::Pdf(_) => Error::Pdf(why),
            EditionKind::Brf | EditionKind::Pef => Error::Braille(why),
            _ => Error::Epub(why),
        }
    })?;
    Ok(WrittenEdition {
        kind,
        output,
        bytes,
        pages,
        seconds: t.elapsed().as_secs_f64(),
    })
}

/// The BRF and/or PEF editions of `plan`, their print page indicators after `page_map`.
fn write_braille_editions<S: EditionSink>(
    prepared: &Prepared,
    plan: &BraillePlan,
    page_map: Option<crate::pagemap::PageMap>,
    date: Timestamp,
    sink: &S,
) -> Result<Vec<WrittenEdition<S::Output>>> {
    let t = Instant::now();
    let mut options = plan.options.clone();
    options.date = date;
    let braille = write_braille(prepared, page_map.as_ref(), &options)?;
    let seconds = t.elapsed().as_secs_f64();
    let pages = Some(braille.pages());
    let file = |out: &mut S::Output, bytes: &[u8]| {
        out.write_all(bytes)
            .map_err(|e| Error::Braille(format!("cannot write the braille edition: {e}")))
    };
    let mut out = Vec::new();
    for (wanted, kind, bytes) in [
        (plan.brf, EditionKind::Brf, &braille.brf),
        (plan.pef, EditionKind::Pef, &braille.pef),
    ] {
        if wanted {
            let mut e = write_one(sink, kind, pages, |w| file(w, bytes))?;
            // The translation is counted once, with the first braille file.
            if out.is_empty() {
                e.seconds += seconds;
            }
            out.push(e);
        }
    }
    Ok(out)
}

/// The editions written, and the store of images they shared.
type Built<O> = (Vec<WrittenEdition<O>>, Arc<ImageStore>);

/// [`build_into`], also giving the store of images its editions shared.
fn build_with_store<S: EditionSink>(
    prepared: &Prepared,
    request: &EditionRequest,
    sink: &S,
) -> Result<Built<S::Output>> {
    if request.pdf_scales.is_empty()
        && request.epub.is_none()
        && request.talking.is_none()
        && request.braille.is_none()
    {
        return Err(Error::Usage("nothing to build: no format selected".into()));
    }
    let date = request
        .date
        .unwrap_or_else(|| Timestamp::of_publication(prepared.date.as_deref()));
    let laid_out = lay_out_scales(prepared, request)?;
    let images = Arc::new(prepare_images(prepared, request, &laid_out)?);
    let written = write_pdf_editions(prepared, request, sink, &laid_out, date, &images);
    let mut pdfs = BTreeMap::new();
    let mut page_map = None;
    let mut braille_map = None;
    let mut spent = Vec::with_capacity(laid_out.len());
    for ((scale, mut lay, _), pdf) in laid_out.into_iter().zip(written) {
        if Some(scale) == request.braille_scale() {
            braille_map = Some(lay.page_map.clone());
        }
        if Some(scale) == request.page_list_scale() {
            // Taken, not copied: the rest of the layout is only freed.
            page_map = Some(std::mem::take(&mut lay.page_map));
        }
        spent.push(lay);
        if let Some(e) = pdf? {
            // Request order (a scale asked for twice is built once, listed once).
            let at = request.pdf_scales.iter().position(|s| *s == scale);
            pdfs.insert(at.unwrap_or(0), e);
        }
    }
    drop_in_background(spent);
    let mut out: Vec<_> = pdfs.into_values().collect();
    let mut epub_options = EpubOptions::new(request.epub.unwrap_or(FontScale::STANDARD));
    epub_options.fonts = request.fonts(epub_options.scale);
    epub_options.page_map = page_map;
    epub_options.modified = Some(date);
    epub_options.images = Some(images.clone());
    if request.epub.is_some() {
        out.push(write_one(sink, EditionKind::Epub, None, |w| {
            // An image made when written that fails is placed like the plan's.
            write_epub_to(prepared, &epub_options, w).map_err(|e| prepared.locate(e))
        })?);
    }
    if let Some(speech) = &request.talking {
        out.push(write_one(sink, EditionKind::TalkingEpub, None, |w| {
            let overlay = crate::speech::narrate(prepared, speech)?;
            write_talking_epub_to(prepared, &epub_options, &overlay, w)
                .map_err(|e| prepared.locate(e))
        })?);
    }
    if let Some(plan) = &request.braille {
        out.extend(write_braille_editions(
            prepared,
            plan,
            braille_map,
            date,
            sink,
        )?);
    }
    Ok((out, images))
}

/// Frees `value` on a thread of its own, so that nobody waits for it: a bulletin's
/// layout (1,358 pages) took 7–15 ms to free on the thread that goes on to commit the
/// files. Not on the rayon pool: a worker waiting inside a parallel loop runs queued jobs
/// itself, and the build then waited for the freeing after all.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // A thread that cannot be started drops its closure, and `value` with it, here.
    let _ = std::thread::Builder::new()
        .name("anpham-free".into())
        .spawn(move || drop(value));
}

/// The PDF editions of `laid_out` (one per requested scale, in parallel), each written into
/// its sink output; `None` for a scale laid out only for a page map.
fn write_pdf_editions<S: EditionSink>(
    prepared: &Prepared,
    request: &EditionRequest,
    sink: &S,
    laid_out: &[LaidOut],
    date: Timestamp,
    images: &Arc<ImageStore>,
) -> Vec<Result<Option<WrittenEdition<S::Output>>>> {
    laid_out
        .par_iter()
        .map(|(scale, lay, layout_seconds)| {
            if !request.pdf_scales.contains(scale) {
                return Ok(None);
            }
            let settings = WriteSettings {
                date: Some(date),
                image_ppi: request.image_ppi,
                standard: request.pdf_standard,
                images: Some(Arc::clone(images)),
            };
            let kind = EditionKind::Pdf(*scale);
            let mut e = write_one(sink, kind, Some(lay.pages.len()), |out| {
                pdf::write_pdf_to(prepared, lay, &settings, out)
            })?;
            e.seconds += layout_seconds;
            Ok(Some(e))
        })
        .collect()
}

/// One PDF edition: lays out with `options` and writes the result (a shortcut for
/// [`layout::layout`] then [`pdf::write_pdf`]).
pub fn pdf(prepared: &Prepared, options: &PdfOptions) -> Result<PdfOutput> {
    let lay = layout::layout(prepared, &options.layout_options())?;
    pdf::write_pdf(prepared, &lay, &options.write_settings())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        assert_eq!(EditionKind::Epub.file_name("a"), "a.epub");
        assert_eq!(
            EditionKind::Pdf(FontScale::STANDARD).file_name("a"),
            "a.pdf"
        );
        assert_eq!(
            EditionKind::Pdf(FontScale::LARGE).file_name("a"),
            "a.large.pdf"
        );
    }

    #[test]
    fn a_camera_photo_is_decoded_once_for_all_editions() {
        let dir = tempfile::tempdir().unwrap();
        // 2400 × 1800 px: 4.3 MP, above the EPUB's 4 MP, and about 620 ppi across an A5
        // text column, above 450: every edition below resamples it.
        let photo = crate::images::testdata::jpeg_with_exif(2400, 1800, 1);
        let article = crate::images::testdata::article_with_photo(
            dir.path(),
            "cam",
            "Ảnh máy ảnh",
            "Hội trường nhìn từ phía sau",
            &photo,
        );
        let (prepared, _) = crate::input::load_prepared(&[article]).unwrap();
        let mut request = EditionRequest::new();
        request.pdf_scales = vec![FontScale::LARGE, FontScale::STANDARD];
        // Each of the three editions alone would decode the photo.
        use crate::images::pixels::decode_counter::decodes_of;
        let p: &crate::model::Publication = &prepared;
        for scale in &request.pdf_scales {
            let lay = layout::layout(&prepared, &request.layout_options(*scale)).unwrap();
            let mut alone = ImagePlan::new();
            alone.add_print(p, &lay, request.image_ppi);
            assert_eq!(alone.prepare(p).unwrap().decodes(), 1, "{scale:?}");
        }
        // The EPUB alone leaves it to its writer, which makes it when it reaches it.
        let mut alone = ImagePlan::new();
        alone.add_epub(p);
        let store = Arc::new(alone.prepare(p).unwrap());
        assert_eq!(store.decodes(), 0, "EPUB: not made by the plan");
        assert!(crate::images::epub_images(p, Some(&store))[0].is_pending());
        let mut options = EpubOptions::new(FontScale::STANDARD);
        options.images = Some(Arc::clone(&store));
        crate::epub::write_epub(&prepared, &options).unwrap();
        assert_eq!(store.decodes(), 1, "EPUB: made by its writer");
        assert_eq!(decodes_of(&photo), 3);
        // An EPUB and a talking book share the decode: the plan makes it.
        let mut both = ImagePlan::new();
        both.add_epub(p);
        both.add_epub(p);
        let shared = both.prepare(p).unwrap();
        assert_eq!(shared.decodes(), 1, "EPUB and talking book");
        assert!(!crate::images::epub_images(p, Some(&shared))[0].is_pending());
        assert_eq!(decodes_of(&photo), 4);
        // Built together, they share one decode (counted by the store, and by the decoder
        // whatever path called it).
        let (editions, images) = build_sharing_images(&prepared, &request).unwrap();
        assert_eq!(images.decodes(), 1);
        assert!(!crate::images::epub_images(p, Some(&images))[0].is_pending());
        assert_eq!(decodes_of(&photo), 5);
        assert_eq!(editions.len(), 3);
        // And each got its own size: the EPUB's at most 4 MP, the PDFs' smaller still.
        let epub = editions
            .iter()
            .find(|e| e.kind == EditionKind::Epub)
            .unwrap();
        let zip = zip::ZipArchive::new(std::io::Cursor::new(&epub.bytes)).unwrap();
        let stored: Vec<_> = zip.file_names().filter(|n| n.contains("images/")).collect();
        assert_eq!(stored.len(), 1, "{stored:?}");
        for e in &editions {
            assert!(
                e.bytes.len() < photo.len(),
                "{:?}: {} bytes",
                e.kind,
                e.bytes.len()
            );
        }
    }

    #[test]
    fn page_list_follows_the_first_pdf_unless_named() {
        let mut r = EditionRequest::new();
        assert_eq!(r.page_list_scale(), None);
        r.pdf_scales = vec![FontScale::LARGE, FontScale::STANDARD];
        assert_eq!(r.page_list_scale(), Some(FontScale::LARGE));
        r.page_list = Some(FontScale::step(6));
        assert_eq!(r.page_list_scale(), Some(FontScale::step(6)));
        r.epub = None;
        assert_eq!(r.page_list_scale(), None);
    }
}
