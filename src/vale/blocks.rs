//! The document as Vale sees it: blocks of plain text, each with a scope
//! selector, built from imprimatur's own segments (so every match still maps
//! to exact source bytes).
//!
//! Vale renders Markdown to HTML and reads its text: code spans and URLs
//! become `*` runs of the same length, image alt text is its own
//! `text.attr.alt` block, soft line breaks stay line breaks. Paragraphs are
//! `text.md`, headings `text.heading.hN.md`, list items `text.list.md`, block
//! quotes `text.blockquote.md`, table cells `text.table.header.md` /
//! `text.table.cell.md`, front-matter strings `text.frontmatter.KEY.md`; the
//! whole file is `raw.md` and all prose together `summary.md`.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Document, Scope, Segment};

/// What a block is, for sentence splitting and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Paragraph prose: split into `sentence` (and `paragraph`) views.
    Prose,
    /// Lists and block quotes: part of the summary, not split.
    Listed,
    Other,
    Raw,
    Summary,
}

#[derive(Debug)]
pub struct Block {
    pub sections: Vec<String>,
    pub seg: Segment,
    pub family: Family,
}

/// A part of a block a rule reads: the whole block, or one of its sentences.
#[derive(Debug, Clone)]
pub struct View {
    pub block: usize,
    pub range: Range<usize>,
    pub sections: Vec<String>,
}

/// Options from the Vale config that shape the blocks.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// `SkippedScopes` that name block kinds (`blockquote`, `li`, `table`…).
    pub skipped: Vec<String>,
    /// Source ranges whose text is never read (ignored HTML classes, `TokenIgnores`).
    pub hidden: Vec<Range<usize>>,
    /// `IgnoredClasses`.
    pub classes: Vec<String>,
    /// Inline scopes whose text is not read (`IgnoredScopes`: strong, em, a).
    pub inline_hidden: Scope,
    /// `IgnoredScopes` as selectors: a front-matter string whose scope they
    /// match (`frontmatter.title.mdx`) is not read, as in Vale's `lintMetadata`.
    pub ignored: Option<super::scope::RuleScope>,
}

impl Shape {
    /// The inline scopes `IgnoredScopes` names.
    pub fn inline_scopes(names: &[String]) -> Scope {
        names
            .iter()
            .fold(Scope::default(), |s, n| match n.as_str() {
                "strong" | "b" => s.union(Scope::STRONG),
                "em" | "i" => s.union(Scope::EMPHASIS),
                "a" => s.union(Scope::LINK),
                _ => s,
            })
    }
}

/// Every block of `doc`, in document order, plus the whole-file ones last.
pub fn blocks(doc: &Document, shape: &Shape, summary: bool) -> Vec<Block> {
    let ext = extension(&doc.path);
    let mut out = Vec::new();
    for seg in &doc.segments {
        if let Some(key) = &seg.key {
            let secs = sections(&["text", "frontmatter"], Some(key), &ext);
            let names: Vec<&str> = secs.iter().map(String::as_str).collect();
            if shape.ignored.as_ref().is_some_and(|i| i.matches(&names)) {
                continue;
            }
            out.push(Block {
                sections: secs,
                seg: seg.clone(),
                family: Family::Other,
            });
            continue;
        }
        let (sections_of, family) = classify(doc, seg, &ext);
        if shape
            .skipped
            .iter()
            .any(|s| sections_of.contains(s) || skipped_tag(s, seg.scope))
        {
            continue;
        }
        let (text, alts) = vale_text(doc, seg, &shape.hidden, shape.inline_hidden);
        for part in split_at_end_tags(doc, text) {
            out.push(Block {
                sections: sections_of.clone(),
                seg: part,
                family,
            });
        }
        for alt in alts {
            if !shape.skipped.iter().any(|s| s == "alt") {
                out.push(Block {
                    sections: vec!["text".into(), "attr".into(), "alt".into()],
                    seg: alt,
                    family: Family::Other,
                });
            }
        }
    }
    insert_html_blocks(doc, shape, &ext, &mut out);
    if summary {
        out.push(summary_block(&out, &ext));
    }
    out.push(raw_block(doc, &ext));
    out
}

/// Text of raw HTML blocks, placed in document order among the others.
fn insert_html_blocks(doc: &Document, shape: &Shape, ext: &str, out: &mut Vec<Block>) {
    for range in &doc.html_blocks {
        for b in super::html::blocks(doc, range.clone(), &shape.skipped, &shape.classes) {
            let mut secs: Vec<String> = b.sections.iter().map(|s| s.to_string()).collect();
            secs.extend(b.heading);
            if !ext.is_empty() {
                secs.push(ext.to_string());
            }
            let at = out
                .iter()
                .position(|o| o.seg.key.is_none() && o.seg.block.start > b.seg.block.start)
                .unwrap_or(out.len());
            out.insert(
                at,
                Block {
                    sections: secs,
                    seg: b.seg,
                    family: if b.prose {
                        Family::Prose
                    } else {
                        Family::Other
                    },
                },
            );
        }
    }
}

/// The views rules read: each block, plus sentences (and paragraphs) of prose.
pub fn views(blocks: &[Block], sentences: bool, paragraphs: bool) -> Vec<View> {
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        if b.family == Family::Prose {
            if paragraphs {
                let mut sections = vec!["paragraph".to_string()];
                sections.extend(b.sections.iter().cloned());
                out.push(View {
                    block: i,
                    range: 0..b.seg.text.len(),
                    sections,
                });
            }
            if sentences {
                for r in sentence_ranges(&b.seg.text) {
                    let mut sections = vec!["sentence".to_string()];
                    sections.extend(b.sections.iter().cloned());
                    out.push(View {
                        block: i,
                        range: r,
                        sections,
                    });
                }
            }
        }
        out.push(View {
            block: i,
            range: 0..b.seg.text.len(),
            sections: b.sections.clone(),
        });
    }
    out
}

/// Sentences, trimmed; a soft line break does not end one.
fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    let flat = text.replace('\n', " ");
    super::common::sentences(&flat)
        .into_iter()
        .map(|r| super::common::trimmed(&flat, r))
        .filter(|r| r.start < r.end)
        .collect()
}

fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn sections(base: &[&str], key: Option<&str>, ext: &str) -> Vec<String> {
    let mut out: Vec<String> = base.iter().map(|s| s.to_string()).collect();
    if let Some(key) = key {
        out.extend(key.split('.').map(String::from));
    }
    if !ext.is_empty() {
        out.push(ext.to_string());
    }
    out
}

fn classify(doc: &Document, seg: &Segment, ext: &str) -> (Vec<String>, Family) {
    let s = seg.scope;
    if s.intersects(Scope::HEADING) {
        let level = doc
            .headings
            .iter()
            .find(|h| {
                h.range.start <= seg.block.start
                    && seg.block.start < h.range.end.max(h.range.start + 1)
            })
            .map_or(1, |h| h.level);
        let h = format!("h{level}");
        return (sections(&["text", "heading", &h], None, ext), Family::Other);
    }
    if s.intersects(Scope::TABLE) {
        let cell = if s.intersects(Scope::TABLE_HEADER) {
            "header"
        } else {
            "cell"
        };
        return (sections(&["text", "table", cell], None, ext), Family::Other);
    }
    if s.intersects(Scope::BLOCKQUOTE) {
        return (sections(&["text", "blockquote"], None, ext), Family::Listed);
    }
    if s.intersects(Scope::LIST.union(Scope::FOOTNOTE)) {
        return (sections(&["text", "list"], None, ext), Family::Listed);
    }
    (sections(&["text"], None, ext), Family::Prose)
}

/// `SkippedScopes` uses HTML tag names.
fn skipped_tag(tag: &str, scope: Scope) -> bool {
    let flag = match tag {
        "blockquote" => Scope::BLOCKQUOTE,
        "li" | "ul" | "ol" => Scope::LIST,
        "table" | "td" | "th" | "tr" => Scope::TABLE,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Scope::HEADING,
        _ => return false,
    };
    scope.intersects(flag)
}

/// The segment's text as Vale reads it, and its image alt texts as separate blocks.
fn vale_text(
    doc: &Document,
    seg: &Segment,
    hidden: &[Range<usize>],
    inline_hidden: Scope,
) -> (Segment, Vec<Segment>) {
    let mut out = Segment::new(seg.scope, seg.block.clone());
    let mut alts: Vec<Segment> = Vec::new();
    let mut in_alt = false;
    for piece in &seg.pieces {
        let text = &seg.text[piece.text.clone()];
        if piece.inline.intersects(Scope::ALT) {
            if !in_alt {
                alts.push(Segment::new(seg.scope, piece.source.clone()));
                in_alt = true;
            }
            let alt = alts.last_mut().expect("just pushed");
            alt.push(
                text,
                piece.source.clone(),
                piece.exact,
                piece.inline,
                piece.matchable,
            );
            continue;
        }
        in_alt = false;
        let is_hidden = hidden.iter().any(|h| {
            h.start <= piece.source.start
                && piece.source.end <= h.end
                && piece.source.start < piece.source.end
        }) || (piece.inline.intersects(Scope::LINK)
            && in_self_link(doc, &piece.source));
        if !piece.matchable || is_hidden || piece.inline.intersects(inline_hidden) {
            let stars = "*".repeat(star_count(doc, &piece.source, text));
            out.push(&stars, piece.source.clone(), false, piece.inline, false);
            continue;
        }
        if text == " "
            && doc
                .text
                .get(piece.source.clone())
                .is_some_and(|s| s.contains(['\n', '\r']))
        {
            out.push("\n", piece.source.clone(), false, piece.inline, true);
            continue;
        }
        push_with_blocked(&mut out, seg, piece, text);
    }
    (out, alts)
}

/// Vale reads Markdown rendered as HTML, and the end tag of any element
/// but its inline ones (`</p>`, `</li>`, `</div>`, not `</em>`) ends its
/// block there: text in a table cell written as `<p>a.</p><p>B</p>` is two
/// blocks, not "a.B". Splits `seg` where inline HTML between two pieces
/// holds such an end tag; blank parts are dropped. `<br>` is a start tag
/// of one of Vale's `inlineTags` (`internal/lint/ast.go`), so it ends
/// nothing; the text after it gets the space Vale's `clean` gives it.
fn split_at_end_tags(doc: &Document, seg: Segment) -> Vec<Segment> {
    static END_TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"</([A-Za-z][A-Za-z0-9-]*)\s*>").expect("valid end-tag regex")
    });
    let ends_block = |gap: &str| {
        END_TAG.captures_iter(gap).any(|c| {
            let name = c[1].to_ascii_lowercase();
            !super::html::INLINE.contains(&name.as_str())
        })
    };
    let mut out = Vec::new();
    let mut current = Segment::new(seg.scope, seg.block.clone());
    let mut previous_end: Option<usize> = None;
    let mut spaced = false;
    for p in &seg.pieces {
        let gap = previous_end
            .filter(|end| p.source.start > *end)
            .map(|end| end..p.source.start);
        let gap_text = gap.clone().and_then(|g| doc.text.get(g)).unwrap_or("");
        if ends_block(gap_text) {
            let done = std::mem::replace(&mut current, Segment::new(seg.scope, seg.block.clone()));
            if !done.text.trim().is_empty() {
                out.push(done);
            }
        } else if let Some(gap) = gap.filter(|_| {
            LINE_BREAK.is_match(gap_text)
                && !current.text.ends_with(char::is_whitespace)
                && !seg.text[p.text.clone()]
                    .starts_with(|c: char| c.is_whitespace() || INLINE_STARTERS.contains(&c))
        }) {
            // Vale puts a space before text that follows an inline tag
            // (its `clean`), so `one<br>two` reads "one two".
            current.push(" ", gap, false, Scope::default(), true);
            spaced = true;
        }
        current.push(
            &seg.text[p.text.clone()],
            p.source.clone(),
            p.exact,
            p.inline,
            p.matchable,
        );
        previous_end = Some(p.source.end);
    }
    if out.is_empty() && !spaced {
        // Nothing split: keep the segment as it was (with its blocked ranges).
        return if seg.text.trim().is_empty() {
            Vec::new()
        } else {
            vec![seg]
        };
    }
    if !current.text.trim().is_empty() {
        out.push(current);
    }
    out
}

/// A `<br>` tag (`<br/>`, `<BR />`): inline in Vale 3, it ends no block.
static LINE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").expect("valid line-break regex"));

/// Vale's `clean` adds no space before text starting with one of these.
const INLINE_STARTERS: [char; 11] = ['.', '?', '!', ',', ':', ';', ')', ']', '}', '—', '–'];

/// Is `source` inside a link whose text equals its destination
/// (`[docs/a.md](docs/a.md)`)? Vale reads such text as `*`s, the way it
/// reads a URL (its `clean` masks a text token equal to the `href`).
fn in_self_link(doc: &Document, source: &Range<usize>) -> bool {
    doc.references.iter().any(|r| {
        !r.is_image
            && !r.text.is_empty()
            && r.text == r.dest
            && r.range.start <= source.start
            && source.end <= r.range.end
    })
}

/// How many `*` stand for code or a URL: the characters of the code's content.
fn star_count(doc: &Document, source: &Range<usize>, text: &str) -> usize {
    match doc.text.get(source.clone()) {
        Some(src) if src.starts_with('`') => {
            let inner = src.trim_matches('`');
            let inner = if inner.len() >= 2
                && inner.starts_with(' ')
                && inner.ends_with(' ')
                && !inner.trim().is_empty()
            {
                &inner[1..inner.len() - 1]
            } else {
                inner
            };
            inner.chars().count().max(1)
        }
        Some(src) if text.trim().is_empty() => src.chars().count().max(1),
        _ => text.chars().count().max(1),
    }
}

/// Copies a piece, turning bare URLs (the segment's blocked ranges) into `*`.
fn push_with_blocked(out: &mut Segment, seg: &Segment, piece: &crate::document::Piece, text: &str) {
    let mut at = piece.text.start;
    let mut cuts: Vec<Range<usize>> = seg
        .blocked
        .iter()
        .filter(|b| b.start < piece.text.end && piece.text.start < b.end)
        .map(|b| b.start.max(piece.text.start)..b.end.min(piece.text.end))
        .collect();
    cuts.sort_by_key(|r| r.start);
    let source_of = |r: &Range<usize>| {
        if piece.exact {
            piece.source.start + (r.start - piece.text.start)
                ..piece.source.start + (r.end - piece.text.start)
        } else {
            piece.source.clone()
        }
    };
    for cut in cuts {
        if cut.start > at {
            let r = at..cut.start;
            out.push(
                &seg.text[r.clone()],
                source_of(&r),
                piece.exact,
                piece.inline,
                true,
            );
        }
        let stars = "*".repeat(seg.text[cut.clone()].chars().count());
        out.push(&stars, source_of(&cut), false, piece.inline, false);
        at = cut.end;
    }
    if at < piece.text.end {
        let r = at..piece.text.end;
        if r == piece.text {
            out.push(text, piece.source.clone(), piece.exact, piece.inline, true);
        } else {
            out.push(
                &seg.text[r.clone()],
                source_of(&r),
                piece.exact,
                piece.inline,
                true,
            );
        }
    }
}

/// The whole file, line endings normalised to `\n` as Vale reads it.
fn raw_block(doc: &Document, ext: &str) -> Block {
    let mut seg = Segment::new(Scope::default(), 0..doc.text.len());
    let text = &doc.text;
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut at = bom;
    let bytes = text.as_bytes();
    let mut i = bom;
    while i < bytes.len() {
        if bytes[i] == b'\r' {
            if at < i {
                seg.push(&text[at..i], at..i, true, Scope::default(), true);
            }
            let end = if bytes.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            seg.push("\n", i..end, false, Scope::default(), true);
            at = end;
            i = end;
        } else {
            i += 1;
        }
    }
    if at < text.len() {
        seg.push(&text[at..], at..text.len(), true, Scope::default(), true);
    }
    Block {
        sections: sections(&["raw"], None, ext),
        seg,
        family: Family::Raw,
    }
}

/// Every paragraph, list item and quote, joined by blank lines.
fn summary_block(blocks: &[Block], ext: &str) -> Block {
    let mut seg = Segment::new(Scope::default(), 0..0);
    for b in blocks
        .iter()
        .filter(|b| matches!(b.family, Family::Prose | Family::Listed))
    {
        for p in &b.seg.pieces {
            seg.push(
                &b.seg.text[p.text.clone()],
                p.source.clone(),
                p.exact,
                p.inline,
                p.matchable,
            );
        }
        let end = b.seg.pieces.last().map_or(0, |p| p.source.end);
        seg.push("\n\n", end..end, false, Scope::default(), true);
    }
    Block {
        sections: sections(&["summary"], None, ext),
        seg,
        family: Family::Summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(text: &str) -> Vec<String> {
        let doc = Document::parse("a.md", text.into());
        blocks(&doc, &Shape::default(), false)
            .into_iter()
            .filter(|b| b.family == Family::Prose)
            .map(|b| b.seg.text)
            .collect()
    }

    #[test]
    fn a_line_break_tag_is_a_space_not_a_block_end() {
        assert_eq!(prose("One two<br>three four.\n"), ["One two three four."]);
        assert_eq!(prose("One<BR />, two.\n"), ["One, two."]);
        assert_eq!(prose("One <br> two.\n"), ["One  two."]);
    }

    #[test]
    fn block_end_tags_split_the_block() {
        assert_eq!(prose("One.</p><p>Two.\n"), ["One.", "Two."]);
    }
}
