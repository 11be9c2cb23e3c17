//! The whole path a user takes: an article file (Markdown with front matter) →
//! [`anpham::batch::check`] → when it passes, every edition built from it
//! ([`anpham::editions::build`]): EPUB, large-print PDF, BRF and PEF (when the liblouis
//! tables open), and the talking book (when espeak-ng runs; short texts only, as each
//! sentence is one espeak-ng process).
//!
//! The invariant of issue #30: what passes `check` builds in every format. A character
//! the braille table lacks is accepted as a braille error only until the braille fallback
//! lands ([`anpham_fuzz::is_missing_braille`]); the EPUBs must pass the module's XML and
//! link checks.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::FontScale;
use anpham::braille::BraillePlan;
use anpham::editions::{EditionKind, EditionRequest, build};
use anpham::speech::SpeechOptions;

#[derive(Arbitrary, Debug)]
struct Input {
    sanitize: bool,
    repair: bool,
    english: bool,
    title: String,
    /// Paragraphs (Markdown: a heading, list or quotation when it starts so).
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
    let mut md = format!(
        "---\ntitle: \"{}\"\nlang: {}\ndate: 2022-11-10\n---\n",
        title.replace('\\', "\\\\").replace('"', "\\\""),
        if input.english { "en" } else { "vi" }
    );
    let mut chars = 0;
    for p in input.paragraphs.iter().take(30) {
        let t = text(p);
        chars += t.chars().count();
        md.push_str(&t);
        md.push_str("\n\n");
    }
    let path = anpham_fuzz::sandbox().join("article.md");
    std::fs::write(&path, md.as_bytes()).expect("write the article");
    if let Err(e) = anpham::batch::check(std::slice::from_ref(&path), input.repair) {
        assert!(!e.to_string().is_empty());
        return;
    }
    let (prepared, _) = anpham::input::load_prepared_with(
        std::slice::from_ref(&path),
        anpham::input::LoadOptions::repairing(input.repair),
    )
    .expect("what check loads loads again");

    let mut request = EditionRequest::new();
    request.pdf_scales = vec![FontScale::LARGE];
    if anpham_fuzz::have_braille() {
        request.braille = Some(BraillePlan {
            brf: true,
            pef: true,
            options: anpham_fuzz::braille_options(),
        });
    }
    let talking = anpham_fuzz::have_espeak() && chars <= SPEECH_CHARS;
    if talking {
        request.talking = Some(SpeechOptions::new());
    }
    let editions = match build(&prepared, &request) {
        Ok(e) => e,
        Err(e) if anpham_fuzz::is_missing_braille(&e) => {
            // The other editions must still build (until editions are independent).
            request.braille = None;
            build(&prepared, &request)
                .unwrap_or_else(|e| panic!("checked text does not build: {e}"))
        }
        Err(e) => panic!("checked text does not build: {e}"),
    };
    for e in &editions {
        match e.kind {
            EditionKind::Epub | EditionKind::TalkingEpub => anpham_fuzz::check_epub(&e.bytes),
            EditionKind::Pdf(_) => assert!(e.bytes.starts_with(b"%PDF-")),
            _ => assert!(!e.bytes.is_empty()),
        }
    }
    assert_eq!(
        editions.iter().any(|e| e.kind == EditionKind::TalkingEpub),
        talking
    );
});
