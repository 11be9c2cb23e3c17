//! The script of the narration: every sentence to speak, in reading order, with
//! where it is shown (a part of the text-address model, an image's alt text, or a line
//! of the writer's own), what a listener should hear and the voice that says it.

use std::collections::BTreeMap;
use std::ops::Range;

use super::SpeechOptions;
use crate::address::sentences::sentence_ranges;
use crate::markup::lines::{Line, LineText, source_line, title_page_lines};
use crate::model::{Article, Block, Publication, Text};
use crate::pagemap::ArticlePart;

/// Where a sentence is shown.
#[derive(Debug, Clone, Copy)]
pub(super) enum Key {
    /// A part of the text-address model.
    Part(ArticlePart),
    /// The alt text of the image of figure block `b`.
    Image(usize),
    /// A line of the writer's own (title page, source line).
    Line(Line),
}

/// One sentence to speak.
pub(super) struct Job {
    /// The document: article `i`, or (`i` = the number of articles) the title page.
    pub(super) doc: usize,
    pub(super) id: String,
    pub(super) key: Key,
    pub(super) range: Range<usize>,
    pub(super) shown: String,
    pub(super) spoken: String,
    pub(super) voice: String,
}

impl Job {
    /// A sentence of document 0 for tests of the audio.
    #[cfg(test)]
    pub(super) fn for_test(k: usize) -> Job {
        Job {
            doc: 0,
            id: format!("snt-{}", k + 1),
            key: Key::Part(ArticlePart::Block(k)),
            range: 0..1,
            shown: "x".into(),
            spoken: "x".into(),
            voice: "vi".into(),
        }
    }

    /// Whether there is anything to say: a letter or a digit in the spoken form (a
    /// fragment such as `'.` or `/.` has none).
    pub(super) fn has_words(&self) -> bool {
        self.spoken.chars().any(char::is_alphanumeric)
    }
}

/// What [`join_wordless`] did with a fragment that has nothing to say.
pub(super) enum Wordless {
    /// Joined to the sentence before or after it in the same part or line.
    Joined(Job),
    /// Alone in its part: shown without audio.
    Unspoken(Job),
}

/// Joins each fragment with nothing to say ([`Job::has_words`]) to the sentence before it
/// in the same part or line (else the one after it): the joined sentence's range covers
/// both and it says both. A fragment alone in its part is taken out: its text is shown,
/// without a clip. Gives what it did with each, in order.
pub(super) fn join_wordless(jobs: &mut Vec<Job>) -> Vec<Wordless> {
    let mut out: Vec<Job> = Vec::with_capacity(jobs.len());
    let mut report = Vec::new();
    // A fragment waiting for the next sentence of its part (none before it).
    let mut carried: Option<Job> = None;
    for j in jobs.drain(..) {
        if let Some(c) = carried.take() {
            if same_place(c.key, j.key) && c.range.end <= j.range.start && !j.has_words() {
                // Two fragments in a row: one fragment waiting.
                let mut c = c;
                c.range.end = j.range.end;
                c.spoken = format!("{} {}", c.spoken, j.spoken);
                c.shown = format!("{} {}", c.shown, j.shown);
                carried = Some(c);
                continue;
            }
            if same_place(c.key, j.key) && c.range.end <= j.range.start {
                let mut j = j;
                j.range.start = c.range.start;
                j.spoken = format!("{} {}", c.spoken, j.spoken);
                j.shown = format!("{} {}", c.shown, j.shown);
                report.push(Wordless::Joined(c));
                out.push(j);
                continue;
            }
            report.push(Wordless::Unspoken(c));
        }
        if j.has_words() {
            out.push(j);
            continue;
        }
        match out.last_mut() {
            Some(prev) if same_place(prev.key, j.key) && prev.range.end <= j.range.start => {
                prev.range.end = j.range.end;
                prev.spoken = format!("{} {}", prev.spoken, j.spoken);
                prev.shown = format!("{} {}", prev.shown, j.shown);
                report.push(Wordless::Joined(j));
            }
            _ => carried = Some(j),
        }
    }
    if let Some(c) = carried {
        report.push(Wordless::Unspoken(c));
    }
    *jobs = out;
    report
}

/// Whether two sentences are in the same part of the text or the same line.
fn same_place(a: Key, b: Key) -> bool {
    match (a, b) {
        (Key::Part(x), Key::Part(y)) => x == y,
        (Key::Line(x), Key::Line(y)) => x == y,
        _ => false,
    }
}

/// Where a sentence is, for error messages.
pub(super) fn key_name(key: Key) -> String {
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
pub(super) fn sentence_lang<'a>(
    text: Option<&'a Text>,
    range: &Range<usize>,
    default: &'a str,
) -> &'a str {
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
pub(super) fn article_jobs(p: &Publication, i: usize, speech: &SpeechOptions) -> Vec<Job> {
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
            let shown = crate::labels::image_line(lang, alt).text();
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
    if let Some(line) = source_line(p, i) {
        // The line shown, "Nguồn: URL"; a listener hears the label and the site's host (a
        // full URL read aloud is a string of letters and signs).
        let said = line.with_value(url_host(line.value)).text();
        let l = line.labels.lang;
        jobs.push(Job {
            doc: i,
            id: next_id(),
            key: Key::Line(Line::Source),
            range: 0..0,
            spoken: speech.pronunciations.spoken(&said, l),
            voice: speech.voice_for(l, &p.lang),
            shown: line.text(),
        });
    }
    jobs
}

/// The host of a URL without `www.`: `https://www.baobackan.vn/a/b.htm` →
/// `baobackan.vn`; a string that is not an absolute URL is returned unchanged.
pub(super) fn url_host(url: &str) -> &str {
    let Some((_, rest)) = url.split_once("://") else {
        return url;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = host.split(':').next().unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() { url } else { host }
}

/// The sentences of a bulletin's title page (document `doc`), in reading order: the lines
/// its title block shows ([`title_page_lines`]), the title and description cut into
/// sentences, the publisher line and the date whole.
pub(super) fn title_page_jobs(p: &Publication, doc: usize, speech: &SpeechOptions) -> Vec<Job> {
    let lang = p.lang.as_str();
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
    for (line, text) in title_page_lines(p) {
        match text {
            LineText::Own(text) => {
                for r in sentence_ranges(text) {
                    let t = &text[r.clone()];
                    push(line, r, t.to_string(), t, lang);
                }
            }
            LineText::Labelled(l) => {
                let shown = l.text();
                push(line, 0..0, shown.clone(), &shown, l.labels.lang);
            }
            LineText::Date { shown, .. } => push(line, 0..0, shown.clone(), &shown, lang),
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(key: Key, range: Range<usize>, text: &str) -> Job {
        Job {
            doc: 0,
            id: format!("snt-{}", range.start),
            key,
            range,
            shown: text.into(),
            spoken: text.into(),
            voice: "vi".into(),
        }
    }

    #[test]
    fn a_fragment_with_nothing_to_say_joins_a_neighbour_or_stays_unspoken() {
        let p = |b| Key::Part(ArticlePart::Block(b));
        let mut jobs = vec![
            job(p(0), 0..2, "'."), // alone in blocks[0]: unspoken
            job(p(1), 0..3, "/."), // joins the next sentence of blocks[1]
            job(p(1), 4..10, "Một câu."),
            job(p(1), 11..13, "…"), // joins the sentence before it
            job(Key::Image(2), 2..2, "Ảnh: x"),
            job(p(3), 0..5, "Hai."),
            job(p(4), 0..1, "—"), // alone at the end: unspoken
        ];
        let report = join_wordless(&mut jobs);
        let ranges: Vec<_> = jobs
            .iter()
            .map(|j| (j.range.clone(), j.spoken.as_str()))
            .collect();
        assert_eq!(
            ranges,
            vec![(0..13, "/. Một câu. …"), (2..2, "Ảnh: x"), (0..5, "Hai."),]
        );
        let what: Vec<_> = report
            .iter()
            .map(|w| match w {
                Wordless::Joined(j) => format!("joined {}", j.shown),
                Wordless::Unspoken(j) => format!("unspoken {}", j.shown),
            })
            .collect();
        assert_eq!(what, ["unspoken '.", "joined /.", "joined …", "unspoken —"]);
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
