//! Vale's comment controls: `<!-- vale off -->` / `<!-- vale on -->`,
//! `<!-- vale Style.Rule = NO -->` (and `= YES`), `<!-- vale Style = NO -->`,
//! `<!-- vale Style.Rule["match"] = NO -->` and `<!-- vale style = A, B -->`.
//! Each takes effect from where it stands to the next control that changes it.
//!
//! A control that silences something is a suppression: what it silences is
//! kept (with the control's line) for the `suppressed` list, and its reason
//! is an HTML comment `<!-- reason: … -->` right before or after it (Vale
//! reads only the exact control text, so the reason cannot go inside it).

use std::collections::HashMap;

use crate::document::{Comment, Document};

/// The control comment that switched something off: its line and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub line: usize,
    pub reason: Option<String>,
    /// Source range of the control comment.
    pub range: std::ops::Range<usize>,
}

/// The state after one control comment.
#[derive(Debug, Clone, Default)]
struct State {
    off: Option<Origin>,
    /// `Style`, `Style.Rule` or `Style.Rule[match]` → the control that
    /// disabled it (`None`: enabled again).
    disabled: HashMap<String, Option<Origin>>,
}

/// Controls of one document, in source order.
#[derive(Debug, Default)]
pub struct Controls {
    /// (offset where the state begins, the state).
    states: Vec<(usize, State)>,
    /// Controls that switch something off, for `require_reason`.
    pub disabling: Vec<Origin>,
}

impl Controls {
    /// Reads the `vale` comments of `doc`; `base_styles` are the file's
    /// `BasedOnStyles` (what `vale style = …` switches off).
    pub fn new(doc: &Document, base_styles: &[String]) -> Controls {
        let mut states = Vec::new();
        let mut disabling = Vec::new();
        let mut state = State::default();
        for (i, comment) in doc.comments.iter().enumerate() {
            let inner = comment.inner.trim();
            if !inner.starts_with("vale ") {
                continue;
            }
            let origin = Origin {
                line: doc.lines.position(&doc.text, comment.range.start).0,
                reason: reason_near(doc, i),
                range: comment.range.clone(),
            };
            match apply(&mut state, inner, base_styles, &origin) {
                Applied::No => {}
                Applied::On => states.push((comment.range.end, state.clone())),
                Applied::Off => {
                    states.push((comment.range.end, state.clone()));
                    disabling.push(origin);
                }
            }
        }
        Controls { states, disabling }
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// The control that switched rule `id` (`Style.Rule`) off at source
    /// offset `at` for found text `found`, if any.
    pub fn disabled(&self, id: &str, found: &str, at: usize) -> Option<&Origin> {
        let i = self.states.partition_point(|(start, _)| *start <= at);
        let (_, state) = i.checked_sub(1).map(|i| &self.states[i])?;
        if let Some(o) = &state.off {
            return Some(o);
        }
        let style = id.split('.').next().unwrap_or(id);
        let is = |k: &str| state.disabled.get(k).and_then(Option::as_ref);
        is(&format!("{id}[{found}]"))
            .or_else(|| is(id))
            .or_else(|| is(style))
    }
}

impl Controls {
    /// What silences a rule that Vale runs after the whole page (`raw` and
    /// `summary` scopes): Vale resets every rule switch first, so only a
    /// `vale off` the page never switched back on counts, for every rule.
    pub fn at_end(&self) -> Option<&Origin> {
        self.states.last().and_then(|(_, s)| s.off.as_ref())
    }
}

/// `<!-- reason: … -->` next to the `i`-th comment, with only white space between.
fn reason_near(doc: &Document, i: usize) -> Option<String> {
    let reason = |c: &Comment| {
        c.inner
            .trim()
            .strip_prefix("reason:")
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
    };
    let between = |a: &Comment, b: &Comment| {
        doc.text
            .get(a.range.end..b.range.start)
            .is_some_and(|t| t.trim().is_empty())
    };
    let here = &doc.comments[i];
    let before = i
        .checked_sub(1)
        .map(|p| &doc.comments[p])
        .filter(|p| between(p, here))
        .and_then(reason);
    before.or_else(|| {
        doc.comments
            .get(i + 1)
            .filter(|n| between(here, n))
            .and_then(reason)
    })
}

enum Applied {
    No,
    On,
    Off,
}

/// Applies one comment: not a control, a control that only switches on, or
/// one that switches something off.
fn apply(state: &mut State, comment: &str, base_styles: &[String], origin: &Origin) -> Applied {
    match comment {
        "vale off" => {
            state.off = Some(origin.clone());
            return Applied::Off;
        }
        "vale on" => {
            state.off = None;
            return Applied::On;
        }
        _ => {}
    }
    let rest = &comment["vale ".len()..];
    let Some((name, value)) = rest.split_once(" = ") else {
        return Applied::No;
    };
    let (name, value) = (name.trim(), value.trim());
    if name == "style" || name == "styles" {
        let named: Vec<&str> = value.split(", ").map(str::trim).collect();
        let mut off = false;
        for s in base_styles.iter().filter(|s| !named.contains(&s.as_str())) {
            state.disabled.insert(s.clone(), Some(origin.clone()));
            off = true;
        }
        for s in named {
            state.disabled.insert(s.to_string(), None);
        }
        return if off { Applied::Off } else { Applied::On };
    }
    let disabled = match value {
        "NO" | "off" => Some(origin.clone()),
        "YES" | "on" => None,
        _ => return Applied::No,
    };
    let applied = if disabled.is_some() {
        Applied::Off
    } else {
        Applied::On
    };
    if let Some((rule, list)) = name.split_once('[') {
        // `Style.Rule["a", "b"] = NO`: a JSON list of matches.
        let list = list.trim_end_matches(']');
        if let Ok(items) = serde_json::from_str::<Vec<String>>(&format!("[{list}]")) {
            for item in items {
                state
                    .disabled
                    .insert(format!("{rule}[{item}]"), disabled.clone());
            }
            return applied;
        }
        return Applied::No;
    }
    state.disabled.insert(name.to_string(), disabled);
    applied
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
        assert!(c.disabled("demo.Rule", "x", at("a\n")).is_none());
        assert_eq!(
            c.disabled("demo.Rule", "x", at("b\n")).map(|o| o.line),
            Some(2)
        );
        assert!(c.disabled("demo.Rule", "x", at("c\n")).is_none());
        assert_eq!(
            c.disabled("demo.Rule", "x", at("d\n")).map(|o| o.line),
            Some(6)
        );
        assert!(c.disabled("demo.Other", "x", at("d\n")).is_none());
        assert_eq!(
            c.disabled("demo.Other", "x", at("e\n")).map(|o| o.line),
            Some(8)
        );
        assert_eq!(c.disabling.len(), 3);
    }

    #[test]
    fn only_a_final_vale_off_counts_at_the_end() {
        let text = "a\n<!-- vale off -->\nb\n<!-- vale on -->\n<!-- vale demo = NO -->\nc\n";
        let doc = Document::parse("a.md", text.into());
        assert!(Controls::new(&doc, &[]).at_end().is_none());
        let text = format!("{text}<!-- vale off -->\nd\n");
        let doc = Document::parse("a.md", text);
        assert_eq!(Controls::new(&doc, &[]).at_end().map(|o| o.line), Some(7));
        let doc = Document::parse("a.md", "no controls\n".into());
        assert!(Controls::new(&doc, &[]).at_end().is_none());
    }

    #[test]
    fn reasons_sit_next_to_the_control() {
        let text = "<!-- reason: quoted API name -->\n<!-- vale off -->\na\n<!-- vale on -->\n<!-- vale demo.Rule = NO --> <!-- reason: legacy -->\nb\n<!-- vale demo.X = NO -->\n\ntext <!-- reason: too far -->\nc\n";
        let doc = Document::parse("a.md", text.into());
        let c = Controls::new(&doc, &[]);
        let at = |s: &str| text.find(s).unwrap();
        let reason = |id: &str, s: &str| c.disabled(id, "x", at(s)).and_then(|o| o.reason.clone());
        assert_eq!(
            reason("demo.Rule", "a\n").as_deref(),
            Some("quoted API name")
        );
        assert_eq!(reason("demo.Rule", "b\n").as_deref(), Some("legacy"));
        assert_eq!(reason("demo.X", "c\n"), None);
        assert!(c.disabled("demo.X", "x", at("c\n")).is_some());
    }

    #[test]
    fn style_switch_silences_the_other_base_styles() {
        let text = "<!-- vale style = A -->\nx\n";
        let doc = Document::parse("a.md", text.into());
        let c = Controls::new(&doc, &["A".to_string(), "B".to_string()]);
        assert!(c.disabled("A.R", "x", 25).is_none());
        assert!(c.disabled("B.R", "x", 25).is_some());
    }
}
