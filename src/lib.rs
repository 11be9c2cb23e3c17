//! **anpham** (*ấn phẩm*, "publication") turns structured news articles into accessible
//! EPUB 3 and large-print, tagged PDF/UA-1 editions, with font scales that mirror a news
//! portal's "Tăng cỡ chữ / Giảm cỡ chữ" (enlarge / shrink text) buttons.
//!
//! Data flows one way, one stage per module: [`input`] (JSON, TOML, Markdown) →
//! [`mod@prepare`] (a checked [`Prepared`] publication: NFC, every rule, images, font
//! coverage) → [`layout`] (shaping, line breaking, pagination: a [`layout::Layout`] with
//! its page map) → [`pdf`] / [`epub`] writers, with [`editions`] building a set of them
//! in memory. [`address`] names every readable part of an article once; `docs/architecture.md`
//! says who may call whom.
//!
//! ```no_run
//! use anpham::editions::{self, EditionKind, EditionRequest};
//! use anpham::{FontScale, input};
//!
//! let (prepared, _manifest) = input::load_prepared(&["examples/bac-kan/bac-kan.md".into()])?;
//! // A large-print PDF (Be Vietnam Pro 18 pt, A5) and an EPUB whose page list follows
//! // it, both dated with the article's date.
//! let request = EditionRequest { pdf_scales: vec![FontScale::LARGE], ..EditionRequest::new() };
//! for edition in editions::build(&prepared, &request)? {
//!     std::fs::write(edition.kind.file_name("bac-kan"), &edition.bytes)?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod address;
pub mod batch;
pub mod braille;
pub mod edition;
pub mod editions;
pub mod epub;
pub mod error;
pub mod fonts;
pub mod images;
pub mod import;
pub mod input;
pub(crate) mod labels;
pub mod layout;
pub mod model;
pub mod pagemap;
pub mod pdf;
pub mod prepare;
pub mod scale;
pub mod speech;
pub mod timestamp;
pub mod validate;
pub(crate) mod xml;

pub use error::{Diagnostic, Error, Result};
pub use model::{Article, Block, Publication};
pub use prepare::{Prepared, prepare};
pub use scale::FontScale;
