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
        // Flag to affix class, directly for ASCII flags (all of en_US's).
        let mut by_ascii = [None; 128];
        for (i, (flag, _)) in affixes.iter().enumerate() {
            if let Some(slot) = by_ascii.get_mut(*flag as usize) {
                slot.get_or_insert(i);
            }
        }
        let class = |flag: char| match by_ascii.get(flag as usize) {
            Some(slot) => slot.map(|i| &affixes[i].1),
            None => affixes.iter().find(|(f, _)| *f == flag).map(|(_, a)| a),
        };
        let mut grams = Grams {
            table: vec![0; BITS / 64],
        };
        // Forms as parts, so that none is allocated.
        let mut prefixed: Vec<&Entry> = Vec::new();
        let mut suffixed: Vec<(&str, &str)> = Vec::new();
        for line in dic.lines().skip(1) {
            let (root, flags) = root_and_flags(line)?;
            if root.is_empty() {
                continue;
            }
            grams.insert(&[root]);
            prefixed.clear();
            suffixed.clear();
            for affix in flags.chars().filter_map(class) {
                for entry in &affix.entries {
                    if affix.suffix {
                        if let Some(stem) = root.strip_suffix(entry.strip) {
                            grams.insert(&[stem, entry.add]);
                            if affix.cross {
                                suffixed.push((stem, entry.add));
                            }
                        }
                    } else if let Some(stem) = root.strip_prefix(entry.strip) {
                        grams.insert(&[entry.add, stem]);
                        if affix.cross {
                            prefixed.push(entry);
                        }
                    }
                }
            }
            for prefix in &prefixed {
                for &(stem, add) in &suffixed {
                    if let Some(rest) = stem.strip_prefix(prefix.strip) {
                        grams.insert(&[prefix.add, rest, add]);
                    } else if let Some(rest) = format!("{stem}{add}").strip_prefix(prefix.strip) {
                        // The prefix strips into the suffix (a root shorter
                        // than the strip): rare enough to allocate.
                        grams.insert(&[prefix.add, rest]);
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

    /// The windows of `word`, to judge the candidates made from it (`None`
    /// for a word too short or too long: judge those whole).
    pub fn near(&self, word: &str) -> Option<Near<'_>> {
        let mut buf = [0u8; MAX_CODES];
        let seq = codes(word, &mut buf)?.to_vec();
        let bad: Vec<usize> = (0..=seq.len() - N)
            .filter(|&i| !self.get(hash(pack(seq[i..i + N].iter().copied()))))
            .collect();
        Some(Near {
            grams: self,
            first_bad_end: bad.first().map_or(usize::MAX, |i| i + N),
            last_bad_start: bad.last().copied(),
            seq,
        })
    }

    /// Sets the windows of the form made of `parts`.
    fn insert(&mut self, parts: &[&str]) {
        let table = &mut self.table;
        windows_of(parts, |hash| {
            let bit = hash as usize;
            table[bit / 64] |= 1 << (bit % 64);
            true
        });
    }

    fn get(&self, hash: u64) -> bool {
        let bit = hash as usize;
        self.table[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// What the suggester gets for one word: [`Near`] when the word allows it.
pub struct Filter<'g> {
    grams: &'g Grams,
    near: Option<Near<'g>>,
    /// The last answers per edit kind (inserting, replacing): the suggester
    /// edits the word once per casing (`Kubectl`, then `kubectl`), and the
    /// answers depend only on the lower-cased word.
    answered: std::sync::Mutex<[Option<Answers>; 2]>,
}

/// The letters asked about, and an answer per (letter, position).
type Answers = (String, Vec<bool>);

impl Grams {
    pub fn filter_for(&self, word: &str) -> Filter<'_> {
        Filter {
            grams: self,
            near: self.near(word),
            answered: std::sync::Mutex::new([None, None]),
        }
    }
}

impl spellbook::CandidateFilter for Filter<'_> {
    fn could_be_word(&self, candidate: &str) -> bool {
        match &self.near {
            Some(near) => near.could_be_word(candidate),
            None => self.grams.could_be_word(candidate),
        }
    }

    fn could_put_each(&self, word: &str, replace: bool, chars: &str) -> Option<Vec<bool>> {
        let near = self.near.as_ref().filter(|near| near.is(word))?;
        let mut answered = self.answered.lock().ok()?;
        let slot = &mut answered[usize::from(replace)];
        if let Some((_, answers)) = slot.as_ref().filter(|(c, _)| c == chars) {
            return Some(answers.clone());
        }
        let plans: Vec<Option<Plan>> = word
            .char_indices()
            .map(|(at, _)| at)
            .chain((!replace).then_some(word.len()))
            .map(|at| near.plan(at, replace))
            .collect();
        // TRY lists letters in both cases: each lower-cased code is judged
        // once per position (0: not yet, 1: could, 2: cannot).
        let mut memo = vec![[0u8; 256]; plans.len()];
        let answers: Vec<bool> = chars
            .chars()
            .flat_map(|ch| (0..plans.len()).map(move |i| (i, ch)))
            .map(|(i, ch)| match lower_code(ch) {
                Some(c) => {
                    let seen = &mut memo[i][usize::from(c)];
                    if *seen == 0 {
                        *seen = if could_put(plans[i].as_ref(), self.grams, Some(c)) {
                            1
                        } else {
                            2
                        };
                    }
                    *seen == 1
                }
                None => could_put(plans[i].as_ref(), self.grams, None),
            })
            .collect();
        *slot = Some((chars.to_string(), answers.clone()));
        Some(answers)
    }
}

/// The answer for one new character (its lower-cased `code`, `None` when
/// it has none) at a place [`Near::plan`] planned.
fn could_put(plan: Option<&Plan>, grams: &Grams, code: Option<u8>) -> bool {
    match (plan, code) {
        (None, _) => false,
        (Some(plan), Some(new)) => plan.could_hold(grams, new),
        (Some(_), None) => true,
    }
}

/// The code of `ch` lower-cased, when that is one character.
fn lower_code(ch: char) -> Option<u8> {
    let mut lower = ch.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(c), None) => Some(code(c)),
        _ => None,
    }
}

/// One word's windows. The suggester's candidates are the word with a
/// local edit: a window of the candidate that lies wholly in the part it
/// shares with the word at the start (or at the end) is one of the word's
/// windows, already judged; only the windows across the edit are looked up.
pub struct Near<'g> {
    grams: &'g Grams,
    /// The word lower-cased, between its markers.
    seq: Vec<u8>,
    /// Where the word's first window outside the set ends (`MAX`: none).
    first_bad_end: usize,
    /// Where its last window outside the set starts.
    last_bad_start: Option<usize>,
}

impl Near<'_> {
    /// The same answer as [`Grams::could_be_word`], sooner.
    pub fn could_be_word(&self, candidate: &str) -> bool {
        if candidate.is_ascii()
            && candidate.len() + 2 >= N
            && memchr::memchr(b' ', candidate.as_bytes()).is_none()
        {
            // The common case, compared in place.
            let bytes = candidate.as_bytes();
            let lc = bytes.len() + 2;
            let at = |k: usize| match k {
                0 => START,
                k if k == lc - 1 => END,
                k => bytes[k - 1].to_ascii_lowercase(),
            };
            return self.judge(lc, at);
        }
        let mut buf = [0u8; MAX_CODES];
        match codes(candidate, &mut buf) {
            Some(cand) => self.judge(cand.len(), |k| cand[k]),
            None => self.grams.could_be_word(candidate),
        }
    }

    /// Is `word` the word this was made for (in ASCII)?
    pub fn is(&self, word: &str) -> bool {
        let (seq, lw) = (&self.seq, self.seq.len());
        word.len() + 2 == lw
            && word.is_ascii()
            && word.as_bytes().eq_ignore_ascii_case(&seq[1..lw - 1])
    }

    /// [`Grams::could_be_word`] of the word with `ch` inserted at (or put
    /// in place of the character at) byte `at`, without building it: the
    /// candidate's windows that miss the new character are the word's, so a
    /// word's window outside the set wholly before or after the edit rules
    /// it out, and otherwise only the windows holding the new character are
    /// looked up. The word must be [`Near::is`] (ASCII); a `ch` lower-casing
    /// to several characters gets no opinion.
    #[cfg(test)]
    pub fn could_put(&self, at: usize, replace: bool, ch: char) -> bool {
        could_put(self.plan(at, replace).as_ref(), self.grams, lower_code(ch))
    }

    /// What putting a character at `at` needs: `None` when no character
    /// can make a word there, else the windows that would hold it.
    pub fn plan(&self, at: usize, replace: bool) -> Option<Plan> {
        let (seq, lw) = (&self.seq, self.seq.len());
        // In the sequence (start marker first) the new character sits at
        // `p`; the word's codes from `after` on follow it.
        let (p, after) = (at + 1, at + 1 + usize::from(replace));
        if self.first_bad_end <= p || self.last_bad_start.is_some_and(|b| b >= after) {
            return None;
        }
        let lc = lw + usize::from(!replace);
        if lc < N {
            return Some(Plan(Vec::new()));
        }
        let cand = |k: usize| {
            if k < p {
                seq[k]
            } else {
                seq[k - p + after - 1]
            }
        };
        let windows = (p.saturating_sub(N - 1)..=p.min(lc - N))
            .map(|i| {
                let rest = (i..i + N)
                    .filter(|&k| k != p)
                    .fold(0, |w, k| w | (u64::from(cand(k)) << (8 * (i + N - 1 - k))));
                (rest, 8 * (i + N - 1 - p) as u32)
            })
            .collect();
        Some(Plan(windows))
    }

    /// Judges the candidate whose `lc` codes `at` gives.
    fn judge(&self, lc: usize, at: impl Fn(usize) -> u8) -> bool {
        let (word, lw) = (&self.seq, self.seq.len());
        let shared = lc.min(lw);
        let prefix = (0..shared).take_while(|&k| at(k) == word[k]).count();
        if self.first_bad_end <= prefix {
            return false;
        }
        let suffix = (1..=shared)
            .take_while(|&k| at(lc - k) == word[lw - k])
            .count();
        if self.last_bad_start.is_some_and(|b| b >= lw - suffix) {
            return false;
        }
        // Windows neither wholly in the shared start nor wholly in the
        // shared end.
        let first = (prefix + 1).saturating_sub(N);
        let last = (lc - N).min((lc - suffix).saturating_sub(1));
        (first..=last)
            .filter(|&i| i + N > prefix && i < lc - suffix)
            .all(|i| self.grams.get(hash(pack((i..i + N).map(&at)))))
    }
}

/// The windows holding a new character at one place: each window's other
/// codes packed, and the shift of the new one.
pub struct Plan(Vec<(u64, u32)>);

impl Plan {
    /// Are all the windows in the set with `new` in its place?
    pub fn could_hold(&self, grams: &Grams, new: u8) -> bool {
        self.0
            .iter()
            .all(|&(rest, shift)| grams.get(hash(rest | (u64::from(new) << shift))))
    }
}

/// Longest code sequence [`Near`] handles (markers included).
const MAX_CODES: usize = 64;

/// `word`'s codes as [`windows`] makes them, between the markers, in `buf`;
/// `None` when that is shorter than a window, longer than `buf`, or the word
/// has a space (no opinion on two words).
fn codes<'b>(word: &str, buf: &'b mut [u8; MAX_CODES]) -> Option<&'b [u8]> {
    if word.len() + 2 > MAX_CODES || word.contains(' ') {
        return None;
    }
    buf[0] = START;
    let mut len = 1;
    if word.is_ascii() {
        for b in word.bytes() {
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
    } else {
        for c in word.chars().flat_map(char::to_lowercase) {
            // Lower-casing can lengthen a word (İ is i + a dot above).
            if len + 1 >= MAX_CODES {
                return None;
            }
            buf[len] = code(c);
            len += 1;
        }
    }
    buf[len] = END;
    len += 1;
    (len >= N).then_some(&buf[..len])
}

/// Codes packed one byte each, the first in the highest byte (as
/// [`windows`] packs them).
fn pack(codes: impl IntoIterator<Item = u8>) -> u64 {
    codes.into_iter().fold(0, |w, c| (w << 8) | u64::from(c))
}

/// Calls `each` with the hash of every window of the lower-cased word
/// between its start and end markers (one window for a shorter sequence),
/// until it returns false. A window is its characters' codes packed into an
/// integer, one byte each: a code is the character itself up to U+00FF, and a
/// fold of it above (the same on both sides, so a fold can only merge two
/// windows — letting a candidate through — never tell one word's apart).
fn windows(word: &str, each: impl FnMut(u64) -> bool) {
    windows_of(&[word], each);
}

/// [`windows`] of the word made of `parts`, one after the other.
fn windows_of(parts: &[&str], mut each: impl FnMut(u64) -> bool) {
    const MASK: u64 = (1 << (8 * N)) - 1;
    let mut window = u64::from(START);
    let mut len = 1;
    let mut push = |code: u8, window: &mut u64, len: &mut usize| -> bool {
        *window = ((*window << 8) | u64::from(code)) & MASK;
        *len += 1;
        *len < N || each(hash(*window))
    };
    let going = parts.iter().all(|part| {
        if part.is_ascii() {
            // The common case, without decoding or case tables.
            part.bytes()
                .all(|b| push(b.to_ascii_lowercase(), &mut window, &mut len))
        } else {
            part.chars()
                .flat_map(char::to_lowercase)
                .all(|c| push(code(c), &mut window, &mut len))
        }
    });
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

    #[test]
    fn judging_near_the_word_answers_as_judging_whole() {
        let aff = crate::dictionary::without_compound_rules(crate::dictionary::EN_US_AFF);
        let grams = Grams::build(&aff, crate::dictionary::EN_US_DIC).unwrap();
        let letters: Vec<char> = "esiaénrtolcdugmfphbyvkw-'.zqjxSNRTLCGDMFPHBEAUYOIVKWóö"
            .chars()
            .collect();
        let mut words: Vec<String> = [
            "kubectl", "Recieve", "teh", "systemd", "aa", "abc", "SELinux",
        ]
        .map(String::from)
        .to_vec();
        words.extend(
            crate::dictionary::EN_US_DIC
                .lines()
                .skip(1)
                .step_by(2_000)
                .map(|l| l.split('/').next().unwrap_or_default().to_string()),
        );
        let (mut compared, mut ruled_out) = (0, 0);
        for word in &words {
            let Some(near) = grams.near(word) else {
                continue;
            };
            let chars: Vec<char> = word.chars().collect();
            let mut candidates: Vec<String> = vec![word.clone(), "zzzzzz".into(), "x".into()];
            for i in 0..=chars.len() {
                for &c in &letters {
                    let mut inserted = chars.clone();
                    inserted.insert(i, c);
                    candidates.push(inserted.into_iter().collect());
                    if i < chars.len() {
                        let mut replaced = chars.clone();
                        replaced[i] = c;
                        candidates.push(replaced.into_iter().collect());
                    }
                }
                if i < chars.len() {
                    let mut removed = chars.clone();
                    removed.remove(i);
                    candidates.push(removed.into_iter().collect());
                    for j in i + 1..chars.len() {
                        let mut swapped = chars.clone();
                        swapped.swap(i, j);
                        candidates.push(swapped.into_iter().collect());
                    }
                }
            }
            for c in &candidates {
                assert_eq!(
                    near.could_be_word(c),
                    grams.could_be_word(c),
                    "{word} -> {c}"
                );
                compared += 1;
            }
            // Judging an edit unbuilt answers as judging the candidate.
            for (at, _) in word.char_indices().chain([(word.len(), ' ')]) {
                for replace in [false, true] {
                    if replace && at == word.len() {
                        continue;
                    }
                    for &c in &letters {
                        let mut edited = word.clone();
                        if replace {
                            edited.remove(at);
                        }
                        edited.insert(at, c);
                        let whole = grams.could_be_word(&edited);
                        let put = !near.is(word) || near.could_put(at, replace, c);
                        // Sound always; exact for a word in ASCII.
                        assert!(put || !whole, "{word} -> {edited}");
                        if word.is_ascii() {
                            assert_eq!(put, whole, "{word} -> {edited}");
                        }
                        ruled_out += usize::from(!whole);
                    }
                }
            }
        }
        assert!(compared > 20_000, "{compared}");
        assert!(ruled_out > 20_000, "{ruled_out}");
    }
}
