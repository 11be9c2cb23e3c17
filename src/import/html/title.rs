//! The article's title without the site's name: `Title | Site`, `Site - Title`,
//! `Title – Site`, … lose the part that names the site (`og:site_name`,
//! `application-name`, the host name), or, when the page names no site, a short last part
//! after a `|`.

use scraper::Html;

use super::super::normalize_space;
use super::sel;

/// What separates a title from the site's name.
const SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", " || ",
];

/// The names the page gives its site, from its metadata and its address.
pub fn site_names(doc: &Html) -> Vec<String> {
    let mut names = Vec::new();
    for (s, attr) in [
        ("meta[property='og:site_name']", "content"),
        ("meta[name='application-name']", "content"),
        ("meta[name='apple-mobile-web-app-title']", "content"),
        ("meta[name='twitter:site']", "content"),
        ("meta[property='og:url']", "content"),
        ("link[rel='canonical']", "href"),
    ] {
        for e in doc.select(&sel(s)) {
            if let Some(v) = e.value().attr(attr) {
                let v = v.trim().trim_start_matches('@');
                if v.contains("://") {
                    if let Some(host) = v.split("://").nth(1).and_then(|r| r.split('/').next()) {
                        names.push(host.trim_start_matches("www.").to_string());
                    }
                } else if !v.is_empty() {
                    names.push(v.to_string());
                }
            }
        }
    }
    names
}

/// Letters and digits only, lower case: `The Hill` and `thehill.com` compare as
/// `thehill` and `thehillcom`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `part` names the site: equal to a site name, or to a host name without its
/// domain ending (`thehill` for `thehill.com`).
fn names_site(part: &str, sites: &[String]) -> bool {
    let p = squash(part);
    if p.is_empty() {
        return false;
    }
    sites.iter().any(|s| {
        let full = squash(s);
        let host_stem = squash(s.rsplit_once('.').map_or(s.as_str(), |(a, _)| a));
        p == full
            || p == host_stem
            || (full.len() >= 4 && full.starts_with(&p) && p.len() * 2 >= full.len())
            || (p.len() >= 4 && p.starts_with(&full) && full.len() >= 4)
            || (host_stem.len() >= 3
                && host_stem != full
                && p.starts_with(&host_stem)
                && p.len() <= host_stem.len() + 8)
    })
}

/// `title` without the part that names the site.
pub fn without_site_name(title: &str, sites: &[String]) -> String {
    let t = normalize_space(title);
    for sep in SEPARATORS {
        let parts: Vec<&str> = t.split(sep).collect();
        if parts.len() < 2 {
            continue;
        }
        // `Title | Section | Site`: drop trailing parts that name the site.
        if let Some(last) = parts.last()
            && names_site(last, sites)
        {
            return parts[..parts.len() - 1].join(sep);
        }
        if names_site(parts[0], sites) {
            return parts[1..].join(sep);
        }
    }
    // No site name known: a short last part after `|` is the site's.
    if let Some((head, tail)) = t.rsplit_once(" | ")
        && tail.split_whitespace().count() <= 4
        && head.split_whitespace().count() >= 3
    {
        return head.to_string();
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_go() {
        let sites = vec!["TheHill".to_string(), "thehill.com".to_string()];
        assert_eq!(
            without_site_name("South Dakota governor doubles down | TheHill", &sites),
            "South Dakota governor doubles down"
        );
        assert_eq!(
            without_site_name("Hội nghị tổng kết - Báo Bắc Kạn", &["Báo Bắc Kạn".into()]),
            "Hội nghị tổng kết"
        );
        assert_eq!(
            without_site_name("BBC News - Storm hits coast", &["bbc.com".into()]),
            "Storm hits coast"
        );
        assert_eq!(
            without_site_name("Storm hits the coast | Daily Planet", &[]),
            "Storm hits the coast"
        );
        // A dash inside a title stays when no part names the site.
        assert_eq!(
            without_site_name("Covid-19 - what we know now", &["example.org".into()]),
            "Covid-19 - what we know now"
        );
    }

    #[test]
    fn names_from_the_page() {
        let doc = Html::parse_document(
            r#"<html><head><meta property="og:site_name" content="TheHill"><link rel="canonical" href="https://www.thehill.com/a/b"></head></html>"#,
        );
        assert_eq!(
            site_names(&doc),
            vec!["TheHill".to_string(), "thehill.com".to_string()]
        );
    }
}
