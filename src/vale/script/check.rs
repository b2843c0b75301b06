//! What Tengo's compiler refuses, found when the rule loads rather than
//! when it first runs: names used before they are defined, a name defined
//! twice in one block, `break` outside a loop, modules Vale does not offer,
//! members a module lacks, and `text.re_*` patterns the regex helper cannot
//! compile (a note only: the script still runs and gets an error value, as
//! it would in Tengo).

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::{Expr, ExprKind, Stmt, StmtKind};
use super::{builtins, math, modules, Pos, ScriptError};

/// A problem found before running; `fatal` ones keep the rule from running.
#[derive(Debug, Clone)]
pub struct Problem {
    pub error: ScriptError,
    pub fatal: bool,
}

/// Checks `body` with `globals` (Vale's `scope`) predefined.
pub fn check(body: &[Stmt], globals: &[&str]) -> Vec<Problem> {
    let mut c = Checker {
        scopes: vec![globals.iter().map(|g| (Arc::from(*g), None)).collect()],
        loops: vec![0],
        problems: Vec::new(),
    };
    c.block(body, false);
    c.problems
}

struct Checker {
    /// Per block: each name, with the module it holds when it was defined by `import`.
    scopes: Vec<HashMap<Arc<str>, Option<String>>>,
    /// Loop nesting per function (`break` is legal when the last is > 0).
    loops: Vec<usize>,
    problems: Vec<Problem>,
}

impl Checker {
    fn fatal(&mut self, pos: Pos, message: String) {
        self.problems.push(Problem {
            error: ScriptError::new(pos, message),
            fatal: true,
        });
    }

    fn resolve(&self, name: &str) -> Option<&Option<String>> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn define(&mut self, name: &Arc<str>, module: Option<String>, pos: Pos) {
        if &**name == "_" {
            return;
        }
        let innermost = self.scopes.last_mut().expect("a scope is always open");
        if innermost.contains_key(name) {
            self.fatal(pos, format!("`{name}` is defined twice in this block"));
        } else {
            innermost.insert(name.clone(), module);
        }
    }

    fn block(&mut self, body: &[Stmt], new_scope: bool) {
        if new_scope {
            self.scopes.push(HashMap::new());
        }
        for s in body {
            self.stmt(s);
        }
        if new_scope {
            self.scopes.pop();
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Expr(e) => self.expr(e),
            StmtKind::Define(name, value) => {
                let module = match &value.kind {
                    ExprKind::Import(m) => Some(m.clone()),
                    _ => None,
                };
                if matches!(value.kind, ExprKind::Func(_)) {
                    self.define(name, None, s.pos);
                    self.expr(value);
                } else {
                    self.expr(value);
                    self.define(name, module, s.pos);
                }
            }
            StmtKind::Assign(target, _, value) => {
                self.expr(target);
                self.expr(value);
            }
            StmtKind::IncDec(target, _) => self.expr(target),
            StmtKind::If {
                init,
                cond,
                then,
                otherwise,
            } => {
                self.scopes.push(HashMap::new());
                if let Some(init) = init {
                    self.stmt(init);
                }
                self.expr(cond);
                self.block(then, true);
                if let Some(otherwise) = otherwise {
                    self.block(otherwise, true);
                }
                self.scopes.pop();
            }
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                self.scopes.push(HashMap::new());
                if let Some(init) = init {
                    self.stmt(init);
                }
                if let Some(cond) = cond {
                    self.expr(cond);
                }
                if let Some(post) = post {
                    self.stmt(post);
                }
                self.looped(body, &[]);
                self.scopes.pop();
            }
            StmtKind::ForIn {
                key,
                value,
                iterable,
                body,
            } => {
                self.expr(iterable);
                let names: Vec<Arc<str>> = key.iter().chain(Some(value)).cloned().collect();
                self.looped(body, &names);
            }
            StmtKind::Block(body) => self.block(body, true),
            StmtKind::Return(value) => {
                if let Some(v) = value {
                    self.expr(v);
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                if self.loops.last() == Some(&0) {
                    let word = if matches!(s.kind, StmtKind::Break) {
                        "break"
                    } else {
                        "continue"
                    };
                    self.fatal(s.pos, format!("`{word}` outside a loop"));
                }
            }
        }
    }

    fn looped(&mut self, body: &[Stmt], names: &[Arc<str>]) {
        if let Some(depth) = self.loops.last_mut() {
            *depth += 1;
        }
        self.scopes.push(HashMap::new());
        for n in names {
            if &**n != "_" {
                self.scopes
                    .last_mut()
                    .expect("just pushed")
                    .insert(n.clone(), None);
            }
        }
        self.block(body, false);
        self.scopes.pop();
        if let Some(depth) = self.loops.last_mut() {
            *depth -= 1;
        }
    }

    /// The module an expression certainly holds: `import("m")` or a name defined by one.
    fn module_of(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Import(m) => Some(m.clone()),
            ExprKind::Ident(name) => self.resolve(name).cloned().flatten(),
            _ => None,
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Ident(name) => {
                if &**name != "_" && self.resolve(name).is_none() && !builtins::is_builtin(name) {
                    let message = if &**name == "bytes" {
                        "Tengo's `bytes` values are not supported by imprimatur's Tengo".to_string()
                    } else {
                        format!("unresolved reference `{name}`")
                    };
                    self.fatal(e.pos, message);
                }
            }
            ExprKind::Import(name) => {
                if !modules::AVAILABLE.contains(&name.as_str()) {
                    self.fatal(
                        e.pos,
                        format!(
                            "module `{name}` is not available to Vale scripts (Vale offers {})",
                            modules::AVAILABLE.join(", ")
                        ),
                    );
                }
            }
            ExprKind::Selector(base, member) => {
                self.expr(base);
                if let Some(m) = self.module_of(base) {
                    self.member(&m, member, e.pos);
                }
            }
            ExprKind::Func(lit) => {
                self.scopes.push(HashMap::new());
                self.loops.push(0);
                for p in &lit.params {
                    self.define(p, None, e.pos);
                }
                self.block(&lit.body, false);
                self.loops.pop();
                self.scopes.pop();
            }
            ExprKind::Call { func, args, .. } => {
                self.expr(func);
                for a in args {
                    self.expr(a);
                }
                self.regex_argument(func, args);
            }
            ExprKind::Array(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Map(entries) => entries.iter().for_each(|(_, v)| self.expr(v)),
            ExprKind::Unary(_, x) | ExprKind::Error(x) | ExprKind::Immutable(x) => self.expr(x),
            ExprKind::Binary(_, l, r) | ExprKind::Logical(_, l, r) | ExprKind::Index(l, r) => {
                self.expr(l);
                self.expr(r);
            }
            ExprKind::Ternary(c, a, b) => {
                self.expr(c);
                self.expr(a);
                self.expr(b);
            }
            ExprKind::Slice(b, l, h) => {
                self.expr(b);
                if let Some(l) = l {
                    self.expr(l);
                }
                if let Some(h) = h {
                    self.expr(h);
                }
            }
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Char(_)
            | ExprKind::Str(_)
            | ExprKind::Bool(_)
            | ExprKind::Undefined => {}
        }
    }

    fn member(&mut self, module: &str, member: &str, pos: Pos) {
        if module == "math" && math::UNSUPPORTED.contains(&member) {
            self.fatal(
                pos,
                format!("`math.{member}` is not supported by imprimatur's Tengo"),
            );
        } else if modules::has_member(module, member) == Some(false) {
            self.fatal(pos, format!("module `{module}` has no member `{member}`"));
        }
    }

    /// `text.re_*("literal", …)`: the pattern is compiled now, so a pattern
    /// the regex helper rejects is reported when the rule loads.
    fn regex_argument(&mut self, func: &Expr, args: &[Expr]) {
        let ExprKind::Selector(base, member) = &func.kind else {
            return;
        };
        if self.module_of(base).as_deref() != Some("text") || !member.starts_with("re_") {
            return;
        }
        let Some(Expr {
            kind: ExprKind::Str(pattern),
            pos,
        }) = args.first()
        else {
            return;
        };
        if let Err(e) = crate::vale::regex::ValeRegex::new(pattern) {
            self.problems.push(Problem {
                error: ScriptError::new(
                    *pos,
                    format!(
                        "`text.{member}` gets an invalid pattern ({e}); it returns an error value"
                    ),
                ),
                fatal: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse;
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        check(&parse(src).unwrap(), &["scope"])
            .into_iter()
            .map(|p| {
                format!(
                    "{}:{} {}",
                    p.error.pos.line, p.error.pos.col, p.error.message
                )
            })
            .collect()
    }

    #[test]
    fn clean_scripts_pass() {
        let src = "text := import(\"text\")\nmatches := []\nf := func(n) { if n < 1 { return 0 }; return f(n - 1) }\nfor i, line in text.split(scope, \"\\n\") { if len(line) > 3 { continue } }\n_ := f(2)";
        assert!(problems(src).is_empty(), "{:?}", problems(src));
    }

    #[test]
    fn compiler_errors_are_located() {
        assert_eq!(problems("x = 1"), ["1:1 unresolved reference `x`"]);
        assert_eq!(
            problems("b := bytes(\"a\")"),
            ["1:6 Tengo's `bytes` values are not supported by imprimatur's Tengo"]
        );
        assert_eq!(
            problems("a := 1\na := 2"),
            ["2:1 `a` is defined twice in this block"]
        );
        assert!(problems("a := 1\nif true { a := 2 }").is_empty());
        assert_eq!(problems("break"), ["1:1 `break` outside a loop"]);
        assert_eq!(
            problems("for { f := func() { break } }"),
            ["1:21 `break` outside a loop"]
        );
        assert_eq!(
            problems("os := import(\"os\")"),
            ["1:7 module `os` is not available to Vale scripts (Vale offers text, fmt, math)"]
        );
        assert_eq!(
            problems("t := import(\"text\")\nt.nope(1)"),
            ["2:2 module `text` has no member `nope`"]
        );
        assert_eq!(
            problems("m := import(\"math\")\nx := m.erf(1)"),
            ["2:7 `math.erf` is not supported by imprimatur's Tengo"]
        );
        let notes = check(
            &parse("t := import(\"text\")\nt.re_match(\"(\", scope)").unwrap(),
            &["scope"],
        );
        assert_eq!(notes.len(), 1);
        assert!(!notes[0].fatal);
        assert!(notes[0].error.message.contains("invalid pattern"));
    }
}
