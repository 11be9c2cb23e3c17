//! Figure images: the one place an article's image is read (from its file, inside the
//! article's folder) and checked from its header and structure, once per content.

use std::path::Path;
use std::sync::Arc;

use super::{MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE};
use crate::error::Diagnostic;
use crate::images::{Fingerprint, ImageFile, ImageSource};
use crate::model::{Figure, ImageData, ImageFormat};

/// The one call behind which a figure's image is read and checked: a figure built in
/// code with its image bytes already in memory is checked without touching the disk
/// (the checker remembers images that passed, so a loaded image costs a hash), else
/// the file named by `src` is read.
pub(super) fn figure_image(
    f: &mut Figure,
    base: &Path,
    file: &Path,
    field: &str,
) -> Result<(), Diagnostic> {
    match &f.image {
        Some(img) => {
            let checked = img
                .source
                .read()
                .and_then(|bytes| {
                    check_cached(&bytes, Fingerprint::of(&bytes), || img.source.clone())
                })
                .map_err(|why| {
                    Diagnostic::field(
                        file,
                        field,
                        format!("the image given for `{}`: {why}", f.src),
                    )
                    .with_hint("use a complete PNG or JPEG file of at most 16384 × 16384 pixels")
                })?;
            f.image = Some(checked);
            Ok(())
        }
        None => load_image(f, base, file, field),
    }
}

fn load_image(f: &mut Figure, base: &Path, file: &Path, field: &str) -> Result<(), Diagnostic> {
    let src = &f.src;
    let d = |msg: String| Diagnostic::field(file, field, msg);
    if src.contains("://") || src.starts_with("data:") {
        return Err(d(format!("`{src}` is a URL; anpham does not fetch images"))
            .with_hint("download the image next to the article and give its relative path"));
    }
    let rel = Path::new(src);
    if rel.is_absolute() {
        return Err(d(format!("`{src}` is an absolute path"))
            .with_hint("give the image path relative to the article file, inside its folder"));
    }
    let mut depth = 0usize;
    for c in rel.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::ParentDir if depth == 0 => {
                // Refused before touching the disk: whether such a file exists is not
                // the input's business.
                return Err(d(format!("`{src}` leaves the article's folder"))
                    .with_hint("copy the image into the article's folder (paths with `..` or symlinks out of it are refused)"));
            }
            std::path::Component::ParentDir => depth -= 1,
            _ => {}
        }
    }
    let full = base.join(rel);
    let base_real = std::fs::canonicalize(if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    })
    .map_err(|e| d(format!("cannot resolve the article's folder: {e}")))?;
    let real = match std::fs::canonicalize(&full) {
        Ok(r) => r,
        Err(_) => {
            return Err(d(format!("image not found: {}", full.display()))
                .with_hint("image paths are relative to the article file"));
        }
    };
    if !real.starts_with(&base_real) {
        return Err(d(format!(
            "`{src}` resolves to {}, outside the article's folder {}",
            real.display(),
            base_real.display()
        ))
        .with_hint("copy the image into the article's folder (paths with `..` or symlinks out of it are refused)"));
    }
    let meta =
        std::fs::metadata(&real).map_err(|e| d(format!("cannot read {}: {e}", full.display())))?;
    if !meta.is_file() {
        return Err(d(format!("{} is not a file", full.display())));
    }
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(d(format!(
            "{} is {} MiB; images of at most {} MiB are accepted",
            full.display(),
            meta.len() >> 20,
            MAX_IMAGE_BYTES >> 20
        ))
        .with_hint("scale the image down; print needs about 300 dpi at the printed size"));
    }
    let bytes =
        std::fs::read(&real).map_err(|e| d(format!("cannot read {}: {e}", full.display())))?;
    // The bytes are dropped once checked: the image is read again when it is embedded.
    let key = Fingerprint::of(&bytes);
    let source = || {
        ImageSource::File(Arc::new(ImageFile {
            path: real.clone(),
            fingerprint: key,
        }))
    };
    let image = check_cached(&bytes, key, source).map_err(|why| {
        d(format!("{}: {why}", full.display()))
            .with_hint("use a complete PNG or JPEG file of at most 16384 × 16384 pixels")
    })?;
    f.image = Some(image);
    Ok(())
}

/// How many checked images [`check_cached`] remembers (a few hundred bytes each: a
/// file's bytes are not kept).
const IMAGE_CACHE_ENTRIES: usize = 4096;

/// Checks `bytes` (whose fingerprint is `key`) once per content: the images that passed
/// are remembered by their [`Fingerprint`] (length and CRC-32) and, on a match, compared
/// byte for byte with the remembered one (read again from its file) before its record is
/// shared. `source` makes the record of a new image. At most [`IMAGE_CACHE_ENTRIES`] are
/// remembered (cleared when full).
fn check_cached(
    bytes: &[u8],
    key: Fingerprint,
    source: impl FnOnce() -> ImageSource,
) -> Result<ImageData, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<Fingerprint, ImageData>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let hit = cache.lock().ok().and_then(|c| c.get(&key).cloned());
    if let Some(hit) = hit
        && hit.source.read().is_ok_and(|known| known.as_ref() == bytes)
    {
        // The check is shared, not the source: the image is read again from this file,
        // never from the file of an earlier load (`anpham serve` removes a job's upload
        // once it is built; another job with the same photo must not point at it).
        return Ok(ImageData {
            source: source(),
            ..hit
        });
    }
    let image = check_image_bytes(bytes)?.with_source(source());
    if let Ok(mut c) = cache.lock() {
        if c.len() >= IMAGE_CACHE_ENTRIES {
            c.clear();
        }
        c.insert(key, image.clone());
    }
    Ok(image)
}

/// Checks an image file's bytes from its headers and structure (`crate::images::probe()`:
/// format, dimensions before any decoding, EXIF orientation, ICC profile, segments to the
/// end marker); PNG rows are decoded too (a damaged zlib stream is only found that way).
/// JPEG pixels are not decoded here: only an edition that resamples or turns the picture
/// decodes them. Width and height are as displayed (after the EXIF orientation).
pub fn check_image(bytes: Vec<u8>) -> Result<ImageData, String> {
    Ok(check_image_bytes(&bytes)?.with_source(ImageSource::memory(bytes)))
}

/// What the check of an image's bytes learnt.
struct Checked {
    format: ImageFormat,
    width: u32,
    height: u32,
    needs_pixels: bool,
}

impl Checked {
    fn with_source(self, source: ImageSource) -> ImageData {
        ImageData {
            source,
            needs_pixels: self.needs_pixels,
            format: self.format,
            width: self.width,
            height: self.height,
        }
    }
}

/// [`check_image`] without taking the bytes.
fn check_image_bytes(bytes: &[u8]) -> Result<Checked, String> {
    let probe = crate::images::probe(bytes, MAX_IMAGE_SIDE)?;
    let (w, h) = (probe.stored_width as u64, probe.stored_height as u64);
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    if w > MAX_IMAGE_SIDE as u64 || h > MAX_IMAGE_SIDE as u64 || w * h > MAX_IMAGE_PIXELS {
        return Err(format!(
            "the header declares {w} × {h} pixels, more than anpham decodes"
        ));
    }
    if probe.format == ImageFormat::Png {
        decode_png(bytes)?;
    }
    let (width, height) = probe.displayed();
    Ok(Checked {
        format: probe.format,
        width,
        height,
        needs_pixels: probe.needs_pixels(),
    })
}

const DAMAGED: &str = "the image data is truncated or damaged";

/// Decodes a whole PNG, one row at a time (memory: one row, not the whole image), and
/// reads on to the `IEND` chunk. Called only after the header's dimensions were checked.
fn decode_png(bytes: &[u8]) -> Result<(), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    // The decoder's own buffers (a few rows, chunk data), not the image: ample for
    // 16384 pixels of 16-bit RGBA per row.
    decoder.set_limits(png::Limits {
        bytes: 64 * 1024 * 1024,
    });
    let mut reader = decoder.read_info().map_err(|_| DAMAGED.to_string())?;
    while reader
        .next_row()
        .map_err(|_| DAMAGED.to_string())?
        .is_some()
    {}
    reader.finish().map_err(|_| DAMAGED.to_string())?;
    Ok(())
}
