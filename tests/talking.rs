//! The talking-book EPUB (`--format talking`) end to end: the real checkers on the
//! example and a 3-article bulletin, byte-identical rebuilds, and the errors (espeak-ng
//! missing, a part the voice cannot speak). Clip times against espeak-ng's sample counts
//! are a unit test (`src/speech/clip_tests.rs`).
//!
//! These tests need espeak-ng. Outside CI a test without it says SKIPPED and passes; in
//! CI (`CI` set) a missing espeak-ng fails it.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use anpham::editions::SpeechOptions;

fn anpham() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anpham"))
}

fn examples() -> PathBuf {
    common::root().join("examples")
}

/// The library's speech options with espeak-ng at `ANPHAM_ESPEAK` when it is set (as the
/// CLI does).
fn speech_options() -> SpeechOptions {
    let mut s = SpeechOptions::new();
    if let Some(program) = std::env::var_os("ANPHAM_ESPEAK") {
        s.espeak_program(PathBuf::from(program));
    }
    s
}

/// Whether espeak-ng can run; `false` (with a SKIPPED line) outside CI when it cannot.
fn have_espeak() -> bool {
    if speech_options().espeak_version().is_ok() {
        return true;
    }
    common::skip::<()>("espeak-ng is not installed (apt-get install espeak-ng)");
    false
}

fn unzip(epub: &Path, name: &str) -> String {
    let f = std::fs::File::open(epub).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut z.by_name(name).unwrap(), &mut s).unwrap();
    s
}

/// Milliseconds of a clock value `H:MM:SS.mmm`.
fn clock_ms(v: &str) -> u64 {
    let (hms, ms) = v.split_once('.').unwrap();
    let p: Vec<u64> = hms.split(':').map(|x| x.parse().unwrap()).collect();
    ((p[0] * 60 + p[1]) * 60 + p[2]) * 1000 + ms.parse::<u64>().unwrap()
}

/// Builds a talking book and checks it with check-epub: EPUBCheck 0/0, Ace 0, a `par`
/// for every sentence element, no clip past the end, no silent audio, the total
/// duration the sum of the overlays'. Returns the check-epub summary.
fn build_and_check(name: &str, input: &Path, docs: usize) -> Option<serde_json::Value> {
    build_and_check_with(name, input, docs, false)
}

/// [`build_and_check`] of a bulletin (`title_page`): its title page is narrated too.
fn build_and_check_with(
    name: &str,
    input: &Path,
    docs: usize,
    title_page: bool,
) -> Option<serde_json::Value> {
    let out = common::out_dir(name);
    let st = anpham()
        .args(["build", "-f", "talking", "-q", "-o"])
        .arg(&out)
        .arg(input)
        .status()
        .unwrap();
    assert!(st.success());
    let stem = input.file_stem().unwrap().to_string_lossy();
    let epub = out.join(format!("{stem}.talking.epub"));
    assert!(
        !out.join(format!("{stem}.epub")).exists(),
        "only the talking book was asked for"
    );

    // Every sentence element is in a par; durations add up.
    let opf = unzip(&epub, "EPUB/package.opf");
    let mut sentences = 0;
    let mut pars = 0;
    let stems: Vec<String> = title_page
        .then(|| "title".to_string())
        .into_iter()
        .chain((1..=docs).map(|i| format!("article-{i:03}")))
        .collect();
    for stem in &stems {
        let xhtml = unzip(&epub, &format!("EPUB/{stem}.xhtml"));
        let smil = unzip(&epub, &format!("EPUB/{stem}.smil"));
        let n = xhtml.matches(" id=\"snt-").count();
        assert!(n > 0, "{stem}: no sentence element");
        sentences += n;
        pars += smil.matches("<par ").count();
        for k in 1..=n {
            assert!(
                smil.contains(&format!("#snt-{k}\"")),
                "{stem}: snt-{k} has no par"
            );
        }
        let href = if stem == "title" { "titlepage" } else { stem };
        assert!(
            opf.contains(&format!(
                "id=\"{href}\" href=\"{stem}.xhtml\" media-type=\"application/xhtml+xml\" media-overlay=\"{stem}-overlay\""
            )),
            "{stem}: no media-overlay on its manifest item"
        );
    }
    assert_eq!(sentences, pars);
    let durations: Vec<u64> = opf
        .lines()
        .filter(|l| l.contains("property=\"media:duration\""))
        .map(|l| clock_ms(l.split('>').nth(1).unwrap().split('<').next().unwrap()))
        .collect();
    assert_eq!(durations.len(), stems.len() + 1);
    let (total, each) = durations.split_last().unwrap();
    assert_eq!(*total, each.iter().sum::<u64>());
    assert!(
        opf.contains("<meta property=\"schema:accessibilityFeature\">synchronizedAudioText</meta>")
    );
    assert!(opf.contains("<meta property=\"schema:accessMode\">auditory</meta>"));
    assert!(opf.contains("<meta property=\"media:active-class\">anpham-narrating</meta>"));
    assert!(unzip(&epub, "EPUB/css/anpham.css").contains(".anpham-narrating"));

    let s = common::run_checker("check-epub", &[&epub])?;
    common::assert_epub_clean(&s, "the talking book", true);
    assert_eq!(s["mo_pars"], pars as u64, "{s}");
    assert_eq!(s["mo_pars_broken"], 0, "{s}");
    assert_eq!(s["mo_clips_past_end_or_empty"], 0, "{s}");
    assert_eq!(s["mo_silent_audio"], 0, "{s}");
    assert_eq!(s["mo_audio_files"], stems.len() as u64, "{s}");
    Some(s)
}

#[test]
fn the_example_talking_book_passes_the_checkers() {
    if !have_espeak() {
        return;
    }
    let Some(s) = build_and_check("talking-example", &examples().join("bac-kan/bac-kan.md"), 1)
    else {
        return;
    };
    // A single article: every word of the document is narrated.
    assert_eq!(s["mo_text_coverage"], 1.0, "{s}");
}

#[test]
fn a_three_article_bulletin_talking_book_passes_the_checkers() {
    if !have_espeak() {
        return;
    }
    let dir = common::out_dir("talking-bulletin-input");
    let ex = examples();
    // The third article with a source line ("Nguồn: URL"), which is narrated too.
    let nfd = std::fs::read_to_string(ex.join("nfd/nfd.toml")).unwrap();
    let sourced = dir.join("nfd-source.toml");
    std::fs::write(
        &sourced,
        nfd.replacen(
            "lang = \"vi\"\n",
            "lang = \"vi\"\nsource_url = \"https://www.baobackan.org.vn/thu-vien-123.htm\"\n",
            1,
        ),
    )
    .unwrap();
    let manifest = dir.join("bulletin-3.toml");
    std::fs::write(
        &manifest,
        format!(
            "title = \"Bản tin ba bài\"\nlang = \"vi\"\ndate = \"2022-11-14\"\n\
             publisher = \"Cổng Thông tin điện tử tỉnh Bắc Kạn\"\n\
             articles = [{:?}, {:?}, {:?}]\n",
            ex.join("bac-kan/bac-kan.md"),
            ex.join("english/english.json"),
            sourced
        ),
    )
    .unwrap();
    let Some(s) = build_and_check_with("talking-bulletin", &manifest, 3, true) else {
        return;
    };
    let epub =
        common::root().join("target/test-out/talking/talking-bulletin/bulletin-3.talking.epub");
    let third = unzip(&epub, "EPUB/article-003.xhtml");
    assert!(
        third.contains("<p class=\"source\"><span id=\"snt-"),
        "the source line is a sentence element"
    );
    // The title page and the source lines are narrated too: every word of the spine's
    // content documents (the contents page, a list of links, is not counted).
    assert_eq!(s["mo_text_coverage"], 1.0, "{s}");
}

#[test]
fn talking_books_rebuild_byte_identical() {
    if !have_espeak() {
        return;
    }
    let input = examples().join("nfd/nfd.toml");
    let mut bytes = Vec::new();
    for name in ["talking-rebuild-1", "talking-rebuild-2"] {
        let out = common::out_dir(name);
        let st = anpham()
            .args([
                "build",
                "-f",
                "talking",
                "-q",
                "-j",
                if bytes.is_empty() { "1" } else { "2" },
                "-o",
            ])
            .arg(&out)
            .arg(&input)
            .status()
            .unwrap();
        assert!(st.success());
        bytes.push(std::fs::read(out.join("nfd.talking.epub")).unwrap());
    }
    assert!(bytes[0] == bytes[1], "two builds differ");
}

#[test]
fn without_espeak_the_talking_book_fails_clearly_and_the_other_editions_are_built() {
    let out = common::out_dir("talking-no-espeak");
    let r = anpham()
        .env("ANPHAM_ESPEAK", "/nonexistent/espeak-ng")
        .args(["build", "-f", "epub,talking", "-q", "-o"])
        .arg(&out)
        .arg(examples().join("nfd/nfd.toml"))
        .output()
        .unwrap();
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("needs the espeak-ng program"), "{err}");
    assert!(err.contains("apt-get install espeak-ng"), "{err}");
    assert!(out.join("nfd.epub").exists(), "the EPUB is still built");
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["nfd.epub"], "no talking book, no partial file");
}

#[test]
fn a_part_with_nothing_to_say_is_shown_without_audio_and_named() {
    if !have_espeak() {
        return;
    }
    let out = common::out_dir("talking-unspeakable");
    let r = anpham()
        .args(["build", "-f", "talking", "-q", "-o"])
        .arg(&out)
        .arg(examples().join("escaping/escaping.json"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{err}");
    assert!(
        err.contains("blocks[5].items[2]: talking book: “]]>]]>]]>” has nothing to say; it is shown without audio"),
        "{err}"
    );
    let epub = out.join("escaping.talking.epub");
    let xhtml = unzip(&epub, "EPUB/article-001.xhtml");
    assert!(
        xhtml.contains("]]&gt;]]&gt;]]&gt;"),
        "the text stays on the page"
    );
    check_talking_book(&epub);
}

/// Paragraphs of stray punctuation, as scraped text has them (issue #30): `'.` and `/.`
/// alone, before and after a sentence, and a whole list item; the real espeak-ng.
#[test]
fn stray_punctuation_joins_its_sentence_or_is_shown_without_audio() {
    if !have_espeak() {
        return;
    }
    let dir = common::out_dir("talking-stray-input");
    let input = dir.join("stray.md");
    std::fs::write(
        &input,
        "---\ntitle: Tin có dấu lạc\nlang: vi\ndate: 2022-11-10\n---\n\n\
         Hội nghị diễn ra sáng nay.\n\n'.\n\n/.\n\n\
         Đại biểu thảo luận về ngân sách. '.\n\n\
         /. Kết quả được công bố ngay.\n\n- …\n- Mục hai.\n",
    )
    .unwrap();
    let out = common::out_dir("talking-stray");
    let r = anpham()
        .args(["build", "-f", "epub,talking", "-q", "-o"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(r.status.success(), "{err}");
    for (place, what) in [
        (
            "blocks[1]",
            "“'.” has nothing to say; it is shown without audio",
        ),
        (
            "blocks[2]",
            "“/.” has nothing to say; it is shown without audio",
        ),
        (
            "blocks[3]",
            "“'.” has nothing to say; it is read with the sentence beside it",
        ),
        (
            "blocks[4]",
            "“/.” has nothing to say; it is read with the sentence beside it",
        ),
        (
            "blocks[5].items[0]",
            "“…” has nothing to say; it is shown without audio",
        ),
    ] {
        assert!(
            err.contains(&format!("stray.md: {place}: talking book: {what}")),
            "{place}: {err}"
        );
    }
    assert_eq!(err.matches("warning:").count(), 5, "{err}");
    let epub = out.join("stray.talking.epub");
    let xhtml = unzip(&epub, "EPUB/article-001.xhtml");
    // Joined: one sentence element holds the sentence and its stray fragment.
    assert!(
        xhtml.contains("thảo luận về ngân sách. &#39;.</span>")
            || xhtml.contains("thảo luận về ngân sách. '.</span>"),
        "{xhtml}"
    );
    // Shown without audio: the paragraph stays, with no sentence element.
    assert!(xhtml.contains("<p>/.</p>"), "{xhtml}");
    // The talking book is a different publication from the EPUB, made from it.
    let talking_opf = unzip(&epub, "EPUB/package.opf");
    let plain_opf = unzip(&out.join("stray.epub"), "EPUB/package.opf");
    let id = |opf: &str, tag: &str| {
        let at = opf.find(tag).unwrap_or_else(|| panic!("no {tag}: {opf}"));
        let rest = &opf[at..];
        rest[rest.find('>').unwrap() + 1..rest.find("</").unwrap()].to_string()
    };
    let epub_id = id(&plain_opf, "<dc:identifier");
    assert_ne!(id(&talking_opf, "<dc:identifier"), epub_id);
    assert_eq!(id(&talking_opf, "<dc:source"), epub_id);
    assert!(!plain_opf.contains("<dc:source"));
    check_talking_book(&epub);
}

/// check-epub on a talking book: EPUBCheck 0/0, Ace 0, no broken `par`, no clip past the
/// end, no silent audio.
fn check_talking_book(epub: &Path) {
    let Some(s) = common::run_checker("check-epub", &[epub]) else {
        return;
    };
    common::assert_epub_clean(&s, "the talking book", true);
    assert_eq!(s["mo_pars_broken"], 0, "{s}");
    assert_eq!(s["mo_clips_past_end_or_empty"], 0, "{s}");
    assert_eq!(s["mo_silent_audio"], 0, "{s}");
}
