//! Vale scopes. A block of text carries a dotted selector (`text.heading.h2.md`,
//! `sentence.text.md`, `raw.md`); a rule's `scope` is a list of alternatives,
//! each a conjunction (`&`) of dotted parts that may be negated (`~`). A part
//! matches a block when all its dotted sections are among the block's.

/// One `&`-part of a rule scope.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    sections: Vec<String>,
    negated: bool,
}

/// A rule's parsed `scope:`: alternatives of conjunctions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleScope {
    alternatives: Vec<Vec<Part>>,
}

impl RuleScope {
    /// Parses `scope:` values; an empty list is Vale's default, `text`.
    pub fn parse(values: &[String]) -> Result<RuleScope, String> {
        let values: Vec<String> = if values.is_empty() {
            vec!["text".into()]
        } else {
            values.to_vec()
        };
        let mut alternatives = Vec::new();
        for value in &values {
            let mut parts = Vec::new();
            for raw in value.split('&') {
                let raw = raw.trim();
                let (negated, body) = match raw.strip_prefix('~') {
                    Some(rest) => (true, rest.trim()),
                    None => (false, raw),
                };
                if body.is_empty() || body.contains(char::is_whitespace) {
                    return Err(format!("scope `{value}` is not a valid selector"));
                }
                parts.push(Part {
                    sections: body.split('.').map(String::from).collect(),
                    negated,
                });
            }
            alternatives.push(parts);
        }
        Ok(RuleScope { alternatives })
    }

    /// Does the rule read a block with these selector sections?
    pub fn matches(&self, block: &[&str]) -> bool {
        let is_sentence = block.first() == Some(&"sentence");
        self.alternatives.iter().any(|parts| {
            if is_sentence && !parts.iter().any(|p| !p.negated && p.has("sentence")) {
                return false;
            }
            parts.iter().all(|part| {
                let contained = part.sections.iter().all(|s| block.contains(&s.as_str()));
                if part.negated {
                    // A negation says nothing about the whole-file scopes.
                    !contained && !block.contains(&"raw") && !block.contains(&"summary")
                } else {
                    contained
                }
            })
        })
    }

    /// Does any alternative name `section` (un-negated)?
    pub fn mentions(&self, section: &str) -> bool {
        self.alternatives
            .iter()
            .flatten()
            .any(|p| !p.negated && p.has(section))
    }
}

impl Part {
    fn has(&self, section: &str) -> bool {
        self.sections.iter().any(|s| s == section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(v: &[&str]) -> RuleScope {
        RuleScope::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn dotted_negated_and_conjunctions() {
        let h2 = ["text", "heading", "h2", "md"];
        let para = ["text", "md"];
        assert!(scope(&[]).matches(&h2));
        assert!(scope(&["heading"]).matches(&h2));
        assert!(!scope(&["heading.h1"]).matches(&h2));
        assert!(!scope(&["~heading.h2"]).matches(&h2));
        assert!(scope(&["~heading.h2"]).matches(&para));
        assert!(scope(&["heading & ~heading.h1"]).matches(&h2));
        assert!(!scope(&["~blockquote & ~heading"]).matches(&h2));
        assert!(!scope(&["~heading"]).matches(&["raw", "md"]));
        assert!(!scope(&["text"]).matches(&["sentence", "text", "md"]));
        assert!(scope(&["sentence"]).matches(&["sentence", "text", "md"]));
    }
}
