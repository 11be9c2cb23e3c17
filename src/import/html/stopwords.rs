//! Stop words (the most frequent function words) of the languages of the pages people
//! save, for the stop-word density of a text block: running text is full of them,
//! menus, link lists and labels are not. One set for all languages: a menu has few stop
//! words in any language.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Per language, the function words (lower case).
const STOP_WORDS: &[&str] = &[
    // vi (syllables)
    "của và là các những được có trong cho với đã này một người không theo khi từ đến về để tại cũng như sẽ đang thì mà nhưng vì nên ra lại còn",
    // en
    "the of and to in a is that for it as was with be by on not he i this are or his from at which but have an they you were her she there been has their we one all would will if more when who its than can into only other so what also after had",
    // de
    "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man",
    // fr
    "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se il a ce sont avec son sa aux ou elle mais nous vous leur été être cette ces",
    // es
    "de la que el en y a los del se las por un para con no una su al es lo como más pero sus le ya o este ha sí porque esta entre cuando muy sin sobre también fue había",
    // pt
    "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito há nos já está eu também só pelo pela",
    // it
    "di e il la che è per un in del non una sono le si con della al da gli dei nel alla più ma anche come ha delle questo lo ci ne",
    // nl
    "de en van het een in is dat op te zijn met voor niet aan er die ook als bij door maar om dan nog wel naar uit worden wordt",
    // pl
    "i w na z się nie do to że jest o jak po co tak za od ale przez jego tym są dla jej być może już tylko czy który która które także oraz",
    // sv, da, no
    "och att det som en på är av för med till den har de inte om ett men var jag og af til er med på ikke der som har den et",
    // fi, hu, cs, ro, tr, id
    "ja on ei se että oli ovat a az és hogy nem is egy van meg a je se na že to v do si jako pro ale și de la în cu pe care nu o un din ve bir bu da de için ile yang dan di ini itu dengan untuk tidak dari",
];

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STOP_WORDS
            .iter()
            .flat_map(|l| l.split_whitespace())
            .collect()
    })
}

/// True for a stop word of one of the languages (`word` in lower case).
pub fn is_stop_word(word: &str) -> bool {
    set().contains(word)
}

/// Whether a text of `words` words and `chars` characters separates its words with
/// spaces (Chinese, Japanese and Thai do not: stop-word density says nothing there).
pub fn spaced(words: usize, chars: usize) -> bool {
    words > 0 && chars / words < 15
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_of_several_languages() {
        for w in ["the", "và", "der", "que", "się"] {
            assert!(is_stop_word(w), "{w}");
        }
        assert!(!is_stop_word("governor"));
        assert!(spaced(10, 60));
        assert!(!spaced(2, 120));
    }
}
