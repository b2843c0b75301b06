//! What reporters say about a rule (SARIF's `tool.driver.rules`): id, level,
//! kind, a one-line and a full description, and the policy link. Filled from
//! the loaded `RuleSet`, plus the rules imprimatur reports itself. It lives
//! with the rules, not the outputs, because the gate hands it on too: every
//! stage that knows the rules can describe them, and the outputs (the last
//! stage) only read it.

use super::{Rule, RuleSet};
use crate::finding::Level;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleMeta {
    pub id: String,
    pub level: Level,
    /// `forbid`, `substitute`, … or `imprimatur` for built-in checks.
    pub kind: String,
    /// One sentence for narrow displays.
    pub short: String,
    /// The rule's description, else its message template, else what its kind does.
    pub full: String,
    /// The policy page the pack names (`link:`).
    pub link: Option<String>,
}

impl RuleMeta {
    pub fn from_rule(rule: &Rule) -> RuleMeta {
        let description = rule
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let full = description
            .or(rule.message.as_deref())
            .unwrap_or(rule.kind.summary())
            .to_string();
        RuleMeta {
            id: rule.id.clone(),
            level: rule.level,
            kind: rule.kind.name().to_string(),
            short: first_sentence(&full),
            full,
            link: rule.link.clone(),
        }
    }

    /// Every loaded rule, in load order.
    pub fn from_rule_set(rules: &RuleSet) -> Vec<RuleMeta> {
        rules.rules.iter().map(RuleMeta::from_rule).collect()
    }

    /// The rules imprimatur reports on its own, in a fixed order.
    pub fn internal_rules() -> Vec<RuleMeta> {
        crate::builtin_rules::BUILTIN_RULES
            .iter()
            .map(RuleMeta::from_builtin)
            .collect()
    }

    /// A rule imprimatur reports on its own (unreadable files, suppression
    /// problems, ownership, approvals), or `None` for an unknown id.
    pub fn internal(id: &str) -> Option<RuleMeta> {
        crate::builtin_rules::get(id).map(RuleMeta::from_builtin)
    }

    fn from_builtin(rule: &crate::builtin_rules::BuiltinRule) -> RuleMeta {
        RuleMeta {
            id: rule.id.to_string(),
            level: rule.level,
            kind: "imprimatur".to_string(),
            short: first_sentence(rule.text),
            full: rule.text.to_string(),
            link: None,
        }
    }

    /// The help text: the full description and, when there is one, the link.
    pub fn help_text(&self) -> String {
        match &self.link {
            Some(link) => format!("{}\n\nPolicy: {link}", self.full),
            None => self.full.clone(),
        }
    }
}

/// The first sentence (or line) of `text`.
fn first_sentence(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or("");
    let end = line
        .match_indices(". ")
        .next()
        .map(|(i, _)| i + 1)
        .unwrap_or(line.len());
    line[..end].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_a_full_stop_or_a_line_end() {
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(first_sentence("  One line\nanother"), "One line");
        assert_eq!(first_sentence("v1.2 is out"), "v1.2 is out");
    }

    #[test]
    fn internal_rules_are_known_and_others_are_not() {
        let ids = [
            crate::builtin_rules::UNREADABLE,
            crate::builtin_rules::INVALID_FRONT_MATTER,
            crate::builtin_rules::SUPPRESSION,
            crate::builtin_rules::UNOWNED,
            crate::builtin_rules::APPROVAL,
        ];
        for id in ids {
            let meta = RuleMeta::internal(id).unwrap();
            assert_eq!(meta.id, id);
            assert!(!meta.short.is_empty());
        }
        assert_eq!(RuleMeta::internal("claims/guarantee"), None);
    }
}
