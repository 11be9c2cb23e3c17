//! The library's OPDS catalogs: OPDS 2.0 (`/opds/catalog.json`, `application/opds+json`)
//! and OPDS 1.2 (`/opds/catalog.xml`, Atom, `kind=acquisition`) with its OpenSearch
//! description (`/opds/search.xml`). Both are written from one page of the [`Catalog`]:
//! one publication per loaded entry (an entry that failed to load has nothing to acquire
//! and is left out; the web page at `/` lists it with its problem), one acquisition link per
//! edition and font scale with `rel` `http://opds-spec.org/acquisition/open-access`, the
//! cover or first figure as the image, the Readium `accessibility` object of the
//! publication (its first edition of one file, else its first) and, on each acquisition link whose edition differs
//! from it, the edition's own in the link's `properties.accessibility` (2.0) or in
//! schema.org elements of the entry (1.2 keeps the publication's only: Atom links carry
//! no metadata). Paging: `page` (from 1) and `first`, `previous`, `next`, `last` links;
//! search: `query`.

use serde_json::{Value, json};

use super::library::{Accessibility, Catalog, LibraryEntry, Listing, Page};
use crate::timestamp::Timestamp;
use crate::xml::{attr, escape_into};

/// The media type of an OPDS 2.0 feed.
pub(crate) const OPDS2: &str = "application/opds+json";
/// The media type of an OPDS 1.2 acquisition feed.
pub(crate) const OPDS1: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";
/// The media type of an OpenSearch description.
pub(crate) const OPENSEARCH: &str = "application/opensearchdescription+xml";
/// The `rel` of an acquisition link: the URI form, which every reader knows.
pub(crate) const ACQUISITION: &str = "http://opds-spec.org/acquisition/open-access";

/// The paths of the feeds, after `--base-url`.
pub(crate) const JSON_PATH: &str = "/opds/catalog.json";
/// The path of the OPDS 1.2 feed.
pub(crate) const XML_PATH: &str = "/opds/catalog.xml";
/// The path of the OpenSearch description.
pub(crate) const SEARCH_PATH: &str = "/opds/search.xml";

/// The catalog's title.
pub(crate) const TITLE: &str = "anpham: thư viện ấn phẩm dễ tiếp cận";

fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Timestamp::from_unix(secs).iso8601()
}

/// `path?query=Q&per-page=N&page=N` for a page of `listing` (the query percent-encoded;
/// the defaults left out).
fn page_href(base: &str, path: &str, page: usize, listing: &Page) -> String {
    let mut href = format!("{base}{path}");
    let mut sep = '?';
    if let Some(q) = &listing.search {
        href.push_str(&format!("{sep}query={}", encode_query(q)));
        sep = '&';
    }
    if listing.per_page != super::library::PER_PAGE {
        href.push_str(&format!("{sep}per-page={}", listing.per_page));
        sep = '&';
    }
    if page > 1 {
        href.push_str(&format!("{sep}page={page}"));
    }
    href
}

/// Percent-encodes a query value (UTF-8; unreserved characters kept).
pub(crate) fn encode_query(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The paging links of a page: `(rel, page)` for first, previous, next and last.
fn paging(page: &Page) -> Vec<(&'static str, usize)> {
    let mut v = vec![("first", 1)];
    if page.page > 1 {
        v.push(("previous", page.page - 1));
    }
    if page.page < page.last_page {
        v.push(("next", page.page + 1));
    }
    v.push(("last", page.last_page));
    v
}

fn accessibility_json(a: &Accessibility) -> Value {
    let sufficient: Vec<Value> = a
        .access_mode_sufficient
        .iter()
        .map(|set| match set.as_slice() {
            [one] => json!(one),
            many => json!(many),
        })
        .collect();
    let mut v = json!({
        "accessMode": a.access_mode,
        "accessModeSufficient": sufficient,
        "feature": a.feature,
        "hazard": a.hazard,
        "summary": a.summary,
    });
    if !a.conforms_to.is_empty() {
        v["conformsTo"] = json!(a.conforms_to);
    }
    v
}

/// The publication's accessibility: that of its first edition of one file per
/// publication in the registry's order (the reflowable text edition e-readers open, before
/// its narrated and tactile versions), else of its first edition.
fn main_accessibility(l: &Listing) -> Option<&Accessibility> {
    l.editions
        .iter()
        .filter(|e| e.scale.is_none())
        .find_map(|e| e.accessibility.as_ref())
        .or_else(|| l.editions.iter().find_map(|e| e.accessibility.as_ref()))
}

/// One publication of an OPDS 2.0 feed.
fn publication_json(e: &LibraryEntry, l: &Listing) -> Value {
    let main = main_accessibility(l);
    let mut metadata = json!({
        "@type": "http://schema.org/Book",
        "title": l.title,
        "identifier": l.identifier,
        "language": l.lang,
        "modified": rfc3339(e.modified),
    });
    if !l.authors.is_empty() {
        metadata["author"] = json!(l.authors);
    }
    if let Some(p) = &l.publisher {
        metadata["publisher"] = json!(p);
    }
    if let Some(d) = &l.date {
        metadata["published"] = json!(d);
    }
    if let Some(d) = &l.description {
        metadata["description"] = json!(d);
    }
    if let Some(a) = main {
        metadata["accessibility"] = accessibility_json(a);
    }
    let links: Vec<Value> = l
        .editions
        .iter()
        .filter(|a| a.accessibility.is_some())
        .map(|a| {
            let mut link = json!({
                "rel": ACQUISITION,
                "href": a.href,
                "type": a.media_type,
                "title": edition_title(a),
            });
            if let Some(acc) = &a.accessibility
                && Some(acc) != main
            {
                link["properties"] = json!({ "accessibility": accessibility_json(acc) });
            }
            link
        })
        .collect();
    let mut p = json!({ "metadata": metadata, "links": links });
    if let Some(c) = &l.image {
        let mut image = json!({
            "href": c.href, "type": c.media_type, "width": c.width, "height": c.height
        });
        if let Some(alt) = &c.alt {
            image["title"] = json!(alt);
        }
        p["images"] = json!([image]);
    }
    p
}

/// A link's title: the edition's file name (`SLUG.large.EXT`), which says its format and
/// scale as `anpham build` names them.
pub(crate) fn edition_title(a: &super::library::Acquisition) -> String {
    a.file_name.clone()
}

/// The OPDS 2.0 feed of one page.
pub(crate) fn feed_json(catalog: &Catalog, page: &Page, base: &str) -> Value {
    let mut links = vec![
        json!({ "rel": "self", "href": page_href(base, JSON_PATH, page.page, page), "type": OPDS2 }),
        json!({ "rel": "start", "href": format!("{base}{JSON_PATH}"), "type": OPDS2 }),
        json!({ "rel": "search", "href": format!("{base}{JSON_PATH}{{?query}}"), "type": OPDS2, "templated": true }),
        json!({ "rel": "alternate", "href": page_href(base, XML_PATH, page.page, page), "type": OPDS1 }),
    ];
    for (rel, n) in paging(page) {
        links.push(
            json!({ "rel": rel, "href": page_href(base, JSON_PATH, n, page), "type": OPDS2 }),
        );
    }
    let publications: Vec<Value> = page
        .entries
        .iter()
        .filter_map(|e| e.publication.as_ref().ok().map(|l| publication_json(e, l)))
        .collect();
    let mut metadata = json!({
        "title": TITLE,
        "numberOfItems": page.total,
        "itemsPerPage": page.per_page,
        "currentPage": page.page,
    });
    if let Some(t) = catalog.scanned {
        metadata["modified"] = json!(rfc3339(t));
    }
    json!({ "metadata": metadata, "links": links, "publications": publications })
}

fn link(out: &mut String, rel: &str, href: &str, media_type: &str, title: Option<&str>) {
    out.push_str("  <link");
    attr(out, "rel", rel);
    attr(out, "href", href);
    attr(out, "type", media_type);
    if let Some(t) = title {
        attr(out, "title", t);
    }
    out.push_str("/>\n");
}

fn element(out: &mut String, indent: &str, name: &str, text: &str) {
    out.push_str(indent);
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// The OPDS 1.2 feed of one page (Atom).
pub(crate) fn feed_xml(catalog: &Catalog, page: &Page, base: &str) -> String {
    let updated = rfc3339(catalog.scanned.unwrap_or(std::time::UNIX_EPOCH));
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/terms/\" \
         xmlns:opds=\"http://opds-spec.org/2010/catalog\" \
         xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" \
         xmlns:schema=\"http://schema.org/\">\n",
    );
    element(
        &mut out,
        "  ",
        "id",
        &format!("urn:anpham:library{}", page_href("", "", page.page, page)),
    );
    element(&mut out, "  ", "title", TITLE);
    element(&mut out, "  ", "updated", &updated);
    out.push_str("  <author><name>anpham</name></author>\n");
    link(
        &mut out,
        "self",
        &page_href(base, XML_PATH, page.page, page),
        OPDS1,
        None,
    );
    link(&mut out, "start", &format!("{base}{XML_PATH}"), OPDS1, None);
    link(
        &mut out,
        "search",
        &format!("{base}{SEARCH_PATH}"),
        OPENSEARCH,
        None,
    );
    link(
        &mut out,
        "alternate",
        &page_href(base, JSON_PATH, page.page, page),
        OPDS2,
        None,
    );
    for (rel, n) in paging(page) {
        link(
            &mut out,
            rel,
            &page_href(base, XML_PATH, n, page),
            OPDS1,
            None,
        );
    }
    element(
        &mut out,
        "  ",
        "opensearch:totalResults",
        &page.total.to_string(),
    );
    element(
        &mut out,
        "  ",
        "opensearch:itemsPerPage",
        &page.per_page.to_string(),
    );
    element(
        &mut out,
        "  ",
        "opensearch:startIndex",
        &((page.page - 1) * page.per_page + 1).to_string(),
    );
    for e in &page.entries {
        let Ok(l) = &e.publication else {
            continue;
        };
        out.push_str("  <entry>\n");
        element(&mut out, "    ", "title", &l.title);
        element(&mut out, "    ", "id", &l.identifier);
        element(&mut out, "    ", "updated", &rfc3339(e.modified));
        for a in &l.authors {
            out.push_str("    <author>");
            element(&mut out, "", "name", a);
            out.pop();
            out.push_str("</author>\n");
        }
        element(&mut out, "    ", "dc:identifier", &l.identifier);
        element(&mut out, "    ", "dc:language", &l.lang);
        if let Some(p) = &l.publisher {
            element(&mut out, "    ", "dc:publisher", p);
        }
        if let Some(d) = &l.date {
            element(&mut out, "    ", "dc:issued", d);
        }
        if let Some(d) = &l.description {
            out.push_str("    <summary type=\"text\">");
            escape_into(&mut out, d);
            out.push_str("</summary>\n");
        }
        if let Some(a) = main_accessibility(l) {
            for c in &a.conforms_to {
                element(&mut out, "    ", "dc:conformsTo", c);
            }
            for m in &a.access_mode {
                element(&mut out, "    ", "schema:accessMode", m);
            }
            for s in &a.access_mode_sufficient {
                element(
                    &mut out,
                    "    ",
                    "schema:accessModeSufficient",
                    &s.join(","),
                );
            }
            for f in &a.feature {
                element(&mut out, "    ", "schema:accessibilityFeature", f);
            }
            for h in &a.hazard {
                element(&mut out, "    ", "schema:accessibilityHazard", h);
            }
            element(&mut out, "    ", "schema:accessibilitySummary", &a.summary);
        }
        if let Some(c) = &l.image {
            for rel in [
                "http://opds-spec.org/image",
                "http://opds-spec.org/image/thumbnail",
            ] {
                out.push_str("  ");
                link(&mut out, rel, &c.href, c.media_type, c.alt.as_deref());
            }
        }
        for a in l.editions.iter().filter(|a| a.accessibility.is_some()) {
            out.push_str("  ");
            link(
                &mut out,
                ACQUISITION,
                &a.href,
                a.media_type,
                Some(&edition_title(a)),
            );
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The OpenSearch description of the OPDS 1.2 feed's search.
pub(crate) fn opensearch(base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n",
    );
    element(&mut out, "  ", "ShortName", "anpham");
    element(&mut out, "  ", "Description", TITLE);
    element(&mut out, "  ", "InputEncoding", "UTF-8");
    element(&mut out, "  ", "OutputEncoding", "UTF-8");
    out.push_str("  <Url");
    attr(&mut out, "type", OPDS1);
    attr(
        &mut out,
        "template",
        &format!("{base}{XML_PATH}?query={{searchTerms}}"),
    );
    out.push_str("/>\n</OpenSearchDescription>\n");
    out
}
