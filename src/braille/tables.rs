//! The liblouis tables written for anpham, compiled into the crate and written on first use
//! to a private folder liblouis can read (it reads tables only from files).
//!
//! The folder is `anpham-liblouis-HASH` in the system's temporary folder ([`std::env::temp_dir`]),
//! `HASH` being the first 16 hex digits of a SHA-256 over the files' names and contents: a
//! new version of the tables gets a new folder, and processes of the same version share one.
//! It is made atomically: the files are written into a fresh private folder (mode 0700) that
//! is then renamed to its final name; a process that loses the race uses the winner's folder.
//! A folder of that name is used only when it is owned by this user, not writable by others,
//! and holds exactly the files compiled in; otherwise a private folder of this process's own
//! is made (and removed when the process ends).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// The files of the Vietnamese tables: name and contents.
pub(crate) const SHIPPED: &[(&str, &str)] = &[
    (
        "anpham-vi-first.uti",
        include_str!("tables/anpham-vi-first.uti"),
    ),
    (
        "anpham-vi-last.uti",
        include_str!("tables/anpham-vi-last.uti"),
    ),
    ("anpham-vi-g0.utb", include_str!("tables/anpham-vi-g0.utb")),
    ("anpham-vi-g1.ctb", include_str!("tables/anpham-vi-g1.ctb")),
    ("anpham-vi-g2.ctb", include_str!("tables/anpham-vi-g2.ctb")),
];

/// The folder holding [`SHIPPED`], written on first use (once per process).
pub(crate) fn shipped_dir() -> Result<&'static Path, String> {
    static DIR: OnceLock<Result<Shipped, String>> = OnceLock::new();
    match DIR.get_or_init(|| write_shipped(&std::env::temp_dir())) {
        Ok(s) => Ok(s.path()),
        Err(e) => Err(e.clone()),
    }
}

/// A folder of shipped tables: shared (named by its hash) or this process's own.
enum Shipped {
    Shared(PathBuf),
    Own(tempfile::TempDir),
}

impl Shipped {
    fn path(&self) -> &Path {
        match self {
            Shipped::Shared(p) => p,
            Shipped::Own(d) => d.path(),
        }
    }
}

/// The name of the shared folder: `anpham-liblouis-` and a hash of the files.
fn folder_name() -> String {
    let mut h = Sha256::new();
    for (name, text) in SHIPPED {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
        h.update([0]);
    }
    let d = h.finalize();
    let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("anpham-liblouis-{hex}")
}

fn write_shipped(temp: &Path) -> Result<Shipped, String> {
    let target = temp.join(folder_name());
    if is_ours_and_whole(&target) {
        return Ok(Shipped::Shared(target));
    }
    let fresh = new_folder(temp)?;
    if !target.exists() {
        let kept = fresh.keep();
        match std::fs::rename(&kept, &target) {
            Ok(()) => return Ok(Shipped::Shared(target)),
            Err(_) => {
                // Another process made it first (or the name is taken): use ours privately.
                let _ = std::fs::remove_dir_all(&kept);
                if is_ours_and_whole(&target) {
                    return Ok(Shipped::Shared(target));
                }
                return new_folder(temp).map(Shipped::Own);
            }
        }
    }
    if is_ours_and_whole(&target) {
        return Ok(Shipped::Shared(target));
    }
    // A folder of that name that is not ours, or not whole: never read it.
    Ok(Shipped::Own(fresh))
}

/// A new private folder in `temp` holding every shipped file.
fn new_folder(temp: &Path) -> Result<tempfile::TempDir, String> {
    let dir = tempfile::Builder::new()
        .prefix(".anpham-liblouis-")
        .tempdir_in(temp)
        .map_err(|e| {
            format!(
                "cannot make a folder for the braille tables in {}: {e}",
                temp.display()
            )
        })?;
    for (name, text) in SHIPPED {
        let path = dir.path().join(name);
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write the braille table {}: {e}", path.display()))?;
    }
    Ok(dir)
}

/// Whether `dir` is a folder owned by this user, writable by nobody else, holding exactly the
/// shipped files.
fn is_ours_and_whole(dir: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    if !meta.is_dir() || !owned_privately(&meta) {
        return false;
    }
    SHIPPED.iter().all(|(name, text)| {
        let path = dir.join(name);
        std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
            && std::fs::read(&path).is_ok_and(|b| b == text.as_bytes())
    })
}

#[cfg(unix)]
fn owned_privately(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // The owner of a folder this process just made is this process's user; compare with a
    // file of our own rather than ask the system for the user id (no unsafe code here).
    let own_uid = tempfile::tempfile()
        .ok()
        .and_then(|f| f.metadata().ok())
        .map(|m| m.uid());
    own_uid == Some(meta.uid()) && meta.mode() & 0o022 == 0
}

#[cfg(not(unix))]
fn owned_privately(_meta: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_is_written_once_and_shared() {
        let temp = tempfile::tempdir().unwrap();
        let a = write_shipped(temp.path()).unwrap();
        assert!(matches!(a, Shipped::Shared(_)));
        let b = write_shipped(temp.path()).unwrap();
        assert_eq!(a.path(), b.path());
        for (name, text) in SHIPPED {
            assert_eq!(std::fs::read_to_string(a.path().join(name)).unwrap(), *text);
        }
        // Nothing else is left behind.
        assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_changed_folder_is_not_used() {
        let temp = tempfile::tempdir().unwrap();
        let a = write_shipped(temp.path()).unwrap();
        std::fs::write(a.path().join(SHIPPED[0].0), "include /etc/passwd\n").unwrap();
        let b = write_shipped(temp.path()).unwrap();
        assert!(matches!(b, Shipped::Own(_)));
        assert_eq!(
            std::fs::read_to_string(b.path().join(SHIPPED[0].0)).unwrap(),
            SHIPPED[0].1
        );
    }

    #[test]
    fn concurrent_writers_agree() {
        let temp = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|_| s.spawn(|| write_shipped(temp.path()).unwrap().path().to_path_buf()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let target = temp.path().join(folder_name());
        assert!(paths.iter().all(|p| *p == target), "{paths:?}");
        assert!(is_ours_and_whole(&target));
    }
}
