//! What catalogs say of an edition file's accessibility, in schema.org's words: a plain
//! value each edition fills in for itself (`editions::EditionUnit::accessibility`; the
//! EPUB's from its package metadata) and the server's OPDS feeds print.

/// The accessibility of one edition file in schema.org's words, as catalogs (the
/// Readium/OPDS `accessibility` object) say it; each edition declares its own
/// (`EditionUnit::accessibility`; the EPUB's from its package metadata).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Accessibility {
    /// Standards it conforms to, as URIs.
    pub conforms_to: Vec<&'static str>,
    /// `accessMode`.
    pub access_mode: Vec<&'static str>,
    /// `accessModeSufficient`: each a set of modes.
    pub access_mode_sufficient: Vec<Vec<&'static str>>,
    /// `feature`.
    pub feature: Vec<&'static str>,
    /// `hazard`.
    pub hazard: Vec<&'static str>,
    /// The summary.
    pub summary: String,
    /// The summary's language (`vi`, `en`).
    pub summary_lang: &'static str,
}
