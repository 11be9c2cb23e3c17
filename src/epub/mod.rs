//! The EPUB 3.3 writer: accessible reflowable editions that meet EPUB Accessibility 1.1
//! (WCAG 2.2 Level AA).
//!
//! [`write_epub`] turns a validated [`Publication`] into the bytes of an `.epub` file:
//!
//! | file | made by |
//! |---|---|
//! | `mimetype`, `META-INF/container.xml` | `package` (the OCF ZIP, deterministic) |
//! | `META-INF/fonts/*-OFL.txt` | the licence of each embedded font family |
//! | `EPUB/package.opf` | `opf` (metadata with accessibility metadata, manifest, spine) |
//! | `EPUB/nav.xhtml` | `nav` (table of contents, landmarks, page list) |
//! | `EPUB/title.xhtml` | `content::title_page` (bulletins only) |
//! | `EPUB/article-NNN.xhtml` | `content::article_document`, one per article |
//! | `EPUB/css/anpham.css` | `css` (font scale, large-print rules, contrast) |
//! | `EPUB/fonts/*.ttf` | `webfont` (the font faces used, subset to the characters shown) |
//! | `EPUB/images/*` | the figures' images, each stored once |
//!
//! Font licences live in `META-INF/`, which holds no publication resources and needs no
//! manifest entry: a licence listed in the manifest would be a resource that nothing
//! uses (EPUBCheck warns), and one in the spine would put legal text in the reading
//! order. See `docs/epub-accessibility.md` for every accessibility requirement, where
//! it is met and which test shows it.
//!
//! ```
//! use anpham::epub::{EpubOptions, write_epub};
//! use anpham::model::{Article, Block, Publication, Text};
//! use anpham::FontScale;
//!
//! let article = Article {
//!     lang: Some("vi".into()),
//!     title: "Hội thảo khoa học".into(),
//!     date: Some("2022-11-10".into()),
//!     author: Some("Hương Dịu".into()),
//!     lead: None,
//!     slug: None,
//!     source_url: None,
//!     blocks: vec![Block::Paragraph { text: Text::plain("Sáng 10/11, Tỉnh ủy tổ chức Hội thảo.") }],
//!     origin: None,
//! };
//! let publication = anpham::prepare::prepare(Publication::single(article)).unwrap();
//! let bytes = write_epub(&publication, &EpubOptions::new(FontScale::LARGE)).unwrap();
//! assert!(bytes.starts_with(b"PK\x03\x04"));
//! ```

pub(crate) mod content;
pub(crate) mod css;
pub(crate) mod nav;
pub(crate) mod opf;
pub mod overlay;
pub(crate) mod package;
pub(crate) mod pages;
pub(crate) mod webfont;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::fonts::{FontFace, FontSet};
use crate::model::{Block, Publication, Text};
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::scale::FontScale;
use crate::timestamp::Timestamp;

/// The claim written as `dcterms:conformsTo`.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// How to write an EPUB.
#[derive(Debug, Clone)]
pub struct EpubOptions {
    /// Base text size ([`FontScale::epub_percent`]); large print when
    /// [`FontScale::is_large_print`].
    pub scale: FontScale,
    /// Fonts: the primary family is embedded (subset to the characters used) with its
    /// licence; fallback families are embedded only for characters the primary lacks.
    pub fonts: FontSet,
    /// The page map of the PDF edition. `None`: no page list and no page-navigation claims.
    pub page_map: Option<PageMap>,
    /// `dcterms:modified`; `None`: [`Timestamp::of_publication`], the same date the PDF
    /// editions get by default.
    pub modified: Option<Timestamp>,
    /// `a11y:certifiedBy`; default: the publisher, else `anpham`.
    pub certified_by: Option<String>,
    /// Images already prepared for every edition of the build (see
    /// [`crate::images::ImagePlan`]); `None`: the writer prepares its own.
    pub images: Option<Arc<crate::images::ImageStore>>,
}

impl EpubOptions {
    /// Options for a scale: the bundled fonts for it, the publication's date as the
    /// modification time, no page map.
    pub fn new(scale: FontScale) -> Self {
        EpubOptions {
            scale,
            fonts: FontSet::bundled(scale.is_large_print()),
            page_map: None,
            modified: None,
            certified_by: None,
            images: None,
        }
    }
}

/// Directory of the publication resources inside the container.
const ROOT: &str = "EPUB";
const CSS_HREF: &str = "css/anpham.css";
const NAV_HREF: &str = "nav.xhtml";
const TITLE_HREF: &str = "title.xhtml";

/// The identifier used when the publication has none: a `urn:uuid:` made from a SHA-256
/// of the title, language and text, so rebuilding the same content keeps it.
pub fn derived_identifier(p: &Publication) -> String {
    let mut h = Sha256::new();
    h.update(p.title.as_bytes());
    h.update([0]);
    h.update(p.lang.as_bytes());
    h.update([0]);
    h.update(p.reading_text().as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0F) | 0x80; // version 8: custom (hash-based)
    b[8] = (b[8] & 0x3F) | 0x80; // RFC 4122 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Writes the EPUB of `publication`.
pub fn write_epub(publication: &Prepared, options: &EpubOptions) -> Result<Vec<u8>> {
    write_epub_with_overlay(publication, options, None)
}

/// Writes the talking-book EPUB of `publication`: the EPUB of [`write_epub`] with the
/// Media Overlays of `overlay` (one per article; see [`overlay`]).
pub fn write_talking_epub(
    publication: &Prepared,
    options: &EpubOptions,
    overlay: &overlay::Overlay,
) -> Result<Vec<u8>> {
    if overlay.documents.len() != publication.articles.len() {
        return Err(Error::Epub(format!(
            "the narration has {} document(s) for {} article(s)",
            overlay.documents.len(),
            publication.articles.len()
        )));
    }
    if overlay.title_page.is_some() != publication.is_bulletin() {
        return Err(Error::Epub(
            "the narration has a title page if and only if the publication is a bulletin".into(),
        ));
    }
    write_epub_with_overlay(publication, options, Some(overlay))
}

fn write_epub_with_overlay(
    publication: &Prepared,
    options: &EpubOptions,
    overlay: Option<&overlay::Overlay>,
) -> Result<Vec<u8>> {
    publication.check_fonts(&options.fonts)?;
    let p: &Publication = publication;
    if p.articles.is_empty() {
        return Err(Error::Epub("the publication has no articles".into()));
    }
    let large = options.scale.is_large_print();
    let bulletin = p.is_bulletin();
    let n = p.articles.len();

    // Page markers of the print edition.
    let plan = match &options.page_map {
        Some(map) if !map.pages.is_empty() => Some(pages::plan(map, n, |i| {
            crate::address::article_parts(p, i)
        })?),
        _ => None,
    };
    let no_markers: Vec<pages::Marker> = Vec::new();
    let markers = plan.as_ref().map_or(&no_markers, |pl| &pl.markers);
    let front: &[usize] = plan.as_ref().map_or(&[], |pl| &pl.front);

    // Images: each distinct image stored once, upright and at most 4 megapixels
    // (crate::images, in parallel, or from the build's shared store).
    let prepared = crate::images::for_epub(p, options.images.as_deref())?;
    let mut images: Vec<(String, &'static str, Arc<Vec<u8>>)> = Vec::new();
    let mut by_hash: BTreeMap<[u8; 32], usize> = BTreeMap::new();
    let mut files = Vec::with_capacity(n);
    let article_hrefs: Vec<String> = (1..=n).map(|i| format!("article-{i:03}.xhtml")).collect();
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
                let hash: [u8; 32] = Sha256::digest(img.bytes.as_slice()).into();
                let k = *by_hash.entry(hash).or_insert_with(|| {
                    images.push((
                        format!(
                            "images/image-{:03}.{}",
                            images.len() + 1,
                            img.format.extension()
                        ),
                        img.format.media_type(),
                        img.bytes.clone(),
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

    // Content documents.
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
        let marks = plan.as_ref().map(|pl| &pl.articles[i]);
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
    let mut marker_docs: Vec<&str> = vec![""; markers.len()];
    if let Some(pl) = &plan {
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
    let nav_doc = nav::nav_document(
        p,
        &nav::NavTargets {
            nav_href: NAV_HREF,
            css: CSS_HREF,
            title_page: bulletin.then_some(TITLE_HREF),
            articles: &article_hrefs,
            marker_docs: &marker_docs,
            markers,
        },
    );

    // Fonts: the characters shown, per face.
    let mut shown = CharSet::default();
    for (_, d) in &docs {
        shown.add_text_of_markup(d);
    }
    shown.add_text_of_markup(&nav_doc);
    shown.add_str(" \u{A0}\u{2014}"); // spaces and the quotation dash of the stylesheet
    let emphasis = emphasis_chars(p);
    let fonts = embed_fonts(&options.fonts, &shown.set, (!large).then_some(&emphasis))?;

    let generic = if options.fonts.primary().is_serif() {
        "serif"
    } else {
        "sans-serif"
    };
    let families: Vec<String> = fonts.families.clone();
    let mut stylesheet = css::stylesheet(options.scale, &fonts.rules, &families, generic);
    if overlay.is_some() {
        stylesheet.push_str(overlay::ACTIVE_CLASS_CSS);
    }

    // Package document.
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
    for (k, f) in fonts.files.iter().enumerate() {
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
    let mut metadata = metadata(
        p,
        options,
        plan.as_ref().map(|pl| pl.markers.len()).unwrap_or(0),
    );
    // Media Overlays: a SMIL document and an MP3 per article.
    let mut overlay_files: Vec<(String, Cow<[u8]>)> = Vec::new();
    let media = overlay.map(|o| {
        talking_metadata(&mut metadata);
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
            overlay_files.push((
                smil_href,
                Cow::Owned(overlay::smil_document(text_href, &audio_href, d).into_bytes()),
            ));
            overlay_files.push((audio_href, Cow::Borrowed(d.audio.as_slice())));
        }
        mo
    });
    let opf_doc = opf::package_document(&metadata, &items, media.as_ref());

    // The container.
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
            data: Cow::Owned(bytes),
            compress: true,
        });
    }
    for (href, _, bytes) in &images {
        entries.push(package::Entry {
            path: format!("{ROOT}/{href}"),
            data: Cow::Borrowed(bytes.as_slice()),
            compress: false,
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
    package::write_container(&format!("{ROOT}/package.opf"), &entries)
}

/// The package metadata, accessibility metadata derived from the content.
fn metadata(p: &Publication, options: &EpubOptions, pages: usize) -> opf::Metadata {
    let figures: Vec<_> = p.figures().map(|(_, f)| f).collect();
    let described = figures.iter().filter(|f| !f.decorative).count();
    let decorative = figures.len() - described;
    let all_described = figures
        .iter()
        .filter(|f| !f.decorative)
        .all(|f| f.alt.as_deref().is_some_and(|a| !a.trim().is_empty()));
    let has_page_list = pages > 0 && options.page_map.is_some();
    let large = options.scale.is_large_print();

    let mut access_modes = vec!["textual"];
    let mut sufficient = Vec::new();
    if all_described {
        sufficient.push("textual");
    }
    if !figures.is_empty() {
        access_modes.push("visual");
        sufficient.push("textual,visual");
    }
    let mut features = vec!["structuralNavigation", "tableOfContents", "readingOrder"];
    if described > 0 && all_described {
        features.push("alternativeText");
    }
    features.push("ARIA");
    features.push("displayTransformability");
    if has_page_list {
        features.push("pageNavigation");
        features.push("printPageNumbers");
    }
    if large {
        features.push("largePrint");
    }
    features.push("highContrastDisplay");

    let foreign = p.articles.iter().enumerate().any(|(i, a)| {
        let lang = p.article_lang(i);
        !lang.eq_ignore_ascii_case(&p.lang)
            || texts_of(a).any(|t| {
                t.spans.iter().any(|s| {
                    s.lang
                        .as_deref()
                        .is_some_and(|l| !l.eq_ignore_ascii_case(lang))
                })
            })
    });
    let page_source = has_page_list
        .then(|| options.page_map.as_ref().map(|m| m.source.clone()))
        .flatten();
    let facts = crate::labels::SummaryFacts {
        articles: p.articles.len(),
        described_images: described,
        decorative_images: decorative,
        page_source: page_source.clone(),
        pages,
        large_print: large,
        base_percent: css::num(options.scale.epub_percent()).replace(
            '.',
            if crate::labels::is_lang(&p.lang, "vi") {
                ","
            } else {
                "."
            },
        ),
        foreign_passages: foreign,
    };
    let mut creators: Vec<String> = Vec::new();
    for a in &p.articles {
        if let Some(au) = &a.author
            && !creators.contains(au)
        {
            creators.push(au.clone());
        }
    }
    opf::Metadata {
        identifier: p
            .identifier
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| derived_identifier(p)),
        title: p.title.clone(),
        lang: p.lang.clone(),
        creators,
        publisher: p.publisher.clone(),
        date: p.date.clone(),
        description: p.description.clone(),
        modified: options
            .modified
            .unwrap_or_else(|| Timestamp::of_publication(p.date.as_deref()))
            .iso8601(),
        access_modes,
        access_mode_sufficient: sufficient,
        features,
        hazards: vec!["none"],
        summary: crate::labels::summary(p, &facts),
        page_break_source: page_source.map(|s| {
            if s.trim().is_empty() {
                "print edition".into()
            } else {
                s
            }
        }),
        conforms_to: CONFORMS_TO,
        certified_by: options
            .certified_by
            .clone()
            .or_else(|| p.publisher.clone())
            .unwrap_or_else(|| "anpham".into()),
    }
}

/// The accessibility metadata of a talking book: the auditory access mode, sufficient
/// on its own, and synchronised audio text; the summary says so.
fn talking_metadata(m: &mut opf::Metadata) {
    m.access_modes.push("auditory");
    m.access_mode_sufficient.push("auditory");
    m.access_mode_sufficient.push("textual,auditory");
    m.features.push("synchronizedAudioText");
    m.summary
        .1
        .push_str(if crate::labels::is_lang(m.summary.0, "vi") {
            " Bản sách nói: mọi câu của bài, cả lời mô tả ảnh, được đọc bằng giọng tổng hợp và \
         được tô sáng (chữ đen trên nền vàng) khi đang đọc."
        } else {
            " Talking book: every sentence, including image descriptions, is read by a synthetic \
         voice and highlighted (black on yellow) while it is read."
        });
}

/// Every inline text of an article (lead, paragraphs, headings, quotes, items, captions).
fn texts_of(a: &crate::model::Article) -> impl Iterator<Item = &Text> {
    a.lead.iter().chain(
        a.blocks
            .iter()
            .flat_map(|b| -> Box<dyn Iterator<Item = &Text>> {
                match b {
                    Block::Paragraph { text }
                    | Block::Heading { text, .. }
                    | Block::Quote { text, .. } => Box::new(std::iter::once(text)),
                    Block::List { items, .. } => Box::new(items.iter()),
                    Block::Figure(f) => Box::new(f.caption.iter()),
                }
            }),
    )
}

/// The characters of emphasised spans (set in the italic faces at standard scales).
fn emphasis_chars(p: &Publication) -> BTreeSet<char> {
    let mut set = BTreeSet::new();
    for a in &p.articles {
        for t in texts_of(a) {
            for s in t.spans.iter().filter(|s| s.emphasis) {
                set.extend(s.text.chars());
            }
        }
    }
    if !set.is_empty() {
        set.insert(' ');
    }
    set
}

/// A set of characters, with a fast path for ASCII.
struct CharSet {
    set: BTreeSet<char>,
    ascii: [bool; 128],
}

impl Default for CharSet {
    fn default() -> Self {
        CharSet {
            set: BTreeSet::new(),
            ascii: [false; 128],
        }
    }
}

impl CharSet {
    fn add_str(&mut self, s: &str) {
        for c in s.chars() {
            self.add(c);
        }
    }

    fn add(&mut self, c: char) {
        if c.is_ascii() {
            if !self.ascii[c as usize] {
                self.ascii[c as usize] = true;
                self.set.insert(c);
            }
        } else {
            self.set.insert(c);
        }
    }

    /// Adds the characters of an XHTML document's text (outside tags; entity
    /// references count as the characters they are spelled with, a harmless surplus).
    fn add_text_of_markup(&mut self, doc: &str) {
        let body = doc.find("<body").map_or(doc, |i| &doc[i..]);
        let title = doc
            .find("<title>")
            .and_then(|i| doc[i..].find("</title>").map(|j| &doc[i + 7..i + j]));
        let mut in_tag = false;
        for c in body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag && c != '\n' => self.add(c),
                _ => {}
            }
        }
        if let Some(t) = title {
            self.add_str(t);
        }
    }
}

/// One face to embed: the face, its CSS weight, italic or not, a file-name suffix, and
/// the characters to keep.
type FaceJob<'a> = (
    &'a Arc<FontFace>,
    u16,
    bool,
    &'static str,
    &'a BTreeSet<char>,
);

/// The embedded fonts: files, `@font-face` rules, family names for the stylesheet, and
/// licence files.
struct EmbeddedFonts {
    files: Vec<(String, Vec<u8>)>,
    rules: Vec<css::FontFaceRule>,
    families: Vec<String>,
    licenses: Vec<(String, String)>,
}

fn css_family_name(name: &str, k: usize) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ' || *c == '-')
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        format!("anpham-font-{}", k + 1)
    } else {
        clean.to_string()
    }
}

/// Subsets the faces the book uses. The primary family gets every character shown;
/// each fallback family gets the characters no earlier family has. Italic faces are
/// embedded only when `italic_chars` is given (standard scales) and not empty. A style
/// the family lacks (its face is the regular one) gets no `@font-face`, so the reading
/// system synthesises it instead of showing regular text.
fn embed_fonts(
    set: &FontSet,
    shown: &BTreeSet<char>,
    italic_chars: Option<&BTreeSet<char>>,
) -> Result<EmbeddedFonts> {
    let mut per_family: Vec<BTreeSet<char>> = vec![BTreeSet::new(); set.families.len()];
    for &c in shown {
        let k = set
            .families
            .iter()
            .position(|f| f.regular.covers(c) && f.regular.glyph_for(c).is_some())
            .unwrap_or(0);
        per_family[k].insert(c);
    }
    let mut out = EmbeddedFonts {
        files: Vec::new(),
        rules: Vec::new(),
        families: Vec::new(),
        licenses: Vec::new(),
    };
    let mut used_names = BTreeSet::new();
    for (k, (fam, chars)) in set.families.iter().zip(&per_family).enumerate() {
        if k > 0 && chars.iter().all(|c| c.is_whitespace()) {
            continue;
        }
        let mut name = css_family_name(&fam.name, k);
        if !used_names.insert(name.clone()) {
            name = format!("{name} {}", k + 1);
            used_names.insert(name.clone());
        }
        let slug = {
            let s = crate::validate::slugify(&fam.name);
            if s.is_empty() {
                format!("font-{}", k + 1)
            } else {
                format!("{}-{}", k + 1, s)
            }
        };
        let italic: BTreeSet<char> = italic_chars
            .map(|ic| {
                ic.iter()
                    .copied()
                    .filter(|c| chars.contains(c) || c.is_whitespace())
                    .collect()
            })
            .unwrap_or_default();
        let mut faces: Vec<FaceJob<'_>> = vec![(&fam.regular, 400, false, "regular", chars)];
        if !Arc::ptr_eq(&fam.bold, &fam.regular) {
            faces.push((&fam.bold, 700, false, "bold", chars));
        }
        if italic.iter().any(|c| !c.is_whitespace()) {
            if !Arc::ptr_eq(&fam.italic, &fam.regular) {
                faces.push((&fam.italic, 400, true, "italic", &italic));
            }
            if !Arc::ptr_eq(&fam.bold_italic, &fam.regular)
                && !Arc::ptr_eq(&fam.bold_italic, &fam.bold)
            {
                faces.push((&fam.bold_italic, 700, true, "bold-italic", &italic));
            }
        }
        for (face, weight, is_italic, style, cs) in faces {
            let mut cs = cs.clone();
            cs.insert(' ');
            let bytes = webfont::subset_face(face, &cs)?;
            let href = format!("fonts/{slug}-{style}.ttf");
            out.rules.push(css::FontFaceRule {
                family: name.clone(),
                weight,
                italic: is_italic,
                url: format!("../{href}"),
            });
            out.files.push((href, bytes));
        }
        out.families.push(name);
        if let Some(l) = &fam.license {
            out.licenses
                .push((format!("{slug}-LICENSE.txt"), l.clone()));
        }
    }
    Ok(out)
}
