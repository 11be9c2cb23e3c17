//! The braille editions' options on the command line (`anpham build --braille-…`): defined
//! here, beside the edition, and flattened into the command line's options by
//! `crate::editions::EditionArgs` (so `anpham serve` takes them as query parameters too).

use std::path::PathBuf;

use super::{BrailleOptions, DEFAULT_VOLUME_SHEETS, Geometry, Grade};

/// The braille editions' command-line options.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Braille (brf, pef)")]
pub(crate) struct BrailleArgs {
    /// Braille grade: 0 uncontracted, 1, 2 contracted [default: 0].
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=2))]
    braille_grade: Option<u8>,
    /// Braille page size in cells x lines, from 20x5 to 100x100 [default: 40x25].
    #[arg(long, value_parser = parse_braille_page)]
    braille_page: Option<Geometry>,
    /// Largest braille volume in sheets; volumes end at article boundaries [default: 80].
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    braille_volume_sheets: Option<u16>,
    /// Interpoint braille (both sides of each sheet; duplex in the embosser file).
    #[arg(long)]
    braille_duplex: bool,
    /// A folder of your own liblouis tables (vi-vn-g0.utb …, en-ueb-g1.ctb …), used
    /// before anpham's shipped Vietnamese tables and liblouis's own.
    #[arg(long, value_name = "DIR")]
    braille_tables: Option<PathBuf>,
}

impl BrailleArgs {
    /// Grade, page, volumes and sides of the braille editions, and the user's own tables.
    pub(crate) fn options(&self) -> BrailleOptions {
        BrailleOptions {
            grade: Grade::from_number(self.braille_grade.unwrap_or(0)).unwrap_or_default(),
            geometry: self.braille_page.unwrap_or(Geometry::DEFAULT),
            volume_sheets: self
                .braille_volume_sheets
                .map_or(DEFAULT_VOLUME_SHEETS, usize::from),
            duplex: self.braille_duplex,
            table_dirs: self.braille_tables.iter().cloned().collect(),
            ..BrailleOptions::default()
        }
    }
}

fn parse_braille_page(s: &str) -> Result<Geometry, String> {
    Geometry::parse(s).ok_or_else(|| {
        format!("`{s}` is not a braille page size: write COLSxROWS, e.g. 40x25 (20x5 to 100x100)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        braille: BrailleArgs,
    }

    #[test]
    fn the_options_become_braille_options() {
        let cli = Cli::try_parse_from([
            "anpham",
            "--braille-grade=2",
            "--braille-page=32x28",
            "--braille-volume-sheets=50",
            "--braille-duplex",
        ])
        .unwrap();
        let o = cli.braille.options();
        assert_eq!(o.grade, Grade::from_number(2).unwrap());
        assert_eq!(o.geometry, Geometry::parse("32x28").unwrap());
        assert_eq!((o.volume_sheets, o.duplex), (50, true));
        let o = Cli::try_parse_from(["anpham"]).unwrap().braille.options();
        assert_eq!(o.geometry, Geometry::DEFAULT);
        assert_eq!(o.volume_sheets, DEFAULT_VOLUME_SHEETS);
        let e = Cli::try_parse_from(["anpham", "--braille-page=3x3"]).unwrap_err();
        assert!(e.to_string().contains("COLSxROWS"), "{e}");
        assert!(Cli::try_parse_from(["anpham", "--braille-grade=3"]).is_err());
    }
}
