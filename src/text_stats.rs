//! Counting prose the way Vale does, so readability formulas give Vale's
//! numbers and spelling sees Vale's words.
//!
//! - [`Stats`]: words, sentences, syllables, complex and polysyllabic words,
//!   characters, long words and paragraphs of a text, as Vale's `metric`
//!   rules count them (Vale uses the `summarize` package of `jdkato/twine`:
//!   words are runs of letters, digits and `'`, or dotted acronyms; syllables
//!   come from its suffix/prefix and vowel-group rules, ported here exactly).
//! - [`words`]: Vale's word tokenizer (`nlp.IterTokenizer`), which the
//!   `spelling` kind reads: text split at white space, then leading `$ ( " [ '`
//!   and trailing `, ) " ] ! ; . ? : '` peeled off one at a time; tokens with
//!   no letter are dropped; `e.g.`-style abbreviations stay whole.
//!
//! One deviation: Vale splits sentences with a trained Punkt model. Here a
//! sentence ends at `.`, `?` or `!` (closing quotes and brackets may follow)
//! before white space, unless the word is a common abbreviation or an
//! initial; counts agree with Vale on ordinary prose.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What a readability formula can read about a text (Vale's variable names).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    pub words: f64,
    pub sentences: f64,
    pub syllables: f64,
    /// Words of three or more syllables, not counting `-es`, `-ed`, `-ing`.
    pub complex_words: f64,
    /// Words of three or more syllables.
    pub polysyllabic_words: f64,
    /// Letters and digits of the words.
    pub characters: f64,
    /// Words longer than six bytes.
    pub long_words: f64,
    /// Blocks separated by blank lines.
    pub paragraphs: f64,
}

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[A-Z]\.){2,}|[\p{N}\p{L}']+").expect("valid word regex"));

impl Stats {
    /// Counts `text`, whose paragraphs are separated by blank lines (`\n\n`).
    pub fn of(text: &str) -> Stats {
        let mut s = Stats::default();
        for paragraph in text.split("\n\n") {
            s.sentences += sentences(paragraph).len() as f64;
            for m in WORD.find_iter(paragraph) {
                s.add_word(m.as_str());
            }
            s.paragraphs += 1.0;
        }
        // Vale counts one paragraph too many: its summary ends in a blank line.
        s.paragraphs -= 1.0;
        s
    }

    /// Adds the counts of another text (readability of several pages together).
    pub fn add(&mut self, other: &Stats) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
        self.complex_words += other.complex_words;
        self.polysyllabic_words += other.polysyllabic_words;
        self.characters += other.characters;
        self.long_words += other.long_words;
        self.paragraphs += other.paragraphs;
    }

    fn add_word(&mut self, word: &str) {
        self.characters += word.chars().filter(|c| c.is_alphanumeric()).count() as f64;
        if word.len() > 6 {
            self.long_words += 1.0;
        }
        let n = syllables(word);
        self.syllables += n as f64;
        if n > 2 {
            self.polysyllabic_words += 1.0;
        }
        let less = usize::from(["es", "ed", "ing"].iter().any(|s| word.ends_with(s)));
        if n.saturating_sub(less) > 2 {
            self.complex_words += 1.0;
        }
        self.words += 1.0;
    }

    /// The value of a formula variable, by Vale's name.
    pub fn get(&self, name: &str) -> Option<f64> {
        Some(match name {
            "words" => self.words,
            "sentences" => self.sentences,
            "syllables" => self.syllables,
            "complex_words" => self.complex_words,
            "polysyllabic_words" => self.polysyllabic_words,
            "characters" => self.characters,
            "long_words" => self.long_words,
            "paragraphs" => self.paragraphs,
            _ => return None,
        })
    }
}

/// The variables a formula may use.
pub const VARIABLES: &[&str] = &[
    "words",
    "sentences",
    "syllables",
    "complex_words",
    "polysyllabic_words",
    "characters",
    "long_words",
    "paragraphs",
];

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "inc", "ltd",
    "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "fig", "no", "mt", "gov", "sgt", "u.s", "a.m", "p.m", "approx", "dept", "est", "vol",
    "cf", "al", "ca", "ed", "eds", "gen", "lt", "col", "capt", "rev", "messrs",
];

/// Sentence ranges of one paragraph.
pub fn sentences(paragraph: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut tokens = paragraph
        .split_whitespace()
        .map(|t| {
            let at = t.as_ptr() as usize - paragraph.as_ptr() as usize;
            (at, t)
        })
        .peekable();
    while let Some((at, token)) = tokens.next() {
        start.get_or_insert(at);
        let next = tokens.peek().map(|(_, t)| *t);
        if next.is_some_and(|next| ends_sentence(token, next)) {
            out.push(start.take().unwrap_or(at)..at + token.len());
        }
    }
    if let Some(s) = start {
        out.push(s..paragraph.trim_end().len());
    }
    out
}

/// Does `token` end a sentence, given the `next` one? Punkt's rules in
/// short: closing punctuation before a lower-case word (`(… engineer.) at`)
/// and dotted acronyms before one (`U.S. is`) stay inside the sentence.
fn ends_sentence(token: &str, next: &str) -> bool {
    let core = token.trim_end_matches(['"', '\'', ')', ']', '’', '”']);
    let next_lower = next
        .trim_start_matches(['"', '\'', '(', '[', '‘', '“'])
        .starts_with(char::is_lowercase);
    if core.len() < token.len() && next_lower {
        return false;
    }
    if core.ends_with(['?', '!']) {
        return true;
    }
    let Some(word) = core.strip_suffix('.') else {
        return false;
    };
    if word.ends_with('.') {
        return true; // an ellipsis
    }
    let bare = word
        .trim_start_matches(['"', '\'', '(', '[', '‘', '“'])
        .to_lowercase();
    let initial = bare.chars().count() == 1 && bare.chars().all(char::is_alphabetic);
    let acronym = bare.contains('.') && next_lower;
    !(initial || acronym || ABBREVIATIONS.contains(&bare.as_str()))
}

/// How many words each thread remembers the syllables of.
const SYLLABLE_MEMORY: usize = 50_000;

/// The number of syllables of one word (twine's `Syllables`), remembered
/// per thread: prose repeats its words, and counting runs a dozen regexes.
pub fn syllables(word: &str) -> usize {
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<String, usize>> =
            Default::default();
    }
    KNOWN.with(|known| {
        if let Some(n) = known.borrow().get(word) {
            return *n;
        }
        let n = count_syllables(word);
        let mut known = known.borrow_mut();
        if known.len() < SYLLABLE_MEMORY {
            known.insert(word.to_string(), n);
        }
        n
    })
}

fn count_syllables(word: &str) -> usize {
    let length = word.chars().count();
    if length < 1 {
        return 0;
    } else if length < 3 {
        return 1;
    }
    let word = word.to_lowercase();
    if let Some(n) = corner_case(&word) {
        return n;
    }
    let (text, mut count) = clean(&word);
    let count_of = |re: &Regex| re.find_iter(&text).count() as isize;
    let mut total = count as isize;
    total += count_of(&SYL.vowels);
    total -= count_of(&SYL.mono_one);
    total -= count_of(&SYL.mono_two);
    for re in &SYL.double {
        total += count_of(re);
    }
    count = total.max(1) as usize;
    count
}

fn corner_case(word: &str) -> Option<usize> {
    const CASES: &[(&str, usize)] = &[
        ("abalone", 4),
        ("abare", 3),
        ("abed", 2),
        ("abruzzese", 4),
        ("abbruzzese", 4),
        ("aborigine", 5),
        ("aborigines", 5),
        ("acreage", 3),
        ("adame", 3),
        ("adieu", 2),
        ("adobe", 3),
        ("anemone", 4),
        ("apache", 3),
        ("aphrodite", 4),
        ("apostrophe", 4),
        ("ariadne", 4),
        ("cafe", 2),
        ("cafes", 2),
        ("calliope", 4),
        ("catastrophe", 4),
        ("chile", 2),
        ("chloe", 2),
        ("circe", 2),
        ("coyote", 3),
        ("epitome", 4),
        ("facsimile", 4),
        ("forever", 3),
        ("gethsemane", 4),
        ("guacamole", 4),
        ("hyperbole", 4),
        ("jesse", 2),
        ("jukebox", 2),
        ("karate", 3),
        ("machete", 3),
        ("maybe", 2),
        ("people", 2),
        ("recipe", 3),
        ("sesame", 3),
        ("shoreline", 2),
        ("simile", 3),
        ("syncope", 3),
        ("tamale", 3),
        ("yosemite", 4),
        ("daphne", 2),
        ("eurydice", 4),
        ("euterpe", 3),
        ("hermione", 4),
        ("penelope", 4),
        ("persephone", 4),
        ("phoebe", 2),
        ("zoe", 2),
    ];
    CASES.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
}

const PREFIXES: &[&[&str]] = &[
    &[
        "above", "anti", "ante", "counter", "hyper", "afore", "agri", "infra", "intra", "inter",
        "over", "semi", "ultra", "under", "extra", "dia", "micro", "mega", "kilo", "pico", "nano",
        "macro",
    ],
    &[
        "un", "fore", "ware", "none", "non", "out", "post", "sub", "pre", "pro", "dis", "side",
    ],
];

const SUFFIXES: &[&[&str]] = &[
    &["ology", "ologist", "onomy", "onomist"],
    &["fully", "berry", "woman", "women"],
    &[
        "ly", "less", "some", "ful", "er", "ers", "ness", "cian", "cians", "ment", "ments", "ette",
        "ettes", "ville", "villes", "ships", "ship", "side", "sides", "port", "ports", "shire",
        "shires", "tion", "tioned",
    ],
];

/// Strips the first known prefix and suffix group, counting syllables for them.
fn clean(word: &str) -> (String, usize) {
    let mut w = word.to_string();
    let mut count = 0;
    for (i, group) in PREFIXES.iter().enumerate() {
        if let Some(rest) = group.iter().find_map(|p| w.strip_prefix(p)) {
            w = rest.to_string();
            count += PREFIXES.len() - i;
            break;
        }
    }
    for (i, group) in SUFFIXES.iter().enumerate() {
        if let Some(rest) = group.iter().find_map(|s| w.strip_suffix(s)) {
            w = rest.to_string();
            count += SUFFIXES.len() - i;
            break;
        }
    }
    (w, count)
}

struct SyllableRules {
    vowels: Regex,
    mono_one: Regex,
    mono_two: Regex,
    double: [Regex; 4],
}

static SYL: LazyLock<SyllableRules> = LazyLock::new(|| {
    let re = |p: &str| Regex::new(p).expect("valid syllable regex");
    SyllableRules {
        vowels: re("[aeiouy]+"),
        mono_one: re(concat!(
            "cia(l|$)|tia|cius|cious|[^aeiou]giu|[aeiouy][^aeiouy]ion|iou|sia$|eous$|[oa]gue$|",
            ".[^aeiuoycgltdb]{2,}ed$|.ely$|^jua|uai|eau|^busi$|",
            "([aeiouy](b|c|ch|dg|f|g|gh|gn|k|l|lch|ll|lv|m|mm|n|nc|ng|nch|nn|p|r|rc|rn|rs|rv|s|sc|sk|sl|squ|ss|th|v|y|z)ed$)|",
            "([aeiouy](b|ch|d|f|gh|gn|k|l|lch|ll|lv|m|mm|n|nch|nn|p|r|rn|rs|rv|s|sc|sk|sl|squ|ss|st|t|th|v|y)es$)"
        )),
        mono_two: re(
            "[aeiouy](b|c|ch|d|dg|f|g|gh|gn|k|l|ll|lv|m|mm|n|nc|ng|nn|p|r|rc|rn|rs|rv|s|sc|sk|sl|squ|ss|st|t|th|v|y|z)e$",
        ),
        double: [
            re(r"(?:[^aeiouy]ie(r|st|t)|[aeiouym]bl|eo|ism|asm|thm|dnt|uity|dea|gean|oa|ua|eings?|[aeiouy]sh?e[rsd])$"),
            re("[^gq]ua[^auieo]|[aeiou]{3}|^(ia|mc|coa[dglx].)"),
            re("[^aeiou]y[ae]|[^l]lien|riet|dien|iu|io|ii|uen|real|iell|eo[^aeiou]|[aeiou]y[aeiou]"),
            re("[^s]ia"),
        ],
    }
});

/// One word of Vale's tokenizer: where it is in the text, and its text with
/// curly quotes made straight (as Vale compares it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub range: Range<usize>,
    pub text: String,
}

static SPECIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Za-z]\.){2,}$|^[A-Z][a-z]{1,2}\.$").expect("valid abbreviation regex")
});

/// Vale's word tokens of `text` (`nlp.WordTokenizer`), with their ranges.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for (at, token) in text
        .split(char::is_whitespace)
        .scan(0usize, |pos, t| {
            let at = *pos;
            *pos += t.len()
                + text[at + t.len()..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            Some((at, t))
        })
        .filter(|(_, t)| !t.is_empty())
    {
        let mut range = at..at + token.len();
        loop {
            let t = &text[range.clone()];
            if t.is_empty() {
                break;
            }
            // Both abbreviation forms end in a dot: most tokens skip the regex.
            if t.ends_with('.') && SPECIAL.is_match(&straight(t)) {
                push_word(text, range, &mut out);
                break;
            }
            let first = t.chars().next().unwrap_or(' ');
            let last = t.chars().next_back().unwrap_or(' ');
            let many = t.chars().nth(1).is_some();
            if many && "$(\"['‘“".contains(first) {
                range.start += first.len_utf8();
            } else if many && ",)\"]!;.?:'’”".contains(last) {
                range.end -= last.len_utf8();
            } else {
                push_word(text, range, &mut out);
                break;
            }
        }
    }
    out
}

fn push_word(text: &str, range: Range<usize>, out: &mut Vec<Word>) {
    let t = &text[range.clone()];
    if t.chars().any(char::is_alphabetic) {
        out.push(Word {
            text: straight(t).into_owned(),
            range,
        });
    }
}

/// Curly quotes as straight ones (Vale's sanitizer); the text itself when
/// it has none, which is nearly always.
pub fn straight(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['“', '”', '‘', '’']) {
        s.replace(['“', '”'], "\"").replace(['‘', '’'], "'").into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_twine() {
        for (word, n) in [
            ("the", 1),
            ("readability", 5),
            ("people", 2),
            ("beautiful", 3),
            ("created", 2),
            ("queue", 2),
            ("simile", 3),
            ("a", 1),
            ("hyperactive", 4),
        ] {
            assert_eq!(syllables(word), n, "{word}");
        }
    }

    #[test]
    fn counts_words_sentences_and_paragraphs_as_vale() {
        let s = Stats::of("The cat sat. It was happy!\n\nDr. Smith arrived late.\n\n");
        assert_eq!(s.words, 10.0);
        assert_eq!(s.sentences, 3.0);
        assert_eq!(s.paragraphs, 2.0);
        assert_eq!(s.long_words, 1.0);
        assert_eq!(s.characters, 37.0);
    }

    #[test]
    fn dotted_acronyms_are_one_word() {
        let s = Stats::of("The U.S.A. is large.");
        assert_eq!(s.words, 4.0);
        assert_eq!(s.sentences, 1.0);
    }

    #[test]
    fn tokenizer_peels_punctuation_like_vale() {
        let w: Vec<String> = words("(Hello), \"world\"! don’t e.g. 42 $5")
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(w, ["Hello", "world", "don't", "e.g."]);
        let text = "a  (teh) b";
        let at = &words(text)[1];
        assert_eq!(&text[at.range.clone()], "teh");
    }
}
