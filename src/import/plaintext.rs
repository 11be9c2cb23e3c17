//! The portal's plain-text copy of an article page (what "select all, copy" or a
//! text-only save gives), in the shape of `../shared/seed/article-bac-kan.txt`:
//!
//! ```text
//! PublishingPortal - Block_BanTin_Toolbar      ← chrome (dropped)
//! 10/11/2022                                   ← date line
//! Tăng cỡ chữ Giảm cỡ chữ                      ← chrome (dropped)
//! Hội thảo khoa học …                          ← title: the first other line
//! Sáng 10/11, Tỉnh ủy tổ chức …                ← lead: the next line, if it reads as a sentence
//!  PublishingPortal - Block_BanTin_ViewData    ← chrome (dropped)
//! Toàn cảnh Hội thảo                           ← caption: short, no final punctuation
//! Báo cáo về thực trạng …                      ← paragraph
//! …
//! Hương Dịu                                    ← author: a short last line of names
//! ```
//!
//! Each non-empty line is one unit (the portal's copy puts one paragraph per line).
//! A caption's photo is not in a text copy: the caption stays where it was, as an
//! emphasised paragraph, so that no word is lost, and the report lists it.

use std::path::Path;

use super::{Imported, NoteKind, chrome, dates, ends_like_sentence, normalize_space, shorten};
use crate::error::{Diagnostic, Result};
use crate::model::{Article, Block, Span, Text};

/// The longest line taken as a caption, in characters.
const MAX_CAPTION_CHARS: usize = 250;
/// The longest line taken as the author's, in characters and words.
const MAX_AUTHOR_CHARS: usize = 60;
const MAX_AUTHOR_WORDS: usize = 8;

/// Reads a plain-text copy.
pub fn read(path: &Path, text: &str) -> Result<Imported> {
    let mut imported = Imported {
        article: Article {
            lang: None,
            ..Article::new(String::new())
        },
        notes: Vec::new(),
        tried: Vec::new(),
        image_texts: Vec::new(),
    };
    let (mut body, title_line) = title_date_and_body(text, &mut imported);
    if imported.article.title.is_empty() {
        return Err(Diagnostic::file(
            path,
            "no article text found: every line is empty or portal chrome",
        )
        .with_hint("the first line that is not chrome or a date is taken as the title")
        .into());
    }
    lead_and_author(&mut imported, &mut body, title_line);
    paragraphs(&mut imported, body);
    let paragraphs = imported.article.blocks.len();
    imported.note(
        NoteKind::Recognised,
        "body",
        format!("{paragraphs} paragraph(s)"),
    );
    if imported.article.date.is_none() {
        imported.note(
            NoteKind::Attention,
            "file",
            "no date line found: add `date:` to the front matter",
        );
    }
    if imported.article.author.is_none() {
        imported.note(
            NoteKind::Attention,
            "file",
            "no author line found at the end",
        );
    }
    Ok(imported)
}

/// The title and date lines, and the `(line number, text)` of the body's lines: chrome
/// dropped, reading stopped at an end marker (`Tin liên quan`).
fn title_date_and_body(text: &str, imported: &mut Imported) -> (Vec<(usize, String)>, usize) {
    let mut body: Vec<(usize, String)> = Vec::new();
    let mut title_line = 0;
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = normalize_space(raw);
        if line.is_empty() {
            continue;
        }
        let place = format!("line {n}");
        if chrome::is_chrome_line(&line) {
            imported.note(
                NoteKind::Dropped,
                place,
                format!("portal chrome `{}`", shorten(&line)),
            );
            continue;
        }
        if chrome::is_end_marker(&line) {
            let rest = text
                .lines()
                .skip(i)
                .filter(|l| !l.trim().is_empty())
                .count();
            imported.note(
                NoteKind::Dropped,
                place,
                format!("`{line}` and the {rest} line(s) after it (related articles or comments)"),
            );
            break;
        }
        if imported.article.date.is_none() && body.is_empty() && dates::is_date_line(&line) {
            let date = dates::find_date(&line).expect("a date line has a date");
            imported.note(
                NoteKind::Recognised,
                place,
                format!("date {date} (`{line}`)"),
            );
            imported.article.date = Some(date);
            continue;
        }
        if imported.article.title.is_empty() {
            imported.note(
                NoteKind::Recognised,
                place,
                format!("title `{}`", shorten(&line)),
            );
            imported.article.title = line;
            title_line = n;
            continue;
        }
        body.push((n, line));
    }
    (body, title_line)
}

/// The lead (the first line after the title when it reads as a sentence) and the author
/// (a short last line of capitalised names), taken out of `body`.
fn lead_and_author(imported: &mut Imported, body: &mut Vec<(usize, String)>, title_line: usize) {
    if let Some((n, line)) = body.first()
        && *n > title_line
        && ends_like_sentence(line)
        && line.chars().count() > 40
    {
        imported.note(
            NoteKind::Recognised,
            format!("line {n}"),
            format!("lead `{}`", shorten(line)),
        );
        imported.article.lead = Some(Text::plain(line.clone()));
        body.remove(0);
    }
    // The author: without final punctuation.
    if body.len() > 1
        && let Some((n, line)) = body.last()
        && looks_like_author(line)
    {
        imported.note(
            NoteKind::Recognised,
            format!("line {n}"),
            format!("author `{line}`"),
        );
        imported.article.author = Some(line.clone());
        body.pop();
    }
}

/// The body's lines as paragraphs; a caption-like line between paragraphs is kept as an
/// emphasised paragraph and reported (a text copy has no photo).
fn paragraphs(imported: &mut Imported, body: Vec<(usize, String)>) {
    let count = body.len();
    for (k, (n, line)) in body.into_iter().enumerate() {
        let between_paragraphs = k + 1 < count;
        if between_paragraphs && is_caption(&line) {
            imported.note(
                NoteKind::Attention,
                format!("line {n}"),
                format!(
                    "caption `{}` has no photo in a text copy: kept as an emphasised paragraph; import the saved HTML page to get the photo",
                    shorten(&line)
                ),
            );
            imported.article.blocks.push(Block::Paragraph {
                text: Text {
                    spans: vec![Span {
                        text: line,
                        emphasis: true,
                        ..Span::default()
                    }],
                },
            });
        } else {
            imported.article.blocks.push(Block::Paragraph {
                text: Text::plain(line),
            });
        }
    }
}

/// A caption line: short, and not ending like a sentence.
fn is_caption(line: &str) -> bool {
    line.chars().count() <= MAX_CAPTION_CHARS && !ends_like_sentence(line) && !line.ends_with(',')
}

/// An author line: a few words, each starting with a capital letter (or a bracketed
/// source, `(Báo Bắc Kạn)`), or `Theo …` / `Nguồn: …`; no final punctuation.
pub(crate) fn looks_like_author(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty()
        || line.chars().count() > MAX_AUTHOR_CHARS
        || words.len() > MAX_AUTHOR_WORDS
        || ends_like_sentence(line)
        || line.ends_with(',')
    {
        return false;
    }
    if line.starts_with("Theo ") || line.starts_with("Nguồn:") {
        return true;
    }
    let mut in_brackets = false;
    words.iter().all(|w| {
        if w.starts_with('(') {
            in_brackets = true;
        }
        let ok = in_brackets
            || *w == "-"
            || *w == "và"
            || w.chars().next().is_some_and(|c| c.is_uppercase());
        if w.ends_with(')') {
            in_brackets = false;
        }
        ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../tests/fixtures/import/article-bac-kan.txt");

    fn seed() -> Imported {
        read(Path::new("seed.txt"), SEED).unwrap()
    }

    #[test]
    fn seed_fields() {
        let im = seed();
        let a = &im.article;
        assert!(
            a.title.starts_with("Hội thảo khoa học “Thực trạng"),
            "{}",
            a.title
        );
        assert!(a.title.ends_with("tỉnh Bắc Kạn”"));
        assert_eq!(a.date.as_deref(), Some("2022-11-10"));
        assert_eq!(a.author.as_deref(), Some("Hương Dịu"));
        let lead = a.lead.as_ref().unwrap().to_plain();
        assert!(
            lead.starts_with("Sáng 10/11, Tỉnh ủy tổ chức") && lead.ends_with("chủ trì Hội thảo.")
        );
    }

    #[test]
    fn seed_chrome_dropped_and_captions_kept() {
        let im = seed();
        let text = crate::model::Publication::single(im.article.clone()).reading_text();
        for chrome in [
            "PublishingPortal",
            "Block_BanTin",
            "Tăng cỡ chữ",
            "Giảm cỡ chữ",
            "10/11/2022",
        ] {
            assert!(!text.contains(chrome), "{chrome} left in the article");
        }
        let captions: Vec<String> = im
            .article
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { text } if text.spans.iter().all(|s| s.emphasis) => {
                    Some(text.to_plain().replace('\u{a0}', " "))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            captions,
            [
                "Toàn cảnh Hội thảo",
                "Đ/c Lèng Văn Tý - Nguyên Ủy viên Ban Thường vụ, Trưởng Ban Tuyên Giáo Tỉnh ủy tham luận tại Hội thảo",
                "Đ/c Phương Thị Thanh - Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu tại Hội thảo",
            ]
        );
        assert_eq!(im.attention().count(), 3, "{:#?}", im.notes);
        assert!(
            im.notes
                .iter()
                .any(|n| n.kind == NoteKind::Dropped && n.place == "line 1")
        );
    }

    #[test]
    fn every_word_of_the_article_is_kept() {
        let im = seed();
        let text = crate::model::Publication::single(im.article.clone()).reading_text();
        let kept: Vec<&str> = text.split_whitespace().collect();
        // The seed's lines less the chrome, the date line and the author's (last) line.
        let lines: Vec<&str> = SEED.lines().filter(|l| !l.trim().is_empty()).collect();
        let expected: Vec<&str> = lines[..lines.len() - 1]
            .iter()
            .filter(|l| {
                !l.contains("PublishingPortal")
                    && !l.contains("Tăng cỡ chữ")
                    && l.trim() != "10/11/2022"
            })
            .flat_map(|l| l.split_whitespace())
            .collect();
        assert_eq!(kept, expected);
        assert_eq!(*lines.last().unwrap(), "Hương Dịu");
    }

    #[test]
    fn related_articles_end_the_article() {
        let text = "Tiêu đề bài\nĐoạn dẫn đủ dài để được xem là một câu hoàn chỉnh của bài báo.\nĐoạn một.\nĐoạn hai.\nTin liên quan\nBài khác một\nBài khác hai\n";
        let im = read(Path::new("a.txt"), text).unwrap();
        assert_eq!(im.article.blocks.len(), 2);
        assert!(
            im.notes
                .iter()
                .any(|n| n.kind == NoteKind::Dropped && n.place == "line 5")
        );
    }

    #[test]
    fn authors() {
        assert!(looks_like_author("Hương Dịu"));
        assert!(looks_like_author("Hương Dịu (Báo Bắc Kạn)"));
        assert!(looks_like_author("Theo Báo Bắc Kạn"));
        assert!(!looks_like_author("hội thảo kết thúc"));
        assert!(!looks_like_author("Hội thảo kết thúc."));
    }

    #[test]
    fn only_chrome_is_an_error() {
        let e = read(
            Path::new("a.txt"),
            "PublishingPortal - Block_BanTin_Toolbar\n\nTăng cỡ chữ\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("no article text"), "{e}");
    }
}
