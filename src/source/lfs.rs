//! Git LFS pointers. A page stored in LFS is, in git, a three-line pointer
//! naming its object; what is published is the object. A pointer is read as
//! its object from local LFS storage (checked against the pointer's SHA-256),
//! and is unreadable — never linted as the pointer text — when the object is
//! not there.

use std::path::Path;

use sha2::{Digest, Sha256};

/// The largest pointer git-lfs writes is well under this.
const MAX_POINTER_LEN: usize = 1024;

/// The object id (lower-case SHA-256 hex) when `bytes` is an LFS pointer.
pub fn pointer_oid(bytes: &[u8]) -> Option<String> {
    // Every page is asked: most fail at the first bytes.
    if bytes.len() > MAX_POINTER_LEN || !bytes.starts_with(b"version ") {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    let version = lines.next()?.strip_prefix("version ")?;
    if !version.starts_with("https://git-lfs.github.com/spec/")
        && !version.starts_with("https://hawser.github.com/spec/")
    {
        return None;
    }
    let oid = lines.find_map(|l| l.strip_prefix("oid sha256:"))?.trim();
    (oid.len() == 64 && oid.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| oid.to_ascii_lowercase())
}

/// `bytes` itself, or — for an LFS pointer — its object from the LFS storage
/// of the repository whose common git directory is `git_dir`.
pub fn resolve(bytes: Vec<u8>, git_dir: Option<&Path>) -> Result<Vec<u8>, String> {
    let Some(oid) = pointer_oid(&bytes) else {
        return Ok(bytes);
    };
    let missing = || {
        format!(
            "stored in Git LFS (object {}) and the object is not in local LFS storage; \
             fetch LFS objects before checking (`git lfs pull`)",
            &oid[..12]
        )
    };
    let Some(git_dir) = git_dir else {
        return Err(missing());
    };
    let path = git_dir
        .join("lfs/objects")
        .join(&oid[..2])
        .join(&oid[2..4])
        .join(&oid);
    let object = std::fs::read(&path).map_err(|_| missing())?;
    let digest: String = Sha256::digest(&object)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if digest != oid {
        return Err(format!(
            "stored in Git LFS, and the local object {} does not match its id; \
             fetch it again (`git lfs fetch`)",
            path.display()
        ));
    }
    Ok(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OID: &str = "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447";

    fn pointer() -> Vec<u8> {
        format!("version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 12\n")
            .into_bytes()
    }

    #[test]
    fn recognises_a_pointer_and_nothing_else() {
        assert_eq!(pointer_oid(&pointer()).as_deref(), Some(OID));
        assert_eq!(pointer_oid(b"# A page\n"), None);
        assert_eq!(pointer_oid(b"version 2\noid sha256:abc\n"), None);
    }

    #[test]
    fn a_missing_object_is_a_reason_and_a_present_one_is_read_and_verified() {
        let dir = tempfile::tempdir().unwrap();
        let err = resolve(pointer(), Some(dir.path())).unwrap_err();
        assert!(err.contains("Git LFS"), "{err}");
        let object_dir = dir
            .path()
            .join("lfs/objects")
            .join(&OID[..2])
            .join(&OID[2..4]);
        std::fs::create_dir_all(&object_dir).unwrap();
        std::fs::write(object_dir.join(OID), b"hello world\n").unwrap();
        assert_eq!(
            resolve(pointer(), Some(dir.path())).unwrap(),
            b"hello world\n"
        );
        std::fs::write(object_dir.join(OID), b"tampered\n").unwrap();
        assert!(resolve(pointer(), Some(dir.path()))
            .unwrap_err()
            .contains("does not match"));
        assert_eq!(resolve(b"plain".to_vec(), None).unwrap(), b"plain");
    }
}
