//! `imprimatur owners` run as a binary over real git repositories.

use std::path::Path;

use assert_cmd::Command;
use serde_json::{json, Value};

/// A repository with `files` committed and `untracked` left in the work tree.
fn repo(files: &[(&str, &str)], untracked: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    for (path, text) in files.iter().chain(untracked) {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let mut index = repo.index().unwrap();
    for (path, _) in files {
        index.add_path(Path::new(path)).unwrap();
    }
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who = git2::Signature::now("Test", "test@example.com").unwrap();
    repo.commit(Some("HEAD"), &who, &who, "initial", &tree, &[])
        .unwrap();
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

fn owners(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::cargo_bin("imprimatur")
        .unwrap()
        .current_dir(cwd)
        .arg("owners")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

const GITHUB_CODEOWNERS: &str = "\
# Content ownership
*                @acme/all
/docs/           @docs-team   # everything under docs
/docs/guide/     @guide-lead docs@acme.example
README.md
";

fn github_repo() -> tempfile::TempDir {
    repo(
        &[
            (".github/CODEOWNERS", GITHUB_CODEOWNERS),
            ("README.md", "# Readme\n"),
            ("docs/a.md", "# A\n"),
            ("docs/guide/b.md", "# B\n"),
            ("notes.mdx", "# Notes\n"),
            ("src/lib.rs", "\n"),
        ],
        &[("drafts/untracked.md", "# Draft\n")],
    )
}

#[test]
fn lists_the_content_set_with_owners_from_dot_github() {
    let dir = github_repo();
    let run = owners(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let section = |owners: Value| json!([{"name": null, "owners": owners, "approvals_required": 1, "optional": false}]);
    assert_eq!(
        run.json(),
        json!({"files": [
            {"path": "README.md", "owners": [], "sections": []},
            {"path": "docs/a.md", "owners": ["@docs-team"], "sections": section(json!(["@docs-team"]))},
            {"path": "docs/guide/b.md", "owners": ["@guide-lead", "docs@acme.example"],
             "sections": section(json!(["@guide-lead", "docs@acme.example"]))},
            // The content set is the working tree's, as `check` sees it: untracked files too.
            {"path": "drafts/untracked.md", "owners": ["@acme/all"], "sections": section(json!(["@acme/all"]))},
            {"path": "notes.mdx", "owners": ["@acme/all"], "sections": section(json!(["@acme/all"]))},
        ]})
    );
}

#[test]
fn paths_are_resolved_from_a_subdirectory_existing_or_not() {
    let dir = github_repo();
    let run = owners(
        &dir.path().join("docs"),
        &[
            "--format",
            "json",
            "guide/new-page.md",
            "../README.md",
            "../src/",
            "a.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let paths: Vec<(String, Value)> = run.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["owners"].clone()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                "docs/guide/new-page.md".to_string(),
                json!(["@guide-lead", "docs@acme.example"])
            ),
            ("README.md".to_string(), json!([])),
            ("src/".to_string(), json!(["@acme/all"])),
            ("docs/a.md".to_string(), json!(["@docs-team"])),
        ]
    );
}

#[test]
fn unowned_lists_only_files_nobody_owns() {
    let dir = github_repo();
    let run = owners(dir.path(), &["--unowned", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.json(),
        json!({"files": [{"path": "README.md", "owners": [], "sections": []}]})
    );
}

#[test]
fn human_listing_is_aligned_and_relative_to_the_current_directory() {
    let dir = github_repo();
    let run = owners(
        &dir.path().join("docs"),
        &["a.md", "guide/b.md", "../README.md"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "\
a.md              @docs-team
guide/b.md        @guide-lead docs@acme.example
../README.md      (unowned)
3 paths, 1 unowned
"
    );
}

#[test]
fn invalid_lines_are_warnings_with_file_and_line() {
    let dir = repo(
        &[
            (".github/CODEOWNERS", "* @all\ndocs/ @docs not-an-owner\n"),
            ("docs/a.md", "a\n"),
        ],
        &[],
    );
    let run = owners(dir.path(), &["--format", "json", "docs/a.md"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: .github/CODEOWNERS:2: invalid owner format 'not-an-owner' \
         (expected @user, @org/team or an email address); line skipped\n"
    );
    assert_eq!(run.json()["files"][0]["owners"], json!(["@all"]));
}

#[test]
fn missing_codeowners_named_on_the_command_line_is_an_error() {
    let dir = github_repo();
    let run = owners(
        dir.path(),
        &["--codeowners", "nope/CODEOWNERS", "README.md"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("CODEOWNERS file not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nope/CODEOWNERS"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn no_codeowners_file_leaves_everything_unowned() {
    let dir = repo(&[("a.md", "a\n")], &[]);
    let run = owners(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("no CODEOWNERS file"), "{}", run.stderr);
    assert_eq!(
        run.json(),
        json!({"files": [{"path": "a.md", "owners": [], "sections": []}]})
    );
}

#[test]
fn gitlab_dialect_is_detected_in_dot_gitlab_with_sections() {
    let codeowners = "\
* @admin
!CHANGELOG.md

[Documentation][2] @docs-team
docs/
^[Review] @reviewers
*.md
";
    let dir = repo(
        &[
            (".gitlab/CODEOWNERS", codeowners),
            ("docs/a.md", "a\n"),
            ("CHANGELOG.md", "c\n"),
        ],
        &[],
    );
    let run = owners(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json(),
        json!({"files": [
            {"path": "CHANGELOG.md", "owners": ["@reviewers"], "sections": [
                {"name": "Review", "owners": ["@reviewers"], "approvals_required": 1, "optional": true}]},
            {"path": "docs/a.md", "owners": ["@admin", "@docs-team", "@reviewers"], "sections": [
                {"name": null, "owners": ["@admin"], "approvals_required": 1, "optional": false},
                {"name": "Documentation", "owners": ["@docs-team"], "approvals_required": 2, "optional": false},
                {"name": "Review", "owners": ["@reviewers"], "approvals_required": 1, "optional": true}]},
        ]})
    );
    let human = owners(dir.path(), &["docs/a.md"]);
    assert_eq!(
        human.stdout,
        "\
docs/a.md         @admin @docs-team @reviewers
  (default)       @admin
  Documentation [2]  @docs-team
  ^Review         @reviewers
1 path, 0 unowned
"
    );
}

/// The cases where one CODEOWNERS line means different things to GitHub and
/// GitLab (conformance/codeowners/README.md, "Dialect conflicts").
mod dialect_conflicts {
    use super::*;

    fn both(codeowners: &str, paths: &[&str]) -> (Value, Value) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("CODEOWNERS"), codeowners).unwrap();
        let resolve = |dialect: &str| {
            let mut args = vec![
                "--codeowners",
                "CODEOWNERS",
                "--dialect",
                dialect,
                "--format",
                "json",
                "--",
            ];
            args.extend(paths);
            let run = owners(dir.path(), &args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let files = run.json()["files"].as_array().unwrap().clone();
            let by_path: serde_json::Map<String, Value> = files
                .into_iter()
                .map(|f| (f["path"].as_str().unwrap().to_string(), f))
                .collect();
            Value::Object(by_path)
        };
        (resolve("github"), resolve("gitlab"))
    }

    #[test]
    fn bracketed_name_is_a_pattern_on_github_and_a_heading_on_gitlab() {
        let (github, gitlab) = both("[abc].txt @u\nb.txt @b\n", &["[abc].txt", "b.txt"]);
        assert_eq!(github["[abc].txt"]["owners"], json!(["@u"]));
        assert_eq!(gitlab["[abc].txt"]["owners"], json!([]));
        assert_eq!(gitlab["b.txt"]["sections"][0]["name"], json!("abc"));
    }

    #[test]
    fn caret_heading_is_an_unowning_line_on_github_and_an_optional_section_on_gitlab() {
        let (github, gitlab) = both("* @all\n^[Test][2]\n*.md @t\n", &["^[Test][2]", "a.md"]);
        assert_eq!(github["^[Test][2]"]["owners"], json!([]));
        assert_eq!(
            gitlab["a.md"]["sections"],
            json!([
                {"name": null, "owners": ["@all"], "approvals_required": 1, "optional": false},
                {"name": "Test", "owners": ["@t"], "approvals_required": 2, "optional": true}
            ])
        );
    }

    #[test]
    fn relative_path_with_slash_is_anchored_on_github_and_globstar_on_gitlab() {
        let (github, gitlab) = both(
            "internal/README.md @u\n",
            &["internal/README.md", "docs/internal/README.md"],
        );
        assert_eq!(github["internal/README.md"]["owners"], json!(["@u"]));
        assert_eq!(github["docs/internal/README.md"]["owners"], json!([]));
        assert_eq!(gitlab["docs/internal/README.md"]["owners"], json!(["@u"]));
    }

    #[test]
    fn escaped_hash_works_on_gitlab_only() {
        let (github, gitlab) = both("* @all\n\\#file.rb @h\n", &["#file.rb"]);
        assert_eq!(github["#file.rb"]["owners"], json!(["@all"]));
        assert_eq!(gitlab["#file.rb"]["owners"], json!(["@h"]));
    }

    #[test]
    fn zero_approvals_means_one_on_gitlab() {
        let (_, gitlab) = both("[Test][0]\n*.md @t\n", &["a.md"]);
        assert_eq!(
            gitlab["a.md"]["sections"][0]["approvals_required"],
            json!(1)
        );
    }
}

/// `check` (files and standard input), `gate` and `report` read CODEOWNERS
/// through the same loader: each prints the lines it cannot use on stderr,
/// once, named as the file was read (a path on disk, or `commit:path`).
#[test]
fn every_command_that_reads_codeowners_warns_about_its_invalid_lines() {
    let dir = repo(
        &[
            ("imprimatur.yml", "owners:\n  required: true\n"),
            (".github/CODEOWNERS", "* @all\ndocs/ @docs not-an-owner\n"),
            ("docs/a.md", "# A\n"),
        ],
        &[],
    );
    let root = dir.path().canonicalize().unwrap();
    let head = git2::Repository::open(&root)
        .unwrap()
        .head()
        .unwrap()
        .target()
        .unwrap()
        .to_string();
    let problem = "2: invalid owner format 'not-an-owner' \
                   (expected @user, @org/team or an email address); line skipped\n";
    let on_disk = format!(
        "warning: {}:{problem}",
        root.join(".github/CODEOWNERS").display()
    );
    let in_tree = format!("warning: {}:.github/CODEOWNERS:{problem}", &head[..12]);
    let run = |args: &[&str], stdin: &str| {
        let output = Command::cargo_bin("imprimatur")
            .unwrap()
            .current_dir(&root)
            .args(args)
            .write_stdin(stdin)
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    assert_eq!(run(&["check", "--format", "json"], ""), on_disk);
    assert_eq!(
        run(&["check", "--stdin-filename", "docs/b.md"], "# B\n"),
        on_disk
    );
    assert_eq!(
        run(&["gate", "--base", "HEAD", "--format", "json"], ""),
        in_tree
    );
    assert_eq!(run(&["report", "--format", "json"], ""), on_disk);
    assert_eq!(
        run(&["report", "--format", "json", "--rev", "HEAD"], ""),
        in_tree
    );
}
