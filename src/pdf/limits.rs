//! What a PDF holds in one string: the texts it writes whole (the document's title,
//! author, description and keywords, headings as bookmarks, alt text) are at most
//! [`MAX_PDF_STRING`] bytes (PDF/A). [`check_text`] refuses a longer one while the
//! publication is prepared (the rules ask it through `crate::editions::limits`), so that
//! `anpham check` does not accept what the PDF/A validator refuses; `validation.rs` places
//! that validator's finding with the same measure.
//!
//! Below the rest of the PDF's module (it needs only the diagnostics): the rules read it
//! before any edition is built.

use std::path::Path;

use crate::error::Diagnostic;

/// Most bytes of a text that the PDF writes as one string: PDF/A's limit, 32,767 bytes
/// ([`pdf_string_bytes`]; about 16,000 Vietnamese letters).
pub(crate) const MAX_PDF_STRING: usize = 32_767;

/// How many bytes a text takes as a PDF string: one a character when it is all ASCII
/// (PDFDocEncoding), else UTF-16BE with its byte-order mark.
pub(crate) fn pdf_string_bytes(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        2 + 2 * s.encode_utf16().count()
    }
}

/// Refuses `text`, at `field` of `file`, when it is over [`MAX_PDF_STRING`] bytes as a
/// PDF string.
pub(crate) fn check_text(file: &Path, field: &str, text: &str, diags: &mut Vec<Diagnostic>) {
    let n = pdf_string_bytes(text);
    if n > MAX_PDF_STRING {
        diags.push(
            Diagnostic::field(
                file,
                field,
                format!("the text is {n} bytes long as a PDF string; PDF/A allows at most {MAX_PDF_STRING}"),
            )
            .with_hint("shorten it: titles, headings and alt text are read out in one go; a long description belongs in the body"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_is_measured_as_the_pdf_writes_it() {
        assert_eq!(pdf_string_bytes("Bac Kan"), 7);
        // Not ASCII: UTF-16BE, two bytes a code unit, and the byte-order mark.
        assert_eq!(pdf_string_bytes("Bắc Kạn"), 2 + 2 * 7);
        assert_eq!(pdf_string_bytes("𝄞"), 2 + 4);
        let mut diags = Vec::new();
        check_text(
            Path::new("a.md"),
            "title",
            &"a".repeat(MAX_PDF_STRING),
            &mut diags,
        );
        assert!(diags.is_empty());
        check_text(Path::new("a.md"), "title", &"ạ".repeat(16_383), &mut diags);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0].to_string().contains("32768 bytes long"),
            "{}",
            diags[0]
        );
    }
}
