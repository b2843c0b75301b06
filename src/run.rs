//! A check of many files of an opened [`Project`]: the files a
//! [`SelectionRequest`] picks (working tree, index, commit, what changed),
//! optionally one shard of them, checked in parallel through the result
//! cache, with `--fix`'s rewrites, `owners.required` and the changed-lines
//! filter applied. What comes back is typed: the results per file, the
//! sources the human format shows, what was fixed, and run statistics. The
//! command line's `check` is a thin face over [`Project::check`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, ByStamp, ResultCache, Stamp, Stamper};
use crate::engine::flag_unowned;
use crate::engine::{Checker, FileResult};
use crate::environment::Environment;
use crate::error::Result;
use crate::project::Project;
use crate::rules::RuleSet;
use crate::selection::{Selection, SelectionRequest, Source};
use crate::source::content::{lfs_object, read_content};
use crate::source::{ContentFile, ContentSet};
use crate::workspace::Workspace;

/// What to check and how.
#[derive(Debug, Clone, Default)]
pub struct CheckRequest {
    pub selection: SelectionRequest,
    /// Only this shard of the selected files.
    pub shard: Option<Shard>,
    /// The day `dates` rules judge by (days since 1970-01-01); default today.
    pub today: Option<i64>,
    pub cache: CacheSetting,
    pub fix: FixMode,
    /// Keep the text of files with findings (for snippets).
    pub keep_sources: bool,
    /// Worker threads; default: rayon's global pool (one per core).
    pub threads: Option<usize>,
}

/// Where results are cached between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CacheSetting {
    /// Nothing read or written.
    Off,
    /// The default directory (inside `.git`, else under the project).
    #[default]
    Default,
    /// This directory.
    At(PathBuf),
}

/// What a check does with fixes: nothing, rewrite files, or work out what
/// it would write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    #[default]
    Off,
    Write,
    Diff,
}

/// Shard K of N (1-based): files are assigned by a hash of their path, so a
/// file stays in its shard when others are added or removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// `K/N` with 1 <= K <= N.
    pub fn parse(spec: &str) -> Result<Shard> {
        let parsed = spec
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?)))
            .filter(|(k, n)| *n >= 1 && (1..=*n).contains(k));
        match parsed {
            Some((index, count)) => Ok(Shard { index, count }),
            None => Err(crate::error::with_help(
                format!("invalid --shard `{spec}`"),
                "use K/N with 1 <= K <= N, e.g. --shard 2/4",
            )),
        }
    }

    fn keeps(&self, rel: &str) -> bool {
        fnv1a(rel.as_bytes()) % self.count == self.index - 1
    }
}

/// A file a fix changed (or, in `FixMode::Diff`, would change): its path,
/// and in `Diff` the text before and after.
#[derive(Debug, Clone)]
pub struct Touched {
    pub rel: String,
    pub texts: Option<(String, String)>,
}

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct CheckRun {
    /// One result per checked file, in path order, with `owners.required`
    /// and the changed-lines filter applied (no level filter).
    pub results: Vec<FileResult>,
    /// The project-relative paths of the checked files, in order.
    pub checked: Vec<String>,
    /// The text of files with findings, when `keep_sources` asked for it.
    pub sources: HashMap<String, Arc<str>>,
    /// Findings fixed (or that would be).
    pub fixed: usize,
    pub touched: Vec<Touched>,
    pub stats: RunStats,
    /// Things worth telling the user that change no result (e.g. override
    /// `paths` that match no file).
    pub warnings: Vec<String>,
    /// The result cache could not be written: time lost, never results.
    pub cache_error: Option<String>,
}

/// How the work went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunStats {
    pub files: usize,
    /// From the start of checking to the cache written.
    pub elapsed: Duration,
    /// Files the prefilter proved clean without parsing them.
    pub proven_clean: usize,
    /// With a cache: results taken from it, and whether the file list was.
    pub cache: Option<cache::Stats>,
}

/// Checks the files `request` selects in `project`.
pub fn check(project: &Project, request: &CheckRequest) -> Result<CheckRun> {
    let ws = &project.workspace;
    let rules = &project.policy.rules;
    if request.fix != FixMode::Off && request.selection.source != Source::WorkingTree {
        return Err(crate::error::plain(
            "--fix rewrites the working tree; it cannot be combined with --staged or --rev",
        ));
    }
    let today = request.today.unwrap_or_else(crate::calendar::today);
    let complete = request.selection.is_whole_working_tree() && request.shard.is_none();
    let (selection, cache) = select_with_cache(project, request, today, complete)?;
    let Selection {
        files,
        added_lines,
        repo_path,
        commit,
        project_files,
    } = selection;
    let warnings = unmatched_overrides(ws, &request.selection, &files);
    let files = match request.shard {
        Some(shard) => files.into_iter().filter(|f| shard.keeps(&f.rel)).collect(),
        None => files,
    };
    let env = environment(ws, rules, &files, today, commit, project_files);
    let checker = Checker {
        rules,
        config: &ws.config.config,
        env: &env,
    };
    let started = Instant::now();
    let options = (repo_path.as_deref(), request.fix, request.keep_sources);
    let run = || check_files(&checker, &files, options, cache.as_ref());
    let mut run = match request.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| crate::error::plain(format!("cannot start {n} threads: {e}")))?
            .install(run),
        None => run(),
    }?;
    if let Some(cache) = cache {
        run.stats.cache = Some(cache.stats());
        run.cache_error = cache.save(complete).err().map(|e| e.to_string());
    }
    run.stats.elapsed = started.elapsed();
    run.warnings = warnings;
    run.checked = files.iter().map(|f| f.rel.clone()).collect();
    let owners = &project.policy;
    for result in &mut run.results {
        if owners.config.owners.required {
            flag_unowned(result, &owners.codeowners);
        }
        if let Some(lines) = added_lines.as_ref() {
            crate::changed_lines::retain(result, lines.get(&result.path), rules);
        }
    }
    Ok(run)
}

/// The selection and the result cache: with the whole working tree, a
/// cached listing may spare the walk; otherwise the cache loads while the
/// files are being found.
fn select_with_cache(
    project: &Project,
    request: &CheckRequest,
    today: i64,
    complete: bool,
) -> Result<(Selection, Option<ResultCache>)> {
    let ws = &project.workspace;
    let cache_at = cache_location(ws, request, &project.policy.rules, today);
    match cache_at {
        Some((dir, key)) if complete => {
            let cache = ResultCache::open(&dir, key);
            let files = list_content(ws, &project.content, &cache);
            Ok((crate::selection::working_tree(ws, files), Some(cache)))
        }
        cache_at => std::thread::scope(|scope| {
            let cache = scope.spawn(|| cache_at.map(|(dir, key)| ResultCache::open(&dir, key)));
            let selection = crate::selection::select(ws, &request.selection, &project.content);
            Ok((selection?, cache.join().ok().flatten()))
        }),
    }
}

/// Today, the project's files and, when a `dates` rule needs it, when each
/// file last changed in git.
fn environment(
    ws: &Workspace,
    rules: &RuleSet,
    files: &[ContentFile],
    today: i64,
    commit: Option<git2::Oid>,
    project_files: crate::environment::ProjectFiles,
) -> Environment {
    let last_changed = match (&ws.repo, commit, rules.has_dates_rules()) {
        (Some(repo), Some(commit), true) => {
            let repo_root = ws.repo_root.clone().unwrap_or_else(|| ws.root.clone());
            let prefix = crate::source::relative(&repo_root, &ws.root);
            let rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
            crate::environment::last_changed_for(repo, commit, &prefix, &rels)
        }
        _ => Default::default(),
    };
    Environment::new(today, project_files, last_changed)
}

/// Where the result cache for this run lives and its key, unless it is off,
/// or a fix is asked for (a fix must see every document), or no cache
/// directory can be found.
fn cache_location(
    ws: &Workspace,
    request: &CheckRequest,
    rules: &RuleSet,
    today: i64,
) -> Option<(PathBuf, u128)> {
    let explicit = match (&request.cache, request.fix) {
        (CacheSetting::Off, _) | (_, FixMode::Write | FixMode::Diff) => return None,
        (CacheSetting::Default, _) => None,
        (CacheSetting::At(dir), _) => Some(dir.as_path()),
    };
    let git_dir = ws.repo.as_ref().map(|r| r.path());
    let dir = cache::directory(explicit, git_dir, &ws.root)?;
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
fn global_ignore_files(ws: &Workspace) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(repo) = &ws.repo {
        out.push(repo.path().join("info").join("exclude"));
        if let Ok(path) = repo.config().and_then(|c| c.get_path("core.excludesFile")) {
            out.push(path);
        }
    }
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME").filter(|x| !x.is_empty()) {
        out.push(PathBuf::from(xdg).join("git").join("ignore"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        out.push(
            PathBuf::from(home)
                .join(".config")
                .join("git")
                .join("ignore"),
        );
    }
    out
}

/// Override `paths` that match no content file, judged only when the
/// selection sees the whole content set (no paths, not only changes).
fn unmatched_overrides(
    ws: &Workspace,
    request: &SelectionRequest,
    files: &[ContentFile],
) -> Vec<String> {
    let config = &ws.config.config;
    if config.overrides.is_empty() || !request.paths.is_empty() || request.changed_since.is_some() {
        return Vec::new();
    }
    let rels: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
    crate::rules::overrides::unmatched_paths_warnings(config, &rels)
}

/// One file's result, its source when kept, the fixes applied, the file when
/// a fix touched it, and whether the prefilter proved it clean.
struct FileOutcome {
    result: FileResult,
    source: Option<Arc<str>>,
    fixed: usize,
    touched: Option<Touched>,
    proven_clean: bool,
}

impl FileOutcome {
    fn of(result: FileResult, source: Option<Arc<str>>) -> FileOutcome {
        FileOutcome {
            result,
            source,
            fixed: 0,
            touched: None,
            proven_clean: false,
        }
    }
}

/// Where blobs are read from, what `--fix` does, and whether sources are kept.
type FileOptions<'a> = (Option<&'a Path>, FixMode, bool);

/// Checks every file in parallel; results come back in path order.
fn check_files(
    checker: &Checker,
    files: &[ContentFile],
    (repo_path, fix, keep_sources): FileOptions,
    cache: Option<&ResultCache>,
) -> Result<CheckRun> {
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
    let mut run = CheckRun {
        results: Vec::with_capacity(files.len()),
        ..CheckRun::default()
    };
    run.stats.files = files.len();
    for outcome in outcomes {
        let outcome = outcome?;
        if let Some(source) = outcome.source {
            run.sources.insert(outcome.result.path.clone(), source);
        }
        run.fixed += outcome.fixed;
        run.touched.extend(outcome.touched);
        run.stats.proven_clean += usize::from(outcome.proven_clean);
        run.results.push(outcome.result);
    }
    Ok(run)
}

/// A lean check (no parse when the prefilter proves the file clean).
fn check_lean(checker: &Checker, file: &ContentFile, bytes: ReadBytes) -> Lean {
    let (result, doc) = checker.check_bytes_lean(&file.rel, bytes);
    // The prefilter's clean file is the only one with neither a document
    // nor a finding: an unreadable file always has its finding.
    let proven_clean = doc.is_none() && result.findings.is_empty();
    (result, doc, proven_clean)
}

type ReadBytes = std::result::Result<Vec<u8>, String>;
type Lean = (FileResult, Option<crate::document::Document>, bool);

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
                return Ok(FileOutcome::of(result, source.flatten()));
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
        Err(_) => return Ok(FileOutcome::of(check_lean(checker, file, bytes).0, None)),
    };
    if let Some(result) = cache.by_content(&file.rel, stamp, content, checker.env) {
        let wanted = keep_source && !result.findings.is_empty();
        let source = wanted.then(|| source_text(bytes)).flatten();
        return Ok(FileOutcome::of(result, source));
    }
    let ((result, doc, proven_clean), lookups) =
        crate::environment::recording_lookups(|| check_lean(checker, file, bytes));
    cache.store(&result, stamp, content, lookups);
    let source = doc
        .filter(|_| keep_source && !result.findings.is_empty())
        .map(|d| Arc::from(d.text));
    Ok(FileOutcome {
        proven_clean,
        ..FileOutcome::of(result, source)
    })
}

/// A cached file's text, for the snippets of the human format.
fn source_text(bytes: ReadBytes) -> Option<Arc<str>> {
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
fn read_and_stamp(path: &Path) -> std::result::Result<(Vec<u8>, Option<Stamp>), String> {
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

/// One file without the cache, fixed as `fix` says.
fn check_file(
    checker: &Checker,
    file: &ContentFile,
    repo: Option<&git2::Repository>,
    fix: FixMode,
    keep_source: bool,
) -> Result<FileOutcome> {
    let (mut result, mut doc, proven_clean) = check_lean(checker, file, read_content(file, repo));
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
    Ok(FileOutcome {
        result,
        source,
        fixed,
        touched,
        proven_clean,
    })
}

/// FNV-1a: a stable hash (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_refuse_what_is_not_k_of_n() {
        assert_eq!(Shard::parse("2/4").unwrap(), Shard { index: 2, count: 4 });
        assert_eq!(
            Shard::parse(" 1 / 1 ").unwrap(),
            Shard { index: 1, count: 1 }
        );
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_path_falls_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for rel in ["a.md", "docs/b.md", "c/d/e.mdx", ""] {
            let homes = shards.iter().filter(|s| s.keeps(rel)).count();
            assert_eq!(homes, 1, "{rel}");
        }
        // FNV-1a's published value for "a": the hash is stable across releases.
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
    }
}
