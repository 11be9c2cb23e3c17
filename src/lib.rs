//! **anpham** (*ấn phẩm*, "publication") turns structured news articles into accessible
//! EPUB 3 and large-print, tagged PDF/UA-1 editions, with font scales that mirror a news
//! portal's "Tăng cỡ chữ / Giảm cỡ chữ" (enlarge / shrink text) buttons.
//!
//! Data flows one way: [`input`] (JSON, TOML, Markdown) → [`model`] (validated, NFC) →
//! [`layout`] (shaping, line breaking, pagination) → [`pdf`] / [`epub`] writers, with
//! [`fonts`] and [`scale`] beside them.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod batch;
pub mod edition;
pub mod epub;
pub mod error;
pub mod fonts;
pub mod input;
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
