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

use super::places::{Segment, SourceMap, TextSource};
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
                let (line, column) = super::line_column(text, parts.yaml_start + at);
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

/// The inline text being gathered, with where each run of it came from.
#[derive(Default)]
struct Inline {
    spans: Vec<Span>,
    sources: Vec<Vec<Segment>>,
    /// Characters in the last span so far.
    last_chars: usize,
    start: Option<usize>,
    emphasis: usize,
    strong: usize,
    link: Vec<String>,
    lang: Vec<String>,
}

impl Inline {
    /// Adds text that came from the file at byte `at` (`literal`: character for character).
    fn push(&mut self, s: &str, at: usize, literal: bool) {
        let span = Span {
            text: s.to_string(),
            emphasis: self.emphasis > 0,
            strong: self.strong > 0,
            href: self.link.last().cloned(),
            lang: self.lang.last().cloned(),
        };
        self.start.get_or_insert(at);
        match (self.spans.last_mut(), self.sources.last_mut()) {
            (Some(last), Some(segments)) if last.same_style(&span) => {
                last.text.push_str(s);
                segments.push(Segment {
                    chars: self.last_chars,
                    at,
                    literal,
                });
            }
            _ => {
                self.spans.push(span);
                self.sources.push(vec![Segment {
                    chars: 0,
                    at,
                    literal,
                }]);
                self.last_chars = 0;
            }
        }
        self.last_chars += s.chars().count();
    }

    /// The text gathered so far and where it came from (`fallback` when it is empty).
    fn take(&mut self, fallback: usize) -> Sourced {
        let source = TextSource {
            start: self.start.take().unwrap_or(fallback),
            spans: std::mem::take(&mut self.sources),
        };
        self.last_chars = 0;
        let text = Text {
            spans: std::mem::take(&mut self.spans),
        };
        (text, source)
    }
}

/// A text and where it came from.
type Sourced = (Text, TextSource);

/// A block and where it and its text fields (by field name: `text`, `items[2]`, …) came
/// from.
struct Placed {
    block: Block,
    start: usize,
    texts: Vec<(String, TextSource)>,
}

enum Container {
    Quote(Vec<Sourced>, usize),
    List {
        ordered: bool,
        items: Vec<Sourced>,
        start: usize,
    },
}

/// Most lines and markup characters in a Markdown body. The CommonMark parser keeps a
/// node for each line and for each run of markup of a block before any event reaches us,
/// so a body of millions of one-letter lines or `*a*` pairs (within the input size
/// limit) would take gigabytes; 2 million is some 25,000 pages of prose.
pub const MAX_MARKDOWN_WEIGHT: usize = 2_000_000;

/// Refuses a body over [`MAX_MARKDOWN_WEIGHT`] before it is parsed.
fn check_weight(path: &Path, parts: &Parts<'_>) -> Result<()> {
    let weight = parts
        .body
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
            parts.body_line,
            1,
            format!(
                "the article is too large: {weight} lines and markup characters (* _ [ ] < > ` ! | & \\); at most {MAX_MARKDOWN_WEIGHT} are accepted"
            ),
        )
        .with_hint("split the article")
        .into());
    }
    Ok(())
}

fn parse_body(path: &Path, parts: &Parts<'_>, map: &mut SourceMap) -> Result<Vec<Block>> {
    check_weight(path, parts)?;
    let body = parts.body;
    let base = parts.body_start;
    let line_of =
        |offset: usize| parts.body_line + body[..offset.min(body.len())].matches('\n').count();
    let mut reader = BodyReader {
        body,
        base,
        ..BodyReader::default()
    };
    // Counted as the events come, so that a huge body is refused before its whole model
    // is built (see validate::MAX_BLOCKS and MAX_LIST_ITEMS).
    let (mut started_blocks, mut started_items) = (0usize, 0usize);
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
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
        if let Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        }) = event
        {
            return Err(Diagnostic::at(
                path,
                line_of(range.start),
                1,
                "a level-1 heading in the body",
            )
            .with_hint("the article title comes from the front matter; use `##` for subheadings")
            .into());
        }
        reader.event(event, range);
    }
    Ok(reader.finish(map))
}

/// The state of reading a body's events into blocks.
#[derive(Default)]
struct BodyReader<'a> {
    body: &'a str,
    /// The body's byte offset in the file.
    base: usize,
    blocks: Vec<Placed>,
    inline: Inline,
    containers: Vec<Container>,
    /// The image being read: (src, title, alt, where it starts).
    image: Option<(String, String, String, usize)>,
    image_in_paragraph: Option<(String, String, String, usize)>,
    paragraph_has_text: bool,
    heading: Option<(u8, usize)>,
}

impl BodyReader<'_> {
    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        let at = self.base + range.start;
        match event {
            Event::Start(tag) => self.start(tag, at),
            Event::End(tag) => self.end(tag, at),
            Event::Text(t) => {
                let literal = self.body.get(range.clone()) == Some(&*t);
                self.text(&t, at, literal)
            }
            Event::Code(t) => self.text(&t, at, false),
            Event::InlineHtml(h) | Event::Html(h) => {
                let tag = h.trim();
                if let Some(lang) = span_lang(tag) {
                    self.inline.lang.push(lang);
                } else if tag.eq_ignore_ascii_case("</span>") && !self.inline.lang.is_empty() {
                    self.inline.lang.pop();
                } else {
                    let literal = self.body.get(range.clone()) == Some(&*h);
                    self.inline.push(&h, at, literal);
                    self.paragraph_has_text = true;
                }
            }
            Event::SoftBreak | Event::HardBreak => self.inline.push(" ", at, false),
            _ => {}
        }
    }

    fn text(&mut self, t: &str, at: usize, literal: bool) {
        if let Some(img) = self.image.as_mut() {
            img.2.push_str(t);
        } else {
            self.inline.push(t, at, literal);
            if !t.trim().is_empty() {
                self.paragraph_has_text = true;
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, at: usize) {
        match tag {
            Tag::Heading { level, .. } => self.heading = Some((heading_level(level), at)),
            Tag::Paragraph => {
                self.paragraph_has_text = false;
                self.image_in_paragraph = None;
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some((dest_url.to_string(), title.to_string(), String::new(), at));
            }
            Tag::Emphasis => self.inline.emphasis += 1,
            Tag::Strong => self.inline.strong += 1,
            Tag::Link { dest_url, .. } => self.inline.link.push(dest_url.to_string()),
            Tag::BlockQuote(_) => self.containers.push(Container::Quote(Vec::new(), at)),
            Tag::List(start) => {
                // A list nested in a list item is flattened into its parent. The text of a
                // tight item before its nested list is still pending: it is an item itself.
                let nested = matches!(self.containers.last(), Some(Container::List { .. }));
                if nested {
                    let pending = self.inline.take(at);
                    if let Some(Container::List { items, .. }) = self.containers.last_mut()
                        && !pending.0.is_blank()
                    {
                        items.push(pending);
                    }
                }
                self.containers.push(Container::List {
                    ordered: start.is_some() && !nested,
                    items: Vec::new(),
                    start: at,
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, at: usize) {
        match tag {
            TagEnd::Heading(_) => {
                let (level, start) = self.heading.take().unwrap_or((2, at));
                let (text, source) = self.inline.take(start);
                self.blocks.push(Placed {
                    block: Block::Heading { level, text },
                    start,
                    texts: vec![("text".into(), source)],
                });
            }
            TagEnd::Paragraph => self.end_paragraph(at),
            TagEnd::Image => {
                if let Some(img) = self.image.take() {
                    if self.paragraph_has_text || self.image_in_paragraph.is_some() {
                        // An image inside running text: keep its alt text as text.
                        self.inline.push(&img.2, img.3, false);
                        self.paragraph_has_text = true;
                    } else {
                        self.image_in_paragraph = Some(img);
                    }
                }
            }
            TagEnd::Emphasis => self.inline.emphasis = self.inline.emphasis.saturating_sub(1),
            TagEnd::Strong => self.inline.strong = self.inline.strong.saturating_sub(1),
            TagEnd::Link => {
                self.inline.link.pop();
            }
            TagEnd::BlockQuote(_) => {
                if let Some(Container::Quote(parts, start)) = self.containers.pop() {
                    let placed = quote_block(parts, start);
                    self.push_block(placed);
                }
            }
            TagEnd::List(_) => {
                if let Some(Container::List {
                    ordered,
                    items,
                    start,
                }) = self.containers.pop()
                {
                    if let Some(Container::List { items: parent, .. }) = self.containers.last_mut()
                    {
                        parent.extend(items);
                    } else if !items.is_empty() {
                        self.push_block(list_block(ordered, items, start));
                    }
                }
            }
            TagEnd::Item => {
                // Tight list items have no paragraph: their text is still pending.
                let pending = self.inline.take(at);
                if !pending.0.is_blank()
                    && let Some(Container::List { items, .. }) = self.containers.last_mut()
                {
                    items.push(pending);
                }
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                let pending = self.inline.take(at);
                self.finish_text(pending);
            }
            _ => {}
        }
    }

    fn end_paragraph(&mut self, at: usize) {
        let pending = self.inline.take(at);
        if let (Some((src, title, alt, start)), false) =
            (self.image_in_paragraph.take(), self.paragraph_has_text)
        {
            let decorative = title == "decorative";
            self.blocks.push(Placed {
                block: Block::Figure(Figure {
                    src,
                    alt: (!alt.is_empty()).then_some(alt),
                    caption: (!title.is_empty() && !decorative).then(|| Text::plain(title)),
                    credit: None,
                    decorative,
                    image: None,
                }),
                start,
                texts: Vec::new(),
            });
        } else {
            self.finish_text(pending);
        }
    }

    fn finish_text(&mut self, pending: Sourced) {
        if pending.0.is_blank() {
            return;
        }
        match self.containers.last_mut() {
            Some(Container::Quote(parts, _)) => parts.push(pending),
            Some(Container::List { items, .. }) => items.push(pending),
            None => {
                let (text, source) = pending;
                self.blocks.push(Placed {
                    block: Block::Paragraph { text },
                    start: source.start,
                    texts: vec![("text".into(), source)],
                });
            }
        }
    }

    fn push_block(&mut self, placed: Placed) {
        let Placed {
            block,
            start,
            mut texts,
        } = placed;
        let text_source = |texts: &mut Vec<(String, TextSource)>| {
            texts
                .iter()
                .position(|(k, _)| k == "text")
                .map_or(TextSource::at(start), |i| texts.swap_remove(i).1)
        };
        match (self.containers.last_mut(), block) {
            (Some(Container::Quote(parts, _)), Block::Quote { text, .. }) => {
                parts.push((text, text_source(&mut texts)))
            }
            (Some(Container::List { items, .. }), Block::Quote { text, .. }) => {
                items.push((text, text_source(&mut texts)))
            }
            (Some(Container::Quote(parts, _)), Block::List { items, .. }) => {
                parts.extend(items.into_iter().zip(texts.into_iter().map(|(_, s)| s)))
            }
            (_, block) => self.blocks.push(Placed {
                block,
                start,
                texts,
            }),
        }
    }

    /// The blocks; their places go into `map` (`blocks[i]`, `blocks[i].text`, …).
    fn finish(mut self, map: &mut SourceMap) -> Vec<Block> {
        let (rest, source) = self.inline.take(self.base + self.body.len());
        if !rest.is_blank() {
            self.blocks.push(Placed {
                block: Block::Paragraph { text: rest },
                start: source.start,
                texts: vec![("text".into(), source)],
            });
        }
        map.body("blocks".into(), TextSource::at(self.base));
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for (i, placed) in self.blocks.into_iter().enumerate() {
            map.body(format!("blocks[{i}]"), TextSource::at(placed.start));
            for (name, source) in placed.texts {
                map.body(format!("blocks[{i}].{name}"), source);
            }
            blocks.push(placed.block);
        }
        blocks
    }
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

fn list_block(ordered: bool, items: Vec<Sourced>, start: usize) -> Placed {
    let mut texts = Vec::with_capacity(items.len());
    let items = items
        .into_iter()
        .enumerate()
        .map(|(j, (text, source))| {
            texts.push((format!("items[{j}]"), source));
            text
        })
        .collect();
    Placed {
        block: Block::List { ordered, items },
        start,
        texts,
    }
}

fn quote_block(mut parts: Vec<Sourced>, start: usize) -> Placed {
    let mut texts = Vec::new();
    let attribution = match parts.last() {
        Some((t, _)) if parts.len() > 1 && t.to_plain().trim_start().starts_with("— ") => {
            let s = t.to_plain();
            let (last, source) = parts.pop().expect("a last part");
            let kept = s.trim_start().trim_start_matches("— ").trim();
            let prefix = &s[..s.len() - s.trim_start().trim_start_matches("— ").len()];
            let lens: Vec<usize> = last.spans.iter().map(|p| p.text.chars().count()).collect();
            texts.push(("attribution".to_string(), source.flattened(&lens, prefix)));
            Some(kept.to_string())
        }
        _ => None,
    };
    let mut text = Text::default();
    let mut source = TextSource::at(parts.first().map_or(start, |(_, s)| s.start));
    for (i, (p, s)) in parts.into_iter().enumerate() {
        if i > 0 {
            text.spans.push(Span::plain(" "));
            source.spans.push(Vec::new());
        }
        text.spans.extend(p.spans);
        source.spans.extend(s.spans);
    }
    texts.push(("text".to_string(), source));
    Placed {
        block: Block::Quote { text, attribution },
        start,
        texts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
