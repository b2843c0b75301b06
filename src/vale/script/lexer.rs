//! Tengo's tokens, with Go's automatic semicolons: a line that ends after an
//! identifier, a literal, `break`/`continue`/`return`, `++`/`--` or a closing
//! bracket ends its statement.

use super::{Pos, ScriptError};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Int(i64),
    Float(f64),
    Char(char),
    Str(String),
    /// An operator or punctuation, as written (`:=`, `&^=`, `...`).
    Op(&'static str),
    Keyword(&'static str),
    /// A statement end: `;` or a newline that ends a statement.
    Semi,
    Eof,
}

const KEYWORDS: &[&str] = &[
    "break",
    "continue",
    "else",
    "for",
    "func",
    "error",
    "immutable",
    "if",
    "return",
    "export",
    "true",
    "false",
    "in",
    "undefined",
    "import",
];

/// Longest first, so `&^=` wins over `&^` and `&`.
const OPERATORS: &[&str] = &[
    "&^=", "<<=", ">>=", "...", "&^", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>",
    "&&", "||", "++", "--", "==", "!=", "<=", ">=", ":=", "+", "-", "*", "/", "%", "&", "|", "^",
    "<", ">", "=", "!", "(", ")", "[", "]", "{", "}", ",", ".", ":", "?",
];

/// The tokens of `src`, each with where it starts.
pub fn tokens(src: &str) -> Result<Vec<(Tok, Pos)>, ScriptError> {
    let mut lx = Lexer {
        src,
        at: 0,
        line: 1,
        col: 1,
        out: Vec::new(),
    };
    lx.run()?;
    Ok(lx.out)
}

/// What an escape stands for: a character, or one byte of UTF-8 (`\x..`, octal).
enum Esc {
    Char(char),
    Byte(u8),
}

struct Lexer<'a> {
    src: &'a str,
    at: usize,
    line: usize,
    col: usize,
    out: Vec<(Tok, Pos)>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.at..].chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.src[self.at..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    /// Does a newline after the last token end a statement?
    fn needs_semi(&self) -> bool {
        match self.out.last() {
            Some((Tok::Ident(_) | Tok::Int(_) | Tok::Float(_) | Tok::Char(_) | Tok::Str(_), _)) => {
                true
            }
            Some((Tok::Keyword(k), _)) => {
                matches!(
                    *k,
                    "break" | "continue" | "return" | "true" | "false" | "undefined"
                )
            }
            Some((Tok::Op(o), _)) => matches!(*o, "++" | "--" | ")" | "]" | "}"),
            _ => false,
        }
    }

    fn run(&mut self) -> Result<(), ScriptError> {
        while let Some(c) = self.peek() {
            let pos = self.pos();
            match c {
                '\n' => {
                    if self.needs_semi() {
                        self.out.push((Tok::Semi, pos));
                    }
                    self.bump();
                }
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.peek2() == Some('/') => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '/' if self.peek2() == Some('*') => self.block_comment(pos)?,
                ';' => {
                    self.bump();
                    self.out.push((Tok::Semi, pos));
                }
                '"' => {
                    let s = self.string(pos)?;
                    self.out.push((Tok::Str(s), pos));
                }
                '`' => {
                    self.bump();
                    let start = self.at;
                    loop {
                        match self.bump() {
                            Some('`') => break,
                            Some(_) => {}
                            None => return Err(ScriptError::new(pos, "raw string not terminated")),
                        }
                    }
                    let s = self.src[start..self.at - 1].replace('\r', "");
                    self.out.push((Tok::Str(s), pos));
                }
                '\'' => {
                    let c = self.char_lit(pos)?;
                    self.out.push((Tok::Char(c), pos));
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek2().is_some_and(|d| d.is_ascii_digit())) =>
                {
                    let t = self.number(pos)?;
                    self.out.push((t, pos));
                }
                c if c == '_' || c.is_alphabetic() => {
                    let start = self.at;
                    while self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric()) {
                        self.bump();
                    }
                    let word = &self.src[start..self.at];
                    let tok = match KEYWORDS.iter().find(|k| **k == word) {
                        Some(k) => Tok::Keyword(k),
                        None => Tok::Ident(word.to_string()),
                    };
                    self.out.push((tok, pos));
                }
                _ => {
                    let rest = &self.src[self.at..];
                    let Some(op) = OPERATORS.iter().find(|o| rest.starts_with(**o)) else {
                        return Err(ScriptError::new(pos, format!("unexpected character `{c}`")));
                    };
                    for _ in 0..op.len() {
                        self.bump();
                    }
                    self.out.push((Tok::Op(op), pos));
                }
            }
        }
        if self.needs_semi() {
            let pos = self.pos();
            self.out.push((Tok::Semi, pos));
        }
        self.out.push((Tok::Eof, self.pos()));
        Ok(())
    }

    fn block_comment(&mut self, pos: Pos) -> Result<(), ScriptError> {
        self.bump();
        self.bump();
        let mut newline = false;
        loop {
            match self.bump() {
                Some('*') if self.peek() == Some('/') => {
                    self.bump();
                    break;
                }
                Some('\n') => newline = true,
                Some(_) => {}
                None => return Err(ScriptError::new(pos, "comment not terminated")),
            }
        }
        // A comment spanning lines acts like a newline.
        if newline && self.needs_semi() {
            self.out.push((Tok::Semi, pos));
        }
        Ok(())
    }

    fn string(&mut self, pos: Pos) -> Result<String, ScriptError> {
        self.bump();
        // Bytes, so `\xe2\x80\x94` spells one character as in Go.
        let mut out: Vec<u8> = Vec::new();
        loop {
            match self.bump() {
                Some('"') => return Ok(String::from_utf8_lossy(&out).into_owned()),
                Some('\\') => match self.escape(pos, '"')? {
                    Esc::Char(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                    Esc::Byte(b) => out.push(b),
                },
                Some('\n') | None => {
                    return Err(ScriptError::new(pos, "string literal not terminated"))
                }
                Some(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
    }

    fn char_lit(&mut self, pos: Pos) -> Result<char, ScriptError> {
        self.bump();
        let c = match self.bump() {
            Some('\\') => match self.escape(pos, '\'')? {
                Esc::Char(c) => c,
                Esc::Byte(b) => char::from(b),
            },
            Some('\'') | Some('\n') | None => {
                return Err(ScriptError::new(pos, "invalid character literal"))
            }
            Some(c) => c,
        };
        if self.bump() != Some('\'') {
            return Err(ScriptError::new(pos, "invalid character literal"));
        }
        Ok(c)
    }

    /// One escape after `\`, Go's set: `\n`, `\t`, `\xFF`, `\u1234`, `\U…`, octal.
    fn escape(&mut self, pos: Pos, quote: char) -> Result<Esc, ScriptError> {
        let bad = || ScriptError::new(pos, "unknown escape sequence");
        let c = self.bump().ok_or_else(bad)?;
        let simple = match c {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            c if c == quote => Some(c),
            _ => None,
        };
        if let Some(s) = simple {
            return Ok(Esc::Char(s));
        }
        let (digits, radix) = match c {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (2, 8),
            _ => return Err(bad()),
        };
        let mut text = String::new();
        if radix == 8 {
            text.push(c);
        }
        for _ in 0..digits {
            text.push(self.bump().ok_or_else(bad)?);
        }
        let n = u32::from_str_radix(&text, radix).map_err(|_| bad())?;
        if c == 'x' || radix == 8 {
            return u8::try_from(n).map(Esc::Byte).map_err(|_| bad());
        }
        char::from_u32(n).map(Esc::Char).ok_or_else(bad)
    }

    fn number(&mut self, pos: Pos) -> Result<Tok, ScriptError> {
        let start = self.at;
        let bad = |what: &str| ScriptError::new(pos, format!("invalid number `{what}`"));
        if self.peek() == Some('0')
            && matches!(self.peek2(), Some('x' | 'X' | 'b' | 'B' | 'o' | 'O'))
        {
            self.bump();
            let radix = match self.bump() {
                Some('x' | 'X') => 16,
                Some('b' | 'B') => 2,
                _ => 8,
            };
            let digits_start = self.at;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                self.bump();
            }
            let digits = self.src[digits_start..self.at].replace('_', "");
            return i64::from_str_radix(&digits, radix)
                .map(Tok::Int)
                .map_err(|_| bad(&self.src[start..self.at]));
        }
        let mut float = false;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() || c == '_' {
                self.bump();
            } else if c == '.' && !float && self.peek2() != Some('.') {
                float = true;
                self.bump();
            } else if c == 'e' || c == 'E' {
                float = true;
                self.bump();
                if matches!(self.peek(), Some('+' | '-')) {
                    self.bump();
                }
            } else {
                break;
            }
        }
        let text = self.src[start..self.at].replace('_', "");
        if float {
            return text.parse().map(Tok::Float).map_err(|_| bad(&text));
        }
        if text.len() > 1 && text.starts_with('0') {
            return i64::from_str_radix(&text[1..], 8)
                .map(Tok::Int)
                .map_err(|_| bad(&text));
        }
        text.parse().map(Tok::Int).map_err(|_| bad(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokens(src).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn semicolons_follow_go() {
        assert_eq!(
            toks("a := 1\nb++\n"),
            vec![
                Tok::Ident("a".into()),
                Tok::Op(":="),
                Tok::Int(1),
                Tok::Semi,
                Tok::Ident("b".into()),
                Tok::Op("++"),
                Tok::Semi,
                Tok::Eof
            ]
        );
        // No semicolon after an operator or an opening brace.
        assert_eq!(toks("x +\n1").len(), 5);
        assert_eq!(toks("if x {\n}").last(), Some(&Tok::Eof));
    }

    #[test]
    fn literals_and_escapes() {
        assert_eq!(toks(r#""a\tb\u00e9\x41""#)[0], Tok::Str("a\tbéA".into()));
        assert_eq!(toks(r#""\xe2\x80\x94""#)[0], Tok::Str("—".into()));
        assert_eq!(toks("`a\\n`")[0], Tok::Str("a\\n".into()));
        assert_eq!(toks("'x'")[0], Tok::Char('x'));
        assert_eq!(toks("'\\n'")[0], Tok::Char('\n'));
        assert_eq!(toks("0x1F")[0], Tok::Int(31));
        assert_eq!(toks("017")[0], Tok::Int(15));
        assert_eq!(toks("1_000")[0], Tok::Int(1000));
        assert_eq!(toks("1.5e2")[0], Tok::Float(150.0));
        assert_eq!(toks(".5")[0], Tok::Float(0.5));
        assert_eq!(toks("a &^= b")[1], Tok::Op("&^="));
        assert_eq!(toks("// c\n/* d\n */ x")[0], Tok::Ident("x".into()));
    }

    #[test]
    fn bad_input_is_located() {
        let e = tokens("a := 1\n  b := \"open").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col), (2, 8));
        assert!(e.message.contains("not terminated"));
        let e = tokens("a := #").unwrap_err();
        assert!(
            e.message.contains("unexpected character `#`"),
            "{}",
            e.message
        );
        assert!(tokens("'ab'").is_err());
        assert!(tokens("\"\\q\"").is_err());
    }
}
