//! Clip times against espeak-ng's own sample counts (it was an integration test; the
//! narration it reads is not part of the API, issue #27). Needs
//! espeak-ng: outside CI a run without it says `SKIPPED` and passes, in CI it fails.

use std::path::{Path, PathBuf};

use super::{Espeak, PROGRAM_ENV, Pronunciations, SpeechOptions, narrate};

/// The library's speech options with espeak-ng at `ANPHAM_ESPEAK` when it is set (as the
/// CLI does).
fn speech_options() -> SpeechOptions {
    let mut s = SpeechOptions::new();
    s.espeak = Espeak::new(std::env::var_os(PROGRAM_ENV).map(PathBuf::from), None);
    s
}

#[test]
fn clip_times_are_espeak_sample_counts_after_the_mp3_start_offset() {
    let speech = speech_options();
    if speech.espeak.version().is_err() {
        crate::test_support::skip("espeak-ng is not installed (apt-get install espeak-ng)");
        return;
    }
    let nfd = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nfd/nfd.toml");
    let (p, _) = crate::input::load_publication(&[nfd]).unwrap();
    let o = narrate(&p, &speech).unwrap();
    let clips = &o.documents[0].clips;
    assert!(clips.len() > 5);
    // The first clip starts after the encoder and decoder delay (1105 samples at 22050 Hz).
    assert_eq!(clips[0].begin_ms, 50);
    // Clips follow each other with no gap and no overlap.
    for w in clips.windows(2) {
        assert_eq!(w[0].end_ms, w[1].begin_ms);
        assert!(w[0].begin_ms < w[0].end_ms);
    }
    // The first clip (the title) lasts as many samples as espeak-ng makes for it.
    let dir = tempfile::tempdir().unwrap();
    let spoken = Pronunciations::bundled().spoken(&p.articles[0].title, "vi");
    let s = speech.espeak.speak("vi", &spoken, dir.path(), "t").unwrap();
    let expect_ms = s.data.len() as f64 * 1000.0 / f64::from(s.rate);
    let got = (clips[0].end_ms - clips[0].begin_ms) as f64;
    assert!((got - expect_ms).abs() <= 1.0, "{got} ms vs {expect_ms} ms");
    assert_eq!(o.documents[0].duration_ms, clips.last().unwrap().end_ms);
    assert_eq!(o.total_ms(), o.documents[0].duration_ms);
}
