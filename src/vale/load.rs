//! Reading Vale styles into imprimatur rules: a style directory holds one
//! rule per `.yml` file (`Style/Rule.yml` is `Style.Rule`); the built-in
//! `Vale` style adds `Vale.Repetition`, and the project's vocabulary adds
//! `Vale.Terms` (accepted words, exact case) and `Vale.Avoid` (rejected words).

use std::collections::HashMap;

use yaml_serde::{Mapping, Value};

use super::common::Env;
use super::config::{self, level_named, ValeIni};
use super::definition::{Definition, RuleError, SUPPORTED, UNSUPPORTED};
use super::{Check, ValeProject, ValeRule};
use crate::error::{FileError, Result};
use crate::finding::Level;
use crate::rules::terms::Items;
use crate::rules::{Kind, Rule, ScopeSel};
use crate::source::policy_files::PolicyFiles;

/// Loaded rules with their automaton items, and what could not be honoured.
#[derive(Default)]
pub struct Loaded {
    pub rules: Vec<(Rule, Items)>,
    pub warnings: Vec<String>,
}

/// `vale:PATH` in `rules:` — every rule of one style directory.
pub fn load_style_entry(files: &dyn PolicyFiles, entry: &str) -> Result<Loaded> {
    let path = entry.trim_start_matches("vale:").trim_end_matches('/');
    let style = path.rsplit('/').next().unwrap_or(path).to_string();
    let Some(rels) = files.yaml_files_under(path).map(normalized) else {
        return Err(crate::error::with_help(
            format!(
                "Vale style not found: {} (from `{entry}` in `rules:`)",
                files.display(path)
            ),
            "a `vale:` entry names a style directory, e.g. `vale:styles/Microsoft`",
        ));
    };
    let mut loaded = Loaded::default();
    let env = Env {
        styles_path: path.rsplit_once('/').map_or("", |(dir, _)| dir).to_string(),
        ..Env::default()
    };
    for rel in rule_files(path, &rels) {
        let id = rule_id(&style, path, &rel);
        if let Some(rule) = load_rule(
            files,
            &rel,
            &id,
            &style,
            &env,
            &HashMap::new(),
            &mut loaded.warnings,
        )? {
            loaded.rules.push(rule);
        }
    }
    Ok(loaded)
}

/// A Vale project: the config at `ini_rel`, its styles, vocabulary and policy.
pub fn load_ini_rules(files: &dyn PolicyFiles, ini_rel: &str) -> Result<(Loaded, ValeProject)> {
    let text = files.read(ini_rel).unwrap_or_else(|| {
        Err(crate::error::plain(format!(
            "cannot read {}",
            files.display(ini_rel)
        )))
    })?;
    let name = files.display(ini_rel);
    let first = config::parse(&text).map_err(|p| {
        miette::Report::from(FileError::at(
            &name, &text, p.offset, p.len, p.message, "here",
        ))
    })?;
    let dir = match ini_rel.rsplit_once('/') {
        Some((d, _)) => d.to_string(),
        None => String::new(),
    };
    let styles_path = match &first.styles_path {
        Some(p) if p.starts_with('/') => p.trim_end_matches('/').to_string(),
        Some(p) => join(&dir, p.trim_end_matches('/')),
        None => default_styles_path().unwrap_or_else(|| dir.clone()),
    };
    let (ini, pipeline) = with_pipeline(files, first, &styles_path, (&name, &text))?;
    let located = |needle: &str, message: String| -> miette::Report {
        let at = value_offset(&text, needle).unwrap_or(0);
        FileError::at(&name, &text, at, needle.len(), message, "here").into()
    };
    let env = vocabulary(files, &ini, &styles_path, &located)?;
    let mut loaded = Loaded {
        warnings: ini.warnings.clone(),
        ..Loaded::default()
    };
    let missing = missing_packages(files, &ini.packages, &styles_path, &pipeline);
    for package in &missing {
        loaded.warnings.push(format!(
            "package `{package}` (`Packages` in {name}) is not in StylesPath ({}); run `vale sync` to get it (imprimatur never downloads)",
            files.display(&styles_path)
        ));
    }
    let policy = &ini.policy;
    let mut seen_styles: Vec<String> = Vec::new();
    let mut styles = policy.styles();
    for check in policy.named_checks() {
        let style = check.split('.').next().unwrap_or(&check).to_string();
        if !styles.contains(&style) {
            styles.push(style);
        }
    }
    for style in &styles {
        if style == "Vale" {
            builtin_vale(files, &env, &ini, &mut loaded)?;
            seen_styles.push(style.clone());
            continue;
        }
        let dir_rel = join(&styles_path, style);
        let Some(rels) = files.yaml_files_under(&dir_rel).map(normalized) else {
            if policy.styles().contains(style) {
                let hint = if missing.contains(style) {
                    "; it comes from `Packages`: run `vale sync`"
                } else {
                    ""
                };
                return Err(located(
                    style,
                    format!(
                        "style `{style}` does not exist on StylesPath ({}){hint}",
                        files.display(&styles_path)
                    ),
                ));
            }
            continue;
        };
        seen_styles.push(style.clone());
        for rel in rule_files(&dir_rel, &rels) {
            let id = rule_id(style, &dir_rel, &rel);
            if !policy.enabled_somewhere(&id, style) {
                continue;
            }
            if let Some(rule) = load_rule(
                files,
                &rel,
                &id,
                style,
                &env,
                &ini.levels,
                &mut loaded.warnings,
            )? {
                loaded.rules.push(rule);
            }
        }
    }
    for check in policy.named_checks() {
        let style = check.split('.').next().unwrap_or(&check);
        let known = loaded.rules.iter().any(|(r, _)| r.id == check)
            || !check.contains('.')
            || (style == "Vale"
                && ["Vale.Spelling", "Vale.Terms", "Vale.Avoid"].contains(&check.as_str()));
        if !known
            && seen_styles.iter().any(|s| s == style)
            && policy.enabled_somewhere(&check, style)
        {
            loaded.warnings.push(format!(
                "`{check}` is switched on in {name}, but no such rule exists"
            ));
        }
    }
    let project = ValeProject {
        ini: Some(ini.policy.clone()),
        min_level: ini.min_level,
        warnings: Vec::new(),
        skipped_scopes: ini.skipped_scopes.clone(),
        ignored_classes: ini.ignored_classes.clone(),
        ignored_scopes: ini.ignored_scopes.clone(),
    };
    Ok((loaded, project))
}

/// Where `needle` is first written as (part of) a value, so an error points
/// at `BasedOnStyles = …, Google` rather than a comment that mentions it;
/// else anywhere in the text.
fn value_offset(text: &str, needle: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if !trimmed.starts_with(['#', ';', '[']) {
            if let Some(eq) = line.find(['=', ':']) {
                if let Some(i) = line[eq..].find(needle) {
                    return Some(offset + eq + i);
                }
            }
        }
        offset += line.len();
    }
    text.find(needle)
}

/// The configs `vale sync` left in `StylesPath/.vale-config/` (each synced
/// package's `.vale.ini`, named `N-Package.ini`), read in file-name order
/// before the project's config and merged with it as Vale's
/// `ReadPipeline` does. Returns the merged config and the pipeline's names.
fn with_pipeline(
    files: &dyn PolicyFiles,
    project: ValeIni,
    styles_path: &str,
    (name, text): (&str, &str),
) -> Result<(ValeIni, Vec<String>)> {
    let pipe_dir = join(styles_path, ".vale-config");
    let mut sources: Vec<(String, String)> = Vec::new();
    for entry in files.entries(&pipe_dir).unwrap_or_default() {
        let rel = format!("{pipe_dir}/{entry}");
        if let Some(t) = files.read(&rel) {
            sources.push((files.display(&rel), t?));
        }
    }
    if sources.is_empty() {
        return Ok((project, Vec::new()));
    }
    let names: Vec<String> = files.entries(&pipe_dir).unwrap_or_default();
    sources.push((name.to_string(), text.to_string()));
    let texts: Vec<&str> = sources.iter().map(|(_, t)| t.as_str()).collect();
    let merged = config::parse_merged(&texts).map_err(|p| {
        let (n, t) = &sources[p.file];
        miette::Report::from(FileError::at(n, t, p.offset, p.len, p.message, "here"))
    })?;
    Ok((merged, names))
}

/// The `Packages` entries `vale sync` has not put into `StylesPath`: neither
/// a style folder of that name nor a `.vale-config/N-Name.ini` exists.
fn missing_packages(
    files: &dyn PolicyFiles,
    packages: &[String],
    styles_path: &str,
    pipeline: &[String],
) -> Vec<String> {
    packages
        .iter()
        .map(|p| config::package_name(p))
        .filter(|name| {
            let folder = files.entries(&join(styles_path, name)).is_some();
            let config = pipeline.iter().any(|f| {
                f.strip_suffix(".ini")
                    .and_then(|stem| stem.split_once('-'))
                    .is_some_and(|(_, n)| n == name)
            });
            !folder && !config
        })
        .collect()
}

/// Vale's default `StylesPath` when the config sets none: `VALE_STYLES_PATH`,
/// else the user's data directory (`$XDG_DATA_HOME/vale/styles`, by default
/// `~/.local/share/vale/styles`; `~/Library/Application Support/vale/styles`
/// on macOS) when it exists. `None` leaves the config's own directory.
fn default_styles_path() -> Option<String> {
    if let Some(p) = std::env::var_os("VALE_STYLES_PATH") {
        return Some(p.to_string_lossy().trim_end_matches('/').to_string());
    }
    let data = match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        Some(d) => std::path::PathBuf::from(d),
        None => {
            let home = std::path::PathBuf::from(std::env::var_os("HOME")?);
            if cfg!(target_os = "macos") {
                home.join("Library/Application Support")
            } else {
                home.join(".local/share")
            }
        }
    };
    let styles = data.join("vale/styles");
    styles
        .is_dir()
        .then(|| styles.to_string_lossy().to_string())
}

fn join(dir: &str, rel: &str) -> String {
    let rel = rel.trim_start_matches("./");
    if dir.is_empty() {
        rel.to_string()
    } else if rel.is_empty() {
        dir.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// `accept.txt` / `reject.txt` of every `Vocab` under `StylesPath/config/vocabularies/`.
fn vocabulary(
    files: &dyn PolicyFiles,
    ini: &ValeIni,
    styles_path: &str,
    located: &dyn Fn(&str, String) -> miette::Report,
) -> Result<Env> {
    let mut env = Env {
        word_template: ini.word_template.clone(),
        styles_path: styles_path.to_string(),
        ..Env::default()
    };
    for name in &ini.vocab {
        let dir = join(styles_path, &format!("config/vocabularies/{name}"));
        let mut found = false;
        for (file, accept) in [("accept.txt", true), ("reject.txt", false)] {
            let Some(text) = files.read(&format!("{dir}/{file}")) else {
                continue;
            };
            found = true;
            for line in text?.lines() {
                let word = line.trim();
                if word.is_empty() || word.starts_with("# ") {
                    continue;
                }
                if accept {
                    env.accepted.push(word.to_string());
                } else {
                    env.rejected.push(word.to_string());
                }
            }
        }
        let vale2 = join(styles_path, &format!("Vocab/{name}"));
        let in_vale2 = ["accept.txt", "reject.txt"]
            .iter()
            .any(|f| files.read(&format!("{vale2}/{f}")).is_some());
        if !found && in_vale2 {
            return Err(located(
                name,
                format!(
                    "vocabulary `{name}` is in Vale 2's layout ({}); Vale 3 reads it from {} — move the folder there",
                    files.display(&vale2),
                    files.display(&dir)
                ),
            ));
        }
        if !found {
            return Err(located(
                name,
                format!(
                    "vocabulary `{name}` not found: {} has no accept.txt or reject.txt",
                    files.display(&dir)
                ),
            ));
        }
    }
    Ok(env)
}

/// Paths outside the project come back with a doubled leading `/`.
fn normalized(rels: Vec<String>) -> Vec<String> {
    rels.into_iter()
        .map(|r| {
            if r.starts_with("//") {
                r[1..].to_string()
            } else {
                r
            }
        })
        .collect()
}

/// The `.yml` rule files of a style, skipping directories named `.x` or `_x`.
fn rule_files(dir: &str, rels: &[String]) -> Vec<String> {
    rels.iter()
        .filter(|r| r.ends_with(".yml"))
        .filter(|r| {
            let inner = r.strip_prefix(dir).unwrap_or(r).trim_start_matches('/');
            let parts: Vec<&str> = inner.split('/').collect();
            parts[..parts.len() - 1]
                .iter()
                .all(|p| !p.starts_with('.') && !p.starts_with('_'))
        })
        .cloned()
        .collect()
}

/// `Style/sub/Rule.yml` → `Style.sub.Rule`.
fn rule_id(style: &str, dir: &str, rel: &str) -> String {
    let inner = rel.strip_prefix(dir).unwrap_or(rel).trim_start_matches('/');
    let inner = inner.strip_suffix(".yml").unwrap_or(inner);
    format!("{style}.{}", inner.replace('/', "."))
}

fn load_rule(
    files: &dyn PolicyFiles,
    rel: &str,
    id: &str,
    style: &str,
    env: &Env,
    levels: &HashMap<String, Level>,
    warnings: &mut Vec<String>,
) -> Result<Option<(Rule, Items)>> {
    let name = files.display(rel);
    let text = files
        .read(rel)
        .unwrap_or_else(|| Err(crate::error::plain(format!("cannot read {name}"))))?;
    let map: Mapping = match crate::yaml::value_from_str(&text) {
        Ok(Value::Mapping(m)) => m,
        Ok(Value::Null) => Mapping::new(),
        Ok(_) => {
            return Err(FileError::at(
                &name,
                &text,
                0,
                0,
                format!("rule `{id}`: a Vale rule is a YAML mapping"),
                "here",
            )
            .into())
        }
        Err(e) => {
            let mut err = crate::yaml::error_at(&name, &text, &e);
            err.message = format!("rule `{id}`: {}", err.message);
            return Err(err.into());
        }
    };
    let script_file = (map.get("extends").and_then(Value::as_str) == Some("script"))
        .then(|| {
            let script = map.get("script").and_then(Value::as_str);
            super::script::rule::locate(files, rel, style, script)
        })
        .flatten();
    let mut def = Definition::new(id.to_string(), map, name.clone(), text);
    def.script_file = script_file;
    compile(files, &def, style, env, levels, warnings).map_err(|e| {
        let (offset, len) = e
            .key
            .as_deref()
            .and_then(|k| def.key_offset(k).map(|o| (o, k.len())))
            .unwrap_or((0, 0));
        FileError::at(
            &name,
            &def.text,
            offset,
            len,
            format!("rule `{id}`: {}", e.message),
            "in this rule",
        )
        .into()
    })
}

/// Compiles one definition; `None` (with a warning) for a kind imprimatur cannot run.
pub fn compile(
    files: &dyn PolicyFiles,
    def: &Definition,
    style: &str,
    env: &Env,
    levels: &HashMap<String, Level>,
    warnings: &mut Vec<String>,
) -> std::result::Result<Option<(Rule, Items)>, RuleError> {
    let kind = def.kind().to_string();
    if kind.is_empty() {
        return Err(RuleError::at(
            "extends",
            "missing the required `extends` key",
        ));
    }
    if UNSUPPORTED.contains(&kind.as_str()) {
        warnings.push(format!(
            "{}: Vale rule `{}` (extends: {kind}) is not supported and does not run",
            def.file, def.id
        ));
        return Ok(None);
    }
    if !SUPPORTED.contains(&kind.as_str()) {
        return Err(RuleError::at(
            "extends",
            format!("`extends: {kind}` is not a Vale rule kind"),
        ));
    }
    let message = def
        .string("message")
        .ok_or_else(|| RuleError::at("extends", "missing the required `message` key"))?;
    for key in def.unknown_keys() {
        warnings.push(format!(
            "{}: `{key}` in Vale rule `{}` is not a key of `{kind}` and is ignored",
            def.file, def.id
        ));
    }
    let level = match levels.get(&def.id).or_else(|| levels.get(style)) {
        Some(l) => *l,
        None => match def.string("level") {
            Some(l) => level_named(&l).ok_or_else(|| {
                RuleError::at(
                    "level",
                    "`level` must be `suggestion`, `warning` or `error`",
                )
            })?,
            None => Level::Warning,
        },
    };
    // Vale runs a metric on the summary, whatever its `scope` says.
    let scope_names = if kind == "metric" {
        vec!["summary".to_string()]
    } else {
        def.list("scope")
    };
    let scope =
        super::scope::RuleScope::parse(&scope_names).map_err(|e| RuleError::at("scope", e))?;
    let action = def
        .get("action")
        .and_then(|a| a.get("name"))
        .and_then(Value::as_str)
        .map(String::from);
    let mut items = Items::default();
    let check = match kind.as_str() {
        "existence" => {
            let e = super::existence::compile(def, env)?;
            if let Some((tokens, ignore_case)) = &e.literals {
                for (i, t) in tokens.iter().enumerate() {
                    items.terms.push((i, t.clone(), *ignore_case));
                }
            }
            Check::Existence(e)
        }
        "substitution" => {
            Check::Substitution(super::substitution::compile(def, env, action.as_deref())?)
        }
        "occurrence" => Check::Occurrence(super::occurrence::compile(def)?),
        "repetition" => Check::Repetition(super::repetition::compile(def, env)?),
        "conditional" => Check::Conditional(super::conditional::compile(def, env)?),
        "capitalization" => Check::Capitalization(super::capitalization::compile(def, env)?),
        "consistency" => Check::Consistency(super::consistency::compile(def, env)?),
        "script" => match super::script::rule::compile(def, def.script_file.clone(), warnings)? {
            Some(script) => Check::Script(script),
            None => return Ok(None),
        },
        "spelling" => Check::Spelling(super::spelling::compile(def, env, files)?),
        "metric" => Check::Metric(super::metric::compile(def)?),
        other => {
            warnings.push(format!(
                "{}: Vale rule `{}` (extends: {other}) is not supported yet and does not run",
                def.file, def.id
            ));
            return Ok(None);
        }
    };
    let vale = ValeRule {
        style: style.to_string(),
        scope,
        message: message.clone(),
        limit: def.int("limit").max(0) as usize,
        check,
    };
    let rule = Rule {
        id: def.id.clone(),
        level,
        message: Some(message),
        description: def.string("description"),
        link: def.string("link"),
        examples: Default::default(),
        paths: None,
        exclude_paths: None,
        scope: ScopeSel::default(),
        kind: Kind::Vale(Box::new(vale)),
        origin: def.file.clone(),
    };
    Ok(Some((rule, items)))
}

/// The built-in `Vale` style: `Vale.Spelling` (the bundled en_US plus the
/// vocabulary), `Vale.Repetition`, `Vale.Terms`, `Vale.Avoid`.
fn builtin_vale(
    files: &dyn PolicyFiles,
    env: &Env,
    ini: &ValeIni,
    loaded: &mut Loaded,
) -> Result<()> {
    let policy = &ini.policy;
    let mut defs: Vec<(String, String)> = vec![
        (
            "Vale.Spelling".into(),
            "extends: spelling\nmessage: \"Did you really mean '%s'?\"\nlevel: error\nscope: text\n".into(),
        ),
        (
            "Vale.Repetition".into(),
            "extends: repetition\nmessage: \"'%s' is repeated!\"\nlevel: error\nscope: text\nignorecase: true\nalpha: true\ntokens: ['[^\\s.!?]+']\n".into(),
        ),
    ];
    if !env.accepted.is_empty() {
        let mut swap = Mapping::new();
        for term in &env.accepted {
            swap.insert(
                Value::String(term.to_lowercase()),
                Value::String(term.clone()),
            );
        }
        let mut m = base_map("substitution", "Use '%s' instead of '%s'.");
        m.insert("ignorecase".into(), Value::Bool(true));
        m.insert("vocab".into(), Value::Bool(false));
        m.insert("swap".into(), Value::Mapping(swap));
        defs.push((
            "Vale.Terms".into(),
            yaml_serde::to_string(&m).unwrap_or_default(),
        ));
    }
    if !env.rejected.is_empty() {
        let mut m = base_map("existence", "Avoid using '%s'.");
        m.insert("ignorecase".into(), Value::Bool(false));
        m.insert(
            "tokens".into(),
            Value::Sequence(env.rejected.iter().cloned().map(Value::String).collect()),
        );
        defs.push((
            "Vale.Avoid".into(),
            yaml_serde::to_string(&m).unwrap_or_default(),
        ));
    }
    for (id, text) in defs {
        if !policy.enabled_somewhere(&id, "Vale") {
            continue;
        }
        let map = match crate::yaml::value_from_str(&text) {
            Ok(Value::Mapping(m)) => m,
            _ => continue,
        };
        let def = Definition::new(id.clone(), map, "built-in Vale style".into(), text);
        let compiled = compile(files, &def, "Vale", env, &ini.levels, &mut loaded.warnings)
            .map_err(|e| crate::error::plain(format!("built-in rule `{id}`: {}", e.message)))?;
        if let Some(rule) = compiled {
            loaded.rules.push(rule);
        }
    }
    Ok(())
}

fn base_map(kind: &str, message: &str) -> Mapping {
    let mut m = Mapping::new();
    m.insert("extends".into(), Value::String(kind.into()));
    m.insert("message".into(), Value::String(message.into()));
    m.insert("level".into(), Value::String("error".into()));
    m.insert("scope".into(), Value::String("text".into()));
    m
}
