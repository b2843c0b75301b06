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
