//! Where Vale puts an alert whose text is not in the source as it is.
//!
//! Vale (3.x, `internal/core/location.go`) locates every alert by searching
//! its matched text in the source. When the text is not there — it crosses
//! inline markup (`**the** the`), or a line break the source indents or
//! prefixes (`- the⏎  the`, `> the⏎> the`) — `guessLocation` takes the last
//! sentence of the rule's text that equals the match or holds it after its
//! first character, splits that sentence into words with Vale's tokenizer,
//! and reports the alert at column 1 of the first source line that contains
//! every word. No such sentence or line: the alert is dropped. imprimatur
//! keeps exact positions wherever the text is in the source, and follows
//! this rule where it is not, so a Vale gate passes or fails as Vale does.

use std::ops::Range;

/// The start of the line Vale reports an alert on, or `None` when Vale
/// drops it. `text` is what the rule read, `alert` the match in it,
/// `source` the whole file and `from` where Vale's search may begin (the
/// start of the alert's block: text of earlier blocks is masked in Vale).
pub fn guess(text: &str, alert: &Range<usize>, source: &str, from: usize) -> Option<usize> {
    let found = text.get(alert.clone())?;
    let flat = text.replace('\n', " ");
    let target = super::common::sentences(&flat)
        .into_iter()
        .map(|r| text[r].trim())
        .rfind(|s| *s == found || s.find(found).is_some_and(|i| i > 0))?;
    let tokens = tokens(target);
    let mut at = source[..from.min(source.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    for line in source[at..].split_inclusive(['\n', '\r']) {
        if tokens.iter().all(|t| line.contains(t.as_str())) {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// Vale's word tokenizer (`nlp.IterTokenizer` with its defaults): smart
/// quotes made straight, split at white space, leading `$ ( " [ '` and
/// trailing `, ) " ] ! ; . ? : '` peeled off, tokens without a letter
/// dropped; abbreviations such as `U.S.` and `Mr.` stay whole.
pub fn tokens(sentence: &str) -> Vec<String> {
    let clean = sentence
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace("&rsquo;", "'");
    let mut out = Vec::new();
    for word in clean.split_whitespace() {
        let mut token = word;
        loop {
            if is_special(token) {
                break;
            }
            let long = token.chars().count() > 1;
            if long && token.starts_with(['$', '(', '"', '[', '\'']) {
                token = &token[1..];
            } else if long && token.ends_with([',', ')', '"', ']', '!', ';', '.', '?', ':', '\'']) {
                token = &token[..token.len() - 1];
            } else {
                break;
            }
        }
        if token.chars().any(char::is_alphabetic) {
            out.push(token.to_string());
        }
    }
    out
}

/// `U.S.`, `e.g.` (letters each followed by a period) and `Mr.`, `Dr.`.
fn is_special(token: &str) -> bool {
    let b = token.as_bytes();
    let dotted = b.len() >= 4
        && b.len() % 2 == 0
        && b.chunks(2)
            .all(|c| c[0].is_ascii_alphabetic() && c[1] == b'.');
    let title = (3..=4).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1..b.len() - 1].iter().all(u8::is_ascii_lowercase)
        && b[b.len() - 1] == b'.';
    dotted || title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_vale_splits_them() {
        assert_eq!(
            tokens("We saw (the) \u{201c}dog\u{201d}, the U.S. and Mr. Smith's **** $5."),
            ["We", "saw", "the", "dog", "the", "U.S.", "and", "Mr.", "Smith's"]
        );
    }

    #[test]
    fn placed_on_the_line_with_every_word_of_the_sentence() {
        let source = "Intro.\n\nWe saw **the** the hen.\n";
        let text = "We saw the the hen.";
        let at = guess(text, &(7..14), source, source.find("We").unwrap());
        assert_eq!(at, Some(source.find("We").unwrap()));
    }

    #[test]
    fn dropped_when_the_sentence_spans_lines() {
        let source = "- We saw the\n  the cat.\n";
        let text = "We saw the\nthe cat.";
        assert_eq!(guess(text, &(7..14), source, 2), None);
    }

    #[test]
    fn dropped_when_the_match_opens_its_sentence() {
        let source = "**Bats** bats fly.\n";
        let text = "Bats bats fly.";
        assert_eq!(guess(text, &(0..9), source, 0), None);
        // A match that is the whole sentence is found.
        let source = "**Go** go.\n";
        assert_eq!(guess("Go go", &(0..5), source, 0), Some(0));
    }

    #[test]
    fn the_search_starts_at_the_block() {
        let source = "We saw the hen.\n\nWe saw **the** the hen.\n";
        let from = source.rfind("We").unwrap();
        assert_eq!(
            guess("We saw the the hen.", &(7..14), source, from),
            Some(from)
        );
    }
}
