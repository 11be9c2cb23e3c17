//! Reading the articles of a folder or a bulletin in parallel: each article file is read,
//! parsed, normalised (NFC), validated and has its images checked on its own thread
//! ([`read_article_file`] gives an [`ArticleRead`] that owns everything it found), then
//! the results are taken in input order ([`Reader::take`]), so the articles, their
//! warnings, their source maps and the first error reported are the same as a serial
//! load's whatever the threads did first.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Format, LoadOptions, Reader, UNKNOWN_FORMAT_HINT, from_json, from_toml, read_text};
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::{Article, Block, Origin};
use crate::source_text::places::SourceMap;
use crate::validate;

/// One article read and prepared on its own: the article, the warnings of its
/// preparation (repairs), and the source map of its Markdown file.
#[derive(Debug)]
pub(crate) struct ArticleRead {
    pub(crate) article: Article,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) places: Option<(PathBuf, SourceMap)>,
}

impl ArticleRead {
    fn without_places(article: Article, warnings: Vec<Diagnostic>) -> ArticleRead {
        ArticleRead {
            article,
            warnings,
            places: None,
        }
    }
}

/// Runs `read` over `jobs` on the rayon pool and gives the results in the order of `jobs`.
pub(crate) fn read_all<J, F>(jobs: Vec<J>, read: F) -> Vec<Result<ArticleRead>>
where
    J: Send,
    F: Fn(J) -> Result<ArticleRead> + Sync + Send,
{
    jobs.into_par_iter().map(read).collect()
}

/// Takes parallel reads in order: the articles, with their warnings and source maps
/// handed to `reader` (the caller then calls [`share_equal_images`] on all of them). Input errors (located diagnostics) of every article are gathered;
/// another error (an unreadable file) ends the load at the first one in input order,
/// as a serial load would have.
pub(crate) fn take_all(
    reader: &Reader,
    reads: Vec<Result<ArticleRead>>,
) -> Result<(Vec<Article>, Vec<Diagnostic>)> {
    let mut articles = Vec::with_capacity(reads.len());
    let mut diags = Vec::new();
    for read in reads {
        match read {
            Ok(r) => articles.push(reader.take(r)),
            Err(Error::Input(d)) => diags.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    Ok((articles, diags))
}

/// Makes figures whose images have equal bytes share one record (`images::ImageSource`),
/// the first one in reading order, so that a photo used twice is embedded once; the image
/// checker's cache shares records too, but articles checked at the same time on two
/// threads may each get their own. Only records with the same fingerprint (length and
/// CRC-32) are compared, byte for byte (a file is read again for that), so this is almost
/// free when the photos differ. (The writers also group contents this way,
/// `images::plan::Contents`; sharing here keeps the loaded publication small.)
pub(crate) fn share_equal_images(articles: &mut [Article]) {
    use crate::images::{Fingerprint, ImageSource};
    let mut seen: std::collections::HashMap<Fingerprint, Vec<ImageSource>> = Default::default();
    for a in articles.iter_mut() {
        for b in &mut a.blocks {
            let Block::Figure(f) = b else { continue };
            let Some(img) = &mut f.image else { continue };
            let same = seen.entry(img.source.fingerprint()).or_default();
            match same.iter().find(|s| s.same_content(&img.source)) {
                Some(first) => img.source = first.clone(),
                None => same.push(img.source.clone()),
            }
        }
    }
}

/// Reads, parses and prepares one article file (a saved page is imported first).
pub(crate) fn read_article_file(path: &Path, options: LoadOptions) -> Result<ArticleRead> {
    if is_saved_page(path) {
        return import_article(path, options);
    }
    let text = read_text(path)?;
    let format = Format::from_path(path).ok_or_else(|| {
        Error::input(Diagnostic::file(path, "unknown input format").with_hint(UNKNOWN_FORMAT_HINT))
    })?;
    parse_article(path, format, &text, options)
}

/// Whether `path` is a saved page or text copy, read through the importer.
pub(crate) fn is_saved_page(path: &Path) -> bool {
    #[cfg(feature = "import")]
    return crate::import::SourceKind::from_path(path).is_some();
    #[cfg(not(feature = "import"))]
    return path.extension().is_some_and(|e| {
        ["html", "htm", "txt"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
}

/// A saved page in a build without the importer: refused, naming the feature.
#[cfg(not(feature = "import"))]
pub(crate) fn import_article(path: &Path, _: LoadOptions) -> Result<ArticleRead> {
    Err(Error::input(
        Diagnostic::file(
            path,
            "this anpham was built without the `import` feature: saved pages cannot be read",
        )
        .with_hint("build anpham with `cargo build --features import` (on by default), or give a .json, .toml or .md article"),
    ))
}

/// Imports a saved page or text copy ([`crate::import`]) and prepares it as every
/// article is prepared (so `--repair` applies to imported pages too).
#[cfg(feature = "import")]
pub(crate) fn import_article(path: &Path, options: LoadOptions) -> Result<ArticleRead> {
    let mut article = crate::import::import_file(path)?.article;
    article.origin = Some(Origin {
        file: path.to_path_buf(),
        field: String::new(),
    });
    let warnings = prepare(&mut article, None, options)?;
    Ok(ArticleRead::without_places(article, warnings))
}

/// Prepares an article given inline (a bulletin's `articles[i]` object).
pub(crate) fn prepare_inline(mut article: Article, options: LoadOptions) -> Result<ArticleRead> {
    let warnings = prepare(&mut article, None, options)?;
    Ok(ArticleRead::without_places(article, warnings))
}

/// Parses article text of a known format; `path` names it in messages and anchors its
/// image paths. The result is normalised, validated, and has its images loaded.
pub(crate) fn parse_article(
    path: &Path,
    format: Format,
    text: &str,
    options: LoadOptions,
) -> Result<ArticleRead> {
    let (mut article, places): (Article, Option<SourceMap>) = match format {
        Format::Json => (from_json(path, text)?, None),
        Format::Toml => (from_toml(path, text)?, None),
        Format::Markdown => {
            let (article, places) = super::markdown::parse(path, text)?;
            (article, Some(places))
        }
    };
    article.origin = Some(Origin {
        file: path.to_path_buf(),
        field: String::new(),
    });
    if article.slug.is_none() {
        article.slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(validate::slugify)
            .filter(|s| !s.is_empty());
    }
    let warnings = prepare(&mut article, places.as_ref(), options)?;
    Ok(ArticleRead {
        article,
        warnings,
        places: places.map(|map| (path.to_path_buf(), map)),
    })
}

/// Prepares one parsed article ([`validate::prepare_article_with`]), placing the
/// diagnostics (errors and warnings) by the article's source map when it has one
/// (Markdown: line and column). Gives the warnings.
fn prepare(
    article: &mut Article,
    places: Option<&SourceMap>,
    options: LoadOptions,
) -> Result<Vec<Diagnostic>> {
    let locate = |d: Diagnostic| match places {
        Some(map) => map.locate(d),
        None => d,
    };
    match validate::prepare_article_with(article, options.repair) {
        Ok(w) => Ok(w.into_iter().map(locate).collect()),
        Err(Error::Input(d)) => Err(Error::Input(Diagnostics(
            d.0.into_iter().map(locate).collect(),
        ))),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, ImageData, ImageFormat};

    fn with_image(bytes: &[u8]) -> Article {
        let mut a = Article::new("x");
        let f = Figure {
            src: "a.png".into(),
            alt: Some("a".into()),
            caption: None,
            credit: None,
            decorative: false,
            image: Some(ImageData {
                source: crate::images::ImageSource::memory(bytes.to_vec()),
                needs_pixels: false,
                format: ImageFormat::Png,
                width: 1,
                height: 1,
            }),
        };
        a.blocks.push(Block::Figure(f));
        a
    }

    fn buffer(a: &Article) -> usize {
        match &a.blocks[0] {
            Block::Figure(f) => f.image.as_ref().expect("image").source.identity(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn equal_images_share_the_first_buffer_and_different_ones_do_not() {
        let mut articles = vec![with_image(b"abc"), with_image(b"abd"), with_image(b"abc")];
        let first = buffer(&articles[0]);
        share_equal_images(&mut articles);
        assert_eq!(buffer(&articles[0]), first);
        assert_eq!(buffer(&articles[2]), first);
        assert_ne!(buffer(&articles[1]), first);
    }

    /// Articles `a00` … `a11` in a folder; those in `bad` carry a BEL character in
    /// their title (refused, or repaired with a warning).
    fn folder_of_articles(bad: &[usize]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for i in 0..12 {
            let title = if bad.contains(&i) {
                format!("Bài {i}\\u0007")
            } else {
                format!("Bài {i}")
            };
            let json = format!(
                r#"{{"title": "{title}", "blocks": [{{"type": "paragraph", "text": "Đoạn {i}."}}]}}"#
            );
            std::fs::write(dir.path().join(format!("a{i:02}.json")), json).expect("write");
        }
        dir
    }

    #[test]
    fn a_folder_read_in_parallel_keeps_name_order_for_articles_errors_and_warnings() {
        let bad = [9, 2, 7];
        let dir = folder_of_articles(&bad);
        let reader = Reader::new(LoadOptions::default());
        let Err(Error::Input(d)) = super::super::load_input_with(dir.path(), &reader) else {
            panic!("the BEL characters must be refused");
        };
        let files: Vec<String> = d.0.iter().map(|d| d.file.display().to_string()).collect();
        assert_eq!(files.len(), 3, "{files:?}");
        for (file, i) in files.iter().zip([2, 7, 9]) {
            assert!(file.ends_with(&format!("a{i:02}.json")), "{files:?}");
        }

        let reader = Reader::new(LoadOptions::repairing(true));
        let Ok(super::super::Loaded::Bulletin(m)) =
            super::super::load_input_with(dir.path(), &reader)
        else {
            panic!("repaired articles load");
        };
        let titles: Vec<&str> = m
            .publication
            .articles
            .iter()
            .map(|a| a.title.as_str())
            .collect();
        assert_eq!(titles.len(), 12);
        assert!(
            titles
                .iter()
                .enumerate()
                .all(|(i, t)| t.starts_with(&format!("Bài {i}")))
        );
        let warned: Vec<String> = reader
            .into_warnings()
            .iter()
            .map(|w| w.file.display().to_string())
            .collect();
        assert_eq!(warned.len(), 3, "{warned:?}");
        for (file, i) in warned.iter().zip([2, 7, 9]) {
            assert!(file.ends_with(&format!("a{i:02}.json")), "{warned:?}");
        }
    }
}
