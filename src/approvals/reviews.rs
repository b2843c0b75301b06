//! `--reviews FILE`: the approvals a code-review platform recorded, read from
//! the JSON its API returns, so that the gate itself makes no network call.
//!
//! Formats, recognised by their shape:
//!
//! - GitHub REST, `GET /repos/{owner}/{repo}/pulls/{n}/reviews`: an array of
//!   reviews (`user.login`, `state`, `commit_id`, `submitted_at`). Several
//!   arrays one after another (what `gh api --paginate` prints) are read as
//!   one list.
//! - GitHub CLI, `gh pr view N --json reviews`: `{"reviews": [...]}` with
//!   `author.login`, `state`, `commit.oid`, `submittedAt`.
//! - GitLab, `GET /projects/:id/merge_requests/:iid/approvals`: an object
//!   with `approved_by: [{"user": {"username": ...}}]`. That response names no
//!   commit; a top-level `sha`, when present, is taken as the commit every
//!   approval was given on.
//!
//! GitHub reviews are reduced per user the way GitHub counts them: in order
//! of submission (`submitted_at`, then file order), `APPROVED` and
//! `CHANGES_REQUESTED` set the user's state, `COMMENTED` leaves it, `PENDING`
//! (not submitted) is ignored, and `DISMISSED` clears it: a dismissed review
//! no longer counts, and an older approval of the same user does not come
//! back. The result holds each user whose state is set.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{FileError, Result};

/// Where a user's review of the change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Approved,
    ChangesRequested,
}

/// The effective review of one platform user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformApproval {
    /// GitHub login or GitLab username, as the platform spells it.
    pub login: String,
    /// The commit the review was given on, when the platform says.
    pub commit_id: Option<String>,
    pub state: ReviewState,
}

/// Reads and parses a reviews file.
pub fn read_reviews(path: &Path) -> Result<Vec<PlatformApproval>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::error::plain(format!("cannot read reviews file {}: {e}", path.display()))
    })?;
    parse_reviews(&path.display().to_string(), &text)
}

/// Parses the text of a reviews file named `name` (for error messages),
/// sorted by login.
pub fn parse_reviews(name: &str, text: &str) -> Result<Vec<PlatformApproval>> {
    let first = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next();
    let mut reviews = match first {
        None => {
            return Err(
                FileError::at(name, text, 0, 0, "the reviews file is empty", "empty")
                    .with_help(FORMATS_HELP)
                    .into(),
            )
        }
        Some(Err(e)) => return Err(json_error(name, text, &e)),
        Some(Ok(Value::Array(_))) => github_rest(name, text)?,
        Some(Ok(Value::Object(map))) if map.contains_key("reviews") => github_cli(name, text)?,
        Some(Ok(Value::Object(map))) if map.contains_key("approved_by") => gitlab(name, text)?,
        Some(Ok(_)) => {
            let start = text.len() - text.trim_start().len();
            return Err(FileError::at(
                name,
                text,
                start,
                1,
                "not a reviews file this version reads",
                "expected a GitHub reviews array or a GitLab approvals object",
            )
            .with_help(FORMATS_HELP)
            .into());
        }
    };
    reviews.sort_by_key(|r| r.login.to_lowercase());
    Ok(reviews)
}

const FORMATS_HELP: &str =
    "give the JSON of GitHub's `GET /repos/{owner}/{repo}/pulls/{n}/reviews` \
     (or `gh api --paginate` of it), of `gh pr view N --json reviews`, or of GitLab's \
     `GET /projects/:id/merge_requests/:iid/approvals`";

#[derive(Deserialize)]
struct Login {
    login: String,
}

#[derive(Deserialize)]
struct RestReview {
    #[serde(default)]
    user: Option<Login>,
    state: String,
    #[serde(default)]
    commit_id: Option<String>,
    #[serde(default)]
    submitted_at: Option<String>,
}

#[derive(Deserialize)]
struct CliReviews {
    reviews: Vec<CliReview>,
}

#[derive(Deserialize)]
struct CliReview {
    #[serde(default)]
    author: Option<Login>,
    state: String,
    #[serde(default, rename = "submittedAt")]
    submitted_at: Option<String>,
    #[serde(default)]
    commit: Option<CliCommit>,
}

#[derive(Deserialize)]
struct CliCommit {
    oid: String,
}

#[derive(Deserialize)]
struct GitLabApprovals {
    approved_by: Vec<GitLabApprover>,
    #[serde(default)]
    sha: Option<String>,
}

#[derive(Deserialize)]
struct GitLabApprover {
    user: GitLabUser,
}

#[derive(Deserialize)]
struct GitLabUser {
    username: String,
}

/// A GitHub review reduced to what counting needs.
struct Review {
    login: Option<String>,
    state: String,
    commit_id: Option<String>,
    submitted_at: Option<String>,
}

fn github_rest(name: &str, text: &str) -> Result<Vec<PlatformApproval>> {
    let mut reviews = Vec::new();
    for page in serde_json::Deserializer::from_str(text).into_iter::<Vec<RestReview>>() {
        let page = page.map_err(|e| json_error(name, text, &e))?;
        reviews.extend(page.into_iter().map(|r| Review {
            login: r.user.map(|u| u.login),
            state: r.state,
            commit_id: r.commit_id,
            submitted_at: r.submitted_at,
        }));
    }
    Ok(reduce(reviews))
}

fn github_cli(name: &str, text: &str) -> Result<Vec<PlatformApproval>> {
    let parsed: CliReviews = serde_json::from_str(text).map_err(|e| json_error(name, text, &e))?;
    Ok(reduce(
        parsed
            .reviews
            .into_iter()
            .map(|r| Review {
                login: r.author.map(|a| a.login),
                state: r.state,
                commit_id: r.commit.map(|c| c.oid),
                submitted_at: r.submitted_at,
            })
            .collect(),
    ))
}

fn gitlab(name: &str, text: &str) -> Result<Vec<PlatformApproval>> {
    let parsed: GitLabApprovals =
        serde_json::from_str(text).map_err(|e| json_error(name, text, &e))?;
    let mut out: Vec<PlatformApproval> = Vec::new();
    for approver in parsed.approved_by {
        let login = approver.user.username;
        if !out.iter().any(|a| a.login == login) {
            out.push(PlatformApproval {
                login,
                commit_id: parsed.sha.clone(),
                state: ReviewState::Approved,
            });
        }
    }
    Ok(out)
}

/// Each user's latest decisive review, GitHub's way (see the module doc).
fn reduce(mut reviews: Vec<Review>) -> Vec<PlatformApproval> {
    // Stable: equal or missing times keep file order, which is GitHub's.
    reviews.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    let mut states: Vec<(String, Option<PlatformApproval>)> = Vec::new();
    for review in reviews {
        let Some(login) = review.login else {
            // A deleted account: nobody to count.
            continue;
        };
        let state = match review.state.to_ascii_uppercase().as_str() {
            "APPROVED" => Some(ReviewState::Approved),
            "CHANGES_REQUESTED" => Some(ReviewState::ChangesRequested),
            "DISMISSED" => None,
            _ => continue,
        };
        let key = login.to_lowercase();
        let effective = state.map(|state| PlatformApproval {
            login: login.clone(),
            commit_id: review.commit_id,
            state,
        });
        match states.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = effective,
            None => states.push((key, effective)),
        }
    }
    states.into_iter().filter_map(|(_, s)| s).collect()
}

/// A serde_json error as a located error in the file.
fn json_error(name: &str, text: &str, e: &serde_json::Error) -> miette::Report {
    // serde_json counts columns in bytes.
    let line_start: usize = text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let mut offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let message = e.to_string();
    let label = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    FileError::at(
        name,
        text,
        offset,
        1,
        format!("invalid reviews file: {label}"),
        label,
    )
    .with_help(FORMATS_HELP)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(id: u64, login: &str, state: &str, commit: &str, at: &str) -> String {
        format!(
            r#"{{"id": {id}, "node_id": "PRR_{id}", "user": {{"login": "{login}", "id": {id}, "type": "User", "site_admin": false}},
  "body": "", "state": "{state}", "html_url": "https://github.example/pull/1#pullrequestreview-{id}",
  "pull_request_url": "https://api.github.example/repos/o/r/pulls/1", "author_association": "MEMBER",
  "_links": {{"html": {{"href": "x"}}, "pull_request": {{"href": "y"}}}},
  "submitted_at": "{at}", "commit_id": "{commit}"}}"#
        )
    }

    fn short(list: &[PlatformApproval]) -> Vec<(&str, Option<&str>, ReviewState)> {
        list.iter()
            .map(|a| (a.login.as_str(), a.commit_id.as_deref(), a.state))
            .collect()
    }

    use ReviewState::{Approved, ChangesRequested};

    #[test]
    fn github_reviews_reduce_per_user() {
        let reviews = [
            review(1, "alice", "APPROVED", "c1", "2024-05-01T10:00:00Z"),
            review(2, "bob", "CHANGES_REQUESTED", "c1", "2024-05-01T10:05:00Z"),
            review(3, "alice", "COMMENTED", "c2", "2024-05-01T11:00:00Z"),
            review(4, "carol", "APPROVED", "c1", "2024-05-01T10:00:00Z"),
            review(5, "carol", "DISMISSED", "c2", "2024-05-01T12:00:00Z"),
            review(7, "erin", "CHANGES_REQUESTED", "c1", "2024-05-01T10:00:00Z"),
            review(8, "erin", "APPROVED", "c2", "2024-05-01T13:00:00Z"),
            review(9, "frank", "APPROVED", "c1", "2024-05-01T10:00:00Z"),
            review(
                10,
                "frank",
                "CHANGES_REQUESTED",
                "c2",
                "2024-05-01T13:00:00Z",
            ),
        ];
        let pending =
            r#"{"id": 6, "user": {"login": "dave"}, "state": "PENDING", "commit_id": "c2"}"#;
        let ghost = r#"{"id": 11, "user": null, "state": "APPROVED", "commit_id": "c2", "submitted_at": "2024-05-01T14:00:00Z"}"#;
        let text = format!("[{},\n{pending},\n{ghost}]", reviews.join(",\n"));
        let got = parse_reviews("reviews.json", &text).unwrap();
        assert_eq!(
            short(&got),
            vec![
                ("alice", Some("c1"), Approved),
                ("bob", Some("c1"), ChangesRequested),
                ("erin", Some("c2"), Approved),
                ("frank", Some("c2"), ChangesRequested),
            ]
        );
    }

    #[test]
    fn submission_time_orders_reviews_not_file_order() {
        let text = format!(
            "[{}, {}]",
            review(
                2,
                "alice",
                "CHANGES_REQUESTED",
                "c2",
                "2024-05-02T00:00:00Z"
            ),
            review(1, "alice", "APPROVED", "c1", "2024-05-01T00:00:00Z"),
        );
        let got = parse_reviews("r.json", &text).unwrap();
        assert_eq!(short(&got), vec![("alice", Some("c2"), ChangesRequested)]);
    }

    #[test]
    fn paginated_output_is_one_list() {
        let text = format!(
            "[{}]\n[{}]\n",
            review(1, "alice", "APPROVED", "c1", "2024-05-01T00:00:00Z"),
            review(2, "bob", "APPROVED", "c1", "2024-05-01T00:00:00Z"),
        );
        let got = parse_reviews("r.json", &text).unwrap();
        assert_eq!(
            short(&got),
            vec![
                ("alice", Some("c1"), Approved),
                ("bob", Some("c1"), Approved)
            ]
        );
        assert!(parse_reviews("r.json", "[]").unwrap().is_empty());
    }

    #[test]
    fn gh_cli_json() {
        let text = r#"{"reviews": [
  {"id": "PRR_a", "author": {"login": "alice"}, "authorAssociation": "MEMBER", "body": "",
   "submittedAt": "2024-05-01T10:00:00Z", "includesCreatedEdit": false, "reactionGroups": [],
   "state": "APPROVED", "commit": {"oid": "abc123"}},
  {"id": "PRR_b", "author": {"login": "bob"}, "state": "COMMENTED",
   "submittedAt": "2024-05-01T11:00:00Z", "commit": {"oid": "abc123"}}
]}"#;
        let got = parse_reviews("r.json", text).unwrap();
        assert_eq!(short(&got), vec![("alice", Some("abc123"), Approved)]);
    }

    #[test]
    fn gitlab_approvals() {
        let text = r#"{"id": 5, "iid": 5, "project_id": 1, "title": "Approvals API", "state": "opened",
  "merge_status": "cannot_be_merged", "approvals_required": 2, "approvals_left": 1,
  "approved_by": [
    {"user": {"name": "Administrator", "username": "root", "id": 1, "state": "active"}},
    {"user": {"name": "Jo", "username": "jdoe", "id": 2, "state": "active"}}
  ]}"#;
        let got = parse_reviews("approvals.json", text).unwrap();
        assert_eq!(
            short(&got),
            vec![("jdoe", None, Approved), ("root", None, Approved)]
        );
        let with_sha = text.replacen("{\"id\": 5,", "{\"id\": 5, \"sha\": \"f00d\",", 1);
        let got = parse_reviews("approvals.json", &with_sha).unwrap();
        assert_eq!(got[0].commit_id.as_deref(), Some("f00d"));
    }

    fn error_at(text: &str) -> (String, usize) {
        let report = parse_reviews("reviews.json", text).unwrap_err();
        let error = report.downcast_ref::<FileError>().expect("a located error");
        (error.message.clone(), error.span.offset())
    }

    #[test]
    fn syntax_errors_point_at_line_and_column() {
        let text = "[\n  {\"user\": {\"login\": \"alice\"}, \"state\": APPROVED}\n]";
        let (message, offset) = error_at(text);
        assert!(message.starts_with("invalid reviews file"), "{message}");
        assert_eq!(offset, text.find("APPROVED").unwrap());
    }

    #[test]
    fn shape_errors_point_into_the_file() {
        let text = "[\n  {\"user\": {\"login\": \"alice\"}}\n]";
        let (message, offset) = error_at(text);
        assert!(message.contains("missing field `state`"), "{message}");
        assert_eq!(&text[..offset].matches('\n').count(), &1);

        let text = "{\"approved_by\": [{\"user\": {}}]}";
        let (message, _) = error_at(text);
        assert!(message.contains("username"), "{message}");
    }

    #[test]
    fn unknown_shapes_and_empty_files_are_errors() {
        let (message, offset) = error_at("\n  {\"rules\": []}");
        assert!(message.contains("not a reviews file"), "{message}");
        assert_eq!(offset, 3);
        let (message, _) = error_at("   \n");
        assert!(message.contains("empty"), "{message}");
        let (message, _) = error_at("[] trailing");
        assert!(message.starts_with("invalid reviews file"), "{message}");
    }
}
