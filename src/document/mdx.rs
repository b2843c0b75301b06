//! MDX: the parts of an `.mdx` page that are not prose, found before the
//! Markdown parse and blanked to spaces (newlines kept) so the parser reads
//! only Markdown and every offset still points at the same source byte.
//!
//! Not prose: `import`/`export` blocks (from a line starting with the
//! keyword to the next blank line), JSX comments `{/* … */}`, `{expressions}`
//! (balanced braces, strings respected), and JSX tags with their attributes
//! (`<Note type="x">`, `</Note>`, `<Br />`, `<>`). Text between tags stays
//! prose. Code fences and code spans are left alone. JSX comments are also
//! returned as comments, so `{/* vale off */}` works as `<!-- vale off -->`
//! does (as Vale's MDX reader turns one into the other).

use std::ops::Range;

/// What the pre-pass found in `text[start..]`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mdx {
    /// Every non-prose range (comments included), in order.
    pub blank: Vec<Range<usize>>,
    /// JSX comments: the whole `{/* … */}` and the text inside.
    pub comments: Vec<(Range<usize>, String)>,
}

/// Is `path` an MDX page?
pub fn is_mdx(path: &str) -> bool {
    path.rsplit('.')
        .next()
        .is_some_and(|e| e.eq_ignore_ascii_case("mdx"))
}

/// Scans the body `text[start..]`.
pub fn scan(text: &str, start: usize) -> Mdx {
    let bytes = text.as_bytes();
    let mut out = Mdx::default();
    let mut i = start;
    let mut line_start = true;
    let mut fence: Option<(u8, usize)> = None;
    while i < bytes.len() {
        if line_start {
            let line_end = text[i..].find('\n').map_or(bytes.len(), |n| i + n + 1);
            let line = &text[i..line_end];
            let trimmed = line.trim_start_matches(' ');
            let indent = line.len() - trimmed.len();
            if let Some(f) = fence_marker(trimmed).filter(|_| indent < 4) {
                match fence {
                    None => fence = Some(f),
                    Some((c, n)) if c == f.0 && f.1 >= n && trimmed.trim_end().len() == f.1 => {
                        fence = None
                    }
                    Some(_) => {}
                }
                i = line_end;
                continue;
            }
            if fence.is_some() {
                i = line_end;
                continue;
            }
            if indent == 0 && (line.starts_with("import ") || line.starts_with("export ")) {
                let end = block_end(text, i);
                out.blank.push(i..end);
                i = end;
                continue;
            }
            line_start = false;
        }
        match bytes[i] {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b'`' => i = code_span_end(bytes, i),
            b'\\' => i += 2,
            b'{' => {
                let end = brace_end(bytes, i);
                let inner = text
                    .get(i + 1..end.saturating_sub(1).max(i + 1))
                    .unwrap_or("")
                    .trim();
                if let Some(c) = inner.strip_prefix("/*").and_then(|c| c.strip_suffix("*/")) {
                    out.comments.push((i..end, c.trim().to_string()));
                }
                out.blank.push(i..end);
                i = end;
            }
            b'<' => match tag_end(bytes, i) {
                Some(end) => {
                    out.blank.push(i..end);
                    i = end;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    out
}

/// "```" or "~~~" (three or more) opening `line`: the character and count.
fn fence_marker(line: &str) -> Option<(u8, usize)> {
    let c = *line.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = line.bytes().take_while(|&b| b == c).count();
    (n >= 3).then_some((c, n))
}

/// An ESM block ends before the first blank line.
fn block_end(text: &str, from: usize) -> usize {
    let mut i = from;
    while i < text.len() {
        let end = text[i..].find('\n').map_or(text.len(), |n| i + n + 1);
        if text[i..end].trim().is_empty() {
            return i;
        }
        i = end;
    }
    text.len()
}

/// Past the code span opened by the backtick run at `i` (or past the run
/// when it never closes).
fn code_span_end(bytes: &[u8], i: usize) -> usize {
    let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut j = i + n;
    while j < bytes.len() {
        if bytes[j] == b'`' {
            let m = bytes[j..].iter().take_while(|&&b| b == b'`').count();
            if m == n {
                return j + m;
            }
            j += m;
        } else {
            j += 1;
        }
    }
    i + n
}

/// Past the `}` matching the `{` at `i` (strings and nested braces
/// respected); the end of the text when it never closes.
fn brace_end(bytes: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j < bytes.len() {
        match bytes[j] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            q @ (b'"' | b'\'' | b'`') => j = string_end(bytes, j, q),
            b'/' if bytes.get(j + 1) == Some(&b'*') => {
                j = find(bytes, j + 2, b"*/").map_or(bytes.len(), |k| k + 1);
            }
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

/// Index of the closing quote of the string opened at `i` (or the end).
fn string_end(bytes: &[u8], i: usize, q: u8) -> usize {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            c if c == q => return j,
            b'\n' if q != b'`' => return j,
            _ => {}
        }
        j += 1;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Past the JSX tag at `i` (`<Name …>`, `</Name>`, `<Name />`, `<>`, `</>`),
/// or `None` when `<` does not open one (`a < b`, an autolink).
fn tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if bytes.get(j) == Some(&b'/') {
        j += 1;
    }
    let name_start = j;
    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || b"._:-".contains(&bytes[j])) {
        j += 1;
    }
    let name = &bytes[name_start..j];
    if name.is_empty() {
        return (bytes.get(j) == Some(&b'>')).then_some(j + 1);
    }
    if !name[0].is_ascii_alphabetic() || bytes.get(j..j + 2) == Some(b"//") {
        return None;
    }
    // Attributes: strings and `{…}` may hold `>`.
    while j < bytes.len() {
        match bytes[j] {
            b'>' => return Some(j + 1),
            b'{' => j = brace_end(bytes, j),
            q @ (b'"' | b'\'') => j = string_end(bytes, j, q) + 1,
            b'<' => return None,
            _ => j += 1,
        }
    }
    None
}

/// `text` with every range blanked: each byte a space, newlines kept.
pub fn blanked(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).expect("whole characters replaced by spaces")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> String {
        let m = scan(text, 0);
        blanked(text, &m.blank)
    }

    #[test]
    fn esm_comments_expressions_and_tags_are_blanked() {
        let text = "import X from './x'\nexport const a = {\n  b: 1 }\n\n# Title\n\nSome {/* hidden note */} text <Tip kind=\"a>b\" n={1 > 2}>shown</Tip> and {props.x}.\n";
        let out = prose(text);
        assert_eq!(out.len(), text.len());
        assert!(!out.contains("import") && !out.contains("export"));
        assert!(!out.contains("hidden") && !out.contains("Tip") && !out.contains("props"));
        assert!(out.contains("# Title") && out.contains("Some ") && out.contains("shown"));
        assert_eq!(out.lines().count(), text.lines().count());
        let m = scan(text, 0);
        assert_eq!(m.comments.len(), 1);
        assert_eq!(m.comments[0].1, "hidden note");
        assert_eq!(&text[m.comments[0].0.clone()], "{/* hidden note */}");
    }

    #[test]
    fn code_and_comparisons_stay() {
        let text = "```jsx\n<Tip>{x}</Tip>\n```\n\nUse `<Tip>` when a < b, see <https://x.org>.\n";
        assert_eq!(prose(text), text);
    }

    #[test]
    fn multiline_comments_and_self_closing_tags() {
        let text = "A\n\n{/*\n  vale off\n*/}\n\n<Image src=\"a.png\" />\n\nB é\n";
        let out = prose(text);
        assert!(!out.contains("vale") && !out.contains("Image"));
        assert!(out.ends_with("B é\n"));
        assert_eq!(scan(text, 0).comments[0].1, "vale off");
    }

    #[test]
    fn mdx_paths() {
        assert!(is_mdx("docs/a.mdx") && is_mdx("A.MDX") && !is_mdx("a.md"));
    }
}
