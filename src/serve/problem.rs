//! Problems as `application/problem+json` (RFC 9457): a type, a title, the status, a
//! detail, and the located diagnostics of the command line (file, line, column or field,
//! message, hints), with file names relative to the upload.

use std::path::Path;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Place};

/// The media type of a problem.
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// A problem: what went wrong with a request or a job.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Problem {
    /// A URI naming the kind of problem (`urn:anpham:problem:…`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What happened, in words (the CLI's report).
    pub detail: String,
    /// The located diagnostics, if the input was at fault.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<DiagnosticJson>,
}

/// One diagnostic as JSON: the CLI's located message.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct DiagnosticJson {
    /// `error` or `warning`.
    pub severity: String,
    /// The file, relative to the upload (`article.md`, `img/a.jpg`).
    pub file: String,
    /// Line (1-based), when the place is a line and column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column (1-based, in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The field (`title`, `blocks[3].text`), when the place is a field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The character in the field, when the place is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
}

impl DiagnosticJson {
    /// A diagnostic with its file named relative to `root` (the job's input folder), so
    /// that no server path reaches a client.
    pub fn of(d: &Diagnostic, root: &Path) -> DiagnosticJson {
        let (line, column, field, character) = match &d.place {
            Place::File => (None, None, None, None),
            Place::LineColumn { line, column } => (Some(*line), Some(*column), None, None),
            Place::Field(f) => (None, None, Some(f.clone()), None),
            Place::Char { field, index } => (None, None, Some(field.clone()), Some(*index)),
        };
        DiagnosticJson {
            severity: d.severity.to_string(),
            file: relative(&d.file, root),
            line,
            column,
            field,
            character,
            message: d.message.clone(),
            hints: d.hints.clone(),
        }
    }
}

/// `path` relative to `root` (both as given and canonical), else its file name only.
pub(crate) fn relative(path: &Path, root: &Path) -> String {
    let canonical_root = root.canonicalize().ok();
    for r in std::iter::once(Some(root.to_path_buf())).chain([canonical_root]) {
        if let Some(r) = r
            && let Ok(rest) = path.strip_prefix(&r)
        {
            return rest.to_string_lossy().into_owned();
        }
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Server paths in a report replaced by names relative to `root`.
pub(crate) fn scrub(text: &str, root: &Path) -> String {
    let mut out = text.to_string();
    let mut roots = vec![root.to_path_buf()];
    if let Ok(c) = root.canonicalize() {
        roots.push(c);
    }
    for r in roots {
        let prefix = format!("{}/", r.display());
        out = out.replace(&prefix, "");
    }
    out
}

impl Problem {
    /// A problem of `status`, kind `kind` (the last part of its URN).
    pub fn new(status: StatusCode, kind: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("urn:anpham:problem:{kind}"),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: detail.into(),
            diagnostics: Vec::new(),
        }
    }

    /// The problem of a failed build: the input's located diagnostics (`invalid-input`),
    /// or another error's report (`build-failed`); file names relative to `root`.
    pub fn of_error(e: &Error, root: &Path) -> Problem {
        match e {
            Error::Input(list) => {
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-input",
                    scrub(&e.report(), root),
                );
                p.title = "The input has errors".into();
                p.diagnostics = list.0.iter().map(|d| DiagnosticJson::of(d, root)).collect();
                p
            }
            Error::Usage(_) | Error::Read { .. } | Error::Font { .. } => {
                let mut p = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-input",
                    scrub(&e.report(), root),
                );
                p.title = "The input cannot be used".into();
                p
            }
            _ => {
                let mut p = Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "build-failed",
                    scrub(&e.report(), root),
                );
                p.title = "The edition could not be built".into();
                p
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut r = (status, body).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostics;

    #[test]
    fn an_input_error_becomes_located_diagnostics_without_server_paths() {
        let root = Path::new("/srv/cache/jobs/abc/input");
        let e = Error::Input(Diagnostics(vec![
            Diagnostic::at(&root.join("article.md"), 3, 7, "bad front matter")
                .with_hint("close the `---`"),
            Diagnostic::field(&root.join("a/b.json"), "title", "no title"),
        ]));
        let p = Problem::of_error(&e, root);
        assert_eq!(p.status, 422);
        assert_eq!(p.kind, "urn:anpham:problem:invalid-input");
        assert_eq!(p.diagnostics[0].file, "article.md");
        assert_eq!(p.diagnostics[0].line, Some(3));
        assert_eq!(p.diagnostics[0].column, Some(7));
        assert_eq!(p.diagnostics[0].hints, vec!["close the `---`".to_string()]);
        assert_eq!(p.diagnostics[1].file, "a/b.json");
        assert_eq!(p.diagnostics[1].field.as_deref(), Some("title"));
        assert!(!p.detail.contains("/srv/"), "{}", p.detail);
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains(r#""type":"urn:anpham:problem:invalid-input""#));
    }
}
