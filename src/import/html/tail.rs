//! Boilerplate that only its words give away, read on the converted body: photo
//! credits, datelines at the body's start or end, an end-of-article label that is not a heading, and calls to action at the
//! end ("Subscribe now …", "Follow us on …"). Pages put these in plain `<p>` and `<div>`
//! elements with no class that says what they are, so the element rules cannot see them.

use super::super::{Note, NoteKind, chrome, normalize_space, shorten};
use crate::model::Block;

/// An end label (`Das könnte Sie auch interessieren`) ends the article only after this
/// many blocks…
const END_LABEL_MIN_BLOCKS: usize = 3;

/// …and after at least this share of the body's text: a label in the first half of a
/// page is more often a box inside the article than its end.
const END_LABEL_MIN_SHARE: f64 = 0.5;

/// Datelines are looked for among this many blocks at each end of the body.
const DATELINE_EDGE_BLOCKS: usize = 3;

/// Removes photo credits and datelines at the body's edges, ends the article at an end label in its second half, and drops
/// the calls to action that close it; each removal is a note.
pub(super) fn trim(blocks: &mut Vec<Block>, notes: &mut Vec<Note>) {
    let mut dropped = |what: &str, text: &str| {
        notes.push(Note {
            kind: NoteKind::Dropped,
            place: "body".into(),
            message: format!("{what} `{}`", shorten(text)),
        })
    };
    blocks.retain(|b| match b {
        Block::Paragraph { text } if chrome::is_photo_credit(&text.to_plain()) => {
            dropped("a photo credit", &text.to_plain());
            false
        }
        _ => true,
    });
    // Datelines (`Posted on April 22, 2022`) at the start or the end: the article's date
    // is a field of its own; inside the body a date line is content (a schedule, a list
    // of results).
    let n = blocks.len();
    let mut i = 0usize;
    blocks.retain(|b| {
        let edge = i < DATELINE_EDGE_BLOCKS || i + DATELINE_EDGE_BLOCKS >= n;
        i += 1;
        match b {
            Block::Paragraph { text } if edge && chrome::is_dateline(&text.to_plain()) => {
                dropped("a dateline", &text.to_plain());
                false
            }
            _ => true,
        }
    });

    let sizes: Vec<usize> = blocks.iter().map(text_chars).collect();
    let total: usize = sizes.iter().sum();
    let mut before = 0usize;
    for (i, b) in blocks.iter().enumerate() {
        if let Block::Paragraph { text } = b {
            let plain = text.to_plain();
            if i >= END_LABEL_MIN_BLOCKS
                && before as f64 >= END_LABEL_MIN_SHARE * total as f64
                && chrome::is_end_label(&plain)
            {
                dropped("an end-of-article label, with everything after it:", &plain);
                blocks.truncate(i);
                break;
            }
        }
        before += sizes[i];
    }

    // Calls to action at the end, figures between them left in place.
    let mut i = blocks.len();
    while i > 0 {
        i -= 1;
        match &blocks[i] {
            Block::Figure(_) => continue,
            Block::Paragraph { text } if chrome::is_call_to_action(&text.to_plain()) => {
                dropped("a call to action at the end", &text.to_plain());
                blocks.remove(i);
            }
            _ => break,
        }
    }
}

/// Characters of a block's text (figures count nothing).
fn text_chars(b: &Block) -> usize {
    match b {
        Block::Paragraph { text } | Block::Heading { text, .. } | Block::Quote { text, .. } => {
            normalize_space(&text.to_plain()).chars().count()
        }
        Block::List { items, .. } => items
            .iter()
            .map(|t| normalize_space(&t.to_plain()).chars().count())
            .sum(),
        Block::Figure(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Text;

    fn para(s: &str) -> Block {
        Block::Paragraph {
            text: Text::plain(s.to_string()),
        }
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph { text } => text.to_plain(),
                _ => String::from("?"),
            })
            .collect()
    }

    const LONG: &str = "Die Stadt hat am Montag beschlossen, die Brücke über den Fluss im kommenden Jahr zu erneuern, und die Arbeiten sollen im Frühjahr beginnen.";

    #[test]
    fn photo_credits_go_captions_and_sentences_stay() {
        let mut blocks = vec![
            para(LONG),
            para("© Getty Images"),
            para("Striking members of the UCU. Photograph: Guy Smallman/Getty Images"),
            para("Foto: dpa"),
            para("Protesters do not want Hong Kong to lose its autonomy (Image: GETTY )"),
            para("Das Foto: Es zeigt die Brücke im Jahr 1950, als sie eröffnet wurde."),
            para(LONG),
        ];
        let mut notes = Vec::new();
        trim(&mut blocks, &mut notes);
        assert_eq!(
            texts(&blocks),
            [
                LONG,
                "Das Foto: Es zeigt die Brücke im Jahr 1950, als sie eröffnet wurde.",
                LONG
            ]
        );
        assert_eq!(notes.len(), 4, "{notes:?}");
    }

    #[test]
    fn datelines_at_the_edges_go_dates_inside_stay() {
        let mut blocks = vec![
            para("Posted on April 22, 2022"),
            para(LONG),
            para(LONG),
            para("19.05.2007 – 100 m Schi A W14"),
            para(LONG),
            para(LONG),
            para(LONG),
            para("Aktualisiert am 19.02.2020"),
        ];
        trim(&mut blocks, &mut Vec::new());
        assert_eq!(
            texts(&blocks),
            [
                LONG,
                LONG,
                "19.05.2007 – 100 m Schi A W14",
                LONG,
                LONG,
                LONG
            ]
        );
        assert!(chrome::is_dateline("3:59 PM"));
        assert!(chrome::is_dateline(
            "Erstellt von Fabian am Dienstag 6. Mai 2014"
        ));
        assert!(!chrome::is_dateline(
            "Die Ausstellung im Mai war ein Erfolg."
        ));
        assert!(!chrome::is_dateline(
            "Am 6. Mai 2014 hat der Stadtrat nach langer Debatte endlich die neue Brücke beschlossen."
        ));
    }

    #[test]
    fn an_end_label_in_the_second_half_ends_the_article() {
        let mut blocks = vec![
            para(LONG),
            para(LONG),
            para(LONG),
            para("Das könnte Sie auch interessieren"),
            para("Ein anderer Artikel über etwas anderes, mit einem Anreißer."),
        ];
        trim(&mut blocks, &mut Vec::new());
        assert_eq!(texts(&blocks), [LONG, LONG, LONG]);

        // In the first half it is a box inside the article: kept.
        let mut early = vec![
            para("Kurz."),
            para("Kurz."),
            para("Kurz."),
            para("Mehr zum Thema:"),
            para(LONG),
            para(LONG),
        ];
        trim(&mut early, &mut Vec::new());
        assert_eq!(early.len(), 6);
    }

    #[test]
    fn calls_to_action_at_the_end_go_the_same_words_earlier_stay() {
        let mut blocks = vec![
            para(
                "Readers who subscribe to the paper got the news first, the mayor said on Monday.",
            ),
            para(LONG),
            para("Subscribe now to our eNATION edition for the full story."),
            para("For the latest stories download the Nationnews apps for iOS and Android."),
        ];
        trim(&mut blocks, &mut Vec::new());
        assert_eq!(
            texts(&blocks),
            [
                "Readers who subscribe to the paper got the news first, the mayor said on Monday.",
                LONG
            ]
        );
    }
}
