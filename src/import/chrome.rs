//! The portal's own words around an article ("chrome"): toolbars, share buttons, print
//! links, and the headings after which related articles or comments begin. Both readers
//! use these lists; `docs/import.md` says where each comes from.

use super::normalize_space;

/// Lines or elements made only of these words are toolbar buttons and links, not
/// article text (compared in lower case, white space collapsed).
const TOOLBAR_WORDS: &[&str] = &[
    "tăng cỡ chữ",
    "giảm cỡ chữ",
    "cỡ chữ",
    "in bài viết",
    "in bài",
    "bản in",
    "gửi email",
    "gửi e-mail",
    "gửi bài viết",
    "gửi bài",
    "chia sẻ",
    "lưu bài",
    "lưu",
    "về đầu trang",
    "đầu trang",
    "quay lại",
    "trở về",
    "nghe đọc bài",
    "nghe bài",
    "đọc bài",
    "facebook",
    "zalo",
    "twitter",
    "tweet",
    "email",
    "like",
    "share",
    "print",
    "a-",
    "a+",
    "a",
    "|",
    ":",
];

/// A heading or line with this text ends the article: what follows is related
/// articles, comments or the site's footer.
const END_MARKERS: &[&str] = &[
    "tin liên quan",
    "tin cùng chuyên mục",
    "các tin khác",
    "tin khác",
    "tin mới hơn",
    "tin cũ hơn",
    "tin đã đưa",
    "bài viết liên quan",
    "bài liên quan",
    "xem thêm",
    "ý kiến bạn đọc",
    "bình luận",
    "gửi bình luận",
    "gửi ý kiến",
];

/// True for a line of portal chrome: a SharePoint web-part title (`PublishingPortal -
/// Block_BanTin_Toolbar`), or a line made only of toolbar words (`Tăng cỡ chữ Giảm cỡ
/// chữ`, `Chia sẻ: Facebook Zalo`, `Lượt xem: 120`).
pub fn is_chrome_line(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    if l.is_empty() || l == "a" {
        return false;
    }
    if l.starts_with("publishingportal") || l.contains("block_bantin") || l.starts_with("webpart") {
        return true;
    }
    if let Some(rest) = l.strip_prefix("lượt xem") {
        return rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | ' ' | '.' | ','));
    }
    only_toolbar_words(&l)
}

/// True when `lower` (lower case, collapsed) is made only of toolbar words.
fn only_toolbar_words(lower: &str) -> bool {
    let mut rest = lower.trim();
    'outer: while !rest.is_empty() {
        // Longest words first, so "tăng cỡ chữ" wins over "cỡ chữ".
        for w in TOOLBAR_WORDS {
            if let Some(r) = rest.strip_prefix(w)
                && (r.is_empty() || r.starts_with([' ', ':', '|', ',']))
            {
                rest = r.trim_start_matches([' ', ':', '|', ',']);
                continue 'outer;
            }
        }
        return false;
    }
    true
}

/// True for a heading or line after which the article has ended (`Tin liên quan`,
/// `Các tin khác`, `Ý kiến bạn đọc`, …, with or without a final colon).
pub fn is_end_marker(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    let l = l.trim_end_matches([':', ' ']);
    END_MARKERS.contains(&l)
}

/// Words of class or id names of elements that are chrome on Vietnamese portals and
/// newspapers and on news sites generally. A part matches whole words of a name
/// (`share` in `share-box`, `social_links`, `shareButtons`; `comment` also in
/// `comments`), never the inside of a word, so `hidden` is not `field-label-hidden`'s
/// state but a word of it — see [`WHOLE_NAME_PARTS`].
pub const CHROME_CLASS_PARTS: &[&str] = &[
    "toolbar",
    "share",
    "social",
    "sharing",
    "related",
    "lienquan",
    "lien-quan",
    "tinkhac",
    "tin-khac",
    "othernews",
    "other-news",
    "comment",
    "binhluan",
    "breadcrumb",
    "menu",
    "navbar",
    "footer",
    "header-top",
    "banner",
    "advert",
    "ads",
    "quangcao",
    "print",
    "fontsize",
    "font-size",
    "textsize",
    "rating",
    "tags",
    "keyword",
    "newsletter",
    "sidebar",
    "promo",
    "popup",
    "cookie",
    "consent",
    "modal",
    "subscribe",
    "ms-webpart-chrome-title",
    "ms-webpart-titletext",
];

/// Names that make an element chrome only as a whole class or id (states, not topics):
/// `class="hidden"` hides, `class="field-label-hidden"` hides only a label.
pub const WHOLE_NAME_PARTS: &[&str] = &["hidden", "ms-hide", "hide", "d-none", "sr-only"];

/// The lower-case words of a class or id: split at anything not a letter or digit and
/// where a lower-case letter meets an upper-case one (`shareButtons`).
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Words of a class or id name that mark an embedded post (kept, whatever else the name
/// says).
const EMBED_WORDS: &[&str] = &["embed", "tweet"];

/// The chrome part a class or id name matches, if any (see [`CHROME_CLASS_PARTS`]).
pub fn chrome_part(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if let Some(p) = WHOLE_NAME_PARTS.iter().find(|p| lower == **p) {
        return Some(p);
    }
    let words = name_words(name);
    // An embedded post (`social-media-embed`, `twitter-tweet`) is a quotation the article
    // makes, not the site's share buttons.
    if words.is_empty()
        || words
            .iter()
            .any(|w| EMBED_WORDS.iter().any(|e| w.starts_with(e)))
    {
        return None;
    }
    CHROME_CLASS_PARTS.iter().copied().find(|part| {
        let pw: Vec<&str> = part.split('-').collect();
        if pw.len() == 1 {
            // One word: a word of the name equal to it or starting with it
            // (`comments`, `sharebox`), or a Vietnamese compound inside a word.
            words.iter().any(|w| {
                w.starts_with(part) && (w.len() == part.len() || part.len() >= 4)
                    || (part.len() >= 7 && w.contains(part))
            })
        } else {
            words
                .windows(pw.len())
                .any(|win| win.iter().zip(&pw).all(|(a, b)| a == b))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_chrome_lines() {
        assert!(is_chrome_line("PublishingPortal - Block_BanTin_Toolbar"));
        assert!(is_chrome_line(" PublishingPortal - Block_BanTin_ViewData"));
        assert!(is_chrome_line("Tăng cỡ chữ Giảm cỡ chữ"));
        assert!(is_chrome_line("Chia sẻ: Facebook | Zalo"));
        assert!(is_chrome_line("Lượt xem: 1.204"));
        assert!(!is_chrome_line("Toàn cảnh Hội thảo"));
        assert!(!is_chrome_line("Chia sẻ kinh nghiệm làm kinh tế"));
        assert!(!is_chrome_line("A"));
    }

    #[test]
    fn chrome_names_match_whole_words() {
        assert_eq!(chrome_part("hidden"), Some("hidden"));
        assert_eq!(chrome_part("field-label-hidden"), None);
        assert_eq!(chrome_part("social-media-embed"), None);
        assert_eq!(chrome_part("twitter-tweet"), None);
        assert_eq!(chrome_part("social-links"), Some("social"));
        assert_eq!(chrome_part("field field-label-hidden"), None);
        assert_eq!(chrome_part("share-box"), Some("share"));
        assert_eq!(chrome_part("shareButtons"), Some("share"));
        assert_eq!(chrome_part("user-comments"), Some("comment"));
        assert_eq!(chrome_part("boxtinlienquan"), Some("lienquan"));
        assert_eq!(chrome_part("header-top"), Some("header-top"));
        assert_eq!(chrome_part("page-header"), None);
        assert_eq!(chrome_part("blueprint"), None);
        assert_eq!(chrome_part("uploads"), None);
        assert_eq!(chrome_part("article-body"), None);
    }

    #[test]
    fn end_markers() {
        assert!(is_end_marker("Tin liên quan"));
        assert!(is_end_marker("Các tin khác:"));
        assert!(!is_end_marker("Tin liên quan đến hội thảo đã được đăng"));
    }
}
