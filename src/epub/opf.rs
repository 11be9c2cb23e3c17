//! The package document (`package.opf`): metadata, including the EPUB Accessibility 1.1
//! discovery metadata derived from the content, the manifest and the spine.

use crate::xml::{attr, escape_into};

/// A manifest item.
#[derive(Debug, Clone)]
pub struct Item {
    /// Manifest id (an XML name).
    pub id: String,
    /// Path relative to the package document.
    pub href: String,
    /// Media type.
    pub media_type: &'static str,
    /// `properties` (e.g. `nav`), if any.
    pub properties: Option<&'static str>,
    /// In the spine, and whether linear.
    pub spine: Option<bool>,
}

/// Everything the metadata says.
#[derive(Debug, Clone, Default)]
pub struct Metadata {
    /// `dc:identifier`.
    pub identifier: String,
    /// `dc:source`: the identifier of the publication this one is made from (a narrated
    /// EPUB names the plain EPUB it adds audio to).
    pub source: Option<String>,
    /// `dc:title`.
    pub title: String,
    /// `dc:language` and the package's `xml:lang`.
    pub lang: String,
    /// `dc:creator`s, in order, without repeats.
    pub creators: Vec<String>,
    /// `dc:publisher`.
    pub publisher: Option<String>,
    /// `dc:date`.
    pub date: Option<String>,
    /// `dc:description`.
    pub description: Option<String>,
    /// `dcterms:modified`.
    pub modified: String,
    /// `schema:accessMode` values.
    pub access_modes: Vec<&'static str>,
    /// `schema:accessModeSufficient` values (each a comma-separated set).
    pub access_mode_sufficient: Vec<&'static str>,
    /// `schema:accessibilityFeature` values.
    pub features: Vec<&'static str>,
    /// `schema:accessibilityHazard` values.
    pub hazards: Vec<&'static str>,
    /// `schema:accessibilitySummary`: (language, text).
    pub summary: (&'static str, String),
    /// `pageBreakSource`, when there is a page list.
    pub page_break_source: Option<String>,
    /// `dcterms:conformsTo`.
    pub conforms_to: &'static str,
    /// `a11y:certifiedBy`.
    pub certified_by: String,
}

pub(crate) use crate::accessibility::Accessibility;

fn element(out: &mut String, name: &str, attrs: &[(&str, &str)], text: &str) {
    out.push_str("    <");
    out.push_str(name);
    for (k, v) in attrs {
        attr(out, k, v);
    }
    out.push('>');
    escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

fn meta(out: &mut String, property: &str, text: &str) {
    element(out, "meta", &[("property", property)], text);
}

/// Media Overlay additions to a package document.
#[derive(Debug, Clone, Default)]
pub struct MediaOverlays {
    /// `(content document item id, SMIL item id)`: `media-overlay` on the first.
    pub items: Vec<(String, String)>,
    /// `(SMIL item id, duration clock value)`: `media:duration` refining each overlay.
    pub durations: Vec<(String, String)>,
    /// The total `media:duration`.
    pub total: String,
    /// `media:narrator`.
    pub narrator: String,
    /// `media:active-class`.
    pub active_class: String,
}

/// Writes the package document; with Media Overlay metadata and `media-overlay`
/// attributes when `overlays` is given.
///
/// Long (over 80 lines) on purpose: it writes the package document element by element
/// (metadata, accessibility metadata, manifest, spine) in the order the file has them.
pub fn package_document(m: &Metadata, items: &[Item], overlays: Option<&MediaOverlays>) -> String {
    let mut out = String::with_capacity(4096 + items.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"pub-id\"");
    attr(&mut out, "xml:lang", &m.lang);
    out.push_str(">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    element(
        &mut out,
        "dc:identifier",
        &[("id", "pub-id")],
        &m.identifier,
    );
    element(&mut out, "dc:title", &[("id", "title")], &m.title);
    element(&mut out, "dc:language", &[], &m.lang);
    for (i, c) in m.creators.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        element(&mut out, "dc:creator", &[("id", &id)], c);
        element(
            &mut out,
            "meta",
            &[
                ("refines", &format!("#{id}")),
                ("property", "role"),
                ("scheme", "marc:relators"),
            ],
            "aut",
        );
    }
    if let Some(p) = &m.publisher {
        element(&mut out, "dc:publisher", &[], p);
    }
    if let Some(d) = &m.date {
        element(&mut out, "dc:date", &[], d);
    }
    if let Some(d) = &m.description {
        element(&mut out, "dc:description", &[], d);
    }
    if let Some(s) = &m.source {
        element(&mut out, "dc:source", &[], s);
    }
    meta(&mut out, "dcterms:modified", &m.modified);
    for v in &m.access_modes {
        meta(&mut out, "schema:accessMode", v);
    }
    for v in &m.access_mode_sufficient {
        meta(&mut out, "schema:accessModeSufficient", v);
    }
    for v in &m.features {
        meta(&mut out, "schema:accessibilityFeature", v);
    }
    for v in &m.hazards {
        meta(&mut out, "schema:accessibilityHazard", v);
    }
    let (summary_lang, summary) = &m.summary;
    if m.lang.split('-').next() == Some(summary_lang) {
        meta(&mut out, "schema:accessibilitySummary", summary);
    } else {
        element(
            &mut out,
            "meta",
            &[
                ("property", "schema:accessibilitySummary"),
                ("xml:lang", summary_lang),
            ],
            summary,
        );
    }
    if let Some(src) = &m.page_break_source {
        meta(&mut out, "pageBreakSource", src);
    }
    element(
        &mut out,
        "meta",
        &[("property", "dcterms:conformsTo"), ("id", "conformance")],
        m.conforms_to,
    );
    element(
        &mut out,
        "meta",
        &[
            ("property", "a11y:certifiedBy"),
            ("refines", "#conformance"),
        ],
        &m.certified_by,
    );
    if let Some(mo) = overlays {
        for (id, d) in &mo.durations {
            element(
                &mut out,
                "meta",
                &[
                    ("property", "media:duration"),
                    ("refines", &format!("#{id}")),
                ],
                d,
            );
        }
        meta(&mut out, "media:duration", &mo.total);
        meta(&mut out, "media:narrator", &mo.narrator);
        meta(&mut out, "media:active-class", &mo.active_class);
    }
    out.push_str("  </metadata>\n  <manifest>\n");
    for it in items {
        out.push_str("    <item");
        attr(&mut out, "id", &it.id);
        attr(&mut out, "href", &it.href);
        attr(&mut out, "media-type", it.media_type);
        if let Some(p) = it.properties {
            attr(&mut out, "properties", p);
        }
        if let Some((_, smil)) = overlays.and_then(|mo| mo.items.iter().find(|(d, _)| *d == it.id))
        {
            attr(&mut out, "media-overlay", smil);
        }
        out.push_str("/>\n");
    }
    out.push_str("  </manifest>\n  <spine>\n");
    for it in items {
        if let Some(linear) = it.spine {
            out.push_str("    <itemref");
            attr(&mut out, "idref", &it.id);
            if !linear {
                out.push_str(" linear=\"no\"");
            }
            out.push_str("/>\n");
        }
    }
    out.push_str("  </spine>\n</package>\n");
    out
}
