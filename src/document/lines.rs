//! Byte offset → 1-based line and column, columns in Unicode characters
//! (as the JSON output and SARIF's `unicodeCodePoints` promise). A BOM is not
//! a column; CRLF ends a line like LF.

#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Length of a leading BOM, skipped when counting columns on line 1.
    bom: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex { starts, bom }
    }

    /// 1-based (line, column) of byte `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let mut start = self.starts[line - 1];
        if line == 1 {
            start = start.max(self.bom.min(offset));
        }
        let offset = floor_char_boundary(text, offset);
        let column = text[start..offset].chars().count() + 1;
        (line, column)
    }

    /// Byte range of 1-based `line`, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.starts.get(line - 1).copied().unwrap_or(text.len());
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        let slice = &text[start..end];
        let trimmed = slice.trim_end_matches(['\n', '\r']);
        start..start + trimmed.len()
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// The largest char boundary at or before `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "héllo wörld\nnext";
        let idx = LineIndex::new(text);
        let w = text.find("wörld").unwrap();
        assert_eq!(idx.position(text, w), (1, 7));
        assert_eq!(idx.position(text, text.find("next").unwrap()), (2, 1));
    }

    #[test]
    fn emoji_is_one_column() {
        let text = "🚀 Launch";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, text.find("Launch").unwrap()), (1, 3));
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}one\r\ntwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 3), (1, 1));
        assert_eq!(idx.position(text, text.find("two").unwrap()), (2, 1));
        assert_eq!(&text[idx.line_range(text, 1)], "\u{feff}one");
    }
}
