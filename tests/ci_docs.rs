//! The CI blocks of docs/ci.md ("In GitHub Actions", "In GitLab CI", "With
//! pre-commit", "With reviewdog") and of every other page (the README, the
//! report's and sharding's examples in docs/) are what users paste: each
//! is checked against the files it relies on (action.yml, the GitLab
//! templates, the pre-commit hooks), or run; every one that runs imprimatur
//! installs it, and every pin names this version.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use yaml_serde::Value as Yaml;

fn project_file(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(text: &str) -> Yaml {
    yaml_serde::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

const CI_DOC: &str = include_str!("../docs/ci.md");

/// The README and every page under docs/, read from disk so that a new page
/// is covered without a change here.
fn every_page() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = vec![root.join("README.md")];
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    pages
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

/// Every ```LANG block of `text`, in order.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(&fence) {
        let open = at + fence.len();
        let close = open + rest[open..].find("```").unwrap();
        found.push(rest[open..close].to_string());
        rest = &rest[close + 3..];
    }
    found
}

/// The ```LANG blocks under the docs/ci.md heading `## SECTION`.
fn ci_blocks(section: &str, lang: &str) -> Vec<String> {
    let heading = format!("\n## {section}\n");
    let start = CI_DOC
        .find(&heading)
        .unwrap_or_else(|| panic!("no section {section}"));
    let section_text = &CI_DOC[start + heading.len()..];
    let section_text = &section_text[..section_text.find("\n## ").unwrap_or(section_text.len())];
    blocks(section_text, lang)
}

/// The first ```LANG block under the docs/ci.md heading `## SECTION`.
fn ci_block(section: &str, lang: &str) -> String {
    ci_blocks(section, lang)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {lang} block in {section}"))
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
fn the_docs_workflow_uses_only_the_actions_inputs() {
    let workflow = yaml(&ci_block("In GitHub Actions", "yaml"));
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
fn the_docs_input_table_lists_every_input_with_its_default() {
    let readme = CI_DOC;
    let action = action();
    let inputs = action["inputs"].as_mapping().unwrap();
    for (name, input) in inputs {
        let name = name.as_str().unwrap();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("no docs/ci.md row for input `{name}`"));
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
fn the_docs_gitlab_blocks_include_this_version_and_set_real_inputs() {
    let version = env!("CARGO_PKG_VERSION");
    let blocks = ci_blocks("In GitLab CI", "yaml");
    assert_eq!(blocks.len(), 2, "the component and the include form");

    let component = yaml(&blocks[0]);
    let include = &component["include"][0];
    assert_eq!(
        include["component"].as_str(),
        Some(format!("gitlab.com/imprimatur/imprimatur/imprimatur@{version}").as_str())
    );
    let template = project_file("templates/imprimatur/template.yml");
    let spec = yaml(template.split("\n---\n").next().unwrap());
    let inputs = keys(&spec["spec"]["inputs"]);
    for key in keys(&include["inputs"]) {
        assert!(
            inputs.contains(&key),
            "`{key}` is not an input of the component"
        );
    }
    for input in &inputs {
        assert!(
            CI_DOC.contains(&format!("| `{input}` |")),
            "no docs row for component input {input}"
        );
    }

    let block = yaml(&blocks[1]);
    let remote = block["include"][0]["remote"].as_str().unwrap();
    let template_path = "ci/gitlab/imprimatur.gitlab-ci.yml";
    assert!(
        remote.ends_with(&format!("/v{version}/{template_path}")),
        "{remote}"
    );
    let template = yaml(&project_file(template_path));
    let template_vars = keys(&template["variables"]);
    let script = project_file("ci/gitlab/gate.sh");
    for var in keys(&block["variables"]) {
        assert!(
            template_vars.contains(&var) || script.contains(&var),
            "{var} is read by neither the template nor its script"
        );
    }
    assert_eq!(
        block["variables"]["IMPRIMATUR_VERSION"].as_str(),
        Some(version)
    );
}

#[test]
fn the_gitlab_template_installs_then_runs_the_script_and_uploads_what_it_writes() {
    let template = yaml(&project_file("ci/gitlab/imprimatur.gitlab-ci.yml"));
    let job = &template["imprimatur-gate"];
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
    assert!(steps
        .iter()
        .any(|s| s.contains("bash .imprimatur/install.sh")));
    assert_eq!(steps.last(), Some(&"bash .imprimatur/gate.sh"));
    // The script is inlined, not fetched at run time.
    assert!(!steps
        .iter()
        .any(|s| s.contains("raw.githubusercontent.com")));
    assert!(steps[0].contains("cat > .imprimatur/gate.sh <<'IMPRIMATUR_GATE_SH'"));
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
fn the_docs_pre_commit_block_names_hooks_this_repository_ships() {
    let config = yaml(&ci_block("With pre-commit", "yaml"));
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

/// The mirror (`language: python`, on the wheel) has the main hooks' ids,
/// entries and file filters, and pins the wheel of this version; the docs'
/// mirror and local-hook blocks pin the same.
#[test]
fn the_pre_commit_mirror_matches_the_hooks_and_pins_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let mirror: Vec<Yaml> = yaml(&project_file("ci/pre-commit-mirror/.pre-commit-hooks.yaml"))
        .as_sequence()
        .unwrap()
        .clone();
    let main = hooks();
    assert_eq!(mirror.len(), main.len());
    for (m, h) in mirror.iter().zip(&main) {
        assert_eq!(m["language"].as_str(), Some("python"));
        for key in keys(h).iter().filter(|k| *k != "language") {
            assert_eq!(m[key.as_str()], h[key.as_str()], "{key}");
        }
    }
    let pyproject = project_file("ci/pre-commit-mirror/pyproject.toml");
    assert!(pyproject.contains(&format!("version = \"{version}\"")));
    assert!(pyproject.contains(&format!("\"imprimatur-lint=={version}\"")));

    let blocks = ci_blocks("With pre-commit", "yaml");
    assert_eq!(blocks.len(), 3);
    let main_repo = yaml(&blocks[0]);
    assert_eq!(
        main_repo["repos"][0]["rev"].as_str(),
        Some(format!("v{version}").as_str())
    );
    let mirror_repo = yaml(&blocks[1]);
    assert_eq!(
        mirror_repo["repos"][0]["repo"].as_str(),
        Some("https://github.com/imprimatur/imprimatur-pre-commit")
    );
    assert_eq!(
        mirror_repo["repos"][0]["rev"].as_str(),
        Some(format!("v{version}").as_str())
    );
    let local = yaml(&blocks[2]);
    let hook = &local["repos"][0]["hooks"][0];
    assert_eq!(hook["language"].as_str(), Some("python"));
    assert_eq!(hook["entry"], main[0]["entry"]);
    assert_eq!(hook["types_or"], main[0]["types_or"]);
    assert_eq!(
        hook["additional_dependencies"][0].as_str(),
        Some(format!("imprimatur-lint=={version}").as_str())
    );
}

#[test]
fn the_hooks_take_mdx_files_too() {
    for hook in hooks() {
        if let Some(types) = hook["types_or"].as_sequence() {
            let types: Vec<&str> = types.iter().map(|t| t.as_str().unwrap()).collect();
            assert_eq!(types, ["markdown", "mdx"]);
        }
    }
}

/// Every YAML snippet in the README and docs/ that runs `imprimatur`
/// installs it first (with the action), and every pin names this version.
#[test]
fn every_ci_snippet_installs_imprimatur_and_pins_this_version() {
    let pin = format!("imprimatur/imprimatur@v{}", env!("CARGO_PKG_VERSION"));
    let mut runs = 0;
    let pages = every_page();
    assert!(
        pages.iter().any(|(p, _)| p.ends_with("docs/ci.md")),
        "{pages:?}"
    );
    for block in pages.iter().flat_map(|(_, text)| blocks(text, "yaml")) {
        let block = &block;
        for line in block
            .lines()
            .filter(|l| l.contains("uses: imprimatur/imprimatur@"))
        {
            assert!(line.contains(&pin), "{line}");
        }
        let runs_it = block
            .lines()
            .any(|l| l.trim_start().starts_with("imprimatur ") || l.contains("run: imprimatur "));
        if runs_it {
            runs += 1;
            let install = block
                .find(&pin)
                .unwrap_or_else(|| panic!("no install step:\n{block}"));
            let first_run = block
                .lines()
                .find(|l| {
                    l.trim_start().starts_with("imprimatur ") || l.contains("run: imprimatur ")
                })
                .unwrap();
            assert!(
                install < block.find(first_run).unwrap(),
                "install after use:\n{block}"
            );
        }
    }
    assert!(runs >= 3, "the report, sharding and reviewdog snippets");
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
fn the_docs_reviewdog_pipe_feeds_checkstyle_for_the_changed_files() {
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
        .arg(ci_block("With reviewdog", "sh"))
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
