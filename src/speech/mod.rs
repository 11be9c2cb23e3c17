//! Speech for the talking-book EPUB: what each sentence says, the voice that says it,
//! and the audio with its clip times.
//!
//! [`narrate`] takes every readable part of every article in reading order (the parts
//! of [`crate::address::article_parts`]: title, byline, lead, headings, paragraphs,
//! quotations and their attributions, list items, captions; plus each described image's
//! alt text, spoken as "Ảnh: …", and the "Nguồn: URL" source line, spoken with the
//! URL's host only) and a bulletin's title page (title, description, publisher, date), cuts it into sentences ([`crate::address::sentences`]), turns
//! each sentence into what a listener should hear ([`pronounce`]), speaks the sentences
//! in parallel with espeak-ng ([`espeak`], one process per sentence, rayon across cores),
//! joins each content document's sentences into one MP3 ([`mp3`]) and records where each
//! sentence begins and ends in it, from sample counts. The EPUB writer turns the result
//! ([`crate::epub::overlay::Overlay`]) into sentence elements, SMIL and metadata.
//!
//! Voice: text in the publication's language gets `--voice` (default: the language, e.g.
//! `vi`, espeak-ng's northern Vietnamese); an article or a sentence in another language
//! (a sentence takes the language of most of its characters) gets that language's
//! espeak-ng voice.

mod audio;
pub(crate) mod edition;
pub mod espeak;
pub mod mp3;
pub mod pronounce;
mod script;

use audio::{document_overlay, speak_sentence, speak_streaming, two_rates};
use script::{Job, article_jobs, title_page_jobs};

use crate::epub::overlay::{DocumentOverlay, Overlay};
use crate::error::{Error, Result};
use crate::model::Publication;

pub use espeak::Espeak;
pub use pronounce::Pronunciations;

/// How to speak.
#[derive(Debug, Clone)]
pub struct SpeechOptions {
    /// The espeak-ng program and speech rate.
    pub espeak: Espeak,
    /// The voice for text in the publication's language (`vi`, `vi-vn-x-central`,
    /// `vi-vn-x-south`, or any espeak-ng voice); `None`: the language itself.
    pub voice: Option<String>,
    /// The pronunciation table.
    pub pronunciations: Pronunciations,
}

impl SpeechOptions {
    /// espeak-ng from `PATH`, default voice and rate, bundled table.
    pub fn new() -> SpeechOptions {
        SpeechOptions {
            espeak: Espeak::new(None, None),
            voice: None,
            pronunciations: Pronunciations::bundled(),
        }
    }

    fn voice_for(&self, lang: &str, main_lang: &str) -> String {
        if crate::labels::is_lang(lang, primary(main_lang))
            && let Some(v) = &self.voice
        {
            return v.clone();
        }
        primary(lang).to_ascii_lowercase()
    }
}

impl Default for SpeechOptions {
    fn default() -> Self {
        Self::new()
    }
}

fn primary(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// Speaks every article of `p` and a bulletin's title page: one MP3 and one list of
/// clips per content document.
///
/// Sentences are spoken on all worker threads, taken in reading order; the thread that
/// speaks a document's last missing sentence joins the document's samples, encodes its
/// MP3 and drops them. So the samples held at once belong to the documents with a
/// sentence in progress (at most one per worker thread) and the documents being encoded,
/// not to the whole bulletin: a 100-article book holds a few articles' samples, not 100.
pub fn narrate(p: &Publication, speech: &SpeechOptions) -> Result<Overlay> {
    let version = speech.espeak.version()?;
    let n = p.articles.len();
    let bulletin = p.is_bulletin();
    // Documents in reading order: a bulletin's title page first, then the articles.
    let mut documents: Vec<Vec<Job>> = Vec::with_capacity(n + 1);
    if bulletin {
        documents.push(title_page_jobs(p, n, speech));
    }
    documents.extend((0..n).map(|i| article_jobs(p, i, speech)));
    let dir = tempfile::Builder::new()
        .prefix("anpham-speech.")
        .tempdir()
        .map_err(|e| Error::Speech {
            message: format!("cannot make a temporary folder for speech: {e}"),
            hint: "check TMPDIR".into(),
        })?;
    let spoken = speak_streaming(&documents, |doc, k| {
        speak_sentence(p, speech, dir.path(), &documents[doc][k])
    })
    .into_iter()
    .zip(&documents)
    .map(|(audio, jobs)| audio.and_then(|audio| document_overlay(jobs, audio)));
    // The first error in reading order wins.
    let mut docs: Vec<DocumentOverlay> = Vec::with_capacity(documents.len());
    let mut rate = None;
    for r in spoken {
        let (d, doc_rate) = r?;
        if let Some(r) = doc_rate
            && *rate.get_or_insert(r) != r
        {
            return Err(two_rates(rate.unwrap_or(0), r));
        }
        docs.push(d);
    }
    let voice = speech
        .voice
        .clone()
        .unwrap_or_else(|| primary(&p.lang).to_ascii_lowercase());
    let title_page = if bulletin { Some(docs.remove(0)) } else { None };
    Ok(Overlay {
        narrator: format!(
            "{}, voice {voice} (synthetic speech)",
            program_name(&version)
        ),
        title_page,
        documents: docs,
    })
}

/// The program and version of `espeak-ng --version` without its data path:
/// `eSpeak NG 1.51`.
fn program_name(version: &str) -> String {
    let v = version.split("Data at").next().unwrap_or(version).trim();
    v.replace(" text-to-speech:", "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrator_is_named_without_paths() {
        assert_eq!(
            program_name("eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/espeak-ng-data"),
            "eSpeak NG 1.51"
        );
    }

    #[test]
    fn voices_follow_languages() {
        let mut s = SpeechOptions::new();
        assert_eq!(s.voice_for("vi", "vi"), "vi");
        assert_eq!(s.voice_for("en-GB", "vi"), "en");
        s.voice = Some("vi-vn-x-south".into());
        assert_eq!(s.voice_for("vi-VN", "vi"), "vi-vn-x-south");
        assert_eq!(s.voice_for("en", "vi"), "en");
    }
}
