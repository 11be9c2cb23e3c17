//! Unit tests of the braille edition on small articles made here.

use std::path::Path;

use super::format::{BLANK, DOTS_36};
use super::translate::tests::test_dirs;
use super::*;
use crate::input::{Format, parse_article};
use crate::model::Block;
use crate::pagemap::{ArticlePart, PageStart, TextAnchor};

fn article(md: &str) -> Prepared {
    crate::prepare(Publication::single(
        parse_article(Path::new("examples/bac-kan/t.md"), Format::Markdown, md)
            .unwrap_or_else(|e| panic!("{e}")),
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn options(cols: usize, rows: usize) -> BrailleOptions {
    BrailleOptions {
        geometry: Geometry { cols, rows },
        table_dirs: test_dirs(),
        ..BrailleOptions::default()
    }
}

fn back(cells: &str, table: &str) -> String {
    super::louis::back_translate(table, cells, 0).unwrap()
}

const VI: &str = "---\ntitle: Bắc Kạn họp\nauthor: Hương Dịu\ndate: 2022-11-10\nlang: vi\n---\n\nĐồng chí Phương Thị Thanh phát biểu tại Hội thảo ngày 10 tháng 11 năm 2022.\n\n![Hội trường nhìn từ phía sau](img/toan-canh-hoi-thao.png \"Toàn cảnh Hội thảo\")\n\n## Kết quả\n\n- Một\n- Hai\n\n> Đây là tài liệu quý.\n";

/// Every page and line fits the geometry, at two page sizes.
#[test]
fn geometry_holds_at_two_page_sizes() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let p = article(&VI.replace(
        "năm 2022.",
        &"năm 2022. Tiếp tục đổi mới phương thức lãnh đạo của Đảng. ".repeat(30),
    ));
    for (cols, rows) in [(40, 25), (28, 18)] {
        let out = write_braille(&p, None, &options(cols, rows)).unwrap();
        assert!(out.pages() > 2, "{cols}x{rows}");
        for v in &out.volumes {
            for page in &v.pages {
                assert!(
                    page.len() <= rows,
                    "{cols}x{rows}: page of {} lines",
                    page.len()
                );
                for l in page {
                    assert!(l.chars().count() <= cols, "{cols}x{rows}: line {l}");
                    assert!(l.chars().all(|c| ('\u{2800}'..='\u{283F}').contains(&c)));
                }
            }
        }
        // BRF: the same pages, CR LF and one form feed per page.
        let brf = String::from_utf8(out.brf.clone()).unwrap();
        assert_eq!(brf.matches('\x0c').count(), out.pages());
        assert!(!brf.replace("\r\n", "").contains('\n'));
        let pef = String::from_utf8(out.pef.clone()).unwrap();
        assert!(pef.contains(&format!("cols=\"{cols}\" rows=\"{rows}\"")));
    }
}

/// The title page, running head and page numbers.
#[test]
fn title_page_running_head_and_page_numbers() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let p = article(VI);
    let out = write_braille(&p, None, &options(40, 25)).unwrap();
    let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
    let pl = |_: &str| Place {
        file: "t".into(),
        part: "t".into(),
    };
    let title = t.translate("Bắc Kạn họp", &pl("")).unwrap();
    let pages = &out.volumes[0].pages;
    assert!(
        pages[0][0].contains(&title),
        "title page starts with the title"
    );
    let produced = t.translate("Sản xuất bằng anpham", &pl("")).unwrap();
    assert!(pages[0].iter().any(|l| l.contains(&produced)));
    // Page 1 of the body: the running head (the title) and the braille number 1 at the right.
    let one = t.translate("1", &pl("")).unwrap();
    assert!(pages[1][0].ends_with(&one) && pages[1][0].contains(&title));
}

/// Print page indicators follow the page map, mid-paragraph included, in order.
#[test]
fn print_page_indicators_follow_the_page_map() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let p = article(VI);
    let para = p.articles[0].blocks[0].clone();
    let Block::Paragraph { text } = para else {
        panic!()
    };
    let plain = text.to_plain();
    let mid = plain.find("Hội thảo").unwrap();
    let at = |part, offset, label: &str| PageStart {
        label: label.into(),
        anchor: TextAnchor::Article {
            article: 0,
            part,
            offset,
        },
    };
    let map = PageMap {
        source: "test".into(),
        pages: vec![
            PageStart {
                label: "i".into(),
                anchor: TextAnchor::FrontMatter,
            },
            at(ArticlePart::Title, 0, "1"),
            at(ArticlePart::Block(0), mid, "2"),
            at(ArticlePart::Block(1), 0, "3"),
            at(ArticlePart::Item(3, 1), 0, "4"),
        ],
    };
    let out = write_braille(&p, Some(&map), &options(40, 25)).unwrap();
    assert_eq!(out.print_pages, vec!["1", "2", "3", "4"]);
    let lines: Vec<&String> = out.volumes[0].pages[1..]
        .iter()
        .flat_map(|pg| pg.iter().skip(1))
        .collect();
    let indicators: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(&DOTS_36.to_string().repeat(10)))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(indicators.len(), 4);
    // Page 2 begins inside the paragraph: the line after it starts with "Hội thảo" in cell 1.
    let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
    let hoi = t
        .translate(
            "Hội",
            &Place {
                file: "t".into(),
                part: "t".into(),
            },
        )
        .unwrap();
    assert!(
        lines[indicators[1] + 1].starts_with(&hoi),
        "{}",
        lines[indicators[1] + 1]
    );
    assert!(!lines[indicators[1] - 1].is_empty());
}

/// A figure becomes a transcriber's note in cell 7 with its alt text and caption.
#[test]
fn figure_is_a_transcribers_note() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let p = article(VI);
    let out = write_braille(&p, None, &options(40, 25)).unwrap();
    let lines: Vec<&String> = out.volumes[0].pages[1..]
        .iter()
        .flat_map(|pg| pg.iter().skip(1))
        .collect();
    let k = lines
        .iter()
        .position(|l| {
            l.starts_with(&BLANK.to_string().repeat(6))
                && !l.starts_with(&BLANK.to_string().repeat(7))
        })
        .expect("a line in cell 7");
    let mut note = String::new();
    for l in &lines[k..] {
        if l.is_empty() || !l.starts_with(&BLANK.to_string().repeat(4)) {
            break;
        }
        note.push_str(l.trim_start_matches(BLANK));
        note.push(BLANK);
    }
    let vi = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
    let table = format!("unicode.dis,{}", vi.table());
    let text = back(&note, &table);
    assert!(text.contains("Ghi chú của người chuyển chữ nổi"), "{text}");
    assert!(text.contains("Hội trường nhìn từ phía sau"), "{text}");
    assert!(text.contains("Toàn cảnh Hội thảo"), "{text}");
}

/// An English article is translated with UEB (grade 1 by default, grade 2 on request).
#[test]
fn english_article_uses_ueb() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let md = "---\ntitle: Rain in the hills\nlang: en\n---\n\nThe people of the province welcomed the rain.\n";
    let p = article(md);
    let g1 = write_braille(&p, None, &options(40, 25)).unwrap();
    let ueb1 = Translator::new("en", Grade::G1, &test_dirs()).unwrap();
    assert!(ueb1.table().ends_with("en-ueb-g1.ctb"));
    let pl = Place {
        file: "t".into(),
        part: "t".into(),
    };
    let people = ueb1.translate("people", &pl).unwrap();
    let body: String = g1.volumes[0].pages[1..].iter().flatten().cloned().collect();
    assert!(body.contains(&people));
    let mut o2 = options(40, 25);
    o2.grade = Grade::G2;
    let g2 = write_braille(&p, None, &o2).unwrap();
    let ueb2 = Translator::new("en", Grade::G2, &test_dirs()).unwrap();
    // In grade 2 "people" is one cell (the alphabetic wordsign p).
    assert_eq!(ueb2.translate("people", &pl).unwrap(), "\u{280F}");
    assert!(g2.brf.len() < g1.brf.len());
    assert!(
        String::from_utf8(g2.pef)
            .unwrap()
            .contains("<dc:language>en</dc:language>")
    );
}

/// A character with no braille is written by its fallback, with a warning naming the file,
/// the part and the character; the edition is made (issue #30).
#[test]
fn character_without_braille_is_a_located_warning() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let p = article(
        "---\ntitle: Giá\nlang: vi\n---\n\nMột.\n\nGiá hôm nay là 5 \u{20BF}, trời 30\u{2070}C.\n",
    );
    let out = write_braille(&p, None, &options(40, 25)).unwrap();
    let w: Vec<String> = out.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(
        w[0].contains("examples/bac-kan/t.md")
            && w[0].contains("article 1, block 2")
            && w[0].contains("U+20BF")
            && w[0].contains("bitcoin"),
        "{w:#?}"
    );
    assert!(w[1].contains("U+2070"), "{w:#?}");
    assert_eq!(
        braille_warnings(&p, &options(40, 25)).unwrap(),
        out.warnings
    );
    let vi = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
    let body: String = out.volumes[0].pages[1..]
        .iter()
        .flatten()
        .map(|l| format!("{l}\u{2800}"))
        .collect();
    let text = back(&body, &format!("unicode.dis,{}", vi.table()));
    assert!(text.contains("5 bitcoin"), "{text}");
}

/// Volumes break at article boundaries and each has its own title page and contents.
#[test]
fn volumes_split_at_article_boundaries() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let one = article(VI);
    let a = one.articles[0].clone();
    let mut bulletin = Publication::single(a.clone());
    bulletin.articles = vec![a.clone(), a.clone(), a];
    bulletin.title = "Bản tin".into();
    let p = crate::prepare(bulletin).unwrap_or_else(|e| panic!("{e}"));
    let mut o = options(40, 25);
    o.volume_sheets = 4;
    let out = write_braille(&p, None, &o).unwrap();
    assert!(out.volumes.len() >= 2, "{} volumes", out.volumes.len());
    let t = Translator::new("vi", Grade::G0, &test_dirs()).unwrap();
    let pl = Place {
        file: "t".into(),
        part: "t".into(),
    };
    let n = out.volumes.len();
    for (k, v) in out.volumes.iter().enumerate() {
        let tap = t.translate(&format!("Tập {}/{n}", k + 1), &pl).unwrap();
        assert!(
            v.pages[0].iter().any(|l| l.contains(&tap)),
            "volume {k} title page"
        );
        let contents = t.translate("Mục lục", &pl).unwrap();
        assert!(
            v.pages[1].iter().any(|l| l.contains(&contents)),
            "volume {k} contents"
        );
    }
    let pef = String::from_utf8(out.pef).unwrap();
    assert_eq!(pef.matches("<volume ").count(), n);
}

/// The braille's print page indicators are the large print's pages (its layout's page
/// map, which the print edition draws), in order.
#[test]
fn print_page_indicators_equal_the_print_page_map() {
    if !super::louis::loaded_or_skip() {
        return;
    }
    let md = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bac-kan/bac-kan.md");
    let (p, _) = crate::input::load_prepared(&[md]).unwrap();
    let options =
        crate::editions::EditionRequest::new().layout_options(crate::scale::FontScale::LARGE);
    let print = crate::layout::layout(&p, &options).unwrap();
    let out = write_braille(&p, Some(&print.page_map), &BrailleOptions::default()).unwrap();
    let print_labels: Vec<&str> = print
        .page_map
        .pages
        .iter()
        .filter(|s| matches!(s.anchor, TextAnchor::Article { .. }))
        .map(|s| s.label.as_str())
        .collect();
    assert!(print_labels.len() > 5);
    assert_eq!(out.print_pages, print_labels);
    // Each indicator is one line of the pages, in the same order.
    let lines = out
        .volumes
        .iter()
        .flat_map(|v| &v.pages)
        .flatten()
        .filter(|l| l.starts_with(&"\u{2824}".repeat(10)))
        .count();
    assert_eq!(lines, print_labels.len());
}
