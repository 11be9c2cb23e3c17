//! The prepare stage: a loaded [`Publication`] → a [`Prepared`] publication, the only
//! input the layout ([`crate::layout`]) and the editions' writers accept.
//!
//! Preparing applies every rule of [`crate::validate`] (NFC and white space, control
//! characters, alt text, links, dates, heading levels, size limits), reads and checks
//! each figure's image once (`validate::figure`'s image check is the one call the
//! image code sits behind), and derives the slug. Font coverage depends on the fonts an
//! edition uses, so it is checked per font set, once, by [`Prepared::check_fonts`]
//! ([`coverage`]): on shaped clusters, so that what `anpham check` accepts `anpham build`
//! can draw.
//!
//! An embedder who builds [`crate::Article`]s in code goes through the same door:
//!
//! ```
//! use anpham::model::{Article, Block, Publication, Text};
//! use anpham::prepare;
//!
//! let mut article = Article::new("Hội thảo khoa học");
//! article.blocks.push(Block::Paragraph { text: Text::plain("Sáng  10/11,\n Tỉnh ủy tổ chức.") });
//! let prepared = prepare(Publication::single(article))?;
//! assert_eq!(prepared.articles[0].blocks.len(), 1);
//! # Ok::<(), anpham::Error>(())
//! ```

pub mod coverage;

use std::collections::BTreeSet;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Diagnostic, Error, Result};
use crate::fonts::FontSet;
use crate::model::Publication;
use crate::source_text::SourcePlaces;
use crate::validate;

/// A publication that passed every check of the prepare stage. The only way to get one is
/// [`prepare`] (or the loader, [`crate::input::load_prepared`], which runs the same
/// checks while it reads the files); it reads like a [`Publication`] (it derefs to one)
/// but cannot be changed.
#[derive(Debug)]
pub struct Prepared {
    publication: Publication,
    /// The font sets (by [`font_set_key`]) whose coverage has been checked.
    checked_fonts: Mutex<BTreeSet<String>>,
    /// Warnings of the preparation (repairs the user asked for).
    warnings: Vec<Diagnostic>,
    /// Where the Markdown articles' parts are in their files (places coverage findings).
    places: SourcePlaces,
    /// The file publication-level messages name (the manifest, else the first article's).
    file: PathBuf,
}

impl Clone for Prepared {
    fn clone(&self) -> Prepared {
        Prepared {
            publication: self.publication.clone(),
            checked_fonts: Mutex::new(self.lock_checked().clone()),
            warnings: self.warnings.clone(),
            places: self.places.clone(),
            file: self.file.clone(),
        }
    }
}

impl Deref for Prepared {
    type Target = Publication;
    fn deref(&self) -> &Publication {
        &self.publication
    }
}

impl Prepared {
    /// Wraps a publication whose articles the loader has already prepared one by one
    /// (`validate::prepare_article` while reading each file). Crate-internal: the
    /// publication-level checks run here.
    pub(crate) fn from_loaded(publication: Publication, file: &Path) -> Result<Prepared> {
        validate::check_publication_size(&publication, file)?;
        if publication.articles.is_empty() {
            return Err(Error::Usage(
                "the publication has no articles\n  hint: give at least one article".into(),
            ));
        }
        Ok(Prepared {
            publication,
            checked_fonts: Mutex::new(BTreeSet::new()),
            warnings: Vec::new(),
            places: SourcePlaces::default(),
            file: file.to_path_buf(),
        })
    }

    /// The file publication-level messages name (the manifest, else the first article's).
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// The error with each diagnostic about a Markdown file placed at its line and column.
    pub(crate) fn locate(&self, e: Error) -> Error {
        self.places.locate(e)
    }

    /// Keeps the source maps of the loaded Markdown files, so that the font coverage
    /// findings name lines and columns in them.
    pub(crate) fn with_places(mut self, places: SourcePlaces) -> Prepared {
        self.places.extend(places);
        self
    }

    pub(crate) fn with_warnings(mut self, warnings: Vec<Diagnostic>) -> Prepared {
        self.warnings.extend(warnings);
        self
    }

    /// The warnings of the preparation: each repair made (`--repair`), with its place.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    fn lock_checked(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        // A poisoned lock only means a panic elsewhere while inserting a key: the set is
        // still a valid set of checked keys.
        self.checked_fonts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Checks that `fonts` can draw every text of the publication, on shaped clusters
    /// (`coverage::check_coverage`); done once per font set, later calls return at once.
    /// Every writer calls it for the fonts it uses.
    pub fn check_fonts(&self, fonts: &FontSet) -> Result<()> {
        let key = font_set_key(fonts);
        if self.lock_checked().contains(&key) {
            return Ok(());
        }
        coverage::check_coverage(fonts, &self.publication).map_err(|e| self.places.locate(e))?;
        self.lock_checked().insert(key);
        Ok(())
    }
}

/// What identifies a font set for [`Prepared::check_fonts`]: its faces' names, in order.
fn font_set_key(fonts: &FontSet) -> String {
    let mut key = String::new();
    for fam in &fonts.families {
        for face in [&fam.regular, &fam.bold, &fam.italic, &fam.bold_italic] {
            key.push_str(&face.name);
            key.push('\u{1f}');
        }
        key.push('\u{1e}');
    }
    key
}

/// Prepares a publication built in code or loaded with [`crate::input::load_publication`]:
/// every rule of `crate::validate` on every article and on the publication's own
/// fields, images read (from paths relative to each article's file) and checked once, a
/// slug for every article. All problems found are returned together.
pub fn prepare(publication: Publication) -> Result<Prepared> {
    prepare_with(publication, false)
}

/// [`prepare`], first repairing stray control characters when `repair` is set (each
/// change is listed by [`Prepared::warnings`]); without it they are refused.
pub fn prepare_with(mut publication: Publication, repair: bool) -> Result<Prepared> {
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    for a in &mut publication.articles {
        match validate::prepare_article_with(a, repair) {
            Ok(w) => warnings.extend(w),
            Err(Error::Input(d)) => diags.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    let file = publication_file(&publication);
    match validate::prepare_publication(&mut publication, &file) {
        Ok(()) => {}
        Err(Error::Input(d)) => diags.extend(d.0),
        Err(e) => return Err(e),
    }
    if !diags.is_empty() {
        return Err(Error::Input(crate::error::Diagnostics(diags)));
    }
    Ok(Prepared::from_loaded(publication, &file)?.with_warnings(warnings))
}

/// The file named in publication-level messages: the first article's, else `<publication>`.
fn publication_file(p: &Publication) -> PathBuf {
    p.articles
        .first()
        .and_then(|a| a.origin.as_ref())
        .map_or_else(|| PathBuf::from("<publication>"), |o| o.file.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, Figure, Text};

    #[test]
    fn an_article_built_in_code_is_normalised_and_checked() {
        let mut a = Article::new("Vie\u{0323}\u{0302}t  Nam");
        a.blocks.push(Block::Paragraph {
            text: Text::plain("a\u{0}b"),
        });
        let e = prepare(Publication::single(a.clone()))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("<article>: blocks[0].text, character 2: U+0000"),
            "{e}"
        );
        a.blocks[0] = Block::Paragraph {
            text: Text::plain(" Xin   chào "),
        };
        let p = prepare(Publication::single(a)).unwrap();
        assert_eq!(p.articles[0].title, "Việt Nam");
        assert_eq!(p.articles[0].slug.as_deref(), Some("viet-nam"));
        assert_eq!(
            p.articles[0].blocks[0],
            Block::Paragraph {
                text: Text::plain("Xin chào")
            }
        );
    }

    #[test]
    fn a_figure_without_an_image_is_refused_not_dropped() {
        let mut a = Article::new("Ảnh");
        a.blocks.push(Block::Figure(Figure {
            src: "missing.png".into(),
            alt: Some("Một bức ảnh".into()),
            caption: None,
            credit: None,
            decorative: false,
            image: None,
        }));
        let e = prepare(Publication::single(a)).unwrap_err().to_string();
        assert!(e.contains("blocks[0].src: image not found"), "{e}");
    }

    #[test]
    fn fonts_are_checked_once_per_set() {
        let p = prepare(Publication::single(Article::new("Tiêu đề"))).unwrap();
        let fonts = FontSet::bundled(true);
        p.check_fonts(&fonts).unwrap();
        assert_eq!(p.lock_checked().len(), 1);
        p.check_fonts(&fonts).unwrap();
        p.check_fonts(&FontSet::bundled(false)).unwrap();
        assert_eq!(p.lock_checked().len(), 2);
    }
}
