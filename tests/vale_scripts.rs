//! Real `extends: script` rules of public Vale styles, copied verbatim into
//! `tests/fixtures/vale-scripts/` (each source directory keeps its MIT
//! licence), run on their own test documents. The expected alerts are the
//! ones their projects' test suites expect from Vale (quoted per case), so
//! a difference is a difference from Vale.

use std::path::{Path, PathBuf};

use imprimatur::vale::script::{Script, STEP_BUDGET};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/vale-scripts")
        .join(path)
}

/// The inline `script:` of a rule file.
fn script_of(rule: &str) -> Script {
    let yaml = std::fs::read_to_string(fixture(rule)).unwrap();
    let map: yaml_serde::Value = yaml_serde::from_str(&yaml).unwrap();
    let src = map["script"].as_str().expect("an inline script");
    let (script, notes) = Script::compile(src).unwrap_or_else(|e| panic!("{rule}: {e:?}"));
    assert!(notes.is_empty(), "{rule}: {notes:?}");
    script
}

/// `line:col` of each match's start over the whole file (`scope: raw`).
fn alerts(rule: &str, doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(doc)).unwrap();
    script_of(rule)
        .run(&text, STEP_BUDGET)
        .unwrap_or_else(|e| panic!("{rule} on {doc}: {e}"))
        .into_iter()
        .map(|m| {
            let before = &text[..m.begin];
            let line = before.matches('\n').count() + 1;
            let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("{line}:{col}")
        })
        .collect()
}

/// The matched texts, for rules whose suites state the lines, not columns.
fn matched(rule: &str, doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(fixture(doc)).unwrap();
    script_of(rule)
        .run(&text, STEP_BUDGET)
        .unwrap()
        .into_iter()
        .map(|m| text[m.begin..m.end].to_string())
        .collect()
}

#[test]
fn asciidocdita_entity_reference_matches_its_bats_suite() {
    let rule = "asciidocdita/EntityReference.yml";
    // test/EntityReference.bats: the `ignore_*` files give no alert.
    for doc in [
        "ignore_code_blocks",
        "ignore_comments",
        "ignore_ignored_files",
        "ignore_numeric_references",
        "ignore_redirections",
        "ignore_supported_entities",
    ] {
        let doc = format!("asciidocdita/EntityReference_{doc}.adoc");
        assert_eq!(alerts(rule, &doc), Vec::<String>::new(), "{doc}");
    }
    assert_eq!(
        alerts(
            rule,
            "asciidocdita/EntityReference_report_entity_references.adoc"
        ),
        ["3:3", "4:3"]
    );
    assert_eq!(
        alerts(
            rule,
            "asciidocdita/EntityReference_report_multiple_references.adoc"
        ),
        ["3:3", "3:36", "3:94", "3:125"]
    );
    assert_eq!(
        alerts(rule, "asciidocdita/EntityReference_report_code_blocks.adoc"),
        ["6:22", "12:22", "18:22", "24:22", "30:22", "36:22", "42:22", "48:22"]
    );
}

#[test]
fn asciidocdita_line_break_matches_its_bats_suite() {
    let rule = "asciidocdita/LineBreak.yml";
    for doc in ["ignore_comments", "ignore_ignored_files"] {
        let doc = format!("asciidocdita/LineBreak_{doc}.adoc");
        assert_eq!(alerts(rule, &doc), Vec::<String>::new(), "{doc}");
    }
    // test/LineBreak.bats.
    assert_eq!(
        alerts(rule, "asciidocdita/LineBreak_report_line_break.adoc"),
        ["2:1", "6:1", "10:1", "16:1", "21:1", "26:1", "31:1", "36:1"]
    );
}

#[test]
fn red_hat_asciidoc_rules_flag_their_invalid_fixtures_only() {
    // vale-at-red-hat runs each rule on `testvalid.adoc` (no alert) and
    // `testinvalid.adoc` (an alert per `//vale-fixture` section); the
    // alerts below follow from the scripts' logic on those files.
    for rule in [
        "SequentialNumberedCallouts",
        "ValidConditions",
        "MatchingDotCallouts",
    ] {
        let yml = format!("red-hat/{rule}.yml");
        assert_eq!(
            matched(&yml, &format!("red-hat/{rule}_testvalid.adoc")),
            Vec::<String>::new(),
            "{rule}"
        );
    }
    assert_eq!(
        matched(
            "red-hat/SequentialNumberedCallouts.yml",
            "red-hat/SequentialNumberedCallouts_testinvalid.adoc"
        ),
        ["<5> Some text", "<3> Test"]
    );
    assert_eq!(
        matched(
            "red-hat/MatchingDotCallouts.yml",
            "red-hat/MatchingDotCallouts_testinvalid.adoc"
        ),
        ["<.> sixth callout", "<.> fourth callout, second block"]
    );
    // Every opening `if*::` line is left unmatched (no `endif`): eight.
    let open = matched(
        "red-hat/ValidConditions.yml",
        "red-hat/ValidConditions_testinvalid.adoc",
    );
    assert_eq!(open.len(), 8, "{open:?}");
    assert_eq!(open[0], "ifdef::env-github[]");
    assert_eq!(open[3], "ifeval::[2 > 1] ");
    assert_eq!(open[7], "ifeval::[derp]");
}

#[test]
fn vale_own_script_rules_match_its_feature_tests() {
    // testdata/features/styles.feature: Scripts.Test on
    // fixtures/styles/Scripts/test.md reports 17:1 and 27:1.
    assert_eq!(
        alerts("vale/Test.yml", "vale/styles-test.md"),
        ["17:1", "27:1"]
    );
    // testdata/features/checks.feature: Checks.ScriptRE on
    // fixtures/checks/Script/test.md reports 29:1 and 39:1.
    assert_eq!(
        alerts("vale/ScriptRE.yml", "vale/checks-test.md"),
        ["29:1", "39:1"]
    );
}

mod common;
use common::Repo;

/// `check --format line` rows, stderr and the exit code.
fn check_lines(repo: &Repo) -> (i32, Vec<String>, String) {
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    let rows = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    (
        out.status.code().unwrap(),
        rows,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn read(path: &str) -> String {
    std::fs::read_to_string(fixture(path)).unwrap()
}

#[test]
fn binary_runs_vales_script_check_fixture_as_vale_does() {
    // testdata/fixtures/checks/Script: an inline script (ScriptRE) and one
    // in StylesPath/config/scripts (CustomMsg, whose match carries its own
    // message); checks.feature expects exactly these three alerts.
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nChecks.ScriptRE = YES\nScripts.CustomMsg = YES\n",
    );
    repo.write("styles/Checks/ScriptRE.yml", read("vale/ScriptRE.yml"));
    repo.write("styles/Scripts/CustomMsg.yml", read("vale/CustomMsg.yml"));
    repo.write(
        "styles/config/scripts/NewSection.tengo",
        read("vale/NewSection.tengo"),
    );
    repo.write("test.md", read("vale/checks-test.md"));
    let (code, rows, stderr) = check_lines(&repo);
    assert!(!stderr.contains("warning"), "{stderr}");
    assert_eq!(
        rows,
        [
            "test.md:1:2:Scripts.CustomMsg:Some message",
            "test.md:29:1:Checks.ScriptRE:Consider inserting a new section heading at this point.",
            "test.md:39:1:Checks.ScriptRE:Consider inserting a new section heading at this point.",
        ]
    );
    assert_eq!(code, 0, "script rules default to warnings");
}

#[test]
fn binary_places_text_scope_matches_in_their_block_and_formats_the_message() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Quotes.yml",
        "extends: script\nmessage: \"Use straight quotes, not '%s'.\"\nlevel: error\nscope: paragraph\nscript: |\n  text := import(\"text\")\n  matches := []\n  for m in text.re_find(`[“”]`, scope, -1) {\n    matches = append(matches, {begin: m[0].begin, end: m[0].end})\n  }\n",
    );
    repo.write(
        "doc.md",
        "# Title\n\nPlain text here.\n\nShe said “yes” twice.\n",
    );
    let (code, rows, stderr) = check_lines(&repo);
    assert_eq!(
        rows,
        [
            "doc.md:5:10:Test.Quotes:Use straight quotes, not '“'.",
            "doc.md:5:14:Test.Quotes:Use straight quotes, not '”'.",
        ],
        "{stderr}"
    );
    assert_eq!(code, 1, "an error-level alert fails the check");
}

#[test]
fn binary_reports_an_unsupported_construct_as_a_located_load_warning() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Bad.yml",
        "extends: script\nmessage: \"x\"\nscope: raw\nscript: |\n  os := import(\"os\")\n  matches := []\n",
    );
    repo.write(
        "styles/Test/Typo.yml",
        "extends: script\nmessage: \"x\"\nscript: |\n  matches := []\n  for i := 0; i < 3; i++ {\n    matches = apend(matches, i)\n  }\n",
    );
    repo.write("doc.md", "# Title\n\nText.\n");
    let (code, rows, stderr) = check_lines(&repo);
    assert_eq!(code, 0, "{stderr}");
    assert!(rows.is_empty(), "{rows:?}");
    assert!(
        stderr.contains("styles/Test/Bad.yml:5:9: Vale rule `Test.Bad` (extends: script) does not run: module `os` is not available to Vale scripts"),
        "{stderr}"
    );
    assert!(
        stderr.contains("styles/Test/Typo.yml:6:15: Vale rule `Test.Typo` (extends: script) does not run: unresolved reference `apend`"),
        "{stderr}"
    );
}

#[test]
fn binary_turns_an_endless_loop_into_an_error_finding() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Spin.yml",
        "extends: script\nmessage: \"x\"\nlevel: suggestion\nscope: raw\nscript: |\n  n := 0\n  for {\n    n++\n  }\n",
    );
    repo.write("a.md", "# One\n\nText.\n");
    repo.write("b.md", "# Two\n\nMore text.\n");
    let (code, rows, stderr) = check_lines(&repo);
    assert_eq!(code, 1, "the failure is an error: {stderr}");
    assert_eq!(rows.len(), 2, "one per file: {rows:?}");
    assert!(
        rows[0].starts_with("a.md:1:1:Test.Spin:script stopped at ")
            && rows[0].contains("styles/Test/Spin.yml:7:3: the script ran past its budget"),
        "{rows:?}"
    );
}

#[test]
fn binary_names_a_missing_script_file() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Gone.yml",
        "extends: script\nmessage: \"x\"\nscript: Gone.tengo\n",
    );
    repo.write("doc.md", "# Title\n");
    let (code, _, stderr) = check_lines(&repo);
    assert_eq!(code, 2);
    assert!(stderr.contains("Gone.tengo not found"), "{stderr}");
    assert!(stderr.contains("Test.Gone"), "{stderr}");
}

#[test]
fn binary_runs_script_rules_of_a_vale_entry_and_sees_script_file_edits() {
    // A style named in imprimatur.yml (`vale:PATH`): its script file is
    // found under the StylesPath that holds the style, and editing the
    // script file alone changes the findings (the result cache notices).
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [vale:styles/Docs]\n");
    repo.write(
        "styles/Docs/Marker.yml",
        "extends: script\nmessage: \"Marker '%s'.\"\nlevel: warning\nscope: raw\nscript: Marker.tengo\n",
    );
    let script = |word: &str| {
        format!("text := import(\"text\")\nmatches := []\ni := text.index(scope, \"{word}\")\nif i >= 0 {{\n  matches = append(matches, {{begin: i, end: i + len(\"{word}\")}})\n}}\n")
    };
    repo.write("styles/config/scripts/Marker.tengo", script("TODO"));
    repo.write("doc.md", "# Title\n\nA TODO here and a FIXME there.\n");
    let (_, rows, stderr) = check_lines(&repo);
    assert_eq!(rows, ["doc.md:3:3:Docs.Marker:Marker 'TODO'."], "{stderr}");
    repo.write("styles/config/scripts/Marker.tengo", script("FIXME"));
    let (_, rows, stderr) = check_lines(&repo);
    assert_eq!(
        rows,
        ["doc.md:3:19:Docs.Marker:Marker 'FIXME'."],
        "{stderr}"
    );
}
