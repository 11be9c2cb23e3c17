//! **anpham** (*ấn phẩm*, "publication") turns structured news articles into accessible
//! EPUB 3 and large-print, tagged PDF/UA-1 editions, with font scales that mirror a news
//! portal's "Tăng cỡ chữ / Giảm cỡ chữ" (enlarge / shrink text) buttons.
//!
//! Data flows one way, one stage per module: [`input`] (JSON, TOML, Markdown) →
//! `prepare` (a checked [`Prepared`] publication: NFC, every rule, images, font
//! coverage) → `layout` (shaping, line breaking, pagination: a [`layout::Layout`] with
//! its page map) → `pdf` / `epub` writers, with [`editions`] building a set of them
//! in memory. `address` names every readable part of an article once; `docs/architecture.md`
//! says who may call whom.
//!
//! ```
//! use anpham::editions::{self, EditionRequest};
//! use anpham::{FontScale, input};
//!
//! let (prepared, _manifest) = input::load_prepared(&["examples/bac-kan/bac-kan.md".into()])?;
//! // A large-print PDF (Be Vietnam Pro 18 pt, A5) and an EPUB whose page list follows
//! // it, both dated with the article's date.
//! let mut request = EditionRequest::new();
//! request.print_scales = vec![FontScale::LARGE];
//! let built = editions::build(&prepared, &request)?;
//! # let out = tempfile::tempdir()?;
//! # let out = out.path();
//! for edition in &built {
//!     std::fs::write(out.join(edition.kind.file_name("bac-kan")), &edition.bytes)?;
//! }
//! # // The two editions carry the same date: the article's (2022-11-10).
//! # let pdf = built.iter().find(|e| e.kind.format.name() == "pdf").unwrap();
//! # let pdf_text = String::from_utf8_lossy(&pdf.bytes);
//! # assert!(pdf_text.contains("/CreationDate(D:20221110000000Z)"));
//! # let epub = built.iter().find(|e| e.kind.format.name() == "epub").unwrap();
//! # let epub = std::fs::File::open(out.join(epub.kind.file_name("bac-kan")))?;
//! # let mut opf = String::new();
//! # std::io::Read::read_to_string(&mut zip::ZipArchive::new(epub)?.by_name("EPUB/package.opf")?, &mut opf)?;
//! # assert!(opf.contains(r#"<meta property="dcterms:modified">2022-11-10T00:00:00Z</meta>"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(unsafe_code)]
#![deny(missing_docs)]

// The facade (issue #27): what an embedder uses is public and documented, everything
// else is `pub(crate)`; `scripts/count-public-items.py` counts it.
pub(crate) mod accessibility;
pub(crate) mod address;
pub(crate) mod atomic_file;
pub(crate) mod batch;
pub(crate) mod cli;
pub mod editions;
// The editions' own modules are declared with their registry (`editions::units`), so that
// adding an edition touches one place; they keep their short paths (`crate::` + name).
pub(crate) use editions::units::*;
pub(crate) mod error;
pub(crate) mod fonts;
pub(crate) mod images;
#[cfg(feature = "import")]
pub mod import;
pub mod input;
pub(crate) mod labels;
pub(crate) mod layout;
pub(crate) mod markup;
pub mod model;
pub(crate) mod output;
pub(crate) mod pagemap;
pub(crate) mod prepare;
pub(crate) mod scale;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod shape;
pub(crate) mod source_text;
#[cfg(test)]
mod test_support;
pub(crate) mod timestamp;
pub(crate) mod validate;
pub(crate) mod xml;

pub use batch::check;
pub use cli::main as cli_main;
pub use error::{Diagnostic, Diagnostics, Error, Place, Result, Severity};
pub use model::{Article, Block, Publication};
pub use prepare::{Prepared, prepare};
pub use scale::{FontScale, ScaleParseError};

#[doc(hidden)]
pub mod internals;

/// The README's code blocks, compiled as doctests so that its library example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
