//! The standard-library modules a Vale script may `import`: Vale enables
//! Tengo's `text`, `fmt` and `math` and no others (no `os`, no `times`).

use super::value::Value;

/// The modules Vale makes importable.
pub const AVAILABLE: &[&str] = &["text", "fmt", "math"];

/// Module `name` as the immutable map `import` returns.
pub fn module(name: &str) -> Option<Value> {
    let entries = match name {
        "text" => super::text::module(),
        "fmt" => super::fmt::module(),
        "math" => super::math::module(),
        _ => return None,
    };
    Some(Value::immutable_map(entries))
}

/// Does module `name` have `member`? (`None`: no such module.)
pub fn has_member(name: &str, member: &str) -> Option<bool> {
    match module(name)? {
        Value::Map(m, _) => Some(m.borrow().contains_key(member)),
        _ => None,
    }
}
