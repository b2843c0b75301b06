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
pub mod next_steps;
pub mod policy;

use std::collections::{BTreeMap, BTreeSet};

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
pub const APPROVAL_RULE: &str = crate::builtin_rules::APPROVAL;

/// What the gate is asked to judge.
pub struct GateInput<'a> {
    pub repo: &'a Repository,
    /// The current directory relative to the repository root: where the
    /// search for the project's config starts (in the policy tree).
    pub start: String,
    pub base: String,
    pub head: String,
    pub reviews: Vec<PlatformApproval>,
    /// Whether platform reviews were passed (`--reviews`): next steps then
    /// say "approve the pull or merge request".
    pub reviews_given: bool,
    pub policy_from_head: bool,
    pub changed_lines_only: bool,
    /// A config named on the command line, repository-relative.
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
    /// One plain sentence per unmet requirement or blocking finding: whom
    /// to ask and how the approval is recorded, or how to clear it.
    pub next_steps: Vec<String>,
    /// The blocking reasons that are not lint findings, per file, for the
    /// formats that annotate files (the JSON shape is `blocking`).
    #[serde(skip)]
    pub issues: Vec<Issue>,
    /// What blocks, counted, for the last line of the human output.
    #[serde(skip)]
    pub tally: next_steps::Tally,
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
    pub rules: Vec<crate::rules::RuleMeta>,
    pub lint: Vec<FileResult>,
    pub sources: BTreeMap<String, String>,
    /// The project root (relative to the repository root) found in the
    /// policy tree: reported paths are relative to it.
    pub prefix: String,
    /// The policy's load warnings (CODEOWNERS lines it could not use), for
    /// the face to show.
    pub warnings: Vec<String>,
}

/// The two trees a gate compares and what it judges them by.
struct Range<'r> {
    repo: &'r Repository,
    head: git2::Oid,
    merge_base: git2::Oid,
    policy_commit: git2::Oid,
    base_tree: git2::Tree<'r>,
    head_tree: git2::Tree<'r>,
    policy: Policy,
    prefix: String,
    /// Governance paths outside the project (configs above it, the
    /// repository's CODEOWNERS places) and config names below it on the way
    /// to the current directory.
    outside_governance: BTreeSet<String>,
    below_governance: BTreeSet<String>,
}

impl<'r> Range<'r> {
    fn open(input: &GateInput<'r>) -> Result<Range<'r>> {
        let repo = input.repo;
        let head = crate::source::git::resolve_commit(repo, &input.head)?;
        let base = crate::source::git::resolve_commit(repo, &input.base)?;
        let merge_base = crate::source::git::merge_base(repo, base.id(), head.id(), &input.base)?;
        let policy_commit = if input.policy_from_head {
            head.id()
        } else {
            merge_base
        };
        let (policy, located) = policy::load(
            repo,
            policy_commit,
            &input.start,
            input.explicit_config.as_deref(),
        )?;
        let tree_of = |oid| {
            repo.find_commit(oid)
                .and_then(|c| c.tree())
                .map_err(crate::source::git::git_error)
        };
        Ok(Range {
            repo,
            head: head.id(),
            merge_base,
            policy_commit,
            base_tree: tree_of(merge_base)?,
            head_tree: head.tree().map_err(crate::source::git::git_error)?,
            outside_governance: policy::outside_governance(&located.prefix),
            below_governance: policy::configs_below(&located.prefix, &input.start)
                .into_iter()
                .collect(),
            prefix: located.prefix,
            policy,
        })
    }

    /// The path relative to the project root, for paths inside the project.
    fn project_rel(&self, display: &str) -> Option<String> {
        crate::source::git::strip_prefix(&self.prefix, display)
    }

    fn is_governance(&self, display: &str, rel: Option<&str>) -> bool {
        match rel {
            Some(rel) => {
                self.policy.governance.contains(rel) || self.below_governance.contains(rel)
            }
            None => self.outside_governance.contains(display),
        }
    }
}

/// One path the gate judges: a path that differs between the merge base
/// and head, directly or through a symlink.
struct Judged {
    path: Vec<u8>,
    display: String,
    /// The path's content at head, followed through symlinks.
    head: crate::source::git::Resolved,
    base: crate::source::git::Resolved,
}

pub fn run(input: &GateInput) -> Result<Outcome> {
    let range = Range::open(input)?;
    let repo = range.repo;
    let policy = &range.policy;
    let judged = judged_paths(&range)?;
    let commits = history::range(
        repo,
        range.merge_base,
        range.head,
        &policy.config.approvals.trailers,
    )?;
    let evidence = collect_evidence(repo, policy, &commits, &input.reviews);
    let set = crate::source::ContentSet::new(&policy.config.content)?;
    let changed_rels: Vec<String> = judged
        .iter()
        .filter_map(|j| range.project_rel(&j.display))
        .collect();
    let env = crate::environment::Environment::new(
        input.today,
        crate::environment::git_files(
            repo.path(),
            crate::source::git::tree_files(repo, &range.head_tree),
            &range.prefix,
        ),
        if policy.rules.has_dates_rules() {
            crate::environment::last_changed_for(repo, range.head, &range.prefix, &changed_rels)
        } else {
            Default::default()
        },
    );
    let checker = Checker {
        env: &env,
        rules: &policy.rules,
        config: &policy.config,
    };
    let unchanged_since = |commit: &str, path: &[u8], head: &crate::source::git::Resolved| {
        unchanged_since(repo, commit, path, head)
    };
    let judge = Judge {
        config: &policy.config,
        commits: &commits,
        evidence: &evidence,
        unchanged_since: &unchanged_since,
    };
    let mut verdict = Verdict::default();
    for path in &judged {
        judge_path(&range, &set, &checker, &judge, input, path, &mut verdict)?;
    }
    let decision = Decision {
        passed: verdict.blocking.is_empty(),
        base: range.merge_base.to_string(),
        head: range.head.to_string(),
        policy_from: range.policy_commit.to_string(),
        blocking: verdict.blocking,
        files: verdict.files,
        next_steps: verdict.next_steps,
        issues: verdict.issues,
        tally: verdict.tally,
    };
    Ok(Outcome {
        decision,
        rules: crate::rules::RuleMeta::from_rule_set(&policy.rules),
        lint: verdict.lint,
        sources: verdict.sources,
        warnings: policy.owners_warnings.clone(),
        prefix: range.prefix,
    })
}

/// What the judged paths add up to.
#[derive(Default)]
struct Verdict {
    lint: Vec<FileResult>,
    sources: BTreeMap<String, String>,
    files: Vec<FileDecision>,
    blocking: Vec<String>,
    next_steps: Vec<String>,
    issues: Vec<Issue>,
    tally: next_steps::Tally,
}

/// Every path whose content differs between the merge base and head, of any
/// kind (files, symlinks, submodule gitlinks; names kept as bytes), plus the
/// paths that show different content through a symlink: the pages under a
/// directory link that was added or retargeted, and the link whose target
/// changed. A path is judged when what it shows — followed through links —
/// differs.
fn judged_paths(range: &Range) -> Result<Vec<Judged>> {
    let repo = range.repo;
    let changes =
        crate::source::git::diff_paths(repo, Some(&range.base_tree), Some(&range.head_tree))?;
    let mut candidates: BTreeSet<Vec<u8>> = changes.iter().map(|c| c.path.clone()).collect();
    // Pages reached through a directory link that the change added or moved.
    for change in &changes {
        if change.new.is_some_and(|e| e.is_symlink()) {
            let resolved = crate::source::git::resolve(repo, &range.head_tree, &change.path);
            if let crate::source::git::Target::Found(target, e) = &resolved.target {
                if e.is_tree() {
                    for (sub, _) in
                        crate::source::git::entries_under(repo, &range.head_tree, target)
                    {
                        candidates.insert(join_bytes(&change.path, &sub));
                    }
                }
            }
        }
    }
    // Links (unchanged themselves) whose target is, or contains, a changed path.
    let changed: Vec<&[u8]> = changes.iter().map(|c| c.path.as_slice()).collect();
    for (link, _) in crate::source::git::symlinks(repo, &range.head_tree) {
        let resolved = crate::source::git::resolve(repo, &range.head_tree, &link);
        let crate::source::git::Target::Found(target, _) = &resolved.target else {
            continue;
        };
        for path in &changed {
            if *path == target.as_slice() {
                candidates.insert(link.clone());
            } else if let Some(rest) = path
                .strip_prefix(target.as_slice())
                .and_then(|r| r.strip_prefix(b"/"))
            {
                candidates.insert(join_bytes(&link, rest));
            }
        }
    }
    Ok(candidates
        .into_iter()
        .filter_map(|path| {
            let head = crate::source::git::resolve(repo, &range.head_tree, &path);
            let base = crate::source::git::resolve(repo, &range.base_tree, &path);
            (head != base).then(|| Judged {
                display: crate::source::repo_path::display(&path),
                path,
                head,
                base,
            })
        })
        .collect())
}

fn join_bytes(dir: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut out = dir.to_vec();
    out.push(b'/');
    out.extend_from_slice(rest);
    out
}

/// Judges one path: lint (content files), ownership, requirements.
fn judge_path(
    range: &Range,
    set: &crate::source::ContentSet,
    checker: &Checker,
    judge: &Judge,
    input: &GateInput,
    path: &Judged,
    verdict: &mut Verdict,
) -> Result<()> {
    let policy = &range.policy;
    let rel = range.project_rel(&path.display);
    let is_governance = range.is_governance(&path.display, rel.as_deref());
    // Paths outside the project are judged only as governance paths.
    let shown = rel
        .clone()
        .unwrap_or_else(|| outside_project(&range.prefix, &path.display));
    if rel.is_none() && !is_governance {
        return Ok(());
    }
    let is_content = rel.as_deref().is_some_and(|r| set.is_content(r));
    let ownership = policy.codeowners.owners_of(&shown);
    let mut requirements = Vec::new();
    if let Some(rel) = &rel {
        if is_content {
            lint(range, checker, input, path, rel, verdict)?;
            if policy.config.owners.required && !ownership.is_owned() {
                // The decision's `blocking` line keeps its own short
                // wording; the file-level issue is the one unowned finding.
                verdict
                    .blocking
                    .push(format!("{rel}: no owner in CODEOWNERS (owners.required)"));
                verdict.next_steps.push(next_steps::for_unowned(rel));
                verdict.tally.unowned += 1;
                let finding = crate::engine::unowned_finding(rel);
                verdict.issues.push(Issue {
                    path: finding.path,
                    rule: crate::engine::UNOWNED_RULE,
                    message: finding.message,
                });
            }
        }
        requirements.extend(policy_requirements(policy, rel, &ownership));
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
    if !is_content && !is_governance && requirements.is_empty() {
        return Ok(());
    }
    let results: Vec<RequirementResult> = requirements
        .iter()
        .map(|r| judge.evaluate(&path.path, &path.head, &ownership.owners, r))
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
        verdict.blocking.push(format!("{shown}: {message}"));
        let step = next_steps::for_requirement(policy, &shown, r, input.reviews_given);
        verdict.tally.approvals_missing += r.required.saturating_sub(r.approved_by.len() as u32);
        verdict.issues.push(Issue {
            path: shown.clone(),
            rule: APPROVAL_RULE,
            message,
        });
        verdict.next_steps.push(step);
    }
    verdict.files.push(FileDecision {
        path: shown,
        owners: ownership.owners.clone(),
        requirements: results,
    });
    Ok(())
}

/// A repository path outside the project, relative to the project root.
fn outside_project(prefix: &str, display: &str) -> String {
    let ups = prefix.split('/').filter(|p| !p.is_empty()).count();
    format!("{}{display}", "../".repeat(ups))
}

/// Lints a content path at head (through symlinks and Git LFS); with
/// `--changed-lines`, keeps what the change touched and what is about the
/// whole document.
fn lint(
    range: &Range,
    checker: &Checker,
    input: &GateInput,
    path: &Judged,
    rel: &str,
    verdict: &mut Verdict,
) -> Result<()> {
    let Some(bytes) = content_at(range, &path.head) else {
        return Ok(());
    };
    let added = if input.changed_lines_only {
        let old = content_at(range, &path.base)
            .and_then(|b| b.ok())
            .unwrap_or_default();
        match &bytes {
            Ok(new) => Some(crate::source::git::added_lines(&old, new)?),
            Err(_) => Some(BTreeSet::new()),
        }
    } else {
        None
    };
    let (mut result, doc) = checker.check_bytes(rel, bytes);
    if let Some(lines) = &added {
        crate::changed_lines::retain(&mut result, Some(lines), checker.rules);
    }
    for f in result
        .findings
        .iter()
        .filter(|f| f.level >= input.fail_level)
    {
        verdict.blocking.push(format!(
            "{}:{}:{}: {}: {}",
            f.path, f.span.line, f.span.column, f.rule, f.message
        ));
        verdict.next_steps.push(next_steps::for_finding(f));
        verdict.tally.findings += 1;
    }
    if let Some(doc) = doc.filter(|_| !result.findings.is_empty()) {
        verdict.sources.insert(rel.to_string(), doc.text);
    }
    verdict.lint.push(result);
    Ok(())
}

/// The bytes a content path shows in a tree: its file, followed through
/// symlinks, read as its LFS object when it is a pointer. `None` when there
/// is no page (deleted, a directory, a submodule); `Err` with the reason
/// when there is one that cannot be read.
fn content_at(
    range: &Range,
    resolved: &crate::source::git::Resolved,
) -> Option<std::result::Result<Vec<u8>, String>> {
    use crate::source::git::Target;
    match &resolved.target {
        Target::Found(_, e) if e.is_file() => Some(
            crate::source::git::read_blob(range.repo, e.id)
                .and_then(|bytes| crate::source::lfs::resolve(bytes, Some(range.repo.commondir()))),
        ),
        Target::Found(..) => None,
        Target::Missing if resolved.chain.is_empty() => None,
        Target::Missing => Some(Err("symbolic link to a path that does not exist".into())),
        Target::Outside(why) => Some(Err(format!("{why}; not followed"))),
    }
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
        let signature = (config.approvals.trailer_trust == TrailerTrust::Signed)
            .then(|| verify_commit(repo, commit.oid, &policy.signers));
        for approval in &commit.approvals {
            let identity = approval
                .email
                .clone()
                .or_else(|| approval.handle.clone())
                .unwrap_or_else(|| approval.raw.clone());
            let person = config.person_for_identity(&identity).map(str::to_string);
            let (trusted, why) = match &person {
                Some(p) => trailer_trust(policy, commit, p, signature.as_ref()),
                None => (config.approvals.trailer_trust == TrailerTrust::Any, None),
            };
            out.push(Evidence {
                who: person.clone().unwrap_or(identity),
                person,
                source: Source::Trailer {
                    index,
                    trusted,
                    why,
                },
            });
        }
    }
    for review in reviews.iter().filter(|r| r.state == ReviewState::Approved) {
        let person = config
            .person_for_identity(&review.login)
            .map(str::to_string);
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

/// Is a trailer naming `person` in `commit` proof under `trailer_trust`?
/// When not, why (which key signed, which file should list it).
fn trailer_trust(
    policy: &Policy,
    commit: &RangeCommit,
    person: &str,
    signature: Option<&SignatureCheck>,
) -> (bool, Option<String>) {
    let config = &policy.config;
    match config.approvals.trailer_trust {
        TrailerTrust::Any => (true, None),
        TrailerTrust::Author => {
            let author = config.person_for_identity(&commit.author_email);
            let trusted = author == Some(person);
            (
                trusted,
                (!trusted).then(|| {
                    format!(
                        "the commit carrying it is authored by {}",
                        commit.author_email
                    )
                }),
            )
        }
        TrailerTrust::Signed => signed_trust(policy, person, signature),
    }
}

fn signed_trust(
    policy: &Policy,
    person: &str,
    signature: Option<&SignatureCheck>,
) -> (bool, Option<String>) {
    let listed = &policy.config.people[person];
    let file = &policy.signers_file;
    let no = |why: String| (false, Some(why));
    match signature {
        Some(SignatureCheck::Verified { principals }) => {
            if listed
                .emails
                .iter()
                .any(|e| crate::approvals::signature::principals_match(principals, e))
            {
                (true, None)
            } else {
                no(format!(
                    "signed by a key that {} lists for {}, not for {person}",
                    file.path,
                    principals.join(", ")
                ))
            }
        }
        Some(SignatureCheck::GpgVerified { fingerprints, uid }) => {
            let bound = |f: &String| {
                let f = f.to_ascii_uppercase().replace(' ', "");
                fingerprints.contains(&f)
            };
            if listed.gpg.iter().any(bound) {
                (true, None)
            } else {
                no(format!(
                    "signed with GPG key {} (user id {uid}), which people.{person}.gpg does not list",
                    fingerprints.first().map_or("?", String::as_str)
                ))
            }
        }
        Some(SignatureCheck::UnknownKey { key }) if file.exists => no(format!(
            "signed with {key}, which {} does not list",
            file.path
        )),
        Some(SignatureCheck::UnknownKey { key }) => no(format!(
            "signed with {key}, and there is no allowed_signers file ({} does not exist)",
            file.path
        )),
        Some(SignatureCheck::Unsigned) => no("the commit carrying it is not signed".to_string()),
        Some(SignatureCheck::BadSignature) => {
            no("the commit's signature does not verify (changed after signing)".to_string())
        }
        Some(SignatureCheck::Unsupported(why)) => no(why.clone()),
        None => no("no signature was checked".to_string()),
    }
}

/// Does `path` show at `commit` what it shows at head (`head`, resolved) —
/// the same entry, reached through the same symlinks? (Unknown commits: no.)
fn unchanged_since(
    repo: &Repository,
    commit: &str,
    path: &[u8],
    head: &crate::source::git::Resolved,
) -> bool {
    let Ok(oid) = Oid::from_str(commit) else {
        return false;
    };
    let Ok(tree) = repo.find_commit(oid).and_then(|c| c.tree()) else {
        return false;
    };
    crate::source::git::resolve(repo, &tree, path) == *head
}
