//! A bulletin's title block ([`write_title_block`]): the lines of [`title_page_lines`] as
//! a book's title page and a web page's header show them, wrapped for the narration when
//! there is one.

use super::lines::{Line, LineText, title_page_lines};
use super::narration::DocumentOverlay;
use super::runs::{Run, Syntax, open_line, write_label, write_runs};
use crate::labels;
use crate::model::Publication;
use crate::xml::{attr, escape_into};

/// Writes a line of the publication's own text: with its sentences wrapped when narrated.
fn write_own_line(out: &mut String, text: &str, narration: Option<&DocumentOverlay>, line: Line) {
    let sentences = narration.and_then(|n| n.lines.get(&line));
    write_runs(
        out,
        &[Run::plain(text)],
        &[],
        &[],
        sentences.map_or(&[], Vec::as_slice),
        Syntax::Xhtml,
    );
}

/// The lines of a bulletin's title block ([`title_page_lines`]): the `h1` title
/// (`id="title"`), description, publisher and date; with `narration`, wrapped for the
/// narration. A book's title page and a web page's header write them here.
pub fn write_title_block(out: &mut String, p: &Publication, narration: Option<&DocumentOverlay>) {
    let lang = p.lang.as_str();
    for (line, text) in title_page_lines(p) {
        let (open, close) = match line {
            Line::Title => ("<h1 id=\"title\">", "</h1>\n"),
            Line::Description => ("<p class=\"description\">", "</p>\n"),
            Line::Publisher => ("<p class=\"publisher\">", "</p>\n"),
            Line::Date => ("<p class=\"date\">", "</p>\n"),
            Line::Source => ("<p class=\"source\">", "</p>\n"),
        };
        out.push_str(open);
        match &text {
            LineText::Own(t) => write_own_line(out, t, narration, line),
            LineText::Labelled(l) => {
                let span = open_line(out, narration, line);
                write_label(out, l.labels, lang, l.label);
                out.push_str(labels::LABEL_SEPARATOR);
                escape_into(out, l.value);
                if span {
                    out.push_str("</span>");
                }
            }
            LineText::Date { iso, shown } => {
                let span = open_line(out, narration, line);
                out.push_str("<time");
                attr(out, "datetime", iso);
                out.push('>');
                escape_into(out, shown);
                out.push_str("</time>");
                if span {
                    out.push_str("</span>");
                }
            }
        }
        out.push_str(close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::lines::source_line;
    use crate::model::{Article, Block, Text};

    fn bulletin() -> Publication {
        let a = Article {
            lang: Some("vi".into()),
            title: "Tin".into(),
            date: None,
            author: None,
            lead: None,
            slug: None,
            source_url: Some("https://baobackan.vn/a".into()),
            blocks: vec![Block::Paragraph {
                text: Text::plain("Một."),
            }],
            origin: None,
        };
        let mut p = Publication::single(a.clone());
        p.articles.push(a);
        p.title = "Bản tin. Số 1".into();
        p.description = Some("Mô tả.".into());
        p.publisher = Some("Báo Bắc Kạn".into());
        p.date = Some("2022-11-10".into());
        p.lang = "vi".into();
        p
    }

    #[test]
    fn the_title_block_writes_the_lines_the_narration_says() {
        let p = bulletin();
        let lines = title_page_lines(&p);
        let order: Vec<Line> = lines.iter().map(|(l, _)| *l).collect();
        assert_eq!(
            order,
            [Line::Title, Line::Description, Line::Publisher, Line::Date]
        );
        let mut out = String::new();
        write_title_block(&mut out, &p, None);
        // Every line's text is what the block shows, tags aside.
        for (_, text) in &lines {
            let shown = match text {
                LineText::Own(t) => t.to_string(),
                LineText::Labelled(l) => l.value.to_string(),
                LineText::Date { shown, .. } => shown.clone(),
            };
            assert!(out.contains(&shown), "{shown} in {out}");
        }
        assert!(out.contains("Nhà xuất bản"), "{out}");
        assert!(
            out.contains("<p class=\"date\"><time datetime=\"2022-11-10\">10/11/2022</time></p>"),
            "{out}"
        );
        assert_eq!(
            source_line(&p, 1).map(|l| l.text()).as_deref(),
            Some("Nguồn: https://baobackan.vn/a")
        );
    }
}
