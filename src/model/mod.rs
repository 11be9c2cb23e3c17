//! The article model: what a publication *is*, independent of where it came from
//! (see [`crate::input`]) and of what it becomes (the editions, `crate::editions`).
//!
//! The serde shape of these types is the public article format documented in
//! `docs/article-format.md` and `schema/article.schema.json`. After loading, every
//! string has been normalised to NFC and checked by `crate::validate`, and every
//! figure carries its image bytes, so writers never touch the file system for input.

mod block;
pub(crate) mod image_source;
mod page_size;
mod text;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use block::{HeadingLevel, HeadingLevelError};
pub(crate) use image_source::{Fingerprint, ImageFile, ImageSource};
pub use page_size::PageSizeName;
pub use text::{Span, Text};

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

/// A version-8 (hash-based) `urn:uuid:` from the first 16 bytes of a digest.
pub(crate) fn uuid_of(d: &[u8]) -> String {
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0F) | 0x80; // version 8: custom (hash-based)
    b[8] = (b[8] & 0x3F) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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

/// A block of an article body.
///
/// Deserialised through a flat struct rather than serde's internally tagged enum, which
/// buffers the block and so loses the field path of errors inside it: with the flat struct
/// a wrong type is reported at `blocks[3].level`, not just `blocks[3]` (`block.rs`).
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
    pub(crate) source: ImageSource,
    /// Whether every edition must decode its pixels (EXIF orientation 2–8, a CMYK JPEG).
    pub needs_pixels: bool,
    /// Its format.
    pub format: ImageFormat,
    /// Width in pixels as displayed (from the header, after the EXIF orientation).
    pub width: u32,
    /// Height in pixels as displayed (from the header, after the EXIF orientation).
    pub height: u32,
}

impl ImageData {
    /// Its bytes: read again from its file (and checked to be the bytes that were
    /// checked), or the bytes given in memory.
    pub fn bytes(&self) -> std::result::Result<std::borrow::Cow<'_, [u8]>, String> {
        self.source.read()
    }
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
    /// Its media type (`image/png`, `image/jpeg`).
    pub(crate) fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
    /// The file extension.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
        }
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
    pub(crate) fn article_lang(&self, i: usize) -> &str {
        self.articles[i].lang.as_deref().unwrap_or(&self.lang)
    }

    /// Every figure of the publication, with its article index.
    pub(crate) fn figures(&self) -> impl Iterator<Item = (usize, &Figure)> {
        self.articles.iter().enumerate().flat_map(|(i, a)| {
            a.blocks.iter().filter_map(move |b| match b {
                Block::Figure(f) => Some((i, f)),
                _ => None,
            })
        })
    }

    /// Its articles' authors, each once, in the order they first appear.
    pub(crate) fn authors(&self) -> Vec<String> {
        let mut authors: Vec<String> = Vec::new();
        for a in &self.articles {
            if let Some(au) = &a.author
                && !authors.contains(au)
            {
                authors.push(au.clone());
            }
        }
        authors
    }

    /// What describes it in a document's metadata or a catalog: its description, else its
    /// first article's lead (as plain text).
    pub(crate) fn description_or_lead(&self) -> Option<String> {
        self.description.clone().or_else(|| {
            self.articles
                .first()
                .and_then(|a| a.lead.as_ref())
                .map(|l| l.to_plain())
        })
    }

    /// Its identifier: its own when it has one (not blank), else a `urn:uuid:` made from a
    /// SHA-256 of its title, language and text, so that rebuilding the same content keeps
    /// it and every edition and catalog names it alike.
    pub(crate) fn stable_identifier(&self) -> String {
        use sha2::{Digest, Sha256};
        if let Some(id) = self.identifier.as_ref().filter(|s| !s.trim().is_empty()) {
            return id.clone();
        }
        let mut h = Sha256::new();
        h.update(self.title.as_bytes());
        h.update([0]);
        h.update(self.lang.as_bytes());
        h.update([0]);
        h.update(self.reading_text().as_bytes());
        uuid_of(&h.finalize())
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
