//! The result cache on disk: `CACHE/results/KEY/` holds the files of one build and its
//! `result.json` (names, media types, sizes, SHA-256, failed editions, warnings). KEY is
//! the SHA-256 of everything the files depend on ([`CacheKey`]), so the same submission
//! twice is built once.
//!
//! A result is built in `CACHE/tmp/JOB/` (each file written atomically, `result.json`
//! last) and the folder renamed into `results/` once complete: a crash leaves only a
//! `tmp/` folder, which the next start removes; nothing partial is ever served. Files are
//! checked on read (size always, SHA-256 once per process and file). The cache stays
//! under `--cache-max` bytes, least recently used first; a result unused for `--keep` goes too.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::problem::{DiagnosticJson, Problem};

/// The name of a result's description in its folder.
pub(crate) const RESULT_FILE: &str = "result.json";

/// What a cache key is made of.
pub(crate) struct CacheKey<'a> {
    /// How the body was sent (`text/markdown`, `application/zip` …).
    pub media_type: &'a str,
    /// The body's bytes (an archive holds the images).
    pub body: &'a [u8],
    /// The build options, as the CLI's words.
    pub words: &'a [String],
    /// Versions and settings of the tools and environment that change the files.
    pub tools: &'a str,
}

impl CacheKey<'_> {
    /// The key: hex SHA-256 of the parts, each length-prefixed.
    pub fn hex(&self) -> String {
        let mut h = Sha256::new();
        let mut part = |b: &[u8]| {
            h.update((b.len() as u64).to_le_bytes());
            h.update(b);
        };
        part(b"anpham-serve-1");
        part(env!("CARGO_PKG_VERSION").as_bytes());
        part(self.tools.as_bytes());
        part(self.media_type.as_bytes());
        part(self.body);
        for w in self.words {
            part(w.as_bytes());
        }
        hex(&h.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One file of a result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FileEntry {
    /// Its name (`SLUG.large.EXT`: a name without folders).
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size.
    pub bytes: u64,
    /// Hex SHA-256 of its bytes (also its `ETag`).
    pub sha256: String,
}

/// An edition that was not written, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct FailedEdition {
    /// The file it would have been.
    pub edition: String,
    /// Why.
    pub problem: Problem,
}

/// What a build made: `result.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub(crate) struct ResultManifest {
    /// The files, in build order.
    pub files: Vec<FileEntry>,
    /// The editions that failed (the others were written).
    #[serde(default)]
    pub failed: Vec<FailedEdition>,
    /// Warnings of the input and the editions.
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticJson>,
}

impl ResultManifest {
    /// Describes the files of `dir` named in `files` (name, media type), hashing each.
    pub fn describe(dir: &Path, files: &[(String, String)]) -> std::io::Result<Vec<FileEntry>> {
        files
            .iter()
            .map(|(name, media_type)| {
                let (bytes, sha256) = hash_file(&dir.join(name))?;
                Ok(FileEntry {
                    name: name.clone(),
                    media_type: media_type.clone(),
                    bytes,
                    sha256,
                })
            })
            .collect()
    }
}

/// Size and hex SHA-256 of a file.
fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((n, hex(&h.finalize())))
}

/// A result in the index.
#[derive(Debug)]
struct Entry {
    manifest: Arc<ResultManifest>,
    bytes: u64,
    last_used: SystemTime,
}

/// The cache: its folder and an index of its results.
#[derive(Debug)]
pub(crate) struct Cache {
    results: PathBuf,
    max_bytes: u64,
    keep: Duration,
    index: Mutex<Index>,
}

#[derive(Debug, Default)]
struct Index {
    entries: HashMap<String, Entry>,
    /// Files whose SHA-256 was checked by this process (key, name).
    verified: HashSet<(String, String)>,
}

/// Why a cached file cannot be served.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FileError {
    /// The result is no longer in the cache.
    Evicted,
    /// The result has no file of that name.
    NoSuchFile,
    /// The file on disk is not what was written; the result was removed.
    Damaged(String),
}

impl Cache {
    /// Opens the cache in `results` (created), indexing the complete results in it and
    /// removing anything else.
    pub fn open(results: PathBuf, max_bytes: u64, keep: Duration) -> std::io::Result<Cache> {
        std::fs::create_dir_all(&results)?;
        let mut entries = HashMap::new();
        for dir in std::fs::read_dir(&results)? {
            let dir = dir?.path();
            let Some(key) = dir.file_name().and_then(|n| n.to_str()).map(String::from) else {
                continue;
            };
            match read_manifest(&dir) {
                Some((manifest, last_used)) => {
                    let bytes = manifest.files.iter().map(|f| f.bytes).sum();
                    entries.insert(
                        key,
                        Entry {
                            manifest: Arc::new(manifest),
                            bytes,
                            last_used,
                        },
                    );
                }
                None => remove_dir(&dir),
            }
        }
        let cache = Cache {
            results,
            max_bytes,
            keep,
            index: Mutex::new(Index {
                entries,
                verified: HashSet::new(),
            }),
        };
        cache.evict(None);
        Ok(cache)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Index> {
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The result of `key`, if cached (and marks it used).
    pub fn get(&self, key: &str) -> Option<Arc<ResultManifest>> {
        let mut index = self.lock();
        let e = index.entries.get_mut(key)?;
        e.last_used = SystemTime::now();
        let m = e.manifest.clone();
        drop(index);
        touch(&self.results.join(key).join(RESULT_FILE));
        Some(m)
    }

    /// The result of `key` without marking it used.
    pub fn peek(&self, key: &str) -> Option<Arc<ResultManifest>> {
        self.lock().entries.get(key).map(|e| e.manifest.clone())
    }

    /// Moves a complete build folder (`staging`, its files written and synced) into the
    /// cache as `key`, writing its `result.json` first; then evicts down to the limit.
    /// If `key` is already there (built meanwhile), the staging folder is dropped.
    pub fn insert(
        &self,
        key: &str,
        staging: &Path,
        manifest: ResultManifest,
    ) -> crate::Result<Arc<ResultManifest>> {
        let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
        let mut out = crate::atomic_file::PendingFile::create(&staging.join(RESULT_FILE))?;
        std::io::Write::write_all(&mut out, &json).map_err(|source| crate::Error::Write {
            path: staging.join(RESULT_FILE),
            source,
        })?;
        out.commit()?;
        let target = self.results.join(key);
        let manifest = Arc::new(manifest);
        {
            let mut index = self.lock();
            if let Some(e) = index.entries.get(key) {
                let existing = e.manifest.clone();
                drop(index);
                remove_dir(staging);
                return Ok(existing);
            }
            std::fs::rename(staging, &target).map_err(|source| crate::Error::Write {
                path: target.clone(),
                source,
            })?;
            sync_dir(&self.results);
            let bytes = manifest.files.iter().map(|f| f.bytes).sum();
            index.entries.insert(
                key.to_string(),
                Entry {
                    manifest: manifest.clone(),
                    bytes,
                    last_used: SystemTime::now(),
                },
            );
        }
        self.evict(Some(key));
        Ok(manifest)
    }

    /// Removes results unused for longer than `keep`, then the least recently used until
    /// the cache is under its limit, sparing `spare` (the result just made).
    pub fn evict(&self, spare: Option<&str>) {
        let mut index = self.lock();
        let now = SystemTime::now();
        let mut by_age: Vec<(SystemTime, String, u64)> = index
            .entries
            .iter()
            .map(|(k, e)| (e.last_used, k.clone(), e.bytes))
            .collect();
        by_age.sort();
        let mut total: u64 = by_age.iter().map(|(_, _, b)| b).sum();
        let mut gone = Vec::new();
        for (used, key, bytes) in by_age {
            if Some(key.as_str()) == spare {
                continue;
            }
            let stale = now.duration_since(used).unwrap_or_default() > self.keep;
            if stale || total > self.max_bytes {
                total -= bytes;
                gone.push(key);
            }
        }
        for key in &gone {
            index.entries.remove(key);
            index.verified.retain(|(k, _)| k != key);
        }
        drop(index);
        for key in gone {
            remove_dir(&self.results.join(key));
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> u64 {
        self.lock().entries.values().map(|e| e.bytes).sum()
    }

    /// The path of a file of `key`'s result, checked: its size always, its SHA-256 the
    /// first time this process serves it. A damaged result is removed.
    pub fn file(&self, key: &str, name: &str) -> Result<(PathBuf, FileEntry), FileError> {
        let manifest = self.get(key).ok_or(FileError::Evicted)?;
        let entry = manifest
            .files
            .iter()
            .find(|f| f.name == name)
            .cloned()
            .ok_or(FileError::NoSuchFile)?;
        let path = self.results.join(key).join(&entry.name);
        let verified = self
            .lock()
            .verified
            .contains(&(key.to_string(), name.to_string()));
        let check = if verified {
            std::fs::metadata(&path).map(|m| m.len() == entry.bytes)
        } else {
            hash_file(&path).map(|(n, sha)| n == entry.bytes && sha == entry.sha256)
        };
        match check {
            Ok(true) => {
                if !verified {
                    self.lock()
                        .verified
                        .insert((key.to_string(), name.to_string()));
                }
                Ok((path, entry))
            }
            Ok(false) | Err(_) => {
                self.lock().entries.remove(key);
                remove_dir(&self.results.join(key));
                Err(FileError::Damaged(format!(
                    "the stored {} is not the file that was built; the result was removed from the cache, submit the job again",
                    entry.name
                )))
            }
        }
    }
}

/// The manifest of a result folder and when it was last used, if it is complete and
/// every file it names is there with its size.
fn read_manifest(dir: &Path) -> Option<(ResultManifest, SystemTime)> {
    let path = dir.join(RESULT_FILE);
    let text = std::fs::read(&path).ok()?;
    let manifest: ResultManifest = serde_json::from_slice(&text).ok()?;
    for f in &manifest.files {
        if !is_plain_name(&f.name) || std::fs::metadata(dir.join(&f.name)).ok()?.len() != f.bytes {
            return None;
        }
    }
    let used = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
    Some((manifest, used))
}

/// A file name without folders (what a result's files are).
pub(crate) fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && name != RESULT_FILE
}

/// Marks a file used now (the cache's order survives a restart); best effort.
fn touch(path: &Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(path) {
        let _ = f.set_modified(SystemTime::now());
    }
}

fn remove_dir(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

/// Syncs a folder, so that a rename in it survives a power cut; best effort.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(root: &Path, name: &str, bytes: &[u8]) -> (PathBuf, ResultManifest) {
        let staging = root.join("tmp").join(name);
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(staging.join("a.bin"), bytes).unwrap();
        let files = ResultManifest::describe(
            &staging,
            &[("a.bin".to_string(), "application/octet-stream".to_string())],
        )
        .unwrap();
        (
            staging,
            ResultManifest {
                files,
                ..ResultManifest::default()
            },
        )
    }

    #[test]
    fn results_are_kept_checked_on_read_and_evicted_least_recently_used_first() {
        let root = tempfile::tempdir().unwrap();
        let results = root.path().join("results");
        let cache = Cache::open(results.clone(), 250, Duration::from_secs(3600)).unwrap();
        for (key, byte) in [("k1", b'1'), ("k2", b'2')] {
            let (staging, m) = staged(root.path(), key, &[byte; 100]);
            cache.insert(key, &staging, m).unwrap();
            assert!(!staging.exists());
        }
        assert!(cache.file("k1", "a.bin").is_ok());
        assert_eq!(cache.file("k1", "b.bin"), Err(FileError::NoSuchFile));
        // k2 is now the least recently used: a third result evicts it.
        let (staging, m) = staged(root.path(), "k3", &[b'3'; 100]);
        cache.insert("k3", &staging, m).unwrap();
        assert!(cache.peek("k2").is_none() && !results.join("k2").exists());
        assert!(cache.peek("k1").is_some() && cache.peek("k3").is_some());
        assert_eq!(cache.bytes(), 200);
        // A file changed on disk is refused and its result dropped.
        std::fs::write(results.join("k3/a.bin"), [b'x'; 100]).unwrap();
        assert!(matches!(
            cache.file("k3", "a.bin"),
            Err(FileError::Damaged(_))
        ));
        assert_eq!(cache.file("k3", "a.bin"), Err(FileError::Evicted));
        // Reopened: what is complete is indexed, a folder without result.json removed.
        std::fs::create_dir_all(results.join("half")).unwrap();
        std::fs::write(results.join("half/a.bin"), b"partial").unwrap();
        let cache = Cache::open(results.clone(), 250, Duration::from_secs(3600)).unwrap();
        assert!(cache.peek("k1").is_some());
        assert!(!results.join("half").exists());
    }

    #[test]
    fn the_key_changes_with_every_part() {
        let words = vec!["--scale=large".to_string()];
        let base = CacheKey {
            media_type: "text/markdown",
            body: b"abc",
            words: &words,
            tools: "liblouis 3.24",
        };
        let k = base.hex();
        assert_eq!(k.len(), 64);
        let other_words = vec!["--scale=small".to_string()];
        for changed in [
            CacheKey {
                body: b"abd",
                ..base
            },
            CacheKey {
                media_type: "application/json",
                ..base
            },
            CacheKey {
                words: &other_words,
                ..base
            },
            CacheKey {
                tools: "liblouis 3.25",
                ..base
            },
        ] {
            assert_ne!(changed.hex(), k);
        }
    }
}
