//! Embedded fonts: each face a document needs, subset to the characters it shows.
//!
//! The `subsetter` crate (the one krilla uses for print) keeps the outlines, metrics and
//! names of the requested glyphs but drops the `cmap` and `OS/2` tables, which a print
//! file does not need and a reading system (a browser engine) does: without a character map
//! no text can use the font, and browsers' font sanitisers refuse a font without `OS/2`.
//! [`subset_face`] therefore adds a new `cmap` (format 4, plus format 12 for characters
//! beyond the BMP) mapping exactly the kept characters, copies the original `OS/2`, and
//! rebuilds the table directory and checksums. Layout tables (`GSUB`, `GPOS`) are not
//! kept: text is NFC, so Vietnamese letters are precomposed glyphs and need no mark
//! positioning; kerning is lost.

use std::collections::BTreeSet;

use skrifa::{FontRef, MetadataProvider, Tag};
use subsetter::GlyphRemapper;

use crate::error::{Error, Result};
use crate::fonts::FontFace;

/// Subsets `face` to `chars` and returns a TrueType/OpenType font usable by reading systems.
pub fn subset_face(face: &FontFace, chars: &BTreeSet<char>) -> Result<Vec<u8>> {
    let err = |m: String| Error::Font {
        name: face.name.clone(),
        message: m,
        hint: "use a TrueType font (glyf outlines) or a CFF OpenType font".into(),
    };
    let font = FontRef::from_index(face.bytes(), face.index())
        .map_err(|e| err(format!("unreadable: {e}")))?;
    let charmap = font.charmap();
    let mut remapper = GlyphRemapper::new();
    let mut mapped: Vec<(u32, u16)> = Vec::with_capacity(chars.len());
    for &c in chars {
        if let Some(gid) = charmap.map(c) {
            let gid = gid.to_u32();
            if gid == 0 || gid > u32::from(u16::MAX) {
                continue;
            }
            mapped.push((c as u32, remapper.remap(gid as u16)));
        }
    }
    let sub = subsetter::subset(face.bytes(), face.index(), &remapper)
        .map_err(|e| err(format!("cannot be subset: {e}")))?;
    let mut tables = read_tables(&sub).ok_or_else(|| err("the subset font is malformed".into()))?;
    let os2 = font
        .table_data(Tag::new(b"OS/2"))
        .ok_or_else(|| Error::Font {
            name: face.name.clone(),
            message: "the font has no OS/2 table, which reading systems need to use an embedded font"
                .into(),
            hint: "use another file of the font (most TrueType and OpenType fonts have one), or the bundled fonts"
                .into(),
        })?;
    tables.retain(|(tag, _)| tag != b"cmap" && tag != b"OS/2");
    tables.push((*b"cmap", build_cmap(&mapped)));
    tables.push((*b"OS/2", os2.as_bytes().to_vec()));
    let flavor = u32::from_be_bytes(sub[0..4].try_into().expect("checked by read_tables"));
    Ok(write_font(flavor, tables))
}

/// The tables of an sfnt font: (tag, data).
fn read_tables(font: &[u8]) -> Option<Vec<([u8; 4], Vec<u8>)>> {
    let u16_at = |o: usize| font.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let u32_at = |o: usize| {
        font.get(o..o + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = u16_at(4)? as usize;
    let mut out = Vec::with_capacity(count + 2);
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let offset = u32_at(rec + 8)? as usize;
        let len = u32_at(rec + 12)? as usize;
        out.push((tag, font.get(offset..offset.checked_add(len)?)?.to_vec()));
    }
    Some(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Writes an sfnt font from its tables (sorted by tag, 4-byte aligned, with checksums
/// and the `head` checksum adjustment).
fn write_font(flavor: u32, mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|a| a.0);
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16; // floor(log2(n))
    let search_range = (1u16 << entry_selector) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&flavor.to_be_bytes());
    for v in [n, search_range, entry_selector, n * 16 - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// A `cmap` table for `(code point, glyph)` pairs sorted by code point: a format 4
/// subtable (platform 3, encoding 1) for the BMP when it fits, and a format 12 subtable
/// (3, 10) when there are characters beyond the BMP or format 4 would overflow.
fn build_cmap(mapped: &[(u32, u16)]) -> Vec<u8> {
    let bmp: Vec<(u32, u16)> = mapped
        .iter()
        .copied()
        .filter(|(c, _)| *c < 0xFFFF)
        .collect();
    let f4 = format4(&bmp);
    let need12 = f4.is_none() || bmp.len() < mapped.len();
    let mut subtables: Vec<(u16, u16, Vec<u8>)> = Vec::new();
    if let Some(f4) = f4 {
        subtables.push((3, 1, f4));
    }
    if need12 {
        subtables.push((3, 10, format12(mapped)));
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(subtables.len() as u16).to_be_bytes());
    let mut offset = 4 + 8 * subtables.len();
    for (platform, encoding, data) in &subtables {
        out.extend_from_slice(&platform.to_be_bytes());
        out.extend_from_slice(&encoding.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        offset += data.len();
    }
    for (_, _, data) in subtables {
        out.extend_from_slice(&data);
    }
    out
}

/// Runs of consecutive code points: (first, last, glyphs).
fn runs(mapped: &[(u32, u16)]) -> Vec<(u32, u32, Vec<u16>)> {
    let mut runs: Vec<(u32, u32, Vec<u16>)> = Vec::new();
    for &(c, g) in mapped {
        match runs.last_mut() {
            Some((_, last, glyphs)) if *last + 1 == c => {
                *last = c;
                glyphs.push(g);
            }
            _ => runs.push((c, c, vec![g])),
        }
    }
    runs
}

fn format4(mapped: &[(u32, u16)]) -> Option<Vec<u8>> {
    let mut segs = runs(mapped);
    segs.push((0xFFFF, 0xFFFF, Vec::new()));
    let seg_count = segs.len();
    let glyph_count: usize = segs.iter().map(|s| s.2.len()).sum();
    let len = 16 + 8 * seg_count + 2 * glyph_count;
    if len > usize::from(u16::MAX) {
        return None;
    }
    let seg_x2 = (2 * seg_count) as u16;
    let entry_selector = 15 - (seg_count as u16).leading_zeros() as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let mut out = Vec::with_capacity(len);
    for v in [
        4,
        len as u16,
        0,
        seg_x2,
        search_range,
        entry_selector,
        seg_x2 - search_range,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for s in &segs {
        out.extend_from_slice(&(s.1 as u16).to_be_bytes());
    }
    out.extend_from_slice(&0u16.to_be_bytes()); // reservedPad
    for s in &segs {
        out.extend_from_slice(&(s.0 as u16).to_be_bytes());
    }
    for s in &segs {
        // The final segment maps 0xFFFF to glyph 0 through its delta.
        let delta: u16 = if s.2.is_empty() { 1 } else { 0 };
        out.extend_from_slice(&delta.to_be_bytes());
    }
    // idRangeOffset: bytes from this entry to the segment's first glyph in glyphIdArray.
    let mut glyph_index = 0usize;
    for (i, s) in segs.iter().enumerate() {
        let v = if s.2.is_empty() {
            0
        } else {
            (2 * (seg_count - i) + 2 * glyph_index) as u16
        };
        out.extend_from_slice(&v.to_be_bytes());
        glyph_index += s.2.len();
    }
    for s in &segs {
        for g in &s.2 {
            out.extend_from_slice(&g.to_be_bytes());
        }
    }
    debug_assert_eq!(out.len(), len);
    Some(out)
}

fn format12(mapped: &[(u32, u16)]) -> Vec<u8> {
    // Groups of consecutive code points with consecutive glyphs.
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for &(c, g) in mapped {
        let g = u32::from(g);
        match groups.last_mut() {
            Some((start, end, first_glyph))
                if *end + 1 == c && *first_glyph + (c - *start) == g =>
            {
                *end = c
            }
            _ => groups.push((c, c, g)),
        }
    }
    let len = 16 + 12 * groups.len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&12u16.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for (s, e, g) in groups {
        for v in [s, e, g] {
            out.extend_from_slice(&v.to_be_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::FontFamily;

    fn chars(s: &str) -> BTreeSet<char> {
        s.chars().collect()
    }

    #[test]
    fn subset_maps_exactly_the_requested_characters() {
        let fam = FontFamily::bundled_serif();
        let want = chars("Bắc Kạn ỹ 😀A");
        let bytes = subset_face(&fam.regular, &want).unwrap();
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        let font = FontRef::new(&bytes).unwrap();
        let cmap = font.charmap();
        for c in "Bắc Kạn ỹA ".chars() {
            assert!(cmap.map(c).is_some_and(|g| g.to_u32() != 0), "{c} missing");
        }
        assert!(cmap.map('z').is_none());
        assert!(font.table_data(Tag::new(b"OS/2")).is_some());
        assert!(font.table_data(Tag::new(b"hhea")).is_some());
        // Whole-font checksum after adjustment is the magic number.
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA);
        // Glyph outlines survive: the subset glyph for ạ has the same bounds as the original.
        let orig = FontRef::new(fam.regular.bytes()).unwrap();
        let gm = |f: &FontRef, c: char| {
            let g = f.charmap().map(c).unwrap();
            f.glyph_metrics(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            )
            .bounds(g)
        };
        assert_eq!(gm(&font, 'ạ'), gm(&orig, 'ạ'));
    }

    #[test]
    fn format12_when_beyond_the_bmp() {
        let cmap = build_cmap(&[(0x41, 1), (0x42, 2), (0x1F600, 3)]);
        assert_eq!(u16::from_be_bytes([cmap[2], cmap[3]]), 2, "two subtables");
    }
}
