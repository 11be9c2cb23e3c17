//! Reading articles and bulletins from files: JSON, TOML, Markdown with YAML front
//! matter, folders, and bulletin manifests.
//!
//! Every reader turns syntax errors into a [`Diagnostic`] with line and column, and
//! type errors into one with the field path. After parsing, `crate::validate`
//! normalises the text (NFC), checks it and loads the images.

mod articles;
mod entries;
mod manifest;
mod markdown;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub(crate) use entries::{FolderEntry, folder_entries, holds_manifest};
pub use manifest::Manifest;

pub use crate::source_text::MAX_INPUT_BYTES;
pub(crate) use crate::source_text::read_text;
use crate::source_text::{char_column, line_column};

use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::{Article, Publication};
use crate::prepare::Prepared;
use crate::source_text::SourcePlaces;
use crate::validate;

/// The input formats anpham reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON (`.json`).
    Json,
    /// TOML (`.toml`).
    Toml,
    /// Markdown with a YAML front matter (`.md`, `.markdown`).
    Markdown,
}

impl Format {
    /// The format a file name implies, if any.
    pub(crate) fn from_path(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "toml" => Some(Format::Toml),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// How inputs are read.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct LoadOptions {
    /// Repair stray control characters instead of refusing them (each change becomes a
    /// warning: `crate::validate::repair`).
    pub repair: bool,
}

impl LoadOptions {
    /// Options with the repair of control characters on or off.
    pub(crate) fn repairing(repair: bool) -> LoadOptions {
        LoadOptions { repair }
    }
}

/// The title of a bulletin made from a folder: the folder's name with `-` and `_` as
/// spaces, its letters (accents included) kept: `Ban-tin-tuan` → `Ban tin tuan`,
/// `Bản_tin_tuần` → `Bản tin tuần`. `None` when nothing is left.
pub(crate) fn folder_title(folder: &Path) -> Option<String> {
    let dir = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_path_buf());
    let name = dir.file_name()?.to_string_lossy().to_string();
    let spaced: String = name
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The neutral title of a bulletin of loose files, never one article's: the word for a
/// bulletin (`labels.rs`: `Labels::bulletin`) and the span of its articles' dates
/// (`Bản tin 10/11/2022 – 16/11/2022`, one date when they agree, none when no article
/// is dated).
pub(crate) fn bulletin_title(articles: &[Article], lang: &str) -> String {
    let word = crate::labels::for_lang(lang).bulletin;
    let dates: Vec<&str> = articles
        .iter()
        .filter_map(|a| a.date.as_deref())
        .filter(|d| crate::validate::is_date(d))
        .collect();
    let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
        return word.to_string();
    };
    let show = |d: &str| crate::labels::display_date(d, lang);
    if first == last {
        format!("{word} {}", show(first))
    } else {
        format!("{word} {} – {}", show(first), show(last))
    }
}

/// The state of one load: its options and the warnings gathered so far.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    options: LoadOptions,
    /// The title of a bulletin (`--title`): it wins over a manifest's, a folder's name and
    /// the neutral title of loose files ([`bulletin_title`]). A single article keeps its own.
    title: Option<String>,
    warnings: std::cell::RefCell<Vec<Diagnostic>>,
    places: std::cell::RefCell<SourcePlaces>,
}

impl Reader {
    pub(crate) fn new(options: LoadOptions) -> Reader {
        Reader {
            options,
            title: None,
            warnings: Default::default(),
            places: Default::default(),
        }
    }

    /// The same reader giving a bulletin `title` (`None`, or only white space: the one
    /// the inputs give).
    pub(crate) fn with_title(mut self, title: Option<&str>) -> Reader {
        self.title = title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from);
        self
    }

    /// Takes one article read on its own ([`articles::ArticleRead`]), keeping its
    /// warnings and source map; called in input order.
    pub(crate) fn take(&self, read: articles::ArticleRead) -> Article {
        self.warnings.borrow_mut().extend(read.warnings);
        if let Some((path, map)) = read.places {
            self.places.borrow_mut().push(path, map);
        }
        read.article
    }

    /// The options of this load.
    pub(crate) fn options(&self) -> LoadOptions {
        self.options
    }

    pub(crate) fn into_warnings(self) -> Vec<Diagnostic> {
        self.warnings.into_inner()
    }

    /// The source maps of the Markdown files read so far.
    pub(crate) fn places(&self) -> SourcePlaces {
        self.places.borrow().clone()
    }
}

const UNKNOWN_FORMAT_HINT: &str = "use a .json, .toml or .md (Markdown with YAML front matter) file, or a saved page (.html, .htm) or its text copy (.txt), which are imported (docs/import.md)";

/// What one input file holds.
#[derive(Debug, Clone)]
pub(crate) enum Loaded {
    /// One article.
    Article(Box<Article>),
    /// A bulletin: a publication with its articles, and the editions it asks for.
    Bulletin(Box<Manifest>),
}

/// Loads one or more inputs (article files, folders of article files, or one bulletin
/// manifest) into a validated publication with NFC text and loaded images.
///
/// Several articles make a bulletin: titled by its manifest, else after its folder
/// (`folder_title`), else neutrally (`bulletin_title`); `load_prepared_titled`
/// sets it.
pub fn load_publication(inputs: &[PathBuf]) -> Result<(Publication, Option<Manifest>)> {
    let (publication, manifest, file) = load(inputs, &Reader::default())?;
    validate::check_publication_size(&publication, &file)?;
    Ok((publication, manifest))
}

/// Loads inputs as [`load_publication`] does, straight into the prepared publication
/// the writers take (every article was prepared while it was read, so nothing is
/// checked twice).
pub fn load_prepared(inputs: &[PathBuf]) -> Result<(Prepared, Option<Manifest>)> {
    load_prepared_with(inputs, LoadOptions::default())
}

/// [`load_prepared`] with options (e.g. the repair of control characters, whose
/// warnings [`Prepared::warnings`] lists).
pub fn load_prepared_with(
    inputs: &[PathBuf],
    options: LoadOptions,
) -> Result<(Prepared, Option<Manifest>)> {
    load_prepared_titled(inputs, options, None)
}

/// [`load_prepared_with`], a bulletin titled `title` (`--title`) when one is given: it
/// wins over a manifest's title, a folder's name and the neutral title of loose files; a
/// single article keeps its own.
pub(crate) fn load_prepared_titled(
    inputs: &[PathBuf],
    options: LoadOptions,
    title: Option<&str>,
) -> Result<(Prepared, Option<Manifest>)> {
    let reader = Reader::new(options).with_title(title);
    let (publication, manifest, file) = load(inputs, &reader)?;
    let prepared = Prepared::from_loaded(publication, &file)?.with_places(reader.places());
    Ok((prepared.with_warnings(reader.into_warnings()), manifest))
}

/// Reads the inputs; the publication's size is not checked yet. Returns the file that
/// publication-level messages name.
fn load(inputs: &[PathBuf], reader: &Reader) -> Result<(Publication, Option<Manifest>, PathBuf)> {
    let mut articles = Vec::new();
    let mut manifest = None;
    let mut diagnostics = Vec::new();
    for input in inputs {
        match load_input_with(input, reader) {
            Ok(Loaded::Article(a)) => articles.push(*a),
            Ok(Loaded::Bulletin(m)) => {
                if manifest.is_some() || inputs.len() > 1 {
                    return Err(Error::Usage(format!(
                        "{}: a bulletin manifest must be the only input\n  hint: list the other articles in its `articles`",
                        input.display()
                    )));
                }
                manifest = Some(*m);
            }
            Err(Error::Input(d)) => diagnostics.extend(d.0),
            Err(e) => return Err(e),
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::Input(Diagnostics(diagnostics)));
    }
    let publication = match manifest {
        Some(ref m) => m.publication.clone(),
        None => {
            if articles.is_empty() {
                return Err(Error::Usage(
                    "no article found in the inputs\n  hint: name .json, .toml or .md files, or a folder that holds them".into(),
                ));
            }
            articles::share_equal_images(&mut articles);
            if articles.len() == 1 {
                Publication::single(articles.pop().expect("one article"))
            } else {
                let mut p = Publication::single(articles[0].clone());
                p.articles = articles;
                p.title = bulletin_title(&p.articles, &p.lang);
                p
            }
        }
    };
    let mut publication = publication;
    if let Some(t) = &reader.title
        && (manifest.is_some() || publication.articles.len() > 1)
    {
        publication.title = t.clone();
    }
    let file = manifest
        .as_ref()
        .map_or_else(|| inputs[0].clone(), |m| m.path.clone());
    Ok((publication, manifest, file))
}

/// Loads one path: a folder (every article file in it, sorted by name), a manifest, or an
/// article file, with a reader's options, gathering its warnings.
pub(crate) fn load_input_with(path: &Path, reader: &Reader) -> Result<Loaded> {
    if path.is_dir() && holds_manifest(path) {
        // A library folder: one publication when its one entry is a manifest
        // (`examples/`), else name the entry.
        let entries = folder_entries(path)?;
        if let [only] = entries.as_slice()
            && only.manifest
        {
            return load_input_with(&only.path, reader);
        }
        let names: Vec<String> = entries
            .iter()
            .map(|e| e.path.display().to_string())
            .collect();
        return Err(Error::Usage(format!(
            "{}: the folder holds a bulletin manifest and {} publication(s) in all ({}); it is a library, not one publication\n  hint: name one of them, or build the folder with `anpham build` (each publication on its own)",
            path.display(),
            entries.len(),
            names.join(", ")
        )));
    }
    if path.is_dir() {
        let files = article_files_in(path)?;
        if files.is_empty() {
            return Err(Diagnostic::file(
                path,
                "the folder holds no .json, .toml or .md article and no .html, .htm or .txt page",
            )
            .with_hint("put article files or saved pages in it, or name them directly")
            .into());
        }
        // Read in parallel, taken in name order (`articles::take_all`).
        let options = reader.options();
        let reads = articles::read_all(files, |f| articles::read_article_file(&f, options));
        let (mut articles, diags) = articles::take_all(reader, reads)?;
        articles::share_equal_images(&mut articles);
        if !diags.is_empty() {
            return Err(Error::Input(Diagnostics(diags)));
        }
        let mut p = Publication::single(articles[0].clone());
        p.articles = articles;
        if p.articles.len() > 1 {
            p.title = folder_title(path).unwrap_or_else(|| bulletin_title(&p.articles, &p.lang));
        }
        return Ok(Loaded::Bulletin(Box::new(Manifest::from_publication(
            p, path,
        ))));
    }
    if articles::is_saved_page(path) {
        let read = articles::import_article(path, reader.options())?;
        return Ok(Loaded::Article(Box::new(reader.take(read))));
    }
    let text = read_text(path)?;
    let format = Format::from_path(path).ok_or_else(|| {
        Error::input(Diagnostic::file(path, "unknown input format").with_hint(UNKNOWN_FORMAT_HINT))
    })?;
    if format != Format::Markdown && manifest::looks_like_bulletin(format, &text) {
        let m = manifest::parse(path, format, &text, reader)?;
        return Ok(Loaded::Bulletin(Box::new(m)));
    }
    let read = articles::parse_article(path, format, &text, reader.options())?;
    Ok(Loaded::Article(Box::new(reader.take(read))))
}

/// Whether a file in a folder is an article: an article file (`.json`, `.toml`, `.md`) or
/// a page to import (`.html`, `.htm`, `.xhtml`, `.txt`), except a `README`, `LICENSE`
/// or `NOTES` text beside them.
pub(super) fn is_article_file(p: &Path) -> bool {
    if Format::from_path(p).is_some() {
        return true;
    }
    #[cfg(feature = "import")]
    {
        let stem = p
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_ascii_uppercase();
        crate::import::SourceKind::from_path(p).is_some()
            && !["README", "LICENSE", "NOTES", "CHANGELOG"].contains(&stem.as_str())
    }
    // Without the `import` feature a saved page is not an article file.
    #[cfg(not(feature = "import"))]
    false
}

/// The article files of a folder and of its article folders (one article file at their
/// top), sorted by name (byte order). Saved pages count (`.html`, `.htm`, `.txt`); a
/// browser's `NAME_files/` folder of a saved page is never an article folder.
pub(crate) fn article_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    // Entries in name order: article files, and folders holding one article file at
    // their top (an article kept with its `img/`); other folders are passed over.
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
        entries.push(entry.map_err(read_err(dir))?.path());
    }
    entries.sort();
    let mut files = Vec::new();
    for p in entries {
        if p.is_file() && is_article_file(&p) {
            files.push(p);
        } else if p.is_dir()
            && !p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_files"))
        {
            let mut inner = Vec::new();
            for entry in std::fs::read_dir(&p).map_err(read_err(&p))? {
                let f = entry.map_err(read_err(&p))?.path();
                if f.is_file() && is_article_file(&f) {
                    inner.push(f);
                }
            }
            inner.sort();
            match inner.len() {
                0 => {}
                1 => files.extend(inner),
                n => {
                    return Err(Diagnostic::file(
                        &p,
                        format!("the folder holds {n} article files; an article folder holds one"),
                    )
                    .with_hint(
                        "keep one article per folder (with its images), or name the files directly",
                    )
                    .into());
                }
            }
        }
    }
    Ok(files)
}

/// Reads and validates one article file.
pub fn load_article_file(path: &Path) -> Result<Article> {
    Ok(articles::read_article_file(path, LoadOptions::default())?.article)
}

/// Parses article text of a known format; `path` names it in messages and anchors
/// its image paths. The result is normalised, validated, and has its images loaded.
#[cfg_attr(
    not(test),
    allow(
        dead_code,
        reason = "text given in memory: the unit tests, and a server's upload"
    )
)]
pub(crate) fn parse_article(path: &Path, format: Format, text: &str) -> Result<Article> {
    Ok(articles::parse_article(path, format, text, LoadOptions::default())?.article)
}

/// Deserialises JSON, reporting syntax errors by line and column and type errors by field path.
pub(crate) fn from_json<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        let mut d = Diagnostic::at(
            path,
            inner.line(),
            char_column(text, inner.line(), inner.column()),
            json_message(&inner, &field),
        );
        d.hints.push(match inner.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                "the file is not valid JSON; check quotes, commas and brackets near that place"
                    .into()
            }
            _ => field_hint(&inner.to_string()).into(),
        });
        Error::input(d)
    })?;
    de.end().map_err(|e| {
        Error::input(
            Diagnostic::at(
                path,
                e.line(),
                char_column(text, e.line(), e.column()),
                "trailing characters after the JSON value",
            )
            .with_hint("a file holds one JSON object"),
        )
    })?;
    Ok(value)
}

fn json_message(e: &serde_json::Error, field: &str) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the diagnostic prints the place itself.
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    if field.is_empty() || field == "." || e.is_syntax() || e.is_eof() {
        msg.to_string()
    } else {
        format!("{field}: {msg}")
    }
}

/// Deserialises TOML, reporting errors with line, column and field path.
pub(crate) fn from_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(path, text, e, ""))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        toml_error(path, text, e.into_inner(), &field)
    })
}

fn toml_error(path: &Path, text: &str, e: toml::de::Error, field: &str) -> Error {
    let (line, column) = e
        .span()
        .map(|s| line_column(text, s.start))
        .unwrap_or((1, 1));
    let msg = e.message().trim().to_string();
    let msg = if field.is_empty() || field == "." {
        msg
    } else {
        format!("{field}: {msg}")
    };
    let hint = field_hint(&msg);
    Error::input(Diagnostic::at(path, line, column, msg).with_hint(hint))
}

/// The hint for a field the model refuses while loading: the heading rule where a
/// level is out of range (`model::HeadingLevel`), else where the fields are described.
fn field_hint(message: &str) -> &'static str {
    if message.contains("heading level") {
        "the article title is the level-1 heading; subheadings use levels 2 to 6"
    } else {
        "see docs/article-format.md for the fields and their types"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_path() {
        assert_eq!(Format::from_path(Path::new("a.JSON")), Some(Format::Json));
        assert_eq!(
            Format::from_path(Path::new("a.markdown")),
            Some(Format::Markdown)
        );
        assert_eq!(Format::from_path(Path::new("a")), None);
    }

    /// A folder `name` holding `n` article files (dated 2022-11-1N) in a fresh temporary
    /// folder; returns both.
    fn folder_of_articles(name: &str, n: usize) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for k in 1..=n {
            let text = format!(
                r#"{{"title": "Bài số {k}", "date": "2022-11-1{k}", "blocks": [{{"type": "paragraph", "text": "Đoạn văn."}}]}}"#
            );
            std::fs::write(dir.join(format!("a{k}.json")), text).unwrap();
        }
        (tmp, dir)
    }

    #[test]
    fn a_folder_bulletin_is_titled_after_the_folder() {
        assert_eq!(
            folder_title(Path::new("/x/Ban-tin-tuan")).as_deref(),
            Some("Ban tin tuan")
        );
        assert_eq!(
            folder_title(Path::new("/x/Bản_tin  tuần-")).as_deref(),
            Some("Bản tin tuần")
        );
        let (_tmp, dir) = folder_of_articles("Bản-tin-tuần", 3);
        let (p, _) = load_publication(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(p.title, "Bản tin tuần");
        assert_eq!(p.articles[0].title, "Bài số 1");
    }

    #[test]
    fn loose_files_get_a_neutral_title_with_their_dates() {
        let (_tmp, dir) = folder_of_articles("x", 3);
        let files: Vec<PathBuf> = (1..=3).map(|k| dir.join(format!("a{k}.json"))).collect();
        let (p, _) = load_publication(&files).unwrap();
        assert_eq!(p.title, "Bản tin 11/11/2022 – 13/11/2022");
        let one_day: Vec<Article> = p.articles[..1].to_vec();
        assert_eq!(bulletin_title(&one_day, "vi"), "Bản tin 11/11/2022");
        assert_eq!(bulletin_title(&[Article::new("x")], "en"), "Bulletin");
    }

    #[test]
    fn a_title_option_wins_over_the_folder_and_the_manifest() {
        let (_tmp, dir) = folder_of_articles("Ban-tin-tuan", 2);
        let reader = Reader::new(LoadOptions::default()).with_title(Some(" Tin tuần 46 "));
        let (p, _, _) = load(std::slice::from_ref(&dir), &reader).unwrap();
        assert_eq!(p.title, "Tin tuần 46");
        let manifest = dir.join("b.toml");
        std::fs::write(
            &manifest,
            "title = \"Bản tin\"\narticles = [\"a1.json\", \"a2.json\"]\n",
        )
        .unwrap();
        let (p, m, _) = load(std::slice::from_ref(&manifest), &reader).unwrap();
        assert!(m.is_some());
        assert_eq!(p.title, "Tin tuần 46");
        // A single article keeps its own title.
        let (p, _, _) = load(&[dir.join("a1.json")], &reader).unwrap();
        assert_eq!(p.title, "Bài số 1");
    }

    #[test]
    fn json_syntax_error_has_line_and_column() {
        let err = from_json::<Article>(Path::new("a.json"), "{\n  \"title\": \"x\",\n  oops\n}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.json:3:3:"), "{err}");
    }

    #[test]
    fn json_columns_count_characters() {
        let err = from_json::<Article>(Path::new("a.json"), "{\"title\": \"Tiêu đề\" \"x\": 1}")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.json:1:21:"), "{err}");
    }

    #[test]
    fn json_type_error_names_the_field() {
        let err = from_json::<Article>(
            Path::new("a.json"),
            r#"{"title": "x", "blocks": [{"type": "heading", "level": "two", "text": "y"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("blocks[0].level"), "{err}");
    }

    #[test]
    fn toml_error_has_line_and_field() {
        let err = from_toml::<Article>(
            Path::new("a.toml"),
            "title = \"x\"\n[[blocks]]\ntype = \"paragraph\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("a.toml:2:"), "{err}");
        assert!(err.contains("text"), "{err}");
    }
}
