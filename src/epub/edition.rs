//! The EPUB edition in the registry ([`crate::editions`]): `epub`, the accessible EPUB 3,
//! its page list following a print edition's pages.

use super::{EpubOptions, write_epub_to};
use crate::editions::{Context, EditionKind, EditionRequest, EditionUnit, Files, FormatInfo};
use crate::error::Result;
use crate::images::ImagePlan;
use crate::scale::FontScale;

/// The EPUB edition.
pub(crate) static EPUB: Epub = Epub;

/// The EPUB edition (see the module).
pub(crate) struct Epub;

const FORMATS: &[FormatInfo] = &[FormatInfo {
    name: "epub",
    about: "Accessible EPUB 3 (SLUG.epub)",
    media_type: "application/epub+zip",
    extension: ".epub",
    by_default: true,
    manifest_default: true,
    per_scale: false,
    label: |w| w.edition_epub,
}];

/// The options of an EPUB of this build (also those of the narrated EPUB): its scale and
/// fonts, the page map it follows, the build's date and images.
pub(crate) fn options(build: &Context<'_>) -> EpubOptions {
    let mut options = EpubOptions::new(build.request.screen_scale);
    options.fonts = build.request.fonts(options.scale);
    options.page_map = build.followed_page_map().cloned();
    options.modified = Some(build.date);
    options.images = Some(build.images.clone());
    options
}

impl EditionUnit for Epub {
    fn family(&self) -> &'static str {
        "epub"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        request.page_list_scales()
    }

    fn plan_images(&self, build: &Context<'_>, _: &[EditionKind], plan: &mut ImagePlan) {
        plan.add_screen(build.prepared);
    }

    /// The package's accessibility metadata as the writer derives it
    /// (`super::discovery_metadata`), conforming to EPUB Accessibility 1.1 / WCAG 2.2 AA.
    fn accessibility(
        &self,
        p: &crate::model::Publication,
        _kind: EditionKind,
        request: &EditionRequest,
        _text: &dyn Fn(FontScale) -> crate::editions::Accessibility,
    ) -> Option<crate::editions::Accessibility> {
        Some(super::book_accessibility(p, request.screen_scale, false))
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        let options = options(build);
        for kind in kinds {
            files.write(*kind, None, 0.0, &mut |mut out| {
                // An image made when written that fails is placed like the plan's.
                write_epub_to(build.prepared, &options, &mut out)
                    .map_err(|e| build.prepared.locate(e))
            });
        }
        Ok(())
    }
}
