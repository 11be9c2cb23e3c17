//! One book assembled from its parts: each distinct image stored once, the content
//! documents, which document holds each page marker, the manifest items, the Media
//! Overlays and the container's entries. [`super::write_epub`] calls these in order.

use std::borrow::Cow;
use std::collections::HashMap;

use super::embed::EmbeddedFonts;
use super::pages::PagePlan;
use super::{CSS_HREF, NAV_HREF, ROOT, TITLE_HREF, content, opf, overlay, package};
use crate::error::{Error, Result};
use crate::images::ImageSource;
use crate::model::{Block, Publication};

/// A stored image: its href inside `EPUB/`, media type and where its bytes are.
pub(super) type StoredImage = (String, &'static str, ImageSource);

/// Images: each distinct image stored once, upright and at most 4 megapixels
/// (crate::images, in parallel, or from the build's shared store); and each article's stylesheet and image hrefs.
pub(super) fn store_images(
    p: &Publication,
    store: Option<&crate::images::ImageStore>,
) -> Result<(Vec<StoredImage>, Vec<content::ArticleFiles>)> {
    let n = p.articles.len();
    let prepared = crate::images::for_epub(p, store)?;
    let mut images: Vec<StoredImage> = Vec::new();
    // Figures showing one content got one prepared image (crate::images shares equal
    // contents, comparing same-fingerprint candidates byte for byte): no hashing here.
    let mut by_source: HashMap<usize, usize> = HashMap::new();
    let mut files = Vec::with_capacity(n);
    for (i, a) in p.articles.iter().enumerate() {
        let mut hrefs = vec![None; a.blocks.len()];
        for (b, block) in a.blocks.iter().enumerate() {
            if let Block::Figure(f) = block {
                let img = prepared.get(&(i, b)).ok_or_else(|| {
                    Error::Epub(format!(
                        "figure {} of article {} (`{}`) has no image loaded",
                        b + 1,
                        i + 1,
                        f.src
                    ))
                })?;
                let k = *by_source.entry(img.source.identity()).or_insert_with(|| {
                    images.push((
                        format!(
                            "images/image-{:03}.{}",
                            images.len() + 1,
                            img.format.extension()
                        ),
                        img.format.media_type(),
                        img.source.clone(),
                    ));
                    images.len() - 1
                });
                hrefs[b] = Some(images[k].0.clone());
            }
        }
        files.push(content::ArticleFiles {
            css: CSS_HREF.into(),
            images: hrefs,
        });
    }
    Ok((images, files))
}

/// The content documents: the title page of a bulletin, then one per article.
pub(super) fn content_documents(
    p: &Publication,
    plan: Option<&PagePlan>,
    files: &[content::ArticleFiles],
    article_hrefs: &[String],
    overlay: Option<&overlay::Overlay>,
) -> Vec<(String, String)> {
    let n = p.articles.len();
    let bulletin = p.is_bulletin();
    let no_markers: Vec<super::pages::Marker> = Vec::new();
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

/// Media Overlays: a SMIL document and an MP3 per content document (the title page
/// first), added to `items` and `files`.
pub(super) fn media_overlays<'a>(
    o: &'a overlay::Overlay,
    article_hrefs: &[String],
    items: &mut Vec<opf::Item>,
    files: &mut Vec<(String, Cow<'a, [u8]>)>,
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
        let smil_id = format!("{stem}-overlay");
        let smil_href = format!("{stem}.smil");
        let audio_href = format!("audio/{stem}.mp3");
        items.push(opf::Item {
            id: smil_id.clone(),
            href: smil_href.clone(),
            media_type: "application/smil+xml",
            properties: None,
            spine: None,
        });
        items.push(opf::Item {
            id: format!("audio-{stem}"),
            href: audio_href.clone(),
            media_type: "audio/mpeg",
            properties: None,
            spine: None,
        });
        mo.items.push((item_id, smil_id.clone()));
        mo.durations
            .push((smil_id, overlay::duration_clock(d.duration_ms)));
        files.push((
            smil_href,
            Cow::Owned(overlay::smil_document(text_href, &audio_href, d).into_bytes()),
        ));
        files.push((audio_href, Cow::Borrowed(d.audio.as_slice())));
    }
    mo
}

/// The container's entries: licences, package document, navigation, content
/// documents, stylesheet, fonts, images and Media Overlays, in this order.
pub(super) fn container_entries<'a>(
    opf_doc: String,
    nav_doc: String,
    docs: Vec<(String, String)>,
    stylesheet: String,
    fonts: EmbeddedFonts,
    images: &'a [StoredImage],
    overlay_files: Vec<(String, Cow<'a, [u8]>)>,
) -> Vec<package::Entry<'a>> {
    let mut entries = Vec::with_capacity(docs.len() + images.len() + fonts.files.len() + 6);
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
    for (href, _, source) in images {
        entries.push(package::Entry {
            path: format!("{ROOT}/{href}"),
            data: package::Data::Image(source.clone()),
            compress: false,
        });
    }
    for (href, data) in overlay_files {
        // SMIL compresses well; MP3 does not.
        let compress = href.ends_with(".smil");
        entries.push(package::Entry {
            path: format!("{ROOT}/{href}"),
            data: package::Data::Bytes(data),
            compress,
        });
    }
    entries
}
