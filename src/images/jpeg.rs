//! Walking a JPEG's marker segments: the one reader of where each segment starts and ends.
//!
//! [`Segments`] goes from after SOI to EOI: fill bytes (`FF FF …`) before a marker are
//! skipped, a segment with a length is read by it, a standalone marker (`01`, `D0`–`D9`)
//! is two bytes, and after a start of scan the entropy-coded data is passed over (to the
//! next `FF` that is neither a stuffed `00` nor a restart marker). Its users differ in what
//! they tolerate: the probe (`images::probe`) refuses a damaged file with the error's
//! message, the print edition's stand-in (its `splice::standin`) gives up and hands krilla
//! the whole file.

use std::fmt;

/// The start of every message about a damaged image file.
pub(super) const DAMAGED: &str = "the image data is truncated or damaged";

/// One marker segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment<'a> {
    /// The marker's second byte (`DA` start of scan, `E1` APP1, `D9` end of image, …).
    pub marker: u8,
    /// Where the segment starts in the file: its `FF`, after any fill bytes.
    pub at: usize,
    /// The segment's bytes: marker, length and data (a standalone marker: its two bytes).
    pub bytes: &'a [u8],
    /// Bytes between the previous segment (or scan) and this marker that are not fill
    /// bytes: damage a lenient reader passes over.
    pub skipped: usize,
}

impl<'a> Segment<'a> {
    /// Whether the marker has no length and no data (`TEM`, `RSTn`, `SOI`, `EOI`).
    pub fn is_standalone(&self) -> bool {
        standalone(self.marker)
    }

    /// The data after the marker and its length (empty for a standalone marker).
    pub fn data(&self) -> &'a [u8] {
        self.bytes.get(4..).unwrap_or_default()
    }
}

/// Whether a marker has no length and no data (`TEM`, `RSTn`, `SOI`, `EOI`).
fn standalone(marker: u8) -> bool {
    matches!(marker, 0x01 | 0xD0..=0xD9)
}

/// Why the walk stopped before EOI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentError {
    /// The file ends before the next marker or inside a segment's length.
    Truncated,
    /// A segment's length is under 2 or reaches past the end of the file.
    PastEnd {
        /// The segment's marker.
        marker: u8,
        /// Where the segment starts.
        at: usize,
        /// The length it claims.
        len: usize,
    },
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentError::Truncated => f.write_str(DAMAGED),
            SegmentError::PastEnd { marker, at, len } => write!(
                f,
                "{DAMAGED} (a segment, marker FF {marker:02X}, at byte {at} claims {len} bytes, past the end of the file)"
            ),
        }
    }
}

/// The segments of a JPEG, in file order, through EOI; an error ends the walk.
#[derive(Debug, Clone)]
pub struct Segments<'a> {
    bytes: &'a [u8],
    at: usize,
    in_scan: bool,
    done: bool,
}

impl<'a> Segments<'a> {
    /// Walks `bytes` from byte 2: the caller has checked that it starts with SOI (`FF D8`).
    pub fn after_soi(bytes: &'a [u8]) -> Self {
        Segments {
            bytes,
            at: 2,
            in_scan: false,
            done: false,
        }
    }

    fn fail(&mut self, e: SegmentError) -> Option<Result<Segment<'a>, SegmentError>> {
        self.done = true;
        Some(Err(e))
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = Result<Segment<'a>, SegmentError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let b = self.bytes;
        let n = b.len();
        if self.in_scan {
            self.at = after_entropy_coded_data(b, self.at);
            self.in_scan = false;
        }
        let start = self.at.min(n);
        let mut i = memchr::memchr(0xFF, &b[start..]).map_or(n, |k| start + k);
        let skipped = i - start;
        while i + 1 < n && b[i + 1] == 0xFF {
            i += 1;
        }
        if i + 1 >= n {
            return self.fail(SegmentError::Truncated);
        }
        let marker = b[i + 1];
        let mut end = i + 2;
        if !standalone(marker) {
            if i + 4 > n {
                return self.fail(SegmentError::Truncated);
            }
            let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
            if len < 2 || end + len > n {
                return self.fail(SegmentError::PastEnd { marker, at: i, len });
            }
            end += len;
        }
        self.at = end;
        self.in_scan = marker == 0xDA;
        self.done = marker == 0xD9;
        Some(Ok(Segment {
            marker,
            at: i,
            bytes: &b[i..end],
            skipped,
        }))
    }
}

/// Where the entropy-coded data starting at `i` ends: the next `FF` that is neither a
/// stuffed byte nor a restart marker, or the last byte (memchr: this walk is most of a
/// photo's probe).
fn after_entropy_coded_data(b: &[u8], mut i: usize) -> usize {
    let n = b.len();
    while i + 1 < n {
        match memchr::memchr(0xFF, &b[i..n - 1]) {
            Some(k) if matches!(b[i + k + 1], 0x00 | 0xD0..=0xD7) => i += k + 2,
            Some(k) => return i + k,
            None => return n - 1,
        }
    }
    i
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn markers(b: &[u8]) -> Vec<Result<(u8, usize, usize), SegmentError>> {
        Segments::after_soi(b)
            .map(|s| s.map(|s| (s.marker, s.at, s.skipped)))
            .collect()
    }

    #[test]
    fn segments_fill_bytes_scans_and_eoi() {
        let jpeg = [
            0xFF, 0xD8, // SOI
            0xFF, 0xFF, 0xFF, 0xE0, 0, 4, 1, 2, // fill bytes, APP0 of 2 data bytes
            0xFF, 0xDA, 0, 2, // SOS
            7, 0xFF, 0, 8, 0xFF, 0xD3, 9, // scan: a stuffed FF, a restart marker
            0xFF, 0xC4, 0, 3, 5, // DHT between scans
            0xFF, 0xDA, 0, 2, 1, // second scan
            0xFF, 0xD9, 0xAA, // EOI and trailing bytes
        ];
        assert_eq!(
            markers(&jpeg),
            vec![
                Ok((0xE0, 4, 0)),
                Ok((0xDA, 10, 0)),
                Ok((0xC4, 21, 0)),
                Ok((0xDA, 26, 0)),
                Ok((0xD9, 31, 0)),
            ]
        );
        let app0 = Segments::after_soi(&jpeg).next().unwrap().unwrap();
        assert_eq!((app0.bytes, app0.data()), (&jpeg[4..10], &[1u8, 2][..]));
    }

    #[test]
    fn bytes_between_segments_are_counted_standalone_markers_have_no_length() {
        let jpeg = [
            0xFF, 0xD8, 0, 0, 0, 0xFF, 0xD0, 0xFF, 0xFE, 0, 2, 0xFF, 0xD9,
        ];
        assert_eq!(
            markers(&jpeg),
            vec![Ok((0xD0, 5, 3)), Ok((0xFE, 7, 0)), Ok((0xD9, 11, 0))]
        );
    }

    #[test]
    fn truncated_and_overlong_segments_end_the_walk() {
        // No EOI after the scan.
        let cut = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 1, 2, 3];
        assert_eq!(markers(&cut).last(), Some(&Err(SegmentError::Truncated)));
        // A length field cut off.
        assert_eq!(
            markers(&[0xFF, 0xD8, 0xFF, 0xE1, 0]),
            vec![Err(SegmentError::Truncated)]
        );
        let long = [0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0, 0, 0];
        let e = markers(&long).pop().unwrap().unwrap_err();
        assert_eq!(
            e,
            SegmentError::PastEnd {
                marker: 0xE1,
                at: 2,
                len: 0x1000
            }
        );
        assert_eq!(
            e.to_string(),
            "the image data is truncated or damaged (a segment, marker FF E1, at byte 2 claims 4096 bytes, past the end of the file)"
        );
        assert_eq!(
            markers(&[0xFF, 0xD8, 0xFF, 0xDB, 0, 1])[0],
            Err(SegmentError::PastEnd {
                marker: 0xDB,
                at: 2,
                len: 1
            })
        );
    }

    /// The JPEG of `testdata` with `extra` bytes put before its start of scan.
    pub(crate) fn with_bytes_before_scan(extra: &[u8]) -> Vec<u8> {
        let plain = crate::images::testdata::jpeg_with_exif(24, 16, 1);
        let sos = Segments::after_soi(&plain)
            .map(Result::unwrap)
            .find(|s| s.marker == 0xDA)
            .unwrap()
            .at;
        let mut j = plain[..sos].to_vec();
        j.extend_from_slice(extra);
        j.extend_from_slice(&plain[sos..]);
        j
    }

    /// The probe passes over fill bytes before a marker and (as zune-jpeg does) other
    /// bytes between segments; the stand-in's side is in its `splice` module's tests.
    #[test]
    fn the_probe_passes_over_fill_bytes_and_bytes_between_segments() {
        let plain = crate::images::probe(&with_bytes_before_scan(&[]), 1000).unwrap();
        for extra in [&[0xFF, 0xFF][..], &[0x00, 0x00]] {
            let j = with_bytes_before_scan(extra);
            assert_eq!(crate::images::probe(&j, 1000), Ok(plain));
        }
    }
}
