//! How a block is read: heading levels (2 to 6 only) and the flat struct every block
//! kind is deserialised through, so that an error inside a block keeps its field path.

use serde::{Deserialize, Serialize};

use super::{Block, Figure, Text};

/// The level of a subheading: 2 to 6 (the article title is the level-1 heading). Made
/// with [`TryFrom<u8>`] or [`HeadingLevel::clamped`]; an article file with another level
/// fails to load at that field (`blocks[3].level: heading level 7 is outside 2–6`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct HeadingLevel(u8);

/// A heading level outside 2–6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("heading level {0} is outside 2–6")]
pub struct HeadingLevelError(pub u8);

impl HeadingLevel {
    /// Level 2, the first level under the article title.
    pub const H2: HeadingLevel = HeadingLevel(2);
    /// Level 3.
    pub const H3: HeadingLevel = HeadingLevel(3);
    /// Level 4.
    pub const H4: HeadingLevel = HeadingLevel(4);
    /// Level 5.
    pub const H5: HeadingLevel = HeadingLevel(5);
    /// Level 6, the deepest.
    pub const H6: HeadingLevel = HeadingLevel(6);

    /// The level as a number, 2 to 6.
    pub(crate) const fn get(self) -> u8 {
        self.0
    }

    /// `n` brought into 2–6 (an `<h1>` or `<h7>` of an imported page).
    pub const fn clamped(n: u8) -> HeadingLevel {
        HeadingLevel(if n < 2 {
            2
        } else if n > 6 {
            6
        } else {
            n
        })
    }

    /// One level deeper, saturating at 6.
    #[cfg(any(test, feature = "import"))]
    pub(crate) const fn deeper(self) -> HeadingLevel {
        HeadingLevel::clamped(self.0 + 1)
    }
}

impl TryFrom<u8> for HeadingLevel {
    type Error = HeadingLevelError;

    fn try_from(n: u8) -> Result<HeadingLevel, HeadingLevelError> {
        if (2..=6).contains(&n) {
            Ok(HeadingLevel(n))
        } else {
            Err(HeadingLevelError(n))
        }
    }
}

impl From<HeadingLevel> for u8 {
    fn from(level: HeadingLevel) -> u8 {
        level.0
    }
}

impl std::fmt::Display for HeadingLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The kinds of block, as their `type` names them.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Paragraph,
    Heading,
    Figure,
    Quote,
    List,
}

impl Kind {
    /// The kind's name and the fields it has besides `type`.
    fn fields(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Kind::Paragraph => ("paragraph", &["text"]),
            Kind::Heading => ("heading", &["level", "text"]),
            Kind::Figure => ("figure", &["src", "alt", "caption", "credit", "decorative"]),
            Kind::Quote => ("quote", &["text", "attribution"]),
            Kind::List => ("list", &["ordered", "items"]),
        }
    }
}

/// Every field of every block kind: what a block is read into before its kind says
/// which of them it may have.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatBlock {
    #[serde(rename = "type")]
    kind: Kind,
    level: Option<HeadingLevel>,
    text: Option<Text>,
    attribution: Option<String>,
    ordered: Option<bool>,
    items: Option<Vec<Text>>,
    src: Option<String>,
    alt: Option<String>,
    caption: Option<Text>,
    credit: Option<String>,
    decorative: Option<bool>,
}

impl FlatBlock {
    /// The first field present that the block's kind does not have.
    fn foreign_field(&self) -> Option<&'static str> {
        let (_, allowed) = self.kind.fields();
        let present = [
            ("level", self.level.is_some()),
            ("text", self.text.is_some()),
            ("attribution", self.attribution.is_some()),
            ("ordered", self.ordered.is_some()),
            ("items", self.items.is_some()),
            ("src", self.src.is_some()),
            ("alt", self.alt.is_some()),
            ("caption", self.caption.is_some()),
            ("credit", self.credit.is_some()),
            ("decorative", self.decorative.is_some()),
        ];
        present
            .into_iter()
            .find(|(f, p)| *p && !allowed.contains(f))
            .map(|(f, _)| f)
    }

    /// The block of its kind, or the name of a field it must have and lacks.
    fn into_block(self) -> Result<Block, &'static str> {
        Ok(match self.kind {
            Kind::Paragraph => Block::Paragraph {
                text: self.text.ok_or("text")?,
            },
            Kind::Heading => Block::Heading {
                level: self.level.ok_or("level")?,
                text: self.text.ok_or("text")?,
            },
            Kind::Figure => Block::Figure(Figure {
                src: self.src.ok_or("src")?,
                alt: self.alt,
                caption: self.caption,
                credit: self.credit,
                decorative: self.decorative.unwrap_or(false),
                image: None,
            }),
            Kind::Quote => Block::Quote {
                text: self.text.ok_or("text")?,
                attribution: self.attribution,
            },
            Kind::List => Block::List {
                ordered: self.ordered.unwrap_or(false),
                items: self.items.ok_or("items")?,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Block {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Block, D::Error> {
        use serde::de::Error as _;
        let flat = FlatBlock::deserialize(deserializer)?;
        if let Some(field) = flat.foreign_field() {
            let (name, allowed) = flat.kind.fields();
            return Err(D::Error::custom(format_args!(
                "a {name} block has no field `{field}` (its fields: type, {})",
                allowed.join(", ")
            )));
        }
        flat.into_block().map_err(D::Error::missing_field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_levels_are_2_to_6_only() {
        assert_eq!(HeadingLevel::try_from(1), Err(HeadingLevelError(1)));
        assert_eq!(HeadingLevel::try_from(7), Err(HeadingLevelError(7)));
        for n in 2..=6 {
            assert_eq!(HeadingLevel::try_from(n).map(HeadingLevel::get), Ok(n));
        }
        assert_eq!(HeadingLevel::clamped(0), HeadingLevel::H2);
        assert_eq!(HeadingLevel::clamped(9), HeadingLevel::H6);
        assert_eq!(HeadingLevel::H6.deeper(), HeadingLevel::H6);
        assert_eq!(HeadingLevel::H2.deeper(), HeadingLevel::H3);
    }

    #[test]
    fn a_bad_heading_level_fails_to_deserialise_with_the_range() {
        let e = serde_json::from_str::<Block>(r#"{"type": "heading", "level": 7, "text": "x"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("heading level 7 is outside 2–6"), "{e}");
        let b: Block =
            serde_json::from_str(r#"{"type": "heading", "level": 3, "text": "x"}"#).unwrap();
        assert!(matches!(
            b,
            Block::Heading {
                level: HeadingLevel::H3,
                ..
            }
        ));
        assert_eq!(
            serde_json::to_string(&b).unwrap(),
            r#"{"type":"heading","level":3,"text":"x"}"#
        );
    }
}
