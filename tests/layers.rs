//! The library is one-way, faces on top (ARCHITECTURE.md): no library module
//! names the command line (`cli`, `commands`, clap) or the language server.
//! Faces are `src/main.rs`, `src/cli.rs`, `src/commands/` and `src/lsp/`,
//! and faces do not import each other: the language server names neither the
//! command line nor its commands, and the commands name the language server
//! only where the `lsp` subcommand starts it. Below the faces, every module
//! has a layer (`LAYERS`, ARCHITECTURE.md's diagram) and imports only its own
//! layer and those below.

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

/// `src/` and the library's files in it: every `.rs` file outside the faces.
fn library_files() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let library = files
        .into_iter()
        .filter(|f| {
            let rel = f.strip_prefix(&src).unwrap();
            let first = rel.components().next().unwrap().as_os_str();
            !FACES.iter().any(|face| first == *face)
        })
        .collect();
    (src, library)
}

#[test]
fn no_library_module_imports_a_face() {
    let (src, library) = library_files();
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

/// The layers of ARCHITECTURE.md's diagram, top to bottom. A module imports
/// (`crate::…`, `super::…`) only modules of its own layer or a lower one. A
/// module not listed has the layer of its longest listed prefix (so
/// `vale::engine` is `vale`'s, while `vale::config`, `vale::ini` and
/// `vale::regex` — the reading of a Vale config, which the config loader
/// needs — are inputs). Every top-level module must be listed.
const LAYERS: [(&str, &[&str]); 9] = [
    ("faces", &["cli", "commands", "lsp"]),
    ("entry points", &["project", "run", "selection", "fuzzing"]),
    ("outputs", &["output"]),
    ("governance", &["report", "gate"]),
    ("check", &["engine", "cache", "changed_lines", "fix"]),
    ("rules", &["rules", "vale", "suppress"]),
    (
        "document",
        &["document", "environment", "dictionary", "text_stats"],
    ),
    (
        "inputs",
        &[
            "workspace",
            "config",
            "source",
            "ownership",
            "approvals",
            "vale::config",
            "vale::ini",
            "vale::regex",
        ],
    ),
    (
        "leaves",
        &[
            "error",
            "finding",
            "calendar",
            "escape",
            "yaml",
            "builtin_rules",
        ],
    ),
];

/// The layer of module `path` (0 is the top), by its longest listed prefix.
fn layer_of(path: &[String]) -> Option<usize> {
    (1..=path.len()).rev().find_map(|n| {
        let prefix = path[..n].join("::");
        LAYERS
            .iter()
            .position(|(_, modules)| modules.contains(&prefix.as_str()))
    })
}

/// The module a file under `src` defines, as path segments.
fn module_of(rel: &Path) -> Vec<String> {
    let mut segments: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    segments
}

/// A file's code without comments and without its `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a use tree starting at `text` names, each up to two segments
/// (enough for `layer_of`): `a::b::c` gives `[a, b]`; `{a, b::c}` gives
/// `[a]` and `[b, c]`.
fn use_paths(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut items = Vec::new();
        let mut start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    items.push(&group[start..i]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&group[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        return items
            .into_iter()
            .flat_map(use_paths)
            .filter(|p| !p.is_empty())
            .collect();
    }
    let mut segments = Vec::new();
    let mut rest = text;
    while segments.len() < 2 {
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let ident = &rest[..end];
        if ident.is_empty() || ident == "self" || ident.starts_with(char::is_uppercase) {
            break;
        }
        segments.push(ident.to_string());
        match rest[end..].strip_prefix("::") {
            Some(after) if !after.starts_with('{') => rest = after,
            _ => break,
        }
    }
    vec![segments]
}

/// The modules `code` (of module `module`) imports, as absolute paths.
fn imports(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        let mut from = 0;
        while let Some(at) = code[from..].find(prefix) {
            let start = from + at;
            from = start + prefix.len();
            if code[..start].ends_with(is_ident) || code[..start].ends_with("::") {
                continue;
            }
            for path in use_paths(&code[from..]) {
                if path.is_empty() {
                    continue;
                }
                let mut full = base.clone();
                full.extend(path);
                found.push(full);
            }
        }
    }
    found
}

#[test]
fn every_import_points_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut unplaced = Vec::new();
    let mut upward = Vec::new();
    let mut edges = 0;
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel == Path::new("lib.rs") || rel == Path::new("main.rs") {
            continue;
        }
        let module = module_of(rel);
        let Some(own) = layer_of(&module) else {
            unplaced.push(module.join("::"));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for target in imports(&module, &code) {
            if target.first() == module.first() && target.len() == 1 {
                continue;
            }
            let Some(layer) = layer_of(&target) else {
                unplaced.push(format!(
                    "{} (imported by {})",
                    target.join("::"),
                    rel.display()
                ));
                continue;
            };
            edges += 1;
            if layer < own {
                upward.push(format!(
                    "{} ({}) imports {} ({})",
                    rel.display(),
                    LAYERS[own].0,
                    target.join("::"),
                    LAYERS[layer].0
                ));
            }
        }
    }
    assert!(edges > 300, "the imports were found: {edges}");
    unplaced.sort();
    unplaced.dedup();
    assert!(
        unplaced.is_empty(),
        "modules without a layer in LAYERS:\n{}",
        unplaced.join("\n")
    );
    upward.sort();
    upward.dedup();
    assert!(
        upward.is_empty(),
        "imports that point up the layers:\n{}",
        upward.join("\n")
    );
}

#[test]
fn use_trees_are_read_as_paths() {
    let module = ["vale".to_string(), "config".to_string()];
    let code = "use crate::{finding::Level, config};\nuse super::ini::{self, Section};\nx(crate::source::git::f());";
    let found: Vec<String> = imports(&module, code)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(found, ["finding", "config", "source::git", "vale::ini"]);
    assert_eq!(
        layer_of(&["vale".into(), "engine".into()]),
        layer_of(&["rules".into()])
    );
    assert_eq!(
        layer_of(&["vale".into(), "ini".into()]),
        layer_of(&["config".into()])
    );
}

/// The library returns what it writes: no module outside the faces writes
/// to stdout or stderr (clippy's print lints catch the macros; this catches
/// the handles). Asking whether stdout is a terminal is not writing.
#[test]
fn no_library_module_writes_to_the_terminal() {
    let (src, library) = library_files();
    let writes: Vec<String> = naming(&src, &library, &["io::stdout()", "io::stderr()"])
        .into_iter()
        .filter(|hit| !hit.contains(".is_terminal()"))
        .collect();
    assert!(
        writes.is_empty(),
        "library modules that write to the terminal:\n{}",
        writes.join("\n")
    );
}
