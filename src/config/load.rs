//! Finding and reading the config file, with errors located in its source.

use std::path::{Path, PathBuf};

use super::model::Config;
use super::validate::validate;
use crate::error::{FileError, Result};

/// File names searched for, in order, in each directory.
pub const CONFIG_NAMES: &[&str] = &["imprimatur.yml", ".imprimatur.yml"];

/// A config together with where it came from.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub config: Config,
    /// The config file, or `None` when the defaults apply.
    pub path: Option<PathBuf>,
    /// The directory rule-pack paths are relative to.
    pub base_dir: PathBuf,
}

/// Searches from `start` upward, stopping after `root` (the repository root),
/// or after `start`'s filesystem root when there is no repository.
pub fn find_config_file(start: &Path, root: Option<&Path>) -> Option<PathBuf> {
    find_upward(start, root, CONFIG_NAMES)
}

/// The first of `names` found in `start` or a directory above it, stopping
/// after `root` when given (imprimatur's and Vale's config search alike).
pub fn find_upward(start: &Path, root: Option<&Path>, names: &[&str]) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if Some(dir) == root {
            break;
        }
    }
    None
}

/// Loads `explicit`, or the config found from `start` upward to `root`, or the defaults.
pub fn load(explicit: Option<&Path>, start: &Path, root: Option<&Path>) -> Result<LoadedConfig> {
    let path = match explicit {
        Some(p) if !p.is_file() => {
            return Err(crate::error::plain(format!(
                "config file not found: {}",
                p.display()
            )))
        }
        Some(p) => Some(p.to_path_buf()),
        None => find_config_file(start, root),
    };
    if path.is_none() {
        if let Some(ini) = crate::vale::config::find_config(start, root) {
            let dir = ini
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| start.to_path_buf());
            let name = ini
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            // `[formats]` decides which extensions are content; a config
            // that does not parse is reported when its rules load.
            let extra = std::fs::read_to_string(&ini)
                .ok()
                .and_then(|t| crate::vale::config::parse(&t).ok())
                .map(|v| v.markdown_extensions())
                .unwrap_or_default();
            return Ok(LoadedConfig {
                config: Config::for_vale(&name, &extra),
                path: Some(ini),
                base_dir: dir,
            });
        }
    }
    let Some(path) = path else {
        return Ok(LoadedConfig {
            config: Config::default(),
            path: None,
            base_dir: root.unwrap_or(start).to_path_buf(),
        });
    };
    let text = crate::source::read_text_file(&path)?;
    let config = load_from_text(&path.display().to_string(), &text)?;
    let base_dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| start.to_path_buf());
    Ok(LoadedConfig {
        config,
        path: Some(path),
        base_dir,
    })
}

/// Parses and validates config text; `name` labels errors.
pub fn load_from_text(name: &str, text: &str) -> Result<Config> {
    let mut config: Config = if text.trim().is_empty() {
        yaml_serde::from_str("{}").expect("an empty mapping is a valid config")
    } else {
        crate::yaml::from_str(name, text)?
    };
    config.source = Some(super::model::ConfigSource {
        name: name.to_string(),
        text: text.to_string(),
    });
    validate(&config).map_err(|problem| problem.into_error(name, text))?;
    Ok(normalize_globs(config))
}

/// Globs written as `./docs/**` or `/docs/**` match like `docs/**`: every
/// glob is anchored at the project root (a `..` part is rejected by
/// validation, since no project path can match it).
fn normalize_globs(mut config: Config) -> Config {
    let norm = |globs: &mut Vec<String>| {
        for g in globs.iter_mut() {
            *g = crate::source::repo_path::normalize_glob(g);
        }
    };
    norm(&mut config.content.include);
    norm(&mut config.content.exclude);
    for policy in &mut config.approvals.policies {
        norm(&mut policy.paths);
    }
    config
}

/// A semantic problem in a parsed config, located later by searching the text.
#[derive(Debug)]
pub struct Problem {
    /// The config section the problem is in (`teams`, `approvals`…).
    pub section: &'static str,
    /// The offending value, searched for after the section key to place the error.
    pub needle: String,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn into_error(self, name: &str, text: &str) -> miette::Report {
        let section_at = find_key(text, self.section).unwrap_or(0);
        let (offset, len) = text[section_at..]
            .find(&self.needle)
            .filter(|_| !self.needle.is_empty())
            .map(|i| (section_at + i, self.needle.len()))
            .unwrap_or((section_at, self.section.len()));
        let mut error = FileError::at(name, text, offset, len, self.message, "here");
        error.help = self.help;
        error.into()
    }
}

/// Byte offset of a top-level `key:` in YAML text.
fn find_key(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}
