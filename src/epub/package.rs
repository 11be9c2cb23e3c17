//! The OCF container: a ZIP file whose first entry is the uncompressed `mimetype`,
//! then `META-INF/container.xml` pointing at the package document, then the
//! publication's files in the order given.
//!
//! The output is deterministic: every entry carries the same timestamp
//! (1980-01-01 00:00, the earliest a ZIP can hold) and the same permissions, the order
//! is the caller's, and no extra fields are written.

use std::borrow::Cow;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

/// One file of the container.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Path inside the container, e.g. `EPUB/package.opf`.
    pub path: String,
    /// The bytes: made for the container, or borrowed (images, a talking book's MP3s) so
    /// that large files are not copied before they are packed.
    pub data: Cow<'a, [u8]>,
    /// Deflate it (text) or store it (already-compressed images and the like).
    pub compress: bool,
}

impl Entry<'_> {
    /// A text file, compressed.
    pub fn text(path: impl Into<String>, text: String) -> Entry<'static> {
        Entry {
            path: path.into(),
            data: Cow::Owned(text.into_bytes()),
            compress: true,
        }
    }
}

/// The media type stored in `mimetype`.
pub const MIMETYPE: &str = "application/epub+zip";

/// Writes the container with `rootfile` (the package document's path) and `entries`.
pub fn write_container(rootfile: &str, entries: &[Entry]) -> Result<Vec<u8>> {
    // Stored files whole, deflated ones about halved, and the headers.
    let guess: usize = entries
        .iter()
        .map(|e| if e.compress { e.data.len() / 2 } else { e.data.len() } + 128)
        .sum();
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(guess + 4096)));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6));
    let err = |e: &dyn std::fmt::Display| Error::Epub(format!("zip: {e}"));

    zip.start_file("mimetype", stored).map_err(|e| err(&e))?;
    zip.write_all(MIMETYPE.as_bytes()).map_err(|e| err(&e))?;

    let mut container = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
         <rootfiles>\n<rootfile",
    );
    crate::xml::attr(&mut container, "full-path", rootfile);
    container
        .push_str(" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n");
    zip.start_file("META-INF/container.xml", deflated)
        .map_err(|e| err(&e))?;
    zip.write_all(container.as_bytes()).map_err(|e| err(&e))?;

    for e in entries {
        let opts = if e.compress { deflated } else { stored };
        zip.start_file(e.path.as_str(), opts).map_err(|x| err(&x))?;
        zip.write_all(&e.data).map_err(|x| err(&x))?;
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_is_first_and_stored() {
        let bytes = write_container(
            "EPUB/package.opf",
            &[Entry::text("EPUB/a.txt", "hi".into())],
        )
        .unwrap();
        // Local file header: signature, then at 8 the method (0 = stored), at 26 the
        // name length, at 28 the extra length, then the name and the data.
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0);
        assert_eq!(u16::from_le_bytes([bytes[26], bytes[27]]), 8);
        assert_eq!(
            u16::from_le_bytes([bytes[28], bytes[29]]),
            0,
            "no extra field"
        );
        assert_eq!(&bytes[30..38], b"mimetype");
        assert_eq!(&bytes[38..58], MIMETYPE.as_bytes());
    }

    #[test]
    fn output_is_deterministic() {
        let entries = [Entry::text("EPUB/a.txt", "x".repeat(1000))];
        assert_eq!(
            write_container("EPUB/package.opf", &entries).unwrap(),
            write_container("EPUB/package.opf", &entries).unwrap()
        );
    }
}
