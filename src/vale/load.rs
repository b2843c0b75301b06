//! Reading Vale styles into imprimatur rules: a style directory holds one
//! rule per `.yml` file (`Style/Rule.yml` is `Style.Rule`); the built-in
//! `Vale` style adds `Vale.Repetition`, and the project's vocabulary adds
//! `Vale.Terms` (accepted words, exact case) and `Vale.Avoid` (rejected words).

use std::collections::HashMap;

use serde_yaml::{Mapping, Value};

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
    let ini = config::parse(&text).map_err(|p| {
        miette::Report::from(FileError::at(
            &name, &text, p.offset, p.len, p.message, "here",
        ))
    })?;
    let dir = match ini_rel.rsplit_once('/') {
        Some((d, _)) => d.to_string(),
        None => String::new(),
    };
    let styles_path = match &ini.styles_path {
        Some(p) if p.starts_with('/') => p.trim_end_matches('/').to_string(),
        Some(p) => join(&dir, p.trim_end_matches('/')),
        None => dir.clone(),
    };
    let located = |needle: &str, message: String| -> miette::Report {
        let at = text.find(needle).unwrap_or(0);
        FileError::at(&name, &text, at, needle.len(), message, "here").into()
    };
    let env = vocabulary(files, &ini, &styles_path, &located)?;
    let mut loaded = Loaded {
        warnings: ini.warnings.clone(),
        ..Loaded::default()
    };
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
                return Err(located(
                    style,
                    format!(
                        "style `{style}` does not exist on StylesPath ({})",
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
    let def = Definition {
        id: id.to_string(),
        map,
        file: name.clone(),
        text,
    };
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
            serde_yaml::to_string(&m).unwrap_or_default(),
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
            serde_yaml::to_string(&m).unwrap_or_default(),
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
        let def = Definition {
            id: id.clone(),
            map,
            file: "built-in Vale style".into(),
            text,
        };
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
