//! A preview of a print edition's first page: the page drawn as an SVG image from the
//! same [`Layout`] the PDF is drawn from (its glyph runs as outlines of the faces the PDF
//! embeds, its images, its separators), so that a web page can show what the PDF at a
//! scale will look like without a PDF renderer on the server (`docs/serve.md`, "The web
//! page", says why this and not rasterising the PDF).
//!
//! The image has a title; what a reader who cannot see it needs is [`PagePreview::text`],
//! the page's printed lines, which the web page shows beside it.

use std::collections::BTreeMap;
use std::fmt::Write;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};

use crate::error::Result;
use crate::layout::{Item, Layout, Line, SEPARATOR_PT};
use crate::model::{Block, Publication};
use crate::xml::escape_into;

/// The widest an image is drawn into the preview, in pixels per point of its box (2: a
/// sharp image at 150 % zoom, at most a few hundred kilobytes a photo).
const IMAGE_PX_PER_PT: f32 = 2.0;

/// The first page of a print edition as an SVG image.
#[derive(Debug, Clone)]
pub struct PagePreview {
    /// The SVG document.
    pub svg: String,
    /// The page's printed lines (running header and page number left out), one per line:
    /// the text alternative of the image.
    pub text: String,
}

/// Draws page 1 of `lay` (a layout of `p`) as SVG; `title` names the image.
pub fn first_page(p: &Publication, lay: &Layout, title: &str) -> Result<PagePreview> {
    let page = lay
        .pages
        .first()
        .ok_or_else(|| crate::pdf::error("the layout has no page to preview"))?;
    let mut glyphs = Glyphs::default();
    let mut body = String::new();
    let mut text = String::new();
    if let Some(h) = &page.furniture.header {
        draw_line(&mut body, &mut glyphs, h);
    }
    draw_line(&mut body, &mut glyphs, &page.furniture.page_number);
    for &y in &page.separators {
        let [left, _, right, _] = page.area;
        let _ = writeln!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(left),
            n(y),
            n(right - left),
            n(SEPARATOR_PT)
        );
    }
    for item in &page.items {
        match item {
            Item::Line(line) => {
                draw_line(&mut body, &mut glyphs, line);
                for run in &line.runs {
                    text.push_str(&run.text);
                }
                text.push('\n');
            }
            Item::Image(img) => {
                let Some(Block::Figure(f)) = p
                    .articles
                    .get(img.article)
                    .and_then(|a| a.blocks.get(img.block))
                else {
                    continue;
                };
                let href = f
                    .image
                    .as_ref()
                    .and_then(|data| image_url(data, img.width).ok());
                match href {
                    Some(href) => {
                        body.push_str("<image preserveAspectRatio=\"none\"");
                        let _ = write!(
                            body,
                            " x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                            n(img.x),
                            n(img.y),
                            n(img.width),
                            n(img.height)
                        );
                        crate::xml::attr(&mut body, "href", &href);
                        body.push_str("/>\n");
                    }
                    // An image that cannot be read here: its box, as a frame.
                    None => {
                        let _ = writeln!(
                            body,
                            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ddd\"/>",
                            n(img.x),
                            n(img.y),
                            n(img.width),
                            n(img.height)
                        );
                    }
                }
            }
        }
    }
    let (w, h) = (lay.width, lay.height);
    let mut svg = String::with_capacity(body.len() + glyphs.defs.len() + 512);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}pt\" height=\"{}pt\" role=\"img\" aria-labelledby=\"title\" aria-describedby=\"desc\">\n<title id=\"title\">",
        n(w),
        n(h),
        n(w),
        n(h)
    );
    escape_into(&mut svg, title);
    let text = text.trim_end().to_string();
    svg.push_str("</title>\n<desc id=\"desc\">");
    escape_into(&mut svg, &text);
    let _ = writeln!(
        svg,
        "</desc>\n<rect width=\"{}\" height=\"{}\" fill=\"#fff\"/>",
        n(w),
        n(h)
    );
    svg.push_str("<defs>\n");
    svg.push_str(&glyphs.defs);
    svg.push_str("</defs>\n<g fill=\"#000\">\n");
    svg.push_str(&body);
    svg.push_str("</g>\n</svg>\n");
    Ok(PagePreview { svg, text })
}

/// The glyph outlines drawn so far, each defined once (`<path id="gF-G">`, in font units).
#[derive(Default)]
struct Glyphs {
    /// Faces by their bytes' address and index: their number in the ids.
    faces: Vec<(usize, u32)>,
    /// Glyphs defined: (face number, glyph id) → whether it has an outline.
    defined: BTreeMap<(usize, u32), bool>,
    defs: String,
}

impl Glyphs {
    /// The id of glyph `gid` of `face`, defining it if needed; `None` for a glyph with no
    /// outline (a space).
    fn id(&mut self, face: &crate::fonts::FontFace, gid: u32) -> Option<String> {
        let key = (face.bytes().as_ptr() as usize, face.index());
        let f = match self.faces.iter().position(|k| *k == key) {
            Some(f) => f,
            None => {
                self.faces.push(key);
                self.faces.len() - 1
            }
        };
        let id = format!("g{f}-{gid}");
        if let Some(drawn) = self.defined.get(&(f, gid)) {
            return drawn.then_some(id);
        }
        let mut pen = SvgPath::default();
        let drawn = skrifa::FontRef::from_index(face.bytes(), face.index())
            .ok()
            .and_then(|font| {
                font.outline_glyphs()
                    .get(skrifa::GlyphId::new(gid))
                    .map(|g| {
                        g.draw(
                            DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
                            &mut pen,
                        )
                    })
            })
            .is_some_and(|r| r.is_ok())
            && !pen.0.is_empty();
        if drawn {
            let _ = writeln!(self.defs, "<path id=\"{id}\" d=\"{}\"/>", pen.0.trim_end());
        }
        self.defined.insert((f, gid), drawn);
        drawn.then_some(id)
    }
}

/// Path data in font units, y up (the `<use>` flips it).
#[derive(Default)]
struct SvgPath(String);

impl OutlinePen for SvgPath {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "M{} {}", n(x), n(y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.0, "L{} {}", n(x), n(y));
    }
    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        let _ = write!(self.0, "Q{} {} {} {}", n(cx), n(cy), n(x), n(y));
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let _ = write!(
            self.0,
            "C{} {} {} {} {} {}",
            n(cx0),
            n(cy0),
            n(cx1),
            n(cy1),
            n(x),
            n(y)
        );
    }
    fn close(&mut self) {
        self.0.push('Z');
    }
}

/// One line's runs, each glyph a `<use>` of its outline, placed as the PDF places it.
fn draw_line(out: &mut String, glyphs: &mut Glyphs, line: &Line) {
    for run in &line.runs {
        let scale = run.size / run.face.units_per_em;
        let mut x = run.x;
        for g in &run.glyphs {
            let gx = x + g.x_offset * run.size;
            let gy = line.baseline - g.y_offset * run.size;
            if let Some(id) = glyphs.id(&run.face, g.id) {
                let _ = writeln!(
                    out,
                    "<use href=\"#{id}\" transform=\"translate({} {}) scale({} {})\"/>",
                    n(gx),
                    n(gy),
                    factor(scale),
                    factor(-scale)
                );
            }
            x += g.x_advance * run.size;
        }
    }
}

/// An image as a `data:` URL, made at most [`IMAGE_PX_PER_PT`] pixels per point of the
/// box it is drawn into (`width_pt` wide).
fn image_url(data: &crate::model::ImageData, width_pt: f32) -> std::result::Result<String, String> {
    use base64::Engine;
    let bytes = data.bytes()?;
    let probe = crate::images::probe(&bytes, crate::images::MAX_IMAGE_SIDE)?;
    let img = crate::images::pixels::decode_upright(&bytes, &probe)?;
    let want = ((width_pt * IMAGE_PX_PER_PT).ceil() as u32).max(1);
    let img = if img.width() > want {
        let h = ((img.height() as f32) * want as f32 / img.width() as f32).round() as u32;
        crate::images::pixels::resample(&img, want, h.max(1))?
    } else {
        img
    };
    let (media_type, encoded) = if img.color().has_alpha() {
        ("image/png", crate::images::pixels::encode_png(&img)?)
    } else {
        ("image/jpeg", crate::images::pixels::encode_jpeg(&img)?)
    };
    let mut url = format!("data:{media_type};base64,");
    base64::engine::general_purpose::STANDARD.encode_string(&encoded, &mut url);
    Ok(url)
}

/// A scale factor for SVG (font units to points, 0.016 for 16 pt in a 1000-unit font):
/// six decimals, no needless zeros (two would make it 0.02, a quarter too large).
fn factor(v: f32) -> String {
    let s = format!("{v:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A number for SVG: at most two decimals, no needless zeros.
fn n(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutOptions, layout};
    use crate::scale::FontScale;

    fn bac_kan() -> crate::prepare::Prepared {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::input::load_prepared(&[root.join("examples/bac-kan/bac-kan.md")])
            .unwrap()
            .0
    }

    #[test]
    fn the_preview_draws_the_first_pages_lines_and_says_them() {
        let p = bac_kan();
        let mut previews = Vec::new();
        for scale in [FontScale::STANDARD, FontScale::LARGE] {
            let lay = layout(&p, &LayoutOptions::new(scale)).unwrap();
            let pv = first_page(&p, &lay, "Trang 1 <&>").unwrap();
            // Well-formed XML, titled, escaped.
            let mut reader = quick_xml::Reader::from_str(&pv.svg);
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("not well-formed: {e}"),
                }
            }
            assert!(
                pv.svg
                    .contains("<title id=\"title\">Trang 1 &lt;&amp;&gt;</title>")
            );
            // The text is the page's printed lines: the PDF's first page.
            let printed: String = lay
                .printed_text()
                .lines()
                .take(pv.text.lines().count())
                .collect::<Vec<_>>()
                .join("\n");
            assert_eq!(pv.text, printed.trim_end());
            assert!(pv.text.starts_with("Hội thảo khoa học"), "{}", pv.text);
            // Each glyph is scaled by its run's size over its face's units per em, exactly.
            let line = lay.pages[0].items.iter().find_map(|i| match i {
                Item::Line(l) => Some(l),
                _ => None,
            });
            let run = &line.unwrap().runs[0];
            let want = factor(run.size / run.face.units_per_em);
            assert!(
                pv.svg.contains(&format!(" scale({want} -{want})")),
                "{want}"
            );
            // Every glyph with ink is one `<use>`.
            let inked = pv.svg.matches("<use ").count();
            assert!(inked > 50, "{inked}");
            previews.push(pv);
        }
        // The large print holds fewer lines on its first page.
        assert!(previews[1].text.lines().count() < previews[0].text.lines().count());
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.35");
        assert_eq!(n(-0.5), "-0.5");
        assert_eq!(factor(16.0 / 1000.0), "0.016");
        assert_eq!(factor(-18.0 / 2048.0), "-0.008789");
    }
}
