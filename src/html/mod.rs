//! The HTML edition: the article (or bulletin) as one self-contained HTML page that a
//! portal can link beside its article and any browser opens, meeting WCAG 2.2 Level AA.
//!
//! [`write_html`] writes `SLUG.html`: one file, no request leaves it.
//!
//! | part | made by |
//! |---|---|
//! | `<html lang>`, `<head>` (title, viewport, stylesheet, the optional script) | `page` |
//! | skip link, `<header>` (a bulletin's title block; the text-size control), a bulletin's contents `<nav>`, `<main>` with one `<article>` per article, `<footer>` with the print edition's page list | `page` |
//! | each `<article>`: the shared article writer ([`crate::markup::article`]), in HTML syntax, its ids prefixed and its headings moved under the page's `h1` in a bulletin | `crate::markup` |
//! | the figures' images as `data:` URLs: the images prepared for every reflowable edition (upright, at most 4 megapixels, shared with the other editions of the build) | `assets` |
//! | the bundled fonts subset to the characters shown, as `data:` URLs in `@font-face` rules: the shared subsetting ([`crate::markup::embed`]) | `assets` |
//! | the stylesheet: the shared one ([`crate::markup::css`]) at the chosen scale, plus the page's own rules | `assets` |
//! | "Giảm cỡ chữ" / "Tăng cỡ chữ": the portal's steps of [`FontScale::shrink`] / [`FontScale::enlarge`], shown only when scripts run | `control` |
//!
//! The page is also well-formed XML (every element closed, every attribute quoted, the
//! script free of `<` and `&`), and its bytes depend only on the input: no clock, no
//! random ids. Page markers are those of every reflowable edition
//! (`docs/epub-accessibility.md`, "Page markers"). `docs/html.md` lists each accessibility rule, where it is enforced and which
//! test shows it.
//!
//! ```
//! use anpham::editions::{self, EditionRequest, Format};
//! use anpham::model::{Article, Block, Publication, Text};
//!
//! let article = Article {
//!     lang: Some("vi".into()),
//!     title: "Hội thảo khoa học".into(),
//!     date: Some("2022-11-10".into()),
//!     author: Some("Hương Dịu".into()),
//!     lead: None,
//!     slug: None,
//!     source_url: None,
//!     blocks: vec![Block::Paragraph { text: Text::plain("Sáng 10/11, Tỉnh ủy tổ chức Hội thảo.") }],
//!     origin: None,
//! };
//! let publication = anpham::prepare(Publication::single(article)).unwrap();
//! let mut request = EditionRequest::new();
//! request.formats = vec![Format::named("html").unwrap()];
//! let built = editions::build(&publication, &request).unwrap();
//! let page = String::from_utf8(built[0].bytes.clone()).unwrap();
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<main id=\"main\">"));
//! ```

mod assets;
mod control;
pub(crate) mod edition;
mod page;

use std::sync::Arc;

use crate::error::Result;
use crate::fonts::FontSet;
use crate::images::ImageStore;
use crate::model::Publication;
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::scale::FontScale;

/// How to write the HTML edition.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// The base text size ([`FontScale::reflow_percent`] of the browser's default); large
    /// print when [`FontScale::is_large_print`].
    pub scale: FontScale,
    /// Fonts: the primary family embedded (subset), fallbacks only for characters it lacks.
    pub fonts: FontSet,
    /// Images already prepared for every edition of the build; `None`: prepared here.
    pub images: Option<Arc<ImageStore>>,
}

impl HtmlOptions {
    /// Options for a scale: the bundled fonts for it, images prepared by the writer.
    pub fn new(scale: FontScale) -> Self {
        HtmlOptions {
            scale,
            fonts: FontSet::bundled(scale.is_large_print()),
            images: None,
        }
    }
}

/// Writes the HTML page of `publication`. With `page_map` (the PDF edition's), the print
/// edition's page numbers are marked where their pages begin and listed in the footer.
pub fn write_html(
    publication: &Prepared,
    options: &HtmlOptions,
    page_map: Option<&PageMap>,
) -> Result<Vec<u8>> {
    publication.check_fonts(&options.fonts)?;
    let p: &Publication = publication;
    if p.articles.is_empty() {
        return Err(crate::html::error("the publication has no articles"));
    }
    let plan = match page_map {
        Some(map) if !map.pages.is_empty() => Some(
            crate::markup::pages::plan(map, p.articles.len(), |i| {
                crate::address::article_parts(p, i)
            })
            .map_err(|e| crate::html::error(e.to_string()))?,
        ),
        _ => None,
    };
    let images = assets::figure_images(p, options.images.as_deref())?;
    let ladder = control::Ladder::around(options.scale);
    let body = page::body(p, plan.as_ref(), images, &ladder);
    let title = page::title_element(p);
    let style = assets::stylesheet(p, options, &[&title, &body])?;
    Ok(page::document(p, &title, &style, &body).into_bytes())
}

/// The error of this edition that could not be written, for `message`.
pub(crate) fn error(message: impl Into<String>) -> crate::Error {
    crate::Error::Edition {
        edition: "the HTML edition",
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
