//! The article model: what a publication *is*, independent of where it came from
//! (see [`crate::input`]) and of what it becomes (see [`crate::pdf`], [`crate::epub`]).
//!
//! The serde shape of these types is the public article format documented in
//! `docs/article-format.md` and `schema/article.schema.json`. After loading, every
//! string has been normalised to NFC and checked by [`crate::validate`], and every
//! figure carries its image bytes, so writers never touch the file system for input.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A publication: one article, or a bulletin of several, with its metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Title of the whole publication (the article title for a single article).
    pub title: String,
    /// BCP 47 language of the publication, e.g. `vi`.
    #[serde(default = "default_lang")]
    pub lang: String,
    /// Publisher, e.g. the portal's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// A stable identifier (URN, URL, ISBN …); derived from the content when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// A short description (subtitle or cover text) shown on a bulletin's title page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The articles, in reading order.
    pub articles: Vec<Article>,
}

fn default_lang() -> String {
    "vi".to_string()
}

/// One news article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    /// BCP 47 language of the article; inherits the publication's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Headline.
    pub title: String,
    /// Publication date of the article, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Byline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Lead paragraph (sapo), shown under the headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Text>,
    /// A short machine-friendly name used for output file names (`bac-kan`);
    /// derived from the source file name or the title when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// Where the article was first published (a URL), shown as a source line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The body, in reading order.
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// Where this article was read from; set by the loader, used for messages and image paths.
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// Where an article was read from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The file it came from.
    pub file: PathBuf,
    /// The field path of the article inside that file (`articles[2]`), empty for a whole file.
    pub field: String,
}

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
    pub const fn get(self) -> u8 {
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
    pub const fn deeper(self) -> HeadingLevel {
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

/// A block of an article body.
///
/// Deserialised through a flat struct rather than serde's internally tagged enum, which
/// buffers the block and so loses the field path of errors inside it: with the flat struct
/// a wrong type is reported at `blocks[3].level`, not just `blocks[3]`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph {
        /// The text, plain or with inline spans.
        text: Text,
    },
    /// A subheading inside the article (the article title is level 1, so levels are 2–6).
    Heading {
        /// Level 2 to 6.
        level: HeadingLevel,
        /// The heading text.
        text: Text,
    },
    /// A photo or illustration with its text alternative and caption.
    Figure(Figure),
    /// A quotation set off from the text.
    Quote {
        /// The quoted text.
        text: Text,
        /// Who said it, shown under the quotation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attribution: Option<String>,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered (`true`) or bulleted.
        #[serde(default)]
        ordered: bool,
        /// The items, each a short text.
        items: Vec<Text>,
    },
}

impl<'de> Deserialize<'de> for Block {
    /// A little over 80 lines: the flat struct, the table of each kind's fields and the
    /// construction of each kind, which must be read together.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Block, D::Error> {
        use serde::de::Error as _;

        #[derive(Deserialize, Clone, Copy)]
        #[serde(rename_all = "lowercase")]
        enum Kind {
            Paragraph,
            Heading,
            Figure,
            Quote,
            List,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
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

        let r = Raw::deserialize(deserializer)?;
        let (name, allowed): (&str, &[&str]) = match r.kind {
            Kind::Paragraph => ("paragraph", &["text"]),
            Kind::Heading => ("heading", &["level", "text"]),
            Kind::Figure => ("figure", &["src", "alt", "caption", "credit", "decorative"]),
            Kind::Quote => ("quote", &["text", "attribution"]),
            Kind::List => ("list", &["ordered", "items"]),
        };
        let present = [
            ("level", r.level.is_some()),
            ("text", r.text.is_some()),
            ("attribution", r.attribution.is_some()),
            ("ordered", r.ordered.is_some()),
            ("items", r.items.is_some()),
            ("src", r.src.is_some()),
            ("alt", r.alt.is_some()),
            ("caption", r.caption.is_some()),
            ("credit", r.credit.is_some()),
            ("decorative", r.decorative.is_some()),
        ];
        if let Some((field, _)) = present.iter().find(|(f, p)| *p && !allowed.contains(f)) {
            return Err(D::Error::custom(format_args!(
                "a {name} block has no field `{field}` (its fields: type, {})",
                allowed.join(", ")
            )));
        }
        Ok(match r.kind {
            Kind::Paragraph => Block::Paragraph {
                text: r.text.ok_or_else(|| D::Error::missing_field("text"))?,
            },
            Kind::Heading => Block::Heading {
                level: r.level.ok_or_else(|| D::Error::missing_field("level"))?,
                text: r.text.ok_or_else(|| D::Error::missing_field("text"))?,
            },
            Kind::Figure => Block::Figure(Figure {
                src: r.src.ok_or_else(|| D::Error::missing_field("src"))?,
                alt: r.alt,
                caption: r.caption,
                credit: r.credit,
                decorative: r.decorative.unwrap_or(false),
                image: None,
            }),
            Kind::Quote => Block::Quote {
                text: r.text.ok_or_else(|| D::Error::missing_field("text"))?,
                attribution: r.attribution,
            },
            Kind::List => Block::List {
                ordered: r.ordered.unwrap_or(false),
                items: r.items.ok_or_else(|| D::Error::missing_field("items"))?,
            },
        })
    }
}

/// A figure: an image, its alt text, caption and credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Image path, relative to the article file; it may not leave the article's folder.
    pub src: String,
    /// Text alternative: what the image shows, for people who cannot see it. Required
    /// unless `decorative` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
    /// Visible caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<Text>,
    /// Photographer or source, shown after the caption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// The image carries no information (an ornament): it gets no alt text and is
    /// hidden from assistive technology.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decorative: bool,
    /// The loaded image; filled in by the loader.
    #[serde(skip)]
    pub image: Option<ImageData>,
}

/// An image read from disk and checked (format, dimensions) before any decoding. A file's
/// bytes are not kept: they are read again (and checked) when an edition embeds them.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageData {
    /// Where its bytes are: its file, or memory (an image given in code).
    pub source: crate::images::ImageSource,
    /// Whether every edition must decode its pixels (EXIF orientation 2–8, a CMYK JPEG).
    pub needs_pixels: bool,
    /// Its format.
    pub format: ImageFormat,
    /// Width in pixels as displayed (from the header, after the EXIF orientation).
    pub width: u32,
    /// Height in pixels as displayed (from the header, after the EXIF orientation).
    pub height: u32,
}

/// Image formats anpham embeds in both editions.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
}

impl ImageFormat {
    /// The media type used in the EPUB manifest.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
    }
}

/// Text: a plain string, or a list of inline spans with emphasis, links and languages.
///
/// In JSON a plain string is taken literally (no markup is interpreted), so text coming
/// from a CMS cannot inject structure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    /// The spans, in order. Adjacent spans with the same attributes are merged by the loader.
    pub spans: Vec<Span>,
}

/// A run of text with uniform inline attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// The characters.
    pub text: String,
    /// Stress emphasis (italic at standard scales, bold at large print).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emphasis: bool,
    /// Strong importance (bold).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
    /// A link target: `http`, `https` or `mailto` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Language of this span when it differs from the article's (a foreign quotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Span {
    /// A span with no attributes.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            ..Span::default()
        }
    }

    /// Whether two spans have the same inline attributes.
    pub fn same_style(&self, other: &Span) -> bool {
        self.emphasis == other.emphasis
            && self.strong == other.strong
            && self.href == other.href
            && self.lang == other.lang
    }
}

impl Text {
    /// A text made of one plain span.
    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            spans: vec![Span::plain(text)],
        }
    }

    /// The characters of all spans, concatenated.
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        for span in &self.spans {
            s.push_str(&span.text);
        }
        s
    }

    /// True when there are no characters other than white space.
    pub fn is_blank(&self) -> bool {
        self.spans.iter().all(|s| s.text.trim().is_empty())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.spans.as_slice() {
            [] => serializer.serialize_str(""),
            [only] if only.same_style(&Span::default()) => serializer.serialize_str(&only.text),
            spans => spans.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a string or a list of spans ({\"text\": …})")]
        enum Repr {
            Plain(String),
            Spans(Vec<SpanOrString>),
        }
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a string or a span ({\"text\": …})")]
        enum SpanOrString {
            Plain(String),
            Span(Span),
        }
        Ok(match Repr::deserialize(deserializer)? {
            Repr::Plain(s) => Text::plain(s),
            Repr::Spans(v) => Text {
                spans: v
                    .into_iter()
                    .map(|s| match s {
                        SpanOrString::Plain(t) => Span::plain(t),
                        SpanOrString::Span(s) => s,
                    })
                    .collect(),
            },
        })
    }
}

impl Article {
    /// An article with a headline and nothing else (fill in the other fields, then
    /// [`crate::prepare::prepare`] it).
    pub fn new(title: impl Into<String>) -> Article {
        Article {
            lang: None,
            title: title.into(),
            date: None,
            author: None,
            lead: None,
            slug: None,
            source_url: None,
            blocks: Vec::new(),
            origin: None,
        }
    }
}

impl Publication {
    /// A publication made of one article, taking its title, language and date.
    pub fn single(article: Article) -> Publication {
        Publication {
            title: article.title.clone(),
            lang: article.lang.clone().unwrap_or_else(default_lang),
            publisher: None,
            date: article.date.clone(),
            identifier: None,
            description: None,
            articles: vec![article],
        }
    }

    /// Whether this is a bulletin (more than one article): bulletins get a title page
    /// and table of contents.
    pub fn is_bulletin(&self) -> bool {
        self.articles.len() > 1
    }

    /// The language of article `i` (its own, else the publication's).
    pub fn article_lang(&self, i: usize) -> &str {
        self.articles[i].lang.as_deref().unwrap_or(&self.lang)
    }

    /// Every figure of the publication, with its article index.
    pub fn figures(&self) -> impl Iterator<Item = (usize, &Figure)> {
        self.articles.iter().enumerate().flat_map(|(i, a)| {
            a.blocks.iter().filter_map(move |b| match b {
                Block::Figure(f) => Some((i, f)),
                _ => None,
            })
        })
    }

    /// All text of the publication in reading order: title (for a bulletin), then for
    /// each article its title, lead and blocks (figure alt texts excluded, captions
    /// included). One entry per line; used for expected-text checks.
    pub fn reading_text(&self) -> String {
        let mut out = String::new();
        let mut line = |s: &str| {
            out.push_str(s);
            out.push('\n');
        };
        if self.is_bulletin() {
            line(&self.title);
            if let Some(d) = &self.description {
                line(d);
            }
        }
        for a in &self.articles {
            line(&a.title);
            if let Some(lead) = &a.lead {
                line(&lead.to_plain());
            }
            for b in &a.blocks {
                match b {
                    Block::Paragraph { text } | Block::Heading { text, .. } => {
                        line(&text.to_plain())
                    }
                    Block::Quote { text, attribution } => {
                        line(&text.to_plain());
                        if let Some(at) = attribution {
                            line(at);
                        }
                    }
                    Block::List { items, .. } => {
                        for it in items {
                            line(&it.to_plain());
                        }
                    }
                    Block::Figure(f) => {
                        if let Some(c) = &f.caption {
                            line(&c.to_plain());
                        }
                        if let Some(c) = &f.credit {
                            line(c);
                        }
                    }
                }
            }
        }
        out
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
