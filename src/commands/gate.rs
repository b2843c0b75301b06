//! `imprimatur gate`: judge a range of commits; exit 1 when blocked.

use std::sync::Arc;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::{Format, GateArgs, PolicyFrom};
use crate::error::Result;
use crate::finding::Level;
use crate::gate::{self, GateInput};
use crate::output::{self, Report};
use crate::workspace::Workspace;

pub fn run(args: &GateArgs) -> Result<i32> {
    let ws = Workspace::open(args.config.as_deref())?;
    let Some(repo) = &ws.repo else {
        return Err(crate::error::plain("gate needs a git repository"));
    };
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
        Some(path) => crate::approvals::read_reviews(&ws.cwd.join(path))?,
        None => Vec::new(),
    };
    let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
    let prefix = crate::source::relative(&repo_root, &ws.root);
    let explicit_config = ws
        .config
        .path
        .as_ref()
        .filter(|_| args.config.is_some())
        .map(|p| crate::source::relative(&ws.root, p));
    let input = GateInput {
        repo,
        prefix,
        base,
        head: args.head.clone(),
        reviews,
        policy_from_head: args.policy_from == PolicyFrom::Head,
        changed_lines_only: args.changed_lines,
        explicit_config,
        fail_level: args.fail_level,
        today: args.today.unwrap_or_else(crate::calendar::today),
    };
    let outcome = gate::run(&input)?;
    let passed = outcome.decision.passed;
    let mut checked: Vec<String> = outcome
        .lint
        .iter()
        .map(|r| r.path.clone())
        .chain(outcome.decision.files.iter().map(|f| f.path.clone()))
        .collect();
    checked.sort_unstable();
    checked.dedup();
    let gate_findings = outcome
        .decision
        .issues
        .iter()
        .map(|i| crate::engine::file_finding(&i.path, i.rule, Level::Error, i.message.clone()))
        .collect();
    let mut report = Report {
        files: outcome.lint.len(),
        gate: Some(serde_json::to_value(&outcome.decision).expect("the decision serializes")),
        rules: outcome.rules,
        checked,
        gate_findings,
        ..Report::default()
    };
    for r in outcome.lint {
        report.findings.extend(r.findings);
        report.suppressed.extend(r.suppressed);
    }
    if args.format == Format::Human {
        report.sources = outcome
            .sources
            .into_iter()
            .map(|(k, v)| (k, Arc::from(v)))
            .collect();
    }
    output::emit_report(args.format, &report, &ws.paths())
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    if args.policy_from == PolicyFrom::Head {
        eprintln!("note: policy read from head (--policy-from head), not from the merge base");
    }
    Ok(if passed { EXIT_OK } else { EXIT_FINDINGS })
}
