//! Speech synthesis by the `espeak-ng` program.
//!
//! espeak-ng is GPL-3.0: anpham runs it as a separate program (found on `PATH`, or at the
//! path the caller gives; the CLI takes it from `ANPHAM_ESPEAK`) and never links it. Each call speaks one sentence into a WAV file
//! in a private temporary folder (espeak-ng's WAV on standard output has no length in
//! its header), which [`hound`] reads back as 16-bit samples.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The environment variable that names the espeak-ng program to run (read by the CLI,
/// named in hints).
pub const PROGRAM_ENV: &str = "ANPHAM_ESPEAK";

/// What to install when espeak-ng is missing.
pub const INSTALL_HINT: &str = "install espeak-ng (Debian/Ubuntu: `apt-get install espeak-ng`, \
     Fedora: `dnf install espeak-ng`, macOS: `brew install espeak-ng`) or set ANPHAM_ESPEAK \
     to its path; the other editions do not need it";

/// The espeak-ng program and how it speaks.
#[derive(Debug, Clone)]
pub struct Espeak {
    /// The program.
    pub program: PathBuf,
    /// Words per minute (`-s`); espeak-ng's default (175) when `None`.
    pub rate: Option<u32>,
}

/// Mono 16-bit samples and their rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Samples {
    /// Samples per second.
    pub rate: u32,
    /// The samples.
    pub data: Vec<i16>,
}

impl Espeak {
    /// The program at `program` (the CLI passes `ANPHAM_ESPEAK`), else `espeak-ng` on
    /// `PATH`.
    pub fn new(program: Option<PathBuf>, rate: Option<u32>) -> Espeak {
        Espeak {
            program: program.unwrap_or_else(|| PathBuf::from("espeak-ng")),
            rate,
        }
    }

    /// The program's version line; fails with what to install when it cannot be run.
    pub fn version(&self) -> Result<String> {
        let out = Command::new(&self.program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.missing(&e))?;
        if !out.status.success() {
            return Err(Error::Speech {
                message: format!(
                    "`{} --version` failed ({})",
                    self.program.display(),
                    out.status
                ),
                hint: INSTALL_HINT.into(),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn missing(&self, e: &std::io::Error) -> Error {
        Error::Speech {
            message: format!(
                "the talking-book edition needs the espeak-ng program; `{}` cannot be run: {e}",
                self.program.display()
            ),
            hint: INSTALL_HINT.into(),
        }
    }

    /// Speaks `text` with `voice` into `dir` (a private temporary folder); `name` is
    /// unique among concurrent calls.
    pub(crate) fn speak(&self, voice: &str, text: &str, dir: &Path, name: &str) -> Result<Samples> {
        let wav = dir.join(format!("{name}.wav"));
        let mut cmd = Command::new(&self.program);
        cmd.args(["-b", "1", "-v", voice]);
        if let Some(r) = self.rate {
            cmd.args(["-s", &r.to_string()]);
        }
        cmd.arg("-w").arg(&wav);
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.missing(&e))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A new line per sentence keeps espeak-ng from waiting for more text.
            stdin
                .write_all(text.as_bytes())
                .and_then(|_| stdin.write_all(b"\n"))
                .map_err(|e| self.missing(&e))?;
        }
        let out = child.wait_with_output().map_err(|e| self.missing(&e))?;
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if !out.status.success() || stderr.contains("does not exist") {
            return Err(Error::Speech {
                message: format!(
                    "espeak-ng failed with voice `{voice}` ({}): {stderr}",
                    out.status
                ),
                hint: "list the voices with `espeak-ng --voices`; Vietnamese: vi, \
                       vi-vn-x-central, vi-vn-x-south"
                    .into(),
            });
        }
        let samples = read_wav(&wav)?;
        let _ = std::fs::remove_file(&wav);
        Ok(samples)
    }
}

/// Reads a mono 16-bit WAV file: the header with [`hound`], the samples from the bytes
/// read at once (a tenth of the time of hound's sample-by-sample reader, which took 5 % of
/// a talking book's CPU time).
pub(crate) fn read_wav(path: &Path) -> Result<Samples> {
    let bad = |m: String| Error::Speech {
        message: format!("{}: {m}", path.display()),
        hint: "espeak-ng should write mono 16-bit WAV; check the espeak-ng installation".into(),
    };
    let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    let r =
        hound::WavReader::new(std::io::Cursor::new(&bytes[..])).map_err(|e| bad(e.to_string()))?;
    let spec = r.spec();
    if spec.channels != 1
        || spec.bits_per_sample != 16
        || spec.sample_format != hound::SampleFormat::Int
    {
        return Err(bad(format!(
            "{} channel(s), {} bits: not mono 16-bit PCM",
            spec.channels, spec.bits_per_sample
        )));
    }
    let count = r.len() as usize;
    // The reader stops at the first sample of the data chunk.
    let start = usize::try_from(r.into_inner().position()).unwrap_or(usize::MAX);
    let data = bytes
        .get(start..)
        .and_then(|d| d.get(..count.checked_mul(2)?))
        .ok_or_else(|| {
            bad(format!(
                "the data chunk is shorter than its {count} samples"
            ))
        })?
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect();
    Ok(Samples {
        rate: spec.sample_rate,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The samples read are those hound's own reader gives, and a file cut short is an
    /// error naming it.
    #[test]
    fn a_wav_file_reads_as_hound_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 22050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        let samples: Vec<i16> = (0..5000).map(|i| (i * 37 % 65536 - 32768) as i16).collect();
        for &s in &samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        let got = read_wav(&path).unwrap();
        assert_eq!(got.rate, 22050);
        assert!(got.data == samples);
        let by_hound: Vec<i16> = hound::WavReader::open(&path)
            .unwrap()
            .samples::<i16>()
            .map(|s| s.unwrap())
            .collect();
        assert!(got.data == by_hound);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 100]).unwrap();
        let e = read_wav(&path).unwrap_err().to_string();
        assert!(e.contains("a.wav") && e.contains("shorter"), "{e}");
    }
}
