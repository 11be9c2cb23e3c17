//! Jobs: a submission stored on disk (`CACHE/jobs/ID/job.json` and its `input/`), queued
//! in a bounded queue (full: `503` with `Retry-After`), built by at most `--jobs` builds at
//! a time on tokio's blocking pool through the library's own entry points
//! (`batch::plan` and `EditionPlan::build`, as `anpham build` does), the result moved into
//! the [`Cache`].
//!
//! Every state change is written atomically to `job.json`. After a restart, a job that
//! was `running` is `failed` with the reason "interrupted" (its partial files were never
//! in the cache), a `queued` one is queued again, and jobs older than `--keep` are removed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, mpsc, watch};

use super::api::BuildQuery;
use super::cache::{Cache, CacheKey, FailedEdition, ResultManifest};
use super::limits::ZipLimits;
use super::problem::{DiagnosticJson, Problem, relative, scrub};
use super::upload::{self, BodyKind};
use crate::atomic_file::PendingFile;
use crate::prepare::Prepared;

/// A job's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum State {
    /// Waiting for a builder.
    Queued,
    /// Being built.
    Running,
    /// Built; some editions may have failed (listed in its result).
    Done,
    /// Nothing was written.
    Failed,
}

/// A job as stored in `job.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct JobRecord {
    /// Its id (32 hex digits).
    pub id: String,
    /// Its state.
    pub state: State,
    /// The cache key of its result.
    pub key: String,
    /// The media type it was sent as.
    pub media_type: String,
    /// Its options, as the CLI's words.
    pub words: Vec<String>,
    /// The input to build, relative to its `input/` folder (empty: the folder).
    pub entry: String,
    /// When it was submitted, started and finished (seconds since 1970).
    pub created: u64,
    /// When a builder took it.
    #[serde(default)]
    pub started: Option<u64>,
    /// When it ended.
    #[serde(default)]
    pub finished: Option<u64>,
    /// Whether its result came from the cache.
    #[serde(default)]
    pub cached: bool,
    /// Why it failed.
    #[serde(default)]
    pub problem: Option<Problem>,
}

/// The server's settings for jobs.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// The cache folder.
    pub dir: PathBuf,
    /// Builds at a time.
    pub workers: usize,
    /// Jobs waiting at most.
    pub queue: usize,
    /// Longest build.
    pub time_limit: Duration,
    /// How long jobs are kept after they end.
    pub keep: Duration,
    /// Largest cache, bytes.
    pub cache_max: u64,
    /// Limits of an uploaded archive.
    pub zip: ZipLimits,
    /// The query parameters of a submission and their parser (`anpham build`'s options).
    pub options: Arc<BuildQuery>,
}

/// The jobs of a server.
pub(crate) struct Jobs {
    settings: Settings,
    /// The results.
    pub cache: Cache,
    records: Mutex<HashMap<String, JobRecord>>,
    progress: Mutex<HashMap<String, f32>>,
    queue: mpsc::Sender<String>,
    /// One lock per cache key being built: the same submission twice is built once.
    building: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Versions of the outside tools, part of every cache key.
    tools: String,
    /// The build slots (`--jobs`), shared by the queued jobs and the library's
    /// acquisitions.
    slots: Arc<Semaphore>,
}

/// Seconds since 1970.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A new job id: 128 random bits as hex.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if random.is_err() {
        // No /dev/urandom: the time, the process and a counter, hashed.
        use sha2::Digest;
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut h = sha2::Sha256::new();
        h.update(format!("{:?}", SystemTime::now()));
        h.update(std::process::id().to_le_bytes());
        h.update(
            COUNTER
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                .to_le_bytes(),
        );
        bytes.copy_from_slice(&h.finalize()[..16]);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `id` is a job id (so that it can name a folder).
pub(crate) fn is_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The versions of the outside programs the editions are made with (from the registry of
/// editions, for the command line's default options) and the build date, which change the
/// files.
fn tool_versions(query: &BuildQuery) -> String {
    let mut v = query
        .options(&[])
        .map(|o| crate::editions::tool_versions(&o.settings))
        .unwrap_or_default();
    v.push(format!(
        "SOURCE_DATE_EPOCH={}",
        std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default()
    ));
    v.join("\n")
}

impl Jobs {
    /// The query parameters of a submission and their parser.
    pub fn options(&self) -> &BuildQuery {
        &self.settings.options
    }

    fn jobs_dir(&self) -> PathBuf {
        self.settings.dir.join("jobs")
    }

    fn job_dir(&self, id: &str) -> PathBuf {
        self.jobs_dir().join(id)
    }

    fn staging(&self, id: &str) -> PathBuf {
        self.settings.dir.join("tmp").join(id)
    }

    /// Opens the cache folder: removes unfinished builds, indexes the results, reads the
    /// jobs (a running one becomes failed "interrupted", an expired one is removed).
    /// Returns the jobs, the queue's receiving end, and the ids to queue again.
    pub fn open(settings: Settings) -> std::io::Result<(Arc<Jobs>, mpsc::Receiver<String>)> {
        let dir = &settings.dir;
        let tmp = dir.join("tmp");
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        std::fs::create_dir_all(dir.join("jobs"))?;
        let cache = Cache::open(dir.join("results"), settings.cache_max, settings.keep)?;
        let (tx, rx) = mpsc::channel(settings.queue.max(1));
        let jobs = Arc::new(Jobs {
            cache,
            records: Mutex::new(HashMap::new()),
            progress: Mutex::new(HashMap::new()),
            queue: tx,
            building: Mutex::new(HashMap::new()),
            tools: tool_versions(&settings.options),
            slots: Arc::new(Semaphore::new(settings.workers.max(1))),
            settings,
        });
        let mut requeue = Vec::new();
        for entry in std::fs::read_dir(jobs.jobs_dir())? {
            let path = entry?.path();
            let record = std::fs::read(path.join("job.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<JobRecord>(&b).ok())
                .filter(|r| is_id(&r.id) && path.file_name() == Some(r.id.as_ref()));
            let Some(mut record) = record else {
                let _ = std::fs::remove_dir_all(&path);
                continue;
            };
            if jobs.expired(&record) {
                let _ = std::fs::remove_dir_all(&path);
                continue;
            }
            match record.state {
                State::Running => {
                    record.state = State::Failed;
                    record.finished = Some(now());
                    record.problem = Some(interrupted());
                    let _ = std::fs::remove_dir_all(path.join("input"));
                    jobs.save(&record)?;
                }
                State::Queued => requeue.push((record.created, record.id.clone())),
                State::Done | State::Failed => {}
            }
            jobs.lock_records().insert(record.id.clone(), record);
        }
        requeue.sort();
        for (_, id) in requeue {
            if jobs.queue.try_send(id.clone()).is_err() {
                jobs.finish_failed(&id, interrupted());
            }
        }
        Ok((jobs, rx))
    }

    fn lock_records(&self) -> std::sync::MutexGuard<'_, HashMap<String, JobRecord>> {
        self.records.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn expired(&self, r: &JobRecord) -> bool {
        let end = r.finished.unwrap_or(r.created);
        matches!(r.state, State::Done | State::Failed)
            && now().saturating_sub(end) > self.settings.keep.as_secs()
    }

    /// Writes a job's record atomically.
    fn save(&self, r: &JobRecord) -> std::io::Result<()> {
        let dir = self.job_dir(&r.id);
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("job.json");
        let json = serde_json::to_vec_pretty(r).expect("a job record serialises");
        let write = || -> crate::Result<()> {
            let mut out = PendingFile::create(&path)?;
            std::io::Write::write_all(&mut out, &json).map_err(|source| crate::Error::Write {
                path: path.clone(),
                source,
            })?;
            out.commit()
        };
        write().map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// Updates a job on disk, then in memory: a client never sees a state that a restart
    /// would not find (a job seen `running` and then killed with `kill -9` is reported
    /// interrupted after the restart, never run again as if it had been queued).
    fn update(&self, id: &str, change: impl FnOnce(&mut JobRecord)) {
        let Some(mut record) = self.lock_records().get(id).cloned() else {
            return;
        };
        change(&mut record);
        if let Err(e) = self.save(&record) {
            eprintln!("anpham serve: job {id}: cannot save its state: {e}");
        }
        self.lock_records().insert(id.to_string(), record);
    }

    fn finish_failed(&self, id: &str, problem: Problem) {
        self.update(id, |r| {
            r.state = State::Failed;
            r.finished = Some(now());
            r.problem = Some(problem);
        });
        let _ = std::fs::remove_dir_all(self.job_dir(id).join("input"));
    }

    /// A job, with its progress (0–1).
    pub fn get(&self, id: &str) -> Option<(JobRecord, f32)> {
        let r = self.lock_records().get(id).cloned()?;
        let progress = match r.state {
            State::Done | State::Failed => 1.0,
            State::Queued => 0.0,
            State::Running => self
                .progress
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(id)
                .copied()
                .unwrap_or(0.0),
        };
        Some((r, progress))
    }

    /// Jobs queued and running.
    pub fn counts(&self) -> (usize, usize) {
        let records = self.lock_records();
        let count = |s| records.values().filter(|r| r.state == s).count();
        (count(State::Queued), count(State::Running))
    }

    /// Takes a submission: a cached result makes a `done` job at once; otherwise the
    /// body is stored and the job queued, or refused with `503` when the queue is full.
    pub async fn submit(
        self: &Arc<Self>,
        media_type: &str,
        kind: BodyKind,
        body: axum::body::Bytes,
        words: Vec<String>,
    ) -> Result<JobRecord, Problem> {
        let key = CacheKey {
            media_type,
            body: &body,
            words: &words,
            tools: &self.tools,
        }
        .hex();
        let id = new_id();
        let mut record = JobRecord {
            id: id.clone(),
            state: State::Queued,
            key: key.clone(),
            media_type: media_type.to_string(),
            words,
            entry: String::new(),
            created: now(),
            started: None,
            finished: None,
            cached: false,
            problem: None,
        };
        if self.cache.get(&key).is_some() {
            record.state = State::Done;
            record.cached = true;
            record.finished = Some(record.created);
            let this = self.clone();
            let r = record.clone();
            run_blocking(move || this.save(&r))
                .await
                .map_err(storage)?
                .map_err(storage)?;
            self.lock_records().insert(id, record.clone());
            return Ok(record);
        }
        let permit = self.queue.try_reserve().map_err(|_| queue_full())?;
        let this = self.clone();
        let input = self.job_dir(&id).join("input");
        let limits = self.settings.zip;
        let mut r = record.clone();
        let record = run_blocking(move || {
            let stored = upload::store(kind, &body, &input, limits).and_then(|entry| {
                r.entry = entry
                    .strip_prefix(&input)
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default();
                this.save(&r).map_err(storage)
            });
            if stored.is_err() {
                let _ = std::fs::remove_dir_all(this.job_dir(&r.id));
            }
            stored.map(|()| r)
        })
        .await
        .map_err(storage)??;
        self.lock_records().insert(id.clone(), record.clone());
        permit.send(id);
        Ok(record)
    }

    /// Runs queued jobs, `workers` at a time, until `shutdown` turns true; then waits for
    /// the running ones to finish. Jobs still queued stay queued on disk for the next start.
    pub async fn dispatch(
        self: Arc<Self>,
        mut queue: mpsc::Receiver<String>,
        mut shutdown: watch::Receiver<bool>,
    ) {
        let workers = self.settings.workers.max(1);
        let slots = self.slots.clone();
        loop {
            // A job first, then a slot: the slots are shared with the library's builds on
            // request (`acquire`), so holding one while the queue is empty would keep them
            // waiting (with `--jobs 1`, for ever). A job taken and not yet started when the
            // server stops is still queued on disk and runs at the next start.
            let id = tokio::select! {
                biased;
                _ = shutdown.wait_for(|stop| *stop) => break,
                id = queue.recv() => match id { Some(id) => id, None => break },
            };
            // While it waits for a slot, the job keeps its place in the queue, so `--queue`
            // still counts it (else one more job than `--queue` would wait). `try_`: if a
            // submission took the place meanwhile, the queue is one over for that while.
            let place = self.queue.try_reserve().ok();
            let permit = tokio::select! {
                biased;
                _ = shutdown.wait_for(|stop| *stop) => break,
                p = slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            };
            drop(place);
            let this = self.clone();
            tokio::spawn(async move {
                this.run(&id).await;
                drop(permit);
            });
        }
        // Every slot back: every running job has finished.
        let _ = slots.acquire_many(workers as u32).await;
    }

    /// Builds one job (or takes its result from the cache, if the same submission was
    /// built meanwhile).
    async fn run(self: &Arc<Self>, id: &str) {
        let Some((record, _)) = self.get(id) else {
            return;
        };
        let lock = {
            let mut building = self.building.lock().unwrap_or_else(|e| e.into_inner());
            building.entry(record.key.clone()).or_default().clone()
        };
        let guard = lock.lock().await;
        if self.cache.get(&record.key).is_some() {
            self.update(id, |r| {
                r.state = State::Done;
                r.cached = true;
                r.finished = Some(now());
            });
            let _ = std::fs::remove_dir_all(self.job_dir(id).join("input"));
        } else {
            self.update(id, |r| {
                r.state = State::Running;
                r.started = Some(now());
            });
            self.build(record.clone()).await;
        }
        drop(guard);
        // The last one out removes the key's lock (the map holds one reference, this job
        // another).
        let mut building = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if Arc::strong_count(&lock) <= 2 {
            building.remove(&record.key);
        }
    }

    async fn build(self: &Arc<Self>, record: JobRecord) {
        let id = record.id.clone();
        let staging = self.staging(&id);
        let input = self.job_dir(&id).join("input");
        let this = self.clone();
        let (s, i, r) = (staging.clone(), input.clone(), record.clone());
        let handle = tokio::task::spawn_blocking(move || {
            let progress = |p: f32| {
                this.progress
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(r.id.clone(), p);
            };
            build_job(this.options(), &i, &r.entry, &r.words, &s, progress)
        });
        let abort = handle.abort_handle();
        let outcome = match tokio::time::timeout(self.settings.time_limit, handle).await {
            // In time: the result goes into the cache (only then, so that a build over its
            // limit, which runs on to its end, never reaches it).
            Ok(Ok(Ok(manifest))) if !manifest.files.is_empty() => {
                let (this, key, s) = (self.clone(), record.key.clone(), staging.clone());
                run_blocking(move || {
                    this.cache
                        .insert(&key, &s, manifest)
                        .map(|_| ())
                        .map_err(|e| Problem::of_error(&e, &s))
                })
                .await
                .map_err(storage)
                .and_then(|inserted| inserted)
            }
            Ok(Ok(Ok(manifest))) => Err(all_failed(manifest.failed)),
            Ok(Ok(Err(p))) => Err(p),
            Ok(Err(panic)) => Err(Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "build-failed",
                format!("the build stopped unexpectedly: {panic}"),
            )),
            Err(_) => {
                self.finish_failed(&id, time_limit(self.settings.time_limit));
                // A build cannot be stopped half-way: its thread runs to its end (holding
                // its slot, so the pool stays bounded) and its result is discarded.
                abort.abort();
                while !abort.is_finished() {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                let _ = std::fs::remove_dir_all(&staging);
                self.progress
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
                return;
            }
        };
        self.progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        let _ = std::fs::remove_dir_all(&staging);
        match outcome {
            Ok(()) => {
                self.update(&id, |r| {
                    r.state = State::Done;
                    r.finished = Some(now());
                });
                let _ = std::fs::remove_dir_all(&input);
            }
            Err(problem) => self.finish_failed(&id, problem),
        }
    }

    /// Removes jobs that ended longer than `--keep` ago and evicts stale results.
    pub fn collect_garbage(&self) {
        let expired: Vec<String> = self
            .lock_records()
            .values()
            .filter(|r| self.expired(r))
            .map(|r| r.id.clone())
            .collect();
        for id in expired {
            self.lock_records().remove(&id);
            let _ = std::fs::remove_dir_all(self.job_dir(&id));
        }
        self.cache.evict(None);
    }
}

impl Jobs {
    /// The cache key of a library acquisition: the bytes of every file the publication
    /// reads (`files`, named relative to `root`: manifest, articles, images), the
    /// options, and the tools — a changed article or image is a new key, built anew.
    pub fn library_key(
        &self,
        root: &Path,
        files: &[PathBuf],
        words: &[String],
    ) -> std::io::Result<String> {
        let mut body = Vec::new();
        for f in files {
            let name = f
                .strip_prefix(root)
                .unwrap_or(f)
                .to_string_lossy()
                .into_owned();
            let bytes = std::fs::read(f)?;
            body.extend((name.len() as u64).to_le_bytes());
            body.extend(name.as_bytes());
            body.extend((bytes.len() as u64).to_le_bytes());
            body.extend(bytes);
        }
        Ok(CacheKey {
            media_type: LIBRARY_MEDIA_TYPE,
            body: &body,
            words,
            tools: &self.tools,
        }
        .hex())
    }

    /// Builds one edition of a library publication (`entry`, a file inside `root`) with
    /// the command line's `words` into the cache under `key`, unless it is there: on a
    /// build slot (`--jobs`), the same key built once at a time, the input confined to
    /// `root`, within `--job-time-limit`. Waits at most `wait`: then `Ok(false)`, and the
    /// build goes on (its result is cached for the next request).
    pub async fn acquire(
        self: &Arc<Self>,
        root: PathBuf,
        entry: PathBuf,
        words: Vec<String>,
        key: String,
        wait: Duration,
    ) -> Result<bool, Problem> {
        if self.cache.get(&key).is_some() {
            return Ok(true);
        }
        let this = self.clone();
        let task = tokio::spawn(async move {
            let lock = {
                let mut building = this.building.lock().unwrap_or_else(|e| e.into_inner());
                building.entry(key.clone()).or_default().clone()
            };
            let guard = lock.lock().await;
            let outcome = if this.cache.get(&key).is_some() {
                Ok(())
            } else {
                let permit = this.slots.clone().acquire_owned().await;
                let staging = this.staging(&format!("library-{}", new_id()));
                let (s, k, t) = (staging.clone(), key.clone(), this.clone());
                let handle = tokio::task::spawn_blocking(move || {
                    let rel = entry.strip_prefix(&root).unwrap_or(&entry).to_path_buf();
                    let built = build_job(
                        t.options(),
                        &root,
                        &rel.to_string_lossy(),
                        &words,
                        &s,
                        |_| {},
                    );
                    match built {
                        Ok(manifest) if !manifest.files.is_empty() => t
                            .cache
                            .insert(&k, &s, manifest)
                            .map(|_| ())
                            .map_err(|e| Problem::of_error(&e, &root)),
                        Ok(manifest) => Err(all_failed(manifest.failed)),
                        Err(p) => Err(p),
                    }
                });
                let running = handle.abort_handle();
                let outcome = match tokio::time::timeout(this.settings.time_limit, handle).await {
                    Ok(Ok(o)) => o,
                    Ok(Err(panic)) => Err(Problem::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "build-failed",
                        format!("the build stopped unexpectedly: {panic}"),
                    )),
                    Err(_) => {
                        // As a job's build: its thread keeps the slot until it ends.
                        while !running.is_finished() {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        Err(time_limit(this.settings.time_limit))
                    }
                };
                let _ = std::fs::remove_dir_all(&staging);
                drop(permit);
                outcome
            };
            drop(guard);
            let mut building = this.building.lock().unwrap_or_else(|e| e.into_inner());
            if Arc::strong_count(&lock) <= 2 {
                building.remove(&key);
            }
            outcome
        });
        match tokio::time::timeout(wait, task).await {
            Ok(Ok(Ok(()))) => Ok(true),
            Ok(Ok(Err(p))) => Err(p),
            Ok(Err(e)) => Err(Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "build-failed",
                format!("the build stopped unexpectedly: {e}"),
            )),
            Err(_) => Ok(false),
        }
    }
}

/// The media type in the cache key of a library acquisition (no body was sent).
const LIBRARY_MEDIA_TYPE: &str = "application/x-anpham-library";

/// Runs blocking work (files) off the server's threads.
async fn run_blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(std::io::Error::other)
}

fn storage(e: std::io::Error) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "storage",
        format!("the job could not be stored: {e}"),
    )
}

/// The answer to a submission when the queue is full.
pub(crate) fn queue_full() -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "queue-full",
        "the queue of jobs is full; submit again after the time in Retry-After",
    )
}

/// The reason of a job that was running when the server stopped.
fn interrupted() -> Problem {
    let mut p = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "interrupted",
        "interrupted: the server stopped while this job was being built; nothing of it is served, submit it again",
    );
    p.title = "interrupted".into();
    p
}

fn time_limit(limit: Duration) -> Problem {
    Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "time-limit",
        format!(
            "the build took longer than the time limit ({} s); nothing of it is served",
            limit.as_secs()
        ),
    )
}

/// The problem of a job none of whose editions could be written.
fn all_failed(failed: Vec<FailedEdition>) -> Problem {
    match failed.len() {
        1 => failed.into_iter().next().expect("one").problem,
        _ => {
            let detail = failed
                .iter()
                .map(|f| format!("{}: {}", f.edition, f.problem.detail))
                .collect::<Vec<_>>()
                .join("\n");
            let mut p = Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "build-failed",
                format!("no edition could be written:\n{detail}"),
            );
            p.diagnostics = failed
                .into_iter()
                .flat_map(|f| f.problem.diagnostics)
                .collect();
            p
        }
    }
}

/// Builds a job's input (`input/ENTRY`) with the CLI's options into `staging`: plans as
/// `anpham build` does, checks that the input reads no file outside its folder, builds each
/// publication's editions (written atomically), and describes what was written.
fn build_job(
    query: &BuildQuery,
    input: &Path,
    entry: &str,
    words: &[String],
    staging: &Path,
    progress: impl Fn(f32),
) -> Result<ResultManifest, Problem> {
    let mut options = query.options(words)?;
    let preview = words.iter().any(|w| w == super::api::PREVIEW_WORD);
    options.out_dir = staging.to_path_buf();
    std::fs::create_dir_all(staging).map_err(storage)?;
    let entry_path = if entry.is_empty() {
        input.to_path_buf()
    } else {
        input.join(entry)
    };
    let planned =
        crate::batch::plan(&[entry_path], &options).map_err(|e| Problem::of_error(&e, input))?;
    let mut manifest = ResultManifest::default();
    let mut files = Vec::new();
    let total = planned.len().max(1);
    for (done, job) in planned.into_iter().enumerate() {
        let prepared = match job.publication {
            Ok(p) => p,
            Err(e) => {
                // `each`: an article that cannot be read fails alone.
                for path in job.plan.outputs() {
                    manifest.failed.push(FailedEdition {
                        edition: file_name(&path),
                        problem: Problem::of_error(&e, input),
                    });
                }
                continue;
            }
        };
        confine(&prepared, input)?;
        manifest.diagnostics.extend(
            prepared
                .warnings()
                .iter()
                .map(|d| DiagnosticJson::of(d, input)),
        );
        let kinds: HashMap<String, &'static str> = job
            .plan
            .request
            .outputs()
            .into_iter()
            .map(|k| (k.file_name(&job.plan.slug), k.format.media_type()))
            .collect();
        let built = job
            .plan
            .build(&prepared)
            .map_err(|e| Problem::of_error(&e, input))?;
        for w in &built.written {
            let name = file_name(&w.path);
            for warning in &w.warnings {
                manifest
                    .diagnostics
                    .push(DiagnosticJson::of(&warning.diagnostic, input));
            }
            let media_type = kinds
                .get(&name)
                .copied()
                .unwrap_or("application/octet-stream");
            files.push((name, media_type.to_string()));
        }
        if preview {
            write_previews(
                &prepared,
                &job.plan,
                staging,
                input,
                &mut files,
                &mut manifest,
            );
        }
        for f in &built.failed {
            for path in &f.paths {
                manifest.failed.push(FailedEdition {
                    edition: file_name(path),
                    problem: Problem::of_error(&f.error, input),
                });
            }
        }
        crate::editions::drop_in_background(prepared);
        progress((done + 1) as f32 / total as f32);
    }
    manifest.diagnostics.dedup();
    super::cache::sync_dir(staging);
    manifest.files = ResultManifest::describe(staging, &files).map_err(storage)?;
    Ok(manifest)
}

/// The first page of each print edition of `plan` as an SVG image (`SLUG.SCALE.preview.svg`,
/// `editions::page_previews`), written atomically into `staging` and listed in `files`; a
/// page that cannot be drawn is a failed edition of its own.
fn write_previews(
    prepared: &Prepared,
    plan: &crate::output::EditionPlan,
    staging: &Path,
    input: &Path,
    files: &mut Vec<(String, String)>,
    manifest: &mut ResultManifest,
) {
    let title = |scale| super::page::preview_alt(scale, &prepared.title);
    for (name, preview) in
        crate::editions::page_previews(prepared, &plan.request, &plan.slug, &title)
    {
        let path = staging.join(&name);
        let written = preview.and_then(|p| {
            let mut out = PendingFile::create(&path)?;
            std::io::Write::write_all(&mut out, p.svg.as_bytes()).map_err(|source| {
                crate::Error::Write {
                    path: path.clone(),
                    source,
                }
            })?;
            out.commit()
        });
        match written {
            Ok(()) => files.push((name, "image/svg+xml".to_string())),
            Err(e) => manifest.failed.push(FailedEdition {
                edition: name,
                problem: Problem::of_error(&e, input),
            }),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Refuses a publication that reads an article or an image outside its input folder
/// (a manifest naming `../../etc/…`, an image at an absolute path): the server builds
/// only what was uploaded.
fn confine(p: &Prepared, input: &Path) -> Result<(), Problem> {
    let root = input.canonicalize().map_err(storage)?;
    let inside = |path: &Path| path.canonicalize().is_ok_and(|c| c.starts_with(&root));
    let outside = |what: String| {
        let mut p = Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside-input",
            format!(
                "{what} is outside the upload; the server builds only what was sent\n  hint: put it in the zip archive and name it by a relative path"
            ),
        );
        p.title = "The input names a file outside the upload".into();
        p
    };
    for a in &p.articles {
        if let Some(o) = &a.origin
            && !inside(&o.file)
        {
            return Err(outside(format!("article {}", relative(&o.file, input))));
        }
    }
    for (_, f) in p.figures() {
        if let Some(img) = &f.image
            && let crate::model::ImageSource::File(file) = &img.source
            && !inside(&file.path)
        {
            return Err(outside(format!("image `{}`", scrub(&f.src, input))));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_hex_and_checked() {
        let a = new_id();
        assert!(is_id(&a), "{a}");
        assert_ne!(a, new_id());
        assert!(!is_id("../../etc/passwd"));
        assert!(!is_id(&a.to_uppercase()));
    }

    #[test]
    fn an_image_outside_the_upload_is_refused() {
        let query = super::super::api::of_cli();
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("input");
        std::fs::create_dir_all(&input).unwrap();
        let photo = crate::images::testdata::jpeg_with_exif(64, 48, 1);
        // The article lives beside the input folder, its image outside it too.
        let article = crate::images::testdata::article_with_photo(
            dir.path(),
            "a",
            "Ảnh",
            "Hội trường",
            &photo,
        );
        std::fs::copy(&article, input.join("a.md")).unwrap();
        // Any one format: what is checked is where the input's files are.
        let format = crate::editions::Format::all().next().expect("a format");
        let words = vec![format!("--format={format}")];
        let staging = dir.path().join("staging");
        // From inside the folder the image (`img/a.jpg`) is missing: a located error.
        let p = build_job(&query, &input, "a.md", &words, &staging, |_| {}).unwrap_err();
        assert_eq!(p.status, 422, "{p:?}");
        assert!(
            !p.detail.contains(&dir.path().display().to_string()),
            "{}",
            p.detail
        );
        // Built from outside its folder (as a manifest naming ../a.md would), refused.
        let p = build_job(&query, dir.path(), "a.md", &words, &staging, |_| {});
        assert!(p.is_ok(), "{p:?}");
        let p = build_job(&query, &input, "../a.md", &words, &staging, |_| {}).unwrap_err();
        assert!(p.kind.ends_with("outside-input"), "{p:?}");
    }
}
