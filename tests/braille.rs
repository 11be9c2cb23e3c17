//! The braille edition end to end: BRF and PEF built with the EPUB and PDF in one run, checked
//! by `check-braille` (geometry, characters, PEF schema, words back from g0 back-translation),
//! and print page indicators equal to the large-print PDF's page map.

use std::path::Path;

use crate::common::{self, root, run_checker};
use anpham::braille::{BrailleOptions, write_braille};
use anpham::pagemap::TextAnchor;
use anpham::pdf::PdfOptions;
use anpham::{FontScale, Publication, input};
use assert_cmd::Command;

/// Whether Vietnamese braille can be written here: liblouis loads (else SKIPPED, a failure in
/// CI) and the Vietnamese tables found pass anpham's capitals check (else SKIPPED: liblouis
/// < 3.25's tables, as Debian 12's, are refused).
fn vietnamese_braille() -> bool {
    if let Err(e) = anpham::braille::louis::available() {
        return common::skip::<()>(&e.to_string()).is_some();
    }
    let md = root().join("examples/bac-kan/bac-kan.md");
    let (p, _) = input::load_prepared(&[md]).unwrap();
    match write_braille(&p, None, &BrailleOptions::default()) {
        Ok(_) => true,
        Err(e) => {
            let why = e.to_string();
            let why = why.lines().next().unwrap_or_default();
            eprintln!("SKIPPED: Vietnamese tables not available ({why})");
            false
        }
    }
}

fn anpham() -> Command {
    Command::cargo_bin("anpham").unwrap()
}

/// The words a reader should find: each article's text as the EPUB reads it.
fn expected(p: &Publication, path: &Path) {
    let mut s = String::new();
    for a in &p.articles {
        s.push_str(&Publication::single(a.clone()).reading_text());
    }
    std::fs::write(path, s).unwrap();
}

fn check(file: &Path, expected: &Path, cols: usize, rows: usize) {
    let (c, r) = (cols.to_string(), rows.to_string());
    let args: Vec<&Path> = vec![
        Path::new("--cols"),
        Path::new(&c),
        Path::new("--rows"),
        Path::new(&r),
        file,
        expected,
    ];
    let Some(v) = run_checker("check-braille", &args) else {
        return;
    };
    eprintln!("{v}");
    if file.extension().is_some_and(|e| e == "pef") {
        assert_eq!(v["pef_schema_valid"], true, "{v}");
        for k in ["format", "identifier", "title", "language", "format_is_pef"] {
            assert_eq!(v["pef_meta"][k], true, "{k}: {v}");
        }
        assert_eq!(v["rows_over_cols"], 0, "{v}");
        assert_eq!(v["pages_over_rows"], 0, "{v}");
        assert_eq!(v["bad_cells"], 0, "{v}");
        assert_eq!(v["cols"], cols, "{v}");
        assert_eq!(v["rows"], rows, "{v}");
    } else {
        assert_eq!(v["bad_chars"], 0, "{v}");
        assert_eq!(v["bare_line_ends"], 0, "{v}");
        assert_eq!(v["over_width"], false, "{v}");
        assert_eq!(v["over_length"], false, "{v}");
        assert_eq!(v["form_feeds"], v["pages"], "{v}");
    }
    let recall = v["word_recall"].as_f64().unwrap();
    assert!(recall >= 0.99, "word recall {recall}: {v}");
}

/// The example article: EPUB, PDF, BRF and PEF in one run; check-braille passes both files.
#[test]
fn example_builds_brf_and_pef_with_epub_and_pdf() {
    if !vietnamese_braille() {
        return;
    }
    let out = common::out_dir("braille-example");
    let md = root().join("examples/bac-kan/bac-kan.md");
    anpham()
        .args(["build", "--format", "epub,pdf,brf,pef", "-o"])
        .arg(&out)
        .arg(&md)
        .assert()
        .success();
    for f in [
        "bac-kan.epub",
        "bac-kan.large.pdf",
        "bac-kan.brf",
        "bac-kan.pef",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let (p, _) = input::load_publication(&[md]).unwrap();
    let exp = out.join("expected.txt");
    expected(&p, &exp);
    check(&out.join("bac-kan.brf"), &exp, 40, 25);
    check(&out.join("bac-kan.pef"), &exp, 40, 25);
}

/// A bulletin asking for braille in its manifest, at another page size, in several volumes.
#[test]
fn bulletin_manifest_builds_braille_volumes() {
    if !vietnamese_braille() {
        return;
    }
    let out = common::out_dir("braille-bulletin");
    let md = root().join("examples/bac-kan/bac-kan.md");
    let list: Vec<String> = (0..6)
        .map(|_| format!("{:?}", md.display().to_string()))
        .collect();
    let manifest = out.join("bulletin.toml");
    std::fs::write(
        &manifest,
        format!(
            "title = \"Bản tin\"\ndate = \"2022-11-14\"\nlang = \"vi\"\narticles = [{}]\n\n[editions]\nepub = false\npdf = [\"large\"]\nbraille = [\"brf\", \"pef\"]\n",
            list.join(", ")
        ),
    )
    .unwrap();
    anpham()
        .args([
            "build",
            "--braille-page",
            "32x28",
            "--braille-volume-sheets",
            "30",
            "-o",
        ])
        .arg(&out)
        .arg(&manifest)
        .assert()
        .success();
    let pef = std::fs::read_to_string(out.join("bulletin.pef")).unwrap();
    assert!(pef.matches("<volume ").count() >= 2, "several volumes");
    let (p, _) = input::load_publication(&[manifest]).unwrap();
    let exp = out.join("expected.txt");
    expected(&p, &exp);
    check(&out.join("bulletin.brf"), &exp, 32, 28);
    check(&out.join("bulletin.pef"), &exp, 32, 28);
}

/// The braille's print page indicators are the large-print PDF's pages, in order.
#[test]
fn print_page_indicators_equal_the_pdf_page_map() {
    if !vietnamese_braille() {
        return;
    }
    let md = root().join("examples/bac-kan/bac-kan.md");
    let (p, _) = input::load_prepared(&[md]).unwrap();
    let pdf = anpham::editions::pdf(&p, &PdfOptions::new(FontScale::LARGE)).unwrap();
    let out = write_braille(&p, Some(&pdf.page_map), &BrailleOptions::default()).unwrap();
    let pdf_labels: Vec<&str> = pdf
        .page_map
        .pages
        .iter()
        .filter(|s| matches!(s.anchor, TextAnchor::Article { .. }))
        .map(|s| s.label.as_str())
        .collect();
    assert!(pdf_labels.len() > 5);
    assert_eq!(out.print_pages, pdf_labels);
    // Each indicator is one line of the pages, in the same order.
    let lines = out
        .volumes
        .iter()
        .flat_map(|v| &v.pages)
        .flatten()
        .filter(|l| l.starts_with(&"\u{2824}".repeat(10)))
        .count();
    assert_eq!(lines, pdf_labels.len());
}

/// Text with no braille stops the edition with its place, and no file is written.
#[test]
fn untranslatable_character_leaves_no_file() {
    if !vietnamese_braille() {
        return;
    }
    let out = common::out_dir("braille-untranslatable");
    let md = out.join("bad.md");
    std::fs::write(&md, "---\ntitle: Giá\nlang: vi\n---\n\nGiá 5 \u{20BF}.\n").unwrap();
    let assert = anpham()
        .args(["build", "--format", "brf,pef", "-o"])
        .arg(&out)
        .arg(&md)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("bad.md") && err.contains("block 1") && err.contains("U+20BF"),
        "{err}"
    );
    assert!(!out.join("bad.brf").exists() && !out.join("bad.pef").exists());
}
