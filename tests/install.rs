//! Installing from release archives: the GitHub Action's install script and
//! the action itself (action.yml's steps run as a runner would), against a
//! local HTTP server on 127.0.0.1 serving fake release archives with their
//! SHA-256 files. The archives hold a small launcher for the binary under
//! test, so "installed" means `imprimatur` runs from the install folder.
#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::http::Server;
use common::release::{executable, publish};
use common::*;
use yaml_serde::Value as Yaml;

use common::release::LINUX_X64;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A runner: its temp folder, home, GITHUB_PATH file, and a `bin` folder of
/// tools; PATH is that folder plus the system's (no cargo, no imprimatur).
struct Runner {
    dir: tempfile::TempDir,
}

impl Runner {
    fn new() -> Runner {
        let runner = Runner {
            dir: tempfile::tempdir().unwrap(),
        };
        for sub in ["home", "temp", "tools"] {
            std::fs::create_dir_all(runner.dir.path().join(sub)).unwrap();
        }
        std::fs::write(runner.github_path(), "").unwrap();
        runner
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn github_path(&self) -> PathBuf {
        self.path("github_path")
    }

    fn install_dir(&self) -> PathBuf {
        self.path("home/.imprimatur/bin")
    }

    /// A fake `cargo` that logs its arguments and, for `install --root R`,
    /// puts a launcher of the binary under test at R/bin/imprimatur.
    fn with_fake_cargo(&self) -> &Runner {
        executable(
            &self.path("tools/cargo"),
            &format!(
                r#"#!/bin/sh
echo "$@" >> '{log}'
root=""
prev=""
for a in "$@"; do [ "$prev" = "--root" ] && root=$a; prev=$a; done
mkdir -p "$root/bin"
printf '#!/bin/sh\nexec %s "$@"\n' '{bin}' > "$root/bin/imprimatur"
chmod +x "$root/bin/imprimatur"
"#,
                log = self.path("cargo.log").display(),
                bin = assert_cmd::cargo::cargo_bin("imprimatur").display()
            ),
        );
        self
    }

    fn cargo_calls(&self) -> String {
        std::fs::read_to_string(self.path("cargo.log")).unwrap_or_default()
    }

    /// PATH of a fresh runner plus what earlier steps added to GITHUB_PATH.
    fn search_path(&self) -> String {
        let added = std::fs::read_to_string(self.github_path()).unwrap();
        let mut parts: Vec<String> = added.lines().rev().map(str::to_string).collect();
        parts.push(self.path("tools").display().to_string());
        parts.push("/usr/bin:/bin".to_string());
        parts.join(":")
    }

    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", self.search_path())
            .env("HOME", self.path("home"))
            .env("RUNNER_TEMP", self.path("temp"))
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("GITHUB_PATH", self.github_path())
            .env("NO_COLOR", "1");
        cmd
    }

    fn install(&self, server: &Server, env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command("bash");
        cmd.arg(manifest_dir().join("ci/github/install.sh"))
            .env("IMPRIMATUR_DOWNLOAD_URL", server.url())
            .env("ACTION_PATH", manifest_dir());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_action_installs_the_release_of_its_tag_after_checking_the_checksum() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, None);
    let runner = Runner::new();
    let out = runner.install(&server, &[("ACTION_REF", "v0.1.0")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        server.requested(),
        [
            "GET /v0.1.0/imprimatur-lint-x86_64-unknown-linux-musl.tar.gz",
            "GET /v0.1.0/imprimatur-lint-x86_64-unknown-linux-musl.tar.gz.sha256"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(runner.github_path())
            .unwrap()
            .trim(),
        runner.install_dir().display().to_string()
    );
    let version = runner
        .command("imprimatur")
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("imprimatur 0."));
    assert!(stderr(&out).contains("installed"), "{}", stderr(&out));
    assert_eq!(runner.cargo_calls(), "", "no build");
}

#[test]
fn the_version_input_picks_the_release_over_the_actions_ref() {
    let server = Server::start();
    publish(&server, "v0.2.0", "aarch64-unknown-linux-musl", None);
    let runner = Runner::new();
    let out = runner.install(
        &server,
        &[
            ("ACTION_REF", "main"),
            ("INPUT_VERSION", "0.2.0"),
            ("RUNNER_ARCH", "ARM64"),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        server.requested()[0],
        "GET /v0.2.0/imprimatur-lint-aarch64-unknown-linux-musl.tar.gz"
    );
    assert!(runner.install_dir().join("imprimatur").is_file());
}

#[test]
fn a_wrong_checksum_refuses_to_install_and_fails() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, Some(&"0".repeat(64)));
    let runner = Runner::new();
    runner.with_fake_cargo();
    let out = runner.install(&server, &[("ACTION_REF", "v0.1.0")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("checksum mismatch for imprimatur-lint-x86_64-unknown-linux-musl.tar.gz"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("refusing to install"));
    assert!(!runner.install_dir().join("imprimatur").exists());
    assert_eq!(
        runner.cargo_calls(),
        "",
        "a mismatch is not papered over with a build"
    );
    assert_eq!(std::fs::read_to_string(runner.github_path()).unwrap(), "");
}

#[test]
fn an_unknown_platform_says_so_and_fails_without_cargo() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, None);
    let runner = Runner::new();
    let out = runner.install(&server, &[("ACTION_REF", "v0.1.0"), ("RUNNER_ARCH", "ARM")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "no release binary for this platform (Linux ARM), and cargo is not installed"
        ),
        "{}",
        stderr(&out)
    );
    assert!(server.requested().is_empty());
}

#[test]
fn the_fallback_builds_the_actions_own_checkout_never_a_crates_io_name() {
    let server = Server::start();
    let runner = Runner::new();
    runner.with_fake_cargo();
    // A branch pin, a major-version tag (no release of that name), an unknown
    // platform, and a tag with no release published.
    for env in [
        vec![("ACTION_REF", "main")],
        vec![("ACTION_REF", "v0")],
        vec![("ACTION_REF", "v0.1.0"), ("RUNNER_OS", "FreeBSD")],
        vec![("ACTION_REF", "v9.9.9")],
    ] {
        let _ = std::fs::remove_dir_all(runner.install_dir());
        let out = runner.install(&server, &env);
        assert!(out.status.success(), "{env:?}: {}", stderr(&out));
        assert!(runner.install_dir().join("imprimatur").is_file());
    }
    let calls = runner.cargo_calls();
    assert_eq!(calls.lines().count(), 4, "{calls}");
    for call in calls.lines() {
        assert!(call.starts_with("install --locked --root "), "{call}");
        assert!(
            call.ends_with(&format!("--path {}", manifest_dir().display())),
            "{call}"
        );
    }
    assert_eq!(
        server.requested(),
        ["GET /v9.9.9/imprimatur-lint-x86_64-unknown-linux-musl.tar.gz"]
    );
}

#[test]
fn a_cached_binary_is_used_without_a_download() {
    let server = Server::start();
    let runner = Runner::new();
    executable(
        &runner.install_dir().join("imprimatur"),
        &format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            assert_cmd::cargo::cargo_bin("imprimatur").display()
        ),
    );
    let out = runner.install(&server, &[("ACTION_REF", "v0.1.0")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("using the cached"),
        "{}",
        stderr(&out)
    );
    assert!(server.requested().is_empty());
    assert!(std::fs::read_to_string(runner.github_path())
        .unwrap()
        .contains(".imprimatur/bin"));
}

// ---------------------------------------------------------------------------
// action.yml, step by step, as a runner runs it

/// Evaluates the `${{ … }}` expressions action.yml's run steps use.
fn expand(value: &str, inputs: &BTreeMap<String, String>, github: &[(&str, String)]) -> String {
    let Some(expr) = value
        .strip_prefix("${{")
        .and_then(|v| v.strip_suffix("}}"))
        .map(str::trim)
    else {
        return value.to_string();
    };
    if let Some(name) = expr.strip_prefix("inputs.") {
        return inputs[name].clone();
    }
    if let Some(name) = expr.strip_prefix("github.") {
        return github
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("github.{name}"));
    }
    panic!("unknown expression {expr}")
}

/// Runs action.yml's `run` steps (the cache step is the runner's) in `repo`
/// with the `with:` values given, the action at this checkout pinned to
/// `action_ref`, downloads from `server`.
fn run_action_yml(
    runner: &Runner,
    server: &Server,
    repo: &Path,
    action_ref: &str,
    with: &[(&str, &str)],
    event: &Path,
) -> Output {
    let action: Yaml =
        yaml_serde::from_str(&std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap())
            .unwrap();
    let mut inputs = BTreeMap::new();
    for (name, spec) in action["inputs"].as_mapping().unwrap() {
        let name = name.as_str().unwrap().to_string();
        inputs.insert(name, spec["default"].as_str().unwrap().to_string());
    }
    for (k, v) in with {
        assert!(inputs.contains_key(*k), "`{k}` is not an input");
        inputs.insert(k.to_string(), v.to_string());
    }
    let github = [
        ("action_path", manifest_dir().display().to_string()),
        ("action_ref", action_ref.to_string()),
        ("token", "test-token".to_string()),
    ];
    let mut last = None;
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        // The one condition action.yml uses: `inputs.NAME != 'VALUE'`.
        if let Some(cond) = step["if"].as_str() {
            let (name, value) = cond.split_once(" != ").expect("a != condition");
            let name = name.trim().strip_prefix("inputs.").unwrap();
            if inputs[name] == value.trim().trim_matches('\'') {
                continue;
            }
        }
        assert_eq!(step["shell"].as_str(), Some("bash"));
        let mut cmd = runner.command("bash");
        cmd.arg("-c")
            .arg(run)
            .current_dir(repo)
            .env("IMPRIMATUR_DOWNLOAD_URL", server.url())
            .env("GITHUB_EVENT_PATH", event)
            .env("GITHUB_REPOSITORY", "acme/site")
            .env("GITHUB_STEP_SUMMARY", runner.path("summary.md"));
        for (k, v) in step["env"].as_mapping().unwrap() {
            cmd.env(
                k.as_str().unwrap(),
                expand(v.as_str().unwrap(), &inputs, &github),
            );
        }
        let out = cmd.output().unwrap();
        if !out.status.success() && last.is_none() && run.contains("install.sh") {
            return out;
        }
        last = Some(out);
    }
    last.expect("a run step")
}

/// A repository with one clean commit and a change adding an error-level
/// claim on one line, and a pull_request event payload for it.
fn pull_request(runner: &Runner) -> (Repo, PathBuf) {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Clean.\n\nAlready guaranteed.\n");
    let base = repo.commit_all("init", "Ann", "ann@example.com");
    repo.write(
        "a.md",
        "Clean, and now guaranteed.\n\nAlready guaranteed.\n",
    );
    repo.commit_all("change", "Ann", "ann@example.com");
    let event = runner.path("event.json");
    let payload = serde_json::json!({"number": 7,
        "pull_request": {"number": 7, "base": {"sha": base.to_string()}}});
    std::fs::write(&event, payload.to_string()).unwrap();
    (repo, event)
}

#[test]
fn the_action_in_check_mode_installs_the_release_and_annotates_changed_lines() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, None);
    let runner = Runner::new();
    let (repo, event) = pull_request(&runner);
    let out = run_action_yml(
        &runner,
        &server,
        repo.path(),
        "v0.1.0",
        &[("mode", "check"), ("changed-lines", "true")],
        &event,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{}", stderr(&out));
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 1, "only the changed line: {stdout}");
    assert!(errors[0].contains("file=a.md,line=1,"), "{}", errors[0]);
    assert_eq!(server.requested().len(), 2, "archive and checksum");
    assert_eq!(runner.cargo_calls(), "");
}

#[test]
fn the_action_passes_fail_level_and_changed_lines_in_both_modes() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, None);
    let runner = Runner::new();
    let repo = repo_with_pack(TEST_PACK);
    repo.write("a.md", "Already guaranteed.\n\nPlain.\n");
    let base = repo.commit_all("init", "Ann", "ann@example.com");
    // The change adds a warning; the error was there before.
    repo.write("a.md", "Already guaranteed.\n\nPlain, on Github.\n");
    repo.commit_all("change", "Ann", "ann@example.com");
    let event = runner.path("event.json");
    let payload = serde_json::json!({"number": 7,
        "pull_request": {"number": 7, "base": {"sha": base.to_string()}}});
    std::fs::write(&event, payload.to_string()).unwrap();
    for mode in ["check", "gate"] {
        for (level, changed_lines, code) in [
            ("warning", "true", 1),
            ("error", "true", 0),
            ("error", "false", 1),
        ] {
            let out = run_action_yml(
                &runner,
                &server,
                repo.path(),
                "v0.1.0",
                &[
                    ("mode", mode),
                    ("fail-level", level),
                    ("changed-lines", changed_lines),
                    ("reviews", "false"),
                ],
                &event,
            );
            assert_eq!(
                out.status.code(),
                Some(code),
                "{mode} {level} {changed_lines}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                stderr(&out)
            );
        }
    }
    // One download: later runs find the binary in the (cached) install folder.
    assert_eq!(server.requested().len(), 2);
    let out = run_action_yml(
        &runner,
        &server,
        repo.path(),
        "v0.1.0",
        &[("mode", "lint")],
        &event,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mode must be gate or check, not `lint`"));
}

#[test]
fn the_action_in_install_mode_puts_imprimatur_on_path_and_runs_nothing() {
    let server = Server::start();
    publish(&server, "v0.1.0", LINUX_X64, None);
    let runner = Runner::new();
    let (repo, event) = pull_request(&runner);
    let out = run_action_yml(
        &runner,
        &server,
        repo.path(),
        "v0.1.0",
        &[("mode", "install")],
        &event,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "no lint output");
    // A later step finds it on PATH.
    let later = runner
        .command("imprimatur")
        .args(["check", "--format", "line"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert_eq!(later.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&later.stdout).contains("a.md:1:"));
}
