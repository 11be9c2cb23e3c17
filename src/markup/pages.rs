//! Page-break markers: where the pages of the print edition begin.
//!
//! A [`PageMap`] locates each page start by article, part and byte offset into that
//! part's plain text ([`crate::address`] says what that text is for each part). The plan
//! built here resolves every anchor to a part that the content documents actually
//! render (an anchor in a part the article does not have moves to the start of the next
//! part in reading order), clamps offsets to the text and to character boundaries, and
//! gives each page a unique `id`. [`interleave`] then cuts a part's runs of text at the
//! markers' offsets, so that a page that begins mid-paragraph gets its marker inside
//! the paragraph, between two words, and never inside a tag.

use std::collections::{BTreeMap, BTreeSet};

use crate::pagemap::{ArticlePart, PageMap, TextAnchor};

/// A page map made for another publication: one of its pages is in an article this one
/// does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("page {page} of the page map is in article {article} but the publication has {articles}")]
pub struct ForeignPageMap {
    /// The page's label.
    pub page: String,
    /// The article it is in (1-based).
    pub article: usize,
    /// How many articles the publication has.
    pub articles: usize,
}

/// One page-break marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Its `id` in the content document (unique in the publication).
    pub id: String,
    /// The page label (`aria-label`, and the page list's link text).
    pub label: String,
}

/// Markers of one article: for each rendered part, `(byte offset, marker index)` in
/// page order; `end` holds markers after the last part.
#[derive(Debug, Clone, Default)]
pub struct ArticleMarks {
    parts: BTreeMap<ArticlePart, Vec<(usize, usize)>>,
    /// Markers at the end of the article.
    pub end: Vec<usize>,
}

impl ArticleMarks {
    /// The markers in `part`, sorted by offset.
    pub fn part(&self, part: ArticlePart) -> &[(usize, usize)] {
        self.parts.get(&part).map_or(&[], Vec::as_slice)
    }

    /// Every marker index of the article.
    pub fn all(&self) -> impl Iterator<Item = usize> + '_ {
        self.parts
            .values()
            .flatten()
            .map(|&(_, k)| k)
            .chain(self.end.iter().copied())
    }
}

/// Where every page marker goes.
#[derive(Debug, Clone, Default)]
pub struct PagePlan {
    /// The markers, in page order.
    pub markers: Vec<Marker>,
    /// Front matter pages (a bulletin's title page), in order.
    pub front: Vec<usize>,
    /// Per article.
    pub articles: Vec<ArticleMarks>,
}

/// The largest character boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Element ids for the page labels: `page-LABEL` when the label is plain ASCII
/// letters and digits, else `page-nK` (K the page's position), unique in any case.
fn marker_ids(map: &PageMap) -> Vec<Marker> {
    let mut used = BTreeSet::new();
    map.pages
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let safe = !p.label.is_empty()
                && p.label.len() <= 32
                && p.label.bytes().all(|b| b.is_ascii_alphanumeric());
            let by_label = format!("page-{}", p.label);
            let mut id = if safe && !used.contains(&by_label) {
                by_label
            } else {
                format!("page-n{}", k + 1)
            };
            let mut n = 1;
            while !used.insert(id.clone()) {
                n += 1;
                id = format!("page-n{}-{n}", k + 1);
            }
            Marker {
                id,
                label: p.label.clone(),
            }
        })
        .collect()
}

/// Resolves a page map against the publication's articles. `parts(i)` gives the parts
/// of article `i` as [`crate::address::article_parts`] does.
pub fn plan(
    map: &PageMap,
    articles: usize,
    mut parts: impl FnMut(usize) -> Vec<(ArticlePart, String)>,
) -> Result<PagePlan, ForeignPageMap> {
    let mut plan = PagePlan {
        markers: marker_ids(map),
        front: Vec::new(),
        articles: vec![ArticleMarks::default(); articles],
    };
    let mut cache: BTreeMap<usize, Vec<(ArticlePart, String)>> = BTreeMap::new();
    for (k, page) in map.pages.iter().enumerate() {
        match &page.anchor {
            TextAnchor::FrontMatter => plan.front.push(k),
            &TextAnchor::Article {
                article,
                part,
                offset,
            } => {
                if article >= articles {
                    return Err(ForeignPageMap {
                        page: page.label.clone(),
                        article: article + 1,
                        articles,
                    });
                }
                let list = cache.entry(article).or_insert_with(|| parts(article));
                let marks = &mut plan.articles[article];
                if let Some((p, text)) = list.iter().find(|(p, _)| *p == part) {
                    marks
                        .parts
                        .entry(*p)
                        .or_default()
                        .push((floor_boundary(text, offset), k));
                } else if let Some((p, _)) = list.iter().find(|(p, _)| p.order() > part.order()) {
                    marks.parts.entry(*p).or_default().push((0, k));
                } else {
                    marks.end.push(k);
                }
            }
        }
    }
    for a in &mut plan.articles {
        for v in a.parts.values_mut() {
            v.sort_by_key(|&(off, k)| (off, k));
        }
    }
    Ok(plan)
}

/// A piece of a part's text: a slice of run `run`, or a marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text of one run.
    Text {
        /// Index of the run.
        run: usize,
        /// The slice.
        text: &'a str,
    },
    /// A page marker (its index in [`PagePlan::markers`]).
    Marker(usize),
}

/// Cuts `runs` (whose concatenation is the part's plain text) at the markers' byte
/// offsets (sorted, on character boundaries). A marker at an offset where one run ends
/// and the next begins goes before the next run; markers at or past the end come last.
pub fn interleave<'a>(runs: &[&'a str], marks: &[(usize, usize)]) -> Vec<Piece<'a>> {
    let mut out = Vec::with_capacity(runs.len() + 2 * marks.len());
    let mut pos = 0;
    let mut m = 0;
    for (r, text) in runs.iter().enumerate() {
        let end = pos + text.len();
        let mut cur = 0;
        while m < marks.len() && marks[m].0 < end {
            let rel = marks[m].0.saturating_sub(pos);
            let rel = floor_boundary(text, rel.max(cur));
            if rel > cur {
                out.push(Piece::Text {
                    run: r,
                    text: &text[cur..rel],
                });
                cur = rel;
            }
            out.push(Piece::Marker(marks[m].1));
            m += 1;
        }
        if cur < text.len() {
            out.push(Piece::Text {
                run: r,
                text: &text[cur..],
            });
        }
        pos = end;
    }
    out.extend(marks[m..].iter().map(|&(_, k)| Piece::Marker(k)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::{caption_text, parts_of as part_texts};
    use crate::model::{Article, Block, Figure, Text};
    use crate::pagemap::PageStart;

    fn t(run: usize, text: &str) -> Piece<'_> {
        Piece::Text { run, text }
    }

    #[test]
    fn markers_split_runs_at_offsets() {
        let runs = ["Xin chào ", "Bắc Kạn", "!"];
        // "Xin chào " is 10 bytes (à is 2); "Bắc " is 6 bytes (ắ is 3), "Bắc Kạn" 11.
        let p = interleave(&runs, &[(0, 0), (4, 1), (10, 2), (16, 3), (22, 4)]);
        assert_eq!(
            p,
            vec![
                Piece::Marker(0),
                t(0, "Xin "),
                Piece::Marker(1),
                t(0, "chào "),
                Piece::Marker(2),
                t(1, "Bắc "),
                Piece::Marker(3),
                t(1, "Kạn"),
                t(2, "!"),
                Piece::Marker(4),
            ]
        );
    }

    #[test]
    fn several_markers_at_one_place_keep_their_order() {
        let p = interleave(&["abc"], &[(1, 5), (1, 6)]);
        assert_eq!(
            p,
            vec![t(0, "a"), Piece::Marker(5), Piece::Marker(6), t(0, "bc")]
        );
    }

    #[test]
    fn empty_text_still_gets_its_markers() {
        assert_eq!(interleave(&[], &[(0, 1)]), vec![Piece::Marker(1)]);
    }

    fn article() -> Article {
        Article {
            lang: None,
            title: "Tiêu đề".into(),
            date: None,
            author: None,
            lead: None,
            slug: None,
            source_url: None,
            blocks: vec![
                Block::Paragraph {
                    text: Text::plain("Đoạn một, khá dài."),
                },
                Block::Figure(Figure {
                    src: "a.png".into(),
                    alt: Some("Ảnh".into()),
                    caption: Some(Text::plain("Chú thích")),
                    credit: Some("Ảnh: TTXVN".into()),
                    decorative: false,
                    image: None,
                }),
            ],
            origin: None,
        }
    }

    fn page(label: &str, anchor: TextAnchor) -> PageStart {
        PageStart {
            label: label.into(),
            anchor,
        }
    }

    #[test]
    fn anchors_resolve_to_rendered_parts() {
        let a = article();
        let at = |part, offset| TextAnchor::Article {
            article: 0,
            part,
            offset,
        };
        let map = PageMap {
            source: "test".into(),
            pages: vec![
                page("i", TextAnchor::FrontMatter),
                page("1", at(ArticlePart::Title, 0)),
                page("2", at(ArticlePart::Meta, 0)), // no byline: moves to the paragraph
                page("3", at(ArticlePart::Block(0), 10)), // inside ộ of "Đoạn một" (bytes 9..12): floor to 9
                page("4", at(ArticlePart::Caption(1), 99)), // clamped to the end of the caption
                page("5", at(ArticlePart::Block(9), 0)),  // past the end
            ],
        };
        let plan = plan(&map, 1, |_| part_texts(&a, None)).unwrap();
        assert_eq!(plan.front, vec![0]);
        let m = &plan.articles[0];
        assert_eq!(m.part(ArticlePart::Title), &[(0, 1)]);
        assert_eq!(m.part(ArticlePart::Block(0)), &[(0, 2), (9, 3)]);
        let cap = caption_text(match &a.blocks[1] {
            Block::Figure(f) => f,
            _ => unreachable!(),
        })
        .unwrap();
        assert_eq!(cap, "Chú thích Ảnh: TTXVN");
        assert_eq!(m.part(ArticlePart::Caption(1)), &[(cap.len(), 4)]);
        assert_eq!(m.end, vec![5]);
        assert_eq!(plan.markers[0].id, "page-i");
        assert_eq!(plan.markers[3].id, "page-3");
    }

    #[test]
    fn unsafe_or_repeated_labels_get_positional_ids() {
        let map = PageMap {
            source: String::new(),
            pages: vec![
                page("1", TextAnchor::FrontMatter),
                page("1", TextAnchor::FrontMatter),
                page("A 1", TextAnchor::FrontMatter),
            ],
        };
        let ids: Vec<String> = marker_ids(&map).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, vec!["page-1", "page-n2", "page-n3"]);
    }

    #[test]
    fn an_anchor_in_a_missing_article_is_an_error() {
        let map = PageMap {
            source: String::new(),
            pages: vec![page(
                "1",
                TextAnchor::Article {
                    article: 3,
                    part: ArticlePart::Title,
                    offset: 0,
                },
            )],
        };
        assert!(plan(&map, 1, |_| Vec::new()).is_err());
    }
}
