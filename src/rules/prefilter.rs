//! A whole-file prefilter: proves, from the raw text alone, that no term of
//! any `forbid` or `substitute` rule can match, so the file need not be
//! parsed at all. Most pages of a large site contain none of the terms; this
//! is how a check gets close to the cost of reading the bytes (ripgrep's
//! cost), since parsing Markdown is the expensive part.
//!
//! Soundness: a term matches the *text* of a segment, which differs from the
//! source by markup, entities, escapes and line structure. Every term has a
//! longest run of letters and digits (its "needle"); a whole-word match of
//! the term in the text means its needle appears in the text with no letter
//! or digit on either side. The needle appears the same way in the source
//! unless markup or an escape sits *inside or against* a run of letters
//! (`gua**rant**eed`, `[gua](x)ranteed`, `caf&eacute;`, a YAML `\u0072`), so a
//! file with any such spot is never skipped, nor is one with front matter (it
//! has its own findings) or a suppression comment (which has its own), nor
//! one holding a character that renders as nothing or a word matching
//! reads as its confusable skeleton (it mixes scripts and holds a letter
//! with an ASCII look-alike; matching reads through both, raw words would
//! not). The
//! prefilter exists only when every term has a needle and no rule item is a
//! regex; a file is skipped only when every rule that applies to it is a
//! `forbid` or `substitute` rule. Equality with the full check is tested over
//! real corpora and crafted cases.

use std::collections::HashSet;

type Needles = HashSet<Box<[u8]>, xxhash_rust::xxh3::Xxh3DefaultBuilder>;

/// Needles longer than this are looked up with an allocation; words this
/// long are rare.
const SHORT: usize = 64;

use super::terms::Items;

/// The needles, and a quick test that rejects most words before hashing.
#[derive(Debug)]
pub struct Prefilter {
    /// Needles of case-insensitive terms, ASCII-lowercased.
    insensitive: Needles,
    /// Needles of case-sensitive terms, as written.
    sensitive: Needles,
    /// `maybe[b][len]`: some needle starts with byte `b` (lowercased) and has
    /// length `len` (capped at 63).
    maybe: Box<[[bool; 64]; 256]>,
}

impl Prefilter {
    /// The prefilter for these rules' items (`term_rules[i]`: is rule `i` a
    /// forbid or substitute rule), or `None` when one cannot be sound.
    pub fn build(items: &[Items], term_rules: &[bool]) -> Option<Prefilter> {
        let mut p = Prefilter {
            insensitive: Needles::default(),
            sensitive: Needles::default(),
            maybe: Box::new([[false; 64]; 256]),
        };
        for (rule_items, is_term_rule) in items.iter().zip(term_rules) {
            if !is_term_rule {
                continue;
            }
            if !rule_items.regexes.is_empty() {
                return None;
            }
            for (_, term, ignore_case) in &rule_items.terms {
                if *ignore_case && !term.is_ascii() {
                    // Unicode case folding is a regex in the index: no needle.
                    return None;
                }
                let needle = needle(term).filter(|n| n.is_ascii())?.as_bytes();
                let first = needle[0].to_ascii_lowercase();
                p.maybe[usize::from(first)][needle.len().min(63)] = true;
                if *ignore_case {
                    p.insensitive.insert(needle.to_ascii_lowercase().into());
                } else {
                    p.sensitive.insert(needle.into());
                }
            }
        }
        Some(p)
    }

    /// True when no term can match anywhere in `text`: no word of the text
    /// is a needle, and nothing in it could make the parsed text disagree
    /// with the source about where words are.
    pub fn proves_no_match(&self, text: &str) -> bool {
        if has_front_matter(text) || memchr::memmem::find(text.as_bytes(), b"imprimatur-").is_some()
        {
            return false;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut after_word = false;
        while i < bytes.len() {
            let end = word_end(bytes, i);
            if end > i {
                if self.is_needle(&bytes[i..end]) {
                    return false;
                }
                i = end;
                after_word = true;
                continue;
            }
            let gap_end = gap_end(bytes, i);
            let gap = &bytes[i..gap_end];
            if has_entity(bytes, i, gap_end) {
                return false;
            }
            let before_word = word_end(bytes, gap_end) > gap_end;
            if before_word && joins_words(gap, after_word) {
                return false;
            }
            i = gap_end;
            after_word = false;
        }
        // Matching reads through invisible characters and look-alike
        // letters (see `Segment::push` and `confusable`); raw words would
        // not. Asked last: a page with a needle is parsed anyway.
        !(has_invisible(text) || super::confusable::has_confusable_word(text))
    }

    fn is_needle(&self, word: &[u8]) -> bool {
        let first = word[0].to_ascii_lowercase();
        if !self.maybe[usize::from(first)][word.len().min(63)] {
            return false;
        }
        if self.sensitive.contains(word) {
            return true;
        }
        if word.len() <= SHORT {
            let mut lower = [0u8; SHORT];
            let lower = &mut lower[..word.len()];
            lower.copy_from_slice(word);
            lower.make_ascii_lowercase();
            self.insensitive.contains(&*lower)
        } else {
            self.insensitive.contains(&*word.to_ascii_lowercase())
        }
    }
}

/// Could markup ending in `gap`, which a word directly follows, vanish when
/// parsed and join that word to the text before it (`[gua](x)ranteed`,
/// `gua**rant**eed`, `a</b>c`, `a<!-- -->b`)? Links and HTML end in `)`,
/// `]` or `>`; emphasis, strikethrough and link openers (`*`, `~`, `[`) join
/// only when a word also touches the gap's start (`g[uaranteed](x)`).
fn joins_words(gap: &[u8], after_word: bool) -> bool {
    match gap.last() {
        Some(b')' | b']' | b'>') => true,
        Some(b'*' | b'~' | b'[') => after_word,
        _ => false,
    }
}

/// An HTML entity or numeric character reference starting at an `&` of
/// `bytes[start..end]` (its name or number is the word that follows).
fn has_entity(bytes: &[u8], start: usize, end: usize) -> bool {
    bytes[start..end].iter().enumerate().any(|(k, &b)| {
        if b != b'&' {
            return false;
        }
        let after = &bytes[start + k + 1..];
        let body = after.strip_prefix(b"#").unwrap_or(after);
        let len = body
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        len > 0 && body.get(len) == Some(&b';')
    })
}

/// A character that renders as nothing (a byte order mark only past the
/// file's start).
fn has_invisible(text: &str) -> bool {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    crate::document::has_invisible(body)
}

fn has_front_matter(text: &str) -> bool {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    body.starts_with("---") || body.starts_with("+++")
}

/// The end of the run of ASCII letters and digits starting at `i` (`i` if
/// none). Needles are ASCII, so other characters only ever separate words:
/// a needle that stands alone in the text is a whole ASCII word here too.
fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
        i += 1;
    }
    i
}

/// The end of the run of other bytes starting at `i`; ASCII whitespace ends
/// a gap too, and makes one of its own (words on either side stay apart).
fn gap_end(bytes: &[u8], i: usize) -> usize {
    let space = bytes[i].is_ascii_whitespace();
    let mut j = i;
    while j < bytes.len()
        && !bytes[j].is_ascii_alphanumeric()
        && bytes[j].is_ascii_whitespace() == space
    {
        j += 1;
    }
    j
}

/// The longest run of letters and digits in `term` (the first, on a tie);
/// the prefilter gives up on a term whose needle is not ASCII.
fn needle(term: &str) -> Option<&str> {
    let mut best: Option<&str> = None;
    for run in term.split(|c: char| !c.is_alphanumeric()) {
        if !run.is_empty() && best.is_none_or(|b| run.len() > b.len()) {
            best = Some(run);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefilter(terms: &[(&str, bool)]) -> Prefilter {
        Prefilter::build(&[Items::of_terms(terms)], &[true]).unwrap()
    }

    #[test]
    fn needles_are_the_longest_runs() {
        assert_eq!(needle("risk-free"), Some("risk"));
        assert_eq!(needle("100% secure"), Some("secure"));
        assert_eq!(needle("#1"), Some("1"));
        assert_eq!(needle("—"), None);
    }

    #[test]
    fn skips_only_what_cannot_match() {
        let p = prefilter(&[("guaranteed", true), ("Github", false), ("risk-free", true)]);
        assert!(p.proves_no_match("# Title\n\nNothing here; GitHub, githubs.\n"));
        assert!(!p.proves_no_match("Github-like\n"));
        assert!(!p.proves_no_match("It is GUARANTEED.\n"));
        assert!(!p.proves_no_match("Use Github.\n"));
        // A needle inside a longer word cannot be a whole-word match.
        assert!(p.proves_no_match("unguaranteedly, Githubbing, riskier\n"));
        // Markup next to it still counts as standing alone.
        assert!(!p.proves_no_match("It is **guaranteed**.\n"));
        assert!(!p.proves_no_match("A *risk*-free offer.\n"));
    }

    #[test]
    fn markup_inside_words_is_never_skipped() {
        let p = prefilter(&[("guaranteed", true)]);
        for text in [
            "gua**rant**eed\n",
            "**gua**ranteed\n",
            "[gua](x)ranteed\n",
            "[gua]ranteed\n",
            "gua<b>rant</b>eed\n",
            "gu&#97;ranteed\n",
            "---\ntitle: \"gu\\x61ranteed\"\n---\n",
            "<!-- imprimatur-disable-next-line x -->\n",
            "guaran\u{ad}teed\n",
            "guaran\u{200b}teed\n",
            "guaran\u{feff}teed\n",
            "guarant\u{435}ed\n",
            "<p>guaranteed</p>\n",
        ] {
            assert!(!p.proves_no_match(text), "{text}");
        }
    }

    #[test]
    fn regexes_and_unicode_case_folding_disable_it() {
        let items = Items {
            terms: vec![(0, "café".into(), true)],
            regexes: Vec::new(),
        };
        assert!(Prefilter::build(&[items], &[true]).is_none());
        let items = Items {
            terms: Vec::new(),
            regexes: vec![(0, regex::Regex::new("a+").unwrap(), true)],
        };
        assert!(Prefilter::build(&[items], &[true]).is_none());
        // Rules of other kinds do not count.
        let items = Items {
            terms: Vec::new(),
            regexes: vec![(0, regex::Regex::new("a+").unwrap(), true)],
        };
        assert!(Prefilter::build(&[items], &[false]).is_some());
    }
}
