//! Model → flows: each article's title, byline, lead and blocks set into lines (in
//! parallel), with the styles and spacings of each kind of block.

use rayon::prelude::*;

use super::Owner;
use super::typeset::{BlockStyle, Flow, Typesetter, plain, styled};
use crate::address::{self, ArticlePart};
use crate::model::{Article, Block, Text};

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
    let m = ts.metrics;
    let body = m.body_pt;
    let mut flows = Vec::new();
    // The block's own text, in a style.
    let set_block = |flows: &mut Vec<Flow>, st: BlockStyle, text: &Text| {
        let lines = ts.set(
            Owner::Article(ai, ArticlePart::Block(bi)),
            styled(text, &st, ts.large),
            &st,
            lang,
            None,
        );
        ts.push_lines(flows, lines, st);
    };
    match block {
        Block::Paragraph { text } => set_block(&mut flows, ts.style(body), text),
        Block::Heading { level, text } => {
            let lvl = (*level).clamp(2, 6) as usize;
            let mut st = ts.style(m.heading_pt[lvl - 1]);
            st.bold = true;
            st.keep_with_next = true;
            st.space_before = 0.6 * body;
            st.space_after = 0.3 * body;
            let lines = ts.set(
                Owner::Article(ai, ArticlePart::Block(bi)),
                styled(text, &st, ts.large),
                &st,
                lang,
                None,
            );
            ts.push_heading(&mut flows, lines, st, *level, text.to_plain());
        }
        Block::Quote { text, attribution } => {
            let mut st = ts.style(body);
            st.indent = 1.5 * body;
            st.italic = !ts.large;
            st.space_before = 0.2 * body;
            let has_attr = attribution.is_some();
            if has_attr {
                st.space_after = 0.1 * body;
            }
            let lines = ts.set(
                Owner::Article(ai, ArticlePart::Block(bi)),
                styled(text, &st, ts.large),
                &st,
                lang,
                None,
            );
            ts.push_lines(&mut flows, lines, st);
            if let Some(at) = attribution {
                let mut st = ts.style(body);
                st.indent = 1.5 * body;
                let mut lines = ts.set(
                    Owner::Article(ai, ArticlePart::Attribution(bi)),
                    plain(&address::printed_attribution(at), &st),
                    &st,
                    lang,
                    None,
                );
                for l in &mut lines {
                    l.offset = address::attribution_offset(l.offset);
                }
                ts.push_lines(&mut flows, lines, st);
            }
        }
        Block::List { ordered, items } => {
            for (j, item) in items.iter().enumerate() {
                let mut st = ts.style(body);
                st.indent = if *ordered { 2.0 * body } else { 1.5 * body };
                st.space_after = if j + 1 == items.len() {
                    m.paragraph_gap_em * body
                } else {
                    0.25 * body
                };
                let label = if *ordered {
                    format!("{}.", j + 1)
                } else {
                    "•".to_string()
                };
                let lines = ts.set(
                    Owner::Article(ai, ArticlePart::Item(bi, j)),
                    styled(item, &st, ts.large),
                    &st,
                    lang,
                    Some((Owner::ListLabel(ai, bi, j), &label)),
                );
                ts.push_lines(&mut flows, lines, st);
            }
        }
        Block::Figure(f) => {
            let Some(img) = &f.image else {
                return flows;
            };
            let mut st = ts.style(m.caption_pt);
            st.space_before = 0.3 * body;
            let mut caption = match &f.caption {
                Some(c) => ts.set(
                    Owner::Article(ai, ArticlePart::Caption(bi)),
                    styled(c, &st, ts.large),
                    &st,
                    lang,
                    None,
                ),
                None => Vec::new(),
            };
            if let Some(credit) = &f.credit {
                let shift = address::credit_offset(f);
                let mut lines = ts.set(
                    Owner::Article(ai, ArticlePart::Caption(bi)),
                    plain(credit, &st),
                    &st,
                    lang,
                    None,
                );
                for l in &mut lines {
                    l.offset += shift;
                }
                caption.extend(lines);
            }
            flows.push(Flow::Figure {
                article: ai,
                block: bi,
                aspect: img.height as f32 / img.width as f32,
                // 150 dpi is the least a photo should print at.
                natural_width: img.width as f32 * 72.0 / 150.0,
                caption,
                pitch: ts.pitch(st.size),
                style: st,
            });
        }
    }
    flows
}
