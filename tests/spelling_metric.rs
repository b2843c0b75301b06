//! The `spelling` and `metric` kinds, in imprimatur packs and in Vale
//! styles, through the real binary on real files.

mod common;

use common::Repo;
use serde_json::Value;

fn rules_of(json: &Value) -> Vec<(String, String, u64, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["found"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

const SPELLING_PACK: &str = r#"rules:
  - id: docs/spelling
    kind: spelling
    level: warning
    accept: [Kubernetes, 'k8s-?\w*', "mea culpa"]
    accept_files: [accept.txt]
"#;

const CONFIG: &str = r#"rules: [rules/]
people:
  zbigniew: {name: Zbigniew Qwertyuiop, emails: [z@acme.example], handles: [zbq]}
teams:
  "@acme/frobnicators": [zbigniew]
"#;

fn spelling_repo(page: &str) -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", CONFIG);
    repo.write("rules/spelling.yml", SPELLING_PACK);
    repo.write("accept.txt", "# product names\nFlooberg\n\n");
    repo.write("docs/page.md", page);
    repo
}

#[test]
fn misspellings_are_found_in_prose_with_suggestions_and_no_fix() {
    let repo = spelling_repo("# Intro\n\nWe recieve mail and it is well-knwon.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0, "warnings do not fail: {json}");
    let found = rules_of(&json);
    assert_eq!(
        found,
        [
            ("docs/spelling".into(), "recieve".into(), 3, 4),
            ("docs/spelling".into(), "knwon".into(), 3, 32),
        ]
    );
    let first = &json["findings"][0];
    assert_eq!(first["fix"], Value::Null);
    let suggestions: Vec<&str> = first["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(!suggestions.is_empty() && suggestions.len() <= 3);
    assert_eq!(suggestions[0], "receive");
    assert!(
        first["message"].as_str().unwrap().contains("'receive'"),
        "{first}"
    );
}

#[test]
fn words_joined_by_dashes_are_checked_part_by_part() {
    // En and em dashes written without spaces join two words, as hyphens do.
    let repo = spelling_repo("Features\u{2014}namely speed. Pages 1\u{2013}3 load\u{2014}knwon.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(
        rules_of(&json),
        [("docs/spelling".into(), "knwon".into(), 1, 39)],
        "{json}"
    );
}

#[test]
fn code_urls_emails_paths_handles_names_and_accepted_words_are_not_checked() {
    let page = "Run `cargoo buildd` and see https://exmple.invalid/pagge or mail \
                zz@exmple.invalid or open src/mian.rs; ask @zbq, Zbigniew Qwertyuiop \
                or the frobnicators team. Kubernetes and k8s-operatorz run Flooberg \
                with mea culpa. APIZ and GitHubb are names.\n\n```\nnott prose\n```\n";
    let repo = spelling_repo(page);
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(rules_of(&json), [], "{json}");
}

#[test]
fn fix_never_applies_spelling_suggestions() {
    let repo = spelling_repo("We recieve mail.\n");
    repo.cmd().args(["check", "--fix"]).assert().code(0);
    assert_eq!(repo.read("docs/page.md"), "We recieve mail.\n");
}

#[test]
fn per_path_dictionaries_by_path() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/]\n");
    repo.write(
        "rules/spelling.yml",
        r#"rules:
  - id: lang/en
    kind: spelling
    level: error
    exclude_paths: ["de/**"]
  - id: lang/de
    kind: spelling
    level: error
    paths: ["de/**"]
    dictionaries: [dicts/mini_DE]
"#,
    );
    repo.write("dicts/mini_DE.aff", "SET UTF-8\nSFX N Y 1\nSFX N 0 en .\n");
    repo.write("dicts/mini_DE.dic", "3\nHund/N\nKatze\nund\n");
    repo.write("de/seite.md", "Hund und Katze und Hunden und Hundx.\n");
    repo.write("en/page.md", "Dogs and catz.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&json),
        [
            ("lang/de".into(), "Hundx".into(), 1, 31),
            ("lang/en".into(), "catz".into(), 1, 10),
        ]
    );
}

#[test]
fn a_missing_dictionary_or_bad_key_is_a_located_error() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/]\n");
    repo.write(
        "rules/spelling.yml",
        "rules:\n  - id: a/b\n    kind: spelling\n    level: error\n    dictionaries: [nope/xx_XX]\n",
    );
    repo.write("page.md", "Text.\n");
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dictionary `nope/xx_XX` not found"), "{err}");
    assert!(err.contains("spelling.yml"), "{err}");

    repo.write(
        "rules/spelling.yml",
        "rules:\n  - id: a/b\n    kind: spelling\n    level: error\n    formula: words\n",
    );
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`formula` does not apply to kind `spelling`"),
        "{err}"
    );
}

#[test]
fn zero_config_has_no_spelling() {
    let repo = Repo::new();
    repo.write("page.md", "We recieve mail and teh post.\n");
    let (_, json) = repo.check_json(&[]);
    assert!(
        rules_of(&json).iter().all(|(r, ..)| !r.contains("spell")),
        "{json}"
    );
}

// Nine one-syllable words, two sentences, 26 letters: LIX = 9/2 + 0 = 4.50,
// ARI = 4.71 * 26/9 + 0.5 * 9/2 - 21.43 = -5.57.
const SIMPLE: &str = "# The heading is not counted\n\nThe cat sat on the mat. The dog ran.\n\n| table | cells |\n|---|---|\n| are | skipped |\n";

#[test]
fn metric_scores_use_vales_counting() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/]\n");
    repo.write(
        "rules/readability.yml",
        r#"rules:
  - id: read/lix
    kind: metric
    level: warning
    formula: (words / sentences) + ((long_words * 100) / words)
    condition: "> 4"
    message: "LIX is {score}."
  - id: read/ari
    kind: metric
    level: warning
    formula: (4.71 * (characters / words)) + (0.5 * (words / sentences)) - 21.43
    condition: "< 0"
    message: "ARI is {score}."
  - id: read/quiet
    kind: metric
    level: error
    formula: syllables / words
    condition: "> 1"
"#,
    );
    repo.write("page.md", SIMPLE);
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 0, "{json}");
    let messages: Vec<(&str, &str, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            ("read/ari", "ARI is -5.57.", 1),
            ("read/lix", "LIX is 4.50.", 1)
        ]
    );
}

#[test]
fn a_bad_formula_is_a_located_error() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [rules/]\n");
    repo.write(
        "rules/r.yml",
        "rules:\n  - id: read/x\n    kind: metric\n    level: error\n    formula: wordz / sentences\n    condition: '> 1'\n",
    );
    repo.write("page.md", "Text.\n");
    let out = repo.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown variable `wordz`"), "{err}");
    assert!(err.contains("r.yml"), "{err}");
}

#[test]
fn rules_explain_describes_both_kinds() {
    let repo = spelling_repo("Text.\n");
    repo.write(
        "rules/read.yml",
        "rules:\n  - id: read/x\n    kind: metric\n    level: info\n    formula: words / sentences\n    condition: '> 20'\n",
    );
    let out = repo
        .cmd()
        .args(["rules", "--explain", "docs/spelling"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(spelling, warning)"), "{text}");
    assert!(text.contains("dictionaries: en_US"), "{text}");
    let out = repo
        .cmd()
        .args(["rules", "--explain", "read/x"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(metric, info)"), "{text}");
    assert!(text.contains("formula: words / sentences"), "{text}");
    assert!(text.contains("condition: > 20"), "{text}");
}

// --- Vale styles ---

fn vale_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\nVocab = Team\n\n[*.md]\nBasedOnStyles = Vale, Read\n",
    );
    repo.write(
        "styles/config/vocabularies/Team/accept.txt",
        "Flooberg\n[Zz]orgle\nmea culpa\n",
    );
    repo.write(
        "styles/Read/Lix.yml",
        "extends: metric\nmessage: \"LIX (%s) is above 4.\"\nformula: |\n  (words / sentences) + ((long_words * 100) / words)\ncondition: \"> 4\"\n",
    );
    repo.write(
        "styles/Read/Headings.yml",
        "extends: metric\nmessage: \"%s H2s.\"\nformula: heading.h2\ncondition: \">= 1\"\nlevel: suggestion\n",
    );
    repo
}

#[test]
fn vale_spelling_with_vocab_and_metric() {
    let repo = vale_repo();
    repo.write(
        "page.md",
        "# Title\n\n## Part\n\nThe cat sat on the mat. The dog ran.\n\nA Flooberg and a zorgle met teh mea culpa gitlab HTTPS well-knwon JavaScript.\n",
    );
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "page.md:1:1:Read.Headings:1.00 H2s.\n\
         page.md:1:1:Read.Lix:LIX (16.36) is above 4.\n\
         page.md:7:29:Vale.Spelling:Did you really mean 'teh'?\n\
         page.md:7:43:Vale.Spelling:Did you really mean 'gitlab'?\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn vale_spelling_kind_with_ignore_files_and_custom_filters() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Sp\n",
    );
    repo.write(
        "styles/Sp/Typos.yml",
        "extends: spelling\nmessage: \"'%s' is a typo!\"\ncustom: true\nfilters: ['[A-Z]{2,}']\nignore: [words.txt]\n",
    );
    repo.write("styles/config/ignore/words.txt", "frobnicate\n");
    repo.write("page.md", "We frobnicate the human-friendly NASA teh.\n");
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "page.md:1:19:Sp.Typos:'human-friendly' is a typo!\npage.md:1:39:Sp.Typos:'teh' is a typo!\n"
    );
}

#[test]
fn vale_spelling_reads_every_ignore_file_of_the_styles_path() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Vale\n",
    );
    // Vale reads `StylesPath/config/ignore/**/*.txt` into Vale.Spelling;
    // other extensions are not word lists.
    repo.write("styles/config/ignore/team.txt", "frobnicate\n# a comment\n");
    repo.write("styles/config/ignore/nested/more.txt", "zorgle\n");
    repo.write("styles/config/ignore/notes.list", "blorp\n");
    repo.write("page.md", "We frobnicate the zorgle and the blorp.\n");
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "page.md:1:34:Vale.Spelling:Did you really mean 'blorp'?\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn vale_spelling_threshold_is_read_and_changes_nothing_as_in_vale() {
    let repo = Repo::new();
    repo.write(
        ".vale.ini",
        "StylesPath = styles\n\n[*.md]\nBasedOnStyles = Sp\n",
    );
    repo.write(
        "styles/Sp/Typos.yml",
        "extends: spelling\nmessage: \"'%s' is a typo!\"\nthreshold: 3\n",
    );
    repo.write("page.md", "The teh cat.\n");
    let out = repo
        .cmd()
        .args(["check", "--format", "line"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "page.md:1:5:Sp.Typos:'teh' is a typo!\n"
    );
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("threshold"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
