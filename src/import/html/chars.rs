//! Counting the text characters of an element, as the page's reader sees them.

use scraper::{ElementRef, Node};

/// All text characters under `e` (white space collapsed).
pub(super) fn text_chars(e: ElementRef<'_>, depth: usize) -> usize {
    let mut n = 0;
    let mut last_space = true;
    for d in e.descendants().take(200_000) {
        if let Node::Text(t) = d.value() {
            let parent = d
                .parent()
                .and_then(|p| p.value().as_element().map(|x| x.name()));
            if matches!(parent, Some("script" | "style" | "template")) {
                continue;
            }
            for c in t.chars() {
                if c.is_whitespace() {
                    if !last_space {
                        n += 1;
                        last_space = true;
                    }
                } else {
                    n += 1;
                    last_space = false;
                }
            }
        }
    }
    let _ = depth;
    n
}
