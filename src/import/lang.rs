//! The language of an imported page from its text (`whatlang`, restricted to the
//! languages in [`LANGUAGES`]): the article's language when the page declares none, a
//! warning when the declared one disagrees with the text, and the language of single
//! paragraphs written in another language than the article.
//!
//! `whatlang` was chosen over `lingua` for its size (no models to build or load): see
//! `docs/import.md` for the measured accuracy.

use whatlang::{Detector, Lang};

/// The languages a page may be detected as, with their BCP 47 tags: the languages of
/// the news pages people save, a few dozen to keep confusions between close languages
/// down. Vietnamese is detected only from Vietnamese text.
pub const LANGUAGES: &[(Lang, &str)] = &[
    (Lang::Vie, "vi"),
    (Lang::Eng, "en"),
    (Lang::Fra, "fr"),
    (Lang::Deu, "de"),
    (Lang::Spa, "es"),
    (Lang::Por, "pt"),
    (Lang::Ita, "it"),
    (Lang::Nld, "nl"),
    (Lang::Pol, "pl"),
    (Lang::Ces, "cs"),
    (Lang::Slk, "sk"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Hun, "hu"),
    (Lang::Ron, "ro"),
    (Lang::Swe, "sv"),
    (Lang::Dan, "da"),
    (Lang::Nob, "no"),
    (Lang::Fin, "fi"),
    (Lang::Est, "et"),
    (Lang::Lav, "lv"),
    (Lang::Lit, "lt"),
    (Lang::Tur, "tr"),
    (Lang::Ind, "id"),
    (Lang::Tgl, "tl"),
    (Lang::Rus, "ru"),
    (Lang::Ukr, "uk"),
    (Lang::Bul, "bg"),
    (Lang::Srp, "sr"),
    (Lang::Ell, "el"),
    (Lang::Heb, "he"),
    (Lang::Ara, "ar"),
    (Lang::Pes, "fa"),
    (Lang::Hin, "hi"),
    (Lang::Ben, "bn"),
    (Lang::Tha, "th"),
    (Lang::Khm, "km"),
    (Lang::Cmn, "zh"),
    (Lang::Jpn, "ja"),
    (Lang::Kor, "ko"),
];

/// The fewest letters a text needs before its language is trusted.
pub const MIN_LETTERS: usize = 40;
/// The fewest letters a paragraph needs before it may get a language of its own.
pub const MIN_PARAGRAPH_LETTERS: usize = 60;

/// What the text says about its language.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// BCP 47 tag (`vi`, `en`, …).
    pub tag: &'static str,
    /// `whatlang`'s confidence, 0 to 1.
    pub confidence: f64,
    /// Whether the text was long and clear enough to trust.
    pub reliable: bool,
}

fn detector() -> Detector {
    Detector::with_allowlist(LANGUAGES.iter().map(|(l, _)| *l).collect())
}

fn tag_of(lang: Lang) -> Option<&'static str> {
    LANGUAGES.iter().find(|(l, _)| *l == lang).map(|(_, t)| *t)
}

/// The language of `text`, if it has letters enough to tell.
pub fn detect(text: &str) -> Option<Detected> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 {
        return None;
    }
    // Long texts: the first 20 000 characters tell as much as the whole, faster.
    let sample: &str = match text.char_indices().nth(20_000) {
        Some((at, _)) => &text[..at],
        None => text,
    };
    let mut info = detector().detect(sample)?;
    // Vietnamese only from Vietnamese letters: a text without them is another language.
    if info.lang() == Lang::Vie && !has_vietnamese_letters(sample) {
        let others = LANGUAGES
            .iter()
            .map(|(l, _)| *l)
            .filter(|l| *l != Lang::Vie);
        info = Detector::with_allowlist(others.collect()).detect(sample)?;
    }
    let tag = tag_of(info.lang())?;
    Some(Detected {
        tag,
        confidence: info.confidence(),
        reliable: letters >= MIN_LETTERS && (info.is_reliable() || info.confidence() >= 0.5),
    })
}

/// True when the text has a few letters only Vietnamese uses among the languages above.
pub fn has_vietnamese_letters(text: &str) -> bool {
    text.chars()
        .filter(|c| {
            matches!(
                c,
                'ơ' | 'Ơ'
                    | 'ư'
                    | 'Ư'
                    | 'đ'
                    | 'Đ'
                    | 'ă'
                    | 'Ă'
                    | 'ạ'
                    | 'ả'
                    | 'ấ'
                    | 'ầ'
                    | 'ậ'
                    | 'ế'
                    | 'ề'
                    | 'ệ'
                    | 'ố'
                    | 'ồ'
                    | 'ộ'
                    | 'ớ'
                    | 'ờ'
                    | 'ợ'
                    | 'ứ'
                    | 'ừ'
                    | 'ự'
                    | 'ị'
                    | 'ọ'
                    | 'ụ'
                    | 'ỉ'
                    | 'ỏ'
                    | 'ủ'
                    | 'ẽ'
                    | 'ẻ'
            )
        })
        .take(3)
        .count()
        >= 3
}

/// Settles the article's language: the declared one (with a warning when the text
/// reads as another language), else the text's; then marks paragraphs clearly written in
/// another language than the article's.
pub fn settle(imported: &mut super::Imported, declared: Option<String>) {
    use super::NoteKind;
    let text = super::body_text(&imported.article);
    let detected = detect(&format!("{}\n{text}", imported.article.title));
    let lang = match (declared, &detected) {
        (Some(d), det) => {
            if let Some(det) = det
                .as_ref()
                .filter(|x| x.reliable && !same_language(&d, x.tag))
            {
                imported.note(
                    NoteKind::Attention,
                    "<html lang>",
                    format!(
                        "the page declares `{d}` but its text reads as `{}` (confidence {:.2}): check `lang:` in the front matter",
                        det.tag, det.confidence
                    ),
                );
            }
            d
        }
        (None, Some(det)) => {
            imported.note(
                if det.reliable {
                    NoteKind::Recognised
                } else {
                    NoteKind::Attention
                },
                "text",
                format!(
                    "language `{}` from the text (the page declares none; confidence {:.2}{})",
                    det.tag,
                    det.confidence,
                    if det.reliable {
                        ""
                    } else {
                        ", too little text to be sure"
                    }
                ),
            );
            det.tag.to_string()
        }
        (None, None) => {
            imported.note(
                NoteKind::Attention,
                "text",
                "no `lang` on the page and too little text to tell its language: assumed vi",
            );
            "vi".to_string()
        }
    };
    let mut marked = 0usize;
    for block in &mut imported.article.blocks {
        let text = match block {
            crate::model::Block::Paragraph { text } | crate::model::Block::Quote { text, .. } => {
                text
            }
            _ => continue,
        };
        if text.spans.iter().any(|s| s.lang.is_some()) {
            continue;
        }
        let plain = text.to_plain();
        if plain.chars().filter(|c| c.is_alphabetic()).count() < MIN_PARAGRAPH_LETTERS {
            continue;
        }
        if let Some(d) = detect(&plain).filter(|d| d.reliable && d.confidence >= 0.9)
            && !same_language(&lang, d.tag)
        {
            for s in &mut text.spans {
                s.lang = Some(d.tag.to_string());
            }
            marked += 1;
        }
    }
    if marked > 0 {
        imported.note(
            NoteKind::Recognised,
            "body",
            format!("{marked} paragraph(s) in another language than `{lang}`, marked as such"),
        );
    }
    imported.article.lang = Some(lang);
}

/// The primary subtag of a BCP 47 tag, lower case (`en-GB` → `en`).
pub fn primary(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a declared tag and a detected one name the same language (`nb`/`nn` are `no`).
pub fn same_language(declared: &str, detected: &str) -> bool {
    let norm = |t: &str| match primary(t).as_str() {
        "nb" | "nn" => "no".to_string(),
        "iw" => "he".to_string(),
        "fil" => "tl".to_string(),
        "hr" | "bs" | "sr" => "sh".to_string(),
        p => p.to_string(),
    };
    norm(declared) == norm(detected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_languages_of_news_text() {
        let vi = "Sáng nay, Ủy ban nhân dân tỉnh đã tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm tới.";
        let en = "The governor said on Monday that the state would not change its policy on the new rules for schools.";
        let de = "Die Bundesregierung hat am Montag beschlossen, dass die neuen Regeln für Schulen ab dem Herbst gelten.";
        let es = "El gobierno anunció el lunes que las nuevas reglas para las escuelas entrarán en vigor en otoño.";
        assert_eq!(detect(vi).unwrap().tag, "vi");
        assert_eq!(detect(en).unwrap().tag, "en");
        assert_eq!(detect(de).unwrap().tag, "de");
        assert_eq!(detect(es).unwrap().tag, "es");
        assert!(detect(en).unwrap().reliable);
    }

    #[test]
    fn vietnamese_needs_vietnamese_letters() {
        // Vietnamese written without its diacritics is not labelled `vi`.
        let d = detect("Sang nay uy ban nhan dan tinh da to chuc hoi nghi tong ket cong tac nam");
        assert_ne!(d.map(|d| d.tag), Some("vi"));
        assert!(has_vietnamese_letters("Hội nghị tổng kết"));
        assert!(!has_vietnamese_letters("Hôtel de ville à Paris"));
    }

    #[test]
    fn short_text_is_not_reliable() {
        assert!(detect("Hello world").is_none_or(|d| !d.reliable));
        assert!(detect("12 34").is_none());
    }

    #[test]
    fn tags_compare_by_language() {
        assert!(same_language("en-GB", "en"));
        assert!(same_language("nb", "no"));
        assert!(!same_language("de", "en"));
        assert_eq!(primary("pt_BR"), "pt");
    }
}
