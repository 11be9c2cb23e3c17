//! The script of the talking book: every sentence to speak, in reading order, with
//! where it is shown (a part of the text-address model, an image's alt text, or a line
//! of the writer's own), what a listener should hear and the voice that says it.

use std::collections::BTreeMap;
use std::ops::Range;

use super::SpeechOptions;
use crate::address::sentences::sentence_ranges;
use crate::epub::overlay::Line;
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
    if let Some(url) = &a.source_url {
        // The line the EPUB shows, "Nguồn: URL"; a listener hears the label and the
        // site's host (a full URL read aloud is a string of letters and signs).
        let line = crate::labels::source_line(lang, url);
        let said = line.with_value(url_host(url)).text();
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

/// The sentences of a bulletin's title page (document `doc`), in reading order: the
/// title and description cut into sentences, the publisher line and the date whole.
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
        // The line the EPUB's title page shows.
        let line = crate::labels::publisher_line(lang, pb);
        let shown = line.text();
        push(
            Line::Publisher,
            0..0,
            shown.clone(),
            &shown,
            line.labels.lang,
        );
    }
    if let Some(d) = &p.date {
        let shown = crate::labels::display_date(d, lang);
        push(Line::Date, 0..0, shown.clone(), &shown, lang);
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

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
