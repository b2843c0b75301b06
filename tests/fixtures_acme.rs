//! Whole-run expected output over the bundled example repository
//! (`fixtures/acme-site`), copied into a fresh git repository.

mod common;

use common::acme_repo;

#[test]
fn check_json_matches_the_expected_output() {
    let repo = acme_repo();
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let expected: serde_json::Value =
        serde_json::from_str(include_str!("expected/acme-site.check.json")).unwrap();
    assert_eq!(json, expected, "actual:\n{json:#}");
}

#[test]
fn check_line_output_is_sorted_and_relative_to_the_current_directory() {
    let repo = acme_repo();
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .current_dir(repo.path().join("content/pricing"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 17, "{text}");
    assert!(lines.contains(&"enterprise.md:25:31:acme/codename:'Project Falcon' is an unreleased code name; use the public product name or leave it out."), "{text}");
    assert!(lines[0].starts_with("../blog/"), "{text}");
    let mut sorted = lines.clone();
    sorted.sort_by_key(|l| {
        let mut parts = l.splitn(4, ':');
        let path = parts.next().unwrap().to_string();
        let line: u32 = parts.next().unwrap().parse().unwrap();
        let col: u32 = parts.next().unwrap().parse().unwrap();
        (path, line, col)
    });
    assert_eq!(lines, sorted);
}

#[test]
fn fix_on_the_example_site_applies_brand_fixes_only() {
    let repo = acme_repo();
    let before = repo.read("content/legal/terms.md");
    assert!(before.contains("e-mail\r\n") || before.contains("e-mail"));
    repo.cmd().args(["check", "--fix"]).assert().code(1);
    let after = repo.read("content/legal/terms.md");
    assert_eq!(after, before.replacen("e-mail", "email", 1));
    assert!(after.contains("\r\n"), "CRLF kept");
    let (_, json) = repo.check_json(&[]);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        !rules
            .iter()
            .any(|r| r.starts_with("brand/") || *r == "acme/product-name"),
        "{rules:?}"
    );
}
