//! Splicing JPEGs into a finished PDF while it is written, so that neither krilla nor the
//! writer holds the photos.
//!
//! krilla needs a JPEG's headers to write its image dictionary (size, colour space, bits,
//! ICC profile) and copies the stream data into its document; `Document::finish` then
//! copies every object into one buffer. So each JPEG passed through is given to krilla as
//! a *stand-in* ([`standin`]): the file's header segments with a comment segment naming
//! the image, and no scan. Krilla writes the stand-in as the stream of the image's
//! XObject. [`splice`] then streams krilla's bytes into the output, replacing each
//! stand-in's data by the real file's bytes (read from the file with a small buffer and
//! checked against its fingerprint), its `/Length` by the real length, and every offset
//! of the cross-reference table and `startxref` by where the object now is.
//!
//! pdf-writer (under krilla) writes a stream as `N 0 obj` `<<` `/Length L` … `>>`
//! `\nstream\n` data `\nendstream\nendobj\n` and a classic `xref` table of 20-byte
//! entries (`0000012345 00000 n\r\n`); both are checked, and anything else is an error,
//! never a silently wrong file.

use std::io::Write;

use memchr::memmem;

use crate::images::ImageSource;
use crate::model::image_source::Changed;

/// A stand-in and the image whose bytes replace it.
#[derive(Debug, Clone)]
pub struct Splice {
    /// The stand-in JPEG given to krilla (unique in the document: its comment names it).
    pub standin: Vec<u8>,
    /// Where the real bytes are.
    pub source: ImageSource,
}

/// The comment that starts every stand-in's identifying segment.
pub(super) const TAG: &[u8] = b"anpham stand-in for image ";

/// Where the comment's text starts in a stand-in: after SOI, the COM marker and its
/// length.
pub(super) const COMMENT_AT: usize = 6;

/// The identifying comment of a stand-in starting at `standin[0]` (its text, through the
/// closing parenthesis), if it is one.
pub(super) fn comment(standin: &[u8]) -> Option<&[u8]> {
    if standin.get(..4) != Some(&[0xFF, 0xD8, 0xFF, 0xFE]) {
        return None;
    }
    let len = usize::from(u16::from_be_bytes([*standin.get(4)?, *standin.get(5)?]));
    let text = standin.get(COMMENT_AT..COMMENT_AT + len.checked_sub(2)?)?;
    text.starts_with(TAG).then_some(text)
}

/// The largest JPEG head (the segments before the scan) a stand-in is made from; a file
/// whose scan starts later (huge metadata) is given to krilla whole.
pub const MAX_HEAD: usize = 256 * 1024;

/// The first bytes read for a stand-in: a portal photo's headers fit in 16 KiB; EXIF or
/// ICC data that does not is read again with four times as many, up to [`MAX_HEAD`].
/// Reading `MAX_HEAD` at once read a bulletin's photos whole (51 MB) before drawing.
const FIRST_HEAD: usize = 16 * 1024;

/// The stand-in of the JPEG in `source` ([`standin`]), made from as few of its first bytes
/// as hold its headers; `None` if they are not all in the first [`MAX_HEAD`] bytes or
/// the file is not one a stand-in can be made of.
pub fn standin_of_source(source: &ImageSource, index: usize) -> Result<Option<Vec<u8>>, Changed> {
    let mut want = FIRST_HEAD;
    loop {
        let head = source.head(want)?;
        if let Some(s) = standin(&head, index, source) {
            return Ok(Some(s));
        }
        if head.len() < want || want >= MAX_HEAD {
            return Ok(None);
        }
        want = (want * 4).min(MAX_HEAD);
    }
}

/// A stand-in for the JPEG whose first bytes are `head`: SOI, a comment naming image
/// `index` of `source` (its length and CRC-32), the header segments krilla reads (every
/// segment up to and including the start of scan, except APP1 (EXIF, XMP) and comments),
/// then EOI. `None` (the image then goes to krilla whole) when `head` does not reach the
/// start of scan, or has bytes between segments or a standalone marker before it, which
/// the stand-in would not carry as they are.
pub fn standin(head: &[u8], index: usize, source: &ImageSource) -> Option<Vec<u8>> {
    if head.get(..2) != Some(&[0xFF, 0xD8]) {
        return None;
    }
    let f = source.fingerprint();
    let mut comment = TAG.to_vec();
    write!(comment, "{index} ({} bytes, CRC-32 {:08x})", f.len, f.crc32).ok()?;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xFE];
    out.extend_from_slice(&u16::try_from(comment.len() + 2).ok()?.to_be_bytes());
    out.extend_from_slice(&comment);
    for segment in crate::images::jpeg::Segments::after_soi(head) {
        let segment = segment.ok()?;
        if segment.skipped > 0 || segment.is_standalone() {
            return None;
        }
        if segment.marker != 0xE1 && segment.marker != 0xFE {
            out.extend_from_slice(segment.bytes);
        }
        if segment.marker == 0xDA {
            out.extend_from_slice(&[0xFF, 0xD9]);
            return Some(out);
        }
    }
    None
}

/// Where the `/Length` value of the stream whose data starts at `data` is (its offset and
/// digit count), after checking that krilla wrote what is expected around it.
pub(super) fn stream_length(pdf: &[u8], data: usize, len: usize) -> Result<(usize, usize), String> {
    let unexpected = |what: &str| format!("the PDF's image stream at byte {data}: {what}");
    if !pdf[..data].ends_with(b">>\nstream\n") || !pdf[data + len..].starts_with(b"\nendstream") {
        return Err(unexpected("not framed by `stream` and `endstream`"));
    }
    let object = memmem::rfind(&pdf[..data], b" 0 obj\n").ok_or_else(|| unexpected("no object"))?;
    let dict = &pdf[object..data];
    let key = memmem::rfind(dict, b"/Length ").ok_or_else(|| unexpected("no /Length"))?;
    let digits_at = object + key + b"/Length ".len();
    let digits = pdf[digits_at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let value = std::str::from_utf8(&pdf[digits_at..digits_at + digits])
        .ok()
        .and_then(|d| d.parse::<usize>().ok());
    if value != Some(len) {
        return Err(unexpected("its /Length is not the stand-in's"));
    }
    Ok((digits_at, digits))
}

/// krilla's classic cross-reference table and trailer.
pub(super) struct Xref {
    /// Offset of `xref`.
    pub(super) start: usize,
    /// Offset of the first entry.
    pub(super) entries: usize,
    /// Number of entries.
    pub(super) count: usize,
    /// Offset of `startxref`.
    startxref: usize,
}

impl Xref {
    /// The table of `pdf`, checked to be laid out as pdf-writer writes it.
    pub(super) fn find(pdf: &[u8]) -> Result<Xref, String> {
        let bad = |what: &str| format!("the PDF's cross-reference table: {what}");
        let startxref = memmem::rfind(pdf, b"startxref\n").ok_or_else(|| bad("no startxref"))?;
        let number = &pdf[startxref + 10..];
        let digits = number.iter().take_while(|b| b.is_ascii_digit()).count();
        let start: usize = std::str::from_utf8(&number[..digits])
            .ok()
            .and_then(|d| d.parse().ok())
            .filter(|&s| s < startxref)
            .ok_or_else(|| bad("startxref is not an offset"))?;
        let table = &pdf[start..startxref];
        if !table.starts_with(b"xref\n0 ") {
            return Err(bad("not a classic table"));
        }
        let line = memchr::memchr(b'\n', &table[7..]).ok_or_else(|| bad("no count"))?;
        let count: usize = std::str::from_utf8(&table[7..7 + line])
            .ok()
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| bad("no count"))?;
        let entries = start + 7 + line + 1;
        if pdf.len() < entries + 20 * count || !pdf[entries + 20 * count..].starts_with(b"trailer")
        {
            return Err(bad("entries are not 20 bytes each"));
        }
        Ok(Xref {
            start,
            entries,
            count,
            startxref,
        })
    }

    /// The offsets of the objects in use, sorted.
    pub(super) fn offsets(&self, pdf: &[u8]) -> Result<Vec<usize>, String> {
        let mut offsets = Vec::with_capacity(self.count);
        for k in 0..self.count {
            if let Some(offset) = self.offset(pdf, k)? {
                offsets.push(offset);
            }
        }
        offsets.sort_unstable();
        Ok(offsets)
    }

    /// The offset of entry `k` if it is in use.
    fn offset(&self, pdf: &[u8], k: usize) -> Result<Option<usize>, String> {
        let entry = &pdf[self.entries + 20 * k..self.entries + 20 * (k + 1)];
        if entry[17] != b'n' {
            return Ok(None);
        }
        std::str::from_utf8(&entry[..10])
            .ok()
            .and_then(|o| o.parse().ok())
            .map(Some)
            .ok_or_else(|| format!("the PDF's cross-reference entry {k} is damaged"))
    }

    /// Writes the table with every in-use offset `moved`, the trailer, and `startxref`
    /// with the table's new offset.
    pub(super) fn write(
        &self,
        pdf: &[u8],
        moved: &dyn Fn(usize) -> u64,
        out: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut table = Vec::with_capacity(self.entries - self.start + 20 * self.count);
        table.extend_from_slice(&pdf[self.start..self.entries]);
        for k in 0..self.count {
            let entry = &pdf[self.entries + 20 * k..self.entries + 20 * (k + 1)];
            if let Some(offset) = self.offset(pdf, k)? {
                write!(table, "{:010}", moved(offset)).map_err(|e| e.to_string())?;
                table.extend_from_slice(&entry[10..]);
            } else {
                table.extend_from_slice(entry);
            }
        }
        table.extend_from_slice(&pdf[self.entries + 20 * self.count..self.startxref]);
        write!(table, "startxref\n{}\n%%EOF", moved(self.start)).map_err(|e| e.to_string())?;
        out(&table)?;
        // What followed `%%EOF` (pdf-writer ends the file with a line break).
        let eof = memmem::find(&pdf[self.startxref..], b"%%EOF")
            .map_or(pdf.len(), |e| self.startxref + e + 5);
        out(&pdf[eof..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::testdata;

    fn jpeg(seed: u32) -> (ImageSource, Vec<u8>) {
        let bytes = testdata::jpeg_with_exif(40 + seed, 30, 1);
        (ImageSource::memory(bytes.clone()), bytes)
    }

    fn standin_of(k: usize, source: &ImageSource) -> Vec<u8> {
        standin(&source.read().unwrap(), k, source).unwrap()
    }

    #[test]
    fn a_standin_keeps_the_headers_and_names_the_image() {
        let (source, bytes) = jpeg(0);
        let s = standin_of(7, &source);
        assert!(s.len() < bytes.len());
        assert!(memmem::find(&s, b"stand-in for image 7 (").is_some());
        // No EXIF, the frame header kept, ends with EOI.
        assert!(memmem::find(&s, b"Exif\0\0").is_none());
        assert!(memmem::find(&s, &[0xFF, 0xC0]).is_some());
        assert!(s.ends_with(&[0xFF, 0xD9]));
        // krilla reads it as the real picture.
        let real = krilla::image::Image::from_jpeg(bytes.into(), false).unwrap();
        let stand = krilla::image::Image::from_jpeg(s.into(), false).unwrap();
        assert_eq!(real.size(), stand.size());
        assert!(standin(b"not a jpeg", 0, &source).is_none());
    }

    /// `jpeg` with `n` APP1 segments of 60,000 bytes after its SOI.
    fn with_app1_segments(jpeg: &[u8], n: usize) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        for _ in 0..n {
            out.extend_from_slice(&[0xFF, 0xE1]);
            out.extend_from_slice(&60_002u16.to_be_bytes());
            out.extend(std::iter::repeat_n(b'x', 60_000));
        }
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn a_standin_is_made_from_a_head_longer_than_the_first_read() {
        let (_, bytes) = jpeg(0);
        // Two 60,000-byte APP1 segments after SOI: the scan starts past 120 KB, so the
        // 16 KiB and 64 KiB reads fall short and the 256 KiB one holds the headers.
        let big = with_app1_segments(&bytes, 2);
        let source = ImageSource::memory(big.clone());
        let s = standin_of_source(&source, 3).unwrap().unwrap();
        assert_eq!(s, standin(&big, 3, &source).unwrap());
        assert!(
            s.len() < 2_000,
            "the APP1 segments are left out: {}",
            s.len()
        );
        let small = ImageSource::memory(bytes.clone());
        assert_eq!(
            standin_of_source(&small, 3).unwrap(),
            standin(&bytes, 3, &small)
        );
        // Headers past MAX_HEAD: no stand-in (krilla gets the whole file).
        let huge = with_app1_segments(&bytes, 5);
        let source = ImageSource::memory(huge);
        assert_eq!(standin_of_source(&source, 3).unwrap(), None);
    }

    #[test]
    fn a_standin_drops_fill_bytes_and_gives_up_on_bytes_between_segments() {
        let filled = crate::images::jpeg::tests::with_bytes_before_scan(&[0xFF, 0xFF]);
        let source = ImageSource::memory(filled.clone());
        let s = standin(&filled, 0, &source).unwrap();
        assert!(memmem::find(&s, &[0xFF, 0xFF, 0xFF]).is_none());
        let real = krilla::image::Image::from_jpeg(filled.into(), false).unwrap();
        let stand = krilla::image::Image::from_jpeg(s.into(), false).unwrap();
        assert_eq!(real.size(), stand.size());
        let damaged = crate::images::jpeg::tests::with_bytes_before_scan(&[0, 0]);
        let source = ImageSource::memory(damaged.clone());
        assert_eq!(standin(&damaged, 0, &source), None);
    }
}
