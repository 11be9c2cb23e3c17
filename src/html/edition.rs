//! The HTML edition in the registry ([`crate::editions`]): `html`, the article or bulletin as
//! one self-contained accessible page, its page anchors following a print edition's pages
//! as every reflowable edition's page list does.

use super::{HtmlOptions, write_html};
use crate::editions::{Context, EditionKind, EditionRequest, EditionUnit, Files, FormatInfo};
use crate::error::Result;
use crate::images::ImagePlan;
use crate::scale::FontScale;

/// The HTML edition.
pub(crate) static HTML: Html = Html;

/// The HTML edition (see the module).
pub(crate) struct Html;

const FORMATS: &[FormatInfo] = &[FormatInfo {
    name: "html",
    about: "Accessible single-file HTML page (SLUG.html)",
    media_type: "text/html",
    extension: ".html",
    by_default: false,
    manifest_default: false,
    per_scale: false,
    label: |w| w.edition_html,
}];

impl EditionUnit for Html {
    fn family(&self) -> &'static str {
        "html"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        request.page_list_scales()
    }

    fn plan_images(&self, build: &Context<'_>, _: &[EditionKind], plan: &mut ImagePlan) {
        // The page embeds the images a book does: counted as one more book, so that a
        // decode it shares with the others is made once.
        plan.add_screen(build.prepared);
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        let scale = build.request.screen_scale;
        let mut options = HtmlOptions::new(scale);
        options.fonts = build.request.fonts(scale);
        options.images = Some(build.images.clone());
        let page_map = build.followed_page_map();
        for kind in kinds {
            files.write(*kind, None, 0.0, &mut |out| {
                let page = write_html(build.prepared, &options, page_map)
                    .map_err(|e| build.prepared.locate(e))?;
                out.write_all(&page)
                    .map_err(|e| crate::html::error(format!("cannot write the page: {e}")))
            });
        }
        Ok(())
    }
}
