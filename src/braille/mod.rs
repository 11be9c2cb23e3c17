//! The braille edition: BRF and PEF files from the same publication, translated by
//! liblouis and laid out as braille books are (see `docs/braille.md`).
//!
//! Stages: [`translate`] (print → Unicode braille cells, per language and grade) →
//! `format` (lines and pages: title page, running head, page numbers, print page
//! indicators, headings, paragraphs, lists, quotations, transcriber's notes, contents) →
//! `volumes` (pages, front matter, volumes at article boundaries) → `brf` | `pef`;
//! `pieces` turns an article's text addresses into translated, styled pieces.
//!
//! The text of each article is read through its text addresses
//! ([`crate::address::article_parts`] with [`crate::address::ArticlePart`]), the same addresses the large-print
//! PDF's [`PageMap`] uses, so print page indicators fall where the PDF's pages begin. That
//! use is confined to one private function, `pieces::article_pieces`.

pub(crate) mod args;
pub(crate) mod brf;
pub(crate) mod edition;
pub(crate) mod format;
pub(crate) mod louis;
pub(crate) mod pef;
mod pieces;
mod tables;
pub(crate) mod translate;
mod volumes;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::error::{Diagnostic, Error, Result};
use crate::model::Publication;
use crate::pagemap::PageMap;
use crate::prepare::Prepared;
use crate::timestamp::Timestamp;
pub use format::Geometry;
pub use louis::available;
use pieces::Translators;
pub use translate::{Grade, liblouis_version, read_back};
use translate::{Place, Translator};

/// The default largest volume, in sheets (BANA and most presses bind at most about 80–100).
pub(crate) const DEFAULT_VOLUME_SHEETS: usize = 80;

/// Options of the braille edition.
#[derive(Debug, Clone)]
pub struct BrailleOptions {
    /// Grade (0 uncontracted, the default).
    pub grade: Grade,
    /// Page size in cells × lines.
    pub geometry: Geometry,
    /// Largest volume in sheets; a volume ends at an article boundary.
    pub volume_sheets: usize,
    /// Interpoint (both sides of each sheet): two pages per sheet, and PEF `duplex="true"`.
    pub duplex: bool,
    /// Folders of the user's own liblouis tables (the CLI's `--braille-tables DIR`),
    /// searched first, file by file (`vi-vn-g0.utb`, `en-ueb-g2.ctb` …); by default none:
    /// anpham's shipped Vietnamese tables and liblouis's own (see `docs/braille.md`).
    pub table_dirs: Vec<PathBuf>,
    /// The build's date (PEF `dc:date`).
    pub date: Timestamp,
}

impl Default for BrailleOptions {
    fn default() -> Self {
        BrailleOptions {
            grade: Grade::G0,
            geometry: Geometry::DEFAULT,
            volume_sheets: DEFAULT_VOLUME_SHEETS,
            duplex: false,
            table_dirs: Vec::new(),
            date: Timestamp::from_unix(0),
        }
    }
}

/// The pages of one volume, each a list of lines of Unicode braille cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct Volume {
    /// Pages, title page first.
    pub pages: Vec<Vec<String>>,
}

/// The braille edition.
#[derive(Debug, Clone)]
pub(crate) struct BrailleOutput {
    /// The BRF file (all volumes, one after another).
    pub brf: Vec<u8>,
    /// The PEF file (one `volume` element per volume).
    pub pef: Vec<u8>,
    /// The volumes.
    pub volumes: Vec<Volume>,
    /// The print page labels of the indicators, in braille reading order (read by a test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub print_pages: Vec<String>,
    /// One warning per character written by a fallback (the table has no braille for it),
    /// naming its place (see `translate::Fallback`).
    pub warnings: Vec<Diagnostic>,
}

impl BrailleOutput {
    /// Braille pages in all volumes.
    pub fn pages(&self) -> usize {
        self.volumes.iter().map(|v| v.pages.len()).sum()
    }
}

/// Builds the braille edition of `publication`. `page_map` is the large-print PDF's page map
/// (print page indicators follow it); without one the braille has no print page indicators.
pub(crate) fn write_braille(
    publication: &Prepared,
    page_map: Option<&PageMap>,
    options: &BrailleOptions,
) -> Result<BrailleOutput> {
    let publication: &Publication = publication;
    let g = options.geometry;
    if g.cols < Geometry::MIN.cols || g.rows < Geometry::MIN.rows {
        return Err(Error::Usage(format!(
            "braille page {}x{} is too small (at least {}x{})",
            g.cols,
            g.rows,
            Geometry::MIN.cols,
            Geometry::MIN.rows
        )));
    }
    let trs = Translators {
        options,
        map: RefCell::new(HashMap::new()),
    };
    let (articles, print_pages, _divided_words) =
        volumes::lay_out_articles(publication, page_map, &trs, g)?;
    let front_tr = trs.get(&publication.lang)?;
    let plan = volumes::Volumes::new(publication, options, &front_tr, &articles);
    let volumes = plan.pages(&plan.groups()?)?;
    let meta = pef_meta(publication, options, &front_tr);
    let warnings = trs.take_warnings();
    Ok(BrailleOutput {
        brf: brf::write_brf(&volumes),
        pef: pef::write_pef(&volumes, &meta, g, options.duplex),
        volumes,
        print_pages,
        warnings,
    })
}

/// The warnings a braille build of `publication` gives (characters written by a fallback,
/// with their places); a build carries them in the braille editions' outcomes.
#[cfg(test)]
pub(crate) fn braille_warnings(
    publication: &Prepared,
    options: &BrailleOptions,
) -> Result<Vec<Diagnostic>> {
    Ok(write_braille(publication, None, options)?.warnings)
}

/// The PEF metadata: the publication's identifier (else one made from a SHA-256 of its
/// title and date), title, language, the build's date, author, publisher, grade and table.
fn pef_meta(publication: &Publication, options: &BrailleOptions, tr: &Translator) -> pef::PefMeta {
    let w = words(&publication.lang);
    let bulletin = publication.articles.len() > 1;
    pef::PefMeta {
        identifier: publication.identifier.clone().unwrap_or_else(|| {
            let mut h = Sha256::new();
            h.update(publication.title.as_bytes());
            h.update(publication.date.as_deref().unwrap_or("").as_bytes());
            let d = h.finalize();
            format!(
                "urn:anpham:{}",
                d[..8]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            )
        }),
        title: publication.title.clone(),
        language: publication.lang.clone(),
        date: options.date.iso8601().chars().take(10).collect(),
        creator: (!bulletin)
            .then(|| publication.articles.first().and_then(|a| a.author.clone()))
            .flatten(),
        publisher: publication.publisher.clone(),
        description: format!(
            "{}; liblouis table {}",
            w.grades[options.grade.number() as usize],
            tr.table().rsplit('/').next().unwrap_or("")
        ),
    }
}

/// Words of the braille front matter in one language.
pub(super) struct Words {
    pub(super) note: &'static str,
    pub(super) figure: &'static str,
    pub(super) contents: &'static str,
    pub(super) produced: &'static str,
    pub(super) grades: [&'static str; 3],
}

/// The words of `lang` (Vietnamese, else English), from [`crate::labels`].
pub(super) fn words(lang: &str) -> Words {
    let lab = crate::labels::for_lang(lang);
    Words {
        note: lab.transcriber_note,
        figure: lab.figure,
        contents: lab.toc,
        produced: lab.produced_by,
        grades: lab.braille_grades,
    }
}

/// The error of this edition that could not be written, for `message`.
pub(crate) fn error(message: impl Into<String>) -> crate::Error {
    crate::Error::Edition {
        edition: "the braille edition",
        message: message.into(),
    }
}

#[cfg(test)]
mod tests;
