//! The PDF edition in the registry ([`crate::editions`]): `pdf`, one tagged PDF/UA-1
//! (+ PDF/A-2a by default) per font scale, drawn from the layout at that scale.

use std::sync::Arc;

use rayon::prelude::*;

use super::{WriteSettings, write_pdf_to};
use crate::editions::{
    Context, EditionKind, EditionRequest, EditionUnit, Files, Format, FormatInfo,
};
use crate::error::{Error, Result};
use crate::images::ImagePlan;
use crate::pagemap::PageMap;
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

/// The scales of the PDFs `request` asks for, each once, in request order.
pub(crate) fn scales(request: &EditionRequest) -> Vec<FontScale> {
    let mut out: Vec<FontScale> = Vec::new();
    if request.wants("pdf") {
        for s in &request.pdf_scales {
            if !out.contains(s) {
                out.push(*s);
            }
        }
    }
    out
}

/// The scale whose pages a reflowable edition marks (a book's page list, a web page's):
/// the one named (`--page-list`), else the first PDF's.
pub(crate) fn page_list_scale(request: &EditionRequest) -> Option<FontScale> {
    request
        .page_list
        .or_else(|| scales(request).first().copied())
}

/// The scales a reflowable edition needs laid out for its page markers: the one whose pages
/// it marks ([`page_list_scale`]), if any.
pub(crate) fn page_list_scales(request: &EditionRequest) -> Vec<FontScale> {
    page_list_scale(request).into_iter().collect()
}

/// The page map a reflowable edition of this build marks (see [`page_list_scale`]).
pub(crate) fn followed_page_map<'b>(build: &'b Context<'_>) -> Option<&'b PageMap> {
    page_list_scale(build.request).and_then(|s| build.page_map(s))
}

impl EditionUnit for Pdf {
    fn family(&self) -> &'static str {
        "pdf"
    }

    fn formats(&self) -> &'static [FormatInfo] {
        FORMATS
    }

    fn kinds(&self, format: Format, request: &EditionRequest) -> Vec<EditionKind> {
        scales(request)
            .into_iter()
            .map(|s| EditionKind {
                format,
                scale: Some(s),
            })
            .collect()
    }

    fn scales(&self, request: &EditionRequest) -> Vec<FontScale> {
        scales(request)
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
    ) -> Option<crate::editions::Accessibility> {
        let scale = kind.scale.unwrap_or(FontScale::LARGE);
        let text = crate::editions::text_accessibility(p, scale);
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

    fn write(&self, build: &Context<'_>, kinds: &[EditionKind], files: &dyn Files) -> Result<()> {
        kinds.par_iter().for_each(|kind| {
            let Some((lay, layout_seconds)) = kind.scale.and_then(|s| build.layout(s)) else {
                files.write(*kind, None, 0.0, &mut |_| {
                    Err(Error::Pdf("no layout at this scale".into()))
                });
                return;
            };
            let settings = WriteSettings {
                date: Some(build.date),
                image_ppi: build.request.image_ppi,
                standard: build.request.pdf_standard,
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
