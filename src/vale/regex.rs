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
    Fancy(Box<fancy_regex::Regex>),
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
                .map(|re| ValeRegex::Fancy(Box::new(re)))
                .map_err(|_| clean_error(&plain_error.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ValeRegex::Plain(r) => r.as_str(),
            ValeRegex::Fancy(r) => r.as_str(),
        }
    }

    pub fn is_fancy(&self) -> bool {
        matches!(self, ValeRegex::Fancy(_))
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            ValeRegex::Plain(r) => r.is_match(text),
            ValeRegex::Fancy(r) => r.is_match(text).unwrap_or(false),
        }
    }

    /// Non-overlapping matches, leftmost-first; empty matches included.
    pub fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            ValeRegex::Plain(r) => r.find_iter(text).map(|m| m.range()).collect(),
            ValeRegex::Fancy(r) => r
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
            ValeRegex::Fancy(r) => r.find(text).ok().flatten().map(|m| m.range()),
        }
    }

    /// Every match with its groups (group 0 first; `None` for a group that did not take part).
    pub fn captures_all(&self, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        match self {
            ValeRegex::Plain(r) => r
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
            ValeRegex::Fancy(r) => r
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
            ValeRegex::Fancy(r) => r.replace_all(text, template).into_owned(),
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
