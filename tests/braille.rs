//! The braille edition end to end: BRF and PEF built with the EPUB and PDF in one run, checked
//! by `check-braille` (geometry, characters, PEF schema, words back from g0 back-translation
//! with upstream liblouis's tables) and read back with anpham's own tables (capitals
//! included), and print page indicators equal to the large-print PDF's page map. Nothing but
//! the repository and the system's liblouis: no environment variable, no table folder.

use std::path::{Path, PathBuf};

use crate::common::{self, root, run_checker};
use anpham::internals::{BrailleGrade as Grade, read_back};
use anpham::{Publication, input};
use assert_cmd::Command;
use unicode_normalization::UnicodeNormalization;

/// Whether liblouis loads here (else SKIPPED with the reason, a failure in CI). The
/// Vietnamese tables need nothing more: anpham ships them.
fn liblouis() -> bool {
    match anpham::editions::braille_available() {
        Ok(()) => true,
        Err(e) => common::skip::<()>(&e.to_string()).is_some(),
    }
}

fn anpham() -> Command {
    Command::cargo_bin("anpham").unwrap()
}

/// The words a reader should find: each article's text as the EPUB reads it.
fn expected(p: &Publication, path: &Path) -> String {
    let mut s = String::new();
    for a in &p.articles {
        s.push_str(&Publication::single(a.clone()).reading_text());
    }
    std::fs::write(path, &s).unwrap();
    s
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

/// Words as a reader compares them: NFC, punctuation dropped, the tone mark of a syllable
/// moved to its end ("hoá" and "hóa" are one word), case kept.
fn words(s: &str) -> Vec<String> {
    const TONES: &[char] = &['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    s.split(|c: char| !c.is_alphanumeric() && !unicode_normalization::char::is_combining_mark(c))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let d: String = w.nfd().collect();
            let base: String = d.chars().filter(|c| !TONES.contains(c)).nfc().collect();
            let tones: String = d.chars().filter(|c| TONES.contains(c)).collect();
            base + &tones
        })
        .collect()
}

/// The rows of a PEF, in order (Unicode braille).
fn pef_rows(pef: &str) -> Vec<String> {
    pef.split("<row>")
        .skip(1)
        .map(|r| r.split("</row>").next().unwrap_or("").to_string())
        .collect()
}

/// The share of `expected`'s words, case and all, found in order in the braille read back
/// with anpham's own Vietnamese grade 0 table; and the words missed.
fn own_recall(pef: &Path, expected: &str) -> (f64, Vec<String>) {
    let rows = pef_rows(&std::fs::read_to_string(pef).unwrap());
    // The rows joined by blank cells (a row ends at a blank cell except in a divided word).
    let braille: Vec<&str> = rows.iter().map(String::as_str).collect();
    let back = read_back("vi", Grade::G0, &[], &braille.join("\u{2800}")).unwrap();
    let want = words(expected);
    let got = words(&back);
    // The longest common subsequence of the two word lists: what braille adds (running
    // heads, page numbers, notes, contents) are insertions.
    let (n, m) = (want.len(), got.len());
    let mut lcs = vec![0u16; (n + 1) * (m + 1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * (m + 1) + j] = if want[i] == got[j] {
                lcs[(i + 1) * (m + 1) + j + 1] + 1
            } else {
                lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
            };
        }
    }
    let (mut i, mut j, mut missed) = (0, 0, Vec::new());
    while i < n {
        if j < m && want[i] == got[j] {
            i += 1;
            j += 1;
        } else if j < m && lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j] {
            j += 1;
        } else {
            missed.push(want[i].clone());
            i += 1;
        }
    }
    let found = n - missed.len();
    (found as f64 / want.len().max(1) as f64, missed)
}

/// The example article: EPUB, PDF, BRF and PEF in one run, with no configuration;
/// check-braille passes both files, and anpham's tables read back ≥ 99 % of the words with
/// their capitals.
#[test]
fn example_builds_brf_and_pef_with_epub_and_pdf() {
    if !liblouis() {
        return;
    }
    let out = common::out_dir("braille-example");
    let md = root().join("examples/bac-kan/bac-kan.md");
    anpham()
        .env_remove("ANPHAM_BRAILLE_TABLES")
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
    let text = expected(&p, &exp);
    check(&out.join("bac-kan.brf"), &exp, 40, 25);
    check(&out.join("bac-kan.pef"), &exp, 40, 25);
    let (recall, missed) = own_recall(&out.join("bac-kan.pef"), &text);
    eprintln!("example, anpham's tables: {recall:.4} of the words back, missed {missed:?}");
    assert!(recall >= 0.99, "{recall}: {missed:?}");
    assert!(!missed.iter().any(|w| w == "Kạn"), "{missed:?}");
}

/// A 6-article Vietnamese bulletin of the repository's examples and a test article of
/// foreign names, asking for braille in its manifest, at another page size, in several
/// volumes: check-braille passes both files; anpham's tables read back ≥ 99 % of the words
/// with their capitals, every name with f, j, w or z included.
#[test]
fn bulletin_of_six_articles_reads_back() {
    if !liblouis() {
        return;
    }
    let out = common::out_dir("braille-bulletin");
    let articles = [
        "examples/bac-kan/bac-kan.md",
        "examples/nfd/nfd.toml",
        "examples/escaping/escaping.json",
        "examples/long-token/long-token.json",
        "tests/data/braille/ten-nuoc-ngoai.md",
        "examples/bac-kan/bac-kan.md",
    ];
    let list: Vec<String> = articles
        .iter()
        .map(|a| format!("{:?}", root().join(a).display().to_string()))
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
    assert_eq!(p.articles.len(), 6);
    let exp = out.join("expected.txt");
    let text = expected(&p, &exp);
    check(&out.join("bulletin.brf"), &exp, 32, 28);
    check(&out.join("bulletin.pef"), &exp, 32, 28);
    let (recall, missed) = own_recall(&out.join("bulletin.pef"), &text);
    eprintln!(
        "bulletin, anpham's tables: {recall:.4} of {} words back, missed {missed:?}",
        words(&text).len()
    );
    assert!(recall >= 0.99, "{recall}: {missed:?}");
    for name in [
        "Justin",
        "Jack",
        "Jennifer",
        "Jakarta",
        "Jonas",
        "Jones",
        "Frank",
        "Freeman",
        "Frankfurt",
        "Fiona",
        "Fansipan",
        "Walker",
        "Walter",
        "Wong",
        "Warszawa",
        "Zhang",
        "Zimmermann",
        "Zurich",
        "Zambia",
        "Zoe",
        "Kạn",
    ] {
        assert!(!missed.iter().any(|w| w == name), "{name}: {missed:?}");
    }
    // Words in capitals: liblouis ≥ 3.25's tables read ⠸ + a letter that has a Greek capital
    // (F: Φ, W: Ω) as Greek (docs/braille.md); 3.24's do not.
    if anpham::internals::liblouis_version().starts_with("3.24") {
        for name in ["JSC", "JICA", "FAO", "WWF", "WHO"] {
            assert!(!missed.iter().any(|w| w == name), "{name}: {missed:?}");
        }
    }
}

/// Text with characters the table lacks is written with their fallbacks (issue #30): the
/// files are made, and each character is a warning naming its place.
#[test]
fn character_without_braille_is_written_with_a_warning() {
    if !liblouis() {
        return;
    }
    let out = common::out_dir("braille-fallback");
    let md = out.join("gia.md");
    std::fs::write(
        &md,
        "---\ntitle: Giá\nlang: vi\n---\n\nGiá 5 \u{20BF}, trời 30\u{2070}C, \u{FB01}le \u{BD} kg.\n",
    )
    .unwrap();
    let assert = anpham()
        .args(["build", "--format", "brf,pef", "-o"])
        .arg(&out)
        .arg(&md)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for c in ["U+20BF", "U+2070", "U+FB01"] {
        assert!(
            err.lines().any(|l| l.starts_with("warning:")
                && l.contains("gia.md")
                && l.contains("block 1")
                && l.contains(c)),
            "{c}: {err}"
        );
    }
    assert!(out.join("gia.brf").is_file() && out.join("gia.pef").is_file());
    let rows = pef_rows(&std::fs::read_to_string(out.join("gia.pef")).unwrap());
    let braille: String = rows.iter().map(|r| format!("{r}\u{2800}")).collect();
    let back = read_back("vi", Grade::G0, &[], &braille).unwrap();
    assert!(
        back.contains("5 bitcoin") && back.contains("file"),
        "{back}"
    );
}

/// `--braille-tables DIR`: a folder of the user's own tables comes first; Vietnamese tables
/// there that do not read back are refused, naming the folder.
#[test]
fn own_tables_that_fail_the_probe_are_refused() {
    if !liblouis() {
        return;
    }
    let out = common::out_dir("braille-own-tables");
    let tables: PathBuf = out.join("tables");
    std::fs::create_dir_all(&tables).unwrap();
    // liblouis 3.24's own table (every liblouis up to 3.39 reads capital J back as "⦵").
    let system = Path::new("/usr/share/liblouis/tables/vi-vn-g0.utb");
    std::fs::write(
        tables.join("vi-vn-g0.utb"),
        format!("include {}\n", system.display()),
    )
    .unwrap();
    let md = root().join("examples/bac-kan/bac-kan.md");
    let assert = anpham()
        .args(["build", "--format", "brf", "--braille-tables"])
        .arg(&tables)
        .arg("-o")
        .arg(&out)
        .arg(&md)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    if system.is_file() {
        assert!(
            err.contains(&tables.display().to_string()) && err.contains("read back"),
            "{err}"
        );
    }
    assert!(!out.join("bac-kan.brf").exists());
}
