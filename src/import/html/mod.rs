//! Saved article pages (`.html`, `.htm`): parsed with html5ever (through `scraper`),
//! never with patterns over the markup.
//!
//! In order:
//! 1. limits: at most [`MAX_DEPTH`] nested elements and [`MAX_ELEMENTS`] elements;
//! 2. metadata: schema.org `NewsArticle` JSON-LD, then Open Graph / `article:*` /
//!    `<meta name>`, then `<time datetime>`;
//! 3. the article's element: the first [`LAYOUTS`] rule whose `detect` selector matches
//!    (the CMS layouts of Vietnamese portals and newspapers, see `docs/import.md`), else
//!    a specific [`GENERIC_BODY`] selector's element, else a Readability-style extractor
//!    (`dom_smoothie`), else the best-scoring element, else `main`;
//! 4. the body, element by element ([`Converter`]): chrome (scripts, styles, forms,
//!    menus, toolbars, share and related-article boxes) left out, headings, paragraphs,
//!    lists, quotations, emphasis and http/https/mailto links kept, figures with their
//!    caption (`figure`/`figcaption`, an image and a caption cell of a table, or an
//!    image followed by an emphasised line or a caption-class element).

mod chars;
mod convert;
mod figures;
mod layouts;
mod lead;
mod metadata;
mod score;
mod spans;
mod stopwords;
mod tail;
#[cfg(test)]
mod tests;
mod title;

use std::collections::HashSet;
use std::path::Path;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};

use super::plaintext::looks_like_author;
use super::{Imported, NoteKind, dates, normalize_space, shorten};
use crate::error::{Diagnostic, Result};
use crate::model::{Article, Block, HeadingLevel, Text};
use crate::validate::{is_language_tag, is_safe_url};
use convert::Converter;
pub use layouts::{GENERIC_BODY, LAYOUTS, Layout};
use metadata::{Meta, generic_fields, json_ld, layout_fields, meta_tags, site_suffix_removed};

/// The deepest element nesting accepted (real pages nest 20 to 40 deep).
pub const MAX_DEPTH: usize = 256;
/// The most elements accepted in a page (a long article page has a few thousand).
pub const MAX_ELEMENTS: usize = 500_000;
/// The most notes kept in a report; the rest are counted.
const MAX_NOTES: usize = 500;
/// The largest JSON-LD script read, in bytes.
const MAX_JSON_LD: usize = 1 << 20;

/// Reads a saved article page. `path` names the page and anchors its images.
pub fn read(path: &Path, source: &str) -> Result<Imported> {
    let doc = Html::parse_document(source);
    check_limits(path, &doc)?;
    let mut imported = Imported {
        article: Article::new(String::new()),
        notes: Vec::new(),
        tried: Vec::new(),
        image_texts: Vec::new(),
    };
    let (mut meta, layout, skip) = fields_outside_the_body(&doc, &mut imported);
    let title_text = meta
        .title
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let mut conv = Converter::new(path, source, &title_text, skip);
    conv.base = doc
        .select(&sel("base[href]"))
        .filter_map(|b| b.value().attr("href"))
        .map(str::trim)
        .find(|h| h.starts_with("http://") || h.starts_with("https://"))
        .map(str::to_string)
        .or_else(|| meta.url.clone())
        .or_else(|| {
            doc.select(&sel("link[rel='canonical']"))
                .filter_map(|l| l.value().attr("href"))
                .map(str::to_string)
                .next()
        })
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let readability_title = convert_body(&doc, source, layout, &mut meta, &mut conv, &mut imported);
    conv.flush();
    tail::trim(&mut conv.blocks, &mut conv.notes);
    if meta.lead.is_none()
        && let Some((lead, place)) = lead::standfirst(&doc, &title_text, &conv.blocks)
    {
        meta.lead = Some((lead, place));
    }
    let Converter {
        mut blocks,
        notes,
        image_texts,
        ..
    } = conv;
    imported.image_texts = image_texts;

    // Title: metadata, else the first heading of the body, else <title>.
    let title = match meta.title.take() {
        Some(t) => Some(t),
        None => doc
            .select(&sel("h1"))
            .map(|h| normalize_space(&h.text().collect::<String>()))
            .find(|t| !t.is_empty())
            .map(|t| (t, "<h1>".into()))
            .or_else(|| {
                doc.select(&sel("title"))
                    .next()
                    .map(|t| {
                        (
                            site_suffix_removed(&t.text().collect::<String>()),
                            "<title>".into(),
                        )
                    })
                    .filter(|(t, _)| !t.is_empty())
            })
            .or_else(|| readability_title.map(|t| (t, "Readability".into()))),
    };
    let Some((title, from)) = title else {
        return Err(Diagnostic::file(path, "the page has no title (no headline metadata, <h1> or <title>)")
            .with_hint("import the article's own page, not a list of articles; or add the title to the imported Markdown")
            .into());
    };
    let sites = title::site_names(&doc);
    let bare = title::without_site_name(&title, &sites);
    let title = if bare.is_empty() { title } else { bare };
    imported.note(
        NoteKind::Recognised,
        from,
        format!("title `{}`", shorten(&title)),
    );
    imported.article.title = title;

    fields_beside_the_body(&mut imported, &mut meta, &mut blocks);
    tidy_headings(&mut blocks, &imported.article.title);
    let figures = blocks
        .iter()
        .filter(|b| matches!(b, Block::Figure(_)))
        .count();
    let paragraphs = blocks.len() - figures;
    imported.note(
        NoteKind::Recognised,
        "body",
        format!("{paragraphs} text block(s), {figures} figure(s)"),
    );
    imported.notes.extend(notes);
    imported.article.blocks = blocks;
    Ok(imported)
}

/// Drops a first heading that repeats the title, and closes gaps in heading levels:
/// pages skip levels (an `<h3>` under the `<h1>`); articles may not.
fn tidy_headings(blocks: &mut Vec<Block>, title: &str) {
    if matches!(blocks.first(), Some(Block::Heading { text, .. }) if normalize_space(&text.to_plain()) == title)
    {
        blocks.remove(0);
    }
    let mut deepest_allowed = HeadingLevel::H2;
    for b in blocks {
        if let Block::Heading { level, .. } = b {
            *level = (*level).min(deepest_allowed);
            deepest_allowed = level.deeper();
        }
    }
}

/// The metadata (JSON-LD, `<meta>`, `<time>`, `lang`), the layout that matched, and the
/// elements its fields came from (to leave out of the body).
fn fields_outside_the_body(
    doc: &Html,
    imported: &mut Imported,
) -> (Meta, Option<&'static Layout>, HashSet<NodeId>) {
    let mut meta = Meta::default();
    json_ld(doc, &mut meta, imported);
    meta_tags(doc, &mut meta);
    if meta.date.is_none() {
        for t in doc.select(&sel("time[datetime]")) {
            if let Some(d) = t.attr("datetime").and_then(dates::find_date) {
                meta.date = Some((d, "<time datetime>".into()));
                break;
            }
        }
    }
    meta.lang = doc
        .root_element()
        .attr("lang")
        .map(|l| l.trim().to_string())
        .filter(|l| is_language_tag(l));

    let mut skip: HashSet<NodeId> = HashSet::new();
    let layout = LAYOUTS
        .iter()
        .find(|l| doc.select(&sel(l.detect)).next().is_some());
    if let Some(l) = layout {
        imported.note(NoteKind::Recognised, "page", format!("layout: {}", l.name));
        layout_fields(doc, l, &mut meta, &mut skip);
    }
    generic_fields(doc, &mut meta, &mut skip);
    (meta, layout, skip)
}

/// Letters in converted blocks (figures left out).
fn block_letters(blocks: &[Block]) -> usize {
    let a = Article {
        blocks: blocks.to_vec(),
        ..Article::new(String::new())
    };
    super::body_letters(&a)
}

/// Finds and walks the article's element into `conv`, strategy after strategy until one
/// yields [`super::MIN_BODY_LETTERS`] letters: the layout's element; else a specific
/// generic selector's element when it holds as much good text as a guess would find
/// ([`GENERIC_SHARE`]); else the Readability extractor (`dom_smoothie`); else the
/// best-scoring element ([`score`]); else the generic `main`. With none enough, the
/// longest result is kept (and the page refused by the caller). The strategies tried
/// are recorded in `imported.tried`. Returns the extractor's title, if it gave the body.
fn convert_body(
    doc: &Html,
    source: &str,
    layout: Option<&Layout>,
    meta: &mut Meta,
    conv: &mut Converter<'_>,
    imported: &mut Imported,
) -> Option<String> {
    fn enough(c: &Converter<'_>) -> bool {
        block_letters(&c.blocks) >= super::MIN_BODY_LETTERS
    }
    fn fresh<'a>(c: &Converter<'a>) -> Converter<'a> {
        let mut n = c.child();
        n.top = true;
        n
    }
    fn run(c: &mut Converter<'_>, root: ElementRef<'_>) {
        c.body_chars = chars::text_chars(root, 0);
        c.walk_children(root, 0);
        c.flush();
        // Class names that took the article's text with them (a theme calling every
        // block `widget` or `teaser`) are not chrome on this page: read it again without
        // them.
        if !enough(c) && c.class_dropped_chars >= super::MIN_BODY_LETTERS {
            let mut again = fresh(c);
            again.class_rules = false;
            again.body_chars = c.body_chars;
            again.walk_children(root, 0);
            again.flush();
            if enough(&again) {
                let dropped = c.class_dropped_chars;
                again.note(
                    NoteKind::Attention,
                    "body".into(),
                    format!(
                        "class and id names would have left out {dropped} characters, most of the text: read without them (check the result)"
                    ),
                );
                *c = again;
            }
        }
    }
    // 1. The layout rule of a known portal or newspaper CMS.
    if let Some(l) = layout
        && let Some(root) = doc.select(&sel(l.body)).next()
    {
        imported.tried.push(format!("layout rule `{}`", l.name));
        let mut c = fresh(conv);
        run(&mut c, root);
        if enough(&c) {
            *conv = c;
            return None;
        }
    }
    // 2. The generic selectors, Readability and the scored element.
    let scores = score::score(doc.root_element());
    let best = scores
        .best
        .and_then(|(id, sc)| doc.tree.get(id).and_then(ElementRef::wrap).map(|e| (e, sc)));
    let page_chars = chars::text_chars(doc.root_element(), 0);
    let generic = GENERIC_BODY.iter().find_map(|s| {
        doc.select(&sel(s))
            // Not an `article` teaser inside a widget, a sidebar or an `aside`.
            .find(|e| {
                e.select(&sel("p")).take(2).count() == 2 && !convert::inside_chrome(*e, page_chars)
            })
            .map(|e| {
                // Narrowed as the scored element is: `main` or `article` often hold
                // teasers and bylines around the article's own container.
                let id = scores.narrow(doc.root_element(), e.id());
                let narrowed = doc.tree.get(id).and_then(ElementRef::wrap).unwrap_or(e);
                (narrowed, *s)
            })
    });
    let generic_score = generic.map(|(e, _)| scores.score.get(&e.id()).copied().unwrap_or(0.0));
    // The page's own marker of its article goes first when it is a specific one and holds
    // as much good text as a guess would find; `main` (the whole column) is only a
    // fallback.
    let generic_first = generic.is_some_and(|(_, s)| !WEAK_GENERIC.contains(&s))
        && match (generic_score, best) {
            (Some(g), Some((_, b))) => g >= GENERIC_SHARE * b,
            _ => true,
        };
    let mut order: Vec<Strategy<'_>> = Vec::new();
    let generic_entry =
        generic.map(|(e, s)| Strategy::Element(e, format!("generic selector `{s}`")));
    if generic_first {
        order.extend(generic_entry.clone());
    }
    // Measured on the two public collections (docs/import.md): where no specific
    // selector holds the article, Readability's choice is better than the scored element's,
    // which comes next when Readability finds too little.
    order.push(Strategy::Readability);
    if let Some((e, _)) = best {
        order.push(Strategy::Element(
            e,
            "the best-scoring element (text, link and stop-word density)".to_string(),
        ));
    }
    if !generic_first {
        order.extend(generic_entry);
    }
    let mut longest: Option<Converter<'_>> = None;
    let mut readability_title = None;
    for strategy in order {
        let mut c = fresh(conv);
        let (what, place) = match strategy {
            Strategy::Element(root, what) => {
                imported
                    .tried
                    .push(format!("{what} ({})", conv.path_of(root)));
                run(&mut c, root);
                (what, c.path_of(root))
            }
            Strategy::Readability => {
                imported.tried.push("the Readability extractor".into());
                let Some(article) = readability(source, imported) else {
                    continue;
                };
                let fragment = Html::parse_fragment(&article.content);
                if fragment.tree.nodes().count() <= MAX_ELEMENTS {
                    run(&mut c, fragment.root_element());
                }
                if enough(&c) {
                    readability_title =
                        Some(normalize_space(&article.title)).filter(|t| !t.is_empty());
                    if meta.author.is_none()
                        && let Some(b) = article
                            .byline
                            .as_deref()
                            .map(normalize_space)
                            .filter(|b| !b.is_empty())
                    {
                        meta.author = Some((b, "Readability".into()));
                    }
                }
                (
                    "the Readability extractor (check the result)".to_string(),
                    "page".to_string(),
                )
            }
        };
        if enough(&c) {
            imported.note(NoteKind::Recognised, place, format!("article body: {what}"));
            *conv = c;
            return readability_title;
        }
        if longest
            .as_ref()
            .is_none_or(|l| block_letters(&l.blocks) < block_letters(&c.blocks))
        {
            longest = Some(c);
        }
    }
    if let Some(c) = longest {
        *conv = c;
    }
    None
}

/// A way to find the article's body.
#[derive(Clone)]
enum Strategy<'a> {
    /// Walk this element (found by a selector or by scoring), described for the report.
    Element(ElementRef<'a>, String),
    /// The Readability extractor (`dom_smoothie`) on the whole page.
    Readability,
}

/// Runs the Readability extractor; a failure is noted and gives `None`.
fn readability(source: &str, imported: &mut Imported) -> Option<dom_smoothie::Article> {
    let cfg = dom_smoothie::Config {
        max_elements_to_parse: MAX_ELEMENTS,
        // The classes stay, so that the chrome rules apply to its result as to any body.
        keep_classes: true,
        ..Default::default()
    };
    match dom_smoothie::Readability::new(source, None, Some(cfg)).and_then(|mut r| r.parse()) {
        Ok(a) => Some(a),
        Err(e) => {
            imported.note(
                NoteKind::Attention,
                "page",
                format!("the Readability extractor found no body ({e})"),
            );
            None
        }
    }
}

/// Generic selectors too wide to go before Readability (`main` holds the whole column).
const WEAK_GENERIC: &[&str] = &["main"];

/// The generic selectors' element is taken before the best-scoring one when its score is
/// at least this share of the best.
const GENERIC_SHARE: f64 = 0.7;

/// Lead, author, date, language and source address: from the metadata, else from the
/// first or last block (which is then removed from the body).
fn fields_beside_the_body(imported: &mut Imported, meta: &mut Meta, blocks: &mut Vec<Block>) {
    // Lead: the layout's or a sapo element; else the description when the body starts with it.
    if let Some((lead, from)) = meta.lead.take() {
        if let Some(Block::Paragraph { text }) = blocks.first()
            && normalize_space(&text.to_plain()) == lead
        {
            blocks.remove(0);
        }
        imported.note(
            NoteKind::Recognised,
            from,
            format!("lead `{}`", shorten(&lead)),
        );
        imported.article.lead = Some(Text::plain(lead));
    }
    // Author: metadata or the layout's element, else a short last paragraph of names.
    if meta.author.is_none()
        && let Some(Block::Paragraph { text }) = blocks.last()
    {
        let t = normalize_space(&text.to_plain());
        if looks_like_author(&t) && blocks.len() > 1 {
            meta.author = Some((t, "the last paragraph".into()));
            blocks.pop();
        }
    } else if let Some((author, _)) = &meta.author
        && let Some(Block::Paragraph { text }) = blocks.last()
        && normalize_space(&text.to_plain()) == *author
    {
        blocks.pop();
    }
    match meta.author.take() {
        Some((a, from)) => {
            imported.note(NoteKind::Recognised, from, format!("author `{a}`"));
            imported.article.author = Some(a);
        }
        None => imported.note(NoteKind::Attention, "page", "no author found"),
    }
    match meta.date.take() {
        Some((d, from)) => {
            imported.note(NoteKind::Recognised, from, format!("date {d}"));
            imported.article.date = Some(d);
        }
        None => imported.note(
            NoteKind::Attention,
            "page",
            "no date found: add `date:` to the front matter",
        ),
    }
    // The language is settled from the text once the body is known (`lang::settle`).
    imported.article.lang = meta.lang.take();
    if let Some(u) = meta.url.take().filter(|u| is_safe_url(u)) {
        imported.article.source_url = Some(u);
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("selector `{s}` in the layout table: {e}"))
}

/// Refuses pages nested deeper than [`MAX_DEPTH`] or with more than [`MAX_ELEMENTS`]
/// elements, counted without recursion.
fn check_limits(path: &Path, doc: &Html) -> Result<()> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut elements = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                depth += 1;
                deepest = deepest.max(depth);
                if n.value().is_element() {
                    elements += 1;
                }
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    if deepest > MAX_DEPTH + 2 {
        return Err(Diagnostic::file(
            path,
            format!("the page nests elements {deepest} deep; at most {MAX_DEPTH} are accepted"),
        )
        .with_hint("this is not an article page a browser saved; save the article page again")
        .into());
    }
    if elements > MAX_ELEMENTS {
        return Err(Diagnostic::file(
            path,
            format!("the page has {elements} elements; at most {MAX_ELEMENTS} are accepted"),
        )
        .with_hint("save only the article's page")
        .into());
    }
    Ok(())
}
