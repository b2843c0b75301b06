//! Vale's comment controls: `<!-- vale off -->` / `<!-- vale on -->`,
//! `<!-- vale Style.Rule = NO -->` (and `= YES`), `<!-- vale Style = NO -->`,
//! `<!-- vale Style.Rule["match"] = NO -->` and `<!-- vale style = A, B -->`.
//! Each takes effect from where it stands to the next control that changes it.

use std::collections::HashMap;

use crate::document::Document;

/// The state after one control comment.
#[derive(Debug, Clone, Default)]
struct State {
    off: bool,
    /// `Style`, `Style.Rule` or `Style.Rule[match]` → disabled.
    disabled: HashMap<String, bool>,
}

/// Controls of one document, in source order.
#[derive(Debug, Default)]
pub struct Controls {
    /// (offset where the state begins, the state).
    states: Vec<(usize, State)>,
}

impl Controls {
    /// Reads the `vale` comments of `doc`; `base_styles` are the file's
    /// `BasedOnStyles` (what `vale style = …` switches off).
    pub fn new(doc: &Document, base_styles: &[String]) -> Controls {
        let mut states = Vec::new();
        let mut state = State::default();
        for comment in &doc.comments {
            let inner = comment.inner.trim();
            if !inner.starts_with("vale ") {
                continue;
            }
            if apply(&mut state, inner, base_styles) {
                states.push((comment.range.end, state.clone()));
            }
        }
        Controls { states }
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// Is rule `id` (`Style.Rule`) switched off at source offset `at` for found text `found`?
    pub fn disabled(&self, id: &str, found: &str, at: usize) -> bool {
        let i = self.states.partition_point(|(start, _)| *start <= at);
        let Some((_, state)) = i.checked_sub(1).map(|i| &self.states[i]) else {
            return false;
        };
        if state.off {
            return true;
        }
        let style = id.split('.').next().unwrap_or(id);
        let is = |k: &str| state.disabled.get(k).copied().unwrap_or(false);
        is(style) || is(id) || is(&format!("{id}[{found}]"))
    }
}

/// Applies one comment; false when it is not a control.
fn apply(state: &mut State, comment: &str, base_styles: &[String]) -> bool {
    match comment {
        "vale off" => {
            state.off = true;
            return true;
        }
        "vale on" => {
            state.off = false;
            return true;
        }
        _ => {}
    }
    let rest = &comment["vale ".len()..];
    let Some((name, value)) = rest.split_once(" = ") else {
        return false;
    };
    let (name, value) = (name.trim(), value.trim());
    if name == "style" || name == "styles" {
        for s in base_styles {
            state.disabled.insert(s.clone(), true);
        }
        for s in value.split(", ") {
            state.disabled.insert(s.trim().to_string(), false);
        }
        return true;
    }
    let disabled = match value {
        "NO" | "off" => true,
        "YES" | "on" => false,
        _ => return false,
    };
    if let Some((rule, list)) = name.split_once('[') {
        // `Style.Rule["a", "b"] = NO`: a JSON list of matches.
        let list = list.trim_end_matches(']');
        if let Ok(items) = serde_json::from_str::<Vec<String>>(&format!("[{list}]")) {
            for item in items {
                state.disabled.insert(format!("{rule}[{item}]"), disabled);
            }
            return true;
        }
        return false;
    }
    state.disabled.insert(name.to_string(), disabled);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_on_and_rules() {
        let text = "a\n<!-- vale off -->\nb\n<!-- vale on -->\nc\n<!-- vale demo.Rule = NO -->\nd\n<!-- vale demo = NO -->\ne\n";
        let doc = Document::parse("a.md", text.into());
        let c = Controls::new(&doc, &[]);
        let at = |s: &str| text.find(s).unwrap();
        assert!(!c.disabled("demo.Rule", "x", at("a\n")));
        assert!(c.disabled("demo.Rule", "x", at("b\n")));
        assert!(!c.disabled("demo.Rule", "x", at("c\n")));
        assert!(c.disabled("demo.Rule", "x", at("d\n")));
        assert!(!c.disabled("demo.Other", "x", at("d\n")));
        assert!(c.disabled("demo.Other", "x", at("e\n")));
    }
}
