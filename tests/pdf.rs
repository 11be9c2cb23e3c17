//! PDF edition: real files checked by check-pdf (poppler, qpdf, pikepdf).

use crate::common;

use std::path::Path;

use anpham::FontScale;
use anpham::input::load_prepared as load_publication;
use anpham::internals::PdfOptions;
use anpham::model::PageSizeName;

/// The PDF edition with `options` (the PDF of `internals::print_edition`).
fn write_pdf(
    p: &anpham::Prepared,
    options: &PdfOptions,
) -> anpham::Result<anpham::internals::PdfOutput> {
    anpham::internals::print_edition(p, options).map(|e| e.pdf)
}

fn build(
    example: &str,
    scale: FontScale,
    size: PageSizeName,
    name: &str,
) -> (std::path::PathBuf, std::path::PathBuf, usize) {
    let input = common::root().join("examples").join(example);
    let (publication, _) = load_publication(&[input]).expect("example loads");
    let dir = common::out_dir(name);
    let mut opts = PdfOptions::new(scale);
    opts.page_size = size;
    let edition = anpham::internals::print_edition(&publication, &opts).expect("pdf");
    let out = edition.pdf;
    let pdf = dir.join("out.pdf");
    std::fs::write(&pdf, &out.bytes).unwrap();
    // Every printed word in print order, as `pdftotext` reads it (a figure that floated
    // to the next page is read where it is printed; the structure tree keeps the author's
    // order: `pdf::layout_tests::floated_figure_keeps_its_place_in_the_structure_tree`).
    let expected = dir.join("expected.txt");
    std::fs::write(&expected, edition.print_order_text).unwrap();
    (pdf, expected, out.pages)
}

fn assert_accessible(pdf: &Path, expected: &Path, long_tokens: bool) {
    let Some(r) = common::run_checker("check-pdf", &[pdf, expected]) else {
        return;
    };
    let ok = |k: &str| r[k].as_bool() == Some(true);
    assert!(ok("tagged") && ok("struct_tree_root"), "{r}");
    assert!(ok("display_doc_title") && r["title"].is_string(), "{r}");
    assert_eq!(r["pdfua_part"], "1", "{r}");
    assert!(ok("fonts_all_embedded"), "{r}");
    assert_eq!(r["fonts_without_tounicode"], 0, "{r}");
    assert_eq!(r["figures_without_alt"], 0, "{r}");
    assert!(ok("qpdf_check_ok"), "{r}");
    if let Some(f) = r["pdfua_findings"].as_object() {
        assert_eq!(f["error"], 0, "{r}");
        assert_eq!(f["warning"], 0, "{r}");
    }
    assert_eq!(r["vi_letters_missing"], 0, "{r}");
    if long_tokens {
        assert!(ok("text_contained_short_tokens"), "{r}");
    } else {
        assert!(ok("text_contained"), "{r}");
    }
}

#[test]
fn example_at_three_scales_and_two_sizes_passes_check_pdf() {
    let mut pages = Vec::new();
    for size in [PageSizeName::A5, PageSizeName::A4] {
        for (step, name) in [(0, "s0"), (3, "s3"), (5, "s5")] {
            let (pdf, exp, n) = build(
                "bac-kan",
                FontScale::step(step),
                size,
                &format!("pdf-bac-kan-{size:?}-{name}"),
            );
            assert_accessible(&pdf, &exp, false);
            let Some(r) = common::run_checker("check-pdf", &[&pdf]) else {
                continue;
            };
            assert_eq!(r["lang"], "vi");
            pages.push((size, step, n));
        }
    }
    // Page counts grow with the scale.
    for w in pages.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[1].2 > w[0].2, "{pages:?}");
        }
    }
}

#[test]
fn nfd_english_and_long_token_articles_pass_check_pdf() {
    // NFD input at large print.
    let (pdf, exp, _) = build("nfd", FontScale::LARGE, PageSizeName::A5, "pdf-nfd");
    assert_accessible(&pdf, &exp, false);
    // English at the standard scale: hyphenated.
    let (pdf, exp, _) = build(
        "english",
        FontScale::STANDARD,
        PageSizeName::A5,
        "pdf-english",
    );
    assert_accessible(&pdf, &exp, false);
    if let Some(r) = common::run_checker("check-pdf", &[&pdf]) {
        assert_eq!(r["lang"], "en");
    }
    // A 175-character token is broken across lines.
    let (pdf, exp, _) = build(
        "long-token",
        FontScale::EXTRA_LARGE,
        PageSizeName::A5,
        "pdf-long-token",
    );
    assert_accessible(&pdf, &exp, true);
}

#[test]
fn identical_input_gives_identical_pdf_bytes() {
    let input = common::root().join("examples/bulletin.toml");
    let (publication, _) = load_publication(&[input]).unwrap();
    let opts = PdfOptions::new(FontScale::LARGE);
    let a = write_pdf(&publication, &opts).unwrap();
    let b = write_pdf(&publication, &opts).unwrap();
    assert_eq!(a.bytes, b.bytes);
    assert_eq!(a.page_map, b.page_map);
}
