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
use crate::images::source::CopyError;

/// A stand-in and the image whose bytes replace it.
#[derive(Debug, Clone)]
pub struct Splice {
    /// The stand-in JPEG given to krilla (unique in the document: its comment names it).
    pub standin: Vec<u8>,
    /// Where the real bytes are.
    pub source: ImageSource,
}

/// The comment that starts every stand-in's identifying segment.
const TAG: &[u8] = b"anpham stand-in for image ";

/// Where the comment's text starts in a stand-in: after SOI, the COM marker and its
/// length.
const COMMENT_AT: usize = 6;

/// The identifying comment of a stand-in starting at `standin[0]` (its text, through the
/// closing parenthesis), if it is one.
fn comment(standin: &[u8]) -> Option<&[u8]> {
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

/// One change to krilla's bytes: `old` bytes at `at` become `new`.
struct Edit<'a> {
    at: usize,
    old: usize,
    new: Replacement<'a>,
}

enum Replacement<'a> {
    Digits(String),
    Image(&'a ImageSource),
}

impl Replacement<'_> {
    fn len(&self) -> u64 {
        match self {
            Replacement::Digits(d) => d.len() as u64,
            Replacement::Image(s) => s.len(),
        }
    }
}

/// Writes `pdf` (krilla's finished document) into `out` with every stand-in of `splices`
/// replaced by its image (see the module documentation). Errors: a stand-in krilla did
/// not write as it was given,: a PDF that is not laid out as expected, an
/// image file that changed since it was loaded (named, with what to do), the output.
pub fn splice(pdf: &[u8], splices: &[Splice], out: &mut dyn Write) -> Result<(), String> {
    let xref = Xref::find(pdf)?;
    // One pass over the file for the stand-ins' comments (not one search per image):
    // each hit is checked to be a whole stand-in of `splices`.
    let by_comment: std::collections::HashMap<&[u8], &Splice> = splices
        .iter()
        .filter_map(|s| Some((comment(&s.standin)?, s)))
        .collect();
    let mut edits = Vec::with_capacity(splices.len() * 2);
    for hit in memmem::find_iter(&pdf[..xref.start], TAG) {
        let Some(at) = hit.checked_sub(COMMENT_AT) else {
            continue;
        };
        let Some(s) = comment(&pdf[at..]).and_then(|c| by_comment.get(c)) else {
            continue;
        };
        if !pdf[at..].starts_with(&s.standin) {
            continue;
        }
        let (length_at, length_len) = stream_length(pdf, at, s.standin.len())?;
        edits.push(Edit {
            at: length_at,
            old: length_len,
            new: Replacement::Digits(s.source.len().to_string()),
        });
        edits.push(Edit {
            at,
            old: s.standin.len(),
            new: Replacement::Image(&s.source),
        });
    }
    // Every image given to krilla is drawn, so every stand-in must be in its output
    // (krilla writes a JPEG's data as it is; were it ever to encode it, a stand-in left
    // in the file would be a wrong picture).
    if edits.len() != 2 * by_comment.len() {
        return Err(format!(
            "{} of {} JPEG stand-ins were not found in the PDF krilla wrote\n  hint: this is a bug in anpham; please report it with the input",
            by_comment.len() - edits.len() / 2,
            by_comment.len()
        ));
    }
    edits.sort_by_key(|e| e.at);
    let write = |out: &mut dyn Write, b: &[u8]| {
        out.write_all(b)
            .map_err(|e| format!("cannot write the PDF: {e}"))
    };
    let mut cursor = 0;
    for e in &edits {
        write(out, &pdf[cursor..e.at])?;
        match &e.new {
            Replacement::Digits(d) => write(out, d.as_bytes())?,
            Replacement::Image(source) => {
                source.copy_to(out).map_err(|x| match x {
                    CopyError::Image(why) => why,
                    CopyError::Write(x) => format!("cannot write the PDF: {x}"),
                })?;
            }
        }
        cursor = e.at + e.old;
    }
    write(out, &pdf[cursor..xref.start])?;
    // Where an offset of krilla's file is now: shifted by every edit before it (the
    // running sum of the edits' changes in length, found by binary search).
    let mut shift = 0i64;
    let shifts: Vec<(usize, i64)> = edits
        .iter()
        .map(|e| {
            shift += e.new.len() as i64 - e.old as i64;
            (e.at, shift)
        })
        .collect();
    let moved = |offset: usize| -> u64 {
        let before = shifts.partition_point(|(at, _)| *at < offset);
        let shift = before.checked_sub(1).map_or(0, |k| shifts[k].1);
        (offset as i64 + shift) as u64
    };
    xref.write(pdf, &moved, &mut |b| write(out, b))
}

/// Where the `/Length` value of the stream whose data starts at `data` is (its offset and
/// digit count), after checking that krilla wrote what is expected around it.
fn stream_length(pdf: &[u8], data: usize, len: usize) -> Result<(usize, usize), String> {
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
struct Xref {
    /// Offset of `xref`.
    start: usize,
    /// Offset of the first entry.
    entries: usize,
    /// Number of entries.
    count: usize,
    /// Offset of `startxref`.
    startxref: usize,
}

impl Xref {
    fn find(pdf: &[u8]) -> Result<Xref, String> {
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

    /// Writes the table with every in-use offset `moved`, the trailer, and `startxref`
    /// with the table's new offset.
    fn write(
        &self,
        pdf: &[u8],
        moved: &dyn Fn(usize) -> u64,
        out: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut table = Vec::with_capacity(self.entries - self.start + 20 * self.count);
        table.extend_from_slice(&pdf[self.start..self.entries]);
        for k in 0..self.count {
            let entry = &pdf[self.entries + 20 * k..self.entries + 20 * (k + 1)];
            if entry[17] == b'n' {
                let offset: usize = std::str::from_utf8(&entry[..10])
                    .ok()
                    .and_then(|o| o.parse().ok())
                    .ok_or_else(|| format!("the PDF's cross-reference entry {k} is damaged"))?;
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

    /// A PDF made the way pdf-writer lays one out: objects, an xref table, a trailer.
    fn pdf_with(streams: &[&[u8]]) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = Vec::new();
        for (k, data) in streams.iter().enumerate() {
            offsets.push(pdf.len());
            write!(
                pdf,
                "{} 0 obj\n<<\n  /Length {}\n  /Type /XObject\n  /Subtype /Image\n>>\nstream\n",
                k + 1,
                data.len()
            )
            .unwrap();
            pdf.extend_from_slice(data);
            pdf.extend_from_slice(b"\nendstream\nendobj\n\n");
        }
        offsets.push(pdf.len());
        let n = streams.len() + 1;
        write!(pdf, "{n} 0 obj\n<<\n  /Type /Catalog\n>>\nendobj\n\n").unwrap();
        let xref = pdf.len();
        write!(pdf, "xref\n0 {}\n0000000000 65535 f\r\n", n + 1).unwrap();
        for o in &offsets {
            write!(pdf, "{o:010} 00000 n\r\n").unwrap();
        }
        write!(pdf, "trailer\n<<\n  /Size {}\n  /Root {n} 0 R\n>>\n", n + 1).unwrap();
        write!(pdf, "startxref\n{xref}\n%%EOF\n").unwrap();
        pdf
    }

    fn splice_of(pdf: &[u8], splices: &[Splice]) -> Vec<u8> {
        let mut out = Vec::new();
        splice(pdf, splices, &mut out).unwrap();
        out
    }

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

    /// Every offset in the xref table points at its object, and every stream's
    /// /Length is its data's length.
    fn assert_consistent(pdf: &[u8]) {
        let xref = Xref::find(pdf).unwrap();
        for k in 1..xref.count {
            let e = &pdf[xref.entries + 20 * k..][..20];
            let o: usize = std::str::from_utf8(&e[..10]).unwrap().parse().unwrap();
            assert!(
                pdf[o..].starts_with(format!("{k} 0 obj\n").as_bytes()),
                "object {k}"
            );
        }
        let mut at = 0;
        while let Some(s) = memmem::find(&pdf[at..], b">>\nstream\n") {
            let data = at + s + 10;
            let key = memmem::rfind(&pdf[..data], b"/Length ").unwrap() + 8;
            let digits = pdf[key..].iter().take_while(|b| b.is_ascii_digit()).count();
            let n: usize = std::str::from_utf8(&pdf[key..key + digits])
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                pdf[data + n..].starts_with(b"\nendstream"),
                "stream at {data}"
            );
            at = data + n;
        }
    }

    #[test]
    fn images_replace_their_standins_and_offsets_follow() {
        let (a, a_bytes) = jpeg(1);
        let (b, b_bytes) = jpeg(2);
        let (sa, sb) = (standin_of(0, &a), standin_of(1, &b));
        // Other streams before, between and after; one image at the very end.
        let pdf = pdf_with(&[b"q 1 0 0 1 0 0 cm Q", &sa, b"BT ET", &sb]);
        assert_consistent(&pdf);
        let splices = [
            Splice {
                standin: sb.clone(),
                source: b,
            },
            Splice {
                standin: sa.clone(),
                source: a,
            },
        ];
        let out = splice_of(&pdf, &splices);
        assert_consistent(&out);
        assert!(memmem::find(&out, &a_bytes).is_some());
        assert!(memmem::find(&out, &b_bytes).is_some());
        assert!(memmem::find(&out, TAG).is_none());
        assert_eq!(
            out.len(),
            pdf.len() + a_bytes.len() + b_bytes.len() - sa.len() - sb.len()
                + a_bytes.len().to_string().len()
                + b_bytes.len().to_string().len()
                - sa.len().to_string().len()
                - sb.len().to_string().len()
        );
        // The same input gives the same bytes.
        assert_eq!(out, splice_of(&pdf, &splices));
    }

    #[test]
    fn an_image_drawn_twice_is_one_object_and_a_missing_standin_is_an_error() {
        let (a, a_bytes) = jpeg(3);
        let (missing, _) = jpeg(4);
        let sa = standin_of(0, &a);
        let pdf = pdf_with(&[&sa]);
        let one = [Splice {
            standin: sa.clone(),
            source: a.clone(),
        }];
        let out = splice_of(&pdf, &one);
        assert_consistent(&out);
        assert_eq!(memmem::find_iter(&out, &a_bytes).count(), 1);
        let two = [
            Splice {
                standin: sa,
                source: a,
            },
            Splice {
                standin: standin_of(1, &missing),
                source: missing,
            },
        ];
        let err = splice(&pdf, &two, &mut Vec::new()).unwrap_err();
        assert!(err.contains("1 of 2"), "{err}");
    }

    #[test]
    fn no_standin_leaves_the_pdf_as_it_was() {
        let pdf = pdf_with(&[b"BT ET"]);
        assert_eq!(splice_of(&pdf, &[]), pdf);
    }

    #[test]
    fn a_changed_file_fails_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let (mem, bytes) = jpeg(5);
        let path = dir.path().join("photo.jpg");
        std::fs::write(&path, &bytes).unwrap();
        let file = ImageSource::File(std::sync::Arc::new(crate::images::ImageFile {
            path: path.clone(),
            fingerprint: mem.fingerprint(),
        }));
        let s = standin_of(0, &file);
        let pdf = pdf_with(&[&s]);
        let splices = [Splice {
            standin: s,
            source: file,
        }];
        assert_consistent(&splice_of(&pdf, &splices));
        let mut other = bytes.clone();
        *other.last_mut().unwrap() ^= 1;
        std::fs::write(&path, &other).unwrap();
        let err = splice(&pdf, &splices, &mut Vec::new()).unwrap_err();
        assert!(
            err.contains("photo.jpg") && err.contains("run anpham again"),
            "{err}"
        );
    }

    #[test]
    fn an_unexpected_layout_is_an_error() {
        let (a, _) = jpeg(6);
        let sa = standin_of(0, &a);
        let mut pdf = pdf_with(&[&sa]);
        let at = memmem::find(&pdf, b"/Length ").unwrap() + 8;
        pdf[at] = if pdf[at] == b'9' { b'8' } else { b'9' };
        let splices = [Splice {
            standin: sa,
            source: a,
        }];
        assert!(splice(&pdf, &splices, &mut Vec::new()).is_err());
        assert!(splice(b"%PDF-1.7\n", &[], &mut Vec::new()).is_err());
    }
}
