//! Approval semantics (DESIGN.md, "Approvals and the gate"): an approval
//! counts for file F under a requirement when the approver resolves to a
//! known person, its evidence is trusted, the person is in the required set,
//! did not author a change to F in the range (unless `allow_author`), and,
//! with `invalidate_on_change`, F has not changed since the approval.

use std::collections::BTreeSet;

use serde::Serialize;

use super::history::RangeCommit;
use crate::config::Config;

/// One approval, from a trailer or a platform review.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The person key, or the raw identity when unknown.
    pub who: String,
    pub person: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// A trailer in range commit `index`; `trusted` per `trailer_trust`.
    Trailer { index: usize, trusted: bool },
    /// A platform review given on `commit_id`.
    Review { commit_id: Option<String> },
}

/// What a file needs: a policy, GitLab section approvals, or governance.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub policy: String,
    pub required: u32,
    pub from: Vec<String>,
    pub allow_author: bool,
    pub invalidate_on_change: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rejection {
    pub who: String,
    pub reason: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementResult {
    pub policy: String,
    pub required: u32,
    pub met: bool,
    pub approved_by: Vec<String>,
    pub rejected: Vec<Rejection>,
    /// Whom the requirement asks for (teams, people, owners), for messages.
    #[serde(skip)]
    pub from: Vec<String>,
}

/// Everything needed to judge approvals for the files of one range.
pub struct Judge<'a> {
    pub config: &'a Config,
    pub commits: &'a [RangeCommit],
    pub evidence: &'a [Evidence],
    /// Is F (repository-relative) unchanged between this commit and head?
    pub unchanged_since: &'a dyn Fn(&str, &str) -> bool,
}

impl Judge<'_> {
    /// People (or raw emails) who authored a range commit touching `path`.
    pub fn authors_of(&self, path: &str) -> BTreeSet<String> {
        self.commits
            .iter()
            .filter(|c| c.touched.contains(path))
            .map(|c| {
                self.config
                    .person_for(&c.author_email)
                    .map_or_else(|| c.author_email.clone(), str::to_string)
            })
            .collect()
    }

    /// The people a requirement's `from` names, for file `owners`.
    pub fn eligible(&self, from: &[String], owners: &[String]) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for name in from {
            let names: Vec<&String> = if name == "owners" {
                owners.iter().collect()
            } else {
                vec![name]
            };
            for n in names {
                out.extend(self.config.members_of(n));
            }
        }
        out
    }

    pub fn evaluate(&self, path: &str, owners: &[String], req: &Requirement) -> RequirementResult {
        let eligible = self.eligible(&req.from, owners);
        let authors = self.authors_of(path);
        let mut approved: BTreeSet<String> = BTreeSet::new();
        let mut rejected: BTreeSet<Rejection> = BTreeSet::new();
        for e in self.evidence {
            match self.reason_to_reject(e, path, req, &eligible, &authors) {
                None => {
                    approved.insert(e.who.clone());
                }
                Some(reason) => {
                    rejected.insert(Rejection {
                        who: e.who.clone(),
                        reason,
                    });
                }
            }
        }
        rejected.retain(|r| !approved.contains(&r.who));
        RequirementResult {
            policy: req.policy.clone(),
            required: req.required,
            met: approved.len() as u32 >= req.required,
            approved_by: approved.into_iter().collect(),
            rejected: rejected.into_iter().collect(),
            from: req.from.clone(),
        }
    }

    fn reason_to_reject(
        &self,
        e: &Evidence,
        path: &str,
        req: &Requirement,
        eligible: &BTreeSet<String>,
        authors: &BTreeSet<String>,
    ) -> Option<&'static str> {
        let Some(person) = &e.person else {
            return Some("unknown-identity");
        };
        if let Source::Trailer { trusted: false, .. } = e.source {
            return Some("untrusted-trailer");
        }
        if !eligible.contains(person) {
            return Some("not-eligible");
        }
        if !req.allow_author && authors.contains(person) {
            return Some("self-approval");
        }
        if req.invalidate_on_change && self.is_stale(e, path) {
            return Some("stale");
        }
        None
    }

    fn is_stale(&self, e: &Evidence, path: &str) -> bool {
        match &e.source {
            Source::Trailer { index, .. } => self.commits[index + 1..]
                .iter()
                .any(|c| c.touched.contains(path)),
            Source::Review {
                commit_id: Some(id),
            } => !(self.unchanged_since)(id, path),
            Source::Review { commit_id: None } => true,
        }
    }
}
