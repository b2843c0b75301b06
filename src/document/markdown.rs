//! Markdown body → segments, with pulldown-cmark's source offsets.
//!
//! Offsets need care (see DESIGN.md's build notes): an entity is one
//! character over several source bytes, an escape drops its backslash, a code
//! span's range includes its backticks. Each text event therefore becomes a
//! `Piece` that remembers whether its source equals its text.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::segment::{Scope, Segment};

/// A link or image destination and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Source range of the whole link or image.
    pub range: Range<usize>,
    pub dest: String,
    /// For images: the alt text; for links: the link text.
    pub text: String,
    pub is_image: bool,
}

/// A heading's plain text and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub range: Range<usize>,
    pub text: String,
    pub level: u8,
}

/// Everything the walk over a Markdown body produces.
#[derive(Debug, Default)]
pub struct Parsed {
    pub segments: Vec<Segment>,
    /// Code blocks and code spans: excluded from `unless` and `require`.
    pub code: Vec<Range<usize>>,
    /// Raw HTML (blocks and inline), where comments live.
    pub html: Vec<Range<usize>>,
    /// Whole HTML blocks.
    pub html_blocks: Vec<Range<usize>>,
    pub references: Vec<Reference>,
    pub headings: Vec<Heading>,
    /// Full and collapsed reference links with no definition: (range, label).
    pub broken_references: Vec<(Range<usize>, String)>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:https?|ftp)://[^\s<>]+|\bwww\.[^\s<>]+\.[^\s<>]+")
        .expect("valid URL regex")
});

/// Text ranges of bare URLs, which no rule may touch.
pub(super) fn blocked_urls(text: &str) -> Vec<Range<usize>> {
    BARE_URL.find_iter(text).map(|m| m.range()).collect()
}

/// Walks the body `text[offset..]`; all ranges are in `text` coordinates.
pub fn parse_body(text: &str, offset: usize) -> Parsed {
    let mut walk = Walk {
        text,
        out: Parsed::default(),
        current: None,
        containers: Vec::new(),
        blocks: Vec::new(),
        inline: Vec::new(),
        code_block_depth: 0,
        image: None,
        link: None,
        heading: None,
    };
    let mut broken = Vec::new();
    let mut on_broken = |link: pulldown_cmark::BrokenLink<'_>| {
        // A shortcut `[word]` is ordinary bracketed text on GitHub: only
        // `[text][label]` and `[label][]` promise a definition.
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
            broken.push((
                link.span.start + offset..link.span.end + offset,
                link.reference.to_string(),
            ));
        }
        None
    };
    let parser =
        Parser::new_with_broken_link_callback(&text[offset..], options(), Some(&mut on_broken));
    for (event, range) in parser.into_offset_iter() {
        walk.event(event, range.start + offset..range.end + offset);
    }
    walk.flush();
    walk.out.broken_references = broken;
    walk.out
}

struct Walk<'a> {
    text: &'a str,
    out: Parsed,
    current: Option<Segment>,
    /// Block scopes of the open containers.
    containers: Vec<Scope>,
    /// Source ranges of the open blocks that hold prose.
    blocks: Vec<Range<usize>>,
    /// Inline scopes of open links and images, and whether text there is matchable.
    inline: Vec<(Scope, bool)>,
    code_block_depth: usize,
    image: Option<Reference>,
    link: Option<Reference>,
    heading: Option<Heading>,
}

impl Walk<'_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.code_block_depth == 0 => {
                let exact = self.text.get(range.clone()) == Some(&*t);
                self.text_piece(&t, range, exact, true);
            }
            Event::Text(_) => {}
            Event::Code(_) => {
                self.out.code.push(range.clone());
                self.text_piece(" ", range, false, false);
            }
            Event::Html(_) | Event::InlineHtml(_) => self.out.html.push(range),
            Event::SoftBreak | Event::HardBreak => self.text_piece(" ", range, false, true),
            Event::Rule => self.flush(),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Paragraph | Tag::TableCell => self.open_block(None, range),
            Tag::Heading { level, .. } => {
                self.open_block(Some(Scope::HEADING), range.clone());
                self.heading = Some(Heading {
                    range,
                    text: String::new(),
                    level: level as u8,
                });
            }
            Tag::Item => self.open_block(Some(Scope::LIST), range),
            Tag::BlockQuote(_) => self.open_container(Scope::BLOCKQUOTE),
            Tag::List(_) => self.open_container(Scope::LIST),
            Tag::Table(_) => self.open_container(Scope::TABLE),
            Tag::FootnoteDefinition(_) => self.open_container(Scope::FOOTNOTE),
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_block_depth += 1;
                self.out.code.push(range);
            }
            Tag::TableHead => self.open_container(Scope::TABLE_HEADER),
            Tag::HtmlBlock => {
                self.flush();
                self.out.html_blocks.push(range);
            }
            Tag::TableRow => self.flush(),
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                // An autolink's text is its URL: never prose.
                let is_url = matches!(link_type, LinkType::Autolink);
                self.inline.push((Scope::LINK, !is_url));
                self.link = Some(Reference {
                    range,
                    dest: dest_url.to_string(),
                    text: String::new(),
                    is_image: false,
                });
            }
            Tag::Strong => self.inline.push((Scope::STRONG, true)),
            Tag::Emphasis => self.inline.push((Scope::EMPHASIS, true)),
            Tag::Image { dest_url, .. } => {
                self.inline.push((Scope::ALT, true));
                self.image = Some(Reference {
                    range,
                    dest: dest_url.to_string(),
                    text: String::new(),
                    is_image: true,
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Item => {
                self.close_block(tag == TagEnd::Item)
            }
            TagEnd::Heading(_) => {
                self.close_block(true);
                self.out.headings.extend(self.heading.take());
            }
            TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::FootnoteDefinition => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::CodeBlock => self.code_block_depth = self.code_block_depth.saturating_sub(1),
            TagEnd::HtmlBlock | TagEnd::TableRow => self.flush(),
            TagEnd::Link => {
                self.inline.pop();
                self.out.references.extend(self.link.take());
            }
            TagEnd::Strong | TagEnd::Emphasis => {
                self.inline.pop();
            }
            TagEnd::Image => {
                self.inline.pop();
                self.out.references.extend(self.image.take());
            }
            _ => {}
        }
    }

    fn open_container(&mut self, scope: Scope) {
        self.flush();
        self.containers.push(scope);
    }

    fn open_block(&mut self, scope: Option<Scope>, range: Range<usize>) {
        self.flush();
        self.containers.push(scope.unwrap_or_default());
        self.blocks.push(range);
    }

    fn close_block(&mut self, _: bool) {
        self.flush();
        self.containers.pop();
        self.blocks.pop();
    }

    fn block_scope(&self) -> Scope {
        let scope = self
            .containers
            .iter()
            .fold(Scope::default(), |s, c| s.union(*c));
        let in_special = scope.intersects(Scope::HEADING.union(Scope::TABLE));
        if in_special {
            scope
        } else {
            scope.union(Scope::PARAGRAPH)
        }
    }

    fn text_piece(&mut self, t: &str, range: Range<usize>, exact: bool, matchable: bool) {
        let (inline, inline_ok) = self
            .inline
            .iter()
            .fold((Scope::default(), true), |(s, ok), (i, m)| {
                (s.union(*i), ok && *m)
            });
        if let Some(image) = &mut self.image {
            image.text.push_str(t);
        } else if let Some(link) = &mut self.link {
            link.text.push_str(t);
        }
        if let Some(h) = &mut self.heading {
            h.text.push_str(if matchable {
                t
            } else {
                self.text.get(range.clone()).unwrap_or("").trim_matches('`')
            });
        }
        if self.current.is_none() {
            let block = self.blocks.last().cloned().unwrap_or(range.clone());
            self.current = Some(Segment::new(self.block_scope(), block));
        }
        let segment = self.current.as_mut().expect("segment just opened");
        segment.push(t, range, exact, inline, matchable && inline_ok);
    }

    fn flush(&mut self) {
        let Some(mut segment) = self.current.take() else {
            return;
        };
        if segment.text.trim().is_empty() {
            return;
        }
        segment.blocked = blocked_urls(&segment.text);
        self.out.segments.push(segment);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<(String, Scope)> {
        parse_body(md, 0)
            .segments
            .into_iter()
            .map(|s| (s.text, s.scope))
            .collect()
    }

    #[test]
    fn scopes_of_blocks() {
        let segs = texts("# Title\n\nPara text.\n\n- item one\n- item two\n\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n");
        let find = |t: &str| segs.iter().find(|(s, _)| s == t).unwrap().1;
        assert!(find("Title").intersects(Scope::HEADING));
        assert!(find("Para text.").intersects(Scope::PARAGRAPH));
        assert!(find("item one").intersects(Scope::LIST));
        assert!(find("quoted").intersects(Scope::BLOCKQUOTE));
        assert!(find("c").intersects(Scope::TABLE));
    }

    #[test]
    fn code_and_html_are_not_prose() {
        let md =
            "Text `code` here.\n\n```\nfenced guaranteed\n```\n\n<!-- comment guaranteed -->\n";
        let parsed = parse_body(md, 0);
        let all: String = parsed.segments.iter().map(|s| s.text.clone()).collect();
        assert!(!all.contains("guaranteed"));
        assert!(!all.contains("code"));
        assert_eq!(parsed.code.len(), 2);
        assert_eq!(parsed.html.len(), 1);
    }

    #[test]
    fn urls_are_blocked() {
        let parsed = parse_body("See https://github.com/x and <https://github.com/y>.", 0);
        let seg = &parsed.segments[0];
        let at = seg.text.find("github").unwrap();
        assert!(!seg.is_matchable(&(at..at + 6)));
        let second = seg.text.rfind("github").unwrap();
        assert!(!seg.is_matchable(&(second..second + 6)));
    }

    #[test]
    fn image_alt_and_links_recorded() {
        let parsed = parse_body("![](a.png) and [text](b.md) ![alt](c.png)", 0);
        assert_eq!(parsed.references.len(), 3);
        assert_eq!(parsed.references[0].text, "");
        assert_eq!(parsed.references[2].text, "alt");
        assert!(parsed.references[2].is_image);
    }

    #[test]
    fn entity_piece_is_inexact() {
        let parsed = parse_body("AT&amp;T rocks", 0);
        let seg = &parsed.segments[0];
        assert_eq!(seg.text, "AT&T rocks");
        let at = seg.text.find("rocks").unwrap();
        let src = seg.source_range(at..at + 5);
        assert_eq!(&"AT&amp;T rocks"[src], "rocks");
    }
}
