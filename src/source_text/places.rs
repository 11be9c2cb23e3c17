//! Where each part of a Markdown article came from in its file, so that a content error
//! found after parsing (a bad link, a control character, a figure without alt text, an
//! image that is missing) names a line and column in the Markdown source instead of a
//! model path such as `blocks[0].text[0].href`.
//!
//! The Markdown reader records, for every text field of the article (by the field paths
//! that [`crate::validate::for_each_text`] and the validation rules use), where it
//! starts and where each run of its characters came from (pulldown-cmark's offset
//! ranges). [`SourceMap::locate`] turns a diagnostic's field path (and character index)
//! into a line and column; front-matter fields keep their field name in the message.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::error::{Diagnostic, Diagnostics, Error, Place};

/// One run of characters of a span: the span's characters from `chars` on came from the
/// source at byte `at`, one source character per character when `literal` (else they
/// are placed at `at`, e.g. an entity, an escape or a soft line break).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub(crate) chars: usize,
    pub(crate) at: usize,
    pub(crate) literal: bool,
}

/// Where one text field came from: its start and, per inline span, its runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextSource {
    pub(crate) start: usize,
    pub(crate) spans: Vec<Vec<Segment>>,
}

impl TextSource {
    /// A field placed at one byte offset (no character runs known).
    pub(crate) fn at(start: usize) -> TextSource {
        TextSource {
            start,
            spans: Vec::new(),
        }
    }

    /// The spans' runs as one span (what `Text::to_plain` gives), given each span's
    /// length in characters, with the characters of `prefix` dropped from its start.
    pub(crate) fn flattened(&self, span_chars: &[usize], prefix: &str) -> TextSource {
        let skip = prefix.chars().count();
        let mut out = Vec::new();
        let mut before = 0;
        for (segs, len) in self.spans.iter().zip(span_chars) {
            for s in segs {
                let chars = before + s.chars;
                if chars >= skip {
                    out.push(Segment {
                        chars: chars - skip,
                        ..*s
                    });
                } else if s.literal {
                    // The run holds the end of the prefix: it starts past it.
                    let rest = prefix
                        .chars()
                        .skip(chars)
                        .map(char::len_utf8)
                        .sum::<usize>();
                    out.push(Segment {
                        chars: 0,
                        at: s.at + rest,
                        literal: true,
                    });
                }
            }
            before += len;
        }
        TextSource {
            start: out.first().map_or(self.start, |s| s.at),
            spans: vec![out],
        }
    }

    fn span_start(&self, span: usize) -> usize {
        self.spans
            .get(span)
            .and_then(|s| s.first())
            .map_or(self.start, |s| s.at)
    }
}

/// The source places of a Markdown article's fields, and the file's text.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceMap {
    text: String,
    /// Field path → where it came from, and whether it is a front-matter field.
    fields: HashMap<String, (TextSource, bool)>,
}

impl SourceMap {
    pub(crate) fn new(text: &str) -> SourceMap {
        SourceMap {
            text: text.to_string(),
            fields: HashMap::new(),
        }
    }

    /// Records a body field (`blocks[3].text`, `blocks[3]`, …).
    pub(crate) fn body(&mut self, field: String, source: TextSource) {
        self.fields.insert(field, (source, false));
    }

    /// Records a front-matter field (`title`, `date`, …).
    pub(crate) fn front(&mut self, field: &str, source: TextSource) {
        self.fields.insert(field.to_string(), (source, true));
    }

    /// The byte offset a field path points at, and whether it is in the front matter:
    /// the field itself, span `j` of `X` for `X[j].href` (`.lang`, `.text`), else the
    /// nearest enclosing field (`blocks[2]` for `blocks[2].alt`).
    fn field_offset(&self, field: &str) -> Option<(usize, bool)> {
        if let Some((s, front)) = self.fields.get(field) {
            return Some((s.start, *front));
        }
        if let Some((x, j)) = split_span(field)
            && let Some((s, front)) = self.fields.get(x)
        {
            return Some((s.span_start(j), *front));
        }
        let mut f = field;
        while let Some(i) = f.rfind(['.', '[']) {
            f = &f[..i];
            if let Some((s, front)) = self.fields.get(f) {
                return Some((s.start, *front));
            }
        }
        None
    }

    /// The byte offset of character `index` (from 1) of a text field.
    fn char_offset(&self, field: &str, index: usize) -> Option<(usize, bool)> {
        let (source, span, front) = match self.fields.get(field) {
            Some((s, front)) => (s, 0, *front),
            None => {
                let (x, j) = split_span(field)?;
                let (s, front) = self.fields.get(x)?;
                (s, j, *front)
            }
        };
        let k = index.saturating_sub(1);
        let Some(seg) = source
            .spans
            .get(span)
            .and_then(|segs| segs.iter().rev().find(|s| s.chars <= k))
        else {
            return Some((source.span_start(span), front));
        };
        if !seg.literal {
            return Some((seg.at, front));
        }
        let rest = self.text.get(seg.at..).unwrap_or("");
        let at = rest
            .char_indices()
            .nth(k - seg.chars)
            .map_or(seg.at, |(i, _)| seg.at + i);
        Some((at, front))
    }

    /// The diagnostic at a line and column of the Markdown file when its field is known
    /// (front-matter fields keep their name before the message); else unchanged.
    pub(crate) fn locate(&self, d: Diagnostic) -> Diagnostic {
        let (found, field) = match &d.place {
            Place::Field(f) => (self.field_offset(f), f.clone()),
            Place::Char { field, index } => (
                self.char_offset(field, *index)
                    .or_else(|| self.field_offset(field)),
                field.clone(),
            ),
            _ => return d,
        };
        let Some((at, front)) = found else {
            return d;
        };
        let (line, column) = super::line_column(&self.text, at);
        let message = if front {
            let name = field.split(['.', '[']).next().unwrap_or(&field);
            format!("{name}: {}", d.message)
        } else {
            d.message
        };
        Diagnostic {
            place: Place::LineColumn { line, column },
            message,
            ..d
        }
    }
}

/// The source maps of the Markdown files of a publication, kept with the prepared
/// publication so that the font coverage check (run per edition, after loading) places
/// its findings by line and column too.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourcePlaces(Vec<(PathBuf, Arc<SourceMap>)>);

impl SourcePlaces {
    pub(crate) fn push(&mut self, file: PathBuf, map: SourceMap) {
        self.0.push((file, Arc::new(map)));
    }

    pub(crate) fn extend(&mut self, other: SourcePlaces) {
        self.0.extend(other.0);
    }

    /// The error with each diagnostic placed by its file's source map, if it has one.
    pub(crate) fn locate(&self, e: Error) -> Error {
        match e {
            Error::Input(d) if !self.0.is_empty() => Error::Input(Diagnostics(
                d.0.into_iter()
                    .map(|d| match self.0.iter().find(|(f, _)| *f == d.file) {
                        Some((_, map)) => map.locate(d),
                        None => d,
                    })
                    .collect(),
            )),
            e => e,
        }
    }
}

/// `X[j].href`, `X[j].lang` or `X[j].text` → (`X`, j), where `X` is a text field (`lead`
/// or a block's `text`, `items[i]`, `caption`; never `blocks` itself).
fn split_span(field: &str) -> Option<(&str, usize)> {
    let inner = field
        .strip_suffix(".href")
        .or_else(|| field.strip_suffix(".lang"))
        .or_else(|| field.strip_suffix(".text"))?
        .strip_suffix(']')?;
    let open = inner.rfind('[')?;
    let x = &inner[..open];
    (x == "lead" || x.contains('.')).then_some(())?;
    Some((x, inner[open + 1..].parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn map() -> SourceMap {
        // "ab\ncd ệx" — a field whose span 0 is "cd ệx" from byte 3, literal.
        let mut m = SourceMap::new("ab\ncd ệx");
        m.body(
            "blocks[0].text".into(),
            TextSource {
                start: 3,
                spans: vec![
                    vec![Segment {
                        chars: 0,
                        at: 3,
                        literal: true,
                    }],
                    vec![Segment {
                        chars: 0,
                        at: 6,
                        literal: true,
                    }],
                ],
            },
        );
        m.front("title", TextSource::at(0));
        m
    }

    #[test]
    fn field_paths_become_lines_and_columns() {
        let m = map();
        let f = Path::new("a.md");
        let d = m.locate(Diagnostic::field(f, "blocks[0].text[1].href", "bad link"));
        assert_eq!(d.to_string(), "a.md:2:4: bad link");
        let d = m.locate(Diagnostic {
            place: Place::Char {
                field: "blocks[0].text[1].text".into(),
                index: 2,
            },
            ..Diagnostic::file(f, "U+0001")
        });
        assert_eq!(d.to_string(), "a.md:2:5: U+0001");
        let d = m.locate(Diagnostic::field(f, "title", "empty"));
        assert_eq!(d.to_string(), "a.md:1:1: title: empty");
        let d = m.locate(Diagnostic::field(f, "blocks[9].alt", "x"));
        assert_eq!(
            d.to_string(),
            "a.md: blocks[9].alt: x",
            "unknown: unchanged"
        );
    }

    #[test]
    fn flattening_drops_a_prefix() {
        let s = TextSource {
            start: 0,
            spans: vec![
                vec![Segment {
                    chars: 0,
                    at: 10,
                    literal: true,
                }],
                vec![Segment {
                    chars: 0,
                    at: 20,
                    literal: true,
                }],
            ],
        };
        let f = s.flattened(&[3, 4], "ab");
        assert_eq!(
            f.spans[0],
            [
                Segment {
                    chars: 0,
                    at: 12,
                    literal: true
                },
                Segment {
                    chars: 1,
                    at: 20,
                    literal: true
                }
            ]
        );
        assert_eq!(
            split_span("blocks[1].items[2][3].href"),
            Some(("blocks[1].items[2]", 3))
        );
        assert_eq!(split_span("blocks[1].text"), None);
    }
}
