//! Stand-ins for published release archives: what the release workflow
//! uploads (`imprimatur-lint-TARGET.tar.gz` and its `.sha256`), holding a
//! small launcher for the binary under test so an install can be run.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use super::http::Server;

pub const LINUX_X64: &str = "x86_64-unknown-linux-musl";

pub fn executable(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A release archive as the release workflow lays it out
/// (`imprimatur-lint-TARGET/imprimatur` plus docs), gzipped tar, built with
/// the system `tar`.
pub fn release_archive(target: &str) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let name = format!("imprimatur-lint-{target}");
    let dir = work.path().join(&name);
    executable(
        &dir.join("imprimatur"),
        &format!(
            "#!/bin/sh\nexec '{}' \"$@\"\n",
            assert_cmd::cargo::cargo_bin("imprimatur").display()
        ),
    );
    std::fs::write(dir.join("README.md"), "# imprimatur\n").unwrap();
    let archive = work.path().join("out.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(work.path())
        .arg(&name)
        .status()
        .expect("tar is installed");
    assert!(status.success());
    std::fs::read(archive).unwrap()
}

/// Publishes a release `tag` with an archive for `target` and its checksum
/// file; `sum` replaces the true checksum when given.
pub fn publish(server: &Server, tag: &str, target: &str, sum: Option<&str>) {
    let archive = release_archive(target);
    let name = format!("imprimatur-lint-{target}.tar.gz");
    let hex = sum.map_or_else(|| sha256_hex(&archive), str::to_string);
    server.put(&format!("{tag}/{name}"), &archive);
    server.put(
        &format!("{tag}/{name}.sha256"),
        format!("{hex}  {name}\n").as_bytes(),
    );
}
