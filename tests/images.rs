//! Images end to end: camera photos resampled for print and the EPUB, EXIF orientations
//! upright in both editions (the PDF looked at with poppler's `pdftoppm`), colours of CMYK
//! JPEGs and PNG kinds on the rendered page, PDF/A-2a + PDF/UA-1 identification, folders
//! of article folders, and located errors for bad images.
//!
//! Pixel comparisons render at 50 ppi and compare the mean colour of the picture's area
//! with the source colour: tolerance ±14 of 255 per channel (JPEG quantisation, Lanczos
//! filtering and poppler's anti-aliasing move flat colours by a few units).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use image::metadata::Orientation;
use image::{DynamicImage, Rgb, RgbImage};

fn anpham() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anpham"))
}

/// Whether a poppler tool runs; in CI its absence fails the test.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        common::skip::<()>(&format!(
            "{tool} is not installed (apt-get install poppler-utils)"
        ));
    }
    ok
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// An article file with one figure.
fn article(dir: &Path, name: &str, title: &str, src: &str) -> PathBuf {
    let p = dir.join(name);
    write(
        &p,
        format!(
            "---\ntitle: {title}\nlang: vi\ndate: 2026-11-27\nslug: {}\n---\n\nẢnh chụp tại hội trường.\n\n![Hội trường nhìn từ phía sau]({src} \"Toàn cảnh\")\n\nĐoạn văn sau ảnh.\n",
            name.trim_end_matches(".md")
        )
        .as_bytes(),
    );
    p
}

fn jpeg(img: &DynamicImage, quality: u8, progressive: bool, exif: Option<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, quality);
    e.set_progressive(progressive);
    if let Some(o) = exif {
        let mut app1 = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        app1.extend_from_slice(&[0, o, 0, 0, 0, 0, 0, 0]);
        e.add_app_segment(1, app1).unwrap();
    }
    let rgb = img.to_rgb8();
    e.encode(
        rgb.as_raw(),
        rgb.width() as u16,
        rgb.height() as u16,
        jpeg_encoder::ColorType::Rgb,
    )
    .unwrap();
    out
}

/// A photo-like picture: smooth light, hills, fine texture (a 4000 × 3000 JPEG at quality
/// 92 is about 3 MB, like a camera's).
fn photo(w: u32, h: u32) -> DynamicImage {
    let mut seed = 0x2545_f491_u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        (seed % 16) as f32 - 8.0
    };
    let hills: Vec<(f32, f32)> = (0..w)
        .map(|x| {
            let fx = x as f32 / w as f32;
            let hill = 0.55 + 0.08 * (fx * 9.0).sin() + 0.05 * (fx * 23.0).cos();
            (hill, 150.0 + 40.0 * (fx * 31.0).sin())
        })
        .collect();
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        let fy = y as f32 / h as f32;
        let (hill, field) = hills[x as usize];
        let n = noise();
        let base = if fy < hill {
            [90.0 + 120.0 * fy, 150.0 + 60.0 * fy, 230.0 - 40.0 * fy]
        } else {
            [170.0 - 60.0 * fy, field, 40.0]
        };
        let c = |v: f32| (v + n).clamp(0.0, 255.0) as u8;
        Rgb([c(base[0]), c(base[1]), c(base[2])])
    }))
}

/// The upright test picture: a green band on top, red lower left, blue lower right.
fn upright(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        if y < h / 4 {
            Rgb([20, 200, 20])
        } else if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    }))
}

/// The stored pixels that EXIF orientation `o` turns into `img`.
fn stored_for(img: &DynamicImage, o: u8) -> DynamicImage {
    let inverse = match o {
        6 => 8,
        8 => 6,
        o => o,
    };
    let mut s = img.clone();
    s.apply_orientation(Orientation::from_exif(inverse).unwrap());
    s
}

/// Centroids of the green, red and blue pixels of a picture.
fn centroids(img: &RgbImage) -> [(f32, f32, usize); 3] {
    let mut acc = [(0.0f32, 0.0f32, 0usize); 3];
    for (x, y, p) in img.enumerate_pixels() {
        let [r, g, b] = p.0;
        let k = if g > 150 && r < 90 && b < 90 {
            0
        } else if r > 160 && g < 90 && b < 90 {
            1
        } else if b > 160 && r < 90 && g < 90 {
            2
        } else {
            continue;
        };
        acc[k].0 += x as f32;
        acc[k].1 += y as f32;
        acc[k].2 += 1;
    }
    acc.map(|(x, y, n)| (x / n.max(1) as f32, y / n.max(1) as f32, n))
}

fn assert_upright(img: &RgbImage, what: &str) {
    let [g, r, b] = centroids(img);
    assert!(
        g.2 > 20 && r.2 > 20 && b.2 > 20,
        "{what}: picture not found ({g:?} {r:?} {b:?})"
    );
    assert!(r.0 < b.0, "{what}: red is not left of blue ({r:?} {b:?})");
    assert!(
        g.1 < r.1 && g.1 < b.1,
        "{what}: green is not on top ({g:?} {r:?} {b:?})"
    );
}

/// Renders every page of a PDF at `ppi` with pdftoppm.
fn render(pdf: &Path, ppi: u32) -> Vec<RgbImage> {
    let dir = pdf.with_extension("pages");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let st = Command::new("pdftoppm")
        .args(["-r", &ppi.to_string(), "-png"])
        .arg(pdf)
        .arg(dir.join("p"))
        .status()
        .unwrap();
    assert!(st.success());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| image::open(f).unwrap().to_rgb8())
        .collect()
}

/// The EPUB's image files, decoded.
fn epub_images(epub: &Path) -> Vec<(String, usize, DynamicImage)> {
    let f = std::fs::File::open(epub).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        let name = e.name().to_string();
        if name.contains("images/") {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut b).unwrap();
            out.push((name, b.len(), image::load_from_memory(&b).unwrap()));
        }
    }
    out
}

fn build(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    anpham()
        .arg("build")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["--quiet"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn camera_photo_is_printed_at_300_ppi_in_small_files() {
    let dir = common::out_dir("images-camera");
    let src = jpeg(&photo(4000, 3000), 92, false, None);
    write(&dir.join("in/img/cam.jpg"), &src);
    let art = article(&dir.join("in"), "cam.md", "Ảnh máy ảnh", "img/cam.jpg");
    let out = dir.join("out");
    let o = build(&art, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = std::fs::metadata(out.join("cam.large.pdf")).unwrap().len();
    let epub = std::fs::metadata(out.join("cam.epub")).unwrap().len();
    eprintln!(
        "camera JPEG {} bytes → A5 PDF {pdf} bytes, EPUB {epub} bytes",
        src.len()
    );
    assert!(
        src.len() > 2_000_000,
        "the test photo should weigh like a camera's"
    );
    assert!(pdf < 500_000, "PDF {pdf} bytes");
    assert!(epub < 800_000, "EPUB {epub} bytes");
    let imgs = epub_images(&out.join("cam.epub"));
    let (w, h) = (imgs[0].2.width() as u64, imgs[0].2.height() as u64);
    assert!(w * h <= 4_000_000 && w * h > 3_900_000, "{w}×{h}");
    if have("pdfimages") {
        let list = Command::new("pdfimages")
            .arg("-list")
            .arg(out.join("cam.large.pdf"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&list.stdout);
        eprintln!("{text}");
        // page num type width height color comp bpc enc interp object ID x-ppi y-ppi …
        let row = text.lines().nth(2).expect("one image");
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (x_ppi, y_ppi): (f32, f32) = (cols[12].parse().unwrap(), cols[13].parse().unwrap());
        assert_eq!(cols[8], "jpeg", "{row}");
        assert!(
            (300.0..=302.0).contains(&x_ppi) && (300.0..=302.0).contains(&y_ppi),
            "{row}"
        );
    }
    // `--image-ppi original` keeps the camera's pixels.
    let out2 = dir.join("out-original");
    let o = build(&art, &out2, &["--image-ppi", "original", "--format", "pdf"]);
    assert!(o.status.success());
    assert!(std::fs::metadata(out2.join("cam.large.pdf")).unwrap().len() > src.len() as u64);
}

#[test]
fn exif_orientations_are_upright_in_pdf_and_epub() {
    let dir = common::out_dir("images-exif");
    let want = upright(120, 80);
    for o in 1..=8u8 {
        let d = dir.join(format!("o{o}"));
        write(
            &d.join("img/p.jpg"),
            &jpeg(&stored_for(&want, o), 95, o == 3, Some(o)),
        );
        let art = article(&d, &format!("o{o}.md"), &format!("Hướng {o}"), "img/p.jpg");
        let o_ = build(&art, &d.join("out"), &["--scale", "standard"]);
        assert!(
            o_.status.success(),
            "{}",
            String::from_utf8_lossy(&o_.stderr)
        );
        let imgs = epub_images(&d.join(format!("out/o{o}.epub")));
        assert_upright(&imgs[0].2.to_rgb8(), &format!("EPUB, orientation {o}"));
        if have("pdftoppm") {
            let pages = render(&d.join(format!("out/o{o}.pdf")), 60);
            let page = pages
                .iter()
                .max_by_key(|p| centroids(p)[1].2)
                .expect("a page");
            assert_upright(page, &format!("PDF, orientation {o}"));
        }
    }
}

/// Mean colour of the pixels of a rendered page that are not paper or text (saturated or
/// mid-grey areas big enough to be the picture).
fn picture_mean(page: &RgbImage, is_picture: impl Fn([u8; 3]) -> bool) -> ([f32; 3], usize) {
    let mut sum = [0f32; 3];
    let mut n = 0;
    for p in page.pixels() {
        if is_picture(p.0) {
            for (s, v) in sum.iter_mut().zip(p.0) {
                *s += v as f32;
            }
            n += 1;
        }
    }
    (sum.map(|s| s / n.max(1) as f32), n)
}

#[test]
fn colours_are_right_for_cmyk_jpeg_and_png_kinds() {
    if !have("pdftoppm") {
        return;
    }
    let dir = common::out_dir("images-colours");
    let (w, h) = (160u32, 100u32);
    // (name, file bytes, expected colour on white paper)
    let mut cases: Vec<(&str, Vec<u8>, [u8; 3])> = Vec::new();
    // Adobe CMYK (inverted samples): cyan 100 %, magenta 40 % → R 0, G 153, B 255.
    let cmyk: Vec<u8> = (0..w * h).flat_map(|_| [255u8, 102, 0, 0]).collect();
    let mut cmyk_jpg = Vec::new();
    jpeg_encoder::Encoder::new(&mut cmyk_jpg, 95)
        .encode(&cmyk, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    cases.push(("cmyk.jpg", cmyk_jpg, [0, 153, 255]));
    let flat = |c: [u8; 3]| DynamicImage::ImageRgb8(RgbImage::from_pixel(w, h, Rgb(c)));
    cases.push((
        "progressive.jpg",
        jpeg(&flat([200, 120, 40]), 95, true, None),
        [200, 120, 40],
    ));
    let png = |img: &DynamicImage| {
        let mut b = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut b), image::ImageFormat::Png)
            .unwrap();
        b
    };
    cases.push((
        "grey16.png",
        png(&DynamicImage::ImageLuma16(image::ImageBuffer::from_pixel(
            w,
            h,
            image::Luma([30_000u16]),
        ))),
        [117, 117, 117],
    ));
    cases.push(("rgb.png", png(&flat([40, 160, 90])), [40, 160, 90]));
    // Half-transparent blue over white paper: (255 + 20) / 2 …
    cases.push((
        "alpha.png",
        png(&DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            w,
            h,
            image::Rgba([20, 20, 220, 128]),
        ))),
        [137, 137, 237],
    ));
    // An indexed (palette) PNG, written with the png crate.
    let mut pal = Vec::new();
    {
        let mut e = png::Encoder::new(&mut pal, w, h);
        e.set_color(png::ColorType::Indexed);
        e.set_depth(png::BitDepth::Eight);
        e.set_palette(vec![250, 250, 250, 180, 30, 140]);
        let mut wr = e.write_header().unwrap();
        wr.write_image_data(&vec![1u8; (w * h) as usize]).unwrap();
    }
    cases.push(("palette.png", pal, [180, 30, 140]));
    for (name, bytes, want) in cases {
        let d = dir.join(name.replace('.', "-"));
        write(&d.join(format!("img/{name}")), &bytes);
        let art = article(&d, "a.md", "Màu", &format!("img/{name}"));
        let o = build(
            &art,
            &d.join("out"),
            &["--scale", "standard", "--format", "pdf"],
        );
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let pages = render(&d.join("out/a.pdf"), 50);
        // The picture: pixels close to the expected colour, counted on the page that has
        // the most of them; then their mean against the expected colour.
        let near = |p: [u8; 3]| (0..3).all(|c| (p[c] as i32 - want[c] as i32).abs() <= 40);
        let (mean, n) = pages
            .iter()
            .map(|pg| picture_mean(pg, near))
            .max_by_key(|(_, n)| *n)
            .unwrap();
        // 160 × 100 px printed at 150 ppi is ~1.07 × 0.67 in: ~1,800 px at 50 ppi.
        assert!(
            n > 1_000,
            "{name}: picture not found ({n} px near {want:?})"
        );
        for c in 0..3 {
            assert!(
                (mean[c] - want[c] as f32).abs() <= 14.0,
                "{name}: mean {mean:?}, source {want:?}"
            );
        }
    }
}

#[test]
fn pdfs_are_pdf_a_2a_and_pdf_ua_1_by_default() {
    let dir = common::out_dir("images-pdfa");
    let ex = common::root().join("examples/bac-kan/bac-kan.md");
    let o = build(&ex, &dir, &["--format", "pdf"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = dir.join("bac-kan.large.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    let has = |s: &str| bytes.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has("<pdfaid:part>2</pdfaid:part>"));
    assert!(has("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(has("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(
        has("/OutputIntents") && has("/GTS_PDFA1"),
        "sRGB output intent"
    );
    if let Some(v) = common::run_checker("check-pdf", &[&pdf]) {
        assert_eq!(v["pdfua_part"], "1", "{v}");
        assert_eq!(v["qpdf_check_ok"], true, "{v}");
        assert_eq!(v["tagged"], true, "{v}");
        assert_eq!(v["figures_without_alt"], 0, "{v}");
    }
    // ua-1 alone: no PDF/A identification.
    let ua = dir.join("ua");
    let o = build(&ex, &ua, &["--format", "pdf", "--pdf-standard", "ua-1"]);
    assert!(o.status.success());
    let b = std::fs::read(ua.join("bac-kan.large.pdf")).unwrap();
    assert!(!b.windows(8).any(|w| w == b"pdfaid:p"));
    // a-2u.
    let u = dir.join("a2u");
    let o = build(&ex, &u, &["--format", "pdf", "--pdf-standard", "a-2u,ua-1"]);
    assert!(o.status.success());
    let b = std::fs::read(u.join("bac-kan.large.pdf")).unwrap();
    let s = "<pdfaid:conformance>U</pdfaid:conformance>";
    assert!(b.windows(s.len()).any(|w| w == s.as_bytes()));
    // a-3a: the source article is embedded as an associated file.
    let a3 = dir.join("a3a");
    let o = build(
        &ex,
        &a3,
        &["--format", "pdf", "--pdf-standard", "a-3a,ua-1"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = std::fs::read(a3.join("bac-kan.large.pdf")).unwrap();
    for s in [
        "<pdfaid:part>3</pdfaid:part>",
        "/EmbeddedFiles",
        "/AF",
        "001-bac-kan.md",
    ] {
        assert!(b.windows(s.len()).any(|w| w == s.as_bytes()), "{s}");
    }
    // An unknown set is a usage error naming the choices.
    let o = build(&ex, &u, &["--pdf-standard", "a-1b"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("a-2a,ua-1"));
}

#[test]
fn folder_of_100_article_folders_builds_one_bulletin_named_after_it() {
    let dir = common::out_dir("images-folders");
    let root = dir.join("ban-tin-thang-11");
    let pic = jpeg(&photo(160, 107), 80, false, None);
    for i in (1..=100).rev() {
        let d = root.join(format!("{i:03}-bai"));
        write(&d.join("img/anh.jpg"), &pic);
        article(&d, "article.md", &format!("Bài số {i}"), "img/anh.jpg");
    }
    // A folder without an article (the loader passes over it).
    write(&root.join("ghi-chu/readme.txt"), b"notes");
    let out = dir.join("out");
    let o = build(&root, &out, &["--format", "epub"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let epub = out.join("ban-tin-thang-11.epub");
    assert!(
        epub.exists(),
        "{:?}",
        std::fs::read_dir(&out).unwrap().collect::<Vec<_>>()
    );
    // In name order: article 1 first, 100 last.
    let f = std::fs::File::open(&epub).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut first = String::new();
    std::io::Read::read_to_string(
        &mut z.by_name("EPUB/article-001.xhtml").unwrap(),
        &mut first,
    )
    .unwrap();
    assert!(first.contains("Bài số 1<"), "{first}");
    let mut last = String::new();
    std::io::Read::read_to_string(&mut z.by_name("EPUB/article-100.xhtml").unwrap(), &mut last)
        .unwrap();
    assert!(last.contains("Bài số 100<"));
    // --name sets it; --each builds each article under its own slug.
    let o = build(&root, &out, &["--format", "epub", "--name", "ban-tin"]);
    assert!(o.status.success());
    assert!(out.join("ban-tin.epub").exists());
    // A folder holding two article files is not an article folder.
    article(&root.join("050-bai"), "second.md", "Thừa", "img/anh.jpg");
    let o = build(&root, &out, &["--format", "epub"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("050-bai") && err.contains("2 article files"),
        "{err}"
    );
}

#[test]
fn bad_images_give_located_errors_and_write_nothing() {
    let dir = common::out_dir("images-bad");
    let good = jpeg(&photo(64, 48), 90, false, None);
    // An EXIF block whose IFD offset points past its end.
    let mut lying = Vec::new();
    {
        let mut e = jpeg_encoder::Encoder::new(&mut lying, 90);
        e.add_app_segment(1, b"Exif\0\0MM\0\x2a\0\0\xff\xf0".to_vec())
            .unwrap();
        let rgb = photo(64, 48).to_rgb8();
        e.encode(rgb.as_raw(), 64, 48, jpeg_encoder::ColorType::Rgb)
            .unwrap();
    }
    // An EXIF segment (APP1) whose length field claims more bytes than the file holds.
    let mut long_app1 = Vec::new();
    {
        let mut e = jpeg_encoder::Encoder::new(&mut long_app1, 90);
        let mut tiff = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        tiff.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
        e.add_app_segment(1, tiff).unwrap();
        let rgb = photo(64, 48).to_rgb8();
        e.encode(rgb.as_raw(), 64, 48, jpeg_encoder::ColorType::Rgb)
            .unwrap();
    }
    let app1 = long_app1
        .windows(2)
        .position(|w| w == [0xFF, 0xE1])
        .unwrap();
    assert!(long_app1.len() < 0xFFF0);
    long_app1[app1 + 2..app1 + 4].copy_from_slice(&0xFFF0u16.to_be_bytes());
    // An ICC profile that declares more bytes than it holds.
    let mut icc = vec![0u8; 200];
    icc[0..4].copy_from_slice(&9_999u32.to_be_bytes());
    icc[16..20].copy_from_slice(b"RGB ");
    icc[36..40].copy_from_slice(b"acsp");
    let mut broken_icc = Vec::new();
    {
        let mut e = jpeg_encoder::Encoder::new(&mut broken_icc, 90);
        e.add_icc_profile(&icc).unwrap();
        let rgb = photo(64, 48).to_rgb8();
        e.encode(rgb.as_raw(), 64, 48, jpeg_encoder::ColorType::Rgb)
            .unwrap();
    }
    // A frame the decoder refuses (12-bit precision in SOF0 is not baseline).
    let mut refused = good.clone();
    let sof = refused.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    refused[sof + 4] = 3;
    for (name, bytes, says) in [
        ("lying-exif.jpg", lying, "EXIF block is damaged"),
        (
            "long-app1.jpg",
            long_app1,
            "marker FF E1, at byte 20 claims 65520 bytes, past the end of the file",
        ),
        ("broken-icc.jpg", broken_icc, "ICC colour profile is broken"),
        ("refused.jpg", refused, "JPEG decoder refuses it"),
        ("cut.jpg", good[..good.len() / 2].to_vec(), "truncated"),
    ] {
        let d = dir.join(name.replace('.', "-"));
        write(&d.join(format!("img/{name}")), &bytes);
        let art = article(&d, "a.md", "Ảnh hỏng", &format!("img/{name}"));
        let out = d.join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("a.large.pdf"), b"earlier").unwrap();
        let o = build(&art, &out, &[]);
        assert!(!o.status.success(), "{name} was accepted");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            // The figure's line and column in the Markdown file (it was `blocks[1].src`).
            err.contains("a.md:10:1: "),
            "{name}: {err}"
        );
        assert!(err.contains(says), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert_eq!(std::fs::read(out.join("a.large.pdf")).unwrap(), b"earlier");
        assert!(!out.join("a.epub").exists());
    }
}

/// A PNG with Adam7 interlacing (the `png` crate writes none): each of the seven passes'
/// rows with filter type 0, in one zlib stream of stored (uncompressed) blocks.
fn interlaced_png(img: &RgbImage) -> Vec<u8> {
    let (w, h) = img.dimensions();
    let mut raw = Vec::new();
    for (x0, y0, dx, dy) in [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ] {
        if x0 >= w || y0 >= h {
            continue; // an empty pass has no rows at all
        }
        for y in (y0..h).step_by(dy) {
            raw.push(0);
            for x in (x0..w).step_by(dx) {
                raw.extend_from_slice(&img.get_pixel(x, y).0);
            }
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, b) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        zlib.extend_from_slice(&(b.len() as u16).to_le_bytes());
        zlib.extend_from_slice(&(!(b.len() as u16)).to_le_bytes());
        zlib.extend_from_slice(b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 1]); // 8-bit RGB, deflate, adaptive, Adam7
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    out
}

/// Compares the picture on a rendered page with its source, pixel by pixel: the picture
/// is the bounding box of the page's saturated pixels (paper and text are not); each
/// rendered pixel is mapped to the source pixel under it. Pixels whose source
/// neighbourhood (`edge` source pixels around) holds another colour are skipped: JPEG
/// chroma subsampling and the rendering's filtering blur edges. Returns the share of
/// compared pixels within ±`tolerance` on every channel, and how many were compared.
fn rendered_matches(page: &RgbImage, source: &RgbImage, edge: u32, tolerance: i32) -> (f32, usize) {
    let saturated = |p: &Rgb<u8>| {
        let (max, min) = (*p.0.iter().max().unwrap(), *p.0.iter().min().unwrap());
        max - min > 60
    };
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in page.enumerate_pixels() {
        if saturated(p) {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    assert!(x1 > x0 + 20 && y1 > y0 + 20, "no picture on the page");
    let (bw, bh) = ((x1 - x0 + 1) as f32, (y1 - y0 + 1) as f32);
    let (sw, sh) = source.dimensions();
    let uniform = |sx: u32, sy: u32| {
        let c = source.get_pixel(sx, sy);
        (sx.saturating_sub(edge)..=(sx + edge).min(sw - 1)).all(|x| {
            (sy.saturating_sub(edge)..=(sy + edge).min(sh - 1)).all(|y| source.get_pixel(x, y) == c)
        })
    };
    let (mut good, mut n) = (0, 0);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let sx = (((x - x0) as f32 + 0.5) / bw * sw as f32) as u32;
            let sy = (((y - y0) as f32 + 0.5) / bh * sh as f32) as u32;
            let (sx, sy) = (sx.min(sw - 1), sy.min(sh - 1));
            if !uniform(sx, sy) {
                continue;
            }
            n += 1;
            let (r, s) = (page.get_pixel(x, y).0, source.get_pixel(sx, sy).0);
            if (0..3).all(|c| (r[c] as i32 - s[c] as i32).abs() <= tolerance) {
                good += 1;
            }
        }
    }
    (good as f32 / n.max(1) as f32, n)
}

#[test]
fn interlaced_png_and_plain_cmyk_jpeg_render_like_their_source() {
    if !have("pdftoppm") {
        return;
    }
    let dir = common::out_dir("images-interlaced-cmyk");
    let (w, h) = (160u32, 96u32);
    // Interlaced PNG: 8 × 8 blocks of four saturated colours in a pattern that any
    // mistake in putting the seven passes together would scramble.
    let colours = [[220, 30, 40], [30, 160, 60], [40, 70, 210], [230, 180, 20]];
    let png_source = RgbImage::from_fn(w, h, |x, y| {
        Rgb(colours[((x / 8) + (y / 8) * 3 + (x / 24)) as usize % 4])
    });
    // A CMYK JPEG without Adobe's APP14 marker: plain ink amounts, four quadrants.
    let inks: [[u8; 4]; 4] = [
        [0, 153, 255, 51], // C 0, M 60, Y 100, K 20 %
        [255, 102, 0, 0],  // C 100, M 40
        [51, 255, 0, 26],  // C 20, M 100, K 10 %
        [204, 0, 230, 0],  // C 80, Y 90
    ];
    let quadrant = |x: u32, y: u32| (x >= w / 2) as usize + 2 * (y >= h / 2) as usize;
    let plain_cmyk: Vec<u8> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .flat_map(|(x, y)| inks[quadrant(x, y)])
        .collect();
    // jpeg-encoder stores CMYK inverted and marks it with APP14: give it the inverse,
    // then drop the marker.
    let inverted: Vec<u8> = plain_cmyk.iter().map(|v| 255 - v).collect();
    let mut cmyk_jpg = Vec::new();
    jpeg_encoder::Encoder::new(&mut cmyk_jpg, 95)
        .encode(&inverted, w as u16, h as u16, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    let cmyk_jpg = {
        let j = cmyk_jpg;
        let mut out = j[..2].to_vec();
        let mut i = 2;
        while j[i] == 0xFF && j[i + 1] != 0xDA {
            let len = u16::from_be_bytes([j[i + 2], j[i + 3]]) as usize;
            if j[i + 1] != 0xEE {
                out.extend_from_slice(&j[i..i + 2 + len]);
            }
            i += 2 + len;
        }
        out.extend_from_slice(&j[i..]);
        out
    };
    assert!(!cmyk_jpg.windows(5).any(|s| s == b"Adobe"));
    // What the inks leave of white paper.
    let leave = |ink: u8, k: u8| ((255 - ink as u32) * (255 - k as u32) / 255) as u8;
    let cmyk_source = RgbImage::from_fn(w, h, |x, y| {
        let [c, m, y_, k] = inks[quadrant(x, y)];
        Rgb([leave(c, k), leave(m, k), leave(y_, k)])
    });
    let png_bytes = interlaced_png(&png_source);
    // The interlaced file decodes to the source (so the test exercises Adam7, not a typo).
    assert_eq!(
        image::load_from_memory(&png_bytes).unwrap().to_rgb8(),
        png_source
    );
    // Tolerance: ±24 of 255 per channel on at least 97 % of the compared pixels (JPEG
    // quantisation and poppler's filtering move flat colours by a few units; a colour
    // inverted or a pass misplaced is off by far more on most pixels).
    for (name, bytes, source, edge) in [
        ("adam7.png", png_bytes, png_source, 1),
        ("plain-cmyk.jpg", cmyk_jpg, cmyk_source, 4),
    ] {
        let d = dir.join(name.replace('.', "-"));
        write(&d.join(format!("img/{name}")), &bytes);
        let art = article(&d, "a.md", "Màu", &format!("img/{name}"));
        let o = build(
            &art,
            &d.join("out"),
            &["--scale", "standard", "--format", "pdf,epub"],
        );
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // Rendered at 150 ppi, the picture's own resolution on the page: one pixel each.
        let pages = render(&d.join("out/a.pdf"), 150);
        let (share, n) = pages
            .iter()
            .filter(|pg| {
                pg.pixels()
                    .filter(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 60)
                    .count()
                    > 1_000
            })
            .map(|pg| rendered_matches(pg, &source, edge, 24))
            .next()
            .expect("a page with the picture");
        eprintln!(
            "{name}: {n} pixels compared, {:.1} % within ±24",
            share * 100.0
        );
        assert!(n > 5_000, "{name}: only {n} pixels compared");
        assert!(
            share >= 0.97,
            "{name}: {:.1} % of pixels within ±24",
            share * 100.0
        );
        // The EPUB's copy too (decoded as a reader would).
        let imgs = epub_images(&d.join("out/a.epub"));
        let epub_px = imgs[0].2.to_rgb8();
        let (share, _) = rendered_matches(&epub_px, &source, edge, 24);
        assert!(share >= 0.97, "{name} in the EPUB: {:.1} %", share * 100.0);
    }
}
