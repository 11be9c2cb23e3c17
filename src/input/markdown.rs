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

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::error::{Diagnostic, Result};
use crate::model::{Article, Block, Figure, Span, Text};
use crate::validate;

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

/// Splits `---\n…\n---\n` off the start; returns (yaml, body, body's first line number).
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Some((yaml, body, body_line));
        }
        offset += line.len();
    }
    None
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

/// Parses a Markdown article.
pub(super) fn parse(path: &Path, text: &str) -> Result<Article> {
    let Some((yaml, body, body_line)) = split_front_matter(text) else {
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
    let fm: FrontMatter = serde_norway::from_str(yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((2, 1), |l| (l.line() + 1, l.column()));
        Diagnostic::at(path, line, column, format!("front matter: {}", yaml_message(&e.to_string())))
            .with_hint("the front matter is YAML: `title: …`, `date: 2022-11-10`, `author: …`, `lang: vi`, `lead: …`")
    })?;
    let blocks = parse_body(path, body, body_line)?;
    Ok(Article {
        lang: fm.lang,
        title: fm.title,
        date: fm.date,
        author: fm.author,
        lead: fm.lead.map(Text::plain),
        slug: fm.slug,
        source_url: fm.source_url,
        blocks,
        origin: None,
    })
}

#[derive(Default)]
struct Inline {
    spans: Vec<Span>,
    emphasis: usize,
    strong: usize,
    link: Vec<String>,
    lang: Vec<String>,
}

impl Inline {
    fn push(&mut self, s: &str) {
        let span = Span {
            text: s.to_string(),
            emphasis: self.emphasis > 0,
            strong: self.strong > 0,
            href: self.link.last().cloned(),
            lang: self.lang.last().cloned(),
        };
        match self.spans.last_mut() {
            Some(last) if last.same_style(&span) => last.text.push_str(s),
            _ => self.spans.push(span),
        }
    }
    fn take(&mut self) -> Text {
        Text {
            spans: std::mem::take(&mut self.spans),
        }
    }
}

enum Container {
    Quote(Vec<Text>),
    List { ordered: bool, items: Vec<Text> },
}

/// Most lines and markup characters in a Markdown body. The CommonMark parser keeps a
/// node for each line and for each run of markup of a block before any event reaches us,
/// so a body of millions of one-letter lines or `*a*` pairs (within the input size
/// limit) would take gigabytes; 2 million is some 25,000 pages of prose.
pub const MAX_MARKDOWN_WEIGHT: usize = 2_000_000;

fn parse_body(path: &Path, body: &str, first_line: usize) -> Result<Vec<Block>> {
    let weight = body
        .bytes()
        .filter(|b| {
            matches!(
                b,
                b'\n' | b'*' | b'_' | b'[' | b']' | b'<' | b'>' | b'`' | b'!' | b'|' | b'&' | b'\\'
            )
        })
        .count();
    if weight > MAX_MARKDOWN_WEIGHT {
        return Err(Diagnostic::at(
            path,
            first_line,
            1,
            format!(
                "the article is too large: {weight} lines and markup characters (* _ [ ] < > ` ! | & \\); at most {MAX_MARKDOWN_WEIGHT} are accepted"
            ),
        )
        .with_hint("split the article")
        .into());
    }
    let mut blocks = Vec::new();
    let mut inline = Inline::default();
    let mut containers: Vec<Container> = Vec::new();
    let mut image: Option<(String, String, String)> = None; // (src, title, alt)
    let mut image_in_paragraph: Option<(String, String, String)> = None;
    let mut paragraph_has_text = false;
    let mut heading: Option<u8> = None;
    let opts = Options::empty();
    let line_of = |offset: usize| first_line + body[..offset.min(body.len())].matches('\n').count();

    // Counted as the events come, so that a huge body is refused before its whole model
    // is built (see validate::MAX_BLOCKS and MAX_LIST_ITEMS).
    let (mut started_blocks, mut started_items) = (0usize, 0usize);
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match &event {
            Event::Start(Tag::Item) => started_items += 1,
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_)) => {
                started_blocks += 1
            }
            _ => {}
        }
        if started_items > validate::MAX_LIST_ITEMS || started_blocks > validate::MAX_BLOCKS {
            let what = if started_items > validate::MAX_LIST_ITEMS {
                format!("more than {} list items", validate::MAX_LIST_ITEMS)
            } else {
                format!("more than {} blocks", validate::MAX_BLOCKS)
            };
            return Err(Diagnostic::at(
                path,
                line_of(range.start),
                1,
                format!("the article is too large: {what}"),
            )
            .with_hint("split the article")
            .into());
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let l = heading_level(level);
                if l == 1 {
                    return Err(Diagnostic::at(
                        path,
                        line_of(range.start),
                        1,
                        "a level-1 heading in the body",
                    )
                    .with_hint(
                        "the article title comes from the front matter; use `##` for subheadings",
                    )
                    .into());
                }
                heading = Some(l);
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = inline.take();
                blocks.push(Block::Heading {
                    level: crate::model::HeadingLevel::clamped(heading.take().unwrap_or(2)),
                    text,
                });
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_has_text = false;
                image_in_paragraph = None;
            }
            Event::End(TagEnd::Paragraph) => {
                let text = inline.take();
                if let (Some((src, title, alt)), false) =
                    (image_in_paragraph.take(), paragraph_has_text)
                {
                    let decorative = title == "decorative";
                    blocks.push(Block::Figure(Figure {
                        src,
                        alt: (!alt.is_empty()).then_some(alt),
                        caption: (!title.is_empty() && !decorative).then(|| Text::plain(title)),
                        credit: None,
                        decorative,
                        image: None,
                    }));
                } else {
                    finish_text(&mut containers, &mut blocks, text);
                }
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                image = Some((dest_url.to_string(), title.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some(img) = image.take() {
                    if paragraph_has_text || image_in_paragraph.is_some() {
                        // An image inside running text: keep its alt text as text.
                        inline.push(&img.2);
                        paragraph_has_text = true;
                    } else {
                        image_in_paragraph = Some(img);
                    }
                }
            }
            Event::Start(Tag::Emphasis) => inline.emphasis += 1,
            Event::End(TagEnd::Emphasis) => inline.emphasis = inline.emphasis.saturating_sub(1),
            Event::Start(Tag::Strong) => inline.strong += 1,
            Event::End(TagEnd::Strong) => inline.strong = inline.strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => inline.link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                inline.link.pop();
            }
            Event::Start(Tag::BlockQuote(_)) => containers.push(Container::Quote(Vec::new())),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(Container::Quote(parts)) = containers.pop() {
                    let block = quote_block(parts);
                    push_block(&mut containers, &mut blocks, block);
                }
            }
            Event::Start(Tag::List(start)) => {
                // A list nested in a list item is flattened into its parent. The text of a
                // tight item before its nested list is still pending: it is an item itself.
                if let Some(Container::List { items, .. }) = containers.last_mut() {
                    let text = inline.take();
                    if !text.is_blank() {
                        items.push(text);
                    }
                }
                if !matches!(containers.last(), Some(Container::List { .. })) {
                    containers.push(Container::List {
                        ordered: start.is_some(),
                        items: Vec::new(),
                    });
                } else {
                    containers.push(Container::List {
                        ordered: false,
                        items: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::List(_)) => {
                if let Some(Container::List { ordered, items }) = containers.pop() {
                    if let Some(Container::List { items: parent, .. }) = containers.last_mut() {
                        parent.extend(items);
                    } else if !items.is_empty() {
                        push_block(&mut containers, &mut blocks, Block::List { ordered, items });
                    }
                }
            }
            Event::End(TagEnd::Item) => {
                // Tight list items have no paragraph: their text is still pending.
                let text = inline.take();
                if !text.is_blank()
                    && let Some(Container::List { items, .. }) = containers.last_mut()
                {
                    items.push(text);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(img) = image.as_mut() {
                    img.2.push_str(&t);
                } else {
                    inline.push(&t);
                    if !t.trim().is_empty() {
                        paragraph_has_text = true;
                    }
                }
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim();
                if let Some(lang) = span_lang(tag) {
                    inline.lang.push(lang);
                } else if tag.eq_ignore_ascii_case("</span>") && !inline.lang.is_empty() {
                    inline.lang.pop();
                } else {
                    inline.push(&h);
                    paragraph_has_text = true;
                }
            }
            Event::SoftBreak | Event::HardBreak => inline.push(" "),
            Event::End(TagEnd::CodeBlock) | Event::End(TagEnd::HtmlBlock) => {
                let text = inline.take();
                finish_text(&mut containers, &mut blocks, text);
            }
            _ => {}
        }
    }
    let rest = inline.take();
    if !rest.is_blank() {
        blocks.push(Block::Paragraph { text: rest });
    }
    Ok(blocks)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `<span lang="en">` or `<span lang='en'>` → `en`.
fn span_lang(tag: &str) -> Option<String> {
    let inner = tag.strip_prefix("<span")?.strip_suffix('>')?.trim();
    let v = inner.strip_prefix("lang=")?;
    let v = v.trim_matches(|c| c == '"' || c == '\'');
    (!v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| v.to_string())
}

fn finish_text(containers: &mut [Container], blocks: &mut Vec<Block>, text: Text) {
    if text.is_blank() {
        return;
    }
    match containers.last_mut() {
        Some(Container::Quote(parts)) => parts.push(text),
        Some(Container::List { items, .. }) => items.push(text),
        None => blocks.push(Block::Paragraph { text }),
    }
}

fn push_block(containers: &mut [Container], blocks: &mut Vec<Block>, block: Block) {
    match (containers.last_mut(), block) {
        (Some(Container::Quote(parts)), Block::Quote { text, .. }) => parts.push(text),
        (Some(Container::List { items, .. }), Block::Quote { text, .. }) => items.push(text),
        (Some(Container::Quote(parts)), Block::List { items, .. }) => parts.extend(items),
        (_, b) => blocks.push(b),
    }
}

fn quote_block(mut parts: Vec<Text>) -> Block {
    let attribution = match parts.last() {
        Some(t) if parts.len() > 1 && t.to_plain().trim_start().starts_with("— ") => {
            let s = t.to_plain();
            parts.pop();
            Some(s.trim_start().trim_start_matches("— ").trim().to_string())
        }
        _ => None,
    };
    let mut text = Text::default();
    for (i, p) in parts.into_iter().enumerate() {
        if i > 0 {
            text.spans.push(Span::plain(" "));
        }
        text.spans.extend(p.spans);
    }
    Block::Quote { text, attribution }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> Article {
        parse(Path::new("t.md"), s).expect("parses")
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
