//! Fonts: the bundled Vietnamese-capable OFL families, user-supplied fonts, and the
//! character coverage check that runs before any document is written.
//!
//! Bundled (compiled into the binary, licences in `fonts/*/OFL.txt`):
//! * **Be Vietnam Pro** (sans serif, regular/bold/italic/bold italic): the large-print face.
//! * **Noto Serif** (serif, regular/bold/italic/bold italic): the standard-edition face.
//!
//! A [`FontSet`] is a fallback chain of families: text is set in the first family that
//! has a glyph for each character. A character that no family covers is an error naming
//! the character and where it is ([`crate::prepare::Prepared::check_fonts`]), never a silent `.notdef`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use crate::error::{Error, Result};

/// Bundled font files: (file name, bytes).
pub(crate) mod bundled {
    /// Be Vietnam Pro Regular.
    pub static SANS_REGULAR: &[u8] =
        include_bytes!("../fonts/be-vietnam-pro/BeVietnamPro-Regular.ttf");
    /// Be Vietnam Pro Bold.
    pub static SANS_BOLD: &[u8] = include_bytes!("../fonts/be-vietnam-pro/BeVietnamPro-Bold.ttf");
    /// Be Vietnam Pro Italic.
    pub static SANS_ITALIC: &[u8] =
        include_bytes!("../fonts/be-vietnam-pro/BeVietnamPro-Italic.ttf");
    /// Be Vietnam Pro Bold Italic.
    pub static SANS_BOLD_ITALIC: &[u8] =
        include_bytes!("../fonts/be-vietnam-pro/BeVietnamPro-BoldItalic.ttf");
    /// Be Vietnam Pro's licence.
    pub static SANS_LICENSE: &str = include_str!("../fonts/be-vietnam-pro/OFL.txt");
    /// Noto Serif Regular.
    pub static SERIF_REGULAR: &[u8] = include_bytes!("../fonts/noto-serif/NotoSerif-Regular.ttf");
    /// Noto Serif Bold.
    pub static SERIF_BOLD: &[u8] = include_bytes!("../fonts/noto-serif/NotoSerif-Bold.ttf");
    /// Noto Serif Italic.
    pub static SERIF_ITALIC: &[u8] = include_bytes!("../fonts/noto-serif/NotoSerif-Italic.ttf");
    /// Noto Serif Bold Italic.
    pub static SERIF_BOLD_ITALIC: &[u8] =
        include_bytes!("../fonts/noto-serif/NotoSerif-BoldItalic.ttf");
    /// Noto Serif's licence.
    pub static SERIF_LICENSE: &str = include_str!("../fonts/noto-serif/OFL.txt");
}

/// Characters whose glyph extents set the line height: every Vietnamese letter (stacked
/// diacritics are the tallest marks in the text) plus ASCII.
const TALL_SAMPLE: &str = "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXYÀẰẦÈỀÌÒỒỜÙỪỲÁẮẤÉẾÍÓỐỚÚỨÝẢẲẨẺỂỈỎỔỞỦỬỶÃẴẪẼỄĨÕỖỠŨỮỸẠẶẬẸỆỊỌỘỢỤỰỴàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵgjpqyÅÇ()[]{}|/";

/// The largest font file read, in bytes (64 MiB); a larger file is refused before it is read.
pub(crate) const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// One font face, ready for shaping (harfrust) and embedding (krilla).
pub struct FontFace {
    /// Human-readable name (`Be Vietnam Pro Bold`).
    pub name: String,
    data: krilla::Data,
    index: u32,
    /// The face for the print edition's writer (krilla).
    pub krilla: krilla::text::Font,
    shaper_data: harfrust::ShaperData,
    /// Font units per em.
    pub units_per_em: f32,
    /// Highest point of the tallest sample glyph (stacked Vietnamese capitals), in ems.
    pub max_ascent_em: f32,
    /// Lowest point of the deepest sample glyph (descenders), in ems, positive downwards.
    pub max_descent_em: f32,
    /// The hyphen glyph and its advance in ems, for hyphenated line ends.
    pub hyphen: Option<(u32, f32)>,
    /// The characters the face maps (read once from its `cmap`): one bit per BMP code
    /// point, and a sorted list above it.
    bmp: Box<[u64]>,
    astral: Vec<u32>,
}

/// Why a font file that parsed cannot be used, if it cannot: a truncated or damaged file
/// can still have a readable header and character map, so it is refused here, not after
/// some editions were written; and it must survive subsetting, as every writer embeds it.
fn refuse_damaged(sk: &skrifa::FontRef<'_>, data: &[u8], index: u32) -> Result<(), String> {
    let end = data.len() as u64;
    if let Some(rec) = sk
        .table_directory
        .table_records()
        .iter()
        .find(|r| u64::from(r.offset()) + u64::from(r.length()) > end)
    {
        return Err(format!(
            "the font file is truncated or damaged (its `{}` table ends past the end of the file)",
            rec.tag()
        ));
    }
    let probe = [Some(0u16), sk.charmap().map('a').map(|g| g.to_u32() as u16)];
    let remapper =
        subsetter::GlyphRemapper::new_from_glyphs(&probe.into_iter().flatten().collect::<Vec<_>>());
    subsetter::subset(data, index, &remapper)
        .map(|_| ())
        .map_err(|e| format!("the font cannot be embedded ({e})"))
}

/// The highest and lowest points (font units, lowest positive downwards) of the
/// [`TALL_SAMPLE`] glyphs, at least the typographic `(ascent, descent)` given.
fn sample_extents(
    sk: &skrifa::FontRef<'_>,
    gm: &skrifa::metrics::GlyphMetrics<'_>,
    (mut top, mut bottom): (f32, f32),
) -> (f32, f32) {
    for c in TALL_SAMPLE.chars() {
        if let Some(gid) = sk.charmap().map(c)
            && let Some(b) = gm.bounds(gid)
        {
            top = top.max(b.y_max);
            bottom = bottom.max(-b.y_min);
        }
    }
    (top, bottom)
}

/// The characters a face maps to a glyph: one bit per BMP code point, and a sorted list
/// of those above the BMP.
fn mapped_characters(sk: &skrifa::FontRef<'_>) -> (Box<[u64]>, Vec<u32>) {
    let mut bmp = vec![0u64; 1024].into_boxed_slice();
    let mut astral = Vec::new();
    for (cp, gid) in sk.charmap().mappings() {
        if gid.to_u32() == 0 {
            continue;
        }
        if cp < 0x1_0000 {
            bmp[(cp >> 6) as usize] |= 1 << (cp & 63);
        } else {
            astral.push(cp);
        }
    }
    astral.sort_unstable();
    astral.dedup();
    (bmp, astral)
}

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFace")
            .field("name", &self.name)
            .finish()
    }
}

impl FontFace {
    /// Loads a face from font bytes (TTF/OTF; `index` selects a face of a collection).
    pub fn new(name: impl Into<String>, data: krilla::Data, index: u32) -> Result<FontFace> {
        let name = name.into();
        let bad = |message: &str| Error::Font {
            name: name.clone(),
            message: message.into(),
            hint: "give a TrueType or OpenType font file (.ttf, .otf)".into(),
        };
        let font_ref = harfrust::FontRef::from_index(data.as_ref(), index)
            .map_err(|_| bad("not a readable font file"))?;
        let sk = skrifa::FontRef::from_index(data.as_ref(), index)
            .map_err(|_| bad("not a readable font file"))?;
        refuse_damaged(&sk, data.as_ref(), index).map_err(|m| bad(&m))?;
        let krilla_font = krilla::text::Font::new(data.clone(), index)
            .ok_or_else(|| bad("krilla cannot embed this font"))?;
        let metrics = sk.metrics(Size::unscaled(), LocationRef::default());
        let upem = metrics.units_per_em as f32;
        if upem < 16.0 {
            return Err(bad("the font's units per em is out of range"));
        }
        if sk.charmap().map('a').is_none() && sk.charmap().map('0').is_none() {
            return Err(bad("the font has no Unicode character map for Latin text"));
        }
        let gm = sk.glyph_metrics(Size::unscaled(), LocationRef::default());
        let (top, bottom) = sample_extents(&sk, &gm, (metrics.ascent, -metrics.descent));
        let hyphen = sk
            .charmap()
            .map('-')
            .and_then(|g| gm.advance_width(g).map(|a| (g.to_u32(), a / upem)));
        let (bmp, astral) = mapped_characters(&sk);
        Ok(FontFace {
            bmp,
            astral,
            hyphen,
            shaper_data: harfrust::ShaperData::new(&font_ref),
            name,
            index,
            krilla: krilla_font,
            units_per_em: upem,
            max_ascent_em: top / upem,
            max_descent_em: bottom / upem,
            data,
        })
    }

    /// The font bytes.
    pub fn bytes(&self) -> &[u8] {
        self.data.as_ref()
    }

    /// The face index inside the font file.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// Whether the face maps `c` to a glyph. Default-ignorable characters (zero-width
    /// spaces and joiners, variation selectors) count as covered: the shaper hides them.
    pub fn covers(&self, c: char) -> bool {
        let cp = c as u32;
        is_default_ignorable(c)
            || if cp < 0x1_0000 {
                self.bmp[(cp >> 6) as usize] & (1 << (cp & 63)) != 0
            } else {
                self.astral.binary_search(&cp).is_ok()
            }
    }

    /// The glyph id for a character, if the face has one.
    pub fn glyph_for(&self, c: char) -> Option<u32> {
        let sk = skrifa::FontRef::from_index(self.data.as_ref(), self.index).ok()?;
        sk.charmap().map(c).map(|g| g.to_u32()).filter(|g| *g != 0)
    }

    /// Runs `f` with a harfrust shaper for this face.
    pub(crate) fn with_shaper<R>(&self, f: impl FnOnce(&harfrust::Shaper<'_>) -> R) -> R {
        let font_ref = harfrust::FontRef::from_index(self.data.as_ref(), self.index)
            .expect("the font was parsed when loaded");
        let shaper = self.shaper_data.shaper(&font_ref).build();
        f(&shaper)
    }
}

/// Characters that take no glyph of their own.
pub(crate) fn is_default_ignorable(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

/// A family: four styles. Missing styles fall back to the regular face.
#[derive(Debug, Clone)]
pub struct FontFamily {
    /// Family name.
    pub(crate) name: String,
    /// Regular face.
    pub(crate) regular: Arc<FontFace>,
    /// Bold face.
    pub(crate) bold: Arc<FontFace>,
    /// Italic face.
    pub(crate) italic: Arc<FontFace>,
    /// Bold italic face.
    pub(crate) bold_italic: Arc<FontFace>,
    /// The licence text to ship with the font, if known (bundled fonts: the OFL).
    pub(crate) license: Option<String>,
}

impl FontFamily {
    /// The face for a style.
    pub(crate) fn face(&self, bold: bool, italic: bool) -> &Arc<FontFace> {
        match (bold, italic) {
            (false, false) => &self.regular,
            (true, false) => &self.bold,
            (false, true) => &self.italic,
            (true, true) => &self.bold_italic,
        }
    }

    /// The bundled sans family, Be Vietnam Pro.
    pub(crate) fn bundled_sans() -> FontFamily {
        static SANS: std::sync::OnceLock<FontFamily> = std::sync::OnceLock::new();
        SANS.get_or_init(|| {
            Self::from_static(
                "Be Vietnam Pro",
                [
                    bundled::SANS_REGULAR,
                    bundled::SANS_BOLD,
                    bundled::SANS_ITALIC,
                    bundled::SANS_BOLD_ITALIC,
                ],
                bundled::SANS_LICENSE,
            )
        })
        .clone()
    }

    /// The bundled serif family, Noto Serif.
    pub(crate) fn bundled_serif() -> FontFamily {
        static SERIF: std::sync::OnceLock<FontFamily> = std::sync::OnceLock::new();
        SERIF
            .get_or_init(|| {
                Self::from_static(
                    "Noto Serif",
                    [
                        bundled::SERIF_REGULAR,
                        bundled::SERIF_BOLD,
                        bundled::SERIF_ITALIC,
                        bundled::SERIF_BOLD_ITALIC,
                    ],
                    bundled::SERIF_LICENSE,
                )
            })
            .clone()
    }

    fn from_static(name: &str, files: [&'static [u8]; 4], license: &str) -> FontFamily {
        let styles = ["Regular", "Bold", "Italic", "Bold Italic"];
        let faces: Vec<Arc<FontFace>> = files
            .iter()
            .zip(styles)
            .map(|(bytes, style)| {
                Arc::new(
                    FontFace::new(format!("{name} {style}"), krilla::Data::from(*bytes), 0)
                        .expect("bundled fonts are valid"),
                )
            })
            .collect();
        FontFamily {
            name: name.into(),
            regular: faces[0].clone(),
            bold: faces[1].clone(),
            italic: faces[2].clone(),
            bold_italic: faces[3].clone(),
            license: Some(license.into()),
        }
    }

    /// A family from a font file. Sibling files whose names replace `Regular` with `Bold`,
    /// `Italic` or `BoldItalic` supply those styles; otherwise the file serves every style.
    pub(crate) fn from_file(path: &Path) -> Result<FontFamily> {
        let load = |p: &Path| -> Result<Arc<FontFace>> {
            let read_err = |source| Error::Read {
                path: p.to_path_buf(),
                source,
            };
            let len = std::fs::metadata(p).map_err(read_err)?.len();
            if len > MAX_FONT_BYTES {
                return Err(Error::Font {
                    name: p.display().to_string(),
                    message: format!(
                        "the file is {len} bytes, more than the font size limit of {} MiB",
                        MAX_FONT_BYTES >> 20
                    ),
                    hint: "give a TrueType or OpenType font file (.ttf, .otf)".into(),
                });
            }
            let bytes = std::fs::read(p).map_err(read_err)?;
            let name = p.file_stem().map_or_else(
                || p.display().to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            Ok(Arc::new(
                FontFace::new(name, krilla::Data::from(bytes), 0).map_err(|e| match e {
                    Error::Font { message, hint, .. } => Error::Font {
                        name: p.display().to_string(),
                        message,
                        hint,
                    },
                    e => e,
                })?,
            ))
        };
        let regular = load(path)?;
        let sibling = |style: &str| -> Option<PathBuf> {
            let name = path.file_name()?.to_str()?;
            name.contains("Regular")
                .then(|| path.with_file_name(name.replace("Regular", style)))
                .filter(|p| p.is_file())
        };
        let styled = |style: &str| -> Result<Arc<FontFace>> {
            match sibling(style) {
                Some(p) => load(&p),
                None => Ok(regular.clone()),
            }
        };
        let license = path
            .parent()
            .map(|d| d.join("OFL.txt"))
            .and_then(|p| std::fs::read_to_string(p).ok());
        Ok(FontFamily {
            name: regular
                .name
                .replace("-Regular", "")
                .replace("Regular", "")
                .trim()
                .to_string(),
            bold: styled("Bold")?,
            italic: styled("Italic")?,
            bold_italic: styled("BoldItalic")?,
            regular,
            license,
        })
    }

    /// A family installed on the system, found by name with `fontdb`.
    pub(crate) fn from_system(family: &str) -> Result<FontFamily> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let find = |weight: fontdb::Weight, style: fontdb::Style| {
            db.query(&fontdb::Query {
                families: &[fontdb::Family::Name(family)],
                weight,
                style,
                ..fontdb::Query::default()
            })
        };
        let regular_id =
            find(fontdb::Weight::NORMAL, fontdb::Style::Normal).ok_or_else(|| Error::Font {
                name: family.into(),
                message: "no installed font family of that name".into(),
                hint: "give a font file path instead, or check `fc-list : family`".into(),
            })?;
        let load = |id: fontdb::ID| -> Result<Arc<FontFace>> {
            let (src, index) = db.face_source(id).ok_or_else(|| Error::Font {
                name: family.into(),
                message: "the font source disappeared".into(),
                hint: "try again".into(),
            })?;
            let bytes = match src {
                fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => {
                    std::fs::read(&p).map_err(|source| Error::Read { path: p, source })?
                }
                fontdb::Source::Binary(b) => b.as_ref().as_ref().to_vec(),
            };
            let name = db
                .face(id)
                .map_or(family.to_string(), |f| f.post_script_name.clone());
            Ok(Arc::new(FontFace::new(
                name,
                krilla::Data::from(bytes),
                index,
            )?))
        };
        let regular = load(regular_id)?;
        let pick = |w, s| -> Result<Arc<FontFace>> {
            match find(w, s) {
                Some(id) if id != regular_id => load(id),
                _ => Ok(regular.clone()),
            }
        };
        Ok(FontFamily {
            name: family.into(),
            bold: pick(fontdb::Weight::BOLD, fontdb::Style::Normal)?,
            italic: pick(fontdb::Weight::NORMAL, fontdb::Style::Italic)?,
            bold_italic: pick(fontdb::Weight::BOLD, fontdb::Style::Italic)?,
            regular,
            license: None,
        })
    }

    /// A family named by `--font`: an existing file path, or an installed family name.
    pub fn from_spec(spec: &str) -> Result<FontFamily> {
        match spec.to_ascii_lowercase().as_str() {
            "be vietnam pro" | "sans" | "sans-serif" => return Ok(Self::bundled_sans()),
            "noto serif" | "serif" => return Ok(Self::bundled_serif()),
            _ => {}
        }
        let p = Path::new(spec);
        if p.is_file() {
            Self::from_file(p)
        } else {
            Self::from_system(spec)
        }
    }

    /// Whether the faces are sans serif: false for the bundled serif, and for unknown
    /// fonts whose name says serif.
    pub(crate) fn is_serif(&self) -> bool {
        let n = self.name.to_ascii_lowercase();
        n.contains("serif") && !n.contains("sans")
    }
}

/// A fallback chain of families; the first is the main text face.
#[derive(Debug, Clone)]
pub struct FontSet {
    /// The families, in order of preference.
    pub(crate) families: Vec<FontFamily>,
}

/// The family index and face to use for one character.
pub struct FaceChoice<'a> {
    /// The face.
    pub face: &'a Arc<FontFace>,
}

impl FontSet {
    /// The default set for a scale: Be Vietnam Pro first at large print, Noto Serif first
    /// otherwise; the other bundled family is the fallback.
    pub fn bundled(large_print: bool) -> FontSet {
        let (a, b) = (FontFamily::bundled_sans(), FontFamily::bundled_serif());
        FontSet {
            families: if large_print { vec![a, b] } else { vec![b, a] },
        }
    }

    /// A user family first, then both bundled families as fallbacks.
    pub(crate) fn with_primary(primary: FontFamily) -> FontSet {
        FontSet {
            families: vec![
                primary,
                FontFamily::bundled_sans(),
                FontFamily::bundled_serif(),
            ],
        }
    }

    /// The main family.
    pub(crate) fn primary(&self) -> &FontFamily {
        &self.families[0]
    }

    /// The first family whose face of this style covers `c` (the main family if none does).
    pub(crate) fn choose(&self, c: char, bold: bool, italic: bool) -> FaceChoice<'_> {
        for fam in &self.families {
            let face = fam.face(bold, italic);
            if face.covers(c) {
                return FaceChoice { face };
            }
        }
        FaceChoice {
            face: self.families[0].face(bold, italic),
        }
    }

    /// Whether any family covers `c`.
    pub fn covers(&self, c: char) -> bool {
        c.is_whitespace() || self.families.iter().any(|f| f.regular.covers(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_all_vietnamese_letters() {
        for fam in [FontFamily::bundled_sans(), FontFamily::bundled_serif()] {
            for face in [&fam.regular, &fam.bold, &fam.italic, &fam.bold_italic] {
                for c in TALL_SAMPLE.chars() {
                    assert!(face.covers(c), "{} lacks {c}", face.name);
                }
            }
        }
    }

    #[test]
    fn stacked_capitals_reach_above_the_hhea_ascender() {
        let sans = FontFamily::bundled_sans();
        assert!(
            sans.regular.max_ascent_em > 1.1,
            "{}",
            sans.regular.max_ascent_em
        );
    }

    #[test]
    fn not_a_font_is_a_clear_error() {
        let e =
            FontFace::new("x", krilla::Data::from(b"not a font at all".to_vec()), 0).unwrap_err();
        assert!(e.to_string().contains("not a readable font"), "{e}");
    }
}
