//! The body, element by element: chrome left out, blocks and inline styles kept.

use std::collections::HashSet;
use std::path::Path;

use ego_tree::NodeId;
use scraper::{ElementRef, Node};

use super::super::{Note, NoteKind, chrome, normalize_space, shorten};
use super::spans::{join_text, tidy, unemphasised};
use super::{MAX_DEPTH, MAX_NOTES, sel};
use crate::model::{Block, HeadingLevel, Span, Text};
use crate::validate::{is_language_tag, is_safe_url};

/// Elements whose content is never article text.
pub(super) const DROPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "form", "button", "input", "select",
    "textarea", "nav", "aside", "footer", "header", "svg", "canvas", "object", "embed", "video",
    "audio", "map", "link", "meta", "head", "title", "dialog", "menu", "rt", "rp",
];

/// Turns the body's elements into blocks.
pub(super) struct Converter<'a> {
    pub(super) page: &'a Path,
    pub(super) source: &'a str,
    pub(super) title: String,
    pub(super) skip: HashSet<NodeId>,
    pub(super) blocks: Vec<Block>,
    pub(super) notes: Vec<Note>,
    pub(super) notes_left_out: usize,
    pub(super) spans: Vec<Span>,
    pub(super) emphasis: usize,
    pub(super) strong: usize,
    pub(super) links: Vec<Option<String>>,
    pub(super) langs: Vec<String>,
    /// A figure just pushed that may still take the next emphasised line as its caption.
    pub(super) open_figure: Option<usize>,
    /// An image just left out with no text of its own (its file is not in the page's
    /// folder): the next emphasised line or caption-class element is its caption.
    pub(super) after_missing_image: bool,
    /// The texts kept in place of images that could not be imported (see
    /// [`super::super::Imported::image_texts`]).
    pub(super) image_texts: Vec<String>,
    /// The element being read is a caption (class `caption`, `image_desc`, `Image`…).
    pub(super) in_caption: usize,
    /// True once an end marker (`Tin liên quan`) was seen.
    pub(super) ended: bool,
    /// False for the sub-converters of headings, list items, quotations and captions:
    /// chrome and end markers are recognised on whole blocks only.
    pub(super) top: bool,
    /// The characters of text in the body's element (see `holds_most_text`).
    pub(super) body_chars: usize,
    /// The page's own http/https address, against which relative links are resolved.
    pub(super) base: Option<String>,
    /// Class and id names are read for chrome (false when they held the article's text,
    /// see `convert_body`).
    pub(super) class_rules: bool,
    /// Characters of text in elements left out for their class or id.
    pub(super) class_dropped_chars: usize,
    /// Visible characters of the paragraph being read, and those inside links.
    pub(super) para_chars: usize,
    pub(super) para_link_chars: usize,
}

impl<'a> Converter<'a> {
    pub(super) fn new(page: &'a Path, source: &'a str, title: &str, skip: HashSet<NodeId>) -> Self {
        Converter {
            page,
            source,
            title: title.to_string(),
            skip,
            blocks: Vec::new(),
            notes: Vec::new(),
            notes_left_out: 0,
            spans: Vec::new(),
            emphasis: 0,
            strong: 0,
            links: Vec::new(),
            langs: Vec::new(),
            open_figure: None,
            after_missing_image: false,
            image_texts: Vec::new(),
            in_caption: 0,
            ended: false,
            top: true,
            class_rules: true,
            class_dropped_chars: 0,
            body_chars: 0,
            base: None,
            para_chars: 0,
            para_link_chars: 0,
        }
    }

    /// A sub-converter for a list item, quotation or caption, sharing the settings.
    pub(super) fn child(&self) -> Converter<'a> {
        let mut c = Converter::new(self.page, self.source, &self.title, self.skip.clone());
        c.top = false;
        c.body_chars = self.body_chars;
        c.base = self.base.clone();
        c.class_rules = self.class_rules;
        c
    }

    pub(super) fn note(&mut self, kind: NoteKind, place: String, message: String) {
        if self.notes.len() >= MAX_NOTES {
            self.notes_left_out += 1;
        } else {
            self.notes.push(Note {
                kind,
                place,
                message,
            });
        }
    }

    pub(super) fn absorb_notes(&mut self, other: Converter<'_>) {
        self.image_texts.extend(other.image_texts);
        for n in other.notes {
            self.note(n.kind, n.place, n.message);
        }
        self.notes_left_out += other.notes_left_out;
    }

    /// `div#id.class > p[3]`-style path of an element, with its line when `needle`
    /// can be found in the source.
    pub(super) fn path_of(&self, e: ElementRef<'_>) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(e);
        while let Some(el) = cur {
            let v = el.value();
            let mut s = v.name().to_string();
            if let Some(id) = v.id() {
                s.push('#');
                s.push_str(&id.chars().take(40).collect::<String>());
            } else if let Some(c) = v.classes().next() {
                s.push('.');
                s.push_str(&c.chars().take(40).collect::<String>());
            }
            parts.push(s);
            if parts.len() >= 4 {
                break;
            }
            cur = el
                .parent()
                .and_then(ElementRef::wrap)
                .filter(|p| p.value().name() != "html");
        }
        parts.reverse();
        parts.join(" > ")
    }

    pub(super) fn place(&self, e: ElementRef<'_>, needle: Option<&str>) -> String {
        let path = self.path_of(e);
        if self.notes.len() < MAX_NOTES
            && let Some(n) = needle.filter(|n| n.len() >= 4)
            && let Some(at) = self.source.find(n)
        {
            let (line, column) = crate::source_text::line_column(self.source, at);
            return format!("{line}:{column} {path}");
        }
        path
    }

    /// Whether `e` holds most of the body's text: such an element is never chrome, whatever
    /// its class says.
    fn holds_most_text(&self, e: ElementRef<'_>, depth: usize) -> bool {
        self.body_chars > 0 && super::chars::text_chars(e, depth) * 2 > self.body_chars
    }

    pub(super) fn walk_children(&mut self, e: ElementRef<'_>, depth: usize) {
        for child in e.children() {
            if self.ended {
                return;
            }
            match child.value() {
                Node::Text(t) => self.push_text(t),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.walk(el, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    pub(super) fn walk(&mut self, e: ElementRef<'_>, depth: usize) {
        if depth > MAX_DEPTH || self.skip.contains(&e.id()) {
            return;
        }
        let v = e.value();
        let name = v.name();
        if DROPPED_ELEMENTS.contains(&name) {
            if matches!(
                name,
                "nav" | "aside" | "footer" | "form" | "header" | "iframe" | "video" | "audio"
            ) {
                let p = self.place(e, None);
                self.note(NoteKind::Dropped, p, format!("<{name}>"));
            }
            return;
        }
        if is_hidden(v) {
            return;
        }
        if self.class_rules
            && let Some(part) = chrome_class(e)
            && !self.holds_most_text(e, depth)
        {
            self.class_dropped_chars += super::chars::text_chars(e, depth);
            let p = self.place(e, None);
            self.note(
                NoteKind::Dropped,
                p,
                format!("chrome (class or id with `{part}`)"),
            );
            return;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(e, name, depth),
            "ul" | "ol" => self.list(e, name, depth),
            "blockquote" => self.quotation(e, depth),
            "figure" => self.figure_element(e, depth),
            "table" => self.table(e, depth),
            "img" => {
                self.flush();
                self.figure(e, None);
            }
            "br" => self.flush(),
            "hr" => {
                self.flush();
                self.open_figure = None;
            }
            "a" => self.link(e, depth),
            "em" | "i" | "cite" | "dfn" => {
                self.emphasis += 1;
                self.walk_children(e, depth);
                self.emphasis -= 1;
            }
            "strong" | "b" => {
                self.strong += 1;
                self.walk_children(e, depth);
                self.strong -= 1;
            }
            "span" | "q" | "font" | "abbr" | "small" | "sup" | "sub" | "u" | "mark" | "time"
            | "code" | "label" | "bdi" | "bdo" | "s" | "del" | "ins" | "kbd" | "samp" | "var"
            | "data" | "picture" | "source" | "ruby" | "rb" => self.inline_element(e, depth),
            _ => self.container(e, depth),
        }
    }

    /// A heading: an end marker ends the article; the article's title is not repeated.
    pub(super) fn heading(&mut self, e: ElementRef<'_>, name: &str, depth: usize) {
        self.flush();
        let text = self.inline_of(e, depth);
        let plain = normalize_space(&text.to_plain());
        if plain.is_empty() {
            return;
        }
        if chrome::is_end_marker(&plain) || self.ends_article(&plain) {
            self.end_here(e, &plain);
            return;
        }
        if self.top && chrome::is_read_also(&plain) {
            let p = self.place(e, Some(&plain));
            self.note(
                NoteKind::Dropped,
                p,
                format!("a \"read also\" heading `{plain}`"),
            );
            return;
        }
        self.open_figure = None;
        if plain == self.title {
            return;
        }
        let level = HeadingLevel::clamped(name[1..].parse::<u8>().unwrap_or(2));
        self.blocks.push(Block::Heading { level, text });
    }

    /// A list: each item's blocks joined into one item; figures inside go after the list.
    pub(super) fn list(&mut self, e: ElementRef<'_>, name: &str, depth: usize) {
        self.flush();
        self.open_figure = None;
        let mut items = Vec::new();
        let mut after = Vec::new();
        for li in e.child_elements() {
            if self.skip.contains(&li.id()) {
                continue;
            }
            let mut c = self.child();
            c.walk_children(li, depth + 1);
            c.flush();
            let mut item = Text::default();
            for b in std::mem::take(&mut c.blocks) {
                match b {
                    Block::Paragraph { text }
                    | Block::Heading { text, .. }
                    | Block::Quote { text, .. } => join_text(&mut item, text),
                    Block::List { items: nested, .. } => {
                        if !item.is_blank() {
                            items.push(std::mem::take(&mut item));
                        }
                        items.extend(nested);
                    }
                    fig @ Block::Figure(_) => after.push(fig),
                }
            }
            self.absorb_notes(c);
            if !item.is_blank() {
                items.push(item);
            }
        }
        if !items.is_empty() {
            let plain: Vec<String> = items
                .iter()
                .map(|t| normalize_space(&t.to_plain()))
                .collect();
            if plain.iter().all(|t| chrome::is_chrome_line(t)) {
                let p = self.place(e, None);
                self.note(NoteKind::Dropped, p, "a list of toolbar links".into());
            } else if self.top && items.len() >= 2 && {
                let all: usize = items
                    .iter()
                    .flat_map(|t| &t.spans)
                    .map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count())
                    .sum();
                let linked: usize = items
                    .iter()
                    .flat_map(|t| &t.spans)
                    .filter(|s| s.href.is_some())
                    .map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count())
                    .sum();
                linked * 10 > all * 8
            } {
                let p = self.place(e, None);
                self.note(
                    NoteKind::Dropped,
                    p,
                    "a list of links (navigation or related articles)".into(),
                );
            } else {
                self.blocks.push(Block::List {
                    ordered: name == "ol",
                    items,
                });
            }
        }
        self.blocks.extend(after);
    }

    /// A quotation: its blocks joined into one; figures inside go after it.
    pub(super) fn quotation(&mut self, e: ElementRef<'_>, depth: usize) {
        self.flush();
        self.open_figure = None;
        let mut c = self.child();
        c.walk_children(e, depth);
        c.flush();
        let mut text = Text::default();
        let mut after = Vec::new();
        for b in std::mem::take(&mut c.blocks) {
            match b {
                Block::Paragraph { text: t }
                | Block::Heading { text: t, .. }
                | Block::Quote { text: t, .. } => join_text(&mut text, t),
                Block::List { items, .. } => {
                    items.into_iter().for_each(|t| join_text(&mut text, t))
                }
                fig @ Block::Figure(_) => after.push(fig),
            }
        }
        self.absorb_notes(c);
        if !text.is_blank() {
            self.blocks.push(Block::Quote {
                text,
                attribution: None,
            });
        }
        self.blocks.extend(after);
    }

    /// A `<figure>`: its images, the first with the `<figcaption>`.
    pub(super) fn figure_element(&mut self, e: ElementRef<'_>, depth: usize) {
        self.flush();
        let caption = e
            .child_elements()
            .find(|c| c.value().name() == "figcaption")
            .map(|c| self.inline_of(c, depth))
            .filter(|t| !t.is_blank());
        let imgs: Vec<ElementRef<'_>> = e.select(&sel("img")).collect();
        match imgs.as_slice() {
            [] => {
                // No image to keep: a figure of text (a pull quote, a table, code) is read
                // as text; the caption of a video, embed or picture that cannot be kept
                // would describe nothing in the edition.
                let has_text = e.child_elements().any(|c| {
                    matches!(
                        c.value().name(),
                        "blockquote" | "p" | "pre" | "table" | "ul" | "ol" | "dl" | "div"
                    ) && super::chars::text_chars(c, depth) > 0
                });
                if has_text {
                    for c in e.child_elements() {
                        if c.value().name() != "figcaption" {
                            self.walk(c, depth + 1);
                        }
                    }
                    self.flush();
                    if let Some(c) = caption {
                        self.blocks.push(Block::Paragraph { text: c });
                    }
                } else if let Some(c) = caption {
                    let p = self.place(e, None);
                    let shown = shorten(&c.to_plain());
                    self.note(
                        NoteKind::Dropped,
                        p,
                        format!("the caption `{shown}` of a figure with no image to keep"),
                    );
                }
            }
            [img] => self.figure(*img, caption),
            [first, rest @ ..] => {
                self.figure(*first, caption);
                for img in rest {
                    self.figure(*img, None);
                }
            }
        }
        self.open_figure = None;
    }

    /// A link: http, https and mailto kept; others reported, their text kept.
    pub(super) fn link(&mut self, e: ElementRef<'_>, depth: usize) {
        let v = e.value();
        let href = v.attr("href").map(str::trim).unwrap_or("");
        let link = if href.is_empty() || href.starts_with('#') {
            None
        } else if is_safe_url(href) {
            Some(href.to_string())
        } else if let Some(abs) = self
            .base
            .as_deref()
            .and_then(|b| super::super::url::absolute(b, href))
            .filter(|u| is_safe_url(u))
        {
            Some(abs)
        } else {
            let shown: String = href.chars().take(60).collect();
            let p = self.place(e, None);
            let why = if href.to_ascii_lowercase().starts_with("javascript:") {
                "a `javascript:` link"
            } else if !href.contains(':') {
                "a link relative to the portal"
            } else {
                "a link that is not http, https or mailto"
            };
            self.note(
                NoteKind::Attention,
                p,
                format!("{why} (`{shown}`): its text is kept, the link is not"),
            );
            None
        };
        self.links.push(link);
        self.walk_children(e, depth);
        self.links.pop();
    }

    /// An inline element, with its `lang` when it has a valid one.
    pub(super) fn inline_element(&mut self, e: ElementRef<'_>, depth: usize) {
        let v = e.value();
        let lang = v.attr("lang").map(str::trim).filter(|l| is_language_tag(l));
        if let Some(l) = lang {
            self.langs.push(l.to_string());
        }
        self.walk_children(e, depth);
        if lang.is_some() {
            self.langs.pop();
        }
    }

    /// A block container (p, div, section, article, li outside lists, td…) or an unknown
    /// element: a paragraph boundary before and after.
    pub(super) fn container(&mut self, e: ElementRef<'_>, depth: usize) {
        self.flush();
        let caption = is_caption_class(e);
        if caption {
            self.in_caption += 1;
        }
        self.walk_children(e, depth);
        self.flush();
        if caption {
            self.in_caption -= 1;
        }
    }

    /// Whether a heading (or a line all in bold) with this text ends the article: a
    /// "related articles", "read also", "comments" or "about the author" heading in one of
    /// the languages of [`chrome::is_end_heading`], once the article has begun (three
    /// blocks read).
    fn ends_article(&self, plain: &str) -> bool {
        self.top && self.blocks.len() >= 3 && chrome::is_end_heading(plain)
    }

    pub(super) fn end_here(&mut self, e: ElementRef<'_>, text: &str) {
        let p = self.place(e, Some(text));
        self.note(
            NoteKind::Dropped,
            p,
            format!("`{text}` and everything after it (related articles or comments)"),
        );
        self.ended = true;
    }

    /// The inline text of an element (its blocks joined), for headings and captions.
    pub(super) fn inline_of(&mut self, e: ElementRef<'_>, depth: usize) -> Text {
        let mut c = self.child();
        c.walk_children(e, depth);
        c.flush();
        let mut text = Text::default();
        for b in std::mem::take(&mut c.blocks) {
            match b {
                Block::Paragraph { text: t }
                | Block::Heading { text: t, .. }
                | Block::Quote { text: t, .. } => join_text(&mut text, t),
                Block::List { items, .. } => {
                    items.into_iter().for_each(|t| join_text(&mut text, t))
                }
                Block::Figure(_) => {}
            }
        }
        self.absorb_notes(c);
        text
    }

    pub(super) fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let visible = s.chars().filter(|c| !c.is_whitespace()).count();
        self.para_chars += visible;
        if !self.links.is_empty() {
            self.para_link_chars += visible;
        }
        let span = Span {
            text: s.to_string(),
            emphasis: self.emphasis > 0,
            strong: self.strong > 0,
            href: self.links.last().cloned().flatten(),
            lang: self.langs.last().cloned(),
        };
        match self.spans.last_mut() {
            Some(last) if last.same_style(&span) => last.text.push_str(s),
            _ => self.spans.push(span),
        }
    }

    /// Ends the current paragraph: white space collapsed, chrome and end markers
    /// recognised, an emphasised line after an image taken as its caption.
    pub(super) fn flush(&mut self) {
        let (chars, link_chars) = (self.para_chars, self.para_link_chars);
        self.para_chars = 0;
        self.para_link_chars = 0;
        if self.spans.is_empty() {
            return;
        }
        let text = tidy(std::mem::take(&mut self.spans));
        if text.is_blank() {
            return;
        }
        let plain = text.to_plain();
        if !self.top {
            self.blocks.push(Block::Paragraph { text });
            return;
        }
        if chrome::is_chrome_line(&plain) {
            let shown = shorten(&plain);
            let place = match self.source.find(plain.as_str()) {
                Some(at) => {
                    let (l, c) = crate::source_text::line_column(self.source, at);
                    format!("{l}:{c}")
                }
                None => "body".into(),
            };
            self.note(NoteKind::Dropped, place, format!("portal chrome `{shown}`"));
            return;
        }
        if chrome::is_read_also(&plain) && plain.chars().count() <= 140 {
            let shown = shorten(&plain);
            self.note(
                NoteKind::Dropped,
                "body".into(),
                format!("a \"read also\" line `{shown}`"),
            );
            return;
        }
        if is_link_line(chars, link_chars) {
            let shown = shorten(&plain);
            self.note(
                NoteKind::Dropped,
                "body".into(),
                format!("a line of links `{shown}`"),
            );
            return;
        }
        let all_strong = text
            .spans
            .iter()
            .all(|s| s.strong || s.text.trim().is_empty());
        if chrome::is_end_marker(&plain)
            || (all_strong && plain.chars().count() <= 80 && self.ends_article(&plain))
        {
            self.note(
                NoteKind::Dropped,
                "body".into(),
                format!("`{plain}` and everything after it (related articles or comments)"),
            );
            self.ended = true;
            return;
        }
        let all_emphasis = text
            .spans
            .iter()
            .all(|s| s.emphasis || s.text.trim().is_empty());
        if let Some(i) = self.open_figure
            && (all_emphasis || self.in_caption > 0)
            && let Some(Block::Figure(f)) = self.blocks.get_mut(i)
            && f.caption.is_none()
        {
            let caption = unemphasised(text);
            if f.alt.is_none() {
                f.alt = Some(normalize_space(&caption.to_plain()));
            }
            f.caption = Some(caption);
            self.open_figure = None;
            return;
        }
        if std::mem::take(&mut self.after_missing_image) && (all_emphasis || self.in_caption > 0) {
            // The caption of an image left out: kept (no words are lost), recorded as an
            // image's text.
            self.image_texts.push(normalize_space(&plain));
        }
        self.open_figure = None;
        self.blocks.push(Block::Paragraph { text });
    }
}

/// Whether an element is hidden (`hidden`, `aria-hidden="true"`, `display: none`,
/// `visibility: hidden`).
/// A paragraph that is mostly link text (`Read more: …`, a row of tags or teasers) is
/// navigation, not article text.
fn is_link_line(chars: usize, link_chars: usize) -> bool {
    chars > 0 && link_chars * 10 > chars * 6 && chars < 300
}

pub(super) fn is_hidden(v: &scraper::node::Element) -> bool {
    v.attr("hidden").is_some()
        || v.attr("aria-hidden") == Some("true")
        || v.attr("style").is_some_and(|s| {
            let s: String = s
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
}

/// The class or id word that makes an element chrome, if any (whole words only, see
/// [`chrome::chrome_part`]).
pub(super) fn chrome_class(e: ElementRef<'_>) -> Option<&'static str> {
    let v = e.value();
    let part = v.classes().chain(v.id()).find_map(chrome::chrome_part)?;
    if chrome::CONTROL_PARTS.contains(&part)
        && super::chars::text_chars(e, 0) > chrome::CONTROL_MAX_CHARS
    {
        return None;
    }
    Some(part)
}

/// Whether `e` lies inside an element that is never article text (`aside`, `nav`, …) or
/// is chrome by its class or id (a widget, a sidebar, a teaser box), and that holds at
/// most half of the page's `page_chars` characters of text: the wrappers of a whole
/// page carry layout words (`has-sidebar`) that say nothing about what they hold.
pub(super) fn inside_chrome(e: ElementRef<'_>, page_chars: usize) -> bool {
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        (matches!(
            a.value().name(),
            "aside" | "nav" | "footer" | "header" | "form"
        ) || chrome_class(a).is_some())
            && super::chars::text_chars(a, 0) * 2 <= page_chars
    })
}

fn is_caption_class(e: ElementRef<'_>) -> bool {
    e.value().classes().any(|c| {
        let c = c.to_ascii_lowercase();
        c.contains("caption")
            || c.contains("image_desc")
            || c.contains("img_desc")
            || c == "image"
            || c.contains("chuthich")
            || c.contains("photo_desc")
    })
}
