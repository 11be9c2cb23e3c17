//! The braille editions in the registry ([`crate::editions`]): `brf` (Braille Ready
//! Format, ASCII braille for embossers) and `pef` (Portable Embosser Format), made from one
//! translation, their print page indicators following the large-print PDF's pages.

use std::time::Instant;

use crate::editions::{Context, EditionKind, EditionRequest, EditionUnit, Files, FormatInfo};
use crate::error::Result;
use crate::scale::FontScale;

/// The braille editions.
pub(crate) static BRAILLE: Braille = Braille;

/// The braille editions (see the module).
pub(crate) struct Braille;

const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        name: "brf",
        about: "Braille Ready Format, ASCII braille (SLUG.brf)",
        media_type: "application/x-brf",
        extension: ".brf",
        by_default: false,
        manifest_default: false,
        per_scale: false,
        label: |w| w.edition_braille_text,
    },
    FormatInfo {
        name: "pef",
        about: "Portable Embosser Format, PEF 2008-1 (SLUG.pef)",
        media_type: "application/x-pef+xml",
        extension: ".pef",
        by_default: false,
        manifest_default: false,
        per_scale: false,
        label: |w| w.edition_braille_xml,
    },
];

/// The scale whose page map the print page indicators follow: the large edition when one
/// is built, else the first PDF, else a large layout made only for its page map.
fn page_map_scale(request: &EditionRequest) -> FontScale {
    let pdfs = request.printed_scales();
    if pdfs.contains(&FontScale::LARGE) {
        FontScale::LARGE
    } else {
        pdfs.first().copied().unwrap_or(FontScale::LARGE)
    }
}

impl EditionUnit for Braille {
    fn family(&self) -> &'static str {
        "braille"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        vec![page_map_scale(request)]
    }

    fn tool_version(&self, _request: &EditionRequest) -> Option<String> {
        Some(format!("liblouis {}", super::liblouis_version()))
    }

    /// One translation, then each file; the translation's time is counted with the first.
    /// Tactile, sufficient alone; feature `braille`.
    fn accessibility(
        &self,
        p: &crate::model::Publication,
        _kind: EditionKind,
        request: &EditionRequest,
        _text: &dyn Fn(FontScale) -> crate::editions::Accessibility,
    ) -> Option<crate::editions::Accessibility> {
        let b = request.options::<super::BrailleOptions>();
        let (summary_lang, summary) = crate::labels::braille_summary(
            &p.lang,
            b.grade.number(),
            b.geometry.cols,
            b.geometry.rows,
        );
        Some(crate::editions::Accessibility {
            conforms_to: Vec::new(),
            access_mode: vec!["tactile"],
            access_mode_sufficient: vec![vec!["tactile"]],
            feature: vec!["braille"],
            hazard: vec!["none"],
            summary,
            summary_lang,
        })
    }

    /// liblouis loads.
    fn available(&self) -> bool {
        super::available().is_ok()
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        let t = Instant::now();
        let mut options = build
            .request
            .options::<super::BrailleOptions>()
            .into_owned();
        options.date = build.date;
        let page_map = build.page_map(page_map_scale(build.request));
        let braille = super::write_braille(build.prepared, page_map, &options)?;
        let mut seconds = t.elapsed().as_secs_f64();
        for kind in kinds {
            let bytes = if kind.format.name() == "brf" {
                &braille.brf
            } else {
                &braille.pef
            };
            // Characters the table lacks, written by a fallback: a warning on each file.
            for w in &braille.warnings {
                files.warn(*kind, w.clone());
            }
            files.write(*kind, Some(braille.pages()), seconds, &mut |out| {
                out.write_all(bytes).map_err(|e| {
                    crate::braille::error(format!("cannot write the braille edition: {e}"))
                })
            });
            seconds = 0.0;
        }
        Ok(())
    }
}
