//! Open buffers and LSP positions. A position's `character` counts code
//! units of the negotiated encoding (UTF-8 bytes, UTF-16 units or code
//! points); the engine speaks byte offsets. `LineIndex` converts both ways
//! and applies incremental edits.

use lsp_types::{Position, PositionEncodingKind, Range, TextDocumentContentChangeEvent};

/// The position encoding agreed in `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The server's pick among the client's offer: UTF-8 (the engine's own
    /// offsets) first, then UTF-32, then UTF-16, which every client supports
    /// and which is the answer when the client offers nothing.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        let has = |kind: &PositionEncodingKind| offered.iter().any(|o| o == kind);
        if has(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if has(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Byte offsets of line starts (after `\n`; `\r\n` ends a line too).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The byte offset of `pos` in `text`; past a line's end is its end,
    /// past the last line is the end of the text (as LSP asks).
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .copied()
            .unwrap_or(text.len());
        let line = text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += enc.units(c);
        }
        start + line.len()
    }

    /// The position of byte `offset` (clamped to the text and to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = match enc {
            Encoding::Utf8 => offset - start,
            _ => text[start..offset].chars().map(|c| enc.units(c)).sum(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, text: &str, span: std::ops::Range<usize>, enc: Encoding) -> Range {
        Range::new(
            self.position(text, span.start, enc),
            self.position(text, span.end, enc),
        )
    }
}

/// An open buffer: its text as the editor has it, unsaved changes included.
#[derive(Debug, Clone)]
pub struct Buffer {
    pub text: String,
    pub version: i32,
    pub lines: LineIndex,
}

impl Buffer {
    pub fn new(text: String, version: i32) -> Buffer {
        let lines = LineIndex::new(&text);
        Buffer {
            text,
            version,
            lines,
        }
    }

    /// Applies `didChange` events in order: a ranged event replaces that
    /// range, one without a range replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start, enc);
                    let end = self.lines.offset(&self.text, range.end, enc).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = LineIndex::new(&self.text);
        }
    }

    pub fn range(&self, span: std::ops::Range<usize>, enc: Encoding) -> Range {
        self.lines.range(&self.text, span, enc)
    }

    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        self.lines.offset(&self.text, pos, enc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a😀b\r\nsecond é line\nlast";

    #[test]
    fn positions_count_units_of_each_encoding() {
        let lines = LineIndex::new(TEXT);
        let b = TEXT.find('b').unwrap();
        assert_eq!(lines.position(TEXT, b, Encoding::Utf8), Position::new(0, 5));
        assert_eq!(
            lines.position(TEXT, b, Encoding::Utf16),
            Position::new(0, 3)
        );
        assert_eq!(
            lines.position(TEXT, b, Encoding::Utf32),
            Position::new(0, 2)
        );
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = lines.position(TEXT, b, enc);
            assert_eq!(lines.offset(TEXT, pos, enc), b);
        }
        let last = TEXT.find("last").unwrap();
        assert_eq!(
            lines.position(TEXT, last, Encoding::Utf16),
            Position::new(2, 0)
        );
    }

    #[test]
    fn positions_past_a_line_or_the_text_clamp() {
        let lines = LineIndex::new(TEXT);
        // Past the end of line 0 is before its `\r\n`.
        assert_eq!(
            lines.offset(TEXT, Position::new(0, 99), Encoding::Utf16),
            TEXT.find('\r').unwrap()
        );
        assert_eq!(
            lines.offset(TEXT, Position::new(9, 0), Encoding::Utf16),
            TEXT.len()
        );
    }

    #[test]
    fn incremental_changes_apply_in_order() {
        let mut buffer = Buffer::new("Github is 😀 great\n".into(), 1);
        let change = |l1, c1, l2, c2, text: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        };
        buffer.apply(
            vec![
                change(0, 0, 0, 6, "GitHub"),
                change(0, 12, 0, 12, " really"),
            ],
            Encoding::Utf16,
        );
        assert_eq!(buffer.text, "GitHub is 😀 really great\n");
        buffer.apply(
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            }],
            Encoding::Utf16,
        );
        assert_eq!(buffer.text, "new");
        assert_eq!(buffer.lines.starts, vec![0]);
    }
}
