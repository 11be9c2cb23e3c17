//! The PDF edition in the registry ([`crate::editions`]): `pdf`, one tagged PDF/UA-1
//! (+ PDF/A-2a by default) per font scale, drawn from the layout at that scale.

use std::sync::Arc;

use rayon::prelude::*;

use super::{WriteSettings, write_pdf_to};
use crate::editions::{
    Context, EditionKind, EditionRequest, EditionUnit, Files, Format, FormatInfo,
};
use crate::error::Result;
use crate::images::ImagePlan;
use crate::scale::FontScale;

/// The PDF edition.
pub(crate) static PDF: Pdf = Pdf;

/// ISO 14289-1 (PDF/UA-1), the standard anpham's PDFs claim, as catalogs name it.
const PDF_UA_1_URI: &str = "https://www.iso.org/standard/64599.html";

/// The PDF edition (see the module).
pub(crate) struct Pdf;

const FORMATS: &[FormatInfo] = &[FormatInfo {
    name: "pdf",
    about: "Tagged PDF/UA-1 and PDF/A-2a, one per --scale (SLUG.pdf, SLUG.large.pdf …)",
    media_type: "application/pdf",
    extension: ".pdf",
    by_default: true,
    manifest_default: false,
    per_scale: true,
    label: |w| w.edition_pdf,
}];

impl EditionUnit for Pdf {
    fn family(&self) -> &'static str {
        "pdf"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    fn kinds(&self, format: Format, request: &EditionRequest) -> Vec<EditionKind> {
        request
            .printed_scales()
            .into_iter()
            .map(|s| EditionKind {
                format,
                scale: Some(s),
            })
            .collect()
    }

    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        request.printed_scales()
    }

    fn draws_pages(&self) -> bool {
        true
    }

    fn plan_images(&self, build: &Context<'_>, kinds: &[EditionKind], plan: &mut ImagePlan) {
        for scale in kinds.iter().filter_map(|k| k.scale) {
            if let Some((lay, _)) = build.layout(scale) {
                plan.add_print(build.prepared, lay, build.request.image_ppi);
            }
        }
    }

    /// The PDFs, in parallel, each with the time of its layout.
    /// The text edition's access modes (the same text and described figures, as
    /// `editions::text_accessibility` derives them), the features a tagged PDF of anpham
    /// keeps (`structuralNavigation`, `tableOfContents` — its outline —, `readingOrder`,
    /// `alternativeText`, `largePrint` at large scales) and `taggedPDF`; it conforms to
    /// PDF/UA-1 (ISO 14289-1).
    fn accessibility(
        &self,
        p: &crate::model::Publication,
        kind: EditionKind,
        _request: &EditionRequest,
        text: &dyn Fn(FontScale) -> crate::editions::Accessibility,
    ) -> Option<crate::editions::Accessibility> {
        let scale = kind.scale.unwrap_or(FontScale::LARGE);
        let text = text(scale);
        let mut feature: Vec<&'static str> = text
            .feature
            .iter()
            .copied()
            .filter(|f| {
                [
                    "structuralNavigation",
                    "tableOfContents",
                    "readingOrder",
                    "alternativeText",
                    "largePrint",
                ]
                .contains(f)
            })
            .collect();
        feature.push("taggedPDF");
        let (summary_lang, summary) =
            crate::labels::pdf_summary(&p.lang, scale.body_pt(), scale.is_large_print());
        Some(crate::editions::Accessibility {
            conforms_to: vec![PDF_UA_1_URI],
            access_mode: text.access_mode,
            access_mode_sufficient: text.access_mode_sufficient,
            feature,
            hazard: text.hazard,
            summary,
            summary_lang,
        })
    }

    /// The large-print claim and the summary (which gives the body size) of `scale`.
    fn rescaled_accessibility(
        &self,
        mut listed: crate::editions::Accessibility,
        lang: &str,
        scale: FontScale,
    ) -> crate::editions::Accessibility {
        listed.feature.retain(|f| *f != "largePrint");
        if scale.is_large_print() {
            listed.feature.push("largePrint");
        }
        (listed.summary_lang, listed.summary) =
            crate::labels::pdf_summary(lang, scale.body_pt(), scale.is_large_print());
        listed
    }

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        kinds.par_iter().for_each(|kind| {
            let Some((lay, layout_seconds)) = kind.scale.and_then(|s| build.layout(s)) else {
                files.write(*kind, None, 0.0, &mut |_| {
                    Err(crate::pdf::error("no layout at this scale"))
                });
                return;
            };
            let settings = WriteSettings {
                date: Some(build.date),
                image_ppi: build.request.image_ppi,
                standard: *build.request.options::<super::PdfStandard>(),
                images: Some(Arc::clone(&build.images)),
            };
            // Captions that run on to the next page, each with its place.
            for w in &lay.warnings {
                files.warn(*kind, w.clone());
            }
            files.write(
                *kind,
                Some(lay.pages.len()),
                layout_seconds,
                &mut |mut out| write_pdf_to(build.prepared, lay, &settings, &mut out),
            );
        });
        Ok(())
    }
}
