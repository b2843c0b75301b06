//! The syntax tree of a Tengo script. Every statement and expression keeps
//! where it starts, so runtime errors name a line and column.

use std::sync::Arc;

use super::Pos;

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Ident(Arc<str>),
    Int(i64),
    Float(f64),
    Char(char),
    Str(Arc<str>),
    Bool(bool),
    Undefined,
    Array(Vec<Expr>),
    /// Keys in source order.
    Map(Vec<(Arc<str>, Expr)>),
    Func(Arc<FuncLit>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>),
    /// `a && b`, `a || b`: the right side runs only when needed.
    Logical(&'static str, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        /// `f(a, rest...)`: the last argument is spread.
        spread: bool,
    },
    Index(Box<Expr>, Box<Expr>),
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `a.b`, the same as `a["b"]`.
    Selector(Box<Expr>, Arc<str>),
    /// `error(x)`.
    Error(Box<Expr>),
    /// `immutable(x)`.
    Immutable(Box<Expr>),
    /// `import("name")`.
    Import(String),
}

#[derive(Debug)]
pub struct FuncLit {
    pub params: Vec<Arc<str>>,
    /// The last parameter collects the rest (`func(a, ...rest)`).
    pub variadic: bool,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone)]
pub struct Stmt {
    pub kind: StmtKind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum StmtKind {
    Expr(Expr),
    /// `name := value`.
    Define(Arc<str>, Expr),
    /// `target = value`, or `target op= value` with the operator (`+`, `<<`…).
    Assign(Expr, Option<&'static str>, Expr),
    /// `x++` (1) or `x--` (-1).
    IncDec(Expr, i64),
    If {
        init: Option<Box<Stmt>>,
        cond: Expr,
        then: Vec<Stmt>,
        otherwise: Option<Vec<Stmt>>,
    },
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        post: Option<Box<Stmt>>,
        body: Vec<Stmt>,
    },
    /// `for k, v in x` (key is `None` for `for v in x`).
    ForIn {
        key: Option<Arc<str>>,
        value: Arc<str>,
        iterable: Expr,
        body: Vec<Stmt>,
    },
    Block(Vec<Stmt>),
    Return(Option<Expr>),
    Break,
    Continue,
}
