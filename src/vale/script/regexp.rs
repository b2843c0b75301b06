//! Regular expressions of the `text` module. Tengo compiles them with Go's
//! `regexp`; here they go through Vale's regex helper, so the dialect and
//! the backtracking budget are the same as in every other Vale rule.
//! Compiled patterns are cached per thread: scripts call `text.re_match`
//! with the same pattern once per line.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::builtins::{arity, arity_range};
use super::value::Value;
use crate::vale::regex::ValeRegex;

pub struct Regexp {
    pub pattern: String,
    pub re: ValeRegex,
}

const CACHE_LIMIT: usize = 512;

thread_local! {
    static CACHE: RefCell<HashMap<String, Rc<Regexp>>> = RefCell::new(HashMap::new());
}

/// The compiled `pattern`, or the compile error as Tengo's `text` returns
/// it: an error value, which a script may test with `is_error`.
pub fn compile(pattern: &str) -> Result<Rc<Regexp>, Value> {
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return Ok(hit);
    }
    let re = ValeRegex::new(pattern)
        .map_err(|e| Value::Error(Rc::new(Value::str(&format!("error parsing regexp: {e}")))))?;
    let compiled = Rc::new(Regexp {
        pattern: pattern.to_string(),
        re,
    });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(pattern.to_string(), compiled.clone());
    });
    Ok(compiled)
}

pub fn is_match(re: &Regexp, text: &str) -> Value {
    Value::Bool(re.re.is_match(text))
}

/// `re_find`: without a count the first match, with one (negative: all) up
/// to that many; each match an array of `{text, begin, end}` per group that
/// took part; `undefined` when nothing matches.
pub fn find(re: &Regexp, text: &str, count: Option<i64>) -> Value {
    let limit = match count {
        None => 1,
        Some(n) if n < 0 => usize::MAX,
        Some(n) => n as usize,
    };
    let all = re.re.captures_all(text);
    if all.is_empty() || limit == 0 {
        return Value::Undefined;
    }
    let matches: Vec<Value> = all
        .into_iter()
        .take(limit)
        .map(|groups| {
            Value::array(
                groups
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        Value::immutable_map(BTreeMap::from([
                            ("text".to_string(), Value::str(&text[r.clone()])),
                            ("begin".to_string(), Value::Int(r.start as i64)),
                            ("end".to_string(), Value::Int(r.end as i64)),
                        ]))
                    })
                    .collect(),
            )
        })
        .collect();
    Value::array(matches)
}

/// `re_replace`: every match replaced, `$1` / `${name}` expanded as Go does.
pub fn replace(re: &Regexp, text: &str, template: &str) -> Result<Value, String> {
    let out = re.re.replace_all(text, template);
    if out.len() > super::eval::MAX_STRING {
        return Err("the replaced string is too long".into());
    }
    Ok(Value::str(&out))
}

/// `re_split`: Go's `Regexp.Split(s, n)` (n < 0: all pieces; 0: none).
pub fn split(re: &Regexp, text: &str, count: i64) -> Value {
    if count == 0 {
        return Value::array(Vec::new());
    }
    if re.pattern.is_empty() && !text.is_empty() {
        // Go splits an empty pattern after every character.
        let mut pieces: Vec<Value> = text.chars().map(|c| Value::str(&c.to_string())).collect();
        if count > 0 && pieces.len() > count as usize {
            let rest: String = text.chars().skip(count as usize - 1).collect();
            pieces.truncate(count as usize - 1);
            pieces.push(Value::str(&rest));
        }
        return Value::array(pieces);
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for m in re.re.find_all(text) {
        if count > 0 && pieces.len() as i64 == count - 1 {
            break;
        }
        // Go skips an empty match right after the previous one.
        if m.end == 0 && m.start == 0 {
            continue;
        }
        pieces.push(Value::str(&text[start..m.start]));
        start = m.end;
    }
    pieces.push(Value::str(&text[start..]));
    Value::array(pieces)
}

/// `re.match`, `re.find`, `re.replace`, `re.split` of a `re_compile` result.
pub fn method(re: &Rc<Regexp>, name: &str) -> Option<Value> {
    let name: &'static str = ["match", "find", "replace", "split"]
        .into_iter()
        .find(|m| *m == name)?;
    Some(Value::Method(re.clone(), name))
}

pub fn call_method(re: &Regexp, name: &str, args: Vec<Value>) -> Result<Value, String> {
    let text = |i: usize| {
        args[i].to_text().ok_or_else(|| {
            format!(
                "invalid type for argument {} of {name}: expected string",
                i + 1
            )
        })
    };
    match name {
        "match" => {
            arity(&args, 1)?;
            Ok(is_match(re, &text(0)?))
        }
        "find" => {
            arity_range(&args, 1, 2)?;
            let count = args.get(1).map(|c| c.to_int().unwrap_or(-1));
            Ok(find(re, &text(0)?, count))
        }
        "replace" => {
            arity(&args, 2)?;
            replace(re, &text(0)?, &text(1)?)
        }
        _ => {
            arity_range(&args, 1, 2)?;
            let count = args.get(1).and_then(Value::to_int).unwrap_or(-1);
            Ok(split(re, &text(0)?, count))
        }
    }
}
