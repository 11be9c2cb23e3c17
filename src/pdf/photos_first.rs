//! Photos first: the JPEGs passed through are written at the *front* of the PDF file, on a
//! second thread while krilla draws the pages, so that the disk writes them (the
//! write-behind of [`crate::output`]) while the CPU is still busy; krilla's own output
//! follows once `Document::finish` has made it.
//!
//! Layout of the file (`N` the image's object number, known only after `finish`):
//!
//! ```text
//! [HEADER_ROOM bytes]  krilla's header (`%PDF-1.7` EOL, `%` + 4 bytes > 127 EOL) then spaces
//! per photo:
//!   [HEAD_ROOM bytes]  spaces, then EOL `N 0 obj` EOL <<krilla's dictionary, real /Length>> EOL `stream` LF
//!   the file's bytes   (copied and checked against its fingerprint: `ImageSource::copy_to`)
//!   EOL `endstream` EOL `endobj` EOL
//! krilla's objects, each stand-in *object* left out
//! krilla's xref table (every offset where the object now is), trailer, startxref, %%EOF EOL
//! ```
//!
//! [`write_front`] writes the reserved regions as spaces and the photos' bytes (it needs
//! nothing from krilla); [`write_rest`] appends krilla's output without the stand-in
//! objects and the rewritten cross-reference table, then fills each reserved region in
//! place (`Seek`): the head right-aligned so that `stream` LF ends exactly where the
//! photo's bytes start, and the header at byte 0. A head that does not fit its region
//! is an error naming the bug (krilla's JPEG dictionaries are ~120 bytes:
//! `<</Length L/Type/XObject/Subtype/Image/Filter/DCTDecode/Width W/Height H/ColorSpace C
//! 0 R/BitsPerComponent 8>>`), never a wrong file.
//!
//! What PDF/A-2 (ISO 19005-2 §6.1) asks and this layout keeps: the header at byte 0
//! followed by a comment of 4 bytes > 127 (krilla's, copied as it is); white space
//! (spaces, EOLs) only between objects; each object number preceded by an EOL, `obj` and
//! `endobj` followed by an EOL, `endobj` preceded by an EOL; `stream` followed by LF,
//! `endstream` preceded by an EOL, `/Length` the exact number of bytes between them;
//! every in-use xref entry the exact offset of its object; nothing after `%%EOF` but
//! krilla's EOL. Every stand-in must be found exactly once in krilla's output, framed as
//! pdf-writer frames a stream, with the stand-in's `/Length`; anything else is an error.

use std::collections::HashMap;
use std::io::{Seek, SeekFrom, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use memchr::memmem;

use super::splice::{COMMENT_AT, Splice, TAG, Xref, comment, stream_length};
use crate::model::image_source::CopyError;

/// Bytes reserved at offset 0 for krilla's header (16 bytes for PDF 1.7).
const HEADER_ROOM: usize = 64;

/// Bytes reserved before each photo for its object head (about 130 used).
const HEAD_ROOM: usize = 256;

/// What ends each photo's object.
const OBJECT_END: &[u8] = b"\nendstream\nendobj\n";

/// Where [`write_front`] put the photos: the offset of each one's bytes, and the end of
/// the front part.
#[derive(Debug)]
pub(super) struct Front {
    /// Offset of each splice's first data byte (its head region ends there).
    data_at: Vec<u64>,
    /// Bytes written.
    end: u64,
}

/// Writes the front part into `out` (empty, at offset 0): the header region, then each
/// photo of `splices` in its slot. Stops early (an error) once `cancel` is set. Errors:
/// a photo that changed since it was loaded (named, with what to do), the output.
pub(super) fn write_front(
    splices: &[Splice],
    out: &mut dyn Write,
    cancel: &AtomicBool,
) -> Result<Front, String> {
    let write_error = |e: std::io::Error| format!("cannot write the PDF: {e}");
    if splices.is_empty() {
        return Ok(Front {
            data_at: Vec::new(),
            end: 0,
        });
    }
    let mut at = HEADER_ROOM as u64;
    out.write_all(&[b' '; HEADER_ROOM]).map_err(write_error)?;
    let mut data_at = Vec::with_capacity(splices.len());
    for s in splices {
        if cancel.load(Ordering::Relaxed) {
            return Err("the PDF was not finished".into());
        }
        out.write_all(&[b' '; HEAD_ROOM]).map_err(write_error)?;
        at += HEAD_ROOM as u64;
        data_at.push(at);
        let len = s.source.copy_to(out).map_err(|x| match x {
            CopyError::Image(why) => why,
            CopyError::Write(x) => write_error(x),
        })?;
        out.write_all(OBJECT_END).map_err(write_error)?;
        at += len + OBJECT_END.len() as u64;
    }
    Ok(Front { data_at, end: at })
}

/// A stand-in's object in krilla's output.
struct StandinObject {
    /// Offset of its object number (its xref offset).
    start: usize,
    /// Offset after its `endobj` EOL.
    end: usize,
    /// Its head for the front: EOL `N 0 obj` EOL, dictionary with the real `/Length`,
    /// EOL `stream` LF.
    head: Vec<u8>,
}

/// Appends krilla's finished document `pdf` to `out` after the `front` that
/// [`write_front`] wrote for `splices`, and fills in the front's header and heads (see
/// the module documentation). With no splices, `pdf` is written as it is. Errors: a
/// stand-in krilla did not write as it was given, a PDF not laid out as expected, a
/// head that does not fit (a bug), the output.
pub(super) fn write_rest<W: Write + Seek>(
    pdf: &[u8],
    splices: &[Splice],
    front: &Front,
    out: &mut W,
) -> Result<(), String> {
    let write_error = |e: std::io::Error| format!("cannot write the PDF: {e}");
    if splices.is_empty() {
        return out.write_all(pdf).map_err(write_error);
    }
    let xref = Xref::find(pdf)?;
    let objects = standin_objects(pdf, splices, xref.start)?;
    let in_use = xref.offsets(pdf)?;
    let header_end = in_use.iter().copied().min().unwrap_or(xref.start);
    let header = &pdf[..header_end];
    if !header.starts_with(b"%PDF-") || header.len() > HEADER_ROOM {
        return Err(format!(
            "krilla's PDF header ({} bytes) does not fit the {HEADER_ROOM} bytes reserved for it\n  hint: this is a bug in anpham; please report it",
            header.len()
        ));
    }
    // Where each stand-in object now is: in its photo's slot.
    let mut moved_to: HashMap<usize, u64> = HashMap::with_capacity(objects.len());
    for (o, data_at) in objects.iter().zip(&front.data_at) {
        if o.head.len() > HEAD_ROOM {
            return Err(format!(
                "the head of the image object at byte {} of krilla's PDF ({} bytes) does not fit the {HEAD_ROOM} bytes reserved for it\n  hint: this is a bug in anpham; please report it with the input",
                o.start,
                o.head.len()
            ));
        }
        // After the head's leading EOL.
        moved_to.insert(o.start, data_at - o.head.len() as u64 + 1);
    }
    if let Some(lost) = objects.iter().find(|o| !in_use.contains(&o.start)) {
        return Err(format!(
            "the PDF's image object at byte {} is not in its cross-reference table",
            lost.start
        ));
    }
    // krilla's bytes after its header, without the stand-in objects.
    let mut ranges = objects.iter().map(|o| (o.start, o.end)).collect::<Vec<_>>();
    ranges.sort_unstable();
    let mut cursor = header_end;
    let mut removed = Vec::with_capacity(ranges.len());
    let mut removed_total = 0u64;
    for (start, end) in &ranges {
        out.write_all(&pdf[cursor..*start]).map_err(write_error)?;
        removed_total += (end - start) as u64;
        removed.push((*start, removed_total));
        cursor = *end;
    }
    out.write_all(&pdf[cursor..xref.start])
        .map_err(write_error)?;
    let tail_at = front.end;
    let moved = |offset: usize| -> u64 {
        if let Some(at) = moved_to.get(&offset) {
            return *at;
        }
        let before = removed.partition_point(|(at, _)| *at < offset);
        let shift = before.checked_sub(1).map_or(0, |k| removed[k].1);
        tail_at + (offset - header_end) as u64 - shift
    };
    xref.write(pdf, &moved, &mut |b| out.write_all(b).map_err(write_error))?;
    // The reserved regions, filled in place.
    for (o, data_at) in objects.iter().zip(&front.data_at) {
        out.seek(SeekFrom::Start(data_at - o.head.len() as u64))
            .map_err(write_error)?;
        out.write_all(&o.head).map_err(write_error)?;
    }
    out.seek(SeekFrom::Start(0)).map_err(write_error)?;
    out.write_all(header).map_err(write_error)?;
    out.seek(SeekFrom::End(0)).map_err(write_error)?;
    Ok(())
}

/// The object of each stand-in of `splices` in krilla's output (before `xref_at`), in
/// the order of `splices`; an error unless each is found exactly once, framed as
/// expected.
fn standin_objects(
    pdf: &[u8],
    splices: &[Splice],
    xref_at: usize,
) -> Result<Vec<StandinObject>, String> {
    // One pass over the file for the stand-ins' comments (not one search per image):
    // each hit is checked to be a whole stand-in of `splices`.
    let by_comment: HashMap<&[u8], usize> = splices
        .iter()
        .enumerate()
        .filter_map(|(k, s)| Some((comment(&s.standin)?, k)))
        .collect();
    let mut found: Vec<Option<StandinObject>> = (0..splices.len()).map(|_| None).collect();
    for hit in memmem::find_iter(&pdf[..xref_at], TAG) {
        let Some(at) = hit.checked_sub(COMMENT_AT) else {
            continue;
        };
        let Some(&k) = comment(&pdf[at..]).and_then(|c| by_comment.get(c)) else {
            continue;
        };
        let s = &splices[k];
        if !pdf[at..].starts_with(&s.standin) {
            continue;
        }
        if found[k].is_some() {
            return Err(format!(
                "JPEG stand-in {k} is twice in the PDF krilla wrote\n  hint: this is a bug in anpham; please report it with the input"
            ));
        }
        found[k] = Some(standin_object(pdf, at, s)?);
    }
    let missing = found.iter().filter(|f| f.is_none()).count();
    if missing > 0 || by_comment.len() != splices.len() {
        return Err(format!(
            "{missing} of {} JPEG stand-ins were not found in the PDF krilla wrote\n  hint: this is a bug in anpham; please report it with the input",
            splices.len()
        ));
    }
    Ok(found.into_iter().flatten().collect())
}

/// The object whose stream data (the stand-in of `s`) starts at `data`.
fn standin_object(pdf: &[u8], data: usize, s: &Splice) -> Result<StandinObject, String> {
    let unexpected = |what: &str| format!("the PDF's image stream at byte {data}: {what}");
    let (length_at, length_digits) = stream_length(pdf, data, s.standin.len())?;
    let end = data + s.standin.len();
    if !pdf[end..].starts_with(OBJECT_END) {
        return Err(unexpected("not followed by `endobj`"));
    }
    let obj = memmem::rfind(&pdf[..data], b" 0 obj\n").ok_or_else(|| unexpected("no object"))?;
    let number = pdf[..obj]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let start = obj - number;
    if number == 0 || pdf.get(start.wrapping_sub(1)) != Some(&b'\n') {
        return Err(unexpected("its object number does not start a line"));
    }
    let dict_at = obj + b" 0 obj\n".len();
    let mut head = Vec::with_capacity(160);
    head.push(b'\n');
    head.extend_from_slice(&pdf[start..dict_at]);
    head.extend_from_slice(&pdf[dict_at..length_at]);
    head.extend_from_slice(s.source.len().to_string().as_bytes());
    head.extend_from_slice(&pdf[length_at + length_digits..data]);
    Ok(StandinObject {
        start,
        end: end + OBJECT_END.len(),
        head,
    })
}

/// [`write_front`] then [`write_rest`] on one thread (tests).
#[cfg(test)]
pub(super) fn splice_into<W: Write + Seek>(
    pdf: &[u8],
    splices: &[Splice],
    out: &mut W,
) -> Result<(), String> {
    let front = write_front(splices, out, &AtomicBool::new(false))?;
    write_rest(pdf, splices, &front, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::{ImageSource, testdata};

    /// A PDF made the way pdf-writer lays one out: objects, an xref table, a trailer.
    fn pdf_with(streams: &[&[u8]]) -> Vec<u8> {
        pdf_with_dict(streams, "")
    }

    /// [`pdf_with`], with `extra` in each stream's dictionary.
    fn pdf_with_dict(streams: &[&[u8]], extra: &str) -> Vec<u8> {
        let mut pdf = b"%PDF-1.7\n%\x80\x80\x80\x80\n\n".to_vec();
        let mut offsets = Vec::new();
        for (k, data) in streams.iter().enumerate() {
            offsets.push(pdf.len());
            write!(
                pdf,
                "{} 0 obj\n<<\n  /Length {}\n  /Type /XObject\n  /Subtype /Image{extra}\n>>\nstream\n",
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
        try_splice(pdf, splices).unwrap()
    }

    fn try_splice(pdf: &[u8], splices: &[Splice]) -> Result<Vec<u8>, String> {
        let mut out = std::io::Cursor::new(Vec::new());
        splice_into(pdf, splices, &mut out)?;
        Ok(out.into_inner())
    }

    fn jpeg(seed: u32) -> (ImageSource, Vec<u8>) {
        let bytes = testdata::jpeg_with_exif(40 + seed, 30, 1);
        (ImageSource::memory(bytes.clone()), bytes)
    }

    fn standin_of(k: usize, source: &ImageSource) -> Vec<u8> {
        super::super::splice::standin(&source.read().unwrap(), k, source).unwrap()
    }

    /// Every offset in the xref table points at its object, and every stream's
    /// /Length is its data's length.
    fn assert_consistent(pdf: &[u8]) {
        assert!(pdf.starts_with(b"%PDF-1.7\n%\x80\x80\x80\x80\n"), "header");
        assert!(pdf.ends_with(b"%%EOF\n"), "nothing after %%EOF but an EOL");
        let xref = Xref::find(pdf).unwrap();
        for k in 1..xref.count {
            let e = &pdf[xref.entries + 20 * k..][..20];
            let o: usize = std::str::from_utf8(&e[..10]).unwrap().parse().unwrap();
            assert!(
                pdf[o..].starts_with(format!("{k} 0 obj\n").as_bytes()),
                "object {k}"
            );
            assert_eq!(pdf[o - 1], b'\n', "an EOL before object {k}");
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
                pdf[data + n..].starts_with(b"\nendstream\nendobj\n"),
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
        // The photos first, in the order of `splices`, then krilla's objects.
        let (at_a, at_b) = (
            memmem::find(&out, &a_bytes).unwrap(),
            memmem::find(&out, &b_bytes).unwrap(),
        );
        assert!(at_b < at_a && at_a < memmem::find(&out, b"BT ET").unwrap());
        // Each object once: the stand-ins' objects left out of krilla's part.
        let objects = |pdf: &[u8]| memmem::find_iter(pdf, b" 0 obj\n").count();
        assert_eq!(objects(&out), objects(&pdf));
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
        let err = try_splice(&pdf, &two).unwrap_err();
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
        let err = try_splice(&pdf, &splices).unwrap_err();
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
        assert!(try_splice(&pdf, &splices).is_err());
        let (b, _) = jpeg(7);
        let sb = standin_of(1, &b);
        let splices = [Splice {
            standin: sb.clone(),
            source: b,
        }];
        assert!(try_splice(b"%PDF-1.7\n", &splices).is_err());
    }

    #[test]
    fn a_head_too_long_for_its_room_is_an_error_naming_the_bug() {
        let (a, _) = jpeg(8);
        let sa = standin_of(0, &a);
        let splices = [Splice {
            standin: sa.clone(),
            source: a,
        }];
        let fits = pdf_with_dict(&[&sa], &" ".repeat(HEAD_ROOM - 120));
        assert_consistent(&splice_of(&fits, &splices));
        let too_long = pdf_with_dict(&[&sa], &" ".repeat(HEAD_ROOM));
        let err = try_splice(&too_long, &splices).unwrap_err();
        assert!(err.contains("does not fit") && err.contains("bug"), "{err}");
    }

    #[test]
    fn a_cancelled_front_stops_before_the_next_photo() {
        let (a, _) = jpeg(9);
        let splices = [Splice {
            standin: standin_of(0, &a),
            source: a,
        }];
        let mut out = Vec::new();
        assert!(write_front(&splices, &mut out, &AtomicBool::new(true)).is_err());
        assert_eq!(out.len(), HEADER_ROOM);
    }
}
