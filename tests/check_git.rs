//! `check` reading from git: the index, a commit, what changed.

mod common;
use common::*;

fn stage(repo: &Repo, path: &str) {
    let mut index = repo.git.index().unwrap();
    index.add_path(std::path::Path::new(path)).unwrap();
    index.write().unwrap();
}

#[test]
fn staged_checks_the_index_not_the_working_tree() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Clean text.\n");
    repo.write("b.md", "Untouched Github.\n");
    repo.commit_all("init", "Ann", "ann@example.com");
    repo.write("a.md", "Clean text.\n\nStaged Github.\n");
    stage(&repo, "a.md");
    // After staging, the working tree changes again: the staged blob is what counts.
    repo.write("a.md", "Clean text.\n\nWorking tree guaranteed.\n");
    let (code, json) = repo.check_json(&["--staged"]);
    assert_eq!(code, 0);
    assert_eq!(
        spans(&json),
        vec![(3, 8, 3, 14, s("brand/github"), s("Github"))]
    );
    assert_eq!(
        json["summary"]["files"], 1,
        "only the staged change is read"
    );
}

#[test]
fn changed_lines_drops_findings_on_untouched_lines() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Old Github line.\n\nAnother old line.\n");
    repo.commit_all("init", "Ann", "ann@example.com");
    repo.write(
        "a.md",
        "Old Github line.\n\nAnother old line.\n\nNew Github line.\n",
    );
    stage(&repo, "a.md");
    let (_, json) = repo.check_json(&["--staged"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 2);
    let (_, json) = repo.check_json(&["--staged", "--changed-lines"]);
    assert_eq!(
        spans(&json),
        vec![(5, 5, 5, 11, s("brand/github"), s("Github"))]
    );
}

#[test]
fn changed_since_a_base_and_rev() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Github in a.\n");
    repo.write("b.md", "Github in b.\n");
    let base = repo.commit_all("init", "Ann", "ann@example.com");
    repo.git
        .branch("base", &repo.git.find_commit(base).unwrap(), false)
        .unwrap();
    repo.write("b.md", "Github in b, guaranteed.\n");
    repo.commit_all("change b", "Ann", "ann@example.com");
    let (code, json) = repo.check_json(&["--changed", "base"]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["b.md", "b.md"]);
    // --rev reads a commit's tree even when the working tree differs.
    repo.write("a.md", "Now guaranteed.\n");
    let (_, json) = repo.check_json(&["--rev", "base"]);
    assert_eq!(
        spans(&json),
        vec![
            (1, 1, 1, 7, s("brand/github"), s("Github")),
            (1, 1, 1, 7, s("brand/github"), s("Github"))
        ]
    );
    let (_, json) = repo.check_json(&["--rev", "HEAD", "--changed", "base", "--changed-lines"]);
    assert_eq!(json["findings"].as_array().unwrap().len(), 2);
}

#[test]
fn a_missing_ref_exits_2_naming_it() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "x\n");
    repo.commit_all("init", "Ann", "ann@example.com");
    for args in [
        ["check", "--rev", "no-such-branch"],
        ["check", "--changed", "no-such-branch"],
    ] {
        let out = repo.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-branch"));
    }
}

/// A page whose name is not UTF-8 is checked from the index and from a
/// commit (printed with the invalid byte escaped), not dropped.
#[cfg(unix)]
#[test]
fn a_page_whose_name_is_not_utf8_is_checked_from_git() {
    use std::os::unix::ffi::OsStrExt;
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Clean.\n");
    repo.commit_all("init", "Ann", "ann@example.com");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(repo.path().join(name), "Results guaranteed.\n").unwrap();
    let mut index = repo.git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let (code, json) = repo.check_json(&["--staged"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["path"], "caf\\xe9.md");
    repo.commit_all("add", "Ann", "ann@example.com");
    for args in [&["--rev", "HEAD"][..], &["--changed", "HEAD~1"][..]] {
        let (code, json) = repo.check_json(args);
        assert_eq!(code, 1, "{args:?}: {json:#}");
        assert_eq!(json["findings"][0]["path"], "caf\\xe9.md", "{args:?}");
    }
}
