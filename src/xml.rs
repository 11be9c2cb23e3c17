//! XML output helpers, shared by the editions' XML writers. Every string that reaches the
//! package document, the navigation
//! document or a content document passes through [`escape_into`], the single escaping
//! function of the XML writers: it escapes the five XML specials (so a title containing
//! `<`, `&`, quotes or `]]>` stays well-formed) and drops the few characters XML 1.0
//! cannot carry at all (C0 controls other than tab and line breaks, U+FFFE, U+FFFF),
//! which validation normally refuses before they get here.

/// Appends `s` to `out`, escaped for XML character data and attribute values.
pub fn escape_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| needs_escape(c)) {
        out.push_str(&rest[..i]);
        let c = rest[i..]
            .chars()
            .next()
            .expect("find returned a char boundary");
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => {} // not an XML character: dropped
        }
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
}

/// `s` escaped for XML (see [`escape_into`]); only an edition behind a cargo feature calls
/// it, so a build without that feature does not.
#[allow(
    dead_code,
    reason = "its one caller is an edition a build may leave out"
)]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// Appends ` name="value"` with the value escaped.
pub fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    escape_into(out, value);
    out.push('"');
}

/// Appends ` lang="…" xml:lang="…"`.
pub fn lang_attrs(out: &mut String, lang: &str) {
    attr(out, "lang", lang);
    attr(out, "xml:lang", lang);
}

/// A link target made safe for `href`: ASCII characters that URLs may not contain
/// (`"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`, spaces, controls), stray `%` and
/// any `#` after the first are percent-encoded; everything else, non-ASCII included, is
/// kept (an IRI). The result still goes through [`escape_into`] as an attribute value.
pub fn href(url: &str) -> std::borrow::Cow<'_, str> {
    let b = url.as_bytes();
    let first_hash = url.find('#');
    let bad = |i: usize| -> bool {
        let c = b[i];
        (c == b'#' && first_hash != Some(i))
            || matches!(
                c,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | b' ' | 0
                    ..=0x1F | 0x7F
            )
            || (c == b'%'
                && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)))
    };
    if !(0..b.len()).any(bad) {
        return std::borrow::Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len() + 8);
    for (i, c) in url.char_indices() {
        if c.is_ascii() && bad(i) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    matches!(c, '&' | '<' | '>' | '"' | '\'') || !is_xml_char(c)
}

/// Whether XML 1.0 allows `c` in a document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped() {
        assert_eq!(
            escape(r#"a < b & "c" 'd' ]]> e"#),
            "a &lt; b &amp; &quot;c&quot; &#39;d&#39; ]]&gt; e"
        );
    }

    #[test]
    fn cdata_end_cannot_survive() {
        assert!(!escape("x]]>y").contains("]]>"));
    }

    #[test]
    fn vietnamese_passes_through() {
        let s = "Hội thảo khoa học “Thực trạng” ở Bắc Kạn";
        assert_eq!(escape(s), s);
    }

    #[test]
    fn non_xml_characters_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1F}c\u{FFFE}d\te\n"), "abcd\te\n");
    }

    #[test]
    fn hrefs_are_valid_urls() {
        assert_eq!(
            href("https://example.com/a?b=1&c=<2>"),
            "https://example.com/a?b=1&c=%3C2%3E"
        );
        assert_eq!(
            href("https://x.vn/?q=\"a\" b|c"),
            "https://x.vn/?q=%22a%22%20b%7Cc"
        );
        assert_eq!(href("https://x.vn/50%25-off%"), "https://x.vn/50%25-off%25");
        assert_eq!(href("https://bắc-kạn.vn/tin"), "https://bắc-kạn.vn/tin");
        assert_eq!(href("https://x.vn/#a#b"), "https://x.vn/#a%23b");
    }

    #[test]
    fn attributes_are_quoted_and_escaped() {
        let mut s = String::new();
        attr(&mut s, "alt", "say \"hi\" & <go>");
        assert_eq!(s, r#" alt="say &quot;hi&quot; &amp; &lt;go&gt;""#);
    }
}
