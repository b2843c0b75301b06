//! The `math` module: Go's `math` constants and functions over floats (an
//! int argument is read as a float). Go's special functions without a Rust
//! standard equivalent (`erf`, `gamma`, Bessel functions…) are listed in
//! `UNSUPPORTED` and refused when the script loads.

use std::collections::BTreeMap;

use super::builtins::arity;
use super::eval::Interp;
use super::value::{NativeFn, Value};

/// Members of Tengo's `math` that imprimatur does not provide.
pub const UNSUPPORTED: &[&str] = &[
    "erf",
    "erfc",
    "erfinv",
    "erfcinv",
    "gamma",
    "lgamma",
    "j0",
    "j1",
    "jn",
    "y0",
    "y1",
    "yn",
    "frexp",
    "nextafter",
    "remainder",
];

fn float_arg(args: &[Value], i: usize) -> Result<f64, String> {
    args[i].to_float().ok_or_else(|| {
        format!(
            "invalid type for argument {} of a math function: expected float, found {}",
            i + 1,
            args[i].type_name()
        )
    })
}

fn int_arg(args: &[Value], i: usize) -> Result<i64, String> {
    args[i].to_int().ok_or_else(|| {
        format!(
            "invalid type for argument {} of a math function: expected int, found {}",
            i + 1,
            args[i].type_name()
        )
    })
}

macro_rules! unary {
    ($f:expr) => {
        (|_: &mut Interp, args: Vec<Value>| {
            arity(&args, 1)?;
            let f: fn(f64) -> f64 = $f;
            Ok(Value::Float(f(float_arg(&args, 0)?)))
        }) as NativeFn
    };
}

macro_rules! binary {
    ($f:expr) => {
        (|_: &mut Interp, args: Vec<Value>| {
            arity(&args, 2)?;
            let f: fn(f64, f64) -> f64 = $f;
            Ok(Value::Float(f(float_arg(&args, 0)?, float_arg(&args, 1)?)))
        }) as NativeFn
    };
}

pub fn module() -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    let consts: &[(&str, f64)] = &[
        ("e", std::f64::consts::E),
        ("pi", std::f64::consts::PI),
        ("phi", 1.618_033_988_749_895),
        ("sqrt2", std::f64::consts::SQRT_2),
        ("sqrtE", 1.648_721_270_700_128_1),
        ("sqrtPi", 1.772_453_850_905_516),
        ("sqrtPhi", 1.272_019_649_514_069),
        ("ln2", std::f64::consts::LN_2),
        ("log2E", std::f64::consts::LOG2_E),
        ("ln10", std::f64::consts::LN_10),
        ("log10E", std::f64::consts::LOG10_E),
        ("maxFloat32", f32::MAX as f64),
        ("smallestNonzeroFloat32", 1.401_298_464_324_817e-45),
        ("maxFloat64", f64::MAX),
        ("smallestNonzeroFloat64", 5e-324),
    ];
    for (name, v) in consts {
        m.insert(name.to_string(), Value::Float(*v));
    }
    let ints: &[(&str, i64)] = &[
        ("maxInt", i64::MAX),
        ("minInt", i64::MIN),
        ("maxInt8", i8::MAX as i64),
        ("minInt8", i8::MIN as i64),
        ("maxInt16", i16::MAX as i64),
        ("minInt16", i16::MIN as i64),
        ("maxInt32", i32::MAX as i64),
        ("minInt32", i32::MIN as i64),
        ("maxInt64", i64::MAX),
        ("minInt64", i64::MIN),
    ];
    for (name, v) in ints {
        m.insert(name.to_string(), Value::Int(*v));
    }
    let functions: &[(&'static str, NativeFn)] = &[
        ("abs", unary!(f64::abs)),
        ("acos", unary!(f64::acos)),
        ("acosh", unary!(f64::acosh)),
        ("asin", unary!(f64::asin)),
        ("asinh", unary!(f64::asinh)),
        ("atan", unary!(f64::atan)),
        ("atanh", unary!(f64::atanh)),
        ("cbrt", unary!(f64::cbrt)),
        ("ceil", unary!(f64::ceil)),
        ("cos", unary!(f64::cos)),
        ("cosh", unary!(f64::cosh)),
        ("exp", unary!(f64::exp)),
        ("exp2", unary!(f64::exp2)),
        ("expm1", unary!(f64::exp_m1)),
        ("floor", unary!(f64::floor)),
        ("log", unary!(f64::ln)),
        ("log10", unary!(f64::log10)),
        ("log1p", unary!(f64::ln_1p)),
        ("log2", unary!(f64::log2)),
        ("logb", unary!(|f: f64| f.abs().log2().floor())),
        ("round", unary!(f64::round)),
        ("round_to_even", unary!(f64::round_ties_even)),
        ("sin", unary!(f64::sin)),
        ("sinh", unary!(f64::sinh)),
        ("sqrt", unary!(f64::sqrt)),
        ("tan", unary!(f64::tan)),
        ("tanh", unary!(f64::tanh)),
        ("trunc", unary!(f64::trunc)),
        ("atan2", binary!(f64::atan2)),
        ("copysign", binary!(f64::copysign)),
        ("dim", binary!(|a: f64, b: f64| (a - b).max(0.0))),
        ("hypot", binary!(f64::hypot)),
        ("max", binary!(f64::max)),
        ("min", binary!(f64::min)),
        ("mod", binary!(|a: f64, b: f64| a % b)),
        ("pow", binary!(f64::powf)),
        ("signbit", |_, args| {
            arity(&args, 1)?;
            Ok(Value::Bool(float_arg(&args, 0)?.is_sign_negative()))
        }),
        ("is_nan", |_, args| {
            arity(&args, 1)?;
            Ok(Value::Bool(float_arg(&args, 0)?.is_nan()))
        }),
        ("is_inf", |_, args| {
            arity(&args, 2)?;
            let (f, sign) = (float_arg(&args, 0)?, int_arg(&args, 1)?);
            Ok(Value::Bool(
                (sign >= 0 && f == f64::INFINITY) || (sign <= 0 && f == f64::NEG_INFINITY),
            ))
        }),
        ("inf", |_, args| {
            arity(&args, 1)?;
            Ok(Value::Float(if int_arg(&args, 0)? >= 0 {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }))
        }),
        ("nan", |_, args| {
            arity(&args, 0)?;
            Ok(Value::Float(f64::NAN))
        }),
        ("ilogb", |_, args| {
            arity(&args, 1)?;
            Ok(Value::Int(float_arg(&args, 0)?.abs().log2().floor() as i64))
        }),
        ("ldexp", |_, args| {
            arity(&args, 2)?;
            let exp = int_arg(&args, 1)?.clamp(-2000, 2000) as i32;
            Ok(Value::Float(float_arg(&args, 0)? * 2f64.powi(exp)))
        }),
        ("pow10", |_, args| {
            arity(&args, 1)?;
            let n = int_arg(&args, 0)?.clamp(-400, 400) as i32;
            Ok(Value::Float(10f64.powi(n)))
        }),
    ];
    for (name, f) in functions {
        m.insert(name.to_string(), Value::Native(name, *f));
    }
    m
}
