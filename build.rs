//! Stamps the version `imprimatur --version` prints: the package version,
//! plus the commit and its date when built from a git checkout (a release
//! build, a source install from the repository). A build from the crates.io
//! package has no `.git` and prints the version alone.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let stamp = match commit() {
        Some((sha, date)) => format!("{version} ({sha} {date})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=IMPRIMATUR_VERSION={stamp}");
}

/// The short commit id and commit date of HEAD, when the package directory is
/// itself a git checkout (a `.git` directory, or file for a worktree) — never
/// a repository that merely encloses it — and `git` is installed.
fn commit() -> Option<(String, String)> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let dir = Path::new(&dir);
    if !dir.join(".git").exists() {
        return None;
    }
    // A new commit or a branch switch re-stamps the binary.
    for path in ["HEAD", "packed-refs"] {
        if let Some(file) = git(dir, &["rev-parse", "--git-path", path]) {
            println!("cargo:rerun-if-changed={}", dir.join(file).display());
        }
    }
    if let Some(head) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(file) = git(dir, &["rev-parse", "--git-path", &head]) {
            println!("cargo:rerun-if-changed={}", dir.join(file).display());
        }
    }
    let out = git(dir, &["log", "-1", "--format=%h %cs", "--abbrev=9"])?;
    let (sha, date) = out.split_once(' ')?;
    Some((sha.to_string(), date.to_string()))
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !text.is_empty()).then_some(text)
}
