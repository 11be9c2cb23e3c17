//! Normalisation and validation of articles after parsing.
//!
//! * Every string is normalised to Unicode NFC (Vietnamese text often arrives decomposed).
//! * Inline text: runs of white space (including line breaks and tabs) become one space,
//!   leading and trailing space is trimmed, a stray U+FEFF is removed.
//! * Refused with a located error: other C0/C1 control characters, bidirectional
//!   controls, more than three combining marks on one letter ("Zalgo" text), empty
//!   titles, headings outside levels 2–6, skipped heading levels, figures without alt
//!   text (unless decorative), links other than http/https/mailto, malformed dates and
//!   language tags, and images that are missing, outside the article's folder, not
//!   PNG/JPEG, truncated, or too large.
//!
//! `docs/robustness.md` lists every rule with its test.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::{Article, Block, Figure, ImageData, ImageFormat, Publication, Text};

/// Largest image file read, in bytes (32 MiB).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
/// Largest image side, in pixels, read from the header before any decoding.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Largest image area, in pixels (64 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 64 * 1024 * 1024;
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
mod normalize;
pub mod repair;
mod size;

use chars::{check_chars, check_controls};
pub use chars::{for_each_text, forbidden_char};
use normalize::{collapse, nfc, normalize_article};
use size::Size;
pub use size::check_publication_size;

/// Normalises, validates and loads the images of one article.
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

fn check_article(a: &Article, file: &Path, p: &str, diags: &mut Vec<Diagnostic>) {
    if a.title.is_empty() {
        diags.push(
            Diagnostic::field(file, format!("{p}title"), "the article has no title")
                .with_hint("every article needs a headline"),
        );
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
        let shown: String = slug.chars().take(60).collect();
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
    let mut level = 1u8;
    let check_text = |field: String, t: &Text, diags: &mut Vec<Diagnostic>| {
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
    };
    if let Some(l) = &a.lead {
        check_text(format!("{p}lead"), l, diags);
    }
    for (i, b) in a.blocks.iter().enumerate() {
        let at = format!("{p}blocks[{i}]");
        match b {
            Block::Heading { level: l, text } => {
                // A level outside 2–6 cannot be built (`HeadingLevel`); skipped levels can.
                let l = l.get();
                if l > level + 1 {
                    diags.push(
                        Diagnostic::field(
                            file,
                            format!("{at}.level"),
                            format!("heading level {l} follows level {level}: a level is skipped"),
                        )
                        .with_hint(format!(
                            "use level {} here (screen-reader users navigate by heading level)",
                            level + 1
                        )),
                    );
                } else {
                    level = l;
                }
                if text.is_blank() {
                    diags.push(
                        Diagnostic::field(file, format!("{at}.text"), "empty heading")
                            .with_hint("give the heading text or remove it"),
                    );
                }
                check_text(format!("{at}.text"), text, diags);
            }
            Block::Paragraph { text } => check_text(format!("{at}.text"), text, diags),
            Block::Quote { text, .. } => {
                if text.is_blank() {
                    diags.push(
                        Diagnostic::field(file, format!("{at}.text"), "empty quotation")
                            .with_hint("give the quoted text or remove the block"),
                    );
                }
                check_text(format!("{at}.text"), text, diags);
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
                    check_text(format!("{at}.items[{j}]"), it, diags);
                }
            }
            Block::Figure(f) => {
                if f.src.is_empty() {
                    diags.push(
                        Diagnostic::field(
                            file,
                            format!("{at}.src"),
                            "a figure needs an image path",
                        )
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
                if let Some(c) = &f.caption {
                    check_text(format!("{at}.caption"), c, diags);
                }
            }
        }
    }
}

/// The one call behind which a figure's image is read and checked: a figure built in
/// code with its image bytes already in memory is checked without touching the disk
/// (the checker remembers images that passed, so a loaded image costs a hash), else
/// the file named by `src` is read.
fn figure_image(f: &mut Figure, base: &Path, file: &Path, field: &str) -> Result<(), Diagnostic> {
    match &f.image {
        Some(img) => {
            let checked = check_image_cached(img.bytes.as_ref().clone()).map_err(|why| {
                Diagnostic::field(
                    file,
                    field,
                    format!("the image given for `{}`: {why}", f.src),
                )
                .with_hint("use a complete PNG or JPEG file of at most 16384 × 16384 pixels")
            })?;
            f.image = Some(checked);
            Ok(())
        }
        None => load_image(f, base, file, field),
    }
}

fn load_image(f: &mut Figure, base: &Path, file: &Path, field: &str) -> Result<(), Diagnostic> {
    let src = &f.src;
    let d = |msg: String| Diagnostic::field(file, field, msg);
    if src.contains("://") || src.starts_with("data:") {
        return Err(d(format!("`{src}` is a URL; anpham does not fetch images"))
            .with_hint("download the image next to the article and give its relative path"));
    }
    let rel = Path::new(src);
    if rel.is_absolute() {
        return Err(d(format!("`{src}` is an absolute path"))
            .with_hint("give the image path relative to the article file, inside its folder"));
    }
    let mut depth = 0usize;
    for c in rel.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::ParentDir if depth == 0 => {
                // Refused before touching the disk: whether such a file exists is not
                // the input's business.
                return Err(d(format!("`{src}` leaves the article's folder"))
                    .with_hint("copy the image into the article's folder (paths with `..` or symlinks out of it are refused)"));
            }
            std::path::Component::ParentDir => depth -= 1,
            _ => {}
        }
    }
    let full = base.join(rel);
    let base_real = std::fs::canonicalize(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    })
    .map_err(|e| d(format!("cannot resolve the article's folder: {e}")))?;
    let real = match std::fs::canonicalize(&full) {
        Ok(r) => r,
        Err(_) => {
            return Err(d(format!("image not found: {}", full.display()))
                .with_hint("image paths are relative to the article file"));
        }
    };
    if !real.starts_with(&base_real) {
        return Err(d(format!(
            "`{src}` resolves to {}, outside the article's folder {}",
            real.display(),
            base_real.display()
        ))
        .with_hint("copy the image into the article's folder (paths with `..` or symlinks out of it are refused)"));
    }
    let meta =
        std::fs::metadata(&real).map_err(|e| d(format!("cannot read {}: {e}", full.display())))?;
    if !meta.is_file() {
        return Err(d(format!("{} is not a file", full.display())));
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(d(format!(
            "{} is {} MiB; images of at most {} MiB are accepted",
            full.display(),
            meta.len() >> 20,
            MAX_IMAGE_BYTES >> 20
        ))
        .with_hint("scale the image down; print needs about 300 dpi at the printed size"));
    }
    let bytes =
        std::fs::read(&real).map_err(|e| d(format!("cannot read {}: {e}", full.display())))?;
    let image = check_image_cached(bytes).map_err(|why| {
        d(format!("{}: {why}", full.display()))
            .with_hint("use a complete PNG or JPEG file of at most 16384 × 16384 pixels")
    })?;
    f.image = Some(image);
    Ok(())
}

/// How many checked images [`check_image_cached`] remembers.
pub const IMAGE_CACHE_ENTRIES: usize = 256;

/// [`check_image`], remembering the images that passed by the SHA-256 of their bytes, so
/// that a bulletin that uses the same photo many times decodes it once. The cache holds
/// at most [`IMAGE_CACHE_ENTRIES`] images and is cleared when full.
pub fn check_image_cached(bytes: Vec<u8>) -> Result<ImageData, String> {
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<[u8; 32], ImageData>>> = OnceLock::new();
    let key: [u8; 32] = Sha256::digest(&bytes).into();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let image = check_image(bytes)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() >= IMAGE_CACHE_ENTRIES {
            c.clear();
        }
        c.insert(key, image.clone());
    }
    Ok(image)
}

/// Checks an image file's bytes from its headers and structure ([`crate::images::probe`](mod@crate::images::probe):
/// format, dimensions before any decoding, EXIF orientation, ICC profile, segments to the
/// end marker); PNG rows are decoded too (a damaged zlib stream is only found that way).
/// JPEG pixels are not decoded here: only an edition that resamples or turns the picture
/// decodes them. Width and height are as displayed (after the EXIF orientation).
pub fn check_image(bytes: Vec<u8>) -> Result<ImageData, String> {
    let probe = crate::images::probe(&bytes, MAX_IMAGE_SIDE)?;
    let (w, h) = (probe.stored_width as u64, probe.stored_height as u64);
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    if w > MAX_IMAGE_SIDE as u64 || h > MAX_IMAGE_SIDE as u64 || w * h > MAX_IMAGE_PIXELS {
        return Err(format!(
            "the header declares {w} × {h} pixels, more than anpham decodes"
        ));
    }
    if probe.format == ImageFormat::Png {
        decode_png(&bytes)?;
    }
    let (width, height) = probe.displayed();
    Ok(ImageData {
        bytes: Arc::new(bytes),
        format: probe.format,
        width,
        height,
    })
}

const DAMAGED: &str = "the image data is truncated or damaged";

/// Decodes a whole PNG, one row at a time (memory: one row, not the whole image), and
/// reads on to the `IEND` chunk. Called only after the header's dimensions were checked.
fn decode_png(bytes: &[u8]) -> Result<(), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // The decoder's own buffers (a few rows, chunk data), not the image: ample for
    // 16384 pixels of 16-bit RGBA per row.
    decoder.set_limits(png::Limits {
        bytes: 64 * 1024 * 1024,
    });
    let mut reader = decoder.read_info().map_err(|_| DAMAGED.to_string())?;
    while reader
        .next_row()
        .map_err(|_| DAMAGED.to_string())?
        .is_some()
    {}
    reader.finish().map_err(|_| DAMAGED.to_string())?;
    Ok(())
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

fn bad_url(file: &Path, field: &str, u: &str) -> Diagnostic {
    let shown: String = u.chars().take(60).collect();
    Diagnostic::field(
        file,
        field,
        format!("link `{shown}` is not an http, https or mailto URL"),
    )
    .with_hint(
        "only web and e-mail links are kept; remove the link or give a full https:// address",
    )
}

fn bad_lang(file: &Path, field: &str, l: &str) -> Diagnostic {
    Diagnostic::field(file, field, format!("`{l}` is not a language tag"))
        .with_hint("use a BCP 47 tag such as vi, en or fr-CA")
}

fn bad_date(file: &Path, field: &str, d: &str) -> Diagnostic {
    Diagnostic::field(file, field, format!("`{d}` is not a date"))
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
