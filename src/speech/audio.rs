//! The talking book's audio: sentences spoken on every worker thread, each content
//! document's samples joined and encoded to MP3 as soon as its last sentence is spoken,
//! and the clips (where each sentence begins and ends) computed from sample counts.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::script::{Job, Key, key_name};
use super::{SpeechOptions, espeak, mp3};
use crate::epub::overlay::{Clip, DocumentOverlay};
use crate::error::{Error, Result};
use crate::model::Publication;

/// One document's spoken sentences, in reading order, once all are spoken; or the
/// first error among them.
type DocumentAudio = Result<Vec<espeak::Samples>>;

/// Speaks the sentences of `documents` with `speak(document, sentence)` on every worker
/// thread, taking them in reading order, and hands each document's audio to
/// [`encode_document`] on the thread that finishes it, as soon as it is complete. Gives
/// each document's encoded result, in document order.
pub(super) fn speak_streaming(
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
pub(super) struct EncodedAudio {
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
pub(super) fn two_rates(a: u32, b: u32) -> Error {
    Error::Speech {
        message: format!("espeak-ng spoke at {a} Hz and at {b} Hz"),
        hint: "use voices of one espeak-ng installation".into(),
    }
}

/// Speaks one sentence; a sentence the voice makes no sound for is an error naming its
/// place.
pub(super) fn speak_sentence(
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
pub(super) fn document_overlay(
    jobs: &[Job],
    audio: EncodedAudio,
) -> Result<(DocumentOverlay, Option<u32>)> {
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

/// Whether the samples are (nearly) silent: RMS below 1/1000 of full scale.
pub(super) fn is_silent(s: &[i16]) -> bool {
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
    fn silence_is_detected() {
        assert!(is_silent(&[]));
        assert!(is_silent(&[0; 1000]));
        assert!(!is_silent(&[3000, -3000, 2000, -1000]));
    }
}
