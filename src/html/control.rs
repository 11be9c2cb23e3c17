//! The optional text-size control: the portal's "Giảm cỡ chữ" / "Tăng cỡ chữ" buttons.
//!
//! Its steps are those of [`FontScale::shrink`] and [`FontScale::enlarge`] from the
//! edition's scale, as CSS percentages ([`FontScale::reflow_percent`]), written into the
//! page; a few lines of script move between them. Without scripts the control stays
//! `hidden` and the page is read at its own size (the browser's zoom still works).

use crate::labels::{self, Labels};
use crate::markup::css::num;
use crate::markup::runs::write_label;
use crate::scale::FontScale;
use crate::xml::attr;

/// The most steps either way (the ladder has 8; explicit sizes move by ×1.125 between
/// 6 and 72 pt, 22 steps at most).
const MAX_STEPS: usize = 32;

/// The text sizes the buttons step through, in percent, smallest first, and the index
/// of the edition's own.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ladder {
    /// Base text sizes, percent of the browser's default.
    pub(super) percents: Vec<f32>,
    /// The edition's own size in `percents`.
    pub(super) current: usize,
}

impl Ladder {
    /// Every size reached from `scale` by shrinking and by enlarging until they stop.
    pub(super) fn around(scale: FontScale) -> Ladder {
        let walk = |step: fn(FontScale) -> FontScale| {
            let mut out = Vec::new();
            let mut s = scale;
            for _ in 0..MAX_STEPS {
                let next = step(s);
                if next == s {
                    break;
                }
                out.push(next.reflow_percent());
                s = next;
            }
            out
        };
        let mut percents = walk(FontScale::shrink);
        percents.reverse();
        let current = percents.len();
        percents.push(scale.reflow_percent());
        percents.extend(walk(FontScale::enlarge));
        Ladder { percents, current }
    }
}

/// Writes the control: a named group of two buttons, `hidden` until the script shows it.
pub(super) fn write_control(out: &mut String, ladder: &Ladder, lang: &str) {
    let lab = labels::for_lang(lang);
    out.push_str("<div class=\"text-size\" id=\"text-size\" role=\"group\"");
    attr(out, "aria-label", lab.text_size);
    label_lang(out, lab, lang);
    let steps: Vec<String> = ladder.percents.iter().map(|p| num(*p)).collect();
    attr(out, "data-steps", &steps.join(" "));
    attr(out, "data-step", &ladder.current.to_string());
    out.push_str(" hidden=\"\">\n");
    for (id, text) in [("text-smaller", lab.shrink), ("text-larger", lab.enlarge)] {
        out.push_str("<button type=\"button\"");
        attr(out, "id", id);
        out.push('>');
        write_label(out, lab, lang, text);
        out.push_str("</button>\n");
    }
    out.push_str("</div>\n");
}

/// `lang` on the group when its words are not in the page's language (its name is).
fn label_lang(out: &mut String, lab: &Labels, lang: &str) {
    if !labels::is_lang(lang, lab.lang) {
        crate::xml::lang_attrs(out, lab.lang);
    }
}

/// The script: shows the control and moves the body's size along its steps. No `<` or
/// `&`, so that the page stays well-formed XML; nothing else depends on it.
pub(super) const SCRIPT: &str = r#"document.addEventListener("DOMContentLoaded", function () {
  var control = document.getElementById("text-size");
  if (!control) return;
  var steps = control.getAttribute("data-steps").split(" ").map(Number);
  var step = Number(control.getAttribute("data-step"));
  var smaller = document.getElementById("text-smaller");
  var larger = document.getElementById("text-larger");
  function show() {
    document.body.style.fontSize = steps[step] + "%";
    smaller.disabled = step === 0;
    larger.disabled = step === steps.length - 1;
  }
  smaller.addEventListener("click", function () { if (step > 0) { step -= 1; show(); } });
  larger.addEventListener("click", function () { if (step + 1 !== steps.length) { step += 1; show(); } });
  show();
  control.hidden = false;
});
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ladder_is_the_portals_steps() {
        let l = Ladder::around(FontScale::STANDARD);
        let want: Vec<f32> = (-2..=6)
            .map(|s| FontScale::step(s).reflow_percent())
            .collect();
        assert_eq!(l.percents, want);
        assert_eq!(l.current, 2);
        let large = Ladder::around(FontScale::LARGE);
        assert_eq!(large.percents, want);
        assert_eq!(large.current, 5);
    }

    #[test]
    fn an_explicit_size_steps_by_its_own_factor_and_stops() {
        let s = FontScale::points(19.0).unwrap();
        let l = Ladder::around(s);
        assert_eq!(l.percents[l.current], s.reflow_percent());
        assert!(
            l.percents.windows(2).all(|w| w[0] < w[1]),
            "{:?}",
            l.percents
        );
        assert!(l.percents.len() <= 2 * MAX_STEPS + 1);
    }

    #[test]
    fn the_control_is_hidden_without_script_and_named() {
        let mut out = String::new();
        write_control(&mut out, &Ladder::around(FontScale::STANDARD), "vi");
        assert!(out.contains("hidden=\"\""), "{out}");
        assert!(out.contains("aria-label=\"Cỡ chữ\""), "{out}");
        assert!(out.contains(">Giảm cỡ chữ</button>") && out.contains(">Tăng cỡ chữ</button>"));
        assert!(
            out.contains("data-steps=\"83.333 91.667 100 112.5 125 137.5 150 175 200\""),
            "{out}"
        );
        let mut fr = String::new();
        write_control(&mut fr, &Ladder::around(FontScale::STANDARD), "fr");
        assert!(fr.contains("lang=\"en\""), "{fr}");
    }

    #[test]
    fn the_script_keeps_the_page_well_formed() {
        assert!(!SCRIPT.contains('<') && !SCRIPT.contains('&'));
    }
}
