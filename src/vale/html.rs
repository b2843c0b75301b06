//! Raw HTML blocks inside Markdown, read as Vale reads them: the text
//! between tags, scoped by the enclosing element (`caption` →
//! `table.caption`, `th`/`td` → `table.header`/`table.cell`, `li` → `list`,
//! `blockquote`, `h1`…`h6` → `heading.hN`), with `script`, `style`, `pre`,
//! code elements and elements of ignored classes left out.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Document, Scope, Segment};

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"#)
        .expect("valid tag regex")
});
static CLASS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"class\s*=\s*["']([^"']*)["']"#).expect("valid class regex"));

/// Vale's `inlineTags`: every other end tag ends a block.
pub(crate) const INLINE: &[&str] = &[
    "b", "big", "i", "small", "abbr", "acronym", "cite", "dfn", "em", "kbd", "strong", "a", "br",
    "img", "span", "sub", "sup", "code", "tt", "del",
];
const DEFAULT_SKIPPED: &[&str] = &["script", "style", "pre", "figure", "noscript", "iframe"];
const DEFAULT_CLASSES: &[&str] = &["problematic", "pre", "code"];

/// A text block found in raw HTML: its scope sections (without the file
/// extension), whether it is prose, and its text.
pub struct HtmlBlock {
    pub sections: Vec<&'static str>,
    pub heading: Option<String>,
    pub prose: bool,
    pub seg: Segment,
}

/// The text blocks of the HTML block at `range` of `doc` (comments already blanked).
pub fn blocks(
    doc: &Document,
    range: Range<usize>,
    skipped_scopes: &[String],
    classes: &[String],
) -> Vec<HtmlBlock> {
    let text = &doc.masked;
    let Some(html) = text.get(range.clone()) else {
        return Vec::new();
    };
    let skipped: Vec<&str> = if skipped_scopes.is_empty() {
        DEFAULT_SKIPPED.to_vec()
    } else {
        skipped_scopes.iter().map(String::as_str).collect()
    };
    // Open elements: (tag, skipped).
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut out = Vec::new();
    let mut current: Option<Segment> = None;
    let mut context: Vec<String> = Vec::new();
    let mut at = 0;
    let flush = |current: &mut Option<Segment>, context: &[String], out: &mut Vec<HtmlBlock>| {
        if let Some(seg) = current.take() {
            if !seg.text.trim().is_empty() {
                out.push(classify(seg, context));
            }
        }
    };
    for m in TAG.captures_iter(html) {
        let whole = m.get(0).expect("group 0");
        let between = &html[at..whole.start()];
        let hidden = stack.iter().any(|(_, s)| *s);
        if !between.is_empty() && !hidden {
            let start = range.start + at;
            let seg = current.get_or_insert_with(|| Segment::new(Scope::default(), start..start));
            seg.push(
                between,
                start..start + between.len(),
                true,
                Scope::default(),
                true,
            );
            context = stack.iter().map(|(t, _)| t.clone()).collect();
        }
        at = whole.end();
        let closing = !m[1].is_empty();
        let tag = m[2].to_ascii_lowercase();
        let inline = INLINE.contains(&tag.as_str());
        if closing {
            if let Some(i) = stack.iter().rposition(|(t, _)| *t == tag) {
                stack.truncate(i);
            }
            if !inline {
                flush(&mut current, &context, &mut out);
            }
            continue;
        }
        if !inline {
            flush(&mut current, &context, &mut out);
        }
        let attrs = m.get(3).map_or("", |a| a.as_str());
        let class_skip = CLASS.captures(attrs).is_some_and(|c| {
            c[1].split_whitespace()
                .any(|cls| DEFAULT_CLASSES.contains(&cls) || classes.iter().any(|x| x == cls))
        });
        let skip = skipped.contains(&tag.as_str())
            || matches!(tag.as_str(), "code" | "tt" | "kbd")
            || class_skip;
        let void = attrs.trim_end().ends_with('/')
            || matches!(
                tag.as_str(),
                "br" | "img" | "hr" | "input" | "meta" | "link"
            );
        if !void {
            stack.push((tag, skip));
        }
    }
    let rest = &html[at..];
    if !rest.trim().is_empty() && !stack.iter().any(|(_, s)| *s) {
        let start = range.start + at;
        let seg = current.get_or_insert_with(|| Segment::new(Scope::default(), start..start));
        seg.push(
            rest,
            start..start + rest.len(),
            true,
            Scope::default(),
            true,
        );
        context = stack.iter().map(|(t, _)| t.clone()).collect();
    }
    flush(&mut current, &context, &mut out);
    out
}

fn classify(mut seg: Segment, context: &[String]) -> HtmlBlock {
    let start = seg.pieces.first().map_or(0, |p| p.source.start);
    let end = seg.pieces.last().map_or(start, |p| p.source.end);
    seg.block = start..end;
    for tag in context {
        let found: Option<(Vec<&'static str>, Option<String>)> = match tag.as_str() {
            "caption" => Some((vec!["text", "table", "caption"], None)),
            "th" => Some((vec!["text", "table", "header"], None)),
            "td" => Some((vec!["text", "table", "cell"], None)),
            "li" => Some((vec!["text", "list"], None)),
            "blockquote" => Some((vec!["text", "blockquote"], None)),
            "figcaption" => Some((vec!["text", "figure", "caption"], None)),
            h if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
                Some((vec!["text", "heading"], Some(h.to_string())))
            }
            _ => None,
        };
        if let Some((sections, heading)) = found {
            return HtmlBlock {
                sections,
                heading,
                prose: false,
                seg,
            };
        }
    }
    HtmlBlock {
        sections: vec!["text"],
        heading: None,
        prose: true,
        seg,
    }
}
