//! Exact spans from the real binary over real files: every scope, multi-byte
//! text, CRLF; nothing from code, comments or URLs.

mod common;
use common::*;

#[test]
fn spans_in_every_scope() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write(
        "page.md",
        "# Guaranteed Github\n\nA guaranteed plan.\n\n- item risk-free\n  - nested Github\n\n| a | b |\n|---|---|\n| x | guaranteed |\n\n> quoted Github\n\nSee [a guaranteed link](x.md).\n",
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        spans(&json),
        vec![
            (1, 3, 1, 13, s("claims/guarantee"), s("Guaranteed")),
            (1, 14, 1, 20, s("brand/github"), s("Github")),
            (3, 3, 3, 13, s("claims/guarantee"), s("guaranteed")),
            (5, 8, 5, 17, s("claims/guarantee"), s("risk-free")),
            (6, 12, 6, 18, s("brand/github"), s("Github")),
            (10, 7, 10, 17, s("claims/guarantee"), s("guaranteed")),
            (12, 10, 12, 16, s("brand/github"), s("Github")),
            (14, 8, 14, 18, s("claims/guarantee"), s("guaranteed")),
        ]
    );
}

#[test]
fn columns_count_characters_after_multibyte_and_emoji() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("page.md", "Café 🚀 naïve — guaranteed 日本語 Github\n");
    let (_, json) = repo.check_json(&[]);
    assert_eq!(
        spans(&json),
        vec![
            (1, 16, 1, 26, s("claims/guarantee"), s("guaranteed")),
            (1, 31, 1, 37, s("brand/github"), s("Github"))
        ]
    );
}

#[test]
fn crlf_files_have_the_same_positions() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("page.md", "---\r\ntitle: Plans\r\n---\r\n# Plans\r\n\r\nFirst line\r\nis guaranteed\r\nGithub too.\r\n");
    let (_, json) = repo.check_json(&[]);
    assert_eq!(
        spans(&json),
        vec![
            (7, 4, 7, 14, s("claims/guarantee"), s("guaranteed")),
            (8, 1, 8, 7, s("brand/github"), s("Github"))
        ]
    );
}

/// (The text between HTML tags is prose: see tests/evasion.rs.)
#[test]
fn nothing_from_code_comments_html_or_urls() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write(
        "page.md",
        "Use `guaranteed` inline.\n\n```\nguaranteed Github\n```\n\n    indented guaranteed\n\n<!-- guaranteed Github -->\n\n<div title=\"guaranteed\"></div>\n\nVisit https://Github.com/guaranteed and <https://Github.com/x>.\n\n[text](https://github.com/guaranteed)\n",
    );
    let (code, json) = repo.check_json(&[]);
    assert_eq!(spans(&json), vec![], "{json:#}");
    assert_eq!(code, 0);
}

#[test]
fn exceptions_and_unless_with_footnotes() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write(
        "page.md",
        "Our money-back guarantee is simple.\n\nWe are the #1 platform.[^1] We are market-leading.\n\nWe are market-leading.\n\n[^1]: Analyst report, 2025.\n",
    );
    let (_, json) = repo.check_json(&[]);
    // The footnote substantiates only its own sentence.
    assert_eq!(
        spans(&json),
        vec![
            (3, 36, 3, 50, s("claims/number-one"), s("market-leading")),
            (5, 8, 5, 22, s("claims/number-one"), s("market-leading"))
        ]
    );
}

#[test]
fn entity_and_emphasis_inside_a_term() {
    let repo = repo_with_pack(TEST_PACK);
    repo.write("page.md", "Fish &amp; chips, **Git**hub and Github.\n");
    let (_, json) = repo.check_json(&[]);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    // Across markup: the span covers the source, but no fix can be proven.
    assert_eq!(findings[0]["found"], "Github");
    assert_eq!(
        (
            findings[0]["column"].as_u64(),
            findings[0]["end_column"].as_u64()
        ),
        (Some(21), Some(29))
    );
    assert!(findings[0]["fix"].is_null());
    assert_eq!(findings[1]["fix"]["replacement"], "GitHub");
}
