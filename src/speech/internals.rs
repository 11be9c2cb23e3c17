//! What `crate::internals` shows of speech to the fuzz targets. Not part of the API.

use crate::error::Diagnostic;
use crate::prepare::Prepared;

/// The talking book's script, without speaking it (the `speech_script` fuzz target): each
/// document's sentences as (shown, spoken), and the warnings a build would give.
#[cfg(feature = "speech")]
pub fn spoken_script(
    p: &Prepared,
    speech: &crate::editions::SpeechOptions,
) -> (Vec<Vec<(String, String)>>, Vec<Diagnostic>) {
    crate::speech::script_text(p, speech)
}

/// What the talking book says for `text` in `lang` with `speech`'s pronunciation table
/// (the `speech_script` fuzz target).
#[cfg(feature = "speech")]
pub fn spoken(speech: &crate::editions::SpeechOptions, text: &str, lang: &str) -> String {
    speech.pronunciations.spoken(text, lang)
}
