//! `imprimatur report` over a repository with five weeks of dated commits:
//! every figure checked exactly, and each weekly point checked against what
//! `check --rev COMMIT --today DAY` says of the same commit.

mod common;

use common::Repo;
use imprimatur::calendar::{days_from_civil, format_days};
use serde_json::{json, Value};

/// `value` without the spelling and readability keys (checked in
/// tests/report_quality.rs), so the figures here compare exactly.
fn without_quality(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(without_quality).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !["spelling", "readability_grade"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The report's "today" in these tests.
fn today() -> i64 {
    days_from_civil(2026, 3, 1)
}

const CONFIG: &str = r#"content:
  include: ["content/**/*.md"]
rules: [rules/test.yml]
people:
  alice: {name: Alice Ng, emails: [alice@acme.example], handles: [alice-ng]}
  bob: {name: Bob Martins, emails: [bob@acme.example], handles: [bob-martins]}
teams:
  "@acme/legal": [alice]
  "@acme/docs": [bob]
approvals:
  trailers: [Approved-by]
  trailer_trust: author
  governance: ["@acme/docs"]
  policies:
    - name: legal-signoff
      paths: ["content/legal/**"]
      from: ["@acme/legal"]
dates: {max_age_days: 30}
"#;

const PACK: &str = r#"rules:
  - id: claims/guarantee
    kind: forbid
    level: error
    terms: [guaranteed]
  - id: brand/github
    kind: substitute
    level: warning
    swap: {Github: GitHub}
  - id: meta/dates
    kind: dates
    level: warning
"#;

/// Stages everything (deletions too) and commits at noon UTC of `day`.
fn commit_at(repo: &Repo, day: i64, message: &str) -> git2::Oid {
    let mut index = repo.git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"].iter(), None).unwrap();
    index.write().unwrap();
    let tree = repo.git.find_tree(index.write_tree().unwrap()).unwrap();
    let time = git2::Time::new(day * 86_400 + 12 * 3600, 0);
    let sig = git2::Signature::new("Carol Diaz", "carol@acme.example", &time).unwrap();
    let parent = repo.git.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.git
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap()
}

/// Five weeks of history; returns the commits, oldest first.
///
/// | commit | day    | change                                                         | trailers            |
/// | C1     | D-35   | config, pack, CODEOWNERS (docs), a.md (guaranteed), old.md, terms.md (reviewed D-100, expires D-5, Github) | — |
/// | C2     | D-20   | CODEOWNERS owns legal/ too; c.md                                | Bob (governance)    |
/// | C3     | D-10   | a.md fixed, terms.md fixed, blog/new.md (unowned, embargoed to D+10, Github, guaranteed) | Alice (legal) |
/// | C4     | D-2    | c.md: Github, and a suppressed guaranteed                       | @alice-ng, unknown  |
fn history_repo() -> (Repo, Vec<git2::Oid>) {
    let d = today();
    let repo = Repo::new();
    repo.write("imprimatur.yml", CONFIG);
    repo.write("rules/test.yml", PACK);
    repo.write(".github/CODEOWNERS", "/content/docs/ @acme/docs\n");
    repo.write("content/docs/a.md", "# A\n\nThis is guaranteed.\n");
    repo.write("content/docs/old.md", "# Old\n\nNothing to see.\n");
    repo.write(
        "content/legal/terms.md",
        format!(
            "---\nlast_reviewed: {}\nexpires: {}\n---\n# Terms\n\nUse Github.\n",
            format_days(d - 100),
            format_days(d - 5)
        ),
    );
    let c1 = commit_at(&repo, d - 35, "Docs and terms");

    repo.write(
        ".github/CODEOWNERS",
        "/content/docs/ @acme/docs\n/content/legal/ @acme/legal\n",
    );
    repo.write("content/docs/c.md", "# C\n\nAll fine here.\n");
    let c2 = commit_at(
        &repo,
        d - 20,
        "Legal owns its pages\n\nApproved-by: Bob Martins <bob@acme.example>\n",
    );

    repo.write("content/docs/a.md", "# A\n\nThis is certain.\n");
    let terms = repo
        .read("content/legal/terms.md")
        .replace("Github", "GitHub");
    repo.write("content/legal/terms.md", terms);
    repo.write(
        "content/blog/new.md",
        format!(
            "---\npublish_after: {}\n---\nGithub is guaranteed.\n",
            format_days(d + 10)
        ),
    );
    let c3 = commit_at(
        &repo,
        d - 10,
        "Fixes and a launch post\n\nApproved-by: Alice Ng <alice@acme.example>\n",
    );

    repo.write(
        "content/docs/c.md",
        "# C\n\nAll fine here, with Github.\n\n\
         <!-- imprimatur-disable-next-line claims/guarantee -- quoted from the contract -->\n\
         Uptime is guaranteed.\n",
    );
    let c4 = commit_at(
        &repo,
        d - 2,
        "Uptime\n\nApproved-by: @alice-ng\nApproved-by: x@y.example\n",
    );
    (repo, vec![c1, c2, c3, c4])
}

fn report_json(repo: &Repo, args: &[&str]) -> Value {
    let out = repo
        .cmd()
        .args(["report", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn names(rows: &Value, name: &str, count: &str) -> Vec<(String, u64)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[name].as_str().unwrap().to_string(),
                r[count].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, u64)]) -> Vec<(String, u64)> {
    list.iter().map(|(n, c)| (n.to_string(), *c)).collect()
}

#[test]
fn current_figures_are_exact() {
    let (repo, commits) = history_repo();
    let d = today();
    let r = report_json(&repo, &["--today", &format_days(d), "--since", "28d"]);

    assert_eq!(r["version"], 1);
    assert_eq!(
        r["generated"],
        json!({"today": "2026-03-01", "source": "working tree", "commit": commits[3].to_string()})
    );
    // Words: a 4, old 4, c 9, terms 3, new 3.
    assert_eq!(
        without_quality(&r["content"]),
        json!({"files": 5, "words": 23})
    );

    let o = &r["ownership"];
    assert_eq!(
        (o["owned"].as_u64(), o["unowned"].as_u64()),
        (Some(4), Some(1))
    );
    assert_eq!(o["coverage_percent"], 80.0);
    assert_eq!(o["unowned_files"], json!(["content/blog/new.md"]));
    assert_eq!(
        without_quality(&o["by_owner"]),
        json!([
            {"owner": "@acme/docs", "files": 3, "words": 17, "findings": 2, "per_1000_words": 117.6, "stale": 1},
            {"owner": "@acme/legal", "files": 1, "words": 3, "findings": 2, "per_1000_words": 666.7, "stale": 1},
            {"owner": "(unowned)", "files": 1, "words": 3, "findings": 3, "per_1000_words": 1000.0, "stale": 0}
        ])
    );

    let f = &r["freshness"];
    assert_eq!(f["max_age_days"], 30);
    assert_eq!(f["reviewed_in_front_matter"], 1);
    assert_eq!(f["dated_by_git"], 4);
    assert_eq!(f["undated"], 0);
    // a (10 days), c (2), new (10) | old (35) | terms (100).
    let buckets: Vec<u64> = f["by_age"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["files"].as_u64().unwrap())
        .collect();
    assert_eq!(buckets, [3, 1, 1, 0, 0, 0]);
    assert_eq!(f["stale"], 2);
    assert_eq!(f["expired"], 1);
    assert_eq!(f["embargoed"], 1);
    assert_eq!(f["expired_files"], json!(["content/legal/terms.md"]));
    assert_eq!(f["embargoed_files"], json!(["content/blog/new.md"]));
    assert_eq!(
        f["oldest"][0],
        json!({"path": "content/legal/terms.md", "age_days": 100, "since": format_days(d - 100),
               "source": "front-matter", "owners": ["@acme/legal"]})
    );
    assert_eq!(
        f["oldest"][1],
        json!({"path": "content/docs/old.md", "age_days": 35, "since": format_days(d - 35),
               "source": "git", "owners": ["@acme/docs"]})
    );

    let k = &r["findings"];
    assert_eq!(
        (
            k["total"].as_u64(),
            k["error"].as_u64(),
            k["warning"].as_u64(),
            k["info"].as_u64()
        ),
        (Some(7), Some(1), Some(6), Some(0))
    );
    assert_eq!(k["per_1000_words"], 304.3);
    assert_eq!(
        k["by_rule"],
        json!([
            {"rule": "meta/dates", "level": "warning", "count": 4},
            {"rule": "brand/github", "level": "warning", "count": 2},
            {"rule": "claims/guarantee", "level": "error", "count": 1}
        ])
    );
    assert_eq!(
        names(&k["by_owner"], "name", "count"),
        pairs(&[("(unowned)", 3), ("@acme/docs", 2), ("@acme/legal", 2)])
    );

    assert_eq!(
        r["suppressions"],
        json!({"total": 1, "by_rule": [{"name": "claims/guarantee", "count": 1}],
               "by_reason": [{"name": "quoted from the contract", "count": 1}]})
    );
    let top: Vec<(String, u64)> = names(&r["top_files"], "path", "findings");
    assert_eq!(
        top,
        pairs(&[
            ("content/blog/new.md", 3),
            ("content/legal/terms.md", 2),
            ("content/docs/c.md", 1),
            ("content/docs/old.md", 1)
        ])
    );
}

#[test]
fn figures_agree_with_check() {
    let (repo, _) = history_repo();
    let d = format_days(today());
    let r = report_json(&repo, &["--today", &d]);
    let (_, check) = repo.check_json(&["--today", &d]);
    for level in ["error", "warning", "info"] {
        assert_eq!(r["findings"][level], check["summary"][level], "{level}");
    }
    assert_eq!(r["content"]["files"], check["summary"]["files"]);
    assert_eq!(
        r["suppressions"]["total"].as_u64(),
        Some(check["suppressed"].as_array().unwrap().len() as u64)
    );
}

#[test]
fn weekly_points_use_each_commit_tree() {
    let (repo, commits) = history_repo();
    let d = today();
    let r = report_json(&repo, &["--today", &format_days(d), "--since", "28d"]);
    let h = &r["history"];
    assert_eq!(h["since_days"], 28);
    assert_eq!(h["from"], format_days(d - 28));
    assert_eq!(h["to"], format_days(d));
    assert_eq!(h["shallow"], false);
    let short = |i: usize| commits[i].to_string()[..12].to_string();
    // (day, commit, files, owned, coverage, error, warning, suppressed, approvals that week)
    let expected = [
        (d - 28, short(0), 3, 2, 66.7, 1, 2, 0, 0),
        (d - 21, short(0), 3, 2, 66.7, 1, 2, 0, 0),
        (d - 14, short(1), 4, 4, 100.0, 1, 2, 0, 1),
        (d - 7, short(2), 5, 4, 80.0, 1, 3, 0, 1),
        (d, short(3), 5, 4, 80.0, 1, 6, 1, 2),
    ];
    let points = h["points"].as_array().unwrap();
    assert_eq!(points.len(), expected.len());
    for (p, e) in points.iter().zip(&expected) {
        let (day, commit, files, owned, coverage, error, warning, suppressed, approvals) = e;
        assert_eq!(p["date"], format_days(*day));
        assert_eq!(p["commit"].as_str(), Some(commit.as_str()), "{p}");
        assert_eq!(p["files"], *files, "{p}");
        assert_eq!(p["owned"], *owned, "{p}");
        assert_eq!(p["unowned"], files - owned, "{p}");
        assert_eq!(p["coverage_percent"], *coverage, "{p}");
        assert_eq!(p["error"], *error, "{p}");
        assert_eq!(p["warning"], *warning, "{p}");
        assert_eq!(p["info"], 0, "{p}");
        assert_eq!(p["findings"], error + warning, "{p}");
        assert_eq!(p["suppressed"], *suppressed, "{p}");
        assert_eq!(p["approvals"], *approvals, "{p}");
        assert_eq!(p["problem"], Value::Null);
    }
}

#[test]
fn each_point_matches_check_of_that_commit_on_that_day() {
    let (repo, _) = history_repo();
    let d = today();
    let r = report_json(&repo, &["--today", &format_days(d), "--since", "5w"]);
    let points = r["history"]["points"].as_array().unwrap();
    // 35 days back: the oldest point is the day of the first commit.
    assert_eq!(points.len(), 6);
    for p in points {
        let (_, check) = repo.check_json(&[
            "--rev",
            p["commit"].as_str().unwrap(),
            "--today",
            p["date"].as_str().unwrap(),
        ]);
        for level in ["error", "warning", "info"] {
            assert_eq!(p[level], check["summary"][level], "{level} at {p}");
        }
        assert_eq!(p["files"], check["summary"]["files"], "{p}");
    }
}

#[test]
fn approvals_by_policy_and_approver() {
    let (repo, _) = history_repo();
    let r = report_json(&repo, &["--today", &format_days(today()), "--since", "4w"]);
    let a = &r["history"]["approvals"];
    assert_eq!(a["commits"], 3);
    assert_eq!(a["commits_with_approvals"], 3);
    assert_eq!(a["approvals"], 4);
    assert_eq!(
        a["by_policy"],
        json!([
            {"policy": "(no policy)", "approvals": 2,
             "approvers": [{"name": "alice", "count": 1}, {"name": "x@y.example", "count": 1}]},
            {"policy": "governance", "approvals": 1, "approvers": [{"name": "bob", "count": 1}]},
            {"policy": "legal-signoff", "approvals": 1, "approvers": [{"name": "alice", "count": 1}]}
        ])
    );
    assert_eq!(
        names(&a["by_approver"], "name", "count"),
        pairs(&[("alice", 2), ("bob", 1), ("x@y.example", 1)])
    );
    // A shorter window leaves the older approvals out.
    let r = report_json(&repo, &["--today", &format_days(today()), "--since", "5d"]);
    let a = &r["history"]["approvals"];
    assert_eq!(
        (a["commits"].as_u64(), a["approvals"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(r["history"]["points"].as_array().unwrap().len(), 1);
}

#[test]
fn rev_reports_on_a_commit_tree_and_ends_the_history_there() {
    let (repo, commits) = history_repo();
    let d = today();
    let r = report_json(
        &repo,
        &[
            "--rev",
            &commits[1].to_string(),
            "--today",
            &format_days(d - 14),
            "--since",
            "2w",
        ],
    );
    assert_eq!(r["generated"]["source"], commits[1].to_string());
    assert_eq!(r["content"]["files"], 4);
    assert_eq!(r["ownership"]["coverage_percent"], 100.0);
    assert_eq!(r["findings"]["total"], 3);
    let points = r["history"]["points"].as_array().unwrap();
    let last = points.last().unwrap();
    assert_eq!(last["date"], format_days(d - 14));
    assert_eq!(last["findings"], 3);
    assert_eq!(points.len(), 3);
}

#[test]
fn working_tree_changes_count_now_but_not_in_history() {
    let (repo, _) = history_repo();
    repo.write("content/docs/d.md", "# D\n\nGuaranteed results.\n");
    repo.write("content/docs/a.md", "# A\n\nThis is guaranteed again.\n");
    let r = report_json(&repo, &["--today", &format_days(today()), "--since", "1w"]);
    assert_eq!(r["content"]["files"], 6);
    assert_eq!(r["findings"]["error"], 3);
    let last = r["history"]["points"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["files"].as_u64(), last["error"].as_u64()),
        (Some(5), Some(1))
    );
    // Not in git: no last change, so no date.
    assert_eq!(r["freshness"]["undated"], 1);
}

#[test]
fn each_point_reads_its_own_policy_and_reports_one_it_cannot_read() {
    let d = today();
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/p.yml]\n");
    repo.write(
        "rules/p.yml",
        "rules:\n  - {id: t/foo, kind: forbid, level: error, terms: [foo]}\n",
    );
    repo.write("a.md", "foo bar\n");
    commit_at(&repo, d - 14, "one");
    repo.write("imprimatur.yml", "rules: [rules/p.yml]\nrulez: []\n");
    commit_at(&repo, d - 7, "broken config");
    repo.write("imprimatur.yml", "rules: [rules/p.yml]\n");
    repo.write(
        "rules/p.yml",
        "rules:\n  - {id: t/foo, kind: forbid, level: error, terms: [foo]}\n  - {id: t/bar, kind: forbid, level: warning, terms: [bar]}\n",
    );
    commit_at(&repo, d, "bar too");
    let r = report_json(&repo, &["--today", &format_days(d), "--since", "2w"]);
    let points = r["history"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(
        (points[0]["error"].as_u64(), points[0]["warning"].as_u64()),
        (Some(1), Some(0))
    );
    let problem = points[1]["problem"].as_str().unwrap();
    assert!(problem.contains("imprimatur.yml"), "{problem}");
    assert_eq!(
        (points[2]["error"].as_u64(), points[2]["warning"].as_u64()),
        (Some(1), Some(1))
    );
    // Markdown and HTML say so too.
    for format in ["markdown", "html"] {
        let out = repo
            .cmd()
            .args([
                "report",
                "--format",
                format,
                "--today",
                &format_days(d),
                "--since",
                "2w",
            ])
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("policy not readable"));
    }
}

#[test]
fn outside_git_there_is_no_history() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n\nIt is guaranteed.\n").unwrap();
    let out = assert_cmd::Command::cargo_bin("imprimatur")
        .unwrap()
        .current_dir(dir.path())
        .args(["report", "--format", "json", "--today", "2026-03-01"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["history"], Value::Null);
    assert_eq!(r["generated"]["commit"], Value::Null);
    assert_eq!(r["content"]["files"], 1);
    assert_eq!(r["ownership"]["coverage_percent"], 0.0);
    assert_eq!(r["freshness"]["undated"], 1);
    // The built-in packs apply without a config.
    assert!(r["findings"]["total"].as_u64().unwrap() >= 1);
}

#[test]
fn markdown_tables_carry_the_figures() {
    let (repo, _) = history_repo();
    let out = repo
        .cmd()
        .args(["report", "--today", &format_days(today()), "--since", "28d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Content governance report\n"));
    assert!(
        md.contains("| 5 | 23 | 4 (80.0%) | 2 | 1 | 1 | 7 (1 error, 6 warnings, 0 info) | 304.3 |"),
        "{md}"
    );
    assert!(
        md.contains("| `@acme/docs` | 3 | 17 | 2 | 117.6 | 1 |"),
        "{md}"
    );
    assert!(md.contains("| `meta/dates` | warning | 4 |"), "{md}");
    assert!(md.contains("| legal-signoff | 1 | alice (1) |"), "{md}");
    assert!(
        md.contains(&format!("| {} | `", format_days(today() - 28))),
        "{md}"
    );
    // Small enough for a job summary many times over.
    assert!(md.len() < 64 * 1024);
}

#[test]
fn out_writes_the_file_and_links_pages_from_there() {
    let (repo, _) = history_repo();
    std::fs::create_dir(repo.path().join("site-report")).unwrap();
    repo.cmd()
        .args([
            "report",
            "--format",
            "html",
            "--out",
            "site-report/index.html",
        ])
        .args(["--today", &format_days(today())])
        .assert()
        .success()
        .stdout("");
    let html = repo.read("site-report/index.html");
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("<a href=\"../content/blog/new.md\">"),
        "links from the report's directory"
    );
}

#[test]
fn bad_input_is_a_clear_error() {
    let (repo, _) = history_repo();
    let out = repo
        .cmd()
        .args(["report", "--since", "3 months"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a duration"));
    let out = repo
        .cmd()
        .args(["report", "--rev", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown revision `no-such-branch`"));
    repo.write(
        "imprimatur.yml",
        "rules: [rules/test.yml]\nowners: {required: maybe}\n",
    );
    let out = repo.cmd().args(["report"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("imprimatur.yml"));
}

#[test]
fn an_unchanged_page_is_judged_again_when_what_it_links_to_changes() {
    let d = today();
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/p.yml]\n");
    repo.write(
        "rules/p.yml",
        "rules:\n  - {id: s/links, kind: links, level: error, relative: true, anchors: true}\n",
    );
    repo.write("a.md", "# A\n\nSee [b](b.md) and [c](c.md#intro).\n");
    repo.write("c.md", "# Intro\n");
    let c1 = commit_at(&repo, d - 14, "b is missing");
    repo.write("b.md", "# B\n");
    repo.write("c.md", "# Overview\n");
    let c2 = commit_at(&repo, d - 7, "b exists, c's heading changed");
    repo.write("c.md", "# Intro\n");
    let c3 = commit_at(&repo, d, "c's heading back");
    let r = report_json(&repo, &["--today", &format_days(d), "--since", "2w"]);
    let points = r["history"]["points"].as_array().unwrap();
    let errors: Vec<u64> = points
        .iter()
        .map(|p| p["error"].as_u64().unwrap())
        .collect();
    // a.md never changes: a missing b.md, then a missing #intro, then nothing.
    assert_eq!(errors, [1, 1, 0]);
    for (p, commit) in points.iter().zip([c1, c2, c3]) {
        let (_, check) = repo.check_json(&["--rev", &commit.to_string()]);
        assert_eq!(p["error"], check["summary"]["error"], "{p}");
    }
}

#[test]
fn changed_files_agree_with_git_diff() {
    let repo = Repo::new();
    repo.write("a/b/c.md", "1");
    repo.write("a/b/d.md", "1");
    repo.write("a/e.md", "1");
    repo.write("f", "1");
    repo.write("g/h.md", "1");
    // Names around `a/` in git's order: `a-z.md` < `a.md` < `a/` < `a0.md`.
    repo.write("a-z.md", "1");
    repo.write("a.md", "1");
    repo.write("a0.md", "1");
    let first = commit_at(&repo, 100, "one");
    repo.write("a0.md", "2");
    repo.write("a-z.md", "2");
    repo.write("a/b/c.md", "2");
    std::fs::remove_file(repo.path().join("a/e.md")).unwrap();
    std::fs::remove_dir_all(repo.path().join("g")).unwrap();
    repo.write("g", "now a file");
    std::fs::remove_file(repo.path().join("f")).unwrap();
    repo.write("f/i.md", "a directory now");
    repo.write("new/deep/j.md", "1");
    let second = commit_at(&repo, 101, "two");
    let tree = |oid: git2::Oid| repo.git.find_commit(oid).unwrap().tree().unwrap();
    let (old, new) = (tree(first), tree(second));
    let mut ours: Vec<(String, bool)> =
        imprimatur::source::git::changed_files(&repo.git, Some(&old), Some(&new))
            .unwrap()
            .into_iter()
            .map(|(path, blob)| {
                let in_new = new
                    .get_path(std::path::Path::new(&path))
                    .ok()
                    .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                    .map(|e| e.id());
                let same_blob = blob == in_new;
                assert!(same_blob, "{path}: the blob in the new tree");
                (path, blob.is_some())
            })
            .collect();
    ours.sort();
    let diff = repo
        .git
        .diff_tree_to_tree(Some(&old), Some(&new), None)
        .unwrap();
    let mut git: Vec<(String, bool)> = diff
        .deltas()
        .flat_map(|d| {
            let old_path = d.old_file().path().map(|p| p.to_str().unwrap().to_string());
            let new_path = d.new_file().path().map(|p| p.to_str().unwrap().to_string());
            match d.status() {
                git2::Delta::Deleted => vec![(old_path.unwrap(), false)],
                _ => vec![(new_path.unwrap(), true)],
            }
        })
        .collect();
    git.sort();
    assert_eq!(ours, git);
    // From nothing: every file.
    let all = imprimatur::source::git::changed_files(&repo.git, None, Some(&old)).unwrap();
    assert_eq!(all.len(), 8);
}

#[test]
fn a_day_before_the_first_commit_has_no_points() {
    let (repo, _) = history_repo();
    let early = format_days(today() - 60);
    let r = report_json(&repo, &["--today", &early, "--since", "2w"]);
    assert_eq!(r["history"]["points"], json!([]));
    assert_eq!(r["history"]["approvals"]["commits"], 0);
    let out = repo
        .cmd()
        .args(["report", "--today", &early, "--since", "2w"])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains(&format!("No commit on or before {early}.")),
        "{md}"
    );
}

#[test]
fn a_project_in_a_subdirectory_reads_its_own_part_of_each_tree() {
    let d = today();
    let repo = Repo::new();
    repo.write("site/imprimatur.yml", CONFIG);
    repo.write("site/rules/test.yml", PACK);
    repo.write("site/.github/CODEOWNERS", "/content/docs/ @acme/docs\n");
    repo.write("site/content/docs/a.md", "# A\n\nGuaranteed.\n");
    repo.write(
        "content/docs/outside.md",
        "Guaranteed, but not in the project.\n",
    );
    let c1 = commit_at(&repo, d - 7, "site");
    repo.write("site/content/docs/b.md", "# B\n\nUse Github.\n");
    repo.write("site/content/blog/c.md", "# C\n\nFine.\n");
    let c2 = commit_at(&repo, d, "more");
    let args = ["--config", "site/imprimatur.yml", "--today"];
    let r = report_json(
        &repo,
        &[&args[..], &[&format_days(d), "--since", "1w"]].concat(),
    );
    assert_eq!(r["content"]["files"], 3);
    assert_eq!(r["ownership"]["owned"], 2);
    let points = r["history"]["points"].as_array().unwrap();
    let files: Vec<u64> = points
        .iter()
        .map(|p| p["files"].as_u64().unwrap())
        .collect();
    assert_eq!(files, [1, 3]);
    assert_eq!(points[1]["owned"], 2);
    for (p, commit) in points.iter().zip([c1, c2]) {
        let (_, check) = repo.check_json(&[
            "--config",
            "site/imprimatur.yml",
            "--rev",
            &commit.to_string(),
            "--today",
            p["date"].as_str().unwrap(),
        ]);
        for level in ["error", "warning"] {
            assert_eq!(p[level], check["summary"][level], "{level} at {p}");
        }
    }
    let html = repo
        .cmd()
        .args([
            "report",
            "--config",
            "site/imprimatur.yml",
            "--format",
            "html",
        ])
        .args(["--today", &format_days(d)])
        .output()
        .unwrap();
    // Run from the repository root: links go into the project's directory.
    assert!(String::from_utf8_lossy(&html.stdout).contains("href=\"site/content/docs/a.md\""));
}

#[test]
fn trailer_text_never_becomes_markup_in_the_markdown_report() {
    let (repo, _) = history_repo();
    repo.write("content/docs/old.md", "# Old\n\nStill nothing.\n");
    commit_at(
        &repo,
        today() - 1,
        "Touch\n\nApproved-by: ![x](https://e.example/t.png) <b>bold</b> [l](https://e.example) *em* &lt;i&gt;\n",
    );
    let out = repo
        .cmd()
        .args([
            "report",
            "--format",
            "markdown",
            "--today",
            &format_days(today()),
            "--since",
            "4w",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        md.contains("\\!\\[x\\](https://e.example/t.png) \\<b\\>bold\\</b\\>"),
        "{md}"
    );
    // Rendered, the page has no image, no HTML, no link, no emphasis but
    // what the report itself writes.
    let mut images = 0;
    let mut html = Vec::new();
    let mut links = 0;
    let mut emphasis = 0;
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    for event in pulldown_cmark::Parser::new_ext(&md, options) {
        match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Image { .. }) => images += 1,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { .. }) => links += 1,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Emphasis) => emphasis += 1,
            pulldown_cmark::Event::Html(h) | pulldown_cmark::Event::InlineHtml(h) => {
                html.push(h.to_string())
            }
            _ => {}
        }
    }
    assert_eq!((images, links, emphasis), (0, 0, 0), "{md}");
    assert!(html.iter().all(|h| h == "<br>"), "{html:?}");
    let text: String = pulldown_cmark::Parser::new_ext(&md, options)
        .filter_map(|e| match e {
            pulldown_cmark::Event::Text(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    assert!(
        text.contains(
            "![x](https://e.example/t.png) <b>bold</b> [l](https://e.example) *em* &lt;i&gt;"
        ),
        "{text}"
    );
}
