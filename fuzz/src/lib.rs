//! Helpers shared by anpham's fuzz targets: a sandbox folder the readers load from, and
//! the checks every written edition must pass (besides not panicking, hanging or running
//! out of memory, which libFuzzer itself watches).
//!
//! * Readers are fuzzed through the file system, exactly as the CLI reads: the input is
//!   written to a file in a per-process sandbox that also holds small valid images and
//!   articles (so manifests and figures can name them), then loaded with
//!   [`anpham::input::load_prepared`].
//! * Written EPUBs must be ZIP files whose XML documents are all well formed, with no
//!   `script` element and no link other than a relative one or an `http`, `https` or
//!   `mailto` URL: text can never change their structure.
//! * Written PDFs must have a header and a trailer, and every glyph a layout places must
//!   lie inside its page's text area.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anpham::FontScale;
use anpham::Prepared;
use anpham::internals::{EpubOptions, FontSet, PdfOptions, print_edition, write_epub};

/// A small valid PNG (the examples' test picture).
pub const PNG: &[u8] = include_bytes!("../../tests/fixtures/same/img/hills.png");
/// A small valid JPEG.
pub const JPEG: &[u8] = include_bytes!("../../tests/fixtures/images/hills.jpg");

/// The per-process sandbox: `img/a.png`, `img/b.jpg`, articles `a.json`, `b.md`,
/// `c.toml`, and `img/out.png`, a symlink out of the folder.
pub fn sandbox() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("anpham-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("img")).expect("sandbox");
        std::fs::write(dir.join("img/a.png"), PNG).expect("sandbox");
        std::fs::write(dir.join("img/b.jpg"), JPEG).expect("sandbox");
        std::fs::write(
            dir.join("a.json"),
            r#"{"title": "A", "blocks": [{"type": "figure", "src": "img/a.png", "alt": "Đồi"}]}"#,
        )
        .expect("sandbox");
        std::fs::write(
            dir.join("b.md"),
            "---\ntitle: B\n---\nĐoạn *một*.\n\n- x\n  - y\n",
        )
        .expect("sandbox");
        std::fs::write(
            dir.join("c.toml"),
            "title = \"C\"\n[[blocks]]\ntype = \"paragraph\"\ntext = \"Ba\"\n",
        )
        .expect("sandbox");
        #[cfg(unix)]
        let _ = std::os::unix::fs::symlink("/etc/hostname", dir.join("img/out.png"));
        dir
    })
}

/// Writes `data` to `sandbox()/name` and loads it as the CLI would; a loaded publication
/// is also checked for font coverage. Errors must display without panicking.
pub fn load_file(name: &str, data: &[u8]) -> Option<Prepared> {
    let path = sandbox().join(name);
    std::fs::write(&path, data).expect("write fuzz input");
    // Loaded, checked and prepared in one step (`input::load_prepared`).
    let publication = match anpham::input::load_prepared(std::slice::from_ref(&path)) {
        Ok((p, _)) => p,
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
            return None;
        }
    };
    match publication.check_fonts(fonts(true)) {
        Ok(()) => Some(publication),
        Err(e) => {
            let _ = e.to_string();
            None
        }
    }
}

/// The bundled font sets, loaded once.
pub fn fonts(large: bool) -> &'static FontSet {
    static LARGE: OnceLock<FontSet> = OnceLock::new();
    static STANDARD: OnceLock<FontSet> = OnceLock::new();
    if large {
        LARGE.get_or_init(|| FontSet::bundled(true))
    } else {
        STANDARD.get_or_init(|| FontSet::bundled(false))
    }
}

/// Lays out, checks the layout's geometry, and writes the PDF and the EPUB of a
/// validated publication. Panics when an output breaks one of the module's rules.
pub fn build_and_check(p: &Prepared, scale: FontScale) {
    // A5, the bundled fonts for the scale, no date: the defaults.
    let edition = print_edition(p, &PdfOptions::new(scale))
        .expect("a validated publication whose characters are covered lays out and writes a PDF");
    check_geometry(edition.outside_text_area);
    let pdf = edition.pdf;
    assert!(pdf.bytes.starts_with(b"%PDF-"), "no PDF header");
    assert!(
        pdf.bytes.trim_ascii_end().ends_with(b"%%EOF"),
        "no PDF trailer"
    );
    let mut opts = EpubOptions::new(FontScale::STANDARD);
    opts.page_map = Some(pdf.page_map);
    let epub = write_epub(p, &opts).expect("a validated publication writes an EPUB");
    check_epub(&epub);
}

/// Every glyph of every line (furniture included; a trailing space, which draws nothing,
/// excepted) and every image lies inside its page's text area: the library's one check
/// (`PrintEdition::outside_text_area`, from `layout::geometry`), shared with the crate's
/// `pdf::layout_tests`. `outside` is that check's finding.
pub fn check_geometry(outside: Option<String>) {
    if let Some(why) = outside {
        panic!("{why}");
    }
}

/// The EPUB is a ZIP whose XML documents are well formed, hold no `script` element, and
/// link only to relative paths or `http`, `https` and `mailto` URLs.
pub fn check_epub(bytes: &[u8]) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the EPUB is a ZIP");
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("ZIP entry");
        let name = f.name().to_string();
        let is_xml = [".xhtml", ".opf", ".ncx", ".xml"]
            .iter()
            .any(|e| name.ends_with(e));
        if !is_xml {
            continue;
        }
        let mut text = String::new();
        f.read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
        check_xml(&name, &text);
    }
}

/// One XML document: well formed, no `script`, safe links.
pub fn check_xml(name: &str, text: &str) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    let mut roots = 0usize;
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}\n{text}"));
        let element = match &ev {
            Event::Start(e) | Event::Empty(e) => Some(e.clone()),
            _ => None,
        };
        if let Some(e) = element {
            if depth == 0 {
                roots += 1;
            }
            let local = e.local_name();
            assert!(
                !local.as_ref().eq_ignore_ascii_case(b"script"),
                "{name} has a script element"
            );
            for a in e.attributes() {
                let a = a.unwrap_or_else(|err| panic!("{name}: bad attribute: {err}\n{text}"));
                let key = a.key.local_name();
                let v = a
                    .unescape_value()
                    .unwrap_or_else(|err| panic!("{name}: bad attribute value: {err}"));
                assert!(
                    !key.as_ref().to_ascii_lowercase().starts_with(b"on"),
                    "{name} has an event handler attribute"
                );
                if key.as_ref() == b"href" || key.as_ref() == b"src" {
                    assert!(safe_link(&v), "{name}: unsafe link `{v}`");
                }
            }
        }
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => break,
            Event::Text(t) if depth == 0 => assert!(
                t.iter().all(u8::is_ascii_whitespace),
                "{name}: text outside the root element"
            ),
            _ => {}
        }
    }
    assert_eq!(depth, 0, "{name}: unclosed elements");
    assert_eq!(roots, 1, "{name}: {roots} root elements");
}

/// A link is relative (no scheme) or http, https or mailto.
pub fn safe_link(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after a `/`, `?` or `#` is not a scheme.
            if lower[..colon].contains(['/', '?', '#']) {
                return true;
            }
            matches!(&lower[..colon], "http" | "https" | "mailto")
        }
    }
}

/// Covered stand-ins for refused or uncovered characters: Vietnamese letters, Latin,
/// digits, superscripts and fractions, stray punctuation and quotes, combining marks,
/// Greek, markup characters, and characters the braille tables lack (`⁰`, `₫`, `★`).
pub const COVERED: &[char] = &[
    'a', 'ă', 'â', 'đ', 'ệ', 'ở', 'ữ', 'Ỹ', 'Đ', ' ', ' ', ' ', 'x', 'Q', '0', '9', '.', ',', '—',
    '“', '”', '<', '>', '&', '"', '\'', ']', '\u{AD}', '\u{A0}', '\u{301}', '\u{323}', 'ﬁ', 'α',
    '-', '/', '\n', '⁰', '²', '½', '°', '%', '…', '«', '»', '‘', '’', '*', '#', '_', '`', '€', '₫',
    '★', '\u{200B}', '₂',
];

/// `raw` with (when `sanitize`) every character the checks refuse or a bundled font set
/// lacks replaced by one of [`COVERED`] (those both cover), at most `max` characters.
pub fn covered_text(raw: &str, sanitize: bool, max: usize) -> String {
    let large = fonts(true);
    let standard = fonts(false);
    let ok = |c: char| {
        anpham::internals::forbidden_char(c).is_none() && large.covers(c) && standard.covers(c)
    };
    raw.chars()
        .take(max)
        .map(|c| {
            if !sanitize || ok(c) {
                return c;
            }
            let k = c as usize % COVERED.len();
            // The first stand-in from `k` on that both font sets cover.
            (0..COVERED.len())
                .map(|i| COVERED[(k + i) % COVERED.len()])
                .find(|&s| ok(s) || s.is_whitespace())
                .unwrap_or(' ')
        })
        .collect()
}

/// Whether liblouis and the braille tables open (the braille editions are built only then;
/// in CI, where they must, a missing liblouis panics instead).
pub fn have_braille() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = anpham::editions::braille_available().is_ok();
        if !ok && std::env::var_os("CI").is_some() {
            panic!("liblouis is missing in CI: the braille targets would test nothing");
        }
        ok
    })
}

/// Whether espeak-ng runs (the talking book is built only then; in CI a missing espeak-ng
/// panics instead).
pub fn have_espeak() -> bool {
    static HAVE: OnceLock<bool> = OnceLock::new();
    *HAVE.get_or_init(|| {
        let ok = anpham::editions::SpeechOptions::new()
            .espeak_version()
            .is_ok();
        if !ok && std::env::var_os("CI").is_some() {
            panic!("espeak-ng is missing in CI: the talking book would not be fuzzed");
        }
        ok
    })
}

/// Counts the inputs a target ran and those that reached what it tests (`reached`), and
/// prints the two at every power of two of the inputs run (so a log shows whether the
/// target tests anything, or only its refusals).
pub fn tally(target: &str, reached: bool) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RUN: AtomicUsize = AtomicUsize::new(0);
    static REACHED: AtomicUsize = AtomicUsize::new(0);
    let run = RUN.fetch_add(1, Ordering::Relaxed) + 1;
    let reached = REACHED.fetch_add(usize::from(reached), Ordering::Relaxed) + usize::from(reached);
    if run.is_power_of_two() {
        eprintln!("{target}: {reached} of {run} inputs reached what it tests");
    }
}
