//! Bulletin manifests: a publication's metadata, its articles (files, a folder, or
//! inline objects) and the editions to build. Documented in `docs/bulletin-manifest.md`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Format, Reader, articles, from_json, from_toml};
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::model::PageSizeName;
use crate::model::{Article, Origin, Publication};
use crate::scale::{FontScale, ScaleParseError};
use crate::validate;

/// A bulletin: the publication and the editions it asks for.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file (or the folder it was made from).
    pub path: PathBuf,
    /// The publication, with its articles loaded and validated.
    pub publication: Publication,
    /// The editions to build; `None` leaves the choice to the caller (CLI flags).
    pub(crate) editions: Option<EditionSpec>,
}

/// The editions a manifest asks for: the formats it names (any format or family of the
/// registry of editions, [`crate::editions`]) and the settings they share. Documented in
/// `docs/bulletin-manifest.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditionSpec {
    /// Page size of the PDFs.
    #[serde(default)]
    pub page_size: PageSizeName,
    /// The PDF edition (a scale from `pdf`) whose pages the EPUB's page list maps to;
    /// the first PDF edition when absent.
    #[serde(default)]
    pub page_list: Option<String>,
    /// The screen editions' base text size (a scale; the manifest's key is `epub_scale`, the
    /// first of them); standard when absent.
    #[serde(default, rename = "epub_scale")]
    pub screen_scale: Option<String>,
    /// Every other key: a format with `true`/`false` (`epub = false`) or its scales
    /// (`pdf = ["large"]`), or a family with the list of its formats.
    #[serde(flatten)]
    pub formats: BTreeMap<String, FormatValue>,
}

/// The value of a format in a manifest's `editions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, expecting = "true, false or a list of strings")]
pub enum FormatValue {
    /// Build it, or not.
    Yes(bool),
    /// A PDF's scales; a family's formats.
    List(Vec<String>),
}

impl EditionSpec {
    /// Whether the manifest asks for `format`: its own key (`true`, or a non-empty list),
    /// else its family's list, else the format's default for manifests.
    pub fn wants(&self, format: crate::editions::Format) -> bool {
        match self.formats.get(format.name()) {
            Some(FormatValue::Yes(b)) => *b,
            Some(FormatValue::List(l)) => !l.is_empty(),
            None => match self.formats.get(format.family()) {
                Some(FormatValue::List(l)) => l.iter().any(|n| n == format.name()),
                _ => format.manifest_default(),
            },
        }
    }

    /// The list given for `key` (a PDF's scales); empty when it has none.
    pub fn list(&self, key: &str) -> &[String] {
        match self.formats.get(key) {
            Some(FormatValue::List(l)) => l,
            _ => &[],
        }
    }

    /// The scales listed for the formats written once per scale, in registry order.
    pub(crate) fn scales(&self) -> Vec<&String> {
        let mut scales: Vec<&String> = Vec::new();
        for f in crate::editions::Format::all().filter(|f| f.per_scale()) {
            for s in self.list(f.name()) {
                if !scales.contains(&s) {
                    scales.push(s);
                }
            }
        }
        scales
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    title: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    articles: Vec<ArticleEntry>,
    #[serde(default)]
    folder: Option<String>,
    #[serde(default)]
    editions: Option<EditionSpec>,
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "an article file path or an article object")]
enum ArticleEntry {
    Path(String),
    Inline(Box<Article>),
}

/// Whether a JSON or TOML file is a bulletin (it has `articles` or `folder` at the top).
pub(super) fn looks_like_bulletin(format: Format, text: &str) -> bool {
    match format {
        Format::Json => {
            match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
                Ok(m) => m.contains_key("articles") || m.contains_key("folder"),
                // A file the parser refuses (a syntax error, values nested too deep) is
                // still a bulletin when its top level says so: its error then names the
                // place in the manifest, not "unknown field `articles`" of an article.
                Err(_) => json_top_level_keys(text)
                    .iter()
                    .any(|k| k == "articles" || k == "folder"),
            }
        }
        Format::Toml => text
            .parse::<toml::Table>()
            .is_ok_and(|t| t.contains_key("articles") || t.contains_key("folder")),
        Format::Markdown => false,
    }
}

/// The article files a manifest names (its `articles` paths and the article files of its
/// `folder`), canonical, read from its text without loading them: a library folder does
/// not list them again (`super::entries`). A manifest that cannot be parsed names none.
pub(super) fn named_files(path: &Path, format: Format, text: &str) -> Vec<PathBuf> {
    let (articles, folder): (Vec<String>, Option<String>) = match format {
        Format::Json => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => (
                v.get("articles")
                    .and_then(|a| a.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                v.get("folder").and_then(|f| f.as_str()).map(String::from),
            ),
            Err(_) => (Vec::new(), None),
        },
        Format::Toml => match text.parse::<toml::Table>() {
            Ok(t) => (
                t.get("articles")
                    .and_then(|a| a.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                t.get("folder").and_then(|f| f.as_str()).map(String::from),
            ),
            Err(_) => (Vec::new(), None),
        },
        Format::Markdown => (Vec::new(), None),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut files: Vec<PathBuf> = articles.iter().map(|a| base.join(a)).collect();
    if let Some(f) = folder {
        files.extend(super::article_files_in(&base.join(f)).unwrap_or_default());
    }
    files
        .into_iter()
        .filter_map(|f| std::fs::canonicalize(f).ok())
        .collect()
}

/// The keys of a JSON object's top level, found without parsing the values.
fn json_top_level_keys(text: &str) -> Vec<String> {
    if !text.trim_start().starts_with('{') {
        return Vec::new();
    }
    let mut keys = Vec::new();
    let (mut depth, mut in_string, mut escaped, mut expect_key) = (0usize, false, false, false);
    let mut current = String::new();
    for c in text.chars() {
        let in_key = depth == 1 && expect_key;
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
                continue;
            } else if c == '"' {
                in_string = false;
                if in_key {
                    keys.push(std::mem::take(&mut current));
                    expect_key = false;
                }
                continue;
            }
            if in_key {
                current.push(c);
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.clear();
            }
            '{' | '[' => {
                depth += 1;
                expect_key = depth == 1;
            }
            '}' | ']' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expect_key = true,
            _ => {}
        }
    }
    keys
}

/// Parses a manifest and loads every article it names.
pub(super) fn parse(path: &Path, format: Format, text: &str, reader: &Reader) -> Result<Manifest> {
    let file: ManifestFile = match format {
        Format::Json => from_json(path, text)?,
        Format::Toml => from_toml(path, text)?,
        Format::Markdown => unreachable!("markdown is never a manifest"),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let (mut articles, mut diags) = read_articles(path, base, file.articles, reader);
    if let Some(folder) = &file.folder {
        let dir = base.join(folder);
        match super::article_files_in(&dir) {
            Ok(files) if files.is_empty() => diags.push(
                Diagnostic::field(
                    path,
                    "folder",
                    format!("{} holds no article file", dir.display()),
                )
                .with_hint("put .json, .toml or .md articles in it"),
            ),
            Ok(files) => {
                let options = reader.options();
                let reads = articles::read_all(files, |f| articles::read_article_file(&f, options));
                let (more, more_diags) = take_articles(path, reader, reads);
                articles.extend(more);
                diags.extend(more_diags);
            }
            Err(e) => diags.push(Diagnostic::field(path, "folder", e.to_string())),
        }
    }
    articles::share_equal_images(&mut articles);
    if articles.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::field(path, "articles", "the bulletin has no article")
                .with_hint("list article files in `articles` or name a `folder`"),
        );
    }
    if !diags.is_empty() {
        return Err(Error::Input(Diagnostics(diags)));
    }
    let mut publication = Publication {
        title: file.title,
        lang: file.lang.unwrap_or_else(|| "vi".into()),
        publisher: file.publisher,
        date: file.date,
        identifier: file.identifier,
        description: file.description,
        articles,
    };
    validate::prepare_publication(&mut publication, path)?;
    if let Some(ed) = &file.editions {
        check_editions(path, ed)?;
    }
    Ok(Manifest {
        path: path.to_path_buf(),
        publication,
        editions: file.editions,
    })
}

/// Reads the articles listed in `articles` (files relative to `base`, or inline objects)
/// in parallel, taken in list order.
fn read_articles(
    path: &Path,
    base: &Path,
    entries: Vec<ArticleEntry>,
    reader: &Reader,
) -> (Vec<Article>, Vec<Diagnostic>) {
    let options = reader.options();
    let jobs: Vec<(usize, ArticleEntry)> = entries.into_iter().enumerate().collect();
    let reads = articles::read_all(jobs, |(i, entry)| match entry {
        ArticleEntry::Path(p) => {
            let full = base.join(&p);
            if !full.is_file() {
                return Err(Diagnostic::field(
                    path,
                    format!("articles[{i}]"),
                    format!("article file {} not found", full.display()),
                )
                .with_hint("paths are relative to the manifest's folder")
                .into());
            }
            articles::read_article_file(&full, options)
        }
        ArticleEntry::Inline(a) => {
            let mut a = *a;
            a.origin = Some(Origin {
                file: path.to_path_buf(),
                field: format!("articles[{i}]"),
            });
            if a.slug.is_none() {
                a.slug = Some(format!("article-{}", i + 1));
            }
            articles::prepare_inline(a, options)
        }
    });
    take_articles(path, reader, reads)
}

/// Takes the reads in order: the articles, and every error as a diagnostic (an error
/// that is not about the input, such as an unreadable file, names the manifest).
fn take_articles(
    path: &Path,
    reader: &Reader,
    reads: Vec<Result<articles::ArticleRead>>,
) -> (Vec<Article>, Vec<Diagnostic>) {
    let reads = reads
        .into_iter()
        .map(|r| match r {
            Err(e @ Error::Input(_)) => Err(e),
            Err(e) => Err(Diagnostic::file(path, e.to_string()).into()),
            ok => ok,
        })
        .collect();
    match articles::take_all(reader, reads) {
        Ok(taken) => taken,
        // Not reached: every error was made an input error above.
        Err(e) => (Vec::new(), vec![Diagnostic::file(path, e.to_string())]),
    }
}

/// Checks a manifest's `editions` against the registry of editions: every key is a format,
/// a family or a shared setting; scales parse; a family lists only its own formats.
fn check_editions(path: &Path, ed: &EditionSpec) -> Result<()> {
    let mut diags = Vec::new();
    let keys = crate::editions::manifest_keys();
    for (key, value) in &ed.formats {
        let field = format!("editions.{key}");
        let Some((_, missing)) = keys.iter().find(|(k, _)| k == key) else {
            let mut names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
            names.extend(["page_size", "page_list", "epub_scale"]);
            diags.push(
                Diagnostic::field(path, field, format!("unknown edition `{key}`"))
                    .with_hint(format!("use {}", names.join(", "))),
            );
            continue;
        };
        if let Some(feature) = missing {
            diags.push(
                Diagnostic::field(
                    path,
                    field,
                    format!("this anpham was built without the `{feature}` feature"),
                )
                .with_hint(format!(
                    "build anpham with `cargo build --features {feature}` (on by default), or leave `{key}` out"
                )),
            );
            continue;
        }
        let format = crate::editions::Format::named(key).ok();
        let FormatValue::List(list) = value else {
            continue;
        };
        match format {
            Some(f) if f.per_scale() => {
                for (i, s) in list.iter().enumerate() {
                    if let Err(e) = s.parse::<FontScale>() {
                        diags.push(scale_error(path, format!("{field}[{i}]"), &e));
                    }
                }
            }
            Some(_) => diags.push(
                Diagnostic::field(path, field, "expected true or false, not a list")
                    .with_hint(format!("write {key} = true")),
            ),
            None => {
                let own: Vec<&str> = crate::editions::Format::all()
                    .filter(|f| f.family() == key)
                    .map(|f| f.name())
                    .collect();
                for (i, b) in list.iter().enumerate() {
                    if !own.contains(&b.as_str()) {
                        let quoted: Vec<String> = own.iter().map(|n| format!("\"{n}\"")).collect();
                        diags.push(
                            Diagnostic::field(
                                path,
                                format!("{field}[{i}]"),
                                format!("unknown {key} format `{b}`"),
                            )
                            .with_hint(format!("use {}", quoted.join(" and/or "))),
                        );
                    }
                }
            }
        }
    }
    for (name, v) in [
        ("editions.page_list", &ed.page_list),
        ("editions.epub_scale", &ed.screen_scale),
    ] {
        if let Some(s) = v
            && let Err(e) = s.parse::<FontScale>()
        {
            diags.push(scale_error(path, name.to_string(), &e));
        }
    }
    if let Some(pl) = &ed.page_list {
        let want = pl.parse::<FontScale>().ok();
        if want.is_some()
            && !ed
                .scales()
                .iter()
                .any(|s| s.parse::<FontScale>().ok() == want)
        {
            diags.push(
                Diagnostic::field(
                    path,
                    "editions.page_list",
                    format!("no PDF edition at scale `{pl}`"),
                )
                .with_hint("name one of the scales listed in editions.pdf"),
            );
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics(diags)))
    }
}

/// A scale that does not parse, with the parse error's hint as the diagnostic's hint.
fn scale_error(path: &Path, field: String, e: &ScaleParseError) -> Diagnostic {
    let msg = e.to_string();
    match msg.split_once("; hint: ") {
        Some((m, hint)) => Diagnostic::field(path, field, m).with_hint(hint),
        None => Diagnostic::field(path, field, msg),
    }
}

impl Manifest {
    /// A manifest for a publication made from a folder or from several files.
    pub(crate) fn from_publication(publication: Publication, path: &Path) -> Manifest {
        Manifest {
            path: path.to_path_buf(),
            publication,
            editions: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's `editions` table knows every format and family of the registry of
    /// editions (also those of a feature left out of this build), and nothing else but
    /// the settings they share.
    #[test]
    fn the_schema_knows_every_edition() {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../../schema/article.schema.json")).unwrap();
        let props = schema["$defs"]["editions"]["properties"]
            .as_object()
            .expect("$defs.editions.properties");
        let mut in_schema: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = crate::editions::manifest_keys()
            .into_iter()
            .map(|(k, _)| k)
            .chain(["page_size", "page_list", "epub_scale"])
            .collect();
        in_schema.sort_unstable();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(in_schema, expected);
        // A family's list names exactly its formats.
        for f in crate::editions::Format::all() {
            if f.family() != f.name() {
                let listed = &props[f.family()]["items"]["enum"];
                assert!(
                    listed
                        .as_array()
                        .is_some_and(|l| l.contains(&f.name().into())),
                    "{}: {listed}",
                    f.name()
                );
            }
        }
    }

    /// Every format of the registry is asked for by its own key or in its family's list;
    /// other keys and values are located errors. The names come from the registry.
    #[test]
    fn editions_are_read_from_the_registry() {
        use crate::editions::Format;
        let path = Path::new("b.toml");
        for f in Format::all() {
            let own = if f.per_scale() {
                format!("{} = [\"large\"]", f.name())
            } else {
                format!("{} = true", f.name())
            };
            let mut texts = vec![own];
            if f.family() != f.name() {
                texts.push(format!("{} = [\"{}\"]", f.family(), f.name()));
            }
            for text in texts {
                let spec: EditionSpec = toml::from_str(&text).unwrap();
                check_editions(path, &spec).unwrap_or_else(|e| panic!("{text}: {e}"));
                assert!(spec.wants(f), "{text}");
                let others: Vec<&str> = Format::all()
                    .filter(|g| g != &f && spec.wants(*g))
                    .map(|g| g.name())
                    .collect();
                let defaults: Vec<&str> = Format::all()
                    .filter(|g| g != &f && g.manifest_default())
                    .map(|g| g.name())
                    .collect();
                assert_eq!(others, defaults, "{text}");
            }
        }
        // A format of one file (not per scale, its own family) given a list.
        let single = Format::all()
            .find(|f| !f.per_scale() && f.family() == f.name())
            .expect("a format of one file")
            .name();
        let bad: EditionSpec =
            serde_json::from_str(&format!(r#"{{"docx": true, "{single}": ["x"]}}"#)).unwrap();
        let err = check_editions(path, &bad).unwrap_err().to_string();
        assert!(
            err.contains("editions.docx: unknown edition `docx`"),
            "{err}"
        );
        assert!(
            err.contains(&format!("editions.{single}: expected true or false")),
            "{err}"
        );
        // A family that lists a format not its own.
        for (family, _) in crate::editions::manifest_keys() {
            if Format::named(family).is_ok() {
                continue;
            }
            let spec: EditionSpec =
                serde_json::from_str(&format!(r#"{{"{family}": ["dots"]}}"#)).unwrap();
            let err = check_editions(path, &spec).unwrap_err().to_string();
            assert!(
                err.contains(&format!(
                    "editions.{family}[0]: unknown {family} format `dots`"
                )) || err.contains("was built without the"),
                "{err}"
            );
        }
    }

    #[test]
    fn top_level_keys_are_found_without_parsing_values() {
        let deep = format!(r#"{{"title": "x", "articles": [{}"#, "[".repeat(500));
        assert_eq!(json_top_level_keys(&deep), ["title", "articles"]);
        assert!(looks_like_bulletin(Format::Json, &deep));
        assert_eq!(
            json_top_level_keys(r#"{"a\"b": {"articles": 1}, "c": "d,\"e"}"#),
            ["a\"b", "c"]
        );
        assert!(!looks_like_bulletin(
            Format::Json,
            r#"{"title": "x", "blocks": [[["#
        ));
    }
}
