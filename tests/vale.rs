//! Vale compatibility over real repositories: a `.vale.ini` with styles on
//! disk, and `vale:` entries in `imprimatur.yml`, run through the binary.

mod common;
use common::*;

/// A repository with `.vale.ini` and the given `styles/Style/Rule.yml` files.
fn vale_repo(ini: &str, rules: &[(&str, &str)]) -> Repo {
    let repo = Repo::new();
    repo.write(".vale.ini", ini);
    for (path, yaml) in rules {
        repo.write(&format!("styles/{path}"), yaml);
    }
    repo
}

/// `check --format line` rows (stdout) and the exit code.
fn lines(repo: &Repo, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = repo
        .cmd()
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

const INI: &str =
    "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Test\n";

#[test]
fn existence_with_exceptions_and_ignorecase() {
    let repo = vale_repo(
        INI,
        &[(
            "Test/Weasel.yml",
            "extends: existence\nmessage: \"'%s' is a weasel word\"\nlevel: warning\nignorecase: true\ntokens: [very, 'really \\w+']\nexceptions: [really good]\n",
        )],
    );
    repo.write(
        "a.md",
        "# Title\n\nIt is Very fast and really good, really nice.\n",
    );
    let (code, rows, _) = lines(&repo, &[]);
    assert_eq!(code, 0, "warnings do not fail the run");
    assert_eq!(
        rows,
        vec![
            "a.md:3:7:Test.Weasel:'Very' is a weasel word",
            "a.md:3:34:Test.Weasel:'really nice' is a weasel word",
        ]
    );
}

#[test]
fn substitution_message_levels_and_fix() {
    let repo = vale_repo(
        INI,
        &[(
            "Test/Terms.yml",
            "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: error\nignorecase: false\naction:\n  name: replace\nswap:\n  Javascript: JavaScript\n  e-?mail: email\n",
        )],
    );
    repo.write("a.md", "Javascript and e-mail, but not `Javascript`.\r\n");
    let (code, rows, _) = lines(&repo, &[]);
    assert_eq!(code, 1, "an error-level alert fails the run");
    assert_eq!(
        rows,
        vec![
            "a.md:1:1:Test.Terms:Use 'JavaScript' instead of 'Javascript'.",
            "a.md:1:16:Test.Terms:Use 'email' instead of 'e-mail'.",
        ]
    );
    let (code, _, _) = lines(&repo, &["--fix"]);
    assert_eq!(code, 0, "nothing remains after the fixes");
    assert_eq!(
        repo.read("a.md"),
        "JavaScript and email, but not `Javascript`.\r\n"
    );
}

#[test]
fn occurrence_repetition_conditional_capitalization_consistency() {
    let repo = vale_repo(
        INI,
        &[
            (
                "Test/Short.yml",
                "extends: occurrence\nmessage: 'Headings stay under %d characters? This one has more.'\nscope: heading\nmax: 20\ntoken: .\n",
            ),
            (
                "Test/Twice.yml",
                "extends: repetition\nmessage: \"'%s' is repeated\"\nignorecase: true\nalpha: true\ntokens: ['[^\\s]+']\n",
            ),
            (
                "Test/Acronyms.yml",
                "extends: conditional\nmessage: \"'%s' has no definition\"\nfirst: '\\b([A-Z]{3,5})\\b'\nsecond: '(?:\\b[A-Z][a-z]+ )+\\(([A-Z]{3,5})\\)'\n",
            ),
            (
                "Test/Title.yml",
                "extends: capitalization\nmessage: \"'%s' should be in title case\"\nscope: heading.h2\nmatch: $title\n",
            ),
            (
                "Test/Spelling.yml",
                "extends: consistency\nmessage: \"Inconsistent spelling of '%s'\"\nignorecase: true\neither:\n  color: colour\n",
            ),
        ],
    );
    repo.write(
        "a.md",
        "# A heading that is far too long\n\n## a quiet title\n\nThe the World Health Organization (WHO) and the WHO and NASA.\n\nA color here and a colour there.\n",
    );
    let (_, rows, _) = lines(&repo, &[]);
    assert_eq!(
        rows,
        vec![
            "a.md:1:3:Test.Short:Headings stay under %!d(MISSING) characters? This one has more."
                .replace("%!d(MISSING)", "30"),
            "a.md:3:4:Test.Title:'a quiet title' should be in title case".into(),
            "a.md:5:1:Test.Twice:'the' is repeated".into(),
            "a.md:5:57:Test.Acronyms:'NASA' has no definition".into(),
            "a.md:7:20:Test.Spelling:Inconsistent spelling of 'colour'".into(),
        ]
    );
}

#[test]
fn scopes_select_blocks() {
    let repo = vale_repo(
        INI,
        &[
            (
                "Test/InList.yml",
                "extends: existence\nmessage: \"'%s' in a list\"\nscope: list\ntokens: [TODO]\n",
            ),
            (
                "Test/NotHeading.yml",
                "extends: existence\nmessage: \"'%s' outside headings and quotes\"\nscope: ['~heading & ~blockquote']\ntokens: [XXX]\n",
            ),
            (
                "Test/Title.yml",
                "extends: existence\nmessage: \"'%s' in the title\"\nscope: text.frontmatter.title\ntokens: [Draft]\n",
            ),
            (
                "Test/Raw.yml",
                "extends: existence\nmessage: 'Raw %s'\nscope: raw\nnonword: true\ntokens: ['\\*\\*TODO\\*\\*']\n",
            ),
            (
                "Test/Alt.yml",
                "extends: existence\nmessage: \"'%s' in alt text\"\nscope: alt\ntokens: [image]\n",
            ),
        ],
    );
    repo.write(
        "a.md",
        "---\ntitle: Draft notes\n---\n# TODO XXX\n\n- TODO item XXX\n\n> XXX quoted\n\n**TODO** and `XXX` and ![an image](i.png)\n",
    );
    let (_, rows, _) = lines(&repo, &[]);
    assert_eq!(
        rows,
        vec![
            "a.md:2:8:Test.Title:'Draft' in the title",
            "a.md:6:3:Test.InList:'TODO' in a list",
            "a.md:6:13:Test.NotHeading:'XXX' outside headings and quotes",
            "a.md:10:1:Test.Raw:Raw **TODO**",
            "a.md:10:29:Test.Alt:'image' in alt text",
        ]
    );
}

#[test]
fn comment_controls() {
    let repo = vale_repo(
        INI,
        &[
            (
                "Test/A.yml",
                "extends: existence\nmessage: \"A '%s'\"\ntokens: [TODO]\n",
            ),
            (
                "Test/B.yml",
                "extends: existence\nmessage: \"B '%s'\"\ntokens: [FIXME]\n",
            ),
        ],
    );
    repo.write(
        "a.md",
        "TODO FIXME\n\n<!-- vale off -->\n\nTODO FIXME\n\n<!-- vale on -->\n\n<!-- vale Test.A = NO -->\n\nTODO FIXME\n\n<!-- vale Test.A = YES -->\n<!-- vale Test = NO -->\n\nTODO FIXME\n\n<!-- vale Test = YES -->\n\nTODO FIXME\n",
    );
    let (_, rows, _) = lines(&repo, &[]);
    assert_eq!(
        rows,
        vec![
            "a.md:1:1:Test.A:A 'TODO'",
            "a.md:1:6:Test.B:B 'FIXME'",
            "a.md:11:6:Test.B:B 'FIXME'",
            "a.md:20:1:Test.A:A 'TODO'",
            "a.md:20:6:Test.B:B 'FIXME'",
        ]
    );
}

#[test]
fn vocabulary_accepts_and_rejects() {
    let repo = vale_repo(
        "StylesPath = styles\nVocab = Docs\n\n[*.md]\nBasedOnStyles = Vale, Test\nVale.Spelling = NO\n",
        &[
            (
                "Test/Weasel.yml",
                "extends: existence\nmessage: \"'%s'\"\nignorecase: true\ntokens: ['[a-z]+ly']\n",
            ),
            ("config/vocabularies/Docs/accept.txt", "friendly\nGitHub\n"),
            ("config/vocabularies/Docs/reject.txt", "Github Inc\n"),
        ],
    );
    repo.write(
        "a.md",
        "A friendly, quickly made page about github by Github Inc.\n",
    );
    let (_, rows, stderr) = lines(&repo, &[]);
    // An accepted word is an exception for other rules ("friendly") and
    // `Vale.Terms` holds every spelling to its accepted case; a rejected
    // phrase is `Vale.Avoid`.
    assert_eq!(
        rows,
        vec![
            "a.md:1:13:Test.Weasel:'quickly'",
            "a.md:1:37:Vale.Terms:Use 'GitHub' instead of 'github'.",
            "a.md:1:47:Vale.Avoid:Avoid using 'Github Inc'.",
            "a.md:1:47:Vale.Terms:Use 'GitHub' instead of 'Github'.",
        ]
    );
    assert!(
        !stderr.contains("Spelling"),
        "Vale.Spelling = NO silences its warning: {stderr}"
    );
}

#[test]
fn sections_switches_levels_and_min_level() {
    let repo = vale_repo(
        "StylesPath = styles\nMinAlertLevel = warning\n\n[*.md]\nBasedOnStyles = Test\nTest.Quiet = NO\n\n[docs/*.md]\nTest.Quiet = error\n",
        &[
            (
                "Test/Quiet.yml",
                "extends: existence\nmessage: Quiet\nlevel: suggestion\ntokens: [hush]\n",
            ),
            (
                "Test/Loud.yml",
                "extends: existence\nmessage: Loud\nlevel: suggestion\ntokens: [shout]\n",
            ),
        ],
    );
    repo.write("a.md", "hush shout\n");
    repo.write("docs/b.md", "hush shout\n");
    let (code, rows, _) = lines(&repo, &[]);
    assert_eq!(rows, vec!["docs/b.md:1:1:Test.Quiet:Quiet"]);
    assert_eq!(code, 1);
    let (_, rows, _) = lines(&repo, &["--min-level", "suggestion"]);
    assert_eq!(
        rows,
        vec![
            "a.md:1:6:Test.Loud:Loud",
            "docs/b.md:1:1:Test.Quiet:Quiet",
            "docs/b.md:1:6:Test.Loud:Loud",
        ]
    );
}

#[test]
fn unsupported_kinds_and_keys_are_warned_once() {
    let repo = vale_repo(
        INI,
        &[
            ("Test/Seq.yml", "extends: sequence\nmessage: x\n"),
            (
                "Test/Odd.yml",
                "extends: existence\nmessage: x\ntokens: [zzz]\nfrobnicate: true\n",
            ),
        ],
    );
    repo.write("a.md", "zzz\n");
    repo.write("b.md", "zzz\n");
    let (_, rows, stderr) = lines(&repo, &[]);
    assert_eq!(rows.len(), 2);
    assert_eq!(stderr.matches("Test.Seq").count(), 1, "{stderr}");
    assert!(stderr.contains("extends: sequence"), "{stderr}");
    assert_eq!(stderr.matches("frobnicate").count(), 1, "{stderr}");
}

#[test]
fn bad_regex_is_a_located_error() {
    let repo = vale_repo(
        INI,
        &[(
            "Test/Broken.yml",
            "extends: existence\nmessage: x\nnonword: true\ntokens:\n  - '(unclosed'\n",
        )],
    );
    repo.write("a.md", "text\n");
    let out = repo.cmd().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Test.Broken"), "{stderr}");
    assert!(stderr.contains("Broken.yml:4:1"), "{stderr}");
}

#[test]
fn vale_entries_in_imprimatur_yml() {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [\"vale:styles/House\", builtin:brand]\n",
    );
    repo.write(
        "styles/House/Avoid.yml",
        "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: error\ntokens: [simply]\n",
    );
    repo.write("a.md", "Simply use Github. Just simply.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["brand/github", "House.Avoid"]);
    let listed = repo.cmd().arg("rules").output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("House.Avoid"));
}

#[test]
fn imprimatur_suppressions_name_vale_rules_and_styles() {
    let repo = vale_repo(
        INI,
        &[(
            "Test/A.yml",
            "extends: existence\nmessage: \"A '%s'\"\ntokens: [TODO]\n",
        )],
    );
    repo.write(
        "a.md",
        "<!-- imprimatur-disable-next-line Test.A -- tracked in JIRA-1 -->\nTODO one\n\n<!-- imprimatur-disable-next-line Test -- whole style -->\nTODO two\n\nTODO three\n",
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0);
    let lines: Vec<u64> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![7]);
    assert_eq!(json["suppressed"].as_array().unwrap().len(), 2);
}

#[test]
fn gate_reads_vale_styles_from_the_merge_base() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [\"vale:styles/House\"]\n");
    repo.write(
        "styles/House/Avoid.yml",
        "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: error\ntokens: [simply]\n",
    );
    repo.write("a.md", "Fine.\n");
    let base = repo.commit_all("initial", "Ann", "ann@example.com");
    repo.git
        .branch("main", &repo.git.find_commit(base).unwrap(), true)
        .unwrap();
    // The change weakens the style and adds a violation: the base's style judges it.
    repo.write(
        "styles/House/Avoid.yml",
        "extends: existence\nmessage: \"Avoid '%s'\"\nlevel: suggestion\ntokens: [simply]\n",
    );
    repo.write("a.md", "Just simply fine.\n");
    repo.commit_all("change", "Ann", "ann@example.com");
    let out = repo
        .cmd()
        .args(["gate", "--base", "main", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "House.Avoid");
    assert_eq!(finding["level"], "error");
    // A change to the style's rules is a change to policy.
    let files = json["gate"]["files"].as_array().unwrap();
    assert!(
        files.iter().any(|f| f["path"] == "styles/House/Avoid.yml"),
        "{files:?}"
    );
}
