//! Print to braille through liblouis: which table a language and grade use, where the
//! table files are found, and what is written for a character a table has no braille for.
//!
//! Tables (see `docs/braille.md`): first the folders of
//! [`BrailleOptions::table_dirs`](crate::braille::BrailleOptions::table_dirs) (the CLI's
//! `--braille-tables DIR`), file by file; then, for Vietnamese, the system's `vi-vn-gN` table
//! if it passes `VI_PROBE` (a liblouis whose own tables are right), else the tables written
//! for anpham and shipped in the crate (`braille::tables`, see `docs/braille.md`), which
//! include the system's table and correct it; for English, liblouis's own UEB tables. Table
//! names without a folder are found by liblouis in its own table folder
//! (`/usr/share/liblouis/tables` on Debian).
//!
//! A character the table has no braille for is written by the first fallback that applies
//! (`Fallback`), with a warning naming its place.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use unicode_normalization::UnicodeNormalization;

use super::louis;
use crate::error::{Diagnostic, Error, Result};
use crate::labels::is_lang;

/// The system's liblouis tables on Debian (`liblouis-data`), named in hints.
#[cfg(test)]
pub(crate) const SYSTEM_TABLES: &str = "/usr/share/liblouis/tables";

/// The display table used to read back braille written as Unicode cells.
const UNICODE_DIS: &str = "unicode.dis";

const MODE: i32 = louis::DOTS_IO | louis::UC_BRL;

/// Words a Vietnamese grade 0 table must write and read back unchanged to be used: capital
/// K (liblouis < 3.25 wrote it as the end-of-capitals sign), capital J (every liblouis up to
/// 3.39 reads ⠨⠚ back as "⦵"), capital M and Ê, ê, and a decimal number.
pub(crate) const VI_PROBE: &[&str] = &["Bắc Kạn", "Justin Jack", "Mai Êm bên", "giá 1.234,56 đồng"];

/// Braille grade: 0 uncontracted (the default), 1, 2 contracted, as the language's tables define them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grade {
    /// Uncontracted (Vietnamese `vi-vn-g0`; English UEB grade 1).
    #[default]
    G0,
    /// Vietnamese `vi-vn-g1`; English UEB grade 1.
    G1,
    /// Vietnamese `vi-vn-g2`; English UEB grade 2.
    G2,
}

impl Grade {
    /// From the option's number.
    pub(crate) fn from_number(n: u8) -> Option<Grade> {
        match n {
            0 => Some(Grade::G0),
            1 => Some(Grade::G1),
            2 => Some(Grade::G2),
            _ => None,
        }
    }

    /// The number.
    pub(crate) fn number(self) -> u8 {
        match self {
            Grade::G0 => 0,
            Grade::G1 => 1,
            Grade::G2 => 2,
        }
    }
}

/// The liblouis table file of a language and grade (the name in liblouis's own table
/// folder, and in a folder of `--braille-tables`), if anpham has one.
pub(crate) fn table_file(lang: &str, grade: Grade) -> Option<&'static str> {
    if is_lang(lang, "vi") {
        Some(match grade {
            Grade::G0 => "vi-vn-g0.utb",
            Grade::G1 => "vi-vn-g1.ctb",
            Grade::G2 => "vi-vn-g2.ctb",
        })
    } else if is_lang(lang, "en") {
        Some(match grade {
            Grade::G0 | Grade::G1 => "en-ueb-g1.ctb",
            Grade::G2 => "en-ueb-g2.ctb",
        })
    } else {
        None
    }
}

/// The shipped Vietnamese table of a grade (see [`super::tables::SHIPPED`]).
fn shipped_file(grade: Grade) -> &'static str {
    match grade {
        Grade::G0 => "anpham-vi-g0.utb",
        Grade::G1 => "anpham-vi-g1.ctb",
        Grade::G2 => "anpham-vi-g2.ctb",
    }
}

/// The first folder of `dirs` holding `file`.
pub(crate) fn find_table(file: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    dirs.iter().map(|d| d.join(file)).find(|p| p.is_file())
}

/// Where a piece of text comes from, for error messages and warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The input file (or the publication's title when there is none).
    pub file: String,
    /// The article (1-based) and the part (`title`, `block 3`, `figure 2 alt text` …).
    pub part: String,
}

/// What is written for a character the table has no braille for, in this order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// Nothing: an invisible formatting character (zero-width space and joiners, direction
    /// marks, word joiner, byte order mark, variation selectors), which no font prints.
    Invisible,
    /// Its Unicode compatibility decomposition (`½` → `1/2`, `ﬁ` → `fi`, `ｆ` → `f`; a
    /// superscript or subscript → the table's own superscript or subscript indicator and the
    /// decomposed character, e.g. `⁰` → the indicator the table writes before `2` in `²`, and
    /// `0`). Combining marks the table lacks are left out (`ş` → `s`).
    Decomposition(String),
    /// A description in the text's language from `src/braille/tables/descriptions.tsv`
    /// (`°` → "độ" / "degrees"), set off by blank cells.
    Description(String),
    /// The code point in hex as a transcriber's note: Vietnamese "(ký tự U+20BF)", English
    /// UEB's transcriber's note indicators ⠈⠨⠣ … ⠈⠨⠜ around "U+20BF".
    CodePoint,
}

/// A character's braille when the table has none: the cells and how they were made.
#[derive(Debug, Clone)]
struct Substitute {
    cells: String,
    how: Fallback,
}

/// A translator for one language and grade.
pub(crate) struct Translator {
    table: String,
    lang: String,
    /// `None`: the table has braille for the character.
    substitutes: Mutex<HashMap<char, Option<Substitute>>>,
    warnings: Mutex<(Vec<Diagnostic>, HashSet<String>)>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator")
            .field("table", &self.table)
            .finish()
    }
}

impl Translator {
    /// The translator of `lang` at `grade`; tables in `dirs` (a user's own) come first.
    pub fn new(lang: &str, grade: Grade, dirs: &[PathBuf]) -> Result<Translator> {
        let file = table_file(lang, grade).ok_or_else(|| {
            crate::braille::error(format!(
                "no braille table for language `{lang}`\n  hint: anpham has Vietnamese (vi) and English (en) braille; set the article's `lang` to one of them"
            ))
        })?;
        // Without liblouis, say what to install (not that a table does not compile).
        louis::available().map_err(crate::braille::error)?;
        let vi = is_lang(lang, "vi");
        let table = if let Some(path) = find_table(file, dirs) {
            let table = path.to_string_lossy().into_owned();
            compiles(&table)?;
            if vi {
                let g0 = path.with_file_name("vi-vn-g0.utb");
                probe_vietnamese(&g0.to_string_lossy()).map_err(|word| {
                    crate::braille::error(format!(
                        "the Vietnamese braille tables in {} do not read back \"{word}\"\n  hint: leave out --braille-tables to use the tables anpham ships",
                        path.parent().map_or_else(String::new, |p| p.display().to_string())
                    ))
                })?;
            }
            table
        } else if vi {
            vietnamese_table(file, grade)?
        } else {
            compiles(file).map_err(|_| missing_table(file, dirs))?;
            file.to_string()
        };
        Ok(Translator {
            table,
            lang: lang.to_string(),
            substitutes: Mutex::new(HashMap::new()),
            warnings: Mutex::new((Vec::new(), HashSet::new())),
        })
    }

    /// The table file in use.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// The warnings given so far (one per character and place), taken.
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        let mut w = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut w.0)
    }

    /// Translates `text` to Unicode braille (6-dot cells, U+2800–U+283F; a space is U+2800).
    /// A character the table has no braille for is written by its [`Fallback`], with a
    /// warning naming `place`.
    pub fn translate(&self, text: &str, place: &Place) -> Result<String> {
        if text.is_empty() {
            return Ok(String::new());
        }
        // A letter and its combining marks are one character of the table (prepared text is
        // NFC already; this is for other callers).
        let composed: String;
        let text = if unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
        {
            text
        } else {
            composed = text.nfc().collect();
            &composed
        };
        let mut out = String::new();
        let mut run_start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            if c.is_whitespace() {
                continue;
            }
            let Some(sub) = self.substitute(c)? else {
                continue;
            };
            out.push_str(&self.translate_run(&text[run_start..i], place)?);
            let blank_before = matches!(sub.how, Fallback::Description(_))
                && k > 0
                && !chars[k - 1].1.is_whitespace();
            let blank_after = matches!(sub.how, Fallback::Description(_))
                && chars.get(k + 1).is_some_and(|(_, n)| !n.is_whitespace());
            if blank_before {
                out.push('\u{2800}');
            }
            out.push_str(&sub.cells);
            if blank_after {
                out.push('\u{2800}');
            }
            self.warn(c, k + 1, &sub.how, place);
            run_start = i + c.len_utf8();
        }
        out.push_str(&self.translate_run(&text[run_start..], place)?);
        Ok(out)
    }

    /// Text whose every character has braille.
    fn translate_run(&self, text: &str, place: &Place) -> Result<String> {
        if text.is_empty() {
            return Ok(String::new());
        }
        let cells = louis::translate(&self.table, text, MODE)
            .map_err(|e| crate::braille::error(format!("{}: {}: {e}", place.file, place.part)))?;
        Ok(six_dots(&cells))
    }

    fn warn(&self, c: char, index: usize, how: &Fallback, place: &Place) {
        let mut w = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        let key = format!("{}\u{0}{}\u{0}{index}\u{0}{c}", place.file, place.part);
        if !w.1.insert(key) {
            return;
        }
        let table = self.table.rsplit('/').next().unwrap_or(&self.table);
        let written = match how {
            Fallback::Decomposition(d) => match script_position(c) {
                Some('\u{B2}') => format!(
                    "written as the table's superscript indicator and `{d}` (its Unicode compatibility decomposition)"
                ),
                Some(_) => format!(
                    "written as the table's subscript indicator and `{d}` (its Unicode compatibility decomposition)"
                ),
                None => format!("written as its Unicode compatibility decomposition `{d}`"),
            },
            Fallback::Description(d) => format!("written as the description \"{d}\""),
            Fallback::CodePoint => "written as its code point in a transcriber's note".into(),
            Fallback::Invisible => "an invisible formatting character, left out".into(),
        };
        w.0.push(
            Diagnostic {
                file: PathBuf::from(&place.file),
                place: crate::error::Place::Char {
                    field: place.part.clone(),
                    index,
                },
                message: format!(
                    "U+{:04X} `{c}` has no braille in {table}: {written}",
                    c as u32
                ),
                hints: vec![
                    "replace the character in the input to choose its braille (docs/braille.md, \"Characters without braille\")".into(),
                ],
                severity: crate::error::Severity::Error,
            }
            .as_warning(),
        );
    }

    /// Whether the table has braille for `c` (translated alone with liblouis's `noUndefined`
    /// mode, blank output means none).
    fn is_defined(&self, c: char) -> Result<bool> {
        let out = louis::translate(&self.table, &c.to_string(), MODE | louis::NO_UNDEFINED)
            .map_err(|e| crate::braille::error(e.to_string()))?;
        Ok(!out.chars().all(|b| b == '\u{2800}'))
    }

    /// The substitute of `c`, or `None` when the table has braille for it (cached).
    fn substitute(&self, c: char) -> Result<Option<Substitute>> {
        if let Some(s) = self
            .substitutes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&c)
        {
            return Ok(s.clone());
        }
        let s = if self.is_defined(c)? {
            None
        } else {
            Some(self.make_substitute(c)?)
        };
        self.substitutes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(c, s.clone());
        Ok(s)
    }

    fn make_substitute(&self, c: char) -> Result<Substitute> {
        let bare = Place {
            file: String::new(),
            part: String::new(),
        };
        // 0. Invisible formatting characters.
        if is_invisible(c) {
            return Ok(Substitute {
                cells: String::new(),
                how: Fallback::Invisible,
            });
        }
        // 1. The compatibility decomposition, marks the table lacks left out.
        let mut decomposed = String::new();
        unicode_normalization::char::decompose_compatible(c, |d| decomposed.push(d));
        let mut kept = String::new();
        for d in decomposed.chars() {
            let mark = unicode_normalization::char::is_combining_mark(d);
            if d.is_whitespace() || self.is_defined(d)? {
                kept.push(d);
            } else if !mark {
                kept.clear();
                break;
            }
        }
        if !kept.is_empty() && kept != c.to_string() {
            let script = script_position(c);
            let indicator = match script {
                Some(example) => self.script_indicator(example)?,
                None => Some(String::new()),
            };
            if let Some(indicator) = indicator {
                let cells = indicator + &self.translate_run(&kept, &bare)?;
                return Ok(Substitute {
                    cells,
                    how: Fallback::Decomposition(kept),
                });
            }
        }
        // 2. A description in the text's language.
        if let Some((vi, en)) = descriptions().get(&c) {
            let d = if is_lang(&self.lang, "vi") { vi } else { en };
            if d.chars()
                .all(|x| x.is_whitespace() || self.is_defined(x).unwrap_or(false))
            {
                return Ok(Substitute {
                    cells: self.translate_run(d, &bare)?,
                    how: Fallback::Description(d.clone()),
                });
            }
        }
        // 3. The code point in a transcriber's note.
        let hex = format!("U+{:04X}", c as u32);
        let cells = if let Some(note) = crate::labels::character_note(&self.lang, &hex) {
            self.translate_run(&note, &bare)?
        } else {
            format!(
                "\u{2808}\u{2828}\u{2823}{}\u{2808}\u{2828}\u{281C}",
                self.translate_run(&hex, &bare)?
            )
        };
        Ok(Substitute {
            cells,
            how: Fallback::CodePoint,
        })
    }

    /// The cells the table writes before a superscript (or subscript) character, found from
    /// how it writes `example` (`²` or `₂`) and `2`; `None` if it has no such indicator.
    fn script_indicator(&self, example: char) -> Result<Option<String>> {
        if !self.is_defined(example)? {
            return Ok(None);
        }
        let bare = Place {
            file: String::new(),
            part: String::new(),
        };
        let with = self.translate_run(&example.to_string(), &bare)?;
        let plain = self.translate_run("2", &bare)?;
        Ok(with
            .strip_suffix(plain.as_str())
            .filter(|i| !i.is_empty())
            .map(str::to_string))
    }
}

/// Whether `c` is an invisible formatting character (Unicode general category Cf among the
/// ones news text carries, and variation selectors).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{180E}'
            | '\u{061C}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// `Some('²')` for a superscript character, `Some('₂')` for a subscript one.
fn script_position(c: char) -> Option<char> {
    match c {
        '\u{B2}' | '\u{B3}' | '\u{B9}' | '\u{2070}'..='\u{207F}' => Some('\u{B2}'),
        '\u{2080}'..='\u{209C}' => Some('\u{2082}'),
        _ => None,
    }
}

/// The descriptions of `descriptions.tsv`: character → (Vietnamese, English).
fn descriptions() -> &'static HashMap<char, (String, String)> {
    static MAP: OnceLock<HashMap<char, (String, String)>> = OnceLock::new();
    MAP.get_or_init(|| {
        include_str!("tables/descriptions.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let mut c = f.next()?.chars();
                let ch = c.next().filter(|_| c.next().is_none())?;
                Some((ch, (f.next()?.to_string(), f.next()?.to_string())))
            })
            .collect()
    })
}

/// Masks liblouis's cells to dots 1–6 (BRF and 6-dot embossers know only those).
fn six_dots(cells: &str) -> String {
    cells
        .chars()
        .map(|c| match c as u32 {
            0x2800..=0x28FF => char::from_u32(0x2800 | ((c as u32) & 0x3F)).unwrap_or('\u{2800}'),
            _ => '\u{2800}',
        })
        .collect()
}

/// Whether liblouis compiles `table` (false when liblouis is not loaded: [`Translator::new`]
/// has said so already).
fn check_table(table: &str) -> bool {
    louis::check_table(table).unwrap_or(false)
}

fn compiles(table: &str) -> Result<()> {
    if check_table(table) {
        Ok(())
    } else {
        Err(crate::braille::error(format!(
            "liblouis cannot compile {table}\n  hint: install Debian's liblouis-data (apt-get install liblouis-data)"
        )))
    }
}

/// The Vietnamese table of `grade`: the system's if it passes [`VI_PROBE`], else anpham's.
fn vietnamese_table(file: &str, grade: Grade) -> Result<String> {
    if check_table(file) && check_table("vi-vn-g0.utb") && probe_vietnamese("vi-vn-g0.utb").is_ok()
    {
        return Ok(file.to_string());
    }
    let dir = super::tables::shipped_dir().map_err(|e| {
        crate::braille::error(format!(
            "{e}\n  hint: make the temporary folder writable, or pass --braille-tables DIR"
        ))
    })?;
    let table = dir.join(shipped_file(grade)).to_string_lossy().into_owned();
    if !check_table(&table) {
        return Err(crate::braille::error(format!(
            "liblouis cannot compile {table}: it includes the system's {file}, which was not found\n  hint: install Debian's liblouis-data (apt-get install liblouis-data)"
        )));
    }
    let g0 = dir.join(shipped_file(Grade::G0));
    probe_vietnamese(&g0.to_string_lossy()).map_err(|word| {
        crate::braille::error(format!(
            "anpham's Vietnamese braille tables ({}) do not read back \"{word}\" with liblouis {}\n  hint: please report this with the liblouis version; meanwhile pass --braille-tables DIR with tables that do",
            g0.display(),
            louis::version().unwrap_or_default()
        ))
    })?;
    Ok(table)
}

/// `Ok` when every word of [`VI_PROBE`] translates with the grade 0 table `g0` and reads
/// back unchanged, else the first that does not.
pub(crate) fn probe_vietnamese(g0: &str) -> std::result::Result<(), &'static str> {
    let back_tables = format!("{UNICODE_DIS},{g0}");
    for probe in VI_PROBE {
        let ok = louis::translate(g0, probe, MODE)
            .and_then(|b| louis::back_translate(&back_tables, &b, 0))
            .is_ok_and(|back| back == *probe);
        if !ok {
            return Err(probe);
        }
    }
    Ok(())
}

fn missing_table(file: &str, dirs: &[PathBuf]) -> Error {
    let mut searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    searched.push("liblouis's table folder".into());
    crate::braille::error(format!(
        "the liblouis table {file} was not found in {}\n  hint: install Debian's liblouis-data (apt-get install liblouis-data), or pass --braille-tables DIR with a folder holding it",
        searched.join(", ")
    ))
}

/// Reads Unicode braille `cells` back to print with the table anpham uses for `lang` at
/// `grade` (the same choice as a build's, `table_dirs` first), for proofreading and tests.
/// Contracted Vietnamese (grades 1 and 2) is written one way only and does not read back well.
pub fn read_back(lang: &str, grade: Grade, table_dirs: &[PathBuf], cells: &str) -> Result<String> {
    let t = Translator::new(lang, grade, table_dirs)?;
    louis::back_translate(&format!("{UNICODE_DIS},{}", t.table()), cells, 0)
        .map_err(|e| crate::braille::error(e.to_string()))
}

/// The version of the liblouis in use (e.g. "3.24.0").
pub fn liblouis_version() -> String {
    louis::version().unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::path::Path;

    /// No folders of the user's own: the tables anpham finds by itself.
    pub(crate) fn test_dirs() -> Vec<PathBuf> {
        Vec::new()
    }

    fn place() -> Place {
        Place {
            file: "test.md".into(),
            part: "article 1, block 2".into(),
        }
    }

    fn back(table: &str, cells: &str) -> String {
        louis::back_translate(&format!("{UNICODE_DIS},{table}"), cells, 0).unwrap()
    }

    /// With no configuration, Vietnamese uses a table that passes the probe: on liblouis
    /// 3.24 (whose own table fails it) the shipped one.
    #[test]
    fn vietnamese_tables_are_found_without_configuration() {
        if !louis::loaded_or_skip() {
            return;
        }
        for grade in [Grade::G0, Grade::G1, Grade::G2] {
            let t = Translator::new("vi", grade, &[]).unwrap();
            let system_passes = probe_vietnamese("vi-vn-g0.utb").is_ok();
            assert_eq!(
                t.table().contains("anpham-vi-g"),
                !system_passes,
                "{}",
                t.table()
            );
        }
        let t = Translator::new("vi", Grade::G0, &[]).unwrap();
        for word in [
            "Bắc Kạn",
            "Justin",
            "Jack",
            "Frank",
            "Walter",
            "Zoe",
            "JOHN",
            "Âu Cơ",
        ] {
            let b = t.translate(word, &place()).unwrap();
            assert_eq!(back(t.table(), &b), word, "{b}");
        }
        // liblouis ≥ 3.25's tables read ⠸ + a letter with a Greek capital (F: Φ) as Greek
        // (docs/braille.md); 3.24's do not.
        if louis::version().unwrap_or_default().starts_with("3.24") {
            let b = t.translate("FIFA", &place()).unwrap();
            assert_eq!(back(t.table(), &b), "FIFA", "{b}");
        }
    }

    /// A passage in capitals (⠨⠨ … ⠱) ends where its end sign is when read back: the words
    /// after it keep their small letters (liblouis read them all in capitals before the
    /// shipped tables defined the passage's end first). Capital Greek letters are ⠸ + the
    /// letter forward (Rho included); "5*6" is ⠼⠑⠦⠼⠋ and reads back as "5*6".
    #[test]
    fn capitals_passages_end_and_math_signs_read_back() {
        if !louis::loaded_or_skip() {
            return;
        }
        let t = Translator::new("vi", Grade::G0, &[]).unwrap();
        let s = "HOA THẮM TƯƠI MUÔN ĐỜI! và Bắc Kạn";
        let b = t.translate(s, &place()).unwrap();
        assert!(b.starts_with("⠨⠨") && b.contains("⠖⠱"), "{b}");
        assert_eq!(back(t.table(), &b), s, "{b}");
        let b = t.translate("Ρ Ω", &place()).unwrap();
        assert_eq!(b, "⠸⠗\u{2800}⠸⠺");
        let b = t.translate("5*6", &place()).unwrap();
        assert_eq!(b, "⠼⠑⠦⠼⠋");
        assert_eq!(back(t.table(), &b), "5*6");
        // Elsewhere the star keeps the system's cells (⠐⠦ on 3.24, ⠦ from 3.25 on) and ⠦
        // before a word is the opening quotation mark.
        let b = t.translate("(*) “Bắc”", &place()).unwrap();
        assert!(b.starts_with("⠈⠣⠐⠦⠈⠜") || b.starts_with("⠈⠣⠦⠈⠜"), "{b}");
        assert!(back(t.table(), &b).contains("\"Bắc"), "{b}");
    }

    /// liblouis 3.24's own Vietnamese table fails the probe ("Bắc Kạn" reads back "Bắc ạn").
    #[test]
    fn old_system_table_fails_the_probe() {
        if !louis::loaded_or_skip() {
            return;
        }
        if louis::version().unwrap_or_default().starts_with("3.24") {
            assert_eq!(probe_vietnamese("vi-vn-g0.utb"), Err("Bắc Kạn"));
        }
    }

    /// A folder of the user's own whose Vietnamese tables fail the probe is refused, naming it.
    #[test]
    fn user_tables_that_fail_the_probe_are_refused() {
        if !louis::loaded_or_skip() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let system = Path::new(SYSTEM_TABLES);
        if !system.join("vi-vn-g0.utb").is_file() {
            crate::test_support::skip(&format!(
                "no {SYSTEM_TABLES}/vi-vn-g0.utb (liblouis's own tables: apt-get install liblouis-data)"
            ));
            return;
        }
        // The system's table (every liblouis up to 3.39 reads capital J back as "⦵").
        for f in ["vi-vn-g0.utb", "vi-vn-g1.ctb"] {
            std::fs::write(
                dir.path().join(f),
                format!("include {}\n", system.join(f).display()),
            )
            .unwrap();
        }
        let e = Translator::new("vi", Grade::G1, &[dir.path().to_path_buf()]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains(&dir.path().display().to_string()) && m.contains("do not read back"),
            "{m}"
        );
        // A folder without the table is passed over.
        let t = Translator::new("en", Grade::G2, &[PathBuf::from("/nonexistent")]).unwrap();
        assert_eq!(t.table(), "en-ueb-g2.ctb");
    }

    #[test]
    fn unknown_language_is_refused() {
        let e = Translator::new("fr", Grade::G0, &test_dirs()).unwrap_err();
        assert!(e.to_string().contains("`fr`"));
    }

    /// The three fallbacks, in order, each with a located warning.
    #[test]
    fn characters_without_braille_get_their_fallback() {
        if !louis::loaded_or_skip() {
            return;
        }
        let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
        let tb = t.table().to_string();
        // 1. Decomposition: a superscript zero is the table's superscript indicator and 0,
        // as it writes "²" (indicator and 2).
        let sup2 = t.translate("²", &place()).unwrap();
        let two = t.translate("2", &place()).unwrap();
        let indicator = sup2.strip_suffix(two.as_str()).unwrap();
        assert!(!indicator.is_empty());
        let zero = t.translate("0", &place()).unwrap();
        let b = t.translate("30⁰C", &place()).unwrap();
        let thirty = t.translate("30", &place()).unwrap();
        assert!(b.starts_with(&format!("{thirty}{indicator}{zero}")), "{b}");
        // A ligature and a full-width letter: their letters.
        assert_eq!(
            t.translate("ﬁ", &place()).unwrap(),
            t.translate("fi", &place()).unwrap()
        );
        assert_eq!(back(&tb, &t.translate("ｆ", &place()).unwrap()), "f");
        // 2. A description in the text's language.
        let b = t.translate("Giá 5 \u{20BF} hôm nay", &place()).unwrap();
        assert_eq!(back(&tb, &b), "Giá 5 bitcoin hôm nay");
        let b = t.translate("100₫", &place()).unwrap();
        assert_eq!(back(&tb, &b), "100 đồng");
        let en = Translator::new("en", Grade::G1, &test_dirs()).unwrap();
        let b = en.translate("5\u{20BF}", &place()).unwrap();
        assert!(back(en.table(), &b).contains("bitcoin"), "{b}");
        // 0. An invisible character is left out (a warning all the same).
        let b = t.translate("Jae\u{200B}in", &place()).unwrap();
        assert_eq!(back(&tb, &b), "Jaein");
        // 3. The code point.
        let b = t.translate("a \u{1F600} b", &place()).unwrap();
        assert_eq!(back(&tb, &b), "a (ký tự U+1F600) b");
        let b = en.translate("\u{1F600}", &place()).unwrap();
        assert!(b.starts_with("⠈⠨⠣") && b.ends_with("⠈⠨⠜"), "{b}");
        // Each a warning naming the place, once per place.
        let _ = t.translate("Giá 5 \u{20BF} hôm nay", &place()).unwrap();
        let w = t.take_warnings();
        let msgs: Vec<String> = w.iter().map(ToString::to_string).collect();
        assert_eq!(w.len(), 7, "{msgs:#?}");
        assert!(
            w.iter()
                .all(|d| d.severity == crate::error::Severity::Warning)
        );
        let btc = &msgs[3];
        assert!(
            btc.contains("test.md")
                && btc.contains("article 1, block 2, character 7")
                && btc.contains("U+20BF")
                && btc.contains("bitcoin"),
            "{btc}"
        );
        assert!(
            msgs[0].contains("U+2070") && msgs[0].contains("decomposition"),
            "{}",
            msgs[0]
        );
        assert!(
            msgs[5].contains("U+200B") && msgs[5].contains("invisible"),
            "{}",
            msgs[5]
        );
        assert!(
            msgs[6].contains("U+1F600") && msgs[6].contains("transcriber"),
            "{}",
            msgs[6]
        );
        assert!(t.take_warnings().is_empty());
    }

    /// The upstream liblouis cases for Vietnamese (tests/data/braille/vi-upstream.txt), each
    /// forward (through anpham's translator and through liblouis alone with the same table)
    /// and, where two-way, back; every failing case is reported, and any failure fails the
    /// test.
    #[test]
    fn vietnamese_follows_the_upstream_cases() {
        if !louis::loaded_or_skip() {
            return;
        }
        let data = include_str!("../../tests/data/braille/vi-upstream.txt");
        let tables: Vec<Translator> = [Grade::G0, Grade::G1, Grade::G2]
            .into_iter()
            .map(|g| Translator::new("vi", g, &test_dirs()).unwrap())
            .collect();
        let (cases, failures) = run_cases(data, &tables);
        eprintln!(
            "upstream Vietnamese cases: {}/{} pass with {} on liblouis {}",
            cases - failures.len(),
            cases,
            tables[0].table(),
            louis::version().unwrap_or_default()
        );
        for f in &failures {
            eprintln!("  {f}");
        }
        assert_eq!(cases, 51, "the cases of vi-upstream.txt");
        assert!(
            failures.is_empty(),
            "{} of {cases} upstream cases fail:\n{failures:#?}",
            failures.len()
        );
    }

    /// Runs the cases of `data` (the format of vi-upstream.txt): (cases, failure messages).
    pub(crate) fn run_cases(data: &str, tables: &[Translator]) -> (usize, Vec<String>) {
        let mut cases = 0;
        let mut failures = Vec::new();
        for (n, line) in data.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            assert!(f.len() >= 4, "line {}: {line}", n + 1);
            let t = &tables[match f[1] {
                "g0" => 0,
                "g1" => 1,
                _ => 2,
            }];
            let print = unescape(f[2]);
            let braille = f[3].replace(' ', "\u{2800}");
            cases += 1;
            let got = t.translate(&print, &place()).unwrap();
            if got != braille {
                failures.push(format!(
                    "line {}: {print:?} → {got}, expected {braille}",
                    n + 1
                ));
                continue;
            }
            // The table alone, as upstream's test runner calls liblouis (no anpham fallback,
            // no whitespace handling before liblouis).
            let raw = louis::translate(&format!("{UNICODE_DIS},{}", t.table()), &print, 0).unwrap();
            if raw != braille {
                failures.push(format!(
                    "line {}: {print:?} → {raw} by liblouis alone, expected {braille}",
                    n + 1
                ));
                continue;
            }
            if f[0] == "both" {
                let b = back(t.table(), &braille);
                if b != print {
                    failures.push(format!(
                        "line {}: {braille} reads back {b:?}, expected {print:?}",
                        n + 1
                    ));
                }
            }
        }
        (cases, failures)
    }

    /// `\t` and `\u{HHHH}` escapes.
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(k) = rest.find('\\') {
            out.push_str(&rest[..k]);
            rest = &rest[k..];
            if let Some(r) = rest.strip_prefix("\\t") {
                out.push('\t');
                rest = r;
            } else if let Some(r) = rest.strip_prefix("\\u{")
                && let Some(end) = r.find('}')
                && let Some(c) = u32::from_str_radix(&r[..end], 16)
                    .ok()
                    .and_then(char::from_u32)
            {
                out.push(c);
                rest = &r[end + 1..];
            } else {
                out.push('\\');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
        out
    }

    #[test]
    fn grades_pick_their_tables() {
        assert_eq!(table_file("vi-VN", Grade::G2), Some("vi-vn-g2.ctb"));
        assert_eq!(table_file("en", Grade::G0), Some("en-ueb-g1.ctb"));
        assert_eq!(table_file("en-GB", Grade::G2), Some("en-ueb-g2.ctb"));
        assert_eq!(Grade::from_number(3), None);
    }
}
