//! Shared test helpers: real repositories in temp dirs, real files, the real binary.
#![allow(dead_code)]

pub mod http;
#[cfg(unix)]
pub mod release;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub struct Repo {
    pub dir: tempfile::TempDir,
    pub git: git2::Repository,
}

impl Repo {
    /// A new git repository in a temp dir.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        let git = git2::Repository::init(dir.path()).expect("git init");
        Repo { dir, git }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating directories).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }

    /// The binary, run in the repository root.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("imprimatur").unwrap();
        cmd.current_dir(self.dir.path()).env("NO_COLOR", "1");
        cmd
    }

    /// Runs `check --format json ARGS` and returns (exit code, parsed JSON).
    pub fn check_json(&self, args: &[&str]) -> (i32, Value) {
        json_of(
            self.cmd()
                .arg("check")
                .args(["--format", "json"])
                .args(args),
        )
    }

    /// Runs `gate --base main --format json ARGS` and returns (exit code, parsed JSON).
    pub fn gate_json(&self, args: &[&str]) -> (i32, Value) {
        json_of(
            self.cmd()
                .args(["gate", "--base", "main", "--format", "json"])
                .args(args),
        )
    }

    /// Stages every file and commits as `name <email>`.
    pub fn commit_all(&self, message: &str, name: &str, email: &str) -> git2::Oid {
        let mut index = self.git.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = self.git.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::now(name, email).unwrap();
        let parents: Vec<git2::Commit> = self
            .git
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        self.git
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }
}

/// Runs a prepared command and returns (exit code, its standard output as
/// JSON), with both outputs in the message when it is not JSON.
pub fn json_of(cmd: &mut Command) -> (i32, Value) {
    let out = cmd.output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

/// A pack with one rule of each kind the tests use.
pub const TEST_PACK: &str = r##"rules:
  - id: claims/guarantee
    kind: forbid
    level: error
    message: "'{found}' is an absolute claim."
    terms: [guaranteed, risk-free]
    exceptions: ["money-back guarantee"]
  - id: claims/number-one
    kind: forbid
    level: warning
    message: "'{found}' needs a source."
    terms: ["#1", market-leading]
    unless: {pattern: '\[\^[^\]]+\]', within: sentence}
  - id: brand/github
    kind: substitute
    level: warning
    message: "Use '{expected}' instead of '{found}'."
    swap: {Github: GitHub, Javascript: JavaScript}
"##;

/// A repository with `imprimatur.yml` loading `rules/test.yml`.
pub fn repo_with_pack(pack: &str) -> Repo {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [rules/test.yml]\nsuppressions: {require_reason: true}\n",
    );
    repo.write("rules/test.yml", pack);
    repo
}

/// (line, column, end_line, end_column, rule, found) of each finding.
pub fn spans(json: &Value) -> Vec<(u64, u64, u64, u64, String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["end_line"].as_u64().unwrap(),
                f["end_column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["found"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn s(x: &str) -> String {
    x.to_string()
}

/// Copies the directory tree `from` into `to` (which exists).
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The bundled example, `fixtures/acme-site`, in a fresh git repository.
pub fn acme_repo() -> Repo {
    let repo = Repo::new();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/acme-site"),
        repo.path(),
    );
    repo
}
