//! The library is one-way, faces on top (ARCHITECTURE.md): no library module
//! names the command line (`cli`, `commands`, clap) or the language server.
//! Faces are `src/main.rs`, `src/cli.rs`, `src/commands/` and `src/lsp/`,
//! and faces do not import each other: the language server names neither the
//! command line nor its commands, and the commands name the language server
//! only where the `lsp` subcommand starts it.

use std::path::{Path, PathBuf};

const FACES: [&str; 4] = ["main.rs", "cli.rs", "commands", "lsp"];
const FACE_NAMES: [&str; 4] = ["crate::cli", "crate::commands", "crate::lsp", "clap::"];

/// Lines of `files` whose code (comments
/// left out) names one of `names`, as `file:line: text` relative to `src`.
fn naming(src: &Path, files: &[PathBuf], names: &[&str]) -> Vec<String> {
    let mut leaks = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if names.iter().any(|name| code.contains(name)) {
                leaks.push(format!(
                    "{}:{}: {}",
                    file.strip_prefix(src).unwrap().display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    leaks
}

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
    let library: Vec<PathBuf> = files
        .into_iter()
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
    let leaks = naming(&src, &library, &FACE_NAMES);
    assert!(
        leaks.is_empty(),
        "library modules that name a face:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn faces_do_not_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut lsp = Vec::new();
    rust_files(&src.join("lsp"), &mut lsp);
    assert!(lsp.len() > 3, "the language server's files were found");
    let leaks = naming(&src, &lsp, &["crate::cli", "crate::commands", "clap::"]);
    assert!(
        leaks.is_empty(),
        "language server modules that name the command line:\n{}",
        leaks.join("\n")
    );
    let mut commands = Vec::new();
    rust_files(&src.join("commands"), &mut commands);
    assert!(commands.len() > 3, "the commands' files were found");
    // The one way in: `imprimatur lsp` hands the process to the server.
    let entry = "Command::Lsp => Ok(crate::lsp::run()),";
    let leaks: Vec<String> = naming(&src, &commands, &["crate::lsp"])
        .into_iter()
        .filter(|leak| !leak.ends_with(entry))
        .collect();
    assert!(
        leaks.is_empty(),
        "commands that name the language server beyond its entry point:\n{}",
        leaks.join("\n")
    );
    let entry_found = naming(&src, &commands, &[entry]);
    assert_eq!(
        entry_found.len(),
        1,
        "the `lsp` entry point: {entry_found:?}"
    );
}

/// Lines of the Rust files under `src/<dir>` (comments cut off) that
/// contain `name`, as `path:line: text`.
fn lines_naming(dir: &str, name: &str) -> Vec<String> {
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
    let gate_names_output = lines_naming("gate", "output::");
    assert!(
        gate_names_output.is_empty(),
        "the gate names the outputs:\n{}",
        gate_names_output.join("\n")
    );
    let output_names_gate: Vec<String> = lines_naming("output", "gate::")
        .into_iter()
        .filter(|hit| !hit.ends_with("use crate::gate::Decision;"))
        .collect();
    assert!(
        output_names_gate.is_empty(),
        "the outputs name more of the gate than its decision:\n{}",
        output_names_gate.join("\n")
    );
}
