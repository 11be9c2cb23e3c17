//! PDF edition: real files checked by check-pdf (poppler, qpdf, pikepdf).

mod common;

use std::path::Path;

use anpham::editions::pdf as write_pdf;
use anpham::input::{PageSizeName, load_prepared as load_publication};
use anpham::pdf::PdfOptions;
use anpham::scale::FontScale;

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
    let out = write_pdf(&publication, &opts).expect("pdf");
    let pdf = dir.join("out.pdf");
    std::fs::write(&pdf, &out.bytes).unwrap();
    let expected = dir.join("expected.txt");
    std::fs::write(&expected, publication.reading_text()).unwrap();
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
fn english_is_hyphenated_at_standard_scale_and_never_at_large_print() {
    let input = common::root().join("examples/english");
    let (publication, _) = load_publication(&[input]).unwrap();
    let count_hyphens = |scale: FontScale| {
        let lay = anpham::layout::layout(&publication, &anpham::layout::LayoutOptions::new(scale))
            .unwrap();
        lay.pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                anpham::layout::Item::Line(l) => Some(l),
                _ => None,
            })
            .filter(|l| l.hyphenated)
            .count()
    };
    assert!(count_hyphens(FontScale::STANDARD) > 0);
    assert_eq!(count_hyphens(FontScale::LARGE), 0);
    assert_eq!(count_hyphens(FontScale::EXTRA_LARGE), 0);
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

#[test]
fn nothing_is_drawn_outside_the_text_area() {
    use anpham::layout::geometry::outside_text_area;
    use anpham::layout::{LayoutOptions, layout};
    for example in ["bac-kan", "bulletin.toml", "long-token", "english"] {
        let (publication, _) =
            load_publication(&[common::root().join("examples").join(example)]).unwrap();
        for scale in [
            FontScale::step(-2),
            FontScale::STANDARD,
            FontScale::LARGE,
            FontScale::step(6),
        ] {
            for size in [PageSizeName::A5, PageSizeName::A4, PageSizeName::Letter] {
                let mut o = LayoutOptions::new(scale);
                o.page_size = size;
                let lay = layout(&publication, &o).unwrap();
                if let Some(why) = outside_text_area(&lay) {
                    panic!("{example} {scale} {size:?}: {why}");
                }
            }
        }
    }
}

#[test]
fn structure_tree_snapshot() {
    let input = common::root().join("tests/fixtures/structure/article.json");
    let (publication, _) = load_publication(&[input]).unwrap();
    let lay = anpham::layout::layout(
        &publication,
        &PdfOptions::new(FontScale::LARGE).layout_options(),
    )
    .unwrap();
    let dump = anpham::pdf::structure_tree_dump(&publication, &lay).unwrap();
    insta::assert_snapshot!("pdf_structure_tree", dump);
}

/// The `text/` regression inputs were saved for a geometry failure (a hyphen drawn past
/// the right edge): replay each at every scale and page size for that property, not only
/// for "no crash" (tests/robustness.rs does that).
#[test]
fn text_regressions_stay_inside_the_text_area() {
    use anpham::layout::geometry::outside_text_area;
    use anpham::layout::{LayoutOptions, layout};
    let dir = common::root().join("tests/regressions/text");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("README"))
        {
            continue;
        }
        // Some inputs are refused by design (too many combining marks): only those that
        // load are laid out.
        let Ok((publication, _)) = load_publication(std::slice::from_ref(&path)) else {
            continue;
        };
        for step in -2..=6 {
            for size in [PageSizeName::A5, PageSizeName::A4] {
                let mut o = LayoutOptions::new(FontScale::step(step));
                o.page_size = size;
                let Ok(lay) = layout(&publication, &o) else {
                    continue;
                };
                if let Some(why) = outside_text_area(&lay) {
                    panic!("{} at step {step} {size:?}: {why}", path.display());
                }
            }
        }
        replayed += 1;
    }
    assert!(
        replayed >= 1,
        "hyphen-overflow.json must load and be replayed"
    );
}
