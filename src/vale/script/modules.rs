//! The standard-library modules a Vale script may `import`: Vale enables
//! Tengo's `text`, `fmt` and `math` and no others (no `os`, no `times`).

use super::value::Value;

/// The modules Vale makes importable.
pub const AVAILABLE: &[&str] = &["text", "fmt", "math"];

thread_local! {
    /// Built once per thread: a script over every paragraph imports `text`
    /// thousands of times. The maps are immutable, so sharing them is safe.
    static BUILT: std::cell::RefCell<Vec<(&'static str, Value)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Module `name` as the immutable map `import` returns.
pub fn module(name: &str) -> Option<Value> {
    let name: &'static str = AVAILABLE.iter().find(|m| **m == name)?;
    if let Some(hit) = BUILT.with(|b| {
        b.borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }) {
        return Some(hit);
    }
    let entries = match name {
        "text" => super::text::module(),
        "fmt" => super::fmt::module(),
        "math" => super::math::module(),
        _ => return None,
    };
    let module = Value::immutable_map(entries);
    BUILT.with(|b| b.borrow_mut().push((name, module.clone())));
    Some(module)
}

/// Does module `name` have `member`? (`None`: no such module.)
pub fn has_member(name: &str, member: &str) -> Option<bool> {
    match module(name)? {
        Value::Map(m, _) => Some(m.borrow().contains_key(member)),
        _ => None,
    }
}
