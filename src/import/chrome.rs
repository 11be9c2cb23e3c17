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

/// A PHP error message a broken server printed into the page (`Deprecated: Assigning
/// the return value of new by reference is deprecated in /www/…/cache.php on line 36`).
fn is_php_message(l: &str) -> bool {
    [
        "strict standards:",
        "deprecated:",
        "warning:",
        "notice:",
        "fatal error:",
        "parse error:",
    ]
    .iter()
    .any(|p| l.starts_with(p))
        && l.contains(" on line ")
        && l.contains(" in /")
}

/// Labels of advertisements placed between an article's paragraphs (`- Anzeige -`),
/// compared in lower case without dashes around them.
const AD_LABELS: &[&str] = &[
    "quảng cáo",
    "anzeige",
    "werbung",
    "advertisement",
    "advertising",
    "sponsored",
    "publicidad",
    "publicité",
    "pubblicità",
    "reklama",
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
    if is_php_message(&l) {
        return true;
    }
    if AD_LABELS.contains(&l.trim_matches(|c: char| c == '-' || c == '–' || c == ' ' || c == '*'))
    {
        return true;
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

/// Headings after which an article has ended, in the languages of the public
/// collections: related articles, "read also", comments, about the author.
const END_HEADINGS: &[&str] = &[
    "related posts",
    "related articles",
    "related stories",
    "related content",
    "you may also like",
    "you might also like",
    "more from",
    "read next",
    "recommended for you",
    "about the author",
    "leave a reply",
    "leave a comment",
    "comments",
    "share this",
    "share this article",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "mehr zum thema",
    "weitere artikel",
    "weitere beiträge",
    "verwandte artikel",
    "verwandte beiträge",
    "ähnliche artikel",
    "ähnliche beiträge",
    "das interessiert sie vielleicht auch",
    "über den autor",
    "über die autorin",
    "zum autor",
    "zur autorin",
    "kommentare",
    "kommentar schreiben",
    "keine kommentare",
    "mehr aus dem channel",
    "noticias relacionadas",
    "artículos relacionados",
    "más sobre",
    "comentarios",
    "notícias relacionadas",
    "sur le même sujet",
    "articles similaires",
    "commentaires",
    "komentarze",
    "articoli correlati",
];

/// Labels of a link to another article put between an article's paragraphs ("read
/// also"): the line goes, the article goes on.
const READ_ALSO: &[&str] = &[
    "read more",
    "read also",
    "lesen sie auch",
    "lies auch",
    "auch interessant",
    "lee también",
    "te puede interesar",
    "también te puede interesar",
    "veja também",
    "leia também",
    "à lire aussi",
    "lire aussi",
    "czytaj także",
    "czytaj też",
    "zobacz także",
    "leggi anche",
];

/// True for a "read also" label between paragraphs ([`READ_ALSO`]), alone or followed by
/// the other article's title or site (`LIRE AUSSI SUR REGARDS.FR`, `Lesen Sie auch:
/// Ein anderer Titel`).
pub fn is_read_also(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    let l = l.trim_end_matches([':', ' ', '!', '.', '…']);
    READ_ALSO.iter().any(|h| {
        l == *h
            || (l.starts_with(h)
                && l[h.len()..].starts_with([' ', ':'])
                && l.chars().count() <= h.chars().count() + 120)
    })
}

/// True for a heading (or a short line all in bold) after which the article has ended,
/// in any of the languages of [`END_HEADINGS`]: the phrase alone, or a phrase of two
/// words or more followed by a few more (`Mehr zum Thema auf UEPO.de`).
pub fn is_end_heading(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    let l = l.trim_end_matches([':', ' ', '!', '.', '…']);
    END_HEADINGS.iter().any(|h| {
        l == *h
            || (h.contains(' ')
                && l.starts_with(h)
                && l[h.len()..].starts_with(' ')
                && l.chars().count() <= h.chars().count() + 30)
    })
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

/// More chrome words, from the boxes found inside the article's element on real pages of
/// many sites and languages (`docs/import.md`, "Evaluation"): author boxes and bylines,
/// widgets, teasers of other articles, paywall and subscription calls, disclaimers,
/// photo credits, tables of contents, "most read" lists, recommendation widgets.
pub const CHROME_CLASS_PARTS_MORE: &[&str] = &[
    "author",
    "byline",
    "bio",
    "widget",
    "teaser",
    "paywall",
    "subscription",
    "disclaimer",
    "disclosure",
    "credit",
    "noprint",
    "table-of-contents",
    "ez-toc",
    "kommentar",
    "mostviewed",
    "most-viewed",
    "mostread",
    "most-read",
    "most-popular",
    "affiliate",
    "outbrain",
    "taboola",
    "viral",
    "syndication",
    "donate",
    "donation",
    "recommend",
    "meta",
    "timestamp",
    "user-info",
    "button",
];

/// Chrome words that name controls (buttons, toolbars, print and font-size links,
/// ratings): an element with one of them is chrome only when it holds little text
/// ([`CONTROL_MAX_CHARS`]); a `print-step` or `small-fontsize` block of text is not.
pub const CONTROL_PARTS: &[&str] = &[
    "toolbar",
    "print",
    "fontsize",
    "font-size",
    "textsize",
    "rating",
    "button",
];

/// The most characters of text an element named as a control ([`CONTROL_PARTS`]) holds.
pub const CONTROL_MAX_CHARS: usize = 200;

/// Names that make an element chrome only as a whole class or id (states, not topics):
/// `class="hidden"` hides, `class="field-label-hidden"` hides only a label.
pub const WHOLE_NAME_PARTS: &[&str] = &["hidden", "ms-hide", "hide", "d-none", "sr-only"];

/// The lower-case words of a class or id: split at anything not a letter or digit and
/// where a lower-case letter meets an upper-case one (`shareButtons`).
pub(crate) fn name_words(name: &str) -> Vec<String> {
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
    let parts = CHROME_CLASS_PARTS.iter().chain(CHROME_CLASS_PARTS_MORE);
    parts.copied().find(|part| {
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

/// Labels of a photo credit (`Foto: dpa`, `Photograph: Guy Smallman/Getty Images`,
/// `Bildnachweis: …`), compared in lower case before a colon.
const CREDIT_LABELS: &[&str] = &[
    "photo",
    "photos",
    "photograph",
    "foto",
    "fotos",
    "fotoquelle",
    "bild",
    "bilder",
    "bildquelle",
    "bildnachweis",
    "beitragsbild",
    "titelbild",
    "image",
    "credit",
    "credits",
    "crédit photo",
    "crédits photo",
    "crédits photos",
    "zdjęcie",
];

/// The longest photo credit line, in characters.
const CREDIT_MAX_CHARS: usize = 300;

/// True for a photo credit or a caption ending with one: a line that starts with `©`
/// (`© Getty Images`) or a credit label and a colon (`Foto: dpa`, `Beitragsbild via
/// Unsplash` does not: no colon), or a caption that ends with `© Name` or `Photo:
/// Name/Agency` — at most 70 characters after the mark, with no sentence end in them.
/// Such a line is about a picture, not the article's running text.
pub fn is_photo_credit(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    let n = l.chars().count();
    if n == 0 || n > CREDIT_MAX_CHARS {
        return false;
    }
    if (l.starts_with('©') || l.starts_with("(c) ")) && n <= 120 {
        return true;
    }
    if n <= 160
        && CREDIT_LABELS
            .iter()
            .any(|w| label_colon_at(&l, 0, w).is_some())
    {
        return true;
    }
    // A caption ending with its credit: the last `©` or `label:` and a short tail.
    let mut marks: Vec<usize> = l
        .match_indices('©')
        .map(|(i, _)| i + '©'.len_utf8())
        .collect();
    for w in CREDIT_LABELS {
        for (i, _) in l.match_indices(w) {
            let word_start = l[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if word_start && let Some(end) = label_colon_at(&l, i, w) {
                marks.push(end);
            }
        }
    }
    marks.into_iter().any(|end| {
        let tail = l[end..].trim();
        let len = tail.chars().count();
        (1..=70).contains(&len) && !tail.contains(['.', '!', '?', '©'])
    })
}

/// When `l` has the label `w` at byte `at` followed by optional spaces and a colon,
/// the byte just after the colon.
fn label_colon_at(l: &str, at: usize, w: &str) -> Option<usize> {
    let rest = l.get(at..)?.strip_prefix(w)?;
    let after = rest.trim_start();
    after.starts_with(':').then(|| l.len() - after.len() + 1)
}

/// Calls to action that close a page's article (subscribe, follow us, download the app,
/// support us, newsletter), in the languages of the public collections; matched at the
/// start of a word, so `subscribe` is also `subscribers`, `abonnier` `abonnieren`.
const CALLS_TO_ACTION: &[&str] = &[
    "subscribe",
    "subscription",
    "newsletter",
    "sign up",
    "follow us",
    "follow the",
    "follow @",
    "download the",
    "download our",
    "get the latest",
    "join us",
    "join now",
    "support our",
    "support us",
    "abonnier",
    "folgen sie uns",
    "folge uns",
    "unterstütze",
    "melde dich",
    "suscrib",
    "suscríb",
    "síguenos",
    "únete",
    "hazte miembro",
    "abonnez",
    "inscrivez",
    "zapisz się",
    "subskrypcj",
];

/// The longest line read as a call to action, in characters.
pub const CALL_TO_ACTION_MAX_CHARS: usize = 250;

/// True for a short line with a call to action ([`CALLS_TO_ACTION`]): `Subscribe now to
/// our eNATION edition for the full story.`, `Follow The Gleaner on Twitter …`,
/// `¡Únete a nuestro canal de Telegram!`.
pub fn is_call_to_action(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    if l.chars().count() > CALL_TO_ACTION_MAX_CHARS {
        return false;
    }
    CALLS_TO_ACTION.iter().any(|w| {
        l.match_indices(w).any(|(i, _)| {
            l[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
    })
}

/// True for a line that is exactly an end heading's phrase ([`END_HEADINGS`], with or
/// without a final colon): `Das könnte Sie auch interessieren`, `Über den Autor`.
pub fn is_end_label(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    let l = l.trim_end_matches([':', ' ', '!', '.', '…']);
    END_HEADINGS.contains(&l)
}

/// Month names and their abbreviations in the languages of the public collections
/// (lower case; a word starting with one of them, next to a year, is a month).
const MONTHS: &[&str] = &[
    "jan", "feb", "mär", "mar", "apr", "mai", "may", "jun", "jul", "aug", "sep", "okt", "oct",
    "nov", "dez", "dec", "janv", "févr", "avr", "juil", "août", "déc", "ene", "abr", "ago", "dic",
    "stycz", "lut", "kwi", "maj", "czerw", "lip", "sierp", "wrze", "paźdz", "listop", "grud",
];

/// The longest dateline, in characters.
const DATELINE_MAX_CHARS: usize = 80;

/// True for a dateline: a short line with a date or a time and at most five other words
/// (`Posted on April 22, 2022`, `Aktualisiert am 19.02.2020`, `24. März 2004, 19:49 |
/// Genesis`, `3:59 PM`). Dates are `12.05.2007`, `12/05/07`, `2007-05-12`, `19:49`, or a
/// month name next to a year (`6. Mai 2014`, `April 21, 2022`).
pub fn is_dateline(line: &str) -> bool {
    let l = normalize_space(line).to_lowercase();
    if l.is_empty() || l.chars().count() > DATELINE_MAX_CHARS {
        return false;
    }
    let numeric = l
        .split_whitespace()
        .any(|w| is_numeric_date(w.trim_matches(|c: char| !c.is_ascii_digit())));
    let tokens: Vec<&str> = l
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let is_year =
        |t: &str| t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
    let is_month =
        |t: &str| t.chars().all(char::is_alphabetic) && MONTHS.iter().any(|m| t.starts_with(m));
    // Months count as part of a date only next to a year (at most two words away).
    let month_at: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            is_month(tokens[i])
                && tokens[i.saturating_sub(2)..(i + 3).min(tokens.len())]
                    .iter()
                    .any(|t| is_year(t))
        })
        .collect();
    if !numeric && month_at.is_empty() {
        return false;
    }
    let words = tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| t.chars().all(char::is_alphabetic) && !month_at.contains(i))
        .count();
    words <= 5
}

/// `12.05.2007`, `12/5/07`, `2007-05-12` or `19:49`.
fn is_numeric_date(w: &str) -> bool {
    let parts: Vec<&str> = w.split(['.', '/', '-', ':']).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let lens: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    match lens.as_slice() {
        [a, b, c] => {
            (w.contains('.') || w.contains('/') || w.contains('-'))
                && !w.contains(':')
                && ((*a <= 2 && *b <= 2 && (*c == 2 || *c == 4)) || (*a == 4 && *b == 2 && *c == 2))
        }
        [a, b] => w.contains(':') && *a <= 2 && *b == 2,
        _ => false,
    }
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
    fn boxes_inside_articles_are_chrome() {
        assert_eq!(chrome_part("post-author-bio"), Some("author"));
        assert_eq!(chrome_part("mvp-author-box-wrap"), Some("author"));
        assert_eq!(chrome_part("teaser__wrapper"), Some("teaser"));
        assert_eq!(chrome_part("portletTeaserPortlet"), Some("teaser"));
        assert_eq!(chrome_part("aawp-disclaimer"), Some("disclaimer"));
        assert_eq!(chrome_part("media-credits"), Some("credit"));
        assert_eq!(chrome_part("entry-meta"), Some("meta"));
        // Whole words only: not inside another word.
        assert_eq!(chrome_part("biology"), None);
        assert_eq!(chrome_part("metro-news"), None);
        assert_eq!(chrome_part("coauthored"), None);
        assert_eq!(chrome_part("TOC_TITLE_1"), None);
        assert_eq!(chrome_part("ez-toc-container"), Some("ez-toc"));
    }

    #[test]
    fn end_headings_in_several_languages() {
        assert!(is_end_heading("Das könnte Sie auch interessieren!"));
        assert!(is_end_heading("Mehr zum Thema auf UEPO.de"));
        assert!(is_end_heading("Related posts:"));
        assert!(is_end_heading("Noticias relacionadas"));
        assert!(!is_end_heading(
            "Mehr zum Thema Klimaschutz und Energiewende in Deutschland heute"
        ));
        assert!(!is_end_heading("Comments on the draft law"));
        assert!(!is_end_heading("Lire aussi"));
        assert!(is_read_also("LIRE AUSSI SUR REGARDS.FR"));
        assert!(is_read_also("Lesen Sie auch: Ein anderer Titel"));
        assert!(!is_read_also("Lesenswert ist auch das Buch"));
    }

    #[test]
    fn advertisement_labels_are_chrome() {
        assert!(is_chrome_line("- Anzeige -"));
        assert!(is_chrome_line("ADVERTISEMENT"));
        assert!(is_chrome_line("Quảng cáo"));
        assert!(is_chrome_line(
            "Deprecated: Assigning the return value of new by reference is deprecated in /www/htdocs/wp-includes/cache.php on line 36"
        ));
        assert!(!is_chrome_line(
            "Warning: the river may flood on line 5 of the map"
        ));
        assert!(!is_chrome_line("Anzeige gegen Unbekannt erstattet"));
    }

    #[test]
    fn end_markers() {
        assert!(is_end_marker("Tin liên quan"));
        assert!(is_end_marker("Các tin khác:"));
        assert!(!is_end_marker("Tin liên quan đến hội thảo đã được đăng"));
    }
}
