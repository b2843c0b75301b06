//! Hunspell dictionaries for the `spelling` kinds: the bundled `en_US`
//! (Debian's `hunspell-en-us`, SCOWL; see `dictionaries/en_US/COPYRIGHT`),
//! built once per process and shared by every rule and thread, and further
//! `.dic`/`.aff` pairs read by path. Checking and suggesting is `spellbook`'s.
//!
//! Speed: en_US's only compounds are ordinals (`COMPOUNDRULE n*1t`: `21st`),
//! yet a `COMPOUNDRULE` makes spellbook look up every prefix of every word it
//! cannot find — and the suggester checks hundreds of candidate words per
//! misspelling, so that was most of a spelling run. When every root those
//! rules can join holds a digit, no word without a digit can be such a
//! compound: [`Hunspell`] then answers digit-free words from a copy built
//! without the `COMPOUNDRULE` lines (the same answers, proved by the
//! condition), and builds the dictionary as written only when a word with a
//! digit comes.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use spellbook::Dictionary;

mod grams;
use grams::Grams;

const EN_US_AFF: &str = include_str!("../dictionaries/en_US/en_US.aff");
const EN_US_DIC: &str = include_str!("../dictionaries/en_US/en_US.dic");

/// Everyday software words SCOWL's en_US lacks (`backtick`, `stdout`,
/// `namespace`…), bundled with it.
const SOFTWARE: &str = include_str!("../dictionaries/software.txt");

/// The words that come with the bundled en_US besides its dictionary.
pub fn bundled_words() -> HashSet<String> {
    SOFTWARE
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The name of the bundled dictionary.
pub const BUNDLED: &str = "en_US";

/// One Hunspell dictionary: as written, and (when provably equivalent for
/// words without digits) a copy without compound rules.
pub struct Hunspell {
    aff: Cow<'static, str>,
    dic: Cow<'static, str>,
    /// The dictionary as its files say; built on first need when `lean`
    /// answers most words.
    full: OnceLock<Option<Dictionary>>,
    /// Without `COMPOUNDRULE`: right for every word without an ASCII digit;
    /// with the `.aff` text it was built from (its suggestion filter must
    /// expand exactly that).
    lean: Option<(Dictionary, String)>,
    /// The suggestion-candidate filters of `full` and `lean`, built on the
    /// first suggestion (`None` inside: the affix file is beyond them).
    full_grams: OnceLock<Option<Grams>>,
    lean_grams: OnceLock<Option<Grams>>,
}

impl Hunspell {
    /// `lean`: the `.aff` without compound rules, when `lean_aff` proved it
    /// equivalent (`None`: use the dictionary as written).
    fn new(
        aff: Cow<'static, str>,
        dic: Cow<'static, str>,
        lean: Option<String>,
    ) -> Result<Hunspell, String> {
        let full = OnceLock::new();
        let lean = match lean {
            Some(lean_aff) => Some((
                Dictionary::new(&lean_aff, &dic).map_err(|e| e.to_string())?,
                lean_aff,
            )),
            None => {
                let _ = full.set(Some(
                    Dictionary::new(&aff, &dic).map_err(|e| e.to_string())?,
                ));
                None
            }
        };
        Ok(Hunspell {
            aff,
            dic,
            full,
            lean,
            full_grams: OnceLock::new(),
            lean_grams: OnceLock::new(),
        })
    }

    /// The dictionary that answers `word` (and every suggestion candidate
    /// made from it: the edit letters hold no digit, `lean_aff` checked), and
    /// whether it is the lean copy.
    fn for_word(&self, word: &str) -> (&Dictionary, bool) {
        let digit_free = !word.bytes().any(|b| b.is_ascii_digit());
        match &self.lean {
            Some((lean, _)) if digit_free => (lean, true),
            lean => {
                let full = self
                    .full
                    .get_or_init(|| Dictionary::new(&self.aff, &self.dic).ok());
                // The rules themselves unreadable: no compounds, as the
                // copy without them.
                match (full, lean) {
                    (Some(full), _) => (full, false),
                    (None, Some((lean, _))) => (lean, true),
                    (None, None) => unreachable!("built in Hunspell::new without a lean copy"),
                }
            }
        }
    }

    /// Is `word` spelled right (Hunspell's case rules)?
    pub fn check(&self, word: &str) -> bool {
        self.for_word(word).0.check(word)
    }

    /// Edit-based suggestions for `word`, as spellbook orders them.
    fn suggest(&self, word: &str, out: &mut Vec<String>) {
        let (dictionary, lean) = self.for_word(word);
        let grams = if let Some((_, lean_aff)) = self.lean.as_ref().filter(|_| lean) {
            self.lean_grams
                .get_or_init(|| Grams::build(lean_aff, &self.dic))
        } else {
            self.full_grams
                .get_or_init(|| Grams::build(&self.aff, &self.dic))
        };
        // Edit-based suggestions only: the n-gram pass scans the whole
        // dictionary for each word (tens of milliseconds), too slow for a
        // page of unknown command names.
        let suggester = dictionary.suggester().with_ngram_suggestions(false);
        match grams {
            Some(grams) => {
                let filter = grams.filter_for(word);
                suggester.with_candidate_filter(&filter).suggest(word, out);
            }
            None => suggester.suggest(word, out),
        }
    }
}

/// The `.aff` text without its `COMPOUNDRULE` lines, when that changes no
/// answer for a word without an ASCII digit: flags are single characters
/// (no `FLAG long`/`num`, no `AF` aliases), no other compounding
/// (`COMPOUNDFLAG`, `COMPOUNDBEGIN`…), no digit among the letters the
/// suggester tries (`TRY`, `KEY`, `REP`, `MAP`) or made by `ICONV`, and every
/// `.dic` root carrying a flag a rule names holds a digit — so every
/// compound, made only of such roots, holds one too.
fn lean_aff(aff: &str, dic: &str) -> Option<String> {
    // A handful of flags: a list beats hashing each flag of 50,000 entries.
    let mut rule_flags: Vec<char> = Vec::new();
    let mut has_rules = false;
    for line in aff.lines() {
        let mut fields = line.split_whitespace();
        let Some(key) = fields.next() else { continue };
        let values: Vec<&str> = fields.collect();
        match key {
            "FLAG" if values.first().is_some_and(|v| *v != "UTF-8") => return None,
            "AF" | "COMPOUNDFLAG" | "COMPOUNDBEGIN" | "COMPOUNDMIDDLE" | "COMPOUNDLAST"
            | "COMPOUNDEND" => return None,
            "TRY" | "KEY" | "REP" | "MAP" | "ICONV" => {
                // A count line (`REP 90`) is not a table row.
                let row = values.len() != 1 || values[0].parse::<usize>().is_err();
                if row && values.iter().any(|v| v.bytes().any(|b| b.is_ascii_digit())) {
                    return None;
                }
            }
            "COMPOUNDRULE" => {
                if let [rule] = values[..] {
                    if rule.parse::<usize>().is_err() {
                        has_rules = true;
                        rule_flags.extend(rule.chars().filter(|c| !"*?()".contains(*c)));
                        rule_flags.sort_unstable();
                        rule_flags.dedup();
                    }
                }
            }
            _ => {}
        }
    }
    if !has_rules {
        return None;
    }
    if !rule_roots_hold_digits(dic, &rule_flags) {
        return None;
    }
    Some(without_compound_rules(aff))
}

fn without_compound_rules(aff: &str) -> String {
    aff.lines()
        .filter(|l| l.split_whitespace().next() != Some("COMPOUNDRULE"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Does every `.dic` root carrying one of `rule_flags` hold an ASCII digit?
/// (`word/flags`, `\/` a slash of the word, anything after white space is
/// morphology.) Bytes, one pass: this runs on every start.
fn rule_roots_hold_digits(dic: &str, rule_flags: &[char]) -> bool {
    let mut ascii = [false; 128];
    for f in rule_flags {
        match usize::try_from(u32::from(*f)).ok().filter(|&i| i < 128) {
            Some(i) => ascii[i] = true,
            None => return false, // Non-ASCII flags: not worth proving.
        }
    }
    for line in dic.as_bytes().split(|&b| b == b'\n').skip(1) {
        let mut digit = false;
        let mut at = 0;
        while at < line.len() {
            let b = line[at];
            if b == b'/' && at > 0 && line[at - 1] != b'\\' {
                break;
            }
            if b == b'\t' || b == b' ' {
                at = line.len();
                break;
            }
            digit |= b.is_ascii_digit();
            at += 1;
        }
        let flags = line.get(at + 1..).unwrap_or_default();
        let flagged = flags
            .iter()
            .take_while(|b| !b" \t\r".contains(b))
            .any(|&b| b < 128 && ascii[usize::from(b)]);
        if flagged && !digit {
            return false;
        }
    }
    true
}

/// The bundled en_US dictionary, parsed on first use.
pub fn en_us() -> Arc<Hunspell> {
    static EN_US: OnceLock<Arc<Hunspell>> = OnceLock::new();
    EN_US
        .get_or_init(|| {
            Arc::new(
                Hunspell::new(
                    Cow::Borrowed(EN_US_AFF),
                    Cow::Borrowed(EN_US_DIC),
                    // Proved once by a unit test (`lean_aff` on the bundled
                    // files) rather than on every start: the scan of 49,000
                    // entries would add a sixth to the load time.
                    Some(without_compound_rules(EN_US_AFF)),
                )
                .expect("bundled en_US parses"),
            )
        })
        .clone()
}

/// A dictionary from the texts of its `.aff` and `.dic` files; parsed ones
/// are kept for the process, keyed by their texts, so several rules naming
/// the same files share one.
pub fn parse(aff: &str, dic: &str) -> Result<Arc<Hunspell>, String> {
    static PARSED: OnceLock<Mutex<HashMap<u128, Arc<Hunspell>>>> = OnceLock::new();
    let key = {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(aff.as_bytes());
        h.update(b"\0");
        h.update(dic.as_bytes());
        h.digest128()
    };
    let cache = PARSED.get_or_init(Default::default);
    if let Some(d) = cache
        .lock()
        .map_err(|_| "dictionary cache poisoned")?
        .get(&key)
    {
        return Ok(d.clone());
    }
    let dict = Arc::new(Hunspell::new(
        Cow::Owned(aff.to_string()),
        Cow::Owned(dic.to_string()),
        lean_aff(aff, dic),
    )?);
    cache
        .lock()
        .map_err(|_| "dictionary cache poisoned")?
        .insert(key, dict.clone());
    Ok(dict)
}

/// Dictionaries plus extra words: a word is right when any dictionary or the
/// word list knows it. Suggestions are computed once per word and remembered.
pub struct Speller {
    pub dictionaries: Vec<Arc<Hunspell>>,
    /// Extra words (Vale's `ignore` files), exact or lower-cased.
    pub words: HashSet<String>,
    suggestions: Mutex<HashMap<String, Vec<String>>>,
}

impl std::fmt::Debug for Speller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut words: Vec<&String> = self.words.iter().collect();
        words.sort();
        f.debug_struct("Speller")
            .field("dictionaries", &self.dictionaries.len())
            .field("words", &words)
            .finish()
    }
}

impl Speller {
    pub fn new(dictionaries: Vec<Arc<Hunspell>>, words: HashSet<String>) -> Speller {
        Speller {
            dictionaries,
            words,
            suggestions: Mutex::new(HashMap::new()),
        }
    }

    /// Is `word` spelled right in any dictionary (Hunspell's case rules:
    /// `Paris` needs its capital, any word may be capitalised or all caps)?
    pub fn check(&self, word: &str) -> bool {
        self.words.contains(word)
            || self.words.contains(&word.to_lowercase())
            || self.dictionaries.iter().any(|d| d.check(word))
    }

    /// Up to `n` suggestions for `word`, best first, without duplicates.
    pub fn suggest(&self, word: &str, n: usize) -> Vec<String> {
        if let Ok(cache) = self.suggestions.lock() {
            if let Some(s) = cache.get(word) {
                return s.clone();
            }
        }
        let mut out: Vec<String> = Vec::new();
        let mut buf = Vec::new();
        for d in &self.dictionaries {
            d.suggest(word, &mut buf);
            for s in buf.drain(..) {
                if out.len() < n && !out.contains(&s) {
                    out.push(s);
                }
            }
        }
        if let Ok(mut cache) = self.suggestions.lock() {
            cache.insert(word.to_string(), out.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_en_us_checks_and_suggests() {
        let s = Speller::new(vec![en_us()], HashSet::new());
        assert!(s.check("receive"));
        assert!(s.check("Receive"));
        assert!(s.check("Paris"));
        assert!(!s.check("recieve"));
        assert_eq!(
            s.suggest("recieve", 3).first().map(String::as_str),
            Some("receive")
        );
        let with = Speller::new(vec![en_us()], bundled_words());
        assert!(!s.check("backtick") && with.check("backtick") && with.check("Backtick"));
        assert!(with.check("Kubernetes") && !with.check("kubernetes"));
    }

    #[test]
    fn en_us_without_compound_rules_answers_as_written() {
        let en = en_us();
        // The proof `en_us` relies on without scanning at every start.
        assert_eq!(
            lean_aff(EN_US_AFF, EN_US_DIC),
            Some(without_compound_rules(EN_US_AFF))
        );
        assert!(en.lean.is_some());
        let full = Dictionary::new(EN_US_AFF, EN_US_DIC).unwrap();
        // Ordinals are compounds: they go to the dictionary as written.
        assert!(en.check("21st") && en.check("112th") && !en.check("21th"));
        let words = [
            "recieve",
            "Recieve",
            "RECIEVE",
            "teh",
            "adveenture",
            "tldr",
            "grep",
            "Refutability",
            "well-knwon",
            "dont",
            "its",
            "colour",
            "Kubernetes",
            "Hello",
            "zzzz",
            "a",
            "",
            "naïve",
            "cafe",
            "isnt",
            "alot",
            "thier",
            "speling",
            "Parris",
            "NASA",
            "nasa",
        ];
        let mut a = Vec::new();
        let mut b = Vec::new();
        // And misspellings made from every 500th root: a letter dropped,
        // two letters swapped.
        let mut made: Vec<String> = Vec::new();
        for line in EN_US_DIC.lines().skip(1).step_by(500) {
            let root: Vec<char> = line.split('/').next().unwrap_or("").chars().collect();
            if root.len() > 3 && !root.iter().any(char::is_ascii_digit) {
                let mut dropped = root.clone();
                dropped.remove(root.len() / 2);
                let mut swapped = root.clone();
                swapped.swap(1, 2);
                made.push(dropped.into_iter().collect());
                made.push(swapped.into_iter().collect());
            }
        }
        for w in words.iter().copied().chain(made.iter().map(String::as_str)) {
            assert_eq!(en.check(w), full.check(w), "{w}");
            en.suggest(w, &mut a);
            full.suggester()
                .with_ngram_suggestions(false)
                .suggest(w, &mut b);
            assert_eq!(a, b, "{w}");
        }
    }

    #[test]
    fn lean_copy_only_when_provably_the_same() {
        let rules = "SET UTF-8\nCOMPOUNDMIN 1\nCOMPOUNDRULE 1\nCOMPOUNDRULE n*t\n";
        assert!(lean_aff(rules, "2\n1/n\n1st/t\n").is_some());
        // A root with a rule's flag and no digit: a digit-free compound.
        assert!(lean_aff(rules, "2\n1/n\nfoo/t\n").is_none());
        // Other compounding, long flags, a digit the suggester might try.
        assert!(lean_aff(&format!("{rules}COMPOUNDFLAG X\n"), "1\n1/n\n").is_none());
        assert!(lean_aff(&format!("FLAG long\n{rules}"), "1\n1/n\n").is_none());
        assert!(lean_aff(&format!("{rules}TRY abc1\n"), "1\n1/n\n").is_none());
        assert!(lean_aff(&format!("{rules}REP 1\nREP a 1\n"), "1\n1/n\n").is_none());
        assert!(lean_aff(&format!("{rules}REP 1\nREP a b\n"), "1\n1/n\n").is_some());
        // No rules: nothing to gain.
        assert!(lean_aff("SET UTF-8\n", "1\nfoo\n").is_none());
        // An escaped slash is part of the word; morphology is not a flag.
        let rules = "COMPOUNDRULE 1\nCOMPOUNDRULE n\n";
        assert!(lean_aff(rules, "1\na\\/n/x\n").is_some());
        assert!(lean_aff(rules, "1\nab/x po:n\n").is_some());
        assert!(lean_aff(rules, "1\nab/xn po:x\n").is_none());
    }

    #[test]
    fn parsed_dictionaries_are_shared() {
        let aff = "SET UTF-8\n";
        let dic = "1\nflooberg\n";
        let a = parse(aff, dic).unwrap();
        let b = parse(aff, dic).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.check("flooberg"));
    }
}
