//! What the page carries inside itself: the figures' images and the subset fonts as
//! `data:` URLs, and the stylesheet (the shared markup's, plus the rules of a web page).
//!
//! None of it is a copy: the images are those prepared for every reflowable edition
//! (`crate::images::screen_images`: upright, at most 4 megapixels, each distinct image made
//! once for every edition of the build), and the fonts the shared subsets
//! ([`crate::markup::embed::fonts_for_markup`]), whose `@font-face` rules get `data:`
//! URLs here.

use std::collections::HashMap;
use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::HtmlOptions;
use crate::error::Result;
use crate::images::{ImageStore, PrepareError, ScreenImage, not_embeddable_error, screen_images};
use crate::markup::css::{self, FontFaceRule};
use crate::markup::embed;
use crate::model::Publication;

/// A `data:` URL of `bytes` with `media_type`.
pub(super) fn data_url(media_type: &str, bytes: &[u8]) -> String {
    let mut url = String::with_capacity(bytes.len() * 4 / 3 + media_type.len() + 16);
    url.push_str("data:");
    url.push_str(media_type);
    url.push_str(";base64,");
    STANDARD.encode_string(bytes, &mut url);
    url
}

/// The `data:` URL of each figure, by article and block (`None` for other blocks). A
/// distinct image is encoded once, however many figures show it; images that cannot be
/// made are all reported, each at its figures.
pub(super) fn figure_images(
    p: &Publication,
    store: Option<&ImageStore>,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut urls: Vec<Vec<Option<String>>> = p
        .articles
        .iter()
        .map(|a| vec![None; a.blocks.len()])
        .collect();
    let images = screen_images(p, store);
    let mut failed = Vec::new();
    let mut encoded: HashMap<(usize, usize), String> = HashMap::new();
    for img in &images {
        match image_url(img, store) {
            Ok(url) => {
                for f in &img.figures {
                    encoded.insert(*f, url.clone());
                }
            }
            Err(why) => failed.push((img, why)),
        }
    }
    if !failed.is_empty() {
        return Err(not_embeddable_error(p, &failed));
    }
    for ((i, b), url) in encoded {
        urls[i][b] = Some(url);
    }
    Ok(urls)
}

/// The `data:` URL of one image: made (or passed through) as for a book, then read.
fn image_url(
    img: &ScreenImage,
    store: Option<&ImageStore>,
) -> std::result::Result<String, PrepareError> {
    let source = img.make(store)?;
    let bytes = source.read_checked()?;
    Ok(data_url(img.format.media_type(), &bytes))
}

/// The page's stylesheet: the shared one at the chosen scale, with the faces that `docs`
/// show subset and embedded as `data:` URLs, then the page's own rules (its column,
/// skip link, focus outline, text-size buttons and page list).
pub(super) fn stylesheet(p: &Publication, options: &HtmlOptions, docs: &[&str]) -> Result<String> {
    let large = options.scale.is_large_print();
    let fonts = embed::fonts_for_markup(p, &options.fonts, large, docs.iter().copied())?;
    let rules: Vec<FontFaceRule> = fonts
        .rules
        .iter()
        .zip(&fonts.files)
        .map(|(rule, (_, bytes))| FontFaceRule {
            url: data_url("font/ttf", bytes),
            ..rule.clone()
        })
        .collect();
    let generic = embed::generic_family(&options.fonts);
    let mut out = css::stylesheet(options.scale, &rules, &fonts.families, generic);
    page_rules(&mut out);
    Ok(out)
}

/// `#rrggbb`.
fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The rules a web page needs beyond the shared stylesheet's: a column of readable width (in `em`, so
/// it grows with the text and never forces sideways scrolling: WCAG 1.4.10), a skip link
/// shown when focused, a visible focus outline (2.4.7, 2.4.11), buttons and page links
/// at least 24 CSS px square (2.5.8), all in the stylesheet's colours (7:1 contrast).
fn page_rules(out: &mut String) {
    let link = hex(css::LINK);
    let rule = hex(css::RULE);
    let text = hex(css::TEXT);
    let back = hex(css::BACKGROUND);
    out.push_str("/* the single-file HTML edition */\n");
    out.push_str("[hidden] { display: none !important; }\n");
    out.push_str("body { max-width: 40em; margin: 0 auto; padding: 0 1em 2em 1em; }\n");
    let _ = writeln!(
        out,
        ".skip {{ position: absolute; left: -100em; }}\n\
         .skip:focus {{ position: static; display: inline-block; margin: 0.5em 0; }}\n\
         a:focus-visible, button:focus-visible {{ outline: 0.2em solid {link}; outline-offset: 0.15em; }}"
    );
    let _ = writeln!(
        out,
        "body > header {{ padding: 0.5em 0; border-bottom: 0.1em solid {rule}; margin-bottom: 1em; }}\n\
         body > footer {{ margin-top: 2em; padding-top: 0.5em; border-top: 0.1em solid {rule}; }}"
    );
    let _ = writeln!(
        out,
        ".text-size button {{ font: inherit; min-height: 2.5em; min-width: 2.5em; padding: 0.3em 0.8em; \
         margin: 0 0.5em 0.5em 0; color: {text}; background-color: {back}; \
         border: 0.125em solid {rule}; border-radius: 0.25em; cursor: pointer; }}\n\
         .text-size button:disabled {{ cursor: default; border-style: dashed; }}"
    );
    out.push_str(
        ".print-pages ol { display: flex; flex-wrap: wrap; gap: 0.25em 0.5em; list-style: none; padding-left: 0; }\n\
         .print-pages li { margin: 0; }\n\
         .print-pages a { display: inline-block; min-width: 2em; min-height: 1.5em; padding: 0.25em; text-align: center; }\n",
    );
    out.push_str("main > article + article { margin-top: 3em; }\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls_are_base64() {
        assert_eq!(
            data_url("text/plain", b"anpham"),
            "data:text/plain;base64,YW5waGFt"
        );
        assert_eq!(data_url("image/png", b""), "data:image/png;base64,");
    }

    #[test]
    fn page_rules_keep_the_sizes_relative() {
        let mut s = String::new();
        page_rules(&mut s);
        assert!(!s.contains("px") && !s.contains("pt;"), "{s}");
        assert!(!s.contains('<') && !s.contains('&'), "{s}");
    }
}
