//! A quick "could this be a word?" test for suggestion candidates.
//!
//! Spellbook's suggester makes thousands of candidates per unknown word (each
//! letter of `TRY` inserted or substituted at each position, swaps, moves…)
//! and checks every one with a full affix analysis: for a page of command
//! names that was most of a spelling run. Almost none of those candidates is
//! a word, and most of them contain five letters in a row that no word of the
//! dictionary contains.
//!
//! [`Grams`] holds every 5-character window (lower-cased, with the word's
//! start and end as characters) of every form the dictionary can accept: each
//! root, each root with one prefix or suffix, and each root with a prefix and a
//! suffix that combine. A candidate with a window outside that set cannot be
//! a word and is skipped without the affix analysis.
//!
//! It is sound only when those forms are all the dictionary accepts, so it is
//! built only for dictionaries whose affix file uses nothing that makes other
//! forms: no compounding, no two-level affixes (continuation classes), no
//! `IGNORE`d characters, no complex prefixes, and single-character flags (see
//! [`Grams::build`]). Conditions of affix entries are not evaluated: the set
//! is a superset of the forms, which keeps it sound. The set is a bit table
//! indexed by a hash of the window (a one-hash Bloom filter): a collision can
//! only let a candidate through, never turn one away.

/// Window length in characters (start and end markers included).
const N: usize = 5;
/// Bits in the table: 4 Mi bits (512 KB) for en_US's ~150,000 distinct
/// windows keeps false positives near 4%.
const BITS: usize = 1 << 22;
/// The word's start and end, as codes no letter has.
const START: u8 = 0x01;
const END: u8 = 0x02;

pub struct Grams {
    table: Vec<u64>,
}

impl std::fmt::Debug for Grams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Grams")
    }
}

/// One affix entry: the letters stripped from the root and those added.
struct Entry<'a> {
    strip: &'a str,
    add: &'a str,
}

/// The entries of one affix flag.
struct Affix<'a> {
    suffix: bool,
    cross: bool,
    entries: Vec<Entry<'a>>,
}

impl Grams {
    /// The windows of every form of `dic` under `aff`, or `None` when the
    /// affix file uses something this expansion does not cover (then no
    /// candidate is filtered).
    pub fn build(aff: &str, dic: &str) -> Option<Grams> {
        let affixes = affixes(aff)?;
        let mut grams = Grams {
            table: vec![0; BITS / 64],
        };
        let mut prefixed: Vec<(&Entry, &str)> = Vec::new();
        let mut suffixed: Vec<String> = Vec::new();
        for line in dic.lines().skip(1) {
            let (root, flags) = root_and_flags(line)?;
            if root.is_empty() {
                continue;
            }
            grams.insert(root);
            prefixed.clear();
            suffixed.clear();
            for flag in flags.chars() {
                let Some(affix) = affixes.iter().find(|(f, _)| *f == flag).map(|(_, a)| a) else {
                    continue;
                };
                for entry in &affix.entries {
                    if affix.suffix {
                        if let Some(stem) = root.strip_suffix(entry.strip) {
                            let form = format!("{stem}{}", entry.add);
                            grams.insert(&form);
                            if affix.cross {
                                suffixed.push(form);
                            }
                        }
                    } else if let Some(stem) = root.strip_prefix(entry.strip) {
                        grams.insert(&format!("{}{stem}", entry.add));
                        if affix.cross {
                            prefixed.push((entry, entry.strip));
                        }
                    }
                }
            }
            for (entry, strip) in &prefixed {
                for form in &suffixed {
                    if let Some(rest) = form.strip_prefix(strip) {
                        grams.insert(&format!("{}{rest}", entry.add));
                    }
                }
            }
        }
        Some(grams)
    }

    /// Could `candidate` be a form of the dictionary? `false` is a proof it
    /// is not; `true` means "check it".
    pub fn could_be_word(&self, candidate: &str) -> bool {
        // Two-word candidates are not dictionary forms here (lines with a
        // space in the word make `build` give up); no opinion on them.
        if candidate.contains(' ') {
            return true;
        }
        let mut all = true;
        windows(candidate, |hash| {
            all &= self.get(hash);
            all
        });
        all
    }

    fn insert(&mut self, form: &str) {
        let mut hashes = Vec::with_capacity(form.len() + 2);
        windows(form, |hash| {
            hashes.push(hash);
            true
        });
        for hash in hashes {
            let bit = hash as usize;
            self.table[bit / 64] |= 1 << (bit % 64);
        }
    }

    fn get(&self, hash: u64) -> bool {
        let bit = hash as usize;
        self.table[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// Calls `each` with the hash of every window of the lower-cased word
/// between its start and end markers (one window for a shorter sequence),
/// until it returns false. A window is its characters' codes packed into an
/// integer, one byte each: a code is the character itself up to U+00FF, and a
/// fold of it above (the same on both sides, so a fold can only merge two
/// windows — letting a candidate through — never tell one word's apart).
fn windows(word: &str, mut each: impl FnMut(u64) -> bool) {
    const MASK: u64 = (1 << (8 * N)) - 1;
    let mut window = u64::from(START);
    let mut len = 1;
    let mut push = |code: u8, window: &mut u64, len: &mut usize| -> bool {
        *window = ((*window << 8) | u64::from(code)) & MASK;
        *len += 1;
        *len < N || each(hash(*window))
    };
    let going = if word.is_ascii() {
        // The common case, without decoding or case tables.
        word.bytes()
            .all(|b| push(b.to_ascii_lowercase(), &mut window, &mut len))
    } else {
        word.chars()
            .flat_map(char::to_lowercase)
            .all(|c| push(code(c), &mut window, &mut len))
    };
    if going && push(END, &mut window, &mut len) && len < N {
        each(hash(window));
    }
}

fn code(c: char) -> u8 {
    let c = u32::from(c);
    // Truncation is the fold.
    (if c < 0x100 {
        c
    } else {
        c ^ (c >> 8) ^ (c >> 16)
    }) as u8
}

fn hash(window: u64) -> u64 {
    // Fibonacci hashing: the table index is taken from the high bits.
    window.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BITS.trailing_zeros())
}

/// The `PFX`/`SFX` tables of `aff`, or `None` when it uses anything that
/// makes forms beyond root ± one prefix ± one suffix, or flags that are not
/// single characters.
fn affixes(aff: &str) -> Option<Vec<(char, Affix<'_>)>> {
    let mut out: Vec<(char, Affix)> = Vec::new();
    for line in aff.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.first().copied() {
            Some("FLAG") if fields.get(1) != Some(&"UTF-8") => return None,
            Some(
                "AF" | "IGNORE" | "COMPLEXPREFIXES" | "COMPOUNDRULE" | "COMPOUNDFLAG"
                | "COMPOUNDBEGIN" | "COMPOUNDMIDDLE" | "COMPOUNDLAST" | "COMPOUNDEND",
            ) => return None,
            Some(kind @ ("PFX" | "SFX")) => {
                let flag = single_char(fields.get(1)?)?;
                let suffix = kind == "SFX";
                match fields.len() {
                    // Header: `SFX F Y 3`.
                    4 => out.push((
                        flag,
                        Affix {
                            suffix,
                            cross: fields[2] == "Y",
                            entries: Vec::new(),
                        },
                    )),
                    // Entry: `SFX F strip add[/flags] condition [morphology]`.
                    n if n >= 5 => {
                        let add = fields[3];
                        if add.contains('/') {
                            return None; // Continuation classes: two levels.
                        }
                        let strip = if fields[2] == "0" { "" } else { fields[2] };
                        let add = if add == "0" { "" } else { add };
                        let affix = out
                            .iter_mut()
                            .rev()
                            .find(|(f, a)| *f == flag && a.suffix == suffix);
                        affix?.1.entries.push(Entry { strip, add });
                    }
                    _ => return None,
                }
            }
            _ => {}
        }
    }
    Some(out)
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// A `.dic` line's word and flags, as spellbook reads the common shapes
/// (`word`, `word/FLAGS [morphology]`, `word<TAB>morphology`); `None` for a
/// line with a backslash or a space in its word, or a flag that is not
/// ASCII (then no filter is built: the expansion would have to guess).
fn root_and_flags(line: &str) -> Option<(&str, &str)> {
    let Some(at) = line.find(['/', '\\', ' ', '\t']) else {
        return Some((line, ""));
    };
    match line.as_bytes()[at] {
        b'/' if at > 0 => {
            let flags = line[at + 1..].split_whitespace().next().unwrap_or_default();
            flags.is_ascii().then_some((&line[..at], flags))
        }
        b'\t' => Some((&line[..at], "")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spellbook::Dictionary;

    /// Every string over `alphabet` up to `len` characters.
    fn strings(alphabet: &[char], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn every_word_the_dictionary_accepts_passes() {
        // Prefixes and suffixes with strip letters, conditions, cross
        // products and none, a word with no flags, a capitalised root.
        let aff = "SET UTF-8\n\
                   PFX P Y 1\nPFX P 0 ab .\n\
                   PFX Q N 1\nPFX Q a ca a\n\
                   SFX S Y 2\nSFX S y ies [^a]y\nSFX S 0 s [^y]\n\
                   SFX T N 1\nSFX T 0 ba b\n";
        let dic = "5\nbay/PS\nacb/QT\nb/PST\nyy\nAcy/S\n";
        let dictionary = Dictionary::new(aff, dic).unwrap();
        let grams = Grams::build(aff, dic).expect("plain affixes are covered");
        let mut accepted = 0;
        for s in strings(&['a', 'b', 'c', 'y', 'i', 'e', 's', 'A'], 6) {
            // (spellbook calls the empty string right.)
            if !s.is_empty() && dictionary.check(&s) {
                accepted += 1;
                assert!(grams.could_be_word(&s), "{s} is a word but was filtered");
            }
        }
        assert!(accepted >= 12, "the dictionary accepts {accepted} strings");
        // And it does filter: none of these is a word.
        for s in ["xyzzy", "bbbbbb", "ccay", "bays s"] {
            assert_eq!(grams.could_be_word(s), s.contains(' '), "{s}");
        }
    }

    #[test]
    fn affix_files_beyond_one_prefix_and_suffix_get_no_filter() {
        let dic = "1\nfoo/A\n";
        for aff in [
            "FLAG long\n",
            "FLAG num\n",
            "AF 1\nAF A\n",
            "IGNORE x\n",
            "COMPLEXPREFIXES\n",
            "COMPOUNDFLAG X\n",
            "COMPOUNDRULE 1\nCOMPOUNDRULE A*\n",
            "SFX A Y 1\nSFX A 0 s/B .\n",
        ] {
            assert!(Grams::build(aff, dic).is_none(), "{aff}");
        }
        assert!(Grams::build("FLAG UTF-8\nSFX A Y 1\nSFX A 0 s .\n", dic).is_some());
        // A word with a space or a backslash, or a flag beyond ASCII.
        let aff = "SFX A Y 1\nSFX A 0 s .\n";
        assert!(Grams::build(aff, "1\ndevon kor/A\n").is_none());
        assert!(Grams::build(aff, "1\na\\/b/A\n").is_none());
        assert!(Grams::build(aff, "1\nfoo/Ä\n").is_none());
        // Morphology after the flags or a tab is not part of the word.
        let grams = Grams::build(aff, "2\nfoo/A po:noun\nbar\tNoun\n").unwrap();
        assert!(grams.could_be_word("foos") && grams.could_be_word("bar"));
        assert!(!grams.could_be_word("noun") && !grams.could_be_word("barnoun"));
    }

    #[test]
    fn short_words_and_case() {
        let grams = Grams::build("SET UTF-8\n", "3\na\nI\nParis\n").unwrap();
        for w in ["a", "A", "I", "i", "Paris", "PARIS", "paris"] {
            assert!(grams.could_be_word(w), "{w}");
        }
        for w in ["b", "ab", "Pari", "Parisa", "aParis"] {
            assert!(!grams.could_be_word(w), "{w}");
        }
    }
}
