//! Bytes → text for content files. A binary or non-UTF-8 file is not an
//! error that ends the run: it becomes an `imprimatur/unreadable` finding.

/// Why a content file could not be read as text, with the 1-based position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub reason: String,
    pub line: usize,
    pub column: usize,
}

/// How far into a file to look for a NUL byte, as git does to call a file binary.
const BINARY_SNIFF_LEN: usize = 8000;

/// Decodes content bytes to text, refusing binary and invalid UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, Unreadable> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if let Some(nul) = sniff.iter().position(|&b| b == 0) {
        let (line, column) = position_of(&bytes, nul);
        return Err(Unreadable {
            reason: "binary file (contains a NUL byte); not checked".into(),
            line,
            column,
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = position_of(e.as_bytes(), at);
        Unreadable {
            reason: format!(
                "not valid UTF-8 (invalid byte 0x{:02X}); not checked",
                e.as_bytes()[at]
            ),
            line,
            column,
        }
    })
}

/// 1-based line and character column of byte `at`, decoding leniently.
fn position_of(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_utf8() {
        assert_eq!(decode("héllo".as_bytes().to_vec()).unwrap(), "héllo");
    }

    #[test]
    fn reports_invalid_utf8_position() {
        let err = decode(b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 3));
        assert!(err.reason.contains("0xFF"));
    }

    #[test]
    fn reports_binary() {
        let err = decode(b"PNG\0\0".to_vec()).unwrap_err();
        assert!(err.reason.contains("binary"));
        assert_eq!((err.line, err.column), (1, 4));
    }
}
