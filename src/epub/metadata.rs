//! The package metadata: Dublin Core, the accessibility metadata derived from the
//! content (access modes, features, summary) and, for a narrated EPUB (Media Overlays),
//! what the audio adds.

use super::{CONFORMS_TO, EpubOptions, opf};
use crate::markup::css;
use crate::markup::embed::texts_of;
use crate::model::Publication;
use crate::timestamp::Timestamp;

/// The package metadata, accessibility metadata derived from the content.
pub(super) fn metadata(p: &Publication, options: &EpubOptions, pages: usize) -> opf::Metadata {
    let figures: Vec<_> = p.figures().map(|(_, f)| f).collect();
    let described = figures.iter().filter(|f| !f.decorative).count();
    let decorative = figures.len() - described;
    let all_described = figures
        .iter()
        .filter(|f| !f.decorative)
        .all(|f| f.alt.as_deref().is_some_and(|a| !a.trim().is_empty()));
    let has_page_list = pages > 0 && options.page_map.is_some();
    let large = options.scale.is_large_print();

    let (access_modes, sufficient) = access_modes(figures.len(), all_described);
    let features = features(described, all_described, has_page_list, large);
    let foreign = has_foreign_passages(p);
    let page_source = has_page_list
        .then(|| options.page_map.as_ref().map(|m| m.source.clone()))
        .flatten();
    let facts = crate::labels::SummaryFacts {
        articles: p.articles.len(),
        described_images: described,
        decorative_images: decorative,
        page_source: page_source.clone(),
        pages,
        large_print: large,
        base_percent: css::num(options.scale.reflow_percent()).replace(
            '.',
            if crate::labels::is_lang(&p.lang, "vi") {
                ","
            } else {
                "."
            },
        ),
        foreign_passages: foreign,
    };
    let creators = p.authors();
    opf::Metadata {
        identifier: p.stable_identifier(),
        source: None,
        title: p.title.clone(),
        lang: p.lang.clone(),
        creators,
        publisher: p.publisher.clone(),
        date: p.date.clone(),
        description: p.description.clone(),
        modified: options
            .modified
            .unwrap_or_else(|| Timestamp::of_publication(p.date.as_deref()))
            .iso8601(),
        access_modes,
        access_mode_sufficient: sufficient,
        features,
        hazards: vec!["none"],
        summary: crate::labels::summary(p, &facts),
        page_break_source: page_source.map(|s| {
            if s.trim().is_empty() {
                "print edition".into()
            } else {
                s
            }
        }),
        conforms_to: CONFORMS_TO,
        certified_by: options
            .certified_by
            .clone()
            .or_else(|| p.publisher.clone())
            .unwrap_or_else(|| "anpham".into()),
    }
}

/// `schema:accessMode` and `schema:accessModeSufficient`: textual, and visual when there
/// are figures; textual alone suffices when every figure is described.
fn access_modes(figures: usize, all_described: bool) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut access_modes = vec!["textual"];
    let mut sufficient = Vec::new();
    if all_described {
        sufficient.push("textual");
    }
    if figures > 0 {
        access_modes.push("visual");
        sufficient.push("textual,visual");
    }
    (access_modes, sufficient)
}

/// `schema:accessibilityFeature`, in the order written.
fn features(
    described: usize,
    all_described: bool,
    has_page_list: bool,
    large: bool,
) -> Vec<&'static str> {
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    if described > 0 && all_described {
        features.push("alternativeText");
    }
    features.push("ARIA");
    features.push("displayTransformability");
    if has_page_list {
        features.push("pageNavigation");
        features.push("printPageNumbers");
    }
    if large {
        features.push("largePrint");
    }
    features.push("highContrastDisplay");
    features
}

/// Whether any article or span is in another language than the publication's.
fn has_foreign_passages(p: &Publication) -> bool {
    p.articles.iter().enumerate().any(|(i, a)| {
        let lang = p.article_lang(i);
        !lang.eq_ignore_ascii_case(&p.lang)
            || texts_of(a).any(|t| {
                t.spans.iter().any(|s| {
                    s.lang
                        .as_deref()
                        .is_some_and(|l| !l.eq_ignore_ascii_case(lang))
                })
            })
    })
}

/// The accessibility metadata of a narrated EPUB: the auditory access mode, sufficient
/// on its own, and synchronised audio text; the summary says so.
pub(super) fn talking_metadata(m: &mut opf::Metadata) {
    // A different publication from the EPUB (it adds the audio): its own identifier, made
    // from the EPUB's, which it names as its source.
    let epub_id = std::mem::take(&mut m.identifier);
    m.identifier = talking_identifier(&epub_id);
    m.source = Some(epub_id);
    m.access_modes.push("auditory");
    m.access_mode_sufficient.push("auditory");
    m.access_mode_sufficient.push("textual,auditory");
    m.features.push("synchronizedAudioText");
    m.summary
        .1
        .push_str(crate::labels::narrated_summary(m.summary.0));
}

/// A narrated EPUB's `dc:identifier`: a `urn:uuid:` made from a SHA-256 of the plain
/// EPUB's identifier (so the same EPUB always gives the same narrated identifier, and never
/// the EPUB's own). The salt's words are part of every identifier made so far.
pub(super) fn talking_identifier(epub_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"anpham talking book\0");
    h.update(epub_id.as_bytes());
    crate::model::uuid_of(&h.finalize())
}

#[cfg(test)]
mod talking_tests {
    use super::*;

    #[test]
    fn the_talking_book_has_its_own_identifier() {
        let a = talking_identifier("urn:uuid:0b7a7b4e-3f0a-8c51-9d2e-6f1a2b3c4d5e");
        assert_eq!(
            a,
            talking_identifier("urn:uuid:0b7a7b4e-3f0a-8c51-9d2e-6f1a2b3c4d5e")
        );
        assert_ne!(a, talking_identifier("urn:isbn:9786040000000"));
        assert!(a.starts_with("urn:uuid:") && a.len() == 45, "{a}");
        assert_ne!(a, "urn:uuid:0b7a7b4e-3f0a-8c51-9d2e-6f1a2b3c4d5e");
    }
}
