//! Sentence segmentation of one part's plain text (a title, a paragraph, a caption …).
//!
//! [`sentence_ranges`] returns the byte ranges of the sentences of a text, in order,
//! without the white space around them. It starts from the Unicode sentence boundaries
//! (UAX #29, `unicode-segmentation`) and removes the boundaries that Vietnamese news
//! text does not have:
//!
//! * after an abbreviation with a full stop: `TP. Bắc Kạn`, `ThS. Nguyễn`, `PGS. TS.`,
//!   `Q. 1`, `P. Phùng Chí Kiên`, `Đ/c. Hà` (the list is [`ABBREVIATIONS`]);
//! * after a single capital letter with a full stop (an initial): `N. V. An`;
//! * inside numbers: `1.234.567` and `3,5` never break (UAX #29 already keeps them).
//!
//! A part is spoken and highlighted sentence by sentence, so a wrong break costs a
//! pause and a highlight in mid-sentence, and a missed break a long clip; the first is
//! worse, so the rules lean towards not breaking.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Abbreviations that end with a full stop and do not end a sentence (compared without
/// the full stop, case-sensitively: `TP` but not `tp`).
pub const ABBREVIATIONS: &[&str] = &[
    "TP", "Tp", "Đ/c", "đ/c", "Đc", "ThS", "TS", "PGS", "GS", "Q", "P", "TT", "TX", "BS", "KS",
    "CN", "NXB", "Th.S", "PGS.TS", "GS.TS", "Ths", "St", "Mr", "Mrs", "Ms", "Dr", "Prof", "No",
    "vs", "tr", "TTg", "Tr", "ông", "bà", "v.v", "etc",
];

/// The byte ranges of the sentences of `text`, in order, trimmed of white space; white
/// space between sentences belongs to none. A text with no visible character has none.
///
/// `Sáng 10/11, TP. Bắc Kạn tổ chức hội thảo. Đ/c Hà phát biểu.` has two sentences,
/// `Sáng 10/11, TP. Bắc Kạn tổ chức hội thảo.` and `Đ/c Hà phát biểu.` (a unit test,
/// `tests::the_documented_example`: the function is not public).
pub fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut join_next = false;
    for (start, s) in text.split_sentence_bound_indices() {
        let Some(r) = trimmed(text, start..start + s.len()) else {
            continue;
        };
        match out.last_mut() {
            Some(last) if join_next => last.end = r.end,
            _ => out.push(r.clone()),
        }
        join_next = ends_without_sentence_end(&text[r]);
    }
    out
}

/// `range` without leading and trailing white space; `None` when nothing is left.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    (!t.is_empty()).then(|| range.start + lead..range.start + lead + t.len())
}

/// Whether a segment ends with a full stop that is not a sentence end: an abbreviation
/// or an initial.
fn ends_without_sentence_end(segment: &str) -> bool {
    let Some(body) = segment.strip_suffix('.') else {
        return false;
    };
    // The last word, after white space or an opening bracket or quotation mark.
    let word = body
        .rsplit(|c: char| c.is_whitespace() || "([{“‘\"'«".contains(c))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    // An initial: one capital letter (`N.`), possibly after other initials (`N.V.`).
    word.split('.').all(|w| {
        let mut cs = w.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example() {
        let t = "Sáng 10/11, TP. Bắc Kạn tổ chức hội thảo. Đ/c Hà phát biểu.";
        let s: Vec<&str> = sentence_ranges(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            s,
            [
                "Sáng 10/11, TP. Bắc Kạn tổ chức hội thảo.",
                "Đ/c Hà phát biểu."
            ]
        );
    }

    fn split(t: &str) -> Vec<&str> {
        sentence_ranges(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn plain_sentences_split_at_full_stops_and_questions() {
        assert_eq!(
            split("Hội thảo bắt đầu. Ai phát biểu? Đồng chí Hà!  "),
            ["Hội thảo bắt đầu.", "Ai phát biểu?", "Đồng chí Hà!"]
        );
    }

    #[test]
    fn vietnamese_abbreviations_do_not_end_a_sentence() {
        assert_eq!(
            split("Hội thảo ở TP. Bắc Kạn có PGS. TS. Nguyễn Văn An và ThS. Hà. Sau đó Q. 1 họp."),
            [
                "Hội thảo ở TP. Bắc Kạn có PGS. TS. Nguyễn Văn An và ThS. Hà.",
                "Sau đó Q. 1 họp."
            ]
        );
        assert_eq!(
            split("Đ/c. Hoàng Duy Chinh phát biểu. GS. Lê nói."),
            ["Đ/c. Hoàng Duy Chinh phát biểu.", "GS. Lê nói."]
        );
        assert_eq!(
            split("Tại P. Phùng Chí Kiên, TP.HCM."),
            ["Tại P. Phùng Chí Kiên, TP.HCM."]
        );
    }

    #[test]
    fn initials_and_numbers_do_not_end_a_sentence() {
        assert_eq!(
            split("Ông N. V. An góp 1.234.567 đồng, tăng 3,5%. Xong."),
            ["Ông N. V. An góp 1.234.567 đồng, tăng 3,5%.", "Xong."]
        );
    }

    #[test]
    fn a_real_sentence_end_before_a_capital_still_splits() {
        // "Kạn." is not an abbreviation: the next sentence starts.
        assert_eq!(
            split("Đoàn về Bắc Kạn. Tỉnh ủy đón đoàn."),
            ["Đoàn về Bắc Kạn.", "Tỉnh ủy đón đoàn."]
        );
    }

    #[test]
    fn ranges_cover_every_visible_character() {
        let t = " A. B c.\n\nD “e.” F ";
        let rs = sentence_ranges(t);
        let covered: usize = rs
            .iter()
            .map(|r| t[r.clone()].chars().filter(|c| !c.is_whitespace()).count())
            .sum();
        assert_eq!(covered, t.chars().filter(|c| !c.is_whitespace()).count());
        assert!(rs.windows(2).all(|w| w[0].end <= w[1].start));
        assert!(sentence_ranges("  \n ").is_empty());
    }
}
