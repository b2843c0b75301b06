//! Tengo's builtin functions (`len`, `append`, conversions, `is_*`…), found
//! when a name is not a variable, so a script may shadow them.

use std::rc::Rc;

use super::eval::{Interp, MAX_ARRAY};
use super::value::{NativeFn, Value};

const BUILTINS: &[(&str, NativeFn)] = &[
    ("len", len),
    ("copy", copy),
    ("append", append),
    ("delete", delete),
    ("splice", splice),
    ("string", string),
    ("int", int),
    ("bool", boolean),
    ("float", float),
    ("char", char_),
    ("type_name", type_name),
    ("format", format),
    ("range", range),
    ("is_int", |_, a| is(a, |v| matches!(v, Value::Int(_)))),
    ("is_float", |_, a| is(a, |v| matches!(v, Value::Float(_)))),
    ("is_string", |_, a| is(a, |v| matches!(v, Value::Str(_)))),
    ("is_bool", |_, a| is(a, |v| matches!(v, Value::Bool(_)))),
    ("is_char", |_, a| is(a, |v| matches!(v, Value::Char(_)))),
    ("is_bytes", |_, a| is(a, |_| false)),
    ("is_time", |_, a| is(a, |_| false)),
    ("is_array", |_, a| {
        is(a, |v| matches!(v, Value::Array(_, false)))
    }),
    ("is_immutable_array", |_, a| {
        is(a, |v| matches!(v, Value::Array(_, true)))
    }),
    ("is_map", |_, a| {
        is(a, |v| matches!(v, Value::Map(_, false)))
    }),
    ("is_immutable_map", |_, a| {
        is(a, |v| matches!(v, Value::Map(_, true)))
    }),
    ("is_iterable", |_, a| {
        is(a, |v| {
            matches!(v, Value::Array(..) | Value::Map(..) | Value::Str(_))
        })
    }),
    ("is_error", |_, a| is(a, |v| matches!(v, Value::Error(_)))),
    ("is_undefined", |_, a| {
        is(a, |v| matches!(v, Value::Undefined))
    }),
    ("is_function", |_, a| is(a, |v| matches!(v, Value::Func(_)))),
    ("is_callable", |_, a| {
        is(a, |v| {
            matches!(v, Value::Func(_) | Value::Native(..) | Value::Method(..))
        })
    }),
];

/// The builtin called `name`, if there is one.
pub fn lookup(name: &str) -> Option<Value> {
    BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, f)| Value::Native(n, *f))
}

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.iter().any(|(n, _)| *n == name)
}

/// Exactly `n` arguments.
pub fn arity(args: &[Value], n: usize) -> Result<(), String> {
    if args.len() == n {
        Ok(())
    } else {
        Err(format!(
            "wrong number of arguments: want={n}, got={}",
            args.len()
        ))
    }
}

/// Between `min` and `max` arguments.
pub fn arity_range(args: &[Value], min: usize, max: usize) -> Result<(), String> {
    if (min..=max).contains(&args.len()) {
        Ok(())
    } else {
        Err(format!(
            "wrong number of arguments: want={min}..{max}, got={}",
            args.len()
        ))
    }
}

fn is(args: Vec<Value>, test: fn(&Value) -> bool) -> Result<Value, String> {
    arity(&args, 1)?;
    Ok(Value::Bool(test(&args[0])))
}

fn len(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity(&args, 1)?;
    let n = match &args[0] {
        Value::Str(s) => s.len(),
        Value::Array(a, _) => a.borrow().len(),
        Value::Map(m, _) => m.borrow().len(),
        other => {
            return Err(format!(
                "invalid type for argument 'first' of len: {}",
                other.type_name()
            ))
        }
    };
    Ok(Value::Int(n as i64))
}

fn copy(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity(&args, 1)?;
    Ok(args[0].deep_copy())
}

/// `append(arr, items...)`: a new array; the argument is left unchanged.
fn append(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    let Some(first) = args.first() else {
        return Err("wrong number of arguments: want>=1, got=0".into());
    };
    let mut out = match first {
        Value::Array(a, _) => a.borrow().clone(),
        other => {
            return Err(format!(
                "invalid type for argument 'first' of append: expected array, found {}",
                other.type_name()
            ))
        }
    };
    out.extend(args.into_iter().skip(1));
    if out.len() > MAX_ARRAY {
        return Err(format!("an array may hold at most {MAX_ARRAY} items"));
    }
    Ok(Value::array(out))
}

fn delete(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity(&args, 2)?;
    match (&args[0], &args[1]) {
        (Value::Map(m, false), Value::Str(k)) => {
            m.borrow_mut().remove(&**k);
            Ok(Value::Undefined)
        }
        (Value::Map(_, false), other) => Err(format!(
            "invalid type for argument 'second' of delete: expected string, found {}",
            other.type_name()
        )),
        (other, _) => Err(format!(
            "invalid type for argument 'first' of delete: expected map, found {}",
            other.type_name()
        )),
    }
}

/// `splice(arr, start, count, items...)`: removes and inserts in place,
/// returning the removed items.
fn splice(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    let Some(Value::Array(a, false)) = args.first() else {
        return Err("invalid type for argument 'first' of splice: expected array".into());
    };
    let len = a.borrow().len();
    let start = match args.get(1) {
        Some(v) => v
            .to_int()
            .ok_or("invalid type for argument 'second' of splice")?,
        None => 0,
    };
    if start < 0 || start as usize > len {
        return Err(format!("index {start} out of bounds (length {len})"));
    }
    let start = start as usize;
    let count = match args.get(2) {
        Some(v) => v
            .to_int()
            .ok_or("invalid type for argument 'third' of splice")?,
        None => (len - start) as i64,
    };
    if count < 0 {
        return Err("splice count must not be negative".into());
    }
    let end = (start + count as usize).min(len);
    let inserted: Vec<Value> = args.iter().skip(3).cloned().collect();
    let removed: Vec<Value> = a.borrow_mut().splice(start..end, inserted).collect();
    Ok(Value::array(removed))
}

/// A conversion's optional second argument: what to return when it fails.
fn or_default(args: &[Value]) -> Value {
    args.get(1).cloned().unwrap_or(Value::Undefined)
}

fn string(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 1, 2)?;
    Ok(match &args[0] {
        Value::Str(_) => args[0].clone(),
        v => match v.to_text() {
            Some(s) => Value::str(&s),
            None => or_default(&args),
        },
    })
}

fn int(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 1, 2)?;
    Ok(match &args[0] {
        Value::Int(_) => args[0].clone(),
        Value::Str(s) => match s.parse::<i64>() {
            Ok(n) => Value::Int(n),
            Err(_) => or_default(&args),
        },
        v => match v.to_int() {
            Some(n) => Value::Int(n),
            None => or_default(&args),
        },
    })
}

fn float(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 1, 2)?;
    Ok(match args[0].to_float() {
        Some(f) => Value::Float(f),
        None => or_default(&args),
    })
}

fn boolean(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 1, 2)?;
    Ok(match &args[0] {
        Value::Bool(_) => args[0].clone(),
        v => Value::Bool(!v.is_falsy()),
    })
}

fn char_(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 1, 2)?;
    Ok(match &args[0] {
        Value::Char(_) => args[0].clone(),
        Value::Int(n) => u32::try_from(*n)
            .ok()
            .and_then(char::from_u32)
            .map(Value::Char)
            .unwrap_or_else(|| or_default(&args)),
        Value::Str(s) => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Value::Char(c),
                _ => or_default(&args),
            }
        }
        _ => or_default(&args),
    })
}

fn type_name(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity(&args, 1)?;
    Ok(Value::str(args[0].type_name()))
}

fn format(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    let Some(Value::Str(f)) = args.first() else {
        return Err("invalid type for argument 'format' of format: expected string".into());
    };
    let f: Rc<str> = f.clone();
    super::fmt::sprintf(&f, &args[1..]).map(|s| Value::str(&s))
}

/// `range(start, stop[, step])`: the ints from `start` towards `stop`.
fn range(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    arity_range(&args, 2, 3)?;
    let int_arg = |i: usize, name: &str| match args.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(other) => Err(format!(
            "invalid type for argument '{name}' of range: expected int, found {}",
            other.type_name()
        )),
        None => Ok(1),
    };
    let (start, stop, step) = (
        int_arg(0, "start")?,
        int_arg(1, "stop")?,
        int_arg(2, "step")?,
    );
    if step <= 0 {
        return Err("range step must be greater than 0".into());
    }
    let count = (stop.abs_diff(start) as u128).div_ceil(step as u128);
    if count > MAX_ARRAY as u128 {
        return Err(format!("an array may hold at most {MAX_ARRAY} items"));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (start <= stop && i < stop) || (start > stop && i > stop) {
        out.push(Value::Int(i));
        i = if start <= stop { i + step } else { i - step };
    }
    Ok(Value::array(out))
}
