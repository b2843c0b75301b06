//! The `dates` and `links` kinds over real repositories.

mod common;
use common::*;

const DATES: &str =
    "rules:\n  - id: meta/dates\n    kind: dates\n    level: error\n    max_age_days: 30\n";

#[test]
fn expiry_embargo_and_review_age_with_a_frozen_today() {
    let repo = repo_with_pack(DATES);
    repo.write(
        "a.md",
        "---\ntitle: A\nexpires: 2026-01-31\npublish_after: 2026-03-01\nlast_reviewed: 2025-12-01\n---\nBody\n",
    );
    repo.write(
        "b.md",
        "---\ntitle: B\nexpires: 2026-12-31\nlast_reviewed: 2026-02-01\n---\nBody\n",
    );
    repo.write("c.md", "---\ntitle: C\nexpires: soon\n---\nBody\n");
    let (code, json) = repo.check_json(&["--today", "2026-02-15"]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![
            (3, 10, 3, 20, s("meta/dates"), s("2026-01-31")),
            (4, 16, 4, 26, s("meta/dates"), s("2026-03-01")),
            (5, 16, 5, 26, s("meta/dates"), s("2025-12-01")),
            (3, 10, 3, 14, s("meta/dates"), s("soon")),
        ]
    );
    let messages: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages[0], "This page expired on 2026-01-31.");
    assert_eq!(messages[1], "This page is embargoed until 2026-03-01.");
    assert_eq!(
        messages[2],
        "Last reviewed 2025-12-01, 76 days ago; reviews are due every 30 days."
    );
    // A day later the embargo still holds; after it, it does not.
    let (_, json) = repo.check_json(&["--today", "2026-03-02", "b.md", "a.md"]);
    assert!(!json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["found"] == "2026-03-01"));
    repo.cmd()
        .args(["check", "--today", "2026-02-30"])
        .assert()
        .code(2);
}

#[test]
fn without_a_review_date_the_last_commit_counts() {
    let repo = repo_with_pack(DATES);
    repo.write("old.md", "---\ntitle: Old\n---\nBody\n");
    let mut index = repo.git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.git.find_tree(index.write_tree().unwrap()).unwrap();
    // 2026-01-01T00:00:00Z
    let when =
        git2::Signature::new("Ann", "ann@example.com", &git2::Time::new(1_767_225_600, 0)).unwrap();
    repo.git
        .commit(Some("HEAD"), &when, &when, "old page", &tree, &[])
        .unwrap();
    let (_, json) = repo.check_json(&["--today", "2026-02-15"]);
    assert_eq!(spans(&json), vec![(1, 1, 1, 1, s("meta/dates"), s(""))]);
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("last change was 2026-01-01, 45 days ago"));
    let (_, json) = repo.check_json(&["--today", "2026-01-20"]);
    assert_eq!(spans(&json), vec![]);
}

const LINKS: &str = "rules:\n  - id: structure/links\n    kind: links\n    level: error\n    relative: true\n    anchors: true\n    references: true\n    alt_text: true\n";

#[test]
fn moved_pages_missing_anchors_images_and_references() {
    let repo = repo_with_pack(LINKS);
    repo.write(
        "docs/guide.md",
        "# Guide\n\n## Set up the CLI\n\n## Set up the CLI\n",
    );
    repo.write(
        "docs/index.md",
        "# Index\n\nSee [the guide](guide.md), [setup](guide.md#set-up-the-cli), [again](guide.md#set-up-the-cli-1).\n\nMoved: [old](old-guide.md). Missing: [anchor](guide.md#nope) and [here](#index) [gone](#missing).\n\n![](../img/logo.png) and ![Logo](../img/missing.png)\n\n[Ref link][nowhere] and [defined][ok]. External [site](https://example.com/x.md).\n\n`[code](missing.md)` and\n\n```\n[fenced](missing.md)\n```\n\n[ok]: guide.md\n",
    );
    repo.write("img/logo.png", b"\x89PNG\r\n".as_slice());
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let found: Vec<(u64, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["found"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (5, s("[old](old-guide.md)")),
            (5, s("[anchor](guide.md#nope)")),
            (5, s("[gone](#missing)")),
            (7, s("![](../img/logo.png)")),
            (7, s("![Logo](../img/missing.png)")),
            (9, s("[Ref link][nowhere]")),
        ]
    );
}
