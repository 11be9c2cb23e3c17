//! The web page of `anpham serve` (docs/serve.md, "The web page"): the start page `/`
//! (the font-scale control, the first-page preview, the library, the upload form), a
//! job's page and an error page, written as HTML on the server.
//!
//! Every page is the same frame ([`document`]): `lang="vi"`, a skip link, a banner, one
//! `main`, a footer; its stylesheet inside it ([`STYLE`]); no script, no request to another
//! server, so it works with scripts off and behind any proxy. Every value from outside (a
//! title, an error, a file name) passes through [`escape_into`] or [`attr`]; every link
//! built from values through [`query_value`]. The words are `labels::PORTAL_VI`'s. The
//! answer carries a `Content-Security-Policy` that allows nothing but this server and the
//! inline stylesheet ([`respond`]).

use std::fmt::Write;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::labels::{PORTAL_VI, PortalWords, VI};
use crate::scale::{FontScale, fmt_pt};
use crate::xml::{attr, escape_into};

/// The words of the pages.
pub(crate) const WORDS: &PortalWords = &PORTAL_VI;

/// The page's stylesheet: the reader's own text size (rem), a single column that reflows
/// down to 320 CSS pixels, contrast above 7:1 for text, a 3 px focus outline, targets at
/// least 44 px high.
pub(crate) const STYLE: &str = r#"
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: "Be Vietnam Pro", "Noto Sans", "DejaVu Sans", Arial, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; }
.wrap { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
header.site { background: #0b3d6b; color: #fff; padding: 0.75rem 0; }
header.site a { color: #fff; font-weight: bold; font-size: 1.25rem; }
footer.site { border-top: 1px solid #767676; margin-top: 3rem; padding: 1rem 0; font-size: 0.95rem; }
a { color: #0a4a8c; text-decoration: underline; text-underline-offset: 0.15em; }
a:visited { color: #5a2d82; }
header.site a:visited { color: #fff; }
:focus-visible { outline: 3px solid #c25e00; outline-offset: 2px; }
.skip { position: absolute; left: 0.5rem; top: -10rem; background: #fff; color: #0a4a8c; padding: 0.5rem 1rem; border: 2px solid #0a4a8c; z-index: 2; }
.skip:focus { top: 0.5rem; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 1.5rem 0 0.5rem; }
h2 { font-size: 1.45rem; line-height: 1.3; margin: 2rem 0 0.5rem; border-bottom: 2px solid #0b3d6b; }
h3 { font-size: 1.2rem; line-height: 1.3; margin: 1.25rem 0 0.25rem; }
section, article { overflow-wrap: anywhere; }
button, input, select { font: inherit; }
button, .button { display: inline-block; min-height: 2.75rem; padding: 0.5rem 1rem; margin: 0.25rem 0.5rem 0.25rem 0; border: 2px solid #0b3d6b; border-radius: 0.25rem; background: #0b3d6b; color: #fff; cursor: pointer; text-decoration: none; }
button:hover { background: #072a4a; }
button[disabled] { background: #f0f0f0; color: #555; border-color: #767676; cursor: not-allowed; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; }
.now { font-weight: bold; }
.preview img { display: block; width: 100%; max-width: 26rem; height: auto; border: 1px solid #767676; box-shadow: 0 0.1rem 0.4rem rgba(0,0,0,0.25); background: #fff; }
.page-text { white-space: pre-line; font-size: 0.95rem; border-left: 4px solid #767676; padding-left: 0.75rem; }
details > summary { cursor: pointer; min-height: 2.75rem; padding: 0.5rem 0; }
ul.publications { list-style: none; padding: 0; margin: 0; }
ul.publications > li { border: 1px solid #767676; border-radius: 0.25rem; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
ul.files { padding-left: 1.25rem; }
ul.files li { margin: 0.5rem 0; }
ul.files a { display: inline-block; padding: 0.35rem 0; }
.meta { margin: 0.25rem 0; color: #333; }
.problem { border-left: 4px solid #a4000f; padding: 0.25rem 0.75rem; background: #fff5f5; }
.problem pre, .notes pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.95rem; }
form.upload label { display: block; font-weight: bold; margin-top: 1rem; }
form.upload input[type=file], form.upload input[type=password] { display: block; max-width: 100%; margin-top: 0.25rem; padding: 0.5rem; border: 2px solid #555; border-radius: 0.25rem; min-height: 2.75rem; }
fieldset { border: 1px solid #767676; border-radius: 0.25rem; margin: 1rem 0; padding: 0.5rem 1rem; }
legend { font-weight: bold; padding: 0 0.25rem; }
form.upload fieldset label { display: flex; align-items: center; gap: 0.5rem; min-height: 2.75rem; font-weight: normal; margin: 0; }
fieldset input[type=checkbox] { width: 1.5rem; height: 1.5rem; margin: 0; flex: none; }
.paging { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
"#;

/// The policy every page is answered with: nothing from elsewhere, no script, forms only
/// to this server, not framed.
pub(crate) const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A page's answer: the status, `text/…; charset=utf-8`, the policy, not stored by caches
/// (a job's page changes).
pub(crate) fn respond(status: StatusCode, page: String) -> Response {
    let mut r = (status, page).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(super::api::PAGE_MEDIA_TYPE),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(POLICY),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    r
}

/// The frame of every page around `main` (its content): `title` is the `<title>` (the
/// site's name is added after it).
pub(crate) fn document(title: &str, base: &str, main: &str) -> String {
    let mut out = String::with_capacity(main.len() + STYLE.len() + 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape_into(&mut out, title);
    if title != WORDS.title {
        out.push_str(" — ");
        escape_into(&mut out, WORDS.title);
    }
    out.push_str("</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    escape_into(&mut out, VI.skip_to_content);
    out.push_str("</a>\n<header class=\"site\">\n<div class=\"wrap\"><a");
    attr(&mut out, "href", &format!("{base}/"));
    out.push('>');
    escape_into(&mut out, WORDS.title);
    out.push_str(
        "</a></div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div class=\"wrap\">\n",
    );
    out.push_str(main);
    out.push_str("</div>\n</main>\n<footer class=\"site\">\n<div class=\"wrap\"><p>anpham ");
    out.push_str(env!("CARGO_PKG_VERSION"));
    out.push_str(" · <a");
    attr(&mut out, "href", &format!("{base}/openapi.json"));
    out.push_str(">OpenAPI</a></p></div>\n</footer>\n</body>\n</html>\n");
    out
}

/// `s` percent-encoded for a query value (everything but unreserved characters).
pub(crate) fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A scale as a query value and as the command line writes it: `+3`, `-1`, `19pt`.
pub(crate) fn scale_value(scale: FontScale) -> String {
    scale.argument()
}

/// A size in bytes as a reader reads it: `840 KB`, `1,2 MB` (a decimal comma).
pub(crate) fn size_text(bytes: u64) -> String {
    let (v, unit) = if bytes >= 1 << 20 {
        (bytes as f64 / f64::from(1u32 << 20), "MB")
    } else {
        ((bytes as f64 / 1024.0).max(1.0), "KB")
    };
    let s = if v >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}").replace('.', ",")
    };
    format!("{s} {unit}")
}

/// A file to download, as a line of a list.
#[derive(Debug, Clone)]
pub(crate) struct FileLink {
    /// What it is, in words (`Sách điện tử`).
    pub label: String,
    /// Its file name.
    pub name: String,
    /// Its link.
    pub href: String,
    /// Its size, if known.
    pub bytes: Option<u64>,
    /// Its media type, if known.
    pub media_type: Option<String>,
    /// A page the browser shows itself (the single-page edition): said in the link.
    pub opens_in_browser: bool,
}

/// Writes a list of files to download.
pub(crate) fn file_list(out: &mut String, files: &[FileLink]) {
    out.push_str("<ul class=\"files\">\n");
    for f in files {
        out.push_str("<li><a");
        attr(out, "href", &f.href);
        if let Some(t) = &f.media_type {
            attr(out, "type", t);
        }
        out.push('>');
        escape_into(out, &f.label);
        if f.opens_in_browser {
            out.push_str(" (");
            escape_into(out, WORDS.opens_in_browser);
            out.push(')');
        }
        out.push_str("</a> <span class=\"meta\">");
        escape_into(out, &f.name);
        if let Some(b) = f.bytes {
            out.push_str(", ");
            escape_into(out, &size_text(b));
        }
        out.push_str("</span></li>\n");
    }
    out.push_str("</ul>\n");
}

/// A first-page preview to show: its image's link, its title (the image's text
/// alternative) and the page's text.
#[derive(Debug, Clone)]
pub(crate) struct PreviewView {
    /// The image's link.
    pub src: String,
    /// Its short text alternative.
    pub alt: String,
    /// The page's printed lines.
    pub text: String,
}

/// The preview's short text alternative: `Trang đầu của bản in cỡ chữ 18 pt: TITLE`.
pub(crate) fn preview_alt(scale: FontScale, title: &str) -> String {
    format!(
        "{} {} pt: {title}",
        WORDS.preview_alt,
        fmt_pt(scale.body_pt())
    )
}

/// Writes the preview: the image with its short alternative, then the page's text in a
/// disclosure the image points to (`aria-describedby`), for a reader who cannot see it.
fn write_preview(out: &mut String, preview: Option<&PreviewView>, heading_level: u8) {
    let _ = write!(
        out,
        "<section class=\"preview\" id=\"preview\" aria-labelledby=\"preview-heading\">\n<h{heading_level} id=\"preview-heading\">"
    );
    escape_into(out, WORDS.preview_heading);
    let _ = writeln!(out, "</h{heading_level}>");
    match preview {
        Some(p) => {
            out.push_str("<img");
            attr(out, "src", &p.src);
            attr(out, "alt", &p.alt);
            out.push_str(" aria-describedby=\"preview-text\" width=\"420\" height=\"595\">\n<details>\n<summary>");
            escape_into(out, WORDS.preview_text);
            out.push_str("</summary>\n<p class=\"page-text\" id=\"preview-text\">");
            escape_into(out, &p.text);
            out.push_str("</p>\n</details>\n");
        }
        None => {
            out.push_str("<p>");
            escape_into(out, WORDS.preview_none);
            out.push_str("</p>\n");
        }
    }
    out.push_str("</section>\n");
}

/// One publication of the library, as the page lists it.
#[derive(Debug, Clone)]
pub(crate) struct PublicationView {
    /// Its title (or its file's name, for an entry that cannot be read).
    pub title: String,
    /// Its author.
    pub author: Option<String>,
    /// Its language (a BCP 47 tag).
    pub lang: Option<String>,
    /// Its editions.
    pub files: Vec<FileLink>,
    /// Why it cannot be read, for a broken entry.
    pub error: Option<String>,
    /// The link that shows its preview on the start page.
    pub preview_href: Option<String>,
}

/// The library part of the start page.
#[derive(Debug, Clone)]
pub(crate) enum LibraryView {
    /// The server runs without `--library`.
    None,
    /// A page of the library's publications.
    Page {
        /// The publications of this page.
        publications: Vec<PublicationView>,
        /// This page's number (from 1) and the number of pages.
        page: (usize, usize),
        /// The links to the previous and next pages.
        previous: Option<String>,
        /// The link to the next page.
        next: Option<String>,
    },
}

/// The upload form's settings.
#[derive(Debug, Clone)]
pub(crate) struct UploadView {
    /// The formats offered: (name, label, checked).
    pub formats: Vec<(String, String, bool)>,
    /// The file types taken, as extensions (`.md`, `.zip` …).
    pub extensions: Vec<String>,
    /// The server wants an access code.
    pub token: bool,
    /// The largest upload, in bytes.
    pub max_upload: u64,
}

/// The start page's content.
#[derive(Debug, Clone)]
pub(crate) struct HomeView {
    /// Prefix of the links (`--base-url`), without a final `/`.
    pub base: String,
    /// The print edition's scale chosen.
    pub scale: FontScale,
    /// Hidden fields the scale form keeps (the publication previewed, the library page).
    pub keep: Vec<(String, String)>,
    /// The preview of the chosen publication at the scale.
    pub preview: Option<PreviewView>,
    /// The library.
    pub library: LibraryView,
    /// The upload form.
    pub upload: UploadView,
}

/// The start page.
pub(crate) fn home(v: &HomeView) -> String {
    let mut out = String::with_capacity(8192);
    out.push_str("<h1>");
    escape_into(&mut out, WORDS.title);
    out.push_str("</h1>\n<p>");
    escape_into(&mut out, WORDS.intro);
    out.push_str("</p>\n");
    write_scale_control(&mut out, v);
    write_preview(&mut out, v.preview.as_ref(), 2);
    write_library(&mut out, v);
    write_upload(&mut out, v);
    document(WORDS.title, &v.base, &out)
}

/// "Giảm cỡ chữ" / "Tăng cỡ chữ": a form of two buttons that load the page again at the
/// next scale down or up (no script); at either end the button is disabled and a sentence
/// says why.
fn write_scale_control(out: &mut String, v: &HomeView) {
    out.push_str(
        "<section id=\"scale\" aria-labelledby=\"scale-heading\">\n<h2 id=\"scale-heading\">",
    );
    escape_into(out, WORDS.scale_heading);
    out.push_str("</h2>\n<p>");
    escape_into(out, WORDS.scale_now);
    out.push_str(": <span class=\"now\">");
    escape_into(out, &format!("{} pt", fmt_pt(v.scale.body_pt())));
    out.push_str("</span></p>\n<form method=\"get\"");
    attr(out, "action", &format!("{}/", v.base));
    out.push_str(" class=\"controls\">\n");
    for (name, value) in &v.keep {
        out.push_str("<input type=\"hidden\"");
        attr(out, "name", name);
        attr(out, "value", value);
        out.push_str(">\n");
    }
    let mut ends = Vec::new();
    for (to, words, end) in [
        (v.scale.shrink(), VI.shrink, WORDS.smallest),
        (v.scale.enlarge(), VI.enlarge, WORDS.largest),
    ] {
        out.push_str("<button type=\"submit\" name=\"scale\"");
        attr(out, "value", &scale_value(to));
        if to == v.scale {
            out.push_str(" disabled");
            ends.push(end);
        }
        out.push('>');
        escape_into(out, words);
        out.push_str("</button>\n");
    }
    out.push_str("</form>\n");
    for end in ends {
        out.push_str("<p>");
        escape_into(out, end);
        out.push_str("</p>\n");
    }
    out.push_str("</section>\n");
}

fn write_library(out: &mut String, v: &HomeView) {
    out.push_str(
        "<section id=\"library\" aria-labelledby=\"library-heading\">\n<h2 id=\"library-heading\">",
    );
    escape_into(out, WORDS.library_heading);
    out.push_str("</h2>\n");
    match &v.library {
        LibraryView::None => {
            out.push_str("<p>");
            escape_into(out, WORDS.library_none);
            out.push_str("</p>\n");
        }
        LibraryView::Page {
            publications,
            page,
            previous,
            next,
        } => {
            if publications.is_empty() {
                out.push_str("<p>");
                escape_into(out, WORDS.library_empty);
                out.push_str("</p>\n");
            }
            if !publications.is_empty() {
                out.push_str("<ul class=\"publications\">\n");
            }
            for p in publications {
                write_publication(out, p);
            }
            if !publications.is_empty() {
                out.push_str("</ul>\n");
            }
            if page.1 > 1 {
                out.push_str("<nav class=\"paging\"");
                attr(out, "aria-label", WORDS.page_of);
                out.push('>');
                if let Some(h) = previous {
                    out.push_str("<a rel=\"prev\"");
                    attr(out, "href", h);
                    out.push('>');
                    escape_into(out, WORDS.previous_page);
                    out.push_str("</a>");
                }
                out.push_str("<span>");
                escape_into(out, &format!("{} {}/{}", WORDS.page_of, page.0, page.1));
                out.push_str("</span>");
                if let Some(h) = next {
                    out.push_str("<a rel=\"next\"");
                    attr(out, "href", h);
                    out.push('>');
                    escape_into(out, WORDS.next_page);
                    out.push_str("</a>");
                }
                out.push_str("</nav>\n");
            }
        }
    }
    out.push_str("</section>\n");
}

fn write_publication(out: &mut String, p: &PublicationView) {
    // The title is in the publication's language; the page's words are not.
    out.push_str("<li>\n<article>\n<h3");
    if let Some(l) = p
        .lang
        .as_deref()
        .filter(|l| !crate::labels::is_lang(l, "vi"))
    {
        attr(out, "lang", l);
    }
    out.push('>');
    escape_into(out, &p.title);
    out.push_str("</h3>\n");
    if let Some(a) = &p.author {
        out.push_str("<p class=\"meta\">");
        escape_into(out, WORDS.author);
        out.push_str(": ");
        escape_into(out, a);
        out.push_str("</p>\n");
    }
    if let Some(l) = &p.lang {
        out.push_str("<p class=\"meta\">");
        escape_into(out, WORDS.language);
        out.push_str(": ");
        escape_into(out, l);
        out.push_str("</p>\n");
    }
    if let Some(e) = &p.error {
        out.push_str("<div class=\"problem\" role=\"note\"><p>");
        escape_into(out, WORDS.broken);
        out.push_str(":</p>\n<pre>");
        escape_into(out, e);
        out.push_str("</pre></div>\n");
    }
    if !p.files.is_empty() {
        out.push_str("<h4 class=\"meta\">");
        escape_into(out, WORDS.downloads);
        out.push_str("</h4>\n");
        file_list(out, &p.files);
    }
    if let Some(h) = &p.preview_href {
        out.push_str("<p><a");
        attr(out, "href", h);
        out.push('>');
        escape_into(out, WORDS.preview_link);
        out.push_str("<span class=\"meta\">: ");
        escape_into(out, &p.title);
        out.push_str("</span></a></p>\n");
    }
    out.push_str("</article>\n</li>\n");
}

fn write_upload(out: &mut String, v: &HomeView) {
    let u = &v.upload;
    out.push_str(
        "<section id=\"upload\" aria-labelledby=\"upload-heading\">\n<h2 id=\"upload-heading\">",
    );
    escape_into(out, WORDS.upload_heading);
    out.push_str("</h2>\n<form class=\"upload\" method=\"post\" enctype=\"multipart/form-data\"");
    attr(out, "action", &format!("{}/upload", v.base));
    out.push_str(">\n<input type=\"hidden\" name=\"scale\"");
    attr(out, "value", &scale_value(v.scale));
    out.push_str(">\n<label for=\"article\">");
    escape_into(out, WORDS.upload_file);
    out.push_str("</label>\n<p id=\"article-hint\" class=\"meta\">");
    escape_into(
        out,
        &format!(
            "{}: {} (≤ {}).",
            WORDS.upload_hint,
            u.extensions.join(", "),
            size_text(u.max_upload)
        ),
    );
    out.push_str("</p>\n<input type=\"file\" id=\"article\" name=\"article\" required aria-describedby=\"article-hint\"");
    attr(out, "accept", &u.extensions.join(","));
    out.push_str(">\n<fieldset>\n<legend>");
    escape_into(out, WORDS.upload_formats);
    out.push_str("</legend>\n");
    for (name, label, checked) in &u.formats {
        out.push_str("<label><input type=\"checkbox\" name=\"format\"");
        attr(out, "value", name);
        if *checked {
            out.push_str(" checked");
        }
        out.push('>');
        escape_into(out, label);
        out.push_str("</label>\n");
    }
    out.push_str("</fieldset>\n<p>");
    escape_into(
        out,
        &format!("{} {} pt.", WORDS.upload_scale, fmt_pt(v.scale.body_pt())),
    );
    out.push_str(" <a href=\"#scale\">");
    escape_into(out, WORDS.scale_heading);
    out.push_str("</a></p>\n");
    if u.token {
        out.push_str("<label for=\"token\">");
        escape_into(out, WORDS.upload_token);
        out.push_str("</label>\n<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"current-password\" required>\n");
    }
    out.push_str("<p><button type=\"submit\">");
    escape_into(out, WORDS.upload_submit);
    out.push_str("</button></p>\n</form>\n</section>\n");
}

/// A job as its page shows it.
#[derive(Debug, Clone)]
pub(crate) struct JobView {
    /// Prefix of the links.
    pub base: String,
    /// Its id.
    pub id: String,
    /// Its state, as the API says it (`queued`, `running`, `done`, `failed`).
    pub state: String,
    /// Its files.
    pub files: Vec<FileLink>,
    /// The editions that failed: (file, why).
    pub failed: Vec<(String, String)>,
    /// Notes on the input (warnings, located errors), one line each.
    pub notes: Vec<String>,
    /// Why the job failed.
    pub problem: Option<String>,
    /// The first page's preview, if it has a print edition.
    pub preview: Option<PreviewView>,
}

/// A job's page: its state (a link loads it again while it is not done; no automatic
/// refresh, which would move a screen reader's place), then its files, its preview, the
/// editions that failed and the notes.
pub(crate) fn job(v: &JobView) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("<h1>");
    escape_into(&mut out, WORDS.job_heading);
    out.push_str("</h1>\n<p role=\"status\" class=\"now\">");
    let said = match v.state.as_str() {
        "queued" => WORDS.job_queued,
        "running" => WORDS.job_running,
        "done" => WORDS.job_done,
        _ => WORDS.job_failed,
    };
    escape_into(&mut out, said);
    out.push_str("</p>\n");
    if matches!(v.state.as_str(), "queued" | "running") {
        out.push_str("<p><a class=\"button\"");
        attr(&mut out, "href", &format!("{}/jobs/{}", v.base, v.id));
        out.push('>');
        escape_into(&mut out, WORDS.job_refresh);
        out.push_str("</a></p>\n");
    }
    if let Some(p) = &v.problem {
        out.push_str("<div class=\"problem\"><pre>");
        escape_into(&mut out, p);
        out.push_str("</pre></div>\n");
    }
    if !v.files.is_empty() {
        out.push_str("<h2>");
        escape_into(&mut out, WORDS.downloads);
        out.push_str("</h2>\n");
        file_list(&mut out, &v.files);
    }
    if v.preview.is_some() {
        write_preview(&mut out, v.preview.as_ref(), 2);
    }
    if !v.failed.is_empty() {
        out.push_str("<h2>");
        escape_into(&mut out, WORDS.job_failed_editions);
        out.push_str("</h2>\n<ul>\n");
        for (name, why) in &v.failed {
            out.push_str("<li><span class=\"meta\">");
            escape_into(&mut out, name);
            out.push_str("</span><div class=\"problem\"><pre>");
            escape_into(&mut out, why);
            out.push_str("</pre></div></li>\n");
        }
        out.push_str("</ul>\n");
    }
    if !v.notes.is_empty() {
        out.push_str("<section class=\"notes\" aria-labelledby=\"notes-heading\">\n<h2 id=\"notes-heading\">");
        escape_into(&mut out, WORDS.job_notes);
        out.push_str("</h2>\n<pre>");
        escape_into(&mut out, &v.notes.join("\n"));
        out.push_str("</pre>\n</section>\n");
    }
    out.push_str("<p><a");
    attr(&mut out, "href", &format!("{}/", v.base));
    out.push('>');
    escape_into(&mut out, WORDS.home);
    out.push_str("</a></p>\n");
    document(WORDS.job_heading, &v.base, &out)
}

/// An error page: what went wrong (the API's problem detail), and the way back.
pub(crate) fn error(base: &str, detail: &str) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("<h1>");
    escape_into(&mut out, WORDS.error_heading);
    out.push_str("</h1>\n<div class=\"problem\" role=\"alert\"><pre>");
    escape_into(&mut out, detail);
    out.push_str("</pre></div>\n<p><a");
    attr(&mut out, "href", &format!("{base}/"));
    out.push('>');
    escape_into(&mut out, WORDS.home);
    out.push_str("</a></p>\n");
    document(WORDS.error_heading, base, &out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> HomeView {
        HomeView {
            base: String::new(),
            scale: FontScale::LARGE,
            keep: vec![("pub".into(), "a\"b".into())],
            preview: Some(PreviewView {
                src: "/x.svg?a=1&b=2".into(),
                alt: preview_alt(FontScale::LARGE, "<Tiêu đề>"),
                text: "dòng 1\ndòng <2>".into(),
            }),
            library: LibraryView::Page {
                publications: vec![
                    PublicationView {
                        title: "Hội thảo <script>alert(1)</script>".into(),
                        author: Some("Hương & Dịu".into()),
                        lang: Some("vi".into()),
                        files: vec![FileLink {
                            label: "Sách".into(),
                            name: "a\".bin".into(),
                            href: "/f?x=\"><script>".into(),
                            bytes: Some(1_300_000),
                            media_type: Some("application/octet-stream".into()),
                            opens_in_browser: false,
                        }],
                        error: None,
                        preview_href: Some("/?pub=1".into()),
                    },
                    PublicationView {
                        title: "hỏng.md".into(),
                        author: None,
                        lang: Some("en".into()),
                        files: vec![],
                        error: Some("hỏng.md:3:1: unknown field `x` <b>".into()),
                        preview_href: None,
                    },
                ],
                page: (1, 2),
                previous: None,
                next: Some("/?page=2".into()),
            },
            upload: UploadView {
                formats: vec![("x".into(), "Sách điện tử".into(), true)],
                extensions: vec![".md".into(), ".zip".into()],
                token: true,
                max_upload: 64 << 20,
            },
        }
    }

    #[test]
    fn the_start_page_is_vietnamese_escaped_and_made_of_forms_and_links() {
        let page = home(&view());
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
        // Escaped everywhere: no markup from outside.
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("Hội thảo &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("Hương &amp; Dịu"));
        assert!(page.contains("href=\"/f?x=&quot;&gt;&lt;script&gt;\""));
        assert!(page.contains("value=\"a&quot;b\""));
        assert!(page.contains("src=\"/x.svg?a=1&amp;b=2\""));
        assert!(page.contains("alt=\"Trang đầu của bản in cỡ chữ 18 pt: &lt;Tiêu đề&gt;\""));
        assert!(page.contains("unknown field `x` &lt;b&gt;"));
        // The scale control: a GET form with the portal's two buttons, the next steps.
        assert!(
            page.contains(
                "<button type=\"submit\" name=\"scale\" value=\"+2\">Giảm cỡ chữ</button>"
            )
        );
        assert!(
            page.contains(
                "<button type=\"submit\" name=\"scale\" value=\"+4\">Tăng cỡ chữ</button>"
            )
        );
        // The upload: multipart, a labelled file field, the access code, the scale.
        assert!(
            page.contains("method=\"post\" enctype=\"multipart/form-data\" action=\"/upload\"")
        );
        assert!(page.contains("<label for=\"article\">") && page.contains("id=\"article\""));
        assert!(page.contains("<label for=\"token\">"));
        assert!(page.contains("<input type=\"hidden\" name=\"scale\" value=\"+3\">"));
        // Landmarks, one h1, the skip link; the English entry's title marked.
        assert_eq!(page.matches("<h1>").count(), 1);
        assert!(page.contains("<a class=\"skip\" href=\"#main\">"));
        assert!(page.contains("<main id=\"main\""));
        assert!(page.contains("<h3 lang=\"en\">hỏng.md</h3>"));
        assert!(page.contains("rel=\"next\""));
        // No script at all.
        assert!(!page.contains("<script") && !page.contains("onclick"));
    }

    #[test]
    fn the_ends_of_the_ladder_disable_their_button_and_say_why() {
        let mut v = view();
        v.scale = FontScale::step(6);
        let page = home(&v);
        assert!(page.contains("value=\"+6\" disabled>Tăng cỡ chữ"), "{page}");
        assert!(page.contains(WORDS.largest));
        v.scale = FontScale::step(-2);
        let page = home(&v);
        assert!(page.contains("value=\"-2\" disabled>Giảm cỡ chữ"), "{page}");
        v.scale = "19pt".parse().unwrap();
        assert_eq!(scale_value(v.scale), "19pt");
        assert_eq!(scale_value(FontScale::STANDARD), "+0");
    }

    #[test]
    fn sizes_and_query_values_read_well() {
        assert_eq!(size_text(1_300_000), "1,2 MB");
        assert_eq!(size_text(840 * 1024), "840 KB");
        assert_eq!(size_text(10), "1,0 KB");
        assert_eq!(query_value("+3 a&b"), "%2B3%20a%26b");
    }

    #[test]
    fn a_job_page_links_its_files_and_a_pending_one_offers_a_link_not_a_refresh() {
        let v = JobView {
            base: "https://x.org/anpham".into(),
            id: "0123".into(),
            state: "running".into(),
            files: vec![],
            failed: vec![("a.bin".into(), "espeak-ng <missing>".into())],
            notes: vec!["a.md:1:1: warning".into()],
            problem: None,
            preview: None,
        };
        let page = job(&v);
        assert!(page.contains("href=\"https://x.org/anpham/jobs/0123\""));
        assert!(!page.contains("http-equiv"));
        assert!(page.contains("espeak-ng &lt;missing&gt;"));
        let page = error("", "bad <input>");
        assert!(page.contains("bad &lt;input&gt;") && page.contains("role=\"alert\""));
    }
}
