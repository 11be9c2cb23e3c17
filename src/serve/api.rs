//! The server's contract as data: its routes and the query parameters of a submission.
//! The router (`routes.rs`) is built from it and the OpenAPI description (`openapi.rs`)
//! is written from it, so the two cannot disagree.

/// Every route: method and path (axum's `{param}` syntax, as in OpenAPI).
pub(crate) const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/openapi.json"),
    ("POST", "/v1/editions"),
    ("GET", "/v1/jobs/{id}"),
    ("GET", "/v1/jobs/{id}/files/{name}"),
    ("GET", "/opds/catalog.json"),
    ("GET", "/opds/catalog.xml"),
    ("GET", "/opds/search.xml"),
    ("GET", "/library/{id}/cover"),
    ("GET", "/library/{id}/files/{name}"),
    // The web page (docs/serve.md, "The web page").
    ("GET", "/"),
    ("POST", "/upload"),
    ("GET", "/jobs/{id}"),
    ("GET", "/jobs/{id}/files/{name}"),
    ("GET", "/library/{id}/preview"),
];

/// The media type of the web page's answers.
pub(crate) const PAGE_MEDIA_TYPE: &str = "text/html; charset=utf-8";

/// The word of the `preview` parameter: the server's own, taken out before the command
/// line's parser reads the others; a job with it also writes each PDF's first page as an
/// SVG image (`SLUG.large.preview.svg`).
pub(crate) const PREVIEW_WORD: &str = "--preview";

/// How a query parameter becomes the command line's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    /// `--name=value`.
    Value,
    /// `--name=a --name=b` for `a,b` (the CLI repeats this option).
    Repeated,
    /// `--name` when `true` (or empty), nothing when `false`.
    Flag,
}

/// The query parameters of `POST /v1/editions`: `anpham build`'s options, by the same
/// names. Options that name a file on the server (`--font`, `--pronunciations`,
/// `--braille-tables`) or its threads are not taken.
pub(crate) const QUERY: &[(&str, Param, &str)] = &[
    (
        "format",
        Param::Value,
        "Formats, comma-separated: epub, pdf, html, talking, brf, pef (as `anpham build --format`).",
    ),
    (
        "scale",
        Param::Repeated,
        "PDF font scales, comma-separated: a step -2…+6, a name (standard, large …) or a size (19pt).",
    ),
    ("epub-scale", Param::Value, "The EPUB's base text size."),
    (
        "page-list",
        Param::Value,
        "The PDF scale whose pages the EPUB page list follows.",
    ),
    ("page-size", Param::Value, "PDF page size: a4, a5, letter."),
    ("article-break", Param::Value, "share or page."),
    (
        "image-ppi",
        Param::Value,
        "Print resolution of PDF images: N or original.",
    ),
    (
        "pdf-standard",
        Param::Value,
        "ua-1, a-2u,ua-1, a-2a,ua-1 or a-3a,ua-1.",
    ),
    (
        "each",
        Param::Flag,
        "One set of editions per article of a bulletin.",
    ),
    ("name", Param::Value, "Output name (slug) of a bulletin."),
    ("title", Param::Value, "Title of a bulletin."),
    (
        "preview",
        Param::Flag,
        "Also write the first page of each PDF as an SVG image (SLUG.SCALE.preview.svg; the web page's preview).",
    ),
    (
        "repair",
        Param::Flag,
        "Repair stray control characters (each repair is a warning).",
    ),
    #[cfg(feature = "braille")]
    ("braille-grade", Param::Value, "Braille grade 0, 1 or 2."),
    #[cfg(feature = "braille")]
    ("braille-page", Param::Value, "Braille page COLSxROWS."),
    #[cfg(feature = "braille")]
    (
        "braille-volume-sheets",
        Param::Value,
        "Largest braille volume in sheets.",
    ),
    #[cfg(feature = "braille")]
    ("braille-duplex", Param::Flag, "Interpoint braille."),
    #[cfg(feature = "speech")]
    (
        "voice",
        Param::Value,
        "espeak-ng voice of the talking book.",
    ),
    #[cfg(feature = "speech")]
    (
        "speech-rate",
        Param::Value,
        "Speech rate, words per minute (80–450).",
    ),
];
