//! Words that mix scripts, read as a reader reads them. `guarantеed` with a
//! Cyrillic `е` looks like `guaranteed`; a term must match it. Following
//! UTS #39 (confusable detection), a word whose letters are not all of one
//! script (its resolved script set is empty) is matched on its confusable
//! skeleton: each of its non-ASCII characters whose skeleton is ASCII is
//! read as that skeleton (`е` → `e`, `і` → `i`, `Α` → `A`). ASCII letters
//! stay as written and single-script words are untouched, so `сору` (all
//! Cyrillic) is not `copy`, and precomposed letters (`é`) keep their accent.
//!
//! `unicode-security` (unicode-rs, the tables rustc's `mixed_script_confusables`
//! lint uses) supplies the script sets and the skeleton mapping.

use std::ops::Range;

use unicode_security::mixed_script::AugmentedScriptSet;
use unicode_security::MixedScript;

use super::terms::is_word_char;

/// Does any word of `text` mix scripts? (The same answer as asking
/// [`is_mixed`] of each word, in one pass: the prefilter asks it of every
/// page with a non-ASCII character, and a page in one script repeats a few
/// hundred characters thousands of times, so each character's word-ness and
/// script set are looked up once per page.)
pub fn has_mixed_script_word(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let mut facts: Option<CharFacts> = None;
    // The running word's resolved script set, and whether it has left ASCII.
    let mut scripts = AugmentedScriptSet::default();
    let mut beyond_ascii = false;
    for c in text.chars() {
        let word_char = if c.is_ascii() {
            // ASCII letters are Latin; digits and `_` are Common (no change).
            if c.is_ascii_alphabetic() {
                scripts.intersect_with(ascii_letter_scripts());
            }
            is_word_char(c)
        } else {
            let (word_char, set) = facts.get_or_insert_with(CharFacts::new).of(c);
            if word_char {
                scripts.intersect_with(set);
                beyond_ascii = true;
            }
            word_char
        };
        if word_char {
            continue;
        }
        if beyond_ascii && scripts.is_empty() {
            return true;
        }
        scripts = AugmentedScriptSet::default();
        beyond_ascii = false;
    }
    beyond_ascii && scripts.is_empty()
}

/// The script set of every ASCII letter (Latin), looked up once.
fn ascii_letter_scripts() -> AugmentedScriptSet {
    static LATIN: std::sync::OnceLock<AugmentedScriptSet> = std::sync::OnceLock::new();
    *LATIN.get_or_init(|| AugmentedScriptSet::for_char('a'))
}

/// Non-ASCII characters' word-ness ([`is_word_char`]) and script sets,
/// remembered in a small direct-mapped table.
struct CharFacts {
    slots: Vec<(char, bool, AugmentedScriptSet)>,
}

impl CharFacts {
    const SLOTS: usize = 256;

    fn new() -> CharFacts {
        // An ASCII character never asks, so a slot holding one is empty.
        let empty = ('\0', false, AugmentedScriptSet::default());
        CharFacts {
            slots: vec![empty; Self::SLOTS],
        }
    }

    fn of(&mut self, c: char) -> (bool, AugmentedScriptSet) {
        let slot = &mut self.slots[c as usize % Self::SLOTS];
        if slot.0 != c {
            *slot = (c, is_word_char(c), AugmentedScriptSet::for_char(c));
        }
        (slot.1, slot.2)
    }
}

/// Words of `text` (runs of letters, digits and `_`) with their offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

fn is_mixed(word: &str) -> bool {
    !word.is_ascii() && !word.is_single_script()
}

/// The ASCII a character is confusable with, when its skeleton is ASCII.
fn ascii_skeleton(c: char) -> Option<String> {
    if c.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 4];
    let skeleton: String = unicode_security::skeleton(c.encode_utf8(&mut buf)).collect();
    (skeleton.is_ascii() && !skeleton.is_empty()).then_some(skeleton)
}

/// A segment's text with every mixed-script word read as its skeleton,
/// and the way back to the text's offsets.
#[derive(Debug)]
pub struct View {
    pub text: String,
    /// (view range, text range) of each replaced character, in order.
    replaced: Vec<(Range<usize>, Range<usize>)>,
}

impl View {
    /// The view of `text`, or `None` when no word mixes scripts (the view
    /// would be the text itself).
    pub fn of(text: &str) -> Option<View> {
        if text.is_ascii() {
            return None;
        }
        let mut view = View {
            text: String::with_capacity(text.len()),
            replaced: Vec::new(),
        };
        let mut copied = 0;
        for (at, word) in words(text).filter(|(_, w)| is_mixed(w)) {
            for (i, c) in word.char_indices() {
                let Some(ascii) = ascii_skeleton(c) else {
                    continue;
                };
                let start = at + i;
                view.text.push_str(&text[copied..start]);
                let v = view.text.len();
                view.text.push_str(&ascii);
                copied = start + c.len_utf8();
                view.replaced.push((v..view.text.len(), start..copied));
            }
        }
        if view.replaced.is_empty() {
            return None;
        }
        view.text.push_str(&text[copied..]);
        Some(view)
    }

    /// The text range a view range `r` reads: widened to whole characters.
    pub fn to_text(&self, r: Range<usize>) -> Range<usize> {
        self.offset(r.start, false)..self.offset(r.end, true)
    }

    /// The text offset of view offset `v`. A start inside a replacement
    /// moves to the character's start, an end inside one to its end.
    fn offset(&self, v: usize, is_end: bool) -> usize {
        // The first replacement not wholly before `v`.
        let i = self.replaced.partition_point(
            |(view, _)| {
                if is_end {
                    view.end < v
                } else {
                    view.end <= v
                }
            },
        );
        if let Some((view, text)) = self.replaced.get(i) {
            if view.start < v || (!is_end && view.start == v) {
                return if is_end { text.end } else { text.start };
            }
        }
        match i.checked_sub(1).map(|k| &self.replaced[k]) {
            Some((view, text)) => text.end + (v - view.end),
            None => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_words_read_as_their_skeleton() {
        let text = "A guarant\u{435}ed G\u{456}thub, \u{441}\u{43e}\u{440}\u{443}, café.";
        let view = View::of(text).unwrap();
        assert_eq!(
            view.text,
            "A guaranteed Github, \u{441}\u{43e}\u{440}\u{443}, café."
        );
        let at = view.text.find("guaranteed").unwrap();
        assert_eq!(&text[view.to_text(at..at + 10)], "guarant\u{435}ed");
        let at = view.text.find("Github").unwrap();
        assert_eq!(&text[view.to_text(at..at + 6)], "G\u{456}thub");
        // Past the replaced characters, offsets shift by the difference.
        let at = view.text.find("café").unwrap();
        assert_eq!(&text[view.to_text(at..at + 5)], "café");
    }

    #[test]
    fn single_script_text_has_no_view() {
        assert!(View::of("plain ASCII").is_none());
        assert!(View::of("café naïve \u{441}\u{43e}\u{440}\u{443} 日本語").is_none());
        assert!(!has_mixed_script_word(
            "café \u{441}\u{43e}\u{440}\u{443} 100%"
        ));
        assert!(has_mixed_script_word("x guarant\u{435}ed"));
        // Greek and Cyrillic letters that look Latin, with no Latin at all.
        assert!(has_mixed_script_word("\u{391}\u{412}C"));
    }

    #[test]
    fn ascii_word_characters_are_latin_letters_or_common() {
        for c in (0..128u8).map(char::from).filter(|c| is_word_char(*c)) {
            let set = AugmentedScriptSet::for_char(c);
            if c.is_ascii_alphabetic() {
                assert_eq!(set, ascii_letter_scripts(), "{c}");
            } else {
                assert!(set.is_all(), "{c}");
            }
        }
    }

    #[test]
    fn one_pass_answers_as_each_word_asked() {
        // Latin, Cyrillic and Greek look-alikes, Han, kana, Hangul, Bopomofo,
        // a digit, `_`, a combining accent, separators.
        let alphabet = [
            'a', '\u{435}', '\u{391}', '\u{4e2d}', '\u{3042}', '\u{30a2}', '\u{d55c}', '\u{3105}',
            '1', '_', '\u{301}', ' ', '-',
        ];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            for s in &strings {
                let word_by_word = !s.is_ascii() && words(s).any(|(_, w)| is_mixed(w));
                assert_eq!(has_mixed_script_word(s), word_by_word, "{s:?}");
            }
        }
    }

    #[test]
    fn a_match_ending_inside_a_replacement_widens_to_the_character() {
        let text = "a\u{435}b";
        let view = View::of(text).unwrap();
        assert_eq!(view.text, "aeb");
        assert_eq!(view.to_text(1..2), 1..3);
        assert_eq!(view.to_text(0..1), 0..1);
        assert_eq!(view.to_text(2..3), 3..4);
    }
}
