//! `imprimatur gate`: judge a range of commits; exit 1 when blocked.

use std::path::Path;
use std::sync::Arc;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::{Format, GateArgs, PolicyFrom};
use crate::error::Result;
use crate::finding::Level;
use crate::gate::{self, GateInput};
use crate::output::{self, Report};

pub fn run(args: &GateArgs) -> Result<i32> {
    // The project (root and config) is found in the policy tree, not in the
    // working tree the change controls: only the repository is opened here.
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .map_err(|e| crate::error::plain(format!("cannot read the current directory: {e}")))?;
    let repo = git2::Repository::discover(&cwd)
        .map_err(|_| crate::error::plain("gate needs a git repository"))?;
    let repo_root = repo
        .workdir()
        .and_then(|d| d.canonicalize().ok())
        .ok_or_else(|| crate::error::plain("gate needs a repository with a work tree"))?;
    let input = input(args, &repo, &repo_root, &cwd)?;
    let gate::Outcome {
        decision,
        rules,
        lint,
        sources,
        prefix,
        warnings,
    } = gate::run(&input)?;
    super::print_warnings(warnings.iter().map(String::as_str));
    let sources = (args.format == Format::Human).then_some(sources);
    let report = report(&decision, rules, lint, sources);
    let paths = output::Paths {
        root: repo_root.join(&prefix),
        cwd,
        repo_prefix: prefix,
    };
    super::emit::report(args.format, &report, Some(&decision), &paths)
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    if args.policy_from == PolicyFrom::Head {
        eprintln!("note: policy read from head (--policy-from head), not from the merge base");
    }
    Ok(if decision.passed {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}

/// What the library's gate is asked, from the command line and, without
/// `--base`, the CI environment's pull or merge request.
fn input<'r>(
    args: &GateArgs,
    repo: &'r git2::Repository,
    repo_root: &Path,
    cwd: &Path,
) -> Result<GateInput<'r>> {
    let base = match &args.base {
        Some(b) => b.clone(),
        None => crate::source::git::base_from_environment().ok_or_else(|| {
            crate::error::with_help(
                "no --base given and no pull or merge request in the environment",
                "pass the branch the change merges into, e.g. --base origin/main",
            )
        })?,
    };
    let reviews = match &args.reviews {
        Some(path) => crate::approvals::read_reviews(&cwd.join(path))?,
        None => Vec::new(),
    };
    let explicit_config = args
        .project
        .config
        .as_ref()
        .map(|p| crate::source::relative(repo_root, &cwd.join(p)));
    Ok(GateInput {
        repo,
        start: crate::source::relative(repo_root, cwd),
        base,
        head: args.head.clone(),
        reviews,
        reviews_given: args.reviews.is_some(),
        policy_from_head: args.policy_from == PolicyFrom::Head,
        changed_lines_only: args.changed_lines,
        explicit_config,
        fail_level: args.fail_level,
        today: args.today.unwrap_or_else(crate::calendar::today),
    })
}

/// The outcome as the output formats take it: the lint findings, the
/// gate's own issues as findings, every path judged, and the sources when
/// given (the human format's excerpts).
fn report(
    decision: &gate::Decision,
    rules: Vec<crate::rules::RuleMeta>,
    lint: Vec<crate::engine::FileResult>,
    sources: Option<std::collections::BTreeMap<String, String>>,
) -> Report {
    let mut checked: Vec<String> = lint
        .iter()
        .map(|r| r.path.clone())
        .chain(decision.files.iter().map(|f| f.path.clone()))
        .collect();
    checked.sort_unstable();
    checked.dedup();
    let gate_findings = decision
        .issues
        .iter()
        .map(|i| crate::finding::file_finding(&i.path, i.rule, Level::Error, i.message.clone()))
        .collect();
    let mut report = Report {
        files: lint.len(),
        rules,
        checked,
        gate_findings,
        ..Report::default()
    };
    for r in lint {
        report.findings.extend(r.findings);
        report.suppressed.extend(r.suppressed);
    }
    if let Some(sources) = sources {
        report.sources = sources
            .into_iter()
            .map(|(k, v)| (k, Arc::from(v)))
            .collect();
    }
    report
}
