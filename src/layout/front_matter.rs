//! A bulletin's front matter: the title page with the publication's title, description,
//! publisher and date, and the contents with each article's page, numbered i, ii, ….

use super::pager::Pager;
use super::typeset::{BlockStyle, Flow, Typesetter, plain};
use super::{FrontPart, Line, LinkTarget, Owner, Page};
use crate::labels;
use crate::model::Publication;

/// A bulletin's front matter pages: the title page, then the contents, whose entries
/// link to `labels` (each article's first page: its label and page index).
pub(super) fn front_matter(
    ts: &Typesetter<'_>,
    p: &Publication,
    labels: &[(String, usize)],
    ph: f32,
    margin: f32,
    gutter: f32,
) -> Vec<Page> {
    let mut pager = Pager::new(ph, margin, gutter, ts, &p.title, &p.lang);
    pager.front = true;
    pager.new_page();
    let mut flows = title_page_flows(ts, p);
    contents_flows(ts, p, labels, &mut flows);
    let mut outline = Vec::new();
    pager.place_all(flows, &mut outline, None);
    pager.finish()
}

/// The title page's flows: the title, the description, the publisher and date line.
fn title_page_flows(ts: &Typesetter<'_>, p: &Publication) -> Vec<Flow> {
    let m = ts.metrics;
    let lang = p.lang.as_str();
    let mut title_st = ts.style(m.heading_pt[0] * 1.15);
    title_st.bold = true;
    title_st.space_after = 0.8 * m.body_pt;
    let mut flows = Vec::new();
    let lines = ts.set(
        Owner::Front(FrontPart::Title),
        plain(&p.title, &title_st),
        &title_st,
        lang,
        None,
    );
    ts.push_lines(&mut flows, lines, title_st);
    if let Some(d) = &p.description {
        let st = ts.style(m.body_pt);
        let lines = ts.set(
            Owner::Front(FrontPart::Description),
            plain(d, &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    let meta: Vec<String> = [
        p.publisher.clone(),
        p.date.as_deref().map(|d| labels::display_date(d, lang)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !meta.is_empty() {
        let st = ts.style(m.body_pt);
        let lines = ts.set(
            Owner::Front(FrontPart::Meta),
            plain(&meta.join(" — "), &st),
            &st,
            lang,
            None,
        );
        ts.push_lines(&mut flows, lines, st);
    }
    flows
}

/// Appends the contents to `flows`: its heading, kept with the first entry, then one
/// entry per article, kept on one page.
fn contents_flows(
    ts: &Typesetter<'_>,
    p: &Publication,
    labels: &[(String, usize)],
    flows: &mut Vec<Flow>,
) {
    let m = ts.metrics;
    let lang = p.lang.as_str();
    let mut h_st = ts.style(m.heading_pt[1]);
    h_st.bold = true;
    h_st.keep_with_next = true;
    h_st.space_before = 0.8 * m.body_pt;
    let lines = ts.set(
        Owner::Front(FrontPart::TocHeading),
        plain(labels::for_lang(lang).toc, &h_st),
        &h_st,
        lang,
        None,
    );
    ts.push_lines(flows, lines, h_st);
    for (i, a) in p.articles.iter().enumerate() {
        let mut st = ts.style(m.body_pt);
        st.space_after = 0.3 * m.body_pt;
        st.indent = 0.0;
        st.keep_together = true;
        let lines = contents_entry(ts, i, &a.title, &labels[i], &st, lang);
        ts.push_lines(flows, lines, st);
    }
}

/// The contents entry of article `i`: its title, then its first page's label on its own
/// right-aligned run of the last line, every run a link to that page.
fn contents_entry(
    ts: &Typesetter<'_>,
    i: usize,
    title: &str,
    (label, page): &(String, usize),
    st: &BlockStyle,
    lang: &str,
) -> Vec<Line> {
    let m = ts.metrics;
    let text = format!("{title} ");
    let mut lines = {
        let narrow = Typesetter {
            width: ts.width - 3.0 * m.body_pt,
            ..*ts
        };
        narrow.set(
            Owner::Front(FrontPart::TocEntry(i)),
            plain(&text, st),
            st,
            lang,
            None,
        )
    };
    let num = ts.set(
        Owner::Front(FrontPart::TocEntry(i)),
        plain(label, st),
        st,
        lang,
        None,
    );
    if let (Some(last), Some(n)) = (lines.last_mut(), num.into_iter().next()) {
        for mut r in n.runs {
            r.x = ts.width - r.width;
            last.runs.push(r);
        }
    }
    for l in &mut lines {
        for r in &mut l.runs {
            r.link = Some(LinkTarget::Page(*page, 0.0));
        }
    }
    lines
}
