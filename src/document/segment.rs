//! A `Segment` is the prose of one block (a paragraph, heading, list item,
//! table cell, front-matter value) as plain text, with a map from every
//! piece of that text back to its source bytes. Rules match the plain text;
//! the map turns a match into an exact source span without searching again.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Where text sits in the document, as bit flags: a list item's paragraph
/// inside a block quote is `LIST | BLOCKQUOTE | PARAGRAPH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Scope(pub u16);

impl Scope {
    pub const PARAGRAPH: Scope = Scope(1);
    pub const HEADING: Scope = Scope(1 << 1);
    pub const LIST: Scope = Scope(1 << 2);
    pub const TABLE: Scope = Scope(1 << 3);
    pub const BLOCKQUOTE: Scope = Scope(1 << 4);
    pub const LINK: Scope = Scope(1 << 5);
    pub const ALT: Scope = Scope(1 << 6);
    pub const FRONT_MATTER: Scope = Scope(1 << 7);
    pub const FOOTNOTE: Scope = Scope(1 << 8);
    /// A table's header row (its cells also carry `TABLE`).
    pub const TABLE_HEADER: Scope = Scope(1 << 9);
    /// Inline strong (`**x**`) and emphasis (`*x*`) text, for Vale's `IgnoredScopes`.
    pub const STRONG: Scope = Scope(1 << 10);
    pub const EMPHASIS: Scope = Scope(1 << 11);
    /// Every body (non-front-matter) scope.
    pub const BODY: Scope = Scope(((1 << 7) - 1) | (1 << 8));

    pub const fn union(self, other: Scope) -> Scope {
        Scope(self.0 | other.0)
    }
    pub fn intersects(self, other: Scope) -> bool {
        self.0 & other.0 != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The scope for a name used in rule packs.
    pub fn from_name(name: &str) -> Option<Scope> {
        Some(match name {
            "text" | "body" => Scope::BODY,
            "paragraph" | "p" => Scope::PARAGRAPH,
            "heading" | "headings" => Scope::HEADING,
            "list" | "li" => Scope::LIST,
            "table" | "table-cell" => Scope::TABLE,
            "blockquote" => Scope::BLOCKQUOTE,
            "link" => Scope::LINK,
            "alt" => Scope::ALT,
            "footnote" => Scope::FOOTNOTE,
            "frontmatter" | "front-matter" => Scope::FRONT_MATTER,
            _ => return None,
        })
    }
}

/// Characters that render as nothing inside a word: soft hyphen, zero-width
/// space, non-joiner and joiner, word joiner, and U+FEFF (a byte order mark
/// anywhere but the start of a file is a zero-width no-break space). A
/// reader sees `guaran\u{ad}teed` as `guaranteed`, so matching does too.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Does `text` hold a character that renders as nothing ([`is_invisible`])?
/// Each one's UTF-8 form starts with the byte 0xC2, 0xE2 or 0xEF, so a
/// vectorised byte search finds the only places worth decoding: every text
/// piece of every parsed page is asked this.
pub fn has_invisible(text: &str) -> bool {
    // Most pieces are ASCII, which a word-at-a-time test settles. The three
    // bytes lead a character, so each is a character boundary.
    !text.is_ascii()
        && memchr::memchr3_iter(0xc2, 0xe2, 0xef, text.as_bytes())
            .any(|i| text[i..].chars().next().is_some_and(is_invisible))
}

/// One run of segment text and the source bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: Range<usize>,
    pub source: Range<usize>,
    /// The source slice equals the text (no entity, escape or soft break),
    /// so offsets inside the piece map one to one.
    pub exact: bool,
    /// Inline scope of this piece (`LINK`, `ALT`), added to the block's.
    pub inline: Scope,
    /// False for stand-ins of code spans and bare URLs: no match may touch them.
    pub matchable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub pieces: Vec<Piece>,
    /// Block-level scope of the whole segment.
    pub scope: Scope,
    /// Source range of the enclosing block (paragraph, heading, cell…).
    pub block: Range<usize>,
    /// For front-matter values: the key.
    pub key: Option<String>,
    /// Text ranges no rule may touch (bare URLs).
    pub blocked: Vec<Range<usize>>,
    /// Sentence ranges, computed on first use.
    sentences: std::sync::OnceLock<Vec<Range<usize>>>,
}

impl Segment {
    pub fn new(scope: Scope, block: Range<usize>) -> Segment {
        Segment {
            text: String::new(),
            pieces: Vec::new(),
            scope,
            block,
            key: None,
            blocked: Vec::new(),
            sentences: std::sync::OnceLock::new(),
        }
    }

    /// Appends `text` that came from `source`. Characters that render as
    /// nothing (`is_invisible`) are left out of the text, so they never
    /// split a word; the source ranges still cover them, so a span over
    /// such a word covers them too, and a fix there is never provable.
    pub fn push(
        &mut self,
        text: &str,
        source: Range<usize>,
        exact: bool,
        inline: Scope,
        matchable: bool,
    ) {
        if !has_invisible(text) {
            return self.push_piece(text, source, exact, inline, matchable);
        }
        if !exact {
            let visible: String = text.chars().filter(|&c| !is_invisible(c)).collect();
            return self.push_piece(&visible, source, false, inline, matchable);
        }
        // An exact piece splits around each invisible character.
        let mut run = 0;
        for (i, c) in text.char_indices().filter(|&(_, c)| is_invisible(c)) {
            let range = source.start + run..source.start + i;
            self.push_piece(&text[run..i], range, true, inline, matchable);
            run = i + c.len_utf8();
        }
        let range = source.start + run..source.end;
        self.push_piece(&text[run..], range, true, inline, matchable);
    }

    fn push_piece(
        &mut self,
        text: &str,
        source: Range<usize>,
        exact: bool,
        inline: Scope,
        matchable: bool,
    ) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.pieces.push(Piece {
            text: start..self.text.len(),
            source,
            exact,
            inline,
            matchable,
        });
    }

    /// Index of the piece containing text offset `at` (the last piece for `at == len`).
    fn piece_at(&self, at: usize) -> &Piece {
        let i = self.pieces.partition_point(|p| p.text.end <= at);
        &self.pieces[i.min(self.pieces.len() - 1)]
    }

    /// Source byte offset of text offset `at`, mapping to the start of the
    /// source piece when the piece is inexact.
    pub fn source_start(&self, at: usize) -> usize {
        let p = self.piece_at(at);
        if p.exact {
            p.source.start + (at - p.text.start)
        } else {
            p.source.start
        }
    }

    /// Source byte offset just past text offset `end` (exclusive), mapping to
    /// the end of the source piece when the piece is inexact.
    pub fn source_end(&self, end: usize) -> usize {
        let p = self.piece_at(end.saturating_sub(1));
        if p.exact {
            p.source.start + (end - p.text.start)
        } else {
            p.source.end
        }
    }

    /// Source range of the text range `r`.
    pub fn source_range(&self, r: Range<usize>) -> Range<usize> {
        self.source_start(r.start)..self.source_end(r.end).max(self.source_start(r.start))
    }

    /// May a rule report text range `r`? Not when it touches code or a URL.
    pub fn is_matchable(&self, r: &Range<usize>) -> bool {
        if self
            .blocked
            .iter()
            .any(|b| b.start < r.end && r.start < b.end)
        {
            return false;
        }
        let first = self.pieces.partition_point(|p| p.text.end <= r.start);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.text.start < r.end)
            .all(|p| p.matchable)
    }

    /// Block scope plus the inline scopes of the pieces `r` touches.
    pub fn scope_of(&self, r: &Range<usize>) -> Scope {
        let first = self.pieces.partition_point(|p| p.text.end <= r.start);
        self.pieces[first..]
            .iter()
            .take_while(|p| p.text.start < r.end)
            .fold(self.scope, |s, p| s.union(p.inline))
    }

    /// Text ranges of the sentences (Unicode sentence boundaries, UAX #29).
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences.get_or_init(|| {
            self.text
                .split_sentence_bound_indices()
                .map(|(i, s)| i..i + s.len())
                .collect()
        })
    }

    /// Source range of the sentence containing text offset `at`: from the
    /// sentence's first byte to where the next sentence starts, so footnote
    /// markers after the full stop belong to the sentence they follow.
    pub fn sentence_source(&self, at: usize) -> Range<usize> {
        let sentences = self.sentences();
        let i = sentences
            .partition_point(|s| s.end <= at)
            .min(sentences.len() - 1);
        let start = self.source_start(sentences[i].start);
        let end = match sentences.get(i + 1) {
            Some(next) => self.source_start(next.start),
            None => self.block.end.max(self.source_end(self.text.len())),
        };
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_invisible_answers_as_each_character_asked() {
        // Every character of the Basic Multilingual Plane and a sample beyond
        // it, alone and between others that share its lead bytes.
        let chars = ('\u{0}'..='\u{ffff}').chain(['\u{1f600}', '\u{e0001}', char::MAX]);
        for c in chars {
            for text in [
                c.to_string(),
                format!("a\u{2019}{c}\u{ac}b"),
                format!("\u{fefe}{c}"),
            ] {
                assert_eq!(
                    has_invisible(&text),
                    text.contains(is_invisible),
                    "{text:?}"
                );
            }
        }
    }

    fn seg() -> Segment {
        // Source: "A **bold** &amp; plain" → text "A bold & plain"
        let mut s = Segment::new(Scope::PARAGRAPH, 0..22);
        s.push("A ", 0..2, true, Scope::default(), true);
        s.push("bold", 4..8, true, Scope::default(), true);
        s.push(" ", 10..11, true, Scope::default(), true);
        s.push("&", 11..16, false, Scope::default(), true);
        s.push(" plain", 16..22, true, Scope::default(), true);
        s
    }

    #[test]
    fn maps_exact_pieces_one_to_one() {
        let s = seg();
        let at = s.text.find("bold").unwrap();
        assert_eq!(s.source_range(at..at + 4), 4..8);
        assert_eq!(s.source_range(at + 1..at + 3), 5..7);
    }

    #[test]
    fn maps_inexact_pieces_to_their_whole_source() {
        let s = seg();
        let at = s.text.find('&').unwrap();
        assert_eq!(s.source_range(at..at + 1), 11..16);
    }

    #[test]
    fn spans_across_markup() {
        let s = seg();
        assert_eq!(s.source_range(0..6), 0..8);
    }

    #[test]
    fn invisible_characters_leave_the_text_but_not_the_source() {
        // Source: "guaran\u{ad}teed &shy;" (exact, then an entity piece)
        let mut s = Segment::new(Scope::PARAGRAPH, 0..20);
        s.push("guaran\u{ad}teed ", 0..13, true, Scope::default(), true);
        s.push("\u{ad}", 13..18, false, Scope::default(), true);
        s.push("a\u{200b}b", 18..23, false, Scope::default(), true);
        assert_eq!(s.text, "guaranteed ab");
        assert_eq!(s.source_range(0..10), 0..12);
        assert_eq!(s.source_range(0..6), 0..6);
        assert_eq!(s.source_range(6..10), 8..12);
        assert_eq!(s.source_range(11..13), 18..23);
    }

    #[test]
    fn sentences_split() {
        let mut s = Segment::new(Scope::PARAGRAPH, 0..20);
        s.push("One. Two three.", 0..15, true, Scope::default(), true);
        assert_eq!(s.sentences().len(), 2);
        assert_eq!(s.sentence_source(6), 5..20);
    }
}
