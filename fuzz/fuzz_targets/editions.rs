//! The whole path a user takes: an article file (Markdown with front matter, or JSON,
//! which keeps the text exactly as given) → [`anpham::check`] → when it passes, every
//! edition built from it ([`anpham::editions::build`]): the EPUB, the large-print PDF,
//! the HTML page (one script, its own), BRF and PEF, and (for texts up to [`SPEECH_CHARS`] characters, as every
//! sentence is one espeak-ng process) the talking book.
//!
//! The invariant of issue #30: **what passes `check` builds in every edition** — every
//! edition asked for is written, none fails (`build` fails when one does). Needs liblouis and espeak-ng (without them
//! those editions are not asked for; in CI their absence fails). Checked besides: the
//! EPUBs pass the module's XML and link checks, the PDF has a header and a trailer, no
//! edition is empty, and every warning displays.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::FontScale;
use anpham::editions::{EditionRequest, Format, build};

#[derive(Arbitrary, Debug)]
struct Input {
    sanitize: bool,
    repair: bool,
    english: bool,
    json: bool,
    talk: bool,
    title: String,
    /// Paragraphs (in Markdown a heading, list or quotation when it starts so).
    paragraphs: Vec<String>,
}

/// The talking book is built for texts up to this many characters.
const SPEECH_CHARS: usize = 400;

fuzz_target!(|input: Input| {
    let mut budget = 4000usize;
    let mut text = |s: &str| {
        let t = anpham_fuzz::covered_text(s, input.sanitize, budget);
        budget = budget.saturating_sub(t.chars().count());
        t
    };
    let title = text(&input.title).replace(['\n', '\r'], " ");
    let lang = if input.english { "en" } else { "vi" };
    let paragraphs: Vec<String> = input.paragraphs.iter().take(30).map(|p| text(p)).collect();
    let chars: usize =
        title.chars().count() + paragraphs.iter().map(|p| p.chars().count()).sum::<usize>();
    let (name, file) = if input.json {
        let blocks: Vec<serde_json::Value> = paragraphs
            .iter()
            .map(|t| serde_json::json!({"type": "paragraph", "text": t}))
            .collect();
        let article = serde_json::json!({
            "title": title, "lang": lang, "date": "2022-11-10", "slug": "fuzz", "blocks": blocks,
        });
        ("article.json", article.to_string())
    } else {
        let mut md = format!(
            "---\ntitle: \"{}\"\nlang: {lang}\ndate: 2022-11-10\nslug: fuzz\n---\n",
            title.replace('\\', "\\\\").replace('"', "\\\""),
        );
        for p in &paragraphs {
            md.push_str(p);
            md.push_str("\n\n");
        }
        ("article.md", md)
    };
    let path = anpham_fuzz::sandbox().join(name);
    std::fs::write(&path, file.as_bytes()).expect("write the article");
    if let Err(e) = anpham::check(std::slice::from_ref(&path), input.repair) {
        assert!(!e.to_string().is_empty());
        anpham_fuzz::tally("editions", false);
        return;
    }
    anpham_fuzz::tally("editions", true);
    let mut load = anpham::input::LoadOptions::default();
    load.repair = input.repair;
    let (prepared, _) = anpham::input::load_prepared_with(std::slice::from_ref(&path), load)
        .expect("what check loads loads again");

    let mut request = EditionRequest::new();
    request.print_scales = vec![FontScale::LARGE];
    let mut names = vec!["html"];
    if anpham_fuzz::have_braille() {
        names.extend(["brf", "pef"]);
    }
    if input.talk && chars <= SPEECH_CHARS && anpham_fuzz::have_espeak() {
        names.push("talking");
    }
    for n in names {
        request
            .formats
            .push(Format::named(n).expect("a format of this build"));
    }
    let editions = build(&prepared, &request)
        .unwrap_or_else(|e| panic!("checked text does not build every edition: {e}\n{file}"));
    // Every format asked for is there, the PDF at each of its scales.
    for f in &request.formats {
        let scales = if f.name() == "pdf" {
            request.print_scales.iter().map(|&s| Some(s)).collect()
        } else {
            vec![None]
        };
        for scale in scales {
            assert!(
                editions.iter().any(|e| e.kind.format.name() == f.name()
                    && (scale.is_none() || e.kind.scale == scale)),
                "an edition is missing: {} {scale:?}",
                f.name()
            );
        }
    }
    for w in editions {
        let bytes = w.bytes;
        assert!(!bytes.is_empty(), "{:?} is empty", w.kind);
        for warning in &w.warnings {
            assert!(!warning.diagnostic.to_string().is_empty());
        }
        match w.kind.format.name() {
            "epub" | "talking" => anpham_fuzz::check_epub(&bytes),
            "pdf" => {
                assert!(bytes.starts_with(b"%PDF-"), "no PDF header");
                assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "no PDF trailer");
            }
            // The page's one script is its own (the text-size buttons): text adds none.
            "html" => assert_eq!(
                String::from_utf8_lossy(&bytes)
                    .to_ascii_lowercase()
                    .matches("<script")
                    .count(),
                1,
                "the HTML page has a script of the text's"
            ),
            _ => {}
        }
    }
});
