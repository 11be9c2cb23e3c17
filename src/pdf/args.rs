//! The PDF's own options on the command line (`anpham build --pdf-standard …`): defined
//! here, beside the edition, and flattened into the command line's options by
//! `crate::editions::EditionArgs` (so `anpham serve` takes them as query parameters too).

use super::PdfStandard;

/// The PDF's command-line options.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct PdfArgs {
    /// PDF standards: ua-1, a-2u,ua-1, a-2a,ua-1 or a-3a,ua-1 (embeds the source articles)
    /// [default: a-2a,ua-1].
    #[arg(long, value_name = "SET")]
    pdf_standard: Option<PdfStandard>,
}

impl PdfArgs {
    /// The standards the PDFs claim.
    pub(crate) fn standard(&self) -> PdfStandard {
        self.pdf_standard.unwrap_or_default()
    }
}
