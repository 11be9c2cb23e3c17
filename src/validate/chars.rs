//! Characters: the text fields of an article with their field paths, and the characters
//! refused in them (control characters, bidirectional controls, non-characters, stacks
//! of combining marks), each located by field and character index.

use std::path::Path;

use super::MAX_COMBINING_MARKS;
use crate::error::{Diagnostic, Place};
use crate::model::{Article, Block, Text};

/// Calls `f(field_path, text)` for every text field of an article, in reading order.
pub fn for_each_text(a: &Article, mut f: impl FnMut(&str, &str)) {
    f("title", &a.title);
    for (name, v) in [("author", &a.author), ("date", &a.date)] {
        if let Some(v) = v {
            f(name, v);
        }
    }
    let mut text = |field: &str, t: &Text| {
        for (j, s) in t.spans.iter().enumerate() {
            if t.spans.len() == 1 {
                f(field, &s.text);
            } else {
                f(&format!("{field}[{j}].text"), &s.text);
            }
        }
    };
    if let Some(l) = &a.lead {
        text("lead", l);
    }
    for (i, b) in a.blocks.iter().enumerate() {
        match b {
            Block::Paragraph { text: t } | Block::Heading { text: t, .. } => {
                text(&format!("blocks[{i}].text"), t)
            }
            Block::Quote {
                text: t,
                attribution,
            } => {
                text(&format!("blocks[{i}].text"), t);
                if let Some(at) = attribution {
                    text(
                        &format!("blocks[{i}].attribution"),
                        &Text::plain(at.clone()),
                    );
                }
            }
            Block::List { items, .. } => {
                for (j, it) in items.iter().enumerate() {
                    text(&format!("blocks[{i}].items[{j}]"), it);
                }
            }
            Block::Figure(fig) => {
                if let Some(alt) = &fig.alt {
                    text(&format!("blocks[{i}].alt"), &Text::plain(alt.clone()));
                }
                if let Some(c) = &fig.caption {
                    text(&format!("blocks[{i}].caption"), c);
                }
                if let Some(c) = &fig.credit {
                    text(&format!("blocks[{i}].credit"), &Text::plain(c.clone()));
                }
            }
        }
    }
}

/// Why a character is refused, if it is.
pub fn forbidden_char(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some("a control character"),
        '\u{80}'..='\u{9f}' => {
            Some("a C1 control character (often a Windows-1252 dash or quote decoded as Latin-1)")
        }
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("a bidirectional control character (anpham lays out left-to-right text)")
        }
        '\u{fffe}' | '\u{ffff}' => Some("a Unicode non-character"),
        _ => None,
    }
}

pub(super) fn check_controls(a: &Article, file: &Path, prefix: &str, diags: &mut Vec<Diagnostic>) {
    for_each_text(a, |field, text| {
        check_chars(file, &format!("{prefix}{field}"), text, diags)
    });
}

/// Refuses the [`forbidden_char`]s of one text field, and stacks of more than
/// [`MAX_COMBINING_MARKS`] combining marks, by character index (at most 50 diagnostics in
/// all).
pub(super) fn check_chars(file: &Path, field: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    let mut marks = 0usize;
    for (i, c) in text.chars().enumerate() {
        marks = if unicode_normalization::char::is_combining_mark(c) {
            marks + 1
        } else {
            0
        };
        if marks == MAX_COMBINING_MARKS + 1 && diags.len() < 50 {
            diags.push(Diagnostic {
                file: file.to_path_buf(),
                place: Place::Char {
                    field: field.to_string(),
                    index: i + 1,
                },
                message: format!(
                    "U+{:04X} is combining mark number {marks} on one letter; at most {MAX_COMBINING_MARKS} are accepted (a taller stack is drawn outside the line)",
                    c as u32
                ),
                severity: crate::error::Severity::Error,
                    hints: vec![
                    "remove the extra marks (Vietnamese needs at most two on a letter)".into(),
                ],
            });
        }
        if let Some(why) = forbidden_char(c)
            && diags.len() < 50
        {
            diags.push(Diagnostic {
                file: file.to_path_buf(),
                place: Place::Char {
                    field: field.to_string(),
                    index: i + 1,
                },
                message: format!("U+{:04X} is {why}", c as u32),
                severity: crate::error::Severity::Error,
                    hints: vec![
                    if matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                        "remove it: it can make text display in another order than it is stored"
                    } else {
                        "remove it, or replace it with the character that was meant (e.g. U+0096 → – en dash)"
                    }
                    .into(),
                ],
            });
        }
    }
}
