//! Building editions into files: which files a plan becomes, and writing them safely (a
//! temporary file in the target folder, renamed when complete, so an interrupted or
//! failed run never leaves a truncated file nor damages an earlier one). What the
//! editions are is [`crate::editions`]' business; this module only names and writes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::braille::{BraillePlan, brf_file_name, pef_file_name};
use crate::editions::{self, EditionKind, EditionRequest};
use crate::error::{Error, Result};
use crate::fonts::FontFamily;
use crate::images::ImagePpi;
use crate::input::PageSizeName;
use crate::pdf::PdfStandard;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::speech::SpeechOptions;
use crate::timestamp::Timestamp;

/// What to build from one publication.
#[derive(Debug, Clone)]
pub struct EditionPlan {
    /// The base of output file names (`bac-kan`).
    pub slug: String,
    /// The output folder.
    pub out_dir: PathBuf,
    /// Build an EPUB.
    pub epub: bool,
    /// The EPUB's base text size.
    pub epub_scale: FontScale,
    /// Build a PDF at each of these scales.
    pub pdf_scales: Vec<FontScale>,
    /// PDF page size.
    pub page_size: PageSizeName,
    /// The PDF edition whose pages the EPUB's page list follows (first PDF scale by default).
    pub page_list: Option<FontScale>,
    /// A main font family instead of the bundled ones.
    pub font: Option<FontFamily>,
    /// The date of every edition; `None`: the publication's date.
    pub date: Option<Timestamp>,
    /// Build the talking-book EPUB (`SLUG.talking.epub`) with this speech.
    pub talking: Option<SpeechOptions>,
    /// BRF and/or PEF editions; their print page indicators follow the large-print PDF.
    pub braille: Option<BraillePlan>,
    /// Print resolution of the PDFs' images.
    pub image_ppi: ImagePpi,
    /// The standards the PDFs claim (PDF/A-2a + PDF/UA-1 by default).
    pub pdf_standard: PdfStandard,
    /// Where a bulletin's next article begins in the PDFs.
    pub article_break: crate::layout::ArticleBreak,
}

/// A file that was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// Pages (PDF).
    pub pages: Option<usize>,
    /// Size in bytes.
    pub bytes: usize,
    /// Time to build it, seconds.
    pub seconds: f64,
}

/// The output file name of a PDF edition: `slug.pdf`, `slug.large.pdf`, `slug.step-1.pdf` …
pub fn pdf_file_name(slug: &str, scale: FontScale) -> String {
    EditionKind::Pdf(scale).file_name(slug)
}

/// The output file name of the EPUB edition: `slug.epub`.
pub fn epub_file_name(slug: &str) -> String {
    EditionKind::Epub.file_name(slug)
}

/// The output file name of the talking-book EPUB: `slug.talking.epub`.
pub fn talking_file_name(slug: &str) -> String {
    EditionKind::TalkingEpub.file_name(slug)
}

impl EditionPlan {
    /// The editions this plan asks the facade for.
    pub fn request(&self) -> EditionRequest {
        EditionRequest {
            epub: self.epub.then_some(self.epub_scale),
            pdf_scales: self.pdf_scales.clone(),
            page_size: self.page_size,
            page_list: self.page_list,
            font: self.font.clone(),
            date: self.date,
            talking: self.talking.clone(),
            braille: self.braille.clone().filter(|b| b.brf || b.pef),
            image_ppi: self.image_ppi,
            pdf_standard: self.pdf_standard,
            article_break: self.article_break,
        }
    }

    /// The paths this plan writes.
    pub fn outputs(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self
            .pdf_scales
            .iter()
            .map(|s| self.out_dir.join(pdf_file_name(&self.slug, *s)))
            .collect();
        if self.epub {
            v.push(self.out_dir.join(epub_file_name(&self.slug)));
        }
        if self.talking.is_some() {
            v.push(self.out_dir.join(talking_file_name(&self.slug)));
        }
        if let Some(b) = &self.braille {
            if b.brf {
                v.push(self.out_dir.join(brf_file_name(&self.slug)));
            }
            if b.pef {
                v.push(self.out_dir.join(pef_file_name(&self.slug)));
            }
        }
        v
    }

    /// Builds every edition of the plan, then writes them; returns the files written, in
    /// plan order. Every edition is built before the first file is written, so an
    /// edition that fails leaves all earlier outputs untouched, not just its own.
    ///
    /// One exception, so that a machine without a speech synthesiser still gets its
    /// other editions: when the talking book is asked for and `espeak-ng` cannot be run,
    /// the other editions are built and written, then that error is returned.
    pub fn build(&self, publication: &Prepared) -> Result<Vec<Written>> {
        let mut request = self.request();
        let mut talking_error = None;
        if let Some(speech) = &request.talking
            && let Err(e) = speech.espeak.version()
        {
            talking_error = Some(e);
            request.talking = None;
        }
        if request.epub.is_none()
            && request.pdf_scales.is_empty()
            && let Some(e) = talking_error
        {
            return Err(e);
        }
        // Each edition is streamed into a temporary file beside its target; the files
        // are renamed into place only once every edition is written.
        let built = editions::build_into(publication, &request, self)?;
        let mut written = Vec::with_capacity(built.len());
        for e in built {
            let t = Instant::now();
            let path = e.output.path().to_path_buf();
            e.output.commit()?;
            written.push(Written {
                path,
                pages: e.pages,
                bytes: usize::try_from(e.bytes).unwrap_or(usize::MAX),
                seconds: e.seconds + t.elapsed().as_secs_f64(),
            });
        }
        match talking_error {
            // The other editions are written; the talking book's failure is reported.
            Some(e) => Err(e),
            None => Ok(written),
        }
    }
}

/// An output being written: a temporary file in the target folder (buffered), renamed
/// into place by [`PendingFile::commit`] once complete. Dropped without a commit, the
/// temporary file is removed and any earlier file at the path is untouched. It is
/// `Write + Seek`, so that a writer (the EPUB's zip, the PDF's splice) streams into it
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

impl editions::EditionSink for EditionPlan {
    type Output = PendingFile;
    fn open(&self, kind: EditionKind) -> Result<PendingFile> {
        PendingFile::create(&self.out_dir.join(kind.file_name(&self.slug)))
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place when complete: readers never see a partial file, and a failure leaves any
/// earlier file at `path` untouched.
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

    /// A photo that changes between loading and writing fails the build with its name
    /// and what to do, and leaves no file (not even a temporary one) in the output folder.
    #[test]
    fn a_photo_changed_after_loading_fails_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let photo = crate::images::testdata::jpeg_with_exif(320, 240, 1);
        let article = crate::images::testdata::article_with_photo(
            dir.path(),
            "a",
            "Ảnh",
            "Hội trường",
            &photo,
        );
        let (prepared, _) = crate::input::load_prepared(&[article]).unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let mut plan = EditionPlan {
            slug: "a".into(),
            out_dir: out.clone(),
            epub: true,
            epub_scale: FontScale::STANDARD,
            pdf_scales: vec![FontScale::LARGE],
            page_size: PageSizeName::A5,
            page_list: None,
            font: None,
            date: None,
            talking: None,
            braille: None,
            image_ppi: ImagePpi::Original,
            pdf_standard: PdfStandard::default(),
            article_break: crate::layout::ArticleBreak::default(),
        };
        let written = plan.build(&prepared).unwrap();
        assert_eq!(written.len(), 2);
        crate::images::testdata::change_photo(&dir.path().join("img/a.jpg"), &photo);
        for pdf in [true, false] {
            std::fs::remove_dir_all(&out).unwrap();
            std::fs::create_dir_all(&out).unwrap();
            plan.epub = !pdf;
            plan.pdf_scales = if pdf { vec![FontScale::LARGE] } else { vec![] };
            let err = plan.build(&prepared).unwrap_err().to_string();
            assert!(
                err.contains("a.jpg") && err.contains("run anpham again"),
                "{err}"
            );
            assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "{err}");
        }
    }
}
