//! Real `extends: script` rules of public Vale styles, copied verbatim into
//! `tests/fixtures/vale-scripts/` (each source directory keeps its MIT
//! licence), run on their own test documents. The expected alerts are the
//! ones their projects' test suites expect from Vale (quoted per case), so
//! a difference is a difference from Vale.

use std::path::{Path, PathBuf};

use imprimatur::vale::script::{Script, STEP_BUDGET};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vale-scripts").join(path)
}

/// The inline `script:` of a rule file.
fn script_of(rule: &str) -> Script {
    let yaml = std::fs::read_to_string(fixture(rule)).unwrap();
    let map: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
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
        alerts(rule, "asciidocdita/EntityReference_report_entity_references.adoc"),
        ["3:3", "4:3"]
    );
    assert_eq!(
        alerts(rule, "asciidocdita/EntityReference_report_multiple_references.adoc"),
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
    for rule in ["SequentialNumberedCallouts", "ValidConditions", "MatchingDotCallouts"] {
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
    assert_eq!(alerts("vale/Test.yml", "vale/styles-test.md"), ["17:1", "27:1"]);
    // testdata/features/checks.feature: Checks.ScriptRE on
    // fixtures/checks/Script/test.md reports 29:1 and 39:1.
    assert_eq!(alerts("vale/ScriptRE.yml", "vale/checks-test.md"), ["29:1", "39:1"]);
}
