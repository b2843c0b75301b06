//! Approval evidence: what says that someone approved a change, and how far
//! that can be trusted. The gate turns this evidence into per-file decisions;
//! nothing here knows about policies, people or paths.
//!
//! Two sources:
//!
//! - **Trailers** in the messages of the commits under review
//!   (`Approved-by: Alice Ng <alice@acme.example>`, keys from
//!   `approvals.trailers`), found by git's own rules: [`approvals_from_message`].
//! - **Platform reviews** passed with `--reviews FILE` (GitHub reviews JSON,
//!   GitLab approvals JSON): [`read_reviews`]. They come from the platform's
//!   API and are trusted as such.
//!
//! A trailer is text that whoever made the commit typed, so
//! `approvals.trailer_trust` says when one counts:
//!
//! - `signed` (the default): the commit carrying the trailer has a signature
//!   that [`verify_commit`] reports as [`SignatureCheck::Verified`] against the
//!   `allowed_signers` file read from the policy tree (the merge base), and one
//!   of the signing key's principals is the approver the trailer names (an
//!   email of that person, compared with [`principals_match`]). The approver
//!   signed the statement: this is proof. `Unsigned`, `UnknownKey`,
//!   `BadSignature` and `Unsupported` all make the trailer untrusted
//!   (`untrusted-trailer`).
//! - `author`: the commit carrying the trailer is authored by the approver it
//!   names (author email or name resolved to the same person). Accountability,
//!   not proof: author fields are typed by the committer.
//! - `any`: every trailer counts, for trailers written by a trusted platform
//!   (GitLab's `%{approved_by}` merge-commit template on a protected branch).
//!
//! Who a trailer names is resolved by the gate: [`TrailerApproval::email`]
//! against `people.*.emails`, [`TrailerApproval::handle`] against
//! `people.*.handles`; an identity that resolves to nobody never counts.
//! Platform logins ([`PlatformApproval::login`]) resolve through `handles`.
//! Staleness uses the commit a trailer sits in (later commits in the range
//! that touch the file make it stale) or a review's
//! [`PlatformApproval::commit_id`] (head, or the file unchanged since it).

pub mod reviews;
pub mod signature;
pub mod trailers;

pub use reviews::{parse_reviews, read_reviews, PlatformApproval, ReviewState};
pub use signature::{
    principals_match, read_allowed_signers, verify_commit, verify_commit_with, AllowedSigners, Gpg,
    SignatureCheck,
};
pub use trailers::{
    approvals_from_message, parse_commit_trailers, parse_trailers, Trailer, TrailerApproval,
};
