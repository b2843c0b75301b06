//! The publish gate over real repositories with several authors.

mod common;
use common::Repo;
use serde_json::{json, Value};

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

fn config(trust: &str) -> String {
    format!(
        "rules: [rules/]\n{PEOPLE}owners: {{required: true}}\napprovals:\n  trailer_trust: {trust}\n  governance: [\"@acme/content-ops\"]\n  policies:\n    - name: legal-signoff\n      paths: [\"content/legal/**\"]\n      require: 1\n      from: [\"@acme/legal\"]\n"
    )
}

const PACK: &str = "rules:\n  - id: claims/guarantee\n    kind: forbid\n    level: error\n    terms: [guaranteed]\n";
const CODEOWNERS: &str = "/content/ @acme/marketing\n/content/legal/ @acme/legal\n";

const ALICE: (&str, &str) = ("Alice Ng", "alice@acme.example");
const BOB: (&str, &str) = ("Bob Kim", "bob@acme.example");
const CAROL: (&str, &str) = ("Carol Diaz", "carol@acme.example");

/// A repository whose `main` holds the policy and some content; HEAD is a
/// branch `change` starting there.
fn repo_with(trust: &str) -> Repo {
    let repo = Repo::new();
    repo.write("imprimatur.yml", config(trust));
    repo.write("rules/acme.yml", PACK);
    repo.write(".github/CODEOWNERS", CODEOWNERS);
    repo.write("content/legal/terms.md", "# Terms\n\nPlain terms.\n");
    repo.write("content/blog/post.md", "# Post\n\nA post.\n");
    let base = repo.commit_all("initial", CAROL.0, CAROL.1);
    repo.git
        .branch("main", &repo.git.find_commit(base).unwrap(), true)
        .unwrap();
    repo
}

fn commit(repo: &Repo, who: (&str, &str), message: &str) -> git2::Oid {
    repo.commit_all(message, who.0, who.1)
}

/// Runs `gate --base main --format json` and returns (exit code, gate object).
fn run_gate(repo: &Repo, extra: &[&str]) -> (i32, Value) {
    let (code, json) = repo.gate_json(extra);
    (code, json["gate"].clone())
}

fn requirement<'a>(gate: &'a Value, path: &str, policy: &str) -> &'a Value {
    gate["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {gate:#}"))["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["policy"] == policy)
        .unwrap_or_else(|| panic!("{policy} not in {gate:#}"))
}

fn edit_terms(repo: &Repo, text: &str) {
    repo.write("content/legal/terms.md", format!("# Terms\n\n{text}\n"));
}

#[test]
fn approval_in_the_approvers_own_commit_counts() {
    let repo = repo_with("author");
    edit_terms(&repo, "New terms.");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        ALICE,
        "Approve terms\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{gate:#}");
    assert_eq!(gate["passed"], true);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["approved_by"], json!(["alice"]));
    assert_eq!(r["met"], true);
}

#[test]
fn a_trailer_written_by_the_author_naming_someone_else_is_untrusted() {
    let repo = repo_with("author");
    edit_terms(&repo, "New terms.");
    commit(
        &repo,
        BOB,
        "Update terms\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(
        r["rejected"],
        json!([{"who": "alice", "reason": "untrusted-trailer",
                "detail": "the commit carrying it is authored by bob@acme.example"}])
    );
    assert_eq!(
        gate["blocking"],
        json!(["content/legal/terms.md: legal-signoff needs 1 approval from @acme/legal, has 0"])
    );
}

#[test]
fn an_approval_followed_by_a_new_change_is_stale() {
    let repo = repo_with("author");
    edit_terms(&repo, "New terms.");
    commit(&repo, BOB, "Update terms");
    commit(&repo, ALICE, "Approve\n\nApproved-by: alice-ng");
    edit_terms(&repo, "Newer terms.");
    commit(&repo, BOB, "Tweak terms after approval");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["rejected"], json!([{"who": "alice", "reason": "stale"}]));
}

#[test]
fn an_approver_who_authored_the_change_is_self_approval() {
    let repo = repo_with("author");
    edit_terms(&repo, "Alice's own terms.");
    commit(
        &repo,
        ALICE,
        "Update terms\n\nApproved-by: Alice Ng <alice@acme.example>",
    );
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(
        r["rejected"],
        json!([{"who": "alice", "reason": "self-approval"}])
    );
}

#[test]
fn an_approver_outside_the_required_team_is_not_eligible() {
    let repo = repo_with("author");
    edit_terms(&repo, "New terms.");
    commit(&repo, BOB, "Update terms");
    commit(
        &repo,
        CAROL,
        "Approve\n\nApproved-by: Carol Diaz <carol@acme.example>",
    );
    let (_, gate) = run_gate(&repo, &[]);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(
        r["rejected"],
        json!([{"who": "carol", "reason": "not-eligible"}])
    );
}

#[test]
fn an_unknown_identity_never_counts() {
    let repo = repo_with("any");
    edit_terms(&repo, "New terms.");
    commit(
        &repo,
        BOB,
        "Update terms\n\nApproved-by: Mallory <mallory@evil.example>",
    );
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(
        r["rejected"],
        json!([{"who": "mallory@evil.example", "reason": "unknown-identity"}])
    );
}

#[test]
fn a_change_that_weakens_the_policy_is_judged_by_the_base_policy() {
    let repo = repo_with("author");
    // Drop the legal policy and the governance requirement in the same change.
    repo.write("imprimatur.yml", format!("rules: [rules/]\n{PEOPLE}"));
    edit_terms(&repo, "Unreviewed terms.");
    commit(&repo, BOB, "Relax policy");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        requirement(&gate, "content/legal/terms.md", "legal-signoff")["met"],
        false
    );
    assert_eq!(
        requirement(&gate, "imprimatur.yml", "governance")["met"],
        false
    );
    assert_eq!(gate["policy_from"], gate["base"]);
    // Reading policy from head is a deliberate override, reported as such.
    let (code, gate) = run_gate(&repo, &["--policy-from", "head"]);
    assert_eq!(code, 0, "{gate:#}");
    assert_eq!(gate["policy_from"], gate["head"]);
}

#[test]
fn an_approved_governance_change_passes() {
    let repo = repo_with("author");
    repo.write("rules/acme.yml", format!("{PACK}  - id: claims/risk\n    kind: forbid\n    level: warning\n    terms: [risk-free]\n"));
    commit(&repo, BOB, "Add a rule");
    commit(&repo, CAROL, "Approve rule change\n\nApproved-by: carold");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{gate:#}");
    assert_eq!(
        requirement(&gate, "rules/acme.yml", "governance")["approved_by"],
        json!(["carol"])
    );
}

#[test]
fn a_new_unowned_file_blocks() {
    let repo = repo_with("author");
    repo.write("careers.md", "# Careers\n");
    commit(&repo, BOB, "Add careers");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        gate["blocking"],
        json!(["careers.md: no owner in CODEOWNERS (owners.required)"])
    );
    assert_eq!(gate["files"][0]["owners"], json!([]));
}

#[test]
fn an_error_level_finding_in_changed_content_blocks() {
    let repo = repo_with("author");
    repo.write("content/blog/post.md", "# Post\n\nResults guaranteed.\n");
    commit(&repo, BOB, "Edit post");
    let out = repo
        .cmd()
        .args(["gate", "--base", "main", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["findings"][0]["rule"], "claims/guarantee");
    assert_eq!(
        json["gate"]["blocking"][0],
        "content/blog/post.md:3:9: claims/guarantee: 'guaranteed' is not allowed here."
    );
}

#[test]
fn a_change_that_needs_no_approval_passes() {
    let repo = repo_with("author");
    repo.write("content/blog/post.md", "# Post\n\nA better post.\n");
    commit(&repo, BOB, "Edit post");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 0, "{gate:#}");
    assert_eq!(
        gate["files"],
        json!([{"path": "content/blog/post.md", "owners": ["@acme/marketing"], "requirements": []}])
    );
    let out = repo
        .cmd()
        .args(["gate", "--base", "main"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Gate PASSED"), "{text}");
}

fn reviews_file(repo: &Repo, reviews: Value) -> String {
    repo.write("reviews.json", reviews.to_string());
    "reviews.json".to_string()
}

#[test]
fn github_reviews_at_head_at_an_older_commit_and_requesting_changes() {
    let repo = repo_with("signed");
    edit_terms(&repo, "New terms.");
    let first = commit(&repo, BOB, "Update terms");
    edit_terms(&repo, "Newer terms.");
    let head = commit(&repo, BOB, "Update terms again");
    let review = |login: &str, state: &str, commit: git2::Oid| json!({"id": 1, "user": {"login": login}, "state": state, "commit_id": commit.to_string(), "submitted_at": "2026-01-01T00:00:00Z"});
    // At head: counts.
    let file = reviews_file(&repo, json!([review("alice-ng", "APPROVED", head)]));
    let (code, gate) = run_gate(&repo, &["--reviews", &file]);
    assert_eq!(code, 0, "{gate:#}");
    // At an older commit that the file changed after: stale.
    let file = reviews_file(&repo, json!([review("alice-ng", "APPROVED", first)]));
    let (code, gate) = run_gate(&repo, &["--reviews", &file]);
    assert_eq!(code, 1);
    assert_eq!(
        requirement(&gate, "content/legal/terms.md", "legal-signoff")["rejected"],
        json!([{"who": "alice", "reason": "stale"}])
    );
    // Approved, then changes requested: no approval.
    let file = reviews_file(
        &repo,
        json!([
            review("alice-ng", "APPROVED", head),
            review("alice-ng", "CHANGES_REQUESTED", head)
        ]),
    );
    let (code, gate) = run_gate(&repo, &["--reviews", &file]);
    assert_eq!(code, 1);
    assert_eq!(
        requirement(&gate, "content/legal/terms.md", "legal-signoff")["approved_by"],
        json!([])
    );
}

#[test]
fn a_missing_base_exits_2() {
    let repo = repo_with("author");
    let out = repo
        .cmd()
        .args(["gate", "--base", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-branch"));
}

mod signed {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    fn keygen(dir: &Path, name: &str) -> (String, String) {
        let key = dir.join(name);
        let status = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
            .arg(&key)
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "ssh-keygen is required (apt-get install openssh-client)"
        );
        let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
        (key.display().to_string(), public.trim().to_string())
    }

    /// Commits everything as `who`, signed with `key` by the real git.
    fn signed_commit(repo: &Repo, who: (&str, &str), key: &str, message: &str) {
        let git = |args: &[&str]| {
            let out = Command::new("git")
                .current_dir(repo.path())
                .args([
                    "-c",
                    "gpg.format=ssh",
                    "-c",
                    &format!("user.signingkey={key}"),
                    "-c",
                    &format!("user.name={}", who.0),
                    "-c",
                    &format!("user.email={}", who.1),
                ])
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        git(&["add", "-A"]);
        git(&["commit", "-q", "--allow-empty", "-S", "-m", message]);
    }

    fn setup() -> (Repo, tempfile::TempDir, String, String) {
        let keys = tempfile::tempdir().unwrap();
        let (alice_key, alice_pub) = keygen(keys.path(), "alice");
        let (mallory_key, _) = keygen(keys.path(), "mallory");
        let repo = repo_with("signed");
        repo.write(
            ".github/allowed_signers",
            format!("alice@acme.example namespaces=\"git\" {alice_pub}\n"),
        );
        let base = repo.commit_all("allowed signers", CAROL.0, CAROL.1);
        repo.git
            .branch("main", &repo.git.find_commit(base).unwrap(), true)
            .unwrap();
        edit_terms(&repo, "New terms.");
        commit(&repo, BOB, "Update terms");
        (repo, keys, alice_key, mallory_key)
    }

    #[test]
    fn a_validly_signed_approval_counts() {
        let (repo, _keys, alice_key, _) = setup();
        signed_commit(
            &repo,
            ALICE,
            &alice_key,
            "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
        );
        let (code, gate) = run_gate(&repo, &[]);
        assert_eq!(code, 0, "{gate:#}");
        assert_eq!(
            requirement(&gate, "content/legal/terms.md", "legal-signoff")["approved_by"],
            json!(["alice"])
        );
    }

    #[test]
    fn a_signature_by_a_key_not_in_allowed_signers_is_untrusted() {
        let (repo, _keys, _, mallory_key) = setup();
        signed_commit(
            &repo,
            ALICE,
            &mallory_key,
            "Approve\n\nApproved-by: Alice Ng <alice@acme.example>",
        );
        let (code, gate) = run_gate(&repo, &[]);
        assert_eq!(code, 1);
        // The reason names the key that signed (as ssh-keygen prints its
        // fingerprint) and the file that does not list it.
        let listed = Command::new("ssh-keygen")
            .arg("-lf")
            .arg(format!("{mallory_key}.pub"))
            .output()
            .unwrap();
        let fingerprint = String::from_utf8_lossy(&listed.stdout)
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string();
        assert_eq!(
            requirement(&gate, "content/legal/terms.md", "legal-signoff")["rejected"],
            json!([{"who": "alice", "reason": "untrusted-trailer",
                    "detail": format!("signed with {fingerprint}, which .github/allowed_signers does not list")}])
        );
    }

    #[test]
    fn a_signature_that_does_not_match_its_content_is_untrusted() {
        let (repo, keys, alice_key, _) = setup();
        // Sign one commit's content, then store that signature on different content.
        let head = repo.git.head().unwrap().peel_to_commit().unwrap();
        let sig = git2::Signature::now(ALICE.0, ALICE.1).unwrap();
        let tree = head.tree().unwrap();
        let genuine = repo
            .git
            .commit_create_buffer(
                &sig,
                &sig,
                "Approve\n\nApproved-by: Alice Ng <alice@acme.example>\n",
                &tree,
                &[&head],
            )
            .unwrap();
        let forged = repo
            .git
            .commit_create_buffer(
                &sig,
                &sig,
                "Approve everything\n\nApproved-by: Alice Ng <alice@acme.example>\n",
                &tree,
                &[&head],
            )
            .unwrap();
        let payload = keys.path().join("payload");
        std::fs::write(&payload, &*genuine).unwrap();
        let status = Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", "git", "-f", &alice_key])
            .arg(&payload)
            .status()
            .unwrap();
        assert!(status.success());
        let armor = std::fs::read_to_string(payload.with_extension("sig")).unwrap();
        let oid = repo
            .git
            .commit_signed(std::str::from_utf8(&forged).unwrap(), &armor, None)
            .unwrap();
        repo.git
            .reference("refs/heads/change", oid, true, "forged")
            .unwrap();
        repo.git.set_head("refs/heads/change").unwrap();
        let (code, gate) = run_gate(&repo, &[]);
        assert_eq!(code, 1);
        assert_eq!(
            requirement(&gate, "content/legal/terms.md", "legal-signoff")["rejected"],
            json!([{"who": "alice", "reason": "untrusted-trailer",
                    "detail": "the commit's signature does not verify (changed after signing)"}])
        );
    }
}

#[test]
fn gitlab_section_approval_counts_become_requirements() {
    let repo = repo_with("author");
    repo.write(".github/CODEOWNERS", "");
    repo.write(".gitlab/CODEOWNERS", "[Marketing][2] @acme/marketing\n/content/blog/ @bobk @carold\n\n^[Optional]\n/content/ @alice-ng\n");
    std::fs::remove_file(repo.path().join(".github/CODEOWNERS")).unwrap();
    let base = repo.commit_all("gitlab owners", CAROL.0, CAROL.1);
    repo.git
        .branch("main", &repo.git.find_commit(base).unwrap(), true)
        .unwrap();
    repo.write("content/blog/post.md", "# Post\n\nEdited.\n");
    let head = commit(&repo, ALICE, "Edit post");
    // One approval of the two the section requires, from GitLab's approvals API.
    let file = reviews_file(
        &repo,
        json!({"approved_by": [{"user": {"username": "bobk"}}], "sha": head.to_string()}),
    );
    let (code, gate) = run_gate(&repo, &["--reviews", &file]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/blog/post.md", "codeowners:Marketing");
    assert_eq!(
        (r["required"].as_u64(), r["approved_by"].clone()),
        (Some(2), json!(["bob"]))
    );
    let file = reviews_file(
        &repo,
        json!({"approved_by": [{"user": {"username": "bobk"}}, {"user": {"username": "carold"}}], "sha": head.to_string()}),
    );
    let (code, gate) = run_gate(&repo, &["--reviews", &file]);
    assert_eq!(code, 0, "{gate:#}");
}

#[test]
fn the_base_comes_from_a_github_pull_request_event() {
    let repo = repo_with("author");
    let main = repo.git.revparse_single("main").unwrap().id();
    repo.write("content/blog/post.md", "# Post\n\nEdited.\n");
    commit(&repo, BOB, "Edit post");
    let event = repo.write(
        "event.json",
        json!({"pull_request": {"number": 7, "base": {"sha": main.to_string()}}}).to_string(),
    );
    let out = repo
        .cmd()
        .args(["gate", "--format", "json"])
        .env("GITHUB_EVENT_PATH", &event)
        .env_remove("GITHUB_BASE_REF")
        .env_remove("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        .env_remove("CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["gate"]["base"], main.to_string());
}

#[test]
fn a_blocked_gate_says_whom_to_ask_and_how_the_approval_is_recorded() {
    let repo = repo_with("author");
    edit_terms(&repo, "New terms.");
    commit(&repo, BOB, "Update terms");
    commit(&repo, CAROL, "Approve\n\nApproved-by: carold");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["candidates"], json!(["alice"]));
    assert_eq!(
        gate["next_steps"],
        json!([
            "content/legal/terms.md: legal-signoff needs 1 more approval from @acme/legal. Ask alice (Alice Ng, @alice-ng). To approve, record it in git: the approver commits as themself, `git commit --allow-empty -m \"Approve content/legal/terms.md\" -m \"Approved-by: Alice Ng <alice@acme.example>\"`. carol is not in the set this requirement asks for."
        ])
    );
    // The human output explains what was not counted and ends with what blocks.
    let out = repo
        .cmd()
        .args(["gate", "--base", "main"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "not counted: carol (not-eligible: is not in the set this requirement asks for)"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Next steps:\n  - content/legal/terms.md: legal-signoff needs 1 more approval"
        ),
        "{text}"
    );
    assert_eq!(
        text.trim_end().lines().last(),
        Some("blocked: 1 approval missing"),
        "{text}"
    );
}

#[test]
fn an_author_is_no_candidate_and_a_finding_says_how_to_clear_it() {
    let repo = repo_with("author");
    edit_terms(&repo, "Results guaranteed.");
    commit(&repo, ALICE, "Alice edits the terms herself");
    let (code, gate) = run_gate(&repo, &[]);
    assert_eq!(code, 1);
    let r = requirement(&gate, "content/legal/terms.md", "legal-signoff");
    assert_eq!(r["candidates"], json!([]));
    let steps: Vec<&str> = gate["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "content/legal/terms.md:3:9: fix claims/guarantee ('guaranteed' is not allowed here), or suppress it on that line with `<!-- imprimatur-disable-next-line claims/guarantee -- reason -->`; `imprimatur rules --explain claims/guarantee` explains the rule.",
            "content/legal/terms.md: legal-signoff needs 1 more approval from @acme/legal. Nobody can give it: everyone eligible authored or committed this change, and the policy does not allow_author.",
        ]
    );
    let out = repo
        .cmd()
        .args(["gate", "--base", "main"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.trim_end().lines().last(),
        Some("blocked: 1 approval missing, 1 blocking finding"),
        "{text}"
    );
}
