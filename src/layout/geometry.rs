//! The one geometry check of a layout, shared by the tests and the fuzzers: every glyph
//! of every line (running header and page number included) and every image lies inside
//! its page's text area. A glyph that shows only white space is exempt: a line keeps its
//! trailing space (so that text extraction keeps the word boundary) and it may hang into
//! the margin, drawing nothing.

use super::{Item, Layout, Line};

/// How far, in points, anything may reach past the text area (float rounding only).
pub const TOLERANCE_PT: f32 = 0.01;

/// The first thing drawn outside its page's text area, described; `None` when all is in.
pub fn outside_text_area(layout: &Layout) -> Option<String> {
    for (pi, page) in layout.pages.iter().enumerate() {
        let area = page.area;
        for item in &page.items {
            let found = match item {
                Item::Line(line) => line_outside(line, area),
                Item::Image(img) => {
                    let [l, t, r, b] = area;
                    (img.x < l - TOLERANCE_PT
                        || img.x + img.width > r + TOLERANCE_PT
                        || img.y < t - TOLERANCE_PT
                        || img.y + img.height > b + TOLERANCE_PT)
                        .then(|| {
                            format!(
                                "image of block {} at {}..{} × {}..{} outside {l}..{r} × {t}..{b}",
                                img.block,
                                img.x,
                                img.x + img.width,
                                img.y,
                                img.y + img.height
                            )
                        })
                }
            };
            if let Some(why) = found {
                return Some(format!("page {}: {why}", pi + 1));
            }
        }
        let furniture = page
            .furniture
            .header
            .iter()
            .chain([&page.furniture.page_number]);
        for line in furniture {
            if let Some(why) = line_outside(line, area) {
                return Some(format!("page {} (furniture): {why}", pi + 1));
            }
        }
    }
    None
}

fn line_outside(line: &Line, [l, t, r, b]: [f32; 4]) -> Option<String> {
    let (top, bottom) = (line.baseline - line.ascent, line.baseline + line.descent);
    if top < t - TOLERANCE_PT || bottom > b + TOLERANCE_PT {
        return Some(format!(
            "line at baseline {} spans {top}..{bottom}, outside {t}..{b}",
            line.baseline
        ));
    }
    for run in &line.runs {
        let mut x = run.x;
        for g in &run.glyphs {
            let right = x + g.x_advance * run.size;
            let shown = run.text.get(g.text.clone()).unwrap_or("");
            let ink = !shown.chars().all(char::is_whitespace);
            if ink && (x.min(right) < l - TOLERANCE_PT || x.max(right) > r + TOLERANCE_PT) {
                return Some(format!(
                    "glyph `{shown}` of `{}` spans {x}..{right}, outside {l}..{r}",
                    run.text
                ));
            }
            x = right;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutOptions, layout};
    use crate::model::{Article, Block, Publication};
    use crate::scale::FontScale;

    #[test]
    fn a_laid_out_article_is_inside_and_a_moved_line_is_caught() {
        let mut a = Article::new("Tiêu đề");
        a.blocks.push(Block::Paragraph {
            text: "Sáng 10/11, Tỉnh ủy tổ chức Hội thảo khoa học về xây dựng Đảng.".into(),
        });
        let p = crate::prepare::prepare(Publication::single(a)).unwrap();
        let mut lay = layout(&p, &LayoutOptions::new(FontScale::LARGE)).unwrap();
        assert_eq!(outside_text_area(&lay), None);
        let Some(Item::Line(line)) = lay.pages[0].items.first_mut() else {
            panic!("a line first")
        };
        line.runs[0].x += 1000.0;
        let why = outside_text_area(&lay).expect("caught");
        assert!(why.starts_with("page 1: glyph"), "{why}");
    }
}
