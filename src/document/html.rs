//! Raw HTML blocks as a reader sees them: the text between tags is prose.
//! Tags, attributes, comments, declarations and the contents of `script`,
//! `style`, `textarea`, `title` and code elements (`pre`, `code`, `kbd`,
//! `samp`, `var`, like code in Markdown) are not. Inline elements (`b`,
//! `span`, `a`, …) do not split a word — `gua<b>rant</b>eed` reads as one —
//! while any other tag ends the segment (`guaran<br>teed` is two words).
//! Entities are decoded; every piece maps back to its exact source bytes.

use std::ops::Range;

use super::segment::{Scope, Segment};

/// Elements whose tags sit inside running text without breaking it.
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "data", "del", "dfn", "em", "font",
    "i", "ins", "label", "mark", "nobr", "q", "s", "small", "span", "strike", "strong", "sub",
    "sup", "time", "tt", "u", "wbr",
];
/// Elements whose contents are code: left out, like Markdown code.
const CODE: &[&str] = &["pre", "code", "kbd", "samp", "var"];
/// Elements whose contents are never displayed as prose: skipped to their end tag.
const RAW: &[&str] = &["script", "style", "textarea", "title"];

/// Prose segments of the HTML blocks `blocks` of `text`. `html` holds the
/// source ranges of raw HTML (a block's lines, without the prefixes of
/// enclosing block quotes or list items); only those bytes are read.
pub fn prose(text: &str, blocks: &[Range<usize>], html: &[Range<usize>]) -> Vec<Segment> {
    let mut out = Vec::new();
    for block in blocks {
        let Some(visible) = block_text(text, block, html) else {
            continue;
        };
        Tokens {
            src: &visible,
            base: block.start,
            block: block.clone(),
            current: None,
            code_depth: 0,
            out: &mut out,
        }
        .run();
    }
    out
}

/// The block's bytes with everything outside its HTML lines blanked to
/// spaces (same length, so offsets hold).
fn block_text(text: &str, block: &Range<usize>, html: &[Range<usize>]) -> Option<String> {
    let slice = text.get(block.clone())?;
    let mut bytes = vec![b' '; slice.len()];
    for r in html
        .iter()
        .filter(|r| r.start >= block.start && r.end <= block.end)
    {
        bytes[r.start - block.start..r.end - block.start]
            .copy_from_slice(&text.as_bytes()[r.clone()]);
    }
    // Whole UTF-8 sequences were copied into ASCII spaces.
    String::from_utf8(bytes).ok()
}

enum Tag {
    /// Comments, declarations, processing instructions, CDATA.
    Other,
    Open(String),
    Close(String),
}

struct Tokens<'a> {
    src: &'a str,
    base: usize,
    block: Range<usize>,
    current: Option<Segment>,
    code_depth: usize,
    out: &'a mut Vec<Segment>,
}

impl Tokens<'_> {
    fn run(mut self) {
        let bytes = self.src.as_bytes();
        let mut run_start = 0;
        let mut i = 0;
        while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|k| i + k) {
            let Some((end, tag)) = tag_at(self.src, lt) else {
                i = lt + 1;
                continue;
            };
            self.text(run_start..lt);
            i = self.tag(tag, end);
            run_start = i;
        }
        self.text(run_start..self.src.len());
        self.flush();
    }

    /// Handles a tag ending at `end`; returns where reading resumes.
    fn tag(&mut self, tag: Tag, end: usize) -> usize {
        let name = match &tag {
            Tag::Other => return end,
            Tag::Open(n) | Tag::Close(n) => n.as_str(),
        };
        if INLINE.contains(&name) {
            return end;
        }
        self.flush();
        if CODE.contains(&name) {
            match tag {
                Tag::Open(_) => self.code_depth += 1,
                _ => self.code_depth = self.code_depth.saturating_sub(1),
            }
        } else if RAW.contains(&name) && matches!(tag, Tag::Open(_)) {
            return closing_tag_end(self.src, end, name);
        }
        end
    }

    /// Pushes the text `r` of the block: entities decoded, whitespace runs
    /// read as one space.
    fn text(&mut self, r: Range<usize>) {
        if self.code_depth > 0 || r.is_empty() {
            return;
        }
        let mut plain = r.start;
        let mut i = r.start;
        while i < r.end {
            let rest = &self.src[i..r.end];
            let c = rest.chars().next().expect("in bounds");
            let special = if c.is_ascii_whitespace() {
                let len = rest.bytes().take_while(u8::is_ascii_whitespace).count();
                (len > 1 || c != ' ').then(|| (len, " ".to_string()))
            } else if c == '&' {
                entity(rest)
            } else {
                None
            };
            match special {
                Some((len, decoded)) => {
                    self.push(plain..i, None);
                    self.push(i..i + len, Some(&decoded));
                    i += len;
                    plain = i;
                }
                None => i += c.len_utf8(),
            }
        }
        self.push(plain..r.end, None);
    }

    /// Pushes source range `r`: as itself (`None`) or as `decoded`.
    fn push(&mut self, r: Range<usize>, decoded: Option<&str>) {
        if r.is_empty() {
            return;
        }
        let source = self.base + r.start..self.base + r.end;
        let block = self.block.clone();
        let seg = self
            .current
            .get_or_insert_with(|| Segment::new(Scope::PARAGRAPH, block));
        match decoded {
            Some(d) => seg.push(d, source, false, Scope::default(), true),
            None => seg.push(&self.src[r], source, true, Scope::default(), true),
        }
    }

    fn flush(&mut self) {
        if let Some(mut seg) = self.current.take() {
            if !seg.text.trim().is_empty() {
                seg.blocked = super::markdown::blocked_urls(&seg.text);
                self.out.push(seg);
            }
        }
    }
}

/// The tag starting at `src[at] == '<'`, and where it ends; `None` when
/// the `<` starts no tag (it is then text, as in a browser).
fn tag_at(src: &str, at: usize) -> Option<(usize, Tag)> {
    let rest = &src[at..];
    let until = |pat: &str, from: usize| {
        rest.get(from..)
            .and_then(|r| r.find(pat))
            .map_or(src.len(), |k| at + from + k + pat.len())
    };
    if rest.starts_with("<!--") {
        return Some((until("-->", 4), Tag::Other));
    }
    if rest.starts_with("<![CDATA[") {
        return Some((until("]]>", 9), Tag::Other));
    }
    if rest.starts_with("<?") {
        return Some((until("?>", 2), Tag::Other));
    }
    if rest.starts_with("<!") && rest[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some((until(">", 2), Tag::Other));
    }
    let (closing, name_at) = if rest.starts_with("</") {
        (true, 2)
    } else {
        (false, 1)
    };
    let name_len = rest[name_at..]
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    if name_len == 0 || !rest.as_bytes()[name_at].is_ascii_alphabetic() {
        return None;
    }
    let name = rest[name_at..name_at + name_len].to_ascii_lowercase();
    let end = attributes_end(rest, name_at + name_len)?;
    let tag = if closing {
        Tag::Close(name)
    } else {
        Tag::Open(name)
    };
    Some((at + end, tag))
}

/// The offset just past the `>` that ends a tag's attributes, honouring
/// quoted values; `None` when the tag never ends.
fn attributes_end(rest: &str, from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (k, &b) in rest.as_bytes().iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(k + 1),
            None => {}
        }
    }
    None
}

/// Where the end tag `</name>` after `from` ends (the block's end if none).
fn closing_tag_end(src: &str, from: usize, name: &str) -> usize {
    let lower = src[from..].to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(k) => {
            let after = from + k + close.len();
            src[after..].find('>').map_or(src.len(), |g| after + g + 1)
        }
        None => src.len(),
    }
}

/// A character reference at the start of `rest` (`&shy;`, `&#173;`,
/// `&#xAD;`): its length and the text it stands for. The table of names is
/// CommonMark's (pulldown-cmark decodes the reference alone).
fn entity(rest: &str) -> Option<(usize, String)> {
    let body = &rest[1..];
    let len = body
        .bytes()
        .take(40)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count();
    if len == 0 || body.as_bytes().get(len) != Some(&b';') {
        return None;
    }
    let reference = &rest[..len + 2];
    let decoded: String = pulldown_cmark::Parser::new(reference)
        .filter_map(|e| match e {
            pulldown_cmark::Event::Text(t) => Some(t.into_string()),
            _ => None,
        })
        .collect();
    (decoded != reference).then_some((reference.len(), decoded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<String> {
        let block = 0..md.len();
        prose(
            md,
            std::slice::from_ref(&block),
            std::slice::from_ref(&block),
        )
        .into_iter()
        .map(|s| s.text)
        .collect()
    }

    #[test]
    fn text_between_tags() {
        assert_eq!(
            texts("<div class=\"x\">\n  One <b>tw</b>o\n<p>Three</p></div>"),
            vec![" One two ", "Three"]
        );
    }

    #[test]
    fn comments_scripts_and_code_are_left_out() {
        assert_eq!(
            texts("<p>a<!-- b -->c <script>d</script> e <code>f</code> g <pre>h</pre></p>"),
            vec!["ac ", " e ", " g "]
        );
    }

    #[test]
    fn entities_are_decoded_and_map_to_their_source() {
        let md = "<p>AT&amp;T gu&shy;ar</p>";
        let all = 0..md.len();
        let segs = prose(md, std::slice::from_ref(&all), std::slice::from_ref(&all));
        assert_eq!(segs[0].text, "AT&T guar");
        let at = segs[0].text.find("guar").unwrap();
        assert_eq!(&md[segs[0].source_range(at..at + 4)], "gu&shy;ar");
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        assert_eq!(texts("<p>1 < 2, x <= y</p>"), vec!["1 < 2, x <= y"]);
    }

    #[test]
    fn only_html_lines_are_read() {
        // "> " prefixes of a block quote are not part of the HTML.
        let md = "> <p>\n> text\n> </p>\n";
        let lines = [2..6, 8..13, 15..20];
        let all = 0..md.len();
        let segs = prose(md, std::slice::from_ref(&all), &lines);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text.trim(), "text");
    }
}
