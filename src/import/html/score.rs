//! Finding the article's element on a page no layout rule knows: every text block
//! (the inline text of a paragraph, heading, list item, cell or `div`) is classified by
//! its length, link density, stop-word density and sentence punctuation, as jusText
//! and trafilatura do; each element then scores the text of its good blocks minus that
//! of its bad ones (navigation, link lists, chrome), and the best element is the body.

use std::collections::HashMap;

use ego_tree::NodeId;
use scraper::{ElementRef, Node};

use super::MAX_DEPTH;
use super::chars::text_chars;
use super::convert::{DROPPED_ELEMENTS, chrome_class, is_hidden};

/// A block this long (in characters, links excluded) with few links is article text.
pub const GOOD_CHARS: usize = 80;
/// A block whose link text is more than this share of its text is navigation.
pub const MAX_LINK_DENSITY: f64 = 0.4;

/// The score of every element that holds text, and the element with the best one.
#[derive(Debug, Default)]
pub struct Scores {
    /// Good text minus bad text, per element.
    pub score: HashMap<NodeId, f64>,
    /// All text (characters) under each element.
    pub chars: HashMap<NodeId, usize>,
    /// Text of good blocks (characters), per element.
    pub good: HashMap<NodeId, f64>,
    /// The best-scoring element, if any scored above zero.
    pub best: Option<(NodeId, f64)>,
    /// All text of the page (characters).
    pub page_chars: usize,
}

/// Elements that hold blocks (not text blocks themselves): the body is narrowed only
/// into these.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "div"
            | "section"
            | "article"
            | "main"
            | "td"
            | "table"
            | "tbody"
            | "tr"
            | "center"
            | "font"
            | "span"
    )
}

/// Elements whose text runs inline inside a block.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "span"
            | "em"
            | "i"
            | "b"
            | "strong"
            | "u"
            | "small"
            | "sup"
            | "sub"
            | "font"
            | "abbr"
            | "q"
            | "cite"
            | "dfn"
            | "time"
            | "code"
            | "mark"
            | "s"
            | "del"
            | "ins"
            | "label"
            | "bdi"
            | "bdo"
            | "kbd"
            | "samp"
            | "var"
            | "data"
            | "br"
            | "img"
            | "wbr"
            | "picture"
            | "source"
            | "ruby"
            | "rb"
    )
}

/// Inline text of a block: characters and link characters, white space collapsed.
#[derive(Default)]
struct Inline {
    chars: usize,
    link_chars: usize,
    words: usize,
    stop_words: usize,
    punct: usize,
    last_space: bool,
    word: String,
    /// The last visible character ends a sentence.
    ends_sentence: bool,
}

impl Inline {
    fn push(&mut self, s: &str, in_link: bool) {
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.last_space {
                    self.chars += 1;
                    self.last_space = true;
                }
                self.end_word();
            } else {
                self.chars += 1;
                self.ends_sentence = matches!(
                    c,
                    '.' | '!' | '?' | '…' | '"' | '”' | '。' | '！' | '？' | ')' | ':'
                );
                if in_link {
                    self.link_chars += 1;
                }
                self.last_space = false;
                if matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '。' | '、' | '，') {
                    self.punct += 1;
                }
                if c.is_alphanumeric() {
                    self.word.extend(c.to_lowercase());
                } else {
                    self.end_word();
                }
            }
        }
    }

    fn end_word(&mut self) {
        if !self.word.is_empty() {
            self.words += 1;
            if super::stopwords::is_stop_word(&self.word) {
                self.stop_words += 1;
            }
            self.word.clear();
        }
    }
}

/// Scores the page's elements under `root`.
pub fn score(root: ElementRef<'_>) -> Scores {
    let mut s = Scores {
        page_chars: text_chars(root, 0),
        ..Scores::default()
    };
    walk(root, 0, &mut s);
    // The best element, narrowed to the child that holds most of its good text: the
    // sum is highest on a wrapper as wide as the neutral text around the article.
    if let Some((id, sc)) = s.best {
        let id = s.narrow(root, id);
        s.best = Some((id, s.score.get(&id).copied().unwrap_or(sc)));
    }
    s
}

impl Scores {
    /// `id`, or the deepest container under it that holds [`NARROW_SHARE`] of its good
    /// text.
    pub fn narrow(&self, root: ElementRef<'_>, mut id: NodeId) -> NodeId {
        while let Some(node) = root.tree().get(id) {
            let good = self.good.get(&id).copied().unwrap_or(0.0);
            let narrower = node.children().find(|c| {
                c.value()
                    .as_element()
                    .is_some_and(|el| is_container(el.name()))
                    && self.good.get(&c.id()).copied().unwrap_or(0.0) >= NARROW_SHARE * good
            });
            match narrower {
                Some(c) if good > 0.0 => id = c.id(),
                _ => break,
            }
        }
        id
    }
}

/// The best element is narrowed to a child holding at least this share of its good text.
pub const NARROW_SHARE: f64 = 0.85;

/// Returns (score, chars) of `e`'s subtree.
fn walk(e: ElementRef<'_>, depth: usize, s: &mut Scores) -> (f64, usize) {
    let (sc, n, _) = walk_good(e, depth, s);
    (sc, n)
}

/// Returns (score, chars, good chars) of `e`'s subtree.
fn walk_good(e: ElementRef<'_>, depth: usize, s: &mut Scores) -> (f64, usize, f64) {
    if depth > MAX_DEPTH {
        return (0.0, 0, 0.0);
    }
    let v = e.value();
    let name = v.name();
    if is_hidden(v) {
        return (0.0, 0, 0.0);
    }
    if DROPPED_ELEMENTS.contains(&name) {
        if matches!(
            name,
            "nav" | "aside" | "footer" | "header" | "form" | "menu" | "dialog"
        ) {
            // Navigation and forms count against the elements around them.
            let n = text_chars(e, depth);
            return (-(n as f64), n, 0.0);
        }
        return (0.0, 0, 0.0);
    }
    if chrome_class(e).is_some() {
        // Chrome counts against the elements around it, unless it holds most of the
        // page's text (a class word is only a hint).
        let n = text_chars(e, depth);
        if n * 2 <= s.page_chars {
            return (-(n as f64), n, 0.0);
        }
    }
    let mut total = 0.0;
    let mut chars = 0usize;
    let mut good = 0.0;
    let mut inline = Inline::default();
    inline_walk(e, depth, &mut inline, &mut |child, d| {
        let (sc, n, g) = walk_good(child, d, s);
        total += sc;
        chars += n;
        good += g;
    });
    inline.end_word();
    if inline.chars > 0 {
        let b = block_score(name, &inline);
        total += b;
        good += b.max(0.0);
        chars += inline.chars;
    }
    if chars > 0 {
        s.score.insert(e.id(), total);
        s.chars.insert(e.id(), chars);
        s.good.insert(e.id(), good);
        if total > 0.0 && is_container(name) && s.best.is_none_or(|(_, b)| total >= b) {
            s.best = Some((e.id(), total));
        }
    }
    (total, chars, good)
}

/// Walks `e`'s inline content into `inline`, handing each block child to `block`.
fn inline_walk(
    e: ElementRef<'_>,
    depth: usize,
    inline: &mut Inline,
    block: &mut dyn FnMut(ElementRef<'_>, usize),
) {
    inline_walk_in(e, depth, inline, block, false);
}

fn inline_walk_in(
    e: ElementRef<'_>,
    depth: usize,
    inline: &mut Inline,
    block: &mut dyn FnMut(ElementRef<'_>, usize),
    in_link: bool,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in e.children() {
        match child.value() {
            Node::Text(t) => inline.push(t, in_link),
            Node::Element(el) => {
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                let n = el.name();
                if is_inline(n) && !is_hidden(el) && chrome_class(c).is_none() {
                    inline_walk_in(c, depth + 1, inline, block, in_link || n == "a");
                } else {
                    block(c, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// How much a block of inline text counts for (+) or against (−) its elements.
fn block_score(name: &str, b: &Inline) -> f64 {
    let chars = b.chars as f64;
    let link_density = b.link_chars as f64 / chars.max(1.0);
    let own = (b.chars - b.link_chars.min(b.chars)) as f64;
    if link_density > MAX_LINK_DENSITY {
        return -chars;
    }
    if matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
        return 0.0;
    }
    let stop_density = b.stop_words as f64 / (b.words.max(1) as f64);
    let spaced = super::stopwords::spaced(b.words, b.chars);
    // Running text: long with function words or punctuation, or a shorter sentence.
    let long_text = b.chars >= GOOD_CHARS && (stop_density >= 0.15 || b.punct >= 2 || !spaced);
    let sentence = b.chars >= 30 && b.ends_sentence && (stop_density >= 0.1 || !spaced);
    if long_text || sentence { own } else { 0.0 }
}
