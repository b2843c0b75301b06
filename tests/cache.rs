//! The result cache: a second run reuses what did not change, and anything
//! that could change a result (the file, the rules, a link target, a corrupt
//! cache) makes the file be checked again.

mod common;

use std::time::{Duration, SystemTime};

use common::{repo_with_pack, Repo, TEST_PACK};

/// Runs `check --format json -v` and returns (stdout, "N from the cache, M read").
fn run(repo: &Repo, extra: &[&str]) -> (String, String) {
    let out = repo
        .cmd()
        .args(["check", "--format", "json", "-v"])
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let stats = stderr
        .lines()
        .find_map(|l| l.split_once(": ").map(|(_, s)| s.to_string()))
        .map(|s| s.split(" (").next().unwrap_or_default().to_string())
        .unwrap_or_else(|| stderr.clone());
    (String::from_utf8(out.stdout).unwrap(), stats)
}

/// Sets a file's modification time an hour back, out of the racy window.
fn age(repo: &Repo, rel: &str) {
    let file = std::fs::File::options()
        .write(true)
        .open(repo.path().join(rel))
        .unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

fn site() -> Repo {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("docs/a.md", "# A\n\nOur results are guaranteed.\n");
    repo.write("docs/b.md", "# B\n\nUse Github.\n");
    repo.write("docs/c.md", "# C\n\nNothing to see.\n");
    for f in ["docs/a.md", "docs/b.md", "docs/c.md"] {
        age(&repo, f);
    }
    repo
}

#[test]
fn second_run_reads_nothing_and_reports_the_same() {
    let repo = site();
    let (first, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 3 read");
    let (second, stats) = run(&repo, &[]);
    assert_eq!(stats, "3 from the cache, 0 read");
    assert_eq!(first, second);
    let uncached = repo
        .cmd()
        .args(["check", "--format", "json", "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(uncached.stdout).unwrap(), first);
    assert!(repo.path().join(".git/imprimatur").is_dir());
}

#[test]
fn an_edited_file_is_checked_again() {
    let repo = site();
    run(&repo, &[]);
    repo.write("docs/c.md", "# C\n\nA risk-free offer.\n");
    age(&repo, "docs/c.md");
    let (out, stats) = run(&repo, &[]);
    assert_eq!(stats, "2 from the cache, 1 read");
    assert!(out.contains("risk-free"), "{out}");
}

#[test]
fn a_same_size_edit_within_the_racy_window_is_seen() {
    let repo = site();
    // Written just now: its stamp is not trusted by the run that follows.
    repo.write("docs/c.md", "# C\n\nAll good here.\n");
    let path = repo.path().join("docs/c.md");
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    run(&repo, &[]);
    // Same size, same modification time, other words.
    std::fs::write(&path, "# C\n\nguaranteed now\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    let (out, _) = run(&repo, &[]);
    assert!(out.contains("\"found\": \"guaranteed\""), "{out}");
    assert_eq!(out.matches("\"found\": \"guaranteed\"").count(), 2, "{out}");
}

#[test]
fn a_changed_rule_pack_invalidates_everything() {
    let repo = site();
    run(&repo, &[]);
    repo.write(
        "rules/test.yml",
        TEST_PACK.replace("terms: [guaranteed, risk-free]", "terms: [absentterm]"),
    );
    let (out, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 3 read");
    assert!(!out.contains("claims/guarantee"), "{out}");
}

#[test]
fn a_link_target_that_appears_revives_the_result() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/links.yml]\n");
    repo.write(
        "rules/links.yml",
        "rules:\n  - id: site/links\n    kind: links\n    level: error\n    relative: true\n    anchors: true\n",
    );
    repo.write("docs/a.md", "# A\n\nSee [b](b.md#usage).\n");
    age(&repo, "docs/a.md");
    let (out, _) = run(&repo, &[]);
    assert!(out.contains("does not exist"), "{out}");
    let (_, stats) = run(&repo, &[]);
    assert_eq!(stats, "1 from the cache, 0 read");

    // The target appears, without its anchor: a.md must be judged again.
    repo.write("docs/b.md", "# B\n\nText.\n");
    age(&repo, "docs/b.md");
    let (out, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert!(out.contains("Anchor '#usage'"), "{out}");

    // The anchor appears in b.md: a.md's cached finding no longer holds.
    repo.write("docs/b.md", "# B\n\n## Usage\n");
    age(&repo, "docs/b.md");
    let (out, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert!(!out.contains("site/links"), "{out}");
}

#[test]
fn a_corrupt_cache_is_ignored_and_rewritten() {
    let repo = site();
    let (first, _) = run(&repo, &[]);
    let dir = repo.path().join(".git/imprimatur");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes.truncate(middle);
        std::fs::write(&path, bytes).unwrap();
    }
    let (second, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 3 read");
    assert_eq!(first, second);
    let (_, stats) = run(&repo, &[]);
    assert_eq!(stats, "3 from the cache, 0 read");
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let repo = site();
    let cache = repo.path().join("elsewhere");
    let dir = cache.to_str().unwrap();
    let (_, stats) = run(&repo, &["--no-cache", "--cache-dir", dir]);
    assert!(stats.contains("no cache"), "{stats}");
    assert!(!cache.exists());
    let (_, stats) = run(&repo, &["--cache-dir", dir]);
    assert_eq!(stats, "0 from the cache, 3 read");
    assert!(cache.is_dir());
    assert!(!repo.path().join(".git/imprimatur").exists());
}

#[test]
fn staged_blobs_are_cached_by_blob_id() {
    let repo = site();
    repo.commit_all("content", "Ann", "ann@example.com");
    repo.write("docs/c.md", "# C\n\nguaranteed\n");
    let mut index = repo.git.index().unwrap();
    index.add_path(std::path::Path::new("docs/c.md")).unwrap();
    index.write().unwrap();
    let (first, stats) = run(&repo, &["--staged"]);
    assert_eq!(stats, "0 from the cache, 1 read");
    let (second, stats) = run(&repo, &["--staged"]);
    assert_eq!(stats, "1 from the cache, 0 read");
    assert_eq!(first, second);
    assert!(first.contains("\"found\": \"guaranteed\""), "{first}");
}

/// Sets a directory's (or file's) modification time an hour back.
fn age_path(repo: &Repo, rel: &str) {
    let path = repo.path().join(rel);
    let file = std::fs::File::open(&path).unwrap();
    file.set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
}

/// Runs `check -v` and returns (stdout, the whole stderr).
fn run_verbose(repo: &Repo) -> (String, String) {
    let out = repo
        .cmd()
        .args(["check", "--format", "json", "-v"])
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() <= 1, "{out:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn age_tree(repo: &Repo) {
    for rel in [
        "docs/a.md",
        "docs/b.md",
        "docs/c.md",
        "docs",
        "rules",
        ".",
        ".gitignore",
    ] {
        age_path(repo, rel);
    }
    age_path(repo, ".git/info/exclude");
}

#[test]
fn the_file_list_is_cached_until_a_directory_or_ignore_file_changes() {
    let repo = site();
    repo.write(".gitignore", "drafts/\n");
    age_tree(&repo);
    let (first, stderr) = run_verbose(&repo);
    assert!(!stderr.contains("file list from the cache"), "{stderr}");
    let (second, stderr) = run_verbose(&repo);
    assert!(stderr.contains("file list from the cache"), "{stderr}");
    assert_eq!(first, second);

    // A new page changes its directory: the walk runs again and finds it.
    repo.write("docs/d.md", "# D\n\nA risk-free plan.\n");
    let (out, stderr) = run_verbose(&repo);
    assert!(!stderr.contains("file list from the cache"), "{stderr}");
    assert!(out.contains("docs/d.md"), "{out}");

    // An ignore file's new content hides a page, whatever the directories say.
    age_tree(&repo);
    age_path(&repo, "docs/d.md");
    run_verbose(&repo);
    let (_, stderr) = run_verbose(&repo);
    assert!(stderr.contains("file list from the cache"), "{stderr}");
    repo.write(".gitignore", "drafts/\ndocs/d.md\n");
    age_path(&repo, ".gitignore");
    let (out, stderr) = run_verbose(&repo);
    assert!(!stderr.contains("file list from the cache"), "{stderr}");
    assert!(!out.contains("docs/d.md"), "{out}");
}

/// A Vale project whose `[*]` section switches many rules: the key must
/// not depend on the order a hash map lists them in, which differs in
/// every process.
fn vale_site() -> Repo {
    let repo = Repo::new();
    let mut ini = String::from(
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*]\nBasedOnStyles = Acme\n",
    );
    for i in 0..12 {
        repo.write(
            &format!("styles/Acme/Rule{i}.yml"),
            format!("extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: warning\ntokens:\n  - word{i}\n"),
        );
        let switch = ["YES", "NO", "error", "suggestion"][i % 4];
        ini.push_str(&format!("Acme.Rule{i} = {switch}\n"));
    }
    repo.write(".vale.ini", ini);
    repo.write("docs/a.md", "# A\n\nHere word0 and word2.\n");
    repo.write("docs/b.md", "# B\n\nNothing here.\n");
    for f in ["docs/a.md", "docs/b.md"] {
        age(&repo, f);
    }
    repo
}

#[test]
fn a_vale_project_hits_the_cache_from_another_process() {
    let repo = vale_site();
    let (first, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert!(first.contains("Acme.Rule0"), "{first}");
    let stored = files_under(&repo.path().join(".git/imprimatur"));
    for _ in 0..3 {
        let (again, stats) = run(&repo, &[]);
        assert_eq!(stats, "2 from the cache, 0 read");
        assert_eq!(again, first);
    }
    // Every run used the same entry: the cache did not grow.
    assert_eq!(files_under(&repo.path().join(".git/imprimatur")), stored);
    // A changed style file is a changed rule set.
    repo.write(
        "styles/Acme/Rule1.yml",
        "extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: warning\ntokens:\n  - here\n",
    );
    repo.write(
        ".vale.ini",
        repo.read(".vale.ini")
            .replace("Acme.Rule1 = NO", "Acme.Rule1 = YES"),
    );
    let (out, stats) = run(&repo, &[]);
    assert_eq!(stats, "0 from the cache, 2 read");
    assert!(out.contains("Acme.Rule1"), "{out}");
}

fn files_under(dir: &std::path::Path) -> usize {
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .count()
}
