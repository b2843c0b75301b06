//! `overrides:` in imprimatur.yml: per-path rule settings for built-in,
//! repository and Vale rules; warnings for names and paths that match
//! nothing; `front_matter` paths; the result cache sees the overrides.

mod common;

use common::Repo;
use serde_json::Value;

/// (path, rule, level) of every finding, sorted.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn triple(path: &str, rule: &str, level: &str) -> (String, String, String) {
    (path.into(), rule.into(), level.into())
}

const PAGE: &str = "# Page\n\nRust guarantees memory safety. Host it on Github.\n";

fn site(config: &str) -> Repo {
    let repo = Repo::new();
    repo.write("book/ch1.md", PAGE);
    repo.write("docs/guide.md", PAGE);
    repo.write("imprimatur.yml", config);
    repo
}

#[test]
fn built_in_rules_are_switched_off_and_relevelled_per_path() {
    let repo = site(
        "rules: [builtin:claims, builtin:brand]\n\
         overrides:\n  - paths: [\"book/**\"]\n    rules: {\"claims/guarantee\": off, \"brand/*\": info}\n",
    );
    let (code, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 1, "docs/ still has an error");
    assert_eq!(
        findings(&json),
        vec![
            triple("book/ch1.md", "brand/github", "info"),
            triple("docs/guide.md", "brand/github", "warning"),
            triple("docs/guide.md", "claims/guarantee", "error"),
        ]
    );
}

#[test]
fn later_blocks_win_and_exclude_paths_leave_files_alone() {
    let repo = site(
        "rules: [builtin:claims, builtin:brand]\n\
         overrides:\n\
         \x20 - rules: {\"claims/guarantee\": off}\n\
         \x20 - paths: [\"**\"]\n    exclude_paths: [\"book/**\"]\n    rules: {\"claims/guarantee\": warning, \"brand/github\": off}\n",
    );
    let (code, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 0, "nothing left at error level");
    assert_eq!(
        findings(&json),
        vec![
            triple("book/ch1.md", "brand/github", "warning"),
            triple("docs/guide.md", "claims/guarantee", "warning"),
        ]
    );
}

#[test]
fn an_exact_id_wins_over_a_glob_in_the_same_block() {
    let repo = site(
        "rules: [builtin:brand]\n\
         overrides:\n  - rules: {\"brand/github\": error, \"brand/*\": off}\n",
    );
    let (_, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(
        findings(&json),
        vec![
            triple("book/ch1.md", "brand/github", "error"),
            triple("docs/guide.md", "brand/github", "error"),
        ]
    );
}

#[test]
fn repository_packs_and_vale_rules_are_overridden_by_id() {
    let repo = site(
        "rules: [rules/house.yml, \"vale:styles/House\"]\n\
         overrides:\n  - paths: [\"book/**\"]\n    rules: {\"house/memory\": off, \"House.Safety\": error}\n",
    );
    repo.write(
        "rules/house.yml",
        "rules:\n  - id: house/memory\n    kind: forbid\n    level: warning\n    terms: [memory]\n",
    );
    repo.write(
        "styles/House/Safety.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: suggestion\ntokens: [safety]\n",
    );
    let (_, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(
        findings(&json),
        vec![
            triple("book/ch1.md", "House.Safety", "error"),
            triple("docs/guide.md", "House.Safety", "info"),
            triple("docs/guide.md", "house/memory", "warning"),
        ]
    );
}

#[test]
fn names_and_paths_that_match_nothing_are_located_warnings() {
    let repo = site(
        "rules: [builtin:claims]\n\
         overrides:\n  - paths: [\"handbook/**\"]\n    rules: {\"claims/guarante\": off, \"legal/*\": off}\n",
    );
    let out = repo
        .cmd()
        .args(["check", "--no-cache", "--format", "line"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let config = repo.path().join("imprimatur.yml");
    let config = config.display();
    assert_eq!(
        stderr,
        format!(
            "warning: {config}:4:14: override names `claims/guarante`, which matches no loaded rule (did you mean `claims/guarantee`?)\n\
             warning: {config}:4:38: override names `legal/*`, which matches no loaded rule (`imprimatur rules` lists the loaded rules)\n\
             warning: {config}:3:14: override path `handbook/**` matches no content file\n"
        )
    );
}

#[test]
fn front_matter_required_takes_paths_and_exclude_paths() {
    let repo = site(
        "rules: []\nfront_matter:\n  required: [title]\n  paths: [\"docs/**\", \"book/**\"]\n  exclude_paths: [\"book/**\"]\n",
    );
    let (code, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        vec![triple("docs/guide.md", "imprimatur/front-matter", "error")]
    );
}

#[test]
fn an_invalid_override_glob_is_a_located_config_error() {
    let repo = site("rules: [builtin:claims]\noverrides:\n  - paths: [\"book/[\"]\n");
    let out = repo.cmd().args(["check", "--no-cache"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid glob `book/[`"), "{stderr}");
    assert!(stderr.contains("imprimatur.yml:3:14"), "{stderr}");
}

#[test]
fn the_result_cache_sees_a_change_of_overrides() {
    let repo = site("rules: [builtin:claims]\n");
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap();
    let (_, before) = repo.check_json(&["--cache-dir", cache_dir]);
    assert_eq!(findings(&before).len(), 2);
    repo.write(
        "imprimatur.yml",
        "rules: [builtin:claims]\noverrides:\n  - paths: [\"book/**\"]\n    rules: {\"claims/*\": off}\n",
    );
    let (_, after) = repo.check_json(&["--cache-dir", cache_dir]);
    assert_eq!(
        findings(&after),
        vec![triple("docs/guide.md", "claims/guarantee", "error")]
    );
}
