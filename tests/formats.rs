//! The CI formats (sarif, github, gitlab, junit, checkstyle) for `check` and
//! `gate`: each parsed back and compared with the JSON output of the same
//! run; SARIF validated against the official SARIF 2.1.0 schema.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

// ---------------------------------------------------------------------------
// Repositories

/// A pack whose messages carry the characters the CI formats must escape.
const ESCAPE_PACK: &str = r#"rules:
  - id: claims/guarantee
    kind: forbid
    level: error
    message: "100% sure: '{found}', really, no\nsecond line"
    link: https://acme.example/policy/claims
    description: "Guarantees bind the company. Legal must approve them."
    terms: [guaranteed]
  - id: brand/github
    kind: substitute
    level: warning
    message: "Use '{expected}' <not> & '{found}'."
    swap: {Github: GitHub}
  - id: style/very
    kind: forbid
    level: info
    message: "Cut 'very'."
    terms: [very]
  - id: claims/safe
    kind: forbid
    level: warning
    message: "'{found}' needs evidence."
    patterns: ['absolutely\s+safe']
"#;

/// A temp repository with awkward paths and text: a space and a non-ASCII
/// letter in a file name, an emoji before a match, two occurrences of one
/// term, a match across a line break, a suppression with and one without a
/// reason.
fn tricky_repo() -> Repo {
    let repo = repo_with_pack(ESCAPE_PACK);
    repo.write(
        "docs/café notes.md",
        "# Notes\n\n🎉 Github is guaranteed to be very fast.\n\nAlso guaranteed, twice, and absolutely\nsafe.\n",
    );
    repo.write(
        "docs/b.md",
        "<!-- imprimatur-disable-next-line claims/guarantee -- quoted from the SLA -->\nUptime is guaranteed.\n\n<!-- imprimatur-disable-next-line style/very -->\nA very clean page.\n",
    );
    repo.write("docs/clean.md", "# Clean\n\nNothing to see.\n");
    repo
}

const PEOPLE: &str = r#"
people:
  alice: {name: Alice Ng, emails: [alice@acme.example], handles: [alice-ng]}
  bob: {name: Bob Kim, emails: [bob@acme.example], handles: [bobk]}
teams:
  "@acme/legal": [alice]
  "@acme/marketing": [bob]
"#;

/// A repository whose `main` holds a policy (legal must approve
/// `content/legal/**`); HEAD is a branch where Bob changed the terms and
/// made a claim, with nobody's approval.
fn blocked_gate_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        format!("rules: [rules/]\n{PEOPLE}owners: {{required: true}}\napprovals:\n  trailer_trust: any\n  policies:\n    - name: legal-signoff\n      paths: [\"content/legal/**\"]\n      require: 1\n      from: [\"@acme/legal\"]\n"),
    );
    repo.write(
        "rules/acme.yml",
        "rules:\n  - id: claims/guarantee\n    kind: forbid\n    level: error\n    terms: [guaranteed]\n",
    );
    repo.write(
        ".github/CODEOWNERS",
        "/content/ @acme/marketing\n/content/legal/ @acme/legal\n",
    );
    repo.write("content/legal/terms.md", "# Terms\n\nPlain terms.\n");
    repo.write("content/blog/post.md", "# Post\n\nA post.\n");
    let base = repo.commit_all("initial", "Alice Ng", "alice@acme.example");
    repo.git
        .branch("main", &repo.git.find_commit(base).unwrap(), true)
        .unwrap();
    repo.write(
        "content/legal/terms.md",
        "# Terms\n\nUptime is guaranteed.\n",
    );
    repo.write("content/blog/post.md", "# Post\n\nA better post.\n");
    repo.commit_all("Update terms", "Bob Kim", "bob@acme.example");
    repo
}

// ---------------------------------------------------------------------------
// Running the binary

/// Runs the binary with `args` in the repository; (exit code, stdout).
fn run(repo: &Repo, args: &[&str]) -> (i32, String) {
    let out = repo.cmd().args(args).output().unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code < 2,
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, String::from_utf8(out.stdout).unwrap())
}

/// `check` or `gate` in FORMAT (plus `extra` arguments).
fn output(repo: &Repo, command: &str, format: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec![command];
    if command == "gate" {
        args.extend(["--base", "main"]);
    }
    args.extend(["--format", format, "--today", "2026-01-15"]);
    args.extend(extra);
    run(repo, &args)
}

fn json(repo: &Repo, command: &str) -> (i32, Value) {
    let (code, text) = output(repo, command, "json", &[]);
    (code, serde_json::from_str(&text).unwrap())
}

// ---------------------------------------------------------------------------
// What every format must agree on

/// One finding as every format can express it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Spot {
    path: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    rule: String,
    level: String,
    message: String,
}

fn spot_from_json(f: &Value) -> Spot {
    Spot {
        path: f["path"].as_str().unwrap().into(),
        line: f["line"].as_u64().unwrap(),
        column: f["column"].as_u64().unwrap(),
        end_line: f["end_line"].as_u64().unwrap(),
        end_column: f["end_column"].as_u64().unwrap(),
        rule: f["rule"].as_str().unwrap().into(),
        level: f["level"].as_str().unwrap().into(),
        message: f["message"].as_str().unwrap().into(),
    }
}

fn json_spots(json: &Value, key: &str) -> Vec<Spot> {
    json[key]
        .as_array()
        .unwrap()
        .iter()
        .map(spot_from_json)
        .collect()
}

/// The gate's blocking reasons that are not lint findings, as the CI
/// formats report them: at line 1, column 1 of the file.
fn gate_spots(json: &Value) -> Vec<Spot> {
    let Some(blocking) = json["gate"]["blocking"].as_array() else {
        return Vec::new();
    };
    let lint: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}: {}",
                f["path"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    blocking
        .iter()
        .map(|b| b.as_str().unwrap())
        .filter(|b| !lint.iter().any(|l| l == b))
        .map(|b| {
            let (path, message) = b.split_once(": ").unwrap();
            let rule = if message.starts_with("no owner") {
                "imprimatur/unowned"
            } else {
                "imprimatur/approval"
            };
            Spot {
                path: path.into(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
                rule: rule.into(),
                level: "error".into(),
                message: message.into(),
            }
        })
        .collect()
}

fn sorted(mut spots: Vec<Spot>) -> Vec<Spot> {
    spots.sort();
    spots
}

// ---------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(sarif: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
}

fn sarif(repo: &Repo, command: &str) -> (i32, Value) {
    let (code, text) = output(repo, command, "sarif", &[]);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_valid_sarif(&sarif);
    (code, sarif)
}

fn sarif_level(level: &str) -> String {
    match level {
        "note" => "info".into(),
        other => other.into(),
    }
}

/// (spot, suppression justification) of each SARIF result.
fn sarif_spots(sarif: &Value) -> Vec<(Spot, Option<Value>)> {
    let run = &sarif["runs"][0];
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let region = &location["region"];
            assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            let spot = Spot {
                path: percent_decode(uri),
                line: region["startLine"].as_u64().unwrap(),
                column: region["startColumn"].as_u64().unwrap(),
                end_line: region["endLine"].as_u64().unwrap(),
                end_column: region["endColumn"].as_u64().unwrap(),
                rule: r["ruleId"].as_str().unwrap().into(),
                level: sarif_level(r["level"].as_str().unwrap()),
                message: r["message"]["text"].as_str().unwrap().into(),
            };
            (spot, r.get("suppressions").cloned())
        })
        .collect()
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// SARIF and JSON of the same run agree on every finding and suppression.
fn assert_sarif_matches_json(sarif: &Value, json: &Value) {
    let spots = sarif_spots(sarif);
    let reported: Vec<Spot> = spots
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|(spot, _)| spot.clone())
        .collect();
    let mut expected = json_spots(json, "findings");
    expected.extend(gate_spots(json));
    assert_eq!(sorted(reported), sorted(expected));
    let suppressed: Vec<(Spot, Value)> = spots
        .into_iter()
        .filter_map(|(spot, s)| s.map(|s| (spot, s)))
        .collect();
    let expected: Vec<(Spot, Value)> = json["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let mut suppression = serde_json::json!({"kind": "inSource"});
            if let Some(reason) = s["reason"].as_str() {
                suppression["justification"] = reason.into();
            }
            (spot_from_json(s), serde_json::json!([suppression]))
        })
        .collect();
    assert_eq!(suppressed, expected);
}

#[test]
fn the_vendored_schema_rejects_what_sarif_forbids() {
    let validator = sarif_validator();
    let valid = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.md"}, "region": {"startLine": 1}}}]}]}]});
    assert!(validator.is_valid(&valid));
    let mut no_version = valid.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&no_version));
    let mut line_zero = valid.clone();
    line_zero["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&line_zero));
    let mut bad_level = valid;
    bad_level["runs"][0]["results"][0]["level"] = "info".into();
    assert!(!validator.is_valid(&bad_level));
}

#[test]
fn sarif_of_the_example_site_is_valid_and_matches_json() {
    let repo = acme_repo();
    let (code, sarif) = sarif(&repo, "check");
    let (json_code, json) = json(&repo, "check");
    assert_eq!(code, json_code);
    assert!(!json["findings"].as_array().unwrap().is_empty());
    assert!(!json["suppressed"].as_array().unwrap().is_empty());
    assert_sarif_matches_json(&sarif, &json);
    let run = &sarif["runs"][0];
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["name"], "imprimatur");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["properties"]["command"], "check");
    // A fix is a replacement of exactly the finding's region.
    let fixed: Vec<&Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    let json_fixed: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .collect();
    assert_eq!(fixed.len(), json_fixed.len());
    for (r, f) in fixed.iter().zip(&json_fixed) {
        let replacement = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(
            replacement["deletedRegion"],
            r["locations"][0]["physicalLocation"]["region"]
        );
        assert_eq!(
            replacement["insertedContent"]["text"],
            f["fix"]["replacement"]
        );
    }
}

#[test]
fn sarif_rules_describe_each_rule_and_results_point_at_them() {
    let repo = tricky_repo();
    let (_, sarif) = sarif(&repo, "check");
    let driver = &sarif["runs"][0]["tool"]["driver"];
    let rules = driver["rules"].as_array().unwrap();
    let guarantee = rules
        .iter()
        .find(|r| r["id"] == "claims/guarantee")
        .unwrap();
    assert_eq!(
        guarantee["shortDescription"]["text"],
        "Guarantees bind the company."
    );
    assert_eq!(
        guarantee["fullDescription"]["text"],
        "Guarantees bind the company. Legal must approve them."
    );
    assert!(guarantee["help"]["text"]
        .as_str()
        .unwrap()
        .contains("https://acme.example/policy/claims"));
    assert_eq!(guarantee["helpUri"], "https://acme.example/policy/claims");
    assert_eq!(guarantee["defaultConfiguration"]["level"], "error");
    let very = rules.iter().find(|r| r["id"] == "style/very").unwrap();
    assert_eq!(very["defaultConfiguration"]["level"], "note");
    // The suppression without a reason is itself reported, and described.
    assert!(rules.iter().any(|r| r["id"] == "imprimatur/suppression"));
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn sarif_of_a_temp_repo_is_valid_and_matches_json_with_awkward_paths() {
    let repo = tricky_repo();
    let (_, sarif) = sarif(&repo, "check");
    let (_, json) = json(&repo, "check");
    assert_sarif_matches_json(&sarif, &json);
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"docs/caf%C3%A9%20notes.md"), "{uris:?}");
    // Columns count characters: the emoji is one.
    let github = json_spots(&json, "findings")
        .into_iter()
        .find(|s| s.rule == "brand/github")
        .unwrap();
    assert_eq!((github.line, github.column, github.end_column), (3, 3, 9));
}

/// (path and rule, start line, fingerprint) of each result.
fn fingerprints(sarif: &Value) -> Vec<(String, u64, String)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            (
                format!(
                    "{} {}",
                    percent_decode(location["artifactLocation"]["uri"].as_str().unwrap()),
                    r["ruleId"].as_str().unwrap()
                ),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["partialFingerprints"]["imprimatur/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_fingerprints_are_unique_and_survive_unrelated_edits() {
    let repo = tricky_repo();
    let (_, before) = sarif(&repo, "check");
    let before = fingerprints(&before);
    let mut unique: Vec<&String> = before.iter().map(|(_, _, f)| f).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len(), "{before:#?}");
    // A new paragraph above every finding moves them all down two lines.
    let path = "docs/café notes.md";
    let text = repo.read(path);
    repo.write(
        path,
        text.replacen("# Notes\n", "# Notes\n\nA new intro.\n", 1),
    );
    let (_, after) = sarif(&repo, "check");
    let after = fingerprints(&after);
    let moved: Vec<_> = before
        .iter()
        .zip(&after)
        .filter(|(b, _)| b.0.starts_with(path) && b.1 > 1)
        .collect();
    assert!(!moved.is_empty());
    for (b, a) in &moved {
        assert_eq!(a.1, b.1 + 2, "{b:?} → {a:?}");
    }
    let sorted_fps = |v: &[(String, u64, String)]| {
        let mut f: Vec<String> = v.iter().map(|x| x.2.clone()).collect();
        f.sort();
        f
    };
    assert_eq!(sorted_fps(&before), sorted_fps(&after));
}

#[test]
fn sarif_of_a_blocked_gate_carries_the_decision_and_the_missing_approval() {
    let repo = blocked_gate_repo();
    let (code, sarif) = sarif(&repo, "gate");
    assert_eq!(code, 1);
    let (_, json) = json(&repo, "gate");
    assert_sarif_matches_json(&sarif, &json);
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["command"], "gate");
    assert_eq!(run["properties"]["gate"], json["gate"]);
    let approval = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "imprimatur/approval")
        .expect("the missing approval is a result");
    assert_eq!(
        approval["message"]["text"],
        "legal-signoff needs 1 approval from @acme/legal, has 0"
    );
    assert_eq!(
        approval["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "content/legal/terms.md"
    );
}

#[test]
fn sarif_paths_are_repository_relative_when_the_project_is_a_subfolder() {
    let repo = Repo::new();
    repo.write("site/imprimatur.yml", "rules: [rules/test.yml]\n");
    repo.write("site/rules/test.yml", ESCAPE_PACK);
    repo.write("site/docs/a.md", "It is guaranteed.\n");
    let out = repo
        .cmd()
        .current_dir(repo.path().join("site"))
        .args(["check", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "site/docs/a.md"
    );
}

// ---------------------------------------------------------------------------
// GitHub workflow commands

/// One workflow command: `::NAME k=v,k=v::MESSAGE`, unescaped.
#[derive(Debug, Clone)]
struct Command {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

impl Command {
    fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn number(&self, key: &str) -> u64 {
        self.get(key)
            .unwrap_or_else(|| panic!("{key} missing in {self:?}"))
            .parse()
            .unwrap()
    }
}

/// Undoes GitHub's escaping: `%25` last, so `%253A` stays `%3A`.
fn unescape(text: &str, property: bool) -> String {
    let mut text = text.replace("%0D", "\r").replace("%0A", "\n");
    if property {
        text = text.replace("%3A", ":").replace("%2C", ",");
    }
    text.replace("%25", "%")
}

/// Parses a workflow command line as the runner does: the name runs to the
/// first space or `::`; properties are comma-separated `key=value` up to the
/// next `::`; the rest is the message.
fn parse_command(line: &str) -> Option<Command> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (name, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').expect("key=value");
            (k.to_string(), unescape(v, true))
        })
        .collect();
    Some(Command {
        name: name.to_string(),
        properties,
        message: unescape(message, false),
    })
}

fn commands(stdout: &str) -> Vec<Command> {
    stdout.lines().filter_map(parse_command).collect()
}

fn github_level(name: &str) -> String {
    match name {
        "notice" => "info".into(),
        other => other.into(),
    }
}

/// The annotations that name a file, as spots.
fn annotation_spots(commands: &[Command]) -> Vec<Spot> {
    commands
        .iter()
        .filter(|c| c.get("file").is_some())
        .map(|c| {
            let line = c.number("line");
            let end_line = c.number("endLine");
            // Columns are given only for a single line.
            let (column, end_column) = if line == end_line {
                (c.number("col"), c.number("endColumn"))
            } else {
                assert!(c.get("col").is_none(), "{c:?}");
                (0, 0)
            };
            Spot {
                path: c.get("file").unwrap().into(),
                line,
                column,
                end_line,
                end_column,
                rule: c.get("title").unwrap().into(),
                level: github_level(&c.name),
                message: c.message.clone(),
            }
        })
        .collect()
}

/// JSON spots with the columns GitHub cannot take on multi-line spans zeroed.
fn as_github(spots: Vec<Spot>) -> Vec<Spot> {
    spots
        .into_iter()
        .map(|mut s| {
            if s.line != s.end_line {
                s.column = 0;
                s.end_column = 0;
            }
            s
        })
        .collect()
}

fn rank(level: &str) -> u8 {
    match level {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    }
}

#[test]
fn a_message_with_percent_colon_comma_and_newline_round_trips_through_annotations() {
    let repo = tricky_repo();
    // A file name with a comma and a colon exercises the property escaping.
    repo.write("docs/notes, v2: draft.md", "Is it guaranteed? 50% sure.\n");
    let (code, stdout) = output(&repo, "check", "github", &[]);
    let (json_code, json) = json(&repo, "check");
    assert_eq!(code, json_code);
    let commands = commands(&stdout);
    let spots = annotation_spots(&commands);
    assert_eq!(
        sorted(spots.clone()),
        sorted(as_github(json_spots(&json, "findings")))
    );
    assert!(
        spots.iter().any(|s| s.line != s.end_line),
        "a finding across a line break"
    );
    let tricky = spots
        .iter()
        .find(|s| s.path == "docs/notes, v2: draft.md")
        .expect("the file with a comma and a colon");
    assert_eq!(
        tricky.message,
        "100% sure: 'guaranteed', really, no\nsecond line"
    );
    // Nothing the message holds leaks into a line of its own.
    for line in stdout.lines() {
        assert!(
            line.starts_with("::") || line.starts_with("imprimatur check:"),
            "{line}"
        );
    }
    // Errors first, then warnings, then notices.
    let ranks: Vec<u8> = spots.iter().map(|s| rank(&s.level)).collect();
    let mut sorted_ranks = ranks.clone();
    sorted_ranks.sort();
    assert_eq!(ranks, sorted_ranks);
    assert!(ranks.contains(&0) && ranks.contains(&1) && ranks.contains(&2));
}

#[test]
fn annotations_of_the_example_site_match_json() {
    let repo = acme_repo();
    let (_, stdout) = output(&repo, "check", "github", &[]);
    let (_, json) = json(&repo, "check");
    assert_eq!(
        sorted(annotation_spots(&commands(&stdout))),
        sorted(as_github(json_spots(&json, "findings")))
    );
}

/// A repository with `errors` error-level and `warnings` warning-level findings.
fn many_findings(errors: usize, warnings: usize) -> Repo {
    let repo = repo_with_pack(ESCAPE_PACK);
    let mut text = String::new();
    for i in 0..errors {
        text.push_str(&format!("Line {i} is guaranteed.\n\n"));
    }
    for i in 0..warnings {
        text.push_str(&format!("Line {i} is on Github.\n\n"));
    }
    repo.write("docs/many.md", text);
    repo
}

fn check_with_summary(repo: &Repo) -> (String, String) {
    let summary = repo.path().join("summary.md");
    std::fs::write(&summary, "Earlier step's summary.\n").unwrap();
    let out = repo
        .cmd()
        .args(["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(&summary).unwrap(),
    )
}

#[test]
fn the_step_summary_counts_annotations_github_will_not_show() {
    let repo = many_findings(12, 3);
    let (stdout, summary) = check_with_summary(&repo);
    assert_eq!(commands(&stdout).len(), 15, "every finding is annotated");
    assert!(summary.starts_with("Earlier step's summary.\n"), "appended");
    assert!(summary.contains("## imprimatur check"), "{summary}");
    assert!(summary.contains("| error | 12 | 10 |"), "{summary}");
    assert!(summary.contains("| warning | 3 | 3 |"), "{summary}");
    assert!(
        summary.contains("**2 annotation(s) not shown**"),
        "{summary}"
    );
    let rows = summary
        .lines()
        .filter(|l| {
            l.starts_with("| error | docs/many.md") || l.starts_with("| warning | docs/many.md")
        })
        .count();
    assert_eq!(rows, 15, "{summary}");
    // The first rows are the errors.
    let first = summary
        .lines()
        .find(|l| l.contains("| docs/many.md |"))
        .unwrap();
    assert!(first.starts_with("| error |"), "{first}");
    assert!(
        first.contains("100% sure: 'guaranteed', really, no<br>second line"),
        "{first}"
    );
}

#[test]
fn the_step_summary_table_is_capped_and_says_how_many_were_left_out() {
    let repo = many_findings(60, 0);
    let (_, summary) = check_with_summary(&repo);
    let rows = summary
        .lines()
        .filter(|l| l.starts_with("| error | docs/many.md"))
        .count();
    assert_eq!(rows, 50);
    assert!(
        summary.contains("…and 10 more finding(s) not listed here"),
        "{summary}"
    );
    assert!(
        summary.contains("**50 annotation(s) not shown**"),
        "{summary}"
    );
}

#[test]
fn annotations_of_a_blocked_gate_start_with_the_decision() {
    let repo = blocked_gate_repo();
    let (code, stdout) = output(&repo, "gate", "github", &[]);
    assert_eq!(code, 1);
    let (_, json) = json(&repo, "gate");
    let commands = commands(&stdout);
    assert_eq!(commands[0].name, "error");
    assert_eq!(commands[0].get("title"), Some("imprimatur gate"));
    assert!(
        commands[0]
            .message
            .starts_with("Blocked: 2 blocking reason(s)"),
        "{:?}",
        commands[0]
    );
    let mut expected = json_spots(&json, "findings");
    expected.extend(gate_spots(&json));
    assert_eq!(
        sorted(annotation_spots(&commands)),
        sorted(as_github(expected))
    );
}

// ---------------------------------------------------------------------------
// The GitHub Action's script in a simulated GitHub environment

const LEGAL_CONFIG: &str = "rules: [rules/]\npeople:\n  alice: {name: Alice Ng, emails: [alice@acme.example], handles: [alice-ng]}\n  bob: {name: Bob Kim, emails: [bob@acme.example], handles: [bobk]}\nteams:\n  \"@acme/legal\": [alice]\napprovals:\n  policies:\n    - name: legal-signoff\n      paths: [\"content/legal/**\"]\n      require: 1\n      from: [\"@acme/legal\"]\n";

/// `main` with a policy; HEAD changes the terms (no lint finding), so only
/// the legal approval decides. Returns (repo, base sha, head sha).
fn pull_request_repo() -> (Repo, String, String) {
    let repo = Repo::new();
    repo.write("imprimatur.yml", LEGAL_CONFIG);
    repo.write(
        "rules/acme.yml",
        "rules:\n  - id: claims/guarantee\n    kind: forbid\n    level: error\n    terms: [guaranteed]\n  - id: brand/github\n    kind: substitute\n    level: warning\n    swap: {Github: GitHub}\n",
    );
    repo.write("content/legal/terms.md", "# Terms\n\nPlain terms.\n");
    let base = repo.commit_all("initial", "Alice Ng", "alice@acme.example");
    repo.git
        .branch("main", &repo.git.find_commit(base).unwrap(), true)
        .unwrap();
    repo.write(
        "content/legal/terms.md",
        "# Terms\n\nNew terms, hosted on Github.\n",
    );
    let head = repo.commit_all("Update terms", "Bob Kim", "bob@acme.example");
    (repo, base.to_string(), head.to_string())
}

struct ActionRun {
    code: i32,
    stdout: String,
    summary: String,
    sarif: Value,
    gh_calls: String,
}

/// Runs `ci/github/gate.sh` as the action does: a pull_request event payload,
/// a step summary file, RUNNER_TEMP, and a fake `gh` on PATH that logs its
/// arguments and prints `reviews`.
#[cfg(unix)]
fn run_action(repo: &Repo, base: &str, reviews: &Value) -> ActionRun {
    use std::os::unix::fs::PermissionsExt;
    let github = tempfile::tempdir().unwrap();
    let dir = github.path();
    let event = dir.join("event.json");
    let payload = serde_json::json!({"action": "synchronize", "number": 7,
        "pull_request": {"number": 7, "base": {"ref": "main", "sha": base}, "head": {"ref": "change"}},
        "repository": {"full_name": "acme/site"}});
    std::fs::write(&event, payload.to_string()).unwrap();
    std::fs::write(dir.join("reviews.json"), reviews.to_string()).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{log}'\ncat '{reviews}'\n",
            log = dir.join("gh.log").display(),
            reviews = dir.join("reviews.json").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let summary = dir.join("summary.md");
    let sarif = dir.join("out.sarif");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/github/gate.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .current_dir(repo.path())
        .env("PATH", path)
        .env("IMPRIMATUR_BIN", assert_cmd::cargo::cargo_bin("imprimatur"))
        .env("GITHUB_EVENT_NAME", "pull_request")
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", "acme/site")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", dir)
        .env("GH_TOKEN", "test-token")
        .env("INPUT_SARIF_FILE", &sarif)
        .env("INPUT_FAIL_LEVEL", "error")
        .env("NO_COLOR", "1")
        .env_remove("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        .env_remove("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("INPUT_BASE")
        .env_remove("INPUT_FORMAT")
        .env_remove("INPUT_REVIEWS")
        .output()
        .unwrap();
    ActionRun {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        sarif: serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap())
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr))),
        gh_calls: std::fs::read_to_string(dir.join("gh.log")).unwrap_or_default(),
    }
}

#[cfg(unix)]
#[test]
fn the_action_script_blocks_an_unapproved_pull_request() {
    let (repo, base, _) = pull_request_repo();
    let run = run_action(&repo, &base, &serde_json::json!([]));
    assert_eq!(run.code, 1, "blocked fails the step: {}", run.stdout);
    assert_eq!(
        run.gh_calls.trim(),
        "api --paginate repos/acme/site/pulls/7/reviews"
    );
    let commands = commands(&run.stdout);
    assert_eq!(commands[0].name, "error");
    assert_eq!(commands[0].get("title"), Some("imprimatur gate"));
    let approval = commands
        .iter()
        .find(|c| c.get("title") == Some("imprimatur/approval"))
        .expect("an annotation for the missing approval");
    assert_eq!(approval.get("file"), Some("content/legal/terms.md"));
    assert_eq!(
        approval.message,
        "legal-signoff needs 1 approval from @acme/legal, has 0"
    );
    let warning = commands
        .iter()
        .find(|c| c.name == "warning")
        .expect("the brand warning");
    assert_eq!(
        (
            warning.get("file"),
            warning.number("line"),
            warning.number("col")
        ),
        (Some("content/legal/terms.md"), 3, 22)
    );
    assert!(
        run.summary.contains("## imprimatur gate: ❌ blocked"),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("| content/legal/terms.md | (unowned) | ❌ legal-signoff | 0 of 1 |  |  |"),
        "{}",
        run.summary
    );
    assert!(run.summary.contains("### Blocking"), "{}", run.summary);
    // The step summary says whom to ask and how the approval is recorded.
    assert!(
        run.summary.contains("### Next steps\n\n- content/legal/terms.md: legal-signoff needs 1 more approval from @acme/legal. Ask alice"),
        "{}",
        run.summary
    );
    assert_valid_sarif(&run.sarif);
    assert_eq!(run.sarif["runs"][0]["properties"]["gate"]["passed"], false);
}

#[cfg(unix)]
#[test]
fn the_action_script_passes_once_legal_approves_at_head() {
    let (repo, base, head) = pull_request_repo();
    let reviews = serde_json::json!([{"id": 1, "user": {"login": "alice-ng"}, "state": "APPROVED",
        "commit_id": head, "submitted_at": "2026-01-02T00:00:00Z"}]);
    let run = run_action(&repo, &base, &reviews);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let commands = commands(&run.stdout);
    assert!(commands.iter().all(|c| c.name != "error"), "{}", run.stdout);
    let decision = commands.last().unwrap();
    assert_eq!(
        (decision.name.as_str(), decision.get("title")),
        ("notice", Some("imprimatur gate"))
    );
    assert!(
        run.summary.contains("## imprimatur gate: ✅ passed"),
        "{}",
        run.summary
    );
    assert!(
        run.summary.contains(
            "| content/legal/terms.md | (unowned) | ✅ legal-signoff | 1 of 1 | alice |  |"
        ),
        "{}",
        run.summary
    );
    assert_eq!(run.sarif["runs"][0]["properties"]["gate"]["passed"], true);
}

#[cfg(unix)]
#[test]
fn the_action_script_lists_a_review_that_does_not_count_with_its_reason() {
    let (repo, base, head) = pull_request_repo();
    let reviews = serde_json::json!([{"id": 1, "user": {"login": "bobk"}, "state": "APPROVED",
        "commit_id": head, "submitted_at": "2026-01-02T00:00:00Z"}]);
    let run = run_action(&repo, &base, &reviews);
    assert_eq!(run.code, 1);
    assert!(
        run.summary.contains("| 0 of 1 |  | bob (not-eligible) |"),
        "{}",
        run.summary
    );
}

// ---------------------------------------------------------------------------
// GitLab Code Quality

fn gitlab_severity(level: &str) -> &'static str {
    match level {
        "error" => "major",
        "warning" => "minor",
        _ => "info",
    }
}

/// Code Quality issues match the JSON findings (lines only: Code Quality has
/// no columns), with fingerprints unique and equal to SARIF's.
fn assert_gitlab_matches(repo: &Repo, command: &str) -> Value {
    let (code, text) = output(repo, command, "gitlab", &[]);
    let (json_code, json) = json(repo, command);
    assert_eq!(code, json_code);
    let issues: Value = serde_json::from_str(&text).unwrap();
    let issues = issues.as_array().unwrap();
    let mut expected = json_spots(&json, "findings");
    expected.extend(gate_spots(&json));
    let as_lines = |s: &Spot| {
        (
            s.path.clone(),
            s.line,
            s.end_line,
            s.rule.clone(),
            s.message.clone(),
        )
    };
    let mut got: Vec<_> = issues
        .iter()
        .map(|i| {
            (
                i["location"]["path"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                i["location"]["lines"]["end"].as_u64().unwrap(),
                i["check_name"].as_str().unwrap().to_string(),
                i["description"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut want: Vec<_> = expected.iter().map(as_lines).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    for issue in issues {
        let spot = expected
            .iter()
            .find(|s| s.rule == issue["check_name"] && s.message == issue["description"])
            .unwrap();
        let severity = if spot.rule == "imprimatur/approval" {
            "blocker"
        } else {
            gitlab_severity(&spot.level)
        };
        assert_eq!(issue["severity"], severity, "{issue}");
        let fingerprint = issue["fingerprint"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 64);
        assert!(fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let (_, sarif) = sarif(repo, command);
    let sarif_fingerprints: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_none())
        .map(|r| r["partialFingerprints"]["imprimatur/v1"].as_str().unwrap())
        .collect();
    assert_eq!(fingerprints, sarif_fingerprints);
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    Value::Array(issues.clone())
}

#[test]
fn code_quality_of_the_example_site_matches_json() {
    assert_gitlab_matches(&acme_repo(), "check");
}

#[test]
fn code_quality_of_a_temp_repo_matches_json() {
    let issues = assert_gitlab_matches(&tricky_repo(), "check");
    // Both occurrences of 'guaranteed' in one file are separate issues.
    let guarantees = issues
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| {
            i["check_name"] == "claims/guarantee" && i["location"]["path"] == "docs/café notes.md"
        })
        .count();
    assert_eq!(guarantees, 2);
}

#[test]
fn code_quality_of_a_blocked_gate_has_the_missing_approval_as_a_blocker() {
    let issues = assert_gitlab_matches(&blocked_gate_repo(), "gate");
    assert!(issues
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["check_name"] == "imprimatur/approval" && i["severity"] == "blocker"));
}

struct GitlabRun {
    code: i32,
    stdout: String,
    report: Value,
    junit: String,
    curl_calls: String,
}

/// Runs `ci/gitlab/gate.sh` as the template does, in a merge request
/// pipeline's environment, with a fake `curl` that logs its arguments and
/// prints `approvals`.
#[cfg(unix)]
fn run_gitlab(repo: &Repo, base: &str, head: &str, approvals: &Value) -> GitlabRun {
    run_gitlab_with(repo, base, head, approvals, false)
}

/// As `run_gitlab`; with `bare_tools`, PATH holds only the fake `curl` and
/// the coreutils the script needs (no jq, no python3).
#[cfg(unix)]
fn run_gitlab_with(
    repo: &Repo,
    base: &str,
    head: &str,
    approvals: &Value,
    bare_tools: bool,
) -> GitlabRun {
    use std::os::unix::fs::PermissionsExt;
    let ci = tempfile::tempdir().unwrap();
    let dir = ci.path();
    std::fs::write(dir.join("approvals.json"), approvals.to_string()).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    let curl = bin.join("curl");
    std::fs::write(
        &curl,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done >> '{log}'\ncat '{approvals}'\n",
            log = dir.join("curl.log").display(),
            approvals = dir.join("approvals.json").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = if bare_tools {
        for tool in ["cat", "cp", "grep", "mktemp", "sed"] {
            let found = ["/usr/bin", "/bin"]
                .iter()
                .map(|d| Path::new(d).join(tool))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("{tool} is not installed"));
            std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
        }
        bin.display().to_string()
    } else {
        format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/gitlab/gate.sh");
    let bash = ["/usr/bin/bash", "/bin/bash"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("bash is installed");
    let out = std::process::Command::new(bash)
        .arg(script)
        .current_dir(repo.path())
        .env("PATH", path)
        .env("IMPRIMATUR_BIN", assert_cmd::cargo::cargo_bin("imprimatur"))
        .env("IMPRIMATUR_API_TOKEN", "glpat-test")
        .env("IMPRIMATUR_APPROVALS_RESET_ON_PUSH", "true")
        .env("CI_API_V4_URL", "https://gitlab.example/api/v4")
        .env("CI_PROJECT_ID", "42")
        .env("CI_MERGE_REQUEST_IID", "7")
        .env("CI_COMMIT_SHA", head)
        .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
        .env("NO_COLOR", "1")
        .env_remove("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_BASE_REF")
        .output()
        .unwrap();
    let report = std::fs::read_to_string(repo.path().join("gl-code-quality-report.json"))
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    GitlabRun {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        report: serde_json::from_str(&report).unwrap(),
        junit: std::fs::read_to_string(repo.path().join("imprimatur-junit.xml")).unwrap(),
        curl_calls: std::fs::read_to_string(dir.join("curl.log")).unwrap_or_default(),
    }
}

#[cfg(unix)]
#[test]
fn the_gitlab_script_blocks_without_approval_and_writes_the_code_quality_report() {
    let (repo, base, head) = pull_request_repo();
    let run = run_gitlab(
        &repo,
        &base,
        &head,
        &serde_json::json!({"id": 5, "approved_by": []}),
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.curl_calls.contains("PRIVATE-TOKEN: glpat-test"),
        "{}",
        run.curl_calls
    );
    assert!(
        run.curl_calls
            .contains("https://gitlab.example/api/v4/projects/42/merge_requests/7/approvals"),
        "{}",
        run.curl_calls
    );
    let issues = run.report.as_array().unwrap();
    assert!(issues
        .iter()
        .any(|i| i["check_name"] == "imprimatur/approval"
            && i["severity"] == "blocker"
            && i["location"]["path"] == "content/legal/terms.md"));
    assert!(run.stdout.contains("Gate BLOCKED"), "{}", run.stdout);
    let junit = roxmltree::Document::parse(&run.junit).unwrap();
    assert_eq!(junit.root_element().tag_name().name(), "testsuites");
}

#[cfg(unix)]
#[test]
fn the_gitlab_script_counts_merge_request_approvals_at_the_head() {
    let (repo, base, head) = pull_request_repo();
    let approvals =
        serde_json::json!({"id": 5, "approved_by": [{"user": {"username": "alice-ng"}}]});
    let run = run_gitlab(&repo, &base, &head, &approvals);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("Gate PASSED"), "{}", run.stdout);
    let issues = run.report.as_array().unwrap();
    assert!(issues
        .iter()
        .all(|i| i["check_name"] != "imprimatur/approval"));
    assert!(issues.iter().any(|i| i["check_name"] == "brand/github"));
}

/// Without jq or python3 the script still records the head commit in the
/// approvals (with sed), so approvals count at the head.
#[cfg(unix)]
#[test]
fn the_gitlab_script_records_the_head_commit_without_jq_or_python() {
    let (repo, base, head) = pull_request_repo();
    let approvals =
        serde_json::json!({"id": 5, "approved_by": [{"user": {"username": "alice-ng"}}]});
    let run = run_gitlab_with(&repo, &base, &head, &approvals, true);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("Gate PASSED"), "{}", run.stdout);
    assert!(run.curl_calls.contains("/merge_requests/7/approvals"));
}

// ---------------------------------------------------------------------------
// JUnit and checkstyle (XML, parsed back with roxmltree)

/// (spots from failures, test case names, the gate test case's failure).
fn junit_spots(xml: &str) -> (Vec<Spot>, Vec<String>, Option<(String, String)>) {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(suites.len(), 1);
    let cases: Vec<_> = suites[0].children().filter(|n| n.is_element()).collect();
    assert_eq!(
        suites[0].attribute("tests").unwrap(),
        cases.len().to_string()
    );
    let failing = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(
        suites[0].attribute("failures").unwrap(),
        failing.to_string()
    );
    let mut spots = Vec::new();
    let mut names = Vec::new();
    let mut gate = None;
    for case in cases {
        assert_eq!(case.tag_name().name(), "testcase");
        let name = case.attribute("name").unwrap().to_string();
        let failures = case.children().filter(|n| n.has_tag_name("failure"));
        if name == "gate" && case.attribute("file").is_none() {
            gate = failures
                .map(|f| {
                    (
                        f.attribute("message").unwrap().to_string(),
                        f.text().unwrap_or("").to_string(),
                    )
                })
                .next();
            continue;
        }
        assert_eq!(case.attribute("file"), Some(name.as_str()));
        for failure in failures {
            let text = failure.text().unwrap();
            let rest = text.strip_prefix(&format!("{name}:")).unwrap();
            let (line, rest) = rest.split_once(':').unwrap();
            let (column, rest) = rest.split_once(": ").unwrap();
            let (level, rest) = rest.split_once(' ').unwrap();
            let (rule, message) = rest.split_once(": ").unwrap();
            assert_eq!(failure.attribute("type"), Some(rule));
            assert_eq!(failure.attribute("message"), Some(message));
            spots.push(Spot {
                path: name.clone(),
                line: line.parse().unwrap(),
                column: column.parse().unwrap(),
                end_line: 0,
                end_column: 0,
                rule: rule.into(),
                level: level.into(),
                message: message.into(),
            });
        }
        names.push(name);
    }
    (spots, names, gate)
}

/// JSON spots without their ends (JUnit and checkstyle give starts only).
fn starts(spots: Vec<Spot>) -> Vec<Spot> {
    spots
        .into_iter()
        .map(|s| Spot {
            end_line: 0,
            end_column: 0,
            ..s
        })
        .collect()
}

fn expected_spots(json: &Value) -> Vec<Spot> {
    let mut spots = json_spots(json, "findings");
    spots.extend(gate_spots(json));
    spots
}

#[test]
fn junit_has_a_test_case_per_file_and_a_failure_per_finding() {
    for repo in [acme_repo(), tricky_repo()] {
        let (_, xml) = output(&repo, "check", "junit", &[]);
        let (_, json) = json(&repo, "check");
        let (spots, names, gate) = junit_spots(&xml);
        assert_eq!(sorted(spots), sorted(starts(expected_spots(&json))));
        assert_eq!(
            names.len() as u64,
            json["summary"]["files"].as_u64().unwrap()
        );
        assert!(gate.is_none());
    }
    let (_, xml) = output(&tricky_repo(), "check", "junit", &[]);
    let (_, names, _) = junit_spots(&xml);
    assert!(
        names.contains(&"docs/clean.md".to_string()),
        "a passing case"
    );
}

#[test]
fn junit_of_a_gate_has_a_gate_case_that_fails_with_the_blocking_reasons() {
    let repo = blocked_gate_repo();
    let (code, xml) = output(&repo, "gate", "junit", &[]);
    assert_eq!(code, 1);
    let (_, json) = json(&repo, "gate");
    let (spots, names, gate) = junit_spots(&xml);
    assert_eq!(sorted(spots), sorted(starts(expected_spots(&json))));
    assert!(names.contains(&"content/legal/terms.md".to_string()));
    let (message, text) = gate.expect("a failing gate case");
    assert_eq!(message, "blocked: 2 reason(s)");
    let blocking: Vec<&str> = json["gate"]["blocking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    assert_eq!(text, blocking.join("\n"));
}

fn checkstyle_spots(xml: &str) -> (Vec<Spot>, usize) {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let files: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let mut spots = Vec::new();
    for file in &files {
        assert_eq!(file.tag_name().name(), "file");
        let name = file.attribute("name").unwrap();
        for error in file.children().filter(|n| n.is_element()) {
            assert_eq!(error.tag_name().name(), "error");
            spots.push(Spot {
                path: name.into(),
                line: error.attribute("line").unwrap().parse().unwrap(),
                column: error.attribute("column").unwrap().parse().unwrap(),
                end_line: 0,
                end_column: 0,
                rule: error.attribute("source").unwrap().into(),
                level: error.attribute("severity").unwrap().into(),
                message: error.attribute("message").unwrap().into(),
            });
        }
    }
    (spots, files.len())
}

#[test]
fn checkstyle_lists_every_file_and_each_finding_with_its_rule_as_source() {
    for repo in [acme_repo(), tricky_repo()] {
        let (_, xml) = output(&repo, "check", "checkstyle", &[]);
        let (_, json) = json(&repo, "check");
        let (spots, files) = checkstyle_spots(&xml);
        assert_eq!(sorted(spots), sorted(starts(expected_spots(&json))));
        assert_eq!(files as u64, json["summary"]["files"].as_u64().unwrap());
    }
    let repo = blocked_gate_repo();
    let (_, xml) = output(&repo, "gate", "checkstyle", &[]);
    let (_, json) = json(&repo, "gate");
    assert_eq!(
        sorted(checkstyle_spots(&xml).0),
        sorted(starts(expected_spots(&json)))
    );
}

#[test]
fn xml_formats_carry_markup_quotes_and_line_breaks_in_messages_intact() {
    let repo = tricky_repo();
    let (_, xml) = output(&repo, "check", "checkstyle", &[]);
    let messages: Vec<String> = checkstyle_spots(&xml)
        .0
        .into_iter()
        .map(|s| s.message)
        .collect();
    assert!(
        messages.contains(&"Use 'GitHub' <not> & 'Github'.".to_string()),
        "{messages:?}"
    );
    assert!(messages.contains(&"100% sure: 'guaranteed', really, no\nsecond line".to_string()));
}

#[test]
fn sarif_of_shards_merge_by_concatenating_results() {
    let repo = acme_repo();
    let (_, whole) = sarif(&repo, "check");
    let mut merged = Vec::new();
    let mut rules = None;
    for shard in ["1/3", "2/3", "3/3"] {
        let (_, text) = output(&repo, "check", "sarif", &["--shard", shard]);
        let part: Value = serde_json::from_str(&text).unwrap();
        let driver_rules = part["runs"][0]["tool"]["driver"]["rules"].clone();
        assert_eq!(*rules.get_or_insert(driver_rules.clone()), driver_rules);
        merged.extend(part["runs"][0]["results"].as_array().unwrap().clone());
    }
    let key = |r: &Value| {
        r["partialFingerprints"]["imprimatur/v1"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let mut merged: Vec<(String, Value)> = merged.into_iter().map(|r| (key(&r), r)).collect();
    let mut whole: Vec<(String, Value)> = whole["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (key(r), r.clone()))
        .collect();
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    whole.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(merged, whole);
}

#[test]
fn an_unwritable_step_summary_is_a_warning_and_changes_nothing_else() {
    let repo = many_findings(2, 1);
    let plain = repo
        .cmd()
        .args(["check", "--format", "github"])
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    // A directory cannot be opened for appending.
    let out = repo
        .cmd()
        .args(["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", repo.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), plain.status.code());
    assert_eq!(out.stdout, plain.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: cannot write the step summary"),
        "{stderr}"
    );
}
