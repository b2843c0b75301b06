//! All YAML parsing goes through here, so that every YAML error (config,
//! rule pack, front matter) is reported the same way: file, line, column,
//! and a suggestion for a misspelt key.

use serde::de::DeserializeOwned;

use crate::error::{offset_of, FileError, Result};

/// Deserializes `text`, reporting errors located in `name`.
pub fn from_str<T: DeserializeOwned>(name: &str, text: &str) -> Result<T> {
    yaml_serde::from_str(text).map_err(|e| error_at(name, text, &e).into())
}

/// Parses `text` as an untyped YAML value.
pub fn value_from_str(text: &str) -> Result<yaml_serde::Value, yaml_serde::Error> {
    yaml_serde::from_str(text)
}

/// Turns a YAML error into a located diagnostic.
pub fn error_at(name: &str, text: &str, e: &yaml_serde::Error) -> FileError {
    let (offset, len) = match e.location() {
        Some(loc) => (offset_of(text, loc.line(), loc.column()), 1),
        None => (0, 0),
    };
    let message = strip_location(&e.to_string());
    let help = unknown_field_help(&message).or_else(|| syntax_hint(text, offset, &message));
    let offset = duplicate_key_offset(text, offset, &message).unwrap_or(offset);
    let mut error = FileError::at(name, text, offset, len, plain_words(&message), "here");
    error.help = help;
    error
}

/// serde's and Rust's words for what a value should be, in a config
/// writer's words ("expected u32" is "expected a whole number").
pub fn plain_words(message: &str) -> String {
    let mut out = message.to_string();
    for (jargon, plain) in [
        ("unknown field", "unknown key"),
        ("missing field", "missing key"),
        ("duplicate field", "duplicate key"),
        ("unknown variant", "unknown value"),
        ("invalid type: ", "found "),
        ("invalid value: ", "found "),
        ("found unit value", "found an empty value"),
        ("found integer `", "found `"),
        ("found floating point `", "found `"),
        ("found boolean `", "found `"),
        ("found string \"", "found \""),
        ("found map,", "found a mapping,"),
        ("found sequence,", "found a list,"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a mapping of keys to values"),
        ("expected a borrowed string", "expected text"),
        ("expected a string", "expected text"),
        ("expected a boolean", "expected true or false"),
        (
            "data did not match any variant of untagged enum OneOrMany",
            "expected a name or a list of names",
        ),
        (
            "data did not match any variant of untagged enum WhenSpec",
            "expected a regex, or `front_matter:` with keys and values",
        ),
    ] {
        out = out.replace(jargon, plain);
    }
    for (types, plain) in [
        (
            &["u8", "u16", "u32", "u64", "usize"][..],
            "a whole number, 0 or more",
        ),
        (&["i8", "i16", "i32", "i64", "isize"][..], "a whole number"),
        (&["f32", "f64"][..], "a number"),
    ] {
        for ty in types {
            for ending in ["", ",", ";"] {
                let jargon = format!("expected {ty}{ending}");
                if out.ends_with(&jargon) || out.contains(&format!("{jargon} ")) {
                    out = out.replace(&jargon, &format!("expected {plain}{ending}"));
                }
            }
        }
    }
    if let Some(i) = out.find("expected struct ") {
        out.truncate(i);
        out.push_str("expected a mapping of keys to values");
    }
    if let Some(i) = out.find("expected enum ") {
        out.truncate(i);
        out.push_str("expected one of the documented values");
    }
    out
}

/// A hint for YAML mistakes that the parser's message does not explain.
fn syntax_hint(text: &str, offset: usize, message: &str) -> Option<String> {
    if !message.contains("cannot start any token") && !message.contains("tab") {
        return None;
    }
    match text[offset.min(text.len())..].chars().next()? {
        '@' => Some("quote keys that start with @, e.g. \"@acme/docs\": [alice]".into()),
        '`' => Some("quote values that start with a backtick".into()),
        '\t' => Some("YAML does not allow tabs for indentation; indent with spaces".into()),
        _ if text[..offset.min(text.len())].ends_with('\t') => {
            Some("YAML does not allow tabs for indentation; indent with spaces".into())
        }
        _ => None,
    }
}

/// For "duplicate field `k`", located by serde at the enclosing mapping:
/// the offset of the second `k:` at the first one's indentation.
fn duplicate_key_offset(text: &str, from: usize, message: &str) -> Option<usize> {
    let key = message
        .strip_prefix("duplicate field `")?
        .split('`')
        .next()?;
    let mut indent = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches(' ');
        let body = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let key_at = at + (line.len() - body.len());
        if at + line.len() <= from || !is_key_line(body, key) {
            continue;
        }
        let column = key_at - at;
        match indent {
            None => indent = Some(column),
            Some(first) if first == column => return Some(key_at),
            Some(_) => {}
        }
    }
    None
}

fn is_key_line(body: &str, key: &str) -> bool {
    let body = body.trim_start_matches(['"', '\'']);
    body.strip_prefix(key)
        .map(|rest| rest.trim_start_matches(['"', '\'']))
        .is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// yaml_serde writes " at line L column C" into messages (at the end, or
/// before ", while parsing …"); the diagnostic shows the place itself, and
/// in front matter those numbers would count from the wrong line.
pub fn strip_location(message: &str) -> String {
    let location = regex::Regex::new(r" at line \d+ column \d+").expect("a valid regex");
    location.replace_all(message, "").into_owned()
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
    fn locations_are_stripped_wherever_they_are() {
        assert_eq!(
            strip_location("did not find ']' at line 3 column 1, while parsing"),
            "did not find ']', while parsing"
        );
        assert_eq!(
            strip_location("duplicate field `a` at line 2 column 3"),
            "duplicate field `a`"
        );
    }

    #[test]
    fn rust_type_names_become_plain_words() {
        assert_eq!(
            plain_words("invalid type: string \"two\", expected u32"),
            "found \"two\", expected a whole number, 0 or more"
        );
        assert_eq!(
            plain_words("invalid type: sequence, expected struct Dates"),
            "found a list, expected a mapping of keys to values"
        );
        assert_eq!(plain_words("missing field `id`"), "missing key `id`");
    }

    #[test]
    fn no_suggestion_for_unrelated_names() {
        assert_eq!(closest("zzz", ["include", "exclude"]), None);
    }
}
