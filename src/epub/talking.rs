//! The talking book in the registry ([`crate::editions`]): `talking`, the EPUB with
//! sentence-synchronised speech (Media Overlays). Speech ([`crate::speech`]: the script,
//! espeak-ng, the MP3 files) makes the narration; this module packs it into the book.

use std::io::{Seek, Write};

use super::EpubOptions;
use super::edition::options;
use crate::editions::{Context, EditionKind, EditionRequest, EditionUnit, Files, FormatInfo};
use crate::error::Result;
use crate::images::ImagePlan;
use crate::markup::narration::Overlay;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::speech::{Espeak, PROGRAM_ENV, narrate};

/// The talking-book edition.
pub(crate) static TALKING_BOOK: TalkingBook = TalkingBook;

/// The talking-book edition (see the module).
pub(crate) struct TalkingBook;

const FORMATS: &[FormatInfo] = &[FormatInfo {
    name: "talking",
    about: "The talking-book EPUB (SLUG.talking.epub): Media Overlays with espeak-ng speech",
    media_type: "application/epub+zip",
    extension: ".talking.epub",
    by_default: false,
    manifest_default: false,
    per_scale: false,
    label: |w| w.edition_talking,
}];

impl EditionUnit for TalkingBook {
    fn family(&self) -> &'static str {
        "talking"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    /// The page list of the EPUB, which it is.
    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        request.page_list_scales()
    }

    /// espeak-ng's version line (empty when it cannot be run: the build then fails).
    fn tool_version(&self, request: &EditionRequest) -> Option<String> {
        Some(format!(
            "espeak-ng {}",
            request
                .options::<crate::speech::SpeechOptions>()
                .espeak
                .version()
                .unwrap_or_default()
        ))
    }

    fn plan_images(&self, build: &Context<'_>, _: &[EditionKind], plan: &mut ImagePlan) {
        plan.add_screen(build.prepared);
    }

    /// The EPUB's accessibility metadata with what the narration adds (`auditory`,
    /// `synchronizedAudioText`), as its writer derives it.
    fn accessibility(
        &self,
        p: &crate::model::Publication,
        _kind: EditionKind,
        request: &EditionRequest,
        _text: &dyn Fn(FontScale) -> crate::editions::Accessibility,
    ) -> Option<crate::editions::Accessibility> {
        Some(super::book_accessibility(p, request.screen_scale, true))
    }

    /// espeak-ng runs (checked once per process).
    fn available(&self) -> bool {
        static RUNS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *RUNS.get_or_init(|| {
            Espeak::new(
                std::env::var_os(PROGRAM_ENV).map(std::path::PathBuf::from),
                None,
            )
            .version()
            .is_ok()
        })
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        let options = options(build);
        for kind in kinds {
            files.write(*kind, None, 0.0, &mut |mut out| {
                let overlay = narrate(
                    build.prepared,
                    &build.request.options::<crate::speech::SpeechOptions>(),
                )?;
                // What the speech could not say (shown without audio, or read with its
                // neighbour), each with its place, in the edition's outcome.
                for w in &overlay.warnings {
                    files.warn(*kind, w.clone());
                }
                write_talking_epub_to(build.prepared, &options, &overlay, &mut out)
                    .map_err(|e| build.prepared.locate(e))
            });
        }
        Ok(())
    }
}

/// Writes the narrated EPUB of `publication` into `out`: the EPUB of
/// [`super::write_epub`] with the Media Overlays of `overlay` (one per article).
fn write_talking_epub_to<W: Write + Seek + Send>(
    publication: &Prepared,
    options: &EpubOptions,
    overlay: &Overlay,
    out: &mut W,
) -> Result<()> {
    if overlay.documents.len() != publication.articles.len() {
        return Err(crate::epub::error(format!(
            "the narration has {} document(s) for {} article(s)",
            overlay.documents.len(),
            publication.articles.len()
        )));
    }
    if overlay.title_page.is_some() != publication.is_bulletin() {
        return Err(crate::epub::error(
            "the narration has a title page if and only if the publication is a bulletin",
        ));
    }
    super::write_epub_with_overlay(publication, options, Some(overlay), out)
}
