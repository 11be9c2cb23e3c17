//! Saved article pages (`.html`, `.htm`): parsed with html5ever (through `scraper`),
//! never with patterns over the markup.
//!
//! In order:
//! 1. limits: at most [`MAX_DEPTH`] nested elements and [`MAX_ELEMENTS`] elements;
//! 2. metadata: schema.org `NewsArticle` JSON-LD, then Open Graph / `article:*` /
//!    `<meta name>`, then `<time datetime>`;
//! 3. the article's element: the first [`LAYOUTS`] rule whose `detect` selector matches
//!    (the CMS layouts of Vietnamese portals and newspapers, see `docs/import.md`), else
//!    the generic [`GENERIC_BODY`] selectors, else a Readability-style extractor
//!    (`dom_smoothie`);
//! 4. the body, element by element ([`Converter`]): chrome (scripts, styles, forms,
//!    menus, toolbars, share and related-article boxes) left out, headings, paragraphs,
//!    lists, quotations, emphasis and http/https/mailto links kept, figures with their
//!    caption (`figure`/`figcaption`, an image and a caption cell of a table, or an
//!    image followed by an emphasised line or a caption-class element).

use std::collections::HashSet;
use std::path::Path;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node, Selector};

use super::images::{self, ImageRef};
use super::plaintext::looks_like_author;
use super::{Imported, Note, NoteKind, chrome, dates, normalize_space, shorten};
use crate::error::{Diagnostic, Result};
use crate::model::{Article, Block, Figure, Span, Text};
use crate::validate::{is_language_tag, is_safe_url};

/// The deepest element nesting accepted (real pages nest 20 to 40 deep).
pub const MAX_DEPTH: usize = 256;
/// The most elements accepted in a page (a long article page has a few thousand).
pub const MAX_ELEMENTS: usize = 500_000;
/// The most notes kept in a report; the rest are counted.
const MAX_NOTES: usize = 500;
/// The largest JSON-LD script read, in bytes.
const MAX_JSON_LD: usize = 1 << 20;

/// One CMS layout: how to recognise it and where its fields are.
#[derive(Debug)]
pub struct Layout {
    /// Which portals or CMS use it.
    pub name: &'static str,
    /// A selector that matches only on pages of this layout.
    pub detect: &'static str,
    /// The element holding the article body.
    pub body: &'static str,
    /// The headline.
    pub title: &'static str,
    /// The lead (sapo).
    pub lead: &'static str,
    /// The date line.
    pub date: &'static str,
    /// The byline.
    pub author: &'static str,
}

/// The CMS layouts, tried in order. `docs/import.md` says which were verified on real
/// pages and which were inferred; add a layout here and a fixture in
/// `tests/fixtures/import/`.
pub const LAYOUTS: &[Layout] = &[
    Layout {
        name: "SharePoint provincial portal (PublishingPortal web parts, Block_BanTin_*)",
        detect: "[class*='BanTin'], [id*='BanTin']",
        body: ".BanTin_NoiDung, .ms-rtestate-field",
        title: ".BanTin_TieuDe, .BanTin_Title",
        lead: ".BanTin_TomTat, .BanTin_Sapo",
        date: ".BanTin_NgayDang, .BanTin_Date",
        author: ".BanTin_TacGia, .BanTin_Author",
    },
    Layout {
        name: "newspaper CMS with figure/figcaption (title-detail, description, fck_detail)",
        detect: "article.fck_detail, .fck_detail",
        body: "article.fck_detail, .fck_detail",
        title: "h1.title-detail",
        lead: "p.description",
        date: "span.date",
        author: "p.author_mail strong, p.author",
    },
    Layout {
        name: "newspaper CMS with caption tables (table.image / td.image_desc, detail-content)",
        detect: ".detail-content, #content_detail, .article-detail",
        body: ".detail-content, #content_detail, .article-detail",
        title: "h1.detail-title, h1.article-title, h1.title",
        lead: ".detail-sapo, .sapo, h2.sapo",
        date: ".detail-time, .publish-date, .date-time",
        author: ".detail-author, .author",
    },
];

/// Where the body is when no layout matched, tried in order (an element with at least
/// two paragraphs wins).
pub const GENERIC_BODY: &[&str] = &[
    "[itemprop='articleBody']",
    "article .content",
    "article .entry-content",
    ".article-body",
    ".article-content",
    ".entry-content",
    ".post-content",
    "article",
    "main",
];

/// Fields found outside the body.
#[derive(Debug, Default)]
struct Meta {
    title: Option<(String, String)>,
    lead: Option<(String, String)>,
    date: Option<(String, String)>,
    author: Option<(String, String)>,
    lang: Option<String>,
    url: Option<String>,
}

/// Reads a saved article page. `path` names the page and anchors its images.
pub fn read(path: &Path, source: &str) -> Result<Imported> {
    let doc = Html::parse_document(source);
    check_limits(path, &doc)?;
    let mut imported = Imported {
        article: Article {
            lang: None,
            title: String::new(),
            date: None,
            author: None,
            lead: None,
            slug: None,
            source_url: None,
            blocks: Vec::new(),
            origin: None,
        },
        notes: Vec::new(),
    };
    let mut meta = Meta::default();
    json_ld(&doc, &mut meta, &mut imported);
    meta_tags(&doc, &mut meta);
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
        layout_fields(&doc, l, &mut meta, &mut skip);
    }
    generic_fields(&doc, &mut meta, &mut skip);

    let body_root = layout
        .and_then(|l| doc.select(&sel(l.body)).next())
        .or_else(|| {
            GENERIC_BODY.iter().find_map(|s| {
                doc.select(&sel(s))
                    .find(|e| e.select(&sel("p")).take(2).count() == 2)
            })
        });

    let title_text = meta
        .title
        .as_ref()
        .map(|(t, _)| t.clone())
        .unwrap_or_default();
    let mut conv = Converter::new(path, source, &title_text, skip);
    let mut readability_title = None;
    match body_root {
        Some(root) => {
            if layout.is_none() {
                let p = conv.path_of(root);
                imported.note(NoteKind::Recognised, p, "article body (generic selector)");
            }
            conv.walk_children(root, 0);
        }
        None => {
            // Readability-style fallback.
            let cfg = dom_smoothie::Config {
                max_elements_to_parse: MAX_ELEMENTS,
                ..Default::default()
            };
            let extracted =
                dom_smoothie::Readability::new(source, None, Some(cfg)).and_then(|mut r| r.parse());
            match extracted {
                Ok(article) => {
                    imported.note(
                        NoteKind::Recognised,
                        "page",
                        "no known layout: article body found by the Readability extractor (check the result)",
                    );
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
                    let fragment = Html::parse_fragment(&article.content);
                    if fragment.tree.nodes().count() <= MAX_ELEMENTS {
                        conv.walk_children(fragment.root_element(), 0);
                    }
                }
                Err(e) => {
                    imported.note(
                        NoteKind::Attention,
                        "page",
                        format!("no article body found ({e})"),
                    );
                }
            }
        }
    }
    conv.flush();
    let Converter {
        mut blocks, notes, ..
    } = conv;

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
    imported.note(
        NoteKind::Recognised,
        from,
        format!("title `{}`", shorten(&title)),
    );
    imported.article.title = title;

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
    if let Some(l) = meta.lang.take() {
        imported.article.lang = Some(l);
    } else {
        imported.article.lang = Some("vi".into());
        imported.note(
            NoteKind::Attention,
            "<html>",
            "no `lang` on the page: assumed vi",
        );
    }
    if let Some(u) = meta.url.take().filter(|u| is_safe_url(u)) {
        imported.article.source_url = Some(u);
    }
    if matches!(blocks.first(), Some(Block::Heading { text, .. }) if normalize_space(&text.to_plain()) == imported.article.title)
    {
        blocks.remove(0);
    }
    // Pages skip heading levels (an <h3> under the <h1>); articles may not.
    let mut previous = 1u8;
    for b in &mut blocks {
        if let Block::Heading { level, .. } = b {
            *level = (*level).min(previous + 1);
            previous = *level;
        }
    }
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

/// schema.org `NewsArticle` (or `Article`, `ReportageNewsArticle`, `BlogPosting`) in
/// `<script type="application/ld+json">`, also inside `@graph` and arrays.
fn json_ld(doc: &Html, meta: &mut Meta, imported: &mut Imported) {
    for script in doc.select(&sel("script[type='application/ld+json']")) {
        let text: String = script.text().collect();
        if text.len() > MAX_JSON_LD {
            imported.note(
                NoteKind::Attention,
                "<script type=application/ld+json>",
                "JSON-LD over 1 MiB, not read",
            );
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(text.trim()) {
            Ok(v) => v,
            Err(e) => {
                imported.note(
                    NoteKind::Attention,
                    "<script type=application/ld+json>",
                    format!("JSON-LD not read: {e}"),
                );
                continue;
            }
        };
        let mut stack = vec![&value];
        let mut seen = 0;
        while let Some(v) = stack.pop() {
            seen += 1;
            if seen > 10_000 {
                break;
            }
            match v {
                serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g);
                    }
                    let is_article = match o.get("@type") {
                        Some(serde_json::Value::String(t)) => is_article_type(t),
                        Some(serde_json::Value::Array(ts)) => {
                            ts.iter().any(|t| t.as_str().is_some_and(is_article_type))
                        }
                        _ => false,
                    };
                    if is_article {
                        read_article_object(o, meta);
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_article_type(t: &str) -> bool {
    matches!(
        t,
        "NewsArticle" | "Article" | "ReportageNewsArticle" | "AnalysisNewsArticle" | "BlogPosting"
    )
}

fn read_article_object(o: &serde_json::Map<String, serde_json::Value>, meta: &mut Meta) {
    const FROM: &str = "JSON-LD NewsArticle";
    let s = |k: &str| {
        o.get(k)
            .and_then(|v| v.as_str())
            .map(normalize_space)
            .filter(|s| !s.is_empty())
    };
    if let Some(t) = s("headline").or_else(|| s("name")) {
        meta.title = Some((t, FROM.into()));
    }
    if let Some(d) = s("datePublished").and_then(|d| dates::find_date(&d)) {
        meta.date = Some((d, FROM.into()));
    }
    let author = match o.get("author") {
        Some(serde_json::Value::String(a)) => Some(normalize_space(a)),
        Some(serde_json::Value::Object(a)) => {
            a.get("name").and_then(|n| n.as_str()).map(normalize_space)
        }
        Some(serde_json::Value::Array(list)) => {
            let names: Vec<String> = list
                .iter()
                .filter_map(|a| match a {
                    serde_json::Value::String(s) => Some(normalize_space(s)),
                    serde_json::Value::Object(a) => {
                        a.get("name").and_then(|n| n.as_str()).map(normalize_space)
                    }
                    _ => None,
                })
                .filter(|n| !n.is_empty())
                .collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    };
    if let Some(a) = author.filter(|a| !a.is_empty() && !a.contains("://")) {
        meta.author = Some((a, FROM.into()));
    }
    if let Some(l) = s("inLanguage").filter(|l| is_language_tag(l)) {
        meta.lang = Some(l);
    }
    if let Some(u) = s("url") {
        meta.url = Some(u);
    }
}

/// Open Graph, `article:*` and named `<meta>` tags, for the fields JSON-LD did not give.
fn meta_tags(doc: &Html, meta: &mut Meta) {
    let content = |selector: &str| {
        doc.select(&sel(selector))
            .filter_map(|m| m.attr("content"))
            .map(normalize_space)
            .find(|c| !c.is_empty())
    };
    if meta.title.is_none()
        && let Some(t) = content("meta[property='og:title']")
    {
        meta.title = Some((t, "<meta og:title>".into()));
    }
    if meta.date.is_none() {
        for (s, from) in [
            (
                "meta[property='article:published_time']",
                "<meta article:published_time>",
            ),
            (
                "meta[itemprop='datePublished']",
                "<meta itemprop=datePublished>",
            ),
            (
                "meta[name='pubdate'], meta[name='publishdate'], meta[name='dc.date']",
                "<meta name=pubdate>",
            ),
        ] {
            if let Some(d) = content(s).and_then(|d| dates::find_date(&d)) {
                meta.date = Some((d, from.into()));
                break;
            }
        }
    }
    if meta.author.is_none()
        && let Some(a) = content("meta[name='author'], meta[property='article:author']")
            .filter(|a| !a.contains("://"))
    {
        meta.author = Some((a, "<meta name=author>".into()));
    }
    if meta.url.is_none() {
        meta.url = content("meta[property='og:url']");
    }
}

/// The fields a layout's selectors give (for those still missing), and their elements
/// to leave out of the body.
fn layout_fields(doc: &Html, l: &Layout, meta: &mut Meta, skip: &mut HashSet<NodeId>) {
    let first = |s: &str| {
        doc.select(&sel(s))
            .map(|e| (e, normalize_space(&e.text().collect::<String>())))
            .find(|(_, t)| !t.is_empty())
    };
    if let Some((e, t)) = first(l.title) {
        skip.insert(e.id());
        if meta.title.is_none() {
            meta.title = Some((t, format!("layout title `{}`", l.title)));
        }
    }
    if let Some((e, t)) = first(l.lead) {
        skip.insert(e.id());
        meta.lead = Some((t, format!("layout lead `{}`", l.lead)));
    }
    if let Some((e, t)) = first(l.date) {
        skip.insert(e.id());
        if meta.date.is_none()
            && let Some(d) = dates::find_date(&t)
        {
            meta.date = Some((d, format!("layout date `{t}`")));
        }
    }
    if let Some((e, t)) = first(l.author) {
        skip.insert(e.id());
        if meta.author.is_none() {
            meta.author = Some((t, format!("layout author `{}`", l.author)));
        }
    }
}

/// Fields from common class names when nothing better was found.
fn generic_fields(doc: &Html, meta: &mut Meta, skip: &mut HashSet<NodeId>) {
    if meta.lead.is_none()
        && let Some(e) = doc
            .select(&sel(
                ".sapo, .article-sapo, .summary, .lead, [itemprop='description']",
            ))
            .find(|e| e.value().name() != "meta")
    {
        let t = normalize_space(&e.text().collect::<String>());
        if !t.is_empty() {
            skip.insert(e.id());
            meta.lead = Some((t, "element `.sapo`/`.lead`".into()));
        }
    }
    if meta.date.is_none() {
        for e in doc.select(&sel(".date, .time, .publish-date, .post-date, .ngay-dang")) {
            if let Some(d) = dates::find_date(&e.text().collect::<String>()) {
                skip.insert(e.id());
                meta.date = Some((d, "element `.date`".into()));
                break;
            }
        }
    }
    if meta.author.is_none()
        && let Some(e) = doc
            .select(&sel(
                "[itemprop='author'], .author, .tacgia, [rel='author']",
            ))
            .next()
    {
        let t = normalize_space(&e.text().collect::<String>());
        if !t.is_empty() && t.chars().count() <= 100 {
            skip.insert(e.id());
            meta.author = Some((t, "element `.author`".into()));
        }
    }
}

/// ` - Site name` or ` | Site name` removed from a `<title>`.
fn site_suffix_removed(t: &str) -> String {
    let t = normalize_space(t);
    for sep in [" | ", " - ", " – ", " — "] {
        if let Some(i) = t.rfind(sep)
            && i > 0
        {
            return t[..i].to_string();
        }
    }
    t
}

/// Elements whose content is never article text.
const DROPPED_ELEMENTS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "form", "button", "input", "select",
    "textarea", "nav", "aside", "footer", "header", "svg", "canvas", "object", "embed", "video",
    "audio", "map", "link", "meta", "head", "title", "dialog", "menu",
];

/// Turns the body's elements into blocks.
struct Converter<'a> {
    page: &'a Path,
    source: &'a str,
    title: String,
    skip: HashSet<NodeId>,
    blocks: Vec<Block>,
    notes: Vec<Note>,
    notes_left_out: usize,
    spans: Vec<Span>,
    emphasis: usize,
    strong: usize,
    links: Vec<Option<String>>,
    langs: Vec<String>,
    /// A figure just pushed that may still take the next emphasised line as its caption.
    open_figure: Option<usize>,
    /// The element being read is a caption (class `caption`, `image_desc`, `Image`…).
    in_caption: usize,
    /// True once an end marker (`Tin liên quan`) was seen.
    ended: bool,
    /// False for the sub-converters of headings, list items, quotations and captions:
    /// chrome and end markers are recognised on whole blocks only.
    top: bool,
}

impl<'a> Converter<'a> {
    fn new(page: &'a Path, source: &'a str, title: &str, skip: HashSet<NodeId>) -> Self {
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
            in_caption: 0,
            ended: false,
            top: true,
        }
    }

    /// A sub-converter for a list item, quotation or caption, sharing the settings.
    fn child(&self) -> Converter<'a> {
        let mut c = Converter::new(self.page, self.source, &self.title, self.skip.clone());
        c.top = false;
        c
    }

    fn note(&mut self, kind: NoteKind, place: String, message: String) {
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

    fn absorb_notes(&mut self, other: Converter<'_>) {
        for n in other.notes {
            self.note(n.kind, n.place, n.message);
        }
        self.notes_left_out += other.notes_left_out;
    }

    /// `div#id.class > p[3]`-style path of an element, with its line when `needle`
    /// can be found in the source.
    fn path_of(&self, e: ElementRef<'_>) -> String {
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

    fn place(&self, e: ElementRef<'_>, needle: Option<&str>) -> String {
        let path = self.path_of(e);
        if self.notes.len() < MAX_NOTES
            && let Some(n) = needle.filter(|n| n.len() >= 4)
            && let Some(at) = self.source.find(n)
        {
            let (line, column) = crate::input::line_column(self.source, at);
            return format!("{line}:{column} {path}");
        }
        path
    }

    fn walk_children(&mut self, e: ElementRef<'_>, depth: usize) {
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

    fn walk(&mut self, e: ElementRef<'_>, depth: usize) {
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
        if v.attr("hidden").is_some()
            || v.attr("aria-hidden") == Some("true")
            || v.attr("style").is_some_and(|s| {
                let s: String = s
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase();
                s.contains("display:none") || s.contains("visibility:hidden")
            })
        {
            return;
        }
        if let Some(part) = chrome_class(e) {
            let p = self.place(e, None);
            self.note(
                NoteKind::Dropped,
                p,
                format!("chrome (class or id with `{part}`)"),
            );
            return;
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let text = self.inline_of(e, depth);
                let plain = normalize_space(&text.to_plain());
                if plain.is_empty() {
                    return;
                }
                if chrome::is_end_marker(&plain) {
                    self.end_here(e, &plain);
                    return;
                }
                self.open_figure = None;
                if plain == self.title {
                    return;
                }
                let level = name[1..].parse::<u8>().unwrap_or(2).clamp(2, 6);
                self.blocks.push(Block::Heading { level, text });
            }
            "ul" | "ol" => {
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
                    } else {
                        self.blocks.push(Block::List {
                            ordered: name == "ol",
                            items,
                        });
                    }
                }
                self.blocks.extend(after);
            }
            "blockquote" => {
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
            "figure" => {
                self.flush();
                let caption = e
                    .child_elements()
                    .find(|c| c.value().name() == "figcaption")
                    .map(|c| self.inline_of(c, depth))
                    .filter(|t| !t.is_blank());
                let imgs: Vec<ElementRef<'_>> = e.select(&sel("img")).collect();
                match imgs.as_slice() {
                    [] => {
                        if let Some(c) = caption {
                            self.blocks.push(Block::Paragraph { text: c });
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
            "a" => {
                let href = v.attr("href").map(str::trim).unwrap_or("");
                let link = if href.is_empty() || href.starts_with('#') {
                    None
                } else if is_safe_url(href) {
                    Some(href.to_string())
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
            | "data" | "picture" | "source" => {
                let lang = v.attr("lang").map(str::trim).filter(|l| is_language_tag(l));
                if let Some(l) = lang {
                    self.langs.push(l.to_string());
                }
                self.walk_children(e, depth);
                if lang.is_some() {
                    self.langs.pop();
                }
            }
            _ => {
                // Block containers (p, div, section, article, li outside lists, td…) and
                // unknown elements: a paragraph boundary before and after.
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
        }
    }

    fn end_here(&mut self, e: ElementRef<'_>, text: &str) {
        let p = self.place(e, Some(text));
        self.note(
            NoteKind::Dropped,
            p,
            format!("`{text}` and everything after it (related articles or comments)"),
        );
        self.ended = true;
    }

    /// The inline text of an element (its blocks joined), for headings and captions.
    fn inline_of(&mut self, e: ElementRef<'_>, depth: usize) -> Text {
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

    fn push_text(&mut self, s: &str) {
        if s.is_empty() {
            return;
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
    fn flush(&mut self) {
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
                    let (l, c) = crate::input::line_column(self.source, at);
                    format!("{l}:{c}")
                }
                None => "body".into(),
            };
            self.note(NoteKind::Dropped, place, format!("portal chrome `{shown}`"));
            return;
        }
        if chrome::is_end_marker(&plain) {
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
        // A caption whose image could not be kept stays as an emphasised paragraph.
        self.open_figure = None;
        self.blocks.push(Block::Paragraph { text });
    }

    /// A table: an image with caption cells is a figure; other tables are read row by
    /// row, each row a paragraph with its cells separated by ` – `.
    fn table(&mut self, e: ElementRef<'_>, depth: usize) {
        self.flush();
        let imgs: Vec<ElementRef<'_>> = e.select(&sel("img")).collect();
        if imgs.len() == 1 {
            let img = imgs[0];
            let mut caption = Text::default();
            for cell in e.select(&sel("td, th")) {
                if cell.select(&sel("img")).next().is_some()
                    || cell.select(&sel("td, th")).next().is_some()
                {
                    continue;
                }
                let t = self.inline_of(cell, depth);
                if !t.is_blank() {
                    join_text(&mut caption, unemphasised(t));
                }
            }
            let caption = (!caption.is_blank()).then_some(caption);
            self.figure(img, caption);
            self.open_figure = None;
            return;
        }
        if !imgs.is_empty() {
            // Several images: the cells are read in order.
            self.walk_children(e, depth);
            self.flush();
            return;
        }
        let mut rows = 0;
        for row in e.select(&sel("tr")) {
            if row.select(&sel("tr")).nth(1).is_some() {
                continue;
            }
            let mut text = Text::default();
            for cell in row.child_elements() {
                let t = self.inline_of(cell, depth);
                if !t.is_blank() {
                    if !text.is_blank() {
                        text.spans.push(Span::plain(" – "));
                    }
                    text.spans.extend(t.spans);
                }
            }
            if !text.is_blank() {
                rows += 1;
                self.blocks.push(Block::Paragraph {
                    text: tidy(text.spans),
                });
            }
        }
        if rows > 0 {
            let p = self.place(e, None);
            self.note(
                NoteKind::Attention,
                p,
                format!("a table of {rows} row(s) was read as paragraphs, one per row"),
            );
        }
    }

    /// An image: a figure when its file is in the page's folder; otherwise its caption
    /// (or alt text) kept as an emphasised paragraph and the reason reported.
    fn figure(&mut self, img: ElementRef<'_>, caption: Option<Text>) {
        let v = img.value();
        // Lazy-loading pages put the real address in data-src / data-original.
        let src = ["data-src", "data-original", "data-lazy-src", "src"]
            .iter()
            .filter_map(|a| v.attr(a))
            .map(str::trim)
            .find(|s| !s.is_empty() && !s.starts_with("data:"))
            .or_else(|| v.attr("src"))
            .unwrap_or("");
        let alt = v.attr("alt").map(normalize_space).filter(|a| !a.is_empty());
        // Spacers and tracking pixels.
        let tiny = |a: &str| {
            v.attr(a)
                .and_then(|w| w.trim().trim_end_matches("px").parse::<u32>().ok())
                .is_some_and(|w| w <= 2)
        };
        if tiny("width") || tiny("height") {
            return;
        }
        let place = self.place(img, Some(src));
        let shown: String = src.chars().take(80).collect();
        let problem = match images::resolve(self.page, src) {
            ImageRef::Local(rel) => {
                let alt = alt.or_else(|| caption.as_ref().map(|c| normalize_space(&c.to_plain())));
                let message = match (&alt, &caption) {
                    (None, _) => {
                        self.note(
                            NoteKind::Attention,
                            place.clone(),
                            format!("image `{rel}` has no alt text and no caption: alt text must be written"),
                        );
                        format!("figure `{rel}`")
                    }
                    (Some(_), Some(_)) if v.attr("alt").is_none_or(|a| a.trim().is_empty()) => {
                        format!("figure `{rel}` with caption (caption used as alt text)")
                    }
                    (Some(_), Some(_)) => format!("figure `{rel}` with alt text and caption"),
                    (Some(_), None) => format!("figure `{rel}` with alt text"),
                };
                self.note(NoteKind::Recognised, place, message);
                self.blocks.push(Block::Figure(Figure {
                    src: rel,
                    alt,
                    caption,
                    credit: None,
                    decorative: false,
                    image: None,
                }));
                if self
                    .blocks
                    .last()
                    .is_some_and(|b| matches!(b, Block::Figure(f) if f.caption.is_none()))
                {
                    self.open_figure = Some(self.blocks.len() - 1);
                }
                return;
            }
            ImageRef::Remote(u) => format!(
                "image `{}` is only on the web; anpham does not fetch it",
                u.chars().take(80).collect::<String>()
            ),
            ImageRef::Embedded => {
                "an image embedded in the page (`data:`) is not imported".to_string()
            }
            ImageRef::Missing(rel) => format!("image `{rel}` is not in the page's folder"),
            ImageRef::Refused(why) => format!("image `{shown}` is not imported: {why}"),
        };
        // No words are lost: the caption, else the alt text, stays in the article.
        let kept = caption.or_else(|| alt.map(Text::plain));
        let what = if kept.is_some() {
            "; its caption/alt text is kept as an emphasised paragraph"
        } else {
            ""
        };
        self.note(NoteKind::Attention, place, format!("{problem}{what}"));
        if let Some(t) = kept {
            self.blocks.push(Block::Paragraph {
                text: emphasised(t),
            });
            self.open_figure = None;
        }
    }
}

/// The class or id fragment that makes an element chrome, if any.
fn chrome_class(e: ElementRef<'_>) -> Option<&'static str> {
    let v = e.value();
    let mut names = String::new();
    for c in v.classes() {
        names.push_str(c);
        names.push(' ');
    }
    if let Some(id) = v.id() {
        names.push_str(id);
    }
    if names.is_empty() {
        return None;
    }
    let lower = names.to_ascii_lowercase();
    chrome::CHROME_CLASS_PARTS
        .iter()
        .copied()
        .find(|p| lower.contains(p))
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

/// Joins `more` to `text` with a space.
fn join_text(text: &mut Text, more: Text) {
    if more.is_blank() {
        return;
    }
    if !text.is_blank() {
        text.spans.push(Span::plain(" "));
    }
    text.spans.extend(more.spans);
    *text = tidy(std::mem::take(&mut text.spans));
}

/// Collapses white space across spans, trims the ends, drops empty spans and merges
/// spans of the same style.
fn tidy(spans: Vec<Span>) -> Text {
    let mut out: Vec<Span> = Vec::new();
    let mut pending_space = false;
    for mut s in spans {
        let mut t = String::with_capacity(s.text.len());
        for c in s.text.chars() {
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                pending_space = true;
            } else {
                if pending_space && (!t.is_empty() || !out.is_empty()) {
                    // Between spans, the space goes to the plain one (never inside a
                    // link or emphasis when it can be outside).
                    match out.last_mut() {
                        Some(last) if t.is_empty() && last.same_style(&Span::default()) => {
                            last.text.push(' ')
                        }
                        _ => t.push(' '),
                    }
                }
                pending_space = false;
                t.push(c);
            }
        }
        if t.is_empty() {
            continue;
        }
        s.text = t;
        match out.last_mut() {
            Some(last) if last.same_style(&s) => last.text.push_str(&s.text),
            _ => out.push(s),
        }
    }
    Text { spans: out }
}

fn emphasised(mut t: Text) -> Text {
    for s in &mut t.spans {
        s.emphasis = true;
    }
    tidy(t.spans)
}

fn unemphasised(mut t: Text) -> Text {
    for s in &mut t.spans {
        s.emphasis = false;
    }
    tidy(t.spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(html: &str) -> Imported {
        read(Path::new("/nonexistent/page.html"), html).unwrap()
    }

    #[test]
    fn layout_selectors_are_valid() {
        for l in LAYOUTS {
            for s in [l.detect, l.body, l.title, l.lead, l.date, l.author] {
                Selector::parse(s).unwrap_or_else(|e| panic!("{}: `{s}`: {e}", l.name));
            }
        }
        for s in GENERIC_BODY {
            Selector::parse(s).unwrap();
        }
    }

    #[test]
    fn json_ld_fields_win() {
        let im = read_str(
            r#"<html lang="vi"><head><title>Bài - Cổng TTĐT</title>
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
            {"@type":"NewsArticle","headline":"Tiêu đề JSON","datePublished":"2022-11-10T08:30:00+07:00","author":[{"@type":"Person","name":"Hương Dịu"}]}]}</script>
            <meta property="og:title" content="Tiêu đề OG"></head>
            <body><article><h1>Tiêu đề JSON</h1><p>Một.</p><p>Hai.</p></article></body></html>"#,
        );
        assert_eq!(im.article.title, "Tiêu đề JSON");
        assert_eq!(im.article.date.as_deref(), Some("2022-11-10"));
        assert_eq!(im.article.author.as_deref(), Some("Hương Dịu"));
        assert_eq!(im.article.blocks.len(), 2, "{:?}", im.article.blocks);
    }

    #[test]
    fn open_graph_and_time() {
        let im = read_str(
            r#"<html><head><meta property="og:title" content="Tiêu đề OG"><meta name="author" content="Hương Dịu"></head>
            <body><article><time datetime="2022-11-10">Thứ năm, 10/11/2022</time><p>Một.</p><p>Hai.</p></article></body></html>"#,
        );
        assert_eq!(im.article.title, "Tiêu đề OG");
        assert_eq!(im.article.date.as_deref(), Some("2022-11-10"));
        assert_eq!(im.article.author.as_deref(), Some("Hương Dịu"));
        assert!(im.notes.iter().any(|n| n.message.contains("no `lang`")));
    }

    #[test]
    fn chrome_scripts_and_links() {
        let im = read_str(
            r#"<html lang="vi"><body><h1>Tiêu đề</h1><article>
            <div class="toolbar"><a href="javascript:zoom(1)">Tăng cỡ chữ</a></div>
            <p>Đoạn <a href="javascript:alert(1)">một</a> có <a href="https://baobackan.vn/x">liên kết</a> và <em>nhấn</em>.</p>
            <script>document.write("không")</script><style>p{}</style>
            <p>Đoạn <a href="mailto:a@b.vn">hai</a>.</p>
            <div class="social-share">Chia sẻ Facebook</div>
            <h3>Tin liên quan</h3><p>Bài khác.</p></article></body></html>"#,
        );
        let text = crate::model::Publication::single(im.article.clone()).reading_text();
        assert!(
            !text.contains("Tăng cỡ chữ")
                && !text.contains("không")
                && !text.contains("Bài khác")
                && !text.contains("Chia sẻ"),
            "{text}"
        );
        let Block::Paragraph { text: p } = &im.article.blocks[0] else {
            panic!()
        };
        assert_eq!(p.to_plain(), "Đoạn một có liên kết và nhấn.");
        let hrefs: Vec<_> = p.spans.iter().filter_map(|s| s.href.as_deref()).collect();
        assert_eq!(hrefs, ["https://baobackan.vn/x"]);
        assert!(
            p.spans.iter().any(|s| s.emphasis && s.text == "nhấn"),
            "{:?}",
            p.spans
        );
        assert!(im.notes.iter().any(|n| n.message.contains("javascript:")));
    }

    #[test]
    fn remote_image_keeps_its_caption() {
        let im = read_str(
            r#"<html lang="vi"><body><h1>T</h1><article><p>Một.</p>
            <figure><img src="https://backan.gov.vn/anh.jpg"><figcaption>Toàn cảnh <script>alert(1)</script>Hội thảo</figcaption></figure>
            <p>Hai.</p></article></body></html>"#,
        );
        let Block::Paragraph { text } = &im.article.blocks[1] else {
            panic!("{:?}", im.article.blocks)
        };
        assert_eq!(text.to_plain(), "Toàn cảnh Hội thảo");
        assert!(text.spans.iter().all(|s| s.emphasis));
        assert!(
            im.attention()
                .any(|n| n.message.contains("only on the web"))
        );
    }

    #[test]
    fn heading_levels_have_no_gaps_and_the_title_is_not_repeated() {
        let im = read_str(
            "<html lang=vi><body><article><h1>Tiêu đề</h1><p>Một.</p><h4>Mục</h4><p>Hai.</p><h2>Mục hai</h2></article></body></html>",
        );
        let levels: Vec<u8> = im
            .article
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .collect();
        assert_eq!(im.article.title, "Tiêu đề");
        assert_eq!(levels, [2, 2]);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let html = format!(
            "<html><body>{}x</body></html>",
            "<div>".repeat(MAX_DEPTH + 10)
        );
        let e = read(Path::new("p.html"), &html).unwrap_err().to_string();
        assert!(e.contains("nests elements"), "{e}");
    }

    #[test]
    fn entity_bombs_are_just_text() {
        let html = format!(
            "<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><html><body><h1>T</h1><article><p>{}</p><p>&b;&amp;&#x1F600;&#0;</p></article></body></html>",
            "&amp;".repeat(10_000)
        );
        let im = read(Path::new("p.html"), &html).unwrap();
        let Block::Paragraph { text } = &im.article.blocks[1] else {
            panic!()
        };
        assert_eq!(text.to_plain(), "&b;&😀\u{fffd}");
    }

    #[test]
    fn readability_fallback_finds_the_text() {
        let para = "Đây là một đoạn văn dài của bài báo, đủ dài để bộ trích xuất nhận ra nội dung chính của trang. ".repeat(4);
        let html = format!(
            "<html lang=vi><head><title>Tiêu đề bài - Báo X</title></head><body><div class=menu-top><a href='/'>Trang chủ</a></div><div id=main><div class=c><p>{para}</p><p>{para}</p><p>{para}</p></div></div></body></html>"
        );
        let im = read(Path::new("p.html"), &html).unwrap();
        assert!(
            im.notes.iter().any(|n| n.message.contains("Readability")),
            "{:#?}",
            im.notes
        );
        assert_eq!(im.article.title, "Tiêu đề bài");
        assert!(im.article.blocks.len() >= 3, "{:?}", im.article.blocks);
    }
}
