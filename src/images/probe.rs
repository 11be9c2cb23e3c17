//! Checking an image file from its headers and structure, without decoding its pixels.
//!
//! * JPEG: zune-jpeg reads the headers (frame, tables; a coding it cannot decode is
//!   refused here), then every segment is walked by its length to the end-of-image marker
//!   (a truncated file has none); the EXIF block (APP1) gives the orientation, the ICC
//!   profile (APP2) must be a well-formed profile of the image's colour space.
//! * PNG: every chunk is walked and its CRC checked up to `IEND`; `eXIf` gives the
//!   orientation. (The caller still decodes PNG rows: a damaged zlib stream inside
//!   chunks with right CRCs is only found that way, and the print edition needs the rows
//!   anyway.)

use super::jpeg::{DAMAGED, Segments};
use crate::model::ImageFormat;

/// What the headers of an image file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    /// PNG or JPEG.
    pub format: ImageFormat,
    /// Width of the stored pixels (before the EXIF orientation is applied).
    pub stored_width: u32,
    /// Height of the stored pixels.
    pub stored_height: u32,
    /// EXIF orientation, 1–8 (1 when absent or out of range).
    pub orientation: u8,
    /// Colour components of a JPEG (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK); PNG: 0.
    pub jpeg_components: u8,
    /// Whether a JPEG carries Adobe's APP14 marker: its CMYK samples are then stored
    /// inverted (as Photoshop writes them); without it, a CMYK JPEG's samples are plain
    /// ink amounts (0 = no ink).
    pub jpeg_adobe: bool,
}

impl Probe {
    /// Width and height as the picture is meant to be seen (orientations 5–8 swap them).
    pub fn displayed(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.stored_height, self.stored_width)
        } else {
            (self.stored_width, self.stored_height)
        }
    }

    /// Whether the pixels must be decoded for any edition: a picture stored sideways or
    /// mirrored, or a CMYK JPEG (converted to RGB: e-readers and the archival print
    /// standard's sRGB output intent need RGB).
    pub fn needs_pixels(&self) -> bool {
        self.orientation != 1 || self.jpeg_components == 4
    }
}

/// Reads the format, size, orientation and colour components of an image file and checks
/// its structure; the message says what is wrong.
pub fn probe(bytes: &[u8], max_side: u32) -> Result<Probe, String> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        probe_png(bytes, max_side)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        probe_jpeg(bytes, max_side)
    } else {
        Err("not a PNG or JPEG image".into())
    }
}

fn probe_jpeg(bytes: &[u8], max_side: u32) -> Result<Probe, String> {
    let seg = jpeg_segments(bytes, max_side)?;
    let options = zune_jpeg::zune_core::options::DecoderOptions::default()
        .set_max_width(max_side as usize)
        .set_max_height(max_side as usize);
    let mut decoder =
        zune_jpeg::JpegDecoder::new_with_options(std::io::Cursor::new(bytes), options);
    decoder.decode_headers().map_err(|e| match e {
        zune_jpeg::errors::DecodeErrors::LargeDimensions(_) => format!(
            "the header declares more than {max_side} pixels on a side, more than anpham decodes"
        ),
        e => format!("the JPEG decoder refuses it ({e})"),
    })?;
    let (w, h) = decoder
        .dimensions()
        .ok_or_else(|| "the JPEG has no frame header".to_string())?;
    let components = decoder
        .input_colorspace()
        .map_or(3, |c| c.num_components() as u8);
    let orientation = match seg.exif {
        Some(tiff) => exif_orientation(tiff)?,
        None => 1,
    };
    if !seg.icc.is_empty() {
        check_icc(&seg.icc, components)?;
    }
    Ok(Probe {
        format: ImageFormat::Jpeg,
        stored_width: w as u32,
        stored_height: h as u32,
        orientation,
        jpeg_components: components,
        jpeg_adobe: seg.adobe,
    })
}

/// The parts of a JPEG's segments the probe needs.
struct JpegSegments<'a> {
    /// The TIFF data of the first EXIF APP1 segment.
    exif: Option<&'a [u8]>,
    /// The ICC profile from the APP2 segments, in sequence order.
    icc: Vec<u8>,
    /// Whether an Adobe APP14 segment is present.
    adobe: bool,
}

/// Walks a JPEG's segments ([`Segments`]) and its entropy-coded scans to the EOI marker
/// (`FF D9`); bytes after EOI (some cameras append data) are allowed. A frame header
/// declaring more than `max_side` pixels a side is refused as soon as it is read.
fn jpeg_segments(b: &[u8], max_side: u32) -> Result<JpegSegments<'_>, String> {
    let mut exif = None;
    let mut adobe = false;
    let mut frame_seen = false;
    let mut icc_parts: Vec<(u8, &[u8])> = Vec::new();
    for segment in Segments::after_soi(b) {
        let segment = segment.map_err(|e| e.to_string())?;
        let data = segment.data();
        match segment.marker {
            0xE1 if exif.is_none() && data.starts_with(b"Exif\0\0") => exif = Some(&data[6..]),
            0xE2 if data.starts_with(b"ICC_PROFILE\0") && data.len() >= 14 => {
                icc_parts.push((data[12], &data[14..]))
            }
            0xEE if data.starts_with(b"Adobe") => adobe = true,
            0xC0..=0xCF
                if !matches!(segment.marker, 0xC4 | 0xC8 | 0xCC)
                    && !frame_seen
                    && data.len() >= 5 =>
            {
                let h = u16::from_be_bytes([data[1], data[2]]) as u32;
                let w = u16::from_be_bytes([data[3], data[4]]) as u32;
                if w > max_side || h > max_side {
                    return Err(format!(
                        "the header declares {w} × {h} pixels, more than anpham decodes"
                    ));
                }
                frame_seen = true;
            }
            _ => {}
        }
    }
    icc_parts.sort_by_key(|(seq, _)| *seq);
    Ok(JpegSegments {
        exif,
        adobe,
        icc: icc_parts
            .into_iter()
            .flat_map(|(_, d)| d.iter().copied())
            .collect(),
    })
}

/// The orientation tag of an EXIF (TIFF) block: 1–8, 1 when absent or out of range. A
/// block whose offsets or counts point outside it is refused.
pub(crate) fn exif_orientation(tiff: &[u8]) -> Result<u8, String> {
    let parsed = exif::Reader::new()
        .read_raw(tiff.to_vec())
        .map_err(|e| format!("the EXIF block is damaged ({e})"))?;
    Ok(parsed
        .get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8))
}

/// Checks an embedded ICC profile's header: its declared size, the `acsp` signature and a
/// colour space that matches the image's components.
pub(crate) fn check_icc(icc: &[u8], components: u8) -> Result<(), String> {
    let bad = |why: &str| Err(format!("the embedded ICC colour profile is broken ({why})"));
    if icc.len() < 128 {
        return bad("shorter than an ICC header");
    }
    let declared = u32::from_be_bytes([icc[0], icc[1], icc[2], icc[3]]) as usize;
    if declared != icc.len() {
        return bad(&format!(
            "it declares {declared} bytes but holds {}",
            icc.len()
        ));
    }
    if &icc[36..40] != b"acsp" {
        return bad("no `acsp` signature");
    }
    let space = &icc[16..20];
    let fits = match components {
        1 => space == b"GRAY",
        3 => space == b"RGB ",
        4 => space == b"CMYK",
        _ => true,
    };
    if !fits {
        return bad(&format!(
            "a `{}` profile on an image of {components} colour components",
            String::from_utf8_lossy(space).trim_end()
        ));
    }
    Ok(())
}

fn probe_png(b: &[u8], max_side: u32) -> Result<Probe, String> {
    // The header's size is checked before anything else is read.
    if b.len() >= 24 && &b[12..16] == b"IHDR" {
        let w = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
        let h = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
        if w > max_side || h > max_side {
            return Err(format!(
                "the header declares {w} × {h} pixels, more than anpham decodes"
            ));
        }
    }
    let mut i = 8;
    let mut size = None;
    let mut orientation = 1;
    loop {
        if i + 12 > b.len() {
            return Err(DAMAGED.into());
        }
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let kind = &b[i + 4..i + 8];
        let end = (i + 8).checked_add(len).filter(|e| e + 4 <= b.len());
        let Some(end) = end else {
            return Err(format!(
                "{DAMAGED} (the `{}` chunk at byte {i} claims {len} bytes, past the end of the file)",
                String::from_utf8_lossy(kind)
            ));
        };
        let crc = u32::from_be_bytes([b[end], b[end + 1], b[end + 2], b[end + 3]]);
        if crc32fast::hash(&b[i + 4..end]) != crc {
            return Err(format!(
                "{DAMAGED} (the `{}` chunk at byte {i} fails its CRC)",
                String::from_utf8_lossy(kind)
            ));
        }
        let data = &b[i + 8..end];
        match kind {
            b"IHDR" if i == 8 && data.len() == 13 => {
                let w = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
                let h = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
                size = Some((w, h));
            }
            _ if i == 8 => return Err("the PNG does not start with its header chunk".into()),
            b"eXIf" => orientation = exif_orientation(data)?,
            b"IEND" => break,
            _ => {}
        }
        i = end + 4;
    }
    let (w, h) = size.ok_or_else(|| DAMAGED.to_string())?;
    Ok(Probe {
        format: ImageFormat::Png,
        stored_width: w,
        stored_height: h,
        orientation,
        jpeg_components: 0,
        jpeg_adobe: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::testdata;

    #[test]
    fn jpeg_orientation_and_displayed_size() {
        for o in 1..=8u8 {
            let jpg = testdata::jpeg_with_exif(40, 20, o);
            let p = probe(&jpg, 16_384).unwrap();
            assert_eq!(p.orientation, o);
            assert_eq!((p.stored_width, p.stored_height), (40, 20));
            let want = if o >= 5 { (20, 40) } else { (40, 20) };
            assert_eq!(p.displayed(), want, "orientation {o}");
        }
    }

    #[test]
    fn png_exif_chunk_gives_the_orientation() {
        let png = testdata::png_with_exif(30, 10, 6);
        let p = probe(&png, 16_384).unwrap();
        assert_eq!((p.orientation, p.displayed()), (6, (10, 30)));
    }

    #[test]
    fn exif_block_lying_about_its_size_is_refused() {
        let mut tiff = testdata::tiff_orientation(6);
        // The IFD offset points far past the block.
        tiff[4..8].copy_from_slice(&60_000u32.to_be_bytes());
        let e = exif_orientation(&tiff).unwrap_err();
        assert!(e.contains("EXIF block is damaged"), "{e}");
        let jpg = testdata::jpeg_with_raw_exif(16, 16, &tiff);
        assert!(probe(&jpg, 16_384).unwrap_err().contains("EXIF"));
    }

    #[test]
    fn app1_segment_longer_than_the_file_is_refused() {
        let mut jpg = testdata::jpeg_with_exif(16, 16, 1);
        // SOI, then APP1: its length field at bytes 4–5.
        assert_eq!(&jpg[2..4], &[0xFF, 0xE1]);
        jpg[4..6].copy_from_slice(&0xFFF0u16.to_be_bytes());
        let e = probe(&jpg, 16_384).unwrap_err();
        assert!(e.contains("past the end"), "{e}");
    }

    #[test]
    fn broken_icc_profiles_are_refused() {
        let mut icc = vec![0u8; 200];
        icc[0..4].copy_from_slice(&200u32.to_be_bytes());
        icc[16..20].copy_from_slice(b"RGB ");
        icc[36..40].copy_from_slice(b"acsp");
        assert!(check_icc(&icc, 3).is_ok());
        assert!(check_icc(&icc, 4).unwrap_err().contains("RGB"));
        icc[0..4].copy_from_slice(&5000u32.to_be_bytes());
        assert!(check_icc(&icc, 3).unwrap_err().contains("declares 5000"));
        let jpg = testdata::jpeg_with_icc(16, 16, &icc);
        assert!(probe(&jpg, 16_384).unwrap_err().contains("ICC"));
    }

    #[test]
    fn truncated_and_damaged_files_are_refused() {
        let jpg = testdata::jpeg_with_exif(64, 64, 1);
        assert!(probe(&jpg[..jpg.len() - 40], 16_384).is_err());
        let mut png = testdata::png_with_exif(8, 8, 1);
        let n = png.len();
        png[n - 20] ^= 0x55;
        assert!(probe(&png, 16_384).unwrap_err().contains("CRC"));
        assert!(
            probe(&jpg[..jpg.len() - 40], 16_384)
                .unwrap_err()
                .contains("truncated")
        );
        assert!(probe(b"GIF89a", 16_384).is_err());
    }

    #[test]
    fn cmyk_jpeg_needs_pixels() {
        let p = probe(&testdata::cmyk_jpeg(16, 8), 16_384).unwrap();
        assert_eq!(p.jpeg_components, 4);
        assert!(p.jpeg_adobe);
        assert!(p.needs_pixels());
        let plain = probe(&testdata::plain_cmyk_jpeg(16, 8), 16_384).unwrap();
        assert_eq!(plain.jpeg_components, 4);
        assert!(!plain.jpeg_adobe);
        assert!(
            !probe(&testdata::jpeg_with_exif(16, 8, 1), 16_384)
                .unwrap()
                .jpeg_adobe
        );
    }
}
