//! Images: checked from their headers, then, per edition, passed through untouched or
//! decoded, turned upright, resampled and re-encoded — once per distinct content and in
//! parallel (rayon).
//!
//! * **Check** ([`probe`](mod@probe)): format, size, EXIF orientation, ICC profile and file structure
//!   from the headers and segments, without decoding JPEG pixels.
//! * **Print** ([`print_size`]): like Acrobat Distiller's default, an image is resampled to
//!   the target resolution (300 ppi, `--image-ppi N`) only when it would print above 1.5×
//!   that resolution at its printed size; `--image-ppi original` keeps every image.
//! * **EPUB** ([`epub_size`]): at most [`EPUB_MAX_PIXELS`] pixels (4 megapixels, what
//!   e-book stores recommend), smaller images pass through.
//! * **Encoding**: a JPEG is re-encoded (quality [`pixels::JPEG_QUALITY`]) only when it is
//!   resampled, turned upright or converted from CMYK; a PNG stays PNG (lossless).
//! * EXIF orientations 2–8 and CMYK JPEGs are always decoded: both editions get upright
//!   RGB (or greyscale) pixels.

pub mod pixels;
pub mod probe;
#[cfg(test)]
pub(crate) mod testdata;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::layout::{Item, Layout};
use crate::model::{Block, ImageData, ImageFormat, Publication};
pub use probe::{Probe, probe};

/// The print resolution images are resampled to by default, in pixels per inch.
pub const DEFAULT_PPI: u32 = 300;
/// Images are resampled only above this multiple of the target resolution (Distiller's
/// default: 450 ppi for a 300 ppi target).
pub const RESAMPLE_ABOVE: f32 = 1.5;
/// Most pixels of an image in the EPUB (4 megapixels).
pub const EPUB_MAX_PIXELS: u64 = 4_000_000;

/// How images are resampled for print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImagePpi {
    /// Resample images above 1.5× this resolution (ppi at their printed size) to it.
    Resample(u32),
    /// Keep every image's pixels.
    Original,
}

impl Default for ImagePpi {
    fn default() -> Self {
        ImagePpi::Resample(DEFAULT_PPI)
    }
}

impl FromStr for ImagePpi {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s.eq_ignore_ascii_case("original") {
            return Ok(ImagePpi::Original);
        }
        match s.trim_end_matches("ppi").parse::<u32>() {
            Ok(n) if (72..=2400).contains(&n) => Ok(ImagePpi::Resample(n)),
            _ => Err(format!(
                "`{s}` is not a resolution: give pixels per inch from 72 to 2400 (e.g. 300), or `original`"
            )),
        }
    }
}

/// The pixel size an image of `displayed` pixels should have to print at `printed_pt`
/// (width, height in points), or `None` to keep its pixels.
pub fn print_size(
    displayed: (u32, u32),
    printed_pt: (f32, f32),
    ppi: ImagePpi,
) -> Option<(u32, u32)> {
    let ImagePpi::Resample(target) = ppi else {
        return None;
    };
    let (w, h) = displayed;
    let inches = printed_pt.0.max(printed_pt.1 * w as f32 / h.max(1) as f32) / 72.0;
    if inches <= 0.0 || !inches.is_finite() {
        return None;
    }
    let actual = w as f32 / inches;
    if actual <= target as f32 * RESAMPLE_ABOVE {
        return None;
    }
    let nw = (inches * target as f32).round().max(1.0) as u32;
    let nh = ((nw as f64) * h as f64 / w as f64).round().max(1.0) as u32;
    Some((nw, nh))
}

/// The pixel size of an image in the EPUB, or `None` to keep it: at most
/// [`EPUB_MAX_PIXELS`], aspect ratio kept.
pub fn epub_size(displayed: (u32, u32)) -> Option<(u32, u32)> {
    let (w, h) = displayed;
    let area = w as u64 * h as u64;
    if area <= EPUB_MAX_PIXELS {
        return None;
    }
    let f = (EPUB_MAX_PIXELS as f64 / area as f64).sqrt();
    Some((
        ((w as f64 * f).floor() as u32).max(1),
        ((h as f64 * f).floor() as u32).max(1),
    ))
}

/// An image ready to embed: the original file, or a decoded, upright, resampled and
/// re-encoded one.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The file bytes to embed.
    pub bytes: Arc<Vec<u8>>,
    /// Their format.
    pub format: ImageFormat,
    /// Width in pixels, upright.
    pub width: u32,
    /// Height in pixels, upright.
    pub height: u32,
    /// Whether the bytes differ from the source file.
    pub changed: bool,
}

/// Prepares one image at `size` (`None`: its own pixel size): the source file when no
/// change is needed, else one decode, orientation, resampling and encoding.
pub fn prepare(img: &ImageData, size: Option<(u32, u32)>) -> std::result::Result<Prepared, String> {
    let mut out = prepare_sizes(img, &[size])?;
    out.pop()
        .ok_or_else(|| "the image was not prepared".to_string())
}

/// Prepares one image at each of `sizes` (`None`: its own pixel size) with at most one
/// decode: the pixels are decoded only when some size needs them (resampling, turning
/// upright, CMYK), resampled from that one decode for each size, encoded, and dropped
/// before this returns. The results are in the order of `sizes`.
pub fn prepare_sizes(
    img: &ImageData,
    sizes: &[Option<(u32, u32)>],
) -> std::result::Result<Vec<Prepared>, String> {
    let probe = probe::probe(&img.bytes, crate::validate::MAX_IMAGE_SIDE)?;
    let displayed = probe.displayed();
    // A size equal to the picture's own is no resampling.
    let resample_to = |size: Option<(u32, u32)>| size.filter(|s| *s != displayed);
    let needs_pixels = |size| resample_to(size).is_some() || probe.needs_pixels();
    let decoded = if sizes.iter().any(|s| needs_pixels(*s)) {
        Some(pixels::decode_upright(&img.bytes, &probe)?)
    } else {
        None
    };
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        let full = match &decoded {
            Some(full) if needs_pixels(size) => full,
            _ => {
                out.push(Prepared {
                    bytes: img.bytes.clone(),
                    format: probe.format,
                    width: displayed.0,
                    height: displayed.1,
                    changed: false,
                });
                continue;
            }
        };
        let resampled;
        let px = match resample_to(size) {
            Some((w, h)) => {
                resampled = pixels::resample(full, w, h)?;
                &resampled
            }
            None => full,
        };
        let bytes = match probe.format {
            ImageFormat::Jpeg => pixels::encode_jpeg(px)?,
            ImageFormat::Png => pixels::encode_png(px)?,
        };
        out.push(Prepared {
            bytes: Arc::new(bytes),
            format: probe.format,
            width: px.width(),
            height: px.height(),
            changed: true,
        });
    }
    Ok(out)
}

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
    why: &str,
) -> Vec<((usize, usize), Diagnostic)> {
    figures
        .iter()
        .map(|&(a, b)| {
            let (file, field) = figure_place(p, a, b);
            (
                (a, b),
                Diagnostic::field(&file, field, format!("the image cannot be embedded: {why}"))
                    .with_hint("re-save the image as a plain PNG or JPEG"),
            )
        })
        .collect()
}

/// The located errors, in figure order, as one input error.
fn input_error(mut diags: Vec<((usize, usize), Diagnostic)>) -> Error {
    diags.sort_by_key(|(at, _)| *at);
    Error::Input(Diagnostics(diags.into_iter().map(|(_, d)| d).collect()))
}

/// The key of an image's content: the loader shares one buffer per distinct content
/// (SHA-256), so its address names the content within one publication.
fn content_key(img: &ImageData) -> usize {
    Arc::as_ptr(&img.bytes) as usize
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

/// Groups an edition's figures by image content: figures sharing one loaded image with
/// different sizes get the largest. Keyed by [`content_key`].
fn group(p: &Publication, wanted: Vec<Wanted>) -> BTreeMap<usize, Group> {
    let mut groups: BTreeMap<usize, Group> = BTreeMap::new();
    for (a, b, size) in wanted {
        let Some(Block::Figure(f)) = p.articles[a].blocks.get(b) else {
            continue;
        };
        let Some(img) = &f.image else { continue };
        let g = groups.entry(content_key(img)).or_insert_with(|| Group {
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

/// What a PDF edition wants: each placed figure (the largest placement counts) at its
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

/// What the EPUB wants: every figure's image, at most [`EPUB_MAX_PIXELS`].
fn epub_wanted(p: &Publication) -> Vec<Wanted> {
    let mut wanted = Vec::new();
    for (a, art) in p.articles.iter().enumerate() {
        for (b, block) in art.blocks.iter().enumerate() {
            if let Block::Figure(f) = block
                && let Some(img) = &f.image
            {
                wanted.push((a, b, epub_size((img.width, img.height))));
            }
        }
    }
    wanted
}

/// What the editions of one build want of each image, collected before any image is
/// prepared, so that [`ImagePlan::prepare`] decodes each distinct content once for all
/// of them.
#[derive(Debug, Default)]
pub struct ImagePlan {
    /// Per content (its [`content_key`]): what is wanted of it.
    wanted: BTreeMap<usize, Planned>,
}

/// One distinct image in an [`ImagePlan`].
#[derive(Debug)]
struct Planned {
    image: ImageData,
    /// The pixel sizes any edition wants (`None`: its own).
    sizes: BTreeSet<Option<(u32, u32)>>,
    /// Every figure showing it, for the errors.
    figures: BTreeSet<(usize, usize)>,
}

impl ImagePlan {
    /// An empty plan.
    pub fn new() -> ImagePlan {
        ImagePlan::default()
    }

    fn add(&mut self, p: &Publication, wanted: Vec<Wanted>) {
        for (key, g) in group(p, wanted) {
            let e = self.wanted.entry(key).or_insert_with(|| Planned {
                image: g.image,
                sizes: BTreeSet::new(),
                figures: BTreeSet::new(),
            });
            e.sizes.insert(g.size);
            e.figures.extend(g.figures);
        }
    }

    /// Adds the images a PDF edition places in `lay`, at their print size for `ppi`.
    pub fn add_print(&mut self, p: &Publication, lay: &Layout, ppi: ImagePpi) {
        self.add(p, print_wanted(p, lay, ppi));
    }

    /// Adds the images of the EPUB (and the talking book, which has the same).
    pub fn add_epub(&mut self, p: &Publication) {
        self.add(p, epub_wanted(p));
    }

    /// Prepares every planned image, each distinct content in one job (at most one
    /// decode, every size from it), in parallel, the largest first. Only the encoded
    /// results are kept. Errors name each figure's file and field.
    pub fn prepare(self, p: &Publication) -> Result<ImageStore> {
        let mut jobs: Vec<_> = self.wanted.into_iter().collect();
        // Largest first, so that the last job to finish is a short one.
        jobs.sort_by_key(|(key, job)| (std::cmp::Reverse(job.image.bytes.len()), *key));
        let results: Vec<_> = jobs
            .par_iter()
            .map(|(_, job)| {
                let sizes: Vec<_> = job.sizes.iter().copied().collect();
                prepare_sizes(&job.image, &sizes).map(|r| (sizes, r))
            })
            .collect();
        let mut prepared = HashMap::new();
        let mut diags = Vec::new();
        let mut decodes = 0;
        for ((key, job), r) in jobs.into_iter().zip(results) {
            match r {
                Ok((sizes, done)) => {
                    decodes += usize::from(done.iter().any(|d| d.changed));
                    for (size, d) in sizes.into_iter().zip(done) {
                        prepared.insert((key, size), (job.image.bytes.clone(), d));
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
            prepared,
            decodes: AtomicUsize::new(decodes),
        })
    }
}

/// An image's content key and a pixel size (`None`: its own).
type StoreKey = (usize, Option<(u32, u32)>);

/// The prepared images of one build, shared by all its editions (the PDFs at every scale,
/// the EPUB, the talking book): made by [`ImagePlan::prepare`], keyed by image content and
/// pixel size. It holds encoded files, never decoded pixels, so a bulletin of hundreds of
/// camera photos keeps only their (small) prepared copies.
#[derive(Debug, Default)]
pub struct ImageStore {
    /// Each prepared image with its source buffer, kept so that the key (the buffer's
    /// address) stays its own and a lookup can check it is the same buffer.
    prepared: HashMap<StoreKey, (Arc<Vec<u8>>, Prepared)>,
    /// Decodes made for this build, by the plan and by any edition that wanted an image
    /// the plan did not foresee.
    decodes: AtomicUsize,
}

impl ImageStore {
    /// How many images were decoded for this build (each distinct content at most once when
    /// the plan covered every edition).
    pub fn decodes(&self) -> usize {
        self.decodes.load(Ordering::Relaxed)
    }

    /// The prepared image of `img` at `size`: from the store, or prepared now (and counted)
    /// when the plan did not include it.
    fn get_or_prepare(
        &self,
        img: &ImageData,
        size: Option<(u32, u32)>,
    ) -> std::result::Result<Prepared, String> {
        if let Some((source, p)) = self.prepared.get(&(content_key(img), size))
            && Arc::ptr_eq(source, &img.bytes)
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
    let mut jobs: Vec<Group> = group(p, wanted).into_values().collect();
    // Largest first, so that the last job to finish is a short one.
    jobs.sort_by_key(|g| (std::cmp::Reverse(g.image.bytes.len()), g.figures[0]));
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

/// The images of a PDF edition laid out as `lay`, keyed by (article, block): each figure at
/// its print size for `ppi` (the largest placement counts); from `store` when given.
pub fn for_print(
    p: &Publication,
    lay: &Layout,
    ppi: ImagePpi,
    store: Option<&ImageStore>,
) -> Result<HashMap<(usize, usize), Prepared>> {
    prepare_all(p, print_wanted(p, lay, ppi), store)
}

/// The images of the EPUB, keyed by (article, block), each at most [`EPUB_MAX_PIXELS`];
/// from `store` when given.
pub fn for_epub(
    p: &Publication,
    store: Option<&ImageStore>,
) -> Result<HashMap<(usize, usize), Prepared>> {
    prepare_all(p, epub_wanted(p), store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ppi_parses() {
        assert_eq!("300".parse::<ImagePpi>(), Ok(ImagePpi::Resample(300)));
        assert_eq!("600ppi".parse::<ImagePpi>(), Ok(ImagePpi::Resample(600)));
        assert_eq!("original".parse::<ImagePpi>(), Ok(ImagePpi::Original));
        assert!("10".parse::<ImagePpi>().is_err());
        assert!("big".parse::<ImagePpi>().is_err());
    }

    #[test]
    fn print_size_follows_distiller() {
        // A5 text width is about 277 pt = 3.85 in.
        let pt = (277.0, 208.0);
        // A portal photo: 1600 px over 3.85 in = 416 ppi, under 450: kept.
        assert_eq!(print_size((1600, 1067), pt, ImagePpi::default()), None);
        // A camera photo: 4000 px = 1040 ppi: resampled to 300 ppi = 1154 px.
        let (w, h) = print_size((4000, 3000), pt, ImagePpi::default()).unwrap();
        assert_eq!(w, 1156);
        assert_eq!(h, 867);
        assert_eq!(print_size((4000, 3000), pt, ImagePpi::Original), None);
        // A higher target keeps more.
        assert_eq!(
            print_size((4000, 3000), pt, ImagePpi::Resample(600))
                .unwrap()
                .0,
            2311
        );
        assert_eq!(
            print_size((4000, 3000), (0.0, 0.0), ImagePpi::default()),
            None
        );
    }

    #[test]
    fn epub_size_caps_the_area() {
        assert_eq!(epub_size((1600, 1067)), None);
        let (w, h) = epub_size((4000, 3000)).unwrap();
        assert!(w as u64 * h as u64 <= EPUB_MAX_PIXELS);
        assert!(w as u64 * h as u64 > EPUB_MAX_PIXELS * 99 / 100);
        assert_eq!((w as f32 / h as f32 * 100.0).round(), 133.0);
    }

    #[test]
    fn untouched_images_pass_through() {
        let bytes = testdata::jpeg_with_exif(64, 48, 1);
        let img = testdata::image_data(bytes.clone());
        let p = prepare(&img, None).unwrap();
        assert!(!p.changed);
        assert_eq!(p.bytes.as_slice(), bytes.as_slice());
    }

    #[test]
    fn orientation_makes_upright_pixels() {
        // The test picture is red on its stored left half and blue on its right: once
        // turned upright, the red half is where each orientation puts the stored left.
        for o in 1..=8u8 {
            let img = testdata::image_data(testdata::jpeg_with_exif(64, 32, o));
            let p = prepare(&img, None).unwrap();
            let px = image::load_from_memory(&p.bytes).unwrap().to_rgb8();
            let want = if o >= 5 { (32, 64) } else { (64, 32) };
            assert_eq!((px.width(), px.height()), want, "orientation {o}");
            // Where the stored left-top pixel ends up (EXIF 1–8).
            let (x, y) = match o {
                1 => (0, 0),
                2 => (63, 0),
                3 => (63, 31),
                4 => (0, 31),
                5 => (0, 0),
                6 => (31, 0),
                7 => (31, 63),
                _ => (0, 63),
            };
            let p = px.get_pixel(x, y);
            assert!(p[0] > 200 && p[2] < 60, "orientation {o}: {p:?} at {x},{y}");
        }
    }

    #[test]
    fn camera_photo_is_resampled_and_reencoded() {
        let img = testdata::image_data(testdata::jpeg_with_exif(1200, 900, 1));
        let p = prepare(&img, Some((300, 225))).unwrap();
        assert!(p.changed);
        assert_eq!((p.width, p.height, p.format), (300, 225, ImageFormat::Jpeg));
        assert!(p.bytes.len() < img.bytes.len());
    }

    #[test]
    fn png_stays_png_with_its_alpha() {
        let img = testdata::image_data(testdata::rgba_png(200, 100));
        let p = prepare(&img, Some((100, 50))).unwrap();
        assert_eq!(p.format, ImageFormat::Png);
        let px = image::load_from_memory(&p.bytes).unwrap();
        assert!(px.color().has_alpha());
        assert_eq!((px.width(), px.height()), (100, 50));
    }

    #[test]
    fn plain_cmyk_is_not_inverted() {
        // CMYK without Adobe's marker, cyan 100 %, magenta 40 %: R 0, G 153, B 255.
        let img = testdata::image_data(testdata::plain_cmyk_jpeg(32, 16));
        let p = prepare(&img, None).unwrap();
        let px = image::load_from_memory(&p.bytes).unwrap().to_rgb8();
        let c = px.get_pixel(16, 8);
        assert!(
            c[0] < 30 && (133..=173).contains(&c[1]) && c[2] > 225,
            "{c:?}"
        );
    }

    #[test]
    fn cmyk_becomes_rgb_with_the_right_colours() {
        // Adobe CMYK (inverted samples), pure cyan: R 0, G 255, B 255.
        let img = testdata::image_data(testdata::cmyk_jpeg(32, 16));
        let p = prepare(&img, None).unwrap();
        assert!(p.changed);
        let px = image::load_from_memory(&p.bytes).unwrap().to_rgb8();
        let c = px.get_pixel(16, 8);
        assert!(c[0] < 30 && c[1] > 225 && c[2] > 225, "{c:?}");
    }
}
