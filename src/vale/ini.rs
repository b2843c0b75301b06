//! The INI dialect of `.vale.ini`, read the way Vale reads it.
//!
//! Vale loads its config with go-ini's `AllowShadows`: a section may appear
//! more than once (its keys are merged), and a key may repeat inside a
//! section. A repeated key keeps every value ("shadows"): list keys such as
//! `BasedOnStyles` take the union, `StylesPath` and `MinAlertLevel` the last
//! value, and a rule toggle its first. No INI crate on crates.io keeps
//! shadows in order with line numbers, which both the merge rules and our
//! located errors need, so this is a small parser of its own.

/// One `key = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    /// Byte offset of the key in the file, for located errors.
    pub offset: usize,
}

/// A section with all its entries in file order (repeated headers merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `""` for the keys before the first header.
    pub name: String,
    pub offset: usize,
    pub entries: Vec<Entry>,
}

impl Section {
    /// Every value of `key`, in file order.
    pub fn values(&self, key: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.key == key)
            .map(|e| e.value.as_str())
            .collect()
    }

    /// The keys in first-appearance order, each once.
    pub fn keys(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !out.contains(&e.key.as_str()) {
                out.push(&e.key);
            }
        }
        out
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// A syntax error: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IniError {
    pub message: String,
    pub offset: usize,
    pub len: usize,
}

/// Parses INI text into sections in first-appearance order; the unnamed
/// section comes first (possibly empty).
pub fn parse(text: &str) -> Result<Vec<Section>, IniError> {
    let mut sections = vec![Section {
        name: String::new(),
        offset: 0,
        entries: Vec::new(),
    }];
    let mut current = 0;
    let mut offset = 0;
    for raw_line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('[') {
            let Some(name) = rest.strip_suffix(']') else {
                return Err(IniError {
                    message: "a section header must end with `]`".into(),
                    offset: line_start + lead,
                    len: trimmed.len(),
                });
            };
            let name = name.trim().to_string();
            current = match sections.iter().position(|s| s.name == name) {
                Some(i) => i,
                None => {
                    sections.push(Section {
                        name,
                        offset: line_start + lead,
                        entries: Vec::new(),
                    });
                    sections.len() - 1
                }
            };
            continue;
        }
        let Some(eq) = line.find('=') else {
            return Err(IniError {
                message: "expected `key = value` or a `[section]` header".into(),
                offset: line_start + lead,
                len: trimmed.len(),
            });
        };
        let key = line[..eq].trim().to_string();
        if key.is_empty() {
            return Err(IniError {
                message: "a key is missing before `=`".into(),
                offset: line_start + eq,
                len: 1,
            });
        }
        let value = unquote(strip_inline_comment(line[eq + 1..].trim()));
        sections[current].entries.push(Entry {
            key,
            value,
            offset: line_start + lead,
        });
    }
    Ok(sections)
}

/// go-ini's `SpaceBeforeInlineComment`: ` #` or ` ;` outside quotes starts a comment.
fn strip_inline_comment(value: &str) -> &str {
    if value.starts_with(['"', '\'']) {
        return value;
    }
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if (bytes[i] == b'#' || bytes[i] == b';') && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

/// A value wholly wrapped in `"…"`, `'…'` or `"""…"""` loses its quotes.
fn unquote(value: &str) -> String {
    for q in ["\"\"\"", "\"", "'"] {
        if value.len() >= 2 * q.len() && value.starts_with(q) && value.ends_with(q) {
            return value[q.len()..value.len() - q.len()].to_string();
        }
    }
    value.to_string()
}

/// Splits a comma-separated list value, trimming items and dropping empty ones.
pub fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Every item of every value of `key`, each once, in order (Vale's `mergeValues`).
pub fn merged_list(section: &Section, key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in section.values(key) {
        for item in list(value) {
            if !out.contains(&item) {
                out.push(item);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_shadows() {
        let text = "StylesPath = styles\nMinAlertLevel = suggestion # low\n\n[*.md]\nBasedOnStyles = A\nA.Rule = NO\n\n[*.md]\nBasedOnStyles = B, A\n";
        let s = parse(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].values("MinAlertLevel"), vec!["suggestion"]);
        assert_eq!(s[1].name, "*.md");
        assert_eq!(merged_list(&s[1], "BasedOnStyles"), vec!["A", "B"]);
        assert_eq!(s[1].keys(), vec!["BasedOnStyles", "A.Rule"]);
    }

    #[test]
    fn quotes_and_comments() {
        let s = parse("[*]\nTokenIgnores = '({#[^\\n}]+})'\n; comment\nX = a;b\n").unwrap();
        assert_eq!(s[1].values("TokenIgnores"), vec!["({#[^\\n}]+})"]);
        assert_eq!(s[1].values("X"), vec!["a;b"]);
    }

    #[test]
    fn errors_are_located() {
        let e = parse("StylesPath = x\nnonsense\n").unwrap_err();
        assert_eq!(e.offset, 15);
        let e = parse("[broken\n").unwrap_err();
        assert_eq!(e.offset, 0);
    }
}
