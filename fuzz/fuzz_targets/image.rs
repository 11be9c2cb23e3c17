//! Image files: the header check (dimensions before decoding), the full decode that
//! catches truncated and fake files, then embedding an accepted image in a PDF and an
//! EPUB (krilla decodes it again on its own).
#![no_main]
use libfuzzer_sys::fuzz_target;

use anpham::model::{Article, Block, Figure, Publication, Text};

fuzz_target!(|data: &[u8]| {
    let Ok(image) = anpham::internals::check_image(data.to_vec()) else {
        return;
    };
    // Keep the build affordable: big (valid) pictures only cost time.
    if u64::from(image.width) * u64::from(image.height) > 1 << 20 {
        return;
    }
    let article = Article {
        lang: None,
        title: "Ảnh".into(),
        date: None,
        author: None,
        lead: None,
        slug: Some("image".into()),
        source_url: None,
        blocks: vec![Block::Figure(Figure {
            src: "img/x".into(),
            alt: Some("Một bức ảnh".into()),
            caption: Some(Text::plain("Chú thích")),
            credit: None,
            decorative: false,
            image: Some(image),
        })],
        origin: None,
    };
    let prepared = anpham::prepare(Publication::single(article))
        .expect("an image that passed the check prepares");
    anpham_fuzz::build_and_check(&prepared, anpham::FontScale::LARGE);
});
