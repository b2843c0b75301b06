//! An embedded interpreter for Tengo, the language of Vale's `extends:
//! script` rules. `lexer` and `parser` read a script into the tree of `ast`,
//! `check` refuses what Tengo's compiler refuses (at load time, located),
//! `eval` runs it over `value`s with a step budget, and `builtins`, `text`,
//! `fmt` and `math` are the library Vale exposes. `rule` is the Vale rule
//! kind: it hands the script the `scope` text and reads back `matches`.

pub mod ast;
pub mod builtins;
pub mod check;
pub mod eval;
pub mod fmt;
pub mod lexer;
pub mod math;
pub mod modules;
pub mod parser;
pub mod regexp;
pub mod rule;
pub mod text;
pub mod value;

#[cfg(test)]
mod tests;

pub use rule::ScriptRule;

/// Steps (statements, loop turns and calls) one run may take. A script over
/// a whole file that loops over every line twice stays far below it; a loop
/// that never ends stops after well under a second.
pub const STEP_BUDGET: u64 = 10_000_000;

/// A place in the script, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A problem in a script, at a place when one is known (line 0: none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub pos: Pos,
    pub message: String,
}

impl ScriptError {
    pub fn new(pos: Pos, message: impl Into<String>) -> ScriptError {
        ScriptError {
            pos,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pos.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}:{}: {}", self.pos.line, self.pos.col, self.message)
        }
    }
}

/// A parsed and checked script, ready to run any number of times.
#[derive(Debug)]
pub struct Script {
    body: Vec<ast::Stmt>,
}

/// One entry of the `matches` a script leaves: a byte range of `scope` and
/// the message that replaces the rule's, when the script gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub begin: usize,
    pub end: usize,
    pub message: Option<String>,
}

impl Script {
    /// Parses and checks `src`: `Err` holds the problems that keep it from
    /// running; `Ok` holds the script and notes that do not.
    pub fn compile(src: &str) -> Result<(Script, Vec<ScriptError>), Vec<ScriptError>> {
        let body = parser::parse(src).map_err(|e| vec![e])?;
        let problems = check::check(&body, &["scope"]);
        if problems.iter().any(|p| p.fatal) {
            return Err(problems
                .into_iter()
                .filter(|p| p.fatal)
                .map(|p| p.error)
                .collect());
        }
        let notes = problems.into_iter().map(|p| p.error).collect();
        Ok((Script { body }, notes))
    }

    /// Runs the script with `scope` set to `text` and returns its `matches`.
    pub fn run(&self, text: &str, budget: u64) -> Result<Vec<Match>, ScriptError> {
        let globals = eval::Scope::new(None);
        globals.define(&std::sync::Arc::from("scope"), value::Value::str(text));
        let mut interp = eval::Interp::new(budget);
        interp.run(&self.body, &globals)?;
        let matches = globals.lookup("matches").map(|cell| cell.borrow().clone());
        read_matches(matches, text)
    }
}

/// Vale reads `matches` as an array of maps with integer `begin` and `end`
/// (and an optional string `message`); anything else is no matches. An entry
/// without integer offsets, or outside `scope`, stops the rule with an error
/// (Vale itself crashes on both).
fn read_matches(matches: Option<value::Value>, text: &str) -> Result<Vec<Match>, ScriptError> {
    use value::Value;
    let Some(Value::Array(items, _)) = matches else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in items.borrow().iter().enumerate() {
        let bad = |what: &str| ScriptError::new(Pos::default(), format!("`matches[{i}]` {what}"));
        let Value::Map(m, _) = item else {
            return Err(bad(&format!(
                "is {}, not a map with `begin` and `end`",
                item.type_name()
            )));
        };
        let m = m.borrow();
        let (Some(Value::Int(begin)), Some(Value::Int(end))) = (m.get("begin"), m.get("end"))
        else {
            return Err(bad("needs integer `begin` and `end`"));
        };
        let (begin, end) = (*begin, *end);
        if begin < 0 || end < begin || end as usize > text.len() {
            return Err(bad(&format!(
                "has `begin` {begin} and `end` {end}, outside the scope's {} bytes",
                text.len()
            )));
        }
        let message = match m.get("message") {
            Some(Value::Str(s)) => Some(s.to_string()),
            _ => None,
        };
        out.push(Match {
            begin: floor_boundary(text, begin as usize),
            end: ceil_boundary(text, end as usize),
            message,
        });
    }
    Ok(out)
}

/// Byte offsets from a script may fall inside a character; widen to whole ones.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}
