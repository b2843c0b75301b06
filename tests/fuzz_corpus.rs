//! Replays the committed fuzz corpora (`fuzz/corpus/TARGET/`, seeds and
//! regression inputs the fuzzer found) through the same library entry
//! points the fuzz targets call, so CI exercises them on stable Rust. A
//! panic or a failed invariant here is a bug, as in the fuzzer.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8]), at_least: usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= at_least,
        "{target}: {} inputs, expected at least {at_least}",
        inputs.len()
    );
    for path in inputs {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn check_corpus() {
    replay("check", imprimatur::fuzzing::check, 15);
}

#[test]
fn vale_corpus() {
    replay("vale", imprimatur::fuzzing::vale, 8);
}

#[test]
fn codeowners_corpus() {
    replay("codeowners", imprimatur::fuzzing::codeowners, 3);
}

#[test]
fn config_corpus() {
    replay("config", imprimatur::fuzzing::config, 5);
}

#[test]
fn approvals_corpus() {
    replay("approvals", imprimatur::fuzzing::approvals, 6);
}

/// The invariants are real: a page whose prefilter result differed, or a
/// CODEOWNERS whose index disagreed, would fail; here the entry points see
/// inputs that exercise every branch they assert on.
#[test]
fn the_check_target_sees_findings_fixes_and_suppressions() {
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/check/suppressions.md"),
    )
    .unwrap();
    imprimatur::fuzzing::check(&data);
    let summary = imprimatur::fuzzing::check_summary(&data);
    assert!(
        summary.findings > 0 && summary.suppressed > 0,
        "{summary:?}"
    );
    let fixable = imprimatur::fuzzing::check_summary(b"Use Github and utilize it.\n");
    assert!(fixable.fixes > 0, "{fixable:?}");
}
