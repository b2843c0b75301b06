//! `imprimatur check --stdin-filename PATH` (or `check -`): the text on
//! standard input checked as if it were the file PATH — PATH's config,
//! content-set membership and rules — the convention of Vale, ruff and
//! prettier for editor plugins and scripts that do not speak LSP.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::output::{self, Report};
use crate::project::Project;

/// The name standard input is checked under when no PATH is given.
const UNNAMED: &str = "stdin.md";

pub fn run(args: &CheckArgs) -> Result<i32> {
    refuse_other_sources(args)?;
    let cwd = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .map_err(|e| crate::error::plain(format!("cannot read the current directory: {e}")))?;
    let named = args.stdin_filename.as_deref();
    let abs = normalize(&cwd.join(named.unwrap_or(Path::new(UNNAMED))));
    let config = args.project.config.as_ref().map(|c| cwd.join(c));
    let mut project = Project::open(&crate::project::start_dir(&abs), config.as_deref(), None)?;
    project.workspace.cwd = cwd;
    super::print_warnings(project.policy.owners_warnings.iter().map(String::as_str));
    super::print_warnings(
        project
            .policy
            .rules
            .vale
            .warnings
            .iter()
            .map(String::as_str),
    );
    if let Some(today) = args.today {
        project.set_today(today);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| crate::error::plain(format!("cannot read standard input: {e}")))?;
    let rel = project.relative(&abs);
    // A named file outside the content set is not checked, as `check` would
    // not check it; unnamed input has no path to judge and is always checked.
    let rel = match rel {
        Some(rel) if named.is_none() || project.is_content(&rel) => rel,
        _ => {
            if args.verbose {
                eprintln!("{} is not in the content set: not checked", abs.display());
            }
            return finish(args, &project, Report::default(), bytes);
        }
    };
    let result = project.check_bytes(&rel, bytes.clone());
    let min_level = args.min_level.unwrap_or_else(|| project.min_level());
    let mut report = Report {
        files: 1,
        rules: output::RuleMeta::from_rule_set(&project.policy.rules),
        checked: vec![rel.clone()],
        ..Report::default()
    };
    if let Ok(text) = std::str::from_utf8(&bytes) {
        report.sources = HashMap::from([(rel.clone(), Arc::from(text))]);
    }
    report.findings = result
        .findings
        .into_iter()
        .filter(|f| f.level >= min_level)
        .collect();
    report.suppressed = result.suppressed;
    finish(args, &project, report, bytes)
}

/// Prints the report, or with `--fix` the fixed text (as ruff does for
/// standard input); the exit status follows the findings that remain.
fn finish(args: &CheckArgs, project: &Project, report: Report, input: Vec<u8>) -> Result<i32> {
    let write_error = |e: std::io::Error| crate::error::plain(format!("cannot write output: {e}"));
    let failed = |findings: &[crate::finding::Finding]| {
        findings
            .iter()
            .any(|f| f.level >= args.fail_level && f.fix.is_none())
    };
    if args.fix {
        let fixed = match std::str::from_utf8(&input) {
            Ok(text) => crate::fix::apply_fixes(text, &report.findings)
                .0
                .into_bytes(),
            Err(_) => input,
        };
        use std::io::Write;
        std::io::stdout().write_all(&fixed).map_err(write_error)?;
        return Ok(if failed(&report.findings) {
            EXIT_FINDINGS
        } else {
            EXIT_OK
        });
    }
    super::emit::report(args.format, &report, None, &project.workspace.paths())
        .map_err(write_error)?;
    let any_failed = report.findings.iter().any(|f| f.level >= args.fail_level);
    Ok(if any_failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Standard input is one file: other ways of choosing files do not combine.
fn refuse_other_sources(args: &CheckArgs) -> Result<()> {
    let others = args.paths.iter().any(|p| p.as_os_str() != "-");
    let conflicting = [
        (others, "file paths"),
        (args.staged, "--staged"),
        (args.rev.is_some(), "--rev"),
        (args.changed.is_some(), "--changed"),
        (args.changed_lines, "--changed-lines"),
        (args.shard.is_some(), "--shard"),
    ];
    match conflicting.iter().find(|(set, _)| *set) {
        Some((_, what)) => Err(crate::error::plain(format!(
            "standard input is checked alone; it cannot be combined with {what}"
        ))),
        None => Ok(()),
    }
}

/// `a/./b/../c` as `a/c`, without touching the disk (PATH need not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
