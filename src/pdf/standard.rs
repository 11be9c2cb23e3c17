//! Which PDF standards a PDF edition claims and is validated against (krilla's
//! validators: one PDF/A and PDF/UA-1 at once).
//!
//! The default is PDF/A-2a + PDF/UA-1: archival (fonts embedded, no device colours without
//! an output intent — krilla adds an sRGB one —, XMP with `pdfaid:part 2`, conformance
//! `A`, and `pdfuaid:part 1`) and accessible. `docs/pdf-ua.md` lists which PDF/A rules
//! krilla checks and which nothing here checks.

use std::str::FromStr;

use krilla::configure::{Accessibility, Archival, Configuration, ConfigurationBuilder};

/// The standards a PDF edition conforms to.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum PdfStandard {
    /// PDF/UA-1 only.
    Ua1,
    /// PDF/A-2u (Unicode text) and PDF/UA-1.
    A2uUa1,
    /// PDF/A-2a (tagged, accessible) and PDF/UA-1: the default.
    #[default]
    A2aUa1,
    /// PDF/A-3a and PDF/UA-1, with the source article embedded as an associated file.
    A3aUa1,
}

impl PdfStandard {
    /// The name used on the command line (`a-2a,ua-1`), which `Display` writes.
    fn name(self) -> &'static str {
        match self {
            PdfStandard::Ua1 => "ua-1",
            PdfStandard::A2uUa1 => "a-2u,ua-1",
            PdfStandard::A2aUa1 => "a-2a,ua-1",
            PdfStandard::A3aUa1 => "a-3a,ua-1",
        }
    }

    /// The PDF/A part of the standard, if any.
    pub(crate) fn archival(self) -> Option<Archival> {
        match self {
            PdfStandard::Ua1 => None,
            PdfStandard::A2uUa1 => Some(Archival::A2_U),
            PdfStandard::A2aUa1 => Some(Archival::A2_A),
            PdfStandard::A3aUa1 => Some(Archival::A3_A),
        }
    }

    /// Whether the source article files are embedded as associated files (PDF/A-3).
    pub(crate) fn embeds_sources(self) -> bool {
        self == PdfStandard::A3aUa1
    }

    /// krilla's configuration: the validators of both standards.
    pub(crate) fn configuration(self) -> Result<Configuration, String> {
        let mut b = ConfigurationBuilder::new().with_accessibility_validator(Accessibility::UA1);
        if let Some(a) = self.archival() {
            b = b.with_archival_validator(a);
        }
        b.finish().map_err(|e| format!("{e:?}"))
    }
}

impl std::fmt::Display for PdfStandard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PdfStandard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts: Vec<String> = s
            .split(',')
            .map(|p| p.trim().to_ascii_lowercase().replace("pdf/", ""))
            .filter(|p| !p.is_empty())
            .collect();
        parts.sort();
        parts.dedup();
        let joined = parts.join(",");
        Ok(match joined.as_str() {
            "ua-1" => PdfStandard::Ua1,
            "a-2u,ua-1" => PdfStandard::A2uUa1,
            "a-2a,ua-1" => PdfStandard::A2aUa1,
            "a-3a,ua-1" => PdfStandard::A3aUa1,
            _ => {
                return Err(format!(
                    "`{s}` is not a supported set of PDF standards: use ua-1, a-2u,ua-1, a-2a,ua-1 (the default) or a-3a,ua-1 (PDF/UA-1 is always included)"
                ));
            }
        })
    }
}

/// Embeds each article's source file as an associated file of the document
/// (`AFRelationship /Source`), for PDF/A-3: with its media type, a description and the
/// build date, as PDF/A-3 requires. Articles without a source file are skipped.
pub fn embed_sources(
    document: &mut krilla::Document,
    p: &crate::model::Publication,
    date: krilla::metadata::DateTime,
) -> crate::error::Result<()> {
    use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
    let mut seen = std::collections::HashSet::new();
    for (i, a) in p.articles.iter().enumerate() {
        let Some(origin) = &a.origin else { continue };
        if !seen.insert(origin.file.clone()) {
            continue; // several articles of one manifest file
        }
        let data = std::fs::read(&origin.file).map_err(|source| crate::error::Error::Read {
            path: origin.file.clone(),
            source,
        })?;
        let name = origin
            .file
            .file_name()
            .map_or_else(|| "article".into(), |n| n.to_string_lossy().into_owned());
        let mime = match origin.file.extension().and_then(|e| e.to_str()) {
            Some("json") => "application/json",
            Some("toml") => "application/toml",
            Some("md") => "text/markdown",
            _ => "text/plain",
        };
        document.embed_file(EmbeddedFile {
            path: format!("{:03}-{name}", i + 1),
            mime_type: MimeType::new(mime),
            description: Some(crate::labels::source_file_description(&a.title)),
            association_kind: AssociationKind::Source,
            data: data.into(),
            modification_date: Some(date),
            compress: Some(true),
            location: None,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_in_any_order() {
        for s in [
            PdfStandard::Ua1,
            PdfStandard::A2uUa1,
            PdfStandard::A2aUa1,
            PdfStandard::A3aUa1,
        ] {
            assert_eq!(s.name().parse::<PdfStandard>(), Ok(s));
            assert!(s.configuration().is_ok(), "{s:?}");
        }
        assert_eq!("UA-1, A-2A".parse::<PdfStandard>(), Ok(PdfStandard::A2aUa1));
        assert_eq!(
            "PDF/A-2a,PDF/UA-1".parse::<PdfStandard>(),
            Ok(PdfStandard::A2aUa1)
        );
        let e = "a-2b".parse::<PdfStandard>().unwrap_err();
        assert!(e.contains("a-2a,ua-1"), "{e}");
        assert_eq!(PdfStandard::default(), PdfStandard::A2aUa1);
    }
}
