//! Inline text: a plain string or a list of spans with emphasis, links and languages,
//! and its serde shape (a plain string is taken literally).

use serde::{Deserialize, Serialize};

/// Text: a plain string, or a list of inline spans with emphasis, links and languages.
///
/// In JSON a plain string is taken literally (no markup is interpreted), so text coming
/// from a CMS cannot inject structure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    /// The spans, in order. Adjacent spans with the same attributes are merged by the loader.
    pub spans: Vec<Span>,
}

/// A run of text with uniform inline attributes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// The characters.
    pub text: String,
    /// Stress emphasis (italic at standard scales, bold at large print).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub emphasis: bool,
    /// Strong importance (bold).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
    /// A link target: `http`, `https` or `mailto` URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Language of this span when it differs from the article's (a foreign quotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Span {
    /// A span with no attributes.
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            ..Span::default()
        }
    }

    /// Whether two spans have the same inline attributes.
    pub(crate) fn same_style(&self, other: &Span) -> bool {
        self.emphasis == other.emphasis
            && self.strong == other.strong
            && self.href == other.href
            && self.lang == other.lang
    }
}

impl Text {
    /// A text made of one plain span.
    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            spans: vec![Span::plain(text)],
        }
    }

    /// The characters of all spans, concatenated.
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        for span in &self.spans {
            s.push_str(&span.text);
        }
        s
    }

    /// True when there are no characters other than white space.
    pub(crate) fn is_blank(&self) -> bool {
        self.spans.iter().all(|s| s.text.trim().is_empty())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::plain(s)
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.spans.as_slice() {
            [] => serializer.serialize_str(""),
            [only] if only.same_style(&Span::default()) => serializer.serialize_str(&only.text),
            spans => spans.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a string or a list of spans ({\"text\": …})")]
        enum Repr {
            Plain(String),
            Spans(Vec<SpanOrString>),
        }
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a string or a span ({\"text\": …})")]
        enum SpanOrString {
            Plain(String),
            Span(Span),
        }
        Ok(match Repr::deserialize(deserializer)? {
            Repr::Plain(s) => Text::plain(s),
            Repr::Spans(v) => Text {
                spans: v
                    .into_iter()
                    .map(|s| match s {
                        SpanOrString::Plain(t) => Span::plain(t),
                        SpanOrString::Span(s) => s,
                    })
                    .collect(),
            },
        })
    }
}
