//! Normalisation and validation of articles after parsing.
//!
//! * Every string is normalised to Unicode NFC (Vietnamese text often arrives decomposed).
//! * Inline text: runs of white space (including line breaks and tabs) become one space,
//!   leading and trailing space is trimmed, a stray U+FEFF is removed.
//! * Refused with a located error: other C0/C1 control characters, bidirectional
//!   controls, more than three combining marks on one letter ("Zalgo" text), empty
//!   titles, headings outside levels 2–6, skipped heading levels, figures without alt
//!   text (unless decorative), links other than http/https/mailto, malformed dates and
//!   language tags, images that are missing, outside the article's folder, not PNG/JPEG,
//!   truncated, or too large, and short texts (titles, authors, leads, headings, alt
//!   text) longer than an edition can write whole (each edition's own limit, asked
//!   through `crate::editions::limits`).
//!
//! `docs/robustness.md` lists every rule with its test.

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::editions::limits::check_text;
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::{Article, Block, Publication, Text};

pub use crate::images::{MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE};
/// Most blocks in one article, and in one publication.
pub const MAX_BLOCKS: usize = 100_000;
/// Most list items in one article, and in one publication.
pub const MAX_LIST_ITEMS: usize = 100_000;
/// Most inline spans (runs of text with one style) in one article, and in one publication.
pub const MAX_SPANS: usize = 100_000;
/// Most characters of text in one article, and in one publication (8 Mi: some 18,000
/// large-print pages, built in seconds and about 550 MB).
pub const MAX_TEXT_CHARS: usize = 8 * 1024 * 1024;
/// Most combining marks in a row on one letter (Vietnamese, even decomposed, needs two).
pub const MAX_COMBINING_MARKS: usize = 3;
mod chars;
mod figure;
mod normalize;
pub mod repair;
mod size;

use chars::{check_chars, check_controls};
pub use chars::{for_each_text, forbidden_char};
pub use figure::check_image;
use figure::figure_image;
use normalize::{collapse, nfc, normalize_article};
use size::Size;
pub use size::check_publication_size;

/// Normalises, validates and loads the images of one article.
#[cfg(feature = "import")]
pub fn prepare_article(article: &mut Article) -> Result<()> {
    prepare_article_with(article, false).map(drop)
}

/// [`prepare_article`], first repairing control characters when `repair` is set
/// ([`repair::repair_controls`]); returns the warnings of the repair.
pub fn prepare_article_with(article: &mut Article, repair: bool) -> Result<Vec<Diagnostic>> {
    let (file, prefix) = match &article.origin {
        Some(o) => (
            o.file.clone(),
            if o.field.is_empty() {
                String::new()
            } else {
                format!("{}.", o.field)
            },
        ),
        None => (PathBuf::from("<article>"), String::new()),
    };
    // Each part costs kilobytes once laid out: a 16 MiB list of one-letter items would
    // need tens of gigabytes. Refused before anything else is done with it.
    if let Some(d) = Size::of(std::slice::from_ref(article)).check(
        &file,
        &format!("{prefix}blocks"),
        "the article",
        "split the article",
    ) {
        return Err(d.into());
    }
    let warnings = if repair {
        repair::repair_controls(article, &file, &prefix)
    } else {
        Vec::new()
    };
    let mut diags = Vec::new();
    check_controls(article, &file, &prefix, &mut diags);
    if !diags.is_empty() {
        return Err(Error::Input(Diagnostics(diags)));
    }
    normalize_article(article);
    check_article(article, &file, &prefix, &mut diags);
    if diags.is_empty() {
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        for (i, b) in article.blocks.iter_mut().enumerate() {
            if let Block::Figure(f) = b
                && let Err(d) = figure_image(f, &base, &file, &format!("{prefix}blocks[{i}].src"))
            {
                diags.push(d);
            }
        }
    }
    if article.slug.as_deref().is_none_or(str::is_empty) {
        let slug = slugify(&article.title);
        article.slug = Some(if slug.is_empty() {
            "article".into()
        } else {
            slug
        });
    }
    if diags.is_empty() {
        Ok(warnings)
    } else {
        Err(Error::Input(Diagnostics(diags)))
    }
}

/// Normalises and checks the publication-level fields (articles are prepared already).
pub fn prepare_publication(p: &mut Publication, file: &Path) -> Result<()> {
    let mut diags = Vec::new();
    for (field, v) in [
        ("title", Some(&p.title)),
        ("publisher", p.publisher.as_ref()),
        ("date", p.date.as_ref()),
        ("identifier", p.identifier.as_ref()),
        ("description", p.description.as_ref()),
    ] {
        if let Some(v) = v {
            check_chars(file, field, v, &mut diags);
        }
    }
    if !diags.is_empty() {
        return Err(Error::Input(Diagnostics(diags)));
    }
    for s in [&mut p.title].into_iter().chain(
        [
            &mut p.publisher,
            &mut p.date,
            &mut p.identifier,
            &mut p.description,
        ]
        .into_iter()
        .flatten(),
    ) {
        *s = collapse(&nfc(s));
    }
    if p.title.is_empty() {
        diags.push(
            Diagnostic::field(file, "title", "the publication has no title")
                .with_hint("add `title = \"…\"`"),
        );
    }
    for (field, v) in [
        ("title", Some(&p.title)),
        ("publisher", p.publisher.as_ref()),
        ("description", p.description.as_ref()),
    ] {
        if let Some(v) = v {
            check_text(file, field, v, &mut diags);
        }
    }
    if !is_language_tag(&p.lang) {
        diags.push(bad_lang(file, "lang", &p.lang));
    }
    if let Some(d) = &p.date
        && !is_date(d)
    {
        diags.push(bad_date(file, "date", d));
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics(diags)))
    }
}

/// The article's own fields: title, author, lead, language, date, slug, source link.
fn check_metadata(a: &Article, file: &Path, p: &str, diags: &mut Vec<Diagnostic>) {
    if a.title.is_empty() {
        diags.push(
            Diagnostic::field(file, format!("{p}title"), "the article has no title")
                .with_hint("every article needs a headline"),
        );
    }
    check_text(file, &format!("{p}title"), &a.title, diags);
    if let Some(au) = &a.author {
        check_text(file, &format!("{p}author"), au, diags);
    }
    if let Some(l) = &a.lead {
        check_text(file, &format!("{p}lead"), &l.to_plain(), diags);
    }
    if let Some(l) = &a.lang
        && !is_language_tag(l)
    {
        diags.push(bad_lang(file, &format!("{p}lang"), l));
    }
    if let Some(d) = &a.date
        && !is_date(d)
    {
        diags.push(bad_date(file, &format!("{p}date"), d));
    }
    if let Some(slug) = a.slug.as_deref().filter(|s| !s.is_empty())
        && !is_slug(slug)
    {
        let shown = shown(slug);
        diags.push(
            Diagnostic::field(file, format!("{p}slug"), format!("`{shown}` is not a usable slug"))
                .with_hint("the slug names output files: use ASCII letters, digits, `-`, `_` and `.` (at most 100, not starting with `.` or `-`), e.g. bac-kan"),
        );
    }
    if let Some(u) = &a.source_url
        && !is_safe_url(u)
    {
        diags.push(bad_url(file, &format!("{p}source_url"), u));
    }
}

/// Links and language tags of a text's spans.
fn check_spans(file: &Path, field: String, t: &Text, diags: &mut Vec<Diagnostic>) {
    for (j, s) in t.spans.iter().enumerate() {
        if let Some(h) = &s.href
            && !is_safe_url(h)
        {
            diags.push(bad_url(file, &format!("{field}[{j}].href"), h));
        }
        if let Some(l) = &s.lang
            && !is_language_tag(l)
        {
            diags.push(bad_lang(file, &format!("{field}[{j}].lang"), l));
        }
    }
}

fn check_article(a: &Article, file: &Path, p: &str, diags: &mut Vec<Diagnostic>) {
    check_metadata(a, file, p, diags);
    if let Some(l) = &a.lead {
        check_spans(file, format!("{p}lead"), l, diags);
    }
    let mut level = 1u8;
    for (i, b) in a.blocks.iter().enumerate() {
        check_block(b, &format!("{p}blocks[{i}]"), file, &mut level, diags);
    }
}

/// One block at field path `at`; `level` is the last heading level seen.
fn check_block(b: &Block, at: &str, file: &Path, level: &mut u8, diags: &mut Vec<Diagnostic>) {
    match b {
        Block::Heading { level: l, text } => check_heading(*l, text, at, file, level, diags),
        Block::Paragraph { text } => check_spans(file, format!("{at}.text"), text, diags),
        Block::Quote { text, .. } => {
            if text.is_blank() {
                diags.push(
                    Diagnostic::field(file, format!("{at}.text"), "empty quotation")
                        .with_hint("give the quoted text or remove the block"),
                );
            }
            check_spans(file, format!("{at}.text"), text, diags);
        }
        Block::List { items, .. } => {
            if items.is_empty() {
                diags.push(
                    Diagnostic::field(file, format!("{at}.items"), "a list with no items")
                        .with_hint("add items or remove the list"),
                );
            }
            for (j, it) in items.iter().enumerate() {
                if it.is_blank() {
                    diags.push(
                        Diagnostic::field(file, format!("{at}.items[{j}]"), "empty list item")
                            .with_hint("remove the empty item"),
                    );
                }
                check_spans(file, format!("{at}.items[{j}]"), it, diags);
            }
        }
        Block::Figure(f) => {
            if f.src.is_empty() {
                diags.push(
                    Diagnostic::field(file, format!("{at}.src"), "a figure needs an image path")
                        .with_hint("give `src`, relative to the article file"),
                );
            }
            match (&f.alt, f.decorative) {
                (None, false) => diags.push(
                    Diagnostic::field(file, format!("{at}.alt"), "a figure needs alt text")
                        .with_hint("describe what the image shows for readers who cannot see it, or set `decorative: true` if it carries no information"),
                ),
                (Some(alt), false) if alt.is_empty() => diags.push(
                    Diagnostic::field(file, format!("{at}.alt"), "the alt text is empty")
                        .with_hint("describe what the image shows, or set `decorative: true`"),
                ),
                (Some(alt), false) if alt.eq_ignore_ascii_case(&f.src) || Path::new(&f.src).file_name().is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(alt)) => diags.push(
                    Diagnostic::field(file, format!("{at}.alt"), "the alt text is the file name")
                        .with_hint("describe what the image shows"),
                ),
                _ => {}
            }
            if let Some(alt) = &f.alt {
                check_text(file, &format!("{at}.alt"), alt, diags);
            }
            if let Some(c) = &f.caption {
                check_spans(file, format!("{at}.caption"), c, diags);
            }
        }
    }
}

/// A heading: its level (2–6, none skipped after `level`, the last seen), its text.
fn check_heading(
    l: crate::model::HeadingLevel,
    text: &Text,
    at: &str,
    file: &Path,
    level: &mut u8,
    diags: &mut Vec<Diagnostic>,
) {
    // A level outside 2–6 cannot be built (`HeadingLevel`); skipped levels can.
    let l = l.get();
    if l > *level + 1 {
        diags.push(
            Diagnostic::field(
                file,
                format!("{at}.level"),
                format!("heading level {l} follows level {level}: a level is skipped"),
            )
            .with_hint(format!(
                "use level {} here (screen-reader users navigate by heading level)",
                *level + 1
            )),
        );
    } else {
        *level = l;
    }
    if text.is_blank() {
        diags.push(
            Diagnostic::field(file, format!("{at}.text"), "empty heading")
                .with_hint("give the heading text or remove it"),
        );
    }
    check_text(file, &format!("{at}.text"), &text.to_plain(), diags);
    check_spans(file, format!("{at}.text"), text, diags);
}

/// A slug usable as a file name on every system: 1–100 ASCII letters, digits, `-`, `_`
/// or `.`, starting with a letter or digit (so never `.`, `..` or a path).
pub fn is_slug(s: &str) -> bool {
    s.len() <= 100
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A BCP 47 tag of the usual shape (`vi`, `en-GB`, `zh-Hant-TW`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `YYYY-MM-DD` with a real month and day.
pub fn is_date(s: &str) -> bool {
    crate::timestamp::calendar_date(s).is_some()
}

/// Only `http`, `https` and `mailto` links are accepted.
pub fn is_safe_url(u: &str) -> bool {
    let lower = u.trim().to_ascii_lowercase();
    let ok_scheme = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    ok_scheme && !u.chars().any(|c| c.is_control() || c.is_whitespace()) && u.len() <= 2048
}

/// A value as a message shows it: its first 60 characters, with control and
/// bidirectional characters written as `\u{…}` escapes (never raw on the terminal).
fn shown(s: &str) -> String {
    s.chars()
        .take(60)
        .map(|c| {
            if forbidden_char(c).is_some() || c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn bad_url(file: &Path, field: &str, u: &str) -> Diagnostic {
    Diagnostic::field(
        file,
        field,
        format!("link `{}` is not an http, https or mailto URL", shown(u)),
    )
    .with_hint(
        "only web and e-mail links are kept; remove the link or give a full https:// address",
    )
}

fn bad_lang(file: &Path, field: &str, l: &str) -> Diagnostic {
    Diagnostic::field(file, field, format!("`{}` is not a language tag", shown(l)))
        .with_hint("use a BCP 47 tag such as vi, en or fr-CA")
}

fn bad_date(file: &Path, field: &str, d: &str) -> Diagnostic {
    Diagnostic::field(file, field, format!("`{}` is not a date", shown(d)))
        .with_hint("write dates as YYYY-MM-DD, e.g. 2022-11-10")
}

/// An ASCII file-name slug: each character transliterated by `deunicode` (Vietnamese
/// letters lose their diacritics, `Bắc Kạn` → `bac-kan`, `Đ` → `d`; other scripts are
/// spelled out, `北京` → `bei-jing`), lower case, anything but letters and digits a single
/// `-`, at most 60 characters.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let push = |c: char, out: &mut String| {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    };
    for c in s.nfc() {
        if out.len() >= 60 {
            break;
        }
        if c.is_ascii() {
            push(c, &mut out);
        } else if unicode_normalization::char::is_combining_mark(c) {
            continue;
        } else {
            for a in deunicode::deunicode_char(c).unwrap_or("-").chars() {
                push(a, &mut out);
            }
        }
    }
    out.truncate(60);
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_becomes_nfc() {
        let mut t = Text::plain("Vie\u{0323}\u{0302}t Nam  \n  đe\u{0323}p ");
        normalize::normalize_text(&mut t);
        assert_eq!(t.to_plain(), "Việt Nam đẹp");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hội thảo tỉnh Bắc Kạn"), "hoi-thao-tinh-bac-kan");
        assert_eq!(slugify("Đảng & <x>"), "dang-x");
        // Decomposed input (a macOS file name) gives the same slug.
        assert_eq!(slugify("Ba\u{0306}\u{0301}c Ka\u{0323}n"), "bac-kan");
        assert_eq!(
            slugify("Ưu tiên đường Hồ Chí Minh"),
            "uu-tien-duong-ho-chi-minh"
        );
        assert_eq!(slugify("北京"), "bei-jing");
        assert_eq!(slugify(&"a".repeat(70)).len(), 60);
    }

    #[test]
    fn dates_and_tags() {
        assert!(is_date("2022-11-10"));
        assert!(!is_date("2022-02-30"));
        assert!(!is_date("10/11/2022"));
        assert!(is_language_tag("vi") && is_language_tag("en-GB"));
        assert!(!is_language_tag("vietnamese") && !is_language_tag(""));
    }

    #[test]
    fn urls() {
        assert!(is_safe_url("https://baobackan.vn/a"));
        assert!(is_safe_url("mailto:a@b.vn"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("file:///etc/passwd"));
        assert_eq!(shown("a\u{7}b\u{202e}"), "a\\u{7}b\\u{202e}");
    }

    #[test]
    fn controls_are_refused_with_their_place() {
        assert!(forbidden_char('\u{96}').is_some());
        assert!(forbidden_char('\u{202e}').is_some());
        assert!(forbidden_char('\u{0}').is_some());
        assert!(forbidden_char('ệ').is_none() && forbidden_char('\n').is_none());
    }

    #[test]
    fn fake_images_are_refused() {
        assert!(check_image(b"GIF89a....".to_vec()).is_err());
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let e = check_image(png).unwrap_err();
        assert!(e.contains("100000 × 100000"), "{e}");
    }
}
