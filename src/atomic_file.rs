//! Writing a file atomically: a temporary file beside the target, renamed into place
//! when complete, so that an interrupted or failed run never leaves a truncated file nor
//! damages an earlier one. The editions' files ([`crate::output`]) and the importer's
//! Markdown and images (`import::write`) are written this way.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An output being written: a temporary file in the target folder (buffered), renamed
/// into place by [`PendingFile::commit`] once complete. Dropped without a commit, the
/// temporary file is removed and any earlier file at the path is untouched. It is
/// `Write + Seek`, so that a writer (a zip container, a spliced file) streams into it
/// instead of building the whole file in memory first.
#[derive(Debug)]
pub struct PendingFile {
    path: PathBuf,
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
    write_behind: WriteBehind,
}

/// Bytes handed to the OS after which the disk is asked to start writing them
/// ([`WriteBehind`]).
const WRITE_BEHIND_STEP: u64 = 8 << 20;

/// Lets the disk write a large output while the writer is still producing it: every
/// [`WRITE_BEHIND_STEP`] bytes a second thread calls `sync_data` on its own handle of the
/// temporary file, so that the `sync_all` before the rename only waits for the tail. Without
/// it, a 60 MB bulletin waited 0.1–0.14 s for the disk after its last byte (measured on the
/// benchmark machine). A failed background sync is reported by [`PendingFile::commit`]:
/// after an `fsync` error the kernel may not report it again.
#[derive(Debug, Default)]
struct WriteBehind {
    since_last: u64,
    worker: Option<(
        std::sync::mpsc::SyncSender<()>,
        std::thread::JoinHandle<std::io::Result<()>>,
    )>,
}

impl WriteBehind {
    /// Counts `n` bytes written; past a step, wakes (or starts) the syncing thread. A
    /// wake-up while it is still syncing is dropped: its next sync covers those bytes.
    fn wrote(&mut self, n: usize, file: &std::fs::File) {
        self.since_last += n as u64;
        if self.since_last < WRITE_BEHIND_STEP {
            return;
        }
        self.since_last = 0;
        if self.worker.is_none() {
            let Ok(handle) = file.try_clone() else {
                return; // no second handle: the final sync does all the work
            };
            let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
            let thread = std::thread::spawn(move || {
                while rx.recv().is_ok() {
                    handle.sync_data()?;
                }
                Ok(())
            });
            self.worker = Some((tx, thread));
        }
        if let Some((tx, _)) = &self.worker {
            let _ = tx.try_send(());
        }
    }

    /// Stops the syncing thread and returns its first error.
    fn finish(&mut self) -> std::io::Result<()> {
        match self.worker.take() {
            Some((tx, thread)) => {
                drop(tx);
                thread
                    .join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("write-behind thread panicked")))
            }
            None => Ok(()),
        }
    }
}

impl PendingFile {
    /// Opens a temporary file beside `path` (`.NAME.XXXXXX.partial`).
    pub fn create(path: &Path) -> Result<PendingFile> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(|source| write_error(path, source))?;
        Ok(PendingFile {
            path: path.to_path_buf(),
            tmp: std::io::BufWriter::with_capacity(256 * 1024, tmp),
            write_behind: WriteBehind::default(),
        })
    }

    /// The path the file is renamed to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, gives the file the mode of the file it replaces (else rw-r--r--), syncs
    /// it to disk and renames it into place.
    pub fn commit(mut self) -> Result<()> {
        let behind = self.write_behind.finish();
        let path = self.path;
        let err = |source| write_error(&path, source);
        behind.map_err(err)?;
        let tmp = self.tmp.into_inner().map_err(|e| err(e.into_error()))?;
        // Temporary files are private (0600); an edition is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(err)?;
        }
        tmp.as_file().sync_all().map_err(err)?;
        tmp.persist(&path).map_err(|e| err(e.error))?;
        Ok(())
    }
}

impl PendingFile {
    /// An I/O error of the temporary file, naming the file it becomes (the writers pass
    /// it on in their own error).
    fn named(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.tmp.write(buf).map_err(|e| self.named(e))?;
        self.write_behind.wrote(n, self.tmp.get_ref().as_file());
        Ok(n)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.tmp.write_all(buf).map_err(|e| self.named(e))?;
        self.write_behind
            .wrote(buf.len(), self.tmp.get_ref().as_file());
        Ok(())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush().map_err(|e| self.named(e))
    }
}

impl std::io::Seek for PendingFile {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        self.tmp.seek(pos).map_err(|e| self.named(e))
    }
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place when complete: readers never see a partial file, and a failure leaves any
/// earlier file at `path` untouched.
#[cfg(feature = "import")]
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = PendingFile::create(path)?;
    out.write_all(bytes).map_err(|e| write_error(path, e))?;
    out.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output written past several write-behind steps, with a seek back, commits whole.
    #[test]
    fn a_large_output_synced_behind_the_writer_is_whole_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        // 2.5 steps of write-behind in odd-sized pieces, then a seek back and a patch,
        // as the zip writer does.
        let piece: Vec<u8> = (0..70_001u32).map(|i| (i % 251) as u8).collect();
        let mut expected = Vec::new();
        let mut out = PendingFile::create(&path).unwrap();
        while (expected.len() as u64) < WRITE_BEHIND_STEP * 5 / 2 {
            out.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
        }
        assert!(
            out.write_behind.worker.is_some(),
            "the syncing thread started"
        );
        use std::io::Seek;
        out.seek(std::io::SeekFrom::Start(3)).unwrap();
        out.write_all(b"patch").unwrap();
        expected[3..8].copy_from_slice(b"patch");
        assert!(!path.exists(), "nothing at the path before the commit");
        out.commit().unwrap();
        assert!(std::fs::read(&path).unwrap() == expected);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }
}
