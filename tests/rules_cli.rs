//! `imprimatur rules`: the aligned listing, `--explain` for pack rules,
//! packs, built-in ids and rule kinds, and `--export` of a pack that loads unchanged.

mod common;

use common::Repo;

fn stdout(repo: &Repo, args: &[&str]) -> String {
    let out = repo.cmd().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const PAGE: &str = "# Plans\n\nOur uptime is guaranteed and risk-free, the #1 platform.\n\nIt is clinically proven and best-in-class.\n";

#[test]
fn an_exported_builtin_pack_loads_from_a_file_with_the_same_findings() {
    let repo = Repo::new();
    repo.write("a.md", PAGE);
    repo.write("imprimatur.yml", "rules: [builtin:claims]\n");
    let (code, builtin) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 1);
    assert!(builtin["findings"].as_array().unwrap().len() >= 4);

    let exported = stdout(&repo, &["rules", "--export", "builtin:claims"]);
    assert!(
        exported.starts_with("# Exported by imprimatur"),
        "{exported}"
    );
    repo.write("rules/claims.yml", &exported);
    repo.write("imprimatur.yml", "rules: [rules/claims.yml]\n");
    let (code, from_file) = repo.check_json(&["--no-cache"]);
    assert_eq!(code, 1);
    assert_eq!(from_file["findings"], builtin["findings"]);
}

#[test]
fn export_needs_no_config_and_rejects_unknown_packs() {
    let repo = Repo::new();
    let text = stdout(&repo, &["rules", "--export", "brand"]);
    assert!(text.contains("id: brand/github"), "{text}");
    let out = repo
        .cmd()
        .args(["rules", "--export", "builtin:nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown built-in pack `nope`"), "{err}");
    assert!(err.contains("claims, brand, privacy, structure"), "{err}");
}

#[test]
fn explain_knows_every_builtin_id() {
    let repo = Repo::new();
    for id in [
        "imprimatur/approval",
        "imprimatur/unowned",
        "imprimatur/unreadable",
        "imprimatur/front-matter",
        "imprimatur/invalid-front-matter",
        "imprimatur/suppression",
    ] {
        let text = stdout(&repo, &["rules", "--explain", id]);
        assert!(
            text.starts_with(&format!("{id}  (built-in, error)\n\n")),
            "{text}"
        );
        assert!(text.contains("\nMore: "), "{text}");
    }
    let approval = stdout(&repo, &["rules", "--explain", "imprimatur/approval"]);
    for reason in [
        "self-approval",
        "stale",
        "unknown-identity",
        "not-eligible",
        "untrusted-trailer",
    ] {
        assert!(approval.contains(&format!("  {reason} ")), "{reason}");
    }
}

#[test]
fn explain_a_pack_lists_its_rules() {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [builtin:claims, rules/house.yml]\n",
    );
    repo.write(
        "rules/house.yml",
        "rules:\n  - id: house/cloud\n    kind: forbid\n    level: warning\n    description: Say 'platform'. Not cloud.\n    terms: [cloud]\n  - id: house/e-mail\n    kind: substitute\n    level: info\n    swap: {e-mail: email}\n",
    );
    let claims = stdout(&repo, &["rules", "--explain", "claims"]);
    assert!(claims.starts_with("builtin:claims: 9 rules\n"), "{claims}");
    assert!(claims.contains("claims/guarantee"), "{claims}");
    assert_eq!(
        claims,
        stdout(&repo, &["rules", "--explain", "builtin:claims"])
    );
    let one = stdout(&repo, &["rules", "--explain", "house/cloud"]);
    assert!(
        one.starts_with("house/cloud  (forbid, warning)\nfrom: rules/house.yml\n"),
        "{one}"
    );
    let house = stdout(&repo, &["rules", "--explain", "rules/house.yml"]);
    assert_eq!(
        house,
        "rules/house.yml: 2 rules\n\n\
         house/cloud   forbid      warning  Say 'platform'.\n\
         house/e-mail  substitute  info     wrong spellings with their right form; `--fix` rewrites them\n\
         \n`imprimatur rules --explain ID` explains one.\n"
    );
}

#[test]
fn the_listing_is_aligned_with_pack_paths_relative_to_the_project() {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "rules: [rules/house.yml, \"vale:styles/House\"]\n",
    );
    repo.write(
        "rules/house.yml",
        "rules:\n  - id: house/a\n    kind: forbid\n    level: warning\n    terms: [cloud]\n",
    );
    repo.write(
        "styles/House/Titles.yml",
        "extends: capitalization\nmessage: \"'%s' should be in title case\"\nlevel: error\nscope: heading\nmatch: $title\n",
    );
    let text = stdout(&repo, &["rules"]);
    assert_eq!(
        text,
        "House.Titles  capitalization  error    styles/House/Titles.yml\n\
         house/a       forbid          warning  rules/house.yml\n\
         2 rules loaded\n"
    );
}

#[test]
fn explain_an_unknown_name_suggests_the_closest() {
    let repo = Repo::new();
    let out = repo
        .cmd()
        .args(["rules", "--explain", "imprimatur/aproval"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no loaded rule or pack is named `imprimatur/aproval`"),
        "{err}"
    );
    assert!(err.contains("did you mean `imprimatur/approval`?"), "{err}");
}

/// The section of docs/rule-kinds.md (as it is on disk) for `kind`: from
/// its marker to the next one.
fn kind_section(kind: &str) -> String {
    let page = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rule-kinds.md"),
    )
    .unwrap();
    let marker = format!("<!-- kind: {kind} -->\n");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len();
    let rest = &page[start..];
    rest[..rest.find("\n<!-- ").unwrap()].trim().to_string()
}

/// `--explain KIND` prints the kind's section of docs/rule-kinds.md, and the
/// `kind:` line of a rule's explanation is that section's first sentence:
/// the binary and the page say the same.
#[test]
fn explain_kind_prints_its_section_of_the_rule_kinds_page() {
    let repo = Repo::new();
    repo.write("imprimatur.yml", "rules: [builtin:claims, builtin:brand]\n");
    for kind in [
        "forbid",
        "substitute",
        "require",
        "front-matter",
        "links",
        "dates",
        "spelling",
        "metric",
        "vale",
    ] {
        let section = kind_section(kind);
        assert!(section.contains("\n\n"), "{kind}: {section}");
        let text = stdout(&repo, &["rules", "--explain", kind]);
        assert_eq!(
            text,
            format!("{section}\n\nKeys every rule takes, scopes and packs: docs/rule-kinds.md\n"),
            "{kind}"
        );
    }
    let forbid = kind_section("forbid");
    let first = forbid.split("\n\n").nth(1).unwrap().trim_end_matches('.');
    let rule = stdout(&repo, &["rules", "--explain", "claims/guarantee"]);
    assert!(
        rule.contains(&format!(
            "\nkind: {}{}\n",
            first[..1].to_lowercase(),
            &first[1..]
        )),
        "{rule}"
    );

    // A misspelt kind is a located error with a suggestion.
    let out = repo
        .cmd()
        .args(["rules", "--explain", "substitue"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `substitute`?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
