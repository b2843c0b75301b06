//! Repository paths as git stores them: bytes. A name that is not UTF-8 is
//! still a path the gate must judge, so it is kept as bytes for reading and
//! shown with its invalid bytes escaped (`caf\xe9.md`) for matching and
//! printing; the escaped form never contains a `/` it did not have, so globs
//! and CODEOWNERS patterns see the same directory structure.

use std::path::Path;

/// How a repository path is printed and matched: itself when it is UTF-8,
/// else every byte that is not part of valid UTF-8 as `\xNN`.
pub fn display(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The bytes of a repository path as a `Path` for git2's lookups.
#[cfg(unix)]
pub fn as_path(bytes: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

/// The bytes of a repository path as a `Path` for git2's lookups (git stores
/// UTF-8 names on this platform).
#[cfg(not(unix))]
pub fn as_path(bytes: &[u8]) -> &Path {
    Path::new(std::str::from_utf8(bytes).unwrap_or(""))
}

/// A path the config wrote (`./rules/`, `a//b`, `x/../y`) as the repository
/// path it names: `.` and empty parts dropped, `..` resolved. `Err` when it
/// climbs above where it starts.
pub fn normalize(path: &str) -> Result<String, String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("`{path}` leads outside the repository"));
                }
            }
            name => parts.push(name),
        }
    }
    Ok(parts.join("/"))
}

/// A path glob as the config may write it (`./docs/**`, `/docs/**`,
/// `docs//*.md`) in the one form that matches project-relative paths:
/// globs are always anchored at the project root.
pub fn normalize_glob(glob: &str) -> String {
    let mut g = glob;
    loop {
        let stripped = g.strip_prefix("./").or_else(|| g.strip_prefix('/'));
        match stripped {
            Some(rest) => g = rest,
            None => break,
        }
    }
    let mut out = String::with_capacity(g.len());
    for c in g.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out.replace("/./", "/")
}

/// Does a glob have a `..` part (which no project path can match)?
pub fn glob_climbs(glob: &str) -> bool {
    glob.split('/').any(|p| p == "..")
}

/// `rel` (relative to the project root `prefix`) as a normalised repository path.
pub fn in_repository(prefix: &str, rel: &str) -> Result<String, String> {
    if rel.starts_with('/') {
        return Err(format!(
            "`{rel}` is absolute; write it relative to the project root"
        ));
    }
    normalize(&format!("{prefix}/{rel}"))
}

/// The directory part of a repository path (`""` at the root).
pub fn parent(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(i) => &path[..i],
        None => b"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_escapes_only_invalid_bytes() {
        assert_eq!(display(b"content/caf\xc3\xa9.md"), "content/café.md");
        assert_eq!(display(b"content/caf\xe9.md"), "content/caf\\xe9.md");
        assert_eq!(display(b"a/\xff\xfe/b"), "a/\\xff\\xfe/b");
    }

    #[test]
    fn normalize_resolves_every_spelling() {
        assert_eq!(normalize("./rules//").unwrap(), "rules");
        assert_eq!(
            normalize(".github/../.github/allowed_signers").unwrap(),
            ".github/allowed_signers"
        );
        assert_eq!(normalize("a/./b/../c").unwrap(), "a/c");
        assert!(normalize("../x").is_err());
        assert_eq!(in_repository("site", "../OWNERS").unwrap(), "OWNERS");
        assert!(in_repository("", "../x").is_err());
        assert!(in_repository("", "/etc/passwd").is_err());
    }

    #[test]
    fn globs_are_anchored_at_the_project_root() {
        assert_eq!(normalize_glob("./docs/**/*.md"), "docs/**/*.md");
        assert_eq!(normalize_glob("/docs//a/./*.md"), "docs/a/*.md");
        assert_eq!(normalize_glob("**/*.md"), "**/*.md");
        assert!(glob_climbs("../docs/*.md"));
        assert!(!glob_climbs("docs/..x/*.md"));
    }

    #[test]
    fn parent_of_a_path() {
        assert_eq!(parent(b"a/b/c.md"), b"a/b");
        assert_eq!(parent(b"c.md"), b"");
    }
}
