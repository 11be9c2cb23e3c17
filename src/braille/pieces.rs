//! An article's text as braille pieces: each part of its text addresses split at the
//! print page starts and language changes that fall in it, translated, and styled by the
//! kind of block it belongs to.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::format::{Piece, Style};
use super::{BrailleOptions, Place, Translator, Words, translate, words};
use crate::error::Result;
use crate::model::{Block, Figure, Publication};
use crate::pagemap::{ArticlePart, PageMap, TextAnchor};

/// The translators of a publication, one per language (the primary subtag), made on first
/// use: the articles' languages, and the languages of spans marked with another `lang`.
pub(super) struct Translators<'a> {
    pub(super) options: &'a BrailleOptions,
    pub(super) map: RefCell<HashMap<String, Rc<Translator>>>,
}

pub(super) fn lang_key(lang: &str) -> String {
    lang.split('-').next().unwrap_or("").to_ascii_lowercase()
}

impl Translators<'_> {
    pub(super) fn get(&self, lang: &str) -> Result<Rc<Translator>> {
        let key = lang_key(lang);
        if let Some(t) = self.map.borrow().get(&key) {
            return Ok(t.clone());
        }
        let t = Rc::new(Translator::new(
            &key,
            self.options.grade,
            &self.options.table_dirs,
        )?);
        self.map.borrow_mut().insert(key, t.clone());
        Ok(t)
    }

    /// The warnings of every translator made so far, taken (grouped by table, in the order
    /// of their places within each).
    pub(super) fn take_warnings(&self) -> Vec<crate::error::Diagnostic> {
        let map = self.map.borrow();
        let mut trs: Vec<&Rc<Translator>> = map.values().collect();
        trs.sort_by_key(|t| t.table().to_string());
        trs.into_iter().flat_map(|t| t.take_warnings()).collect()
    }

    /// The translator of a span's language, or `fallback` when anpham has no table for it.
    pub(super) fn for_span(&self, lang: &str, fallback: &Rc<Translator>) -> Result<Rc<Translator>> {
        if translate::table_file(lang, self.options.grade).is_some() {
            self.get(lang)
        } else {
            Ok(fallback.clone())
        }
    }
}

/// Where the language changes inside a part's text: `(byte offset, lang)` for each span whose
/// `lang` differs from the article's, merged with its neighbours of the same language.
pub(super) fn lang_runs(
    article: &crate::model::Article,
    part: ArticlePart,
) -> Vec<(usize, Option<String>)> {
    let text = match part {
        ArticlePart::Lead => article.lead.as_ref(),
        ArticlePart::Block(i) => match article.blocks.get(i) {
            Some(
                Block::Paragraph { text } | Block::Heading { text, .. } | Block::Quote { text, .. },
            ) => Some(text),
            _ => None,
        },
        ArticlePart::Item(i, j) => match article.blocks.get(i) {
            Some(Block::List { items, .. }) => items.get(j),
            _ => None,
        },
        ArticlePart::Caption(i) => match article.blocks.get(i) {
            Some(Block::Figure(f)) => f.caption.as_ref(),
            _ => None,
        },
        _ => None,
    };
    let mut runs: Vec<(usize, Option<String>)> = vec![(0, None)];
    let mut at = 0;
    for span in text.map_or(&[][..], |t| t.spans.as_slice()) {
        let lang = span.lang.clone().filter(|l| {
            article
                .lang
                .as_deref()
                .is_none_or(|a| lang_key(a) != lang_key(l))
        });
        if runs.last().is_some_and(|r| r.1 != lang) {
            runs.push((at, lang));
        }
        at += span.text.len();
    }
    runs
}

/// Print page starts of one article: `(part, byte offset, label)`, in page order.
pub(super) type Marks = Vec<(ArticlePart, usize, String)>;

pub(super) fn marks_by_article(p: &Publication, page_map: Option<&PageMap>) -> Vec<Marks> {
    let mut marks = vec![Vec::new(); p.articles.len()];
    if let Some(map) = page_map {
        for page in &map.pages {
            // The print edition's own front matter has no counterpart in braille, which has its own.
            if let TextAnchor::Article {
                article,
                part,
                offset,
            } = &page.anchor
                && let Some(m) = marks.get_mut(*article)
            {
                m.push((*part, *offset, page.label.clone()));
            }
        }
    }
    marks
}

/// Where a page-map offset cuts a part's text: on a character boundary, and at the end of
/// the word it falls in (a print page may begin inside a hyphenated word; braille does not
/// divide words there).
pub(super) fn cut_at(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o += 1;
    }
    if o == 0 || o == text.len() {
        return o;
    }
    let before_space = text[..o].ends_with(char::is_whitespace);
    let after_space = text[o..].starts_with(char::is_whitespace);
    if before_space || after_space {
        return o;
    }
    text[o..]
        .find(char::is_whitespace)
        .map_or(text.len(), |k| o + k)
}

/// One block of an article, ready for [`Flow::block`].
pub(super) struct StyledBlock {
    pub(super) style: Style,
    pub(super) pieces: Vec<Piece>,
}

/// What translating one article's parts needs: the translators, the article's own, and
/// where its text comes from (for error messages).
struct ArticleContext<'a> {
    trs: &'a Translators<'a>,
    tr: Rc<Translator>,
    file: String,
    index: usize,
}

impl ArticleContext<'_> {
    fn place(&self, part: &str) -> Place {
        Place {
            file: self.file.clone(),
            part: format!("article {}, {part}", self.index + 1),
        }
    }

    /// A print page indicator, its label recorded in `labels_out`.
    fn label(&self, label: &str, labels_out: &mut Vec<String>) -> Result<Piece> {
        labels_out.push(label.to_string());
        Ok(Piece::PrintPage(
            self.tr.translate(label, &self.place("print page number"))?,
        ))
    }

    /// The translator for the text at byte `o`, by the language runs of its part.
    fn translator_at(&self, runs: &[(usize, Option<String>)], o: usize) -> Result<Rc<Translator>> {
        match runs
            .iter()
            .rev()
            .find(|r| r.0 <= o)
            .and_then(|r| r.1.clone())
        {
            Some(l) => self.trs.for_span(&l, &self.tr),
            None => Ok(self.tr.clone()),
        }
    }

    /// Translates `text` up to its last cut (print page starts, `marks` as `(offset,
    /// label)`, and language changes) into `pieces`; returns where the rest begins and
    /// the rest's translator.
    fn segments(
        &self,
        text: &str,
        runs: &[(usize, Option<String>)],
        marks: &[(usize, &str)],
        part_name: &str,
        pieces: &mut Vec<Piece>,
        labels_out: &mut Vec<String>,
    ) -> Result<(usize, Rc<Translator>)> {
        // Cut points: print page starts (Some(label)) and language changes (None).
        let mut cuts: Vec<(usize, Option<&str>)> = marks
            .iter()
            .map(|&(o, l)| (cut_at(text, o), Some(l)))
            .chain(runs.iter().skip(1).map(|r| (r.0.min(text.len()), None)))
            .collect();
        cuts.sort_by_key(|c| (c.0, c.1.is_none()));
        let mut from = 0;
        for (cut, label) in cuts {
            let cut = cut.max(from);
            let seg = text[from..cut].trim();
            if !seg.is_empty() {
                let t = self.translator_at(runs, from)?;
                pieces.push(Piece::Cells(t.translate(seg, &self.place(part_name))?));
            }
            if let Some(label) = label {
                pieces.push(self.label(label, labels_out)?);
            }
            from = cut;
        }
        Ok((from, self.translator_at(runs, from)?))
    }

    /// A figure's transcriber's note ("Figure: alt text") after `pieces`.
    fn figure_note(
        &self,
        w: &Words,
        f: &Figure,
        block: usize,
        mut pieces: Vec<Piece>,
    ) -> Result<StyledBlock> {
        let alt = f.alt.as_deref().unwrap_or("").trim();
        let mut t = format!("{}: {}", w.note, w.figure);
        if !alt.is_empty() {
            t.push_str(": ");
            t.push_str(alt);
        }
        pieces.push(Piece::Cells(self.tr.translate(
            &t,
            &self.place(&format!("block {}, alt text", block + 1)),
        )?));
        Ok(StyledBlock {
            style: Style::Note,
            pieces,
        })
    }
}

/// Each mark goes to its part, or to the next part in reading order when the article does
/// not have that part; marks past the last part go in the extra last slot. Sorted by offset.
fn marks_by_part<'m>(
    parts: &[(ArticlePart, String)],
    marks: &'m Marks,
) -> Vec<Vec<(usize, &'m str)>> {
    let mut by_part: Vec<Vec<(usize, &str)>> = vec![Vec::new(); parts.len() + 1];
    for (part, offset, label) in marks {
        let slot = parts
            .iter()
            .position(|(q, _)| q == part)
            .map(|k| (k, *offset))
            .or_else(|| {
                parts
                    .iter()
                    .position(|(q, _)| q.order() > part.order())
                    .map(|k| (k, 0))
            })
            .unwrap_or((parts.len(), 0));
        by_part[slot.0].push((slot.1, label.as_str()));
    }
    for m in &mut by_part {
        m.sort_by_key(|m| m.0);
    }
    by_part
}

/// A part's name in error messages.
fn part_name(part: ArticlePart) -> String {
    match part {
        ArticlePart::Title => "title".to_string(),
        ArticlePart::Meta => "byline".to_string(),
        ArticlePart::Lead => "lead".to_string(),
        ArticlePart::Block(i) => format!("block {}", i + 1),
        ArticlePart::Item(i, j) => format!("block {}, item {}", i + 1, j + 1),
        ArticlePart::Caption(i) => format!("block {}, caption", i + 1),
        ArticlePart::Attribution(i) => format!("block {}, attribution", i + 1),
    }
}

/// The one place that walks an article's text addresses: each part's text, split at the print
/// page starts that fall in it, translated, and styled by the kind of block it belongs to.
///
/// Over 80 lines on purpose: one pass over the parts in reading order carrying two pieces
/// of state (print page indicators pending for the next part; a figure's note waiting for
/// its caption), and the match over (part, block) is the whole style table, kept in one
/// place so the styles read together. Translation (`ArticleContext::segments`), the
/// figure note and the placing of marks are functions of their own.
pub(super) fn article_pieces(
    p: &Publication,
    index: usize,
    marks: &Marks,
    trs: &Translators,
    labels_out: &mut Vec<String>,
) -> Result<Vec<StyledBlock>> {
    let article = &p.articles[index];
    let w = words(p.article_lang(index));
    let cx = ArticleContext {
        trs,
        tr: trs.get(p.article_lang(index))?,
        file: article
            .origin
            .as_ref()
            .map_or_else(|| p.title.clone(), |o| o.file.display().to_string()),
        index,
    };
    let parts = crate::address::article_parts(p, index);
    let by_part = marks_by_part(&parts, marks);
    let mut blocks = Vec::new();
    let mut pending: Vec<Piece> = Vec::new();
    let mut note: Option<StyledBlock> = None;
    for (k, (part, text)) in parts.iter().enumerate() {
        let part_name = part_name(*part);
        let mut pieces = std::mem::take(&mut pending);
        let runs = lang_runs(article, *part);
        let (from, rest_tr) = cx.segments(
            text,
            &runs,
            &by_part[k],
            &part_name,
            &mut pieces,
            labels_out,
        )?;
        let rest = text[from..].trim();
        let block = match part {
            ArticlePart::Block(i) => article.blocks.get(*i),
            _ => None,
        };
        let mut prefix = String::new();
        let style = match (part, block) {
            (ArticlePart::Title, _) => Style::Centered,
            (ArticlePart::Meta, _) => Style::Flush,
            (ArticlePart::Lead, _) => Style::Paragraph,
            (ArticlePart::Block(_), Some(Block::Heading { .. })) => Style::Heading,
            (ArticlePart::Block(_), Some(Block::Quote { .. }))
            | (ArticlePart::Attribution(_), _) => Style::Quote,
            (ArticlePart::Block(_), Some(Block::List { .. })) => {
                // The list's own (empty) part: its marks go before the first item.
                pending = pieces;
                continue;
            }
            (ArticlePart::Block(i), Some(Block::Figure(f))) => {
                if let Some(n) = note.take() {
                    blocks.push(n);
                }
                if f.decorative {
                    pending = pieces;
                    continue;
                }
                let b = cx.figure_note(&w, f, *i, pieces)?;
                // The caption, the next part, joins the note.
                if parts
                    .get(k + 1)
                    .is_some_and(|(q, _)| *q == ArticlePart::Caption(*i))
                {
                    note = Some(b);
                } else {
                    blocks.push(b);
                }
                continue;
            }
            (ArticlePart::Caption(_), _) => {
                let mut n = note.take().unwrap_or(StyledBlock {
                    style: Style::Note,
                    pieces: Vec::new(),
                });
                n.pieces.extend(pieces);
                if !rest.is_empty() {
                    n.pieces.push(Piece::Cells(
                        rest_tr.translate(rest, &cx.place(&part_name))?,
                    ));
                }
                blocks.push(n);
                continue;
            }
            (ArticlePart::Item(i, j), _) => {
                if let Some(Block::List { ordered: true, .. }) = article.blocks.get(*i) {
                    prefix = format!("{}. ", j + 1);
                }
                Style::ListItem
            }
            _ => Style::Paragraph,
        };
        if !rest.is_empty() {
            let t = format!("{prefix}{rest}");
            pieces.push(Piece::Cells(rest_tr.translate(&t, &cx.place(&part_name))?));
        }
        if let Some(n) = note.take() {
            blocks.push(n);
        }
        blocks.push(StyledBlock { style, pieces });
    }
    if let Some(n) = note.take() {
        blocks.push(n);
    }
    let mut end = pending;
    for (_, label) in &by_part[parts.len()] {
        end.push(cx.label(label, labels_out)?);
    }
    if !end.is_empty() {
        blocks.push(StyledBlock {
            style: Style::Flush,
            pieces: end,
        });
    }
    Ok(blocks)
}
