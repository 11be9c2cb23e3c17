//! What the narration of a publication is to its markup: for each document (an article, a
//! bulletin's title page), the element ids of its sentences, the clips where each is heard
//! and the audio files they are in ([`DocumentOverlay`], [`Overlay`]).
//!
//! A voice synthesiser makes it (behind a cargo feature); the article writer
//! ([`super::runs::write_runs`]) wraps each sentence of a part's text in a `<span id>` (no
//! class, no style: nothing changes on screen) and gives each described image an `id`; the
//! package writer turns the clips into SMIL documents and their metadata.
// Without the synthesis feature nothing is narrated: only the plain markup's side of this
// module is used.
#![cfg_attr(not(feature = "speech"), allow(dead_code))]

use std::collections::BTreeMap;
use std::ops::Range;

use super::lines::Line;
use crate::pagemap::ArticlePart;

/// A clip: the sentence element `id` is heard from `begin_ms` to `end_ms` of audio file
/// `file` of its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    /// The sentence element's id in the content document.
    pub id: String,
    /// Which of the document's audio files ([`DocumentOverlay::audio`]) it is in.
    pub file: usize,
    /// Start in the decoded audio, milliseconds.
    pub begin_ms: u64,
    /// End in the decoded audio, milliseconds.
    pub end_ms: u64,
}

/// The overlay of one content document (an article, or a bulletin's title page).
#[derive(Debug, Clone, Default)]
pub struct DocumentOverlay {
    /// Per part: the sentences' byte ranges in the part's text
    /// (`crate::address::article_parts`) and their element ids, in order.
    pub sentences: BTreeMap<ArticlePart, Vec<(Range<usize>, String)>>,
    /// Per line of the writer's own ([`Line`]): the sentences' byte ranges in the line's
    /// text and their ids. Title and description are cut into sentences; the publisher,
    /// date and source lines are one sentence each (range `0..0`: the whole line).
    pub lines: BTreeMap<Line, Vec<(Range<usize>, String)>>,
    /// Per figure block: the id of its `img`, whose alt text is spoken.
    pub image_ids: BTreeMap<usize, String>,
    /// The clips in reading order. A sentence with nothing to say has no clip (and no
    /// id): its text is shown, not heard (Media Overlays allow text without audio).
    pub clips: Vec<Clip>,
    /// The document's audio files (MP3), in reading order: a long document's audio is
    /// split at sentence boundaries into several files.
    pub audio: Vec<AudioData>,
    /// The overlay's duration in milliseconds (for each audio file, the end of its last
    /// clip; summed).
    pub duration_ms: u64,
}

/// One audio file of a document.
#[derive(Debug, Clone)]
pub enum AudioData {
    /// The MP3 in a file (the narration's temporary folder, kept by [`Overlay::files`]),
    /// copied into the container as it is packed.
    File(std::path::PathBuf),
}

impl DocumentOverlay {
    /// Whether the document has a Media Overlay: at least one clip (a document whose
    /// every sentence has nothing to say is shown without one).
    pub fn is_narrated(&self) -> bool {
        !self.clips.is_empty()
    }
}

/// The Media Overlays of a publication: one per article, in order, and one for a
/// bulletin's title page.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// `media:narrator`.
    pub narrator: String,
    /// A bulletin's title page (`None` for a single article).
    pub title_page: Option<DocumentOverlay>,
    /// Per article.
    pub documents: Vec<DocumentOverlay>,
    /// What the voice could not say, each with its place (a fragment with nothing to
    /// say, joined to its neighbour or shown without audio).
    pub warnings: Vec<crate::error::Diagnostic>,
    /// The folder holding the audio files ([`AudioData::File`]), removed when the last
    /// clone of the overlay is dropped. Held, never read.
    #[allow(
        dead_code,
        reason = "it keeps the folder alive while the overlay lives"
    )]
    pub files: Option<std::sync::Arc<tempfile::TempDir>>,
}

impl Overlay {
    /// Every document's overlay: the title page's first, then the articles'.
    pub fn all(&self) -> impl Iterator<Item = &DocumentOverlay> {
        self.title_page.iter().chain(&self.documents)
    }

    /// The total duration: the sum of the documents' durations.
    pub fn total_ms(&self) -> u64 {
        self.all().map(|d| d.duration_ms).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::pages::Marker;
    use super::super::runs::{Run, Syntax, write_runs};
    use super::*;

    fn ids(n: &[(Range<usize>, &str)]) -> Vec<(Range<usize>, String)> {
        n.iter().map(|(r, s)| (r.clone(), s.to_string())).collect()
    }

    #[test]
    fn sentences_are_wrapped_and_links_cut_at_their_boundaries() {
        let runs = [
            Run::plain("Một câu. Hai "),
            Run {
                href: Some("https://x.vn/"),
                ..Run::plain("câu có liên kết. Ba")
            },
            Run {
                emphasis: true,
                ..Run::plain(" câu.")
            },
        ];
        let text: String = runs.iter().map(|r| r.text).collect();
        let s = crate::address::sentences::sentence_ranges(&text);
        assert_eq!(s.len(), 3);
        let sents = ids(&[
            (s[0].clone(), "snt-1"),
            (s[1].clone(), "snt-2"),
            (s[2].clone(), "snt-3"),
        ]);
        let mut out = String::new();
        write_runs(&mut out, &runs, &[], &[], &sents, Syntax::Xhtml);
        assert_eq!(
            out,
            "<span id=\"snt-1\">Một câu.</span> <span id=\"snt-2\">Hai <a href=\"https://x.vn/\">câu có liên kết.</a></span>\
             <a href=\"https://x.vn/\"> </a><span id=\"snt-3\"><a href=\"https://x.vn/\">Ba</a><em> câu.</em></span>"
        );
        // What is shown is unchanged: the text without tags is the text.
        let mut bare = String::new();
        let mut tag = false;
        for c in out.chars() {
            match c {
                '<' => tag = true,
                '>' => tag = false,
                c if !tag => bare.push(c),
                _ => {}
            }
        }
        assert_eq!(bare, text);
    }

    #[test]
    fn page_markers_stay_inside_sentences() {
        let runs = [Run::plain("Một câu dài. Hai.")];
        let markers = [Marker {
            id: "page-2".into(),
            label: "2".into(),
        }];
        let s = crate::address::sentences::sentence_ranges(runs[0].text);
        let sents = ids(&[(s[0].clone(), "snt-1"), (s[1].clone(), "snt-2")]);
        let mut out = String::new();
        // A page begins before "câu" (byte 6: "Một " is six bytes).
        write_runs(&mut out, &runs, &[(6, 0)], &markers, &sents, Syntax::Xhtml);
        assert!(
            out.starts_with("<span id=\"snt-1\">Một <span role=\"doc-pagebreak\""),
            "{out}"
        );
        assert!(out.ends_with("<span id=\"snt-2\">Hai.</span>"), "{out}");
    }
}
