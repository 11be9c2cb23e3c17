//! Runs the importer on saved pages for `scripts/eval-import` (which scores the output):
//! one JSON line per page on stdout, in the order the paths were given.
//!
//! usage: cargo run --release --example eval-import -- [--strip-lang] < LIST
//!
//! LIST holds one page path a line. Each output line is
//! `{"file", "ok", "title", "lang", "declared", "body", "error", "micros", "notes"}`:
//! `body` is the article's text (lead, then each block's text, one per line), `micros`
//! the time the import took (reading the file excluded). A last line
//! `{"cpu_seconds"}` gives the time the process spent on a CPU (Linux), reading included. With `--strip-lang` the
//! `lang`/`xml:lang` attributes of the page's `<html>` tag are removed before the import
//! and reported in `declared`, so the language comes from the text alone.

use std::io::{BufRead as _, Write as _};
use std::path::Path;
use std::time::Instant;

use anpham::import::{Imported, SourceKind, body_text, import_bytes};

fn main() {
    let strip = std::env::args().any(|a| a == "--strip-lang");
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let Ok(file) = line else { break };
        let file = file.trim_end().to_string();
        if file.is_empty() {
            continue;
        }
        let path = Path::new(&file);
        let mut bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                let v = serde_json::json!({"file": file, "ok": false, "error": e.to_string()});
                writeln!(out, "{v}").ok();
                continue;
            }
        };
        let declared = if strip {
            strip_html_lang(&mut bytes)
        } else {
            None
        };
        let kind = SourceKind::from_path(path).unwrap_or(SourceKind::Html);
        let start = Instant::now();
        let result = import_bytes(path, kind, &bytes);
        let micros = start.elapsed().as_micros() as u64;
        let v = match result {
            Ok(imp) => serde_json::json!({
                "file": file, "ok": true,
                "title": imp.article.title,
                "lang": imp.article.lang,
                "declared": declared,
                "body": running_text(&imp),
                "body_with_image_texts": body_text(&imp.article),
                "micros": micros,
                "notes": imp.notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
            }),
            Err(e) => serde_json::json!({
                "file": file, "ok": false, "declared": declared,
                "error": e.to_string(), "micros": micros,
            }),
        };
        writeln!(out, "{v}").ok();
    }
    // The time this process spent on a CPU (Linux), fair when other work shares the cores.
    if let Some(ns) = std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
    {
        writeln!(
            out,
            "{}",
            serde_json::json!({"cpu_seconds": ns as f64 / 1e9})
        )
        .ok();
    }
}

/// The article's running text as `body_text` gives it, less the captions and alt texts
/// kept in place of images the saved page does not hold (`Imported::image_texts`): a
/// page saved with its images has them in figures, which `body_text` leaves out too.
fn running_text(imp: &Imported) -> String {
    body_text(&imp.article)
        .lines()
        .filter(|l| !imp.image_texts.iter().any(|t| t == l.trim()))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Removes `lang="…"` and `xml:lang="…"` from every `<html` tag (a page with a second
/// `<html lang>`, from an embedded snippet, would otherwise give the parser that one);
/// returns the first tag's value.
fn strip_html_lang(bytes: &mut Vec<u8>) -> Option<String> {
    let lower: Vec<u8> = bytes.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut found = None;
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(start) = find(&lower, b"<html", from) {
        let Some(len) = lower[start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let end = start + len;
        from = end;
        if !lower[start + 5].is_ascii_whitespace() && lower[start + 5] != b'>' {
            continue;
        }
        let first = found.is_none();
        strip_tag(bytes, &lower, start, end, first, &mut found, &mut cuts);
    }
    for (a, b) in cuts.into_iter().rev() {
        bytes.drain(a..b);
    }
    found.flatten().filter(|s: &String| !s.is_empty())
}

/// The cuts that remove `lang` and `xml:lang` from the tag at `start..end`; the first
/// value found is recorded when `first`.
fn strip_tag(
    bytes: &[u8],
    lower: &[u8],
    start: usize,
    end: usize,
    first: bool,
    found: &mut Option<Option<String>>,
    cuts: &mut Vec<(usize, usize)>,
) {
    if first {
        *found = Some(None);
    }
    let mut i = start + 5;
    while i < end {
        let at_name = (lower[i - 1].is_ascii_whitespace())
            && (lower[i..end].starts_with(b"lang") || lower[i..end].starts_with(b"xml:lang"));
        if at_name {
            let name_len = if lower[i..].starts_with(b"lang") {
                4
            } else {
                8
            };
            let mut j = i + name_len;
            while j < end && lower[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < end && lower[j] == b'=' {
                j += 1;
                while j < end && lower[j].is_ascii_whitespace() {
                    j += 1;
                }
                let (vs, ve) = if j < end && (lower[j] == b'"' || lower[j] == b'\'') {
                    let q = lower[j];
                    let ve = j
                        + 1
                        + lower[j + 1..end]
                            .iter()
                            .position(|&b| b == q)
                            .unwrap_or(end - j - 1);
                    (j + 1, ve)
                } else {
                    let ve = j + lower[j..end]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'/')
                        .unwrap_or(end - j);
                    (j, ve)
                };
                if first && matches!(found, Some(None)) {
                    *found = Some(Some(
                        String::from_utf8_lossy(&bytes[vs..ve]).trim().to_string(),
                    ));
                }
                let cut_end = (ve + 1).min(end);
                cuts.push((i, cut_end));
                i = cut_end;
                continue;
            }
        }
        i += 1;
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}
