//! Which files are content: the configured include/exclude globs over a
//! gitignore-aware parallel walk (the `ignore` crate, as ripgrep does), or
//! the paths named on the command line.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Content;
use crate::error::Result;

/// The compiled include/exclude globs of `content:`.
#[derive(Debug, Clone)]
pub struct ContentSet {
    include: GlobSet,
    exclude: GlobSet,
}

impl ContentSet {
    pub fn new(content: &Content) -> Result<ContentSet> {
        Ok(ContentSet {
            include: build(&content.include)?,
            exclude: build(&content.exclude)?,
        })
    }

    /// Is this repository-relative path content?
    pub fn is_content(&self, rel: &str) -> bool {
        let candidate = globset::Candidate::new(rel);
        self.include.is_match_candidate(&candidate) && !self.exclude.is_match_candidate(&candidate)
    }

    pub fn is_excluded(&self, rel: &str) -> bool {
        self.exclude.is_match(rel)
    }
}

fn build(globs: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for g in globs {
        builder.add(
            Glob::new(g).map_err(|e| crate::error::plain(format!("invalid glob `{g}`: {e}")))?,
        );
    }
    builder
        .build()
        .map_err(|e| crate::error::plain(format!("invalid globs: {e}")))
}

/// A content file to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContentFile {
    /// Repository-relative path with `/` separators.
    pub rel: String,
    pub abs: PathBuf,
    /// A symlink whose target lies outside the repository: never read.
    pub outside_link: bool,
    /// Read from this git blob instead of the file on disk (`--staged`, `--rev`).
    pub blob: Option<git2::Oid>,
}

/// Lists content files under `root`, or under/at the explicit `paths`
/// (relative to `cwd`). A path that does not exist is an error.
pub fn discover(
    root: &Path,
    set: &ContentSet,
    paths: &[PathBuf],
    cwd: &Path,
) -> Result<Vec<ContentFile>> {
    let mut files = Vec::new();
    if paths.is_empty() {
        walk(root, root, set, &mut files, None);
    }
    for path in paths {
        let abs = cwd.join(path);
        let meta = std::fs::symlink_metadata(&abs)
            .map_err(|_| crate::error::plain(format!("path not found: {}", path.display())))?;
        if meta.is_dir() {
            walk(root, &abs, set, &mut files, None);
        } else if !set.is_excluded(&relative(root, &abs)) {
            files.push(content_file(root, abs, meta.file_type().is_symlink()));
        }
    }
    sort_and_dedup(&mut files);
    Ok(files)
}

/// The whole content set under `root`, with every directory the walk read
/// (what a cached listing must watch).
pub fn discover_with_dirs(root: &Path, set: &ContentSet) -> (Vec<ContentFile>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    walk(root, root, set, &mut files, Some(&mut dirs));
    sort_and_dedup(&mut files);
    (files, dirs)
}

/// Walked content files for repository-relative paths a cached listing
/// recorded.
pub fn listed_files<'a>(root: &Path, rels: impl Iterator<Item = &'a str>) -> Vec<ContentFile> {
    rels.map(|rel| ContentFile {
        rel: rel.to_string(),
        abs: root.join(rel),
        outside_link: false,
        blob: None,
    })
    .collect()
}

fn sort_and_dedup(files: &mut Vec<ContentFile>) {
    // Paths are unique but for a file named twice: compare them first, in parallel.
    files.par_sort_by(|a, b| a.rel.cmp(&b.rel).then_with(|| a.cmp(b)));
    files.dedup_by(|a, b| a.rel == b.rel);
}

fn content_file(root: &Path, abs: PathBuf, is_link: bool) -> ContentFile {
    let outside_link = is_link && !link_stays_inside(root, &abs);
    ContentFile {
        rel: relative(root, &abs),
        abs,
        outside_link,
        blob: None,
    }
}

/// Does the symlink at `abs` resolve to a file inside `root`?
fn link_stays_inside(root: &Path, abs: &Path) -> bool {
    match (abs.canonicalize(), root.canonicalize()) {
        (Ok(target), Ok(root)) => target.starts_with(root),
        _ => false,
    }
}

/// Walks `dir` in parallel, keeping content files. Symlinks are never
/// followed: a linked file inside the repository is checked at its target.
fn walk(
    root: &Path,
    dir: &Path,
    set: &ContentSet,
    out: &mut Vec<ContentFile>,
    dirs_out: Option<&mut Vec<PathBuf>>,
) {
    let found = Mutex::new(Vec::new());
    let dirs = Mutex::new(Vec::new());
    let record_dirs = dirs_out.is_some();
    ignore::WalkBuilder::new(dir)
        .follow_links(false)
        .require_git(false)
        .build_parallel()
        .run(|| {
            let (found, dirs) = (&found, &dirs);
            Box::new(move |entry| {
                if let Ok(entry) = entry {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                    if is_dir && record_dirs {
                        dirs.lock()
                            .expect("walker lock")
                            .push(entry.path().to_path_buf());
                    }
                    if is_file {
                        let rel = relative(root, entry.path());
                        if set.is_content(&rel) {
                            found.lock().expect("walker lock").push(ContentFile {
                                rel,
                                abs: entry.into_path(),
                                outside_link: false,
                                blob: None,
                            });
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
    out.extend(found.into_inner().expect("walker lock"));
    if let Some(dirs_out) = dirs_out {
        dirs_out.extend(dirs.into_inner().expect("walker lock"));
    }
}

/// The fast path of `relative` for the walker's paths (root + `/` + clean
/// names, UTF-8, `/` separators): a string slice, no component parsing.
fn plain_relative<'a>(root: &Path, abs: &'a Path) -> Option<&'a str> {
    if std::path::MAIN_SEPARATOR != '/' {
        return None;
    }
    let rest = abs
        .to_str()?
        .strip_prefix(root.to_str()?)?
        .strip_prefix('/')?;
    let clean = !rest.is_empty()
        && !rest.starts_with("./")
        && !rest.ends_with('/')
        && !rest.ends_with("/.")
        && !rest.contains("//")
        && !rest.contains("/./")
        && !rest.starts_with('/');
    clean.then_some(rest)
}

/// `abs` relative to `root` with `/` separators (or `abs` itself when outside).
pub fn relative(root: &Path, abs: &Path) -> String {
    if let Some(rel) = plain_relative(root, abs) {
        return rel.to_string();
    }
    let rel = abs.strip_prefix(root).unwrap_or(abs);
    let mut out = String::new();
    for part in rel.components() {
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&os_display(part.as_os_str()));
    }
    out
}

/// A file name as repository paths show it: names that are not UTF-8 with
/// each invalid byte escaped, as git paths are (so a working-tree file and
/// its blob have the same name).
#[cfg(unix)]
fn os_display(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    use std::os::unix::ffi::OsStrExt;
    match name.to_str() {
        Some(s) => s.into(),
        None => super::repo_path::display(name.as_bytes()).into(),
    }
}

#[cfg(not(unix))]
fn os_display(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, str> {
    name.to_string_lossy()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_and_slow_relative_paths_agree() {
        let root = Path::new("/repo/site");
        for (abs, want) in [
            ("/repo/site/docs/a.md", "docs/a.md"),
            ("/repo/site/a.md", "a.md"),
            ("/repo/site//docs/./a.md", "docs/a.md"),
            ("/repo/sitemap/a.md", "/repo/sitemap/a.md"),
            ("/elsewhere/a.md", "/elsewhere/a.md"),
        ] {
            assert_eq!(relative(root, Path::new(abs)), want, "{abs}");
        }
        assert_eq!(plain_relative(root, Path::new("/repo/site//x.md")), None);
        assert_eq!(
            plain_relative(root, Path::new("/repo/site/é/x.md")),
            Some("é/x.md")
        );
    }
}
