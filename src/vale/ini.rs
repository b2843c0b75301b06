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
    /// Which of the merged files it came from (0 for a single file).
    pub file: usize,
}

/// A section with all its entries in file order (repeated headers merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `""` for the keys before the first header.
    pub name: String,
    pub offset: usize,
    /// Which of the merged files first opened it.
    pub file: usize,
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
///
/// Follows go-ini (the fork Vale pins) line for line: `=` or `:` separates
/// key and value (the first of either); `#`/`;` start a comment line, and
/// ` #`/` ;` an inline one; a value ending in `\` continues on the next
/// line (each continuation line trimmed, joined with nothing, until a line
/// that does not end in `\` or an empty line); a value opened with `"""` or
/// a backtick runs to the last matching quote, across lines if needed; a
/// value wholly inside `'…'` or `"…"` (and no other such quote) loses them.
pub fn parse(text: &str) -> Result<Vec<Section>, IniError> {
    let mut sections = vec![Section {
        name: String::new(),
        offset: 0,
        file: 0,
        entries: Vec::new(),
    }];
    let mut current = 0;
    let mut lines = Lines::new(text);
    while let Some((line_start, raw_line)) = lines.next() {
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let lead = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            // go-ini reads to the last `]`; anything after it is a comment.
            let Some(close) = trimmed.rfind(']') else {
                return Err(IniError {
                    message: "a section header must end with `]`".into(),
                    offset: line_start + lead,
                    len: trimmed.len(),
                });
            };
            let name = trimmed[1..close].trim().to_string();
            current = match sections.iter().position(|s| s.name == name) {
                Some(i) => i,
                None => {
                    sections.push(Section {
                        name,
                        offset: line_start + lead,
                        file: 0,
                        entries: Vec::new(),
                    });
                    sections.len() - 1
                }
            };
            continue;
        }
        // The newline stays: a multi-line quoted value keeps it.
        let body = &raw_line[lead..];
        let (key, value_start) = key_name(body).ok_or_else(|| IniError {
            message: "expected `key = value` or a `[section]` header".into(),
            offset: line_start + lead,
            len: trimmed.len(),
        })?;
        if key.is_empty() {
            return Err(IniError {
                message: "a key is missing before `=`".into(),
                offset: line_start + lead,
                len: 1,
            });
        }
        let value = read_value(&body[value_start..], &mut lines).map_err(|message| IniError {
            message,
            offset: line_start + lead,
            len: trimmed.len(),
        })?;
        sections[current].entries.push(Entry {
            key,
            value,
            offset: line_start + lead,
            file: 0,
        });
    }
    Ok(sections)
}

/// The lines of the text with their byte offsets, newlines kept.
struct Lines<'a> {
    text: &'a str,
    offset: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines { text, offset: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.offset..];
        let len = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let start = self.offset;
        self.offset += len;
        Some((start, &rest[..len]))
    }
}

/// go-ini's `readKeyName`: the key (maybe quoted with `"`, `"""` or a
/// backtick) and where its value starts, after the first `=` or `:`.
fn key_name(line: &str) -> Option<(String, usize)> {
    let quote = if line.len() > 6 && line.starts_with("\"\"\"") {
        "\"\"\""
    } else if line.starts_with('"') {
        "\""
    } else if line.starts_with('`') {
        "`"
    } else {
        ""
    };
    if !quote.is_empty() {
        let close = line[quote.len()..].find(quote)? + quote.len();
        let after = close + quote.len();
        let delim = line[after..].find(['=', ':'])? + after;
        return Some((line[quote.len()..close].trim().to_string(), delim + 1));
    }
    let delim = line.find(['=', ':'])?;
    Some((line[..delim].trim().to_string(), delim + 1))
}

/// go-ini's `readValue` with Vale's options (`SpaceBeforeInlineComment`,
/// continuation lines on); may consume following lines.
fn read_value(raw: &str, lines: &mut Lines) -> Result<String, String> {
    let line = raw.trim_start();
    if line.is_empty() {
        return Ok(String::new());
    }
    let quote = if line.len() > 3 && line.starts_with("\"\"\"") {
        "\"\"\""
    } else if line.starts_with('`') {
        "`"
    } else {
        ""
    };
    if !quote.is_empty() {
        let inner = &line[quote.len()..];
        if let Some(pos) = inner.rfind(quote) {
            return Ok(inner[..pos].to_string());
        }
        // Multi-line quoted value: raw lines up to the closing quote.
        let mut value = inner.to_string();
        for (_, next) in lines.by_ref() {
            if let Some(pos) = next.rfind(quote) {
                value.push_str(&next[..pos]);
                return Ok(value);
            }
            value.push_str(next);
        }
        return Err(format!("the value opened with {quote} is never closed"));
    }
    let line = line.trim();
    if let Some(head) = line.strip_suffix('\\') {
        let mut value = head.to_string();
        for (_, next) in lines.by_ref() {
            let next = next.trim();
            if next.is_empty() {
                break;
            }
            value.push_str(next);
            match value.strip_suffix('\\') {
                Some(v) => value.truncate(v.len()),
                None => break,
            }
        }
        return Ok(value);
    }
    let line = match line.find(" #").or_else(|| line.find(" ;")) {
        Some(i) => line[..i].trim(),
        None => line,
    };
    for q in ['\'', '"'] {
        if surrounded_by(line, q) {
            return Ok(line[1..line.len() - 1].to_string());
        }
    }
    Ok(line.to_string())
}

/// go-ini's `hasSurroundedQuote`: `q…q` with no other `q` inside.
fn surrounded_by(s: &str, q: char) -> bool {
    s.len() >= 2 && s.starts_with(q) && s.ends_with(q) && s[1..].find(q) == Some(s.len() - 2)
}

/// Vale's `shadowMerge`: the files in order, each later file's keys added
/// as shadows of the same section's keys (a new section goes last). So a
/// list key takes the union, and a key read by its first value keeps the
/// earliest file's.
pub fn merge(files: Vec<Vec<Section>>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (index, sections) in files.into_iter().enumerate() {
        for mut section in sections {
            section.file = index;
            for e in &mut section.entries {
                e.file = index;
            }
            match out.iter_mut().find(|s| s.name == section.name) {
                Some(existing) => existing.entries.extend(section.entries),
                None => out.push(section),
            }
        }
    }
    out
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

    #[test]
    fn continuation_lines_join_trimmed() {
        let text = "[*.md]\nTokenIgnores = (\\$+[^\\n$]+\\$+), \\\n    (\\*\\*[^*]+\\*\\*), \\\n  (x)\nBasedOnStyles = A\n";
        let s = parse(text).unwrap();
        assert_eq!(
            s[1].values("TokenIgnores"),
            vec!["(\\$+[^\\n$]+\\$+), (\\*\\*[^*]+\\*\\*), (x)"]
        );
        assert_eq!(merged_list(&s[1], "TokenIgnores").len(), 3);
        assert_eq!(s[1].values("BasedOnStyles"), vec!["A"]);
    }

    #[test]
    fn continuation_stops_at_an_empty_line_and_keeps_comments() {
        // go-ini checks for `\` before it strips an inline comment, and an
        // empty line ends the value.
        let s = parse("[*]\nA = x # note \\\n\nB = y\n").unwrap();
        assert_eq!(s[1].values("A"), vec!["x # note "]);
        assert_eq!(s[1].values("B"), vec!["y"]);
        // A continuation at the end of the file simply ends.
        let s = parse("[*]\nA = x, \\").unwrap();
        assert_eq!(s[1].values("A"), vec!["x, "]);
    }

    #[test]
    fn colon_backticks_and_triple_quotes() {
        let s = parse("MinAlertLevel: error\n[*]\nT = `a # b`\nU = \"\"\"one\ntwo\"\"\"\nV = 'it's'\nW = \"q\" # c\n").unwrap();
        assert_eq!(s[0].values("MinAlertLevel"), vec!["error"]);
        assert_eq!(s[1].values("T"), vec!["a # b"]);
        assert_eq!(s[1].values("U"), vec!["one\ntwo"]);
        // A third quote inside keeps the quotes (go-ini's hasSurroundedQuote).
        assert_eq!(s[1].values("V"), vec!["'it's'"]);
        assert_eq!(s[1].values("W"), vec!["q"]);
        let e = parse("[*]\nU = \"\"\"never\nclosed\n").unwrap_err();
        assert!(e.message.contains("never closed"), "{}", e.message);
    }

    #[test]
    fn text_after_a_header_is_a_comment() {
        let s = parse("[*.md] ; markdown\nA = 1\n").unwrap();
        assert_eq!(s[1].name, "*.md");
    }

    #[test]
    fn merged_files_add_shadows() {
        let a = parse("[*.md]\nTokenIgnores = a\nX.Y = NO\n").unwrap();
        let b =
            parse("MinAlertLevel = error\n[*.md]\nTokenIgnores = b\nX.Y = YES\n[*.txt]\nZ = 1\n")
                .unwrap();
        let m = merge(vec![a, b]);
        let md = m.iter().find(|s| s.name == "*.md").unwrap();
        assert_eq!(merged_list(md, "TokenIgnores"), vec!["a", "b"]);
        assert_eq!(
            md.entry("X.Y").map(|e| (e.value.as_str(), e.file)),
            Some(("NO", 0))
        );
        assert_eq!(m.last().unwrap().name, "*.txt");
        assert_eq!(m[0].values("MinAlertLevel"), vec!["error"]);
    }
}
