//! The registry of editions, and the build of a set of them from one prepared publication.
//!
//! Every edition anpham can write is one unit in its own module (an implementation of
//! `EditionUnit`: its formats' names on the command line and in a manifest, file names,
//! media types, which layouts and images it needs, and how it is written) and one line of
//! `REGISTRY`. The command line (`--format`), the manifest reader (`editions` table), the
//! JSON schema (checked against this list by a test) and `crate::batch` all read the
//! registry; none of them names an edition.
//!
//! [`build`] lays the publication out once per font scale an edition needs, prepares the
//! images every edition shares, then writes each edition. Editions are independent: one
//! that fails is reported as failed (`Outcome::Failed`, the command line's streaming
//! build) and the others are still written.
//! Nothing here touches the file system: `crate::output` writes files atomically.
//!
//! ```no_run
//! use anpham::editions::{self, EditionRequest};
//! use anpham::{FontScale, input};
//!
//! let (prepared, _) = input::load_prepared(&["examples/bac-kan/bac-kan.md".into()])?;
//! let mut request = EditionRequest::new();
//! request.print_scales = vec![FontScale::LARGE];
//! for edition in editions::build(&prepared, &request)? {
//!     std::fs::write(edition.kind.file_name("bac-kan"), &edition.bytes)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{Cursor, Seek, Write};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;

use crate::error::{Diagnostic, Error, Result};

use crate::images::{ImagePlan, ImageStore};
use crate::layout;
use crate::model::PageSizeName;

use crate::prepare::Prepared;
use crate::scale::FontScale;

pub(crate) mod limits;
mod unit;

// The editions' modules, one folder each (`src/NAME/`), declared here beside their
// registration in `REGISTRY` so that an edition is named in one place; the crate's root
// re-exports them through `units` (`crate::pdf` …).
#[path = "pdf/mod.rs"]
pub(crate) mod pdf;

#[path = "epub/mod.rs"]
pub(crate) mod epub;

#[path = "html/mod.rs"]
pub(crate) mod html;

#[cfg(feature = "speech")]
#[path = "speech/mod.rs"]
pub(crate) mod speech;

#[cfg(feature = "braille")]
#[path = "braille/mod.rs"]
pub(crate) mod braille;

/// What the editions' modules show the integration tests, the benchmarks and the fuzz
/// targets, through `crate::internals` (not part of the API).
pub(crate) mod internals {
    #[cfg(feature = "braille")]
    pub use super::braille::{Grade as BrailleGrade, liblouis_version, read_back};
    pub use super::epub::{EpubOptions, write_epub};
    pub use super::pdf::internals::*;
    #[cfg(feature = "speech")]
    pub use super::speech::internals::*;
}

/// The editions' modules, for the crate's root to re-export.
pub(crate) mod units {
    #[cfg(feature = "braille")]
    pub(crate) use super::braille;
    #[cfg(feature = "speech")]
    pub(crate) use super::speech;
    pub(crate) use super::{epub, html, pdf};
}

pub(crate) use unit::{Accessibility, Context, EditionUnit, Files, FormatInfo, LaidOut, WriteSeek};
pub use unit::{EditionKind, EditionRequest, Format};

// The types of `EditionRequest`'s options, from the modules that use them.
/// Whether the braille editions can be built here: liblouis loads (the crate ships its
/// tables); else what to install.
#[cfg(feature = "braille")]
pub use crate::braille::available as braille_available;
/// The braille edition's options (`brf`, `pef`).
#[cfg(feature = "braille")]
pub use crate::braille::{BrailleOptions, Geometry as BrailleGeometry, Grade as BrailleGrade};
pub use crate::fonts::FontFamily;
pub use crate::images::ImagePpi;
pub use crate::layout::ArticleBreak;
pub use crate::pdf::PdfStandard;
/// The talking book's options (`talking`).
#[cfg(feature = "speech")]
pub use crate::speech::SpeechOptions;
pub use crate::timestamp::Timestamp;

/// Every edition, in the order they are written and listed. **Adding an edition is one
/// line here** (and its own module, and its words in `labels.rs`). An edition behind a
/// cargo feature has a second line naming what it writes, so that asking for it in a
/// build without the feature is a clear error, not an unknown name. The HTML edition
/// plugs in as `Registration::Built(&crate::html::edition::HTML)`.
static REGISTRY: &[Registration] = &[
    Registration::Built(&crate::pdf::edition::PDF),
    Registration::Built(&crate::epub::edition::EPUB),
    Registration::Built(&crate::html::edition::HTML),
    #[cfg(feature = "speech")]
    Registration::Built(&crate::epub::talking::TALKING_BOOK),
    #[cfg(not(feature = "speech"))]
    Registration::Missing {
        family: "talking",
        formats: &["talking"],
        feature: "speech",
    },
    #[cfg(feature = "braille")]
    Registration::Built(&crate::braille::edition::BRAILLE),
    #[cfg(not(feature = "braille"))]
    Registration::Missing {
        family: "braille",
        formats: &["brf", "pef"],
        feature: "braille",
    },
];

/// The accessibility of the publication's text at `scale` as the EPUB writer derives it
/// (access modes from its figures and their descriptions, features, hazards), for the
/// editions that show the same text another way (the PDF keeps what it has of it).
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by the server only")
)]
fn text_accessibility(p: &crate::model::Publication, scale: FontScale) -> Accessibility {
    crate::epub::book_accessibility(p, scale, false)
}

impl Format {
    /// The accessibility metadata its file of `kind` will declare (see
    /// [`EditionUnit::accessibility`]), for catalogs.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn accessibility(
        self,
        publication: &crate::model::Publication,
        kind: EditionKind,
        request: &EditionRequest,
    ) -> Option<Accessibility> {
        self.edition
            .accessibility(publication, kind, request, &|scale| {
                text_accessibility(publication, scale)
            })
    }
}

/// The editions' own options on the command line (`anpham build`): each edition's, defined
/// in its module and flattened here, so that the command line (and `anpham serve`, which
/// takes the command line's options as query parameters) names no edition.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct EditionArgs {
    #[command(flatten)]
    pdf: crate::pdf::args::PdfArgs,
    #[cfg(feature = "speech")]
    #[command(flatten)]
    talking: crate::speech::args::SpeechArgs,
    #[cfg(feature = "braille")]
    #[command(flatten)]
    braille: crate::braille::args::BrailleArgs,
}

impl EditionArgs {
    /// Sets each edition's options of `request` from the command line's; `env` reads the
    /// caller's environment (the library reads none).
    #[cfg_attr(
        not(all(feature = "speech", feature = "braille")),
        allow(unused_variables)
    )]
    pub(crate) fn apply(
        &self,
        request: &mut EditionRequest,
        env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
    ) -> crate::Result<()> {
        *request.options_mut::<PdfStandard>() = self.pdf.standard();
        #[cfg(feature = "speech")]
        {
            *request.options_mut::<crate::speech::SpeechOptions>() = self.talking.options(env)?;
        }
        #[cfg(feature = "braille")]
        {
            *request.options_mut::<crate::braille::BrailleOptions>() = self.braille.options();
        }
        Ok(())
    }
}

/// The versions of the outside programs and libraries the editions of `request` are made
/// with (what changes their files besides anpham itself), one line each: what a cache of
/// results keys on (`anpham serve`).
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn tool_versions(request: &EditionRequest) -> Vec<String> {
    REGISTRY
        .iter()
        .filter_map(|r| match r {
            Registration::Built(unit) => unit.tool_version(request),
            Registration::Missing { .. } => None,
        })
        .collect()
}

/// One line of [`REGISTRY`].
enum Registration {
    /// An edition this build can write.
    Built(&'static dyn EditionUnit),
    /// An edition whose cargo feature is off: its names, for a clear error.
    #[cfg_attr(all(feature = "braille", feature = "speech"), allow(dead_code))]
    Missing {
        /// Its family name (a manifest key, as [`EditionUnit::family`]).
        family: &'static str,
        /// Its formats' names.
        formats: &'static [&'static str],
        /// The cargo feature that builds it.
        feature: &'static str,
    },
}

/// A format name that this build cannot write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// No edition has this name.
    #[error("unknown format `{name}`; use {known}")]
    Unknown {
        /// The name given.
        name: String,
        /// The names there are.
        known: String,
    },
    /// The edition exists but its cargo feature was off when anpham was built.
    #[error(
        "`{name}`: this anpham was built without the `{feature}` feature\n  hint: build it with `cargo build --features {feature}` (on by default)"
    )]
    WithoutFeature {
        /// The name given.
        name: String,
        /// The feature that builds it.
        feature: &'static str,
    },
}

impl Format {
    /// Every format this build can write, in registry order.
    pub(crate) fn all() -> impl Iterator<Item = Format> {
        REGISTRY.iter().flat_map(|r| match r {
            Registration::Built(edition) => (0..edition.formats().len())
                .map(|index| Format {
                    edition: *edition,
                    index,
                })
                .collect(),
            Registration::Missing { .. } => Vec::new(),
        })
    }

    /// The format called `name`; an error names the formats there are, or the cargo
    /// feature a known one needs.
    pub fn named(name: &str) -> std::result::Result<Format, FormatError> {
        let name = name.trim();
        if let Some(f) = Format::all().find(|f| f.name().eq_ignore_ascii_case(name)) {
            return Ok(f);
        }
        for r in REGISTRY {
            if let Registration::Missing {
                formats, feature, ..
            } = r
                && formats.iter().any(|f| f.eq_ignore_ascii_case(name))
            {
                return Err(FormatError::WithoutFeature {
                    name: name.to_string(),
                    feature,
                });
            }
        }
        Err(FormatError::Unknown {
            name: name.to_string(),
            known: known_names(),
        })
    }
}

impl std::str::FromStr for Format {
    type Err = FormatError;
    fn from_str(s: &str) -> std::result::Result<Format, FormatError> {
        Format::named(s)
    }
}

/// `epub, pdf, … or X`: the formats this build writes.
fn known_names() -> String {
    let names: Vec<&str> = Format::all().map(Format::name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// What a manifest's `editions` table may name, from the registry: every format's name
/// and every family's name, whether or not this build has the family (with the feature
/// it needs, if not).
pub(crate) fn manifest_keys() -> Vec<(&'static str, Option<&'static str>)> {
    let mut keys = Vec::new();
    for r in REGISTRY {
        match r {
            Registration::Built(e) => {
                keys.push((e.family(), None));
                keys.extend(e.formats().iter().map(|f| (f.name, None)));
            }
            Registration::Missing {
                family,
                formats,
                feature,
            } => {
                keys.push((*family, Some(*feature)));
                keys.extend(formats.iter().map(|f| (*f, Some(*feature))));
            }
        }
    }
    keys.dedup();
    keys
}

impl Default for EditionRequest {
    fn default() -> Self {
        Self::new()
    }
}

impl EditionRequest {
    /// A standard-size EPUB, and PDFs at no scale yet (set [`EditionRequest::print_scales`]);
    /// A5 pages, bundled fonts, the publication's date.
    pub fn new() -> EditionRequest {
        EditionRequest {
            formats: Format::all().filter(|f| f.by_default()).collect(),
            screen_scale: FontScale::STANDARD,
            print_scales: Vec::new(),
            page_size: PageSizeName::A5,
            page_list: None,
            font: None,
            date: None,
            image_ppi: ImagePpi::default(),
            article_break: crate::layout::ArticleBreak::default(),
            options: Default::default(),
        }
    }

    /// The files this request makes, grouped by edition, in registry order.
    pub(crate) fn kinds(&self) -> Vec<(&'static dyn EditionUnit, Vec<EditionKind>)> {
        let mut out = Vec::new();
        for r in REGISTRY {
            let Registration::Built(edition) = r else {
                continue;
            };
            let mut kinds: Vec<EditionKind> = Vec::new();
            for f in Format::all().filter(|f| f.same_edition(*edition)) {
                if self.formats.contains(&f) {
                    for k in edition.kinds(f, self) {
                        if !kinds.contains(&k) {
                            kinds.push(k);
                        }
                    }
                }
            }
            if !kinds.is_empty() {
                out.push((*edition, kinds));
            }
        }
        out
    }

    /// The files this request makes, in the order [`build`] returns them.
    pub(crate) fn outputs(&self) -> Vec<EditionKind> {
        self.kinds().into_iter().flat_map(|(_, k)| k).collect()
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
    /// What it could not do as the publication asked (the file is whole).
    pub warnings: Vec<EditionWarning>,
}

/// A warning an edition gave about its file: the file was written whole, but something in
/// it is not as the publication asked (a character the braille table writes by a
/// fallback, a fragment the talking book shows without audio, a caption that runs on to
/// the next PDF page). It travels with the edition ([`Edition::warnings`]).
#[derive(Debug, Clone, PartialEq)]
pub struct EditionWarning {
    /// The file it is about.
    pub kind: EditionKind,
    /// Where (file and place) and what, with a hint.
    pub diagnostic: Diagnostic,
}

impl std::fmt::Display for EditionWarning {
    /// `warning: FILE:PLACE: message` and the hint, as every diagnostic is printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.diagnostic.severity, self.diagnostic)
    }
}

/// Where [`build_into`] writes each edition: one `Write + Seek` output per edition (a
/// temporary file beside the target for the CLI, a buffer in memory for [`build`]), so
/// that a writer streams its file instead of building it whole in memory first.
pub(crate) trait EditionSink: Sync {
    /// What one edition is written into.
    type Output: Write + Seek + Send;
    /// Opens the output of one edition.
    fn open(&self, kind: EditionKind) -> Result<Self::Output>;
}

/// One edition written into its [`EditionSink::Output`].
#[derive(Debug)]
pub(crate) struct WrittenEdition<O> {
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
    /// What it could not do as the publication asked (the file is whole).
    pub warnings: Vec<EditionWarning>,
}

/// What became of one edition of a build: written whole, or failed (its output dropped).
#[derive(Debug)]
pub(crate) enum Outcome<O> {
    /// Written whole.
    Written(WrittenEdition<O>),
    /// Not written, and why; several files when a step they share failed (the braille
    /// files share one translation).
    Failed {
        /// The files that were not written.
        kinds: Vec<EditionKind>,
        /// Why.
        error: Error,
    },
}

/// Editions kept in memory (what [`build`] returns).
struct InMemory;

impl EditionSink for InMemory {
    type Output = Cursor<Vec<u8>>;
    fn open(&self, _: EditionKind) -> Result<Cursor<Vec<u8>>> {
        Ok(Cursor::new(Vec::new()))
    }
}

/// Builds the requested editions of a prepared publication, in the order of the request's
/// formats (a PDF per scale). Each scale is laid out once (in parallel). The first error
/// is returned.
pub fn build(prepared: &Prepared, request: &EditionRequest) -> Result<Vec<Edition>> {
    build_sharing_images(prepared, request).map(|(editions, _)| editions)
}

/// [`build`], also giving the store of images its editions shared.
fn build_sharing_images(
    prepared: &Prepared,
    request: &EditionRequest,
) -> Result<(Vec<Edition>, Arc<ImageStore>)> {
    let (outcomes, images) = build_with_store(prepared, request, &InMemory)?;
    let mut editions = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        match o {
            Outcome::Written(w) => editions.push(Edition {
                kind: w.kind,
                bytes: w.output.into_inner(),
                pages: w.pages,
                seconds: w.seconds,
                warnings: w.warnings,
            }),
            Outcome::Failed { error, .. } => return Err(error),
        }
    }
    Ok((editions, images))
}

/// Builds the requested editions, each written into an output of `sink`, in
/// [`EditionRequest::outputs`] order. An edition that fails is an [`Outcome::Failed`]
/// (its output is dropped: a temporary file is then removed) and the others are still
/// written. The error returned is what stops every edition (nothing asked for, a layout
/// or an image that cannot be made).
pub(crate) fn build_into<S: EditionSink>(
    prepared: &Prepared,
    request: &EditionRequest,
    sink: &S,
) -> Result<Vec<Outcome<S::Output>>> {
    build_with_store(prepared, request, sink).map(|(outcomes, _)| outcomes)
}

impl Context<'_> {
    /// Keeps only the layouts' page maps; the rest is freed in the background.
    fn release_layouts(&mut self) {
        let mut spent = std::mem::take(&mut self.layouts);
        for (scale, lay, _) in &mut spent {
            // Taken, not copied: the rest of the layout is only freed.
            self.page_maps
                .push((*scale, std::mem::take(&mut lay.page_map)));
        }
        drop_in_background(spent);
    }
}

/// [`Files`] over an [`EditionSink`].
struct Recorder<'s, S: EditionSink> {
    sink: &'s S,
    done: Mutex<Vec<Outcome<S::Output>>>,
    /// Warnings noted about files not yet written.
    warnings: Mutex<Vec<EditionWarning>>,
}

impl<S: EditionSink> Recorder<'_, S> {
    fn record(&self, outcome: Outcome<S::Output>) {
        self.done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(outcome);
    }

    fn recorded(&self, kind: EditionKind) -> bool {
        self.done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .any(|o| match o {
                Outcome::Written(w) => w.kind == kind,
                Outcome::Failed { kinds, .. } => kinds.contains(&kind),
            })
    }
}

impl<S: EditionSink> Files for Recorder<'_, S> {
    fn write(
        &self,
        kind: EditionKind,
        pages: Option<usize>,
        seconds: f64,
        write: &mut dyn FnMut(&mut dyn WriteSeek) -> Result<()>,
    ) {
        let t = Instant::now();
        let written = self.sink.open(kind).and_then(|mut output| {
            write(&mut output)?;
            let bytes = output.stream_position().map_err(|e| {
                Error::Usage(format!(
                    "{}: cannot tell the size of the output: {e}",
                    kind.file_name("…")
                ))
            })?;
            Ok((output, bytes))
        });
        let mut noted = self
            .warnings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (warnings, others) = std::mem::take(&mut *noted)
            .into_iter()
            .partition(|w| w.kind == kind);
        *noted = others;
        drop(noted);
        self.record(match written {
            Ok((output, bytes)) => Outcome::Written(WrittenEdition {
                kind,
                output,
                bytes,
                pages,
                seconds: seconds + t.elapsed().as_secs_f64(),
                warnings,
            }),
            Err(error) => Outcome::Failed {
                kinds: vec![kind],
                error,
            },
        });
    }

    fn warn(&self, kind: EditionKind, diagnostic: Diagnostic) {
        self.warnings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(EditionWarning { kind, diagnostic });
    }
}

/// Every scale some edition needs, once, in a fixed order, laid out in parallel.
fn lay_out_scales(
    prepared: &Prepared,
    request: &EditionRequest,
    editions: &[(&'static dyn EditionUnit, Vec<EditionKind>)],
) -> Result<Vec<LaidOut>> {
    let mut scales: Vec<FontScale> = Vec::new();
    for (edition, _) in editions {
        for s in edition.scales(request) {
            if !scales.contains(&s) {
                scales.push(s);
            }
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

/// The editions written or failed, and the store of images they shared.
type Built<O> = (Vec<Outcome<O>>, Arc<ImageStore>);

/// [`build_into`], also giving the store of images its editions shared.
fn build_with_store<S: EditionSink>(
    prepared: &Prepared,
    request: &EditionRequest,
    sink: &S,
) -> Result<Built<S::Output>> {
    let editions = request.kinds();
    if editions.is_empty() {
        return Err(Error::Usage("nothing to build: no format selected".into()));
    }
    let date = request
        .date
        .unwrap_or_else(|| Timestamp::of_publication(prepared.date.as_deref()));
    let mut build = Context {
        prepared,
        request,
        date,
        images: Arc::new(ImageStore::default()),
        layouts: lay_out_scales(prepared, request, &editions)?,
        page_maps: Vec::new(),
    };
    // Images: every distinct image decoded at most once for all the editions of this
    // build, before any of them is written; the store keeps only encoded results.
    let mut plan = ImagePlan::new();
    for (edition, kinds) in &editions {
        edition.plan_images(&build, kinds, &mut plan);
    }
    // Placed by line and column where the figure came from Markdown.
    build.images = Arc::new(plan.prepare(prepared).map_err(|e| prepared.locate(e))?);
    let files = Recorder {
        sink,
        done: Mutex::new(Vec::new()),
        warnings: Mutex::new(Vec::new()),
    };
    let write = |build: &Context<'_>, edition: &dyn EditionUnit, kinds: &[EditionKind]| {
        if let Err(error) = edition.write(build, kinds, &files) {
            let kinds: Vec<EditionKind> = kinds
                .iter()
                .copied()
                .filter(|k| !files.recorded(*k))
                .collect();
            files.record(Outcome::Failed { kinds, error });
        }
    };
    for (edition, kinds) in editions.iter().filter(|(e, _)| e.draws_pages()) {
        write(&build, *edition, kinds);
    }
    build.release_layouts();
    for (edition, kinds) in editions.iter().filter(|(e, _)| !e.draws_pages()) {
        write(&build, *edition, kinds);
    }
    let order: Vec<EditionKind> = editions.into_iter().flat_map(|(_, k)| k).collect();
    let rank = |o: &Outcome<S::Output>| {
        let kind = match o {
            Outcome::Written(w) => Some(w.kind),
            Outcome::Failed { kinds, .. } => kinds.first().copied(),
        };
        kind.and_then(|k| order.iter().position(|x| *x == k))
    };
    let mut done = files
        .done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(rank);
    Ok((done, build.images))
}

/// A first-page preview ([`page_previews`]).
#[cfg(feature = "serve")]
pub(crate) use crate::pdf::preview::PagePreview;

/// The end of a first-page preview's file name (`bac-kan.large.preview.svg`).
#[cfg(feature = "serve")]
pub(crate) const PREVIEW_EXTENSION: &str = ".preview.svg";

/// The first page of each file of `request` whose edition draws pages (the print edition,
/// one per scale) as an SVG image (`pdf::preview`), for `anpham serve`'s web page: the
/// file's name with [`PREVIEW_EXTENSION`] for its extension, and the preview, its image
/// titled `title(scale)`. The publication is laid out again at each scale, as the print
/// edition lays it out (`EditionRequest::layout_options`).
#[cfg(feature = "serve")]
pub(crate) fn page_previews(
    prepared: &Prepared,
    request: &EditionRequest,
    slug: &str,
    title: &dyn Fn(FontScale) -> String,
) -> Vec<(String, Result<pdf::preview::PagePreview>)> {
    request
        .outputs()
        .into_iter()
        .filter(|k| k.format.draws_pages())
        .filter_map(|k| Some((k, k.scale?)))
        .map(|(kind, scale)| {
            let name = kind.file_name(slug);
            let base = name.strip_suffix(kind.format.extension()).unwrap_or(&name);
            let preview = layout::layout(prepared, &request.layout_options(scale))
                .and_then(|lay| pdf::preview::first_page(prepared, &lay, &title(scale)));
            (format!("{base}{PREVIEW_EXTENSION}"), preview)
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn format(name: &str) -> Format {
        Format::named(name).unwrap()
    }

    #[test]
    fn file_names() {
        let kind = |name, scale| EditionKind {
            format: format(name),
            scale,
        };
        assert_eq!(kind("epub", None).file_name("a"), "a.epub");
        assert_eq!(
            kind("pdf", Some(FontScale::STANDARD)).file_name("a"),
            "a.pdf"
        );
        assert_eq!(
            kind("pdf", Some(FontScale::LARGE)).file_name("a"),
            "a.large.pdf"
        );
    }

    #[test]
    fn each_format_goes_to_one_edition_only() {
        // The editions are zero-sized statics; a release build placed several at one
        // address, and a comparison by address gave every format to every edition.
        let editions: Vec<&'static dyn EditionUnit> = REGISTRY
            .iter()
            .filter_map(|r| match r {
                Registration::Built(e) => Some(*e),
                Registration::Missing { .. } => None,
            })
            .collect();
        for f in Format::all() {
            let owners: Vec<&str> = editions
                .iter()
                .filter(|e| f.same_edition(**e))
                .map(|e| e.family())
                .collect();
            assert_eq!(owners, [f.family()], "{}", f.name());
        }
    }

    #[test]
    fn names_are_unique_and_parse_back() {
        let mut seen = Vec::new();
        for f in Format::all() {
            assert!(!seen.contains(&f.name()), "{} twice", f.name());
            seen.push(f.name());
            assert_eq!(Format::named(&f.name().to_uppercase()), Ok(f));
            assert!(!f.about().is_empty() && f.media_type().contains('/'));
        }
        let err = Format::named("docx").unwrap_err().to_string();
        // `use pdf, epub, … or X`; `use pdf or epub` without the features.
        assert!(err.contains("unknown format `docx`; use pdf"), "{err}");
        assert!(err.contains("epub"), "{err}");
    }

    /// Without a feature, its formats are still known and refused with the feature's name.
    #[test]
    fn a_format_without_its_feature_names_the_feature() {
        for r in REGISTRY {
            if let Registration::Missing {
                formats, feature, ..
            } = r
            {
                for f in *formats {
                    let err = Format::named(f).unwrap_err().to_string();
                    assert!(
                        err.contains(&format!("built without the `{feature}` feature")),
                        "{err}"
                    );
                }
            }
        }
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
        request.print_scales = vec![FontScale::LARGE, FontScale::STANDARD];
        // Each of the three editions alone would decode the photo.
        use crate::images::pixels::decode_counter::decodes_of;
        let p: &crate::model::Publication = &prepared;
        for scale in &request.print_scales {
            let lay = layout::layout(&prepared, &request.layout_options(*scale)).unwrap();
            let mut alone = ImagePlan::new();
            alone.add_print(p, &lay, request.image_ppi);
            assert_eq!(alone.prepare(p).unwrap().decodes(), 1, "{scale:?}");
        }
        // The EPUB alone leaves it to its writer, which makes it when it reaches it.
        let mut alone = ImagePlan::new();
        alone.add_screen(p);
        let store = Arc::new(alone.prepare(p).unwrap());
        assert_eq!(store.decodes(), 0, "EPUB: not made by the plan");
        assert!(crate::images::screen_images(p, Some(&store))[0].is_pending());
        let mut options = crate::epub::EpubOptions::new(FontScale::STANDARD);
        options.images = Some(Arc::clone(&store));
        crate::epub::write_epub(&prepared, &options).unwrap();
        assert_eq!(store.decodes(), 1, "EPUB: made by its writer");
        assert_eq!(decodes_of(&photo), 3);
        // An EPUB and a talking book share the decode: the plan makes it.
        let mut both = ImagePlan::new();
        both.add_screen(p);
        both.add_screen(p);
        let shared = both.prepare(p).unwrap();
        assert_eq!(shared.decodes(), 1, "EPUB and talking book");
        assert!(!crate::images::screen_images(p, Some(&shared))[0].is_pending());
        assert_eq!(decodes_of(&photo), 4);
        // Built together, they share one decode (counted by the store, and by the decoder
        // whatever path called it).
        let (editions, images) = build_sharing_images(&prepared, &request).unwrap();
        assert_eq!(images.decodes(), 1);
        assert!(!crate::images::screen_images(p, Some(&images))[0].is_pending());
        assert_eq!(decodes_of(&photo), 5);
        assert_eq!(editions.len(), 3);
        // PDFs in request order, then the EPUB.
        let names: Vec<String> = editions.iter().map(|e| e.kind.file_name("c")).collect();
        assert_eq!(names, ["c.large.pdf", "c.pdf", "c.epub"]);
        // And each got its own size: the EPUB's at most 4 MP, the PDFs' smaller still.
        let epub = editions
            .iter()
            .find(|e| e.kind.format.name() == "epub")
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

    /// One edition that fails (the talking book, its program missing) does not stop the
    /// others: they are written whole, in order, and the failed one is named with its reason.
    #[cfg(feature = "speech")]
    #[test]
    fn a_failing_edition_does_not_stop_the_others() {
        let (prepared, _) = crate::input::load_prepared(&["examples/nfd/nfd.toml".into()]).unwrap();
        let mut request = EditionRequest::new();
        request.formats = ["talking", "epub", "pdf"].map(format).to_vec();
        request.print_scales = vec![FontScale::LARGE];
        request.options_mut::<crate::speech::SpeechOptions>().espeak =
            crate::speech::Espeak::new(Some("/nonexistent/espeak-ng".into()), None);
        let outcomes = build_into(&prepared, &request, &InMemory).unwrap();
        let summary: Vec<String> = outcomes
            .iter()
            .map(|o| match o {
                Outcome::Written(w) => format!("{} {}", w.kind.file_name("n"), w.bytes > 1000),
                Outcome::Failed { kinds, error } => {
                    format!("{} failed: {}", kinds[0].file_name("n"), error.report())
                }
            })
            .collect();
        assert_eq!(summary.len(), 3, "{summary:?}");
        assert_eq!(summary[0], "n.large.pdf true");
        assert_eq!(summary[1], "n.epub true");
        assert!(
            summary[2].starts_with("n.talking.epub failed: error: ")
                && summary[2].contains("espeak-ng"),
            "{summary:?}"
        );
        // `build` (all or nothing) gives that error.
        let err = build(&prepared, &request).unwrap_err().report();
        assert!(err.contains("espeak-ng"), "{err}");
        // Without it, the others build alone.
        request.formats.retain(|f| f.name() != "talking");
        assert_eq!(build(&prepared, &request).unwrap().len(), 2);
    }

    #[test]
    fn page_list_follows_the_first_pdf_unless_named() {
        let mut r = EditionRequest::new();
        assert_eq!(r.page_list_scale(), None);
        r.print_scales = vec![FontScale::LARGE, FontScale::STANDARD];
        assert_eq!(r.page_list_scale(), Some(FontScale::LARGE));
        r.page_list = Some(FontScale::step(6));
        assert_eq!(r.page_list_scale(), Some(FontScale::step(6)));
        r.page_list = None;
        r.formats.retain(|f| f.name() != "pdf");
        assert_eq!(r.page_list_scale(), None, "no PDF, none named");
    }
}
