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
    // The web page's answers.
    let mut page = serde_json::Map::new();
    let page_type = super::api::PAGE_MEDIA_TYPE
        .split(';')
        .next()
        .unwrap_or_default();
    page.insert(page_type.to_string(), json!({}));
    let page = serde_json::Value::Object(page);
    let listing = json!([
        { "name": "page", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1 }, "description": "The page, from 1." },
        { "name": "per-page", "in": "query", "required": false, "schema": { "type": "integer", "minimum": 1, "maximum": 100 }, "description": "Publications per page (25 by default)." },
        { "name": "query", "in": "query", "required": false, "schema": { "type": "string" }, "description": "Search words (title, author, description, publisher; accents and case ignored)." }
    ]);
    let publication = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string" }, "description": "The publication's id in the library (its output name)." });
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
            ("GET", "/") => json!({
                "summary": "The web page for readers (Vietnamese, no script needed): the font-scale control and the first page's preview, the library with a download link per edition, the upload form.",
                "operationId": "startPage",
                "parameters": [
                    { "name": "scale", "in": "query", "required": false, "description": "The PDF's scale shown and built: a step -2…+6 or a size (19pt); large print (+3) by default.", "schema": { "type": "string" } }
                ],
                "responses": { "200": { "description": "The page.", "content": page.clone() } }
            }),
            ("POST", "/upload") => json!({
                "summary": "The web page's upload form: one article (a file or a zip archive) as multipart/form-data, built as a job with the API's limits; answers 303 to the job's page.",
                "operationId": "uploadForm",
                "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": { "type": "object", "required": ["article"], "properties": {
                    "article": { "type": "string", "contentMediaType": "application/octet-stream", "description": "The article: a file the API takes, known by its extension, or a zip archive." },
                    "scale": { "type": "string", "description": "The PDF's scale." },
                    "format": { "type": "array", "items": { "type": "string" }, "description": "The formats to build (repeated field)." },
                    "token": { "type": "string", "description": "The access code, when the server has --token." } } } } } },
                "responses": {
                    "303": { "description": "The job was taken: Location is its page (/jobs/{id}).", "headers": { "Location": { "schema": { "type": "string" } } } },
                    "400": { "description": "No file, or a form that cannot be read (a page saying so).", "content": page.clone() },
                    "401": { "description": "The access code is missing or wrong.", "content": page.clone() },
                    "413": { "description": "Over --max-upload.", "content": page.clone() },
                    "415": { "description": "A file type that is not taken.", "content": page.clone() },
                    "503": { "description": "The queue is full or the server is stopping.", "content": page.clone() }
                }
            }),
            ("GET", "/jobs/{id}") => json!({
                "summary": "A job's page: its state (a link to look again while it is not done), its files, the first page's preview, the editions that failed and the notes on the input.",
                "operationId": "jobPage",
                "parameters": [id],
                "responses": {
                    "200": { "description": "The page.", "content": page.clone() },
                    "404": { "description": "No such job (or expired).", "content": page.clone() }
                }
            }),
            ("GET", "/library/{id}/preview") => json!({
                "summary": "The first page of a library publication's PDF at a scale, as an SVG image drawn from the PDF's own layout (the start page's preview; its text alternative is on the page).",
                "operationId": "libraryPreview",
                "parameters": [publication, { "name": "scale", "in": "query", "required": false, "schema": { "type": "string" }, "description": "A step -2…+6 or a size (19pt); +3 by default." }],
                "responses": {
                    "200": { "description": "The image.", "content": { "image/svg+xml": {} } },
                    "404": problem("No library or no such publication."),
                    "422": problem("The publication cannot be loaded or laid out.")
                }
            }),
            ("GET", "/jobs/{id}/files/{name}") => json!({
                "summary": "A file of a done job, as /v1/jobs/{id}/files/{name} serves it, without the token (the job's random id is the key); a page or an SVG image is served with a sandboxing Content-Security-Policy.",
                "operationId": "getJobFilePage",
                "parameters": [id, { "name": "name", "in": "path", "required": true, "schema": { "type": "string" } }],
                "responses": {
                    "200": { "description": "The file.", "content": { "*/*": {} } },
                    "206": { "description": "The range asked for.", "content": { "*/*": {} } },
                    "304": { "description": "Not modified (If-None-Match)." },
                    "404": problem("No such job or file."),
                    "409": problem("The job is not done."),
                    "410": problem("Evicted from the cache: submit again.")
                }
            }),
            ("GET", "/opds/catalog.json") => json!({
                "summary": "The library (--library) as an OPDS 2.0 feed: a page of its publications, each with an acquisition link per edition and font scale.",
                "operationId": "opdsCatalogJson",
                "parameters": listing,
                "responses": {
                    "200": { "description": "OPDS 2.0 (first byte `{`, no BOM).", "content": { "application/opds+json": {} } },
                    "404": problem("The server has no library.")
                }
            }),
            ("GET", "/opds/catalog.xml") => json!({
                "summary": "The library as an OPDS 1.2 acquisition feed (Atom).",
                "operationId": "opdsCatalogXml",
                "parameters": listing,
                "responses": {
                    "200": { "description": "OPDS 1.2.", "content": { "application/atom+xml;profile=opds-catalog;kind=acquisition": {} } },
                    "404": problem("The server has no library.")
                }
            }),
            ("GET", "/opds/search.xml") => json!({
                "summary": "The OpenSearch description of the OPDS 1.2 feed's search.",
                "operationId": "opdsSearch",
                "responses": {
                    "200": { "description": "OpenSearch 1.1.", "content": { "application/opensearchdescription+xml": {} } },
                    "404": problem("The server has no library.")
                }
            }),
            ("GET", "/library/{id}/cover") => json!({
                "summary": "A library publication's cover: its first figure's image.",
                "operationId": "libraryCover",
                "parameters": [publication],
                "responses": {
                    "200": { "description": "The image.", "content": { "image/jpeg": {}, "image/png": {} } },
                    "404": problem("No such publication, or it has no figure.")
                }
            }),
            ("GET", "/library/{id}/files/{name}") => json!({
                "summary": "An edition of a library publication (an OPDS acquisition link): from the cache, or built now — a changed article is built anew.",
                "operationId": "libraryFile",
                "parameters": [publication, { "name": "name", "in": "path", "required": true, "schema": { "type": "string" },
                    "description": "The file name as `anpham build` writes it (SLUG.EXT, SLUG.SCALE.EXT), any font scale of the ladder for an edition per scale." },
                    { "name": "Range", "in": "header", "required": false, "schema": { "type": "string" } },
                    { "name": "If-None-Match", "in": "header", "required": false, "schema": { "type": "string" } }],
                "responses": {
                    "200": { "description": "The file, with its edition's media type.", "headers": { "ETag": { "schema": { "type": "string" } } }, "content": { "*/*": {} } },
                    "206": { "description": "The range asked for.", "content": { "*/*": {} } },
                    "304": { "description": "Not modified (If-None-Match)." },
                    "404": problem("No library, no such publication or edition."),
                    "422": problem("The publication cannot be loaded: its located diagnostics."),
                    "503": {
                        "description": "The build takes longer than 100 s (it goes on): ask again after Retry-After seconds.",
                        "headers": { "Retry-After": { "schema": { "type": "integer" } } },
                        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
                    }
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
