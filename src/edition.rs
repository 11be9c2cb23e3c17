//! Building editions: which files a publication becomes, their names, and writing them
//! safely (a temporary file in the target folder, renamed when complete, so an
//! interrupted or failed run never leaves a truncated file nor damages an earlier one).
//!
//! PDF editions are built in parallel (rayon); the EPUB's page list comes from the PDF
//! edition it names, so that PDF is laid out once and shared.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::epub::{EpubOptions, write_epub};
use crate::error::{Error, Result};
use crate::fonts::{FontFamily, FontSet};
use crate::images::ImagePpi;
use crate::input::PageSizeName;
use crate::model::Publication;
use crate::pdf::{PdfOptions, PdfOutput, PdfStandard, write_pdf};
use crate::scale::FontScale;
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
    /// Print resolution of the PDFs' images.
    pub image_ppi: ImagePpi,
    /// The standards the PDFs claim (PDF/A-2a + PDF/UA-1 by default).
    pub pdf_standard: PdfStandard,
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
    match scale.file_suffix().as_str() {
        "" => format!("{slug}.pdf"),
        s => format!("{slug}.{s}.pdf"),
    }
}

/// The output file name of the EPUB edition: `slug.epub`.
pub fn epub_file_name(slug: &str) -> String {
    format!("{slug}.epub")
}

impl EditionPlan {
    fn fonts(&self, scale: FontScale) -> FontSet {
        match &self.font {
            Some(f) => FontSet::with_primary(f.clone()),
            None => FontSet::bundled(scale.is_large_print()),
        }
    }

    fn pdf_options(&self, scale: FontScale, date: Timestamp) -> PdfOptions {
        PdfOptions {
            scale,
            page_size: self.page_size,
            fonts: self.fonts(scale),
            date: Some(date),
            image_ppi: self.image_ppi,
            standard: self.pdf_standard,
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
        v
    }

    /// Builds every edition of the plan; returns the files written, in plan order.
    pub fn build(&self, publication: &Publication) -> Result<Vec<Written>> {
        if self.pdf_scales.is_empty() && !self.epub {
            return Err(Error::Usage("nothing to build: no format selected".into()));
        }
        let date = Timestamp::for_build(publication.date.as_deref());
        let page_list = if self.epub {
            self.page_list.or_else(|| self.pdf_scales.first().copied())
        } else {
            None
        };
        // Every edition is built before the first file is written, so an edition that
        // fails leaves all earlier outputs untouched, not just its own.
        let results: Vec<Result<(FontScale, PdfOutput, f64)>> = self
            .pdf_scales
            .par_iter()
            .map(|&scale| {
                let t = Instant::now();
                let out = write_pdf(publication, &self.pdf_options(scale, date))?;
                Ok((scale, out, t.elapsed().as_secs_f64()))
            })
            .collect();
        let mut built: Vec<(PathBuf, Vec<u8>, Option<usize>, f64)> = Vec::new();
        let mut page_map = None;
        for r in results {
            let (scale, out, seconds) = r?;
            if Some(scale) == page_list {
                page_map = Some(out.page_map);
            }
            let path = self.out_dir.join(pdf_file_name(&self.slug, scale));
            built.push((path, out.bytes, Some(out.pages), seconds));
        }
        if self.epub {
            let t = Instant::now();
            if page_map.is_none()
                && let Some(scale) = page_list
            {
                // The page list follows an edition that is not being written: lay it out anyway.
                page_map = Some(write_pdf(publication, &self.pdf_options(scale, date))?.page_map);
            }
            let mut opts = EpubOptions::new(self.epub_scale);
            opts.fonts = self.fonts(self.epub_scale);
            opts.page_map = page_map;
            opts.modified = date;
            let bytes = write_epub(publication, &opts)?;
            let path = self.out_dir.join(epub_file_name(&self.slug));
            built.push((path, bytes, None, t.elapsed().as_secs_f64()));
        }
        let mut written = Vec::with_capacity(built.len());
        for (path, bytes, pages, seconds) in built {
            let t = Instant::now();
            write_atomically(&path, &bytes)?;
            written.push(Written {
                path,
                pages,
                bytes: bytes.len(),
                seconds: seconds + t.elapsed().as_secs_f64(),
            });
        }
        Ok(written)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into
/// place when complete: readers never see a partial file, and a failure leaves any
/// earlier file at `path` untouched.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let err = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .tempfile_in(dir)
        .map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    // Temporary files are private (0600); an edition is an ordinary file: keep the mode of
    // the file it replaces, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
