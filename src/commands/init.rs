//! `imprimatur init`: a commented `imprimatur.yml` and an example pack, for
//! a repository that has none. Never overwrites a file.

use std::path::PathBuf;

use super::EXIT_OK;
use crate::cli::InitArgs;
use crate::error::Result;

const CONFIG: &str = include_str!("../../assets/init/imprimatur.yml");
const EXAMPLE_PACK: &str = include_str!("../../assets/init/example-pack.yml");

pub fn run(args: &InitArgs) -> Result<i32> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => default_dir()?,
    };
    if !dir.is_dir() {
        return Err(crate::error::plain(format!(
            "not a directory: {}",
            dir.display()
        )));
    }
    for name in crate::config::CONFIG_NAMES {
        let existing = dir.join(name);
        if existing.exists() {
            return Err(crate::error::with_help(
                format!("{} already exists; nothing was written", existing.display()),
                "edit it, or remove it and run `imprimatur init` again",
            ));
        }
    }
    let pack = dir.join("rules").join("example.yml");
    if pack.exists() {
        return Err(crate::error::plain(format!(
            "{} already exists; nothing was written",
            pack.display()
        )));
    }
    std::fs::create_dir_all(dir.join("rules"))
        .map_err(|e| crate::error::plain(format!("cannot create rules/: {e}")))?;
    write_new(&pack, EXAMPLE_PACK)?;
    write_new(&dir.join("imprimatur.yml"), CONFIG)?;
    eprintln!(
        "wrote {} and {}",
        dir.join("imprimatur.yml").display(),
        pack.display()
    );
    eprintln!("next: edit them, then run `imprimatur check`");
    Ok(EXIT_OK)
}

/// The repository root, or the current directory outside a repository.
fn default_dir() -> Result<PathBuf> {
    let cwd = std::env::current_dir()
        .map_err(|e| crate::error::plain(format!("cannot read the current directory: {e}")))?;
    Ok(git2::Repository::discover(&cwd)
        .ok()
        .and_then(|r| r.workdir().map(PathBuf::from))
        .unwrap_or(cwd))
}

/// Creates `path` with `contents`, failing if it exists (no race with another writer).
fn write_new(path: &std::path::Path, contents: &str) -> Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| crate::error::plain(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(contents.as_bytes())
        .map_err(|e| crate::error::plain(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_pack_names_every_kind() {
        let kinds_line = EXAMPLE_PACK
            .lines()
            .find(|l| l.starts_with("# Kinds: "))
            .expect("a kinds comment");
        for kind in crate::rules::spec::KindName::ALL {
            assert!(
                kinds_line.contains(kind.as_str()),
                "{kind:?} in {kinds_line}"
            );
        }
    }

    #[test]
    fn the_config_template_loads() {
        crate::config::load_from_text("imprimatur.yml", CONFIG).unwrap();
    }
}
