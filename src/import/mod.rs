//! Importing the portal's own pages: a page saved from a browser (`.html`/`.htm`, with
//! its `NAME_files/` folder of photos) or the portal's plain-text copy (`.txt`), turned
//! into an [`Article`] with a report of what was recognised and what was not.
//!
//! [`import_file`] reads a source into an [`Imported`] (the article, its figures' image
//! paths relative to the source's folder and checked to lie inside it, and the
//! [`Note`]s); [`load_article`] is what `anpham build`/`check` use for such a source
//! (imported in memory, then validated like any article); `write::write_markdown` is
//! `anpham import`: the article as Markdown with front matter, and its images copied.
//!
//! Stages, one per file: `charset` (bytes → text), `plaintext` and `html` (text →
//! article), with `dates` and `chrome` (the portal's words) shared by both, and
//! `images` (a page's image reference → a file inside the page's folder).

pub(crate) mod charset;
pub(crate) mod chrome;
pub(crate) mod dates;
pub(crate) mod html;
pub(crate) mod images;
pub(crate) mod lang;
pub(crate) mod plaintext;
pub(crate) mod url;
pub(crate) mod write;

pub use write::to_markdown;

use std::fmt;
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};
use crate::model::{Article, Origin};
use crate::validate;

/// The kinds of source the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A saved web page (`.html`, `.htm`, `.xhtml`).
    Html,
    /// The portal's plain-text copy of a page (`.txt`).
    PlainText,
}

impl SourceKind {
    /// The kind a file name implies, if any.
    pub fn from_path(path: &Path) -> Option<SourceKind> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" | "xhtml" => Some(SourceKind::Html),
            "txt" => Some(SourceKind::PlainText),
            _ => None,
        }
    }
}

/// What a note says about a part of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteKind {
    /// A field or block was recognised (title, date, author, lead, figure…).
    Recognised,
    /// Something was left out on purpose (portal chrome, scripts, related articles).
    Dropped,
    /// Something the editor should look at: a remote or missing image, missing alt
    /// text, a caption kept without its photo, a link that was not kept.
    Attention,
}

/// One line of the import report: what, and where in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Recognised, dropped, or needing attention.
    pub kind: NoteKind,
    /// Where in the source: `line 12` / `12:5` for text, an element path such as
    /// `body > div#content > figure[2]` (with the line when it could be found) for HTML.
    pub place: String,
    /// What was found or done.
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.kind {
            NoteKind::Recognised => "recognised",
            NoteKind::Dropped => "dropped",
            NoteKind::Attention => "attention",
        };
        write!(f, "{tag:>10}  {}: {}", self.place, self.message)
    }
}

/// An imported source: the article (not yet validated or normalised beyond NFC) and the
/// report.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The article. Figure `src` paths are relative to the source's folder, point to
    /// files inside it, and exist.
    pub article: Article,
    /// What was recognised and what was not, in source order within each stage.
    pub notes: Vec<Note>,
    /// The strategies tried to find the article's text, in order (named in a refusal).
    pub tried: Vec<String>,
    /// The captions and alt texts kept as emphasised paragraphs in place of images that
    /// could not be imported (only on the web, not in the page's folder), white space
    /// collapsed: text about an image, not the article's running text (an evaluation
    /// against an article-body ground truth leaves them out, as it leaves out figures).
    pub image_texts: Vec<String>,
}

impl Imported {
    fn note(&mut self, kind: NoteKind, place: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            place: place.into(),
            message: message.into(),
        });
    }

    /// The notes that need the editor's attention.
    pub fn attention(&self) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(|n| n.kind == NoteKind::Attention)
    }
}

/// Reads and imports one source file (size and file-type checks as for articles).
pub fn import_file(path: &Path) -> Result<Imported> {
    let kind =
        SourceKind::from_path(path).ok_or_else(|| {
            Error::input(Diagnostic::file(path, "not an importable page").with_hint(
                "import reads saved web pages (.html, .htm) and plain-text copies (.txt)",
            ))
        })?;
    let bytes = crate::source_text::read_bytes(path)?;
    import_bytes(path, kind, &bytes)
}

/// Imports a source from its bytes; `path` names it in messages and anchors its images.
pub fn import_bytes(path: &Path, kind: SourceKind, bytes: &[u8]) -> Result<Imported> {
    let decoded = charset::decode(bytes, kind == SourceKind::Html).map_err(|e| {
        let d = match e {
            charset::CharsetError::NotUtf8 { at, byte } => {
                let valid = String::from_utf8_lossy(&bytes[..at]);
                let (line, column) = crate::source_text::line_column(&valid, valid.len());
                Diagnostic::at(
                    path,
                    line,
                    column,
                    format!("the page is not UTF-8 (invalid byte 0x{byte:02X} at byte {at}) and declares no charset"),
                )
                .with_hint(match kind {
                    SourceKind::Html => "add `<meta charset=\"windows-1258\">` (or the page's real charset) to its <head>, or save it as UTF-8",
                    SourceKind::PlainText => "save the text as UTF-8, e.g. `iconv -f windows-1258 -t utf-8 in.txt > out.txt`",
                })
            }
            charset::CharsetError::UnknownCharset(label) => Diagnostic::file(
                path,
                format!("the page declares the charset `{label}`, which anpham cannot read"),
            )
            .with_hint("save the page as UTF-8 from the browser, or correct its <meta charset>"),
        };
        Error::input(d)
    })?;
    let mut imported = match kind {
        SourceKind::Html => html::read(path, &decoded.text)?,
        SourceKind::PlainText => plaintext::read(path, &decoded.text)?,
    };
    if decoded.encoding != "UTF-8" || !matches!(decoded.source, "default" | "<meta charset>") {
        imported.notes.insert(
            0,
            Note {
                // A charset taken from the bytes against the page's word is worth a look.
                kind: if decoded.source.starts_with("bytes") {
                    NoteKind::Attention
                } else {
                    NoteKind::Recognised
                },
                place: "file".into(),
                message: format!("charset {} (from the {})", decoded.encoding, decoded.source),
            },
        );
    }
    if let Some(at) = decoded.first_malformed {
        imported.note(
            NoteKind::Attention,
            format!("byte {at}"),
            format!(
                "bytes that are not {} were replaced by U+FFFD (�)",
                decoded.encoding
            ),
        );
    }
    if imported.tried.is_empty() {
        imported
            .tried
            .push("the plain-text reader (title line, then paragraphs)".into());
    }
    let tried: Vec<&str> = imported.tried.iter().map(String::as_str).collect();
    refuse_short_body(path, &imported, &tried)?;
    let declared = imported.article.lang.take();
    lang::settle(&mut imported, declared);
    if imported.article.slug.is_none() {
        imported.article.slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(validate::slugify)
            .filter(|s| !s.is_empty());
    }
    Ok(imported)
}

/// Imports a source in memory and validates it like an article file: what `anpham build`
/// and `anpham check` do with `.html`, `.htm` and `.txt` inputs.
pub fn load_article(path: &Path) -> Result<Article> {
    let mut article = import_file(path)?.article;
    article.origin = Some(Origin {
        file: path.to_path_buf(),
        field: String::new(),
    });
    validate::prepare_article(&mut article)?;
    Ok(article)
}

/// The fewest letters an imported article's text (lead and blocks) may have: a page with
/// less is refused rather than written as an empty article.
pub(crate) const MIN_BODY_LETTERS: usize = 100;

/// The letters of the article's text (lead and blocks, figures left out).
pub(crate) fn body_letters(article: &Article) -> usize {
    body_text(article)
        .chars()
        .filter(|c| c.is_alphabetic())
        .count()
}

/// Refuses an article whose text has fewer than [`MIN_BODY_LETTERS`] letters, naming
/// the strategies that were `tried`.
pub(crate) fn refuse_short_body(path: &Path, imported: &Imported, tried: &[&str]) -> Result<()> {
    let letters = body_letters(&imported.article);
    if letters >= MIN_BODY_LETTERS {
        return Ok(());
    }
    Err(Error::input(
        Diagnostic::file(
            path,
            format!(
                "no article text found: {letters} letter(s) of body text, at least {MIN_BODY_LETTERS} are needed (tried: {})",
                tried.join("; ")
            ),
        )
        .with_hint(
            "import the article's own page (not a list, gallery or video page), saved complete from the browser; or write the article by hand",
        ),
    ))
}

/// Collapses runs of white space (not no-break spaces) to one space and trims.
pub(crate) fn normalize_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}') {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Ends a sentence or a paragraph: `.`, `!`, `?`, `…`, `:`, `;`, also inside closing
/// quotes or brackets (`…”`, `.)`).
pub(crate) fn ends_like_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['”', '"', '’', '\'', ')', '»', ' ']);
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// The first 60 characters of `s`, with `…` when cut.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

/// The article's running text as a reader gets it: the lead, then each heading,
/// paragraph, quotation and list item on its own line (figures left out).
pub fn body_text(article: &Article) -> String {
    let mut out = String::new();
    let mut push = |s: String| {
        let s = s.trim();
        if !s.is_empty() {
            out.push_str(s);
            out.push('\n');
        }
    };
    if let Some(lead) = &article.lead {
        push(lead.to_plain());
    }
    for block in &article.blocks {
        match block {
            crate::model::Block::Paragraph { text }
            | crate::model::Block::Heading { text, .. }
            | crate::model::Block::Quote { text, .. } => push(text.to_plain()),
            crate::model::Block::List { items, .. } => {
                for item in items {
                    push(item.to_plain());
                }
            }
            crate::model::Block::Figure(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "The governor said on Monday that the state would not change its policy on the new rules for schools, despite the protests of parents and teachers.";

    fn import(html: &str) -> Result<Imported> {
        import_bytes(Path::new("page.html"), SourceKind::Html, html.as_bytes())
    }

    #[test]
    fn an_empty_page_is_refused_naming_the_strategies() {
        let err = import(
            r#"<html lang="en"><head><title>Videos</title></head><body><nav><a href="/">Home</a></nav><h1>Videos</h1><p>Watch.</p></body></html>"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("page.html"), "{err}");
        assert!(err.contains("no article text found"), "{err}");
        assert!(err.contains("the Readability extractor"), "{err}");
    }

    #[test]
    fn an_empty_text_copy_is_refused() {
        let err = import_bytes(
            Path::new("t.txt"),
            SourceKind::PlainText,
            "Tiêu đề\n\nNgắn.\n".as_bytes(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no article text found"), "{err}");
        assert!(err.contains("plain-text reader"), "{err}");
    }

    #[test]
    fn the_language_comes_from_the_text_when_the_page_declares_none() {
        let im = import(&format!(
            "<html><body><h1>Storm</h1><article><p>{EN}</p><p>{EN}</p></article></body></html>"
        ))
        .unwrap();
        assert_eq!(im.article.lang.as_deref(), Some("en"));
        assert!(im.notes.iter().any(|n| n.message.contains("from the text")));
    }

    #[test]
    fn a_declared_language_the_text_contradicts_is_kept_with_a_warning() {
        let im = import(&format!("<html lang=\"vi\"><body><h1>Storm</h1><article><p>{EN}</p><p>{EN}</p></article></body></html>")).unwrap();
        assert_eq!(im.article.lang.as_deref(), Some("vi"));
        assert!(
            im.attention().any(|n| n.message.contains("reads as `en`")),
            "{:?}",
            im.notes
        );
    }

    #[test]
    fn a_paragraph_in_another_language_is_marked() {
        let vi = "Sáng nay, Ủy ban nhân dân tỉnh đã tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm tới, với sự tham dự của đại diện các sở, ban, ngành.";
        let im = import(&format!("<html><body><h1>Hội nghị</h1><article><p>{vi}</p><p>{vi}</p><p>{EN}</p></article></body></html>")).unwrap();
        assert_eq!(im.article.lang.as_deref(), Some("vi"));
        let langs: Vec<Option<&str>> = im
            .article
            .blocks
            .iter()
            .map(|b| match b {
                crate::model::Block::Paragraph { text } => text.spans[0].lang.as_deref(),
                _ => None,
            })
            .collect();
        assert_eq!(langs, vec![None, None, Some("en")]);
    }
}
