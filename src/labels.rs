//! Every word anpham adds itself (contents and navigation headings, landmark names, the
//! byline's date, the source and publisher lines, what is said before an image's
//! description, the braille front matter, the accessibility summary), in Vietnamese and
//! English, shared by every edition (EPUB, PDF, braille, speech) so that all say
//! the same. A publication in another language gets the English words, marked `lang="en"`
//! in the EPUB. A line the EPUB shows and speech says ([`source_line`],
//! [`publisher_line`]) is made here once, for both.
// The braille and speech words are read only by those editions' features.
#![cfg_attr(not(all(feature = "braille", feature = "speech")), allow(dead_code))]

use crate::model::{Article, Publication};

/// Between the author and the date in a byline.
pub const BYLINE_SEPARATOR: &str = " — ";

/// The byline as both editions show it: `author — date` (either may be missing).
pub fn byline(article: &Article, lang: &str) -> Option<String> {
    let date = article.date.as_deref().map(|d| display_date(d, lang));
    match (&article.author, date) {
        (Some(a), Some(d)) => Some(format!("{a}{BYLINE_SEPARATOR}{d}")),
        (Some(a), None) => Some(a.clone()),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    }
}

/// Words in one language.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// Their language.
    pub lang: &'static str,
    /// Heading of the table of contents.
    pub toc: &'static str,
    /// Heading of the page list.
    pub pages: &'static str,
    /// Heading of the landmarks.
    pub landmarks: &'static str,
    /// Landmark: the title page.
    pub title_page: &'static str,
    /// Landmark: where the text begins.
    pub start: &'static str,
    /// Before a source link.
    pub source: &'static str,
    /// Before the publisher's name on a bulletin's title page.
    pub publisher: &'static str,
    /// Said before an image's description in speech.
    pub image: &'static str,
    /// Heading of a braille transcriber's note.
    pub transcriber_note: &'static str,
    /// A figure, in the braille edition.
    pub figure: &'static str,
    /// The last line of a braille volume's title page.
    pub produced_by: &'static str,
    /// The braille code of grades 0, 1 and 2, on a braille title page.
    pub braille_grades: [&'static str; 3],
    /// HTML edition: the link that skips to the main content.
    pub skip_to_content: &'static str,
    /// HTML edition: the name of the text-size control.
    pub text_size: &'static str,
    /// HTML edition: the button that enlarges the text (the portal's words).
    pub enlarge: &'static str,
    /// HTML edition: the button that shrinks the text (the portal's words).
    pub shrink: &'static str,
    /// HTML edition: heading of the list of the print edition's pages.
    pub print_pages: &'static str,
    /// The title of a bulletin of loose files, before the span of its dates.
    pub bulletin: &'static str,
}

/// Vietnamese.
pub const VI: Labels = Labels {
    lang: "vi",
    toc: "Mục lục",
    pages: "Danh sách trang",
    landmarks: "Các phần chính",
    title_page: "Trang tên sách",
    start: "Bắt đầu đọc",
    source: "Nguồn",
    publisher: "Nhà xuất bản",
    image: "Ảnh",
    transcriber_note: "Ghi chú của người chuyển chữ nổi",
    figure: "Hình",
    produced_by: "Sản xuất bằng anpham",
    braille_grades: [
        "Chữ nổi không rút gọn",
        "Chữ nổi rút gọn cấp 1",
        "Chữ nổi rút gọn cấp 2",
    ],
    skip_to_content: "Bỏ qua, đến nội dung chính",
    text_size: "Cỡ chữ",
    enlarge: "Tăng cỡ chữ",
    shrink: "Giảm cỡ chữ",
    print_pages: "Trang của bản in",
    bulletin: "Bản tin",
};

/// English.
pub const EN: Labels = Labels {
    lang: "en",
    toc: "Contents",
    pages: "Pages",
    landmarks: "Landmarks",
    title_page: "Title page",
    start: "Start of content",
    source: "Source",
    publisher: "Publisher",
    image: "Image",
    transcriber_note: "Transcriber's note",
    figure: "Figure",
    produced_by: "Produced by anpham",
    braille_grades: [
        "Unified English Braille, uncontracted",
        "Unified English Braille, uncontracted",
        "Unified English Braille, contracted",
    ],
    skip_to_content: "Skip to main content",
    text_size: "Text size",
    enlarge: "Larger text",
    shrink: "Smaller text",
    print_pages: "Pages of the print edition",
    bulletin: "Bulletin",
};

/// Between a line's label and its value: `Nguồn: …`.
pub const LABEL_SEPARATOR: &str = ": ";

/// A line of the writer's own, a label and a value (`Nguồn: https://…`): the EPUB shows
/// it (the label marked with its language, the value a link or a name) and speech
/// says its [`LabelledLine::text`], so the two cannot disagree.
#[derive(Debug, Clone, Copy)]
pub struct LabelledLine<'a> {
    /// The words of the label's language.
    pub labels: &'static Labels,
    /// The label.
    pub label: &'static str,
    /// What follows it.
    pub value: &'a str,
}

impl<'a> LabelledLine<'a> {
    /// The whole line: label, separator, value.
    pub fn text(&self) -> String {
        format!("{}{LABEL_SEPARATOR}{}", self.label, self.value)
    }

    /// The same line with another value (a URL's host, said instead of the URL).
    pub fn with_value<'b>(&self, value: &'b str) -> LabelledLine<'b> {
        LabelledLine {
            labels: self.labels,
            label: self.label,
            value,
        }
    }
}

/// An article's source line in a document of `lang`: `Nguồn: URL`.
pub fn source_line<'a>(lang: &str, url: &'a str) -> LabelledLine<'a> {
    let labels = for_lang(lang);
    LabelledLine {
        labels,
        label: labels.source,
        value: url,
    }
}

/// A bulletin title page's publisher line in `lang`: `Nhà xuất bản: NAME`.
pub fn publisher_line<'a>(lang: &str, publisher: &'a str) -> LabelledLine<'a> {
    let labels = for_lang(lang);
    LabelledLine {
        labels,
        label: labels.publisher,
        value: publisher,
    }
}

/// What speech says before an image's description: `Ảnh: ALT`.
pub fn image_line<'a>(lang: &str, alt: &'a str) -> LabelledLine<'a> {
    let labels = for_lang(lang);
    LabelledLine {
        labels,
        label: labels.image,
        value: alt,
    }
}

/// A braille volume's number: `Tập 1/2`, `Volume 1 of 2`.
pub fn volume(lang: &str, k: usize, n: usize) -> String {
    if is_lang(lang, "vi") {
        format!("Tập {k}/{n}")
    } else {
        format!("Volume {k} of {n}")
    }
}

/// The words a braille edition writes, as a transcriber's note, for a character it has no
/// braille for (`code_point`: `U+00B0`): `(ký tự U+00B0)` in Vietnamese. `None` in English,
/// whose code (UEB) marks such a note with its own transcriber's-note indicators around
/// the bare code point.
pub fn character_note(lang: &str, code_point: &str) -> Option<String> {
    is_lang(lang, "vi").then(|| format!("(ký tự {code_point})"))
}

/// Whether a BCP 47 tag is (a variant of) `primary`.
pub fn is_lang(tag: &str, primary: &str) -> bool {
    let p = tag.split('-').next().unwrap_or("");
    p.eq_ignore_ascii_case(primary)
}

/// The words for a language: Vietnamese for `vi*`, English otherwise.
pub fn for_lang(lang: &str) -> &'static Labels {
    if is_lang(lang, "vi") { &VI } else { &EN }
}

/// A `YYYY-MM-DD` date as readers of `lang` write it: `10 November 2022` in English,
/// `10/11/2022` otherwise (as the PDF edition prints it).
pub fn display_date(date: &str, lang: &str) -> String {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return date.to_string();
    };
    let (Ok(mn), Ok(dn)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return date.to_string();
    };
    if is_lang(lang, "en") && (1..=12).contains(&mn) {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{dn} {} {y}", MONTHS[mn - 1])
    } else {
        format!("{d}/{m}/{y}")
    }
}

/// What the accessibility summary says, derived from the content.
#[derive(Debug, Clone, Default)]
pub struct SummaryFacts {
    /// Number of articles.
    pub articles: usize,
    /// Figures with a text alternative.
    pub described_images: usize,
    /// Decorative images.
    pub decorative_images: usize,
    /// The print edition the page list follows, if any.
    pub page_source: Option<String>,
    /// Number of pages in that list.
    pub pages: usize,
    /// Large print.
    pub large_print: bool,
    /// Base text size, percent.
    pub base_percent: String,
    /// Any text in another language than the publication's.
    pub foreign_passages: bool,
}

/// The accessibility summary: (language tag, text). Vietnamese for Vietnamese
/// publications, English for everything else.
pub fn summary(p: &Publication, f: &SummaryFacts) -> (&'static str, String) {
    if is_lang(&p.lang, "vi") {
        ("vi", summary_vi(f))
    } else {
        ("en", summary_en(f))
    }
}

/// What the accessibility summary adds for an EPUB with speech (after the summary in
/// `lang`, a language tag that [`summary`] gave).
pub fn narrated_summary(lang: &str) -> &'static str {
    if is_lang(lang, "vi") {
        " Bản sách nói: mọi câu của bài, cả lời mô tả ảnh, được đọc bằng giọng tổng hợp và \
         được tô sáng (chữ đen trên nền vàng) khi đang đọc."
    } else {
        " Talking book: every sentence, including image descriptions, is read by a synthetic \
         voice and highlighted (black on yellow) while it is read."
    }
}

/// The accessibility summary of a PDF edition in a catalog (language tag, text): tagged
/// PDF/UA-1, its body size in points, large print or not.
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by the server only")
)]
pub fn pdf_summary(lang: &str, body_pt: f32, large_print: bool) -> (&'static str, String) {
    let pt = format!("{body_pt}");
    if is_lang(lang, "vi") {
        let size = if large_print {
            format!(
                "Bản in chữ lớn: cỡ chữ {} pt, kiểu chữ không chân.",
                pt.replace('.', ",")
            )
        } else {
            format!("Cỡ chữ {} pt.", pt.replace('.', ","))
        };
        (
            "vi",
            format!(
                "Bản PDF có gắn thẻ theo PDF/UA-1: đề mục, mục lục (dấu trang), thứ tự đọc và văn bản thay thế cho ảnh được đánh dấu cho công nghệ hỗ trợ. {size}"
            ),
        )
    } else {
        let size = if large_print {
            format!("Large print: {pt} pt body text, sans serif.")
        } else {
            format!("{pt} pt body text.")
        };
        (
            "en",
            format!(
                "A tagged PDF (PDF/UA-1): headings, bookmarks, reading order and image descriptions are marked for assistive technology. {size}"
            ),
        )
    }
}

/// The accessibility summary of a braille edition in a catalog (language tag, text):
/// its grade and page.
#[cfg_attr(
    not(feature = "serve"),
    allow(dead_code, reason = "read by the server only")
)]
pub fn braille_summary(lang: &str, grade: u8, cols: usize, rows: usize) -> (&'static str, String) {
    if is_lang(lang, "vi") {
        (
            "vi",
            format!(
                "Bản chữ nổi Braille cấp {grade} để in nổi hoặc đọc trên màn hình chữ nổi: {cols} ô × {rows} dòng mỗi trang; lời mô tả ảnh được chép thành chữ nổi."
            ),
        )
    } else {
        (
            "en",
            format!(
                "Braille, grade {grade}, for embossing or a refreshable braille display: {cols} cells × {rows} lines a page; image descriptions are transcribed."
            ),
        )
    }
}

/// The description of an article's source file embedded in a PDF/A-3 (metadata, in
/// English).
pub fn source_file_description(title: &str) -> String {
    format!("Source of the article “{title}”")
}

/// The accessibility summary in Vietnamese.
fn summary_vi(f: &SummaryFacts) -> String {
    let mut s = String::new();
    s.push_str(
        "Ấn phẩm này đáp ứng EPUB Accessibility 1.1 và WCAG 2.2 mức AA. \
             Ấn phẩm có mục lục, thứ tự đọc hợp lý và các đề mục có cấu trúc để điều hướng",
    );
    if f.articles > 1 {
        s.push_str(&format!(
            "; mỗi bài trong {} bài là một chương riêng",
            f.articles
        ));
    }
    s.push_str(". ");
    if f.described_images > 0 {
        s.push_str("Mọi hình ảnh mang thông tin đều có văn bản thay thế và chú thích. ");
    }
    if f.decorative_images > 0 {
        s.push_str("Hình trang trí được ẩn khỏi công nghệ hỗ trợ. ");
    }
    if let Some(src) = &f.page_source {
        s.push_str(&format!(
                "Vị trí bắt đầu của {} trang trong bản in ({src}) được đánh dấu và liệt kê trong danh sách trang. ",
                f.pages
            ));
    }
    if f.foreign_passages {
        s.push_str("Các đoạn bằng ngôn ngữ khác được đánh dấu ngôn ngữ. ");
    }
    if f.large_print {
        s.push_str(&format!(
            "Bản chữ lớn: cỡ chữ cơ bản {}%, kiểu chữ không chân, không in nghiêng. ",
            f.base_percent
        ));
    } else {
        s.push_str(&format!(
            "Cỡ chữ cơ bản {}% cỡ chữ mặc định của ứng dụng đọc. ",
            f.base_percent
        ));
    }
    s.push_str(
        "Giãn dòng 1,5, căn lề trái, không ngắt từ, độ tương phản màu tối thiểu 7:1; \
             người đọc có thể thay đổi cỡ chữ, phông chữ và màu sắc trong ứng dụng đọc.",
    );
    s
}

/// The accessibility summary in English.
fn summary_en(f: &SummaryFacts) -> String {
    let mut s = String::new();
    s.push_str(
            "This publication meets EPUB Accessibility 1.1 and WCAG 2.2 Level AA. \
             It has a table of contents, a logical reading order and structured headings for navigation",
        );
    if f.articles > 1 {
        s.push_str(&format!(
            "; each of its {} articles is a chapter of its own",
            f.articles
        ));
    }
    s.push_str(". ");
    if f.described_images > 0 {
        s.push_str("Every informative image has a text alternative and a caption. ");
    }
    if f.decorative_images > 0 {
        s.push_str("Decorative images are hidden from assistive technology. ");
    }
    if let Some(src) = &f.page_source {
        s.push_str(&format!(
                "Where each of the {} pages of the print edition ({src}) begins is marked and listed in a page list. ",
                f.pages
            ));
    }
    if f.foreign_passages {
        s.push_str("Passages in other languages are marked with their language. ");
    }
    if f.large_print {
        s.push_str(&format!(
            "Large print: base text size {}%, a sans-serif typeface, no italics. ",
            f.base_percent
        ));
    } else {
        s.push_str(&format!(
            "Base text size {}% of the reading system's default. ",
            f.base_percent
        ));
    }
    s.push_str(
        "Line spacing 1.5, left-aligned text without hyphenation, colour contrast of at least 7:1; \
             text size, typeface and colours can be changed in the reading system.",
    );
    s
}

/// The words of `anpham serve`'s web page (`/`, docs/serve.md "The web page"): the page
/// is in Vietnamese, for the portal's readers; each edition names its own words here
/// through its format's `label` (`editions::FormatInfo`).
#[derive(Debug, Clone, Copy)]
pub struct PortalWords {
    /// The page's title and `h1`.
    pub title: &'static str,
    /// What the page is for, under the title.
    pub intro: &'static str,
    /// Heading of the font-scale control.
    pub scale_heading: &'static str,
    /// Before the chosen scale: `Cỡ chữ đang chọn: 18 pt`.
    pub scale_now: &'static str,
    /// Said when the scale cannot grow any more.
    pub largest: &'static str,
    /// Said when the scale cannot shrink any more.
    pub smallest: &'static str,
    /// Heading of the first-page preview.
    pub preview_heading: &'static str,
    /// The preview's text alternative, before the scale and the title.
    pub preview_alt: &'static str,
    /// The summary of the disclosure that holds the preview's text.
    pub preview_text: &'static str,
    /// Said when there is nothing to preview yet.
    pub preview_none: &'static str,
    /// The link that shows a publication's preview.
    pub preview_link: &'static str,
    /// Heading of the library.
    pub library_heading: &'static str,
    /// Said when the server runs without a library.
    pub library_none: &'static str,
    /// Said when the library is empty.
    pub library_empty: &'static str,
    /// Before an author's name.
    pub author: &'static str,
    /// Before a language.
    pub language: &'static str,
    /// Heading of a publication's downloads.
    pub downloads: &'static str,
    /// Said before the error of an entry that cannot be read.
    pub broken: &'static str,
    /// Paging: the previous page of the library.
    pub previous_page: &'static str,
    /// Paging: the next page of the library.
    pub next_page: &'static str,
    /// Paging: `Trang 2/5`.
    pub page_of: &'static str,
    /// Heading of the upload form.
    pub upload_heading: &'static str,
    /// What may be uploaded, before the list of file types.
    pub upload_hint: &'static str,
    /// The file field's label.
    pub upload_file: &'static str,
    /// The legend of the editions' checkboxes.
    pub upload_formats: &'static str,
    /// The access code's label (a server started with `--token`).
    pub upload_token: &'static str,
    /// The submit button.
    pub upload_submit: &'static str,
    /// The scale the upload's PDF is made at, before its size.
    pub upload_scale: &'static str,
    /// Heading of a job's page.
    pub job_heading: &'static str,
    /// A job waiting for a builder.
    pub job_queued: &'static str,
    /// A job being built.
    pub job_running: &'static str,
    /// A job done.
    pub job_done: &'static str,
    /// A job that failed.
    pub job_failed: &'static str,
    /// The link that shows a job's state again.
    pub job_refresh: &'static str,
    /// Heading of the editions that could not be made.
    pub job_failed_editions: &'static str,
    /// Heading of the notes on the input (warnings, errors with their place).
    pub job_notes: &'static str,
    /// The link back to the start page.
    pub home: &'static str,
    /// Heading of an error page.
    pub error_heading: &'static str,
    /// The upload is larger than the server takes, before the limit.
    pub upload_too_large: &'static str,
    /// The form came without a file.
    pub upload_missing: &'static str,
    /// The access code is missing or wrong.
    pub wrong_token: &'static str,
    /// No job has this address (or it has expired).
    pub no_such_job: &'static str,
    /// A job's files were removed from the cache.
    pub evicted: &'static str,

    /// What the link to an edition that opens in the browser adds.
    pub opens_in_browser: &'static str,
    /// The EPUB edition.
    pub edition_epub: &'static str,
    /// The print edition, before its size.
    pub edition_pdf: &'static str,
    /// The single-page HTML edition.
    pub edition_html: &'static str,
    /// The talking book.
    pub edition_talking: &'static str,
    /// Braille ready for an embosser, as text.
    pub edition_braille_text: &'static str,
    /// Braille in the Portable Embosser Format.
    pub edition_braille_xml: &'static str,
    /// The preview image of a print edition's first page.
    pub edition_preview: &'static str,
}

/// The web page's words, in Vietnamese.
pub const PORTAL_VI: PortalWords = PortalWords {
    title: "Ấn phẩm dễ tiếp cận",
    intro: "Mỗi bài báo có nhiều bản cho người đọc khác nhau: sách điện tử, bản in chữ lớn, \
            trang web, chữ nổi và sách nói. Chọn cỡ chữ của bản in, xem trước trang đầu rồi tải về.",
    scale_heading: "Cỡ chữ của bản in (PDF)",
    scale_now: "Cỡ chữ đang chọn",
    largest: "Đây là cỡ chữ lớn nhất.",
    smallest: "Đây là cỡ chữ nhỏ nhất.",
    preview_heading: "Xem trước trang đầu",
    preview_alt: "Trang đầu của bản in cỡ chữ",
    preview_text: "Chữ trên trang đầu",
    preview_none: "Chọn một ấn phẩm trong thư viện hoặc tải một bài lên để xem trước trang đầu.",
    preview_link: "Xem trước trang đầu",
    library_heading: "Thư viện",
    library_none: "Máy chủ này chưa mở thư viện nào (anpham serve --library THƯ-MỤC).",
    library_empty: "Thư viện chưa có ấn phẩm nào.",
    author: "Tác giả",
    language: "Ngôn ngữ",
    downloads: "Tải về",
    broken: "Không đọc được mục này",
    previous_page: "Trang trước",
    next_page: "Trang sau",
    page_of: "Trang",
    upload_heading: "Tải một bài lên",
    upload_hint: "Một bài báo trong một tệp, hoặc một tệp zip chứa bài và ảnh của bài. Các loại tệp nhận",
    upload_file: "Tệp bài báo",
    upload_formats: "Các bản cần làm",
    upload_token: "Mã truy cập",
    upload_submit: "Làm các bản",
    upload_scale: "Bản in được làm với cỡ chữ",
    job_heading: "Kết quả",
    job_queued: "Đang chờ đến lượt.",
    job_running: "Đang làm các bản.",
    job_done: "Đã xong.",
    job_failed: "Không làm được.",
    job_refresh: "Xem lại tình trạng",
    job_failed_editions: "Các bản không làm được",
    job_notes: "Lưu ý về bài",
    home: "Về trang đầu",
    error_heading: "Không thực hiện được",
    upload_too_large: "Tệp lớn hơn mức máy chủ nhận",
    upload_missing: "Chưa chọn tệp bài báo. Hãy chọn một tệp rồi gửi lại.",
    wrong_token: "Mã truy cập không đúng. Hãy nhập lại mã mà người quản trị máy chủ đã cho.",
    no_such_job: "Không có kết quả nào ở địa chỉ này (kết quả chỉ được giữ trong một thời gian). Hãy tải bài lên lại.",
    evicted: "Các tệp của kết quả này đã bị xoá khỏi bộ nhớ đệm. Hãy tải bài lên lại.",

    opens_in_browser: "mở trong trình duyệt",
    edition_epub: "Sách điện tử EPUB",
    edition_pdf: "Bản in PDF, cỡ chữ",
    edition_html: "Trang web",
    edition_talking: "Sách nói (sách điện tử có giọng đọc)",
    edition_braille_text: "Chữ nổi, tệp cho máy in chữ nổi",
    edition_braille_xml: "Chữ nổi, tệp Portable Embosser Format",
    edition_preview: "Ảnh trang đầu của bản in",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_by_language() {
        assert_eq!(display_date("2022-11-10", "vi"), "10/11/2022");
        assert_eq!(display_date("2022-11-10", "en-GB"), "10 November 2022");
        assert_eq!(display_date("2022-11-10", "fr"), "10/11/2022");
        assert_eq!(display_date("2022-11", "vi"), "2022-11");
    }

    #[test]
    fn labels_by_language() {
        assert_eq!(for_lang("vi-VN").toc, "Mục lục");
        assert_eq!(for_lang("fr").lang, "en");
        assert_eq!(volume("vi", 1, 2), "Tập 1/2");
        assert_eq!(volume("en", 1, 2), "Volume 1 of 2");
    }

    #[test]
    fn lines_of_the_writers_own() {
        let line = source_line("vi", "https://baobackan.vn/a");
        assert_eq!(line.text(), "Nguồn: https://baobackan.vn/a");
        assert_eq!(
            line.with_value("baobackan.vn").text(),
            "Nguồn: baobackan.vn"
        );
        assert_eq!(
            publisher_line("en", "Báo Bắc Kạn").text(),
            "Publisher: Báo Bắc Kạn"
        );
        assert_eq!(image_line("vi", "Hội trường").text(), "Ảnh: Hội trường");
        assert_eq!(image_line("en-GB", "A hall").labels.lang, "en");
    }
}
