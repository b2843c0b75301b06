//! The plain git pre-commit hook of docs/ci.md, run by the real git.

mod common;
use common::*;
use std::process::Command;

/// The hook script exactly as docs/ci.md prints it.
fn readme_hook() -> String {
    let readme = include_str!("../docs/ci.md");
    let start = readme
        .find("```sh\n#!/bin/sh\n# Block the commit")
        .expect("hook block in docs/ci.md")
        + "```sh\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

#[cfg(unix)]
#[test]
fn the_readme_pre_commit_hook_blocks_an_error_and_allows_a_clean_commit() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Clean.\n");
    repo.commit_all("init", "Ann", "ann@example.com");
    let hook = repo.write(".git/hooks/pre-commit", readme_hook());
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin_dir = assert_cmd::cargo::cargo_bin("imprimatur")
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(repo.path())
            .env("PATH", &path)
            .args(["-c", "user.name=Ann", "-c", "user.email=ann@example.com"])
            .args(args)
            .output()
            .unwrap()
    };
    repo.write("a.md", "Clean.\n\nNow guaranteed.\n");
    git(&["add", "a.md"]);
    let blocked = git(&["commit", "-m", "claim"]);
    assert!(
        !blocked.status.success(),
        "the hook blocks an error-level finding"
    );
    // git sends a hook's output to stderr.
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("a.md:3:5:claims/guarantee"));
    repo.write("a.md", "Clean.\n\nNow better.\n");
    git(&["add", "a.md"]);
    assert!(git(&["commit", "-m", "fine"]).status.success());
}
