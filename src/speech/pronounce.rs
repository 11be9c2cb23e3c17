//! What a listener hears: the spoken form of a sentence (the text shown is unchanged).
//!
//! [`Pronunciations::spoken`] rewrites, for Vietnamese text:
//!
//! * words of the table ([`Pronunciations`], `vi.toml` shipped with anpham plus an
//!   optional user file): `HĐND` → `Hội đồng nhân dân`, `TP.HCM`, `Đ/c` …, whole words
//!   only, longest key first;
//! * dates `d/m` and `d/m/yyyy`: `10/11` → `mười tháng mười một`;
//! * numbers with `.` between groups of three digits and a decimal comma:
//!   `1.234.567` → `một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy`,
//!   `3,5` → `ba phẩy năm`; a number with a leading zero is read digit by digit;
//! * `%` → `phần trăm`; an en or em dash between numbers → `đến`, elsewhere a pause
//!   (a comma).
//!
//! Text in other languages gets only the table's entries, which are Vietnamese.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};

/// The table that ships with anpham (`src/speech/vi.toml`).
pub const BUNDLED_TABLE: &str = include_str!("vi.toml");

/// A pronunciation table: shown word → spoken words.
#[derive(Debug, Clone, Default)]
pub struct Pronunciations {
    /// Entries, longest key first (then by key), so `TP.HCM` wins over `TP`.
    entries: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    words: BTreeMap<String, String>,
}

impl Pronunciations {
    /// The bundled table.
    pub(crate) fn bundled() -> Pronunciations {
        let mut p = Pronunciations::default();
        // The bundled table is part of the program and checked by a unit test.
        if let Ok(t) = toml::from_str::<TableFile>(BUNDLED_TABLE) {
            p.add(t.words);
        }
        p
    }

    /// The bundled table extended (and overridden) by the user file at `path`.
    pub(crate) fn bundled_with_file(path: &Path) -> Result<Pronunciations> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut p = Pronunciations::bundled();
        p.add(Self::parse(path, &text)?);
        Ok(p)
    }

    fn parse(path: &Path, text: &str) -> Result<BTreeMap<String, String>> {
        let t: TableFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            Diagnostic::at(path, line, column, e.message().to_string()).with_hint(
                "a pronunciation file is TOML with one table [words] of \"shown\" = \"spoken\" entries",
            )
        })?;
        for (k, v) in &t.words {
            if k.trim().is_empty() || v.trim().is_empty() {
                return Err(Diagnostic::field(
                    path,
                    format!("words.\"{k}\""),
                    "an empty word or pronunciation",
                )
                .with_hint("give both the word as shown and what to say")
                .into());
            }
        }
        Ok(t.words)
    }

    fn add(&mut self, words: BTreeMap<String, String>) {
        let mut map: BTreeMap<String, String> = self.entries.drain(..).collect();
        map.extend(words);
        self.entries = map.into_iter().collect();
        self.entries.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
    }

    /// Number of entries.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The spoken form of `text` in language `lang` (a BCP 47 tag).
    pub(crate) fn spoken(&self, text: &str, lang: &str) -> String {
        let vietnamese = crate::labels::is_lang(lang, "vi");
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut i = 0;
        while i < chars.len() {
            let at_word_start = i == 0 || !is_word_char(chars[i - 1]);
            if at_word_start && let Some((n, spoken)) = self.word_at(&chars[i..]) {
                push_word(&mut out, spoken);
                i += n;
                if chars.get(i).is_some_and(|c| c.is_alphanumeric()) {
                    out.push(' ');
                }
                continue;
            }
            if vietnamese {
                if at_word_start
                    && chars[i].is_ascii_digit()
                    && let Some((n, spoken)) = number_or_date(&chars[i..])
                {
                    push_word(&mut out, &spoken);
                    i += n;
                    continue;
                }
                // A hyphen between spaces is a dash: "Thanh - Phó Bí thư".
                let spaced_hyphen = chars[i] == '-'
                    && i > 0
                    && chars[i - 1].is_whitespace()
                    && chars.get(i + 1).is_some_and(|c| c.is_whitespace());
                match chars[i] {
                    '-' if spaced_hyphen => {
                        let t = out.trim_end().len();
                        out.truncate(t);
                        out.push_str(", ");
                        i += 1;
                        continue;
                    }
                    '%' => {
                        push_word(&mut out, "phần trăm");
                        i += 1;
                        continue;
                    }
                    '–' | '—' => {
                        let prev_digit = out.trim_end().ends_with(|c: char| c.is_alphanumeric())
                            && text_before_is_number(&chars[..i]);
                        let next_digit = chars[i + 1..]
                            .iter()
                            .find(|c| !c.is_whitespace())
                            .is_some_and(|c| c.is_ascii_digit());
                        if prev_digit && next_digit {
                            push_word(&mut out, "đến");
                        } else {
                            let t = out.trim_end().len();
                            out.truncate(t);
                            out.push_str(", ");
                        }
                        i += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The table entry matching at the start of `chars` as a whole word.
    fn word_at(&self, chars: &[char]) -> Option<(usize, &str)> {
        for (k, v) in &self.entries {
            let n = k.chars().count();
            if n <= chars.len()
                && k.chars().zip(chars).all(|(a, &b)| a == b)
                && chars
                    .get(n)
                    .is_none_or(|&c| !is_word_char(c) || k.ends_with('.'))
            {
                return Some((n, v));
            }
        }
        None
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn text_before_is_number(chars: &[char]) -> bool {
    chars
        .iter()
        .rev()
        .find(|c| !c.is_whitespace())
        .is_some_and(|c| c.is_ascii_digit())
}

fn push_word(out: &mut String, w: &str) {
    if !out.is_empty() && !out.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(w);
}

fn line_column(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Reads a number or date at the start of `chars` (which starts with a digit):
/// `(characters consumed, spoken words)`. `None`: read it as it is (e.g. `3G`).
fn number_or_date(chars: &[char]) -> Option<(usize, String)> {
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let value = |from: usize, n: usize| -> String { chars[from..from + n].iter().collect() };
    let n1 = digits(0);
    let after = |k: usize| chars.get(k).copied();
    let ends_word = |k: usize| chars.get(k).is_none_or(|c| !c.is_alphanumeric());
    // Dates: d/m or d/m/yyyy.
    if after(n1) == Some('/') && n1 <= 2 {
        let n2 = digits(n1 + 1);
        if (1..=2).contains(&n2) {
            let d: u64 = value(0, n1).parse().ok()?;
            let m: u64 = value(n1 + 1, n2).parse().ok()?;
            if (1..=31).contains(&d) && (1..=12).contains(&m) {
                let mut k = n1 + 1 + n2;
                let mut s = format!("{} tháng {}", number_words(d), number_words(m));
                if after(k) == Some('/') && digits(k + 1) == 4 && ends_word(k + 5) {
                    let y: u64 = value(k + 1, 4).parse().ok()?;
                    s.push_str(&format!(" năm {}", number_words(y)));
                    k += 5;
                }
                if ends_word(k) {
                    return Some((k, s));
                }
            }
        }
    }
    // Integer part: 1.234.567 (groups of three after dots) or plain digits.
    let mut k = n1;
    let mut int: String = value(0, n1);
    if n1 <= 3 {
        while after(k) == Some('.') && digits(k + 1) == 3 && ends_group(chars, k + 4) {
            int.push_str(&value(k + 1, 3));
            k += 4;
        }
    }
    let mut spoken = integer_words(&int);
    // Decimal comma: 3,5.
    if after(k) == Some(',') && digits(k + 1) > 0 && ends_word(k + 1 + digits(k + 1)) {
        let nf = digits(k + 1);
        let frac = value(k + 1, nf);
        spoken.push_str(" phẩy ");
        spoken.push_str(&integer_words(&frac));
        k += 1 + nf;
    }
    ends_word(k).then_some((k, spoken))
}

/// Whether a group of three digits ends at `k` (no fourth digit follows).
fn ends_group(chars: &[char], k: usize) -> bool {
    chars.get(k).is_none_or(|c| !c.is_ascii_digit())
}

/// An integer written with digits, in words; with a leading zero or too long, digit by digit.
fn integer_words(digits: &str) -> String {
    if (digits.len() > 1 && digits.starts_with('0')) || digits.len() > 15 {
        return digits
            .chars()
            .filter_map(|c| c.to_digit(10))
            .map(|d| DIGITS[d as usize])
            .collect::<Vec<_>>()
            .join(" ");
    }
    digits
        .parse()
        .map(number_words)
        .unwrap_or_else(|_| digits.into())
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// A number in Vietnamese words: 21 → `hai mươi mốt`, 105 → `một trăm linh năm`,
/// 2022 → `hai nghìn không trăm hai mươi hai`, 1.000.000 → `một triệu`.
pub(crate) fn number_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].into();
    }
    const SCALES: [&str; 5] = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ"];
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push((m % 1000) as usize);
        m /= 1000;
    }
    let mut words: Vec<String> = Vec::new();
    for (k, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        let leading = k == groups.len() - 1;
        words.push(triple_words(g, !leading));
        if k > 0 {
            words.push(SCALES[k.min(SCALES.len() - 1)].into());
        }
    }
    words.join(" ")
}

/// Three digits; `full`: the hundreds are said even when zero (`không trăm`).
fn triple_words(g: usize, full: bool) -> String {
    let (h, t, u) = (g / 100, g / 10 % 10, g % 10);
    let mut w: Vec<&str> = Vec::new();
    if h > 0 || full {
        w.extend([DIGITS[h], "trăm"]);
    }
    match t {
        0 if u > 0 && (h > 0 || full) => w.extend(["linh", DIGITS[u]]),
        0 => {
            if u > 0 {
                w.push(DIGITS[u]);
            }
        }
        1 => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u]),
            }
        }
        _ => {
            w.extend([DIGITS[t], "mươi"]);
            match u {
                0 => {}
                1 => w.push("mốt"),
                4 => w.push("tư"),
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u]),
            }
        }
    }
    w.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_parses() {
        let t: TableFile = toml::from_str(BUNDLED_TABLE).unwrap();
        assert!(t.words.len() > 40);
        assert_eq!(Pronunciations::bundled().len(), t.words.len());
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number_words(0), "không");
        assert_eq!(number_words(5), "năm");
        assert_eq!(number_words(10), "mười");
        assert_eq!(number_words(11), "mười một");
        assert_eq!(number_words(15), "mười lăm");
        assert_eq!(number_words(21), "hai mươi mốt");
        assert_eq!(number_words(24), "hai mươi tư");
        assert_eq!(number_words(105), "một trăm linh năm");
        assert_eq!(number_words(2022), "hai nghìn không trăm hai mươi hai");
        assert_eq!(number_words(1_000_000), "một triệu");
        assert_eq!(
            number_words(1_234_567),
            "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"
        );
    }

    #[test]
    fn acronyms_dates_numbers_and_signs_are_spoken() {
        let p = Pronunciations::bundled();
        assert_eq!(
            p.spoken("Sáng 10/11, HĐND và UBND TP.HCM họp.", "vi"),
            "Sáng mười tháng mười một, Hội đồng nhân dân và Ủy ban nhân dân Thành phố Hồ Chí Minh họp."
        );
        assert_eq!(
            p.spoken(
                "Đ/c Hà chi 1.234.567 đồng, tăng 3,5% – giai đoạn 2021–2025.",
                "vi"
            ),
            "đồng chí Hà chi một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng, \
             tăng ba phẩy năm phần trăm, giai đoạn hai nghìn không trăm hai mươi mốt đến \
             hai nghìn không trăm hai mươi lăm."
        );
        assert_eq!(
            p.spoken("Ngày 10/11/2022.", "vi"),
            "Ngày mười tháng mười một năm hai nghìn không trăm hai mươi hai."
        );
        assert_eq!(p.spoken("TP. Bắc Kạn", "vi"), "thành phố Bắc Kạn");
        assert_eq!(
            p.spoken(
                "Đồng chí Thanh - Phó Bí thư, kinh tế - xã hội, COVID-19",
                "vi"
            ),
            "Đồng chí Thanh, Phó Bí thư, kinh tế, xã hội, cô vít mười chín"
        );
        assert_eq!(p.spoken("số 0912", "vi"), "số không chín một hai");
    }

    #[test]
    fn words_match_whole_words_only_and_other_languages_keep_numbers() {
        let p = Pronunciations::bundled();
        // "TS" inside "TSX" and "ha" inside "hai" are left alone.
        assert_eq!(p.spoken("TSX hai", "vi"), "TSX hai");
        assert_eq!(p.spoken("32/13 is 3,5", "en"), "32/13 is 3,5");
        // Not a date: month 13.
        assert_eq!(p.spoken("32/13", "vi"), "ba mươi hai/ mười ba");
    }

    #[test]
    fn a_user_file_extends_and_overrides_and_errors_have_a_place() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("my.toml");
        std::fs::write(
            &f,
            "[words]\n\"HĐND\" = \"hội đồng\"\n\"BK\" = \"Bắc Kạn\"\n",
        )
        .unwrap();
        let p = Pronunciations::bundled_with_file(&f).unwrap();
        assert_eq!(p.spoken("HĐND BK", "vi"), "hội đồng Bắc Kạn");
        std::fs::write(&f, "[words]\n\"A\" = 3\n").unwrap();
        let e = Pronunciations::bundled_with_file(&f)
            .unwrap_err()
            .to_string();
        assert!(e.contains("my.toml:2:"), "{e}");
        let e = Pronunciations::bundled_with_file(&dir.path().join("none.toml")).unwrap_err();
        assert!(e.to_string().contains("none.toml"), "{e}");
    }
}
