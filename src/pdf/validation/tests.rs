//! Tests of the PDF writer's diagnostics (`pdf/validation.rs`): each krilla finding, and
//! each image it cannot take, traced back to the article part and file that caused it.

use super::*;
use crate::model::{Article, Figure, Publication, Text};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};

fn validators() -> Validators {
    ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_A)
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .unwrap()
        .validators()
}

fn prepared() -> Prepared {
    let mut a = Article::new("Tiêu đề");
    a.origin = Some(crate::model::Origin {
        file: "bai.json".into(),
        field: String::new(),
    });
    a.blocks.push(Block::Paragraph {
        text: Text::plain("Đoạn."),
    });
    a.blocks.push(Block::Figure(Figure {
        src: "img/a.png".into(),
        alt: Some("ả".repeat(20_000)),
        caption: Some(Text::plain("Chú thích")),
        credit: None,
        decorative: false,
        image: None,
    }));
    Prepared::from_loaded(Publication::single(a), "bai.json".as_ref()).unwrap()
}

fn empty_layout() -> Layout {
    Layout {
        width: 0.0,
        height: 0.0,
        pages: Vec::new(),
        outline: Vec::new(),
        page_map: Default::default(),
        article_pages: Vec::new(),
        warnings: Vec::new(),
    }
}

#[test]
fn located_findings_name_the_article_part() {
    let p = prepared();
    let mut locations = Locations::default();
    let caption = locations.of(Drawn::Part(Owner::Article(0, ArticlePart::Caption(1))));
    let figure = locations.of(Drawn::Part(Owner::Article(0, ArticlePart::Block(1))));
    assert_eq!(
        locations.of(Drawn::Part(Owner::Article(0, ArticlePart::Caption(1)))),
        caption
    );
    let font = crate::fonts::FontSet::bundled(false).families[0]
        .regular
        .krilla
        .clone();
    let pua = ValidationError::UnicodePrivateArea(
        font,
        krilla::text::GlyphId::new(7),
        '\u{e000}',
        Some(caption),
    );
    let by = validators().prohibits(&pua).expect("PDF/A-2a forbids it");
    let e = KrillaError::Validation(vec![
        (pua, by),
        (ValidationError::MissingAltText(Some(figure)), validators()),
    ]);
    let text = pdf_error(e, &p, &empty_layout(), &locations).to_string();
    assert!(
        text.starts_with(
            "bai.json: blocks[1].caption: U+E000 is a private-use character (drawn with its font)"
        ),
        "{text}"
    );
    assert!(text.contains(": the PDF/A-2a"), "{text}");
    assert!(
        text.contains("\n  hint: replace it with the standard Unicode character"),
        "{text}"
    );
    assert!(
        text.contains("bai.json: blocks[1].alt: a figure has no alt text: the PDF/A-2a and PDF/UA-1 validators refuse it"),
        "{text}"
    );
}

#[test]
fn a_too_long_string_is_placed_by_the_field_that_holds_it() {
    let p = prepared();
    let e = KrillaError::Validation(vec![(ValidationError::TooLongString, validators())]);
    let text = pdf_error(e, &p, &empty_layout(), &Locations::default()).to_string();
    assert_eq!(
        text.lines().next().unwrap(),
        "bai.json: blocks[1].alt: the text is 40002 bytes long as a PDF string, more than the 32767 a PDF may hold: the PDF/A-2a and PDF/UA-1 validators refuse it"
    );
    assert!(text.contains("hint: shorten it"), "{text}");
}

#[test]
fn unlocated_and_unknown_findings_still_name_the_file() {
    let p = prepared();
    let e = KrillaError::Validation(vec![
        (ValidationError::NoDocumentLanguage, validators()),
        (ValidationError::TooHighQNestingLevel, validators()),
    ]);
    let text = pdf_error(e, &p, &empty_layout(), &Locations::default()).to_string();
    assert!(
        text.starts_with("bai.json: lang: the publication has no language"),
        "{text}"
    );
    assert!(
        text.contains("\nbai.json: the PDF breaks a rule of the standard (TooHighQNestingLevel): the PDF/A-2a and PDF/UA-1 validators refuse it"),
        "{text}"
    );
    assert!(text.contains("this is a bug in anpham"), "{text}");
}

/// A photo that changed or vanished after loading is named at its figure, with a
/// hint to build again (not to repair the image): a JPEG whose headers cannot be read
/// again, a PNG (given to krilla whole) whose bytes changed.
#[test]
fn a_photo_changed_after_loading_is_its_own_error() {
    use crate::editions::{EditionRequest, build};
    let dir = tempfile::tempdir().unwrap();
    let jpeg = crate::images::testdata::jpeg_with_exif(40, 30, 1);
    let png = crate::images::testdata::rgba_png(40, 30);
    for (name, bytes) in [("a.jpg", &jpeg), ("b.png", &png)] {
        let photo = dir.path().join(name);
        std::fs::write(&photo, bytes).unwrap();
        let article = dir.path().join(format!("{name}.md"));
        std::fs::write(
            &article,
            format!("---\ntitle: Ảnh\nlang: vi\n---\n\nĐoạn.\n\n![Hội trường]({name})\n"),
        )
        .unwrap();
        let (prepared, _) = crate::input::load_prepared(&[article]).unwrap();
        if name.ends_with("jpg") {
            std::fs::remove_file(&photo).unwrap();
        } else {
            crate::images::testdata::change_photo(&photo, bytes);
        }
        let mut request = EditionRequest::new();
        request.formats.retain(|f| f.per_scale());
        request.print_scales = vec![crate::scale::FontScale::LARGE];
        request.image_ppi = crate::images::ImagePpi::Original;
        let report = build(&prepared, &request).unwrap_err().report();
        let want = format!(
            "{name}.md:8:1: the PDF cannot embed the image file {}: ",
            photo.display()
        );
        assert!(
            report.starts_with("error: ") && report.contains(&want),
            "{report}"
        );
        assert!(
            report.ends_with(
                "leave the image files alone while anpham runs, then run anpham again to rebuild"
            ),
            "{report}"
        );
        assert!(!report.contains("re-save"), "{report}");
    }
}
