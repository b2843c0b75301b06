//! `check --statistics`, `check --fix --diff`, the note when a fix touches a
//! page under an approval policy, `owners DIR` = `owners DIR/`, and `init`'s
//! example pack naming every kind.

mod common;

use common::Repo;

const PAGE: &str = "# Plans\n\nUse Github and Github.\nThis is guaranteed.\n\nMore text.\n";

fn site() -> Repo {
    let repo = Repo::new();
    repo.write("pricing/plans.md", PAGE);
    repo.write("docs/guide.md", "# Guide\n\nHost it on Github.\n");
    repo.write(
        "imprimatur.yml",
        "rules: [builtin:brand, builtin:claims]\npeople: {alice: {}}\n\
         approvals:\n  policies:\n    - {name: legal-signoff, paths: [\"pricing/**\"], from: [alice]}\n",
    );
    repo
}

#[test]
fn statistics_end_the_human_output_with_a_count_per_rule() {
    let repo = site();
    let out = repo
        .cmd()
        .args(["check", "--no-cache", "--statistics"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.ends_with(
            "1 error, 3 warnings, 0 info in 2 files\n\n\
             Findings per rule:\n  \
             3  brand/github      warning  [*] fixable with --fix\n  \
             1  claims/guarantee  error\n"
        ),
        "{stdout}"
    );
}

#[test]
fn statistics_are_not_mixed_into_machine_output() {
    let repo = site();
    let (_, json) = repo.check_json(&["--no-cache", "--statistics"]);
    assert_eq!(json["summary"]["warning"], 3);
}

#[test]
fn fix_diff_prints_a_unified_diff_and_writes_nothing() {
    let repo = site();
    let out = repo
        .cmd()
        .args(["check", "--fix", "--diff", "pricing"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "something to fix: exit 1, as ruff"
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "--- a/pricing/plans.md\n+++ b/pricing/plans.md\n@@ -1,6 +1,6 @@\n # Plans\n \n\
         -Use Github and Github.\n+Use GitHub and GitHub.\n This is guaranteed.\n \n More text.\n"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "note: --fix would change pricing/plans.md, which approval policy `legal-signoff` governs: the change needs that approval before it merges\n\
         would fix 2 findings in 1 file (nothing written)\n"
    );
    assert_eq!(repo.read("pricing/plans.md"), PAGE);
}

#[test]
fn fix_diff_with_nothing_to_fix_exits_0() {
    let repo = Repo::new();
    repo.write("a.md", "# Fine\n\nThis is guaranteed.\n");
    let out = repo
        .cmd()
        .args(["check", "--fix", "--diff"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "nothing to fix\n");
}

#[test]
fn diff_needs_fix() {
    let repo = site();
    let out = repo.cmd().args(["check", "--diff"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_fix_under_an_approval_policy_is_noted() {
    let repo = site();
    let out = repo
        .cmd()
        .args(["check", "--fix", "--format", "line"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the guarantee remains");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "note: --fix changed pricing/plans.md, which approval policy `legal-signoff` governs: the change needs that approval before it merges\n"
    );
    assert!(repo
        .read("pricing/plans.md")
        .contains("Use GitHub and GitHub."));
    assert!(repo.read("docs/guide.md").contains("on GitHub."));
}

#[test]
fn owners_of_a_directory_is_the_same_with_or_without_its_slash() {
    let repo = Repo::new();
    repo.write(".github/CODEOWNERS", "/pricing/ @acme/pricing\n");
    repo.write("pricing/plans.md", PAGE);
    let run = |arg: &str| {
        let out = repo
            .cmd()
            .args(["owners", arg, "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let bare = run("pricing");
    assert_eq!(bare, run("pricing/"));
    assert!(bare.contains("\"@acme/pricing\""), "{bare}");
}

#[test]
fn init_names_every_kind_in_the_example_pack() {
    let repo = Repo::new();
    let out = repo.cmd().arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let pack = repo.read("rules/example.yml");
    assert!(
        pack.contains(
            "# Kinds: forbid, substitute, require, front-matter, links, dates, spelling, metric.\n"
        ),
        "{pack}"
    );
    let config = repo.read("imprimatur.yml");
    assert!(config.contains("overrides: []"), "{config}");
}
