//! Vale's regex flavour. Vale compiles rule patterns with regexp2 in its RE2
//! mode, which accepts Go's RE2 syntax plus look-around and back-references.
//! A pattern compiles with the `regex` crate (linear time) whenever it can;
//! only a pattern that needs look-around or back-references goes to
//! `fancy-regex`, with a backtracking limit so one rule cannot stall a run.

use std::ops::Range;

/// Backtracking steps allowed per match attempt for look-around patterns;
/// past it the attempt counts as no match (regexp2 times out the same way).
const BACKTRACK_LIMIT: usize = 200_000;

#[derive(Debug, Clone)]
pub enum ValeRegex {
    Plain(regex::Regex),
    /// A backtracking pattern, with a linear-time "relaxed" form (its
    /// look-arounds dropped) that matches wherever it can: when the relaxed
    /// form finds nothing, the backtracking engine is not run.
    Fancy(Box<fancy_regex::Regex>, Option<regex::Regex>),
}

impl ValeRegex {
    /// Compiles `pattern`, preferring the linear-time engine.
    pub fn new(pattern: &str) -> Result<ValeRegex, String> {
        let translated = translate(pattern);
        match regex::RegexBuilder::new(&translated)
            .size_limit(64 << 20)
            .build()
        {
            Ok(re) => Ok(ValeRegex::Plain(re)),
            Err(plain_error) => fancy_regex::RegexBuilder::new(&translated)
                .backtrack_limit(BACKTRACK_LIMIT)
                .build()
                .map(|re| {
                    let relaxed =
                        without_lookaround(&translated).and_then(|p| regex::Regex::new(&p).ok());
                    ValeRegex::Fancy(Box::new(re), relaxed)
                })
                .map_err(|_| clean_error(&plain_error.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ValeRegex::Plain(r) => r.as_str(),
            ValeRegex::Fancy(r, _) => r.as_str(),
        }
    }

    pub fn is_fancy(&self) -> bool {
        matches!(self, ValeRegex::Fancy(..))
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            ValeRegex::Plain(r) => r.is_match(text),
            ValeRegex::Fancy(r, relaxed) => {
                relaxed.as_ref().is_none_or(|x| x.is_match(text))
                    && r.is_match(text).unwrap_or(false)
            }
        }
    }

    /// Non-overlapping matches, leftmost-first; empty matches included.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            ValeRegex::Plain(r) => r.find_iter(text).map(|m| m.range()).collect(),
            ValeRegex::Fancy(_, Some(relaxed)) if !relaxed.is_match(text) => Vec::new(),
            ValeRegex::Fancy(r, _) => r
                .find_iter(text)
                .map_while(Result::ok)
                .map(|m| m.range())
                .collect(),
        }
    }

    /// The first match.
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        match self {
            ValeRegex::Plain(r) => r.find(text).map(|m| m.range()),
            ValeRegex::Fancy(_, Some(relaxed)) if !relaxed.is_match(text) => None,
            ValeRegex::Fancy(r, _) => r.find(text).ok().flatten().map(|m| m.range()),
        }
    }

    /// Every match with its groups (group 0 first; `None` for a group that did not take part).
    pub fn captures_all(&self, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        match self {
            ValeRegex::Plain(r) => r
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
            ValeRegex::Fancy(_, Some(relaxed)) if !relaxed.is_match(text) => Vec::new(),
            ValeRegex::Fancy(r, _) => r
                .captures_iter(text)
                .map_while(Result::ok)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
        }
    }

    /// Replaces every match with `template` (`$1`, `${name}` expanded).
    pub fn replace_all(&self, text: &str, template: &str) -> String {
        match self {
            ValeRegex::Plain(r) => r.replace_all(text, template).into_owned(),
            ValeRegex::Fancy(r, _) => r.replace_all(text, template).into_owned(),
        }
    }
}

/// Rewrites the few Go/.NET spellings the Rust engines read differently:
/// `(?P<name>` is fine for both; `\Z` (end of text in .NET) becomes `\z`.
fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                if n == 'Z' && !in_class {
                    out.push_str("\\z");
                } else {
                    out.push('\\');
                    out.push(n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal member.
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().expect("peeked"));
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str("\\]");
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `pattern` with its look-around groups removed (`(?=…)`, `(?!…)`,
/// `(?<=…)`, `(?<!…)`): it matches everything the original matches, and
/// more. `None` when the pattern has back-references, which cannot be relaxed.
fn without_lookaround(pattern: &str) -> Option<String> {
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    let mut in_class = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\\' {
            if bytes
                .get(i + 1)
                .is_some_and(|d| d.is_ascii_digit() && *d != b'0')
                || bytes.get(i + 1) == Some(&b'k')
            {
                return None;
            }
            let end = (i + 2).min(bytes.len());
            out.push_str(&pattern[i..end]);
            i = end;
            continue;
        }
        if in_class {
            in_class = c != b']';
        } else if c == b'[' {
            in_class = true;
        } else if c == b'(' {
            let rest = &pattern[i..];
            if ["(?=", "(?!", "(?<=", "(?<!"]
                .iter()
                .any(|p| rest.starts_with(p))
            {
                i = group_end(bytes, i)?;
                continue;
            }
        }
        let ch = pattern[i..].chars().next()?;
        out.push(ch);
        i += ch.len_utf8();
    }
    Some(out)
}

/// Index just past the group opening at `open`.
fn group_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    let mut in_class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'(' if !in_class => depth += 1,
            b')' if !in_class => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The regex crate's error without its multi-line pattern echo.
fn clean_error(message: &str) -> String {
    message
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(|l| l.trim_start_matches("error:").trim().to_string())
        .next()
        .unwrap_or_else(|| message.lines().last().unwrap_or(message).trim().to_string())
}

/// Does `pattern` contain no regex syntax at all (so it can be matched as a literal)?
pub fn is_literal(pattern: &str) -> bool {
    !pattern.is_empty() && !pattern.chars().any(|c| "\\.+*?()|[]{}^$#".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_when_possible_fancy_when_needed() {
        assert!(!ValeRegex::new(r"\bfoo\b").unwrap().is_fancy());
        let re = ValeRegex::new(r"(?<!automatic )entr[a-z]*").unwrap();
        assert!(re.is_fancy());
        assert_eq!(re.find_all("automatic entry and entrance").len(), 1);
    }

    #[test]
    fn relaxed_forms() {
        assert_eq!(
            without_lookaround(r"it is(?!\.)x").as_deref(),
            Some("it isx")
        );
        assert_eq!(
            without_lookaround(r"(?<!:[^ ]+?):\s[A-Z]").as_deref(),
            Some(r":\s[A-Z]")
        );
        assert_eq!(without_lookaround(r"(a)\1"), None);
    }

    #[test]
    fn bad_patterns_fail_with_a_short_message() {
        let err = ValeRegex::new("(unclosed").unwrap_err();
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn literals() {
        assert!(is_literal("are a number"));
        assert!(!is_literal("seem(s)?"));
    }
}
