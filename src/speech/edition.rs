//! The talking book in the registry ([`crate::editions`]): `talking`, the EPUB with
//! sentence-synchronised speech (Media Overlays), spoken by espeak-ng.

use crate::editions::{Context, EditionKind, EditionRequest, EditionUnit, Files, FormatInfo};
use crate::epub::overlay::write_talking_epub_to;
use crate::error::Result;
use crate::images::ImagePlan;
use crate::scale::FontScale;

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
        crate::epub::edition::page_list_scales(request)
    }

    /// espeak-ng's version line (empty when it cannot be run: the build then fails).
    fn tool_version(&self, request: &EditionRequest) -> Option<String> {
        Some(format!(
            "espeak-ng {}",
            request
                .options::<super::SpeechOptions>()
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
        Some(crate::epub::accessibility_of(
            &crate::epub::discovery_metadata(p, request.screen_scale, true),
        ))
    }

    /// espeak-ng runs (checked once per process).
    fn available(&self) -> bool {
        static RUNS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *RUNS.get_or_init(|| {
            super::Espeak::new(
                std::env::var_os(super::PROGRAM_ENV).map(std::path::PathBuf::from),
                None,
            )
            .version()
            .is_ok()
        })
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        let options = crate::epub::edition::options(build);
        for kind in kinds {
            files.write(*kind, None, 0.0, &mut |mut out| {
                let overlay = super::narrate(
                    build.prepared,
                    &build.request.options::<super::SpeechOptions>(),
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
