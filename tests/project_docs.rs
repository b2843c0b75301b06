//! This repository's own documentation is governed by imprimatur: the root
//! `imprimatur.yml` checks the README, docs/, CHANGELOG.md, ARCHITECTURE.md
//! and the editor READMEs with the built-in packs and `.imprimatur/docs.yml`
//! (links, anchors and references resolve). A broken link or a banned claim
//! in the docs fails here, as it fails `.ci/run`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn imprimatur() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("imprimatur"));
    cmd.current_dir(root()).env("NO_COLOR", "1");
    cmd
}

/// `check --format json` of `text` read from standard input as the page `path`.
fn check_as(path: &str, text: &str) -> (i32, Value) {
    let mut child = imprimatur()
        .args([
            "check",
            "--no-cache",
            "--format",
            "json",
            "--stdin-filename",
            path,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), json)
}

fn rules_of(json: &Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["path"], f["rule"]))
        .collect()
}

#[test]
fn the_projects_own_docs_have_no_findings() {
    let out = imprimatur()
        .args(["check", "--no-cache", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {} {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    assert_eq!(out.status.code(), Some(0));

    // The content set is the docs: the README and every page of docs/.
    let pages = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert!(pages >= 15, "{pages}");
    let files = json["summary"]["files"].as_u64().unwrap() as usize;
    assert!(
        files >= pages + 3,
        "{files} files checked, {pages} docs pages"
    );

    // Every deliberate suppression says why.
    for s in json["suppressed"].as_array().unwrap() {
        assert!(s["reason"].as_str().is_some_and(|r| !r.is_empty()), "{s}");
    }
}

/// The config is not vacuous: a page with a dead link, a dead anchor, a
/// claim and a misspelt brand is caught.
#[test]
fn a_broken_link_or_a_claim_in_the_docs_is_a_finding() {
    let (code, json) = check_as(
        "docs/new-page.md",
        "# New\n\nSee [the gate](gate.md#no-such-section), [gone](gone.md) and [here](#new).\n\nOur Github service is guaranteed.\n",
    );
    assert_eq!(code, 1, "{json}");
    let rules = rules_of(&json);
    assert_eq!(
        rules,
        [
            "\"docs/new-page.md\":\"docs/links\"",
            "\"docs/new-page.md\":\"docs/links\"",
            "\"docs/new-page.md\":\"brand/github\"",
            "\"docs/new-page.md\":\"claims/guarantee\"",
        ],
        "{json}"
    );
}

/// The docs links imprimatur prints for its own rules (`rules --explain
/// imprimatur/…`, SARIF) resolve to a page and a heading of this repository.
#[test]
fn the_builtin_rules_docs_links_resolve() {
    let links: String = imprimatur::builtin_rules::BUILTIN_RULES
        .iter()
        .map(|r| {
            assert!(r.docs.starts_with("docs/"), "{}: {}", r.id, r.docs);
            format!("- [{}]({})\n", r.id, r.docs)
        })
        .collect();
    // Checked as a page at the project root, so the paths resolve as written.
    let (code, json) = check_as("README.md", &format!("# Links\n\n{links}"));
    assert_eq!(rules_of(&json), Vec::<String>::new(), "{links}");
    assert_eq!(code, 0);
    // And the same check does see a wrong anchor.
    let (code, json) = check_as("README.md", "# Links\n\n- [x](docs/gate.md#approval)\n");
    assert_eq!(code, 1, "{json}");
    assert_eq!(rules_of(&json), ["\"README.md\":\"docs/links\""]);
}
