//! What an edition is to the build: the contract every edition's module implements
//! ([`EditionUnit`]: its formats, files, layouts, images and how it is written), the
//! names it answers to ([`Format`], [`EditionKind`]), what is asked for
//! ([`EditionRequest`]) and what it writes from and into ([`Context`], [`Files`]). It sits
//! below the editions' modules (`pdf/edition.rs`, `epub/edition.rs` …), which implement
//! it, and below the registry and the build (`editions.rs`), which list and run them.

use std::any::Any;
use std::io::{Seek, Write};
use std::sync::Arc;

pub(crate) use crate::accessibility::Accessibility;
use crate::error::{Diagnostic, Result};
use crate::fonts::{FontFamily, FontSet};
use crate::images::{ImagePlan, ImagePpi, ImageStore};
use crate::layout::{Layout, LayoutOptions};
use crate::model::PageSizeName;
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::timestamp::Timestamp;

/// One edition family, in its own module: the formats it writes and how it writes them.
/// Registered in [`REGISTRY`].
pub(crate) trait EditionUnit: Sync {
    /// Its name as a manifest key that lists its formats (a family of two: `braille`); a
    /// family of one format has that format's name.
    fn family(&self) -> &'static str;
    /// The formats it writes.
    fn formats(&self) -> &'static [FormatInfo];
    /// The files a format of it makes for `request`: one by default (a PDF: one per scale).
    fn kinds(&self, format: Format, _request: &EditionRequest) -> Vec<EditionKind> {
        vec![EditionKind {
            format,
            scale: None,
        }]
    }
    /// The font scales it needs laid out for `request` (for their pages or their page map).
    fn scales(&self, _request: &EditionRequest) -> Vec<FontScale> {
        Vec::new()
    }
    /// Whether it draws whole layouts: such editions are written first, in parallel, while
    /// the layouts are alive; the others see only the layouts' page maps.
    fn draws_pages(&self) -> bool {
        false
    }
    /// Adds the images its `kinds` will need to `plan` (decoded once for all editions).
    fn plan_images(&self, _build: &Context<'_>, _kinds: &[EditionKind], _plan: &mut ImagePlan) {}
    /// The version of the outside program or library it is made with for `request`, if
    /// any (its files change with it): part of `anpham serve`'s cache key.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    fn tool_version(&self, _request: &EditionRequest) -> Option<String> {
        None
    }
    /// Writes each of `kinds` through `files`. An error returned fails every kind not yet
    /// written (a step they share, such as the braille translation, failed).
    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()>;
    /// The accessibility metadata a file of `kind` will declare, for catalogs (the OPDS
    /// feeds of `anpham serve --library`), derived before it is built from the words the
    /// edition's writer uses; `None`: it declares none.
    /// `text` gives the accessibility of the publication's text at a scale, as the
    /// screen editions derive it, for the editions that show the same text another way.
    fn accessibility(
        &self,
        _publication: &crate::model::Publication,
        _kind: EditionKind,
        _request: &EditionRequest,
        _text: &dyn Fn(FontScale) -> Accessibility,
    ) -> Option<Accessibility> {
        None
    }
    /// Whether this machine can write it (an outside library or program it needs is
    /// there); catalogs offer only what can be built.
    fn available(&self) -> bool {
        true
    }
    /// The accessibility metadata its file at `scale` will declare, made from `listed`,
    /// what its file at another scale of the same publication (in `lang`) declares, for a
    /// catalog that no longer holds the publication: what depends on the scale is set
    /// anew. Asked of formats with one file per scale; by default `listed` unchanged.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    fn rescaled_accessibility(
        &self,
        listed: Accessibility,
        _lang: &str,
        _scale: FontScale,
    ) -> Accessibility {
        listed
    }
}

/// What a format is, as its edition's module declares it.
#[derive(Debug)]
pub(crate) struct FormatInfo {
    /// Its name on the command line and in a manifest (`epub`, `pdf` …).
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// The media type of its file.
    pub media_type: &'static str,
    /// The end of its file name, after the slug (and a PDF's scale): `.epub`, `.pdf`.
    pub extension: &'static str,
    /// Built when neither the command line nor a manifest chooses the formats.
    pub by_default: bool,
    /// Built when a manifest's `editions` table does not name it.
    pub manifest_default: bool,
    /// One file per font scale (a manifest lists its scales).
    pub per_scale: bool,
    /// Its name on the web page (`anpham serve`'s `/`), from the words in `labels.rs`.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub label: fn(&crate::labels::PortalWords) -> &'static str,
}

/// A format this build of anpham can write: `epub`, `pdf` …
/// Parsed from its name ([`Format::named`]).
#[derive(Clone, Copy)]
pub struct Format {
    pub(super) edition: &'static dyn EditionUnit,
    pub(super) index: usize,
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Format {}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Format {
    pub(crate) fn info(self) -> &'static FormatInfo {
        &self.edition.formats()[self.index]
    }

    /// Its name on the command line and in a manifest.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// One line saying what it is.
    pub(crate) fn about(self) -> &'static str {
        self.info().about
    }

    /// The media type of its files.
    pub fn media_type(self) -> &'static str {
        self.info().media_type
    }

    /// The end of its file names, after the slug and a scale (`.epub`, `.pdf`).
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn extension(self) -> &'static str {
        self.info().extension
    }

    /// Its name on the web page, in `words`' language.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn label(self, words: &crate::labels::PortalWords) -> &'static str {
        (self.info().label)(words)
    }

    /// Whether its edition draws pages (the print edition): it has a first page to preview.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn draws_pages(self) -> bool {
        self.edition.draws_pages()
    }

    /// Built when neither the command line nor a manifest chooses the formats.
    pub(crate) fn by_default(self) -> bool {
        self.info().by_default
    }

    /// Built when a manifest's `editions` table does not name it.
    pub(crate) fn manifest_default(self) -> bool {
        self.info().manifest_default
    }

    /// One file per font scale (a manifest lists its scales).
    pub(crate) fn per_scale(self) -> bool {
        self.info().per_scale
    }

    /// The accessibility metadata its file at `scale` will declare, from that of its file
    /// at another scale (see [`EditionUnit::rescaled_accessibility`]).
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn rescaled_accessibility(
        self,
        listed: Accessibility,
        lang: &str,
        scale: FontScale,
    ) -> Accessibility {
        self.edition.rescaled_accessibility(listed, lang, scale)
    }

    /// Whether this machine can write it (see [`EditionUnit::available`]).
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn available(self) -> bool {
        self.edition.available()
    }

    /// Its family's name (a manifest key that may list several formats).
    pub(crate) fn family(self) -> &'static str {
        self.edition.family()
    }

    /// Whether `other` is the edition that writes it. By family name, not by address: the
    /// editions are zero-sized statics, which may share one address (they do in a release
    /// build with LTO, where every format then went to every edition).
    pub(super) fn same_edition(self, other: &'static dyn EditionUnit) -> bool {
        self.edition.family() == other.family()
    }
}

/// One file of an edition: its format, and a PDF's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EditionKind {
    /// Its format.
    pub format: Format,
    /// A PDF's font scale.
    pub scale: Option<FontScale>,
}

impl EditionKind {
    /// The output file name: `slug.epub`, `slug.pdf` (standard), `slug.large.pdf`,
    /// `slug.epub`, `slug.step-1.pdf`, `slug.19pt.pdf` …
    pub fn file_name(self, slug: &str) -> String {
        let ext = self.format.info().extension;
        match self.scale.map(|s| s.file_suffix()) {
            Some(s) if !s.is_empty() => format!("{slug}.{s}{ext}"),
            _ => format!("{slug}{ext}"),
        }
    }
}

/// Which editions to build, and how.
#[derive(Debug, Clone)]
pub struct EditionRequest {
    /// The formats to build (each once; see [`Format`]).
    pub formats: Vec<Format>,
    /// The EPUB's base text size (also that of the editions made like it).
    pub screen_scale: FontScale,
    /// The PDFs: one at each of these scales (none when empty or when `pdf` is not among
    /// the formats).
    pub print_scales: Vec<FontScale>,
    /// PDF page size.
    pub page_size: PageSizeName,
    /// The print edition whose pages the EPUB's page list follows (default: the first
    /// PDF scale; none when no PDF is built and none is named).
    pub page_list: Option<FontScale>,
    /// A main font family instead of the bundled ones.
    pub font: Option<FontFamily>,
    /// The date every edition carries; `None`: `Timestamp::of_publication`.
    pub date: Option<Timestamp>,
    /// Print resolution of the PDFs' images.
    pub image_ppi: ImagePpi,
    /// Where a bulletin's next article begins in the PDFs.
    pub article_break: crate::layout::ArticleBreak,
    /// Each edition's own options, by their type (see [`EditionRequest::options`]).
    pub(crate) options: EditionOptions,
}

impl EditionRequest {
    /// An edition's own options, of their own type (`BrailleOptions`, `SpeechOptions`,
    /// `PdfStandard` …, defined and documented by their edition): those set, else the
    /// type's default.
    pub fn options<T: Any + Clone + Default + Send + Sync + std::fmt::Debug>(
        &self,
    ) -> std::borrow::Cow<'_, T> {
        match self.options.get::<T>() {
            Some(o) => std::borrow::Cow::Borrowed(o),
            None => std::borrow::Cow::Owned(T::default()),
        }
    }

    /// An edition's own options, to change (set to the type's default first when not set).
    pub fn options_mut<T: Any + Clone + Default + Send + Sync + std::fmt::Debug>(
        &mut self,
    ) -> &mut T {
        self.options.get_mut_or_default::<T>()
    }

    /// The scales of the files written once per scale (the print editions) that are asked
    /// for, each once, in request order; none when no such format is asked for.
    pub(crate) fn printed_scales(&self) -> Vec<FontScale> {
        let mut out: Vec<FontScale> = Vec::new();
        if self.formats.iter().any(|f| f.per_scale()) {
            for s in &self.print_scales {
                if !out.contains(s) {
                    out.push(*s);
                }
            }
        }
        out
    }

    /// The print scale whose pages the screen editions mark (an e-book's page list, a web
    /// page's page markers): the one named ([`EditionRequest::page_list`]), else the first
    /// printed one.
    pub(crate) fn page_list_scale(&self) -> Option<FontScale> {
        self.page_list
            .or_else(|| self.printed_scales().first().copied())
    }

    /// The scales a screen edition needs laid out for its page markers: the one whose
    /// pages it marks, if any.
    pub(crate) fn page_list_scales(&self) -> Vec<FontScale> {
        self.page_list_scale().into_iter().collect()
    }

    /// The fonts of an edition at `scale`.
    pub(crate) fn fonts(&self, scale: FontScale) -> FontSet {
        match &self.font {
            Some(f) => FontSet::with_primary(f.clone()),
            None => FontSet::bundled(scale.is_large_print()),
        }
    }

    pub(crate) fn layout_options(&self, scale: FontScale) -> LayoutOptions {
        LayoutOptions {
            scale,
            page_size: self.page_size,
            fonts: self.fonts(scale),
            article_break: self.article_break,
        }
    }
}

/// The type of an edition's own options in an [`EditionRequest`]: any plain value with a
/// default.
pub(crate) trait EditionOption:
    Any + Clone + Default + Send + Sync + std::fmt::Debug
{
}

impl<T: Any + Clone + Default + Send + Sync + std::fmt::Debug> EditionOption for T {}

/// Each edition's own options, one value per type.
#[derive(Default)]
pub(crate) struct EditionOptions(Vec<Box<dyn OptionValue>>);

/// One edition's options, as [`EditionOptions`] holds them.
trait OptionValue: Any + Send + Sync + std::fmt::Debug {
    fn clone_value(&self) -> Box<dyn OptionValue>;
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: EditionOption> OptionValue for T {
    fn clone_value(&self) -> Box<dyn OptionValue> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

impl EditionOptions {
    fn get<T: EditionOption>(&self) -> Option<&T> {
        self.0.iter().find_map(|v| v.as_any().downcast_ref::<T>())
    }

    fn get_mut_or_default<T: EditionOption>(&mut self) -> &mut T {
        let at = match self.0.iter().position(|v| v.as_any().is::<T>()) {
            Some(at) => at,
            None => {
                self.0.push(Box::new(T::default()));
                self.0.len() - 1
            }
        };
        self.0[at]
            .as_any_mut()
            .downcast_mut::<T>()
            .expect("the value found for its type")
    }
}

impl Clone for EditionOptions {
    fn clone(&self) -> Self {
        EditionOptions(self.0.iter().map(|v| v.clone_value()).collect())
    }
}

impl std::fmt::Debug for EditionOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

/// What an edition's module is given to write from: the publication, the request, the
/// build's date and images, and the layouts (whole while the editions that draw pages are
/// written, then only their page maps).
pub(crate) struct Context<'a> {
    /// The publication.
    pub prepared: &'a Prepared,
    /// The request.
    pub request: &'a EditionRequest,
    /// The date every edition carries.
    pub date: Timestamp,
    /// The images every edition shares.
    pub images: Arc<ImageStore>,
    pub(super) layouts: Vec<LaidOut>,
    pub(super) page_maps: Vec<(FontScale, PageMap)>,
}

impl Context<'_> {
    /// The layout at `scale` and the seconds it took (while layouts are alive).
    pub fn layout(&self, scale: FontScale) -> Option<(&Layout, f64)> {
        self.layouts
            .iter()
            .find(|(s, ..)| *s == scale)
            .map(|(_, l, t)| (l, *t))
    }

    /// The page map a screen edition of this build marks (see
    /// [`EditionRequest::page_list_scale`]).
    pub(crate) fn followed_page_map(&self) -> Option<&PageMap> {
        self.request
            .page_list_scale()
            .and_then(|s| self.page_map(s))
    }

    /// The page map of the layout at `scale`.
    pub fn page_map(&self, scale: FontScale) -> Option<&PageMap> {
        self.page_maps
            .iter()
            .find(|(s, _)| *s == scale)
            .map(|(_, m)| m)
            .or_else(|| self.layout(scale).map(|(l, _)| &l.page_map))
    }
}

/// A laid-out scale and the seconds its layout took.
pub(crate) type LaidOut = (FontScale, Layout, f64);

/// Where an edition's module writes its files (one output each, timed and measured); what
/// became of each is recorded for the build.
pub(crate) trait Files: Sync {
    /// Opens the output of `kind`, lets `write` fill it, and records it written (with
    /// `pages`, and `seconds` more than its own time) or failed.
    fn write(
        &self,
        kind: EditionKind,
        pages: Option<usize>,
        seconds: f64,
        write: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<()>,
    );
    /// Notes a warning about the file of `kind` (the file is whole, but not all of it is
    /// as the publication asked: a character the braille table writes by a fallback, a
    /// fragment shown without audio). It travels in that file's outcome.
    fn warn(&self, kind: EditionKind, warning: Diagnostic);
}

/// An edition's output, as its writer sees it.
pub(crate) trait WriteSeek: Write + Seek + Send {}

impl<T: Write + Seek + Send> WriteSeek for T {}
