//! Who signed a commit: SSH signatures verified in-process against an
//! `allowed_signers` file (ssh-keygen(1), ALLOWED SIGNERS), GPG signatures
//! through `gpg` when one is installed.
//!
//! This answers what `git verify-commit` answers with `gpg.format=ssh` and
//! `gpg.ssh.allowedSignersFile`: the signature is checked in the `git`
//! namespace, the key must be listed for that namespace, and the
//! `valid-after`/`valid-before` window is checked at the committer date, as
//! git asks ssh-keygen to (`-Overify-time`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssh_key::public::KeyData;
use ssh_key::{EcdsaCurve, PublicKey, SshSig};

use crate::error::FileError;

/// The namespace git signs commits in.
const GIT_NAMESPACE: &str = "git";

/// The outcome of checking one commit's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The commit carries no signature.
    Unsigned,
    /// The signature verifies with a key listed for the `git` namespace at
    /// the commit's date; `principals` are that key's principals (from every
    /// line that lists it), i.e. who signed. They may be patterns: compare an
    /// identity with [`principals_match`].
    Verified { principals: Vec<String> },
    /// A GPG signature that verifies with a key of the keyring: `uid` is
    /// the email its user id declares (anyone can declare any), and
    /// `fingerprints` the signing key's and its primary key's fingerprints
    /// (upper-case hex) — what the config binds to a person.
    GpgVerified {
        uid: String,
        fingerprints: Vec<String>,
    },
    /// The signing key is not listed (or not for `git`, or not at that
    /// date); `key` names it (an SSH `SHA256:` fingerprint, a GPG key id).
    UnknownKey { key: String },
    /// The key is listed but the signature does not verify: the commit was
    /// changed after signing, or it was signed for another namespace.
    BadSignature,
    /// The signature cannot be checked here (X.509, GPG without `gpg`, a key
    /// type without a verifier); the reason says which.
    Unsupported(String),
}

/// One line of an allowed_signers file.
#[derive(Debug, Clone)]
struct AllowedSigner {
    principals: Vec<String>,
    namespaces: Option<Vec<String>>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
    cert_authority: bool,
    key: KeyData,
}

/// The keys allowed to sign, with their principals, as ssh-keygen reads an
/// allowed_signers file.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    entries: Vec<AllowedSigner>,
}

impl AllowedSigners {
    /// Parses allowed_signers text: `principals [options] keytype base64
    /// [comment]` per line, `#` comments and blank lines skipped. An error is
    /// `(line, message)`, the line 1-based.
    pub fn parse(text: &str) -> Result<AllowedSigners, (usize, String)> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_matches(|c| matches!(c, ' ' | '\t' | '\r'));
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            entries.push(parse_line(line).map_err(|m| (i + 1, m))?);
        }
        Ok(AllowedSigners { entries })
    }

    /// [`AllowedSigners::parse`] with the error pointing at the line of
    /// `name` for miette (exit status 2).
    pub fn parse_file(name: &str, text: &str) -> crate::error::Result<AllowedSigners> {
        AllowedSigners::parse(text).map_err(|(line, message)| {
            let offset = crate::error::offset_of(text, line, 1);
            let len = text[offset..].find('\n').unwrap_or(text.len() - offset);
            FileError::at(
                name,
                text,
                offset,
                len,
                format!("invalid allowed_signers line: {message}"),
                message,
            )
            .with_help("format: principal[,principal...] [namespaces=\"git\"] ssh-ed25519 AAAA... [comment]")
            .into()
        })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The principals of every line listing `key` for `namespace` at `time`
    /// (seconds since the epoch). Lines marked `cert-authority` list a CA,
    /// not a signing key, and never match a plain key.
    pub fn principals_for(&self, key: &KeyData, namespace: &str, time: i64) -> Vec<String> {
        let mut principals: Vec<String> = Vec::new();
        for entry in &self.entries {
            if entry.cert_authority || &entry.key != key {
                continue;
            }
            if let Some(namespaces) = &entry.namespaces {
                if !principals_match(namespaces, namespace) {
                    continue;
                }
            }
            if entry.valid_after.is_some_and(|t| time < t)
                || entry.valid_before.is_some_and(|t| time > t)
            {
                continue;
            }
            for p in &entry.principals {
                if !principals.contains(p) {
                    principals.push(p.clone());
                }
            }
        }
        principals
    }
}

/// Whether `identity` matches a principal list, as OpenSSH matches pattern
/// lists: `*` and `?` wildcards, case-sensitive, and a matching `!pattern`
/// rejects the identity whatever else matches. Over the principals of
/// several lines this is stricter than per line, never looser.
pub fn principals_match(principals: &[String], identity: &str) -> bool {
    let mut matched = false;
    for pattern in principals {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern.as_str()),
        };
        if wildcard_match(pattern.as_bytes(), identity.as_bytes()) {
            if negated {
                return false;
            }
            matched = true;
        }
    }
    matched
}

fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

const KEY_TYPES: [&str; 8] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "sk-ssh-ed25519@openssh.com",
];

fn is_key_type(token: &str) -> bool {
    KEY_TYPES.contains(&token) || token.ends_with("-cert-v01@openssh.com")
}

fn parse_line(line: &str) -> Result<AllowedSigner, String> {
    let (principals, rest) = if let Some(quoted) = line.strip_prefix('"') {
        let close = quoted.find('"').ok_or("unterminated quote in principals")?;
        (&quoted[..close], &quoted[close + 1..])
    } else {
        line.split_once([' ', '\t'])
            .ok_or("missing key after the principals")?
    };
    let principals: Vec<String> = principals
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect();
    if principals.is_empty() {
        return Err("no principals".into());
    }

    let rest = rest.trim_start_matches([' ', '\t']);
    let first = rest.split([' ', '\t']).next().unwrap_or("");
    let (options, rest) = if is_key_type(first) {
        ("", rest)
    } else {
        let end = options_end(rest)?;
        (&rest[..end], rest[end..].trim_start_matches([' ', '\t']))
    };

    let mut fields = rest.split([' ', '\t']).filter(|f| !f.is_empty());
    let (Some(key_type), Some(blob)) = (fields.next(), fields.next()) else {
        return Err("missing key".into());
    };
    if !is_key_type(key_type) {
        return Err(format!("unknown key type '{key_type}'"));
    }
    let key = PublicKey::from_openssh(&format!("{key_type} {blob}"))
        .map_err(|e| format!("invalid {key_type} key: {e}"))?;

    let mut signer = AllowedSigner {
        principals,
        namespaces: None,
        valid_after: None,
        valid_before: None,
        cert_authority: false,
        key: key.key_data().clone(),
    };
    for option in split_options(options) {
        let (name, value) = match option.split_once('=') {
            Some((n, v)) => (n, Some(dequote(v)?)),
            None => (option, None),
        };
        let need = |v: Option<String>| v.ok_or(format!("option '{name}' needs a value"));
        match name.to_ascii_lowercase().as_str() {
            "cert-authority" if value.is_none() => signer.cert_authority = true,
            "namespaces" => {
                signer.namespaces = Some(need(value)?.split(',').map(String::from).collect())
            }
            "valid-after" => signer.valid_after = Some(parse_time(&need(value)?)?),
            "valid-before" => signer.valid_before = Some(parse_time(&need(value)?)?),
            _ => return Err(format!("unknown option '{option}'")),
        }
    }
    Ok(signer)
}

/// The end of the options field: the first whitespace outside quotes.
fn options_end(s: &str) -> Result<usize, String> {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return Ok(i),
            _ => {}
        }
    }
    if quoted {
        Err("unterminated quote in options".into())
    } else {
        Ok(s.len())
    }
}

/// Splits options at commas outside quotes.
fn split_options(options: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in options.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&options[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < options.len() {
        out.push(&options[start..]);
    }
    out
}

/// An option value: double-quoted, `\"` for a quote, as OpenSSH requires.
fn dequote(value: &str) -> Result<String, String> {
    let inner = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(|| format!("option value {value} must be double-quoted"))?;
    Ok(inner.replace("\\\"", "\""))
}

/// `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, optionally with a `Z`.
/// OpenSSH reads a time without `Z` in the local time zone; imprimatur reads
/// every time as UTC so that a gate decides the same on every runner.
fn parse_time(s: &str) -> Result<i64, String> {
    let digits = s.strip_suffix(['Z', 'z']).unwrap_or(s);
    let bad = || format!("invalid time '{s}' (YYYYMMDD[HHMM[SS]][Z])");
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num =
        |r: std::ops::Range<usize>| digits.get(r).map_or(0, |d| d.parse::<i64>().unwrap_or(0));
    let (year, month, day) = (num(0..4), num(4..6), num(6..8));
    let (hour, minute, second) = (num(8..10), num(10..12), num(12..14));
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(bad());
    }
    // Four and two digits: the casts cannot truncate.
    let days = crate::calendar::days_from_civil(year as i32, month as u32, day as u32);
    Ok(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// How to run `gpg` for GPG-signed commits.
#[derive(Debug, Clone)]
pub struct Gpg {
    pub program: PathBuf,
    /// `GNUPGHOME` for the run; the environment's when `None`.
    pub home: Option<PathBuf>,
}

impl Gpg {
    /// `gpg` from `PATH`, if installed.
    pub fn find() -> Option<Gpg> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("gpg"))
            .find(|p| p.is_file())
            .map(|program| Gpg {
                program,
                home: None,
            })
    }
}

/// Checks the signature of commit `oid` against `signers`; GPG signatures go
/// to `gpg` from `PATH` when there is one.
pub fn verify_commit(
    repo: &git2::Repository,
    oid: git2::Oid,
    signers: &AllowedSigners,
) -> SignatureCheck {
    verify_commit_with(repo, oid, signers, Gpg::find().as_ref())
}

/// [`verify_commit`] with an explicit `gpg` (or none).
pub fn verify_commit_with(
    repo: &git2::Repository,
    oid: git2::Oid,
    signers: &AllowedSigners,
    gpg: Option<&Gpg>,
) -> SignatureCheck {
    let (signature, payload) = match repo.extract_signature(&oid, None) {
        Ok(found) => found,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return SignatureCheck::Unsigned,
        Err(e) => {
            return SignatureCheck::Unsupported(format!(
                "cannot read the signature of commit {oid}: {}",
                e.message()
            ))
        }
    };
    let Ok(armor) = signature.as_str() else {
        return SignatureCheck::Unsupported("the signature is not text".into());
    };
    if armor.contains("-----BEGIN SSH SIGNATURE-----") {
        let time = match repo.find_commit(oid) {
            Ok(commit) => commit.committer().when().seconds(),
            Err(e) => {
                return SignatureCheck::Unsupported(format!(
                    "cannot read commit {oid}: {}",
                    e.message()
                ))
            }
        };
        verify_ssh(armor, &payload, signers, time)
    } else if armor.contains("-----BEGIN PGP SIGNATURE-----") {
        match gpg {
            Some(gpg) => verify_gpg(armor, &payload, gpg),
            None => SignatureCheck::Unsupported(
                "a GPG signature, and no gpg is installed to verify it".into(),
            ),
        }
    } else if armor.contains("-----BEGIN SIGNED MESSAGE-----") {
        SignatureCheck::Unsupported("X.509 (gpgsm) signatures are not supported".into())
    } else {
        SignatureCheck::Unsupported("an unknown signature format".into())
    }
}

/// Whether ssh-key (with the features this crate enables) can verify
/// signatures of this key type.
fn can_verify(key: &KeyData) -> bool {
    match key {
        KeyData::Ed25519(_) | KeyData::SkEd25519(_) | KeyData::SkEcdsaSha2NistP256(_) => true,
        KeyData::Rsa(_) => true,
        KeyData::Ecdsa(k) => matches!(k.curve(), EcdsaCurve::NistP256 | EcdsaCurve::NistP384),
        _ => false,
    }
}

fn verify_ssh(armor: &str, payload: &[u8], signers: &AllowedSigners, time: i64) -> SignatureCheck {
    let sig = match SshSig::from_pem(armor.trim()) {
        Ok(sig) => sig,
        Err(e) => return SignatureCheck::Unsupported(format!("unreadable SSH signature: {e}")),
    };
    let principals = signers.principals_for(sig.public_key(), GIT_NAMESPACE, time);
    if principals.is_empty() {
        return SignatureCheck::UnknownKey {
            key: sig
                .public_key()
                .fingerprint(ssh_key::HashAlg::Sha256)
                .to_string(),
        };
    }
    if !can_verify(sig.public_key()) {
        return SignatureCheck::Unsupported(format!(
            "{} signatures are not supported",
            sig.public_key().algorithm()
        ));
    }
    let key = PublicKey::new(sig.public_key().clone(), "");
    match key.verify(GIT_NAMESPACE, payload, &sig) {
        Ok(()) => SignatureCheck::Verified { principals },
        Err(_) => SignatureCheck::BadSignature,
    }
}

/// Runs `gpg --verify` as git does and reads its status lines. A key of the
/// keyring verifies the signature; whether it may sign for a person is the
/// caller's question, answered from the fingerprints the config binds to
/// that person (a user id is self-declared and proves nothing). An expired
/// or revoked key is an unknown key.
fn verify_gpg(armor: &str, payload: &[u8], gpg: &Gpg) -> SignatureCheck {
    let run = || -> std::io::Result<std::process::Output> {
        let dir = tempfile::tempdir()?;
        let sig_path = dir.path().join("signature.asc");
        std::fs::write(&sig_path, armor)?;
        let mut cmd = Command::new(&gpg.program);
        cmd.args(["--batch", "--no-tty", "--status-fd=1", "--verify"])
            .arg(&sig_path)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(home) = &gpg.home {
            cmd.env("GNUPGHOME", home);
        }
        let mut child = cmd.spawn()?;
        let written = child.stdin.take().map(|mut s| s.write_all(payload));
        let output = child.wait_with_output()?;
        if let Some(Err(e)) = written {
            // gpg may stop reading early on a broken signature; its status says why.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Err(e);
            }
        }
        Ok(output)
    };
    let output = match run() {
        Ok(output) => output,
        Err(e) => return SignatureCheck::Unsupported(format!("could not run gpg: {e}")),
    };
    let status = String::from_utf8_lossy(&output.stdout);
    let mut good: Option<String> = None;
    let mut fingerprints = Vec::new();
    for line in status.lines() {
        let Some(line) = line.strip_prefix("[GNUPG:] ") else {
            continue;
        };
        let (keyword, rest) = line.split_once(' ').unwrap_or((line, ""));
        match keyword {
            "BADSIG" => return SignatureCheck::BadSignature,
            "ERRSIG" | "NO_PUBKEY" | "EXPKEYSIG" | "REVKEYSIG" | "EXPSIG" => {
                let key = rest.split(' ').next().unwrap_or_default();
                return SignatureCheck::UnknownKey {
                    key: format!("GPG key {key}"),
                };
            }
            // VALIDSIG <fpr> <date> <ts> <expire> <ver> <res> <algo> <hash> <class> [<primary fpr>]
            "VALIDSIG" => {
                let fields: Vec<&str> = rest.split(' ').collect();
                fingerprints.extend(
                    [fields.first(), fields.get(9)]
                        .into_iter()
                        .flatten()
                        .map(|f| f.to_ascii_uppercase()),
                );
            }
            "GOODSIG" => {
                let uid = rest.split_once(' ').map_or("", |(_, uid)| uid);
                good = Some(uid_principal(uid));
            }
            _ => {}
        }
    }
    match good {
        Some(uid) => {
            fingerprints.dedup();
            SignatureCheck::GpgVerified { uid, fingerprints }
        }
        None => SignatureCheck::Unsupported(format!(
            "gpg could not verify the signature: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// The email of a `Name <email>` user id, or the whole user id.
fn uid_principal(uid: &str) -> String {
    match (uid.rfind('<'), uid.ends_with('>')) {
        (Some(open), true) => uid[open + 1..uid.len() - 1].to_string(),
        _ => uid.trim().to_string(),
    }
}

/// Reads an allowed_signers file, for callers that have a path.
pub fn read_allowed_signers(path: &Path) -> crate::error::Result<AllowedSigners> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::error::plain(format!(
            "cannot read allowed_signers {}: {e}",
            path.display()
        ))
    })?;
    AllowedSigners::parse_file(&path.display().to_string(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti";

    #[test]
    fn parses_principals_options_and_comments() {
        let text = format!(
            "# team keys\n\n\
             alice@acme.example {ALICE} alice's laptop\n\
             \"bob@acme.example,b@acme.example\" namespaces=\"git,file\",valid-after=\"20200101\" {ALICE}\n\
             *@ops.example cert-authority,valid-before=\"20301231235959Z\" {ALICE}\n"
        );
        let signers = AllowedSigners::parse(&text).unwrap();
        assert_eq!(signers.len(), 3);
        let key = PublicKey::from_openssh(ALICE).unwrap();
        let at_2024 = parse_time("20240101").unwrap();
        assert_eq!(
            signers.principals_for(key.key_data(), "git", at_2024),
            ["alice@acme.example", "bob@acme.example", "b@acme.example"]
        );
        // Before valid-after, bob's line does not apply.
        let at_2019 = parse_time("20190101").unwrap();
        assert_eq!(
            signers.principals_for(key.key_data(), "git", at_2019),
            ["alice@acme.example"]
        );
        // Namespace restriction.
        assert_eq!(
            signers.principals_for(key.key_data(), "file", at_2024),
            ["alice@acme.example", "bob@acme.example", "b@acme.example"]
        );
        assert_eq!(
            signers.principals_for(key.key_data(), "mail", at_2024),
            ["alice@acme.example"]
        );
    }

    #[test]
    fn reports_the_bad_line() {
        let err = |text: &str| AllowedSigners::parse(text).unwrap_err();
        assert_eq!(err(&format!("# c\nalice {ALICE}\nbob\n")).0, 3);
        assert!(err("alice ssh-ed25519 notbase64!\n").1.contains("invalid"));
        assert!(err(&format!("alice frobnicate {ALICE}\n"))
            .1
            .contains("unknown option"));
        assert!(err(&format!("alice namespaces=git {ALICE}\n"))
            .1
            .contains("double-quoted"));
        assert!(err(&format!("alice valid-after=\"2020\" {ALICE}\n"))
            .1
            .contains("invalid time"));
        assert!(err("alice namespaces=\"git\"\n").1.contains("missing key"));
        assert!(err("\"alice ssh-ed25519\n").1.contains("unterminated"));
    }

    #[test]
    fn parse_file_points_at_the_line() {
        let text = format!("alice {ALICE}\nbob nonsense\n");
        let report = AllowedSigners::parse_file(".github/allowed_signers", &text).unwrap_err();
        let error = report.downcast_ref::<FileError>().unwrap();
        assert_eq!(error.span.offset(), text.find("bob").unwrap());
        assert!(error.message.contains("invalid allowed_signers line"));
    }

    #[test]
    fn pattern_lists_match_like_openssh() {
        let list = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(principals_match(
            &list("*@acme.example"),
            "alice@acme.example"
        ));
        assert!(!principals_match(
            &list("*@acme.example"),
            "alice@evil.example"
        ));
        assert!(principals_match(&list("a?ice@x,bob@x"), "alice@x"));
        assert!(!principals_match(
            &list("*@acme.example,!intern@acme.example"),
            "intern@acme.example"
        ));
        assert!(!principals_match(&list("Alice@x"), "alice@x"));
        assert!(principals_match(&list("*"), ""));
    }

    #[test]
    fn times_are_utc() {
        assert_eq!(parse_time("19700101").unwrap(), 0);
        assert_eq!(parse_time("20000301").unwrap(), 951_868_800);
        assert_eq!(parse_time("202403151230Z").unwrap(), 1_710_505_800);
        assert_eq!(parse_time("20240315123005").unwrap(), 1_710_505_805);
        assert!(parse_time("20241301").is_err());
    }

    /// Real keys, real signed commits: ssh-keygen and git do the signing,
    /// imprimatur the verifying.
    mod with_tools {
        use super::super::*;
        use std::path::{Path, PathBuf};
        use std::process::Command;

        /// The path of a tool the test needs; a clear failure when missing,
        /// never a silent pass.
        fn require(tool: &str, package: &str) {
            let spawned = Command::new(tool)
                .arg("--help")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            if let Err(e) = spawned {
                panic!(
                    "{tool} is not available ({e}): these tests need a real {tool} \
                     (apt-get install {package}); the CI script must install it"
                );
            }
        }

        struct Fixture {
            dir: tempfile::TempDir,
        }

        impl Fixture {
            fn new() -> Fixture {
                require("ssh-keygen", "openssh-client");
                require("git", "git");
                let f = Fixture {
                    dir: tempfile::tempdir().unwrap(),
                };
                f.git(&["init", "-q", "-b", "main"]);
                f
            }

            fn path(&self, name: &str) -> PathBuf {
                self.dir.path().join(name)
            }

            fn repo_dir(&self) -> PathBuf {
                self.dir.path().join("repo")
            }

            /// Generates `name` and `name.pub` with no passphrase.
            fn key(&self, name: &str, kind: &str) -> PathBuf {
                let key = self.path(name);
                let (kind, bits) = match kind {
                    "rsa" => ("rsa", "2048"),
                    "ecdsa-521" => ("ecdsa", "521"),
                    "ecdsa" => ("ecdsa", "256"),
                    other => (other, ""),
                };
                let mut cmd = Command::new("ssh-keygen");
                cmd.args(["-q", "-t", kind, "-N", "", "-C", name, "-f"])
                    .arg(&key);
                if !bits.is_empty() {
                    cmd.args(["-b", bits]);
                }
                let status = cmd.status().unwrap();
                assert!(status.success(), "ssh-keygen -t {kind} failed");
                key
            }

            fn public(&self, key: &Path) -> String {
                let text = std::fs::read_to_string(key.with_extension("pub")).unwrap();
                let mut fields = text.split_whitespace();
                format!("{} {}", fields.next().unwrap(), fields.next().unwrap())
            }

            fn git(&self, args: &[&str]) -> String {
                std::fs::create_dir_all(self.repo_dir()).unwrap();
                let out = Command::new("git")
                    .args(args)
                    .current_dir(self.repo_dir())
                    .env("GIT_CONFIG_NOSYSTEM", "1")
                    .env("GIT_CONFIG_GLOBAL", "/dev/null")
                    .env("HOME", self.dir.path())
                    .env("GIT_AUTHOR_NAME", "Alice Ng")
                    .env("GIT_AUTHOR_EMAIL", "alice@acme.example")
                    .env("GIT_COMMITTER_NAME", "Alice Ng")
                    .env("GIT_COMMITTER_EMAIL", "alice@acme.example")
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "git {args:?} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                String::from_utf8(out.stdout).unwrap()
            }

            /// A commit signed with `key` (SSH), or unsigned without one.
            fn commit(&self, message: &str, key: Option<&Path>) -> git2::Oid {
                let mut args = vec!["-c".to_string(), "gpg.format=ssh".to_string()];
                if let Some(key) = key {
                    args.push("-c".into());
                    args.push(format!("user.signingkey={}", key.display()));
                }
                args.extend(["commit", "-q", "--allow-empty", "-m", message].map(String::from));
                if key.is_some() {
                    args.push("-S".into());
                }
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                self.git(&args);
                git2::Oid::from_str(self.git(&["rev-parse", "HEAD"]).trim()).unwrap()
            }

            fn repo(&self) -> git2::Repository {
                git2::Repository::open(self.repo_dir()).unwrap()
            }

            fn signers(&self, text: &str) -> AllowedSigners {
                AllowedSigners::parse(text).unwrap()
            }

            /// `ssh-keygen -Y verify` on the commit's signature, as git runs it.
            fn ssh_keygen_verifies(&self, oid: git2::Oid, allowed: &str, identity: &str) -> bool {
                let (sig, payload) = self.repo().extract_signature(&oid, None).unwrap();
                let sig_path = self.path("check.sig");
                let allowed_path = self.path("check_allowed_signers");
                std::fs::write(&sig_path, &*sig).unwrap();
                std::fs::write(&allowed_path, allowed).unwrap();
                let mut child = Command::new("ssh-keygen")
                    .args(["-Y", "verify", "-n", "git", "-I", identity, "-f"])
                    .arg(&allowed_path)
                    .arg("-s")
                    .arg(&sig_path)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                use std::io::Write;
                child.stdin.take().unwrap().write_all(&payload).unwrap();
                child.wait().unwrap().success()
            }

            /// A commit whose content differs from what its signature covers.
            fn tampered(&self, oid: git2::Oid) -> git2::Oid {
                let repo = self.repo();
                let (sig, payload) = repo.extract_signature(&oid, None).unwrap();
                let payload = format!(
                    "{}Approved-by: mallory@evil.example\n",
                    payload.as_str().unwrap()
                );
                repo.commit_signed(&payload, sig.as_str().unwrap(), None)
                    .unwrap()
            }
        }

        #[test]
        fn allowed_key_verifies_with_its_principal() {
            let f = Fixture::new();
            let alice = f.key("alice", "ed25519");
            let bob = f.key("bob", "ed25519");
            let allowed = format!(
                "alice@acme.example namespaces=\"git\" {}\nbob@acme.example {}\n",
                f.public(&alice),
                f.public(&bob)
            );
            let oid = f.commit(
                "Approve pricing\n\nApproved-by: Alice Ng <alice@acme.example>\n",
                Some(&alice),
            );
            assert_eq!(
                verify_commit(&f.repo(), oid, &f.signers(&allowed)),
                SignatureCheck::Verified {
                    principals: vec!["alice@acme.example".into()]
                }
            );
            assert!(f.ssh_keygen_verifies(oid, &allowed, "alice@acme.example"));
            assert!(!f.ssh_keygen_verifies(oid, &allowed, "bob@acme.example"));
        }

        #[test]
        fn key_not_in_allowed_signers_is_unknown() {
            let f = Fixture::new();
            let alice = f.key("alice", "ed25519");
            let mallory = f.key("mallory", "ed25519");
            let allowed = format!("alice@acme.example {}\n", f.public(&alice));
            let oid = f.commit(
                "Approve\n\nApproved-by: alice@acme.example\n",
                Some(&mallory),
            );
            assert!(matches!(
                verify_commit(&f.repo(), oid, &f.signers(&allowed)),
                SignatureCheck::UnknownKey { key } if key.starts_with("SHA256:")
            ));
            assert!(!f.ssh_keygen_verifies(oid, &allowed, "alice@acme.example"));
        }

        #[test]
        fn key_outside_its_namespace_or_window_is_unknown() {
            let f = Fixture::new();
            let alice = f.key("alice", "ed25519");
            let oid = f.commit("Approve\n", Some(&alice));
            let key = f.public(&alice);
            for allowed in [
                format!("alice@acme.example namespaces=\"file\" {key}\n"),
                format!("alice@acme.example valid-before=\"20000101\" {key}\n"),
                format!("alice@acme.example valid-after=\"99991231\" {key}\n"),
                format!("alice@acme.example cert-authority {key}\n"),
            ] {
                assert!(
                    matches!(
                        verify_commit(&f.repo(), oid, &f.signers(&allowed)),
                        SignatureCheck::UnknownKey { .. }
                    ),
                    "{allowed}"
                );
            }
        }

        #[test]
        fn content_changed_after_signing_is_a_bad_signature() {
            let f = Fixture::new();
            let alice = f.key("alice", "ed25519");
            let allowed = format!("alice@acme.example {}\n", f.public(&alice));
            let oid = f.commit("Approve\n\nApproved-by: alice@acme.example\n", Some(&alice));
            let forged = f.tampered(oid);
            assert_ne!(forged, oid);
            assert_eq!(
                verify_commit(&f.repo(), forged, &f.signers(&allowed)),
                SignatureCheck::BadSignature
            );
            assert!(f.ssh_keygen_verifies(oid, &allowed, "alice@acme.example"));
            assert!(!f.ssh_keygen_verifies(forged, &allowed, "alice@acme.example"));
        }

        #[test]
        fn signature_in_another_namespace_is_a_bad_signature() {
            let f = Fixture::new();
            let alice = f.key("alice", "ed25519");
            let allowed = format!("alice@acme.example {}\n", f.public(&alice));
            let unsigned = f.commit("Approve\n", None);
            let repo = f.repo();
            let commit = repo.find_commit(unsigned).unwrap();
            let payload = repo
                .commit_create_buffer(
                    &commit.author(),
                    &commit.committer(),
                    "Approve\n",
                    &commit.tree().unwrap(),
                    &[],
                )
                .unwrap();
            let payload_path = f.path("payload");
            std::fs::write(&payload_path, &*payload).unwrap();
            let status = Command::new("ssh-keygen")
                .args(["-q", "-Y", "sign", "-n", "file", "-f"])
                .arg(&alice)
                .arg(&payload_path)
                .status()
                .unwrap();
            assert!(status.success());
            let sig = std::fs::read_to_string(f.path("payload.sig")).unwrap();
            let oid = repo
                .commit_signed(payload.as_str().unwrap(), &sig, None)
                .unwrap();
            assert_eq!(
                verify_commit(&repo, oid, &f.signers(&allowed)),
                SignatureCheck::BadSignature
            );
        }

        #[test]
        fn unsigned_commit() {
            let f = Fixture::new();
            let oid = f.commit("Approve\n", None);
            assert_eq!(
                verify_commit(&f.repo(), oid, &AllowedSigners::default()),
                SignatureCheck::Unsigned
            );
        }

        #[test]
        fn ecdsa_and_rsa_keys_verify() {
            let f = Fixture::new();
            for kind in ["ecdsa", "rsa"] {
                let key = f.key(kind, kind);
                let allowed = format!("{kind}@acme.example {}\n", f.public(&key));
                let oid = f.commit(&format!("Signed with {kind}\n"), Some(&key));
                assert_eq!(
                    verify_commit(&f.repo(), oid, &f.signers(&allowed)),
                    SignatureCheck::Verified {
                        principals: vec![format!("{kind}@acme.example")]
                    },
                    "{kind}"
                );
                assert_eq!(
                    verify_commit(&f.repo(), f.tampered(oid), &f.signers(&allowed)),
                    SignatureCheck::BadSignature,
                    "{kind}"
                );
            }
        }

        #[test]
        fn listed_key_without_a_verifier_is_unsupported() {
            let f = Fixture::new();
            let key = f.key("p521", "ecdsa-521");
            let allowed = format!("p521@acme.example {}\n", f.public(&key));
            let oid = f.commit("Signed with P-521\n", Some(&key));
            let check = verify_commit(&f.repo(), oid, &f.signers(&allowed));
            assert!(
                matches!(&check, SignatureCheck::Unsupported(m) if m.contains("nistp521")),
                "{check:?}"
            );
        }

        #[test]
        fn gpg_signature_without_gpg_is_unsupported() {
            let f = Fixture::new();
            let oid = f.commit("Approve\n", None);
            let repo = f.repo();
            let commit = repo.find_commit(oid).unwrap();
            let payload = repo
                .commit_create_buffer(
                    &commit.author(),
                    &commit.committer(),
                    "Approve\n",
                    &commit.tree().unwrap(),
                    &[],
                )
                .unwrap();
            let fake =
                "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----";
            let signed = repo
                .commit_signed(payload.as_str().unwrap(), fake, None)
                .unwrap();
            assert!(matches!(
                verify_commit_with(&repo, signed, &AllowedSigners::default(), None),
                SignatureCheck::Unsupported(_)
            ));
        }

        /// Creates a GPG key in a private GNUPGHOME and stops its agent at
        /// the end.
        struct GpgHome {
            home: tempfile::TempDir,
        }

        impl GpgHome {
            fn new() -> GpgHome {
                require("gpg", "gnupg");
                let home = tempfile::Builder::new()
                    .prefix("g")
                    .tempdir_in("/tmp")
                    .unwrap();
                GpgHome { home }
            }

            fn gpg(&self) -> Gpg {
                Gpg {
                    home: Some(self.home.path().to_path_buf()),
                    ..Gpg::find().unwrap()
                }
            }

            fn generate(&self, uid: &str) {
                let status = Command::new("gpg")
                    .env("GNUPGHOME", self.home.path())
                    .args([
                        "--batch",
                        "--quiet",
                        "--pinentry-mode",
                        "loopback",
                        "--passphrase",
                        "",
                    ])
                    .args(["--quick-gen-key", uid, "ed25519", "sign", "never"])
                    .status()
                    .unwrap();
                assert!(status.success(), "gpg --quick-gen-key failed");
            }
        }

        impl Drop for GpgHome {
            fn drop(&mut self) {
                let _ = Command::new("gpgconf")
                    .env("GNUPGHOME", self.home.path())
                    .args(["--kill", "gpg-agent"])
                    .status();
            }
        }

        #[test]
        fn gpg_signatures_verify_through_gpg() {
            let f = Fixture::new();
            let signer = GpgHome::new();
            signer.generate("Carol Example <carol@acme.example>");
            let out = Command::new("git")
                .current_dir(f.repo_dir())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GNUPGHOME", signer.home.path())
                .args([
                    "-c",
                    "user.name=Carol",
                    "-c",
                    "user.email=carol@acme.example",
                ])
                .args(["-c", "user.signingkey=carol@acme.example"])
                .args([
                    "commit",
                    "-q",
                    "--allow-empty",
                    "-S",
                    "-m",
                    "Approve\n\nApproved-by: carol@acme.example",
                ])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let oid = git2::Oid::from_str(f.git(&["rev-parse", "HEAD"]).trim()).unwrap();
            let repo = f.repo();
            let none = AllowedSigners::default();
            match verify_commit_with(&repo, oid, &none, Some(&signer.gpg())) {
                SignatureCheck::GpgVerified { uid, fingerprints } => {
                    assert_eq!(uid, "carol@acme.example");
                    assert!(!fingerprints.is_empty());
                    assert!(fingerprints
                        .iter()
                        .all(|f| f.len() == 40 && f.bytes().all(|b| b.is_ascii_hexdigit())));
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(
                verify_commit_with(&repo, f.tampered(oid), &none, Some(&signer.gpg())),
                SignatureCheck::BadSignature
            );
            let stranger = GpgHome::new();
            assert!(matches!(
                verify_commit_with(&repo, oid, &none, Some(&stranger.gpg())),
                SignatureCheck::UnknownKey { .. }
            ));
        }
    }
}
