//! The fonts a document embeds: which characters are shown (and which emphasised),
//! which family must hold each, and the subset faces with their `@font-face` rules and
//! licences ([`fonts_for_markup`]).

use std::collections::BTreeSet;
use std::sync::Arc;

use super::{css, webfont};
use crate::error::Result;
use crate::fonts::{FontFace, FontSet};
use crate::model::{Block, Publication, Text};

/// The faces of `fonts` a set of documents shows, subset to the characters of their text
/// (the text of each document's `<body>` and `<title>`; emphasised characters in the
/// italic faces unless `large` print): what a book packs as files and a page inlines as
/// `data:` URLs. Each rule's `url` is the file's, `../fonts/NAME.ttf` (relative to a
/// stylesheet in `css/`); a page replaces it.
pub(crate) fn fonts_for_markup<'a>(
    p: &Publication,
    fonts: &FontSet,
    large: bool,
    docs: impl IntoIterator<Item = &'a str>,
) -> Result<EmbeddedFonts> {
    let mut shown = CharSet::default();
    for d in docs {
        shown.add_text_of_markup(d);
    }
    shown.add_str(" \u{A0}\u{2014}"); // spaces and the quotation dash of the stylesheet
    let emphasis = emphasis_chars(p);
    embed_fonts(fonts, &shown.set, (!large).then_some(&emphasis))
}

/// The generic CSS family after the embedded ones: that of the primary family.
pub(crate) fn generic_family(fonts: &FontSet) -> &'static str {
    if fonts.primary().is_serif() {
        "serif"
    } else {
        "sans-serif"
    }
}

/// Every inline text of an article (lead, paragraphs, headings, quotes, items, captions).
pub(crate) fn texts_of(a: &crate::model::Article) -> impl Iterator<Item = &Text> {
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
pub(super) fn emphasis_chars(p: &Publication) -> BTreeSet<char> {
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
pub(super) struct CharSet {
    pub(super) set: BTreeSet<char>,
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
    pub(super) fn add_str(&mut self, s: &str) {
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
    pub(super) fn add_text_of_markup(&mut self, doc: &str) {
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

/// The embedded fonts: files, `@font-face` rules (one per file, in the same order),
/// family names for the stylesheet, and licence files.
pub(crate) struct EmbeddedFonts {
    pub(crate) files: Vec<(String, Vec<u8>)>,
    pub(crate) rules: Vec<css::FontFaceRule>,
    pub(crate) families: Vec<String>,
    pub(crate) licenses: Vec<(String, String)>,
}

/// The file-name stem of family `k`'s files: `1-be-vietnam-pro`.
fn font_slug(name: &str, k: usize) -> String {
    let s = crate::validate::slugify(name);
    if s.is_empty() {
        format!("font-{}", k + 1)
    } else {
        format!("{}-{}", k + 1, s)
    }
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
pub(super) fn embed_fonts(
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
        let slug = font_slug(&fam.name, k);
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
