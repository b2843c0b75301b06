//! The `fmt` module (`sprintf`, and `print`/`printf`/`println`, whose output
//! is dropped: a linter's standard output belongs to its report) and the Go
//! format verbs it and the `format` builtin share: `%v %s %q %d %x %X %o %b
//! %c %f %e %g %t %%` with flags `-+0 #`, width and precision.

use std::collections::BTreeMap;

use super::eval::Interp;
use super::value::{format_float, Value};

pub fn module() -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    m.insert("sprintf".into(), Value::Native("sprintf", sprintf_fn));
    m.insert("printf".into(), Value::Native("printf", silent));
    m.insert("print".into(), Value::Native("print", silent));
    m.insert("println".into(), Value::Native("println", silent));
    m
}

fn sprintf_fn(_: &mut Interp, args: Vec<Value>) -> Result<Value, String> {
    match args.first() {
        Some(Value::Str(f)) => sprintf(&f.clone(), &args[1..]).map(|s| Value::str(&s)),
        Some(other) => Err(format!(
            "invalid type for argument 'format' of sprintf: expected string, found {}",
            other.type_name()
        )),
        None => Err("wrong number of arguments: want>=1, got=0".into()),
    }
}

fn silent(_: &mut Interp, _: Vec<Value>) -> Result<Value, String> {
    Ok(Value::Undefined)
}

/// Go's `Sprintf` over Tengo values.
pub fn sprintf(format: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        spec.width = width.parse().ok();
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut prec = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                prec.push(d);
                chars.next();
            }
            spec.precision = Some(prec.parse().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        let body = render(verb, &spec, arg);
        out.push_str(&pad(
            &spec,
            body,
            matches!(arg, Value::Int(_) | Value::Float(_)),
        ));
        if out.len() > super::eval::MAX_STRING {
            return Err("the formatted string is too long".into());
        }
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..]
            .iter()
            .map(|a| format!("{}={}", go_type(a), a.display()))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    Ok(out)
}

#[derive(Default)]
struct Spec {
    left: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    precision: Option<usize>,
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Int(_) => "int64",
        Value::Float(_) => "float64",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        Value::Char(_) => "int32",
        _ => v.type_name(),
    }
}

fn render(verb: char, spec: &Spec, arg: &Value) -> String {
    let bad = || format!("%!{verb}({}={})", go_type(arg), arg.display());
    match (verb, arg) {
        ('v', Value::Float(f)) | ('g', Value::Float(f)) => signed(spec, *f < 0.0, {
            match spec.precision {
                Some(p) => format!("{:.*}", p, f.abs()),
                None => format_float(f.abs()),
            }
        }),
        ('v' | 'd', Value::Int(n)) => signed(spec, *n < 0, n.unsigned_abs().to_string()),
        ('v' | 's', v) => {
            let s = v.display();
            match spec.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s,
            }
        }
        ('q', Value::Str(s)) => format!("{s:?}"),
        ('q', Value::Char(c)) => format!("{c:?}"),
        ('c', Value::Int(n)) => u32::try_from(*n)
            .ok()
            .and_then(char::from_u32)
            .map(String::from)
            .unwrap_or_else(bad),
        ('c', Value::Char(c)) => c.to_string(),
        ('d', Value::Char(c)) => (*c as u32).to_string(),
        ('t', Value::Bool(b)) => b.to_string(),
        ('x', Value::Int(n)) => radix(spec, *n, format!("{:x}", n.unsigned_abs()), "0x"),
        ('X', Value::Int(n)) => radix(spec, *n, format!("{:X}", n.unsigned_abs()), "0X"),
        ('o', Value::Int(n)) => radix(spec, *n, format!("{:o}", n.unsigned_abs()), "0"),
        ('b', Value::Int(n)) => radix(spec, *n, format!("{:b}", n.unsigned_abs()), ""),
        ('x', Value::Str(s)) => s.bytes().map(|b| format!("{b:02x}")).collect(),
        ('f' | 'F', Value::Float(f)) => signed(
            spec,
            *f < 0.0,
            format!("{:.*}", spec.precision.unwrap_or(6), f.abs()),
        ),
        ('f' | 'F', Value::Int(_)) => bad(),
        ('e', Value::Float(f)) => signed(
            spec,
            *f < 0.0,
            exponent(f.abs(), spec.precision.unwrap_or(6)),
        ),
        _ => bad(),
    }
}

/// Go's `%e`: `1.234560e+03`.
fn exponent(f: f64, precision: usize) -> String {
    let s = format!("{f:.precision$e}");
    let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!("{mantissa}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
}

fn signed(spec: &Spec, negative: bool, digits: String) -> String {
    if negative {
        format!("-{digits}")
    } else if spec.plus {
        format!("+{digits}")
    } else if spec.space {
        format!(" {digits}")
    } else {
        digits
    }
}

fn radix(spec: &Spec, n: i64, digits: String, prefix: &str) -> String {
    let digits = if spec.sharp {
        format!("{prefix}{digits}")
    } else {
        digits
    };
    signed(spec, n < 0, digits)
}

/// Width padding: spaces (left or right) or, for numbers, zeros after the sign.
fn pad(spec: &Spec, body: String, numeric: bool) -> String {
    let Some(width) = spec.width else {
        return body;
    };
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = width - len;
    if spec.left {
        format!("{body}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match body.chars().next() {
            Some(c @ ('-' | '+' | ' ')) => (c.to_string(), body[1..].to_string()),
            _ => (String::new(), body),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{body}", " ".repeat(fill))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(format: &str, args: &[Value]) -> String {
        sprintf(format, args).unwrap()
    }

    #[test]
    fn go_verbs() {
        assert_eq!(f("%d-%s", &[Value::Int(3), Value::str("x")]), "3-x");
        assert_eq!(
            f(
                "%5d|%-4s|%05d",
                &[Value::Int(42), Value::str("ab"), Value::Int(-7)]
            ),
            "   42|ab  |-0007"
        );
        assert_eq!(f("%.2f", &[Value::Float(1.23456)]), "1.23");
        assert_eq!(f("%v", &[Value::Float(2.5)]), "2.5");
        assert_eq!(f("%q", &[Value::str("a\"b")]), "\"a\\\"b\"");
        assert_eq!(
            f(
                "%x %X %#x",
                &[Value::Int(255), Value::Int(255), Value::Int(255)]
            ),
            "ff FF 0xff"
        );
        assert_eq!(f("%t %c", &[Value::Bool(true), Value::Char('é')]), "true é");
        assert_eq!(
            f("%v", &[Value::array(vec![Value::Int(1), Value::str("a")])]),
            "[1, \"a\"]"
        );
        assert_eq!(f("100%%", &[]), "100%");
        assert_eq!(f("%e", &[Value::Float(1234.5678)]), "1.234568e+03");
        assert_eq!(f("%+d", &[Value::Int(5)]), "+5");
    }

    #[test]
    fn mismatches_read_as_go_prints_them() {
        assert_eq!(f("%d", &[Value::str("x")]), "%!d(string=x)");
        assert_eq!(f("%s %s", &[Value::str("x")]), "x %!s(MISSING)");
        assert_eq!(
            f("%s", &[Value::str("x"), Value::Int(2)]),
            "x%!(EXTRA int64=2)"
        );
    }
}
