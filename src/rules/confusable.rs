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
//! lint uses) supplies the script sets and the skeleton mapping; the
//! characters whose skeleton is ASCII are kept as a table generated from it
//! (`confusable/skeletons.rs`, checked against it by a test).

use std::ops::Range;
use std::sync::OnceLock;

use unicode_security::mixed_script::AugmentedScriptSet;

use super::terms::is_word_char;

mod skeletons;

use skeletons::ASCII_SKELETONS;

/// Does any word of `text` read differently in its [`View`]: a word that
/// mixes scripts and holds a character with an ASCII look-alike? The
/// prefilter asks this of every page with a non-ASCII character, so only
/// the words around such characters are judged: a page of Hangul or Han
/// with Latin command names (`Git의`) mixes scripts without holding one.
pub fn has_confusable_word(text: &str) -> bool {
    !text.is_ascii() && confusable_words(text).next().is_some()
}

/// The words the [`View`] reads as their skeleton, in order: each word
/// (run of [`is_word_char`]) that holds a character of [`ASCII_SKELETONS`]
/// and is [`is_mixed`]. ASCII runs are skipped eight bytes at a time, other
/// characters by their first two bytes ([`PAIRS`]) without decoding
/// ([`next_candidate`]), so text without look-alikes costs one quick pass
/// over its bytes.
fn confusable_words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    // Always at a character boundary: whole characters and words are skipped.
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(at) = next_candidate(bytes, from) {
            let c = text[at..].chars().next()?;
            from = at + c.len_utf8();
            if !has_ascii_skeleton(c) {
                continue;
            }
            // Table characters are word characters: `at` is inside a word.
            let word = word_start(text, at)..word_end(text, from);
            from = word.end;
            if is_mixed(&text[word.clone()]) {
                return Some(word);
            }
        }
        None
    })
}

/// The first character at or after `from` (a character boundary) whose
/// first two bytes [`PAIRS`] admits. Within a run of non-ASCII text each
/// character costs one table test.
fn next_candidate(bytes: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let mut at = next_non_ascii(bytes, from)?;
        // `at` starts a character of two or more bytes (the text is UTF-8).
        while at < bytes.len() && !bytes[at].is_ascii() {
            if pair_may_hold(bytes[at], bytes[at + 1]) {
                return Some(at);
            }
            at += utf8_len(bytes[at]);
        }
        from = at;
    }
}

/// The first byte at or after `from` that is not ASCII.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = &bytes[from..];
    let mut i = 0;
    while let Some(chunk) = rest.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        i += 8;
    }
    rest[i..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|p| from + i + p)
}

/// The length of the UTF-8 character whose first byte is `lead` (not ASCII).
fn utf8_len(lead: u8) -> usize {
    match lead {
        ..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Where the word holding the character at `at` starts.
fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| word_char(*c))
        .last()
        .map_or(at, |(i, _)| i)
}

/// Where the word running through `from` ends.
fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|(_, c)| !word_char(*c))
        .map_or(text.len(), |(i, _)| from + i)
}

/// Does `word` mix scripts: is its resolved script set (UTS #39) empty?
/// The same answer as `unicode-security`'s `is_single_script`, negated,
/// with the sets of two-byte characters looked up in [`low`].
fn is_mixed(word: &str) -> bool {
    if word.is_ascii() {
        return false;
    }
    let mut scripts = AugmentedScriptSet::default();
    for c in word.chars() {
        match low().get(c as usize) {
            Some(facts) => scripts.intersect_with(facts.scripts),
            None => scripts.intersect_with(AugmentedScriptSet::for_char(c)),
        }
    }
    scripts.is_empty()
}

/// [`is_word_char`], with two-byte characters looked up in [`low`].
fn word_char(c: char) -> bool {
    match low().get(c as usize) {
        Some(facts) if !c.is_ascii() => facts.word,
        _ => is_word_char(c),
    }
}

/// What the scan asks of a character.
#[derive(Clone, Copy)]
struct Facts {
    word: bool,
    scripts: AugmentedScriptSet,
}

/// The facts of every character below U+0800 (one or two UTF-8 bytes:
/// Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, ...), computed once
/// per process: the Cyrillic letters that look Latin are common, so a
/// Russian page has every word judged, and the same few dozen characters
/// are asked about thousands of times.
fn low() -> &'static [Facts] {
    static LOW: OnceLock<Box<[Facts]>> = OnceLock::new();
    LOW.get_or_init(|| {
        ('\0'..'\u{800}')
            .map(|c| Facts {
                word: is_word_char(c),
                scripts: AugmentedScriptSet::for_char(c),
            })
            .collect()
    })
}

/// Bit `(lead & 0x3f) * 64 + (next & 0x3f)` set: a character of
/// [`ASCII_SKELETONS`] is encoded starting with the bytes `lead, next`. For
/// a two-byte character that is the character itself; for longer ones, its
/// block of 64 (or 4,096) code points. Hangul, most of Han and most accented
/// Latin have no bit.
static PAIRS: [u64; 64] = pairs();

const fn pairs() -> [u64; 64] {
    let mut bits = [0u64; 64];
    let mut i = 0;
    while i < ASCII_SKELETONS.len() {
        let c = ASCII_SKELETONS[i].0 as u32;
        let (lead, next) = if c < 0x800 {
            (0xc0 | c >> 6, 0x80 | (c & 0x3f))
        } else if c < 0x1_0000 {
            (0xe0 | c >> 12, 0x80 | (c >> 6 & 0x3f))
        } else {
            (0xf0 | c >> 18, 0x80 | (c >> 12 & 0x3f))
        };
        let k = ((lead & 0x3f) * 64 + (next & 0x3f)) as usize;
        bits[k / 64] |= 1 << (k % 64);
        i += 1;
    }
    bits
}

/// Could the character encoded starting with `lead, next` have an ASCII
/// look-alike? False only when no table character starts that way.
fn pair_may_hold(lead: u8, next: u8) -> bool {
    let k = usize::from(lead & 0x3f) * 64 + usize::from(next & 0x3f);
    PAIRS[k / 64] >> (k % 64) & 1 == 1
}

/// Characters below this are looked up in [`MEMBERS`]; the table has none
/// above it yet, and would be searched for them.
const BITMAPPED: u32 = 0x2_0000;

/// Bit `c` set: `c` is in [`ASCII_SKELETONS`]. One bit test rejects the
/// characters of most text (Hangul, Han, accented Latin) and admits the
/// look-alikes without a search.
static MEMBERS: [u64; (BITMAPPED / 64) as usize] = members();

const fn members() -> [u64; (BITMAPPED / 64) as usize] {
    let mut bits = [0u64; (BITMAPPED / 64) as usize];
    let mut i = 0;
    while i < ASCII_SKELETONS.len() {
        let c = ASCII_SKELETONS[i].0 as u32;
        if c < BITMAPPED {
            bits[(c / 64) as usize] |= 1 << (c % 64);
        }
        i += 1;
    }
    bits
}

/// Does `c` have an ASCII look-alike: is it in [`ASCII_SKELETONS`]?
fn has_ascii_skeleton(c: char) -> bool {
    let u = c as u32;
    if u < BITMAPPED {
        MEMBERS[(u / 64) as usize] >> (u % 64) & 1 == 1
    } else {
        ascii_skeleton(c).is_some()
    }
}

/// The ASCII a word character is confusable with, when its skeleton is
/// ASCII (UTS #39; [`ASCII_SKELETONS`]).
fn ascii_skeleton(c: char) -> Option<&'static str> {
    if c.is_ascii() {
        return None;
    }
    let i = ASCII_SKELETONS.binary_search_by_key(&c, |(k, _)| *k).ok()?;
    Some(ASCII_SKELETONS[i].1)
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
    /// The view of `text`, or `None` when no word reads differently (no
    /// mixed-script word holds a look-alike: the view would be the text).
    pub fn of(text: &str) -> Option<View> {
        if text.is_ascii() {
            return None;
        }
        let mut view = View {
            text: String::with_capacity(text.len()),
            replaced: Vec::new(),
        };
        let mut copied = 0;
        for word in confusable_words(text) {
            for (i, c) in text[word.clone()].char_indices() {
                let Some(ascii) = ascii_skeleton(c) else {
                    continue;
                };
                let start = word.start + i;
                view.text.push_str(&text[copied..start]);
                let v = view.text.len();
                view.text.push_str(ascii);
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
    use unicode_security::MixedScript;

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
        assert!(!has_confusable_word(
            "café \u{441}\u{43e}\u{440}\u{443} 100%"
        ));
        assert!(has_confusable_word("x guarant\u{435}ed"));
        // Greek and Cyrillic letters that look Latin, with no Latin at all.
        assert!(has_confusable_word("\u{391}\u{412}C"));
        // Mixed, but nothing in it looks like ASCII: it reads as written.
        assert!(!has_confusable_word("Git\u{c758} \u{4e2d}x"));
        assert!(View::of("Git\u{c758} \u{4e2d}x").is_none());
    }

    /// The definition the table and the scan must agree with: UTS #39's
    /// skeleton of one character, when it is ASCII.
    fn skeleton_by_definition(c: char) -> Option<String> {
        if c.is_ascii() || !is_word_char(c) {
            return None;
        }
        let mut buf = [0u8; 4];
        let skeleton: String = unicode_security::skeleton(c.encode_utf8(&mut buf)).collect();
        (skeleton.is_ascii() && !skeleton.is_empty()).then_some(skeleton)
    }

    /// The generated table's text for the current `unicode-security` data.
    fn render_table() -> String {
        let mut out = String::from(
            "//! Generated by `rules::confusable::tests::skeleton_table_is_current`\n\
             //! from `unicode-security`'s UTS #39 data; do not edit. After a change\n\
             //! of that crate, regenerate with\n\
             //! `IMPRIMATUR_REGENERATE=1 cargo test --lib skeleton_table`.\n\
             //!\n\
             //! Every non-ASCII word character whose confusable skeleton is ASCII,\n\
             //! with that skeleton, in code point order.\n\n\
             #[rustfmt::skip]\n\
             pub(super) const ASCII_SKELETONS: &[(char, &str)] = &[\n",
        );
        let entries: Vec<String> = ('\u{80}'..=char::MAX)
            .filter_map(|c| {
                skeleton_by_definition(c).map(|s| format!("('\\u{{{:x}}}', {s:?}),", c as u32))
            })
            .collect();
        for line in entries.chunks(6) {
            out.push_str("    ");
            out.push_str(&line.join(" "));
            out.push('\n');
        }
        out.push_str("];\n");
        out
    }

    #[test]
    fn skeleton_table_is_current() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/rules/confusable/skeletons.rs"
        );
        let rendered = render_table();
        if std::env::var_os("IMPRIMATUR_REGENERATE").is_some() {
            std::fs::write(path, &rendered).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap();
        assert!(
            committed == rendered,
            "{path} is not what unicode-security's data gives; \
             regenerate it with IMPRIMATUR_REGENERATE=1 cargo test --lib skeleton_table"
        );
        for (c, skeleton) in ASCII_SKELETONS {
            assert_eq!(ascii_skeleton(*c), Some(*skeleton), "{c:?}");
        }
    }

    #[test]
    fn lookups_answer_as_the_definitions_for_every_character() {
        for c in '\0'..=char::MAX {
            let expected = skeleton_by_definition(c);
            assert_eq!(has_ascii_skeleton(c), expected.is_some(), "{c:?}");
            if !c.is_ascii() {
                let mut buf = [0u8; 4];
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                assert_eq!(utf8_len(bytes[0]), bytes.len(), "{c:?}");
                // The pair test never rejects a table character.
                assert!(
                    pair_may_hold(bytes[0], bytes[1]) || expected.is_none(),
                    "{c:?}"
                );
            }
            assert_eq!(ascii_skeleton(c).map(str::to_string), expected, "{c:?}");
            assert_eq!(word_char(c), is_word_char(c), "{c:?}");
            let word = format!("a{c}");
            assert_eq!(is_mixed(&word), !word.is_single_script(), "{word:?}");
        }
    }

    #[test]
    fn next_non_ascii_finds_the_first_high_byte_from_any_start() {
        for ascii in 0..40 {
            let text = format!("{}\u{e9}x\u{2019}", "a".repeat(ascii));
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let expected = bytes[from..].iter().position(|b| !b.is_ascii());
                assert_eq!(
                    next_non_ascii(bytes, from),
                    expected.map(|p| from + p),
                    "{ascii} {from}"
                );
            }
        }
    }

    #[test]
    fn scan_finds_the_words_each_word_asked_finds() {
        // Latin, Cyrillic and Greek look-alikes, a Cyrillic letter without
        // one, Han, kana, Hangul, Bopomofo, a digit, `_`, a combining accent,
        // separators.
        let alphabet = [
            'a', '\u{435}', '\u{391}', '\u{436}', '\u{4e2d}', '\u{3042}', '\u{d55c}', '\u{3105}',
            '1', '_', '\u{301}', ' ', '-',
        ];
        let mut strings = vec![String::new()];
        for _ in 0..4 {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            for s in &strings {
                let word_by_word: Vec<Range<usize>> = s
                    .split(|c: char| !is_word_char(c))
                    .filter(|w| !w.is_empty())
                    .filter(|w| {
                        is_mixed(w) && w.chars().any(|c| skeleton_by_definition(c).is_some())
                    })
                    .map(|w| {
                        let at = w.as_ptr() as usize - s.as_ptr() as usize;
                        at..at + w.len()
                    })
                    .collect();
                assert_eq!(
                    confusable_words(s).collect::<Vec<_>>(),
                    word_by_word,
                    "{s:?}"
                );
                assert_eq!(has_confusable_word(s), !word_by_word.is_empty(), "{s:?}");
                assert_eq!(View::of(s).is_some(), !word_by_word.is_empty(), "{s:?}");
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
