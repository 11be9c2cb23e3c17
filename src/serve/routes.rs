//! The HTTP routes: the contract of docs/serve.md. [`ROUTES`] lists them; the router is
//! built from that list and `/openapi.json` describes every entry of it (a test checks both).

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio::sync::watch;

use super::api::ROUTES;
use super::cache::{FileError, is_plain_name};
use super::jobs::{JobRecord, Jobs, State as JobState, is_id, queue_full};
use super::problem::Problem;
use super::upload;

/// What the handlers share.
pub(crate) struct AppState {
    /// The jobs and the cache.
    pub jobs: Arc<Jobs>,
    /// The bearer token the API requires, if any.
    pub token: Option<String>,
    /// The largest request body (`--max-upload`).
    pub max_upload: u64,
    /// Prefix of the links in answers (`https://example.org/anpham`), else none.
    pub base_url: String,
    /// The library (`--library DIR`), if any.
    pub library: Option<Arc<super::library::Library>>,
    /// Turns true when the server is stopping.
    pub stopping: watch::Receiver<bool>,
}

type Shared = Arc<AppState>;

/// The handler of a route of [`ROUTES`] outside the API (the web page's, `web.rs`), given
/// to [`router`] by the server, so that this file does not import the page's.
pub(crate) type PageHandlers = fn(&str, &str) -> Option<MethodRouter<Shared>>;

/// The router of every route in [`ROUTES`] (the web page's handled by `pages`), with the
/// log line, token, compression and the error fallback.
pub(crate) fn router(state: Shared, pages: PageHandlers) -> Router {
    let mut r: Router<Shared> = Router::new();
    for (method, path) in ROUTES {
        let mut route = handler(method, path, pages);
        if path.starts_with("/v1/") {
            route = route.route_layer(middleware::from_fn_with_state(state.clone(), authorize));
        }
        r = r.route(path, route);
    }
    r.fallback(|| async {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "no such route; see /openapi.json",
        )
    })
    .with_state(state)
    .layer(middleware::from_fn(log_line))
}

/// The handler of one entry of [`ROUTES`].
fn handler(method: &str, path: &str, pages: PageHandlers) -> MethodRouter<Shared> {
    use tower_http::compression::CompressionLayer;
    match (method, path) {
        ("GET", "/healthz") => get(healthz),
        ("GET", "/openapi.json") => get(openapi).layer(CompressionLayer::new()),
        ("POST", "/v1/editions") => post(submit),
        ("GET", "/v1/jobs/{id}") => get(job).layer(CompressionLayer::new()),
        ("GET", "/v1/jobs/{id}/files/{name}") => get(file),
        ("GET", "/opds/catalog.json") => get(opds_json).layer(CompressionLayer::new()),
        ("GET", "/opds/catalog.xml") => get(opds_xml).layer(CompressionLayer::new()),
        ("GET", "/opds/search.xml") => get(opensearch),
        ("GET", "/library/{id}/cover") => get(cover),
        ("GET", "/library/{id}/files/{name}") => get(acquire),
        _ => pages(method, path).unwrap_or_else(|| {
            unreachable!("every route of ROUTES has a handler: {method} {path}")
        }),
    }
}

/// One line per request on standard error: method, path, status, time.
async fn log_line(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let response = next.run(req).await;
    eprintln!(
        "{method} {path} {} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// With `--token`: the API answers only requests with `Authorization: Bearer TOKEN`.
async fn authorize(State(s): State<Shared>, req: Request, next: Next) -> Response {
    if let Some(token) = &s.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !same_secret(given.as_bytes(), token.as_bytes()) {
            let mut r = Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server requires `Authorization: Bearer TOKEN`",
            )
            .into_response();
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    next.run(req).await
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn healthz(State(s): State<Shared>) -> Response {
    let (queued, running) = s.jobs.counts();
    let stopping = *s.stopping.borrow();
    let status = if stopping {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    (
        status,
        axum::Json(json!({
            "status": if stopping { "stopping" } else { "ok" },
            "queued": queued,
            "running": running,
            "cache_bytes": s.jobs.cache.bytes(),
        })),
    )
        .into_response()
}

async fn openapi(State(s): State<Shared>) -> Response {
    axum::Json(super::openapi::document(s.jobs.options().params())).into_response()
}

fn retry_after(mut r: Response, seconds: u32) -> Response {
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    r
}

/// `POST /v1/editions`: a submission; `202` and the job, or a problem.
async fn submit(
    State(s): State<Shared>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    if *s.stopping.borrow() {
        let mut p = queue_full();
        p.detail = "the server is stopping; submit again after the time in Retry-After".into();
        return retry_after(p.into_response(), 10);
    }
    let params = match query {
        Ok(Query(p)) => p,
        Err(e) => {
            return Problem::new(StatusCode::BAD_REQUEST, "bad-option", e.body_text())
                .into_response();
        }
    };
    let words = match s.jobs.options().words(&params) {
        Ok(w) => w,
        Err(p) => return p.into_response(),
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let kind = match upload::body_kind(content_type) {
        Ok(k) => k,
        Err(p) => return p.into_response(),
    };
    let body = match body {
        Ok(b) => b,
        Err(e) => {
            let status = e.status();
            let (kind, detail) = if status == StatusCode::PAYLOAD_TOO_LARGE {
                (
                    "too-large",
                    "the body is larger than the upload limit (--max-upload)".to_string(),
                )
            } else {
                (
                    "bad-body",
                    format!("the body cannot be read: {}", e.body_text()),
                )
            };
            return Problem::new(status, kind, detail).into_response();
        }
    };
    let media_type = content_type
        .and_then(|c| c.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match s.jobs.submit(&media_type, kind, body, words).await {
        Ok(record) => {
            let location = format!("{}/v1/jobs/{}", s.base_url, record.id);
            let mut r = (StatusCode::ACCEPTED, axum::Json(view(&s, &record, 0.0))).into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Err(p) if p.status == 503 => retry_after(p.into_response(), 5),
        Err(p) => p.into_response(),
    }
}

/// A job as the API shows it.
fn view(s: &AppState, r: &JobRecord, progress: f32) -> Value {
    let mut v = json!({
        "id": r.id,
        "state": r.state,
        "progress": progress,
        "href": format!("{}/v1/jobs/{}", s.base_url, r.id),
        "created": r.created,
        "started": r.started,
        "finished": r.finished,
        "cached": r.cached,
        "files": [],
        "failed": [],
        "diagnostics": [],
    });
    if let Some(p) = &r.problem {
        v["problem"] = serde_json::to_value(p).unwrap_or(Value::Null);
    }
    if r.state == JobState::Done {
        match s.jobs.cache.peek(&r.key) {
            Some(m) => {
                v["files"] = m
                    .files
                    .iter()
                    .map(|f| {
                        json!({
                            "name": f.name,
                            "media_type": f.media_type,
                            "bytes": f.bytes,
                            "sha256": f.sha256,
                            "href": format!("{}/v1/jobs/{}/files/{}", s.base_url, r.id, f.name),
                        })
                    })
                    .collect();
                v["failed"] = serde_json::to_value(&m.failed).unwrap_or(Value::Null);
                v["diagnostics"] = serde_json::to_value(&m.diagnostics).unwrap_or(Value::Null);
            }
            None => v["evicted"] = Value::Bool(true),
        }
    }
    v
}

fn no_such_job() -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "no-such-job",
        "no job has this id (or it has expired: jobs are kept for --keep)",
    )
    .into_response()
}

/// `GET /v1/jobs/{id}`.
async fn job(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    if !is_id(&id) {
        return no_such_job();
    }
    match s.jobs.get(&id) {
        Some((r, progress)) => axum::Json(view(&s, &r, progress)).into_response(),
        None => no_such_job(),
    }
}

/// `GET /v1/jobs/{id}/files/{name}`: a file from the cache, with `ETag`, `Content-Length`
/// and one `Range`.
pub(crate) async fn file(
    State(s): State<Shared>,
    Path((id, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !is_id(&id) {
        return no_such_job();
    }
    let Some((record, _)) = s.jobs.get(&id) else {
        return no_such_job();
    };
    let no_file = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "no-such-file",
            format!("job {id} has no file `{name}`"),
        )
        .into_response()
    };
    if !is_plain_name(&name) {
        return no_file();
    }
    if record.state != JobState::Done {
        return Problem::new(
            StatusCode::CONFLICT,
            "not-ready",
            format!(
                "job {id} is {}: its files are served once it is done",
                serde_json::to_value(record.state)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("")
            ),
        )
        .into_response();
    }
    serve_cached(&s, &record.key, &name, &headers, no_file).await
}

/// A file of a cached result, with `ETag`, `Content-Length` and one `Range` (the job's
/// files, and the library's acquisitions).
pub(crate) async fn serve_cached(
    s: &AppState,
    key: &str,
    name: &str,
    headers: &HeaderMap,
    no_file: impl FnOnce() -> Response,
) -> Response {
    let jobs = s.jobs.clone();
    let (key, n) = (key.to_string(), name.to_string());
    let found = tokio::task::spawn_blocking(move || jobs.cache.file(&key, &n)).await;
    let (path, entry) = match found {
        Ok(Ok(f)) => f,
        Ok(Err(FileError::NoSuchFile)) => return no_file(),
        Ok(Err(FileError::Evicted)) => {
            return Problem::new(
                StatusCode::GONE,
                "evicted",
                "the files of this job were removed from the cache (--cache-max, --keep); submit the job again",
            )
            .into_response();
        }
        Ok(Err(FileError::Damaged(why))) => {
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "damaged", why).into_response();
        }
        Err(e) => {
            return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string())
                .into_response();
        }
    };
    let etag = format!("\"{}\"", entry.sha256);
    let mut h = HeaderMap::new();
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a header value"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400, immutable"),
    );
    if let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        && inm.split(',').any(|t| t.trim() == etag || t.trim() == "*")
    {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&entry.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("inline; filename=\"{}\"", entry.name))
            .unwrap_or(HeaderValue::from_static("inline")),
    );
    // A page or an image the browser shows itself runs in a sandbox of its own: its
    // script (the text-size control) runs, but it reaches nothing of this server.
    if entry.media_type.starts_with("text/") || entry.media_type == "image/svg+xml" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FILE_POLICY),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    let size = entry.bytes;
    // A Range is honoured unless If-Range names another version.
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| if_range_ok)
        .map(|v| parse_range(v, size));
    let (status, start, len) = match range {
        None | Some(Range::Ignored) => (StatusCode::OK, 0, size),
        Some(Range::Satisfiable(a, b)) => {
            h.insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes {a}-{b}/{size}")).expect("digits"),
            );
            (StatusCode::PARTIAL_CONTENT, a, b - a + 1)
        }
        Some(Range::Unsatisfiable) => {
            // A problem, not the file: none of the file's headers but its length.
            let mut r = Problem::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range",
                format!("the file has {size} bytes"),
            )
            .into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{size}")).expect("digits"),
            );
            return r;
        }
    };
    let mut f = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(_) => {
            return Problem::new(
                StatusCode::GONE,
                "evicted",
                "the file was removed from the cache meanwhile; submit the job again",
            )
            .into_response();
        }
    };
    if start > 0 && f.seek(std::io::SeekFrom::Start(start)).await.is_err() {
        return Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "storage",
            "cannot read the file",
        )
        .into_response();
    }
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
        f.take(len),
        64 * 1024,
    ));
    (status, h, body).into_response()
}

/// The policy of a served page or image: its own inline style, script, fonts and images,
/// nothing else, in a sandbox (an origin of its own).
pub(crate) const FILE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:; sandbox allow-scripts";

/// How long an acquisition waits for its build: under the 120 s every request has, so
/// that an e-reader (which does not poll) gets the file or a `503` with `Retry-After`,
/// never a dropped connection.
pub(crate) const ACQUISITION_WAIT: std::time::Duration = std::time::Duration::from_secs(100);

fn no_library() -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "no-library",
        "this server has no library; start it with `anpham serve --library DIR`",
    )
    .into_response()
}

/// The query of a listing: `page`, `per-page` (or `per_page`), `query` (or `q`).
fn list_query(params: &[(String, String)]) -> super::library::ListQuery {
    let mut q = super::library::ListQuery {
        loaded_only: true,
        ..Default::default()
    };
    for (name, value) in params {
        match name.as_str() {
            "page" => q.page = value.trim().parse().unwrap_or(1),
            "per-page" | "per_page" => q.per_page = value.trim().parse().unwrap_or(0),
            "query" | "q" => q.search = Some(value.clone()),
            _ => {}
        }
    }
    q
}

fn typed(media_type: &'static str, body: String) -> Response {
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    (StatusCode::OK, h, body).into_response()
}

/// The library's catalog and its page that a feed's query `params` ask for; the problem
/// to answer when this server has no library.
async fn feed_page(
    s: &Shared,
    params: &[(String, String)],
) -> Result<(Arc<super::library::Catalog>, super::library::Page), Response> {
    let Some(lib) = &s.library else {
        return Err(no_library());
    };
    let catalog = lib.catalog().await;
    let page = catalog.page(&list_query(params));
    Ok((catalog, page))
}

/// `GET /opds/catalog.json`: a page of the library as OPDS 2.0.
async fn opds_json(
    State(s): State<Shared>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (catalog, page) = match feed_page(&s, &params).await {
        Ok(found) => found,
        Err(problem) => return problem,
    };
    let feed = super::opds::feed_json(&catalog, &page, &s.base_url);
    // serde_json writes no BOM and no leading white space: the first byte is `{`.
    typed(
        super::opds::OPDS2,
        serde_json::to_string(&feed).unwrap_or_default(),
    )
}

/// `GET /opds/catalog.xml`: a page of the library as OPDS 1.2 (Atom).
async fn opds_xml(
    State(s): State<Shared>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (catalog, page) = match feed_page(&s, &params).await {
        Ok(found) => found,
        Err(problem) => return problem,
    };
    typed(
        super::opds::OPDS1,
        super::opds::feed_xml(&catalog, &page, &s.base_url),
    )
}

/// `GET /opds/search.xml`: the OpenSearch description of the OPDS 1.2 search.
async fn opensearch(State(s): State<Shared>) -> Response {
    if s.library.is_none() {
        return no_library();
    }
    typed(
        super::opds::OPENSEARCH,
        super::opds::opensearch(&s.base_url),
    )
}

fn no_publication(id: &str) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "no-such-publication",
        format!("the library has no publication `{id}` (see /opds/catalog.json)"),
    )
    .into_response()
}

/// `GET /library/{id}/cover`: a publication's cover (its first figure's image).
async fn cover(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let Some(lib) = &s.library else {
        return no_library();
    };
    let catalog = lib.catalog().await;
    let Some(c) = catalog
        .get(&id)
        .and_then(|e| e.publication.as_ref().ok())
        .and_then(|l| l.image.clone())
    else {
        return no_publication(&id);
    };
    let root = lib.dir().to_path_buf();
    // Served only from inside the library.
    let read = tokio::task::spawn_blocking(move || {
        let file = c.file.canonicalize()?;
        if !file.starts_with(&root) {
            return Err(std::io::Error::other("outside the library"));
        }
        std::fs::read(file)
    })
    .await;
    match read {
        Ok(Ok(bytes)) => {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(c.media_type));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            (StatusCode::OK, h, bytes).into_response()
        }
        _ => no_publication(&id),
    }
}

/// `GET /library/{id}/files/{name}`: an edition of a library publication, from the cache
/// or built now (within [`ACQUISITION_WAIT`]; a slower build answers `503` with
/// `Retry-After` and goes on, so that the next request gets the file).
async fn acquire(
    State(s): State<Shared>,
    Path((id, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(lib) = &s.library else {
        return no_library();
    };
    if *s.stopping.borrow() {
        let mut p = queue_full();
        p.detail = "the server is stopping; ask again after the time in Retry-After".into();
        return retry_after(p.into_response(), 10);
    }
    let catalog = lib.catalog().await;
    let Some(entry) = catalog.get(&id).cloned() else {
        return no_publication(&id);
    };
    let no_file = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "no-such-file",
            format!("publication `{id}` has no edition `{name}`"),
        )
        .into_response()
    };
    let acquisition = match &entry.publication {
        Err(p) => {
            let mut p = p.clone();
            p.status = StatusCode::UNPROCESSABLE_ENTITY.as_u16();
            return p.into_response();
        }
        Ok(_) => match entry.acquisition_named(&name, lib.base_url()) {
            Some(a) => a,
            None => return no_file(),
        },
    };
    let (jobs, root, files, words) = (
        s.jobs.clone(),
        lib.dir().to_path_buf(),
        entry.files(),
        acquisition.words.clone(),
    );
    let keyed = tokio::task::spawn_blocking(move || jobs.library_key(&root, &files, &words)).await;
    let key = match keyed {
        Ok(Ok(k)) => k,
        _ => {
            // A file went away since the last look: the next look lists it again.
            return retry_after(
                Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "changed",
                    "the publication's files changed while it was read; ask again",
                )
                .into_response(),
                2,
            );
        }
    };
    let built = s
        .jobs
        .acquire(
            lib.dir().to_path_buf(),
            entry.path().to_path_buf(),
            acquisition.words.clone(),
            key.clone(),
            ACQUISITION_WAIT,
        )
        .await;
    match built {
        Ok(true) => {}
        Ok(false) => {
            let p = Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "building",
                format!(
                    "`{name}` is being built and took longer than {} s; it will be ready shortly: ask again",
                    ACQUISITION_WAIT.as_secs()
                ),
            );
            return retry_after(p.into_response(), 30);
        }
        Err(p) => return p.into_response(),
    }
    let mut r = serve_cached(&s, &key, &acquisition.file_name, &headers, no_file).await;
    // The same URL serves a new file when the article changes: revalidate (ETag).
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// A `Range` header against a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Range {
    /// Serve the whole file (not a byte range, or several ranges).
    Ignored,
    /// Bytes `a..=b`.
    Satisfiable(u64, u64),
    /// `416`.
    Unsatisfiable,
}

/// One `bytes=` range (`a-b`, `a-`, `-n`); several ranges are answered with the whole file.
pub(crate) fn parse_range(v: &str, size: u64) -> Range {
    let Some(spec) = v.trim().strip_prefix("bytes=") else {
        return Range::Ignored;
    };
    if spec.contains(',') {
        return Range::Ignored;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Range::Ignored;
    };
    let (a, b) = (a.trim(), b.trim());
    let parsed = match (a.is_empty(), b.is_empty()) {
        (true, false) => match b.parse::<u64>() {
            Ok(0) => return Range::Unsatisfiable,
            Ok(n) => Some((size.saturating_sub(n), size.saturating_sub(1))),
            Err(_) => None,
        },
        (false, _) => match (a.parse::<u64>(), b.parse::<u64>()) {
            (Ok(a), Ok(b)) if b >= a => Some((a, b.min(size.saturating_sub(1)))),
            (Ok(a), Err(_)) if b.is_empty() => Some((a, size.saturating_sub(1))),
            _ => None,
        },
        (true, true) => None,
    };
    match parsed {
        None => Range::Ignored,
        Some((a, _)) if a >= size => Range::Unsatisfiable,
        Some((a, b)) => Range::Satisfiable(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_as_rfc_9110_says() {
        assert_eq!(parse_range("bytes=0-9", 100), Range::Satisfiable(0, 9));
        assert_eq!(parse_range("bytes=90-", 100), Range::Satisfiable(90, 99));
        assert_eq!(parse_range("bytes=-10", 100), Range::Satisfiable(90, 99));
        assert_eq!(parse_range("bytes=50-500", 100), Range::Satisfiable(50, 99));
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Ignored);
        assert_eq!(parse_range("items=0-1", 100), Range::Ignored);
        assert_eq!(parse_range("bytes=9-2", 100), Range::Ignored);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}
