//! The little XML the JUnit and checkstyle reporters need: escaping for
//! attributes and text. Hand-written because it is a dozen lines; the tests
//! parse the output back with a real XML parser.

/// Escapes `text` for an attribute value in double quotes. Line breaks and
/// tabs become character references so attribute normalisation keeps them.
pub fn attr(text: &str) -> String {
    escape(text, true)
}

/// Escapes `text` for element content.
pub fn text(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if allowed(c) => out.push(c),
            // XML 1.0 cannot carry other control characters, even escaped.
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Characters XML 1.0 allows in a document.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_line_breaks_and_drops_control_characters() {
        assert_eq!(attr("a<b & \"c\"\nd"), "a&lt;b &amp; &quot;c&quot;&#10;d");
        assert_eq!(text("a<b\nc\u{1}"), "a&lt;b\nc\u{FFFD}");
        assert_eq!(attr("it's"), "it's");
    }
}
