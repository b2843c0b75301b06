//! All YAML parsing goes through here, so that every YAML error (config,
//! rule pack, front matter) is reported the same way: file, line, column,
//! and a suggestion for a misspelt key.

use serde::de::DeserializeOwned;

use crate::error::{offset_of, FileError, Result};

/// Deserializes `text`, reporting errors located in `name`.
pub fn from_str<T: DeserializeOwned>(name: &str, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| error_at(name, text, &e).into())
}

/// Parses `text` as an untyped YAML value.
pub fn value_from_str(text: &str) -> Result<serde_yaml::Value, serde_yaml::Error> {
    serde_yaml::from_str(text)
}

/// Turns a YAML error into a located diagnostic.
pub fn error_at(name: &str, text: &str, e: &serde_yaml::Error) -> FileError {
    let (offset, len) = match e.location() {
        Some(loc) => (offset_of(text, loc.line(), loc.column()), 1),
        None => (0, 0),
    };
    let message = strip_location(&e.to_string());
    let help = unknown_field_help(&message);
    let mut error = FileError::at(name, text, offset, len, message, "here");
    error.help = help;
    error
}

/// serde_yaml appends " at line L column C" to messages; miette shows the place itself.
fn strip_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// For "unknown field `x`, expected one of `a`, `b`": suggest the closest key.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message
        .split("unknown field `")
        .nth(1)
        .or_else(|| message.split("unknown variant `").nth(1))?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    closest(field, candidates.iter().copied()).map(|c| format!("did you mean `{c}`?"))
}

/// The candidate most similar to `name`, if any is similar enough.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let help = unknown_field_help("unknown field `incldue`, expected `include` or `exclude`");
        assert_eq!(help.as_deref(), Some("did you mean `include`?"));
    }

    #[test]
    fn no_suggestion_for_unrelated_names() {
        assert_eq!(closest("zzz", ["include", "exclude"]), None);
    }
}
