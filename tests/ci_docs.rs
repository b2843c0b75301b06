//! The README's CI blocks ("In GitHub Actions", "In GitLab CI", "With
//! pre-commit", "With reviewdog") are what users paste: each is checked
//! against the files it relies on (action.yml, the GitLab template, the
//! pre-commit hooks), or run.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_yaml::Value as Yaml;

fn project_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(text: &str) -> Yaml {
    serde_yaml::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

/// The first ```LANG block after the README heading `## SECTION`.
fn readme_block(section: &str, lang: &str) -> String {
    let readme = include_str!("../README.md");
    let heading = format!("\n## {section}\n");
    let start = readme
        .find(&heading)
        .unwrap_or_else(|| panic!("no section {section}"));
    let section_text = &readme[start + heading.len()..];
    let section_text = &section_text[..section_text.find("\n## ").unwrap_or(section_text.len())];
    let fence = format!("```{lang}\n");
    let open = section_text
        .find(&fence)
        .unwrap_or_else(|| panic!("no {lang} block in {section}"))
        + fence.len();
    let close = open + section_text[open..].find("```").unwrap();
    section_text[open..close].to_string()
}

fn keys(map: &Yaml) -> Vec<String> {
    map.as_mapping()
        .map(|m| m.keys().map(|k| k.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn action() -> Yaml {
    yaml(&project_file("action.yml"))
}

fn bin_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("imprimatur")
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_with(dirs: &[&Path]) -> String {
    let mut parts: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

// ---------------------------------------------------------------------------
// GitHub Actions

/// The step of `workflow` that uses the action (`uses` matching `is_action`).
fn action_step(workflow: &Yaml, is_action: impl Fn(&str) -> bool) -> &Yaml {
    workflow["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_sequence().unwrap())
        .find(|step| step["uses"].as_str().is_some_and(&is_action))
        .expect("a step using the action")
}

fn assert_uses_the_action_correctly(workflow: &Yaml, step: &Yaml) {
    let inputs = keys(&action()["inputs"]);
    for key in keys(&step["with"]) {
        assert!(
            inputs.contains(&key),
            "`{key}` is not an input of action.yml"
        );
    }
    let checkout = action_step(workflow, |u| u.starts_with("actions/checkout@"));
    assert_eq!(
        checkout["with"]["fetch-depth"].as_u64(),
        Some(0),
        "the gate needs history"
    );
    assert_eq!(
        workflow["permissions"]["pull-requests"].as_str(),
        Some("read")
    );
    if let Some(sarif) = step["with"]["sarif-file"].as_str() {
        let upload = action_step(workflow, |u| {
            u.starts_with("github/codeql-action/upload-sarif@")
        });
        assert_eq!(upload["with"]["sarif_file"].as_str(), Some(sarif));
        assert_eq!(
            workflow["permissions"]["security-events"].as_str(),
            Some("write")
        );
    }
}

#[test]
fn the_readme_workflow_uses_only_the_actions_inputs() {
    let workflow = yaml(&readme_block("In GitHub Actions", "yaml"));
    let step = action_step(&workflow, |u| u.starts_with("imprimatur/imprimatur@"));
    assert_uses_the_action_correctly(&workflow, step);
    let on = keys(&workflow["on"]);
    assert!(on.contains(&"pull_request".to_string()));
    assert!(on.contains(&"pull_request_review".to_string()));
}

#[test]
fn the_dogfooding_workflow_uses_the_local_action_correctly() {
    let workflow = yaml(&project_file(".github/workflows/imprimatur.yml"));
    let step = action_step(&workflow, |u| u == "./");
    assert_uses_the_action_correctly(&workflow, step);
    assert_eq!(step["with"]["path"].as_str(), Some("."));
}

#[test]
fn the_readme_input_table_lists_every_input_with_its_default() {
    let readme = include_str!("../README.md");
    let action = action();
    let inputs = action["inputs"].as_mapping().unwrap();
    for (name, input) in inputs {
        let name = name.as_str().unwrap();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no README row for input `{name}`"));
        let default = input["default"].as_str().unwrap();
        if !default.is_empty() {
            assert!(row.contains(&format!("| `{default}` |")), "{row}");
        }
        assert!(input["description"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let rows = readme
        .lines()
        .skip_while(|l| !l.starts_with("| input | default |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .count();
    assert_eq!(rows, inputs.len());
}

#[test]
fn the_action_passes_every_input_to_its_scripts() {
    let action = action();
    let text = project_file("action.yml");
    let scripts = project_file("ci/github/gate.sh") + &project_file("ci/github/install.sh");
    for name in keys(&action["inputs"]) {
        let expression = format!("${{{{ inputs.{name} }}}}");
        assert!(text.contains(&expression), "input `{name}` is never used");
        let var = format!("INPUT_{}", name.to_uppercase().replace('-', "_"));
        assert!(scripts.contains(&var), "no script reads {var}");
    }
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        if let Some(run) = step["run"].as_str() {
            let script = run
                .split_whitespace()
                .find(|w| w.contains("ci/github/"))
                .expect("each run step calls a script");
            let rel = script
                .trim_matches('"')
                .rsplit_once("$ACTION_PATH/")
                .unwrap()
                .1;
            assert!(
                Path::new(env!("CARGO_MANIFEST_DIR")).join(rel).is_file(),
                "{rel}"
            );
            // Inputs reach scripts through the environment, never spliced into code.
            assert!(!run.contains("${{"), "{run}");
        }
    }
}

// ---------------------------------------------------------------------------
// GitLab CI

#[test]
fn the_readme_gitlab_block_includes_the_template_and_sets_its_variables() {
    let block = yaml(&readme_block("In GitLab CI", "yaml"));
    let remote = block["include"][0]["remote"].as_str().unwrap();
    let template_path = "ci/gitlab/imprimatur.gitlab-ci.yml";
    assert!(remote.ends_with(template_path), "{remote}");
    let template = yaml(&project_file(template_path));
    let template_vars = keys(&template["variables"]);
    let script = project_file("ci/gitlab/gate.sh");
    for var in keys(&block["variables"]) {
        assert!(
            template_vars.contains(&var) || script.contains(&var),
            "{var} is read by neither the template nor its script"
        );
    }
    let version = remote.split('/').nth(5).unwrap();
    assert_eq!(block["variables"]["IMPRIMATUR_REF"].as_str(), Some(version));
}

#[test]
fn the_gitlab_template_runs_the_script_and_uploads_what_it_writes() {
    let template = yaml(&project_file("ci/gitlab/imprimatur.gitlab-ci.yml"));
    let job = &template["imprimatur-gate"];
    assert_eq!(job["variables"]["GIT_DEPTH"].as_str(), Some("0"));
    assert!(job["rules"][0]["if"]
        .as_str()
        .unwrap()
        .contains("merge_request_event"));
    let script = project_file("ci/gitlab/gate.sh");
    let reports = &job["artifacts"]["reports"];
    for (key, default) in [
        ("codequality", "gl-code-quality-report.json"),
        ("junit", "imprimatur-junit.xml"),
    ] {
        assert_eq!(reports[key].as_str(), Some(default));
        assert!(script.contains(&format!(":-{default}}}")), "{default}");
    }
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"));
    let steps: Vec<&str> = job["before_script"]
        .as_sequence()
        .unwrap()
        .iter()
        .chain(job["script"].as_sequence().unwrap())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(steps.iter().any(|s| s.contains("/ci/gitlab/gate.sh")));
    assert!(steps.iter().any(|s| s.contains("bash .imprimatur/gate.sh")));
}

// ---------------------------------------------------------------------------
// pre-commit

fn hooks() -> Vec<Yaml> {
    yaml(&project_file(".pre-commit-hooks.yaml"))
        .as_sequence()
        .unwrap()
        .clone()
}

#[test]
fn the_readme_pre_commit_block_names_hooks_this_repository_ships() {
    let config = yaml(&readme_block("With pre-commit", "yaml"));
    let repo = &config["repos"][0];
    assert_eq!(repo["repo"].as_str(), Some(env!("CARGO_PKG_REPOSITORY")));
    let ids: Vec<String> = hooks()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    for hook in repo["hooks"].as_sequence().unwrap() {
        let id = hook["id"].as_str().unwrap();
        assert!(ids.iter().any(|i| i == id), "no hook `{id}`");
    }
}

/// Runs a hook as pre-commit does: its entry, plus the staged file names
/// unless `pass_filenames: false`.
fn run_hook(hook: &Yaml, repo: &Repo, files: &[&str]) -> i32 {
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "imprimatur");
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("imprimatur"));
    cmd.args(&entry[1..]).current_dir(repo.path());
    if hook["pass_filenames"].as_bool() != Some(false) {
        cmd.args(files);
    }
    cmd.output().unwrap().status.code().unwrap()
}

#[test]
fn every_pre_commit_hook_blocks_a_staged_error_and_passes_clean_content() {
    for hook in hooks() {
        assert_eq!(hook["language"].as_str(), Some("rust"));
        let repo = repo_with_pack(TEST_PACK);
        repo.write("a.md", "Clean.\n");
        repo.commit_all("init", "Ann", "ann@example.com");
        repo.write("a.md", "Now guaranteed.\n");
        let mut index = repo.git.index().unwrap();
        index.add_path(Path::new("a.md")).unwrap();
        index.write().unwrap();
        assert_eq!(run_hook(&hook, &repo, &["a.md"]), 1, "{hook:?}");
        repo.write("a.md", "Now better.\n");
        let mut index = repo.git.index().unwrap();
        index.add_path(Path::new("a.md")).unwrap();
        index.write().unwrap();
        assert_eq!(run_hook(&hook, &repo, &["a.md"]), 0, "{hook:?}");
    }
}

// ---------------------------------------------------------------------------
// reviewdog

#[cfg(unix)]
#[test]
fn the_readme_reviewdog_pipe_feeds_checkstyle_for_the_changed_files() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo_with_pack(TEST_PACK);
    repo.write("old.md", "Old page, guaranteed.\n");
    let base = repo.commit_all("init", "Ann", "ann@example.com");
    repo.git
        .reference("refs/remotes/origin/main", base, true, "test")
        .unwrap();
    repo.write("new.md", "New page, also guaranteed.\n");
    repo.commit_all("add a page", "Ann", "ann@example.com");
    let tools = tempfile::tempdir().unwrap();
    let fake = tools.path().join("reviewdog");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"$@\" > '{0}/args'\ncat > '{0}/stdin'\n",
            tools.path().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(readme_block("With reviewdog", "sh"))
        .current_dir(repo.path())
        .env("PATH", path_with(&[tools.path(), &bin_dir()]))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = std::fs::read_to_string(tools.path().join("args")).unwrap();
    assert!(args.contains("-f=checkstyle"), "{args}");
    let xml = std::fs::read_to_string(tools.path().join("stdin")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let files: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("file"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(files, ["new.md"], "only the changed file");
    let error = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(error.attribute("source"), Some("claims/guarantee"));
    assert_eq!(
        (error.attribute("line"), error.attribute("column")),
        (Some("1"), Some("16"))
    );
}
