//! Readability formulas and conditions: the arithmetic subset of Tengo that
//! Vale's `metric` rules use (`+ - * / %`, parentheses, comparisons, `&&`,
//! `||`, `!`, and `math.sqrt`, `math.pow`, `math.log`, … ), parsed once and
//! evaluated per document. As in Tengo, integer literals stay integers until
//! they meet a float (`7 / 2` is 3); Vale's variables are floats.

use std::collections::HashMap;

/// A value: Tengo keeps integers, floats and booleans apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Value {
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            Value::Bool(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Num(Value),
    Var(String),
    Call(String, Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    expr: Expr,
    pub text: String,
}

const FUNCTIONS: &[&str] = &[
    "sqrt", "pow", "log", "log10", "log2", "abs", "floor", "ceil", "round", "min", "max", "exp",
    "cbrt",
];

impl Formula {
    /// Parses `text`; variable names must be in `variables`.
    pub fn parse(text: &str, variables: &[&str]) -> Result<Formula, String> {
        let tokens = tokenize(text)?;
        let mut p = Parser {
            tokens,
            at: 0,
            variables,
        };
        let expr = p.or()?;
        if let Some(t) = p.tokens.get(p.at) {
            return Err(format!("unexpected `{}`", t.text()));
        }
        Ok(Formula {
            expr,
            text: text.trim().to_string(),
        })
    }

    /// The formula's value with these variables.
    pub fn eval(&self, vars: &dyn Fn(&str) -> Option<f64>) -> Result<Value, String> {
        eval(&self.expr, vars)
    }
}

/// A condition such as `> 12`, applied to a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    formula: Formula,
    pub text: String,
}

impl Condition {
    pub fn parse(text: &str, variables: &[&str]) -> Result<Condition, String> {
        let mut vars: Vec<&str> = variables.to_vec();
        vars.push("__score__");
        let formula = Formula::parse(&format!("__score__ {text}"), &vars)?;
        Ok(Condition {
            formula,
            text: text.trim().to_string(),
        })
    }

    /// Does `score` meet the condition? Vale compares the score as printed
    /// with six decimals (`%f`), so this does too.
    pub fn holds(&self, score: f64, vars: &dyn Fn(&str) -> Option<f64>) -> Result<bool, String> {
        let shown: f64 = format!("{score:.6}").parse().unwrap_or(score);
        let with = |name: &str| {
            if name == "__score__" {
                Some(shown)
            } else {
                vars(name)
            }
        };
        match self.formula.eval(&with)? {
            Value::Bool(b) => Ok(b),
            _ => Err(format!("`{}` is not a comparison", self.text)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Num(Value),
    Name(String),
    Sym(&'static str),
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Num(Value::Int(i)) => i.to_string(),
            Token::Num(Value::Float(f)) => f.to_string(),
            Token::Num(Value::Bool(b)) => b.to_string(),
            Token::Name(n) => n.clone(),
            Token::Sym(s) => s.to_string(),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    const SYMS: &[&str] = &[
        "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "(", ")", "<", ">", "!", ",",
    ];
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i] as char;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let s = &text[start..i];
            let v = if s.contains('.') {
                Value::Float(s.parse().map_err(|_| format!("bad number `{s}`"))?)
            } else {
                Value::Int(s.parse().map_err(|_| format!("bad number `{s}`"))?)
            };
            out.push(Token::Num(v));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Token::Name(text[start..i].to_string()));
        } else if let Some(s) = SYMS.iter().find(|s| text[i..].starts_with(**s)) {
            out.push(Token::Sym(s));
            i += s.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or(c);
            return Err(format!("unexpected `{ch}`"));
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    variables: &'a [&'a str],
}

impl Parser<'_> {
    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.tokens.get(self.at), Some(Token::Sym(s)) if *s == sym) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn binary(
        &mut self,
        ops: &[(&str, Op)],
        next: fn(&mut Self) -> Result<Expr, String>,
    ) -> Result<Expr, String> {
        let mut left = next(self)?;
        'outer: loop {
            for (sym, op) in ops {
                if self.eat(sym) {
                    let right = next(self)?;
                    left = Expr::Bin(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        self.binary(&[("||", Op::Or)], Self::and)
    }
    fn and(&mut self) -> Result<Expr, String> {
        self.binary(&[("&&", Op::And)], Self::compare)
    }
    fn compare(&mut self) -> Result<Expr, String> {
        self.binary(
            &[
                ("<=", Op::Le),
                (">=", Op::Ge),
                ("==", Op::Eq),
                ("!=", Op::Ne),
                ("<", Op::Lt),
                (">", Op::Gt),
            ],
            Self::sum,
        )
    }
    fn sum(&mut self) -> Result<Expr, String> {
        self.binary(&[("+", Op::Add), ("-", Op::Sub)], Self::product)
    }
    fn product(&mut self) -> Result<Expr, String> {
        self.binary(
            &[("*", Op::Mul), ("/", Op::Div), ("%", Op::Rem)],
            Self::unary,
        )
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.eat("+") {
            return self.unary();
        }
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.atom()
    }
    fn atom(&mut self) -> Result<Expr, String> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        match token {
            Some(Token::Num(v)) => Ok(Expr::Num(v)),
            Some(Token::Sym("(")) => {
                let e = self.or()?;
                if !self.eat(")") {
                    return Err("missing `)`".into());
                }
                Ok(e)
            }
            Some(Token::Name(name)) if name == "true" || name == "false" => {
                Ok(Expr::Num(Value::Bool(name == "true")))
            }
            Some(Token::Name(name)) => {
                if let Some(f) = name.strip_prefix("math.") {
                    if !FUNCTIONS.contains(&f) {
                        return Err(format!("unknown function `{name}`"));
                    }
                    if !self.eat("(") {
                        return Err(format!("`{name}` needs arguments in parentheses"));
                    }
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.or()?);
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return Err(format!("missing `)` after the arguments of `{name}`"));
                            }
                        }
                    }
                    return Ok(Expr::Call(f.to_string(), args));
                }
                if !self.variables.contains(&name.as_str()) {
                    let known = self.variables.iter().filter(|v| !v.starts_with("__"));
                    return Err(format!(
                        "unknown variable `{name}` (known: {})",
                        known.copied().collect::<Vec<_>>().join(", ")
                    ));
                }
                Ok(Expr::Var(name))
            }
            Some(t) => Err(format!("unexpected `{}`", t.text())),
            None => Err("the expression ends too early".into()),
        }
    }
}

fn eval(e: &Expr, vars: &dyn Fn(&str) -> Option<f64>) -> Result<Value, String> {
    Ok(match e {
        Expr::Num(v) => *v,
        Expr::Var(name) => Value::Float(vars(name).unwrap_or(0.0)),
        Expr::Neg(x) => match eval(x, vars)? {
            Value::Int(i) => Value::Int(-i),
            Value::Float(f) => Value::Float(-f),
            Value::Bool(_) => return Err("cannot negate a comparison".into()),
        },
        Expr::Not(x) => match eval(x, vars)? {
            Value::Bool(b) => Value::Bool(!b),
            _ => return Err("`!` needs a comparison".into()),
        },
        Expr::Call(f, args) => {
            let a: Vec<f64> = args
                .iter()
                .map(|x| {
                    eval(x, vars)?
                        .as_f64()
                        .ok_or_else(|| format!("`math.{f}` needs numbers"))
                })
                .collect::<Result<_, _>>()?;
            call(f, &a)?
        }
        Expr::Bin(op, l, r) => binary(*op, eval(l, vars)?, eval(r, vars)?)?,
    })
}

fn call(f: &str, a: &[f64]) -> Result<Value, String> {
    let arity = match f {
        "pow" | "min" | "max" => 2,
        _ => 1,
    };
    if a.len() != arity {
        return Err(format!(
            "`math.{f}` takes {arity} argument(s), got {}",
            a.len()
        ));
    }
    Ok(Value::Float(match f {
        "sqrt" => a[0].sqrt(),
        "cbrt" => a[0].cbrt(),
        "pow" => a[0].powf(a[1]),
        "log" => a[0].ln(),
        "log10" => a[0].log10(),
        "log2" => a[0].log2(),
        "exp" => a[0].exp(),
        "abs" => a[0].abs(),
        "floor" => a[0].floor(),
        "ceil" => a[0].ceil(),
        "round" => a[0].round(),
        "min" => a[0].min(a[1]),
        _ => a[0].max(a[1]),
    }))
}

fn binary(op: Op, l: Value, r: Value) -> Result<Value, String> {
    use Value::{Bool, Float, Int};
    if let (Op::And | Op::Or, Bool(a), Bool(b)) = (op, l, r) {
        return Ok(Bool(if op == Op::And { a && b } else { a || b }));
    }
    if let (Int(a), Int(b)) = (l, r) {
        return Ok(match op {
            Op::Add => Int(a.wrapping_add(b)),
            Op::Sub => Int(a.wrapping_sub(b)),
            Op::Mul => Int(a.wrapping_mul(b)),
            Op::Div | Op::Rem if b == 0 => return Err("division by zero".into()),
            Op::Div => Int(a / b),
            Op::Rem => Int(a % b),
            _ => return compare(op, a as f64, b as f64),
        });
    }
    let (Some(a), Some(b)) = (l.as_f64(), r.as_f64()) else {
        return Err("arithmetic on a comparison".into());
    };
    Ok(match op {
        Op::Add => Float(a + b),
        Op::Sub => Float(a - b),
        Op::Mul => Float(a * b),
        Op::Div => Float(a / b),
        Op::Rem => Float(a % b),
        _ => return compare(op, a, b),
    })
}

fn compare(op: Op, a: f64, b: f64) -> Result<Value, String> {
    Ok(Value::Bool(match op {
        Op::Lt => a < b,
        Op::Le => a <= b,
        Op::Gt => a > b,
        Op::Ge => a >= b,
        Op::Eq => a == b,
        Op::Ne => a != b,
        _ => return Err("`&&` and `||` need comparisons".into()),
    }))
}

/// Variables as a map, for callers that hold them so.
pub fn lookup(map: &HashMap<String, f64>) -> impl Fn(&str) -> Option<f64> + '_ {
    move |name| map.get(name).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(name: &str) -> Option<f64> {
        match name {
            "words" => Some(100.0),
            "sentences" => Some(5.0),
            "polysyllabic_words" => Some(12.0),
            _ => None,
        }
    }

    #[test]
    fn evaluates_readability_formulas() {
        let f = Formula::parse(
            "1.0430 * math.sqrt((polysyllabic_words * 30.0) / sentences) + 3.1291",
            &["polysyllabic_words", "sentences"],
        )
        .unwrap();
        let v = f.eval(&vars).unwrap().as_f64().unwrap();
        assert!((v - (1.043 * 72f64.sqrt() + 3.1291)).abs() < 1e-9);
    }

    #[test]
    fn integers_divide_as_integers() {
        let f = Formula::parse("7 / 2 + words / 8", &["words"]).unwrap();
        assert_eq!(f.eval(&vars).unwrap(), Value::Float(3.0 + 12.5));
    }

    #[test]
    fn conditions_compare_the_printed_score() {
        let c = Condition::parse("> 12", &[]).unwrap();
        assert!(c.holds(12.0000004, &vars).is_err() || !c.holds(12.0000004, &vars).unwrap());
        assert!(c.holds(12.5, &vars).unwrap());
        assert!(Condition::parse("< 70 && > 10", &[]).is_err());
    }

    #[test]
    fn errors_name_the_problem() {
        let e = Formula::parse("wordz / sentences", &["words", "sentences"]).unwrap_err();
        assert!(e.contains("unknown variable `wordz`"), "{e}");
        assert!(Formula::parse("(words", &["words"])
            .unwrap_err()
            .contains("missing `)`"));
        assert!(Formula::parse("math.nope(1)", &[]).is_err());
    }
}
