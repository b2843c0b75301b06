//! `overrides:` of imprimatur.yml: per-path blocks that switch loaded rules
//! off or give them another level, for built-in, repository and Vale rules
//! alike. Blocks are compiled once against the loaded rules; the engine asks
//! for the settings of each file's path. Later blocks win; within a block an
//! exact id wins over a glob.

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};

use super::Rule;
use crate::config::{Config, RuleSetting};
use crate::finding::Level;

/// One compiled block.
#[derive(Debug)]
struct Block {
    paths: Option<GlobSet>,
    exclude_paths: Option<GlobSet>,
    /// (rule index, setting), globs first so that exact ids win.
    settings: Vec<(usize, RuleSetting)>,
}

impl Block {
    fn matches(&self, path: &str) -> bool {
        self.paths.as_ref().is_none_or(|g| g.is_match(path))
            && !self
                .exclude_paths
                .as_ref()
                .is_some_and(|g| g.is_match(path))
    }
}

/// Every block of the config, compiled against the loaded rules.
#[derive(Debug, Default)]
pub struct Overrides {
    blocks: Vec<Block>,
}

/// What the overrides say about one file: per rule index, the setting of the
/// last block that names it, if any.
#[derive(Debug, Default)]
pub struct FileSettings(Vec<Option<RuleSetting>>);

impl FileSettings {
    /// Is rule `index` switched off for this file?
    pub fn is_off(&self, index: usize) -> bool {
        matches!(self.0.get(index), Some(Some(RuleSetting::Off)))
    }

    /// The level an override gives rule `index`, if one does.
    pub fn level(&self, index: usize) -> Option<Level> {
        self.0
            .get(index)
            .copied()
            .flatten()
            .and_then(RuleSetting::level)
    }

    /// Does any override apply to this file?
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }
}

impl Overrides {
    /// Compiles the config's blocks. Returns the warnings too: an id or glob
    /// that names no loaded rule.
    pub fn compile(config: &Config, rules: &[Rule]) -> (Overrides, Vec<String>) {
        let mut warnings = Vec::new();
        let mut blocks = Vec::new();
        for block in &config.overrides {
            let mut globbed = Vec::new();
            let mut exact = Vec::new();
            for (pattern, setting) in &block.rules {
                let matched = rule_indexes(pattern, rules);
                if matched.is_empty() {
                    warnings.push(unknown_rule_warning(config, pattern, rules));
                }
                let into = if is_glob(pattern) {
                    &mut globbed
                } else {
                    &mut exact
                };
                into.extend(matched.into_iter().map(|i| (i, *setting)));
            }
            globbed.extend(exact);
            blocks.push(Block {
                paths: globs(&block.paths),
                exclude_paths: globs(&block.exclude_paths),
                settings: globbed,
            });
        }
        (Overrides { blocks }, warnings)
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The settings for `path` (a project-relative path).
    pub fn for_path(&self, path: &str, rule_count: usize) -> FileSettings {
        let mut settings = Vec::new();
        for block in self.blocks.iter().filter(|b| b.matches(path)) {
            if settings.is_empty() {
                settings = vec![None; rule_count];
            }
            for &(index, setting) in &block.settings {
                settings[index] = Some(setting);
            }
        }
        FileSettings(settings)
    }
}

/// Warnings for override blocks whose `paths` match none of `files` (the
/// project-relative paths of the whole content set).
pub fn unmatched_paths_warnings(config: &Config, files: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for block in &config.overrides {
        for pattern in &block.paths {
            let Ok(glob) = Glob::new(pattern) else {
                continue;
            };
            let matcher = glob.compile_matcher();
            if !files.iter().any(|f| matcher.is_match(f)) {
                out.push(located(
                    config,
                    pattern,
                    format!("override path `{pattern}` matches no content file"),
                ));
            }
        }
    }
    out
}

fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '[', '{'])
}

/// The indexes of the rules `pattern` (an id or a glob over ids) names.
fn rule_indexes(pattern: &str, rules: &[Rule]) -> Vec<usize> {
    let matcher: Option<GlobMatcher> = is_glob(pattern)
        .then(|| Glob::new(pattern).ok().map(|g| g.compile_matcher()))
        .flatten();
    rules
        .iter()
        .enumerate()
        .filter(|(_, r)| match &matcher {
            Some(m) => m.is_match(&r.id),
            None => r.id == pattern,
        })
        .map(|(i, _)| i)
        .collect()
}

fn unknown_rule_warning(config: &Config, pattern: &str, rules: &[Rule]) -> String {
    let mut message = format!("override names `{pattern}`, which matches no loaded rule");
    match crate::yaml::closest(pattern, rules.iter().map(|r| r.id.as_str())) {
        Some(c) => message.push_str(&format!(" (did you mean `{c}`?)")),
        None => message.push_str(" (`imprimatur rules` lists the loaded rules)"),
    }
    located(config, pattern, message)
}

/// `FILE:LINE:COLUMN: message`, at `needle` after the config's `overrides:` key.
fn located(config: &Config, needle: &str, message: String) -> String {
    let Some(source) = &config.source else {
        return message;
    };
    let text = &source.text;
    let start = text
        .find("\noverrides:")
        .map(|i| i + 1)
        .or_else(|| text.starts_with("overrides:").then_some(0))
        .unwrap_or(0);
    let offset = text[start..].find(needle).map_or(start, |i| start + i);
    let (line, column) = line_column(text, offset);
    format!("{}:{line}:{column}: {message}", source.name)
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn globs(patterns: &[String]) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        // Validated with the config; a bad glob cannot reach here.
        if let Ok(glob) = Glob::new(p) {
            builder.add(glob);
        }
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("x", 0), (1, 1));
    }

    #[test]
    fn a_glob_is_told_from_an_id() {
        assert!(is_glob("brand/*"));
        assert!(!is_glob("claims/guarantee"));
    }
}
