//! Escaping for every markup language imprimatur writes: HTML (the report
//! page and its SVG charts), XML (JUnit, checkstyle) and GitHub-flavoured
//! Markdown table cells (the report and the GitHub job summary). Text in
//! findings, trailers and config comes from people who may want it to become
//! markup (`<b>`, `![x](https://…)`); one strict module, used everywhere,
//! makes sure it never does.

/// Escapes `text` for HTML element content and quoted attribute values
/// (either quote). Control characters HTML forbids become U+FFFD.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escapes `text` for an XML attribute value in double quotes. Line breaks
/// and tabs become character references so attribute normalisation keeps them.
pub fn xml_attr(text: &str) -> String {
    xml(text, true)
}

/// Escapes `text` for XML element content.
pub fn xml_text(text: &str) -> String {
    xml(text, false)
}

fn xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if xml_allowed(c) => out.push(c),
            // XML 1.0 cannot carry other control characters, even escaped.
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Characters XML 1.0 allows in a document.
fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Characters that can open or close inline markup in a GitHub table cell:
/// emphasis and strikethrough, code, links, images and footnotes (all need
/// `[` or `]`), autolinks and raw HTML, entities, the cell separator, the
/// backslash itself, `$` math and `#` references. CommonMark renders `\X`
/// as a literal `X` for every ASCII punctuation character, so escaping
/// these leaves the text as written.
const MARKDOWN_SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '!', '&', '$', '#',
];

/// Text for a GitHub-flavoured Markdown table cell: every character of
/// `MARKDOWN_SPECIAL` backslash-escaped, so no emphasis, link, image, HTML,
/// entity or table syntax can form; line breaks become `<br>`, other
/// control characters U+FFFD. (GitHub still links a bare `www.` address:
/// that is a link to the text shown, never an image or markup.)
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            c if MARKDOWN_SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` as inline code inside a Markdown table cell: a backtick fence
/// longer than any run of backticks in it (nothing inside a code span is
/// markup), `|` escaped for the table, line breaks as spaces.
pub fn markdown_code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let body: String = text
        .chars()
        .map(|c| match c {
            '\r' | '\n' => " ".to_string(),
            '|' => "\\|".to_string(),
            c if c.is_control() => "\u{FFFD}".to_string(),
            c => c.to_string(),
        })
        .collect();
    // A code span that starts or ends with a backtick needs a space inside.
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_both_quotes() {
        assert_eq!(
            html("<b>a & 'b' \"c\"\u{1}</b>"),
            "&lt;b&gt;a &amp; &#39;b&#39; &quot;c&quot;\u{FFFD}&lt;/b&gt;"
        );
    }

    #[test]
    fn xml_escapes_markup_quotes_line_breaks_and_drops_control_characters() {
        assert_eq!(
            xml_attr("a<b & \"c\"\nd"),
            "a&lt;b &amp; &quot;c&quot;&#10;d"
        );
        assert_eq!(xml_text("a<b\nc\u{1}"), "a&lt;b\nc\u{FFFD}");
        assert_eq!(xml_attr("it's"), "it&apos;s");
    }

    #[test]
    fn markdown_cells_cannot_hold_markup() {
        assert_eq!(
            markdown_cell("![x](https://e.com/a.png) <b>|</b>\r\nok"),
            "\\!\\[x\\](https://e.com/a.png) \\<b\\>\\|\\</b\\><br>ok"
        );
        assert_eq!(
            markdown_cell("*a* _b_ `c` &amp; ~d~ #1"),
            "\\*a\\* \\_b\\_ \\`c\\` \\&amp; \\~d\\~ \\#1"
        );
    }

    #[test]
    fn markdown_code_fences_around_backticks() {
        assert_eq!(markdown_code("docs/a.md"), "`docs/a.md`");
        assert_eq!(markdown_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
    }
}
