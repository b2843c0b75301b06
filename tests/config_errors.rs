//! Every config and pack mistake gets a located, plain-language message.
//! Each test compares the whole rendered error (no colour, 60 columns).

mod common;

use common::Repo;

/// Runs `check` and returns its stderr, the project path shown as `ROOT`.
fn error_of(repo: &Repo) -> String {
    let out = repo
        .cmd()
        .args(["check", "--no-cache"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    let root = repo.path().canonicalize().unwrap();
    stderr.replace(&root.display().to_string(), "ROOT")
}

fn with_pack(pack: &str) -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/house.yml]\n");
    repo.write("rules/house.yml", pack);
    repo.write("a.md", "# Page\n");
    repo
}

fn with_config(config: &str) -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", config);
    repo.write("a.md", "# Page\n");
    repo
}

#[test]
fn a_bad_regex_in_when_is_located_at_its_column() {
    let repo = with_pack(
        "rules:\n  - id: legal/projections\n    kind: require\n    level: error\n    when: 'projected (returns?'\n    then: Past performance\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule `legal/projections`: invalid regex in `when`:
  │ unclosed group
   ╭─[ROOT/rules/house.yml:5:22]
 4 │     level: error
 5 │     when: 'projected (returns?'
   ·                      ┬
   ·                      ╰── here
 6 │     then: Past performance
   ╰────

"
    );
}

#[test]
fn a_bad_regex_in_then_counts_yaml_escapes() {
    let repo = with_pack(
        "rules:\n  - id: legal/projections\n    kind: require\n    level: error\n    when: projected\n    then: \"\\\\bPast [performance\"\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule `legal/projections`: invalid regex in `then`:
  │ unclosed character class
   ╭─[ROOT/rules/house.yml:6:20]
 5 │     when: projected
 6 │     then: \"\\\\bPast [performance\"
   ·                    ┬
   ·                    ╰── here
   ╰────

"
    );
}

#[test]
fn a_bad_regex_swap_key_is_located_at_the_key() {
    let repo = with_pack(
        "rules:\n  - id: brand/gh\n    kind: substitute\n    level: warning\n    regex: true\n    swap: {'Git(hub': GitHub}\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule `brand/gh`: invalid regex in `swap`: unclosed
  │ group
   ╭─[ROOT/rules/house.yml:6:16]
 5 │     regex: true
 6 │     swap: {'Git(hub': GitHub}
   ·                ┬
   ·                ╰── here
   ╰────

"
    );
}

#[test]
fn look_around_says_what_the_pack_syntax_allows() {
    let repo = with_pack(
        "rules:\n  - id: claims/x\n    kind: forbid\n    level: error\n    patterns: ['(?<!no )guarantee']\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule `claims/x`: invalid regex in `patterns`: look-
  │ around, including look-ahead and look-behind, is not
  │ supported (imprimatur packs use the regex crate's
  │ syntax: no look-around or backreferences)
   ╭─[ROOT/rules/house.yml:5:17]
 4 │     level: error
 5 │     patterns: ['(?<!no )guarantee']
   ·                 ┬
   ·                 ╰── here
   ╰────

"
    );
}

#[test]
fn a_missing_pack_is_located_at_its_rules_entry() {
    let repo =
        with_config("content: {include: ['**/*.md']}\nrules: [builtin:claims, rules/legal.yml]\n");
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule pack not found: rules/legal.yml
   ╭─[ROOT/imprimatur.yml:2:25]
 1 │ content: {include: ['**/*.md']}
 2 │ rules: [builtin:claims, rules/legal.yml]
   ·                         ───────┬───────
   ·                                ╰── this entry
   ╰────
  help: a pack is a YAML file, or a directory of them,
        named relative to the config's directory

"
    );
}

#[test]
fn an_unquoted_at_key_gets_a_hint() {
    let repo = with_config("people:\n  alice: {}\nteams:\n  @acme/docs: [alice]\n");
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × found character that cannot start any token, while
  │ scanning for the next token
   ╭─[ROOT/imprimatur.yml:4:3]
 3 │ teams:
 4 │   @acme/docs: [alice]
   ·   ┬
   ·   ╰── here
   ╰────
  help: quote keys that start with @, e.g. \"@acme/docs\":
        [alice]

"
    );
}

#[test]
fn a_tab_gets_a_hint() {
    let repo = with_config("content:\n\tinclude: ['**/*.md']\n");
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × found character that cannot start any token, while
  │ scanning for the next token
   ╭─[ROOT/imprimatur.yml:2:1]
 1 │ content:
 2 │     include: ['**/*.md']
   · ──┬─
   ·   ╰── here
   ╰────
  help: YAML does not allow tabs for indentation; indent
        with spaces

"
    );
}

#[test]
fn a_duplicate_key_is_reported_at_the_second_one() {
    let repo = with_config("rules: [builtin:claims]\ncontent: {}\nrules: [builtin:brand]\n");
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × duplicate key `rules`
   ╭─[ROOT/imprimatur.yml:3:1]
 2 │ content: {}
 3 │ rules: [builtin:brand]
   · ┬
   · ╰── here
   ╰────

"
    );
}

#[test]
fn a_number_of_the_wrong_kind_is_described_without_rust_types() {
    let repo = with_config(
        "approvals:\n  policies:\n    - name: legal\n      paths: ['legal/**']\n      from: [owners]\n      require: two\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × approvals.policies[0].require: found \"two\", expected a
  │ whole number, 0 or more
   ╭─[ROOT/imprimatur.yml:6:16]
 5 │       from: [owners]
 6 │       require: two
   ·                ┬
   ·                ╰── here
   ╰────

"
    );
}

#[test]
fn a_value_of_the_wrong_shape_in_when_is_located_at_when() {
    let repo = with_pack(
        "rules:\n  - id: legal/projections\n    kind: require\n    level: error\n    then: x\n    when: [projected]\n",
    );
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × rule `legal/projections`: rules[0]: expected a regex,
  │ or `front_matter:` with keys and values
   ╭─[ROOT/rules/house.yml:6:5]
 5 │     then: x
 6 │     when: [projected]
   ·     ──┬─
   ·       ╰── here
   ╰────

"
    );
}

#[test]
fn an_unknown_override_level_suggests_the_closest() {
    let repo =
        with_config("rules: [builtin:claims]\noverrides:\n  - rules: {claims/guarantee: of}\n");
    assert_eq!(
        error_of(&repo),
        "imprimatur::invalid_file

  × overrides[0].rules.claims/guarantee: unknown value
  │ `of`, expected one of `off`, `info`, `warning`,
  │ `error`
   ╭─[ROOT/imprimatur.yml:3:31]
 2 │ overrides:
 3 │   - rules: {claims/guarantee: of}
   ·                               ┬
   ·                               ╰── here
   ╰────
  help: did you mean `off`?

"
    );
}

#[test]
fn invalid_front_matter_does_not_cascade_into_missing_keys() {
    let repo = with_config("rules: []\nfront_matter: {required: [title, owner]}\n");
    repo.write(
        "a.md",
        "---\ntitle: Plans\ntags: [a, b\nowner: alice\n---\n# Plans\n",
    );
    let (code, json) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "imprimatur/invalid-front-matter");
    let message = findings[0]["message"].as_str().unwrap();
    assert!(!message.contains("at line"), "{message}");
    assert!(message.starts_with("invalid front matter: "), "{message}");
}
