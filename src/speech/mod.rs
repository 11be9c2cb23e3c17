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

pub mod espeak;
pub mod mp3;
pub mod pronounce;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::address::sentences::sentence_ranges;
use crate::epub::overlay::{Clip, DocumentOverlay, Line, Overlay};
use crate::error::{Error, Result};
use crate::model::{Article, Block, Publication, Text};
use crate::pagemap::ArticlePart;

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

/// Where a sentence is shown.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// A part of the text-address model.
    Part(ArticlePart),
    /// The alt text of the image of figure block `b`.
    Image(usize),
    /// A line of the writer's own (title page, source line).
    Line(Line),
}

/// One sentence to speak.
struct Job {
    /// The document: article `i`, or (`i` = the number of articles) the title page.
    doc: usize,
    id: String,
    key: Key,
    range: Range<usize>,
    shown: String,
    spoken: String,
    voice: String,
}

/// Where a sentence is, for error messages.
fn key_name(key: Key) -> String {
    match key {
        Key::Part(part) => part_name(part),
        Key::Image(b) => format!("blocks[{b}].alt"),
        Key::Line(Line::Title) => "the title".into(),
        Key::Line(Line::Description) => "the description".into(),
        Key::Line(Line::Publisher) => "the publisher".into(),
        Key::Line(Line::Date) => "the date".into(),
        Key::Line(Line::Source) => "the source line".into(),
    }
}

/// What a part of an article is, for error messages.
fn part_name(part: ArticlePart) -> String {
    match part {
        ArticlePart::Title => "the title".into(),
        ArticlePart::Meta => "the byline".into(),
        ArticlePart::Lead => "the lead".into(),
        ArticlePart::Block(b) => format!("blocks[{b}]"),
        ArticlePart::Item(b, j) => format!("blocks[{b}].items[{j}]"),
        ArticlePart::Caption(b) => format!("blocks[{b}].caption"),
        ArticlePart::Attribution(b) => format!("blocks[{b}].attribution"),
    }
}

/// The inline text behind a part, when it has one (for span languages).
fn part_text(a: &Article, part: ArticlePart) -> Option<&Text> {
    match part {
        ArticlePart::Lead => a.lead.as_ref(),
        ArticlePart::Block(b) => match a.blocks.get(b)? {
            Block::Paragraph { text } | Block::Heading { text, .. } | Block::Quote { text, .. } => {
                Some(text)
            }
            _ => None,
        },
        ArticlePart::Item(b, j) => match a.blocks.get(b)? {
            Block::List { items, .. } => items.get(j),
            _ => None,
        },
        ArticlePart::Caption(b) => match a.blocks.get(b)? {
            Block::Figure(f) => f.caption.as_ref(),
            _ => None,
        },
        _ => None,
    }
}

/// The language of most characters of `range` of a part whose spans are `text`.
fn sentence_lang<'a>(text: Option<&'a Text>, range: &Range<usize>, default: &'a str) -> &'a str {
    let Some(t) = text else { return default };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pos = 0;
    for s in &t.spans {
        let r = pos..pos + s.text.len();
        pos = r.end;
        let overlap = r
            .end
            .min(range.end)
            .saturating_sub(r.start.max(range.start));
        if overlap > 0 {
            *counts
                .entry(s.lang.as_deref().unwrap_or(default))
                .or_default() += overlap;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(l, n)| (n, l == default))
        .map_or(default, |(l, _)| l)
}

/// The sentences of article `i`, in reading order, with their sentence ids.
fn article_jobs(p: &Publication, i: usize, speech: &SpeechOptions) -> Vec<Job> {
    let a = &p.articles[i];
    let lang = p.article_lang(i);
    let mut jobs = Vec::new();
    let mut n = 0;
    let mut next_id = || {
        n += 1;
        format!("snt-{n}")
    };
    let figure_alt = |b: usize| match a.blocks.get(b) {
        Some(Block::Figure(f)) if !f.decorative => {
            f.alt.as_deref().filter(|t| !t.trim().is_empty())
        }
        _ => None,
    };
    for (part, text) in crate::address::article_parts(p, i) {
        if let ArticlePart::Block(b) = part
            && let Some(alt) = figure_alt(b)
        {
            let shown = format!("{}: {alt}", image_word(lang));
            jobs.push(Job {
                doc: i,
                id: next_id(),
                key: Key::Image(b),
                range: b..b,
                spoken: speech.pronunciations.spoken(&shown, lang),
                voice: speech.voice_for(lang, &p.lang),
                shown,
            });
        }
        let spans = part_text(a, part);
        for r in sentence_ranges(&text) {
            let l = sentence_lang(spans, &r, lang);
            let shown = text[r.clone()].to_string();
            jobs.push(Job {
                doc: i,
                id: next_id(),
                key: Key::Part(part),
                spoken: speech.pronunciations.spoken(&shown, l),
                voice: speech.voice_for(l, &p.lang),
                range: r,
                shown,
            });
        }
    }
    if let Some(url) = &a.source_url {
        // The line shows "Nguồn: URL"; a listener hears the label and the site's host
        // (a full URL read aloud is a string of letters and signs).
        let lab = crate::labels::for_lang(lang);
        let shown = format!("{}: {url}", lab.source);
        let said = format!("{}: {}", lab.source, url_host(url));
        jobs.push(Job {
            doc: i,
            id: next_id(),
            key: Key::Line(Line::Source),
            range: 0..0,
            spoken: speech.pronunciations.spoken(&said, lab.lang),
            voice: speech.voice_for(lab.lang, &p.lang),
            shown,
        });
    }
    jobs
}

/// The host of a URL without `www.`: `https://www.baobackan.vn/a/b.htm` →
/// `baobackan.vn`; a string that is not an absolute URL is returned unchanged.
fn url_host(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else {
        return url;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() { url } else { host }
}

/// The sentences of a bulletin's title page (document `doc`), in reading order: the
/// title and description cut into sentences, the publisher line and the date whole.
fn title_page_jobs(p: &Publication, doc: usize, speech: &SpeechOptions) -> Vec<Job> {
    let lang = p.lang.as_str();
    let lab = crate::labels::for_lang(lang);
    let mut jobs = Vec::new();
    let mut push = |key: Line, range: Range<usize>, shown: String, said: &str, l: &str| {
        jobs.push(Job {
            doc,
            id: format!("snt-{}", jobs.len() + 1),
            key: Key::Line(key),
            range,
            spoken: speech.pronunciations.spoken(said, l),
            voice: speech.voice_for(l, &p.lang),
            shown,
        });
    };
    for (line, text) in [
        (Line::Title, Some(&p.title)),
        (Line::Description, p.description.as_ref()),
    ] {
        let Some(text) = text else { continue };
        for r in sentence_ranges(text) {
            let t = &text[r.clone()];
            push(line, r, t.to_string(), t, lang);
        }
    }
    if let Some(pb) = &p.publisher {
        let shown = format!("{}: {pb}", lab.publisher);
        push(Line::Publisher, 0..0, shown.clone(), &shown, lab.lang);
    }
    if let Some(d) = &p.date {
        let shown = crate::labels::display_date(d, lang);
        push(Line::Date, 0..0, shown.clone(), &shown, lang);
    }
    jobs
}

/// "Image" in the article's language (what is said before an alt text).
fn image_word(lang: &str) -> &'static str {
    if crate::labels::is_lang(lang, "vi") {
        "Ảnh"
    } else {
        "Image"
    }
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

/// One document's spoken sentences, in reading order, once all are spoken; or the
/// first error among them.
type DocumentAudio = Result<Vec<espeak::Samples>>;

/// Speaks the sentences of `documents` with `speak(document, sentence)` on every worker
/// thread, taking them in reading order, and hands each document's audio to
/// [`encode_document`] on the thread that finishes it, as soon as it is complete. Gives
/// each document's encoded result, in document order.
fn speak_streaming(
    documents: &[Vec<Job>],
    speak: impl Fn(usize, usize) -> Result<espeak::Samples> + Sync,
) -> Vec<Result<EncodedAudio>> {
    // Every sentence, in reading order: (document, sentence in it).
    let order: Vec<(usize, usize)> = documents
        .iter()
        .enumerate()
        .flat_map(|(d, jobs)| (0..jobs.len()).map(move |k| (d, k)))
        .collect();
    struct Pending {
        audio: Vec<Option<Result<espeak::Samples>>>,
        missing: usize,
    }
    let pending: Vec<Mutex<Pending>> = documents
        .iter()
        .map(|jobs| {
            Mutex::new(Pending {
                audio: (0..jobs.len()).map(|_| None).collect(),
                missing: jobs.len(),
            })
        })
        .collect();
    let done: Vec<Mutex<Option<Result<EncodedAudio>>>> =
        documents.iter().map(|_| Mutex::new(None)).collect();
    let finish = |d: usize, audio: Vec<Option<Result<espeak::Samples>>>| {
        let audio: DocumentAudio = audio
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Err(internal("a sentence was not spoken"))))
            .collect();
        *lock(&done[d]) = Some(audio.and_then(encode_document));
    };
    // A document without sentences is complete from the start.
    for (d, p) in pending.iter().enumerate() {
        if lock(p).missing == 0 {
            finish(d, Vec::new());
        }
    }
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().max(1);
    (0..workers).into_par_iter().for_each(|_| {
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(d, k)) = order.get(at) else { break };
            let samples = speak(d, k);
            let complete = {
                let mut p = lock(&pending[d]);
                p.audio[k] = Some(samples);
                p.missing -= 1;
                (p.missing == 0).then(|| std::mem::take(&mut p.audio))
            };
            if let Some(audio) = complete {
                finish(d, audio);
            }
        }
    });
    done.into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| Err(internal("a document was not finished")))
        })
        .collect()
}

/// A mutex's value, also after a panic elsewhere (the data is still whole: every
/// critical section here is a few assignments).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn internal(what: &str) -> Error {
    Error::Speech {
        message: format!("{what} (internal error)"),
        hint: "this is a bug in anpham; please report it".into(),
    }
}

/// A document's audio as MP3, with where each sentence begins and ends in the input
/// samples, and the sample rate (`None`: no sentence).
struct EncodedAudio {
    mp3: Vec<u8>,
    spans: Vec<(u64, u64)>,
    rate: Option<u32>,
}

/// Joins a document's sentences' samples in reading order and encodes them; the samples
/// are dropped as they are joined and the joined ones when this returns.
fn encode_document(audio: Vec<espeak::Samples>) -> Result<EncodedAudio> {
    let total = audio.iter().map(|a| a.data.len()).sum();
    let mut samples: Vec<i16> = Vec::with_capacity(total);
    let mut spans = Vec::with_capacity(audio.len());
    let mut rate = None;
    for a in audio {
        if *rate.get_or_insert(a.rate) != a.rate {
            return Err(two_rates(rate.unwrap_or(0), a.rate));
        }
        let begin = samples.len() as u64;
        samples.extend_from_slice(&a.data);
        spans.push((begin, samples.len() as u64));
    }
    let mp3 = mp3::encode(&samples, rate.unwrap_or(22050))?;
    Ok(EncodedAudio { mp3, spans, rate })
}

/// The error of sentences spoken at two sample rates.
fn two_rates(a: u32, b: u32) -> Error {
    Error::Speech {
        message: format!("espeak-ng spoke at {a} Hz and at {b} Hz"),
        hint: "use voices of one espeak-ng installation".into(),
    }
}

/// Speaks one sentence; a sentence the voice makes no sound for is an error naming its
/// place.
fn speak_sentence(
    p: &Publication,
    speech: &SpeechOptions,
    dir: &std::path::Path,
    j: &Job,
) -> Result<espeak::Samples> {
    let s = speech
        .espeak
        .speak(&j.voice, &j.spoken, dir, &format!("{}-{}", j.doc, j.id))?;
    if is_silent(&s.data) {
        let doc = match p.articles.get(j.doc) {
            Some(a) => format!("article {} (`{}`)", j.doc + 1, a.title),
            None => "the title page".into(),
        };
        return Err(Error::Speech {
            message: format!(
                "{doc}, {}: voice `{}` says nothing for “{}”",
                key_name(j.key),
                j.voice,
                j.shown
            ),
            hint: "give its pronunciation in a file passed with --pronunciations \
                   ([words] \"shown\" = \"spoken\"), or choose another --voice"
                .into(),
        });
    }
    Ok(s)
}

/// A document's overlay from its sentences and their encoded audio: sentence ids by part,
/// clips from sample counts, the MP3 and the duration.
fn document_overlay(jobs: &[Job], audio: EncodedAudio) -> Result<(DocumentOverlay, Option<u32>)> {
    let mut d = DocumentOverlay::default();
    let rate = audio.rate.unwrap_or(22050);
    for (j, &(begin, end)) in jobs.iter().zip(&audio.spans) {
        match j.key {
            Key::Part(part) => d
                .sentences
                .entry(part)
                .or_default()
                .push((j.range.clone(), j.id.clone())),
            Key::Image(b) => {
                d.image_ids.insert(b, j.id.clone());
            }
            Key::Line(line) => d
                .lines
                .entry(line)
                .or_default()
                .push((j.range.clone(), j.id.clone())),
        }
        d.clips.push(Clip {
            id: j.id.clone(),
            begin_ms: mp3::decoded_millis(begin, rate),
            end_ms: mp3::decoded_millis(end, rate),
        });
    }
    d.audio = audio.mp3;
    d.duration_ms = d.clips.last().map_or(0, |c| c.end_ms);
    Ok((d, audio.rate))
}

/// The program and version of `espeak-ng --version` without its data path:
/// `eSpeak NG 1.51`.
fn program_name(version: &str) -> String {
    let v = version.split("Data at").next().unwrap_or(version).trim();
    v.replace(" text-to-speech:", "")
}

/// Whether the samples are (nearly) silent: RMS below 1/1000 of full scale.
fn is_silent(s: &[i16]) -> bool {
    if s.is_empty() {
        return true;
    }
    let sum: f64 = s.iter().map(|&v| f64::from(v) * f64::from(v)).sum();
    (sum / s.len() as f64).sqrt() < 32.768
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
    fn a_source_line_is_heard_by_its_host() {
        assert_eq!(
            url_host("https://www.baobackan.vn/hoi-thao-123.htm?x=1#a"),
            "baobackan.vn"
        );
        assert_eq!(url_host("http://user@example.org:8080/"), "example.org");
        assert_eq!(url_host("https://bac-kan.gov.vn"), "bac-kan.gov.vn");
        assert_eq!(url_host("không phải URL"), "không phải URL");
        assert_eq!(url_host("file:///"), "file:///");
    }

    #[test]
    fn silence_is_detected() {
        assert!(is_silent(&[]));
        assert!(is_silent(&[0; 1000]));
        assert!(!is_silent(&[3000, -3000, 2000, -1000]));
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

    #[test]
    fn a_sentence_takes_the_language_of_most_of_its_characters() {
        let t = Text {
            spans: vec![
                crate::model::Span::plain("Ông nói: "),
                crate::model::Span {
                    lang: Some("en".into()),
                    ..crate::model::Span::plain("Thank you very much.")
                },
            ],
        };
        let plain = t.to_plain();
        let r = sentence_ranges(&plain);
        assert_eq!(sentence_lang(Some(&t), &r[0], "vi"), "en");
        assert_eq!(sentence_lang(Some(&t), &(0..9), "vi"), "vi");
    }
}
