//! The braille edition: BRF and PEF files from the same publication, translated by
//! liblouis and laid out as braille books are (see `docs/braille.md`).
//!
//! Stages: [`translate`] (print → Unicode braille cells, per language and grade) →
//! [`format`](mod@format) (lines and pages: title page, running head, page numbers, print page
//! indicators, headings, paragraphs, lists, quotations, transcriber's notes, contents) →
//! volumes at article boundaries → [`brf`] | [`pef`].
//!
//! The text of each article is read through its text addresses
//! ([`crate::address::article_parts`] with [`ArticlePart`]), the same addresses the large-print
//! PDF's [`PageMap`] uses, so print page indicators fall where the PDF's pages begin. That
//! use is confined to one private function, `article_pieces`.

pub mod brf;
pub mod format;
pub mod pef;
pub mod translate;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::labels::{display_date, is_lang};
use crate::model::{Block, Publication};
use crate::pagemap::{ArticlePart, PageMap, TextAnchor};
use crate::prepare::Prepared;
use crate::timestamp::Timestamp;
use format::{Flow, Geometry, Piece, Style};
pub use translate::{Grade, Place, Translator};

/// The default largest volume, in sheets (BANA and most presses bind at most about 80–100).
pub const DEFAULT_VOLUME_SHEETS: usize = 80;

/// Options of the braille edition.
#[derive(Debug, Clone)]
pub struct BrailleOptions {
    /// Grade (0 uncontracted, the default).
    pub grade: Grade,
    /// Page size in cells × lines.
    pub geometry: Geometry,
    /// Largest volume in sheets; a volume ends at an article boundary.
    pub volume_sheets: usize,
    /// Interpoint (both sides of each sheet): two pages per sheet, and PEF `duplex="true"`.
    pub duplex: bool,
    /// Folders to look for liblouis tables in, in order (see [`translate::table_dirs`]);
    /// by default only the system's.
    pub table_dirs: Vec<PathBuf>,
    /// The build's date (PEF `dc:date`).
    pub date: Timestamp,
}

impl Default for BrailleOptions {
    fn default() -> Self {
        BrailleOptions {
            grade: Grade::G0,
            geometry: Geometry::DEFAULT,
            volume_sheets: DEFAULT_VOLUME_SHEETS,
            duplex: false,
            table_dirs: translate::table_dirs(None),
            date: Timestamp::from_unix(0),
        }
    }
}

/// The braille files an edition plan asks for.
#[derive(Debug, Clone)]
pub struct BraillePlan {
    /// Write `SLUG.brf`.
    pub brf: bool,
    /// Write `SLUG.pef`.
    pub pef: bool,
    /// Grade, page size, volumes, duplex.
    pub options: BrailleOptions,
}

/// The output file name of the BRF edition: `slug.brf`.
pub fn brf_file_name(slug: &str) -> String {
    format!("{slug}.brf")
}

/// The output file name of the PEF edition: `slug.pef`.
pub fn pef_file_name(slug: &str) -> String {
    format!("{slug}.pef")
}

/// The pages of one volume, each a list of lines of Unicode braille cells.
#[derive(Debug, Clone, Default)]
pub struct Volume {
    /// Pages, title page first.
    pub pages: Vec<Vec<String>>,
}

/// The braille edition.
#[derive(Debug, Clone)]
pub struct BrailleOutput {
    /// The BRF file (all volumes, one after another).
    pub brf: Vec<u8>,
    /// The PEF file (one `volume` element per volume).
    pub pef: Vec<u8>,
    /// The volumes.
    pub volumes: Vec<Volume>,
    /// The print page labels of the indicators, in braille reading order.
    pub print_pages: Vec<String>,
    /// Words wider than a line that had to be divided.
    pub divided_words: usize,
}

impl BrailleOutput {
    /// Braille pages in all volumes.
    pub fn pages(&self) -> usize {
        self.volumes.iter().map(|v| v.pages.len()).sum()
    }
}

/// Words of the braille front matter in one language.
struct Words {
    note: &'static str,
    figure: &'static str,
    contents: &'static str,
    produced: &'static str,
    grades: [&'static str; 3],
}

fn words(lang: &str) -> Words {
    if is_lang(lang, "vi") {
        Words {
            note: "Ghi chú của người chuyển chữ nổi",
            figure: "Hình",
            contents: "Mục lục",
            produced: "Sản xuất bằng anpham",
            grades: [
                "Chữ nổi không rút gọn",
                "Chữ nổi rút gọn cấp 1",
                "Chữ nổi rút gọn cấp 2",
            ],
        }
    } else {
        Words {
            note: "Transcriber's note",
            figure: "Figure",
            contents: "Contents",
            produced: "Produced by anpham",
            grades: [
                "Unified English Braille, uncontracted",
                "Unified English Braille, uncontracted",
                "Unified English Braille, contracted",
            ],
        }
    }
}

fn volume_word(lang: &str, k: usize, n: usize) -> String {
    if is_lang(lang, "vi") {
        format!("Tập {k}/{n}")
    } else {
        format!("Volume {k} of {n}")
    }
}

/// The translators of a publication, one per language (the primary subtag), made on first
/// use: the articles' languages, and the languages of spans marked with another `lang`.
struct Translators<'a> {
    options: &'a BrailleOptions,
    map: RefCell<HashMap<String, Rc<Translator>>>,
}

fn lang_key(lang: &str) -> String {
    lang.split('-').next().unwrap_or("").to_ascii_lowercase()
}

impl Translators<'_> {
    fn get(&self, lang: &str) -> Result<Rc<Translator>> {
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

    /// The translator of a span's language, or `fallback` when anpham has no table for it.
    fn for_span(&self, lang: &str, fallback: &Rc<Translator>) -> Result<Rc<Translator>> {
        if translate::table_file(lang, self.options.grade).is_some() {
            self.get(lang)
        } else {
            Ok(fallback.clone())
        }
    }
}

/// Where the language changes inside a part's text: `(byte offset, lang)` for each span whose
/// `lang` differs from the article's, merged with its neighbours of the same language.
fn lang_runs(article: &crate::model::Article, part: ArticlePart) -> Vec<(usize, Option<String>)> {
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
type Marks = Vec<(ArticlePart, usize, String)>;

fn marks_by_article(p: &Publication, page_map: Option<&PageMap>) -> Vec<Marks> {
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
fn cut_at(text: &str, offset: usize) -> usize {
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
struct StyledBlock {
    style: Style,
    pieces: Vec<Piece>,
}

/// The one place that walks an article's text addresses: each part's text, split at the print
/// page starts that fall in it, translated, and styled by the kind of block it belongs to.
fn article_pieces(
    p: &Publication,
    index: usize,
    marks: &Marks,
    trs: &Translators,
    labels_out: &mut Vec<String>,
) -> Result<Vec<StyledBlock>> {
    let tr_rc = trs.get(p.article_lang(index))?;
    let tr: &Translator = &tr_rc;
    let article = &p.articles[index];
    let lang = p.article_lang(index);
    let w = words(lang);
    let file = article
        .origin
        .as_ref()
        .map_or_else(|| p.title.clone(), |o| o.file.display().to_string());
    let parts = crate::address::article_parts(p, index);
    // Each mark goes to its part, or to the next part in reading order when the article does
    // not have that part; marks past the last part go at the end.
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
    let place = |part: &str| Place {
        file: file.clone(),
        part: format!("article {}, {part}", index + 1),
    };
    let mut blocks = Vec::new();
    let mut pending: Vec<Piece> = Vec::new();
    let mut note: Option<StyledBlock> = None;
    let translate_label = |label: &str, labels_out: &mut Vec<String>| -> Result<Piece> {
        labels_out.push(label.to_string());
        Ok(Piece::PrintPage(
            tr.translate(label, &place("print page number"))?,
        ))
    };
    for (k, (part, text)) in parts.iter().enumerate() {
        let part_name = match part {
            ArticlePart::Title => "title".to_string(),
            ArticlePart::Meta => "byline".to_string(),
            ArticlePart::Lead => "lead".to_string(),
            ArticlePart::Block(i) => format!("block {}", i + 1),
            ArticlePart::Item(i, j) => format!("block {}, item {}", i + 1, j + 1),
            ArticlePart::Caption(i) => format!("block {}, caption", i + 1),
            ArticlePart::Attribution(i) => format!("block {}, attribution", i + 1),
        };
        let mut marks_here = by_part[k].clone();
        marks_here.sort_by_key(|m| m.0);
        let mut pieces = std::mem::take(&mut pending);
        // Cut points: print page starts (Some(label)) and language changes (None).
        let runs = lang_runs(article, *part);
        let mut cuts: Vec<(usize, Option<&str>)> = marks_here
            .iter()
            .map(|&(o, l)| (cut_at(text, o), Some(l)))
            .chain(runs.iter().skip(1).map(|r| (r.0.min(text.len()), None)))
            .collect();
        cuts.sort_by_key(|c| (c.0, c.1.is_none()));
        let lang_at = |o: usize| {
            runs.iter()
                .rev()
                .find(|r| r.0 <= o)
                .and_then(|r| r.1.clone())
        };
        let mut from = 0;
        for (cut, label) in cuts {
            let cut = cut.max(from);
            let seg = text[from..cut].trim();
            if !seg.is_empty() {
                let t = match lang_at(from) {
                    Some(l) => trs.for_span(&l, &tr_rc)?,
                    None => tr_rc.clone(),
                };
                pieces.push(Piece::Cells(t.translate(seg, &place(&part_name))?));
            }
            if let Some(label) = label {
                pieces.push(translate_label(label, labels_out)?);
            }
            from = cut;
        }
        let rest_tr = match lang_at(from) {
            Some(l) => trs.for_span(&l, &tr_rc)?,
            None => tr_rc.clone(),
        };
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
                let alt = f.alt.as_deref().unwrap_or("").trim();
                let mut t = format!("{}: {}", w.note, w.figure);
                if !alt.is_empty() {
                    t.push_str(": ");
                    t.push_str(alt);
                }
                pieces.push(Piece::Cells(
                    tr.translate(&t, &place(&format!("block {}, alt text", i + 1)))?,
                ));
                let has_caption = parts
                    .get(k + 1)
                    .is_some_and(|(q, _)| *q == ArticlePart::Caption(*i));
                let b = StyledBlock {
                    style: Style::Note,
                    pieces,
                };
                if has_caption {
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
                    n.pieces
                        .push(Piece::Cells(rest_tr.translate(rest, &place(&part_name))?));
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
            pieces.push(Piece::Cells(rest_tr.translate(&t, &place(&part_name))?));
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
        end.push(translate_label(label, labels_out)?);
    }
    if !end.is_empty() {
        blocks.push(StyledBlock {
            style: Style::Flush,
            pieces: end,
        });
    }
    Ok(blocks)
}

/// One article laid out: its running head and body pages (without the head line).
struct ArticlePages {
    head: String,
    title: String,
    pages: Vec<Vec<String>>,
}

fn sheets(pages: usize, duplex: bool) -> usize {
    if duplex { pages.div_ceil(2) } else { pages }
}

/// Builds the braille edition of `publication`. `page_map` is the large-print PDF's page map
/// (print page indicators follow it); without one the braille has no print page indicators.
///
/// ```no_run
/// use anpham::braille::{BrailleOptions, write_braille};
/// let (publication, _) = anpham::input::load_prepared(&["examples/bac-kan/bac-kan.md".into()])?;
/// let out = write_braille(&publication, None, &BrailleOptions::default())?;
/// std::fs::write("bac-kan.brf", &out.brf)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_braille(
    publication: &Prepared,
    page_map: Option<&PageMap>,
    options: &BrailleOptions,
) -> Result<BrailleOutput> {
    let publication: &Publication = publication;
    let g = options.geometry;
    if g.cols < Geometry::MIN.cols || g.rows < Geometry::MIN.rows {
        return Err(Error::Usage(format!(
            "braille page {}x{} is too small (at least {}x{})",
            g.cols,
            g.rows,
            Geometry::MIN.cols,
            Geometry::MIN.rows
        )));
    }
    let trs = Translators {
        options,
        map: RefCell::new(HashMap::new()),
    };
    let marks = marks_by_article(publication, page_map);
    let mut print_pages = Vec::new();
    let mut divided_words = 0;
    let mut articles = Vec::with_capacity(publication.articles.len());
    for (i, article_marks) in marks.iter().enumerate() {
        let tr = trs.get(publication.article_lang(i))?;
        let blocks = article_pieces(publication, i, article_marks, &trs, &mut print_pages)?;
        let mut flow = Flow::new(g.cols);
        for b in &blocks {
            flow.block(b.style, &b.pieces);
        }
        divided_words += flow.divided_words;
        let place = Place {
            file: publication.title.clone(),
            part: format!("article {}, title", i + 1),
        };
        let title = tr.translate(publication.articles[i].title.trim(), &place)?;
        articles.push(ArticlePages {
            head: title.clone(),
            title,
            pages: format::paginate(&flow.lines, g.body_rows()),
        });
    }
    // Body pages are numbered 1, 2, … through the publication; each article starts a page.
    let mut first_page = Vec::with_capacity(articles.len());
    let mut n = 1;
    for a in &articles {
        first_page.push(n);
        n += a.pages.len().max(1);
    }
    let lang = publication.lang.as_str();
    let front_tr_rc = trs.get(lang)?;
    let front_tr: &Translator = &front_tr_rc;
    // Page numbers repeat (every page, every contents entry while volumes are planned): translate each once.
    let numbers: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    let number = |label: &str| -> Result<String> {
        if let Some(n) = numbers.borrow().get(label) {
            return Ok(n.clone());
        }
        let n = front_tr.translate(
            label,
            &Place {
                file: publication.title.clone(),
                part: "braille page number".into(),
            },
        )?;
        numbers.borrow_mut().insert(label.to_string(), n.clone());
        Ok(n)
    };
    let w = words(lang);
    let bulletin = publication.articles.len() > 1;
    let contents_pages = |range: std::ops::Range<usize>| -> Result<Vec<Vec<String>>> {
        if !bulletin {
            return Ok(Vec::new());
        }
        let mut lines = Vec::new();
        for k in range {
            let num = number(&first_page[k].to_string())?;
            lines.extend(format::contents_entry(&articles[k].title, &num, g.cols));
        }
        let mut pages = Vec::new();
        let heading = front_tr.translate(
            w.contents,
            &Place {
                file: publication.title.clone(),
                part: "contents".into(),
            },
        )?;
        let mut first = format::centered(&heading, g.cols);
        first.push(String::new());
        let per_page = g.body_rows();
        let mut all = first;
        all.extend(lines);
        for chunk in all.chunks(per_page) {
            pages.push(chunk.to_vec());
        }
        Ok(pages)
    };
    // Volumes: articles in order, a new volume when the next article would pass the sheet limit.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for k in 0..articles.len() {
        if k > start {
            let body: usize = articles[start..=k]
                .iter()
                .map(|a| a.pages.len().max(1))
                .sum();
            let front = 1 + contents_pages(start..k + 1)?.len();
            if sheets(front + body, options.duplex) > options.volume_sheets {
                groups.push(start..k);
                start = k;
            }
        }
    }
    groups.push(start..articles.len());
    let total = groups.len();
    let mut volumes = Vec::with_capacity(total);
    let pub_head = front_tr.translate(
        publication.title.trim(),
        &Place {
            file: publication.title.clone(),
            part: "title".into(),
        },
    )?;
    for (vi, range) in groups.iter().enumerate() {
        let mut pages = vec![title_page(publication, options, front_tr, vi, total)?];
        for (ci, body) in contents_pages(range.clone())?.into_iter().enumerate() {
            let mut page = vec![format::head_line(
                &pub_head,
                &number(&format!("p{}", ci + 2))?,
                g.cols,
            )];
            page.extend(body);
            pages.push(page);
        }
        for k in range.clone() {
            let a = &articles[k];
            let blank = vec![Vec::new()];
            let body = if a.pages.is_empty() { &blank } else { &a.pages };
            for (pi, lines) in body.iter().enumerate() {
                let mut page = vec![format::head_line(
                    &a.head,
                    &number(&(first_page[k] + pi).to_string())?,
                    g.cols,
                )];
                page.extend(lines.iter().cloned());
                pages.push(page);
            }
        }
        volumes.push(Volume { pages });
    }
    let meta = pef::PefMeta {
        identifier: publication.identifier.clone().unwrap_or_else(|| {
            let mut h = Sha256::new();
            h.update(publication.title.as_bytes());
            h.update(publication.date.as_deref().unwrap_or("").as_bytes());
            let d = h.finalize();
            format!(
                "urn:anpham:{}",
                d[..8]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            )
        }),
        title: publication.title.clone(),
        language: publication.lang.clone(),
        date: options.date.iso8601().chars().take(10).collect(),
        creator: (!bulletin)
            .then(|| publication.articles.first().and_then(|a| a.author.clone()))
            .flatten(),
        publisher: publication.publisher.clone(),
        description: format!(
            "{}; liblouis table {}",
            w.grades[options.grade.number() as usize],
            front_tr.table().rsplit('/').next().unwrap_or("")
        ),
    };
    Ok(BrailleOutput {
        brf: brf::write_brf(&volumes),
        pef: pef::write_pef(&volumes, &meta, g, options.duplex),
        volumes,
        print_pages,
        divided_words,
    })
}

/// A volume's title page: title, author, date, publisher, grade, the volume, "produced by anpham".
fn title_page(
    p: &Publication,
    options: &BrailleOptions,
    tr: &Translator,
    volume: usize,
    volumes: usize,
) -> Result<Vec<String>> {
    let g = options.geometry;
    let lang = p.lang.as_str();
    let w = words(lang);
    let single = (p.articles.len() == 1).then(|| &p.articles[0]);
    let mut texts: Vec<Option<String>> = vec![Some(p.title.clone()), None];
    if let Some(a) = single {
        texts.push(a.author.clone());
    }
    texts.push(p.date.as_deref().map(|d| display_date(d, lang)));
    texts.push(p.publisher.clone());
    texts.push(None);
    texts.push(Some(w.grades[options.grade.number() as usize].to_string()));
    if volumes > 1 {
        texts.push(Some(volume_word(lang, volume + 1, volumes)));
    }
    texts.push(None);
    texts.push(Some(w.produced.to_string()));
    let place = Place {
        file: p.title.clone(),
        part: "title page".into(),
    };
    let mut lines = Vec::new();
    for t in texts {
        match t {
            Some(t) if !t.trim().is_empty() => {
                lines.extend(format::centered(&tr.translate(t.trim(), &place)?, g.cols))
            }
            Some(_) => {}
            None => lines.push(String::new()),
        }
    }
    // A title page that does not fit keeps its first lines (the title and the volume come first
    // and last; the last line, "produced by", is the one dropped).
    lines.truncate(g.rows);
    Ok(lines)
}

#[cfg(test)]
mod tests;
