//! Loading rule packs named by the config's `rules:` — `builtin:NAME`, a
//! YAML file, or a directory of them — and compiling them into a `RuleSet`.
//! Every error names the pack file, line and column, and the rule id.

use std::collections::HashMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use super::spec::{KindName, PackSpec, RegexProblem, RuleSpec};
use super::terms::{Items, TermIndex};
use super::{
    builtin, dates, forbid, front_matter, links, metric, require, spelling, substitute, Kind, Rule,
    RuleSet, ScopeSel,
};
use crate::config::Config;
use crate::error::{FileError, Result};
use crate::source::policy_files::{DiskFiles, PolicyFiles};

/// The id of the rule that `front_matter.required` in the config stands for.
pub const CONFIG_FRONT_MATTER_ID: &str = crate::builtin_rules::FRONT_MATTER;

/// A pack's text and the name errors are reported under.
struct PackSource {
    name: String,
    text: String,
}

/// Loads and compiles every pack the config names. Paths are relative to `base_dir`.
pub fn load_rule_set(config: &Config, base_dir: &Path) -> Result<RuleSet> {
    load_rule_set_from(
        config,
        &DiskFiles {
            base: base_dir.to_path_buf(),
        },
    )
}

/// Loads and compiles every pack the config names, reading files from `files`.
pub fn load_rule_set_from(config: &Config, files: &dyn PolicyFiles) -> Result<RuleSet> {
    let recording = Recording {
        inner: files,
        hash: std::cell::RefCell::new(xxhash_rust::xxh3::Xxh3::new()),
    };
    let files: &dyn PolicyFiles = &recording;
    let mut loaded = Loaded::default();
    let vale = load_vale(config, files, &mut loaded)?;
    let mut fingerprint = xxhash_rust::xxh3::Xxh3::new();
    for entry in config.rules.iter().filter(|e| !e.starts_with("vale:")) {
        for pack in sources(entry, files).map_err(|e| locate_entry(config, entry, e))? {
            for part in [&pack.name, &pack.text] {
                fingerprint.update(part.as_bytes());
                fingerprint.update(b"\0");
            }
            for rule in parse_pack(&pack)?.rules {
                let (compiled, rule_items) =
                    load_pack_rule(&rule, &pack, config, files, &loaded.seen)?;
                loaded.seen.insert(rule.id.clone(), pack.name.clone());
                loaded.rules.push(compiled);
                loaded.items.push(rule_items);
            }
        }
    }
    let Loaded {
        mut rules,
        mut items,
        seen,
    } = loaded;
    if !config.front_matter.required.is_empty() && !seen.contains_key(CONFIG_FRONT_MATTER_ID) {
        rules.push(config_front_matter_rule(config));
        items.push(Items::default());
    }
    // Every file the loaders read (Vale configs, styles, vocabularies), as
    // read. Only source texts go in: the `Debug` form of what was compiled
    // holds hash maps, which list in a different order in every process.
    fingerprint.update(&recording.hash.borrow().digest128().to_le_bytes());
    let (overrides, warnings) = super::overrides::Overrides::compile(config, &rules);
    // The overrides and the front-matter shorthand's paths decide findings too.
    fingerprint.update(format!("{:?}{:?}", config.overrides, config.front_matter).as_bytes());
    let term_rules: Vec<bool> = rules.iter().map(|r| r.kind.is_term_kind()).collect();
    let prefilter = super::prefilter::Prefilter::build(&items, &term_rules);
    Ok(RuleSet {
        rules,
        prefilter,
        terms: TermIndex::build(items),
        fingerprint: fingerprint.digest128(),
        vale,
        overrides,
        warnings,
    })
}

/// Rules loaded so far, in order, with where each id was defined.
#[derive(Default)]
struct Loaded {
    rules: Vec<Rule>,
    items: Vec<Items>,
    /// Rule id → the pack or Vale file that defined it.
    seen: HashMap<String, String>,
}

/// The Vale rules, first: the styles a `.vale.ini` turns on, then each
/// `vale:` entry's style.
fn load_vale(
    config: &Config,
    files: &dyn PolicyFiles,
    loaded: &mut Loaded,
) -> Result<crate::vale::ValeProject> {
    let mut vale = crate::vale::ValeProject::default();
    let mut vale_loads = Vec::new();
    if let Some(ini) = &config.vale_ini {
        let (from_ini, project) = crate::vale::load_ini_rules(files, ini)?;
        vale = project;
        vale_loads.push(from_ini);
    }
    for entry in config.rules.iter().filter(|e| e.starts_with("vale:")) {
        vale_loads.push(crate::vale::load_style_entry(files, entry)?);
    }
    for style in vale_loads {
        vale.warnings.extend(style.warnings);
        for (rule, rule_items) in style.rules {
            if let Some(previous) = loaded.seen.insert(rule.id.clone(), rule.origin.clone()) {
                return Err(crate::error::plain(format!(
                    "duplicate rule id `{}` ({} and {previous})",
                    rule.id, rule.origin
                )));
            }
            loaded.rules.push(rule);
            loaded.items.push(rule_items);
        }
    }
    Ok(vale)
}

/// One rule of a pack, checked (a new id, its form, its regexes, only its
/// kind's keys) and compiled; every error points at its place in the pack.
fn load_pack_rule(
    rule: &RuleSpec,
    pack: &PackSource,
    config: &Config,
    files: &dyn PolicyFiles,
    seen: &HashMap<String, String>,
) -> Result<(Rule, Items)> {
    let located = |message: String| locate(pack, &rule.id, None, message);
    if let Some(previous) = seen.get(&rule.id) {
        let msg = format!(
            "duplicate rule id `{}` (first defined in {previous})",
            rule.id
        );
        let nth = usize::from(previous == &pack.name);
        return Err(locate_nth(pack, &rule.id, nth, msg));
    }
    validate_id(&rule.id).map_err(located)?;
    if let Some(problem) = rule.regex_problem() {
        return Err(locate_regex(pack, &rule.id, &problem));
    }
    if let Some(key) = rule.foreign_keys().first() {
        let msg = format!(
            "rule `{}`: `{key}` does not apply to kind `{}`",
            rule.id,
            rule.kind.as_str()
        );
        return Err(locate(pack, &rule.id, Some(key), msg));
    }
    compile(rule, &pack.name, config, files)
        .map_err(|m| located(format!("rule `{}`: {m}", rule.id)))
}

/// Policy files as read, hashed on the way: the rule set's fingerprint
/// covers exactly what its loaders saw (texts, absences, directory lists).
struct Recording<'a> {
    inner: &'a dyn PolicyFiles,
    hash: std::cell::RefCell<xxhash_rust::xxh3::Xxh3>,
}

impl Recording<'_> {
    fn record(&self, parts: &[&[u8]]) {
        let mut hash = self.hash.borrow_mut();
        for part in parts {
            hash.update(&(part.len() as u64).to_le_bytes());
            hash.update(part);
        }
    }
}

impl PolicyFiles for Recording<'_> {
    fn read(&self, rel: &str) -> Option<Result<String>> {
        let text = self.inner.read(rel);
        let seen: &[u8] = match &text {
            Some(Ok(t)) => t.as_bytes(),
            Some(Err(_)) => b"\0unreadable",
            None => b"\0absent",
        };
        self.record(&[b"read", rel.as_bytes(), seen]);
        text
    }

    fn yaml_files_under(&self, rel: &str) -> Option<Vec<String>> {
        let list = self.inner.yaml_files_under(rel);
        let joined = list.as_ref().map_or("\0none".to_string(), |l| l.join("\0"));
        self.record(&[b"list", rel.as_bytes(), joined.as_bytes()]);
        list
    }

    fn entries(&self, rel: &str) -> Option<Vec<String>> {
        let list = self.inner.entries(rel);
        let joined = list.as_ref().map_or("\0none".to_string(), |l| l.join("\0"));
        self.record(&[b"entries", rel.as_bytes(), joined.as_bytes()]);
        list
    }

    fn display(&self, rel: &str) -> String {
        self.inner.display(rel)
    }
}

/// Parses a pack; a YAML error inside a rule names that rule's id.
fn parse_pack(pack: &PackSource) -> Result<PackSpec> {
    yaml_serde::from_str(&pack.text).map_err(|e| {
        let mut error = crate::yaml::error_at(&pack.name, &pack.text, &e);
        if let Some(id) = rule_id_of_error(&pack.text, &error.message) {
            // serde places errors of `when:` and `scope:` (one of two
            // shapes) at the rule; the key itself is where to look.
            let key = [("front_matter:", "when"), ("list of names", "scope")]
                .into_iter()
                .find(|(hint, _)| error.message.contains(hint))
                .map(|(_, key)| key);
            let rule_at = find_id(&pack.text, &id, 0);
            if let Some(at) = key
                .zip(rule_at)
                .and_then(|(k, r)| find_key_after(&pack.text, r, k))
            {
                error.span = (at, key.map_or(0, str::len)).into();
            }
            error.message = format!("rule `{id}`: {}", error.message);
        }
        error.into()
    })
}

/// For a serde path like `rules[3].patterns: …`, the `id` of rule 3.
fn rule_id_of_error(text: &str, message: &str) -> Option<String> {
    let index: usize = message
        .strip_prefix("rules[")?
        .split(']')
        .next()?
        .parse()
        .ok()?;
    let value = crate::yaml::value_from_str(text).ok()?;
    value
        .get("rules")?
        .get(index)?
        .get("id")?
        .as_str()
        .map(String::from)
}

/// `front_matter.required` is shorthand for this rule.
fn config_front_matter_rule(config: &Config) -> Rule {
    let front_matter = &config.front_matter;
    Rule {
        id: CONFIG_FRONT_MATTER_ID.into(),
        level: crate::builtin_rules::level(CONFIG_FRONT_MATTER_ID),
        message: None,
        description: crate::builtin_rules::get(CONFIG_FRONT_MATTER_ID).map(|r| r.text.into()),
        link: None,
        examples: Default::default(),
        // Validated with the config, so the globs compile.
        paths: globs(&front_matter.paths).ok().flatten(),
        exclude_paths: globs(&front_matter.exclude_paths).ok().flatten(),
        scope: ScopeSel::default(),
        kind: Kind::FrontMatter(front_matter::FrontMatterRule {
            required: config.front_matter.required.clone(),
            values: Default::default(),
            types: Default::default(),
        }),
        origin: "imprimatur.yml".into(),
    }
}

fn sources(entry: &str, files: &dyn PolicyFiles) -> Result<Vec<PackSource>> {
    if let Some(name) = entry.strip_prefix("builtin:") {
        let text = builtin::get(name).ok_or_else(|| {
            crate::error::with_help(
                format!("unknown built-in pack `{name}` in `rules:`"),
                format!("built-in packs: {}", builtin::names().join(", ")),
            )
        })?;
        return Ok(vec![PackSource {
            name: entry.to_string(),
            text: text.to_string(),
        }]);
    }
    if let Some(rels) = files.yaml_files_under(entry) {
        return rels
            .iter()
            .map(|rel| {
                Ok(PackSource {
                    name: files.display(rel),
                    text: files.read(rel).unwrap_or_else(|| {
                        Err(crate::error::plain(format!("cannot read {rel}")))
                    })?,
                })
            })
            .collect();
    }
    match files.read(entry) {
        Some(text) => Ok(vec![PackSource {
            name: files.display(entry),
            text: text?,
        }]),
        None => Err(crate::error::with_help(
            format!("rule pack not found: {entry}"),
            "a pack is a YAML file, or a directory of them, named relative to the config's directory",
        )),
    }
}

fn validate_id(id: &str) -> std::result::Result<(), String> {
    let valid = id
        .split_once('/')
        .is_some_and(|(pack, name)| !pack.is_empty() && !name.is_empty())
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./".contains(c));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "rule id `{id}` must look like `pack/name` (letters, digits, `-`, `_`, `.`)"
        ))
    }
}

fn compile(
    spec: &RuleSpec,
    origin: &str,
    config: &Config,
    files: &dyn PolicyFiles,
) -> std::result::Result<(Rule, Items), String> {
    let (kind, items) = match spec.kind {
        KindName::Forbid => forbid::compile(spec).map(|(k, i)| (Kind::Forbid(k), i))?,
        KindName::Substitute => substitute::compile(spec).map(|(k, i)| (Kind::Substitute(k), i))?,
        KindName::Require => (Kind::Require(require::compile(spec)?), Items::default()),
        KindName::FrontMatter => (
            Kind::FrontMatter(front_matter::compile(spec)?),
            Items::default(),
        ),
        KindName::Links => (Kind::Links(links::compile(spec)?), Items::default()),
        KindName::Dates => (Kind::Dates(dates::compile(spec)?), Items::default()),
        KindName::Spelling => (
            Kind::Spelling(spelling::compile(spec, config, files)?),
            Items::default(),
        ),
        KindName::Metric => (Kind::Metric(metric::compile(spec)?), Items::default()),
    };
    let scope = match &spec.scope {
        Some(s) => ScopeSel::parse(&s.clone().into_vec())?,
        None => ScopeSel::default(),
    };
    let rule = Rule {
        id: spec.id.clone(),
        level: spec.level,
        message: spec.message.clone(),
        description: spec.description.clone(),
        link: spec.link.clone(),
        examples: spec.examples.clone().unwrap_or_default(),
        paths: globs(&spec.paths)?,
        exclude_paths: globs(&spec.exclude_paths)?,
        scope,
        kind,
        origin: origin.to_string(),
    };
    Ok((rule, items))
}

fn globs(patterns: &[String]) -> std::result::Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        if crate::source::repo_path::glob_climbs(p) {
            return Err(format!(
                "glob `{p}` has a `..` part and can never match: paths are relative to the project root"
            ));
        }
        let g = crate::source::repo_path::normalize_glob(p);
        builder.add(Glob::new(&g).map_err(|e| format!("invalid glob `{p}`: {e}"))?);
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

/// An error at rule `id` of `pack` (at `key` within the rule when given).
fn locate(pack: &PackSource, id: &str, key: Option<&str>, message: String) -> miette::Report {
    let at = find_id(&pack.text, id, 0).unwrap_or(0);
    let (offset, len) = match key.and_then(|k| find_key_after(&pack.text, at, k)) {
        Some(k) => (k, key.map_or(0, str::len)),
        None => (at, id.len()),
    };
    FileError::at(&pack.name, &pack.text, offset, len, message, "in this rule").into()
}

/// A pack that cannot be found or read, located at its entry under the
/// config's `rules:` (when the config has a text to point into).
fn locate_entry(config: &Config, entry: &str, error: miette::Report) -> miette::Report {
    let Some(source) = &config.source else {
        return error;
    };
    let text = &source.text;
    let rules_at = text
        .match_indices("rules:")
        .find(|(i, _)| *i == 0 || text[..*i].ends_with('\n'))
        .map(|(i, _)| i);
    let Some(at) = rules_at.and_then(|r| text[r..].find(entry).map(|i| r + i)) else {
        return error;
    };
    let mut located = FileError::at(
        &source.name,
        text,
        at,
        entry.len(),
        error.to_string(),
        "this entry",
    );
    located.help = error.help().map(|h| h.to_string());
    located.into()
}

/// A regex error at the column of the regex where it goes wrong: the
/// regex is searched for after its key, as written (plain, or escaped the
/// way a double- or single-quoted YAML string escapes it).
fn locate_regex(pack: &PackSource, id: &str, problem: &RegexProblem) -> miette::Report {
    let message = format!(
        "rule `{id}`: invalid regex in `{}`: {}",
        problem.key, problem.message
    );
    let rule_at = find_id(&pack.text, id, 0).unwrap_or(0);
    let key_at = find_key_after(&pack.text, rule_at, problem.key).unwrap_or(rule_at);
    let escapes: [fn(&str) -> String; 3] = [
        |s| s.replace('\\', "\\\\").replace('"', "\\\""),
        |s| s.replace('\'', "''"),
        |s| s.to_string(),
    ];
    let regex = &problem.regex;
    let found = escapes.iter().find_map(|escape| {
        let written = escape(regex);
        let at = pack.text[key_at..].find(&written)? + key_at;
        let prefix = regex.get(..problem.offset).unwrap_or(regex);
        Some(at + escape(prefix).len())
    });
    let (offset, len) = match found {
        Some(at) => (at, 1),
        None => (key_at, problem.key.len()),
    };
    FileError::at(&pack.name, &pack.text, offset, len, message, "here").into()
}

/// An error at the `nth` (0-based) occurrence of rule `id` in `pack`.
fn locate_nth(pack: &PackSource, id: &str, nth: usize, message: String) -> miette::Report {
    let mut at = find_id(&pack.text, id, 0);
    for _ in 0..nth {
        at = at.and_then(|a| find_id(&pack.text, id, a + 1));
    }
    let offset = at.unwrap_or(0);
    FileError::at(&pack.name, &pack.text, offset, id.len(), message, "this id").into()
}

/// Offset of the id value in an `id: ID` line at or after `from`.
fn find_id(text: &str, id: &str, from: usize) -> Option<usize> {
    let mut search = from;
    while let Some(i) = text.get(search..)?.find(id) {
        let at = search + i;
        let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
        let before = text[line_start..at]
            .trim_start_matches([' ', '-'])
            .trim_end_matches(['"', '\'']);
        if before.trim_end() == "id:" {
            return Some(at);
        }
        search = at + id.len();
    }
    None
}

/// Offset of `key:` after `from`, before the next rule starts.
fn find_key_after(text: &str, from: usize, key: &str) -> Option<usize> {
    let rest = &text[from..];
    let end = rest
        .find("\n- ")
        .or_else(|| rest.find("\n  - "))
        .unwrap_or(rest.len());
    rest[..end].find(&format!("{key}:")).map(|i| from + i)
}
