//! The OCF container: a ZIP file whose first entry is the uncompressed `mimetype`, then
//! the publication's stored photos, then `META-INF/container.xml` pointing at the package
//! document, then the other files in the order given.
//!
//! OCF requires only that `mimetype` comes first. The photos come next so that they (the
//! bulk of a bulletin's bytes) can be copied into the file, and reach the disk, while the
//! text documents are still being made and deflated ([`Container`]; `super::write_epub_to`).
//!
//! The output is deterministic: every entry carries the same timestamp
//! (1980-01-01 00:00, the earliest a ZIP can hold) and the same permissions, the order
//! is the caller's, and no extra fields are written.

use std::borrow::Cow;
use std::io::{Cursor, Seek, Write};

use rayon::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::{Error, Result};
use crate::images::ImageSource;
use crate::model::image_source::CopyError;

/// One file of the container.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Path inside the container, e.g. `EPUB/package.opf`.
    pub path: String,
    /// What it holds.
    pub data: Data<'a>,
    /// Deflate it (text) or store it (already-compressed images and the like).
    pub compress: bool,
}

/// What an entry holds.
#[derive(Debug, Clone)]
pub enum Data<'a> {
    /// Bytes made for the container, or borrowed (a narrated EPUB's MP3s) so that large
    /// files are not copied before they are packed.
    Bytes(Cow<'a, [u8]>),
    /// An image, copied from its file (checked against what was loaded) with a small
    /// buffer, or from memory; always stored.
    Image(ImageSource),
    /// A file made for the container (a narrated EPUB's MP3, written as it was spoken),
    /// copied in with a small buffer so that it is never whole in memory.
    File(std::path::PathBuf),
}

impl Data<'_> {
    /// Its length in bytes.
    fn len(&self) -> usize {
        match self {
            Data::Bytes(b) => b.len(),
            Data::Image(s) => usize::try_from(s.len()).unwrap_or(usize::MAX),
            Data::File(p) => std::fs::metadata(p)
                .ok()
                .and_then(|m| usize::try_from(m.len()).ok())
                .unwrap_or(0),
        }
    }
}

impl Entry<'_> {
    /// A text file, compressed.
    pub fn text(path: impl Into<String>, text: String) -> Entry<'static> {
        Entry {
            path: path.into(),
            data: Data::Bytes(Cow::Owned(text.into_bytes())),
            compress: true,
        }
    }
}

/// The media type stored in `mimetype`.
pub const MIMETYPE: &str = "application/epub+zip";

/// Writes the container with `rootfile` (the package document's path) and `entries`
/// into `out`, streaming: only the deflated text entries are held, each compressed on
/// its own (in parallel) and then copied in as it is. (The EPUB writer drives a
/// [`Container`] itself, to write the photos while the documents are made.)
#[cfg(test)]
pub fn write_container<W: Write + Seek>(out: W, rootfile: &str, entries: &[Entry]) -> Result<W> {
    let mut container = Container::start(out)?;
    let xml = container_xml(rootfile);
    let all: Vec<Entry> = std::iter::once(xml)
        .chain(entries.iter().cloned())
        .collect();
    let deflated = deflate_entries(&all)?;
    container.append(&all, deflated)?;
    container.finish()
}

/// `META-INF/container.xml`, pointing at `rootfile` (the package document).
pub fn container_xml(rootfile: &str) -> Entry<'static> {
    let mut container = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n\
         <rootfiles>\n<rootfile",
    );
    crate::xml::attr(&mut container, "full-path", rootfile);
    container
        .push_str(" media-type=\"application/oebps-package+xml\"/>\n</rootfiles>\n</container>\n");
    Entry::text("META-INF/container.xml", container)
}

/// Every compressed entry of `entries` deflated on its own, in parallel (the XHTML
/// documents of a bulletin, the fonts): each becomes a one-entry zip whose compressed data
/// [`Container::append`] copies in as it is (`raw_copy_file_touch`), so the result is
/// what deflating in place gives, made on every core. `None` for a stored entry.
pub fn deflate_entries(entries: &[Entry]) -> Result<Vec<Option<Vec<u8>>>> {
    entries
        .par_iter()
        .map(|e| e.compress.then(|| deflate_alone(e)).transpose())
        .collect()
}

/// A container being written, entry after entry, into `W`.
pub struct Container<W: Write + Seek> {
    zip: ZipWriter<W>,
}

/// A zip error as an EPUB error.
fn zip_error(e: &dyn std::fmt::Display) -> Error {
    crate::epub::error(format!("zip: {e}"))
}

impl<W: Write + Seek> Container<W> {
    /// Starts the container in `out` with its `mimetype` entry (stored, first: OCF).
    pub fn start(out: W) -> Result<Container<W>> {
        let mut zip = ZipWriter::new(out);
        zip.start_file("mimetype", options(CompressionMethod::Stored))
            .map_err(|e| zip_error(&e))?;
        zip.write_all(MIMETYPE.as_bytes())
            .map_err(|e| zip_error(&e))?;
        Ok(Container { zip })
    }

    /// Adds a stored entry: `data` copied in as it is (an image from its file, checked
    /// against what was loaded, with a small buffer).
    pub fn store(&mut self, path: &str, data: &Data) -> Result<()> {
        self.zip
            .start_file(path, options(CompressionMethod::Stored))
            .map_err(|x| zip_error(&x))?;
        match data {
            Data::Bytes(b) => self.zip.write_all(b).map_err(|x| zip_error(&x)),
            Data::Image(source) => match source.copy_to(&mut self.zip) {
                Ok(_) => Ok(()),
                Err(CopyError::Image(why)) => Err(crate::epub::error(why)),
                Err(CopyError::Write(x)) => Err(zip_error(&x)),
            },
            Data::File(p) => copy_file(p, &mut self.zip),
        }
    }

    /// Adds `entries` in order: each compressed one from its pre-deflated zip in
    /// `deflated` ([`deflate_entries`] of the same entries), each other one stored.
    pub fn append(&mut self, entries: &[Entry], deflated: Vec<Option<Vec<u8>>>) -> Result<()> {
        for (e, pre) in entries.iter().zip(deflated) {
            match pre {
                Some(one) => {
                    let mut archive =
                        ZipArchive::new(Cursor::new(one)).map_err(|x| zip_error(&x))?;
                    let file = archive.by_index_raw(0).map_err(|x| zip_error(&x))?;
                    self.zip
                        .raw_copy_file_touch(file, DateTime::default(), Some(0o644))
                        .map_err(|x| zip_error(&x))?;
                }
                None => self.store(&e.path, &e.data)?,
            }
        }
        Ok(())
    }

    /// Writes the central directory and gives the output back.
    pub fn finish(self) -> Result<W> {
        self.zip.finish().map_err(|e| zip_error(&e))
    }
}

/// Copies the file at `path` into `out` with a small buffer.
fn copy_file(path: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    let mut f = std::fs::File::open(path)
        .map_err(|e| crate::epub::error(format!("cannot read {}: {e}", path.display())))?;
    std::io::copy(&mut f, out).map_err(|e| zip_error(&e))?;
    Ok(())
}

/// The options of every entry: one timestamp (1980-01-01 00:00), rw-r--r--.
fn options(method: CompressionMethod) -> SimpleFileOptions {
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .compression_method(method);
    match method {
        CompressionMethod::Deflated => base.compression_level(Some(6)),
        _ => base,
    }
}

/// A zip holding `entry` alone, deflated.
fn deflate_alone(entry: &Entry) -> Result<Vec<u8>> {
    let err = |e: &dyn std::fmt::Display| crate::epub::error(format!("zip: {e}"));
    let buf = Vec::with_capacity(entry.data.len() / 2 + entry.path.len() + 128);
    let mut zip = ZipWriter::new(Cursor::new(buf));
    zip.start_file(entry.path.as_str(), options(CompressionMethod::Deflated))
        .map_err(|e| err(&e))?;
    match &entry.data {
        Data::Bytes(b) => zip.write_all(b).map_err(|e| err(&e))?,
        Data::Image(source) => {
            let bytes = source.read().map_err(crate::epub::error)?;
            zip.write_all(&bytes).map_err(|e| err(&e))?;
        }
        Data::File(p) => copy_file(p, &mut zip)?,
    }
    Ok(zip.finish().map_err(|e| err(&e))?.into_inner())
}

/// [`write_container`] into memory.
#[cfg(test)]
pub fn container_bytes(rootfile: &str, entries: &[Entry]) -> Result<Vec<u8>> {
    Ok(write_container(Cursor::new(Vec::new()), rootfile, entries)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_is_first_and_stored() {
        let bytes = container_bytes(
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
            container_bytes("EPUB/package.opf", &entries).unwrap(),
            container_bytes("EPUB/package.opf", &entries).unwrap()
        );
    }
}
