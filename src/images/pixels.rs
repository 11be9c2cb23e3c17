//! Decoding, turning upright, resampling and encoding pixels, with maintained crates:
//! zune-jpeg (JPEG, including progressive, greyscale, CMYK and Adobe YCCK), `image`'s PNG
//! decoder (palette, greyscale, 16-bit, alpha, interlaced), `fast_image_resize` (Lanczos3,
//! SIMD), `jpeg-encoder` and `image`'s PNG encoder.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, GrayImage, RgbImage};

use super::probe::Probe;
use crate::model::ImageFormat;

/// Quality of the JPEGs anpham writes when it resamples or turns a JPEG (libjpeg's scale,
/// 1–100): 85 is visually lossless for photos at print resolution and keeps a 300 ppi A5
/// photo near 200 KB.
pub const JPEG_QUALITY: u8 = 85;

/// Most bytes a decoded image may take (64 megapixels of 16-bit RGBA).
const MAX_DECODED_BYTES: u64 = 64 * 1024 * 1024 * 8;

/// Decodes a whole image and applies its EXIF orientation.
pub fn decode_upright(bytes: &[u8], probe: &Probe) -> Result<DynamicImage, String> {
    #[cfg(test)]
    decode_counter::count(bytes);
    let mut img = match probe.format {
        ImageFormat::Jpeg => decode_jpeg(bytes, probe)?,
        ImageFormat::Png => {
            let mut reader = image::ImageReader::with_format(
                std::io::Cursor::new(bytes),
                image::ImageFormat::Png,
            );
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(MAX_DECODED_BYTES);
            reader.limits(limits);
            reader
                .decode()
                .map_err(|e| format!("the PNG decoder refuses it ({e})"))?
        }
    };
    if let Some(o) = Orientation::from_exif(probe.orientation) {
        img.apply_orientation(o);
    }
    Ok(img)
}

/// A JPEG to 8-bit greyscale or RGB. CMYK and YCCK with Adobe's APP14 marker are
/// converted as Adobe writes them, with inverted samples (zune-jpeg does the conversion);
/// a CMYK JPEG without the marker holds plain ink amounts ([`plain_cmyk_to_rgb`]).
/// No colour management: the naive conversion every browser without a CMYK profile makes.
fn decode_jpeg(bytes: &[u8], probe: &Probe) -> Result<DynamicImage, String> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    let grey = probe.jpeg_components == 1;
    let plain_cmyk = probe.jpeg_components == 4 && !probe.jpeg_adobe;
    let options = zune_jpeg::zune_core::options::DecoderOptions::default()
        .set_max_width(probe.stored_width as usize)
        .set_max_height(probe.stored_height as usize)
        .jpeg_set_out_colorspace(if grey {
            ColorSpace::Luma
        } else if plain_cmyk {
            ColorSpace::CMYK
        } else {
            ColorSpace::RGB
        });
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    let data = decoder
        .decode()
        .map_err(|e| format!("the JPEG decoder refuses it ({e})"))?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| "the JPEG has no frame header".to_string())?;
    let (w, h) = (w as u32, h as u32);
    let short = || "the JPEG decoder returned fewer pixels than the header declares".to_string();
    if plain_cmyk && data.len() != w as usize * h as usize * 4 {
        return Err(short());
    }
    let data = if plain_cmyk {
        plain_cmyk_to_rgb(&data)
    } else {
        data
    };
    Ok(if grey {
        DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, data).ok_or_else(short)?)
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, data).ok_or_else(short)?)
    })
}

/// Plain CMYK samples (ink amounts, 0 = none) to RGB: each channel is what its
/// complementary ink and black leave of the paper, `(255 − C) × (255 − K) / 255`, rounded.
fn plain_cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    let leave = |ink: u8, k: u8| ((255 - ink as u32) * (255 - k as u32) + 127) / 255;
    cmyk.chunks_exact(4)
        .flat_map(|p| [leave(p[0], p[3]), leave(p[1], p[3]), leave(p[2], p[3])].map(|v| v as u8))
        .collect()
}

/// Resamples to `width` × `height`: nearest-neighbour down to twice the target size, then
/// Lanczos3 (fast_image_resize's super-sampling; alpha premultiplied while filtering). A
/// 4000 × 3000 photo to 300 ppi at A5 width costs a quarter of a plain Lanczos3 pass.
pub fn resample(img: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, String> {
    let mut dst = DynamicImage::new(width.max(1), height.max(1), img.color());
    Resizer::new()
        .resize(
            img,
            &mut dst,
            &ResizeOptions::new().resize_alg(ResizeAlg::SuperSampling(FilterType::Lanczos3, 2)),
        )
        .map_err(|e| format!("the image could not be resampled ({e})"))?;
    Ok(dst)
}

/// Encodes a picture as a baseline JPEG at [`JPEG_QUALITY`] (greyscale stays greyscale).
pub fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let (w, h) = (img.width(), img.height());
    let too_big = |_| "the image is too large to encode as JPEG".to_string();
    let (w16, h16) = (
        u16::try_from(w).map_err(too_big)?,
        u16::try_from(h).map_err(too_big)?,
    );
    let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    let result = match img {
        DynamicImage::ImageLuma8(g) => {
            encoder.encode(g.as_raw(), w16, h16, jpeg_encoder::ColorType::Luma)
        }
        // Already RGB (a resampled photo): no copy (12 MB for a 4-megapixel image).
        DynamicImage::ImageRgb8(rgb) => {
            encoder.encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
        }
        other => {
            let rgb = other.to_rgb8();
            encoder.encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
        }
    };
    result.map_err(|e| format!("the JPEG encoder failed ({e})"))?;
    Ok(out)
}

/// Encodes a picture as PNG, keeping its colour type and depth (lossless).
pub fn encode_png(img: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        .map_err(|e| format!("the PNG encoder failed ({e})"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cmyk_leaves_what_the_inks_do_not_cover() {
        // No ink: white; full black: black; cyan 100 %, magenta 40 %; yellow with 20 % black.
        let rgb = plain_cmyk_to_rgb(&[0, 0, 0, 0, 0, 0, 0, 255, 255, 102, 0, 0, 0, 0, 255, 51]);
        assert_eq!(rgb, [255, 255, 255, 0, 0, 0, 0, 153, 255, 204, 204, 0]);
    }
}

/// Unit tests count decodes per source content (tests run in parallel, so a global count
/// would mix theirs; each test's image has its own bytes).
#[cfg(test)]
pub(crate) mod decode_counter {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use sha2::{Digest, Sha256};

    static DECODES: Mutex<Option<HashMap<[u8; 32], usize>>> = Mutex::new(None);

    pub(super) fn count(bytes: &[u8]) {
        let key: [u8; 32] = Sha256::digest(bytes).into();
        let mut map = DECODES.lock().unwrap_or_else(|e| e.into_inner());
        *map.get_or_insert_with(HashMap::new).entry(key).or_default() += 1;
    }

    /// How many times an image with these bytes has been decoded in this test process.
    pub(crate) fn decodes_of(bytes: &[u8]) -> usize {
        let key: [u8; 32] = Sha256::digest(bytes).into();
        let map = DECODES.lock().unwrap_or_else(|e| e.into_inner());
        map.as_ref().and_then(|m| m.get(&key)).copied().unwrap_or(0)
    }
}
