//! A Vale rule file (`Style/Rule.yml`) read into a key → value map, with the
//! keys Vale knows per kind. Keys imprimatur cannot honour, and unknown keys,
//! become load warnings naming the rule; nothing is dropped silently.

use yaml_serde::{Mapping, Value};

use super::regex::ValeRegex;

/// The kinds (`extends:`) imprimatur runs.
pub const SUPPORTED: &[&str] = &[
    "existence",
    "substitution",
    "occurrence",
    "repetition",
    "conditional",
    "capitalization",
    "consistency",
    "script",
    "spelling",
    "metric",
];

/// Vale kinds that need an NLP model.
pub const UNSUPPORTED: &[&str] = &["sequence", "readability"];

/// Keys every kind accepts.
const COMMON: &[&str] = &[
    "extends",
    "message",
    "description",
    "level",
    "scope",
    "link",
    "limit",
    "action",
    "name",
    "selector",
    "matchcase",
    "tests",
];

/// Keys of each kind (Vale's field names, lower case).
fn kind_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "existence" => &[
            "tokens",
            "raw",
            "exceptions",
            "append",
            "ignorecase",
            "nonword",
            "vocab",
        ],
        "substitution" => &[
            "swap",
            "exceptions",
            "ignorecase",
            "nonword",
            "vocab",
            "capitalize",
            "pos",
        ],
        "occurrence" => &["token", "max", "min", "ignorecase"],
        "repetition" => &[
            "tokens",
            "max",
            "ignorecase",
            "alpha",
            "vocab",
            "exceptions",
        ],
        "conditional" => &["first", "second", "exceptions", "ignorecase", "vocab"],
        "capitalization" => &[
            "match",
            "style",
            "exceptions",
            "indicators",
            "threshold",
            "vocab",
            "prefix",
        ],
        "consistency" => &["either", "ignorecase", "nonword", "vocab", "exceptions"],
        "script" => &["script"],
        "spelling" => &[
            "dictionaries",
            "dicpath",
            "aff",
            "dic",
            "custom",
            "append",
            "filters",
            "ignore",
            "threshold",
        ],
        "metric" => &["formula", "condition"],
        _ => &[],
    }
}

/// A parsed rule file: its map and where errors point.
#[derive(Debug, Clone)]
pub struct Definition {
    /// `Style.Rule`.
    pub id: String,
    pub map: Mapping,
    /// File the rule came from (for messages) and its text (for located errors).
    pub file: String,
    pub text: String,
    /// For `extends: script` with `script: NAME.tengo`: the file Vale would
    /// read, or why it cannot be read.
    pub script_file: Option<Result<super::script::rule::ScriptFile, String>>,
}

/// A problem in a rule file, located at a key when one is known.
#[derive(Debug, Clone)]
pub struct RuleError {
    pub message: String,
    pub key: Option<String>,
}

impl RuleError {
    pub fn at(key: &str, message: impl Into<String>) -> RuleError {
        RuleError {
            message: message.into(),
            key: Some(key.to_string()),
        }
    }
}

impl Definition {
    /// A definition whose keys are matched as Vale's decoder (mapstructure)
    /// matches struct fields: case-insensitively (`IgnoreCase:` is
    /// `ignorecase:`). The first spelling of a key wins.
    pub fn new(id: String, map: Mapping, file: String, text: String) -> Definition {
        let mut lowered = Mapping::new();
        for (k, v) in map {
            let k = match k {
                Value::String(s) => Value::String(s.to_lowercase()),
                other => other,
            };
            if !lowered.contains_key(&k) {
                lowered.insert(k, v);
            }
        }
        Definition {
            id,
            map: lowered,
            file,
            text,
            script_file: None,
        }
    }

    pub fn kind(&self) -> &str {
        self.map
            .get("extends")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar)
    }

    /// A boolean, weakly typed as Vale's decoder reads it: a number is true
    /// when not zero, a string as Go's `strconv.ParseBool` reads it.
    pub fn bool(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => match s.as_str() {
                "1" | "t" | "T" | "TRUE" | "true" | "True" => true,
                "0" | "f" | "F" | "FALSE" | "false" | "False" | "" => false,
                _ => default,
            },
            Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n != 0.0),
            _ => default,
        }
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.get(key) {
            Some(Value::Number(n)) => n
                .as_i64()
                .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            Some(Value::Bool(b)) => i64::from(*b),
            _ => 0,
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.get(key) {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
            Some(Value::Bool(b)) => f64::from(u8::from(*b)),
            _ => 0.0,
        }
    }

    /// A string or a list of strings (Vale accepts both for list keys).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.get(key) {
            Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// A mapping of strings to strings, in file order (`swap`, `either`).
    /// As Vale's decoder: a list of mappings is merged into one (a later
    /// key replaces an earlier one in place), and an empty list is an empty
    /// mapping.
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, String)>, RuleError> {
        let mut out: Vec<(String, String)> = Vec::new();
        let shape = || {
            RuleError::at(
                key,
                format!("`{key}` must be a mapping (or a list of mappings)"),
            )
        };
        let maps: Vec<&Mapping> = match self.get(key) {
            Some(Value::Mapping(m)) => vec![m],
            Some(Value::Sequence(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| v.as_mapping().ok_or_else(shape))
                .collect::<Result<_, _>>()?,
            Some(Value::Null) | None => Vec::new(),
            Some(_) => return Err(shape()),
        };
        for m in maps {
            for (k, v) in m {
                let pair = match (
                    scalar(k),
                    scalar(v).or_else(|| v.is_null().then(String::new)),
                ) {
                    (Some(k), Some(v)) => (k, v),
                    _ => {
                        return Err(RuleError::at(
                            key,
                            format!("`{key}` maps strings to strings"),
                        ))
                    }
                };
                match out.iter_mut().find(|(k, _)| *k == pair.0) {
                    Some(existing) => existing.1 = pair.1,
                    None => out.push(pair),
                }
            }
        }
        Ok(out)
    }

    /// Compiles a pattern from key `key`, with the error located there.
    pub fn regex(&self, key: &str, pattern: &str) -> Result<ValeRegex, RuleError> {
        ValeRegex::new(pattern)
            .map_err(|e| RuleError::at(key, format!("invalid regex in `{key}`: {e}")))
    }

    /// Keys this kind does not know, for the load warning.
    pub fn unknown_keys(&self) -> Vec<String> {
        let own = kind_keys(self.kind());
        self.map
            .keys()
            .filter_map(Value::as_str)
            .filter(|k| !COMMON.contains(k) && !own.contains(k))
            .map(String::from)
            .collect()
    }

    /// Byte offset of `key:` at the start of a line, for located errors.
    pub fn key_offset(&self, key: &str) -> Option<usize> {
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let head = line.get(..key.len()).unwrap_or("");
            if head.eq_ignore_ascii_case(key) && line[key.len()..].trim_start().starts_with(':') {
                return Some(offset);
            }
            offset += line.len();
        }
        None
    }
}

/// A YAML scalar as text, weakly typed as Vale's decoder does it: numbers
/// in base 10, booleans as `1` and `0`.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(text: &str) -> Definition {
        let map = match crate::yaml::value_from_str(text).unwrap() {
            Value::Mapping(m) => m,
            _ => panic!("not a mapping"),
        };
        Definition::new("S.R".into(), map, "S/R.yml".into(), text.into())
    }

    #[test]
    fn swap_as_a_list_of_single_key_maps_is_merged() {
        let d = def("extends: substitution\nswap:\n  - a: b\n  - c: d\n  - a: e\n");
        assert_eq!(
            d.pairs("swap").unwrap(),
            vec![("a".into(), "e".into()), ("c".into(), "d".into())]
        );
        assert!(def("swap: []\n").pairs("swap").unwrap().is_empty());
        let e = def("swap:\n  - a\n").pairs("swap").unwrap_err();
        assert!(e.message.contains("list of mappings"), "{}", e.message);
    }

    #[test]
    fn keys_are_case_insensitive_and_values_weakly_typed() {
        let d = def("Extends: existence\nIgnoreCase: 'true'\nTokens: word\nLimit: '3'\nnonword: 1\nvocab: F\n");
        assert_eq!(d.kind(), "existence");
        assert!(d.bool("ignorecase", false));
        assert!(d.bool("nonword", false));
        assert!(!d.bool("vocab", true));
        assert_eq!(d.list("tokens"), vec!["word"]);
        assert_eq!(d.int("limit"), 3);
        assert_eq!(d.key_offset("ignorecase"), Some(19));
        assert!(d.unknown_keys().is_empty(), "{:?}", d.unknown_keys());
        assert_eq!(def("tokens: [1, true]").list("tokens"), vec!["1", "1"]);
    }
}
