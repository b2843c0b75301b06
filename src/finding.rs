//! What a rule reports: a `Finding` with its exact span, an optional `Fix`,
//! and the record of a `Suppressed` finding that an audit must still see.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// Severity of a rule. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Vale calls this level `suggestion`.
    #[serde(alias = "suggestion")]
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A location in a file: byte offsets for fixing, 1-based line and
/// character columns for people and machines (`end_column` exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// A replacement for the span of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub replacement: String,
}

/// One violation of one rule in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub rule: String,
    pub level: Level,
    pub message: String,
    /// The matched source text.
    pub found: String,
    pub span: Span,
    pub fix: Option<Fix>,
    /// Replacements an editor may offer (spelling); never applied by `--fix`.
    pub suggestions: Vec<String>,
}

/// A finding silenced by a suppression comment, kept for audits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    pub finding: Finding,
    /// The reason written after `--` in the suppression comment.
    pub reason: Option<String>,
    /// Line of the suppression comment.
    pub comment_line: usize,
}

impl Finding {
    /// Output order: path, line, column, then rule id for determinism.
    pub fn sort_key_cmp(&self, other: &Finding) -> Ordering {
        (
            &self.path,
            self.span.line,
            self.span.column,
            &self.rule,
            self.span.end,
        )
            .cmp(&(
                &other.path,
                other.span.line,
                other.span.column,
                &other.rule,
                other.span.end,
            ))
    }
}

/// A finding about a whole file, at line 1, column 1.
pub fn file_finding(path: &str, rule: &str, level: Level, message: String) -> Finding {
    let span = Span {
        start: 0,
        end: 0,
        line: 1,
        column: 1,
        end_line: 1,
        end_column: 1,
    };
    Finding {
        path: path.to_string(),
        rule: rule.into(),
        level,
        message,
        found: String::new(),
        span,
        fix: None,
        suggestions: Vec::new(),
    }
}
