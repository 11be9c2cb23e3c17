//! The body of a Markdown article: pulldown-cmark's events → blocks, each block and
//! inline run placed in the file (`input/places.rs`).

use std::path::Path;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::Parts;
use crate::error::{Diagnostic, Result};
use crate::model::{Block, Figure, Span, Text};
use crate::source_text::places::{Segment, SourceMap, TextSource};
use crate::validate;

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

/// Reads the body into blocks, recording where each came from in `map`.
pub(super) fn parse_body(
    path: &Path,
    parts: &Parts<'_>,
    map: &mut SourceMap,
) -> Result<Vec<Block>> {
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
                    block: Block::Heading {
                        level: crate::model::HeadingLevel::clamped(level),
                        text,
                    },
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
