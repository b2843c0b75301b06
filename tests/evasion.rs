//! Matching sees what a reader sees: characters that render as nothing do
//! not split a word, a word mixing scripts is read as its confusable
//! skeleton, and the text of raw HTML is prose. Each document here hides a
//! forbidden term from a plain byte match; the real binary must still report
//! it, with a span over the exact source bytes, and fix only what it can
//! prove.

mod common;
use common::*;
use serde_json::Value;

const PACK: &str = r##"rules:
  - id: claims/guarantee
    kind: forbid
    level: error
    terms: [guaranteed]
  - id: claims/money-back
    kind: forbid
    level: warning
    terms: [guarantee]
    exceptions: ["money-back guarantee"]
  - id: brand/github
    kind: substitute
    level: warning
    swap: {Github: GitHub}
"##;

/// (rule, found, source bytes under the span, fix replacement) per finding.
fn findings(repo: &Repo, page: &str) -> Vec<(String, String, String, Option<String>)> {
    let (code, json) = repo.check_json(&[page]);
    assert!(code == 0 || code == 1, "exit {code}: {json}");
    let source = std::fs::read(repo.path().join(page)).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let (start, end) = byte_range(&source, f);
            (
                f["rule"].as_str().unwrap().to_string(),
                f["found"].as_str().unwrap().to_string(),
                String::from_utf8(source[start..end].to_vec()).unwrap(),
                f["fix"]["replacement"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// The byte range of a finding from its 1-based line and column (columns
/// count characters).
fn byte_range(source: &[u8], f: &Value) -> (usize, usize) {
    let text = std::str::from_utf8(source).unwrap();
    let at = |line: u64, column: u64| -> usize {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line as usize - 1)
            .map(str::len)
            .sum();
        let rest = &text[line_start..];
        line_start
            + rest
                .char_indices()
                .nth(column as usize - 1)
                .map_or(rest.len(), |(i, _)| i)
    };
    (
        at(f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()),
        at(
            f["end_line"].as_u64().unwrap(),
            f["end_column"].as_u64().unwrap(),
        ),
    )
}

fn one(
    rule: &str,
    found: &str,
    source: &str,
    fix: Option<&str>,
) -> (String, String, String, Option<String>) {
    (s(rule), s(found), s(source), fix.map(s))
}

#[test]
fn invisible_characters_do_not_split_a_word() {
    let repo = repo_with_pack(PACK);
    for (name, hidden) in [
        ("soft hyphen", "\u{ad}"),
        ("zero-width space", "\u{200b}"),
        ("zero-width non-joiner", "\u{200c}"),
        ("zero-width joiner", "\u{200d}"),
        ("word joiner", "\u{2060}"),
        ("byte order mark", "\u{feff}"),
    ] {
        let word = format!("guaran{hidden}teed");
        repo.write("page.md", format!("A {word} plan.\n"));
        assert_eq!(
            findings(&repo, "page.md"),
            vec![one("claims/guarantee", "guaranteed", &word, None)],
            "{name}"
        );
    }
}

#[test]
fn soft_hyphen_entity_does_not_split_a_word() {
    let repo = repo_with_pack(PACK);
    repo.write("page.md", "A guaran&shy;teed plan, gu&shy;ar&shy;anteed.\n");
    assert_eq!(
        findings(&repo, "page.md"),
        vec![
            one("claims/guarantee", "guaranteed", "guaran&shy;teed", None),
            one(
                "claims/guarantee",
                "guaranteed",
                "gu&shy;ar&shy;anteed",
                None
            ),
        ]
    );
}

#[test]
fn a_hidden_character_blocks_the_fix_but_not_the_finding() {
    let repo = repo_with_pack(PACK);
    repo.write("page.md", "Use Git\u{200b}hub and Github.\n");
    assert_eq!(
        findings(&repo, "page.md"),
        vec![
            one("brand/github", "Github", "Git\u{200b}hub", None),
            one("brand/github", "Github", "Github", Some("GitHub")),
        ]
    );
    repo.cmd()
        .args(["check", "--fix", "page.md"])
        .output()
        .unwrap();
    assert_eq!(repo.read("page.md"), "Use Git\u{200b}hub and GitHub.\n");
}

#[test]
fn a_word_mixing_scripts_is_read_as_its_skeleton() {
    let repo = repo_with_pack(PACK);
    // Cyrillic е (U+0435) and і (U+0456) among Latin letters.
    repo.write(
        "page.md",
        "A guarant\u{435}ed plan on G\u{456}thub.\n\nAn all-Cyrillic word stays itself: \u{441}\u{43e}\u{440}\u{443}.\n",
    );
    assert_eq!(
        findings(&repo, "page.md"),
        vec![
            one(
                "claims/guarantee",
                "guarant\u{435}ed",
                "guarant\u{435}ed",
                None
            ),
            one(
                "brand/github",
                "G\u{456}thub",
                "G\u{456}thub",
                Some("GitHub")
            ),
        ]
    );
    repo.cmd()
        .args(["check", "--fix", "page.md"])
        .output()
        .unwrap();
    assert!(repo.read("page.md").contains("plan on GitHub."));
}

#[test]
fn exceptions_stay_exact() {
    let repo = repo_with_pack(PACK);
    // The exception is written in Latin letters only: a confusable spelling
    // of it is no exception, while the term inside it is still found.
    repo.write(
        "page.md",
        "A money-back guarantee.\n\nA money-back guarant\u{435}e.\n",
    );
    assert_eq!(
        findings(&repo, "page.md"),
        vec![one(
            "claims/money-back",
            "guarant\u{435}e",
            "guarant\u{435}e",
            None
        )]
    );
}

#[test]
fn text_of_raw_html_blocks_is_prose() {
    let repo = repo_with_pack(PACK);
    repo.write(
        "page.md",
        "<p>This plan is guaranteed.</p>\n\n<div>\nA <b>guar</b>anteed <i>Github</i> plan\n</div>\n\n<p>guaran&shy;teed</p>\n",
    );
    assert_eq!(
        findings(&repo, "page.md"),
        vec![
            one("claims/guarantee", "guaranteed", "guaranteed", None),
            one("claims/guarantee", "guaranteed", "guar</b>anteed", None),
            one("brand/github", "Github", "Github", Some("GitHub")),
            one("claims/guarantee", "guaranteed", "guaran&shy;teed", None),
        ]
    );
}

#[test]
fn inline_html_standing_as_a_block_is_prose() {
    let repo = repo_with_pack(PACK);
    // `<span>` alone on a line opens an HTML block (CommonMark type 7).
    repo.write("page.md", "Intro.\n\n<span>\nguaranteed\n</span>\n");
    assert_eq!(
        findings(&repo, "page.md"),
        vec![one("claims/guarantee", "guaranteed", "guaranteed", None)]
    );
}

#[test]
fn tags_attributes_comments_and_scripts_are_not_prose() {
    let repo = repo_with_pack(PACK);
    repo.write(
        "page.md",
        "<p title=\"guaranteed\" data-x='Github'>ok</p>\n\n<div>\n<!-- guaranteed -->\n<script>var guaranteed = 1;</script>\n<style>.guaranteed {}</style>\n<pre>guaranteed</pre>\n<code>Github</code>\n</div>\n\n<guaranteed>\n",
    );
    assert_eq!(findings(&repo, "page.md"), vec![]);
}

#[test]
fn block_level_tags_separate_words() {
    let repo = repo_with_pack(PACK);
    // A reader sees "guaran" and "teed" on separate lines.
    repo.write(
        "page.md",
        "<div>\nguaran<br>teed <p>guaran</p><p>teed</p>\n</div>\n",
    );
    assert_eq!(findings(&repo, "page.md"), vec![]);
}
