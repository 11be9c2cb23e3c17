//! `anpham serve`'s web page (`/`, docs/serve.md "The web page"), end to end on the real
//! binary: without a browser, the page's HTML (lang, landmarks, labelled forms, escaping,
//! the policy header), the scale control's links, an upload through the multipart form
//! answered with the job's page, its files and its first-page preview; in Debian's
//! chromium (`tests/browser/serve.js`, with scripts OFF for the reader's steps and axe-core
//! for WCAG 2.2 A/AA): 0 violations on every page at 1280 and 320 px, the scale buttons,
//! the upload, the downloads and the single page opened in the browser.

use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

use crate::common;
use crate::serve::{Answer, Server, bac_kan_zip};

const BOUNDARY: &str = "----anpham-test-boundary";

/// A `multipart/form-data` body: plain fields, then the file.
fn form_body(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut b = Vec::new();
    for (name, value) in fields {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, content_type, bytes)) = file {
        b.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"article\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    b
}

fn post_form(server: &Server, body: &[u8]) -> Answer {
    server.request(
        "POST",
        "/upload",
        &[(
            "Content-Type",
            &format!("multipart/form-data; boundary={BOUNDARY}"),
        )],
        body,
    )
}

fn text(a: &Answer) -> String {
    String::from_utf8(a.body.clone()).unwrap()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// What every page of the site has: lang, one h1, the landmarks, the skip link, every
/// form field labelled, no script, nothing from elsewhere, the policy header.
fn check_page(a: &Answer) -> Html {
    assert_eq!(
        a.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{}",
        text(a)
    );
    let policy = a.header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    let doc = Html::parse_document(&text(a));
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("vi"));
    assert_eq!(select(&doc, "h1").len(), 1);
    assert_eq!(select(&doc, "body > header").len(), 1);
    assert_eq!(select(&doc, "body > main#main").len(), 1);
    assert_eq!(select(&doc, "body > footer").len(), 1);
    assert_eq!(select(&doc, "a.skip[href='#main']").len(), 1);
    assert_eq!(select(&doc, "script, link, iframe").len(), 0);
    for input in select(&doc, "input:not([type=hidden])") {
        let id = input.value().attr("id");
        let labelled = id.is_some_and(|id| !select(&doc, &format!("label[for='{id}']")).is_empty())
            || input
                .parent()
                .and_then(scraper::ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "label");
        assert!(labelled, "an input without a label: {:?}", input.value());
    }
    for e in select(&doc, "[src], [href], [action]") {
        for name in ["src", "href", "action"] {
            if let Some(v) = e.value().attr(name) {
                assert!(
                    v.starts_with('/') || v.starts_with('#'),
                    "{name}={v}: a link off the server"
                );
            }
        }
    }
    doc
}

/// The job's page after the form's `303`.
fn follow(server: &Server, a: &Answer) -> (String, Answer) {
    assert_eq!(a.status, 303, "{}", text(a));
    let location = a.header("location").unwrap().to_string();
    assert!(location.starts_with("/jobs/"), "{location}");
    let page = server.get(&location);
    (location, page)
}

#[test]
fn the_start_page_the_scale_control_and_an_upload_without_a_browser() {
    let dir = common::out_dir("web-page");
    let server = Server::start(&dir.join("cache"), &["--jobs", "1"], &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    let doc = check_page(&home);
    // The scale control: a GET form whose two buttons name the next steps from large
    // print (+3): the portal's words.
    let buttons = select(&doc, "form[method=get] button[name=scale]");
    let got: Vec<(String, String)> = buttons
        .iter()
        .map(|b| {
            (
                b.text().collect::<String>(),
                b.value().attr("value").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Giảm cỡ chữ".to_string(), "+2".to_string()),
            ("Tăng cỡ chữ".to_string(), "+4".to_string())
        ]
    );
    assert!(text(&home).contains("18 pt"));
    // The button's request: the page at the next step, its upload made at that scale.
    let bigger = server.get("/?scale=%2B4");
    let page = text(&bigger);
    assert!(page.contains("<span class=\"now\">20 pt</span>"), "{page}");
    assert!(page.contains("<input type=\"hidden\" name=\"scale\" value=\"+4\">"));
    let top = text(&server.get("/?scale=%2B6"));
    assert!(top.contains("value=\"+6\" disabled>Tăng cỡ chữ"), "{top}");
    // The upload form: multipart, one file field, the formats by the registry.
    let form = select(&doc, "form[enctype='multipart/form-data'][method=post]");
    assert_eq!(form.len(), 1);
    assert_eq!(form[0].value().attr("action"), Some("/upload"));
    assert!(select(&doc, "input[type=file][name=article][required]").len() == 1);
    assert!(select(&doc, "input[type=checkbox][name=format]").len() >= 3);
    assert!(select(&doc, "input[name=token]").is_empty());

    // An upload: the article folder as a zip, two formats, scale +4.
    let body = form_body(
        &[("scale", "+4"), ("format", "pdf"), ("format", "html")],
        Some(("bac-kan.zip", "application/zip", &bac_kan_zip())),
    );
    let (location, job) = follow(&server, &post_form(&server, &body));
    let doc = check_page(&job);
    let page = text(&job);
    assert!(page.contains("Đã xong."), "{page}");
    let links: Vec<(String, String)> = select(&doc, "ul.files a")
        .iter()
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    let names: Vec<&str> = links
        .iter()
        .map(|(h, _)| h.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(names, ["bac-kan.step%2B4.pdf", "bac-kan.html"], "{links:?}");
    assert!(links[0].1.contains("20 pt"), "{links:?}");
    assert!(links[1].1.contains("mở trong trình duyệt"), "{links:?}");
    // Each link is the file; the page opens in the browser, in a sandbox.
    let served = server.get(&links[0].0);
    assert_eq!(served.status, 200);
    assert!(served.body.starts_with(b"%PDF-"));
    let single = server.get(&links[1].0);
    assert_eq!(single.header("content-type"), Some("text/html"));
    assert!(
        single
            .header("content-disposition")
            .unwrap()
            .starts_with("inline")
    );
    assert!(
        single
            .header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );
    // The preview: an image with its text alternative, the page's lines beside it.
    let img = select(&doc, "#preview img");
    assert_eq!(img.len(), 1, "{page}");
    let alt = img[0].value().attr("alt").unwrap();
    assert!(
        alt.contains("20 pt") && alt.contains("Hội thảo khoa học"),
        "{alt}"
    );
    assert_eq!(
        img[0].value().attr("aria-describedby"),
        Some("preview-text")
    );
    let lines: String = select(&doc, "#preview-text")[0].text().collect();
    assert!(lines.starts_with("Hội thảo khoa học"), "{lines}");
    let svg = server.get(img[0].value().attr("src").unwrap());
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(svg.body.starts_with(b"<svg "));
    // The first page's text is the PDF's first page.
    let pdf = dir.join("served.pdf");
    std::fs::write(&pdf, &served.body).unwrap();
    if let Ok(out) = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        let first_page = String::from_utf8_lossy(&out.stdout).into_owned();
        let in_pdf = words(&first_page);
        let in_preview = words(&lines.replace("-\n", ""));
        assert!(
            in_preview.iter().take(20).all(|w| in_pdf.contains(w)),
            "preview {in_preview:?}\nPDF page 1 {in_pdf:?}"
        );
    } else {
        common::say_skipped(
            "pdftotext is not installed: the preview is not compared with the PDF's first page",
        );
    }
    // The same job's page again: the same files.
    assert_eq!(text(&server.get(&location)), page);
    // Errors are pages too: no file, a type not taken, an unknown job.
    let a = post_form(&server, &form_body(&[("scale", "+3")], None));
    assert_eq!(a.status, 400);
    check_page(&a);
    assert!(text(&a).contains("Chưa chọn tệp"), "{}", text(&a));
    let a = post_form(
        &server,
        &form_body(&[], Some(("a.exe", "application/octet-stream", b"MZ"))),
    );
    assert_eq!(a.status, 415);
    assert!(text(&a).contains(".zip"));
    let a = server.get("/jobs/00000000000000000000000000000000");
    assert_eq!(a.status, 404);
    check_page(&a);
    // A title with markup is escaped on the job page and in the preview.
    let article = "---\ntitle: Tin <script>alert(1)</script> & \"x\"\nlang: vi\n---\n\nĐoạn văn.\n";
    let a = post_form(
        &server,
        &form_body(
            &[("format", "pdf")],
            Some(("tin.md", "application/octet-stream", article.as_bytes())),
        ),
    );
    let (_, job) = follow(&server, &a);
    let page = text(&job);
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains("Tin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"),
        "{page}"
    );
}

#[test]
fn with_a_token_the_form_asks_for_the_access_code() {
    let dir = common::out_dir("web-token");
    let server = Server::start(&dir.join("cache"), &["--token", "s3cret"], &[]);
    let home = server.get("/");
    let doc = check_page(&home);
    assert_eq!(select(&doc, "input[type=password][name=token]").len(), 1);
    let article = "---\ntitle: Tin\nlang: vi\n---\n\nĐoạn.\n".as_bytes();
    let a = post_form(
        &server,
        &form_body(
            &[("token", "wrong"), ("format", "pdf")],
            Some(("a.md", "text/markdown", article)),
        ),
    );
    assert_eq!(a.status, 401);
    assert!(text(&a).contains("Mã truy cập không đúng"));
    let a = post_form(
        &server,
        &form_body(
            &[("token", "s3cret"), ("format", "pdf")],
            Some(("a.md", "text/markdown", article)),
        ),
    );
    let (_, job) = follow(&server, &a);
    assert!(text(&job).contains("Đã xong."), "{}", text(&job));
}

/// A copy of `examples/` (a bulletin manifest of all its articles) with a broken article
/// beside it: the library of the tests.
fn library(dir: &Path) -> std::path::PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let target = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy(&p, &target);
            } else {
                std::fs::copy(&p, &target).unwrap();
            }
        }
    }
    let lib = dir.join("library");
    copy(&common::root().join("examples"), &lib);
    std::fs::write(
        lib.join("broken.json"),
        "{\"title\": \"Hỏng\", \"lang\": \"vi\",\n \"blocks\": [{\"type\": \"paragraph\", \"txt\": \"x\"}]}\n",
    )
    .unwrap();
    lib
}

#[test]
fn the_library_lists_a_manifest_and_a_broken_article_with_the_chosen_scale() {
    let dir = common::out_dir("web-library");
    let lib = library(&dir);
    // One builder: the queue's dispatcher once held the only slot while it waited for a
    // job, and a library acquisition never got it (503 after 100 s); it takes a slot only
    // for a job now.
    let server = Server::start(
        &dir.join("cache"),
        &["--jobs", "1", "--library", lib.to_str().unwrap()],
        &[],
    );
    let home = server.get("/?scale=%2B4");
    assert_eq!(home.status, 200);
    let doc = check_page(&home);
    let page = text(&home);
    let titles: Vec<String> = select(&doc, "#library h3")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    // The manifest is one publication (its articles are not listed again); the broken
    // article is listed with its located error, politely, beside it.
    assert_eq!(titles, ["broken.json", "Bản tin tuần"], "{page}");
    let problem: String = select(&doc, "#library .problem")[0].text().collect();
    assert!(
        problem.contains("broken.json:2:") && problem.contains("txt"),
        "{problem}"
    );
    // Its editions: one link per format, the print edition at the scale chosen.
    let links: Vec<(String, String)> = select(&doc, "#library ul.files a")
        .iter()
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect::<String>(),
            )
        })
        .collect();
    assert!(
        links
            .iter()
            .any(|(h, t)| h.ends_with(".step+4.pdf") && t.contains("20 pt")),
        "{links:?}"
    );
    assert!(links.iter().any(|(h, _)| h.ends_with(".epub")), "{links:?}");
    // The preview of the bulletin's first page at +4, its image served, its text on the page.
    let img = select(&doc, "#preview img");
    assert_eq!(img.len(), 1, "{page}");
    let alt = img[0].value().attr("alt").unwrap();
    assert!(
        alt.contains("20 pt") && alt.contains("Bản tin tuần"),
        "{alt}"
    );
    let lines: String = select(&doc, "#preview-text")[0].text().collect();
    assert!(lines.contains("Bản tin tuần"), "{lines}");
    let svg = server.get(img[0].value().attr("src").unwrap());
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    assert!(
        svg.header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );
    // A download link answers with the file (built on the request).
    let (href, _) = links
        .iter()
        .find(|(h, _)| h.ends_with(".step+4.pdf"))
        .unwrap();
    // (A build slower than the acquisition's wait answers 503 with Retry-After and goes
    // on: ask again, as a browser's reader would, for up to five minutes.)
    let started = std::time::Instant::now();
    let pdf = loop {
        let a = server.get(href);
        if a.status != 503 || started.elapsed() > std::time::Duration::from_secs(300) {
            break a;
        }
        std::thread::sleep(std::time::Duration::from_secs(2));
    };
    assert_eq!(pdf.status, 200, "{}", String::from_utf8_lossy(&pdf.body));
    assert!(pdf.body.starts_with(b"%PDF-"));
    // The scale form keeps the publication shown.
    let kept = select(&doc, "form[method=get] input[type=hidden][name=pub]");
    assert_eq!(kept.len(), 1, "{page}");
    let id = kept[0].value().attr("value").unwrap();
    assert!(
        img[0]
            .value()
            .attr("src")
            .unwrap()
            .contains(&format!("/library/{id}/preview")),
        "{id}"
    );
}

/// The start page, a job's page and an error page in Debian's chromium: axe-core's WCAG
/// 2.2 A/AA rules (0 violations) at 1280 and 320 px, the reflow at 320 px, and with scripts
/// OFF the reader's steps: the scale buttons, the upload, the downloads, the single page.
#[test]
fn the_web_page_in_chromium_with_scripts_off() {
    let browser = common::root().join("tests").join("browser");
    if !crate::html::browser_ready(&browser) {
        return;
    }
    let dir = common::out_dir("web-browser");
    let lib = library(&dir);
    let server = Server::start(
        &dir.join("cache"),
        &["--jobs", "1", "--library", lib.to_str().unwrap()],
        &[],
    );
    let zip = dir.join("bac-kan.zip");
    std::fs::write(&zip, bac_kan_zip()).unwrap();
    let job = dir.join("job.json");
    std::fs::write(
        &job,
        serde_json::json!({
            "base": format!("http://{}", server.addr),
            "upload": zip,
            "downloads": dir.join("downloads"),
            "screenshots": dir,
            "library": { "titles": ["Bản tin tuần"], "broken": ["broken.json"] },
        })
        .to_string(),
    )
    .unwrap();
    let run = Command::new("node")
        .arg(browser.join("serve.js"))
        .arg(&job)
        .current_dir(&browser)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    println!("{stdout}");
    assert!(
        run.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}\nserver log:\n{}",
        server.log()
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    assert!(Path::new(&dir.join("home-320.png")).exists());
}
