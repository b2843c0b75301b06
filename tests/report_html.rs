//! End to end: the HTML report of the example site, rendered by headless
//! Chromium. The page must load without a console message (no script error,
//! no failed request: every host name fails to resolve), show its charts and
//! tables, fit a phone's width without sideways scrolling, and print.
//!
//! Chromium is `$CHROMIUM`, else `chromium` on the PATH (`apt-get install -y
//! chromium`; `.ci/run` installs it). Without it the test fails, unless
//! `IMPRIMATUR_SKIP_CHROMIUM=1`, when it prints SKIPPED and passes.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{acme_repo, Repo};

/// The Chromium binary: `$CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("chromium"))
        .find(|p| p.is_file())
}

/// Prints past the test harness's capture, so a skip is seen in `cargo test`.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Runs headless Chromium on `page` with `args`; returns (stdout, stderr).
fn run_chromium(chromium: &Path, profile: &Path, args: &[&str], page: &Path) -> (String, String) {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Any request for a host fails (and would show as a console error).
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Console messages Chromium logged (`--enable-logging=stderr --v=0`).
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// The example site in a repository with two dated commits and an approval.
fn site() -> Repo {
    let repo = acme_repo();
    let careers = repo.path().join("content/careers.md");
    let text = std::fs::read_to_string(&careers).unwrap();
    std::fs::remove_file(&careers).unwrap();
    commit_at(
        &repo,
        "2026-11-09",
        "Site\n\nApproved-by: Alice Ng <alice@acme.example>\n",
    );
    std::fs::write(&careers, text).unwrap();
    commit_at(&repo, "2026-11-23", "Careers");
    repo
}

fn commit_at(repo: &Repo, date: &str, message: &str) {
    let day = imprimatur::calendar::parse_days(date).unwrap();
    let mut index = repo.git.index().unwrap();
    index
        .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.git.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::new(
        "Carol Diaz",
        "carol@acme.example",
        &git2::Time::new(day * 86_400 + 43_200, 0),
    )
    .unwrap();
    let parent = repo.git.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    repo.git
        .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
        .unwrap();
}

#[test]
fn html_report_renders_in_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var_os("IMPRIMATUR_SKIP_CHROMIUM").is_some() {
            say("SKIPPED html_report_renders_in_chromium: chromium is not installed (apt-get install -y chromium)");
            return;
        }
        panic!(
            "chromium is not installed (apt-get install -y chromium, or name it in $CHROMIUM; \
             .ci/run installs it; set IMPRIMATUR_SKIP_CHROMIUM=1 to skip)"
        );
    };
    let repo = site();
    repo.cmd()
        .args(["report", "--format", "html", "--out", "report.html"])
        .args(["--today", "2026-11-30", "--since", "4w"])
        .assert()
        .success();
    let html = repo.read("report.html");
    // Self-contained: nothing is fetched, nothing runs.
    for outside in [
        "<script", "<link", " src=", "url(", "@import", "http://", "https://",
    ] {
        assert!(!html.contains(outside), "the report contains `{outside}`");
    }
    let page = repo.path().join("report.html");
    let profile = tempfile::tempdir().unwrap();

    // The console check is only worth something if it sees an error: a
    // page with one must show it.
    let control = repo.path().join("control.html");
    std::fs::write(
        &control,
        "<!doctype html><p>x</p><script>console.error('control'); missing();</script>",
    )
    .unwrap();
    let (_, stderr) = run_chromium(
        &chromium,
        profile.path(),
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &control,
    );
    assert_eq!(console_lines(&stderr).len(), 2, "{stderr}");

    let (dom, stderr) = run_chromium(
        &chromium,
        profile.path(),
        &["--enable-logging=stderr", "--v=0", "--dump-dom"],
        &page,
    );
    assert_eq!(console_lines(&stderr), Vec::<&str>::new());
    // Charts: two trend lines, bars by owning team, age, rule, team's
    // findings, policy, and — the site has pages owned by people — pages and
    // findings owned by individuals.
    assert_eq!(dom.matches("<svg class=\"chart line\"").count(), 2, "{dom}");
    assert_eq!(dom.matches("<svg class=\"chart bars\"").count(), 7, "{dom}");
    assert!(dom.contains("Pages owned by individuals"), "{dom}");
    assert!(dom.contains("<polyline"));
    for caption in [
        "The numbers behind the trend",
        "By owner",
        "Pages by age",
        "Oldest pages",
        "By rule",
        "Worst pages",
        "By reason",
        "By policy",
        "By approver",
    ] {
        assert!(
            dom.contains(&format!("<caption>{caption}</caption>")),
            "no table `{caption}`"
        );
    }
    assert!(dom.contains("<a href=\"content/careers.md\"><code>content/careers.md</code></a>"));

    // On a phone: a 375-pixel frame, measured by a script in a page around it
    // (the report itself has none).
    let harness = repo.path().join("harness.html");
    std::fs::write(
        &harness,
        r#"<!doctype html><iframe id="f" src="report.html" style="width:375px;height:700px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
window.addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  const charts = [...d.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect());
  document.getElementById('result').textContent = JSON.stringify({
    overflow: d.documentElement.scrollWidth - d.documentElement.clientWidth,
    width: d.documentElement.clientWidth,
    charts: charts.length,
    widest: Math.max(...charts.map(r => r.right)),
    empty: charts.filter(r => r.width < 100 || r.height < 25).length,
    sizes: charts.map(r => [Math.round(r.width), Math.round(r.height)]),
  });
});
</script>"#,
    )
    .unwrap();
    let (dom, _) = run_chromium(
        &chromium,
        profile.path(),
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
        ],
        &harness,
    );
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .expect("the harness wrote its result");
    let measured: serde_json::Value = serde_json::from_str(result).expect(result);
    assert_eq!(
        measured["overflow"], 0,
        "sideways scrolling on a phone: {measured}"
    );
    // Nine charts: the two trend lines and seven bar charts (above). A bar
    // chart of one row (an individual owner) is 35 px tall on a phone, one
    // with no rows under 10: "empty" means under 25 px.
    assert_eq!(measured["charts"], 9, "{measured}");
    assert_eq!(measured["empty"], 0, "{measured}");
    assert!(
        measured["widest"].as_f64().unwrap() <= measured["width"].as_f64().unwrap(),
        "a chart is wider than the screen: {measured}"
    );

    // Printing gives a PDF.
    let pdf = repo.path().join("report.pdf");
    run_chromium(
        &chromium,
        profile.path(),
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &page,
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 10_000,
        "{} bytes",
        bytes.len()
    );
}
