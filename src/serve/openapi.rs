//! The OpenAPI 3.1 description served at `/openapi.json`: every route of
//! [`super::api::ROUTES`] (a test checks that none is missing or extra), the query
//! parameters of a submission (`anpham build`'s options, [`QueryParam`], with their help
//! and values), the job, file and problem schemas.

use serde_json::{Value, json};

use super::api::{Param, QueryParam, ROUTES};
use super::upload::ACCEPTED;

/// A query parameter as OpenAPI describes it: a flag is a boolean, a list a form-style
/// array (`format=a,b`), the values the command line lists an enum.
fn parameter(p: &QueryParam) -> Value {
    let mut value = json!({ "type": "string" });
    if !p.values.is_empty() {
        value["enum"] = json!(p.values);
    }
    let schema = match p.kind {
        Param::Flag => json!({ "type": "boolean" }),
        Param::Value | Param::Repeated if p.list => json!({ "type": "array", "items": value }),
        Param::Value | Param::Repeated => value,
    };
    let mut param = json!({ "name": p.name, "in": "query", "required": false, "description": p.help, "schema": schema });
    if p.list {
        param["style"] = json!("form");
        param["explode"] = json!(false);
    }
    param
}

/// The description of the API, with `query`, the parameters of a submission.
pub(crate) fn document(query: &[QueryParam]) -> Value {
    let problem = |description: &str| {
        json!({
            "description": description,
            "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
        })
    };
    let params: Vec<Value> = query.iter().map(parameter).collect();
    let mut bodies = serde_json::Map::new();
    for (media_type, _) in ACCEPTED {
        let schema = if *media_type == "application/zip" || *media_type == "application/json" {
            json!({ "type": "string", "contentMediaType": media_type })
        } else {
            json!({ "type": "string" })
        };
        bodies.insert(media_type.to_string(), json!({ "schema": schema }));
    }
    let auth = json!([{ "bearer": [] }, {}]);
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[0-9a-f]{32}$" } });
    let mut paths = serde_json::Map::new();
    for (method, path) in ROUTES {
        let op = match (*method, *path) {
            ("GET", "/healthz") => json!({
                "summary": "Health for load balancers: 200 while serving, 503 while stopping.",
                "operationId": "healthz",
                "responses": {
                    "200": { "description": "Serving.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } },
                    "503": { "description": "Stopping.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } } }
                }
            }),
            ("GET", "/openapi.json") => json!({
                "summary": "This description.",
                "operationId": "openapi",
                "responses": { "200": { "description": "OpenAPI 3.1.", "content": { "application/json": {} } } }
            }),
            ("POST", "/v1/editions") => json!({
                "summary": "Submit an article (or a zip of an article folder or a bulletin) to build editions of.",
                "operationId": "submitEditions",
                "security": auth,
                "parameters": params,
                "requestBody": { "required": true, "content": bodies },
                "responses": {
                    "202": {
                        "description": "Accepted: the job (already `done` when the same submission was built before).",
                        "headers": { "Location": { "schema": { "type": "string" }, "description": "/v1/jobs/{id}" } },
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } }
                    },
                    "400": problem("The body or a parameter cannot be read (an unsafe archive, an unknown option)."),
                    "401": problem("A token is required."),
                    "413": problem("Over the upload limit, or an archive that inflates too much."),
                    "415": problem("A Content-Type that is not taken."),
                    "503": {
                        "description": "The queue is full (or the server is stopping): submit again after Retry-After seconds.",
                        "headers": { "Retry-After": { "schema": { "type": "integer" } } },
                        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
                    }
                }
            }),
            ("GET", "/v1/jobs/{id}") => json!({
                "summary": "A job: its state, progress, files, failed editions and diagnostics.",
                "operationId": "getJob",
                "security": auth,
                "parameters": [id],
                "responses": {
                    "200": { "description": "The job.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Job" } } } },
                    "401": problem("A token is required."),
                    "404": problem("No such job (or expired).")
                }
            }),
            ("GET", "/v1/jobs/{id}/files/{name}") => json!({
                "summary": "A file of a done job, with ETag, Content-Length and one byte Range.",
                "operationId": "getJobFile",
                "security": auth,
                "parameters": [id, { "name": "name", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "Range", "in": "header", "required": false, "schema": { "type": "string" } },
                    { "name": "If-None-Match", "in": "header", "required": false, "schema": { "type": "string" } }],
                "responses": {
                    "200": { "description": "The file.", "headers": { "ETag": { "schema": { "type": "string" } } }, "content": { "*/*": {} } },
                    "206": { "description": "The range asked for.", "headers": { "Content-Range": { "schema": { "type": "string" } } }, "content": { "*/*": {} } },
                    "304": { "description": "Not modified (If-None-Match)." },
                    "401": problem("A token is required."),
                    "404": problem("No such job or file."),
                    "409": problem("The job is not done."),
                    "410": problem("Evicted from the cache: submit again."),
                    "416": problem("The range is outside the file.")
                }
            }),
            _ => json!({ "summary": "undescribed" }),
        };
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[method.to_ascii_lowercase()] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "anpham serve",
            "version": env!("CARGO_PKG_VERSION"),
            "description": description(),
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Health": { "type": "object", "properties": {
                    "status": { "enum": ["ok", "stopping"] }, "queued": { "type": "integer" },
                    "running": { "type": "integer" }, "cache_bytes": { "type": "integer" } } },
                "Job": { "type": "object", "required": ["id", "state", "progress", "files", "failed", "diagnostics"], "properties": {
                    "id": { "type": "string" },
                    "state": { "enum": ["queued", "running", "done", "failed"] },
                    "progress": { "type": "number", "minimum": 0, "maximum": 1 },
                    "href": { "type": "string" },
                    "created": { "type": "integer" }, "started": { "type": ["integer", "null"] }, "finished": { "type": ["integer", "null"] },
                    "cached": { "type": "boolean", "description": "The result came from the cache." },
                    "evicted": { "type": "boolean", "description": "The files were removed from the cache." },
                    "files": { "type": "array", "items": { "$ref": "#/components/schemas/File" } },
                    "failed": { "type": "array", "items": { "type": "object", "properties": {
                        "edition": { "type": "string" }, "problem": { "$ref": "#/components/schemas/Problem" } } } },
                    "diagnostics": { "type": "array", "items": { "$ref": "#/components/schemas/Diagnostic" } },
                    "problem": { "$ref": "#/components/schemas/Problem" } } },
                "File": { "type": "object", "properties": {
                    "name": { "type": "string" }, "media_type": { "type": "string" }, "bytes": { "type": "integer" },
                    "sha256": { "type": "string" }, "href": { "type": "string" } } },
                "Problem": { "type": "object", "description": "RFC 9457", "properties": {
                    "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
                    "detail": { "type": "string" },
                    "diagnostics": { "type": "array", "items": { "$ref": "#/components/schemas/Diagnostic" } } } },
                "Diagnostic": { "type": "object", "properties": {
                    "severity": { "enum": ["error", "warning"] }, "file": { "type": "string" },
                    "line": { "type": "integer" }, "column": { "type": "integer" }, "field": { "type": "string" },
                    "character": { "type": "integer" }, "message": { "type": "string" },
                    "hints": { "type": "array", "items": { "type": "string" } } } }
            }
        }
    })
}

/// What the server makes: every format of this build, from the registry of editions.
fn description() -> String {
    let formats: Vec<String> = crate::editions::Format::all()
        .map(|f| format!("{} ({})", f.name(), f.about()))
        .collect();
    format!(
        "Accessible editions of news articles, on demand: {}. See docs/serve.md.",
        formats.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_described_and_nothing_else() {
        let query = super::super::api::of_cli();
        let doc = document(query.params());
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let mut described = Vec::new();
        for (path, ops) in paths {
            for (method, op) in ops.as_object().unwrap() {
                assert_ne!(op["summary"], "undescribed", "{method} {path}");
                described.push((method.to_ascii_uppercase(), path.clone()));
            }
        }
        let mut routes: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        routes.sort();
        described.sort();
        assert_eq!(routes, described);
        // Every query parameter of a submission is described.
        let params = doc["paths"]["/v1/editions"]["post"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(params.len(), query.params().len());
        for p in params {
            assert!(!p["description"].as_str().unwrap().is_empty(), "{p}");
        }
        let param = |name: &str| params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(param("each")["schema"]["type"], "boolean");
        assert_eq!(
            param("page-size")["schema"]["enum"],
            json!(["a4", "a5", "letter"])
        );
        assert_eq!(param("scale")["schema"]["type"], "array");
        assert_eq!(param("scale")["explode"], false);
    }
}
