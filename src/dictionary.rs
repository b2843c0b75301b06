//! Hunspell dictionaries for the `spelling` kinds: the bundled `en_US`
//! (Debian's `hunspell-en-us`, SCOWL; see `dictionaries/en_US/COPYRIGHT`),
//! built once per process and shared by every rule and thread, and further
//! `.dic`/`.aff` pairs read by path. Checking and suggesting is `spellbook`'s.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use spellbook::Dictionary;

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

/// The bundled en_US dictionary, parsed on first use.
pub fn en_us() -> Arc<Dictionary> {
    static EN_US: OnceLock<Arc<Dictionary>> = OnceLock::new();
    EN_US
        .get_or_init(|| {
            Arc::new(Dictionary::new(EN_US_AFF, EN_US_DIC).expect("bundled en_US parses"))
        })
        .clone()
}

/// A dictionary from the texts of its `.aff` and `.dic` files; parsed ones
/// are kept for the process, keyed by their texts, so several rules naming
/// the same files share one.
pub fn parse(aff: &str, dic: &str) -> Result<Arc<Dictionary>, String> {
    static PARSED: OnceLock<Mutex<HashMap<u128, Arc<Dictionary>>>> = OnceLock::new();
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
    let dict = Arc::new(Dictionary::new(aff, dic).map_err(|e| e.to_string())?);
    cache
        .lock()
        .map_err(|_| "dictionary cache poisoned")?
        .insert(key, dict.clone());
    Ok(dict)
}

/// Dictionaries plus extra words: a word is right when any dictionary or the
/// word list knows it. Suggestions are computed once per word and remembered.
pub struct Speller {
    pub dictionaries: Vec<Arc<Dictionary>>,
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
    pub fn new(dictionaries: Vec<Arc<Dictionary>>, words: HashSet<String>) -> Speller {
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
            buf.clear();
            // Edit-based suggestions only: the n-gram pass scans the whole
            // dictionary for each word (tens of milliseconds), too slow for a
            // page of unknown command names.
            d.suggester()
                .with_ngram_suggestions(false)
                .suggest(word, &mut buf);
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
    fn parsed_dictionaries_are_shared() {
        let aff = "SET UTF-8\n";
        let dic = "1\nflooberg\n";
        let a = parse(aff, dic).unwrap();
        let b = parse(aff, dic).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.check("flooberg"));
    }
}
