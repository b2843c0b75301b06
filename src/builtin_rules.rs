//! The rules imprimatur reports on its own, beside the packs' rules: one
//! table (id, level, explanation, where the docs say more) read by the
//! engine for their levels, by `rules --explain` and by SARIF's rule
//! metadata, so the three never disagree.

use crate::finding::Level;

/// A check imprimatur makes itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinRule {
    pub id: &'static str,
    pub level: Level,
    /// Plain explanation; its first sentence is the short description.
    pub text: &'static str,
    /// Where the documentation says more (a file and anchor of this project).
    pub docs: &'static str,
}

/// Rule id of files that cannot be read as text.
pub const UNREADABLE: &str = "imprimatur/unreadable";
/// Rule id of content files nobody owns when `owners.required` is set.
pub const UNOWNED: &str = "imprimatur/unowned";
/// Rule id of front matter that is not valid YAML.
pub const INVALID_FRONT_MATTER: &str = "imprimatur/invalid-front-matter";
/// Rule id of problems with suppression comments themselves.
pub const SUPPRESSION: &str = "imprimatur/suppression";
/// Rule id of unmet approval requirements in the gate.
pub const APPROVAL: &str = "imprimatur/approval";
/// Rule id of the rule `front_matter.required` in the config stands for.
pub const FRONT_MATTER: &str = "imprimatur/front-matter";

/// Every built-in rule, in a fixed order.
pub const BUILTIN_RULES: &[BuiltinRule] = &[
    BuiltinRule {
        id: UNREADABLE,
        level: Level::Error,
        text: "The file is binary or not valid UTF-8, so it could not be checked. \
Save it as UTF-8 text, or leave it out of `content.include`. In the gate, a Git LFS \
pointer whose object is not in local LFS storage is reported the same way: run \
`git lfs pull` before the gate.",
        docs: "docs/commands.md#what-is-checked",
    },
    BuiltinRule {
        id: INVALID_FRONT_MATTER,
        level: Level::Error,
        text: "The front matter is not valid YAML, so front-matter rules could not read it. \
The finding points at the place the YAML parser stopped; while it stands, no other \
front-matter finding is reported for the page.",
        docs: "docs/rule-kinds.md#front-matter",
    },
    BuiltinRule {
        id: FRONT_MATTER,
        level: Level::Error,
        text: "The page lacks a front-matter key that `front_matter.required` in imprimatur.yml \
lists. Add the key to the page's front matter, or narrow the requirement with \
`front_matter.paths` / `exclude_paths` or an override.",
        docs: "docs/configuration.md#front_matter",
    },
    BuiltinRule {
        id: SUPPRESSION,
        level: Level::Error,
        text: "A suppression comment lacks the reason `suppressions.require_reason` asks for, \
or names no loaded rule. Write `<!-- imprimatur-disable-next-line RULE -- reason -->`, \
with a rule id that `imprimatur rules` lists.",
        docs: "docs/suppressions.md",
    },
    BuiltinRule {
        id: UNOWNED,
        level: Level::Error,
        text: "The file has no owner in CODEOWNERS while `owners.required` is set. Add a \
CODEOWNERS line whose pattern matches it; `imprimatur owners PATH` shows what matches.",
        docs: "docs/ownership.md",
    },
    BuiltinRule {
        id: APPROVAL,
        level: Level::Error,
        text: "A changed file lacks an approval that a policy, a CODEOWNERS section or \
governance requires. An approval is recorded as an `Approved-by: Name <email>` trailer in a \
commit of the change (with `trailer_trust: signed`, a commit signed by the approver, e.g. an \
empty `git commit -S --allow-empty`; with `author`, a commit the approver authored), or as a \
pull/merge request review passed with `--reviews`. An approval that does not count is \
listed with its reason:
  self-approval      the approver is an author or committer of a commit in the range that \
changed the file, and the policy does not set `allow_author`.
  stale              the file changed after the approval: the approved commit or reviewed \
revision does not hold the file as it is at head (`invalidate_on_change`).
  unknown-identity   the email or handle matches no one in `people`; add it to the \
person's `emails` or `handles`.
  not-eligible       the approver is known but not in the policy's `from` (its teams, \
people, or the file's code owners).
  untrusted-trailer  the trailer's commit does not meet `trailer_trust`: not signed by the \
approver's key in `allowed_signers` (signed), or not authored by the approver (author).",
        docs: "docs/gate.md#approvals",
    },
];

/// The built-in rule with this id.
pub fn get(id: &str) -> Option<&'static BuiltinRule> {
    BUILTIN_RULES.iter().find(|r| r.id == id)
}

/// The level of a built-in rule (every id of the table has one).
pub fn level(id: &str) -> Level {
    get(id).map_or(Level::Error, |r| r.level)
}

impl BuiltinRule {
    /// The `rules --explain` text.
    pub fn explanation(&self) -> String {
        format!(
            "{}  (built-in, {})\n\n{}\n\nMore: {}\n",
            self.id, self.level, self.text, self.docs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_listed_once() {
        for rule in BUILTIN_RULES {
            assert_eq!(get(rule.id), Some(rule));
            assert!(rule.id.starts_with("imprimatur/"));
        }
        assert_eq!(get("claims/guarantee"), None);
    }

    #[test]
    fn the_approval_explanation_names_every_rejection_reason() {
        let text = get(APPROVAL).unwrap().text;
        for reason in [
            "self-approval",
            "stale",
            "unknown-identity",
            "not-eligible",
            "untrusted-trailer",
        ] {
            assert!(text.contains(reason), "{reason}");
        }
    }
}
