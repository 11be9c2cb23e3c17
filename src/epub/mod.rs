//! The EPUB 3.3 writer: accessible reflowable editions that meet EPUB Accessibility 1.1
//! (WCAG 2.2 Level AA).
//!
//! [`write_epub`] turns a validated [`Publication`] into the bytes of an `.epub` file:
//!
//! | file | made by |
//! |---|---|
//! | `mimetype`, `META-INF/container.xml` | `package` (the OCF ZIP, deterministic; the photos right after `mimetype`) |
//! | `META-INF/fonts/*-OFL.txt` | the licence of each embedded font family |
//! | `EPUB/package.opf` | `opf` (metadata with accessibility metadata, manifest, spine) |
//! | `EPUB/nav.xhtml` | `nav` (table of contents, landmarks, page list) |
//! | `EPUB/title.xhtml` | `content::title_page` (bulletins only) |
//! | `EPUB/article-NNN.xhtml` | `content::article_document`, one per article (its `<article>`: [`crate::markup::article`]) |
//! | `EPUB/css/anpham.css` | [`crate::markup::css`] (font scale, large-print rules, contrast) |
//! | `EPUB/fonts/*.ttf` | [`crate::markup::embed`] (the font faces used, subset to the characters shown) |
//! | `EPUB/*.smil`, `EPUB/audio/*.mp3` | `overlay` (the talking book's Media Overlays: `talking`, feature `speech`) |
//! | `EPUB/images/*` | the figures' images, each stored once |
//!
//! Font licences live in `META-INF/`, which holds no publication resources and needs no
//! manifest entry: a licence listed in the manifest would be a resource that nothing
//! uses (EPUBCheck warns), and one in the spine would put legal text in the reading
//! order. See `docs/epub-accessibility.md` for every accessibility requirement, where
//! it is met and which test shows it.
//!
//! ```
//! use anpham::internals::{EpubOptions, write_epub};
//! use anpham::model::{Article, Block, Publication, Text};
//! use anpham::FontScale;
//!
//! let article = Article {
//!     lang: Some("vi".into()),
//!     title: "Hội thảo khoa học".into(),
//!     date: Some("2022-11-10".into()),
//!     author: Some("Hương Dịu".into()),
//!     lead: None,
//!     slug: None,
//!     source_url: None,
//!     blocks: vec![Block::Paragraph { text: Text::plain("Sáng 10/11, Tỉnh ủy tổ chức Hội thảo.") }],
//!     origin: None,
//! };
//! let publication = anpham::prepare(Publication::single(article)).unwrap();
//! let bytes = write_epub(&publication, &EpubOptions::new(FontScale::LARGE)).unwrap();
//! assert!(bytes.starts_with(b"PK\x03\x04"));
//! ```

mod book;
mod content;
pub(crate) mod edition;
mod metadata;
pub(crate) mod nav;
pub(crate) mod opf;
mod overlay;
pub(crate) mod package;
#[cfg(feature = "speech")]
pub(crate) mod talking;

use std::io::{Cursor, Seek, Write};

use crate::error::Result;
use crate::fonts::FontSet;
use crate::markup::article::ArticleFiles;
use crate::markup::narration::Overlay;
use crate::markup::pages::{self, Marker};
use crate::model::Publication;
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::timestamp::Timestamp;

/// The claim written as `dcterms:conformsTo`.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// How to write an EPUB.
#[derive(Debug, Clone)]
pub struct EpubOptions {
    /// Base text size (`FontScale::reflow_percent`); large print when
    /// [`FontScale::is_large_print`].
    pub scale: FontScale,
    /// Fonts: the primary family is embedded (subset to the characters used) with its
    /// licence; fallback families are embedded only for characters the primary lacks.
    pub(crate) fonts: FontSet,
    /// The page map of the PDF edition. `None`: no page list and no page-navigation claims.
    pub page_map: Option<PageMap>,
    /// `dcterms:modified`; `None`: `Timestamp::of_publication`, the same date the PDF
    /// editions get by default.
    pub modified: Option<Timestamp>,
    /// `a11y:certifiedBy`; default: the publisher, else `anpham`.
    pub certified_by: Option<String>,
    /// Images already prepared for every edition of the build (see
    /// `crate::images::ImagePlan`); `None`: the writer prepares its own.
    pub(crate) images: Option<std::sync::Arc<crate::images::ImageStore>>,
}

impl EpubOptions {
    /// Options for a scale: the bundled fonts for it, the publication's date as the
    /// modification time, no page map.
    pub fn new(scale: FontScale) -> Self {
        EpubOptions {
            scale,
            fonts: FontSet::bundled(scale.is_large_print()),
            page_map: None,
            modified: None,
            certified_by: None,
            images: None,
        }
    }
}

/// The accessibility metadata an EPUB of `p` with base size `scale` declares (a narrated
/// one: `narrated`), derived before it is built exactly as the writer derives it
/// (`metadata::metadata` and, narrated, what the audio adds), but without the page list, whose
/// claims and page count are known only once the print edition is laid out. For
/// catalogs (the OPDS feeds of `anpham serve --library`).
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by the server only")
)]
pub(crate) fn discovery_metadata(
    p: &Publication,
    scale: FontScale,
    narrated: bool,
) -> opf::Metadata {
    let mut m = metadata::metadata(p, &EpubOptions::new(scale), 0);
    if narrated {
        metadata::talking_metadata(&mut m);
    }
    m
}

/// The catalog form of a package's accessibility metadata: its `dcterms:conformsTo` as
/// [`CONFORMS_TO_URI`], each `accessModeSufficient` set split into its modes.
/// The accessibility a book of `p` at `scale` declares, as its writer derives it (with
/// what the narration adds when `narrated`): what the EPUB's and the talking book's units
/// tell catalogs.
pub(crate) fn book_accessibility(
    p: &Publication,
    scale: FontScale,
    narrated: bool,
) -> opf::Accessibility {
    accessibility_of(&discovery_metadata(p, scale, narrated))
}

pub(crate) fn accessibility_of(m: &opf::Metadata) -> opf::Accessibility {
    opf::Accessibility {
        conforms_to: vec![CONFORMS_TO_URI],
        access_mode: m.access_modes.clone(),
        access_mode_sufficient: m
            .access_mode_sufficient
            .iter()
            .map(|s| s.split(',').collect())
            .collect(),
        feature: m.features.clone(),
        hazard: m.hazards.clone(),
        summary: m.summary.1.clone(),
        summary_lang: m.summary.0,
    }
}

/// The `dcterms:conformsTo` claim of [`CONFORMS_TO`] as a URI, the form catalogs list
/// (Readium's accessibility context gives this one for "EPUB Accessibility 1.1 - WCAG 2.2
/// Level AA").
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by the server only")
)]
pub(crate) const CONFORMS_TO_URI: &str = "https://www.w3.org/TR/epub-a11y-11#wcag-2.2-aa";

/// Directory of the publication resources inside the container.
const ROOT: &str = "EPUB";
const CSS_HREF: &str = "css/anpham.css";
const NAV_HREF: &str = "nav.xhtml";
const TITLE_HREF: &str = "title.xhtml";

/// Writes the EPUB of `publication`.
pub fn write_epub(publication: &Prepared, options: &EpubOptions) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    write_epub_with_overlay(publication, options, None, &mut out)?;
    Ok(out.into_inner())
}

/// [`write_epub`] into `out` (a temporary file, say): the container is streamed, an image
/// is copied from its file into its entry with a small buffer (or made when it is reached,
/// when it must be resampled or turned), and the images are written while the text
/// documents are made.
pub fn write_epub_to<W: Write + Seek + Send>(
    publication: &Prepared,
    options: &EpubOptions,
    out: &mut W,
) -> Result<()> {
    write_epub_with_overlay(publication, options, None, out)
}

/// Writes the book into `out`: `mimetype`, then the photos on one thread while the text
/// documents, navigation, fonts and package document are made and deflated on the others,
/// then those and the central directory. The photos, most of the bytes, so reach the
/// file (and the disk, synced behind the writer by [`crate::atomic_file::PendingFile`]) while
/// the text is still being made; the entry order is fixed, whatever the threads do.
fn write_epub_with_overlay<W: Write + Seek + Send>(
    publication: &Prepared,
    options: &EpubOptions,
    overlay: Option<&Overlay>,
    out: &mut W,
) -> Result<()> {
    publication.check_fonts(&options.fonts)?;
    let p: &Publication = publication;
    if p.articles.is_empty() {
        return Err(crate::epub::error("the publication has no articles"));
    }
    let store = options.images.as_deref();
    let (images, files) = book::store_images(p, store)?;
    let mut container = package::Container::start(out)?;
    let (photos, text) = rayon::join(
        || book::write_images(&mut container, p, &images, store),
        || text_entries(p, options, overlay, &images, &files),
    );
    photos?;
    let (entries, deflated) = text?;
    container.append(&entries, deflated)?;
    container.finish()?;
    Ok(())
}

/// The container's entries other than the images, and their deflated bytes
/// ([`package::deflate_entries`]).
type TextEntries<'a> = (Vec<package::Entry<'a>>, Vec<Option<Vec<u8>>>);

/// Everything but the images: page markers, content documents, navigation, fonts and
/// stylesheet, package document (and the Media Overlays of a narrated EPUB), deflated.
fn text_entries<'a>(
    p: &Publication,
    options: &EpubOptions,
    overlay: Option<&'a Overlay>,
    images: &[book::StoredImage],
    files: &[ArticleFiles],
) -> Result<TextEntries<'a>> {
    let bulletin = p.is_bulletin();
    let n = p.articles.len();
    // Page markers of the print edition.
    let plan = match &options.page_map {
        Some(map) if !map.pages.is_empty() => Some(
            pages::plan(map, n, |i| crate::address::article_parts(p, i))
                .map_err(|e| crate::epub::error(e.to_string()))?,
        ),
        _ => None,
    };
    let article_hrefs: Vec<String> = (1..=n).map(|i| format!("article-{i:03}.xhtml")).collect();
    let docs = book::content_documents(p, plan.as_ref(), files, &article_hrefs, overlay);
    let no_markers: Vec<Marker> = Vec::new();
    let markers = plan.as_ref().map_or(&no_markers, |pl| &pl.markers);
    let marker_docs = book::marker_documents(p, plan.as_ref(), &article_hrefs);
    let nav_doc = nav::nav_document(
        p,
        &nav::NavTargets {
            nav_href: NAV_HREF,
            css: CSS_HREF,
            title_page: bulletin.then_some(TITLE_HREF),
            articles: &article_hrefs,
            marker_docs: &marker_docs,
            markers,
        },
    );

    let (fonts, stylesheet) =
        book::fonts_and_stylesheet(p, options, &docs, &nav_doc, overlay.is_some())?;

    // Package document.
    let mut items = book::manifest_items(bulletin, &article_hrefs, &fonts.files, images);
    let mut metadata = metadata::metadata(
        p,
        options,
        plan.as_ref().map(|pl| pl.markers.len()).unwrap_or(0),
    );
    let mut overlay_files: Vec<(String, package::Data)> = Vec::new();
    let media = overlay.map(|o| {
        metadata::talking_metadata(&mut metadata);
        book::media_overlays(o, &article_hrefs, &mut items, &mut overlay_files)
    });
    let opf_doc = opf::package_document(&metadata, &items, media.as_ref());
    let entries = book::container_entries(opf_doc, nav_doc, docs, stylesheet, fonts, overlay_files);
    let deflated = package::deflate_entries(&entries)?;
    Ok((entries, deflated))
}

/// The error of this edition that could not be written, for `message`.
pub(crate) fn error(message: impl Into<String>) -> crate::Error {
    crate::Error::Edition {
        edition: "the EPUB",
        message: message.into(),
    }
}
