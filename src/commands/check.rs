//! `imprimatur check`: lint content files; `--fix` rewrites what it can prove.
//! A thin face: the arguments become a `CheckRequest`, the project checks
//! it (`run.rs`), and the outcome goes to the output format and exit status.

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::CheckArgs;
use crate::error::Result;
use crate::output::{self, Report};
use crate::project::Project;
use crate::run::{CacheSetting, CheckRequest, CheckRun, FixMode, RunStats, Shard, Touched};
use crate::selection::{ChangedSince, SelectionRequest, Source};
use crate::workspace::Workspace;

pub fn run(args: &CheckArgs) -> Result<i32> {
    if args.stdin_filename.is_some() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        return super::stdin::run(args);
    }
    let project = Project::open_for_check(args.project.config.as_deref())?;
    super::print_warnings(project.policy.owners_warnings.iter().map(String::as_str));
    super::print_warnings(project.policy.rules.load_warnings());
    let request = request(args)?;
    let run = project.check(&request)?;
    for warning in &run.warnings {
        eprintln!("warning: {warning}");
    }
    if args.verbose {
        eprintln!("{}", describe(&run.stats));
    }
    if let Some(e) = &run.cache_error {
        // A cache that cannot be written costs time, never results.
        eprintln!("warning: cannot write the result cache: {e}");
    }
    let ws = &project.workspace;
    note_governed_fixes(ws, &run.touched, request.fix);
    if request.fix == FixMode::Diff {
        return print_diffs(ws, &run.touched, run.fixed);
    }
    let min_level = args.min_level.unwrap_or_else(|| project.min_level());
    let report = report(&project, run, min_level);
    super::emit::report(args.format, &report, None, &ws.paths())
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    let listed = matches!(
        args.format,
        crate::cli::Format::Human | crate::cli::Format::Line
    );
    if args.statistics && listed {
        super::emit::text(&output::statistics::render(&report.findings))
            .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    }
    let failed = report.findings.iter().any(|f| f.level >= args.fail_level);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// The library's request for the command line's arguments.
fn request(args: &CheckArgs) -> Result<CheckRequest> {
    let source = match (&args.rev, args.staged) {
        (Some(rev), _) => Source::Commit(rev.clone()),
        (None, true) => Source::Index,
        (None, false) => Source::WorkingTree,
    };
    let changed_since = args.changed.as_ref().map(|base| match base.as_str() {
        "" => ChangedSince::Ci,
        base => ChangedSince::Base(base.to_string()),
    });
    let cache = match (&args.cache_dir, args.no_cache) {
        (_, true) => CacheSetting::Off,
        (Some(dir), false) => CacheSetting::At(dir.clone()),
        (None, false) => CacheSetting::Default,
    };
    let fix = match (args.fix, args.diff) {
        (false, _) => FixMode::Off,
        (true, false) => FixMode::Write,
        (true, true) => FixMode::Diff,
    };
    Ok(CheckRequest {
        selection: SelectionRequest {
            source,
            changed_since,
            changed_lines: args.changed_lines,
            paths: args.paths.clone(),
        },
        shard: args.shard.as_deref().map(Shard::parse).transpose()?,
        today: args.today,
        cache,
        fix,
        keep_sources: args.format == crate::cli::Format::Human && !args.diff,
        threads: args.threads,
    })
}

/// The findings at or above `min_level`, with what the formats show beside them.
fn report(project: &Project, run: CheckRun, min_level: crate::finding::Level) -> Report {
    let mut report = Report {
        files: run.stats.files,
        sources: run.sources,
        fixed: run.fixed,
        rules: output::RuleMeta::from_rule_set(&project.policy.rules),
        checked: run.checked,
        ..Report::default()
    };
    for r in run.results {
        report
            .findings
            .extend(r.findings.into_iter().filter(|f| f.level >= min_level));
        report.suppressed.extend(r.suppressed);
    }
    report
}

/// `--verbose`: how many files, how fast, how many the cache and the
/// prefilter spared.
fn describe(stats: &RunStats) -> String {
    let Some(cache) = stats.cache else {
        return format!(
            "checked {} files in {:.2?} (no cache; {} proven clean without parsing)",
            stats.files, stats.elapsed, stats.proven_clean
        );
    };
    format!(
        "checked {} files in {:.2?}: {} from the cache, {} read ({} proven clean without parsing{})",
        stats.files,
        stats.elapsed,
        cache.hits,
        stats.files - cache.hits,
        stats.proven_clean,
        if cache.listed { "; file list from the cache" } else { "" }
    )
}

/// `--fix --diff`: a unified diff per file (paths as the human output
/// shows them), nothing written; exit 1 when there is something to fix,
/// as ruff's `--diff` does.
fn print_diffs(ws: &Workspace, touched: &[Touched], fixed: usize) -> Result<i32> {
    let paths = ws.paths();
    let mut out = String::new();
    for t in touched {
        let Some((before, after)) = &t.texts else {
            continue;
        };
        let shown = paths.display(&t.rel);
        let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&format!("a/{shown}"), &format!("b/{shown}"))
                .to_string(),
        );
    }
    super::emit::text(&out)
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    if touched.is_empty() {
        eprintln!("nothing to fix");
        return Ok(EXIT_OK);
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "would fix {} in {} (nothing written)",
        plural(fixed, "finding"),
        plural(touched.len(), "file")
    );
    Ok(EXIT_FINDINGS)
}

/// A fix to a page under an approval policy changes what was approved:
/// say so, so the writer asks for the approval before merging.
fn note_governed_fixes(ws: &Workspace, touched: &[Touched], fix: FixMode) {
    let policies = &ws.config.config.approvals.policies;
    if policies.is_empty() {
        return;
    }
    let paths = ws.paths();
    for t in touched {
        let governing: Vec<String> = policies
            .iter()
            .filter(|p| {
                p.paths.iter().any(|g| {
                    globset::Glob::new(g).is_ok_and(|g| g.compile_matcher().is_match(&t.rel))
                })
            })
            .map(|p| format!("`{}`", p.name))
            .collect();
        if governing.is_empty() {
            continue;
        }
        let verb = if fix == FixMode::Diff {
            "would change"
        } else {
            "changed"
        };
        eprintln!(
            "note: --fix {verb} {}, which approval policy {} governs: the change needs that approval before it merges",
            paths.display(&t.rel),
            governing.join(", ")
        );
    }
}
