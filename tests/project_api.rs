//! The library's API for faces: a project opened once, a selection checked
//! through `Project::check` (typed results and run statistics), and one
//! in-memory text through `Project::check_text`, with the same findings.

mod common;

use std::path::Path;

use imprimatur::project::Project;
use imprimatur::run::{CacheSetting, CheckRequest, Shard};
use imprimatur::selection::{SelectionRequest, Source};

const CONFIG: &str = "\
rules: [rules/house.yml]
owners:
  required: true
";

const PACK: &str = "\
rules:
  - id: house/claims
    kind: forbid
    level: error
    terms: [guaranteed]
";

fn project_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("imprimatur.yml", CONFIG);
    write("rules/house.yml", PACK);
    write("CODEOWNERS", "docs/ @docs\n");
    write("docs/clean.md", "# Clean\n\nNothing to see.\n");
    write("docs/claim.md", "# Claim\n\nResults guaranteed.\n");
    write("notes.md", "# Notes\n\nPlain words.\n");
    dir
}

fn open(root: &Path) -> Project {
    let root = root.canonicalize().unwrap();
    Project::open(&root, None, None).unwrap()
}

fn rules_of(run: &imprimatur::run::CheckRun, path: &str) -> Vec<String> {
    let result = run.results.iter().find(|r| r.path == path).unwrap();
    result.findings.iter().map(|f| f.rule.clone()).collect()
}

#[test]
fn a_working_tree_check_returns_results_and_statistics() {
    let dir = project_dir();
    let project = open(dir.path());
    let request = CheckRequest {
        cache: CacheSetting::Off,
        keep_sources: true,
        ..CheckRequest::default()
    };
    let run = project.check(&request).unwrap();
    assert_eq!(run.checked, ["docs/claim.md", "docs/clean.md", "notes.md"]);
    assert_eq!(rules_of(&run, "docs/claim.md"), ["house/claims"]);
    assert!(rules_of(&run, "docs/clean.md").is_empty());
    // `owners.required`: the one unowned finding, first in the file.
    let unowned = &run.results.iter().find(|r| r.path == "notes.md").unwrap();
    assert_eq!(unowned.findings.len(), 1);
    assert_eq!(unowned.findings[0].rule, "imprimatur/unowned");
    assert_eq!(
        unowned.findings[0].message,
        imprimatur::engine::UNOWNED_MESSAGE
    );
    // Only term rules apply: the two pages without the term are proven
    // clean without parsing, and counted in this run's statistics.
    assert_eq!(run.stats.files, 3);
    assert_eq!(run.stats.proven_clean, 2);
    assert_eq!(run.stats.cache, None);
    assert_eq!(run.sources.keys().collect::<Vec<_>>(), ["docs/claim.md"]);
}

#[test]
fn statistics_count_cache_hits_per_run() {
    let dir = project_dir();
    let cache = tempfile::tempdir().unwrap();
    let project = open(dir.path());
    let request = CheckRequest {
        cache: CacheSetting::At(cache.path().to_path_buf()),
        ..CheckRequest::default()
    };
    let first = project.check(&request).unwrap();
    assert_eq!(first.stats.cache.map(|c| c.hits), Some(0));
    assert_eq!(first.stats.proven_clean, 2);
    assert_eq!(first.cache_error, None);
    let second = project.check(&request).unwrap();
    // (The file list may be walked again: directories changed just now are
    // not trusted by their stamps.)
    assert_eq!(second.stats.cache.map(|c| c.hits), Some(3));
    // Nothing was checked again, so nothing was proven clean again: the
    // count belongs to the run, not to the process.
    assert_eq!(second.stats.proven_clean, 0);
    assert_eq!(
        rules_of(&second, "docs/claim.md"),
        rules_of(&first, "docs/claim.md")
    );
}

#[test]
fn shards_split_the_selection_without_overlap() {
    let dir = project_dir();
    let project = open(dir.path());
    let mut seen = Vec::new();
    for index in 1..=2 {
        let request = CheckRequest {
            cache: CacheSetting::Off,
            shard: Some(Shard { index, count: 2 }),
            ..CheckRequest::default()
        };
        seen.extend(project.check(&request).unwrap().checked);
    }
    seen.sort();
    assert_eq!(seen, ["docs/claim.md", "docs/clean.md", "notes.md"]);
}

#[test]
fn an_in_memory_text_is_checked_as_the_file_would_be() {
    let dir = project_dir();
    let mut project = open(dir.path());
    let run = project
        .check(&CheckRequest {
            cache: CacheSetting::Off,
            ..CheckRequest::default()
        })
        .unwrap();
    let on_disk = run
        .results
        .iter()
        .find(|r| r.path == "docs/claim.md")
        .unwrap();
    let in_memory = project.check_text("docs/claim.md", "# Claim\n\nResults guaranteed.\n".into());
    assert_eq!(in_memory.findings, on_disk.findings);
    let unsaved = project.check_text("notes.md", "Guaranteed.\n".into());
    let rules: Vec<&str> = unsaved.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["imprimatur/unowned", "house/claims"]);
}

#[test]
fn selections_read_the_index_a_commit_and_changed_lines() {
    let repo = common::Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/house.yml]\n");
    repo.write("rules/house.yml", PACK);
    repo.write("a.md", "# A\n\nResults guaranteed.\n");
    repo.write("b.md", "# B\n\nPlain.\n");
    repo.commit_all("first", "Ann", "ann@example.com");
    // Staged: b.md gains a claim on line 5; a.md is untouched.
    repo.write("b.md", "# B\n\nPlain.\n\nGuaranteed too.\n");
    let mut index = repo.git.index().unwrap();
    index.add_path(Path::new("b.md")).unwrap();
    index.write().unwrap();
    let project = open(repo.path());
    let check = |selection: SelectionRequest| {
        let request = CheckRequest {
            selection,
            cache: CacheSetting::Off,
            ..CheckRequest::default()
        };
        project.check(&request).unwrap()
    };
    let staged = check(SelectionRequest {
        source: Source::Index,
        ..SelectionRequest::default()
    });
    assert_eq!(staged.checked, ["b.md"]);
    assert_eq!(rules_of(&staged, "b.md"), ["house/claims"]);
    let committed = check(SelectionRequest {
        source: Source::Commit("HEAD".into()),
        ..SelectionRequest::default()
    });
    assert_eq!(committed.checked, ["a.md", "b.md"]);
    // The commit's b.md has no claim; the working tree's does.
    assert!(rules_of(&committed, "b.md").is_empty());
    assert_eq!(rules_of(&committed, "a.md"), ["house/claims"]);
    // Only added lines count: a.md's old claim is not reported.
    let changed_lines = check(SelectionRequest {
        changed_lines: true,
        ..SelectionRequest::default()
    });
    assert!(rules_of(&changed_lines, "a.md").is_empty());
    let lines: Vec<usize> = changed_lines.results[1]
        .findings
        .iter()
        .map(|f| f.span.line)
        .collect();
    assert_eq!(lines, [5]);
}
