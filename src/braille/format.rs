//! The braille page: lines of cells laid out the way braille books are (BANA *Braille
//! Formats* as DAISY Pipeline 2 applies it), independent of the file format.
//!
//! A block is a run of translated pieces; [`Flow`] breaks it into lines at blank cells
//! (never inside a word, unless one word is wider than the line), with the block style's
//! first-line and runover indents, and inserts a **print page indicator** line (a row of
//! dots 3-6 ending in the print page number) where a print page begins. [`paginate`] cuts
//! the lines into pages below a running-head line.

/// A blank braille cell.
pub const BLANK: char = '\u{2800}';
/// Dots 3-6, the cell of the print page indicator line.
pub const DOTS_36: char = '\u{2824}';
/// Dot 5, the guide dots of a contents entry.
pub const DOT_5: char = '\u{2810}';

/// Page size in cells and lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// Cells per line.
    pub cols: usize,
    /// Lines per page.
    pub rows: usize,
}

impl Geometry {
    /// The North American default, 40 cells × 25 lines.
    pub const DEFAULT: Geometry = Geometry { cols: 40, rows: 25 };

    /// The smallest page anpham lays out (a running head, a page number and a few words).
    pub const MIN: Geometry = Geometry { cols: 20, rows: 5 };

    /// Parses `40x25`.
    pub(crate) fn parse(s: &str) -> Option<Geometry> {
        let (c, r) = s.split_once(['x', 'X', '×'])?;
        let g = Geometry {
            cols: c.trim().parse().ok()?,
            rows: r.trim().parse().ok()?,
        };
        (g.cols >= Self::MIN.cols && g.rows >= Self::MIN.rows && g.cols <= 100 && g.rows <= 100)
            .then_some(g)
    }

    /// Lines below the running head.
    pub(crate) fn body_rows(self) -> usize {
        self.rows - 1
    }
}

/// How a block's lines are indented (cells before the first line and before runovers),
/// as BANA's paragraph, list, heading and note styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Centered heading, blank line before (an article title).
    Centered,
    /// Cell-5 heading, blank line before, kept with the next line.
    Heading,
    /// Paragraph: first line in cell 3, runovers in cell 1.
    Paragraph,
    /// Block starting in cell 1 with runovers in cell 1 (byline).
    Flush,
    /// List item: cell 1, runovers in cell 3.
    ListItem,
    /// Quotation: blank lines around it, lines in cell 3.
    Quote,
    /// Transcriber's note: cell 7, runovers in cell 5.
    Note,
}

impl Style {
    fn indents(self) -> (usize, usize) {
        match self {
            Style::Centered | Style::Flush => (0, 0),
            Style::Heading => (4, 4),
            Style::Paragraph => (2, 0),
            Style::ListItem => (0, 2),
            Style::Quote => (2, 2),
            Style::Note => (6, 4),
        }
    }
}

/// A piece of a block: braille text, or the start of a print page (its braille number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Translated cells (a blank cell separates words).
    Cells(String),
    /// A print page begins here; the label is already translated.
    PrintPage(String),
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The cells.
    pub cells: String,
    /// Keep on the same page as the next line (headings).
    pub keep: bool,
}

/// Lines of running text, before pagination.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// The lines; an empty `cells` is a blank line.
    pub lines: Vec<Line>,
    /// Words longer than a line that had to be divided.
    pub divided_words: usize,
    cols: usize,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// The print page indicator line: dots 3-6 across, a blank, the print page number.
pub fn print_page_line(label: &str, cols: usize) -> String {
    let n = width(label).min(cols.saturating_sub(2));
    let label: String = label.chars().take(n).collect();
    let mut s: String = std::iter::repeat_n(DOTS_36, cols - n - 1).collect();
    s.push(BLANK);
    s.push_str(&label);
    s
}

impl Flow {
    /// An empty flow for lines of `cols` cells.
    pub fn new(cols: usize) -> Flow {
        Flow {
            lines: Vec::new(),
            divided_words: 0,
            cols,
        }
    }

    /// Adds a blank line unless the flow is empty or already ends in one.
    pub fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.cells.is_empty()) {
            self.lines.push(Line {
                cells: String::new(),
                keep: false,
            });
        }
    }

    fn push(&mut self, cells: String, keep: bool) {
        self.lines.push(Line { cells, keep });
    }

    /// Lays out one block.
    pub fn block(&mut self, style: Style, pieces: &[Piece]) {
        if matches!(style, Style::Centered | Style::Heading | Style::Quote) {
            self.blank();
        }
        let keep = matches!(style, Style::Centered | Style::Heading);
        let (first, runover) = style.indents();
        let start = self.lines.len();
        let mut line = String::new();
        let mut indent = first;
        let mut at_start = true;
        for piece in pieces {
            match piece {
                Piece::PrintPage(label) => {
                    if !line.is_empty() {
                        self.push(finish(&line, indent, style, self.cols), keep);
                        line.clear();
                        if !at_start {
                            indent = runover;
                        }
                    }
                    self.push(print_page_line(label, self.cols), false);
                }
                Piece::Cells(cells) => {
                    for word in cells.split(BLANK).filter(|w| !w.is_empty()) {
                        let mut word = word.to_string();
                        let mut divided = false;
                        loop {
                            let avail = self.cols - indent;
                            let need = if line.is_empty() {
                                width(&word)
                            } else {
                                width(&line) + 1 + width(&word)
                            };
                            if need <= avail {
                                if !line.is_empty() {
                                    line.push(BLANK);
                                }
                                line.push_str(&word);
                                at_start = false;
                                break;
                            }
                            if !line.is_empty() {
                                self.push(finish(&line, indent, style, self.cols), keep);
                                line.clear();
                                indent = runover;
                                continue;
                            }
                            // One word wider than the line: divide it.
                            if !divided {
                                self.divided_words += 1;
                                divided = true;
                            }
                            let head: String = word.chars().take(avail).collect();
                            word = word.chars().skip(avail).collect();
                            self.push(finish(&head, indent, style, self.cols), keep);
                            indent = runover;
                        }
                    }
                }
            }
        }
        if !line.is_empty() {
            self.push(finish(&line, indent, style, self.cols), keep);
        }
        if self.lines.len() == start {
            return;
        }
        if keep {
            // The last line of a heading need not be kept with the next line if nothing follows;
            // pagination treats it as kept, which is what a heading wants.
        } else if let Some(l) = self.lines.last_mut() {
            l.keep = false;
        }
        if style == Style::Quote {
            self.blank();
        }
    }
}

fn finish(line: &str, indent: usize, style: Style, cols: usize) -> String {
    let pad = if style == Style::Centered {
        (cols - width(line)) / 2
    } else {
        indent
    };
    let mut s: String = std::iter::repeat_n(BLANK, pad).collect();
    s.push_str(line);
    s
}

/// Centers `text` (translated cells) in lines of `cols` cells, breaking between words.
pub fn centered(text: &str, cols: usize) -> Vec<String> {
    let mut f = Flow::new(cols);
    f.block(Style::Flush, &[Piece::Cells(text.to_string())]);
    f.lines
        .into_iter()
        .map(|l| {
            let pad = (cols - width(&l.cells)) / 2;
            let mut s: String = std::iter::repeat_n(BLANK, pad).collect();
            s.push_str(&l.cells);
            s
        })
        .collect()
}

/// Cuts a flow into pages of `rows` lines: no page starts with a blank line, and a kept
/// line (a heading) moves to the next page rather than end one.
pub fn paginate(flow: &[Line], rows: usize) -> Vec<Vec<String>> {
    let mut pages: Vec<Vec<String>> = Vec::new();
    let mut page: Vec<String> = Vec::new();
    let mut i = 0;
    while i < flow.len() {
        let line = &flow[i];
        if page.is_empty() && line.cells.is_empty() {
            i += 1;
            continue;
        }
        // A run of kept lines and the line after it go together when they fit on a page.
        let mut group = 1;
        while i + group - 1 < flow.len() && flow[i + group - 1].keep && group < rows {
            group += 1;
        }
        let group = group.min(flow.len() - i);
        if page.len() + group > rows && !page.is_empty() && group < rows {
            while page.last().is_some_and(String::is_empty) {
                page.pop();
            }
            pages.push(std::mem::take(&mut page));
            continue;
        }
        page.push(line.cells.clone());
        i += 1;
        if page.len() == rows {
            while page.last().is_some_and(String::is_empty) {
                page.pop();
            }
            pages.push(std::mem::take(&mut page));
        }
    }
    while page.last().is_some_and(String::is_empty) {
        page.pop();
    }
    if !page.is_empty() {
        pages.push(page);
    }
    pages
}

/// The top line of a page: the running head centered (cut at a word to leave three blank
/// cells before the page number) and the braille page number at the right margin.
pub fn head_line(head: &str, page_number: &str, cols: usize) -> String {
    let num = width(page_number);
    let room = cols.saturating_sub(num + 3);
    let mut h = String::new();
    for w in head.split(BLANK).filter(|w| !w.is_empty()) {
        let add = if h.is_empty() { width(w) } else { width(w) + 1 };
        if width(&h) + add > room {
            break;
        }
        if !h.is_empty() {
            h.push(BLANK);
        }
        h.push_str(w);
    }
    let start = ((cols.saturating_sub(width(&h))) / 2).min(room - width(&h));
    let mut s: String = std::iter::repeat_n(BLANK, start).collect();
    s.push_str(&h);
    let fill = cols - num - width(&s);
    s.extend(std::iter::repeat_n(BLANK, fill));
    s.push_str(page_number);
    s
}

/// A contents entry: the title from cell 1 (runovers in cell 3), guide dots, the page number
/// at the right margin.
pub fn contents_entry(title: &str, page_number: &str, cols: usize) -> Vec<String> {
    let num = width(page_number);
    // The title's lines leave room for "  ⠐⠐ 12" on the last one.
    let mut f = Flow::new(cols - num - 3);
    f.block(Style::ListItem, &[Piece::Cells(title.to_string())]);
    let mut lines: Vec<String> = f.lines.into_iter().map(|l| l.cells).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let last = lines.pop().unwrap_or_default();
    let mut s = last;
    s.push(BLANK);
    let dots = cols - num - 1 - width(&s);
    s.extend(std::iter::repeat_n(DOT_5, dots));
    s.push(BLANK);
    s.push_str(page_number);
    lines.push(s);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(s: &str) -> String {
        // Letters a–j as cells, space as blank: enough to test layout.
        s.chars()
            .map(|c| {
                if c == ' ' {
                    BLANK
                } else {
                    char::from_u32(0x2801 + (c as u32 % 32)).unwrap()
                }
            })
            .collect()
    }

    #[test]
    fn paragraph_indents_first_line_and_never_splits_words() {
        let mut f = Flow::new(20);
        let text = cells("aaaa bbbbb cccccc ddd eeeeeee ffff gg hhhhhhhhh");
        f.block(Style::Paragraph, &[Piece::Cells(text.clone())]);
        assert!(f.lines[0].cells.starts_with("\u{2800}\u{2800}"));
        assert!(!f.lines[1].cells.starts_with(BLANK));
        for l in &f.lines {
            assert!(width(&l.cells) <= 20);
        }
        let joined: Vec<String> = f
            .lines
            .iter()
            .flat_map(|l| {
                l.cells
                    .split(BLANK)
                    .filter(|w| !w.is_empty())
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        let words: Vec<String> = text.split(BLANK).map(String::from).collect();
        assert_eq!(joined, words);
        assert_eq!(f.divided_words, 0);
    }

    #[test]
    fn print_page_indicator_splits_a_paragraph() {
        let mut f = Flow::new(20);
        f.block(
            Style::Paragraph,
            &[
                Piece::Cells(cells("aa bb")),
                Piece::PrintPage("\u{283c}\u{2809}".into()),
                Piece::Cells(cells("cc dd")),
            ],
        );
        assert_eq!(f.lines.len(), 3);
        assert_eq!(f.lines[1].cells, print_page_line("\u{283c}\u{2809}", 20));
        assert_eq!(width(&f.lines[1].cells), 20);
        assert!(f.lines[1].cells.starts_with(DOTS_36) && f.lines[1].cells.ends_with('\u{2809}'));
        // The paragraph goes on in cell 1 (a runover), not indented again.
        assert!(!f.lines[2].cells.starts_with(BLANK));
    }

    #[test]
    fn long_word_is_divided_and_counted() {
        let mut f = Flow::new(20);
        f.block(Style::Flush, &[Piece::Cells(cells(&"a".repeat(45)))]);
        assert_eq!(f.lines.len(), 3);
        assert_eq!(f.divided_words, 1);
    }

    #[test]
    fn heading_is_not_left_at_the_foot_of_a_page() {
        let mut f = Flow::new(20);
        for _ in 0..3 {
            f.block(Style::Flush, &[Piece::Cells(cells("aa"))]);
        }
        f.block(Style::Heading, &[Piece::Cells(cells("hh"))]);
        f.block(Style::Flush, &[Piece::Cells(cells("bb"))]);
        let pages = paginate(&f.lines, 4);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].len(), 3);
        assert!(pages[1][0].contains(&cells("hh")));
        for p in &pages {
            assert!(p.len() <= 4);
            assert!(!p[0].is_empty());
        }
    }

    #[test]
    fn head_line_and_contents_entry_fill_the_width() {
        let h = head_line(&cells("aaaa bbbb cccc dddd eeee ffff"), &cells("12"), 24);
        assert_eq!(width(&h), 24);
        assert!(h.ends_with(&cells("12")));
        assert!(h.contains("\u{2800}\u{2800}\u{2800}"));
        let e = contents_entry(&cells("aaaa bbbb cccc dddd eeee"), &cells("7"), 20);
        for l in &e {
            assert!(width(l) <= 20);
        }
        assert!(e.last().unwrap().contains(DOT_5));
        assert_eq!(width(e.last().unwrap()), 20);
    }

    #[test]
    fn geometry_parses_sensible_sizes_only() {
        assert_eq!(
            Geometry::parse("32x28"),
            Some(Geometry { cols: 32, rows: 28 })
        );
        assert_eq!(Geometry::parse("40×25"), Some(Geometry::DEFAULT));
        assert_eq!(Geometry::parse("3x2"), None);
        assert_eq!(Geometry::parse("forty"), None);
    }
}
