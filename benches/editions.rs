//! In-process benchmarks of the editions (criterion): the bundled example article laid
//! out, written as a large-print (+3) A5 PDF and as an EPUB; and a bulletin of 100 copies
//! of it loaded from a manifest (parsing, validation, image checks), laid out, and written
//! as a PDF and an EPUB. Run with `cargo bench --bench editions` (about two minutes once
//! built). `scripts/bench.sh` times the release CLI on the same inputs and more, against
//! typst and pandoc; `docs/performance.md` has the figures.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use anpham::FontScale;
use anpham::Prepared;
use anpham::internals::{EpubOptions, PdfOptions, layout, write_epub, write_pdf};

/// The bundled example article.
fn example_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/bac-kan/bac-kan.md"
    ))
}

const COPIES: usize = 100;

/// A bulletin manifest listing the example article `COPIES` times (in a temporary folder
/// that lives as long as the returned guard).
fn bulletin_manifest() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let entry = format!("  {:?},\n", example_path().display().to_string());
    let manifest = format!(
        "title = \"Bản tin tuần ({COPIES} bài)\"\npublisher = \"Cổng Thông tin điện tử tỉnh Bắc Kạn\"\n\
         lang = \"vi\"\narticles = [\n{}]\n",
        entry.repeat(COPIES)
    );
    let path = dir.path().join("bulletin.toml");
    std::fs::write(&path, manifest).expect("the manifest is written");
    (dir, path)
}

fn load(path: &Path) -> Prepared {
    anpham::input::load_prepared(&[path.to_path_buf()])
        .expect("the input loads")
        .0
}

fn editions(c: &mut Criterion) {
    let one = load(&example_path());
    let large = FontScale::LARGE;
    let pdf = PdfOptions::new(large);
    let epub = EpubOptions::new(FontScale::STANDARD);

    let mut g = c.benchmark_group("article");
    g.sample_size(20).measurement_time(Duration::from_secs(5));
    g.bench_function("layout +3 A5", |b| {
        b.iter(|| layout(black_box(&one), &pdf).expect("layout"))
    });
    g.bench_function("pdf +3 A5", |b| {
        b.iter(|| write_pdf(black_box(&one), &pdf).expect("pdf").bytes.len())
    });
    g.bench_function("epub", |b| {
        b.iter(|| write_epub(black_box(&one), &epub).expect("epub").len())
    });
    g.finish();

    let (_dir, manifest) = bulletin_manifest();
    let bulletin = load(&manifest);
    assert_eq!(bulletin.articles.len(), COPIES);
    let mut g = c.benchmark_group("bulletin-100");
    // Flat sampling: ten runs of each, not 1 + 2 + … + 10 (a PDF takes about a second).
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    g.bench_function("load", |b| {
        b.iter(|| load(black_box(&manifest)).articles.len())
    });
    g.bench_function("layout +3 A5", |b| {
        b.iter(|| layout(black_box(&bulletin), &pdf).expect("layout"))
    });
    g.bench_function("pdf +3 A5", |b| {
        b.iter(|| {
            write_pdf(black_box(&bulletin), &pdf)
                .expect("pdf")
                .bytes
                .len()
        })
    });
    g.bench_function("epub", |b| {
        b.iter(|| write_epub(black_box(&bulletin), &epub).expect("epub").len())
    });
    g.finish();
}

criterion_group!(benches, editions);
criterion_main!(benches);
