//! `imprimatur owners`: who owns each path according to CODEOWNERS.
//!
//! Paths given on the command line are resolved whether or not they exist,
//! relative to the current directory, and reported repository-relative with
//! `/`. Without paths, the content file set is listed.

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{OwnersArgs, OwnersFormat};
use crate::commands::EXIT_OK;
use crate::error::{self, Result};
use crate::ownership::{self, CodeOwners, Dialect, Found, Ownership};
use crate::source::policy_files::DiskFiles;
use crate::workspace::Workspace;

pub fn run(args: &OwnersArgs) -> Result<i32> {
    let ws = crate::workspace::Workspace::open(args.project.config.as_deref())?;
    let place = Place::new(&ws.cwd, &ws.root);
    let content_files = if args.paths.is_empty() {
        let set = crate::source::ContentSet::new(&ws.config.config.content)?;
        let files = crate::source::discover(&ws.root, &set, &[], &ws.cwd)?;
        Some(files.into_iter().map(|f| f.rel).collect())
    } else {
        None
    };
    let codeowners = load_codeowners(args, &ws, &place)?;
    let mut paths = match content_files {
        Some(files) => files,
        None => args
            .paths
            .iter()
            .map(|p| place.repo_relative(p))
            .collect::<Result<Vec<_>>>()?,
    };
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));

    let mut files: Vec<FileOwners> = paths
        .into_par_iter()
        .map(|path| {
            let ownership = codeowners.owners_of(&path);
            FileOwners { path, ownership }
        })
        .collect();
    if args.unowned {
        files.retain(|f| !f.ownership.is_owned());
    }

    let text = match args.format {
        OwnersFormat::Json => {
            let mut json = serde_json::to_string_pretty(&Report { files: &files })
                .map_err(|e| error::plain(format!("cannot write JSON: {e}")))?;
            json.push('\n');
            json
        }
        OwnersFormat::Human => human(&files, &place, codeowners.dialect()),
    };
    super::emit::text(&text).map_err(|e| error::plain(format!("cannot write the output: {e}")))?;
    Ok(EXIT_OK)
}

/// CODEOWNERS through the library's loader: the file named by
/// `--codeowners` (relative to the current directory) or the config
/// (relative to the root), else the first found in the project. A named file
/// that is missing is an error; no file found means every path is unowned.
/// Parse problems are warnings on stderr, named from the current directory.
fn load_codeowners(args: &OwnersArgs, ws: &Workspace, place: &Place) -> Result<CodeOwners> {
    let owners = &ws.config.config.owners;
    let named = match &args.codeowners {
        Some(p) => Some(place.cwd.join(p)),
        None => (owners.file != "auto").then(|| place.root.join(&owners.file)),
    };
    let dialect = args.dialect.or(match owners.dialect {
        crate::config::DialectSetting::Auto => None,
        crate::config::DialectSetting::Github => Some(Dialect::Github),
        crate::config::DialectSetting::Gitlab => Some(Dialect::Gitlab),
    });
    let files = DiskFiles {
        base: place.root.clone(),
    };
    let named_text = named.as_ref().map(|p| p.to_string_lossy().into_owned());
    match ownership::load(&files, named_text.as_deref(), dialect)? {
        Found::File {
            owners, problems, ..
        } if problems.is_empty() => Ok(owners),
        Found::File {
            owners,
            rel,
            problems,
        } => {
            let path = place.root.join(rel);
            let shown = path.strip_prefix(&place.cwd).unwrap_or(&path).display();
            for problem in problems {
                eprintln!("warning: {shown}:{}: {}", problem.line, problem.message);
            }
            Ok(owners)
        }
        Found::NamedMissing => Err(error::with_help(
            format!(
                "CODEOWNERS file not found: {}",
                named.unwrap_or_default().display()
            ),
            "pass an existing file to --codeowners, or omit it to use the repository's CODEOWNERS",
        )),
        Found::NoFile => {
            eprintln!(
                "warning: no CODEOWNERS file in {}: every path is unowned",
                ownership::SEARCH_ORDER.join(", ")
            );
            Ok(CodeOwners::empty(dialect.unwrap_or(Dialect::Github)))
        }
    }
}

#[derive(Serialize)]
struct Report<'a> {
    files: &'a [FileOwners],
}

#[derive(Serialize)]
struct FileOwners {
    path: String,
    #[serde(flatten)]
    ownership: Ownership,
}

/// Where the command runs: the project root and the current directory
/// relative to it.
struct Place {
    cwd: PathBuf,
    root: PathBuf,
    /// The current directory relative to the root, `/`-separated, `""` at the root.
    prefix: String,
}

impl Place {
    fn new(cwd: &Path, root: &Path) -> Place {
        let prefix = cwd.strip_prefix(root).map(slash_path).unwrap_or_default();
        Place {
            cwd: cwd.to_path_buf(),
            root: root.to_path_buf(),
            prefix,
        }
    }

    /// `arg` (relative to the current directory, or absolute) as a
    /// repository-relative `/` path, resolved lexically so that it need not
    /// exist. A trailing `/` is kept, or added for an existing directory: it
    /// says the path is a directory.
    fn repo_relative(&self, arg: &str) -> Result<String> {
        let outside = || error::plain(format!("{arg}: the path is outside the repository"));
        let mut parts: Vec<String> = Vec::new();
        let path = Path::new(arg);
        let relative_to_root: PathBuf = if path.is_absolute() {
            let lexical = lexical(path).ok_or_else(outside)?;
            match lexical.strip_prefix(&self.root) {
                Ok(rest) => rest.to_path_buf(),
                Err(_) => path
                    .canonicalize()
                    .ok()
                    .and_then(|c| c.strip_prefix(&self.root).ok().map(Path::to_path_buf))
                    .ok_or_else(outside)?,
            }
        } else {
            parts.extend(
                self.prefix
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            );
            path.to_path_buf()
        };
        for component in relative_to_root.components() {
            match component {
                Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
                Component::ParentDir => {
                    parts.pop().ok_or_else(outside)?;
                }
                _ => {}
            }
        }
        if parts.is_empty() {
            return Err(error::plain(format!(
                "{arg}: the path is the repository root; name a file or directory in it"
            )));
        }
        let mut joined = parts.join("/");
        // An existing directory is a directory whether or not it is written
        // with its `/`, so `owners pricing` answers as `owners pricing/`.
        if arg.ends_with('/') || self.cwd.join(path).is_dir() {
            joined.push('/');
        }
        Ok(joined)
    }

    /// A repository-relative path as seen from the current directory.
    fn display(&self, path: &str) -> String {
        if self.prefix.is_empty() {
            return path.to_string();
        }
        let mut base: Vec<&str> = self.prefix.split('/').collect();
        let mut rest = path;
        let mut common = 0;
        while common < base.len() {
            match rest
                .strip_prefix(base[common])
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(r) => {
                    rest = r;
                    common += 1;
                }
                None => break,
            }
        }
        base.drain(..common);
        format!("{}{rest}", "../".repeat(base.len()))
    }
}

fn slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Resolves `.` and `..` in an absolute path without touching the disk.
fn lexical(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// An aligned listing: path, then owners; GitLab files list each section
/// under the path (`^` marks an optional section, `[n]` its approval count).
fn human(files: &[FileOwners], place: &Place, dialect: Dialect) -> String {
    const MAX_WIDTH: usize = 60;
    let shown: Vec<String> = files.iter().map(|f| place.display(&f.path)).collect();
    let width = shown
        .iter()
        .map(|p| p.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(16, MAX_WIDTH);
    let mut out = String::new();
    for (file, path) in files.iter().zip(&shown) {
        let owners = if file.ownership.is_owned() {
            file.ownership.owners.join(" ")
        } else {
            "(unowned)".to_string()
        };
        let _ = writeln!(out, "{path:<width$}  {owners}");
        if dialect == Dialect::Gitlab {
            for section in &file.ownership.sections {
                let mut label = String::from("  ");
                if section.optional {
                    label.push('^');
                }
                label.push_str(section.name.as_deref().unwrap_or("(default)"));
                if section.approvals_required > 1 {
                    let _ = write!(label, " [{}]", section.approvals_required);
                }
                let _ = writeln!(out, "{label:<width$}  {}", section.owners.join(" "));
            }
        }
    }
    let unowned = files.iter().filter(|f| !f.ownership.is_owned()).count();
    let noun = if files.len() == 1 { "path" } else { "paths" };
    let _ = writeln!(out, "{} {noun}, {unowned} unowned", files.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(prefix: &str) -> Place {
        Place {
            cwd: PathBuf::from("/repo").join(prefix),
            root: PathBuf::from("/repo"),
            prefix: prefix.to_string(),
        }
    }

    #[test]
    fn paths_resolve_lexically_from_the_current_directory() {
        let at_root = place("");
        assert_eq!(at_root.repo_relative("docs/a.md").unwrap(), "docs/a.md");
        assert_eq!(at_root.repo_relative("./docs//a.md").unwrap(), "docs/a.md");
        assert_eq!(at_root.repo_relative("foo/bar/").unwrap(), "foo/bar/");
        assert_eq!(at_root.repo_relative("/repo/x/y.md").unwrap(), "x/y.md");
        assert!(at_root.repo_relative("../elsewhere.md").is_err());
        assert!(at_root.repo_relative("/other/x.md").is_err());
        assert!(at_root.repo_relative(".").is_err());
        let below = place("docs/guide");
        assert_eq!(below.repo_relative("a.md").unwrap(), "docs/guide/a.md");
        assert_eq!(below.repo_relative("../../README.md").unwrap(), "README.md");
    }

    #[test]
    fn display_is_relative_to_the_current_directory() {
        let below = place("docs/guide");
        assert_eq!(below.display("docs/guide/a.md"), "a.md");
        assert_eq!(below.display("docs/other/b.md"), "../other/b.md");
        assert_eq!(below.display("README.md"), "../../README.md");
        assert_eq!(place("").display("README.md"), "README.md");
    }

    #[test]
    fn human_listing_aligns_and_shows_sections() {
        let (co, _) = CodeOwners::parse("* @all\n^[Docs][2] @docs\n*.md\n", Dialect::Gitlab);
        let files: Vec<FileOwners> = ["README.md", "src/main.rs"]
            .iter()
            .map(|p| FileOwners {
                path: p.to_string(),
                ownership: co.owners_of(p),
            })
            .collect();
        let text = human(&files, &place(""), Dialect::Gitlab);
        let expected = "\
README.md         @all @docs
  (default)       @all
  ^Docs [2]       @docs
src/main.rs       @all
  (default)       @all
2 paths, 0 unowned
";
        assert_eq!(text, expected);
    }
}
