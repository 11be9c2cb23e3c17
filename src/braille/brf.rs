//! BRF (Braille Ready Format): North American ASCII braille, the 64 characters from space
//! to `_`, one line per braille line ending in CR LF, a form feed after every page.

use super::Volume;

/// Unicode braille dots 1–6 (the low six bits of U+2800–U+283F) → ASCII braille.
pub const ASCII_BRAILLE: &[u8; 64] =
    b" A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)=";

/// One Unicode braille cell as ASCII braille.
pub(crate) fn ascii_cell(c: char) -> u8 {
    ASCII_BRAILLE[((c as u32).wrapping_sub(0x2800) & 0x3F) as usize]
}

/// The BRF file of all volumes, one after another (each begins with its title page).
pub fn write_brf(volumes: &[Volume]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in volumes {
        for page in &v.pages {
            for line in page {
                out.extend(
                    line.trim_end_matches(super::format::BLANK)
                        .chars()
                        .map(ascii_cell),
                );
                out.extend_from_slice(b"\r\n");
            }
            out.push(0x0C);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_map_to_the_north_american_table() {
        assert_eq!(ascii_cell('\u{2800}'), b' ');
        assert_eq!(ascii_cell('\u{2801}'), b'A');
        assert_eq!(ascii_cell('\u{283C}'), b'#');
        assert_eq!(ascii_cell('\u{283F}'), b'=');
        let v = Volume {
            pages: vec![vec![
                "\u{2801}\u{2800}\u{2803}\u{2800}".into(),
                String::new(),
            ]],
        };
        assert_eq!(write_brf(&[v]), b"A B\r\n\r\n\x0c");
    }
}
