//! Images: checked from their headers, then, per edition, passed through untouched or
//! decoded, turned upright, resampled and re-encoded — once per distinct content and in
//! parallel (rayon).
//!
//! * **Check** ([`probe`](mod@probe)): format, size, EXIF orientation, ICC profile and file structure
//!   from the headers and segments, without decoding JPEG pixels.
//! * **Print** ([`print_size`]): like Acrobat Distiller's default, an image is resampled to
//!   the target resolution (300 ppi, `--image-ppi N`) only when it would print above 1.5×
//!   that resolution at its printed size; `--image-ppi original` keeps every image.
//! * **Screen** ([`screen_size`]): the editions read on a screen (e-book, narrated e-book,
//!   web page) take at most [`SCREEN_MAX_PIXELS`] pixels (4 megapixels, what e-book stores
//!   recommend); smaller images pass through.
//! * **Encoding**: a JPEG is re-encoded (quality [`pixels::JPEG_QUALITY`]) only when it is
//!   resampled, turned upright or converted from CMYK; a PNG stays PNG (lossless).
//! * EXIF orientations 2–8 and CMYK JPEGs are always decoded: print and screen get upright
//!   RGB (or greyscale) pixels.

pub(crate) mod jpeg;
pub mod pixels;
mod plan;
pub mod probe;
#[cfg(test)]
pub(crate) mod testdata;

use std::str::FromStr;

pub(crate) use crate::model::{Fingerprint, ImageFile, ImageSource};
use crate::model::{ImageData, ImageFormat};
pub use plan::{
    ImagePlan, ImageStore, ScreenImage, for_print, not_embeddable_error, screen_images,
};
pub use probe::probe;

/// Largest image file read, in bytes (32 MiB).
pub const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;
/// Largest image side, in pixels, read from the header before any decoding.
pub const MAX_IMAGE_SIDE: u32 = 16_384;
/// Largest image area, in pixels (64 megapixels).
pub const MAX_IMAGE_PIXELS: u64 = 64 * 1024 * 1024;

/// The print resolution images are resampled to by default, in pixels per inch.
pub const DEFAULT_PPI: u32 = 300;
/// Images are resampled only above this multiple of the target resolution (Distiller's
/// default: 450 ppi for a 300 ppi target).
pub const RESAMPLE_ABOVE: f32 = 1.5;
/// Most pixels of an image in an edition read on a screen (4 megapixels).
pub const SCREEN_MAX_PIXELS: u64 = 4_000_000;

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

/// The pixel size of an image in an edition read on a screen, or `None` to keep it: at most
/// [`SCREEN_MAX_PIXELS`], aspect ratio kept.
pub fn screen_size(displayed: (u32, u32)) -> Option<(u32, u32)> {
    let (w, h) = displayed;
    let area = w as u64 * h as u64;
    if area <= SCREEN_MAX_PIXELS {
        return None;
    }
    let f = (SCREEN_MAX_PIXELS as f64 / area as f64).sqrt();
    Some((
        ((w as f64 * f).floor() as u32).max(1),
        ((h as f64 * f).floor() as u32).max(1),
    ))
}

/// An image ready to embed: the original (its file, read when it is embedded), or a
/// decoded, upright, resampled and re-encoded one (in memory).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Where the bytes to embed are.
    pub source: ImageSource,
    /// Their format.
    pub format: ImageFormat,
    /// Whether the bytes differ from the source file.
    pub changed: bool,
}

/// Whether preparing `img` at `size` (`None`: its own pixel size) decodes it: to resample
/// it (a size other than its own), or because every edition needs its pixels (EXIF
/// orientation, CMYK; known from the check at load time).
pub fn decodes_at(img: &ImageData, size: Option<(u32, u32)>) -> bool {
    size.is_some_and(|s| s != (img.width, img.height)) || img.needs_pixels
}

/// Why an image could not be prepared.
#[derive(Debug, Clone)]
pub enum PrepareError {
    /// Its file is no longer what was checked when it was loaded, or cannot be read again.
    Changed(crate::model::image_source::Changed),
    /// Its pixels could not be decoded, resampled or encoded (why).
    Image(String),
}

impl From<String> for PrepareError {
    fn from(why: String) -> PrepareError {
        PrepareError::Image(why)
    }
}

impl From<crate::model::image_source::Changed> for PrepareError {
    fn from(c: crate::model::image_source::Changed) -> PrepareError {
        PrepareError::Changed(c)
    }
}

/// Prepares one image at `size` (`None`: its own pixel size): the source file when no
/// change is needed, else one decode, orientation, resampling and encoding.
pub fn prepare(
    img: &ImageData,
    size: Option<(u32, u32)>,
) -> std::result::Result<Prepared, PrepareError> {
    let mut out = prepare_sizes(img, &[size])?;
    out.pop()
        .ok_or_else(|| PrepareError::Image("the image was not prepared".into()))
}

/// Prepares one image at each of `sizes` (`None`: its own pixel size) with at most one
/// decode: the file is read and its pixels decoded only when some size needs them
/// (resampling, turning upright, CMYK; known from the check at load time, so an image
/// passed through is neither read nor probed again), resampled from that one decode for
/// each size, encoded, and dropped before this returns. The results are in the order of
/// `sizes`.
pub fn prepare_sizes(
    img: &ImageData,
    sizes: &[Option<(u32, u32)>],
) -> std::result::Result<Vec<Prepared>, PrepareError> {
    let displayed = (img.width, img.height);
    // A size equal to the picture's own is no resampling.
    let resample_to = |size: Option<(u32, u32)>| size.filter(|s| *s != displayed);
    let needs_pixels = |size| decodes_at(img, size);
    let decoded = if sizes.iter().any(|s| needs_pixels(*s)) {
        let bytes = img.source.read_checked()?;
        let probe = probe::probe(&bytes, MAX_IMAGE_SIDE)?;
        Some(pixels::decode_upright(&bytes, &probe)?)
    } else {
        None
    };
    let mut out = Vec::with_capacity(sizes.len());
    for &size in sizes {
        let full = match &decoded {
            Some(full) if needs_pixels(size) => full,
            _ => {
                out.push(Prepared {
                    source: img.source.clone(),
                    format: img.format,
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
        let bytes = match img.format {
            ImageFormat::Jpeg => pixels::encode_jpeg(px)?,
            ImageFormat::Png => pixels::encode_png(px)?,
        };
        out.push(Prepared {
            source: ImageSource::memory(bytes),
            format: img.format,
            changed: true,
        });
    }
    Ok(out)
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
    fn screen_size_caps_the_area() {
        assert_eq!(screen_size((1600, 1067)), None);
        let (w, h) = screen_size((4000, 3000)).unwrap();
        assert!(w as u64 * h as u64 <= SCREEN_MAX_PIXELS);
        assert!(w as u64 * h as u64 > SCREEN_MAX_PIXELS * 99 / 100);
        assert_eq!((w as f32 / h as f32 * 100.0).round(), 133.0);
    }

    #[test]
    fn untouched_images_pass_through() {
        let bytes = testdata::jpeg_with_exif(64, 48, 1);
        let img = testdata::image_data(bytes.clone());
        let p = prepare(&img, None).unwrap();
        assert!(!p.changed);
        assert_eq!(p.source.read().unwrap().as_ref(), bytes.as_slice());
    }

    #[test]
    fn orientation_makes_upright_pixels() {
        // The test picture is red on its stored left half and blue on its right: once
        // turned upright, the red half is where each orientation puts the stored left.
        for o in 1..=8u8 {
            let img = testdata::image_data(testdata::jpeg_with_exif(64, 32, o));
            let p = prepare(&img, None).unwrap();
            let px = image::load_from_memory(&p.source.read().unwrap())
                .unwrap()
                .to_rgb8();
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
        let bytes = p.source.read().unwrap();
        let probe = probe::probe(&bytes, MAX_IMAGE_SIDE).unwrap();
        let size = (probe.stored_width, probe.stored_height);
        assert_eq!((size, p.format), ((300, 225), ImageFormat::Jpeg));
        assert!(p.source.len() < img.source.len());
    }

    #[test]
    fn png_stays_png_with_its_alpha() {
        let img = testdata::image_data(testdata::rgba_png(200, 100));
        let p = prepare(&img, Some((100, 50))).unwrap();
        assert_eq!(p.format, ImageFormat::Png);
        let px = image::load_from_memory(&p.source.read().unwrap()).unwrap();
        assert!(px.color().has_alpha());
        assert_eq!((px.width(), px.height()), (100, 50));
    }

    #[test]
    fn plain_cmyk_is_not_inverted() {
        // CMYK without Adobe's marker, cyan 100 %, magenta 40 %: R 0, G 153, B 255.
        let img = testdata::image_data(testdata::plain_cmyk_jpeg(32, 16));
        let p = prepare(&img, None).unwrap();
        let px = image::load_from_memory(&p.source.read().unwrap())
            .unwrap()
            .to_rgb8();
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
        let px = image::load_from_memory(&p.source.read().unwrap())
            .unwrap()
            .to_rgb8();
        let c = px.get_pixel(16, 8);
        assert!(c[0] < 30 && c[1] > 225 && c[2] > 225, "{c:?}");
    }
}
