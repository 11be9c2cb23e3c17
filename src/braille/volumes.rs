//! Articles laid out in braille pages, the front matter (title page, contents) and the
//! volumes, which end at article boundaries.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use super::format::{self, Flow, Geometry};
use super::pieces::{Translators, article_pieces, marks_by_article};
use super::{BrailleOptions, Place, Translator, Volume, words};
use crate::error::Result;
use crate::labels::display_date;
use crate::model::Publication;
use crate::pagemap::PageMap;

/// "Volume k of n".
fn volume_word(lang: &str, k: usize, n: usize) -> String {
    crate::labels::volume(lang, k, n)
}

/// One article laid out: its running head and body pages (without the head line).
pub(super) struct ArticlePages {
    head: String,
    title: String,
    pages: Vec<Vec<String>>,
}

/// Sheets of paper for `pages` pages.
fn sheets(pages: usize, duplex: bool) -> usize {
    if duplex { pages.div_ceil(2) } else { pages }
}

/// Every article translated and laid out in body pages; also the print page labels of the
/// indicators (in reading order) and how many words had to be divided.
pub(super) fn lay_out_articles(
    publication: &Publication,
    page_map: Option<&PageMap>,
    trs: &Translators,
    g: Geometry,
) -> Result<(Vec<ArticlePages>, Vec<String>, usize)> {
    let marks = marks_by_article(publication, page_map);
    let mut print_pages = Vec::new();
    let mut divided_words = 0;
    let mut articles = Vec::with_capacity(publication.articles.len());
    for (i, article_marks) in marks.iter().enumerate() {
        let tr = trs.get(publication.article_lang(i))?;
        let blocks = article_pieces(publication, i, article_marks, trs, &mut print_pages)?;
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
    Ok((articles, print_pages, divided_words))
}

/// The volumes of laid-out articles with their front matter, in the publication's language.
pub(super) struct Volumes<'a> {
    publication: &'a Publication,
    options: &'a BrailleOptions,
    tr: &'a Translator,
    articles: &'a [ArticlePages],
    /// Body pages are numbered 1, 2, … through the publication; each article starts a page.
    first_page: Vec<usize>,
    /// Page numbers repeat (every page, every contents entry while volumes are planned):
    /// each is translated once.
    numbers: RefCell<HashMap<String, String>>,
}

impl<'a> Volumes<'a> {
    /// The volumes of `articles`, front matter translated by `tr`.
    pub(super) fn new(
        publication: &'a Publication,
        options: &'a BrailleOptions,
        tr: &'a Translator,
        articles: &'a [ArticlePages],
    ) -> Self {
        let mut first_page = Vec::with_capacity(articles.len());
        let mut n = 1;
        for a in articles {
            first_page.push(n);
            n += a.pages.len().max(1);
        }
        Volumes {
            publication,
            options,
            tr,
            articles,
            first_page,
            numbers: RefCell::new(HashMap::new()),
        }
    }

    fn number(&self, label: &str) -> Result<String> {
        if let Some(n) = self.numbers.borrow().get(label) {
            return Ok(n.clone());
        }
        let n = self.tr.translate(
            label,
            &Place {
                file: self.publication.title.clone(),
                part: "braille page number".into(),
            },
        )?;
        self.numbers
            .borrow_mut()
            .insert(label.to_string(), n.clone());
        Ok(n)
    }

    /// The contents pages of a bulletin's volume holding `range` (none for one article).
    fn contents_pages(&self, range: Range<usize>) -> Result<Vec<Vec<String>>> {
        if self.publication.articles.len() <= 1 {
            return Ok(Vec::new());
        }
        let g = self.options.geometry;
        let mut lines = Vec::new();
        for k in range {
            let num = self.number(&self.first_page[k].to_string())?;
            lines.extend(format::contents_entry(
                &self.articles[k].title,
                &num,
                g.cols,
            ));
        }
        let mut pages = Vec::new();
        let heading = self.tr.translate(
            words(&self.publication.lang).contents,
            &Place {
                file: self.publication.title.clone(),
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
    }

    /// Articles in order, a new volume when the next article would pass the sheet limit.
    pub(super) fn groups(&self) -> Result<Vec<Range<usize>>> {
        let articles = self.articles;
        let mut groups: Vec<Range<usize>> = Vec::new();
        let mut start = 0;
        for k in 0..articles.len() {
            if k > start {
                let body: usize = articles[start..=k]
                    .iter()
                    .map(|a| a.pages.len().max(1))
                    .sum();
                let front = 1 + self.contents_pages(start..k + 1)?.len();
                if sheets(front + body, self.options.duplex) > self.options.volume_sheets {
                    groups.push(start..k);
                    start = k;
                }
            }
        }
        groups.push(start..articles.len());
        Ok(groups)
    }

    /// The pages of each volume: title page, contents, the articles with running heads.
    pub(super) fn pages(&self, groups: &[Range<usize>]) -> Result<Vec<Volume>> {
        let g = self.options.geometry;
        let publication = self.publication;
        let total = groups.len();
        let mut volumes = Vec::with_capacity(total);
        let pub_head = self.tr.translate(
            publication.title.trim(),
            &Place {
                file: publication.title.clone(),
                part: "title".into(),
            },
        )?;
        for (vi, range) in groups.iter().enumerate() {
            let mut pages = vec![title_page(publication, self.options, self.tr, vi, total)?];
            for (ci, body) in self.contents_pages(range.clone())?.into_iter().enumerate() {
                let mut page = vec![format::head_line(
                    &pub_head,
                    &self.number(&format!("p{}", ci + 2))?,
                    g.cols,
                )];
                page.extend(body);
                pages.push(page);
            }
            for k in range.clone() {
                let a = &self.articles[k];
                let blank = vec![Vec::new()];
                let body = if a.pages.is_empty() { &blank } else { &a.pages };
                for (pi, lines) in body.iter().enumerate() {
                    let mut page = vec![format::head_line(
                        &a.head,
                        &self.number(&(self.first_page[k] + pi).to_string())?,
                        g.cols,
                    )];
                    page.extend(lines.iter().cloned());
                    pages.push(page);
                }
            }
            volumes.push(Volume { pages });
        }
        Ok(volumes)
    }
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
