//! The engine alone (no file system, no output): parse and check documents
//! against a compiled rule set. Whole runs are measured by `scripts/bench.py`.
//!
//! `cargo bench --bench engine` uses `fixtures/acme-site`; set
//! `IMPRIMATUR_BENCH_DIR` to a directory with an `imprimatur.yml` (such as a
//! `make-corpus.py` output) to measure its rules over up to 2,000 of its pages.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use imprimatur::engine::Checker;
use imprimatur::environment::Environment;

fn project() -> PathBuf {
    std::env::var_os("IMPRIMATUR_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/acme-site"))
}

/// Up to `limit` Markdown files under `dir`, as (relative path, bytes).
fn pages(dir: &Path, limit: usize) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in ignore::Walk::new(dir).flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "md") && path.is_file() {
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(path).unwrap()));
            if out.len() == limit {
                break;
            }
        }
    }
    out
}

fn engine(c: &mut Criterion) {
    let root = project();
    let loaded = imprimatur::config::load(None, &root, Some(&root)).expect("config loads");
    let rules =
        imprimatur::rules::load_rule_set(&loaded.config, &loaded.base_dir).expect("rules load");
    let env = Environment::default();
    let checker = Checker {
        rules: &rules,
        config: &loaded.config,
        env: &env,
    };
    let docs = pages(&root, 2_000);
    let bytes: usize = docs.iter().map(|(_, b)| b.len()).sum();

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("check {} pages", docs.len()), |b| {
        b.iter(|| {
            docs.iter()
                .map(|(rel, text)| checker.check_bytes(rel, Ok(text.clone())).0.findings.len())
                .sum::<usize>()
        })
    });
    group.bench_function("load rules", |b| {
        b.iter(|| imprimatur::rules::load_rule_set(&loaded.config, &loaded.base_dir).unwrap())
    });
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
