//! krilla's validation findings mapped back to the article that caused them.
//!
//! While a page is drawn, every part of it gets a krilla [`Location`] ([`Locations::of`]):
//! an article part (title, byline, lead, block, list item, caption, attribution), a link
//! annotation, a front-matter part of a bulletin, a running header or page number. When
//! krilla's PDF/A or PDF/UA validator refuses the document, each [`ValidationError`]
//! becomes a [`Diagnostic`] naming the article's file and the part (its field path, or
//! its line and column in a Markdown file), what was refused, by which validators, and
//! what to do — never a generic "could not be written". Findings krilla gives no location
//! for are placed by what they are about (a string too long for a PDF: the field that
//! holds it; no title or language: the publication's field).

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::path::PathBuf;

use krilla::configure::{ValidationError, Validators};
use krilla::error::KrillaError;
use krilla::surface::Location;

use super::limits::{MAX_PDF_STRING, pdf_string_bytes};
use crate::error::{Diagnostic, Diagnostics, Error};
use crate::layout::{FrontPart, Item, Layout, Owner};
use crate::model::Block;
use crate::model::image_source::Changed;
use crate::pagemap::ArticlePart;
use crate::prepare::Prepared;

/// What a krilla [`Location`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Drawn {
    /// Text or an image of a part of the publication.
    Part(Owner),
    /// The link annotation over a part's text.
    Link(Owner),
    /// A running header.
    Header,
    /// A page number.
    PageNumber,
}

/// The locations handed to krilla while drawing, one per distinct [`Drawn`] thing.
#[derive(Debug, Default)]
pub(crate) struct Locations {
    drawn: Vec<Drawn>,
    ids: HashMap<Drawn, Location>,
}

impl Locations {
    /// The location of `what` (the same one each time it is asked for).
    pub(crate) fn of(&mut self, what: Drawn) -> Location {
        if let Some(l) = self.ids.get(&what) {
            return *l;
        }
        self.drawn.push(what);
        let l = NonZeroU64::new(self.drawn.len() as u64).expect("one or more");
        self.ids.insert(what, l);
        l
    }

    fn get(&self, l: Option<Location>) -> Option<Drawn> {
        let i = usize::try_from(l?.get()).ok()?.checked_sub(1)?;
        self.drawn.get(i).copied()
    }
}

/// A krilla error as anpham reports it: validation findings and image errors as located
/// diagnostics, a font krilla cannot embed as a font error, anything else (a bug) as
/// [`crate::pdf::error`].
pub(crate) fn pdf_error(
    e: KrillaError,
    prepared: &Prepared,
    layout: &Layout,
    locations: &Locations,
) -> Error {
    let p = prepared;
    match e {
        KrillaError::Validation(list) => {
            let mut diags = Vec::new();
            for (v, validators) in &list {
                for d in finding(v, *validators, p, layout, locations) {
                    if !diags.contains(&d) {
                        diags.push(d);
                    }
                }
            }
            prepared.locate(Error::Input(Diagnostics(diags)))
        }
        KrillaError::Font(font, msg) => Error::Font {
            name: font_name(layout, &font),
            message: format!("the PDF writer cannot embed the font: {msg}"),
            hint: "use another font file with --font".into(),
        },
        KrillaError::Image(_, location, msg) => match locations.get(location) {
            Some(Drawn::Part(Owner::Article(ai, ArticlePart::Block(bi)))) => {
                image_error(p, ai, bi, msg)
            }
            _ => prepared.locate(Error::input(
                Diagnostic {
                    message: format!("the PDF writer cannot embed an image: {msg}"),
                    ..publication_diagnostic(p, "")
                }
                .with_hint("use complete PNG or JPEG files (re-save them with an image editor)"),
            )),
        },
        other => crate::pdf::error(format!(
            "{other:?}\n  hint: this is a bug in anpham; please report it with the input"
        )),
    }
}

/// An image krilla cannot read, at its figure's `src`.
pub(crate) fn image_error(
    p: &Prepared,
    article: usize,
    block: usize,
    why: impl std::fmt::Display,
) -> Error {
    let at = part_diagnostic(p, Owner::Article(article, ArticlePart::Block(block)), "src");
    p.locate(Error::input(
        Diagnostic {
            message: format!("the PDF writer cannot embed the image: {why}"),
            ..at
        }
        .with_hint("use a complete PNG or JPEG file (re-save it with an image editor)"),
    ))
}

/// An image file that changed (or vanished) on disk after it was loaded and checked, so
/// the PDF writer cannot embed it, at its figure's `src`: the file is fine to use, only
/// not while anpham runs, so the hint says to build again (not to repair the image).
pub(crate) fn changed_image_error(
    p: &Prepared,
    article: usize,
    block: usize,
    c: &Changed,
) -> Error {
    let at = part_diagnostic(p, Owner::Article(article, ArticlePart::Block(block)), "src");
    p.locate(Error::input(
        Diagnostic {
            message: format!(
                "the PDF cannot embed the image file {}: {}",
                c.path.display(),
                c.what
            ),
            ..at
        }
        .with_hint(crate::model::image_source::CHANGED_HINT),
    ))
}

/// The diagnostics of one validation finding (several for a too-long string found in
/// several fields).
fn finding(
    v: &ValidationError,
    validators: Validators,
    p: &Prepared,
    layout: &Layout,
    locations: &Locations,
) -> Vec<Diagnostic> {
    let (what, hint) = describe(v, layout);
    let by = refused_by(validators);
    let message = format!("{what}: {by}");
    // `field`: the block's field a finding is about; `unlocated`: the publication's
    // field when krilla gives no location ("": the file as a whole).
    let at = |field: &str, unlocated: &str| match locations.get(location_of(v)) {
        Some(Drawn::Part(owner)) => part_diagnostic(p, owner, field),
        Some(Drawn::Link(owner)) => part_diagnostic(p, owner, "href"),
        Some(Drawn::Header) => publication_diagnostic(p, "title"),
        Some(Drawn::PageNumber) | None => publication_diagnostic(p, unlocated),
    };
    let placed = match v {
        ValidationError::TooLongString => {
            let long = too_long_strings(p);
            if long.is_empty() {
                vec![publication_diagnostic(p, "title")]
            } else {
                long.into_iter()
                    .map(|(file, field, bytes)| Diagnostic {
                        message: format!(
                            "the text is {bytes} bytes long as a PDF string, more than the {MAX_PDF_STRING} a PDF may hold: {by}"
                        ),
                        ..Diagnostic::field(&file, field, "")
                    })
                    .collect()
            }
        }
        ValidationError::NoDocumentLanguage => vec![publication_diagnostic(p, "lang")],
        ValidationError::NoDocumentTitle => vec![at("title", "title")],
        ValidationError::MissingAltText(_) => vec![at("alt", "")],
        _ => vec![at("text", "")],
    };
    placed
        .into_iter()
        .map(|d| {
            let message = if d.message.is_empty() {
                message.clone()
            } else {
                d.message
            };
            Diagnostic { message, ..d }.with_hint(hint)
        })
        .collect()
}

fn location_of(v: &ValidationError) -> Option<Location> {
    match v {
        ValidationError::ContainsPostScript(l)
        | ValidationError::ContainsNotDefGlyph(_, l, _)
        | ValidationError::NoCodepointMapping(_, _, l)
        | ValidationError::InvalidCodepointMapping(_, _, _, l)
        | ValidationError::UnicodePrivateArea(_, _, _, l)
        | ValidationError::MissingAltText(l)
        | ValidationError::MissingAnnotationAltText(l)
        | ValidationError::Transparency(l)
        | ValidationError::ImageInterpolation(l)
        | ValidationError::EmbeddedFile(_, l)
        | ValidationError::EmbeddedPDF(l)
        | ValidationError::RequiresNewerPdfVersion(_, l) => *l,
        _ => None,
    }
}

/// "the PDF/A-2a validator refuses it" / "the PDF/A-2a and PDF/UA-1 validators refuse it".
fn refused_by(validators: Validators) -> String {
    let names: Vec<&str> = [
        validators.archival().map(|a| a.as_str()),
        validators.accessibility().map(|a| a.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    match names.as_slice() {
        [] => "the PDF validator refuses it".into(),
        [one] => format!("the {one} validator refuses it"),
        many => format!("the {} validators refuse it", many.join(" and ")),
    }
}

const BUG: &str = "this is a bug in anpham, not in the input; please report it with the input";

/// What a finding is about, in the reader's words, and what to do.
fn describe(v: &ValidationError, layout: &Layout) -> (String, &'static str) {
    use ValidationError as V;
    match v {
        V::TooLongString => (
            "a text is too long for one PDF string".into(),
            "shorten it: alt text, titles and headings are read out in one go; a long description belongs in the body",
        ),
        V::TooLongName => (
            "a name in the PDF (such as a font's name) is longer than 127 bytes".into(),
            "use another font with --font",
        ),
        V::TooManyIndirectObjects => (
            "the PDF would hold more than 8,388,607 objects".into(),
            "build the articles separately (--each) or in several bulletins",
        ),
        V::ContainsNotDefGlyph(font, _, text) => (
            format!(
                "the text `{text}` has no glyph in {} (it would print as an empty box)",
                font_name(layout, font)
            ),
            "remove or replace it, or supply a font that has it with --font",
        ),
        V::NoCodepointMapping(font, glyph, _) => (
            format!(
                "glyph {} of {} stands for no character, so the text could not be copied or read aloud",
                glyph.to_u32(),
                font_name(layout, font)
            ),
            "use another font with --font",
        ),
        V::InvalidCodepointMapping(font, _, c, _) => (
            format!(
                "{} draws U+{:04X}, a character a PDF's text may not carry",
                font_name(layout, font),
                *c as u32
            ),
            "remove the character from the text",
        ),
        V::UnicodePrivateArea(font, _, c, _) => (
            format!(
                "U+{:04X} is a private-use character (drawn with {}): its meaning is known to no reader, screen reader or search",
                *c as u32,
                font_name(layout, font)
            ),
            "replace it with the standard Unicode character it stands for, or with words",
        ),
        V::RestrictedLicense(font) => (
            format!(
                "the licence of {} forbids embedding it",
                font_name(layout, font)
            ),
            "use another font with --font (the bundled fonts are OFL)",
        ),
        V::NoDocumentLanguage => (
            "the publication has no language".into(),
            "give `lang` (e.g. vi)",
        ),
        V::NoDocumentTitle => (
            "the publication has no title".into(),
            "give the publication a title",
        ),
        V::MissingAltText(_) => (
            "a figure has no alt text".into(),
            "describe what the image shows, or mark it `decorative: true`",
        ),
        V::MissingHeadingTitle => ("a heading has no text".into(), "give the heading text"),
        V::MissingDocumentDate => (
            "the document has no date".into(),
            "give the article a `date` (YYYY-MM-DD)",
        ),
        other => (
            format!("the PDF breaks a rule of the standard ({other:?})"),
            BUG,
        ),
    }
}

/// The name of a font the layout draws with.
fn font_name(layout: &Layout, font: &krilla::text::Font) -> String {
    layout
        .pages
        .iter()
        .flat_map(|pg| {
            pg.items
                .iter()
                .filter_map(|it| match it {
                    Item::Line(l) => Some(l),
                    Item::Image(_) => None,
                })
                .chain(pg.furniture.header.iter())
                .chain(std::iter::once(&pg.furniture.page_number))
        })
        .flat_map(|line| &line.runs)
        .find(|run| run.face.krilla == *font)
        .map_or_else(|| "its font".into(), |run| run.face.name.clone())
}

/// The file an article came from and the prefix of its fields (`articles[2].` for an
/// article written inside a manifest).
fn article_file(p: &crate::model::Publication, ai: usize) -> (PathBuf, String) {
    match p.articles.get(ai).and_then(|a| a.origin.as_ref()) {
        Some(o) if !o.field.is_empty() => (o.file.clone(), format!("{}.", o.field)),
        Some(o) => (o.file.clone(), String::new()),
        None => (PathBuf::from("<article>"), String::new()),
    }
}

/// A diagnostic at a publication-level field (of the manifest, or of the one article),
/// or about the file as a whole when `field` is empty.
fn publication_diagnostic(p: &Prepared, field: &str) -> Diagnostic {
    let (file, prefix) = if p.is_bulletin() {
        (p.file().to_path_buf(), String::new())
    } else {
        article_file(p, 0)
    };
    if field.is_empty() {
        Diagnostic::file(&file, "")
    } else {
        Diagnostic::field(&file, format!("{prefix}{field}"), "")
    }
}

/// A diagnostic at the field of an article part; `leaf` names the field of a block
/// (`text`, `alt`, `src`, `href`) when the part is a whole block.
fn part_diagnostic(p: &Prepared, owner: Owner, leaf: &str) -> Diagnostic {
    let (ai, field) = match owner {
        Owner::Article(ai, part) => {
            let block = |i: usize| match p.articles.get(ai).and_then(|a| a.blocks.get(i)) {
                Some(Block::Figure(_)) if leaf == "text" => format!("blocks[{i}]"),
                Some(Block::List { .. }) => format!("blocks[{i}].items"),
                _ => format!("blocks[{i}].{leaf}"),
            };
            let field = match part {
                ArticlePart::Title => "title".to_string(),
                ArticlePart::Meta => "author".into(),
                ArticlePart::Lead => "lead".into(),
                ArticlePart::Block(i) => block(i),
                ArticlePart::Item(i, j) => format!("blocks[{i}].items[{j}]"),
                ArticlePart::Caption(i) => format!("blocks[{i}].caption"),
                ArticlePart::Attribution(i) => format!("blocks[{i}].attribution"),
            };
            (ai, field)
        }
        Owner::ListLabel(ai, i, j) => (ai, format!("blocks[{i}].items[{j}]")),
        Owner::Front(FrontPart::TocEntry(i)) => (i, "title".into()),
        Owner::Front(FrontPart::Description) => return publication_diagnostic(p, "description"),
        Owner::Front(FrontPart::Meta) => return publication_diagnostic(p, "publisher"),
        Owner::Front(_) => return publication_diagnostic(p, "title"),
    };
    let (file, prefix) = article_file(p, ai);
    Diagnostic::field(&file, format!("{prefix}{field}"), "")
}

/// The fields whose text becomes a PDF string (document title, author, description,
/// publisher, headings and their outline entries, alt text) and is over
/// [`MAX_PDF_STRING`] bytes: (file, field, bytes). (The prepare stage refuses them, so
/// this only places a finding on a publication prepared some other way.)
fn too_long_strings(p: &Prepared) -> Vec<(PathBuf, String, usize)> {
    let mut out = Vec::new();
    let mut check = |file: &PathBuf, field: String, s: &str| {
        let n = pdf_string_bytes(s);
        if n > MAX_PDF_STRING {
            out.push((file.clone(), field, n));
        }
    };
    let pub_file = publication_diagnostic(p, "").file;
    let p: &crate::model::Publication = p;
    check(&pub_file, "title".into(), &p.title);
    for (field, v) in [("description", &p.description), ("publisher", &p.publisher)] {
        if let Some(v) = v {
            check(&pub_file, field.into(), v);
        }
    }
    for (ai, a) in p.articles.iter().enumerate() {
        let (file, prefix) = article_file(p, ai);
        if p.is_bulletin() || a.title != p.title {
            check(&file, format!("{prefix}title"), &a.title);
        }
        if let Some(au) = &a.author {
            check(&file, format!("{prefix}author"), au);
        }
        if let Some(l) = &a.lead {
            check(&file, format!("{prefix}lead"), &l.to_plain());
        }
        for (i, b) in a.blocks.iter().enumerate() {
            match b {
                Block::Heading { text, .. } => {
                    check(&file, format!("{prefix}blocks[{i}].text"), &text.to_plain())
                }
                Block::Figure(f) => {
                    if let Some(alt) = &f.alt {
                        check(&file, format!("{prefix}blocks[{i}].alt"), alt);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
