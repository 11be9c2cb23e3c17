//! The structure tree of the PDF (the tagged reading order) and its outline, built from
//! what [`super::pages`] drew for each owner (article part, front-matter part, list label).

use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use krilla::tagging::{BBox, Identifier, ListNumbering, Node, Tag, TagGroup, TagTree};

use crate::layout::{FrontPart, Layout, Owner};
use crate::model::{Block, Publication};
use crate::pagemap::ArticlePart;

/// What goes into the structure tree for one owner, in order.
pub(super) enum Pending {
    Id(Identifier),
    Link { ids: Vec<Identifier>, annot: usize },
}

#[derive(Default)]
pub(super) struct Collector {
    pub(super) nodes: HashMap<Owner, Vec<Pending>>,
    pub(super) annots: Vec<Option<Identifier>>,
}

impl Collector {
    fn take(&mut self, owner: Owner) -> Vec<Node> {
        let mut out = Vec::new();
        for p in self.nodes.remove(&owner).unwrap_or_default() {
            match p {
                Pending::Id(id) => out.push(Node::Leaf(id)),
                Pending::Link { ids, annot } => {
                    let mut g = TagGroup::new(Tag::Link);
                    if let Some(Some(a)) = self.annots.get(annot) {
                        g.push(*a);
                    }
                    for id in ids {
                        g.push(id);
                    }
                    out.push(Node::Group(g));
                }
            }
        }
        out
    }
}

fn group(tag: impl Into<krilla::tagging::TagKind>, children: Vec<Node>) -> Option<TagGroup> {
    (!children.is_empty()).then(|| TagGroup::with_children(tag, children))
}

fn heading(level: u8, title: &str) -> Tag<krilla::tagging::kind::Hn> {
    Tag::Hn(
        NonZeroU16::new(level.clamp(1, 6) as u16).expect("non-zero"),
        Some(title.to_string()),
    )
}

/// The tree in reading order: the bulletin's front matter (a Sect), then an Art per
/// article.
pub(super) fn build_tree(
    p: &Publication,
    lay: &Layout,
    col: &mut Collector,
    figure_boxes: &HashMap<(usize, usize), BBox>,
) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some(p.lang.clone()));
    if lay.pages.iter().any(|pg| pg.front_matter) {
        tree.push(front_matter(p, col));
    }
    for (ai, a) in p.articles.iter().enumerate() {
        let lang = p.article_lang(ai);
        let art_tag = if lang != p.lang {
            Tag::Article.with_lang(Some(lang.to_string()))
        } else {
            Tag::Article
        };
        let mut art = TagGroup::new(art_tag);
        let part = |x| Owner::Article(ai, x);
        if let Some(g) = group(heading(1, &a.title), col.take(part(ArticlePart::Title))) {
            art.push(g);
        }
        for x in [ArticlePart::Meta, ArticlePart::Lead] {
            if let Some(g) = group(Tag::P, col.take(part(x))) {
                art.push(g);
            }
        }
        for (bi, b) in a.blocks.iter().enumerate() {
            if let Some(g) = block(col, figure_boxes, ai, bi, b) {
                art.push(g);
            }
        }
        tree.push(art);
    }
    tree
}

/// A bulletin's title page and contents: Sect → Title, P, H2, TOC → TOCI.
fn front_matter(p: &Publication, col: &mut Collector) -> TagGroup {
    let mut sect = TagGroup::new(Tag::Section);
    if let Some(g) = group(Tag::Title, col.take(Owner::Front(FrontPart::Title))) {
        sect.push(g);
    }
    for part in [FrontPart::Description, FrontPart::Meta] {
        if let Some(g) = group(Tag::P, col.take(Owner::Front(part))) {
            sect.push(g);
        }
    }
    let mut toc = TagGroup::new(Tag::TOC);
    if let Some(g) = group(
        heading(2, crate::labels::for_lang(&p.lang).toc),
        col.take(Owner::Front(FrontPart::TocHeading)),
    ) {
        sect.push(g);
    }
    for i in 0..p.articles.len() {
        if let Some(g) = group(Tag::TOCI, col.take(Owner::Front(FrontPart::TocEntry(i)))) {
            toc.push(g);
        }
    }
    if !toc.children.is_empty() {
        sect.push(toc);
    }
    sect
}

/// The element of block `bi` of article `ai`, if anything of it was drawn.
fn block(
    col: &mut Collector,
    figure_boxes: &HashMap<(usize, usize), BBox>,
    ai: usize,
    bi: usize,
    b: &Block,
) -> Option<TagGroup> {
    let part = |x| Owner::Article(ai, x);
    let own = col.take(part(ArticlePart::Block(bi)));
    match b {
        Block::Paragraph { .. } => group(Tag::P, own),
        Block::Heading { level, text } => group(heading(level.get(), &text.to_plain()), own),
        Block::Quote { .. } => {
            let mut children = Vec::new();
            if let Some(g) = group(Tag::P, own) {
                children.push(Node::Group(g));
            }
            if let Some(g) = group(Tag::P, col.take(part(ArticlePart::Attribution(bi)))) {
                children.push(Node::Group(g));
            }
            group(Tag::BlockQuote, children)
        }
        Block::List { ordered, items } => {
            let numbering = if *ordered {
                ListNumbering::Decimal
            } else {
                ListNumbering::Disc
            };
            let mut list = TagGroup::new(Tag::L(numbering));
            for j in 0..items.len() {
                let mut li = TagGroup::new(Tag::LI);
                if let Some(g) = group(Tag::Lbl, col.take(Owner::ListLabel(ai, bi, j))) {
                    li.push(g);
                }
                if let Some(g) = group(Tag::LBody, col.take(part(ArticlePart::Item(bi, j)))) {
                    li.push(g);
                }
                if !li.children.is_empty() {
                    list.push(li);
                }
            }
            (!list.children.is_empty()).then_some(list)
        }
        Block::Figure(f) => {
            let mut div = TagGroup::new(Tag::Div);
            if !own.is_empty() {
                let alt = f.alt.clone().unwrap_or_default();
                let fig = Tag::Figure(Some(alt)).with_bbox(figure_boxes.get(&(ai, bi)).copied());
                div.push(TagGroup::with_children(fig, own));
            }
            if let Some(g) = group(Tag::Caption, col.take(part(ArticlePart::Caption(bi)))) {
                div.push(g);
            }
            (!div.children.is_empty()).then_some(div)
        }
    }
}

pub(super) fn build_outline(lay: &Layout) -> Outline {
    /// Entries after `*i` deeper than `parent` become children, recursively.
    fn children(
        entries: &[crate::layout::OutlineEntry],
        i: &mut usize,
        parent: u8,
    ) -> Vec<OutlineNode> {
        let mut out = Vec::new();
        while *i < entries.len() && entries[*i].level > parent {
            let e = &entries[*i];
            *i += 1;
            let mut node = OutlineNode::new(
                e.title.clone(),
                XyzDestination::new(e.page, Point::from_xy(0.0, e.y)),
            )
            .with_open(true);
            for c in children(entries, i, e.level) {
                node.push_child(c);
            }
            out.push(node);
        }
        out
    }
    let mut outline = Outline::new();
    let mut i = 0;
    while i < lay.outline.len() {
        for n in children(&lay.outline, &mut i, 0) {
            outline.push_child(n);
        }
    }
    outline
}
