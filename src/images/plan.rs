//! The images of one build: what each edition wants of each distinct image
//! ([`ImagePlan`]), prepared once per content for all of them ([`ImageStore`]), and the
//! figures' images of one edition ([`for_print`], [`screen_images`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::{
    ImagePpi, PrepareError, Prepared, decodes_at, prepare, prepare_sizes, print_size, screen_size,
};
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::images::{Fingerprint, ImageSource};
use crate::layout::{Item, Layout};
use crate::model::{Block, ImageData, ImageFormat, Publication};

/// Where a figure's image came from: the article file and the field of its `src`.
fn figure_place(p: &Publication, article: usize, block: usize) -> (PathBuf, String) {
    match &p.articles[article].origin {
        Some(o) if !o.field.is_empty() => {
            (o.file.clone(), format!("{}.blocks[{block}].src", o.field))
        }
        Some(o) => (o.file.clone(), format!("blocks[{block}].src")),
        None => (
            PathBuf::from("<article>"),
            format!("articles[{article}].blocks[{block}].src"),
        ),
    }
}

/// The error of an image that cannot be prepared, at each figure that shows it.
fn not_embeddable(
    p: &Publication,
    figures: &[(usize, usize)],
    why: &PrepareError,
) -> Vec<((usize, usize), Diagnostic)> {
    figures
        .iter()
        .map(|&(a, b)| {
            let (file, field) = figure_place(p, a, b);
            let diagnostic = match why {
                PrepareError::Image(why) => {
                    Diagnostic::field(&file, field, format!("the image cannot be embedded: {why}"))
                        .with_hint("re-save the image as a plain PNG or JPEG")
                }
                // The image is not at fault: the file was replaced while anpham ran.
                PrepareError::Changed(c) => Diagnostic::field(
                    &file,
                    field,
                    format!(
                        "the image file {} cannot be embedded: {}",
                        c.path.display(),
                        c.what
                    ),
                )
                .with_hint(crate::model::image_source::CHANGED_HINT),
            };
            ((a, b), diagnostic)
        })
        .collect()
}

/// The located errors, in figure order, as one input error.
fn input_error(mut diags: Vec<((usize, usize), Diagnostic)>) -> Error {
    diags.sort_by_key(|(at, _)| *at);
    Error::Input(Diagnostics(diags.into_iter().map(|(_, d)| d).collect()))
}

/// The distinct contents of a publication's images, numbered in figure order. Figures
/// showing one loaded record share a number at once; two records with the same
/// [`Fingerprint`] (the loader made two: equal files loaded at the same time on two
/// threads, or after its cache was cleared) share one when their bytes compare equal. So
/// which figures share an image never depends on how loading went.
#[derive(Debug, Default)]
pub(crate) struct Contents {
    /// Per loaded record ([`ImageSource::identity`]): its content's number.
    by_identity: HashMap<usize, usize>,
}

impl Contents {
    /// Numbers the images of `p`.
    pub(crate) fn of(p: &Publication) -> Contents {
        let mut by_identity = HashMap::new();
        let mut by_fingerprint: HashMap<Fingerprint, Vec<(ImageSource, usize)>> = HashMap::new();
        let mut next = 0;
        for img in p
            .articles
            .iter()
            .flat_map(|a| &a.blocks)
            .filter_map(|b| match b {
                Block::Figure(f) => f.image.as_ref(),
                _ => None,
            })
        {
            let id = img.source.identity();
            if by_identity.contains_key(&id) {
                continue;
            }
            let same = by_fingerprint.entry(img.source.fingerprint()).or_default();
            let known = same
                .iter()
                .find(|(other, _)| other.same_content(&img.source));
            let key = match known {
                Some((_, key)) => *key,
                None => {
                    next += 1;
                    same.push((img.source.clone(), next - 1));
                    next - 1
                }
            };
            by_identity.insert(id, key);
        }
        Contents { by_identity }
    }

    /// The number of `img`'s content, if it is an image of this publication.
    pub(crate) fn key(&self, img: &ImageData) -> Option<usize> {
        self.by_identity.get(&img.source.identity()).copied()
    }
}

/// A figure (article, block) and the pixel size its image should have (`None`: its own).
type Wanted = (usize, usize, Option<(u32, u32)>);

/// One distinct image of one edition: its data, the size wanted, and the figures that
/// show it.
struct Group {
    image: ImageData,
    size: Option<(u32, u32)>,
    figures: Vec<(usize, usize)>,
}

/// [`group`] with the content numbers of `store`, or of `p` when there is no store.
fn group_in(
    p: &Publication,
    store: Option<&ImageStore>,
    wanted: Vec<Wanted>,
) -> BTreeMap<usize, Group> {
    match store {
        Some(s) => group(p, &s.contents, wanted),
        None => group(p, &Contents::of(p), wanted),
    }
}

/// Groups an edition's figures by image content: figures sharing one content with
/// different sizes get the largest. Keyed by the content's number in `contents`.
fn group(p: &Publication, contents: &Contents, wanted: Vec<Wanted>) -> BTreeMap<usize, Group> {
    let mut groups: BTreeMap<usize, Group> = BTreeMap::new();
    for (a, b, size) in wanted {
        let Some(Block::Figure(f)) = p.articles[a].blocks.get(b) else {
            continue;
        };
        let Some(img) = &f.image else { continue };
        let Some(key) = contents.key(img) else {
            continue;
        };
        let g = groups.entry(key).or_insert_with(|| Group {
            image: img.clone(),
            size,
            figures: Vec::new(),
        });
        g.size = match (g.size, size) {
            (Some(x), Some(y)) => Some(if y.0 > x.0 { y } else { x }),
            _ => None,
        };
        g.figures.push((a, b));
    }
    groups
}

/// What a print edition wants: each placed figure (the largest placement counts) at its
/// print size for `ppi`.
fn print_wanted(p: &Publication, lay: &Layout, ppi: ImagePpi) -> Vec<Wanted> {
    let mut largest: BTreeMap<(usize, usize), (f32, f32)> = BTreeMap::new();
    for it in lay.pages.iter().flat_map(|pg| &pg.items) {
        let Item::Image(i) = it else { continue };
        let e = largest
            .entry((i.article, i.block))
            .or_insert((i.width, i.height));
        if i.width > e.0 {
            *e = (i.width, i.height);
        }
    }
    largest
        .into_iter()
        .filter_map(|((a, b), pt)| {
            let Some(Block::Figure(f)) = p.articles[a].blocks.get(b) else {
                return None;
            };
            let img = f.image.as_ref()?;
            Some((a, b, print_size((img.width, img.height), pt, ppi)))
        })
        .collect()
}

/// What a screen edition wants: every figure's image, at most
/// [`SCREEN_MAX_PIXELS`](super::SCREEN_MAX_PIXELS).
fn screen_wanted(p: &Publication) -> Vec<Wanted> {
    let mut wanted = Vec::new();
    for (a, art) in p.articles.iter().enumerate() {
        for (b, block) in art.blocks.iter().enumerate() {
            if let Block::Figure(f) = block
                && let Some(img) = &f.image
            {
                wanted.push((a, b, screen_size((img.width, img.height))));
            }
        }
    }
    wanted
}

/// What the editions of one build want of each image, collected before any image is
/// prepared, so that [`ImagePlan::prepare`] decodes each distinct content once for all
/// of them.
///
/// One exception keeps a camera bulletin's screen edition small in memory: an image that
/// only one screen edition decodes — no print edition needs its pixels — is left out of
/// the store and made by that edition's writer when it reaches it ([`screen_images`]), so
/// that the screen-size copies are not all held at once. Sharing is unchanged: a decode
/// that more than one edition needs is still made once, here.
#[derive(Debug, Default)]
pub struct ImagePlan {
    /// The publication's distinct contents (numbered when the first edition is added).
    contents: Option<Contents>,
    /// Per content (its number in `contents`): what is wanted of it.
    wanted: BTreeMap<usize, Planned>,
    /// How many screen editions were added (each shows every figure at screen size).
    screens: usize,
}

/// One distinct image in an [`ImagePlan`].
#[derive(Debug)]
struct Planned {
    image: ImageData,
    /// The pixel sizes the print editions want (`None`: its own).
    sizes: BTreeSet<Option<(u32, u32)>>,
    /// The size the screen editions want (`None` inside: its own), if any.
    screen: Option<Option<(u32, u32)>>,
    /// Every figure showing it, for the errors.
    figures: BTreeSet<(usize, usize)>,
}

impl Planned {
    /// The sizes to make now: every print size, and the screen size unless only one screen
    /// edition decodes the image (then its writer makes it when it reaches it).
    fn sizes_now(&self, screens: usize) -> Vec<Option<(u32, u32)>> {
        let mut sizes: BTreeSet<_> = self.sizes.clone();
        if let Some(size) = self.screen {
            let shared = self.sizes.iter().any(|s| decodes_at(&self.image, *s));
            if screens > 1 || shared || !decodes_at(&self.image, size) {
                sizes.insert(size);
            }
        }
        sizes.into_iter().collect()
    }
}

impl ImagePlan {
    /// An empty plan.
    pub fn new() -> ImagePlan {
        ImagePlan::default()
    }

    fn add(&mut self, p: &Publication, wanted: Vec<Wanted>, screen: bool) {
        let contents = self.contents.get_or_insert_with(|| Contents::of(p));
        for (key, g) in group(p, contents, wanted) {
            let e = self.wanted.entry(key).or_insert_with(|| Planned {
                image: g.image,
                sizes: BTreeSet::new(),
                screen: None,
                figures: BTreeSet::new(),
            });
            if screen {
                e.screen = Some(g.size);
            } else {
                e.sizes.insert(g.size);
            }
            e.figures.extend(g.figures);
        }
    }

    /// Adds the images a print edition places in `lay`, at their print size for `ppi`.
    pub fn add_print(&mut self, p: &Publication, lay: &Layout, ppi: ImagePpi) {
        self.add(p, print_wanted(p, lay, ppi), false);
    }

    /// Adds the images of a screen edition (every figure, at most
    /// [`SCREEN_MAX_PIXELS`](super::SCREEN_MAX_PIXELS));
    /// call it once per screen edition of the build (they want the same images), so that
    /// two of them share each decode.
    pub fn add_screen(&mut self, p: &Publication) {
        self.screens += 1;
        self.add(p, screen_wanted(p), true);
    }

    /// Prepares every planned image, each distinct content in one job (at most one
    /// decode, every size from it), in parallel, the largest first. Only the encoded
    /// results are kept. Errors name each figure's file and field.
    pub fn prepare(self, p: &Publication) -> Result<ImageStore> {
        let contents = self.contents.unwrap_or_else(|| Contents::of(p));
        let screens = self.screens;
        let mut jobs: Vec<_> = self
            .wanted
            .into_iter()
            .map(|(key, job)| (key, job.sizes_now(screens), job))
            .filter(|(_, sizes, _)| !sizes.is_empty())
            .collect();
        // Largest first, so that the last job to finish is a short one.
        jobs.sort_by_key(|(key, _, job)| (std::cmp::Reverse(job.image.source.len()), *key));
        let results: Vec<_> = jobs
            .par_iter()
            .map(|(_, sizes, job)| prepare_sizes(&job.image, sizes))
            .collect();
        let mut prepared = HashMap::new();
        let mut diags = Vec::new();
        let mut decodes = 0;
        for ((key, sizes, job), r) in jobs.into_iter().zip(results) {
            match r {
                Ok(done) => {
                    decodes += usize::from(done.iter().any(|d| d.changed));
                    for (size, d) in sizes.into_iter().zip(done) {
                        prepared.insert((key, size), d);
                    }
                }
                Err(why) => {
                    let figures: Vec<_> = job.figures.into_iter().collect();
                    diags.extend(not_embeddable(p, &figures, &why));
                }
            }
        }
        if !diags.is_empty() {
            return Err(input_error(diags));
        }
        Ok(ImageStore {
            contents,
            prepared,
            decodes: AtomicUsize::new(decodes),
        })
    }
}

/// An image's content key and a pixel size (`None`: its own).
type StoreKey = (usize, Option<(u32, u32)>);

/// The prepared images of one build, shared by all its editions (the print editions at every scale,
/// the screen editions): made by [`ImagePlan::prepare`], keyed by image content and
/// pixel size. It holds encoded files, never decoded pixels, so a bulletin of hundreds of
/// camera photos keeps only their (small) prepared copies.
#[derive(Debug, Default)]
pub struct ImageStore {
    /// The publication's distinct contents.
    contents: Contents,
    /// Each prepared image: a record of the file when it is passed through, the encoded
    /// bytes when it was resampled or turned.
    prepared: HashMap<StoreKey, Prepared>,
    /// Decodes made for this build, by the plan and by any edition that wanted an image
    /// the plan did not foresee.
    decodes: AtomicUsize,
}

impl ImageStore {
    /// How many images were decoded for this build (each distinct content at most once when
    /// the plan covered every edition).
    #[cfg(test)]
    pub(crate) fn decodes(&self) -> usize {
        self.decodes.load(Ordering::Relaxed)
    }

    /// The prepared image of `img` at `size`: from the store, or prepared now (and counted)
    /// when the plan did not include it.
    fn get_or_prepare(
        &self,
        img: &ImageData,
        size: Option<(u32, u32)>,
    ) -> std::result::Result<Prepared, PrepareError> {
        if let Some(key) = self.contents.key(img)
            && let Some(p) = self.prepared.get(&(key, size))
        {
            return Ok(p.clone());
        }
        let p = prepare(img, size)?;
        if p.changed {
            self.decodes.fetch_add(1, Ordering::Relaxed);
        }
        Ok(p)
    }
}

/// Prepares the images of an edition's figures, each distinct content once, in parallel;
/// from `store` when given.
fn prepare_all(
    p: &Publication,
    wanted: Vec<Wanted>,
    store: Option<&ImageStore>,
) -> Result<HashMap<(usize, usize), Prepared>> {
    let mut jobs: Vec<Group> = group_in(p, store, wanted).into_values().collect();
    // Largest first, so that the last job to finish is a short one.
    jobs.sort_by_key(|g| (std::cmp::Reverse(g.image.source.len()), g.figures[0]));
    let results: Vec<_> = jobs
        .par_iter()
        .map(|g| match store {
            Some(s) => s.get_or_prepare(&g.image, g.size),
            None => prepare(&g.image, g.size),
        })
        .collect();
    let mut out = HashMap::new();
    let mut diags = Vec::new();
    for (g, r) in jobs.iter().zip(results) {
        match r {
            Ok(prepared) => {
                for f in &g.figures {
                    out.insert(*f, prepared.clone());
                }
            }
            Err(why) => diags.extend(not_embeddable(p, &g.figures, &why)),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(input_error(diags))
    }
}

/// The images of a print edition laid out as `lay`, keyed by (article, block): each figure at
/// its print size for `ppi` (the largest placement counts); from `store` when given.
pub fn for_print(
    p: &Publication,
    lay: &Layout,
    ppi: ImagePpi,
    store: Option<&ImageStore>,
) -> Result<HashMap<(usize, usize), Prepared>> {
    prepare_all(p, print_wanted(p, lay, ppi), store)
}

/// One distinct image of a screen edition: ready to copy (its file passed through, or made
/// for the build by [`ImagePlan::prepare`]), or made by [`ScreenImage::make`] when the
/// writer reaches it, so that an edition of camera photos never holds all its resampled
/// copies at once.
#[derive(Debug, Clone)]
pub struct ScreenImage {
    /// The figures showing it, (article, block), in reading order.
    pub figures: Vec<(usize, usize)>,
    /// Its format (that of the loaded image: a JPEG stays JPEG, a PNG PNG).
    pub format: ImageFormat,
    /// Ready, or what to make.
    state: ScreenState,
}

#[derive(Debug, Clone)]
enum ScreenState {
    Ready(ImageSource),
    Later(ImageData, Option<(u32, u32)>),
}

impl ScreenImage {
    /// Whether [`ScreenImage::make`] decodes (and resamples, encodes) the image.
    pub fn is_pending(&self) -> bool {
        matches!(self.state, ScreenState::Later(..))
    }

    /// Where its bytes are: the ready source, or the image made now (counted in `store`'s
    /// [`ImageStore::decodes`]). The error says why; [`not_embeddable_error`] places it.
    pub fn make(
        &self,
        store: Option<&ImageStore>,
    ) -> std::result::Result<ImageSource, PrepareError> {
        match &self.state {
            ScreenState::Ready(source) => Ok(source.clone()),
            ScreenState::Later(img, size) => Ok(match store {
                Some(s) => s.get_or_prepare(img, *size)?.source,
                None => prepare(img, *size)?.source,
            }),
        }
    }
}

/// The error of screen images that could not be made, each why placed at every figure that
/// shows its image (file and field), in figure order.
pub fn not_embeddable_error(p: &Publication, failed: &[(&ScreenImage, PrepareError)]) -> Error {
    input_error(
        failed
            .iter()
            .flat_map(|(img, why)| not_embeddable(p, &img.figures, why))
            .collect(),
    )
}

/// The distinct images of a screen edition in the order of their first figure, each at
/// most [`SCREEN_MAX_PIXELS`](super::SCREEN_MAX_PIXELS): from `store` when it holds them, passed
/// through when no decode is needed, else to be made when written ([`ScreenImage::make`]).
/// Nothing is read or decoded here.
pub fn screen_images(p: &Publication, store: Option<&ImageStore>) -> Vec<ScreenImage> {
    group_in(p, store, screen_wanted(p))
        .into_iter()
        .map(|(key, g)| {
            let stored = store.and_then(|s| s.prepared.get(&(key, g.size)));
            let state = match stored {
                Some(made) => ScreenState::Ready(made.source.clone()),
                None if !decodes_at(&g.image, g.size) => ScreenState::Ready(g.image.source.clone()),
                None => ScreenState::Later(g.image.clone(), g.size),
            };
            ScreenImage {
                figures: g.figures,
                format: g.image.format,
                state,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::editions::{EditionRequest, build};

    /// A photo that must be decoded for the screen editions (EXIF orientation 6: turned upright) and
    /// that changed after loading is named at its figure with the hint to build again,
    /// not the hint to re-save a damaged image.
    #[test]
    fn a_photo_changed_before_its_decode_is_named_with_the_rebuild_hint() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = crate::images::testdata::jpeg_with_exif(40, 30, 6);
        let article = crate::images::testdata::article_with_photo(
            dir.path(),
            "a",
            "Ảnh",
            "Hội trường",
            &bytes,
        );
        let photo = dir.path().join("img/a.jpg");
        let (prepared, _) = crate::input::load_prepared(&[article]).unwrap();
        crate::images::testdata::change_photo(&photo, &bytes);
        let report = build(&prepared, &EditionRequest::new())
            .unwrap_err()
            .report();
        let want = format!(
            "a.md:9:1: the image file {} cannot be embedded: ",
            photo.display()
        );
        assert!(
            report.starts_with("error: ") && report.contains(&want),
            "{report}"
        );
        assert!(
            report.ends_with(crate::model::image_source::CHANGED_HINT),
            "{report}"
        );
        assert!(!report.contains("re-save"), "{report}");
    }
}
