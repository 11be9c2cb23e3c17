//! Uploads: the request body stored as the job's input folder. One article file by its
//! `Content-Type`, or a zip archive (an article folder with its images, or a bulletin with
//! its manifest) unpacked with every entry checked: no `..`, no absolute path, no link, and
//! limits on entries, inflated bytes and inflation ratio, enforced while inflating (the
//! sizes an archive declares are not trusted).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use axum::http::StatusCode;

use super::limits::{SMALL_ENTRY, ZipLimits};
use super::problem::Problem;

/// What a request body is, by its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// One article file, saved under this name.
    File(&'static str),
    /// A zip archive of an article folder or a bulletin.
    Zip,
}

/// The media types taken, and the file each is saved as.
pub(crate) const ACCEPTED: &[(&str, BodyKind)] = &[
    ("application/json", BodyKind::File("article.json")),
    ("application/toml", BodyKind::File("article.toml")),
    ("text/markdown", BodyKind::File("article.md")),
    #[cfg(feature = "import")]
    ("text/html", BodyKind::File("article.html")),
    #[cfg(feature = "import")]
    ("text/plain", BodyKind::File("article.txt")),
    ("application/zip", BodyKind::Zip),
];

/// The kind of a `Content-Type` value (parameters such as `charset` ignored), or the 415
/// problem naming the types taken.
pub(crate) fn body_kind(content_type: Option<&str>) -> Result<BodyKind, Problem> {
    let essence = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    ACCEPTED
        .iter()
        .find(|(t, _)| *t == essence)
        .map(|(_, k)| *k)
        .ok_or_else(|| {
            let taken: Vec<&str> = ACCEPTED.iter().map(|(t, _)| *t).collect();
            Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                format!(
                    "Content-Type `{}` is not taken; send one of: {}",
                    if essence.is_empty() {
                        "(none)"
                    } else {
                        &essence
                    },
                    taken.join(", ")
                ),
            )
        })
}

/// Stores `body` in `dir` (created) and returns the path to build: the article file, the
/// archive's one article file or bulletin manifest, else its folder.
pub(crate) fn store(
    kind: BodyKind,
    body: &[u8],
    dir: &Path,
    limits: ZipLimits,
) -> Result<PathBuf, Problem> {
    std::fs::create_dir_all(dir).map_err(server_error)?;
    match kind {
        BodyKind::File(name) => {
            if body.is_empty() {
                return Err(bad_request("empty-body", "the request body is empty"));
            }
            let path = dir.join(name);
            std::fs::write(&path, body).map_err(server_error)?;
            Ok(path)
        }
        BodyKind::Zip => {
            unzip(body, dir, limits)?;
            Ok(entry_point(dir))
        }
    }
}

fn server_error(e: std::io::Error) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        format!("the upload could not be stored: {e}"),
    )
}

fn bad_request(kind: &str, detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::BAD_REQUEST, kind, detail)
}

fn too_large(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "archive-too-large", detail)
}

/// Unpacks a zip archive into `dir`, refusing unsafe names, links and bombs.
pub(crate) fn unzip(body: &[u8], dir: &Path, limits: ZipLimits) -> Result<(), Problem> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(body)).map_err(|e| {
        bad_request(
            "bad-archive",
            format!("the body is not a readable zip archive: {e}"),
        )
    })?;
    if archive.len() > limits.entries {
        return Err(too_large(format!(
            "the archive has {} entries; at most {} are taken",
            archive.len(),
            limits.entries
        )));
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            bad_request(
                "bad-archive",
                format!("archive entry {i} cannot be read: {e}"),
            )
        })?;
        let name = entry.name().to_string();
        let relative = safe_name(&name)?;
        if entry.is_symlink() {
            return Err(bad_request(
                "unsafe-archive",
                format!("archive entry `{name}` is a link; links are not taken"),
            ));
        }
        let target = dir.join(&relative);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(server_error)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(server_error)?;
        }
        if target.exists() {
            return Err(bad_request(
                "unsafe-archive",
                format!("archive entry `{name}` comes twice"),
            ));
        }
        let compressed = entry.compressed_size().max(1);
        // Inflate at most what the limits allow, plus one byte to see it go over.
        let left = limits.total_bytes - total;
        let ratio_cap = compressed.saturating_mul(limits.ratio).max(SMALL_ENTRY);
        let cap = left.min(ratio_cap);
        let mut out = std::fs::File::create(&target).map_err(server_error)?;
        let written = std::io::copy(&mut (&mut entry).take(cap + 1), &mut out).map_err(|e| {
            bad_request(
                "bad-archive",
                format!("archive entry `{name}` cannot be inflated: {e}"),
            )
        })?;
        if written > cap {
            return Err(if cap == left {
                too_large(format!(
                    "the archive inflates to more than {} bytes (at entry `{name}`)",
                    limits.total_bytes
                ))
            } else {
                too_large(format!(
                    "archive entry `{name}` inflates more than {} times its compressed size: refused as a decompression bomb",
                    limits.ratio
                ))
            });
        }
        total += written;
    }
    Ok(())
}

/// An entry's name as a relative path of normal parts, or why not.
fn safe_name(name: &str) -> Result<PathBuf, Problem> {
    let unsafe_name = |why: &str| {
        bad_request(
            "unsafe-archive",
            format!(
                "archive entry `{name}` {why}; entries must be relative paths inside the archive"
            ),
        )
    };
    if name.contains('\\') || name.contains('\0') {
        return Err(unsafe_name("has a backslash or a NUL"));
    }
    if name.starts_with('/') || (name.len() > 1 && name.as_bytes()[1] == b':') {
        return Err(unsafe_name("is an absolute path"));
    }
    let mut out = PathBuf::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => return Err(unsafe_name("goes up with `..`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(unsafe_name("is an absolute path"));
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(unsafe_name("has no name"));
    }
    Ok(out)
}

/// The path to build in an unpacked archive: inside its one top folder, if that is all
/// it holds; there, its one article file, else its one bulletin manifest, else the folder.
pub(crate) fn entry_point(dir: &Path) -> PathBuf {
    let mut root = dir.to_path_buf();
    loop {
        let entries = visible_entries(&root);
        match entries.as_slice() {
            [only] if only.is_dir() => root = only.clone(),
            _ => break,
        }
    }
    let files: Vec<PathBuf> = visible_entries(&root)
        .into_iter()
        .filter(|p| p.is_file() && is_input_file(p))
        .collect();
    if files.len() == 1 {
        return files[0].clone();
    }
    let bulletins: Vec<&PathBuf> = files.iter().filter(|p| is_bulletin(p)).collect();
    if bulletins.len() == 1 {
        return bulletins[0].clone();
    }
    root
}

/// The entries of a folder, sorted, without hidden ones and `__MACOSX`.
fn visible_entries(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.') && n != "__MACOSX")
        })
        .collect();
    v.sort();
    v
}

/// An article file or a page to import, by its extension.
fn is_input_file(p: &Path) -> bool {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(ext.as_str(), "json" | "toml" | "md" | "markdown")
        || (cfg!(feature = "import") && matches!(ext.as_str(), "html" | "htm" | "xhtml" | "txt"))
}

/// A JSON or TOML file whose top level has `articles` or `folder` (as the loader decides).
fn is_bulletin(p: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(p) else {
        return false;
    };
    let has = |keys: Vec<&String>| keys.iter().any(|k| *k == "articles" || *k == "folder");
    match p.extension().and_then(|e| e.to_str()) {
        Some("json") => serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
            .is_ok_and(|m| has(m.keys().collect())),
        Some("toml") => text
            .parse::<toml::Table>()
            .is_ok_and(|t| has(t.keys().collect())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An archive of `entries` (name, bytes), deflated. `tests/serve.rs` has the same nine
    /// lines for its uploads: an integration test cannot reach the crate's test code, and
    /// a public item only for tests would not be worth it.
    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn limits() -> ZipLimits {
        ZipLimits::for_upload(1 << 20)
    }

    #[test]
    fn content_types_map_to_files_and_others_are_refused_with_415() {
        assert_eq!(
            body_kind(Some("text/markdown; charset=utf-8")).unwrap(),
            BodyKind::File("article.md")
        );
        assert_eq!(body_kind(Some("Application/Zip")).unwrap(), BodyKind::Zip);
        let p = body_kind(Some("image/png")).unwrap_err();
        assert_eq!(p.status, 415);
        assert!(p.detail.contains("application/json"), "{}", p.detail);
        assert_eq!(body_kind(None).unwrap_err().status, 415);
    }

    #[test]
    fn traversal_absolute_names_and_bombs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "../evil.md",
            "a/../../evil.md",
            "/etc/evil.md",
            "C:/x.md",
            "a\\..\\b",
        ] {
            let z = zip_of(&[(name, b"x")]);
            let p = unzip(&z, dir.path(), limits()).unwrap_err();
            assert_eq!(p.status, 400, "{name}: {p:?}");
            assert!(p.kind.ends_with("unsafe-archive"), "{name}: {p:?}");
        }
        // 10 MB of zeros: inflates about 1000-fold.
        let zeros = vec![0u8; 10 << 20];
        let z = zip_of(&[("a.md", &zeros)]);
        let p = unzip(&z, dir.path(), limits()).unwrap_err();
        assert_eq!(p.status, 413, "{p:?}");
        assert!(p.detail.contains("bomb"), "{}", p.detail);
        // Too many entries.
        let names: Vec<String> = (0..2001).map(|i| format!("f{i}.txt")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let p = unzip(&zip_of(&entries), dir.path(), limits()).unwrap_err();
        assert_eq!(p.status, 413);
        let p = unzip(b"not a zip", dir.path(), limits()).unwrap_err();
        assert_eq!(p.status, 400);
    }

    #[test]
    fn an_article_folder_and_a_bulletin_find_their_entry_point() {
        let dir = tempfile::tempdir().unwrap();
        let z = zip_of(&[
            ("bac-kan/bac-kan.md", b"---\n"),
            ("bac-kan/img/a.jpg", b"x"),
        ]);
        unzip(&z, dir.path(), limits()).unwrap();
        assert_eq!(
            entry_point(dir.path()),
            dir.path().join("bac-kan/bac-kan.md")
        );
        let dir = tempfile::tempdir().unwrap();
        let z = zip_of(&[
            ("bulletin.toml", b"articles = [\"a.md\"]\n"),
            ("a.md", b"---\n"),
            ("b.md", b"---\n"),
        ]);
        unzip(&z, dir.path(), limits()).unwrap();
        assert_eq!(entry_point(dir.path()), dir.path().join("bulletin.toml"));
        let dir = tempfile::tempdir().unwrap();
        let z = zip_of(&[("a.md", b"---\n"), ("b.md", b"---\n")]);
        unzip(&z, dir.path(), limits()).unwrap();
        assert_eq!(entry_point(dir.path()), dir.path());
    }
}
