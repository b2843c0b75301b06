//! YAML front matter: the block between `---` lines at the top of a file.
//! Parsed with yaml_serde for values; each top-level key's place in the
//! source is found from its line so findings can point at it.

use std::ops::Range;

use yaml_serde::{Mapping, Value};

#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Source range of the whole block, delimiters included.
    pub range: Range<usize>,
    /// Parsed mapping (empty when the YAML is invalid or not a mapping).
    pub values: Mapping,
    pub keys: Vec<FrontMatterKey>,
    /// Parse error: message and source offset.
    pub error: Option<(String, usize)>,
}

/// A top-level key, where it is and, for a one-line scalar, where its value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterKey {
    pub name: String,
    pub key: Range<usize>,
    /// Source range of a one-line scalar value without its quotes.
    pub value: Option<Range<usize>>,
    /// The value's source is exactly its text (no YAML escapes).
    pub value_exact: bool,
}

impl FrontMatter {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    pub fn key(&self, name: &str) -> Option<&FrontMatterKey> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// Splits off front matter starting at `start` (after any BOM). Returns the
/// front matter and the offset where the Markdown body begins.
pub fn parse(text: &str, start: usize) -> (Option<FrontMatter>, usize) {
    let Some(first_len) = delimiter_len(&text[start..], "---") else {
        return (None, start);
    };
    let yaml_start = start + first_len;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        let closing = delimiter_len(line, "---").or_else(|| delimiter_len(line, "..."));
        if let Some(len) = closing {
            let yaml = &text[yaml_start..offset];
            let body = offset + len;
            return (Some(build(text, start..body, yaml_start, yaml)), body);
        }
        offset += line.len();
    }
    (None, start)
}

/// Length of a delimiter line (`---` + optional spaces + line ending), if `s` starts with one.
fn delimiter_len(s: &str, delim: &str) -> Option<usize> {
    let line = s.split_inclusive('\n').next()?;
    let content = line.trim_end_matches(['\n', '\r']);
    (content.trim_end() == delim && (line.ends_with('\n') || line.len() == s.len()))
        .then_some(line.len())
}

fn build(text: &str, range: Range<usize>, yaml_start: usize, yaml: &str) -> FrontMatter {
    let (values, error) = if yaml.trim().is_empty() {
        (Mapping::new(), None)
    } else {
        match crate::yaml::value_from_str(yaml) {
            Ok(Value::Mapping(m)) => (m, None),
            Ok(_) => (
                Mapping::new(),
                Some((
                    "front matter is not a mapping of keys to values".to_string(),
                    yaml_start,
                )),
            ),
            Err(e) => {
                let at = e
                    .location()
                    .map_or(0, |l| crate::error::offset_of(yaml, l.line(), l.column()));
                let msg = crate::yaml::strip_location(&e.to_string());
                (
                    Mapping::new(),
                    Some((
                        format!("invalid front matter: {}", crate::yaml::plain_words(&msg)),
                        yaml_start + at,
                    )),
                )
            }
        }
    };
    FrontMatter {
        range,
        values,
        keys: locate_keys(text, yaml_start, yaml),
        error,
    }
}

/// Top-level keys start at column 0: `key: value`.
fn locate_keys(text: &str, yaml_start: usize, yaml: &str) -> Vec<FrontMatterKey> {
    let mut keys = Vec::new();
    let mut offset = yaml_start;
    for line in yaml.split_inclusive('\n') {
        if let Some(key) = key_on_line(text, offset, line) {
            keys.push(key);
        }
        offset += line.len();
    }
    keys
}

fn key_on_line(text: &str, offset: usize, line: &str) -> Option<FrontMatterKey> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{') {
        return None;
    }
    let (raw_key, rest) = line.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n'])) {
        return None;
    }
    let name = raw_key.trim().trim_matches(['"', '\'']).to_string();
    let key = offset..offset + raw_key.trim_end().len();
    let value_at = offset + raw_key.len() + 1;
    let (value, value_exact) = scalar_value(&text[value_at..offset + line.len()], value_at);
    Some(FrontMatterKey {
        name,
        key,
        value,
        value_exact,
    })
}

/// The range of a one-line plain or quoted scalar after `key:`.
fn scalar_value(rest: &str, at: usize) -> (Option<Range<usize>>, bool) {
    let content = rest.trim_end_matches(['\n', '\r']);
    let lead = content.len() - content.trim_start().len();
    let v = content.trim();
    let v = v.split(" #").next().unwrap_or(v).trim_end();
    if v.is_empty() || v.starts_with(['[', '{', '|', '>', '&', '*', '!', '#']) {
        return (None, false);
    }
    let start = at + lead;
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            let inner = &v[1..v.len() - 1];
            let exact = !inner.contains('\\') && !inner.contains("''");
            return (Some(start + 1..start + 1 + inner.len()), exact);
        }
    }
    (Some(start..start + v.len()), true)
}

/// A YAML value as display text: strings as they are, others in YAML form.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => String::new(),
        other => yaml_serde::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_values() {
        let text = "---\ntitle: \"Hello\"\nowner: '@acme/docs'\ntags: [a, b]\n---\nBody";
        let (fm, body) = parse(text, 0);
        let fm = fm.unwrap();
        assert_eq!(&text[body..], "Body");
        let title = fm.key("title").unwrap();
        assert_eq!(&text[title.value.clone().unwrap()], "Hello");
        assert_eq!(&text[title.key.clone()], "title");
        assert!(fm.key("tags").unwrap().value.is_none());
        assert_eq!(value_text(fm.get("owner").unwrap()), "@acme/docs");
    }

    #[test]
    fn crlf_front_matter() {
        let text = "---\r\ntitle: Hi\r\n---\r\nBody";
        let (fm, body) = parse(text, 0);
        assert_eq!(&text[body..], "Body");
        let fm = fm.unwrap();
        assert_eq!(&text[fm.key("title").unwrap().value.clone().unwrap()], "Hi");
    }

    #[test]
    fn invalid_yaml_is_reported() {
        let text = "---\ntitle: [unclosed\n---\n";
        let fm = parse(text, 0).0.unwrap();
        assert!(fm.error.is_some());
    }

    #[test]
    fn no_front_matter_without_closing() {
        assert!(parse("---\ntitle: x\n", 0).0.is_none());
        assert!(parse("# Title\n", 0).0.is_none());
    }
}
