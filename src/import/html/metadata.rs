//! The fields found outside the body: JSON-LD, `<meta>` tags, a layout's selectors and
//! common class names.

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{ElementRef, Html};

use super::super::{Imported, NoteKind, dates, normalize_space};
use super::layouts::Layout;
use super::{MAX_JSON_LD, sel};
use crate::validate::is_language_tag;

/// Fields found outside the body.
#[derive(Debug, Default)]
pub(super) struct Meta {
    pub(super) title: Option<(String, String)>,
    pub(super) lead: Option<(String, String)>,
    pub(super) date: Option<(String, String)>,
    pub(super) author: Option<(String, String)>,
    pub(super) lang: Option<String>,
    pub(super) url: Option<String>,
}

/// schema.org `NewsArticle` (or `Article`, `ReportageNewsArticle`, `BlogPosting`) in
/// `<script type="application/ld+json">`, also inside `@graph` and arrays.
pub(super) fn json_ld(doc: &Html, meta: &mut Meta, imported: &mut Imported) {
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
pub(super) fn meta_tags(doc: &Html, meta: &mut Meta) {
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
pub(super) fn layout_fields(doc: &Html, l: &Layout, meta: &mut Meta, skip: &mut HashSet<NodeId>) {
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
pub(super) fn generic_fields(doc: &Html, meta: &mut Meta, skip: &mut HashSet<NodeId>) {
    if meta.lead.is_none()
        && let Some(e) = doc
            .select(&sel(
                ".sapo, .article-sapo, .summary, .lead, [itemprop='description']",
            ))
            .find(|e| {
                // Not an author's bio (`.author-box .lead`) or another box of chrome.
                e.value().name() != "meta"
                    && super::convert::chrome_class(*e).is_none()
                    && !e
                        .ancestors()
                        .filter_map(ElementRef::wrap)
                        .any(|a| super::convert::chrome_class(a).is_some())
            })
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
pub(super) fn site_suffix_removed(t: &str) -> String {
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
