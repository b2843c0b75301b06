//! Tengo's grammar (Go's, trimmed) by recursive descent with Go's operator
//! precedence. The ternary `c ? a : b` binds loosest. Nesting is bounded so a
//! pathological script is a located error, not a stack overflow.

use std::sync::Arc;

use super::ast::{Expr, ExprKind, FuncLit, Stmt, StmtKind};
use super::lexer::{tokens, Tok};
use super::{Pos, ScriptError};

/// Deepest nesting of expressions and blocks a script may use.
const MAX_DEPTH: usize = 64;

/// Parses a whole script.
pub fn parse(src: &str) -> Result<Vec<Stmt>, ScriptError> {
    let mut p = Parser {
        toks: tokens(src)?,
        at: 0,
        depth: 0,
    };
    let mut out = Vec::new();
    while !p.is(&Tok::Eof) {
        if p.is(&Tok::Semi) {
            p.next();
            continue;
        }
        out.push(p.statement()?);
        p.end_statement()?;
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, Pos)>,
    at: usize,
    depth: usize,
}

fn binary_precedence(op: &str) -> Option<u8> {
    Some(match op {
        "||" => 1,
        "&&" => 2,
        "==" | "!=" | "<" | "<=" | ">" | ">=" => 3,
        "+" | "-" | "|" | "^" => 4,
        "*" | "/" | "%" | "<<" | ">>" | "&" | "&^" => 5,
        _ => return None,
    })
}

impl Parser {
    fn tok(&self) -> &Tok {
        &self.toks[self.at].0
    }

    fn pos(&self) -> Pos {
        self.toks[self.at].1
    }

    fn next(&mut self) -> Tok {
        let t = self.toks[self.at].0.clone();
        if self.at + 1 < self.toks.len() {
            self.at += 1;
        }
        t
    }

    fn is(&self, t: &Tok) -> bool {
        self.tok() == t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.tok(), Tok::Op(o) if *o == op)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.tok(), Tok::Keyword(k) if *k == kw)
    }

    fn error(&self, message: impl Into<String>) -> ScriptError {
        ScriptError::new(self.pos(), message)
    }

    fn unexpected(&self, wanted: &str) -> ScriptError {
        self.error(format!("expected {wanted}, found {}", describe(self.tok())))
    }

    fn expect_op(&mut self, op: &str) -> Result<(), ScriptError> {
        if self.is_op(op) {
            self.next();
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{op}`")))
        }
    }

    fn ident(&mut self) -> Result<Arc<str>, ScriptError> {
        match self.tok().clone() {
            Tok::Ident(name) => {
                self.next();
                Ok(name.into())
            }
            _ => Err(self.unexpected("a name")),
        }
    }

    fn enter(&mut self) -> Result<(), ScriptError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// After a statement: `;`, a newline, or the `}` / end that closes its block.
    fn end_statement(&mut self) -> Result<(), ScriptError> {
        if self.is(&Tok::Semi) {
            self.next();
            Ok(())
        } else if self.is_op("}") || self.is(&Tok::Eof) {
            Ok(())
        } else {
            Err(self.unexpected("the end of the statement"))
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, ScriptError> {
        self.enter()?;
        self.expect_op("{")?;
        let mut out = Vec::new();
        loop {
            if self.is(&Tok::Semi) {
                self.next();
                continue;
            }
            if self.is_op("}") {
                self.next();
                break;
            }
            if self.is(&Tok::Eof) {
                return Err(self.unexpected("`}`"));
            }
            out.push(self.statement()?);
            self.end_statement()?;
        }
        self.depth -= 1;
        Ok(out)
    }

    fn statement(&mut self) -> Result<Stmt, ScriptError> {
        let pos = self.pos();
        let kind = match self.tok() {
            Tok::Keyword("if") => return self.if_statement(),
            Tok::Keyword("for") => return self.for_statement(),
            Tok::Keyword("return") => {
                self.next();
                if self.is(&Tok::Semi) || self.is_op("}") || self.is(&Tok::Eof) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expr()?))
                }
            }
            Tok::Keyword("break") => {
                self.next();
                StmtKind::Break
            }
            Tok::Keyword("continue") => {
                self.next();
                StmtKind::Continue
            }
            Tok::Keyword("export") => return Err(self.error(
                "`export` belongs in a module; a Vale script is a main script and cannot export",
            )),
            Tok::Op("{") => StmtKind::Block(self.block()?),
            _ => return self.simple_statement(),
        };
        Ok(Stmt { kind, pos })
    }

    /// An expression, assignment, definition or `x++`.
    fn simple_statement(&mut self) -> Result<Stmt, ScriptError> {
        let pos = self.pos();
        let lhs = self.expr()?;
        if self.is_op(",") {
            return Err(
                self.error("assigning several values at once (`a, b := …`) is not part of Tengo")
            );
        }
        let kind = match self.tok().clone() {
            Tok::Op(":=") => {
                self.next();
                let ExprKind::Ident(name) = &lhs.kind else {
                    return Err(ScriptError::new(
                        lhs.pos,
                        "`:=` defines a name; the left side must be one",
                    ));
                };
                StmtKind::Define(name.clone(), self.expr()?)
            }
            Tok::Op(
                op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "&=" | "|=" | "^=" | "<<=" | ">>="
                | "&^="),
            ) => {
                self.next();
                check_target(&lhs)?;
                let compound = op.strip_suffix('=').filter(|o| !o.is_empty());
                let compound = compound.map(|o| {
                    binary_op(o).expect("every compound assignment has a binary operator")
                });
                StmtKind::Assign(lhs, compound, self.expr()?)
            }
            Tok::Op(op @ ("++" | "--")) => {
                self.next();
                check_target(&lhs)?;
                StmtKind::IncDec(lhs, if op == "++" { 1 } else { -1 })
            }
            _ => StmtKind::Expr(lhs),
        };
        Ok(Stmt { kind, pos })
    }

    fn if_statement(&mut self) -> Result<Stmt, ScriptError> {
        let pos = self.pos();
        self.next();
        let first = self.simple_statement()?;
        let (init, cond) = if self.is(&Tok::Semi) {
            self.next();
            (Some(Box::new(first)), self.expr()?)
        } else {
            match first.kind {
                StmtKind::Expr(e) => (None, e),
                _ => return Err(ScriptError::new(first.pos, "`if` needs a condition")),
            }
        };
        let then = self.block()?;
        let otherwise = if self.is_kw("else") {
            self.next();
            if self.is_kw("if") {
                Some(vec![self.if_statement()?])
            } else {
                Some(self.block()?)
            }
        } else {
            None
        };
        Ok(Stmt {
            kind: StmtKind::If {
                init,
                cond,
                then,
                otherwise,
            },
            pos,
        })
    }

    fn for_statement(&mut self) -> Result<Stmt, ScriptError> {
        let pos = self.pos();
        self.next();
        if self.is_op("{") {
            let body = self.block()?;
            return Ok(Stmt {
                kind: StmtKind::For {
                    init: None,
                    cond: None,
                    post: None,
                    body,
                },
                pos,
            });
        }
        // `for k, v in x` / `for v in x`.
        if let (Tok::Ident(first), Some(Tok::Op(sep) | Tok::Keyword(sep))) = (
            self.tok().clone(),
            self.toks.get(self.at + 1).map(|t| t.0.clone()),
        ) {
            if sep == "," || sep == "in" {
                self.next();
                let (key, value) = if sep == "," {
                    self.next();
                    (Some(first.into()), self.ident()?)
                } else {
                    (None, first.into())
                };
                if !self.is_kw("in") {
                    return Err(self.unexpected("`in`"));
                }
                self.next();
                let iterable = self.expr()?;
                let body = self.block()?;
                return Ok(Stmt {
                    kind: StmtKind::ForIn {
                        key,
                        value,
                        iterable,
                        body,
                    },
                    pos,
                });
            }
        }
        let init = if self.is(&Tok::Semi) {
            None
        } else {
            Some(self.simple_statement()?)
        };
        if self.is_op("{") {
            // `for cond {}`.
            let cond = match init.map(|s| s.kind) {
                Some(StmtKind::Expr(e)) => Some(e),
                _ => return Err(self.error("a `for` loop needs a condition here")),
            };
            let body = self.block()?;
            return Ok(Stmt {
                kind: StmtKind::For {
                    init: None,
                    cond,
                    post: None,
                    body,
                },
                pos,
            });
        }
        if !self.is(&Tok::Semi) {
            return Err(self.unexpected("`;` or `{`"));
        }
        self.next();
        let cond = if self.is(&Tok::Semi) {
            None
        } else {
            Some(self.expr()?)
        };
        if !self.is(&Tok::Semi) {
            return Err(self.unexpected("`;`"));
        }
        self.next();
        let post = if self.is_op("{") {
            None
        } else {
            Some(Box::new(self.simple_statement()?))
        };
        let body = self.block()?;
        Ok(Stmt {
            kind: StmtKind::For {
                init: init.map(Box::new),
                cond,
                post,
                body,
            },
            pos,
        })
    }

    fn expr(&mut self) -> Result<Expr, ScriptError> {
        self.enter()?;
        let cond = self.binary(1)?;
        let out = if self.is_op("?") {
            self.next();
            let yes = self.expr()?;
            self.expect_op(":")?;
            let no = self.expr()?;
            let pos = cond.pos;
            Expr {
                kind: ExprKind::Ternary(Box::new(cond), Box::new(yes), Box::new(no)),
                pos,
            }
        } else {
            cond
        };
        self.depth -= 1;
        Ok(out)
    }

    fn binary(&mut self, min: u8) -> Result<Expr, ScriptError> {
        let mut left = self.unary()?;
        while let Tok::Op(op) = *self.tok() {
            let Some(prec) = binary_precedence(op) else {
                break;
            };
            if prec < min {
                break;
            }
            let pos = self.pos();
            self.next();
            let right = self.binary(prec + 1)?;
            let kind = if op == "&&" || op == "||" {
                ExprKind::Logical(op, Box::new(left), Box::new(right))
            } else {
                ExprKind::Binary(op, Box::new(left), Box::new(right))
            };
            left = Expr { kind, pos };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ScriptError> {
        if let Tok::Op(op @ ("-" | "+" | "!" | "^")) = *self.tok() {
            let pos = self.pos();
            self.next();
            self.enter()?;
            let operand = self.unary()?;
            self.depth -= 1;
            return Ok(Expr {
                kind: ExprKind::Unary(op, Box::new(operand)),
                pos,
            });
        }
        let primary = self.primary()?;
        self.postfix(primary)
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr, ScriptError> {
        loop {
            let pos = self.pos();
            if self.is_op("(") {
                self.next();
                let mut args = Vec::new();
                let mut spread = false;
                while !self.is_op(")") {
                    args.push(self.expr()?);
                    if self.is_op("...") {
                        self.next();
                        spread = true;
                        break;
                    }
                    if !self.is_op(",") {
                        break;
                    }
                    self.next();
                }
                self.expect_op(")")?;
                e = Expr {
                    kind: ExprKind::Call {
                        func: Box::new(e),
                        args,
                        spread,
                    },
                    pos,
                };
            } else if self.is_op("[") {
                self.next();
                let low = if self.is_op(":") {
                    None
                } else {
                    Some(Box::new(self.expr()?))
                };
                if self.is_op(":") {
                    self.next();
                    let high = if self.is_op("]") {
                        None
                    } else {
                        Some(Box::new(self.expr()?))
                    };
                    self.expect_op("]")?;
                    e = Expr {
                        kind: ExprKind::Slice(Box::new(e), low, high),
                        pos,
                    };
                } else {
                    self.expect_op("]")?;
                    let Some(index) = low else {
                        return Err(ScriptError::new(pos, "expected an index"));
                    };
                    e = Expr {
                        kind: ExprKind::Index(Box::new(e), index),
                        pos,
                    };
                }
            } else if self.is_op(".") {
                self.next();
                let name = self.ident()?;
                e = Expr {
                    kind: ExprKind::Selector(Box::new(e), name),
                    pos,
                };
            } else {
                return Ok(e);
            }
        }
    }

    fn primary(&mut self) -> Result<Expr, ScriptError> {
        let pos = self.pos();
        let kind = match self.next() {
            Tok::Ident(name) => ExprKind::Ident(name.into()),
            Tok::Int(n) => ExprKind::Int(n),
            Tok::Float(f) => ExprKind::Float(f),
            Tok::Char(c) => ExprKind::Char(c),
            Tok::Str(s) => ExprKind::Str(s.into()),
            Tok::Keyword("true") => ExprKind::Bool(true),
            Tok::Keyword("false") => ExprKind::Bool(false),
            Tok::Keyword("undefined") => ExprKind::Undefined,
            Tok::Keyword(kw @ ("error" | "immutable")) => {
                self.expect_op("(")?;
                let inner = Box::new(self.expr()?);
                self.expect_op(")")?;
                if kw == "error" {
                    ExprKind::Error(inner)
                } else {
                    ExprKind::Immutable(inner)
                }
            }
            Tok::Keyword("import") => {
                self.expect_op("(")?;
                let Tok::Str(name) = self.next() else {
                    return Err(ScriptError::new(
                        pos,
                        "`import` takes a module name in quotes",
                    ));
                };
                self.expect_op(")")?;
                ExprKind::Import(name)
            }
            Tok::Keyword("func") => ExprKind::Func(Arc::new(self.func_rest()?)),
            Tok::Op("(") => {
                let inner = self.expr()?;
                self.expect_op(")")?;
                return Ok(inner);
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                self.skip_semis();
                while !self.is_op("]") {
                    items.push(self.expr()?);
                    self.skip_semis();
                    if !self.is_op(",") {
                        break;
                    }
                    self.next();
                    self.skip_semis();
                }
                self.expect_op("]")?;
                ExprKind::Array(items)
            }
            Tok::Op("{") => {
                let mut entries = Vec::new();
                self.skip_semis();
                while !self.is_op("}") {
                    let key: Arc<str> = match self.next() {
                        Tok::Ident(k) => k.into(),
                        Tok::Str(k) => k.into(),
                        Tok::Keyword(k) => k.into(),
                        _ => {
                            self.at -= 1;
                            return Err(self.unexpected("a map key (a name or a string)"));
                        }
                    };
                    self.expect_op(":")?;
                    entries.push((key, self.expr()?));
                    self.skip_semis();
                    if !self.is_op(",") {
                        break;
                    }
                    self.next();
                    self.skip_semis();
                }
                self.expect_op("}")?;
                ExprKind::Map(entries)
            }
            Tok::Keyword("in") => {
                return Err(ScriptError::new(
                    pos,
                    "`in` only appears in `for k, v in x`",
                ))
            }
            other => {
                self.at -= 1;
                return Err(ScriptError::new(
                    pos,
                    format!("expected an expression, found {}", describe(&other)),
                ));
            }
        };
        Ok(Expr { kind, pos })
    }

    /// Newlines inside brackets do not end anything.
    fn skip_semis(&mut self) {
        while self.is(&Tok::Semi) {
            self.next();
        }
    }

    /// `(a, b, ...rest) { body }` after `func`.
    fn func_rest(&mut self) -> Result<FuncLit, ScriptError> {
        self.expect_op("(")?;
        let mut params = Vec::new();
        let mut variadic = false;
        while !self.is_op(")") {
            if self.is_op("...") {
                self.next();
                variadic = true;
                params.push(self.ident()?);
                break;
            }
            params.push(self.ident()?);
            if !self.is_op(",") {
                break;
            }
            self.next();
        }
        self.expect_op(")")?;
        let body = self.block()?;
        Ok(FuncLit {
            params,
            variadic,
            body,
        })
    }
}

/// The operators with a `op=` form, as the static strings the tree holds.
fn binary_op(op: &str) -> Option<&'static str> {
    ["+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "&^"]
        .into_iter()
        .find(|o| *o == op)
}

/// Only names, indexes and selectors can be assigned to.
fn check_target(e: &Expr) -> Result<(), ScriptError> {
    match &e.kind {
        ExprKind::Ident(_) | ExprKind::Index(..) | ExprKind::Selector(..) => Ok(()),
        _ => Err(ScriptError::new(e.pos, "cannot assign to this expression")),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(n) => format!("`{n}`"),
        Tok::Int(n) => format!("`{n}`"),
        Tok::Float(f) => format!("`{f}`"),
        Tok::Char(c) => format!("'{c}'"),
        Tok::Str(_) => "a string".into(),
        Tok::Op(o) => format!("`{o}`"),
        Tok::Keyword(k) => format!("`{k}`"),
        Tok::Semi => "the end of the line".into(),
        Tok::Eof => "the end of the script".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_forms() {
        let s = parse("x := 1 + 2 * 3 == 7 && !false ? \"a\" : \"b\"").unwrap();
        let StmtKind::Define(_, e) = &s[0].kind else {
            panic!()
        };
        assert!(matches!(e.kind, ExprKind::Ternary(..)));
        let s = parse("for i := 0; i < 3; i++ { continue }\nfor k, v in m {}\nfor v in m {}\nfor {break}\nfor x < 3 {}").unwrap();
        assert_eq!(s.len(), 5);
        assert!(matches!(s[1].kind, StmtKind::ForIn { key: Some(_), .. }));
        assert!(matches!(s[2].kind, StmtKind::ForIn { key: None, .. }));
        let s = parse("if a := 1; a > 0 { } else if b { } else { }").unwrap();
        assert!(matches!(s[0].kind, StmtKind::If { init: Some(_), .. }));
        let s = parse(
            "m := {a: 1, \"b c\": [1,\n 2,\n],\n}\nf := func(a, ...r) { return a }\nf(1, [2]...)",
        )
        .unwrap();
        assert_eq!(s.len(), 3);
        assert!(parse("a[1:]\na[:2]\na[1:2]\na.b.c\nx += 1\nx &^= 2").is_ok());
    }

    #[test]
    fn errors_are_located() {
        let e = parse("a := 1\nif a {\n  b := \n}").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (4, 1), "{}", e.message);
        let e = parse("a, b := 1, 2").unwrap_err();
        assert!(e.message.contains("several values"), "{}", e.message);
        let e = parse("export {a: 1}").unwrap_err();
        assert!(e.message.contains("export"));
        let e = parse("1 = 2").unwrap_err();
        assert!(e.message.contains("cannot assign"));
        let deep = format!("x := {}1{}", "(".repeat(200), ")".repeat(200));
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        assert!(parse("for a, b c {}").is_err());
        assert!(parse("{").is_err());
    }
}
