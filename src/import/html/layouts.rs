//! The CMS layouts anpham recognises and the generic body selectors.

/// One CMS layout: how to recognise it and where its fields are.
#[derive(Debug)]
pub struct Layout {
    /// Which portals or CMS use it.
    pub name: &'static str,
    /// A selector that matches only on pages of this layout.
    pub detect: &'static str,
    /// The element holding the article body.
    pub body: &'static str,
    /// The headline.
    pub title: &'static str,
    /// The lead (sapo).
    pub lead: &'static str,
    /// The date line.
    pub date: &'static str,
    /// The byline.
    pub author: &'static str,
}

/// The CMS layouts, tried in order. `docs/import.md` says which were verified on real
/// pages and which were inferred; add a layout here and a fixture in
/// `tests/fixtures/import/`.
pub const LAYOUTS: &[Layout] = &[
    Layout {
        name: "SharePoint provincial portal (PublishingPortal web parts, Block_BanTin_*)",
        detect: "[class*='BanTin'], [id*='BanTin']",
        body: ".BanTin_NoiDung, .ms-rtestate-field",
        title: ".BanTin_TieuDe, .BanTin_Title",
        lead: ".BanTin_TomTat, .BanTin_Sapo",
        date: ".BanTin_NgayDang, .BanTin_Date",
        author: ".BanTin_TacGia, .BanTin_Author",
    },
    Layout {
        name: "newspaper CMS with figure/figcaption (title-detail, description, fck_detail)",
        detect: "article.fck_detail, .fck_detail",
        body: "article.fck_detail, .fck_detail",
        title: "h1.title-detail",
        lead: "p.description",
        date: "span.date",
        author: "p.author_mail strong, p.author",
    },
    Layout {
        name: "newspaper CMS with caption tables (table.image / td.image_desc, detail-content)",
        detect: ".detail-content, #content_detail, .article-detail",
        body: ".detail-content, #content_detail, .article-detail",
        title: "h1.detail-title, h1.article-title, h1.title",
        lead: ".detail-sapo, .sapo, h2.sapo",
        date: ".detail-time, .publish-date, .date-time",
        author: ".detail-author, .author",
    },
];

/// Where the body is when no layout matched, tried in order (an element with at least
/// two paragraphs wins).
pub const GENERIC_BODY: &[&str] = &[
    "[itemprop='articleBody']",
    "article .content",
    "article .entry-content",
    ".article-body",
    ".article-content",
    ".entry-content",
    ".post-content",
    "article",
    "main",
];
