//! Files: an [`EditionPlan`] (a request, a slug and a folder) built into files, each
//! written safely (a temporary file in the target folder, renamed when complete, so an
//! interrupted or failed run never leaves a truncated file nor damages an earlier one).
//! What the editions are is [`crate::editions`]' business; this module only names and
//! writes.

use std::path::PathBuf;
use std::time::Instant;

use crate::atomic_file::PendingFile;
use crate::editions::{self, EditionKind, EditionRequest, Outcome};
use crate::error::{Error, Result};
use crate::prepare::Prepared;

/// What to build from one publication, and where.
#[derive(Debug, Clone)]
pub struct EditionPlan {
    /// The base of output file names (`bac-kan`).
    pub slug: String,
    /// The output folder.
    pub out_dir: PathBuf,
    /// The editions.
    pub request: EditionRequest,
}

/// A file that was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// Pages (an edition with pages).
    pub pages: Option<usize>,
    /// Size in bytes.
    pub bytes: usize,
    /// Time to build it, seconds.
    pub seconds: f64,
    /// What the edition could not do as the publication asked (the file is whole).
    pub warnings: Vec<editions::EditionWarning>,
}

/// An edition that was not written, and why (its other editions were).
#[derive(Debug)]
pub struct Failed {
    /// The files it would have been (several when a step they share failed).
    pub paths: Vec<PathBuf>,
    /// Why.
    pub error: Error,
}

/// What building a plan did: the files written, in plan order, and the editions that failed.
#[derive(Debug, Default)]
pub struct Built {
    /// The files written.
    pub written: Vec<Written>,
    /// The editions not written.
    pub failed: Vec<Failed>,
}

impl EditionPlan {
    /// The paths this plan writes.
    pub fn outputs(&self) -> Vec<PathBuf> {
        self.request
            .outputs()
            .into_iter()
            .map(|k| self.path_of(k))
            .collect()
    }

    fn path_of(&self, kind: EditionKind) -> PathBuf {
        self.out_dir.join(kind.file_name(&self.slug))
    }

    /// Builds every edition of the plan, then writes those that were built whole. Every
    /// edition is built before the first file is renamed into place. An edition that fails
    /// (one whose program is missing, say) is left out, with its reason, and the
    /// others are written; an error that stops them all (nothing asked for, a layout or an
    /// image that cannot be made) is returned and leaves every earlier output untouched.
    pub fn build(&self, publication: &Prepared) -> Result<Built> {
        // Each edition is streamed into a temporary file beside its target; the files
        // are renamed into place only once every edition is written.
        let outcomes = editions::build_into(publication, &self.request, self)?;
        let mut built = Built::default();
        for o in outcomes {
            match o {
                Outcome::Written(e) => {
                    let t = Instant::now();
                    let path = e.output.path().to_path_buf();
                    match e.output.commit() {
                        Ok(()) => built.written.push(Written {
                            path,
                            pages: e.pages,
                            bytes: usize::try_from(e.bytes).unwrap_or(usize::MAX),
                            seconds: e.seconds + t.elapsed().as_secs_f64(),
                            warnings: e.warnings,
                        }),
                        Err(error) => built.failed.push(Failed {
                            paths: vec![path],
                            error,
                        }),
                    }
                }
                Outcome::Failed { kinds, error } => built.failed.push(Failed {
                    paths: kinds.into_iter().map(|k| self.path_of(k)).collect(),
                    error,
                }),
            }
        }
        Ok(built)
    }
}

impl editions::EditionSink for EditionPlan {
    type Output = PendingFile;
    fn open(&self, kind: EditionKind) -> Result<PendingFile> {
        PendingFile::create(&self.out_dir.join(kind.file_name(&self.slug)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::FontScale;

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
        let mut request = EditionRequest::new();
        request.print_scales = vec![FontScale::LARGE];
        request.image_ppi = crate::images::ImagePpi::Original;
        let mut plan = EditionPlan {
            slug: "a".into(),
            out_dir: out.clone(),
            request,
        };
        let built = plan.build(&prepared).unwrap();
        assert_eq!(built.written.len(), plan.outputs().len());
        assert!(built.failed.is_empty());
        crate::images::testdata::change_photo(&dir.path().join("img/a.jpg"), &photo);
        // Each format built by default, alone. An image that the build's plan makes
        // before any edition is written fails the whole build; one that an edition's
        // writer reads or makes when it reaches it fails that edition alone.
        for format in crate::editions::Format::all().filter(|f| f.by_default()) {
            std::fs::remove_dir_all(&out).unwrap();
            std::fs::create_dir_all(&out).unwrap();
            plan.request.formats = vec![format];
            let err = match plan.build(&prepared) {
                Err(e) => e.to_string(),
                Ok(built) => {
                    assert!(built.written.is_empty(), "{format}");
                    assert_eq!(built.failed.len(), 1, "{format}");
                    built.failed[0].error.to_string()
                }
            };
            assert!(
                err.contains("a.jpg") && err.contains("run anpham again"),
                "{format}: {err}"
            );
            assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "{err}");
        }
    }
}
