//! The `text` module: Go's `strings` and `strconv` helpers and the regex
//! functions, with Go's semantics (byte offsets, `-1` when not found, a
//! failed conversion returns an error value rather than stopping the script).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::builtins::{arity, arity_range};
use super::eval::{Interp, MAX_STRING};
use super::regexp;
use super::value::{NativeFn, Value};

type Args = Vec<Value>;
type Out = Result<Value, String>;

fn s(args: &[Value], i: usize, name: &str) -> Result<String, String> {
    args[i].to_text().ok_or_else(|| {
        format!(
            "invalid type for argument {} of text.{name}: expected string, found undefined",
            i + 1
        )
    })
}

fn n(args: &[Value], i: usize, name: &str) -> Result<i64, String> {
    args[i].to_int().ok_or_else(|| {
        format!(
            "invalid type for argument {} of text.{name}: expected int, found {}",
            i + 1,
            args[i].type_name()
        )
    })
}

fn go_error(message: String) -> Value {
    Value::Error(Rc::new(Value::str(&message)))
}

fn strings(items: impl IntoIterator<Item = impl AsRef<str>>) -> Value {
    Value::array(items.into_iter().map(|x| Value::str(x.as_ref())).collect())
}

/// Two string arguments → bool.
macro_rules! ss_b {
    ($name:literal, $f:expr) => {
        (
            $name,
            (|_: &mut Interp, a: Args| -> Out {
                arity(&a, 2)?;
                let f: fn(&str, &str) -> bool = $f;
                Ok(Value::Bool(f(&s(&a, 0, $name)?, &s(&a, 1, $name)?)))
            }) as NativeFn,
        )
    };
}

/// Two string arguments → int.
macro_rules! ss_i {
    ($name:literal, $f:expr) => {
        (
            $name,
            (|_: &mut Interp, a: Args| -> Out {
                arity(&a, 2)?;
                let f: fn(&str, &str) -> i64 = $f;
                Ok(Value::Int(f(&s(&a, 0, $name)?, &s(&a, 1, $name)?)))
            }) as NativeFn,
        )
    };
}

/// Two string arguments → string.
macro_rules! ss_s {
    ($name:literal, $f:expr) => {
        (
            $name,
            (|_: &mut Interp, a: Args| -> Out {
                arity(&a, 2)?;
                let f: fn(&str, &str) -> String = $f;
                Ok(Value::str(&f(&s(&a, 0, $name)?, &s(&a, 1, $name)?)))
            }) as NativeFn,
        )
    };
}

/// One string argument → string.
macro_rules! s_s {
    ($name:literal, $f:expr) => {
        (
            $name,
            (|_: &mut Interp, a: Args| -> Out {
                arity(&a, 1)?;
                let f: fn(&str) -> String = $f;
                Ok(Value::str(&f(&s(&a, 0, $name)?)))
            }) as NativeFn,
        )
    };
}

fn index_of(h: &str, needle: &str) -> i64 {
    h.find(needle).map_or(-1, |i| i as i64)
}

const FUNCTIONS: &[(&str, NativeFn)] = &[
    ("re_match", re_match),
    ("re_find", re_find),
    ("re_replace", re_replace),
    ("re_split", re_split),
    ("re_compile", re_compile),
    ss_i!("compare", |a, b| a.cmp(b) as i64),
    ss_b!("contains", |a, b| a.contains(b)),
    ss_b!("contains_any", |a, b| a.contains(|c| b.contains(c))),
    ss_i!("count", |a, b| if b.is_empty() {
        a.chars().count() as i64 + 1
    } else {
        a.matches(b).count() as i64
    }),
    ss_b!("equal_fold", |a, b| a.to_lowercase() == b.to_lowercase()),
    ("fields", |_, a| {
        arity(&a, 1)?;
        Ok(strings(s(&a, 0, "fields")?.split_whitespace()))
    }),
    ss_b!("has_prefix", |a, b| a.starts_with(b)),
    ss_b!("has_suffix", |a, b| a.ends_with(b)),
    ss_i!("index", index_of),
    ss_i!("index_any", |a, b| a
        .find(|c| b.contains(c))
        .map_or(-1, |i| i as i64)),
    ("join", join),
    ss_i!("last_index", |a, b| a.rfind(b).map_or(-1, |i| i as i64)),
    ss_i!("last_index_any", |a, b| a
        .rfind(|c| b.contains(c))
        .map_or(-1, |i| i as i64)),
    ("repeat", repeat),
    ("replace", replace),
    ("substr", substr),
    ("split", |_, a| {
        arity(&a, 2)?;
        Ok(strings(split_n(
            &s(&a, 0, "split")?,
            &s(&a, 1, "split")?,
            -1,
            false,
        )))
    }),
    ("split_after", |_, a| {
        arity(&a, 2)?;
        Ok(strings(split_n(
            &s(&a, 0, "split_after")?,
            &s(&a, 1, "split_after")?,
            -1,
            true,
        )))
    }),
    ("split_n", |_, a| {
        arity(&a, 3)?;
        let (x, sep, k) = (
            s(&a, 0, "split_n")?,
            s(&a, 1, "split_n")?,
            n(&a, 2, "split_n")?,
        );
        Ok(strings(split_n(&x, &sep, k, false)))
    }),
    ("split_after_n", |_, a| {
        arity(&a, 3)?;
        let name = "split_after_n";
        let (x, sep, k) = (s(&a, 0, name)?, s(&a, 1, name)?, n(&a, 2, name)?);
        Ok(strings(split_n(&x, &sep, k, true)))
    }),
    s_s!("title", title),
    s_s!("to_lower", |x| x.to_lowercase()),
    s_s!("to_title", |x| x.to_uppercase()),
    s_s!("to_upper", |x| x.to_uppercase()),
    ("pad_left", |_, a| pad(a, true)),
    ("pad_right", |_, a| pad(a, false)),
    ss_s!("trim", |x, cut| x
        .trim_matches(|c| cut.contains(c))
        .to_string()),
    ss_s!("trim_left", |x, cut| x
        .trim_start_matches(|c| cut.contains(c))
        .to_string()),
    ss_s!("trim_prefix", |x, p| x
        .strip_prefix(p)
        .unwrap_or(x)
        .to_string()),
    ss_s!("trim_right", |x, cut| x
        .trim_end_matches(|c| cut.contains(c))
        .to_string()),
    s_s!("trim_space", |x| x.trim().to_string()),
    ss_s!("trim_suffix", |x, p| x
        .strip_suffix(p)
        .unwrap_or(x)
        .to_string()),
    ("atoi", |_, a| {
        arity(&a, 1)?;
        let x = s(&a, 0, "atoi")?;
        Ok(parse_int(&x, 10).map_or_else(
            |_| go_error(format!("strconv.Atoi: parsing {x:?}: invalid syntax")),
            Value::Int,
        ))
    }),
    ("itoa", |_, a| {
        arity(&a, 1)?;
        Ok(Value::str(&n(&a, 0, "itoa")?.to_string()))
    }),
    ("format_bool", |_, a| {
        arity(&a, 1)?;
        match &a[0] {
            Value::Bool(b) => Ok(Value::str(&b.to_string())),
            other => Err(format!(
                "invalid type for argument 1 of text.format_bool: expected bool, found {}",
                other.type_name()
            )),
        }
    }),
    ("format_float", format_float),
    ("format_int", |_, a| {
        arity(&a, 2)?;
        let (x, base) = (n(&a, 0, "format_int")?, n(&a, 1, "format_int")?);
        if !(2..=36).contains(&base) {
            return Err(format!(
                "text.format_int: base {base} is not between 2 and 36"
            ));
        }
        Ok(Value::str(&to_radix(x, base as u32)))
    }),
    ("parse_bool", |_, a| {
        arity(&a, 1)?;
        let x = s(&a, 0, "parse_bool")?;
        Ok(match x.as_str() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Value::Bool(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Value::Bool(false),
            _ => go_error(format!("strconv.ParseBool: parsing {x:?}: invalid syntax")),
        })
    }),
    ("parse_float", |_, a| {
        arity(&a, 2)?;
        let x = s(&a, 0, "parse_float")?;
        Ok(x.parse::<f64>().map_or_else(
            |_| go_error(format!("strconv.ParseFloat: parsing {x:?}: invalid syntax")),
            Value::Float,
        ))
    }),
    ("parse_int", |_, a| {
        arity(&a, 3)?;
        let x = s(&a, 0, "parse_int")?;
        let base = n(&a, 1, "parse_int")?;
        let base = if base == 0 { 10 } else { base };
        if !(2..=36).contains(&base) {
            return Ok(go_error(format!(
                "strconv.ParseInt: parsing {x:?}: invalid base {base}"
            )));
        }
        Ok(parse_int(&x, base as u32).map_or_else(
            |_| go_error(format!("strconv.ParseInt: parsing {x:?}: invalid syntax")),
            Value::Int,
        ))
    }),
    s_s!("quote", |x| format!("{x:?}")),
    ("unquote", |_, a| {
        arity(&a, 1)?;
        let x = s(&a, 0, "unquote")?;
        Ok(unquote(&x).map_or_else(|| go_error("invalid syntax".into()), |u| Value::str(&u)))
    }),
];

pub fn module() -> BTreeMap<String, Value> {
    FUNCTIONS
        .iter()
        .map(|(name, f)| (name.to_string(), Value::Native(name, *f)))
        .collect()
}

/// Compiles argument 0 as a pattern; a bad pattern is the error value returned.
fn pattern(a: &[Value], name: &str) -> Result<Result<Rc<regexp::Regexp>, Value>, String> {
    Ok(regexp::compile(&s(a, 0, name)?))
}

fn re_match(_: &mut Interp, a: Args) -> Out {
    arity(&a, 2)?;
    let text = s(&a, 1, "re_match")?;
    Ok(match pattern(&a, "re_match")? {
        Ok(re) => regexp::is_match(&re, &text),
        Err(e) => e,
    })
}

fn re_find(_: &mut Interp, a: Args) -> Out {
    arity_range(&a, 2, 3)?;
    let re = match pattern(&a, "re_find")? {
        Ok(re) => re,
        Err(e) => return Ok(e),
    };
    let text = s(&a, 1, "re_find")?;
    let count = if a.len() == 3 {
        Some(n(&a, 2, "re_find")?)
    } else {
        None
    };
    Ok(regexp::find(&re, &text, count))
}

fn re_replace(_: &mut Interp, a: Args) -> Out {
    arity(&a, 3)?;
    let (text, template) = (s(&a, 1, "re_replace")?, s(&a, 2, "re_replace")?);
    match pattern(&a, "re_replace")? {
        Ok(re) => regexp::replace(&re, &text, &template),
        Err(e) => Ok(e),
    }
}

fn re_split(_: &mut Interp, a: Args) -> Out {
    arity_range(&a, 2, 3)?;
    let text = s(&a, 1, "re_split")?;
    let count = if a.len() == 3 {
        n(&a, 2, "re_split")?
    } else {
        -1
    };
    Ok(match pattern(&a, "re_split")? {
        Ok(re) => regexp::split(&re, &text, count),
        Err(e) => e,
    })
}

fn re_compile(_: &mut Interp, a: Args) -> Out {
    arity(&a, 1)?;
    Ok(match pattern(&a, "re_compile")? {
        Ok(re) => Value::Regexp(re),
        Err(e) => e,
    })
}

fn join(_: &mut Interp, a: Args) -> Out {
    arity(&a, 2)?;
    let Value::Array(items, _) = &a[0] else {
        return Err(format!(
            "invalid type for argument 1 of text.join: expected array, found {}",
            a[0].type_name()
        ));
    };
    let sep = s(&a, 1, "join")?;
    let parts: Vec<String> = items
        .borrow()
        .iter()
        .map(|v| v.to_text().ok_or("text.join: an element is undefined"))
        .collect::<Result<_, _>>()?;
    let out = parts.join(&sep);
    if out.len() > MAX_STRING {
        return Err("the joined string is too long".into());
    }
    Ok(Value::str(&out))
}

fn repeat(_: &mut Interp, a: Args) -> Out {
    arity(&a, 2)?;
    let (x, times) = (s(&a, 0, "repeat")?, n(&a, 1, "repeat")?);
    if times < 0 {
        return Err("text.repeat: negative count".into());
    }
    if x.len().saturating_mul(times as usize) > MAX_STRING {
        return Err("the repeated string is too long".into());
    }
    Ok(Value::str(&x.repeat(times as usize)))
}

fn replace(_: &mut Interp, a: Args) -> Out {
    arity(&a, 4)?;
    let (x, old, new) = (
        s(&a, 0, "replace")?,
        s(&a, 1, "replace")?,
        s(&a, 2, "replace")?,
    );
    let times = n(&a, 3, "replace")?;
    let out = if times < 0 {
        x.replace(&old, &new)
    } else {
        x.replacen(&old, &new, times as usize)
    };
    if out.len() > MAX_STRING {
        return Err("the replaced string is too long".into());
    }
    Ok(Value::str(&out))
}

/// `substr(s, lower[, upper])`: bytes `lower..upper`, both clamped to the string.
fn substr(_: &mut Interp, a: Args) -> Out {
    arity_range(&a, 2, 3)?;
    let x = s(&a, 0, "substr")?;
    let len = x.len() as i64;
    let low = n(&a, 1, "substr")?;
    let high = if a.len() == 3 {
        n(&a, 2, "substr")?
    } else {
        len
    };
    if low > high {
        return Err(format!("text.substr: invalid range {low} > {high}"));
    }
    let (low, high) = (low.clamp(0, len) as usize, high.clamp(0, len) as usize);
    Ok(match x.get(low..high) {
        Some(part) => Value::str(part),
        None => Value::str(&String::from_utf8_lossy(&x.as_bytes()[low..high])),
    })
}

fn pad(a: Args, left: bool) -> Out {
    let name = if left { "pad_left" } else { "pad_right" };
    arity_range(&a, 2, 3)?;
    let x = s(&a, 0, name)?;
    let width = n(&a, 1, name)?;
    if width > MAX_STRING as i64 {
        return Err("the padded string is too long".into());
    }
    let with = if a.len() == 3 {
        s(&a, 2, name)?
    } else {
        " ".into()
    };
    let width = width.max(0) as usize;
    if x.len() >= width || with.is_empty() {
        return Ok(Value::str(&x));
    }
    let count = (width - with.len()) / with.len() + 1;
    let out = if left {
        let all = with.repeat(count) + &x;
        String::from_utf8_lossy(&all.as_bytes()[all.len() - width..]).into_owned()
    } else {
        let all = x + &with.repeat(count);
        String::from_utf8_lossy(&all.as_bytes()[..width]).into_owned()
    };
    Ok(Value::str(&out))
}

/// `format_float(f, fmt, prec, bits)`: Go's `strconv.FormatFloat` for the
/// `f`, `e`, `E` and `g` formats (precision -1: the shortest that reads back).
fn format_float(_: &mut Interp, a: Args) -> Out {
    arity(&a, 4)?;
    let Value::Float(f) = a[0] else {
        return Err(format!(
            "invalid type for argument 1 of text.format_float: expected float, found {}",
            a[0].type_name()
        ));
    };
    let verb = s(&a, 1, "format_float")?;
    let prec = n(&a, 2, "format_float")?;
    let out = match (verb.as_str(), prec) {
        ("f", p) if p < 0 => super::value::format_float(f),
        ("f", p) => format!("{:.*}", p as usize, f),
        ("e" | "E", p) => {
            let s = if p < 0 {
                format!("{f:e}")
            } else {
                format!("{:.*e}", p as usize, f)
            };
            let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
            let e: i32 = e.parse().unwrap_or(0);
            let out = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
            if verb == "E" {
                out.to_uppercase()
            } else {
                out
            }
        }
        ("g", _) => super::value::format_float(f),
        (other, _) => {
            return Err(format!(
                "text.format_float: format `{other}` is not supported (use f, e, E or g)"
            ))
        }
    };
    Ok(Value::str(&out))
}

/// Go's `strings.SplitN` / `SplitAfterN` (n < 0: all; 0: nothing).
fn split_n(x: &str, sep: &str, n: i64, after: bool) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    if sep.is_empty() {
        let chars: Vec<String> = x.chars().map(String::from).collect();
        if n > 0 && chars.len() > n as usize {
            let mut out: Vec<String> = chars[..n as usize - 1].to_vec();
            out.push(chars[n as usize - 1..].concat());
            return out;
        }
        return chars;
    }
    let mut out = Vec::new();
    let mut rest = x;
    while n < 0 || (out.len() as i64) < n - 1 {
        let Some(i) = rest.find(sep) else { break };
        let cut = if after { i + sep.len() } else { i };
        out.push(rest[..cut].to_string());
        rest = &rest[i + sep.len()..];
    }
    out.push(rest.to_string());
    out
}

/// Go's deprecated `strings.Title`: a capital after every separator.
fn title(x: &str) -> String {
    let mut out = String::with_capacity(x.len());
    let mut prev_sep = true;
    for c in x.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = !(c.is_alphanumeric() || c == '_');
    }
    out
}

fn parse_int(x: &str, base: u32) -> Result<i64, std::num::ParseIntError> {
    let (neg, digits) = match x.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, x.strip_prefix('+').unwrap_or(x)),
    };
    let v = i64::from_str_radix(digits, base)?;
    Ok(if neg { -v } else { v })
}

fn to_radix(x: i64, base: u32) -> String {
    if x == 0 {
        return "0".into();
    }
    let mut digits = Vec::new();
    let mut v = x.unsigned_abs();
    while v > 0 {
        let d = (v % base as u64) as u32;
        digits.push(std::char::from_digit(d, base).unwrap_or('?'));
        v /= base as u64;
    }
    if x < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// Go's `strconv.Unquote` for the common cases: `"…"` with escapes, `` `…` ``, `'c'`.
fn unquote(x: &str) -> Option<String> {
    if x.len() >= 2 && x.starts_with('`') && x.ends_with('`') {
        return Some(x[1..x.len() - 1].to_string());
    }
    if x.len() >= 2
        && (x.starts_with('"') && x.ends_with('"') || x.starts_with('\'') && x.ends_with('\''))
    {
        let toks = super::lexer::tokens(x).ok()?;
        return match toks.first() {
            Some((super::lexer::Tok::Str(s), _)) => Some(s.clone()),
            Some((super::lexer::Tok::Char(c), _)) => Some(c.to_string()),
            _ => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_split_shapes() {
        assert_eq!(split_n("a,b,", ",", -1, false), ["a", "b", ""]);
        assert_eq!(split_n("a,b,", ",", -1, true), ["a,", "b,", ""]);
        assert_eq!(split_n("a,b,c", ",", 2, false), ["a", "b,c"]);
        assert_eq!(split_n("", ",", -1, false), [""]);
        assert_eq!(split_n("héj", "", -1, false), ["h", "é", "j"]);
        assert!(split_n("a", ",", 0, false).is_empty());
    }

    #[test]
    fn helpers() {
        assert_eq!(title("hello wide-world_x"), "Hello Wide-World_x");
        assert_eq!(to_radix(-255, 16), "-ff");
        assert_eq!(unquote("\"a\\nb\"").as_deref(), Some("a\nb"));
        assert_eq!(unquote("x"), None);
        assert_eq!(parse_int("-12", 10), Ok(-12));
    }
}
