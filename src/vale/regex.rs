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

/// Rewrites Vale's dialect (regexp2, a port of .NET's parser, in its RE2
/// mode) into the syntax the Rust engines read, keeping its meaning:
///
/// - character classes are re-spelled member by member: a `-` that cannot
///   make a range (after `\w`, `\d`, `\s`, `\p{…}`, first or last) is a
///   literal, `[` inside a class is a literal (except `[:alpha:]`), `&`, `~`
///   and `-` are escaped so Rust's set operators never apply, and .NET's
///   subtraction `[a-z-[aeiou]]` becomes Rust's `[a-z--[aeiou]]`;
/// - octal escapes (`\055`, `\0`), `\e`, `\cX` and escaped non-word
///   characters (`\’`, `\<`, `\>`) become the character they stand for
///   (`\<` and `\>` are word boundaries in Rust, literals in .NET);
/// - `\Z` becomes `\z`; `\k'name'` becomes `\k<name>`;
/// - `(?<name>…)` and `(?'name'…)` become `(?P<name>…)`; `(?#…)` comments
///   are dropped; the `n` (explicit capture) inline option is dropped;
/// - a `{` that does not open a quantifier (`{{<`, `{foo}`) is a literal.
pub(crate) fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => i = escape(&chars, i, &mut out),
            '[' => i = class(&chars, i, &mut out),
            '(' if chars.get(i + 1) == Some(&'?') => i = group_open(&chars, i, &mut out),
            '{' => match quantifier_len(&chars[i..]) {
                Some(n) => {
                    out.extend(&chars[i..i + n]);
                    i += n;
                }
                None => {
                    out.push_str("\\{");
                    i += 1;
                }
            },
            '}' => {
                out.push_str("\\}");
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `rest`: its length.
fn quantifier_len(rest: &[char]) -> Option<usize> {
    let close = rest.iter().position(|&c| c == '}')?;
    let body: String = rest[1..close].iter().collect();
    let (lo, hi) = match body.split_once(',') {
        Some((lo, hi)) => (lo, Some(hi)),
        None => (body.as_str(), None),
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(lo) && hi.is_none_or(|h| h.is_empty() || digits(h))).then_some(close + 1)
}

/// An escape outside a class, from the `\` at `i`; returns the next index.
fn escape(chars: &[char], i: usize, out: &mut String) -> usize {
    let Some(&n) = chars.get(i + 1) else {
        out.push_str("\\\\");
        return i + 1;
    };
    match n {
        'Z' => {
            out.push_str("\\z");
            i + 2
        }
        'k' if chars.get(i + 2) == Some(&'\'') => {
            let close = chars[i + 3..].iter().position(|&c| c == '\'');
            match close {
                Some(len) => {
                    out.push_str("\\k<");
                    out.extend(&chars[i + 3..i + 3 + len]);
                    out.push('>');
                    i + 4 + len
                }
                None => {
                    out.push_str("\\k");
                    i + 2
                }
            }
        }
        '1'..='9'
        | 'b'
        | 'B'
        | 'A'
        | 'z'
        | 'G'
        | 'w'
        | 'W'
        | 's'
        | 'S'
        | 'd'
        | 'D'
        | 'p'
        | 'P'
        | 'k' => {
            out.push('\\');
            out.push(n);
            i + 2
        }
        _ => {
            let (ch, next) = char_escape(chars, i + 1);
            push_literal(ch, out, false);
            next
        }
    }
}

/// regexp2's `scanCharEscape` from the character after `\` at `i`: the
/// character meant and the next index.
fn char_escape(chars: &[char], i: usize) -> (char, usize) {
    let c = chars[i];
    let hex = |from: usize, len: usize| -> Option<(char, usize)> {
        let digits: String = chars.get(from..from + len)?.iter().collect();
        let v = u32::from_str_radix(&digits, 16).ok()?;
        Some((char::from_u32(v)?, from + len))
    };
    match c {
        '0'..='7' => {
            let mut v = 0u32;
            let mut j = i;
            while j < chars.len() && j < i + 3 && ('0'..='7').contains(&chars[j]) {
                v = v * 8 + (chars[j] as u32 - '0' as u32);
                j += 1;
            }
            (char::from_u32(v & 0xFF).unwrap_or('\0'), j)
        }
        'x' if chars.get(i + 1) == Some(&'{') => {
            match chars[i + 2..].iter().position(|&c| c == '}') {
                Some(len) => hex(i + 2, len)
                    .map(|(c, _)| (c, i + 3 + len))
                    .unwrap_or(('x', i + 1)),
                None => ('x', i + 1),
            }
        }
        'x' => hex(i + 1, 2).unwrap_or(('x', i + 1)),
        'u' => hex(i + 1, 4).unwrap_or(('u', i + 1)),
        'a' => ('\u{7}', i + 1),
        'b' => ('\u{8}', i + 1),
        'e' => ('\u{1B}', i + 1),
        'f' => ('\u{C}', i + 1),
        'n' => ('\n', i + 1),
        'r' => ('\r', i + 1),
        't' => ('\t', i + 1),
        'v' => ('\u{B}', i + 1),
        'c' => match chars.get(i + 1) {
            Some(&l) if l.is_ascii_alphabetic() => {
                (char::from((l.to_ascii_uppercase() as u8) ^ 0x40), i + 2)
            }
            _ => ('c', i + 1),
        },
        other => (other, i + 1),
    }
}

/// Writes `c` so both Rust engines read it as that one character.
fn push_literal(c: char, out: &mut String, in_class: bool) {
    let meta = if in_class {
        "\\[]^-&~"
    } else {
        "\\.+*?()|[]{}^$#&-~"
    };
    if c.is_control() || c == ' ' {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    } else if meta.contains(c) {
        out.push('\\');
        out.push(c);
    } else {
        out.push(c);
    }
}

/// A character class from the `[` at `i`, re-spelled member by member as
/// regexp2's `scanCharSet` reads it; returns the next index. A class that
/// never closes is copied as it is (the engine reports it).
fn class(chars: &[char], i: usize, out: &mut String) -> usize {
    let mut body = String::from("[");
    let mut j = i + 1;
    if chars.get(j) == Some(&'^') {
        body.push('^');
        j += 1;
    }
    let mut first = true;
    while j < chars.len() {
        let c = chars[j];
        if c == ']' && !first {
            body.push(']');
            out.push_str(&body);
            return j + 1;
        }
        let was_first = first;
        first = false;
        let (ch, next): (char, usize);
        if c == '\\' && j + 1 < chars.len() {
            let e = chars[j + 1];
            if "dDsSwW".contains(e) {
                body.push('\\');
                body.push(e);
                j += 2;
                continue;
            }
            if e == 'p' || e == 'P' {
                let end = chars[j..]
                    .iter()
                    .position(|&c| c == '}')
                    .map_or(j + 2, |p| j + p + 1);
                body.extend(&chars[j..end]);
                j = end;
                continue;
            }
            (ch, next) = char_escape(chars, j + 1);
        } else if c == '[' && chars.get(j + 1) == Some(&':') {
            // A POSIX class `[:name:]` (RE2 mode), else a literal `[`.
            let close = chars[j + 2..]
                .windows(2)
                .position(|w| w == [':', ']'])
                .map(|p| j + 2 + p);
            match close {
                Some(end)
                    if chars[j + 2..end]
                        .iter()
                        .all(|c| c.is_ascii_alphabetic() || *c == '^') =>
                {
                    body.extend(&chars[j..end + 2]);
                    j = end + 2;
                    continue;
                }
                _ => (ch, next) = ('[', j + 1),
            }
        } else if c == '-' && !was_first && chars.get(j + 1) == Some(&'[') {
            // .NET subtraction: `[a-z-[aeiou]]`.
            body.push_str("--");
            let mut sub = String::new();
            let end = class(chars, j + 1, &mut sub);
            body.push_str(&sub);
            j = end;
            continue;
        } else {
            (ch, next) = (c, j + 1);
        }
        j = next;
        // A range `a-b`: a character, then `-`, then anything but `]`.
        if chars.get(j) == Some(&'-') && chars.get(j + 1).is_some_and(|&c| c != ']') {
            // Range end: one character (an escape or a plain one).
            let (end, after) = if chars[j + 1] == '\\' && j + 2 < chars.len() {
                char_escape(chars, j + 2)
            } else {
                (chars[j + 1], j + 2)
            };
            if chars[j + 1] == '[' {
                // `x-[…]`: a subtraction after a single character.
                push_literal(ch, &mut body, true);
                body.push_str("--");
                let mut sub = String::new();
                let e = class(chars, j + 1, &mut sub);
                body.push_str(&sub);
                j = e;
                continue;
            }
            push_literal(ch, &mut body, true);
            body.push('-');
            push_literal(end, &mut body, true);
            j = after;
            continue;
        }
        push_literal(ch, &mut body, true);
    }
    // Unclosed: leave it to the engine's error.
    out.extend(&chars[i..]);
    chars.len()
}

/// A `(?` construct at `i`: named groups, comments and inline options.
fn group_open(chars: &[char], i: usize, out: &mut String) -> usize {
    let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
    if rest.starts_with("(?<") && !rest.starts_with("(?<=") && !rest.starts_with("(?<!") {
        out.push_str("(?P<");
        return i + 3;
    }
    if rest.starts_with("(?'") {
        if let Some(len) = chars[i + 3..].iter().position(|&c| c == '\'') {
            out.push_str("(?P<");
            out.extend(&chars[i + 3..i + 3 + len]);
            out.push('>');
            return i + 4 + len;
        }
    }
    if rest.starts_with("(?#") {
        return chars[i..]
            .iter()
            .position(|&c| c == ')')
            .map_or(chars.len(), |p| i + p + 1);
    }
    // Inline options `(?imnsx-imnsx)` or `(?imnsx-imnsx:`.
    let mut j = i + 2;
    while j < chars.len() && "imnsx-".contains(chars[j]) {
        j += 1;
    }
    if j > i + 2 && matches!(chars.get(j), Some(')') | Some(':')) {
        let flags: String = chars[i + 2..j].iter().filter(|&&c| c != 'n').collect();
        let flags = flags.trim_end_matches('-');
        let closing = chars[j];
        if flags.is_empty() || flags == "-" {
            if closing == ':' {
                out.push_str("(?:");
            }
        } else {
            out.push_str("(?");
            out.push_str(flags);
            out.push(closing);
        }
        return j + 1;
    }
    out.push_str("(?");
    i + 2
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

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let re = ValeRegex::new(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        re.find_all(text)
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn dash_after_a_class_is_a_literal() {
        assert_eq!(translate(r"[\w-_` ]"), r"[\w\-_`\x{20}]");
        assert_eq!(matches(r"[\w-_]+", "a-b_c d"), vec!["a-b_c", "d"]);
        assert_eq!(matches(r"[\s-]", "a-b"), vec!["-"]);
        assert_eq!(matches(r"[-a]", "-a"), vec!["-", "a"]);
        assert_eq!(matches(r"[a-]", "-a"), vec!["-", "a"]);
        assert_eq!(matches(r"[a-c]", "abcd"), vec!["a", "b", "c"]);
    }

    #[test]
    fn class_members_never_become_set_operators() {
        assert_eq!(matches(r"[&&]", "a&b"), vec!["&"]);
        assert_eq!(matches(r"[~~]", "a~b"), vec!["~"]);
        assert_eq!(matches(r"[a\--]", "a-"), vec!["a", "-"]);
        // `a--` is a reversed range in .NET too.
        assert!(ValeRegex::new(r"[a--]").is_err());
        // `[` is a literal inside a .NET class; `[:alpha:]` is a POSIX class.
        assert_eq!(matches(r"[[(]", "x[y("), vec!["[", "("]);
        assert_eq!(matches(r"[[:digit:]]+", "ab12"), vec!["12"]);
        // A `]` first is a member.
        assert_eq!(matches(r"[]a]", "]a"), vec!["]", "a"]);
        assert_eq!(matches(r"[^]a]", "]ab"), vec!["b"]);
    }

    #[test]
    fn class_subtraction() {
        assert_eq!(matches(r"[a-z-[aeiou]]+", "bcdea"), vec!["bcd"]);
    }

    #[test]
    fn octal_and_character_escapes() {
        assert_eq!(matches(r"a\055b", "a-b"), vec!["a-b"]);
        assert_eq!(matches(r"[\055]", "a-b"), vec!["-"]);
        assert_eq!(matches(r"\0", "a\0b"), vec!["\0"]);
        assert_eq!(matches(r"\e", "a\u{1b}"), vec!["\u{1b}"]);
        assert_eq!(matches(r"\cA", "\u{1}"), vec!["\u{1}"]);
        assert_eq!(matches(r"\x41\u0042", "AB"), vec!["AB"]);
        // Escaped punctuation is the character; `\<` is not a word boundary.
        assert_eq!(matches(r"\<b\>", "a <b>"), vec!["<b>"]);
        assert_eq!(matches(r"\’s", "it’s"), vec!["’s"]);
        assert_eq!(matches(r"\/\:\@", "/:@"), vec!["/:@"]);
        // Back-references stay back-references.
        assert_eq!(matches(r"(a)\1", "aa"), vec!["aa"]);
    }

    #[test]
    fn anchors_and_groups() {
        assert_eq!(matches(r"end\Z", "the end"), vec!["end"]);
        assert_eq!(matches(r"(?<w>\w+) \k<w>", "the the"), vec!["the the"]);
        assert_eq!(matches(r"(?'w'\w+) \k'w'", "the the"), vec!["the the"]);
        assert_eq!(translate(r"(?'w'x)"), r"(?P<w>x)");
        assert_eq!(matches(r"a(?#note)b", "ab"), vec!["ab"]);
        assert_eq!(matches(r"(?<=a)b(?<!c)", "ab cb"), vec!["b"]);
    }

    #[test]
    fn inline_options() {
        assert_eq!(matches(r"(?i)ABC", "abc"), vec!["abc"]);
        assert_eq!(matches(r"(?in)(ab)c", "ABC"), vec!["ABC"]);
        assert_eq!(translate(r"(?n)x"), "x");
        assert_eq!(translate(r"(?n:x)"), "(?:x)");
        assert_eq!(matches(r"(?i:a)b", "Ab AB"), vec!["Ab"]);
        assert_eq!(matches(r"(?x) a \  b ", "a b"), vec!["a b"]);
    }

    #[test]
    fn braces_that_are_not_quantifiers_are_literals() {
        assert_eq!(matches(r"{{< .* >}}", "x {{< ref >}}"), vec!["{{< ref >}}"]);
        assert_eq!(matches(r"a{2}", "aaa"), vec!["aa"]);
        assert_eq!(matches(r"a{1,}b{,2}", "aab{,2}"), vec!["aab{,2}"]);
        assert_eq!(matches(r"{foo}", "{foo}"), vec!["{foo}"]);
    }
}
