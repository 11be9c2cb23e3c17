//! `anpham import`: an imported article written as `DIR/SLUG.md` (Markdown with the
//! YAML front matter `input::load_publication` reads, see `docs/article-format.md`) and
//! its images copied to `DIR/img/SLUG/NAME`, each file written atomically.
//!
//! The Markdown is written so that it reads back as the same article: every character
//! CommonMark could take as markup is escaped, emphasis markers never touch white space,
//! and links use `<…>` destinations.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Imported;
use crate::atomic_file::write_atomically;
use crate::error::{Diagnostic, Error, Result};
use crate::model::{Article, Block, Span, Text};

/// What [`write_markdown`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// `DIR/SLUG.md`.
    pub markdown: PathBuf,
    /// The copied images, `DIR/img/SLUG/NAME`.
    pub images: Vec<PathBuf>,
}

/// One source imported and written.
#[derive(Debug)]
pub struct ImportedFile {
    /// The article and the report.
    pub imported: Imported,
    /// The files written.
    pub written: Written,
    /// Whether the written Markdown reads back as a valid article (it does not when,
    /// say, an image has no alt text yet: the error says what to write where).
    pub reads_back: Result<()>,
}

/// `anpham import SOURCE -o DIR` for one source: imports it, writes it, and reads the
/// written Markdown back to check it. With `repair` (`anpham import --repair`), control
/// characters in the page's text are repaired as `build --repair` repairs them (each
/// repair a note), so the written Markdown builds without `--repair`.
pub fn import_to_with(source: &Path, out_dir: &Path, repair: bool) -> Result<ImportedFile> {
    let mut imported = super::import_file(source)?;
    if repair {
        for d in crate::validate::repair::repair_controls(&mut imported.article, source, "") {
            imported.note(super::NoteKind::Attention, "repair", d.to_string());
        }
    }
    let written = write_markdown(&imported, source, out_dir)?;
    let reads_back = crate::input::load_article_file(&written.markdown).map(|_| ());
    Ok(ImportedFile {
        imported,
        written,
        reads_back,
    })
}

/// Writes `imported` (read from `source`) into `out_dir`: the images first, then the
/// Markdown whose figures point to them.
pub(crate) fn write_markdown(
    imported: &Imported,
    source: &Path,
    out_dir: &Path,
) -> Result<Written> {
    let mut article = imported.article.clone();
    let slug = article
        .slug
        .clone()
        .filter(|s| crate::validate::is_slug(s))
        .unwrap_or_else(|| "article".into());
    let base = match source.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(out_dir).map_err(|e| Error::Write {
        path: out_dir.to_path_buf(),
        source: e,
    })?;
    let mut images = Vec::new();
    let mut used = HashSet::new();
    for block in &mut article.blocks {
        let Block::Figure(f) = block else { continue };
        let from = base.join(&f.src);
        let meta = std::fs::metadata(&from).map_err(|e| Error::Read {
            path: from.clone(),
            source: e,
        })?;
        if meta.len() > crate::validate::MAX_IMAGE_BYTES {
            return Err(Diagnostic::file(&from, "the image is larger than 32 MiB")
                .with_hint("scale the image down")
                .into());
        }
        let bytes = std::fs::read(&from).map_err(|e| Error::Read {
            path: from.clone(),
            source: e,
        })?;
        let name = unique_name(&file_name(&f.src), &mut used);
        let rel = format!("img/{slug}/{name}");
        let to = out_dir.join(&rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::Write {
                path: dir.to_path_buf(),
                source: e,
            })?;
        }
        write_atomically(&to, &bytes)?;
        images.push(to);
        f.src = rel;
    }
    let markdown = out_dir.join(format!("{slug}.md"));
    write_atomically(&markdown, to_markdown(&article)?.as_bytes())?;
    Ok(Written { markdown, images })
}

/// A file name safe on every system: ASCII letters, digits, `.`, `-`, `_`.
fn file_name(src: &str) -> String {
    let last = src.rsplit('/').next().unwrap_or(src);
    let mut out: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    out = out.trim_start_matches(['.', '-']).to_string();
    if out.len() > 80 {
        out = out[out.len() - 80..].to_string();
    }
    if out.is_empty() { "image".into() } else { out }
}

fn unique_name(name: &str, used: &mut HashSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while !used.insert(candidate.to_ascii_lowercase()) {
        candidate = format!("{n}-{name}");
        n += 1;
    }
    candidate
}

#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lead: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_url: Option<&'a str>,
}

/// The article as Markdown with a YAML front matter.
pub fn to_markdown(a: &Article) -> Result<String> {
    let fm = FrontMatter {
        title: &a.title,
        lang: a.lang.as_deref(),
        date: a.date.as_deref(),
        author: a.author.as_deref(),
        lead: a.lead.as_ref().map(Text::to_plain),
        slug: a.slug.as_deref(),
        source_url: a.source_url.as_deref(),
    };
    let yaml = serde_norway::to_string(&fm)
        .map_err(|e| Error::Usage(format!("cannot write the front matter: {e}")))?;
    let mut out = format!("---\n{yaml}---\n");
    for b in &a.blocks {
        out.push('\n');
        match b {
            Block::Paragraph { text } => out.push_str(&line_start(&inline(text))),
            Block::Heading { level, text } => {
                out.push_str(&"#".repeat(usize::from(level.get())));
                out.push(' ');
                out.push_str(&inline(text));
            }
            Block::Quote { text, attribution } => {
                out.push_str("> ");
                out.push_str(&line_start(&inline(text)));
                if let Some(at) = attribution {
                    out.push_str("\n>\n> — ");
                    out.push_str(&escape(at));
                }
            }
            Block::List { ordered, items } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    if *ordered {
                        out.push_str(&format!("{}. ", i + 1));
                    } else {
                        out.push_str("- ");
                    }
                    out.push_str(&line_start(&inline(item)));
                }
            }
            Block::Figure(f) => {
                out.push_str("![");
                out.push_str(&escape(f.alt.as_deref().unwrap_or("")));
                out.push_str("](<");
                out.push_str(&f.src.replace('<', "%3C").replace('>', "%3E"));
                out.push('>');
                if let Some(c) = &f.caption {
                    out.push_str(" \"");
                    out.push_str(&c.to_plain().replace('\\', "\\\\").replace('"', "\\\""));
                    out.push('"');
                }
                out.push(')');
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Inline spans as Markdown.
fn inline(t: &Text) -> String {
    let mut out = String::new();
    for s in &t.spans {
        out.push_str(&span(s));
    }
    out
}

fn span(s: &Span) -> String {
    // White space stays outside the markers, which must touch text to count.
    let core = s.text.trim();
    if core.is_empty() {
        return s.text.clone();
    }
    let lead = &s.text[..s.text.len() - s.text.trim_start().len()];
    let trail = &s.text[s.text.trim_end().len()..];
    let mut m = escape(core);
    if s.emphasis {
        m = format!("*{m}*");
    }
    if s.strong {
        m = format!("**{m}**");
    }
    if let Some(h) = &s.href {
        m = format!("[{m}](<{}>)", h.replace('<', "%3C").replace('>', "%3E"));
    }
    if let Some(l) = &s.lang {
        m = format!("<span lang=\"{l}\">{m}</span>");
    }
    format!("{lead}{m}{trail}")
}

/// Backslash-escapes the characters CommonMark reads as inline markup.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '!' | '&' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would make a line start a block: `#`, `-`, `+`, `=`, `>` or `1.`/`1)`.
fn line_start(s: &str) -> String {
    let first = s.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=' | '>')) {
        return format!("\\{s}");
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(s[digits..].chars().next(), Some('.' | ')')) {
        return format!("{}\\{}", &s[..digits], &s[digits..]);
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Format, parse_article};

    fn round_trip(a: &Article) -> Article {
        let md = to_markdown(a).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, &md).unwrap();
        parse_article(&path, Format::Markdown, &md).unwrap_or_else(|e| panic!("{e}\n{md}"))
    }

    #[test]
    fn hostile_text_reads_back_unchanged() {
        let texts = [
            "# không phải tiêu đề",
            "- không phải danh sách",
            "1. không phải danh sách",
            "2022) năm",
            "> không phải trích dẫn",
            "a *b* _c_ `d` [e](f) <b>g</b> &amp; \\ | ~ ! h",
            "---",
            "+ x",
            "=== y",
        ];
        let mut blocks: Vec<Block> = texts
            .iter()
            .map(|t| Block::Paragraph {
                text: Text::plain(*t),
            })
            .collect();
        blocks.push(Block::Paragraph {
            text: Text {
                spans: vec![
                    Span::plain("Ông nói "),
                    Span {
                        text: "“rất hay”".into(),
                        emphasis: true,
                        ..Span::default()
                    },
                    Span::plain(" "),
                    Span {
                        text: "liên kết".into(),
                        href: Some("https://a.vn/x?q=1&r=(2)".into()),
                        strong: true,
                        ..Span::default()
                    },
                    Span::plain(" và "),
                    Span {
                        text: "good".into(),
                        lang: Some("en".into()),
                        ..Span::default()
                    },
                    Span::plain("."),
                ],
            },
        });
        blocks.push(Block::Heading {
            level: crate::model::HeadingLevel::H2,
            text: Text::plain("Mục *một*"),
        });
        blocks.push(Block::List {
            ordered: true,
            items: vec![Text::plain("- một"), Text::plain("hai")],
        });
        blocks.push(Block::Quote {
            text: Text::plain("Câu nói."),
            attribution: None,
        });
        let a = Article {
            lang: Some("vi".into()),
            title: "Tiêu đề: “một” - #hai".into(),
            date: Some("2022-11-10".into()),
            author: Some("Hương Dịu".into()),
            lead: Some(Text::plain("Sáng 10/11, tỉnh: 'x' \"y\".")),
            slug: Some("bai".into()),
            source_url: None,
            blocks,
            origin: None,
        };
        let back = round_trip(&a);
        assert_eq!(back.title, a.title);
        assert_eq!(back.date, a.date);
        assert_eq!(back.author, a.author);
        assert_eq!(back.lead, a.lead);
        assert_eq!(back.blocks, a.blocks);
    }

    #[test]
    fn names() {
        let mut used = HashSet::new();
        assert_eq!(
            unique_name(&file_name("bai_files/ảnh 1.JPG"), &mut used),
            "-nh-1.JPG".trim_start_matches('-')
        );
        assert_eq!(unique_name("a.jpg", &mut used), "a.jpg");
        assert_eq!(unique_name("A.jpg", &mut used), "2-A.jpg");
        assert_eq!(file_name("../.."), "image");
    }
}
