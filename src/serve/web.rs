//! The web page's routes (docs/serve.md, "The web page"): `GET /` (the start page),
//! `POST /upload` (one article from a `multipart/form-data` form, built as a job of the
//! API with the API's limits), `GET /jobs/{id}` (a job's page) and
//! `GET /jobs/{id}/files/{name}` (its files, as `/v1/jobs/{id}/files/{name}` serves them,
//! without the token: the job's 128-bit id is the key). The pages are written by `page`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};

use super::api::{BuildQuery, PREVIEW_WORD};
use super::jobs::{JobRecord, State as JobState, is_id};
use super::library::{LibraryEntry, ListQuery};
use super::page::{self, FileLink, JobView, PreviewView, WORDS};
use super::problem::Problem;
use super::routes::{AppState, file, same_secret};
use super::upload::{self, BodyKind};
use crate::editions::{Format, PREVIEW_EXTENSION, PagePreview};
use crate::scale::FontScale;

type Shared = std::sync::Arc<AppState>;

/// The handlers of the web page's routes (`api::ROUTES`), for `routes::router`.
pub(crate) fn handler(method: &str, path: &str) -> Option<MethodRouter<Shared>> {
    Some(match (method, path) {
        ("GET", "/") => get(home),
        ("POST", "/upload") => post(upload),
        ("GET", "/jobs/{id}") => get(job_page),
        ("GET", "/jobs/{id}/files/{name}") => get(file),
        ("GET", "/library/{id}/preview") => get(library_preview_image),
        _ => return None,
    })
}

/// How long `POST /upload` waits for its job before answering with the job's page: a
/// single article is usually built by then, so the reader lands on its files; a longer job
/// shows its state and a link to look again.
const UPLOAD_WAIT: Duration = Duration::from_secs(20);

/// The scale of a query or form value, the large print's when it is missing or not one.
pub(crate) fn scale_of(value: Option<&str>) -> FontScale {
    value
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(FontScale::LARGE)
}

/// The file types the form takes, as extensions with their media type and kind: those of
/// the API's bodies (`upload::ACCEPTED`), the archive as `.zip`.
pub(crate) fn accepted_extensions() -> Vec<(String, &'static str, BodyKind)> {
    let mut out: Vec<(String, &'static str, BodyKind)> = upload::ACCEPTED
        .iter()
        .map(|(media_type, kind)| {
            let ext = match kind {
                BodyKind::File(name) => name.rsplit('.').next().unwrap_or(""),
                BodyKind::Zip => media_type.rsplit('/').next().unwrap_or(""),
            };
            (format!(".{ext}"), *media_type, *kind)
        })
        .collect();
    // Markdown's other extension.
    if let Some(md) = out.iter().find(|(e, ..)| e == ".md").cloned() {
        out.insert(
            1 + out.iter().position(|(e, ..)| e == ".md").unwrap_or(0),
            (".markdown".into(), md.1, md.2),
        );
    }
    out
}

/// The media type and kind of an uploaded file: by its name's extension, else by the
/// type the browser sent, if the API takes it.
fn kind_of(file_name: &str, sent: Option<&str>) -> Option<(&'static str, BodyKind)> {
    let lower = file_name.to_lowercase();
    accepted_extensions()
        .into_iter()
        .find(|(ext, ..)| lower.ends_with(ext.as_str()))
        .map(|(_, t, k)| (t, k))
        .or_else(|| {
            let sent = sent?.split(';').next()?.trim().to_ascii_lowercase();
            upload::ACCEPTED
                .iter()
                .find(|(t, _)| *t == sent)
                .map(|(t, k)| (*t, *k))
        })
}

/// What a file of a job or a publication is, in the page's words: its format's label
/// (the longest extension that ends its name), with the print edition's size.
pub(crate) fn file_label(name: &str) -> String {
    if name.ends_with(PREVIEW_EXTENSION) {
        return WORDS.edition_preview.to_string();
    }
    let Some(format) = Format::all()
        .filter(|f| name.ends_with(f.extension()))
        .max_by_key(|f| f.extension().len())
    else {
        return name.to_string();
    };
    let label = format.label(WORDS);
    if !format.per_scale() {
        return label.to_string();
    }
    let stem = &name[..name.len() - format.extension().len()];
    let scale = stem
        .rsplit_once('.')
        .and_then(|(_, s)| {
            s.strip_prefix("step")
                .unwrap_or(s)
                .parse::<FontScale>()
                .ok()
        })
        .unwrap_or(FontScale::STANDARD);
    format!("{label} {} pt", crate::scale::fmt_pt(scale.body_pt()))
}

/// A file's line on a page.
pub(crate) fn file_link(
    name: &str,
    href: String,
    bytes: Option<u64>,
    media_type: &str,
) -> FileLink {
    FileLink {
        label: file_label(name),
        name: name.to_string(),
        href,
        bytes,
        media_type: Some(media_type.to_string()),
        // A page the browser shows itself (the single-page edition).
        opens_in_browser: media_type.starts_with("text/"),
    }
}

/// The upload form's settings: every format this build writes, those built by default
/// and the single page checked.
pub(crate) fn upload_view(s: &AppState, scale: FontScale) -> page::UploadView {
    page::UploadView {
        formats: Format::all()
            .map(|f| {
                let checked = f.by_default() || f.media_type().starts_with("text/");
                let mut label = f.label(WORDS).to_string();
                if f.per_scale() {
                    label = format!("{label} {} pt", crate::scale::fmt_pt(scale.body_pt()));
                }
                (f.name().to_string(), label, checked)
            })
            .collect(),
        extensions: accepted_extensions().into_iter().map(|(e, ..)| e).collect(),
        token: s.token.is_some(),
        max_upload: s.max_upload,
    }
}

/// A link to the start page at `scale`, showing publication `id`'s preview, on library
/// page `page`.
fn home_link(base: &str, scale: FontScale, id: Option<&str>, page: usize) -> String {
    let mut link = format!(
        "{base}/?scale={}",
        page::query_value(&page::scale_value(scale))
    );
    if let Some(id) = id {
        link.push_str("&pub=");
        link.push_str(&page::query_value(id));
    }
    if page > 1 {
        link.push_str(&format!("&page={page}"));
    }
    link
}

/// `GET /`: the start page (with `--library`, a page of the library and the preview of
/// the publication chosen, else of the page's first).
pub(crate) async fn home(
    State(s): State<Shared>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let get = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let scale = scale_of(get("scale"));
    let mut view = page::HomeView {
        base: s.base_url.clone(),
        scale,
        keep: Vec::new(),
        preview: None,
        library: page::LibraryView::None,
        upload: upload_view(&s, scale),
    };
    if let Some(lib) = &s.library {
        let catalog = lib.catalog().await;
        let number = get("page").and_then(|p| p.trim().parse().ok()).unwrap_or(1);
        let listed = catalog.page(&ListQuery {
            page: number,
            ..Default::default()
        });
        let chosen = get("pub")
            .and_then(|id| catalog.get(id))
            .filter(|e| e.publication.is_ok())
            .or_else(|| listed.entries.iter().find(|e| e.publication.is_ok()))
            .cloned();
        let base = s.base_url.as_str();
        let chosen_id = chosen.as_ref().map(|e| e.id.as_str());
        let publications = listed
            .entries
            .iter()
            .map(|e| {
                let mut v = publication_view(e, scale, base);
                if v.error.is_none() {
                    v.preview_href = Some(format!(
                        "{}#preview",
                        home_link(base, scale, Some(&e.id), listed.page)
                    ));
                }
                v
            })
            .collect();
        let at = |n: usize| home_link(base, scale, chosen_id, n);
        view.library = page::LibraryView::Page {
            publications,
            page: (listed.page, listed.last_page),
            previous: (listed.page > 1).then(|| at(listed.page - 1)),
            next: (listed.page < listed.last_page).then(|| at(listed.page + 1)),
        };
        if let Some(e) = &chosen {
            view.keep.push(("pub".into(), e.id.clone()));
        }
        if listed.page > 1 {
            view.keep.push(("page".into(), listed.page.to_string()));
        }
        if let Some(entry) = chosen {
            let id = entry.id.clone();
            let base_url = s.base_url.clone();
            let query = s.jobs.options().clone();
            let made = tokio::task::spawn_blocking(move || {
                library_preview(&query, &entry, scale, &base_url)
            })
            .await;
            match made {
                Ok(Ok(p)) => {
                    view.preview = Some(PreviewView {
                        src: format!(
                            "{}/library/{}/preview?scale={}",
                            s.base_url,
                            page::query_value(&id),
                            page::query_value(&page::scale_value(scale))
                        ),
                        alt: p.1.clone(),
                        text: p.0.text.clone(),
                    })
                }
                Ok(Err(why)) => eprintln!("anpham serve: the preview of {id}: {why}"),
                Err(e) => eprintln!("anpham serve: the preview of {id}: {e}"),
            }
        }
    }
    page::respond(StatusCode::OK, page::home(&view))
}

/// A library entry as the start page lists it: its editions (a per-scale format once, at
/// the scale chosen), or its error.
fn publication_view(e: &LibraryEntry, scale: FontScale, base: &str) -> page::PublicationView {
    match &e.publication {
        Ok(l) => {
            let mut seen: Vec<&str> = Vec::new();
            let mut files = Vec::new();
            for a in &l.editions {
                let per_scale = Format::named(a.format).is_ok_and(|f| f.per_scale());
                let a = if per_scale {
                    if seen.contains(&a.format) {
                        continue;
                    }
                    seen.push(a.format);
                    e.acquisition(a.format, Some(scale), base)
                        .unwrap_or_else(|| a.clone())
                } else {
                    a.clone()
                };
                files.push(file_link(&a.file_name, a.href.clone(), None, a.media_type));
            }
            page::PublicationView {
                title: l.title.clone(),
                author: (!l.authors.is_empty()).then(|| l.authors.join(", ")),
                lang: Some(l.lang.clone()),
                files,
                error: None,
                preview_href: None,
            }
        }
        Err(p) => page::PublicationView {
            title: e.source.clone(),
            author: None,
            lang: None,
            files: Vec::new(),
            error: Some(problem_text(&p.detail, &p.diagnostics)),
            preview_href: None,
        },
    }
}

/// Previews of library publications, made on request and kept while their files are
/// unchanged: (id, modification time, scale) → the preview and its short alternative.
type PreviewKey = (String, SystemTime, String);
type KeptPreview = Arc<(PagePreview, String)>;
static PREVIEWS: Mutex<Vec<(PreviewKey, KeptPreview)>> = Mutex::new(Vec::new());

/// Previews kept at most (the oldest go first).
const PREVIEWS_KEPT: usize = 64;

/// The first page of a library publication's print edition at `scale`, planned and
/// laid out as the edition's acquisition builds it (its words, `batch::plan`,
/// `editions::page_previews`), or kept from an earlier request.
fn library_preview(
    query: &BuildQuery,
    entry: &LibraryEntry,
    scale: FontScale,
    base: &str,
) -> Result<KeptPreview, String> {
    let key = (entry.id.clone(), entry.modified, page::scale_value(scale));
    let kept = |k: &PreviewKey| {
        PREVIEWS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(have, _)| have == k)
            .map(|(_, p)| p.clone())
    };
    if let Some(p) = kept(&key) {
        return Ok(p);
    }
    let listing = entry.publication.as_ref().map_err(|p| p.detail.clone())?;
    let format = Format::all()
        .find(|f| f.draws_pages())
        .ok_or("this server builds no print edition")?;
    let acquisition = entry
        .acquisition(format.name(), Some(scale), base)
        .ok_or("no print edition at this scale")?;
    let options = query.options(&acquisition.words).map_err(|p| p.detail)?;
    let job = crate::batch::plan(&[entry.path().to_path_buf()], &options)
        .map_err(|e| e.to_string())?
        .into_iter()
        .next()
        .ok_or("nothing to build")?;
    let prepared = job.publication.map_err(|e| e.to_string())?;
    let alt = page::preview_alt(scale, &listing.title);
    let title = |_| alt.clone();
    let (_, preview) =
        crate::editions::page_previews(&prepared, &job.plan.request, &job.plan.slug, &title)
            .into_iter()
            .next()
            .ok_or("no print edition at this scale")?;
    let made = Arc::new((preview.map_err(|e| e.to_string())?, alt));
    let mut all = PREVIEWS.lock().unwrap_or_else(|e| e.into_inner());
    all.retain(|(k, _)| k.0 != key.0 || k.1 == key.1);
    if all.len() >= PREVIEWS_KEPT {
        all.remove(0);
    }
    all.push((key, made.clone()));
    Ok(made)
}

/// `GET /library/{id}/preview?scale=S`: the first page of a library publication's print
/// edition at `S`, as an SVG image.
async fn library_preview_image(
    State(s): State<Shared>,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let scale = scale_of(
        params
            .iter()
            .find(|(n, _)| n == "scale")
            .map(|(_, v)| v.as_str()),
    );
    // An image's route: its problems are the API's (RFC 9457), as the cover's.
    let Some(lib) = &s.library else {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "no-library",
            "this server has no library; start it with `anpham serve --library DIR`",
        )
        .into_response();
    };
    let Some(entry) = lib.catalog().await.get(&id).cloned() else {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "no-such-publication",
            format!("the library has no publication `{id}`"),
        )
        .into_response();
    };
    let base = s.base_url.clone();
    let query = s.jobs.options().clone();
    match tokio::task::spawn_blocking(move || library_preview(&query, &entry, scale, &base)).await {
        Ok(Ok(p)) => {
            let mut r = (StatusCode::OK, p.0.svg.clone()).into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(super::routes::FILE_POLICY),
            );
            r
        }
        Ok(Err(why)) => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "no-preview", why).into_response()
        }
        Err(e) => Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "no-preview",
            e.to_string(),
        )
        .into_response(),
    }
}

/// An error page with `status`.
fn error_page(s: &AppState, status: StatusCode, detail: &str) -> Response {
    page::respond(status, page::error(&s.base_url, detail))
}

fn multipart_error(s: &AppState, e: &MultipartError) -> Response {
    let status = e.status();
    let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "{} ({})",
            WORDS.upload_too_large,
            page::size_text(s.max_upload)
        )
    } else {
        e.body_text()
    };
    error_page(s, status, &detail)
}

/// The fields of the upload form.
#[derive(Default)]
struct UploadForm {
    file: Option<(String, Option<String>, Bytes)>,
    scale: Option<String>,
    formats: Vec<String>,
    token: Option<String>,
}

async fn read_form(mut multipart: Multipart) -> Result<UploadForm, MultipartError> {
    let mut form = UploadForm::default();
    while let Some(field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "article" => {
                let name = field.file_name().unwrap_or("").to_string();
                let sent = field.content_type().map(str::to_string);
                let bytes = field.bytes().await?;
                form.file = Some((name, sent, bytes));
            }
            "scale" => form.scale = Some(field.text().await?),
            "format" => form.formats.push(field.text().await?),
            "token" => form.token = Some(field.text().await?),
            // Other fields are read and dropped.
            _ => {
                field.bytes().await?;
            }
        }
    }
    Ok(form)
}

/// `POST /upload`: one article from the form, built as a job with the formats and the
/// scale chosen (and the first page's preview); the answer sends the browser to the
/// job's page (`303`) once the job is done, or after [`UPLOAD_WAIT`].
pub(crate) async fn upload(
    State(s): State<Shared>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if *s.stopping.borrow() {
        return error_page(
            &s,
            StatusCode::SERVICE_UNAVAILABLE,
            &super::jobs::queue_full().detail,
        );
    }
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => return error_page(&s, StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(e) => return multipart_error(&s, &e),
    };
    if let Some(token) = &s.token {
        let given = form.token.as_deref().unwrap_or("");
        if !same_secret(given.as_bytes(), token.as_bytes()) {
            return error_page(&s, StatusCode::UNAUTHORIZED, WORDS.wrong_token);
        }
    }
    let Some((name, sent, bytes)) = form.file.filter(|(_, _, b)| !b.is_empty()) else {
        return error_page(&s, StatusCode::BAD_REQUEST, WORDS.upload_missing);
    };
    let Some((media_type, kind)) = kind_of(&name, sent.as_deref()) else {
        let taken: Vec<String> = accepted_extensions().into_iter().map(|(e, ..)| e).collect();
        return error_page(
            &s,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("{}: {}", WORDS.upload_hint, taken.join(", ")),
        );
    };
    let scale = scale_of(form.scale.as_deref());
    let mut params = vec![
        ("scale".to_string(), page::scale_value(scale)),
        ("preview".to_string(), "true".to_string()),
    ];
    if !form.formats.is_empty() {
        params.push(("format".to_string(), form.formats.join(",")));
    }
    let words = match s.jobs.options().words(&params) {
        Ok(w) => w,
        Err(p) => return error_page(&s, StatusCode::BAD_REQUEST, &p.detail),
    };
    debug_assert!(words.iter().any(|w| w == PREVIEW_WORD));
    let record = match s.jobs.submit(media_type, kind, bytes, words).await {
        Ok(r) => r,
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
            return error_page(&s, status, &p.detail);
        }
    };
    let started = Instant::now();
    while started.elapsed() < UPLOAD_WAIT {
        match s.jobs.get(&record.id) {
            Some((r, _)) if matches!(r.state, JobState::Queued | JobState::Running) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            _ => break,
        }
    }
    let location = format!("{}/jobs/{}", s.base_url, record.id);
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// The text alternative inside a preview image: its `<title>` and `<desc>`.
fn preview_texts(svg: &str) -> (String, String) {
    let between = |open: &str, close: &str| -> String {
        svg.split_once(open)
            .and_then(|(_, rest)| rest.split_once(close))
            .map(|(t, _)| {
                quick_xml::escape::unescape(t)
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| t.to_string())
            })
            .unwrap_or_default()
    };
    (
        between("<title id=\"title\">", "</title>"),
        between("<desc id=\"desc\">", "</desc>"),
    )
}

/// `GET /jobs/{id}`: a job's page.
pub(crate) async fn job_page(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let record = if is_id(&id) { s.jobs.get(&id) } else { None };
    let Some((record, _)) = record else {
        return error_page(&s, StatusCode::NOT_FOUND, WORDS.no_such_job);
    };
    let view = job_view(&s, &record).await;
    page::respond(StatusCode::OK, page::job(&view))
}

async fn job_view(s: &Shared, r: &JobRecord) -> JobView {
    let state = serde_json::to_value(r.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut view = JobView {
        base: s.base_url.clone(),
        id: r.id.clone(),
        state,
        files: Vec::new(),
        failed: Vec::new(),
        notes: Vec::new(),
        problem: r
            .problem
            .as_ref()
            .map(|p| problem_text(&p.detail, &p.diagnostics)),
        preview: None,
    };
    if r.state != JobState::Done {
        return view;
    }
    let Some(m) = s.jobs.cache.peek(&r.key) else {
        view.problem = Some(WORDS.evicted.to_string());
        return view;
    };
    let href = |name: &str| {
        format!(
            "{}/jobs/{}/files/{}",
            s.base_url,
            r.id,
            page::query_value(name)
        )
    };
    for f in &m.files {
        if f.name.ends_with(PREVIEW_EXTENSION) {
            if view.preview.is_none() {
                let jobs = s.jobs.clone();
                let (key, name) = (r.key.clone(), f.name.clone());
                let svg = tokio::task::spawn_blocking(move || {
                    let (path, _) = jobs.cache.file(&key, &name).ok()?;
                    std::fs::read_to_string(path).ok()
                })
                .await
                .ok()
                .flatten();
                if let Some(svg) = svg {
                    let (alt, text) = preview_texts(&svg);
                    view.preview = Some(PreviewView {
                        src: href(&f.name),
                        alt,
                        text,
                    });
                }
            }
            continue;
        }
        view.files.push(file_link(
            &f.name,
            href(&f.name),
            Some(f.bytes),
            &f.media_type,
        ));
    }
    view.failed = m
        .failed
        .iter()
        .map(|f| (f.edition.clone(), problem_text(&f.problem.detail, &[])))
        .collect();
    view.notes = m.diagnostics.iter().map(diagnostic_line).collect();
    view
}

/// A problem's detail and those of its located diagnostics it does not already say, one
/// per line.
fn problem_text(detail: &str, diagnostics: &[super::problem::DiagnosticJson]) -> String {
    let mut lines = vec![detail.to_string()];
    lines.extend(
        diagnostics
            .iter()
            .filter(|d| !detail.contains(&d.message))
            .map(diagnostic_line),
    );
    lines.dedup();
    lines.join("\n")
}

/// A diagnostic as the command line prints it: `file:line:column: severity: message`.
fn diagnostic_line(d: &super::problem::DiagnosticJson) -> String {
    let place = match (d.line, d.column, &d.field) {
        (Some(l), Some(c), _) => format!("{}:{l}:{c}", d.file),
        (_, _, Some(f)) => format!("{}: {f}", d.file),
        _ => d.file.clone(),
    };
    let mut line = format!("{place}: {}: {}", d.severity, d.message);
    for h in &d.hints {
        line.push_str("\n  hint: ");
        line.push_str(h);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_known_by_their_extension_then_their_type() {
        assert_eq!(kind_of("Bài.MD", None).unwrap().0, "text/markdown");
        assert_eq!(kind_of("a.markdown", None).unwrap().0, "text/markdown");
        assert_eq!(
            kind_of("a.zip", Some("application/octet-stream"))
                .unwrap()
                .1,
            BodyKind::Zip
        );
        assert_eq!(
            kind_of("a", Some("application/json; charset=utf-8"))
                .unwrap()
                .0,
            "application/json"
        );
        assert!(kind_of("a.exe", Some("application/octet-stream")).is_none());
        let exts: Vec<String> = accepted_extensions().into_iter().map(|(e, ..)| e).collect();
        assert!(
            exts.contains(&".toml".to_string()) && exts.contains(&".zip".to_string()),
            "{exts:?}"
        );
    }

    #[test]
    fn files_are_named_by_their_format_and_scale() {
        // The names come from the registry: the print edition (one file per scale) and
        // an edition of one file.
        let print = Format::all().find(|f| f.per_scale()).unwrap();
        let single = Format::all().find(|f| !f.per_scale()).unwrap();
        let ext = print.extension();
        let label = print.label(WORDS);
        assert_eq!(
            file_label(&format!("bac-kan{}", single.extension())),
            single.label(WORDS)
        );
        assert_eq!(
            file_label(&format!("bac-kan.large{ext}")),
            format!("{label} 18 pt")
        );
        assert_eq!(
            file_label(&format!("bac-kan.step+4{ext}")),
            format!("{label} 20 pt")
        );
        assert_eq!(
            file_label(&format!("bac-kan{ext}")),
            format!("{label} 12 pt")
        );
        assert_eq!(
            file_label("bac-kan.large.preview.svg"),
            WORDS.edition_preview
        );
        assert_eq!(scale_of(Some(" 4")), FontScale::step(4));
        assert_eq!(scale_of(Some("huge")), FontScale::LARGE);
        let (t, d) = preview_texts(
            "<svg><title id=\"title\">A &amp; B</title><desc id=\"desc\">x\n&lt;y&gt;</desc></svg>",
        );
        assert_eq!((t.as_str(), d.as_str()), ("A & B", "x\n<y>"));
    }
}
