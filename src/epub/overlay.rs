//! Media Overlays (EPUB 3 read aloud): sentence elements in the content documents,
//! one SMIL document per content document, and their metadata.
//!
//! The overlay itself is made elsewhere (speech in [`crate::speech`]); this module only
//! writes it. With an [`Overlay`], the writer
//! (`epub::content::write_runs`) wraps each sentence of a part's text in a
//! `<span id="snt-N">` (no class, no style: nothing changes on screen), gives each
//! described image an `id`, and adds per content document a SMIL file with a `par` per
//! sentence (`text` → the sentence, `audio` → its clip in the document's MP3), manifest
//! items for the SMIL and the audio, `media-overlay` on the content document's item,
//! `media:duration` per overlay and in total (the sum of the same whole milliseconds),
//! `media:narrator` and `media:active-class` (styled in [`ACTIVE_CLASS_CSS`]).
// Without the narrated edition (feature `speech`) only the plain EPUB's side of this module
// is used.
#![cfg_attr(not(feature = "speech"), allow(dead_code))]

use std::collections::BTreeMap;
use std::ops::Range;

use crate::pagemap::ArticlePart;
use crate::xml::attr;

/// The class a reading system gives the element being read (`media:active-class`).
pub const ACTIVE_CLASS: &str = "anpham-narrating";

/// The highlight of the sentence being read: black on yellow (contrast 19:1), with an
/// outline that also shows in forced-colour modes.
pub const ACTIVE_CLASS_CSS: &str = "\n/* Media Overlays: the sentence being read */\n\
.anpham-narrating {\n  background-color: #ffff00 !important;\n  color: #000000 !important;\n  \
outline: 0.15em solid #000000;\n}\n";

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

/// A line the EPUB writer adds around the text-address model's parts: a bulletin's
/// title page (title, description, publisher, date) and an article's source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Line {
    /// The bulletin's title (title page `h1`).
    Title,
    /// The bulletin's description.
    Description,
    /// "Publisher: …" on the title page.
    Publisher,
    /// The bulletin's date on the title page.
    Date,
    /// An article's "Source: URL" line.
    Source,
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
    /// The MP3 in a file (the speech's temporary folder, kept by [`Overlay::files`]),
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
    /// What the speech could not say, each with its place (a fragment with nothing to
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

/// A SMIL clock value in seconds with milliseconds: `12.345s`.
pub(crate) fn clip_clock(ms: u64) -> String {
    format!("{}.{:03}s", ms / 1000, ms % 1000)
}

/// A full clock value for `media:duration`: `0:01:02.345`.
pub fn duration_clock(ms: u64) -> String {
    let s = ms / 1000;
    format!(
        "{}:{:02}:{:02}.{:03}",
        s / 3600,
        s / 60 % 60,
        s % 60,
        ms % 1000
    )
}

/// The SMIL document of a content document at `text_href` whose audio files are
/// `audio_hrefs` (one per [`DocumentOverlay::audio`]; all relative to the SMIL file).
pub fn smil_document(text_href: &str, audio_hrefs: &[String], overlay: &DocumentOverlay) -> String {
    let mut out = String::with_capacity(256 + overlay.clips.len() * 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<smil xmlns=\"http://www.w3.org/ns/SMIL\" \
         xmlns:epub=\"http://www.idpf.org/2007/ops\" version=\"3.0\">\n<body>\n<seq id=\"seq-1\"",
    );
    attr(&mut out, "epub:textref", text_href);
    out.push_str(">\n");
    for (k, c) in overlay.clips.iter().enumerate() {
        out.push_str(&format!("<par id=\"par-{}\"><text", k + 1));
        attr(&mut out, "src", &format!("{text_href}#{}", c.id));
        out.push_str("/><audio");
        attr(
            &mut out,
            "src",
            audio_hrefs.get(c.file).map_or("", String::as_str),
        );
        attr(&mut out, "clipBegin", &clip_clock(c.begin_ms));
        attr(&mut out, "clipEnd", &clip_clock(c.end_ms));
        out.push_str("/></par>\n");
    }
    out.push_str("</seq>\n</body>\n</smil>\n");
    out
}

/// Writes the narrated EPUB of `publication` into `out`: the EPUB of
/// [`super::write_epub`] with the Media Overlays of `overlay` (one per article).
#[cfg(feature = "speech")]
pub(crate) fn write_talking_epub_to<W: std::io::Write + std::io::Seek + Send>(
    publication: &crate::prepare::Prepared,
    options: &super::EpubOptions,
    overlay: &Overlay,
    out: &mut W,
) -> crate::error::Result<()> {
    if overlay.documents.len() != publication.articles.len() {
        return Err(crate::epub::error(format!(
            "the narration has {} document(s) for {} article(s)",
            overlay.documents.len(),
            publication.articles.len()
        )));
    }
    if overlay.title_page.is_some() != publication.is_bulletin() {
        return Err(crate::epub::error(
            "the narration has a title page if and only if the publication is a bulletin",
        ));
    }
    super::write_epub_with_overlay(publication, options, Some(overlay), out)
}

#[cfg(test)]
mod tests {
    use super::super::content::{Run, Syntax, write_runs};
    use super::super::pages::Marker;
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

    #[test]
    fn smil_and_clocks() {
        assert_eq!(clip_clock(12_345), "12.345s");
        assert_eq!(clip_clock(5), "0.005s");
        assert_eq!(duration_clock(3_723_004), "1:02:03.004");
        let d = DocumentOverlay {
            clips: vec![
                Clip {
                    id: "snt-1".into(),
                    file: 0,
                    begin_ms: 50,
                    end_ms: 1200,
                },
                Clip {
                    id: "snt-3".into(),
                    file: 1,
                    begin_ms: 50,
                    end_ms: 900,
                },
            ],
            ..Default::default()
        };
        let hrefs = [
            "audio/article-001.mp3".into(),
            "audio/article-001-2.mp3".into(),
        ];
        let s = smil_document("article-001.xhtml", &hrefs, &d);
        assert!(s.contains(
            "<par id=\"par-1\"><text src=\"article-001.xhtml#snt-1\"/><audio src=\"audio/article-001.mp3\" clipBegin=\"0.050s\" clipEnd=\"1.200s\"/></par>"
        ));
        assert!(s.contains(
            "<par id=\"par-2\"><text src=\"article-001.xhtml#snt-3\"/><audio src=\"audio/article-001-2.mp3\" clipBegin=\"0.050s\" clipEnd=\"0.900s\"/></par>"
        ));
    }
}
