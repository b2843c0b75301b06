//! `extends: substitution` — `swap` keys (regexes) with their preferred
//! form. A match already in an acceptable form is not reported. With
//! `action: {name: replace}` the swap value lists literal options (`a|b`);
//! a single literal option becomes a fix that `check --fix` applies.

use super::common::{
    cap_first, conforms, exception_regex, is_match, is_phrase, to_sentence, token_pattern, Env,
};
use super::definition::{Definition, RuleError};
use super::message::format_strs;
use super::regex::ValeRegex;
use super::Alert;

#[derive(Debug)]
pub struct Substitution {
    pattern: ValeRegex,
    /// Per swap entry (longest key first): the key as written and its replacement.
    keys: Vec<String>,
    replacements: Vec<String>,
    /// The key regexes with their groups, for `$1` in replacements.
    key_regexes: Vec<Option<ValeRegex>>,
    except: Option<ValeRegex>,
    ignore_case: bool,
    capitalize: bool,
    replace_action: bool,
}

pub fn compile(
    def: &Definition,
    env: &Env,
    action: Option<&str>,
) -> Result<Substitution, RuleError> {
    let mut swap = def.pairs("swap")?;
    // Longest key first, so alternation prefers the longer phrase.
    swap.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let ignore_case = def.bool("ignorecase", false);
    let mut tokens = Vec::new();
    let mut key_regexes = Vec::new();
    for (key, value) in &swap {
        tokens.push(format!("({})", non_capturing(key)));
        key_regexes.push(if value.contains('$') {
            let flags = if ignore_case { "(?i)" } else { "" };
            Some(def.regex("swap", &format!("{flags}{key}"))?)
        } else {
            None
        });
    }
    let pattern = token_pattern(
        env,
        &tokens.join("|"),
        !def.bool("nonword", false),
        "",
        true,
        ignore_case,
    );
    Ok(Substitution {
        pattern: def.regex("swap", &pattern)?,
        keys: swap.iter().map(|(k, _)| k.clone()).collect(),
        replacements: swap.into_iter().map(|(_, v)| v).collect(),
        key_regexes,
        except: exception_regex(def, &def.list("exceptions"), env, def.bool("vocab", true))?,
        ignore_case,
        capitalize: def.bool("capitalize", false),
        replace_action: action == Some("replace"),
    })
}

/// Capture groups in a key become non-capturing, so group N of the joined
/// pattern is swap entry N.
fn non_capturing(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 8);
    let bytes = key.as_bytes();
    let mut escaped = false;
    for (i, c) in key.char_indices() {
        if c == '(' && !escaped && bytes.get(i + 1) != Some(&b'?') {
            out.push_str("(?:");
        } else {
            out.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// `$1` → `${1}`: Go reads `$1a` as group 1 then `a`, the regex crate as a group named `1a`.
fn braced_groups(template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 4);
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push_str("${");
            while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                out.push(d);
                chars.next();
            }
            out.push('}');
        } else {
            out.push(c);
        }
    }
    out
}

/// `a|b` → options (an escaped `\|` stays a literal bar).
fn options(expected: &str) -> Vec<String> {
    expected
        .replace(r"\|", "\u{0}")
        .split('|')
        .filter(|o| !o.is_empty())
        .map(|o| o.replace('\u{0}', "|"))
        .collect()
}

impl Substitution {
    pub fn run(&self, text: &str, message: &str) -> Vec<Alert> {
        let mut alerts = Vec::new();
        for groups in self.pattern.captures_all(text) {
            for (g, range) in groups.iter().enumerate().skip(1) {
                let Some(range) = range.clone() else { continue };
                let Some(entry) = g.checked_sub(1).filter(|e| *e < self.keys.len()) else {
                    continue;
                };
                if let Some(alert) = self.judge(text, range, entry, message) {
                    alerts.push(alert);
                }
            }
        }
        alerts
    }

    fn judge(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        entry: usize,
        message: &str,
    ) -> Option<Alert> {
        let observed = &text[range.clone()];
        let mut expected = self.replacements[entry].clone();
        let capitalized = self.capitalize && observed == cap_first(observed);
        if capitalized {
            expected = cap_first(&expected);
        }
        if let Some(re) = &self.key_regexes[entry] {
            expected = re.replace_all(observed, &braced_groups(&expected));
        }
        let same = if self.replace_action {
            options(&expected).iter().any(|o| o == observed)
        } else {
            conforms(&expected, observed, false)
        };
        if same || is_match(self.except.as_ref(), observed) {
            return None;
        }
        let mut message = message.to_string();
        let mut fix = None;
        if self.replace_action {
            let mut params = options(&expected);
            if capitalized {
                params = params.iter().map(|p| cap_first(p)).collect();
            }
            if params.len() == 1 {
                fix = Some(params[0].clone());
            }
            expected = to_sentence(&params, "or");
            message = unquote_first(&message);
        } else {
            let opts = options(&expected);
            if opts.len() == 1 && is_phrase(&opts[0]) {
                fix = Some(opts[0].clone());
            }
            // A swap value may be a pattern (a vocabulary term such as
            // `OAuth2?`): the message shows the observed text re-cased to
            // the term, as Vale 3's `recaseToTerm` does; a pattern with no
            // literal skeleton (`[Oo]bservability`) is shown as written.
            expected = recase_to_term(&expected, observed);
        }
        let _ = self.ignore_case;
        Some(Alert {
            message: format_strs(&message, &[&expected, observed]),
            range,
            fix,
        })
    }
}

/// With a `replace` action the options arrive quoted, so a message that
/// quotes both placeholders loses the quotes around the first (Vale's `convertMessage`).
fn unquote_first(message: &str) -> String {
    let mut m = message.to_string();
    for spec in ["'%s'", "\"%s\""] {
        if m.matches(spec).count() == 2 {
            m = m.replacen(spec, "%s", 1);
        }
    }
    m
}

/// Vale 3's `recaseToTerm`: `term`'s literal skeleton when it equals
/// `observed` ignoring case, else `term` unchanged.
fn recase_to_term(term: &str, observed: &str) -> String {
    match literal_skeleton(term) {
        Some(skel) if !skel.is_empty() && skel.to_lowercase() == observed.to_lowercase() => skel,
        _ => term.to_string(),
    }
}

/// Vale 3's `literalSkeleton`: the literal characters of a pattern (`\x`
/// taken verbatim, `?` dropped), or `None` when it has other syntax.
fn literal_skeleton(pattern: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '?' => {}
            '[' | ']' | '(' | ')' | '{' | '}' | '|' | '.' | '*' | '+' | '^' | '$' => return None,
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_become_non_capturing() {
        assert_eq!(
            non_capturing(r"change in(?: )?to the (.*) dir"),
            r"change in(?: )?to the (?:.*) dir"
        );
        assert_eq!(non_capturing(r"\(x\)"), r"\(x\)");
    }

    #[test]
    fn terms_recased_as_vale_3_does() {
        assert_eq!(recase_to_term("OAuth2?", "oauth2"), "OAuth2");
        assert_eq!(recase_to_term("OAuth2?", "OAUTH"), "OAuth2?");
        assert_eq!(
            recase_to_term("[Oo]bservability", "oBservability"),
            "[Oo]bservability"
        );
        assert_eq!(recase_to_term("Node\\.js", "node.js"), "Node.js");
        assert_eq!(recase_to_term("GitHub", "Github"), "GitHub");
    }

    #[test]
    fn option_lists() {
        assert_eq!(options(",|..."), vec![",", "..."]);
        assert!(options("").is_empty());
    }
}
