//! Errors that end a run with exit status 2. Every error that comes from a
//! user's file points at that file, line and column through miette.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// The result type of everything that can fail for reasons the user must fix.
pub type Result<T, E = miette::Report> = std::result::Result<T, E>;

/// An error located in a file the user wrote (config, rule pack, CODEOWNERS…).
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(imprimatur::invalid_file))]
pub struct FileError {
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl FileError {
    /// An error at byte `offset` (length `len`) of `text`, the contents of `name`.
    pub fn at(
        name: &str,
        text: &str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let offset = offset.min(text.len());
        let len = len.min(text.len() - offset);
        FileError {
            message: message.into(),
            source_code: NamedSource::new(name, text.to_string()),
            span: (offset, len).into(),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A plain error without a source location (a missing path, a bad ref).
pub fn plain(message: impl Into<String>) -> miette::Report {
    miette::miette!("{}", message.into())
}

/// A plain error with a hint of how to fix it.
pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> miette::Report {
    miette::miette!(help = help.into(), "{}", message.into())
}

/// Converts a 1-based line and column (columns in characters) to a byte offset.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}
