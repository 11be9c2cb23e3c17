//! Errors. Every problem with the input becomes a [`Diagnostic`] that names the file, the
//! place in it (line and column for syntax, a field path such as `blocks[3].alt` for
//! content) and a hint saying what to do. Validation collects all diagnostics it finds
//! rather than stopping at the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in an input file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole.
    File,
    /// A 1-based line and column (syntax errors).
    LineColumn {
        /// Line, from 1.
        line: usize,
        /// Column in characters, from 1.
        column: usize,
    },
    /// A field path inside the article, e.g. `blocks[3].alt`.
    Field(String),
    /// A character inside a text field: the field path and the 1-based character index.
    Char {
        /// Field path.
        field: String,
        /// Character index in that field, from 1.
        index: usize,
    },
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The input is refused.
    #[default]
    Error,
    /// The input was accepted (e.g. after a repair the user asked for); the user should
    /// know.
    Warning,
}

impl fmt::Display for Severity {
    /// `error` or `warning`, the prefix the CLI prints before a diagnostic.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One located problem with an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The input file.
    pub file: PathBuf,
    /// Where in it.
    pub place: Place,
    /// What is wrong.
    pub message: String,
    /// What to do about it, one line each.
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic at a field path.
    pub(crate) fn field(file: &Path, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            place: Place::Field(field.into()),
            message: message.into(),
            hints: Vec::new(),
            severity: Severity::Error,
        }
    }

    /// A diagnostic about the file as a whole.
    pub(crate) fn file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            place: Place::File,
            message: message.into(),
            hints: Vec::new(),
            severity: Severity::Error,
        }
    }

    /// A diagnostic at a line and column.
    pub(crate) fn at(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            place: Place::LineColumn { line, column },
            message: message.into(),
            hints: Vec::new(),
            severity: Severity::Error,
        }
    }

    /// Adds a hint (a diagnostic may carry several).
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Makes it a warning.
    #[allow(
        clippy::wrong_self_convention,
        reason = "a builder step read as English (`Diagnostic::at(…).as_warning()`), used across the crate"
    )]
    pub(crate) fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        match &self.place {
            Place::File => {}
            Place::LineColumn { line, column } => write!(f, ":{line}:{column}")?,
            Place::Field(field) => write!(f, ": {field}")?,
            Place::Char { field, index } => write!(f, ": {field}, character {index}")?,
        }
        write!(f, ": {}", self.message)?;
        for h in &self.hints {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// A list of diagnostics, displayed one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in anpham.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input is malformed or invalid; every problem found is listed.
    #[error("{0}")]
    Input(Diagnostics),
    /// An input file could not be read.
    #[error("{}: cannot read: {source}\n  hint: check that the path exists and is readable", .path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// An output could not be written; earlier outputs are untouched.
    #[error("{}: cannot write: {source}\n  hint: check that the output folder exists and is writable", .path.display())]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A font could not be used.
    #[error("font {name}: {message}\n  hint: {hint}")]
    Font {
        /// The file or family.
        name: String,
        /// What is wrong.
        message: String,
        /// What to do.
        hint: String,
    },
    /// An edition could not be written: its writer's reason (a rule of its format that
    /// would be broken, a table it lacks, text it cannot carry), with the place and what to
    /// do where there are some.
    #[error("{edition} could not be written: {message}")]
    Edition {
        /// Which edition, as a sentence begins (`the PDF`, `the braille edition`).
        edition: &'static str,
        /// Why.
        message: String,
    },
    /// Speech could not be made (espeak-ng missing or failing, a sentence the voice
    /// cannot speak); the edition that needed it is named where the error is reported.
    #[error("speech could not be made: {message}\n  hint: {hint}")]
    Speech {
        /// What is wrong, with the place (article, part, sentence) when there is one.
        message: String,
        /// What to do.
        hint: String,
    },
    /// Options that do not fit together.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// The error as the CLI prints it: every diagnostic of an input error starts its own
    /// line with its own severity (`error: …`, `warning: …`), as rustc does; any other
    /// error is one `error: …`.
    pub fn report(&self) -> String {
        match self {
            Error::Input(Diagnostics(list)) if !list.is_empty() => list
                .iter()
                .map(|d| format!("{}: {d}", d.severity))
                .collect::<Vec<_>>()
                .join("\n"),
            other => format!("error: {other}"),
        }
    }

    /// An input error made of one diagnostic.
    pub(crate) fn input(d: Diagnostic) -> Error {
        Error::Input(Diagnostics(vec![d]))
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error::input(d)
    }
}

/// anpham's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_diagnostic_of_a_report_carries_its_own_severity() {
        let file = Path::new("a.json");
        let e = Error::Input(Diagnostics(vec![
            Diagnostic::field(file, "title", "no title").with_hint("add one"),
            Diagnostic::field(file, "lang", "not a tag").as_warning(),
            Diagnostic::at(file, 3, 4, "bad syntax"),
        ]));
        assert_eq!(
            e.report(),
            "error: a.json: title: no title\n  hint: add one\n\
             warning: a.json: lang: not a tag\n\
             error: a.json:3:4: bad syntax"
        );
        assert_eq!(Error::Usage("bad flag".into()).report(), "error: bad flag");
    }
}
