//! Drawing the laid-out pages with krilla, in page order: page labels, running headers and
//! page numbers as artifacts, tagged spans of glyphs (each with the location of its article
//! part), figures, and link annotations. The lines of one part that follow each other on a
//! page share one marked-content sequence ([`OpenSpan`]): the realistic bulletin's 14,437
//! spans (one per line) became 2,715, and its cross-page content references 8,712 → 1,068.
//! What each drawn piece is in the structure tree is collected for
//! [`super::tags::build_tree`].

use std::collections::HashMap;
use std::num::NonZeroU32;

use krilla::Document;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::page::{NumberingStyle, PageLabel, PageSettings};
use krilla::paint::Fill;
use krilla::surface::{Location, Surface};
use krilla::tagging::{Artifact, ArtifactType, BBox, ContentTag, SpanTag};
use krilla::text::GlyphId;

use super::tags::{Collector, Pending};
use super::validation::{Drawn, Locations};
use crate::error::Result;
use crate::layout::{
    GlyphRun, Item, Layout, Line, LinkTarget, Owner, Page, PlacedGlyph, PlacedImage,
};
use crate::model::Block;
use crate::pagemap::ArticlePart;
use crate::prepare::Prepared;

/// A link drawn on a page, annotated once the page's content is drawn: its area, target,
/// text alternative, slot in [`Collector::annots`] and owner.
type PendingLink = (Rect, LinkTarget, String, usize, Owner);

/// The figures' bounding boxes (for `/BBox` in the tree), by (article, block).
pub(super) type FigureBoxes = HashMap<(usize, usize), BBox>;

/// Draws every page of `lay` into `document`.
pub(super) fn draw_pages(
    document: &mut Document,
    p: &Prepared,
    lay: &Layout,
    images: &HashMap<(usize, usize), Image>,
    col: &mut Collector,
    locations: &mut Locations,
) -> Result<FigureBoxes> {
    let mut figure_boxes = FigureBoxes::new();
    let front_count = lay.pages.iter().filter(|pg| pg.front_matter).count();
    for (pi, page) in lay.pages.iter().enumerate() {
        // Front matter is numbered i, ii, …; the articles' pages from 1.
        let (style, number) = if page.front_matter {
            (NumberingStyle::LowerRoman, pi + 1)
        } else {
            (NumberingStyle::Arabic, pi - front_count + 1)
        };
        let label = PageLabel::new(Some(style), None, NonZeroU32::new(number as u32));
        let settings = PageSettings::from_wh(lay.width, lay.height)
            .ok_or_else(|| crate::pdf::error("bad page size"))?
            .with_page_label(label);
        let mut pdf_page = document.start_page_with(settings);
        let mut links: Vec<PendingLink> = Vec::new();
        {
            let mut surface = pdf_page.surface();
            let mut page_drawer = PageDrawer {
                p,
                images,
                col: &mut *col,
                links: &mut links,
                locations: &mut *locations,
                figure_boxes: &mut figure_boxes,
                page_index: pi,
                open: None,
            };
            page_drawer.draw(&mut surface, page);
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
    Ok(figure_boxes)
}

/// What drawing one page's content needs and adds to.
struct PageDrawer<'a> {
    p: &'a Prepared,
    images: &'a HashMap<(usize, usize), Image>,
    col: &'a mut Collector,
    links: &'a mut Vec<PendingLink>,
    locations: &'a mut Locations,
    figure_boxes: &'a mut FigureBoxes,
    page_index: usize,
    /// The tagged span still open on this page, if any.
    open: Option<OpenSpan>,
}

/// A marked-content sequence left open so that the next line can continue it: the part it
/// belongs to and its language. A link, an image, another part or another language
/// closes it; so does the end of the page.
#[derive(Debug)]
struct OpenSpan {
    owner: Owner,
    lang: Option<String>,
}

impl PageDrawer<'_> {
    /// Furniture first in the content stream (artifacts are outside the tree), then the
    /// items in order.
    fn draw(&mut self, surface: &mut Surface<'_>, page: &Page) {
        if let Some(h) = &page.furniture.header {
            let at = self.locations.of(Drawn::Header);
            draw_line_artifact(surface, h, ArtifactType::Header, at);
        }
        draw_line_artifact(
            surface,
            &page.furniture.page_number,
            ArtifactType::PageNumber,
            self.locations.of(Drawn::PageNumber),
        );
        for &y in &page.separators {
            draw_separator(surface, page.area, y);
        }
        for item in &page.items {
            match item {
                Item::Line(line) => self.draw_line(surface, line),
                Item::Image(img) => {
                    self.close_span(surface);
                    self.draw_image(surface, img)
                }
            }
        }
        self.close_span(surface);
    }

    /// Ends the open span, if any.
    fn close_span(&mut self, surface: &mut Surface<'_>) {
        if self.open.take().is_some() {
            surface.end_tagged();
        }
    }

    /// A line's runs: plain runs continue the open span of the same part and language
    /// (or open one, a leaf of the part in the tree); a link run is a span of its own,
    /// inside a Link element with its annotation.
    fn draw_line(&mut self, surface: &mut Surface<'_>, line: &Line) {
        let location = self.locations.of(Drawn::Part(line.owner));
        for run in &line.runs {
            let continues = run.link.is_none()
                && self
                    .open
                    .as_ref()
                    .is_some_and(|o| o.owner == line.owner && o.lang == run.lang);
            if continues {
                draw_run(surface, run, line.baseline, location);
                continue;
            }
            self.close_span(surface);
            let id = surface.start_tagged(ContentTag::Span(
                SpanTag::empty().with_lang(run.lang.as_deref()),
            ));
            draw_run(surface, run, line.baseline, location);
            let entry = self.col.nodes.entry(line.owner).or_default();
            let Some(target) = &run.link else {
                entry.push(Pending::Id(id));
                self.open = Some(OpenSpan {
                    owner: line.owner,
                    lang: run.lang.clone(),
                });
                continue;
            };
            surface.end_tagged();
            let slot = self.col.annots.len();
            self.col.annots.push(None);
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
                self.links
                    .push((rect, target.clone(), alt, slot, line.owner));
            }
            entry.push(Pending::Link {
                ids: vec![id],
                annot: slot,
            });
        }
    }

    /// A figure's image: tagged content in the tree, or an artifact when decorative.
    fn draw_image(&mut self, surface: &mut Surface<'_>, img: &PlacedImage) {
        let owner = Owner::Article(img.article, ArticlePart::Block(img.block));
        surface.set_location(self.locations.of(Drawn::Part(owner)));
        let Some(image) = self.images.get(&(img.article, img.block)) else {
            return;
        };
        let decorative = matches!(
            self.p.articles[img.article].blocks.get(img.block),
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
            self.col
                .nodes
                .entry(owner)
                .or_default()
                .push(Pending::Id(id));
            if let Some(r) = Rect::from_xywh(img.x, img.y, img.width, img.height) {
                self.figure_boxes
                    .insert((img.article, img.block), BBox::new(self.page_index, r));
            }
        }
    }
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

/// A rule across the text area `area` whose top is at `y`: the separator between two
/// articles on one page, an artifact (it is not read).
fn draw_separator(surface: &mut Surface<'_>, area: [f32; 4], y: f32) {
    let mut pb = PathBuilder::new();
    let (left, right, bottom) = (area[0], area[2], y + crate::layout::SEPARATOR_PT);
    pb.move_to(left, y);
    pb.line_to(right, y);
    pb.line_to(right, bottom);
    pb.line_to(left, bottom);
    pb.close();
    let Some(path) = pb.finish() else {
        return;
    };
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
        ArtifactType::Layout,
    )));
    surface.set_fill(Some(Fill::default()));
    surface.draw_path(&path);
    surface.end_tagged();
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
