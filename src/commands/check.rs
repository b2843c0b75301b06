//! `imprimatur check`: lint content files; `--fix` rewrites what it can prove.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cli::CheckArgs;
use crate::engine::{Checker, FileResult};
use crate::error::Result;
use crate::output::{self, Report};
use crate::source::{ContentFile, ContentSet};
use crate::workspace::Workspace;

pub fn run(args: &CheckArgs) -> Result<i32> {
    let ws = Workspace::open(args.config.as_deref())?;
    let rules = crate::rules::load_rule_set(&ws.config.config, &ws.config.base_dir)?;
    crate::vale::print_warnings(&rules.vale);
    let min_level = args
        .min_level
        .or(rules.vale.min_level)
        .unwrap_or(crate::finding::Level::Info);
    let set = ContentSet::new(&ws.config.config.content)?;
    if args.fix && (args.staged || args.rev.is_some()) {
        return Err(crate::error::plain(
            "--fix rewrites the working tree; it cannot be combined with --staged or --rev",
        ));
    }
    let mut selection = super::select::select(&ws, args, &set)?;
    let mut files = std::mem::take(&mut selection.files);
    if let Some(shard) = &args.shard {
        files = select_shard(files, shard)?;
    }
    let env = environment(
        &ws,
        &rules,
        &files,
        args.today,
        selection.commit,
        selection.project_files,
    );
    let checker = Checker {
        rules: &rules,
        config: &ws.config.config,
        env: &env,
    };
    let keep_sources = args.format == crate::cli::Format::Human;
    let repo_path = selection.repo_path.as_deref();
    let run = || check_files(&checker, &files, repo_path, args.fix, keep_sources);
    let (results, sources, fixed) = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| crate::error::plain(format!("cannot start {n} threads: {e}")))?
            .install(run),
        None => run(),
    }?;
    let codeowners = ws.config.config.owners.required.then(|| {
        let files = crate::source::policy_files::DiskFiles {
            base: ws.root.clone(),
        };
        crate::ownership::load_configured(&files, &ws.config.config).0
    });
    let mut report = Report {
        files: files.len(),
        sources,
        fixed,
        ..Report::default()
    };
    for mut r in results {
        if let Some(owners) = &codeowners {
            flag_unowned(&mut r, owners);
        }
        if let Some(lines) = selection.added_lines.as_ref() {
            let file_lines = lines.get(&r.path).cloned();
            keep_added_lines(&mut r, file_lines.as_ref());
        }
        report
            .findings
            .extend(r.findings.into_iter().filter(|f| f.level >= min_level));
        report.suppressed.extend(r.suppressed);
    }
    output::emit_report(args.format, &report, &ws.paths())
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    let failed = report.findings.iter().any(|f| f.level >= args.fail_level);
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Today, the project's files and, when a `dates` rule needs it, when each
/// file last changed in git.
fn environment(
    ws: &Workspace,
    rules: &crate::rules::RuleSet,
    files: &[ContentFile],
    today: Option<i64>,
    commit: Option<git2::Oid>,
    project_files: crate::environment::ProjectFiles,
) -> crate::environment::Environment {
    let needs_history = rules
        .rules
        .iter()
        .any(|r| matches!(r.kind, crate::rules::Kind::Dates(_)));
    let last_changed = match (&ws.repo, commit, needs_history) {
        (Some(repo), Some(commit), true) => {
            let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
            let prefix = crate::source::relative(&repo_root, &ws.root);
            let rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
            crate::environment::last_changed_for(repo, commit, &prefix, &rels)
        }
        _ => Default::default(),
    };
    crate::environment::Environment::new(
        today.unwrap_or_else(crate::calendar::today),
        project_files,
        last_changed,
    )
}

type Checked = (Vec<FileResult>, HashMap<String, Arc<str>>, usize);
/// One file's result, its source when the report shows snippets, and fixes applied.
type FileOutcome = (FileResult, Option<Arc<str>>, usize);

/// Checks every file in parallel; results come back in path order.
fn check_files(
    checker: &Checker,
    files: &[ContentFile],
    repo_path: Option<&std::path::Path>,
    fix: bool,
    keep_sources: bool,
) -> Result<Checked> {
    // git2 repositories are not shared across threads: each worker opens its own.
    let outcomes: Vec<Result<FileOutcome>> = files
        .par_iter()
        .map_init(
            || repo_path.and_then(|p| git2::Repository::open(p).ok()),
            |repo, file| check_file(checker, file, repo.as_ref(), fix, keep_sources),
        )
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
    repo: Option<&git2::Repository>,
    fix: bool,
    keep_source: bool,
) -> Result<FileOutcome> {
    let bytes = match (file.blob, repo) {
        _ if file.outside_link => {
            Err("symlink pointing outside the repository; not followed".to_string())
        }
        (Some(blob), Some(repo)) => crate::source::git::read_blob(repo, blob),
        (Some(_), None) => Err("cannot open the repository to read this file".to_string()),
        (None, _) => std::fs::read(&file.abs).map_err(|e| format!("cannot read: {e}")),
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

/// `owners.required`: a content file nobody owns is an error.
fn flag_unowned(result: &mut FileResult, codeowners: &crate::ownership::CodeOwners) {
    if !codeowners.owners_of(&result.path).is_owned() {
        let message = "No owner in CODEOWNERS; `owners.required` is set.".to_string();
        let finding = crate::engine::file_finding(
            &result.path,
            crate::engine::UNOWNED_RULE,
            crate::finding::Level::Error,
            message,
        );
        result.findings.insert(0, finding);
    }
}

/// `--changed-lines`: keeps findings that touch a line the change added.
fn keep_added_lines(result: &mut FileResult, lines: Option<&std::collections::BTreeSet<u32>>) {
    let touches = |f: &crate::finding::Finding| {
        lines.is_some_and(|l| {
            l.range(f.span.line as u32..=f.span.end_line as u32)
                .next()
                .is_some()
        })
    };
    result.findings.retain(|f| touches(f));
    result.suppressed.retain(|s| touches(&s.finding));
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
