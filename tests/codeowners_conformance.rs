//! The public CODEOWNERS test data in `../shared/conformance/codeowners/`,
//! checked through the library (the same data `run-codeowners.py` feeds the
//! binary). Skipped with a note when the data is not beside the repository.

use std::path::PathBuf;

use imprimatur::ownership::{CodeOwners, Dialect, Ownership};
use serde_json::Value;

fn data(name: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/codeowners");
    let text = std::fs::read_to_string(dir.join(name)).ok();
    if text.is_none() {
        eprintln!(
            "note: {} not found; conformance data skipped",
            dir.join(name).display()
        );
    }
    text
}

fn owners_of(text: &str, dialect: Dialect, path: &str) -> Ownership {
    let (codeowners, _) = CodeOwners::parse(text, dialect);
    codeowners.owners_of(path)
}

#[test]
fn hmarr_pattern_table() {
    let Some(table) = data("github-patterns.hmarr.json") else {
        return;
    };
    let cases: Value = serde_json::from_str(&table).unwrap();
    let mut failures = Vec::new();
    for case in cases.as_array().unwrap() {
        let pattern = case["pattern"].as_str().unwrap();
        let text = format!("{pattern} @owner\n");
        for (path, want) in case["paths"].as_object().unwrap() {
            let owned = owners_of(&text, Dialect::Github, path).is_owned();
            if owned != want.as_bool().unwrap() {
                failures.push(format!("{pattern:?} on {path:?}: want {want}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn github_docs_example() {
    let (Some(text), Some(expected)) = (
        data("github-docs-example.CODEOWNERS"),
        data("github-docs-example.expected.json"),
    ) else {
        return;
    };
    let expected: Value = serde_json::from_str(&expected).unwrap();
    let (codeowners, problems) = CodeOwners::parse(&text, Dialect::Github);
    assert!(problems.is_empty(), "{problems:?}");
    for (path, want) in expected["cases"].as_object().unwrap() {
        let got = codeowners.owners_of(path);
        assert_eq!(
            serde_json::to_value(&got.owners).unwrap(),
            want["owners"],
            "{path}"
        );
        let line = got.sections.first().map(|s| s.line as u64);
        assert_eq!(line, want["line"].as_u64(), "{path}");
    }
    let variant = &expected["variant_empty_owner"];
    let content = variant["content"].as_str().unwrap();
    for (path, want) in variant["cases"].as_object().unwrap() {
        let got = owners_of(content, Dialect::Github, path).owners;
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            want["owners"],
            "{path}"
        );
    }
}

#[test]
fn gitlab_documented_examples() {
    let Some(cases) = data("gitlab-sections.cases.json") else {
        return;
    };
    let cases: Value = serde_json::from_str(&cases).unwrap();
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let content = case["content"].as_str().unwrap();
        let Some(expect) = case["expect"].as_object() else {
            continue;
        };
        for (path, want) in expect {
            let got = owners_of(content, Dialect::Gitlab, path);
            if want.is_array() {
                assert_eq!(
                    &serde_json::to_value(&got.owners).unwrap(),
                    want,
                    "{name}: {path}"
                );
                continue;
            }
            for (section, want) in want.as_object().unwrap() {
                match section.as_str() {
                    "note" => {}
                    "approvals_needed" => {
                        let needed: u32 = got
                            .sections
                            .iter()
                            .filter(|s| !s.optional)
                            .map(|s| s.approvals_required)
                            .sum();
                        assert_eq!(Some(u64::from(needed)), want.as_u64(), "{name}: {path}");
                    }
                    section => {
                        let owners = got
                            .sections
                            .iter()
                            .find(|s| {
                                s.name
                                    .as_deref()
                                    .unwrap_or("(default)")
                                    .eq_ignore_ascii_case(section)
                            })
                            .map(|s| s.owners.clone())
                            .unwrap_or_default();
                        assert_eq!(
                            &serde_json::to_value(&owners).unwrap(),
                            want,
                            "{name}: {path} [{section}]"
                        );
                    }
                }
            }
        }
    }
}
