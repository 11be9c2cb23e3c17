//! Media Overlays (EPUB 3 read aloud): one SMIL document per narrated content document,
//! and what the package says of them.
//!
//! The narration is made by voice synthesis as a [`crate::markup::narration::Overlay`];
//! the content documents wrap its sentences in `<span id>` (`crate::markup::runs::write_runs`).
//! Here, per content document, a SMIL file with a `par` per sentence (`text` → the
//! sentence, `audio` → its clip in the document's MP3); `book::media_overlays` adds the
//! manifest items for the SMIL and the audio, `media-overlay` on the content document's
//! item, `media:duration` per overlay and in total (the sum of the same whole
//! milliseconds), `media:narrator` and `media:active-class` (styled in
//! [`ACTIVE_CLASS_CSS`]).

use crate::markup::narration::DocumentOverlay;
use crate::xml::attr;

/// The class a reading system gives the element being read (`media:active-class`).
pub const ACTIVE_CLASS: &str = "anpham-narrating";

/// The highlight of the sentence being read: black on yellow (contrast 19:1), with an
/// outline that also shows in forced-colour modes.
pub const ACTIVE_CLASS_CSS: &str = "\n/* Media Overlays: the sentence being read */\n\
.anpham-narrating {\n  background-color: #ffff00 !important;\n  color: #000000 !important;\n  \
outline: 0.15em solid #000000;\n}\n";

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::narration::Clip;

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
