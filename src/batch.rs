//! Batches: many articles, many editions, one run.
//!
//! [`plan`] turns inputs (files, folders, a bulletin manifest) and options into jobs —
//! one publication (a bulletin) or, with `each`, one per article — and [`run`] builds
//! them on a rayon pool, reporting progress as [`Event`]s. A failing article is reported
//! with its location and the others are still built (unless `fail_fast`); outputs depend
//! only on the input, never on the thread count.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

use crate::editions::{EditionRequest, Format};
use crate::error::{Diagnostic, Place};
use crate::error::{Error, Result};
use crate::fonts::{FontFamily, FontSet};
use crate::input::{self, LoadOptions, Loaded, Manifest, Reader};
use crate::model::Article;
use crate::model::PageSizeName;
use crate::model::Publication;
use crate::output::{Built, EditionPlan, Failed, Written};
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::validate::slugify;

/// Options of a batch, as given on the command line. `None` means "the manifest's
/// setting, else the default".
#[derive(Debug, Clone, Default)]
pub(crate) struct BatchOptions {
    /// Output folder.
    pub out_dir: PathBuf,
    /// The formats to build (default: the manifest's, else EPUB and PDF).
    pub formats: Option<Vec<Format>>,
    /// PDF scales (default: the manifest's, else large).
    pub scales: Option<Vec<FontScale>>,
    /// EPUB base size (default: standard).
    pub screen_scale: Option<FontScale>,
    /// PDF edition the EPUB page list follows (default: the first scale).
    pub page_list: Option<FontScale>,
    /// Page size (default: A5).
    pub page_size: Option<PageSizeName>,
    /// Main font (file or family).
    pub font: Option<String>,
    /// The settings of every edition that neither the manifest nor the options above
    /// choose: the date (the CLI passes `SOURCE_DATE_EPOCH`; `None`: each publication's
    /// date), image resolution, each edition's own options. Its formats and scales
    /// are not read.
    pub settings: EditionRequest,
    /// One set of editions per article.
    pub each: bool,
    /// Worker threads.
    pub jobs: Option<usize>,
    /// Stop at the first failure.
    pub fail_fast: bool,
    /// Repair stray control characters (with warnings) instead of refusing them.
    pub repair: bool,
    /// The output name of a bulletin (default: the manifest's or folder's name, else the
    /// first article's slug).
    pub name: Option<String>,
    /// The title of a bulletin (`--title`; wins over a manifest's and a folder's).
    pub title: Option<String>,
}

/// One publication to build, or an input that failed to load (with `each`).
#[derive(Debug)]
pub(crate) struct Job {
    /// The prepared publication, or why it could not be loaded.
    pub publication: Result<Prepared>,
    /// What to build from it.
    pub plan: EditionPlan,
}

impl Job {
    /// How many files this job writes.
    pub fn outputs(&self) -> usize {
        self.plan.outputs().len()
    }
}

/// Progress of a batch.
#[derive(Debug)]
pub(crate) enum Event<'a> {
    /// A file was written.
    Written(&'a Written),
    /// A job finished (all its files written).
    Finished,
    /// An edition of a job failed; the job's other editions were written.
    EditionFailed {
        /// The edition, and why.
        failed: &'a Failed,
    },
    /// A job failed: none of its editions was written.
    Failed {
        /// Why.
        error: &'a Error,
    },
}

/// What a batch did.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Files written, in job order.
    pub written: Vec<Written>,
    /// Files not written because their edition failed (the others of their job were).
    pub not_written: Vec<PathBuf>,
    /// Jobs and editions that failed.
    pub failures: usize,
}

fn parse_scales<'a>(list: impl IntoIterator<Item = &'a String>) -> Vec<FontScale> {
    list.into_iter().filter_map(|s| s.parse().ok()).collect()
}

/// The request of one publication: the options' formats, else the manifest's, else the
/// defaults; then each setting from the options, else the manifest, else its default.
fn make_plan(
    options: &BatchOptions,
    manifest: Option<&Manifest>,
    slug: String,
    font: Option<FontFamily>,
) -> EditionPlan {
    let ed = manifest.and_then(|m| m.editions.as_ref());
    let mut request = options.settings.clone();
    request.formats = Format::all()
        .filter(|f| match (&options.formats, ed) {
            (Some(list), _) => list.contains(f),
            // `--scale` asks for the PDFs a manifest does not name.
            (None, Some(e)) => e.wants(*f) || (f.per_scale() && options.scales.is_some()),
            (None, None) => f.by_default(),
        })
        .collect();
    request.print_scales = options
        .scales
        .clone()
        .or_else(|| {
            ed.map(|e| parse_scales(e.scales()))
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| vec![FontScale::LARGE]);
    request.screen_scale = options
        .screen_scale
        .or_else(|| {
            ed.and_then(|e| e.screen_scale.as_deref())
                .and_then(|s| s.parse().ok())
        })
        .unwrap_or(FontScale::STANDARD);
    request.page_size = options
        .page_size
        .or(ed.map(|e| e.page_size))
        .unwrap_or(PageSizeName::A5);
    request.page_list = options.page_list.or_else(|| {
        ed.and_then(|e| e.page_list.as_deref())
            .and_then(|s| s.parse().ok())
    });
    request.font = font;
    EditionPlan {
        slug,
        out_dir: options.out_dir.clone(),
        request,
    }
}

fn slug_of(p: &Publication, fallback: &Path) -> String {
    if p.articles.len() == 1
        && let Some(s) = p.articles[0].slug.clone().filter(|s| !s.is_empty())
    {
        return s;
    }
    let stem = fallback
        .file_stem()
        .map(|s| slugify(&s.to_string_lossy()))
        .unwrap_or_default();
    if stem.is_empty() {
        slugify(&p.title)
    } else {
        stem
    }
}

/// The output name of one publication built from `inputs`: a single article's slug; a
/// manifest's file name; a folder's name; else the first article's slug.
fn bulletin_slug(p: &Publication, inputs: &[PathBuf]) -> String {
    if p.articles.len() == 1 || inputs.len() != 1 {
        if let Some(s) = p
            .articles
            .first()
            .and_then(|a| a.slug.clone())
            .filter(|s| !s.is_empty())
        {
            return s;
        }
        return slug_of(p, inputs.first().map_or(Path::new(""), |f| f.as_path()));
    }
    let input = &inputs[0];
    // `.` or `dir/` name the folder they are.
    if input.is_dir() {
        let dir = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        let name = dir
            .file_name()
            .map(|n| slugify(&n.to_string_lossy()))
            .unwrap_or_default();
        if !name.is_empty() {
            return name;
        }
    }
    slug_of(p, input)
}

/// Plans the jobs for some inputs. Without `each`, every input goes into one publication
/// and a load error is returned; with `each`, every article is its own job and a load
/// error becomes a failed job, so the others are still built.
pub(crate) fn plan(inputs: &[PathBuf], options: &BatchOptions) -> Result<Vec<Job>> {
    let font = options
        .font
        .as_deref()
        .map(FontFamily::from_spec)
        .transpose()?;
    if let Some(f) = &font {
        // Fail early on a font that cannot be used at all.
        let _ = FontSet::with_primary(f.clone());
    }
    if let Some(n) = &options.name
        && !crate::validate::is_slug(n)
    {
        return Err(Error::Usage(format!(
            "--name `{n}` is not a file name slug\n  hint: use ASCII letters, digits, `-`, `_` and `.`, e.g. --name ban-tin-11"
        )));
    }
    if !options.each && inputs.iter().any(|i| input::holds_manifest(i)) {
        return library_jobs(inputs, options, font);
    }
    if !options.each {
        let (publication, manifest) = input::load_prepared_titled(
            inputs,
            LoadOptions::repairing(options.repair),
            options.title.as_deref(),
        )?;
        let slug = match &options.name {
            Some(n) => n.clone(),
            None => bulletin_slug(&publication, inputs),
        };
        let plan = make_plan(options, manifest.as_ref(), slug, font);
        return Ok(vec![Job {
            publication: Ok(publication),
            plan,
        }]);
    }
    each_article_jobs(inputs, options, font)
}

/// One input of a library run: a file named, or an entry of a folder
/// ([`input::folder_entries`]), with the problem found while listing it.
fn library_inputs(inputs: &[PathBuf]) -> Result<Vec<input::FolderEntry>> {
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            out.extend(input::folder_entries(i)?);
        } else {
            out.push(input::FolderEntry {
                path: i.clone(),
                manifest: false,
                problem: None,
            });
        }
    }
    Ok(out)
}

/// The jobs of a folder that holds a bulletin manifest: one per publication — a manifest
/// with its articles, each other article on its own — in name order. An entry that fails
/// to load is a failed job, so that the others are still built.
fn library_jobs(
    inputs: &[PathBuf],
    options: &BatchOptions,
    font: Option<FontFamily>,
) -> Result<Vec<Job>> {
    let entries = library_inputs(inputs)?;
    if let Some(n) = &options.name
        && entries.len() > 1
    {
        return Err(Error::Usage(format!(
            "--name `{n}` names one publication, and the inputs hold {}\n  hint: leave out --name (each publication is named after its manifest or article)",
            entries.len()
        )));
    }
    let mut jobs = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    for entry in entries {
        let loaded = match entry.problem {
            Some(e) => Err(e),
            None => input::load_prepared_titled(
                std::slice::from_ref(&entry.path),
                LoadOptions::repairing(options.repair),
                options.title.as_deref(),
            ),
        };
        let (publication, manifest) = match loaded {
            Ok((p, m)) => (Ok(p), m),
            Err(e) => (Err(e), None),
        };
        let slug = match (&options.name, &publication) {
            (Some(n), _) => n.clone(),
            (None, Ok(p)) => bulletin_slug(p, std::slice::from_ref(&entry.path)),
            (None, Err(_)) => entry
                .path
                .file_stem()
                .map(|s| slugify(&s.to_string_lossy()))
                .unwrap_or_default(),
        };
        let slug = unique_slug(&mut slugs, slug);
        jobs.push(Job {
            plan: make_plan(options, manifest.as_ref(), slug, font.clone()),
            publication,
        });
    }
    Ok(jobs)
}

/// `slug`, or `slug-2`, `slug-3` … if it is taken already; recorded in `taken`.
fn unique_slug(taken: &mut Vec<String>, slug: String) -> String {
    let mut unique = slug.clone();
    let mut n = 1;
    while taken.contains(&unique) {
        n += 1;
        unique = format!("{slug}-{n}");
    }
    taken.push(unique.clone());
    unique
}

/// The jobs of `--each`: one per article (a bulletin manifest's articles each on their
/// own), in input order; an input that fails to load is a failed job, so that the others
/// are still built. Two articles with the same slug get `-2`, `-3` … in input order.
fn each_article_jobs(
    inputs: &[PathBuf],
    options: &BatchOptions,
    font: Option<FontFamily>,
) -> Result<Vec<Job>> {
    let mut jobs = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    let mut push =
        |name: String, publication: Result<Prepared>, manifest: Option<&Manifest>, path: &Path| {
            let slug = publication
                .as_ref()
                .map_or_else(|_| slugify(&name), |p| slug_of(p, path));
            // Two articles with the same slug get -2, -3 … in input order.
            let slug = unique_slug(&mut slugs, slug);
            jobs.push(Job {
                plan: make_plan(options, manifest, slug, font.clone()),
                publication,
            });
        };
    for entry in library_inputs(inputs)? {
        if let Some(e) = entry.problem {
            let name = entry.path.display().to_string();
            push(name, Err(e), None, &entry.path);
            continue;
        }
        {
            let f = entry.path;
            let reader = Reader::new(LoadOptions::repairing(options.repair));
            let loaded = input::load_input_with(&f, &reader);
            let places = reader.places();
            let warnings = reader.into_warnings();
            match loaded {
                Ok(Loaded::Article(a)) => push(
                    f.display().to_string(),
                    Prepared::from_loaded(Publication::single(*a), &f).map(|p| {
                        p.with_warnings(warnings.clone())
                            .with_places(places.clone())
                    }),
                    None,
                    &f,
                ),
                Ok(Loaded::Bulletin(m)) => {
                    for a in &m.publication.articles {
                        let name = a.origin.as_ref().map_or_else(
                            || f.display().to_string(),
                            |o| o.file.display().to_string(),
                        );
                        let mut p = Publication::single(a.clone());
                        p.publisher = m.publication.publisher.clone();
                        let path = a.origin.as_ref().map_or(f.clone(), |o| o.file.clone());
                        let own = warnings_of(&warnings, a);
                        let p = Prepared::from_loaded(p, &path)
                            .map(|p| p.with_warnings(own).with_places(places.clone()));
                        push(name, p, Some(&m), &path);
                    }
                }
                Err(e) => push(f.display().to_string(), Err(e), None, &f),
            }
        }
    }
    Ok(jobs)
}

/// The warnings that belong to one article of a bulletin: those in its file (and, for an
/// article written inside the manifest, under its field path).
fn warnings_of(warnings: &[Diagnostic], a: &Article) -> Vec<Diagnostic> {
    let Some(o) = &a.origin else {
        return Vec::new();
    };
    warnings
        .iter()
        .filter(|d| {
            d.file == o.file
                && (o.field.is_empty()
                    || matches!(&d.place, Place::Char { field, .. } if field.starts_with(&format!("{}.", o.field))))
        })
        .cloned()
        .collect()
}

/// Builds the jobs on a pool of `options.jobs` threads, calling `on_event` (on this
/// thread) as files are written.
pub(crate) fn run(
    jobs: Vec<Job>,
    options: &BatchOptions,
    mut on_event: impl FnMut(Event<'_>),
) -> Report {
    let mut report = Report::default();
    let pool = match start(options, jobs.len()) {
        Ok(pool) => pool,
        Err(failed) => {
            on_event(Event::Failed {
                error: &failed.error,
            });
            report.failures = failed.failures;
            return report;
        }
    };
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, Result<Built>)>();
    let mut results: Vec<Option<Result<Built>>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let stop = &stop;
        let fail_fast = options.fail_fast;
        scope.spawn(move || {
            pool.install(|| {
                jobs.into_par_iter()
                    .enumerate()
                    .for_each_with(tx, |tx, (i, job)| {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        // A job that failed to load carries its own error: no copy, no
                        // flattening to a string.
                        let r = match job.publication {
                            Ok(p) => {
                                let r = job.plan.build(&p);
                                crate::editions::drop_in_background(p);
                                r
                            }
                            Err(e) => Err(e),
                        };
                        let failed = r.as_ref().map_or(true, |b| !b.failed.is_empty());
                        if failed && fail_fast {
                            stop.store(true, Ordering::SeqCst);
                        }
                        let _ = tx.send((i, r));
                    });
            });
        });
        for (i, r) in rx {
            match &r {
                Ok(built) => {
                    for w in &built.written {
                        on_event(Event::Written(w));
                    }
                    for failed in &built.failed {
                        on_event(Event::EditionFailed { failed });
                    }
                    on_event(Event::Finished);
                }
                Err(e) => on_event(Event::Failed { error: e }),
            }
            results[i] = Some(r);
        }
    });
    for r in results.into_iter() {
        match r {
            Some(Ok(built)) => {
                report.written.extend(built.written);
                report.failures += built.failed.len();
                for f in built.failed {
                    report.not_written.extend(f.paths);
                }
            }
            Some(Err(_)) => report.failures += 1,
            None => {}
        }
    }
    if stop.load(Ordering::SeqCst) && report.failures == 0 {
        report.failures = 1;
    }
    report
}

/// A run that could not start.
struct StartFailure {
    error: Error,
    /// The failures to count.
    failures: usize,
}

/// Makes the output folder and starts the worker pool of a run of `jobs` jobs. Without
/// an output folder every job fails; without threads the run does.
fn start(options: &BatchOptions, jobs: usize) -> Result<rayon::ThreadPool, StartFailure> {
    std::fs::create_dir_all(&options.out_dir).map_err(|source| StartFailure {
        error: Error::Write {
            path: options.out_dir.clone(),
            source,
        },
        failures: jobs.max(1),
    })?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| StartFailure {
            error: Error::Usage(format!("cannot start worker threads: {e}")),
            failures: 1,
        })
}

/// Checks each publication of the inputs on its own, as [`check`] checks one: the entries
/// of a folder that holds a bulletin manifest ([`input::folder_entries`]: a manifest with
/// its articles, each other article alone), or the inputs as one publication. Each entry's
/// summary or error, in name order; a broken entry never hides the others.
pub(crate) fn check_each(inputs: &[PathBuf], repair: bool) -> Vec<(PathBuf, Result<String>)> {
    if !inputs.iter().any(|i| input::holds_manifest(i)) {
        let name = inputs.first().cloned().unwrap_or_default();
        return vec![(name, check(inputs, repair))];
    }
    match library_inputs(inputs) {
        Ok(entries) => entries
            .into_iter()
            .map(|e| {
                let r = match e.problem {
                    Some(p) => Err(p),
                    None => check(std::slice::from_ref(&e.path), repair),
                };
                (e.path, r)
            })
            .collect(),
        Err(e) => vec![(inputs[0].clone(), Err(e))],
    }
}

/// Loads and checks inputs (including font coverage, on shaped clusters, with both
/// bundled font sets, as `build` will) and says what they hold.
pub fn check(inputs: &[PathBuf], repair: bool) -> Result<String> {
    let (p, _) = input::load_prepared_with(inputs, LoadOptions::repairing(repair))?;
    p.check_fonts(&FontSet::bundled(true))?;
    p.check_fonts(&FontSet::bundled(false))?;
    let blocks: usize = p.articles.iter().map(|a| a.blocks.len()).sum();
    let figures = p.figures().count();
    let chars = p.reading_text().chars().count();
    let warnings: String = p
        .warnings()
        .iter()
        .map(|w| format!("{}: {w}\n", w.severity))
        .collect();
    Ok(format!(
        "{warnings}ok: {} article(s), {blocks} block(s), {figures} figure(s), {chars} characters, language {}",
        p.articles.len(),
        p.lang
    ))
}
