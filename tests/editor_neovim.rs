//! A real editor: headless Neovim (Debian's 0.7) starts `imprimatur lsp`
//! through its own LSP client, opens a page and writes the diagnostics it
//! shows (tests/editors/neovim.lua); they must be the findings of `check`.
//! Without Neovim the test fails, unless IMPRIMATUR_SKIP_EDITOR_TESTS=1.

mod common;

use std::process::Command;

use common::Repo;

fn neovim() -> Option<String> {
    let found = Command::new("nvim")
        .args(["--headless", "--version"])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    Some(
        String::from_utf8_lossy(&found.stdout)
            .lines()
            .next()?
            .to_string(),
    )
}

#[test]
fn neovim_shows_the_findings_of_check_and_applies_a_fix() {
    if neovim().is_none() {
        if std::env::var("IMPRIMATUR_SKIP_EDITOR_TESTS").as_deref() == Ok("1") {
            eprintln!("skipped: Neovim is not installed and IMPRIMATUR_SKIP_EDITOR_TESTS=1");
            return;
        }
        panic!(
            "Neovim (`nvim`) is not installed: `apt-get install neovim` (.ci/run does), \
             or set IMPRIMATUR_SKIP_EDITOR_TESTS=1 to skip editor tests"
        );
    }
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [rules/test.yml]\nsuppressions: {require_reason: true}\n",
    );
    repo.write("rules/test.yml", common::TEST_PACK);
    // An emoji before the findings: Neovim speaks UTF-16 to the server.
    let page = repo.write(
        "docs/page.md",
        "# Plans\n\nOur 😀 Github plan is guaranteed.\n\n- Javascript is risk-free\n",
    );
    let out = repo.path().join("neovim-diagnostics.txt");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/neovim.lua");
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-u", "NONE", "-S"])
        .arg(&script)
        .current_dir(repo.path())
        .env("IMPRIMATUR_BIN", assert_cmd::cargo::cargo_bin("imprimatur"))
        .env("IMPRIMATUR_ROOT", repo.path())
        .env("IMPRIMATUR_PAGE", &page)
        .env("IMPRIMATUR_OUT", &out)
        .status()
        .expect("nvim runs");
    assert!(status.success());
    let shown = std::fs::read_to_string(&out).expect("the script wrote its output");

    let check = repo
        .cmd()
        .args(["check", "--format", "line", "--no-cache"])
        .output()
        .unwrap();
    let mut expected: Vec<String> = String::from_utf8(check.stdout)
        .unwrap()
        .lines()
        .map(|l| l.strip_prefix("docs/page.md:").unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 4, "{expected:?}");
    expected.sort();
    expected.push("fixed: Replace 'Github' with 'GitHub'".into());
    expected.push("line: Our 😀 GitHub plan is guaranteed.".into());
    let shown: Vec<&str> = shown.lines().collect();
    assert_eq!(shown, expected);
}
