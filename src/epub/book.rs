//! One book assembled from its parts: each distinct image stored once, the content
//! documents, which document holds each page marker, the fonts and stylesheet, the
//! manifest items, the Media Overlays and the container's entries. [`super::write_epub`] calls these in order.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Seek, Write};

use rayon::prelude::*;

use super::{CSS_HREF, EpubOptions, NAV_HREF, ROOT, TITLE_HREF, content, opf, overlay, package};
use crate::error::Result;
use crate::images::{ImageStore, ScreenImage};
use crate::markup::article::{ArticleFiles, ArticleMarkup};
use crate::markup::embed::{self, EmbeddedFonts};
use crate::markup::narration::{AudioData, Overlay};
use crate::markup::pages::{Marker, PagePlan};
use crate::model::{Block, Publication};

/// A stored image: its href inside `EPUB/`, media type and how its bytes are had.
pub(super) type StoredImage = (String, &'static str, ScreenImage);

/// Images: each distinct image stored once, upright and at most 4 megapixels (from the
/// build's shared store, passed through, or made when written: [`write_images`]); and each
/// article's stylesheet and image hrefs. Nothing is read or decoded here.
pub(super) fn store_images(
    p: &Publication,
    store: Option<&ImageStore>,
) -> Result<(Vec<StoredImage>, Vec<ArticleFiles>)> {
    let distinct = crate::images::screen_images(p, store);
    let mut by_figure: HashMap<(usize, usize), usize> = HashMap::new();
    let mut images: Vec<StoredImage> = Vec::with_capacity(distinct.len());
    // Figures showing one content share an image (crate::images compares same-fingerprint
    // candidates byte for byte), numbered in the order of their first figure.
    for (k, img) in distinct.into_iter().enumerate() {
        for f in &img.figures {
            by_figure.insert(*f, k);
        }
        let href = format!("images/image-{:03}.{}", k + 1, img.format.extension());
        images.push((href, img.format.media_type(), img));
    }
    let mut files = Vec::with_capacity(p.articles.len());
    for (i, a) in p.articles.iter().enumerate() {
        let mut hrefs = vec![None; a.blocks.len()];
        for (b, block) in a.blocks.iter().enumerate() {
            if let Block::Figure(f) = block {
                let k = by_figure.get(&(i, b)).ok_or_else(|| {
                    crate::epub::error(format!(
                        "figure {} of article {} (`{}`) has no image loaded",
                        b + 1,
                        i + 1,
                        f.src
                    ))
                })?;
                hrefs[b] = Some(images[*k].0.clone());
            }
        }
        files.push(ArticleFiles {
            css: CSS_HREF.into(),
            images: hrefs,
            markup: ArticleMarkup::default(),
        });
    }
    Ok((images, files))
}

/// Writes the images as stored entries of `container`, in order. Images still to be made
/// are made a few at a time in parallel ([`IMAGES_IN_FLIGHT`] per thread) and each is
/// dropped once written, so that memory holds a handful of them whatever the number of
/// photos. A file that changed since loading stops the writing (its error names it);
/// images that cannot be made are all reported, each at its figures.
pub(super) fn write_images<W: Write + Seek>(
    container: &mut package::Container<W>,
    p: &Publication,
    images: &[StoredImage],
    store: Option<&ImageStore>,
) -> Result<()> {
    let window = IMAGES_IN_FLIGHT * rayon::current_num_threads().max(1);
    let mut failed: Vec<(&ScreenImage, crate::images::PrepareError)> = Vec::new();
    for chunk in images.chunks(window) {
        let made: Vec<_> = chunk
            .par_iter()
            .map(|(_, _, img)| img.is_pending().then(|| img.make(store)))
            .collect();
        for ((href, _, img), made) in chunk.iter().zip(made) {
            let source = match made {
                None => img.make(store),
                Some(made) => made,
            };
            match source {
                Ok(source) if failed.is_empty() => {
                    let path = format!("{ROOT}/{href}");
                    container.store(&path, &package::Data::Image(source))?;
                }
                // After a failure, images are still made, to report every one that fails.
                Ok(_) => {}
                Err(why) => failed.push((img, why)),
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(crate::images::not_embeddable_error(p, &failed))
    }
}

/// Images made at a time per thread by [`write_images`]: each thread decodes one at a
/// time (a camera photo's pixels are dropped once its EPUB copy is encoded), and at most
/// this many encoded copies per thread (about 0.6 MB each for a 4 MP JPEG) wait to be
/// written. Each batch waits for its slowest image: more per batch, fewer such waits.
const IMAGES_IN_FLIGHT: usize = 8;

/// The content documents: the title page of a bulletin, then one per article.
pub(super) fn content_documents(
    p: &Publication,
    plan: Option<&PagePlan>,
    files: &[ArticleFiles],
    article_hrefs: &[String],
    overlay: Option<&Overlay>,
) -> Vec<(String, String)> {
    let n = p.articles.len();
    let bulletin = p.is_bulletin();
    let no_markers: Vec<Marker> = Vec::new();
    let markers = plan.map_or(&no_markers, |pl| &pl.markers);
    let front: &[usize] = plan.map_or(&[], |pl| &pl.front);
    let mut docs: Vec<(String, String)> = Vec::with_capacity(n + 2);
    if bulletin {
        docs.push((
            TITLE_HREF.into(),
            content::title_page(
                p,
                CSS_HREF,
                front,
                markers,
                overlay.and_then(|o| o.title_page.as_ref()),
            ),
        ));
    }
    for i in 0..n {
        let marks = plan.map(|pl| &pl.articles[i]);
        let fr: &[usize] = if !bulletin && i == 0 { front } else { &[] };
        docs.push((
            article_hrefs[i].clone(),
            content::article_document(
                p,
                i,
                &files[i],
                marks,
                markers,
                fr,
                overlay.map(|o| &o.documents[i]),
            ),
        ));
    }
    docs
}

/// The document each page marker is in (empty without a page plan).
pub(super) fn marker_documents<'a>(
    p: &Publication,
    plan: Option<&PagePlan>,
    article_hrefs: &'a [String],
) -> Vec<&'a str> {
    let bulletin = p.is_bulletin();
    let markers = plan.map_or(0, |pl| pl.markers.len());
    let mut marker_docs: Vec<&str> = vec![""; markers];
    if let Some(pl) = plan {
        let front_doc = if bulletin {
            TITLE_HREF
        } else {
            article_hrefs[0].as_str()
        };
        for &k in &pl.front {
            marker_docs[k] = front_doc;
        }
        for (i, am) in pl.articles.iter().enumerate() {
            for k in am.all() {
                marker_docs[k] = &article_hrefs[i];
            }
        }
    }
    marker_docs
}

/// The fonts of a book, subset to the characters its documents show (emphasised ones in
/// the italic faces at standard scales), and its stylesheet with their `@font-face` rules.
pub(super) fn fonts_and_stylesheet(
    p: &Publication,
    options: &EpubOptions,
    docs: &[(String, String)],
    nav_doc: &str,
    narrated: bool,
) -> Result<(EmbeddedFonts, String)> {
    let texts = docs.iter().map(|(_, d)| d.as_str()).chain([nav_doc]);
    let fonts = embed::fonts_for_markup(p, &options.fonts, options.scale.is_large_print(), texts)?;
    let generic = embed::generic_family(&options.fonts);
    let mut stylesheet =
        crate::markup::css::stylesheet(options.scale, &fonts.rules, &fonts.families, generic);
    if narrated {
        stylesheet.push_str(overlay::ACTIVE_CLASS_CSS);
    }
    Ok((fonts, stylesheet))
}

/// The manifest items (and spine) of everything but the Media Overlays.
pub(super) fn manifest_items(
    bulletin: bool,
    article_hrefs: &[String],
    font_files: &[(String, Vec<u8>)],
    images: &[StoredImage],
) -> Vec<opf::Item> {
    let mut items = Vec::new();
    if bulletin {
        items.push(opf::Item {
            id: "titlepage".into(),
            href: TITLE_HREF.into(),
            media_type: "application/xhtml+xml",
            properties: None,
            spine: Some(true),
        });
    }
    items.push(opf::Item {
        id: "nav".into(),
        href: NAV_HREF.into(),
        media_type: "application/xhtml+xml",
        properties: Some("nav"),
        // A bulletin's contents page is read in order; a single article's is reachable
        // from the reading system's menu (and the `toc` landmark) but not in the flow.
        spine: Some(bulletin),
    });
    for (i, h) in article_hrefs.iter().enumerate() {
        items.push(opf::Item {
            id: format!("article-{:03}", i + 1),
            href: h.clone(),
            media_type: "application/xhtml+xml",
            properties: None,
            spine: Some(true),
        });
    }
    items.push(opf::Item {
        id: "css".into(),
        href: CSS_HREF.into(),
        media_type: "text/css",
        properties: None,
        spine: None,
    });
    for (k, f) in font_files.iter().enumerate() {
        items.push(opf::Item {
            id: format!("font-{}", k + 1),
            href: f.0.clone(),
            media_type: "font/ttf",
            properties: None,
            spine: None,
        });
    }
    for (k, (href, mt, _)) in images.iter().enumerate() {
        items.push(opf::Item {
            id: format!("image-{}", k + 1),
            href: href.clone(),
            media_type: mt,
            properties: None,
            spine: None,
        });
    }
    items
}

/// Media Overlays: a SMIL document and its MP3 files (one, or several for a long
/// document: `audio/STEM.mp3`, `audio/STEM-2.mp3` …) per narrated content document (the
/// title page first), added to `items` and `files`. A document without a clip (nothing
/// in it could be said) has no overlay.
pub(super) fn media_overlays<'a>(
    o: &'a Overlay,
    article_hrefs: &[String],
    items: &mut Vec<opf::Item>,
    files: &mut Vec<(String, package::Data<'a>)>,
) -> opf::MediaOverlays {
    let mut mo = opf::MediaOverlays {
        total: overlay::duration_clock(o.total_ms()),
        narrator: o.narrator.clone(),
        active_class: overlay::ACTIVE_CLASS.into(),
        ..Default::default()
    };
    // (content item id, its href, file stem, the overlay): the title page first.
    let title = o
        .title_page
        .as_ref()
        .map(|d| ("titlepage".to_string(), TITLE_HREF, "title".to_string(), d));
    let articles = o.documents.iter().enumerate().map(|(i, d)| {
        let stem = format!("article-{:03}", i + 1);
        (stem.clone(), article_hrefs[i].as_str(), stem, d)
    });
    for (item_id, text_href, stem, d) in title.into_iter().chain(articles) {
        if !d.is_narrated() {
            continue;
        }
        let smil_id = format!("{stem}-overlay");
        let smil_href = format!("{stem}.smil");
        // (item id, href) of each audio file.
        let audio: Vec<(String, String)> = (0..d.audio.len())
            .map(|k| match k {
                0 => (format!("audio-{stem}"), format!("audio/{stem}.mp3")),
                _ => (
                    format!("audio-{stem}-{}", k + 1),
                    format!("audio/{stem}-{}.mp3", k + 1),
                ),
            })
            .collect();
        let audio_hrefs: Vec<String> = audio.iter().map(|(_, h)| h.clone()).collect();
        items.push(opf::Item {
            id: smil_id.clone(),
            href: smil_href.clone(),
            media_type: "application/smil+xml",
            properties: None,
            spine: None,
        });
        for (id, href) in &audio {
            items.push(opf::Item {
                id: id.clone(),
                href: href.clone(),
                media_type: "audio/mpeg",
                properties: None,
                spine: None,
            });
        }
        mo.items.push((item_id, smil_id.clone()));
        mo.durations
            .push((smil_id, overlay::duration_clock(d.duration_ms)));
        files.push((
            smil_href,
            package::Data::Bytes(Cow::Owned(
                overlay::smil_document(text_href, &audio_hrefs, d).into_bytes(),
            )),
        ));
        for (href, data) in audio_hrefs.into_iter().zip(&d.audio) {
            let data = match data {
                AudioData::File(p) => package::Data::File(p.clone()),
            };
            files.push((href, data));
        }
    }
    mo
}

/// The container's entries after the images ([`write_images`]): `META-INF/container.xml`,
/// licences, package document, navigation, content documents, stylesheet, fonts and
/// Media Overlays, in this order.
pub(super) fn container_entries<'a>(
    opf_doc: String,
    nav_doc: String,
    docs: Vec<(String, String)>,
    stylesheet: String,
    fonts: EmbeddedFonts,
    overlay_files: Vec<(String, package::Data<'a>)>,
) -> Vec<package::Entry<'a>> {
    let mut entries = Vec::with_capacity(docs.len() + fonts.files.len() + overlay_files.len() + 6);
    entries.push(package::container_xml(&format!("{ROOT}/package.opf")));
    for (name, text) in &fonts.licenses {
        entries.push(package::Entry::text(
            format!("META-INF/fonts/{name}"),
            text.clone(),
        ));
    }
    entries.push(package::Entry::text(format!("{ROOT}/package.opf"), opf_doc));
    entries.push(package::Entry::text(format!("{ROOT}/{NAV_HREF}"), nav_doc));
    for (href, d) in docs {
        entries.push(package::Entry::text(format!("{ROOT}/{href}"), d));
    }
    entries.push(package::Entry::text(
        format!("{ROOT}/{CSS_HREF}"),
        stylesheet,
    ));
    for (href, bytes) in fonts.files {
        entries.push(package::Entry {
            path: format!("{ROOT}/{href}"),
            data: package::Data::Bytes(Cow::Owned(bytes)),
            compress: true,
        });
    }
    for (href, data) in overlay_files {
        // SMIL compresses well; MP3 does not.
        let compress = href.ends_with(".smil");
        entries.push(package::Entry {
            path: format!("{ROOT}/{href}"),
            data,
            compress,
        });
    }
    entries
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use crate::epub::{EpubOptions, write_epub};
    use crate::images::pixels::decode_counter::decodes_of;
    use crate::images::testdata::{article_with_photo, jpeg_with_exif};
    use crate::scale::FontScale;

    /// A bulletin whose photos are a camera photo (resampled for the EPUB), five small ones
    /// to turn upright (more than the writer makes at a time) and one passed through.
    fn photos() -> Vec<Vec<u8>> {
        let mut v = vec![jpeg_with_exif(2404, 1800, 1)];
        v.extend((0..5).map(|i| jpeg_with_exif(70 + i, 44, 6)));
        v.push(jpeg_with_exif(324, 240, 1));
        v
    }

    #[test]
    fn photos_follow_the_mimetype_each_made_once_in_a_fixed_order() {
        let dir = tempfile::tempdir().unwrap();
        let photos = photos();
        let articles: Vec<_> = photos
            .iter()
            .enumerate()
            .map(|(i, jpeg)| article_with_photo(dir.path(), &format!("a{i}"), "Tin", "Ảnh", jpeg))
            .collect();
        let (prepared, _) = crate::input::load_prepared(&articles).unwrap();
        let options = EpubOptions::new(FontScale::STANDARD);
        let bytes = write_epub(&prepared, &options).unwrap();
        // Each photo that needs its pixels was made once, when written.
        for jpeg in &photos[..6] {
            assert_eq!(decodes_of(jpeg), 1);
        }
        assert_eq!(decodes_of(&photos[6]), 0, "passed through");
        assert!(
            bytes == write_epub(&prepared, &options).unwrap(),
            "deterministic"
        );

        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let names: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().to_string())
            .collect();
        let mut want = vec!["mimetype".to_string()];
        want.extend((1..=7).map(|k| format!("EPUB/images/image-{k:03}.jpg")));
        want.push("META-INF/container.xml".into());
        assert_eq!(names[..9], want[..], "{names:?}");
        assert!(names.contains(&"EPUB/package.opf".to_string()));
        // The photos in figure order: the camera photo at most 4 MP, the turned ones
        // upright (44 px wide), the last one as it was.
        let image = |zip: &mut zip::ZipArchive<_>, k: usize| {
            let mut b = Vec::new();
            let name = format!("EPUB/images/image-{k:03}.jpg");
            zip.by_name(&name).unwrap().read_to_end(&mut b).unwrap();
            b
        };
        let camera = image::load_from_memory(&image(&mut zip, 1)).unwrap();
        assert!(u64::from(camera.width() * camera.height()) <= crate::images::SCREEN_MAX_PIXELS);
        for k in 2..=6 {
            let turned = image::load_from_memory(&image(&mut zip, k)).unwrap();
            assert_eq!((turned.width(), turned.height()), (44, 70 + k as u32 - 2));
        }
        assert!(image(&mut zip, 7) == photos[6]);
    }
}
