//! The entries of a folder read as a library of publications: each bulletin manifest is
//! one publication (the articles it names are not entries again), each other article file
//! or article folder is one. An entry that cannot be read is kept with its error, beside
//! the others (`anpham build`/`check` of a folder that holds a manifest, and
//! `anpham serve --library`, list it and go on).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Format, is_article_file, manifest};
use crate::error::{Diagnostic, Error, Result};

/// One entry of a library folder.
#[derive(Debug)]
pub(crate) struct FolderEntry {
    /// The file to load: an article file or a bulletin manifest (for an entry that is
    /// refused before loading, the folder it is).
    pub path: PathBuf,
    /// Whether it is a bulletin manifest.
    pub manifest: bool,
    /// Why it cannot be loaded, found while listing (an article folder that holds several
    /// article files); `None`: load it to know.
    pub problem: Option<Error>,
}

/// Whether a file is a bulletin manifest (a JSON or TOML file with `articles` or `folder`
/// at its top); `None` when it cannot be read (its load will say why).
fn manifest_text(path: &Path) -> Option<(Format, String)> {
    let format = Format::from_path(path)?;
    if format == Format::Markdown {
        return None;
    }
    let text = super::read_text(path).ok()?;
    manifest::looks_like_bulletin(format, &text).then_some((format, text))
}

/// The entries of `dir`, in name order: article files and article folders (one article
/// file at their top), as [`super::article_files_in`] finds them, where a bulletin
/// manifest is one entry and the articles it names (by `articles` or `folder`) are left
/// out. A folder that holds several article files and no manifest is an entry with its
/// problem. Fails only when `dir` itself cannot be read.
pub(crate) fn folder_entries(dir: &Path) -> Result<Vec<FolderEntry>> {
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        names.push(entry.map_err(read_err(dir))?.path());
    }
    names.sort();
    // Candidates in name order, with the manifests' texts.
    let mut candidates: Vec<(PathBuf, Option<(Format, String)>)> = Vec::new();
    let mut entries: Vec<(usize, FolderEntry)> = Vec::new();
    for p in names {
        if p.is_file() && is_article_file(&p) {
            let m = manifest_text(&p);
            candidates.push((p, m));
        } else if p.is_dir()
            && !p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_files"))
        {
            let Ok(read) = std::fs::read_dir(&p) else {
                continue;
            };
            let mut inner: Vec<PathBuf> = read
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && is_article_file(f))
                .collect();
            inner.sort();
            let inner: Vec<(PathBuf, Option<(Format, String)>)> = inner
                .into_iter()
                .map(|f| {
                    let m = manifest_text(&f);
                    (f, m)
                })
                .collect();
            let has_manifest = inner.iter().any(|(_, m)| m.is_some());
            if inner.len() > 1 && !has_manifest {
                let d = Diagnostic::file(
                    &p,
                    format!(
                        "the folder holds {} article files; an article folder holds one",
                        inner.len()
                    ),
                )
                .with_hint(
                    "keep one article per folder (with its images), or add a bulletin manifest that names them",
                );
                entries.push((
                    candidates.len(),
                    FolderEntry {
                        path: p,
                        manifest: false,
                        problem: Some(d.into()),
                    },
                ));
                continue;
            }
            candidates.extend(inner);
        }
    }
    // The articles the manifests name.
    let mut claimed: HashSet<PathBuf> = HashSet::new();
    for (path, m) in &candidates {
        if let Some((format, text)) = m {
            claimed.extend(manifest::named_files(path, *format, text));
        }
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    for (i, (path, m)) in candidates.into_iter().enumerate() {
        if m.is_none() && claimed.contains(&canonical(&path)) {
            continue;
        }
        entries.push((
            i,
            FolderEntry {
                path,
                manifest: m.is_some(),
                problem: None,
            },
        ));
    }
    // Refused folders were pushed at their candidate position: keep name order.
    entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.path.cmp(&b.1.path)));
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// Whether a folder holds a bulletin manifest (at its top or in one of its folders): then
/// `anpham build`/`check` read it as a library of publications ([`folder_entries`]).
pub(crate) fn holds_manifest(dir: &Path) -> bool {
    dir.is_dir() && folder_entries(dir).is_ok_and(|e| e.iter().any(|e| e.manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    const ARTICLE: &str =
        r#"{"title": "Bài", "blocks": [{"type": "paragraph", "text": "Đoạn văn."}]}"#;

    #[test]
    fn the_examples_are_one_bulletin() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let entries = folder_entries(&dir).unwrap();
        let names: Vec<_> = entries
            .iter()
            .map(|e| e.path.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["bulletin.toml"]);
        assert!(entries[0].manifest);
        assert!(holds_manifest(&dir));
    }

    #[test]
    fn a_manifest_hides_its_articles_but_not_the_others() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        write(&d.join("a/a.json"), ARTICLE);
        write(&d.join("b.json"), ARTICLE);
        write(&d.join("c.md"), "---\ntitle: C\n---\nĐoạn.\n");
        write(&d.join("broken.json"), "{ not json");
        write(&d.join("many/x.json"), ARTICLE);
        write(&d.join("many/y.json"), ARTICLE);
        write(
            &d.join("tin.toml"),
            "title = \"Tin\"\narticles = [\"a/a.json\", \"./b.json\"]\n",
        );
        write(
            &d.join("tuan/bulletin.json"),
            r#"{"title": "Tuần", "folder": "bai"}"#,
        );
        write(&d.join("tuan/bai/p.json"), ARTICLE);
        write(&d.join("tuan/notes.md"), "---\ntitle: N\n---\nx\n");
        let entries = folder_entries(d).unwrap();
        let names: Vec<String> = entries
            .iter()
            .map(|e| e.path.strip_prefix(d).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "broken.json",
                "c.md",
                "many",
                "tin.toml",
                "tuan/bulletin.json",
                "tuan/notes.md"
            ]
        );
        assert!(
            entries[2]
                .problem
                .as_ref()
                .unwrap()
                .to_string()
                .contains("2 article files")
        );
        assert!(entries[3].manifest && entries[4].manifest);
        assert!(!entries[0].manifest && entries[0].problem.is_none());
    }

    #[test]
    fn a_folder_without_a_manifest_is_not_a_library() {
        let tmp = tempfile::tempdir().unwrap();
        write(&tmp.path().join("a.json"), ARTICLE);
        assert!(!holds_manifest(tmp.path()));
        assert!(!holds_manifest(&tmp.path().join("a.json")));
    }
}
