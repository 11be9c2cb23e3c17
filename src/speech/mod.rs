//! Speech for the talking book: what each sentence says, the voice that says it,
//! and the audio with its clip times.
//!
//! [`narrate`] takes every readable part of every article in reading order (the parts
//! of [`crate::address::article_parts`]: title, byline, lead, headings, paragraphs,
//! quotations and their attributions, list items, captions; plus each described image's
//! alt text, spoken as "Ảnh: …", and the "Nguồn: URL" source line, spoken with the
//! URL's host only) and a bulletin's title page (title, description, publisher, date), cuts it into sentences (`crate::address::sentences`), turns
//! each sentence into what a listener should hear (`pronounce`), speaks the sentences
//! in parallel with espeak-ng (`espeak`, one process per sentence, rayon across cores),
//! encodes each content document's sentences, in order, as they are spoken, into MP3
//! files (`mp3`; a long document's audio is split at sentence boundaries) and records
//! where each sentence begins and ends in them, from sample counts. Memory stays bounded
//! by a constant whatever the length of the text: the samples of a few sentences. The result
//! is a [`crate::markup::narration::Overlay`], which the book's writer turns into
//! sentence elements, SMIL and metadata; speech knows nothing of the book.
//!
//! Voice: text in the publication's language gets `--voice` (default: the language, e.g.
//! `vi`, espeak-ng's northern Vietnamese); an article or a sentence in another language
//! (a sentence takes the language of most of its characters) gets that language's
//! espeak-ng voice.

pub(crate) mod args;
mod audio;
pub(crate) mod espeak;
pub(crate) mod internals;
pub(crate) mod mp3;
pub(crate) mod pronounce;
mod script;

use audio::{AudioWriter, Spoken, document_overlay, speak_streaming, two_rates};
use script::{Job, Wordless, article_jobs, join_wordless, key_name, title_page_jobs};

use crate::error::{Diagnostic, Error, Result};
use crate::markup::narration::{DocumentOverlay, Overlay};
use crate::model::Publication;

pub(crate) use espeak::{Espeak, PROGRAM_ENV};
pub(crate) use pronounce::Pronunciations;

/// How to speak.
#[derive(Debug, Clone)]
pub struct SpeechOptions {
    /// The espeak-ng program and speech rate.
    pub(crate) espeak: Espeak,
    /// The voice for text in the publication's language (`vi`, `vi-vn-x-central`,
    /// `vi-vn-x-south`, or any espeak-ng voice); `None`: the language itself.
    pub voice: Option<String>,
    /// The pronunciation table.
    pub(crate) pronunciations: Pronunciations,
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

    /// Speaks with the espeak-ng program at `program` instead of the one on `PATH` (the
    /// command line takes it from `ANPHAM_ESPEAK`).
    pub fn espeak_program(&mut self, program: std::path::PathBuf) {
        self.espeak = Espeak::new(Some(program), self.espeak.rate);
    }

    /// Reads the pronunciations in the TOML file at `path` (`[words] "shown" = "spoken"`)
    /// over the bundled table, as the command line's `--pronunciations` does.
    pub fn pronunciations_file(&mut self, path: &std::path::Path) -> Result<()> {
        self.pronunciations = Pronunciations::bundled_with_file(path)?;
        Ok(())
    }

    /// The espeak-ng program's version line; fails with what to install when it cannot be
    /// run (the talking book needs it).
    pub fn espeak_version(&self) -> Result<String> {
        self.espeak.version()
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

/// Speaks every article of `p` and a bulletin's title page: per content document, its
/// MP3 files (in a temporary folder the overlay keeps) and its clips.
///
/// Sentences are spoken on all worker threads, taken in reading order, and each
/// document's are encoded and written to its MP3 files in order as soon as they can be
/// (`audio::speak_streaming`): the samples held at once are a few sentences', whatever
/// the length of the documents. A fragment with nothing to say (`'.`, `/.`) joins its
/// neighbour, or, alone in its part, is shown without audio; a sentence the voice makes
/// no sound for is shown without audio too; each is a warning with its place
/// (`Overlay::warnings`). Only the program failing (espeak-ng missing or crashing) is
/// an error.
pub(crate) fn narrate(p: &Publication, speech: &SpeechOptions) -> Result<Overlay> {
    let version = speech.espeak.version()?;
    let bulletin = p.is_bulletin();
    let (documents, mut warnings) = script(p, speech);
    let dir = tempfile::Builder::new()
        .prefix("anpham-speech.")
        .tempdir()
        .map_err(|e| Error::Speech {
            message: format!("cannot make a temporary folder for speech: {e}"),
            hint: "check TMPDIR".into(),
        })?;
    let encoded = speak_streaming(
        &documents,
        |d| AudioWriter::new(dir.path(), format!("d{d}"), audio::MAX_FILE_SECONDS),
        |doc, k| speak_sentence(speech, dir.path(), &documents[doc][k]),
    )?;
    let mut docs: Vec<DocumentOverlay> = Vec::with_capacity(documents.len());
    let mut rate = None;
    for (audio, jobs) in encoded.into_iter().zip(&documents) {
        let (d, doc_rate, unheard) = document_overlay(jobs, audio);
        if let Some(r) = doc_rate
            && *rate.get_or_insert(r) != r
        {
            return Err(two_rates(rate.unwrap_or(0), r));
        }
        for j in unheard {
            warnings.push(warning(
                p,
                j,
                format!(
                    "voice `{}` says nothing for “{}”; it is shown without audio",
                    j.voice, j.shown
                ),
            ));
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
        warnings,
        files: Some(std::sync::Arc::new(dir)),
    })
}

/// Speaks one sentence; `None` when the voice makes no sound for it.
fn speak_sentence(speech: &SpeechOptions, dir: &std::path::Path, j: &Job) -> Result<Spoken> {
    let s = speech
        .espeak
        .speak(&j.voice, &j.spoken, dir, &format!("{}-{}", j.doc, j.id))?;
    Ok((!audio::is_silent(&s.data)).then_some(s))
}

/// A warning about sentence `j`, placed in its article's file (or, on a bulletin's title
/// page, the bulletin's) at its part.
fn warning(p: &Publication, j: &Job, message: String) -> Diagnostic {
    let (file, field) = match p.articles.get(j.doc) {
        Some(a) => {
            let file = a
                .origin
                .as_ref()
                .map(|o| o.file.clone())
                .unwrap_or_else(|| format!("article {}", j.doc + 1).into());
            let prefix = a
                .origin
                .as_ref()
                .map(|o| o.field.as_str())
                .filter(|f| !f.is_empty())
                .map(|f| format!("{f}."))
                .unwrap_or_default();
            (file, format!("{prefix}{}", key_name(j.key)))
        }
        None => ("title page".into(), key_name(j.key)),
    };
    Diagnostic::field(&file, field, format!("talking book: {message}"))
        .with_hint(
            "nothing to do if the fragment is stray punctuation; else give its pronunciation \
             in a file passed with --pronunciations ([words] \"shown\" = \"spoken\")",
        )
        .as_warning()
}

/// The warnings a talking book of `p` would give that are known without speaking (the
/// fragments with nothing to say: [`narrate`]); what `check` can report for the talking
/// book where espeak-ng is not installed. Those of a sentence the voice makes no sound
/// for need espeak-ng: [`narrate`] gives them.
#[cfg(test)]
pub(crate) fn script_warnings(p: &Publication, speech: &SpeechOptions) -> Vec<Diagnostic> {
    script(p, speech).1
}

/// The script without speaking: each document's sentences as (shown, spoken), and the
/// warnings of the fragments with nothing to say (`crate::internals::spoken_script`).
pub(crate) fn script_text(
    p: &Publication,
    speech: &SpeechOptions,
) -> (Vec<Vec<(String, String)>>, Vec<Diagnostic>) {
    let (documents, warnings) = script(p, speech);
    let text = documents
        .into_iter()
        .map(|jobs| jobs.into_iter().map(|j| (j.shown, j.spoken)).collect())
        .collect();
    (text, warnings)
}

/// Every document's sentences (a bulletin's title page first), fragments with nothing to
/// say joined or taken out, and a warning for each of those.
fn script(p: &Publication, speech: &SpeechOptions) -> (Vec<Vec<Job>>, Vec<Diagnostic>) {
    let n = p.articles.len();
    // Documents in reading order: a bulletin's title page first, then the articles.
    let mut documents: Vec<Vec<Job>> = Vec::with_capacity(n + 1);
    if p.is_bulletin() {
        documents.push(title_page_jobs(p, n, speech));
    }
    documents.extend((0..n).map(|i| article_jobs(p, i, speech)));
    let mut warnings = Vec::new();
    for jobs in &mut documents {
        for w in join_wordless(jobs) {
            warnings.push(match w {
                Wordless::Joined(j) => warning(
                    p,
                    &j,
                    format!(
                        "“{}” has nothing to say; it is read with the sentence beside it",
                        j.shown
                    ),
                ),
                Wordless::Unspoken(j) => warning(
                    p,
                    &j,
                    format!(
                        "“{}” has nothing to say; it is shown without audio",
                        j.shown
                    ),
                ),
            });
        }
    }
    (documents, warnings)
}

/// The program and version of `espeak-ng --version` without its data path:
/// `eSpeak NG 1.51`.
fn program_name(version: &str) -> String {
    let v = version.split("Data at").next().unwrap_or(version).trim();
    v.replace(" text-to-speech:", "")
}

#[cfg(test)]
mod clip_tests;

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
    fn stray_punctuation_is_a_warning_known_without_speaking() {
        let a = crate::model::Article {
            lang: Some("vi".into()),
            title: "Tin".into(),
            date: None,
            author: None,
            lead: None,
            slug: Some("tin".into()),
            source_url: None,
            blocks: ["Một câu.", "'.", "Hai câu. /."]
                .into_iter()
                .map(|t| crate::model::Block::Paragraph {
                    text: crate::model::Text {
                        spans: vec![crate::model::Span::plain(t)],
                    },
                })
                .collect(),
            origin: None,
        };
        let p = Publication::single(a);
        let w: Vec<String> = script_warnings(&p, &SpeechOptions::new())
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].contains(
                "blocks[1]: talking book: “'.” has nothing to say; it is shown without audio"
            ),
            "{w:?}"
        );
        assert!(w[1].contains("blocks[2]: talking book: “/.” has nothing to say; it is read with the sentence beside it"), "{w:?}");
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
