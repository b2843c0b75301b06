//! The report's quality columns: spelling findings and the Flesch–Kincaid
//! grade per page, per owner and overall, in JSON, Markdown and HTML.

mod common;

use common::Repo;
use serde_json::Value;

fn report(repo: &Repo, format: &str) -> String {
    let out = repo
        .cmd()
        .args(["report", "--format", format, "--today", "2026-03-01"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Two owners: docs/ has an easy page with two misspelled heading words,
/// blog/ a hard page spelled right.
fn project(with_spelling: bool) -> Repo {
    let repo = Repo::new();
    let rules = if with_spelling {
        "rules: [rules/quality.yml]\n"
    } else {
        "rules: []\n"
    };
    repo.write(
        "imprimatur.yml",
        format!("content:\n  include: [\"**/*.md\"]\n{rules}"),
    );
    repo.write(
        "rules/quality.yml",
        "rules:\n  - id: quality/spelling\n    kind: spelling\n    level: warning\n",
    );
    repo.write(
        ".github/CODEOWNERS",
        "/docs/ @acme/docs\n/blog/ @acme/blog\n",
    );
    // Paragraph: 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45.
    repo.write(
        "docs/easy.md",
        "# Teh recieve notes\n\nThe cat sat on the mat.\n",
    );
    repo.write(
        "blog/hard.md",
        "# Plans\n\nOrganizational considerations necessitate comprehensive documentation.\n",
    );
    repo.commit_all("pages", "Carol", "carol@acme.example");
    repo
}

fn owner<'a>(json: &'a Value, name: &str) -> &'a Value {
    json["ownership"]["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["owner"] == name)
        .unwrap_or_else(|| panic!("no owner {name}: {json}"))
}

#[test]
fn spelling_and_readability_per_page_owner_and_overall() {
    let repo = project(true);
    let json: Value = serde_json::from_str(&report(&repo, "json")).unwrap();

    assert_eq!(json["content"]["spelling"], 2, "{}", json["content"]);
    let docs = owner(&json, "@acme/docs");
    assert_eq!(docs["spelling"], 2);
    assert_eq!(docs["readability_grade"], -1.45);
    let blog = owner(&json, "@acme/blog");
    assert_eq!(blog["spelling"], 0);
    let hard = blog["readability_grade"].as_f64().unwrap();
    assert!(hard > 12.0, "{hard}");
    // All the prose together lies between its pages.
    let overall = json["content"]["readability_grade"].as_f64().unwrap();
    assert!(-1.45 < overall && overall < hard, "{overall}");

    // Hardest first, every page with prose.
    let hardest: Vec<(&str, f64, u64)> = json["hardest_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap(),
                r["readability_grade"].as_f64().unwrap(),
                r["spelling"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hardest,
        [("blog/hard.md", hard, 0), ("docs/easy.md", -1.45, 2)]
    );
    // The pages with findings carry the same columns.
    let top = &json["top_files"][0];
    assert_eq!(
        (&top["path"], &top["spelling"], &top["readability_grade"]),
        (
            &Value::from("docs/easy.md"),
            &Value::from(2),
            &Value::from(-1.45)
        )
    );

    let md = report(&repo, "markdown");
    assert!(
        md.contains(
            "| Owner | Pages | Words | Findings | Per 1,000 words | Stale | Spelling | Readability grade |"
        ),
        "{md}"
    );
    assert!(md.contains("| `@acme/docs` | 1 | 9 | 2 |"), "{md}");
    assert!(md.contains("| 2 | -1.4 |"), "{md}");
    assert!(md.contains("## Pages hardest to read"), "{md}");
    assert!(
        md.contains("| `blog/hard.md` | 0 | 0 | 0 | 0 | 6 | 0.0 | 0 |"),
        "{md}"
    );

    let html = report(&repo, "html");
    assert!(html.contains("<section id=\"hardest-pages\">"), "{html}");
    assert!(
        html.contains("<th scope=\"col\" class=\"num\">Spelling</th><th scope=\"col\" class=\"num\">Readability grade</th>"),
        "{html}"
    );
    assert!(
        html.contains("<td><a href=\"docs/easy.md\"><code>docs/easy.md</code></a></td>"),
        "{html}"
    );
}

#[test]
fn no_spelling_column_without_spelling_findings() {
    let repo = project(false);
    let json: Value = serde_json::from_str(&report(&repo, "json")).unwrap();
    assert_eq!(json["content"]["spelling"], 0);
    assert_eq!(owner(&json, "@acme/docs")["readability_grade"], -1.45);
    let md = report(&repo, "markdown");
    assert!(!md.contains("Spelling"), "{md}");
    assert!(md.contains("Readability grade"), "{md}");
}
