//! The tree-walking evaluator. Names live in a chain of block scopes shared
//! by `Rc`, so closures capture variables (not copies), as in Tengo. Every
//! statement, loop turn and call spends one step of a budget; past it, or
//! past the call depth, the run stops with an error instead of hanging.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use super::ast::{Expr, ExprKind, FuncLit, Stmt, StmtKind};
use super::value::{Closure, Value};
use super::{builtins, modules, Pos, ScriptError};

/// Deepest chain of script function calls (Tengo's own limit is 1024 frames;
/// this one keeps the native stack small on worker threads).
pub const MAX_CALL_DEPTH: usize = 200;
/// Native stack a run may use, measured from where it started: frames are
/// far larger in debug builds, and worker threads have small stacks, so the
/// call depth alone cannot keep a deep recursion from overflowing.
const STACK_LIMIT: usize = 768 << 10;
/// Longest string and longest array a script may build.
pub const MAX_STRING: usize = 64 << 20;
pub const MAX_ARRAY: usize = 4 << 20;

/// A variable: a shared cell, so closures see later writes.
type Cell = Rc<RefCell<Value>>;

/// One block's names.
pub struct Scope {
    vars: RefCell<Vec<(Arc<str>, Cell)>>,
    parent: Option<Rc<Scope>>,
}

impl Scope {
    pub fn new(parent: Option<Rc<Scope>>) -> Rc<Scope> {
        Rc::new(Scope {
            vars: RefCell::new(Vec::new()),
            parent,
        })
    }

    pub fn define(&self, name: &Arc<str>, value: Value) -> Cell {
        let cell = Rc::new(RefCell::new(value));
        if &**name != "_" {
            self.vars.borrow_mut().push((name.clone(), cell.clone()));
        }
        cell
    }

    pub fn lookup(&self, name: &str) -> Option<Cell> {
        let mut scope = Some(self);
        while let Some(s) = scope {
            if let Some((_, cell)) = s.vars.borrow().iter().rev().find(|(n, _)| &**n == name) {
                return Some(cell.clone());
            }
            scope = s.parent.as_deref();
        }
        None
    }
}

/// How a statement ended.
enum Flow {
    Normal,
    Break,
    Continue,
    Return(Value),
}

type Run<T> = Result<T, ScriptError>;

pub struct Interp {
    /// Address of a local of `run`, where this run's stack use starts.
    stack_base: usize,
    steps: u64,
    budget: u64,
    depth: usize,
    modules: BTreeMap<String, Value>,
}

impl Interp {
    pub fn new(budget: u64) -> Interp {
        Interp {
            stack_base: 0,
            steps: 0,
            budget,
            depth: 0,
            modules: BTreeMap::new(),
        }
    }

    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Runs `body` in `globals`.
    pub fn run(&mut self, body: &[Stmt], globals: &Rc<Scope>) -> Run<()> {
        let base = 0u8;
        self.stack_base = std::ptr::addr_of!(base) as usize;
        match self.block_in(body, globals)? {
            Flow::Normal | Flow::Return(_) => Ok(()),
            Flow::Break | Flow::Continue => Ok(()),
        }
    }

    fn step(&mut self, pos: Pos) -> Run<()> {
        self.steps += 1;
        if self.steps > self.budget {
            return Err(ScriptError::new(
                pos,
                format!(
                    "the script ran past its budget of {} steps (an endless loop?)",
                    self.budget
                ),
            ));
        }
        Ok(())
    }

    fn block(&mut self, body: &[Stmt], parent: &Rc<Scope>) -> Run<Flow> {
        let scope = Scope::new(Some(parent.clone()));
        self.block_in(body, &scope)
    }

    fn block_in(&mut self, body: &[Stmt], scope: &Rc<Scope>) -> Run<Flow> {
        for stmt in body {
            match self.stmt(stmt, scope)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, stmt: &Stmt, scope: &Rc<Scope>) -> Run<Flow> {
        self.step(stmt.pos)?;
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.expr(e, scope)?;
            }
            StmtKind::Define(name, value) => {
                if matches!(value.kind, ExprKind::Func(_)) {
                    // Defined first so the function can call itself.
                    let cell = scope.define(name, Value::Undefined);
                    let v = self.expr(value, scope)?;
                    *cell.borrow_mut() = v;
                } else {
                    let v = self.expr(value, scope)?;
                    scope.define(name, v);
                }
            }
            StmtKind::Assign(target, op, value) => {
                let v = match op {
                    Some(op) => {
                        let current = self.expr(target, scope)?;
                        let rhs = self.expr(value, scope)?;
                        binary(op, &current, &rhs).map_err(|m| ScriptError::new(stmt.pos, m))?
                    }
                    None => self.expr(value, scope)?,
                };
                self.assign(target, v, scope)?;
            }
            StmtKind::IncDec(target, by) => {
                let current = self.expr(target, scope)?;
                let v = binary("+", &current, &Value::Int(*by))
                    .map_err(|m| ScriptError::new(stmt.pos, m))?;
                self.assign(target, v, scope)?;
            }
            StmtKind::If {
                init,
                cond,
                then,
                otherwise,
            } => {
                let inner = Scope::new(Some(scope.clone()));
                if let Some(init) = init {
                    self.stmt(init, &inner)?;
                }
                let flow = if !self.expr(cond, &inner)?.is_falsy() {
                    self.block(then, &inner)?
                } else if let Some(otherwise) = otherwise {
                    self.block(otherwise, &inner)?
                } else {
                    Flow::Normal
                };
                return Ok(flow);
            }
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                let inner = Scope::new(Some(scope.clone()));
                if let Some(init) = init {
                    self.stmt(init, &inner)?;
                }
                loop {
                    self.step(stmt.pos)?;
                    if let Some(cond) = cond {
                        if self.expr(cond, &inner)?.is_falsy() {
                            break;
                        }
                    }
                    match self.block(body, &inner)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                    if let Some(post) = post {
                        self.stmt(post, &inner)?;
                    }
                }
            }
            StmtKind::ForIn {
                key,
                value,
                iterable,
                body,
            } => {
                let x = self.expr(iterable, scope)?;
                let pairs = iteration(&x).map_err(|m| ScriptError::new(iterable.pos, m))?;
                for (k, v) in pairs {
                    self.step(stmt.pos)?;
                    let inner = Scope::new(Some(scope.clone()));
                    if let Some(key) = key {
                        inner.define(key, k);
                    }
                    inner.define(value, v);
                    match self.block_in(body, &inner)? {
                        Flow::Break => break,
                        Flow::Return(v) => return Ok(Flow::Return(v)),
                        Flow::Normal | Flow::Continue => {}
                    }
                }
            }
            StmtKind::Block(body) => return self.block(body, scope),
            StmtKind::Return(value) => {
                let v = match value {
                    Some(e) => self.expr(e, scope)?,
                    None => Value::Undefined,
                };
                return Ok(Flow::Return(v));
            }
            StmtKind::Break => return Ok(Flow::Break),
            StmtKind::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn assign(&mut self, target: &Expr, v: Value, scope: &Rc<Scope>) -> Run<()> {
        match &target.kind {
            ExprKind::Ident(name) => {
                if &**name == "_" {
                    return Ok(());
                }
                let cell = scope.lookup(name).ok_or_else(|| {
                    ScriptError::new(target.pos, format!("unresolved reference `{name}`"))
                })?;
                *cell.borrow_mut() = v;
                Ok(())
            }
            ExprKind::Index(base, index) => {
                let b = self.expr(base, scope)?;
                let i = self.expr(index, scope)?;
                set_index(&b, &i, v).map_err(|m| ScriptError::new(target.pos, m))
            }
            ExprKind::Selector(base, name) => {
                let b = self.expr(base, scope)?;
                set_index(&b, &Value::str(name), v).map_err(|m| ScriptError::new(target.pos, m))
            }
            _ => Err(ScriptError::new(
                target.pos,
                "cannot assign to this expression",
            )),
        }
    }

    pub fn expr(&mut self, e: &Expr, scope: &Rc<Scope>) -> Run<Value> {
        let at = |m: String| ScriptError::new(e.pos, m);
        Ok(match &e.kind {
            ExprKind::Ident(name) => match scope.lookup(name) {
                Some(cell) => cell.borrow().clone(),
                None => builtins::lookup(name)
                    .ok_or_else(|| at(format!("unresolved reference `{name}`")))?,
            },
            ExprKind::Int(n) => Value::Int(*n),
            ExprKind::Float(f) => Value::Float(*f),
            ExprKind::Char(c) => Value::Char(*c),
            ExprKind::Str(s) => Value::str(s),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Undefined => Value::Undefined,
            ExprKind::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.expr(item, scope)?);
                }
                Value::array(out)
            }
            ExprKind::Map(entries) => {
                let mut out = BTreeMap::new();
                for (k, v) in entries {
                    let v = self.expr(v, scope)?;
                    out.insert(k.to_string(), v);
                }
                Value::map(out)
            }
            ExprKind::Func(lit) => Value::Func(Rc::new(Closure {
                lit: lit.clone(),
                scope: scope.clone(),
            })),
            ExprKind::Unary(op, operand) => {
                let v = self.expr(operand, scope)?;
                unary(op, &v).map_err(at)?
            }
            ExprKind::Binary(op, l, r) => {
                let l = self.expr(l, scope)?;
                let r = self.expr(r, scope)?;
                binary(op, &l, &r).map_err(at)?
            }
            ExprKind::Logical(op, l, r) => {
                let l = self.expr(l, scope)?;
                let short = if *op == "&&" {
                    l.is_falsy()
                } else {
                    !l.is_falsy()
                };
                if short {
                    l
                } else {
                    self.expr(r, scope)?
                }
            }
            ExprKind::Ternary(c, yes, no) => {
                if self.expr(c, scope)?.is_falsy() {
                    self.expr(no, scope)?
                } else {
                    self.expr(yes, scope)?
                }
            }
            ExprKind::Call { func, args, spread } => {
                let f = self.expr(func, scope)?;
                let mut values = Vec::with_capacity(args.len());
                for a in args {
                    values.push(self.expr(a, scope)?);
                }
                if *spread {
                    match values.pop() {
                        Some(Value::Array(a, _)) => values.extend(a.borrow().iter().cloned()),
                        Some(other) => {
                            return Err(at(format!(
                                "only an array can be spread with `...`, not {}",
                                other.type_name()
                            )))
                        }
                        None => {}
                    }
                }
                self.call(&f, values, e.pos)?
            }
            ExprKind::Index(base, index) => {
                let b = self.expr(base, scope)?;
                let i = self.expr(index, scope)?;
                get_index(&b, &i).map_err(at)?
            }
            ExprKind::Selector(base, name) => {
                let b = self.expr(base, scope)?;
                get_index(&b, &Value::str(name)).map_err(at)?
            }
            ExprKind::Slice(base, low, high) => {
                let b = self.expr(base, scope)?;
                let low = match low {
                    Some(l) => Some(self.expr(l, scope)?),
                    None => None,
                };
                let high = match high {
                    Some(h) => Some(self.expr(h, scope)?),
                    None => None,
                };
                slice(&b, low.as_ref(), high.as_ref()).map_err(at)?
            }
            ExprKind::Error(inner) => {
                let v = self.expr(inner, scope)?;
                Value::Error(Rc::new(v))
            }
            ExprKind::Immutable(inner) => match self.expr(inner, scope)? {
                Value::Array(a, _) => Value::Array(Rc::new(RefCell::new(a.borrow().clone())), true),
                Value::Map(m, _) => Value::Map(Rc::new(RefCell::new(m.borrow().clone())), true),
                other => other,
            },
            ExprKind::Import(name) => {
                if let Some(m) = self.modules.get(name) {
                    m.clone()
                } else {
                    let m = modules::module(name).ok_or_else(|| {
                        at(format!("module `{name}` is not available to Vale scripts"))
                    })?;
                    self.modules.insert(name.clone(), m.clone());
                    m
                }
            }
        })
    }

    /// Calls a script function or a native one.
    pub fn call(&mut self, f: &Value, args: Vec<Value>, pos: Pos) -> Run<Value> {
        self.step(pos)?;
        match f {
            Value::Func(closure) => self.call_closure(closure, args, pos),
            Value::Native(_, native) => native(self, args).map_err(|m| ScriptError::new(pos, m)),
            Value::Method(re, name) => {
                super::regexp::call_method(re, name, args).map_err(|m| ScriptError::new(pos, m))
            }
            other => Err(ScriptError::new(
                pos,
                format!("{} is not callable", other.type_name()),
            )),
        }
    }

    fn call_closure(&mut self, closure: &Closure, mut args: Vec<Value>, pos: Pos) -> Run<Value> {
        let lit: &FuncLit = &closure.lit;
        let fixed = lit.params.len() - usize::from(lit.variadic);
        if (lit.variadic && args.len() < fixed) || (!lit.variadic && args.len() != fixed) {
            return Err(ScriptError::new(
                pos,
                format!(
                    "wrong number of arguments: want={}{fixed}, got={}",
                    if lit.variadic { ">=" } else { "" },
                    args.len()
                ),
            ));
        }
        let here = 0u8;
        let used = self.stack_base.abs_diff(std::ptr::addr_of!(here) as usize);
        if self.depth >= MAX_CALL_DEPTH || used > STACK_LIMIT {
            return Err(ScriptError::new(
                pos,
                format!("calls nested deeper than {MAX_CALL_DEPTH} (endless recursion?)"),
            ));
        }
        let scope = Scope::new(Some(closure.scope.clone()));
        let rest = if lit.variadic {
            Some(args.split_off(fixed))
        } else {
            None
        };
        for (name, v) in lit.params.iter().zip(args) {
            scope.define(name, v);
        }
        if let (Some(rest), Some(name)) = (rest, lit.params.last()) {
            scope.define(name, Value::array(rest));
        }
        self.depth += 1;
        let flow = self.block_in(&lit.body, &scope);
        self.depth -= 1;
        Ok(match flow? {
            Flow::Return(v) => v,
            _ => Value::Undefined,
        })
    }
}

/// `(key, value)` pairs of `for k, v in x`: index and element of an array,
/// key and value of a map, rune index and character of a string; nothing
/// for `undefined` (Tengo iterates it as empty, so `for m in re_find(…)`
/// needs no guard).
fn iteration(x: &Value) -> Result<Vec<(Value, Value)>, String> {
    Ok(match x {
        Value::Array(a, _) => a
            .borrow()
            .iter()
            .enumerate()
            .map(|(i, v)| (Value::Int(i as i64), v.clone()))
            .collect(),
        Value::Map(m, _) => m
            .borrow()
            .iter()
            .map(|(k, v)| (Value::str(k), v.clone()))
            .collect(),
        Value::Str(s) => s
            .chars()
            .enumerate()
            .map(|(i, c)| (Value::Int(i as i64), Value::Char(c)))
            .collect(),
        Value::Undefined => Vec::new(),
        other => return Err(format!("{} is not iterable", other.type_name())),
    })
}

pub fn get_index(base: &Value, index: &Value) -> Result<Value, String> {
    match base {
        Value::Array(a, _) => {
            let a = a.borrow();
            let i = int_index(index)?;
            usize::try_from(i)
                .ok()
                .and_then(|i| a.get(i))
                .cloned()
                .ok_or_else(|| format!("index {i} out of bounds (length {})", a.len()))
        }
        Value::Map(m, _) => {
            let key = map_key(index)?;
            Ok(m.borrow().get(&key).cloned().unwrap_or(Value::Undefined))
        }
        Value::Str(s) => {
            let i = int_index(index)?;
            usize::try_from(i)
                .ok()
                .and_then(|i| s.chars().nth(i))
                .map(Value::Char)
                .ok_or_else(|| format!("index {i} out of bounds (length {})", s.chars().count()))
        }
        Value::Undefined => Ok(Value::Undefined),
        Value::Error(v) => match index {
            Value::Str(k) if &**k == "value" => Ok((**v).clone()),
            other => Err(format!(
                "cannot read `{}` of an error value (an error has only `.value`): {}",
                other.display(),
                base.display()
            )),
        },
        Value::Regexp(re) => match index {
            Value::Str(k) => super::regexp::method(re, k)
                .ok_or_else(|| format!("a compiled regex has no method `{k}`")),
            _ => Err("a compiled regex is indexed by method name".into()),
        },
        other => Err(format!("{} cannot be indexed", other.type_name())),
    }
}

fn set_index(base: &Value, index: &Value, v: Value) -> Result<(), String> {
    match base {
        Value::Array(_, true) | Value::Map(_, true) => {
            Err(format!("{} cannot be changed", base.type_name()))
        }
        Value::Array(a, false) => {
            let mut a = a.borrow_mut();
            let len = a.len();
            let i = int_index(index)?;
            let slot = usize::try_from(i)
                .ok()
                .and_then(|i| a.get_mut(i))
                .ok_or_else(|| format!("index {i} out of bounds (length {len})"))?;
            *slot = v;
            Ok(())
        }
        Value::Map(m, false) => {
            m.borrow_mut().insert(map_key(index)?, v);
            Ok(())
        }
        other => Err(format!("{} cannot be assigned into", other.type_name())),
    }
}

fn int_index(index: &Value) -> Result<i64, String> {
    match index {
        Value::Int(i) => Ok(*i),
        Value::Char(c) => Ok(*c as i64),
        other => Err(format!(
            "an index must be an int, not {}",
            other.type_name()
        )),
    }
}

fn map_key(index: &Value) -> Result<String, String> {
    index
        .to_text()
        .ok_or_else(|| "a map key must not be undefined".to_string())
}

fn slice(base: &Value, low: Option<&Value>, high: Option<&Value>) -> Result<Value, String> {
    let len = match base {
        Value::Array(a, _) => a.borrow().len(),
        Value::Str(s) => s.len(),
        other => return Err(format!("{} cannot be sliced", other.type_name())),
    } as i64;
    let low = low.map(int_index).transpose()?.unwrap_or(0);
    let high = high.map(int_index).transpose()?.unwrap_or(len).min(len);
    if low < 0 || low > high {
        return Err(format!("invalid slice index: {low} > {high}"));
    }
    let (low, high) = (low as usize, high as usize);
    Ok(match base {
        Value::Array(a, imm) => {
            Value::Array(Rc::new(RefCell::new(a.borrow()[low..high].to_vec())), *imm)
        }
        Value::Str(s) => match s.get(low..high) {
            Some(part) => Value::str(part),
            // Go slices bytes; a cut inside a character keeps what is whole.
            None => Value::str(&String::from_utf8_lossy(&s.as_bytes()[low..high])),
        },
        _ => unreachable!("checked above"),
    })
}

fn unary(op: &str, v: &Value) -> Result<Value, String> {
    Ok(match (op, v) {
        ("!", v) => Value::Bool(v.is_falsy()),
        ("-", Value::Int(n)) => Value::Int(n.wrapping_neg()),
        ("-", Value::Float(f)) => Value::Float(-f),
        ("+", Value::Int(_) | Value::Float(_)) => v.clone(),
        ("^", Value::Int(n)) => Value::Int(!n),
        (op, v) => return Err(format!("invalid operation: {op}{}", v.type_name())),
    })
}

/// Tengo's binary operators on two values.
pub fn binary(op: &str, l: &Value, r: &Value) -> Result<Value, String> {
    match op {
        "==" => return Ok(Value::Bool(l.equals(r))),
        "!=" => return Ok(Value::Bool(!l.equals(r))),
        _ => {}
    }
    let invalid = || {
        format!(
            "invalid operation: {} {op} {}",
            l.type_name(),
            r.type_name()
        )
    };
    Ok(match (l, r) {
        (Value::Int(a), Value::Int(b)) => int_op(op, *a, *b)?.ok_or_else(invalid)?,
        (Value::Int(a), Value::Float(b)) => float_op(op, *a as f64, *b).ok_or_else(invalid)?,
        (Value::Float(a), Value::Float(b)) => float_op(op, *a, *b).ok_or_else(invalid)?,
        (Value::Float(a), Value::Int(b)) => float_op(op, *a, *b as f64).ok_or_else(invalid)?,
        (Value::Char(a), Value::Char(b)) => {
            char_op(op, *a as i64, *b as i64).ok_or_else(invalid)?
        }
        (Value::Char(a), Value::Int(b)) | (Value::Int(b), Value::Char(a))
            if matches!(op, "+" | "-") =>
        {
            let n = if op == "+" {
                *a as i64 + b
            } else {
                *a as i64 - b
            };
            char_of(n)?
        }
        (Value::Char(a), Value::Int(b)) => compare(op, (*a as i64).cmp(b)).ok_or_else(invalid)?,
        (Value::Int(a), Value::Char(b)) => compare(op, a.cmp(&(*b as i64))).ok_or_else(invalid)?,
        (Value::Str(a), Value::Str(b)) if op == "+" => concat(a, b)?,
        (Value::Str(a), other) if op == "+" => concat(a, &other.display())?,
        (Value::Str(a), Value::Str(b)) => compare(op, a.cmp(b)).ok_or_else(invalid)?,
        (Value::Array(a, _), Value::Array(b, _)) if op == "+" => {
            let mut out = a.borrow().clone();
            out.extend(b.borrow().iter().cloned());
            if out.len() > MAX_ARRAY {
                return Err(format!("an array may hold at most {MAX_ARRAY} items"));
            }
            Value::array(out)
        }
        _ => return Err(invalid()),
    })
}

fn concat(a: &str, b: &str) -> Result<Value, String> {
    if a.len() + b.len() > MAX_STRING {
        return Err(format!("a string may be at most {MAX_STRING} bytes long"));
    }
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    Ok(Value::str(&s))
}

fn char_of(n: i64) -> Result<Value, String> {
    u32::try_from(n)
        .ok()
        .and_then(char::from_u32)
        .map(Value::Char)
        .ok_or_else(|| format!("{n} is not a character"))
}

fn compare(op: &str, ord: std::cmp::Ordering) -> Option<Value> {
    use std::cmp::Ordering::*;
    Some(Value::Bool(match op {
        "<" => ord == Less,
        "<=" => ord != Greater,
        ">" => ord == Greater,
        ">=" => ord != Less,
        _ => return None,
    }))
}

fn int_op(op: &str, a: i64, b: i64) -> Result<Option<Value>, String> {
    Ok(Some(Value::Int(match op {
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".into()),
        "/" => a.wrapping_div(b),
        "%" => a.wrapping_rem(b),
        "&" => a & b,
        "|" => a | b,
        "^" => a ^ b,
        "&^" => a & !b,
        "<<" | ">>" if b < 0 => return Err("negative shift amount".into()),
        "<<" => {
            if b >= 64 {
                0
            } else {
                a << b
            }
        }
        ">>" => a >> b.min(63),
        _ => return Ok(compare(op, a.cmp(&b))),
    })))
}

fn float_op(op: &str, a: f64, b: f64) -> Option<Value> {
    Some(Value::Float(match op {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        _ => return compare(op, a.partial_cmp(&b)?),
    }))
}

fn char_op(op: &str, a: i64, b: i64) -> Option<Value> {
    match op {
        "+" => char_of(a + b).ok(),
        "-" => char_of(a - b).ok(),
        _ => compare(op, a.cmp(&b)),
    }
}
