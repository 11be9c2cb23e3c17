//! The page sizes a print edition is set on.

use serde::{Deserialize, Serialize};

/// Page sizes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageSizeName {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// ISO A5, 148 × 210 mm (the default: the usual large-print book size).
    #[default]
    A5,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl std::str::FromStr for PageSizeName {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(PageSizeName::A4),
            "a5" => Ok(PageSizeName::A5),
            "letter" => Ok(PageSizeName::Letter),
            _ => Err(format!("unknown page size `{s}`; use a4, a5 or letter")),
        }
    }
}
