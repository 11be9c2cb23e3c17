//! The narration's audio: sentences spoken on every worker thread, in reading order,
//! each document's sentences encoded to MP3 and written to its audio files as soon as
//! they and every sentence before them are spoken, and the clips (where each sentence
//! begins and ends) computed from sample counts.
//!
//! Memory is bounded by a constant, whatever the length of a document: the workers take
//! sentences in reading order, and stop taking new ones while [`MAX_BACKLOG_PER_WORKER`]
//! sentences a worker are spoken but not yet encoded; encoded audio goes to a file at
//! once. A document's audio is split into files of about
//! [`MAX_FILE_SECONDS`] at sentence boundaries; each file's clip times restart with it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use rayon::prelude::*;

use super::script::{Job, Key};
use super::{espeak, mp3};
use crate::error::{Error, Result};
use crate::markup::narration::{AudioData, Clip, DocumentOverlay};

/// About how long one audio file of a document is: a new file begins at the first
/// sentence boundary after this many seconds (a reading system seeks less in a smaller
/// file; an hour of 48 kbit/s MP3 is 21.6 MB).
pub(super) const MAX_FILE_SECONDS: u64 = 3600;

/// How many sentences per worker may be spoken and waiting to be encoded before the
/// workers wait for the encoding (a sentence is some 5 s of speech, 220 KB of samples).
const MAX_BACKLOG_PER_WORKER: usize = 4;

/// A sentence's audio: its samples, or `None` when the voice made no sound for it.
pub(super) type Spoken = Option<espeak::Samples>;

/// Speaks the sentences of `documents` with `speak(document, sentence)` on every worker
/// thread, taking them in reading order, and feeds each document's sentences, in order,
/// to its [`AudioWriter`] (made by `writer(document)`) as soon as they can be. Gives each
/// document's encoded audio, in document order; or the first error in reading order
/// (after which no more sentences are spoken).
///
/// No worker waits for another's encoding: a worker that speaks a sentence leaves it for
/// the worker already encoding that document, if any, and goes on speaking; else it
/// encodes every sentence of the document that is ready (outside the lock, so that the
/// others can leave theirs meanwhile). A document is encoded by one worker at a time, in
/// order, so its MP3 bytes do not depend on the number of workers. Before taking a new
/// sentence a worker waits only while [`MAX_BACKLOG_PER_WORKER`] × workers sentences are
/// spoken but not yet encoded: the bound on the samples held when encoding is slower
/// than speaking.
pub(super) fn speak_streaming(
    documents: &[Vec<Job>],
    writer: impl Fn(usize) -> AudioWriter,
    speak: impl Fn(usize, usize) -> Result<Spoken> + Sync,
) -> Result<Vec<EncodedAudio>> {
    // Every sentence, in reading order: (document, sentence in it); and where each
    // document's sentences begin in that order.
    let order: Vec<(usize, usize)> = documents
        .iter()
        .enumerate()
        .flat_map(|(d, jobs)| (0..jobs.len()).map(move |k| (d, k)))
        .collect();
    let first: Vec<usize> = documents
        .iter()
        .scan(0, |at, jobs| {
            let here = *at;
            *at += jobs.len();
            Some(here)
        })
        .collect();
    /// A document being spoken: the sentences spoken but not yet encoded (waiting for
    /// an earlier one, or for the worker encoding the document), the next to encode,
    /// whether a worker is encoding it (it holds the writer meanwhile), and the writer
    /// (taken when finished).
    struct Pending {
        waiting: Vec<Option<Spoken>>,
        next: usize,
        encoding: bool,
        writer: Option<AudioWriter>,
        done: Option<EncodedAudio>,
    }
    let pending: Vec<Mutex<Pending>> = documents
        .iter()
        .enumerate()
        .map(|(d, jobs)| {
            Mutex::new(Pending {
                waiting: (0..jobs.len()).map(|_| None).collect(),
                next: 0,
                encoding: false,
                writer: Some(writer(d)),
                done: None,
            })
        })
        .collect();
    // The first error, by its place in reading order.
    let failure: Mutex<Option<(usize, Error)>> = Mutex::new(None);
    let failed = AtomicBool::new(false);
    // Sentences spoken and not yet encoded, in all documents; signalled when it falls.
    let backlog = Mutex::new(0usize);
    let encoded = Condvar::new();
    let fail = |at: usize, e: Error| {
        let mut f = lock(&failure);
        if f.as_ref().is_none_or(|(first, _)| at < *first) {
            *f = Some((at, e));
        }
        failed.store(true, Ordering::Relaxed);
        drop(f);
        let _backlog = lock(&backlog);
        encoded.notify_all();
    };
    // Leaves sentence `k` of document `d` (if any) and encodes what is ready of the
    // document, unless a worker is at it already; finishes the document after its last
    // sentence.
    let deliver = |d: usize, spoken: Option<(usize, Spoken)>| {
        let mut p = lock(&pending[d]);
        if let Some((k, s)) = spoken {
            p.waiting[k] = Some(s);
        }
        if p.encoding {
            return;
        }
        let n = p.waiting.len();
        let Some(mut w) = p.writer.take() else {
            return;
        };
        p.encoding = true;
        loop {
            let from = p.next;
            let mut ready = Vec::new();
            while p.next < n
                && let Some(spoken) = {
                    let k = p.next;
                    p.waiting[k].take()
                }
            {
                ready.push(spoken);
                p.next += 1;
            }
            if ready.is_empty() {
                break;
            }
            drop(p);
            for (k, spoken) in (from..).zip(ready) {
                if !failed.load(Ordering::Relaxed)
                    && let Err(e) = w.push(spoken)
                {
                    fail(first[d] + k, e);
                }
                *lock(&backlog) -= 1;
                encoded.notify_one();
            }
            p = lock(&pending[d]);
        }
        p.encoding = false;
        if p.next < n {
            p.writer = Some(w);
        } else {
            match w.finish() {
                Ok(audio) => p.done = Some(audio),
                Err(e) => fail(first[d] + n.saturating_sub(1), e),
            }
        }
    };
    // A document without sentences is complete from the start.
    for (d, jobs) in documents.iter().enumerate() {
        if jobs.is_empty() {
            deliver(d, None);
        }
    }
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().max(1);
    let max_backlog = MAX_BACKLOG_PER_WORKER * workers;
    (0..workers).into_par_iter().for_each(|_| {
        loop {
            {
                let mut b = lock(&backlog);
                while *b >= max_backlog && !failed.load(Ordering::Relaxed) {
                    b = encoded.wait(b).unwrap_or_else(|e| e.into_inner());
                }
            }
            if failed.load(Ordering::Relaxed) {
                break;
            }
            let at = next.fetch_add(1, Ordering::Relaxed);
            let Some(&(d, k)) = order.get(at) else { break };
            match speak(d, k) {
                Ok(spoken) => {
                    *lock(&backlog) += 1;
                    deliver(d, Some((k, spoken)));
                }
                Err(e) => fail(at, e),
            }
        }
    });
    if let Some((_, e)) = lock(&failure).take() {
        return Err(e);
    }
    pending
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .done
                .ok_or_else(|| internal("a document was not finished"))
        })
        .collect()
}

/// A mutex's value, also after a panic elsewhere (the data is still whole: every
/// critical section here leaves it consistent).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn internal(what: &str) -> Error {
    Error::Speech {
        message: format!("{what} (internal error)"),
        hint: "this is a bug in anpham; please report it".into(),
    }
}

/// A document's audio: its MP3 files, where each sentence is (file, first and end
/// sample in it; `None`: nothing heard), and the sample rate (`None`: nothing heard).
pub(super) struct EncodedAudio {
    files: Vec<PathBuf>,
    spans: Vec<Option<(usize, u64, u64)>>,
    rate: Option<u32>,
}

/// One document's MP3 files, written sentence after sentence as they come.
pub(super) struct AudioWriter {
    dir: PathBuf,
    stem: String,
    max_seconds: u64,
    files: Vec<PathBuf>,
    open: Option<OpenFile>,
    rate: Option<u32>,
    spans: Vec<Option<(usize, u64, u64)>>,
    buf: Vec<u8>,
}

/// The audio file being written: its encoder, the file, and the samples in it so far.
struct OpenFile {
    encoder: mp3lame_encoder::Encoder,
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    samples: u64,
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Speech {
        message: format!("cannot write the audio file {}: {e}", path.display()),
        hint: "check the free space of the temporary folder (TMPDIR)".into(),
    }
}

impl AudioWriter {
    /// A writer of files `STEM-1.mp3`, `STEM-2.mp3` … in `dir`, each ending at the first
    /// sentence boundary after `max_seconds`.
    pub(super) fn new(dir: &Path, stem: String, max_seconds: u64) -> AudioWriter {
        AudioWriter {
            dir: dir.to_path_buf(),
            stem,
            max_seconds: max_seconds.max(1),
            files: Vec::new(),
            open: None,
            rate: None,
            spans: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Adds the next sentence.
    pub(super) fn push(&mut self, spoken: Spoken) -> Result<()> {
        let Some(s) = spoken else {
            self.spans.push(None);
            return Ok(());
        };
        if *self.rate.get_or_insert(s.rate) != s.rate {
            return Err(two_rates(self.rate.unwrap_or(0), s.rate));
        }
        let full = self
            .open
            .as_ref()
            .is_some_and(|o| o.samples >= self.max_seconds * u64::from(s.rate));
        if full {
            self.close()?;
        }
        let open = match self.open.take() {
            Some(o) => o,
            None => {
                let path = self
                    .dir
                    .join(format!("{}-{}.mp3", self.stem, self.files.len() + 1));
                let file = std::fs::File::create(&path).map_err(|e| io_error(&path, &e))?;
                self.files.push(path.clone());
                OpenFile {
                    encoder: mp3::encoder(s.rate)?,
                    out: std::io::BufWriter::new(file),
                    path,
                    samples: 0,
                }
            }
        };
        let o = self.open.insert(open);
        self.buf.clear();
        mp3::encode_chunk(&mut o.encoder, &s.data, &mut self.buf)?;
        o.out
            .write_all(&self.buf)
            .map_err(|e| io_error(&o.path, &e))?;
        let begin = o.samples;
        o.samples += s.data.len() as u64;
        self.spans
            .push(Some((self.files.len() - 1, begin, o.samples)));
        Ok(())
    }

    /// Ends the open file.
    fn close(&mut self) -> Result<()> {
        if let Some(mut o) = self.open.take() {
            self.buf.clear();
            mp3::finish(&mut o.encoder, &mut self.buf)?;
            o.out
                .write_all(&self.buf)
                .and_then(|()| o.out.flush())
                .map_err(|e| io_error(&o.path, &e))?;
        }
        Ok(())
    }

    /// Ends the last file: the document's audio.
    pub(super) fn finish(mut self) -> Result<EncodedAudio> {
        self.close()?;
        Ok(EncodedAudio {
            files: self.files,
            spans: self.spans,
            rate: self.rate,
        })
    }
}

/// The error of sentences spoken at two sample rates.
pub(super) fn two_rates(a: u32, b: u32) -> Error {
    Error::Speech {
        message: format!("espeak-ng spoke at {a} Hz and at {b} Hz"),
        hint: "use voices of one espeak-ng installation".into(),
    }
}

/// A document's overlay from its sentences and their encoded audio: sentence ids by part,
/// clips from sample counts, the MP3 files and the duration; and the sentences that were
/// not heard (they keep no id and no clip: shown, not heard).
pub(super) fn document_overlay(
    jobs: &[Job],
    audio: EncodedAudio,
) -> (DocumentOverlay, Option<u32>, Vec<&Job>) {
    let mut d = DocumentOverlay::default();
    let rate = audio.rate.unwrap_or(22050);
    let mut unheard = Vec::new();
    let mut file_ends = vec![0u64; audio.files.len()];
    for (j, span) in jobs.iter().zip(&audio.spans) {
        let Some((file, begin, end)) = *span else {
            unheard.push(j);
            continue;
        };
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
        let clip = Clip {
            id: j.id.clone(),
            file,
            begin_ms: mp3::decoded_millis(begin, rate),
            end_ms: mp3::decoded_millis(end, rate),
        };
        file_ends[file] = clip.end_ms;
        d.clips.push(clip);
    }
    d.audio = audio.files.into_iter().map(AudioData::File).collect();
    d.duration_ms = file_ends.iter().sum();
    (d, audio.rate, unheard)
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

    fn tone(n: usize) -> Spoken {
        Some(espeak::Samples {
            rate: 22050,
            data: (0..n).map(|i| ((i % 40) as i16 - 20) * 900).collect(),
        })
    }

    #[test]
    fn a_long_document_is_split_at_sentence_boundaries_with_exact_clips() {
        let dir = tempfile::tempdir().unwrap();
        // Files of at least one second: sentences of 0.6 s, 0.6 s, (silent), 0.3 s, 2 s.
        let mut w = AudioWriter::new(dir.path(), "d0".into(), 1);
        for s in [tone(13_230), tone(13_230), None, tone(6_615), tone(44_100)] {
            w.push(s).unwrap();
        }
        let a = w.finish().unwrap();
        assert_eq!(a.files.len(), 2);
        assert_eq!(
            a.spans,
            vec![
                Some((0, 0, 13_230)),
                Some((0, 13_230, 26_460)),
                None,
                Some((1, 0, 6_615)),
                Some((1, 6_615, 50_715)),
            ]
        );
        // Each file is the MP3 of its own samples, as encoded in one piece.
        let first: Vec<i16> = [tone(13_230), tone(13_230)]
            .into_iter()
            .flat_map(|s| s.unwrap().data)
            .collect();
        assert!(std::fs::read(&a.files[0]).unwrap() == mp3::encode(&first, 22050).unwrap());
    }

    #[test]
    fn sentences_are_encoded_in_reading_order_whatever_finishes_first() {
        let dir = tempfile::tempdir().unwrap();
        let jobs = |n: usize| -> Vec<Job> { (0..n).map(Job::for_test).collect() };
        let documents = vec![jobs(7), Vec::new(), jobs(5)];
        let audio = speak_streaming(
            &documents,
            |d| AudioWriter::new(dir.path(), format!("d{d}"), MAX_FILE_SECONDS),
            |d, k| {
                // Later sentences finish first now and then.
                std::thread::sleep(std::time::Duration::from_millis(((7 - k) % 3) as u64));
                Ok(if (d, k) == (0, 3) {
                    None
                } else {
                    tone(100 * (k + 1))
                })
            },
        )
        .unwrap();
        assert_eq!(audio.len(), 3);
        assert!(audio[1].files.is_empty());
        let mut at = 0;
        for (k, s) in audio[0].spans.iter().enumerate() {
            if k == 3 {
                assert_eq!(*s, None);
                continue;
            }
            let n = 100 * (k as u64 + 1);
            assert_eq!(*s, Some((0, at, at + n)));
            at += n;
        }
    }

    /// The MP3 files and clips do not depend on the number of workers, though workers
    /// no longer wait for each other's encoding: each document is still encoded in order.
    #[test]
    fn the_audio_is_the_same_with_any_number_of_workers() {
        let jobs = |n: usize| -> Vec<Job> { (0..n).map(Job::for_test).collect() };
        let documents = vec![jobs(9), jobs(1), Vec::new(), jobs(23)];
        let run = |threads: usize| {
            let dir = tempfile::tempdir().unwrap();
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let audio = pool
                .install(|| {
                    speak_streaming(
                        &documents,
                        |d| AudioWriter::new(dir.path(), format!("d{d}"), 2),
                        |d, k| {
                            // Uneven speaking times: later sentences often finish first.
                            let ms = (d * 7 + k * 5) % 4;
                            std::thread::sleep(std::time::Duration::from_millis(ms as u64));
                            Ok(tone(900 + 3000 * ((d + k) % 5)))
                        },
                    )
                })
                .unwrap();
            audio
                .into_iter()
                .map(|a| {
                    let bytes: Vec<Vec<u8>> =
                        a.files.iter().map(|f| std::fs::read(f).unwrap()).collect();
                    (bytes, a.spans)
                })
                .collect::<Vec<_>>()
        };
        let one = run(1);
        assert_eq!(one[3].0.len(), 4, "document 3: 7.2 s in files of 2 s");
        assert!(one[2].0.is_empty());
        for threads in [2, 3, 8] {
            assert!(run(threads) == one, "{threads} workers");
        }
    }

    #[test]
    fn the_first_error_in_reading_order_wins() {
        let dir = tempfile::tempdir().unwrap();
        let documents = vec![(0..6).map(Job::for_test).collect::<Vec<_>>()];
        let r = speak_streaming(
            &documents,
            |d| AudioWriter::new(dir.path(), format!("d{d}"), MAX_FILE_SECONDS),
            |_, k| {
                if k >= 2 {
                    Err(internal(&format!("sentence {k}")))
                } else {
                    Ok(tone(10))
                }
            },
        );
        let e = r.err().unwrap().to_string();
        assert!(e.contains("sentence 2"), "{e}");
    }
}
