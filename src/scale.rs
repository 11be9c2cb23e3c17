//! Font scales: the print office's version of the portal's "Tăng cỡ chữ / Giảm cỡ chữ"
//! (enlarge / shrink text) buttons.
//!
//! A [`FontScale`] is a signed number of steps from the standard size, or an explicit
//! body size in points. Everything else that large-print guidelines tie to the body size
//! (headings, captions, page numbers, line height, the reflowable editions' base text
//! size) is derived here, in one place, so that the printed and the reflowable editions
//! agree. The ladder and the guidelines behind it are documented in `docs/font-scales.md`.

use std::fmt;
use std::str::FromStr;

/// Print body sizes in points for steps −2 … +6.
pub(crate) const PRINT_LADDER_PT: [f32; 9] = [10.0, 11.0, 12.0, 14.0, 16.0, 18.0, 20.0, 24.0, 28.0];
/// The reflowable editions' base text sizes in percent of the reader's default for steps
/// 0 … +6 (below 0: the print size ÷ 12 pt).
pub(crate) const REFLOW_LADDER_PERCENT: [f32; 7] =
    [100.0, 112.5, 125.0, 137.5, 150.0, 175.0, 200.0];
/// The lowest step.
pub const MIN_STEP: i8 = -2;
/// The highest step.
pub const MAX_STEP: i8 = 6;
/// The step from which an edition is "large print" (18 pt body).
#[cfg(test)]
pub(crate) const LARGE_PRINT_STEP: i8 = 3;
/// The smallest and largest explicit body sizes accepted, in points.
pub(crate) const EXPLICIT_RANGE_PT: (f32, f32) = (6.0, 72.0);

/// A font scale: a step from the standard size (−2 … +6), or an explicit body size
/// (6 … 72 pt). Built by [`FontScale::step`] (saturating) or parsing (`"19pt"`,
/// checked); a step off the ladder or a NaN size cannot be built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FontScale(Scale);

/// What a [`FontScale`] holds; private so that only checked values exist.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    /// A step on the ladder, −2 … +6 (0 is the standard 12 pt).
    Step(i8),
    /// An explicit body size in points, within [`EXPLICIT_RANGE_PT`].
    Points(f32),
}

/// A scale that cannot be understood.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "unknown font scale `{0}`; hint: use a step from -2 to +6, a name (small, standard, large, extra-large, largest) or a size such as 19pt"
)]
pub struct ScaleParseError(pub String);

impl FontScale {
    /// The standard edition (step 0, 12 pt).
    pub const STANDARD: FontScale = FontScale(Scale::Step(0));
    /// The large-print default (step +3, 18 pt).
    pub const LARGE: FontScale = FontScale(Scale::Step(3));
    /// Extra-large print (step +5, 24 pt).
    pub const EXTRA_LARGE: FontScale = FontScale(Scale::Step(5));

    /// Step `s` of the ladder, brought into −2 … +6.
    pub const fn step(s: i8) -> FontScale {
        FontScale(Scale::Step(if s < MIN_STEP {
            MIN_STEP
        } else if s > MAX_STEP {
            MAX_STEP
        } else {
            s
        }))
    }

    /// An explicit body size; `None` outside `EXPLICIT_RANGE_PT` (and for NaN).
    pub(crate) fn points(pt: f32) -> Option<FontScale> {
        (EXPLICIT_RANGE_PT.0..=EXPLICIT_RANGE_PT.1)
            .contains(&pt)
            .then_some(FontScale(Scale::Points(pt)))
    }

    /// The step on the ladder, if this scale is one.
    #[cfg(test)]
    pub(crate) fn as_step(self) -> Option<i8> {
        match self.0 {
            Scale::Step(s) => Some(s),
            Scale::Points(_) => None,
        }
    }

    /// One step larger ("Tăng cỡ chữ"), saturating at +6 (an explicit size: ×1.125,
    /// at most 72 pt).
    pub fn enlarge(self) -> FontScale {
        match self.0 {
            Scale::Step(s) => FontScale::step(s + 1),
            Scale::Points(p) => FontScale(Scale::Points((p * 1.125).min(EXPLICIT_RANGE_PT.1))),
        }
    }

    /// One step smaller ("Giảm cỡ chữ"), saturating at −2 (an explicit size: ÷1.125, at
    /// least 6 pt).
    pub fn shrink(self) -> FontScale {
        match self.0 {
            Scale::Step(s) => FontScale::step(s - 1),
            Scale::Points(p) => FontScale(Scale::Points((p / 1.125).max(EXPLICIT_RANGE_PT.0))),
        }
    }

    /// Body text size in points.
    pub fn body_pt(self) -> f32 {
        match self.0 {
            Scale::Step(s) => PRINT_LADDER_PT[(s - MIN_STEP) as usize],
            Scale::Points(p) => p,
        }
    }

    /// Whether this scale is large print (body ≥ 18 pt): sans serif, no italics, no
    /// hyphenation, 1.5 line height, captions and page numbers at body size.
    pub fn is_large_print(self) -> bool {
        self.body_pt() >= 18.0
    }

    /// The base text size of the reflowable editions (those a reading system or browser
    /// lays out: e-book, narrated e-book, web page), in percent of its default size.
    pub(crate) fn reflow_percent(self) -> f32 {
        match self.0 {
            Scale::Step(s) if s >= 0 => REFLOW_LADDER_PERCENT[s as usize],
            _ => self.body_pt() / 12.0 * 100.0,
        }
    }

    /// The suffix used in output file names: `""` for standard, `large`, `extra-large`,
    /// `step-1`, `step+4`, `19pt`.
    pub(crate) fn file_suffix(self) -> String {
        match self.0 {
            Scale::Step(0) => String::new(),
            Scale::Step(3) => "large".into(),
            Scale::Step(5) => "extra-large".into(),
            Scale::Step(s) => format!("step{s:+}"),
            Scale::Points(p) => format!("{}pt", fmt_pt(p)),
        }
    }

    /// The scale as the command line takes it back: `+3`, `-1`, `19pt`.
    #[cfg_attr(
        not(feature = "serve"),
        allow(dead_code, reason = "read by the server only")
    )]
    pub(crate) fn argument(self) -> String {
        match self.0 {
            Scale::Step(s) => format!("{s:+}"),
            Scale::Points(p) => format!("{}pt", fmt_pt(p)),
        }
    }

    /// Derived typographic sizes for this scale.
    pub(crate) fn metrics(self) -> ScaleMetrics {
        let body = self.body_pt();
        let large = self.is_large_print();
        // Headings step down from the title; at large print the contrast is smaller
        // because the body is already big (guidelines ask for size *and* weight).
        let (h1, h2, h3) = if large {
            (1.3, 1.15, 1.08)
        } else {
            (1.75, 1.4, 1.2)
        };
        ScaleMetrics {
            body_pt: body,
            line_height: if large { 1.5 } else { 1.35 },
            heading_pt: [body * h1, body * h2, body * h3, body * 1.08, body, body],
            caption_pt: if large { body } else { body * 0.9 },
            page_number_pt: if large { body } else { (body * 0.85).max(9.0) },
            header_pt: if large {
                body * 0.8
            } else {
                (body * 0.8).max(8.0)
            },
            paragraph_gap_em: 0.6,
        }
    }
}

/// Sizes derived from a [`FontScale`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScaleMetrics {
    /// Body text size, pt.
    pub body_pt: f32,
    /// Line height as a multiple of the size (a floor: taller glyphs get more).
    pub line_height: f32,
    /// Heading sizes for levels 1 … 6, pt.
    pub heading_pt: [f32; 6],
    /// Caption and credit size, pt (never below body at large print).
    pub caption_pt: f32,
    /// Page number size, pt (body size at large print).
    pub page_number_pt: f32,
    /// Running header size, pt.
    pub header_pt: f32,
    /// Space between paragraphs, in ems of body text.
    pub paragraph_gap_em: f32,
}

/// A size in points without a needless `.0` (`18`, `19.5`).
pub(crate) fn fmt_pt(p: f32) -> String {
    if p.fract() == 0.0 {
        format!("{}", p as i32)
    } else {
        format!("{p:.1}")
    }
}

impl fmt::Display for FontScale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Scale::Step(s) => write!(f, "{s:+} ({} pt)", fmt_pt(self.body_pt())),
            Scale::Points(p) => write!(f, "{} pt", fmt_pt(p)),
        }
    }
}

impl FromStr for FontScale {
    type Err = ScaleParseError;

    /// Parses `-2` … `+6`, `small`, `standard`, `large`, `extra-large`, `largest`, or `19pt`.
    fn from_str(s: &str) -> Result<FontScale, ScaleParseError> {
        let t = s.trim().to_ascii_lowercase();
        let named = match t.as_str() {
            "smallest" => Some(-2),
            "small" => Some(-1),
            "standard" | "normal" => Some(0),
            "large" => Some(3),
            "extra-large" | "xl" => Some(5),
            "largest" => Some(6),
            _ => None,
        };
        if let Some(step) = named {
            return Ok(FontScale::step(step));
        }
        if let Some(pt) = t.strip_suffix("pt") {
            let p: f32 = pt.trim().parse().map_err(|_| ScaleParseError(s.into()))?;
            return FontScale::points(p).ok_or_else(|| ScaleParseError(s.into()));
        }
        let step: i8 = t
            .strip_prefix('+')
            .unwrap_or(&t)
            .parse()
            .map_err(|_| ScaleParseError(s.into()))?;
        if !(MIN_STEP..=MAX_STEP).contains(&step) {
            return Err(ScaleParseError(s.into()));
        }
        Ok(FontScale::step(step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/font-scales.md`'s table of derived sizes says what `metrics` does (issue #27:
    /// numbers in the docs come from the code or a test).
    #[test]
    fn the_docs_table_of_derived_sizes_is_the_code() {
        let doc = include_str!("../docs/font-scales.md");
        let row = |name: &str| -> Vec<String> {
            let line = doc
                .lines()
                .find(|l| l.starts_with(&format!("| {name} |")))
                .unwrap_or_else(|| panic!("docs/font-scales.md: no row `{name}`"));
            line.split('|').map(|c| c.trim().to_string()).collect()
        };
        // The factors written in a cell, in order: "1.4 / 1.2 / 1.08 × body" → 1.4, 1.2,
        // 1.08; "body" → 1.
        let factors = |cell: &str| -> Vec<f32> {
            let head = cell.split(['×', ',']).next().unwrap().trim();
            if head == "body" {
                return vec![1.0];
            }
            head.split('/').map(|f| f.trim().parse().unwrap()).collect()
        };
        let close = |a: f32, b: f32| (a - b).abs() < 1e-4;
        // Column 2: standard print (12 pt body); column 3: large print (18 pt body).
        for (column, scale) in [(2, FontScale::STANDARD), (3, FontScale::LARGE)] {
            let m = scale.metrics();
            let body = m.body_pt;
            let line = factors(&row("line height")[column]);
            assert!(close(line[0], m.line_height), "line height, {scale:?}");
            let title = factors(&row("title (h1)")[column]);
            assert!(close(title[0] * body, m.heading_pt[0]), "title, {scale:?}");
            let h = factors(&row("h2 / h3 / h4")[column]);
            for (i, f) in h.iter().enumerate() {
                assert!(
                    close(f * body, m.heading_pt[i + 1]),
                    "h{}, {scale:?}",
                    i + 2
                );
            }
            let h56 = factors(&row("h5, h6")[column]);
            assert!(close(h56[0] * body, m.heading_pt[4]) && close(h56[0] * body, m.heading_pt[5]));
            let caption = factors(&row("caption, credit")[column]);
            assert!(close(caption[0] * body, m.caption_pt), "caption, {scale:?}");
        }
    }

    #[test]
    fn ladder_matches_the_brief() {
        let expect = [
            (-2, 10.0, 83.33),
            (-1, 11.0, 91.67),
            (0, 12.0, 100.0),
            (1, 14.0, 112.5),
            (2, 16.0, 125.0),
            (3, 18.0, 137.5),
            (4, 20.0, 150.0),
            (5, 24.0, 175.0),
            (6, 28.0, 200.0),
        ];
        for (step, pt, pct) in expect {
            let s = FontScale::step(step);
            assert_eq!(s.body_pt(), pt, "step {step}");
            assert!(
                (s.reflow_percent() - pct).abs() < 0.01,
                "step {step}: {}",
                s.reflow_percent()
            );
            assert_eq!(s.is_large_print(), step >= 3);
        }
    }

    #[test]
    fn names_and_sizes_parse() {
        assert_eq!("large".parse(), Ok(FontScale::LARGE));
        assert_eq!("+5".parse(), Ok(FontScale::EXTRA_LARGE));
        assert_eq!("extra-large".parse(), Ok(FontScale::step(5)));
        assert_eq!("-2".parse(), Ok(FontScale::step(-2)));
        assert_eq!("19pt".parse(), Ok(FontScale::points(19.0).unwrap()));
        assert!("+7".parse::<FontScale>().is_err());
        assert!("huge".parse::<FontScale>().is_err());
        assert!("500pt".parse::<FontScale>().is_err());
        assert!("NaNpt".parse::<FontScale>().is_err());
    }

    #[test]
    fn buttons_saturate() {
        assert_eq!(FontScale::step(6).enlarge(), FontScale::step(6));
        assert_eq!(FontScale::step(-2).shrink(), FontScale::step(-2));
        assert_eq!(
            FontScale::STANDARD.enlarge().enlarge().enlarge(),
            FontScale::LARGE
        );
    }

    #[test]
    fn large_print_furniture_never_below_body() {
        for step in LARGE_PRINT_STEP..=MAX_STEP {
            let m = FontScale::step(step).metrics();
            assert!(m.caption_pt >= m.body_pt);
            assert!(m.page_number_pt >= m.body_pt);
            assert_eq!(m.line_height, 1.5);
            assert!(m.heading_pt.iter().all(|h| *h >= m.body_pt));
        }
    }

    #[test]
    fn no_scale_off_the_ladder_or_nan_can_be_built() {
        assert_eq!(FontScale::step(42), FontScale::step(MAX_STEP));
        assert_eq!(FontScale::step(-9), FontScale::step(MIN_STEP));
        assert_eq!(FontScale::points(f32::NAN), None);
        assert_eq!(FontScale::points(5.9), None);
        assert_eq!(FontScale::points(72.5), None);
        let big = FontScale::points(70.0).unwrap().enlarge();
        assert_eq!(big.body_pt(), EXPLICIT_RANGE_PT.1);
        assert_eq!(FontScale::LARGE.as_step(), Some(3));
    }

    #[test]
    fn file_suffixes_are_predictable() {
        assert_eq!(FontScale::STANDARD.file_suffix(), "");
        assert_eq!(FontScale::LARGE.file_suffix(), "large");
        assert_eq!(FontScale::step(-1).file_suffix(), "step-1");
        assert_eq!(FontScale::points(19.5).unwrap().file_suffix(), "19.5pt");
    }
}
