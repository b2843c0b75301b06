//! The real binary on real repositories: suppressions, require, front
//! matter, fixes, bad input, exit codes.

mod common;
use common::*;
use serde_json::json;

#[test]
fn suppressions_are_reported_and_reasons_required() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write(
        "page.md",
        "<!-- imprimatur-disable-next-line claims/guarantee -- quoted from the SLA -->\nIt is guaranteed.\n\n<!-- imprimatur-disable-next-line claims -->\nRisk-free too.\n\n<!-- imprimatur-disable brand -- legal quote -->\nGithub Github\n<!-- imprimatur-enable brand -->\n\nGithub after.\n\n<!-- imprimatur-disable-next-line nosuch/rule -- typo -->\nfine\n",
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![
            (
                4,
                1,
                4,
                45,
                s("imprimatur/suppression"),
                s("<!-- imprimatur-disable-next-line claims -->")
            ),
            (11, 1, 11, 7, s("brand/github"), s("Github")),
            (
                13,
                1,
                13,
                58,
                s("imprimatur/suppression"),
                s("<!-- imprimatur-disable-next-line nosuch/rule -- typo -->")
            ),
        ]
    );
    let suppressed: Vec<_> = json["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        vec![
            (2, s("claims/guarantee"), json!("quoted from the SLA")),
            (5, s("claims/guarantee"), json!(null)),
            (8, s("brand/github"), json!("legal quote")),
            (8, s("brand/github"), json!("legal quote")),
        ]
    );
    assert_eq!(json["findings"][0]["level"], "error");
    assert_eq!(json["findings"][2]["level"], "warning");
}

const REQUIRE_AND_FRONT_MATTER: &str = r#"rules:
  - id: legal/projections
    kind: require
    level: error
    when: 'projected returns?'
    then: 'Past performance is no guarantee'
    message: "Pages with projections need the standard disclaimer."
  - id: meta/fields
    kind: front-matter
    level: error
    required: [title, owner]
    values: {status: [draft, published]}
    types: {reviewed: date, owner: team}
"#;

#[test]
fn require_points_at_first_when_and_front_matter_at_keys() {
    let repo = repo_with_pack(REQUIRE_AND_FRONT_MATTER);
    repo.write(
        "imprimatur.yml",
        "rules: [rules/test.yml]\npeople: {al: {}}\nteams: {\"@acme/docs\": [al]}\n",
    );
    repo.write(
        "a.md",
        "---\ntitle: Returns\nstatus: live\nreviewed: 2024-02-30\nowner: \"@acme/nobody\"\n---\nOur projected returns are high. More projected return.\n",
    );
    repo.write("b.md", "---\ntitle: Ok\nowner: \"@acme/docs\"\n---\nProjected returns. *Past performance is no guarantee* of future results.\n");
    repo.write("c.md", "No front matter at all.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![
            (3, 9, 3, 13, s("meta/fields"), s("live")),
            (4, 11, 4, 21, s("meta/fields"), s("2024-02-30")),
            (5, 9, 5, 21, s("meta/fields"), s("@acme/nobody")),
            (7, 5, 7, 22, s("legal/projections"), s("projected returns")),
            (1, 1, 1, 1, s("meta/fields"), s("")),
        ]
    );
    assert_eq!(json["findings"][4]["path"], "c.md");
    assert_eq!(
        json["summary"],
        json!({"files": 3, "error": 5, "warning": 0, "info": 0})
    );
}

#[test]
fn missing_front_matter_key_is_at_line_one() {
    let repo = repo_with_pack(REQUIRE_AND_FRONT_MATTER);
    repo.write("a.md", "---\ntitle: T\n---\nBody\n");
    let (_, json) = repo.check_json(&[]);
    assert_eq!(spans(&json), vec![(1, 1, 1, 1, s("meta/fields"), s(""))]);
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("owner"));
}

#[test]
fn fix_changes_exactly_the_fixable_spans_and_keeps_crlf() {
    let repo = repo_with_pack(TEST_PACK);
    let original = "---\r\ntitle: Github page\r\n---\r\nUse Github and `Github` and **Git**hub.\r\n\r\nJavascript &amp; Github\r\n";
    repo.write("page.md", original);
    let out = repo
        .cmd()
        .args(["check", "--fix", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "what remains is a warning");
    assert_eq!(
        repo.read("page.md"),
        "---\r\ntitle: GitHub page\r\n---\r\nUse GitHub and `Github` and **Git**hub.\r\n\r\nJavaScript &amp; GitHub\r\n"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        spans(&json),
        vec![(4, 31, 4, 39, s("brand/github"), s("Github"))]
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_permissions_and_bom() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo_with_pack(TEST_PACK);
    let path = repo.write("page.md", "\u{feff}Github\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    repo.cmd().args(["check", "--fix"]).assert().success();
    assert_eq!(repo.read("page.md"), "\u{feff}GitHub\n");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn fail_and_min_levels() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("page.md", "Github only.\n");
    repo.cmd().args(["check"]).assert().code(0);
    repo.cmd()
        .args(["check", "--fail-level", "warning"])
        .assert()
        .code(1);
    let (code, json) = repo.check_json(&["--min-level", "error"]);
    assert_eq!((code, json["findings"].as_array().unwrap().len()), (0, 0));
}

#[test]
fn unreadable_files_are_findings_and_the_run_goes_on() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("bad.md", b"ok line\nbad \xff byte\n".as_slice());
    repo.write("bin.md", b"\x89PNG\r\n\x1a\n\0\0\0".as_slice());
    repo.write("empty.md", "");
    repo.write("bom.md", "\u{feff}");
    repo.write("good.md", "guaranteed\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![
            (2, 5, 2, 5, s("imprimatur/unreadable"), s("")),
            (3, 1, 3, 1, s("imprimatur/unreadable"), s("")),
            (1, 1, 1, 11, s("claims/guarantee"), s("guaranteed"))
        ]
    );
    assert_eq!(json["summary"]["files"], 5);
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert!(json["findings"][1]["message"]
        .as_str()
        .unwrap()
        .contains("binary"));
}

#[test]
fn malformed_config_exits_2_with_location() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "content:\n  incldue: [\"*.md\"]\n");
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("imprimatur.yml:2:3"), "{err}");
    assert!(err.contains("did you mean `include`?"), "{err}");

    repo.write("imprimatur.yml", "rules: [\n");
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("imprimatur.yml:"));

    repo.write("imprimatur.yml", "teams: {\"@x/y\": [ghost]}\n");
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ghost"));
}

#[test]
fn malformed_packs_exit_2_naming_file_line_and_rule() {
    let cases: &[(&str, &str)] = &[
        ("rules:\n  - id: a/b\n    kind: forbid\n    level: error\n    patterns: ['(unclosed']\n", "test.yml:5:17"),
        ("rules:\n  - id: a/b\n    kind: forbd\n    level: error\n", "did you mean `forbid`?"),
        ("rules:\n  - kind: forbid\n    level: error\n    terms: [x]\n", "missing key `id`"),
        ("rules:\n  - id: a/b\n    kind: forbid\n    level: error\n    terms: [x]\n  - id: a/b\n    kind: forbid\n    level: error\n    terms: [y]\n", "test.yml:6:9"),
        ("rules:\n  - id: a/b\n    kind: forbid\n    level: error\n    swap: {a: b}\n", "`swap` does not apply to kind `forbid`"),
        ("rules:\n  - id: a/b\n    kind: forbid\n    level: error\n    terms: [x]\n   bad indent: [\n", "test.yml:"),
    ];
    for (pack, expected) in cases {
        let repo = repo_with_pack(pack);
        repo.write("a.md", "text\n");
        let out = repo.cmd().arg("check").output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{pack}: {err}");
        assert!(
            err.contains(expected),
            "{pack}: expected {expected:?} in {err}"
        );
    }
}

#[test]
fn missing_path_argument_exits_2() {
    let repo = repo_with_pack(TEST_PACK);
    let out = repo.cmd().args(["check", "nope.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("path not found: nope.md"));
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "guaranteed\n").unwrap();
    let repo = repo_with_pack(TEST_PACK);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        repo.path().join("link.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("linkdir")).unwrap();
    let (code, json) = repo.check_json(&[]);
    assert_eq!(
        (code, json["summary"]["files"].as_u64()),
        (0, Some(0)),
        "walk skips links: {json}"
    );
    let (code, json) = repo.check_json(&["link.md"]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![(1, 1, 1, 1, s("imprimatur/unreadable"), s(""))]
    );
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("outside"));
}

#[test]
fn huge_and_deeply_nested_files_finish() {
    let repo = repo_with_pack(TEST_PACK);
    let line = "Plain words that match nothing at all in this rule set, repeated.\n";
    let big: String = line.repeat(30 * 1024 * 1024 / line.len()) + "guaranteed\n";
    repo.write("big.md", &big);
    repo.write("deep.md", ">".repeat(20_000) + " guaranteed\n");
    repo.write(
        "list.md",
        (0..2_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>(),
    );
    repo.write(
        "brackets.md",
        "[".repeat(50_000) + "guaranteed" + &"]".repeat(50_000),
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let rules: Vec<_> = spans(&json).into_iter().map(|s| s.4).collect();
    assert_eq!(rules, vec!["claims/guarantee"; 3]);
}

#[test]
fn no_config_uses_the_builtin_packs() {
    let repo = Repo::new();
    repo.write("docs/a.md", "Our Github integration is guaranteed.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let rules: Vec<_> = spans(&json).into_iter().map(|s| s.4).collect();
    assert_eq!(rules, vec!["brand/github", "claims/guarantee"]);
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let repo = repo_with_pack(TEST_PACK);
    repo.write("page.md", "guaranteed Github\n".repeat(50_000));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("imprimatur"))
        .args(["check", "--format", "line"])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .as_mut()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101), "no panic exit");
}

#[test]
fn output_is_identical_with_one_and_two_threads() {
    let repo = repo_with_pack(TEST_PACK);
    for i in 0..40 {
        repo.write(
            &format!("d{}/p{i}.md", i % 5),
            format!("Page {i} is guaranteed on Github.\n"),
        );
    }
    let run = |threads: &str| {
        repo.cmd()
            // No cache: each run must really check every file.
            .args(["check", "--format", "json", "--no-cache", "-j", threads])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run("1"), run("2"));
    let json: serde_json::Value = serde_json::from_slice(&run("2")).unwrap();
    assert_eq!(json["summary"]["files"], 40);
}

#[test]
fn shards_partition_the_files() {
    let repo = repo_with_pack(TEST_PACK);
    for i in 0..30 {
        repo.write(&format!("p{i}.md"), "guaranteed\n");
    }
    let mut paths = Vec::new();
    for k in 1..=3 {
        let (_, json) = repo.check_json(&["--no-cache", "--shard", &format!("{k}/3")]);
        paths.extend(
            json["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["path"].as_str().unwrap().to_string()),
        );
    }
    paths.sort();
    let (_, all) = repo.check_json(&["--no-cache"]);
    let mut expected: Vec<String> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    expected.sort();
    assert_eq!(paths, expected);
    repo.cmd()
        .args(["check", "--shard", "4/3"])
        .assert()
        .code(2);
}

#[test]
fn init_writes_config_and_never_overwrites() {
    let repo = Repo::new();
    repo.cmd().arg("init").assert().success();
    assert!(repo.read("imprimatur.yml").contains("rules:"));
    assert!(repo.read("rules/example.yml").contains("example/codename"));
    repo.write("page.md", "Project Falcon ships.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1, "the written config loads and runs: {json}");
    let before = repo.read("imprimatur.yml");
    repo.cmd().arg("init").assert().code(2);
    assert_eq!(repo.read("imprimatur.yml"), before);
}

#[test]
fn rules_lists_and_explains() {
    let repo = repo_with_pack(TEST_PACK);
    let out = repo.cmd().arg("rules").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("claims/guarantee") && text.contains("3 rules loaded"),
        "{text}"
    );
    let out = repo
        .cmd()
        .args(["rules", "--explain", "brand/github"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("substitute"));
    let out = repo
        .cmd()
        .args(["rules", "--explain", "brand/githb"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `brand/github`?"));
}
