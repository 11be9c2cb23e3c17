//! **anpham** (*ấn phẩm*, "publication") turns structured news articles into accessible
//! EPUB 3 and large-print, tagged PDF/UA-1 editions, with font scales that mirror a news
//! portal's "Tăng cỡ chữ / Giảm cỡ chữ" (enlarge / shrink text) buttons.
//!
//! Data flows one way: [`input`] (JSON, TOML, Markdown) → [`model`] (validated, NFC) →
//! [`layout`] (shaping, line breaking, pagination) → [`pdf`] / [`epub`] writers, with
//! [`fonts`] and [`scale`] beside them.
//!
//! ```no_run
//! use anpham::epub::{EpubOptions, write_epub};
//! use anpham::pdf::{PdfOptions, write_pdf};
//! use anpham::{FontScale, input};
//!
//! let (publication, _manifest) = input::load_publication(&["examples/bac-kan/bac-kan.md".into()])?;
//! // A large-print PDF (Be Vietnam Pro 18 pt, 1.5 line height, A5) …
//! let pdf = write_pdf(&publication, &PdfOptions::new(FontScale::LARGE))?;
//! std::fs::write("bac-kan.large.pdf", &pdf.bytes)?;
//! // … and an EPUB whose page list follows that PDF's pages.
//! let mut options = EpubOptions::new(FontScale::STANDARD);
//! options.page_map = Some(pdf.page_map);
//! std::fs::write("bac-kan.epub", write_epub(&publication, &options)?)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
pub mod edition;
pub mod epub;
pub mod error;
pub mod fonts;
pub mod import;
pub mod input;
pub mod labels;
pub mod layout;
pub mod model;
pub mod pagemap;
pub mod pdf;
pub mod scale;
pub mod timestamp;
pub mod validate;

pub use error::{Diagnostic, Error, Result};
pub use model::{Article, Block, Publication};
pub use scale::FontScale;
