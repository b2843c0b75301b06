//! What a blocked writer does next: for every unmet requirement, whom to
//! ask (the people who can still satisfy it) and how the approval is
//! recorded under the configured trust; for every blocking finding, how to
//! clear it. Plain sentences, the same in every output.

use crate::config::{Config, TrailerTrust};
use crate::finding::Finding;

use super::evaluate::{Rejection, RequirementResult};
use super::policy::Policy;

/// One plain sentence per rejection reason, for people reading the output.
pub fn explain_reason(reason: &str) -> &'static str {
    match reason {
        "self-approval" => "authored or committed a change to this file in the range",
        "stale" => "approved another version of this file than the one at head",
        "unknown-identity" => "is not a person of the config (no matching email or handle)",
        "not-eligible" => "is not in the set this requirement asks for",
        "untrusted-trailer" => "wrote a trailer that is not proof under approvals.trailer_trust",
        _ => "was not counted",
    }
}

/// How the outcome of the gate is told in one line: what blocks, counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub approvals_missing: u32,
    pub findings: usize,
    pub unowned: usize,
}

impl Tally {
    pub fn line(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.approvals_missing > 0 {
            parts.push(plural(
                self.approvals_missing as usize,
                "approval missing",
                "approvals missing",
            ));
        }
        if self.findings > 0 {
            parts.push(plural(
                self.findings,
                "blocking finding",
                "blocking findings",
            ));
        }
        if self.unowned > 0 {
            parts.push(plural(self.unowned, "unowned file", "unowned files"));
        }
        if parts.is_empty() {
            "passed".to_string()
        } else {
            format!("blocked: {}", parts.join(", "))
        }
    }
}

/// The sentence for an unmet requirement of `path`.
pub fn for_requirement(
    policy: &Policy,
    path: &str,
    r: &RequirementResult,
    reviews_given: bool,
) -> String {
    let config = &policy.config;
    let missing = r.required.saturating_sub(r.approved_by.len() as u32);
    let mut out = format!(
        "{path}: {} needs {missing} more approval{} from {}.",
        r.policy,
        if missing == 1 { "" } else { "s" },
        r.from.join(", ")
    );
    match r.candidates.first() {
        None => out.push_str(&format!(
            " Nobody can give it: {}.",
            if r.eligible_count == 0 {
                "the required set resolves to no person of the config (add people or team members)"
            } else {
                "everyone eligible authored or committed this change, and the policy does not allow_author"
            }
        )),
        Some(first) => {
            let names: Vec<String> = r.candidates.iter().map(|c| who(config, c)).collect();
            out.push_str(&format!(" Ask {}.", names.join(", ")));
            out.push_str(&format!(" {}", how_to_record(policy, first, path, reviews_given)));
        }
    }
    for rej in &r.rejected {
        out.push_str(&rejection_note(rej));
    }
    out
}

fn rejection_note(rej: &Rejection) -> String {
    match (rej.reason, &rej.detail) {
        ("stale", _) => format!(
            " {}'s approval covers another version: they must approve again.",
            rej.who
        ),
        ("untrusted-trailer", Some(detail)) => {
            format!(" {}'s trailer does not count: {detail}.", rej.who)
        }
        (reason, _) => format!(" {} {}.", rej.who, explain_reason(reason)),
    }
}

/// `alice (Alice Ng, @alice-ng)`.
fn who(config: &Config, key: &str) -> String {
    let Some(person) = config.people.get(key) else {
        return key.to_string();
    };
    let mut parts: Vec<String> = person.name.iter().cloned().collect();
    parts.extend(
        person
            .handles
            .first()
            .map(|h| format!("@{}", h.trim_start_matches('@'))),
    );
    if parts.is_empty() {
        key.to_string()
    } else {
        format!("{key} ({})", parts.join(", "))
    }
}

/// How an approval by `person` is recorded under the configured trust.
fn how_to_record(policy: &Policy, person: &str, path: &str, reviews_given: bool) -> String {
    let config = &policy.config;
    let p = &config.people[person];
    let key = config
        .approvals
        .trailers
        .first()
        .map_or("Approved-by", String::as_str);
    let identity = match (&p.name, p.emails.first(), p.handles.first()) {
        (Some(name), Some(email), _) => format!("{name} <{email}>"),
        (None, Some(email), _) => email.clone(),
        (_, None, Some(handle)) => handle.clone(),
        _ => person.to_string(),
    };
    let trailer = format!("{key}: {identity}");
    let review = if reviews_given {
        "approve the pull or merge request, or record it in git: "
    } else {
        "record it in git: "
    };
    let subject = format!("Approve {path}");
    match config.approvals.trailer_trust {
        TrailerTrust::Signed => format!(
            "To approve, {review}the approver makes a signed commit, `git commit --allow-empty -S -m \"{subject}\" -m \"{trailer}\"`, with a key that {} lists for {} (SSH) or that people.{person}.gpg names (GPG).",
            policy.signers_file.path,
            p.emails.first().map_or("their email", String::as_str)
        ),
        TrailerTrust::Author => format!(
            "To approve, {review}the approver commits as themself, `git commit --allow-empty -m \"{subject}\" -m \"{trailer}\"`."
        ),
        TrailerTrust::Any => format!(
            "To approve, {review}add a commit whose message ends with the trailer `{trailer}`."
        ),
    }
}

/// The sentence for a blocking finding.
pub fn for_finding(f: &Finding) -> String {
    format!(
        "{}:{}:{}: fix {} ({}), or suppress it on that line with `<!-- imprimatur-disable-next-line {} -- reason -->`; `imprimatur rules --explain {}` explains the rule.",
        f.path,
        f.span.line,
        f.span.column,
        f.rule,
        f.message.trim_end_matches('.'),
        f.rule,
        f.rule
    )
}

/// The sentence for a content file nobody owns.
pub fn for_unowned(path: &str) -> String {
    format!("{path}: add a CODEOWNERS line that covers it (owners.required is set).")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_counts_what_blocks() {
        let t = Tally {
            approvals_missing: 2,
            findings: 1,
            unowned: 0,
        };
        assert_eq!(t.line(), "blocked: 2 approvals missing, 1 blocking finding");
        assert_eq!(Tally::default().line(), "passed");
    }
}
