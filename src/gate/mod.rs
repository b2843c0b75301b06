//! The publish gate: judges merge-base(base, head)..head.
//!
//! 1. Policy (config, packs, CODEOWNERS, allowed signers) from the merge
//!    base (`--policy-from head` overrides, and says so).
//! 2. Lint every changed content file at head.
//! 3. Ownership from CODEOWNERS; with `owners.required`, unowned blocks.
//! 4. Approvals from trailers (trusted per `trailer_trust`) and `--reviews`.
//! 5. Governance files changed need `approvals.governance`.
//! 6. The decision, with every reason.

pub mod evaluate;
pub mod history;
pub mod policy;

use std::collections::BTreeMap;

use git2::{Oid, Repository};
use serde::Serialize;

use crate::approvals::{verify_commit, PlatformApproval, ReviewState, SignatureCheck};
use crate::config::TrailerTrust;
use crate::engine::{Checker, FileResult};
use crate::error::Result;
use crate::finding::Level;
use crate::ownership::Dialect;
use evaluate::{Evidence, Judge, Requirement, RequirementResult, Source};
use history::RangeCommit;
pub use policy::Policy;

/// Rule id under which the CI formats report a requirement (policy, GitLab
/// section, governance) that a changed file does not meet.
pub const APPROVAL_RULE: &str = "imprimatur/approval";

/// What the gate is asked to judge.
pub struct GateInput<'a> {
    pub repo: &'a Repository,
    /// The project root relative to the repository root (`""` at the root).
    pub prefix: String,
    pub base: String,
    pub head: String,
    pub reviews: Vec<PlatformApproval>,
    pub policy_from_head: bool,
    pub changed_lines_only: bool,
    pub explicit_config: Option<String>,
    /// Findings at or above this level block.
    pub fail_level: Level,
    /// Today, as days since 1970-01-01.
    pub today: i64,
}

#[derive(Debug, Serialize)]
pub struct FileDecision {
    pub path: String,
    pub owners: Vec<String>,
    pub requirements: Vec<RequirementResult>,
}

#[derive(Debug, Serialize)]
pub struct Decision {
    pub passed: bool,
    pub base: String,
    pub head: String,
    pub policy_from: String,
    pub blocking: Vec<String>,
    pub files: Vec<FileDecision>,
    /// The blocking reasons that are not lint findings, per file, for the
    /// formats that annotate files (the JSON shape is `blocking`).
    #[serde(skip)]
    pub issues: Vec<Issue>,
}

/// A blocking reason tied to a file: an unmet requirement (rule
/// `APPROVAL_RULE`) or an unowned file (`engine::UNOWNED_RULE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub path: String,
    pub rule: &'static str,
    pub message: String,
}

/// The gate's outcome: the decision and the lint results behind it.
pub struct Outcome {
    pub decision: Decision,
    /// What the policy's rules are, for the formats that describe them.
    pub rules: Vec<crate::output::RuleMeta>,
    pub lint: Vec<FileResult>,
    pub sources: BTreeMap<String, String>,
}

pub fn run(input: &GateInput) -> Result<Outcome> {
    let repo = input.repo;
    let head = crate::source::git::resolve_commit(repo, &input.head)?;
    let base = crate::source::git::resolve_commit(repo, &input.base)?;
    let merge_base = crate::source::git::merge_base(repo, base.id(), head.id(), &input.base)?;
    let policy_commit = if input.policy_from_head {
        head.id()
    } else {
        merge_base
    };
    let policy = policy::load(
        repo,
        policy_commit,
        &input.prefix,
        input.explicit_config.as_deref(),
    )?;
    let base_tree = repo
        .find_commit(merge_base)
        .and_then(|c| c.tree())
        .map_err(crate::source::git::git_error)?;
    let head_tree = head.tree().map_err(crate::source::git::git_error)?;
    let changes = crate::source::git::changes(
        repo,
        Some(&base_tree),
        crate::source::git::Snapshot::Tree(head.id()),
    )?;
    let commits = history::range(
        repo,
        merge_base,
        head.id(),
        &policy.config.approvals.trailers,
    )?;
    let evidence = collect_evidence(repo, &policy, &commits, &input.reviews);

    let set = crate::source::ContentSet::new(&policy.config.content)?;
    let changed_rels: Vec<String> = changes
        .keys()
        .filter_map(|p| crate::source::git::strip_prefix(&input.prefix, p))
        .collect();
    let env = crate::environment::Environment::new(
        input.today,
        crate::environment::git_files(
            repo.path(),
            crate::source::git::tree_files(repo, &head_tree),
            &input.prefix,
        ),
        if policy.rules.has_dates_rules() {
            crate::environment::last_changed_for(repo, head.id(), &input.prefix, &changed_rels)
        } else {
            Default::default()
        },
    );
    let checker = Checker {
        env: &env,
        rules: &policy.rules,
        config: &policy.config,
    };
    let mut lint = Vec::new();
    let mut sources = BTreeMap::new();
    let mut files = Vec::new();
    let mut blocking = Vec::new();
    let mut issues = Vec::new();
    let unchanged_since =
        |commit: &str, path: &str| unchanged_since(repo, &head_tree, commit, path);
    let judge = Judge {
        config: &policy.config,
        commits: &commits,
        evidence: &evidence,
        unchanged_since: &unchanged_since,
    };

    for (repo_path, change) in &changes {
        let Some(rel) = crate::source::git::strip_prefix(&input.prefix, repo_path) else {
            continue;
        };
        let is_governance = policy.governance_files.contains(&rel);
        let is_content = set.is_content(&rel);
        if !is_governance && !is_content {
            continue;
        }
        let ownership = policy.codeowners.owners_of(&rel);
        let mut requirements = Vec::new();
        if is_content {
            if !change.deleted {
                if let Some(blob) = crate::source::git::tree_blob(&head_tree, repo_path) {
                    let bytes = crate::source::git::read_blob(repo, blob);
                    let (mut result, doc) = checker.check_bytes(&rel, bytes);
                    if input.changed_lines_only {
                        result.findings.retain(|f| {
                            (f.span.line..=f.span.end_line)
                                .any(|l| change.added_lines.contains(&(l as u32)))
                        });
                    }
                    for f in result
                        .findings
                        .iter()
                        .filter(|f| f.level >= input.fail_level)
                    {
                        blocking.push(format!(
                            "{}:{}:{}: {}: {}",
                            f.path, f.span.line, f.span.column, f.rule, f.message
                        ));
                    }
                    if let Some(doc) = doc.filter(|_| !result.findings.is_empty()) {
                        sources.insert(rel.clone(), doc.text);
                    }
                    lint.push(result);
                }
            }
            if policy.config.owners.required && !ownership.is_owned() {
                let message = "no owner in CODEOWNERS (owners.required)".to_string();
                blocking.push(format!("{rel}: {message}"));
                issues.push(Issue {
                    path: rel.clone(),
                    rule: crate::engine::UNOWNED_RULE,
                    message,
                });
            }
            requirements.extend(policy_requirements(&policy, &rel, &ownership));
        }
        if is_governance && !policy.config.approvals.governance.is_empty() {
            requirements.push(Requirement {
                policy: "governance".into(),
                required: 1,
                from: policy.config.approvals.governance.clone(),
                allow_author: false,
                invalidate_on_change: true,
            });
        }
        let results: Vec<RequirementResult> = requirements
            .iter()
            .map(|r| judge.evaluate(repo_path, &ownership.owners, r))
            .collect();
        for r in results.iter().filter(|r| !r.met) {
            let message = format!(
                "{} needs {} approval{} from {}, has {}",
                r.policy,
                r.required,
                if r.required == 1 { "" } else { "s" },
                r.from.join(", "),
                r.approved_by.len()
            );
            blocking.push(format!("{rel}: {message}"));
            issues.push(Issue {
                path: rel.clone(),
                rule: APPROVAL_RULE,
                message,
            });
        }
        files.push(FileDecision {
            path: rel,
            owners: ownership.owners.clone(),
            requirements: results,
        });
    }
    let decision = Decision {
        passed: blocking.is_empty(),
        base: merge_base.to_string(),
        head: head.id().to_string(),
        policy_from: policy_commit.to_string(),
        blocking,
        files,
        issues,
    };
    Ok(Outcome {
        decision,
        rules: crate::output::RuleMeta::from_rule_set(&policy.rules),
        lint,
        sources,
    })
}

/// The configured policies whose paths match, plus GitLab section approvals.
pub fn policy_requirements(
    policy: &Policy,
    rel: &str,
    ownership: &crate::ownership::Ownership,
) -> Vec<Requirement> {
    let mut out: Vec<Requirement> = policy
        .config
        .approvals
        .policies
        .iter()
        .filter(|p| {
            p.paths
                .iter()
                .any(|g| globset::Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(rel)))
        })
        .map(|p| Requirement {
            policy: p.name.clone(),
            required: p.require,
            from: p.from.clone(),
            allow_author: p.allow_author,
            invalidate_on_change: p.invalidate_on_change,
        })
        .collect();
    if policy.codeowners.dialect() == Dialect::Gitlab {
        for section in ownership
            .sections
            .iter()
            .filter(|s| !s.optional && !s.owners.is_empty())
        {
            out.push(Requirement {
                policy: format!(
                    "codeowners:{}",
                    section.name.as_deref().unwrap_or("default")
                ),
                required: section.approvals_required.max(1),
                from: section.owners.clone(),
                allow_author: false,
                invalidate_on_change: true,
            });
        }
    }
    out
}

/// Approvals from trailers (with their trust) and from platform reviews.
fn collect_evidence(
    repo: &Repository,
    policy: &Policy,
    commits: &[RangeCommit],
    reviews: &[PlatformApproval],
) -> Vec<Evidence> {
    let config = &policy.config;
    let mut out = Vec::new();
    for (index, commit) in commits.iter().enumerate() {
        if commit.approvals.is_empty() {
            continue;
        }
        let signed_by: Option<Vec<String>> = match config.approvals.trailer_trust {
            TrailerTrust::Signed => match verify_commit(repo, commit.oid, &policy.signers) {
                SignatureCheck::Verified { principals } => Some(principals),
                _ => Some(Vec::new()),
            },
            _ => None,
        };
        let author = config.person_for(&commit.author_email).map(str::to_string);
        for approval in &commit.approvals {
            let identity = approval
                .email
                .clone()
                .or_else(|| approval.handle.clone())
                .unwrap_or_else(|| approval.raw.clone());
            let person = config.person_for(&identity).map(str::to_string);
            let trusted = match (config.approvals.trailer_trust, &person) {
                (TrailerTrust::Any, _) => true,
                (_, None) => false,
                (TrailerTrust::Author, Some(p)) => author.as_deref() == Some(p.as_str()),
                (TrailerTrust::Signed, Some(p)) => {
                    let principals = signed_by.as_deref().unwrap_or_default();
                    config.people[p]
                        .emails
                        .iter()
                        .any(|e| crate::approvals::signature::principals_match(principals, e))
                }
            };
            out.push(Evidence {
                who: person.clone().unwrap_or(identity),
                person,
                source: Source::Trailer { index, trusted },
            });
        }
    }
    for review in reviews.iter().filter(|r| r.state == ReviewState::Approved) {
        let person = config.person_for(&review.login).map(str::to_string);
        out.push(Evidence {
            who: person.clone().unwrap_or_else(|| review.login.clone()),
            person,
            source: Source::Review {
                commit_id: review.commit_id.clone(),
            },
        });
    }
    out
}

/// Is `path` the same at `commit` as at head? (Unknown commits: no.)
fn unchanged_since(repo: &Repository, head_tree: &git2::Tree, commit: &str, path: &str) -> bool {
    let Ok(oid) = Oid::from_str(commit) else {
        return false;
    };
    let Ok(tree) = repo.find_commit(oid).and_then(|c| c.tree()) else {
        return false;
    };
    crate::source::git::tree_blob(&tree, path) == crate::source::git::tree_blob(head_tree, path)
}
