//! Font coverage, judged the way the writers draw: every character must be in some family
//! of the chain, and every cluster (a base character with its combining marks, which
//! shaping keeps in the base's face) must shape without `.notdef` in each face the text
//! may be drawn in (regular, bold, italic, bold italic). Per-character coverage alone let
//! `3` + U+035D pass `anpham check` and then fail `anpham build` inside krilla.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Diagnostics, Error, Place, Result};
use crate::fonts::FontSet;
use crate::model::Publication;
use crate::shape::{self, Style, StyledText};
use crate::validate::for_each_text;

/// At most this many coverage problems are reported.
const MAX_REPORTED: usize = 100;

/// Checks every text field of the publication against the font chain; each problem is
/// reported once per field with its file, field and character position.
pub fn check_coverage(fonts: &FontSet, publication: &Publication) -> Result<()> {
    let mut checker = Checker {
        fonts,
        diags: Vec::new(),
        covered: Covered::default(),
    };
    let pub_file = Path::new("<publication>");
    // A single article's publication title is the article's own (checked below).
    if publication
        .articles
        .first()
        .is_none_or(|a| a.title != publication.title)
    {
        checker.field(pub_file, "title", &publication.title, &publication.lang);
    }
    if let Some(d) = &publication.description {
        checker.field(pub_file, "description", d, &publication.lang);
    }
    if let Some(p) = &publication.publisher {
        checker.field(pub_file, "publisher", p, &publication.lang);
    }
    for (i, a) in publication.articles.iter().enumerate() {
        let (file, prefix) = match &a.origin {
            Some(o) if !o.field.is_empty() => (o.file.clone(), format!("{}.", o.field)),
            Some(o) => (o.file.clone(), String::new()),
            None => (PathBuf::from("<article>"), String::new()),
        };
        let lang = publication.article_lang(i);
        for_each_text(a, |field, text| {
            checker.field(&file, &format!("{prefix}{field}"), text, lang)
        });
    }
    if checker.diags.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(Diagnostics(checker.diags)))
    }
}

struct Checker<'a> {
    fonts: &'a FontSet,
    diags: Vec<Diagnostic>,
    /// Per-character coverage, looked up once per character.
    covered: Covered,
}

/// Characters below this are remembered in a table (Latin, Vietnamese, Greek, Cyrillic,
/// punctuation); the rest in a map. A bulletin's million characters were 6 ms of
/// hashing on the thread that lays out next.
const TABLE_END: u32 = 0x2100;

/// Which characters some font of the chain covers, as found so far.
struct Covered {
    /// `None`: not looked up yet.
    table: Vec<Option<bool>>,
    others: HashMap<char, bool>,
}

impl Default for Covered {
    fn default() -> Covered {
        Covered {
            table: vec![None; TABLE_END as usize],
            others: HashMap::new(),
        }
    }
}

impl Covered {
    /// Whether `fonts` covers `c`, asking them once per character.
    fn get(&mut self, c: char, fonts: &FontSet) -> bool {
        match self.table.get_mut(c as usize) {
            Some(known) => *known.get_or_insert_with(|| fonts.covers(c)),
            None => *self.others.entry(c).or_insert_with(|| fonts.covers(c)),
        }
    }
}

impl Checker<'_> {
    fn field(&mut self, file: &Path, field: &str, text: &str, lang: &str) {
        let mut seen = BTreeSet::new();
        let mut has_mark = false;
        for (i, c) in text.chars().enumerate() {
            // No combining mark is below U+0300.
            has_mark |= c >= '\u{300}' && unicode_normalization::char::is_combining_mark(c);
            let ok = self.covered.get(c, self.fonts);
            if !ok && seen.insert(c) && self.diags.len() < MAX_REPORTED {
                self.diags.push(self.missing_char(file, field, i + 1, c));
            }
        }
        // Clusters only need shaping when a combining mark may sit on a base whose face
        // lacks it (NFC Vietnamese has none, so this is rare and cheap).
        if has_mark
            && seen.is_empty()
            && self.diags.len() < MAX_REPORTED
            && let Some(d) = self.notdef_cluster(file, field, text, lang)
        {
            self.diags.push(d);
        }
    }

    fn missing_char(&self, file: &Path, field: &str, index: usize, c: char) -> Diagnostic {
        Diagnostic {
            file: file.to_path_buf(),
            place: Place::Char {
                field: field.to_string(),
                index,
            },
            message: format!(
                "the character {} (U+{:04X}{}) is in no font ({})",
                if c.is_control() {
                    String::from("�")
                } else {
                    format!("`{c}`")
                },
                c as u32,
                if ('\u{E000}'..='\u{F8FF}').contains(&c) {
                    ", private use"
                } else {
                    ""
                },
                self.family_names()
            ),
            severity: crate::error::Severity::Error,
            hints: vec!["remove or replace it, or supply a font that has it with --font".into()],
        }
    }

    fn family_names(&self) -> String {
        self.fonts
            .families
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first cluster of `text` that shapes to `.notdef` in one of the four styles.
    fn notdef_cluster(
        &self,
        file: &Path,
        field: &str,
        text: &str,
        lang: &str,
    ) -> Option<Diagnostic> {
        for (bold, italic) in [(false, false), (true, false), (false, true), (true, true)] {
            let mut st = StyledText::default();
            st.push(
                text,
                Style {
                    bold,
                    italic,
                    ..Style::default()
                },
            );
            let shaped = shape::shape(st, self.fonts, lang);
            let Some(g) = shaped.glyphs.iter().find(|g| g.id == 0) else {
                continue;
            };
            let cluster = &text[g.cluster.start as usize..g.cluster.end as usize];
            let index = text[..g.cluster.start as usize].chars().count() + 1;
            let face = &shaped.faces[g.face as usize].name;
            let codes: Vec<String> = cluster
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            return Some(Diagnostic {
                file: file.to_path_buf(),
                place: Place::Char {
                    field: field.to_string(),
                    index,
                },
                message: format!(
                    "`{cluster}` ({}) cannot be drawn: its base character's font {face} has no glyph for the combination",
                    codes.join(" ")
                ),
                severity: crate::error::Severity::Error,
                    hints: vec![
                    "remove the combining mark or use the precomposed letter, or supply a font that has both with --font".into(),
                ],
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, Block, Origin};

    fn located(title: &str, para: &str) -> Publication {
        let mut a = Article::new(title);
        a.blocks.push(Block::Paragraph { text: para.into() });
        a.origin = Some(Origin {
            file: "a.json".into(),
            field: String::new(),
        });
        Publication::single(a)
    }

    #[test]
    fn uncovered_characters_are_located() {
        let p = located("Tiêu đề \u{E000}", "Xin chào 🦜");
        let e = check_coverage(&FontSet::bundled(true), &p)
            .unwrap_err()
            .to_string();
        assert!(e.contains("a.json: title, character 9"), "{e}");
        assert!(!e.contains("<publication>"), "{e}");
        assert!(e.contains("U+E000, private use"), "{e}");
        assert!(
            e.contains("a.json: blocks[0].text, character 10") && e.contains("U+1F99C"),
            "{e}"
        );
    }

    #[test]
    fn a_mark_the_base_font_cannot_carry_is_refused_with_its_place() {
        // The fuzzers' finding: each character is in some font, the cluster is in none.
        let fonts = FontSet::bundled(true);
        assert!(fonts.covers('3') && fonts.covers('\u{35d}'));
        let p = located("Số", "Có 3\u{35d} cái");
        let e = check_coverage(&fonts, &p).unwrap_err().to_string();
        assert!(e.contains("a.json: blocks[0].text, character 4"), "{e}");
        assert!(e.contains("U+0033 U+035D"), "{e}");
    }

    #[test]
    fn decomposed_vietnamese_is_fine() {
        let p = located("Tie\u{302}\u{301}ng Vie\u{323}\u{302}t", "Đe\u{323}p");
        check_coverage(&FontSet::bundled(true), &p).unwrap();
        check_coverage(&FontSet::bundled(false), &p).unwrap();
    }

    #[test]
    fn remembered_coverage_is_the_fonts_answer_on_both_sides_of_the_table() {
        let fonts = FontSet::bundled(true);
        let mut covered = Covered::default();
        let chars = [
            'a', 'ệ', 'Ẫ', '\u{378}', '\u{20AB}', '\u{2100}', '\u{E000}', '🦜',
        ];
        // Asked twice: the second answer comes from what was remembered.
        for _ in 0..2 {
            for c in chars {
                assert_eq!(covered.get(c, &fonts), fonts.covers(c), "{c:?}");
            }
        }
        assert!(covered.get('ệ', &fonts) && !covered.get('\u{E000}', &fonts));
        assert_eq!(covered.others.len(), 3, "U+2100 and above are in the map");
    }
}
