//! PEF 2008-1 (Portable Embosser Format, DAISY): one `volume` per braille volume, one
//! `section` each, rows in Unicode braille, Dublin Core metadata.

use super::Volume;
use super::format::{BLANK, Geometry};
use crate::xml::escape;

/// What the PEF's `head/meta` says.
#[derive(Debug, Clone)]
pub struct PefMeta {
    /// `dc:identifier`.
    pub identifier: String,
    /// `dc:title`.
    pub title: String,
    /// `dc:language`.
    pub language: String,
    /// `dc:date` (YYYY-MM-DD).
    pub date: String,
    /// `dc:creator` (the author(s)), if any.
    pub creator: Option<String>,
    /// `dc:publisher`, if any.
    pub publisher: Option<String>,
    /// `dc:description`: the table and grade.
    pub description: String,
}

/// The PEF document.
pub fn write_pef(volumes: &[Volume], meta: &PefMeta, geometry: Geometry, duplex: bool) -> Vec<u8> {
    let mut s = String::with_capacity(volumes.iter().map(|v| v.pages.len() * 1200).sum());
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<pef version=\"2008-1\" xmlns=\"http://www.daisy.org/ns/2008/pef\">\n");
    s.push_str("<head>\n<meta xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    let mut dc = |name: &str, value: &str| {
        s.push_str(&format!("<dc:{name}>{}</dc:{name}>\n", escape(value)));
    };
    dc("format", "application/x-pef+xml");
    dc("identifier", &meta.identifier);
    dc("title", &meta.title);
    dc("language", &meta.language);
    dc("date", &meta.date);
    if let Some(c) = &meta.creator {
        dc("creator", c);
    }
    if let Some(p) = &meta.publisher {
        dc("publisher", p);
    }
    dc("description", &meta.description);
    s.push_str("</meta>\n</head>\n<body>\n");
    for v in volumes {
        s.push_str(&format!(
            "<volume cols=\"{}\" rows=\"{}\" rowgap=\"0\" duplex=\"{duplex}\">\n<section>\n",
            geometry.cols, geometry.rows
        ));
        for page in &v.pages {
            s.push_str("<page>\n");
            for line in page {
                let row = line.trim_end_matches(BLANK);
                if row.is_empty() {
                    s.push_str("<row/>\n");
                } else {
                    s.push_str("<row>");
                    s.push_str(row);
                    s.push_str("</row>\n");
                }
            }
            s.push_str("</page>\n");
        }
        s.push_str("</section>\n</volume>\n");
    }
    s.push_str("</body>\n</pef>\n");
    s.into_bytes()
}
