//! `imprimatur rules`: what is loaded; `--explain ID`: why a rule exists,
//! what it matches, and examples (the pack's `description` and `examples`).

use super::EXIT_OK;
use crate::cli::RulesArgs;
use crate::error::Result;
use crate::rules::{Rule, RuleSet};
use crate::workspace::Workspace;

pub fn run(args: &RulesArgs) -> Result<i32> {
    let ws = Workspace::open(args.config.as_deref())?;
    let rules = crate::rules::load_rule_set(&ws.config.config, &ws.config.base_dir)?;
    crate::vale::print_warnings(&rules.vale);
    let text = match &args.explain {
        Some(id) => explain(&rules, id)?,
        None => list(&rules),
    };
    crate::output::emit(&text)
        .map_err(|e| crate::error::plain(format!("cannot write output: {e}")))?;
    Ok(EXIT_OK)
}

fn list(rules: &RuleSet) -> String {
    let width = rules.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rules.rules {
        out.push_str(&format!(
            "{:<width$}  {:<12}  {:<7}  {}\n",
            r.id,
            r.kind.name(),
            r.level,
            r.origin
        ));
    }
    out.push_str(&format!("{} rules loaded\n", rules.rules.len()));
    out
}

fn explain(rules: &RuleSet, id: &str) -> Result<String> {
    let Some(rule) = rules.get(id) else {
        let ids = rules.rules.iter().map(|r| r.id.as_str());
        let help = match crate::yaml::closest(id, ids) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "`imprimatur rules` lists the loaded rules".to_string(),
        };
        return Err(crate::error::with_help(
            format!("no loaded rule has the id `{id}`"),
            help,
        ));
    };
    Ok(explanation(rule))
}

/// The `--explain` text of one rule.
pub fn explanation(rule: &Rule) -> String {
    let mut out = format!(
        "{}  ({}, {})\nfrom: {}\n",
        rule.id,
        rule.kind.name(),
        rule.level,
        rule.origin
    );
    out.push_str(&format!("kind: {}\n", rule.kind.summary()));
    for line in rule.kind.details() {
        out.push_str(&format!("{line}\n"));
    }
    if let Some(message) = &rule.message {
        out.push_str(&format!("message: {message}\n"));
    }
    if let Some(description) = &rule.description {
        out.push_str(&format!("\n{}\n", description.trim()));
    }
    for (title, examples) in [
        ("Flagged", &rule.examples.bad),
        ("Accepted", &rule.examples.good),
    ] {
        if !examples.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for e in examples {
                out.push_str(&format!("  {e}\n"));
            }
        }
    }
    if let Some(link) = &rule.link {
        out.push_str(&format!("\nPolicy: {link}\n"));
    }
    out.push_str(&format!(
        "\nSilence one occurrence with: <!-- imprimatur-disable-next-line {} -- reason -->\n",
        rule.id
    ));
    out
}
