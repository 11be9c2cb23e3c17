//! Model → flows: each article's title, byline, lead and blocks set into lines (in
//! parallel), with the styles and spacings of each kind of block.

use rayon::prelude::*;

use super::typeset::{BlockStyle, Flow, Typesetter, plain, styled};
use super::{Line, Owner};
use crate::address::{self, ArticlePart};
use crate::model::{Article, Block, Figure, Text};

pub(super) fn article_flows(ts: &Typesetter<'_>, ai: usize, a: &Article, lang: &str) -> Vec<Flow> {
    let m = ts.metrics;
    let body = m.body_pt;
    let mut flows = Vec::new();
    // Title.
    let mut st = ts.style(m.heading_pt[0]);
    st.bold = true;
    st.keep_with_next = true;
    st.space_after = 0.5 * body;
    let lines = ts.set(
        Owner::Article(ai, ArticlePart::Title),
        plain(&a.title, &st),
        &st,
        lang,
        None,
    );
    ts.push_heading(&mut flows, lines, st, 1, a.title.clone());
    // Byline.
    if let Some(b) = address::byline(a, lang) {
        let mut st = ts.style(m.caption_pt);
        st.keep_with_next = true;
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Meta),
            plain(&b, &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    // Lead.
    if let Some(lead) = &a.lead {
        let mut st = ts.style(body);
        st.bold = true;
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Lead),
            styled(lead, &st, ts.large),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    // Blocks are set (shaped and broken into lines) in parallel; pagination, which
    // needs them in order, comes after.
    let blocks: Vec<Vec<Flow>> = a
        .blocks
        .par_iter()
        .enumerate()
        .map(|(bi, block)| block_flows(ts, ai, bi, block, lang))
        .collect();
    flows.extend(blocks.into_iter().flatten());
    flows
}

/// The flows of one block of article `ai` (paragraphs, headings, quotes, list items,
/// figures with their captions).
pub(super) fn block_flows(
    ts: &Typesetter<'_>,
    ai: usize,
    bi: usize,
    block: &Block,
    lang: &str,
) -> Vec<Flow> {
    let at = BlockAt { ts, ai, bi, lang };
    let mut flows = Vec::new();
    match block {
        Block::Paragraph { text } => at.paragraph(&mut flows, text),
        Block::Heading { level, text } => at.heading(&mut flows, level.get(), text),
        Block::Quote { text, attribution } => at.quote(&mut flows, text, attribution.as_deref()),
        Block::List { ordered, items } => at.list(&mut flows, *ordered, items),
        Block::Figure(f) => at.figure(&mut flows, f),
    }
    flows
}

/// Block `bi` of article `ai`, being set.
struct BlockAt<'a> {
    ts: &'a Typesetter<'a>,
    ai: usize,
    bi: usize,
    lang: &'a str,
}

impl BlockAt<'_> {
    fn owner(&self, part: ArticlePart) -> Owner {
        Owner::Article(self.ai, part)
    }

    /// The block's own text in a style.
    fn set_text(&self, st: &BlockStyle, text: &Text) -> Vec<Line> {
        let ts = self.ts;
        let owner = self.owner(ArticlePart::Block(self.bi));
        ts.set(owner, styled(text, st, ts.large), st, self.lang, None)
    }

    fn paragraph(&self, flows: &mut Vec<Flow>, text: &Text) {
        let st = self.ts.style(self.ts.metrics.body_pt);
        self.ts.push_lines(flows, self.set_text(&st, text), st);
    }

    fn heading(&self, flows: &mut Vec<Flow>, level: u8, text: &Text) {
        let (m, body) = (self.ts.metrics, self.ts.metrics.body_pt);
        let lvl = level.clamp(2, 6) as usize;
        let mut st = self.ts.style(m.heading_pt[lvl - 1]);
        st.bold = true;
        st.keep_with_next = true;
        st.space_before = 0.6 * body;
        st.space_after = 0.3 * body;
        let lines = self.set_text(&st, text);
        self.ts
            .push_heading(flows, lines, st, level, text.to_plain());
    }

    fn quote(&self, flows: &mut Vec<Flow>, text: &Text, attribution: Option<&str>) {
        let ts = self.ts;
        let body = ts.metrics.body_pt;
        let mut st = ts.style(body);
        st.indent = 1.5 * body;
        st.italic = !ts.large;
        st.space_before = 0.2 * body;
        if attribution.is_some() {
            st.space_after = 0.1 * body;
        }
        ts.push_lines(flows, self.set_text(&st, text), st);
        if let Some(at) = attribution {
            let mut st = ts.style(body);
            st.indent = 1.5 * body;
            let owner = self.owner(ArticlePart::Attribution(self.bi));
            let printed = address::printed_attribution(at);
            let mut lines = ts.set(owner, plain(&printed, &st), &st, self.lang, None);
            for l in &mut lines {
                l.offset = address::attribution_offset(l.offset);
            }
            ts.push_lines(flows, lines, st);
        }
    }

    fn list(&self, flows: &mut Vec<Flow>, ordered: bool, items: &[Text]) {
        let ts = self.ts;
        let body = ts.metrics.body_pt;
        for (j, item) in items.iter().enumerate() {
            let mut st = ts.style(body);
            st.indent = if ordered { 2.0 * body } else { 1.5 * body };
            st.space_after = if j + 1 == items.len() {
                ts.metrics.paragraph_gap_em * body
            } else {
                0.25 * body
            };
            let label = if ordered {
                format!("{}.", j + 1)
            } else {
                "•".to_string()
            };
            let lines = ts.set(
                self.owner(ArticlePart::Item(self.bi, j)),
                styled(item, &st, ts.large),
                &st,
                self.lang,
                Some((Owner::ListLabel(self.ai, self.bi, j), &label)),
            );
            ts.push_lines(flows, lines, st);
        }
    }

    fn figure(&self, flows: &mut Vec<Flow>, f: &Figure) {
        // A prepared publication's figures all have their image (prepare refuses a
        // missing one); nothing is drawn for one built otherwise.
        let Some(img) = &f.image else {
            return;
        };
        let ts = self.ts;
        let mut st = ts.style(ts.metrics.caption_pt);
        st.space_before = 0.3 * ts.metrics.body_pt;
        let owner = self.owner(ArticlePart::Caption(self.bi));
        let mut caption = match &f.caption {
            Some(c) => ts.set(owner, styled(c, &st, ts.large), &st, self.lang, None),
            None => Vec::new(),
        };
        if let Some(credit) = &f.credit {
            let shift = address::credit_offset(f);
            let mut lines = ts.set(owner, plain(credit, &st), &st, self.lang, None);
            for l in &mut lines {
                l.offset += shift;
            }
            caption.extend(lines);
        }
        flows.push(Flow::Figure {
            article: self.ai,
            block: self.bi,
            aspect: img.height as f32 / img.width as f32,
            // 150 dpi is the least a photo should print at.
            natural_width: img.width as f32 * 72.0 / 150.0,
            caption,
            pitch: ts.pitch(st.size),
            style: st,
        });
    }
}
