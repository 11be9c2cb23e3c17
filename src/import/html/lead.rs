//! The standfirst: the paragraph between the headline and the article's text that sums
//! the article up (`.lead`, `.intro`, `.teaser`, `.excerpt`, `.standfirst`, `.bajada`,
//! `.chapo`…), which sites often put in the page's `<header>` beside the headline, outside
//! the element that holds the running text.

use scraper::{ElementRef, Html, Node};

use super::super::normalize_space;
use super::convert::{chrome_class, is_hidden};
use crate::import::chrome::name_words;
use crate::model::Block;

/// Words of class or id names that mark a standfirst, in the languages of the public
/// collections (English, German, Spanish, French, Italian, Polish, Czech, Vietnamese).
const LEAD_WORDS: &[&str] = &[
    "lead",
    "lede",
    "intro",
    "teaser",
    "excerpt",
    "standfirst",
    "subtitle",
    "summary",
    "sapo",
    "deck",
    "dek",
    "bajada",
    "entradilla",
    "copete",
    "sumario",
    "chapo",
    "preface",
    "abstract",
    "hook",
    "perex",
    "vorspann",
];

/// A heading that links to another page: a teaser card, not a standfirst.
static LINKED_HEADINGS: std::sync::LazyLock<scraper::Selector> = std::sync::LazyLock::new(|| {
    scraper::Selector::parse("h1 a, h2 a, h3 a, h4 a, a h2, a h3, a h4").expect("a valid selector")
});

/// Whether `e` lies in a small box that is chrome by its class or id (a newsletter box,
/// related posts); the page's `<header>`, where standfirsts often are, does not count.
fn in_chrome_box(e: ElementRef<'_>, page_chars: usize) -> bool {
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        (matches!(a.value().name(), "aside" | "nav" | "footer" | "form")
            || chrome_class(a).is_some())
            && super::chars::text_chars(a, 0) * 2 <= page_chars
    })
}

/// The most elements looked at after the headline before giving up.
const LOOK_AHEAD: usize = 400;
/// A standfirst's length in characters.
const MIN_CHARS: usize = 40;
const MAX_CHARS: usize = 1500;

/// The text of the standfirst that follows the page's headline (the first `<h1>`, or the
/// one equal to `title`) and comes before the article's text, when its class or id says
/// it is one and the body does not already hold it; with the place it came from.
pub(super) fn standfirst(doc: &Html, title: &str, body: &[Block]) -> Option<(String, String)> {
    let body_text = normalize_space(&plain_of(body));
    let page_chars = super::chars::text_chars(doc.root_element(), 0);
    let h1s: Vec<ElementRef<'_>> = doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "h1")
        .collect();
    let h1 = h1s
        .iter()
        .find(|h| normalize_space(&text_of(**h)) == title)
        .or_else(|| h1s.first())
        .copied()?;
    let mut after = false;
    let mut looked = 0;
    let mut skip_inside: Option<ElementRef<'_>> = None;
    for node in doc.root_element().descendants() {
        if node.id() == h1.id() {
            after = true;
            skip_inside = Some(h1);
            continue;
        }
        if !after {
            continue;
        }
        let Some(e) = ElementRef::wrap(node) else {
            continue;
        };
        if let Some(s) = skip_inside
            && e.ancestors().any(|a| a.id() == s.id())
        {
            continue;
        }
        looked += 1;
        if looked > LOOK_AHEAD {
            return None;
        }
        let v = e.value();
        if matches!(
            v.name(),
            "script" | "style" | "noscript" | "nav" | "aside" | "footer" | "form" | "figure"
        ) || is_hidden(v)
        {
            skip_inside = Some(e);
            continue;
        }
        let lead_name = is_lead_name(e);
        if v.name() != "p" && !lead_name {
            continue;
        }
        let text = normalize_space(&text_of(e));
        // The article's text has begun: no standfirst before it.
        if v.name() == "p" && text.chars().count() >= MIN_CHARS && body_text.contains(&text) {
            return None;
        }
        if !lead_name {
            continue;
        }
        skip_inside = Some(e);
        // Not another article's teaser (`article.post_teaser`, a card with its own
        // heading), nor the site's tagline, nor a box of chrome (`newsletter-intro`).
        if v.name() == "article"
            || e.select(&LINKED_HEADINGS).next().is_some()
            || v.id()
                .is_some_and(|i| i.to_ascii_lowercase().starts_with("site"))
            || chrome_class(e).is_some_and(|p| p != "teaser")
            || in_chrome_box(e, page_chars)
        {
            continue;
        }
        let n = text.chars().count();
        if !(MIN_CHARS..=MAX_CHARS).contains(&n) || body_text.contains(&text) {
            continue;
        }
        if link_chars(e) * 10 > n * 3 {
            continue;
        }
        let name = v
            .classes()
            .next()
            .map(|c| format!(".{c}"))
            .or_else(|| v.id().map(|i| format!("#{i}")))
            .unwrap_or_default();
        return Some((
            text,
            format!("the standfirst after the headline `{}{name}`", v.name()),
        ));
    }
    None
}

/// Whether a class or id word of `e` marks a standfirst ([`LEAD_WORDS`]).
fn is_lead_name(e: ElementRef<'_>) -> bool {
    let v = e.value();
    v.classes().chain(v.id()).any(|name| {
        name_words(name).into_iter().any(|w| {
            LEAD_WORDS
                .iter()
                .any(|l| w == *l || (l.len() >= 4 && w.starts_with(l)))
        })
    })
}

/// The text under `e`, scripts and styles left out.
fn text_of(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    for d in e.descendants() {
        if let Node::Text(t) = d.value() {
            let parent = d
                .parent()
                .and_then(|p| p.value().as_element().map(|x| x.name()));
            if !matches!(parent, Some("script" | "style" | "template" | "noscript")) {
                s.push_str(t);
                s.push(' ');
            }
        }
    }
    s
}

/// Characters of text inside links under `e`.
fn link_chars(e: ElementRef<'_>) -> usize {
    e.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "a")
        .map(|a| normalize_space(&text_of(a)).chars().count())
        .sum()
}

/// The plain text of the blocks read so far (figures left out).
fn plain_of(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } | Block::Quote { text, .. } => {
                s.push_str(&text.to_plain());
                s.push(' ');
            }
            Block::List { items, .. } => {
                for t in items {
                    s.push_str(&t.to_plain());
                    s.push(' ');
                }
            }
            Block::Figure(_) => {}
        }
    }
    s
}
