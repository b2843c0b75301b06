//! The document model: a content file's text → front matter, prose segments
//! with exact source offsets, code and HTML ranges, comments, links and
//! headings, a line index, and a "masked" copy of the source for rules that
//! read raw Markdown with code blanked out.

mod front_matter;
mod html;
mod lines;
mod markdown;
pub mod mdx;
mod segment;

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

pub use front_matter::{value_text, FrontMatter, FrontMatterKey};
pub use lines::{floor_char_boundary, LineIndex};
pub use markdown::{Heading, Reference};
pub use segment::{has_invisible, is_invisible, Piece, Scope, Segment};

use crate::finding::Span;

/// An HTML comment: where it is and what it says between `<!--` and `-->`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    pub inner: String,
}

#[derive(Debug)]
pub struct Document {
    /// Repository-relative path.
    pub path: String,
    pub text: String,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    /// Prose of the body, and the one-line scalar values of the front matter.
    pub segments: Vec<Segment>,
    /// `text` with front matter, code and HTML comments blanked to spaces
    /// (same byte offsets), for `unless` and `require`.
    pub masked: String,
    pub comments: Vec<Comment>,
    /// Source ranges of HTML blocks (raw HTML standing as a block).
    pub html_blocks: Vec<Range<usize>>,
    /// The text between the tags of HTML blocks, as paragraph prose (kept
    /// apart from `segments`: Vale reads HTML blocks its own way).
    pub html_prose: Vec<Segment>,
    pub references: Vec<Reference>,
    pub headings: Vec<Heading>,
    /// `[text][label]` references whose label has no definition: (range, label).
    pub broken_references: Vec<(Range<usize>, String)>,
}

static HTML_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']"#).expect("valid id regex")
});

/// GitHub's heading anchor: lower case, punctuation dropped (letters,
/// digits, `-` and `_` kept), spaces to hyphens.
pub fn github_slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--(.*?)-->").expect("valid comment regex"));

impl Document {
    pub fn parse(path: impl Into<String>, text: String) -> Document {
        Document::parse_with_breaks(path, text, &[])
    }

    /// The same text parsed again with each range of `breaks` read as a
    /// block that holds no prose: the text before and after it belong to
    /// different blocks, as when Vale rewrites a `BlockIgnores` match into
    /// a code block. Ranges shorter than five bytes, or that are not all
    /// in the body, are left as they are. Offsets and lines stay those of
    /// the source.
    pub fn with_block_breaks(&self, breaks: &[Range<usize>]) -> Document {
        Document::parse_with_breaks(self.path.clone(), self.text.clone(), breaks)
    }

    fn parse_with_breaks(
        path: impl Into<String>,
        text: String,
        breaks: &[Range<usize>],
    ) -> Document {
        // Old Mac files end lines with a lone CR. The parsers read a copy
        // with those CRs as LFs: same length, so every offset holds.
        let unix = lone_cr_to_lf(&text);
        let view: &str = unix.as_deref().unwrap_or(&text);
        let lines = LineIndex::new(view);
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let (front_matter, body_start) = front_matter::parse(view, bom);
        let path = path.into();
        // MDX: JSX, expressions and ESM are blanked before the Markdown
        // parse (same length, so offsets hold); JSX comments count as comments.
        let mdx = mdx::is_mdx(&path).then(|| mdx::scan(view, body_start));
        let mdx_view = mdx.as_ref().map(|m| mdx::blanked(view, &m.blank));
        let view: &str = mdx_view.as_deref().unwrap_or(view);
        let broken = (!breaks.is_empty()).then(|| thematic_breaks(view, body_start, breaks));
        let view: &str = broken.as_deref().unwrap_or(view);
        let parsed = markdown::parse_body(view, body_start);
        let mut comments = find_comments(view, &parsed.html);
        let html_prose = html::prose(view, &parsed.html_blocks, &parsed.html);
        let mut blank: Vec<Range<usize>> = parsed.code.clone();
        if let Some(m) = &mdx {
            blank.extend(m.blank.iter().cloned());
            comments.extend(m.comments.iter().map(|(range, inner)| Comment {
                range: range.clone(),
                inner: inner.clone(),
            }));
            comments.sort_by_key(|c| c.range.start);
        }
        blank.extend(comments.iter().map(|c| c.range.clone()));
        blank.extend(front_matter.as_ref().map(|f| f.range.clone()));
        let masked = mask(&text, &blank);
        let mut segments = front_matter_segments(&text, front_matter.as_ref());
        segments.extend(parsed.segments);
        Document {
            path,
            lines,
            text,
            front_matter,
            segments,
            masked,
            comments,
            html_blocks: parsed.html_blocks,
            html_prose,
            references: parsed.references,
            headings: parsed.headings,
            broken_references: parsed.broken_references,
        }
    }

    /// Line/column span of a source byte range.
    pub fn span(&self, range: Range<usize>) -> Span {
        let (line, column) = self.lines.position(&self.text, range.start);
        let (end_line, end_column) = self.lines.position(&self.text, range.end);
        Span {
            start: range.start,
            end: range.end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Is the source under `source` exactly `text`? Only then can a fix
    /// rewrite the span safely: a match found in a segment's plain text
    /// that crossed an entity, an escape or markup is not what the source
    /// holds there, and replacing the source range would change more than
    /// the match. Every rule kind that offers fixes asks this.
    pub fn fix_is_provable(&self, source: &Range<usize>, text: &str) -> bool {
        self.text.get(source.clone()) == Some(text)
    }

    /// Link targets within this page: GitHub heading slugs (duplicates get
    /// `-1`, `-2`, …) and `id`/`name` attributes in raw HTML.
    pub fn anchors(&self) -> std::collections::HashSet<String> {
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut out = std::collections::HashSet::new();
        for h in &self.headings {
            let slug = github_slug(&h.text);
            let n = seen.entry(slug.clone()).or_insert(0);
            out.insert(if *n == 0 {
                slug.clone()
            } else {
                format!("{slug}-{n}")
            });
            *n += 1;
        }
        for m in HTML_ID.captures_iter(&self.text) {
            out.insert(m[1].to_string());
        }
        out
    }

    /// The span of line 1, column 1 (for findings about the whole file).
    pub fn start_span(&self) -> Span {
        let bom = if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        self.span(bom..bom)
    }
}

/// `text` with each CR that is not part of a CRLF turned into LF, when it has one.
fn lone_cr_to_lf(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return None;
    }
    let out: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    Some(String::from_utf8(out).expect("swapping ASCII bytes keeps UTF-8 valid"))
}

/// `view` with each of `breaks` (in the body, at least five bytes)
/// replaced by a thematic break of the same length: a line break, `_`s,
/// a line break. A thematic break interrupts a paragraph, closes a list
/// item, block quote, heading or table it would stand in at column 0, and
/// holds no text — what a fenced code block inserted there does — while
/// every offset outside the range holds.
fn thematic_breaks(view: &str, body_start: usize, breaks: &[Range<usize>]) -> String {
    let mut bytes = view.as_bytes().to_vec();
    for r in breaks {
        if r.start < body_start
            || r.end > bytes.len()
            || r.len() < 5
            || !view.is_char_boundary(r.start)
            || !view.is_char_boundary(r.end)
        {
            continue;
        }
        bytes[r.start] = b'\n';
        bytes[r.start + 1..r.end - 1].fill(b'_');
        bytes[r.end - 1] = b'\n';
    }
    String::from_utf8(bytes).expect("whole characters replaced by ASCII")
}

/// One segment per one-line scalar front-matter value, scoped `FRONT_MATTER`
/// with its key, so rules can read `title` or `description`.
fn front_matter_segments(text: &str, fm: Option<&FrontMatter>) -> Vec<Segment> {
    let Some(fm) = fm else { return Vec::new() };
    fm.keys
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let value = fm.get(&key.name).filter(|v| v.is_string())?;
            let value = value_text(value);
            let mut seg = match key.value.clone() {
                Some(range) => {
                    let mut seg = Segment::new(Scope::FRONT_MATTER, range.clone());
                    let exact = key.value_exact && text.get(range.clone()) == Some(value.as_str());
                    seg.push(&value, range, exact, Scope::default(), true);
                    seg
                }
                None => {
                    // A block scalar (`|`, `>`) or a value over several lines:
                    // the lines between this key and the next.
                    let end = fm.keys.get(i + 1).map_or(fm.range.end, |k| k.key.start);
                    multi_line_value(text, key.key.end..end, &value)?
                }
            };
            seg.key = Some(key.name.clone());
            Some(seg)
        })
        .collect()
}

/// A segment for a string value spread over the source lines in `region`:
/// each line of the value is found in order; the breaks between them map
/// to the source line ends.
fn multi_line_value(text: &str, region: Range<usize>, value: &str) -> Option<Segment> {
    let source = text.get(region.clone())?;
    let mut seg = Segment::new(Scope::FRONT_MATTER, region.clone());
    let mut cursor = 0;
    for (n, line) in value.split('\n').enumerate() {
        if n > 0 {
            let at = region.start + cursor;
            seg.push("\n", at..at, false, Scope::default(), true);
        }
        if line.is_empty() {
            continue;
        }
        match source[cursor..].find(line) {
            Some(i) => {
                let start = region.start + cursor + i;
                seg.push(
                    line,
                    start..start + line.len(),
                    true,
                    Scope::default(),
                    true,
                );
                cursor += i + line.len();
            }
            None => {
                let at = region.start + cursor;
                seg.push(line, at..region.end, false, Scope::default(), true);
            }
        }
    }
    (!seg.text.trim().is_empty()).then_some(seg)
}

fn find_comments(text: &str, html: &[Range<usize>]) -> Vec<Comment> {
    let mut comments = Vec::new();
    let mut last_end = 0;
    for range in merge(html) {
        for m in COMMENT.captures_iter(&text[range.clone()]) {
            let whole = m.get(0).expect("group 0");
            let start = range.start + whole.start();
            if start < last_end {
                continue;
            }
            last_end = range.start + whole.end();
            comments.push(Comment {
                range: start..last_end,
                inner: m[1].to_string(),
            });
        }
    }
    comments
}

/// Sorts and joins touching ranges, so a comment split over HTML events is whole.
fn merge(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Replaces every character inside `ranges` with spaces of the same byte
/// length, keeping line breaks, so offsets stay valid.
fn mask(text: &str, ranges: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r.start.min(text.len())..r.end.min(text.len())] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).expect("masking whole characters keeps UTF-8 valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_values_are_segments() {
        let doc = Document::parse(
            "a.md",
            "---\ntitle: Guaranteed wins\n---\nBody text.\n".into(),
        );
        let title = doc
            .segments
            .iter()
            .find(|s| s.key.as_deref() == Some("title"))
            .unwrap();
        assert_eq!(title.text, "Guaranteed wins");
        assert_eq!(&doc.text[title.source_range(0..10)], "Guaranteed");
    }

    #[test]
    fn masked_keeps_offsets_and_blanks_code() {
        let text = "Use `risk-free` ok <!-- x -->\n";
        let doc = Document::parse("a.md", text.into());
        assert_eq!(doc.masked.len(), text.len());
        assert!(!doc.masked.contains("risk-free"));
        assert!(doc.masked.starts_with("Use "));
        assert_eq!(doc.comments.len(), 1);
        assert_eq!(doc.comments[0].inner, " x ");
    }

    #[test]
    fn block_breaks_split_prose_and_keep_offsets() {
        let text = "- Read the <X /> the guide.\n\nNext line.\n";
        let doc = Document::parse("a.md", text.into());
        assert_eq!(doc.segments.len(), 2);
        let at = text.find("<X />").unwrap();
        let broken = doc.with_block_breaks(std::slice::from_ref(&(at..at + 5)));
        let texts: Vec<&str> = broken.segments.iter().map(|s| s.text.trim()).collect();
        assert_eq!(texts, ["Read the", "the guide.", "Next line."]);
        // The text after the break left the list item.
        assert!(broken.segments[0].scope.intersects(Scope::LIST));
        assert!(!broken.segments[1].scope.intersects(Scope::LIST));
        let after = &broken.segments[1];
        let guide = after.text.find("guide").unwrap();
        let source = after.source_range(guide..guide + 5);
        assert_eq!(&broken.text[source.clone()], "guide");
        assert_eq!(broken.span(source).line, 1);
        assert_eq!(broken.text, text);
        assert_eq!(broken.span(text.len()..text.len()).line, 4);
    }

    #[test]
    fn short_or_front_matter_breaks_are_left_alone() {
        let text = "---\ntitle: A long title\n---\nOne <X/> two.\n";
        let doc = Document::parse("a.md", text.into());
        let x = text.find("<X/>").unwrap();
        let title = text.find("A long").unwrap();
        let broken = doc.with_block_breaks(&[x..x + 4, title..title + 6]);
        let body: Vec<&str> = broken
            .segments
            .iter()
            .filter(|s| s.key.is_none())
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(body.len(), 1);
        assert!(body[0].starts_with("One "), "{body:?}");
        assert!(broken.front_matter.is_some());
    }

    #[test]
    fn bom_is_not_a_column() {
        let doc = Document::parse("a.md", "\u{feff}Hello".into());
        let seg = &doc.segments[0];
        let span = doc.span(seg.source_range(0..5));
        assert_eq!((span.line, span.column, span.end_column), (1, 1, 6));
    }

    #[test]
    fn empty_and_bom_only() {
        assert!(Document::parse("a.md", String::new()).segments.is_empty());
        assert!(Document::parse("a.md", "\u{feff}".into())
            .segments
            .is_empty());
    }
}
