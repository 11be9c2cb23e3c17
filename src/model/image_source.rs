//! Where a loaded image's bytes are, without holding them: an image read from a file is
//! remembered by its path, length and CRC-32 (its fingerprint), and read again — checked
//! against the fingerprint while it is read — when an edition embeds it. An image given in
//! memory (by an embedder, or by the importer) stays in memory.
//!
//! So a bulletin of 1,200 photos holds 1,200 small records from loading to the end instead
//! of 230 MB of files: an edition copies each file into what it writes with a small
//! buffer, or splices it in, when it writes it.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Length and CRC-32 of an image's bytes: how a file read again is known to be the one
/// that was checked, and how equal images are found (only images with the same
/// fingerprint are compared byte for byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint {
    /// Length in bytes.
    pub len: u64,
    /// CRC-32 (IEEE) of the bytes.
    pub crc32: u32,
}

impl Fingerprint {
    /// The fingerprint of `bytes`.
    pub(crate) fn of(bytes: &[u8]) -> Fingerprint {
        Fingerprint {
            len: bytes.len() as u64,
            crc32: crc32fast::hash(bytes),
        }
    }
}

/// An image file checked at load time, read again when it is embedded.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageFile {
    /// Its path (as resolved when loaded).
    pub path: PathBuf,
    /// What it held when it was checked.
    pub fingerprint: Fingerprint,
}

/// Where a loaded image's bytes are.
#[derive(Debug, Clone)]
pub enum ImageSource {
    /// In memory (given by an embedder or made by the importer), with its fingerprint.
    Memory(Arc<Vec<u8>>, Fingerprint),
    /// In a file, read again when needed.
    File(Arc<ImageFile>),
}

impl PartialEq for ImageSource {
    /// Same content: same fingerprint, and the same bytes when both are in memory (two
    /// files with one fingerprint are taken as equal; `crate::images` compares them
    /// byte for byte when it shares them).
    fn eq(&self, other: &ImageSource) -> bool {
        match (self, other) {
            (ImageSource::Memory(a, fa), ImageSource::Memory(b, fb)) => fa == fb && a == b,
            _ => self.fingerprint() == other.fingerprint(),
        }
    }
}

/// An image file that is no longer what was checked when the articles were loaded, or
/// that cannot be read again. Its text names the file and says to run anpham again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    /// The file.
    pub path: PathBuf,
    /// What happened to it: what changed, or why it cannot be read.
    pub what: String,
}

impl std::fmt::Display for Changed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}; it was checked when the articles were loaded and must not change while \
             anpham runs: run anpham again",
            self.path.display(),
            self.what
        )
    }
}

impl From<Changed> for String {
    fn from(c: Changed) -> String {
        c.to_string()
    }
}

/// The hint of an error about a [`Changed`] file: the image is not at fault, the build is
/// (the file was replaced while anpham ran).
pub const CHANGED_HINT: &str = "the file changed or went away after anpham read and checked it: \
     leave the image files alone while anpham runs, then run anpham again to rebuild";

/// The file at `path` is no longer what was checked, or cannot be read again.
fn changed(path: &Path, what: impl std::fmt::Display) -> Changed {
    Changed {
        path: path.to_path_buf(),
        what: what.to_string(),
    }
}

/// A file that cannot be opened or read again.
fn unreadable(path: &Path, e: std::io::Error) -> Changed {
    changed(path, format_args!("it cannot be read again ({e})"))
}

impl ImageSource {
    /// Bytes kept in memory.
    pub(crate) fn memory(bytes: Vec<u8>) -> ImageSource {
        let f = Fingerprint::of(&bytes);
        ImageSource::Memory(Arc::new(bytes), f)
    }

    /// Its fingerprint.
    pub(crate) fn fingerprint(&self) -> Fingerprint {
        match self {
            ImageSource::Memory(_, f) => *f,
            ImageSource::File(file) => file.fingerprint,
        }
    }

    /// Its length in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.fingerprint().len
    }

    /// The identity of this loaded copy (the address of its shared record): equal for
    /// clones, different for two loads.
    pub(crate) fn identity(&self) -> usize {
        match self {
            ImageSource::Memory(b, _) => Arc::as_ptr(b) as usize,
            ImageSource::File(f) => Arc::as_ptr(f) as usize,
        }
    }

    /// Whether `other` holds the same bytes: the same loaded record, or the same
    /// fingerprint and, compared byte for byte (a file is read again for that), the same
    /// bytes. A file that cannot be read again is not the same: its edition reports it
    /// when it reads it.
    pub(crate) fn same_content(&self, other: &ImageSource) -> bool {
        self.identity() == other.identity()
            || (self.fingerprint() == other.fingerprint()
                && matches!((self.read(), other.read()), (Ok(x), Ok(y)) if x == y))
    }

    /// All its bytes (a file is read again and checked against its fingerprint). The
    /// error names the file and says what to do (`read_checked`
    /// keeps it as a value).
    pub(crate) fn read(&self) -> Result<Cow<'_, [u8]>, String> {
        self.read_checked().map_err(String::from)
    }

    /// All its bytes, as [`read`](Self::read), with a file that changed or cannot be read
    /// again as a [`Changed`].
    pub(crate) fn read_checked(&self) -> Result<Cow<'_, [u8]>, Changed> {
        match self {
            ImageSource::Memory(b, _) => Ok(Cow::Borrowed(b.as_slice())),
            ImageSource::File(f) => {
                let bytes = std::fs::read(&f.path).map_err(|e| unreadable(&f.path, e))?;
                let now = Fingerprint::of(&bytes);
                if now != f.fingerprint {
                    return Err(changed(&f.path, describe(f.fingerprint, now)));
                }
                Ok(Cow::Owned(bytes))
            }
        }
    }

    /// Its first bytes, at most `max` (to read a file's headers without all of it; they
    /// are not checked against the fingerprint, which needs the whole file).
    pub(crate) fn head(&self, max: usize) -> Result<Cow<'_, [u8]>, Changed> {
        match self {
            ImageSource::Memory(b, _) => Ok(Cow::Borrowed(&b[..max.min(b.len())])),
            ImageSource::File(f) => {
                let file = std::fs::File::open(&f.path).map_err(|e| unreadable(&f.path, e))?;
                let mut head = Vec::with_capacity(max.min(f.fingerprint.len as usize));
                file.take(max as u64)
                    .read_to_end(&mut head)
                    .map_err(|e| unreadable(&f.path, e))?;
                Ok(Cow::Owned(head))
            }
        }
    }

    /// Copies its bytes into `out` with a small buffer, checking a file against its
    /// fingerprint as it goes. A changed file is [`CopyError::Image`] (the output then
    /// holds a partial copy and must be thrown away: [`crate::output`] never renames a
    /// file whose writing failed).
    pub(crate) fn copy_to(&self, out: &mut dyn Write) -> Result<u64, CopyError> {
        let f = match self {
            ImageSource::Memory(b, _) => {
                out.write_all(b).map_err(CopyError::Write)?;
                return Ok(b.len() as u64);
            }
            ImageSource::File(f) => f,
        };
        let mut file = std::fs::File::open(&f.path)
            .map_err(|e| CopyError::Image(unreadable(&f.path, e).to_string()))?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut crc = crc32fast::Hasher::new();
        let mut len = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(CopyError::Image(unreadable(&f.path, e).to_string())),
            };
            len += n as u64;
            if len > f.fingerprint.len {
                break;
            }
            crc.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(CopyError::Write)?;
        }
        let now = Fingerprint {
            len,
            crc32: crc.finalize(),
        };
        if now != f.fingerprint {
            return Err(CopyError::Image(
                changed(&f.path, describe(f.fingerprint, now)).to_string(),
            ));
        }
        Ok(len)
    }
}

/// What changed between two fingerprints, in words.
fn describe(then: Fingerprint, now: Fingerprint) -> String {
    if now.len > then.len {
        format!(
            "the file changed since it was checked ({} bytes then, more now)",
            then.len
        )
    } else if now.len < then.len {
        format!(
            "the file changed since it was checked ({} bytes then, {} now)",
            then.len, now.len
        )
    } else {
        format!(
            "the file changed since it was checked (same length, CRC-32 {:08x} then, {:08x} now)",
            then.crc32, now.crc32
        )
    }
}

/// Why [`ImageSource::copy_to`] failed.
#[derive(Debug)]
pub(crate) enum CopyError {
    /// The image file cannot be read again or is not what was checked (the message names
    /// it and says what to do).
    Image(String),
    /// The output could not be written.
    Write(std::io::Error),
}

impl std::fmt::Display for CopyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyError::Image(m) => f.write_str(m),
            CopyError::Write(e) => write!(f, "cannot write: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_source(dir: &Path, bytes: &[u8]) -> ImageSource {
        let path = dir.join("a.jpg");
        std::fs::write(&path, bytes).unwrap();
        ImageSource::File(Arc::new(ImageFile {
            path,
            fingerprint: Fingerprint::of(bytes),
        }))
    }

    #[test]
    fn a_file_is_copied_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let src = file_source(dir.path(), &bytes);
        let mut out = Vec::new();
        assert_eq!(src.copy_to(&mut out).unwrap(), bytes.len() as u64);
        assert_eq!(out, bytes);
        assert_eq!(src.read().unwrap().as_ref(), bytes.as_slice());
        assert_eq!(src.head(10).unwrap().as_ref(), &bytes[..10]);
    }

    #[test]
    fn a_changed_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = vec![1u8; 100_000];
        let src = file_source(dir.path(), &bytes);
        // Same length, other content.
        let mut other = bytes.clone();
        other[99_999] = 2;
        std::fs::write(dir.path().join("a.jpg"), &other).unwrap();
        let err = src.copy_to(&mut Vec::new()).unwrap_err().to_string();
        assert!(
            err.contains("a.jpg") && err.contains("run anpham again"),
            "{err}"
        );
        assert!(src.read().is_err());
        // Longer, and shorter.
        for len in [100_001, 99_999] {
            std::fs::write(dir.path().join("a.jpg"), vec![1u8; len]).unwrap();
            let err = src.copy_to(&mut Vec::new()).unwrap_err().to_string();
            assert!(err.contains("100000 bytes then"), "{err}");
        }
        std::fs::remove_file(dir.path().join("a.jpg")).unwrap();
        assert!(matches!(
            src.copy_to(&mut Vec::new()),
            Err(CopyError::Image(_))
        ));
    }

    #[test]
    fn equal_content_is_equal() {
        let a = ImageSource::memory(vec![1, 2, 3]);
        let b = ImageSource::memory(vec![1, 2, 3]);
        assert_eq!(a, b);
        assert_ne!(a.identity(), b.identity());
        assert_ne!(a, ImageSource::memory(vec![1, 2, 4]));
    }
}
