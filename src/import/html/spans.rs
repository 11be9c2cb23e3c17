//! Inline text helpers: white space collapsed across spans, texts joined, emphasis
//! added or removed.

use crate::model::{Span, Text};

/// Joins `more` to `text` with a space.
pub(super) fn join_text(text: &mut Text, more: Text) {
    if more.is_blank() {
        return;
    }
    if !text.is_blank() {
        text.spans.push(Span::plain(" "));
    }
    text.spans.extend(more.spans);
    *text = tidy(std::mem::take(&mut text.spans));
}

/// Collapses white space across spans, trims the ends, drops empty spans and merges
/// spans of the same style.
pub(super) fn tidy(spans: Vec<Span>) -> Text {
    let mut out: Vec<Span> = Vec::new();
    let mut pending_space = false;
    for mut s in spans {
        let mut t = String::with_capacity(s.text.len());
        for c in s.text.chars() {
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                pending_space = true;
            } else {
                if pending_space && (!t.is_empty() || !out.is_empty()) {
                    // Between spans, the space goes to the plain one (never inside a
                    // link or emphasis when it can be outside).
                    match out.last_mut() {
                        Some(last) if t.is_empty() && last.same_style(&Span::default()) => {
                            last.text.push(' ')
                        }
                        _ => t.push(' '),
                    }
                }
                pending_space = false;
                t.push(c);
            }
        }
        if t.is_empty() {
            continue;
        }
        s.text = t;
        match out.last_mut() {
            Some(last) if last.same_style(&s) => last.text.push_str(&s.text),
            _ => out.push(s),
        }
    }
    Text { spans: out }
}

pub(super) fn emphasised(mut t: Text) -> Text {
    for s in &mut t.spans {
        s.emphasis = true;
    }
    tidy(t.spans)
}

pub(super) fn unemphasised(mut t: Text) -> Text {
    for s in &mut t.spans {
        s.emphasis = false;
    }
    tidy(t.spans)
}
