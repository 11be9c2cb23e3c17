//! A page's image references (`<img src>`, `data-src`) resolved to files inside the
//! saved page's folder, never outside: the rules of article images (no absolute paths,
//! no `..` out of the folder, no symbolic link out of it), plus what a web page adds:
//! remote URLs (reported, never fetched), `data:` URLs, `%`-escapes, `?query` and `#part`.

use std::path::{Component, Path, PathBuf};

/// What an image reference points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// A file inside the page's folder: its path relative to that folder, `/`-separated.
    Local(String),
    /// A web address; anpham does not fetch it.
    Remote(String),
    /// The image is inside the page (`data:`); not imported.
    Embedded,
    /// A path inside the page's folder where no file is.
    Missing(String),
    /// A reference that may not be followed, and why.
    Refused(String),
}

/// Resolves `src`, as written in the page `page`, to an image file.
pub fn resolve(page: &Path, src: &str) -> ImageRef {
    let src = src.trim();
    let lower = src.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        return ImageRef::Remote(src.to_string());
    }
    if lower.starts_with("data:") {
        return ImageRef::Embedded;
    }
    if src.is_empty() {
        return ImageRef::Refused("the image has no address".into());
    }
    if let Some(colon) = src.find(':')
        && !src[..colon].contains('/')
    {
        let scheme: String = src[..colon].chars().take(20).collect();
        return ImageRef::Refused(format!("`{scheme}:` addresses are not image files"));
    }
    let path_part = src.split(['?', '#']).next().unwrap_or("");
    let Some(decoded) = percent_decode(path_part) else {
        return ImageRef::Refused("its %-escapes are not UTF-8".into());
    };
    if decoded.starts_with('/') || decoded.starts_with('\\') || Path::new(&decoded).is_absolute() {
        return ImageRef::Refused("it is an absolute path, outside the page's folder".into());
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return ImageRef::Refused("it leaves the page's folder (`..`)".into());
                }
            }
            p if p.contains(':') || p.contains('\0') => {
                return ImageRef::Refused("it names a drive or a stream".into());
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return ImageRef::Refused("the image has no file name".into());
    }
    let rel = parts.join("/");
    let base = match page.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let full = base.join(&rel);
    let (Ok(base_real), Ok(real)) = (std::fs::canonicalize(&base), std::fs::canonicalize(&full))
    else {
        return ImageRef::Missing(rel);
    };
    if !real.starts_with(&base_real) {
        return ImageRef::Refused(format!(
            "it resolves to {}, outside the page's folder",
            real.display()
        ));
    }
    if !real.is_file() {
        return ImageRef::Missing(rel);
    }
    debug_assert!(
        Path::new(&rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    );
    ImageRef::Local(rel)
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("bai_files")).unwrap();
        std::fs::write(dir.path().join("bai_files/anh 1.jpg"), b"x").unwrap();
        let page = dir.path().join("bai.html");
        (dir, page)
    }

    #[test]
    fn local_files_inside_the_folder() {
        let (_d, page) = page();
        assert_eq!(
            resolve(&page, "./bai_files/anh%201.jpg?v=2"),
            ImageRef::Local("bai_files/anh 1.jpg".into())
        );
        assert_eq!(
            resolve(&page, "bai_files/x/../anh%201.jpg"),
            ImageRef::Local("bai_files/anh 1.jpg".into())
        );
        assert_eq!(
            resolve(&page, "bai_files/khong.jpg"),
            ImageRef::Missing("bai_files/khong.jpg".into())
        );
    }

    #[test]
    fn refused_and_remote() {
        let (_d, page) = page();
        assert!(matches!(
            resolve(&page, "../secret.jpg"),
            ImageRef::Refused(_)
        ));
        assert!(matches!(
            resolve(&page, "bai_files/../../x.jpg"),
            ImageRef::Refused(_)
        ));
        assert!(matches!(
            resolve(&page, "/etc/passwd"),
            ImageRef::Refused(_)
        ));
        assert!(matches!(
            resolve(&page, "file:///etc/passwd"),
            ImageRef::Refused(_)
        ));
        assert!(matches!(
            resolve(&page, "javascript:alert(1)"),
            ImageRef::Refused(_)
        ));
        assert!(matches!(
            resolve(&page, "%2e%2e/x.jpg"),
            ImageRef::Refused(_)
        ));
        assert_eq!(
            resolve(&page, "https://backan.gov.vn/a.jpg"),
            ImageRef::Remote("https://backan.gov.vn/a.jpg".into())
        );
        assert_eq!(
            resolve(&page, "//cdn.vn/a.jpg"),
            ImageRef::Remote("//cdn.vn/a.jpg".into())
        );
        assert_eq!(
            resolve(&page, "data:image/png;base64,AAAA"),
            ImageRef::Embedded
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let (d, page) = page();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.jpg"), b"x").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("x.jpg"),
            d.path().join("bai_files/link.jpg"),
        )
        .unwrap();
        assert!(matches!(
            resolve(&page, "bai_files/link.jpg"),
            ImageRef::Refused(_)
        ));
    }
}
