//! Print to braille through liblouis: which table a language and grade use, where the
//! table files are found, and the check that every character has braille.
//!
//! Tables are looked up, file by file, in the folders of
//! [`BrailleOptions::table_dirs`](crate::braille::BrailleOptions::table_dirs)
//! (the CLI puts the `:`-separated folders of `ANPHAM_BRAILLE_TABLES` first, see
//! [`table_dirs`]) and then in the system's `/usr/share/liblouis/tables` (Debian
//! `liblouis-data`). A table's `include`s are resolved by liblouis next to the table and
//! then in the system folder. The Vietnamese tables of liblouis < 3.25 (Debian 12) turn a
//! capital K into the end-of-capitals sign; `Translator::new` refuses them with a hint
//! instead of writing wrong braille.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::louis;
use crate::error::{Error, Result};
use crate::labels::is_lang;

/// The system's liblouis tables (Debian `liblouis-data`).
pub const SYSTEM_TABLES: &str = "/usr/share/liblouis/tables";

/// The environment variable naming extra table folders, searched first (read by the CLI,
/// named in hints).
pub const TABLES_ENV: &str = "ANPHAM_BRAILLE_TABLES";

const MODE: i32 = louis::DOTS_IO | louis::UC_BRL;

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
    pub fn from_number(n: u8) -> Option<Grade> {
        match n {
            0 => Some(Grade::G0),
            1 => Some(Grade::G1),
            2 => Some(Grade::G2),
            _ => None,
        }
    }

    /// The number.
    pub fn number(self) -> u8 {
        match self {
            Grade::G0 => 0,
            Grade::G1 => 1,
            Grade::G2 => 2,
        }
    }
}

/// The table file of a language and grade, if anpham has one.
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

/// The folders searched for tables, in order: those of `search_path` (a `:`-separated
/// list, as `ANPHAM_BRAILLE_TABLES` holds it; empty entries skipped), then [`SYSTEM_TABLES`].
pub fn table_dirs(search_path: Option<&OsStr>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = search_path
        .map(|v| {
            std::env::split_paths(v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    dirs.push(PathBuf::from(SYSTEM_TABLES));
    dirs
}

/// The first folder of `dirs` holding `file`.
pub(crate) fn find_table(file: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    dirs.iter().map(|d| d.join(file)).find(|p| p.is_file())
}

/// Where a piece of text comes from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    /// The input file (or the publication's title when there is none).
    pub file: String,
    /// The article (1-based) and the part (`title`, `block 3`, `figure 2 alt text` …).
    pub part: String,
}

/// A translator for one language and grade.
pub(crate) struct Translator {
    table: String,
    undefined: Mutex<HashMap<char, bool>>,
}

impl std::fmt::Debug for Translator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Translator")
            .field("table", &self.table)
            .finish()
    }
}

impl Translator {
    /// The translator of `lang` at `grade`, with tables from `dirs` (see [`table_dirs`]).
    pub fn new(lang: &str, grade: Grade, dirs: &[PathBuf]) -> Result<Translator> {
        let file = table_file(lang, grade).ok_or_else(|| {
            Error::Braille(format!(
                "no braille table for language `{lang}`\n  hint: anpham has Vietnamese (vi) and English (en) braille; set the article's `lang` to one of them"
            ))
        })?;
        let path = find_table(file, dirs).ok_or_else(|| missing_table(file, dirs))?;
        let table = path.to_string_lossy().into_owned();
        if !louis::check_table(&table).map_err(|e| Error::Braille(e.to_string()))? {
            return Err(Error::Braille(format!(
                "liblouis cannot compile {table}\n  hint: install Debian's liblouis-data, or point {TABLES_ENV} at a folder of liblouis ≥ 3.25 tables"
            )));
        }
        if is_lang(lang, "vi") {
            check_vietnamese_capitals(&path)?;
        }
        Ok(Translator {
            table,
            undefined: Mutex::new(HashMap::new()),
        })
    }

    /// The table file in use.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Translates `text` to Unicode braille (6-dot cells, U+2800–U+283F; a space is U+2800).
    /// A character the table has no braille for is an error naming `place`.
    pub fn translate(&self, text: &str, place: &Place) -> Result<String> {
        if text.is_empty() {
            return Ok(String::new());
        }
        for (i, c) in text.char_indices() {
            if !c.is_whitespace() && self.is_undefined(c)? {
                return Err(Error::Braille(format!(
                    "{}: {}, character {} (U+{:04X} `{c}`) at byte {i} has no braille in {}\n  hint: replace or remove the character in the input",
                    place.file,
                    place.part,
                    text[..i].chars().count() + 1,
                    c as u32,
                    self.table
                )));
            }
        }
        let cells = louis::translate(&self.table, text, MODE)
            .map_err(|e| Error::Braille(format!("{}: {}: {e}", place.file, place.part)))?;
        // liblouis may write 8-dot patterns; BRF and 6-dot embossers know only dots 1–6.
        Ok(cells
            .chars()
            .map(|c| match c as u32 {
                0x2800..=0x28FF => {
                    char::from_u32(0x2800 | ((c as u32) & 0x3F)).unwrap_or('\u{2800}')
                }
                _ => '\u{2800}',
            })
            .collect())
    }

    fn is_undefined(&self, c: char) -> Result<bool> {
        let mut cache = self.undefined.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&u) = cache.get(&c) {
            return Ok(u);
        }
        let out = louis::translate(&self.table, &c.to_string(), MODE | louis::NO_UNDEFINED)
            .map_err(|e| Error::Braille(e.to_string()))?;
        let u = out.chars().all(|b| b == '\u{2800}');
        cache.insert(c, u);
        Ok(u)
    }
}

fn missing_table(file: &str, dirs: &[PathBuf]) -> Error {
    let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Error::Braille(format!(
        "the liblouis table {file} was not found in {}\n  hint: install Debian's liblouis-data (apt-get install liblouis-data), or set {TABLES_ENV} to a folder holding it",
        searched.join(", ")
    ))
}

/// Refuses Vietnamese tables older than liblouis 3.25, which write capital K as the
/// end-of-capitals sign ("Bắc Kạn" reads back as "Bắc ạn").
fn check_vietnamese_capitals(table: &Path) -> Result<()> {
    let g0 = table.with_file_name("vi-vn-g0.utb");
    let g0 = g0.to_string_lossy();
    let probe = "Bắc Kạn";
    let back_tables = format!("{SYSTEM_TABLES}/unicode.dis,{g0}");
    let ok = louis::translate(&g0, probe, MODE)
        .and_then(|b| louis::back_translate(&back_tables, &b, 0))
        .is_ok_and(|back| back == probe);
    if ok {
        Ok(())
    } else {
        Err(Error::Braille(format!(
            "the Vietnamese braille tables in {} are older than liblouis 3.25: they mistranslate capitals (\"{probe}\" does not read back)\n  hint: set {TABLES_ENV} to a folder with liblouis ≥ 3.25's vi-vn-g0/g1/g2 tables and their vi-*.uti includes",
            table
                .parent()
                .map_or_else(String::new, |p| p.display().to_string())
        )))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The table folders of the tests: the system's (nothing outside the repository).
    pub(crate) fn test_dirs() -> Vec<PathBuf> {
        table_dirs(None)
    }

    /// Whether the Vietnamese tests can run: liblouis loads (else `SKIPPED`, and a failure in
    /// CI) and the Vietnamese tables found pass the capitals check (else `SKIPPED`: liblouis
    /// < 3.25's tables, as Debian 12's, are refused).
    pub(crate) fn vietnamese_or_skip() -> bool {
        if !louis::loaded_or_skip() {
            return false;
        }
        match Translator::new("vi", Grade::G0, &test_dirs()) {
            Ok(_) => true,
            Err(e) => {
                let why = e.to_string();
                let why = why.lines().next().unwrap_or_default();
                eprintln!("SKIPPED: Vietnamese tables not available ({why})");
                false
            }
        }
    }

    fn place() -> Place {
        Place {
            file: "test.md".into(),
            part: "article 1, block 2".into(),
        }
    }

    /// The system's 3.24 Vietnamese tables are refused with a hint.
    #[test]
    fn old_vietnamese_tables_are_refused() {
        if !louis::loaded_or_skip() {
            return;
        }
        let e = Translator::new("vi", Grade::G0, &[PathBuf::from(SYSTEM_TABLES)]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("older than liblouis 3.25") && m.contains(TABLES_ENV),
            "{m}"
        );
    }

    #[test]
    fn missing_table_names_the_folders_and_what_to_install() {
        let e = Translator::new("vi", Grade::G0, &[PathBuf::from("/nonexistent")]).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("vi-vn-g0.utb") && m.contains("/nonexistent") && m.contains("liblouis-data"),
            "{m}"
        );
        let e = Translator::new("fr", Grade::G0, &test_dirs()).unwrap_err();
        assert!(e.to_string().contains("`fr`"));
    }

    #[test]
    fn untranslatable_character_is_located() {
        if !vietnamese_or_skip() {
            return;
        }
        let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
        let e = t.translate("Giá 5 \u{20BF} hôm nay", &place()).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("test.md")
                && m.contains("article 1, block 2")
                && m.contains("U+20BF")
                && m.contains("character 7"),
            "{m}"
        );
    }

    /// Cases in the form of upstream liblouis `tests/braille-specs/vi.yaml` (Sao Mai Center's
    /// rules): digits, decimals, capitals (letter, word, phrase), tones, đ, the "qu" rule; each
    /// translated through the FFI and read back (the yaml's `bothDirections` mode).
    #[test]
    fn vietnamese_g0_follows_the_upstream_cases() {
        if !vietnamese_or_skip() {
            return;
        }
        let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
        let back_table = format!("{SYSTEM_TABLES}/unicode.dis,{}", t.table());
        let cases = [
            ("1 2 3 0", "⠼⠁⠀⠼⠃⠀⠼⠉⠀⠼⠚"),
            ("123 1.234,56", "⠼⠁⠃⠉⠀⠼⠁⠄⠃⠉⠙⠲⠑⠋"),
            ("a A b k w", "⠁⠀⠨⠁⠀⠃⠀⠅⠀⠺"),
            ("Hoa", "⠨⠓⠕⠁"),
            ("HOA", "⠸⠓⠕⠁"),
            ("HOA THẮM TƯƠI MUÔN ĐỜI!", "⠨⠨⠓⠕⠁⠀⠞⠓⠔⠜⠍⠀⠞⠳⠪⠊⠀⠍⠥⠹⠝⠀⠮⠰⠪⠊⠖⠱"),
            ("quở thuở quyết", "⠟⠥⠢⠪⠀⠞⠓⠢⠥⠪⠀⠟⠥⠔⠽⠣⠞"),
            ("á à ả ã ạ ă ắ", "⠔⠁⠀⠰⠁⠀⠢⠁⠀⠤⠁⠀⠠⠁⠀⠜⠀⠔⠜"),
            ("ó ò ỏ õ ọ ô ơ ợ", "⠔⠕⠀⠰⠕⠀⠢⠕⠀⠤⠕⠀⠠⠕⠀⠹⠀⠪⠀⠠⠪"),
            ("ư ự", "⠳⠀⠠⠳"),
        ];
        for (print, braille) in cases {
            assert_eq!(t.translate(print, &place()).unwrap(), braille, "{print}");
            let back = louis::back_translate(&back_table, braille, 0).unwrap();
            assert_eq!(back, print, "back-translation of {braille}");
        }
        // The capital K that liblouis < 3.25 got wrong, and đ.
        let b = t.translate("Bắc Kạn, đường", &place()).unwrap();
        assert_eq!(
            louis::back_translate(&back_table, &b, 0).unwrap(),
            "Bắc Kạn, đường"
        );
    }

    #[test]
    fn search_path_folders_come_before_the_system_tables() {
        let dirs = table_dirs(Some(OsStr::new("/a::/b")));
        assert_eq!(
            dirs,
            [
                PathBuf::from("/a"),
                PathBuf::from("/b"),
                PathBuf::from(SYSTEM_TABLES)
            ]
        );
        assert_eq!(table_dirs(None), [PathBuf::from(SYSTEM_TABLES)]);
    }

    #[test]
    fn grades_pick_their_tables() {
        assert_eq!(table_file("vi-VN", Grade::G2), Some("vi-vn-g2.ctb"));
        assert_eq!(table_file("en", Grade::G0), Some("en-ueb-g1.ctb"));
        assert_eq!(table_file("en-GB", Grade::G2), Some("en-ueb-g2.ctb"));
        assert_eq!(Grade::from_number(3), None);
    }
}
