//! `check --stdin-filename PATH` and `check -`: standard input checked as
//! PATH, with PATH's config, content-set membership and rules.

mod common;

use common::Repo;
use serde_json::Value;

fn project() -> Repo {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: [rules/test.yml]\n",
    );
    repo.write("rules/test.yml", common::TEST_PACK);
    // A nested project with its own config and no brand rule.
    repo.write("site/imprimatur.yml", "rules: [rules/claims.yml]\n");
    repo.write(
        "site/rules/claims.yml",
        &common::TEST_PACK[..common::TEST_PACK.find("  - id: brand/github").unwrap()],
    );
    repo
}

const TEXT: &str = "Github is guaranteed.\n";

fn stdin_json(repo: &Repo, dir: &str, args: &[&str]) -> (i32, Value) {
    let out = repo
        .cmd()
        .current_dir(repo.path().join(dir))
        .args(["check", "--format", "json"])
        .args(args)
        .write_stdin(TEXT)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), json)
}

fn rules_found(json: &Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn stdin_is_reported_as_the_named_path() {
    let repo = project();
    let (code, json) = stdin_json(&repo, "", &["--stdin-filename", "content/new/page.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_found(&json),
        [
            ("content/new/page.md".into(), "brand/github".into()),
            ("content/new/page.md".into(), "claims/guarantee".into()),
        ]
    );
    // The same file on disk gives the same findings.
    repo.write("content/new/page.md", TEXT);
    let (_, on_disk) = repo.check_json(&["--no-cache", "content/new/page.md"]);
    assert_eq!(json["findings"], on_disk["findings"]);
}

#[test]
fn the_named_path_picks_the_config_and_the_content_set() {
    let repo = project();
    // Outside `content/**`: not content, nothing checked.
    let (code, json) = stdin_json(&repo, "", &["--stdin-filename", "notes/page.md"]);
    assert_eq!((code, rules_found(&json)), (0, vec![]));
    // Under site/: the nested project's config, which has no brand rule.
    let (code, json) = stdin_json(&repo, "", &["--stdin-filename", "site/page.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_found(&json),
        [("page.md".into(), "claims/guarantee".into())]
    );
    // A path relative to the current directory.
    repo.write("content/other.md", "Fine.\n");
    let (_, json) = stdin_json(&repo, "content", &["--stdin-filename", "x.md", "-"]);
    assert_eq!(rules_found(&json).len(), 2);
}

#[test]
fn a_dash_reads_stdin_and_fix_prints_the_fixed_text() {
    let repo = project();
    let out = repo
        .cmd()
        .args(["check", "--format", "line", "-"])
        .write_stdin(TEXT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "stdin.md:1:1:brand/github:Use 'GitHub' instead of 'Github'.\n\
         stdin.md:1:11:claims/guarantee:'guaranteed' is an absolute claim.\n"
    );
    let out = repo
        .cmd()
        .args(["check", "--fix", "--stdin-filename", "content/a.md"])
        .write_stdin(TEXT)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "GitHub is guaranteed.\n"
    );
    assert_eq!(out.status.code(), Some(1), "the claim remains");
    assert!(
        !repo.path().join("content/a.md").exists(),
        "nothing written"
    );
}

#[test]
fn stdin_does_not_combine_with_other_sources() {
    let repo = project();
    let out = repo
        .cmd()
        .args(["check", "--stdin-filename", "content/a.md", "--staged"])
        .write_stdin(TEXT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("standard input is checked alone; it cannot be combined with --staged"));
}
