//! `imprimatur check`: lint content files; `--fix` rewrites what it can prove.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::{EXIT_FINDINGS, EXIT_OK};
use crate::cache::{self, ByStamp, ResultCache, Stamp, Stamper};
use crate::cli::CheckArgs;
use crate::engine::{Checker, FileResult};
use crate::error::Result;
use crate::output::{self, Report};
use crate::project::flag_unowned;
use crate::source::content::{lfs_object, read_content};
use crate::source::{ContentFile, ContentSet};
use crate::workspace::Workspace;

pub fn run(args: &CheckArgs) -> Result<i32> {
    if args.stdin_filename.is_some() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        return super::stdin::run(args);
    }
    let ws = Workspace::open(args.config.as_deref())?;
    let rules = crate::rules::load_rule_set(&ws.config.config, &ws.config.base_dir)?;
    rules.print_warnings();
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
    let today = args.today.unwrap_or_else(crate::calendar::today);
    let cache_at = cache_location(&ws, args, &rules, today);
    let (selection, cache) = match cache_at {
        // The whole working tree: a cached listing may spare the walk.
        Some((dir, key)) if whole_content_set(args) => {
            let cache = ResultCache::open(&dir, key);
            let files = list_content(&ws, &set, &cache);
            (Ok(super::select::working_tree(&ws, files)), Some(cache))
        }
        // Otherwise the cache loads while the files are being found.
        cache_at => std::thread::scope(|scope| {
            let cache = scope.spawn(|| cache_at.map(|(dir, key)| ResultCache::open(&dir, key)));
            let selection = super::select::select(&ws, args, &set);
            (selection, cache.join().ok().flatten())
        }),
    };
    let mut selection = selection?;
    let mut files = std::mem::take(&mut selection.files);
    warn_unmatched_overrides(&ws, args, &files);
    if let Some(shard) = &args.shard {
        files = select_shard(files, shard)?;
    }
    let env = environment(
        &ws,
        &rules,
        &files,
        today,
        selection.commit,
        selection.project_files,
    );
    let checker = Checker {
        rules: &rules,
        config: &ws.config.config,
        env: &env,
    };
    let keep_sources = args.format == crate::cli::Format::Human && !args.diff;
    let fix = match (args.fix, args.diff) {
        (false, _) => FixMode::Off,
        (true, false) => FixMode::Write,
        (true, true) => FixMode::Diff,
    };
    let repo_path = selection.repo_path.as_deref();
    let started = std::time::Instant::now();
    let run = || {
        check_files(
            &checker,
            &files,
            repo_path,
            fix,
            keep_sources,
            cache.as_ref(),
        )
    };
    let (results, sources, fixed, touched) = match args.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| crate::error::plain(format!("cannot start {n} threads: {e}")))?
            .install(run),
        None => run(),
    }?;
    if let Some(cache) = cache {
        report_cache(
            args.verbose,
            cache,
            &files,
            started,
            whole_content_set(args),
        );
    } else if args.verbose {
        eprintln!(
            "checked {} files in {:.2?} (no cache; {} proven clean without parsing)",
            files.len(),
            started.elapsed(),
            proven_clean()
        );
    }
    // Loaded whenever the config names a file, so a missing one is an
    // error in every command, not only where ownership is required.
    let codeowners = if ws.config.config.owners.required || ws.config.config.owners.file != "auto" {
        let files = crate::source::policy_files::DiskFiles {
            base: ws.root.clone(),
        };
        Some(crate::ownership::load_configured(&files, &ws.config.config)?.0)
    } else {
        None
    };
    let codeowners = codeowners.filter(|_| ws.config.config.owners.required);
    note_governed_fixes(&ws, &touched, fix);
    if fix == FixMode::Diff {
        return print_diffs(&ws, &touched, fixed);
    }
    let mut report = Report {
        files: files.len(),
        sources,
        fixed,
        rules: output::RuleMeta::from_rule_set(&rules),
        checked: files.iter().map(|f| f.rel.clone()).collect(),
        ..Report::default()
    };
    for mut r in results {
        if let Some(owners) = &codeowners {
            flag_unowned(&mut r, owners);
        }
        if let Some(lines) = selection.added_lines.as_ref() {
            let file_lines = lines.get(&r.path).cloned();
            crate::changed_lines::retain(&mut r, file_lines.as_ref(), &rules);
        }
        report
            .findings
            .extend(r.findings.into_iter().filter(|f| f.level >= min_level));
        report.suppressed.extend(r.suppressed);
    }
    super::emit::report(args.format, &report, None, &ws.paths())
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    let listed = matches!(
        args.format,
        crate::cli::Format::Human | crate::cli::Format::Line
    );
    if args.statistics && listed {
        crate::output::emit(&output::statistics::render(&report.findings))
            .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    }
    let failed = report.findings.iter().any(|f| f.level >= args.fail_level);
    // The process ends right after: freeing a hundred thousand small
    // allocations one by one would only delay the exit.
    std::mem::forget((report, files, env));
    Ok(if failed { EXIT_FINDINGS } else { EXIT_OK })
}

/// Today, the project's files and, when a `dates` rule needs it, when each
/// file last changed in git.
fn environment(
    ws: &Workspace,
    rules: &crate::rules::RuleSet,
    files: &[ContentFile],
    today: i64,
    commit: Option<git2::Oid>,
    project_files: crate::environment::ProjectFiles,
) -> crate::environment::Environment {
    let last_changed = match (&ws.repo, commit, rules.has_dates_rules()) {
        (Some(repo), Some(commit), true) => {
            let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
            let prefix = crate::source::relative(&repo_root, &ws.root);
            let rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
            crate::environment::last_changed_for(repo, commit, &prefix, &rels)
        }
        _ => Default::default(),
    };
    crate::environment::Environment::new(today, project_files, last_changed)
}

/// Where the result cache for this run lives and its key, unless
/// `--no-cache` or `--fix` (which must see every document) or no cache
/// directory can be found.
fn cache_location(
    ws: &Workspace,
    args: &CheckArgs,
    rules: &crate::rules::RuleSet,
    today: i64,
) -> Option<(std::path::PathBuf, u128)> {
    if args.no_cache || args.fix {
        return None;
    }
    let git_dir = ws.repo.as_ref().map(|r| r.path());
    let dir = cache::directory(args.cache_dir.as_deref(), git_dir, &ws.root)?;
    let uses_today = rules.has_dates_rules();
    // The config file's text (the Vale config, when that is the config, is
    // among the files the rule set's fingerprint covers).
    let config_text = match &ws.config.path {
        Some(path) => std::fs::read_to_string(path).ok()?,
        None => String::new(),
    };
    let key = cache::rule_set_key(&[
        &format!("{:x}", rules.fingerprint),
        &config_text,
        &if uses_today {
            today.to_string()
        } else {
            String::new()
        },
    ]);
    Some((dir, key))
}

/// The content files of the working tree: the cached listing while nothing
/// it depends on changed, else a walk, recorded for the next run.
fn list_content(ws: &Workspace, set: &ContentSet, cache: &ResultCache) -> Vec<ContentFile> {
    if let Some(rels) = cache.listed_files() {
        return crate::source::listed_files(&ws.root, rels);
    }
    let (files, dirs) = crate::source::discover_with_dirs(&ws.root, set);
    let rels = files
        .iter()
        .filter(|f| !f.outside_link)
        .map(|f| f.rel.clone())
        .collect();
    let listing = cache::Listing::record(
        &ws.root,
        rels,
        dirs,
        global_ignore_files(ws),
        cache.started_ns(),
    );
    cache.set_listing(listing);
    files
}

/// Ignore files outside the walked directories that the walk obeys: the
/// repository's `info/exclude` and the user's global excludes file.
fn global_ignore_files(ws: &Workspace) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Some(repo) = &ws.repo {
        out.push(repo.path().join("info").join("exclude"));
        if let Ok(path) = repo.config().and_then(|c| c.get_path("core.excludesFile")) {
            out.push(path);
        }
    }
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        out.push(std::path::PathBuf::from(xdg).join("git").join("ignore"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        out.push(
            std::path::PathBuf::from(home)
                .join(".config")
                .join("git")
                .join("ignore"),
        );
    }
    out
}

/// Did this run see the whole content set (so entries of other files can go)?
/// Override `paths` that match no content file are warnings, judged only
/// when the run sees the whole content set.
fn warn_unmatched_overrides(ws: &Workspace, args: &CheckArgs, files: &[ContentFile]) {
    let config = &ws.config.config;
    if config.overrides.is_empty() || !args.paths.is_empty() || args.changed.is_some() {
        return;
    }
    let rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
    for w in crate::rules::overrides::unmatched_paths_warnings(config, &rels) {
        eprintln!("warning: {w}");
    }
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
    crate::output::emit(&out)
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

fn whole_content_set(args: &CheckArgs) -> bool {
    args.paths.is_empty()
        && args.shard.is_none()
        && args.changed.is_none()
        && !args.changed_lines
        && !args.staged
        && args.rev.is_none()
}

fn proven_clean() -> usize {
    crate::engine::PROVEN_CLEAN.load(std::sync::atomic::Ordering::Relaxed)
}

fn report_cache(
    verbose: bool,
    cache: ResultCache,
    files: &[ContentFile],
    started: std::time::Instant,
    complete: bool,
) {
    let stats = cache.stats();
    let saved = cache.save(complete);
    if verbose {
        eprintln!(
            "checked {} files in {:.2?}: {} from the cache, {} read ({} proven clean without parsing{})",
            files.len(),
            started.elapsed(),
            stats.hits,
            files.len() - stats.hits,
            proven_clean(),
            if stats.listed { "; file list from the cache" } else { "" }
        );
    }
    if let Err(e) = saved {
        // A cache that cannot be written costs time, never results.
        eprintln!("warning: cannot write the result cache: {e}");
    }
}

/// What `--fix` does: nothing, rewrite files, or print what it would write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FixMode {
    Off,
    Write,
    Diff,
}

/// A file `--fix` changed (or, with `--diff`, would change): its path, and
/// the text before and after for the diff.
struct Touched {
    rel: String,
    texts: Option<(String, String)>,
}

type Checked = (
    Vec<FileResult>,
    HashMap<String, Arc<str>>,
    usize,
    Vec<Touched>,
);
/// One file's result, its source when the report shows snippets, fixes
/// applied, and the file when a fix touched it.
type FileOutcome = (FileResult, Option<Arc<str>>, usize, Option<Touched>);

/// Checks every file in parallel; results come back in path order.
fn check_files(
    checker: &Checker,
    files: &[ContentFile],
    repo_path: Option<&std::path::Path>,
    fix: FixMode,
    keep_sources: bool,
    cache: Option<&ResultCache>,
) -> Result<Checked> {
    // With the file list from the cache, nearly every file has an entry:
    // stamp them all while the entries are still being decoded.
    let stamps: Option<Vec<Option<Stamp>>> = cache.filter(|c| c.listed()).map(|_| {
        files
            .par_iter()
            .map_init(Stamper::default, |stamper, file| stamp_of(file, stamper))
            .collect()
    });
    // git2 repositories are not shared across threads: each worker opens its own.
    let outcomes: Vec<Result<FileOutcome>> = files
        .par_iter()
        .enumerate()
        .map_init(
            || {
                let repo = repo_path.and_then(|p| git2::Repository::open(p).ok());
                (repo, Stamper::default())
            },
            |(repo, stamper), (i, file)| {
                let repo = repo.as_ref();
                let stamped = stamps.as_ref().map(|s| s[i]);
                match cache {
                    Some(cache) => check_file_cached(
                        checker,
                        file,
                        repo,
                        keep_sources,
                        cache,
                        stamper,
                        (i, stamped),
                    ),
                    None => check_file(checker, file, repo, fix, keep_sources),
                }
            },
        )
        .collect();
    let mut results = Vec::with_capacity(files.len());
    let mut sources = HashMap::new();
    let mut fixed = 0;
    let mut touched = Vec::new();
    for outcome in outcomes {
        let (result, source, n, file) = outcome?;
        if let Some(source) = source {
            sources.insert(result.path.clone(), source);
        }
        fixed += n;
        touched.extend(file);
        results.push(result);
    }
    Ok((results, sources, fixed, touched))
}

/// `check_file` through the cache: a file whose stamp (or, failing that,
/// whose bytes) match a cached entry is not checked again.
fn check_file_cached(
    checker: &Checker,
    file: &ContentFile,
    repo: Option<&git2::Repository>,
    keep_source: bool,
    cache: &ResultCache,
    stamper: &mut Stamper,
    (index, stamped): (usize, Option<Option<Stamp>>),
) -> Result<FileOutcome> {
    let take_stamp = || stamped.unwrap_or_else(|| stamp_of(file, stamper));
    let (mut stamp, stamp_first) =
        match cache.by_stamp_with(&file.rel, index, take_stamp, checker.env) {
            ByStamp::Hit(result) => {
                let wanted = keep_source && !result.findings.is_empty();
                let source = wanted.then(|| source_text(read_content(file, repo)));
                return Ok((result, source.flatten(), 0, None));
            }
            ByStamp::Miss(stamp) => (stamp, true),
            ByStamp::Unknown => (file.blob.map(Stamp::of_blob), file.blob.is_some()),
        };
    let bytes = if stamp_first || file.outside_link {
        read_content(file, repo)
    } else {
        // A file the cache has never seen: stamp it from the open file, which
        // costs no second path lookup.
        read_and_stamp(&file.abs)
            .map(|(bytes, s)| {
                stamp = s;
                bytes
            })
            .and_then(|bytes| lfs_object(file, repo, bytes))
    };
    let content = match &bytes {
        Ok(b) => cache::content_hash(b),
        // A file that cannot be read is not cached: the next run tries again.
        Err(_) => return Ok((checker.check_bytes_lean(&file.rel, bytes).0, None, 0, None)),
    };
    if let Some(result) = cache.by_content(&file.rel, stamp, content, checker.env) {
        let wanted = keep_source && !result.findings.is_empty();
        let source = wanted.then(|| source_text(bytes)).flatten();
        return Ok((result, source, 0, None));
    }
    let ((result, doc), lookups) =
        crate::environment::recording_lookups(|| checker.check_bytes_lean(&file.rel, bytes));
    cache.store(&result, stamp, content, lookups);
    let source = doc
        .filter(|_| keep_source && !result.findings.is_empty())
        .map(|d| Arc::from(d.text));
    Ok((result, source, 0, None))
}

/// A cached file's text, for the snippets of the human format.
fn source_text(bytes: std::result::Result<Vec<u8>, String>) -> Option<Arc<str>> {
    bytes
        .ok()
        .and_then(|b| crate::source::decode(b).ok())
        .map(Arc::from)
}

/// What identifies a file's bytes without reading them.
fn stamp_of(file: &ContentFile, stamper: &mut Stamper) -> Option<Stamp> {
    match file.blob {
        _ if file.outside_link => None,
        Some(blob) => Some(Stamp::of_blob(blob)),
        None => stamper.stamp(&file.abs),
    }
}

/// A file's bytes and its stamp, from one open.
fn read_and_stamp(path: &std::path::Path) -> std::result::Result<(Vec<u8>, Option<Stamp>), String> {
    use std::io::Read;
    let read = || -> std::io::Result<(Vec<u8>, Option<Stamp>)> {
        let mut f = std::fs::File::open(path)?;
        let meta = f.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
        f.read_to_end(&mut bytes)?;
        Ok((bytes, Stamp::of_metadata(&meta)))
    };
    read().map_err(|e| format!("cannot read: {e}"))
}

fn check_file(
    checker: &Checker,
    file: &ContentFile,
    repo: Option<&git2::Repository>,
    fix: FixMode,
    keep_source: bool,
) -> Result<FileOutcome> {
    let (mut result, mut doc) = checker.check_bytes_lean(&file.rel, read_content(file, repo));
    let mut fixed = 0;
    let mut touched = None;
    if fix == FixMode::Diff {
        if let Some(d) = &doc {
            let (text, n) = crate::fix::apply_fixes(&d.text, &result.findings);
            if n > 0 {
                fixed = n;
                touched = Some(Touched {
                    rel: file.rel.clone(),
                    texts: Some((d.text.clone(), text)),
                });
            }
        }
    }
    if fix == FixMode::Write {
        if let Some(d) = &doc {
            let (text, n) = crate::fix::apply_fixes(&d.text, &result.findings);
            if n > 0 {
                touched = Some(Touched {
                    rel: file.rel.clone(),
                    texts: None,
                });
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
    Ok((result, source, fixed, touched))
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
