//! The GitLab CI templates: the CI/CD component (templates/imprimatur/) and
//! the `include:` form (ci/gitlab/imprimatur.gitlab-ci.yml). They are checked
//! against the scripts they inline, then run end to end with `gitlab-ci-local`
//! (npm) and its shell executor in a merge request pipeline's variables,
//! against a local HTTP server on 127.0.0.1 that serves the release archive
//! and GitLab's approvals API.
//!
//! gitlab-ci-local is found at `$IMPRIMATUR_GITLAB_CI_LOCAL`, else
//! `target/ci-tools/node_modules/.bin/gitlab-ci-local` (where .ci/run installs
//! it). Without it the end-to-end tests fail, unless
//! `IMPRIMATUR_SKIP_GITLAB_CI_LOCAL=1`, when they print SKIPPED and pass.
#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::http::Server;
use common::release::{executable, publish, LINUX_X64};
use common::*;
use serde_json::Value;
use yaml_serde::Value as Yaml;

const COMPONENT: &str = "templates/imprimatur/template.yml";
const INCLUDE_FORM: &str = "ci/gitlab/imprimatur.gitlab-ci.yml";

fn project_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The YAML documents of a file (the component has a `spec` header).
fn documents(text: &str) -> Vec<Yaml> {
    text.split("\n---\n")
        .map(|doc| yaml_serde::from_str(doc).unwrap_or_else(|e| panic!("{e}:\n{doc}")))
        .collect()
}

/// The text between `<<'MARKER'\n` and `\nMARKER\n` in the job's first
/// before_script entry.
fn heredoc(job: &Yaml, marker: &str) -> String {
    let block = job["before_script"][0].as_str().unwrap();
    let open = format!("<<'{marker}'\n");
    let start = block.find(&open).unwrap_or_else(|| panic!("no {marker}")) + open.len();
    let end = start + block[start..].find(&format!("{marker}\n")).unwrap();
    block[start..end].to_string()
}

#[test]
fn both_templates_inline_the_current_scripts_and_default_to_this_version() {
    let component = documents(&project_file(COMPONENT));
    let include = documents(&project_file(INCLUDE_FORM));
    let component_job = &component[1]["imprimatur-$[[ inputs.mode ]]"];
    let include_job = &include[0]["imprimatur-gate"];
    for job in [component_job, include_job] {
        assert_eq!(
            heredoc(job, "IMPRIMATUR_INSTALL_SH"),
            project_file("ci/github/install.sh"),
            "stale: run python3 scripts/gitlab-templates.py"
        );
        assert_eq!(
            heredoc(job, "IMPRIMATUR_GATE_SH"),
            project_file("ci/gitlab/gate.sh"),
            "stale: run python3 scripts/gitlab-templates.py"
        );
        assert_eq!(job["variables"]["GIT_DEPTH"].as_str(), Some("0"));
        assert!(job["rules"][0]["if"]
            .as_str()
            .unwrap()
            .contains("merge_request_event"));
        let reports = &job["artifacts"]["reports"];
        assert_eq!(
            reports["codequality"].as_str(),
            Some("gl-code-quality-report.json")
        );
        assert_eq!(reports["junit"].as_str(), Some("imprimatur-junit.xml"));
        // Nothing fetched at run time but the release download.
        let text = yaml_serde::to_string(job).unwrap();
        assert!(!text.contains("raw.githubusercontent.com"), "{text}");
        for line in text.lines().filter(|l| l.contains("cargo install")) {
            assert!(
                line.contains("--path"),
                "a build only from a checkout: {line}"
            );
        }
    }
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        component[0]["spec"]["inputs"]["version"]["default"].as_str(),
        Some(version)
    );
    assert_eq!(
        include[0]["variables"]["IMPRIMATUR_VERSION"].as_str(),
        Some(version)
    );
}

#[test]
fn every_component_input_is_used_and_every_entry_point_has_fail_level_and_changed_lines() {
    let text = project_file(COMPONENT);
    let component = documents(&text);
    let inputs = component[0]["spec"]["inputs"].as_mapping().unwrap();
    for (name, spec) in inputs {
        let name = name.as_str().unwrap();
        assert!(
            text.contains(&format!("$[[ inputs.{name} ]]")),
            "input {name} unused"
        );
        assert!(spec["description"].as_str().is_some_and(|d| !d.is_empty()));
    }
    for name in ["fail-level", "changed-lines", "mode", "version", "config"] {
        assert!(inputs.contains_key(name), "no input {name}");
    }
    let include = documents(&project_file(INCLUDE_FORM));
    let script = project_file("ci/gitlab/gate.sh");
    for var in [
        "IMPRIMATUR_FAIL_LEVEL",
        "IMPRIMATUR_CHANGED_LINES",
        "IMPRIMATUR_MODE",
    ] {
        assert!(include[0]["variables"][var].as_str().is_some(), "{var}");
        assert!(script.contains(var), "{var}");
    }
}

// ---------------------------------------------------------------------------
// End to end with gitlab-ci-local

fn gitlab_ci_local() -> Option<PathBuf> {
    let path = std::env::var_os("IMPRIMATUR_GITLAB_CI_LOCAL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/ci-tools/node_modules/.bin/gitlab-ci-local")
        });
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("IMPRIMATUR_SKIP_GITLAB_CI_LOCAL").is_some() {
        eprintln!(
            "SKIPPED: gitlab-ci-local is not installed ({})",
            path.display()
        );
        return None;
    }
    panic!(
        "gitlab-ci-local is not installed at {} (.ci/run installs it; set IMPRIMATUR_SKIP_GITLAB_CI_LOCAL=1 to skip)",
        path.display()
    );
}

const LEGAL_CONFIG: &str = "rules: [rules/]\npeople:\n  alice: {name: Alice Ng, emails: [alice@acme.example], handles: [alice-ng]}\n  bob: {name: Bob Kim, emails: [bob@acme.example], handles: [bobk]}\nteams:\n  \"@acme/legal\": [alice]\napprovals:\n  policies:\n    - name: legal-signoff\n      paths: [\"content/legal/**\"]\n      require: 1\n      from: [\"@acme/legal\"]\n";

/// A merge request: `main` with an approval policy, and a change to the
/// legal page with a warning (no error). `.gitlab-ci.yml` is `ci`; the
/// template files are copied in for `include: local`. Returns (repo, base).
fn merge_request(ci: &str) -> (Repo, String) {
    let repo = Repo::new();
    repo.write("imprimatur.yml", LEGAL_CONFIG);
    repo.write(
        "rules/acme.yml",
        "rules:\n  - id: claims/guarantee\n    kind: forbid\n    level: error\n    terms: [guaranteed]\n  - id: brand/github\n    kind: substitute\n    level: warning\n    swap: {Github: GitHub}\n",
    );
    repo.write("content/legal/terms.md", "# Terms\n\nPlain terms.\n");
    repo.write(COMPONENT, project_file(COMPONENT));
    repo.write(INCLUDE_FORM, project_file(INCLUDE_FORM));
    repo.write(".gitlab-ci.yml", ci);
    let base = repo.commit_all("initial", "Alice Ng", "alice@acme.example");
    repo.git
        .remote("origin", "git@gitlab.example.com:acme/site.git")
        .unwrap();
    repo.write(
        "content/legal/terms.md",
        "# Terms\n\nNew terms, hosted on Github.\n",
    );
    repo.commit_all("Update terms", "Bob Kim", "bob@acme.example");
    (repo, base.to_string())
}

struct Pipeline {
    out: Output,
    log: String,
    report: Value,
}

/// Runs the pipeline with gitlab-ci-local's shell executor as a merge
/// request pipeline of project 42, MR !7, with PATH = `extra_path` + the
/// system's (no cargo, no imprimatur unless `extra_path` has one).
fn run_pipeline(
    gcl: &Path,
    repo: &Repo,
    base: &str,
    server: &Server,
    extra_path: &[&Path],
) -> Pipeline {
    let home = tempfile::tempdir().unwrap();
    let mut path: Vec<String> = extra_path.iter().map(|p| p.display().to_string()).collect();
    path.push("/usr/local/bin:/usr/bin:/bin".to_string());
    let variables = [
        "CI_PIPELINE_SOURCE=merge_request_event".to_string(),
        format!("CI_MERGE_REQUEST_DIFF_BASE_SHA={base}"),
        "CI_MERGE_REQUEST_IID=7".to_string(),
        "CI_PROJECT_ID=42".to_string(),
        format!("CI_API_V4_URL={}/api/v4", server.url()),
        "IMPRIMATUR_API_TOKEN=glpat-test".to_string(),
        format!("IMPRIMATUR_DOWNLOAD_URL={}", server.url()),
        "NO_COLOR=1".to_string(),
    ];
    let mut cmd = Command::new(gcl);
    cmd.current_dir(repo.path())
        .env_clear()
        .env("PATH", path.join(":"))
        .env("HOME", home.path())
        .env(
            "GCL_IGNORE_PREDEFINED_VARS",
            "CI_PIPELINE_SOURCE,CI_PROJECT_ID,CI_API_V4_URL",
        )
        .arg("--force-shell-executor")
        .arg("--home")
        .arg(home.path());
    for v in &variables {
        cmd.arg("--variable").arg(v);
    }
    let out = cmd.output().expect("gitlab-ci-local runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = std::fs::read_to_string(repo.path().join("gl-code-quality-report.json"))
        .unwrap_or_else(|e| panic!("no Code Quality report ({e}):\n{log}"));
    Pipeline {
        report: serde_json::from_str(&report).unwrap(),
        out,
        log,
    }
}

fn approvals(server: &Server, approved_by: &[&str]) {
    let users: Vec<Value> = approved_by
        .iter()
        .map(|u| serde_json::json!({"user": {"username": u}}))
        .collect();
    server.put(
        "api/v4/projects/42/merge_requests/7/approvals",
        serde_json::json!({"id": 5, "approved_by": users})
            .to_string()
            .as_bytes(),
    );
}

fn check_names(report: &Value) -> Vec<String> {
    report
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["check_name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_component_installs_the_release_and_blocks_until_approved() {
    let Some(gcl) = gitlab_ci_local() else { return };
    let server = Server::start();
    publish(
        &server,
        &format!("v{}", env!("CARGO_PKG_VERSION")),
        LINUX_X64,
        None,
    );
    let ci = format!("include:\n  - local: {COMPONENT}\n");
    let (repo, base) = merge_request(&ci);

    approvals(&server, &[]);
    let run = run_pipeline(&gcl, &repo, &base, &server, &[]);
    assert!(
        !run.out.status.success(),
        "blocked fails the job:\n{}",
        run.log
    );
    assert!(run.log.contains("imprimatur-gate"), "{}", run.log);
    assert!(run.log.contains("Gate BLOCKED"), "{}", run.log);
    assert!(check_names(&run.report).contains(&"imprimatur/approval".to_string()));
    let requests = server.requested();
    assert!(
        requests.contains(&format!(
            "GET /v{}/imprimatur-lint-{LINUX_X64}.tar.gz",
            env!("CARGO_PKG_VERSION")
        )),
        "{requests:?}"
    );
    assert!(requests.contains(&"GET /api/v4/projects/42/merge_requests/7/approvals".to_string()));

    approvals(&server, &["alice-ng"]);
    let run = run_pipeline(&gcl, &repo, &base, &server, &[]);
    assert!(run.out.status.success(), "{}", run.log);
    assert!(run.log.contains("Gate PASSED"), "{}", run.log);
    assert!(!check_names(&run.report).contains(&"imprimatur/approval".to_string()));
    assert!(check_names(&run.report).contains(&"brand/github".to_string()));
}

#[test]
fn the_component_inputs_choose_check_mode_and_the_fail_level() {
    let Some(gcl) = gitlab_ci_local() else { return };
    let server = Server::start();
    publish(
        &server,
        &format!("v{}", env!("CARGO_PKG_VERSION")),
        LINUX_X64,
        None,
    );
    for (level, passes) in [("warning", false), ("error", true)] {
        let ci = format!(
            "include:\n  - local: {COMPONENT}\n    inputs:\n      mode: check\n      fail-level: {level}\n      changed-lines: \"true\"\n"
        );
        let (repo, base) = merge_request(&ci);
        let run = run_pipeline(&gcl, &repo, &base, &server, &[]);
        assert_eq!(run.out.status.success(), passes, "{level}:\n{}", run.log);
        assert!(run.log.contains("imprimatur-check"), "{}", run.log);
        // Check mode lints only: no approval, no approvals request.
        assert_eq!(check_names(&run.report), ["brand/github"], "{}", run.log);
    }
    assert!(!server.requested().iter().any(|r| r.contains("/approvals")));
}

#[test]
fn the_include_form_uses_an_imprimatur_already_on_path() {
    let Some(gcl) = gitlab_ci_local() else { return };
    let server = Server::start();
    approvals(&server, &["alice-ng"]);
    let tools = tempfile::tempdir().unwrap();
    executable(
        &tools.path().join("imprimatur"),
        &format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            assert_cmd::cargo::cargo_bin("imprimatur").display()
        ),
    );
    let ci = format!("include:\n  - local: {INCLUDE_FORM}\n");
    let (repo, base) = merge_request(&ci);
    let run = run_pipeline(&gcl, &repo, &base, &server, &[tools.path()]);
    assert!(run.out.status.success(), "{}", run.log);
    assert!(run.log.contains("Gate PASSED"), "{}", run.log);
    assert!(
        !server.requested().iter().any(|r| r.contains(".tar.gz")),
        "no download: {:?}",
        server.requested()
    );
    assert!(repo.path().join("imprimatur-junit.xml").is_file());
}
