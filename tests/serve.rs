//! `anpham serve` end to end: the real binary on an ephemeral loopback port, spoken to over
//! plain HTTP/1.1. Submit, poll, download (checked by check-epub and check-pdf), ranges and
//! ETags, the cache hit, every error status, partial failure, zip bombs and traversal, the
//! token, a full queue, SIGTERM with a job running, kill -9 and restart; CORS, the base URL
//! of links, the job time limit, and the cache's eviction and clean-up.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// An answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{}: not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// A server process on its own cache folder.
pub(crate) struct Server {
    child: Child,
    pub(crate) addr: String,
    cache: PathBuf,
    token: Option<String>,
}

impl Server {
    pub(crate) fn start(cache: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(cache.with_extension("log"))
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_anpham"));
        cmd.args(["serve", "--listen", "127.0.0.1:0", "--cache"])
            .arg(cache)
            .args(args)
            .env_remove("ANPHAM_SERVE_TOKEN")
            .stdout(Stdio::piped())
            .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start anpham serve");
        // The first line says where it listens.
        let mut out = child.stdout.take().unwrap();
        let mut line = Vec::new();
        let mut byte = [0u8];
        while out.read(&mut byte).unwrap_or(0) == 1 && byte[0] != b'\n' {
            line.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        let addr = line
            .rsplit("http://")
            .next()
            .filter(|_| line.contains("listening"))
            .unwrap_or_else(|| {
                panic!(
                    "no address in `{line}`; log: {}",
                    std::fs::read_to_string(cache.with_extension("log")).unwrap_or_default()
                )
            })
            .trim()
            .to_string();
        let token = args
            .iter()
            .position(|a| *a == "--token")
            .map(|i| args[i + 1].to_string());
        Server {
            child,
            addr,
            cache: cache.to_path_buf(),
            token,
        }
    }

    pub(crate) fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        self.send(method, path, headers, body, body.len())
    }

    /// Sends `body` with a `Content-Length` of `length` (more than the body: a request
    /// refused on its declared length, without sending a body the server will not read).
    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        length: usize,
    ) -> Answer {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr, length
        );
        if let Some(t) = &self.token
            && !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        // A header given empty is not sent (`Authorization` empty: none at all).
        for (n, v) in headers.iter().filter(|(_, v)| !v.is_empty()) {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes()).unwrap();
        // A refused body may close the connection before it is all sent.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        parse_answer(&raw)
    }

    pub(crate) fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    fn submit(&self, query: &str, content_type: &str, body: &[u8]) -> Answer {
        self.request(
            "POST",
            &format!("/v1/editions{query}"),
            &[("Content-Type", content_type)],
            body,
        )
    }

    /// Polls a job until `until` holds of it (two minutes at most).
    fn poll(&self, id: &str, until: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let a = self.get(&format!("/v1/jobs/{id}"));
            assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
            let job = a.json();
            if until(&job) {
                return job;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "job {id} never reached the state: {job}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn finished(&self, id: &str) -> Value {
        self.poll(id, |j| j["state"] == "done" || j["state"] == "failed")
    }

    fn signal(&self, signal: &str) {
        let st = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Waits for the process to end (two minutes at most).
    fn wait(&mut self) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the server did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.cache.with_extension("log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse_answer(raw: &[u8]) -> Answer {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest
                .windows(2)
                .position(|w| w == b"\r\n")
                .expect("chunk size");
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..nl]).trim(), 16)
                .expect("hex chunk size");
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + size]);
            rest = &rest[nl + 2 + size + 2..];
        }
        body = out;
    }
    Answer {
        status,
        headers,
        body,
    }
}

/// A zip archive of a folder's files, under `prefix/`.
pub(crate) fn zip_folder(dir: &Path, prefix: &str) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for f in files {
        let name = format!("{prefix}/{}", f.strip_prefix(dir).unwrap().display());
        w.start_file(name, opts).unwrap();
        w.write_all(&std::fs::read(&f).unwrap()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub(crate) fn bac_kan_zip() -> Vec<u8> {
    zip_folder(&common::root().join("examples/bac-kan"), "bac-kan")
}

/// A short article in Markdown whose title carries `n` (each `n` a different submission).
fn small_article(n: u32) -> Vec<u8> {
    format!(
        "---\ntitle: Tin ngắn số {n}\ndate: 2024-03-0{}\nlang: vi\nslug: tin-{n}\n---\n\nĐoạn văn thứ nhất của bản tin số {n}, viết bằng tiếng Việt có dấu.\n\nĐoạn thứ hai.\n",
        1 + n % 9
    )
    .into_bytes()
}

fn assert_problem(a: &Answer, status: u16, kind: &str) -> Value {
    assert_eq!(a.status, status, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.header("content-type"), Some("application/problem+json"));
    let p = a.json();
    assert_eq!(p["status"], status);
    assert_eq!(p["type"], format!("urn:anpham:problem:{kind}"), "{p}");
    p
}

fn id_of(a: &Answer) -> String {
    assert_eq!(a.status, 202, "{}", String::from_utf8_lossy(&a.body));
    let job = a.json();
    let id = job["id"].as_str().unwrap().to_string();
    assert_eq!(
        a.header("location"),
        Some(format!("/v1/jobs/{id}").as_str())
    );
    id
}

/// The README's case over HTTP: an article folder (three images) as a zip → EPUB and
/// large-print PDF, downloaded and checked; ranges, ETag, the cache hit, the token,
/// the health check and the OpenAPI description of every route.
#[test]
fn submit_poll_download_check_and_cache_hit() {
    let dir = common::out_dir("basic");
    let server = Server::start(
        &dir.join("cache"),
        &["--token", "s3cret", "--jobs", "2"],
        &[],
    );
    let body = bac_kan_zip();
    // The token: without it, 401.
    let a = server.request(
        "POST",
        "/v1/editions?format=epub,pdf&scale=large",
        &[
            ("Content-Type", "application/zip"),
            ("Authorization", "Bearer wrong"),
        ],
        &body,
    );
    assert_problem(&a, 401, "unauthorized");
    assert_eq!(a.header("www-authenticate"), Some("Bearer"));
    let a = server.submit(
        "?format=epub,pdf&scale=large&page-size=a5",
        "application/zip",
        &body,
    );
    let id = id_of(&a);
    assert!(["queued", "running", "done"].contains(&a.json()["state"].as_str().unwrap()));
    let job = server.finished(&id);
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["progress"], 1.0);
    assert_eq!(job["cached"], false);
    let files = job["files"].as_array().unwrap();
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["bac-kan.large.pdf", "bac-kan.epub"], "{job}");
    for f in files {
        let a = server.get(f["href"].as_str().unwrap());
        assert_eq!(a.status, 200);
        assert_eq!(a.header("content-type"), f["media_type"].as_str());
        assert_eq!(
            a.header("content-length"),
            Some(f["bytes"].to_string().as_str())
        );
        assert_eq!(a.body.len() as u64, f["bytes"].as_u64().unwrap());
        let etag = format!("\"{}\"", f["sha256"].as_str().unwrap());
        assert_eq!(a.header("etag"), Some(etag.as_str()));
        let path = dir.join(f["name"].as_str().unwrap());
        std::fs::write(&path, &a.body).unwrap();
        // A range, and a conditional request.
        let r = server.request(
            "GET",
            f["href"].as_str().unwrap(),
            &[("Range", "bytes=100-199")],
            b"",
        );
        assert_eq!(r.status, 206);
        assert_eq!(r.body, a.body[100..200]);
        assert_eq!(
            r.header("content-range"),
            Some(format!("bytes 100-199/{}", a.body.len()).as_str())
        );
        let r = server.request(
            "GET",
            f["href"].as_str().unwrap(),
            &[("If-None-Match", &etag)],
            b"",
        );
        assert_eq!(r.status, 304);
        let r = server.request(
            "GET",
            f["href"].as_str().unwrap(),
            &[("Range", "bytes=99999999-")],
            b"",
        );
        assert_problem(&r, 416, "range");
    }
    if let Some(s) = common::run_checker("check-epub", &[&dir.join("bac-kan.epub")]) {
        common::assert_epub_clean(&s, "the served EPUB", false);
    }
    if let Some(r) = common::run_checker("check-pdf", &[&dir.join("bac-kan.large.pdf")]) {
        let ok = |k: &str| r[k].as_bool() == Some(true);
        assert!(
            ok("tagged") && ok("struct_tree_root") && ok("qpdf_check_ok"),
            "{r}"
        );
        assert_eq!(r["pdfua_part"], "1", "{r}");
        assert_eq!(r["figures_without_alt"], 0, "{r}");
        assert_eq!(r["pdfua_findings"]["error"], 0, "{r}");
    }
    // The same submission again: built once, answered from the cache.
    let again = server.submit(
        "?format=epub,pdf&scale=large&page-size=a5",
        "application/zip",
        &body,
    );
    let id2 = id_of(&again);
    assert_ne!(id, id2);
    let job2 = server.finished(&id2);
    assert_eq!(job2["state"], "done");
    assert_eq!(job2["cached"], true, "{job2}");
    assert_eq!(job2["files"][0]["sha256"], job["files"][0]["sha256"]);
    // No file by a path the client chooses.
    for bad in ["..%2Fjob.json", "result.json", "%2Fetc%2Fpasswd"] {
        let a = server.get(&format!("/v1/jobs/{id}/files/{bad}"));
        assert_eq!(a.status, 404, "{bad}");
    }
    assert_problem(
        &server.get("/v1/jobs/0123456789abcdef0123456789abcdef"),
        404,
        "no-such-job",
    );
    // Health and the description of every route.
    let h = server.get("/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    let doc = server.get("/openapi.json").json();
    assert_eq!(doc["openapi"], "3.1.0");
    // The query parameters are `anpham build`'s options, less those that name a file or
    // folder on the server, its threads and its terminal; then the server's `preview`.
    let params: Vec<&str> = doc["paths"]["/v1/editions"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let mut expected = vec![
        "format",
        "scale",
        "epub-scale",
        "page-list",
        "page-size",
        "each",
        "name",
        "title",
        "article-break",
        "image-ppi",
        "repair",
        // The editions' own options (`editions::EditionArgs`), each defined in its folder.
        "pdf-standard",
    ];
    if cfg!(feature = "speech") {
        expected.extend(["voice", "speech-rate"]);
    }
    if cfg!(feature = "braille") {
        expected.extend([
            "braille-grade",
            "braille-page",
            "braille-volume-sheets",
            "braille-duplex",
        ]);
    }
    // The server's own, after the command line's: the web page's first-page preview.
    expected.push("preview");
    assert_eq!(params, expected);
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let p = path.replace("{id}", &id).replace("{name}", "bac-kan.epub");
            let a = server.request(&method.to_uppercase(), &p, &[], b"");
            assert!(
                ![404, 405].contains(&a.status)
                    || a.json()["type"] != "urn:anpham:problem:not-found",
                "{method} {path} is described but not routed: {}",
                a.status
            );
        }
    }
    assert_problem(&server.get("/v2/nothing"), 404, "not-found");
    // One log line per request: method, path, status, time.
    let log = server.log();
    assert!(
        log.lines()
            .any(|l| l.starts_with("POST /v1/editions 202 ") && l.ends_with("ms")),
        "{log}"
    );
}

/// Every error status, as problem+json: 400, 413, 415, a job failed with the located
/// diagnostics, a partial failure served, archives with traversal or a bomb.
#[test]
fn errors_are_problems_with_located_diagnostics() {
    let dir = common::out_dir("errors");
    let server = Server::start(
        &dir.join("cache"),
        &["--max-upload", "256K"],
        &[("ANPHAM_ESPEAK", "/nonexistent/espeak-ng")],
    );
    assert_problem(
        &server.submit("", "text/css", b"p {}"),
        415,
        "unsupported-media-type",
    );
    assert_problem(&server.submit("", "", b"x"), 415, "unsupported-media-type");
    let p = assert_problem(
        &server.submit("?font=/etc/passwd", "text/markdown", &small_article(1)),
        400,
        "bad-option",
    );
    assert!(p["detail"].as_str().unwrap().contains("font"), "{p}");
    assert_problem(
        &server.submit("?format=docx", "text/markdown", &small_article(1)),
        400,
        "bad-option",
    );
    assert_problem(
        &server.submit("", "text/markdown", &vec![b'a'; 300 * 1024]),
        413,
        "too-large",
    );
    assert_problem(
        &server.submit("", "application/zip", b"PK not really"),
        400,
        "bad-archive",
    );
    for name in ["../evil.md", "/etc/evil.md", "a/../../evil.md"] {
        let z = zip_of(&[(name, &small_article(2))]);
        assert_problem(
            &server.submit("", "application/zip", &z),
            400,
            "unsafe-archive",
        );
    }
    let zeros = vec![0u8; 20 << 20];
    let bomb = zip_of(&[("a.md", &zeros)]);
    assert!(bomb.len() < 256 * 1024, "the bomb fits the upload limit");
    let p = assert_problem(
        &server.submit("", "application/zip", &bomb),
        413,
        "archive-too-large",
    );
    assert!(p["detail"].as_str().unwrap().contains("bomb"), "{p}");
    assert!(
        std::fs::read_dir(dir.join("cache/jobs")).unwrap().count() == 0,
        "a refused upload leaves nothing"
    );
    // Bad input: the job fails with the CLI's located diagnostics.
    let bad = b"---\ntitle: [unclosed\nlang: vi\n---\n\nText.\n";
    let id = id_of(&server.submit("?format=epub", "text/markdown", bad));
    let job = server.finished(&id);
    assert_eq!(job["state"], "failed", "{job}");
    let problem = &job["problem"];
    assert_eq!(problem["type"], "urn:anpham:problem:invalid-input", "{job}");
    let d = &problem["diagnostics"][0];
    assert_eq!(d["file"], "article.md", "{job}");
    assert!(
        d["line"].as_u64().is_some() && d["column"].as_u64().is_some(),
        "{job}"
    );
    assert!(
        !problem["detail"]
            .as_str()
            .unwrap()
            .contains(dir.to_str().unwrap()),
        "no server path: {job}"
    );
    assert_eq!(
        server
            .get(&format!("/v1/jobs/{id}/files/article.epub"))
            .status,
        409
    );
    // A JSON article missing its title: a field.
    let id = id_of(&server.submit(
        "?format=epub",
        "application/json",
        br#"{"lang": "vi", "blocks": []}"#,
    ));
    let job = server.finished(&id);
    assert_eq!(job["state"], "failed", "{job}");
    assert!(
        job["problem"]["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{job}"
    );
    // Partial failure: the talking book cannot be made (no espeak-ng), the EPUB is served.
    if cfg!(feature = "speech") {
        let id = id_of(&server.submit("?format=epub,talking", "text/markdown", &small_article(3)));
        let job = server.finished(&id);
        assert_eq!(job["state"], "done", "{job}");
        assert_eq!(job["files"].as_array().unwrap().len(), 1, "{job}");
        assert_eq!(job["files"][0]["name"], "tin-3.epub");
        assert_eq!(job["failed"][0]["edition"], "tin-3.talking.epub", "{job}");
        assert!(
            job["failed"][0]["problem"]["detail"]
                .as_str()
                .unwrap()
                .contains("espeak"),
            "{job}"
        );
        assert_eq!(
            server.get(job["files"][0]["href"].as_str().unwrap()).status,
            200
        );
        // Nothing at all: failed.
        let id = id_of(&server.submit("?format=talking", "text/markdown", &small_article(4)));
        assert_eq!(server.finished(&id)["state"], "failed");
    }
}

/// A full queue answers 503 with Retry-After; SIGTERM stops accepting, finishes the
/// running job and exits 0; after a restart the finished jobs are served and the queued one
/// is built; a kill -9 mid-build leaves nothing partial and the job `failed`, "interrupted".
#[test]
fn full_queue_sigterm_and_kill_9_then_restart() {
    if Command::new("espeak-ng").arg("--version").output().is_err() {
        common::skip::<()>("espeak-ng is not installed (the slow job here is a talking book)");
        return;
    }
    let dir = common::out_dir("restart");
    let cache = dir.join("cache");
    let args = ["--jobs", "1", "--queue", "1"];
    let mut server = Server::start(&cache, &args, &[]);
    let body = bac_kan_zip();
    // A talking book takes seconds: the one builder is busy meanwhile.
    let slow = id_of(&server.submit("?format=talking", "application/zip", &body));
    server.poll(&slow, |j| j["state"] == "running");
    let queued = id_of(&server.submit("?format=epub", "text/markdown", &small_article(5)));
    let full = server.submit("?format=epub", "text/markdown", &small_article(6));
    assert_problem(&full, 503, "queue-full");
    assert!(
        full.header("retry-after")
            .is_some_and(|s| s.parse::<u32>().is_ok())
    );
    assert_eq!(
        server.get(&format!("/v1/jobs/{queued}")).json()["state"],
        "queued"
    );
    server.signal("-TERM");
    let st = server.wait();
    assert!(st.success(), "{st:?}: {}", server.log());
    assert!(server.log().contains("stopping"), "{}", server.log());
    drop(server);
    // Restarted: the job that was running when SIGTERM came was finished; the queued one
    // is built now.
    let server = Server::start(&cache, &args, &[]);
    let job = server.finished(&slow);
    assert_eq!(job["state"], "done", "{job}");
    let talking = &job["files"][0];
    assert_eq!(talking["name"], "bac-kan.talking.epub");
    let a = server.get(talking["href"].as_str().unwrap());
    assert_eq!(a.status, 200);
    assert_eq!(a.body.len() as u64, talking["bytes"].as_u64().unwrap());
    assert_eq!(server.finished(&queued)["state"], "done");
    // kill -9 in the middle of a build.
    let mut server = server;
    let killed = id_of(&server.submit("?format=talking&speech-rate=200", "application/zip", &body));
    server.poll(&killed, |j| j["state"] == "running");
    server.signal("-KILL");
    server.wait();
    drop(server);
    let server = Server::start(&cache, &args, &[]);
    let job = server.get(&format!("/v1/jobs/{killed}")).json();
    assert_eq!(job["state"], "failed", "{job}");
    assert!(
        job["problem"]["detail"]
            .as_str()
            .unwrap()
            .starts_with("interrupted"),
        "{job}"
    );
    assert_eq!(job["files"].as_array().unwrap().len(), 0);
    assert_eq!(
        server
            .get(&format!("/v1/jobs/{killed}/files/bac-kan.talking.epub"))
            .status,
        409
    );
    // Nothing partial anywhere: the unfinished build was removed, every result is whole.
    assert_eq!(std::fs::read_dir(cache.join("tmp")).unwrap().count(), 0);
    for result in std::fs::read_dir(cache.join("results")).unwrap() {
        assert!(result.unwrap().path().join("result.json").exists());
    }
    // The finished jobs of before are still served.
    assert_eq!(server.finished(&slow)["state"], "done");
}

// ---------------------------------------------------------------------------------------
// The library (`--library DIR`): OPDS 2.0 and 1.2 catalogs, acquisitions built on request.

/// The media types an acquisition link may have.
const ACQUISITION_TYPES: &[&str] = &[
    "application/epub+zip",
    "application/pdf",
    "application/x-brf",
    "application/x-pef+xml",
];
const ACQUISITION_REL: &str = "http://opds-spec.org/acquisition/open-access";
const BASE: &str = "http://books.example/anpham";

/// A library: the examples (one bulletin manifest and the five articles it names), one
/// article no manifest names, and a broken one.
fn library(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let t = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy(&p, &t);
            } else {
                std::fs::copy(&p, &t).unwrap();
            }
        }
    }
    let lib = dir.join("library");
    copy(&common::root().join("examples"), &lib);
    std::fs::write(
        lib.join("tin-ngan.md"),
        "---\ntitle: Tin ngắn về đường tỉnh\nauthor: Minh Anh\nlang: vi\ndate: 2022-11-15\n---\n\nĐường tỉnh 258 được sửa xong.\n",
    )
    .unwrap();
    std::fs::write(
        lib.join("hong.json"),
        "{\"title\": \"Hỏng\", \"blocks\": [}",
    )
    .unwrap();
    lib
}

/// The path of a link written with the base URL.
fn path_of(href: &str) -> &str {
    href.strip_prefix(BASE)
        .unwrap_or_else(|| panic!("`{href}` does not start with --base-url"))
}

/// The local copy of Readium's schemas (tests/data/readium-webpub-manifest): their URIs
/// resolve to the files; the OPDS link properties (no licence to copy) to `{}`.
struct LocalSchemas;

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let s = uri.as_str();
        if let Some(name) = s.strip_prefix("https://readium.org/webpub-manifest/schema/") {
            let p = common::root()
                .join("tests/data/readium-webpub-manifest/schema")
                .join(name);
            return Ok(serde_json::from_str(&std::fs::read_to_string(p)?)?);
        }
        if s.starts_with("https://drafts.opds.io/schema/") {
            return Ok(serde_json::json!({}));
        }
        Err(format!("no local copy of {s}").into())
    }
}

fn readium_validator(name: &str) -> jsonschema::Validator {
    let path = common::root()
        .join("tests/data/readium-webpub-manifest/schema")
        .join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .with_retriever(LocalSchemas)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn schema_errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The OPDS 2.0 rules a feed must keep (opds-2.0.md §2–§4, with Readium's schemas for
/// each publication's metadata and links).
fn check_opds2(feed: &Value) {
    let metadata = readium_validator("metadata.schema.json");
    let link = readium_validator("link.schema.json");
    assert!(
        feed["metadata"]["title"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{feed}"
    );
    let links = feed["links"].as_array().expect("links");
    let self_link = links
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("a self link");
    assert_eq!(self_link["type"], "application/opds+json");
    for l in links {
        assert!(
            schema_errors(&link, l).is_empty(),
            "{l}: {:?}",
            schema_errors(&link, l)
        );
    }
    let search = links.iter().find(|l| l["rel"] == "search").expect("search");
    assert_eq!(search["templated"], true);
    assert!(search["href"].as_str().unwrap().ends_with("{?query}"));
    for p in feed["publications"].as_array().expect("publications") {
        let m = &p["metadata"];
        let errors = schema_errors(&metadata, m);
        assert!(errors.is_empty(), "{m}: {errors:?}");
        for key in ["title", "identifier", "language", "modified"] {
            assert!(m[key].is_string(), "{key}: {m}");
        }
        let a11y = &m["accessibility"];
        for key in [
            "conformsTo",
            "accessMode",
            "accessModeSufficient",
            "feature",
            "hazard",
            "summary",
        ] {
            assert!(!a11y[key].is_null(), "accessibility.{key}: {m}");
        }
        let acquisitions: Vec<&Value> = p["links"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["rel"] == ACQUISITION_REL)
            .collect();
        assert!(!acquisitions.is_empty(), "no acquisition link: {p}");
        for l in p["links"]
            .as_array()
            .unwrap()
            .iter()
            .chain(p["images"].as_array().into_iter().flatten())
        {
            let errors = schema_errors(&link, l);
            assert!(errors.is_empty(), "{l}: {errors:?}");
        }
        for l in &acquisitions {
            assert!(
                ACQUISITION_TYPES.contains(&l["type"].as_str().unwrap()),
                "{l}"
            );
            if let Some(a) = l.get("properties").and_then(|p| p.get("accessibility")) {
                let mut m2 = serde_json::json!({ "title": "x", "accessibility": a });
                m2["@type"] = "http://schema.org/Book".into();
                let errors = schema_errors(&metadata, &m2);
                assert!(errors.is_empty(), "{a}: {errors:?}");
            }
        }
    }
}

/// The OPDS 1.2 rules: a well-formed Atom feed with a self link of the acquisition
/// profile, a title, an OpenSearch link, and in every entry an id, a title, an updated
/// date and at least one open-access acquisition link of a known type. Returns the
/// entries' acquisition links.
fn check_opds1(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut depth, mut in_entry) = (0usize, false);
    let (mut feed_title, mut self_link, mut search) = (false, false, false);
    let mut entry_fields: Vec<String> = Vec::new();
    let mut entry_acquisitions = 0;
    let mut acquisitions = Vec::new();
    let mut path: Vec<String> = Vec::new();
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
        let (start, name, attrs) = match &ev {
            Event::Start(e) | Event::Empty(e) => (
                true,
                String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                e.attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        (
                            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                            a.unescape_value().unwrap().into_owned(),
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
            Event::End(e) => (
                false,
                String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                vec![],
            ),
            Event::Eof => break,
            _ => continue,
        };
        let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if start {
            if depth == 0 {
                assert_eq!(name, "feed");
                assert_eq!(attr("xmlns"), Some("http://www.w3.org/2005/Atom"));
            }
            if name == "entry" {
                in_entry = true;
                entry_fields.clear();
                entry_acquisitions = 0;
            }
            if in_entry {
                entry_fields.push(name.clone());
            }
            if name == "title" && depth == 1 {
                feed_title = true;
            }
            if name == "link" {
                let rel = attr("rel").unwrap_or("");
                let ty = attr("type").unwrap_or("");
                if !in_entry && rel == "self" {
                    self_link = true;
                    assert_eq!(
                        ty,
                        "application/atom+xml;profile=opds-catalog;kind=acquisition"
                    );
                }
                if !in_entry && rel == "search" {
                    search = ty == "application/opensearchdescription+xml";
                }
                if in_entry && rel == ACQUISITION_REL {
                    assert!(ACQUISITION_TYPES.contains(&ty), "{ty}");
                    entry_acquisitions += 1;
                    acquisitions.push((attr("href").unwrap().to_string(), ty.to_string()));
                }
            }
            if matches!(ev, Event::Start(_)) {
                depth += 1;
                path.push(name);
            }
        } else {
            depth -= 1;
            path.pop();
            if name == "entry" {
                for f in ["id", "title", "updated", "dc:language", "dc:identifier"] {
                    assert!(entry_fields.iter().any(|n| n == f), "an entry without {f}");
                }
                assert!(entry_acquisitions > 0, "an entry without acquisition links");
                in_entry = false;
            }
        }
    }
    assert!(
        feed_title && self_link && search,
        "title {feed_title}, self {self_link}, search {search}"
    );
    acquisitions
}

/// Reads both feeds with Readium's OPDS parser (r2-opds-js, from npm: what Thorium Reader
/// uses) through tests/opds-client/read-feeds.js; `None` (skipped) when it is not installed.
fn read_with_opds_client(dir: &Path, json: &[u8], xml: &[u8]) -> Option<Value> {
    let client = common::root().join("tests/opds-client");
    if !client.join("node_modules/r2-opds-js").exists() {
        return common::skip("tests/opds-client: run `npm ci` there (r2-opds-js)");
    }
    std::fs::write(dir.join("catalog.json"), json).unwrap();
    std::fs::write(dir.join("catalog.xml"), xml).unwrap();
    let out = Command::new("node")
        .arg(client.join("read-feeds.js"))
        .arg(dir.join("catalog.json"))
        .arg(dir.join("catalog.xml"))
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "read-feeds.js: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    Some(serde_json::from_str(stdout.lines().last().unwrap()).unwrap())
}

#[test]
fn the_library_is_an_opds_catalog_whose_editions_are_built_on_request() {
    let dir = common::out_dir("library");
    let lib = library(&dir);
    let server = Server::start(
        &dir.join("cache"),
        &[
            "--library",
            lib.to_str().unwrap(),
            "--base-url",
            &format!("{BASE}/"),
        ],
        &[],
    );
    // The start says what it found, the broken article named.
    let log = server.log();
    assert!(
        log.contains("2 publication(s), 1 that cannot be loaded"),
        "{log}"
    );
    assert!(log.contains("hong.json"), "{log}");

    // OPDS 2.0.
    let a = server.get("/opds/catalog.json");
    assert_eq!(a.status, 200);
    assert_eq!(a.header("content-type"), Some("application/opds+json"));
    assert_eq!(a.body.first(), Some(&b'{'), "the first byte");
    let feed = a.json();
    check_opds2(&feed);
    let pubs = feed["publications"].as_array().unwrap();
    let titles: Vec<&str> = pubs
        .iter()
        .map(|p| p["metadata"]["title"].as_str().unwrap())
        .collect();
    // The manifest is one publication (its articles are not listed again); the broken
    // article has nothing to acquire and is left out of the feed.
    assert_eq!(titles, ["Bản tin tuần", "Tin ngắn về đường tỉnh"], "{feed}");
    assert_eq!(feed["metadata"]["numberOfItems"], 2);
    let bulletin = &pubs[0];
    let types: Vec<&str> = bulletin["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"application/epub+zip") && types.contains(&"application/pdf"),
        "{types:?}"
    );
    let link_to = |file: &str| {
        bulletin["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["href"].as_str().unwrap().ends_with(&format!("/{file}")))
    };
    let large = link_to("bulletin.large.pdf").expect("the large-print PDF the manifest asks for");
    let large_a11y = &large["properties"]["accessibility"];
    let claims = |a11y: &Value, feature: &str| {
        a11y["feature"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == feature)
    };
    assert!(
        claims(large_a11y, "largePrint") && claims(large_a11y, "taggedPDF"),
        "{large}"
    );
    // The standard-size PDF, also asked for, claims no large print.
    let standard = link_to("bulletin.pdf").expect("the standard PDF the manifest asks for");
    let standard_a11y = &standard["properties"]["accessibility"];
    assert!(
        claims(standard_a11y, "taggedPDF") && !claims(standard_a11y, "largePrint"),
        "{standard}"
    );
    assert_eq!(
        large_a11y["conformsTo"][0],
        "https://www.iso.org/standard/64599.html"
    );
    assert_eq!(
        bulletin["metadata"]["accessibility"]["conformsTo"][0],
        "https://www.w3.org/TR/epub-a11y-11#wcag-2.2-aa"
    );
    // The bulletin's cover (its first figure) is served; the short article has no figure.
    assert!(pubs[1].get("images").is_none(), "{}", pubs[1]);
    let cover = server.get(path_of(bulletin["images"][0]["href"].as_str().unwrap()));
    assert_eq!(cover.status, 200);
    assert_eq!(
        Some(cover.header("content-type").unwrap()),
        bulletin["images"][0]["type"].as_str()
    );

    // Paging and search.
    let first = server.get("/opds/catalog.json?per-page=1").json();
    check_opds2(&first);
    let next = first["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .expect("next");
    let second = server.get(path_of(next["href"].as_str().unwrap())).json();
    assert_eq!(
        second["publications"][0]["metadata"]["title"],
        "Tin ngắn về đường tỉnh"
    );
    assert!(
        second["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "previous")
    );
    assert!(
        !second["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "next")
    );
    let found = server.get("/opds/catalog.json?query=duong%20TINH").json();
    assert_eq!(found["metadata"]["numberOfItems"], 1, "{found}");

    // OPDS 1.2 and its OpenSearch description.
    let x = server.get("/opds/catalog.xml");
    assert_eq!(x.status, 200);
    assert_eq!(
        x.header("content-type"),
        Some("application/atom+xml;profile=opds-catalog;kind=acquisition")
    );
    let xml = String::from_utf8(x.body.clone()).unwrap();
    let acquisitions = check_opds1(&xml);
    assert!(
        acquisitions
            .iter()
            .any(|(h, _)| h.ends_with("/library/bulletin/files/bulletin.epub"))
    );
    let os = server.get("/opds/search.xml");
    assert_eq!(
        os.header("content-type"),
        Some("application/opensearchdescription+xml")
    );
    assert!(String::from_utf8_lossy(&os.body).contains("/opds/catalog.xml?query={searchTerms}"));

    // A real OPDS client reads both.
    if let Some(read) = read_with_opds_client(&dir, &a.body, &x.body) {
        assert_eq!(read["opds2"]["publications"], 2, "{read}");
        assert_eq!(read["opds1"]["publications"], 2, "{read}");
        assert!(
            read["opds2"]["acquisitions"].as_u64().unwrap() >= 4,
            "{read}"
        );
    }

    // An acquisition of an edition never built: the file, built on the request.
    let epub_href = path_of(
        bulletin["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["type"] == "application/epub+zip")
            .unwrap()["href"]
            .as_str()
            .unwrap(),
    )
    .to_string();
    let epub = server.get(&epub_href);
    assert_eq!(epub.status, 200, "{}", String::from_utf8_lossy(&epub.body));
    assert_eq!(epub.header("content-type"), Some("application/epub+zip"));
    assert!(epub.body.starts_with(b"PK"));
    std::fs::write(dir.join("bulletin.epub"), &epub.body).unwrap();
    let pdf = server.get(path_of(large["href"].as_str().unwrap()));
    assert_eq!(pdf.status, 200, "{}", String::from_utf8_lossy(&pdf.body));
    assert!(pdf.body.starts_with(b"%PDF-"));
    std::fs::write(dir.join("bulletin.large.pdf"), &pdf.body).unwrap();
    if let Some(s) = common::run_checker("check-epub", &[&dir.join("bulletin.epub")]) {
        common::assert_epub_clean(&s, "the library's EPUB", false);
    }
    if let Some(r) = common::run_checker("check-pdf", &[&dir.join("bulletin.large.pdf")]) {
        assert_eq!(r["pdfua_part"], "1", "{r}");
        assert_eq!(r["pdfua_findings"]["error"], 0, "{r}");
    }
    // The braille editions when liblouis is here.
    if let Some(brf) = bulletin["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["type"] == "application/x-brf")
    {
        let b = server.get(path_of(brf["href"].as_str().unwrap()));
        assert_eq!(b.status, 200, "{}", String::from_utf8_lossy(&b.body));
        assert_eq!(b.header("content-type"), Some("application/x-brf"));
    }

    // The same again: from the cache, with its ETag; a changed article is built anew.
    let short = pubs[1]["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["type"] == "application/epub+zip")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .to_string();
    let one = server.get(path_of(&short));
    assert_eq!(one.status, 200);
    let again = server.get(path_of(&short));
    assert_eq!(again.header("etag"), one.header("etag"));
    std::fs::write(
        lib.join("tin-ngan.md"),
        "---\ntitle: Tin ngắn về đường tỉnh\nauthor: Minh Anh\nlang: vi\ndate: 2022-11-15\n---\n\nĐường tỉnh 258 được sửa xong và thông xe.\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    let changed = server.get(path_of(&short));
    assert_eq!(changed.status, 200);
    assert_ne!(
        changed.header("etag"),
        one.header("etag"),
        "a changed article is built anew"
    );

    // The broken article: its located problem; an unknown edition or publication: 404.
    let p = assert_problem(
        &server.get("/library/hong/files/hong.epub"),
        422,
        "invalid-input",
    );
    assert_eq!(p["diagnostics"][0]["file"], "hong.json", "{p}");
    assert_problem(
        &server.get("/library/bulletin/files/..%2Fjob.json"),
        404,
        "no-such-file",
    );
    assert_problem(
        &server.get("/library/nothing/files/x.epub"),
        404,
        "no-such-publication",
    );
}

#[test]
fn without_a_library_the_catalog_routes_say_so() {
    let dir = common::out_dir("no-library");
    let server = Server::start(&dir.join("cache"), &[], &[]);
    assert_problem(&server.get("/opds/catalog.json"), 404, "no-library");
    assert_problem(&server.get("/library/x/files/x.epub"), 404, "no-library");
}

/// A bulletin of `articles` long articles (the example's text, without its photos) and its
/// manifest, as a zip archive: a slow job without any hook in the product. Its two PDFs take
/// 0.025 s an article on an idle 2-core machine (40 articles: 1 s, test build) and 0.13 s
/// at a load average of 12, so 200 outlast a time limit of one second with a margin of five
/// and 400 a `--keep` of two seconds and two clean-ups (10 s idle; 40 and 150, the first
/// sizes, were over too soon on an idle machine).
fn long_bulletin(articles: usize) -> Vec<u8> {
    let example =
        std::fs::read_to_string(common::root().join("examples/bac-kan/bac-kan.md")).unwrap();
    let body: String = example
        .splitn(3, "---\n")
        .nth(2)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("!["))
        .collect::<Vec<_>>()
        .join("\n");
    let mut files: Vec<(String, Vec<u8>)> = (1..=articles)
        .map(|n| {
            let text = format!(
                "---\ntitle: Bài {n} của bản tin dài\ndate: 2022-11-10\nlang: vi\nslug: bai-{n}\n---\n{body}\n"
            );
            (format!("bai-{n}.md"), text.into_bytes())
        })
        .collect();
    let list: Vec<String> = files.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let manifest = format!(
        "title = \"Bản tin dài\"\ndate = \"2022-11-14\"\nlang = \"vi\"\narticles = [{}]\n",
        list.join(", ")
    );
    files.push(("bulletin.toml".to_string(), manifest.into_bytes()));
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&entries)
}

/// `--cors ORIGIN`: a browser's preflight (without the token, as browsers send it) and its
/// requests from that origin get the CORS headers; another origin gets none, and a server
/// without `--cors` sends none. `--base-url URL`: the `Location`, the job's link and its
/// files' links start with it (a proxy strips it again).
#[test]
fn cors_for_the_origin_named_and_links_under_the_base_url() {
    let dir = common::out_dir("cors");
    let portal = "https://portal.example.org";
    let base = "https://example.org/anpham";
    let server = Server::start(
        &dir.join("cache"),
        &[
            "--cors",
            portal,
            "--base-url",
            &format!("{base}/"),
            "--token",
            "s3cret",
        ],
        &[],
    );
    let preflight = |origin: &str| {
        server.request(
            "OPTIONS",
            "/v1/editions?format=epub",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type",
                ),
                ("Authorization", ""),
            ],
            b"",
        )
    };
    let a = preflight(portal);
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.header("access-control-allow-origin"), Some(portal));
    let listed = |a: &Answer, header: &str, item: &str| {
        a.header(header)
            .is_some_and(|v| v.split(',').any(|x| x.trim().eq_ignore_ascii_case(item)))
    };
    assert!(
        listed(&a, "access-control-allow-methods", "POST"),
        "{:?}",
        a.headers
    );
    for h in ["authorization", "content-type"] {
        assert!(
            listed(&a, "access-control-allow-headers", h),
            "{:?}",
            a.headers
        );
    }
    let other = preflight("https://elsewhere.example.com");
    assert_eq!(other.header("access-control-allow-origin"), None);
    // The request itself, from the portal's page: the answer may be read, `Location` too.
    let a = server.request(
        "POST",
        "/v1/editions?format=epub",
        &[("Content-Type", "text/markdown"), ("Origin", portal)],
        &small_article(21),
    );
    assert_eq!(a.status, 202, "{}", String::from_utf8_lossy(&a.body));
    assert_eq!(a.header("access-control-allow-origin"), Some(portal));
    assert!(
        listed(&a, "access-control-expose-headers", "location"),
        "{:?}",
        a.headers
    );
    assert!(listed(&a, "vary", "origin"), "{:?}", a.headers);
    // The links: under the base URL.
    let id = a.json()["id"].as_str().unwrap().to_string();
    let job_url = format!("{base}/v1/jobs/{id}");
    assert_eq!(a.header("location"), Some(job_url.as_str()));
    assert_eq!(a.json()["href"], job_url.as_str());
    let path_of = |url: &str| url.strip_prefix(base).unwrap().to_string();
    let job = server.finished(&id);
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["href"], job_url.as_str());
    let file = &job["files"][0];
    let href = file["href"].as_str().unwrap();
    assert_eq!(href, format!("{job_url}/files/tin-21.epub"));
    let a = server.request(
        "GET",
        &path_of(href),
        &[("Origin", "https://elsewhere.example.com")],
        b"",
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.body.len() as u64, file["bytes"].as_u64().unwrap());
    assert_eq!(a.header("access-control-allow-origin"), None);
    // Without --cors: no CORS header at all, and links are paths.
    let plain = Server::start(&dir.join("cache-plain"), &[], &[]);
    let a = plain.request(
        "OPTIONS",
        "/v1/editions",
        &[
            ("Origin", portal),
            ("Access-Control-Request-Method", "POST"),
        ],
        b"",
    );
    assert!(
        a.headers
            .iter()
            .all(|(n, _)| !n.to_ascii_lowercase().starts_with("access-control-")),
        "{:?}",
        a.headers
    );
    let a = plain.request(
        "POST",
        "/v1/editions?format=epub",
        &[("Content-Type", "text/markdown"), ("Origin", portal)],
        &small_article(21),
    );
    let id = id_of(&a);
    assert_eq!(a.header("access-control-allow-origin"), None);
    assert_eq!(a.json()["href"], format!("/v1/jobs/{id}").as_str());
}

/// `--job-time-limit`: a job over it fails with a problem that says so and nothing of it is
/// served; the server stays healthy: it answers meanwhile, and the next job gets the one
/// builder once the late build has ended, and ends too.
#[test]
fn a_job_over_the_time_limit_fails_and_the_server_stays_healthy() {
    let dir = common::out_dir("time-limit");
    let cache = dir.join("cache");
    let server = Server::start(&cache, &["--jobs", "1", "--job-time-limit", "1s"], &[]);
    let late = id_of(&server.submit(
        "?format=pdf&scale=standard,large",
        "application/zip",
        &long_bulletin(200),
    ));
    let next = id_of(&server.submit("?format=epub", "text/markdown", &small_article(22)));
    let job = server.finished(&late);
    assert_eq!(job["state"], "failed", "{job}");
    assert_eq!(
        job["problem"]["type"], "urn:anpham:problem:time-limit",
        "{job}"
    );
    assert!(
        job["problem"]["detail"]
            .as_str()
            .unwrap()
            .contains("longer than the time limit (1 s)"),
        "{job}"
    );
    assert_eq!(job["files"].as_array().unwrap().len(), 0, "{job}");
    assert_problem(
        &server.get(&format!("/v1/jobs/{late}/files/bulletin.pdf")),
        409,
        "not-ready",
    );
    // Healthy while the late build still holds its builder.
    let h = server.get("/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    // The next job is not lost: it ends (built, or over the limit itself on a slow machine).
    let job = server.finished(&next);
    assert!(
        job["state"] == "done" || job["problem"]["type"] == "urn:anpham:problem:time-limit",
        "{job}"
    );
    // Nothing of the late build is left or cached.
    assert!(!cache.join("tmp").join(&late).exists());
    for result in std::fs::read_dir(cache.join("results")).unwrap() {
        let manifest = std::fs::read_to_string(result.unwrap().path().join("result.json")).unwrap();
        assert!(!manifest.contains("\"bulletin."), "{manifest}");
    }
    let log = server.log();
    assert!(!log.contains("panicked"), "{log}");
}

/// `--cache-max`: results go least recently used first (a download is a use), never the
/// one just made; an evicted job says so and its files answer 410. `--keep`: a job that
/// ended longer ago is removed with its result, while a job running longer than that is
/// left alone, ends and is served.
#[test]
fn the_cache_evicts_least_recently_used_first_and_spares_running_jobs() {
    let dir = common::out_dir("eviction");
    let cache = dir.join("cache");
    let server = Server::start(&cache, &[], &[]);
    let mut built = Vec::new();
    for n in [31, 32, 33] {
        let id = id_of(&server.submit("?format=epub", "text/markdown", &small_article(n)));
        let job = server.finished(&id);
        assert_eq!(job["state"], "done", "{job}");
        let bytes: u64 = job["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["bytes"].as_u64().unwrap())
            .sum();
        built.push((
            id,
            job["files"][0]["href"].as_str().unwrap().to_string(),
            bytes,
        ));
    }
    let [
        (a, a_file, a_bytes),
        (b, b_file, b_bytes),
        (c, c_file, c_bytes),
    ] = <[_; 3]>::try_from(built).unwrap();
    // A is used again: B is now the least recently used.
    assert_eq!(server.get(&a_file).status, 200);
    drop(server);
    // Restarted with room for two of the three: B goes.
    let max = a_bytes + c_bytes + b_bytes / 2;
    let server = Server::start(&cache, &["--cache-max", &max.to_string()], &[]);
    let job = server.get(&format!("/v1/jobs/{b}")).json();
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["evicted"], true, "{job}");
    assert_eq!(job["files"].as_array().unwrap().len(), 0, "{job}");
    assert_problem(&server.get(&b_file), 410, "evicted");
    for id in [&a, &c] {
        let job = server.get(&format!("/v1/jobs/{id}")).json();
        assert!(job.get("evicted").is_none(), "{job}");
    }
    // A new result: kept (the one just made is never evicted), the least recently used
    // of the others goes (C; A was downloaded after C was made).
    let d = id_of(&server.submit("?format=epub", "text/markdown", &small_article(34)));
    let job = server.finished(&d);
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(
        server.get(job["files"][0]["href"].as_str().unwrap()).status,
        200
    );
    assert_problem(&server.get(&c_file), 410, "evicted");
    assert_eq!(server.get(&a_file).status, 200);
    drop(server);
    // --keep 2s: the clean-up runs every second.
    let server = Server::start(&cache, &["--keep", "2s", "--jobs", "1"], &[]);
    let slow = id_of(&server.submit(
        "?format=pdf&scale=standard,large",
        "application/zip",
        &long_bulletin(400),
    ));
    server.poll(&slow, |j| j["state"] == "running");
    // The jobs of before ended more than --keep ago: removed, with their results, by the
    // clean-up that runs while the slow job is running.
    let removed = |id: &str| server.get(&format!("/v1/jobs/{id}")).status == 404;
    let started = Instant::now();
    while !(removed(&a) && removed(&c) && removed(&d)) {
        assert!(started.elapsed() < Duration::from_secs(60), "never removed");
        std::thread::sleep(Duration::from_millis(100));
    }
    while std::fs::read_dir(cache.join("results")).unwrap().count() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "results never evicted"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Outliving --keep: the slow job is still running after two clean-ups.
    std::thread::sleep(Duration::from_millis(2500));
    let job = server.get(&format!("/v1/jobs/{slow}")).json();
    assert_eq!(
        job["state"], "running",
        "the build was too quick to outlive --keep; make the bulletin longer: {job}"
    );
    let job = server.finished(&slow);
    assert_eq!(job["state"], "done", "{job}");
    let files = job["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{job}");
    for f in files {
        let a = server.get(f["href"].as_str().unwrap());
        assert_eq!(a.status, 200, "{job}");
        assert_eq!(a.body.len() as u64, f["bytes"].as_u64().unwrap());
    }
    assert!(!cache.join("tmp").join(&slow).exists());
}
