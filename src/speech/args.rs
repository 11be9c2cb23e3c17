//! The talking book's options on the command line (`anpham build --voice …`): defined here,
//! beside the edition, and flattened into the command line's options by
//! `crate::editions::EditionArgs` (so `anpham serve` takes them as query parameters too).

use std::ffi::OsString;
use std::path::PathBuf;

use super::{Espeak, PROGRAM_ENV, SpeechOptions};
use crate::error::Result;

/// The talking book's command-line options.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Talking book (talking)")]
pub(crate) struct SpeechArgs {
    /// Speech: the espeak-ng voice for text in the publication's language
    /// (vi, vi-vn-x-central, vi-vn-x-south, or any `espeak-ng --voices` name) [default: the language].
    #[arg(long)]
    voice: Option<String>,
    /// Speech: rate in words per minute (80 to 450) [default: espeak-ng's 175].
    #[arg(long, value_parser = clap::value_parser!(u32).range(80..=450))]
    speech_rate: Option<u32>,
    /// Speech: a TOML file of pronunciations ([words] "shown" = "spoken") added to
    /// the bundled table (src/speech/vi.toml).
    #[arg(long)]
    pronunciations: Option<PathBuf>,
}

impl SpeechArgs {
    /// The voice, rate and pronunciations; `env` reads the caller's environment (the
    /// command line's: `ANPHAM_ESPEAK` names the espeak-ng program; the library reads none).
    pub(crate) fn options(&self, env: &dyn Fn(&str) -> Option<OsString>) -> Result<SpeechOptions> {
        let mut speech = SpeechOptions::new();
        speech.voice = self.voice.clone();
        speech.espeak = Espeak::new(env(PROGRAM_ENV).map(PathBuf::from), self.speech_rate);
        if let Some(f) = &self.pronunciations {
            speech.pronunciations_file(f)?;
        }
        Ok(speech)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        speech: SpeechArgs,
    }

    #[test]
    fn the_options_become_speech_options() {
        let cli =
            Cli::try_parse_from(["anpham", "--voice=vi-vn-x-south", "--speech-rate=200"]).unwrap();
        let env = |name: &str| (name == PROGRAM_ENV).then(|| OsString::from("/opt/espeak-ng"));
        let o = cli.speech.options(&env).unwrap();
        assert_eq!(o.voice.as_deref(), Some("vi-vn-x-south"));
        assert_eq!(o.espeak.rate, Some(200));
        assert_eq!(o.espeak.program, PathBuf::from("/opt/espeak-ng"));
        assert!(Cli::try_parse_from(["anpham", "--speech-rate=50"]).is_err());
        let cli = Cli::try_parse_from(["anpham", "--pronunciations=/nonexistent/p.toml"]).unwrap();
        assert!(cli.speech.options(&|_| None).is_err());
    }
}
