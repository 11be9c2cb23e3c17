//! Images and tables in the body: figures with their captions, tables read row by row.

use scraper::ElementRef;

use super::super::images::{self, ImageRef};
use super::super::{NoteKind, normalize_space};
use super::convert::Converter;
use super::sel;
use super::spans::{emphasised, join_text, tidy, unemphasised};
use crate::model::{Block, Figure, Span, Text};

/// An image's address: lazy-loading pages put the real one in `data-src` /
/// `data-original`.
fn image_source(img: ElementRef<'_>) -> String {
    let v = img.value();
    let usable = |s: &&str| !s.is_empty() && !s.starts_with("data:") && !is_placeholder(s);
    [
        "data-src",
        "data-original",
        "data-lazy-src",
        "data-lazy",
        "data-original-src",
    ]
    .iter()
    .filter_map(|a| v.attr(a))
    .map(str::trim)
    .find(usable)
    .or_else(|| v.attr("src").map(str::trim).filter(usable))
    .map(str::to_string)
    .or_else(|| {
        ["data-srcset", "srcset"]
            .iter()
            .filter_map(|a| v.attr(a))
            .find_map(first_of_srcset)
    })
    .or_else(|| noscript_copy(img))
    .or_else(|| v.attr("src").map(|s| s.trim().to_string()))
    .unwrap_or_default()
}

/// A lazy-loading placeholder (`blank.gif`, `placeholder.png`, `lazy.svg`…).
fn is_placeholder(src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or(src).to_ascii_lowercase();
    [
        "blank.",
        "placeholder",
        "lazy",
        "spacer.",
        "transparent.",
        "pixel.",
    ]
    .iter()
    .any(|p| name.contains(p))
}

/// The first address of a `srcset` (`a.jpg 480w, b.jpg 800w` → `a.jpg`).
fn first_of_srcset(set: &str) -> Option<String> {
    let first = set.split(',').next()?.split_whitespace().next()?;
    (!first.is_empty() && !first.starts_with("data:")).then(|| first.to_string())
}

/// The `src` of an `<img>` in the `<noscript>` right after a lazy image (the copy for
/// browsers without scripts; html5ever keeps a `<noscript>`'s content as text).
fn noscript_copy(img: ElementRef<'_>) -> Option<String> {
    let next = img
        .next_siblings()
        .filter_map(ElementRef::wrap)
        .next()
        .filter(|e| e.value().name() == "noscript")?;
    let text: String = next.text().collect();
    let frag = scraper::Html::parse_fragment(&text);
    let copy = frag.select(&super::sel("img")).next()?;
    let src = copy.value().attr("src")?.trim();
    (!src.is_empty() && !src.starts_with("data:")).then(|| src.to_string())
}

impl Converter<'_> {
    /// A table: an image with caption cells is a figure; other tables are read row by
    /// row, each row a paragraph with its cells separated by ` – `.
    pub(super) fn table(&mut self, e: ElementRef<'_>, depth: usize) {
        self.flush();
        let imgs: Vec<ElementRef<'_>> = e.select(&sel("img")).collect();
        if imgs.len() == 1 {
            let img = imgs[0];
            let mut caption = Text::default();
            for cell in e.select(&sel("td, th")) {
                if cell.select(&sel("img")).next().is_some()
                    || cell.select(&sel("td, th")).next().is_some()
                {
                    continue;
                }
                let t = self.inline_of(cell, depth);
                if !t.is_blank() {
                    join_text(&mut caption, unemphasised(t));
                }
            }
            let caption = (!caption.is_blank()).then_some(caption);
            self.figure(img, caption);
            self.open_figure = None;
            return;
        }
        if !imgs.is_empty() {
            // Several images: the cells are read in order.
            self.walk_children(e, depth);
            self.flush();
            return;
        }
        let mut rows = 0;
        for row in e.select(&sel("tr")) {
            if row.select(&sel("tr")).nth(1).is_some() {
                continue;
            }
            let mut text = Text::default();
            for cell in row.child_elements() {
                let t = self.inline_of(cell, depth);
                if !t.is_blank() {
                    if !text.is_blank() {
                        text.spans.push(Span::plain(" – "));
                    }
                    text.spans.extend(t.spans);
                }
            }
            if !text.is_blank() {
                rows += 1;
                self.blocks.push(Block::Paragraph {
                    text: tidy(text.spans),
                });
            }
        }
        if rows > 0 {
            let p = self.place(e, None);
            self.note(
                NoteKind::Attention,
                p,
                format!("a table of {rows} row(s) was read as paragraphs, one per row"),
            );
        }
    }

    /// An image: a figure when its file is in the page's folder; otherwise its caption
    /// (or alt text) kept as an emphasised paragraph and the reason reported.
    pub(super) fn figure(&mut self, img: ElementRef<'_>, caption: Option<Text>) {
        let v = img.value();
        let src = image_source(img);
        let src = src.as_str();
        let alt = v.attr("alt").map(normalize_space).filter(|a| !a.is_empty());
        // Spacers and tracking pixels.
        let tiny = |a: &str| {
            v.attr(a)
                .and_then(|w| w.trim().trim_end_matches("px").parse::<u32>().ok())
                .is_some_and(|w| w <= 2)
        };
        if tiny("width") || tiny("height") {
            return;
        }
        let place = self.place(img, Some(src));
        let shown: String = src.chars().take(80).collect();
        let problem = match images::resolve(self.page, src) {
            ImageRef::Local(rel) => {
                let alt = alt.or_else(|| caption.as_ref().map(|c| normalize_space(&c.to_plain())));
                let message = match (&alt, &caption) {
                    (None, _) => {
                        self.note(
                            NoteKind::Attention,
                            place.clone(),
                            format!("image `{rel}` has no alt text and no caption: alt text must be written"),
                        );
                        format!("figure `{rel}`")
                    }
                    (Some(_), Some(_)) if v.attr("alt").is_none_or(|a| a.trim().is_empty()) => {
                        format!("figure `{rel}` with caption (caption used as alt text)")
                    }
                    (Some(_), Some(_)) => format!("figure `{rel}` with alt text and caption"),
                    (Some(_), None) => format!("figure `{rel}` with alt text"),
                };
                self.note(NoteKind::Recognised, place, message);
                self.blocks.push(Block::Figure(Figure {
                    src: rel,
                    alt,
                    caption,
                    credit: None,
                    decorative: false,
                    image: None,
                }));
                if self
                    .blocks
                    .last()
                    .is_some_and(|b| matches!(b, Block::Figure(f) if f.caption.is_none()))
                {
                    self.open_figure = Some(self.blocks.len() - 1);
                }
                return;
            }
            ImageRef::Remote(u) => format!(
                "image `{}` is only on the web; anpham does not fetch it",
                u.chars().take(80).collect::<String>()
            ),
            ImageRef::Embedded => {
                "an image embedded in the page (`data:`) is not imported".to_string()
            }
            ImageRef::Missing(rel) => format!("image `{rel}` is not in the page's folder"),
            ImageRef::Refused(why) => format!("image `{shown}` is not imported: {why}"),
        };
        // No words are lost: the caption, else the alt text (unless it is a file name),
        // stays in the article, where a reader who cannot see the photo needs it anyway.
        // It is recorded as an image's text, not the article's running text.
        let kept = caption.or_else(|| alt.filter(|a| !is_file_name(a)).map(Text::plain));
        let what = if kept.is_some() {
            "; its caption/alt text is kept as an emphasised paragraph"
        } else {
            ""
        };
        self.note(NoteKind::Attention, place, format!("{problem}{what}"));
        self.open_figure = None;
        match kept {
            Some(t) => {
                self.image_texts.push(normalize_space(&t.to_plain()));
                self.blocks.push(Block::Paragraph {
                    text: emphasised(t),
                });
            }
            // The caption may follow the image (an emphasised line, a caption element).
            None => self.after_missing_image = true,
        }
    }
}

/// An alt text that is only a file name (`IMG_2953`, `flos-jewels-arrangements-01.jpg`):
/// it describes nothing.
fn is_file_name(alt: &str) -> bool {
    !alt.contains(' ')
        && alt.chars().any(|c| matches!(c, '-' | '_' | '.'))
        && alt.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod lazy_tests {
    use super::*;

    fn src_of(html: &str) -> String {
        let doc = scraper::Html::parse_document(html);
        let img = doc.select(&super::super::sel("img")).next().unwrap();
        image_source(img)
    }

    #[test]
    fn lazy_images_resolve_to_the_real_file() {
        assert_eq!(
            src_of(r#"<img src="data:image/gif;base64,R0l" data-src="p_files/a.jpg">"#),
            "p_files/a.jpg"
        );
        assert_eq!(
            src_of(r#"<img src="p_files/blank.gif" data-original="p_files/b.jpg">"#),
            "p_files/b.jpg"
        );
        assert_eq!(
            src_of(r#"<img src="data:," srcset="p_files/c-480.jpg 480w, p_files/c-800.jpg 800w">"#),
            "p_files/c-480.jpg"
        );
        assert_eq!(
            src_of(
                r#"<p><img src="p_files/lazy.svg"><noscript><img src="p_files/d.jpg"></noscript></p>"#
            ),
            "p_files/d.jpg"
        );
        assert_eq!(src_of(r#"<img src="p_files/e.jpg">"#), "p_files/e.jpg");
    }
}
