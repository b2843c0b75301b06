//! `imprimatur report`: approvals recorded by empty signed commits count for
//! the policies of what they approve; policy changes are marked on the
//! trend; empty data shows no misleading figures; people who own pages are
//! not charted as teams.

mod common;

use common::Repo;
use imprimatur::calendar::{days_from_civil, format_days};
use serde_json::{json, Value};

fn today() -> i64 {
    days_from_civil(2026, 3, 1)
}

const CONFIG: &str = r#"content:
  include: ["content/**/*.md"]
rules: []
people:
  alice: {name: Alice Ng, emails: [alice@acme.example]}
teams:
  "@acme/legal": [alice]
approvals:
  trailers: [Approved-by]
  policies:
    - name: legal-signoff
      paths: ["content/legal/**"]
      from: ["@acme/legal"]
"#;

/// Commits the index as it is (or everything in the work tree) at noon of `day`.
fn commit(
    repo: &Repo,
    day: i64,
    message: &str,
    parents: &[git2::Oid],
    update_head: bool,
) -> git2::Oid {
    let mut index = repo.git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.git.find_tree(index.write_tree().unwrap()).unwrap();
    let time = git2::Time::new(day * 86_400 + 12 * 3600, 0);
    let sig = git2::Signature::new("Carol Diaz", "carol@acme.example", &time).unwrap();
    let parents: Vec<git2::Commit> = parents
        .iter()
        .map(|p| repo.git.find_commit(*p).unwrap())
        .collect();
    let parents: Vec<&git2::Commit> = parents.iter().collect();
    let head = update_head.then_some("HEAD");
    repo.git
        .commit(head, &sig, &sig, message, &tree, &parents)
        .unwrap()
}

fn report(repo: &Repo, format: &str) -> String {
    let out = repo
        .cmd()
        .args([
            "report",
            "--format",
            format,
            "--today",
            &format_days(today()),
            "--since",
            "4w",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_report(repo: &Repo) -> Value {
    serde_json::from_str(&report(repo, "json")).unwrap()
}

const APPROVAL: &str = "Approve the terms\n\nApproved-by: Alice Ng <alice@acme.example>\n";

#[test]
fn an_empty_approval_commit_counts_for_the_policies_of_what_it_approves() {
    let d = today();
    let repo = Repo::new();
    repo.write("imprimatur.yml", CONFIG);
    repo.write("content/docs/a.md", "# A\n");
    let base = commit(&repo, d - 20, "Start", &[], true);
    // A branch: the legal edit, then the documented empty approval commit.
    repo.write("content/legal/terms.md", "# Terms\n");
    let edit = commit(&repo, d - 10, "New terms", &[base], false);
    let approval = commit(&repo, d - 9, APPROVAL, &[edit], false);
    // Meanwhile on the mainline, an unrelated page; then the merge.
    repo.write("content/docs/b.md", "# B\n");
    let mut index = repo.git.index().unwrap();
    index
        .remove_path(std::path::Path::new("content/legal/terms.md"))
        .unwrap();
    index.write().unwrap();
    let main = {
        let tree = repo.git.find_tree(index.write_tree().unwrap()).unwrap();
        let time = git2::Time::new((d - 8) * 86_400, 0);
        let sig = git2::Signature::new("Carol Diaz", "carol@acme.example", &time).unwrap();
        let parent = repo.git.find_commit(base).unwrap();
        repo.git
            .commit(Some("HEAD"), &sig, &sig, "Docs", &tree, &[&parent])
            .unwrap()
    };
    commit(&repo, d - 7, "Merge the terms", &[main, approval], true);
    let r = json_report(&repo);
    assert_eq!(
        r["history"]["approvals"]["by_policy"],
        json!([{"policy": "legal-signoff", "approvals": 1,
                "approvers": [{"name": "alice", "count": 1}]}])
    );
}

#[test]
fn an_empty_approval_commit_on_a_linear_history_covers_the_changes_since_the_last_approval() {
    let d = today();
    let repo = Repo::new();
    repo.write("imprimatur.yml", CONFIG);
    repo.write("content/legal/old.md", "# Old\n");
    let first = commit(
        &repo,
        d - 20,
        "Start\n\nApproved-by: alice@acme.example\n",
        &[],
        true,
    );
    repo.write("content/docs/a.md", "# A\n");
    let docs = commit(&repo, d - 12, "Docs", &[first], true);
    let approval = commit(&repo, d - 11, APPROVAL, &[docs], true);
    // The next empty approval covers only what changed since the last one:
    // a docs page nobody's policy governs.
    repo.write("content/docs/b.md", "# B\n");
    let more = commit(&repo, d - 5, "More docs", &[approval], true);
    commit(&repo, d - 4, APPROVAL, &[more], true);
    let r = json_report(&repo);
    assert_eq!(
        r["history"]["approvals"]["by_policy"],
        json!([
            {"policy": "(no policy)", "approvals": 2,
             "approvers": [{"name": "alice", "count": 2}]},
            {"policy": "legal-signoff", "approvals": 1,
             "approvers": [{"name": "alice", "count": 1}]}
        ])
    );
}

#[test]
fn a_policy_change_is_marked_on_the_trend() {
    let d = today();
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: [builtin:claims]\n",
    );
    repo.write("content/a.md", "# A\n\nThis is guaranteed.\n");
    let c1 = commit(&repo, d - 20, "Start", &[], true);
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: []\n",
    );
    let c2 = commit(&repo, d - 10, "Drop the claims pack", &[c1], true);
    repo.write("content/b.md", "# B\n");
    commit(&repo, d - 3, "Another page", &[c2], true);
    let r = json_report(&repo);
    let points = r["history"]["points"].as_array().unwrap();
    let marks: Vec<(u64, bool)> = points
        .iter()
        .map(|p| {
            (
                p["error"].as_u64().unwrap(),
                p["policy_changed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(marks, vec![(1, false), (0, true), (0, false)]);
    let md = report(&repo, "markdown");
    assert!(
        md.contains(&format!("| {} (policy changed) | `", format_days(d - 7))),
        "{md}"
    );
    assert!(
        md.contains("(policy changed): the config, rule packs or CODEOWNERS differ"),
        "{md}"
    );
    let html = report(&repo, "html");
    assert!(
        html.contains(&format!("{} (policy changed)", format_days(d - 7))),
        "{html}"
    );
    assert!(html.contains("* policy changed: the config"), "{html}");
}

#[test]
fn empty_data_shows_no_share_and_no_rate() {
    let d = today();
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: [builtin:claims]\n",
    );
    repo.write("README.txt", "no pages yet\n");
    commit(&repo, d - 3, "Start", &[], true);
    let md = report(&repo, "markdown");
    assert!(
        md.contains("| 0 | 0 | 0 (—) | 0 | 0 | 0 | 0 (0 errors, 0 warnings, 0 info) | — |"),
        "{md}"
    );
    assert!(md.contains("No content pages, so nothing to own."), "{md}");
    assert!(!md.contains("100.0%"), "{md}");
    assert!(!md.contains("0.0 per"), "{md}");
    let html = report(&repo, "html");
    assert!(!html.contains("100.0%"), "{html}");
    assert!(
        html.contains("0 errors, 0 warnings, 0 info; — per 1,000 words."),
        "{html}"
    );
}

#[test]
fn one_error_is_singular() {
    let d = today();
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: [builtin:claims]\n",
    );
    repo.write("content/a.md", "# A\n\nThis is guaranteed.\n");
    commit(&repo, d - 3, "Start", &[], true);
    let html = report(&repo, "html");
    assert!(html.contains("findings (1 error)"), "{html}");
    assert!(
        html.contains("1 finding: 1 error, 0 warnings, 0 info;"),
        "{html}"
    );
}

#[test]
fn people_who_own_pages_are_not_charted_as_teams() {
    let d = today();
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content:\n  include: [\"content/**/*.md\"]\nrules: []\n",
    );
    repo.write(
        ".github/CODEOWNERS",
        "/content/legal/ @acme/legal\n/content/blog/ @carol\n",
    );
    repo.write("content/legal/a.md", "# A\n");
    repo.write("content/legal/b.md", "# B\n");
    repo.write("content/blog/c.md", "# C\n");
    commit(&repo, d - 3, "Start", &[], true);
    let html = report(&repo, "html");
    let teams = html
        .find("<figcaption>Pages by owning team</figcaption>")
        .expect("team chart");
    let people = html
        .find("<figcaption>Pages owned by individuals</figcaption>")
        .expect("people chart");
    let team_chart = &html[teams..people];
    assert!(team_chart.contains("@acme/legal"), "{team_chart}");
    assert!(!team_chart.contains("@carol"), "{team_chart}");
    let people_chart = &html[people..];
    let people_chart = &people_chart[..people_chart.find("</figure>").unwrap()];
    assert!(people_chart.contains("@carol"), "{people_chart}");
}
