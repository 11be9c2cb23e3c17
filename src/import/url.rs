//! Links relative to the page's address made absolute (`/a/b`, `../b`, `//host/b`), for
//! pages whose address is known (`<base href>`, `og:url`, JSON-LD `url`, canonical link)
//! and is http or https.

/// `href` resolved against `base` (an `http`/`https` address), if both allow it.
pub fn absolute(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let (scheme, rest) = base.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if href.is_empty()
        || href.starts_with('#')
        || href.contains(char::is_whitespace) && href.contains(':')
    {
        return None;
    }
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    if href.contains(':')
        && href.split(':').next().is_some_and(|s| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '.' || c == '-')
        })
        && !href.starts_with('/')
        && !href.starts_with('.')
    {
        // Has a scheme of its own (javascript:, data:, ftp:): not relative.
        return None;
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if host.is_empty() {
        return None;
    }
    let path = &rest[host_end..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let joined = if href.starts_with('/') {
        href.to_string()
    } else if href.starts_with('?') {
        format!("{}{href}", if path.is_empty() { "/" } else { path })
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{href}")
    };
    // Remove `.` and `..` segments from the path (not from the query).
    let (p, tail) = match joined.find(['?', '#']) {
        Some(i) => (&joined[..i], &joined[i..]),
        None => (joined.as_str(), ""),
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = p.split('/').skip(1).collect();
    for (i, s) in parts.iter().enumerate() {
        match *s {
            "." => {
                if i == parts.len() - 1 {
                    segs.push("");
                }
            }
            ".." => {
                segs.pop();
                if i == parts.len() - 1 {
                    segs.push("");
                }
            }
            s => segs.push(s),
        }
    }
    Some(format!("{scheme}://{host}/{}{tail}", segs.join("/")))
}

#[cfg(test)]
mod tests {
    use super::absolute;

    #[test]
    fn relative_links_become_absolute() {
        let base = "https://baobackan.vn/tin-tuc/2022/bai-viet.html?id=3";
        assert_eq!(
            absolute(base, "/a/b.html").as_deref(),
            Some("https://baobackan.vn/a/b.html")
        );
        assert_eq!(
            absolute(base, "c.html").as_deref(),
            Some("https://baobackan.vn/tin-tuc/2022/c.html")
        );
        assert_eq!(
            absolute(base, "../c.html").as_deref(),
            Some("https://baobackan.vn/tin-tuc/c.html")
        );
        assert_eq!(
            absolute(base, "//cdn.vn/x").as_deref(),
            Some("https://cdn.vn/x")
        );
        assert_eq!(
            absolute(base, "?page=2").as_deref(),
            Some("https://baobackan.vn/tin-tuc/2022/bai-viet.html?page=2")
        );
        assert_eq!(
            absolute("https://a.vn", "b").as_deref(),
            Some("https://a.vn/b")
        );
    }

    #[test]
    fn only_http_and_https() {
        assert_eq!(absolute("file:///home/x/page.html", "/a"), None);
        assert_eq!(absolute("https://a.vn/", "javascript:alert(1)"), None);
        assert_eq!(absolute("https://a.vn/", "#top"), None);
        assert_eq!(absolute("https://a.vn/", "mailto:x@a.vn"), None);
    }
}
