//! Markdown articles: a YAML front matter (`---` … `---`) with the metadata, then a
//! CommonMark body.
//!
//! | Markdown | article block |
//! |---|---|
//! | paragraph | `paragraph` (`*em*`, `**strong**`, `[links](https://…)`, `<span lang="en">…</span>`) |
//! | `## Heading` … `###### Heading` | `heading` level 2–6 (`#` is refused: the title is in the front matter) |
//! | a paragraph that is only `![alt](src "caption")` | `figure`; `![](src "caption")` with the title `decorative` in the caption slot is decorative |
//! | `> quote` | `quote` (a last line starting with `— ` is the attribution) |
//! | `- item` / `1. item` | `list` (nested lists are flattened into their parent) |
//! | code, tables, raw HTML | their text, as a paragraph (HTML is shown as text, never interpreted) |

use std::path::Path;

mod body;

use serde::Deserialize;

use crate::error::{Diagnostic, Result};
use crate::model::{Article, Text};
use crate::source_text::places::{Segment, SourceMap, TextSource};
use body::parse_body;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    lead: Option<String>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    source_url: Option<String>,
}

/// The parts of a Markdown file: the YAML front matter and the body, with where each
/// starts in the file.
struct Parts<'a> {
    yaml: &'a str,
    yaml_start: usize,
    body: &'a str,
    body_start: usize,
    body_line: usize,
}

/// Splits `---\n…\n---\n` off the start.
fn split_front_matter(text: &str) -> Option<Parts<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let yaml_start = text.len() - rest.len();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some(Parts {
                yaml,
                yaml_start,
                body,
                body_start: text.len() - body.len(),
                body_line: 2 + yaml.matches('\n').count() + 1,
            });
        }
        offset += line.len();
    }
    None
}

/// Where each front-matter field's value starts in the file (a `key: value` line at the
/// top level of the YAML); its characters are placed one by one when the value is
/// written plain on that line.
fn front_places(parts: &Parts<'_>, fm: &FrontMatter, map: &mut SourceMap) {
    let fields = [
        ("title", Some(&fm.title)),
        ("lang", fm.lang.as_ref()),
        ("date", fm.date.as_ref()),
        ("author", fm.author.as_ref()),
        ("lead", fm.lead.as_ref()),
        ("slug", fm.slug.as_ref()),
        ("source_url", fm.source_url.as_ref()),
    ];
    let mut offset = parts.yaml_start;
    for line in parts.yaml.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let Some((name, Some(value))) = fields.iter().find(|(n, _)| *n == key) else {
            continue;
        };
        let raw = rest.trim_start();
        let at = here + key.len() + 1 + (rest.len() - raw.len());
        let literal = raw.trim_end() == value.as_str();
        let source = TextSource {
            start: at,
            spans: vec![vec![Segment {
                chars: 0,
                at,
                literal,
            }]],
        };
        map.front(name, source);
    }
}

/// A YAML error message with places in the file's lines: the first " at line L column C"
/// (the problem, which the diagnostic shows as its place) is dropped, later ones (the
/// context, e.g. where an unclosed quote began) are moved down past the opening `---`.
fn yaml_message(msg: &str) -> String {
    const AT: &str = " at line ";
    let mut out = String::new();
    let mut rest = msg;
    let mut first = true;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let n_end = digits(after);
        let place = after[..n_end].parse::<usize>().ok().and_then(|line| {
            let tail = after[n_end..].strip_prefix(" column ")?;
            let m_end = digits(tail);
            (m_end > 0).then(|| (line, &tail[..m_end], &tail[m_end..]))
        });
        match place {
            Some((line, column, tail)) => {
                if !first {
                    out.push_str(&format!("{AT}{} column {column}", line + 1));
                }
                first = false;
                rest = tail;
            }
            None => {
                out.push_str(AT);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `… at position N` (a byte offset in the YAML) → (N, the message without it).
fn yaml_position(message: &str) -> Option<(usize, &str)> {
    let (shorter, n) = message.rsplit_once(" at position ")?;
    Some((n.trim().parse().ok()?, shorter))
}

/// Parses a Markdown article; the source map places its fields in the file.
pub(super) fn parse(path: &Path, text: &str) -> Result<(Article, SourceMap)> {
    let Some(parts) = split_front_matter(text) else {
        return Err(Diagnostic::at(
            path,
            1,
            1,
            "a Markdown article starts with a YAML front matter",
        )
        .with_hint(
            "begin the file with `---`, then `title: …` (and date, author, lang, lead), then `---`",
        )
        .into());
    };
    let fm: FrontMatter = serde_norway::from_str(parts.yaml).map_err(|e| {
        let message = e.to_string();
        let (line, column, message) = match (yaml_position(&message), e.location()) {
            // Some scanner errors give a byte position in the YAML (and no real place).
            (Some((at, shorter)), _) => {
                let (line, column) = crate::source_text::line_column(text, parts.yaml_start + at);
                (line, column, shorter.to_string())
            }
            (None, Some(l)) => (l.line() + 1, l.column(), yaml_message(&message)),
            (None, None) => (2, 1, message),
        };
        Diagnostic::at(path, line, column, format!("front matter: {message}"))
            .with_hint("the front matter is YAML: `title: …`, `date: 2022-11-10`, `author: …`, `lang: vi`, `lead: …`")
    })?;
    let mut map = SourceMap::new(text);
    front_places(&parts, &fm, &mut map);
    let blocks = parse_body(path, &parts, &mut map)?;
    let article = Article {
        lang: fm.lang,
        title: fm.title,
        date: fm.date,
        author: fm.author,
        lead: fm.lead.map(Text::plain),
        slug: fm.slug,
        source_url: fm.source_url,
        blocks,
        origin: None,
    };
    Ok((article, map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Block;

    fn md(s: &str) -> Article {
        parse(Path::new("t.md"), s).expect("parses").0
    }

    #[test]
    fn front_matter_and_blocks() {
        let a = md(
            "---\ntitle: Tiêu đề\nauthor: Hương Dịu\ndate: 2022-11-10\n---\nĐoạn *một* **hai** [ba](https://x.vn).\n\n## Mục\n\n![Ảnh hội trường](img/a.png \"Toàn cảnh\")\n\n> Trích dẫn\n\n- a\n- b\n  - c\n",
        );
        assert_eq!(a.title, "Tiêu đề");
        assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
        assert_eq!(a.blocks.len(), 5, "{:#?}", a.blocks);
        let Block::Paragraph { text } = &a.blocks[0] else {
            panic!()
        };
        assert!(text.spans.iter().any(|s| s.emphasis && s.text == "một"));
        assert!(text.spans.iter().any(|s| s.strong && s.text == "hai"));
        assert!(
            text.spans
                .iter()
                .any(|s| s.href.as_deref() == Some("https://x.vn"))
        );
        let Block::Figure(f) = &a.blocks[2] else {
            panic!()
        };
        assert_eq!(f.alt.as_deref(), Some("Ảnh hội trường"));
        assert_eq!(
            f.caption.as_ref().map(Text::to_plain).as_deref(),
            Some("Toàn cảnh")
        );
        let Block::List { items, .. } = &a.blocks[4] else {
            panic!()
        };
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn yaml_places_are_file_lines() {
        assert_eq!(yaml_message("bad at line 2 column 7"), "bad");
        assert_eq!(
            yaml_message(
                "end of stream at line 2 column 1, while scanning a quoted scalar at line 1 column 8"
            ),
            "end of stream, while scanning a quoted scalar at line 2 column 8"
        );
        assert_eq!(yaml_message("at line x"), "at line x");
        let e = parse(Path::new("t.md"), "---\ntitle: \"Tiêu đề\n---\nx")
            .unwrap_err()
            .to_string();
        assert!(e.contains("quoted scalar at line 2 column 8"), "{e}");
    }

    #[test]
    fn lang_spans() {
        let a = md("---\ntitle: t\n---\nÔng nói <span lang=\"en\">good morning</span> rồi.\n");
        let Block::Paragraph { text } = &a.blocks[0] else {
            panic!()
        };
        assert!(
            text.spans
                .iter()
                .any(|s| s.lang.as_deref() == Some("en") && s.text == "good morning")
        );
    }

    #[test]
    fn errors_are_located() {
        let e = parse(Path::new("t.md"), "no front matter")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.md:1:1:"), "{e}");
        let e = parse(Path::new("t.md"), "---\ntitle: [unclosed\n---\nx")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.md:"), "{e}");
        let e = parse(Path::new("t.md"), "---\ntitle: t\n---\n\n# Title again\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.md:5:1:"), "{e}");
    }
}
