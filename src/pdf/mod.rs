//! The PDF writer: a [`Layout`] → a tagged PDF/UA-1 file, with krilla in validated mode.
//!
//! * Structure tree in reading order: Document → (Sect for a bulletin's title page with
//!   Title, P and TOC/TOCI) → Art per article → H1, P (byline), P (lead), H2–H6, P,
//!   BlockQuote → P, L → LI → Lbl + LBody, Div → Figure (with /Alt and /BBox) + Caption,
//!   Link (with its annotation) inside the paragraph that holds it.
//! * Language: `/Lang` of the publication on the catalog and the Document element; an
//!   article in another language gets its own `/Lang`; foreign spans are marked content
//!   with `/Lang`.
//! * Running headers and page numbers are pagination artifacts; decorative images are
//!   artifacts.
//! * Title in XMP with DisplayDocTitle; an outline of every heading; page labels
//!   (i, ii … for a bulletin's front matter, then 1, 2 …).
//! * Every krilla validation finding is mapped back to the article part that caused it
//!   (`pdf/validation.rs`: each part is drawn with its own krilla `Location`).
//!
//! `docs/pdf-ua.md` lists each PDF/UA-1 rule, where it is enforced and which test shows it.

use std::collections::HashMap;
use std::num::{NonZeroU16, NonZeroU32};
use std::sync::Arc;

use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::{Point, Rect, Size, Transform};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::surface::{Location, Surface};
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag,
    TagGroup, TagTree,
};
use krilla::text::GlyphId;
use krilla::{Document, SerializeSettings};

use crate::error::{Error, Result};
use crate::fonts::FontSet;
use crate::images::{ImagePpi, ImageStore};
use crate::input::PageSizeName;
use crate::layout::{
    FrontPart, GlyphRun, Item, Layout, LayoutOptions, Line, LinkTarget, Owner, PlacedGlyph,
};
use crate::model::{Block, Publication};
use crate::pagemap::{ArticlePart, PageMap};
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::timestamp::Timestamp;

mod images;
mod splice;
mod standard;
mod validation;
pub use standard::PdfStandard;
use validation::{Drawn, Locations};

/// Options for a PDF edition: how to lay it out, and its date.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Font scale.
    pub scale: FontScale,
    /// Page size.
    pub page_size: PageSizeName,
    /// Fonts; the bundled ones for the scale by default.
    pub fonts: FontSet,
    /// Document date (metadata); `None`: [`Timestamp::of_publication`], the same date
    /// the EPUB gets by default.
    pub date: Option<Timestamp>,
    /// Print resolution of images (300 ppi, resampling those above 450, by default).
    pub image_ppi: ImagePpi,
    /// The standards claimed and validated (PDF/A-2a + PDF/UA-1 by default).
    pub standard: PdfStandard,
}

impl PdfOptions {
    /// Defaults for a scale: A5, bundled fonts, the publication's date.
    pub fn new(scale: FontScale) -> PdfOptions {
        PdfOptions {
            scale,
            page_size: PageSizeName::A5,
            fonts: FontSet::bundled(scale.is_large_print()),
            date: None,
            image_ppi: ImagePpi::default(),
            standard: PdfStandard::default(),
        }
    }

    /// How the layout is written: date, images, standards.
    pub fn write_settings(&self) -> WriteSettings {
        WriteSettings {
            date: self.date,
            image_ppi: self.image_ppi,
            standard: self.standard,
            images: None,
        }
    }

    /// The layout these options ask for.
    pub fn layout_options(&self) -> LayoutOptions {
        LayoutOptions {
            scale: self.scale,
            page_size: self.page_size,
            fonts: self.fonts.clone(),
        }
    }
}

/// How a laid-out publication is written (what [`write_pdf`] needs beyond the layout).
#[derive(Debug, Clone, Default)]
pub struct WriteSettings {
    /// Document date (metadata); `None`: [`Timestamp::of_publication`].
    pub date: Option<Timestamp>,
    /// Print resolution of images.
    pub image_ppi: ImagePpi,
    /// The standards claimed and validated.
    pub standard: PdfStandard,
    /// Images already prepared for every edition of the build (see
    /// [`crate::images::ImagePlan`]); `None`: the writer prepares its own.
    pub images: Option<Arc<ImageStore>>,
}

/// A written PDF and what the EPUB needs from it.
#[derive(Debug, Clone)]
pub struct PdfOutput {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Where each page begins in the text.
    pub page_map: PageMap,
    /// Number of pages.
    pub pages: usize,
}

/// Writes a laid-out publication as a tagged PDF/UA-1 (the writer never lays out:
/// [`crate::layout::layout`] made `layout` from the same prepared publication).
pub fn write_pdf(
    publication: &Prepared,
    layout: &Layout,
    settings: &WriteSettings,
) -> Result<PdfOutput> {
    let mut bytes = Vec::new();
    write_pdf_to(publication, layout, settings, &mut bytes)?;
    Ok(PdfOutput {
        bytes,
        pages: layout.pages.len(),
        page_map: layout.page_map.clone(),
    })
}

/// [`write_pdf`] into `out`: krilla's document (with a small stand-in for each JPEG
/// passed through) is streamed into `out` with every stand-in replaced by its image's
/// bytes, read from their file when the image was loaded from one ([`splice`]).
pub fn write_pdf_to(
    publication: &Prepared,
    layout: &Layout,
    settings: &WriteSettings,
    out: &mut impl std::io::Write,
) -> Result<()> {
    let (document, _, locations, splices) = build_document(publication, layout, settings)?;
    let bytes = document
        .finish()
        .map_err(|e| validation::pdf_error(e, publication, layout, &locations))?;
    splice::splice(&bytes, &splices, out).map_err(Error::Pdf)
}

/// The structure tree a laid-out publication's PDF gets, as indented text (for snapshot
/// tests and review).
pub fn structure_tree_dump(publication: &Prepared, layout: &Layout) -> Result<String> {
    let (_, dump, _, _) = build_document(publication, layout, &WriteSettings::default())?;
    Ok(dump)
}

/// What goes into the structure tree for one owner, in order.
enum Pending {
    Id(Identifier),
    Link { ids: Vec<Identifier>, annot: usize },
}

struct Collector {
    nodes: HashMap<Owner, Vec<Pending>>,
    annots: Vec<Option<Identifier>>,
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

fn build_document(
    p: &Prepared,
    lay: &Layout,
    options: &WriteSettings,
) -> Result<(Document, String, Locations, Vec<splice::Splice>)> {
    let configuration = options.standard.configuration().map_err(Error::Pdf)?;
    let mut document = Document::new_with(SerializeSettings {
        configuration,
        ..SerializeSettings::default()
    });
    let date = options
        .date
        .unwrap_or_else(|| Timestamp::of_publication(p.date.as_deref()));
    let mut authors: Vec<String> = Vec::new();
    for a in &p.articles {
        if let Some(au) = &a.author
            && !authors.contains(au)
        {
            authors.push(au.clone());
        }
    }
    let description = p.description.clone().or_else(|| {
        p.articles
            .first()
            .and_then(|a| a.lead.as_ref())
            .map(|l| l.to_plain())
    });
    let created = DateTime::new(date.year())
        .month(date.month())
        .day(date.day())
        .hour(date.hour())
        .minute(date.minute())
        .second(date.second())
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let mut meta = Metadata::new()
        .title(p.title.clone())
        .language(p.lang.clone())
        .creator(format!("anpham {}", env!("CARGO_PKG_VERSION")))
        .creation_date(created);
    if !authors.is_empty() {
        meta = meta.authors(authors);
    }
    if let Some(d) = description {
        meta = meta.description(d);
    }
    if let Some(publ) = &p.publisher {
        meta = meta.keywords(vec![publ.clone()]);
    }
    document.set_metadata(meta);
    if options.standard.embeds_sources() {
        standard::embed_sources(&mut document, p, created)?;
    }

    // Images: one krilla image per distinct content; JPEGs passed through as stand-ins
    // that the real files replace when the PDF is written (images.rs, splice.rs).
    let images::PdfImages {
        by_figure: images,
        splices,
    } = images::pdf_images(p, lay, options)?;

    let mut col = Collector {
        nodes: HashMap::new(),
        annots: Vec::new(),
    };
    // Each part drawn gets a location, so that a validator's finding names it.
    let mut locations = Locations::default();
    let mut figure_boxes: HashMap<(usize, usize), BBox> = HashMap::new();
    let front_count = lay.pages.iter().filter(|pg| pg.front_matter).count();
    for (pi, page) in lay.pages.iter().enumerate() {
        let label = if page.front_matter {
            PageLabel::new(
                Some(NumberingStyle::LowerRoman),
                None,
                NonZeroU32::new(pi as u32 + 1),
            )
        } else {
            PageLabel::new(
                Some(NumberingStyle::Arabic),
                None,
                NonZeroU32::new((pi - front_count) as u32 + 1),
            )
        };
        let settings = PageSettings::from_wh(lay.width, lay.height)
            .ok_or_else(|| Error::Pdf("bad page size".into()))?
            .with_page_label(label);
        let mut pdf_page = document.start_page_with(settings);
        let mut links: Vec<(Rect, LinkTarget, String, usize, Owner)> = Vec::new();
        {
            let mut surface = pdf_page.surface();
            // Furniture first in the content stream; artifacts are outside the tree.
            if let Some(h) = &page.furniture.header {
                let at = locations.of(Drawn::Header);
                draw_line_artifact(&mut surface, h, ArtifactType::Header, at);
            }
            draw_line_artifact(
                &mut surface,
                &page.furniture.page_number,
                ArtifactType::PageNumber,
                locations.of(Drawn::PageNumber),
            );
            for item in &page.items {
                match item {
                    Item::Line(line) => {
                        let at = locations.of(Drawn::Part(line.owner));
                        draw_line(&mut surface, line, &mut col, &mut links, at)
                    }
                    Item::Image(img) => {
                        let owner = Owner::Article(img.article, ArticlePart::Block(img.block));
                        surface.set_location(locations.of(Drawn::Part(owner)));
                        let Some(image) = images.get(&(img.article, img.block)) else {
                            continue;
                        };
                        let decorative = matches!(
                            p.articles[img.article].blocks.get(img.block),
                            Some(Block::Figure(f)) if f.decorative
                        );
                        let tag = if decorative {
                            ContentTag::Artifact(Artifact::with_kind(ArtifactType::Other))
                        } else {
                            ContentTag::Other
                        };
                        let id = surface.start_tagged(tag);
                        surface.push_transform(&Transform::from_translate(img.x, img.y));
                        if let Some(size) = Size::from_wh(img.width, img.height) {
                            surface.draw_image(image.clone(), size);
                        }
                        surface.pop();
                        surface.end_tagged();
                        if !decorative {
                            col.nodes
                                .entry(Owner::Article(img.article, ArticlePart::Block(img.block)))
                                .or_default()
                                .push(Pending::Id(id));
                            if let Some(r) = Rect::from_xywh(img.x, img.y, img.width, img.height) {
                                figure_boxes.insert((img.article, img.block), BBox::new(pi, r));
                            }
                        }
                    }
                }
            }
            surface.finish();
        }
        for (rect, target, alt, slot, owner) in links {
            let target = match target {
                LinkTarget::Uri(u) => Target::Action(Action::Link(LinkAction::new(u))),
                LinkTarget::Page(page_index, y) => Target::Destination(
                    XyzDestination::new(page_index, Point::from_xy(0.0, y)).into(),
                ),
            };
            let id = pdf_page.add_tagged_annotation(
                Annotation::new_link(LinkAnnotation::new(rect, target), Some(alt))
                    .with_location(Some(locations.of(Drawn::Link(owner)))),
            );
            if col.annots.len() <= slot {
                col.annots.resize(slot + 1, None);
            }
            col.annots[slot] = Some(id);
        }
        pdf_page.finish();
    }

    let tree = build_tree(p, lay, &mut col, &figure_boxes);
    let dump = {
        use krilla::tagging::fmt::Output;
        tree.display().to_string()
    };
    document.set_tag_tree(tree);
    document.set_outline(build_outline(lay));
    Ok((document, dump, locations, splices))
}

/// The run's glyphs for krilla, each carrying the location of the part it belongs to
/// (krilla's glyph checks report it: [`validation`]).
fn to_krilla_glyphs(run: &GlyphRun, location: Location) -> Vec<krilla::text::KrillaGlyph> {
    run.glyphs
        .iter()
        .map(|g: &PlacedGlyph| {
            krilla::text::KrillaGlyph::new(
                GlyphId::new(g.id),
                g.x_advance,
                g.x_offset,
                g.y_offset,
                0.0,
                g.text.clone(),
                Some(location),
            )
        })
        .collect()
}

fn draw_run(surface: &mut Surface<'_>, run: &GlyphRun, baseline: f32, location: Location) {
    surface.set_location(location);
    surface.draw_glyphs(
        Point::from_xy(run.x, baseline),
        &to_krilla_glyphs(run, location),
        run.face.krilla.clone(),
        &run.text,
        run.size,
        false,
    );
}

fn draw_line_artifact(
    surface: &mut Surface<'_>,
    line: &Line,
    kind: ArtifactType,
    location: Location,
) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    for run in &line.runs {
        draw_run(surface, run, line.baseline, location);
    }
    surface.end_tagged();
}

fn draw_line(
    surface: &mut Surface<'_>,
    line: &Line,
    col: &mut Collector,
    links: &mut Vec<(Rect, LinkTarget, String, usize, Owner)>,
    location: Location,
) {
    for run in &line.runs {
        let id = surface.start_tagged(ContentTag::Span(
            SpanTag::empty().with_lang(run.lang.as_deref()),
        ));
        draw_run(surface, run, line.baseline, location);
        surface.end_tagged();
        let entry = col.nodes.entry(line.owner).or_default();
        match &run.link {
            None => entry.push(Pending::Id(id)),
            Some(target) => {
                let slot = col.annots.len();
                col.annots.push(None);
                let rect = Rect::from_ltrb(
                    run.x,
                    line.baseline - line.ascent,
                    run.x + run.width.max(1.0),
                    line.baseline + line.descent,
                );
                let alt = match target {
                    LinkTarget::Uri(u) => format!("{} ({u})", run.text.trim()),
                    LinkTarget::Page(..) => run.text.trim().to_string(),
                };
                if let Some(rect) = rect {
                    links.push((rect, target.clone(), alt, slot, line.owner));
                }
                entry.push(Pending::Link {
                    ids: vec![id],
                    annot: slot,
                });
            }
        }
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

fn build_tree(
    p: &Publication,
    lay: &Layout,
    col: &mut Collector,
    figure_boxes: &HashMap<(usize, usize), BBox>,
) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some(p.lang.clone()));
    if lay.pages.iter().any(|pg| pg.front_matter) {
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
        tree.push(sect);
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
            let own = col.take(part(ArticlePart::Block(bi)));
            match b {
                Block::Paragraph { .. } => {
                    if let Some(g) = group(Tag::P, own) {
                        art.push(g);
                    }
                }
                Block::Heading { level, text } => {
                    if let Some(g) = group(heading(level.get(), &text.to_plain()), own) {
                        art.push(g);
                    }
                }
                Block::Quote { .. } => {
                    let mut children = Vec::new();
                    if let Some(g) = group(Tag::P, own) {
                        children.push(Node::Group(g));
                    }
                    if let Some(g) = group(Tag::P, col.take(part(ArticlePart::Attribution(bi)))) {
                        children.push(Node::Group(g));
                    }
                    if let Some(g) = group(Tag::BlockQuote, children) {
                        art.push(g);
                    }
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
                        if let Some(g) = group(Tag::LBody, col.take(part(ArticlePart::Item(bi, j))))
                        {
                            li.push(g);
                        }
                        if !li.children.is_empty() {
                            list.push(li);
                        }
                    }
                    if !list.children.is_empty() {
                        art.push(list);
                    }
                }
                Block::Figure(f) => {
                    let mut div = TagGroup::new(Tag::Div);
                    if !own.is_empty() {
                        let alt = f.alt.clone().unwrap_or_default();
                        let fig =
                            Tag::Figure(Some(alt)).with_bbox(figure_boxes.get(&(ai, bi)).copied());
                        div.push(TagGroup::with_children(fig, own));
                    }
                    if let Some(g) = group(Tag::Caption, col.take(part(ArticlePart::Caption(bi)))) {
                        div.push(g);
                    }
                    if !div.children.is_empty() {
                        art.push(div);
                    }
                }
            }
        }
        tree.push(art);
    }
    tree
}

fn build_outline(lay: &Layout) -> Outline {
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
