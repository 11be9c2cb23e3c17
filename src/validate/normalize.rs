//! Normalisation: every string to Unicode NFC, white space runs collapsed to one space
//! and trimmed (across inline spans), stray U+FEFF removed, empty paragraphs dropped.

use unicode_normalization::UnicodeNormalization;

use crate::model::{Article, Block, Span, Text};

pub(super) fn nfc(s: &str) -> String {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Collapses white space runs to one space and trims; drops U+FEFF.
pub(super) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c == '\u{feff}' {
            continue;
        }
        if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

pub(super) fn normalize_text(t: &mut Text) {
    let mut spans: Vec<Span> = Vec::with_capacity(t.spans.len());
    for mut s in std::mem::take(&mut t.spans) {
        s.text = nfc(&s.text);
        s.lang = s.lang.map(|l| l.trim().to_string());
        match spans.last_mut() {
            Some(last) if last.same_style(&s) => last.text.push_str(&s.text),
            _ => spans.push(s),
        }
    }
    // Collapse white space across span boundaries.
    let mut prev_space = true;
    for s in &mut spans {
        let mut out = String::with_capacity(s.text.len());
        for c in s.text.chars() {
            if c == '\u{feff}' {
                continue;
            }
            if c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}' {
                if !prev_space {
                    out.push(' ');
                    prev_space = true;
                }
                continue;
            }
            out.push(c);
            prev_space = false;
        }
        s.text = out;
    }
    if let Some(last) = spans.iter_mut().rev().find(|s| !s.text.is_empty()) {
        let trimmed = last.text.trim_end_matches(' ').len();
        last.text.truncate(trimmed);
    }
    spans.retain(|s| !s.text.is_empty());
    t.spans = spans;
}

pub(super) fn normalize_article(a: &mut Article) {
    a.title = collapse(&nfc(&a.title));
    for s in [
        &mut a.author,
        &mut a.date,
        &mut a.slug,
        &mut a.source_url,
        &mut a.lang,
    ]
    .into_iter()
    .flatten()
    {
        *s = collapse(&nfc(s));
    }
    if let Some(l) = &mut a.lead {
        normalize_text(l);
    }
    if a.lead.as_ref().is_some_and(Text::is_blank) {
        a.lead = None;
    }
    for b in &mut a.blocks {
        match b {
            Block::Paragraph { text } | Block::Heading { text, .. } => normalize_text(text),
            Block::Quote { text, attribution } => {
                normalize_text(text);
                if let Some(at) = attribution {
                    *at = collapse(&nfc(at));
                }
            }
            Block::List { items, .. } => items.iter_mut().for_each(normalize_text),
            Block::Figure(f) => {
                f.src = nfc(f.src.trim());
                for s in [&mut f.alt, &mut f.credit].into_iter().flatten() {
                    *s = collapse(&nfc(s));
                }
                if let Some(c) = &mut f.caption {
                    normalize_text(c);
                }
                if f.caption.as_ref().is_some_and(Text::is_blank) {
                    f.caption = None;
                }
            }
        }
    }
    // Empty paragraphs (a CMS's `<p>&nbsp;</p>`) are dropped.
    a.blocks
        .retain(|b| !matches!(b, Block::Paragraph { text } if text.is_blank()));
}
