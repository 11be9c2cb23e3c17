//! The text path: arbitrary Unicode in every text field of an article (spans with
//! emphasis, links and languages; headings, quotes, lists, figures), validated like a
//! loaded article, then laid out and written as a PDF and an EPUB.
//!
//! Half of the inputs are taken raw, so control, bidi, private-use and uncovered
//! characters exercise the refusals; the other half have refused and uncovered
//! characters replaced by covered ones, so the text reaches the writers.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

use anpham::FontScale;
use anpham::model::{Article, Block, Figure, ImageData, Publication, Span, Text};

#[derive(Arbitrary, Debug)]
struct Input {
    sanitize: bool,
    scale: i8,
    lang: u8,
    title: String,
    author: Option<String>,
    lead: Option<Vec<FSpan>>,
    blocks: Vec<FBlock>,
}

#[derive(Arbitrary, Debug)]
struct FSpan {
    text: String,
    emphasis: bool,
    strong: bool,
    href: Option<FHref>,
    lang: Option<u8>,
}

#[derive(Arbitrary, Debug)]
enum FHref {
    Known(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum FBlock {
    Paragraph(Vec<FSpan>),
    Heading(u8, Vec<FSpan>),
    Quote(Vec<FSpan>, Option<String>),
    List(bool, Vec<Vec<FSpan>>),
    Figure {
        alt: Option<String>,
        caption: Option<Vec<FSpan>>,
        credit: Option<String>,
        decorative: bool,
        jpeg: bool,
    },
}

const LANGS: [&str; 5] = ["vi", "en", "en-GB", "fr", "x"];
const HREFS: [&str; 6] = [
    "https://example.org/a?b=1&c=<2>",
    "http://x.vn/\"quoted\"",
    "mailto:a@b.vn",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://x.vn/]]>",
];
/// Covered replacements: Vietnamese letters, Latin, digits, punctuation, markup characters.
const ALPHABET: &[char] = &[
    'a', 'ă', 'â', 'đ', 'ệ', 'ở', 'ữ', 'Ỹ', 'Đ', ' ', ' ', ' ', 'x', 'Q', '0', '9', '.', ',', '—',
    '“', '”', '<', '>', '&', '"', '\'', ']', '\u{AD}', '\u{A0}', '\u{200B}', '\u{301}', 'ﬁ', 'α',
    '-', '/', '\n',
];

struct Ctx {
    sanitize: bool,
    chars: usize,
}

impl Ctx {
    fn text(&mut self, s: String) -> String {
        let fonts = anpham_fuzz::fonts(true);
        let s: String = s
            .chars()
            .take(2000usize.saturating_sub(self.chars))
            .map(|c| {
                if self.sanitize
                    && (anpham::internals::forbidden_char(c).is_some() || !fonts.covers(c))
                {
                    ALPHABET[c as usize % ALPHABET.len()]
                } else {
                    c
                }
            })
            .collect();
        self.chars += s.chars().count();
        s
    }

    fn spans(&mut self, spans: Vec<FSpan>) -> Text {
        Text {
            spans: spans
                .into_iter()
                .take(50)
                .map(|s| Span {
                    text: self.text(s.text),
                    emphasis: s.emphasis,
                    strong: s.strong,
                    href: s.href.map(|h| match h {
                        FHref::Known(i) => HREFS[i as usize % HREFS.len()].to_string(),
                        FHref::Raw(r) => r,
                    }),
                    lang: s.lang.map(|l| LANGS[l as usize % LANGS.len()].to_string()),
                })
                .collect(),
        }
    }
}

fn image(jpeg: bool) -> ImageData {
    let bytes = if jpeg {
        anpham_fuzz::JPEG
    } else {
        anpham_fuzz::PNG
    };
    anpham::internals::check_image(bytes.to_vec()).expect("the sandbox's images are valid")
}

fuzz_target!(|input: Input| {
    let mut cx = Ctx {
        sanitize: input.sanitize,
        chars: 0,
    };
    let mut blocks = Vec::new();
    for b in input.blocks.into_iter().take(40) {
        blocks.push(match b {
            FBlock::Paragraph(s) => Block::Paragraph { text: cx.spans(s) },
            FBlock::Heading(level, s) => Block::Heading {
                // Levels outside 2–6 cannot be built any more (`HeadingLevel`).
                level: anpham::model::HeadingLevel::clamped(level % 8),
                text: cx.spans(s),
            },
            FBlock::Quote(s, a) => Block::Quote {
                text: cx.spans(s),
                attribution: a.map(|a| cx.text(a)),
            },
            FBlock::List(ordered, items) => Block::List {
                ordered,
                items: items.into_iter().take(30).map(|i| cx.spans(i)).collect(),
            },
            FBlock::Figure {
                alt,
                caption,
                credit,
                decorative,
                jpeg,
            } => Block::Figure(Figure {
                src: if jpeg { "img/b.jpg" } else { "img/a.png" }.into(),
                alt: alt.map(|a| cx.text(a)),
                caption: caption.map(|c| cx.spans(c)),
                credit: credit.map(|c| cx.text(c)),
                decorative,
                image: Some(image(jpeg)),
            }),
        });
    }
    let article = Article {
        lang: Some(LANGS[input.lang as usize % 2].to_string()),
        title: cx.text(input.title),
        date: Some("2022-11-10".into()),
        author: input.author.map(|a| cx.text(a)),
        lead: input.lead.map(|l| cx.spans(l)),
        slug: Some("fuzz".into()),
        source_url: None,
        blocks,
        // Figures load from the sandbox, as a loaded article's would.
        origin: Some(anpham::model::Origin {
            file: anpham_fuzz::sandbox().join("article.json"),
            field: String::new(),
        }),
    };
    let publication = match anpham::prepare(Publication::single(article)) {
        Ok(p) => p,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let scale = FontScale::step(input.scale.rem_euclid(9) - 2);
    let fonts = anpham_fuzz::fonts(scale.is_large_print());
    if let Err(e) = publication.check_fonts(fonts) {
        let _ = e.to_string();
        return;
    }
    anpham_fuzz::build_and_check(&publication, scale);
});
