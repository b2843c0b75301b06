//! The projects behind open buffers: one `Project` per config (or
//! repository, or workspace folder), found by the same upward search as
//! `check` from the buffer's directory, loaded once and reused across edits.
//! A reload that fails keeps the last good project and remembers the error,
//! so it is shown once and the server goes on serving.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::project::Project;

/// Why a project could not be (re)loaded, located when the error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub message: String,
    /// The file at fault (config, rule pack…) and the 0-based line and
    /// character (in chars) of the error, when known.
    pub file: Option<PathBuf>,
    pub line: u32,
    pub column: u32,
}

impl LoadError {
    fn from_report(report: &miette::Report, fallback_file: Option<&Path>) -> LoadError {
        let mut message = report.to_string();
        if let Some(help) = report.help() {
            message.push_str(&format!(" ({help})"));
        }
        match report.downcast_ref::<crate::error::FileError>() {
            Some(located) => {
                let text = located.source_code.inner();
                let offset = located.span.offset().min(text.len());
                let before = &text[..offset];
                let line = before.matches('\n').count();
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let column = before[line_start..].chars().count();
                LoadError {
                    message,
                    file: Some(PathBuf::from(located.source_code.name())),
                    line: line as u32,
                    column: column as u32,
                }
            }
            None => LoadError {
                message,
                file: fallback_file.map(Path::to_path_buf),
                line: 0,
                column: 0,
            },
        }
    }
}

/// One loaded project and the error of its last reload, if it failed.
pub struct Entry {
    /// Where the project was searched from.
    start: PathBuf,
    fallback_root: Option<PathBuf>,
    /// The last good project (`None` when it never loaded).
    pub project: Option<Project>,
    pub error: Option<LoadError>,
}

impl Entry {
    /// Loads again; on failure the last good project stays. Returns whether
    /// the error changed (a new error is shown, a cleared one is retracted).
    fn reload(&mut self, explicit_config: Option<&Path>) -> bool {
        let before = self.error.clone();
        match Project::open(&self.start, explicit_config, self.fallback_root.as_deref()) {
            Ok(project) => {
                // CODEOWNERS lines the project cannot use go to the server's
                // log (stderr, which editors keep), as the command line
                // prints them.
                for warning in &project.policy.owners_warnings {
                    eprintln!("warning: {warning}");
                }
                self.project = Some(project);
                self.error = None;
            }
            Err(report) => {
                let config = self.project.as_ref().and_then(Project::config_file);
                self.error = Some(LoadError::from_report(&report, config));
            }
        }
        before != self.error
    }

    /// Does a change to `path` concern this project?
    fn depends_on(&self, path: &Path) -> bool {
        match &self.project {
            Some(project) => project.depends_on(path),
            // Never loaded: any change may be the repair.
            None => true,
        }
    }
}

#[derive(Default)]
pub struct Projects {
    /// Workspace folders: the root of a project with no config and no repository.
    pub folders: Vec<PathBuf>,
    /// `initializationOptions.config`: one config file for every buffer.
    pub explicit_config: Option<PathBuf>,
    pub entries: Vec<Entry>,
    /// Directory searched from → entry.
    by_dir: HashMap<PathBuf, usize>,
}

impl Projects {
    /// The entry for a file at `path` (loading its project on first use).
    pub fn entry_for(&mut self, path: &Path) -> usize {
        let dir = crate::project::start_dir(path);
        if let Some(&i) = self.by_dir.get(&dir) {
            return i;
        }
        let fallback_root = self
            .folders
            .iter()
            .filter(|f| dir.starts_with(f))
            .max_by_key(|f| f.as_os_str().len())
            .cloned();
        let mut entry = Entry {
            start: dir.clone(),
            fallback_root,
            project: None,
            error: None,
        };
        entry.reload(self.explicit_config.as_deref());
        let index = self.same_project(&entry).unwrap_or_else(|| {
            self.entries.push(entry);
            self.entries.len() - 1
        });
        self.by_dir.insert(dir, index);
        index
    }

    /// An entry already loaded for the same config or root as `entry` — or,
    /// when `entry` failed on a file another entry loaded, that entry (which
    /// keeps the last good config).
    fn same_project(&self, entry: &Entry) -> Option<usize> {
        let key = |e: &Entry| -> Option<PathBuf> {
            let p = e.project.as_ref()?;
            Some(p.config_file().unwrap_or(p.root()).to_path_buf())
        };
        let wanted = key(entry).or_else(|| entry.error.as_ref()?.file.clone())?;
        self.entries.iter().position(|e| {
            key(e).as_ref() == Some(&wanted)
                || e.project.as_ref().is_some_and(|p| p.depends_on(&wanted))
                    && entry.project.is_none()
        })
    }

    /// Reloads every project that a change to `paths` concerns; returns the
    /// entries whose project or error changed. A config file appearing or
    /// going away can move buffers to another project: buffers are looked
    /// up again from then on.
    pub fn changed(&mut self, paths: &[PathBuf]) -> Vec<(usize, bool)> {
        let mut out = Vec::new();
        for (i, entry) in self.entries.iter_mut().enumerate() {
            if paths.iter().any(|p| entry.depends_on(p)) {
                let error_changed = entry.reload(self.explicit_config.as_deref());
                out.push((i, error_changed));
            }
        }
        let config_named = |p: &PathBuf| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                crate::config::CONFIG_NAMES.contains(&n) || crate::vale::CONFIG_NAMES.contains(&n)
            })
        };
        if paths.iter().any(config_named) {
            self.by_dir.clear();
        }
        out
    }
}
