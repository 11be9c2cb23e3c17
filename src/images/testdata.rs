//! Small images made in memory for the unit tests (no files in the repository).

use crate::model::ImageData;

/// A big-endian TIFF block holding one IFD with the orientation tag.
pub fn tiff_orientation(o: u8) -> Vec<u8> {
    let mut t = b"MM\0\x2a".to_vec();
    t.extend_from_slice(&8u32.to_be_bytes()); // IFD offset
    t.extend_from_slice(&1u16.to_be_bytes()); // one entry
    t.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    t.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    t.extend_from_slice(&1u32.to_be_bytes()); // count
    t.extend_from_slice(&(o as u16).to_be_bytes());
    t.extend_from_slice(&[0, 0]);
    t.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    t
}

/// Red left half, blue right half.
fn halves(w: u32, h: u32) -> Vec<u8> {
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for _ in 0..h {
        for x in 0..w {
            px.extend_from_slice(if x < w / 2 {
                &[230, 20, 20]
            } else {
                &[20, 20, 230]
            });
        }
    }
    px
}

fn jpeg(w: u32, h: u32, setup: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
    setup(&mut e);
    e.encode(
        &halves(w, h),
        w as u16,
        h as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .expect("encode test JPEG");
    out
}

/// A JPEG (red left half, blue right) with an EXIF block giving orientation `o`.
pub fn jpeg_with_exif(w: u32, h: u32, o: u8) -> Vec<u8> {
    jpeg_with_raw_exif(w, h, &tiff_orientation(o))
}

/// A JPEG with the given TIFF data as its EXIF block.
pub fn jpeg_with_raw_exif(w: u32, h: u32, tiff: &[u8]) -> Vec<u8> {
    let mut exif = b"Exif\0\0".to_vec();
    exif.extend_from_slice(tiff);
    let j = jpeg(w, h, |e| e.add_app_segment(1, exif).expect("APP1"));
    // jpeg-encoder writes JFIF APP0 first; move nothing, the probe finds APP1 anywhere.
    // Tests that edit APP1's length expect it right after SOI: put it there.
    move_app1_first(j)
}

fn move_app1_first(j: Vec<u8>) -> Vec<u8> {
    let mut i = 2;
    let mut app1 = None;
    let mut rest = Vec::new();
    while i + 4 <= j.len() && j[i] == 0xFF && (0xE0..=0xEF).contains(&j[i + 1]) {
        let len = u16::from_be_bytes([j[i + 2], j[i + 3]]) as usize;
        let seg = j[i..i + 2 + len].to_vec();
        if j[i + 1] == 0xE1 && app1.is_none() {
            app1 = Some(seg);
        } else {
            rest.extend(seg);
        }
        i += 2 + len;
    }
    let mut out = j[..2].to_vec();
    out.extend(app1.unwrap_or_default());
    out.extend(rest);
    out.extend_from_slice(&j[i..]);
    out
}

/// A JPEG carrying `icc` as its ICC profile.
pub fn jpeg_with_icc(w: u32, h: u32, icc: &[u8]) -> Vec<u8> {
    jpeg(w, h, |e| e.add_icc_profile(icc).expect("ICC"))
}

/// An Adobe CMYK JPEG of pure cyan.
pub fn cmyk_jpeg(w: u32, h: u32) -> Vec<u8> {
    let px: Vec<u8> = (0..w * h).flat_map(|_| [255u8, 0, 0, 0]).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
        .expect("encode CMYK");
    out
}

/// A CMYK JPEG without Adobe's APP14 marker, its samples plain ink amounts: cyan 100 %,
/// magenta 40 % (R 0, G 153, B 255 on screen).
pub fn plain_cmyk_jpeg(w: u32, h: u32) -> Vec<u8> {
    // jpeg-encoder stores CMYK inverted, with APP14: give it the inverse of the plain
    // samples wanted, then drop the marker.
    let px: Vec<u8> = (0..w * h).flat_map(|_| [0u8, 153, 255, 255]).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
        .expect("encode CMYK");
    without_app14(out)
}

/// A JPEG with its Adobe APP14 segments removed.
pub fn without_app14(j: Vec<u8>) -> Vec<u8> {
    let mut out = j[..2].to_vec();
    let mut i = 2;
    while i + 4 <= j.len() && j[i] == 0xFF && j[i + 1] != 0xDA {
        let len = u16::from_be_bytes([j[i + 2], j[i + 3]]) as usize;
        if j[i + 1] != 0xEE {
            out.extend_from_slice(&j[i..i + 2 + len]);
        }
        i += 2 + len;
    }
    out.extend_from_slice(&j[i..]);
    out
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// An RGB PNG with an `eXIf` chunk giving orientation `o` (inserted after IHDR).
pub fn png_with_exif(w: u32, h: u32, o: u8) -> Vec<u8> {
    let img = image::RgbImage::from_raw(w, h, halves(w, h)).expect("pixels");
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode PNG");
    // Signature (8) + IHDR (25).
    let mut out = png[..33].to_vec();
    png_chunk(&mut out, b"eXIf", &tiff_orientation(o));
    out.extend_from_slice(&png[33..]);
    out
}

/// An RGBA PNG: opaque red left half, half-transparent blue right half.
pub fn rgba_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            image::Rgba([230, 20, 20, 255])
        } else {
            image::Rgba([20, 20, 230, 128])
        }
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(img)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode PNG");
    png
}

/// Loaded image data for `bytes`, as the loader makes it (kept in memory).
pub fn image_data(bytes: Vec<u8>) -> ImageData {
    crate::validate::check_image(bytes).expect("test image")
}

/// Writes `dir/NAME.md`, an article with a lead and one figure, and its photo
/// `dir/img/NAME.jpg` (`jpeg`); returns the article's path (tests that load from files).
pub fn article_with_photo(
    dir: &std::path::Path,
    name: &str,
    title: &str,
    alt: &str,
    jpeg: &[u8],
) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("img")).unwrap();
    std::fs::write(dir.join(format!("img/{name}.jpg")), jpeg).unwrap();
    let article = dir.join(format!("{name}.md"));
    std::fs::write(
        &article,
        format!(
            "---\ntitle: {title}\nlang: vi\ndate: 2026-11-27\n---\n\nĐoạn mở đầu.\n\n\
             ![{alt}](img/{name}.jpg \"Toàn cảnh\")\n"
        ),
    )
    .unwrap();
    article
}

/// Changes the photo at `path` (whose bytes were `original`) after it was loaded, as
/// someone editing it during a build would: one byte of its compressed data flipped, its
/// length and headers kept, so that only its fingerprint tells.
pub fn change_photo(path: &std::path::Path, original: &[u8]) {
    let mut changed = original.to_vec();
    let n = changed.len();
    changed[n - 20] ^= 0x55;
    std::fs::write(path, changed).unwrap();
}
