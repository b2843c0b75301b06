//! Tengo's values. Arrays and maps are shared by reference, as in Tengo
//! (`b := a; b[0] = 1` changes `a`); `immutable(x)` marks a copy read-only.
//! Maps keep their keys sorted: Tengo's iteration order is unspecified (Go's
//! random map order), so sorted is as valid and makes runs repeatable.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::ast::FuncLit;
use super::eval::Scope;
use super::regexp::Regexp;

pub type Array = Rc<RefCell<Vec<Value>>>;
pub type Map = Rc<RefCell<BTreeMap<String, Value>>>;

/// A function written in Rust: the text, fmt and math modules and the builtins.
pub type NativeFn = fn(&mut super::eval::Interp, Vec<Value>) -> Result<Value, String>;

#[derive(Clone)]
pub enum Value {
    Undefined,
    Bool(bool),
    Int(i64),
    Float(f64),
    Char(char),
    Str(Rc<str>),
    Array(Array, bool),
    Map(Map, bool),
    Error(Rc<Value>),
    Func(Rc<Closure>),
    Native(&'static str, NativeFn),
    /// A method of a compiled regex (`re.match`, `re.find`…): the regex and the method.
    Method(Rc<Regexp>, &'static str),
    Regexp(Rc<Regexp>),
}

pub struct Closure {
    pub lit: std::sync::Arc<FuncLit>,
    pub scope: Rc<Scope>,
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(RefCell::new(items)), false)
    }

    pub fn map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)), false)
    }

    pub fn immutable_map(entries: BTreeMap<String, Value>) -> Value {
        Value::Map(Rc::new(RefCell::new(entries)), true)
    }

    /// Tengo's type names, as `type_name(x)` returns them.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Char(_) => "char",
            Value::Str(_) => "string",
            Value::Array(_, false) => "array",
            Value::Array(_, true) => "immutable-array",
            Value::Map(_, false) => "map",
            Value::Map(_, true) => "immutable-map",
            Value::Error(_) => "error",
            Value::Func(_) => "compiled-function",
            Value::Native(..) | Value::Method(..) => "user-function",
            Value::Regexp(_) => "text-regexp",
        }
    }

    /// Tengo's falsy values: `false`, 0, "", empty collections, NaN,
    /// `undefined` and every error.
    pub fn is_falsy(&self) -> bool {
        match self {
            Value::Undefined | Value::Error(_) => true,
            Value::Bool(b) => !b,
            Value::Int(n) => *n == 0,
            Value::Float(f) => f.is_nan(),
            Value::Char(c) => *c == '\0',
            Value::Str(s) => s.is_empty(),
            Value::Array(a, _) => a.borrow().is_empty(),
            Value::Map(m, _) => m.borrow().is_empty(),
            Value::Func(_) | Value::Native(..) | Value::Method(..) | Value::Regexp(_) => false,
        }
    }

    /// `==` as Tengo defines it: same type and equal contents (an int is
    /// never equal to a float); arrays and maps compare element-wise.
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Undefined, Value::Undefined) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Char(a), Value::Char(b)) => a == b,
            (Value::Int(a), Value::Char(b)) | (Value::Char(b), Value::Int(a)) => *a == *b as i64,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Array(a, _), Value::Array(b, _)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.equals(y))
            }
            (Value::Map(a, _), Value::Map(b, _)) => {
                let (a, b) = (a.borrow(), b.borrow());
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v.equals(w)))
            }
            (Value::Error(a), Value::Error(b)) => a.equals(b),
            (Value::Func(a), Value::Func(b)) => Rc::ptr_eq(a, b),
            (Value::Native(a, _), Value::Native(b, _)) => a == b,
            _ => false,
        }
    }

    /// Tengo's `String()` of a value: strings bare at the top level
    /// (`string(x)`, `+`), quoted inside collections.
    pub fn display(&self) -> String {
        match self {
            Value::Str(s) => s.to_string(),
            Value::Char(c) => c.to_string(),
            _ => self.repr(),
        }
    }

    /// A value as it prints inside a collection.
    pub fn repr(&self) -> String {
        match self {
            Value::Undefined => "<undefined>".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Float(f) => format_float(*f),
            Value::Char(c) => c.to_string(),
            Value::Str(s) => format!("{s:?}"),
            Value::Array(a, _) => {
                let items: Vec<String> = a.borrow().iter().map(Value::repr).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Map(m, _) => {
                let mut out = String::from("{");
                for (i, (k, v)) in m.borrow().iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{k}: {}", v.repr());
                }
                out.push('}');
                out
            }
            Value::Error(v) => format!("error: {}", v.repr()),
            Value::Func(_) => "<compiled-function>".into(),
            Value::Native(name, _) => format!("<user-function:{name}>"),
            Value::Method(_, name) => format!("<user-function:{name}>"),
            Value::Regexp(r) => format!("<text-regexp:{}>", r.pattern),
        }
    }

    /// Tengo's `ToString` conversion for arguments that take a string:
    /// anything but `undefined`.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Undefined => None,
            v => Some(v.display()),
        }
    }

    /// Tengo's `ToInt`: ints, floats (truncated), chars, bools and numeric strings.
    pub fn to_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            Value::Float(f) => Some(*f as i64),
            Value::Char(c) => Some(*c as i64),
            Value::Bool(b) => Some(*b as i64),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Tengo's `ToFloat64`: floats, ints and numeric strings.
    pub fn to_float(&self) -> Option<f64> {
        match self {
            Value::Float(f) => Some(*f),
            Value::Int(n) => Some(*n as f64),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A fresh copy, nested collections included (`copy(x)`).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Array(a, imm) => Value::Array(
                Rc::new(RefCell::new(
                    a.borrow().iter().map(Value::deep_copy).collect(),
                )),
                *imm,
            ),
            Value::Map(m, imm) => Value::Map(
                Rc::new(RefCell::new(
                    m.borrow()
                        .iter()
                        .map(|(k, v)| (k.clone(), v.deep_copy()))
                        .collect(),
                )),
                *imm,
            ),
            v => v.clone(),
        }
    }
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`, which Tengo prints floats
/// with: the shortest digits that read back, never an exponent (as Rust's).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truthiness_and_equality() {
        assert!(Value::Int(0).is_falsy());
        assert!(Value::str("").is_falsy());
        assert!(Value::array(vec![]).is_falsy());
        assert!(Value::Error(Rc::new(Value::Int(1))).is_falsy());
        assert!(!Value::str("0").is_falsy());
        assert!(Value::Float(f64::NAN).is_falsy());
        assert!(!Value::Float(0.0).is_falsy());
        assert!(!Value::Int(1).equals(&Value::Float(1.0)));
        assert!(Value::array(vec![Value::Int(1)]).equals(&Value::array(vec![Value::Int(1)])));
        assert!(Value::Undefined.equals(&Value::Undefined));
    }

    #[test]
    fn printing_follows_go() {
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(0.5), "0.5");
        assert_eq!(format_float(1e21), "1000000000000000000000");
        assert_eq!(format_float(1.5e-7), "0.00000015");
        assert_eq!(format_float(f64::INFINITY), "+Inf");
        let m = Value::map(BTreeMap::from([("a".to_string(), Value::str("x"))]));
        assert_eq!(m.display(), "{a: \"x\"}");
        assert_eq!(
            Value::array(vec![Value::Int(1), Value::str("b")]).display(),
            "[1, \"b\"]"
        );
        assert_eq!(Value::str("b").display(), "b");
    }
}
