//! The library is one-way, faces on top (ARCHITECTURE.md): no library module
//! names the command line (`cli`, `commands`, clap) or the language server.
//! Faces are `src/main.rs`, `src/cli.rs`, `src/commands/` and `src/lsp/`.

use std::path::{Path, PathBuf};

const FACES: [&str; 4] = ["main.rs", "cli.rs", "commands", "lsp"];
const FACE_NAMES: [&str; 4] = ["crate::cli", "crate::commands", "crate::lsp", "clap::"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_library_module_imports_a_face() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let library: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            let rel = f.strip_prefix(&src).unwrap();
            let first = rel.components().next().unwrap().as_os_str();
            !FACES.iter().any(|face| first == *face)
        })
        .collect();
    assert!(
        library.len() > 50,
        "the library's files were found: {}",
        library.len()
    );
    let mut leaks = Vec::new();
    for file in library {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for name in FACE_NAMES {
                if code.contains(name) {
                    leaks.push(format!(
                        "{}:{}: {}",
                        file.strip_prefix(&src).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "library modules that name a face:\n{}",
        leaks.join("\n")
    );
}

/// Lines of the Rust files under `src/<dir>` (comments cut off) that
/// contain `name`, as `path:line: text`.
fn naming(dir: &str, name: &str) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join(dir), &mut files);
    assert!(!files.is_empty(), "src/{dir} has Rust files");
    let mut hits = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains(name) {
                let rel = file.strip_prefix(&src).unwrap().display().to_string();
                hits.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    hits
}

/// The outputs are the pipeline's last stage: the gate hands them its
/// typed decision and never names them; they read the gate's decision
/// type and nothing else of the gate.
#[test]
fn the_gate_comes_before_the_outputs() {
    let gate_names_output = naming("gate", "output::");
    assert!(
        gate_names_output.is_empty(),
        "the gate names the outputs:\n{}",
        gate_names_output.join("\n")
    );
    let output_names_gate: Vec<String> = naming("output", "gate::")
        .into_iter()
        .filter(|hit| !hit.ends_with("use crate::gate::Decision;"))
        .collect();
    assert!(
        output_names_gate.is_empty(),
        "the outputs name more of the gate than its decision:\n{}",
        output_names_gate.join("\n")
    );
}
