//! Tests of the HTML import.

use super::*;

fn read_str(html: &str) -> Imported {
    read(Path::new("/nonexistent/page.html"), html).unwrap()
}

#[test]
fn layout_selectors_are_valid() {
    for l in LAYOUTS {
        for s in [l.detect, l.body, l.title, l.lead, l.date, l.author] {
            Selector::parse(s).unwrap_or_else(|e| panic!("{}: `{s}`: {e}", l.name));
        }
    }
    for s in GENERIC_BODY {
        Selector::parse(s).unwrap();
    }
}

#[test]
fn json_ld_fields_win() {
    let im = read_str(
        r#"<html lang="vi"><head><title>Bài - Cổng TTĐT</title>
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},
        {"@type":"NewsArticle","headline":"Tiêu đề JSON","datePublished":"2022-11-10T08:30:00+07:00","author":[{"@type":"Person","name":"Hương Dịu"}]}]}</script>
        <meta property="og:title" content="Tiêu đề OG"></head>
        <body><article><h1>Tiêu đề JSON</h1><p>Một.</p><p>Hai.</p></article></body></html>"#,
    );
    assert_eq!(im.article.title, "Tiêu đề JSON");
    assert_eq!(im.article.date.as_deref(), Some("2022-11-10"));
    assert_eq!(im.article.author.as_deref(), Some("Hương Dịu"));
    assert_eq!(im.article.blocks.len(), 2, "{:?}", im.article.blocks);
}

#[test]
fn open_graph_and_time() {
    let im = read_str(
        r#"<html><head><meta property="og:title" content="Tiêu đề OG"><meta name="author" content="Hương Dịu"></head>
        <body><article><time datetime="2022-11-10">Thứ năm, 10/11/2022</time><p>Một.</p><p>Hai.</p></article></body></html>"#,
    );
    assert_eq!(im.article.title, "Tiêu đề OG");
    assert_eq!(im.article.date.as_deref(), Some("2022-11-10"));
    assert_eq!(im.article.author.as_deref(), Some("Hương Dịu"));
    // No `lang` on the page: left to `lang::settle`, which reads the text.
    assert_eq!(im.article.lang, None);
}

#[test]
fn chrome_scripts_and_links() {
    let im = read_str(
        r#"<html lang="vi"><body><h1>Tiêu đề</h1><article>
        <div class="toolbar"><a href="javascript:zoom(1)">Tăng cỡ chữ</a></div>
        <p>Đoạn <a href="javascript:alert(1)">một</a> có <a href="https://baobackan.vn/x">liên kết</a> và <em>nhấn</em>.</p>
        <script>document.write("không")</script><style>p{}</style>
        <p>Đoạn <a href="mailto:a@b.vn">hai</a>.</p>
        <div class="social-share">Chia sẻ Facebook</div>
        <h3>Tin liên quan</h3><p>Bài khác.</p></article></body></html>"#,
    );
    let text = crate::model::Publication::single(im.article.clone()).reading_text();
    assert!(
        !text.contains("Tăng cỡ chữ")
            && !text.contains("không")
            && !text.contains("Bài khác")
            && !text.contains("Chia sẻ"),
        "{text}"
    );
    let Block::Paragraph { text: p } = &im.article.blocks[0] else {
        panic!()
    };
    assert_eq!(p.to_plain(), "Đoạn một có liên kết và nhấn.");
    let hrefs: Vec<_> = p.spans.iter().filter_map(|s| s.href.as_deref()).collect();
    assert_eq!(hrefs, ["https://baobackan.vn/x"]);
    assert!(
        p.spans.iter().any(|s| s.emphasis && s.text == "nhấn"),
        "{:?}",
        p.spans
    );
    assert!(im.notes.iter().any(|n| n.message.contains("javascript:")));
}

#[test]
fn remote_image_keeps_its_caption() {
    let im = read_str(
        r#"<html lang="vi"><body><h1>T</h1><article><p>Một.</p>
        <figure><img src="https://backan.gov.vn/anh.jpg"><figcaption>Toàn cảnh <script>alert(1)</script>Hội thảo</figcaption></figure>
        <p>Hai.</p></article></body></html>"#,
    );
    let Block::Paragraph { text } = &im.article.blocks[1] else {
        panic!("{:?}", im.article.blocks)
    };
    assert_eq!(text.to_plain(), "Toàn cảnh Hội thảo");
    assert!(text.spans.iter().all(|s| s.emphasis));
    // Recorded as an image's text, not the article's running text.
    assert_eq!(im.image_texts, ["Toàn cảnh Hội thảo"]);
    assert!(
        im.attention()
            .any(|n| n.message.contains("only on the web"))
    );
}

#[test]
fn heading_levels_have_no_gaps_and_the_title_is_not_repeated() {
    let im = read_str(
        "<html lang=vi><body><article><h1>Tiêu đề</h1><p>Một.</p><h4>Mục</h4><p>Hai.</p><h2>Mục hai</h2></article></body></html>",
    );
    let levels: Vec<u8> = im
        .article
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(level.get()),
            _ => None,
        })
        .collect();
    assert_eq!(im.article.title, "Tiêu đề");
    assert_eq!(levels, [2, 2]);
}

#[test]
fn deep_nesting_is_refused() {
    let html = format!(
        "<html><body>{}x</body></html>",
        "<div>".repeat(MAX_DEPTH + 10)
    );
    let e = read(Path::new("p.html"), &html).unwrap_err().to_string();
    assert!(e.contains("nests elements"), "{e}");
}

#[test]
fn entity_bombs_are_just_text() {
    let html = format!(
        "<!DOCTYPE html [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><html><body><h1>T</h1><article><p>{}</p><p>&b;&amp;&#x1F600;&#0;</p></article></body></html>",
        "&amp;".repeat(10_000)
    );
    let im = read(Path::new("p.html"), &html).unwrap();
    let Block::Paragraph { text } = &im.article.blocks[1] else {
        panic!()
    };
    assert_eq!(text.to_plain(), "&b;&😀\u{fffd}");
}

#[test]
fn a_page_of_no_known_layout_is_found_by_readability_first() {
    let para = "Đây là một đoạn văn dài của bài báo, đủ dài để bộ trích xuất nhận ra nội dung chính của trang. ".repeat(4);
    let html = format!(
        "<html lang=vi><head><title>Tiêu đề bài - Báo X</title></head><body><div class=menu-top><a href='/'>Trang chủ</a></div><div id=main><div class=c><p>{para}</p><p>{para}</p><p>{para}</p></div></div></body></html>"
    );
    let im = read(Path::new("p.html"), &html).unwrap();
    assert!(
        im.notes.iter().any(|n| n
            .message
            .contains("article body: the Readability extractor")),
        "{:#?}",
        im.notes
    );
    assert_eq!(im.article.title, "Tiêu đề bài");
    assert!(im.article.blocks.len() >= 3, "{:?}", im.article.blocks);
}

const LONG_VI: &str = "Sáng nay, Ủy ban nhân dân tỉnh đã tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ năm tới, với sự tham dự của đại diện các sở, ban, ngành.";
const LONG_EN: &str = "The governor said on Monday that the state would not change its policy on the new rules for schools, despite the protests of parents and teachers.";

#[test]
fn a_field_label_hidden_body_is_kept() {
    // Whole words: `field-label-hidden` hides a label, not the body.
    let im = read_str(&format!(
        r#"<html lang="vi"><body><h1>Tiêu đề</h1><div class="field field-label-hidden"><div class="field-items">
        <p>{LONG_VI}</p><p>{LONG_VI}</p></div></div></body></html>"#
    ));
    assert_eq!(im.article.blocks.len(), 2, "{:?}", im.notes);
}

#[test]
fn what_holds_most_of_the_text_is_not_chrome() {
    let im = read_str(&format!(
        r#"<html lang="vi"><body><h1>Tiêu đề</h1><article><div class="share-wrapper"><p>{LONG_VI}</p><p>{LONG_VI}</p><p>{LONG_VI}</p></div>
        <div class="share">Chia sẻ bài viết này</div></article></body></html>"#
    ));
    assert_eq!(im.article.blocks.len(), 3, "{:?}", im.notes);
}

#[test]
fn navigation_and_link_lists_are_left_out_and_the_scored_element_is_the_story() {
    let links: String = (0..30)
        .map(|i| format!(r#"<li><a href="/a{i}">Another story number {i} about the news</a></li>"#))
        .collect();
    let html = format!(
        r#"<html><body><div id="top"><ul>{links}</ul></div>
        <div id="x1"><div id="x2"><h1>Storm hits the coast</h1><p>{LONG_EN}</p><p>{LONG_EN}</p><p>{LONG_EN}</p></div></div>
        <div id="more"><ul>{links}</ul></div></body></html>"#
    );
    let im = read_str(&html);
    let text = super::super::body_text(&im.article);
    assert_eq!(text.matches("governor").count(), 3, "{text}");
    assert!(!text.contains("Another story"), "{text}");
    // The scored element (tried when Readability finds too little) is the story's own
    // container, not the page or a link list.
    let doc = Html::parse_document(&html);
    let scores = super::score::score(doc.root_element());
    let (best, _) = scores.best.expect("an element scores above zero");
    let best = ElementRef::wrap(doc.tree.get(best).unwrap()).unwrap();
    assert_eq!(best.value().id(), Some("x2"));
}

#[test]
fn the_title_loses_the_site_name() {
    let im = read_str(&format!(
        r#"<html><head><title>Storm hits the coast | TheHill</title><meta property="og:site_name" content="TheHill">
        <meta property="og:title" content="Storm hits the coast | TheHill"></head>
        <body><article><p>{LONG_EN}</p><p>{LONG_EN}</p></article></body></html>"#
    ));
    assert_eq!(im.article.title, "Storm hits the coast");
}

#[test]
fn a_figure_with_no_image_keeps_its_text_but_not_a_lone_caption() {
    let im = read_str(&format!(
        r#"<html lang="en"><body><h1>Storm</h1><article><p>{LONG_EN}</p>
        <figure><video src="v.mp4"></video><figcaption>Photo: the storm, AP</figcaption></figure>
        <figure class="pullquote"><blockquote><p>We will rebuild the coast road this year.</p></blockquote></figure>
        <p>{LONG_EN}</p></article></body></html>"#
    ));
    let text = super::super::body_text(&im.article);
    assert!(!text.contains("Photo: the storm"), "{text}");
    assert!(text.contains("We will rebuild"), "{text}");
    assert!(
        im.notes
            .iter()
            .any(|n| n.message.contains("figure with no image")),
        "{:#?}",
        im.notes
    );
}

#[test]
fn an_embedded_post_is_not_share_chrome() {
    let im = read_str(&format!(
        r#"<html lang="en"><body><h1>Storm</h1><article><p>{LONG_EN}</p>
        <div class="social-media-embed"><blockquote class="twitter-tweet"><p>The coast road is closed tonight.</p></blockquote></div>
        <div class="social-share"><a href="https://x.example/share">Share</a></div>
        <p>{LONG_EN}</p></article></body></html>"#
    ));
    let text = super::super::body_text(&im.article);
    assert!(text.contains("The coast road is closed"), "{text}");
    assert!(!text.contains("Share"), "{text}");
}

#[test]
fn a_file_name_is_not_alt_text() {
    let im = read_str(&format!(
        r#"<html lang="en"><body><h1>Storm</h1><article><p>{LONG_EN}</p>
        <img src="https://cdn.example.com/a.jpg" alt="flos-jewels-arrangements-01">
        <img src="https://cdn.example.com/b.jpg" alt="The coast road under water">
        <p>{LONG_EN}</p></article></body></html>"#
    ));
    let text = super::super::body_text(&im.article);
    assert!(!text.contains("flos-jewels"), "{text}");
    assert!(text.contains("The coast road under water"), "{text}");
    assert_eq!(im.image_texts, ["The coast road under water"]);
}

#[test]
fn standfirst_in_the_header_is_the_lead() {
    let body =
        "Die Gemeinde hat am Montag beschlossen, den Markt im Sommer wieder zu öffnen. ".repeat(3);
    let im = read_str(&format!(
        r#"<html><head><title>Markt öffnet</title></head><body><article>
        <header><h1>Markt öffnet</h1><p class="atc-IntroText">Nach zwei Jahren Pause kehrt der Wochenmarkt auf den Platz zurück.</p>
        <div class="post-author-bio"><p class="lead">Anna Muster schreibt über Städte und Märkte seit vielen Jahren.</p></div></header>
        <div class="article-body"><p>{body}</p><p>{body}</p><p>{body}</p>
        <h3>Das könnte Sie auch interessieren</h3><p>Ein ganz anderer Artikel über etwas anderes, mit viel Text.</p></div>
        </article></body></html>"#
    ));
    let lead = im.article.lead.as_ref().map(|l| l.to_plain());
    assert_eq!(
        lead.as_deref(),
        Some("Nach zwei Jahren Pause kehrt der Wochenmarkt auf den Platz zurück.")
    );
    let text: String = im.article.blocks.iter().map(|b| format!("{b:?}")).collect();
    assert!(!text.contains("Anna Muster"), "{text}");
    assert!(!text.contains("ganz anderer Artikel"), "{text}");
    assert!(
        text.contains("Wochenmarkt") || text.contains("Gemeinde"),
        "{text}"
    );
}

#[test]
fn ruby_keeps_the_base_text_in_its_paragraph_and_drops_the_reading() {
    // Japanese pages (NHK News Web Easy) annotate words with their reading in <rt>.
    let im = read_str(
        r#"<html lang="ja"><body><h1>ニュース</h1><article>
        <p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができて、親が子どもを教育するために、たたいたりすることをしてはいけないことになりました。</p>
        <p>最近、親に虐待された子どもを児童相談所が守ることができなくて、子どもが亡くなる事件がありました。</p>
        </article></body></html>"#,
    );
    let first = match &im.article.blocks[0] {
        Block::Paragraph { text } => text.to_plain(),
        b => panic!("{b:?}"),
    };
    assert!(
        first.starts_with("子どもへの虐待をなくすための法律ができて、"),
        "{first}"
    );
    assert_eq!(im.article.blocks.len(), 2, "{:?}", im.article.blocks);
}
