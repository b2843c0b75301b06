//! `imprimatur rules`: what is loaded; `--explain ID`: why a rule exists,
//! what it matches, and examples (the pack's `description` and `examples`),
//! for pack rules and imprimatur's built-in ids alike; `--explain PACK`: the
//! pack's rules; `--explain KIND`: a rule kind's documentation
//! (`rules::kind_docs`); `--export PACK`: the pack's YAML, to copy and own.

use std::path::Path;

use super::EXIT_OK;
use crate::cli::RulesArgs;
use crate::error::Result;
use crate::rules::explain::{explanation, origin};
use crate::rules::{builtin, Rule, RuleSet};
use crate::workspace::Workspace;

pub fn run(args: &RulesArgs) -> Result<i32> {
    if let Some(pack) = args.export.as_deref().and_then(builtin_pack_name) {
        // A built-in pack exports without a config: it is in the binary.
        return print(&export_builtin(pack)?);
    }
    let ws = Workspace::open(args.project.config.as_deref())?;
    let rules = crate::rules::load_rule_set(&ws.config.config, &ws.config.base_dir)?;
    super::print_warnings(rules.load_warnings());
    let text = match (&args.explain, &args.export) {
        (Some(id), _) => explain(&rules, id, &ws.root)?,
        (None, Some(pack)) => export_file(&ws, pack)?,
        (None, None) => list(&rules, &ws.root),
    };
    print(&text)
}

fn print(text: &str) -> Result<i32> {
    super::emit::text(text)
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    Ok(EXIT_OK)
}

/// `builtin:NAME`, or a bare NAME of a built-in pack.
fn builtin_pack_name(pack: &str) -> Option<&str> {
    let name = pack.strip_prefix("builtin:").unwrap_or(pack);
    (pack.starts_with("builtin:") || builtin::get(name).is_some()).then_some(name)
}

/// The pack's YAML as compiled in, under a header saying how to adopt it.
fn export_builtin(name: &str) -> Result<String> {
    let text = builtin::get(name).ok_or_else(|| {
        crate::error::with_help(
            format!("unknown built-in pack `{name}`"),
            format!("built-in packs: {}", builtin::names().join(", ")),
        )
    })?;
    Ok(format!(
        "# Exported by imprimatur {} from builtin:{name}. Save it as a file (e.g.\n\
         # rules/{name}.yml), list that file under `rules:` in imprimatur.yml in place\n\
         # of builtin:{name} (both would define the same ids), and edit freely.\n\n{text}",
        env!("CARGO_PKG_VERSION")
    ))
}

/// A repository pack file, as it is (it already loads from a file).
fn export_file(ws: &Workspace, pack: &str) -> Result<String> {
    let path = ws.config.base_dir.join(pack);
    if pack.starts_with("vale:") || path.is_dir() {
        return Err(crate::error::with_help(
            format!("`{pack}` is not a pack file"),
            "export a built-in pack (`builtin:claims`) or one YAML file of `rules:`",
        ));
    }
    std::fs::read_to_string(&path).map_err(|e| {
        crate::error::with_help(
            format!("cannot read pack `{pack}`: {e}"),
            format!("built-in packs: {}", builtin_names()),
        )
    })
}

fn builtin_names() -> String {
    builtin::names()
        .iter()
        .map(|n| format!("builtin:{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of columns padded to the widest cell of each column.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c] - cell.chars().count();
                line.push_str(&format!("{cell}{}  ", " ".repeat(pad)));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn list(rules: &RuleSet, root: &Path) -> String {
    let rows: Vec<Vec<String>> = rules
        .rules
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.kind.name().to_string(),
                r.level.to_string(),
                origin(r, root),
            ]
        })
        .collect();
    let mut out = table(&rows);
    out.push_str(&format!("{} rules loaded\n", rules.rules.len()));
    out
}

fn explain(rules: &RuleSet, id: &str, root: &Path) -> Result<String> {
    if let Some(rule) = rules.get(id) {
        return Ok(explanation(rule, &origin(rule, root)));
    }
    if let Some(builtin) = crate::builtin_rules::get(id) {
        return Ok(builtin.explanation());
    }
    let members: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| in_pack(r, id, root))
        .collect();
    if !members.is_empty() {
        return Ok(pack_listing(&members, root));
    }
    if let Some(kind) = crate::rules::kind_docs::get(id) {
        return Ok(kind.explanation());
    }
    let ids = rules
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .chain(crate::builtin_rules::BUILTIN_RULES.iter().map(|r| r.id))
        .chain(crate::rules::kind_docs::all().iter().map(|k| k.name));
    let help = match crate::yaml::closest(id, ids) {
        Some(c) => format!("did you mean `{c}`?"),
        None => "`imprimatur rules` lists the loaded rules and packs".to_string(),
    };
    Err(crate::error::with_help(
        format!("no loaded rule or pack is named `{id}`"),
        help,
    ))
}

/// Is `rule` in the pack called `pack`: `builtin:NAME` or NAME, a pack file
/// as `rules:` names it, or the id prefix (`claims` for `claims/…`, `House`
/// for Vale's `House.Rule`)?
fn in_pack(rule: &Rule, pack: &str, root: &Path) -> bool {
    let bare = pack.trim_start_matches("./");
    rule.origin == pack
        || rule.origin == format!("builtin:{pack}")
        || origin(rule, root) == bare
        || origin(rule, root).starts_with(&format!("{}/", bare.trim_end_matches('/')))
        || rule
            .id
            .strip_prefix(pack)
            .is_some_and(|rest| rest.starts_with(['/', '.']))
}

fn pack_listing(members: &[&Rule], root: &Path) -> String {
    let rows: Vec<Vec<String>> = members
        .iter()
        .map(|r| {
            let about = r
                .description
                .as_deref()
                .or(r.message.as_deref())
                .unwrap_or(r.kind.summary());
            vec![
                r.id.clone(),
                r.kind.name().to_string(),
                r.level.to_string(),
                first_sentence(about),
            ]
        })
        .collect();
    let mut origins: Vec<String> = members.iter().map(|r| origin(r, root)).collect();
    origins.dedup();
    format!(
        "{}: {} rules\n\n{}\n`imprimatur rules --explain ID` explains one.\n",
        origins.join(", "),
        members.len(),
        table(&rows)
    )
}

/// The first sentence of `text`, on one line.
fn first_sentence(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_align_to_the_widest_cell() {
        let rows = vec![
            vec![
                "a".to_string(),
                "capitalization".to_string(),
                "x".to_string(),
            ],
            vec!["long/id".to_string(), "forbid".to_string(), "y".to_string()],
        ];
        assert_eq!(
            table(&rows),
            "a        capitalization  x\nlong/id  forbid          y\n"
        );
    }

    #[test]
    fn first_sentence_is_one_line() {
        assert_eq!(first_sentence("One\ntwo. Three."), "One two.");
    }
}
