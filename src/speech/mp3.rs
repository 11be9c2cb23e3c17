//! MP3 encoding (LAME, through `mp3lame-encoder`, which builds LAME from source) and
//! where the decoded audio of a sample lands.
//!
//! The MP3 is constant bit rate with no Xing/LAME information frame, so every decoder
//! plays the same timeline: the encoder's start padding ([`ENCODER_DELAY`] samples,
//! LAME's `ENCDELAY`) plus the MP3 decoder's own delay ([`DECODER_DELAY`], the 529
//! samples of the synthesis filter bank) come before the first input sample. A clip
//! that begins at input sample `n` therefore begins at `n + START_OFFSET` in the decoded
//! audio ([`decoded_seconds`]); the test `mp3::tests::an_impulse_lands_where_clip_times_say`
//! checks that against a real decoder (sox) when it is installed.

use mp3lame_encoder::{Bitrate, Builder, Encoder, FlushGap, MonoPcm, Quality};

use crate::error::{Error, Result};

/// LAME's encoder delay in samples (`ENCDELAY` in LAME's `encoder.h`).
pub const ENCODER_DELAY: u64 = 576;
/// The MP3 decoder's delay in samples (the hybrid filter bank: 528 + 1).
pub const DECODER_DELAY: u64 = 529;
/// Where input sample 0 is in the decoded audio.
pub const START_OFFSET: u64 = ENCODER_DELAY + DECODER_DELAY;

/// The time, in seconds, at which input sample `n` is heard in the decoded MP3.
#[cfg(test)]
pub fn decoded_seconds(n: u64, rate: u32) -> f64 {
    (n + START_OFFSET) as f64 / f64::from(rate)
}

/// The time in whole milliseconds (rounded to nearest) at which input sample `n` is heard.
pub fn decoded_millis(n: u64, rate: u32) -> u64 {
    ((n + START_OFFSET) * 1000 + u64::from(rate) / 2) / u64::from(rate)
}

fn encoding_error(m: String) -> Error {
    Error::Speech {
        message: format!("MP3 encoding failed: {m}"),
        hint: "this is a bug in anpham or LAME; please report it".into(),
    }
}

/// A LAME encoder of mono 16-bit samples at `rate` (an MPEG rate such as 22050): 48 kbit/s
/// CBR, no Xing/LAME tag, `-q 7` ([`Quality::Ok`]: the psychoacoustic model without noise
/// shaping). For espeak-ng's speech `-q 7` takes half the CPU time of `-q 5` and decodes
/// no worse by objective measures (wide-band PESQ 3.87 against 3.75, SNR 24.5 dB against
/// 22.1 dB; docs/talking-book.md, "Where the time goes"); in LAME 3.100 at CBR, `-q 6`
/// makes the bytes of `-q 5`, and `-q 8` and `-q 9` those of `-q 7`. Feed it with
/// [`encode_chunk`] and end the file with [`finish`]; the MP3 is the same whether the
/// samples come in one chunk or many.
pub fn encoder(rate: u32) -> Result<Encoder> {
    let err = encoding_error;
    let mut b = Builder::new().ok_or_else(|| err("LAME could not allocate".into()))?;
    b.set_num_channels(1).map_err(|e| err(format!("{e:?}")))?;
    b.set_sample_rate(rate).map_err(|e| err(format!("{e:?}")))?;
    b.set_output_sample_rate(std::num::NonZeroU32::new(rate))
        .map_err(|e| err(format!("{e:?}")))?;
    b.set_brate(Bitrate::Kbps48)
        .map_err(|e| err(format!("{e:?}")))?;
    b.set_quality(Quality::Ok)
        .map_err(|e| err(format!("{e:?}")))?;
    b.set_to_write_vbr_tag(false)
        .map_err(|e| err(format!("{e:?}")))?;
    b.build().map_err(|e| err(format!("{e:?}")))
}

/// Encodes `samples` with `enc`, appending the MP3 frames made so far to `out`.
pub fn encode_chunk(enc: &mut Encoder, samples: &[i16], out: &mut Vec<u8>) -> Result<()> {
    out.reserve(mp3lame_encoder::max_required_buffer_size(samples.len()));
    enc.encode_to_vec(MonoPcm(samples), out)
        .map_err(|e| encoding_error(format!("{e:?}")))?;
    Ok(())
}

/// Ends the MP3 of `enc`: appends the last frames to `out`.
pub fn finish(enc: &mut Encoder, out: &mut Vec<u8>) -> Result<()> {
    out.reserve(8192);
    enc.flush_to_vec::<FlushGap>(out)
        .map_err(|e| encoding_error(format!("{e:?}")))?;
    Ok(())
}

/// Encodes mono 16-bit samples at `rate` to one MP3 in memory ([`encoder`]).
#[cfg(test)]
pub fn encode(samples: &[i16], rate: u32) -> Result<Vec<u8>> {
    let mut enc = encoder(rate)?;
    let mut out = Vec::with_capacity(samples.len() / 4 + 8192);
    encode_chunk(&mut enc, samples, &mut out)?;
    finish(&mut enc, &mut out)?;
    out.shrink_to_fit();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_times_follow_sample_counts() {
        assert_eq!(decoded_millis(0, 22050), 50); // 1105 samples of padding
        assert_eq!(decoded_millis(22050, 22050), 1050);
        assert_eq!(decoded_millis(44100 - 1105, 22050), 2000);
        assert!((decoded_seconds(11025, 22050) - (11025.0 + 1105.0) / 22050.0).abs() < 1e-12);
    }

    #[test]
    fn chunked_encoding_makes_the_same_mp3() {
        let s: Vec<i16> = (0..50_000).map(|i| ((i % 73) as i16 - 36) * 700).collect();
        let mut enc = encoder(22050).unwrap();
        let mut out = Vec::new();
        for chunk in [&s[..1000], &s[1000..1001], &s[1001..30_000], &s[30_000..]] {
            encode_chunk(&mut enc, chunk, &mut out).unwrap();
        }
        finish(&mut enc, &mut out).unwrap();
        assert!(out == encode(&s, 22050).unwrap());
    }

    #[test]
    fn encoding_is_deterministic_and_not_empty() {
        let s: Vec<i16> = (0..22050).map(|i| ((i % 50) as i16 - 25) * 800).collect();
        let a = encode(&s, 22050).unwrap();
        assert_eq!(a, encode(&s, 22050).unwrap());
        assert!(a.len() > 1000);
        assert_eq!(&a[..2], &[0xFF, 0xF3]); // MPEG-2 layer III frame sync, no tag before it
    }

    /// Encodes silence with one loud click and finds the click in sox's decoding.
    #[test]
    fn an_impulse_lands_where_clip_times_say() {
        if std::process::Command::new("sox")
            .arg("--version")
            .output()
            .is_err()
        {
            crate::test_support::skip("sox is not installed (apt-get install sox libsox-fmt-mp3)");
            return;
        }
        let rate = 22050;
        let at = 11025u64;
        let mut s = vec![0i16; 22050];
        for k in 0..40 {
            s[at as usize + k] = if k % 2 == 0 { 30000 } else { -30000 };
        }
        let dir = tempfile::tempdir().unwrap();
        let mp3 = dir.path().join("a.mp3");
        let raw = dir.path().join("a.raw");
        std::fs::write(&mp3, encode(&s, rate).unwrap()).unwrap();
        let st = std::process::Command::new("sox")
            .arg(&mp3)
            .args(["-t", "raw", "-e", "signed", "-b", "16", "-c", "1"])
            .arg(&raw)
            .status()
            .unwrap();
        if !st.success() {
            crate::test_support::skip("sox cannot decode MP3 (apt-get install libsox-fmt-mp3)");
            return;
        }
        let bytes = std::fs::read(&raw).unwrap();
        let dec: Vec<i16> = bytes
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        let peak = dec
            .iter()
            .position(|v| v.unsigned_abs() > 8000)
            .expect("the click is in the decoded audio") as i64;
        let expected = (at + START_OFFSET) as i64;
        // The click is a burst; its first loud sample is within 2 ms of the prediction.
        assert!(
            (peak - expected).abs() <= 44,
            "click at {peak}, expected {expected}"
        );
    }
}
