//! The gate as an adversarial writer meets it: approvals bound to the
//! content they saw, every changed path judged, governance that cannot be
//! sidestepped, identities that cannot be borrowed. Each test is an attack
//! that got through an earlier gate, built in a real repository with the real
//! `git` (merges, several authors and committers) and run through the binary.

mod common;
use common::Repo;
use serde_json::{json, Value};
use std::process::Command;

const PEOPLE: &str = r#"
people:
  alice: {name: Alice Ng, emails: [alice@acme.example], handles: [alice-ng]}
  bob: {name: Bob Kim, emails: [bob@acme.example], handles: [bobk]}
  carol: {name: Carol Diaz, emails: [carol@acme.example], handles: [carold]}
teams:
  "@acme/legal": [alice]
  "@acme/content-ops": [carol]
  "@acme/marketing": [bob]
"#;

const PACK: &str = "rules:\n  - id: claims/guarantee\n    kind: forbid\n    level: error\n    terms: [guaranteed]\n  - id: legal/disclaimer\n    kind: require\n    level: error\n    when: 'projected returns?'\n    then: 'Past performance is no guarantee'\n";
const CODEOWNERS: &str = "/content/ @acme/marketing\n/content/legal/ @acme/legal\n";

type Who = (&'static str, &'static str);
const ALICE: Who = ("Alice Ng", "alice@acme.example");
const BOB: Who = ("Bob Kim", "bob@acme.example");
const CAROL: Who = ("Carol Diaz", "carol@acme.example");

fn config_with(trust: &str, rules: &str, extra: &str) -> String {
    format!(
        "rules: [{rules}]\n{PEOPLE}owners: {{required: true}}\napprovals:\n  trailer_trust: {trust}\n  governance: [\"@acme/content-ops\"]\n  policies:\n    - name: legal-signoff\n      paths: [\"content/legal/**\"]\n      require: 1\n      from: [\"@acme/legal\"]\n{extra}"
    )
}

/// Runs the real git in the repository as `author`, committed by `committer`.
fn git_as(repo: &Repo, author: Who, committer: Who, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(repo.path())
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", committer.0)
        .env("GIT_COMMITTER_EMAIL", committer.1)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn git(repo: &Repo, who: Who, args: &[&str]) -> String {
    git_as(repo, who, who, args)
}

/// Stages everything (deletions too) and commits as `who`.
fn commit(repo: &Repo, who: Who, message: &str) {
    git(repo, who, &["add", "-A"]);
    git(repo, who, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// A repository whose `main` holds the policy and some content; HEAD is the
/// branch `change`, starting at `main`.
fn setup(trust: &str) -> Repo {
    setup_with(&config_with(trust, "rules/", ""))
}

fn setup_with(config: &str) -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", config);
    repo.write("rules/acme.yml", PACK);
    repo.write(".github/CODEOWNERS", CODEOWNERS);
    repo.write("content/legal/terms.md", "# Terms\n\nPlain terms.\n");
    repo.write("content/blog/post.md", "# Post\n\nA post.\n");
    commit(&repo, CAROL, "initial");
    git(&repo, CAROL, &["branch", "-M", "main"]);
    git(&repo, CAROL, &["checkout", "-q", "-b", "change"]);
    repo
}

fn run_gate(repo: &Repo, extra: &[&str]) -> (i32, Value) {
    repo.gate_json(extra)
}

fn file<'a>(gate: &'a Value, path: &str) -> &'a Value {
    gate["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not judged: {gate:#}"))
}

fn requirement<'a>(gate: &'a Value, path: &str, policy: &str) -> &'a Value {
    file(gate, path)["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"] == policy)
        .unwrap_or_else(|| panic!("{policy} not in {gate:#}"))
}

/// Each of `paths` has an unmet governance requirement.
fn assert_governance_unmet(json: &Value, paths: &[&str]) {
    for path in paths {
        assert_eq!(
            requirement(&json["gate"], path, "governance")["met"],
            false,
            "{path}"
        );
    }
}

fn reasons(requirement: &Value) -> Vec<(String, String)> {
    requirement["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["who"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(who: &str, reason: &str) -> (String, String) {
    (who.to_string(), reason.to_string())
}

// ── 1. An approval covers the content it saw ────────────────────────────────

#[test]
fn a_change_inside_a_merge_after_an_approval_is_stale() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nReviewed terms.\n");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    // A side branch, merged with an edit no parent has (an "evil merge").
    git(&repo, BOB, &["checkout", "-q", "-b", "side", "main"]);
    repo.write("content/blog/post.md", "# Post\n\nA side post.\n");
    commit(&repo, BOB, "Side work");
    git(&repo, BOB, &["checkout", "-q", "change"]);
    git(
        &repo,
        BOB,
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    repo.write("content/legal/terms.md", "# Terms\n\nUnreviewed terms.\n");
    commit(&repo, BOB, "Merge side");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["met"], false);
    assert_eq!(reasons(r), vec![pair("alice", "stale")]);
}

#[test]
fn a_governance_change_inside_a_merge_after_its_approval_is_stale() {
    let repo = setup("author");
    repo.write(
        "rules/acme.yml",
        format!(
            "{PACK}  - id: claims/free\n    kind: forbid\n    level: warning\n    terms: [free]\n"
        ),
    );
    commit(&repo, BOB, "Add a rule");
    commit(&repo, CAROL, "Approve\n\nApproved-by: carold");
    git(&repo, BOB, &["checkout", "-q", "-b", "side", "main"]);
    repo.write("content/blog/post.md", "# Post\n\nSide.\n");
    commit(&repo, BOB, "Side");
    git(&repo, BOB, &["checkout", "-q", "change"]);
    git(
        &repo,
        BOB,
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    repo.write("rules/acme.yml", "rules: []\n");
    commit(&repo, BOB, "Merge side");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "rules/acme.yml", "governance");
    assert_eq!(reasons(r), vec![pair("carol", "stale")]);
}

#[test]
fn an_approval_from_a_parallel_branch_does_not_cover_content_it_never_saw() {
    let repo = setup("author");
    // Alice approves on a branch of main: her tree has the old terms.
    git(&repo, ALICE, &["checkout", "-q", "-b", "approval", "main"]);
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    git(&repo, BOB, &["checkout", "-q", "change"]);
    repo.write("content/legal/terms.md", "# Terms\n\nTerms nobody read.\n");
    commit(&repo, BOB, "Update terms");
    // Merging the approval in lists it after the change.
    git(
        &repo,
        BOB,
        &["merge", "-q", "--no-ff", "-m", "Merge approval", "approval"],
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "stale")]);
}

#[test]
fn a_side_branch_merged_as_first_parent_does_not_carry_its_approval_over() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nTerms nobody read.\n");
    commit(&repo, BOB, "Update terms");
    // The approval branch is checked out and the change merged into it, so
    // the approval is the first parent's line.
    git(&repo, ALICE, &["checkout", "-q", "-b", "approval", "main"]);
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    git(
        &repo,
        BOB,
        &["merge", "-q", "--no-ff", "-m", "Merge change", "change"],
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "stale")]);
}

#[test]
fn an_approval_of_exactly_the_content_at_head_counts_wherever_it_is_listed() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nReviewed terms.\n");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    // Unrelated work merged afterwards does not make the approval stale.
    git(&repo, BOB, &["checkout", "-q", "-b", "side", "main"]);
    repo.write("content/blog/post.md", "# Post\n\nSide.\n");
    commit(&repo, BOB, "Side");
    git(&repo, BOB, &["checkout", "-q", "change"]);
    git(
        &repo,
        BOB,
        &["merge", "-q", "--no-ff", "-m", "Merge side", "side"],
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["approved_by"], json!(["alice"]));
}

#[test]
fn an_approver_who_wrote_the_change_inside_a_merge_is_self_approval() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nBob's terms.\n");
    commit(&repo, BOB, "Update terms");
    git(&repo, BOB, &["checkout", "-q", "-b", "side", "main"]);
    repo.write("content/blog/post.md", "# Post\n\nSide.\n");
    commit(&repo, BOB, "Side");
    git(&repo, ALICE, &["checkout", "-q", "change"]);
    git(
        &repo,
        ALICE,
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    repo.write("content/legal/terms.md", "# Terms\n\nAlice's own terms.\n");
    commit(&repo, ALICE, "Merge side");
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "self-approval")]);
}

#[test]
fn the_committer_of_a_change_is_one_of_its_authors() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nNew terms.\n");
    git(&repo, BOB, &["add", "-A"]);
    git_as(&repo, BOB, ALICE, &["commit", "-q", "-m", "Update terms"]);
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "self-approval")]);
}

#[test]
fn without_invalidate_on_change_a_later_edit_keeps_the_approval() {
    let config = config_with("author", "rules/", "").replace(
        "from: [\"@acme/legal\"]\n",
        "from: [\"@acme/legal\"]\n      invalidate_on_change: false\n",
    );
    let repo = setup_with(&config);
    repo.write("content/legal/terms.md", "# Terms\n\nReviewed terms.\n");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    repo.write("content/legal/terms.md", "# Terms\n\nEdited after.\n");
    commit(&repo, BOB, "Edit again");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{json:#}");
}

// ── 2. Every changed path is judged ─────────────────────────────────────────

#[cfg(unix)]
#[test]
fn a_page_whose_name_is_not_utf8_is_linted_owned_and_judged() {
    use std::os::unix::ffi::OsStrExt;
    let repo = setup("author");
    let name = std::ffi::OsStr::from_bytes(b"content/legal/caf\xe9.md");
    std::fs::write(repo.path().join(name), "# Caf\n\nResults guaranteed.\n").unwrap();
    commit(&repo, BOB, "Add a page with a Latin-1 name");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let path = "content/legal/caf\\xe9.md";
    assert_eq!(json["findings"][0]["path"], path, "{json:#}");
    assert_eq!(json["findings"][0]["rule"], "claims/guarantee");
    assert_eq!(file(&json["gate"], path)["owners"], json!(["@acme/legal"]));
    assert_eq!(
        requirement(&json["gate"], path, "legal-signoff")["met"],
        false
    );
}

#[test]
fn a_snippet_that_is_not_markdown_falls_under_the_policy_of_its_path() {
    let repo = setup("author");
    repo.write("content/legal/clause.txt", "Liability is unlimited.\n");
    repo.write(
        "content/legal/seal.png",
        [0x89u8, b'P', b'N', b'G', 0, 1, 2],
    );
    commit(&repo, BOB, "Add an included clause and an image");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    for path in ["content/legal/clause.txt", "content/legal/seal.png"] {
        assert_eq!(
            requirement(&json["gate"], path, "legal-signoff")["met"],
            false
        );
        assert_eq!(file(&json["gate"], path)["owners"], json!(["@acme/legal"]));
    }
    // Lint stays with content files.
    assert_eq!(json["findings"], json!([]));
}

#[cfg(unix)]
#[test]
fn a_page_added_as_a_symlink_after_a_review_is_not_covered_by_it() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nReviewed terms.\n");
    commit(&repo, BOB, "Update terms");
    let reviewed = git(&repo, BOB, &["rev-parse", "HEAD"]);
    repo.write("content/blog/draft.md", "# Draft\n\nNot for legal eyes.\n");
    std::os::unix::fs::symlink("../blog/draft.md", repo.path().join("content/legal/faq.md"))
        .unwrap();
    commit(&repo, BOB, "Add a legal FAQ");
    repo.write(
        "reviews.json",
        json!([{"user": {"login": "alice-ng"}, "state": "APPROVED", "commit_id": reviewed}])
            .to_string(),
    );
    let (code, json) = run_gate(&repo, &["--reviews", "reviews.json"]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/faq.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "stale")]);
    assert_eq!(
        requirement(&json["gate"], "content/legal/terms.md", "legal-signoff")["met"],
        true
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_page_is_linted_as_its_target_and_a_link_out_of_the_repository_is_an_error() {
    let repo = setup("author");
    repo.write("content/blog/draft.md", "# Draft\n\nReturns guaranteed.\n");
    commit(&repo, BOB, "Draft");
    git(&repo, BOB, &["branch", "-f", "main"]);
    std::os::unix::fs::symlink("draft.md", repo.path().join("content/blog/alias.md")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", repo.path().join("content/blog/host.md")).unwrap();
    commit(&repo, BOB, "Aliases");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "content/blog/alias.md".to_string(),
                "claims/guarantee".to_string()
            ),
            (
                "content/blog/host.md".to_string(),
                "imprimatur/unreadable".to_string()
            ),
        ]
    );
}

#[test]
fn an_lfs_pointer_is_unreadable_until_its_object_is_fetched_then_linted_as_the_object() {
    let repo = setup("author");
    let object = b"# Terms\n\nResults guaranteed.\n";
    let oid = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(object);
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    repo.write(
        "content/blog/big.md",
        format!(
            "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {}\n",
            object.len()
        ),
    );
    commit(&repo, BOB, "A page in LFS");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["rule"], "imprimatur/unreadable");
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("Git LFS"), "{message}");
    // With the object in local LFS storage, the page is its object.
    repo.write(
        &format!(".git/lfs/objects/{}/{}/{oid}", &oid[..2], &oid[2..4]),
        object,
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(json["findings"][0]["rule"], "claims/guarantee");
    assert_eq!(json["findings"][0]["line"], 3);
    // `check` reads the same way.
    let (_, checked) = repo.check_json(&["content/blog/big.md"]);
    assert_eq!(checked["findings"][0]["rule"], "claims/guarantee");
}

#[test]
fn changed_lines_do_not_depend_on_gitattributes() {
    let repo = setup("author");
    repo.write(".gitattributes", "*.md -diff\n");
    commit(&repo, CAROL, "attributes");
    git(&repo, CAROL, &["branch", "-f", "main"]);
    repo.write(
        "content/blog/post.md",
        "# Post\n\nA post.\n\nResults guaranteed.\n",
    );
    commit(&repo, BOB, "Edit post");
    let (code, json) = run_gate(&repo, &["--changed-lines"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["line"], 5);
}

#[test]
fn deleting_a_required_disclaimer_blocks_under_changed_lines() {
    let repo = setup("author");
    repo.write(
        "content/blog/fund.md",
        "# Fund\n\nOur projected returns are high.\n\nPast performance is no guarantee of future results.\n",
    );
    commit(&repo, CAROL, "Fund page");
    git(&repo, CAROL, &["branch", "-f", "main"]);
    repo.write(
        "content/blog/fund.md",
        "# Fund\n\nOur projected returns are high.\n",
    );
    commit(&repo, BOB, "Trim the page");
    let (code, json) = run_gate(&repo, &["--changed-lines"]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["rule"], "legal/disclaimer");
}

// ── 3. Governance cannot be sidestepped ─────────────────────────────────────

#[test]
fn governance_paths_spelled_with_dot_slash_still_need_governance_approval() {
    let config = config_with(
        "signed",
        "./rules//",
        "  allowed_signers: ./.github/../.github/allowed_signers\n",
    );
    let repo = setup_with(&config);
    repo.write(".github/allowed_signers", "");
    commit(&repo, CAROL, "signers");
    git(&repo, CAROL, &["branch", "-f", "main"]);
    repo.write(".github/allowed_signers", "alice@acme.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
    repo.write("rules/acme.yml", "rules: []\n");
    commit(&repo, BOB, "Add a key, empty the pack");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    assert_governance_unmet(&json, &[".github/allowed_signers", "rules/acme.yml"]);
}

#[test]
fn a_new_file_in_a_pack_directory_is_a_governance_change() {
    let repo = setup("author");
    repo.write(
        "rules/extra.yml",
        "rules:\n  - id: claims/other\n    kind: forbid\n    level: info\n    terms: [legal]\n",
    );
    commit(&repo, BOB, "Add a pack");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        requirement(&json["gate"], "rules/extra.yml", "governance")["met"],
        false
    );
}

#[test]
fn deleting_the_config_of_a_project_in_a_subdirectory_turns_no_policy_off() {
    let repo = Repo::new();
    repo.write("site/imprimatur.yml", config_with("author", "rules/", ""));
    repo.write("site/rules/acme.yml", PACK);
    repo.write("site/.github/CODEOWNERS", CODEOWNERS);
    repo.write("site/content/legal/terms.md", "# Terms\n\nPlain.\n");
    commit(&repo, CAROL, "initial");
    git(&repo, CAROL, &["branch", "-M", "main"]);
    git(&repo, CAROL, &["checkout", "-q", "-b", "change"]);
    std::fs::remove_file(repo.path().join("site/imprimatur.yml")).unwrap();
    repo.write("site/content/legal/terms.md", "# Terms\n\nUnreviewed.\n");
    commit(&repo, BOB, "Drop the config");
    let (code, json) = common::json_of(
        repo.cmd()
            .current_dir(repo.path().join("site"))
            .args(["gate", "--base", "main", "--format", "json"]),
    );
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(
        requirement(&json["gate"], "content/legal/terms.md", "legal-signoff")["met"],
        false
    );
    assert_eq!(
        requirement(&json["gate"], "imprimatur.yml", "governance")["met"],
        false
    );
}

#[test]
fn adding_a_config_file_the_search_could_find_is_a_governance_change() {
    let repo = setup("author");
    repo.write(".vale.ini", "StylesPath = styles\n");
    repo.write(".imprimatur.yml", "rules: []\n");
    commit(&repo, BOB, "Add other configs");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    assert_governance_unmet(&json, &[".vale.ini", ".imprimatur.yml"]);
}

// ── 4. Identities ───────────────────────────────────────────────────────────

#[test]
fn a_login_equal_to_a_people_key_is_not_that_person() {
    let repo = setup("author");
    repo.write("content/legal/terms.md", "# Terms\n\nNew.\n");
    commit(&repo, BOB, "Update terms");
    let head = git(&repo, BOB, &["rev-parse", "HEAD"]);
    repo.write(
        "reviews.json",
        json!([{"user": {"login": "alice"}, "state": "APPROVED", "commit_id": head}]).to_string(),
    );
    let (code, json) = run_gate(&repo, &["--reviews", "reviews.json"]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "unknown-identity")]);
    // Handles compare case-insensitively, as the platforms treat logins.
    repo.write(
        "reviews.json",
        json!([{"user": {"login": "Alice-NG"}, "state": "APPROVED", "commit_id": head}])
            .to_string(),
    );
    let (code, json) = run_gate(&repo, &["--reviews", "reviews.json"]);
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn team_slugs_compare_case_insensitively() {
    let repo = setup("author");
    repo.write(
        ".github/CODEOWNERS",
        "/content/ @Acme/Marketing\n/content/legal/ @Acme/Legal\n",
    );
    commit(&repo, CAROL, "Owners in mixed case");
    git(&repo, CAROL, &["branch", "-f", "main"]);
    let config =
        config_with("author", "rules/", "").replace("from: [\"@acme/legal\"]", "from: [owners]");
    repo.write("imprimatur.yml", config);
    commit(&repo, CAROL, "Owners approve");
    commit(&repo, CAROL, "x\n\nApproved-by: carold");
    git(&repo, CAROL, &["branch", "-f", "main"]);
    repo.write("content/legal/terms.md", "# Terms\n\nNew.\n");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        ALICE,
        "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        requirement(&json["gate"], "content/legal/terms.md", "legal-signoff")["approved_by"],
        json!(["alice"])
    );
}

// ── 6. Missing evidence fails closed ────────────────────────────────────────

#[test]
fn a_configured_allowed_signers_file_that_does_not_exist_exits_2_naming_it() {
    let config = config_with(
        "signed",
        "rules/",
        "  allowed_signers: keys/allowed_signers\n",
    );
    let repo = setup_with(&config);
    repo.write("content/legal/terms.md", "# Terms\n\nNew.\n");
    commit(&repo, BOB, "Update terms");
    let out = repo
        .cmd()
        .args(["gate", "--base", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("keys/allowed_signers"), "{err}");
    assert!(err.contains("imprimatur.yml"), "{err}");
}

#[test]
fn a_configured_codeowners_file_that_does_not_exist_exits_2_in_every_command() {
    let config = config_with("author", "rules/", "").replace(
        "owners: {required: true}",
        "owners: {required: true, file: OWNERS.txt}",
    );
    let repo = setup_with(&config);
    for args in [
        vec!["check"],
        vec!["owners"],
        vec!["gate", "--base", "main"],
    ] {
        let out = repo.cmd().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("OWNERS.txt"), "{args:?}: {err}");
    }
}

#[test]
fn a_content_glob_written_with_dot_slash_matches_repository_paths() {
    let repo = Repo::new();
    repo.write(
        "imprimatur.yml",
        "content: {include: [\"./docs/**/*.md\"]}\nrules: [rules/]\n",
    );
    repo.write("rules/acme.yml", PACK);
    repo.write("docs/a.md", "# A\n\nResults guaranteed.\n");
    let (code, json) = repo.check_json(&[]);
    assert_eq!(code, 1, "{json:#}");
    assert_eq!(json["findings"][0]["path"], "docs/a.md");
}

/// A GPG home with one key for `who`, no passphrase; returns its fingerprint.
fn gpg_key(home: &std::path::Path, who: Who) -> String {
    let gpg = |args: &[&str]| {
        let out = Command::new("gpg")
            .env("GNUPGHOME", home)
            .args(["--batch", "--no-tty"])
            .args(args)
            .output()
            .expect("gpg is required (apt-get install gnupg)");
        assert!(
            out.status.success(),
            "gpg {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let uid = format!("{} <{}>", who.0, who.1);
    gpg(&[
        "--passphrase",
        "",
        "--quick-gen-key",
        &uid,
        "ed25519",
        "sign",
        "never",
    ]);
    let listing = gpg(&["--with-colons", "--list-keys", who.1]);
    listing
        .lines()
        .find_map(|l| l.strip_prefix("fpr:"))
        .and_then(|l| l.split(':').find(|f| f.len() == 40))
        .expect("a fingerprint")
        .to_string()
}

/// A repository whose base binds `bound` GPG fingerprints to alice, with a
/// change by bob and alice's GPG-signed approval of it.
fn gpg_signed_approval(home: &std::path::Path, fingerprint: &str, bound: &[&str]) -> Repo {
    let people = PEOPLE.replace(
        "handles: [alice-ng]}",
        &format!("handles: [alice-ng], gpg: [{}]}}", bound.join(", ")),
    );
    let config = config_with("signed", "rules/", "").replace(PEOPLE, &people);
    let repo = setup_with(&config);
    repo.write("content/legal/terms.md", "# Terms\n\nNew.\n");
    commit(&repo, BOB, "Update terms");
    let out = Command::new("git")
        .current_dir(repo.path())
        .env("GNUPGHOME", home)
        .env("GIT_AUTHOR_NAME", ALICE.0)
        .env("GIT_AUTHOR_EMAIL", ALICE.1)
        .env("GIT_COMMITTER_NAME", ALICE.0)
        .env("GIT_COMMITTER_EMAIL", ALICE.1)
        .args([
            "-c",
            "gpg.format=openpgp",
            "-c",
            &format!("user.signingkey={fingerprint}"),
        ])
        .args([
            "commit",
            "-q",
            "--allow-empty",
            "-S",
            "-m",
            "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    repo
}

#[test]
fn a_gpg_signature_counts_only_with_a_key_the_config_binds_to_the_approver() {
    let home = tempfile::tempdir().unwrap();
    let fingerprint = gpg_key(home.path(), ALICE);
    // The key's user id says Alice, and it is in the runner's keyring: not enough.
    let repo = gpg_signed_approval(home.path(), &fingerprint, &[]);
    let (code, json) = run_gate_with_keyring(&repo, home.path());
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/terms.md", "legal-signoff");
    assert_eq!(reasons(r), vec![pair("alice", "untrusted-trailer")]);
    let detail = r["rejected"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains(&fingerprint) && detail.contains("people.alice.gpg"),
        "{detail}"
    );
    // Bound in the base config (any spelling of the fingerprint), it counts.
    let spaced = fingerprint.to_ascii_lowercase();
    let repo = gpg_signed_approval(home.path(), &fingerprint, &[&spaced]);
    let (code, json) = run_gate_with_keyring(&repo, home.path());
    assert_eq!(code, 0, "{json:#}");
}

/// `gate --format json` with `GNUPGHOME` pointing at a test keyring.
fn run_gate_with_keyring(repo: &Repo, home: &std::path::Path) -> (i32, Value) {
    common::json_of(
        repo.cmd()
            .env("GNUPGHOME", home)
            .args(["gate", "--base", "main", "--format", "json"]),
    )
}

#[test]
fn the_config_init_writes_runs_the_gate_with_no_allowed_signers_file() {
    let repo = Repo::new();
    repo.cmd().arg("init").assert().success();
    let config = repo.read("imprimatur.yml");
    assert!(
        !config
            .lines()
            .any(|l| l.trim_start().starts_with("allowed_signers:")),
        "{config}"
    );
    repo.write("content/a.md", "# A\n\nText.\n");
    commit(&repo, CAROL, "initial");
    git(&repo, CAROL, &["branch", "-M", "main"]);
    git(&repo, CAROL, &["checkout", "-q", "-b", "change"]);
    repo.write("content/a.md", "# A\n\nMore text.\n");
    commit(&repo, BOB, "Edit\n\nApproved-by: carol@acme.example");
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn a_submodule_added_under_a_policy_path_needs_that_policy() {
    let repo = setup("author");
    let head = git(&repo, BOB, &["rev-parse", "HEAD"]);
    git(
        &repo,
        BOB,
        &[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{head},content/legal/vendor"),
        ],
    );
    git(
        &repo,
        BOB,
        &["commit", "-q", "-m", "Vendor the legal texts"],
    );
    let (code, json) = run_gate(&repo, &[]);
    assert_eq!(code, 1, "{json:#}");
    let r = requirement(&json["gate"], "content/legal/vendor", "legal-signoff");
    assert_eq!(r["met"], false);
    assert_eq!(
        file(&json["gate"], "content/legal/vendor")["owners"],
        json!(["@acme/legal"])
    );
}
