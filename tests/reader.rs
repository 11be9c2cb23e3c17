//! Reads the PDFs as a page-by-page screen reader does: pdf.js (the PDF viewer of
//! Firefox, `tests/pdfjs/read-pages.mjs`) builds the structure tree of each page and the
//! text of its marked content, and the reader walks one page's tree, then the next.
//!
//! Two rules, on articles with several photos at every scale on A4 and A5 and on a
//! fixture with six long captions (`tests/fixtures/reader/six-captions`):
//!
//! * **no caption read inside a sentence**: the text read just before a figure's caption
//!   ends where a sentence of its part ends (`address::sentences`), so a floated figure
//!   never splits what the listener hears in the middle of a sentence;
//! * **every caption on its image's page**: on every page, a caption's element shares its
//!   `Div` with the figure's image, bar the captions that run on with a warning
//!   (`Layout::warnings`).
//!
//! Needs node and `tests/pdfjs/node_modules` (`(cd tests/pdfjs && npm ci --omit=optional)`):
//! outside CI the tests skip with a reason when they are missing, in CI they fail.
//!
//! `ANPHAM_READER_PDF=FILE.pdf ANPHAM_READER_INPUT=PATH cargo test --test reader --
//! --ignored --nocapture` judges a PDF made from PATH by any anpham (the evaluation on
//! real articles, before and after: docs/font-scales.md).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anpham::FontScale;
use anpham::input::load_prepared;
use anpham::internals::{PdfOptions, print_edition, sentences};
use anpham::model::PageSizeName;
use anpham::model::{Article, Block, Publication};
use anpham::{Prepared, prepare};

use crate::common;

/// One structure element holding content on a page, as pdf.js gives it.
#[derive(Debug, Clone)]
struct Element {
    role: String,
    text: String,
    group: i64,
}

/// The pages of a PDF, each the elements its tree walk meets, in order; `None` (after
/// saying why) when node or pdf.js is missing outside CI.
fn read_pages(pdf: &Path) -> Option<Vec<Vec<Element>>> {
    let dir = common::root().join("tests").join("pdfjs");
    let missing = |why: String| common::skip(&format!("the page-by-page reader cannot run: {why}"));
    if !dir.join("node_modules").join("pdfjs-dist").is_dir() {
        return missing(format!(
            "{} has no node_modules/pdfjs-dist (run `npm ci --omit=optional` there)",
            dir.display()
        ));
    }
    let out = match Command::new("node")
        .arg(dir.join("read-pages.mjs"))
        .arg(pdf)
        .output()
    {
        Ok(o) => o,
        Err(e) => return missing(format!("node: {e}")),
    };
    assert!(
        out.status.success(),
        "read-pages.mjs failed on {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("reader JSON");
    let pages = v["pages"].as_array().expect("pages");
    Some(
        pages
            .iter()
            .map(|p| {
                p.as_array()
                    .expect("a page")
                    .iter()
                    .map(|e| Element {
                        role: e["role"].as_str().unwrap_or_default().to_string(),
                        text: e["text"].as_str().unwrap_or_default().to_string(),
                        group: e["group"].as_i64().unwrap_or(-1),
                    })
                    .collect()
            })
            .collect(),
    )
}

/// Text without white space (lines are joined differently by the reader and the model).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The ends of every sentence of every part of the publication (their last characters,
/// white space left out), as `address::sentences` cuts them.
fn sentence_ends(p: &Publication) -> HashSet<String> {
    let mut ends = HashSet::new();
    for sentence in sentences(p) {
        let s = squeeze(&sentence);
        let tail: String = s
            .chars()
            .rev()
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        ends.insert(tail);
    }
    ends
}

/// Whether `text`, the part of an element read on one page, ends where a sentence ends
/// (a fragment shorter than the ends kept is compared with their last characters).
fn ends_a_sentence(text: &str, ends: &HashSet<String>) -> bool {
    let s = squeeze(text);
    ends.iter()
        .any(|e| s.ends_with(e.as_str()) || e.ends_with(s.as_str()))
}

/// What a page-by-page reader hears wrong in one PDF.
#[derive(Debug, Default)]
struct Findings {
    captions: usize,
    /// Captions read inside a sentence: the page and the last words before them.
    inside_sentence: Vec<String>,
    /// Pieces of captions on a page without their image.
    off_page: Vec<String>,
    /// Captions that run on from their image's page (each may be off its page on more
    /// than one page).
    run_ons: usize,
}

fn tail(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    words[words.len().saturating_sub(8)..].join(" ")
}

fn judge(pages: &[Vec<Element>], ends: &HashSet<String>) -> Findings {
    let mut f = Findings::default();
    // The last text element read before the current one, across pages.
    let mut last_text: Option<(usize, &Element)> = None;
    // Whether the caption piece read last was on its image's page.
    let mut last_caption_with_image = false;
    for (pi, page) in pages.iter().enumerate() {
        for (k, e) in page.iter().enumerate() {
            match e.role.as_str() {
                "Caption" => {
                    // The first caption piece of its figure on this page.
                    let opens_group =
                        k == 0 || !(page[k - 1].role == "Caption" && page[k - 1].group == e.group);
                    let has_image = page
                        .iter()
                        .any(|x| x.role == "Figure" && x.group == e.group);
                    if has_image {
                        f.captions += 1;
                    } else {
                        f.run_ons += usize::from(last_caption_with_image);
                        f.off_page.push(format!(
                            "page {}: caption without its image: “{}…”",
                            pi + 1,
                            e.text.chars().take(60).collect::<String>()
                        ));
                    }
                    last_caption_with_image = has_image;
                    if opens_group
                        && has_image
                        && let Some((lp, l)) = last_text
                        && !ends_a_sentence(&l.text, ends)
                    {
                        f.inside_sentence.push(format!(
                            "page {}: “…{}” [caption “{}…”]{}",
                            lp + 1,
                            tail(&l.text),
                            e.text.chars().take(50).collect::<String>(),
                            if lp == pi { "" } else { " on the next page" }
                        ));
                    }
                }
                "Figure" => {
                    // A figure opening a group is judged through its caption.
                    let caption_follows = page
                        .get(k + 1)
                        .is_some_and(|n| n.role == "Caption" && n.group == e.group);
                    if !caption_follows
                        && let Some((lp, l)) = last_text
                        && !ends_a_sentence(&l.text, ends)
                        && page
                            .iter()
                            .all(|x| x.role != "Caption" || x.group != e.group)
                    {
                        f.inside_sentence.push(format!(
                            "page {}: “…{}” [figure without caption]",
                            lp + 1,
                            tail(&l.text)
                        ));
                    }
                }
                "Lbl" | "Artifact" => {}
                _ if !e.text.is_empty() => {
                    last_text = Some((pi, e));
                    last_caption_with_image = false;
                }
                _ => {}
            }
        }
    }
    f
}

/// Lays out and writes one PDF of `p`, reads it page by page and judges it: the findings
/// and the number of caption run-ons the layout warned about; `None` when the reader
/// cannot run here.
fn read_edition(
    p: &Prepared,
    scale: FontScale,
    size: PageSizeName,
    out: &Path,
    name: &str,
) -> Option<(Findings, usize, usize)> {
    let mut options = PdfOptions::new(scale);
    options.page_size = size;
    let edition = print_edition(p, &options).expect("pdf");
    let pdf = edition.pdf;
    let file = out.join(format!("{name}.{}.{size:?}.pdf", scale.body_pt()));
    std::fs::write(&file, &pdf.bytes).expect("write pdf");
    let pages = read_pages(&file)?;
    assert_eq!(pages.len(), pdf.pages, "{}", file.display());
    Some((
        judge(&pages, &sentence_ends(p)),
        edition.warnings.len(),
        pdf.pages,
    ))
}

const SCALES: [i8; 9] = [-2, -1, 0, 1, 2, 3, 4, 5, 6];

/// Reads `p` at every scale on A4 and A5 and fails on any caption read inside a sentence
/// and on any caption off its image's page that no warning announced.
fn check_every_scale(p: &Prepared, name: &str) {
    let out = common::out_dir(&format!("reader-{name}"));
    let mut problems = Vec::new();
    let mut captions = 0;
    for size in [PageSizeName::A5, PageSizeName::A4] {
        for step in SCALES {
            let scale = FontScale::step(step);
            let Some((f, warned, _)) = read_edition(p, scale, size, &out, name) else {
                return;
            };
            captions += f.captions;
            let at = format!("{name}, {} pt {size:?}", scale.body_pt());
            for s in &f.inside_sentence {
                problems.push(format!("{at}: caption read inside a sentence: {s}"));
            }
            // Only a caption the layout warned about may run on (over one page or more).
            if f.run_ons > warned || (warned == 0 && !f.off_page.is_empty()) {
                for s in &f.off_page {
                    problems.push(format!(
                        "{at}: {s} ({} run-ons, {warned} warned)",
                        f.run_ons
                    ));
                }
            }
        }
    }
    assert!(captions > 0, "{name}: no caption was read at all");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn load(path: &Path) -> Prepared {
    load_prepared(&[path.to_path_buf()]).expect("load").0
}

/// The example article with its three photos repeated after every other paragraph:
/// more figures than a page holds, at every scale.
fn many_photos() -> Prepared {
    let example = load(&common::root().join("examples/bac-kan/bac-kan.md"));
    let a = &example.articles[0];
    let figures: Vec<Block> = a
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Figure(_)))
        .cloned()
        .collect();
    let mut b = Article::new(format!("{} (nhiều ảnh)", a.title));
    b.lead = a.lead.clone();
    b.lang = a.lang.clone();
    let mut k = 0;
    for (i, block) in a
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::Figure(_)))
        .enumerate()
    {
        b.blocks.push(block.clone());
        if i % 2 == 1 {
            b.blocks.push(figures[k % figures.len()].clone());
            k += 1;
        }
    }
    prepare(Publication::single(b)).expect("prepare")
}

#[test]
fn the_example_is_read_page_by_page_without_a_caption_inside_a_sentence() {
    check_every_scale(
        &load(&common::root().join("examples/bac-kan/bac-kan.md")),
        "bac-kan",
    );
}

#[test]
fn many_photos_are_read_page_by_page_without_a_caption_inside_a_sentence() {
    check_every_scale(&many_photos(), "many-photos");
}

#[test]
fn six_long_captions_are_read_with_their_images() {
    let p = load(&common::root().join("tests/fixtures/reader/six-captions/six-captions.json"));
    check_every_scale(&p, "six-captions");
}

/// The judge itself: a made-up page walk with a caption inside a sentence and a caption
/// alone on a page is found out (so the tests above can fail).
#[test]
fn the_judge_finds_a_caption_inside_a_sentence_and_off_its_page() {
    let ends: HashSet<String> = ["Câumột.", "Câuhai."]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let el = |role: &str, text: &str, group| Element {
        role: role.into(),
        text: text.into(),
        group,
    };
    let pages = vec![
        vec![el("P", "Câu một. Câu", 1)],
        vec![
            el("Figure", "", 2),
            el("Caption", "Ảnh", 2),
            el("P", "hai.", 1),
        ],
        vec![el("Caption", "tiếp", 3)],
    ];
    let f = judge(&pages, &ends);
    assert_eq!(f.inside_sentence.len(), 1, "{f:?}");
    assert!(f.inside_sentence[0].contains("Câu một. Câu"), "{f:?}");
    assert_eq!(f.off_page.len(), 1, "{f:?}");
    assert_eq!(
        f.run_ons, 0,
        "a caption piece after text is no run-on: {f:?}"
    );
    let pages = vec![
        vec![el("P", "Câu một.", 1)],
        vec![
            el("Figure", "", 2),
            el("Caption", "Ảnh", 2),
            el("P", "Câu hai.", 1),
        ],
    ];
    let f = judge(&pages, &ends);
    assert!(
        f.inside_sentence.is_empty() && f.off_page.is_empty(),
        "{f:?}"
    );
}

/// Judges one PDF made by any anpham from the inputs it was made from:
/// `ANPHAM_READER_PDF=FILE.pdf ANPHAM_READER_INPUT=PATH` (a folder, manifest or article).
#[test]
#[ignore = "evaluation: needs ANPHAM_READER_PDF and ANPHAM_READER_INPUT"]
fn judge_a_pdf_given_on_the_command_line() {
    let (Some(pdf), Some(input)) = (
        std::env::var_os("ANPHAM_READER_PDF"),
        std::env::var_os("ANPHAM_READER_INPUT"),
    ) else {
        panic!("set ANPHAM_READER_PDF and ANPHAM_READER_INPUT");
    };
    let p = load(&PathBuf::from(input));
    let pages = read_pages(Path::new(&pdf)).expect("the reader runs");
    let f = judge(&pages, &sentence_ends(&p));
    for s in f.inside_sentence.iter().chain(&f.off_page) {
        println!("{s}");
    }
    println!(
        "{{\"pages\": {}, \"captions_on_their_page\": {}, \"inside_sentence\": {}, \"off_page\": {}, \"run_ons\": {}}}",
        pages.len(),
        f.captions,
        f.inside_sentence.len(),
        f.off_page.len(),
        f.run_ons
    );
}
