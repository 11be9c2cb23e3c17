//! The library of `anpham serve --library DIR`: the folder's publications, read as the
//! command line reads a folder that holds a bulletin manifest (`input::folder_entries`:
//! each manifest is one publication and the articles it names are not listed again, each
//! other article file or article folder is one), each with the editions that can be
//! acquired. An entry that fails to load is listed with its problem, beside the others.
//!
//! **Changes are picked up without a restart.** A request looks at the folder when the
//! last look is older than [`RESCAN_INTERVAL`]: a walk that takes each file's size and
//! modification time (no reading) makes a fingerprint; when it changed, the entries are
//! listed again, and an entry whose files (manifest, articles, images) all kept their size
//! and time keeps its loaded listing — only what changed is read again. An entry that
//! failed is always read again.
//!
//! The OPDS feeds (`opds.rs`) and the web page at `/` render a [`Catalog`]; its
//! [`Catalog::page`] lists a page of it. An acquisition (`GET /library/{id}/files/{name}`)
//! is built on the request through the jobs' builder and cache (`Jobs::acquire`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use super::problem::Problem;
use crate::batch::{BatchOptions, Job};
use crate::editions::{EditionKind, Format};
use crate::model::Publication;
use crate::scale::FontScale;

/// A request looks at the folder again when its last look is older than this.
pub(crate) const RESCAN_INTERVAL: Duration = Duration::from_secs(2);
/// Publications on a page of a listing when the request does not say.
pub(crate) const PER_PAGE: usize = 25;
/// Publications on a page at most.
pub(crate) const MAX_PER_PAGE: usize = 100;
/// Files the change-detecting walk looks at, at most (deeper than four levels below the
/// library, or beyond this count, a change is seen only once a listed entry's own files
/// change).
const MAX_WALK: usize = 20_000;

/// The library: its folder, the last listing, and how links are written.
pub(crate) struct Library {
    /// The folder (canonical).
    dir: PathBuf,
    /// Prefix of links (`https://example.org/anpham`), or empty.
    base_url: String,
    /// The options every entry is planned with (the command line's defaults; a manifest's
    /// `editions` table chooses its own).
    options: BatchOptions,
    state: Mutex<ScanState>,
    /// One scan at a time; requests meanwhile wait for it.
    scanning: tokio::sync::Mutex<()>,
}

struct ScanState {
    catalog: Arc<Catalog>,
    fingerprint: Option<u64>,
    looked: Option<Instant>,
}

/// The publications of the library at one moment, in name order of their files.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    /// Every entry, loaded or failed.
    pub entries: Vec<Arc<LibraryEntry>>,
    /// When the folder was last read (the feeds' `modified`/`updated`).
    pub scanned: Option<SystemTime>,
}

/// One publication of the library (a bulletin manifest, an article file or article
/// folder), or an entry that failed to load.
#[derive(Debug)]
pub(crate) struct LibraryEntry {
    /// Its id in URLs: the publication's output name (a manifest's file name, an
    /// article's slug), made unique in the library with `-2`, `-3` … in name order.
    pub id: String,
    /// Its file, relative to the library (`bulletin.toml`, `bac-kan/bac-kan.md`).
    pub source: String,
    /// The latest modification time of the files it reads (manifest, articles, images).
    pub modified: SystemTime,
    /// What it holds, or why it could not be loaded (the CLI's located diagnostics,
    /// files named relative to the library).
    pub publication: Result<Listing, Problem>,
    /// The files it read and their size and time when read (for change detection).
    reads: Vec<(PathBuf, Option<(u64, SystemTime)>)>,
    /// The file loaded (absolute).
    path: PathBuf,
}

/// What a loaded publication shows in a catalog.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    /// Its title.
    pub title: String,
    /// Its articles' authors, each once, in order.
    pub authors: Vec<String>,
    /// BCP 47 language (`vi`).
    pub lang: String,
    /// The publisher, if named.
    pub publisher: Option<String>,
    /// Its date, `YYYY-MM-DD`, if given.
    pub date: Option<String>,
    /// A description (a bulletin's), else the first article's lead.
    pub description: Option<String>,
    /// Its identifier: the publication's own, else the one derived from its content
    /// (`Publication::stable_identifier`, which the editions declare too).
    pub identifier: String,
    /// Number of articles.
    #[allow(dead_code, reason = "shown by the web page at `/`")]
    pub articles: usize,
    /// The output name of its files (`bac-kan`), as `anpham build` names them.
    pub slug: String,
    /// Its cover: the first figure with an image file (none without figures).
    pub image: Option<Cover>,
    /// The editions that can be acquired: one per format (and scale, for a format with a
    /// file per scale), in registry order.
    pub editions: Vec<Acquisition>,
}

/// A publication's cover image, served at [`Cover::href`].
#[derive(Debug, Clone)]
pub(crate) struct Cover {
    /// Its URL (`/library/{id}/cover`).
    pub href: String,
    /// `image/jpeg` or `image/png`.
    pub media_type: &'static str,
    /// Width and height in pixels, as displayed.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The figure's text alternative, if any.
    pub alt: Option<String>,
    /// The image file (absolute; never shown to clients).
    pub(crate) file: PathBuf,
}

/// One edition file that can be acquired: built on the request if it is not cached.
#[derive(Debug, Clone)]
pub(crate) struct Acquisition {
    /// The format's name, as on the command line.
    pub format: &'static str,
    /// Its font scale, for a format with a file per scale.
    pub scale: Option<FontScale>,
    /// The file's name (`EditionKind::file_name`), as `anpham build` writes it.
    pub file_name: String,
    /// Its media type, its format's.
    pub media_type: &'static str,
    /// Its URL (`/library/{id}/files/{file_name}`, after `--base-url`).
    pub href: String,
    /// The accessibility metadata of this edition (none when its unit declares none).
    pub accessibility: Option<Accessibility>,
    /// The command line's words that build it (`--format=NAME`, and `--scale=WORD` for a
    /// format with a file per scale).
    pub(crate) words: Vec<String>,
}

pub(crate) use crate::editions::Accessibility;

/// What a listing asks for.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListQuery {
    /// The page, from 1 (0 is taken as 1).
    pub page: usize,
    /// Publications per page (0: [`PER_PAGE`]; at most [`MAX_PER_PAGE`]).
    pub per_page: usize,
    /// Words every listed publication holds in its title, authors, description or
    /// publisher (accents and case ignored); failed entries are left out of a search.
    pub search: Option<String>,
    /// Leave out the entries that failed to load (the OPDS feeds: a publication there needs
    /// something to acquire).
    pub loaded_only: bool,
}

/// A page of a listing.
#[derive(Debug)]
pub(crate) struct Page {
    /// Its entries.
    pub entries: Vec<Arc<LibraryEntry>>,
    /// Its number, from 1.
    pub page: usize,
    /// Entries per page.
    pub per_page: usize,
    /// The entries matching the query, on all pages.
    pub total: usize,
    /// The number of the last page (1 for an empty listing).
    pub last_page: usize,
    /// The search, if any (trimmed).
    pub search: Option<String>,
}

impl Catalog {
    /// One page of the entries matching `query`.
    pub fn page(&self, query: &ListQuery) -> Page {
        let per_page = match query.per_page {
            0 => PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let search = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from);
        let words: Vec<String> = search
            .as_deref()
            .map(|s| fold(s).split_whitespace().map(String::from).collect())
            .unwrap_or_default();
        let matching: Vec<&Arc<LibraryEntry>> = self
            .entries
            .iter()
            .filter(|e| !query.loaded_only || e.publication.is_ok())
            .filter(|e| words.is_empty() || e.matches(&words))
            .collect();
        let total = matching.len();
        let last_page = total.div_ceil(per_page).max(1);
        let page = query.page.clamp(1, last_page);
        let entries = matching
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .cloned()
            .collect();
        Page {
            entries,
            page,
            per_page,
            total,
            last_page,
            search,
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<LibraryEntry>> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Lower case without accents (`Bắc Kạn` → `bac kan`), for search.
fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

impl LibraryEntry {
    fn matches(&self, words: &[String]) -> bool {
        let Ok(l) = &self.publication else {
            return false;
        };
        let text = fold(&format!(
            "{} {} {} {}",
            l.title,
            l.authors.join(" "),
            l.description.as_deref().unwrap_or(""),
            l.publisher.as_deref().unwrap_or("")
        ));
        words.iter().all(|w| text.contains(w.as_str()))
    }

    /// The edition of this publication in `format` (at `scale`, for a format with a file
    /// per scale), listed or not: the web page's font-size controls ask for any scale of
    /// the ladder. `None` for a failed entry or a format this server cannot build.
    pub fn acquisition(
        &self,
        format: &str,
        scale: Option<FontScale>,
        base_url: &str,
    ) -> Option<Acquisition> {
        let l = self.publication.as_ref().ok()?;
        if let Some(a) = l
            .editions
            .iter()
            .find(|a| a.format == format && a.scale == scale)
        {
            return Some(a.clone());
        }
        let f = Format::named(format).ok()?;
        if f.per_scale() != scale.is_some() {
            return None;
        }
        let kind = EditionKind { format: f, scale };
        // An edition not listed: its format's listed one's accessibility, what depends on
        // the scale set by the edition for its own scale.
        let mut a = acquisition_of(&self.id, &l.slug, kind, base_url);
        a.accessibility = l
            .editions
            .iter()
            .find(|e| e.format == format)
            .and_then(|e| e.accessibility.clone())
            .map(|acc| match scale {
                Some(s) => f.rescaled_accessibility(acc, &l.lang, s),
                None => acc,
            });
        Some(a)
    }

    /// The acquisition whose file is called `name`: a listed one, one of another format
    /// this server writes, or one of a format with a file per scale at any scale of the
    /// ladder (`SLUG.step+2` and the format's ending).
    pub fn acquisition_named(&self, name: &str, base_url: &str) -> Option<Acquisition> {
        let l = self.publication.as_ref().ok()?;
        if let Some(a) = l.editions.iter().find(|a| a.file_name == name) {
            return Some(a.clone());
        }
        if let Some(f) = Format::all().filter(|f| !f.per_scale()).find(|f| {
            EditionKind {
                format: *f,
                scale: None,
            }
            .file_name(&l.slug)
                == name
        }) {
            return self.acquisition(f.name(), None, base_url);
        }
        Format::all()
            .filter(|f| f.per_scale())
            .flat_map(|f| {
                (crate::scale::MIN_STEP..=crate::scale::MAX_STEP).map(move |s| EditionKind {
                    format: f,
                    scale: Some(FontScale::step(s)),
                })
            })
            .find(|k| k.file_name(&l.slug) == name)
            .and_then(|k| self.acquisition(k.format.name(), k.scale, base_url))
    }

    /// The files it read when listed (manifest, articles, images; absolute), whose
    /// bytes make the cache key of its editions.
    pub(crate) fn files(&self) -> Vec<PathBuf> {
        self.reads.iter().map(|(p, _)| p.clone()).collect()
    }

    /// The file loaded for this entry (absolute).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the files it read are unchanged since.
    fn unchanged(&self) -> bool {
        self.publication.is_ok() && self.reads.iter().all(|(p, seen)| stat(p) == *seen)
    }
}

fn stat(p: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(p).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// The CLI's word for a scale (`standard`, `large`, `-1`, `+4`, `19pt`).
pub(crate) fn scale_word(s: FontScale) -> String {
    let suffix = s.file_suffix();
    match suffix.as_str() {
        "" => "standard".into(),
        _ => match suffix.strip_prefix("step") {
            Some(step) => step.to_string(),
            None => suffix,
        },
    }
}

/// The acquisition of one edition file of the entry `id`, whose files are named `slug`.
fn acquisition_of(id: &str, slug: &str, kind: EditionKind, base_url: &str) -> Acquisition {
    let file_name = kind.file_name(slug);
    let mut words = vec![format!("--format={}", kind.format.name())];
    if let Some(s) = kind.scale {
        words.push(format!("--scale={}", scale_word(s)));
    }
    Acquisition {
        format: kind.format.name(),
        scale: kind.scale,
        href: format!("{base_url}/library/{id}/files/{file_name}"),
        file_name,
        media_type: kind.format.media_type(),
        accessibility: None,
        words,
    }
}

/// The formats offered beside those a publication's plan asks for: every format of one
/// file per publication that this machine can write (`EditionUnit::available`: an outside
/// library or program it needs is there).
fn extra_formats() -> Vec<Format> {
    Format::all()
        .filter(|f| !f.per_scale() && f.available())
        .collect()
}

impl Library {
    /// The library of `dir`, links prefixed by `base_url`; `options` are the command
    /// line's defaults (its parser with no words). Nothing is read yet.
    pub fn open(dir: &Path, base_url: &str, options: BatchOptions) -> Result<Library, String> {
        let dir = dir.canonicalize().map_err(|e| {
            format!(
                "{}: cannot read the library folder: {e}\n  hint: --library names a folder of articles and bulletin manifests",
                dir.display()
            )
        })?;
        if !dir.is_dir() {
            return Err(format!(
                "{}: --library names a file; give the folder that holds it",
                dir.display()
            ));
        }
        Ok(Library {
            dir,
            base_url: base_url.trim_end_matches('/').to_string(),
            options,
            state: Mutex::new(ScanState {
                catalog: Arc::new(Catalog::default()),
                fingerprint: None,
                looked: None,
            }),
            scanning: tokio::sync::Mutex::new(()),
        })
    }

    /// The library's folder (canonical).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The prefix of its links (`--base-url`), or empty.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScanState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current catalog: the last one, or — when it is older than
    /// [`RESCAN_INTERVAL`] and the folder changed — a new one (read off the server's
    /// threads; only changed entries are loaded again).
    pub async fn catalog(self: &Arc<Self>) -> Arc<Catalog> {
        {
            let s = self.lock();
            if s.looked.is_some_and(|t| t.elapsed() < RESCAN_INTERVAL) {
                return s.catalog.clone();
            }
        }
        let _one = self.scanning.lock().await;
        {
            let s = self.lock();
            if s.looked.is_some_and(|t| t.elapsed() < RESCAN_INTERVAL) {
                return s.catalog.clone();
            }
        }
        let this = self.clone();
        match tokio::task::spawn_blocking(move || this.refresh()).await {
            Ok(c) => c,
            Err(_) => self.lock().catalog.clone(),
        }
    }

    /// Looks at the folder now and lists it again if it changed (blocking).
    pub fn refresh(&self) -> Arc<Catalog> {
        let fingerprint = fingerprint(&self.dir);
        let previous = {
            let mut s = self.lock();
            s.looked = Some(Instant::now());
            if s.fingerprint == Some(fingerprint) {
                return s.catalog.clone();
            }
            s.catalog.clone()
        };
        let catalog = Arc::new(self.scan(&previous));
        let mut s = self.lock();
        s.catalog = catalog.clone();
        s.fingerprint = Some(fingerprint);
        catalog
    }

    /// Lists the folder, keeping the unchanged entries of `previous`.
    fn scan(&self, previous: &Catalog) -> Catalog {
        let mut old: HashMap<&Path, &Arc<LibraryEntry>> = previous
            .entries
            .iter()
            .map(|e| (e.path.as_path(), e))
            .collect();
        let found = match crate::input::folder_entries(&self.dir) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("anpham serve: the library folder cannot be read: {e}");
                return Catalog {
                    entries: Vec::new(),
                    scanned: Some(SystemTime::now()),
                };
            }
        };
        let mut entries: Vec<Arc<LibraryEntry>> = Vec::new();
        let mut ids: Vec<String> = Vec::new();
        for f in found {
            let entry = match old.remove(f.path.as_path()) {
                Some(e) if e.unchanged() => e.reused(),
                _ => self.load(f),
            };
            // Unique ids in name order.
            let base = entry.id.clone();
            let (mut id, mut n) = (base.clone(), 1);
            while ids.contains(&id) || id.is_empty() {
                n += 1;
                id = format!("{}-{n}", if base.is_empty() { "entry" } else { &base });
            }
            ids.push(id.clone());
            entries.push(Arc::new(entry.with_id(id, &self.base_url)));
        }
        Catalog {
            entries,
            scanned: Some(SystemTime::now()),
        }
    }

    /// Loads one entry as `anpham build FILE` would plan it.
    fn load(&self, f: crate::input::FolderEntry) -> LibraryEntry {
        let source = f
            .path
            .strip_prefix(&self.dir)
            .unwrap_or(&f.path)
            .display()
            .to_string();
        type Reads = Vec<(PathBuf, Option<(u64, SystemTime)>)>;
        let failed = |problem: Problem, reads: Reads| LibraryEntry {
            id: crate::validate::slugify(
                &f.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
            source: source.clone(),
            modified: latest(&reads),
            publication: Err(problem),
            reads,
            path: f.path.clone(),
        };
        let own = vec![(f.path.clone(), stat(&f.path))];
        if let Some(e) = f.problem {
            return failed(Problem::of_error(&e, &self.dir), own);
        }
        let planned = crate::batch::plan(std::slice::from_ref(&f.path), &self.options);
        let job: Job = match planned.map(|mut j| j.pop()) {
            Ok(Some(j)) => j,
            Ok(None) => {
                return failed(
                    Problem::of_error(&crate::Error::Usage("nothing to build".into()), &self.dir),
                    own,
                );
            }
            Err(e) => return failed(Problem::of_error(&e, &self.dir), own),
        };
        let prepared = match job.publication {
            Ok(p) => p,
            Err(e) => return failed(Problem::of_error(&e, &self.dir), own),
        };
        let mut reads = own;
        for a in &prepared.articles {
            if let Some(o) = &a.origin
                && !reads.iter().any(|(p, _)| *p == o.file)
            {
                reads.push((o.file.clone(), stat(&o.file)));
            }
        }
        let mut image = None;
        for (_, fig) in prepared.figures() {
            if let Some(img) = &fig.image
                && let crate::model::ImageSource::File(file) = &img.source
            {
                if !reads.iter().any(|(p, _)| *p == file.path) {
                    reads.push((file.path.clone(), stat(&file.path)));
                }
                if image.is_none() && !fig.decorative {
                    image = Some(Cover {
                        href: String::new(),
                        media_type: img.format.media_type(),
                        width: img.width,
                        height: img.height,
                        alt: fig.alt.clone(),
                        file: file.path.clone(),
                    });
                }
            }
        }
        let request = &job.plan.request;
        let mut kinds = request.outputs();
        for f in extra_formats() {
            if !kinds.iter().any(|k| k.format == f) {
                kinds.push(EditionKind {
                    format: f,
                    scale: None,
                });
            }
        }
        let slug = job.plan.slug.clone();
        let editions = kinds
            .into_iter()
            .map(|k| {
                let mut a = acquisition_of("", &slug, k, "");
                a.accessibility = k.format.accessibility(&prepared, k, request);
                a
            })
            .collect();
        let p: &Publication = &prepared;
        let listing = Listing {
            title: p.title.clone(),
            authors: p.authors(),
            lang: p.lang.clone(),
            publisher: p.publisher.clone(),
            date: p.date.clone(),
            description: p.description_or_lead(),
            identifier: p.stable_identifier(),
            articles: p.articles.len(),
            slug: slug.clone(),
            image,
            editions,
        };
        crate::editions::drop_in_background(prepared);
        LibraryEntry {
            id: slug,
            source,
            modified: latest(&reads),
            publication: Ok(listing),
            reads,
            path: f.path,
        }
    }
}

/// The latest modification time among the files read.
fn latest(reads: &[(PathBuf, Option<(u64, SystemTime)>)]) -> SystemTime {
    reads
        .iter()
        .filter_map(|(_, s)| s.map(|(_, t)| t))
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

impl LibraryEntry {
    /// A copy of an unchanged entry (its id set again by the scan).
    fn reused(&self) -> LibraryEntry {
        LibraryEntry {
            id: match &self.publication {
                Ok(l) => l.slug.clone(),
                Err(_) => self.id.clone(),
            },
            source: self.source.clone(),
            modified: self.modified,
            publication: self.publication.clone(),
            reads: self.reads.clone(),
            path: self.path.clone(),
        }
    }

    /// The entry under its unique id, its links written for it.
    fn with_id(mut self, id: String, base_url: &str) -> LibraryEntry {
        if let Ok(l) = &mut self.publication {
            for a in &mut l.editions {
                a.href = format!("{base_url}/library/{id}/files/{}", a.file_name);
            }
            if let Some(c) = &mut l.image {
                c.href = format!("{base_url}/library/{id}/cover");
            }
        }
        self.id = id;
        self
    }
}

/// The size and time of every file up to four levels below `dir` (at most [`MAX_WALK`]),
/// hashed: a change of any of them (or a file added or removed) changes it.
fn fingerprint(dir: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    let mut seen = 0usize;
    while let Some((d, depth)) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut names: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for p in names {
            seen += 1;
            if seen > MAX_WALK {
                return h.finish();
            }
            p.hash(&mut h);
            if let Some((len, time)) = stat(&p) {
                len.hash(&mut h);
                time.hash(&mut h);
            }
            if p.is_dir() && depth < 4 {
                stack.push((p, depth + 1));
            }
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library(dir: &Path) -> Arc<Library> {
        let options = crate::serve::api::of_cli().options(&[]).unwrap();
        Arc::new(Library::open(dir, "https://example.org/a", options).unwrap())
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let t = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy_dir(&p, &t);
            } else {
                std::fs::copy(&p, &t).unwrap();
            }
        }
    }

    /// Every edition is listed (and acquired by its file's name) with what its unit says of
    /// it: the files `anpham build` writes and every other format of one file, each with
    /// the command line's words that build it and the accessibility its unit declares, a
    /// per-scale format's at any scale of the ladder too. Which editions the example asks
    /// for, and what each declares, is `tests/serve.rs`' business.
    #[test]
    fn the_examples_are_one_bulletin_with_its_editions() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let lib = library(&dir);
        let c = lib.refresh();
        assert_eq!(c.entries.len(), 1, "{:?}", c.entries);
        let e = &c.entries[0];
        assert_eq!(e.id, "bulletin");
        assert_eq!(e.source, "bulletin.toml");
        let l = e.publication.as_ref().unwrap();
        assert_eq!(l.title, "Bản tin tuần");
        assert_eq!(l.articles, 5);
        assert_eq!(l.lang, "vi");
        let cover = l.image.as_ref().unwrap();
        assert_eq!(cover.href, "https://example.org/a/library/bulletin/cover");
        assert!(cover.file.starts_with(lib.dir()));

        // The publication and request as `anpham build bulletin.toml` plans them.
        let options = crate::serve::api::of_cli().options(&[]).unwrap();
        let job = crate::batch::plan(&[dir.join("bulletin.toml")], &options)
            .unwrap()
            .pop()
            .unwrap();
        let prepared = job.publication.unwrap();
        let request = &job.plan.request;
        let planned = request.outputs();
        assert!(!planned.is_empty());
        let words = |k: EditionKind| {
            let mut w = vec![format!("--format={}", k.format.name())];
            w.extend(k.scale.map(|s| format!("--scale={}", scale_word(s))));
            w
        };
        // An acquisition is the edition of `kind`, with what its unit declares.
        let assert_is = |a: &Acquisition, kind: EditionKind| {
            let name = kind.file_name("bulletin");
            assert_eq!(a.file_name, name);
            assert_eq!(
                a.href,
                format!("https://example.org/a/library/bulletin/files/{name}")
            );
            assert_eq!((a.format, a.scale), (kind.format.name(), kind.scale));
            assert_eq!(a.media_type, kind.format.media_type());
            assert_eq!(a.words, words(kind), "{name}");
            // Its own accessibility, or (an edition not listed) one rescaled from its
            // format's listed file: the same claims, in an order of its own.
            let sorted = |acc: Option<Accessibility>| {
                acc.map(|mut acc| {
                    acc.feature.sort_unstable();
                    acc
                })
            };
            assert_eq!(
                sorted(a.accessibility.clone()),
                sorted(kind.format.accessibility(&prepared, kind, request)),
                "{name}"
            );
        };
        for kind in &planned {
            let listed = l
                .editions
                .iter()
                .find(|a| a.file_name == kind.file_name("bulletin"));
            assert_is(listed.expect("a planned file is listed"), *kind);
        }
        for a in &l.editions {
            let kind = EditionKind {
                format: Format::named(a.format).unwrap(),
                scale: a.scale,
            };
            assert!(
                planned.contains(&kind) || !kind.format.per_scale(),
                "{}",
                a.file_name
            );
            assert_is(a, kind);
        }
        // Every format this machine writes, by its file's name: one of one file per
        // publication, one per scale at every scale of the ladder.
        for format in Format::all().filter(|f| f.available()) {
            let scales: Vec<Option<FontScale>> = if format.per_scale() {
                (crate::scale::MIN_STEP..=crate::scale::MAX_STEP)
                    .map(|s| Some(FontScale::step(s)))
                    .collect()
            } else {
                vec![None]
            };
            for scale in scales {
                let kind = EditionKind { format, scale };
                let a = e
                    .acquisition_named(&kind.file_name("bulletin"), lib.base_url())
                    .unwrap_or_else(|| panic!("{}", kind.file_name("bulletin")));
                assert_is(&a, kind);
            }
            let outside = EditionKind {
                format,
                scale: format.per_scale().then_some(FontScale::STANDARD),
            }
            .file_name("../x");
            assert!(e.acquisition_named(&outside, lib.base_url()).is_none());
        }
    }

    #[test]
    fn a_broken_article_is_listed_beside_the_bulletin_and_changes_are_seen() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("lib");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
            &dir,
        );
        std::fs::write(
            dir.join("hong.json"),
            "{\"title\": \"Hỏng\", \"blocks\": [}",
        )
        .unwrap();
        let lib = library(&dir);
        let c = lib.refresh();
        let ids: Vec<&str> = c.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["bulletin", "hong"]);
        let p = c.entries[1].publication.as_ref().unwrap_err();
        assert!(p.detail.contains("hong.json:1:"), "{}", p.detail);
        assert!(
            !p.detail.contains(&dir.display().to_string()),
            "{}",
            p.detail
        );
        assert_eq!(p.diagnostics[0].file, "hong.json");
        // Paging and search.
        let page = c.page(&ListQuery {
            page: 2,
            per_page: 1,
            ..Default::default()
        });
        assert_eq!((page.total, page.last_page, page.page), (2, 2, 2));
        assert_eq!(page.entries[0].id, "hong");
        let found = c.page(&ListQuery {
            search: Some("ban TIN".into()),
            ..Default::default()
        });
        assert_eq!(found.total, 1);
        let loaded = c.page(&ListQuery {
            loaded_only: true,
            ..Default::default()
        });
        assert_eq!(loaded.total, 1);
        // Fixed, and a new article: seen at the next look, the bulletin kept as loaded.
        std::fs::write(
            dir.join("hong.json"),
            r#"{"title": "Đã sửa", "blocks": [{"type": "paragraph", "text": "Đoạn."}]}"#,
        )
        .unwrap();
        let again = lib.refresh();
        let l = again.entries[1].publication.as_ref().unwrap();
        assert_eq!(l.title, "Đã sửa");
        // Nothing changed: the same catalog.
        assert!(Arc::ptr_eq(&again, &lib.refresh()));
    }

    #[test]
    fn scale_words_are_the_cli_words() {
        assert_eq!(scale_word(FontScale::STANDARD), "standard");
        assert_eq!(scale_word(FontScale::LARGE), "large");
        assert_eq!(scale_word(FontScale::step(-1)), "-1");
        assert_eq!(scale_word(FontScale::step(4)), "+4");
        for s in [-2, -1, 0, 1, 2, 3, 4, 5, 6] {
            let f = FontScale::step(s);
            assert_eq!(scale_word(f).parse::<FontScale>().unwrap(), f);
        }
    }
}
