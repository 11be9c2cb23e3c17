//! Source text: reading an input file's bytes and text within the size limit, and
//! placing a byte offset as a line and column. The reader of article files (`input`)
//! and the importer of saved pages (`import`) both use it; `places` maps an article's
//! fields back to where they came from in a Markdown source.

pub(crate) mod places;

use std::io::Read;
use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

pub(crate) use places::SourcePlaces;

/// The largest input file read, in bytes (16 MiB). A larger file is refused before it is read.
/// (Parsing a file of tiny list items costs up to ~40× its size before the content limits
/// can refuse it: 16 MiB keeps that under about 700 MB; a 1.5 M-character article is ~2 MB.)
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file's bytes, refusing folders, pipes, devices and files over
/// [`MAX_INPUT_BYTES`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    // Checked before opening: opening a FIFO blocks until something writes to it, and a
    // device (`/dev/zero`) never ends.
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(Diagnostic::file(path, "is a folder, not a file").into());
    }
    if !meta.is_file() {
        return Err(
            Diagnostic::file(path, "is not a regular file (a pipe, socket or device)")
                .with_hint("save the input to a file and name that file")
                .into(),
        );
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Diagnostic::file(
            path,
            format!(
                "the file is {} bytes, more than the input limit of {} MiB ({MAX_INPUT_BYTES} bytes)",
                meta.len(),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )
        .with_hint("split the bulletin into several article files and list them in a manifest")
        .into());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Diagnostic::file(
            path,
            "the file grew past the input size limit while being read",
        )
        .into());
    }
    Ok(bytes)
}

/// Reads a file as UTF-8 text, refusing files over [`MAX_INPUT_BYTES`] and naming the
/// line and column of the first invalid byte.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read_bytes(path)?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let (line, column) = line_column(&String::from_utf8_lossy(&bytes[..valid]), valid);
            Err(Diagnostic::at(
                path,
                line,
                column,
                format!(
                    "the file is not UTF-8 (invalid byte 0x{:02X} at byte {valid})",
                    bytes[valid]
                ),
            )
            .with_hint(
                "save the file as UTF-8, e.g. `iconv -f windows-1258 -t utf-8 in.txt > out.txt`",
            )
            .into())
        }
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `s`.
pub(crate) fn line_column(s: &str, at: usize) -> (usize, usize) {
    let at = at.min(s.len());
    let mut at = at;
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    let before = &s[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// serde_json counts columns in bytes; diagnostics count characters. Converts the 1-based
/// byte column `column` of 1-based `line` in `s` to a character column.
pub(crate) fn char_column(s: &str, line: usize, column: usize) -> usize {
    let Some(text) = s.split('\n').nth(line.saturating_sub(1)) else {
        return column;
    };
    let mut end = column.saturating_sub(1).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let s = "ab\nệệx";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 3), (2, 1));
        assert_eq!(line_column(s, 3 + "ệệ".len()), (2, 3));
    }
}
