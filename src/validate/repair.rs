//! The explicit repair (`--repair`): real CMS exports carry stray control characters
//! (a Windows-1252 dash decoded as Latin-1 becomes U+0096; a backspace slips in). With
//! repair on, each C1 control becomes the Windows-1252 character it stands for, and each
//! other control character (C0 but tab and line breaks, DEL, and the five C1 codes
//! Windows-1252 leaves undefined) is dropped; every change is a warning with its place.
//! Without it, [`super::forbidden_char`] refuses them.

use std::path::Path;

use crate::error::{Diagnostic, Place};
use crate::model::{Article, Block, Text};

/// Windows-1252's characters for the bytes 0x80–0x9F (`None`: undefined there).
const WINDOWS_1252: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// What the repair does with one character: `None` to keep it, `Some(None)` to drop it,
/// `Some(Some(r))` to replace it with `r`.
fn repair_of(c: char) -> Option<Option<char>> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some(None),
        '\u{80}'..='\u{9f}' => Some(WINDOWS_1252[c as usize - 0x80]),
        _ => None,
    }
}

/// Repairs one text field in place; returns a warning per change, placed by the
/// 1-based character index in the field as it was read.
fn repair_field(file: &Path, field: &str, text: &mut String, out: &mut Vec<Diagnostic>) {
    if !text.chars().any(|c| repair_of(c).is_some()) {
        return;
    }
    let mut fixed = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let Some(to) = repair_of(c) else {
            fixed.push(c);
            continue;
        };
        let message = match to {
            Some(r) => {
                fixed.push(r);
                format!(
                    "U+{:04X} (a C1 control) replaced by `{r}` (U+{:04X}), the Windows-1252 character it stands for",
                    c as u32, r as u32
                )
            }
            None => format!("U+{:04X} (a control character) dropped", c as u32),
        };
        out.push(
            Diagnostic {
                place: Place::Char {
                    field: field.to_string(),
                    index: i + 1,
                },
                ..Diagnostic::file(file, message)
            }
            .with_hint("check the text there; fix the source to silence this warning")
            .as_warning(),
        );
    }
    *text = fixed;
}

fn repair_text(file: &Path, field: &str, t: &mut Text, out: &mut Vec<Diagnostic>) {
    let n = t.spans.len();
    for (j, s) in t.spans.iter_mut().enumerate() {
        let name = if n == 1 {
            field.to_string()
        } else {
            format!("{field}[{j}].text")
        };
        repair_field(file, &name, &mut s.text, out);
    }
}

/// Repairs every text field of an article (the fields [`super::for_each_text`] visits,
/// with the same field paths, prefixed by `prefix`); returns the warnings.
pub fn repair_controls(a: &mut Article, file: &Path, prefix: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let w = &mut out;
    repair_field(file, &format!("{prefix}title"), &mut a.title, w);
    for (name, v) in [("author", &mut a.author), ("date", &mut a.date)] {
        if let Some(v) = v {
            repair_field(file, &format!("{prefix}{name}"), v, w);
        }
    }
    if let Some(l) = &mut a.lead {
        repair_text(file, &format!("{prefix}lead"), l, w);
    }
    for (i, b) in a.blocks.iter_mut().enumerate() {
        let at = format!("{prefix}blocks[{i}]");
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => {
                repair_text(file, &format!("{at}.text"), text, w)
            }
            Block::Quote { text, attribution } => {
                repair_text(file, &format!("{at}.text"), text, w);
                if let Some(s) = attribution {
                    repair_field(file, &format!("{at}.attribution"), s, w);
                }
            }
            Block::List { items, .. } => {
                for (j, it) in items.iter_mut().enumerate() {
                    repair_text(file, &format!("{at}.items[{j}]"), it, w);
                }
            }
            Block::Figure(f) => {
                if let Some(s) = &mut f.alt {
                    repair_field(file, &format!("{at}.alt"), s, w);
                }
                if let Some(c) = &mut f.caption {
                    repair_text(file, &format!("{at}.caption"), c, w);
                }
                if let Some(s) = &mut f.credit {
                    repair_field(file, &format!("{at}.credit"), s, w);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;

    #[test]
    fn c1_becomes_windows_1252_and_c0_is_dropped_each_with_a_warning() {
        let mut a = Article::new("Bắc Kạn \u{96} tin\u{8}");
        a.blocks.push(Block::Paragraph {
            text: Text::plain("\u{93}Xin chào\u{94}\u{81}"),
        });
        let w = repair_controls(&mut a, Path::new("a.json"), "");
        assert_eq!(a.title, "Bắc Kạn – tin");
        assert_eq!(
            a.blocks[0],
            Block::Paragraph {
                text: Text::plain("“Xin chào”")
            }
        );
        assert_eq!(w.len(), 5);
        assert!(w.iter().all(|d| d.severity == Severity::Warning));
        let first = w[0].to_string();
        assert!(
            first.starts_with("a.json: title, character 9: U+0096 (a C1 control) replaced by `–`"),
            "{first}"
        );
        assert!(
            w[1].to_string()
                .contains("title, character 14: U+0008 (a control character) dropped")
        );
        assert!(
            w[4].to_string()
                .contains("blocks[0].text, character 11: U+0081")
        );
    }

    #[test]
    fn clean_text_is_untouched() {
        let mut a = Article::new("Tiêu đề\tvới tab");
        assert!(repair_controls(&mut a, Path::new("a.json"), "").is_empty());
        assert_eq!(a.title, "Tiêu đề\tvới tab");
    }
}
