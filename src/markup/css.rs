//! The stylesheet: the embedded fonts, sizes from the font scale in relative units
//! only (readers can still resize), line height 1.5, flush-left unhyphenated text,
//! no italics at large print, and colours whose contrast is at least 7:1 (WCAG 1.4.6).

use std::fmt::Write;

use crate::scale::FontScale;

/// Text colour.
pub const TEXT: (u8, u8, u8) = (0x00, 0x00, 0x00);
/// Background colour.
pub const BACKGROUND: (u8, u8, u8) = (0xFF, 0xFF, 0xFF);
/// Link colour (underlined too, so colour is not the only cue).
pub const LINK: (u8, u8, u8) = (0x0B, 0x3D, 0x91);
/// Border colour of quotations (decoration, but still 7:1).
pub const RULE: (u8, u8, u8) = (0x33, 0x33, 0x33);

/// One `@font-face` rule.
#[derive(Debug, Clone)]
pub struct FontFaceRule {
    /// CSS family name (letters, digits, spaces and hyphens only).
    pub family: String,
    /// 400 or 700.
    pub weight: u16,
    /// Italic face.
    pub italic: bool,
    /// URL relative to the stylesheet.
    pub url: String,
}

fn hex((r, g, b): (u8, u8, u8)) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// A CSS number without trailing zeros (`137.5`, `83.33`, `100`).
pub fn num(x: f32) -> String {
    let s = format!("{:.3}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Relative luminance (WCAG 2).
#[cfg(test)]
pub(crate) fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let ch = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
}

/// Contrast ratio between two colours (WCAG 2).
#[cfg(test)]
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The stylesheet for `scale`, using `families` (CSS names, first preferred) with
/// `generic` (`serif` or `sans-serif`) last.
///
/// Long (over 80 lines) on purpose: it is the stylesheet itself, rule after rule in the
/// order written, with the scale's sizes filled in; cut into functions it would no longer
/// read as one stylesheet.
pub fn stylesheet(
    scale: FontScale,
    faces: &[FontFaceRule],
    families: &[String],
    generic: &str,
) -> String {
    let large = scale.is_large_print();
    let m = scale.metrics();
    let em = |pt: f32| num(pt / m.body_pt);
    let mut css = String::with_capacity(4096);
    css.push_str("@charset \"UTF-8\";\n");
    let _ = writeln!(
        css,
        "/* anpham: {} scale ({} pt print body), {} */",
        if large { "large-print" } else { "standard" },
        num(m.body_pt),
        scale
    );
    for f in faces {
        let _ = writeln!(
            css,
            "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; src: url({}) format(\"truetype\"); }}",
            f.family,
            f.weight,
            if f.italic { "italic" } else { "normal" },
            f.url
        );
    }
    let mut stack: Vec<String> = families.iter().map(|f| format!("\"{f}\"")).collect();
    stack.push(generic.to_string());
    let _ = writeln!(
        css,
        "body {{ font-family: {}; font-size: {}%; line-height: 1.5; text-align: left; \
         color: {}; background-color: {}; margin: 0 1em; overflow-wrap: break-word; }}",
        stack.join(", "),
        num(scale.reflow_percent()),
        hex(TEXT),
        hex(BACKGROUND),
    );
    // Hyphenation: never for Vietnamese; never at large print; elsewhere only where the
    // text has soft hyphens.
    css.push_str(":lang(vi) { -webkit-hyphens: none; hyphens: none; }\n");
    if large {
        css.push_str("body, body * { -webkit-hyphens: none; hyphens: none; }\n");
    } else {
        css.push_str("body { -webkit-hyphens: manual; hyphens: manual; }\n");
    }
    css.push_str("p, li, figcaption, blockquote { text-align: left; }\n");
    let gap = num(m.paragraph_gap_em);
    let _ = writeln!(css, "p {{ margin: 0 0 {gap}em 0; }}");
    for (i, h) in m.heading_pt.iter().enumerate() {
        let _ = writeln!(
            css,
            "h{} {{ font-size: {}em; font-weight: bold; font-style: normal; line-height: 1.25; margin: {}em 0 {}em 0; }}",
            i + 1,
            em(*h),
            if i == 0 { "0.5" } else { "1.2" },
            gap
        );
    }
    css.push_str("strong, b { font-weight: bold; }\n");
    if large {
        // Large print: no italics; emphasis is bold.
        css.push_str("em, i, cite, dfn, var, address { font-style: normal; font-weight: bold; }\n");
    } else {
        css.push_str("em { font-style: italic; }\ncite, address { font-style: normal; }\n");
    }
    let _ = writeln!(
        css,
        "a:link, a:visited {{ color: {}; text-decoration: underline; }}",
        hex(LINK)
    );
    css.push_str(".byline { margin-bottom: 1em; }\n");
    css.push_str(".lead { font-weight: bold; }\n");
    css.push_str(".source { margin-top: 1.5em; }\n");
    css.push_str(".source a { overflow-wrap: anywhere; }\n");
    let _ = writeln!(
        css,
        "figure {{ margin: 1em 0; }}\nfigure img, .figure img {{ display: block; max-width: 100%; height: auto; }}\n\
         figcaption {{ font-size: {}em; margin-top: 0.4em; }}\n.credit {{ display: block; }}",
        num(m.caption_pt / m.body_pt)
    );
    let _ = writeln!(
        css,
        "blockquote {{ margin: 1em 0; padding-left: 1em; border-left: 0.25em solid {}; }}\n\
         figure.quote > figcaption {{ font-size: 1em; }}\nfigure.quote > figcaption::before {{ content: \"\\2014\\00A0\"; }}",
        hex(RULE)
    );
    css.push_str(
        "ul, ol { margin: 0 0 0.6em 0; padding-left: 1.5em; }\nli { margin-bottom: 0.3em; }\n",
    );
    css.push_str(".titlepage h1 { margin-top: 2em; }\n.titlepage p { margin-bottom: 1em; }\n");
    css.push_str(
        "nav ol { list-style: none; padding-left: 0; }\nnav ol ol { padding-left: 1.5em; }\n",
    );
    css.push_str("nav li { margin-bottom: 0.5em; }\n");
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_meet_aaa_contrast() {
        for c in [TEXT, LINK, RULE] {
            assert!(
                contrast(c, BACKGROUND) >= 7.0,
                "{c:?}: {}",
                contrast(c, BACKGROUND)
            );
        }
    }

    #[test]
    fn sizes_are_relative() {
        for step in -2..=6 {
            let css = stylesheet(FontScale::step(step), &[], &["X".into()], "serif");
            assert!(!css.contains("pt;") && !css.contains("px"), "{css}");
            assert!(css.contains(&format!(
                "font-size: {}%",
                num(FontScale::step(step).reflow_percent())
            )));
            assert!(css.contains("line-height: 1.5"));
            assert!(!css.contains("justify"));
        }
    }

    #[test]
    fn no_italics_at_large_print() {
        let css = stylesheet(FontScale::LARGE, &[], &["X".into()], "sans-serif");
        assert!(
            css.contains(
                "em, i, cite, dfn, var, address { font-style: normal; font-weight: bold; }"
            )
        );
        assert!(!css.contains("font-style: italic"));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(137.5), "137.5");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(83.333_336), "83.333");
    }
}
