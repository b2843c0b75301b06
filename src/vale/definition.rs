//! A Vale rule file (`Style/Rule.yml`) read into a key → value map, with the
//! keys Vale knows per kind. Keys imprimatur cannot honour, and unknown keys,
//! become load warnings naming the rule; nothing is dropped silently.

use serde_yaml::{Mapping, Value};

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
    "spelling",
    "metric",
];

/// Vale kinds that need a dictionary, an NLP model or a script engine.
pub const UNSUPPORTED: &[&str] = &["sequence", "script", "readability"];

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

    pub fn bool(&self, key: &str, default: bool) -> bool {
        match self.get(key) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => matches!(s.as_str(), "true" | "yes" | "True" | "YES"),
            Some(Value::Number(n)) => n.as_i64().is_some_and(|n| n != 0),
            _ => default,
        }
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.get(key) {
            Some(Value::Number(n)) => n
                .as_i64()
                .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.get(key) {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0.0),
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
    pub fn pairs(&self, key: &str) -> Result<Vec<(String, String)>, RuleError> {
        match self.get(key) {
            Some(Value::Mapping(m)) => m
                .iter()
                .map(|(k, v)| {
                    match (
                        scalar(k),
                        scalar(v).or_else(|| v.is_null().then(String::new)),
                    ) {
                        (Some(k), Some(v)) => Ok((k, v)),
                        _ => Err(RuleError::at(
                            key,
                            format!("`{key}` maps strings to strings"),
                        )),
                    }
                })
                .collect(),
            Some(Value::Null) | None => Ok(Vec::new()),
            Some(_) => Err(RuleError::at(key, format!("`{key}` must be a mapping"))),
        }
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
            if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
                return Some(offset);
            }
            offset += line.len();
        }
        None
    }
}

/// A YAML scalar as text (numbers and booleans as written).
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
