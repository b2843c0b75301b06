//! Real Vale setups load unchanged: INI continuations, Vale's regex dialect,
//! rule-file shapes, synced packages, `[formats]` and MDX pages, and comment
//! controls reported as suppressions. Small hand-made projects, run through
//! the binary.

mod common;
use common::*;

/// `check --format line` rows, the exit code and stderr. The user's own
/// Vale data directory is kept out (`XDG_DATA_HOME` points into the repo).
fn lines(repo: &Repo, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = repo
        .cmd()
        .env("XDG_DATA_HOME", repo.path().join("no-data"))
        .env_remove("VALE_STYLES_PATH")
        .arg("check")
        .args(["--format", "line"])
        .args(args)
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

#[test]
fn continuation_lines_dialect_patterns_and_swap_lists_load() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Test\nTokenIgnores = (\\*\\*[^\\n]+\\*\\*), \\\n  ({{<[^\\n]+?>}})\n",
    );
    repo.write(
        "styles/Test/Dash.yml",
        // A `-` after `\w` is a literal in Vale's regex dialect; `\055` is octal.
        "extends: existence\nmessage: \"'%s' has a dash\"\nnonword: true\ntokens: ['\\b\\w+[\\w-_]*\\055\\w+']\n",
    );
    repo.write(
        "styles/Test/Swap.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nIgnoreCase: true\nswap:\n  - utilize: use\n  - leverage: use\n",
    );
    repo.write(
        "a.md",
        "We utilize a well-known tool.\n\n**an ignored-token** and {{< ref x-y >}} here.\n\nLeverage it.\n",
    );
    let (code, rows, stderr) = lines(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        rows,
        vec![
            "a.md:1:4:Test.Swap:Use 'use' instead of 'utilize'.",
            "a.md:1:14:Test.Dash:'well-known' has a dash",
            "a.md:5:1:Test.Swap:Use 'use' instead of 'Leverage'.",
        ],
        "{stderr}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn synced_packages_are_used_and_missing_ones_named() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nPackages = Google, https://example.com/Hugo.zip, vendor/Missing\n\n[*.md]\nBasedOnStyles = Google\n",
    );
    repo.write(
        "styles/Google/We.yml",
        "extends: existence\nmessage: \"Avoid '%s'\"\ntokens: [we]\nignorecase: true\n",
    );
    // What `vale sync` leaves for a config-only package: its .vale.ini in
    // the pipeline, read before the project's config.
    repo.write(
        "styles/.vale-config/1-Hugo.ini",
        "[*.md]\nTokenIgnores = ({{<[^\\n]+?>}})\n",
    );
    repo.write("a.md", "We ship. {{< we >}}\n");
    let (code, rows, stderr) = lines(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(rows, vec!["a.md:1:1:Google.We:Avoid 'We'"], "{stderr}");
    assert!(
        stderr.contains("package `Missing`") && stderr.contains("vale sync"),
        "{stderr}"
    );
    assert!(!stderr.contains("package `Hugo`"), "{stderr}");
    assert!(!stderr.contains("package `Google`"), "{stderr}");

    // A style that only a package would bring is a load error naming `vale sync`.
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nPackages = Microsoft\n\n[*.md]\nBasedOnStyles = Microsoft\n",
    );
    let (code, _, stderr) = lines(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("run `vale sync`"), "{stderr}");
}

#[test]
fn vale_2_vocabulary_layout_names_the_vale_3_location() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nVocab = Docs\n\n[*.md]\nBasedOnStyles = Vale\n",
    );
    repo.write("styles/Vocab/Docs/accept.txt", "Kubernetes\n");
    repo.write("a.md", "text\n");
    let (code, _, stderr) = lines(&repo, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("Vale 2") && stderr.contains("config/vocabularies/"),
        "{stderr}"
    );
}

#[test]
fn mdx_pages_are_linted_without_jsx_and_formats_add_extensions() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[formats]\nmdoc = md\n\n[*.{md,mdx,mdoc}]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Todo.yml",
        "extends: existence\nmessage: \"'%s' left in\"\nlevel: error\ntokens: [TODO]\n",
    );
    repo.write(
        "page.mdx",
        "import Tip from './tip'\nexport const meta = { note: 'TODO' }\n\n# Page\n\n{/* TODO: hidden */}\n\nVisible TODO <Tip title=\"TODO\">inner TODO</Tip> {props.TODO}.\n\n{/* vale off */}\n\nSilenced TODO.\n",
    );
    repo.write("other.mdoc", "Another TODO.\n");
    let (code, rows, stderr) = lines(&repo, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        rows,
        vec![
            "other.mdoc:1:9:Test.Todo:'TODO' left in",
            "page.mdx:8:9:Test.Todo:'TODO' left in",
            "page.mdx:8:38:Test.Todo:'TODO' left in",
        ],
        "{stderr}"
    );
}

#[test]
fn comment_controls_are_reported_as_suppressions() {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [\"vale:styles/Test\"]\nsuppressions: {require_reason: true}\n",
    );
    repo.write(
        "styles/Test/Todo.yml",
        "extends: existence\nmessage: \"'%s' left in\"\nlevel: error\ntokens: [TODO]\n",
    );
    repo.write(
        "a.md",
        "<!-- reason: quoting the old page -->\n<!-- vale off -->\n\nOld TODO.\n\n<!-- vale on -->\n\n<!-- vale Test.Todo = NO -->\n\nAnother TODO.\n",
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let suppressed = json["suppressed"].as_array().unwrap();
    assert_eq!(suppressed.len(), 2, "{json}");
    assert_eq!(suppressed[0]["rule"], "Test.Todo");
    assert_eq!(suppressed[0]["reason"], "quoting the old page");
    assert_eq!(suppressed[0]["comment_line"], 2);
    assert_eq!(suppressed[1]["reason"], serde_json::Value::Null);
    assert_eq!(suppressed[1]["comment_line"], 8);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json}");
    assert_eq!(findings[0]["rule"], "imprimatur/suppression");
    assert_eq!(findings[0]["line"], 8, "{json}");
}

#[test]
fn block_end_tags_in_inline_html_end_the_block() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Spacing.yml",
        "extends: existence\nmessage: \"'%s' should have one space.\"\nnonword: true\ntokens: ['[a-z][.?!][A-Z]']\n",
    );
    repo.write(
        "a.md",
        "| A | B |\n|---|---|\n| x | <p>First one.</p><p>Second one.</p> |\n| y | one.<em>Two</em> |\n\nJoined.Here and <span>in.</span>Line\n",
    );
    let (code, rows, stderr) = lines(&repo, &[]);
    assert_eq!(code, 0, "{stderr}");
    // `</p>` ends Vale's block; `</em>` and `</span>` are inline and do
    // not. Vale's `clean` also puts a space before the text after an inline
    // tag ("one. Two"), and "one.Two" is nowhere in the source for Vale to
    // find, so neither match across inline markup is reported.
    assert_eq!(
        rows,
        vec!["a.md:6:6:Test.Spacing:'d.H' should have one space."],
        "{stderr}"
    );
}

#[test]
fn link_text_equal_to_its_destination_is_not_prose() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Test\n",
    );
    repo.write(
        "styles/Test/Md.yml",
        "extends: existence\nmessage: \"'%s' found\"\nnonword: true\ntokens: ['\\w+\\.md']\n",
    );
    repo.write(
        "a.md",
        "See [setup.md](setup.md) and [the setup.md page](setup.md).\n",
    );
    let (_, rows, stderr) = lines(&repo, &[]);
    assert_eq!(rows, vec!["a.md:1:35:Test.Md:'setup.md' found"], "{stderr}");
}
