//! A Vale project config (`.vale.ini` and its other names): found upward from
//! the current directory, read with Vale's INI rules, and turned into the
//! policy that decides which rules run on which file and at which level.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher};

use super::ini::{self, Section};
use crate::finding::Level;

/// Vale's config file names, searched in this order in each directory
/// (Vale 3's `configNames` in `internal/core/config.go`); a directory of
/// that name (a `.vale/` styles folder) is not a config.
pub const CONFIG_NAMES: &[&str] = &[".vale", "_vale", "vale.ini", ".vale.ini", "_vale.ini"];

/// Searches from `start` upward (to `root` when given) for a Vale config file.
pub fn find_config(start: &Path, root: Option<&Path>) -> Option<PathBuf> {
    crate::config::find_upward(start, root, CONFIG_NAMES)
}

/// Core options (above any section) and the per-file policy.
#[derive(Debug, Default)]
pub struct ValeIni {
    pub styles_path: Option<String>,
    pub min_level: Option<Level>,
    pub vocab: Vec<String>,
    pub word_template: Option<String>,
    pub skipped_scopes: Vec<String>,
    pub ignored_classes: Vec<String>,
    /// `IgnoredScopes`: inline elements whose text is not read.
    pub ignored_scopes: Vec<String>,
    /// `Style.Rule = level` and `Style = level`, from any section.
    pub levels: HashMap<String, Level>,
    pub policy: IniPolicy,
    pub warnings: Vec<String>,
    /// `Packages`: names, URLs or paths, as written.
    pub packages: Vec<String>,
    /// `[formats]`: extension → the format it is read as (`mdx = md`).
    pub formats: Vec<(String, String)>,
}

/// Which rules run on which file.
#[derive(Debug, Default, Clone)]
pub struct IniPolicy {
    /// `[*]`: `BasedOnStyles` and rule switches for every file.
    pub global_styles: Vec<String>,
    pub global_checks: HashMap<String, bool>,
    pub global_token_ignores: Vec<String>,
    pub global_block_ignores: Vec<String>,
    pub sections: Vec<SectionPolicy>,
    /// Every `TokenIgnores` / `BlockIgnores` pattern, compiled once.
    pub patterns: HashMap<String, super::regex::ValeRegex>,
    /// `[formats]`, as in `ValeIni` (it decides a file's normalised extension).
    pub formats: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct SectionPolicy {
    pub label: String,
    glob: GlobMatcher,
    pub styles: Option<Vec<String>>,
    pub checks: Vec<(String, bool)>,
    pub token_ignores: Vec<String>,
    pub block_ignores: Vec<String>,
}

/// The policy for one file.
#[derive(Debug, Clone, Default)]
pub struct FilePolicy {
    pub base_styles: Vec<String>,
    pub checks: HashMap<String, bool>,
    pub token_ignores: Vec<String>,
    pub block_ignores: Vec<String>,
}

/// A config problem at a byte offset of the ini text (of the `file`-th of
/// the merged texts).
#[derive(Debug)]
pub struct IniProblem {
    pub message: String,
    pub offset: usize,
    pub len: usize,
    pub file: usize,
}

const CORE_KEYS: &[&str] = &[
    "StylesPath",
    "MinAlertLevel",
    "IgnoredScopes",
    "WordTemplate",
    "SkippedScopes",
    "IgnoredClasses",
    "Vocab",
    "NLPEndpoint",
    "Packages",
];
const SYNTAX_KEYS: &[&str] = &[
    "BasedOnStyles",
    "IgnorePatterns",
    "BlockIgnores",
    "CommentDelimiters",
    "TokenIgnores",
    "Transform",
    "Lang",
    "View",
];

pub fn level_named(name: &str) -> Option<Level> {
    match name {
        "suggestion" => Some(Level::Info),
        "warning" => Some(Level::Warning),
        "error" => Some(Level::Error),
        _ => None,
    }
}

/// Parses config text.
pub fn parse(text: &str) -> Result<ValeIni, IniProblem> {
    parse_merged(&[text])
}

/// Parses several config texts merged as Vale merges its pipeline (the
/// synced packages' configs, then the project's; see [`ini::merge`]).
pub fn parse_merged(texts: &[&str]) -> Result<ValeIni, IniProblem> {
    let mut parsed = Vec::new();
    for (file, text) in texts.iter().enumerate() {
        parsed.push(ini::parse(text).map_err(|e| IniProblem {
            message: e.message,
            offset: e.offset,
            len: e.len,
            file,
        })?);
    }
    let sections = ini::merge(parsed);
    let mut out = ValeIni::default();
    for section in &sections {
        match section.name.as_str() {
            "" => core(section, &mut out)?,
            "*" => global(section, &mut out)?,
            "formats" => {
                for key in section.keys() {
                    let value = section.values(key).first().map(|v| v.to_string());
                    out.formats
                        .push((key.to_string(), value.unwrap_or_default()));
                }
                out.policy.formats = out.formats.clone();
            }
            "DEFAULT" | "asciidoctor" => {}
            _ => glob_section(section, &mut out)?,
        }
        for key in ["TokenIgnores", "BlockIgnores", "IgnorePatterns"] {
            for pattern in ini::merged_list(section, key) {
                let re = super::regex::ValeRegex::new(&pattern).map_err(|e| IniProblem {
                    message: format!("invalid regex in `{key}`: {e}"),
                    offset: section.entry(key).map_or(section.offset, |en| en.offset),
                    len: key.len(),
                    file: section.entry(key).map_or(section.file, |en| en.file),
                })?;
                out.policy.patterns.insert(pattern, re);
            }
        }
    }
    Ok(out)
}

fn core(section: &Section, out: &mut ValeIni) -> Result<(), IniProblem> {
    for entry in &section.entries {
        let key = entry.key.as_str();
        if SYNTAX_KEYS.contains(&key) {
            return Err(problem(
                entry,
                format!("`{key}` is a syntax-specific option; put it in a `[glob]` section"),
            ));
        }
        let last = |k: &str| section.values(k).last().map(|v| v.to_string());
        match key {
            "StylesPath" => out.styles_path = last(key),
            "MinAlertLevel" => {
                let value = last(key).unwrap_or_default();
                out.min_level = Some(level_named(&value).ok_or_else(|| {
                    problem(
                        entry,
                        "MinAlertLevel must be `suggestion`, `warning` or `error`".to_string(),
                    )
                })?);
            }
            "Vocab" => out.vocab = ini::merged_list(section, key),
            "WordTemplate" => {
                out.word_template = section.values(key).first().map(|v| v.to_string())
            }
            "SkippedScopes" => out.skipped_scopes = ini::merged_list(section, key),
            "IgnoredClasses" => out.ignored_classes = ini::merged_list(section, key),
            "IgnoredScopes" => out.ignored_scopes = ini::merged_list(section, key),
            "Packages" => out.packages = ini::merged_list(section, key),
            "NLPEndpoint" => {}
            other => {
                let w = format!(
                    "`{other}` above any section is not a Vale option; ignored (as Vale does)"
                );
                if !out.warnings.contains(&w) {
                    out.warnings.push(w);
                }
            }
        }
    }
    Ok(())
}

fn global(section: &Section, out: &mut ValeIni) -> Result<(), IniProblem> {
    for key in section.keys() {
        let entry = section.entry(key).expect("listed key");
        if CORE_KEYS.contains(&key) {
            return Err(problem(
                entry,
                format!("`{key}` is a core option; define it above any `[...]` section"),
            ));
        }
        match key {
            "BasedOnStyles" => out.policy.global_styles = ini::merged_list(section, key),
            "TokenIgnores" => out.policy.global_token_ignores = ini::merged_list(section, key),
            "BlockIgnores" | "IgnorePatterns" => out
                .policy
                .global_block_ignores
                .extend(ini::merged_list(section, key)),
            _ if SYNTAX_KEYS.contains(&key) => {}
            _ => {
                let on = switch(key, &entry.value, &mut out.levels);
                out.policy.global_checks.insert(key.to_string(), on);
            }
        }
    }
    Ok(())
}

fn glob_section(section: &Section, out: &mut ValeIni) -> Result<(), IniProblem> {
    let glob = GlobBuilder::new(&section.name)
        .literal_separator(false)
        .build()
        .map_err(|e| IniProblem {
            message: format!("the glob `{}` could not be compiled: {e}", section.name),
            offset: section.offset,
            len: section.name.len() + 2,
            file: section.file,
        })?
        .compile_matcher();
    let mut policy = SectionPolicy {
        label: section.name.clone(),
        glob,
        styles: None,
        checks: Vec::new(),
        token_ignores: Vec::new(),
        block_ignores: Vec::new(),
    };
    for key in section.keys() {
        let entry = section.entry(key).expect("listed key");
        if CORE_KEYS.contains(&key) {
            return Err(problem(
                entry,
                format!("`{key}` is a core option; define it above any `[...]` section"),
            ));
        }
        match key {
            "BasedOnStyles" => policy.styles = Some(ini::merged_list(section, key)),
            "TokenIgnores" => policy.token_ignores = ini::merged_list(section, key),
            "BlockIgnores" | "IgnorePatterns" => {
                policy.block_ignores.extend(ini::merged_list(section, key))
            }
            "Transform" | "CommentDelimiters" | "Lang" | "View" => {}
            _ => {
                // A repeated switch keeps its first value (go-ini shadows).
                let on = switch(key, &entry.value, &mut out.levels);
                policy.checks.push((key.to_string(), on));
            }
        }
    }
    out.policy.sections.push(policy);
    Ok(())
}

/// `YES` / `NO` / a level (which also sets the rule's level everywhere).
fn switch(key: &str, value: &str, levels: &mut HashMap<String, Level>) -> bool {
    match value {
        "YES" => true,
        "NO" => false,
        other => match level_named(other) {
            Some(level) => {
                levels.insert(key.to_string(), level);
                true
            }
            None => false,
        },
    }
}

fn problem(entry: &ini::Entry, message: String) -> IniProblem {
    IniProblem {
        message,
        offset: entry.offset,
        len: entry.key.len(),
        file: entry.file,
    }
}

impl ValeIni {
    /// Extensions `[formats]` maps to Markdown (`mdx = md`), which are
    /// therefore content.
    pub fn markdown_extensions(&self) -> Vec<String> {
        self.formats
            .iter()
            .filter(|(_, to)| ["md", "mdx", "markdown"].contains(&to.as_str()))
            .map(|(ext, _)| ext.trim_start_matches('.').to_string())
            .collect()
    }
}

/// The name a `Packages` entry installs under: a plain name as it is, a URL
/// or path by its file name without extension (`…/Hugo.zip` → `Hugo`,
/// `vale/Grafana` → `Grafana`), as `vale sync` names it.
pub fn package_name(entry: &str) -> String {
    let last = entry
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(entry);
    match last.rsplit_once('.') {
        Some((stem, _)) if entry.contains('/') && !stem.is_empty() => stem.to_string(),
        _ => last.to_string(),
    }
}

impl IniPolicy {
    /// The styles, switches and ignore patterns that apply to `path`
    /// (relative to the config's directory). The last matching section with
    /// `BasedOnStyles` decides the styles; switches of all matching sections
    /// apply in file order, later ones winning.
    pub fn for_file(&self, path: &str) -> FilePolicy {
        let mut file = FilePolicy {
            base_styles: self.global_styles.clone(),
            token_ignores: self.global_token_ignores.clone(),
            block_ignores: self.global_block_ignores.clone(),
            ..FilePolicy::default()
        };
        for s in self.sections.iter().filter(|s| s.glob.is_match(path)) {
            if let Some(styles) = &s.styles {
                file.base_styles = styles.clone();
            }
            for (k, v) in &s.checks {
                file.checks.insert(k.clone(), *v);
            }
        }
        // Vale matches an ignore section's glob against the file's
        // extension, not its path (`applyBlockPatterns`: `[*.md]` and
        // `[*]` apply, `[docs/*.md]` never does).
        let (normed, real) = self.extensions(path);
        for s in self
            .sections
            .iter()
            .filter(|s| s.glob.is_match(&normed) || s.glob.is_match(&real))
        {
            file.token_ignores.extend(s.token_ignores.iter().cloned());
            file.block_ignores.extend(s.block_ignores.iter().cloned());
        }
        file
    }

    /// A file's extension as Vale normalises it (Markdown's spellings and
    /// what `[formats]` maps are `.md`), and as it is, both with the dot.
    fn extensions(&self, path: &str) -> (String, String) {
        let ext = std::path::Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_string())
            .unwrap_or_default();
        let mapped = self
            .formats
            .iter()
            .find(|(from, _)| from.trim_start_matches('.') == ext)
            .map_or(ext.as_str(), |(_, to)| to.as_str());
        let normed = match mapped {
            "md" | "markdown" | "mdown" | "markdn" | "mkd" | "mkdn" | "mdwn" => "md",
            other => other,
        };
        (format!(".{normed}"), format!(".{ext}"))
    }

    /// Every style any part of the config names.
    pub fn styles(&self) -> Vec<String> {
        let mut out = self.global_styles.clone();
        for s in &self.sections {
            out.extend(s.styles.iter().flatten().cloned());
        }
        dedup(out)
    }

    /// Every `Style.Rule` (or `Style`) switched anywhere.
    pub fn named_checks(&self) -> Vec<String> {
        let mut out: Vec<String> = self.global_checks.keys().cloned().collect();
        out.sort();
        for s in &self.sections {
            out.extend(s.checks.iter().map(|(k, _)| k.clone()));
        }
        dedup(out)
    }

    /// Could the config ever run rule `id` of `style`? (Vale's `enabledSomewhere`.)
    pub fn enabled_somewhere(&self, id: &str, style: &str) -> bool {
        let setting = |checks: &dyn Fn(&str) -> Option<bool>| checks(id).or_else(|| checks(style));
        for s in &self.sections {
            let found = |k: &str| s.checks.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
            if setting(&found) == Some(true) {
                return true;
            }
        }
        if let Some(v) = setting(&|k: &str| self.global_checks.get(k).copied()) {
            return v;
        }
        if self.global_styles.iter().any(|s| s == style) {
            return true;
        }
        self.sections.iter().any(|s| {
            s.styles
                .as_ref()
                .is_some_and(|st| st.iter().any(|x| x == style))
                && {
                    let found = |k: &str| s.checks.iter().find(|(n, _)| n == k).map(|(_, v)| *v);
                    setting(&found) != Some(false)
                }
        })
    }
}

impl FilePolicy {
    /// Does rule `id` of `style` run on this file? A switch in a matching
    /// section wins, then one in `[*]`, then the file's `BasedOnStyles`.
    pub fn runs(&self, global: &HashMap<String, bool>, id: &str, style: &str) -> bool {
        if let Some(v) = self.checks.get(id).or_else(|| self.checks.get(style)) {
            return *v;
        }
        if let Some(v) = global.get(id).or_else(|| global.get(style)) {
            return *v;
        }
        self.base_styles.iter().any(|s| s == style)
    }

    pub fn is_empty(&self, global: &HashMap<String, bool>) -> bool {
        self.checks.is_empty() && self.base_styles.is_empty() && global.is_empty()
    }
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_decide_per_file() {
        let ini = parse("StylesPath = s\nMinAlertLevel = warning\n\n[*.md]\nBasedOnStyles = A\nA.X = NO\n\n[test3.md]\nA.X = YES\nB.Y = error\n").unwrap();
        assert_eq!(ini.min_level, Some(Level::Warning));
        let p = &ini.policy;
        let other = p.for_file("docs/a.md");
        assert!(!other.runs(&p.global_checks, "A.X", "A"));
        assert!(other.runs(&p.global_checks, "A.Z", "A"));
        assert!(!other.runs(&p.global_checks, "B.Y", "B"));
        let t3 = p.for_file("test3.md");
        assert!(t3.runs(&p.global_checks, "A.X", "A"));
        assert!(t3.runs(&p.global_checks, "B.Y", "B"));
        assert_eq!(ini.levels.get("B.Y"), Some(&Level::Error));
    }

    #[test]
    fn ignore_sections_match_the_extension() {
        let ini = parse("[*]\nTokenIgnores = g\n\n[*.md]\nBlockIgnores = a\n\n[docs/*.md]\nBlockIgnores = b\nTokenIgnores = c\n\n[*.{md,mdx}]\nTokenIgnores = d\n\n[*.mdx]\nBlockIgnores = e\n\n[formats]\nmdoc = md\n").unwrap();
        let p = &ini.policy;
        let md = p.for_file("docs/a.md");
        assert_eq!(md.block_ignores, ["a"]);
        assert_eq!(md.token_ignores, ["g", "d"]);
        let mdx = p.for_file("docs/a.mdx");
        assert_eq!(mdx.block_ignores, ["e"]);
        let mapped = p.for_file("docs/a.mdoc");
        assert_eq!(mapped.block_ignores, ["a"]);
        assert_eq!(p.for_file("a.markdown").block_ignores, ["a"]);
    }

    #[test]
    fn core_options_in_sections_are_errors() {
        let e = parse("[*.md]\nStylesPath = x\n").unwrap_err();
        assert_eq!(e.offset, 7);
    }
}
