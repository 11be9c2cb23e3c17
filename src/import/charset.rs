//! Turning the bytes of a saved page into text: byte-order marks, the charset a page
//! declares (`<meta charset>`, `<meta http-equiv="Content-Type" content="…; charset=…">`),
//! and UTF-8 otherwise. Vietnamese pages from before Unicode took over are often
//! `windows-1258`, whose letters are a base letter plus a combining tone mark: the text
//! is put in NFC here so that later rules see the same letters as in a UTF-8 page.

use encoding_rs::Encoding;
use unicode_normalization::UnicodeNormalization;

/// How the bytes were read: the encoding and why it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, in NFC, without a byte-order mark.
    pub text: String,
    /// The encoding's name (`UTF-8`, `windows-1258`, …).
    pub encoding: &'static str,
    /// Where the choice came from: `byte-order mark`, `<meta charset>`, or `default`.
    pub source: &'static str,
    /// Byte offset of the first byte the encoding could not read (replaced by U+FFFD).
    pub first_malformed: Option<usize>,
}

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CharsetError {
    /// No charset was declared and the bytes are not UTF-8.
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        at: usize,
        /// That byte.
        byte: u8,
    },
    /// The page declares a charset that no decoder knows.
    UnknownCharset(String),
}

/// Decodes a page's bytes. `html` enables the `<meta>` prescan of the first 1024 bytes
/// (HTML's rule); plain text is UTF-8 or UTF-16 with a byte-order mark.
pub fn decode(bytes: &[u8], html: bool) -> Result<Decoded, CharsetError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(finish(enc, &bytes[bom_len..], "byte-order mark", bom_len));
    }
    let declared = if html {
        declared_charset(bytes)
            .map(|l| (l, "<meta charset>"))
            .or_else(|| {
                late_declared_charset(bytes)
                    .map(|l| (l, "<meta charset> after the first 1024 bytes"))
            })
    } else {
        None
    };
    if let Some((label, source)) = declared {
        let enc = Encoding::for_label(label.as_bytes())
            .ok_or_else(|| CharsetError::UnknownCharset(label.clone()))?;
        // A page saved as UTF-16 cannot declare it in ASCII; HTML reads such a
        // declaration as UTF-8.
        let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            encoding_rs::UTF_8
        } else {
            enc
        };
        // A declaration that lies: a legacy charset declared, but the bytes are UTF-8 with
        // letters beyond ASCII (a page re-saved as UTF-8 keeps its old <meta>). Legacy
        // text is almost never valid UTF-8 by chance.
        if enc != encoding_rs::UTF_8
            && enc.is_ascii_compatible()
            && !bytes.is_ascii()
            && let Ok(s) = std::str::from_utf8(bytes)
        {
            return Ok(Decoded {
                text: composed(s),
                encoding: "UTF-8",
                source: "bytes (valid UTF-8, although the page declares another charset)",
                first_malformed: None,
            });
        }
        // The other lie: UTF-8 declared, bytes of a legacy charset.
        if enc == encoding_rs::UTF_8
            && std::str::from_utf8(bytes).is_err()
            && let Some(guess) = legacy_guess(bytes)
        {
            return Ok(finish(
                guess,
                bytes,
                "bytes (not UTF-8, although the page declares UTF-8)",
                0,
            ));
        }
        return Ok(finish(enc, bytes, source, 0));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded {
            text: composed(s),
            encoding: "UTF-8",
            source: "default",
            first_malformed: None,
        }),
        Err(e) => {
            if html && let Some(guess) = legacy_guess(bytes) {
                return Ok(finish(
                    guess,
                    bytes,
                    "bytes (not UTF-8 and no declaration: guessed)",
                    0,
                ));
            }
            let at = e.valid_up_to();
            Err(CharsetError::NotUtf8 {
                at,
                byte: bytes[at],
            })
        }
    }
}

/// The legacy charset of bytes that are not UTF-8, when they read cleanly as one:
/// `windows-1258` when a quarter or more of the bytes beyond ASCII are its combining tone
/// marks after a letter (Vietnamese puts a tone on most words; no other language writes
/// `ì`, `ò`, `Ì`, `Ò` or `Þ` that often), else `windows-1252` (the web's default for
/// Latin-script pages). Anything else (undefined bytes, CJK double-byte text, a binary
/// file) is not guessed.
fn legacy_guess(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut tone_marks = 0usize;
    let mut high = 0usize;
    let mut pairs = 0usize;
    let mut prev = 0u8;
    for &b in bytes {
        if b >= 0x80 {
            high += 1;
            // Bytes windows-1252 leaves undefined.
            if matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D) {
                return None;
            }
            let tone_mark = matches!(b, 0xCC | 0xEC | 0xD2 | 0xF2 | 0xDE)
                && (prev.is_ascii_alphabetic() || prev >= 0xC0);
            if tone_mark {
                tone_marks += 1;
            } else if prev >= 0x80 {
                pairs += 1;
            }
        }
        prev = b;
    }
    // Double-byte text (Chinese, Japanese, Korean) puts high bytes next to each other
    // most of the time; Latin text has them between ASCII letters.
    if high == 0 || (tone_marks * 4 <= high && pairs * 2 > high) {
        return None;
    }
    Some(if tone_marks * 4 > high {
        encoding_rs::WINDOWS_1258
    } else {
        encoding_rs::WINDOWS_1252
    })
}

/// A `<meta>` charset declared after the first 1024 bytes (pages with long comments or
/// scripts first): browsers honour it by reading the page again; so does this, when the
/// bytes are not UTF-8.
fn late_declared_charset(bytes: &[u8]) -> Option<String> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    // The <head> of a page: a declaration later than this is in the body, not the page's.
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let end = find(&lower, b"<body").unwrap_or(lower.len());
    declared_charset_in(&head[..end])
}

fn finish(enc: &'static Encoding, bytes: &[u8], source: &'static str, skip: usize) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let first_malformed = had_errors.then(|| {
        // Decoded once more without replacement, to learn where the first bad byte is.
        let mut decoder = enc.new_decoder_without_bom_handling();
        let capacity = decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len());
        let mut out = String::with_capacity(capacity);
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
        match result {
            encoding_rs::DecoderResult::Malformed(bad, after) => {
                skip + read.saturating_sub(bad as usize + after as usize)
            }
            _ => skip,
        }
    });
    Decoded {
        text: composed(&text),
        encoding: enc.name(),
        source,
        first_malformed,
    }
}

/// The charset a page declares in its first 1024 bytes, if any: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="text/html; charset=…">`. A byte-level scan
/// (the HTML prescan, simplified): the page cannot be parsed before it is decoded.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<String> {
    declared_charset_in(&bytes[..bytes.len().min(1024)])
}

/// The first `<meta>` charset declaration in `head`.
fn declared_charset_in(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(j) = find(tag, b"charset") {
            let mut k = j + 7;
            while k < tag.len() && tag[k].is_ascii_whitespace() {
                k += 1;
            }
            if k < tag.len() && tag[k] == b'=' {
                k += 1;
                while k < tag.len()
                    && (tag[k].is_ascii_whitespace() || tag[k] == b'"' || tag[k] == b'\'')
                {
                    k += 1;
                }
                let v_end = tag[k..]
                    .iter()
                    .position(|&b| {
                        matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b.is_ascii_whitespace()
                    })
                    .map_or(tag.len(), |e| k + e);
                let label = String::from_utf8_lossy(&tag[k..v_end]).into_owned();
                if !label.is_empty() {
                    return Some(label);
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `s` in NFC. Most pages are NFC already (or ASCII): the quick check spares them the
/// decomposition and recomposition of every character, which was a quarter of the import
/// time of a page (`docs/import.md`, "Speed").
fn composed(s: &str) -> String {
    if s.is_ascii()
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom() {
        let d = decode("\u{feff}<p>Bắc Kạn</p>".as_bytes(), true).unwrap();
        assert_eq!(d.text, "<p>Bắc Kạn</p>");
        assert_eq!(d.source, "byte-order mark");
    }

    #[test]
    fn windows_1258_is_decoded_and_composed() {
        // "Bắc Kạn" in windows-1258: ă = 0xE3, combining acute = 0xEC, combining dot below = 0xF2.
        let mut page = b"<meta charset=\"windows-1258\"><p>B\xe3\xecc Ka\xf2n</p>".to_vec();
        page.extend_from_slice(b"");
        let d = decode(&page, true).unwrap();
        assert_eq!(d.encoding, "windows-1258");
        assert!(d.text.contains("Bắc Kạn"), "{}", d.text);
        assert_eq!(d.first_malformed, None);
    }

    #[test]
    fn http_equiv_declaration() {
        let page =
            b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=windows-1258'><p>x</p>";
        assert_eq!(declared_charset(page).as_deref(), Some("windows-1258"));
    }

    #[test]
    fn undeclared_non_utf8_is_refused_with_its_offset() {
        // Bytes no legacy charset reads cleanly (0x81 is undefined in windows-1252).
        let e = decode(b"<p>ab\x81\xe3</p>", true).unwrap_err();
        assert_eq!(e, CharsetError::NotUtf8 { at: 5, byte: 0x81 });
        // Double-byte text is not guessed as a Latin charset.
        assert!(decode(b"<p>\xbb\xb0\xbe\xe7\xa1\xb6</p>", true).is_err());
    }

    #[test]
    fn undeclared_legacy_latin_and_vietnamese_are_guessed() {
        // "Größe für Bücher" in windows-1252, no declaration.
        let d = decode(b"<p>Gr\xf6\xdfe f\xfcr B\xfccher</p>", true).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Größe für Bücher"), "{}", d.text);
        // "Bắc Kạn đẹp" in windows-1258, no declaration.
        let d = decode(b"<p>B\xe3\xecc Ka\xf2n \xf0e\xf2p</p>", true).unwrap();
        assert_eq!(d.encoding, "windows-1258");
        assert!(d.text.contains("Bắc Kạn đẹp"), "{}", d.text);
        // Plain text is never guessed.
        assert!(decode(b"Gr\xf6\xdfe", false).is_err());
    }

    #[test]
    fn lying_declarations_are_overruled_by_the_bytes() {
        let d = decode("<meta charset=iso-8859-1><p>Bắc Kạn</p>".as_bytes(), true).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("Bắc Kạn"));
        let d = decode(b"<meta charset=utf-8><p>Gr\xf6\xdfe</p>", true).unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Größe"));
    }

    #[test]
    fn a_late_declaration_is_read() {
        let mut page = b"<html><head><!--".to_vec();
        page.extend(std::iter::repeat_n(b'x', 2000));
        page.extend_from_slice(b"--><meta charset=\"gb2312\"><title>\xbb\xb0\xbe\xe7</title>");
        let d = decode(&page, true).unwrap();
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("话剧"), "{}", d.text);
    }

    #[test]
    fn unknown_charset_is_named() {
        let e = decode(b"<meta charset=klingon><p>x</p>", true).unwrap_err();
        assert_eq!(e, CharsetError::UnknownCharset("klingon".into()));
    }

    #[test]
    fn plain_text_ignores_meta() {
        let d = decode(b"<meta charset=windows-1258> Bac", false).unwrap();
        assert_eq!(d.encoding, "UTF-8");
    }
}
