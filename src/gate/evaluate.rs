//! Approval semantics (DESIGN.md, "Approvals and the gate"): an approval
//! counts for file F under a requirement when the approver resolves to a
//! known person, its evidence is trusted, the person is in the required set,
//! was neither author nor committer of a commit that changed F in the range
//! (unless `allow_author`), and, with `invalidate_on_change`, saw F as it is
//! at head: F in the tree of the commit that carries the trailer (or of the
//! reviewed commit) equals F at head. Where a commit is listed does not
//! matter; what its tree holds does.

use std::collections::BTreeSet;

use serde::Serialize;

use super::history::RangeCommit;
use crate::config::Config;
use crate::source::git::Resolved;

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
    /// A trailer in range commit `index`; `trusted` per `trailer_trust`,
    /// and when not, `why` (e.g. the signing key that is not listed).
    Trailer {
        index: usize,
        trusted: bool,
        why: Option<String>,
    },
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
    /// A sentence with the particulars, where there are some (which key
    /// signed an untrusted trailer, which file should list it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Rejection {
    /// Why the approval was not counted, for people: the particulars when
    /// there are some, else what the reason means.
    pub fn explanation(&self) -> &str {
        self.detail
            .as_deref()
            .unwrap_or_else(|| super::next_steps::explain_reason(self.reason))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementResult {
    pub policy: String,
    pub required: u32,
    pub met: bool,
    pub approved_by: Vec<String>,
    pub rejected: Vec<Rejection>,
    /// Keys of `people` who could still satisfy the requirement: the
    /// required set, minus those who may not approve this file (its
    /// authors, without `allow_author`) and those already counted; sorted.
    pub candidates: Vec<String>,
    /// Whom the requirement asks for (teams, people, owners), for messages.
    #[serde(skip)]
    pub from: Vec<String>,
    /// How many people the required set resolves to.
    #[serde(skip)]
    pub eligible_count: usize,
}

/// Everything needed to judge approvals for the files of one range.
pub struct Judge<'a> {
    pub config: &'a Config,
    pub commits: &'a [RangeCommit],
    pub evidence: &'a [Evidence],
    /// Does F (a repository path) in this commit's tree, followed through
    /// symlinks, show what it shows at head (given, resolved once per
    /// path)? Unknown commits: no.
    pub unchanged_since: &'a dyn Fn(&str, &[u8], &Resolved) -> bool,
}

impl Judge<'_> {
    /// People (or raw emails) who authored or committed a range commit
    /// that changed `path`.
    pub fn authors_of(&self, path: &[u8]) -> BTreeSet<String> {
        self.commits
            .iter()
            .filter(|c| c.changed.contains(path))
            .flat_map(|c| [&c.author_email, &c.committer_email])
            .map(|email| {
                self.config
                    .person_for_identity(email)
                    .map_or_else(|| email.clone(), str::to_string)
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

    /// Judges `req` for `path`, whose content at head is `head`.
    pub fn evaluate(
        &self,
        path: &[u8],
        head: &Resolved,
        owners: &[String],
        req: &Requirement,
    ) -> RequirementResult {
        let eligible = self.eligible(&req.from, owners);
        let authors = self.authors_of(path);
        let mut approved: BTreeSet<String> = BTreeSet::new();
        let mut rejected: BTreeSet<Rejection> = BTreeSet::new();
        for e in self.evidence {
            match self.reason_to_reject(e, path, head, req, &eligible, &authors) {
                None => {
                    approved.insert(e.who.clone());
                }
                Some(reason) => {
                    let detail = match (&e.source, reason) {
                        (Source::Trailer { why, .. }, "untrusted-trailer") => why.clone(),
                        _ => None,
                    };
                    rejected.insert(Rejection {
                        who: e.who.clone(),
                        reason,
                        detail,
                    });
                }
            }
        }
        rejected.retain(|r| !approved.contains(&r.who));
        let candidates = eligible
            .iter()
            .filter(|p| req.allow_author || !authors.contains(*p))
            .filter(|p| !approved.contains(*p))
            .cloned()
            .collect();
        RequirementResult {
            policy: req.policy.clone(),
            required: req.required,
            met: approved.len() as u32 >= req.required,
            approved_by: approved.into_iter().collect(),
            rejected: rejected.into_iter().collect(),
            candidates,
            from: req.from.clone(),
            eligible_count: eligible.len(),
        }
    }

    fn reason_to_reject(
        &self,
        e: &Evidence,
        path: &[u8],
        head: &Resolved,
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
        if req.invalidate_on_change && self.is_stale(e, path, head) {
            return Some("stale");
        }
        None
    }

    fn is_stale(&self, e: &Evidence, path: &[u8], head: &Resolved) -> bool {
        match &e.source {
            Source::Trailer { index, .. } => {
                !(self.unchanged_since)(&self.commits[*index].oid.to_string(), path, head)
            }
            Source::Review {
                commit_id: Some(id),
            } => !(self.unchanged_since)(id, path, head),
            Source::Review { commit_id: None } => true,
        }
    }
}
