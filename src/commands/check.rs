//! `imprimatur check`: lint content files; `--fix` rewrites what it can prove.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::CheckArgs;
use crate::engine::{Checker, FileResult};
use crate::error::Result;
use crate::output::{self, Report};
use crate::source::{discover, ContentFile, ContentSet};
use crate::workspace::Workspace;

pub fn run(args: &CheckArgs) -> Result<i32> {
    if args.staged || args.rev.is_some() || args.changed.is_some() || args.changed_lines {
        return Err(crate::error::plain(
            "--staged, --rev, --changed and --changed-lines are not available in this build",
        ));
    }
    let ws = Workspace::open(args.config.as_deref())?;
    let rules = crate::rules::load_rule_set(&ws.config.config, &ws.config.base_dir)?;
    let set = ContentSet::new(&ws.config.config.content)?;
    let mut files = discover(&ws.root, &set, &args.paths, &ws.cwd)?;
    if let Some(shard) = &args.shard {
        files = select_shard(files, shard)?;
    }
    let checker = Checker {
        rules: &rules,
        config: &ws.config.config,
    };
    let keep_sources = args.format == crate::cli::Format::Human;
    let run = || check_files(&checker, &files, args.fix, keep_sources);
    let (results, sources, fixed) = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| crate::error::plain(format!("cannot start {n} threads: {e}")))?
            .install(run),
        None => run(),
    }?;
    let mut report = Report {
        files: files.len(),
        sources,
        fixed,
        ..Report::default()
    };
    for r in results {
        report
            .findings
            .extend(r.findings.into_iter().filter(|f| f.level >= args.min_level));
        report.suppressed.extend(r.suppressed);
    }
    output::emit_report(args.format, &report, &ws.paths())
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    let failed = report.findings.iter().any(|f| f.level >= args.fail_level);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

type Checked = (Vec<FileResult>, HashMap<String, Arc<str>>, usize);
/// One file's result, its source when the report shows snippets, and fixes applied.
type FileOutcome = (FileResult, Option<Arc<str>>, usize);

/// Checks every file in parallel; results come back in path order.
fn check_files(
    checker: &Checker,
    files: &[ContentFile],
    fix: bool,
    keep_sources: bool,
) -> Result<Checked> {
    let outcomes: Vec<Result<FileOutcome>> = files
        .par_iter()
        .map(|file| check_file(checker, file, fix, keep_sources))
        .collect();
    let mut results = Vec::with_capacity(files.len());
    let mut sources = HashMap::new();
    let mut fixed = 0;
    for outcome in outcomes {
        let (result, source, n) = outcome?;
        if let Some(source) = source {
            sources.insert(result.path.clone(), source);
        }
        fixed += n;
        results.push(result);
    }
    Ok((results, sources, fixed))
}

fn check_file(
    checker: &Checker,
    file: &ContentFile,
    fix: bool,
    keep_source: bool,
) -> Result<FileOutcome> {
    let bytes = if file.outside_link {
        Err("symlink pointing outside the repository; not followed".to_string())
    } else {
        std::fs::read(&file.abs).map_err(|e| format!("cannot read: {e}"))
    };
    let (mut result, mut doc) = checker.check_bytes(&file.rel, bytes);
    let mut fixed = 0;
    if fix {
        if let Some(d) = &doc {
            let (text, n) = crate::fix::apply_fixes(&d.text, &result.findings);
            if n > 0 {
                crate::fix::write_atomically(&file.abs, &text)
                    .map_err(|e| crate::error::plain(format!("cannot write {}: {e}", file.rel)))?;
                fixed = n;
                // Report what remains after the fixes, at its new position.
                let (after, after_doc) = checker.check_bytes(&file.rel, Ok(text.into_bytes()));
                result = after;
                doc = after_doc;
            }
        }
    }
    let source = doc
        .filter(|_| keep_source && !result.findings.is_empty())
        .map(|d| Arc::from(d.text));
    Ok((result, source, fixed))
}

/// Keeps shard K of N (1-based): files are assigned by a hash of their path,
/// so a file stays in its shard when others are added or removed.
fn select_shard(files: Vec<ContentFile>, spec: &str) -> Result<Vec<ContentFile>> {
    let parsed = spec
        .split_once('/')
        .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)))
        .filter(|(k, n)| *n >= 1 && (1..=*n).contains(k));
    let Some((k, n)) = parsed else {
        return Err(crate::error::with_help(
            format!("invalid --shard `{spec}`"),
            "use K/N with 1 <= K <= N, e.g. --shard 2/4",
        ));
    };
    Ok(files
        .into_iter()
        .filter(|f| fnv1a(f.rel.as_bytes()) % n == k - 1)
        .collect())
}

/// FNV-1a: a stable hash (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}
